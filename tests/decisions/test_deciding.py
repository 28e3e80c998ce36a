"""Deciding a cycle on the database: stored, unreleased, reproducible, with gap reports."""

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascent.applications.models import Application, ApplicationStatus
from ascent.common.models import AuditEvent
from ascent.decisions.domain.deciding import decide_cycle, reproduce_run
from ascent.decisions.domain.errors import DecisionError
from ascent.decisions.models import Decision, DecisionRun, Outcome
from ascent.decisions.tasks import start_decision
from ascent.programs.models import Quota
from ascent.review.models import Review

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def cycle(reopened):
    return reopened


def test_a_cycle_is_decided_and_stored_unreleased(cycle):
    in_review = Application.objects.filter(cycle=cycle, status=S.IN_REVIEW).count()
    summary = decide_cycle(cycle, draws=200)

    decisions = Decision.objects.filter(application__cycle=cycle)
    assert decisions.filter(outcome=Outcome.SELECTED).count() == cycle.capacity == 4
    assert decisions.filter(outcome=Outcome.WAITLISTED).count() == 2
    assert decisions.exclude(outcome=Outcome.INELIGIBLE).count() == in_review
    assert decisions.filter(released_at__isnull=False).count() == 0
    assert Application.objects.filter(cycle=cycle, status=S.IN_REVIEW).count() == in_review
    assert len(summary.selected) == 4
    assert 0 < summary.expected_overlap <= 1
    selected = decisions.filter(outcome=Outcome.SELECTED)
    assert min(d.composite for d in selected) == pytest.approx(summary.cutoff, abs=1e-4)
    assert all(0 <= d.p_selected <= 1 and d.stderr > 0 for d in selected)
    run = DecisionRun.objects.get(cycle=cycle)
    assert run.inputs_digest == summary.inputs_digest
    assert run.parameters["draws"] == 200
    # the loaded past cycles were decided once each by the same pipeline, then this one
    assert AuditEvent.objects.filter(verb="cycle.decided", target_id=str(cycle.pk)).count() == 1


def test_every_gap_report_reaches_the_cutoff_when_followed(cycle):
    decide_cycle(cycle, draws=100)
    weights = np.array(list(cycle.criteria.order_by("position", "id").values_list("weight",
                                                                                    flat=True)))  # fmt: skip
    reports = [d.gap for d in Decision.objects.filter(application__cycle=cycle,
                                                      outcome__in=[Outcome.NOT_SELECTED,
                                                                   Outcome.WAITLISTED])]  # fmt: skip
    assert reports
    for gap in reports:
        assert gap["distance"] >= 0
        assert gap["criteria"]
        if gap["reachable"]:
            assert np.dot(gap["targets"], weights) >= gap["cutoff"] - 1e-6
        if gap["distance"] > 0:
            assert gap["advice"], gap
            assert {"name", "from", "to", "advice"} <= set(gap["advice"][0])


def test_a_run_reproduces_from_its_stored_inputs_and_reruns_replace(cycle):
    first = decide_cycle(cycle, draws=100, seed=3)
    run = DecisionRun.objects.get(pk=first.run)
    _fit, sel, checked, _reports = reproduce_run(run)
    receipts = dict(Application.objects.filter(cycle=cycle).values_list("pk", "receipt"))
    order = list(Application.objects.filter(cycle=cycle, status=S.IN_REVIEW).order_by("pk")
                 .values_list("pk", flat=True))  # fmt: skip
    assert [receipts[order[i]] for i in sel.selected] == first.selected
    stored = Decision.objects.get(application_id=order[sel.selected[0]])
    assert stored.p_selected == pytest.approx(checked.p_selected[sel.selected[0]])

    count = Decision.objects.count()
    second = decide_cycle(cycle, draws=100, seed=3)
    assert Decision.objects.count() == count
    assert second.selected == first.selected
    assert second.inputs_digest == first.inputs_digest
    assert DecisionRun.objects.filter(cycle=cycle).count() == 2


def test_quotas_are_honoured_and_impossible_ones_say_why(cycle):
    answers = Application.objects.filter(cycle=cycle, status=S.IN_REVIEW).values_list(
        "answers__citizenship", flat=True)  # fmt: skip
    counts = {}
    for code in answers:
        counts[code] = counts.get(code, 0) + 1
    rare = min(counts, key=lambda c: (counts[c], c))
    Quota.objects.create(cycle=cycle, field="citizenship", value=rare, minimum=1)
    summary = decide_cycle(cycle, draws=50)
    assert summary.quotas[rare] >= 1
    Quota.objects.filter(cycle=cycle).update(minimum=counts[rare] + 1)
    with pytest.raises(DecisionError, match=f"quota '{rare}' needs {counts[rare] + 1}, only "
                                            f"{counts[rare]} eligible"):  # fmt: skip
        decide_cycle(cycle, draws=50)


def test_a_quota_must_name_a_choice_of_one_field(cycle):
    with pytest.raises(ValidationError, match="Name a choice field"):
        Quota(cycle=cycle, field="full_name", value="x", minimum=1).full_clean()
    with pytest.raises(ValidationError, match="Not a choice of that field"):
        Quota(cycle=cycle, field="citizenship", value="Atlantis", minimum=1).full_clean()
    Quota.objects.create(cycle=cycle, field="citizenship", value="US", minimum=1)
    with pytest.raises(ValidationError, match="All quotas of a cycle use one field"):
        Quota(cycle=cycle, field="medical_class", value="class_1", minimum=1).full_clean()


def test_released_decisions_and_missing_reviews_stop_the_run(cycle):
    first = Application.objects.filter(cycle=cycle, status=S.IN_REVIEW).order_by("pk").first()
    Review.objects.filter(assignment__application=first).update(state="draft")
    with pytest.raises(DecisionError, match="1 applications in review have no submitted review"):
        decide_cycle(cycle)
    Review.objects.filter(assignment__application=first).update(state="submitted")
    decide_cycle(cycle, draws=20)
    Decision.objects.filter(application__cycle=cycle).update(released_at=timezone.now())
    with pytest.raises(DecisionError, match="were released on"):
        decide_cycle(cycle)


def test_the_job_decides_and_reports(cycle):
    job = start_decision(cycle, draws=50, seed=1)
    job.refresh_from_db()
    assert job.state == "done"
    assert len(job.result["selected"]) == 4
    Decision.objects.update(released_at=timezone.now())
    failed = start_decision(cycle)
    failed.refresh_from_db()
    assert failed.state == "failed"
    assert "were released on" in failed.error


def test_releasing_moves_statuses_and_shows_the_journey(cycle, client):
    from ascent.applications.domain.drafts import applicant_of
    from ascent.applications.domain.journey import journey_of
    from ascent.decisions.domain.deciding import release_decisions

    with pytest.raises(DecisionError, match="no unreleased decision"):
        release_decisions(cycle)
    decide_cycle(cycle, draws=50)
    moved = release_decisions(cycle)
    assert moved["in_review→selected"] == 4
    assert Application.objects.filter(cycle=cycle, status=S.IN_REVIEW).count() == 0
    with pytest.raises(DecisionError):
        release_decisions(cycle)

    loser = (Decision.objects.filter(application__cycle=cycle, outcome=Outcome.NOT_SELECTED)
             .select_related("application__applicant__user").order_by("rank").first())  # fmt: skip
    steps = journey_of(applicant_of(loser.application.applicant.user))
    last = steps[-1]
    assert last.released
    assert last.distance == pytest.approx(loser.gap["distance"], abs=1e-6)
    assert last.advice == loser.gap["advice"]
    client.force_login(loser.application.applicant.user)
    html = client.get("/journey/").content.decode()
    assert "Your plan: what would most likely close the gap" in html
    assert "points below the cutoff" in html
