"""Setting a program up without the administration (issue #16): a new program from a
template, and a cycle's settings, opening and closing, the form as applicants will see
it and the requirements with how many of the last cycle's applicants each would pass."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo

import numpy as np
from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascent.applications.domain.explain import said
from ascent.applications.models import Application, ApplicationStatus
from ascent.common.confirm import ask, confirmed
from ascent.common.domain.audit import record
from ascent.common.permissions import (
    allowed_actions,
    require,
    staff_cycles,
    staff_required,
    visible_programs,
)
from ascent.engine.forms import Message
from ascent.engine.rules import message_dict
from ascent.portal.answers import field_views
from ascent.portal.messages import translated
from ascent.programs.domain.content import phrase, phrasebook, reader_form
from ascent.programs.domain.errors import ProgramError
from ascent.programs.domain.forms import compiled_requirements, form_of
from ascent.programs.domain.setup import BLUEPRINTS, create_program, set_cycle_state
from ascent.programs.domain.team import invite_team_member, remove_team_member, set_team_role
from ascent.programs.models import Cycle, CycleState, TeamMember, TeamRole

from .staff import _id

LOCAL = {"type": "datetime-local"}


class ProgramForm(forms.Form):
    template = forms.ChoiceField(label=gettext_lazy("Start from"), widget=forms.RadioSelect,
                                 choices=[(b.key, b.title) for b in BLUEPRINTS])  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Program name"), max_length=200)
    name_es = forms.CharField(label=gettext_lazy("Program name in Spanish"), max_length=200,
                              required=False)  # fmt: skip
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=200)
    slug = forms.CharField(label=gettext_lazy("Address"), max_length=80, required=False,
                           help_text=gettext_lazy("Letters, digits and hyphens in the program's "
                                                  "web address; made from the name when empty."))  # fmt: skip
    cycle_name = forms.CharField(label=gettext_lazy("First cycle's name"), max_length=200,
                                 initial="2027")  # fmt: skip
    cycle_name_es = forms.CharField(label=gettext_lazy("First cycle's name in Spanish"),
                                    max_length=200, required=False)  # fmt: skip
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens"), widget=forms.DateTimeInput(LOCAL))
    deadline = forms.DateTimeField(label=gettext_lazy("Deadline"),
                                   widget=forms.DateTimeInput(LOCAL))  # fmt: skip
    timezone = forms.ChoiceField(label=gettext_lazy("Time zone of the dates"), initial="UTC",
                                 choices=[(z, z) for z in sorted(zoneinfo.available_timezones())],
                                 widget=forms.Select(attrs={"translate": "no"}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        summaries = {b.key: b.summary for b in BLUEPRINTS}
        self.fields["template"].widget.choices = [(key, f"{label}: {summaries[key]}")
                                                  for key, label in self.fields["template"].choices]  # fmt: skip


def _aware(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    """A date typed in the program's time zone (the form has none of its own)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.make_naive(value, dt.UTC)
    return value.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def _shown(form: forms.Form, error: ProgramError) -> None:
    """Each problem of the domain beside the field it names (the rest above the form)."""
    for path, message in error.problems or [("", str(error))]:
        field = path.split(".")[0] if path.split(".")[0] in form.fields else None
        form.add_error(field, translated(message))


@staff_required
def new_program(request: HttpRequest) -> HttpResponse:
    """A program from a template: its first cycle is a draft to adjust, then open."""
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        zone = data["timezone"]
        try:
            cycle = create_program(
                template=data["template"], name=data["name"], name_es=data["name_es"],
                organisation=data["organisation"], slug=data["slug"],
                cycle_name=data["cycle_name"], cycle_name_es=data["cycle_name_es"],
                opens_at=_aware(data["opens_at"], zone), deadline=_aware(data["deadline"], zone),
                timezone=zone, by=request.user)  # fmt: skip
        except ProgramError as error:
            _shown(form, error)
        else:
            messages.success(request, _("Program created. Its first cycle is a draft: check "
                                        "its form and requirements, then open it."))  # fmt: skip
            return redirect("workspace:staff_setup", pk=cycle.pk)
    return render(request, "workspace/staff_new_program.html", {"form": form},
                  status=422 if form.errors else 200)  # fmt: skip


class CycleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    name_es = forms.CharField(label=gettext_lazy("Name in Spanish"), max_length=200,
                              required=False)  # fmt: skip
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens"), widget=forms.DateTimeInput(LOCAL))
    deadline = forms.DateTimeField(label=gettext_lazy("Deadline"),
                                   widget=forms.DateTimeInput(LOCAL))  # fmt: skip
    capacity = forms.IntegerField(label=gettext_lazy("Seats to fill"), min_value=1,
                                  max_value=1_000_000)  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("deadline") and data["deadline"] <= data["opens_at"]:
            self.add_error("deadline", _("The deadline must be after the opening."))
        return data


def _local(value: dt.datetime, zone: str) -> str:
    return value.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


@staff_required
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle's settings; its form as applicants see it; its requirements, each with how
    many of the last cycle's applicants it would let through; open or close it."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    can = allowed_actions(request.user, found.program)
    zone = found.timezone if found.timezone in zoneinfo.available_timezones() else "UTC"
    spanish = (found.translations or {}).get("es") or {}
    initial = {"name": found.name, "name_es": spanish.get(found.name, ""),
               "opens_at": _local(found.opens_at, zone), "deadline": _local(found.deadline, zone),
               "capacity": found.capacity}  # fmt: skip
    form = CycleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        require(request.user, found.program, "configure")
        if form.is_valid():
            data = form.cleaned_data
            words = {k: v for k, v in spanish.items() if k != found.name}
            if data["name_es"]:
                words[data["name"]] = data["name_es"]
            Cycle.objects.filter(pk=found.pk).update(
                name=data["name"], opens_at=_aware(data["opens_at"], zone),
                deadline=_aware(data["deadline"], zone), capacity=data["capacity"],
                translations={**(found.translations or {}), "es": words})  # fmt: skip
            record(request.user, "cycle.settings", found, fields=sorted(form.changed_data))
            messages.success(request, _("Settings saved."))
            return redirect("workspace:staff_setup", pk=found.pk)
    return render(request, "workspace/staff_setup.html", {
        "cycle": found, "can": can, "form": form, "zone": zone,
        "applied": Application.objects.filter(cycle=found).count(),
        "requirements": requirement_counts(found),
        "fields": field_views(reader_form(found), {}, []),
        "criteria": found.criteria.order_by("position", "id"),
        "stages": found.stages.order_by("position", "id"),
        "quotas": _quotas(found),
    }, status=422 if form.errors else 200)  # fmt: skip


TRIED_FOR = 3600  # seconds a rule's result on the previous cycle stays cached


def _quotas(cycle: Cycle) -> dict:
    """The cycle's quotas: the question they are on, and each answer's bounds in the
    order of the question's choices, in the reader's language."""
    quotas = {q.value: q for q in cycle.quotas.all()}
    if not quotas:
        return {}
    field = next(iter(quotas.values())).field
    spec = next((s for s in form_of(cycle) if s.key == field), None)
    choices = [(c.value, phrase(c.label, cycle)) for c in spec.choices] if spec else []
    return {
        "question": phrase(spec.label, cycle) if spec else field,
        "rows": [{"label": label, "minimum": quotas[value].minimum,
                  "maximum": quotas[value].maximum}
                 for value, label in choices if value in quotas],
    }  # fmt: skip


def tried_on_previous(cycle: Cycle, rules: list) -> tuple[Cycle | None, int, list[np.ndarray]]:
    """The program's cycle before this one, how many of its applications were submitted,
    and for each (stored) rule which of them would pass it, counted to this cycle's
    deadline — by the rules engine on their answers.

    At 20,000 applications reading the answers costs about half a second, so each rule's
    result is cached, keyed by the rule, the date and a stamp of the previous cycle's
    applications (their number and last change): a page that shows rules already tried
    reads no answer at all."""
    previous = (Cycle.objects.filter(program=cycle.program, deadline__lt=cycle.deadline)
                .exclude(pk=cycle.pk).order_by("-deadline").first())  # fmt: skip
    if previous is None:
        return None, 0, [np.zeros(0, bool) for _rule in rules]
    submitted = Application.objects.filter(cycle=previous).exclude(
        status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])  # fmt: skip
    stamp = submitted.aggregate(n=Count("id"), last=Max("updated_at"))
    total = stamp["n"]
    on = cycle.deadline.date()
    form = [spec.to_dict() for spec in form_of(cycle)]  # a rule's meaning reads the form
    keys = [
        "tried:" + hashlib.sha256(json.dumps(
            [previous.pk, total, str(stamp["last"]), str(on), form, rule.rule], sort_keys=True,
            default=str).encode()).hexdigest()
        for rule in rules
    ]  # fmt: skip
    found = cache.get_many(keys)
    if len(found) < len(keys):
        answers = list(submitted.order_by("pk").values_list("answers", flat=True))
        fresh = {}
        for key, rule in zip(keys, rules, strict=True):
            if key not in found:
                test = rule.tester(on)
                fresh[key] = np.packbits([bool(test(a or {})) for a in answers]).tobytes()
        cache.set_many(fresh, TRIED_FOR)
        found.update(fresh)
    vectors = [np.unpackbits(np.frombuffer(found[key], np.uint8), count=total).astype(bool)
               for key in keys]  # fmt: skip
    return previous, total, vectors


def requirement_counts(cycle: Cycle) -> dict:
    """Each requirement as applicants read it, and how many of the previous cycle's
    submitted applications would pass it (the rules engine on their answers)."""
    words = phrasebook(cycle)
    rows, problem = [], ""
    try:
        compiled = compiled_requirements(cycle)
    except ProgramError as error:
        compiled, problem = [], str(error)
    previous, total, passed = tried_on_previous(cycle, [rule for _r, rule in compiled])
    everyone = np.ones(total, bool)
    for (requirement, rule), vector in zip(compiled, passed, strict=True):
        everyone &= vector
        rows.append({"requirement": requirement, "name": phrase(requirement.name, cycle),
                     "sentence": sentence(rule.description, words),
                     "passed": int(vector.sum())})  # fmt: skip
    return {
        "rows": rows,
        "previous": previous,
        "total": total,
        "all": int(everyone.sum()),
        "problem": problem,
    }


def sentence(description, words: dict) -> str:
    """A rule as applicants read it, in the reader's language."""
    if isinstance(description, Message):
        return said(message_dict(description), words)
    return words.get(str(description), str(description))


@staff_required
def cycle_state(request: HttpRequest, pk: int, state: str) -> HttpResponse:
    """Open or close the cycle, after a confirmation."""
    found = get_object_or_404(staff_cycles(request.user).select_related("program"), pk=pk)
    require(request.user, found.program, "configure")
    if state not in (CycleState.OPEN, CycleState.CLOSED):
        raise PermissionDenied
    back = reverse("workspace:staff_setup", args=[found.pk])
    if not confirmed(request):
        if state == CycleState.OPEN:
            return ask(request, title=_("Open %(cycle)s?") % {"cycle": found.name}, danger=False,
                       text=_("Applicants can see the call and apply from %(opens)s until the "
                              "deadline, %(deadline)s. Once someone applies, the form's "
                              "questions, the requirements, the rubric and the stages are "
                              "frozen: only their texts can change.")
                       % {"opens": found.opens_at.strftime("%Y-%m-%d %H:%M UTC"),
                          "deadline": found.deadline.strftime("%Y-%m-%d %H:%M UTC")},
                       button=_("Yes, open it"), cancel=back)  # fmt: skip
        return ask(request, title=_("Close %(cycle)s?") % {"cycle": found.name},
                   text=_("Nobody can apply or submit any more, even before the deadline."),
                   button=_("Yes, close it"), cancel=back)  # fmt: skip
    try:
        set_cycle_state(found, state, by=request.user)
    except ProgramError as error:
        messages.error(request, _(str(error)))
    else:
        messages.success(request, _("The cycle is open.") if state == CycleState.OPEN
                         else _("The cycle is closed."))  # fmt: skip
    return redirect(back)


@staff_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    """The program's team: who has which role; managers invite by e-mail, change a role
    or take someone off (after a confirmation)."""
    program = get_object_or_404(visible_programs(request.user), pk=pk)
    can = allowed_actions(request.user, program)
    problems: dict[str, str] = {}
    if request.method == "POST":
        require(request.user, program, "team")
        action = request.POST.get("action", "invite")
        try:
            if action == "invite":
                invite_team_member(program, email=request.POST.get("email", ""),
                                   role=request.POST.get("role", ""), by=request.user)  # fmt: skip
                messages.success(request, _("Invitation sent."))
            else:
                member = get_object_or_404(TeamMember, program=program,
                                           pk=_id(request.POST.get("member")))  # fmt: skip
                if action == "role":
                    set_team_role(member, request.POST.get("role", ""), by=request.user)
                    messages.success(request, _("Role changed."))
                elif action == "remove":
                    if not confirmed(request):
                        return ask(request, title=_("Take %(who)s off the team?") % {
                            "who": member.user.email}, text=_("They no longer see this program."),
                            button=_("Yes, take them off"),
                            cancel=reverse("workspace:staff_team", args=[program.pk]),
                            extra={"action": "remove", "member": member.pk})  # fmt: skip
                    remove_team_member(member, by=request.user)
                    messages.success(request, _("Taken off the team."))
                else:
                    raise PermissionDenied
        except ProgramError as error:
            problems = {path: translated(message) for path, message in error.problems}
        else:
            return redirect("workspace:staff_team", pk=program.pk)
    return render(request, "workspace/staff_team.html", {
        "program": program, "can": can, "problems": problems, "roles": TeamRole.choices,
        "members": TeamMember.objects.filter(program=program).select_related("user")
        .order_by("role", "user__email"),
        "cycles": program.cycles.order_by("-deadline"),
        "values": request.POST if problems else {},
    }, status=422 if problems else 200)  # fmt: skip
