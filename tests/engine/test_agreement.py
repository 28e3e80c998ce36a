import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascent.engine.agreement import krippendorff_alpha_interval


def brute_force(unit, value):
    groups = {}
    for u, v in zip(unit, value, strict=True):
        groups.setdefault(u, []).append(v)
    groups = {u: vs for u, vs in groups.items() if len(vs) >= 2}
    values = [v for vs in groups.values() for v in vs]
    n = len(values)
    observed = sum(sum((a - b) ** 2 for a, b in itertools.permutations(vs, 2)) / (len(vs) - 1)
                   for vs in groups.values()) / n  # fmt: skip
    expected = sum((a - b) ** 2 for a, b in itertools.permutations(values, 2)) / (n * (n - 1))
    return 1 - observed / expected


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 10)), min_size=4, max_size=30))
def test_alpha_equals_the_pairwise_definition(pairs):
    unit = [u for u, _ in pairs]
    value = [v for _, v in pairs]
    alpha = krippendorff_alpha_interval(unit, value)
    counts = {u: unit.count(u) for u in set(unit)}
    kept = [v for u, v in pairs if counts[u] >= 2]
    if len({u for u in unit if counts[u] >= 2}) < 2 or len(set(kept)) < 2:
        assert np.isnan(alpha)
    else:
        assert alpha == pytest.approx(brute_force(unit, value), abs=1e-9)


def test_perfect_agreement_and_noise():
    rng = np.random.default_rng(0)
    unit = np.repeat(np.arange(200), 3)
    truth = rng.normal(5, 2, 200)
    assert krippendorff_alpha_interval(unit, truth[unit]) == pytest.approx(1.0)
    noisy = truth[unit] + rng.normal(0, 2, len(unit))
    assert 0.3 < krippendorff_alpha_interval(unit, noisy) < 0.7  # signal and noise alike
    assert np.isnan(krippendorff_alpha_interval([0, 1], [3, 4]))  # nobody scored twice
