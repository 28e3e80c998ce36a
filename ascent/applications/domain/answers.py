"""Answers checked against the cycle's form, with a message per field."""

from ascent.engine.forms import validate_answers
from ascent.programs.domain.forms import form_of
from ascent.programs.models import Cycle

from .errors import ApplicationError

__all__ = ["check_answers", "form_of"]


def check_answers(cycle: Cycle, answers, *, complete: bool, form=None) -> None:
    """Raise ApplicationError listing every problem, each with the answer's path
    (``form``: the cycle's form when the caller has it already)."""
    problems = validate_answers(form if form is not None else form_of(cycle), answers,
                                complete=complete)  # fmt: skip
    if problems:
        raise ApplicationError(
            "; ".join(f"{path or 'answers'}: {message}" for path, message in problems),
            problems=problems,
        )
