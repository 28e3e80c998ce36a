""" "What if…": the applicant's planner on the journey. Nothing is stored and no
application changes: the answers that decide eligibility and the criteria they plan to
raise go through the same rules engine and the same composite weights as the real
screening and selection, against the last decided cycle's cutoff."""

from __future__ import annotations

from dataclasses import dataclass, field

from ascent.applications.models import Application
from ascent.decisions.models import Decision
from ascent.engine.rules import evaluate
from ascent.programs.domain.content import phrase, phrasebook, reader_form
from ascent.programs.domain.forms import compiled_requirements
from ascent.programs.models import Criterion, Cycle, CycleState

from .explain import explained_lines
from .screening import screening_day


@dataclass
class PlannedCriterion:
    key: str
    name: str
    now: float
    planned: float
    scale: tuple[int, int]
    weight: float


@dataclass
class WhatIf:
    application: Application
    cycle: Cycle  # whose requirements are checked (the open cycle, or the decided one)
    fields: list  # the FieldSpecs the requirements read
    answers: dict
    requirements: list[dict] = field(default_factory=list)
    criteria: list[PlannedCriterion] = field(default_factory=list)
    cutoff: float | None = None
    composite_now: float | None = None
    composite: float | None = None

    @property
    def eligible(self) -> bool:
        return all(r["passed"] for r in self.requirements)

    @property
    def distance(self) -> float | None:
        """How far below the cutoff the plan would be (0 when at or above it)."""
        if self.cutoff is None or self.composite is None:
            return None
        return max(0.0, self.cutoff - self.composite)


def read_keys(rule) -> set[str]:
    """The form's top-level fields a rule reads (the columns inside a records rule's
    ``where`` are not fields of the form)."""
    keys: set[str] = set()
    if isinstance(rule, dict):
        for shape in ("field", "years_since", "of", "some", "count"):
            if isinstance(rule.get(shape), str):
                keys.add(rule[shape])
        for shape in ("all", "any"):
            for part in rule.get(shape) or ():
                keys |= read_keys(part)
        if "not" in rule:
            keys |= read_keys(rule["not"])
    return keys


def planner_start(application: Application) -> tuple[Cycle, list, dict, Decision | None]:
    """What the planner starts from: the cycle whose requirements apply next (the
    program's open cycle, else the application's own), the fields they read, the
    application's answers to them, and its released decision (with the gap report)."""
    cycle = (Cycle.objects.filter(program=application.cycle.program, state=CycleState.OPEN)
             .order_by("-deadline").first()) or application.cycle  # fmt: skip
    wanted: set[str] = set()
    for requirement in cycle.requirements.all():
        wanted |= read_keys(requirement.rule)
    fields = [spec for spec in reader_form(cycle) if spec.key in wanted and spec.kind != "file"]
    answers = {spec.key: application.answers[spec.key] for spec in fields
               if spec.key in (application.answers or {})}  # fmt: skip
    decision = Decision.objects.filter(application=application,
                                       released_at__isnull=False).first()  # fmt: skip
    return cycle, fields, answers, decision


def what_if(
    application: Application, answers: dict | None = None, planned: dict[str, float] | None = None
) -> WhatIf:
    """Eligibility for ``answers`` (the application's own when None) and the composite
    for ``planned`` merits by criterion key (today's calibrated merits when left out)."""
    cycle, fields, start, decision = planner_start(application)
    answers = start if answers is None else answers
    result = WhatIf(application, cycle, fields, answers)
    on = screening_day(cycle)
    words = phrasebook(cycle)
    for requirement, compiled in compiled_requirements(cycle):
        found = evaluate(compiled, answers, on=on)
        result.requirements.append({"key": requirement.key,
                                    "name": words.get(requirement.name, requirement.name),
                                    "passed": found.passed,
                                    "lines": explained_lines(found.to_dict(), words=words)})  # fmt: skip
    gap = (decision.gap or {}) if decision is not None else {}
    keys, merits = gap.get("criteria") or [], gap.get("merit") or []
    if not keys or len(keys) != len(merits):
        return result
    criteria = {c.key: c for c in Criterion.objects.filter(cycle=application.cycle)}
    planned = planned or {}
    for key, now in zip(keys, merits, strict=True):
        criterion = criteria.get(key)
        if criterion is None:
            return result  # the rubric changed since: no honest composite
        low, high = criterion.scale_min, criterion.scale_max
        value = planned.get(key, now)
        value = min(max(float(value), low), high)
        result.criteria.append(PlannedCriterion(key, phrase(criterion.name, application.cycle), float(now), value,
                                                (low, high), float(criterion.weight)))  # fmt: skip
    result.cutoff = gap.get("cutoff")
    result.composite_now = sum(c.weight * c.now for c in result.criteria)
    result.composite = sum(c.weight * c.planned for c in result.criteria)
    return result
