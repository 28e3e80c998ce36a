"""The admin shows the record but does not change it: decisions, reviews, scores, status
changes, offers, references, supporters and audit events change only through the domain,
with a reason and an audit event. A superuser is refused too."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from ascent.applications.models import (
    Application,
    ApplicationTransition,
    Reference,
    Supporter,
)
from ascent.common.models import AuditEvent
from ascent.decisions.models import Decision, DecisionRun, Offer, Outcome
from ascent.review.models import Review, Score
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
RECORD = [
    AuditEvent,
    ApplicationTransition,
    Decision,
    DecisionRun,
    Offer,
    Review,
    Score,
    Reference,
    Supporter,
]
NOW = timezone.now()


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def released():
    application = ApplicationFactory(status="not_selected", submitted_at=NOW, receipt="R-7")
    ApplicationTransition.objects.create(
        application=application, from_status="in_review", to_status="not_selected", at=NOW
    )
    return Decision.objects.create(
        application=application,
        outcome=Outcome.NOT_SELECTED,
        composite=5.0,
        released_at=NOW,
        created_at=NOW,
    )


@pytest.fixture
def score():
    review = ReviewFactory(state="submitted", submitted_at=NOW, confidence=4)
    criterion = CriterionFactory(cycle=review.assignment.application.cycle)
    return Score.objects.create(review=review, criterion=criterion, value=3)


def url(obj, view: str) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def test_every_record_model_and_inline_is_read_only_even_for_a_superuser(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model in RECORD:
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
    for model_admin in admin.site._registry.values():
        for inline in model_admin.get_inline_instances(request):
            if inline.model in RECORD:
                assert not inline.has_add_permission(request, None), inline
                assert not inline.has_change_permission(request), inline
                assert not inline.has_delete_permission(request), inline


def test_a_released_decision_is_neither_changed_nor_deleted(client, superuser, released):
    page = client.get(url(released, "change")).content.decode()
    assert "Not selected" in page
    assert 'name="outcome"' not in page
    assert 'name="composite"' not in page
    changed = client.post(url(released, "change"), {"outcome": "selected", "composite": "9"})
    assert changed.status_code == 403
    assert client.post(url(released, "delete"), {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:decisions_decision_changelist"),
        {"action": "delete_selected", "_selected_action": [released.pk], "post": "yes"},
    )
    assert bulk.status_code != 500
    released.refresh_from_db()
    assert (released.outcome, released.composite) == (Outcome.NOT_SELECTED, 5.0)


def test_a_submitted_reviews_score_is_neither_changed_nor_deleted(client, superuser, score):
    review = score.review
    page = client.get(url(review, "change")).content.decode()
    assert "scores-0-value" not in page
    assert 'name="comments"' not in page
    score_page = client.get(url(score, "change")).content.decode()
    assert 'name="value"' not in score_page
    form = {
        "state": "submitted",
        "scores-TOTAL_FORMS": "1",
        "scores-INITIAL_FORMS": "1",
        "scores-0-id": str(score.pk),
        "scores-0-review": str(review.pk),
        "scores-0-criterion": str(score.criterion_id),
        "scores-0-value": "5",
    }
    assert client.post(url(review, "change"), form).status_code == 403
    assert client.post(url(score, "change"), {"value": "5"}).status_code == 403
    assert client.post(url(score, "delete"), {"post": "yes"}).status_code == 403
    assert client.post(url(review, "delete"), {"post": "yes"}).status_code == 403
    # nor by deleting what they hang on: the assignment, or the reviewer
    assert client.post(url(review.assignment, "delete"), {"post": "yes"}).status_code == 403
    reviewer = review.assignment.reviewer
    assert client.post(url(reviewer, "delete"), {"post": "yes"}).status_code == 403
    score.refresh_from_db()
    assert score.value == 3
    assert Review.objects.filter(pk=review.pk).exists()


def test_an_assignment_keeps_its_reviewer_and_application(client, superuser, score):
    assignment = score.review.assignment
    page = client.get(url(assignment, "change")).content.decode()
    assert 'name="locked"' in page  # staff still lock an assignment by hand
    assert 'name="reviewer"' not in page
    assert 'name="application"' not in page


def test_a_submitted_application_is_neither_edited_nor_deleted(client, superuser, released):
    application = released.application
    page = client.get(url(application, "change")).content.decode()
    assert 'name="answers"' not in page
    assert 'name="cycle"' not in page
    changed = client.post(url(application, "change"), {"answers": '{"full_name": "Someone else"}'})
    assert changed.status_code == 403
    Decision.objects.all().delete()  # even without its decision
    assert client.post(url(application, "delete"), {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "delete_selected", "_selected_action": [application.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    application.refresh_from_db()
    assert application.answers == {}


def test_a_draft_may_still_be_deleted(client, superuser):
    draft = ApplicationFactory()
    assert client.post(url(draft, "delete"), {"post": "yes"}).status_code == 302
    assert not Application.objects.filter(pk=draft.pk).exists()
