"""The stage page (issue #16): a stage's names and how its review runs, saved through
the configuration's validators; bad input kept and explained; how a stage runs can
still change once people have applied."""

import pytest
from django.test import Client
from django.utils import timezone

from ascent.common.models import AuditEvent
from ascent.programs.models import TeamMember
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fellowship(made_program):
    cycle, client = made_program()
    panel = cycle.stages.get(kind="review")
    index = list(cycle.stages.order_by("position", "id")).index(panel)
    return cycle, client, panel, f"/staff/cycles/{cycle.pk}/stages/{index}/"


def test_the_manager_changes_how_a_stage_runs(fellowship):
    cycle, client, panel, url = fellowship
    assert url in client.get(f"/staff/cycles/{cycle.pk}/setup/").content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="3"' in page.content.decode()
    response = client.post(url, {"name": "First reading", "name_es": "Primera lectura",
                                 "reviews_per_application": "1", "blind": "on"})  # fmt: skip
    assert response.status_code == 302
    panel = cycle.stages.get(kind="review")  # before anyone applies, rows are replaced
    assert (panel.name, panel.reviews_per_application, panel.blind) == ("First reading", 1, True)
    assert panel.others_scores_after_submit is False  # unticked
    cycle.refresh_from_db()
    assert cycle.translations["es"]["First reading"] == "Primera lectura"
    assert "Panel review" not in cycle.translations["es"]  # the old name's translation goes
    assert AuditEvent.objects.filter(verb="cycle.stage").count() == 1
    ApplicationFactory(cycle=cycle, status="submitted", submitted_at=timezone.now())
    again = client.post(url, {"name": "First reading", "reviews_per_application": "2"})
    assert again.status_code == 302  # still editable once people have applied
    panel.refresh_from_db()
    assert panel.reviews_per_application == 2
    cycle.refresh_from_db()
    assert "First reading" not in cycle.translations["es"]  # emptied: removed


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "Panel", "reviews_per_application": "0"},
            "reviews",
            "a whole number from 1 to 20",
        ),
        ({"name": "Panel", "reviews_per_application": "2.5"}, "reviews", "a whole number from 1"),
        ({"name": "Panel", "reviews_per_application": "21"}, "reviews", "a whole number from 1"),
        ({"name": "Panel", "reviews_per_application": "1e9"}, "reviews", "a whole number from 1"),
        ({"name": "Panel", "reviews_per_application": "²"}, "reviews", "a whole number from 1"),
        ({"name": "Panel", "reviews_per_application": "9" * 5000}, "reviews", "a whole number"),
        ({"name": "  ", "reviews_per_application": "2"}, "name", "give the stage a name"),
        ({"name": "x" * 201, "reviews_per_application": "2"}, "name", "at most 200 characters"),
    ],
)
def test_bad_input_is_kept_and_explained_and_nothing_changes(fellowship, data, field, message):
    cycle, client, _panel, url = fellowship
    response = client.post(url, {**data, "name_es": "Comité"})
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="{field}-error"' in body
    assert message in body
    assert "Comité" in body
    panel = cycle.stages.get(kind="review")
    assert (panel.name, panel.reviews_per_application) == ("Panel review", 3)


def test_only_a_manager_changes_a_stage(fellowship):
    cycle, _client, _panel, url = fellowship
    client = Client()
    for role, status in (("coordinator", 403), ("observer", 403)):
        user = UserFactory(is_staff=True)
        TeamMember.objects.create(program=cycle.program, user=user, role=role)
        client.force_login(user)
        assert client.get(url).status_code == 200  # reading is every team member's
        assert client.post(url, {"name": "X", "reviews_per_application": "1"}).status_code == status
    assert client.get(f"/staff/cycles/{cycle.pk}/stages/99/").status_code == 404


def test_stages_are_added_moved_and_removed_until_someone_applies(fellowship):
    cycle, client, _panel, _url = fellowship
    base = f"/staff/cycles/{cycle.pk}/stages"

    def keys():
        return list(cycle.stages.order_by("position", "id").values_list("key", "kind"))

    before = keys()
    page = client.get(f"{base}/new/", {"kind": "interview"}).content.decode()
    assert 'name="reviews_per_application"' in page
    bad = client.post(f"{base}/new/", {"kind": "interview", "name": "Interviews",
                                       "reviews_per_application": "0"})  # fmt: skip
    assert bad.status_code == 422
    assert keys() == before
    made = client.post(f"{base}/new/", {"kind": "interview", "name": "Interviews",
                                        "name_es": "Entrevistas",
                                        "reviews_per_application": "2"})  # fmt: skip
    assert made.status_code == 302
    assert keys() == [*before, ("interviews", "interview")]
    last = len(before)
    client.post(f"{base}/{last}/move/up/")
    assert keys()[last - 1] == ("interviews", "interview")
    assert client.post(f"{base}/{last - 1}/remove/").status_code == 200  # asks first
    assert len(keys()) == len(before) + 1
    client.post(f"{base}/{last - 1}/remove/", {"confirm": "yes"})
    assert keys() == before
    cycle.refresh_from_db()
    assert "Interviews" not in cycle.translations["es"]
    ApplicationFactory(cycle=cycle, status="submitted", submitted_at=timezone.now())
    client.post(f"{base}/0/move/down/")
    assert keys() == before  # frozen once people have applied
    assert "Add a stage" not in client.get(f"/staff/cycles/{cycle.pk}/setup/").content.decode()


def test_a_stage_moved_or_removed_by_someone_else_is_never_mistaken_for_another(fellowship):
    """Rows are addressed by their place on the page; the form also sends the row's key,
    so a manager's save still reaches the stage they opened after another manager moved
    it, and a stage removed meanwhile is said, with what they typed kept."""
    cycle, client, _panel, _url = fellowship
    base = f"/staff/cycles/{cycle.pk}/stages"

    def keys():
        return list(cycle.stages.order_by("position", "id").values_list("key", flat=True))

    before = keys()
    first, second = before[0], before[1]
    page = client.get(f"{base}/0/").content.decode()
    assert f'name="row" value="{first}"' in page
    setup = client.get(f"/staff/cycles/{cycle.pk}/setup/").content.decode()
    assert f'name="row" value="{first}"' in setup  # the move and remove buttons send it too
    client.post(f"{base}/0/move/down/", {"row": first})  # someone else, meanwhile
    assert keys()[:2] == [second, first]
    saved = client.post(f"{base}/0/", {"row": first, "name": "Renamed first",
                                       "reviews_per_application": "1"})  # fmt: skip
    assert saved.status_code == 302
    renamed = cycle.stages.get(key=first)
    assert renamed.name == "Renamed first"
    assert cycle.stages.get(key=second).name != "Renamed first"
    asked = client.post(f"{base}/0/remove/", {"row": first}).content.decode()
    assert "Renamed first" in asked  # the confirmation names the stage meant...
    assert f'name="row" value="{first}"' in asked  # ...and its answer names it too
    client.post(f"{base}/0/remove/", {"row": first, "confirm": "yes"})
    assert keys()[0] == second
    assert first not in keys()
    lost = client.post(f"{base}/0/", {"row": first, "name": "Typed after it went",
                                      "reviews_per_application": "2"})  # fmt: skip
    assert lost.status_code == 422
    text = lost.content.decode()
    assert "Someone else removed this" in text
    assert 'value="Typed after it went"' in text
    assert f'name="row" value="{first}"' in text  # saving again stays refused
    assert "Typed after it went" not in set(cycle.stages.values_list("name", flat=True))
    moved = client.post(f"{base}/0/move/down/", {"row": first}, follow=True)
    assert "Someone else has removed it" in moved.content.decode()
    assert keys()[0] == second


@pytest.mark.parametrize("part", ["criteria", "requirements", "form"])
def test_every_row_editor_refuses_a_row_someone_else_removed(fellowship, part):
    cycle, client, _panel, _url = fellowship
    before = client.get(f"/staff/cycles/{cycle.pk}/configuration/?format=json").content
    url = f"/staff/cycles/{cycle.pk}/{part}/0/"
    assert 'name="row" value="' in client.get(url).content.decode()
    lost = client.post(url, {"row": "gone_meanwhile", "name": "Typed", "label": "Typed",
                             "kind": "text", "weight": "1", "scale_min": "1",
                             "scale_max": "5"})  # fmt: skip
    assert lost.status_code == 422
    assert "Someone else removed this" in lost.content.decode()
    assert client.get(f"/staff/cycles/{cycle.pk}/configuration/?format=json").content == before
    removed = client.post(f"/staff/cycles/{cycle.pk}/{part}/0/remove/",
                          {"row": "gone_meanwhile", "confirm": "yes"}, follow=True)  # fmt: skip
    assert "Someone else has removed it" in removed.content.decode()
    assert client.get(f"/staff/cycles/{cycle.pk}/configuration/?format=json").content == before
