"""Bids (issue #16, section 5): reviewers say which applications they are eager, willing
or not willing to review, or that they know the applicant; the assignment never pairs a
conflict, uses "not willing" only when there is no other way (and says how often), and
favours "eager"; staff see the bids before assigning."""

import pytest
from django.test import Client
from django.utils import timezone

from ascent.applications.models import ApplicationStatus
from ascent.review.domain.assignment import assign_stage
from ascent.review.domain.bids import bid_coverage, place_bids
from ascent.review.domain.errors import ReviewError
from ascent.review.models import Assignment, Bid, Conflict
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    FormFieldFactory,
    ReviewerFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bidding():
    """Three applications in review, a one-review stage, two reviewers with empty
    profiles (every affinity 0: only the bids tell them apart)."""
    cycle = CycleFactory(deadline=timezone.now() - timezone.timedelta(days=1),
                         opens_at=timezone.now() - timezone.timedelta(days=60))  # fmt: skip
    FormFieldFactory(cycle=cycle, key="statement", label="Statement", kind="long_text")
    stage = StageFactory(cycle=cycle, key="panel", reviews_per_application=1, blind=True)
    topics = ["volcanoes and magma chambers", "coral reefs under warming seas",
              "orbital mechanics of small satellites"]  # fmt: skip
    apps = [ApplicationFactory(cycle=cycle, status=ApplicationStatus.IN_REVIEW,
                               receipt=f"B-{i}", answers={"statement": text},
                               submitted_at=timezone.now())
            for i, text in enumerate(topics)]  # fmt: skip
    first = ReviewerFactory(program=cycle.program, load_limit=3, display_name="Ana")
    second = ReviewerFactory(program=cycle.program, load_limit=3, display_name="Ben")
    return stage, apps, first, second


def test_bids_are_stored_a_conflict_is_declared_and_a_wrong_one_stores_nothing(bidding):
    stage, apps, first, _second = bidding
    done = place_bids(first, stage, {apps[0].pk: "eager", apps[1].pk: "not_willing",
                                     apps[2].pk: "conflict"}, by=first.user)  # fmt: skip
    assert done == {"eager": 1, "not_willing": 1, "conflict": 1}
    assert dict(Bid.objects.values_list("application_id", "level")) == {
        apps[0].pk: "eager", apps[1].pk: "not_willing"}  # fmt: skip
    conflict = Conflict.objects.get(reviewer=first)
    assert (conflict.applicant_id, conflict.source) == (apps[2].applicant_id, "declared")
    with pytest.raises(ReviewError) as refused:
        place_bids(first, stage, {apps[0].pk: "", apps[1].pk: "keen"}, by=first.user)
    assert refused.value.problems == [(f"bid-{apps[1].pk}", "choose one of the four")]
    assert Bid.objects.filter(application=apps[0]).exists()  # nothing changed in part
    other = ApplicationFactory(status=ApplicationStatus.IN_REVIEW, submitted_at=timezone.now())
    with pytest.raises(ReviewError, match="only on applications of this stage"):
        place_bids(first, stage, {other.pk: "eager"}, by=first.user)
    assert bid_coverage(stage) == {"applications": 3, "bidders": 1, "eager": 1, "willing": 0,
                                   "not_willing": 1, "uncovered": 2}  # fmt: skip


def test_the_assignment_follows_the_bids(bidding):
    stage, apps, ana, ben = bidding
    place_bids(ana, stage, {a.pk: "eager" for a in apps}, by=ana.user)
    place_bids(ben, stage, {a.pk: "not_willing" for a in apps}, by=ben.user)
    summary = assign_stage(stage)
    assert set(Assignment.objects.values_list("reviewer_id", flat=True)) == {ana.pk}
    assert (summary.bids, summary.eager_used, summary.not_willing_used) == (6, 3, 0)
    assert summary.upper_bound is None  # the solver's figures are bid-weighted: not shown

    # With room for two, one application must go to the reviewer who is not willing.
    ana.load_limit = 2
    ana.save()
    summary = assign_stage(stage)
    assert Assignment.objects.filter(reviewer=ben).count() == 1
    assert summary.not_willing_used == 1
    # A conflict is never paired, whatever the loads: then nobody can take that one.
    place_bids(ben, stage, {apps[0].pk: "conflict", apps[1].pk: "conflict",
                            apps[2].pk: "conflict"}, by=ben.user)  # fmt: skip
    with pytest.raises(ReviewError):
        assign_stage(stage)


def test_reviewers_bid_on_a_page_and_staff_see_the_coverage(bidding):
    stage, apps, ana, _ben = bidding
    client = Client()
    client.force_login(ana.user)
    queue = client.get("/review/").content.decode()
    assert f"/review/bids/{stage.pk}/" in queue
    page = client.get(f"/review/bids/{stage.pk}/")
    html = page.content.decode()
    assert "B-0" in html
    assert "volcanoes" in html  # the topic words
    assert "blind" in html
    wrong = client.post(f"/review/bids/{stage.pk}/", {f"bid-{apps[0].pk}": "eager",
                                                     f"bid-{apps[1].pk}": "keen"})  # fmt: skip
    assert wrong.status_code == 422
    assert "nothing was saved" in wrong.content.decode()
    assert not Bid.objects.exists()
    saved = client.post(f"/review/bids/{stage.pk}/", {f"bid-{apps[0].pk}": "eager",
                                                     f"bid-{apps[1].pk}": "willing"}, follow=True)  # fmt: skip
    assert "2 bids saved." in saved.content.decode()
    assert Bid.objects.count() == 2
    stranger = ReviewerFactory()  # on another program's panel
    client.force_login(stranger.user)
    assert client.get(f"/review/bids/{stage.pk}/").status_code == 404
    client.force_login(UserFactory(is_staff=True))
    panel = client.get(f"/staff/cycles/{stage.cycle_id}/panel/").content.decode()
    assert "Bids before the assignment" in panel
    assert "1 of 3" in panel  # one application with no eager or willing bid
