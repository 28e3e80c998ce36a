"""The requirement builder: conditions to a rule, its sentence and a live count on the
last cycle's applicants, saving through the configuration's validators (issue #16)."""

import datetime as dt

import pytest
from django.test import Client

from ascent.cli.world_loader import load_world
from ascent.engine.rules import compile_rule
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.domain.forms import form_of
from ascent.programs.models import Cycle, Requirement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(small_world):
    """A draft next cycle of the small world, its last cycle's applicants to count on."""
    load_world(small_world)
    last = Cycle.objects.order_by("-deadline").first()
    year = dt.timedelta(days=365)
    return copy_cycle(last, name="Next", slug="next", opens_at=last.opens_at + year,
                      deadline=last.deadline + year)  # fmt: skip


@pytest.fixture
def manager():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


CONDITIONS = {"name": "Medical and languages", "name_es": "Médica e idiomas",
              "description": "Class 2 and Spanish.", "combine": "all",
              "measure-0": "field:medical_class", "op-0": ">=", "value-0": "Class 2",
              "measure-1": "field:languages", "op-1": "contains", "value-1": "es",
              "measure-2": "count:degrees", "op-2": ">=", "value-2": "1"}  # fmt: skip


def test_the_live_check_says_the_rule_and_counts_who_would_pass(draft, manager):
    last = Cycle.objects.exclude(pk=draft.pk).order_by("-deadline").first()
    answers = list(last.applications.exclude(status__in=["draft", "withdrawn"])
               .values_list("answers", flat=True))  # fmt: skip
    response = manager.get(f"/staff/cycles/{draft.pk}/requirements/check/", CONDITIONS)
    check = response.context["check"]
    rule = {"all": [{"field": "medical_class", "op": ">=", "value": "class_2"},
                    {"field": "languages", "op": "contains", "value": "es"},
                    {"count": "degrees", "op": ">=", "value": 1}]}  # fmt: skip
    test = compile_rule(rule, form_of(draft)).tester(draft.deadline.date())
    assert check["total"] == len(answers) > 0
    assert check["passed"] == sum(bool(test(a)) for a in answers)
    assert 0 < check["passed"] < check["total"]
    page = response.content.decode()
    assert f"{check['passed']} would pass" in page
    assert "Medical certificate is at least Class 2" in page


def test_a_requirement_is_added_changed_and_removed(draft, manager):
    before = draft.requirements.count()
    page = manager.get(f"/staff/cycles/{draft.pk}/requirements/new/")
    assert "number of: Degrees" in page.content.decode()
    checked = manager.post(f"/staff/cycles/{draft.pk}/requirements/new/",
                           {**CONDITIONS, "action": "check"})  # fmt: skip
    assert checked.status_code == 200
    assert draft.requirements.count() == before  # checking saves nothing
    saved = manager.post(f"/staff/cycles/{draft.pk}/requirements/new/", CONDITIONS)
    assert saved.status_code == 302
    added = Requirement.objects.get(cycle=draft, key="medical-and-languages")
    assert added.rule["all"][0] == {"field": "medical_class", "op": ">=", "value": "class_2"}
    draft.refresh_from_db()
    assert draft.translations["es"]["Medical and languages"] == "Médica e idiomas"
    index = before  # the new one is last
    edit = manager.get(f"/staff/cycles/{draft.pk}/requirements/{index}/")
    assert edit.context["values"]["combine"] == "all"
    assert edit.context["rows"][1]["measure"] == "field:languages"
    manager.post(f"/staff/cycles/{draft.pk}/requirements/{index}/",
                 {**CONDITIONS, "name": "Medical or languages", "combine": "any"})  # fmt: skip
    added = Requirement.objects.get(cycle=draft, key="medical-and-languages")  # rows are rewritten
    assert (added.name, set(added.rule)) == ("Medical or languages", {"any"})
    draft.refresh_from_db()
    assert "Medical and languages" not in draft.translations["es"]  # its old name's words went
    asked = manager.post(f"/staff/cycles/{draft.pk}/requirements/{index}/remove/")
    assert "Yes, remove it" in asked.content.decode()
    manager.post(f"/staff/cycles/{draft.pk}/requirements/{index}/remove/", {"confirm": "yes"})
    assert draft.requirements.count() == before
    # a rule the rows cannot hold is shown as JSON and kept as it was
    stem = manager.get(f"/staff/cycles/{draft.pk}/requirements/1/")
    assert '"some": "degrees"' in stem.context["values"]["rule_json"]


def test_bad_conditions_are_named_and_kept(draft, manager):
    before = list(Requirement.objects.filter(cycle=draft).values_list("rule", flat=True))
    bad = {**CONDITIONS, "name": "", "op-1": ">=", "value-2": ""}
    response = manager.post(f"/staff/cycles/{draft.pk}/requirements/new/", bad)
    assert response.status_code == 422
    assert response.context["rows"][2]["error"] == "type the value to compare with"
    assert "name" in response.context["problems"]
    response = manager.post(f"/staff/cycles/{draft.pk}/requirements/new/",
                            {**CONDITIONS, "op-1": ">="})  # fmt: skip
    assert response.status_code == 422
    assert "any[1].op" in response.context["problems"]["rule"] or "all[1].op" in \
        response.context["problems"]["rule"]  # fmt: skip
    assert 'value="Medical and languages"' in response.content.decode()
    json_bad = manager.post(f"/staff/cycles/{draft.pk}/requirements/new/",
                            {**CONDITIONS, "rule_json": "{nope"})  # fmt: skip
    assert json_bad.context["problems"]["rule_json"] == "not valid JSON"
    assert list(Requirement.objects.filter(cycle=draft).values_list("rule", flat=True)) == before


def test_a_coordinator_reads_but_cannot_change_requirements(draft):
    from ascent.programs.models import TeamMember

    client = Client()
    user = UserFactory(is_staff=True)
    TeamMember.objects.create(program=draft.program, user=user, role="coordinator")
    client.force_login(user)
    assert (
        client.get(f"/staff/cycles/{draft.pk}/requirements/check/", CONDITIONS).status_code == 200
    )
    assert client.post(f"/staff/cycles/{draft.pk}/requirements/new/", CONDITIONS).status_code == 403
    assert client.post(f"/staff/cycles/{draft.pk}/requirements/0/remove/",
                       {"confirm": "yes"}).status_code == 403  # fmt: skip


@pytest.mark.parametrize("bad", ["NaN", "inf", "1e400"])
def test_a_value_that_is_not_a_finite_number_is_refused(draft, manager, bad):
    response = manager.post(f"/staff/cycles/{draft.pk}/requirements/new/",
                            {**CONDITIONS, "value-2": bad})  # fmt: skip
    assert response.status_code == 422
    assert "must be a number" in response.context["problems"]["rule"]


def test_the_cached_count_follows_the_previous_cycles_answers(draft, manager):
    """Each rule's result on the last cycle is cached; an applicant who deletes their
    account (answers blanked in one update) still changes the count at once."""
    from ascent.applications.domain.privacy import delete_account
    from ascent.applications.models import Application

    check = {k: v for k, v in CONDITIONS.items() if k.endswith("-0") or k == "combine"}
    url = f"/staff/cycles/{draft.pk}/requirements/check/"
    before = manager.get(url, check).context["check"]["passed"]
    last = Cycle.objects.exclude(pk=draft.pk).order_by("-deadline").first()
    test = compile_rule({"field": "medical_class", "op": ">=", "value": "class_2"},
                        form_of(draft)).tester(draft.deadline.date())  # fmt: skip
    passing = next(a for a in Application.objects.filter(cycle=last).exclude(status="draft")
                   if test(a.answers or {}))  # fmt: skip
    delete_account(passing.applicant.user)
    assert manager.get(url, check).context["check"]["passed"] == before - 1


def test_the_rules_own_problems_read_in_spanish(draft):
    """The rules engine (no Django) names what is wrong in English; the builder says it in
    the reader's language, with the values in it."""
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    rule = '{"field": "medical_class", "op": ">=", "value": "class_9"}'
    page = client.get(f"/staff/cycles/{draft.pk}/requirements/check/",
                      {"rule_json": rule}).content.decode()  # fmt: skip
    assert "no es una opción de" in page
    assert "is not a choice of" not in page


def test_a_field_kind_in_a_rule_problem_is_said_in_words(draft):
    rule = '{"some": "medical_class"}'
    for language, said in (("en", "is a choice field"), ("es", "es un campo de tipo opción")):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        page = client.get(f"/staff/cycles/{draft.pk}/requirements/check/",
                          {"rule_json": rule}).content.decode()  # fmt: skip
        assert said in page
        assert "multi_choice" not in page


def test_an_existing_condition_shows_choices_by_their_labels_and_saves_them_back(draft, manager):
    """Editing a requirement shows "Class 2", not the code "class_2"; in Spanish the
    program's Spanish labels; saving the page unchanged keeps the rule as it was."""
    made = manager.post(f"/staff/cycles/{draft.pk}/requirements/new/", CONDITIONS)
    assert made.status_code == 302, made.context["problems"]
    added = Requirement.objects.get(cycle=draft, key="medical-and-languages")
    index = list(draft.requirements.order_by("position", "id")).index(added)
    url = f"/staff/cycles/{draft.pk}/requirements/{index}/"
    rows = manager.get(url).context["rows"]
    assert rows[0]["value"] == "Class 2"
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
    spanish.force_login(UserFactory(is_staff=True, is_superuser=True))
    shown = spanish.get(url).context["rows"]
    said = [row["value"] for row in shown[:2]]
    assert said[0] == "Clase 2"
    again = {**CONDITIONS, **{f"value-{i}": value for i, value in enumerate(said)}}
    assert spanish.post(url, again).status_code == 302
    kept = Requirement.objects.get(cycle=draft, key="medical-and-languages")  # rows rewritten
    assert kept.rule == added.rule
