"""What no database can store (a NUL, a lone surrogate) is refused at the edge with the
parameter's name, on SQLite and PostgreSQL alike; so are bodies over the limit and JSON
nested too deep. The first case is the one the fuzzer found on PostgreSQL (issue #18)."""

import json

import pytest
from allauth.account.models import EmailAddress

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.models import Application
from tests.factories import ApplicationFactory, UserFactory, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory(username="nul@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def draft(open_cycle, owner):
    return ApplicationFactory(cycle=open_cycle, applicant=applicant_of(owner),
                              answers={"full_name": "Ada"})  # fmt: skip


def test_the_fuzzers_nul_in_a_query_parameter_is_a_422_naming_it(client, open_cycle):
    found = client.get("/api/v1/cycles?program=%C2%9C%F0%9F%9A%80%00x")
    assert found.status_code == 422
    [problem] = found.json()["detail"]
    assert problem["loc"] == ["query", "program"]
    assert "U+0000" in problem["msg"]
    assert client.get("/api/v1/cycles?program=%C2%9Cx").status_code == 200  # odd but storable


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications?status=%00",
        "/api/v1/cycles/1/exports/board?format=csv%00",
        "/api/v1/cycles?limit=1%00",
        "/api/v1/cycles?na%00me=1",
    ],
)
def test_every_api_query_parameter_refuses_a_nul(client, owner, url):
    owner.is_staff = True
    owner.save()
    found = client.get(url, headers=bearer(owner))
    assert found.status_code == 422
    assert found.json()["detail"][0]["loc"][0] == "query"


def test_a_nul_in_a_json_answer_is_a_422_at_its_place_and_nothing_is_saved(client, draft):
    url = f"/api/v1/me/applications/{draft.pk}/answers"
    for bad in ("Ada\x00", "\ud800"):
        body = json.dumps({"answers": {"full_name": "Bea", "degrees": [{"field": bad}]}})
        found = client.put(url, body, content_type="application/json", headers=bearer(draft.applicant.user))  # fmt: skip
        assert found.status_code == 422, bad
        assert found.json()["detail"][0]["loc"] == ["body", "answers", "degrees", 0, "field"]
    draft.refresh_from_db()
    assert draft.answers == {"full_name": "Ada"}


def test_a_nul_in_a_form_field_is_a_400_page_naming_the_field(client, draft):
    client.force_login(draft.applicant.user)
    url = f"/applications/{draft.pk}/"
    found = client.post(url, {"full_name": "Bea\x00", "action": "save"})
    assert found.status_code == 400
    page = found.content.decode()
    assert "full_name" in page
    assert "U+0000" in page
    assert "Back" in page
    draft.refresh_from_db()
    assert draft.answers == {"full_name": "Ada"}


def test_a_nul_in_the_path_a_page_query_or_a_header_is_a_400(client, open_cycle):
    assert client.get("/programs/a%00b/c/").status_code == 400
    assert client.get("/?q=%00").status_code == 400
    refused = client.get("/", headers={"X-Anything": "a\x00b"})
    assert refused.status_code == 400
    assert "x-anything" in refused.content.decode()


def test_a_file_name_with_a_nul_never_reaches_the_database(client, draft):
    """Django's upload parser drops unprintable characters from file names."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(draft.applicant.user)
    upload = SimpleUploadedFile("cv\x00.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    found = client.post(f"/applications/{draft.pk}/", {"cv": upload, "action": "save"})
    assert found.status_code in (200, 302)
    draft.refresh_from_db()
    assert "\x00" not in json.dumps(draft.answers)


def test_a_json_body_over_the_limit_is_a_413_that_says_the_limit(client, draft, settings):
    url = f"/api/v1/me/applications/{draft.pk}/answers"
    body = json.dumps({"answers": {"full_name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}})
    found = client.put(url, body, content_type="application/json", headers=bearer(draft.applicant.user))  # fmt: skip
    assert found.status_code == 413
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}" in found.json()["detail"][0]["msg"]


def test_json_nested_too_deep_is_a_422(client, draft):
    url = f"/api/v1/me/applications/{draft.pk}/answers"
    headers = bearer(draft.applicant.user)
    for depth in (40, 5000):  # 5,000 is past what Python's own JSON parser accepts
        body = '{"answers": {"full_name": ' + "[" * depth + "]" * depth + "}}"
        found = client.put(url, body, content_type="application/json", headers=headers)
        assert found.status_code == 422, depth
        assert found.json()["detail"][0]["loc"] == ["body"]
    assert Application.objects.get(pk=draft.pk).answers == {"full_name": "Ada"}


def test_every_api_operation_refuses_a_nul_in_each_parameter_and_its_body(client, owner):
    """Walks the OpenAPI schema, so that a new endpoint is covered without being listed."""
    from ascent.api.api import api

    owner.is_staff = True
    owner.save()
    headers = bearer(owner)
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    checked = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            url = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    url = url.replace("{" + parameter["name"] + "}", "1")
            call = getattr(client, method)
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                found = call(f"{url}?{parameter['name']}=a%00b", headers=headers)
                assert found.status_code == 422, (method, path, parameter["name"])
                assert found.json()["detail"][0]["loc"] == ["query", parameter["name"]]
                checked += 1
            if "requestBody" in operation:
                found = call(url, '{"a\\u0000": 1}', content_type="application/json", headers=headers)  # fmt: skip
                assert found.status_code == 422, (method, path)
                assert found.json()["detail"][0]["loc"] == ["body", "a\x00"]
                checked += 1
            if url != path:  # a path parameter, given a NUL
                found = call(url.replace("/1", "/1%00", 1), headers=headers)
                assert found.status_code == 400, (method, path)
    assert checked >= 8
