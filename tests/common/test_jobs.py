"""Jobs survive a dead worker: silent running jobs are queued again, a few times at most."""

import datetime as dt

import pytest
from django.utils import timezone

from ascent.applications.models import Application
from ascent.applications.tasks import screen_cycle_task
from ascent.common.domain.jobs import MAX_ATTEMPTS, create_job, recover_jobs, run_job
from ascent.common.models import Job
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - dt.timedelta(hours=2)


def stuck(cycle, attempts=1, heartbeat=LONG_AGO):
    job = create_job("screening", cycle)
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=heartbeat,
                                         attempts=attempts)  # fmt: skip
    return job


def test_a_job_whose_worker_died_runs_again(open_cycle):
    ApplicationFactory(cycle=open_cycle, status="submitted", submitted_at=timezone.now(),
                       answers={"full_name": "A", "jet_hours": 1500})  # fmt: skip
    job = stuck(open_cycle)
    alive = stuck(open_cycle, heartbeat=timezone.now())
    assert recover_jobs() == [job.pk]
    job.refresh_from_db()
    assert job.state == "done"  # the immediate backend ran it again at once
    assert job.attempts == 2
    assert Application.objects.get().status == "in_review"
    alive.refresh_from_db()
    assert alive.state == "running"  # still answering: left alone


def test_after_too_many_attempts_it_fails_with_a_reason(open_cycle):
    job = stuck(open_cycle, attempts=MAX_ATTEMPTS)
    assert recover_jobs() == []
    job.refresh_from_db()
    assert job.state == "failed"
    assert "the worker stopped answering" in job.error


def test_a_duplicate_delivery_does_not_run_twice(open_cycle):
    job = create_job("screening", open_cycle)
    screen_cycle_task.enqueue(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 1)
    assert run_job(job.pk, lambda *_: pytest.fail("ran twice")) == job.result
