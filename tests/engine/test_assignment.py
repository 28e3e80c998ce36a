"""Reviewer assignment: invariants, optimality against an LP, fairness, infeasibility."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ascent.engine.assignment import (
    AssignmentError,
    AssignmentProblem,
    InfeasibleAssignment,
    solve,
)


def lp_optimum(affinity, k, max_load, min_load, conflicts, forced=(), cap=1.0):
    """The LP relaxation by HiGHS (scipy), None when infeasible; ``forced`` pairs at 1,
    every pair at most ``cap``."""
    n, m = affinity.shape
    k = np.broadcast_to(k, n)
    max_load, min_load = np.broadcast_to(max_load, m), np.broadcast_to(min_load, m)
    rows_eq = np.zeros((n, n * m))
    for a in range(n):
        rows_eq[a, a * m : (a + 1) * m] = 1
    rows_load = np.zeros((m, n * m))
    for r in range(m):
        rows_load[r, r::m] = 1
    forced = set(map(tuple, forced))
    bounds = [(1 if (a, r) in forced else 0, 0 if conflicts[a, r] else cap)
              for a in range(n) for r in range(m)]  # fmt: skip
    result = linprog(
        -affinity.ravel(), A_ub=np.vstack([rows_load, -rows_load]),
        b_ub=np.concatenate([max_load, -min_load]), A_eq=rows_eq, b_eq=k,
        bounds=bounds, method="highs",
    )  # fmt: skip
    return -result.fun if result.status == 0 else None


def maxmin_optimum(affinity, k, max_load, min_load, conflicts):
    """The integer max-min optimum of the summed affinity, by HiGHS (scipy's milp)."""
    n, m = affinity.shape
    k = np.broadcast_to(k, n)
    max_load, min_load = np.broadcast_to(max_load, m), np.broadcast_to(min_load, m)
    needy = np.flatnonzero(k > 0)
    size = n * m + 1  # the pairs, then t
    rows, lower, upper = [], [], []
    for a in range(n):
        row = np.zeros(size)
        row[a * m : (a + 1) * m] = 1
        rows.append(row), lower.append(k[a]), upper.append(k[a])
        if a in needy:
            row = np.zeros(size)
            row[a * m : (a + 1) * m] = affinity[a]
            row[-1] = -1
            rows.append(row), lower.append(0), upper.append(np.inf)
    for r in range(m):
        row = np.zeros(size)
        row[r : n * m : m] = 1
        rows.append(row), lower.append(min_load[r]), upper.append(max_load[r])
    high = np.concatenate([np.where(conflicts.ravel(), 0, 1), [np.inf]])
    objective = np.zeros(size)
    objective[-1] = -1
    integrality = np.concatenate([np.ones(n * m), [0]])
    result = milp(objective, constraints=LinearConstraint(np.array(rows), lower, upper),
                  integrality=integrality, bounds=Bounds(np.zeros(size), high))  # fmt: skip
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
    needy = problem.reviews_per_application > 0
    assert result.min_application_affinity == pytest.approx(
        summed[needy].min() if needy.any() else 0.0
    )


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
        total = solve(problem, "total")
        assert result.min_application_affinity >= total.min_application_affinity - 1e-9
        if (k > 0).any():
            optimum = maxmin_optimum(affinity, k, max_load, min_load, conflicts)
            assert result.min_application_affinity == pytest.approx(optimum, abs=1e-4)
            assert result.stats["fair"]["optimal"]
            assert result.stats["fair"]["ceiling"] >= optimum - 1e-4


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
    assert fair.total_affinity == pytest.approx(1.3)


def test_fair_on_the_peers_custom_supply_case_raises_the_worst_off():
    """openreview-matcher's FairFlow case (3 papers, 4 reviewers, loads 1 to 2/1/3/1, two
    reviews each): "total" leaves the worst-off paper at 0.7; FairFlow at 0.4. The
    integer max-min optimum is 0.8 (paper 0: reviewers 1 and 2, or 0 and 2...)."""
    affinity = np.array([[0.2, 0.5, 0.2, 0.7], [0.1, 0.2, 0.0, 0.9], [0.4, 0.3, 0.6, 0.3]])
    max_load, min_load = [2, 1, 3, 1], 1
    conflicts = np.zeros((3, 4), bool)
    problem = AssignmentProblem(affinity, 2, max_load, min_load)
    total, fair = solve(problem, "total"), solve(problem, "fair")
    optimum = maxmin_optimum(affinity, 2, max_load, min_load, conflicts)
    check_invariants(problem, fair, conflicts)
    assert fair.min_application_affinity >= total.min_application_affinity
    assert fair.min_application_affinity == pytest.approx(optimum)
    assert fair.stats["fair"]["optimal"]


@pytest.mark.parametrize("seed", range(6))
def test_fair_reaches_the_integer_maxmin_on_topic_instances(seed):
    """Small topic-model instances (reviewers good at one of four topics): the worst-off
    application at the integer max-min optimum, and never below "total"."""
    rng = np.random.default_rng(seed)
    n, m, topics = 24, 9, 4
    app_topic, rev_topic = rng.integers(topics, size=n), rng.integers(topics, size=m)
    affinity = np.clip(
        np.where(app_topic[:, None] == rev_topic[None, :], 0.7, 0.15)
        + 0.2 * rng.random((n, m)), 0, 1)  # fmt: skip
    conflicts = rng.random((n, m)) < 0.05
    problem = AssignmentProblem(affinity, 2, 7, 0, conflicts)
    fair, total = solve(problem, "fair"), solve(problem, "total")
    check_invariants(problem, fair, conflicts)
    optimum = maxmin_optimum(affinity, 2, 7, 0, conflicts)
    assert fair.min_application_affinity >= total.min_application_affinity - 1e-9
    assert fair.min_application_affinity >= 0.999 * optimum
    assert fair.stats["fair"]["gap"] <= 1e-3


def sorted_sums(affinity, pairs) -> list[float]:
    sums = np.zeros(affinity.shape[0])
    np.add.at(sums, pairs[:, 0], affinity[pairs[:, 0], pairs[:, 1]])
    return sorted(sums.tolist())


def leximin_by_enumeration(affinity, k, max_load) -> list[float]:
    """The lexicographically greatest sorted vector of summed affinities over every
    assignment, enumerated (tiny instances only)."""
    from itertools import combinations, product

    n, m = affinity.shape
    best = None
    for choice in product(list(combinations(range(m), k)), repeat=n):
        loads = np.bincount([r for chosen in choice for r in chosen], minlength=m)
        if (loads > max_load).any():
            continue
        sums = sorted(round(sum(affinity[a, r] for r in chosen), 5)
                      for a, chosen in enumerate(choice))  # fmt: skip
        if best is None or sums > best:
            best = sums
    return best


@pytest.mark.parametrize("seed", range(8))
def test_leximin_raises_the_second_and_third_worst_off_exactly(seed):
    """With leximin=2, after the worst-off application the second and the third
    worst-off reach the lexicographic optimum (checked against every assignment), and
    the worst-off is where plain "fair" puts it."""
    rng = np.random.default_rng(seed)
    affinity = np.round(rng.random((5, 4)), 2)
    problem = AssignmentProblem(affinity, 2, 3)
    plain, lexi = solve(problem, "fair"), solve(problem, "fair", leximin=2)
    check_invariants(problem, lexi, np.zeros((5, 4), bool))
    best = leximin_by_enumeration(affinity, 2, 3)
    got = sorted_sums(affinity, lexi.pairs)
    assert got[:3] == pytest.approx(best[:3], abs=1e-4)
    rounded = [round(v, 4) for v in got[:3]]
    assert rounded >= [round(v, 4) for v in sorted_sums(affinity, plain.pairs)[:3]]
    assert lexi.min_application_affinity == pytest.approx(plain.min_application_affinity, abs=1e-4)
    assert lexi.stats["fair"]["leximin"] == pytest.approx(best[:3], abs=1e-4)


def test_leximin_is_checked():
    problem = AssignmentProblem(np.full((2, 2), 0.5), 1, 1)
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(AssignmentError, match="leximin: must be a whole number"):
            solve(problem, "fair", leximin=bad)
    with pytest.raises(AssignmentError, match="leximin: only with the fair objective"):
        solve(problem, "total", leximin=1)


def test_fair_on_a_large_instance_reports_a_proven_ceiling():
    rng = np.random.default_rng(5)
    affinity = rng.random((3000, 120))
    problem = AssignmentProblem(affinity, 3, 90)
    fair = solve(problem, "fair", time_limit=3)
    total = solve(problem, "total")
    stats = fair.stats["fair"]
    assert fair.min_application_affinity >= total.min_application_affinity
    best_three = -np.sort(-affinity, axis=1)[:, :3].sum(axis=1)
    assert stats["ceiling"] <= best_three.min() + 1e-9
    assert stats["worst_off"] <= stats["ceiling"]
    assert 0 <= stats["gap"] < 0.1


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


# -- required pairs ------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_required_pairs_are_kept_and_the_rest_is_optimal(seed):
    rng = np.random.default_rng(seed)
    n, m = 12, 6
    affinity = np.round(rng.random((n, m)), 3)
    conflicts = rng.random((n, m)) < 0.1
    free = np.argwhere(~conflicts)
    forced = free[rng.choice(len(free), 4, replace=False)]
    forced = forced[np.unique(forced[:, 0], return_index=True)[1]]  # one per application
    problem = AssignmentProblem(affinity, 2, 5, 1, conflicts, must_assign=forced.tolist())
    best = lp_optimum(affinity, 2, 5, 1, conflicts, forced.tolist())
    if best is None:
        with pytest.raises(InfeasibleAssignment):
            solve(problem)
        return
    for objective in ("total", "fair"):
        result = solve(problem, objective)
        check_invariants(problem, result, conflicts)
        chosen = {tuple(p) for p in result.pairs.tolist()}
        assert {tuple(p) for p in forced.tolist()} <= chosen
        assert result.total_affinity <= best + 1e-6
        if objective == "total":
            assert result.total_affinity == pytest.approx(best, abs=1e-4)
            assert result.upper_bound >= best - 1e-6


def test_a_required_pair_that_cannot_be_is_named():
    affinity = np.full((3, 2), 0.5)
    conflicts = np.zeros((3, 2), bool)
    conflicts[0, 1] = True
    with pytest.raises(
        AssignmentError, match="must_assign: application 0 and reviewer 1 are in conflict"
    ):
        AssignmentProblem(affinity, 1, 3, conflicts=conflicts, must_assign=[(0, 1)])
    with pytest.raises(
        AssignmentError, match="application 2 has 2 required reviewers but needs only 1"
    ):
        AssignmentProblem(affinity, 1, 3, must_assign=[(2, 0), (2, 1)])
    with pytest.raises(
        AssignmentError, match="reviewer 0 is required for 3 applications but takes at most 2"
    ):
        AssignmentProblem(affinity, 1, 2, must_assign=[(0, 0), (1, 0), (2, 0)])
    with pytest.raises(AssignmentError, match="must_assign: a pair names"):
        AssignmentProblem(affinity, 1, 2, must_assign=[(5, 0)])


# -- groups per application -----------------------------------------------------------


def milp_total(affinity, k, max_load, conflicts, groups, cap, seniors=None, min_seniors=0):
    """The integer optimum of the total under group limits, by HiGHS."""
    n, m = affinity.shape
    rows, lower, upper = [], [], []

    def add(row, low, high):
        rows.append(row), lower.append(low), upper.append(high)

    for a in range(n):
        row = np.zeros(n * m)
        row[a * m : (a + 1) * m] = 1
        add(row, k, k)
        for g in set(groups) - {None}:
            row = np.zeros(n * m)
            row[[a * m + r for r in range(m) if groups[r] == g]] = 1
            add(row, 0, cap)
        if seniors is not None and min_seniors:
            row = np.zeros(n * m)
            row[[a * m + r for r in range(m) if seniors[r]]] = 1
            add(row, min(min_seniors, k), np.inf)
    for r in range(m):
        row = np.zeros(n * m)
        row[r::m] = 1
        add(row, 0, max_load)
    result = milp(-affinity.ravel(), constraints=LinearConstraint(np.array(rows), lower, upper),
                  integrality=np.ones(n * m),
                  bounds=Bounds(np.zeros(n * m), np.where(conflicts.ravel(), 0, 1)))  # fmt: skip
    return -result.fun if result.status == 0 else None


@pytest.mark.parametrize("seed", range(6))
def test_at_most_one_reviewer_per_organisation_and_one_senior(seed):
    rng = np.random.default_rng(seed)
    n, m = 10, 8
    affinity = np.round(rng.random((n, m)), 3)
    conflicts = rng.random((n, m)) < 0.05
    organisations = ["Meridian", "Meridian", "Acme", "Acme", "Acme", None, "Orbit", "Orbit"]
    seniors = np.array([True, False, False, True, False, False, False, False])
    problem = AssignmentProblem(affinity, 3, 6, 0, conflicts, groups=organisations,
                                seniors=seniors, min_seniors=1)  # fmt: skip
    best = milp_total(affinity, 3, 6, conflicts, organisations, 1, seniors, 1)
    if best is None:
        with pytest.raises(InfeasibleAssignment):
            solve(problem)
        return
    for objective in ("total", "fair"):
        result = solve(problem, objective)
        check_invariants(problem, result, conflicts)
        for a in range(n):
            mine = result.pairs[result.pairs[:, 0] == a, 1]
            labels = [organisations[r] for r in mine if organisations[r] is not None]
            assert len(labels) == len(set(labels))
            assert seniors[mine].sum() >= 1
        assert result.total_affinity <= best + 1e-6
        if objective == "total":
            assert result.total_affinity == pytest.approx(best, abs=1e-3)
        assert result.upper_bound >= best - 1e-6  # the unconstrained ceiling still holds


@pytest.mark.parametrize("seed", range(4))
def test_groups_without_seniors(seed):
    """Groups alone (the product's "one reviewer per organisation") once crashed the
    solver, which looked for senior candidates that were not asked for."""
    rng = np.random.default_rng(seed)
    affinity = np.round(rng.random((8, 6)), 3)
    organisations = ["Meridian", "Meridian", "Acme", "Acme", None, "Orbit"]
    problem = AssignmentProblem(affinity, 2, 4, groups=organisations)
    best = milp_total(affinity, 2, 4, np.zeros((8, 6), bool), organisations, 1, None, 0)
    for objective in ("total", "fair"):
        result = solve(problem, objective)
        for a in range(8):
            labels = [organisations[r] for r in result.pairs[result.pairs[:, 0] == a, 1]
                      if organisations[r] is not None]  # fmt: skip
            assert len(labels) == len(set(labels))
        if objective == "total" and best is not None:
            assert result.total_affinity == pytest.approx(best, abs=1e-3)


def test_group_limits_that_cannot_be_met_are_explained():
    affinity = np.full((3, 4), 0.5)
    with pytest.raises(
        InfeasibleAssignment, match="application 0 needs 3 reviews but, at most 1 per group, only 2"
    ):
        solve(AssignmentProblem(affinity, 3, 3, groups=["A", "A", "B", "B"]))
    conflicts = np.zeros((3, 4), bool)
    conflicts[2, 0] = True
    lone_senior = AssignmentProblem(affinity, 2, 3, conflicts=conflicts,
                                    seniors=np.array([True, False, False, False]))  # fmt: skip
    with pytest.raises(InfeasibleAssignment, match="needs 1 senior reviewers but only 0"):
        solve(lone_senior)
    for kwargs, name in [
        ({"groups": ["A", "B"]}, "groups: expected one label per reviewer"),
        ({"groups": ["A"] * 4, "max_per_group": 0}, "max_per_group"),
        ({"groups": [["x"], "A", "B", "C"]}, "groups: every label"),
        ({"seniors": [1, 0, 0, 0]}, "seniors: expected one true or false"),
        ({"seniors": np.ones(4, bool), "min_seniors": -1}, "min_seniors"),
    ]:
        with pytest.raises(AssignmentError, match=name):
            AssignmentProblem(affinity, 1, 3, **kwargs)
    with pytest.raises(AssignmentError, match="groups: not with the randomized"):
        solve(AssignmentProblem(affinity, 1, 3, groups=list("ABCD")), "randomized")


# -- randomised ----------------------------------------------------------------------


def test_randomized_draws_respect_the_cap_and_every_rule():
    from ascent.engine import assignment as module

    rng = np.random.default_rng(4)
    n, m = 16, 8
    affinity = np.round(rng.random((n, m)), 3)
    conflicts = rng.random((n, m)) < 0.05
    problem = AssignmentProblem(affinity, 2, 6, 1, conflicts)
    first = solve(problem, "randomized", max_probability=0.4, seed=7)
    stats = first.stats["randomized"]
    best = lp_optimum(affinity, 2, 6, 1, conflicts, cap=0.4)
    assert stats["expected_total"] == pytest.approx(best, abs=1e-4)
    assert stats["deterministic_total"] == pytest.approx(solve(problem).total_affinity)
    assert stats["expected_total"] <= stats["deterministic_total"] + 1e-9
    assert stats["largest_probability"] <= 0.4
    again = solve(problem, "randomized", max_probability=0.4, seed=7)
    assert first.pairs.tolist() == again.pairs.tolist()  # a seed repeats the draw
    # the draw picks each pair with its fractional value as probability
    apps, revs = module._initial_candidates(problem, m, None)
    flow = module._solve_flow(problem, apps, revs, problem.affinity_of(apps, revs),
                              units=5, pair_capacity=2)  # fmt: skip
    draws, chosen = 1500, np.zeros(len(apps))
    generator = np.random.default_rng(1)
    for _ in range(draws):
        rounded = module._dependent_rounding(apps, revs + n, flow.amounts.copy(), 5, generator)
        assert set(np.unique(rounded)) <= {0, 5}
        picked = np.flatnonzero(rounded == 5)
        pairs = np.column_stack([apps[picked], revs[picked]])
        assert (np.bincount(pairs[:, 0], minlength=n) == 2).all()
        loads = np.bincount(pairs[:, 1], minlength=m)
        assert loads.min() >= 1
        assert loads.max() <= 6
        chosen[picked] += 1
    assert np.abs(chosen / draws - flow.amounts / 5).max() < 5 * np.sqrt(0.25 / draws)
    for seed in range(5):
        check_invariants(problem, solve(problem, "randomized", max_probability=0.4, seed=seed),
                         conflicts)  # fmt: skip


def test_randomized_refuses_what_it_cannot_do():
    problem = AssignmentProblem(np.full((6, 4), 0.5), 3, 6)
    with pytest.raises(
        InfeasibleAssignment, match=r"with no pair above a probability of 0\.50 it needs at least 6"
    ):
        solve(problem, "randomized", max_probability=0.5)
    for bad in (0, 1.5, "half"):
        with pytest.raises(AssignmentError, match="max_probability"):
            solve(problem, "randomized", max_probability=bad)
    forced = AssignmentProblem(np.full((6, 4), 0.5), 1, 6, must_assign=[(0, 0)])
    with pytest.raises(AssignmentError, match="must_assign: not with the randomized"):
        solve(forced, "randomized")


# -- malformed problems name the argument --------------------------------------------


def test_an_integer_array_of_pairs_is_not_read_as_a_matrix():
    pairs = np.array([[0, 1], [2, 0], [1, 1]])  # 3 × 2, the problem's own shape
    with pytest.raises(AssignmentError, match="conflict_pairs="):
        AssignmentProblem(np.full((3, 2), 0.5), 1, 3, conflicts=pairs)
    problem = AssignmentProblem(np.full((3, 2), 0.5), 1, 3, conflict_pairs=pairs)
    assert sorted(zip(*problem.conflicts.nonzero(), strict=True)) == [(0, 1), (1, 1), (2, 0)]
    result = solve(problem)
    assert {tuple(p) for p in result.pairs.tolist()} == {(0, 0), (1, 0), (2, 1)}
    with pytest.raises(AssignmentError, match="conflict_pairs: a pair names"):
        AssignmentProblem(np.full((3, 2), 0.5), 1, 3, conflict_pairs=[(3, 0)])


def test_huge_loads_mean_no_limit_and_do_not_overflow():
    problem = AssignmentProblem(np.full((4, 3), 0.5), 2, 2**61)
    assert problem.max_load.tolist() == [4, 4, 4]
    result = solve(problem)
    assert result.loads.sum() == 8
    with pytest.raises(AssignmentError, match="min_load: reviewer 0 must take at least"):
        AssignmentProblem(np.full((4, 3), 0.5), 2, 2**61, min_load=2**61)
    with pytest.raises(AssignmentError, match="max_load: must be at most"):
        AssignmentProblem(np.full((4, 3), 0.5), 2, 2**63 - 1)


@pytest.mark.parametrize("affinity", [[["high", 0.2]], [[None, 0.1]], [[{}, 0.1]], [[[1], 0.1]]])
def test_a_non_numeric_affinity_is_named(affinity):
    with pytest.raises(
        AssignmentError, match=r"affinity: (every value must be a number|contains a missing)"
    ):
        AssignmentProblem(affinity, 1, 1)


def test_a_bad_time_limit_is_named():
    with pytest.raises(AssignmentError, match="time_limit"):
        solve(AssignmentProblem(np.full((2, 2), 0.5), 1, 2), "fair", time_limit=0)


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
        ({"min_load": 3}, "min_load: reviewer 0 must take at least 3 reviews but there are only 2"),
        ({"min_load": 2, "max_load": 1}, "min_load: reviewer 0 has a minimum load above its max"),
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
