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


def visible_programs(user):
    """The programs a staff member runs: those whose team includes them, and those with
    no team (a small install, one team for everything); every one for a superuser."""
    from django.db.models import Q

    from ascent.programs.models import Program

    if not is_staff(user):
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(Q(team=user) | Q(team__isnull=True)).distinct()


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
