"""Calibration: recovers merit net of reviewer bias, honest errors, clear degenerate cases."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from ascent.engine.calibration import CalibrationError, calibrate
from ascent.engine.world import generate_world


def long_format(cycle, k):
    app = np.repeat(cycle.review_application, k)
    rev = np.repeat(cycle.review_reviewer, k)
    cri = np.tile(np.arange(k), len(cycle.review_application))
    return app, rev, cri, cycle.scores.ravel().astype(float)


def fitted(bias: float, seed: int = 3):
    world = generate_world(seed=seed, cycles=1, applicants_per_cycle=1500, reviewers=90,
                           reviewer_bias=bias)  # fmt: skip
    cycle = world.cycles[0]
    k = len(world.criteria)
    fit = calibrate(*long_format(cycle, k), n_applications=len(cycle.person),
                    n_reviewers=len(world.reviewers.name), n_criteria=k)  # fmt: skip
    return world, cycle, fit


@pytest.mark.parametrize("bias", [0.0, 1.4])
def test_calibrated_merit_beats_the_raw_mean_when_reviewers_are_biased(bias):
    world, cycle, fit = fitted(bias)
    reviewed = cycle.eligible & (fit.n_reviews > 0)
    truth = (cycle.true_merit @ world.weights)[reviewed]
    raw = spearmanr(truth, cycle.raw_composite[reviewed])[0]
    calibrated = spearmanr(truth, fit.composite(world.weights)[reviewed])[0]
    if bias:
        assert calibrated > raw + 0.1
        learned = np.corrcoef(fit.reviewer_bias.ravel(), world.reviewers.bias.ravel())[0, 1]
        assert learned > 0.95
    else:
        assert calibrated >= raw - 0.005  # no worse without bias
        assert fit.variances["reviewer_offset"] < 0.05
    assert fit.converged


def test_standard_errors_are_honest():
    _world, cycle, fit = fitted(0.7)
    reviewed = cycle.eligible & (fit.n_reviews > 0)
    z = (fit.merit[reviewed] - cycle.true_merit[reviewed]) / fit.stderr[reviewed]
    coverage = np.mean(np.abs(z) < 1.96)
    assert 0.9 < coverage < 0.98


def test_an_application_without_review_gets_the_prior_and_is_marked():
    app = np.array([0, 0, 1, 1, 2, 2])
    rev = np.array([0, 1, 0, 1, 0, 1])
    score = np.array([7.0, 8.0, 4.0, 5.0, 6.0, 6.0])
    fit = calibrate(app, rev, np.zeros(6, int), score, n_applications=4, n_reviewers=2,
                    n_criteria=1)  # fmt: skip
    assert fit.n_reviews.tolist() == [2, 2, 2, 0]
    assert fit.merit[3, 0] == pytest.approx(fit.criterion_mean[0])
    assert fit.stderr[3, 0] > fit.stderr[:3, 0].max()
    assert np.all(np.isfinite(fit.merit))
    assert fit.merit[0, 0] > fit.merit[2, 0] > fit.merit[1, 0]


def test_all_scores_equal_give_that_score_with_a_tiny_error():
    app, rev = np.repeat(np.arange(5), 2), np.tile([0, 1], 5)
    fit = calibrate(app, rev, np.zeros(10, int), np.full(10, 6.0), n_applications=5,
                    n_reviewers=2, n_criteria=1)  # fmt: skip
    assert np.allclose(fit.merit, 6.0)
    assert np.all(np.isfinite(fit.stderr))
    assert fit.stderr.max() < 0.05


def test_a_reviewer_with_one_review_is_shrunk_not_trusted():
    rng = np.random.default_rng(0)
    app = np.repeat(np.arange(40), 3)
    rev = np.tile([0, 1, 2], 40)
    score = np.clip(np.rint(5 + rng.normal(0, 1, 120)), 1, 10)
    app, rev, score = np.r_[app, 0], np.r_[rev, 3], np.r_[score, 1.0]  # one harsh score
    fit = calibrate(app, rev, np.zeros(len(app), int), score, n_applications=40,
                    n_reviewers=4, n_criteria=1)  # fmt: skip
    assert fit.reviewer_scores[3] == 1
    assert abs(fit.reviewer_bias[3, 0]) < 2.0  # a single 1 is not taken at face value
    assert np.all(np.isfinite(fit.reviewer_bias))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"score": [1.0, 11.0]}, "score: 11 at position 1 is outside the scale 1 to 10"),
        ({"score": [1.0, float("nan")]}, "score: nan at position 1 is not a number"),
        ({"application": [0, 5]}, "application: index 5 at position 1 is outside 0..2"),
        ({"reviewer": [0, -1]}, "reviewer: index -1 at position 1 is outside 0..1"),
        ({"criterion": [0.5, 0]}, "criterion: must hold whole-number indices"),
        ({"score": [1.0]}, "the four arrays must have equal lengths"),
        ({"application": [1, 1], "reviewer": [0, 0]}, "application 1 has two scores from reviewer 0"),
        ({"application": [], "reviewer": [], "criterion": [], "score": []}, "no scores to calibrate"),
        ({"n_reviewers": 0}, "n_reviewers: must be a whole number of at least 1"),
        ({"scale": (10, 1)}, "scale: the lowest must be below the highest"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_by_name(change, message):
    arguments = {"application": [0, 1], "reviewer": [0, 1], "criterion": [0, 0],
                 "score": [5.0, 6.0], "n_applications": 3, "n_reviewers": 2, "n_criteria": 1,
                 "scale": (1, 10)} | change  # fmt: skip
    arrays = [arguments.pop(name) for name in ("application", "reviewer", "criterion", "score")]
    with pytest.raises(CalibrationError, match=message.replace("(", r"\(").replace(".", r"\.")):
        calibrate(*arrays, **arguments)


def test_the_same_input_gives_the_same_fit():
    _w, _c, first = fitted(0.7, seed=5)
    _w, _c, second = fitted(0.7, seed=5)
    assert np.array_equal(first.merit, second.merit)
    assert np.array_equal(first.stderr, second.stderr)
