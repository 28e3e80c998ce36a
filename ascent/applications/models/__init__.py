from .applicant import Applicant
from .application import TRANSITIONS, Application, ApplicationStatus, ApplicationTransition
from .eligibility import Eligibility
from .plan import CheckIn, Goal, Reminder, SupporterLink, SupporterNote
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
    "Goal",
    "Reference",
    "ReferenceState",
    "Relationship",
    "Reminder",
    "StoredFile",
    "Supporter",
    "SupporterLink",
    "SupporterNote",
]
