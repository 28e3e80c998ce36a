"""Application forms as plain data, and validation of answers against them.

A form is a tuple of :class:`FieldSpec`. Answers are JSON-shaped: a dict from field key
to a value whose shape depends on the field's kind. ``validate_answers`` returns every
problem at once, each with the path of the answer ("degrees[1].level") and the rule it
broke, so a page can show each message next to its field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FIELD_KINDS = (
    "text",
    "long_text",
    "number",
    "date",
    "choice",
    "multi_choice",
    "file",
    "records",
)
TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 20_000
# A file answer names a stored file by the id the server issued ("file"); the other keys
# are the server's copy of its name, size and type, for display.
FILE_KEYS = frozenset({"file", "name", "size", "content_type"})


class Message(str):
    """A message that reads as plain English and still knows its template and values,
    so that a page can translate it (``gettext(m.template) % m.values``) while the
    engine stays free of any translation machinery."""

    template: str
    values: dict

    def __new__(cls, template: str, **values: Any) -> Message:
        text = super().__new__(cls, template % values if values else template)
        text.template, text.values = template, values
        return text


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    """One typed question of a form.

    ``min_value``/``max_value`` bound a number; on a date field they are years from the
    day the answer is checked (a birth date: -100 and 0).
    ``ordered`` says that the choices form a scale, lowest first (bachelor < master <
    doctorate), so that requirements may compare them. ``fields`` are the columns of a
    ``records`` field (a degree, a line of a flight log).
    """

    key: str
    label: str
    kind: str
    required: bool = False
    help_text: str = ""
    choices: tuple[Choice, ...] = ()
    ordered: bool = False
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    fields: tuple[FieldSpec, ...] = field(default=())

    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "label": self.label, "kind": self.kind}
        if self.required:
            data["required"] = True
        if self.help_text:
            data["help_text"] = self.help_text
        if self.choices:
            data["choices"] = [{"value": c.value, "label": c.label} for c in self.choices]
        if self.ordered:
            data["ordered"] = True
        for name in ("min_value", "max_value", "max_length"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.fields:
            data["fields"] = [sub.to_dict() for sub in self.fields]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldSpec:
        return cls(
            key=data["key"],
            label=data.get("label", data["key"]),
            kind=data["kind"],
            required=bool(data.get("required", False)),
            help_text=data.get("help_text", ""),
            choices=tuple(
                Choice(c["value"], c.get("label", c["value"])) for c in data.get("choices", ())
            ),
            ordered=bool(data.get("ordered", False)),
            min_value=data.get("min_value"),
            max_value=data.get("max_value"),
            max_length=data.get("max_length"),
            fields=tuple(cls.from_dict(sub) for sub in data.get("fields", ())),
        )


class FormSpecError(ValueError):
    """A form definition that cannot be used, with the path of the faulty field."""


def check_form(fields: Iterable[FieldSpec], *, path: str = "") -> None:
    """Raise FormSpecError for a duplicate key, an unknown kind or a kind without its parts."""
    seen: set[str] = set()
    for spec in fields:
        where = f"{path}{spec.key}"
        if not spec.key or not spec.key.replace("_", "").isalnum() or not spec.key[0].isalpha():
            raise FormSpecError(f"{where or '(empty)'}: a field key is letters, digits and _")
        if spec.key in seen:
            raise FormSpecError(f"{where}: the key is used twice")
        seen.add(spec.key)
        if spec.kind not in FIELD_KINDS:
            raise FormSpecError(
                f"{where}: kind {spec.kind!r} is not one of {', '.join(FIELD_KINDS)}"
            )
        if spec.kind in {"choice", "multi_choice"} and not spec.choices:
            raise FormSpecError(f"{where}: a {spec.kind} field needs at least one choice")
        if path and spec.kind in {"records", "file"}:
            raise FormSpecError(f"{where}: a records column cannot be a {spec.kind} field")
        if spec.kind == "records":
            if not spec.fields:
                raise FormSpecError(f"{where}: a records field needs at least one column")
            check_form(spec.fields, path=f"{where}.")
        if (
            spec.min_value is not None
            and spec.max_value is not None
            and spec.min_value > spec.max_value
        ):
            raise FormSpecError(f"{where}: min_value is larger than max_value")


def validate_answers(
    fields: Iterable[FieldSpec], answers: Any, *, complete: bool
) -> list[tuple[str, str]]:
    """Return the problems of ``answers`` as (path, message) pairs; empty when valid.

    ``complete=False`` checks a draft: shapes and limits, but not required fields.
    """
    if not isinstance(answers, Mapping):
        return [("", "answers must be an object mapping field keys to values")]
    return _validate_mapping(tuple(fields), answers, "", complete)


def _validate_mapping(
    fields: tuple[FieldSpec, ...], answers: Mapping[str, Any], prefix: str, complete: bool
) -> list[tuple[str, str]]:
    by_key = {spec.key: spec for spec in fields}
    errors = [
        (f"{prefix}{key}", Message("is not a field of this form"))
        for key in answers
        if key not in by_key
    ]
    for spec in fields:
        path = f"{prefix}{spec.key}"
        value = answers.get(spec.key)
        if _is_empty(value):
            if complete and spec.required:
                errors.append((path, Message("is required")))
            continue
        errors.extend(_validate_value(spec, value, path, complete))
    return errors


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _validate_value(
    spec: FieldSpec, value: Any, path: str, complete: bool
) -> list[tuple[str, str]]:
    if spec.kind == "records":
        return _validate_records(spec, value, path, complete)
    message = _VALIDATORS[spec.kind](spec, value)
    return [(path, message)] if message else []


def _check_text(spec: FieldSpec, value: Any, default_max: int) -> str | None:
    if not isinstance(value, str):
        return Message("must be text")
    limit = spec.max_length or default_max
    if len(value) > limit:
        return Message("must be at most %(limit)s characters (it has %(length)s)",
                       limit=f"{limit:,}", length=f"{len(value):,}")  # fmt: skip
    return None


MAX_ROWS = 50  # records in one answer (degrees, flights): more is a mistake or an attack

# Numbers a form holds: the largest whole number every JSON reader and both databases
# keep exactly (2**53 - 1). Past it, 10**400 or 1e400 is a field error, not an overflow.
MAX_NUMBER = 2**53 - 1
_LONG_NUMBER = re.compile(r"-?\d{17,}(\.\d*)?")  # as typed in a form: kept as text


def _check_number(spec: FieldSpec, value: Any) -> str | None:
    too_long = isinstance(value, str) and _LONG_NUMBER.fullmatch(value.strip()) is not None
    if not too_long and (isinstance(value, bool) or not isinstance(value, int | float)):
        return Message("must be a number")
    if (
        too_long
        or (isinstance(value, float) and not math.isfinite(value))
        or abs(value) > MAX_NUMBER
    ):
        return Message("must be a number between %(low)s and %(high)s",
                       low=f"{-MAX_NUMBER:,}", high=f"{MAX_NUMBER:,}")  # fmt: skip
    if spec.min_value is not None and value < spec.min_value:
        return Message("must be at least %(minimum)s", minimum=f"{spec.min_value:g}")
    if spec.max_value is not None and value > spec.max_value:
        return Message("must be at most %(maximum)s", maximum=f"{spec.max_value:g}")
    return None


def _check_date(spec: FieldSpec, value: Any) -> str | None:
    if not isinstance(value, str):
        return Message("must be a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return Message("must be a date written YYYY-MM-DD")
    return _check_date_bounds(spec, day)


def _check_date_bounds(spec: FieldSpec, day: dt.date) -> str | None:
    """A date field's min_value and max_value are years from the day it is checked:
    a birth date has max_value 0 (not in the future) and min_value -100."""
    today = dt.date.today()
    if spec.max_value is not None and day > _years_from(today, spec.max_value):
        return Message(
            "must be on or before %(day)s", day=_years_from(today, spec.max_value).isoformat()
        )
    if spec.min_value is not None and day < _years_from(today, spec.min_value):
        return Message(
            "must be on or after %(day)s", day=_years_from(today, spec.min_value).isoformat()
        )
    return None


def _years_from(today: dt.date, years: float) -> dt.date:
    return today + dt.timedelta(days=round(365.25 * years))


def _check_choice(spec: FieldSpec, value: Any) -> str | None:
    if value not in spec.choice_values():
        return Message("must be one of: %(choices)s", choices=", ".join(spec.choice_values()))
    return None


def _check_multi_choice(spec: FieldSpec, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return Message("must be a list of choices")
    unknown = [item for item in value if item not in spec.choice_values()]
    if unknown:
        return Message("%(unknown)s not among the choices: %(choices)s", unknown=", ".join(unknown),
                       choices=", ".join(spec.choice_values()))  # fmt: skip
    if len(set(value)) != len(value):
        return Message("lists a choice twice")
    return None


def _check_file(spec: FieldSpec, value: Any) -> str | None:
    if not isinstance(value, Mapping) or "file" not in value or not set(value) <= FILE_KEYS:
        return Message("must be an uploaded file")
    if type(value["file"]) is not int or not 0 < value["file"] < 2**63:
        return Message("must be an uploaded file")
    return None


def _validate_records(
    spec: FieldSpec, value: Any, path: str, complete: bool
) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return [(path, Message("must be a list of records"))]
    if len(value) > MAX_ROWS:
        return [(path, Message("can have at most %(count)s rows", count=str(MAX_ROWS)))]
    errors: list[tuple[str, str]] = []
    for index, record in enumerate(value):
        if not isinstance(record, Mapping):
            errors.append((f"{path}[{index}]", Message("must be a record")))
            continue
        errors.extend(_validate_mapping(spec.fields, record, f"{path}[{index}].", complete))
    return errors


_VALIDATORS = {
    "text": lambda spec, value: _check_text(spec, value, TEXT_MAX_LENGTH),
    "long_text": lambda spec, value: _check_text(spec, value, LONG_TEXT_MAX_LENGTH),
    "number": _check_number,
    "date": _check_date,
    "choice": _check_choice,
    "multi_choice": _check_multi_choice,
    "file": _check_file,
}
