"""Background tasks of the applications app (django-tasks)."""

from django_tasks import task

from ascent.common.domain.jobs import job_task, run_job, start_job
from ascent.common.models import Job
from ascent.programs.domain.errors import ProgramError
from ascent.programs.models import Cycle

from .domain.screening import screen_cycle


@job_task("screening")
@task()
def screen_cycle_task(job_id: int) -> dict:
    def work(job, progress):
        cycle = Cycle.objects.get(pk=int(job.target_id))
        return screen_cycle(cycle, by=job.created_by, progress=progress).as_dict()

    return run_job(job_id, work, expected=(ProgramError,))


def start_screening(cycle: Cycle, *, by=None) -> Job:
    """Queue the screening of ``cycle``; returns the job that reports its progress."""
    return start_job("screening", cycle, screen_cycle_task, by=by)
