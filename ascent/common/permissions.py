"""Who may do what, in one place.

Roles: staff (``is_staff``: the program's people), reviewer (a Reviewer membership),
applicant (any signed-in person, on their own applications), recommender (a letter's
private link) and supporter (a journey's private link). Views use these predicates and
the querysets in the domain modules that already filter by owner (``own_application``,
``queue_of``, ``reference_for_token``, ``supporter_for_token``), so that another
person's object is simply not found (404) rather than forbidden: guessing ids reveals
nothing. tests/test_permission_matrix.py walks every URL with every role.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def teamless(user):
    """The condition on programs that makes a program with no team this staff member's
    too: true for a member of no team at all (a small install, one team for everything,
    staff made by the operator), false for anyone on a team, so that a person invited to
    one program as its observer is not every team-less program's manager."""
    from django.db.models import Exists, Q

    from ascent.programs.models import TeamMember

    return Q(members__isnull=True) & ~Exists(TeamMember.objects.filter(user=user.pk))


def visible_programs(user):
    """The programs a staff member runs: those whose team includes them, and those with
    no team if they are on none (``teamless``); every one for a superuser."""
    from django.db.models import Q

    from ascent.programs.models import Program

    if not is_staff(user):
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(Q(members__user=user) | teamless(user)).distinct()


# What each role in a program's team may change (issue #16). Every role reads everything
# of its program; an observer changes nothing.
ACTIONS = {
    "screen": {"manager", "coordinator"},  # run the screening
    "panel": {"manager", "coordinator"},  # invite reviewers
    "assign": {"manager", "coordinator"},
    "select": {"manager"},  # calibrate, select and audit (decisions, not yet released)
    "shortlist": {"manager"},  # shortlist for an interview stage, and announce it
    "override": {"manager"},  # change an eligibility result
    "change_decision": {"manager"},
    "release": {"manager"},
    "configure": {"manager"},  # import a configuration, start the next cycle
    "team": {"manager"},  # invite people to the program's team, change roles
}


def program_role(user, program) -> str | None:
    """The user's role in ``program``'s team: a superuser, or a staff member on no team
    when the program has no team, is its manager; None when they are not on it."""
    from django.db.models import Q

    from ascent.programs.models import TeamMember

    if not is_staff(user):
        return None
    if user.is_superuser:
        return "manager"
    rows = TeamMember.objects.filter(Q(program=program) | Q(user=user.pk)).values_list(
        "program_id", "user_id", "role"
    )  # the program's team, and the user's places on any team: one query
    roles, on_a_team = {}, False
    for program_id, user_id, role in rows:
        on_a_team = on_a_team or user_id == user.pk
        if program_id == program.pk:
            roles[user_id] = role
    if not roles:  # a program with no team: its manager, unless on some other team
        return None if on_a_team else "manager"
    return roles.get(user.pk)


def may(user, program, action: str) -> bool:
    return program_role(user, program) in ACTIONS[action]


def require(user, program, action: str) -> None:
    """Refuse (403) an action the user's role in the program does not allow."""
    if not may(user, program, action):
        raise PermissionDenied


def allowed_actions(user, program, role: str | None = None) -> dict[str, bool]:
    """For the templates: which buttons to show (the views check again)."""
    role = role or program_role(user, program)
    return {action: role in roles for action, roles in ACTIONS.items()}


def staff_cycles(user):
    """The cycles of the programs the staff member runs (a queryset to look ids up in:
    another team's cycle is simply not found)."""
    from ascent.programs.models import Cycle

    return Cycle.objects.filter(program__in=visible_programs(user))


def is_reviewer(user) -> bool:
    return bool(user.is_authenticated and user.reviewer_memberships.filter(active=True).exists())


def staff_required(view):
    """Program staff only: anonymous visitors are sent to sign in, others refused (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def may_use_admin(user) -> bool:
    """The administration is for operators and program managers: a coordinator or an
    observer (with no program they manage) could change there what their role may not."""
    from django.db.models import Q

    from ascent.programs.models import Program

    if not is_staff(user):
        return False
    if user.is_superuser:
        return True
    return Program.objects.filter(
        Q(members__user=user, members__role="manager") | teamless(user)
    ).exists()
