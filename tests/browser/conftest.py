"""Browser tests: Playwright driving the system's Chromium (Debian's package), headless.

The browser is never downloaded: tests use CHROMIUM (default /usr/bin/chromium). Without
it, or without axe-core (installed from the npm registry into .cache/ by `make test`),
these tests are skipped with the reason, unless ASCENT_REQUIRE_BROWSER=1 (as in CI),
which turns the absence into a failure.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / ".cache" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-results" / "screenshots"
REQUIRED = os.environ.get("ASCENT_REQUIRE_BROWSER") == "1"

# Playwright's sync API keeps an event loop running in the test thread for the rest of
# the session; the ORM calls tests make (and database set-up and tear-down) are ordinary
# blocking calls. Subprocesses that run deployment checks drop this variable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing() -> str:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"no axe-core at {AXE} (make test installs it)"
    return ""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"browser tests are required (ASCENT_REQUIRE_BROWSER=1) but {missing}")
        pytest.skip(missing)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-dev-shm-usage"]}  # fmt: skip


@pytest.fixture
def shoot():
    """Save a full-page screenshot as a test artefact: test-results/screenshots/NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def accessible():
    """Run axe-core on the page; fail on any serious or critical violation."""

    def check(page, name: str) -> None:
        # Evaluated through the DevTools protocol: an inline <script> with axe's text (as
        # add_script_tag makes) is refused by the site's Content-Security-Policy.
        page.evaluate(AXE.read_text())
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        summary = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"]][:3]} for v in bad]  # fmt: skip
        assert not bad, f"{name}: " + json.dumps(summary, indent=1)

    return check


@pytest.fixture(autouse=True)
def _no_script_errors(page):
    """Any uncaught JavaScript error on any page fails the test."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield
    assert errors == []
