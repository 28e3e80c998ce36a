"""The staff desk on a small world: screen, assign, select, board, export, release."""

import csv
import io

import pytest

from ascent.applications.models import Application, ApplicationStatus
from ascent.common.models import Job
from ascent.decisions.models import Decision
from ascent.programs.models import Cycle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="staff@example.org", is_staff=True))
    return client


def test_only_staff_reach_the_desk(client, reopened):
    urls = ["/staff/", f"/staff/cycles/{reopened.pk}/", f"/staff/cycles/{reopened.pk}/board/",
            f"/staff/cycles/{reopened.pk}/board.csv", f"/staff/cycles/{reopened.pk}/release/"]  # fmt: skip
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(f"/staff/cycles/{reopened.pk}/run/screen/").status_code == 403
    assert not Job.objects.exists()


def test_a_whole_cycle_from_the_desk(staff_client, reopened, mailoutbox,
                                     django_capture_on_commit_callbacks):  # fmt: skip
    page = staff_client.get(f"/staff/cycles/{reopened.pk}/")
    assert "Screen every submitted application" in page.content.decode()

    screened = staff_client.post(f"/staff/cycles/{reopened.pk}/run/screen/")
    job = Job.objects.get(kind="screening")
    assert screened["Location"] == f"/staff/jobs/{job.pk}/"
    assert job.state == "done"
    progress = staff_client.get(f"/staff/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert "Done." in progress.content.decode()
    assert "hx-trigger" not in progress.content.decode()  # no more polling

    stage = reopened.stages.get(kind="review")
    bad = staff_client.post(f"/staff/cycles/{reopened.pk}/run/assign/",
                            {"stage": stage.pk, "objective": "best"}, follow=True)  # fmt: skip
    assert "objective: choose total, fair or randomized" in bad.content.decode()
    staff_client.post(f"/staff/cycles/{reopened.pk}/run/assign/", {"stage": stage.pk})
    assert Job.objects.get(kind="assignment").state == "done"

    staff_client.post(f"/staff/cycles/{reopened.pk}/run/select/")
    selection = Job.objects.get(kind="selection")
    assert selection.state == "done", selection.error
    board = staff_client.get(f"/staff/cycles/{reopened.pk}/board/")
    html = board.content.decode()
    assert 'role="img"' in html
    assert "Expected overlap of a re-run" in html
    exported = staff_client.get(f"/staff/cycles/{reopened.pk}/board.csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert sum(r["outcome"] == "selected" for r in rows) == reopened.capacity
    assert all(not r["applicant"].startswith("=") for r in rows)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(
        staff_client.get(f"/staff/cycles/{reopened.pk}/board.csv?format=xlsx").content))  # fmt: skip
    assert book.active.max_row == len(rows) + 1

    preview = staff_client.get(f"/staff/cycles/{reopened.pk}/release/").content.decode()
    assert "Congratulations: you are selected" in preview
    assert "You were not selected this time." in preview
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/staff/cycles/{reopened.pk}/release/")
    assert (
        Application.objects.filter(cycle=reopened, status=S.SELECTED).count() == reopened.capacity
    )
    assert Application.objects.filter(cycle=reopened, status=S.IN_REVIEW).count() == 0
    decisions = Decision.objects.filter(application__cycle=reopened).count()
    offers = [m for m in mailoutbox if "please answer by" in m.subject]
    assert len(offers) == reopened.capacity  # each selected applicant gets an offer
    assert len(mailoutbox) == decisions + len(offers)
    again = staff_client.post(f"/staff/cycles/{reopened.pk}/release/", follow=True)
    assert "no unreleased decision" in again.content.decode()


def test_a_failed_job_shows_its_reason(staff_client, reopened):
    Decision.objects.filter(application__cycle=reopened).delete()
    Application.objects.filter(cycle=reopened).update(status=S.INELIGIBLE)
    staff_client.post(f"/staff/cycles/{reopened.pk}/run/select/")
    job = Job.objects.get(kind="selection")
    page = staff_client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "Stopped: no application of this cycle is in review" in page


def test_inviting_a_reviewer(
    staff_client, open_cycle, mailoutbox, django_capture_on_commit_callbacks
):
    from ascent.review.models import Reviewer

    url = f"/staff/cycles/{open_cycle.pk}/panel/"
    bad = staff_client.post(url, {"name": "", "email": "nope", "load_limit": "zero"})
    assert bad.status_code == 422
    assert set(bad.context["problems"]) == {"name", "email", "load_limit"}
    assert not Reviewer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"name": "Dr. Panel", "email": "Panel@Example.org",
                                "expertise": "Geology, robotics", "load_limit": "12"})  # fmt: skip
    reviewer = Reviewer.objects.get()
    assert (reviewer.user.email, reviewer.expertise, reviewer.load_limit) == (
        "panel@example.org", ["geology", "robotics"], 12)  # fmt: skip
    assert not reviewer.user.has_usable_password()
    assert "review panel" in mailoutbox[0].subject
    assert "/accounts/password/reset/" in mailoutbox[0].body
    again = staff_client.post(
        url, {"name": "Dr. Panel", "email": "panel@example.org", "load_limit": "5"}
    )
    assert "already on this panel" in again.content.decode()
    assert "Dr. Panel" in staff_client.get(url).content.decode()


def test_a_released_decision_changes_on_the_desk_only_with_a_reason(staff_client, reopened):
    from django.utils import timezone

    from ascent.common.models import AuditEvent
    from ascent.decisions.domain.deciding import decide_cycle

    decide_cycle(reopened, draws=20)
    waiting = Decision.objects.filter(application__cycle=reopened, outcome="waitlisted").first()
    url = f"/staff/decisions/{waiting.pk}/change/"
    early = staff_client.post(url, {"outcome": "selected", "reason": "x"})
    assert "not released yet" in early.content.decode()
    Decision.objects.filter(application__cycle=reopened).update(released_at=timezone.now())
    Application.objects.filter(pk=waiting.application_id).update(status=S.WAITLISTED)
    refused = staff_client.post(url, {"outcome": "selected", "reason": ""})
    assert refused.status_code == 422
    assert "only with a reason" in refused.content.decode()
    staff_client.post(url, {"outcome": "selected", "reason": "a seat was added"})
    waiting.refresh_from_db()
    assert waiting.outcome == "selected"
    assert Application.objects.get(pk=waiting.application_id).status == S.SELECTED
    assert AuditEvent.objects.get(verb="decision.changed").data["reason"] == "a seat was added"


def test_an_interview_stage_reviews_only_the_shortlist_and_selects_from_it(staff_client, reopened):
    from ascent.decisions.domain.deciding import decide_cycle
    from ascent.programs.models import Stage
    from ascent.review.domain.assignment import assign_stage
    from ascent.review.domain.errors import ReviewError
    from ascent.review.models import Assignment, Review, Score, Shortlisted

    interview = Stage.objects.create(cycle=reopened, key="interview", name="Interview",
                                     kind="interview", reviews_per_application=1, position=5)  # fmt: skip
    with pytest.raises(ReviewError, match="shortlist applications for this interview stage first"):
        assign_stage(interview)
    decide_cycle(reopened, draws=20)
    page = staff_client.get(f"/staff/cycles/{reopened.pk}/board/")
    assert "Shortlist the best of this ranking for Interview" in page.content.decode()
    staff_client.post(f"/staff/stages/{interview.pk}/shortlist/", {"size": "6"})
    chosen = set(
        Shortlisted.objects.filter(stage=interview).values_list("application_id", flat=True)
    )
    assert len(chosen) == 6
    assert set(Decision.objects.filter(rank__lte=6, application__cycle=reopened)
               .values_list("application_id", flat=True)) == chosen  # fmt: skip
    assign_stage(interview)
    assigned = set(
        Assignment.objects.filter(stage=interview).values_list("application_id", flat=True)
    )
    assert assigned == chosen
    # The interviewers score the shortlisted low but one; only the shortlisted can be chosen.
    criteria = list(reopened.criteria.all())
    for assignment in Assignment.objects.filter(stage=interview):
        review = Review.objects.create(assignment=assignment, state="submitted",
                                       submitted_at=reopened.deadline)  # fmt: skip
        for criterion in criteria:
            Score.objects.create(review=review, criterion=criterion, value=5,
                                 scale_min=criterion.scale_min, scale_max=criterion.scale_max)  # fmt: skip
    summary = decide_cycle(reopened, draws=20)
    selected = set(Decision.objects.filter(application__cycle=reopened, outcome="selected")
                   .values_list("application_id", flat=True))  # fmt: skip
    assert selected <= chosen
    assert len(summary.selected) == reopened.capacity
    outside = (
        Decision.objects.filter(application__cycle=reopened, outcome="not_selected")
        .exclude(application_id__in=chosen)
        .first()
    )
    assert outside.gap["distance"] >= 0  # a gap report for the not shortlisted too
    bad = staff_client.post(f"/staff/stages/{interview.pk}/shortlist/", {"size": "0"}, follow=True)
    assert "at least 1" in bad.content.decode()


def test_announcing_a_shortlist_tells_the_applicants_and_their_supporters_once(
    staff_client, reopened, mailoutbox, django_capture_on_commit_callbacks
):
    """The 'moved on' milestone (issue #14): told only once the shortlist is announced,
    which staff confirm first; after that the shortlist can no longer be replaced."""
    from django.test import Client
    from django.utils import timezone

    from ascent.applications.models import Supporter
    from ascent.decisions.domain.deciding import decide_cycle
    from ascent.programs.models import Stage
    from ascent.review.models import Shortlisted

    interview = Stage.objects.create(cycle=reopened, key="interview", name="Interview",
                                     kind="interview", reviews_per_application=1, position=5)  # fmt: skip
    decide_cycle(reopened, draws=20)
    staff_client.post(f"/staff/stages/{interview.pk}/shortlist/", {"size": "3"})
    chosen = list(Shortlisted.objects.filter(stage=interview)
                  .select_related("application__applicant__user").order_by("rank"))  # fmt: skip
    first = chosen[0].application.applicant
    Supporter.objects.create(applicant=first, name="Teacher", email="teacher@example.org",
                             token_hash="t" * 64, shares_milestones=True,
                             invited_at=timezone.now())  # fmt: skip
    Supporter.objects.create(applicant=first, name="Quiet", email="quiet@example.org",
                             token_hash="q" * 64, shares_milestones=False,
                             invited_at=timezone.now())  # fmt: skip
    board = staff_client.get(f"/staff/cycles/{reopened.pk}/board/").content.decode()
    assert (
        "3 applications are shortlisted for Interview; the applicants have not been told." in board
    )
    # Not told yet: the journey says nothing of it.
    client = Client()
    client.force_login(first.user)
    assert "Moved on to the next stage" not in client.get("/journey/").content.decode()

    asked = staff_client.post(f"/staff/stages/{interview.pk}/announce/")  # one click: it asks
    assert "Announce the shortlist for Interview?" in asked.content.decode()
    assert Stage.objects.get(pk=interview.pk).shortlist_announced_at is None
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(f"/staff/stages/{interview.pk}/announce/", {"confirm": "yes"},
                                 follow=True)  # fmt: skip
    assert "3 applicants were told they move on to Interview." in done.content.decode()
    told = sorted(to for m in mailoutbox for to in m.to)
    assert told == sorted(
        [c.application.applicant.user.email for c in chosen] + ["teacher@example.org"]
    )
    to_applicant = next(m for m in mailoutbox if m.to == [first.user.email])
    assert "moves on to the next stage: Interview" in to_applicant.body
    to_teacher = next(m for m in mailoutbox if m.to == ["teacher@example.org"])
    assert "has moved on to the next stage of" in to_teacher.body
    assert "Interview" in to_teacher.body
    assert "moved on to Interview; told on" in done.content.decode()

    journey = client.get("/journey/").content.decode()
    assert "Moved on to the next stage, Interview, on" in journey
    # Announced: neither a new shortlist nor a second announcement.
    again = staff_client.post(
        f"/staff/stages/{interview.pk}/shortlist/", {"size": "5"}, follow=True
    )
    assert "it can no longer be replaced" in again.content.decode()
    assert Shortlisted.objects.filter(stage=interview).count() == 3
    twice = staff_client.post(f"/staff/stages/{interview.pk}/announce/", {"confirm": "yes"},
                              follow=True)  # fmt: skip
    assert "already announced" in twice.content.decode()


def test_the_next_cycle_starts_as_a_draft_copy(staff_client, reopened):
    asked = staff_client.post(f"/staff/cycles/{reopened.pk}/next/")  # one click: it asks
    assert asked.status_code == 200
    assert "Start the next cycle?" in asked.content.decode()
    assert not Cycle.objects.filter(slug=f"{reopened.slug}-next").exists()
    page = staff_client.post(f"/staff/cycles/{reopened.pk}/next/", {"confirm": "yes"})
    new = Cycle.objects.get(slug=f"{reopened.slug}-next")
    assert page["Location"] == f"/staff/cycles/{new.pk}/"
    assert new.state == "draft"
    assert new.form_fields.count() == reopened.form_fields.count()
    assert new.requirements.count() == reopened.requirements.count()
    again = staff_client.post(f"/staff/cycles/{reopened.pk}/next/", {"confirm": "yes"}, follow=True)
    assert "already has a cycle" in again.content.decode()
