"""Jobs: long work that runs as a background task and reports its progress.

``start_job`` creates the row and enqueues the task (run inline by the immediate
backend, or by ``manage.py db_worker`` with the database backend); the task calls
``run_job``, which marks the job running, hands the work a ``Progress`` to report to,
and stores the result or the error. The work itself is a plain domain function, which
the CLI also calls directly with a progress bar.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils import timezone

from ascent.common.models import Job, JobState

log = logging.getLogger(__name__)


class Progress:
    """Reports ``done`` of ``total`` for a phase; writes to the job at most twice a second."""

    def __init__(
        self,
        job: Job | None = None,
        *,
        interval: float = 0.5,
        echo: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.job, self.interval, self.echo = job, interval, echo
        self._last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.echo is not None:
            self.echo(phase, done, total)
        now = time.monotonic()
        if self.job is None or (now - self._last < self.interval and done < total):
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(phase=phase[:200], done=done, total=total,
                                                  heartbeat_at=timezone.now())  # fmt: skip


def create_job(kind: str, target: models.Model, *, by=None, **parameters: Any) -> Job:
    return Job.objects.create(
        kind=kind,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        parameters=parameters,
        created_by=by if by is not None and by.is_authenticated else None,
    )


def run_job(
    job_id: int,
    work: Callable[[Job, Progress], dict],
    *,
    expected: tuple[type[Exception], ...] = (),
) -> dict:
    """Run ``work(job, progress)``; store its result (a JSON dict) or its error.

    An ``expected`` error (a domain error, whose message is for people) fails the job
    with that message and ends the task normally; any other error is logged with its
    traceback and raised, so the task backend records it too.
    """
    job = Job.objects.get(pk=job_id)
    if job.state in (JobState.DONE, JobState.FAILED):
        return job.result or {"error": job.error}  # a duplicate delivery: already finished
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=now,
                                         heartbeat_at=now, attempts=models.F("attempts") + 1)  # fmt: skip
    try:
        result = work(job, Progress(job))
    except Exception as error:
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=str(error) or type(error).__name__,
            finished_at=timezone.now(),
        )  # fmt: skip
        if isinstance(error, expected):
            log.info("job %s (%s) stopped: %s", job.pk, job.kind, error)
            return {"error": str(error)}
        log.exception("job %s (%s) failed", job.pk, job.kind)
        raise
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, result=result, finished_at=timezone.now(), done=models.F("total")
    )
    return result


def start_job(kind: str, target: models.Model, task, *, by=None, **parameters: Any) -> Job:
    """Create the job and enqueue ``task`` with its id; returns the job as it is now
    (already done when the task backend runs tasks at once)."""
    job = create_job(kind, target, by=by, **parameters)
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=result.id)
    job.refresh_from_db()
    return job


# -- recovery ------------------------------------------------------------------------------

MAX_ATTEMPTS = 3
TASK_MODULES = ("ascent.applications.tasks", "ascent.review.tasks", "ascent.decisions.tasks")
_TASKS: dict[str, Any] = {}


def job_task(kind: str):
    """Register the task that runs jobs of ``kind`` (so that recovery can re-enqueue)."""

    def register(task):
        _TASKS[kind] = task
        return task

    return register


def recover_jobs(*, stale_after: dt.timedelta | None = None, now=None) -> list[int]:
    """Jobs whose worker died (running, silent for ``stale_after``: by default
    settings.JOB_STALE_AFTER seconds, 30 minutes) are queued again, up to MAX_ATTEMPTS;
    the work itself is safe to repeat (screening, assignment and selection replace their
    own results). Returns the ids queued again."""
    import importlib

    from django.conf import settings

    for module in TASK_MODULES:
        importlib.import_module(module)
    if stale_after is None:
        stale_after = dt.timedelta(seconds=settings.JOB_STALE_AFTER)
    now = now or timezone.now()
    requeued = []
    for job in Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=now - stale_after):
        _mark_task_failed(job.task_id, now)
        if job.attempts >= MAX_ATTEMPTS or job.kind not in _TASKS:
            Job.objects.filter(pk=job.pk).update(
                state=JobState.FAILED, finished_at=now,
                error=f"the worker stopped answering {job.attempts} times; start it again by hand",
            )  # fmt: skip
            continue
        Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, phase="queued again")
        result = _TASKS[job.kind].enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=result.id)
        requeued.append(job.pk)
    if requeued:
        log.warning("jobs queued again after their worker stopped: %s", requeued)
    return requeued


def _mark_task_failed(task_id: str, now) -> None:
    """Keep the task backend's own table truthful when it is the database one."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is always installed here
        return
    if task_id:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED", finished_at=now
        )
