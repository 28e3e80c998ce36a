"""Offers after release: accept, decline, lapse; the waitlist moves up, keeping quotas."""

import datetime as dt

import pytest
from django.utils import timezone

from ascent.applications.models import Application, ApplicationStatus
from ascent.common.models import AuditEvent
from ascent.decisions.domain.errors import DecisionError
from ascent.decisions.domain.offers import answer_offer, change_decision, expire_offers
from ascent.decisions.models import Decision, Offer, OfferState, Outcome
from ascent.programs.models import Quota
from tests.factories import ApplicationFactory, CycleFactory, FormFieldFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus
NOW = timezone.now()


@pytest.fixture
def released(mailoutbox):
    """Two selected (a pilot and a scientist) and a waitlist: scientist, pilot."""
    cycle = CycleFactory(capacity=2)
    FormFieldFactory(cycle=cycle, key="background", kind="choice",
                     choices=[{"value": "pilot"}, {"value": "scientist"}])  # fmt: skip
    Quota.objects.create(cycle=cycle, field="background", value="pilot", minimum=1)
    people = []
    for rank, (background, outcome) in enumerate([("pilot", "selected"), ("scientist", "selected"),
                                                  ("scientist", "waitlisted"), ("pilot", "waitlisted")],
                                                 start=1):  # fmt: skip
        application = ApplicationFactory(cycle=cycle, status=outcome, submitted_at=NOW,
                                         answers={"background": background})  # fmt: skip
        decision = Decision.objects.create(application=application, outcome=outcome, rank=rank,
                                           composite=10 - rank, released_at=NOW, created_at=NOW)  # fmt: skip
        if outcome == "selected":
            Offer.objects.create(decision=decision, offered_at=NOW,
                                 respond_by=NOW + dt.timedelta(days=14))  # fmt: skip
        people.append(decision)
    return cycle, people


def test_accepting_keeps_the_seat(released):
    _cycle, people = released
    answer_offer(people[0].offer, accept=True, by=None)
    offer = Offer.objects.get(decision=people[0])
    assert offer.state == OfferState.ACCEPTED
    with pytest.raises(DecisionError, match="already answered"):
        answer_offer(offer, accept=False, by=None)


def test_a_declining_pilot_is_replaced_by_the_next_pilot_to_keep_the_quota(released, mailoutbox,
                                                                           django_capture_on_commit_callbacks):  # fmt: skip
    _cycle, people = released
    with django_capture_on_commit_callbacks(execute=True):
        new = answer_offer(people[0].offer, accept=False, by=None)
    # The scientist ranked 3rd is passed over: the quota needs a pilot.
    assert new.decision == people[3]
    assert new.promoted_from == people[0].offer
    assert Decision.objects.get(pk=people[3].pk).outcome == Outcome.SELECTED
    assert Application.objects.get(pk=people[3].application_id).status == S.SELECTED
    assert Decision.objects.get(pk=people[0].pk).outcome == Outcome.NOT_SELECTED
    assert any("please answer by" in m.subject for m in mailoutbox)
    assert AuditEvent.objects.filter(verb="decision.changed").count() == 2


def test_a_declining_scientist_is_replaced_by_the_best_waitlisted(released):
    _cycle, people = released
    new = answer_offer(people[1].offer, accept=False, by=None)
    assert new.decision == people[2]


def test_a_lapse_promotes_too_and_a_late_answer_is_refused(released):
    _cycle, people = released
    late = NOW + dt.timedelta(days=15)
    with pytest.raises(DecisionError, match="lapsed"):
        answer_offer(people[1].offer, accept=True, by=None, now=late)
    assert expire_offers(now=late) == 2
    assert set(Decision.objects.filter(outcome="selected").values_list("pk", flat=True)) == {
        people[2].pk, people[3].pk}  # fmt: skip


def test_a_released_decision_changes_only_with_a_reason(released):
    _cycle, people = released
    with pytest.raises(DecisionError, match="only with a reason"):
        change_decision(people[2], Outcome.NOT_SELECTED, reason=" ", by=None)
    change_decision(people[2], Outcome.NOT_SELECTED, reason="withdrew by letter", by=None)
    event = AuditEvent.objects.get(verb="decision.changed")
    assert event.data == {
        "from": "waitlisted",
        "to": "not_selected",
        "reason": "withdrew by letter",
    }


def test_the_applicant_answers_on_the_journey(client, released):
    _cycle, people = released
    user = people[0].application.applicant.user
    client.force_login(user)
    page = client.get("/journey/").content.decode()
    assert "Accept the place" in page
    asked = client.post(f"/offers/{people[0].offer.pk}/accept/")  # one click: it asks
    assert "Accept the place?" in asked.content.decode()
    assert Offer.objects.get(pk=people[0].offer.pk).state == OfferState.OFFERED
    client.post(f"/offers/{people[0].offer.pk}/accept/", {"confirm": "yes"})
    assert Offer.objects.get(pk=people[0].offer.pk).state == OfferState.ACCEPTED
    other = people[1].application.applicant.user
    client.force_login(other)
    assert (
        client.post(f"/offers/{people[0].offer.pk}/decline/", {"confirm": "yes"}).status_code == 404
    )


def test_changing_a_selected_decision_withdraws_its_offer_and_promotes(released):
    """Issue #13, finding 6: an offer could be accepted after staff changed the decision."""
    _cycle, people = released
    offer = people[1].offer
    change_decision(people[1], Outcome.NOT_SELECTED, reason="wrong score entered", by=None)
    offer.refresh_from_db()
    assert offer.state == OfferState.WITHDRAWN
    with pytest.raises(DecisionError, match="withdrawn"):
        answer_offer(offer, accept=True, by=None)
    assert Offer.objects.get(pk=offer.pk).state == OfferState.WITHDRAWN
    assert Application.objects.get(pk=people[1].application_id).status == S.NOT_SELECTED
    promoted = Decision.objects.get(pk=people[2].pk)  # the best waitlisted scientist
    assert promoted.outcome == Outcome.SELECTED
    assert Offer.objects.get(decision=promoted).promoted_from_id == offer.pk
    assert AuditEvent.objects.filter(verb="offer.withdrawn").count() == 1


def test_an_offer_whose_decision_changed_cannot_be_accepted(released):
    """Even with no offer state change (a decision moved by another path), accepting
    checks the decision itself under a lock."""
    _cycle, people = released
    Decision.objects.filter(pk=people[0].pk).update(outcome=Outcome.NOT_SELECTED)
    with pytest.raises(DecisionError, match="withdrawn"):
        answer_offer(people[0].offer, accept=True, by=None)
    assert Offer.objects.get(decision=people[0]).state == OfferState.OFFERED
