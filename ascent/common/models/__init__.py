from .audit import AuditEvent
from .job import Job, JobState
from .outbox import OutboxMessage

__all__ = ["AuditEvent", "Job", "JobState", "OutboxMessage"]
