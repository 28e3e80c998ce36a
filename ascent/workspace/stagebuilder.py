"""The stages' settings (issue #16): each stage's name in both languages and how its
review runs — reviews per application, blind or not, letters in blind review, others'
scores only after one's own. Saved through ``import_configuration``, the validators of
a configuration file. How a stage runs stays editable once people have applied (it does
not change what an answer or a score means); adding, removing or reordering stages is
done in the configuration file before anyone applies."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascent.common.permissions import allowed_actions, require, staff_required
from ascent.programs.domain.configuration import (
    export_configuration,
    prune_translations,
)
from ascent.programs.models import StageKind

from .formbuilder import (
    _cycle,
    _new_key,
    gone_problem,
    located,
    move_row,
    remove_row,
    saved,
    set_spanish,
    whole,
)

CHECKS = (
    "blind",
    "letters_when_blind",
    "others_scores_after_submit",
    "one_per_organisation",
    "one_senior",
)
REVIEWED = (StageKind.REVIEW, StageKind.INTERVIEW)
MAX_REVIEWS = 20


NEW = {
    "name": "",
    "kind": StageKind.REVIEW,
    "reviews_per_application": 2,
    "blind": False,
    "letters_when_blind": False,
    "others_scores_after_submit": True,
    "one_per_organisation": False,
    "one_senior": False,
}


@staff_required
def edit(request: HttpRequest, pk: int, index: int | None = None) -> HttpResponse:
    """Add a stage (no index; its kind is chosen then) or change how one runs."""
    found = _cycle(request, pk)
    data = export_configuration(found)
    index, gone = located(request, data["stages"], index)
    if index is not None and not gone and not 0 <= index < len(data["stages"]):
        raise Http404(_("No such stage."))
    if index is None or gone:
        kind = request.POST.get("kind") or request.GET.get("kind") or StageKind.REVIEW
        stage = {**NEW, "kind": kind if kind in StageKind.values else StageKind.REVIEW}
    else:
        stage = data["stages"][index]
    spanish = data["translations"].get("es", {})
    reviewed = stage["kind"] in REVIEWED
    values = {"name": stage["name"], "name_es": spanish.get(stage["name"], ""),
              "reviews_per_application": stage.get("reviews_per_application") or "",
              **{name: bool(stage.get(name)) for name in CHECKS}}  # fmt: skip
    problems: dict[str, str] = {}
    if request.method == "POST":
        require(request.user, found.program, "configure")
        values = {"name": request.POST.get("name", "").strip(),
                  "name_es": request.POST.get("name_es", "").strip(),
                  "reviews_per_application": request.POST.get("reviews_per_application", "").strip(),
                  **{name: request.POST.get(name) == "on" for name in CHECKS}}  # fmt: skip
        if gone:
            problems[""] = gone_problem()
        if not values["name"]:
            problems["name"] = _("give the stage a name")
        elif len(values["name"]) > 200 or len(values["name_es"]) > 200:
            problems["name"] = _("at most 200 characters")
        if reviewed and whole(values["reviews_per_application"], 1, MAX_REVIEWS) is None:
            problems["reviews_per_application"] = _(
                "a whole number from 1 to %(n)s") % {"n": MAX_REVIEWS}  # fmt: skip
        if not problems:
            if reviewed:
                stage["reviews_per_application"] = int(values["reviews_per_application"])
                stage.update({name: values[name] for name in CHECKS})
            else:
                stage["reviews_per_application"] = 0
            stage["name"] = values["name"]
            if index is None:
                stage["key"] = _new_key(values["name"], data["stages"], "stage")
                data["stages"].append(stage)
            set_spanish(data, [(values["name"], values["name_es"])])
            prune_translations(data)
            problems[""] = saved(found, data, request.user, "cycle.stage", stage=stage["key"])
            if not problems[""]:
                messages.success(request, _("Stage saved."))
                return redirect(reverse("workspace:staff_setup", args=[found.pk]) + "#rubric")
    return render(request, "workspace/staff_stage.html", {
        "can": allowed_actions(request.user, found.program),
        "cycle": found, "index": index, "stage": stage, "values": values, "problems": problems,
        "reviewed": reviewed, "kind": StageKind(stage["kind"]).label, "max_reviews": MAX_REVIEWS,
        "kinds": StageKind.choices, "new": index is None,
        "row_key": request.POST.get("row") or stage.get("key", ""),
        "general": problems.get(""),
    }, status=422 if problems else 200)  # fmt: skip


@staff_required
def remove(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    found = _cycle(request, pk, change=True)
    return remove_row(request, found, "stages", index, anchor="#rubric",
                      title=_("Remove the stage “%(name)s”?"),
                      text=_("Its settings go with it; no application has been reviewed in it, "
                             "since no one has applied."),
                      verb="cycle.stage_removed", done=_("Stage removed."))  # fmt: skip


@staff_required
@require_POST
def move(request: HttpRequest, pk: int, index: int, direction: str) -> HttpResponse:
    return move_row(request, _cycle(request, pk, change=True), "stages", index, direction,
                    anchor="#rubric")  # fmt: skip
