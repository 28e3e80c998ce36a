"""The demo, walked in a browser (issue #14, "Done means"): a database made by
``ascent demo --no-serve`` (not a hand-made fixture), served by ``manage.py runserver``.

Maya's journey shows criterion names with targets, a chance in 100, missed requirements
with amounts and the chart with its axis, in English and Spanish; "what if" flips her
eligibility; staff select, audit and release the ready cycle; her family hears the news
by e-mail and leaves a note; her mentor comments on a shared draft, and the program's
pages never show it.

The demo takes about a minute to build: this runs once, on SQLite (the demo's database),
and is skipped in the PostgreSQL round.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
MAYA = ("maya.castellanos@example.org", "ascent-maya-demo")
STAFF = ("staff@example.org", "ascent-staff-demo")

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="the demo walk runs once, in the SQLite round"
    ),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo database and a server on it; yields the server's address."""
    var = tmp_path_factory.mktemp("demo")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(ASCENT_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="ascent.settings")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    built = subprocess.run([sys.executable, "-m", "ascent.cli.main", "demo", "--no-serve"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}",
                               "--noreload"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()  # noqa: S310 - our server
            break
        except OSError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=20)


def sign_in(page, base, who):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", who[0])
    page.fill("#id_password", who[1])
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("button", name=re.compile("Sign out|Cerrar sesión"))).to_be_visible()


def outbox_body(page, base, to: str, subject: str) -> str:
    page.goto(f"{base}/outbox/?to={to}")
    message = page.locator("details", has_text=subject).first
    message.locator("summary").click()
    return message.locator("pre").inner_text()


def test_the_demo_as_maya_her_people_and_staff(demo, page, shoot, accessible):
    base = demo
    # Maya's journey, in English: the map of each "no".
    sign_in(page, base, MAYA)
    page.goto(f"{base}/journey/")
    expect(page.get_by_role("img", name="Distance to the cutoff across cycles")).to_be_visible()
    # Older cycles are folded to their title and outcome; a click opens each.
    folded = page.locator("details.step")
    assert folded.count() >= 8
    assert page.get_by_text(
        "Where you stood, criterion by criterion"
    ).first.is_visible()  # the last
    older = folded.first.get_by_text(re.compile(r"Receipt ASC-")).first
    assert not older.is_visible()
    folded.first.locator("summary").click()
    expect(older).to_be_visible()
    page.evaluate("document.querySelectorAll('details.step').forEach(d => d.open = true)")
    body = page.locator("main").inner_text()
    assert "Technical expertise" in body  # criteria by name...
    assert "Target" in body  # ...with their targets
    assert re.search(r"\d+ (in|of) 100", body)  # the chance of selection
    assert re.search(r"of the [\d,]+ .* required", body)  # a missed requirement's amount
    assert "Elena" not in body  # (no invented people: the world's supporters only)
    assert "Notes from the people behind you" in body
    shoot(page, "20-demo-journey")
    accessible(page, "demo journey")

    # The same page in Spanish: the engine's sentences and the numbers too.
    spanish = page.context.browser.new_context(locale="es-ES")
    es = spanish.new_page()
    sign_in(es, base, MAYA)
    es.goto(f"{base}/journey/")
    expect(es.get_by_role("heading", name="Mi trayectoria")).to_be_visible()
    es.evaluate("document.querySelectorAll('details.step').forEach(d => d.open = true)")
    assert re.search(r"se exigen [\d\s\u00a0.]+", es.locator("main").inner_text())
    es.set_viewport_size({"width": 390, "height": 844})
    es.goto(f"{base}/journey/")
    shoot(es, "21-demo-journey-es-390")
    accessible(es, "demo journey in Spanish at 390 px")
    spanish.close()

    # "What if": the flight log decides eligibility; taking the hours away flips it.
    page.goto(f"{base}/journey/")
    page.locator("a[href*='/journey/what-if/']").first.click()
    expect(page.get_by_text("You would meet every requirement.")).to_be_visible()
    # (jet time as pilot in command, or three years of related experience: both go)
    hours = page.locator("input[name^='flights.'][name$='.hours']")
    for i in range(hours.count()):
        hours.nth(i).fill("0")
    page.fill("input[name='experience_start']", time.strftime("%Y-01-01"))
    page.get_by_role("button", name="Show what would change").last.click()
    expect(page.get_by_text("You would not meet every requirement yet.")).to_be_visible()
    hours = page.locator("input[name^='flights.'][name$='.hours']")
    hours.first.fill("1500")
    page.get_by_role("button", name="Show what would change").last.click()
    expect(page.get_by_text("You would meet every requirement.")).to_be_visible()
    shoot(page, "22-demo-what-if")
    accessible(page, "what if")

    # Staff decide the ready cycle: select (calibrated, audited), look, release.
    sign_in(page, base, STAFF)
    page.goto(f"{base}/staff/")
    page.get_by_role("link", name=re.compile("2026")).first.click()
    page.get_by_role("button", name="Calibrate, select and audit").click()
    expect(page.get_by_text("Done.")).to_be_visible(timeout=120_000)
    page.go_back()
    page.reload()
    page.get_by_role("link", name="Selection board").first.click()
    expect(page.get_by_role("img", name="Calibrated composite with 95% intervals")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name=re.compile("Preview and release")).click()
    page.get_by_role("button", name=re.compile("Release all")).click()
    expect(page.get_by_text("Released:")).to_be_visible(timeout=120_000)

    # Her family, who get her milestones and outcomes, hear the news and leave a note.
    text = outbox_body(page, base, "lucia.castellanos", "was selected")
    assert "Maya Castellanos was selected" in text
    link = re.search(r"https?://[^/\s]+(/follow/\S+/)", text).group(1)
    page.context.clear_cookies()
    page.goto(base + link)
    page.get_by_label(re.compile("Your note")).fill("¡Lo lograste, Maya!")
    page.get_by_role("button", name="Leave the note").click()
    expect(page.get_by_text("Your note is on the journey.")).to_be_visible()
    sign_in(page, base, MAYA)
    page.goto(f"{base}/journey/")
    expect(page.get_by_text("¡Lo lograste, Maya!")).to_be_visible()

    # A draft for the open cycle, shared with her mentor, who comments; staff never see it.
    page.goto(f"{base}/")
    page.get_by_role("link", name=re.compile("2027")).first.click()
    page.get_by_role(
        "button", name=re.compile("Start from my application|Start an application")
    ).first.click()
    expect(page.get_by_role("heading", name="Your application")).to_be_visible()
    page.get_by_role("button", name="Ask for feedback").click()
    expect(page.get_by_text("has your request and a private link")).to_be_visible()
    sign_in(page, base, STAFF)  # the development outbox is for staff
    text = outbox_body(page, base, "amara.nwosu", "asks for your comments")
    link = re.search(r"https?://[^/\s]+(/follow/\S+/feedback/\d+/)", text).group(1)
    page.context.clear_cookies()
    page.goto(base + link)
    page.locator("textarea[name^='comment.']").first.fill(
        "Open with the twelfth try: it is your story."
    )
    page.get_by_role("button", name="Save the comment").first.click()
    expect(page.get_by_text("only the applicant reads it")).to_be_visible()
    shoot(page, "23-demo-mentor")
    accessible(page, "mentor's page")
    sign_in(page, base, MAYA)
    page.goto(f"{base}/journey/")
    page.get_by_role("link", name="Continue").first.click()
    expect(page.get_by_text("Open with the twelfth try")).to_be_visible()
    draft = page.url
    sign_in(page, base, STAFF)
    page.goto(draft.replace("/applications/", "/staff/applications/"))
    assert "twelfth try" not in page.content()


REVIEWER = ("reviewer1@panel.example.org", "ascent-reviewer-demo")


def _links(page, pattern: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "as => as.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if re.fullmatch(pattern, h)]


def test_every_main_page_at_1280_and_390_px_in_both_languages(demo, browser, accessible):
    """Issue #15, "Done means": each main page of the demo, for the person who reads it,
    at 1280 px and on a 390 px phone, in English and Spanish: a screenshot in
    test-results/screenshots/pages/, axe with no serious or critical violation, and no
    sideways scrolling."""
    base = demo
    folder = ROOT / "test-results" / "screenshots" / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    # Who reads which pages; the addresses that depend on the data are found by following
    # the links a person would follow.
    context = browser.new_context()
    page = context.new_page()
    pages: list[tuple[tuple[str, str] | None, str, str]] = [
        (None, "home", "/"), (None, "sign-in", "/accounts/login/"),
        (None, "sign-up", "/accounts/signup/"),
    ]  # fmt: skip
    page.goto(f"{base}/")
    pages.append((None, "cycle", page.locator("main a.button.primary").first.get_attribute("href")))
    sign_in(page, base, MAYA)
    page.goto(f"{base}/journey/")
    pages += [(MAYA, "journey", "/journey/"), (MAYA, "account", "/account/"),
              (MAYA, "what-if", _links(page, r"/journey/what-if/\d+/")[0])]  # fmt: skip
    drafts = _links(page, r"/applications/\d+/")
    if drafts:
        pages.append((MAYA, "application", drafts[0]))
    sign_in(page, base, REVIEWER)
    page.goto(f"{base}/review/")
    pages.append((REVIEWER, "review-queue", "/review/"))
    reviews = _links(page, r"/review/\d+/")
    if reviews:
        pages.append((REVIEWER, "review", reviews[0]))
    sign_in(page, base, STAFF)
    page.goto(f"{base}/staff/")
    cycle = _links(page, r"/staff/cycles/\d+/")[1]  # the cycle decided last
    page.goto(f"{base}{cycle}applications/")
    one = _links(page, r"/staff/applications/\d+/")[0]
    pages += [(STAFF, "staff-desk", "/staff/"), (STAFF, "staff-cycle", cycle),
              (STAFF, "staff-board", f"{cycle}board/"), (STAFF, "staff-list", f"{cycle}applications/"),
              (STAFF, "staff-application", one), (STAFF, "staff-analytics", f"{cycle}analytics/")]  # fmt: skip
    context.close()

    wide = []
    for language in ("en", "es"):
        for width in (1280, 390):
            context = browser.new_context(locale=language, viewport={"width": width, "height": 900},
                                          extra_http_headers={"Accept-Language": language})  # fmt: skip
            page = context.new_page()
            who_now = "nobody"
            for who, name, path in pages:
                if who != who_now:
                    if who is None:
                        context.clear_cookies()
                    else:
                        sign_in(page, base, who)
                    who_now = who
                page.goto(base + path)
                assert page.locator("html").get_attribute("lang") == language, path
                page.screenshot(path=str(folder / f"{name}-{language}-{width}.png"), full_page=True)
                accessible(page, f"{name} in {language} at {width} px")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    wide.append(f"{name} {language} {width}: {scroll} px")
            context.close()
    assert wide == []
