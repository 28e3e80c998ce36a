"""Screening a cycle: stored explanations, statuses, re-runs, overrides, jobs."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ascent.applications.domain.errors import ApplicationError
from ascent.applications.domain.screening import override_eligibility, screen_cycle
from ascent.applications.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Eligibility,
)
from ascent.applications.tasks import start_screening
from ascent.cli.world_loader import load_world
from ascent.common.models import AuditEvent, Job
from ascent.programs.domain.errors import ProgramError
from ascent.programs.models import Cycle, Requirement
from tests.factories import ApplicationFactory, CycleFactory, FormFieldFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus
HOURS = {"field": "jet_hours", "op": ">=", "value": 1000, "label": "jet time", "unit": "h"}
CITIZEN = {"field": "citizenship", "op": "in", "value": ["FR", "DE"]}


@pytest.fixture
def cycle():
    cycle = CycleFactory()
    FormFieldFactory(cycle=cycle, key="jet_hours", kind="number", required=False)
    FormFieldFactory(cycle=cycle, key="citizenship", kind="choice",
                     choices=[{"value": "FR", "label": "France"}, {"value": "DE", "label": "Germany"},
                              {"value": "US", "label": "United States"}])  # fmt: skip
    Requirement.objects.create(cycle=cycle, key="hours", name="Jet time", rule=HOURS, position=1)
    Requirement.objects.create(cycle=cycle, key="citizen", name="Citizenship", rule=CITIZEN,
                               position=2)  # fmt: skip
    return cycle


SUBMITTED_AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def submitted(cycle, **answers):
    return ApplicationFactory(cycle=cycle, status=S.SUBMITTED, answers=answers,
                              submitted_at=SUBMITTED_AT)  # fmt: skip


def test_results_are_stored_with_explanations_and_statuses_follow(cycle):
    good = submitted(cycle, jet_hours=1200, citizenship="FR")
    short = submitted(cycle, jet_hours=650, citizenship="DE")
    neither = submitted(cycle, citizenship="US")
    draft = ApplicationFactory(cycle=cycle, status=S.DRAFT, answers={"jet_hours": 5})

    summary = screen_cycle(cycle)

    assert (summary.applications, summary.eligible, summary.ineligible) == (3, 1, 2)
    assert summary.failed_by_requirement == {"hours": 2, "citizen": 1}
    assert summary.moved == {"submitted→in_review": 1, "submitted→ineligible": 2}
    for application, status in [(good, S.IN_REVIEW), (short, S.INELIGIBLE),
                                (neither, S.INELIGIBLE), (draft, S.DRAFT)]:  # fmt: skip
        application.refresh_from_db()
        assert application.status == status
    result = Eligibility.objects.get(application=short)
    assert (result.eligible, result.failed, result.is_eligible) == (False, ["hours"], False)
    hours = result.explanation[0]
    assert hours["key"] == "hours"
    assert hours["passed"] is False
    assert "650 of the 1,000 h of jet time required" in hours["explanation"]["text"]
    assert hours["explanation"]["missing"] == 350
    assert Eligibility.objects.get(application=neither).failed == ["hours", "citizen"]
    assert not Eligibility.objects.filter(application=draft).exists()
    assert str(result.screened_on) == "2026-03-31"  # the deadline's day
    change = ApplicationTransition.objects.get(application=short)
    assert (change.from_status, change.to_status, change.reason) == (S.SUBMITTED, S.INELIGIBLE,
                                                                     "screening")  # fmt: skip
    event = AuditEvent.objects.get(verb="cycle.screened")
    assert event.data["eligible"] == 1
    assert event.target_id == str(cycle.pk)


def test_rerunning_replaces_results_and_moves_only_what_changed(cycle):
    good = submitted(cycle, jet_hours=1200, citizenship="FR")
    short = submitted(cycle, jet_hours=650, citizenship="FR")
    screen_cycle(cycle)
    again = screen_cycle(cycle)
    assert again.moved == {}
    assert Eligibility.objects.filter(application__cycle=cycle).count() == 2
    assert ApplicationTransition.objects.filter(application__in=[good, short]).count() == 2

    Requirement.objects.filter(key="hours").update(rule={**HOURS, "value": 500})
    Requirement.objects.filter(key="citizen").update(rule={**CITIZEN, "value": ["DE"]})
    third = screen_cycle(cycle)
    assert third.moved == {"in_review→ineligible": 1}
    good.refresh_from_db()
    short.refresh_from_db()
    assert good.status == S.INELIGIBLE
    assert short.status == S.INELIGIBLE


def test_decided_applications_keep_their_status_but_are_counted(cycle):
    chosen = ApplicationFactory(cycle=cycle, status=S.SELECTED, answers={"jet_hours": 10},
                                submitted_at=SUBMITTED_AT)  # fmt: skip
    summary = screen_cycle(cycle)
    chosen.refresh_from_db()
    assert chosen.status == S.SELECTED
    assert summary.decided_now_ineligible == 1


def test_an_override_moves_the_status_and_survives_rescreening(cycle):
    staff = UserFactory()
    short = submitted(cycle, jet_hours=950, citizenship="FR")
    screen_cycle(cycle)
    short.refresh_from_db()
    assert short.status == S.INELIGIBLE

    override_eligibility(short, eligible=True, reason="950 h plus 200 h on the simulator",
                         by=staff)  # fmt: skip
    short.refresh_from_db()
    assert short.status == S.IN_REVIEW
    summary = screen_cycle(cycle)
    short.refresh_from_db()
    result = Eligibility.objects.get(application=short)
    assert (short.status, result.eligible, result.override, result.overridden_by) == (
        S.IN_REVIEW, False, True, staff)  # fmt: skip
    assert summary.overridden == 1
    assert summary.eligible == 1
    assert AuditEvent.objects.filter(verb="application.eligibility_overridden").count() == 1

    override_eligibility(short, eligible=None, reason="", by=staff)
    short.refresh_from_db()
    assert short.status == S.INELIGIBLE


def test_an_override_needs_a_reason_and_a_screened_application(cycle):
    short = submitted(cycle, jet_hours=950, citizenship="FR")
    with pytest.raises(ApplicationError, match="not been screened"):
        override_eligibility(short, eligible=True, reason="because", by=None)
    screen_cycle(cycle)
    with pytest.raises(ApplicationError, match="override_reason") as caught:
        override_eligibility(short, eligible=True, reason="  ", by=None)
    assert caught.value.problems == [("override_reason", "say why the rules are overruled")]
    assert Eligibility.objects.get(application=short).override is None
    result = Eligibility.objects.get(application=short)
    result.override = False
    with pytest.raises(ValidationError, match="Say why"):
        result.full_clean()


def test_a_rule_broken_by_a_form_change_stops_screening_before_any_write(cycle):
    application = submitted(cycle, jet_hours=1200, citizenship="FR")
    cycle.form_fields.filter(key="jet_hours").delete()
    with pytest.raises(ProgramError, match="requirement 'hours' no longer fits the form") as caught:
        screen_cycle(cycle)
    assert caught.value.problems == [
        ("field", "'jet_hours' is not a field of this form (known: citizenship)")
    ]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert not Eligibility.objects.exists()


def test_a_requirement_with_a_bad_rule_is_refused_with_the_path(cycle):
    bad = Requirement(cycle=cycle, key="age", name="Age",
                      rule={"all": [CITIZEN, {"field": "jet_hours", "op": ">=", "value": "lots"}]})  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        bad.full_clean()
    messages = caught.value.message_dict["rule"]
    assert any(m.startswith("all[1].value:") for m in messages), messages


def test_the_job_runs_screening_and_reports_progress_and_result(cycle):
    submitted(cycle, jet_hours=1200, citizenship="FR")
    job = start_screening(cycle, by=UserFactory())
    job.refresh_from_db()
    assert job.state == "done"
    assert job.kind == "screening"
    assert job.result["eligible"] == 1
    assert job.done == job.total > 0
    assert job.started_at
    assert job.finished_at


def test_a_failing_job_keeps_the_message_for_people(cycle):
    submitted(cycle, jet_hours=1200, citizenship="FR")
    cycle.form_fields.filter(key="citizenship").delete()
    job = start_screening(cycle)
    job.refresh_from_db()
    assert job.state == "failed"
    assert "requirement 'citizen' no longer fits the form" in job.error
    assert Job.objects.count() == 1


def test_screening_the_world_agrees_with_the_world(small_world):
    load_world(small_world)
    last = small_world.cycles[-1]
    cycle = Cycle.objects.get(slug=last.slug)
    # Reopen the cycle: every application back to submitted, as on deadline day.
    Application.objects.filter(cycle=cycle).update(status=S.SUBMITTED)
    screen_cycle(cycle)
    failed = list(
        Eligibility.objects.filter(application__cycle=cycle)
        .order_by("application_id")
        .values_list("failed", flat=True)
    )
    assert failed == [list(f) for f in last.failed]
    assert sum(not f for f in failed) == int(last.eligible.sum())
    statuses = list(Application.objects.filter(cycle=cycle).order_by("pk")
                    .values_list("status", flat=True))  # fmt: skip
    assert statuses == [S.IN_REVIEW if ok else S.INELIGIBLE for ok in last.eligible]


def test_failed_requirements_are_counted_in_the_database(open_cycle):
    from django.utils import timezone

    from ascent.applications.domain.queries import failed_requirement_counts
    from ascent.applications.models import Eligibility
    from tests.factories import ApplicationFactory, CycleFactory

    now = timezone.now()

    def screened(cycle, eligible, failed):
        Eligibility.objects.create(application=ApplicationFactory(cycle=cycle, status="submitted",
                                                                  submitted_at=now),
                                   eligible=eligible, failed=failed, screened_on=now.date(),
                                   rules_digest="x", screened_at=now)  # fmt: skip

    screened(open_cycle, False, ["hours", "age"])
    screened(open_cycle, False, ["hours"])
    screened(open_cycle, True, [])
    screened(CycleFactory(), False, ["hours"])  # another cycle's
    assert failed_requirement_counts(open_cycle) == {"hours": 2, "age": 1}
