"""A real `ascent worker` killed with SIGKILL in the middle of a job: the next worker to
start queues the job again and runs it to the end, once, with nothing half-written."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.cli.test_commands import ascent

REOPEN = (
    "from ascent.cli.world_loader import undecide_cycle; from ascent.programs.models import Cycle;"
    "from ascent.review.models import Assignment;"
    "Assignment.objects.all().delete(); undecide_cycle(Cycle.objects.get())"
)


def job_state(database, job: str) -> tuple[str, int]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT state, attempts FROM common_job WHERE id = ?", (job,)).fetchone()


def assignments(database) -> tuple[int, int]:
    with sqlite3.connect(database) as db:
        total = db.execute("SELECT count(*) FROM review_assignment").fetchone()[0]
        pairs = db.execute("SELECT count(*) FROM (SELECT DISTINCT reviewer_id, application_id, "
                           "stage_id FROM review_assignment)").fetchone()[0]  # fmt: skip
    return total, pairs


def test_a_job_whose_worker_was_killed_is_run_again_to_the_end_once(tmp_path):
    database = tmp_path / "cli.sqlite3"
    run = {"tmp_path": tmp_path, "ASCENT_TASKS": "database", "ASCENT_JOB_STALE_AFTER": "1"}
    assert ascent("migrate", "--verbosity", "0", **run).returncode == 0
    world = ascent("world", "--cycles", "1", "--applicants-per-cycle", "4000",
                   "--reviewers", "200", **run)  # fmt: skip
    assert world.returncode == 0, world.stderr
    assert ascent("shell", "-c", REOPEN, **run).returncode == 0
    queued = ascent("assign", "2015", "--queue", **run)
    assert queued.returncode == 0, queued.stderr
    job = queued.stdout.split()[3].rstrip(";")

    env = {**os.environ, "ASCENT_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}",
           "ASCENT_TASKS": "database", "ASCENT_JOB_STALE_AFTER": "1"}  # fmt: skip
    env.pop("ASCENT_ENV", None)
    worker = subprocess.Popen([sys.executable, "-m", "ascent.cli.main", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while job_state(database, job)[0] != "running":
            assert time.monotonic() < deadline, "the worker never started the job"
            assert worker.poll() is None
            time.sleep(0.01)
    finally:
        worker.send_signal(signal.SIGKILL)  # in the middle of the job
        worker.wait(timeout=10)
    assert job_state(database, job) == ("running", 1)  # as the dead worker left it
    assert assignments(database) == (0, 0)  # its writes were one transaction: none of them

    time.sleep(1.5)  # its heartbeat is now older than ASCENT_JOB_STALE_AFTER
    again = ascent("worker", "--batch", **run)
    assert again.returncode == 0, again.stderr
    assert f"Queued again after their worker stopped: jobs [{int(job)}]" in again.stdout
    assert job_state(database, job) == ("done", 2)
    total, pairs = assignments(database)
    assert total == pairs > 0  # every review assigned once, no pair twice
    result = ascent("shell", "-c", f"from ascent.common.models import Job; "
                    f"print(Job.objects.get(pk={job}).result['assigned'])", **run)  # fmt: skip
    assert int(result.stdout.split()[-1]) == total
