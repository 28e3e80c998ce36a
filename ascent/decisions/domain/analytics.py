"""A cycle in figures: the funnel, score distributions, reviewer agreement, each
reviewer's calibrated bias, and how repeat applicants' gaps moved. Each table is plain
rows with headers, so pages plot them and exports write them."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from ascent.applications.models import Application, ApplicationStatus
from ascent.decisions.models import Decision, DecisionRun, Outcome
from ascent.engine.agreement import krippendorff_alpha_interval
from ascent.engine.calibration import calibrate
from ascent.programs.models import Cycle
from ascent.review.models import Reviewer, ReviewState, Score

S = ApplicationStatus


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def cycle_analytics(cycle: Cycle) -> dict[str, Table]:
    tables = {}
    applications = Application.objects.filter(cycle=cycle).exclude(status=S.DRAFT)
    reviewed = applications.filter(assignments__review__state=ReviewState.SUBMITTED).distinct()
    counts = applications.aggregate(
        applied=Count("id"),
        eligible=Count("id", filter=~Q(status__in=[S.SUBMITTED, S.INELIGIBLE, S.WITHDRAWN])),
        selected=Count("id", filter=Q(status=S.SELECTED)),
    )
    tables["funnel"] = Table("funnel", gettext_noop("Funnel"), [gettext_noop("step"), gettext_noop("applications")], [
        [gettext_noop("applied"), counts["applied"]], [gettext_noop("eligible"), counts["eligible"]],
        [gettext_noop("reviewed"), reviewed.count()],
        [gettext_noop("selected (decided)"), Decision.objects.filter(application__cycle=cycle,
                                                       outcome=Outcome.SELECTED).count()],
    ])  # fmt: skip

    scores = list(
        Score.objects.filter(review__assignment__application__cycle=cycle,
                             review__state=ReviewState.SUBMITTED)
        .values_list("criterion__name", "criterion__position", "review__assignment__application_id",
                     "value")
    )  # fmt: skip
    distribution = Table(
        "scores",
        gettext_noop("Score distribution per criterion"),
        [gettext_noop("criterion"), gettext_noop("score"), gettext_noop("count")],
    )
    agreement = Table("agreement", gettext_noop("Reviewer agreement (Krippendorff's alpha, interval)"),
                      [gettext_noop("criterion"), gettext_noop("alpha"), gettext_noop("applications with two or more reviews")])  # fmt: skip
    by_criterion: dict[tuple, list] = {}
    for name, position, application, value in scores:
        by_criterion.setdefault((position, name), []).append((application, value))
    for (_position, name), pairs in sorted(by_criterion.items()):
        for score, n in sorted(Counter(v for _a, v in pairs).items()):
            distribution.rows.append([name, score, n])
        units = np.array([a for a, _v in pairs])
        values = np.array([v for _a, v in pairs], dtype=float)
        _u, index = np.unique(units, return_inverse=True)
        alpha = krippendorff_alpha_interval(index, values)
        multi = int(np.sum(np.bincount(index) >= 2))
        agreement.rows.append([name, None if np.isnan(alpha) else round(alpha, 3), multi])
    tables["scores"], tables["agreement"] = distribution, agreement

    tables["reviewers"] = _reviewer_bias(cycle)
    tables["repeat"] = _repeat_applicants(cycle)
    return tables


def _reviewer_bias(cycle: Cycle) -> Table:
    table = Table("reviewers", gettext_noop("Reviewers, calibrated (latest decision run)"),
                  [gettext_noop("reviewer"), gettext_noop("scores"), gettext_noop("bias (scale points)"), gettext_noop("noise sd")])  # fmt: skip
    run = DecisionRun.objects.filter(cycle=cycle).order_by("-created_at").first()
    if run is None:
        return table
    inputs = dict(np.load(io.BytesIO(bytes(run.inputs)), allow_pickle=False))
    if "reviewer_ids" not in inputs:
        return table
    n, m, k = (int(x) for x in inputs["n"])
    fit = calibrate(inputs["application"], inputs["reviewer"], inputs["criterion"],
                    inputs["score"], n_applications=n, n_reviewers=m, n_criteria=k,
                    scale=tuple(run.parameters["scale"]))  # fmt: skip
    names = dict(Reviewer.objects.filter(pk__in=inputs["reviewer_ids"].tolist())
                 .values_list("pk", "display_name"))  # fmt: skip
    order = np.argsort(fit.reviewer_offset)
    for j in order.tolist():
        table.rows.append([names.get(int(inputs["reviewer_ids"][j]), "?"),
                           int(fit.reviewer_scores[j]), _round(fit.reviewer_offset[j]),
                           _round(fit.reviewer_noise[j])])  # fmt: skip
    return table


def _repeat_applicants(cycle: Cycle) -> Table:
    table = Table("repeat", gettext_noop("Repeat applicants: distance to the cutoff, last cycle and now"),
                  [gettext_noop("applicant"), gettext_noop("receipt"), gettext_noop("last cycle"), gettext_noop("distance then"), gettext_noop("distance now"),
                   gettext_noop("change")])  # fmt: skip
    now = {d.application.applicant_id: d for d in Decision.objects.filter(
        application__cycle=cycle, released_at__isnull=False).select_related("application")}  # fmt: skip
    previous = (Cycle.objects.filter(program=cycle.program, deadline__lt=cycle.deadline)
                .order_by("-deadline").first())  # fmt: skip
    if previous is None or not now:
        return table
    then = {d.application.applicant_id: d for d in Decision.objects.filter(
        application__cycle=previous, application__applicant__in=list(now),
        released_at__isnull=False).select_related("application__applicant")}  # fmt: skip
    cutoffs = {}
    for c in (cycle, previous):
        cutoffs[c.pk] = min((d.composite for d in Decision.objects.filter(
            application__cycle=c, outcome=Outcome.SELECTED) if d.composite is not None),
            default=None)  # fmt: skip
    for applicant, before in sorted(then.items()):
        after = now[applicant]
        if None in (before.composite, after.composite, cutoffs[cycle.pk], cutoffs[previous.pk]):
            continue
        d0 = max(0.0, cutoffs[previous.pk] - before.composite)
        d1 = max(0.0, cutoffs[cycle.pk] - after.composite)
        # the receipt tells apart two applicants of the same name
        table.rows.append([before.application.applicant.display_name, after.application.receipt,
                           previous.name, _round(d0), _round(d1), _round(d1 - d0)])  # fmt: skip
    return table


def _round(value, digits: int = 2) -> float:
    """Rounded, with no "-0.0": a bias of -0.001 reads 0.0, not minus nothing."""
    return round(float(value), digits) + 0.0
