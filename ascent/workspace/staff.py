"""The staff's desk: a cycle's pipeline (screen, assign, select, release) run as
background jobs with a progress bar, the selection board, and its export."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ascent.applications.domain.errors import ApplicationError
from ascent.applications.domain.queries import failed_requirement_counts
from ascent.applications.domain.screening import override_eligibility
from ascent.applications.domain.uploads import stored_file_response
from ascent.applications.models import Application, ApplicationStatus, Eligibility
from ascent.applications.tasks import start_screening
from ascent.common.confirm import ask, confirmed
from ascent.common.domain.audit import record
from ascent.common.email import render_text
from ascent.common.models import Job
from ascent.common.permissions import (
    allowed_actions,
    program_role,
    require,
    staff_cycles,
    staff_required,
    visible_programs,
)
from ascent.decisions.domain.analytics import cycle_analytics
from ascent.decisions.domain.deciding import release_decisions
from ascent.decisions.domain.errors import DecisionError
from ascent.decisions.domain.offers import change_decision
from ascent.decisions.models import Decision, DecisionRun, Offer, Outcome
from ascent.decisions.tasks import start_decision
from ascent.engine.affinity import resolve_method
from ascent.engine.assignment import OBJECTIVES
from ascent.programs.domain.configuration import (
    dump_configuration,
    import_configuration,
    parse_configuration,
)
from ascent.programs.domain.content import phrase, phrasebook
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.domain.errors import ProgramError
from ascent.programs.models import Cycle, Stage, StageKind
from ascent.review.domain.assignment import why_matched
from ascent.review.domain.bids import bid_coverage
from ascent.review.domain.by_hand import assign_by_hand, candidates, hand_stages
from ascent.review.domain.errors import ReviewError
from ascent.review.domain.panel import invite_reviewer, update_reviewer
from ascent.review.domain.shortlist import announce_shortlist, shortlist
from ascent.review.models import Assignment, Reviewer, ReviewState
from ascent.review.tasks import start_assignment

from .charts import board_chart
from .dossier import dossier
from .exports import (
    ELIGIBLE_NOW,
    applications_table,
    board_figures,
    board_table,
    board_top,
    export_table,
)
from .summaries import summary_rows


@staff_required
def cycles(request: HttpRequest) -> HttpResponse:
    rows = (
        staff_cycles(request.user)
        .select_related("program")
        .annotate(n=Count("applications"))
        .order_by("program__name", "-deadline")
    )
    programs = visible_programs(request.user).order_by("name")
    return render(request, "workspace/staff_cycles.html", {"cycles": rows, "programs": programs})


@staff_required
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the cycle stands, what to run next, and the jobs that ran."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    counts = dict(
        Application.objects.filter(cycle=found).values_list("status").annotate(n=Count("id"))
    )
    statuses = [(label, counts.get(value, 0)) for value, label in ApplicationStatus.choices]
    stages = list(
        Stage.objects.filter(cycle=found, kind__in=[StageKind.REVIEW, StageKind.INTERVIEW])
    )
    stage_ids = [str(s.pk) for s in stages]
    jobs = Job.objects.filter(
        target_type="programs.cycle", target_id=str(found.pk)
    ) | Job.objects.filter(target_type="programs.stage", target_id__in=stage_ids)
    words = phrasebook(found)
    names = {
        key: words.get(name, name) for key, name in found.requirements.values_list("key", "name")
    }
    failed = Counter()
    for key, n in failed_requirement_counts(found).items():
        failed[names.get(key, key)] += n
    unreleased = Decision.objects.filter(cycle=found, released_at__isnull=True).count()
    released = Decision.objects.filter(cycle=found, released_at__isnull=False)
    role = program_role(request.user, found.program)
    first_release = released.order_by("released_at").values_list("released_at", flat=True).first()
    sent = sum(n for status, n in counts.items()
               if status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN))  # fmt: skip
    reviews = {row["stage"]: row for row in Assignment.objects.filter(stage__cycle=found)
               .order_by().values("stage").annotate(assigned=Count("id"), done=Count(
                   "id", filter=Q(review__state=ReviewState.SUBMITTED)))}  # fmt: skip
    for stage in stages:
        row = reviews.get(stage.pk, {})
        stage.assigned, stage.reviewed = row.get("assigned", 0), row.get("done", 0)
    return render(request, "workspace/staff_cycle.html", {
        "cycle": found, "role": role, "can": allowed_actions(request.user, found.program, role), "statuses": statuses, "stages": stages,
        "jobs": jobs.order_by("-created_at")[:10], "failed": failed.most_common(),
        "unreleased": unreleased, "sent": sent, "closed": found.deadline <= timezone.now(),
        "screened": Eligibility.objects.filter(application__cycle=found).count(),
        "first_release": first_release,
        "offers": Offer.objects.filter(decision__cycle=found)
        .select_related("decision__application", "promoted_from__decision__application")
        .order_by("offered_at", "pk"),
        "released": released.count(),
    })  # fmt: skip


def _id(raw) -> int | None:
    """A posted id, or None when it is not one (a database id fits in 63 bits)."""
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


@staff_required
@require_POST
def run(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Start a step of the pipeline as a background job; the page follows its progress."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    if step in ("screen", "assign", "select"):
        require(request.user, found.program, step)
    if step == "screen":
        job = start_screening(found, by=request.user)
    elif step == "assign":
        stage = Stage.objects.filter(pk=_id(request.POST.get("stage")), cycle=found).first()
        if stage is None:
            messages.error(request, _("stage: choose one of this cycle's review stages"))
            return redirect("workspace:staff_cycle", pk=found.pk)
        objective = request.POST.get("objective", "total")
        if objective not in OBJECTIVES:
            messages.error(request, _("objective: choose total, fair or randomized"))
            return redirect("workspace:staff_cycle", pk=found.pk)
        job = start_assignment(stage, by=request.user, objective=objective)
    elif step == "select":
        job = start_decision(found, by=request.user)
    else:
        raise PermissionDenied
    return redirect("workspace:staff_job", pk=job.pk)


@staff_required
def application_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One application as staff read it: answers, letters, eligibility (with the
    override), reviews, decision, gap report, offer and history."""
    found = get_object_or_404(
        Application.objects.select_related("cycle__program", "applicant__user", "eligibility"),
        pk=pk,
        cycle__in=staff_cycles(request.user),
    )
    problems: dict[str, str] = {}
    if request.method == "POST":
        require(request.user, found.cycle.program, "override")
        choice = request.POST.get("override", "")
        eligible = {"eligible": True, "ineligible": False, "rules": None}.get(choice, "?")
        if eligible == "?":
            problems["override"] = _("choose eligible, not eligible or the rules' verdict")
        else:
            try:
                override_eligibility(found, eligible=eligible,
                                     reason=request.POST.get("override_reason", ""),
                                     by=request.user)  # fmt: skip
            except ApplicationError as error:
                problems = {key: _("write why the rules are overruled; the reason is kept in "
                                   "the audit log") for key, _m in error.problems} or {
                    "": str(error)}  # fmt: skip
            else:
                messages.success(request, _("Eligibility recorded."))
                return redirect("workspace:staff_application", pk=found.pk)
    return render(request, "workspace/staff_application.html", {
        "d": dossier(found), "application": found, "cycle": found.cycle, "problems": problems,
        "can": allowed_actions(request.user, found.cycle.program),
        "override": request.POST.get("override", "") if problems else "",
        "override_reason": request.POST.get("override_reason", "") if problems else "",
    }, status=422 if problems else 200)  # fmt: skip


SHOWN_CANDIDATES = 25  # the best fits; the whole panel on asking


@staff_required
def assign_by_hand_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one application to a reviewer picked by name: each reviewer's affinity to it,
    load and conflicts beside their name; a conflict or a full load is refused by name."""
    application = get_object_or_404(
        Application.objects.select_related("cycle__program", "applicant"),
        pk=pk,
        cycle__in=staff_cycles(request.user),
    )
    require(request.user, application.cycle.program, "assign")
    stages = list(hand_stages(application))
    if not stages:
        raise Http404(_("This cycle has no review or interview stage."))
    chosen = request.POST.get("stage") or request.GET.get("stage") or ""
    stage = next((s for s in stages if str(s.pk) == chosen), stages[0])
    problems: dict[str, str] = {}
    if request.method == "POST":
        try:
            assignment = assign_by_hand(application, stage, request.POST.get("reviewer"),
                                        by=request.user)  # fmt: skip
        except ReviewError as error:
            problems = dict(error.problems) or {"": str(error)}
        else:
            messages.success(request, _("%(name)s now reviews this application.")
                             % {"name": assignment.reviewer.display_name})  # fmt: skip
            # no anchor: the confirmation is at the top of the page
            return redirect("workspace:staff_application", pk=application.pk)
    found, method = candidates(application, stage)
    shown = found if request.GET.get("all") else found[:SHOWN_CANDIDATES]
    return render(request, "workspace/staff_assign.html", {
        "application": application, "cycle": application.cycle, "stages": stages,
        "stage": stage, "candidates": shown, "total": len(found), "method": method,
        "problems": problems,
        "chosen": request.POST.get("reviewer", ""),
    }, status=422 if problems else 200)  # fmt: skip


@staff_required
def why_assigned(request: HttpRequest, pk: int) -> HttpResponse:
    """Why the assignment put this reviewer on this application: the reviewer's texts
    that match it best (asked for on demand: the semantic model is not cheap)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("reviewer", "stage", "application__cycle__program"),
        pk=pk,
        application__cycle__in=staff_cycles(request.user),
    )
    context = {"assignment": assignment, "matches": why_matched(assignment)}
    if request.htmx:
        return render(request, "workspace/_why.html", context)
    return render(request, "workspace/staff_why.html", context)


@staff_required
def application_file(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """A file answer, for staff."""
    response = stored_file_response(
        get_object_or_404(Application, pk=pk, cycle__in=staff_cycles(request.user)), key
    )
    if response is None:
        raise Http404(_("No such file."))
    return response


@staff_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress; htmx polls the bar until the job is done or failed."""
    found = get_object_or_404(Job, pk=pk)
    cycle_id, place = _job_target(found)
    if found.target_type in ("programs.cycle", "programs.stage") and not staff_cycles(
            request.user).filter(pk=cycle_id).exists():  # fmt: skip
        raise Http404(_("No such job."))
    context = {"job": found, "cycle_id": cycle_id, "running": found.state in ("queued", "running"),
               "place": place}  # fmt: skip
    if request.htmx:
        return render(request, "workspace/_job.html", context)
    return render(request, "workspace/staff_job.html", context)


def _job_target(job: Job) -> tuple:
    """The job's cycle id, and its cycle (or stage) named in the reader's language; one
    query (the page is polled every second while the job runs)."""
    stage = None
    if job.target_type == "programs.stage":
        stage = Stage.objects.select_related("cycle__program").filter(pk=job.target_id).first()
        cycle = stage.cycle if stage is not None else None
    elif job.target_type == "programs.cycle":
        cycle = Cycle.objects.select_related("program").filter(pk=job.target_id).first()
    else:
        return job.target_id, ""
    if cycle is None:
        return None, ""
    place = f"{phrase(cycle.program.name, cycle.program, cycle)} — {phrase(cycle.name, cycle)}"
    if stage is not None:
        place += f" / {phrase(stage.name, cycle)}"
    return cycle.pk, place


@staff_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The calibrated ranking with its uncertainty, the cutoff, and who is borderline."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    # Only the top of the ranking, and the figures from the decisions' own indexes: the
    # page costs the same with 200 applications or 20,000 (the export has them all).
    figures = board_figures(found)
    top = board_top(found, max(60, figures["selected"] * 3))
    cutoff = figures["cutoff"]
    # (the run without its input arrays: they are for reproducing it, not for this page)
    run = DecisionRun.objects.defer("inputs").filter(pk=top[0].run_id).first() if top else None
    return render(request, "workspace/staff_board.html", {
        "cycle": found, "can": allowed_actions(request.user, found.program), "rows": top, "total": figures["total"], "cutoff": cutoff,
        "chart": board_chart(top, cutoff), "run": run,
        "unreleased": figures["unreleased"],
        "interviews": Stage.objects.filter(cycle=found, kind=StageKind.INTERVIEW)
                      .annotate(shortlisted=Count("shortlist")),
    })  # fmt: skip


@staff_required
def board_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole board as CSV (or XLSX with ?format=xlsx)."""
    found = get_object_or_404(staff_cycles(request.user), pk=pk)
    table = board_table(found)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_table(table, fmt, f"board-{found.slug}")


@staff_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview the e-mails, then release every decision of the cycle in one action."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    pending = Decision.objects.filter(cycle=found, released_at__isnull=True)
    if request.method == "POST":
        require(request.user, found.program, "release")
        try:
            moved = release_decisions(found, by=request.user)
        except DecisionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Released: %(moves)s.") % {
                "moves": summary_rows({"moved": moved})[0][1] if moved else _("no status moved")})  # fmt: skip
        return redirect("workspace:staff_cycle", pk=found.pk)
    previews = []
    for outcome in (Outcome.SELECTED, Outcome.WAITLISTED, Outcome.NOT_SELECTED, Outcome.INELIGIBLE):
        sample = (pending.filter(outcome=outcome).select_related("application__applicant")
                  .order_by("rank", "pk").first())  # fmt: skip
        if sample is not None:
            context = {
                "decision": sample,
                "application": sample.application,
                "cycle": found,
                "waitlist_position": 1,
            }  # the sample is the first of its outcome
            previews.append({
                "outcome": sample.get_outcome_display(),
                "count": pending.filter(outcome=outcome).count(),
                "subject": render_text("decisions/email/released_subject.txt", context).strip(),
                "body": render_text("decisions/email/released.txt", context),
            })  # fmt: skip
    return render(request, "workspace/staff_release.html",
                  {"cycle": found, "previews": previews, "can": allowed_actions(request.user, found.program), "pending": pending.count(),
                   "released": Decision.objects.filter(cycle=found, released_at__isnull=False)
                   .count()})  # fmt: skip


@staff_required
def configuration(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the cycle's configuration (JSON or YAML), or upload one to replace it."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("json", "yaml"):
        response = HttpResponse(dump_configuration(found, fmt),
                                content_type="application/json" if fmt == "json" else "application/yaml")  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="{found.slug}-configuration.{fmt}"'
        return response
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        require(request.user, found.program, "configure")
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ProgramError("file: choose a JSON or YAML file")
            if upload.size > 1_000_000:
                raise ProgramError("file: at most 1 MB")
            text = upload.read().decode("utf-8", errors="replace")
            import_configuration(found, parse_configuration(text))
        except ProgramError as error:
            problems = error.problems or [("", str(error))]
        else:
            record(request.user, "cycle.configured", found)
            messages.success(request, _("Configuration imported."))
            return redirect("workspace:staff_cycle", pk=found.pk)
    return render(request, "workspace/staff_configuration.html",
                  {"cycle": found, "problems": problems,
                   "can": allowed_actions(request.user, found.program)},
                  status=422 if problems else 200)  # fmt: skip


@staff_required
def analytics(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle in figures; every table exports to CSV and XLSX."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    tables = cycle_analytics(found)
    key, fmt = request.GET.get("table"), request.GET.get("format")
    if key or fmt:
        if key not in tables or fmt not in ("csv", "xlsx"):
            raise Http404(_("No such table or format."))
        return export_table(tables[key], fmt, f"{found.slug}-{key}")
    funnel = tables["funnel"].rows
    top = max((n for _s, n in funnel), default=0) or 1
    bars = [{"label": _(step), "n": n, "width": round(500 * n / top, 1), "y": 10 + i * 28}
            for i, (step, n) in enumerate(funnel)]  # fmt: skip
    return render(request, "workspace/staff_analytics.html", {
        "cycle": found, "tables": tables.values(), "funnel_bars": bars,
        "funnel_height": 20 + 28 * len(bars),
        "distributions": _distributions(tables["scores"].rows),
    })  # fmt: skip


def _distributions(rows) -> list[dict]:
    """Per criterion, bars of how often each score was given (for small SVG plots)."""
    groups: dict[str, list] = {}
    for name, score, n in rows:
        groups.setdefault(name, []).append((score, n))
    plots = []
    for name, counts in groups.items():
        top = max(n for _s, n in counts) or 1
        bars = [{"x": 10 + i * 22, "height": round(80 * n / top, 1), "y": round(90 - 80 * n / top, 1),
                 "score": score, "n": n} for i, (score, n) in enumerate(counts)]  # fmt: skip
        summary = ", ".join(f"{score}: {n}" for score, n in counts)
        plots.append({"name": name, "bars": bars, "width": 20 + 22 * len(bars), "summary": summary})
    return plots


@staff_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The program's reviewers, with their load this cycle; invite more."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    problems: list[tuple[str, str]] = []
    edited: dict = {}  # a panel member's row as typed, when it was refused
    if request.method == "POST" and request.POST.get("reviewer"):
        require(request.user, found.program, "panel")
        member = get_object_or_404(Reviewer, pk=_id(request.POST.get("reviewer")),
                                   program=found.program)  # fmt: skip
        try:
            update_reviewer(member, load_limit=request.POST.get("load_limit", ""),
                            active=request.POST.get("active") == "on",
                            senior=request.POST.get("senior") == "on", by=request.user)  # fmt: skip
        except ReviewError as error:
            edited = {"pk": member.pk, "message": dict(error.problems).get("load_limit", ""),
                      "load_limit": request.POST.get("load_limit", ""),
                      "active": request.POST.get("active") == "on",
                      "senior": request.POST.get("senior") == "on"}  # fmt: skip
            messages.error(request, _("%(name)s not changed: see the marked row.")
                           % {"name": member.display_name})  # fmt: skip
        else:
            messages.success(request, _("%(name)s saved.") % {"name": member.display_name})
            return redirect("workspace:staff_panel", pk=found.pk)
    elif request.method == "POST":
        require(request.user, found.program, "panel")
        try:
            invite_reviewer(found.program, name=request.POST.get("name", ""),
                            email=request.POST.get("email", ""),
                            expertise=request.POST.get("expertise", ""),
                            load_limit=request.POST.get("load_limit", ""), by=request.user)  # fmt: skip
        except ReviewError as error:
            problems = error.problems or [("", str(error))]
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("workspace:staff_panel", pk=found.pk)
    reviewers = (
        Reviewer.objects.filter(program=found.program)
        .annotate(load=Count("assignments", filter=Q(assignments__stage__cycle=found)),
                  done=Count("assignments", filter=Q(assignments__stage__cycle=found,
                                                     assignments__review__state="submitted")))
        .order_by("display_name")
    )  # fmt: skip
    reviewers = list(reviewers)
    for member in reviewers:  # each row's form: as stored, or as typed when refused
        member.form = ({"load_limit": edited["load_limit"], "active": edited["active"],
                        "senior": edited["senior"], "error": edited["message"]}
                       if edited.get("pk") == member.pk else
                       {"load_limit": member.load_limit, "active": member.active,
                        "senior": member.senior, "error": ""})  # fmt: skip
    coverage = [(stage, bid_coverage(stage)) for stage in
                Stage.objects.filter(cycle=found, kind__in=[StageKind.REVIEW, StageKind.INTERVIEW])]  # fmt: skip
    return render(request, "workspace/staff_panel.html", {
        "cycle": found, "can": allowed_actions(request.user, found.program), "coverage": coverage, "reviewers": reviewers, "problems": dict(problems),
        "method": resolve_method("auto"),
        "empty_profiles": sum(r.active and r.profile_empty for r in reviewers),
        "values": request.POST if problems else {},
    }, status=422 if problems or edited else 200)  # fmt: skip


@staff_required
def change_decision_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one released decision, with a reason (audited; the status follows)."""
    decision = get_object_or_404(Decision.objects.select_related("application__cycle"), pk=pk,
                                 cycle__in=staff_cycles(request.user))  # fmt: skip
    require(request.user, decision.application.cycle.program, "change_decision")
    problem = ""
    if request.method == "POST":
        try:
            if decision.released_at is None:
                raise DecisionError(_("not released yet: re-run the selection instead"))
            change_decision(decision, request.POST.get("outcome", ""),
                            reason=request.POST.get("reason", ""), by=request.user)  # fmt: skip
        except DecisionError as error:
            problem = str(error)
        else:
            messages.success(request, _("Decision changed."))
            return redirect("workspace:staff_board", pk=decision.application.cycle_id)
    return render(request, "workspace/staff_change_decision.html", {
        "decision": decision, "problem": problem,
        "outcomes": [(v, label) for v, label in Outcome.choices if v != Outcome.INELIGIBLE],
    }, status=422 if problem else 200)  # fmt: skip


@staff_required
@require_POST
def shortlist_view(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("cycle__program"), pk=pk,
                              cycle__in=staff_cycles(request.user))  # fmt: skip
    found = stage.cycle
    require(request.user, found.program, "shortlist")
    try:
        size = shortlist(stage, request.POST.get("size"), by=request.user)
    except ReviewError as error:
        messages.error(request, _("Not shortlisted: %(why)s") % {"why": error})
        return redirect("workspace:staff_board", pk=found.pk)
    messages.success(request, ngettext("%(n)s application shortlisted for %(stage)s; assign its reviewers next.",
                                       "%(n)s applications shortlisted for %(stage)s; assign its reviewers next.",
                                       size) % {"n": size, "stage": stage.name})  # fmt: skip
    return redirect("workspace:staff_cycle", pk=found.pk)


@staff_required
def announce_shortlist_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Tell the shortlisted applicants (and the supporters they chose) that they moved on;
    asks first, since the shortlist cannot be replaced afterwards."""
    stage = get_object_or_404(Stage.objects.select_related("cycle__program"), pk=pk,
                              cycle__in=staff_cycles(request.user))  # fmt: skip
    require(request.user, stage.cycle.program, "shortlist")
    board = reverse("workspace:staff_board", args=[stage.cycle_id])
    if not confirmed(request):
        n = stage.shortlist.count()
        return ask(request, title=_("Announce the shortlist for %(stage)s?") % {"stage": stage.name},
                   danger=False,
                   text=ngettext("%(n)s applicant is told by e-mail that they move on to %(stage)s, "
                                 "and so are the supporters they chose to share milestones with. "
                                 "The shortlist cannot be replaced afterwards.",
                                 "%(n)s applicants are told by e-mail that they move on to %(stage)s, "
                                 "and so are the supporters they chose to share milestones with. "
                                 "The shortlist cannot be replaced afterwards.", n)
                   % {"n": n, "stage": stage.name},
                   button=_("Yes, announce it"), cancel=board)  # fmt: skip
    try:
        told = announce_shortlist(stage, by=request.user)
    except ReviewError as error:
        messages.error(request, _("Not announced: %(why)s") % {"why": error})
        return redirect(board)
    messages.success(request, ngettext("%(n)s applicant was told they move on to %(stage)s.",
                                       "%(n)s applicants were told they move on to %(stage)s.",
                                       told) % {"n": told, "stage": stage.name})  # fmt: skip
    return redirect(board)


@staff_required
def next_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the next cycle as a draft copy of this one (form, requirements, rubric,
    stages, quotas), one year later."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    require(request.user, found.program, "configure")
    if not confirmed(request):
        return ask(request, title=_("Start the next cycle?"), danger=False,
                   text=_("A new draft cycle is made from %(cycle)s: its form, requirements, "
                          "rubric, stages and quotas, one year later. Nobody sees it until "
                          "you open it.") % {"cycle": found.name},
                   button=_("Yes, start the next cycle"),
                   cancel=reverse("workspace:staff_cycle", args=[found.pk]))  # fmt: skip
    year = dt.timedelta(days=365)
    slug = f"{found.slug}-next"
    try:
        new = copy_cycle(found, name=f"{found.name} (next)", slug=slug,
                         opens_at=found.opens_at + year, deadline=found.deadline + year,
                         by=request.user)  # fmt: skip
    except ProgramError as error:
        messages.error(request, str(error))
        return redirect("workspace:staff_cycle", pk=found.pk)
    messages.success(request, _("Draft cycle created; rename it and set its dates in the "
                                "administration before opening it."))  # fmt: skip
    return redirect("workspace:staff_cycle", pk=new.pk)


# -- the list of a cycle's applications -----------------------------------------------------

PAGE_SIZE = 50
SORTS = {
    "submitted": ("submitted_at", "pk"), "-submitted": ("-submitted_at", "-pk"),
    "receipt": ("receipt", "pk"), "name": ("applicant__display_name", "pk"),
}  # fmt: skip


class ApplicationFilter(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Receipt, name or e-mail"), required=False, max_length=100
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("any")), *ApplicationStatus.choices])  # fmt: skip
    eligible = forms.ChoiceField(label=gettext_lazy("Eligibility"), required=False, choices=[
        ("", gettext_lazy("any")), ("yes", gettext_lazy("eligible")), ("no", gettext_lazy("not eligible")),
        ("unscreened", gettext_lazy("not screened")),
    ])  # fmt: skip
    sort = forms.ChoiceField(label=gettext_lazy("Order"), required=False, choices=[
        ("submitted", gettext_lazy("submitted, oldest first")), ("-submitted", gettext_lazy("submitted, newest first")),
        ("receipt", gettext_lazy("receipt")), ("name", gettext_lazy("name")),
    ])  # fmt: skip


def _filtered_applications(found: Cycle, data: dict):
    rows = Application.objects.filter(cycle=found)
    if data.get("q"):
        q = data["q"].strip()
        rows = rows.filter(Q(receipt__iexact=q) | Q(applicant__display_name__icontains=q)
                           | Q(applicant__user__email__iexact=q))  # fmt: skip
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("eligible") == "unscreened":
        rows = rows.filter(eligibility__isnull=True)
    elif data.get("eligible"):
        rows = rows.annotate(eligible_now=ELIGIBLE_NOW).filter(
            eligible_now=data["eligible"] == "yes"
        )
    return rows.order_by(*SORTS[data.get("sort") or "submitted"])


@staff_required
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    """Every application of the cycle: filter, order, page through 50 at a time, export
    what the filter shows (CSV or XLSX)."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    form = ApplicationFilter(request.GET)
    if not form.is_valid():
        return render(request, "workspace/staff_applications.html",
                      {"cycle": found, "form": form, "page": None}, status=400)  # fmt: skip
    rows = _filtered_applications(found, form.cleaned_data)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        table = applications_table(rows.annotate(eligible_now=ELIGIBLE_NOW))
        return export_table(table, fmt, f"applications-{found.slug}")
    # Page through ids (the index holds them in order), then read the page's 50 rows: a
    # page deep in 20,000 costs about what the first one does.
    page = Paginator(rows.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    found_rows = (Application.objects.select_related("applicant")
                  .annotate(eligible_now=ELIGIBLE_NOW).in_bulk(ids))  # fmt: skip
    page.object_list = [found_rows[pk] for pk in ids]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workspace/staff_applications.html", {
        "cycle": found, "form": form, "page": page, "query": query.urlencode(),
    })  # fmt: skip
