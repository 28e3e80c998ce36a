"""The form builder (issue #16): add, change, move and remove the questions of a
cycle's form, every kind included (choices, records and files), in English and Spanish.
Each change is saved through ``import_configuration``: the same validators as a
configuration file; once people have applied, only the words can change."""

from __future__ import annotations

import math
import re

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascent.common.confirm import ask, confirmed
from ascent.common.domain.audit import record
from ascent.common.permissions import allowed_actions, require, staff_cycles, staff_required
from ascent.portal.messages import translated
from ascent.programs.domain.configuration import (
    export_configuration,
    import_configuration,
    prune_translations,
)
from ascent.programs.domain.content import phrase
from ascent.programs.domain.errors import ProgramError
from ascent.programs.models import Cycle, FieldKind

CHECKS = ("required", "ordered", "hidden_from_reviewers", "identifying")
NUMBERS = ("min_value", "max_value", "max_length")


def _cycle(request: HttpRequest, pk: int, *, change: bool = False) -> Cycle:
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    if change:
        require(request.user, found.program, "configure")
    return found


def _lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in text.splitlines()
            if line.strip()]  # fmt: skip


def _choices_text(row: dict, spanish: dict) -> str:
    return "\n".join(f"{c['value']} | {c.get('label', c['value'])} | "
                     f"{spanish.get(c.get('label', ''), '')}".rstrip(" |")
                     for c in row.get("choices") or [])  # fmt: skip


def _columns_text(row: dict, spanish: dict) -> str:
    return "\n".join(f"{c['key']} | {c['kind']} | {c.get('label', c['key'])} | "
                     f"{spanish.get(c.get('label', ''), '')}".rstrip(" |")
                     for c in row.get("columns") or [])  # fmt: skip


def _number(raw: str, problems: list, name: str):
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > 1e12:
        problems.append((name, _("a number")))
        return None
    if name == "max_length" and not (value.is_integer() and 1 <= value <= 1_000_000):
        problems.append((name, _("a whole number from 1 to 1,000,000")))
        return None
    return int(value) if value.is_integer() else value


def whole(raw, low: int, high: int) -> int | None:
    """A typed whole number from ``low`` to ``high`` (ASCII digits, an optional minus),
    or None: never a superscript, a 5,000-digit number or a float."""
    raw = str(raw or "").strip()
    if not re.fullmatch(r"-?[0-9]{1,9}", raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def field_from(post, key: str) -> tuple[dict, dict[str, str], list[tuple[str, str]]]:
    """The question the page describes (a configuration row), its Spanish words, and the
    problems in reading it."""
    problems: list[tuple[str, str]] = []
    row = {"key": key, "label": post.get("label", "").strip(), "kind": post.get("kind", ""),
           "help_text": post.get("help_text", "").strip(),
           **{name: post.get(name) == "on" for name in CHECKS}}  # fmt: skip
    spanish = {row["label"]: post.get("label_es", "").strip(),
               row["help_text"]: post.get("help_es", "").strip()}  # fmt: skip
    for name in NUMBERS:
        row[name] = _number(post.get(name, ""), problems, name)
    row["choices"], row["columns"] = [], []
    if row["kind"] in ("choice", "multi_choice"):
        for parts in _lines(post.get("choices", "")):
            value = parts[0]
            label = parts[1] if len(parts) > 1 and parts[1] else value
            row["choices"].append({"value": value, "label": label})
            if len(parts) > 2 and parts[2]:
                spanish[label] = parts[2]
        if not row["choices"]:
            problems.append(("choices", _("one choice per line: value | English | Español")))
    if row["kind"] == "records":
        for number, parts in enumerate(_lines(post.get("columns", "")), start=1):
            if len(parts) < 3 or not parts[0] or parts[1] not in FieldKind.values:
                problems.append(("columns", _("line %(n)s: key | kind | English | Español, the "
                                              "kind one of %(kinds)s")
                                 % {"n": number, "kinds": ", ".join(FieldKind.values)}))  # fmt: skip
                continue
            row["columns"].append({"key": parts[0], "kind": parts[1], "label": parts[2]})
            if len(parts) > 3 and parts[3]:
                spanish[parts[2]] = parts[3]
        if not row["columns"] and not any(path == "columns" for path, _m in problems):
            problems.append(("columns", _("at least one column")))
    if not row["label"]:
        problems.append(("label", _("required")))
    if row["kind"] not in FieldKind.values:
        problems.append(("kind", _("choose a kind")))
    return row, {k: v for k, v in spanish.items() if k and v}, problems


@staff_required
def edit(request: HttpRequest, pk: int, index: int | None = None) -> HttpResponse:
    """Add a question (no index) or change one."""
    found = _cycle(request, pk)
    data = export_configuration(found)
    index, gone = located(request, data["form"], index)
    if index is not None and not gone and not 0 <= index < len(data["form"]):
        raise Http404(_("No such question."))
    spanish = data["translations"].get("es", {})
    current = data["form"][index] if index is not None and not gone else {"kind": "text"}
    values = {
        "label": current.get("label", ""), "label_es": spanish.get(current.get("label", ""), ""),
        "kind": current.get("kind", "text"), "help_text": current.get("help_text", ""),
        "help_es": spanish.get(current.get("help_text", ""), ""),
        "choices": _choices_text(current, spanish), "columns": _columns_text(current, spanish),
        **{name: "" if current.get(name) is None else current[name] for name in NUMBERS},
        **{name: bool(current.get(name)) for name in CHECKS},
    }  # fmt: skip
    problems: list[tuple[str, str]] = []
    applied = found.applications.exists()
    if request.method == "POST":
        require(request.user, found.program, "configure")
        key = current.get("key") or _new_key(request.POST.get("label", ""), data["form"])
        row, words, problems = field_from(request.POST, key)
        values = {**{k: request.POST.get(k, "") for k in values if k not in CHECKS},
                  **{name: row[name] for name in CHECKS}}  # fmt: skip
        if gone:
            problems.append(("", gone_problem()))
        if not problems:
            if index is None:
                data["form"].append(row)
                index = len(data["form"]) - 1
                new = True
            else:
                data["form"][index] = row
                new = False
            es = data["translations"].setdefault("es", {})
            es.update(words)
            prune_translations(data)
            problems = _saved(found, data, index, request.user)
            if not problems:
                messages.success(request, _("Question added.") if new else _("Question saved."))
                return redirect(reverse("workspace:staff_setup", args=[found.pk]) + "#preview")
            if new:
                index = None
    return render(request, "workspace/staff_question.html", {
        "can": allowed_actions(request.user, found.program),
        "cycle": found, "index": index, "values": values, "problems": dict(problems),
        "kinds": FieldKind.choices, "applied": applied, "key": current.get("key", ""),
        "row_key": request.POST.get("row") or current.get("key", ""),
        "general": dict(problems).get(""),
    }, status=422 if problems else 200)  # fmt: skip


def located(request, rows: list[dict], index: int | None) -> tuple[int | None, bool]:
    """The row a posted form means, and whether it is gone. The address holds the row's
    place as the page showed it; the form also sends the row's key (``row``), so that a
    row another manager has moved since is still the one changed."""
    key = request.POST.get("row", "") if request.method == "POST" else ""
    if index is None or not key or (0 <= index < len(rows) and rows[index].get("key") == key):
        return index, False
    moved = next((i for i, row in enumerate(rows) if row.get("key") == key), None)
    return (index, True) if moved is None else (moved, False)


def gone_problem() -> str:
    return _("Someone else removed this while you were editing it, so nothing was saved. "
             "What you typed is still below.")  # fmt: skip


def _new_key(label: str, rows: list[dict], default: str = "question") -> str:
    """A key for a new row (question or criterion) made from its words, unlike the others'."""
    taken = {row["key"] for row in rows}
    base = (slugify(label).replace("-", "_") or default)[:50]
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _saved(cycle: Cycle, data: dict, index: int, by) -> list[tuple[str, str]]:
    """Save the document; the problems of question ``index`` by field, others as a whole."""
    try:
        import_configuration(cycle, data)
    except ProgramError as error:
        where, found = f"form[{index}]", []
        for path, message in error.problems:
            part = path.removeprefix(where).lstrip(".").split(".")[0].split("[")[0]
            if path.startswith(where) and part in ("label", "kind", "help_text", "choices",
                                                   "columns", *NUMBERS):  # fmt: skip
                found.append((part, translated(message)))
            else:
                found.append(("", f"{path}: {translated(message)}"))
        return found
    record(by, "cycle.form", cycle, question=data["form"][index]["key"] if index < len(
        data["form"]) else "")  # fmt: skip
    return []


@staff_required
@require_POST
def move(request: HttpRequest, pk: int, index: int, direction: str) -> HttpResponse:
    return move_row(request, _cycle(request, pk, change=True), "form", index, direction,
                    anchor="#preview")  # fmt: skip


def move_row(request, found: Cycle, part: str, index: int, direction: str, *,
             anchor: str) -> HttpResponse:  # fmt: skip
    """Swap row ``index`` of the configuration's ``part`` with the one above or below."""
    data = export_configuration(found)
    rows = data[part]
    back = reverse("workspace:staff_setup", args=[found.pk]) + anchor
    index, gone = located(request, rows, index)
    if gone:
        messages.error(request, _("Someone else has removed it in the meantime."))
        return redirect(back)
    other = index - 1 if direction == "up" else index + 1
    if not (0 <= index < len(rows) and 0 <= other < len(rows)):
        raise Http404(_("No such row."))
    rows[index], rows[other] = rows[other], rows[index]
    problem = saved(found, data, request.user, f"cycle.{part}_moved", key=rows[other]["key"])
    if problem:
        messages.error(request, problem)
    return redirect(back)


@staff_required
def remove(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    found = _cycle(request, pk, change=True)
    return remove_row(request, found, "form", index, anchor="#preview",
                      title=_("Remove the question “%(name)s”?"),
                      text=_("Applicants will no longer be asked it. A requirement or quota "
                             "that reads it must be changed first."),
                      verb="cycle.question_removed", done=_("Question removed."))  # fmt: skip


def remove_row(request, found: Cycle, part: str, index: int, *, anchor: str, title: str,
               text: str, verb: str, done: str) -> HttpResponse:  # fmt: skip
    """Remove row ``index`` of the configuration's ``part`` (a question, a criterion),
    after a confirmation page; a refusal of the validators is said, nothing removed."""
    data = export_configuration(found)
    back = reverse("workspace:staff_setup", args=[found.pk]) + anchor
    index, gone = located(request, data[part], index)
    if gone:
        messages.error(request, _("Someone else has removed it in the meantime."))
        return redirect(back)
    if not 0 <= index < len(data[part]):
        raise Http404(_("No such row."))
    row = data[part][index]
    name = phrase(row.get("label") or row.get("name") or row["key"], found)
    if not confirmed(request):
        return ask(request, title=title % {"name": name}, text=text,
                   button=_("Yes, remove it"), cancel=back, extra={"row": row["key"]})  # fmt: skip
    data[part].pop(index)
    prune_translations(data)
    problem = saved(found, data, request.user, verb, name=name)
    if problem:
        messages.error(request, _("Not removed: %(why)s") % {"why": problem})
    else:
        messages.success(request, done)
    return redirect(back)


def set_spanish(data: dict, pairs) -> None:
    """Each English text of the document with its Spanish; an emptied Spanish text is
    removed, not kept."""
    es = data["translations"].setdefault("es", {})
    for english, spanish in pairs:
        if english and spanish:
            es[english] = spanish
        elif english:
            es.pop(english, None)


def saved(found: Cycle, data: dict, by, verb: str, **detail) -> str:
    """Import the edited document and audit it: "" when saved, else its problems in
    words, each with its place."""
    try:
        import_configuration(found, data)
    except ProgramError as error:
        return "; ".join(f"{path}: {translated(message)}" for path, message in error.problems) or str(
            error)  # fmt: skip
    record(by, verb, found, **detail)
    return ""
