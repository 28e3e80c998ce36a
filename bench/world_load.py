"""Benchmark: generate the default synthetic world and load it into a fresh database.

    python bench/world_load.py [--database-url URL] [--cycles 12] [--applicants-per-cycle 2000]

Without --database-url it uses a new SQLite file in a temporary directory. With a
PostgreSQL URL it loads into that database after migrating it, and deletes the world
afterwards. Prints one Markdown table row per run.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchdb import setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--cycles", type=int, default=12)
    parser.add_argument("--applicants-per-cycle", type=int, default=2000)
    parser.add_argument("--reviews-per-application", type=int, default=3)
    args = parser.parse_args()
    setup_django(args.database_url, "bench")
    from django.core.management import call_command
    from django.db import connection

    from ascent.cli.world_loader import delete_world_program, load_world
    from ascent.engine.world import generate_world

    call_command("migrate", verbosity=0)
    delete_world_program()
    started = time.perf_counter()
    world = generate_world(
        seed=0,
        cycles=args.cycles,
        applicants_per_cycle=args.applicants_per_cycle,
        reviews_per_application=args.reviews_per_application,
    )
    generated = time.perf_counter()
    summary = load_world(world)
    loaded = time.perf_counter()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    applications = summary.rows["applications"]
    print(
        f"| {connection.vendor} | {args.cycles} x {args.applicants_per_cycle:,} | "
        f"{args.reviews_per_application} | "
        f"{applications:,} | {summary.rows['reviews']:,} | {summary.rows['scores']:,} | "
        f"{summary.total_rows:,} | {generated - started:.1f} s | {loaded - generated:.1f} s | "
        f"{summary.total_rows / (loaded - generated):,.0f} | {peak_mib:,.0f} MiB |"
    )
    if args.database_url:
        delete_world_program()


if __name__ == "__main__":
    main()
