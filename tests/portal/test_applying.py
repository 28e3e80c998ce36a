"""Applying on the web: drafts, records, the self-check, submitting once, withdrawing."""

import datetime as dt
import hashlib
import threading

import pytest
from django.db import connection
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of, start_application, submit_application
from ascent.applications.domain.errors import ApplicationError
from ascent.applications.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    StoredFile,
)
from ascent.common.models import OutboxMessage
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.models import CycleState, FormField
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus

GOOD = {
    "full_name": "Ada Lovelace",
    "jet_hours": "1200",
    "citizenship": "FR",
    "languages": ["en", "es"],
    "degrees.rows": "0",
    "degrees.0.field": "Mathematics",
    "degrees.0.year": "2010",
}


def start(client, cycle):
    page = client.post(f"/cycles/{cycle.pk}/apply/")
    assert page.status_code == 302
    return Application.objects.get(cycle=cycle)


def test_the_cycle_page_states_requirements_deadline_and_seats(client, open_cycle):
    page = client.get(f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1,000 hours of jet time" in html
    assert "data-local" in html
    assert open_cycle.deadline.strftime("%Y") in html
    assert "left" in html  # time left
    assert "Create an account to apply" in html


def test_signed_out_applying_goes_to_sign_in(client, open_cycle):
    page = client.post(f"/cycles/{open_cycle.pk}/apply/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_a_draft_saves_every_field_kind_and_records(client, open_cycle, applicant):
    application = start(client, open_cycle)
    page = client.post(f"/applications/{application.pk}/", {**GOOD, "action": "save"})
    assert page.status_code == 302
    application.refresh_from_db()
    assert application.answers == {
        "full_name": "Ada Lovelace", "jet_hours": 1200, "citizenship": "FR",
        "languages": ["en", "es"], "degrees": [{"field": "Mathematics", "year": 2010}],
    }  # fmt: skip
    page = client.get(f"/applications/{application.pk}/")
    html = page.content.decode()
    assert 'value="Ada Lovelace"' in html
    assert 'name="degrees.0.field" value="Mathematics"' in html


def test_adding_and_removing_a_record_works_without_javascript(client, open_cycle, applicant):
    application = start(client, open_cycle)
    page = client.post(f"/applications/{application.pk}/", {**GOOD, "add": "degrees"})
    assert page.status_code == 200
    assert 'name="degrees.1.field"' in page.content.decode()
    two = {**GOOD, "degrees.rows": "0,1", "degrees.1.field": "Physics", "degrees.1.year": "2012"}
    client.post(f"/applications/{application.pk}/", {**two, "action": "save"})
    application.refresh_from_db()
    assert len(application.answers["degrees"]) == 2
    client.post(f"/applications/{application.pk}/", {**two, "remove": "degrees.0"})
    application.refresh_from_db()
    assert application.answers["degrees"] == [{"field": "Physics", "year": 2012}]


def test_a_wrong_answer_is_kept_as_typed_beside_its_field_and_the_rest_is_saved(
    client, open_cycle, applicant
):
    application = start(client, open_cycle)
    client.post(f"/applications/{application.pk}/", {**GOOD, "action": "save"})
    bad = {**GOOD, "full_name": "Ada B", "jet_hours": "lots", "citizenship": "XX",
           "degrees.0.year": "1900"}  # fmt: skip
    page = client.post(f"/applications/{application.pk}/", {**bad, "action": "save"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 answers need fixing. They are kept as you typed them" in html
    views = {v.name: v for v in page.context["fields"]}
    assert views["jet_hours"].errors
    assert views["citizenship"].errors
    assert views["degrees"].rows[0][1].errors  # the year, inside the record
    assert 'value="lots"' in html  # what was typed is shown again
    application.refresh_from_db()
    assert application.answers["full_name"] == "Ada B"  # the right answer is saved
    assert "jet_hours" not in application.answers  # the wrong one is not an answer yet...
    assert application.held_answers == {
        "jet_hours": "lots",
        "citizenship": "XX",
        "degrees": [{"field": "Mathematics", "year": 1900}],
    }
    reloaded = client.get(f"/applications/{application.pk}/")  # ...but survives a reload
    again = {v.name: v for v in reloaded.context["fields"]}
    assert again["jet_hours"].value == "lots"
    assert again["jet_hours"].errors
    assert again["degrees"].rows[0][1].value == 1900
    assert again["degrees"].rows[0][1].errors
    assert 'value="Ada B"' in reloaded.content.decode()
    refused = client.post(f"/applications/{application.pk}/", {**bad, "action": "submit"})
    assert refused.status_code == 422
    assert "Not submitted: 3 answers need fixing" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT
    fixed = client.post(f"/applications/{application.pk}/", {**GOOD, "action": "save"})
    assert fixed.status_code == 302
    application.refresh_from_db()
    assert application.held_answers == {}
    assert application.answers["jet_hours"] == 1200


def test_a_removed_record_can_be_restored_until_the_draft_is_saved_again(
    client, open_cycle, applicant
):
    application = start(client, open_cycle)
    url = f"/applications/{application.pk}/"
    two = {**GOOD, "degrees.rows": "0,1", "degrees.1.field": "Physics", "degrees.1.year": "2012"}
    client.post(url, {**two, "action": "save"})
    page = client.post(url, {**two, "remove": "degrees.0"})
    assert "Degrees 1 was removed." in page.content.decode()
    application.refresh_from_db()
    assert application.answers["degrees"] == [{"field": "Physics", "year": 2012}]
    after = {**GOOD, "degrees.rows": "0", "degrees.0.field": "Physics", "degrees.0.year": "2012"}
    client.post(url, {**after, "restore": "degrees"})
    application.refresh_from_db()
    assert application.answers["degrees"] == [
        {"field": "Mathematics", "year": 2010},
        {"field": "Physics", "year": 2012},
    ]  # in its place
    client.post(url, {**two, "remove": "degrees.1"})
    client.post(url, {**GOOD, "action": "save"})  # saved again: the removal stands
    late = client.post(url, {**GOOD, "restore": "degrees"}, follow=True)
    assert "nothing to restore" in late.content.decode()
    application.refresh_from_db()
    assert application.answers["degrees"] == [{"field": "Mathematics", "year": 2010}]


def test_autosave_answers_htmx_with_a_status(client, open_cycle, applicant):
    application = start(client, open_cycle)
    page = client.post(f"/applications/{application.pk}/", {**GOOD, "action": "autosave"},
                       headers={"HX-Request": "true"})  # fmt: skip
    assert page.status_code == 200
    assert "Draft saved at" in page.content.decode()
    bad = client.post(f"/applications/{application.pk}/",
                      {**GOOD, "jet_hours": "x", "action": "autosave"},
                      headers={"HX-Request": "true"})  # fmt: skip
    assert "1 answer needs fixing; it is kept as you typed it" in bad.content.decode()
    assert 'href="#f-jet_hours"' in bad.content.decode()
    application.refresh_from_db()
    assert application.held_answers == {"jet_hours": "x"}
    assert application.answers["full_name"] == "Ada Lovelace"
    in_record = client.post(f"/applications/{application.pk}/",
                            {**GOOD, "degrees.rows": "0,1", "degrees.1.field": "Physics",
                             "degrees.1.year": "1900", "action": "autosave"},
                            headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    assert 'href="#f-degrees-1-year">Degrees 2 — Year</a>' in in_record  # never "degrees[1].year"
    assert "degrees[1]" not in in_record


def test_the_self_check_explains_what_is_missing(client, open_cycle, applicant):
    application = start(client, open_cycle)
    short = {**GOOD, "jet_hours": "650", "action": "check"}
    page = client.post(f"/applications/{application.pk}/", short, headers={"HX-Request": "true"})
    html = page.content.decode()
    assert "Not met yet" in html
    assert "650 of the 1,000 h of jet time required" in html
    page = client.post(f"/applications/{application.pk}/", {**GOOD, "action": "check"})
    assert "✓ Met" in page.content.decode()


def test_submitting_gives_a_receipt_an_email_and_happens_once(
    client, open_cycle, applicant, django_capture_on_commit_callbacks, mailoutbox
):
    application = start(client, open_cycle)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/applications/{application.pk}/", {**GOOD, "action": "submit"})
    assert page.status_code == 302
    assert page["Location"] == f"/applications/{application.pk}/submitted/"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.receipt.startswith("F")
    confirmation = client.get(page["Location"]).content.decode()
    assert application.receipt in confirmation
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert application.receipt in mail.subject
    assert mail.to == ["ada@example.org"]
    assert "how far you were" in mail.body
    assert application.receipt in mail.alternatives[0][0]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/applications/{application.pk}/", {**GOOD, "action": "submit"})
    assert again.status_code == 302  # a double click: the same submission
    assert ApplicationTransition.objects.filter(application=application,
                                                to_status=S.SUBMITTED).count() == 1  # fmt: skip
    assert len(mailoutbox) == 1


def test_the_development_outbox_keeps_mail_for_staff(client, settings, open_cycle):
    settings.EMAIL_BACKEND = "ascent.common.email.OutboxBackend"
    from django.core.mail import send_mail

    send_mail("Hello", "Body text", None, ["someone@example.org"])
    assert OutboxMessage.objects.get().to == "someone@example.org"
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    page = client.get("/outbox/")
    assert "Hello" in page.content.decode()
    client.force_login(UserFactory())
    assert client.get("/outbox/").status_code == 403


def test_an_incomplete_application_cannot_be_submitted(client, open_cycle, applicant):
    application = start(client, open_cycle)
    page = client.post(f"/applications/{application.pk}/",
                       {"full_name": "Ada", "action": "submit"})  # fmt: skip
    assert page.status_code == 422
    views = {v.name: v for v in page.context["fields"]}
    assert views["jet_hours"].errors == ["is required"]
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.answers["full_name"] == "Ada"  # what they typed is kept as the draft
    wrong = client.post(f"/applications/{application.pk}/",
                        {**GOOD, "jet_hours": "many", "action": "submit"})  # fmt: skip
    assert wrong.status_code == 422
    application.refresh_from_db()
    assert (application.status, application.held_answers) == (S.DRAFT, {"jet_hours": "many"})


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_the_confirmation_is_sent_by_a_worker_and_a_broken_mail_server_loses_no_submission(
    client, open_cycle, applicant, settings, django_capture_on_commit_callbacks, mailoutbox
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = start(client, open_cycle)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/applications/{application.pk}/", {**GOOD, "action": "submit"})
    assert page.status_code == 302
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.status) == ("ascent.common.tasks.send_email_task", "READY")
    assert mailoutbox == []  # not sent inside the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    application.refresh_from_db()
    assert [m.subject for m in mailoutbox] == [
        f"Your application to {open_cycle.name} is in ({application.receipt})"
    ]
    # The mail server is down: the next applicant's submission stands all the same.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    user = UserFactory()
    second, _ = start_application(user, open_cycle)
    answers = {"full_name": "Grace", "jet_hours": 1500, "citizenship": "FR"}
    with django_capture_on_commit_callbacks(execute=True):
        submitted, fresh = submit_application(second, by=user, answers=answers)
    assert fresh
    assert submitted.status == S.SUBMITTED
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    failed = DBTaskResult.objects.order_by("enqueued_at").last()
    assert failed.status == "FAILED"  # kept for the operator to see, with its error
    second.refresh_from_db()
    assert second.status == S.SUBMITTED


def test_a_submit_one_second_after_the_deadline_is_refused(open_cycle):
    user = UserFactory()
    application, _ = start_application(user, open_cycle)
    application.answers = {"full_name": "Ada", "jet_hours": 1200}
    application.save()
    late = open_cycle.deadline + dt.timedelta(seconds=1)
    with pytest.raises(ApplicationError, match="the deadline passed at"):
        submit_application(application, by=user, now=late)
    application.refresh_from_db()
    assert application.status == S.DRAFT
    submitted, fresh = submit_application(application, by=user, now=open_cycle.deadline)
    assert fresh
    assert submitted.status == S.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_create_one_submission(open_cycle):
    user = UserFactory()
    application, _ = start_application(user, open_cycle)
    Application.objects.filter(pk=application.pk).update(answers={"full_name": "Ada",
                                                                   "jet_hours": 1200})  # fmt: skip
    results, errors = [], []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait(timeout=5)
            results.append(submit_application(Application.objects.get(pk=application.pk),
                                              by=user)[1])  # fmt: skip
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False, True]
    assert ApplicationTransition.objects.filter(application_id=application.pk,
                                                to_status=S.SUBMITTED).count() == 1  # fmt: skip


def test_withdrawing_before_the_deadline(client, open_cycle, applicant):
    application = start(client, open_cycle)
    asked = client.get(f"/applications/{application.pk}/withdraw/")  # nothing on one click
    assert "Withdraw your application?" in asked.content.decode()
    assert client.post(f"/applications/{application.pk}/withdraw/").status_code == 200
    application.refresh_from_db()
    assert application.status == S.DRAFT
    client.post(f"/applications/{application.pk}/", {**GOOD, "action": "submit"})
    application.refresh_from_db()
    receipt = application.receipt
    page = client.post(f"/applications/{application.pk}/withdraw/", {"confirm": "yes"},
                       follow=True)  # fmt: skip
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert "Reopen my application" in page.content.decode()  # the way back is on the page

    # Reopened: a draft again with every answer, submitted again under the same number.
    client.post(f"/applications/{application.pk}/reopen/")
    application.refresh_from_db()
    assert (application.status, application.submitted_at) == (S.DRAFT, None)
    assert application.answers["full_name"] == "Ada Lovelace"
    client.post(f"/applications/{application.pk}/", {**GOOD, "action": "submit"})
    application.refresh_from_db()
    assert (application.status, application.receipt) == (S.SUBMITTED, receipt)
    again = client.post(f"/applications/{application.pk}/reopen/", follow=True)
    assert "Only a withdrawn application can be reopened" in again.content.decode()


def test_a_withdrawn_application_cannot_be_reopened_after_the_deadline(open_cycle):
    from ascent.applications.domain.drafts import reopen_application, withdraw_application

    user = UserFactory()
    application, _ = start_application(user, open_cycle)
    withdraw_application(application, by=user)
    with pytest.raises(ApplicationError, match="deadline has passed"):
        reopen_application(application, by=user, now=open_cycle.deadline + dt.timedelta(seconds=1))
    staff_withdrawn = ApplicationFactory(cycle=open_cycle, status=S.WITHDRAWN,
                                         submitted_at=timezone.now())  # fmt: skip
    ApplicationTransition.objects.create(application=staff_withdrawn, from_status=S.IN_REVIEW,
                                         to_status=S.WITHDRAWN, by=UserFactory(is_staff=True),
                                         at=timezone.now())  # fmt: skip
    with pytest.raises(ApplicationError, match="the program withdrew"):
        reopen_application(staff_withdrawn, by=staff_withdrawn.applicant.user)


def test_nobody_reaches_another_applicants_application(client, open_cycle, applicant):
    other = ApplicationFactory(cycle=open_cycle, answers={"full_name": "Someone else"})
    for url in (f"/applications/{other.pk}/", f"/applications/{other.pk}/submitted/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/applications/{other.pk}/", {**GOOD, "action": "save"}).status_code == 404
    assert client.post(f"/applications/{other.pk}/withdraw/").status_code == 404
    other.refresh_from_db()
    assert other.answers == {"full_name": "Someone else"}
    assert other.status == S.DRAFT


def test_starting_from_last_time_copies_what_still_fits(client, open_cycle, applicant):
    earlier = copy_cycle(open_cycle, name="Last year", slug="last-year",
                         opens_at=open_cycle.opens_at - dt.timedelta(days=365),
                         deadline=open_cycle.deadline - dt.timedelta(days=365),
                         state=CycleState.DECIDED)  # fmt: skip
    ApplicationFactory(cycle=earlier, applicant=applicant_of(applicant), status=S.NOT_SELECTED,
                       submitted_at=earlier.deadline,
                       answers={"full_name": "Ada Lovelace", "jet_hours": 800, "citizenship": "FR"})  # fmt: skip
    FormField.objects.filter(cycle=open_cycle, key="citizenship").update(label="Nationality")
    FormField.objects.create(cycle=open_cycle, key="statement", label="Statement",
                             kind="long_text", position=9)  # fmt: skip
    page = client.get(f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/")
    assert "Start from my application to Last year" in page.content.decode()
    client.post(f"/cycles/{open_cycle.pk}/apply/", {"from_last": "1"})
    application = Application.objects.get(cycle=open_cycle)
    assert application.answers == {"full_name": "Ada Lovelace", "jet_hours": 800,
                                   "citizenship": "FR"}  # fmt: skip
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert "New this cycle: Statement" in html
    assert "Changed since last cycle: Nationality" in html


def test_a_closed_cycle_refuses_new_drafts(client, open_cycle, applicant):
    open_cycle.deadline = timezone.now() - dt.timedelta(minutes=1)
    open_cycle.save()
    page = client.post(f"/cycles/{open_cycle.pk}/apply/", follow=True)
    assert "this cycle is not open for applications" in page.content.decode()
    assert not Application.objects.exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_files_are_checked_by_content_stored_privately_and_served_to_the_owner(
    client, open_cycle, applicant, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    FormField.objects.create(cycle=open_cycle, key="photo", label="Photo", kind="file",
                             position=8)  # fmt: skip
    application = start(client, open_cycle)
    url = f"/applications/{application.pk}/"
    fake = SimpleUploadedFile("photo.png", b"<?php evil(); ?>", content_type="image/png")
    refused = client.post(url, {**GOOD, "photo": fake, "action": "save"})
    assert refused.status_code == 200  # the other answers are saved
    assert "only PDF, PNG or JPEG files are accepted" in refused.content.decode()
    assert {v.name: v for v in refused.context["fields"]}["photo"].errors
    big = SimpleUploadedFile("big.png", PNG + b"0" * (10 * 1024 * 1024))
    assert "the limit is 10 MB" in client.post(url, {**GOOD, "photo": big}).content.decode()
    application.refresh_from_db()
    assert "photo" not in application.answers

    good = SimpleUploadedFile("../../me.png", PNG, content_type="text/plain")
    client.post(url, {**GOOD, "photo": good, "action": "save"})
    application.refresh_from_db()
    stored = application.answers["photo"]
    assert stored["content_type"] == "image/png"  # by content, not by the browser's word
    record = StoredFile.objects.get(pk=stored["file"], application=application)
    assert record.storage_name.startswith(f"applications/{application.pk}/")
    assert ".." not in record.storage_name
    assert record.original_name == "me.png"
    assert record.sha256 == hashlib.sha256(PNG).hexdigest()
    assert (tmp_path / record.storage_name).read_bytes() == PNG
    client.post(url, {**GOOD, "action": "save"})  # saving again keeps the file
    application.refresh_from_db()
    assert application.answers["photo"] == stored

    download = client.get(f"/applications/{application.pk}/files/photo/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(UserFactory())
    assert client.get(f"/applications/{application.pk}/files/photo/").status_code == 404

    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**GOOD, "remove_file": "photo"})
    application.refresh_from_db()
    assert "photo" not in application.answers
    assert not StoredFile.objects.filter(application=application).exists()
    assert not (tmp_path / record.storage_name).exists()


def test_a_refused_file_loses_no_old_one_and_a_wrong_answer_keeps_no_stale_file(
    client, open_cycle, applicant, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    FormField.objects.create(cycle=open_cycle, key="photo", label="Photo", kind="file", position=8)
    application = start(client, open_cycle)
    url = f"/applications/{application.pk}/"
    client.post(url, {**GOOD, "photo": SimpleUploadedFile("a.png", PNG)})
    application.refresh_from_db()
    first = application.answers["photo"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**GOOD, "photo": SimpleUploadedFile("b.png", b"not an image")})
    application.refresh_from_db()
    assert application.answers["photo"] == first  # the refused file replaces nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**GOOD, "jet_hours": "x", "photo": SimpleUploadedFile("c.png", PNG)})
    application.refresh_from_db()
    assert application.answers["photo"]["name"] == "c.png"  # a good file is kept...
    assert application.held_answers == {"jet_hours": "x"}  # ...beside the wrong answer
    assert StoredFile.objects.filter(application=application).count() == 1
    assert len(list((tmp_path / "applications" / str(application.pk)).iterdir())) == 1


def test_field_messages_come_in_spanish_too(client, open_cycle, applicant):
    application = start(client, open_cycle)
    page = client.post(f"/applications/{application.pk}/",
                       {**GOOD, "jet_hours": "mucho", "action": "save"},
                       headers={"accept-language": "es"})  # fmt: skip
    views = {v.name: v for v in page.context["fields"]}
    assert views["jet_hours"].errors == ["debe ser un número"]
    assert views["degrees"].rows[0][1].errors == []
    low = client.post(f"/applications/{application.pk}/",
                      {**GOOD, "degrees.0.year": "1900", "action": "save"},
                      headers={"accept-language": "es"})  # fmt: skip
    year = {v.name: v for v in low.context["fields"]}["degrees"].rows[0][1]
    assert year.errors == ["debe ser al menos 1950"]


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_email_is_written_with_the_change_or_not_at_all(
    settings, open_cycle
):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from ascent.common.email import send_templated

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = ApplicationFactory(cycle=open_cycle, status=S.SUBMITTED,
                                     submitted_at=timezone.now(), receipt="F-1")  # fmt: skip
    context = {"application": application, "cycle": open_cycle}
    seen_inside = []

    def change_that_fails():
        with transaction.atomic():
            send_templated("applications/email/submitted", context, ["ada@example.org"])
            seen_inside.append(DBTaskResult.objects.count())
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert seen_inside == [1]  # written in the same transaction as the change
    assert DBTaskResult.objects.count() == 0
    with transaction.atomic():
        send_templated("applications/email/submitted", context, ["ada@example.org"])
    assert DBTaskResult.objects.get().args_kwargs["args"][3] == ["ada@example.org"]


@pytest.mark.parametrize("typed", ["1" + "0" * 400, "1" + "0" * 5000, "12345678901234567"])
def test_a_number_too_large_is_a_field_error_kept_as_typed(client, open_cycle, applicant, typed):
    application = start(client, open_cycle)
    page = client.post(f"/applications/{application.pk}/", {**GOOD, "jet_hours": typed})
    assert page.status_code == 200  # the rest is saved
    html = page.content.decode()
    assert "must be a number between" in html
    assert f'value="{typed}"' in html


def test_starting_from_last_time_with_an_unchanged_form_says_so(client, open_cycle, applicant):
    """Issue #20: "Please look again at:" was followed by an empty list."""
    earlier = copy_cycle(open_cycle, name="Last year", slug="last-year",
                         opens_at=open_cycle.opens_at - dt.timedelta(days=365),
                         deadline=open_cycle.deadline - dt.timedelta(days=365),
                         state=CycleState.DECIDED)  # fmt: skip
    ApplicationFactory(cycle=earlier, applicant=applicant_of(applicant), status=S.NOT_SELECTED,
                       submitted_at=earlier.deadline, answers={"full_name": "Ada Lovelace"})  # fmt: skip
    client.post(f"/cycles/{open_cycle.pk}/apply/", {"from_last": "1"})
    application = Application.objects.get(cycle=open_cycle)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert "The form has not changed since your last application" in html
    assert "Please look again at" not in html


def test_enter_in_a_text_field_saves_and_never_removes_a_record(client, open_cycle, applicant):
    """Issue #15: the form's first submit button was "Remove 1", which Enter presses."""
    application = start(client, open_cycle)
    client.post(f"/applications/{application.pk}/", {**GOOD, "action": "save"})
    html = client.get(f"/applications/{application.pk}/").content.decode()
    form = html[html.index('id="application-form"') :]
    first = form[form.index("<button") : form.index(">", form.index("<button"))]
    assert 'name="action" value="save"' in first
    assert 'tabindex="-1"' in first


def test_a_submitted_application_reads_as_a_summary_not_a_disabled_form(client, open_cycle,
                                                                        applicant):  # fmt: skip
    """Issue #20: text fields looked editable while dropdowns were greyed out."""
    application = start(client, open_cycle)
    client.post(f"/applications/{application.pk}/", {**GOOD, "action": "submit"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'id="application-form"' not in html
    answers = html[html.index('id="summary-title"') :]
    answers = answers[: answers.index("</section>")]
    assert "<input" not in answers
    assert "<select" not in answers
    assert "<textarea" not in answers
    assert "France" in answers  # a choice by its label, not its code
    assert "English, Spanish" in answers
    assert "Mathematics" in answers
    assert "2010" in answers


def test_choices_are_listed_by_label_unless_they_form_a_scale(client, open_cycle, applicant):
    """Issue #15: the citizenship list was ordered by country code."""
    FormField.objects.filter(cycle=open_cycle, key="citizenship").update(choices=[
        {"value": "US", "label": "United States"}, {"value": "AR", "label": "Argentina"},
        {"value": "DE", "label": "Germany"}])  # fmt: skip
    FormField.objects.create(cycle=open_cycle, key="level", label="Level", kind="choice",
                             ordered=True, position=9,
                             choices=[{"value": "b", "label": "Bachelor"},
                                      {"value": "a", "label": "Master"}])  # fmt: skip
    application = start(client, open_cycle)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert html.index(">Argentina<") < html.index(">Germany<") < html.index(">United States<")
    assert html.index(">Bachelor<") < html.index(">Master<")  # a scale keeps its order


def test_the_self_check_explains_in_spanish_with_spanish_numbers(client, open_cycle, applicant):
    """Issue #14/#15: the engine's sentences ("must be at least", "of the … required")
    were English on Spanish pages."""
    application = start(client, open_cycle)
    short = {**GOOD, "jet_hours": "650", "action": "check"}
    page = client.post(f"/applications/{application.pk}/", short,
                       headers={"HX-Request": "true", "accept-language": "es"})  # fmt: skip
    html = page.content.decode()
    assert "✗ jet time: 650; se exigen 1\xa0000 h" in html  # the number the Spanish way
    assert "of the" not in html
    english = client.post(f"/applications/{application.pk}/", short,
                          headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    assert "✗ 650 of the 1,000 h of jet time required" in english


def test_a_second_submit_that_raced_the_first_lands_on_the_receipt(
    client, open_cycle, applicant, monkeypatch
):
    """Found by the rush under faults: a double click whose second request read the
    draft before the first submitted it got a 422 instead of the receipt."""
    from ascent.portal import views

    application = start(client, open_cycle)
    url = f"/applications/{application.pk}/"
    client.post(url, {**GOOD, "action": "submit"})
    stale = Application.objects.select_related("cycle").get(pk=application.pk)
    stale.status, stale.submitted_at = S.DRAFT, None  # as the second request read it
    monkeypatch.setattr(views, "_mine", lambda request, pk: stale)
    page = client.post(url, {**GOOD, "action": "submit"})
    assert (page.status_code, page["Location"]) == (302, f"{url}submitted/")
