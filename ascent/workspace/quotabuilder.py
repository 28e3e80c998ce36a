"""Quotas (issue #16): on one choice question of the form, at least and at most so many
selected per answer ("at least five talks per track"). The selection honours them;
saved through ``import_configuration``; they can change at any time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ascent.common.permissions import allowed_actions, require, staff_required
from ascent.programs.domain.configuration import export_configuration
from ascent.programs.domain.content import phrase

from .formbuilder import _cycle, saved, whole

MOST = 1_000_000


def _bound(raw: str, name: str, problems: dict) -> int | None:
    if not str(raw or "").strip():
        return None
    value = whole(raw, 0, MOST)
    if value is not None:
        return value
    problems[name] = _("a whole number from 0 to 1,000,000, or empty for no bound")
    return None


@staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _cycle(request, pk)
    data = export_configuration(found)
    choices = {row["key"]: row for row in data["form"] if row["kind"] == "choice"}
    stored = {q["value"]: q for q in data["quotas"]}
    field = (request.POST.get("field") if request.method == "POST" else None) or (
        data["quotas"][0]["field"] if data["quotas"] else request.GET.get("field", ""))  # fmt: skip
    if field not in choices:
        field = ""
    problems: dict[str, str] = {}
    rows = []
    for choice in choices[field]["choices"] if field else []:
        value = choice["value"]
        before = (
            stored.get(value, {})
            if not data["quotas"] or data["quotas"][0]["field"] == field
            else {}
        )
        rows.append({"value": value, "label": phrase(choice.get("label", value), found),
                     "minimum": request.POST.get(f"min-{value}", "") if request.method == "POST"
                     else ("" if before.get("minimum") is None else before["minimum"]),
                     "maximum": request.POST.get(f"max-{value}", "") if request.method == "POST"
                     else ("" if before.get("maximum") is None else before["maximum"])})  # fmt: skip
    shown = request.POST.get("shown", field)
    changed = shown != field and field != ""  # "No quotas" is chosen to clear them
    if request.method == "POST" and request.POST.get("action") == "save" and changed:
        # The question was changed without showing its answers: the bounds typed belong
        # to another question's answers. Show this one's; nothing is saved or removed.
        messages.info(request, _("Set the bounds for this question's answers, then save."))
    elif request.method == "POST" and request.POST.get("action") == "save":
        require(request.user, found.program, "configure")
        quotas = []
        for i, row in enumerate(rows):
            low = _bound(str(row["minimum"]), f"min-{i}", problems)
            high = _bound(str(row["maximum"]), f"max-{i}", problems)
            if low is not None and high is not None and low > high:
                problems[f"min-{i}"] = _("“at least” is more than “at most”")
            if low is not None or high is not None:
                quotas.append({"field": field, "value": row["value"], "minimum": low,
                               "maximum": high})  # fmt: skip
        least = sum(q["minimum"] or 0 for q in quotas)
        if not problems and least > found.capacity:
            problems[""] = _("the “at least” numbers add up to %(least)s, more than the "
                             "%(seats)s seats") % {"least": least, "seats": found.capacity}  # fmt: skip
        if not problems:
            data["quotas"] = quotas
            problems[""] = saved(found, data, request.user, "cycle.quotas", field=field,
                                 quotas=len(quotas))  # fmt: skip
            if not problems[""]:
                messages.success(request, _("Quotas saved.") if quotas else _("No quotas now."))
                return redirect(reverse("workspace:staff_setup", args=[found.pk]) + "#rubric")
    for i, row in enumerate(rows):
        row["min_problem"], row["max_problem"] = problems.get(f"min-{i}"), problems.get(f"max-{i}")
    return render(request, "workspace/staff_quotas.html", {
        "can": allowed_actions(request.user, found.program),
        "cycle": found, "field": field, "rows": rows, "problems": problems,
        "general": problems.get(""),
        "fields": [(key, phrase(row["label"], found)) for key, row in choices.items()],
    }, status=422 if problems else 200)  # fmt: skip
