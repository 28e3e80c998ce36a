"""Deciding a cycle: calibration, selection, the noise audit and gap reports, stored.

``decide_cycle`` reads every submitted score of the applications in review, runs the
engine, and stores one Decision per application (in review: selected, waitlisted or not
selected, with its composite, standard error, probability of selection and gap report;
not eligible: the failed requirements with their missing amounts) and a DecisionRun
with the exact inputs and parameters. Nothing is released: applications keep their
status and applicants see nothing until staff release the decisions; until then
re-running replaces the previous run's decisions. ``reproduce_run`` re-runs the engine
on a run's stored inputs.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from types import SimpleNamespace

import numpy as np
from django.db import transaction
from django.utils import timezone

from ascent.applications.models import Application, ApplicationStatus, Eligibility
from ascent.common.domain.audit import record
from ascent.common.email import send_templated
from ascent.decisions.models import Decision, DecisionRun, Outcome
from ascent.engine.calibration import CalibrationError
from ascent.engine.gap import GapError, advice_for, gap_reports
from ascent.engine.pipeline import calibrated_selection, waitlist_for
from ascent.engine.selection import SelectionError, audit
from ascent.programs.models import Cycle
from ascent.review.models import ReviewState, Score, Shortlisted

from .errors import DecisionError
from .offers import make_offers

# Raise when the engine's results would change for the same inputs. 1: crossed-effects
# calibration with empirical Bayes, exact greedy selection under quotas, posterior audit.
MODEL_VERSION = "ascent-decisions/1"
ProgressFn = Callable[[str, int, int], None]


@dataclass
class DecisionSummary:
    cycle: str
    run: int = 0
    applications: int = 0
    selected: list[str] = field(default_factory=list)  # receipts, best first
    waitlist: list[str] = field(default_factory=list)
    cutoff: float = 0.0
    expected_overlap: float = 0.0
    borderline: int = 0
    ineligible: int = 0
    quotas: dict[str, int] = field(default_factory=dict)
    inputs_digest: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def decide_cycle(
    cycle: Cycle,
    *,
    by=None,
    draws: int = 1000,
    seed: int = 0,
    progress: ProgressFn | None = None,
    at=None,
) -> DecisionSummary:
    """Decide ``cycle`` from its submitted reviews; store the decisions, unreleased.
    ``at``: when it happened (now; the demo's past cycles give their own dates)."""
    started = time.perf_counter()
    progress = progress or (lambda phase, done, total: None)
    released = (
        Decision.objects.filter(application__cycle=cycle, released_at__isnull=False)
        .order_by("released_at")
        .values_list("released_at", flat=True)
        .first()
    )
    if released is not None:
        raise DecisionError(
            f"the decisions of this cycle were released on {released:%Y-%m-%d}; released "
            "decisions change one at a time, with a reason"
        )
    progress("Reading reviews", 0, 5)
    inputs, apps, criteria = _gather(cycle)
    parameters = {"capacity": cycle.capacity, "waitlist": waitlist_for(cycle.capacity),
                  "draws": draws, "seed": seed, "scale": inputs.pop("scale"),
                  "quotas": inputs.pop("quotas")}  # fmt: skip
    blob, digest = _pack(inputs, parameters)

    progress("Calibrating reviewers", 1, 5)
    outcome = _run_engine(inputs, parameters, progress)
    fit, sel, checked, reports = outcome

    progress("Writing decisions", 4, 5)
    now = at or timezone.now()
    specs = [_criterion_spec(c) for c in criteria]
    weights = inputs["weights"]
    composite = fit.composite(weights)
    stderr = fit.composite_stderr(weights)
    waiting = set(sel.waitlist.tolist())
    chosen = set(sel.selected.tolist())
    by_app = {r.application: r for r in reports}
    summary = DecisionSummary(cycle=str(cycle), applications=len(apps), inputs_digest=digest)
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        run = DecisionRun.objects.create(
            cycle=cycle, model_version=MODEL_VERSION, parameters=parameters, inputs=blob,
            inputs_digest=digest, created_by=_user(by), created_at=now,
        )  # fmt: skip
        Decision.objects.filter(application__cycle=cycle, released_at__isnull=True).delete()
        rows = []
        for i, (pk, _receipt) in enumerate(apps):
            if i in chosen:
                result = Outcome.SELECTED
            elif i in waiting:
                result = Outcome.WAITLISTED
            else:
                result = Outcome.NOT_SELECTED
            report = by_app.get(i)
            gap = {}
            if report is not None:
                gap = report.to_dict() | {
                    "criteria": [c.key for c in criteria],
                    "advice": advice_for(report, specs),
                    "stderr": fit.stderr[i].tolist(),  # per criterion, for the intervals
                }
            rows.append(Decision(
                application_id=pk, cycle=cycle, outcome=result, composite=float(composite[i]),
                rank=int(sel.rank[i]) or None, run=run, stderr=float(stderr[i]),
                p_selected=float(checked.p_selected[i]), borderline=bool(checked.borderline[i]),
                gap=gap, created_at=now,
            ))  # fmt: skip
        rows.extend(_ineligible_decisions(cycle, run, now))
        Decision.objects.bulk_create(rows, batch_size=1000)
        summary.run = run.pk
        summary.selected = [apps[i][1] for i in sel.selected.tolist()]
        summary.waitlist = [apps[i][1] for i in sel.waitlist.tolist()]
        summary.cutoff = round(float(sel.cutoff), 4)
        summary.expected_overlap = round(checked.expected_overlap, 4)
        summary.borderline = checked.borderline_count
        summary.ineligible = len(rows) - len(apps)
        summary.quotas = {str(k): v for k, v in sel.group_counts.items()}
        summary.seconds = round(time.perf_counter() - started, 2)
        run.summary = summary.as_dict() | {
            "variances": fit.variances, "converged": fit.converged, "sweeps": fit.sweeps,
            "cutoff_interval": list(checked.cutoff_interval),
            # each reviewer's calibrated offset (scale points; + is lenient), by reviewer id
            "reviewer_offsets": {str(r): round(float(o), 3) for r, o in zip(
                inputs["reviewer_ids"].tolist(), fit.reviewer_offset.tolist(), strict=True)},
        }  # fmt: skip
        run.save(update_fields=["summary"])
        record(by, "cycle.decided", cycle, run=run.pk, selected=summary.selected,
               cutoff=summary.cutoff, expected_overlap=summary.expected_overlap,
               inputs_digest=digest)  # fmt: skip
    progress("Done", 5, 5)
    return summary


def reproduce_run(run: DecisionRun):
    """Re-run the engine on a run's stored inputs: (fit, selection, audit, gap reports)."""
    inputs = dict(np.load(io.BytesIO(bytes(run.inputs)), allow_pickle=False))
    parameters = dict(run.parameters)
    return _run_engine(inputs, parameters, lambda *_: None)


# -- pieces ---------------------------------------------------------------------------


def _gather(cycle: Cycle):
    criteria = list(cycle.criteria.order_by("position", "id"))
    if not criteria:
        raise DecisionError("the cycle has no criteria: add the rubric first")
    scales = {(c.scale_min, c.scale_max) for c in criteria}
    if len(scales) > 1:
        shown = ", ".join(f"{c.key} {c.scale_min}-{c.scale_max}" for c in criteria)
        raise DecisionError(f"the criteria must share one scale to be combined ({shown})")
    apps = list(
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.IN_REVIEW)
        .order_by("pk")
        .values_list("pk", "receipt", "answers")
    )
    if not apps:
        raise DecisionError("no application of this cycle is in review: screen and review first")
    app_index = {pk: i for i, (pk, _r, _a) in enumerate(apps)}
    criterion_index = {c.pk: j for j, c in enumerate(criteria)}
    rows = np.array(
        list(
            Score.objects.filter(
                review__state=ReviewState.SUBMITTED,
                review__assignment__application__in=list(app_index),
                criterion__in=list(criterion_index),
            ).values_list(
                "review__assignment__application_id",
                "review__assignment__reviewer_id",
                "criterion_id",
                "value",
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 4)
    reviewed = set(rows[:, 0].tolist())
    missing = [receipt for pk, receipt, _a in apps if pk not in reviewed]
    if missing:
        example = ", ".join(missing[:3])
        raise DecisionError(
            f"{len(missing):,} applications in review have no submitted review yet "
            f"(e.g. {example}); finish their reviews, or withdraw them, first"
        )
    # A reviewer who scored an application at two stages (the panel, then the interview)
    # counts once per criterion, with the mean of their scores.
    keys, where = np.unique(rows[:, :3], axis=0, return_inverse=True)
    where = where.ravel()
    values = np.bincount(where, weights=rows[:, 3].astype(float)) / np.bincount(where)
    rows = keys
    reviewer_ids, reviewer_index = np.unique(rows[:, 1], return_inverse=True)
    quotas, groups = _quotas(cycle, apps)
    # With an interview stage that has a shortlist, only the shortlisted can be selected;
    # everyone reviewed still gets a gap report against the final cutoff.
    shortlisted = set(
        Shortlisted.objects.filter(stage__cycle=cycle).values_list("application_id", flat=True)
    )
    selectable = np.array([not shortlisted or pk in shortlisted for pk, _r, _a in apps], dtype=bool)
    inputs = {
        "application": np.array([app_index[a] for a in rows[:, 0].tolist()], dtype=np.int64),
        "reviewer": reviewer_index.astype(np.int64),
        "criterion": np.array([criterion_index[c] for c in rows[:, 2].tolist()], np.int64),
        "score": values,
        "weights": np.array([c.weight for c in criteria], dtype=float),
        "n": np.array([len(apps), len(reviewer_ids), len(criteria)], dtype=np.int64),
        "groups": groups,
        "reviewer_ids": reviewer_ids.astype(np.int64),
        "selectable": selectable,
        "scale": [criteria[0].scale_min, criteria[0].scale_max],
        "quotas": quotas,
    }
    return inputs, [(pk, receipt) for pk, receipt, _a in apps], criteria


def _quotas(cycle: Cycle, apps) -> tuple[dict, np.ndarray]:
    quotas = list(cycle.quotas.all())
    if not quotas:
        return {}, np.array([""] * len(apps))
    key = quotas[0].field
    groups = np.array([str((answers or {}).get(key) or "") for _pk, _r, answers in apps])
    return {q.value: [q.minimum, q.maximum] for q in quotas}, groups


def _pack(inputs: dict, parameters: dict) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **inputs)
    digest = hashlib.sha256()
    for name in sorted(inputs):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(inputs[name]).tobytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update(MODEL_VERSION.encode())
    return buffer.getvalue(), digest.hexdigest()


def _run_engine(inputs: dict, parameters: dict, progress: ProgressFn):
    n, m, k = (int(x) for x in inputs["n"])
    weights = np.asarray(inputs["weights"], dtype=float)
    scale = tuple(parameters["scale"])
    quotas = {value: tuple(bounds) for value, bounds in (parameters.get("quotas") or {}).items()}
    groups = inputs["groups"] if quotas else None
    reviews = (inputs["application"], inputs["reviewer"], inputs["criterion"], inputs["score"])
    try:
        progress("Selecting", 2, 5)
        selectable = inputs.get("selectable")
        selectable = None if selectable is None else np.asarray(selectable, dtype=bool)
        fit, sel = calibrated_selection(
            reviews, n_applications=n, n_reviewers=m, n_criteria=k, weights=weights,
            capacity=parameters["capacity"], waitlist=parameters["waitlist"], scale=scale,
            eligible=selectable, groups=groups, quotas=quotas or None,
        )  # fmt: skip
        progress("Auditing the selection by re-running it", 3, 5)
        checked = audit(fit, weights, parameters["capacity"], groups=groups,
                        quotas=quotas or None, draws=parameters["draws"],
                        seed=parameters["seed"], eligible=selectable)  # fmt: skip
        # Gap reports for everyone reviewed, shortlisted or not.
        everyone = replace(sel, eligible=np.ones(n, dtype=bool))
        reports = gap_reports(fit, weights, everyone, scale=scale, audit=checked)
    except (CalibrationError, SelectionError, GapError) as error:
        raise DecisionError(str(error)) from error
    return fit, sel, checked, reports


def _criterion_spec(criterion) -> SimpleNamespace:
    levels = [SimpleNamespace(score=int(level.get("score", 0)),
                              description=level.get("description", ""),
                              advice=level.get("advice", "")) for level in criterion.levels]  # fmt: skip
    if not levels:
        levels = [SimpleNamespace(score=s, description="", advice=criterion.advice)
                  for s in range(criterion.scale_min, criterion.scale_max + 1)]  # fmt: skip
    return SimpleNamespace(key=criterion.key, name=criterion.name, levels=levels,
                           advice=criterion.advice)  # fmt: skip


def _ineligible_decisions(cycle: Cycle, run: DecisionRun, now) -> list[Decision]:
    """Not eligible: the report is the failed requirements with what was missing."""
    rows = []
    results = dict(
        Eligibility.objects.filter(application__cycle=cycle).values_list(
            "application_id", "explanation"
        )
    )
    for pk in Application.objects.filter(
        cycle=cycle, status=ApplicationStatus.INELIGIBLE
    ).values_list("pk", flat=True):
        failed = [part for part in results.get(pk, []) if not part.get("passed")]
        rows.append(Decision(application_id=pk, cycle=cycle, outcome=Outcome.INELIGIBLE, run=run,
                             gap={"failed_requirements": failed}, created_at=now))  # fmt: skip
    return rows


def _user(by):
    return by if by is not None and by.is_authenticated else None


def release_decisions(cycle: Cycle, *, by=None, at=None, history: bool = False) -> dict[str, int]:
    """Release the cycle's decisions: applicants see their outcome and gap report, and
    statuses follow (in review → selected, waitlisted or not selected); each applicant
    gets an e-mail and the selected an offer. Returns the status moves. Raises
    DecisionError when there is nothing to release.

    ``history`` releases a past cycle the demo loads (``at`` its date): no e-mail, and
    no offer to answer, as if they had been answered long ago."""
    from ascent.applications.domain.transitions import transition_applications

    now = at or timezone.now()
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        pending = list(
            Decision.objects.filter(application__cycle=cycle, released_at__isnull=True).values_list(
                "pk", "application_id", "outcome", "application__status"
            )
        )
        if not pending:
            raise DecisionError("no unreleased decision in this cycle: run the selection first")
        moves: dict[tuple[str, str], list[int]] = {}
        for _pk, application, outcome, status in pending:
            if outcome != Outcome.INELIGIBLE and status == ApplicationStatus.IN_REVIEW:
                moves.setdefault((status, outcome), []).append(application)
        moved = transition_applications(moves, by=_user(by), reason="decisions released", at=now)
        Decision.objects.filter(pk__in=[p[0] for p in pending]).update(released_at=now)
        record(by, "cycle.released", cycle, decisions=len(pending), moved=moved)
        if history:
            return moved
        released = list(Decision.objects.filter(pk__in=[p[0] for p in pending])
                        .select_related("application__applicant__user"))  # fmt: skip
        waiting = sorted((d for d in released if d.outcome == Outcome.WAITLISTED),
                         key=lambda d: (d.rank or 0, d.pk))  # fmt: skip
        positions = {d.pk: i for i, d in enumerate(waiting, start=1)}  # 1 = first on the list
        for decision in released:
            email = decision.application.applicant.user.email
            if email:
                send_templated("decisions/email/released", {
                    "decision": decision, "application": decision.application, "cycle": cycle,
                    "waitlist_position": positions.get(decision.pk),
                }, [email])  # fmt: skip
        _tell_supporters(cycle, released)
        make_offers(cycle, now=now)
    return moved


def _tell_supporters(cycle: Cycle, released: list[Decision]) -> None:
    """Milestone e-mails to the supporters of the applicants who chose to share them."""
    from ascent.applications.domain.milestones import notify_supporters
    from ascent.applications.models import Supporter

    sharing = set(Supporter.objects.filter(
        applicant__applications__cycle=cycle, shares_milestones=True, revoked_at__isnull=True,
    ).values_list("applicant_id", flat=True))  # fmt: skip
    for decision in released:
        if decision.application.applicant_id in sharing:
            notify_supporters(decision.application.applicant_id, "decided", cycle=cycle,
                              outcome=decision.outcome)  # fmt: skip
