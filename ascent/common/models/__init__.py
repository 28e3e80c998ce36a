from .audit import AuditEvent
from .job import Job, JobState
from .outbox import OutboxMessage
from .preference import Preference
from .token import ApiToken, TokenRole

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Job",
    "JobState",
    "OutboxMessage",
    "Preference",
    "TokenRole",
]
