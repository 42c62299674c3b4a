"""Paired statistics against hand-computed answers and a coverage check."""
import math

import numpy as np
import pytest

from rnnlib.statistics.stats import paired_difference

def test_mean_and_interval_by_hand():
    a = np.array([0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1])
    r = paired_difference(a, a + [1, 2, 3, 4, 5, 6, 7])
    assert r.n == 7 and r.mean == pytest.approx(4.0)
    # theta is kept while p(d - theta) >= 0.05, i.e. at least 7 of the 128 sign patterns reach |T|.
    # theta = 2: d - 2 = (-1, 0, 1, 2, 3, 4, 5), T = 14, absolute sum 16; a pattern negating absolute
    # values of sum S gives |16 - 2 S| >= 14 for S <= 1 or S >= 15: 3 + 3 subsets of (1, 1, 2, 3, 4, 5),
    # doubled by the zero: 12 of 128, kept. theta = 1.9: T = 14.7, absolute sum 16.5, S <= 0.9 or
    # S >= 15.6: 6 of 128, rejected. By symmetry the upper end is 6.
    assert (r.ci_low, r.ci_high) == pytest.approx((2.0, 6.0))
    assert r.p_value == pytest.approx(2 / 128)


def test_sign_flip_exact_p_when_all_differences_have_one_sign():
    # six distinct positive differences: only 1 of 2^6 sign patterns is as extreme, two-sided
    r = paired_difference(np.zeros(6), np.arange(1, 7) * 0.1)
    assert r.p_value == pytest.approx(2 / 64)
    assert r.significant() and not r.significant(0.01)
    assert paired_difference(np.arange(1, 7) * 0.1, np.zeros(6)).p_value == pytest.approx(2 / 64)


def test_no_difference_gives_p_one():
    a = np.array([0.3, 0.4, 0.9])
    r = paired_difference(a, a)
    assert r.mean == 0 and r.p_value == 1.0 and (r.ci_low, r.ci_high) == (-math.inf, math.inf)   # 3 pairs
    assert paired_difference([0, 0, 0, 0], [1, -1, 2, -2]).p_value > 0.5


def test_nan_pairs_are_dropped():
    r = paired_difference([1.0, np.nan, 2.0, 3.0], [2.0, 5.0, np.nan, 4.5])
    assert r.n == 2 and r.mean == pytest.approx(1.25)
    empty = paired_difference([np.nan], [1.0])
    assert empty.n == 0 and np.isnan(empty.mean) and np.isnan(empty.p_value)
    single = paired_difference([1.0], [3.0])
    assert single.mean == 2.0 and single.ci_low == -math.inf and single.p_value == 1.0


def test_interval_covers_the_true_mean_at_the_stated_rate():
    rng = np.random.default_rng(0)
    trials = 400
    hits = sum(
        r.ci_low <= 0.3 <= r.ci_high
        for r in (paired_difference(rng.standard_normal(10), rng.standard_normal(10) + 0.3, confidence=0.9)
                  for _ in range(trials)))
    assert 0.85 * trials <= hits <= 0.95 * trials          # 0.9 +- 3.3 binomial standard errors


@pytest.mark.parametrize("a, b, kw, match", [
    ([1, 2], [1, 2, 3], {}, "same length"),
    ([[1, 2]], [[1, 2]], {}, "1-d"),
    ([1, 2], [1, 2], {"confidence": 1.0}, "confidence"),
])
def test_bad_arguments(a, b, kw, match):
    with pytest.raises(ValueError, match=match):
        paired_difference(a, b, **kw)


def _point_dataset(gen, control="modularity", instances=5):
    """Accuracy over (point, control, task, instance) with a different change in every cell."""
    import xarray as xr

    acc = gen.uniform(0.4, 0.9, (2, 3, 2, instances))
    return xr.Dataset({"accuracy": (("point", control, "task", "instance"), acc)},
                      coords={"point": ["A", "B"], control: [0.0, 0.5, 1.0], "task": ["digits", "parity"],
                              "instance": np.arange(instances)})


def test_paired_effects_per_cell_and_pooled_within_instances():
    from rnnlib.statistics.stats import paired_effects

    ds = _point_dataset(np.random.default_rng(7))
    rows = paired_effects(ds, over=("task", "point"))
    assert [r["label"] for r in rows] == ["digits, A", "digits, B", "parity, A", "parity, B"]
    for r in rows:
        cell = ds["accuracy"].sel(task=r["task"], point=r["point"])
        ref = paired_difference(cell.sel(modularity=0.0).values, cell.sel(modularity=1.0).values)
        assert (r["mean"], r["ci_low"], r["ci_high"], r["p_value"], r["pairs"]) == pytest.approx(
            (ref.mean, ref.ci_low, ref.ci_high, ref.p_value, ref.n))
    (pooled,) = paired_effects(ds)                        # tasks and points averaged within each instance first
    means = ds["accuracy"].mean(("task", "point"))
    ref = paired_difference(means.sel(modularity=0.0).values, means.sel(modularity=1.0).values)
    assert pooled["label"] == "accuracy" and (pooled["mean"], pooled["p_value"]) == pytest.approx((ref.mean, ref.p_value))
    half = paired_effects(ds, over=("point",), high=0.5)  # another pair of control values
    assert half[0]["mean"] == pytest.approx(float((ds["accuracy"].sel(modularity=0.5) - ds["accuracy"].sel(
        modularity=0.0)).sel(point="A").mean()))
    sized = ds.sel(task="digits").rename(point="n").assign_coords(n=[100, 200])   # a swept dimension called n
    assert [r["n"] for r in paired_effects(sized, over=("n",))] == [100, 200]


def test_paired_effects_skip_missing_pairs_like_paired_difference():
    from rnnlib.statistics.stats import paired_effects

    ds = _point_dataset(np.random.default_rng(8))
    ds["accuracy"][0, 2, 0, 1] = np.nan                   # point A, control 1, digits, instance 1
    row = paired_effects(ds, over=("task", "point"))[0]
    cell = ds["accuracy"].sel(task="digits", point="A")
    ref = paired_difference(cell.sel(modularity=0.0).values, cell.sel(modularity=1.0).values)
    assert row["pairs"] == 4 and (row["mean"], row["p_value"]) == pytest.approx((ref.mean, ref.p_value))


def test_paired_effects_bad_arguments():
    from rnnlib.statistics.stats import control_dim, paired_effects

    ds = _point_dataset(np.random.default_rng(9))
    with pytest.raises(ValueError, match="variable must be a data variable"):
        paired_effects(ds, "saturation")
    with pytest.raises(ValueError, match="exactly one control dimension"):
        control_dim(ds.rename(modularity="other"))
