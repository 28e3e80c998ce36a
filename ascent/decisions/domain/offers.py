"""After release: offers, answers, the waitlist, and changing a released decision.

Every selected applicant gets an offer to accept or decline by a date. A decline, or a
lapse (no answer by the date: ``expire_offers``), promotes the best waitlisted applicant
whose promotion keeps every quota met, and sends them the offer. A released decision
changes only with a reason, recorded in the audit log; a change away from "selected"
withdraws the open offer in the same transaction and promotes from the waitlist as a
decline would. Answering an offer and changing its decision lock the decision row first,
so that an offer is never accepted once its decision is no longer "selected".
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascent.applications.domain.transitions import transition_application
from ascent.applications.models import ApplicationStatus
from ascent.common.domain.audit import record
from ascent.common.email import send_templated
from ascent.decisions.models import Decision, Offer, OfferState, Outcome
from ascent.programs.models import Cycle

from .errors import DecisionError

OFFER_DAYS = 14
S = ApplicationStatus


def make_offers(cycle: Cycle, *, now: dt.datetime | None = None, days: int = OFFER_DAYS) -> int:
    """An offer for every released, selected decision that has none yet."""
    now = now or timezone.now()
    created = 0
    for decision in Decision.objects.filter(application__cycle=cycle, outcome=Outcome.SELECTED,
                                            released_at__isnull=False, offer__isnull=True):  # fmt: skip
        _offer(decision, now, days)
        created += 1
    return created


def _offer(decision: Decision, now, days: int, promoted_from: Offer | None = None) -> Offer:
    """Offer the seat: a new offer, or the decision's earlier one (withdrawn, declined or
    lapsed: a decision holds one offer) opened again."""
    offer, _made = Offer.objects.update_or_create(decision=decision, defaults={
        "state": OfferState.OFFERED, "offered_at": now, "responded_at": None,
        "respond_by": now + dt.timedelta(days=days), "promoted_from": promoted_from})  # fmt: skip
    application = decision.application
    send_templated("decisions/email/offer", {"offer": offer, "application": application,
                                             "cycle": application.cycle},
                   [application.applicant.user.email])  # fmt: skip
    return offer


@transaction.atomic
def answer_offer(offer: Offer, *, accept: bool, by, now: dt.datetime | None = None) -> Offer | None:
    """The applicant accepts or declines. A decline promotes from the waitlist; returns
    the new offer made, if any."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().get(pk=offer.decision_id)
    offer = (
        Offer.objects.select_for_update().select_related("decision__application").get(pk=offer.pk)
    )
    if offer.state == OfferState.WITHDRAWN or decision.outcome != Outcome.SELECTED:
        raise DecisionError(_("this offer was withdrawn: the program changed its decision"))
    if offer.state != OfferState.OFFERED:
        raise DecisionError(_("this offer was already answered"))
    if now > offer.respond_by:
        raise DecisionError(
            _("this offer lapsed on %(when)s") % {"when": f"{offer.respond_by:%Y-%m-%d}"}
        )
    offer.state = OfferState.ACCEPTED if accept else OfferState.DECLINED
    offer.responded_at = now
    offer.save(update_fields=["state", "responded_at"])
    record(by, "offer.accepted" if accept else "offer.declined", offer.decision.application)
    if accept:
        return None
    change_decision(offer.decision, Outcome.NOT_SELECTED, reason=_("declined the offer"), by=by)
    return promote_from_waitlist(offer, now=now)


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Offers past their date lapse, each promoting from the waitlist. Returns how many."""
    now = now or timezone.now()
    lapsed = 0
    for pk, decision_id in Offer.objects.filter(state=OfferState.OFFERED, respond_by__lt=now
                                                ).values_list("pk", "decision_id"):  # fmt: skip
        with transaction.atomic():
            decision = Decision.objects.select_for_update().get(pk=decision_id)  # as staff do
            offer = Offer.objects.select_for_update().get(pk=pk)
            if offer.state != OfferState.OFFERED or offer.respond_by >= now:
                continue  # answered, withdrawn or opened again since the list was read
            Offer.objects.filter(pk=offer.pk).update(state=OfferState.LAPSED, responded_at=now)
            change_decision(decision, Outcome.NOT_SELECTED, reason="offer lapsed", by=None)
            promote_from_waitlist(offer, now=now)
        lapsed += 1
    return lapsed


def promote_from_waitlist(opened: Offer, *, now) -> Offer | None:
    """The best waitlisted applicant whose promotion keeps every quota met."""
    decision = opened.decision
    cycle = decision.application.cycle
    quotas = list(cycle.quotas.all())
    field = quotas[0].field if quotas else None
    selected = Decision.objects.filter(application__cycle=cycle, outcome=Outcome.SELECTED)
    counts: dict[str, int] = {}
    if field:
        for answers in selected.values_list("application__answers", flat=True):
            group = str((answers or {}).get(field) or "")
            counts[group] = counts.get(group, 0) + 1
    for candidate in Decision.objects.filter(application__cycle=cycle,
                                             outcome=Outcome.WAITLISTED).order_by("rank", "pk"):  # fmt: skip
        if field and not _keeps_quotas(quotas, counts,
                                       str((candidate.application.answers or {}).get(field) or "")):  # fmt: skip
            continue
        change_decision(candidate, Outcome.SELECTED, by=None, promoted_from=opened,
                        reason=f"promoted from the waitlist: seat opened by offer {opened.pk}")  # fmt: skip
        return Offer.objects.get(decision=candidate)
    record(None, "waitlist.exhausted", cycle, opened_by=opened.pk)
    return None


def _keeps_quotas(quotas, counts: dict[str, int], group: str) -> bool:
    after = dict(counts)
    after[group] = after.get(group, 0) + 1
    return all(
        (q.minimum is None or after.get(q.value, 0) >= q.minimum)
        and (q.maximum is None or after.get(q.value, 0) <= q.maximum)
        for q in quotas
    )


_STATUS = {Outcome.SELECTED: S.SELECTED, Outcome.WAITLISTED: S.WAITLISTED,
           Outcome.NOT_SELECTED: S.NOT_SELECTED}  # fmt: skip


@transaction.atomic
def change_decision(decision: Decision, outcome: str, *, reason: str, by,
                    promoted_from: Offer | None = None) -> Decision:  # fmt: skip
    """Change a released decision: only with a reason, always audited; the application's
    status follows. Away from "selected", its offer (open or accepted) is withdrawn and
    the seat goes to the waitlist; to "selected", the applicant is offered the seat."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("reason: a released decision changes only with a reason"))
    if outcome not in _STATUS:
        raise DecisionError(_("outcome: choose selected, waitlisted or not selected"))
    before = Decision.objects.select_for_update().get(pk=decision.pk).outcome
    if before == outcome:
        return decision
    Decision.objects.filter(pk=decision.pk).update(outcome=outcome)
    decision.outcome = outcome
    application = decision.application
    if application.status != _STATUS[outcome]:
        transition_application(application, _STATUS[outcome], by=by, reason=reason)
    record(by, "decision.changed", application, **{"from": before, "to": outcome,
                                                   "reason": reason})  # fmt: skip
    if before == Outcome.SELECTED:
        _withdraw_offer(decision, by=by)
    elif outcome == Outcome.SELECTED and decision.released_at is not None:
        _offer(decision, timezone.now(), OFFER_DAYS, promoted_from=promoted_from)
    return decision


def _withdraw_offer(decision: Decision, *, by) -> None:
    """The seat of an offer still open, or accepted, goes to the waitlist, as on a
    decline. (A declined or lapsed offer has promoted someone already.)"""
    offer = Offer.objects.select_for_update().filter(
        decision=decision, state__in=[OfferState.OFFERED, OfferState.ACCEPTED]).first()  # fmt: skip
    if offer is None:
        return
    now = timezone.now()
    Offer.objects.filter(pk=offer.pk).update(state=OfferState.WITHDRAWN, responded_at=now)
    record(by, "offer.withdrawn", decision.application, offer=offer.pk)
    promote_from_waitlist(offer, now=now)
