"""The selection board's plot: each application's composite with its 95 % interval,
and the cutoff. Inline SVG with a text alternative."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import ngettext

WIDTH, ROW, LEFT, RIGHT = 720, 14, 110, 20


def board_chart(rows, cutoff) -> dict | None:
    points = [r for r in rows if r.composite is not None]
    if not points:
        return None
    lows = [r.composite - 1.96 * (r.stderr or 0) for r in points]
    highs = [r.composite + 1.96 * (r.stderr or 0) for r in points]
    lo, hi = min(lows), max(highs)
    span = (hi - lo) or 1.0

    def x(value: float) -> float:
        return round(LEFT + (value - lo) / span * (WIDTH - LEFT - RIGHT), 1)

    bars = []
    for i, (row, low, high) in enumerate(zip(points, lows, highs, strict=True)):
        bars.append({
            "y": 20 + i * ROW, "x": x(row.composite), "x1": x(low), "x2": x(high),
            "label": row.application.receipt, "selected": row.outcome == "selected",
            "borderline": row.borderline, "composite": row.composite, "stderr": row.stderr or 0,
        })  # fmt: skip
    height = 44 + len(points) * ROW
    ticks = [
        {"x": x(lo + span * i / 4), "label": number_format(lo + span * i / 4, 2)} for i in range(5)
    ]  # (a label the reader reads: their way; coordinates stay plain)
    return {
        "width": WIDTH, "height": height, "bars": bars, "ticks": ticks, "axis_y": height - 16,
        "cutoff_x": x(cutoff) if cutoff is not None else None,
        "summary": ngettext("%(n)s application by calibrated composite with 95%% intervals; the cutoff is %(cutoff)s.",
                            "%(n)s applications by calibrated composite with 95%% intervals; the cutoff is %(cutoff)s.",
                            len(points)) % {"n": len(points),
                                                 "cutoff": number_format(cutoff, 2) if cutoff else "—"},
    }  # fmt: skip
