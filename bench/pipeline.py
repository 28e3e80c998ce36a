"""Benchmark: a national call in the database — screen, assign and decide 20,000.

    python bench/pipeline.py [--database-url URL] [--applicants 20000] [--reviewers 600]

Loads one synthetic cycle of ``--applicants`` into a fresh database (a new SQLite file,
or the PostgreSQL at --database-url, cleaned up after), then times the three domain
steps as staff run them (the same functions the background jobs call):

1. ``decide_cycle`` on the world's own reviews (calibration, selection, 1,000-draw
   audit, gap reports, every decision written);
2. ``screen_cycle`` after reopening the cycle (every explanation stored, statuses moved);
3. ``assign_stage`` after removing the world's assignments (affinity, conflicts, the
   optimal assignment, every assignment written).

Prints one Markdown row.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchdb import load_national_call, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--applicants", type=int, default=20_000)
    parser.add_argument("--reviewers", type=int, default=600)
    args = parser.parse_args()
    setup_django(args.database_url, "pipeline")

    from ascent.applications.domain.screening import screen_cycle
    from ascent.applications.models import Application
    from ascent.cli.world_loader import delete_world_program
    from ascent.decisions.domain.deciding import decide_cycle
    from ascent.decisions.models import Decision
    from ascent.review.domain.assignment import assign_stage
    from ascent.review.models import Assignment

    cycle, loaded = load_national_call(args.applicants, args.reviewers)
    times = {}
    try:
        start = time.perf_counter()
        summary = decide_cycle(cycle, draws=1000)
        times["decide"] = time.perf_counter() - start

        Decision.objects.filter(application__cycle=cycle).delete()
        Assignment.objects.filter(stage__cycle=cycle).delete()
        Application.objects.filter(cycle=cycle).update(status="submitted")
        start = time.perf_counter()
        screened = screen_cycle(cycle)
        times["screen"] = time.perf_counter() - start

        stage = cycle.stages.get(kind="review")
        start = time.perf_counter()
        assigned = assign_stage(stage)
        times["assign"] = time.perf_counter() - start
    finally:
        delete_world_program()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    database = "postgresql" if args.database_url else "sqlite"
    print(f"| {database} | {args.applicants:,} | {args.reviewers} | {loaded:.1f} s | "
          f"{times['decide']:.1f} s ({len(summary.selected)} selected, overlap "
          f"{summary.expected_overlap:.2f}) | {times['screen']:.1f} s ({screened.eligible:,} "
          f"eligible) | {times['assign']:.1f} s ({assigned.assigned:,} reviews, "
          f"{assigned.total_affinity / max(assigned.upper_bound, 1e-9):.4f} of ceiling) | "
          f"{peak:,.0f} MiB |")  # fmt: skip


if __name__ == "__main__":
    main()
