"""Every main page under the site's Content-Security-Policy, in a real browser: the header
is there and strict, and nothing on the page breaks it (no inline script or style, no
on...= handler, nothing from another site), including what htmx and ascent.js do."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.domain.links import invite_supporter, request_reference
from ascent.applications.models import Application, ApplicationStatus
from ascent.common.domain.jobs import create_job
from ascent.decisions.domain.deciding import decide_cycle
from ascent.review.models import Assignment
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Recorded from the first script that runs on each page, before the page's own.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.effectiveDirective} refused ${event.blockedURI || "?"}
    at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample || ""}`.trim());
});
"""


class Visitor:
    """One browser page that visits URLs and notes, per URL, what broke the policy."""

    def __init__(self, page, base: str):
        self.page, self.base, self.console, self.problems = page, base, [], {}
        self.response = None
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message: self.console.append(message.text))

    def sign_in_as(self, user) -> None:
        """Reuse a session made on the server: the sign-in form is tested elsewhere."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.page.context.clear_cookies()
        self.page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie,
                                        "url": self.base}])  # fmt: skip

    def visit(self, path: str, status: int = 200) -> None:
        self.console.clear()
        self.response = self.page.goto(self.base + path)
        self.check(path, status)

    def check(self, path: str, status: int = 200) -> None:
        """The page as it is now (after what the test did on it) since it was loaded."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(50)  # violation events are queued as tasks
        found = []
        if self.response.status != status:
            found.append(f"status {self.response.status}, not {status}")
        policy = self.response.headers.get("content-security-policy", "")
        for directive in ("frame-ancestors 'none'", "script-src 'self'"):
            if directive not in policy.split("; "):
                found.append(f"no {directive!r} in the header {policy!r}")
        found += self.page.evaluate("window.cspViolations")
        found += [text for text in self.console if "Content Security Policy" in text]
        if found:
            self.problems[path] = found


def test_every_main_page_obeys_the_content_security_policy(live_server, page, reopened,
                                                           open_cycle, settings):  # fmt: skip
    settings.SITE_URL = base = live_server.url
    decide_cycle(reopened, draws=20)
    staff = UserFactory(username="staff@example.org", is_staff=True, is_superuser=True)
    assignment = Assignment.objects.filter(stage__cycle=reopened).select_related(
        "reviewer__user").first()  # fmt: skip
    earlier = (
        Application.objects.filter(status=ApplicationStatus.NOT_SELECTED)
        .exclude(cycle=reopened).select_related("applicant__user").first()
    )  # fmt: skip
    applicant = earlier.applicant.user
    draft = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(applicant))
    _reference, letter = request_reference(draft, name="Ada", email="ada@example.org",
                                           relationship="mentor", by=applicant)  # fmt: skip
    _supporter, follow = invite_supporter(draft.applicant, name="Bob", email="bob@example.org",
                                          shares_gap_reports=True)  # fmt: skip
    job = create_job("screening", reopened, by=staff)  # queued: its page polls
    mail.outbox.clear()
    visitor = Visitor(page, base)
    cycle = f"/staff/cycles/{reopened.pk}"

    # Anyone.
    for path in ["/", f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/",
                 "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                 f"/letters/{letter}/", f"/follow/{follow}/"]:  # fmt: skip
        visitor.visit(path)
    visitor.visit("/?q=%00", status=400)  # the input guard's page

    # The language menu's script (ascent.js, not an onchange= attribute): a pick with the
    # pointer switches at once; arrowing from the keyboard waits for the button.
    visitor.visit("/")
    page.get_by_label("Language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Idioma").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").press("ArrowDown")
    page.wait_for_timeout(300)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("es")  # (keyboard still: no switch)
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Idioma").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visitor.check("/ (language switched)")

    # An applicant; the draft's autosave is htmx under the policy.
    visitor.sign_in_as(applicant)
    for path in ["/journey/", "/account/", f"/applications/{earlier.pk}/",
                 "/accounts/email/", "/accounts/password/change/"]:  # fmt: skip
        visitor.visit(path)
    visitor.visit(f"/applications/{draft.pk}/")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Jet hours").fill("1200")
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    visitor.check(f"/applications/{draft.pk}/ (autosaved)")

    # A reviewer.
    visitor.sign_in_as(assignment.reviewer.user)
    visitor.visit("/review/")
    visitor.visit(f"/review/{assignment.pk}/")

    # Staff, on a decided cycle; the job page polls with htmx.
    visitor.sign_in_as(staff)
    for path in ["/staff/", f"{cycle}/", f"{cycle}/board/", f"{cycle}/applications/",
                 f"{cycle}/analytics/", f"{cycle}/panel/", f"{cycle}/release/",
                 f"{cycle}/configuration/", "/outbox/", "/admin/",
                 "/admin/applications/application/",
                 f"/admin/applications/application/{draft.pk}/change/"]:  # fmt: skip
        visitor.visit(path)
    visitor.visit(f"/staff/jobs/{job.pk}/")
    with page.expect_response(f"{base}/staff/jobs/{job.pk}/") as poll:
        pass  # htmx asks again within a second
    assert poll.value.request.headers.get("hx-request") == "true"
    visitor.check(f"/staff/jobs/{job.pk}/ (polled)")

    assert visitor.problems == {}, "\n".join(
        f"{path}:\n  " + "\n  ".join(found) for path, found in visitor.problems.items()
    )


def test_the_api_docs_keep_to_the_policy_too(live_server, page):
    """Swagger UI (django-ninja's own copy, no CDN) sets styles from script, which the
    policy allows; trying a call is a fetch to the site itself."""
    visitor = Visitor(page, live_server.url)
    visitor.visit("/api/v1/docs")
    expect(page.get_by_role("heading", name="Ascent API")).to_be_visible()
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".live-responses-table").first).to_be_visible()
    visitor.check("/api/v1/docs (a call tried)")
    assert visitor.problems == {}
