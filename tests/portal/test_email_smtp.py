"""The confirmation e-mail through a real SMTP server (aiosmtpd) on this machine."""

import socket
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from ascent.applications.models import Application

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield inbox
    controller.stop()


def test_the_receipt_arrives_by_smtp(client, open_cycle, applicant, smtp_server,
                                     django_capture_on_commit_callbacks):  # fmt: skip
    client.post(f"/cycles/{open_cycle.pk}/apply/")
    application = Application.objects.get(cycle=open_cycle)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/{application.pk}/",
                    {"full_name": "Ada Lovelace", "jet_hours": "1200", "action": "submit"})  # fmt: skip
    application.refresh_from_db()
    assert len(smtp_server.messages) == 1
    recipients, raw = smtp_server.messages[0]
    assert recipients == ["ada@example.org"]
    message = message_from_bytes(raw, policy=default)
    assert application.receipt in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"Receipt number: {application.receipt}" in text
    assert application.receipt in html


def test_a_supporter_hears_of_the_submission_by_smtp_and_leaves_a_note(
    client, open_cycle, applicant, smtp_server, django_capture_on_commit_callbacks
):
    """Issue #14, section 5: a milestone e-mail, only to a supporter the applicant asked to
    get them, with a link to the journey where the supporter leaves a note."""
    import re

    from django.utils import timezone

    from ascent.applications.domain.drafts import applicant_of
    from ascent.applications.domain.links import new_token
    from ascent.applications.models import Supporter, SupporterNote

    person = applicant_of(applicant)
    for name, email, sharing in (("Grandma", "grandma@example.org", True),
                                 ("Coach", "coach@example.org", False)):  # fmt: skip
        Supporter.objects.create(applicant=person, name=name, email=email,
                                 token_hash=new_token()[1], invited_at=timezone.now(),
                                 shares_milestones=sharing)  # fmt: skip
    client.post(f"/cycles/{open_cycle.pk}/apply/")
    application = Application.objects.get(cycle=open_cycle)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/{application.pk}/",
                    {"full_name": "Ada Lovelace", "jet_hours": "1200", "action": "submit"})  # fmt: skip
    recipients = sorted(r[0] for r, _raw in smtp_server.messages)
    assert recipients == ["ada@example.org", "grandma@example.org"]  # never the coach
    raw = next(raw for r, raw in smtp_server.messages if r == ["grandma@example.org"])
    text = message_from_bytes(raw, policy=default).get_body(preferencelist=("plain",)).get_content()
    assert "has submitted an application" in text
    link = re.search(r"https?://[^/\s]+(/follow/\S+/)", text).group(1)
    client.logout()
    journey = client.get(link)
    assert journey.status_code == 200
    empty = client.post(link, {"note": "   "})
    assert empty.status_code == 422
    assert "write a few words" in empty.content.decode()
    client.post(link, {"note": "So proud of you."})
    assert SupporterNote.objects.get().text == "So proud of you."
