"""Reviewer calibration: each application's merit, net of harsh and lenient reviewers.

The model, for one score ``y`` that reviewer ``r`` gave application ``a`` on criterion
``c``::

    y = mu[c] + m[a, c] + b[r] + d[r, c] + noise,    noise ~ N(0, s[r]^2)

``mu`` is the criterion's mean, ``m`` the application's merit above it, ``b`` the
reviewer's overall harshness (negative) or leniency (positive), ``d`` the reviewer's own
view of one criterion, and ``s[r]`` how noisy the reviewer is. ``m``, ``b`` and ``d``
are random effects with variances ``tau_m[c]^2``, ``tau_b^2`` and ``tau_d^2``: each is
shrunk towards zero by as much as its evidence is thin (an application with one review,
a reviewer with three), which is what keeps a single harsh review, or a reviewer seen
only once, from moving anything far.

Fitting is penalised least squares on the sparse design, solved by backfitting (block
Gauss-Seidel: each block's update is a weighted, shrunk group mean computed with
``np.bincount``), with the variances re-estimated between rounds by expectation-
maximisation (empirical Bayes). Nothing here loops over scores in Python.

The standard error of a merit combines its own posterior variance with the uncertainty
of the reviewer effects that were subtracted from its scores. Degenerate input gives a
clear result or a :class:`CalibrationError`, never a silent NaN: an application with no
review gets the criterion's mean and the prior's spread as its error (``n_reviews`` says
which); all scores equal give that score with a tiny error; a score outside the scale,
an index out of range, a repeated score or a non-finite value is refused by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MAX_ROUNDS = 20  # variance re-estimations (empirical Bayes)
SWEEPS_PER_ROUND = 60  # backfitting sweeps at most between two re-estimations
TOLERANCE = 1e-6  # of the scale's range: the largest change of any effect that ends a round
SETTLED = 1e-3  # of the scale's range: merits that move less between rounds have converged
NOISE_PRIOR = 8.0  # a reviewer's noise is shrunk towards the panel's as if by 8 scores


class CalibrationError(ValueError):
    """Input that cannot be calibrated; the message names the argument and the rule."""


@dataclass(frozen=True)
class Calibration:
    """The result of :func:`calibrate`. Arrays are float64."""

    merit: np.ndarray  # (n_applications, n_criteria), on the criterion's scale
    stderr: np.ndarray  # same shape
    reviewer_bias: np.ndarray  # (n_reviewers, n_criteria): b[r] + d[r, c]
    reviewer_offset: np.ndarray  # (n_reviewers,): b[r], the part common to all criteria
    reviewer_bias_stderr: np.ndarray  # (n_reviewers, n_criteria)
    reviewer_noise: np.ndarray  # (n_reviewers,): s[r]
    criterion_mean: np.ndarray  # (n_criteria,): mu
    n_reviews: np.ndarray  # (n_applications,) int: reviewers who scored the application
    reviewer_scores: np.ndarray  # (n_reviewers,) int: scores each reviewer gave
    residual_correlation: np.ndarray  # (n_criteria, n_criteria): of one review's noise
    variances: dict[str, float | list[float]] = field(default_factory=dict)
    scale: tuple[float, float] = (1.0, 10.0)
    sweeps: int = 0
    converged: bool = True

    @property
    def shape(self) -> tuple[int, int]:
        return self.merit.shape

    def composite(self, weights) -> np.ndarray:
        """(n_applications,): the weighted sum of merits."""
        return self.merit @ _weights(weights, self.merit.shape[1])

    def composite_stderr(self, weights) -> np.ndarray:
        """(n_applications,): the standard error of :meth:`composite`, with the noise's
        correlation between criteria of one review (a reviewer who likes an application
        tends to like it on every criterion)."""
        w = _weights(weights, self.merit.shape[1])
        scaled = self.stderr * w
        return np.sqrt(np.maximum(0.0, np.einsum("ac,cd,ad->a", scaled,
                                                 self.residual_correlation, scaled)))  # fmt: skip


def calibrate(
    application,
    reviewer,
    criterion,
    score,
    *,
    n_applications: int,
    n_reviewers: int,
    n_criteria: int,
    scale: tuple[float, float] = (1, 10),
) -> Calibration:
    """Fit the model above to scores given as four equal-length arrays (one row a score).

    Raises CalibrationError naming the argument at fault.
    """
    a, r, c, y = _check(application, reviewer, criterion, score, n_applications, n_reviewers,
                        n_criteria, scale)  # fmt: skip
    lo, hi = float(scale[0]), float(scale[1])
    floor = (1e-3 * (hi - lo)) ** 2  # no variance below this: all-equal scores stay finite
    n, m, k = n_applications, n_reviewers, n_criteria
    ac = a * k + c  # cell of (application, criterion)
    rc = r * k + c

    mu = np.array([y[c == j].mean() if np.any(c == j) else (lo + hi) / 2 for j in range(k)])
    spread = max(float(y.var()), floor)
    tau_m = np.full(k, spread / 2)
    tau_b = tau_d = spread / 4
    sigma2_r = np.full(m, spread / 2)
    merit = np.zeros(n * k)
    offset = np.zeros(m)
    own = np.zeros(m * k)
    sweeps, converged = 0, False
    tolerance, settled = TOLERANCE * (hi - lo), SETTLED * (hi - lo)
    last_round = merit.copy()
    for _round in range(MAX_ROUNDS):
        w = 1.0 / sigma2_r[r]
        cell_w = np.bincount(ac, weights=w, minlength=n * k)
        rev_w = np.bincount(r, weights=w, minlength=m)
        own_w = np.bincount(rc, weights=w, minlength=m * k)
        prior_m = 1.0 / np.repeat(tau_m[None, :], n, axis=0).ravel()
        for _sweep in range(SWEEPS_PER_ROUND):
            sweeps += 1
            before = (merit.copy(), offset.copy(), own.copy())
            base = y - offset[r] - own[rc]
            mu = _group_mean(base - merit[ac], c, w, k, mu)
            merit = np.bincount(ac, weights=w * (base - mu[c]), minlength=n * k) / (
                cell_w + prior_m
            )
            rest = y - mu[c] - merit[ac]
            offset = np.bincount(r, weights=w * (rest - own[rc]), minlength=m) / (
                rev_w + 1.0 / tau_b
            )
            own = np.bincount(rc, weights=w * (rest - offset[r]), minlength=m * k) / (
                own_w + 1.0 / tau_d
            )
            change = max(
                np.abs(merit - before[0]).max(initial=0.0),
                np.abs(offset - before[1]).max(initial=0.0),
                np.abs(own - before[2]).max(initial=0.0),
            )
            if change < tolerance:
                break
        # Posterior variances given the others, then EM updates of the variances.
        v_m = 1.0 / (cell_w + prior_m)
        v_b = 1.0 / (rev_w + 1.0 / tau_b)
        v_d = 1.0 / (own_w + 1.0 / tau_d)
        reviewed = (cell_w > 0).reshape(n, k)
        cells = (merit**2 + v_m).reshape(n, k)
        new_tau_m = np.array(
            [
                cells[reviewed[:, j], j].mean() if reviewed[:, j].any() else tau_m[j]
                for j in range(k)
            ]
        )
        new_tau_m = np.maximum(new_tau_m, floor)
        new_tau_b = max(float(np.mean(offset[rev_w > 0] ** 2 + v_b[rev_w > 0])), floor)
        new_tau_d = max(float(np.mean(own[own_w > 0] ** 2 + v_d[own_w > 0])), floor)
        resid = y - mu[c] - merit[ac] - offset[r] - own[rc]
        spent = resid**2 + v_m[ac] + v_b[r] + v_d[rc]
        panel = max(float(spent.mean()), floor)
        per_reviewer = np.bincount(r, weights=spent, minlength=m)
        counts = np.bincount(r, minlength=m)
        new_sigma2_r = np.maximum((per_reviewer + NOISE_PRIOR * panel) / (counts + NOISE_PRIOR),
                                  floor)  # fmt: skip
        drift = float(np.abs(merit - last_round).max(initial=0.0))
        last_round = merit.copy()
        tau_m, tau_b, tau_d, sigma2_r = new_tau_m, new_tau_b, new_tau_d, new_sigma2_r
        if _round > 0 and drift < settled and change < tolerance:
            converged = True
            break

    # Final posterior quantities with the final variances.
    w = 1.0 / sigma2_r[r]
    cell_w = np.bincount(ac, weights=w, minlength=n * k)
    prior_m = 1.0 / np.repeat(tau_m[None, :], n, axis=0).ravel()
    v_m = 1.0 / (cell_w + prior_m)
    v_b = 1.0 / (np.bincount(r, weights=w, minlength=m) + 1.0 / tau_b)
    v_d = 1.0 / (np.bincount(rc, weights=w, minlength=m * k) + 1.0 / tau_d)
    share = w * v_m[ac]  # how much of the cell's estimate each score carries
    borrowed = np.bincount(ac, weights=share**2 * (v_b[r] + v_d[rc]), minlength=n * k)
    stderr = np.sqrt(v_m + borrowed).reshape(n, k)
    resid = y - mu[c] - merit[ac] - offset[r] - own[rc]
    result = Calibration(
        merit=mu[None, :] + merit.reshape(n, k),
        stderr=stderr,
        reviewer_bias=offset[:, None] + own.reshape(m, k),
        reviewer_offset=offset,
        reviewer_bias_stderr=np.sqrt(v_b[:, None] + v_d.reshape(m, k)),
        reviewer_noise=np.sqrt(sigma2_r),
        criterion_mean=mu,
        n_reviews=_reviewers_per_application(a, r, n, m),
        reviewer_scores=np.bincount(r, minlength=m),
        residual_correlation=_residual_correlation(resid, a, r, c, m, k),
        variances={
            "merit": [float(t) for t in tau_m],
            "reviewer_offset": float(tau_b),
            "reviewer_criterion": float(tau_d),
            "noise": float(np.median(sigma2_r)),
        },
        scale=(lo, hi),
        sweeps=sweeps,
        converged=converged,
    )
    if not (np.all(np.isfinite(result.merit)) and np.all(np.isfinite(result.stderr))):
        raise CalibrationError("the fit did not produce finite merits; please report this input")
    return result


# -- pieces ---------------------------------------------------------------------------


def _group_mean(values, groups, weights, k, fallback) -> np.ndarray:
    total = np.bincount(groups, weights=weights, minlength=k)
    sums = np.bincount(groups, weights=weights * values, minlength=k)
    out = np.array(fallback, dtype=float)
    has = total > 0
    out[has] = sums[has] / total[has]
    return out


def _reviewers_per_application(a, r, n, m) -> np.ndarray:
    pairs = np.unique(a.astype(np.int64) * m + r)
    return np.bincount(pairs // m, minlength=n)


def _residual_correlation(resid, a, r, c, m, k) -> np.ndarray:
    """Correlation across criteria of one review's residuals (identity when unknown)."""
    if k == 1:
        return np.ones((1, 1))
    review, row = np.unique(a.astype(np.int64) * m + r, return_inverse=True)
    table = np.full((len(review), k), np.nan)
    table[row, c] = resid
    complete = table[~np.isnan(table).any(axis=1)]
    if len(complete) < k + 2:
        return np.eye(k)
    sd = complete.std(axis=0)
    if np.any(sd <= 0):
        return np.eye(k)
    corr = np.corrcoef(complete, rowvar=False)
    return np.clip(np.nan_to_num(corr, nan=0.0), -1.0, 1.0)


def _weights(weights, k: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.shape != (k,):
        raise CalibrationError(f"weights: need one per criterion ({k}), got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise CalibrationError("weights: must be finite and not negative")
    return w


def _check(application, reviewer, criterion, score, n_applications, n_reviewers, n_criteria,
           scale):  # fmt: skip
    sizes = {"n_applications": n_applications, "n_reviewers": n_reviewers,
             "n_criteria": n_criteria}  # fmt: skip
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise CalibrationError(f"{name}: must be a whole number of at least 1 (got {value!r})")
    try:
        lo, hi = (float(x) for x in scale)
    except (TypeError, ValueError):
        raise CalibrationError(f"scale: must be (lowest, highest), got {scale!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise CalibrationError(f"scale: the lowest must be below the highest (got {scale!r})")
    arrays = {}
    for name, values, limit in (
        ("application", application, n_applications),
        ("reviewer", reviewer, n_reviewers),
        ("criterion", criterion, n_criteria),
    ):
        array = np.asarray(values)
        if array.ndim != 1:
            raise CalibrationError(f"{name}: must be one-dimensional (got shape {array.shape})")
        whole = np.issubdtype(array.dtype, np.integer) or (
            np.issubdtype(array.dtype, np.floating) and np.all(array == np.round(array))
        )
        if array.size and not whole:
            raise CalibrationError(f"{name}: must hold whole-number indices")
        array = array.astype(np.int64)
        bad = np.flatnonzero((array < 0) | (array >= limit))
        if bad.size:
            i = bad[0]
            raise CalibrationError(
                f"{name}: index {array[i]:,} at position {i:,} is outside 0..{limit - 1:,} "
                f"(n_{name}s is {limit:,})"
            )
        arrays[name] = array
    y = np.asarray(score, dtype=float)
    if y.ndim != 1:
        raise CalibrationError(f"score: must be one-dimensional (got shape {y.shape})")
    lengths = {len(v) for v in arrays.values()} | {len(y)}
    if len(lengths) != 1:
        shown = ", ".join(f"{k} {len(v):,}" for k, v in arrays.items())
        raise CalibrationError(f"the four arrays must have equal lengths (got {shown}, "
                               f"score {len(y):,})")  # fmt: skip
    if len(y) == 0:
        raise CalibrationError("score: no scores to calibrate")
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise CalibrationError(f"score: {y[bad[0]]} at position {bad[0]:,} is not a number")
    bad = np.flatnonzero((y < lo) | (y > hi))
    if bad.size:
        i = bad[0]
        raise CalibrationError(
            f"score: {y[i]:g} at position {i:,} is outside the scale {lo:g} to {hi:g}"
        )
    a, r, c = arrays["application"], arrays["reviewer"], arrays["criterion"]
    key = (a * n_reviewers + r) * n_criteria + c
    unique, first, counts = np.unique(key, return_index=True, return_counts=True)
    if len(unique) < len(key):
        i = first[np.flatnonzero(counts > 1)[0]]
        raise CalibrationError(
            f"score: application {a[i]:,} has two scores from reviewer {r[i]:,} on criterion "
            f"{c[i]:,}"
        )
    return a, r, c, y
