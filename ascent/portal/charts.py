"""Plots as inline SVG: readable without JavaScript, each with a text alternative."""

from __future__ import annotations

from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD = 640, 220, 40


def distance_chart(steps) -> dict | None:
    """The distance to the cutoff across cycles (0 = selected). None with under two points."""
    points = [(s.cycle.name, s.distance) for s in steps if s.distance is not None]
    if len(points) < 2:
        return None
    top = max(d for _n, d in points) or 1.0
    span = len(points) - 1
    coordinates = []
    for i, (name, distance) in enumerate(points):
        x = PAD + i * (WIDTH - 2 * PAD) / span
        y = PAD / 2 + (distance / top) * (HEIGHT - 1.5 * PAD)
        coordinates.append({"x": round(x, 1), "y": round(y, 1), "name": name,
                            "distance": distance})  # fmt: skip
    summary = _("Distance to the cutoff, from %(first)s to %(last)s: %(values)s.") % {
        "first": points[0][0], "last": points[-1][0],
        "values": "; ".join(f"{name} {distance:.2f}" for name, distance in points),
    }  # fmt: skip
    return {
        "width": WIDTH, "height": HEIGHT, "baseline": round(PAD / 2, 1),
        "bottom": HEIGHT - PAD, "points": coordinates,
        "path": " ".join(f"{p['x']},{p['y']}" for p in coordinates),
        "top": top, "summary": summary,
    }  # fmt: skip
