"""Templated e-mail: the text part and subject are plain text, the HTML part is escaped."""

import pytest
from django.utils import timezone

from ascent.common.email import render_text, send_templated
from tests.factories import ApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db
NAME = 'O\'Brien "Bob" <b> & Co'


def test_the_receipt_has_the_name_verbatim_in_text_and_escaped_in_html(
    mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        applicant=ApplicantFactory(display_name=NAME),
        status="submitted",
        submitted_at=timezone.now(),
        receipt="R-1",
    )
    application.cycle.name = 'Call "A" & <B>'
    with django_capture_on_commit_callbacks(execute=True):
        send_templated(
            "applications/email/submitted",
            {"application": application, "cycle": application.cycle},
            ["o@example.org"],
        )
    mail = mailoutbox[0]
    assert f"Dear {NAME}," in mail.body
    assert mail.subject == 'Your application to Call "A" & <B> is in (R-1)'
    assert "&#x27;" not in mail.body
    assert "&quot;" not in mail.body
    assert "&amp;" not in mail.body
    html = mail.alternatives[0][0]
    assert "Dear O&#x27;Brien &quot;Bob&quot; &lt;b&gt; &amp; Co," in html


def test_render_text_leaves_the_global_autoescape_alone():
    from django.template.loader import render_to_string

    context = {"application": {"applicant": {"display_name": NAME}}, "cycle": {}}
    assert NAME in render_text("applications/email/submitted.txt", context)
    assert NAME not in render_to_string("applications/email/submitted.txt", context)
