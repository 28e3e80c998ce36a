"""Cycle configuration as one file, and the analytics page with its exports."""

import csv
import io

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ascent.applications.models import Application
from ascent.cli.world_loader import load_world, undecide_cycle
from ascent.decisions.domain.deciding import decide_cycle, release_decisions
from ascent.programs.domain.configuration import export_configuration
from ascent.programs.models import Criterion, Cycle, Requirement
from tests.factories import CycleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def upload(text, name="config.yaml"):
    return {"file": SimpleUploadedFile(name, text.encode())}


def test_a_configuration_round_trips_into_an_empty_cycle(staff_client, open_cycle):
    exported = staff_client.get(f"/staff/cycles/{open_cycle.pk}/configuration/?format=yaml")
    data = yaml.safe_load(exported.content)
    assert [f["key"] for f in data["form"]][:2] == ["full_name", "jet_hours"]
    empty = CycleFactory(program=open_cycle.program)
    done = staff_client.post(
        f"/staff/cycles/{empty.pk}/configuration/", upload(exported.content.decode())
    )
    assert done.status_code == 302
    assert export_configuration(empty) | {"capacity": 0} == data | {"capacity": 0}
    json_text = staff_client.get(f"/staff/cycles/{empty.pk}/configuration/?format=json").content
    assert json_text.decode().startswith("{")


def test_a_bad_configuration_names_every_place_and_writes_nothing(staff_client, open_cycle):
    data = export_configuration(open_cycle)
    data["requirements"][0]["rule"] = {"field": "height", "op": ">=", "value": 1}
    data["criteria"][0]["weight"] = "heavy"
    data["stages"] = [{"key": "x", "name": "X", "kind": "party"}]
    data["form"][0]["colour"] = "blue"
    empty = CycleFactory(program=open_cycle.program)
    page = staff_client.post(f"/staff/cycles/{empty.pk}/configuration/",
                             upload(yaml.safe_dump(data)))  # fmt: skip
    assert page.status_code == 422
    paths = [p for p, _m in page.context["problems"]]
    assert "requirements[0].rule.field" in paths
    assert "criteria[0].weight" in paths
    assert "stages[0].kind" in paths
    assert "form[0].colour" in paths
    assert not Requirement.objects.filter(cycle=empty).exists()
    assert not Criterion.objects.filter(cycle=empty).exists()
    garbage = staff_client.post(f"/staff/cycles/{empty.pk}/configuration/", upload("{: nope"))
    assert "not valid JSON or YAML" in garbage.content.decode()
    other = staff_client.post(f"/staff/cycles/{empty.pk}/configuration/", upload("a: 1"))
    assert "not an Ascent cycle configuration" in other.content.decode()


def test_a_cycle_with_applications_keeps_its_configuration(staff_client, small_world):
    load_world(small_world)
    cycle = Cycle.objects.first()
    data = export_configuration(cycle)
    data["criteria"][0]["weight"] = 0.99
    page = staff_client.post(f"/staff/cycles/{cycle.pk}/configuration/",
                             upload(yaml.safe_dump(data)))  # fmt: skip
    assert page.status_code == 422
    assert "frozen: people have applied" in page.content.decode()
    assert cycle.criteria.first().weight != 0.99
    same = staff_client.post(f"/staff/cycles/{cycle.pk}/configuration/",
                             upload(yaml.safe_dump(export_configuration(cycle))))  # fmt: skip
    assert same.status_code == 302  # words, translations, capacity and quotas may change


def test_analytics_tables_and_exports(staff_client, small_world):
    load_world(small_world)
    previous, cycle = (Cycle.objects.get(slug=c.slug) for c in small_world.cycles[-2:])
    undecide_cycle(cycle)
    decide_cycle(cycle, draws=50)
    release_decisions(cycle)
    page = staff_client.get(f"/staff/cycles/{cycle.pk}/analytics/")
    assert page.status_code == 200
    tables = {t.key: t for t in page.context["tables"]}
    plots = page.context["distributions"]
    assert {p["name"] for p in plots} == set(cycle.criteria.values_list("name", flat=True))
    assert sum(b["n"] for b in plots[0]["bars"]) > 0
    funnel = dict(tables["funnel"].rows)
    assert funnel["applied"] == len(small_world.cycles[-1].answers)
    assert funnel["selected (decided)"] == cycle.capacity
    assert all(row[1] is None or -1 <= row[1] <= 1 for row in tables["agreement"].rows)
    assert len(tables["reviewers"].rows) > 0
    assert all(str(row[2]) != "-0.0" for row in tables["reviewers"].rows)
    repeat = tables["repeat"]
    assert repeat.headers[:2] == ["applicant", "receipt"]
    assert repeat.rows, "the small world has repeat applicants"
    receipts = [row[1] for row in repeat.rows]
    assert all(receipts)
    assert len(set(receipts)) == len(receipts)
    assert set(receipts) <= set(Application.objects.filter(cycle=cycle)
                                .values_list("receipt", flat=True))  # fmt: skip
    exported = staff_client.get(f"/staff/cycles/{cycle.pk}/analytics/?table=scores&format=csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0] == ["criterion", "score", "count"]
    book = load_workbook(io.BytesIO(staff_client.get(
        f"/staff/cycles/{cycle.pk}/analytics/?table=funnel&format=xlsx").content))  # fmt: skip
    assert book.active["A1"].value == "step"
    assert (
        staff_client.get(f"/staff/cycles/{cycle.pk}/analytics/?table=x&format=csv").status_code
        == 404
    )
    assert previous.pk != cycle.pk


def test_a_rounded_bias_never_reads_minus_zero():
    """Issue #20: a reviewer's calibrated bias showed as "-0.0"."""
    from ascent.decisions.domain.analytics import _round

    assert str(_round(-0.001)) == "0.0"
    assert str(_round(-0.004, 2)) == "0.0"
    assert _round(-0.5) == -0.5
