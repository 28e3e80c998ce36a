"""The rubric builder (issue #16): add, change and remove a cycle's criteria — name,
description and advice in both languages, weight, scale, and what each level means with
the advice for it. Saved through ``import_configuration`` (the validators of a
configuration file); once people have applied, only the words can change."""

from __future__ import annotations

import math
import re

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ascent.common.permissions import allowed_actions, require, staff_required
from ascent.programs.domain.configuration import (
    export_configuration,
    prune_translations,
)

from .formbuilder import (
    _cycle,
    _new_key,
    gone_problem,
    located,
    remove_row,
    saved,
    set_spanish,
    whole,
)

WORDS = ("name", "description", "advice")
MAX_LEVELS = 11  # a 0-10 scale at most: each level is described


def _levels(row: dict, spanish: dict, low: int, high: int, post=None) -> list[dict]:
    """One line per score of the scale: its description and advice in both languages,
    from the stored rubric or, after a post, as typed."""
    stored = {level.get("score"): level for level in row.get("levels") or []
              if isinstance(level, dict)}  # fmt: skip
    lines = []
    for score in range(low, high + 1) if high - low < MAX_LEVELS else ():
        level = stored.get(score, {})
        line = {"score": score}
        for word in ("description", "advice"):
            name = f"level-{score}-{word}"
            line[word] = post.get(name, "").strip() if post is not None else level.get(word, "")
            line[f"{word}_es"] = (post.get(f"{name}_es", "").strip() if post is not None
                                  else spanish.get(level.get(word, ""), ""))  # fmt: skip
        lines.append(line)
    return lines


@staff_required
def edit(request: HttpRequest, pk: int, index: int | None = None) -> HttpResponse:
    """Add a criterion (no index) or change one."""
    found = _cycle(request, pk)
    data = export_configuration(found)
    index, gone = located(request, data["criteria"], index)
    if index is not None and not gone and not 0 <= index < len(data["criteria"]):
        raise Http404(_("No such criterion."))
    spanish = data["translations"].get("es", {})
    current = (data["criteria"][index] if index is not None and not gone
               else {"scale_min": 1, "scale_max": 5, "weight": 1})  # fmt: skip
    applied = found.applications.exists()
    values = {**{w: current.get(w, "") for w in WORDS},
              **{f"{w}_es": spanish.get(current.get(w, ""), "") for w in WORDS},
              "weight": current.get("weight", ""), "scale_min": current.get("scale_min", 1),
              "scale_max": current.get("scale_max", 5)}  # fmt: skip
    levels = _levels(current, spanish, values["scale_min"], values["scale_max"])
    problems: dict[str, str] = {}
    if request.method == "POST":
        require(request.user, found.program, "configure")
        values = {k: request.POST.get(k, "").strip() for k in values}
        if applied:  # the numbers are frozen; the page shows them, the post cannot move them
            values.update({k: current[k] for k in ("weight", "scale_min", "scale_max")})
        row, problems = _criterion(values, current, data["criteria"], index)
        low, high = (row["scale_min"], row["scale_max"]) if not problems.get("scale") else (
            current["scale_min"], current["scale_max"])  # fmt: skip
        levels = _levels(current, spanish, low, high, post=request.POST)
        if gone:
            problems[""] = gone_problem()
        if not problems:
            # Levels with words are kept; once people have applied, every stored level
            # too (its score is part of what the scores mean).
            stored = {level.get("score") for level in current.get("levels") or []
                      if applied and isinstance(level, dict)}  # fmt: skip
            row["levels"] = [{k: line[k] for k in ("score", "description", "advice")}
                             for line in levels
                             if line["description"] or line["advice"] or line["score"] in stored]  # fmt: skip
            if index is None:
                data["criteria"].append(row)
            else:
                data["criteria"][index] = row
            set_spanish(
                data,
                [(values[w], values[f"{w}_es"]) for w in WORDS]
                + [
                    (line[w], line[f"{w}_es"]) for line in levels for w in ("description", "advice")
                ],
            )
            prune_translations(data)
            problems[""] = saved(found, data, request.user, "cycle.criterion", criterion=row["key"])
            if not problems[""]:
                messages.success(request, _("Criterion saved."))
                return redirect(reverse("workspace:staff_setup", args=[found.pk]) + "#rubric")
    return render(request, "workspace/staff_criterion.html", {
        "can": allowed_actions(request.user, found.program),
        "cycle": found, "index": index, "values": values, "levels": levels,
        "problems": problems, "general": problems.get(""), "applied": applied,
        "row_key": request.POST.get("row") or current.get("key", ""),
        "key": current.get("key", ""), "max_levels": MAX_LEVELS,
    }, status=422 if problems else 200)  # fmt: skip


def _criterion(values: dict, current: dict, criteria: list[dict], index) -> tuple[dict, dict]:
    problems = {}
    if not values["name"]:
        problems["name"] = _("give the criterion a name")
    elif any(len(values[k]) > 200 for k in ("name", "name_es")):
        problems["name"] = _("at most 200 characters")
    raw = str(values["weight"]).strip()
    weight = float(raw.replace(",", ".")) if re.fullmatch(r"[0-9]{1,4}([.,][0-9]{1,6})?", raw) \
        else math.nan  # fmt: skip
    if not (math.isfinite(weight) and 0.001 <= weight <= 1000):
        problems["weight"] = _("a number from 0.001 to 1000, such as 1 or 0.4")
    low, high = (
        whole(values["scale_min"], -99_999, 99_999),
        whole(values["scale_max"], -99_999, 99_999),
    )
    if low is None or high is None or not low < high:
        problems["scale"] = _("whole numbers, the lowest below the highest")
    elif high - low >= MAX_LEVELS:
        problems["scale"] = _("at most %(n)s levels, such as 1 to 5 or 0 to 10") % {
            "n": MAX_LEVELS}  # fmt: skip
    key = current.get("key") or _new_key(values["name"], criteria, "criterion")
    row = {"key": key, "name": values["name"], "description": values["description"],
           "advice": values["advice"], "weight": weight, "scale_min": low, "scale_max": high,
           "levels": current.get("levels", [])}  # fmt: skip
    return row, problems


@staff_required
def remove(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    found = _cycle(request, pk, change=True)
    return remove_row(request, found, "criteria", index, anchor="#rubric",
                      title=_("Remove the criterion “%(name)s”?"),
                      text=_("Reviewers will no longer score it."),
                      verb="cycle.criterion_removed", done=_("Criterion removed."))  # fmt: skip
