"""The form builder: questions of every kind added, changed, moved and removed in both
languages, through the configuration's validators; frozen once people applied."""

import pytest

from ascent.programs.models import FormField
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_and_client(made_program):
    return made_program()


def keys(cycle):
    return list(
        FormField.objects.filter(cycle=cycle).order_by("position").values_list("key", flat=True)
    )


def test_questions_of_every_kind_are_added_in_both_languages(cycle_and_client):
    cycle, client = cycle_and_client
    before = keys(cycle)
    response = client.post(f"/staff/cycles/{cycle.pk}/form/new/", {
        "label": "Languages you speak", "label_es": "Idiomas que habla", "kind": "multi_choice",
        "help_text": "Tick each one.", "help_es": "Marque cada uno.", "required": "on",
        "choices": "en | English | Inglés\nes | Spanish | Español"})  # fmt: skip
    assert response.status_code == 302
    field = FormField.objects.get(cycle=cycle, key="languages_you_speak")
    assert field.required
    assert field.kind == "multi_choice"
    assert field.choices == [
        {"value": "en", "label": "English"},
        {"value": "es", "label": "Spanish"},
    ]
    cycle.refresh_from_db()
    assert cycle.translations["es"]["Spanish"] == "Español"
    assert cycle.translations["es"]["Languages you speak"] == "Idiomas que habla"
    client.post(f"/staff/cycles/{cycle.pk}/form/new/", {
        "label": "Publications", "kind": "records",
        "columns": "title | text | Title | Título\nyear | number | Year | Año"})  # fmt: skip
    assert FormField.objects.get(cycle=cycle, key="publications").columns[1]["key"] == "year"
    assert keys(cycle) == [*before, "languages_you_speak", "publications"]
    page = client.get(f"/staff/cycles/{cycle.pk}/setup/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Idiomas que habla" in page.content.decode()  # the preview in Spanish
    # moved, renamed, removed
    client.post(f"/staff/cycles/{cycle.pk}/form/{len(before)}/move/up/")
    assert keys(cycle)[len(before) - 1] == "languages_you_speak"
    client.post(f"/staff/cycles/{cycle.pk}/form/{len(before) - 1}/", {
        "label": "Languages", "label_es": "Idiomas", "kind": "multi_choice",
        "choices": "en | English | Inglés\nes | Spanish | Español"})  # fmt: skip
    cycle.refresh_from_db()
    assert FormField.objects.get(cycle=cycle, key="languages_you_speak").label == "Languages"
    assert "Languages you speak" not in cycle.translations["es"]
    index = keys(cycle).index("publications")
    assert (
        "Yes, remove it"
        in client.post(f"/staff/cycles/{cycle.pk}/form/{index}/remove/").content.decode()
    )
    client.post(f"/staff/cycles/{cycle.pk}/form/{index}/remove/", {"confirm": "yes"})
    assert "publications" not in keys(cycle)


def test_bad_questions_are_named_beside_their_field_and_nothing_is_saved(cycle_and_client):
    cycle, client = cycle_and_client
    before = keys(cycle)
    response = client.post(f"/staff/cycles/{cycle.pk}/form/new/", {
        "label": "", "kind": "choice", "choices": "", "max_value": "lots"})  # fmt: skip
    assert response.status_code == 422
    assert set(response.context["problems"]) == {"label", "choices", "max_value"}
    response = client.post(f"/staff/cycles/{cycle.pk}/form/new/", {
        "label": "Age", "kind": "number", "min_value": "90", "max_value": "10"})  # fmt: skip
    assert response.status_code == 422
    assert 'value="Age"' in response.content.decode()
    response = client.post(f"/staff/cycles/{cycle.pk}/form/new/", {
        "label": "Rows", "kind": "records", "columns": "a | colour | A"})  # fmt: skip
    assert "line 1" in response.context["problems"]["columns"]
    # a question a requirement reads cannot go
    index = keys(cycle).index("degree")
    client.post(f"/staff/cycles/{cycle.pk}/form/{index}/remove/", {"confirm": "yes"})
    assert keys(cycle) == before


def test_once_people_applied_only_the_words_change(cycle_and_client):
    cycle, client = cycle_and_client
    ApplicationFactory(cycle=cycle)
    page = client.get(f"/staff/cycles/{cycle.pk}/form/0/").content.decode()
    assert "only the words can change" in page
    ok = client.post(f"/staff/cycles/{cycle.pk}/form/0/", {
        "label": "Your full name", "kind": "text", "max_length": "200", "required": "on",
        "identifying": "on"})  # fmt: skip
    assert ok.status_code == 302
    assert FormField.objects.get(cycle=cycle, key="full_name").label == "Your full name"
    frozen = client.post(f"/staff/cycles/{cycle.pk}/form/0/", {
        "label": "Your full name", "kind": "long_text", "required": "on", "identifying": "on",
        "max_length": "200"})  # fmt: skip
    assert frozen.status_code == 422
    assert "frozen" in frozen.context["general"]
    assert client.post(f"/staff/cycles/{cycle.pk}/form/new/", {
        "label": "New", "kind": "text"}).status_code == 422  # fmt: skip


@pytest.mark.parametrize("bad", ["NaN", "inf", "-Infinity", "1e400", "10000000000000000000"])
def test_numbers_out_of_range_are_refused_beside_their_field(cycle_and_client, bad):
    cycle, client = cycle_and_client
    response = client.post(f"/staff/cycles/{cycle.pk}/form/new/", {
        "label": "Age", "kind": "number", "min_value": bad, "max_length": bad})  # fmt: skip
    assert response.status_code == 422
    assert set(response.context["problems"]) == {"min_value", "max_length"}
