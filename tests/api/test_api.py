"""The JSON API: schema, authentication, the same rules as the pages, clear 4xx."""

import pytest
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of
from ascent.common.domain.tokens import create_token, revoke_token
from ascent.decisions.models import Decision
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CycleFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(open_cycle):
    owner = UserFactory(username="owner@example.org")
    staff = UserFactory(username="boss@example.org", is_staff=True)
    mine = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(owner), status="submitted",
                              submitted_at=timezone.now(), receipt="API-1",
                              answers={"full_name": "Owner"})  # fmt: skip
    other = ApplicationFactory(cycle=open_cycle, status="submitted", submitted_at=timezone.now(),
                               receipt="API-2")  # fmt: skip
    return {"owner": owner, "staff": staff, "mine": mine, "other": other}


def bearer(user):
    _token, secret = create_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


def test_the_schema_and_the_public_endpoints(client, open_cycle):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Ascent API"
    assert "/api/v1/me/applications" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
    programs = client.get("/api/v1/programs").json()
    assert programs[0]["slug"] == open_cycle.program.slug
    cycle = client.get(f"/api/v1/cycles/{open_cycle.pk}").json()
    assert cycle["requirements"][0]["rule"]["field"] == "jet_hours"
    assert {f["key"] for f in cycle["form"]} >= {"full_name", "degrees"}
    listed = client.get("/api/v1/cycles", {"limit": 1}).json()
    assert listed["count"] == 1
    missing = client.get("/api/v1/cycles/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "not found"}


def test_own_data_needs_a_token_or_a_session(client, people):
    anonymous = client.get("/api/v1/me/applications")
    assert anonymous.status_code == 401
    mine = client.get("/api/v1/me/applications", headers=bearer(people["owner"])).json()
    assert [a["receipt"] for a in mine] == ["API-1"]
    client.force_login(people["owner"])
    assert client.get("/api/v1/me/applications").status_code == 200


def test_a_revoked_token_stops_at_once(client, people):
    token, secret = create_token(people["owner"], "laptop")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me/applications", headers=headers).status_code == 200
    revoke_token(token, by=people["owner"])
    assert client.get("/api/v1/me/applications", headers=headers).status_code == 401
    assert client.get("/api/v1/me/applications",
                      headers={"Authorization": "Bearer nonsense"}).status_code == 401  # fmt: skip


def test_nobody_reads_another_persons_application(client, people):
    headers = bearer(people["owner"])
    own = client.get(f"/api/v1/me/applications/{people['mine'].pk}", headers=headers).json()
    assert own["answers"] == {"full_name": "Owner"}
    assert own["decision"] is None
    other = client.get(f"/api/v1/me/applications/{people['other'].pk}", headers=headers)
    assert other.status_code == 404


def test_a_released_decision_comes_with_its_gap_report(client, people):
    Decision.objects.create(application=people["mine"], outcome="not_selected", composite=6.0,
                            created_at=timezone.now(), released_at=timezone.now(),
                            gap={"distance": 0.7})  # fmt: skip
    own = client.get(f"/api/v1/me/applications/{people['mine'].pk}",
                     headers=bearer(people["owner"])).json()  # fmt: skip
    assert own["decision"]["gap_report"] == {"distance": 0.7}


def test_staff_endpoints_are_for_staff_and_bad_filters_are_named(client, people, open_cycle):
    refused = client.get("/api/v1/applications", headers=bearer(people["owner"]))
    assert refused.status_code == 403
    assert refused.json() == {"detail": "staff only"}
    headers = bearer(people["staff"])
    page = client.get("/api/v1/applications", {"cycle": open_cycle.pk, "limit": 1},
                      headers=headers).json()  # fmt: skip
    assert page["count"] == 2
    assert len(page["items"]) == 1
    bad = client.get("/api/v1/applications", {"status": "famous"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "status"
    assert client.get(f"/api/v1/cycles/{open_cycle.pk}/decisions", headers=headers).json() == {
        "items": [], "count": 0}  # fmt: skip


API_RULES = {
    # path template: roles that get 200
    "/api/v1/programs": {"anonymous", "applicant", "reviewer", "staff"},
    "/api/v1/cycles": {"anonymous", "applicant", "reviewer", "staff"},
    "/api/v1/cycles/{cycle}": {"anonymous", "applicant", "reviewer", "staff"},
    "/api/v1/me/applications": {"applicant", "reviewer", "staff"},
    "/api/v1/me/applications/{mine}": {"applicant"},
    "/api/v1/me/journey": {"applicant", "reviewer", "staff"},
    "/api/v1/me/assignments": {"applicant", "reviewer", "staff"},
    "/api/v1/applications": {"staff"},
    "/api/v1/cycles/{cycle}/decisions": {"staff"},
    "/api/v1/cycles/{cycle}/exports/funnel": {"staff"},
    "/api/v1/me/assignments/{assignment}/review": {"reviewer"},
}


WRITE_RULES = {
    # (method, path template, JSON body): roles that get 200
    ("PUT", "/api/v1/me/applications/{draft}/answers", '{"answers": {}}'): {"applicant"},
    ("POST", "/api/v1/me/applications/{draft}/submit", ""): {"applicant"},
    ("PUT", "/api/v1/me/assignments/{assignment}/review", '{"scores": {}}'): {"reviewer"},
}


def test_every_endpoint_has_a_rule(client):
    schema = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {(method.upper(), path) for path, methods in schema.items() for method in methods}
    names = {"{cycle}": "{cycle_id}", "{mine}": "{application_id}",
             "{draft}": "{application_id}", "{assignment}": "{assignment_id}"}  # fmt: skip

    def templated(path):
        for ours, theirs in names.items():
            path = path.replace(ours, theirs)
        return path

    ruled = {
        ("GET", templated(p).replace("/exports/funnel", "/exports/{table}")) for p in API_RULES
    }
    ruled |= {(method, templated(p)) for method, p, _body in WRITE_RULES}
    assert operations == ruled


@pytest.mark.parametrize("role", ["anonymous", "applicant", "reviewer", "staff"])
def test_every_endpoint_with_every_role(client, people, open_cycle, role):
    reviewer = ReviewerFactory(program=open_cycle.program)
    assignment = AssignmentFactory(reviewer=reviewer, application=people["other"])
    people["other"].status = "in_review"
    people["other"].save()
    users = {"applicant": people["owner"], "staff": people["staff"], "reviewer": reviewer.user}
    headers = bearer(users[role]) if role in users else {}
    draft = ApplicationFactory(cycle=CycleFactory(program=open_cycle.program, state="open",
                                                  opens_at=open_cycle.opens_at,
                                                  deadline=open_cycle.deadline),
                               applicant=people["mine"].applicant)  # fmt: skip
    wrong = []
    for template, roles in API_RULES.items():
        url = template.format(cycle=open_cycle.pk, mine=people["mine"].pk, assignment=assignment.pk)
        status = client.get(url, headers=headers).status_code
        if (status == 200) != (role in roles):
            wrong.append(f"GET {url}: {status}")
    for (method, template, body), roles in WRITE_RULES.items():
        url = template.format(draft=draft.pk, assignment=assignment.pk)
        status = client.generic(method, url, body, content_type="application/json",
                                headers=headers).status_code  # fmt: skip
        if (status == 200) != (role in roles):
            wrong.append(f"{method} {url}: {status}")
    assert wrong == []


def test_numbers_the_database_cannot_hold_are_refused_by_name(client, people, open_cycle):
    headers = bearer(people["staff"])
    huge = client.get("/api/v1/applications", {"offset": 10**21}, headers=headers)
    assert huge.status_code == 422
    assert huge.json()["detail"][0]["loc"][-1] == "offset"
    assert client.get(f"/api/v1/cycles/{10**30}").status_code == 422
    assert client.get("/api/v1/applications", {"cycle": 10**30},
                      headers=headers).status_code == 422  # fmt: skip
    assert client.get("/api/v1/applications", {"limit": 5000}, headers=headers).status_code == 422
