"""Teams per program (issue #16): a staff member sees and changes only the programs whose
team they are on (or that have no team, if they are on none); another team's pages and API are not found.
Within a team, a manager does everything, a coordinator runs screening, the panel and
the assignment, an observer only reads."""

import pytest

from ascent.applications.models import Application
from ascent.common.domain.tokens import create_token
from ascent.decisions.domain.deciding import decide_cycle
from ascent.decisions.models import Decision
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.models import Program, TeamMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_another_teams_program_is_not_found_on_any_staff_page_or_the_api(client, reopened):
    decide_cycle(reopened, draws=20)
    program = reopened.program
    mine = UserFactory(username="mine@example.org", is_staff=True)
    other = UserFactory(username="other@example.org", is_staff=True)
    TeamMember.objects.create(program=program, user=mine, role="manager")
    elsewhere = Program.objects.create(name="Fellowship", slug="fellowship", organisation="F")
    theirs = copy_cycle(reopened, name="F 2026", slug="f-2026", opens_at=reopened.opens_at,
                        deadline=reopened.deadline)  # fmt: skip
    theirs.program = elsewhere
    theirs.save()
    application = Application.objects.filter(cycle=reopened).exclude(status="draft").first()
    decision = Decision.objects.filter(cycle=reopened).first()
    stage = reopened.stages.first()
    urls = [f"/staff/cycles/{reopened.pk}/", f"/staff/cycles/{reopened.pk}/board/",
            f"/staff/cycles/{reopened.pk}/applications/", f"/staff/cycles/{reopened.pk}/panel/",
            f"/staff/cycles/{reopened.pk}/analytics/", f"/staff/cycles/{reopened.pk}/release/",
            f"/staff/cycles/{reopened.pk}/board.csv", f"/staff/applications/{application.pk}/",
            f"/staff/decisions/{decision.pk}/change/"]  # fmt: skip
    client.force_login(mine)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert reopened.name in client.get("/staff/").content.decode()

    client.force_login(other)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/staff/cycles/{reopened.pk}/run/screen/").status_code == 404
    assert client.post(f"/staff/stages/{stage.pk}/shortlist/", {"size": 1}).status_code == 404
    listing = client.get("/staff/").content.decode()
    assert reopened.name not in listing
    assert "F 2026" in listing  # a program with no team is every staff member's
    _token, secret = create_token(other, "api")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/cycles/{reopened.pk}/decisions", headers=headers).status_code == 404
    listed = client.get("/api/v1/applications", {"cycle": reopened.pk}, headers=headers).json()
    assert listed["items"] == []

    client.force_login(UserFactory(username="root@example.org", is_staff=True, is_superuser=True))
    assert client.get(urls[0]).status_code == 200  # the operator sees every program


def test_only_a_superuser_chooses_a_programs_team_in_the_admin(client, open_cycle):
    from ascent.common.domain.roles import ensure_staff_group

    staff = UserFactory(username="s@example.org", is_staff=True)
    staff.groups.add(ensure_staff_group())
    client.force_login(staff)
    page = client.get(f"/admin/programs/program/{open_cycle.program_id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="members-MAX_NUM_FORMS" value="0"' in html  # no member can be added
    client.force_login(UserFactory(username="root@example.org", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/programs/program/{open_cycle.program_id}/change/")
    assert 'name="members-MAX_NUM_FORMS" value="1000"' in page.content.decode()


def test_a_coordinator_runs_the_pipeline_but_not_the_decisions_and_an_observer_only_reads(
    client, reopened
):
    decide_cycle(reopened, draws=20)
    program = reopened.program
    users = {
        role: UserFactory(username=f"{role}@example.org", is_staff=True)
        for role in ("observer", "coordinator", "manager")
    }  # the manager releases last
    for role, user in users.items():
        TeamMember.objects.create(program=program, user=user, role=role)
    decision = Decision.objects.filter(cycle=reopened).first()
    application = Application.objects.filter(cycle=reopened).exclude(status="draft").first()
    stage = reopened.stages.filter(kind="review").first()
    cycle = f"/staff/cycles/{reopened.pk}"
    # (action, request, who may)
    actions = [
        ("screen", ("post", f"{cycle}/run/screen/", {}), {"manager", "coordinator"}),
        ("assign", ("post", f"{cycle}/run/assign/", {"stage": stage.pk, "objective": "total"}),
         {"manager", "coordinator"}),
        ("panel", ("post", f"{cycle}/panel/", {"name": "N", "email": "n@example.org"}),
         {"manager", "coordinator"}),
        ("select", ("post", f"{cycle}/run/select/", {}), {"manager"}),
        ("release", ("post", f"{cycle}/release/", {}), {"manager"}),
        ("override", ("post", f"/staff/applications/{application.pk}/", {"override": "rules"}),
         {"manager"}),
        ("change", ("get", f"/staff/decisions/{decision.pk}/change/", {}), {"manager"}),
        ("configure", ("post", f"{cycle}/next/", {}), {"manager"}),
    ]  # fmt: skip
    for role, user in users.items():
        client.force_login(user)
        for page in (f"{cycle}/", f"{cycle}/board/", f"/staff/applications/{application.pk}/"):
            assert client.get(page).status_code == 200, (role, page)  # every role reads
        desk = client.get(f"{cycle}/").content.decode()
        assert ("Calibrate, select and audit" in desk) == (role == "manager")
        assert ("Assign reviewers" in desk) == (role != "observer")
        for name, (method, url, data), allowed in actions:
            status = getattr(client, method)(url, data).status_code
            assert (status != 403) == (role in allowed), (role, name, status)
    assert TeamMember.objects.get(user=users["coordinator"]).get_role_display() == "Coordinator"


def test_the_administration_is_for_operators_and_managers(client, open_cycle):
    """A coordinator or an observer could change in the admin what their role may not
    (an eligibility override, the cycle's form): it is closed to them."""
    from ascent.common.domain.roles import ensure_staff_group

    program = open_cycle.program
    for role in ("manager", "coordinator", "observer"):
        user = UserFactory(username=f"{role}@example.org", is_staff=True)
        user.groups.add(ensure_staff_group())
        TeamMember.objects.create(program=program, user=user, role=role)
        client.force_login(user)
        page = client.get("/admin/programs/cycle/")
        assert (page.status_code == 200) == (role == "manager"), role
        nav = client.get(f"/staff/cycles/{open_cycle.pk}/").content.decode()
        assert ('href="/admin/"' in nav) == (role == "manager"), role


def test_in_the_administration_a_manager_sees_only_their_programs(client, reopened):
    """The admin was the one place where a manager of one program read another's
    applications, reviews and decisions: it is scoped like the staff pages."""
    from ascent.common.domain.roles import ensure_staff_group
    from ascent.review.models import Assignment, Review

    decide_cycle(reopened, draws=20)
    ours = reopened.program
    TeamMember.objects.create(program=ours, user=UserFactory(is_staff=True), role="manager")
    theirs = Program.objects.create(name="Elsewhere", slug="elsewhere", organisation="E")
    manager = UserFactory(username="elsewhere@example.org", is_staff=True)
    manager.groups.add(ensure_staff_group())
    TeamMember.objects.create(program=theirs, user=manager, role="manager")
    client.force_login(manager)
    application = Application.objects.filter(cycle=reopened).exclude(status="draft").first()
    review = Review.objects.filter(assignment__stage__cycle=reopened).first()
    for listing, hidden in (("applications/application", application.receipt),
                            ("programs/cycle", reopened.name),
                            ("review/assignment", str(Assignment.objects.filter(
                                stage__cycle=reopened).first())),
                            ("decisions/decision", application.receipt)):  # fmt: skip
        page = client.get(f"/admin/{listing}/")
        assert page.status_code == 200, listing
        assert hidden not in page.content.decode(), listing
    for url in (f"/admin/applications/application/{application.pk}/change/",
                f"/admin/review/review/{review.pk}/change/",
                f"/admin/programs/program/{ours.pk}/change/"):  # fmt: skip
        assert client.get(url).status_code in (302, 404), url  # "not found" in the admin
    assert "Elsewhere" in client.get("/admin/programs/program/").content.decode()
    # nothing of another program to choose from, either
    form = client.get("/admin/programs/cycle/add/").content.decode()
    assert f'<option value="{ours.pk}"' not in form
    assert f'<option value="{theirs.pk}"' in form
    # nor in the lists' filters, nor as the label of an id typed in a raw-id box
    for listing in ("programs/cycle", "applications/application", "programs/stage"):
        assert reopened.program.name not in client.get(f"/admin/{listing}/").content.decode()
    conflict = client.get("/admin/review/conflict/add/",
                          {"applicant": application.applicant_id}).content.decode()  # fmt: skip
    assert application.applicant.display_name not in conflict
    # rows that belong to no program are the operators'
    assert "Audit" not in client.get("/admin/").content.decode()
    assert client.get("/admin/common/job/").context["cl"].result_count == 0


def test_a_member_of_one_team_is_not_the_manager_of_programs_with_no_team(client, reopened):
    """A program with no team belongs to the staff who are on no team (a small install);
    a person invited to one program's team, as its observer say, does not manage it."""
    from ascent.common.permissions import program_role
    from ascent.programs.domain.team import invite_team_member

    teamless = Program.objects.create(name="Fellowship", slug="fellowship", organisation="F")
    theirs = copy_cycle(reopened, name="F 2026", slug="f-2026", opens_at=reopened.opens_at,
                        deadline=reopened.deadline)  # fmt: skip
    theirs.program = teamless
    theirs.save()
    root = UserFactory(username="root@example.org", is_staff=True, is_superuser=True)
    TeamMember.objects.create(program=reopened.program, user=root, role="manager")
    observer = invite_team_member(reopened.program, email="watcher@example.org",
                                  role="observer", by=root).user  # fmt: skip
    legacy = UserFactory(username="legacy@example.org", is_staff=True)  # on no team
    assert program_role(observer, teamless) is None
    assert program_role(legacy, teamless) == "manager"
    client.force_login(observer)
    assert client.get(f"/staff/cycles/{theirs.pk}/").status_code == 404
    assert "F 2026" not in client.get("/staff/").content.decode()
    assert client.post(f"/staff/cycles/{theirs.pk}/run/screen/").status_code == 404
    assert client.get("/admin/programs/cycle/").status_code != 200
    assert client.get(f"/staff/cycles/{reopened.pk}/").status_code == 200  # their own team's
    client.force_login(legacy)
    assert client.get(f"/staff/cycles/{theirs.pk}/").status_code == 200
