from .audit import AuditEvent
from .job import Job, JobState

__all__ = ["AuditEvent", "Job", "JobState"]
