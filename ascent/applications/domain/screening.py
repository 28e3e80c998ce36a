"""Screening a cycle: every submitted application against the cycle's requirements.

The rules engine evaluates each requirement and its explanation is stored on the
application's Eligibility row; statuses follow (submitted → in review or not eligible).
Re-running is safe: results are replaced, staff overrides are kept, and only the
statuses that screening owns move (decided applications keep their status; the summary
counts any that the rules would now exclude).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone

from ascent.applications.models import Application, ApplicationStatus, Eligibility
from ascent.common.domain.audit import record
from ascent.engine.rules import evaluate
from ascent.programs.domain.forms import compiled_requirements
from ascent.programs.models import Cycle

from .errors import ApplicationError
from .transitions import transition_application, transition_applications

S = ApplicationStatus
SCREENED = (S.SUBMITTED, S.INELIGIBLE, S.IN_REVIEW, S.SELECTED, S.WAITLISTED, S.NOT_SELECTED)
DECIDED = (S.SELECTED, S.WAITLISTED, S.NOT_SELECTED)
BATCH = 1000

ProgressFn = Callable[[str, int, int], None]


@dataclass
class ScreeningSummary:
    cycle: str
    applications: int = 0
    eligible: int = 0
    ineligible: int = 0
    failed_by_requirement: dict[str, int] = field(default_factory=dict)
    requirement_names: dict[str, str] = field(default_factory=dict)
    moved: dict[str, int] = field(default_factory=dict)
    overridden: int = 0
    decided_now_ineligible: int = 0
    screened_on: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def screening_day(cycle: Cycle) -> dt.date:
    """Durations ("3 years of experience") are counted to the deadline's day, in the
    cycle's time zone."""
    try:
        zone = zoneinfo.ZoneInfo(cycle.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return timezone.localtime(cycle.deadline, zone).date()


def screen_cycle(cycle: Cycle, *, by=None, progress: ProgressFn | None = None,
                 at: dt.datetime | None = None) -> ScreeningSummary:  # fmt: skip
    """Screen every submitted application of ``cycle``; store results; move statuses.
    ``at``: when it happened (now; the demo's past cycles give their own dates)."""
    started = time.perf_counter()
    progress = progress or (lambda phase, done, total: None)
    requirements = compiled_requirements(cycle)
    on = screening_day(cycle)
    digest = hashlib.sha256(
        json.dumps([[r.key, r.rule] for r, _ in requirements], sort_keys=True).encode()
    ).hexdigest()
    summary = ScreeningSummary(
        cycle=str(cycle), screened_on=on.isoformat(),
        requirement_names={r.key: r.name for r, _ in requirements},
    )  # fmt: skip
    rows = list(
        Application.objects.filter(cycle=cycle, status__in=SCREENED)
        .order_by("pk")
        .values_list("pk", "status", "answers")
    )
    kept = {
        e.application_id: e
        for e in Eligibility.objects.filter(application__cycle=cycle, override__isnull=False)
    }
    overrides = {pk: e.override for pk, e in kept.items()}
    now = at or timezone.now()
    results: list[Eligibility] = []
    moves: dict[tuple[str, str], list[int]] = {}
    failures: Counter[str] = Counter()
    for done, (pk, status, answers) in enumerate(rows, start=1):
        parts, failed = [], []
        for requirement, compiled in requirements:
            explanation = evaluate(compiled, answers, on=on)
            if not explanation.passed:
                failed.append(requirement.key)
            parts.append({"key": requirement.key, "name": requirement.name,
                          "passed": explanation.passed, "explanation": explanation.to_dict()})  # fmt: skip
        failures.update(failed)
        previous = kept.get(pk)
        results.append(Eligibility(
            application_id=pk, eligible=not failed, failed=failed, explanation=parts,
            screened_on=on, rules_digest=digest, screened_at=now,
            override=previous.override if previous else None,
            override_reason=previous.override_reason if previous else "",
            overridden_by_id=previous.overridden_by_id if previous else None,
        ))  # fmt: skip
        eligible = overrides.get(pk, not failed)
        summary.eligible += eligible
        target = _next_status(status, eligible)
        if target:
            moves.setdefault((status, target), []).append(pk)
        if status in DECIDED and not eligible:
            summary.decided_now_ineligible += 1
        if done % 200 == 0 or done == len(rows):
            progress("Checking requirements", done, len(rows))
    summary.applications = len(rows)
    summary.ineligible = summary.applications - summary.eligible
    summary.overridden = len(overrides)
    summary.failed_by_requirement = {r.key: failures[r.key] for r, _ in requirements}
    progress("Saving results", 0, len(results))
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # one screening at a time
        Eligibility.objects.filter(application__cycle=cycle).delete()
        for start in range(0, len(results), BATCH):
            Eligibility.objects.bulk_create(results[start : start + BATCH])
            progress("Saving results", min(start + BATCH, len(results)), len(results))
        summary.moved = transition_applications(moves, by=_user(by), reason="screening", at=now)
        record(by, "cycle.screened", cycle, eligible=summary.eligible,
               ineligible=summary.ineligible, failed=summary.failed_by_requirement,
               moved=summary.moved, rules_digest=digest)  # fmt: skip
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _next_status(status: str, eligible: bool) -> str | None:
    if status == S.SUBMITTED:
        return S.IN_REVIEW if eligible else S.INELIGIBLE
    if status == S.INELIGIBLE and eligible:
        return S.IN_REVIEW
    if status == S.IN_REVIEW and not eligible:
        return S.INELIGIBLE
    return None


def _user(by):
    return by if by is not None and by.is_authenticated else None


@transaction.atomic
def override_eligibility(
    application: Application, *, eligible: bool | None, reason: str, by
) -> Eligibility:
    """Overrule (or, with ``eligible=None``, stop overruling) the rules for one screened
    application. A reason is required to overrule; the status follows at once, and the
    override survives re-screening."""
    try:
        result = Eligibility.objects.select_for_update().get(application=application)
    except Eligibility.DoesNotExist:
        raise ApplicationError(
            "this application has not been screened yet; screen the cycle first"
        ) from None
    reason = (reason or "").strip()
    if eligible is not None and not reason:
        raise ApplicationError(
            "override_reason: say why the rules are overruled",
            problems=[("override_reason", "say why the rules are overruled")],
        )
    result.override = eligible
    result.override_reason = reason if eligible is not None else ""
    result.overridden_by = _user(by) if eligible is not None else None
    result.save(update_fields=["override", "override_reason", "overridden_by"])
    application.refresh_from_db(fields=["status"])
    target = _next_status(application.status, result.is_eligible)
    if target:
        transition_application(application, target, by=_user(by),
                               reason=f"eligibility override: {reason}" if reason else "screening")  # fmt: skip
    record(by, "application.eligibility_overridden", application,
           override=eligible, reason=reason, eligible_by_rules=result.eligible)  # fmt: skip
    return result
