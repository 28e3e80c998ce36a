"""A plan between cycles (issue #14, section 4): goals from the gap report, check-ins,
the reminders when the next cycle opens; notes from supporters (section 5)."""

import datetime as dt

import pytest
from django.utils import timezone

from ascent.applications.domain.plans import send_reminders
from ascent.applications.models import CheckIn, Goal, Reminder, SupporterNote
from ascent.decisions.models import Decision
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.models import CycleState

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(client, reopened):
    decision = (Decision.objects.filter(outcome="not_selected", released_at__isnull=False)
                .exclude(gap={}).select_related("application__applicant__user", "cycle__program")
                .order_by("-cycle__deadline", "rank").first())  # fmt: skip
    client.force_login(decision.application.applicant.user)
    return decision


def test_the_gap_report_becomes_goals_that_can_be_changed_and_removed(client, reviewed):
    program = reviewed.cycle.program
    client.post(f"/journey/plan/{program.pk}/goals/", {"from_gap": reviewed.pk})
    raising = [a for a in reviewed.gap["advice"] if a["to"] > a["from"]]
    goals = list(Goal.objects.filter(applicant=reviewed.application.applicant))
    assert len(goals) == len(raising) > 0
    assert {g.criterion_key for g in goals} == {a["criterion"] for a in raising}
    page = client.get("/journey/").content.decode()
    assert goals[0].title in page
    # Made in English, read in Spanish: the sentence, the criterion and its advice.
    spanish = client.get("/journey/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert all(
        f"<strong>{g.title}</strong>" not in spanish for g in goals
    )  # (kept, hidden, as stored)
    assert "Subir " in spanish
    assert "Pericia técnica" in spanish or "Experiencia operativa" in spanish
    again = client.post(f"/journey/plan/{program.pk}/goals/", {"from_gap": reviewed.pk})
    assert again.status_code == 302
    assert again["Location"] == "/journey/"  # stays at the top, where it says so
    assert Goal.objects.count() == len(goals)  # the same goals are not made twice
    said = client.get("/journey/").content.decode()
    assert "No new goal: your plan already has one" in said

    goal = goals[0]
    bad = client.post(f"/journey/goals/{goal.pk}/", {"title": goal.title,
                                                     "target_date": "2031-02-30",
                                                     "target_level": "99", "note": "Night school"})  # fmt: skip
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "must be a date written YYYY-MM-DD" in html
    assert "must be from" in html  # the level beyond the criterion's scale
    assert "Night school" in html  # what was typed is shown again
    goal.refresh_from_db()
    assert goal.note != "Night school"  # nothing saved in part
    client.post(f"/journey/goals/{goal.pk}/", {"title": goal.title, "target_date": "2027-06-01",
                                               "target_level": "8", "note": "Night school",
                                               "done": "1"})  # fmt: skip
    goal.refresh_from_db()
    assert (goal.note, goal.target_date, goal.done_at is not None) == (
        "Night school", dt.date(2027, 6, 1), True)  # fmt: skip
    assert goal.title_message is not None  # the title was kept: still read in each language
    client.post(f"/journey/goals/{goal.pk}/", {"title": "My own words", "target_date": "2027-06-01",
                                               "note": "Night school"})  # fmt: skip
    goal.refresh_from_db()
    assert (goal.title, goal.title_message) == ("My own words", None)
    asked = client.get(f"/journey/goals/{goal.pk}/remove/")
    assert "Remove this goal?" in asked.content.decode()
    client.post(f"/journey/goals/{goal.pk}/remove/")  # no confirmation: nothing happens
    assert Goal.objects.filter(pk=goal.pk).exists()
    client.post(f"/journey/goals/{goal.pk}/remove/", {"confirm": "yes"})
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_a_check_in_keeps_a_note_and_levels_and_refuses_a_level_off_the_scale(client, reviewed):
    program = reviewed.cycle.program
    key = reviewed.gap["criteria"][0]
    url = f"/journey/plan/{program.pk}/check-in/"
    refused = client.post(url, {"note": "Flew 40 hours", f"level.{key}": "11"})
    assert refused.status_code == 422
    assert "must be from 1 to 10" in refused.content.decode()
    assert "Flew 40 hours" in refused.content.decode()
    assert not CheckIn.objects.exists()
    assert client.post(url, {"note": " "}).status_code == 422  # nothing at all to keep
    client.post(url, {"note": "Flew 40 hours", f"level.{key}": "7.5"})
    entry = CheckIn.objects.get()
    assert (entry.note, entry.levels) == ("Flew 40 hours", {key: 7.5})
    assert "Flew 40 hours" in client.get("/journey/").content.decode()


def test_when_the_next_cycle_opens_earlier_applicants_hear_once_and_again_at_a_fortnight(
    reviewed, mailoutbox, django_capture_on_commit_callbacks
):
    last = reviewed.cycle
    now = timezone.now()
    following = copy_cycle(last, name="Next call", slug="next-call", opens_at=now - dt.timedelta(days=1),
                           deadline=now + dt.timedelta(days=40), state=CycleState.OPEN)  # fmt: skip
    applicant = reviewed.application.applicant
    Goal.objects.create(applicant=applicant, program=last.program, title="Log 300 jet hours")
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_reminders(now)
    assert sent["opened"] >= 1
    mine = [m for m in mailoutbox if m.to == [applicant.user.email]]
    assert len(mine) == 1
    assert "Next call is open: start from your last application" in mine[0].subject
    assert "Log 300 jet hours" in mine[0].body  # the plan
    assert "points below the cutoff" in mine[0].body  # the distance
    assert f"/programs/{last.program.slug}/next-call/" in mine[0].body
    assert send_reminders(now) == {"opened": 0, "fortnight": 0}  # once
    late = following.deadline - dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(late)
    assert Reminder.objects.filter(applicant=applicant, kind="fortnight").count() == 1
    assert "Two weeks left" in [m for m in mailoutbox if m.to == [applicant.user.email]][-1].subject


def test_the_applicant_hides_a_note(client, reviewed):
    from ascent.applications.domain.links import new_token
    from ascent.applications.models import Supporter

    supporter = Supporter.objects.create(applicant=reviewed.application.applicant, name="Teacher",
                                         email="t@example.org", token_hash=new_token()[1],
                                         invited_at=timezone.now())  # fmt: skip
    note = SupporterNote.objects.create(supporter=supporter, text="Keep going, you are close.")
    assert "Keep going, you are close." in client.get("/journey/").content.decode()
    client.post(f"/journey/notes/{note.pk}/hide/")
    page = client.get("/journey/").content.decode()
    assert "Keep going, you are close." not in page
    assert "A note from Teacher (hidden)" in page
