"""A whole cycle in the browser: staff screen and assign, two reviewers review, staff
select and release, and an applicant who was not selected reads their gap report."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.models import Application, ApplicationStatus
from ascent.decisions.models import Decision, Outcome
from ascent.programs.models import CycleState
from ascent.review.models import Assignment, Review, ReviewState
from tests.factories import ApplicationFactory, ReviewerFactory, StageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.context.clear_cookies()


def verified(username, **extra):
    user = UserFactory(username=username, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_whole_cycle(live_server, page, open_cycle, shoot, accessible):
    base = live_server.url
    open_cycle.capacity = 1
    open_cycle.save()
    criterion = open_cycle.criteria.get()
    criterion.advice = "Fly more hours with an instructor."
    criterion.save()
    StageFactory(cycle=open_cycle, key="panel", reviews_per_application=2)
    staff = verified("boss@example.org", is_staff=True)
    reviewers = [verified(f"rev{i}@example.org") for i in range(2)]
    for user in reviewers:
        ReviewerFactory(program=open_cycle.program, user=user, load_limit=4, expertise=["flight"])
    applicants = []
    for i, hours in enumerate([1500, 1200, 1100, 600]):
        user = verified(f"applicant{i}@example.org")
        applicants.append(user)
        ApplicationFactory(cycle=open_cycle, applicant=applicant_of(user),
                           status=ApplicationStatus.SUBMITTED, receipt=f"T-{i}",
                           submitted_at=timezone.now() - dt.timedelta(days=1),
                           answers={"full_name": f"Applicant {i}", "jet_hours": hours})  # fmt: skip
    open_cycle.state = CycleState.CLOSED
    open_cycle.deadline = timezone.now() - dt.timedelta(hours=1)
    open_cycle.save()

    # Staff: screen, then assign, from the desk; each job shows its progress page.
    sign_in(page, base, staff.email)
    page.goto(f"{base}/staff/cycles/{open_cycle.pk}/")
    page.get_by_role("button", name="Screen every submitted application").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    page.goto(f"{base}/staff/cycles/{open_cycle.pk}/")
    expect(page.get_by_text("failed “Jet time”: 1")).to_be_visible()
    page.get_by_role("button", name="Assign reviewers: Panel review").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    shoot(page, "10-staff-job")
    accessible(page, "staff job")
    assert Assignment.objects.count() == 6  # three eligible, two reviewers each
    sign_out(page)

    # Two reviewers review everything in their queue, from the keyboard-friendly page.
    for reviewer in reviewers:
        sign_in(page, base, reviewer.email)
        page.goto(f"{base}/review/")
        accessible(page, "queue")
        while True:
            pending = Assignment.objects.filter(reviewer__user=reviewer).exclude(
                review__state=ReviewState.SUBMITTED)  # fmt: skip
            if not pending.exists():
                break
            page.goto(f"{base}/review/{pending.first().pk}/")
            answers = Application.objects.get(pk=pending.first().application_id).answers
            score = (
                "9"
                if answers["jet_hours"] >= 1400
                else "6"
                if answers["jet_hours"] >= 1150
                else "4"
            )
            page.locator(f"input[name='score-{criterion.pk}'][value='{score}']").check()
            page.get_by_label("How sure are you?").select_option("4")
            if reviewer == reviewers[0]:
                shoot(page, "11-review")
                accessible(page, "review")
            page.get_by_role("button", name="Submit and open the next").click()
            expect(page.get_by_text("Review submitted.")).to_be_visible()
        sign_out(page)
    assert Review.objects.filter(state=ReviewState.SUBMITTED).count() == 6

    # Staff: select, look at the board, release.
    sign_in(page, base, staff.email)
    page.goto(f"{base}/staff/cycles/{open_cycle.pk}/")
    page.get_by_role("button", name="Calibrate, select and audit").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    page.goto(f"{base}/staff/cycles/{open_cycle.pk}/board/")
    expect(page.get_by_role("img", name="Calibrated composite with 95% intervals")).to_be_visible()
    shoot(page, "12-board")
    accessible(page, "board")
    # The board's receipt opens the application's own page: answers, eligibility, reviews
    # with their scores, the decision; on a phone too, with nothing scrolling sideways.
    page.get_by_role("link", name="T-1").click()
    expect(page.get_by_role("heading", name="Application T-1")).to_be_visible()
    expect(page.get_by_text("Eligible by the rules")).to_be_visible()
    expect(page.get_by_text("Calibrated composite")).to_be_visible()
    shoot(page, "12b-application")
    accessible(page, "staff application page")
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (page.url, f"{base}/staff/cycles/{open_cycle.pk}/board/"):
        page.goto(url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 390, (url, width)
    page.goto(f"{base}/staff/applications/{Application.objects.get(receipt='T-1').pk}/")
    shoot(page, "12c-application-390")
    accessible(page, "staff application page at 390 px")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/staff/cycles/{open_cycle.pk}/release/")
    expect(page.get_by_text("Congratulations: you are selected")).to_be_visible()
    shoot(page, "13-release")
    page.get_by_role("button", name="Release all 4 decisions").click()
    expect(page.get_by_text("Released:")).to_be_visible()
    sign_out(page)

    assert Decision.objects.get(application__receipt="T-0").outcome == Outcome.SELECTED
    # The second-best applicant reads how far they were and what would close the gap.
    sign_in(page, base, applicants[1].email)
    page.goto(f"{base}/journey/")
    expect(page.get_by_text("points below the cutoff")).to_be_visible()
    expect(page.get_by_text("What would most likely close the gap")).to_be_visible()
    expect(page.get_by_text("Fly more hours with an instructor.")).to_be_visible()
    shoot(page, "14-gap-report")
    accessible(page, "gap report")
