import itertools

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from ascent.applications.models import (
    Application,
    ApplicationStatus,
    Eligibility,
    Reference,
    Supporter,
)
from ascent.cli import world_loader
from ascent.cli.world_loader import (
    WorldExists,
    delete_world_program,
    expected_rows,
    load_world,
)
from ascent.common.models import AuditEvent
from ascent.decisions.domain.deciding import decide_cycle, release_decisions
from ascent.decisions.models import Decision
from ascent.engine.world import OUTCOMES
from ascent.programs.models import Cycle, CycleState, Program
from ascent.review.models import Assignment, Review, Score

pytestmark = pytest.mark.django_db


def test_the_loaded_world_matches_the_generated_one(small_world):
    seen = []
    summary = load_world(small_world, progress=lambda what, n: seen.append(n))
    assert sum(seen) == summary.total_rows == expected_rows(small_world)
    cycles = list(Cycle.objects.order_by("opens_at"))
    assert [c.slug for c in cycles] == [c.slug for c in small_world.cycles]
    assert [c.state for c in cycles] == [CycleState.ARCHIVED] * 2 + [CycleState.CLOSED]
    for cycle, wc in zip(cycles, small_world.cycles, strict=True):
        assert cycle.applications.count() == len(wc.person)
        assert Review.objects.filter(assignment__application__cycle=cycle).count() == len(wc.scores)
        stored = Score.objects.filter(review__assignment__application__cycle=cycle)
        assert sorted(stored.values_list("value", flat=True)) == sorted(wc.scores.ravel().tolist())
        # screened by the product's rules engine, each explanation stored
        assert Eligibility.objects.filter(application__cycle=cycle).count() == len(wc.person)
        eligible = cycle.applications.filter(eligibility__eligible=True).count()
        assert eligible == int(np.count_nonzero(wc.eligible))
    past = Application.objects.exclude(cycle=cycles[-1])
    assert Decision.objects.count() == past.count()  # the last cycle waits for staff
    assert not Decision.objects.filter(application__cycle=cycles[-1]).exists()
    assert not cycles[-1].applications.exclude(
        status__in=[ApplicationStatus.IN_REVIEW, ApplicationStatus.INELIGIBLE]).exists()  # fmt: skip
    assert Reference.objects.count() == 2 * Application.objects.count()


def test_past_cycles_are_decided_by_the_products_pipeline_as_the_world_decided(small_world):
    """The world decides with engine.pipeline; the loader with decide_cycle on what it
    stored. Both must agree on every outcome and composite; the panel's raw mean
    (the world's old selection) is only a cross-check."""
    load_world(small_world)
    for wc in small_world.cycles[:-1]:
        stored = list(Application.objects.filter(cycle__slug=wc.slug).order_by("pk")
                      .select_related("decision"))  # fmt: skip
        assert [OUTCOMES[o] for o in wc.outcome] == [a.decision.outcome for a in stored]
        assert [a.status for a in stored] == [OUTCOMES[o] for o in wc.outcome]
        for a, composite in zip(stored, wc.composite, strict=True):
            if not np.isnan(composite):
                assert a.decision.composite == pytest.approx(composite, abs=1e-9)
                assert a.decision.p_selected is not None
                assert a.decision.stderr > 0
        assert all(a.decision.released_at is not None for a in stored)
        not_selected = [a for a in stored if a.decision.outcome in ("not_selected", "waitlisted")]
        assert all(a.decision.gap.get("targets") is not None for a in not_selected)
        ineligible = [a for a in stored if a.decision.outcome == "ineligible"]
        assert ineligible
        assert all(a.decision.gap.get("failed_requirements") for a in ineligible)
        # calibration changes some outcomes against the raw mean, but not most of them
        raw = set(np.argsort(-np.nan_to_num(wc.raw_composite, nan=-1e9))[: len(wc.selected)])
        assert len(raw & set(wc.selected.tolist())) >= len(wc.selected) // 2


def test_the_ready_cycle_selects_the_persona_when_staff_decide_it(small_world):
    load_world(small_world)
    cycle = Cycle.objects.get(slug=small_world.cycles[-1].slug)
    decide_cycle(cycle, draws=50)
    release_decisions(cycle)
    persona = get_user_model().objects.get(email="maya.castellanos@example.org").applicant
    assert persona.applications.get(cycle=cycle).status == ApplicationStatus.SELECTED
    earlier = persona.applications.exclude(cycle=cycle)
    assert not earlier.filter(status=ApplicationStatus.SELECTED).exists()


def test_answers_and_outcomes_are_stored_per_application(small_world):
    load_world(small_world)
    wc = small_world.cycles[1]
    stored = list(Application.objects.filter(cycle__slug=wc.slug).order_by("receipt"))
    for i in (0, 7, len(stored) - 1):
        assert stored[i].answers == wc.answers[i]
        assert stored[i].decision.outcome == OUTCOMES[wc.outcome[i]]
    assert (
        stored[0].transitions.order_by("at", "pk").first().to_status == ApplicationStatus.SUBMITTED
    )


def test_a_returning_applicant_links_to_the_last_application(small_world):
    load_world(small_world)
    persona = get_user_model().objects.get(email="maya.castellanos@example.org").applicant
    journey = list(persona.applications.order_by("cycle__opens_at"))
    assert len(journey) == len(small_world.cycles)
    assert journey[0].previous is None
    assert all(b.previous_id == a.pk for a, b in itertools.pairwise(journey))
    assert journey[-1].status == ApplicationStatus.IN_REVIEW  # staff decide the last cycle
    letters = Reference.objects.filter(application=journey[-1])
    assert {r.recommender_name for r in letters} == {"Tomás Rivera", "Amara Nwosu"}
    assert all(r.previous is not None for r in letters)
    assert Supporter.objects.filter(applicant=persona).count() == 3


def test_no_assignment_crosses_a_declared_conflict(small_world):
    load_world(small_world)
    assert Assignment.objects.exists()
    crossing = Assignment.objects.filter(reviewer__conflicts__applicant=F("application__applicant"))
    assert not crossing.exists()
    colleagues = Assignment.objects.filter(
        reviewer__organisation=F("application__applicant__organisation")
    )
    assert not colleagues.exists()


def test_loading_twice_is_refused(small_world):
    load_world(small_world)
    with pytest.raises(WorldExists, match="already in the database; use --replace"):
        load_world(small_world)
    assert Program.objects.count() == 1


def test_a_failure_half_way_leaves_nothing_behind(small_world, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(world_loader._Loader, "_references", fail)
    with pytest.raises(RuntimeError):
        load_world(small_world)
    assert not Program.objects.exists()
    assert not Application.objects.exists()
    assert not get_user_model().objects.exists()


def test_replacing_deletes_the_world_but_keeps_staff(small_world):
    load_world(small_world)
    staff = get_user_model().objects.create_user("staff@example.org", is_staff=True)
    assert delete_world_program() is True
    assert not Program.objects.exists()
    assert list(get_user_model().objects.all()) == [staff]
    assert AuditEvent.objects.filter(verb="world.deleted").exists()
    assert delete_world_program() is False


def test_the_composite_is_stored_with_the_rank(small_world):
    load_world(small_world)
    wc = small_world.cycles[1]
    best = Decision.objects.get(application__cycle__slug=wc.slug, rank=1)
    assert best.composite == pytest.approx(np.nanmax(wc.composite), abs=1e-4)
    assert best.outcome == "selected"
