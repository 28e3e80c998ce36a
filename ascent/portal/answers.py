"""Between the cycle's form (engine FieldSpecs) and HTML: posted data to answers, and
answers (with their problems) to what a template renders.

Input names are answer paths: ``citizenship``, ``languages`` (one per checked box),
``degrees.0.level``. A records field also posts ``degrees.rows``, the row indices on the
page, so an emptied row is dropped and the buttons "add" (``add=degrees``) and "remove"
(``remove=degrees.1``) work without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ascent.engine.forms import MAX_ROWS, FieldSpec

from .messages import translated

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def answers_from_post(form: tuple[FieldSpec, ...], post, prefix: str = "") -> dict:
    """Answers from posted data; values that do not parse are kept as typed, so that
    validation names them ("must be a number") and the page shows them again."""
    answers: dict[str, Any] = {}
    for spec in form:
        name = f"{prefix}{spec.key}"
        if spec.kind == "records":
            rows = []
            for index in _row_indices(post, name):
                row = answers_from_post(spec.fields, post, f"{name}.{index}.")
                if row:
                    rows.append(row)
            if rows:
                answers[spec.key] = rows
        elif spec.kind == "multi_choice":
            values = [v for v in post.getlist(name) if v]
            if values:
                answers[spec.key] = values
        elif spec.kind == "file":
            continue  # files come with the request's FILES (portal.views._attach_files)
        else:
            raw = (post.get(name) or "").strip()
            if not raw:
                continue
            answers[spec.key] = _number(raw) if spec.kind == "number" else raw
    return answers


def _row_indices(post, name: str) -> list[int]:
    listed = post.get(f"{name}.rows", "")
    indices = list(dict.fromkeys(int(i) for i in listed.split(",") if _index(i.strip())))
    remove = post.get("remove", "")
    if remove.startswith(f"{name}."):
        tail = remove[len(name) + 1 :]
        if _index(tail):
            indices = [i for i in indices if i != int(tail)]
    return indices[:MAX_ROWS]


def _index(text: str) -> bool:
    """A row index as the page writes it: ASCII digits, a few of them ("²" is a digit to
    str.isdigit, not to int)."""
    return text.isascii() and text.isdigit() and len(text) <= 4


def _number(raw: str):
    if _NUMBER.match(raw) and len(raw) <= 16:  # longer: kept as typed, the form says why
        return float(raw) if "." in raw else int(raw)
    return raw


@dataclass
class FieldView:
    spec: FieldSpec
    name: str  # the input's name: the answer's path
    value: Any
    errors: list[str]
    rows: list[list[FieldView]] = field(default_factory=list)  # records only
    row_indices: str = ""
    file_url: str = ""  # where the reader downloads a file answer (files only)

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-")

    @property
    def input_type(self) -> str:
        return {"number": "number", "date": "date"}.get(self.spec.kind, "text")

    @property
    def choices(self) -> list:
        """The choices as a person looks for one: by label, unless they form a scale
        (degree levels stay lowest first). Not by code: "Chile" before "France"."""
        if self.spec.ordered:
            return list(self.spec.choices)
        return sorted(self.spec.choices, key=lambda choice: choice.label.casefold())

    @property
    def display(self) -> str:
        """The answer as a person reads it: choices by their label, lists joined."""
        labels = {c.value: c.label for c in self.spec.choices}
        if isinstance(self.value, list):
            return ", ".join(str(labels.get(v, v)) for v in self.value)
        if self.value is None or isinstance(self.value, dict):
            return ""
        return str(labels.get(self.value, self.value))

    @property
    def selected(self) -> set:
        if isinstance(self.value, list):
            return {str(v) for v in self.value}
        return {str(self.value)} if self.value not in (None, "") else set()


def field_views(
    form: tuple[FieldSpec, ...],
    answers: dict,
    problems: list[tuple[str, str]],
    *,
    prefix: str = "",
    extra_row: str = "",
    file_url=None,
) -> list[FieldView]:
    """What the template renders, field by field, each with its own messages.
    ``extra_row`` names a records field that gets one more, empty row; ``file_url``
    (a field key → URL) says where this reader downloads a file answer."""
    errors: dict[str, list[str]] = {}
    for path, message in problems:
        errors.setdefault(_as_name(path), []).append(translated(message))
    views = []
    for spec in form:
        name = f"{prefix}{spec.key}"
        value = (answers or {}).get(spec.key)
        view = FieldView(spec, name, value, errors.get(name, []))
        if spec.kind == "file" and file_url is not None:
            view.file_url = file_url(spec.key)
        if spec.kind == "records":
            records = value if isinstance(value, list) else []
            count = len(records) + (1 if extra_row == name or not records else 0)
            for index in range(count):
                row = records[index] if index < len(records) else {}
                view.rows.append(field_views(spec.fields, row, problems,
                                             prefix=f"{name}.{index}."))  # fmt: skip
            view.row_indices = ",".join(str(i) for i in range(count))
        views.append(view)
    return views


def _as_name(path: str) -> str:
    """``degrees[1].level`` (the engine's paths) → ``degrees.1.level`` (input names)."""
    return re.sub(r"\[(\d+)\]", r".\1", path)


def place_label(form: tuple[FieldSpec, ...], path: str) -> str:
    """Where a problem is, as a person reads it: ``degrees[1].year`` → "Degrees 2 — Year
    completed" (the field's label, the record's number from 1, the column's label)."""
    specs, parts = {spec.key: spec for spec in form}, []
    for key, index in re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path):
        spec = specs.get(key)
        if spec is None:
            parts.append(key)
            break
        parts.append(f"{spec.label} {int(index) + 1}" if index else spec.label)
        specs = {column.key: column for column in spec.fields}
    return " — ".join(parts)
