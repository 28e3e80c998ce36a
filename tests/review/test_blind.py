"""Blind review leaks nothing that names the applicant (issue #13, findings 4 and 5).

Every identifying answer of the demo's form, the applicant's name and e-mail, a file's
own name, a letter and its writer's name are filled with unique markers, on the
application under review and on the applicant's earlier one; then every response a
blind reviewer can fetch — queue, review page, files, letters, the API, the staff
exports (refused) — is searched for any marker."""

import pytest
from django.utils import timezone

from ascent.applications.models import Application, Reference
from ascent.cli.world_loader import IDENTIFYING
from ascent.programs.models import FormField, Stage
from ascent.review.models import Assignment
from tests.factories import stored_file_answer

pytestmark = pytest.mark.django_db

MARKERS = {key: f"MARKER{n}X" for n, key in enumerate(sorted(IDENTIFYING))}
MARKERS |= {"name": "MARKERNAMEX", "email": "markermailx", "file": "MARKERFILEX",
            "writer": "MARKERWRITERX", "letter": "MARKERLETTERX"}  # fmt: skip


def _fill(application: Application) -> None:
    assert FormField.objects.filter(cycle=application.cycle, key="cv", kind="file").exists()
    answers = dict(application.answers)
    for key in IDENTIFYING:
        answers[key] = "2000-01-01" if key == "date_of_birth" else MARKERS[key]
    answers["cv"] = stored_file_answer(application, "cv", name=f"{MARKERS['file']}_Smith_CV.pdf")
    Application.objects.filter(pk=application.pk).update(answers=answers)
    Reference.objects.create(
        application=application, recommender_name=MARKERS["writer"],
        recommender_email=f"{MARKERS['writer']}@example.org", relationship="mentor",
        token_hash=f"{application.pk:064d}", requested_at=timezone.now(), state="submitted",
        submitted_at=timezone.now(), letter=f"{MARKERS['letter']} is the best.",
    )  # fmt: skip


def _markers_in(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = (body.decode("utf-8", "replace") + str(dict(response.headers))).lower()
    return [m for m in MARKERS.values() if m.lower() in text]


def test_a_blind_reviewer_can_fetch_nothing_that_names_the_applicant(client, reopened, settings,
                                                                     tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    stage = Stage.objects.get(cycle=reopened, kind="review")
    assert stage.blind
    Stage.objects.filter(cycle__program=reopened.program).update(show_history=True)
    assignment = (Assignment.objects.filter(stage=stage, application__previous__isnull=False)
                  .select_related("application__applicant__user", "reviewer__user").first()
                  or Assignment.objects.filter(stage=stage).first())  # fmt: skip
    application = assignment.application
    user = application.applicant.user
    user.first_name, user.email = MARKERS["name"], f"{MARKERS['email']}@example.org"
    user.save()
    application.applicant.display_name = MARKERS["name"]
    application.applicant.save()
    earlier = Application.objects.filter(applicant=application.applicant).exclude(pk=application.pk)
    for item in [application, *earlier]:
        _fill(item)

    client.force_login(assignment.reviewer.user)
    page = client.get(f"/review/{assignment.pk}/")
    assert page.status_code == 200
    assert "curriculum-vitae-pdf.pdf" in page.content.decode()  # neutral: from the label
    urls = [
        "/review/",
        f"/review/{assignment.pk}/",
        f"/review/{assignment.pk}/files/cv/",
        "/api/v1/me/assignments",
        f"/api/v1/me/assignments/{assignment.pk}/review",
        f"/api/v1/applications?cycle={reopened.pk}",
        f"/api/v1/cycles/{reopened.pk}/exports/applications",
        f"/staff/cycles/{reopened.pk}/applications/?format=csv",
        f"/staff/cycles/{reopened.pk}/board.csv",
        *(f"/review/{assignment.pk}/letters/{r.pk}/" for r in Reference.objects.all()),
        *(f"/applications/{a.pk}/files/cv/" for a in [application, *earlier]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert _markers_in(response) == [], url
    download = client.get(f"/review/{assignment.pk}/files/cv/")
    assert download.status_code == 200
    assert 'filename="curriculum-vitae-pdf.pdf"' in download["Content-Disposition"]

    Stage.objects.filter(pk=stage.pk).update(letters_when_blind=True)
    assert MARKERS["letter"] in client.get(f"/review/{assignment.pk}/").content.decode()
    Stage.objects.filter(pk=stage.pk).update(blind=False)
    assert MARKERS["file"] in client.get(f"/review/{assignment.pk}/").content.decode()
