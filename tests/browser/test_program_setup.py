"""A program run in the browser from its template to its release, the staff never
visiting the administration (issue #16, "Done means"): the manager creates a fellowship
from its template, adds a question and a requirement (with its live count), sets the
panel to one review per application and opens the cycle; an applicant applies; the
manager invites two reviewers, closes and screens; the reviewers fill their profiles (one
imports a BibTeX file) and bid; the assignment follows the bids; they review; the manager
selects, reads an application's page and releases; a coordinator of the program cannot
release; a manager of another program sees none of it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.models import Application, ApplicationStatus
from ascent.decisions.models import Decision
from ascent.programs.models import Cycle, FormField, Program, TeamMember
from ascent.review.models import Assignment, Conflict, Review, Reviewer, ReviewState
from tests.browser.test_whole_cycle import sign_in, sign_out, verified
from tests.factories import ApplicationFactory

GEOLOGY_BIB = """@article{lava2021,
  title = {Basaltic lava flows and the volcanoes of {M}ars},
  abstract = {A field guide to sampling volcanic terrains on Earth as analogues for Mars.}
}
"""

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_runs_a_program_from_its_template_to_release_without_the_administration(
    live_server, page, shoot, accessible, tmp_path
):
    base = live_server.url
    verified("maker@example.org", is_staff=True)
    other = verified("other@example.org", is_staff=True)
    elsewhere = Program.objects.create(name="Elsewhere", slug="elsewhere", organisation="x")
    TeamMember.objects.create(program=elsewhere, user=other, role="manager")
    verified("applicant@example.org")
    coordinator = verified("coordinator@example.org", is_staff=True)
    geologist, physician = verified("gea@example.org"), verified("pau@example.org")
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
    # durations (years since the degree) are counted to the deadline
    deadline = (timezone.now() + dt.timedelta(days=200)).strftime("%Y-%m-%dT17:00")
    page.get_by_label("Deadline").fill(deadline)
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

    # One review per application: the panel is two people.
    page.get_by_role("link", name="Change “Panel review”").click()
    accessible(page, "stage")
    page.get_by_label("Reviews per application").fill("1")
    page.get_by_role("button", name="Save the stage").click()
    expect(page.get_by_text("Stage saved.")).to_be_visible()

    # The rubric's first criterion, its levels readable at both widths.
    page.get_by_role("link", name="Change “Project”").click()
    expect(page.get_by_label("Meaning (English)").first).to_have_value("No clear project.")
    accessible(page, "criterion")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"setup/criterion-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        box = page.get_by_label("Meaning (English)").first.bounding_box()
        assert box["width"] >= min(300, width - 120), box  # one level's box, readable
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Back").click()

    page.get_by_role("button", name="Open the cycle…").click()
    page.get_by_role("button", name="Yes, open it").click()
    expect(page.get_by_text("The cycle is open.")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"setup/set-up-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    TeamMember.objects.create(program=cycle.program, user=coordinator, role="coordinator")

    # An applicant applies; two more applied the same way (made here to save time).
    sign_in(page, base, "applicant@example.org")
    page.goto(f"{base}/programs/ada-fellowship/{cycle.slug}/")
    page.get_by_role("button", name="Start an application").first.click()
    graduated = (timezone.now() - dt.timedelta(days=700)).date().isoformat()
    page.get_by_label("Full name").fill("Vera Lava")
    page.get_by_label("Career stage").select_option("early")
    page.get_by_label("Highest degree").select_option("master")
    page.get_by_label("Date of your last degree").fill(graduated)
    page.get_by_label("Project title").fill("Listening to volcanoes")
    page.get_by_label("Statement of purpose").fill(
        "I will map basaltic lava flows and the volcanoes of Mars from their sound."
    )
    page.get_by_label("Favourite instrument").select_option("violin")
    page.get_by_role("button", name="Submit my application").click()
    expect(page.get_by_role("heading", name="Your application is in")).to_be_visible()
    sign_out(page)
    volcanoes = Application.objects.get(cycle=cycle, status=ApplicationStatus.SUBMITTED)
    answers = {"full_name": "Bo Bone", "career_stage": "early", "degree": "doctorate",
               "graduation": graduated, "project_title": "Bones in orbit",
               "favourite_instrument": "violin",
               "statement": "Bone loss of astronauts in long missions, and exercise against it."}  # fmt: skip
    bones = ApplicationFactory(cycle=cycle, applicant=applicant_of(verified("bo@example.org")),
                               status=ApplicationStatus.SUBMITTED, receipt="ADA-BONES",
                               submitted_at=timezone.now(), answers=answers)  # fmt: skip
    ApplicationFactory(cycle=cycle, applicant=applicant_of(verified("pia@example.org")),
                       status=ApplicationStatus.SUBMITTED, receipt="ADA-PIANO",
                       submitted_at=timezone.now(),
                       answers={**answers, "favourite_instrument": "piano"})  # fmt: skip

    # The manager invites the panel, closes the cycle and screens it.
    sign_in(page, base, "maker@example.org")
    for name, user in (("Gea Lopez", geologist), ("Pau Medina", physician)):
        page.goto(f"{base}/staff/cycles/{cycle.pk}/panel/")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Load limit per cycle").fill("1")
        page.get_by_role("button", name="Invite").click()
        expect(page.get_by_text(name).first).to_be_visible()
    assert Reviewer.objects.filter(program=cycle.program).count() == 2
    accessible(page, "panel")
    for width in (1280, 390):  # each member's row has its own small form
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"setup/panel-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/staff/cycles/{cycle.pk}/setup/")
    page.get_by_role("button", name="Close the cycle…").click()
    page.get_by_role("button", name="Yes, close it").click()
    expect(page.get_by_text("The cycle is closed.")).to_be_visible()
    page.goto(f"{base}/staff/cycles/{cycle.pk}/")
    page.get_by_role("button", name="Screen every submitted application").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    sign_out(page)
    assert {a.receipt: a.status for a in Application.objects.filter(cycle=cycle)}[
        "ADA-PIANO"] == ApplicationStatus.INELIGIBLE  # fmt: skip

    # The reviewers fill their profiles and bid. The geologist knows the volcano
    # applicant (a conflict); the physician is eager to read it.
    bib = tmp_path / "gea.bib"
    bib.write_text(GEOLOGY_BIB)
    for user, bids in ((geologist, {volcanoes.receipt: "Conflict: I know the applicant"}),
                       (physician, {volcanoes.receipt: "Eager to review"})):  # fmt: skip
        sign_in(page, base, user.email)
        page.goto(f"{base}/review/profile/")
        if user == geologist:
            page.get_by_label("Keywords, separated by commas").fill("volcanoes, mars")
            page.get_by_label("Or import your publications from a file").set_input_files(bib)
        else:
            page.get_by_label("Keywords, separated by commas").fill("bone loss, exercise")
            page.get_by_role("textbox", name=re.compile("^Your publications")).fill(
                "Muscle and bone loss in long missions: countermeasures with exercise."
            )
        page.get_by_role("button", name="Save my profile").click()
        expect(page.get_by_text("Profile saved")).to_be_visible()
        accessible(page, "profile")
        page.goto(f"{base}/review/")
        page.get_by_role("link", name=re.compile("^Bid on Panel review")).click()
        for receipt, level in bids.items():
            page.locator("fieldset", has_text=receipt).get_by_label(level).check()
        accessible(page, "bids")
        page.get_by_role("button", name="Save the bids on this page").click()
        sign_out(page)
    assert Conflict.objects.filter(reviewer__user=geologist, applicant=volcanoes.applicant).exists()

    # The assignment follows the bids, against the topics: never the declared conflict.
    sign_in(page, base, "maker@example.org")
    page.goto(f"{base}/staff/cycles/{cycle.pk}/")
    page.get_by_role("button", name="Assign reviewers: Panel review").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    given = dict(Assignment.objects.filter(stage__cycle=cycle)
                 .values_list("application__receipt", "reviewer__user__email"))  # fmt: skip
    assert given == {volcanoes.receipt: physician.email, bones.receipt: geologist.email}
    # Giving one application by hand: the panel by name, with affinity, load and conflicts.
    page.goto(f"{base}/staff/applications/{volcanoes.pk}/")
    page.get_by_role("button", name="Give it to a reviewer by hand…").click()
    expect(page.get_by_text("Gea Lopez has a conflict with this applicant")).to_be_visible()
    accessible(page, "assign by hand")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"setup/assign-by-hand-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    # They review.
    for user, score in ((geologist, "4"), (physician, "2")):
        sign_in(page, base, user.email)
        assignment = Assignment.objects.get(reviewer__user=user)
        page.goto(f"{base}/review/{assignment.pk}/")
        for criterion in cycle.criteria.all():
            page.locator(f"input[name='score-{criterion.pk}'][value='{score}']").check()
        page.get_by_label("How sure are you?").select_option("4")
        page.get_by_role("button", name="Submit and open the next").click()
        expect(page.get_by_text("Review submitted.")).to_be_visible()
        sign_out(page)
    assert Review.objects.filter(state=ReviewState.SUBMITTED).count() == 2

    # The manager selects, reads one application's page; the coordinator cannot release.
    sign_in(page, base, "maker@example.org")
    page.goto(f"{base}/staff/cycles/{cycle.pk}/")
    page.get_by_role("button", name="Calibrate, select and audit").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    page.goto(f"{base}/staff/cycles/{cycle.pk}/board/")
    page.get_by_role("link", name="ADA-BONES").click()
    expect(page.get_by_role("heading", name="Application ADA-BONES")).to_be_visible()
    expect(page.get_by_text("Gea Lopez").first).to_be_visible()
    accessible(page, "application page")
    sign_out(page)
    sign_in(page, base, "coordinator@example.org")
    page.goto(f"{base}/staff/cycles/{cycle.pk}/")
    expect(page.get_by_role("link", name=re.compile("release", re.I))).to_have_count(0)
    page.goto(f"{base}/staff/cycles/{cycle.pk}/release/")  # the preview is readable
    expect(page.get_by_role("button", name=re.compile("^Release all"))).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = page.request.post(f"{base}/staff/cycles/{cycle.pk}/release/",
                               form={"csrfmiddlewaretoken": token},
                               headers={"Referer": page.url})  # fmt: skip
    assert forged.status == 403
    sign_out(page)
    assert not Decision.objects.filter(cycle=cycle, released_at__isnull=False).exists()
    sign_in(page, base, "maker@example.org")
    page.goto(f"{base}/staff/cycles/{cycle.pk}/release/")
    page.get_by_role("button", name=re.compile("^Release all")).click()
    expect(page.get_by_text("Released:")).to_be_visible()
    assert Decision.objects.filter(cycle=cycle, released_at__isnull=False).count() == 3
    sign_out(page)

    sign_in(page, base, "other@example.org")
    response = page.goto(f"{base}/staff/cycles/{cycle.pk}/setup/")
    assert response.status == 404
    page.goto(f"{base}/staff/")
    expect(page.get_by_text("Ada Fellowship")).to_have_count(0)
    assert not [url for url in visited if "/admin/" in url]
