"""The Redis-backed task queue: jobs and e-mails queued in Redis, run by `ascent worker`."""

import os
import socket

import pytest

from tests.cli.test_commands import REOPEN, SMALL_ARGS, ascent

REDIS = "redis://127.0.0.1:6379/9"  # a database of its own, emptied first


@pytest.fixture
def redis_queue():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("ASCENT_REQUIRE_POSTGRES") == "1":  # CI has every service
            pytest.fail("no Redis at 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379")
    import redis

    connection = redis.Redis.from_url(REDIS)
    connection.flushdb()
    yield connection
    connection.flushdb()


def test_a_job_queued_in_redis_is_run_by_a_worker(tmp_path, redis_queue):
    run = {"tmp_path": tmp_path, "ASCENT_TASKS": "redis", "REDIS_URL": REDIS}
    assert ascent("migrate", "--verbosity", "0", **run).returncode == 0
    assert ascent("world", *SMALL_ARGS, **run).returncode == 0
    assert ascent("shell", "-c", REOPEN.format(slug="2016"), **run).returncode == 0
    queued = ascent("screen", "2016", "--queue", **run)
    assert queued.returncode == 0, queued.stderr
    job = queued.stdout.split()[3].rstrip(";")
    state = f"from ascent.common.models import Job; print(Job.objects.get(pk={job}).state)"
    assert ascent("shell", "-c", state, **run).stdout.split()[-1] == "queued"
    assert redis_queue.llen("rq:queue:default") == 1  # in Redis, not in the database
    worker = ascent("worker", "--batch", **run)
    assert worker.returncode == 0, worker.stderr
    assert ascent("shell", "-c", state, **run).stdout.split()[-1] == "done"
    assert redis_queue.llen("rq:queue:default") == 0


def test_the_redis_queue_needs_its_address(tmp_path):
    refused = ascent("check", tmp_path=tmp_path, ASCENT_TASKS="redis", REDIS_URL="")
    assert refused.returncode != 0
    assert "ASCENT_TASKS=redis needs REDIS_URL" in refused.stderr
