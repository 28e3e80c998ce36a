"""Plots as inline SVG: readable without JavaScript, each with a text alternative.
Templates draw them inside ``{% localize off %}``: SVG coordinates are never localised."""

from __future__ import annotations

import math

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from ascent.programs.domain.content import phrase

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 28, 44  # room for the axis labels


def distance_chart(steps) -> dict | None:
    """The distance to the cutoff across the released cycles (0 = at the cutoff), with a
    y axis and its scale, each point labelled, and the cycles where the applicant was not
    eligible marked on the x axis. None with under two reviewed cycles."""
    columns = [s for s in steps if getattr(s, "released", True)]
    points = [
        (i, phrase(s.cycle.name, s.cycle), s.distance)
        for i, s in enumerate(columns)
        if s.distance is not None
    ]
    if len(points) < 2:
        return None
    top = _nice_top(max(d for _i, _n, d in points))
    span = max(1, len(columns) - 1)

    def x(i: int) -> float:
        return round(LEFT + i * (WIDTH - LEFT - RIGHT) / span, 1)

    def y(distance: float) -> float:
        return round(TOP + (distance / top) * (HEIGHT - TOP - BOTTOM), 1)

    coordinates = [{"x": x(i), "y": y(d), "name": name, "distance": d} for i, name, d in points]
    summary = _("Distance to the cutoff, from %(first)s to %(last)s: %(values)s.") % {
        "first": points[0][1], "last": points[-1][1],
        "values": "; ".join(f"{name} {floatformat(distance, 2)}" for _i, name, distance in points),
    }  # fmt: skip
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "points": coordinates,
        "top": top,
        "path": " ".join(f"{p['x']},{p['y']}" for p in coordinates),
        # said as the points' labels and the table say them (rounded half up, localised)
        "ticks": [{"y": y(top * k / 4), "value": floatformat(top * k / 4, 2)} for k in range(5)],
        "columns": [
            {
                "x": x(i),
                "name": _short(s.cycle.name),
                "ineligible": bool(getattr(s, "failed", None)),
            }
            for i, s in enumerate(columns)
        ],
        "summary": summary,
    }


def _nice_top(value: float) -> float:
    """The axis's top: the distance rounded up to a half point (at least half a point)."""
    return max(0.5, math.ceil(value * 2) / 2)


def _short(name: str) -> str:
    """ "2019 call" → "2019": what fits under a point."""
    first = name.split()[0] if name else ""
    return first if len(first) <= 10 else first[:9] + "…"
