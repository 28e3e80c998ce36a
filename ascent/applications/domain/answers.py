"""Answers checked against the cycle's form, with a message per field."""

from ascent.engine.forms import validate_answers
from ascent.programs.domain.forms import form_of
from ascent.programs.models import Cycle

from .errors import ApplicationError

__all__ = ["check_answers", "form_of"]


def check_answers(cycle: Cycle, answers, *, complete: bool) -> None:
    """Raise ApplicationError listing every problem, each with the answer's path."""
    problems = validate_answers(form_of(cycle), answers, complete=complete)
    if problems:
        raise ApplicationError(
            "; ".join(f"{path or 'answers'}: {message}" for path, message in problems),
            problems=problems,
        )
