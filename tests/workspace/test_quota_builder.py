"""Quotas (issue #16): per answer of one choice question, at least and at most so many
selected; through the configuration's validators; bad input kept and explained; they
change at any time."""

import pytest
from django.test import Client
from django.utils import timezone

from ascent.common.models import AuditEvent
from ascent.programs.domain.configuration import export_configuration, import_configuration
from ascent.programs.domain.errors import ProgramError
from ascent.programs.models import Quota, TeamMember
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(made_program):
    cycle, client = made_program("conference", "PyCon")
    return cycle, client, f"/staff/cycles/{cycle.pk}/quotas/"


def test_the_manager_sets_quotas_per_answer(conference):
    cycle, client, url = conference
    setup = client.get(f"/staff/cycles/{cycle.pk}/setup/").content.decode()
    assert url in setup
    assert "at least 5" in setup  # the template's own quotas, listed
    page = client.get(url)
    assert page.status_code == 200
    field = page.context["field"]
    values = [row["value"] for row in page.context["rows"]]
    assert len(values) == 3
    ApplicationFactory(cycle=cycle, status="submitted", submitted_at=timezone.now())
    response = client.post(url, {"action": "save", "field": field,
                                 f"min-{values[0]}": "2", f"max-{values[0]}": "4",
                                 f"max-{values[1]}": "6"})  # fmt: skip
    assert response.status_code == 302  # quotas change after people applied, too
    stored = Quota.objects.filter(cycle=cycle).values_list("value", "minimum", "maximum")
    assert sorted(stored) == sorted([(values[0], 2, 4), (values[1], None, 6)])
    assert AuditEvent.objects.filter(verb="cycle.quotas").count() == 1
    client.post(url, {"action": "save", "field": "", "shown": field})  # "No quotas", saved
    assert not Quota.objects.filter(cycle=cycle).exists()


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        ("5", "2", "“at least” is more than “at most”"),
        ("999", "", "more than the"),
        ("-1", "", "a whole number from 0"),
        ("two", "", "a whole number from 0"),
        ("", "1e9", "a whole number from 0"),
        ("²", "", "a whole number from 0"),
        ("9" * 5000, "", "a whole number from 0"),
    ],
)
def test_bad_bounds_are_kept_and_explained(conference, low, high, message):
    cycle, client, url = conference
    page = client.get(url)
    field, value = page.context["field"], page.context["rows"][0]["value"]
    before = list(Quota.objects.filter(cycle=cycle).values_list("value", "minimum", "maximum"))
    response = client.post(url, {"action": "save", "field": field, f"min-{value}": low,
                                 f"max-{value}": high})  # fmt: skip
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    if "seats" not in message and "more than the" not in message:  # a bound's own problem
        assert 'aria-invalid="true"' in body
    assert f'value="{low or high}"' in body
    assert (
        list(Quota.objects.filter(cycle=cycle).values_list("value", "minimum", "maximum")) == before
    )


def test_a_file_with_bounds_upside_down_or_an_answer_twice_is_refused_by_place(conference):
    cycle, _client, _url = conference
    for change, path in ((lambda q: q[0].update(minimum=9, maximum=1), "quotas[0].minimum"),
                         (lambda q: q.append(dict(q[0])), f"quotas[{3}].value")):  # fmt: skip
        data = export_configuration(cycle)
        change(data["quotas"])
        with pytest.raises(ProgramError) as error:
            import_configuration(cycle, data)
        assert path in dict(error.value.problems), error.value.problems


def test_only_a_manager_sets_quotas(conference):
    cycle, _client, url = conference
    observer = UserFactory(is_staff=True)
    TeamMember.objects.create(program=cycle.program, user=observer, role="observer")
    client = Client()
    client.force_login(observer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "save", "field": ""}).status_code == 403
    assert Quota.objects.filter(cycle=cycle).count() == 3


def test_changing_the_question_without_showing_its_answers_removes_nothing(conference):
    cycle, client, url = conference
    page = client.get(url)
    before = list(Quota.objects.filter(cycle=cycle).values_list("value", "minimum", "maximum"))
    other = next(key for key, _label in page.context["fields"] if key != page.context["field"])
    response = client.post(url, {"action": "save", "field": other,
                                 "shown": page.context["field"]})  # fmt: skip
    assert response.status_code == 200
    assert "Set the bounds for this question" in response.content.decode()
    after = Quota.objects.filter(cycle=cycle).values_list("value", "minimum", "maximum")
    assert list(after) == before
