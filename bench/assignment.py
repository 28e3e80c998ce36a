"""Benchmark: reviewer assignment, against one plain OR-Tools min-cost flow.

    python bench/assignment.py                       # every size, a table
    python bench/assignment.py --one N M KIND METHOD # one measurement (a child process)

Each measurement runs in its own process so that its peak memory (maximum resident
set) is its own. KIND is ``random`` (uniform affinities) or ``topics`` (applications and
reviewers drawn from 12 topics: most reviewers are poor matches for most applications,
as in real panels). Every instance has 3 reviews per application, 1 % of pairs in
conflict and a load limit 20 % above the average load.

METHOD is ``total`` or ``fair`` (``ascent.engine.assignment.solve``), ``plain`` (one
OR-Tools min-cost flow over every permitted pair, arcs built with NumPy: the baseline
the target compares against) or ``floor`` (the baseline for fairness: a binary search
on a per-review affinity floor, then any assignment above it).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

K = 3
SIZES = [(2_000, 400), (10_000, 2_000), (20_000, 3_000)]


def instance(n: int, m: int, kind: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    if kind == "random":
        affinity = rng.random((n, m))
    else:
        topics = 12
        a = rng.dirichlet(np.full(topics, 0.3), size=n)
        r = rng.dirichlet(np.full(topics, 0.3), size=m)
        a /= np.linalg.norm(a, axis=1, keepdims=True)
        r /= np.linalg.norm(r, axis=1, keepdims=True)
        affinity = np.clip(a @ r.T + rng.normal(0, 0.03, (n, m)), 0, 1)
    conflicts = rng.random((n, m)) < 0.01
    max_load = int(np.ceil(K * n / m * 1.2))
    return affinity, conflicts, max_load


def measure(n: int, m: int, kind: str, method: str) -> dict:
    from ascent.engine.assignment import AssignmentProblem, _feasible_with_floor, solve

    affinity, conflicts, max_load = instance(n, m, kind)
    problem = AssignmentProblem(affinity, K, max_load, conflicts=conflicts)
    start = time.perf_counter()
    row: dict = {"n": n, "m": m, "kind": kind, "method": method}
    if method in ("total", "fair"):
        result = solve(problem, method)
        row |= {
            "total": result.total_affinity,
            "upper_bound": result.upper_bound,
            "min_app": result.min_application_affinity,
            "floor": result.floor,
            "rounds": result.rounds,
            "candidates": result.candidate_pairs,
        }
    elif method == "plain":
        row |= plain_flow(problem)
    elif method == "floor":
        from ascent.engine.assignment import _bottleneck_floor

        floor = _bottleneck_floor(problem)
        assert _feasible_with_floor(problem, floor)
        row |= {"floor": floor, "min_app": floor_baseline_min(problem, floor)}
    row["seconds"] = time.perf_counter() - start
    row["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def plain_flow(problem) -> dict:
    """One min-cost flow over every permitted pair: source → reviewer → application."""
    from ortools.graph.python import min_cost_flow

    n, m = problem.shape
    apps, revs = np.nonzero(problem.block(0, n) > -np.inf)
    source = n + m
    tails = np.concatenate([np.full(m, source), n + revs])
    heads = np.concatenate([n + np.arange(m), apps])
    capacities = np.concatenate([problem.max_load, np.ones(len(apps), dtype=np.int64)])
    weights = problem.affinity[apps, revs]
    costs = np.concatenate([np.zeros(m, np.int64), -np.rint(weights * 1e6).astype(np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(n + m + 1, dtype=np.int64)
    supplies[:n] = -problem.reviews_per_application
    supplies[source] = problem.reviews_needed
    flow.set_nodes_supplies(np.arange(n + m + 1), supplies)
    assert flow.solve() == flow.OPTIMAL
    chosen = flow.flows(np.arange(m, m + len(apps))) == 1
    per_app = np.bincount(apps[chosen], weights=weights[chosen], minlength=n)
    return {"total": float(weights[chosen].sum()), "min_app": float(per_app.min())}


def floor_baseline_min(problem, floor: float) -> float:
    """Any assignment above the floor (zero costs): the worst application's affinity."""
    from ascent.engine.assignment import _initial_candidates, _solve_flow

    apps, revs = _initial_candidates(problem, problem.n_reviewers, floor)
    flow = _solve_flow(problem, apps, revs, np.zeros(len(apps)))
    chosen = flow.chosen
    weights = problem.affinity_of(apps[chosen], revs[chosen])
    return float(np.bincount(apps[chosen], weights=weights, minlength=problem.n_applications).min())


def child(n: int, m: int, kind: str, method: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(n), str(m), kind, method],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def table() -> None:
    print("Reviewer assignment: 3 reviews per application, 1 % conflicts, load limit 1.2 × average")
    print()
    print("| instance | applications × reviewers | method | time | peak memory | total affinity | "
          "of ceiling | worst application | floor | vs plain flow time |")  # fmt: skip
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in ("random", "topics"):
        for n, m in SIZES:
            plain = child(n, m, kind, "plain") if n * m <= 20_000_000 else None
            rows = [plain] if plain else []
            rows += [child(n, m, kind, method) for method in ("total", "fair", "floor")]
            best = next(r for r in rows if r["method"] == "total")
            for row in rows:
                ceiling = f"{row['total'] / best['upper_bound']:.5f}" if "total" in row else "—"
                versus = f"{row['seconds'] / plain['seconds']:.2f}×" if plain else "—"
                floor = f"{row['floor']:.3f}" if row.get("floor") else "—"
                total = f"{row['total']:,.1f}" if "total" in row else "—"
                print(
                    f"| {kind} | {n:,} × {m:,} | {row['method']} | {row['seconds']:.2f} s | "
                    f"{row['peak_mib']:,.0f} MiB | {total} | {ceiling} | {row['min_app']:.3f} | "
                    f"{floor} | {versus} |"
                )
                sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=4, metavar=("N", "M", "KIND", "METHOD"))
    args = parser.parse_args()
    if args.one:
        n, m, kind, method = args.one
        print(json.dumps(measure(int(n), int(m), kind, method)))
    else:
        table()


if __name__ == "__main__":
    main()
