"""The demo's logins. Their passwords are public on purpose: the demo serves only on
127.0.0.1, and ``ascent demo`` refuses to run in production."""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ascent.common.domain.roles import ensure_staff_group
from ascent.engine import astronaut
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
    logins = [STAFF]
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
    return copy_cycle(last, name=f"{year} call", slug=str(year),
                      opens_at=now - dt.timedelta(days=1),
                      deadline=now + dt.timedelta(days=90), state=CycleState.OPEN)  # fmt: skip
