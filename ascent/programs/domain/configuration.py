"""A cycle's whole configuration as one document (JSON or YAML): form, requirements,
rubric, stages and quotas. Export it, edit it, import it into a cycle that has no
applications yet; every part is checked before anything is written."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from ascent.engine.forms import FIELD_KINDS, FieldSpec, FormSpecError, check_form
from ascent.programs.models import Criterion, Cycle, FormField, Quota, Requirement, Stage, StageKind

from .content import check_translations, configuration_texts
from .errors import ProgramError
from .forms import check_rule

VERSION = 1
FIELD_KEYS = ("key", "label", "kind", "required", "help_text", "choices", "ordered", "min_value",
              "max_value", "max_length", "columns", "hidden_from_reviewers", "identifying")  # fmt: skip
CRITERION_KEYS = (
    "key",
    "name",
    "description",
    "scale_min",
    "scale_max",
    "weight",
    "levels",
    "advice",
)
STAGE_KEYS = (
    "key",
    "name",
    "kind",
    "reviews_per_application",
    "blind",
    "letters_when_blind",
    "others_scores_after_submit",
    "one_per_organisation",
    "one_senior",
)


def export_configuration(cycle: Cycle) -> dict[str, Any]:
    return {
        "ascent_cycle_configuration": VERSION,
        "capacity": cycle.capacity,
        "form": [_pick(f, FIELD_KEYS) for f in cycle.form_fields.order_by("position", "id")],
        "requirements": [
            {"key": r.key, "name": r.name, "description": r.description, "rule": r.rule}
            for r in cycle.requirements.order_by("position", "id")
        ],
        "criteria": [_pick(c, CRITERION_KEYS) for c in cycle.criteria.order_by("position", "id")],
        "stages": [_pick(s, STAGE_KEYS) for s in cycle.stages.order_by("position", "id")],
        "quotas": [
            {"field": q.field, "value": q.value, "minimum": q.minimum, "maximum": q.maximum}
            for q in cycle.quotas.order_by("value")
        ],
        "translations": _without_name(cycle.translations, cycle.name),
    }


def _without_name(translations, name: str) -> dict:
    """The phrasebooks without the cycle's own name: a name belongs to its cycle, not to
    a configuration that another cycle may import."""
    return {language: {k: v for k, v in words.items() if k != name}
            for language, words in (translations or {}).items() if isinstance(words, dict)}  # fmt: skip


def prune_translations(data: dict) -> None:
    """Drop the translations of texts an edited document no longer has (a renamed
    question's old label, a removed requirement's name): the builder's pages edit the
    document, and a stray translation would be refused on import."""
    form = [FieldSpec.from_dict({**row, "fields": row.get("columns") or []})
            for row in data.get("form", [])]  # fmt: skip
    known = configuration_texts(
        "", form, [Requirement(**r) for r in data.get("requirements", [])],
        [Criterion(**c) for c in data.get("criteria", [])],
        [s["name"] for s in data.get("stages", [])])  # fmt: skip
    for language, words in (data.get("translations") or {}).items():
        data["translations"][language] = {k: v for k, v in words.items() if k in known}


def dump_configuration(cycle: Cycle, fmt: str) -> str:
    data = export_configuration(cycle)
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return json.dumps(data, indent=2, ensure_ascii=False)


def parse_configuration(text: str) -> dict:
    """JSON or YAML (JSON is YAML); a ProgramError for anything else."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ProgramError(f"file: not valid JSON or YAML{where}") from None
    if not isinstance(data, dict) or data.get("ascent_cycle_configuration") != VERSION:
        raise ProgramError(f"file: not an Ascent cycle configuration (version {VERSION})")
    return data


@transaction.atomic
def import_configuration(cycle: Cycle, data: dict) -> None:
    """Replace the cycle's configuration. Every problem is listed with its place in the
    document; nothing is written if there is any.

    Once anyone has applied, the parts that give submitted answers, scores and rules
    their meaning are frozen (questions' keys, kinds, choices and bounds; rules; the
    rubric's keys, scales and weights; the stages' keys and kinds): only texts,
    translations, capacity, quotas and how stages run can change, in place."""
    applied = cycle.applications.count()
    problems: list[tuple[str, str]] = []
    fields = [_build(FormField, row, FIELD_KEYS, f"form[{i}]", problems, cycle=cycle, position=i)
              for i, row in enumerate(_list(data, "form", problems))]  # fmt: skip
    for i, row in enumerate(_list(data, "form", [])):
        if isinstance(row, dict) and row.get("kind") not in FIELD_KINDS:
            problems.append((f"form[{i}].kind", f"one of {', '.join(FIELD_KINDS)}"))
    form = tuple(_checked_specs(fields, problems))
    requirements = []
    for i, row in enumerate(_list(data, "requirements", problems)):
        requirement = _build(Requirement, row, ("key", "name", "description", "rule"),
                             f"requirements[{i}]", problems, cycle=cycle, position=i)  # fmt: skip
        if requirement is not None:
            try:
                check_rule(form, requirement.rule)
            except ProgramError as error:
                problems += [(f"requirements[{i}].rule.{path}", m) for path, m in error.problems]
            requirements.append(requirement)
    criteria = [_build(Criterion, row, CRITERION_KEYS, f"criteria[{i}]", problems, cycle=cycle,
                       position=i) for i, row in enumerate(_list(data, "criteria", problems))]  # fmt: skip
    stages = [_build(Stage, row, STAGE_KEYS, f"stages[{i}]", problems, cycle=cycle, position=i)
              for i, row in enumerate(_list(data, "stages", problems))]  # fmt: skip
    for i, stage in enumerate(stages):
        if stage is not None and stage.kind not in StageKind.values:
            problems.append((f"stages[{i}].kind", f"one of {', '.join(StageKind.values)}"))
    quotas = [_build(Quota, row, ("field", "value", "minimum", "maximum"), f"quotas[{i}]", problems,
                     cycle=cycle) for i, row in enumerate(_list(data, "quotas", problems))]  # fmt: skip
    by_key = {spec.key: spec for spec in form}
    for i, quota in enumerate(quotas):
        if quota is None:
            continue
        spec = by_key.get(quota.field)
        if spec is None or spec.kind != "choice":
            problems.append((f"quotas[{i}].field", "name a choice field of the form"))
        elif quota.value not in spec.choice_values():
            problems.append((f"quotas[{i}].value", f"one of {', '.join(spec.choice_values())}"))
    seen_values = set()
    for i, quota in enumerate(quotas):
        if quota is None:
            continue
        if quota.value in seen_values:
            problems.append((f"quotas[{i}].value", QUOTA_TWICE))
        seen_values.add(quota.value)
        if isinstance(quota.minimum, int) and isinstance(quota.maximum, int) and (
            quota.minimum > quota.maximum):  # fmt: skip
            problems.append((f"quotas[{i}].minimum", QUOTA_ORDER))
    if len({q.field for q in quotas if q is not None}) > 1:
        problems.append(("quotas", "all quotas of a cycle use one field"))
    known = configuration_texts("", form, [r for r in requirements if r is not None],
                                [c for c in criteria if c is not None],
                                [s.name for s in stages if s is not None])  # fmt: skip
    translations = data.get("translations") or {}
    problems += check_translations(translations, known=known)
    capacity = data.get("capacity", cycle.capacity)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1:
        problems.append(("capacity", "a whole number of at least 1"))
    problems += _row_problems({"form": fields, "requirements": requirements,
                               "criteria": criteria, "stages": stages})  # fmt: skip
    rows = (fields, requirements, criteria, stages)
    if applied and all(row is not None for part in rows for row in part):
        problems += _frozen_changes(cycle, {FormField: fields, Requirement: requirements,
                                                     Criterion: criteria, Stage: stages})  # fmt: skip
    if problems:
        raise ProgramError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    if applied:
        for model, rows in ((FormField, fields), (Requirement, requirements),
                            (Criterion, criteria), (Stage, stages)):  # fmt: skip
            stored = list(model.objects.filter(cycle=cycle).order_by("position", "id"))
            for old, new in zip(stored, rows, strict=True):
                for name in TEXTS[model]:
                    setattr(old, name, getattr(new, name))
            if stored:
                model.objects.bulk_update(stored, TEXTS[model])
        Quota.objects.filter(cycle=cycle).delete()
        Quota.objects.bulk_create(quotas)
    else:
        for model in (Quota, Stage, Criterion, Requirement, FormField):
            model.objects.filter(cycle=cycle).delete()
        FormField.objects.bulk_create(fields)
        Requirement.objects.bulk_create(requirements)
        Criterion.objects.bulk_create(criteria)
        Stage.objects.bulk_create(stages)
        Quota.objects.bulk_create(quotas)
    for language, words in (cycle.translations or {}).items():  # the cycle keeps its name's
        if isinstance(words, dict) and cycle.name in words:
            translations.setdefault(language, {})[cycle.name] = words[cycle.name]
    Cycle.objects.filter(pk=cycle.pk).update(capacity=capacity, translations=translations)


# What may change once people have applied: the words (in place), never the structure.
TEXTS = {
    FormField: ["label", "help_text", "choices", "columns", "hidden_from_reviewers", "identifying"],
    Requirement: ["name", "description", "rule"],
    Criterion: ["name", "description", "advice", "levels"],
    # How a stage runs does not change what an answer or a score means.
    Stage: [
        "name",
        "reviews_per_application",
        "blind",
        "letters_when_blind",
        "others_scores_after_submit",
        "one_per_organisation",
        "one_senior",
    ],
}
FROZEN = gettext_noop(
    "frozen: people have applied, so only texts, translations, capacity and quotas can change"
)
FROZEN_COUNT = gettext_noop(
    "frozen: people have applied, so nothing can be added, removed or moved"
)
PARTS = {FormField: "form", Requirement: "requirements", Criterion: "criteria", Stage: "stages"}


def structure(model, obj) -> tuple:
    """What of a configuration row gives answers, scores and rules their meaning: the
    row without its words (labels, help, names, descriptions, advice)."""
    if model is FormField:
        spec = obj.to_spec()
        return (spec.key, spec.kind, spec.required, spec.ordered, spec.min_value,
                spec.max_value, spec.max_length, tuple(spec.choice_values()),
                tuple(_unworded(sub.to_dict()) for sub in spec.fields))  # fmt: skip
    if model is Requirement:
        return obj.key, json.dumps(_unworded(obj.rule), sort_keys=True)
    if model is Criterion:
        return (obj.key, obj.scale_min, obj.scale_max, float(obj.weight),
                tuple(level.get("score") for level in obj.levels or [] if isinstance(level, dict)))  # fmt: skip
    return obj.key, obj.kind


def _unworded(value):
    """A rule or a column without the words a person reads (labels, help texts)."""
    if isinstance(value, dict):
        return {k: _unworded(v) for k, v in value.items() if k not in ("label", "help_text")}
    if isinstance(value, list):
        return [_unworded(v) for v in value]
    return value


def _frozen_changes(cycle: Cycle, new: dict) -> list[tuple[str, str]]:
    why, problems = FROZEN, []
    for model, rows in new.items():
        part = PARTS[model]
        stored = list(model.objects.filter(cycle=cycle).order_by("position", "id"))
        if len(stored) != len(rows):
            problems.append((part, FROZEN_COUNT))
            continue
        for i, (old, row) in enumerate(zip(stored, rows, strict=True)):
            try:
                changed = structure(model, old) != structure(model, row)
            except (KeyError, TypeError, ValueError, AttributeError):
                changed = True
            if changed:
                problems.append((f"{part}[{i}]", why))
    return problems


def _checked_specs(fields, problems: list) -> list:
    """Each field as the engine's spec, when it makes one (columns of records too)."""
    specs = []
    for i, field in enumerate(fields):
        if field is None:
            continue
        try:
            spec = field.to_spec()
            check_form([spec])
        except FormSpecError as error:
            problems.append((f"form[{i}]", str(error)))
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.append((f"form[{i}].columns",
                             "a list of columns, each with a key, a label and a kind"))  # fmt: skip
        else:
            specs.append(spec)
    return specs


def _pick(obj, keys) -> dict:
    return {key: getattr(obj, key) for key in keys}


def _list(data: dict, name: str, problems: list) -> list:
    value = data.get(name, [])
    if not isinstance(value, list):
        problems.append((name, "must be a list"))
        return []
    return value


QUOTA_TWICE = gettext_noop("another quota is for this answer: one quota per answer")
QUOTA_ORDER = gettext_noop("“at least” is more than “at most”")
KEY_TWICE = gettext_noop("another row has this key: keys must differ")
WEIGHT = gettext_noop("a number greater than 0")
SCALE = gettext_noop("whole numbers, the lowest below the highest")
LEVELS = gettext_noop("a list of levels, each a score on the scale (at most once) with a "
                      "description and advice")  # fmt: skip


def _row_problems(parts: dict) -> list[tuple[str, str]]:
    """What the database would refuse (a key twice, a weight of 0, a scale upside down)
    and what it would take without meaning (a level off the scale), named by place."""
    problems = []
    for part, rows in parts.items():
        seen = set()
        for i, row in enumerate(rows):
            if row is None or not isinstance(row.key, str):  # the field's own check names it
                continue
            if row.key in seen:
                problems.append((f"{part}[{i}].key", KEY_TWICE))
            seen.add(row.key)
    for i, criterion in enumerate(parts["criteria"]):
        if criterion is None:
            continue
        weight = criterion.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not (
            0 < weight < 1e6):  # fmt: skip
            problems.append((f"criteria[{i}].weight", WEIGHT))
        low, high = criterion.scale_min, criterion.scale_max
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)) or not (
            -1000 <= low < high <= 1000):  # fmt: skip
            problems.append((f"criteria[{i}].scale_min", SCALE))
            continue
        levels, scores = criterion.levels, set()
        if not isinstance(levels, list):
            problems.append((f"criteria[{i}].levels", LEVELS))
            continue
        for j, level in enumerate(levels):
            score = level.get("score") if isinstance(level, dict) else None
            words = [level.get(k, "") for k in ("description", "advice")] if isinstance(
                level, dict) else [None]  # fmt: skip
            if (isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high
                    or score in scores or not all(isinstance(w, str) for w in words)
                    or set(level) - {"score", "description", "advice"}):  # fmt: skip
                problems.append((f"criteria[{i}].levels[{j}]", LEVELS))
            elif isinstance(score, int):
                scores.add(score)
    return problems


def _build(model, row, keys, where: str, problems: list, **fixed):
    if not isinstance(row, dict):
        problems.append((where, "must be a mapping"))
        return None
    unknown = set(row) - set(keys)
    for key in sorted(unknown):
        problems.append((f"{where}.{key}", f"unknown; allowed: {', '.join(keys)}"))
    obj = model(**{k: v for k, v in row.items() if k in keys}, **fixed)
    try:
        obj.clean_fields(exclude=["cycle"])  # the model's clean() reads the stored form
    except (OverflowError, TypeError) as error:  # 1e400 as a whole number, a list as a key
        problems.append((where, f"a value of the wrong kind ({error})"[:200]))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                problems.append((f"{where}.{field}" if field != "__all__" else where, message))
    return obj
