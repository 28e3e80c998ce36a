"""The selection the product runs on a cycle's reviews, in one place.

``decisions.domain.deciding`` calls it on the reviews stored in the database, and the
synthetic world calls it on the reviews it simulates, with the reviews in the same
order, so that the world's past cycles are decided exactly as the product decides them.
"""

from __future__ import annotations

import numpy as np

from .calibration import Calibration, calibrate
from .selection import Selection, select


def waitlist_for(capacity: int) -> int:
    """How many wait in order after the selected: half the seats, at least one."""
    return max(1, capacity // 2)


def review_arrays(application, reviewer, criterion, score):
    """Reviews as the product reads them: sorted by application, reviewer and criterion,
    reviewers numbered by their order (0 … m - 1). Returns the four arrays and m."""
    order = np.lexsort((criterion, reviewer, application))
    ids, dense = np.unique(np.asarray(reviewer)[order], return_inverse=True)
    arrays = (np.asarray(application, dtype=np.int64)[order], dense.astype(np.int64).ravel(),
              np.asarray(criterion, dtype=np.int64)[order], np.asarray(score, dtype=float)[order])  # fmt: skip
    return arrays, len(ids)


def calibrated_selection(
    reviews,
    *,
    n_applications: int,
    n_reviewers: int,
    n_criteria: int,
    weights,
    capacity: int,
    waitlist: int,
    scale: tuple[float, float],
    eligible=None,
    groups=None,
    quotas=None,
) -> tuple[Calibration, Selection]:
    """Calibrate the reviewers away, then select the best ``capacity`` by the weighted
    composite under the quotas, with a waitlist."""
    fit = calibrate(*reviews, n_applications=n_applications, n_reviewers=n_reviewers,
                    n_criteria=n_criteria, scale=scale)  # fmt: skip
    sel = select(fit.composite(weights), capacity, groups=groups, quotas=quotas,
                 waitlist=waitlist, eligible=eligible)  # fmt: skip
    return fit, sel
