"""Attacks an adversarial probe of the security work found (recorded in issue #13's note),
each reproduced here: they failed before their fix."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of, submit_application
from ascent.applications.domain.errors import ApplicationError
from ascent.applications.domain.links import remind_reference, request_reference
from ascent.applications.domain.outreach import REFERENCE_REQUESTS_PER_DAY, check_name
from ascent.applications.models import Application, Reference, StoredFile
from ascent.decisions.domain.errors import DecisionError
from ascent.decisions.domain.offers import answer_offer, change_decision, expire_offers
from ascent.decisions.models import Decision, Offer, OfferState, Outcome
from ascent.engine.forms import MAX_ROWS, FieldSpec, FormSpecError, check_form
from ascent.programs.domain.configuration import export_configuration, import_configuration
from ascent.programs.domain.errors import ProgramError
from ascent.programs.models import FormField, Stage
from tests.decisions.test_offers import released  # noqa: F401 (the fixture)
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    UserFactory,
    bearer,
    stored_file_answer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(open_cycle):
    user = UserFactory(username="probe@example.org")
    return ApplicationFactory(cycle=open_cycle, applicant=applicant_of(user), answers={})


@pytest.mark.parametrize("kind", ["text/plain", "application/octet-stream", ""])
def test_the_api_refuses_a_nul_in_a_json_body_of_any_content_type(client, draft, kind):
    body = '{"answers": {"full_name": "a\\ud800b"}}'
    found = client.put(f"/api/v1/me/applications/{draft.pk}/answers", body, content_type=kind,
                       headers=bearer(draft.applicant.user))  # fmt: skip
    assert found.status_code in (400, 415, 422)
    draft.refresh_from_db()
    assert draft.answers == {}


def test_repeated_and_odd_row_indices_cannot_multiply_a_record(client, draft):
    client.force_login(draft.applicant.user)
    url = f"/applications/{draft.pk}/"
    many = client.post(url, {"degrees.rows": ",".join(["0"] * 5000), "degrees.0.field": "x",
                             "action": "save"})  # fmt: skip
    assert many.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["degrees"] == [{"field": "x"}]
    for odd in ("²", "9" * 5000, "0,²"):
        assert client.post(url, {"degrees.rows": odd, "remove": f"degrees.{odd}",
                                 "action": "save"}).status_code < 500  # fmt: skip


def test_a_records_answer_has_a_row_limit_through_the_api(client, draft):
    rows = [{"field": "x"}] * (MAX_ROWS + 1)
    found = client.put(f"/api/v1/me/applications/{draft.pk}/answers",
                       {"answers": {"degrees": rows}}, content_type="application/json",
                       headers=bearer(draft.applicant.user))  # fmt: skip
    assert found.status_code == 200
    assert found.json()["problems"][0]["loc"] == ["body", "answers", "degrees"]
    assert found.json()["answers"] == {}
    odd_key = client.put(f"/api/v1/me/applications/{draft.pk}/answers",
                         {"answers": {"²": 1, "9" * 5000: 2}}, content_type="application/json",
                         headers=bearer(draft.applicant.user))  # fmt: skip
    assert odd_key.status_code == 200
    assert len(odd_key.json()["problems"]) == 2
    assert odd_key.json()["held_answers"] == {}  # no field of the form: dropped, not kept


def test_a_records_column_cannot_be_a_file_so_no_file_escapes_its_checks(open_cycle):
    papers = FieldSpec("papers", "Papers", "records",
                       fields=(FieldSpec("pdf", "PDF", "file"),))  # fmt: skip
    with pytest.raises(FormSpecError, match=r"papers\.pdf: a records column cannot be a file"):
        check_form([papers])
    data = export_configuration(open_cycle)
    data["form"].append({"key": "papers", "label": "Papers", "kind": "records",
                         "columns": [{"key": "pdf", "label": "PDF", "kind": "file"}]})  # fmt: skip
    data["form"].append({"key": "bad", "label": "Bad", "kind": "records", "columns": [{}]})
    with pytest.raises(ProgramError) as refused:
        import_configuration(CycleFactory(program=open_cycle.program), data)
    places = [p for p, _m in refused.value.problems]
    assert any(p.startswith(f"form[{len(data['form']) - 2}]") for p in places)
    assert f"form[{len(data['form']) - 1}].columns" in places


def test_a_submission_never_names_a_file_that_is_gone(open_cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    FormField.objects.create(cycle=open_cycle, key="cv", label="CV", kind="file", position=9)
    app = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(UserFactory()))
    app.answers = {"full_name": "Ada", "jet_hours": 1200, "cv": stored_file_answer(app, "cv")}
    app.save()
    StoredFile.objects.filter(application=app).delete()  # another save removed it meanwhile
    with pytest.raises(ApplicationError) as refused:
        submit_application(app, by=app.applicant.user)
    assert [p for p, _m in refused.value.problems] == ["cv"]
    assert Application.objects.get(pk=app.pk).status == "draft"


def test_re_selecting_after_a_change_offers_the_seat_again(released):  # noqa: F811
    _cycle, people = released
    change_decision(people[1], Outcome.NOT_SELECTED, reason="mistake", by=None)
    change_decision(people[1], Outcome.SELECTED, reason="the mistake undone", by=None)
    offer = Offer.objects.get(decision=people[1])
    assert offer.state == OfferState.OFFERED
    answer_offer(offer, accept=True, by=None)
    assert Offer.objects.get(pk=offer.pk).state == OfferState.ACCEPTED


def test_promoting_someone_whose_offer_was_withdrawn_before_does_not_crash(released):  # noqa: F811
    _cycle, people = released
    change_decision(people[1], Outcome.NOT_SELECTED, reason="mistake", by=None)  # promotes [2]
    change_decision(people[2], Outcome.WAITLISTED, reason="back to the list", by=None)
    promoted = Decision.objects.filter(outcome=Outcome.SELECTED).exclude(pk=people[0].pk).get()
    declined_seat = answer_offer(Offer.objects.get(decision=promoted), accept=False, by=None)
    assert declined_seat is not None
    assert declined_seat.state == OfferState.OFFERED


def test_changing_an_accepted_offers_decision_withdraws_it_and_fills_the_seat(released):  # noqa: F811
    _cycle, people = released
    answer_offer(people[0].offer, accept=True, by=None)
    change_decision(people[0], Outcome.NOT_SELECTED, reason="did not meet the medical", by=None)
    assert Offer.objects.get(decision=people[0]).state == OfferState.WITHDRAWN
    assert Decision.objects.filter(outcome=Outcome.SELECTED).count() == 2


def test_expiring_skips_an_offer_changed_since_the_list_was_read(released, monkeypatch):  # noqa: F811
    _cycle, people = released
    Offer.objects.update(respond_by=timezone.now() - dt.timedelta(days=1))
    change_decision(people[1], Outcome.NOT_SELECTED, reason="staff changed it", by=None)
    expire_offers()
    assert Offer.objects.get(decision=people[1]).state == OfferState.WITHDRAWN
    assert Decision.objects.filter(outcome=Outcome.SELECTED).count() == 2
    with pytest.raises(DecisionError):
        answer_offer(Offer.objects.get(decision=people[1]), accept=True, by=None)


@pytest.mark.parametrize("name", ["t.co/abc", "Visit x.com", "g.co", "1.co"])
def test_one_letter_domains_are_web_addresses(name):
    with pytest.raises(ApplicationError, match="web address"):
        check_name(name)


@pytest.mark.parametrize("name", ["Dr. Ana López, M.Sc.", "J. R. R. Tolkien", "Mª José"])
def test_names_with_initials_stay_names(name):
    assert check_name(name)


def test_reminders_count_in_the_daily_limit_of_mails_to_recommenders(draft, django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(REFERENCE_REQUESTS_PER_DAY - 1):
            request_reference(draft, name=f"R {i}", email=f"r{i}@example.org",
                              relationship="teacher", by=draft.applicant.user)  # fmt: skip
    Reference.objects.update(requested_at=timezone.now() - dt.timedelta(days=2))
    first = Reference.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        for reference in Reference.objects.order_by("pk"):
            remind_reference(reference, by=draft.applicant.user)
        request_reference(draft, name="R x", email="rx@example.org", relationship="teacher",
                          by=draft.applicant.user)  # fmt: skip
        with pytest.raises(ApplicationError, match="24 hours"):
            request_reference(draft, name="R y", email="ry@example.org",
                              relationship="teacher", by=draft.applicant.user)  # fmt: skip
    assert first.pk


def test_a_cycles_inline_stages_and_criteria_cannot_be_deleted_in_the_admin(client, open_cycle):
    from ascent.programs.admin import CriterionInline, CycleInline, StageInline

    assert not CycleInline.can_delete
    assert not StageInline.can_delete
    assert not CriterionInline.can_delete
    Stage.objects.create(cycle=open_cycle, key="panel", name="Panel", kind="review")
    admin = UserFactory(username="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(f"/admin/programs/cycle/{open_cycle.pk}/change/")
    assert 'name="stages-0-DELETE"' not in page.content.decode()


def test_the_refusal_page_cannot_be_framed(client):
    found = client.get("/?q=%00")
    assert found.status_code == 400
    assert found["X-Frame-Options"] == "DENY"


def test_json_answers_are_kept_as_the_server_read_them(client, draft):
    """A duplicate key: the last one wins in both parsers (the guard and the API)."""
    body = '{"answers": {"full_name": "a\\u0000", "full_name": "Ada"}}'
    found = client.put(f"/api/v1/me/applications/{draft.pk}/answers", body,
                       content_type="application/json", headers=bearer(draft.applicant.user))  # fmt: skip
    assert found.status_code == 200
    assert json.loads(found.content)["answers"] == {"full_name": "Ada"}
