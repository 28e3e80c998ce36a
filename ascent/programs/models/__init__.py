from .cycle import Cycle, CycleState
from .form import FieldKind, FormField
from .program import Program, TeamMember, TeamRole
from .rubric import Criterion, Quota, Requirement, Stage, StageKind

__all__ = [
    "Criterion",
    "Cycle",
    "CycleState",
    "FieldKind",
    "FormField",
    "Program",
    "Quota",
    "Requirement",
    "Stage",
    "StageKind",
    "TeamMember",
    "TeamRole",
]
