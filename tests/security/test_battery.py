"""One battery of bad inputs, thrown at every form of the site and every API write.

The forms are found by walking the site: every page of the permission matrix's RULES is
fetched as a role that may see it, and every form on it that posts is collected (so a
new page's forms are covered without being listed). The API's operations come from its
OpenAPI schema. Each bad value goes into one field at a time, the others keeping what
the page offered. Every answer must be below 500; a script never comes back unescaped;
and no application ends up holding answers its form refuses (nothing partial).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.domain.links import new_token
from ascent.applications.models import Application, Reference
from ascent.common.domain.tokens import create_token
from ascent.engine.forms import validate_answers
from ascent.programs.domain.forms import form_of
from tests.factories import ApplicationFactory
from tests.test_permission_matrix import ACCOUNT_PAGES, RULES
from tests.test_permission_matrix import world as world

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('battery')</script>"
BATTERY = [
    "1" + "0" * 400, "-1", "-2.5", "2.5", "1e400", "NaN", "\x00", "x" * 1_000_000,
    "\u202egnp.exe", "e\u0301" * 40, "🚀👩‍🚀" * 10, "\uff1d\uff11", SCRIPT,
    '"><img src=x onerror=alert(1)>', "Name\r\nBcc: victim@example.org", "' OR 1=1 --", "",
]  # fmt: skip
JSON_BATTERY = [
    10**400, -1, -2.5, 2.5, "\x00", "x" * 1_000_000, True, None, [], {}, [[[[[]]]]],
    {"a": {"b": {"c": [1, {"d": None}]}}}, "\u202e", "\uff1d", SCRIPT, "a\r\nb",
]  # fmt: skip
SKIP_ACTIONS = ("/accounts/logout/",)  # signing out ends the walk, not a bad input


class Forms(HTMLParser):
    """The page's forms that post: action, and each named field's first value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = {}
            self.forms.append((a.get("action") or "", self._current))
        elif self._current is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if name and name != "csrfmiddlewaretoken" and a.get("type") != "file":
                checked = a.get("type") not in ("checkbox", "radio") or "checked" in a
                if name not in self._current or checked:
                    self._current[name] = (a.get("value") or "") if checked else ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


@pytest.fixture
def battery_world(world, open_cycle):
    """The permission matrix's world, plus a draft to fill and a letter still to write."""
    users, values = world
    draft = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(users["other"]),
                               answers={"full_name": "Bea"})  # fmt: skip
    token, token_hash = new_token()
    Reference.objects.create(application=Application.objects.get(pk=values["own"]),
                             recommender_name="Writer", recommender_email="w@example.org",
                             relationship="mentor", token_hash=token_hash,
                             requested_at=timezone.now())  # fmt: skip
    pages = {f"/applications/{draft.pk}/": "other", f"/letters/{token}/": "anonymous"}
    for template, method, roles in {**RULES, **ACCOUNT_PAGES}.values():
        if method == "get":
            order = ("anonymous", "staff", "reviewer", "applicant", "other", "recommender")
            role = next((r for r in order if r in roles), None)
            pages.setdefault(template.format(**values), role)
    return users, pages


def _forms(client, users, pages) -> list[tuple[str, str, dict[str, str]]]:
    found, seen = [], set()
    for url, role in pages.items():
        client.logout()
        if role in users:
            client.force_login(users[role])
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            target = urlsplit(action).path or url
            key = (target, tuple(sorted(fields)))
            if fields and key not in seen and not target.startswith(SKIP_ACTIONS):
                seen.add(key)
                found.append((role, target, fields))
    return found


def test_every_form_survives_the_battery(client, battery_world, mailoutbox):
    users, pages = battery_world
    client.raise_request_exception = False  # collect every failure, then report them all
    forms = _forms(client, users, pages)
    targets = {target for _role, target, _fields in forms}
    # the walk reaches the forms that matter (a broken walk would pass vacuously)
    for expected in (
        "/journey/supporters/",
        "/account/delete/",
        "/accounts/login/",
        "/i18n/setlang/",
    ):
        assert expected in targets, expected
    assert any("/references/" in t for t in targets)
    assert any(t.startswith("/review/") for t in targets)
    assert any(t.startswith("/staff/") for t in targets)
    assert any(t.startswith("/letters/") for t in targets)
    failures = []
    for role, target, fields in forms:
        client.logout()
        if role in users:
            client.force_login(users[role])
        for name in fields:
            for bad in BATTERY:
                response = client.post(target, {**fields, name: bad})
                body = response.content.decode(errors="replace") if not response.streaming else ""
                if response.status_code >= 500 or SCRIPT in body:
                    failures.append(f"{target} {name}={bad[:20]!r}: {response.status_code}")
    assert failures == []
    for application in Application.objects.select_related("cycle"):
        assert validate_answers(form_of(application.cycle), application.answers, complete=False) == [], application.pk  # fmt: skip


def _operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _body_properties(schema: dict, operation: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    if not ref:
        return {}
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]].get("properties", {})


def test_every_api_write_and_parameter_survives_the_battery(client, battery_world):
    from ascent.api.api import api

    users, _pages = battery_world
    client.raise_request_exception = False
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    own = Application.objects.filter(applicant__user=users["other"]).get()
    ids = {"application_id": own.pk, "assignment_id": 1, "cycle_id": own.cycle_id,
           "table": "board"}  # fmt: skip
    roles = {"applicant": users["other"], "reviewer": users["reviewer"], "staff": users["staff"]}
    failures, bodies = [], 0
    for path, method, operation in _operations(schema):
        user = roles.get((operation.get("tags") or ["staff"])[0], users["staff"])
        _token, secret = create_token(user, "battery")
        headers = {"Authorization": f"Bearer {secret}"}
        url = path
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(ids.get(parameter["name"], 1)))
        call = getattr(client, method)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                for bad in BATTERY[:-2]:  # a 1 MB query string is the web server's to refuse
                    if len(bad) < 10_000:
                        response = call(url, {parameter["name"]: bad}, headers=headers)
                        if response.status_code >= 500:
                            failures.append(
                                f"{method} {path}?{parameter['name']}: {response.status_code}"
                            )
        for prop in _body_properties(schema, operation):
            for bad in JSON_BATTERY:
                payloads = [
                    {prop: bad},
                    {prop: {"full_name": bad, "jet_hours": bad, "degrees": [{"year": bad}]}},
                ]
                for payload in payloads:
                    response = call(url, json.dumps(payload), content_type="application/json",
                                    headers=headers)  # fmt: skip
                    bodies += 1
                    if response.status_code >= 500:
                        failures.append(
                            f"{method} {path} {prop}={str(bad)[:20]!r}: {response.status_code}"
                        )
                    elif response.status_code in (400, 413, 422):
                        detail = response.json().get("detail")
                        if not detail:
                            failures.append(f"{method} {path} {prop}: no detail")
    assert failures == []
    assert bodies >= 40  # the schema's writes were reached
    own.refresh_from_db()
    assert validate_answers(form_of(own.cycle), own.answers, complete=False) == []
