"""Selection under quotas (exact, deterministic) and the noise audit."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascent.engine.calibration import calibrate
from ascent.engine.selection import SelectionError, audit, select
from ascent.engine.world import generate_world


def test_the_best_are_selected_best_first_with_a_waitlist():
    score = np.array([5.0, 9.0, 7.0, 9.0, 1.0, 6.0])
    sel = select(score, 3, waitlist=2)
    assert sel.selected.tolist() == [1, 3, 2]  # the tie goes to the lower index
    assert sel.waitlist.tolist() == [5, 0]
    assert sel.cutoff == 7.0
    assert sel.rank.tolist() == [5, 1, 3, 2, 6, 4]


def test_ineligible_applications_are_never_selected():
    score = np.array([9.0, 8.0, 7.0, float("nan")])
    sel = select(score, 2, eligible=np.array([False, True, True, False]))
    assert sel.selected.tolist() == [1, 2]
    assert sel.rank[0] == 0


def test_quotas_are_met_and_the_sum_is_the_best_possible():
    # Three pilots, five scientists; at least 2 pilots and at most 2 scientists among 4.
    score = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=float)
    groups = np.array(["sci", "sci", "sci", "pilot", "sci", "pilot", "pilot", "sci"])
    sel = select(score, 4, groups=groups, quotas={"pilot": (2, None), "sci": (None, 2)})
    assert sel.selected.tolist() == [0, 1, 3, 5]
    assert sel.group_counts == {"pilot": 2, "sci": 2}
    assert sel.passed_over.tolist() == [2, 4]  # scored above the cutoff, group full
    assert sel.cutoff == 4.0


@settings(max_examples=150, deadline=None)
@given(
    scores=st.lists(st.integers(0, 20), min_size=1, max_size=9),
    data=st.data(),
)
def test_greedy_selection_equals_brute_force(scores, data):
    n = len(scores)
    score = np.array(scores, dtype=float)
    groups = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    capacity = data.draw(st.integers(1, n))
    quotas = {}
    for g in range(3):
        if data.draw(st.booleans()):
            low = data.draw(st.integers(0, 3))
            high = data.draw(st.one_of(st.none(), st.integers(low, 5)))
            quotas[g] = (low, high)

    def feasible(subset):
        for g, (low, high) in quotas.items():
            count = sum(groups[i] == g for i in subset)
            if count < low or (high is not None and count > high):
                return False
        return True

    best = max((sum(score[list(s)]) for s in itertools.combinations(range(n), capacity)
                if feasible(s)), default=None)  # fmt: skip
    present = {g: q for g, q in quotas.items() if np.any(groups == g)}
    missing = set(quotas) - set(present)
    try:
        sel = select(score, capacity, groups=groups, quotas=quotas)
    except SelectionError:
        assert best is None or missing
        return
    assert not missing
    assert best is not None
    assert len(sel.selected) == capacity
    assert len(set(sel.selected.tolist())) == capacity
    assert feasible(sel.selected.tolist())
    assert score[sel.selected].sum() == best


def test_fewer_eligible_than_seats_selects_every_one_of_them():
    """Issue #16: the selection refused instead of selecting all."""
    sel = select(np.array([4.0, 3.0, 2.0, 1.0]), 5, eligible=np.array([1, 1, 0, 1], dtype=bool))
    assert sel.selected.tolist() == [0, 1, 3]
    assert sel.waitlist.tolist() == []
    assert sel.cutoff == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"eligible": np.zeros(4, dtype=bool)}, "no eligible application to select from"),
        ({"quotas": {"pilot": (3, None)}}, "quota 'pilot' needs 3, only 2 eligible"),
        ({"quotas": {"pilot": (2, None), "sci": (2, None)}, "capacity": 3},
         "the quotas' minimums add up to 4; the capacity is 3"),
        ({"quotas": {"pilot": (0, 1), "sci": (0, 1)}, "capacity": 3},
         "the quotas' maximums allow only 2 selected; the capacity is 3"),
        ({"quotas": {"pilot": (2, 1)}}, "quota 'pilot': the maximum 1 is below the minimum 2"),
        ({"quotas": {"pilot": 2}}, "quota 'pilot': must be (minimum, maximum)"),
        ({"quotas": {"medic": (1, None)}}, "quota 'medic': no application has this group"),
        ({"capacity": 0}, "capacity: must be a whole number of at least 1"),
        ({"score": [1.0, float("nan"), 2.0, 3.0]}, "eligible application 1 has no score"),
    ],
)  # fmt: skip
def test_impossible_selections_say_why(kwargs, message):
    arguments = {"score": [4.0, 3.0, 2.0, 1.0], "capacity": 2,
                 "groups": np.array(["pilot", "sci", "pilot", "sci"])} | kwargs  # fmt: skip
    score, capacity = arguments.pop("score"), arguments.pop("capacity")
    with pytest.raises(SelectionError) as caught:
        select(score, capacity, **arguments)
    assert message in str(caught.value)


@pytest.fixture(scope="module")
def calibrated():
    world = generate_world(seed=2, cycles=1, applicants_per_cycle=1500, reviewers=90)
    cycle = world.cycles[0]
    k = len(world.criteria)
    reviews = (np.repeat(cycle.review_application, k), np.repeat(cycle.review_reviewer, k),
               np.tile(np.arange(k), len(cycle.review_application)),
               cycle.scores.ravel().astype(float))  # fmt: skip
    fit = calibrate(*reviews, n_applications=len(cycle.person),
                    n_reviewers=len(world.reviewers.name), n_criteria=k)  # fmt: skip
    return world, cycle, fit, reviews


@pytest.mark.parametrize("resample", [False, True])
def test_the_audit_is_consistent_and_reproducible(calibrated, resample):
    world, cycle, fit, reviews = calibrated
    eligible = cycle.eligible & (fit.n_reviews > 0)
    sel = select(fit.composite(world.weights), 12, eligible=eligible)
    first = audit(fit, world.weights, 12, eligible=eligible, draws=300, seed=4,
                  resample=resample, reviews=reviews)  # fmt: skip
    again = audit(fit, world.weights, 12, eligible=eligible, draws=300, seed=4,
                  resample=resample, reviews=reviews)  # fmt: skip
    assert np.array_equal(first.p_selected, again.p_selected)
    assert first.p_selected.sum() == pytest.approx(12)  # every draw selects 12
    assert first.p_selected[~eligible].max() == 0
    # The decided set is, on average, the likeliest to be selected again.
    assert first.p_selected[sel.selected].mean() > 0.5
    assert first.expected_overlap == pytest.approx(first.p_selected[sel.selected].sum() / 12)
    assert 0.3 < first.expected_overlap < 1.0
    assert first.borderline_count > 0
    assert first.cutoff_interval[0] <= sel.cutoff + 0.5


def test_more_noise_means_less_overlap(calibrated):
    world, cycle, fit, _reviews = calibrated
    eligible = cycle.eligible & (fit.n_reviews > 0)
    noisy = type(fit)(**{**fit.__dict__, "stderr": fit.stderr * 3})
    calm = audit(fit, world.weights, 12, eligible=eligible, draws=200)
    loud = audit(noisy, world.weights, 12, eligible=eligible, draws=200)
    assert loud.expected_overlap < calm.expected_overlap


def test_the_audit_honours_quotas(calibrated):
    world, cycle, fit, _reviews = calibrated
    eligible = cycle.eligible & (fit.n_reviews > 0)
    groups = np.arange(len(eligible)) % 2
    result = audit(fit, world.weights, 10, eligible=eligible, groups=groups,
                   quotas={0: (5, 5), 1: (5, 5)}, draws=100)  # fmt: skip
    assert result.p_selected[groups == 0].sum() == pytest.approx(5)
    with pytest.raises(SelectionError, match="resample=True needs the calibrate inputs"):
        audit(fit, world.weights, 10, eligible=eligible, resample=True)
