"""A program's own words in the reader's language.

A program writes its texts (form labels, help and choices, requirement names and
descriptions, rubric criteria, levels and advice, stage and cycle names) in its default
language, the one the models hold. Each other language is a phrasebook: the default
text and its translation, ``{"es": {"Full name": "Nombre completo", …}}``, kept in
``Cycle.translations`` (the cycle's configuration, exported and imported with it) and
``Program.translations`` (the program's name, organisation and description). A text
with no translation is shown as written: the default language is the fallback.

Keyed by the text itself, as gettext is, a phrasebook also translates what was stored
from the configuration at the time (requirement names in an eligibility explanation,
advice in a gap report), and it survives an export and import unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language

from ascent.engine.forms import Choice, FieldSpec

LANGUAGE_CODES = tuple(code for code, _ in settings.LANGUAGES)


def reader_language(language: str | None = None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]


def phrasebook(*owners, language: str | None = None) -> dict[str, str]:
    """The translations of ``owners`` (cycles, programs) into ``language`` (the active
    one by default), merged; the first owner wins where two translate a text apart."""
    language = reader_language(language)
    merged: dict[str, str] = {}
    for owner in reversed([o for o in owners if o is not None]):
        found = (getattr(owner, "translations", None) or {}).get(language)
        if isinstance(found, dict):
            merged.update({k: v for k, v in found.items() if isinstance(v, str) and v.strip()})
    return merged


def phrase(text, *owners, language: str | None = None):
    """``text`` in the reader's language, if one of ``owners`` translates it."""
    if not isinstance(text, str) or not text:
        return text
    language = reader_language(language)
    for owner in owners:
        found = ((getattr(owner, "translations", None) or {}).get(language) or {}).get(text)
        if isinstance(found, str) and found.strip():
            return found
    return text


def localized_form(form: Iterable[FieldSpec], words: dict[str, str]) -> tuple[FieldSpec, ...]:
    """The form with its labels, help texts and choice labels translated; keys, kinds,
    values and bounds unchanged, so what it validates is the same."""
    if not words:
        return tuple(form)

    def one(spec: FieldSpec) -> FieldSpec:
        return dataclasses.replace(
            spec,
            label=words.get(spec.label, spec.label),
            help_text=words.get(spec.help_text, spec.help_text),
            choices=tuple(Choice(c.value, words.get(c.label, c.label)) for c in spec.choices),
            fields=tuple(one(sub) for sub in spec.fields),
        )

    return tuple(one(spec) for spec in form)


def texts_of(cycle) -> set[str]:
    """Every text of a stored cycle's configuration that a phrasebook can translate."""
    return configuration_texts(
        cycle.name, [f.to_spec() for f in cycle.form_fields.all()], cycle.requirements.all(),
        cycle.criteria.all(), cycle.stages.values_list("name", flat=True),
    )  # fmt: skip


def configuration_texts(name, form, requirements, criteria, stage_names) -> set[str]:
    """The texts of a configuration, given as the engine's field specs and the models'
    requirements and criteria (saved or not)."""
    found: set[str] = {name}

    def field_texts(spec: FieldSpec) -> None:
        found.update((spec.label, spec.help_text))
        found.update(choice.label for choice in spec.choices)
        for sub in spec.fields:
            field_texts(sub)

    for spec in form:
        field_texts(spec)
    for requirement in requirements:
        found.update((requirement.name, requirement.description))
        found.update(_rule_labels(requirement.rule))
    for criterion in criteria:
        found.update((criterion.name, criterion.description, criterion.advice))
        for level in criterion.levels or []:
            if isinstance(level, dict):
                found.update((level.get("description", ""), level.get("advice", "")))
    found.update(stage_names)
    found.discard("")
    return found


def _rule_labels(rule) -> Iterable[str]:
    """The labels a rule gives its own measures ("pilot-in-command jet time")."""
    if isinstance(rule, dict):
        if isinstance(rule.get("label"), str):
            yield rule["label"]
        for value in rule.values():
            yield from _rule_labels(value)
    elif isinstance(rule, list):
        for value in rule:
            yield from _rule_labels(value)


def check_translations(data, *, known: set[str] | None = None) -> list[tuple[str, str]]:
    """Problems with a ``translations`` document, each as (path, rule): languages the site
    offers, each a mapping of default text to a non-empty translation; with ``known``,
    every default text must be one of the configuration's own."""
    if data in (None, {}):
        return []
    if not isinstance(data, dict):
        return [("translations", "a mapping of language to phrasebook")]
    problems = []
    for language, words in data.items():
        where = f"translations.{language}"
        if language not in LANGUAGE_CODES:
            problems.append((where, f"a language of this site: {', '.join(LANGUAGE_CODES)}"))
            continue
        if not isinstance(words, dict):
            problems.append((where, "a mapping of each text to its translation"))
            continue
        for source, target in words.items():
            if not isinstance(target, str) or not target.strip():
                problems.append((f"{where}.{source}", "a translation (text, not empty)"))
            elif known is not None and source not in known:
                problems.append((f"{where}.{source}", "not a text of this configuration"))
    return problems


def reader_form(cycle, language: str | None = None) -> tuple[FieldSpec, ...]:
    """The cycle's form as the reader reads it: in their language where translated."""
    from .forms import form_of

    return localized_form(form_of(cycle), phrasebook(cycle, language=language))
