"""The set-up pages: a new program from a template, a cycle's settings, opening it, the
requirement counts on the last cycle (issue #16)."""

import pytest
from django.test import Client

from ascent.cli.world_loader import load_world
from ascent.programs.models import Cycle, Program, TeamMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff(**extra):
    client = Client()
    user = UserFactory(is_staff=True, **extra)
    client.force_login(user)
    return client, user


GOOD = {"template": "fellowship", "name": "Ada Fellowship", "name_es": "Beca Ada",
        "organisation": "Ada Trust", "slug": "", "cycle_name": "2027", "cycle_name_es": "",
        "opens_at": "2027-01-10T09:00", "deadline": "2027-03-31T17:00",
        "timezone": "Europe/Madrid"}  # fmt: skip


def test_a_staff_member_creates_a_program_from_a_template_and_opens_its_cycle():
    client, user = staff()
    assert "Fellowship or scholarship" in client.get("/staff/programs/new/").content.decode()
    response = client.post("/staff/programs/new/", GOOD)
    cycle = Cycle.objects.get(program__slug="ada-fellowship")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cycles/{cycle.pk}/setup/"
    assert TeamMember.objects.get(program=cycle.program).user == user
    assert cycle.opens_at.isoformat() == "2027-01-10T08:00:00+00:00"  # 09:00 in Madrid
    page = client.get(f"/staff/cycles/{cycle.pk}/setup/").content.decode()
    assert "Statement of purpose" in page  # the preview of the form
    assert "at least bachelor" in page.lower() or "Bachelor" in page  # the rule's sentence
    spanish = client.get(f"/staff/cycles/{cycle.pk}/setup/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Declaración de propósito" in spanish.content.decode()
    asked = client.post(f"/staff/cycles/{cycle.pk}/state/open/")
    assert "Yes, open it" in asked.content.decode()
    assert Cycle.objects.get(pk=cycle.pk).state == "draft"  # one click opens nothing
    client.post(f"/staff/cycles/{cycle.pk}/state/open/", {"confirm": "yes"})
    assert Cycle.objects.get(pk=cycle.pk).state == "open"
    saved = client.post(f"/staff/cycles/{cycle.pk}/setup/", {
        "name": "2027 call", "name_es": "Convocatoria 2027", "opens_at": "2027-01-10T09:00",
        "deadline": "2027-04-30T17:00", "capacity": "8"})  # fmt: skip
    assert saved.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.name, cycle.capacity, cycle.translations["es"]["2027 call"]) == (
        "2027 call",
        8,
        "Convocatoria 2027",
    )
    assert "2027" not in cycle.translations["es"]  # the old name's translation went with it


def test_bad_input_is_kept_and_named_beside_its_field():
    client, _user = staff()
    Program.objects.create(name="Taken", slug="taken", organisation="x")
    bad = {**GOOD, "slug": "taken", "deadline": "2026-12-01T00:00", "template": "nope",
           "organisation": ""}  # fmt: skip
    response = client.post("/staff/programs/new/", bad)
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"template", "organisation"}  # the form's own checks first
    assert 'value="Ada Fellowship"' in response.content.decode()
    response = client.post("/staff/programs/new/", {**bad, "template": "grant",
                                                    "organisation": "Ada Trust"})  # fmt: skip
    assert set(response.context["form"].errors) == {"slug", "deadline"}
    assert Cycle.objects.count() == 0


def test_requirement_counts_read_the_last_cycle(small_world):
    load_world(small_world)
    last = Cycle.objects.order_by("-deadline").first()
    client, _user = staff(is_superuser=True)
    page = client.get(f"/staff/cycles/{last.pk}/setup/")
    figures = page.context["requirements"]
    assert figures["previous"] is not None
    assert 0 < figures["all"] <= figures["total"]
    assert all(0 <= row["passed"] <= figures["total"] for row in figures["rows"])
    assert min(row["passed"] for row in figures["rows"]) >= figures["all"]
    assert "people have applied" in page.content.decode()


def test_who_may_change_the_set_up():
    client, _user = staff()
    client.post("/staff/programs/new/", GOOD)
    cycle = Cycle.objects.get()
    coordinator, other = staff()
    TeamMember.objects.create(program=cycle.program, user=other, role="coordinator")
    assert coordinator.get(f"/staff/cycles/{cycle.pk}/setup/").status_code == 200
    assert coordinator.post(f"/staff/cycles/{cycle.pk}/state/open/",
                            {"confirm": "yes"}).status_code == 403  # fmt: skip
    stranger, _u = staff()
    assert stranger.get(f"/staff/cycles/{cycle.pk}/setup/").status_code == 404
    assert Client().get("/staff/programs/new/").status_code == 302
    applicant = Client()
    applicant.force_login(UserFactory())
    assert applicant.get("/staff/programs/new/").status_code == 403
