"""A supporter's page shows what the applicant shared: without gap reports, outcomes only."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ascent.applications.domain.links import new_token
from ascent.applications.models import Supporter
from ascent.decisions.models import Decision, Outcome
from tests.factories import ApplicantFactory, ApplicationFactory, CycleFactory

pytestmark = pytest.mark.django_db
GAP = {"percentile": 62, "advice": [{"name": "Teamwork", "from": 4, "to": 6, "advice": "Lead."}]}


def decide(applicant, cycle, outcome: str, composite: float) -> Decision:
    application = ApplicationFactory(
        applicant=applicant, cycle=cycle, status=outcome, submitted_at=timezone.now()
    )
    return Decision.objects.create(
        application=application,
        outcome=outcome,
        composite=composite,
        released_at=timezone.now(),
        created_at=timezone.now(),
        p_selected=0.17,
        gap=GAP,
    )


@pytest.fixture
def two_rejections():
    """Two released "not selected" cycles, 2.25 then 1.50 points below the cutoff."""
    applicant = ApplicantFactory(display_name="Maya")
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for year, (composite, cutoff) in enumerate([(5.0, 7.25), (6.0, 7.5)]):
        cycle = CycleFactory(opens_at=start.replace(year=2024 + year), name=f"Call {2024 + year}")
        decide(ApplicantFactory(), cycle, Outcome.SELECTED, cutoff)
        decide(applicant, cycle, Outcome.NOT_SELECTED, composite)
    return applicant


def follow(client, applicant, *, shares: bool) -> str:
    token, digest = new_token()
    Supporter.objects.create(
        applicant=applicant,
        name="Mum",
        email="mum@example.org",
        token_hash=digest,
        shares_gap_reports=shares,
        invited_at=timezone.now(),
    )
    page = client.get(f"/follow/{token}/")
    assert page.status_code == 200
    return page


def test_a_supporter_without_gap_reports_sees_outcomes_but_no_distance(client, two_rejections):
    page = follow(client, two_rejections, shares=False)
    # (without the random link and form tokens, which can spell "gap" by chance)
    html = re.sub(r'(href|action|value|content)="[^"]*"', "", page.content.decode())
    assert "Call 2024" in html
    assert "Call 2025" in html
    assert html.count("Not selected") == 2
    for secret in ("2.25", "1.50", "7.25", "7.50", "5.00", "0.17", "62%", "Lead."):
        assert secret not in html, secret
    assert "cutoff" not in html.lower()
    assert "gap" not in html.lower()
    assert page.context["chart"] is None
    for step in page.context["steps"]:
        assert (step.composite, step.cutoff, step.distance, step.change) == (None,) * 4


def test_a_supporter_given_gap_reports_sees_the_distance(client, two_rejections):
    html = follow(client, two_rejections, shares=True).content.decode()
    assert "2.25" in html
    assert "1.50" in html
    assert "cutoff" in html
    assert "The gap shrank by 0.75" in html
    assert "Lead." in html


def test_the_applicant_always_sees_their_own_distance(client, two_rejections):
    client.force_login(two_rejections.user)
    html = client.get("/journey/").content.decode()
    assert "2.25" in html
    assert "cutoff" in html
