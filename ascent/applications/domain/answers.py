"""Answers checked against the cycle's form, with a message per field."""

from ascent.engine.forms import FieldSpec, validate_answers
from ascent.programs.models import Cycle

from .errors import ApplicationError


def form_of(cycle: Cycle) -> tuple[FieldSpec, ...]:
    """The cycle's form as the engine's plain data, in form order."""
    return tuple(field.to_spec() for field in cycle.form_fields.order_by("position", "id"))


def check_answers(cycle: Cycle, answers, *, complete: bool) -> None:
    """Raise ApplicationError listing every problem, each with the answer's path."""
    problems = validate_answers(form_of(cycle), answers, complete=complete)
    if problems:
        raise ApplicationError(
            "; ".join(f"{path or 'answers'}: {message}" for path, message in problems),
            problems=problems,
        )
