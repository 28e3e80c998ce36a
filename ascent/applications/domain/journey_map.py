"""The map in a gap report, per criterion: where the applicant stands (with the
interval), the selected cohort's lowest and median, the least-effort target, what
changed since last time, and whether one cycle can close it. Pages draw it; the
coordinates are plain strings with a dot, never localised."""

from __future__ import annotations

from dataclasses import dataclass

from ascent.programs.domain.content import phrase

# A criterion rarely moves more than this (scale points) between two cycles; a target
# further away is said to need more than one cycle.
ONE_CYCLE = 1.5
WIDTH, LEFT, RIGHT = 320, 8, 8  # the bar per criterion, in SVG units


@dataclass
class CriterionRow:
    key: str
    name: str
    merit: float
    low: float | None
    high: float | None
    cohort_min: float
    cohort_median: float
    target: float
    scale: tuple[int, int]
    change: float | None = None  # merit now minus merit on the previous gap report

    @property
    def rise(self) -> float:
        return max(0.0, self.target - self.merit)

    @property
    def beyond_one_cycle(self) -> bool:
        return self.rise > ONE_CYCLE

    def x(self, value: float | None) -> str:
        """The SVG x of a value on this criterion's scale."""
        lo, hi = self.scale
        value = lo if value is None else min(max(value, lo), hi)
        return f"{LEFT + (WIDTH - LEFT - RIGHT) * (value - lo) / (hi - lo or 1):.1f}"

    @property
    def marks(self) -> dict:
        return {"merit": self.x(self.merit), "low": self.x(self.low), "high": self.x(self.high),
                "cohort_min": self.x(self.cohort_min), "cohort_median": self.x(self.cohort_median),
                "target": self.x(self.target), "start": self.x(self.scale[0]),
                "end": self.x(self.scale[1])}  # fmt: skip


def criterion_rows(gap: dict, criteria: dict, previous: dict | None) -> list[CriterionRow]:
    """Rows for a reviewed applicant's gap report; ``criteria`` maps key to a Criterion;
    ``previous`` is the earlier gap report of the same program, if any."""
    keys = gap.get("criteria") or []
    stderr = gap.get("stderr") or []
    before = dict(zip((previous or {}).get("criteria") or [], (previous or {}).get("merit") or [],
                      strict=False))  # fmt: skip
    rows = []
    for j, key in enumerate(keys):
        criterion = criteria.get(key)
        if criterion is None or j >= len(gap.get("merit", [])):
            continue
        merit = float(gap["merit"][j])
        half = 1.96 * float(stderr[j]) if j < len(stderr) else None
        rows.append(CriterionRow(
            key=key, name=phrase(criterion.name, criterion.cycle), merit=merit,
            low=None if half is None else merit - half, high=None if half is None else merit + half,
            cohort_min=float(gap["cohort_min"][j]), cohort_median=float(gap["cohort_median"][j]),
            target=float(gap["targets"][j]), scale=(criterion.scale_min, criterion.scale_max),
            change=None if key not in before else merit - float(before[key]),
        ))  # fmt: skip
    return rows


def chance_in_100(p_selected: float | None) -> int | None:
    """The probability of selection as "about N in 100 re-runs"; below one in a hundred
    reads 0 only when it is truly below one half in a hundred."""
    if p_selected is None:
        return None
    return round(100 * p_selected)
