"""Background tasks of the review app (django-tasks)."""

from django_tasks import task

from ascent.common.domain.jobs import job_task, run_job, start_job
from ascent.common.models import Job
from ascent.programs.models import Stage

from .domain.assignment import assign_stage
from .domain.errors import ReviewError


@job_task("assignment")
@task()
def assign_stage_task(job_id: int) -> dict:
    def work(job, progress):
        stage = Stage.objects.select_related("cycle__program").get(pk=int(job.target_id))
        objective = job.parameters.get("objective", "total")
        return assign_stage(stage, by=job.created_by, objective=objective,
                            progress=progress).as_dict()  # fmt: skip

    return run_job(job_id, work, expected=(ReviewError,))


@task()
def prune_embeddings_task() -> int:
    """Delete the stored embeddings no current text gives (after an account's deletion)."""
    from .domain.embeddings import prune_embeddings

    return prune_embeddings()


def start_assignment(stage: Stage, *, by=None, objective: str = "total") -> Job:
    """Queue the assignment of ``stage``; returns the job that reports its progress."""
    return start_job("assignment", stage, assign_stage_task, by=by, objective=objective)
