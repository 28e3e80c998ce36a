"""Changing an application's status: the one place that does it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ascent.applications.models import (
    TRANSITIONS,
    Application,
    ApplicationStatus,
    ApplicationTransition,
)
from ascent.common.domain.audit import record

from .answers import check_answers
from .errors import ApplicationError

__all__ = [
    "ApplicationError",
    "check_transition",
    "record_transition",
    "transition_application",
    "transition_applications",
]


def check_transition(application: Application, to_status: str) -> None:
    if to_status not in TRANSITIONS[application.status]:
        current = ApplicationStatus(application.status).label.lower()
        wanted = ApplicationStatus(to_status).label.lower()
        raise ApplicationError(f"a {current} application cannot become {wanted}")


@transaction.atomic
def transition_application(
    application: Application,
    to_status: str,
    *,
    by,
    reason: str = "",
    at: dt.datetime | None = None,
) -> ApplicationTransition:
    """Move the application to ``to_status`` if the status graph allows it (and, to
    submit, if the answers are complete and valid for the form), recording the change
    (who, why, when) and an audit event. Sends nothing."""
    locked = (
        Application.objects.select_related("cycle")
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )
    check_transition(locked, to_status)
    if to_status == ApplicationStatus.SUBMITTED:
        check_answers(locked.cycle, locked.answers, complete=True)
    change, fields = record_transition(locked, to_status, by=by, reason=reason, at=at)
    locked.save(update_fields=fields)
    application.status, application.submitted_at = locked.status, locked.submitted_at
    return change


def record_transition(
    locked: Application, to_status: str, *, by, reason: str, at: dt.datetime | None = None
) -> tuple[ApplicationTransition, list[str]]:
    """Record the move of an application the caller has locked and checked: the
    transition row and the audit event. Sets the fields on ``locked`` and returns the
    names to save, so that the caller can save them with its own in one UPDATE."""
    at = at or timezone.now()
    change = ApplicationTransition.objects.create(
        application=locked, from_status=locked.status, to_status=to_status, by=by,
        reason=reason, at=at,
    )  # fmt: skip
    fields = ["status", "updated_at"]
    if to_status == ApplicationStatus.SUBMITTED:
        locked.submitted_at = at
        fields.append("submitted_at")
    record(by, "application.status_changed", locked, **{"from": locked.status, "to": to_status,
                                                        "reason": reason})  # fmt: skip
    locked.status = to_status
    return change, fields


CHUNK = 500  # ids per UPDATE: well inside SQLite's limit on query parameters


def transition_applications(
    moves: dict[tuple[str, str], list[int]],
    *,
    by,
    reason: str,
    at: dt.datetime | None = None,
) -> dict[str, int]:
    """Move many applications at once, for batch work such as screening.

    ``moves`` maps (from_status, to_status) to application ids. Each id moves only if
    it still has ``from_status`` (a concurrent withdrawal wins); every move is checked
    against the status graph and recorded as an ApplicationTransition. The caller holds
    the transaction and writes one audit event for the batch. Returns the counts moved,
    keyed "from→to".
    """
    at = at or timezone.now()
    counts: dict[str, int] = {}
    for (from_status, to_status), ids in moves.items():
        if to_status not in TRANSITIONS[from_status]:
            raise ApplicationError(f"a {from_status} application cannot become {to_status}")
        moved: list[int] = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            still = list(
                Application.objects.select_for_update()
                .filter(pk__in=chunk, status=from_status)
                .values_list("pk", flat=True)
            )
            Application.objects.filter(pk__in=still).update(status=to_status, updated_at=at)
            moved.extend(still)
        ApplicationTransition.objects.bulk_create(
            [
                ApplicationTransition(application_id=pk, from_status=from_status,
                                      to_status=to_status, by=by, reason=reason, at=at)
                for pk in moved
            ],
            batch_size=1000,
        )  # fmt: skip
        if moved:
            counts[f"{from_status}→{to_status}"] = len(moved)
    return counts
