"""E-mails an applicant makes Ascent send to others: limited, names without web addresses,
each saying who asked for it; text parts verbatim, HTML parts escaped."""

import datetime as dt

import pytest
from django.utils import timezone

from ascent.applications.domain.errors import ApplicationError
from ascent.applications.domain.links import invite_supporter, request_reference
from ascent.applications.domain.outreach import (
    INVITATIONS_PER_DAY,
    REFERENCE_REQUESTS_PER_DAY,
    REFERENCES_PER_APPLICATION,
    SUPPORTERS_AT_ONCE,
)
from ascent.applications.models import Applicant, Reference, Supporter
from ascent.common.email import NAME_MAX_CHARS, mail_name

pytestmark = pytest.mark.django_db
SPAM = "URGENT: verify your bank account at http://bank-login.example/verify"
QUOTED = 'O\'Brien "Bob" <b>'


def ask(draft, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        request_reference(
            draft,
            name=f"Recommender {i}",
            email=f"r{i}@example.org",
            relationship="teacher",
            by=draft.applicant.user,
        )


def invite(applicant, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        invite_supporter(applicant, name=f"Friend {i}", email=f"f{i}@example.org")


def a_day_ago(model, field: str) -> None:
    model.objects.update(**{field: timezone.now() - dt.timedelta(days=1, minutes=1)})


# -- limits ---------------------------------------------------------------------------------


def test_reference_requests_are_limited_per_day_and_per_application(
    client, draft, mailoutbox, mailed
):
    ask(draft, REFERENCE_REQUESTS_PER_DAY)
    refused = mailed(
        client.post,
        f"/applications/{draft.pk}/references/",
        {"name": "One More", "email": "more@example.org", "relationship": "other"},
        follow=True,
    )
    assert f"at most {REFERENCE_REQUESTS_PER_DAY} reference requests in 24 hours" in (
        refused.content.decode()
    )
    assert Reference.objects.count() == REFERENCE_REQUESTS_PER_DAY
    assert mailoutbox == []  # the refused request queued nothing
    a_day_ago(Reference, "requested_at")
    ask(draft, REFERENCES_PER_APPLICATION - REFERENCE_REQUESTS_PER_DAY, start=100)
    a_day_ago(Reference, "requested_at")
    with pytest.raises(ApplicationError, match=f"at most {REFERENCES_PER_APPLICATION} reference"):
        ask(draft, 1, start=200)
    assert Reference.objects.count() == REFERENCES_PER_APPLICATION


def test_supporter_invitations_are_limited_per_day_and_at_once(client, draft, mailoutbox, mailed):
    applicant = draft.applicant
    invite(applicant, INVITATIONS_PER_DAY)
    refused = mailed(
        client.post,
        "/journey/supporters/",
        {"name": "One More", "email": "more@example.org"},
        follow=True,
    )
    assert f"at most {INVITATIONS_PER_DAY} invitations in 24 hours" in refused.content.decode()
    assert mailoutbox == []
    for start in range(INVITATIONS_PER_DAY, SUPPORTERS_AT_ONCE, INVITATIONS_PER_DAY):
        a_day_ago(Supporter, "invited_at")
        invite(applicant, INVITATIONS_PER_DAY, start=start)
    a_day_ago(Supporter, "invited_at")
    with pytest.raises(ApplicationError, match=f"at most {SUPPORTERS_AT_ONCE} people"):
        invite(applicant, 1, start=999)
    assert Supporter.objects.count() == SUPPORTERS_AT_ONCE
    Supporter.objects.filter(pk=Supporter.objects.first().pk).update(revoked_at=timezone.now())
    invite(applicant, 1, start=999)  # room again once someone no longer follows


# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        SPAM,
        "Mum (www.bank-login.example)",
        "mum@bank-login.example",
        "bank-login.example",
        "Mum http://10.0.0.1/x",
        "bank\u200b.example",
        "x" * (NAME_MAX_CHARS + 1),
        " \r\n\t",
    ],
)
def test_a_name_with_a_web_address_or_too_long_is_refused_and_nothing_sent(
    client, draft, mailoutbox, mailed, name
):
    for url, data in [
        ("/journey/supporters/", {"name": name, "email": "x@example.org"}),
        (
            f"/applications/{draft.pk}/references/",
            {"name": name, "email": "x@example.org", "relationship": "other"},
        ),
    ]:
        page = mailed(client.post, url, data, follow=True).content.decode()
        assert "name: " in page
    assert not Supporter.objects.exists()
    assert not Reference.objects.exists()
    assert mailoutbox == []


def test_line_breaks_and_control_characters_never_reach_a_header(draft, mailoutbox, mailed):
    mailed(
        invite_supporter, draft.applicant, name="Mum\r\nBcc: everyone\x00", email="mum@example.org"
    )
    assert Supporter.objects.get().name == "Mum Bcc: everyone"  # one line, no NUL
    assert mailoutbox[0].body.startswith("Dear Mum Bcc: everyone,")
    assert mail_name("Dr. Ana López, M.Sc.") == ("Dr. Ana López, M.Sc.", False)  # not a domain


def test_the_applicants_own_name_is_cleaned_before_it_reaches_a_subject(draft, mailoutbox, mailed):
    applicant = draft.applicant
    applicant.display_name = (f"Ada {SPAM} " + "y" * 150)[:200]  # the column holds 200
    applicant.save()
    mailed(invite_supporter, applicant, name="Mum", email="mum@example.org")
    mail = mailoutbox[0]
    for part in (mail.subject, mail.body, mail.alternatives[0][0]):
        assert "bank-login" not in part
        assert "http://bank" not in part
    assert mail.subject.startswith("Ada URGENT")
    assert len(mail.subject) < NAME_MAX_CHARS + 50


# -- who asked -------------------------------------------------------------------------------


def test_each_email_says_who_asked_for_it_and_how_to_report_it(draft, mailoutbox, mailed, settings):
    settings.ASCENT_ABUSE_EMAIL = "abuse@ascent.example"
    mailed(invite_supporter, draft.applicant, name="Mum", email="mum@example.org")
    mailed(
        request_reference,
        draft,
        name="Dr. Mentor",
        email="m@example.org",
        relationship="mentor",
        by=draft.applicant.user,
    )
    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        for part in (mail.body, mail.alternatives[0][0]):
            assert "Ada (ada@example.org) asked Ascent to send you this e-mail" in part
            assert "If you do not know them, ignore it" in part
            assert "abuse@ascent.example" in part


# -- text parts are not HTML -------------------------------------------------------------------


def test_names_go_verbatim_into_the_text_and_escaped_into_the_html(draft, mailoutbox, mailed):
    applicant = draft.applicant
    applicant.display_name = 'Ada "Ace" O\'Neil'
    applicant.save()
    mailed(invite_supporter, applicant, name=QUOTED, email="bob@example.org")
    mailed(
        request_reference,
        draft,
        name=QUOTED,
        email="m@example.org",
        relationship="mentor",
        by=applicant.user,
    )
    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        html = mail.alternatives[0][0]
        assert f"Dear {QUOTED}," in mail.body
        assert 'Ada "Ace" O\'Neil' in mail.subject
        assert 'Ada "Ace" O\'Neil' in mail.body
        assert "&#x27;" not in mail.body + mail.subject
        assert "&quot;" not in mail.body
        assert "O&#x27;Brien &quot;Bob&quot; &lt;b&gt;" in html
        assert "<b>" not in html


def test_a_sign_up_name_with_a_web_address_is_refused(client):
    page = client.post(
        "/accounts/signup/",
        {
            "name": SPAM,
            "email": "spam@example.org",
            "password1": "navy-cobol-1906",
            "password2": "navy-cobol-1906",
        },
    )
    assert page.status_code == 200  # the form again, with its errors
    assert "cannot contain a web address" in str(page.context["form"].errors["name"])
    assert not Applicant.objects.exists()
