"""The requirement builder (issue #16): pick what to measure, a comparison and a value,
group the conditions with all / any / none; the page says the rule as applicants will
read it and how many of the last cycle's applicants it would let through, computed by
the rules engine. Saving goes through ``import_configuration``: the same validators as a
configuration file."""

from __future__ import annotations

import json
import math

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascent.common.confirm import ask, confirmed
from ascent.common.domain.audit import record
from ascent.common.permissions import allowed_actions, require, staff_cycles, staff_required
from ascent.engine.rules import CONTAINMENT, MEMBERSHIP, PRESENCE, RuleError, compile_rule
from ascent.portal.messages import translated
from ascent.programs.domain.configuration import (
    export_configuration,
    import_configuration,
    prune_translations,
)
from ascent.programs.domain.content import phrase, phrasebook
from ascent.programs.domain.errors import ProgramError
from ascent.programs.domain.forms import form_of
from ascent.programs.models import Cycle

from .formbuilder import gone_problem, located, set_spanish
from .setup import sentence, tried_on_previous

ROWS = 4
OPS = (
    ("==", gettext_lazy("is")), ("!=", gettext_lazy("is not")),
    (">=", gettext_lazy("is at least")), (">", gettext_lazy("is above")),
    ("<=", gettext_lazy("is at most")), ("<", gettext_lazy("is below")),
    ("in", gettext_lazy("is one of (comma-separated)")),
    ("not in", gettext_lazy("is none of (comma-separated)")),
    ("contains", gettext_lazy("includes")), ("not contains", gettext_lazy("does not include")),
    ("answered", gettext_lazy("is answered")), ("not answered", gettext_lazy("is left empty")),
)  # fmt: skip
COMBINE = (("all", gettext_lazy("every condition holds")),
           ("any", gettext_lazy("at least one condition holds")),
           ("none", gettext_lazy("no condition holds")))  # fmt: skip
LEAF_KEYS = {"field": {"field", "op", "value"}, "years_since": {"years_since", "op", "value"},
             "count": {"count", "op", "value"}}  # fmt: skip


def measures(cycle: Cycle) -> list[tuple[str, str, str]]:
    """What a condition can measure: (value, label, kind) for each field, the years since
    each date and the number of each list of records."""
    found = []
    for spec in form_of(cycle):
        label = phrase(spec.label, cycle)
        if spec.kind == "records":
            found.append((f"count:{spec.key}", _("number of: %(label)s") % {"label": label},
                          "number"))  # fmt: skip
        found.append((f"field:{spec.key}", label, spec.kind))
        if spec.kind == "date":
            found.append((f"years:{spec.key}", _("years since: %(label)s") % {"label": label},
                          "number"))  # fmt: skip
    return found


def _choice_labels(spec, cycle: Cycle) -> dict[str, str]:
    """A choice field's options by value, as the reader says them; empty when a label
    holds a comma (a list of them could then not be split again)."""
    labels = {c.value: phrase(c.label, cycle) for c in (spec.choices if spec else ())}
    return {} if any("," in label for label in labels.values()) else labels


def _value(spec, measure: str, op: str, raw: str, cycle: Cycle | None = None):
    """The typed value as the rules engine takes it: numbers as numbers, lists split at
    commas, a choice by its value or its label (in the program's words or the reader's)."""
    if op in PRESENCE:
        return None
    raw = raw.strip()
    kind = "number" if measure in ("years", "count") else (spec.kind if spec else "text")
    labels = {c.label.casefold(): c.value for c in (spec.choices if spec else ())}
    if cycle is not None:
        labels.update({label.casefold(): value
                       for value, label in _choice_labels(spec, cycle).items()})  # fmt: skip

    def one(text: str):
        text = text.strip()
        if kind == "number":
            try:
                number = float(text.replace(",", "")) if text else text
            except ValueError:
                return text
            if isinstance(number, float) and not (math.isfinite(number) and abs(number) < 1e12):
                return text  # the rules engine refuses it: "must be a number"
            return int(number) if isinstance(number, float) and number.is_integer() else number
        if kind in ("choice", "multi_choice"):
            return labels.get(text.casefold(), text)
        return text

    if op in MEMBERSHIP:
        return [one(part) for part in raw.split(",") if part.strip()]
    if op in CONTAINMENT:
        return one(raw)
    return one(raw)


def rule_from(post, cycle: Cycle) -> tuple[object, list[tuple[str, str]], list[dict]]:
    """The rule the builder's rows (or its JSON box) describe, the problems found in
    reading them, and the rows as typed (to show again)."""
    rows = [{"measure": post.get(f"measure-{i}", ""), "op": post.get(f"op-{i}", ""),
             "value": post.get(f"value-{i}", "")} for i in range(ROWS)]  # fmt: skip
    text = post.get("rule_json", "").strip()
    if text:
        try:
            return json.loads(text), [], rows
        except ValueError:
            return None, [("rule_json", _("not valid JSON"))], rows
    specs = {spec.key: spec for spec in form_of(cycle)}
    leaves, problems = [], []
    for i, row in enumerate(rows):
        if not row["measure"]:
            continue
        shape, _sep, key = row["measure"].partition(":")
        if shape not in ("field", "years", "count") or key not in specs:
            problems.append((f"row-{i}", _("choose what to measure")))
            continue
        if row["op"] not in dict(OPS):
            problems.append((f"row-{i}", _("choose a comparison")))
            continue
        value = _value(specs[key], shape, row["op"], row["value"], cycle)
        if row["op"] not in PRESENCE and value in ("", []):
            problems.append((f"row-{i}", _("type the value to compare with")))
            continue
        leaf = {{"field": "field", "years": "years_since", "count": "count"}[shape]: key,
                "op": row["op"]}  # fmt: skip
        if value is not None:
            leaf["value"] = value
        leaves.append(leaf)
    if not leaves and not problems:
        problems.append(("row-0", _("add at least one condition")))
    combine = post.get("combine", "all")
    if len(leaves) == 1 and combine != "none":
        rule = leaves[0]
    elif combine == "none":
        rule = {"not": {"any": leaves}}
    else:
        rule = {"any" if combine == "any" else "all": leaves}
    return rule, problems, rows


def rows_of(rule, cycle: Cycle | None = None) -> tuple[str, list[dict]] | None:
    """The builder's rows for a stored rule, or None when it needs the JSON box (nested
    groups, records filtered by a condition, labels and units). With ``cycle``, a
    choice is shown by its label in the reader's words rather than its code."""
    specs = {spec.key: spec for spec in form_of(cycle)} if cycle is not None else {}
    combine = "all"
    if isinstance(rule, dict) and set(rule) == {"not"} and isinstance(rule["not"], dict) \
            and set(rule["not"]) == {"any"}:  # fmt: skip
        combine, leaves = "none", rule["not"]["any"]
    elif isinstance(rule, dict) and set(rule) in ({"all"}, {"any"}):
        combine, leaves = next(iter(rule)), rule[next(iter(rule))]
    else:
        leaves = [rule]
    if not isinstance(leaves, list) or len(leaves) > ROWS:
        return None
    rows = []
    for leaf in leaves:
        shape = next((s for s, keys in LEAF_KEYS.items() if isinstance(leaf, dict)
                      and s in leaf and set(leaf) <= keys), None)  # fmt: skip
        if shape is None:
            return None
        value = leaf.get("value", "")
        spec = specs.get(leaf[shape]) if shape == "field" else None
        if spec is not None and spec.kind in ("choice", "multi_choice"):
            labels = _choice_labels(spec, cycle)
            value = ([labels.get(v, v) if isinstance(v, str) else v for v in value]
                     if isinstance(value, list)
                     else labels.get(value, value) if isinstance(value, str) else value)  # fmt: skip
        value = ", ".join(map(str, value)) if isinstance(value, list) else value
        rows.append({"measure": f"{ {'field': 'field', 'years_since': 'years', 'count': 'count'}[shape]}:{leaf[shape]}",
                     "op": leaf["op"], "value": "" if value is None else str(value)})  # fmt: skip
    return combine, rows


def check(cycle: Cycle, rule) -> dict:
    """The rule's sentence and how many of the last cycle's applicants would pass it; or
    its problems, each with its place in the rule."""
    try:
        compiled = compile_rule(rule, form_of(cycle))
    except RuleError as error:
        return {"problems": [(path, translated(message)) for path, message in error.problems]}
    previous, total, (passed,) = tried_on_previous(cycle, [compiled])
    return {"sentence": sentence(compiled.description, phrasebook(cycle)), "previous": previous,
            "total": total, "passed": int(passed.sum())}  # fmt: skip


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    return get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)


@staff_required
def check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The live check (htmx, on every change): nothing is saved."""
    found = _cycle(request, pk)
    rule, problems, _rows = rule_from(request.GET, found)
    named = [("", _("Condition %(n)s: %(message)s") % {"n": int(path[4:]) + 1, "message": m})
             if path.startswith("row-") else (path, m) for path, m in problems]  # fmt: skip
    result = {"problems": named} if problems else check(found, rule)
    template = "workspace/_rule_check.html" if request.htmx else "workspace/staff_rule_check.html"
    return render(request, template, {"check": result, "cycle": found})


@staff_required
def edit(request: HttpRequest, pk: int, index: int | None = None) -> HttpResponse:
    """Add a requirement (no index) or change one; a "Check" button and the live check
    show the sentence and the count before anything is saved."""
    found = _cycle(request, pk)
    data = export_configuration(found)
    index, gone = located(request, data["requirements"], index)
    if index is not None and not gone and not 0 <= index < len(data["requirements"]):
        raise Http404(_("No such requirement."))
    current = data["requirements"][index] if index is not None and not gone else {}
    spanish = data["translations"].get("es", {})
    values = {"name": current.get("name", ""), "description": current.get("description", ""),
              "name_es": spanish.get(current.get("name", ""), ""),
              "description_es": spanish.get(current.get("description", ""), ""),
              "combine": "all", "rule_json": ""}  # fmt: skip
    rows = [{"measure": "", "op": "", "value": ""} for _i in range(ROWS)]
    if current:
        shaped = rows_of(current["rule"], found)
        if shaped is None:
            values["rule_json"] = json.dumps(current["rule"], ensure_ascii=False, indent=1)
        else:
            values["combine"], typed = shaped
            rows = typed + rows[len(typed) :]
    problems: list[tuple[str, str]] = []
    result = None
    if request.method == "POST":
        require(request.user, found.program, "configure")
        values = {k: request.POST.get(k, "").strip() for k in values}
        rule, problems, rows = rule_from(request.POST, found)
        if not values["name"]:
            problems.append(("name", _("required")))
        if gone:
            problems.append(("", gone_problem()))
        if not problems:
            result = check(found, rule)
            problems = [("rule", f"{p}: {m}" if p else m) for p, m in result.get("problems", [])]
        if not problems and request.POST.get("action") != "check":
            problems = _save(found, data, index, values, rule, request.user)
            if not problems:
                messages.success(request, _("Requirement saved."))
                return redirect("workspace:staff_setup", pk=found.pk)
    elif current:
        result = check(found, current["rule"])
    for path, message in problems:
        if path.startswith("row-"):
            rows[int(path[4:])]["error"] = message
    return render(request, "workspace/staff_requirement.html", {
        "can": allowed_actions(request.user, found.program),
        "cycle": found, "index": index, "values": values, "rows": rows, "ops": OPS,
        "combine": COMBINE, "measures": measures(found), "problems": dict(problems),
        "check": result, "general": dict(problems).get(""),
        "row_key": request.POST.get("row") or current.get("key", ""),
    }, status=422 if problems else 200)  # fmt: skip


def _save(cycle: Cycle, data: dict, index, values: dict, rule, by) -> list[tuple[str, str]]:
    requirement = {"key": "", "name": values["name"], "description": values["description"],
                   "rule": rule}  # fmt: skip
    requirements = data["requirements"]
    if index is None:
        taken = {r["key"] for r in requirements}
        base = slugify(values["name"])[:50] or "requirement"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        requirement["key"] = key
        requirements.append(requirement)
        index = len(requirements) - 1
    else:
        requirement["key"] = requirements[index]["key"]
        requirements[index] = requirement
    set_spanish(data, [(values["name"], values["name_es"]),
                       (values["description"], values["description_es"])])  # fmt: skip
    prune_translations(data)
    try:
        import_configuration(cycle, data)
    except ProgramError as error:
        where, found = f"requirements[{index}].", []
        for path, message in error.problems:
            part = path.removeprefix(where)
            if part.startswith("rule"):
                found.append(("rule", f"{part.removeprefix('rule.')}: {translated(message)}"))
            elif path.startswith(where) and part in ("name", "description"):
                found.append((part, translated(message)))
            else:
                found.append(("", f"{path}: {translated(message)}"))
        return found
    record(by, "cycle.requirement", cycle, key=requirement["key"])
    return []


@staff_required
def remove(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    found = _cycle(request, pk)
    require(request.user, found.program, "configure")
    data = export_configuration(found)
    back = reverse("workspace:staff_setup", args=[found.pk])
    index, gone = located(request, data["requirements"], index)
    if gone:
        messages.error(request, _("Someone else has removed it in the meantime."))
        return redirect(back)
    if not 0 <= index < len(data["requirements"]):
        raise Http404(_("No such requirement."))
    name = phrase(data["requirements"][index]["name"], found)
    if not confirmed(request):
        return ask(request, title=_("Remove the requirement “%(name)s”?") % {"name": name},
                   text=_("Applications are no longer checked against it."),
                   button=_("Yes, remove it"), cancel=back,
                   extra={"row": data["requirements"][index]["key"]})  # fmt: skip
    removed = data["requirements"].pop(index)
    prune_translations(data)
    try:
        import_configuration(found, data)
    except ProgramError as error:
        messages.error(request, "; ".join(translated(m) for _p, m in error.problems) or str(error))
    else:
        record(request.user, "cycle.requirement_removed", found, key=removed["key"])
        messages.success(request, _("Requirement removed."))
    return redirect(back)
