from .applicant import Applicant
from .application import TRANSITIONS, Application, ApplicationStatus, ApplicationTransition
from .eligibility import Eligibility
from .plan import (
    CheckIn,
    FeedbackRequest,
    Goal,
    MentorComment,
    Reminder,
    SupporterLink,
    SupporterNote,
)
from .reference import Reference, ReferenceState, Relationship
from .stored_file import StoredFile
from .supporter import Supporter

__all__ = [
    "TRANSITIONS",
    "Applicant",
    "Application",
    "ApplicationStatus",
    "ApplicationTransition",
    "CheckIn",
    "Eligibility",
    "FeedbackRequest",
    "Goal",
    "MentorComment",
    "Reference",
    "ReferenceState",
    "Relationship",
    "Reminder",
    "StoredFile",
    "Supporter",
    "SupporterLink",
    "SupporterNote",
]
