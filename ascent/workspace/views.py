from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ascent.applications.domain.uploads import private_file_response, stored_file_response
from ascent.programs.domain.content import phrasebook
from ascent.programs.models import Criterion, Stage
from ascent.review.domain.assignment import why_matched
from ascent.review.domain.bids import bid_rows, bid_stages, biddable, place_bids
from ascent.review.domain.errors import ReviewError
from ascent.review.domain.panel import parse_papers, update_profile
from ascent.review.domain.publications import MAX_FILE, read_publications
from ascent.review.domain.reviewing import (
    PAST_SHOWN,
    assignment_for,
    declare_conflict,
    history_for,
    letters_for,
    others_reviews,
    queue_of,
    reviews_done_by,
    save_review,
    visible_answers,
)
from ascent.review.models import Assignment, BidLevel, Review, Reviewer, ReviewState

CONFIDENCE = [("1", gettext_lazy("1 — a guess")), ("2", gettext_lazy("2 — unsure")), ("3", gettext_lazy("3 — fairly sure")),
              ("4", gettext_lazy("4 — sure")), ("5", gettext_lazy("5 — expert in this"))]  # fmt: skip


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    try:
        return assignment_for(request.user, pk)
    except Assignment.DoesNotExist:
        raise Http404(_("Not one of your assignments.")) from None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The reviewer's assignments, with how far they have got."""
    items = list(queue_of(request.user))
    done = sum(1 for a in items if _state(a) == ReviewState.SUBMITTED)
    stages = [(panel, stage) for panel in Reviewer.objects.filter(user=request.user, active=True)
              for stage in bid_stages(panel)]  # fmt: skip
    return render(request, "workspace/queue.html", {
        "items": [(a, _state(a)) for a in items], "done": done, "total": len(items),
        "bid_stages": [stage for _panel, stage in stages],
        "past": list(reviews_done_by(request.user)[:PAST_SHOWN]),
        "past_total": reviews_done_by(request.user).count(), "past_shown": PAST_SHOWN,
    })  # fmt: skip


BIDS_PER_PAGE = 50


@login_required
def bids(request: HttpRequest, stage: int) -> HttpResponse:
    """Bid on the applications of a stage before the assignment: eager, willing, not
    willing, or a conflict. One page of 50 at a time; each page is saved with its button."""
    stage = get_object_or_404(Stage.objects.select_related("cycle__program"), pk=stage)
    reviewer = Reviewer.objects.filter(user=request.user, program=stage.cycle.program,
                                       active=True).first()  # fmt: skip
    if reviewer is None or stage not in bid_stages(reviewer):
        raise Http404(_("No bidding on this stage for you."))
    page = Paginator(biddable(stage), BIDS_PER_PAGE).get_page(request.GET.get("page"))
    problems: dict[str, str] = {}
    if request.method == "POST":
        levels = {}
        for application in page:
            key = f"bid-{application.pk}"
            if key in request.POST:
                levels[application.pk] = request.POST[key]
        try:
            done = place_bids(reviewer, stage, levels, by=request.user)
        except ReviewError as error:
            problems = dict(error.problems) or {"": str(error)}
        else:
            messages.success(request, ngettext("%(n)s bid saved.", "%(n)s bids saved.",
                                               sum(done.values())) % {"n": sum(done.values())})  # fmt: skip
            return redirect(f"{request.path}?page={page.number}")
    rows = bid_rows(reviewer, stage, page)
    for row in rows:
        row.problem = problems.get(f"bid-{row.application.pk}", "")
        if row.problem:
            row.level = request.POST.get(f"bid-{row.application.pk}", "")
    return render(request, "workspace/bids.html", {
        "stage": stage, "cycle": stage.cycle, "page": page, "rows": rows,
        "levels": BidLevel.choices, "problems": problems,
    }, status=422 if problems else 200)  # fmt: skip


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """What a reviewer knows, in their words: keywords, a statement and their own
    publications, per panel. The assignment matches applications against them."""
    panels = list(Reviewer.objects.filter(user=request.user).select_related("program")
                  .order_by("program__name"))  # fmt: skip
    if not panels:
        raise Http404(_("You are not on a panel."))
    problems: dict[str, str] = {}
    editing = panels[0]
    if request.method == "POST":
        editing = next((p for p in panels if str(p.pk) == request.POST.get("panel")), None)
        if editing is None:
            raise Http404(_("Not one of your panels."))
        upload = request.FILES.get("file")
        try:
            papers = request.POST.get("papers", "")
            imported = read_publications(upload.name, upload.read(MAX_FILE + 1)) if upload else []
            typed = parse_papers(papers)
            imported = [text for text in imported if text not in typed]
            papers = "\n\n".join([*typed, *imported])
            update_profile(editing, keywords=request.POST.get("keywords", ""),
                           statement=request.POST.get("statement", ""), papers=papers,
                           by=request.user)  # fmt: skip
        except ReviewError as error:
            problems = dict(error.problems) or {"": str(error)}
            problems["file"] = [m for field, m in error.problems if field == "file"]
        else:
            if upload and not imported:
                messages.success(request, _("Profile saved: every publication of %(file)s was "
                                            "already in it.") % {"file": upload.name})  # fmt: skip
            elif upload:
                messages.success(request, ngettext(
                    "Profile saved: %(n)s publication imported from %(file)s.",
                    "Profile saved: %(n)s publications imported from %(file)s.", len(imported),
                ) % {"n": len(imported), "file": upload.name})  # fmt: skip
            else:
                messages.success(request, _("Profile saved."))
            return redirect("workspace:profile")
    forms = []
    for panel in panels:
        mine = problems and panel.pk == editing.pk
        forms.append({
            "panel": panel, "problems": problems if mine else {},
            "keywords": request.POST.get("keywords", "") if mine else ", ".join(panel.expertise),
            "statement": request.POST.get("statement", "") if mine else panel.statement,
            "papers": request.POST.get("papers", "") if mine else "\n\n".join(panel.papers),
        })  # fmt: skip
    return render(request, "workspace/profile.html", {"forms": forms},
                  status=422 if problems else 200)  # fmt: skip


def _state(assignment: Assignment) -> str:
    review = getattr(assignment, "review", None)
    return review.state if review is not None else ""


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """One application to review: the answers the stage lets the reviewer see, the rubric
    beside the score buttons, save or submit."""
    assignment = _assignment(request, pk)
    criteria = list(Criterion.objects.filter(cycle=assignment.application.cycle)
                    .order_by("position", "id"))  # fmt: skip
    existing = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    problems: dict[str, str] = {}
    if request.method == "POST":
        scores = {c.pk: request.POST.get(f"score-{c.pk}", "") for c in criteria}
        try:
            save_review(assignment, scores=scores, comments=request.POST.get("comments", ""),
                        confidence=request.POST.get("confidence", ""),
                        submit=request.POST.get("action") == "submit", by=request.user)  # fmt: skip
        except ReviewError as error:
            problems = dict(error.problems) or {"": str(error)}
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("Review submitted."))
                following = next(
                    (a for a in queue_of(request.user) if _state(a) != ReviewState.SUBMITTED), None
                )
                if following is not None:
                    return redirect("workspace:review", pk=following.pk)
                return redirect("workspace:queue")
            messages.success(request, _("Draft saved."))
            return redirect("workspace:review", pk=assignment.pk)
    chosen = {s.criterion_id: s.value for s in existing.scores.all()} if existing else {}
    if problems:
        chosen = {c.pk: _int(request.POST.get(f"score-{c.pk}")) for c in criteria}
    rubric = []
    words = phrasebook(assignment.application.cycle)
    for criterion in criteria:
        levels = {int(lv.get("score", 0)): lv.get("description", "") for lv in criterion.levels}
        rubric.append({
            "criterion": criterion, "chosen": chosen.get(criterion.pk),
            "error": problems.get(f"score-{criterion.pk}"),
            "levels": [(score, words.get(levels.get(score, ""), levels.get(score, "")))
                       for score in range(criterion.scale_min, criterion.scale_max + 1)],
        })  # fmt: skip
    submitted = existing is not None and existing.state == ReviewState.SUBMITTED
    return render(request, "workspace/review.html", {
        "assignment": assignment, "application": assignment.application,
        "answers": visible_answers(assignment), "rubric": rubric,
        "history": history_for(assignment), "letters": letters_for(assignment), "review": existing,
        "submitted": submitted, "problems": problems, "others": others_reviews(assignment),
        "confidence_levels": CONFIDENCE, "matches": why_matched(assignment),
        "comments": request.POST.get("comments") if problems else (existing.comments if existing else ""),
        "confidence": request.POST.get("confidence") if problems else (
            str(existing.confidence) if existing and existing.confidence else ""),
    }, status=422 if problems else 200)  # fmt: skip


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    try:
        declare_conflict(assignment, reason=request.POST.get("reason", ""), by=request.user)
    except ReviewError as error:
        messages.error(request, _("Not recorded: %(why)s") % {"why": error})
        return redirect("workspace:review", pk=pk)
    messages.success(request, _("Conflict recorded; the application left your queue and staff "
                                "will reassign it."))  # fmt: skip
    return redirect("workspace:queue")


@login_required
def review_file(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """A file answer of an assigned application, unless the stage hides that field."""
    assignment = _assignment(request, pk)
    names = {a.value["key"]: a.value["name"] for a in visible_answers(assignment)
             if a.kind == "file" and isinstance(a.value, dict)}  # fmt: skip
    response = None
    if key in names:  # under the name the stage allows (neutral in a blind stage)
        response = stored_file_response(assignment.application, key, name=names[key])
    if response is None:
        raise Http404
    return response


@login_required
def review_letter(request: HttpRequest, pk: int, reference: int) -> HttpResponse:
    """A letter's PDF, for the panel reviewing that application."""
    assignment = _assignment(request, pk)
    letter = next((r for r in letters_for(assignment) if r.pk == reference), None)
    if letter is None or not letter.letter_file:
        raise Http404
    return private_file_response(letter.letter_file.name, "application/pdf", "letter.pdf")
