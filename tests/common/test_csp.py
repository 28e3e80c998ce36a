"""The Content-Security-Policy: on every response, in production as in development, and
page templates that keep to it (the browser test, tests/browser/test_csp.py, loads the
pages themselves)."""

import re
from pathlib import Path

import pytest

from tests.common.test_settings import CHECK_DEPLOY, PRODUCTION, run

ROOT = Path(__file__).resolve().parents[2]
STRICT = {
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
    "base-uri 'self'", "object-src 'none'",
}  # fmt: skip

HEADER_IN_PRODUCTION = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ascent.settings'; django.setup();"
    "from django.test import Client;"
    "r = Client().get('/health/', secure=True, headers={'host': 'ascent.example.org'});"
    "print(r.status_code); print(r.headers.get('Content-Security-Policy'))"
)


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def test_production_serves_the_strict_policy(tmp_path):
    result = run(HEADER_IN_PRODUCTION, tmp_path, **PRODUCTION)
    status, header = result.stdout.splitlines()
    assert status == "200", result.stderr
    assert directives(header) == STRICT


def test_check_deploy_stays_clean_with_the_policy(tmp_path):
    result = run(CHECK_DEPLOY, tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status"), [("/", 200), ("/?q=%00", 400), ("/nowhere/", 404)])
def test_pages_carry_the_policy_in_development_too(client, settings, path, status):
    settings.DEBUG = False  # (django-csp leaves Django's debug 404 page alone)
    response = client.get(path)
    assert response.status_code == status
    assert directives(response["Content-Security-Policy"]) == STRICT


# What the policy refuses, written into a page template. E-mails are not pages: their
# templates (*/email/*) keep the inline styles that mail readers need.
INLINE = {
    "a <script> with a body": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)", re.I
    ),
    "an on...= handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "a style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a javascript: address": re.compile(r"javascript:", re.I),
}


def page_templates() -> list[Path]:
    found = sorted((ROOT / "ascent").glob("**/templates/**/*.html"))
    return [path for path in found if "email" not in path.parent.parts]


def test_page_templates_have_no_inline_script_or_style():
    templates = page_templates()
    assert len(templates) > 20
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []
