"""The reviewer's queue and review page: what they see, scoring, conflicts, who may enter."""

import pytest
from django.utils import timezone

from ascent.applications.models import ApplicationStatus
from ascent.common.models import AuditEvent
from ascent.programs.models import Stage
from ascent.review.models import Assignment, Conflict, Review, ReviewState, Score
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    CycleFactory,
    FormFieldFactory,
    ReviewerFactory,
    StageFactory,
    UserFactory,
    stored_file_answer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(client):
    cycle = CycleFactory()
    FormFieldFactory(cycle=cycle, key="full_name", label="Full name", identifying=True)
    FormFieldFactory(cycle=cycle, key="gender", label="Gender", hidden_from_reviewers=True)
    FormFieldFactory(cycle=cycle, key="statement", label="Statement", kind="long_text")
    technical = CriterionFactory(cycle=cycle, name="Technical", scale_min=1, scale_max=10,
                                 levels=[{"score": 7, "description": "Solid depth"}])  # fmt: skip
    teamwork = CriterionFactory(cycle=cycle, name="Teamwork", scale_min=1, scale_max=10)
    stage = StageFactory(cycle=cycle, key="panel", blind=True)
    me = ReviewerFactory(program=cycle.program, user=UserFactory(username="rev@example.org"))
    other = ReviewerFactory(program=cycle.program)
    apps = [ApplicationFactory(cycle=cycle, status=ApplicationStatus.IN_REVIEW,
                               submitted_at=timezone.now(), receipt=f"R-{i}",
                               answers={"full_name": f"Secret Name {i}", "gender": "x",
                                        "statement": f"I built rockets {i}."})
            for i in range(2)]  # fmt: skip
    mine = [Assignment.objects.create(reviewer=me, application=a, stage=stage,
                                      created_at=timezone.now()) for a in apps]  # fmt: skip
    theirs = Assignment.objects.create(reviewer=other, application=apps[0], stage=stage,
                                       created_at=timezone.now())  # fmt: skip
    client.force_login(me.user)
    return {"criteria": (technical, teamwork), "mine": mine, "theirs": theirs, "apps": apps,
            "me": me, "other": other}  # fmt: skip


def scores(panel, technical="7", teamwork="5", **extra):
    t, w = panel["criteria"]
    return {f"score-{t.pk}": technical, f"score-{w.pk}": teamwork, "confidence": "4",
            "comments": "Good.", **extra}  # fmt: skip


def test_the_queue_shows_my_assignments_and_progress(client, panel):
    page = client.get("/review/")
    html = page.content.decode()
    assert "0 of 2 reviewed" in html
    assert "R-0" in html
    assert "R-1" in html
    assert len(page.context["items"]) == 2


def test_blind_review_hides_identifying_and_hidden_answers(client, panel):
    html = client.get(f"/review/{panel['mine'][0].pk}/").content.decode()
    assert "I built rockets 0." in html
    assert "Secret Name" not in html
    assert "Gender" not in html
    assert "Solid depth" in html  # the rubric's level description beside its score


def test_bad_scores_are_named_and_nothing_is_saved(client, panel):
    url = f"/review/{panel['mine'][0].pk}/"
    t, w = panel["criteria"]
    page = client.post(url, scores(panel, technical="11", teamwork="x", action="save"))
    assert page.status_code == 422
    assert page.context["problems"] == {f"score-{t.pk}": "must be between 1 and 10",
                                        f"score-{w.pk}": "must be a whole number"}  # fmt: skip
    assert not Score.objects.exists()
    incomplete = client.post(url, scores(panel, teamwork="", action="submit"))
    assert incomplete.context["problems"] == {f"score-{w.pk}": "give a score to submit"}
    assert not Review.objects.filter(state=ReviewState.SUBMITTED).exists()


def test_draft_then_submit_then_the_next_and_no_more_changes(client, panel):
    first, second = panel["mine"]
    client.post(f"/review/{first.pk}/", scores(panel, action="save"))
    review = Review.objects.get(assignment=first)
    assert review.state == ReviewState.DRAFT
    assert sorted(review.scores.values_list("value", flat=True)) == [5, 7]
    done = client.post(f"/review/{first.pk}/", scores(panel, technical="8", action="submit"))
    assert done["Location"] == f"/review/{second.pk}/"
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    assert AuditEvent.objects.filter(verb="review.submitted").count() == 1
    again = client.post(f"/review/{first.pk}/", scores(panel, technical="2", action="submit"))
    assert again.status_code == 422
    assert sorted(review.scores.values_list("value", flat=True)) == [5, 8]
    assert "1 of 2 reviewed" in client.get("/review/").content.decode()


def test_others_scores_only_after_my_own(client, panel):
    theirs = Review.objects.create(assignment=panel["theirs"], state=ReviewState.SUBMITTED,
                                   submitted_at=timezone.now())  # fmt: skip
    t, _w = panel["criteria"]
    Score.objects.create(review=theirs, criterion=t, value=3, scale_min=1, scale_max=10)
    url = f"/review/{panel['mine'][0].pk}/"
    assert client.get(url).context["others"] == []
    client.post(url, scores(panel, action="submit"))
    assert client.get(url).context["others"] == [theirs]


def test_declaring_a_conflict_removes_the_assignment_and_tells_staff(client, panel):
    first = panel["mine"][0]
    refused = client.post(f"/review/{first.pk}/conflict/", {"reason": "  "}, follow=True)
    assert "say briefly how you know the applicant" in refused.content.decode()
    assert Assignment.objects.filter(pk=first.pk).exists()
    client.post(f"/review/{first.pk}/conflict/", {"reason": "She was my student"})
    assert not Assignment.objects.filter(pk=first.pk).exists()
    conflict = Conflict.objects.get()
    assert (conflict.reviewer, conflict.source) == (panel["me"], "declared")
    assert AuditEvent.objects.get(verb="conflict.declared").data["reason"] == "She was my student"


def test_nobody_opens_an_assignment_that_is_not_theirs(client, panel):
    theirs = panel["theirs"]
    assert client.get(f"/review/{theirs.pk}/").status_code == 404
    assert client.post(f"/review/{theirs.pk}/", scores(panel, action="submit")).status_code == 404
    assert client.post(f"/review/{theirs.pk}/conflict/", {"reason": "x"}).status_code == 404
    client.force_login(panel["apps"][0].applicant.user)
    assert client.get(f"/review/{panel['mine'][0].pk}/").status_code == 404
    assert client.get("/review/").context["items"] == []
    panel["apps"][1].status = ApplicationStatus.WITHDRAWN
    panel["apps"][1].save()
    client.force_login(panel["me"].user)
    assert client.get(f"/review/{panel['mine'][1].pk}/").status_code == 404


def test_earlier_applications_and_what_changed_when_the_stage_shows_them(client, panel):
    import datetime as dt

    from ascent.programs.domain.cycles import copy_cycle

    application = panel["apps"][0]
    cycle = application.cycle
    earlier = copy_cycle(cycle, name="Last year", slug="last-year",
                         opens_at=cycle.opens_at - dt.timedelta(days=365),
                         deadline=cycle.deadline - dt.timedelta(days=365))  # fmt: skip
    ApplicationFactory(cycle=earlier, applicant=application.applicant, status="not_selected",
                       submitted_at=timezone.now(),
                       answers={"full_name": "Secret Name 0", "statement": "I built kites."})  # fmt: skip
    url = f"/review/{panel['mine'][0].pk}/"
    assert client.get(url).context["history"] is None  # the stage does not show it
    stage = panel["mine"][0].stage
    stage.show_history = True
    stage.save()
    page = client.get(url)
    history = page.context["history"]
    assert history.earlier == [("Last year", "Not selected")]
    assert history.changes == [("Statement", "I built kites.", "I built rockets 0.")]
    assert "Secret Name" not in page.content.decode()  # still blind


def test_the_panel_reads_the_letters_and_the_visible_files_only(client, panel, settings, tmp_path):
    from ascent.applications.models import Reference

    settings.MEDIA_ROOT = tmp_path
    application = panel["apps"][0]
    Reference.objects.create(application=application, recommender_name="Dr. M",
                             recommender_email="m@example.org", relationship="mentor",
                             token_hash="9" * 64, requested_at=timezone.now(),
                             state="submitted", submitted_at=timezone.now(),
                             letter="She is the best pilot I trained.")  # fmt: skip
    Reference.objects.create(application=application, recommender_name="Dr. Draft",
                             recommender_email="d@example.org", relationship="other",
                             token_hash="8" * 64, requested_at=timezone.now(),
                             letter="Half-written")  # fmt: skip
    FormFieldFactory(cycle=application.cycle, key="cv", label="CV", kind="file")
    FormFieldFactory(cycle=application.cycle, key="passport", label="Passport", kind="file",
                     hidden_from_reviewers=True)  # fmt: skip
    application.answers |= {
        "cv": stored_file_answer(application, "cv", name="cv.pdf"),
        "passport": stored_file_answer(application, "passport", name="p.pdf"),
    }
    application.save()
    url = f"/review/{panel['mine'][0].pk}/"
    html = client.get(url).content.decode()
    assert "She is the best pilot I trained." not in html  # a blind stage hides letters
    Stage.objects.filter(key="panel").update(letters_when_blind=True)
    html = client.get(url).content.decode()
    assert "She is the best pilot I trained." in html
    assert "Half-written" not in html  # not submitted: not the panel's yet
    assert client.get(f"{url}files/cv/").status_code == 200
    assert client.get(f"{url}files/passport/").status_code == 404


def test_my_submitted_reviews_stay_readable_after_the_decision(client, panel):
    """Issue #16: after release the queue was empty and /review/<id>/ a 404."""
    first, second = panel["mine"]
    client.post(f"/review/{first.pk}/", scores(panel, action="submit"))
    client.post(f"/review/{second.pk}/", scores(panel, action="save"))  # a draft only
    for application in panel["apps"]:
        application.status = ApplicationStatus.NOT_SELECTED
        application.save()
    queue = client.get("/review/")
    assert [a.pk for a in queue.context["past"]] == [first.pk]  # not the unfinished draft
    assert "Reviewed earlier (1)" in queue.content.decode()
    assert '<details class="past-reviews">' in queue.content.decode()  # folded below the work
    page = client.get(f"/review/{first.pk}/")
    assert page.status_code == 200
    assert "You submitted this review." in page.content.decode()
    assert "Secret Name" not in page.content.decode()  # still as blind as the stage was
    changed = client.post(f"/review/{first.pk}/", scores(panel, technical="1", action="submit"))
    assert changed.status_code == 422
    assert sorted(Review.objects.get(assignment=first).scores.values_list("value", flat=True)) == [
        5, 7]  # fmt: skip
    assert client.get(f"/review/{second.pk}/").status_code == 404
    client.post(f"/review/{first.pk}/conflict/", {"reason": "I know her"})
    assert Assignment.objects.filter(pk=first.pk).exists()
    client.force_login(panel["other"].user)
    assert client.get(f"/review/{first.pk}/").status_code == 404
