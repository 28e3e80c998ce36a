"""Personal data: download all of it; delete the account, keeping only the anonymised record."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.models import Application, Reference, Supporter
from ascent.common.models import AuditEvent
from ascent.decisions.models import Decision, Outcome
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(applicant, open_cycle):
    me = applicant_of(applicant)
    done = ApplicationFactory(applicant=me, status="not_selected", submitted_at=timezone.now(),
                              receipt="FE-2025-ABC123", answers={"full_name": "Ada Lovelace"})  # fmt: skip
    Decision.objects.create(application=done, outcome=Outcome.NOT_SELECTED, composite=6.1,
                            released_at=timezone.now(), created_at=timezone.now(),
                            gap={"distance": 0.4})  # fmt: skip
    Reference.objects.create(application=done, recommender_name="Dr. M", relationship="mentor",
                             recommender_email="m@example.org", token_hash="1" * 64,
                             letter="Confidential letter", requested_at=timezone.now())  # fmt: skip
    Supporter.objects.create(applicant=me, name="Mum", email="mum@example.org",
                             token_hash="2" * 64, invited_at=timezone.now())  # fmt: skip
    draft = ApplicationFactory(applicant=me, cycle=open_cycle, answers={"full_name": "Ada"})
    return done, draft


def test_the_download_holds_everything_but_the_letters(client, history):
    response = client.get("/account/my-data.zip")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        text = archive.read("data.json").decode()
    data = json.loads(text)
    assert data["account"]["email"] == "ada@example.org"
    receipts = [a["receipt"] for a in data["applications"]]
    assert "FE-2025-ABC123" in receipts
    done = next(a for a in data["applications"] if a["receipt"] == "FE-2025-ABC123")
    assert done["answers"] == {"full_name": "Ada Lovelace"}
    assert done["decision"]["gap_report"] == {"distance": 0.4}
    assert done["references"][0]["recommender"] == "Dr. M"
    assert "Confidential letter" not in text
    assert data["supporters"][0]["name"] == "Mum"


def test_deleting_needs_the_email_typed(client, history):
    account = client.get("/account/").content.decode()
    assert 'href="/account/delete/"' in account  # its own page, not a form on this one
    assert 'name="confirm"' not in account
    assert client.post("/account/", {"confirm": "ada@example.org"}).status_code == 200  # nothing
    assert get_user_model().objects.get(email="ada@example.org").is_active
    page = client.post("/account/delete/", {"confirm": "someone@else.org"})
    assert page.status_code == 422
    assert "Type your e-mail address exactly" in page.content.decode()
    assert get_user_model().objects.get(email="ada@example.org").is_active


def test_deleting_removes_the_person_and_keeps_the_anonymous_record(client, history):
    done, draft = history
    user = get_user_model().objects.get(email="ada@example.org")
    page = client.post("/account/delete/", {"confirm": "ADA@example.org"})
    assert page.status_code == 302
    user.refresh_from_db()
    assert user.email == f"deleted-{user.pk}@invalid"
    assert not user.is_active
    assert not user.has_usable_password()
    assert not Application.objects.filter(pk=draft.pk).exists()
    done.refresh_from_db()
    assert done.answers == {}
    assert done.status == "not_selected"
    assert done.receipt == "FE-2025-ABC123"
    assert Decision.objects.get(application=done).composite == 6.1
    assert done.applicant.display_name.startswith("Deleted applicant")
    assert not Reference.objects.exists()
    assert not Supporter.objects.exists()
    assert AuditEvent.objects.filter(verb="account.deleted").exists()
    assert client.get("/journey/").status_code == 302  # signed out
    assert not client.login(username="ada@example.org", password="correct horse battery staple")
