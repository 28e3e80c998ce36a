"""A mentor comments on a shared draft (issue #14, section 5); the program never sees it."""

import re

import pytest
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.domain.links import new_token
from ascent.applications.models import Application, MentorComment, Supporter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_mentor_reads_only_what_is_shared_and_comments_for_the_applicant_alone(
    client, open_cycle, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(f"/cycles/{open_cycle.pk}/apply/")
    application = Application.objects.get(cycle=open_cycle)
    url = f"/applications/{application.pk}/"
    client.post(url, {"full_name": "Ada Lovelace", "jet_hours": "1200", "action": "save"})
    mentor = Supporter.objects.create(applicant=applicant_of(applicant), name="Mary Somerville",
                                      email="mary@example.org", token_hash=new_token()[1],
                                      invited_at=timezone.now(), is_mentor=True)  # fmt: skip
    refused = client.post(f"{url}feedback/", {"mentor": mentor.pk}, follow=True)
    assert "choose at least one answer to share" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}feedback/", {"mentor": mentor.pk, "fields": ["full_name"]})
    [mail] = [m for m in mailoutbox if m.to == ["mary@example.org"]]
    link = re.search(r"https?://[^/\s]+(/follow/\S+/feedback/\d+/)", mail.body).group(1)

    client.logout()
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ada Lovelace" in html
    assert "1200" not in html  # jet hours were not shared
    empty = client.post(link, {"field": "full_name", "comment.full_name": "  "})
    assert empty.status_code == 422
    assert "write a few words" in empty.content.decode()
    secret = client.post(link, {"field": "jet_hours", "comment.jet_hours": "Nice"})
    assert secret.status_code == 422  # an answer not shared takes no comment
    client.post(link, {"field": "full_name", "comment.full_name": "Use your full title."})
    assert MentorComment.objects.get().text == "Use your full title."

    client.force_login(applicant)
    assert "Use your full title." in client.get(url).content.decode()
    client.force_login(UserFactory(is_staff=True))
    staff_page = client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "Use your full title." not in staff_page  # never the program's
    assert "Mary Somerville" not in staff_page

    client.force_login(applicant)
    client.post(url, {"full_name": "Ada Lovelace", "jet_hours": "1200", "action": "submit"})
    client.logout()
    assert client.get(link).status_code == 410  # sent: the draft is no longer open


def test_only_a_mentor_of_the_applicant_can_be_asked(client, open_cycle, applicant):
    client.post(f"/cycles/{open_cycle.pk}/apply/")
    application = Application.objects.get(cycle=open_cycle)
    plain = Supporter.objects.create(applicant=applicant_of(applicant), name="Cousin",
                                     email="c@example.org", token_hash=new_token()[1],
                                     invited_at=timezone.now())  # fmt: skip
    page = client.post(f"/applications/{application.pk}/feedback/",
                       {"mentor": plain.pk, "fields": ["full_name"]}, follow=True)  # fmt: skip
    assert "choose one of your mentors" in page.content.decode()
    assert not application.feedback_requests.exists()
