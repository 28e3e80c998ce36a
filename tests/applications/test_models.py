import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ascent.applications.domain.transitions import ApplicationError, transition_application
from ascent.applications.models import Application, ApplicationStatus
from ascent.common.models import AuditEvent
from tests.factories import ApplicationFactory, CycleFactory, FormFieldFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_one_application_per_applicant_and_cycle():
    first = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(applicant=first.applicant, cycle=first.cycle)
    ApplicationFactory(applicant=first.applicant, cycle=CycleFactory())  # next cycle is fine
    assert Application.objects.filter(applicant=first.applicant).count() == 2


def test_a_submitted_application_has_a_submission_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(status=S.SUBMITTED, submitted_at=None)


def test_an_unknown_status_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(status="lost")


def test_a_transition_records_who_why_and_when():
    application = ApplicationFactory()
    user = application.applicant.user
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    transition_application(application, S.SUBMITTED, by=user, at=at)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.submitted_at == at
    change = application.transitions.get()
    assert (change.from_status, change.to_status, change.by) == (S.DRAFT, S.SUBMITTED, user)
    event = AuditEvent.objects.get(verb="application.status_changed")
    assert event.target_id == str(application.pk)
    assert event.data == {"from": "draft", "to": "submitted", "reason": ""}


def test_a_transition_the_graph_does_not_allow_is_refused_and_nothing_changes():
    application = ApplicationFactory()
    with pytest.raises(ApplicationError, match="a draft application cannot become selected"):
        transition_application(application, S.SELECTED, by=UserFactory())
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert not application.transitions.exists()
    assert not AuditEvent.objects.exists()


def test_a_withdrawn_application_stays_withdrawn():
    application = ApplicationFactory()
    transition_application(application, S.WITHDRAWN, by=application.applicant.user)
    with pytest.raises(ApplicationError, match="withdrawn"):
        transition_application(application, S.SUBMITTED, by=application.applicant.user)


def test_submitting_incomplete_answers_is_refused_with_each_field_named():
    application = ApplicationFactory()
    FormFieldFactory(cycle=application.cycle, key="statement", kind="long_text", required=True)
    FormFieldFactory(cycle=application.cycle, key="age", kind="number", min_value=18)
    application.answers = {"age": 12}
    application.save(update_fields=["answers"])
    with pytest.raises(ApplicationError) as caught:
        transition_application(application, S.SUBMITTED, by=application.applicant.user)
    assert caught.value.problems == [("statement", "is required"), ("age", "must be at least 18")]
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert not application.transitions.exists()


def test_the_stored_form_is_the_world_form(small_world):
    from ascent.applications.domain.answers import form_of
    from ascent.cli.world_loader import load_world
    from ascent.programs.models import Cycle

    load_world(small_world)
    assert form_of(Cycle.objects.first()) == small_world.form
