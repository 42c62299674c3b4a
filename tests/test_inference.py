"""Family-wise error control: Holm by hand, sign flips, the paired t, cluster-mass p-values, calibration."""
import itertools

import numpy as np
import pytest
import scipy.stats

from rnnlib.statistics import inference, synthetic
from rnnlib.statistics.inference import (cluster_mass_test, holm, instance_correlations, paired_t, sign_flips,
                                         within_cell_link)


def test_holm_by_hand():
    # sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 -> raised to the running max 0.06
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.2, 0.9]) == pytest.approx([0.4, 0.9]) and holm([0.6, 0.7]).tolist() == [1.0, 1.0]  # monotone, capped
    out = holm([[0.01, np.nan], [0.02, 0.2]])                          # NaN ignored: m = 3
    assert out[0, 1] != out[0, 1] and out[0, 0] == pytest.approx(0.03) and out[1, 0] == pytest.approx(0.04)
    with pytest.raises(ValueError, match=r"p_values must lie in \[0, 1\]"):
        holm([0.1, 1.5])


def test_sign_flips_enumerate_half_the_patterns_then_sample():
    flips, exhaustive = sign_flips(4)
    assert exhaustive and flips.shape == (8, 4) and (flips[0] == 1).all() and (flips[:, 0] == 1).all()
    assert len({tuple(f) for f in flips}) == 8
    sampled, exhaustive = sign_flips(20, max_flips=100)
    assert not exhaustive and sampled.shape == (100, 20) and (sampled[0] == 1).all()
    assert np.array_equal(sampled, sign_flips(20, max_flips=100)[0])   # fixed seed
    assert not np.array_equal(sampled, sign_flips(20, max_flips=100, seed=1)[0])
    with pytest.raises(ValueError, match="n must be an integer"):
        sign_flips(0)


def test_paired_t_by_hand_and_under_flips():
    d = np.array([1.0, 2.0, 3.0, 4.0])
    t = paired_t(d, np.array([[1, 1, 1, 1], [1, -1, 1, -1]]))
    assert t[0] == pytest.approx(2.5 / (np.std(d, ddof=1) / 2))
    flipped = d * [1, -1, 1, -1]
    assert t[1] == pytest.approx(flipped.mean() / (np.std(flipped, ddof=1) / 2))
    assert paired_t(np.zeros(5))[0] == 0.0
    assert paired_t(np.full(5, 0.1))[0] == inference.T_CLIP            # zero variance, positive mean
    assert paired_t(np.array([1.0, np.nan, 2.0]))[0] == 0.0            # a missing instance: no cluster
    with pytest.raises(ValueError, match="at least 2 instances"):
        paired_t(np.ones(1))


def _brute_force_p(d, threshold):
    """Cluster p-values over all 2^n sign patterns, by a plain loop (scipy labelling, 4-neighbours)."""
    from scipy import ndimage

    def masses(x):
        t = paired_t(x)[0]
        out = []
        for side in (1, -1):
            lab, k = ndimage.label(side * t > threshold)
            out += [t[lab == j].sum() for j in range(1, k + 1)]
        return out
    null = [max([abs(m) for m in masses(d * np.array(s))] or [0.0])
            for s in itertools.product([1, -1], repeat=d.shape[-1])]
    return sorted(abs(m) for m in masses(d)), np.array(null)


def test_cluster_p_values_equal_the_full_enumeration():
    gen = np.random.default_rng(1)
    d = gen.normal(0, 1, (6, 5, 5))
    d[1:4, 1:3] += 1.5                                           # one patch with an effect
    test = cluster_mass_test(d, threshold=2.0)
    observed, null = _brute_force_p(d, 2.0)
    assert sorted(np.abs(test.mass)) == pytest.approx(observed)
    for m, p in zip(test.mass, test.p_value):
        assert p == pytest.approx(np.mean(null >= abs(m) - 1e-9))
    assert test.exhaustive and test.min_p == 1 / 16
    assert (np.diff(np.abs(test.mass)) <= 0).all()                   # labels numbered heaviest first


def test_clusters_join_edge_neighbours_of_one_sign_only():
    d = np.zeros((3, 3, 6))                                      # t = 0 wherever nothing is added
    noise = np.random.default_rng(2).normal(0, 0.1, (3, 6))
    d[0, 0] = 1.0 + noise[0]
    d[1, 1] = 1.0 + noise[1]                                     # diagonal to (0, 0): a separate cluster
    d[0, 1] = -1.0 + noise[2]                                    # edge neighbour of opposite sign: separate
    test = cluster_mass_test(d)
    assert test.threshold == pytest.approx(scipy.stats.t.ppf(0.975, 5))
    assert len(set(test.labels[[0, 1, 0], [0, 1, 1]])) == 3 and test.labels[2, 2] == 0
    assert sorted(np.sign(test.mass)) == [-1, 1, 1] and test.size.tolist() == [1, 1, 1]


def test_strong_cluster_reaches_the_smallest_attainable_p():
    d = np.random.default_rng(3).normal(0, 0.01, (21, 15, 6))
    d[5:10, 3:8] += 0.1
    test = cluster_mass_test(d)
    assert test.p_value[0] == test.min_p == 1 / 32
    with pytest.raises(ValueError, match="differences must be a"):
        cluster_mass_test(d[0])


def test_cluster_test_calibration_on_null_maps_like_the_paper():
    """Null maps with the paper layout (21 x 15 cells, 6 instances, neighbours correlated): rarely any cluster."""
    hits = []
    for seed in range(200):
        ds = synthetic.map_dataset("dale", 0.0, instances=6, seed=seed)
        acc = ds["accuracy"].transpose("balance", "strength", "dale", "instance").values
        hits.append(bool((cluster_mass_test(acc[:, :, 1] - acc[:, :, 0]).p_value < 0.05).any()))
    assert np.mean(hits) < 0.10


def test_instance_correlations():
    gen = np.random.default_rng(4)
    x = gen.normal(size=(8, 5))
    rho = instance_correlations(x, -x ** 3)                          # monotone decreasing within each instance
    assert rho == pytest.approx(np.full(5, -1.0))
    x[:, 2] = 1.0                                                   # constant in one instance
    assert np.isnan(instance_correlations(x, x)[2])
    with pytest.raises(ValueError, match="one shape"):
        instance_correlations(x, x[:3])


# --- the paired sign-flip test (issue 18, item 7) ---------------------------------------------------

def _brute_p(d, theta=0.0):
    """Two-sided sign-flip p of the mean of ``d - theta`` by listing all 2^n sign patterns one by one."""
    x = np.asarray(d, float) - theta
    total, tol = abs(x.sum()), 1e-9 * np.abs(x).sum()
    hits = [abs(np.dot(s, x)) >= total - tol for s in itertools.product((1.0, -1.0), repeat=x.size)]
    return sum(hits) / len(hits)


def _signed_ranks(d):
    d = np.asarray(d, float)
    return np.sign(d) * scipy.stats.rankdata(np.abs(d), axis=-1)


def test_sign_flip_test_on_signed_ranks_is_scipys_exact_wilcoxon():
    gen = np.random.default_rng(3)
    for n in (1, 2, 5, 9, 12, 16):
        d = gen.normal(0.3, 1.0, (40, n))                              # continuous: no ties, no zeros
        test = inference.sign_flip_test(_signed_ranks(d))
        exact = scipy.stats.wilcoxon(d, axis=1, method="exact").pvalue
        np.testing.assert_allclose(test.p_value, exact, rtol=1e-12)
        assert test.exhaustive.all() and (test.patterns == 2 ** (n - 1)).all()


def test_sign_flip_monte_carlo_beyond_sixteen_pairs_is_seeded_by_the_data():
    gen = np.random.default_rng(4)
    d = gen.normal(0.35, 1.0, (6, 20))
    test = inference.sign_flip_test(_signed_ranks(d))
    exact = scipy.stats.wilcoxon(d, axis=1, method="exact").pvalue
    se = np.sqrt(exact * (1 - exact) / inference.FLIP_SAMPLES)
    assert (np.abs(test.p_value - exact) <= 4 * se + 1 / inference.FLIP_SAMPLES).all()
    assert not test.exhaustive.any() and (test.patterns == inference.FLIP_SAMPLES).all()
    again = inference.sign_flip_test(d)
    shuffled = inference.sign_flip_test(-d[:, ::-1])                  # other instance order, other sign
    np.testing.assert_array_equal(again.p_value, shuffled.p_value)
    np.testing.assert_allclose(again.ci_low, -shuffled.ci_high)
    assert inference.sign_flip_test(d[2]).p_value[0] == again.p_value[2]   # a row does not depend on the others
    other = inference.sign_flip_test(d[2] + 1e-3)                      # other data, other patterns
    assert other.p_value[0] != again.p_value[2]


def test_sign_flip_p_equals_full_enumeration_with_ties_and_zeros():
    gen = np.random.default_rng(5)
    for n in (3, 6, 9, 11):
        d = gen.integers(-3, 5, (25, n)) / 7.0                        # many ties and zeros, steps not exact in binary
        test = inference.sign_flip_test(d)
        assert test.p_value.tolist() == [_brute_p(row) for row in d]


def test_sign_flip_p_by_hand():
    # |T_s| of (2, 2, -1, 3) reaches |T| = 6 for 4 of 16 patterns (8, 6, -6, -8); the zero only doubles both counts
    assert inference.sign_flip_test([0.0, 2.0, 2.0, -1.0, 3.0]).p_value[0] == 0.25
    # one sign throughout: only the identity and its negation reach |T|
    assert inference.sign_flip_test(np.arange(1.0, 7.0)).p_value[0] == 2 / 64
    assert inference.sign_flip_test(np.zeros(4)).p_value[0] == 1.0


def test_sign_flip_interval_inverts_the_test():
    gen = np.random.default_rng(6)
    alpha = 0.1
    for n in (6, 8, 10):
        d = gen.integers(-2, 6, (12, n)) / 4.0
        test = inference.sign_flip_test(d, confidence=1 - alpha)
        for row, lo, hi in zip(d, test.ci_low, test.ci_high):
            assert lo <= row.mean() <= hi
            for end, outside in ((lo, lo - 1e-6), (hi, hi + 1e-6)):
                assert _brute_p(row, end) >= alpha > _brute_p(row, outside)   # accepted at the end, rejected past it


def test_sign_flip_interval_by_hand_and_when_unbounded():
    # 1..6: below 1 all six share a sign (p = 2/64 < 0.05); at 1 one is zero and five share a sign (p = 2/32)
    test = inference.sign_flip_test(np.arange(1.0, 7.0))
    assert (test.ci_low[0], test.ci_high[0]) == (1.0, 6.0)
    ones = inference.sign_flip_test(np.ones(6))                        # every shift but 1 leaves six equal signs
    assert (ones.ci_low[0], ones.ci_high[0]) == (1.0, 1.0)
    five = inference.sign_flip_test(np.arange(1.0, 6.0))               # 2/32 >= 0.05: no shift is ever rejected
    assert five.p_value[0] == 2 / 32 and (five.ci_low[0], five.ci_high[0]) == (-np.inf, np.inf)
    wide = inference.sign_flip_test(np.arange(1.0, 6.0), confidence=0.9)   # 2/32 < 0.1: bounded again
    assert np.isfinite([wide.ci_low[0], wide.ci_high[0]]).all()


def test_sign_flip_interval_excludes_zero_exactly_when_p_is_below_alpha():
    gen = np.random.default_rng(7)
    ties = gen.integers(-3, 6, (300, 16)) / 360.0                     # accuracy-like: steps of 1/360, ties
    smooth = np.full((100, 16), np.nan)
    smooth[:, :9] = gen.normal(0.6, 1.0, (100, 9))                     # nine pairs, NaN for the rest
    d = np.vstack([ties, smooth])
    for confidence in (0.9, 0.95):
        test = inference.sign_flip_test(d, confidence)
        outside = (test.ci_low > 0) | (test.ci_high < 0)
        assert 0 < outside.sum() < d.shape[0]
        np.testing.assert_array_equal(outside, test.p_value < 1 - confidence)


def test_sign_flip_rows_with_missing_pairs_and_bad_input():
    d = np.array([[1.0, 2.0, np.nan, 3.0, 4.0, 5.0, 6.0], [np.nan] * 7, [0.5, -0.5, 1.0, 2.0, 2.0, 3.0, 0.0]])
    test = inference.sign_flip_test(d)
    alone = inference.sign_flip_test(d[0, np.isfinite(d[0])])
    assert test.p_value[0] == alone.p_value[0] and test.ci_low[0] == alone.ci_low[0]
    assert np.isnan([test.p_value[1], test.ci_low[1], test.ci_high[1]]).all() and test.patterns[1] == 0
    assert test.p_value[2] == _brute_p(d[2])
    chunked = inference.sign_flip_test(np.vstack([d[[0, 2]]] * 3), chunk=1)
    assert chunked.p_value.tolist() == [test.p_value[0], test.p_value[2]] * 3
    for kw, match in (({"differences": np.ones((2, 2, 2))}, "differences must be"),
                      ({"differences": [1.0], "confidence": 1.0}, "confidence must be"),
                      ({"differences": [1.0], "samples": 1}, "samples must be"),
                      ({"differences": [1.0], "exact_pairs": 30}, "exact_pairs must be")):
        with pytest.raises(ValueError, match=match):
            inference.sign_flip_test(**kw)
def test_within_cell_link_equals_a_full_enumeration_of_instance_pairings():
    gen = np.random.default_rng(5)
    x = gen.normal(size=(4, 5))
    y = -0.5 * x + gen.normal(size=(4, 5))
    test = within_cell_link(x, y)
    per_cell = [scipy.stats.spearmanr(x[c], y[c]).statistic for c in range(4)]
    assert test.per_cell == pytest.approx(per_cell) and test.statistic == pytest.approx(np.mean(per_cell))
    null = [np.mean([scipy.stats.spearmanr(x[c], y[c, list(order)]).statistic for c in range(4)])
            for order in itertools.permutations(range(5))]
    assert test.exhaustive and test.permutations == 120 and test.n == 5
    assert test.p_value == pytest.approx(np.mean(np.abs(null) >= abs(test.statistic) - 1e-12))


def test_within_cell_link_ignores_a_pattern_across_cells_and_finds_one_across_instances():
    gen = np.random.default_rng(6)
    pattern = np.linspace(0, 1, 20)[:, None]
    x, y = pattern + gen.normal(0, 0.1, (20, 16)), -pattern + gen.normal(0, 0.1, (20, 16))
    assert within_cell_link(x, y).p_value > 0.05              # the cells differ, the instances do not co-vary
    assert instance_correlations(x, y).mean() < -0.8           # while the across-cell correlation sees the pattern
    linked = within_cell_link(x, -x + gen.normal(0, 0.01, (20, 16)))
    assert linked.statistic < -0.9 and linked.p_value == 1 / inference.MAX_FLIPS and not linked.exhaustive
    assert within_cell_link(x, np.ones_like(x)).per_cell.tolist() == [0.0] * 20       # constant: no correlation
    with pytest.raises(ValueError, match="at least 3 instances"):
        within_cell_link(x[:, :2], y[:, :2])
    with pytest.raises(ValueError, match="finite"):
        within_cell_link(np.where(x > 0.5, np.nan, x), y)


def test_within_cell_link_is_calibrated_on_null_datasets_like_the_paper():
    """Saturation and accuracy changes of 20 correlated cells x 16 instances, no link: p < 0.05 in about 5%."""
    hits = []
    for seed in range(100):
        ds = synthetic.reservoir_dataset("reciprocity", 0.0, seed=seed)
        change = {v: (ds[v].sel(reciprocity=1.0) - ds[v].sel(reciprocity=0.0)).values.reshape(20, 16)
                  for v in ("saturation_input", "accuracy")}
        hits.append(within_cell_link(change["saturation_input"], change["accuracy"], max_permutations=2000).p_value
                    < 0.05)
    assert np.mean(hits) <= 0.1
