"""How much reviewers agree: Krippendorff's alpha for interval data.

``alpha = 1 - D_o / D_e``: the disagreement observed between reviewers of the same
application, over the disagreement expected between any two scores. 1 is perfect
agreement, 0 is chance, below 0 is systematic disagreement. Only applications with at
least two scores count. Vectorised: sums of squares per application with ``bincount``.
"""

from __future__ import annotations

import numpy as np


def krippendorff_alpha_interval(unit, value) -> float:
    """Alpha for scores ``value`` given to units (applications) ``unit``; NaN when fewer
    than two applications have two scores or every score is the same."""
    unit = np.asarray(unit, dtype=np.int64)
    value = np.asarray(value, dtype=float)
    if unit.shape != value.shape or unit.ndim != 1:
        raise ValueError("unit and value must be one-dimensional and of equal length")
    counts = np.bincount(unit) if len(unit) else np.zeros(0, np.int64)
    pairable = counts[unit] >= 2 if len(unit) else np.zeros(0, bool)
    unit, value = unit[pairable], value[pairable]
    n = len(value)
    if n < 2 or len(np.unique(unit)) < 2:
        return float("nan")
    m = np.bincount(unit)
    s1 = np.bincount(unit, weights=value)
    s2 = np.bincount(unit, weights=value**2)
    has = m >= 2
    # Sum over ordered pairs i != j within a unit of (x_i - x_j)^2 = 2 (m S2 - S1^2).
    within = 2 * (m[has] * s2[has] - s1[has] ** 2) / (m[has] - 1)
    observed = within.sum() / n
    expected = 2 * (n * np.sum(value**2) - np.sum(value) ** 2) / (n * (n - 1))
    if expected <= 0:
        return float("nan")
    return float(1.0 - observed / expected)
