from .applicant import Applicant
from .application import TRANSITIONS, Application, ApplicationStatus, ApplicationTransition
from .eligibility import Eligibility
from .reference import Reference, ReferenceState, Relationship
from .stored_file import StoredFile
from .supporter import Supporter

__all__ = [
    "TRANSITIONS",
    "Applicant",
    "Application",
    "ApplicationStatus",
    "ApplicationTransition",
    "Eligibility",
    "Reference",
    "ReferenceState",
    "Relationship",
    "StoredFile",
    "Supporter",
]
