"""The staff page of one application (issue #16): everything about it in one place."""

import pytest

from ascent.applications.models import Application, ApplicationStatus
from ascent.common.models import AuditEvent
from ascent.decisions.domain.deciding import decide_cycle
from ascent.decisions.models import Decision
from ascent.programs.models import TeamMember
from ascent.review.models import Assignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="staff@example.org", is_staff=True))
    return client


def test_staff_read_answers_eligibility_reviews_decision_and_history(
    staff_client, reopened, django_assert_max_num_queries
):
    decide_cycle(reopened, draws=20)
    decision = (Decision.objects.filter(cycle=reopened, outcome="not_selected")
                .select_related("application__applicant").order_by("rank").first())  # fmt: skip
    application = decision.application
    url = f"/staff/applications/{application.pk}/"
    with django_assert_max_num_queries(25):
        page = staff_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert application.receipt in html
    assert application.applicant.display_name in html
    assert "Eligible by the rules" in html  # the screening's explanation...
    assert "✓" in html
    assignment = Assignment.objects.filter(application=application).select_related(
        "reviewer").first()  # fmt: skip
    assert assignment.reviewer.display_name in html  # ...each review with its scores...
    assert "Calibrated offset of this reviewer" in html
    assert f"{decision.composite:.2f}" in html  # ...the decision with its interval
    assert "95% interval" in html
    assert "in 100 re-runs" in html
    assert "Gap report" in html
    assert "Submitted → In review" in html  # the history: status changes with who and why
    assert "cycle.decided" not in html  # the cycle's events are not this application's
    assert "application.status_changed" not in html  # events in words, never their codes
    earlier = page.context["d"].earlier
    assert all(a.cycle.deadline < reopened.deadline for a, _composite in earlier)
    assert "/admin/" not in html.split("Administration")[-1]  # never the admin's JSON editor
    board = staff_client.get(f"/staff/cycles/{reopened.pk}/board/").content.decode()
    assert (
        f"/staff/applications/{Decision.objects.filter(cycle=reopened, rank=1).get().application_id}/"
        in board
    )
    listing = staff_client.get(f"/staff/cycles/{reopened.pk}/applications/").content.decode()
    assert "/staff/applications/" in listing


def test_overruling_eligibility_needs_a_reason_and_keeps_what_was_typed(staff_client, reopened):
    application = Application.objects.filter(cycle=reopened, status=S.IN_REVIEW).first()
    url = f"/staff/applications/{application.pk}/"
    refused = staff_client.post(url, {"override": "ineligible", "override_reason": "  "})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "write why the rules are overruled" in html
    assert 'value="ineligible" checked' in html
    nothing = staff_client.post(url, {"override_reason": "because"})
    assert nothing.status_code == 422
    assert 'value="because"' in nothing.content.decode()
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    done = staff_client.post(url, {"override": "ineligible", "override_reason": "forged degree"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == S.INELIGIBLE
    event = AuditEvent.objects.get(verb="application.eligibility_overridden")
    assert event.data["reason"] == "forged degree"
    assert "forged degree" in staff_client.get(url).content.decode()


def test_only_staff_read_an_application(client, reopened):
    application = Application.objects.filter(cycle=reopened).exclude(status=S.DRAFT).first()
    url = f"/staff/applications/{application.pk}/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(application.applicant.user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"override": "eligible", "override_reason": "me"}).status_code == 403
    assert client.get("/staff/applications/999999/").status_code == 403


def test_staff_ask_why_a_reviewer_fits_and_other_teams_cannot(staff_client, reopened):
    from ascent.review.models import Reviewer

    assignment = Assignment.objects.filter(application__cycle=reopened).select_related(
        "reviewer").first()  # fmt: skip
    Reviewer.objects.filter(pk=assignment.reviewer_id).update(
        statement="Rocket propulsion, flight operations and test piloting.")  # fmt: skip
    page = staff_client.get(f"/staff/applications/{assignment.application_id}/")
    url = f"/staff/assignments/{assignment.pk}/why/"
    assert url in page.content.decode()  # asked for on demand, not with the page
    inline = staff_client.get(url, headers={"HX-Request": "true"})
    assert inline.status_code == 200
    assert "<html" not in inline.content.decode()
    full = staff_client.get(url).content.decode()
    assert "reviews this application" in full
    other = UserFactory(username="other-team@example.org", is_staff=True)
    TeamMember.objects.create(
        program=reopened.program, user=UserFactory(username="team@example.org", is_staff=True)
    )
    staff_client.force_login(other)
    assert staff_client.get(url).status_code == 404
