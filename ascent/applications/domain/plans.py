"""A plan between cycles: goals from the gap report, check-ins, and the e-mails that bring
the applicant back when the next cycle opens and a fortnight before its deadline."""

from __future__ import annotations

import datetime as dt
import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascent.applications.domain.explain import said
from ascent.applications.models import (
    Applicant,
    Application,
    ApplicationStatus,
    CheckIn,
    Goal,
    Reminder,
)
from ascent.common.domain.audit import record
from ascent.common.email import send_templated
from ascent.decisions.models import Decision
from ascent.programs.domain.content import phrasebook
from ascent.programs.models import Criterion, Cycle, CycleState, Program

from .errors import ApplicationError

MAX_GOALS = 40
MAX_CHECK_INS_PER_DAY = 10
FORTNIGHT = dt.timedelta(days=14)


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError.at(field, _("is required"))
    if len(text) > limit:
        raise ApplicationError.at(field, _("must be at most %(limit)s characters (it has %(length)s)")
                % {"limit": limit, "length": len(text)})  # fmt: skip
    return text


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError.at(field, _("must be a date written YYYY-MM-DD")) from None
    if day.year > timezone.now().year + 10:
        raise ApplicationError.at(field, _("must be within the next ten years"))
    return day


def _level(value, field: str, scale: tuple[int, int] | None) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise ApplicationError.at(field, _("must be a number")) from None
    if not math.isfinite(number):
        raise ApplicationError.at(field, _("must be a number"))
    if scale is not None and not scale[0] <= number <= scale[1]:
        raise ApplicationError.at(
            field, _("must be from %(low)s to %(high)s") % {"low": scale[0], "high": scale[1]}
        )
    return number


def next_deadline(program: Program) -> dt.date | None:
    cycle = (Cycle.objects.filter(program=program, deadline__gt=timezone.now())
             .exclude(state=CycleState.DRAFT).order_by("deadline").first())  # fmt: skip
    return timezone.localdate(cycle.deadline) if cycle else None


def goals_from_gap(applicant: Applicant, decision: Decision, *, by) -> list[Goal]:
    """One goal per criterion the gap report says to raise and per requirement missed,
    due by the program's next deadline (or in a year); goals already there stay."""
    program = decision.cycle.program
    gap = decision.gap or {}
    due = next_deadline(program) or (timezone.localdate() + dt.timedelta(days=365))
    existing = set(Goal.objects.filter(applicant=applicant, program=program, done_at__isnull=True)
                   .values_list("criterion_key", "requirement_key"))  # fmt: skip
    made = []
    for item in gap.get("advice") or []:
        key = item.get("criterion", "")
        if (key, "") in existing or float(item.get("to", 0)) <= float(item.get("from", 0)):
            continue
        made.append(Goal(applicant=applicant, program=program, criterion_key=key,
                         title=_("Raise %(name)s from %(now)s to %(target)s") % {
                             "name": item.get("name", key), "now": item.get("from"),
                             "target": item.get("to")},
                         title_message={"t": "Raise %(name)s from %(now)s to %(target)s",
                                        "v": {"name": item.get("name", key),
                                              "now": {"n": float(item.get("from", 0))},
                                              "target": {"n": float(item["to"])}}},
                         target_level=float(item["to"]), target_date=due,
                         note=item.get("advice", "")[:2000]))  # fmt: skip
    for part in gap.get("failed_requirements") or []:
        key = part.get("key", "")
        if ("", key) in existing:
            continue
        made.append(Goal(applicant=applicant, program=program, requirement_key=key,
                         title=_("Meet “%(name)s”") % {"name": part.get("name", key)},
                         title_message={"t": "Meet “%(name)s”", "v": {"name": part.get("name", key)}},
                         target_date=due))  # fmt: skip
    if Goal.objects.filter(applicant=applicant).count() + len(made) > MAX_GOALS:
        raise ApplicationError(_("a plan can have at most %(n)s goals") % {"n": MAX_GOALS})
    Goal.objects.bulk_create(made)
    record(by, "plan.made", decision.application, goals=len(made))
    return made


def save_goal(applicant: Applicant, program: Program, data: dict, *, goal: Goal | None = None,
              by) -> Goal:  # fmt: skip
    """Add a goal or change one: a title, a target level (on the criterion's scale), a
    date and a note. Every problem names its field; nothing is saved in part."""
    problems = []
    values = {}
    for field, check in (
        ("title", lambda v: _text(v, "title", 200, required=True)),
        ("target_date", lambda v: _date(v, "target_date")),
        ("note", lambda v: _text(v, "note", 2000)),
    ):
        try:
            values[field] = check(data.get(field))
        except ApplicationError as error:
            problems += error.problems
    criterion_key = (goal.criterion_key if goal else data.get("criterion_key", "")) or ""
    scale = None
    if criterion_key:
        found = (Criterion.objects.filter(cycle__program=program, key=criterion_key)
                 .order_by("-cycle__deadline").first())  # fmt: skip
        scale = (found.scale_min, found.scale_max) if found else None
    try:
        values["target_level"] = _level(data.get("target_level"), "target_level", scale)
    except ApplicationError as error:
        problems += error.problems
    if problems:
        raise ApplicationError(_("some fields need fixing"), problems=problems)
    if goal is None:
        if Goal.objects.filter(applicant=applicant).count() >= MAX_GOALS:
            raise ApplicationError(_("a plan can have at most %(n)s goals") % {"n": MAX_GOALS})
        goal = Goal(applicant=applicant, program=program, criterion_key=criterion_key[:50])
    if values.get("title") != goal.title:
        goal.title_message = None  # the applicant's own words now
    for field, value in values.items():
        setattr(goal, field, value)
    if "done" in data:
        goal.done_at = timezone.now() if data.get("done") in ("1", True) else None
    goal.save()
    return goal


def check_in(applicant: Applicant, program: Program, *, note: str, levels: dict, by) -> CheckIn:
    """Progress in the applicant's words and a self-assessed level per criterion."""
    problems = []
    try:
        note = _text(note, "note", 4000)
    except ApplicationError as error:
        problems += error.problems
    scales = {c.key: (c.scale_min, c.scale_max) for c in
              Criterion.objects.filter(cycle__program=program).order_by("cycle__deadline")}  # fmt: skip
    kept = {}
    for key, raw in (levels or {}).items():
        if key not in scales or raw in (None, ""):
            continue
        try:
            kept[key] = _level(raw, f"level.{key}", scales[key])
        except ApplicationError as error:
            problems += error.problems
    if problems:
        raise ApplicationError(_("some fields need fixing"), problems=problems)
    if not note and not kept:
        raise ApplicationError.at("note", _("write a note or give at least one level"))
    since = timezone.now() - dt.timedelta(days=1)
    if CheckIn.objects.filter(applicant=applicant, at__gte=since).count() >= MAX_CHECK_INS_PER_DAY:
        raise ApplicationError(_("at most %(n)s check-ins a day") % {"n": MAX_CHECK_INS_PER_DAY})
    return CheckIn.objects.create(applicant=applicant, program=program, at=timezone.now(),
                                  note=note, levels=kept)  # fmt: skip


def send_reminders(now: dt.datetime | None = None, *, base_url: str = "",
                   applicants=None) -> dict[str, int]:  # fmt: skip
    """E-mail each earlier applicant of a program whose next cycle is open (once per
    cycle), and again a fortnight before its deadline if they have not submitted. Safe to
    run as often as wanted (``ascent remind``, daily from cron): each e-mail goes once.
    ``applicants``: only these (ids), as the demo does for its persona."""
    from django.conf import settings
    from django.urls import reverse

    now = now or timezone.now()
    sent = {"opened": 0, "fortnight": 0}
    for cycle in Cycle.objects.filter(state=CycleState.OPEN, opens_at__lte=now,
                                      deadline__gt=now).select_related("program"):  # fmt: skip
        earlier = (Application.objects.filter(cycle__program=cycle.program,
                                              cycle__deadline__lt=cycle.opens_at)
                   .exclude(status=ApplicationStatus.DRAFT)
                   .values_list("applicant_id", flat=True).distinct())  # fmt: skip
        submitted = set(Application.objects.filter(cycle=cycle).exclude(
            status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
            .values_list("applicant_id", flat=True))  # fmt: skip
        kinds = [Reminder.Kind.OPENED]
        if cycle.deadline - now <= FORTNIGHT:
            kinds.append(Reminder.Kind.FORTNIGHT)
        link = (base_url or settings.SITE_URL) + reverse(
            "portal:cycle", args=[cycle.program.slug, cycle.slug]
        )
        people = Applicant.objects.filter(pk__in=earlier).select_related("user")
        if applicants is not None:
            people = people.filter(pk__in=list(applicants))
        for applicant in people:
            if applicant.pk in submitted:
                continue
            for kind in kinds:
                if (
                    kind == Reminder.Kind.OPENED
                    and Reminder.objects.filter(
                        applicant=applicant, cycle=cycle, kind=Reminder.Kind.FORTNIGHT
                    ).exists()
                ):
                    continue  # one e-mail is enough when both fall due together
                try:
                    with transaction.atomic():
                        Reminder.objects.create(applicant=applicant, cycle=cycle, kind=kind,
                                                sent_at=now)  # fmt: skip
                        _send_reminder(applicant, cycle, kind, link)
                except IntegrityError:
                    continue  # sent already (or by a second run at the same moment)
                sent[kind] += 1
                break
    return sent


def _send_reminder(applicant: Applicant, cycle: Cycle, kind: str, link: str) -> None:
    last = (Decision.objects.filter(application__applicant=applicant, cycle__program=cycle.program,
                                    released_at__isnull=False)
            .order_by("-cycle__deadline").first())  # fmt: skip
    distance = None
    if last is not None and last.composite is not None and (last.gap or {}).get("cutoff"):
        distance = max(0.0, float(last.gap["cutoff"]) - float(last.composite))
    goals = list(Goal.objects.filter(applicant=applicant, program=cycle.program,
                                     done_at__isnull=True)[:10])  # fmt: skip
    send_templated("applications/email/reminder", {
        "applicant": applicant, "cycle": cycle, "kind": kind, "link": link, "goals": goals,
        "distance": distance, "last": last,
    }, [applicant.user.email])  # fmt: skip


def plan_sections(applicant: Applicant, steps) -> list[dict]:
    """Per program the applicant applied to (newest first): the goals, the latest
    check-ins, the criteria to self-assess, and the decision whose gap report can become
    goals."""
    programs: dict[int, Program] = {}
    for step in reversed(steps):
        if step.application.status != ApplicationStatus.DRAFT:
            programs.setdefault(step.cycle.program.pk, step.cycle.program)
    if not programs:
        return []
    goals: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(applicant=applicant, program__in=programs):
        goals.setdefault(goal.program_id, []).append(goal)
    check_ins: dict[int, list[CheckIn]] = {}
    for entry in CheckIn.objects.filter(applicant=applicant, program__in=programs)[:50]:
        check_ins.setdefault(entry.program_id, []).append(entry)
    sections = []
    for pk, program in programs.items():
        latest = (Cycle.objects.filter(program=program).exclude(state=CycleState.DRAFT)
                  .order_by("-deadline").first())  # fmt: skip
        criteria = list(Criterion.objects.filter(cycle=latest).order_by("position", "id"))
        decision = (Decision.objects.filter(application__applicant=applicant,
                                            cycle__program=program, released_at__isnull=False)
                    .order_by("-cycle__deadline").first())  # fmt: skip
        gap = (decision.gap or {}) if decision else {}
        words = phrasebook(latest)
        names = {c.key: words.get(c.name, c.name) for c in criteria}
        for criterion in criteria:
            criterion.shown_name = names[criterion.key]
        entries = check_ins.get(pk, [])[:5]
        for entry in entries:
            entry.named_levels = [(names.get(k, k), v) for k, v in (entry.levels or {}).items()]
        for goal in goals.get(pk, []):
            goal.form_key = f"goal-{goal.pk}"  # which form a refused post shows again
            goal.shown_title = said(goal.title_message, words) if goal.title_message else goal.title
            goal.shown_note = words.get(goal.note, goal.note)
        sections.append({
            "program": program, "cycle": latest, "goals": goals.get(pk, []), "check_ins": entries,
            "criteria": criteria, "new_key": f"goal-new-{pk}", "check_in_key": f"check-in-{pk}",
            "from_gap": decision if gap.get("advice") or gap.get("failed_requirements") else None,
        })  # fmt: skip
    return sections
