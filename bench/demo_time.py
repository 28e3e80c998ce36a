"""Benchmark: ``ascent demo --no-serve`` on a fresh SQLite database, end to end.

    python bench/demo_time.py

Migrating, generating the world, loading it, screening every cycle with the rules
engine, deciding and releasing every past cycle through the product's pipeline, the
demo logins and the open cycle: what a new user waits for after ``make demo``. Prints
one Markdown table row (the target is under 90 s on a 2-core machine).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "ASCENT_VAR_DIR": var}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ascent.cli.main", "demo", "--no-serve"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        seconds = time.perf_counter() - started
        size = (Path(var) / "ascent.sqlite3").stat().st_size / 2**20
    print(f"| sqlite | 12 x 2,000 | {seconds:.1f} s | {size:,.0f} MiB |")


if __name__ == "__main__":
    main()
