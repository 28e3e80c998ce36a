"""Setting up a cycle: the next one starts as a copy of the last."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ascent.common.domain.audit import record
from ascent.programs.models import (
    Criterion,
    Cycle,
    CycleState,
    FormField,
    Quota,
    Requirement,
    Stage,
)

from .errors import ProgramError


@transaction.atomic
def copy_cycle(
    source: Cycle,
    *,
    name: str,
    slug: str,
    opens_at: dt.datetime,
    deadline: dt.datetime,
    capacity: int | None = None,
    state: str = CycleState.DRAFT,
    by=None,
) -> Cycle:
    """A new cycle of the same program with the source's form, requirements, rubric,
    stages and quotas (each copied, so editing one cycle never changes another)."""
    if deadline <= opens_at:
        raise ProgramError("deadline: must be after the opening", problems=[
            ("deadline", "must be after the opening")])  # fmt: skip
    if Cycle.objects.filter(program=source.program, slug=slug).exists():
        raise ProgramError(f"slug: the program already has a cycle '{slug}'",
                           problems=[("slug", "already used in this program")])  # fmt: skip
    cycle = Cycle.objects.create(
        program=source.program, name=name, slug=slug, opens_at=opens_at, deadline=deadline,
        timezone=source.timezone, capacity=capacity or source.capacity, state=state,
        translations=source.translations,
    )  # fmt: skip
    for model in (FormField, Requirement, Criterion, Stage, Quota):
        rows = list(model.objects.filter(cycle=source).order_by("pk"))
        for row in rows:
            row.pk = None
            row.cycle = cycle
        model.objects.bulk_create(rows)
    record(by, "cycle.copied", cycle, source=source.pk)
    return cycle
