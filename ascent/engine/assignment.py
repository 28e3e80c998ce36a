"""Optimal assignment of reviewers to applications.

The problem is a transportation problem: each application needs a number of reviews,
each reviewer takes between ``min_load`` and ``max_load`` of them, a conflicted pair is
never used and nobody reviews one application twice. ``solve(problem, "total")``
maximises the summed affinity with a min-cost flow (OR-Tools); ``"fair"`` first raises
the worst-off application's summed affinity as far as it goes, then the total (an
integer programme with OR-Tools CP-SAT, started from the total's solution; see
``_maximise_fair``). ``"randomized"`` draws an assignment in which no pair is more likely
than a cap. Group limits per application (at most so many reviewers of one organisation
or country, at least so many seniors) go through the same integer programme, started
from a flow that places the seniors.

A dense instance has n × m candidate pairs (20 million for 10,000 × 2,000), and a
min-cost flow over all of them is slow. Almost all of those pairs are useless: an
application is read by some of its best-matching reviewers. So the solver works by
column generation with a proof:

1. keep each application's best-matching reviewers as candidate pairs;
2. solve the min-cost flow on the candidates;
3. read node potentials off the residual graph (Bellman-Ford, vectorised), which give a
   price per reviewer; from those prices the LP dual of the *whole* problem gives a
   ceiling on any assignment's total (see ``_dual_bound``);
4. any pair left out that beats the prices is added and the flow solved again; when
   none does, the ceiling equals the solution and the solution is optimal for the
   whole instance.

``result.upper_bound`` is that ceiling, computed from the exact float affinities, so it
is valid whatever happened before it; ``total_affinity`` ≥ 0.999 × ``upper_bound`` is
checked in the benchmarks rather than assumed.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy import sparse

OBJECTIVES = ("total", "fair", "randomized")
COST_SCALE = 1_000_000_000  # affinities become integer costs in nano-units
FAIR_SCALE = 100_000  # and integer weights of 1e-5 in the fairness programme
EXACT_PAIRS = 250_000  # up to this many permitted pairs, "fair" considers every one
FAIR_SECONDS = 10.0  # the time each of the fairness programme's two phases may take
BLOCK_ELEMENTS = 1 << 22  # rows of the affinity matrix are processed in blocks this large
MAX_ROUNDS = 30


class AssignmentError(ValueError):
    """The problem given to the solver is malformed (shape, range, type)."""


class InfeasibleAssignment(AssignmentError):
    """No assignment meets every requirement; the message says why in domain words.

    ``application`` / ``reviewer`` hold the index the message names, if any, so that a
    caller can put a name on it.
    """

    def __init__(
        self, message: str, *, application: int | None = None, reviewer: int | None = None
    ) -> None:
        super().__init__(message)
        self.application, self.reviewer = application, reviewer


def _per_item(value: Any, n: int, name: str, what: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise AssignmentError(f"{name}: must be whole numbers") from error
    if array.ndim == 0:
        array = np.full(n, array)
    if array.shape != (n,):
        raise AssignmentError(f"{name}: expected one value or {n:,} values (one per {what})")
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_):
        raise AssignmentError(f"{name}: must be whole numbers")
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        raise AssignmentError(f"{name}: must be whole numbers")
    if np.any(array < 0):
        raise AssignmentError(f"{name}: must not be negative")
    if np.any(array > 2**62):
        raise AssignmentError(f"{name}: must be at most {2**62:,}")
    return array.astype(np.int64)


class AssignmentProblem:
    """Who may review what, and how much.

    ``affinity`` is (n_applications, n_reviewers) in [0, 1], dense or scipy.sparse (an
    entry not stored is an affinity of 0, still a permitted pair). ``conflicts`` is a
    boolean matrix of the same shape (dense or sparse) or a list of (application,
    reviewer) pairs; ``conflict_pairs`` takes pairs only, as a list or an (k, 2) array of
    indices (an integer array given as ``conflicts`` is refused: it could be either).
    ``must_assign`` pairs are in every solution (a reviewer staff chose by hand).
    A load limit above the number of applications is no limit (2**61 included).
    """

    def __init__(
        self,
        affinity: Any,
        reviews_per_application: Any,
        max_load: Any,
        min_load: Any = 0,
        conflicts: Any = None,
        *,
        conflict_pairs: Any = None,
        must_assign: Any = None,
        groups: Any = None,
        max_per_group: int = 1,
        seniors: Any = None,
        min_seniors: int = 1,
    ) -> None:
        try:
            if sparse.issparse(affinity):
                affinity = sparse.csr_array(affinity, dtype=np.float64)
                values = affinity.data
            else:
                affinity = np.asarray(affinity, dtype=np.float64)
                values = affinity
        except (ValueError, TypeError) as error:
            raise AssignmentError("affinity: every value must be a number") from error
        if affinity.ndim != 2:
            raise AssignmentError("affinity: must be a matrix (applications × reviewers)")
        n, m = affinity.shape
        if n == 0 or m == 0:
            raise AssignmentError("affinity: needs at least one application and one reviewer")
        if not np.all(np.isfinite(values)):
            raise AssignmentError("affinity: contains a missing or infinite value")
        if values.size and (values.min() < 0 or values.max() > 1):
            raise AssignmentError("affinity: every value must lie between 0 and 1")
        self.affinity = affinity
        self.n_applications, self.n_reviewers = n, m
        self.reviews_per_application = _per_item(
            reviews_per_application, n, "reviews_per_application", "application"
        )
        self.max_load = np.minimum(_per_item(max_load, m, "max_load", "reviewer"), n)
        self.min_load = _per_item(min_load, m, "min_load", "reviewer")
        if np.any(self.min_load > n):
            r = int(np.argmax(self.min_load > n))
            raise AssignmentError(
                f"min_load: reviewer {r} must take at least {self.min_load[r]:,} reviews but "
                f"there are only {n:,} applications"
            )
        if np.any(self.reviews_per_application > m):
            a = int(np.argmax(self.reviews_per_application > m))
            raise InfeasibleAssignment(
                f"application {a} needs {self.reviews_per_application[a]:,} reviews but there "
                f"are only {m:,} reviewers",
                application=a,
            )
        bad = np.flatnonzero(self.min_load > self.max_load)
        if bad.size:
            raise AssignmentError(
                f"min_load: reviewer {bad[0]} has a minimum load above its maximum "
                f"({self.min_load[bad[0]]} > {self.max_load[bad[0]]})"
            )
        if isinstance(conflicts, np.ndarray) and conflicts.dtype != np.bool_:
            raise AssignmentError(
                "conflicts: a NumPy array here must be a boolean matrix (applications × "
                "reviewers); give (application, reviewer) index pairs as conflict_pairs="
            )
        self.conflicts = _conflict_matrix(conflicts, n, m)
        if conflict_pairs is not None:
            if sparse.issparse(conflict_pairs):
                raise AssignmentError("conflict_pairs: expected (application, reviewer) pairs")
            self.conflicts = (self.conflicts + _pair_matrix(conflict_pairs, n, m)).astype(bool)
        self.must_assign = np.empty((0, 2), dtype=np.int64)
        if must_assign is not None:
            if sparse.issparse(must_assign):
                raise AssignmentError("must_assign: expected (application, reviewer) pairs")
            forced = _pair_matrix(must_assign, n, m, "must_assign").tocoo()
            self.must_assign = np.column_stack([forced.row, forced.col]).astype(np.int64)
            self._check_must_assign()
        self._set_groups(groups, max_per_group, seniors, min_seniors)

    def _set_groups(self, groups, max_per_group, seniors, min_seniors) -> None:
        """``groups``: a label per reviewer (an organisation, a country; None for none);
        no application gets more than ``max_per_group`` reviewers of one label.
        ``seniors``: a boolean per reviewer; every application gets at least
        ``min_seniors`` of them (or all its reviews, if it needs fewer)."""
        m = self.n_reviewers
        self.group_of = None
        self.max_per_group = 0
        if groups is not None:
            if isinstance(groups, str) or len(groups) != m:
                raise AssignmentError(f"groups: expected one label per reviewer ({m:,})")
            if (
                isinstance(max_per_group, bool)
                or not isinstance(max_per_group, int | np.integer)
                or max_per_group < 1
            ):
                raise AssignmentError("max_per_group: must be a whole number of at least 1")
            labels: dict[Any, int] = {}
            try:
                self.group_of = np.array(
                    [-1 if g is None else labels.setdefault(g, len(labels)) for g in groups],
                    dtype=np.int64,
                )
            except TypeError as error:
                raise AssignmentError("groups: every label must be a text or a number") from error
            self.max_per_group = int(max_per_group)
        self.seniors = None
        self.min_seniors = 0
        if seniors is not None:
            array = np.asarray(seniors)
            if array.shape != (m,) or array.dtype != np.bool_:
                raise AssignmentError(f"seniors: expected one true or false per reviewer ({m:,})")
            if (
                isinstance(min_seniors, bool)
                or not isinstance(min_seniors, int | np.integer)
                or min_seniors < 0
            ):
                raise AssignmentError("min_seniors: must be a whole number, 0 or more")
            self.seniors, self.min_seniors = array, int(min_seniors)

    @property
    def has_groups(self) -> bool:
        return self.group_of is not None or (self.seniors is not None and self.min_seniors > 0)

    def _check_must_assign(self) -> None:
        a, r = self.must_assign[:, 0], self.must_assign[:, 1]
        crossed = np.flatnonzero(np.asarray(self.conflicts[a, r]).ravel())
        if crossed.size:
            i = crossed[0]
            raise AssignmentError(f"must_assign: application {a[i]} and reviewer {r[i]} are "
                                  "in conflict")  # fmt: skip
        per_app = np.bincount(a, minlength=self.n_applications)
        over = np.flatnonzero(per_app > self.reviews_per_application)
        if over.size:
            raise AssignmentError(
                f"must_assign: application {over[0]} has {per_app[over[0]]:,} required "
                f"reviewers but needs only {self.reviews_per_application[over[0]]:,} reviews"
            )
        per_reviewer = np.bincount(r, minlength=self.n_reviewers)
        over = np.flatnonzero(per_reviewer > self.max_load)
        if over.size:
            raise AssignmentError(
                f"must_assign: reviewer {over[0]} is required for {per_reviewer[over[0]]:,} "
                f"applications but takes at most {self.max_load[over[0]]:,}"
            )

    def without_required(self) -> AssignmentProblem:
        """The problem left once the ``must_assign`` pairs are placed: fewer reviews to
        give, less load to take, and those pairs not to be used again."""
        rest = copy.copy(self)
        a, r = self.must_assign[:, 0], self.must_assign[:, 1]
        per_app = np.bincount(a, minlength=self.n_applications)
        per_reviewer = np.bincount(r, minlength=self.n_reviewers)
        rest.reviews_per_application = self.reviews_per_application - per_app
        rest.max_load = self.max_load - per_reviewer
        rest.min_load = np.maximum(0, self.min_load - per_reviewer)
        forced = sparse.csr_array(
            (np.ones(len(a), dtype=bool), (a, r)), shape=self.shape, dtype=bool
        )
        rest.conflicts = (self.conflicts + forced).astype(bool)
        rest.must_assign = np.empty((0, 2), dtype=np.int64)
        return rest

    @property
    def shape(self) -> tuple[int, int]:
        return self.n_applications, self.n_reviewers

    @property
    def reviews_needed(self) -> int:
        return int(self.reviews_per_application.sum())

    def block(self, start: int, stop: int) -> np.ndarray:
        """Rows start:stop of the affinity as a dense array, conflicted pairs at -inf."""
        rows = self.affinity[start:stop]
        block = rows.toarray() if sparse.issparse(rows) else np.array(rows, dtype=np.float64)
        if self.conflicts.nnz:
            part = self.conflicts[start:stop].tocoo()
            block[part.row, part.col] = -np.inf
        return block

    def blocks(self):
        step = max(1, BLOCK_ELEMENTS // self.n_reviewers)
        for start in range(0, self.n_applications, step):
            stop = min(start + step, self.n_applications)
            yield start, stop, self.block(start, stop)

    def affinity_of(self, applications: np.ndarray, reviewers: np.ndarray) -> np.ndarray:
        if sparse.issparse(self.affinity):
            return np.asarray(self.affinity[applications, reviewers]).ravel()
        return self.affinity[applications, reviewers]


def _conflict_matrix(conflicts: Any, n: int, m: int) -> sparse.csr_array:
    if conflicts is None:
        return sparse.csr_array((n, m), dtype=bool)
    if sparse.issparse(conflicts) or isinstance(conflicts, np.ndarray):
        if conflicts.shape != (n, m):
            raise AssignmentError(f"conflicts: expected a {n:,} × {m:,} matrix")
        matrix = sparse.csr_array(conflicts, dtype=bool)
        matrix.eliminate_zeros()
        return matrix
    return _pair_matrix(conflicts, n, m, "conflicts")


def _pair_matrix(conflicts: Any, n: int, m: int, name: str = "conflict_pairs"):
    try:
        pairs = np.asarray(list(conflicts) if isinstance(conflicts, Iterable) else conflicts)
    except (ValueError, TypeError) as error:
        raise AssignmentError(f"{name}: expected (application, reviewer) pairs") from error
    if pairs.size == 0:
        return sparse.csr_array((n, m), dtype=bool)
    if pairs.ndim != 2 or pairs.shape[1] != 2 or not np.issubdtype(pairs.dtype, np.integer):
        raise AssignmentError(f"{name}: expected (application, reviewer) pairs of indices")
    if pairs.min() < 0 or pairs[:, 0].max() >= n or pairs[:, 1].max() >= m:
        raise AssignmentError(f"{name}: a pair names an application or reviewer out of range")
    data = np.ones(len(pairs), dtype=bool)
    matrix = sparse.csr_array((data, (pairs[:, 0], pairs[:, 1])), shape=(n, m), dtype=bool)
    matrix.sum_duplicates()
    return matrix


@dataclass
class AssignmentResult:
    """An assignment and how good it provably is.

    ``upper_bound`` is a ceiling on the total affinity of any assignment of the problem
    that was solved (for ``"fair"``: among those that give every review at least
    ``floor``), from LP duality.
    """

    pairs: np.ndarray
    total_affinity: float
    upper_bound: float
    min_application_affinity: float
    objective: str
    application_affinity: np.ndarray
    loads: np.ndarray
    floor: float = 0.0
    rounds: int = 0
    candidate_pairs: int = 0
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative distance to the ceiling (0 when provably optimal)."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, 1.0 - self.total_affinity / self.upper_bound)


def solve(
    problem: AssignmentProblem,
    objective: str = "total",
    *,
    time_limit: float = FAIR_SECONDS,
    max_probability: float = 0.5,
    seed: int | None = None,
    leximin: int = 0,
) -> AssignmentResult:
    """Assign reviewers; raise InfeasibleAssignment (with the reason) if none fits.

    ``time_limit`` bounds each phase of "fair" in seconds; within it, small and medium
    problems are solved exactly, and a large one reports its gap (``result.stats``).
    ``leximin`` (with "fair") raises, after the worst-off application, the second
    worst-off as far as it goes, then the third, for that many more levels, before the
    total (``_leximin_rounds``).
    ``"randomized"`` draws an assignment in which no reviewer-application pair had a
    probability above ``max_probability`` (``seed`` makes the draw repeatable): see
    ``_randomized``.
    """
    if objective not in OBJECTIVES:
        raise AssignmentError(f"objective: must be one of {', '.join(OBJECTIVES)}")
    if not isinstance(time_limit, int | float) or not time_limit > 0:
        raise AssignmentError("time_limit: must be a positive number of seconds")
    if not isinstance(max_probability, int | float) or not 0 < max_probability <= 1:
        raise AssignmentError("max_probability: must be above 0 and at most 1")
    if isinstance(leximin, bool) or not isinstance(leximin, int | np.integer) or leximin < 0:
        raise AssignmentError("leximin: must be a whole number of levels, 0 or more")
    if leximin and objective != "fair":
        raise AssignmentError("leximin: only with the fair objective")
    check_feasible(problem)
    if objective == "randomized":
        if problem.has_groups:
            raise AssignmentError("groups: not with the randomized objective")
        return _randomized(problem, float(max_probability), seed)
    if problem.has_groups:
        _check_groups_feasible(problem)
    if len(problem.must_assign):
        rest = problem.without_required()
        check_feasible(rest)
        found = _maximise_total(rest, floor=None)
        pairs = np.concatenate([found.pairs, problem.must_assign])
        forced = float(
            problem.affinity_of(problem.must_assign[:, 0], problem.must_assign[:, 1]).sum()
        )
        total = _result(problem, pairs, found.upper_bound + forced, "total", found.rounds)
    else:
        total = _maximise_total(problem, floor=None)
    if objective == "total" and not problem.has_groups:
        return total
    return _maximise_fair(
        problem, total, float(time_limit), fair=objective == "fair", leximin=int(leximin)
    )


# -- feasibility ---------------------------------------------------------------------


def check_feasible(problem: AssignmentProblem) -> None:
    """Raise InfeasibleAssignment for the counting reasons a person can act on."""
    m = problem.n_reviewers
    need = problem.reviews_per_application
    free_reviewers = m - problem.conflicts.sum(axis=1)
    short = np.flatnonzero(free_reviewers < need)
    if short.size:
        a = short[0]
        more = f" (and {short.size - 1:,} more applications)" if short.size > 1 else ""
        raise InfeasibleAssignment(
            f"application {a} has {free_reviewers[a]:,} reviewers without a conflict "
            f"but needs {need[a]:,}{more}",
            application=int(a),
        )
    needed, capacity = problem.reviews_needed, int(problem.max_load.sum())
    if capacity < needed:
        raise InfeasibleAssignment(
            f"reviewers can take {capacity:,} reviews in all; {needed:,} are needed"
        )
    minimum = int(problem.min_load.sum())
    if minimum > needed:
        raise InfeasibleAssignment(
            f"reviewers must take at least {minimum:,} reviews in all; only {needed:,} are needed"
        )
    wanted = need > 0
    free_applications = (
        int(wanted.sum())
        - np.asarray(problem.conflicts[np.flatnonzero(wanted)].sum(axis=0)).ravel()
    )
    over = np.flatnonzero(problem.min_load > free_applications)
    if over.size:
        r = over[0]
        raise InfeasibleAssignment(
            f"reviewer {r} must take at least {problem.min_load[r]:,} reviews but has only "
            f"{free_applications[r]:,} applications without a conflict",
            reviewer=int(r),
        )


# -- the flow ------------------------------------------------------------------------


@dataclass
class _Flow:
    applications: np.ndarray  # candidate pairs
    reviewers: np.ndarray
    chosen: np.ndarray  # bool per candidate pair
    potentials: np.ndarray | None  # reviewer prices (affinity units), None if unknown
    status: str
    amounts: np.ndarray | None = None  # units of flow per candidate pair


def _solve_flow(
    problem: AssignmentProblem,
    apps: np.ndarray,
    revs: np.ndarray,
    weights: np.ndarray,
    *,
    units: int = 1,
    pair_capacity: int = 1,
) -> _Flow:
    """Min-cost flow on the candidate pairs: source → reviewer → application.

    With ``units`` > 1 every review is that many units of flow and a pair carries at
    most ``pair_capacity`` of them: the fractional assignment in which no pair has more
    than pair_capacity / units of a review (the randomised assignment's LP).
    """
    n, m = problem.shape
    source = n + m
    lower, upper = problem.min_load * units, problem.max_load * units
    tails = np.concatenate([np.full(m, source, dtype=np.int64), n + revs])
    heads = np.concatenate([n + np.arange(m, dtype=np.int64), apps])
    capacities = np.concatenate([upper - lower, np.full(len(apps), pair_capacity, np.int64)])
    costs = np.concatenate(
        [np.zeros(m, dtype=np.int64), -np.rint(weights * COST_SCALE).astype(np.int64)]
    )
    supplies = np.zeros(n + m + 1, dtype=np.int64)
    supplies[:n] = -problem.reviews_per_application * units
    supplies[n:source] = lower
    supplies[source] = problem.reviews_needed * units - int(lower.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(np.arange(n + m + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        return _Flow(apps, revs, np.zeros(len(apps), bool), None, str(status))
    flows = flow.flows(np.arange(len(tails)))
    if units > 1:
        return _Flow(apps, revs, flows[m:] == units, None, "optimal", flows[m:])
    distance = _residual_distances(n + m + 1, tails, heads, costs, capacities, flows)
    prices = None
    if distance is not None:
        prices = (distance[n:source] - distance[source]) / COST_SCALE
    return _Flow(apps, revs, flows[m:] == 1, prices, "optimal", flows[m:])


def _residual_distances(nodes, tails, heads, costs, capacities, flows) -> np.ndarray | None:
    """Shortest distances in the residual graph from a virtual root (Bellman-Ford).

    Each round relaxes every arc at once with NumPy; an optimal flow has no negative
    cycle, so this settles in as many rounds as the longest shortest path has arcs.
    """
    forward, backward = flows < capacities, flows > 0
    tail = np.concatenate([tails[forward], heads[backward]])
    head = np.concatenate([heads[forward], tails[backward]])
    cost = np.concatenate([costs[forward], -costs[backward]])
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    targets, starts = np.unique(head, return_index=True)
    distance = np.zeros(nodes, dtype=np.int64)
    for _ in range(nodes + 1):
        best = np.minimum(distance[targets], np.minimum.reduceat(distance[tail] + cost, starts))
        if np.array_equal(best, distance[targets]):
            return distance
        distance[targets] = best
    return None


def _dual_bound(
    problem: AssignmentProblem,
    prices: np.ndarray,
    floor: float | None,
    candidate: sparse.csr_array | None,
    tolerance: float = 1e-7,
):
    """A ceiling on the total, and the pairs outside ``candidate`` that beat the prices.

    For reviewer prices q (any real numbers), LP duality gives
        total ≤ Σ_a (sum of the k_a largest w_ar − q_r over permitted r)
                + Σ_r (max_load_r · max(q_r, 0) − min_load_r · max(−q_r, 0)).
    """
    k = problem.reviews_per_application
    bound = float(np.sum(problem.max_load * np.maximum(prices, 0)))
    bound -= float(np.sum(problem.min_load * np.maximum(-prices, 0)))
    new_apps, new_revs = [], []
    for start, stop, block in problem.blocks():
        if floor is not None:
            block[block < floor] = -np.inf
        values = block - prices[None, :]
        need = k[start:stop]
        kmax = int(need.max()) if need.size else 0
        if kmax == 0:
            continue
        top = -np.partition(-values, kmax - 1, axis=1)[:, :kmax]
        top.sort(axis=1)
        top = top[:, ::-1]
        use = np.arange(kmax)[None, :] < need[:, None]
        bound += float(np.where(use, top, 0.0).sum())
        threshold = np.where(need > 0, top[np.arange(len(need)), np.maximum(need - 1, 0)], np.inf)
        outside = candidate[start:stop].toarray() == 0 if candidate is not None else True
        beat = (values > threshold[:, None] + tolerance) & outside
        # Where a row has a pair that beats the prices, add its next best outside pairs
        # too: with many equal affinities (reviewers with the same expertise) the prices
        # move a little each round, and growing only by the strict violators took a
        # dozen rounds at 20,000 × 600.
        rows_hit = np.flatnonzero(beat.any(axis=1))
        if rows_hit.size and candidate is not None:
            extra = min(values.shape[1], 2 * kmax + 2)
            sub = np.where(outside[rows_hit], values[rows_hit], -np.inf)
            best = np.argpartition(-sub, extra - 1, axis=1)[:, :extra]
            near = np.zeros_like(beat)
            near[rows_hit[:, None], best] = True
            beat |= near & outside & np.isfinite(values)
        rows, cols = np.nonzero(beat)
        new_apps.append(rows + start)
        new_revs.append(cols)
    if not new_apps:
        return bound, np.empty(0, np.int64), np.empty(0, np.int64)
    return bound, np.concatenate(new_apps), np.concatenate(new_revs)


def _initial_candidates(problem: AssignmentProblem, width: int, floor: float | None):
    apps, revs = [], []
    for start, stop, block in problem.blocks():
        if floor is not None:
            block[block < floor] = -np.inf
        if width >= problem.n_reviewers:
            rows, cols = np.nonzero(np.isfinite(block))
        else:
            best = np.argpartition(-block, width - 1, axis=1)[:, :width]
            rows = np.repeat(np.arange(stop - start), width)
            cols = best.ravel()
            keep = np.isfinite(block[rows, cols])
            rows, cols = rows[keep], cols[keep]
        apps.append(rows + start)
        revs.append(cols)
    return np.concatenate(apps).astype(np.int64), np.concatenate(revs).astype(np.int64)


def _maximise_total(problem: AssignmentProblem, floor: float | None) -> AssignmentResult:
    n, m = problem.shape
    k_max = int(problem.reviews_per_application.max())
    width = min(m, max(4 * k_max, 2 * k_max + 12))
    while True:
        apps, revs = _initial_candidates(problem, width, floor)
        flow = _solve_flow(problem, apps, revs, problem.affinity_of(apps, revs))
        if flow.status == "optimal" or width >= m:
            break
        width = min(m, width * 4)
    if flow.status != "optimal":
        message, application = _why_no_flow(problem, floor)
        raise InfeasibleAssignment(message, application=application)
    rounds = 1
    while True:
        candidate = sparse.csr_array(
            (np.ones(len(flow.applications), dtype=np.int8), (flow.applications, flow.reviewers)),
            shape=(n, m),
        )
        prices = flow.potentials if flow.potentials is not None else np.zeros(m)
        bound, new_apps, new_revs = _dual_bound(problem, prices, floor, candidate)
        if new_apps.size == 0 or rounds >= MAX_ROUNDS or flow.potentials is None:
            break
        apps = np.concatenate([flow.applications, new_apps])
        revs = np.concatenate([flow.reviewers, new_revs])
        flow = _solve_flow(problem, apps, revs, problem.affinity_of(apps, revs))
        rounds += 1
    chosen = np.flatnonzero(flow.chosen)
    pairs = np.column_stack([flow.applications[chosen], flow.reviewers[chosen]])
    result = _result(problem, pairs, bound, "total" if floor is None else "fair", rounds)
    result.floor = 0.0 if floor is None else float(floor)
    result.candidate_pairs = len(flow.applications)
    return result


# -- fairness ------------------------------------------------------------------------


def _maximise_fair(
    problem: AssignmentProblem,
    total: AssignmentResult,
    time_limit: float,
    *,
    fair: bool = True,
    leximin: int = 0,
) -> AssignmentResult:
    """Raise the worst-off application's summed affinity as far as it goes, then the total.

    The same programme, with ``fair=False`` (the first phase skipped), solves "total"
    under group constraints (``groups``, ``seniors``), which a flow cannot express; the
    total's unconstrained solution is then only a hint, and its ceiling stays a valid
    ceiling (constraints only lower the optimum).

    An integer programme (OR-Tools CP-SAT) in two phases: maximise t, the smallest
    summed affinity of an application, then the total among the assignments that keep
    every application at t or more; both start from the previous phase's solution
    (the first from the total's), so the answer is never worse than "total" for the
    worst-off application. With at most ``EXACT_PAIRS`` permitted pairs every pair is a
    variable and an optimal status is exact (to 1e-5 in affinity); above, each
    application's best ``2k + 6`` reviewers and the total's pairs are, and the gap to a
    proven ceiling (no application can have more than the sum of its k best permitted
    affinities) is reported in ``stats["fair"]``.
    """
    from ortools.sat.python import cp_model  # here: it costs a web worker 0.2 s at boot

    n, m = problem.shape
    k = problem.reviews_per_application
    name = "fair" if fair else "total"
    if not (k > 0).any():
        return _with_fair_stats(
            _result(problem, total.pairs, total.upper_bound, name, total.rounds), 0.0, True
        )
    started = time.perf_counter()
    permitted = n * m - problem.conflicts.nnz
    exact = permitted <= EXACT_PAIRS
    spread = 3 if problem.has_groups else 2  # groups rule out some of the best reviewers
    width = m if exact else min(m, spread * int(k.max()) + 6)
    apps, revs = _initial_candidates(problem, width, None)
    required = problem.must_assign[:, 0] * m + problem.must_assign[:, 1]
    start_pairs = total.pairs
    if problem.has_groups:
        start_pairs = _repair_groups(
            problem, _senior_flow(problem, width) if problem.min_seniors else total.pairs
        )
        if problem.seniors is not None and problem.min_seniors:
            senior_apps, senior_revs = _senior_candidates(problem, int(k.max()) + 3)
            apps = np.concatenate([apps, senior_apps])
            revs = np.concatenate([revs, senior_revs])
    keys = np.unique(
        np.concatenate([apps * m + revs, start_pairs[:, 0] * m + start_pairs[:, 1], required])
    )
    apps, revs = keys // m, keys % m
    keep = k[apps] > 0
    apps, revs = apps[keep], revs[keep]
    weights = np.rint(problem.affinity_of(apps, revs) * FAIR_SCALE).astype(np.int64)

    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(apps))]
    by_app = np.argsort(apps, kind="stable")
    app_starts = np.searchsorted(apps[by_app], np.arange(n + 1))
    worst = model.new_int_var(0, int(FAIR_SCALE * k.max()), "worst")
    summed = {}  # each application's summed affinity, in FAIR_SCALE units
    for a in np.flatnonzero(k > 0):
        members = by_app[app_starts[a] : app_starts[a + 1]].tolist()
        chosen = [x[i] for i in members]
        model.add(sum(chosen) == int(k[a]))
        summed[a] = cp_model.LinearExpr.weighted_sum(chosen, weights[members].tolist())
        model.add(summed[a] >= worst)
    by_rev = np.argsort(revs, kind="stable")
    rev_starts = np.searchsorted(revs[by_rev], np.arange(m + 1))
    for r in range(m):
        members = by_rev[rev_starts[r] : rev_starts[r + 1]].tolist()
        low, high = int(problem.min_load[r]), int(problem.max_load[r])
        if members and (low > 0 or high < len(members)):
            model.add_linear_constraint(sum(x[i] for i in members), low, high)
        elif low > 0:  # cannot happen: the total's pairs are candidates
            raise AssertionError("a reviewer with a minimum load has no candidate pair")
    in_total = np.isin(keys[keep], start_pairs[:, 0] * m + start_pairs[:, 1])
    for var, hint in zip(x, in_total.tolist(), strict=True):
        model.add_hint(var, hint)
    for i in np.flatnonzero(np.isin(keys[keep], required)):
        model.add(x[i] == 1)
    if problem.has_groups:
        _add_group_constraints(model, x, apps, revs, problem)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    proven, bound_units, values = True, None, None
    if fair:
        model.maximize(worst)
        first = solver.solve(model)
        if first in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            worst_value = solver.value(worst)
            proven = first == cp_model.OPTIMAL and exact
            bound_units = solver.best_objective_bound
            values = [solver.boolean_value(var) for var in x]
            model.clear_hints()
            for var, value in zip(x, values, strict=True):
                model.add_hint(var, value)
            model.add(worst >= worst_value)
            if leximin:
                values, levels_proven = _leximin_rounds(
                    model, solver, x, values, summed, leximin,
                    int(FAIR_SCALE * k.max()))  # fmt: skip
                model.clear_hints()
                for var, value in zip(x, values, strict=True):
                    model.add_hint(var, value)
        elif not problem.has_groups:
            result = _result(problem, total.pairs, total.upper_bound, name, total.rounds)
            return _with_fair_stats(result, _worst_off_ceiling(problem), False, started)
    if values is not None or not fair:
        model.maximize(cp_model.LinearExpr.weighted_sum(x, weights.tolist()))
        second = solver.solve(model)
        if second in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = [solver.boolean_value(var) for var in x]
    if values is None:
        raise InfeasibleAssignment(
            "no assignment within the group limits was found"
            + (" in the time allowed" if not exact else "")
            + ": allow more reviewers per group, fewer seniors, or more time"
        )
    chosen = np.flatnonzero(values)
    pairs = np.column_stack([apps[chosen], revs[chosen]])
    result = _result(problem, pairs, total.upper_bound, name, total.rounds)
    if not problem.has_groups and result.min_application_affinity < total.min_application_affinity:
        result = _result(problem, total.pairs, total.upper_bound, name, total.rounds)
    ceiling = _worst_off_ceiling(problem)
    if exact and bound_units is not None:  # the programme's own bound holds for the whole problem
        slack = float(k.max()) * 0.5 / FAIR_SCALE  # rounding the weights
        ceiling = min(ceiling, bound_units / FAIR_SCALE + slack)
    if not fair:  # "total" under group limits: how far from the unconstrained ceiling
        result.stats["groups"] = {"variables": len(x), "gap": result.gap,
                                  "seconds": round(time.perf_counter() - started, 2)}  # fmt: skip
        return result
    result.stats["fair"] = {"variables": len(x)}
    if leximin and values is not None and fair and bound_units is not None:
        sums = np.bincount(result.pairs[:, 0], problem.affinity_of(*result.pairs.T), n)
        lowest = np.sort(sums[k > 0])[: leximin + 1]  # the levels the rounds raised
        result.stats["fair"]["leximin"] = [round(float(v), 5) for v in lowest]
        result.stats["fair"]["leximin_proven"] = levels_proven and proven
    return _with_fair_stats(result, ceiling, proven, started)


def _leximin_rounds(model, solver, x, values, summed, rounds, top):
    """Raise the second-smallest summed affinity of an application as far as it goes
    while the smallest stays, then the third, for ``rounds`` more levels: exactly, by
    maximising the sum of the j smallest (Ogryczak and Śliwiński: the sum of the j
    smallest of s equals max over r of j·r − Σ max(0, r − s_a), which is linear), each
    sum kept at what was reached in the next round. Returns the values and whether every
    round was proven optimal (each may take the time limit; one that finds nothing in it
    ends the rounds)."""
    from ortools.sat.python import cp_model

    n = len(summed)
    proven = True
    for j in range(2, min(rounds + 1, n) + 1):
        r = model.new_int_var(0, top, f"r{j}")
        gaps = []
        for a, expression in summed.items():
            gap = model.new_int_var(0, top, f"d{j}_{a}")
            model.add(gap + expression >= r)
            gaps.append(gap)
        smallest = j * r - sum(gaps)  # the sum of the j smallest, at the optimum
        model.maximize(smallest)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        proven = proven and status == cp_model.OPTIMAL
        reached = round(solver.objective_value)
        model.add(smallest >= reached)
        values = [solver.boolean_value(var) for var in x]
        model.clear_hints()
        for var, value in zip(x, values, strict=True):
            model.add_hint(var, value)
    return values, proven


def _add_group_constraints(model, x, apps, revs, problem: AssignmentProblem) -> None:
    """At most max_per_group reviewers of one label per application; at least
    min_seniors seniors (or all of its reviews, if fewer)."""
    by_pair: dict[tuple[int, int], list] = {}
    seniors: dict[int, list] = {}
    for i, (a, r) in enumerate(zip(apps.tolist(), revs.tolist(), strict=True)):
        if problem.group_of is not None and problem.group_of[r] >= 0:
            by_pair.setdefault((a, int(problem.group_of[r])), []).append(x[i])
        if problem.seniors is not None and problem.seniors[r]:
            seniors.setdefault(a, []).append(x[i])
    for members in by_pair.values():
        if len(members) > problem.max_per_group:
            model.add(sum(members) <= problem.max_per_group)
    if problem.min_seniors:
        for a in np.flatnonzero(problem.reviews_per_application > 0).tolist():
            wanted = min(problem.min_seniors, int(problem.reviews_per_application[a]))
            model.add(sum(seniors.get(a, [])) >= wanted)


def _senior_candidates(problem: AssignmentProblem, width: int):
    """Each application's best ``width`` senior reviewers."""
    apps, revs = [], []
    juniors = ~problem.seniors
    for start, stop, block in problem.blocks():
        block[:, juniors] = -np.inf
        take = min(width, problem.n_reviewers)
        best = np.argpartition(-block, take - 1, axis=1)[:, :take]
        rows = np.repeat(np.arange(stop - start), take)
        cols = best.ravel()
        keep = np.isfinite(block[rows, cols])
        apps.append(rows[keep] + start)
        revs.append(cols[keep])
    return np.concatenate(apps).astype(np.int64), np.concatenate(revs).astype(np.int64)


def _senior_flow(problem: AssignmentProblem, width: int) -> np.ndarray:
    """The best assignment that gives every application its seniors (groups aside): a
    min-cost flow in which each application's seniors arrive through a node that must
    keep ``min_seniors`` of them. A start for the programme."""
    n, m = problem.shape
    k = problem.reviews_per_application
    wanted = np.minimum(problem.min_seniors, k)
    apps, revs = _initial_candidates(problem, width, None)
    more_apps, more_revs = _senior_candidates(problem, int(k.max()) + 3)
    keys = np.unique(np.concatenate([apps * m + revs, more_apps * m + more_revs]))
    apps, revs = keys // m, keys % m
    weights = problem.affinity_of(apps, revs)
    source, senior_node = n + m, n + m + 1 + np.arange(n)
    heads = np.where(problem.seniors[revs], senior_node[apps], apps)
    tails = np.concatenate([np.full(m, source), n + revs, senior_node])
    heads = np.concatenate([n + np.arange(m), heads, np.arange(n)])
    capacities = np.concatenate(
        [problem.max_load - problem.min_load, np.ones(len(apps), np.int64), k - wanted]
    )
    costs = np.concatenate([np.zeros(m, np.int64), -np.rint(weights * COST_SCALE).astype(np.int64),
                            np.zeros(n, np.int64)])  # fmt: skip
    supplies = np.zeros(n + m + 1 + n, dtype=np.int64)
    supplies[:n] = -(k - wanted)
    supplies[senior_node] = -wanted
    supplies[n:source] = problem.min_load
    supplies[source] = problem.reviews_needed - int(problem.min_load.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int64), heads.astype(np.int64),
                                              capacities.astype(np.int64), costs)  # fmt: skip
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if flow.solve() != flow.OPTIMAL:
        return np.empty((0, 2), dtype=np.int64)
    used = flow.flows(np.arange(m, m + len(apps))) == 1
    return np.column_stack([apps[used], revs[used]])


def _repair_groups(problem: AssignmentProblem, pairs: np.ndarray) -> np.ndarray:
    """A start for the programme: the unconstrained optimum, with each application's
    reviewers beyond a group's limit (the weakest first) replaced by its best free
    reviewers that keep the limits, seniors first while it has too few."""
    n, m = problem.shape
    loads = np.bincount(pairs[:, 1], minlength=m)
    keep = []
    for a, rows in _by_application(pairs, n):
        mine = sorted(
            rows.tolist(),
            key=lambda r: -float(problem.affinity_of(np.array([a]), np.array([r]))[0]),
        )
        if _groups_ok(problem, mine, len(mine)):
            keep.extend((a, r) for r in mine)
            continue
        chosen: list[int] = []
        row = problem.block(a, a + 1)[0]
        wanted = min(problem.min_seniors, len(mine)) if problem.seniors is not None else 0
        for r in mine:  # keep what fits, strongest first
            if _fits(problem, chosen, r, len(mine), wanted):
                chosen.append(r)
            else:
                loads[r] -= 1
        for r in np.argsort(-row).tolist():  # then fill from the best free reviewers
            if len(chosen) == len(mine) or not np.isfinite(row[r]):
                break
            if (
                r not in chosen
                and loads[r] < problem.max_load[r]
                and _fits(problem, chosen, r, len(mine), wanted)
            ):
                chosen.append(r)
                loads[r] += 1
        keep.extend((a, r) for r in chosen)
    return np.array(keep, dtype=np.int64).reshape(-1, 2)


def _by_application(pairs: np.ndarray, n: int):
    order = np.argsort(pairs[:, 0], kind="stable")
    starts = np.searchsorted(pairs[order, 0], np.arange(n + 1))
    for a in range(n):
        if starts[a + 1] > starts[a]:
            yield a, pairs[order[starts[a] : starts[a + 1]], 1]


def _groups_ok(problem: AssignmentProblem, reviewers: list[int], k: int) -> bool:
    if problem.group_of is not None:
        labels = problem.group_of[reviewers]
        _, counts = np.unique(labels[labels >= 0], return_counts=True)
        if counts.size and counts.max() > problem.max_per_group:
            return False
    if problem.seniors is not None and problem.min_seniors:
        return int(problem.seniors[reviewers].sum()) >= min(problem.min_seniors, k)
    return True


def _fits(problem: AssignmentProblem, chosen: list[int], r: int, k: int, wanted: int) -> bool:
    """Whether r can join ``chosen`` without breaking a group limit or leaving too few
    places for the seniors still missing."""
    if problem.group_of is not None and problem.group_of[r] >= 0:
        same = sum(problem.group_of[c] == problem.group_of[r] for c in chosen)
        if same >= problem.max_per_group:
            return False
    if wanted:
        seniors = sum(bool(problem.seniors[c]) for c in chosen) + bool(problem.seniors[r])
        if k - len(chosen) - 1 < wanted - seniors:
            return False
    return True


def _check_groups_feasible(problem: AssignmentProblem) -> None:
    """Say which application cannot have its reviews under the group limits."""
    k = problem.reviews_per_application
    groups = problem.group_of
    if groups is not None:
        members = np.zeros((problem.n_reviewers, int(groups.max()) + 1 if groups.size else 0))
        members[np.flatnonzero(groups >= 0), groups[groups >= 0]] = 1
    for start, _stop, block in problem.blocks():
        free = np.isfinite(block).astype(np.float64)
        need = k[start : start + len(block)]
        if groups is not None:
            reachable = free[:, groups < 0].sum(axis=1)
            reachable += np.minimum(free @ members, problem.max_per_group).sum(axis=1)
            short = np.flatnonzero((need > 0) & (reachable < need))
            if short.size:
                a = start + int(short[0])
                raise InfeasibleAssignment(
                    f"application {a} needs {k[a]:,} reviews but, at most "
                    f"{problem.max_per_group:,} per group, only {int(reachable[short[0]]):,} "
                    "reviewers without a conflict can take it",
                    application=a,
                )
        if problem.seniors is not None and problem.min_seniors:
            have = free @ problem.seniors.astype(np.float64)
            wanted = np.minimum(problem.min_seniors, need)
            short = np.flatnonzero((need > 0) & (have < wanted))
            if short.size:
                a = start + int(short[0])
                raise InfeasibleAssignment(
                    f"application {a} needs {int(wanted[short[0]]):,} senior reviewers but "
                    f"only {int(have[short[0]]):,} without a conflict can take it",
                    application=a,
                )


def _with_fair_stats(fair: AssignmentResult, ceiling: float, optimal: bool,
                     started: float | None = None) -> AssignmentResult:  # fmt: skip
    ceiling = max(ceiling, fair.min_application_affinity)
    worst = fair.min_application_affinity
    fair.stats.setdefault("fair", {}).update({
        "worst_off": worst,
        "ceiling": ceiling,
        "gap": max(0.0, 1 - worst / ceiling) if ceiling > 0 else 0.0,
        "optimal": optimal,
        "seconds": round(time.perf_counter() - started, 2) if started else 0.0,
    })  # fmt: skip
    return fair


def _result(problem, pairs, upper_bound, objective, rounds) -> AssignmentResult:
    n, m = problem.shape
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    weights = problem.affinity_of(pairs[:, 0], pairs[:, 1])
    per_application = np.bincount(pairs[:, 0], weights=weights, minlength=n)
    total = float(weights.sum())
    return AssignmentResult(
        pairs=pairs,
        total_affinity=total,
        upper_bound=max(upper_bound, total),
        min_application_affinity=float(per_application[problem.reviews_per_application > 0].min())
        if (problem.reviews_per_application > 0).any()
        else 0.0,
        objective=objective,
        application_affinity=per_application,
        loads=np.bincount(pairs[:, 1], minlength=m),
        rounds=rounds,
        candidate_pairs=len(pairs),
    )


def _worst_off_ceiling(problem: AssignmentProblem) -> float:
    """No assignment gives an application more than the sum of its k best permitted
    affinities, so none lifts the worst-off above the smallest of those sums."""
    k = problem.reviews_per_application
    ceiling = np.inf
    for start, stop, block in problem.blocks():
        need = k[start:stop]
        kmax = int(need.max()) if need.size else 0
        if kmax == 0:
            continue
        top = -np.partition(-block, kmax - 1, axis=1)[:, :kmax]
        top = -np.sort(-top, axis=1)
        sums = np.where(np.arange(kmax)[None, :] < need[:, None], top, 0.0).sum(axis=1)
        ceiling = min(ceiling, float(sums[need > 0].min()))
    return 0.0 if not np.isfinite(ceiling) else ceiling


# -- randomised ----------------------------------------------------------------------


def _randomized(problem: AssignmentProblem, cap: float, seed: int | None) -> AssignmentResult:
    """An assignment drawn at random, no pair more likely than ``cap``.

    1. The best fractional assignment in which each pair has at most ``cap`` of a
       review: a min-cost flow in which a review is ``units`` units of flow and a pair
       carries at most ``cap × units`` of them (``cap`` rounded to a fraction with a
       denominator of at most 20). Its value is the expected total.
    2. Dependent rounding (Gandhi et al., 2006) turns it into one assignment: each pair
       is chosen with exactly its fractional value as probability, every application
       gets exactly its reviews and every load ends at the floor or ceiling of its
       fractional load, so within the limits.

    ``stats["randomized"]`` holds the cap, the expected total and the deterministic
    optimum ("total") it is compared with: the price of the protection. A reviewer who
    wants a friend's application cannot count on getting it.
    """
    n, m = problem.shape
    if len(problem.must_assign):
        raise AssignmentError("must_assign: not with the randomized objective")
    fraction = Fraction(cap).limit_denominator(20)
    units, pair_capacity = fraction.denominator, fraction.numerator
    need = problem.reviews_per_application
    free = m - np.asarray(problem.conflicts.sum(axis=1)).ravel()
    short = np.flatnonzero(free * pair_capacity < need * units)
    if short.size:
        a = short[0]
        raise InfeasibleAssignment(
            f"application {a} has {free[a]:,} reviewers without a conflict; with no pair "
            f"above a probability of {float(fraction):.2f} it needs at least "
            f"{-(-need[a] * units // pair_capacity):,}",
            application=int(a),
        )
    deterministic = _maximise_total(problem, floor=None)
    width = min(m, int(np.ceil(int(need.max()) * units / pair_capacity)) * 2 + 6)
    while True:
        apps, revs = _initial_candidates(problem, width, None)
        weights = problem.affinity_of(apps, revs)
        flow = _solve_flow(problem, apps, revs, weights, units=units, pair_capacity=pair_capacity)
        if flow.status == "optimal" or width >= m:
            break
        width = min(m, width * 4)
    if flow.status != "optimal":
        raise InfeasibleAssignment(
            f"no assignment keeps every pair at a probability of {float(fraction):.2f} or "
            "less within the load limits: raise max_probability or the loads"
        )
    amounts = flow.amounts
    expected = float((weights * amounts).sum()) / units
    rng = np.random.default_rng(seed)
    rounded = _dependent_rounding(apps, revs + n, amounts.copy(), units, rng)
    chosen = np.flatnonzero(rounded == units)
    pairs = np.column_stack([apps[chosen], revs[chosen]])
    result = _result(problem, pairs, deterministic.upper_bound, "randomized", 1)
    result.stats["randomized"] = {
        "max_probability": float(fraction),
        "expected_total": expected,
        "deterministic_total": deterministic.total_affinity,
        "expected_share": expected / deterministic.total_affinity
        if deterministic.total_affinity > 0
        else 1.0,
        "largest_probability": float(amounts.max()) / units if amounts.size else 0.0,
    }
    return result


def _dependent_rounding(
    left: np.ndarray, right: np.ndarray, amounts: np.ndarray, units: int, rng
) -> np.ndarray:
    """Round each edge's amount (0..units) to 0 or units, keeping its expectation.

    Repeatedly take a cycle or a maximal path of fractional edges, move flow around
    it one way or the other (each with the probability that keeps expectations) until
    an edge becomes whole. Vertices inside a cycle or path keep their sums; a path's
    ends (a vertex with one fractional edge) move to the floor or ceiling of theirs.
    """
    ends = np.stack([left, right], axis=1)
    fractional = {int(e) for e in np.flatnonzero((amounts > 0) & (amounts < units))}
    touching: dict[int, set[int]] = {}
    for e in fractional:
        for vertex in ends[e]:
            touching.setdefault(int(vertex), set()).add(e)

    def other(e: int, vertex: int) -> int:
        a, b = ends[e]
        return int(b if a == vertex else a)

    def walk(start: int, first: int | None) -> tuple[list[int], bool]:
        """Edges from ``start`` until a dead end (False) or a cycle (True)."""
        edges, vertices = [], {start: 0}
        vertex, previous = start, None
        while True:
            options = touching.get(vertex, set()) - {previous}
            if first is not None and not edges:
                options = {first}
            if not options:
                return edges, False
            e = min(options)
            edges.append(e)
            vertex, previous = other(e, vertex), e
            if vertex in vertices:
                return edges[vertices[vertex] :], True
            vertices[vertex] = len(edges)

    while fractional:
        e = min(fractional)
        edges, closed = walk(int(ends[e][0]), e)
        if not closed:  # restart from the dead end: a maximal path, or a cycle on the way
            last = _end_of(edges, ends, int(ends[e][0]))
            edges, closed = walk(last, None)
        signs = np.array([1 if i % 2 == 0 else -1 for i in range(len(edges))])
        current = amounts[edges]
        up = int(np.min(np.where(signs > 0, units - current, current)))
        down = int(np.min(np.where(signs > 0, current, units - current)))
        step = up if rng.random() < down / (up + down) else -down
        amounts[edges] = current + signs * step
        for edge in edges:
            if amounts[edge] in (0, units):
                fractional.discard(edge)
                for vertex in ends[edge]:
                    touching[int(vertex)].discard(edge)
    return amounts


def _end_of(edges: list[int], ends: np.ndarray, start: int) -> int:
    vertex = start
    for e in edges:
        a, b = ends[e]
        vertex = int(b if a == vertex else a)
    return vertex


# -- the per-review floor (the benchmark's baseline for fairness) ---------------------


def _bottleneck_floor(problem: AssignmentProblem) -> float:
    """The highest affinity floor at which every application still gets its reviews.

    A binary search on a per-review minimum: with every pair below the floor removed,
    is a complete assignment still possible? The answer only changes at an affinity
    value, so the search runs over the sorted distinct affinities of each
    application's best candidates, starting from the top, where graphs are small.
    """
    k = problem.reviews_per_application
    width = min(problem.n_reviewers, max(8 * int(k.max()), 40))
    apps, revs = _initial_candidates(problem, width, None)
    values = problem.affinity_of(apps, revs)
    # no floor can beat the worst application's k-th best pair
    kth = np.full(problem.n_applications, np.inf)
    order = np.lexsort((-values, apps))
    first = np.searchsorted(apps[order], np.arange(problem.n_applications))
    has = k > 0
    kth[has] = values[order][first[has] + k[has] - 1]
    ceiling = float(kth.min())
    levels = np.unique(values[values <= ceiling])[::-1]
    feasible = lambda t: _feasible_with_floor(problem, float(t))  # noqa: E731
    if not levels.size or not feasible(levels[-1]):
        return 0.0
    # gallop down from the top, then bisect
    low_ok, high_bad, step = None, -1, 1
    index = 0
    while index < len(levels):
        if feasible(levels[index]):
            low_ok = index
            break
        high_bad = index
        index = min(len(levels) - 1, index + step)
        step *= 2
    lo, hi = high_bad, low_ok  # levels[hi] feasible, levels[lo] not (lo may be -1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(levels[mid]):
            hi = mid
        else:
            lo = mid
    return float(levels[hi])


def _feasible_with_floor(problem: AssignmentProblem, floor: float) -> bool:
    apps, revs = [], []
    for start, _stop, block in problem.blocks():
        rows, cols = np.nonzero(block >= floor)
        apps.append(rows + start)
        revs.append(cols)
    apps_all, revs_all = np.concatenate(apps), np.concatenate(revs)
    if np.any(
        np.bincount(apps_all, minlength=problem.n_applications) < problem.reviews_per_application
    ):
        return False
    flow = _solve_flow(problem, apps_all, revs_all, np.zeros(len(apps_all)))
    return flow.status == "optimal"


def _why_no_flow(problem: AssignmentProblem, floor: float | None) -> tuple[str, int | None]:
    """Say how many reviews can be placed at most, and which application falls short.

    Solves the flow again with an expensive overflow arc from the source to every
    application: the overflow is what no permitted pair can carry.
    """
    n, m = problem.shape
    needed = problem.reviews_needed
    if floor:
        return f"no assignment gives every review an affinity of at least {floor:.3f}", None
    apps, revs = _initial_candidates(problem, m, None)
    source = n + m
    tails = np.concatenate([np.full(m + n, source, dtype=np.int64), n + revs])
    heads = np.concatenate([n + np.arange(m), np.arange(n), apps]).astype(np.int64)
    capacities = np.concatenate(
        [
            problem.max_load - problem.min_load,
            problem.reviews_per_application,
            np.ones(len(apps), dtype=np.int64),
        ]
    )
    costs = np.concatenate(
        [np.zeros(m, dtype=np.int64), np.ones(n, dtype=np.int64), np.zeros(len(apps), np.int64)]
    )
    supplies = np.zeros(n + m + 1, dtype=np.int64)
    supplies[:n] = -problem.reviews_per_application
    supplies[n:source] = problem.min_load
    supplies[source] = needed - int(problem.min_load.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(np.arange(n + m + 1), supplies)
    if flow.solve() != flow.OPTIMAL:
        return (
            "no assignment meets every reviewer's minimum load: the conflicts leave some "
            "reviewers too few applications to reach it"
        ), None
    overflow = flow.flows(np.arange(m, m + n))
    short = np.flatnonzero(overflow)
    placed = needed - int(overflow.sum())
    example = short[0]
    return (
        f"only {placed:,} of the {needed:,} reviews can be placed within the load limits "
        f"without a conflict; application {example} gets "
        f"{problem.reviews_per_application[example] - overflow[example]:,} of its "
        f"{problem.reviews_per_application[example]:,} (the reviewers free for it are full)"
    ), int(example)
