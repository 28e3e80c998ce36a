"""Selection under capacity and quotas, and the noise audit of that selection.

``select`` takes exactly ``capacity`` eligible applications with the largest summed
score such that every group's count lies within its quota (``{"pilot": (3, None)}``:
at least 3 pilots). Groups are disjoint labels, one per application; for them the
greedy rule is exact: each group's best ``min`` are in, then the best of the rest in
score order while their group is under its ``max`` (an exchange argument: any optimal
set can be turned into this one without lowering its sum). Ties go to the lower index,
so the result is deterministic.

``audit`` asks how much of that decision is noise: it draws plausible merits from the
calibration's uncertainty (and, with ``resample=True``, resamples each application's
reviews), re-runs the same selection each time, and reports each application's
probability of being selected and the expected share of the selected set that a re-run
selects again: the measure of the NeurIPS 2014 and 2021 consistency experiments.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np

BORDERLINE = 0.1  # a decision is borderline when a re-run flips it this often or more


class SelectionError(ValueError):
    """A selection that cannot be made; the message says why in the program's words."""


@dataclass(frozen=True)
class Selection:
    selected: np.ndarray  # int indices, best first
    waitlist: np.ndarray  # int indices, in order
    cutoff: float  # the score of the last selected (nan when none is)
    score: np.ndarray  # (n,) the scores selected on
    eligible: np.ndarray  # (n,) bool: who could be selected
    capacity: int
    rank: np.ndarray  # (n,) 1 = best eligible score; 0 = not eligible
    group_counts: dict = field(default_factory=dict)  # label -> selected of that group
    passed_over: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # eligible, not selected, yet scored above the cutoff: their group was full

    @property
    def is_selected(self) -> np.ndarray:
        mask = np.zeros(len(self.score), dtype=bool)
        mask[self.selected] = True
        return mask


@dataclass(frozen=True)
class _Quotas:
    index: np.ndarray  # (n,) group index of each application, -1 when none
    labels: list
    low: np.ndarray  # (g,)
    high: np.ndarray  # (g,) (a large number when unbounded)


@dataclass(frozen=True)
class Audit:
    p_selected: np.ndarray  # (n,) share of draws in which the application was selected
    expected_overlap: float  # mean share of the selected set selected again by a re-run
    overlap_sd: float  # its spread across draws
    borderline: np.ndarray  # (n,) bool: decisions a re-run flips at least 10% of the time
    cutoff_interval: tuple[float, float]  # the cutoff's 5th and 95th percentile in draws
    draws: int
    seed: int
    resample: bool

    @property
    def borderline_count(self) -> int:
        return int(self.borderline.sum())


def select(
    score,
    capacity: int,
    *,
    eligible=None,
    groups=None,
    quotas: Mapping[Hashable, tuple[int | None, int | None]] | None = None,
    waitlist: int | None = None,
) -> Selection:
    """Select ``capacity`` eligible applications by ``score`` under ``quotas`` (all of
    them when fewer are eligible than there are seats).

    ``waitlist`` is how many to keep in order after the selected (default half the
    capacity, at least one). Raises SelectionError when it cannot be done.
    """
    score = np.asarray(score, dtype=float)
    if score.ndim != 1:
        raise SelectionError(f"score: must be one-dimensional (got shape {score.shape})")
    n = len(score)
    mask = _eligible(eligible, n)
    capacity = _whole("capacity", capacity, 1)
    waiting = max(1, capacity // 2) if waitlist is None else _whole("waitlist", waitlist, 0)
    unscored = np.flatnonzero(mask & ~np.isfinite(score))
    if unscored.size:
        raise SelectionError(
            f"score: eligible application {unscored[0]:,} has no score (not reviewed?); "
            "leave it out of eligible or score it"
        )
    spec = _quotas(groups, quotas, n)
    # fewer eligible applications than seats: every one of them is selected
    capacity = min(capacity, int(mask.sum())) or capacity
    _check_feasible(spec, mask, capacity)
    chosen = _select_mask(score, mask, capacity, spec)
    selected = _ordered(np.flatnonzero(chosen), score)
    rest = _ordered(np.flatnonzero(mask & ~chosen), score)
    cutoff = float(score[selected[-1]]) if len(selected) else float("nan")
    ranked = _ordered(np.flatnonzero(mask), score)
    rank = np.zeros(n, dtype=np.int64)
    rank[ranked] = np.arange(1, len(ranked) + 1)
    counts = {}
    if spec is not None:
        per_group = np.bincount(spec.index[selected][spec.index[selected] >= 0],
                                minlength=len(spec.labels))  # fmt: skip
        counts = {label: int(c) for label, c in zip(spec.labels, per_group, strict=True)}
    return Selection(
        selected=selected,
        waitlist=rest[:waiting],
        cutoff=cutoff,
        score=score.copy(),
        eligible=mask,
        capacity=capacity,
        rank=rank,
        group_counts=counts,
        passed_over=rest[score[rest] > cutoff],
    )


def audit(
    fit,
    weights,
    capacity: int,
    *,
    eligible=None,
    groups=None,
    quotas=None,
    draws: int = 1000,
    seed: int = 0,
    resample: bool = False,
    reviews=None,
    chunk: int = 50,
) -> Audit:
    """Re-run the selection on ``draws`` plausible versions of the merits.

    Each draw perturbs every application's composite by its calibrated uncertainty
    (``fit.composite_stderr(weights)``: merit error, reviewer-effect error, and the
    correlation of criteria within one review). With ``resample=True`` and ``reviews``
    (the calibrate inputs ``(application, reviewer, criterion, score)``), each draw
    instead resamples each application's reviews with replacement, scores them net of
    the fitted reviewer effects and shrinks them as the fit did, then adds the error
    of the reviewer effects. The same seed gives the same audit.
    """
    w = np.asarray(weights, dtype=float)
    composite = fit.composite(w)
    n = len(composite)
    mask = _eligible(eligible, n) & (fit.n_reviews > 0)
    draws = _whole("draws", draws, 1)
    capacity = _whole("capacity", capacity, 1)
    spec = _quotas(groups, quotas, n)
    # fewer eligible applications than seats: every one of them is selected
    capacity = min(capacity, int(mask.sum())) or capacity
    _check_feasible(spec, mask, capacity)
    actual = _select_mask(composite, mask, capacity, spec)
    rng = np.random.default_rng(seed)
    sd = fit.composite_stderr(w)
    sampler = _review_sampler(fit, w, reviews, rng) if resample else None
    if resample and sampler is None:
        raise SelectionError("reviews: resample=True needs the calibrate inputs as reviews=")
    hits = np.zeros(n, dtype=np.int64)
    overlaps = np.empty(draws)
    cutoffs = np.empty(draws)
    done = 0
    while done < draws:
        size = min(chunk, draws - done)
        if sampler is None:
            noisy = composite[None, :] + rng.standard_normal((size, n)) * sd[None, :]
        else:
            noisy = np.stack([sampler() for _ in range(size)])
        for row in noisy:
            chosen = _select_mask(row, mask, capacity, spec)
            hits += chosen
            overlaps[done] = np.count_nonzero(chosen & actual) / capacity
            cutoffs[done] = row[chosen].min()
            done += 1
    p = hits / draws
    flipped = np.where(actual, 1.0 - p, p)
    return Audit(
        p_selected=p,
        expected_overlap=float(overlaps.mean()),
        overlap_sd=float(overlaps.std()),
        borderline=mask & (flipped >= BORDERLINE),
        cutoff_interval=(float(np.quantile(cutoffs, 0.05)), float(np.quantile(cutoffs, 0.95))),
        draws=draws,
        seed=seed,
        resample=bool(resample),
    )


# -- the selection itself --------------------------------------------------------------


def _select_mask(score, mask, capacity, spec) -> np.ndarray:
    """Boolean (n,): the optimal selection (vectorised; called once per audit draw)."""
    n = len(score)
    candidates = np.flatnonzero(mask)
    order = candidates[np.lexsort((candidates, -score[candidates]))]
    chosen = np.zeros(n, dtype=bool)
    if spec is None:
        chosen[order[:capacity]] = True
        return chosen
    group = spec.index[order]
    within = _rank_within(group)
    known = group >= 0
    low = np.where(known, spec.low[np.maximum(group, 0)], 0)
    high = np.where(known, spec.high[np.maximum(group, 0)], n)
    must = within < low
    chosen[order[must]] = True
    free = capacity - int(must.sum())
    optional = order[~must & (within < high)]
    chosen[optional[:free]] = True
    return chosen


def _rank_within(group: np.ndarray) -> np.ndarray:
    """For a sequence of group labels: how many earlier items share each one's label."""
    order = np.argsort(group, kind="stable")
    sorted_groups = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    ranks = np.empty(len(group), dtype=np.int64)
    ranks[order] = np.arange(len(group)) - first
    return ranks


def _ordered(indices: np.ndarray, score: np.ndarray) -> np.ndarray:
    return indices[np.lexsort((indices, -score[indices]))]


def _check_feasible(spec, mask, capacity) -> None:
    available = int(mask.sum())
    if available == 0:
        raise SelectionError("no eligible application to select from")
    if spec is None:
        return
    counts = np.bincount(spec.index[mask & (spec.index >= 0)], minlength=len(spec.labels))
    for label, low, have in zip(spec.labels, spec.low, counts, strict=True):
        if low > have:
            raise SelectionError(f"quota {_name(label)} needs {low:,}, only {have:,} eligible")
    floor = int(spec.low.sum())
    if floor > capacity:
        raise SelectionError(f"the quotas' minimums add up to {floor:,}; the capacity is "
                             f"{capacity:,}")  # fmt: skip
    ceiling = int(np.minimum(spec.high, counts).sum()) + int(np.sum(mask & (spec.index < 0)))
    if ceiling < capacity:
        raise SelectionError(
            f"the quotas' maximums allow only {ceiling:,} selected; the capacity is {capacity:,}"
        )


def _quotas(groups, quotas, n: int) -> _Quotas | None:
    if not quotas:
        return None
    if groups is None:
        raise SelectionError("groups: quotas need a group label for every application")
    labels_of = np.asarray(groups)
    if labels_of.shape != (n,):
        raise SelectionError(f"groups: need one label per application ({n:,}), got shape "
                             f"{labels_of.shape}")  # fmt: skip
    if not isinstance(quotas, Mapping):
        raise SelectionError("quotas: must map a group to (minimum, maximum)")
    labels, low, high = [], [], []
    index = np.full(n, -1, dtype=np.int64)
    for position, (label, bounds) in enumerate(quotas.items()):
        try:
            minimum, maximum = bounds
        except (TypeError, ValueError):
            raise SelectionError(f"quota {_name(label)}: must be (minimum, maximum); use None "
                                 "for no bound") from None  # fmt: skip
        minimum = 0 if minimum is None else _whole(f"quota {_name(label)} minimum", minimum, 0)
        maximum = n if maximum is None else _whole(f"quota {_name(label)} maximum", maximum, 0)
        if maximum < minimum:
            raise SelectionError(
                f"quota {_name(label)}: the maximum {maximum:,} is below the minimum {minimum:,}"
            )
        members = labels_of == label
        if not members.any():
            raise SelectionError(f"quota {_name(label)}: no application has this group")
        index[members] = position
        labels.append(label)
        low.append(minimum)
        high.append(maximum)
    return _Quotas(index, labels, np.array(low, np.int64), np.array(high, np.int64))


def _eligible(eligible, n: int) -> np.ndarray:
    if eligible is None:
        return np.ones(n, dtype=bool)
    mask = np.asarray(eligible)
    if mask.shape != (n,) or mask.dtype != bool:
        raise SelectionError(f"eligible: need a boolean per application ({n:,}), got "
                             f"{mask.dtype} of shape {mask.shape}")  # fmt: skip
    return mask.copy()


def _whole(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise SelectionError(f"{name}: must be a whole number of at least {minimum} "
                             f"(got {value!r})")  # fmt: skip
    return int(value)


def _name(label) -> str:
    return repr(label) if isinstance(label, str) else str(label)


def _review_sampler(fit, w, reviews, rng):
    """A function drawing one composite per application from resampled reviews.

    Each application's reviews (one per reviewer) are drawn with replacement; each
    counts net of its reviewer's fitted effects, and the mean is shrunk as much as the
    fit shrank it. The fitted reviewer effects are themselves uncertain: a normal draw
    with their standard errors is added.
    """
    if reviews is None:
        return None
    a, r, c, y = (np.asarray(x) for x in reviews)
    a, r, c, y = a.astype(np.int64), r.astype(np.int64), c.astype(np.int64), y.astype(float)
    n = fit.merit.shape[0]
    m = len(fit.reviewer_offset)
    review, row = np.unique(a * m + r, return_inverse=True)
    net = y - fit.reviewer_bias[r, c] - fit.criterion_mean[c]
    review_net = np.bincount(row, weights=w[c] * net, minlength=len(review))
    app_of, rev_of = review // m, review % m  # sorted by application already
    counts = np.bincount(app_of, minlength=n)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    mean_net = np.bincount(app_of, weights=review_net, minlength=n) / np.maximum(counts, 1)
    base = float(w @ fit.criterion_mean)
    shrunk = fit.composite(w) - base
    shrink = np.clip(np.divide(shrunk, mean_net, out=np.ones(n), where=np.abs(mean_net) > 1e-9),
                     0.0, 1.0)  # fmt: skip
    effect_sd = fit.reviewer_bias_stderr[rev_of] @ w
    bias_sd = (
        shrink
        * np.sqrt(np.bincount(app_of, weights=effect_sd**2, minlength=n))
        / np.maximum(counts, 1)
    )

    def draw() -> np.ndarray:
        pick = starts[app_of] + np.floor(rng.random(len(app_of)) * counts[app_of]).astype(np.int64)
        sums = np.bincount(app_of, weights=review_net[pick], minlength=n)
        return base + shrink * sums / np.maximum(counts, 1) + bias_sd * rng.standard_normal(n)

    return draw
