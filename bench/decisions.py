"""Benchmark: calibration accuracy and the speed of calibrate, audit and gap reports.

    python bench/decisions.py            # both tables
    python bench/decisions.py --speed    # only the speed table
    python bench/decisions.py --accuracy # only the accuracy table

Accuracy: synthetic cycles (2,000 applications, 120 reviewers, 3 reviews, noise 0.9 scale
points) at reviewer-bias levels from none to larger than the noise, five seeds each. For
the raw mean of scores and for the calibrated merit: Spearman correlation of the
composite with the true composite (eligible, reviewed applications), and precision of
the selected set against the true top (the share of the true top-k that is selected),
for k = 12 (the program's capacity) and k = 100.

Speed: one cycle of 20,000 applications × 3 reviews × 6 criteria with 500 reviewers:
calibrate, audit with 1,000 draws (and with resampled reviews), gap reports for all;
peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ascent.engine.calibration import calibrate  # noqa: E402
from ascent.engine.gap import gap_reports  # noqa: E402
from ascent.engine.selection import audit, select  # noqa: E402
from ascent.engine.world import generate_world  # noqa: E402

BIASES = (0.0, 0.35, 0.7, 1.4)
SEEDS = (1, 2, 3, 4, 5)


def reviews_of(cycle, k):
    return (
        np.repeat(cycle.review_application, k),
        np.repeat(cycle.review_reviewer, k),
        np.tile(np.arange(k), len(cycle.review_application)),
        cycle.scores.ravel().astype(float),
    )


def precision(truth, estimate, k):
    top = set(np.argsort(-truth, kind="stable")[:k].tolist())
    return len(top & set(np.argsort(-estimate, kind="stable")[:k].tolist())) / k


def accuracy() -> None:
    print("Calibration accuracy: 2,000 applications, 120 reviewers, 3 reviews, noise 0.9; "
          f"mean over seeds {', '.join(map(str, SEEDS))}")  # fmt: skip
    print()
    print("| reviewer bias (sd) | Spearman raw | Spearman calibrated | precision@12 raw | "
          "precision@12 calibrated | precision@100 raw | precision@100 calibrated |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for bias in BIASES:
        rows = []
        for seed in SEEDS:
            world = generate_world(seed=seed, cycles=1, applicants_per_cycle=2000,
                                   reviewers=120, reviewer_bias=bias)  # fmt: skip
            cycle = world.cycles[0]
            k = len(world.criteria)
            fit = calibrate(*reviews_of(cycle, k), n_applications=len(cycle.person),
                            n_reviewers=len(world.reviewers.name), n_criteria=k)  # fmt: skip
            ok = cycle.eligible & (fit.n_reviews > 0)
            truth = (cycle.true_merit @ world.weights)[ok]
            raw = cycle.composite[ok]
            cal = fit.composite(world.weights)[ok]
            rows.append((spearmanr(truth, raw)[0], spearmanr(truth, cal)[0],
                         precision(truth, raw, 12), precision(truth, cal, 12),
                         precision(truth, raw, 100), precision(truth, cal, 100)))  # fmt: skip
        mean = np.mean(rows, axis=0)
        print(f"| {bias:.2f} | {mean[0]:.3f} | {mean[1]:.3f} | {mean[2]:.2f} | {mean[3]:.2f} | "
              f"{mean[4]:.2f} | {mean[5]:.2f} |")  # fmt: skip
        sys.stdout.flush()


def instance(n: int = 20_000, m: int = 500, k: int = 6, per: int = 3, seed: int = 0):
    """Every application reviewed ``per`` times (the world reviews only the eligible):
    merit + reviewer bias + noise, rounded and clipped to 1..10, as in the world."""
    rng = np.random.default_rng(seed)
    merit = np.clip(rng.normal(5.5, 1.5, (n, k)), 1, 10)
    bias = rng.normal(0, 0.7, m)[:, None] + rng.normal(0, 0.2, (m, k))
    reviewers = np.array([rng.choice(m, per, replace=False) for _ in range(n)])
    app = np.repeat(np.arange(n), per * k)
    rev = np.repeat(reviewers.ravel(), k)
    cri = np.tile(np.arange(k), n * per)
    score = np.clip(np.rint(merit[app, cri] + bias[rev, cri] + rng.normal(0, 0.9, len(app))),
                    1, 10)  # fmt: skip
    weights = np.array([0.25, 0.2, 0.15, 0.15, 0.15, 0.1])[:k]
    return (app, rev, cri, score), merit, weights


def speed() -> None:
    reviews, truth, weights = instance()
    (n, k), m = truth.shape, 500
    eligible_all = np.ones(n, dtype=bool)
    rows = []

    start = time.perf_counter()
    fit = calibrate(*reviews, n_applications=n, n_reviewers=m, n_criteria=k)
    spearman = spearmanr(truth @ weights, fit.composite(weights))[0]
    rows.append(("calibrate", time.perf_counter() - start,
                 f"{fit.sweeps} sweeps; Spearman with the truth {spearman:.3f}"))  # fmt: skip
    eligible = eligible_all
    sel = select(fit.composite(weights), 12, eligible=eligible)

    start = time.perf_counter()
    checked = audit(fit, weights, 12, eligible=eligible, draws=1000)
    rows.append(("audit, 1,000 draws", time.perf_counter() - start,
                 f"expected overlap {checked.expected_overlap:.2f}"))  # fmt: skip
    start = time.perf_counter()
    resampled = audit(fit, weights, 12, eligible=eligible, draws=1000, resample=True,
                      reviews=reviews)  # fmt: skip
    rows.append(("audit, 1,000 draws, resampled reviews", time.perf_counter() - start,
                 f"expected overlap {resampled.expected_overlap:.2f}"))  # fmt: skip
    start = time.perf_counter()
    reports = gap_reports(fit, weights, sel, audit=checked)
    rows.append(("gap reports", time.perf_counter() - start, f"{len(reports):,} reports"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"Decisions at scale: {n:,} applications, {len(reviews[0]) // k:,} reviews × {k} "
          f"criteria, {m} reviewers; peak memory {peak:,.0f} MiB")  # fmt: skip
    print()
    print("| step | time | note |")
    print("| --- | ---: | --- |")
    for step, seconds, note in rows:
        print(f"| {step} | {seconds:.2f} s | {note} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--accuracy", action="store_true")
    args = parser.parse_args()
    both = not (args.speed or args.accuracy)
    if args.speed or both:
        speed()
    if both:
        print()
    if args.accuracy or both:
        accuracy()


if __name__ == "__main__":
    main()
