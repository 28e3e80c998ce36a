"""A reviewer's work: their queue, what they may see of an application, scoring it,
and declaring a conflict."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ascent.applications.models import Application, ApplicationStatus
from ascent.common.domain.audit import record
from ascent.programs.domain.content import phrasebook
from ascent.programs.models import Criterion, FormField
from ascent.review.models import (
    Assignment,
    Conflict,
    ConflictSource,
    Review,
    ReviewState,
    Score,
)

from .errors import ReviewError


def queue_of(user) -> QuerySet[Assignment]:
    """The user's assignments on applications still in review, oldest first."""
    return (
        Assignment.objects.filter(reviewer__user=user, reviewer__active=True,
                                  application__status=ApplicationStatus.IN_REVIEW)
        .select_related("application__cycle__program", "stage", "review")
        .order_by("application__cycle__deadline", "created_at", "pk")
    )  # fmt: skip


PAST_SHOWN = 200  # the reviewer's most recent submitted reviews listed under the queue


def reviews_done_by(user) -> QuerySet[Assignment]:
    """The user's submitted reviews of applications no longer in review (decided,
    released, withdrawn), newest first: theirs to read again, never to change."""
    return (
        Assignment.objects.filter(reviewer__user=user, review__state=ReviewState.SUBMITTED)
        .exclude(application__status=ApplicationStatus.IN_REVIEW)
        .select_related("application__cycle__program", "stage", "review")
        .order_by("-review__submitted_at", "-pk")
    )


def assignment_for(user, pk: int) -> Assignment:
    """One of the user's own assignments, in the queue or reviewed earlier;
    Assignment.DoesNotExist for anything else."""
    try:
        return queue_of(user).get(pk=pk)
    except Assignment.DoesNotExist:
        return reviews_done_by(user).get(pk=pk)


@dataclass
class VisibleAnswer:
    label: str
    kind: str
    value: object
    columns: list[tuple[str, str]]


def visible_answers(assignment: Assignment) -> list[VisibleAnswer]:
    """The application's answers as this reviewer may see them: never the fields hidden
    from reviewers, and not the identifying ones when the stage is blind."""
    fields = FormField.objects.filter(cycle=assignment.application.cycle_id).order_by(
        "position", "id"
    )
    answers = assignment.application.answers or {}
    words = phrasebook(assignment.application.cycle)  # the program's texts, the reader's way
    shown = []
    for field in fields:
        if field.hidden_from_reviewers or (assignment.stage.blind and field.identifying):
            continue
        labels = {c["value"]: words.get(c.get("label", c["value"]), c.get("label", c["value"]))
                  for c in field.choices}  # fmt: skip
        value = answers.get(field.key)
        if field.kind == "choice":
            value = labels.get(value, value)
        elif field.kind == "multi_choice" and isinstance(value, list):
            value = ", ".join(labels.get(v, v) for v in value)
        elif field.kind == "file" and isinstance(value, dict):
            value = {"name": file_name_for(assignment, field, value), "key": field.key}
        columns = [(c["key"], words.get(c.get("label", c["key"]), c.get("label", c["key"])))
                   for c in field.columns]  # fmt: skip
        if field.kind == "records" and isinstance(value, list):
            value = [{key: _column(field, key, row.get(key), words) for key, _l in columns}
                     for row in value]  # fmt: skip
        shown.append(VisibleAnswer(words.get(field.label, field.label), field.kind, value, columns))
    return shown


EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def file_name_for(assignment: Assignment, field, value: dict) -> str:
    """The name a reviewer sees for a file answer: in a blind stage a neutral one made
    from the field's label ("curriculum-vitae.pdf"), never the applicant's own."""
    if not assignment.stage.blind:
        return str(value.get("name") or field.key)
    extension = EXTENSIONS.get(value.get("content_type"), "bin")
    return f"{slugify(field.label) or field.key}.{extension}"


def _column(field, key, value, words: dict[str, str]):
    for column in field.columns:
        if column["key"] == key and column.get("choices"):
            labels = {c["value"]: c.get("label", c["value"]) for c in column["choices"]}
            label = labels.get(value, value)
            return words.get(label, label) if isinstance(label, str) else label
    return value


def others_reviews(assignment: Assignment) -> list[Review]:
    """The other submitted reviews of this application at this stage, when the stage lets
    this reviewer see them (by default only once their own is submitted)."""
    own = getattr(assignment, "review", None)
    if assignment.stage.others_scores_after_submit and (
        own is None or own.state != ReviewState.SUBMITTED
    ):
        return []
    return list(
        Review.objects.filter(assignment__application=assignment.application,
                              assignment__stage=assignment.stage, state=ReviewState.SUBMITTED)
        .exclude(assignment=assignment)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )  # fmt: skip


@transaction.atomic
def save_review(assignment: Assignment, *, scores: dict[int, str], comments: str,
                confidence: str, submit: bool, by) -> Review:  # fmt: skip
    """Save the reviewer's scores (a draft, or submitted). Every problem is named by
    criterion; nothing partial is saved. A submitted review no longer changes."""
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    if review.state == ReviewState.SUBMITTED:
        raise ReviewError(_("this review was submitted and can no longer change"))
    criteria = list(Criterion.objects.filter(cycle=assignment.application.cycle)
                    .order_by("position", "id"))  # fmt: skip
    values, problems = {}, []
    for criterion in criteria:
        raw = (scores.get(criterion.pk) or "").strip()
        if not raw:
            if submit:
                problems.append((f"score-{criterion.pk}", _("give a score to submit")))
            continue
        try:
            value = int(raw)
        except ValueError:
            problems.append((f"score-{criterion.pk}", _("must be a whole number")))
            continue
        if not criterion.scale_min <= value <= criterion.scale_max:
            problems.append((f"score-{criterion.pk}", _("must be between %(lo)s and %(hi)s")
                             % {"lo": criterion.scale_min, "hi": criterion.scale_max}))  # fmt: skip
            continue
        values[criterion.pk] = value
    level = None
    if (confidence or "").strip():
        if confidence.strip() not in {"1", "2", "3", "4", "5"}:
            problems.append(("confidence", _("choose 1 to 5")))
        else:
            level = int(confidence)
    elif submit:
        problems.append(("confidence", _("say how sure you are")))
    if len(comments or "") > 20_000:
        problems.append(("comments", _("at most 20,000 characters")))
    if problems:
        raise ReviewError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    Score.objects.filter(review=review).exclude(criterion_id__in=list(values)).delete()
    for criterion in criteria:
        if criterion.pk in values:
            Score.objects.update_or_create(review=review, criterion=criterion, defaults={
                "value": values[criterion.pk], "scale_min": criterion.scale_min,
                "scale_max": criterion.scale_max})  # fmt: skip
    review.comments, review.confidence = comments or "", level
    if submit:
        review.state, review.submitted_at = ReviewState.SUBMITTED, timezone.now()
    review.save()
    if submit:
        record(by, "review.submitted", review, assignment=assignment.pk)
    return review


@transaction.atomic
def declare_conflict(assignment: Assignment, *, reason: str, by) -> Conflict:
    """The reviewer knows the applicant: the conflict is recorded (for every cycle), the
    assignment and any draft review are removed, and staff see it in the audit log."""
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.state == ReviewState.SUBMITTED:
        raise ReviewError(_("this review was already submitted; write to the program staff"))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("reason: say briefly how you know the applicant"),
                          problems=[("reason", _("say briefly how you know the applicant"))])  # fmt: skip
    conflict, _created = Conflict.objects.get_or_create(
        reviewer=assignment.reviewer, applicant=assignment.application.applicant,
        defaults={"source": ConflictSource.DECLARED, "reason": reason[:300]},
    )  # fmt: skip
    record(by, "conflict.declared", assignment.application, reviewer=assignment.reviewer_id,
           stage=assignment.stage_id, reason=reason[:300])  # fmt: skip
    assignment.delete()
    return conflict


@dataclass
class History:
    earlier: list[tuple[str, str]]  # (cycle name, released outcome or status)
    changes: list[tuple[str, object, object]]  # (field label, before, after)


def history_for(assignment: Assignment) -> History | None:
    """When the stage shows it: the applicant's earlier applications to the program and
    what changed in the visible answers since the latest one. None otherwise."""
    if not assignment.stage.show_history:
        return None
    application = assignment.application
    earlier = list(
        Application.objects.filter(applicant=application.applicant,
                                   cycle__program=application.cycle.program,
                                   cycle__deadline__lt=application.cycle.deadline)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("cycle", "decision")
        .order_by("-cycle__deadline")
    )  # fmt: skip
    rows = []
    for item in earlier:
        decision = getattr(item, "decision", None)
        released = decision is not None and decision.released_at is not None
        rows.append((item.cycle.name, decision.get_outcome_display() if released
                     else item.get_status_display()))  # fmt: skip
    changes = []
    if earlier:
        before = Assignment(application=earlier[0], stage=assignment.stage)
        old = {a.label: a.value for a in visible_answers(before)}
        for answer in visible_answers(assignment):
            if old.get(answer.label) != answer.value:
                changes.append((answer.label, old.get(answer.label), answer.value))
    return History(rows, changes)


def letters_for(assignment: Assignment) -> list:
    """The submitted letters of reference: for the panel only, and in a blind stage only
    when the stage shows them."""
    from ascent.applications.models import Reference, ReferenceState

    if assignment.stage.blind and not assignment.stage.letters_when_blind:
        return []
    return list(Reference.objects.filter(application=assignment.application,
                                         state=ReferenceState.SUBMITTED).order_by("submitted_at"))  # fmt: skip
