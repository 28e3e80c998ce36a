"""A cycle's form and requirements as the engine's plain data."""

from ascent.engine.forms import FieldSpec
from ascent.engine.rules import CompiledRule, RuleError, compile_rule
from ascent.programs.models import Cycle, Requirement

from .errors import ProgramError


def form_of(cycle: Cycle) -> tuple[FieldSpec, ...]:
    """The cycle's form as the engine's plain data, in form order."""
    return tuple(field.to_spec() for field in cycle.form_fields.order_by("position", "id"))


def check_rule(form: tuple[FieldSpec, ...], rule) -> CompiledRule:
    """Compile ``rule`` against ``form``; raise ProgramError naming each path at fault."""
    try:
        return compile_rule(rule, form)
    except RuleError as error:
        raise ProgramError(str(error), problems=error.problems) from error


def compiled_requirements(cycle: Cycle) -> list[tuple[Requirement, CompiledRule]]:
    """Every requirement of the cycle with its compiled rule, in order.

    Stored rules were checked when written; a form changed since can still break one,
    and then this raises ProgramError naming the requirement.
    """
    form = form_of(cycle)
    compiled = []
    for requirement in cycle.requirements.order_by("position", "id"):
        try:
            compiled.append((requirement, check_rule(form, requirement.rule)))
        except ProgramError as error:
            raise ProgramError(
                f"requirement {requirement.key!r} no longer fits the form: {error}",
                problems=error.problems,
            ) from error
    return compiled
