"""Run every benchmark and print their tables: ``make bench``.

PostgreSQL rows run when BENCH_POSTGRES_URL (default the local test database) answers.
"""

import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def postgres_answers() -> bool:
    ready = HERE.parent / "scripts" / "db_ready.py"
    return subprocess.run([sys.executable, ready, POSTGRES], check=False).returncode == 0


def main() -> None:
    cores = os.cpu_count()
    print(f"Machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print()
    print("World loading (seed 0, 120 reviewers, reviews per eligible application as shown)")
    print()
    print("| database | cycles x applications | reviews each | applications | reviews | scores | rows | "
          "generate | load | rows/s | peak memory |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    sys.stdout.flush()
    # Only eligible applications are reviewed (about 65%); the 5-review run writes more
    # reviews (about 78,000) than the 12 x 2,000 x 3 = 72,000 of the target.
    runs = [[], ["--reviews-per-application", "5"]]
    if postgres_answers():
        runs.append(["--database-url", POSTGRES])
    for extra in runs:
        subprocess.run([sys.executable, HERE / "world_load.py", *extra], check=True)
    print()
    print("The demo, end to end (ascent demo --no-serve, SQLite)")
    print()
    print("| database | cycles x applications | time | database size |")
    print("| --- | --- | ---: | ---: |")
    sys.stdout.flush()
    subprocess.run([sys.executable, HERE / "demo_time.py"], check=True)
    print()
    print("Eligibility screening")
    print()
    sys.stdout.flush()
    subprocess.run([sys.executable, HERE / "screening.py"], check=True)
    print()
    sys.stdout.flush()
    subprocess.run([sys.executable, HERE / "assignment.py"], check=True)
    print()
    sys.stdout.flush()
    subprocess.run([sys.executable, HERE / "decisions.py"], check=True)
    print()
    print("A national call in the database: decide, screen and assign 20,000 applications")
    print()
    print("| database | applications | reviewers | load | decide | screen | assign | peak memory |")
    print("| --- | ---: | ---: | ---: | --- | --- | --- | ---: |")
    sys.stdout.flush()
    pipelines = [[]] + ([["--database-url", POSTGRES]] if postgres_answers() else [])
    for extra in pipelines:
        subprocess.run([sys.executable, HERE / "pipeline.py", *extra], check=True)
    print()
    print("The big pages of a 20,000-application cycle")
    sys.stdout.flush()
    for extra in [[]] + ([["--database-url", POSTGRES]] if postgres_answers() else []):
        subprocess.run([sys.executable, HERE / "large_pages.py", *extra], check=True)
    print()
    print("The deadline rush (ascent serve; sign in, drafts, submit; N = 200, 1,000, 5,000)")
    sys.stdout.flush()
    rush = [["--applicants", "200", "1000"]]
    if postgres_answers():
        rush += [["--database-url", POSTGRES],
                 ["--database-url", POSTGRES, "--applicants", "1000", "--sign-ins", "0",
                  "--kill-worker", "--restart-database"]]  # fmt: skip
    for extra in rush:
        subprocess.run([sys.executable, HERE / "submit_rush.py", *extra], check=True)


if __name__ == "__main__":
    main()
