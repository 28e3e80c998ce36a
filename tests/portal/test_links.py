"""Recommenders and supporters: private links, one thing each, closed when they should be."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.domain.errors import ApplicationError
from ascent.applications.domain.links import remind_reference
from ascent.applications.models import Reference, ReferenceState, Supporter
from ascent.decisions.models import Decision, Outcome
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def link_of(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)


@pytest.fixture
def ask(client, draft, mailed):
    def request(email="mentor@example.org", *, follow=False):
        return mailed(client.post, f"/applications/{draft.pk}/references/",
                      {"name": "Dr. Mentor", "email": email, "relationship": "mentor"},
                      follow=follow)  # fmt: skip

    return request


def test_a_recommender_writes_saves_and_submits_and_the_applicant_sees_only_the_status(
    client, draft, mailoutbox, ask
):
    ask()
    assert len(mailoutbox) == 1
    url = link_of(mailoutbox[0])
    assert url.startswith("/letters/")
    recommender = client.__class__()  # no account
    page = recommender.get(url)
    assert page.status_code == 200
    assert "asked you for a letter" in page.content.decode()
    reference = Reference.objects.get()
    assert reference.state == ReferenceState.OPENED
    recommender.post(url, {"letter": "She flew well.", "action": "save"})
    reference.refresh_from_db()
    assert (reference.letter, reference.state) == ("She flew well.", ReferenceState.OPENED)
    done = recommender.post(url, {"letter": "She flies superbly.", "action": "submit"}, follow=True)
    assert "your letter is in" in done.content.decode()
    reference.refresh_from_db()
    assert reference.state == ReferenceState.SUBMITTED
    changed = recommender.post(url, {"letter": "Changed my mind", "action": "submit"})
    assert changed.status_code == 422
    own = client.get(f"/applications/{draft.pk}/").content.decode()
    assert "Submitted" in own
    assert "She flies superbly" not in own


def test_bad_requests_and_bad_letters_are_refused_with_their_reason(client, draft, mailoutbox, ask):
    page = ask(email="not an address", follow=True)
    assert "enter a valid e-mail address" in page.content.decode()
    assert not Reference.objects.exists()
    ask()
    again = ask(follow=True)
    assert "already asked for this application" in again.content.decode()
    url = link_of(mailoutbox[0])
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = client.post(url, {"letter": "", "letter_file": fake, "action": "submit"})
    assert page.status_code == 422
    assert "this file is not a PDF" in page.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 + 10))
    page = client.post(url, {"letter_file": big, "action": "save"})
    assert "the limit is 5 MB" in page.content.decode()
    empty = client.post(url, {"letter": "", "action": "submit"})
    assert "write the letter or upload it as a PDF" in empty.content.decode()
    assert Reference.objects.get().state != ReferenceState.SUBMITTED
    real = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF")
    client.post(url, {"letter_file": real, "action": "submit"})
    reference = Reference.objects.get()
    assert reference.state == ReferenceState.SUBMITTED
    assert reference.letter_file.name.endswith(".pdf")
    assert "letter" not in reference.letter_file.name.rsplit("/", 1)[-1]  # not the given name


def test_links_close_after_the_deadline_and_unknown_links_say_so(client, mailoutbox, open_cycle,
                                                                 ask):  # fmt: skip
    ask()
    url = link_of(mailoutbox[0])
    unknown = client.get("/letters/not-a-real-token/")
    assert unknown.status_code == 410
    assert "does not open a letter" in unknown.content.decode()
    open_cycle.deadline = timezone.now() - dt.timedelta(minutes=1)
    open_cycle.save()
    expired = client.get(url)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()


def test_reminders_at_most_once_a_day_and_the_old_link_stops(client, mailoutbox, ask, mailed):
    ask()
    reference = Reference.objects.get()
    soon = client.post(f"/references/{reference.pk}/remind/", follow=True)
    assert "a reminder can be sent once a day" in soon.content.decode()
    first_link = link_of(mailoutbox[0])
    later = reference.requested_at + dt.timedelta(days=1, minutes=1)
    mailed(remind_reference, reference, by=None, now=later)
    assert len(mailoutbox) == 2
    assert client.get(first_link).status_code == 410
    assert client.get(link_of(mailoutbox[1])).status_code == 200
    with pytest.raises(ApplicationError, match="once a day"):
        remind_reference(reference, by=None,
                         now=reference.reminded_at + dt.timedelta(hours=2))  # fmt: skip


def test_next_cycle_the_recommender_starts_from_last_years_letter(client, draft, mailoutbox, ask):
    earlier = ApplicationFactory(applicant=applicant_of(draft.applicant.user), status="not_selected",
                                 submitted_at=timezone.now() - dt.timedelta(days=300))  # fmt: skip
    Reference.objects.create(application=earlier, recommender_name="Dr. Mentor",
                             recommender_email="mentor@example.org", relationship="mentor",
                             token_hash="0" * 64, state=ReferenceState.SUBMITTED,
                             letter="Last year's letter.", requested_at=timezone.now(),
                             submitted_at=timezone.now())  # fmt: skip
    ask()
    page = client.get(link_of(mailoutbox[0])).content.decode()
    assert "Last year&#x27;s letter." in page
    assert "starts from the letter you wrote last cycle" in page


def test_nobody_else_reaches_a_reference(client, draft, ask):
    ask()
    reference = Reference.objects.get()
    client.force_login(UserFactory())
    assert client.post(f"/references/{reference.pk}/remind/").status_code == 404
    assert client.post(f"/applications/{draft.pk}/references/",
                       {"name": "X", "email": "x@example.org", "relationship": "other"}).status_code == 404  # fmt: skip


def test_a_supporter_follows_until_revoked(client, draft, mailoutbox, mailed):
    decision = Decision.objects.create(application=ApplicationFactory(
        applicant=draft.applicant, status="not_selected", submitted_at=timezone.now()),
        outcome=Outcome.NOT_SELECTED, composite=5.0, released_at=timezone.now(),
        created_at=timezone.now(), gap={"advice": [{"name": "Teamwork", "from": 4, "to": 6,
                                                     "advice": "Lead a team project."}]})  # fmt: skip
    page = mailed(client.post, "/journey/supporters/",
                  {"name": "Mum", "email": "mum@example.org", "relationship": "mother"},
                  follow=True)  # fmt: skip
    assert "Invitation sent." in page.content.decode()
    url = link_of(mailoutbox[0])
    visitor = client.__class__()
    seen = visitor.get(url).content.decode()
    assert "journey" in seen
    assert decision.application.cycle.name in seen
    assert "Lead a team project." not in seen  # gap reports not shared
    supporter = Supporter.objects.get()
    Supporter.objects.filter(pk=supporter.pk).update(shares_gap_reports=True)
    assert "Lead a team project." in visitor.get(url).content.decode()
    assert "Stop sharing" in client.get("/journey/").content.decode()
    client.post(f"/journey/supporters/{supporter.pk}/revoke/")
    closed = visitor.get(url)
    assert closed.status_code == 410
    assert "no longer opens a journey" in closed.content.decode()


def test_a_supporter_link_opens_only_its_own_journey(client, draft, mailoutbox, mailed):
    mailed(client.post, "/journey/supporters/", {"name": "Mum", "email": "mum@example.org"})
    other = UserFactory()
    stranger = ApplicationFactory(applicant=applicant_of(other), answers={"full_name": "Stranger"})
    page = client.__class__().get(link_of(mailoutbox[0])).content.decode()
    assert stranger.cycle.name not in page
    client.force_login(other)
    supporter = Supporter.objects.get()
    assert client.post(f"/journey/supporters/{supporter.pk}/revoke/").status_code == 404
    bad = client.post("/journey/supporters/", {"name": "", "email": "nope"}, follow=True)
    assert "say who this is" in bad.content.decode()
    assert Supporter.objects.count() == 1
