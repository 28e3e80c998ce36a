import math

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ascent.applications.domain.drafts import (
    applicant_of,
    draft_answers,
    is_open,
    own_application,
    reopen_application,
    save_answers,
    self_check,
    start_application,
    submit_application,
    top_key,
    withdraw_application,
)
from ascent.applications.domain.errors import ApplicationError
from ascent.applications.domain.journey import journey_of
from ascent.applications.domain.links import (
    LinkError,
    invite_supporter,
    mark_opened,
    reference_for_token,
    remind_reference,
    request_reference,
    revoke_supporter,
    save_letter,
    supporter_for_token,
)
from ascent.applications.domain.milestones import (
    ask_feedback,
    comment_on,
    feedback_request_for,
    hide_note,
    leave_note,
)
from ascent.applications.domain.plans import check_in, goals_from_gap, plan_sections, save_goal
from ascent.applications.domain.privacy import KEPT, delete_account, export_data
from ascent.applications.domain.queries import programs_with_cycle_counts
from ascent.applications.domain.uploads import stored_file_response
from ascent.applications.domain.whatif import planner_start, what_if
from ascent.applications.models import (
    Application,
    ApplicationStatus,
    Goal,
    MentorComment,
    Reference,
    ReferenceState,
    Relationship,
    Supporter,
    SupporterNote,
)
from ascent.common.confirm import ask, confirmed
from ascent.common.models import OutboxMessage
from ascent.common.permissions import staff_required
from ascent.decisions.domain.errors import DecisionError
from ascent.decisions.domain.offers import answer_offer
from ascent.decisions.models import Decision, Offer
from ascent.engine.forms import validate_answers
from ascent.programs.domain.content import reader_form
from ascent.programs.models import Cycle

from .answers import _as_name, answers_from_post, field_views, place_label
from .charts import distance_chart
from .messages import translated


def home(request: HttpRequest) -> HttpResponse:
    """Programs and their cycles, with how many applied and how many were selected."""
    now = timezone.now()
    open_cycles = (Cycle.objects.filter(state="open", opens_at__lte=now, deadline__gt=now)
                   .select_related("program").order_by("deadline"))  # fmt: skip
    return render(request, "portal/home.html", {"programs": programs_with_cycle_counts(),
                                                "open_cycles": open_cycles})  # fmt: skip


def cycle_detail(request: HttpRequest, program: str, cycle: str) -> HttpResponse:
    """What a cycle asks for, by when, how many seats, and how last cycle went."""
    found = get_object_or_404(
        Cycle.objects.select_related("program").exclude(state="draft"),
        program__slug=program, slug=cycle,
    )  # fmt: skip
    last = (
        Cycle.objects.filter(program=found.program, deadline__lt=found.deadline)
        .exclude(state="draft")
        .order_by("-deadline")
        .first()
    )
    figures = None
    if last is not None:
        applications = Application.objects.filter(cycle=last).exclude(status="draft")
        figures = {
            "cycle": last,
            "applied": applications.count(),
            "eligible": applications.exclude(
                status__in=["ineligible", "withdrawn", "submitted"]
            ).count(),
            "selected": applications.filter(status="selected").count(),
            # until its decisions are out, the last cycle's selection is not known
            "decided": Decision.objects.filter(cycle=last, released_at__isnull=False).exists(),
        }
    mine = previous = None
    if request.user.is_authenticated:
        mine = Application.objects.filter(cycle=found, applicant__user=request.user).first()
        previous = (
            Application.objects.filter(applicant__user=request.user, cycle__program=found.program)
            .exclude(cycle=found)
            .exclude(status="draft")
            .order_by("-cycle__opens_at")
            .first()
        )
    now = timezone.now()
    open_now = None
    if not is_open(found):
        open_now = (Cycle.objects.filter(program=found.program, state="open", opens_at__lte=now,
                                         deadline__gt=now).order_by("deadline").first())  # fmt: skip
    return render(request, "portal/cycle.html", {
        "cycle": found, "requirements": found.requirements.order_by("position", "id"),
        "open_now": open_now,
        "criteria": found.criteria.order_by("position", "id"), "figures": figures,
        "open": is_open(found), "mine": mine, "previous": previous,
        "time_left": found.deadline - timezone.now(),
    })  # fmt: skip


@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(cycle_url(cycle))
    try:
        application, changes = start_application(
            request.user, cycle, from_last=request.POST.get("from_last") == "1"
        )
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect(cycle_url(cycle))
    if changes:
        request.session[f"changes-{application.pk}"] = changes
    return redirect("portal:application", pk=application.pk)


def cycle_url(cycle: Cycle) -> str:
    return reverse("portal:cycle", args=[cycle.program.slug, cycle.slug])


def _mine(request: HttpRequest, pk: int) -> Application:
    try:
        return own_application(request.user, pk)
    except Application.DoesNotExist:
        raise Http404(_("No such application of yours.")) from None


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The form: save as you go, add, remove or restore records, check eligibility,
    submit. Parsing and rendering only: ``save_answers`` stores a page of answers."""
    app = _mine(request, pk)
    form = reader_form(app.cycle)  # keys and rules as stored; labels in the reader's language
    answers, problems = draft_answers(app) if app.status == ApplicationStatus.DRAFT else (
        app.answers, [])  # fmt: skip
    extra_row = ""
    checks = None
    refused = False
    if request.method == "POST":
        if app.status != ApplicationStatus.DRAFT:
            return _after_the_draft(app)
        action = request.POST.get("action", "save")
        answers = answers_from_post(form, request.POST)
        if request.POST.get("add"):
            action, extra_row = "edit", request.POST["add"]
        if request.POST.get("remove"):
            action = "edit"
            _remember_removed(request, app, form)
        elif request.POST.get("restore"):
            action = "edit"
            _restore_removed(request, app, answers)
        elif action != "autosave":
            request.session.pop(f"removed-{app.pk}", None)  # saved again: no way back
        remove_file = request.POST.get("remove_file", "")
        try:
            saved = save_answers(app, answers, by=request.user, uploads=request.FILES,
                                 keep_files=True, drop_files=frozenset([remove_file]))  # fmt: skip
        except ApplicationError as error:  # the draft cannot change any more
            app.refresh_from_db(fields=["status", "submitted_at"])
            if app.status != ApplicationStatus.DRAFT and action != "autosave":
                return _after_the_draft(app)  # a second press of "Submit" met the first
            problems = error.problems or [("", str(error))]
            if request.htmx:
                return render(request, "portal/_save_status.html",
                              {"refused": [translated(m) for _p, m in problems]})  # fmt: skip
            return render(request, "portal/application.html",
                          _form_context(app, form, answers, problems, ""), status=422)  # fmt: skip
        answers = {**app.answers, **app.held_answers}
        problems = saved.problems
        if action == "submit" and not problems:
            return _submit(request, app, form)
        if request.htmx and action == "autosave":
            links = [("f-" + _as_name(path).replace(".", "-"), place_label(form, path),
                      translated(message)) for path, message in problems]  # fmt: skip
            return render(request, "portal/_save_status.html",
                          {"saved_at": timezone.now(), "problems": links})  # fmt: skip
        if action == "check":
            checks = self_check(app)
            if request.htmx:
                return render(request, "portal/_self_check.html", {"checks": checks})
        elif action == "submit":
            refused = True
        elif action == "save" and not problems:
            messages.success(request, _("Draft saved."))
            return redirect("portal:application", pk=app.pk)
    context = _form_context(app, form, answers, problems, extra_row)
    context.update(checks=checks, refused=refused,
                   changes=request.session.pop(f"changes-{app.pk}", None),
                   removed=request.session.get(f"removed-{app.pk}"))  # fmt: skip
    return render(request, "portal/application.html", context, status=422 if refused else 200)


def _after_the_draft(app: Application) -> HttpResponse:
    """A post to a draft that is one no longer (a double click, a retry, a second tab):
    the receipt when it was submitted, the page otherwise."""
    done = app.submitted_at is not None and app.status != ApplicationStatus.WITHDRAWN
    return redirect("portal:submitted" if done else "portal:application", pk=app.pk)


def _remember_removed(request: HttpRequest, app: Application, form) -> None:
    """Keep the record the applicant removes, so that "Undo" can put it back until the
    draft is saved again."""
    name, _dot, index = request.POST["remove"].rpartition(".")
    spec = next((spec for spec in form if spec.key == name and spec.kind == "records"), None)
    listed = [i.strip() for i in request.POST.get(f"{name}.rows", "").split(",")]
    if spec is None or index not in listed:
        return
    row = answers_from_post(spec.fields, request.POST, f"{name}.{index}.")
    if row:
        position = listed.index(index)
        request.session[f"removed-{app.pk}"] = {"name": name, "position": position,
                                                "number": position + 1, "row": row}  # fmt: skip


def _restore_removed(request: HttpRequest, app: Application, answers: dict) -> None:
    removed = request.session.pop(f"removed-{app.pk}", None)
    if not removed or removed["name"] != request.POST["restore"]:
        messages.info(request, _("There is nothing to restore: the draft was saved since."))
        return
    rows = list(answers.get(removed["name"]) or [])
    rows.insert(min(removed["position"], len(rows)), removed["row"])
    answers[removed["name"]] = rows


@login_required
@require_POST
def ask_feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a mentor for comments on the draft, sharing the answers ticked."""
    app = _mine(request, pk)
    mentor = Supporter.objects.filter(pk=_int(request.POST.get("mentor")),
                                      applicant=app.applicant).first()  # fmt: skip
    try:
        if mentor is None:
            raise ApplicationError(_("choose one of your mentors"))
        ask_feedback(app, mentor, request.POST.getlist("fields"), by=request.user,
                     base_url=request.build_absolute_uri("/")[:-1])  # fmt: skip
    except ApplicationError as error:
        messages.error(request, _("Not asked: %(why)s") % {"why": error})
    else:
        messages.success(request, _("%(name)s has your request and a private link.")
                         % {"name": mentor.name})  # fmt: skip
    return redirect(reverse("portal:application", args=[app.pk]) + "#feedback")


def feedback(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A mentor reads the answers shared with them and comments on each."""
    try:
        asked = feedback_request_for(supporter_for_token(token), pk)
    except LinkError as error:
        return render(request, "portal/link_closed.html", {"message": str(error)}, status=410)
    problems: dict[str, str] = {}
    if request.method == "POST":
        key = request.POST.get("field", "")
        try:
            comment_on(asked, key, request.POST.get(f"comment.{key}", ""))
        except ApplicationError as error:
            problems = _field_problems(error)
        else:
            messages.success(request, _("Comment saved: only the applicant reads it."))
            return redirect(request.path + f"#q-{key}")
    app = asked.application
    form = [spec for spec in reader_form(app.cycle) if spec.key in asked.fields]
    comments: dict[str, list] = {}
    for comment in asked.comments.all():
        comments.setdefault(comment.field_key, []).append(comment)
    views_ = field_views(tuple(form), draft_answers(app)[0], [], file_url=lambda key: reverse(
        "portal:feedback_file", args=[token, asked.pk, key]))  # fmt: skip
    for view in views_:
        view.comments = comments.get(view.spec.key, [])
        view.problem = problems.get(f"comment.{view.spec.key}", "")
        view.typed = request.POST.get(f"comment.{view.spec.key}", "") if view.problem else ""
    return render(request, "portal/feedback.html", {
        "asked": asked, "application": app, "fields": views_, "token": token,
        "general": problems.get(""),
    }, status=422 if problems else 200)  # fmt: skip


def feedback_file(request: HttpRequest, token: str, pk: int, key: str) -> HttpResponse:
    """A file the applicant chose to share with the mentor."""
    try:
        asked = feedback_request_for(supporter_for_token(token), pk)
    except LinkError:
        raise Http404 from None
    if key not in asked.fields:
        raise Http404
    response = stored_file_response(asked.application, key)
    if response is None:
        raise Http404
    return response


@login_required
def application_file(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """An attached file, to its owner only (staff use the administration)."""
    response = stored_file_response(_mine(request, pk), key)
    if response is None:
        raise Http404
    return response


def _form_context(app, form, answers, problems, extra_row) -> dict:
    general = [message for path, message in problems if not path]
    return {
        "application": app, "cycle": app.cycle,
        "fields": field_views(form, answers, problems, extra_row=extra_row, file_url=lambda key:
                              reverse("portal:application_file", args=[app.pk, key])),
        "problems": problems, "general_problems": general, "open": is_open(app.cycle),
        "editable": app.status == ApplicationStatus.DRAFT and is_open(app.cycle),
        "references": app.references.order_by("requested_at"),
        "relationships": Relationship.choices,
        "mentors": app.applicant.supporters.filter(is_mentor=True, revoked_at__isnull=True),
        "mentor_comments": MentorComment.objects.filter(request__application=app)
        .select_related("request__mentor"),
        "form_labels": {spec.key: spec.label for spec in form},
    }  # fmt: skip


def _submit(request: HttpRequest, app: Application, form) -> HttpResponse:
    """Submit the draft just saved; what is missing is shown beside its field."""
    try:
        submit_application(app, by=request.user, form=form)
    except ApplicationError as error:
        problems = error.problems or [("", str(error))]
        context = _form_context(app, form, {**app.answers, **app.held_answers}, problems, "")
        context["refused"] = True
        return render(request, "portal/application.html", context, status=422)
    return redirect("portal:submitted", pk=app.pk)


@login_required
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    app = _mine(request, pk)
    if app.submitted_at is None:
        return redirect("portal:application", pk=app.pk)
    return render(request, "portal/submitted.html", {"application": app, "cycle": app.cycle})


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    app = _mine(request, pk)
    if not confirmed(request):
        return ask(request, title=_("Withdraw your application?"),
                   text=_("Your application to %(cycle)s will be withdrawn: the panel will not "
                          "review it. Until the deadline you can reopen it from its page and "
                          "submit it again.")
                   % {"cycle": app.cycle.name},
                   button=_("Yes, withdraw it"),
                   cancel=reverse("portal:application", args=[app.pk]))  # fmt: skip
    try:
        withdraw_application(app, by=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("portal:application", pk=app.pk)  # where "Reopen" is


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a withdrawal (one click is enough: it destroys nothing)."""
    app = _mine(request, pk)
    try:
        reopen_application(app, by=request.user)
    except ApplicationError as error:
        messages.error(request, str(error)[:1].upper() + str(error)[1:])
    else:
        messages.success(request, _("Your application is a draft again: submit it before the "
                                    "deadline for the panel to review it."))  # fmt: skip
    return redirect("portal:application", pk=app.pk)


@login_required
def journey(request: HttpRequest) -> HttpResponse:
    """Every cycle applied to, its outcome and, once released, the gap report; the plan
    between cycles; the people who follow the journey and their notes."""
    return _journey_page(request)


def _journey_page(request: HttpRequest, form: str = "", problems: dict | None = None):
    """The journey; ``form`` names the form that was refused, shown again as typed with
    ``problems`` (field → message) beside its fields."""
    applicant = applicant_of(request.user)
    steps = journey_of(applicant)
    return render(request, "portal/journey.html", {
        "steps": steps, "chart": distance_chart(steps), "own": True,
        "supporters": applicant.supporters.order_by("-invited_at"),
        "plans": plan_sections(applicant, steps),
        "notes": SupporterNote.objects.filter(supporter__applicant=applicant)
        .select_related("supporter")[:50],
        "form": form, "problems": problems or {}, "typed": request.POST if form else {},
    }, status=422 if form else 200)  # fmt: skip


def _own_program(request: HttpRequest, pk: int):
    from ascent.programs.models import Program

    sent = Application.objects.filter(applicant__user=request.user).exclude(
        status=ApplicationStatus.DRAFT)  # fmt: skip
    found = Program.objects.filter(pk=pk, cycles__applications__in=sent).distinct().first()
    if found is None:
        raise Http404(_("You have not sent an application to this program."))
    return found


@login_required
@require_POST
def plan_goal(request: HttpRequest, program: int) -> HttpResponse:
    """Add a goal to the plan, or turn the latest gap report into goals."""
    found = _own_program(request, program)
    applicant = applicant_of(request.user)
    try:
        if request.POST.get("from_gap"):
            decision = get_object_or_404(Decision, pk=_int(request.POST["from_gap"]),
                                         application__applicant=applicant,
                                         released_at__isnull=False)  # fmt: skip
            made = goals_from_gap(applicant, decision, by=request.user)
            if not made:  # said at the top of the page, where the reader stays
                messages.info(request, _("No new goal: your plan already has one for each "
                                         "thing this gap report asks."))  # fmt: skip
                return redirect("portal:journey")
            messages.success(request, ngettext("%(n)s goal added to your plan.",
                                               "%(n)s goals added to your plan.", len(made))
                             % {"n": len(made)})  # fmt: skip
        else:
            save_goal(applicant, found, request.POST, by=request.user)
            messages.success(request, _("Goal added to your plan."))
    except ApplicationError as error:
        return _journey_page(request, f"goal-new-{found.pk}", _field_problems(error))
    return redirect(reverse("portal:journey") + f"#plan-{found.pk}")


@login_required
@require_POST
def plan_goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, applicant__user=request.user)
    try:
        save_goal(goal.applicant, goal.program, request.POST, goal=goal, by=request.user)
    except ApplicationError as error:
        return _journey_page(request, f"goal-{goal.pk}", _field_problems(error))
    messages.success(request, _("Goal saved."))
    return redirect(reverse("portal:journey") + f"#plan-{goal.program_id}")


@login_required
def plan_goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, applicant__user=request.user)
    if not confirmed(request):
        return ask(request, title=_("Remove this goal?"),
                   text=_("“%(goal)s” will be removed from your plan.") % {"goal": goal.title},
                   button=_("Yes, remove it"),
                   cancel=reverse("portal:journey") + f"#plan-{goal.program_id}")  # fmt: skip
    program = goal.program_id
    goal.delete()
    messages.success(request, _("Goal removed."))
    return redirect(reverse("portal:journey") + f"#plan-{program}")


@login_required
@require_POST
def plan_check_in(request: HttpRequest, program: int) -> HttpResponse:
    """Progress noted today, with a self-assessed level per criterion."""
    found = _own_program(request, program)
    levels = {key[len("level."):]: value for key, value in request.POST.items()
              if key.startswith("level.")}  # fmt: skip
    try:
        check_in(applicant_of(request.user), found, note=request.POST.get("note", ""),
                 levels=levels, by=request.user)  # fmt: skip
    except ApplicationError as error:
        return _journey_page(request, f"check-in-{found.pk}", _field_problems(error))
    messages.success(request, _("Check-in saved."))
    return redirect(reverse("portal:journey") + f"#plan-{found.pk}")


@login_required
@require_POST
def hide_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(SupporterNote, pk=pk, supporter__applicant__user=request.user)
    hide_note(note, hidden=request.POST.get("show") != "1", by=request.user)
    return redirect(reverse("portal:journey") + "#notes")


def _field_problems(error: ApplicationError) -> dict:
    return {path: translated(message) for path, message in error.problems} or {"": str(error)}


def _int(raw) -> int:
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else 0


@login_required
def what_if_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The planner: change the answers that decide eligibility and the criteria to raise,
    and see what would change. A GET form: nothing is saved, a reload repeats it."""
    app = _mine(request, pk)
    if app.status == ApplicationStatus.DRAFT:
        raise Http404(_("A draft has nothing to plan from yet."))
    _cycle, specs, start, _decision = planner_start(app)
    tried = request.GET.get("tried") == "1"
    answers = answers_from_post(tuple(specs), request.GET) if tried else start
    problems = validate_answers(specs, answers, complete=False) if tried else []
    wrong = {top_key(path) for path, _m in problems}
    valid = {key: value for key, value in answers.items() if key not in wrong}
    planned, typed, plan_problems = {}, {}, {}
    for key, raw in request.GET.items():
        if not key.startswith("plan."):
            continue
        name = key[len("plan.") :]
        typed[name] = raw
        try:
            number = float(raw.replace(",", "."))
            if not math.isfinite(number):
                raise ValueError
        except ValueError:
            plan_problems[name] = _("must be a number")
        else:
            planned[name] = number
    plan = what_if(app, valid, planned)
    for criterion in plan.criteria:
        criterion.typed = typed.get(criterion.key, f"{criterion.planned:.1f}")
        low, high = criterion.scale
        if criterion.key in planned and not low <= planned[criterion.key] <= high:
            plan_problems[criterion.key] = _("must be from %(low)s to %(high)s; %(value)s is "
                                             "used") % {"low": low, "high": high,
                                                        "value": f"{criterion.planned:g}"}  # fmt: skip
    extra_row = request.GET.get("add", "") if tried else ""
    return render(request, "portal/what_if.html", {
        "plan": plan, "problems": problems, "plan_problems": plan_problems,
        "fields": field_views(tuple(specs), answers, problems, extra_row=extra_row),
        "editable": True, "application": app,
    })  # fmt: skip


@staff_required
def outbox(request: HttpRequest) -> HttpResponse:
    """The development outbox: every e-mail the site 'sent'. Staff only."""
    messages_ = OutboxMessage.objects.all()
    to = request.GET.get("to", "").strip()[:254]
    if to:
        messages_ = messages_.filter(to__icontains=to)
    page = Paginator(messages_, 25).get_page(request.GET.get("page"))
    return render(request, "portal/outbox.html", {"page": page, "to": to})


# -- references (the applicant's side) -------------------------------------------------


@login_required
@require_POST
def request_reference_view(request: HttpRequest, pk: int) -> HttpResponse:
    app = _mine(request, pk)
    try:
        request_reference(app, name=request.POST.get("name", ""),
                          email=request.POST.get("email", ""),
                          relationship=request.POST.get("relationship", ""), by=request.user,
                          base_url=request.build_absolute_uri("/")[:-1])  # fmt: skip
    except ApplicationError as error:
        messages.error(request, _("The reference was not requested: %(why)s") % {"why": error})
    else:
        messages.success(request, _("The request is on its way."))
    return redirect(reverse("portal:application", args=[app.pk]) + "#references")


@login_required
@require_POST
def remind_reference_view(request: HttpRequest, pk: int) -> HttpResponse:
    reference = get_object_or_404(Reference.objects.select_related("application__cycle"),
                                  pk=pk, application__applicant__user=request.user)  # fmt: skip
    try:
        remind_reference(reference, by=request.user,
                         base_url=request.build_absolute_uri("/")[:-1])  # fmt: skip
    except ApplicationError as error:
        messages.error(request, _("No reminder sent: %(why)s") % {"why": error})
    else:
        messages.success(request, _("Reminder sent."))
    return redirect(reverse("portal:application", args=[reference.application_id]) + "#references")


# -- the recommender's page (no account) ----------------------------------------------


def letter(request: HttpRequest, token: str) -> HttpResponse:
    try:
        reference = reference_for_token(token)
    except LinkError as error:
        return render(request, "portal/link_closed.html", {"message": str(error)}, status=410)
    problems: list = []
    if request.method == "POST":
        try:
            save_letter(reference, text=request.POST.get("letter", ""),
                        upload=request.FILES.get("letter_file"),
                        submit=request.POST.get("action") == "submit")  # fmt: skip
        except ApplicationError as error:
            problems = error.problems or [("", str(error))]
        else:
            if reference.state == ReferenceState.SUBMITTED:
                messages.success(request, _("Thank you: your letter is in."))
            else:
                messages.success(request, _("Saved. You can come back with the same link."))
            return redirect("portal:letter", token=token)
    else:
        mark_opened(reference)
    errors = dict(problems)
    return render(request, "portal/letter.html", {
        "reference": reference, "application": reference.application,
        "cycle": reference.application.cycle, "errors": errors,
        "text": request.POST.get("letter", reference.letter) if problems else reference.letter,
        "submitted": reference.state == ReferenceState.SUBMITTED,
    }, status=422 if problems else 200)  # fmt: skip


# -- supporters --------------------------------------------------------------------------


@login_required
@require_POST
def invite_supporter_view(request: HttpRequest) -> HttpResponse:
    try:
        invite_supporter(applicant_of(request.user), name=request.POST.get("name", ""),
                         email=request.POST.get("email", ""),
                         relationship=request.POST.get("relationship", ""),
                         shares_gap_reports=request.POST.get("shares_gap_reports") == "1",
                         shares_milestones=request.POST.get("shares_milestones") == "1",
                         shares_outcomes=request.POST.get("shares_outcomes") == "1",
                         is_mentor=request.POST.get("is_mentor") == "1",
                         base_url=request.build_absolute_uri("/")[:-1])  # fmt: skip
    except ApplicationError as error:
        messages.error(request, _("Not invited: %(why)s") % {"why": error})
    else:
        messages.success(request, _("Invitation sent."))
    return redirect(reverse("portal:journey") + "#supporters")


@login_required
@require_POST
def revoke_supporter_view(request: HttpRequest, pk: int) -> HttpResponse:
    supporter = get_object_or_404(Supporter, pk=pk, applicant__user=request.user)
    revoke_supporter(supporter, by=request.user)
    messages.success(
        request, _("%(name)s can no longer see your journey.") % {"name": supporter.name}
    )
    return redirect(reverse("portal:journey") + "#supporters")


def follow(request: HttpRequest, token: str) -> HttpResponse:
    """A supporter's read-only view of one applicant's journey."""
    try:
        supporter = supporter_for_token(token)
    except LinkError as error:
        return render(request, "portal/link_closed.html", {"message": str(error)}, status=410)
    problem = ""
    if request.method == "POST":
        try:
            leave_note(supporter, request.POST.get("note", ""))
        except ApplicationError as error:
            problem = translated(error.problems[0][1]) if error.problems else str(error)
        else:
            messages.success(request, _("Your note is on the journey."))
            return redirect(request.path + "#note")
    steps = journey_of(supporter.applicant, gap_reports=supporter.shares_gap_reports)
    return render(request, "portal/follow.html", {
        "supporter": supporter, "applicant": supporter.applicant, "steps": steps,
        "chart": distance_chart(steps), "own": False, "note_problem": problem,
        "note_typed": request.POST.get("note", "") if problem else "",
    }, status=422 if problem else 200)  # fmt: skip


# -- personal data ------------------------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Download everything; deleting the account has its own page."""
    return render(request, "portal/account.html", {"kept": KEPT})


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account, on its own page, confirmed by typing the e-mail address."""
    problem = ""
    if request.method == "POST":
        typed = (request.POST.get("confirm") or "").strip().lower()
        if typed != (request.user.email or "").lower():
            problem = _("Type your e-mail address exactly to confirm.")
        else:
            delete_account(request.user)
            logout(request)
            messages.success(request, _("Your account was deleted."))
            return redirect("portal:home")
    return render(request, "portal/account_delete.html", {"kept": KEPT, "problem": problem},
                  status=422 if problem else 200)  # fmt: skip


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export_data(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="ascent-my-data.zip"'
    return response


def _ask_offer(request: HttpRequest, offer: Offer, *, accept: bool) -> HttpResponse:
    if accept:
        return ask(request, title=_("Accept the place?"), danger=False,
                   text=_("You accept the place you were offered. The program will write to "
                          "you about what comes next."),
                   button=_("Yes, I accept the place"), cancel=reverse("portal:journey"))  # fmt: skip
    return ask(request, title=_("Decline the place?"),
               text=_("You give up the place you were offered; it goes to the next person on "
                      "the waiting list. This cannot be undone."),
               button=_("Yes, decline the place"), cancel=reverse("portal:journey"))  # fmt: skip


@login_required
def answer_offer_view(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    offer = get_object_or_404(Offer, pk=pk, decision__application__applicant__user=request.user)
    if answer not in ("accept", "decline"):
        raise Http404
    if not confirmed(request):
        return _ask_offer(request, offer, accept=answer == "accept")
    try:
        answer_offer(offer, accept=answer == "accept", by=request.user)
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: your answer is recorded."))
    return redirect("portal:journey")
