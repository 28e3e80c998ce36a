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
    if Stage.objects.filter(pk=stage.pk, shortlist_announced_at__isnull=False).exists():
        raise ReviewError(_("this shortlist was announced to the applicants; it can no "
                            "longer be replaced"))  # fmt: skip
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


def announce_shortlist(stage: Stage, *, by, base_url: str = "") -> int:
    """Tell each shortlisted applicant they moved on to ``stage``, and the supporters who
    get their milestones; from then on the shortlist stays as it is (a shortlist that
    could still be replaced is never announced). Returns how many applicants were told."""
    from ascent.applications.domain.milestones import notify_supporters
    from ascent.common.email import send_templated

    with transaction.atomic():
        locked = Stage.objects.select_for_update().select_related("cycle__program").get(pk=stage.pk)
        if locked.shortlist_announced_at is not None:
            raise ReviewError(_("this shortlist was already announced"))
        chosen = list(Shortlisted.objects.filter(stage=locked)
                      .select_related("application__applicant__user").order_by("rank"))  # fmt: skip
        if not chosen:
            raise ReviewError(_("no shortlist yet: shortlist from the selection board first"))
        locked.shortlist_announced_at = timezone.now()
        locked.save(update_fields=["shortlist_announced_at"])
        record(by, "stage.shortlist_announced", locked, applicants=len(chosen))
        cycle = locked.cycle
        for row in chosen:
            application = row.application
            email = application.applicant.user.email
            if email:
                send_templated("applications/email/advanced", {
                    "application": application, "cycle": cycle, "stage": locked,
                }, [email])  # fmt: skip
            notify_supporters(application.applicant_id, "advanced", cycle=cycle,
                              stage=locked.name, base_url=base_url)  # fmt: skip
    stage.shortlist_announced_at = locked.shortlist_announced_at
    return len(chosen)
