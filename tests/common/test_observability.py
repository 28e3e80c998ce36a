"""Structured logs and request timing."""

import json
import logging

import pytest

from ascent.common.observability import JsonFormatter
from tests.common.test_settings import PRODUCTION, run
from tests.factories import UserFactory


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="ascent.request")
    return lambda: [r for r in caplog.records if r.name == "ascent.request"]


@pytest.mark.django_db
def test_every_request_is_timed_and_logged_with_an_id(client, request_lines):
    response = client.get("/health/")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert response["Server-Timing"].startswith("app;dur=")
    [line] = request_lines()
    assert (line.request_id, line.method, line.path, line.route, line.status) == (
        request_id, "GET", "/health/", "health/", 200,
    )  # fmt: skip
    assert line.duration_ms >= 0
    assert line.user_id is None  # the page never looked the user up, and neither do the logs


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_only_when_plain(client, request_lines):
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    forged = client.get("/health/", HTTP_X_REQUEST_ID='x" level="ERROR')["X-Request-ID"]
    assert forged != 'x" level="ERROR'
    assert len(forged) == 32


@pytest.mark.django_db
def test_a_signed_in_request_names_the_user_and_a_missing_page_is_logged(
    client, django_user_model, request_lines
):
    user = django_user_model.objects.create_user("ada@example.org", "ada@example.org", "pw-1234567")
    client.force_login(user)
    client.get("/account/")
    client.get("/no-such-page/")
    account, missing = request_lines()
    assert account.user_id == user.pk
    assert (missing.status, missing.route) == (404, None)


def test_json_lines_carry_the_fields_and_the_traceback():
    formatter = JsonFormatter()
    record = logging.makeLogRecord({"name": "ascent.request", "levelname": "INFO",
                                    "msg": "GET %s", "args": ("/",), "status": 200})  # fmt: skip
    entry = json.loads(formatter.format(record))
    assert entry["message"] == "GET /"
    assert entry["status"] == 200
    assert entry["logger"] == "ascent.request"
    assert entry["time"].endswith("+00:00")
    try:
        raise ValueError("broken")
    except ValueError:
        failed = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), __import__("sys").exc_info()
        )
    assert "ValueError: broken" in json.loads(formatter.format(failed))["exception"]


def test_production_logs_are_json_and_a_bad_format_is_refused(tmp_path):
    code = (
        "import django, os, logging; os.environ['DJANGO_SETTINGS_MODULE'] = 'ascent.settings';"
        "django.setup(); logging.getLogger('ascent.request').info('hello', extra={'status': 201})"
    )
    result = run(code, tmp_path, **PRODUCTION)
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert (entry["message"], entry["status"], entry["level"]) == ("hello", 201, "INFO")
    refused = run(code, tmp_path, LOG_FORMAT="xml")
    assert refused.returncode != 0
    assert "LOG_FORMAT must be json or text" in refused.stderr


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_a_503_to_try_again_not_a_500(client, monkeypatch):
    from django.db import OperationalError

    from ascent.api import api as api_module
    from ascent.portal import views

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client.raise_request_exception = False
    monkeypatch.setattr(views, "journey_of", down)
    user = UserFactory()
    client.force_login(user)
    page = client.get("/journey/")
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "pressing “Submit” again is safe" in page.content.decode()
    spanish = client.get("/journey/", HTTP_ACCEPT_LANGUAGE="es")
    assert "no se ha guardado nada" in spanish.content.decode()
    monkeypatch.setattr(api_module, "Program", type("Down", (), {"objects": property(down)})())
    api = client.get("/api/v1/programs")
    assert (api.status_code, api["Retry-After"]) == (503, "5")
    assert "nothing was saved" in api.json()["detail"]
    monkeypatch.setattr(views, "journey_of", lambda *a: 1 / 0)
    assert client.get("/journey/").status_code == 500  # any other fault stays a 500
