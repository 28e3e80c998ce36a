"""A program's team, run by its managers (issue #16): invite a person by e-mail with a
role (their account is made from the invitation when they have none: the e-mail links to
choosing a password), change a role, take someone off. A program always keeps a
manager."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from ascent.common.domain.audit import record
from ascent.common.domain.invitations import invited_account
from ascent.common.email import send_templated
from ascent.programs.models import Program, TeamMember, TeamRole

from .errors import ProgramError


def _refuse(field: str, message: str):
    raise ProgramError(f"{field}: {message}", problems=[(field, message)])


@transaction.atomic
def invite_team_member(program: Program, *, email: str, role: str, by) -> TeamMember:
    """Put the person with ``email`` on the program's team (making their account if
    needed) and tell them by e-mail. They become staff: the staff desk shows them the
    programs whose team they are on."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        _refuse("email", gettext_noop("enter a valid e-mail address"))
    if role not in TeamRole.values:
        _refuse("role", gettext_noop("choose manager, coordinator or observer"))
    user, created = invited_account(email)
    if TeamMember.objects.filter(program=program, user=user).exists():
        _refuse("email", gettext_noop("already on this program's team"))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    member = TeamMember.objects.create(program=program, user=user, role=role)
    record(by, "team.invited", program, user=user.pk, role=role)
    send_templated("programs/email/team_invited", {
        "program": program, "member": member, "new_account": created,
        "set_password": settings.SITE_URL + reverse("account_reset_password"),
        "desk": settings.SITE_URL + reverse("workspace:staff_cycles"),
    }, [email])  # fmt: skip
    return member


def _keeps_a_manager(member: TeamMember, new_role: str | None) -> None:
    if member.role == TeamRole.MANAGER and new_role != TeamRole.MANAGER and not (
            TeamMember.objects.filter(program=member.program, role=TeamRole.MANAGER)
            .exclude(pk=member.pk).exists()):  # fmt: skip
        _refuse("role", gettext_noop("a program keeps at least one manager"))


@transaction.atomic
def set_team_role(member: TeamMember, role: str, *, by) -> None:
    if role not in TeamRole.values:
        _refuse("role", gettext_noop("choose manager, coordinator or observer"))
    _keeps_a_manager(member, role)
    before, member.role = member.role, role
    member.save(update_fields=["role"])
    record(by, "team.role", member.program, user=member.user_id, before=before, after=role)


@transaction.atomic
def remove_team_member(member: TeamMember, *, by) -> None:
    _keeps_a_manager(member, None)
    record(by, "team.removed", member.program, user=member.user_id, role=member.role)
    member.delete()
