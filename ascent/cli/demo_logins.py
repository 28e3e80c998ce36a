"""The demo's logins. Their passwords are public on purpose: the demo serves only on
127.0.0.1, and ``ascent demo`` refuses to run in production."""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ascent.common.domain.roles import ensure_staff_group
from ascent.engine import astronaut, astronaut_es
from ascent.programs.domain.cycles import copy_cycle
from ascent.programs.models import Cycle, CycleState
from ascent.review.models import Reviewer


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    note: str


STAFF = Login("staff", "staff@example.org", "ascent-staff-demo", "the administration at /admin/")
COORDINATOR = Login("staff", "coordinator@example.org", "ascent-coordinator-demo",
                    "the program's coordinator: screening, panel and assignment, no release")  # fmt: skip
REVIEWER = Login("reviewer", "", "ascent-reviewer-demo", "a member of the panel")
PERSONA = Login("applicant", "maya.castellanos@example.org", "ascent-maya-demo",
                "Maya Castellanos: her twelfth application is selected once staff decide the ready cycle")  # fmt: skip


@transaction.atomic
def create_demo_logins() -> list[Login]:
    """Create (or reset) the staff login, and give the first reviewer and the persona a
    password. Returns the logins that exist."""
    User = get_user_model()
    staff, _ = User.objects.get_or_create(
        username=STAFF.username, defaults={"email": STAFF.username, "first_name": "Demo staff"}
    )
    staff.is_staff = True
    staff.set_password(STAFF.password)
    staff.save()
    staff.groups.add(ensure_staff_group())
    _verified(staff)
    coordinator, _ = User.objects.get_or_create(
        username=COORDINATOR.username,
        defaults={"email": COORDINATOR.username, "first_name": "Demo coordinator", "is_staff": True},
    )  # fmt: skip
    coordinator.groups.add(ensure_staff_group())
    _set_password(coordinator, COORDINATOR.password)
    from ascent.programs.models import Program, TeamMember, TeamRole

    for program in Program.objects.filter(slug=astronaut.PROGRAM_SLUG):  # the program's team
        TeamMember.objects.update_or_create(program=program, user=staff,
                                            defaults={"role": TeamRole.MANAGER})  # fmt: skip
        TeamMember.objects.update_or_create(program=program, user=coordinator,
                                            defaults={"role": TeamRole.COORDINATOR})  # fmt: skip
    logins = [STAFF, COORDINATOR]
    reviewer = (
        Reviewer.objects.filter(program__slug=astronaut.PROGRAM_SLUG)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if reviewer is not None:
        _set_password(reviewer.user, REVIEWER.password)
        logins.append(Login(REVIEWER.role, reviewer.user.username, REVIEWER.password,
                            f"{reviewer.display_name}, {REVIEWER.note}"))  # fmt: skip
    persona = User.objects.filter(username=PERSONA.username).first()
    if persona is not None:
        _set_password(persona, PERSONA.password)
        logins.append(PERSONA)
    return logins


def _set_password(user, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    _verified(user)


def _verified(user) -> None:
    """Demo logins sign in at once: their address counts as verified."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email or user.username,
        defaults={"verified": True, "primary": True},
    )  # fmt: skip


@transaction.atomic
def open_demo_cycle() -> Cycle | None:
    """When no cycle of the demo program is open, open the next one (a copy of the
    last, deadline in 90 days) so that the demo can be applied to. Returns it, or None."""
    last = Cycle.objects.filter(program__slug=astronaut.PROGRAM_SLUG).order_by("-deadline").first()
    if last is None or Cycle.objects.filter(program=last.program, state=CycleState.OPEN).exists():
        return None
    now = timezone.now()
    year = max(last.deadline.year + 1, now.year)
    english, spanish = astronaut_es.cycle_name(year)
    opened = copy_cycle(last, name=english, slug=str(year), opens_at=now - dt.timedelta(days=1),
                        deadline=now + dt.timedelta(days=90), state=CycleState.OPEN)  # fmt: skip
    words = dict((opened.translations or {}).get("es") or {})
    words[english] = spanish
    opened.translations = {**(opened.translations or {}), "es": words}
    opened.save(update_fields=["translations"])
    return opened


TEMPLATE_PROGRAM = "open-skies-fellowship"


def template_program() -> Cycle | None:
    """A second program, made as a program manager makes one: the fellowship template,
    its first cycle opened, the demo staff its manager and the coordinator its
    coordinator. Once: None when it exists already (or there is no demo staff)."""
    from ascent.programs.domain.setup import create_program, set_cycle_state
    from ascent.programs.models import Program, TeamMember, TeamRole

    User = get_user_model()
    staff = User.objects.filter(username=STAFF.username).first()
    if staff is None or Program.objects.filter(slug=TEMPLATE_PROGRAM).exists():
        return None
    now = timezone.now()
    cycle = create_program(template="fellowship", name="Open Skies Fellowship",
                           name_es="Beca Cielos Abiertos", organisation="Open Skies Trust",
                           slug=TEMPLATE_PROGRAM, cycle_name="2027 fellows",
                           cycle_name_es="Becarios 2027", opens_at=now - dt.timedelta(days=1),
                           deadline=now + dt.timedelta(days=120), by=staff)  # fmt: skip
    set_cycle_state(cycle, "open", by=staff)
    coordinator = User.objects.filter(username=COORDINATOR.username).first()
    if coordinator is not None:
        TeamMember.objects.update_or_create(program=cycle.program, user=coordinator,
                                            defaults={"role": TeamRole.COORDINATOR})  # fmt: skip
    return cycle


def persona_plan_and_community(base_url: str = "http://127.0.0.1:8000") -> bool:
    """Maya's plan and the people behind her, made by the product's own functions: her
    family, teacher and mentor (the world's supporters) get her milestones, her family
    the outcomes too; her teacher left a note; her latest gap report became goals, with a
    first check-in; the reminders for the open cycle went out (to the development
    outbox). Once: False when it was done already."""
    from ascent.applications.domain.milestones import leave_note
    from ascent.applications.domain.plans import check_in, goals_from_gap, send_reminders
    from ascent.applications.models import Applicant, Goal, Supporter, SupporterNote
    from ascent.decisions.models import Decision

    applicant = Applicant.objects.filter(user__username=PERSONA.username).first()
    if applicant is None or SupporterNote.objects.filter(supporter__applicant=applicant).exists():
        return False
    supporters = Supporter.objects.filter(applicant=applicant, revoked_at__isnull=True)
    supporters.update(shares_milestones=True)
    supporters.filter(relationship="family").update(shares_outcomes=True)
    supporters.filter(relationship="mentor").update(is_mentor=True)
    teacher = supporters.filter(relationship="teacher").first() or supporters.first()
    if teacher is not None:
        leave_note(teacher, "Maya, every year you come back closer. The flight hours are the "
                            "last step: I believe in you.")  # fmt: skip
    latest = (Decision.objects.filter(application__applicant=applicant, released_at__isnull=False)
              .exclude(gap={}).order_by("-cycle__deadline").first())  # fmt: skip
    gap = (latest.gap or {}) if latest is not None else {}
    if (gap.get("advice") or gap.get("failed_requirements")) and not Goal.objects.filter(
            applicant=applicant).exists():  # fmt: skip
        goals_from_gap(applicant, latest, by=applicant.user)
        first = (gap.get("advice") or [{}])[0]
        levels = ({first["criterion"]: round(min(float(first["from"]) + 0.5, 10), 1)}
                  if first.get("criterion") else {})  # fmt: skip
        check_in(applicant, latest.cycle.program, by=applicant.user, levels=levels,
                 note="Signed up for the instructor course; 40 hours logged this quarter.")  # fmt: skip
    send_reminders(base_url=base_url, applicants=[applicant.pk])  # ('ascent remind': all)
    return True
