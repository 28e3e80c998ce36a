"""Gap reports: the least-effort plan really reaches the cutoff, and nothing cheaper does."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ascent.engine.astronaut import CRITERIA
from ascent.engine.calibration import calibrate
from ascent.engine.gap import GapError, advice_for, gap_change, gap_reports
from ascent.engine.selection import audit, select
from ascent.engine.world import generate_world


@pytest.fixture(scope="module")
def cycle_fit():
    world = generate_world(seed=4, cycles=2, applicants_per_cycle=1200, reviewers=80)
    fits = []
    for cycle in world.cycles:
        k = len(world.criteria)
        fits.append(calibrate(
            np.repeat(cycle.review_application, k), np.repeat(cycle.review_reviewer, k),
            np.tile(np.arange(k), len(cycle.review_application)),
            cycle.scores.ravel().astype(float), n_applications=len(cycle.person),
            n_reviewers=len(world.reviewers.name), n_criteria=k,
        ))  # fmt: skip
    return world, fits


def reports_for(world, cycle, fit, **options):
    eligible = cycle.eligible & (fit.n_reviews > 0)
    sel = select(fit.composite(world.weights), 12, eligible=eligible)
    return sel, gap_reports(fit, world.weights, sel, **options)


def test_one_report_per_eligible_application_not_selected(cycle_fit):
    world, fits = cycle_fit
    cycle, fit = world.cycles[0], fits[0]
    sel, reports = reports_for(world, cycle, fit)
    expected = np.flatnonzero(sel.eligible & ~sel.is_selected)
    assert [r.application for r in reports] == expected.tolist()
    for r in reports[:50]:
        assert r.distance == pytest.approx(max(0.0, sel.cutoff - r.composite))
        assert r.distance >= 0
        assert 0 <= r.percentile < 100
        assert np.allclose(r.cohort_min, fit.merit[sel.selected].min(axis=0))


def test_applying_the_plan_crosses_the_cutoff_within_the_scale(cycle_fit):
    world, fits = cycle_fit
    sel, reports = reports_for(world, world.cycles[0], fits[0])
    for r in reports:
        assert np.all(r.targets >= np.clip(r.merit, 1, 10) - 1e-9)
        assert np.all(r.targets <= 10 + 1e-9)
        if r.reachable:
            assert r.targets @ world.weights >= sel.cutoff - 1e-6
            assert np.all(r.target_levels >= np.floor(r.targets - 1e-9))
        else:
            assert np.allclose(r.targets, 10)


@settings(max_examples=120, deadline=None)
@given(
    merit=st.lists(st.floats(1, 10), min_size=3, max_size=3),
    weights=st.lists(st.floats(0.05, 1), min_size=3, max_size=3),
    effort=st.lists(st.floats(0.1, 5), min_size=3, max_size=3),
    cutoff_share=st.floats(0.1, 0.99),
)
def test_the_plan_is_the_least_effort_linear_programme(merit, weights, effort, cutoff_share):
    from ascent.engine.gap import _least_effort

    x, w, e = np.array([merit]), np.array(weights), np.array(effort)
    cutoff = cutoff_share * 10 * w.sum()
    targets, reachable = _least_effort(x, w, e, cutoff, 10.0)
    lp = linprog(e, A_ub=[-w], b_ub=[-cutoff], bounds=list(zip(x[0], [10.0] * 3, strict=True)),
                 method="highs")  # fmt: skip
    assert reachable[0] == (lp.status == 0)
    if lp.status == 0:
        assert e @ targets[0] == pytest.approx(e @ lp.x, abs=1e-6)
        assert targets[0] @ w >= cutoff - 1e-7


def test_cheaper_criteria_are_raised_first():
    from ascent.engine.gap import _least_effort

    x = np.array([[5.0, 5.0]])
    targets, _ = _least_effort(x, np.array([1.0, 1.0]), np.array([3.0, 1.0]), 12.0, 10.0)
    assert targets.tolist() == [[5.0, 7.0]]  # only the cheap one moves


def test_the_audit_fills_in_the_probability_and_advice_uses_the_rubric(cycle_fit):
    world, fits = cycle_fit
    cycle, fit = world.cycles[0], fits[0]
    eligible = cycle.eligible & (fit.n_reviews > 0)
    sel = select(fit.composite(world.weights), 12, eligible=eligible)
    checked = audit(fit, world.weights, 12, eligible=eligible, draws=100)
    reports = gap_reports(fit, world.weights, sel, audit=checked)
    close = min(reports, key=lambda r: r.distance)
    assert close.p_selected == checked.p_selected[close.application]
    plan = advice_for(close, CRITERIA)
    assert plan
    assert plan[0]["advice"]
    assert plan[0]["to"] >= plan[0]["from"]
    assert close.to_dict()["application"] == close.application


def test_advice_rounds_outward_so_a_small_rise_still_shows(cycle_fit):
    world, fits = cycle_fit
    _sel, reports = reports_for(world, world.cycles[0], fits[0])
    k = len(CRITERIA)
    merit, targets = np.full(k, 3.0), np.full(k, 3.0)
    merit[0], targets[0] = 4.96, 5.04  # "from 5.0 to 5.0" if both were rounded
    merit[1], targets[1] = 3.0, 3.5
    report = replace(reports[0], merit=merit, targets=targets,
                     target_levels=np.ceil(targets - 1e-9).astype(int))  # fmt: skip
    plan = {item["criterion"]: (item["from"], item["to"]) for item in advice_for(report, CRITERIA)}
    assert plan == {CRITERIA[0].key: (4.9, 5.1), CRITERIA[1].key: (3.0, 3.5)}


def test_the_journey_shows_whether_the_gap_shrank(cycle_fit):
    world, fits = cycle_fit
    both = []
    for cycle, fit in zip(world.cycles, fits, strict=True):
        _sel, reports = reports_for(world, cycle, fit)
        both.append({int(cycle.person[r.application]): r for r in reports})
    again = sorted(set(both[0]) & set(both[1]))
    assert again, "some applicants apply twice"
    changes = [gap_change(both[0][p], both[1][p]) for p in again]
    assert all(c.shrank == (c.distance_after < c.distance_before) for c in changes)
    assert any(c.shrank for c in changes)
    assert changes[0].merit_change.shape == (len(world.criteria),)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"effort": [1, 1]}, "effort: need one value per criterion (6)"),
        ({"effort": [1, 1, 1, 1, 1, 0]}, "effort: every value must be a positive number"),
        ({"weights": [0, 0, 0, 0, 0, 0]}, "weights: at least one criterion must count"),
        ({"scale": (5, 5)}, "scale: the lowest must be below the highest"),
    ],
)  # fmt: skip
def test_bad_arguments_are_named(cycle_fit, kwargs, message):
    world, fits = cycle_fit
    cycle, fit = world.cycles[0], fits[0]
    sel = select(fit.composite(world.weights), 12, eligible=cycle.eligible & (fit.n_reviews > 0))
    weights = kwargs.pop("weights", world.weights)
    with pytest.raises(GapError) as caught:
        gap_reports(fit, weights, sel, **kwargs)
    assert message in str(caught.value)
