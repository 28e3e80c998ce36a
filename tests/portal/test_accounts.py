"""Accounts: sign up with e-mail verification, sign in, sign out, password reset."""

import re

import pytest
from django.contrib.auth import get_user_model

from ascent.applications.models import Applicant

pytestmark = pytest.mark.django_db


def link_in(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)


def test_sign_up_verify_and_sign_in(client, mailoutbox):
    page = client.post("/accounts/signup/", {"name": "Grace Hopper", "email": "grace@example.org",
                                             "password1": "navy-cobol-1906",
                                             "password2": "navy-cobol-1906"})  # fmt: skip
    assert page.status_code == 302
    user = get_user_model().objects.get(email="grace@example.org")
    assert Applicant.objects.get(user=user).display_name == "Grace Hopper"
    assert user.password.startswith("argon2") or user.password.startswith("md5")
    assert len(mailoutbox) == 1
    assert client.get("/journey/").status_code == 302  # not verified: not signed in

    body = mailoutbox[0].body
    assert user.username not in body or user.username == user.email  # never the user name
    assert "Hello from" not in body
    confirm = link_in(mailoutbox[0])
    client.post(confirm)
    assert client.get("/journey/").status_code == 200  # confirming signed her in
    client.post("/accounts/logout/")
    signed_in = client.post("/accounts/login/", {"login": "grace@example.org",
                                                 "password": "navy-cobol-1906"})  # fmt: skip
    assert signed_in.status_code == 302
    assert client.get("/journey/").status_code == 200
    assert "Sign out" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert client.get("/journey/").status_code == 302


def test_bad_sign_ups_name_the_field(client):
    page = client.post("/accounts/signup/", {"name": "", "email": "not-an-email",
                                             "password1": "short", "password2": "other"})  # fmt: skip
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "name" in errors
    assert "email" in errors
    assert not get_user_model().objects.exists()


def test_a_forgotten_password_is_reset_by_email(client, applicant, mailoutbox):
    client.logout()
    client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    assert len(mailoutbox) == 1
    reset = client.get(link_in(mailoutbox[0]), follow=True)
    form_url = reset.redirect_chain[-1][0] if reset.redirect_chain else link_in(mailoutbox[0])
    done = client.post(
        form_url, {"password1": "a-new-long-phrase", "password2": "a-new-long-phrase"}
    )
    assert done.status_code == 302
    assert client.login(username="ada@example.org", password="a-new-long-phrase")


def test_failed_logins_are_rate_limited(client, applicant):
    client.logout()
    statuses = [
        client.post(
            "/accounts/login/", {"login": "ada@example.org", "password": "wrong"}
        ).status_code
        for _ in range(12)
    ]
    assert 429 in statuses or any(s == 200 for s in statuses)


def test_account_emails_name_the_site_never_a_host(client, mailoutbox, settings):
    """Issue #20: the verification e-mail said "Hello from 127.0.0.1:8101"."""
    settings.SITE_NAME = "Space Consortium Careers"
    client.post("/accounts/signup/", {"name": "Grace Hopper", "email": "grace@example.org",
                                      "password1": "navy-cobol-1906",
                                      "password2": "navy-cobol-1906"},
                HTTP_HOST="127.0.0.1")  # fmt: skip
    [mail] = mailoutbox
    assert "an account on Space Consortium Careers" in mail.body
    assert "— Space Consortium Careers" in mail.body
    assert "127.0.0.1" not in mail.body.split("http")[0]
    assert "Hello from testserver" not in mail.body


def test_signing_up_to_apply_comes_back_to_the_cycle(client, open_cycle, mailoutbox):
    """Issue #15: "Create an account to apply" did not bring her back to the cycle."""
    cycle_url = f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/"
    page = client.get(cycle_url).content.decode()
    signup = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', page).group(1)
    client.post(signup.replace("&amp;", "&"), {"name": "Ana Ruiz", "email": "ana@example.org",
                                               "password1": "orbit-2027-ana",
                                               "password2": "orbit-2027-ana"})  # fmt: skip
    confirmed = client.post(link_in(mailoutbox[-1]))
    assert confirmed["Location"] == cycle_url
    assert "Sign out" in client.get(cycle_url).content.decode()
