"""An applicant's journey: every application, its outcome and, once released, its gap."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Min

from ascent.applications.models import Applicant, Application, ApplicationStatus
from ascent.decisions.models import Decision, Outcome
from ascent.programs.models import Criterion
from ascent.review.models import Shortlisted

from .journey_map import CriterionRow, chance_in_100, criterion_rows


@dataclass
class Step:
    application: Application
    released: bool = False
    outcome: str = ""  # the decision's outcome label, once released
    selected: bool = False
    composite: float | None = None
    cutoff: float | None = None
    distance: float | None = None  # cutoff minus composite, >= 0 when not selected
    p_selected: float | None = None
    percentile: float | None = None
    advice: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # failed requirements, when ineligible
    change: float | None = None  # distance now minus distance on the previous step
    offer: object | None = None  # the Offer, for a selected applicant
    criteria: list[CriterionRow] = field(default_factory=list)  # the map, per criterion
    chance: int | None = None  # selected in about this many of 100 re-runs of the review
    waitlist_position: int | None = None  # 1 = first on the waiting list, as released
    reachable: bool = True  # False: even the top of every scale stays below the cutoff
    moved_on: list = field(default_factory=list)  # (stage name, when), announced shortlists
    folded: bool = False  # an older released cycle: pages show its title and outcome first

    @property
    def beyond_one_cycle(self) -> list[CriterionRow]:
        return [row for row in self.criteria if row.beyond_one_cycle]

    @property
    def cycle(self):
        return self.application.cycle


def journey_of(applicant: Applicant, *, gap_reports: bool = True) -> list[Step]:
    """Oldest first. Outcomes and gaps appear only once the decision is released;
    ``gap_reports=False`` (a supporter the applicant did not share them with) leaves out
    every number (composite, cutoff, distance, percentile, probability) and the gap
    report, and keeps the outcome."""
    applications = list(
        Application.objects.filter(applicant=applicant)
        .select_related("cycle__program")
        .order_by("cycle__opens_at", "pk")
    )
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(
            application__in=applications, released_at__isnull=False
        ).select_related("offer")
    }
    cycles = {a.cycle_id for a in applications}
    cutoffs = dict(
        Decision.objects.filter(application__cycle__in=cycles, outcome=Outcome.SELECTED,
                                released_at__isnull=False)
        .values("application__cycle").annotate(cutoff=Min("composite"))
        .values_list("application__cycle", "cutoff")
    )  # fmt: skip
    criteria = _criteria_by_cycle(cycles) if gap_reports else {}
    moved_on: dict[int, list] = {}
    for pk, name, when in (Shortlisted.objects.filter(application__in=applications,
                                                      stage__shortlist_announced_at__isnull=False)
                           .order_by("stage__position")
                           .values_list("application_id", "stage__name", "stage__shortlist_announced_at")):  # fmt: skip
        moved_on.setdefault(pk, []).append((name, when))
    steps, last_distance, last_gap = [], None, {}
    for application in applications:
        step = Step(application, moved_on=moved_on.get(application.pk, []))
        decision = decisions.get(application.pk)
        if decision is not None:
            step.released = True
            step.outcome = decision.get_outcome_display()
            step.selected = decision.outcome == Outcome.SELECTED
            step.offer = getattr(decision, "offer", None)
            if gap_reports:
                _add_gap(step, decision, cutoffs.get(application.cycle_id))
                step.criteria = criterion_rows(decision.gap or {},
                                               criteria.get(application.cycle_id, {}),
                                               last_gap.get(application.cycle.program_id))  # fmt: skip
                if (decision.gap or {}).get("merit"):
                    last_gap[application.cycle.program_id] = decision.gap
            if decision.outcome == Outcome.WAITLISTED:
                step.waitlist_position = _waitlist_position(decision, application.cycle_id)
            if step.distance is not None:
                if last_distance is not None:
                    step.change = step.distance - last_distance
                last_distance = step.distance
        elif application.status == ApplicationStatus.WITHDRAWN:
            step.outcome = ApplicationStatus.WITHDRAWN.label
        steps.append(step)
    released = [step for step in steps if step.released]
    for step in released[:-1]:  # every released cycle but the latest
        step.folded = True
    return steps


def _criteria_by_cycle(cycles) -> dict[int, dict[str, Criterion]]:
    found: dict[int, dict[str, Criterion]] = {}
    for criterion in Criterion.objects.filter(cycle__in=cycles).select_related("cycle"):
        found.setdefault(criterion.cycle_id, {})[criterion.key] = criterion
    return found


def _waitlist_position(decision: Decision, cycle_id: int) -> int | None:
    """The place on the waiting list as the program released it (1 = first)."""
    if decision.rank is None:
        return None
    ahead = Decision.objects.filter(application__cycle=cycle_id,
                                    outcome=Outcome.WAITLISTED, rank__lt=decision.rank)  # fmt: skip
    return ahead.count() + 1


def _add_gap(step: Step, decision: Decision, cutoff: float | None) -> None:
    """The numbers and the gap report, for the applicant and those they share them with."""
    gap = decision.gap or {}
    step.composite, step.cutoff = decision.composite, cutoff
    if step.composite is not None and step.cutoff is not None:
        step.distance = max(0.0, step.cutoff - step.composite)
    step.p_selected = decision.p_selected
    step.chance = chance_in_100(decision.p_selected)
    step.reachable = bool(gap.get("reachable", True))
    step.percentile = gap.get("percentile")
    step.advice = gap.get("advice", [])
    step.failed = gap.get("failed_requirements", [])
