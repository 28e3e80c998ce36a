"""An applicant, a recommender and a returning applicant, in a real browser.

Each main page is screenshotted (test-results/screenshots/) and checked with axe-core.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.models import Application, ApplicationStatus, Reference
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.models import CycleState
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_sign_up_apply_check_fix_submit_and_get_a_letter(live_server, page, open_cycle, shoot,
                                                         accessible, settings):  # fmt: skip
    settings.SITE_URL = live_server.url
    base = live_server.url
    mail.outbox.clear()

    # Sign up, verify the address from the e-mail: that signs her in.
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_name", "Ada Lovelace")
    page.fill("#id_email", "ada@example.org")
    page.fill("#id_password1", "analytical-engine-1843")
    page.fill("#id_password2", "analytical-engine-1843")
    shoot(page, "01-sign-up")
    accessible(page, "sign up")
    page.get_by_role("button", name="Sign Up").click()
    confirm = link_in(mail.outbox[-1])
    page.goto(base + confirm)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # confirmed: signed in

    # The cycle page, then a new application.
    page.goto(f"{base}/programs/{open_cycle.program.slug}/{open_cycle.slug}/")
    expect(page.get_by_text("1,000 hours of jet time")).to_be_visible()
    # The deadline, rewritten in the reader's time zone by the page's script.
    expect(page.locator("time[data-local]").first).to_contain_text(" at ")
    shoot(page, "02-cycle")
    accessible(page, "cycle")
    page.get_by_role("button", name="Start an application").click()
    expect(page.get_by_role("heading", name="Your application")).to_be_visible()

    # Fill in, with a record; save; the self-check fails on jet time.
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Jet hours").fill("650")
    page.get_by_label("Citizenship").select_option("FR")
    page.get_by_label("English").check()
    page.locator("[name='degrees.0.field']").fill("Mathematics")
    page.locator("[name='degrees.0.year']").fill("2010")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Check my eligibility").click()
    expect(page.get_by_text("650 of the 1,000 h of jet time required")).to_be_visible()
    shoot(page, "03-self-check")
    accessible(page, "application form")

    # Enter in a text field saves the draft and keeps every record.
    page.get_by_role("button", name="Add to degrees").click()
    page.locator("[name='degrees.1.field']").fill("Physics")
    page.locator("[name='degrees.1.year']").fill("2012")
    page.get_by_label("Full name").press("Enter")
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    application = Application.objects.get(cycle=open_cycle)
    assert [d["field"] for d in application.answers["degrees"]] == ["Mathematics", "Physics"]

    # A record is removed by its own button, and "Undo" puts it back.
    page.get_by_role("button", name="Remove 1").click()
    expect(page.locator("[name='degrees.0.field']")).to_have_value("Physics")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("[name='degrees.0.field']")).to_have_value("Mathematics")
    expect(page.locator("[name='degrees.1.field']")).to_have_value("Physics")

    # One wrong answer among right ones: the right ones are saved, the wrong one is kept
    # as typed beside its message, and all of them are there after a reload.
    page.get_by_label("Full name").fill("Ada King")
    page.get_by_label("Jet hours").fill("-5")
    page.get_by_label("Spanish").check()
    page.locator("[name='degrees.1.year']").fill("2013")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".field.invalid")).to_have_count(1)
    page.goto(page.url)
    expect(page.locator(".field.invalid")).to_have_count(1)
    expect(page.get_by_label("Jet hours")).to_have_value("-5")
    expect(page.get_by_label("Full name")).to_have_value("Ada King")
    expect(page.get_by_label("Spanish")).to_be_checked()
    expect(page.locator("[name='degrees.1.year']")).to_have_value("2013")
    shoot(page, "03b-kept-as-typed")
    application.refresh_from_db()
    assert application.answers["full_name"] == "Ada King"
    assert application.held_answers == {"jet_hours": -5}

    # Fix, check again, submit.
    page.get_by_label("Jet hours").fill("1200")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Check my eligibility").click()
    expect(page.get_by_text("✓ Met")).to_be_visible()
    page.get_by_role("button", name="Submit my application").click()
    expect(page.get_by_role("heading", name="Your application is in")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    expect(page.get_by_text(application.receipt)).to_be_visible()
    shoot(page, "04-submitted")
    accessible(page, "submitted")

    # Ask for a reference; the recommender, with no account, writes and submits it.
    page.goto(f"{base}/applications/{application.pk}/")
    page.get_by_label("Recommender's name").fill("Charles Babbage")
    page.get_by_label("Their e-mail").fill("charles@example.org")
    page.get_by_label("Relationship").select_option("mentor")
    page.get_by_role("button", name="Request a reference").click()
    expect(page.get_by_role("cell", name="Requested")).to_be_visible()
    letter_link = link_in(mail.outbox[-1])

    recommender = page.context.browser.new_context().new_page()
    recommender.goto(base + letter_link)
    expect(recommender.get_by_text("Ada Lovelace asked you for a letter")).to_be_visible()
    shoot(recommender, "05-letter")
    accessible(recommender, "letter")
    recommender.get_by_label("Your letter").fill(
        "Miss Lovelace understands the engine better than I."
    )
    recommender.get_by_role("button", name="Submit the letter").click()
    expect(recommender.get_by_text("your letter is in")).to_be_visible()

    page.reload()
    expect(page.get_by_role("cell", name="Submitted")).to_be_visible()
    expect(page.get_by_text("understands the engine")).to_have_count(0)
    assert Reference.objects.get().letter.startswith("Miss Lovelace")

    # Withdrawing asks first, and can be undone until the deadline.
    page.goto(f"{base}/applications/{application.pk}/")
    page.get_by_role("button", name="Withdraw this application").click()
    expect(page.get_by_role("heading", name="Withdraw your application?")).to_be_visible()
    shoot(page, "05b-withdraw-asks")
    accessible(page, "withdraw confirmation")
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.get_by_role("button", name="Reopen my application").click()
    page.get_by_role("button", name="Submit my application").click()
    expect(page.get_by_role("heading", name="Your application is in")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    page.goto(f"{base}/journey/")
    shoot(page, "06-journey")
    accessible(page, "journey")


def test_reapply_starts_from_last_time(live_server, page, open_cycle, shoot, accessible):
    base = live_server.url
    user = UserFactory(username="grace@example.org", first_name="Grace")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    earlier = copy_cycle(open_cycle, name="Last year", slug="last-year",
                         opens_at=open_cycle.opens_at - dt.timedelta(days=365),
                         deadline=open_cycle.deadline - dt.timedelta(days=365),
                         state=CycleState.DECIDED)  # fmt: skip
    ApplicationFactory(cycle=earlier, applicant=applicant_of(user), status="not_selected",
                       submitted_at=timezone.now() - dt.timedelta(days=300),
                       answers={"full_name": "Grace Hopper", "jet_hours": 900, "citizenship": "US"})  # fmt: skip

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "grace@example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{base}/programs/{open_cycle.program.slug}/{open_cycle.slug}/")
    page.get_by_role("button", name="Start from my application to Last year").click()
    expect(page.get_by_label("Full name")).to_have_value("Grace Hopper")
    expect(page.get_by_label("Jet hours")).to_have_value("900")
    expect(page.get_by_text("Started from your last application")).to_be_visible()
    shoot(page, "07-reapply")
    accessible(page, "reapply")
