"""Background tasks of the decisions app (django-tasks)."""

from django_tasks import task

from ascent.common.domain.jobs import job_task, run_job, start_job
from ascent.common.models import Job
from ascent.programs.models import Cycle

from .domain.deciding import decide_cycle
from .domain.errors import DecisionError


@job_task("selection")
@task()
def decide_cycle_task(job_id: int) -> dict:
    def work(job, progress):
        cycle = Cycle.objects.select_related("program").get(pk=int(job.target_id))
        return decide_cycle(cycle, by=job.created_by, draws=job.parameters.get("draws", 1000),
                            seed=job.parameters.get("seed", 0), progress=progress).as_dict()  # fmt: skip

    return run_job(job_id, work, expected=(DecisionError,))


def start_decision(cycle: Cycle, *, by=None, draws: int = 1000, seed: int = 0) -> Job:
    """Queue the decision run of ``cycle``; returns the job that reports its progress."""
    return start_job("selection", cycle, decide_cycle_task, by=by, draws=draws, seed=seed)
