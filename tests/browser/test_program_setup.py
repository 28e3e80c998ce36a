"""A program manager sets a program up in the browser, never visiting the
administration: a fellowship from its template, a question added, a requirement written
with its live check, the cycle opened; an applicant then meets the new question; a
manager of another program sees none of it (issue #16)."""

import pytest
from playwright.sync_api import expect

from ascent.programs.models import Cycle, FormField, Program, TeamMember
from tests.browser.test_whole_cycle import sign_in, sign_out, verified

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_sets_up_a_program_without_the_administration(live_server, page, shoot,
                                                                accessible):  # fmt: skip
    base = live_server.url
    verified("maker@example.org", is_staff=True)
    other = verified("other@example.org", is_staff=True)
    elsewhere = Program.objects.create(name="Elsewhere", slug="elsewhere", organisation="x")
    TeamMember.objects.create(program=elsewhere, user=other, role="manager")
    verified("applicant@example.org")
    visited = []
    page.on("request", lambda request: visited.append(request.url))

    sign_in(page, base, "maker@example.org")
    page.goto(f"{base}/staff/")
    page.get_by_role("link", name="New program from a template").click()
    accessible(page, "new program")
    page.get_by_label("Fellowship or scholarship", exact=False).check()
    page.get_by_label("Program name", exact=True).fill("Ada Fellowship")
    page.get_by_label("Program name in Spanish").fill("Beca Ada")
    page.get_by_label("Organisation").fill("Ada Trust")
    page.get_by_label("Opens").fill("2026-01-01T09:00")
    page.get_by_label("Deadline").fill("2099-03-31T17:00")
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", name="Set-up")).to_be_visible()
    expect(page.get_by_text("Statement of purpose").first).to_be_visible()  # the preview
    accessible(page, "set-up")
    cycle = Cycle.objects.get(program__slug="ada-fellowship")

    page.get_by_role("link", name="Add a question").click()
    accessible(page, "new question")
    page.get_by_label("Question (English)").fill("Favourite instrument")
    page.get_by_label("Question (Spanish)").fill("Instrumento favorito")
    page.get_by_label("Kind of answer").select_option("choice")
    page.locator("#choices").fill("piano | Piano | Piano\nviolin | Violin | Violín")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_text("Question added.")).to_be_visible()
    assert FormField.objects.filter(cycle=cycle, key="favourite_instrument").exists()

    page.get_by_role("link", name="Add a requirement").click()
    page.get_by_label("Name", exact=True).fill("Plays the violin")
    page.get_by_label("Condition 1: what").select_option("field:favourite_instrument")
    page.get_by_label("comparison").first.select_option("==")
    page.get_by_label("value").first.fill("Violin")
    # the live check says the rule as applicants will read it (htmx, nothing saved)
    expect(page.get_by_text("Favourite instrument is Violin")).to_be_visible()
    accessible(page, "new requirement")
    page.get_by_role("button", name="Save the requirement").click()
    expect(page.get_by_text("Requirement saved.")).to_be_visible()
    assert cycle.requirements.filter(key="plays-the-violin").exists()

    page.get_by_role("button", name="Open the cycle…").click()
    page.get_by_role("button", name="Yes, open it").click()
    expect(page.get_by_text("The cycle is open.")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"setup/set-up-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    sign_in(page, base, "applicant@example.org")
    page.goto(f"{base}/programs/ada-fellowship/{cycle.slug}/")
    page.get_by_role("button", name="Start an application").first.click()
    expect(page.get_by_label("Favourite instrument")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "other@example.org")
    response = page.goto(f"{base}/staff/cycles/{cycle.pk}/setup/")
    assert response.status == 404
    page.goto(f"{base}/staff/")
    expect(page.get_by_text("Ada Fellowship")).to_have_count(0)
    assert not [url for url in visited if "/admin/" in url]
