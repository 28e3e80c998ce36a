"""Files are server-side records owned by one application (issue #13, findings 1 to 3):
an answer names a file only by an id the server issued for that application and field;
reusing last year's application copies its files; erasure deletes them; the export
holds them."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.models import Application, ApplicationStatus, StoredFile
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.models import CycleState, FormField
from tests.factories import ApplicationFactory, UserFactory, bearer, stored_file_answer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\nvictim's CV\n%%EOF"


@pytest.fixture
def files(open_cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    FormField.objects.create(cycle=open_cycle, key="cv", label="Curriculum vitae", kind="file",
                             position=9)  # fmt: skip
    return tmp_path


def test_an_answer_cannot_name_another_applications_file_or_a_path(client, open_cycle, files):
    victim = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(UserFactory()))
    victims_cv = stored_file_answer(victim, "cv", PDF, "Victor_Smith_CV.pdf")
    victim.answers = {"cv": victims_cv}
    victim.save()
    attacker = UserFactory(username="mallory@example.org")
    mine = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(attacker), answers={})
    url = f"/api/v1/me/applications/{mine.pk}/answers"
    stored_path = StoredFile.objects.get(pk=victims_cv["file"]).storage_name
    for value in (
        victims_cv,  # another application's id
        {"file": victims_cv["file"]},
        {"name": "x.pdf", "path": stored_path, "size": 1, "content_type": "application/pdf"},
        {"name": "x", "path": "applications/", "size": 1, "content_type": "application/pdf"},
        {"file": "1"}, {"file": True}, {"file": 10**30}, "cv.pdf", [1],
    ):  # fmt: skip
        found = client.put(url, {"answers": {"cv": value}}, content_type="application/json",
                           headers=bearer(attacker))  # fmt: skip
        assert found.status_code == 200, value
        assert found.json()["problems"][0]["loc"] == ["body", "answers", "cv"], value
        assert found.json()["held_answers"] == {}  # a file answer is never kept as sent
    mine.refresh_from_db()
    assert mine.answers == {}
    assert mine.held_answers == {}
    client.force_login(attacker)
    assert client.get(f"/applications/{mine.pk}/files/cv/").status_code == 404
    assert (files / stored_path).read_bytes() == PDF  # the victim's file is untouched
    # one's own file, read back and written again, is accepted as it is
    own = stored_file_answer(mine, "cv", PDF, "mine.pdf")
    for value in (own, {"file": own["file"]}, {**own, "name": "renamed.pdf"}):
        found = client.put(url, {"answers": {"cv": value}}, content_type="application/json",
                           headers=bearer(attacker))  # fmt: skip
        assert found.status_code == 200
        assert found.json()["answers"]["cv"] == own  # the server's record, not the client's


def test_reusing_last_years_application_copies_its_file(client, open_cycle, files,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    user = UserFactory(username="repeat@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    earlier = copy_cycle(open_cycle, name="Last year", slug="last-year",
                         opens_at=open_cycle.opens_at - dt.timedelta(days=365),
                         deadline=open_cycle.deadline - dt.timedelta(days=365),
                         state=CycleState.DECIDED)  # fmt: skip
    old = ApplicationFactory(cycle=earlier, applicant=applicant_of(user),
                             status=ApplicationStatus.NOT_SELECTED, submitted_at=earlier.deadline)  # fmt: skip
    old.answers = {"full_name": "Ada", "cv": stored_file_answer(old, "cv", PDF, "cv-2025.pdf")}
    old.save()
    old_file = StoredFile.objects.get(application=old)
    client.force_login(user)
    client.post(f"/cycles/{open_cycle.pk}/apply/", {"from_last": "1"})
    new = Application.objects.get(cycle=open_cycle)
    copy = StoredFile.objects.get(application=new)
    assert new.answers["cv"]["file"] == copy.pk != old_file.pk
    assert copy.storage_name != old_file.storage_name
    assert (copy.original_name, copy.sha256) == (old_file.original_name, old_file.sha256)
    replacement = SimpleUploadedFile("cv-2026.pdf", b"%PDF-1.4\nnew\n%%EOF")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/{new.pk}/", {"full_name": "Ada", "cv": replacement,
                                                  "action": "save"})  # fmt: skip
    new.refresh_from_db()
    assert new.answers["cv"]["name"] == "cv-2026.pdf"
    assert not (files / copy.storage_name).exists()  # the draft's own copy went
    assert (files / old_file.storage_name).read_bytes() == PDF  # last year's file stays
    old.refresh_from_db()
    assert old.answers["cv"]["file"] == old_file.pk
    assert client.get(f"/applications/{old.pk}/files/cv/").status_code == 200


def test_erasure_deletes_the_files_and_the_export_holds_them(client, open_cycle, files,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    user = UserFactory(username="leaving@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    done = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(user),
                              status=ApplicationStatus.SUBMITTED, receipt="R-1",
                              submitted_at=open_cycle.opens_at)  # fmt: skip
    done.answers = {"cv": stored_file_answer(done, "cv", PDF, "My CV.pdf")}
    done.save()
    stored = StoredFile.objects.get(application=done)
    client.force_login(user)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/my-data.zip").content))
    name = f"files/{open_cycle.slug}/cv_-_My_CV.pdf"
    assert name in archive.namelist()
    assert archive.read(name) == PDF
    data = json.loads(archive.read("data.json"))
    assert data["applications"][0]["files"] == [name]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/delete/", {"confirm": user.email})
    assert not StoredFile.objects.exists()
    assert not (files / stored.storage_name).exists()
    assert Application.objects.get(pk=done.pk).answers == {}
