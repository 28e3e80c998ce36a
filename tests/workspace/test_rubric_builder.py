"""The rubric builder (issue #16): criteria with their names, descriptions, advice,
weights, scales and levels in both languages, through the configuration's validators;
bad input kept and explained; once people have applied, only the words change."""

import pytest
from django.test import Client
from django.utils import timezone

from ascent.common.models import AuditEvent
from ascent.programs.models import Criterion, TeamMember
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fellowship(made_program):
    return made_program()


def test_a_new_criterion_with_its_levels_in_both_languages(fellowship):
    cycle, client = fellowship
    base = f"/staff/cycles/{cycle.pk}"
    assert f"{base}/criteria/new/" in client.get(f"{base}/setup/").content.decode()
    page = client.get(f"{base}/criteria/new/").content.decode()
    assert 'name="level-5-description"' in page  # the default scale, 1 to 5
    response = client.post(f"{base}/criteria/new/", {
        "name": "Teamwork", "name_es": "Trabajo en equipo", "description": "Works with others.",
        "description_es": "Trabaja con otras personas.", "advice": "Join a team.",
        "advice_es": "Únase a un equipo.", "weight": "0,2", "scale_min": "1", "scale_max": "3",
        "level-1-description": "Alone.", "level-1-description_es": "Sola o solo.",
        "level-1-advice": "Find one project with others.",
        "level-3-description": "Leads teams.", "level-5-description": "off the new scale",
    })  # fmt: skip
    assert response.status_code == 302
    made = Criterion.objects.get(cycle=cycle, key="teamwork")
    assert (made.weight, made.scale_min, made.scale_max) == (0.2, 1, 3)
    assert made.levels == [
        {"score": 1, "description": "Alone.", "advice": "Find one project with others."},
        {"score": 3, "description": "Leads teams.", "advice": ""},
    ]
    cycle.refresh_from_db()
    es = cycle.translations["es"]
    assert (es["Teamwork"], es["Alone."], es["Join a team."]) == (
        "Trabajo en equipo", "Sola o solo.", "Únase a un equipo.")  # fmt: skip
    assert AuditEvent.objects.filter(verb="cycle.criterion").count() == 1
    page = client.get(f"{base}/criteria/{made.position}/").content.decode()
    assert 'value="Sola o solo."' in page
    assert 'name="level-4-description"' not in page  # the scale is 1 to 3 now


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"weight": "0"}, "weight", "a number from 0.001 to 1000"),
        ({"weight": "heavy"}, "weight", "a number from 0.001 to 1000"),
        ({"weight": "inf"}, "weight", "a number from 0.001 to 1000"),
        ({"weight": "1e-300"}, "weight", "a number from 0.001 to 1000"),
        ({"weight": "1_0"}, "weight", "a number from 0.001 to 1000"),
        ({"scale_min": "5", "scale_max": "1"}, "scale", "the lowest below the highest"),
        ({"scale_min": "1.5"}, "scale", "whole numbers"),
        ({"scale_min": "--1"}, "scale", "whole numbers"),
        ({"scale_max": "²"}, "scale", "whole numbers"),
        ({"scale_min": "0", "scale_max": "20"}, "scale", "at most 11 levels"),
        ({"name": " "}, "name", "give the criterion a name"),
    ],
)
def test_bad_input_is_kept_and_explained_and_nothing_changes(fellowship, data, field, message):
    cycle, client = fellowship
    before = list(Criterion.objects.filter(cycle=cycle).values_list("key", "weight"))
    post = {"name": "Project", "name_es": "Proyecto nuevo", "weight": "0.4", "scale_min": "1",
            "scale_max": "5", "level-2-description": "typed meaning", **data}  # fmt: skip
    response = client.post(f"/staff/cycles/{cycle.pk}/criteria/0/", post)
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="{field}-error"' in body
    assert message in body
    assert "Proyecto nuevo" in body
    assert "typed meaning" in body
    assert list(Criterion.objects.filter(cycle=cycle).values_list("key", "weight")) == before


def test_once_people_have_applied_only_the_words_change(fellowship):
    cycle, client = fellowship
    ApplicationFactory(cycle=cycle, status="submitted", submitted_at=timezone.now())
    url = f"/staff/cycles/{cycle.pk}/criteria/0/"
    page = client.get(url).content.decode()
    assert "the weight and the scale are frozen" in page
    response = client.post(url, {"name": "The project", "weight": "9", "scale_min": "0",
                                 "scale_max": "10", "level-1-description": "Nothing yet."})  # fmt: skip
    assert response.status_code == 302
    project = Criterion.objects.get(cycle=cycle, key="project")
    assert (project.name, project.weight, project.scale_min, project.scale_max) == (
        "The project", 0.4, 1, 5)  # fmt: skip
    assert project.levels[0]["description"] == "Nothing yet."
    assert client.post(f"/staff/cycles/{cycle.pk}/criteria/0/remove/",
                       {"confirm": "yes"}).status_code == 302  # fmt: skip
    assert Criterion.objects.filter(cycle=cycle, key="project").exists()  # refused: frozen


def test_removing_asks_first_and_only_a_manager_changes_the_rubric(fellowship):
    cycle, client = fellowship
    url = f"/staff/cycles/{cycle.pk}/criteria/2/remove/"
    asked = client.post(url)
    assert asked.status_code == 200
    assert "Remove the criterion “Potential”?" in asked.content.decode()
    assert Criterion.objects.filter(cycle=cycle).count() == 3
    coordinator = UserFactory(is_staff=True)
    TeamMember.objects.create(program=cycle.program, user=coordinator, role="coordinator")
    other = Client()
    other.force_login(coordinator)
    for page in ("criteria/0/", "criteria/new/", "stages/0/", "quotas/", "form/0/",
                 "requirements/0/"):  # readable, with every control disabled  # fmt: skip
        body = other.get(f"/staff/cycles/{cycle.pk}/{page}").content.decode()
        assert "only the program's managers change" in body, page
        assert '<fieldset class="bare" disabled>' in body, page
    assert other.post(f"/staff/cycles/{cycle.pk}/criteria/0/", {"name": "X"}).status_code == 403
    assert other.post(url, {"confirm": "yes"}).status_code == 403
    assert client.get(f"/staff/cycles/{cycle.pk}/criteria/9/").status_code == 404
