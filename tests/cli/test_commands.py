"""The ``ascent`` command line, run as a person would: a real process, its exit code and
what it prints."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from ascent.applications.models import Application
from ascent.programs.models import Program

SMALL_ARGS = [
    "--cycles",
    "2",
    "--applicants-per-cycle",
    "40",
    "--reviewers",
    "8",
    "--capacity",
    "3",
]


def ascent(*args: str, tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "ASCENT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        **extra,
    }
    env.pop("ASCENT_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "ascent.cli.main", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["world", "--capacity", "0"], "ascent world: error: argument --capacity: must be at least 1 (got 0)"),
        (["world", "--cycles", "twelve"], "ascent world: error: argument --cycles: 'twelve' is not a whole number"),
        (["world", "--colour", "blue"], "ascent world: error: unrecognized arguments: --colour blue"),
        (["world", "--capacity", "3000"],
         "Error: --capacity: 3,000 seats but only 2,000 applicants per cycle: "
         "a cycle cannot select more people than apply"),
        (["world", "--reviewers", "2"],
         "Error: --reviewers: each application needs 3 different reviewers but the panel has 2"),
        (["serve", "--workers", "0"], "ascent serve: error: argument --workers: must be at least 1 (got 0)"),
        (["launch"], "ascent: error: unknown command 'launch' (see 'ascent help')"),
    ],
)  # fmt: skip
def test_wrong_arguments_give_one_line_and_exit_code_2(args, message, tmp_path):
    result = ascent(*args, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert result.stdout == ""


def test_world_loads_from_the_command_line(tmp_path):
    assert ascent("migrate", "--verbosity", "0", tmp_path=tmp_path).returncode == 0
    result = ascent("world", *SMALL_ARGS, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Loaded 'Astronaut Candidate Program': 2 cycles, 80 applications" in result.stdout
    again = ascent("world", *SMALL_ARGS, tmp_path=tmp_path)
    assert again.returncode == 2
    assert "already in the database; use --replace" in again.stderr
    replaced = ascent("world", *SMALL_ARGS, "--seed", "5", "--replace", tmp_path=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert "Deleted the previous world." in replaced.stdout


def test_the_demo_refuses_production(tmp_path):
    env_result = subprocess.run(
        [sys.executable, "-m", "ascent.cli.main", "demo", "--no-serve"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "ASCENT_ENV": "production", "SECRET_KEY": "x" * 60,
             "ALLOWED_HOSTS": "ascent.example.org", "ASCENT_VAR_DIR": str(tmp_path),
             "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"},
    )  # fmt: skip
    assert env_result.returncode == 2
    assert "does not run with ASCENT_ENV=production" in env_result.stderr


@pytest.mark.django_db
def test_the_demo_loads_once_and_its_logins_work(client, capsys):
    call_command("demo", "--no-serve", *SMALL_ARGS)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    for line in ("staff@example.org / ascent-staff-demo",
                 "reviewer1@panel.example.org / ascent-reviewer-demo",
                 "maya.castellanos@example.org / ascent-maya-demo"):  # fmt: skip
        assert line in out
    count = Application.objects.count()
    from ascent.applications.models import Goal, Supporter, SupporterNote

    assert Supporter.objects.filter(shares_milestones=True).count() == 3  # Maya's people
    assert SupporterNote.objects.count() == 1  # her teacher's note
    assert Goal.objects.exists()  # her latest gap report, made into a plan
    from ascent.review.models import Assignment

    assert Assignment.objects.exists()
    assert not Assignment.objects.filter(affinity__isnull=True).exists()  # the product's own
    call_command("demo", "--no-serve", *SMALL_ARGS)
    assert "not loading the demo world" in capsys.readouterr().out
    assert Application.objects.count() == count
    assert SupporterNote.objects.count() == 1  # once
    # the astronaut corps, and a fellowship made from its template by the demo staff
    assert Program.objects.count() == 2
    fellowship = Program.objects.get(slug="open-skies-fellowship")
    assert fellowship.cycles.get().state == "open"
    assert fellowship.cycles.get().form_fields.filter(key="statement").exists()
    assert dict(fellowship.members.values_list("user__username", "role")) == {
        "staff@example.org": "manager", "coordinator@example.org": "coordinator"}  # fmt: skip

    assert client.login(username="staff@example.org", password="ascent-staff-demo")
    page = client.get("/admin/applications/application/")
    assert page.status_code == 200
    assert "ASC-" in page.content.decode()
    for username, password in [("reviewer1@panel.example.org", "ascent-reviewer-demo"),
                               ("maya.castellanos@example.org", "ascent-maya-demo")]:  # fmt: skip
        user = authenticate(username=username, password=password)
        assert user is not None
        assert not user.is_staff


@pytest.mark.django_db
def test_staff_may_not_manage_users():
    call_command("demo", "--no-serve", *SMALL_ARGS)
    staff = get_user_model().objects.get(username="staff@example.org")
    assert not staff.is_superuser
    assert staff.has_perm("applications.change_application")
    assert staff.has_perm("common.view_auditevent")
    assert not staff.has_perm("auth.change_user")
    assert not staff.has_perm("common.delete_auditevent")


REOPEN = (
    "from ascent.applications.models import Application;"
    "from ascent.review.models import Assignment;"
    "Assignment.objects.filter(application__cycle__slug='{slug}').delete();"
    "Application.objects.filter(cycle__slug='{slug}').update(status='submitted')"
)


def test_screen_and_assign_from_the_command_line(tmp_path):
    assert ascent("migrate", "--verbosity", "0", tmp_path=tmp_path).returncode == 0
    assert ascent("world", *SMALL_ARGS, tmp_path=tmp_path).returncode == 0
    slug = "astronaut-candidates/2016"
    reopened = ascent("shell", "-c", REOPEN.format(slug="2016"), tmp_path=tmp_path)
    assert reopened.returncode == 0, reopened.stderr
    early = ascent("assign", slug, tmp_path=tmp_path)
    assert early.returncode == 2
    assert (
        early.stderr.strip()
        == "Error: no application of this cycle is in review: screen the cycle first"
    )

    screened = ascent("screen", "2016", tmp_path=tmp_path)
    assert screened.returncode == 0, screened.stderr
    assert "Screened 40 applications of Astronaut Candidate Program" in screened.stdout
    assert "failed requirement" in screened.stdout

    assigned = ascent("assign", slug, "--objective", "fair", tmp_path=tmp_path)
    assert assigned.returncode == 0, assigned.stderr
    assert "objective fair" in assigned.stdout
    assert "of a proven ceiling of" in assigned.stdout
    inline = ascent("assign", slug, "--queue", tmp_path=tmp_path)
    assert inline.returncode == 0, inline.stderr
    assert "assignment finished" in inline.stdout

    # With the database backend a worker process runs the queued job.
    queued = ascent("screen", slug, "--queue", tmp_path=tmp_path, ASCENT_TASKS="database")
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("Queued as job ")
    job = queued.stdout.split()[3].rstrip(";")
    state = f"from ascent.common.models import Job; print(Job.objects.get(pk={job}).state)"
    assert ascent("shell", "-c", state, tmp_path=tmp_path).stdout.split()[-1] == "queued"
    refused = ascent("worker", "--batch", tmp_path=tmp_path)
    assert refused.returncode == 2
    assert "set ASCENT_TASKS=database (or redis) for workers" in refused.stderr
    worker = ascent("worker", "--batch", tmp_path=tmp_path, ASCENT_TASKS="database")
    assert worker.returncode == 0, worker.stderr
    assert ascent("shell", "-c", state, tmp_path=tmp_path).stdout.split()[-1] == "done"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screen", "1999"], "Error: no cycle '1999' (known: astronaut-candidates/2015, "
                             "astronaut-candidates/2016)"),
        (["assign", "2015", "--stage", "jury"],
         "Error: --stage: no review stage 'jury' (known: panel)"),
        # (how argparse quotes the choices depends on the Python version)
        (["assign", "2015", "--objective", "best"],
         "ascent assign: error: argument --objective: invalid choice: 'best' (choose from "),
    ],
)  # fmt: skip
def test_screen_and_assign_refuse_bad_arguments(args, message, tmp_path):
    assert ascent("migrate", "--verbosity", "0", tmp_path=tmp_path).returncode == 0
    assert ascent("world", *SMALL_ARGS, tmp_path=tmp_path).returncode == 0
    result = ascent(*args, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(message)


def test_select_from_the_command_line(tmp_path):
    assert ascent("migrate", "--verbosity", "0", tmp_path=tmp_path).returncode == 0
    assert ascent("world", *SMALL_ARGS, tmp_path=tmp_path).returncode == 0
    released = ascent("select", "2015", tmp_path=tmp_path)
    assert released.returncode == 2
    assert "the decisions of this cycle were released on 2015-" in released.stderr

    # the last cycle is loaded reviewed and undecided: staff decide it
    decided = ascent("select", "2016", "--draws", "200", tmp_path=tmp_path)
    assert decided.returncode == 0, decided.stderr
    assert "(run 2; not released)" in decided.stdout  # run 1 decided the 2015 call
    assert "expected overlap of a re-run" in decided.stdout
    assert decided.stdout.count("ASC-2016-") == 3 + 1  # 3 selected, 1 waitlisted
    bad = ascent("select", "2016", "--draws", "0", tmp_path=tmp_path)
    assert bad.returncode == 2
    assert "argument --draws: must be at least 1 (got 0)" in bad.stderr


@pytest.mark.django_db
def test_api_tokens_from_the_command_line_are_narrowed_as_asked(capsys):
    from ascent.cli.base import Error
    from ascent.common.models import ApiToken
    from tests.factories import UserFactory

    UserFactory(username="ada@example.org", email="ada@example.org")
    call_command("api_token", "ADA@example.org", "--role", "reviewer")
    printed = capsys.readouterr().out
    assert "for ada@example.org, as reviewer, read only" in printed
    token = ApiToken.objects.get()
    assert (token.role, token.read_only) == ("reviewer", True)
    assert printed.strip().splitlines()[-1].startswith(f"asc_{token.prefix}_")
    call_command("api_token", "ada@example.org", "--write")
    assert "with all their roles, read and write" in capsys.readouterr().out
    with pytest.raises(Error, match=r"no user with the e-mail nobody@example\.org"):
        call_command("api_token", "nobody@example.org")
    with pytest.raises(Error, match=r"role: ada@example\.org is not staff"):
        call_command("api_token", "ada@example.org", "--role", "staff")
    assert ApiToken.objects.count() == 2  # the refused ones made nothing
