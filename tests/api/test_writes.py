"""Writing through the API: a draft's answers, submitting once, a review; tokens narrowed
to a role or to reading; rate limits."""

import json

import pytest
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.models import Application, ApplicationTransition
from ascent.common.domain.tokens import TokenError, create_token
from ascent.programs.models import Criterion
from ascent.review.models import Review
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CriterionFactory,
    ReviewerFactory,
    UserFactory,
    bearer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(open_cycle):
    owner = UserFactory(username="writer@example.org")
    return ApplicationFactory(cycle=open_cycle, applicant=applicant_of(owner), answers={})


def test_saving_answers_keeps_the_right_ones_and_names_each_wrong_one(client, draft):
    url = f"/api/v1/me/applications/{draft.pk}/answers"
    headers = bearer(draft.applicant.user)
    bad = client.put(url, {"answers": {"full_name": "Ada", "jet_hours": "many", "x": 1}},
                     content_type="application/json", headers=headers)  # fmt: skip
    assert bad.status_code == 200
    body = bad.json()
    assert body["answers"] == {"full_name": "Ada"}
    assert body["held_answers"] == {"jet_hours": "many"}  # kept as sent; "x" is no field
    places = {tuple(p["loc"]): p["msg"] for p in body["problems"]}
    assert places[("body", "answers", "jet_hours")]
    assert places[("body", "answers", "x")] == "is not a field of this form"
    draft.refresh_from_db()
    assert (draft.answers, draft.held_answers) == ({"full_name": "Ada"}, {"jet_hours": "many"})
    read = client.get(f"/api/v1/me/applications/{draft.pk}", headers=headers).json()
    assert [p["loc"] for p in read["problems"]] == [["body", "answers", "jet_hours"]]
    refused = client.post(f"/api/v1/me/applications/{draft.pk}/submit", headers=headers)
    assert refused.status_code == 422  # a held answer is never submitted
    assert ["body", "answers", "jet_hours"] in [p["loc"] for p in refused.json()["detail"]]
    good = client.put(url, {"answers": {"full_name": "Ada"}}, content_type="application/json",
                      headers=headers)  # fmt: skip
    assert good.status_code == 200
    assert good.json()["answers"] == {"full_name": "Ada"}
    shape = client.put(url, {"answers": "all of them"}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert shape.status_code == 422
    assert shape.json()["detail"][0]["loc"] == ["body", "body", "answers"]


def test_submitting_through_the_api_happens_once(client, draft):
    headers = bearer(draft.applicant.user)
    submit = f"/api/v1/me/applications/{draft.pk}/submit"
    missing = client.post(submit, headers=headers)
    assert missing.status_code == 422
    assert ["body", "answers", "jet_hours"] in [p["loc"] for p in missing.json()["detail"]]
    client.put(f"/api/v1/me/applications/{draft.pk}/answers",
               {"answers": {"full_name": "Ada", "jet_hours": 1200}},
               content_type="application/json", headers=headers)  # fmt: skip
    first = client.post(submit, headers=headers).json()
    assert (first["status"], first["already"]) == ("submitted", False)
    again = client.post(submit, headers=headers).json()
    assert (again["receipt"], again["already"]) == (first["receipt"], True)
    assert (
        ApplicationTransition.objects.filter(application=draft, to_status="submitted").count() == 1
    )
    late = client.put(f"/api/v1/me/applications/{draft.pk}/answers", {"answers": {}},
                      content_type="application/json", headers=headers)  # fmt: skip
    assert late.status_code == 422
    assert "cannot be edited" in late.json()["detail"][0]["msg"]


def test_nobody_writes_another_persons_application(client, draft):
    other = bearer(UserFactory())
    url = f"/api/v1/me/applications/{draft.pk}"
    assert client.post(url + "/submit", headers=other).status_code == 404
    assert client.put(url + "/answers", {"answers": {}}, content_type="application/json",
                      headers=other).status_code == 404  # fmt: skip
    assert client.post(url + "/submit").status_code == 401


def test_a_token_narrowed_to_a_role_or_to_reading_stops_at_the_line(client, draft):
    owner = draft.applicant.user
    url = f"/api/v1/me/applications/{draft.pk}"
    read_only = client.post(url + "/submit", headers=bearer(owner, read_only=True))
    assert read_only.status_code == 403
    assert read_only.json() == {
        "detail": "this token is read-only; make one with --write to change data"
    }
    assert client.get(url, headers=bearer(owner, read_only=True)).status_code == 200
    as_reviewer = client.get(url, headers=bearer(owner, role="reviewer"))
    assert (as_reviewer.status_code, as_reviewer.json()) == (
        403,
        {"detail": "this token acts only as reviewer"},
    )
    assert (
        client.get("/api/v1/me/assignments", headers=bearer(owner, role="reviewer")).status_code
        == 200
    )
    staff = UserFactory(is_staff=True)
    as_applicant = client.get("/api/v1/applications", headers=bearer(staff, role="applicant"))
    assert as_applicant.status_code == 403
    with pytest.raises(TokenError, match=r"role: writer@example\.org is not staff"):
        create_token(owner, "x", role="staff")
    with pytest.raises(TokenError, match="role: choose one of applicant, reviewer, staff"):
        create_token(owner, "x", role="admin")


def test_a_reviewer_saves_and_submits_a_review_and_bad_scores_are_named(client, open_cycle):
    CriterionFactory(
        cycle=open_cycle, key="leadership", name="Leadership", scale_min=1, scale_max=5
    )
    keys = sorted(Criterion.objects.filter(cycle=open_cycle).values_list("key", flat=True))
    reviewer = ReviewerFactory(program=open_cycle.program)
    assignment = AssignmentFactory(reviewer=reviewer, application=ApplicationFactory(
        cycle=open_cycle, status="in_review", submitted_at=timezone.now(),
        answers={"full_name": "Ada"}))  # fmt: skip
    url = f"/api/v1/me/assignments/{assignment.pk}/review"
    headers = bearer(reviewer.user)

    def put(body):
        return client.put(url, body, content_type="application/json", headers=headers)

    assert client.get(url, headers=headers).json() == {"assignment": assignment.pk,
                                                       "state": "not started", "scores": {}}  # fmt: skip

    unknown = put({"scores": {"charisma": 3}})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "scores", "charisma"]
    assert "known: " + ", ".join(keys) in unknown.json()["detail"][0]["msg"]
    high = put({"scores": {"leadership": 9}})
    assert high.status_code == 422
    assert high.json()["detail"][0] == {"type": "invalid", "loc": ["body", "scores", "leadership"],
                                        "msg": "must be between 1 and 5"}  # fmt: skip
    draft = put({"scores": {"leadership": 4}})
    assert draft.json() == {
        "assignment": assignment.pk,
        "state": "draft",
        "scores": {"leadership": 4},
    }
    incomplete = put({"scores": {"leadership": 4}, "confidence": 3, "submit": True})
    assert incomplete.status_code == 422  # every criterion must be scored to submit
    done = put({"scores": dict.fromkeys(keys, 4), "confidence": 3, "submit": True})
    assert done.json()["state"] == "submitted"
    assert put({"scores": dict.fromkeys(keys, 5), "submit": True}).status_code == 422
    assert Review.objects.get(assignment=assignment).scores.count() == len(keys)
    assert client.get(url, headers=headers).json()["scores"] == dict.fromkeys(keys, 4)
    stranger = client.put(url, {"scores": {}}, content_type="application/json",
                          headers=bearer(UserFactory()))  # fmt: skip
    assert stranger.status_code == 404


def test_over_the_rate_limit_the_api_answers_429_with_retry_after(client, draft, monkeypatch):
    from ascent.api.api import api

    user_limit = next(t for t in api.throttle if type(t).__name__ == "UserThrottle")
    anonymous = next(t for t in api.throttle if type(t).__name__ == "AnonRateThrottle")
    monkeypatch.setattr(user_limit, "num_requests", 3)
    monkeypatch.setattr(anonymous, "num_requests", 2)
    headers = bearer(draft.applicant.user)
    codes = [client.get("/api/v1/me/applications", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/me/journey", headers=headers)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert client.get("/api/v1/programs").status_code == 200  # anonymous: its own count
    assert client.get("/api/v1/programs").status_code == 200
    assert client.get("/api/v1/programs").status_code == 429
    # Another user is not held back by the first one's count.
    assert client.get("/api/v1/me/applications", headers=bearer(UserFactory())).status_code == 200
    assert Application.objects.count() == 1


def test_staff_take_a_cycles_tables_away_as_csv_or_xlsx(client, open_cycle):
    import csv
    import io

    ApplicationFactory(cycle=open_cycle, status="submitted", submitted_at=timezone.now(),
                       receipt="EXP-1")  # fmt: skip
    ApplicationFactory(cycle=open_cycle)  # a draft: private, not exported
    headers = bearer(UserFactory(is_staff=True))
    url = f"/api/v1/cycles/{open_cycle.pk}/exports"
    answer = client.get(f"{url}/applications", headers=headers)
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert [(r["receipt"], r["status"]) for r in rows] == [("EXP-1", "submitted")]
    funnel = client.get(f"{url}/funnel", {"format": "xlsx"}, headers=headers)
    assert (
        funnel["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert funnel.content[:2] == b"PK"  # a zip, as XLSX files are
    missing = client.get(f"{url}/secrets", headers=headers)
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "no table 'secrets' for this cycle"},
    )
    assert client.get(f"{url}/board", {"format": "pdf"}, headers=headers).status_code == 422
    assert client.get(f"{url}/Board!", headers=headers).status_code == 422
    assert client.get(f"{url}/board", headers=bearer(UserFactory())).status_code == 403


@pytest.mark.parametrize("raw", ["1" + "0" * 400, "1e400", "-1e400", "9007199254740992"])
def test_numbers_beyond_what_a_form_holds_are_named_and_never_stored(client, draft, raw):
    """Issue #13, finding 9: 10**400 was an OverflowError (500). Such a number is
    reported at its place and not even held (no database stores infinity)."""
    body = json.dumps({"answers": {"jet_hours": 0, "degrees": [{"field": "x", "year": 0}]}})
    body = body.replace("0", raw)
    found = client.put(f"/api/v1/me/applications/{draft.pk}/answers", body,
                       content_type="application/json", headers=bearer(draft.applicant.user))  # fmt: skip
    assert found.status_code == 200
    problems = found.json()["problems"]
    places = {tuple(p["loc"]) for p in problems}
    assert places == {("body", "answers", "jet_hours"), ("body", "answers", "degrees", 0, "year")}
    assert "between" in problems[0]["msg"]
    draft.refresh_from_db()
    assert "jet_hours" not in draft.answers
    assert "jet_hours" not in draft.held_answers


def test_a_number_of_thousands_of_digits_is_a_422(client, draft):
    body = '{"answers": {"jet_hours": 1' + "0" * 5000 + "}}"
    found = client.put(f"/api/v1/me/applications/{draft.pk}/answers", body,
                       content_type="application/json", headers=bearer(draft.applicant.user))  # fmt: skip
    assert found.status_code == 422
    assert "digits" in found.json()["detail"][0]["msg"]
