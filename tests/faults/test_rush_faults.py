"""The kill test: a rush of submissions through the real server while one web worker is
killed with SIGKILL and (on PostgreSQL) the database server restarts. Afterwards every
confirmed submission is in the database exactly once, nothing is half-written, and no
retry made a second one. It runs bench/submit_rush.py, which checks all that in the
database and exits 1 otherwise."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]


def _can_restart_postgres() -> bool:
    return os.geteuid() == 0 and shutil.which("pg_ctlcluster") and shutil.which("pg_lsclusters")


def test_a_rush_through_a_killed_worker_and_a_database_restart_loses_and_doubles_nothing():
    command = [sys.executable, str(ROOT / "bench" / "submit_rush.py"), "--applicants", "240",
               "--sign-ins", "10", "--concurrency", "8", "--web-workers", "3", "--kill-worker",
               "--check"]  # fmt: skip
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgres:
        command += ["--database-url", os.environ["DATABASE_URL"]]  # (not the test database)
        if _can_restart_postgres():
            command.append("--restart-database")
        elif os.environ.get("ASCENT_REQUIRE_POSTGRES") == "1":
            pytest.fail(
                "the kill test must restart PostgreSQL here: run as root with pg_ctlcluster"
            )
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT,
                                timeout=600, check=False)  # fmt: skip
    finally:
        connections.close_all()  # the restart closed this process's connections too
    table = result.stdout
    assert result.returncode == 0, table + result.stderr[-3000:]
    assert "240 of 240 confirmed; nothing lost, nothing doubled" in table
    assert "killed worker" in table
    if "--restart-database" in command:
        assert "restarted PostgreSQL" in table
    submit = next(line for line in table.splitlines() if "| submit |" in line)
    assert submit.rstrip("|").rsplit("|", 1)[-1].strip() == "0"  # no 5xx reached a client
