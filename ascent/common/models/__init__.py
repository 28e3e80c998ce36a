from .audit import AuditEvent
from .job import Job, JobState
from .outbox import OutboxMessage
from .token import ApiToken

__all__ = ["ApiToken", "AuditEvent", "Job", "JobState", "OutboxMessage"]
