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


def failed_requirement_counts(cycle: Cycle) -> dict[str, int]:
    """How many applications of the cycle failed each requirement (by its key), counted
    in the database: one row per requirement, not one per application."""
    from django.db import connection

    from ascent.applications.models import Application, Eligibility

    each = {  # Ascent runs on these two
        "postgresql": "jsonb_array_elements_text(e.failed) AS f(value)",
        "sqlite": "json_each(e.failed) AS f",
    }[connection.vendor]
    sql = (
        f"SELECT f.value, COUNT(*) FROM {Eligibility._meta.db_table} e "  # noqa: S608 - names are ours
        f"JOIN {Application._meta.db_table} a ON a.id = e.application_id, {each} "
        "WHERE a.cycle_id = %s AND NOT e.eligible GROUP BY f.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk])
        return dict(cursor.fetchall())
