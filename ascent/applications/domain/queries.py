"""Querysets that pages, exports, the API and tasks share."""

from django.db.models import Count, Prefetch, Q, QuerySet

from ascent.applications.models import ApplicationStatus
from ascent.programs.models import Cycle, CycleState, Program

PUBLIC_CYCLE_STATES = [s for s in CycleState.values if s != CycleState.DRAFT]


def programs_with_cycle_counts() -> QuerySet[Program]:
    """Programs with their public cycles, newest first, each counting applications
    (submitted ones: drafts are private) and selected applicants. Two queries."""
    counted = (
        Cycle.objects.filter(state__in=PUBLIC_CYCLE_STATES)
        .annotate(
            application_count=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)
            ),
            selected_count=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SELECTED)
            ),
        )
        .order_by("-opens_at")
    )
    return Program.objects.prefetch_related(Prefetch("cycles", queryset=counted))
