"""Reviewer assignment: invariants, optimality against an LP, fairness, infeasibility."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from ascent.engine.assignment import (
    AssignmentError,
    AssignmentProblem,
    InfeasibleAssignment,
    solve,
)


def lp_optimum(affinity, k, max_load, min_load, conflicts):
    """The LP relaxation by HiGHS (scipy), None when infeasible."""
    n, m = affinity.shape
    k = np.broadcast_to(k, n)
    max_load, min_load = np.broadcast_to(max_load, m), np.broadcast_to(min_load, m)
    rows_eq = np.zeros((n, n * m))
    for a in range(n):
        rows_eq[a, a * m : (a + 1) * m] = 1
    rows_load = np.zeros((m, n * m))
    for r in range(m):
        rows_load[r, r::m] = 1
    bounds = [(0, 0 if conflicts[a, r] else 1) for a in range(n) for r in range(m)]
    result = linprog(
        -affinity.ravel(), A_ub=np.vstack([rows_load, -rows_load]),
        b_ub=np.concatenate([max_load, -min_load]), A_eq=rows_eq, b_eq=k,
        bounds=bounds, method="highs",
    )  # fmt: skip
    return -result.fun if result.status == 0 else None


def check_invariants(problem, result, conflicts):
    pairs = result.pairs
    n, m = problem.shape
    assert pairs.dtype.kind == "i"
    assert pairs.shape[1] == 2
    assert not conflicts[pairs[:, 0], pairs[:, 1]].any()
    assert len({tuple(p) for p in pairs}) == len(pairs)
    per_app = np.bincount(pairs[:, 0], minlength=n)
    assert (per_app == problem.reviews_per_application).all()
    loads = np.bincount(pairs[:, 1], minlength=m)
    assert (loads <= problem.max_load).all()
    assert (loads >= problem.min_load).all()
    total = problem.affinity[pairs[:, 0], pairs[:, 1]].sum()
    assert result.total_affinity == pytest.approx(total)
    assert result.upper_bound >= result.total_affinity - 1e-9
    summed = np.bincount(
        pairs[:, 0], weights=problem.affinity[pairs[:, 0], pairs[:, 1]], minlength=n
    )
    assert result.min_application_affinity == pytest.approx(summed.min())


@st.composite
def instances(draw):
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    affinity = np.round(rng.random((n, m)), 3)
    conflicts = rng.random((n, m)) < draw(st.sampled_from([0.0, 0.1, 0.3]))
    k = rng.integers(0, min(m, 3) + 1, size=n)
    max_load = rng.integers(0, n + 1, size=m)
    min_load = np.minimum(rng.integers(0, 3, size=m), max_load)
    return affinity, k, max_load, min_load, conflicts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances(), objective=st.sampled_from(["total", "fair"]))
def test_solutions_meet_every_rule_and_total_is_the_lp_optimum(instance, objective):
    affinity, k, max_load, min_load, conflicts = instance
    problem = AssignmentProblem(affinity, k, max_load, min_load, conflicts)
    best = lp_optimum(affinity, k, max_load, min_load, conflicts)
    event("infeasible" if best is None else "feasible")
    if best is None:
        with pytest.raises(InfeasibleAssignment):
            solve(problem, objective)
        return
    result = solve(problem, objective)
    check_invariants(problem, result, conflicts)
    if objective == "total":
        assert result.total_affinity == pytest.approx(best, abs=1e-4)
        assert result.upper_bound == pytest.approx(best, abs=1e-4)
    else:
        assert result.total_affinity <= best + 1e-6
        needy = k > 0
        if needy.any():
            assert result.min_application_affinity >= k.min() * result.floor - 1e-9


def test_larger_instance_is_optimal_and_certified():
    rng = np.random.default_rng(1)
    n, m = 60, 25
    affinity = rng.random((n, m))
    conflicts = rng.random((n, m)) < 0.05
    problem = AssignmentProblem(affinity, 3, 9, 2, conflicts)
    result = solve(problem)
    check_invariants(problem, result, conflicts)
    best = lp_optimum(affinity, 3, 9, 2, conflicts)
    assert result.total_affinity == pytest.approx(best, abs=1e-4)
    assert result.gap < 1e-6


def test_popular_reviewers_force_column_generation_and_stay_optimal():
    """Everyone likes reviewers 0-4 best but they can take few reviews: the first
    candidate set is too narrow and must grow until the ceiling is met."""
    rng = np.random.default_rng(2)
    n, m = 80, 40
    affinity = 0.5 * rng.random((n, m))
    affinity[:, :5] += 0.5
    max_load = np.full(m, 8)
    max_load[:5] = 2
    conflicts = np.zeros((n, m), bool)
    problem = AssignmentProblem(affinity, 3, max_load, conflicts=conflicts)
    result = solve(problem)
    check_invariants(problem, result, conflicts)
    assert result.total_affinity == pytest.approx(
        lp_optimum(affinity, 3, max_load, 0, conflicts), abs=1e-4
    )


def test_fair_lifts_the_worst_off_application():
    # application 0 likes only reviewer 0, whom everyone else likes a little more
    affinity = np.array([
        [0.5, 0.0, 0.0],
        [0.6, 0.4, 0.4],
        [0.6, 0.4, 0.4],
    ])  # fmt: skip
    problem = AssignmentProblem(affinity, 1, 1)
    total = solve(problem, "total")
    fair = solve(problem, "fair")
    assert total.min_application_affinity <= fair.min_application_affinity
    assert fair.pairs.tolist()[0] == [0, 0]
    assert fair.min_application_affinity == pytest.approx(0.4)
    assert fair.floor == pytest.approx(0.4)
    assert fair.total_affinity == pytest.approx(1.3)


def test_sparse_affinity_and_pair_conflicts_give_the_same_answer_as_dense():
    rng = np.random.default_rng(3)
    affinity = np.where(rng.random((30, 12)) < 0.4, rng.random((30, 12)), 0.0)
    conflict_pairs = [(0, 1), (5, 7), (5, 8), (29, 11)]
    dense_conflicts = np.zeros((30, 12), bool)
    for a, r in conflict_pairs:
        dense_conflicts[a, r] = True
    dense = solve(AssignmentProblem(affinity, 2, 6, conflicts=dense_conflicts))
    thin = solve(AssignmentProblem(sparse.csr_array(affinity), 2, 6, conflicts=conflict_pairs))
    assert thin.total_affinity == pytest.approx(dense.total_affinity)
    assert not dense_conflicts[thin.pairs[:, 0], thin.pairs[:, 1]].any()


# -- infeasible problems say why -----------------------------------------------------


def test_too_few_free_reviewers_for_one_application():
    conflicts = np.zeros((20, 4), bool)
    conflicts[17, :2] = True
    with pytest.raises(
        InfeasibleAssignment, match="application 17 has 2 reviewers without a conflict but needs 3"
    ):
        solve(AssignmentProblem(np.ones((20, 4)) / 2, 3, 20, conflicts=conflicts))


def test_not_enough_capacity_in_all():
    with pytest.raises(
        InfeasibleAssignment, match="reviewers can take 5,400 reviews in all; 6,000 are needed"
    ):
        solve(AssignmentProblem(np.zeros((2000, 450)), 3, 12))


def test_minimum_loads_above_the_reviews_needed():
    with pytest.raises(InfeasibleAssignment, match="at least 20 reviews in all; only 10"):
        solve(AssignmentProblem(np.zeros((5, 4)), 2, 6, min_load=5))


def test_reviewer_minimum_above_their_free_applications():
    conflicts = np.zeros((6, 3), bool)
    conflicts[:4, 2] = True
    with pytest.raises(
        InfeasibleAssignment,
        match="reviewer 2 must take at least 3 reviews but has only 2 applications",
    ):
        solve(AssignmentProblem(np.zeros((6, 3)), 1, 6, min_load=[0, 0, 3], conflicts=conflicts))


def test_conflicts_that_only_bite_together_are_explained():
    # applications 0-2 may only go to reviewer 0, who takes 2
    conflicts = np.zeros((4, 3), bool)
    conflicts[:3, 1:] = True
    with pytest.raises(InfeasibleAssignment, match="only 3 of the 4 reviews can be placed"):
        solve(AssignmentProblem(np.zeros((4, 3)), 1, [2, 2, 2], conflicts=conflicts))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"affinity": np.ones(3)}, "affinity: must be a matrix"),
        ({"affinity": np.full((2, 2), np.nan)}, "affinity: contains a missing"),
        ({"affinity": np.full((2, 2), 1.5)}, "between 0 and 1"),
        (
            {"reviews_per_application": [1, 1, 1]},
            "reviews_per_application: expected one value or 2 values",
        ),
        ({"reviews_per_application": 1.5}, "whole numbers"),
        ({"max_load": -1}, "max_load: must not be negative"),
        ({"min_load": 3}, "min_load: reviewer 0 has a minimum load above its maximum"),
        ({"conflicts": np.zeros((3, 3), bool)}, "conflicts: expected a 2 × 2 matrix"),
        ({"conflicts": [(0, 5)]}, "out of range"),
        ({"conflicts": [("a", "b")]}, "pairs of indices"),
    ],
)
def test_malformed_problems_name_the_argument(kwargs, message):
    arguments = {"affinity": np.full((2, 2), 0.5), "reviews_per_application": 1, "max_load": 2}
    arguments |= kwargs
    with pytest.raises(AssignmentError, match=message):
        AssignmentProblem(**arguments)


def test_unknown_objective():
    with pytest.raises(AssignmentError, match="objective: must be one of total, fair"):
        solve(AssignmentProblem(np.ones((1, 1)), 1, 1), "best")
