"""Tables staff take away (CSV or XLSX): the applications of a cycle, its board, its
analytics. The staff pages and the API serve the same tables."""

from __future__ import annotations

import csv
import io

from django.db.models import Count, F, Min
from django.db.models.functions import Coalesce
from django.http import HttpResponse

from ascent.applications.models import Application
from ascent.decisions.domain.analytics import Table, cycle_analytics
from ascent.decisions.models import Decision, Outcome
from ascent.programs.models import Cycle

ELIGIBLE_NOW = Coalesce("eligibility__override", "eligibility__eligible")
FORMATS = ("csv", "xlsx")


def board_rows(found: Cycle):
    return (
        Decision.objects.filter(cycle=found)
        .exclude(outcome=Outcome.INELIGIBLE)
        .order_by(F("rank").asc(nulls_last=True), "application_id")
    )


def board_top(found: Cycle, count: int) -> list:
    """The board's first ``count`` rows, as ``board_rows`` orders them: the ranked ones
    read along the (cycle, rank) index, the unranked after them only if needed."""
    ranked = Decision.objects.filter(cycle=found, rank__isnull=False).select_related(
        "application__applicant").order_by("rank", "application_id")  # fmt: skip
    rows = list(ranked[:count])
    if len(rows) < count:
        rest = board_rows(found).filter(rank__isnull=True).select_related("application__applicant")
        rows += list(rest[: count - len(rows)])
    return rows


def board_figures(found: Cycle) -> dict:
    """How many are on the board and selected, the cutoff (the lowest selected
    composite), and whether any decision is unreleased: by index, not by scanning."""
    counts = dict(Decision.objects.filter(cycle=found).order_by().values_list("outcome")
                  .annotate(n=Count("id")).values_list("outcome", "n"))  # fmt: skip
    cutoff = Decision.objects.filter(cycle=found, outcome=Outcome.SELECTED).aggregate(
        cutoff=Min("composite"))["cutoff"]  # fmt: skip
    return {
        "total": sum(n for outcome, n in counts.items() if outcome != Outcome.INELIGIBLE),
        "selected": counts.get(Outcome.SELECTED, 0), "cutoff": cutoff,
        "unreleased": Decision.objects.filter(cycle=found, released_at__isnull=True)
        .exclude(outcome=Outcome.INELIGIBLE).exists(),
    }  # fmt: skip


def _board(found: Cycle):
    return list(board_rows(found).select_related("application__applicant"))


def board_table(found: Cycle) -> Table:
    table = Table("board", "Selection board", ["rank", "receipt", "applicant", "outcome",
                  "composite", "stderr", "p_selected", "borderline", "released_at"])  # fmt: skip
    for d in _board(found):
        table.rows.append([d.rank, d.application.receipt, d.application.applicant.display_name,
                           d.outcome, _num(d.composite), _num(d.stderr), _num(d.p_selected),
                           int(d.borderline), d.released_at.isoformat() if d.released_at else ""])  # fmt: skip
    return table


def applications_table(rows) -> Table:
    """``rows``: applications annotated with ``eligible_now`` (ELIGIBLE_NOW), in order."""
    table = Table("applications", "Applications", ["receipt", "applicant", "email", "status",
                  "eligible", "submitted_at", "updated_at"])  # fmt: skip
    for a in rows.values_list("receipt", "applicant__display_name", "applicant__user__email",
                              "status", "eligible_now", "submitted_at", "updated_at"):  # fmt: skip
        table.rows.append([a[0] or "", a[1], a[2] or "", a[3], "" if a[4] is None else int(a[4]),
                           a[5].isoformat() if a[5] else "", a[6].isoformat()])  # fmt: skip
    return table


def cycle_table(found: Cycle, key: str) -> Table | None:
    """One of the cycle's tables by key: applications, board, or an analytics table."""
    if key == "applications":
        rows = Application.objects.filter(cycle=found).exclude(status="draft")
        return applications_table(
            rows.annotate(eligible_now=ELIGIBLE_NOW).order_by("submitted_at", "pk")
        )
    if key == "board":
        return board_table(found)
    return cycle_analytics(found).get(key)


def export_table(table, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        writer = csv.writer(response)
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_cell(v) if isinstance(v, str) else v for v in row])
        return response
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append([_cell(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _num(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _cell(text: str) -> str:
    """No spreadsheet formula injection: a cell never starts with = + - @."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
