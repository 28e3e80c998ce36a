"""Bids (issue #16): before the assignment, a reviewer says of each application of a
stage whether they are eager, willing or not willing to review it, or that they know the
applicant (recorded as a declared conflict). The assignment reads them (assignment.py):
never a conflict, "not willing" only when there is no other way, "eager" raises the
pair's affinity."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ascent.applications.models import Application, ApplicationStatus
from ascent.common.domain.audit import record
from ascent.engine.affinity import application_document
from ascent.programs.domain.content import reader_form
from ascent.programs.models import Stage, StageKind
from ascent.review.models import Bid, BidLevel, Conflict, ConflictSource, Reviewer

from .errors import ReviewError

EAGER_RAISE = 0.25  # added to an eager pair's affinity (capped at 1)
# The solver's weight of a pair: the affinity squeezed into [FLOOR, 1], a not-willing pair
# near 0. Any swap that avoids a not-willing pair gains more than any other swap can lose.
FLOOR = 0.6
WORDS = 8
STOP = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "did",
        "do",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "our",
        "out",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "years",
        "year",
        "more",
        "most",
        "some",
        "such",
        "other",
        "over",
        "only",
        "very",
        "just",
    ]
)


def bid_stages(reviewer: Reviewer):
    """The stages a reviewer can bid on now: review and interview stages of their
    program's cycles whose applications are in review (and, for an interview, shortlisted)."""
    # EXISTS, not a join with DISTINCT: on PostgreSQL the join sorted every application in
    # review (12,623 rows of stage, cycle and program, spilled to disk) on each queue view.
    in_review = Application.objects.filter(cycle=OuterRef("cycle"),
                                           status=ApplicationStatus.IN_REVIEW)  # fmt: skip
    return (Stage.objects.filter(cycle__program=reviewer.program,
                                 kind__in=[StageKind.REVIEW, StageKind.INTERVIEW])
            .filter(Exists(in_review))
            .select_related("cycle__program").order_by("-cycle__deadline", "position"))  # fmt: skip


def biddable(stage: Stage):
    """The applications of ``stage`` one can bid on, in a stable order."""
    found = Application.objects.filter(cycle=stage.cycle, status=ApplicationStatus.IN_REVIEW)
    if stage.kind == StageKind.INTERVIEW:
        found = found.filter(shortlisted__stage=stage)
    return found.order_by("receipt", "pk")


@dataclass
class BidRow:
    application: Application
    words: list[str]  # what it is about: its most frequent content words
    level: str  # the bid, "conflict", or "" when none


def bid_rows(reviewer: Reviewer, stage: Stage, applications) -> list[BidRow]:
    """One row per application with the reviewer's bid and its topic words; a blind stage
    shows nothing that names the applicant (only the words of non-identifying answers)."""
    form = reader_form(stage.cycle)
    hidden = {spec.key for spec in form} - _topic_fields(stage)
    applications = list(applications)
    bids = dict(Bid.objects.filter(reviewer=reviewer, application__in=applications)
                .values_list("application_id", "level"))  # fmt: skip
    known = set(Conflict.objects.filter(reviewer=reviewer,
                                        applicant__in=[a.applicant_id for a in applications])
                .values_list("applicant_id", flat=True))  # fmt: skip
    rows = []
    for application in applications:
        text = application_document(application.answers or {}, form, skip=hidden)
        level = "conflict" if application.applicant_id in known else bids.get(application.pk, "")
        rows.append(BidRow(application, topic_words(text), level))
    return rows


def _topic_fields(stage: Stage) -> set[str]:
    """The fields whose words may describe an application on the bidding page: never
    hidden from reviewers, and never identifying in a blind stage."""
    fields = stage.cycle.form_fields.filter(hidden_from_reviewers=False)
    if stage.blind:
        fields = fields.filter(identifying=False)
    return set(fields.values_list("key", flat=True))


def topic_words(text: str, n: int = WORDS) -> list[str]:
    words = [w for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in STOP]
    return [word for word, _count in Counter(words).most_common(n)]


@transaction.atomic
def place_bids(reviewer: Reviewer, stage: Stage, levels: dict[int, str], *, by) -> Counter:
    """Store the reviewer's bids on applications of ``stage`` (application id → level;
    "" removes a bid). A conflict is recorded as a declared conflict, for every cycle.
    Every problem is named; nothing is stored if any."""
    allowed = set(BidLevel.values) | {""}
    wrong = [pk for pk, level in levels.items() if level not in allowed]
    if wrong:
        raise ReviewError(_("bid: choose eager, willing, not willing or conflict"),
                          problems=[(f"bid-{pk}", _("choose one of the four")) for pk in wrong])  # fmt: skip
    applications = {a.pk: a for a in biddable(stage).filter(pk__in=list(levels))}
    if len(applications) != len(levels):
        raise ReviewError(_("bid: only on applications of this stage"))
    done = Counter()
    for pk, level in levels.items():
        application = applications[pk]
        if level == BidLevel.CONFLICT:
            Bid.objects.filter(reviewer=reviewer, application=application).delete()
            _conflict, created = Conflict.objects.get_or_create(
                reviewer=reviewer, applicant_id=application.applicant_id,
                defaults={"source": ConflictSource.DECLARED, "reason": _("declared when bidding")},
            )  # fmt: skip
            if created:
                record(by, "conflict.declared", application, reviewer=reviewer.pk,
                       stage=stage.pk, reason="bid")  # fmt: skip
        elif level == "":
            Bid.objects.filter(reviewer=reviewer, application=application).delete()
        else:
            Bid.objects.update_or_create(reviewer=reviewer, application=application,
                                         defaults={"level": level})  # fmt: skip
        done[level or "none"] += 1
    return done


def bid_coverage(stage: Stage) -> dict:
    """What staff see before assigning: bids by level, how many reviewers bid, and how
    many applications have no eager or willing bid."""
    applications = biddable(stage)
    bids = Bid.objects.filter(application__in=applications)
    by_level = Counter(bids.values_list("level", flat=True))
    covered = set(bids.filter(level__in=[BidLevel.EAGER, BidLevel.WILLING])
                  .values_list("application_id", flat=True))  # fmt: skip
    total = applications.count()
    return {
        "applications": total,
        "bidders": bids.values("reviewer").distinct().count(),
        "eager": by_level.get(BidLevel.EAGER, 0),
        "willing": by_level.get(BidLevel.WILLING, 0),
        "not_willing": by_level.get(BidLevel.NOT_WILLING, 0),
        "uncovered": total - len(covered),
    }


def bid_weights(affinity: np.ndarray, bids: list[tuple[int, int, str]]) -> np.ndarray:
    """The solver's weights from the affinity and the bids (row, column, level): an
    eager pair's affinity is raised; every pair is then squeezed into [FLOOR, 1], and a
    not-willing pair falls below FLOOR's reach, so that it is used only when no other
    pair can take its place. With the number of reviews fixed, a linear squeeze leaves
    the optimum of every objective unchanged."""
    if hasattr(affinity, "toarray"):  # scipy.sparse: the squeeze makes every entry non-zero
        affinity = affinity.toarray()
    raised = np.array(affinity, dtype=np.float64)
    for a, r, level in bids:
        if level == BidLevel.EAGER:
            raised[a, r] = min(1.0, raised[a, r] + EAGER_RAISE)
    weights = FLOOR + (1.0 - FLOOR) * raised
    for a, r, level in bids:
        if level == BidLevel.NOT_WILLING:
            weights[a, r] = 0.01 * raised[a, r]
    return weights
