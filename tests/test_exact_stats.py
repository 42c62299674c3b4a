"""Paired statistics and error control worked by hand on tiny inputs (issue 13).

Every expected number here is computed in the test from its definition (sums,
ranks, enumerated sign patterns), not read from a previous run.
"""
import itertools
import math

import numpy as np
import pytest
import scipy.stats
import xarray as xr

from rnnlib.statistics import inference, stats
from rnnlib.statistics.stats import PairedResult, paired_difference, paired_effects



def _sign_flip_p(d):
    """Two-sided p of the sum of ``d`` by listing all 2^n sign patterns one at a time (ties up to rounding count)."""
    d = np.asarray(d, float)
    total, tol = abs(d.sum()), 1e-9 * np.abs(d).sum()
    hits = [abs(np.dot(signs, d)) >= total - tol for signs in itertools.product((1.0, -1.0), repeat=d.size)]
    return sum(hits) / len(hits)


# --- paired_difference ---------------------------------------------------------------------------

def test_five_differences_with_ties_and_a_zero_by_hand():
    a = np.array([0.5, 0.1, 0.2, 0.7, 0.0])
    d = np.array([0.0, 2.0, 2.0, -1.0, 3.0])                  # a zero, a tie at |2|
    r = paired_difference(a, a + d)
    assert r.n == 5
    assert r.mean == pytest.approx(1.2)
    # sum T = 6; the signed sums of (2, 2, -1, 3) are 8, 2, 6, 0, 4, -2, 2, -4 and their negatives:
    # |T_s| >= 6 for 4 of 16 (the zero doubles both counts)
    assert r.p_value == pytest.approx(0.25) == pytest.approx(_sign_flip_p(d))
    assert not r.significant() and r.significant(0.3) and not r.significant(0.25)
    # five pairs: the smallest p is 2/32 > 0.05, so no shift is rejected and the 95% interval is unbounded
    assert (r.ci_low, r.ci_high) == (-math.inf, math.inf)


def test_exact_sign_flip_without_ties_and_the_sign_of_the_difference():
    d = np.array([1.0, 2.0, 3.0, 4.0, -5.0])
    # |15 - 2 S| >= 5 for the flipped set S: sum(S) <= 5 for 10 subsets of {1..5}, >= 10 for 10 more: 20/32
    r = paired_difference(np.zeros(5), d)
    assert r.p_value == pytest.approx(20 / 32) == pytest.approx(_sign_flip_p(d))
    assert r.mean == pytest.approx(1.0)
    flipped = paired_difference(d, np.zeros(5))                # b - a, not a - b
    assert flipped.mean == pytest.approx(-1.0) and flipped.p_value == pytest.approx(r.p_value)
    assert (flipped.ci_low, flipped.ci_high) == pytest.approx((-r.ci_high, -r.ci_low))
    every_sign = paired_difference(np.zeros(5), np.arange(1.0, 6.0))
    assert every_sign.p_value == pytest.approx(2 / 32) and every_sign.significant(0.07)


def test_confidence_level_sets_which_shifts_are_rejected():
    d = np.array([0.0, 2.0, 2.0, -1.0, 3.0])
    # at level 1 - alpha the interval holds the shifts theta with p(d - theta) >= alpha (enumerated here)
    for c in (0.5, 0.9):
        r = paired_difference(np.zeros(5), d, confidence=c)
        assert _sign_flip_p(d - r.ci_low) >= 1 - c > _sign_flip_p(d - (r.ci_low - 1e-6))
        assert _sign_flip_p(d - r.ci_high) >= 1 - c > _sign_flip_p(d - (r.ci_high + 1e-6))
    narrow, wide = (paired_difference(np.zeros(5), d, confidence=c) for c in (0.5, 0.9))
    assert wide.ci_low < narrow.ci_low <= 1.2 <= narrow.ci_high < wide.ci_high


def test_nan_pairs_are_dropped_and_edge_counts():
    a = np.array([0.0, np.nan, 0.0, 0.0, 0.0, 0.0])
    b = np.array([1.0, 5.0, np.nan, 2.0, 3.0, 4.0])
    r = paired_difference(a, b)
    assert r.n == 4 and r.mean == pytest.approx(2.5)
    assert r.p_value == pytest.approx(paired_difference(np.zeros(4), [1.0, 2.0, 3.0, 4.0]).p_value)
    assert r.p_value == pytest.approx(2 / 16)
    one = paired_difference([0.0], [1.0])
    assert one.n == 1 and one.mean == 1.0 and (one.ci_low, one.ci_high) == (-math.inf, math.inf)
    assert one.p_value == pytest.approx(1.0)                   # a single non-zero difference: p = 1
    none = paired_difference([np.nan, 1.0], [1.0, np.nan])
    assert none.n == 0 and np.isnan(none.mean) and np.isnan(none.p_value) and np.isnan(none.ci_low)
    zeros = paired_difference([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert zeros.p_value == 1.0 and zeros.mean == 0.0 and (zeros.ci_low, zeros.ci_high) == (-math.inf, math.inf)
    six = paired_difference(np.ones(6), np.ones(6))            # six pairs can reject: only the shift 0 is kept
    assert six.p_value == 1.0 and six.ci_low == six.ci_high == 0.0


def test_paired_result_as_dict_and_types():
    r = paired_difference([0.0, 0.0, 0.0], [1.0, 2.0, 4.0])
    d = r.as_dict()
    assert d == {"mean": pytest.approx(7 / 3), "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": r.p_value, "n": 3}
    assert type(r.n) is int and type(r.mean) is float and PairedResult(**d) == r
    assert r.significant(1.0) and not r.significant(r.p_value)


@pytest.mark.parametrize("kw, match", [
    ({"a": [[1.0]], "b": [[1.0]]}, "1-d"), ({"a": [1.0, 2.0], "b": [1.0]}, "same length"),
    ({"a": [1.0], "b": [1.0], "confidence": 1.0}, "confidence"), ({"a": [1.0], "b": [1.0], "confidence": 0.0},
                                                                    "confidence"),
])
def test_paired_difference_rejects_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        paired_difference(**kw)


# --- paired_effects ------------------------------------------------------------------------------

def _dataset(diff, control="dale"):
    """(point, control, task, instance) with control 0 = base and control 1 = base + diff (and 0.5 halfway)."""
    diff = np.asarray(diff, float)                             # (point, task, instance)
    base = np.arange(diff.size, dtype=float).reshape(diff.shape) / 100 + 0 * diff   # a missing cell at every control
    acc = np.stack([base, base + diff / 2, base + diff], axis=1)
    return xr.Dataset({"accuracy": (("point", control, "task", "instance"), acc),
                       "other": (("point", control, "task", "instance"), -acc)},
                      coords={"point": ["p", "q"], control: [0.0, 0.5, 1.0], "task": ["t1", "t2", "t3"],
                              "instance": np.arange(diff.shape[-1])})


def test_paired_effects_averages_cells_within_each_instance_before_pairing():
    rng = np.random.default_rng(5)
    diff = rng.normal(0.1, 0.2, (2, 3, 6))
    diff[1, 2, 4] = np.nan                                     # one missing cell: skipped in the mean
    ds = _dataset(diff)
    (row,) = paired_effects(ds)
    per_instance = np.nanmean(diff.reshape(6, 6), axis=0)
    ref = paired_difference(np.zeros(6), per_instance)
    assert row["label"] == "accuracy" and row["pairs"] == 6
    assert (row["mean"], row["ci_low"], row["ci_high"], row["p_value"]) == pytest.approx(
        (ref.mean, ref.ci_low, ref.ci_high, ref.p_value))
    half = paired_effects(ds, high=0.5)[0]                     # other control values, explicit control
    assert half["mean"] == pytest.approx(ref.mean / 2)
    assert paired_effects(ds, low=1.0, high=0.0, control="dale")[0]["mean"] == pytest.approx(-ref.mean)
    assert paired_effects(ds, "other")[0]["mean"] == pytest.approx(-ref.mean)


def test_paired_effects_rows_follow_the_over_dimensions_in_order():
    rng = np.random.default_rng(6)
    diff = rng.normal(0.0, 0.2, (2, 3, 5))
    diff[0, 1, :] = [1.0, 2.0, 3.0, 4.0, 5.0]
    diff[1, 0, 2] = np.nan                                     # this cell has 4 pairs: tested on its own
    rows = paired_effects(_dataset(diff), over=("point", "task"))
    assert [r["label"] for r in rows] == [f"{p}, {t}" for p in "pq" for t in ("t1", "t2", "t3")]
    assert [(r["point"], r["task"]) for r in rows] == [(p, t) for p in "pq" for t in ("t1", "t2", "t3")]
    for r, d in zip(rows, diff.reshape(6, 5)):
        ref = paired_difference(np.zeros(5), d)
        assert r["pairs"] == ref.n and r["mean"] == pytest.approx(ref.mean)
        assert r["p_value"] == pytest.approx(ref.p_value) and r["ci_high"] == pytest.approx(ref.ci_high)
        assert type(r["pairs"]) is int and type(r["p_value"]) is float
    assert rows[1]["p_value"] == pytest.approx(2 / 32) and rows[3]["pairs"] == 4
    by_task = paired_effects(_dataset(diff), over=("task",))
    assert [r["label"] for r in by_task] == ["t1", "t2", "t3"]
    ref = paired_difference(np.zeros(5), np.nanmean(diff[:, 0, :], axis=0))
    assert by_task[0]["mean"] == pytest.approx(ref.mean) and by_task[0]["p_value"] == pytest.approx(ref.p_value)


def test_control_dim_and_bad_variable():
    ds = _dataset(np.ones((2, 3, 4)), control="modularity")
    assert stats.control_dim(ds) == "modularity"
    with pytest.raises(ValueError, match="exactly one control"):
        stats.control_dim(ds.rename({"point": "dale"}).expand_dims(reciprocity=[0.0]))
    with pytest.raises(ValueError, match="exactly one control"):
        stats.control_dim(ds.rename({"modularity": "gain"}))
    with pytest.raises(ValueError, match="variable must be a data variable.*'missing'"):
        paired_effects(ds, "missing")
    assert stats.CONTROLS == ("dale", "reciprocity", "modularity", "weak_rows")


# --- Holm ----------------------------------------------------------------------------------------

def test_holm_by_hand_on_four_p_values():
    # sorted 0.005, 0.01, 0.03, 0.04 -> 4 x 0.005, 3 x 0.01, 2 x 0.03, 1 x 0.04, then the running maximum
    got = inference.holm([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(got, [0.03, 0.06, 0.06, 0.02], rtol=1e-12)
    np.testing.assert_allclose(inference.holm([[0.01, np.nan], [0.04, 0.02]]), [[0.03, np.nan], [0.04, 0.04]])
    np.testing.assert_allclose(inference.holm([0.4, 0.45]), [0.8, 0.8])
    np.testing.assert_allclose(inference.holm([0.6, 0.7]), [1.0, 1.0])     # capped at 1
    np.testing.assert_allclose(inference.holm([0.02, 0.02, 0.5]), [0.06, 0.06, 0.5])   # ties
    np.testing.assert_allclose(inference.holm([0.0, 1.0]), [0.0, 1.0])
    assert inference.holm([]).shape == (0,)


@pytest.mark.parametrize("bad", [[0.5, -0.01], [1.01, 0.2]])
def test_holm_rejects_p_values_outside_the_unit_interval(bad):
    with pytest.raises(ValueError, match=r"p_values must lie in \[0, 1\]"):
        inference.holm(bad)


# --- sign flips and paired t ---------------------------------------------------------------------

def test_sign_flips_enumerate_half_the_patterns_with_the_identity_first():
    flips, exhaustive = inference.sign_flips(3)
    assert exhaustive
    np.testing.assert_array_equal(flips, [[1, 1, 1], [1, -1, 1], [1, 1, -1], [1, -1, -1]])
    flips4, ex4 = inference.sign_flips(4, max_flips=8)         # 2^3 = 8 patterns: still exhaustive
    assert ex4 and flips4.shape == (8, 4) and len({tuple(r) for r in flips4}) == 8 and np.all(flips4[:, 0] == 1)
    one, ex1 = inference.sign_flips(1)
    assert ex1 and one.tolist() == [[1.0]]


def test_sign_flips_sample_when_there_are_too_many():
    flips, exhaustive = inference.sign_flips(4, max_flips=7)
    assert not exhaustive and flips.shape == (7, 4)
    assert np.all(flips[0] == 1) and set(np.unique(flips)) == {-1.0, 1.0}
    again, _ = inference.sign_flips(4, max_flips=7)
    other, _ = inference.sign_flips(4, max_flips=7, seed=inference.FLIP_SEED + 1)
    np.testing.assert_array_equal(flips, again)
    assert not np.array_equal(flips, other)
    big, _ = inference.sign_flips(20, max_flips=50)
    assert big.shape == (50, 20) and np.mean(big[1:] == 1) == pytest.approx(0.5, abs=0.1)
    assert (inference.MAX_FLIPS, inference.FLIP_SEED, inference.T_CLIP) == (2**14, 20250528, 100.0)
    assert inference.sign_flips(15)[1] and not inference.sign_flips(16)[1]   # 2^14 patterns at n = 15


@pytest.mark.parametrize("kw, match", [({"n": 0}, "n"), ({"n": 2.5}, "n"), ({"n": 3, "max_flips": 1}, "max_flips")])
def test_sign_flips_reject_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        inference.sign_flips(**kw)


def test_paired_t_by_hand():
    # d = 1, 2, 3: mean 2, s^2 = (14 - 3 * 4) / 2 = 1, t = 2 / sqrt(1/3)
    assert inference.paired_t([1.0, 2.0, 3.0])[0] == pytest.approx(2 * math.sqrt(3))
    # flipped by (+1, -1, +1): mean 2/3, s^2 = (14 - 3 * 4/9) / 2 = 19/3, t = (2/3) / sqrt(19/9) = 2 / sqrt(19)
    t = inference.paired_t([1.0, 2.0, 3.0], [[1, 1, 1], [1, -1, 1], [-1, -1, -1]])
    np.testing.assert_allclose(t, [2 * math.sqrt(3), 2 / math.sqrt(19), -2 * math.sqrt(3)])
    d = np.array([[[2.0, 2.0, 2.0], [-2.0, -2.0, -2.0]], [[0.0, 0.0, 0.0], [1.0, np.nan, 3.0]]])
    out = inference.paired_t(d)
    assert out.shape == (1, 2, 2)
    np.testing.assert_array_equal(out[0], [[100.0, -100.0], [0.0, 0.0]])   # no spread: +-T_CLIP; zeros and NaN: 0
    big = inference.paired_t([1.0, 1.0 + 1e-6, 1.0 - 1e-6])[0]
    assert big == 100.0                                         # clipped
    below = inference.paired_t([10.0, 11.0, 12.0, 9.0, 8.0])[0]
    assert below == pytest.approx(scipy.stats.ttest_1samp([10.0, 11.0, 12.0, 9.0, 8.0], 0).statistic)
    with pytest.raises(ValueError, match="at least 2 instances"):
        inference.paired_t([[1.0], [2.0]])


# --- cluster mass test on a 3 x 3 map with 3 instances ------------------------------------------

def _clusters_by_hand(tmap, threshold):
    """Signed masses of 4-connected clusters of one t map, by flood fill."""
    seen, masses = set(), []
    for start in itertools.product(range(tmap.shape[0]), range(tmap.shape[1])):
        for side in (1, -1):
            if start in seen or not side * tmap[start] > threshold:
                continue
            stack, mass = [start], 0.0
            seen.add(start)
            while stack:
                i, j = stack.pop()
                mass += tmap[i, j]
                for nb in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                    if (nb not in seen and 0 <= nb[0] < tmap.shape[0] and 0 <= nb[1] < tmap.shape[1]
                            and side * tmap[nb] > threshold):
                        seen.add(nb)
                        stack.append(nb)
            masses.append(mass)
    return masses


def _t_by_hand(d):
    m = d.mean(-1)
    s = d.std(-1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, m / (s / np.sqrt(d.shape[-1])), np.sign(m) * 100.0)


def test_cluster_mass_test_on_a_known_3x3_cluster_against_the_enumerated_null():
    up = np.array([1.0, 1.1, 0.9])                             # t = 1 / (0.1 / sqrt 3) = 17.3
    d = np.tile(np.array([0.1, -0.2, 0.1]), (3, 3, 1))         # mean 0: t = 0
    for cell in ((0, 0), (0, 1), (1, 1)):
        d[cell] = up                                           # an L-shaped cluster of 3 cells
    d[2, 2] = -0.5 * up                                        # a lone negative cell
    d[2, 0] = up * [1, 1, -1]                                  # a cell that clusters only under flips
    test = inference.cluster_mass_test(d)
    threshold = scipy.stats.t.ppf(0.975, 2)
    assert test.threshold == pytest.approx(threshold) and test.exhaustive
    t_hand = _t_by_hand(d)
    np.testing.assert_allclose(test.statistic, t_hand)
    tt = 1 / (0.1 / math.sqrt(3))
    np.testing.assert_allclose(test.mass, [3 * tt, -tt])       # heaviest first
    np.testing.assert_array_equal(test.size, [3, 1])
    np.testing.assert_array_equal(test.labels, [[1, 1, 0], [0, 1, 0], [0, 0, 2]])
    # the null by enumeration: largest |mass| under each of the 4 patterns with s_1 = +1
    null = []
    for signs in ([1, 1, 1], [1, -1, 1], [1, 1, -1], [1, -1, -1]):
        masses = _clusters_by_hand(_t_by_hand(d * signs), threshold)
        null.append(max([abs(m) for m in masses], default=0.0))
    np.testing.assert_allclose(test.null_max, null)
    assert null[2] == pytest.approx(tt) and null[1] == 0.0     # the flipped cell forms the only cluster there
    np.testing.assert_allclose(test.p_value, [1 / 4, 2 / 4])
    assert test.min_p == 0.25
    chunked = inference.cluster_mass_test(d, chunk=1)
    np.testing.assert_array_equal(chunked.null_max, test.null_max)
    high = inference.cluster_mass_test(d, threshold=20.0)      # above every |t| except the clipped: no cluster
    assert high.mass.size == 0 and high.p_value.size == 0 and np.all(high.labels == 0)
    assert np.all(high.null_max == 0)


def test_cluster_mass_test_diagonal_cells_are_separate_clusters_and_sampling():
    up = np.array([1.0, 1.1, 0.9, 1.05])
    d = np.zeros((3, 4, 4))
    d[0, 0] = d[1, 1] = up                                     # diagonal neighbours only
    d[0, 3] = d[1, 3] = up                                     # (0, 3) and (1, 3) touch: one cluster of two
    test = inference.cluster_mass_test(d, max_flips=4, seed=3)
    assert not test.exhaustive and test.null_max.size == 4 and test.min_p == 0.25
    np.testing.assert_array_equal(test.size, [2, 1, 1])
    assert test.labels[0, 0] != test.labels[1, 1] and test.labels[0, 3] == test.labels[1, 3] == 1
    assert test.null_max[0] == pytest.approx(abs(test.mass[0]))


@pytest.mark.parametrize("kw, match", [
    ({"differences": np.ones((3, 3))}, "rows, cols, instances"), ({"threshold": 0.0}, "threshold"),
    ({"chunk": 0}, "chunk"),
])
def test_cluster_mass_test_rejects_bad_input(kw, match):
    args = {"differences": np.ones((2, 2, 3))} | kw
    with pytest.raises(ValueError, match=match):
        inference.cluster_mass_test(**args)


# --- within-instance correlations ----------------------------------------------------------------

def test_instance_correlations_by_hand():
    x = np.array([[1.0, 1.0, 1.0, 1.0, 1.0], [2.0, 2.0, 2.0, 2.0, 2.0], [2.0, 3.0, 5.0, 3.0, np.nan],
                  [3.0, 4.0, 7.0, np.nan, 4.0]])
    y = np.array([[1.0, 4.0, 9.0, 1.0, 1.0], [3.0, 3.0, 9.0, 2.0, 2.0], [2.0, 2.0, 9.0, 3.0, 3.0],
                  [4.0, 1.0, 9.0, 4.0, np.nan]])
    rho = inference.instance_correlations(x, y)
    # instance 0: x ranks 1, 2.5, 2.5, 4; y ranks 1, 3, 2, 4 -> 4.5 / sqrt(4.5 * 5)
    assert rho[0] == pytest.approx(4.5 / math.sqrt(22.5))
    assert rho[1] == pytest.approx(-1.0)                       # ranks reversed
    assert np.isnan(rho[2])                                    # y constant
    assert rho[3] == pytest.approx(1.0)                        # 3 complete cells, same order
    assert np.isnan(rho[4])                                    # 2 complete cells only
    for k in (0, 1, 3):
        ok = np.isfinite(x[:, k]) & np.isfinite(y[:, k])
        assert rho[k] == pytest.approx(scipy.stats.spearmanr(x[ok, k], y[ok, k]).statistic)
    with pytest.raises(ValueError, match="cells, instances"):
        inference.instance_correlations(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="cells, instances"):
        inference.instance_correlations(np.ones(3), np.ones(3))


# --- edges found by mutation testing ------------------------------------------------------------

def test_paired_difference_edges_two_pairs_one_zero_pair_and_constant_ones():
    two = paired_difference([0.0, 0.0], [1.0, 3.0])           # p >= 2/4 for every shift: unbounded
    assert (two.ci_low, two.ci_high) == (-math.inf, math.inf) and two.p_value == 0.5
    assert paired_difference([1.0], [1.0]).p_value == 1.0      # one zero difference: p = 1, not NaN
    assert paired_difference([0.0, 0.0, 0.0], [0.0, 0.0, np.nan]).p_value == 1.0
    ones = paired_difference(np.zeros(3), np.ones(3))          # every difference 1: 2 of 8 sign patterns
    assert ones.p_value == pytest.approx(2 / 8)
    with pytest.raises(ValueError, match="^confidence must be a finite number"):
        paired_difference([1.0], [2.0], confidence=0.0)


def test_paired_effects_all_zero_row_among_varied_rows():
    diff = np.random.default_rng(8).normal(0.1, 0.1, (2, 3, 5))
    diff[1, 1, :] = 0.0
    rows = paired_effects(_dataset(diff), over=("point", "task"))
    assert rows[4]["p_value"] == 1.0 and rows[4]["mean"] == 0.0
    assert rows[0]["p_value"] == pytest.approx(paired_difference(np.zeros(5), diff[0, 0]).p_value)


def test_paired_t_is_scale_invariant_and_clipped_on_both_sides():
    np.testing.assert_allclose(inference.paired_t(1e-7 * np.array([1.0, 2.0, 3.0])), [2 * math.sqrt(3)])
    assert inference.paired_t([-1.0, -1.0 - 1e-6, -1.0 + 1e-6])[0] == -100.0
    assert inference.paired_t([1.0, 3.0])[0] == pytest.approx(2.0)      # two instances: s^2 = 2, t = 2 / 1


def test_sign_flip_draws_come_from_the_seeded_stream():
    from rnnlib.model.seeding import rng
    flips, _ = inference.sign_flips(4, max_flips=7, seed=11)
    draws = rng(11, "sign flips", 4).integers(0, 2, size=(6, 4))
    np.testing.assert_array_equal(flips[1:], 1.0 - 2.0 * draws)
    assert inference.sign_flips(62, max_flips=3)[0].shape == (3, 62)
    assert inference.sign_flips(100, max_flips=3)[0].shape == (3, 100)    # beyond 62 pairs: sampled only
    assert inference.sign_flips(3, max_flips=2)[0].shape == (2, 3)
    for kw, name in (({"n": 0}, "n"), ({"n": 2, "max_flips": 1}, "max_flips")):
        with pytest.raises(ValueError, match=f"^{name} must be an integer"):
            inference.sign_flips(**kw)


def test_cluster_mass_test_edges():
    d = np.zeros((2, 3, 2))
    d[0, 0] = [1.0, 1.1]
    test = inference.cluster_mass_test(d, threshold=0.5)               # a threshold below 1 is allowed
    assert test.threshold == 0.5 and test.size.tolist() == [1]
    assert inference.cluster_mass_test(d).threshold == pytest.approx(scipy.stats.t.ppf(0.975, 1))
    flat = np.zeros((2, 2, 3))
    flat[0, 0] = [2.0, 2.0, 2.0]                                       # t = T_CLIP exactly
    assert inference.cluster_mass_test(flat, threshold=100.0).mass.size == 0   # t must exceed the threshold
    assert inference.cluster_mass_test(flat, threshold=99.0).mass.tolist() == [100.0]
    for kw, name in (({"threshold": -1.0}, "threshold"), ({"chunk": 0}, "chunk")):
        with pytest.raises(ValueError, match=f"^{name} must be"):
            inference.cluster_mass_test(flat, **kw)
    up = np.array([1.0, 1.1, 0.9, 1.05])
    grid = np.zeros((3, 4, 4))
    grid[0, 0] = grid[2, 3] = up
    grid[1, 1] = up * [1, -1, 1, -1]
    sampled = inference.cluster_mass_test(grid, max_flips=4, seed=5)
    flips, _ = inference.sign_flips(4, max_flips=4, seed=5)
    expected = [max([abs(m) for m in _clusters_by_hand(_t_by_hand(grid * s), sampled.threshold)], default=0.0)
                for s in flips]
    np.testing.assert_allclose(sampled.null_max, expected)
