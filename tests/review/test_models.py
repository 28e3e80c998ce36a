import pytest
from django.db import IntegrityError, transaction

from ascent.review.models import Score
from tests.factories import (
    AssignmentFactory,
    CriterionFactory,
    ReviewerFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


def test_one_assignment_per_reviewer_application_and_stage():
    first = AssignmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(reviewer=first.reviewer, application=first.application, stage=first.stage)


@pytest.mark.parametrize("value", [0, 11, -3])
def test_a_score_outside_the_criterion_scale_is_refused_by_the_database(value):
    review = ReviewFactory()
    criterion = CriterionFactory(
        cycle=review.assignment.application.cycle, scale_min=1, scale_max=10
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=criterion, value=value)
    assert not Score.objects.exists()


def test_a_score_is_checked_against_its_own_criterion_scale():
    review = ReviewFactory()
    five_point = CriterionFactory(
        cycle=review.assignment.application.cycle, scale_min=1, scale_max=5
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=five_point, value=7)
    Score.objects.create(review=review, criterion=five_point, value=5)
    assert Score.objects.get().scale_max == 5


def test_one_score_per_criterion_in_a_review():
    review = ReviewFactory()
    criterion = CriterionFactory(cycle=review.assignment.application.cycle)
    Score.objects.create(review=review, criterion=criterion, value=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=criterion, value=6)


@pytest.mark.parametrize("confidence", [0, 6])
def test_confidence_is_between_1_and_5(confidence):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(confidence=confidence)


def test_a_reviewer_joins_a_program_once():
    reviewer = ReviewerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewerFactory(user=reviewer.user, program=reviewer.program)
