"""Every URL of the site, with every role: allowed or denied, as the rules say.

A new page without a row in RULES fails ``test_every_page_has_a_rule``. "Allowed" means
the page answers (200, or a redirect that is not to the sign-in page); "denied" means
403, 404, 410, or a redirect to sign in. Own objects belong to the applicant; the
reviewer is assigned to the applicant's submitted application; tokens are the
applicant's recommender's and supporter's.
"""

import datetime as dt

import pytest
from django.urls import get_resolver
from django.utils import timezone

from ascent.applications.domain.drafts import applicant_of
from ascent.applications.domain.links import new_token
from ascent.applications.models import (
    Application,
    ApplicationStatus,
    FeedbackRequest,
    Goal,
    Reference,
    Supporter,
    SupporterNote,
)
from ascent.common.models import Job
from ascent.decisions.models import Decision, Offer
from ascent.programs.models import FormField
from ascent.review.models import Assignment
from tests.factories import (
    ApplicationFactory,
    ReviewerFactory,
    StageFactory,
    UserFactory,
    stored_file_answer,
)

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "applicant", "other", "reviewer", "staff", "recommender", "supporter")
A = set(ROLES)  # everyone
SIGNED_IN = {"applicant", "other", "reviewer", "staff"}
# Pages that are not ours (allauth's account pages, the language switch) are covered by
# allauth's and Django's own tests; we check the ones with our data.
NOT_OURS = {"set_language"}

# url name: (path template, method, roles allowed)
RULES = {
    "home": ("/", "get", A),
    "cycle": ("/programs/{program}/{cycle}/", "get", A),
    "apply": ("/cycles/{cycle_id}/apply/", "post", SIGNED_IN),
    "application": ("/applications/{own}/", "get", {"applicant"}),
    "submitted": ("/applications/{own}/submitted/", "get", {"applicant"}),
    "withdraw": ("/applications/{own}/withdraw/", "post", {"applicant"}),
    "reopen": ("/applications/{own}/reopen/", "post", {"applicant"}),
    "ask_feedback": ("/applications/{own}/feedback/", "post", {"applicant"}),
    "feedback": ("/follow/{follow_token}/feedback/{feedback}/", "get", set()),  # the draft is sent
    "feedback_file": ("/follow/{follow_token}/feedback/{feedback}/files/photo/", "get", set()),
    "application_file": ("/applications/{own}/files/photo/", "get", {"applicant"}),
    "request_reference": ("/applications/{own}/references/", "post", {"applicant"}),
    "remind_reference": ("/references/{reference}/remind/", "post", {"applicant"}),
    "letter": ("/letters/{letter_token}/", "get", A),  # the link is the key
    "journey": ("/journey/", "get", SIGNED_IN),
    "what_if": ("/journey/what-if/{own}/", "get", {"applicant"}),
    "plan_goal": ("/journey/plan/{program_id}/goals/", "post", {"applicant"}),
    "plan_check_in": ("/journey/plan/{program_id}/check-in/", "post", {"applicant"}),
    "plan_goal_edit": ("/journey/goals/{goal}/", "post", {"applicant"}),
    "plan_goal_delete": ("/journey/goals/{goal}/remove/", "get", {"applicant"}),
    "hide_note": ("/journey/notes/{note}/hide/", "post", {"applicant"}),
    "invite_supporter": ("/journey/supporters/", "post", SIGNED_IN),
    "revoke_supporter": ("/journey/supporters/{supporter}/revoke/", "post", {"applicant"}),
    "follow": ("/follow/{follow_token}/", "get", A),  # the link is the key
    "account": ("/account/", "get", SIGNED_IN),
    "account_delete": ("/account/delete/", "get", SIGNED_IN),
    "account_export": ("/account/my-data.zip", "get", SIGNED_IN),
    "outbox": ("/outbox/", "get", {"staff"}),
    "answer_offer": ("/offers/{offer}/accept/", "post", {"applicant"}),
    "queue": ("/review/", "get", SIGNED_IN),  # an empty queue for non-reviewers
    "review": ("/review/{assignment}/", "get", {"reviewer"}),
    "profile": ("/review/profile/", "get", {"reviewer"}),
    "bids": ("/review/bids/{stage}/", "get", {"reviewer"}),
    "conflict": ("/review/{assignment}/conflict/", "post", {"reviewer"}),
    "review_file": ("/review/{assignment}/files/photo/", "get", {"reviewer"}),
    "review_letter": ("/review/{assignment}/letters/{reference}/", "get", {"reviewer"}),
    "staff_cycles": ("/staff/", "get", {"staff"}),
    "staff_cycle": ("/staff/cycles/{cycle_id}/", "get", {"staff"}),
    "staff_new_program": ("/staff/programs/new/", "get", {"staff"}),
    "staff_team": ("/staff/programs/{program_id}/team/", "get", {"staff"}),
    "staff_setup": ("/staff/cycles/{cycle_id}/setup/", "get", {"staff"}),
    "staff_question_new": ("/staff/cycles/{cycle_id}/form/new/", "get", {"staff"}),
    "staff_question": ("/staff/cycles/{cycle_id}/form/0/", "get", {"staff"}),
    "staff_question_move": ("/staff/cycles/{cycle_id}/form/0/move/down/", "post", {"staff"}),
    "staff_question_remove": ("/staff/cycles/{cycle_id}/form/0/remove/", "post", {"staff"}),
    "staff_requirement_new": ("/staff/cycles/{cycle_id}/requirements/new/", "get", {"staff"}),
    "staff_requirement": ("/staff/cycles/{cycle_id}/requirements/0/", "get", {"staff"}),
    "staff_requirement_check": ("/staff/cycles/{cycle_id}/requirements/check/", "get", {"staff"}),
    "staff_requirement_remove": (
        "/staff/cycles/{cycle_id}/requirements/0/remove/",
        "post",
        {"staff"},
    ),
    "staff_criterion_new": ("/staff/cycles/{cycle_id}/criteria/new/", "get", {"staff"}),
    "staff_criterion": ("/staff/cycles/{cycle_id}/criteria/0/", "get", {"staff"}),
    "staff_criterion_remove": ("/staff/cycles/{cycle_id}/criteria/0/remove/", "post", {"staff"}),
    "staff_quotas": ("/staff/cycles/{cycle_id}/quotas/", "get", {"staff"}),
    "staff_stage_new": ("/staff/cycles/{cycle_id}/stages/new/", "get", {"staff"}),
    "staff_stage_move": ("/staff/cycles/{cycle_id}/stages/0/move/down/", "post", {"staff"}),
    "staff_stage_remove": ("/staff/cycles/{cycle_id}/stages/0/remove/", "post", {"staff"}),
    "staff_stage": ("/staff/cycles/{cycle_id}/stages/0/", "get", {"staff"}),
    "staff_cycle_state": ("/staff/cycles/{cycle_id}/state/closed/", "post", {"staff"}),
    "staff_run": ("/staff/cycles/{cycle_id}/run/screen/", "post", {"staff"}),
    "staff_applications": ("/staff/cycles/{cycle_id}/applications/", "get", {"staff"}),
    "staff_board": ("/staff/cycles/{cycle_id}/board/", "get", {"staff"}),
    "staff_board_csv": ("/staff/cycles/{cycle_id}/board.csv", "get", {"staff"}),
    "staff_release": ("/staff/cycles/{cycle_id}/release/", "get", {"staff"}),
    "staff_job": ("/staff/jobs/{job}/", "get", {"staff"}),
    "staff_configuration": ("/staff/cycles/{cycle_id}/configuration/", "get", {"staff"}),
    "staff_analytics": ("/staff/cycles/{cycle_id}/analytics/", "get", {"staff"}),
    "staff_panel": ("/staff/cycles/{cycle_id}/panel/", "get", {"staff"}),
    "staff_change_decision": ("/staff/decisions/{decision}/change/", "get", {"staff"}),
    "staff_next_cycle": ("/staff/cycles/{cycle_id}/next/", "post", {"staff"}),
    "staff_shortlist": ("/staff/stages/{stage}/shortlist/", "post", {"staff"}),
    "staff_announce_shortlist": ("/staff/stages/{stage}/announce/", "post", {"staff"}),
    "staff_application": ("/staff/applications/{own}/", "get", {"staff"}),
    "staff_assign": ("/staff/applications/{own}/assign/", "get", {"staff"}),
    "staff_why": ("/staff/assignments/{assignment}/why/", "get", {"staff"}),
    "staff_application_file": ("/staff/applications/{own}/files/photo/", "get", {"staff"}),
}
# allauth's pages: signed-in-only ones and public ones.
ACCOUNT_PAGES = {
    "account_login": ("/accounts/login/", "get", A),
    "account_signup": ("/accounts/signup/", "get", A),
    "account_reset_password": ("/accounts/password/reset/", "get", A),
    "account_email": ("/accounts/email/", "get", SIGNED_IN),
    "account_change_password": ("/accounts/password/change/", "get", SIGNED_IN),
}


def our_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name and namespace in ("portal", "workspace"):
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_page_has_a_rule():
    assert our_url_names() - set(RULES) - NOT_OURS == set()


@pytest.fixture
def world(open_cycle, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    FormField.objects.create(cycle=open_cycle, key="photo", label="Photo", kind="file", position=9)
    applicant = UserFactory(username="owner@example.org")
    other = UserFactory(username="other@example.org")
    staff = UserFactory(username="boss@example.org", is_staff=True)
    reviewer_user = UserFactory(username="panel@example.org")
    own = ApplicationFactory(cycle=open_cycle, applicant=applicant_of(applicant),
                             status=ApplicationStatus.SUBMITTED, submitted_at=timezone.now(),
                             receipt="OWN-1")  # fmt: skip
    own.answers = {"photo": stored_file_answer(own, "photo", b"\x89PNG\r\n\x1a\n", "p.png",
                                               "image/png")}  # fmt: skip
    own.save()
    letter_token, letter_hash = new_token()
    reference = Reference.objects.create(application=own, recommender_name="R",
                                         recommender_email="r@example.org",
                                         relationship="mentor", token_hash=letter_hash,
                                         requested_at=timezone.now() - dt.timedelta(days=2),
                                         state="submitted", submitted_at=timezone.now(),
                                         letter_file="references/letter.pdf")  # fmt: skip
    (tmp_path / "references").mkdir()
    (tmp_path / "references" / "letter.pdf").write_bytes(b"%PDF-1.4\n%%EOF")
    follow_token, follow_hash = new_token()
    supporter = Supporter.objects.create(applicant=applicant_of(applicant), name="S",
                                         email="s@example.org", token_hash=follow_hash,
                                         invited_at=timezone.now())  # fmt: skip
    Application.objects.filter(pk=own.pk).update(status=ApplicationStatus.IN_REVIEW)
    stage = StageFactory(cycle=open_cycle, key="panel")
    StageFactory(cycle=open_cycle, key="final", kind="selection", reviews_per_application=0,
                 position=1)  # two stages: one can move  # fmt: skip
    reviewer = ReviewerFactory(program=open_cycle.program, user=reviewer_user)
    assignment = Assignment.objects.create(reviewer=reviewer, application=own, stage=stage,
                                           created_at=timezone.now())  # fmt: skip
    decision = Decision.objects.create(application=ApplicationFactory(
        applicant=applicant_of(applicant), status=ApplicationStatus.SELECTED,
        submitted_at=timezone.now()), outcome="selected", released_at=timezone.now(),
        created_at=timezone.now())  # fmt: skip
    offer = Offer.objects.create(decision=decision, offered_at=timezone.now(),
                                 respond_by=timezone.now() + dt.timedelta(days=3))  # fmt: skip
    job = Job.objects.create(kind="screening", target_type="programs.cycle",
                             target_id=str(open_cycle.pk), state="done")  # fmt: skip
    goal = Goal.objects.create(applicant=applicant_of(applicant), program=open_cycle.program,
                               title="Fly more")  # fmt: skip
    note = SupporterNote.objects.create(supporter=supporter, text="Go on!")
    asked = FeedbackRequest.objects.create(application=own, mentor=supporter, fields=["photo"])
    users = {"applicant": applicant, "other": other, "staff": staff, "reviewer": reviewer_user}
    values = {
        "program": open_cycle.program.slug, "cycle": open_cycle.slug, "cycle_id": open_cycle.pk,
        "own": own.pk, "reference": reference.pk, "supporter": supporter.pk,
        "assignment": assignment.pk, "job": job.pk, "letter_token": letter_token,
        "follow_token": follow_token, "offer": offer.pk, "decision": decision.pk,
        "stage": stage.pk, "program_id": open_cycle.program_id, "goal": goal.pk, "note": note.pk,
        "feedback": asked.pk,
    }  # fmt: skip
    return users, values


def allowed(response) -> bool:
    if response.status_code in (401, 403, 404, 405, 410):
        return False
    if response.status_code in (301, 302):
        return "/accounts/login/" not in response["Location"]
    return response.status_code < 400 or response.status_code == 422


@pytest.mark.parametrize("role", ROLES)
def test_every_url_with_every_role(client, world, role, mailoutbox):
    users, values = world
    if role in users:
        client.force_login(users[role])
    wrong = []
    pages = {**RULES, **ACCOUNT_PAGES}.items()
    # Reading first: some actions (withdraw, remind, revoke, conflict) change what the
    # same role may read afterwards.
    for name, (template, method, roles) in sorted(pages, key=lambda item: item[1][1] == "post"):
        url = template.format(**values)
        response = getattr(client, method)(url)
        expected = role in roles
        if allowed(response) != expected:
            wrong.append(f"{name} {method.upper()} {url}: {response.status_code} "
                         f"({'should be allowed' if expected else 'should be denied'})")  # fmt: skip
    assert wrong == []


# Pages about no one program: every staff member has them (a new program, their desk).
# A reviewer's profile page lists their own panels only.
NOT_A_PROGRAMS = {"staff_cycles", "staff_new_program", "outbox", "queue", "profile"}
TEAM_ROLES = ("manager", "coordinator", "observer", "reviewer")


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_no_role_of_another_program_reaches_anything_of_this_one(client, world, role):
    """Issue #16: program B's manager, coordinator, observer and reviewer, each against
    every staff and reviewer URL of program A (pages, files, exports, jobs) and the API."""
    from ascent.common.domain.tokens import create_token
    from ascent.programs.models import Program, TeamMember

    users, values = world
    decided = Decision.objects.get(pk=values["decision"]).application.cycle.program_id
    for program in {values["program_id"], decided}:  # program A (two here) has its own team
        TeamMember.objects.create(program_id=program, user=users["staff"], role="manager")
    elsewhere = Program.objects.create(name="Other fellowship", slug="other", organisation="O")
    person = UserFactory(username=f"b-{role}@example.org", is_staff=role != "reviewer")
    if role == "reviewer":
        ReviewerFactory(program=elsewhere, user=person)
    else:
        TeamMember.objects.create(program=elsewhere, user=person, role=role)
    client.force_login(person)
    reached = []
    for name, (template, method, roles) in sorted(RULES.items()):
        if name in NOT_A_PROGRAMS or not roles or not roles <= {"staff", "reviewer"}:
            continue
        url = template.format(**values)
        response = getattr(client, method)(url)
        if allowed(response):
            reached.append(f"{name} {method.upper()} {url}: {response.status_code}")
    assert reached == []
    for page in ("/staff/", "/review/"):
        body = client.get(page).content.decode()
        assert "OWN-1" not in body
        assert f"/staff/cycles/{values['cycle_id']}/" not in body
    _token, secret = create_token(person, "api")
    api = {"Authorization": f"Bearer {secret}"}
    cycle = values["cycle_id"]
    for url in (f"/api/v1/cycles/{cycle}/decisions", f"/api/v1/cycles/{cycle}/exports/board",
                f"/api/v1/cycles/{cycle}/exports/applications?format=xlsx",
                f"/api/v1/me/assignments/{values['assignment']}/review"):  # fmt: skip
        assert client.get(url, headers=api).status_code in (403, 404), url
    listed = client.get("/api/v1/applications", {"cycle": cycle}, headers=api)
    assert listed.status_code == 403 or listed.json()["items"] == []


def test_every_page_title_is_plain_text(client, world):
    """A page's <title> once held a list of links (the staff desk)."""
    import re

    users, values = world
    for role in ("applicant", "reviewer", "staff"):
        client.force_login(users[role])
        for name, (template, method, roles) in RULES.items():
            if method != "get" or role not in roles:
                continue
            response = client.get(template.format(**values))
            if response.status_code != 200 or "text/html" not in response.get("Content-Type"):
                continue
            title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
            assert title is not None, name
            assert "<" not in title.group(1), (name, title.group(1))
