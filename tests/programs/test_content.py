"""A program's own words in both languages (issue #15): phrasebooks per cycle and
program, the form in the reader's language, the configuration file, the demo's Spanish."""

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ascent.engine.forms import Choice, FieldSpec
from ascent.programs.domain.configuration import export_configuration
from ascent.programs.domain.content import (
    check_translations,
    localized_form,
    phrase,
    phrasebook,
    reader_form,
    texts_of,
)
from ascent.programs.models import Cycle, Requirement
from tests.factories import CycleFactory, UserFactory

pytestmark = pytest.mark.django_db

SPANISH = {"Full name": "Nombre completo", "Citizenship": "Nacionalidad", "USA": "EE. UU.",
           "Field": "Área", "Jet time": "Horas de reactor", "jet time": "horas de reactor"}  # fmt: skip


def test_a_text_is_translated_only_into_a_language_it_has():
    owner = type(
        "Owner", (), {"translations": {"es": {"Full name": "Nombre completo", "Blank": " "}}}
    )
    with translation.override("es"):
        assert phrase("Full name", owner) == "Nombre completo"
        assert phrase("Blank", owner) == "Blank"  # an empty translation is no translation
        assert phrase("Statement", owner) == "Statement"  # the default language's text
    with translation.override("en"):
        assert phrase("Full name", owner) == "Full name"
    assert phrasebook(owner, language="es-mx") == {"Full name": "Nombre completo"}


def test_a_localized_form_keeps_keys_values_and_rules():
    form = (FieldSpec("degrees", "Degrees", "records", fields=(
        FieldSpec("level", "Level", "choice", choices=(Choice("master", "Master's"),), ordered=True),
    )),)  # fmt: skip
    shown = localized_form(form, {"Degrees": "Títulos", "Level": "Nivel", "Master's": "Máster"})
    assert shown[0].label == "Títulos"
    assert shown[0].fields[0].label == "Nivel"
    assert shown[0].fields[0].choices == (Choice("master", "Máster"),)
    assert shown[0].fields[0].ordered is True
    assert shown[0].key == "degrees"


def test_the_applicant_reads_the_form_and_requirements_in_spanish(client, open_cycle):
    open_cycle.translations = {"es": SPANISH}
    open_cycle.save()
    user = UserFactory()
    client.force_login(user)
    with translation.override("es"):
        assert [s.label for s in reader_form(open_cycle)][:1] == ["Nombre completo"]
    page = client.get(f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/",
                      HTTP_ACCEPT_LANGUAGE="es")  # fmt: skip
    assert "Horas de reactor" in page.content.decode()
    english = client.get(f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/",
                         HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "Jet time" in english.content.decode()
    assert "Horas de reactor" not in english.content.decode()


def test_translations_are_checked_with_the_place_and_the_rule(open_cycle):
    problems = dict(check_translations(
        {"fr": {"Full name": "Nom"}, "es": {"Full name": "", "Shoe size": "Talla"}},
        known=texts_of(open_cycle),
    ))  # fmt: skip
    assert problems["translations.fr"].startswith("a language of this site")
    assert problems["translations.es.Full name"] == "a translation (text, not empty)"
    assert problems["translations.es.Shoe size"] == "not a text of this configuration"
    assert check_translations({"es": SPANISH}, known=texts_of(open_cycle)) == []
    open_cycle.translations = {"es": {"Shoe size": "Talla"}}
    with pytest.raises(ValidationError, match="not a text of this configuration"):
        open_cycle.clean()  # the admin's form shows the same message beside the field


def test_the_configuration_file_carries_the_translations(client, open_cycle):
    client.force_login(UserFactory(is_staff=True))
    open_cycle.translations = {"es": {**SPANISH, open_cycle.name: "Convocatoria"}}
    open_cycle.save()
    data = export_configuration(open_cycle)
    assert data["translations"] == {"es": SPANISH}  # a name belongs to its own cycle
    target = CycleFactory(program=open_cycle.program)
    done = client.post(f"/staff/cycles/{target.pk}/configuration/",
                       {"file": SimpleUploadedFile("c.yaml", yaml.safe_dump(data).encode())})  # fmt: skip
    assert done.status_code == 302
    assert Cycle.objects.get(pk=target.pk).translations == {"es": SPANISH}
    data["translations"]["es"]["Shoe size"] = "Talla"
    other = CycleFactory(program=open_cycle.program)
    refused = client.post(f"/staff/cycles/{other.pk}/configuration/",
                          {"file": SimpleUploadedFile("c.yaml", yaml.safe_dump(data).encode())})  # fmt: skip
    assert refused.status_code == 422
    assert ("translations.es.Shoe size", "not a text of this configuration") in refused.context[
        "problems"
    ]
    assert not Requirement.objects.filter(cycle=other).exists()


def test_the_demo_program_ships_every_text_in_spanish(reopened):
    """Every text of the astronaut configuration, and its cycles' names, has a Spanish
    translation: the Spanish demo shows no English of the program's."""
    for cycle in Cycle.objects.filter(program=reopened.program):
        missing = texts_of(cycle) - set(cycle.translations["es"])
        assert missing == set()
    program = reopened.program
    assert {program.name, program.organisation, program.description} <= set(
        program.translations["es"]
    )


def test_an_explanation_names_a_records_field_in_the_readers_language():
    """The engine writes a field's label in lower case inside a sentence; the phrasebook
    still finds it (and does not touch words that are not the program's)."""
    from ascent.applications.domain.explain import said

    message = {"t": "none of the %(count)s %(records)s meets: %(rule)s",
               "v": {"count": {"n": 2}, "records": "degrees", "rule": "level is master"}}  # fmt: skip
    with translation.override("es"):
        text = said(message, {"Degrees": "Títulos"})
    assert "títulos" in text
    assert "degrees" not in text
    assert "level is master" in text


def test_one_record_is_said_in_the_singular_in_spanish():
    from ascent.applications.domain.explain import said

    message = {"t": "%(records)s: the only one given does not meet: %(rule)s",
               "v": {"records": "Degrees", "rule": "level is master"}}  # fmt: skip
    with translation.override("es"):
        text = said(message, {"Degrees": "Títulos"})
    assert text == "Títulos: el único elemento indicado no cumple: level is master"
