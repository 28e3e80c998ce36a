"""The gap report: for everyone eligible and not selected, how far, on what, and what next.

For an application with calibrated merits ``x`` (one per criterion), criterion weights
``w``, per-point effort ``e`` and the top of the scale ``top``, the improvement of least
effort that would have reached the cutoff is the linear programme::

    minimise  e · (t - x)   subject to   w · t >= cutoff,   x <= t <= top

A continuous knapsack: raise criteria in order of effort per composite point (``e/w``,
cheapest first), each up to the top of its scale, until the cutoff is reached; the last
one raised stops part-way. That greedy is exact, and since the order depends only on
``e`` and ``w`` it runs for every application at once with a cumulative sum.

Targets are merits on the criterion's scale (a 6.4 means "between level 6 and 7");
``target_levels`` rounds them up to the whole level a rubric describes, whose advice
text says what that level looks like. The report also places each criterion against
the selected cohort (its minimum and median) and gives the percentile of the composite
among the eligible and, when an audit is given, the probability of selection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .calibration import Calibration
from .selection import Audit, Selection


class GapError(ValueError):
    """Arguments that cannot make gap reports; the message names the argument."""


@dataclass(frozen=True)
class GapReport:
    application: int
    composite: float
    cutoff: float
    distance: float  # >= 0: cutoff minus composite
    merit: np.ndarray  # (k,) current calibrated merit per criterion
    targets: np.ndarray  # (k,) the least-effort merits that reach the cutoff
    target_levels: np.ndarray  # (k,) int: targets rounded up to a whole level
    effort: float  # e · (targets - merit)
    reachable: bool  # False when even the top of every scale stays below the cutoff
    headroom: np.ndarray  # (k,) top of the scale minus merit
    cohort_min: np.ndarray  # (k,) the selected cohort's lowest merit per criterion
    cohort_median: np.ndarray  # (k,)
    percentile: float  # share of eligible applications with a lower composite, 0-100
    rank: int  # among the eligible, 1 = best
    p_selected: float | None  # from the audit, when one was given

    @property
    def improvements(self) -> np.ndarray:
        return self.targets - self.merit

    def criteria_to_raise(self, tolerance: float = 1e-9) -> np.ndarray:
        """Indices of the criteria the plan raises, largest rise first."""
        rise = self.improvements
        raised = np.flatnonzero(rise > tolerance)
        return raised[np.argsort(-rise[raised], kind="stable")]

    def to_dict(self) -> dict:
        return {
            "application": self.application,
            "composite": self.composite,
            "cutoff": self.cutoff,
            "distance": self.distance,
            "merit": self.merit.tolist(),
            "targets": self.targets.tolist(),
            "target_levels": self.target_levels.tolist(),
            "effort": self.effort,
            "reachable": self.reachable,
            "headroom": self.headroom.tolist(),
            "cohort_min": self.cohort_min.tolist(),
            "cohort_median": self.cohort_median.tolist(),
            "percentile": self.percentile,
            "rank": self.rank,
            "p_selected": self.p_selected,
        }


@dataclass(frozen=True)
class GapChange:
    """How one applicant's gap moved between two consecutive reports."""

    distance_before: float
    distance_after: float
    merit_change: np.ndarray  # (k,) after minus before

    @property
    def shrank(self) -> bool:
        return self.distance_after < self.distance_before

    @property
    def change(self) -> float:
        return self.distance_after - self.distance_before


def gap_reports(
    fit: Calibration,
    weights,
    sel: Selection,
    *,
    effort=None,
    scale: tuple[float, float] = (1, 10),
    audit: Audit | None = None,
) -> list[GapReport]:
    """One GapReport per eligible application that ``sel`` did not select, in order."""
    merit = np.asarray(fit.merit, dtype=float)
    n, k = merit.shape
    w = _vector("weights", weights, k, positive=False)
    if not np.any(w > 0):
        raise GapError("weights: at least one criterion must count")
    e = np.ones(k) if effort is None else _vector("effort", effort, k, positive=True)
    lo, hi = (float(x) for x in scale)
    if not lo < hi:
        raise GapError(f"scale: the lowest must be below the highest (got {scale!r})")
    if len(sel.score) != n:
        raise GapError(f"sel: selected among {len(sel.score):,} applications; the fit has {n:,}")
    if audit is not None and len(audit.p_selected) != n:
        raise GapError(f"audit: covers {len(audit.p_selected):,} applications; the fit has {n:,}")
    composite = np.asarray(sel.score, dtype=float)
    cutoff = sel.cutoff
    chosen = sel.is_selected
    who = np.flatnonzero(sel.eligible & ~chosen)
    if not len(who):
        return []
    current = np.clip(merit[who], lo, hi)
    targets, reachable = _least_effort(current, w, e, cutoff, hi)
    levels = np.where(targets > current + 1e-9, np.ceil(targets - 1e-9), np.round(current))
    levels = np.clip(levels, lo, hi).astype(np.int64)
    cohort = merit[sel.selected]
    cohort_min = cohort.min(axis=0) if len(cohort) else np.full(k, np.nan)
    cohort_median = np.median(cohort, axis=0) if len(cohort) else np.full(k, np.nan)
    eligible_scores = np.sort(composite[sel.eligible])
    below = np.searchsorted(eligible_scores, composite[who], side="left")
    percentile = 100.0 * below / max(1, len(eligible_scores))
    spent = (targets - current) @ e
    reports = []
    for row, a in enumerate(who.tolist()):
        reports.append(
            GapReport(
                application=a,
                composite=float(composite[a]),
                cutoff=float(cutoff),
                distance=float(max(0.0, cutoff - composite[a])),
                merit=merit[a].copy(),
                targets=targets[row],
                target_levels=levels[row],
                effort=float(spent[row]),
                reachable=bool(reachable[row]),
                headroom=hi - merit[a],
                cohort_min=cohort_min,
                cohort_median=cohort_median,
                percentile=float(percentile[row]),
                rank=int(sel.rank[a]),
                p_selected=None if audit is None else float(audit.p_selected[a]),
            )
        )
    return reports


def gap_change(before: GapReport, after: GapReport) -> GapChange:
    """Compare two reports of one applicant (consecutive cycles): did the gap shrink?"""
    if before.merit.shape != after.merit.shape:
        raise GapError("after: the two reports score different criteria")
    return GapChange(before.distance, after.distance, after.merit - before.merit)


def _least_effort(current, w, e, cutoff, top):
    """Vectorised continuous knapsack: (targets (m, k), reachable (m,))."""
    k = current.shape[1]
    price = np.divide(e, w, out=np.full(k, np.inf), where=w > 0)  # effort per composite point
    order = np.lexsort((np.arange(k), price))  # cheapest first; weightless criteria last
    need = np.maximum(0.0, cutoff - current @ w)  # composite points to gain
    gain = (top - current[:, order]) * w[order]  # the most each criterion can add, in order
    before = np.cumsum(gain, axis=1) - gain  # gained by the cheaper criteria
    take = np.clip(need[:, None] - before, 0.0, gain)  # composite points from each
    raise_by = np.zeros_like(current)
    ordered_w = w[order]
    raise_by[:, order] = np.divide(take, ordered_w, out=np.zeros_like(take), where=ordered_w > 0)
    targets = np.minimum(current + raise_by, top)
    reachable = gain.sum(axis=1) >= need - 1e-9
    return targets, reachable


def _vector(name: str, values, k: int, *, positive: bool) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.shape != (k,):
        raise GapError(f"{name}: need one value per criterion ({k}), got shape {array.shape}")
    if not np.all(np.isfinite(array)) or (positive and np.any(array <= 0)):
        raise GapError(f"{name}: every value must be a positive number")
    if np.any(array < 0):
        raise GapError(f"{name}: no value may be negative")
    return array


def advice_for(report: GapReport, criteria: Sequence, *, most: int = 3) -> list[dict]:
    """The rubric's words for the plan: for each criterion to raise (largest rise first,
    at most ``most``), where the applicant stands (the level's description), what the
    target level looks like, and the rubric's advice for moving up from where they are.

    ``criteria`` are CriterionSpec-like objects with ``key``, ``name`` and ``levels``
    (each with ``score``, ``description`` and ``advice``).
    """
    out = []
    for j in report.criteria_to_raise()[:most]:
        # Shown to one decimal, rounded outward (where they stand down, the target up),
        # so that a small rise never reads "from 5.0 to 5.0" and the target shown is
        # always enough.
        rise = (math.floor(float(report.merit[j]) * 10 + 1e-6) / 10,
                math.ceil(float(report.targets[j]) * 10 - 1e-6) / 10)  # fmt: skip
        criterion = criteria[j]
        levels = {lv.score: lv for lv in criterion.levels}
        now = int(np.clip(np.floor(report.merit[j] + 0.5), min(levels), max(levels)))
        target = int(report.target_levels[j])
        out.append({
            "criterion": criterion.key,
            "name": criterion.name,
            "from": rise[0],
            "to": rise[1],
            "level_now": now,
            "level_target": target,
            "now": levels[now].description,
            "target": levels[target].description if target in levels else "",
            "advice": levels[now].advice or getattr(criterion, "advice", ""),
        })  # fmt: skip
    return out
