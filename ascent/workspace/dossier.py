"""Everything staff read about one application, gathered in a fixed number of queries:
the answers as the form shows them, letters, eligibility, reviews, the decision and its
gap report, the offer, the history, and the applicant's earlier applications."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascent.applications.domain.journey_map import chance_in_100, criterion_rows
from ascent.applications.models import Application, ApplicationStatus, Reference
from ascent.common.models import AuditEvent
from ascent.decisions.models import Decision, DecisionRun, Offer
from ascent.portal.answers import field_views
from ascent.programs.domain.content import reader_form
from ascent.programs.models import Criterion
from ascent.review.models import Assignment, Score

Z95 = 1.96

# What happened to an application, in words (audit verbs and the system's reasons).
VERBS = {
    "application.started": _("Draft started"), "application.draft_held": _("Draft saved with answers to fix"),
    "application.eligibility_overridden": _("Eligibility overruled"),
    "reference.requested": _("Reference requested"), "reference.reminded": _("Recommender reminded"),
    "reference.submitted": _("Letter received"), "decision.changed": _("Decision changed"),
    "offer.accepted": _("Offer accepted"), "offer.withdrawn": _("Offer withdrawn"),
}  # fmt: skip
REASONS = {
    "submitted by the applicant": _("submitted by the applicant"),
    "withdrawn by the applicant": _("withdrawn by the applicant"),
    "reopened by the applicant": _("reopened by the applicant"), "screening": _("screening"),
    "decisions released": _("decisions released"), "offer lapsed": _("offer lapsed"),
}  # fmt: skip


@dataclass
class ScoreLine:
    criterion: str
    value: int
    scale: tuple[int, int]
    level: str  # the rubric's words for this score, if the rubric has them


@dataclass
class ReviewView:
    assignment: Assignment
    state: str
    scores: list[ScoreLine] = field(default_factory=list)
    comments: str = ""
    confidence: int | None = None
    offset: float | None = None  # the reviewer's calibrated offset in the decision's run


@dataclass
class Event:
    at: object
    what: str
    who: str
    why: str


@dataclass
class Dossier:
    application: Application
    fields: list
    references: list
    eligibility: object | None
    reviews: list[ReviewView]
    decision: Decision | None
    interval: tuple[float, float] | None
    chance: int | None
    criteria_rows: list
    offer: Offer | None
    history: list[Event]
    earlier: list[tuple[Application, float | None]]


def dossier(application: Application) -> Dossier:
    cycle = application.cycle
    criteria = list(Criterion.objects.filter(cycle=cycle).order_by("position", "id"))
    levels = {(c.pk, int(level.get("score", 0))): level.get("description", "")
              for c in criteria for level in c.levels or []}  # fmt: skip
    decision = Decision.objects.filter(application=application).first()
    offsets = {}
    if decision is not None and decision.run_id:
        run = DecisionRun.objects.defer("inputs").filter(pk=decision.run_id).first()
        offsets = (run.summary or {}).get("reviewer_offsets", {}) if run else {}
    reviews = []
    assignments = (
        Assignment.objects.filter(application=application)
        .select_related("reviewer", "stage", "review")
        .prefetch_related(Prefetch("review__scores",
                                   queryset=Score.objects.select_related("criterion")))
        .order_by("stage__position", "created_at", "pk")
    )  # fmt: skip
    for assignment in assignments:
        review = getattr(assignment, "review", None)
        view = ReviewView(assignment, review.state if review else "",
                          offset=offsets.get(str(assignment.reviewer_id)))  # fmt: skip
        if review is not None:
            view.comments, view.confidence = review.comments, review.confidence
            view.scores = [
                ScoreLine(s.criterion.name, s.value, (s.scale_min, s.scale_max),
                          levels.get((s.criterion_id, s.value), ""))
                for s in sorted(review.scores.all(), key=lambda s: (s.criterion.position, s.criterion_id))
            ]  # fmt: skip
        reviews.append(view)
    interval = rows = chance = None
    if decision is not None:
        if decision.composite is not None and decision.stderr is not None:
            half = Z95 * decision.stderr
            interval = (decision.composite - half, decision.composite + half)
        rows = criterion_rows(decision.gap or {}, {c.key: c for c in criteria}, None)
        chance = chance_in_100(decision.p_selected)
    offer = Offer.objects.filter(decision=decision).first() if decision is not None else None
    return Dossier(
        application=application,
        fields=field_views(reader_form(cycle), application.answers, [], file_url=lambda key: reverse(
            "workspace:staff_application_file", args=[application.pk, key])),
        references=list(Reference.objects.filter(application=application).order_by("requested_at")),
        eligibility=getattr(application, "eligibility", None),
        reviews=reviews, decision=decision, interval=interval, chance=chance,
        criteria_rows=rows or [], offer=offer,
        history=_history(application),
        earlier=[(a, getattr(getattr(a, "decision", None), "composite", None)) for a in
                 Application.objects.filter(applicant=application.applicant,
                                            cycle__program=cycle.program,
                                            cycle__deadline__lt=cycle.deadline)
                 .exclude(status="draft").select_related("cycle", "decision")
                 .order_by("-cycle__deadline")],
    )  # fmt: skip


def _history(application: Application) -> list[Event]:
    """Status changes and the other events of the application, in order, in words (a
    status change is not listed twice: its audit event is the transition)."""
    labels = dict(ApplicationStatus.choices)
    events = [
        Event(t.at, f"{labels.get(t.from_status, t.from_status)} → {labels.get(t.to_status, t.to_status)}",
              t.by.email if t.by else "", _reason(t.reason))
        for t in application.transitions.select_related("by").order_by("at", "pk")
    ]  # fmt: skip
    for e in (AuditEvent.objects.filter(target_type=application._meta.label_lower,
                                        target_id=str(application.pk))
              .exclude(verb="application.status_changed").select_related("actor")
              .order_by("at", "pk")[:200]):  # fmt: skip
        events.append(
            Event(
                e.at,
                str(VERBS.get(e.verb, e.verb)),
                e.actor.email if e.actor else "",
                str(e.data.get("reason") or ""),
            )
        )
    return sorted(events, key=lambda event: event.at)


def _reason(reason: str) -> str:
    if reason.startswith("eligibility override: "):
        return str(_("eligibility overruled: %(why)s")) % {"why": reason.split(": ", 1)[1]}
    return str(REASONS.get(reason, reason))
