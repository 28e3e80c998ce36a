"""Shortlisting for an interview stage from the panel's calibrated ranking."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ascent.common.domain.audit import record
from ascent.decisions.models import Decision, Outcome
from ascent.programs.models import Stage, StageKind
from ascent.review.models import Shortlisted

from .errors import ReviewError


@transaction.atomic
def shortlist(stage: Stage, size, *, by) -> int:
    """The best ``size`` of the latest (unreleased) ranking go on to ``stage``; the
    stage's previous shortlist is replaced. Returns how many were shortlisted."""
    if stage.kind != StageKind.INTERVIEW:
        raise ReviewError(_("only an interview stage takes a shortlist"))
    try:
        size = int(size)
    except (TypeError, ValueError):
        size = 0
    if size < 1:
        raise ReviewError(
            _("size: a whole number of at least 1"), problems=[("size", _("at least 1"))]
        )
    ranked = list(
        Decision.objects.filter(application__cycle=stage.cycle, released_at__isnull=True,
                                rank__isnull=False)
        .exclude(outcome=Outcome.INELIGIBLE).order_by("rank")[:size]
    )  # fmt: skip
    if not ranked:
        raise ReviewError(_("no ranking yet: run the selection after the panel's reviews"))
    if len(ranked) < size:
        raise ReviewError(
            ngettext(
                "only %(n)s application is ranked",
                "only %(n)s applications are ranked",
                len(ranked),
            )
            % {"n": len(ranked)}
        )
    now = timezone.now()
    Shortlisted.objects.filter(stage=stage).delete()
    Shortlisted.objects.bulk_create([Shortlisted(stage=stage, application_id=d.application_id,
                                                 rank=d.rank, created_at=now) for d in ranked])  # fmt: skip
    record(by, "stage.shortlisted", stage, size=size)
    return size
