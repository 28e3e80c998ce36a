"""Assigning a stage's reviews: the engine's optimal assignment on the cycle's data.

Applications in review get ``reviews_per_application`` reviewers each from the
program's active panel, within each reviewer's load limit and never across a
conflict: declared or set by staff (stored), the reviewer is one of the applicant's
recommenders (detected and stored as "detected"), or they share an organisation (found
again at every run from the current organisations).

Re-running is safe. Assignments staff locked, and those whose review has begun, are
kept and count towards both the application's reviews and the reviewer's load; all
other assignments of the stage are replaced.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ascent.applications.models import Application, ApplicationStatus, Reference
from ascent.common.domain.audit import record
from ascent.engine.affinity import (
    Match,
    affinity_matrix,
    application_document,
    best_matches,
    resolve_method,
)
from ascent.engine.assignment import (
    AssignmentError,
    AssignmentProblem,
    InfeasibleAssignment,
    solve,
)
from ascent.engine.conflicts import detect_conflicts
from ascent.programs.domain.forms import form_of
from ascent.programs.models import Stage, StageKind
from ascent.review.models import Assignment, Bid, BidLevel, Conflict, ConflictSource, Reviewer

from .bids import bid_weights
from .embeddings import DatabaseEmbeddingCache, reviewer_profile, unseen_fields
from .errors import ReviewError

ProgressFn = Callable[[str, int, int], None]
QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)


@dataclass
class AssignmentSummary:
    stage: str
    objective: str
    method: str = ""  # how affinity was scored: "hybrid" (with the semantic model) or "tfidf"
    empty_profiles: int = 0  # reviewers with no keywords, statement or publications
    applications: int = 0
    reviewers: int = 0
    reviews_needed: int = 0
    assigned: int = 0
    kept: int = 0
    conflicts: dict[str, int] = field(default_factory=dict)
    detected_now: int = 0
    load_histogram: dict[int, int] = field(default_factory=dict)
    affinity_quantiles: dict[str, float] = field(default_factory=dict)
    total_affinity: float = 0.0
    upper_bound: float | None = 0.0  # None when bids weighted the solver
    min_application_affinity: float | None = 0.0
    seconds: float = 0.0
    bids: int = 0  # bids read (eager, willing, not willing)
    one_per_organisation: bool = False  # at most one reviewer of an organisation each
    one_senior: bool = False  # at least one senior reviewer each
    eager_used: int = 0  # assigned pairs the reviewer was eager for
    not_willing_used: int = 0  # assigned pairs the reviewer was not willing to take

    def as_dict(self) -> dict:
        data = asdict(self)
        data["load_histogram"] = {str(k): v for k, v in self.load_histogram.items()}
        return data


def assign_stage(
    stage: Stage,
    *,
    by=None,
    objective: str = "total",
    progress: ProgressFn | None = None,
) -> AssignmentSummary:
    """Assign reviewers to every application in review for ``stage``; store the result."""
    started = time.perf_counter()
    progress = progress or (lambda phase, done, total: None)
    if stage.kind not in (StageKind.REVIEW, StageKind.INTERVIEW):
        raise ReviewError(f"stage {stage.key!r} is a {stage.get_kind_display().lower()} stage; "
                          "only review and interview stages have reviewers")  # fmt: skip
    cycle = stage.cycle
    k = stage.reviews_per_application
    summary = AssignmentSummary(stage=f"{cycle} / {stage.name}", objective=objective,
                                one_per_organisation=stage.one_per_organisation,
                                one_senior=stage.one_senior)  # fmt: skip

    progress("Reading applications and panel", 0, 4)
    in_review = Application.objects.filter(cycle=cycle, status=ApplicationStatus.IN_REVIEW)
    if stage.kind == StageKind.INTERVIEW:
        if not stage.shortlist.exists():
            raise ReviewError("shortlist applications for this interview stage first")
        in_review = in_review.filter(shortlisted__stage=stage)
    apps = list(
        in_review.order_by("pk")
        .values_list("pk", "applicant_id", "answers", "applicant__organisation",
                     "applicant__display_name", "receipt")
    )  # fmt: skip
    reviewers = list(
        Reviewer.objects.filter(program=cycle.program, active=True)
        .order_by("pk")
        .values_list("pk", "expertise", "organisation", "user__email", "load_limit",
                     "display_name", "statement", "papers", "senior")
    )  # fmt: skip
    if not apps:
        raise ReviewError("no application of this cycle is in review: screen the cycle first")
    if not reviewers:
        raise ReviewError("the program has no active reviewer: invite a panel first")
    n, m = len(apps), len(reviewers)
    app_index = {pk: i for i, (pk, *_rest) in enumerate(apps)}
    applicant_index = {applicant: i for i, (_pk, applicant, *_rest) in enumerate(apps)}
    reviewer_index = {pk: j for j, (pk, *_rest) in enumerate(reviewers)}

    progress("Finding conflicts", 1, 4)
    detected_now, same_organisation = _store_detected_conflicts(apps, reviewers, by)
    conflict_rows = Conflict.objects.filter(
        reviewer__in=[r[0] for r in reviewers], applicant__in=list(applicant_index)
    ).values_list("applicant_id", "reviewer_id", "source")
    pairs, sources = list(same_organisation), Counter()
    if same_organisation:
        sources["same organisation"] = len(same_organisation)
    for applicant, reviewer, source in conflict_rows:
        pairs.append((applicant_index[applicant], reviewer_index[reviewer]))
        sources[source] += 1

    kept = list(
        Assignment.objects.filter(stage=stage, application__in=list(app_index))
        .filter(Q(locked=True) | Q(review__isnull=False))
        .values_list("pk", "application_id", "reviewer_id", "affinity")
    )
    kept_apps = np.array([app_index[a] for _pk, a, r, _f in kept if r in reviewer_index], np.int64)
    kept_revs = np.array([reviewer_index[r] for _pk, a, r, _f in kept if r in reviewer_index],
                         np.int64)  # fmt: skip
    need = np.maximum(0, k - np.bincount(kept_apps, minlength=n))
    # The load limit is per cycle: other stages' assignments use it up too.
    elsewhere = np.zeros(m, np.int64)
    for reviewer, count in (
        Assignment.objects.filter(stage__cycle=cycle, reviewer__in=list(reviewer_index))
        .exclude(stage=stage)
        .values("reviewer")
        .annotate(n=Count("id"))
        .values_list("reviewer", "n")
    ):
        elsewhere[reviewer_index[reviewer]] = count
    limits = np.array([r[4] for r in reviewers], dtype=np.int64)
    max_load = np.maximum(0, limits - elsewhere - np.bincount(kept_revs, minlength=m))
    pairs.extend(zip(kept_apps.tolist(), kept_revs.tolist(), strict=True))  # no pair twice

    progress("Computing affinity", 2, 4)
    form = form_of(cycle)
    documents = [application_document(answers, form) for _pk, _a, answers, *_ in apps]
    profiles = [reviewer_profile(r[1], r[6], r[7]) for r in reviewers]
    summary.method = resolve_method("auto")
    summary.empty_profiles = sum(profile.empty for profile in profiles)
    affinity = affinity_matrix(documents, profiles, method=summary.method,
                               cache=DatabaseEmbeddingCache(), progress=progress)  # fmt: skip

    progress("Solving the assignment", 3, 4)
    bids = [(app_index[a], reviewer_index[r], level) for a, r, level in
            Bid.objects.filter(application__in=list(app_index), reviewer__in=list(reviewer_index))
            .values_list("application_id", "reviewer_id", "level")]  # fmt: skip
    summary.bids = len(bids)
    solver_weights = bid_weights(affinity, bids) if bids else affinity
    try:
        # At most one reviewer of an organisation per application, when the stage asks:
        # the organisations as the reviewers' profiles name them (case and spaces aside).
        groups = ([" ".join((r[2] or "").lower().split()) or None for r in reviewers]
                  if stage.one_per_organisation else None)  # fmt: skip
        # ...and at least one senior reviewer each, when it asks that.
        seniors = np.array([r[8] for r in reviewers], bool) if stage.one_senior else None
        problem = AssignmentProblem(solver_weights, need, max_load, conflicts=pairs,
                                    groups=groups, max_per_group=1, seniors=seniors,
                                    min_seniors=1 if stage.one_senior else 0)  # fmt: skip
        result = solve(problem, objective)
    except AssignmentError as error:
        raise ReviewError(_in_names(error, apps, reviewers)) from error

    now = timezone.now()
    new = [
        Assignment(reviewer_id=reviewers[r][0], application_id=apps[a][0], stage=stage,
                   affinity=float(affinity[a, r]), created_at=now)
        for a, r in result.pairs.tolist()
    ]  # fmt: skip
    with transaction.atomic():
        Assignment.objects.filter(stage=stage, locked=False, review__isnull=True).exclude(
            pk__in=[pk for pk, *_ in kept]
        ).delete()
        Assignment.objects.bulk_create(new, batch_size=1000)
        # Kept assignments made before affinity was stored (or loaded from elsewhere)
        # get theirs, so that every assignment of the stage says how well it fits.
        unscored = [Assignment(pk=pk, affinity=float(affinity[app_index[a], reviewer_index[r]]))
                    for pk, a, r, stored in kept if stored is None and r in reviewer_index]  # fmt: skip
        Assignment.objects.bulk_update(unscored, ["affinity"], batch_size=500)
        record(by, "stage.assigned", stage, objective=objective, assigned=len(new),
               kept=len(kept), total_affinity=result.total_affinity,
               upper_bound=result.upper_bound, method=summary.method)  # fmt: skip
    progress("Done", 4, 4)

    chosen = set(map(tuple, result.pairs.tolist()))
    summary.eager_used = sum((a, r) in chosen for a, r, level in bids if level == BidLevel.EAGER)
    summary.not_willing_used = sum((a, r) in chosen for a, r, level in bids
                                   if level == BidLevel.NOT_WILLING)  # fmt: skip
    loads = np.bincount(kept_revs, minlength=m) + result.loads
    # The figures are the stage's as a whole: the kept assignments count with the new.
    every_app = np.concatenate([kept_apps, result.pairs[:, 0]])
    every = affinity[every_app, np.concatenate([kept_revs, result.pairs[:, 1]])]
    weights = every if every.size else np.zeros(1)
    kept_total = float(affinity[kept_apps, kept_revs].sum())
    summary.applications, summary.reviewers = n, m
    summary.reviews_needed = n * k
    summary.assigned, summary.kept = len(new), len(kept)
    summary.conflicts = dict(sources)
    summary.detected_now = detected_now
    summary.load_histogram = dict(sorted(Counter(loads.tolist()).items()))
    summary.affinity_quantiles = {
        f"{q:.0%}": round(float(v), 3) for q, v in zip(QUANTILES, np.quantile(weights, QUANTILES),
                                                      strict=True)
    }  # fmt: skip
    if bids:  # the solver's figures are in bid-weighted terms: say the affinity's own
        summary.total_affinity = round(float(every.sum()), 3)
        summary.upper_bound = None
        summary.min_application_affinity = None
    else:
        summary.total_affinity = round(result.total_affinity + kept_total, 3)
        summary.upper_bound = round(result.upper_bound + kept_total, 3)  # kept ones are fixed
        per_application = np.bincount(every_app, every, minlength=n)
        summary.min_application_affinity = round(float(per_application.min()), 3)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _store_detected_conflicts(apps, reviewers, by) -> tuple[int, list[tuple[int, int]]]:
    """Find conflicts in the data. A reviewer who is the applicant's recommender is
    stored (a fact about two people); a shared organisation is found again at every run
    from the current organisations, and not stored (at a national scale that would be
    hundreds of thousands of rows that go stale when someone changes employer). Returns
    how many were stored now, and the same-organisation (application, reviewer) pairs."""
    recommenders: dict[int, list[str]] = {}
    for application, email in Reference.objects.filter(
        application__in=[a[0] for a in apps]
    ).values_list("application_id", "recommender_email"):
        recommenders.setdefault(application, []).append(email)
    found = detect_conflicts(
        [a[3] or (a[2] or {}).get("organisation") or "" for a in apps],
        [r[2] for r in reviewers],
        [recommenders.get(a[0], []) for a in apps],
        [r[3] for r in reviewers],
    )
    same = [(c.application, c.reviewer) for c in found if c.reason.startswith("same organisation")]
    found = [c for c in found if not c.reason.startswith("same organisation")]
    if not found:
        return 0, same
    existing = set(
        Conflict.objects.filter(reviewer__in=[r[0] for r in reviewers]).values_list(
            "applicant_id", "reviewer_id"
        )
    )
    rows = {}
    for conflict in found:
        key = (apps[conflict.application][1], reviewers[conflict.reviewer][0])
        if key not in existing and key not in rows:
            rows[key] = Conflict(applicant_id=key[0], reviewer_id=key[1],
                                 source=ConflictSource.DETECTED, reason=conflict.reason[:300])  # fmt: skip
    Conflict.objects.bulk_create(list(rows.values()), ignore_conflicts=True)
    if rows:
        record(by, "conflicts.detected", None, count=len(rows))
    return len(rows), same


def _in_names(error: AssignmentError, apps, reviewers) -> str:
    """The engine speaks of row and column numbers; staff know names and receipts."""
    message = str(error)
    application = getattr(error, "application", None)
    reviewer = getattr(error, "reviewer", None)
    if application is not None:
        _pk, _applicant, _answers, _org, name, receipt = apps[application]
        message = message.replace(f"application {application}",
                                  f"{name}'s application {receipt}", 1)  # fmt: skip
    if reviewer is not None:
        message = message.replace(f"reviewer {reviewer}", f"reviewer {reviewers[reviewer][5]}", 1)
    if isinstance(error, InfeasibleAssignment):
        message += ". Invite more reviewers, raise load limits or ask for fewer reviews."
    return message


def score_unscored(cycle) -> int:
    """Give each assignment of ``cycle`` that has no affinity (made before affinity was
    stored, or loaded from elsewhere: the demo's world) the affinity the assignment
    would have computed, by the same method and profiles; how many were scored."""
    rows = list(Assignment.objects.filter(stage__cycle=cycle, affinity__isnull=True)
                .values_list("pk", "application_id", "reviewer_id"))  # fmt: skip
    if not rows:
        return 0
    app_ids = sorted({a for _pk, a, _r in rows})
    rev_ids = sorted({r for _pk, _a, r in rows})
    answers = dict(Application.objects.filter(pk__in=app_ids).values_list("pk", "answers"))
    profiles = {pk: reviewer_profile(tags, statement, papers) for pk, tags, statement, papers
                in Reviewer.objects.filter(pk__in=rev_ids)
                .values_list("pk", "expertise", "statement", "papers")}  # fmt: skip
    form = form_of(cycle)
    affinity = affinity_matrix(
        [application_document(answers.get(a) or {}, form) for a in app_ids],
        [profiles[r] for r in rev_ids],
        cache=DatabaseEmbeddingCache(),
    )
    app_index = {a: i for i, a in enumerate(app_ids)}
    rev_index = {r: j for j, r in enumerate(rev_ids)}
    scored = [Assignment(pk=pk, affinity=float(affinity[app_index[a], rev_index[r]]))
              for pk, a, r in rows]  # fmt: skip
    Assignment.objects.bulk_update(scored, ["affinity"], batch_size=500)
    return len(scored)


def why_matched(assignment: Assignment, top: int = 3) -> list[Match]:
    """The reviewer's texts (publications, statement, keywords) that match the
    application best, and match it at all: why the assignment put the two together."""
    reviewer = assignment.reviewer
    profile = reviewer_profile(reviewer.expertise, reviewer.statement, reviewer.papers)
    if profile.empty:
        return []
    application = assignment.application
    # Only what the reviewer may read: a score against hidden or (on a blind stage)
    # identifying answers would let them test guesses about those answers.
    hidden = unseen_fields(application.cycle_id, blind=assignment.stage.blind)
    document = application_document(application.answers or {}, form_of(application.cycle),
                                     skip=hidden)  # fmt: skip
    found = best_matches(document, profile, top=top, cache=DatabaseEmbeddingCache())
    return [match for match in found if match.score > 0]
