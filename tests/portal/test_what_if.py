"""The "what if" planner on the journey (issue #14, section 3): the same rules and weights
as the real screening and selection, nothing saved."""

import pytest

from ascent.applications.models import Application
from ascent.decisions.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(client, reopened):
    """An applicant of the small world whose released decision has a gap report."""
    decision = (Decision.objects.filter(outcome="not_selected", released_at__isnull=False)
                .exclude(gap={}).select_related("application__applicant__user")
                .order_by("-cycle__deadline", "rank").first())  # fmt: skip
    client.force_login(decision.application.applicant.user)
    return decision


def test_the_planner_starts_from_the_last_application_and_its_calibrated_scores(client, reviewed):
    page = client.get(f"/journey/what-if/{reviewed.application_id}/")
    assert page.status_code == 200
    plan = page.context["plan"]
    assert plan.composite_now == pytest.approx(reviewed.composite, abs=1e-6)  # same weights
    assert plan.cutoff == pytest.approx(reviewed.gap["cutoff"])
    assert plan.eligible  # it was reviewed, so it met every requirement
    html = page.content.decode()
    assert "You would meet every requirement." in html
    assert "points below the cutoff" in html
    journey = client.get("/journey/").content.decode()
    assert f"/journey/what-if/{reviewed.application_id}/" in journey


def test_raising_the_criteria_closes_the_distance_and_missing_answers_flip_eligibility(
    client, reviewed
):
    url = f"/journey/what-if/{reviewed.application_id}/"
    top = {f"plan.{key}": "99" for key in reviewed.gap["criteria"]}  # clipped to the scale
    page = client.get(url, {"tried": "1", **top})
    plan = page.context["plan"]
    assert plan.distance == 0
    assert "That is at or above last cycle" in page.content.decode()
    assert all(c.planned == c.scale[1] for c in plan.criteria)
    assert page.context["plan_problems"]  # 99 is beyond the scale: said beside the field
    empty = client.get(url, {"tried": "1", "plan.technical": "lots"})
    assert not empty.context["plan"].eligible  # no answers: the requirements are not met
    html = empty.content.decode()
    assert "You would not meet every requirement yet." in html
    assert "Citizenship: not answered" in html
    assert empty.context["plan_problems"]["technical"] == "must be a number"
    spanish = client.get(url, {"tried": "1"}, headers={"accept-language": "es"})
    assert "Nacionalidad: sin responder" in spanish.content.decode()  # the program's own words too
    reviewed.application.refresh_from_db()
    assert reviewed.application.answers  # nothing was saved or changed


def test_nobody_plans_on_another_persons_application(client, reviewed):
    other = Application.objects.exclude(applicant=reviewed.application.applicant).exclude(
        status="draft").first()  # fmt: skip
    assert client.get(f"/journey/what-if/{other.pk}/").status_code == 404
