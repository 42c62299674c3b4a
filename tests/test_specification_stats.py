"""Specification-curve inference (rnnlib.statistics.specification) on synthetic specifications with known truth."""
import itertools

import numpy as np
import pytest
import scipy.stats

from rnnlib.statistics.specification import (MAX_EXACT, all_flips, decompose, holds_where, joint_test, reconstruction,
                                             specification_effects)

CHOICES = {"task": ("a", "b", "c", "d"), "density": (0.1, 0.3, 1.0), "ridge": ("1e-6", "1e-3", "1", "cv")}


def synthetic(seed, *, specs=96, instances=8, effect=0.0, where=("task", "b"), shared=1.0, noise=1.0):
    """Random specifications; differences = effect (only where ``where`` holds) + instance-shared + own noise.

    The instance-shared part ``shared * u_k * loading_s`` makes every specification of one instance
    move together (the dependence the joint test must keep); it is symmetric about zero, as is the noise.
    """
    g = np.random.default_rng(seed)
    choices = {c: np.array(levels, dtype=object)[g.integers(0, len(levels), specs)] for c, levels in CHOICES.items()}
    loading = g.uniform(0.5, 1.5, specs)
    u = g.standard_normal(instances)
    d = shared * loading[:, None] * u[None, :] + noise * g.standard_normal((specs, instances))
    d += effect * (choices[where[0]] == where[1]).astype(float)[:, None]
    return d, choices


def test_effects_match_scipy_t_test():
    d, _ = synthetic(1, specs=5)
    eff = specification_effects(d)
    for s in range(5):
        res = scipy.stats.ttest_1samp(d[s], 0.0)
        ci = res.confidence_interval(0.95)
        assert eff.p_value[s] == pytest.approx(res.pvalue)
        assert eff.t[s] == pytest.approx(res.statistic)
        assert (eff.ci_low[s], eff.ci_high[s]) == pytest.approx((ci.low, ci.high))


def test_flips_exhaustive_up_to_max_exact_then_sampled():
    flips, exact = all_flips(4)
    assert exact and flips.shape == (16, 4) and np.all(flips[0] == 1)
    assert len({tuple(f) for f in flips}) == 16
    flips, exact = all_flips(MAX_EXACT + 1, draws=100)
    assert not exact and flips.shape == (100, MAX_EXACT + 1) and np.all(flips[0] == 1)


def test_joint_test_equals_brute_force_enumeration():
    d, _ = synthetic(2, specs=12, instances=5, effect=0.8)
    jt = joint_test(d, +1)
    critical = scipy.stats.t.ppf(0.975, 4)
    med, cnt = [], []
    for signs in itertools.product((1.0, -1.0), repeat=5):
        f = d * np.array(signs)
        med.append(np.median(f.mean(axis=1)))
        cnt.append(np.sum(scipy.stats.ttest_1samp(f, 0.0, axis=1).statistic > critical))
    assert jt.exhaustive and jt.patterns == 32
    assert jt.median == pytest.approx(med[0]) and jt.count == cnt[0]
    assert jt.median_p == pytest.approx(np.mean(np.array(med) >= med[0] - 1e-12))
    assert jt.count_p == pytest.approx(np.mean(np.array(cnt) >= cnt[0]))


def test_joint_test_direction_mirrors():
    d, _ = synthetic(3, effect=-1.0)
    down, up = joint_test(d, -1), joint_test(-d, +1)
    assert down.median == pytest.approx(-up.median) and down.count == up.count
    assert down.count_p == pytest.approx(up.count_p)


def test_joint_test_holds_family_wise_error_on_nulls():
    """Under no effect anywhere, each joint statistic rejects at most alpha of the time.

    400 null data sets with 8 instances (exact test over 256 patterns): the rejection rate may exceed
    0.05 only by Monte Carlo error; the tolerance is 3 binomial standard errors, sqrt(.05 * .95 / 400) = 0.011.
    """
    reps, alpha = 400, 0.05
    tol = 3 * np.sqrt(alpha * (1 - alpha) / reps)
    tests = [joint_test(synthetic(100 + r)[0], +1) for r in range(reps)]
    for name in ("median_p", "count_p"):
        rate = np.mean([getattr(t, name) < alpha for t in tests])
        assert rate <= alpha + tol, (name, rate)
    assert np.mean([t.rejects(alpha) for t in tests]) <= alpha + tol
    # and the per-specification tests alone would not hold it: many nulls have some "significant" specification
    assert np.mean([t.count > 0 for t in tests]) > 2 * alpha


def test_joint_test_finds_an_effect_under_one_level_of_one_choice():
    found = [joint_test(synthetic(500 + r, effect=2.0, shared=0.5)[0], +1) for r in range(20)]
    assert np.mean([t.count_p < 0.05 for t in found]) >= 0.8
    assert all(t.share < 0.5 for t in found)       # it holds only in about a quarter of the specifications


def test_decomposition_recovers_the_deciding_choice_and_level():
    hits = 0
    for r in range(20):
        d, choices = synthetic(700 + r, specs=128, effect=1.5, shared=0.5)
        dec = decompose(d, choices)
        hits += dec.deciding() == "task"
    assert hits >= 18
    d, choices = synthetic(42, specs=256, instances=12, effect=1.5, shared=0.3, noise=0.5)
    dec = decompose(d, choices)
    assert dec.deciding() == "task" and dec.share["task"] > 0.5
    rows = {(r["choice"], r["level"]): r for r in dec.rows()}
    b = rows[("task", "b")]
    # a level's main effect is its mean minus the mean over levels: 1.5 * (1 - 1/4)
    assert b["effect_low"] < 1.5 * 0.75 < b["effect_high"]
    assert b["conditional_low"] > 0
    sentence = holds_where(dec, "C9", +1)
    assert sentence.startswith("The choice that explains the largest share of the variance across specifications "
                               f"is task ({100 * dec.share['task']:.0f}%).")
    own = sentence.split("Among its levels, ")[1].split(".")[0]
    assert own.startswith("C9 holds at b (") and "a (" not in own.split(";")[0]


def test_holds_where_names_every_level_of_every_choice_that_holds():
    """An effect on task b plus a smaller one that depends on density: the sentences must name density's levels too,
    on the side where their conditional mean lies, and must leave out the level whose mean is zero."""
    d, choices = synthetic(43, specs=256, instances=12, effect=2.0, shared=0.1, noise=0.5)
    d += np.select([choices["density"] == 0.1, choices["density"] == 0.3], [0.6, -0.5], -1.0)[:, None]
    dec = decompose(d, choices)
    assert dec.deciding() == "task"
    # conditional means: density 0.1 -> 0.5 + 0.6, density 0.3 -> 0.5 - 0.5 = 0, density 1 -> 0.5 - 1; ridge ->
    # 0.5 + mean density effect = 0.2 at every level; task b -> 2 - 0.3, the other tasks -> -0.3
    sentence = holds_where(dec, "C9", +1)
    own, others = sentence.split("Among its levels, ")[1].split(" At the levels of the other choices ")
    assert own.startswith("C9 holds at b (") and "; it goes against the claim at a (" in own
    held, against = others.split(" It goes against the claim at ")
    assert "density 0.1 (+" in held and "every level of ridge" in held and "0.3" not in held
    assert against.startswith("1 of them: density 1 (-")


def test_decomposition_is_exact_without_noise():
    """Additive effects without noise are recovered exactly, and the shares add up to one."""
    g = np.random.default_rng(0)
    choices = {c: np.array(levels, dtype=object)[g.integers(0, len(levels), 200)] for c, levels in CHOICES.items()}
    truth = {"a": 0.1, "b": -0.3, "c": 0.0, "d": 0.2}
    y = np.array([truth[t] for t in choices["task"]]) + 0.05 * (choices["density"] == 1.0)
    d = y[:, None] + g.standard_normal(6)[None, :] * 0      # identical instances
    d = d + np.array([0.01, -0.01, 0.02, -0.02, 0.0, 0.0])[None, :]
    dec = decompose(d, choices)
    assert dec.r_squared == pytest.approx(1.0)
    assert sum(dec.share.values()) == pytest.approx(1.0, abs=0.05)
    rows = {(r["choice"], r["level"]): r for r in dec.rows()}
    # the difference between two levels of one choice is the difference of their true effects
    assert rows[("task", "b")]["effect"] - rows[("task", "a")]["effect"] == pytest.approx(-0.4)
    assert rows[("density", 1.0)]["effect"] - rows[("density", 0.1)]["effect"] == pytest.approx(0.05)
    assert rows[("ridge", "cv")]["effect"] == pytest.approx(0.0, abs=1e-12)


def test_holds_nowhere_and_everywhere():
    d, choices = synthetic(5, effect=0.0, shared=0.0)
    assert holds_where(decompose(d - 3.0, choices), "C1", +1).startswith("C1 holds at no level of any choice")
    assert "goes against the claim" in holds_where(decompose(d - 3.0, choices), "C1", +1)
    everywhere = holds_where(decompose(d - 3.0, choices), "C3", -1)
    levels = sum(len(v) for v in CHOICES.values())
    assert "C3 holds at every one of its levels" in everywhere and "against" not in everywhere
    deciding = len(CHOICES[decompose(d, choices).deciding()])
    assert f"At the levels of the other choices it holds at all {levels - deciding}: every level of " in everywhere


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="direction"):
        joint_test(np.zeros((3, 4)), 0)
    with pytest.raises(ValueError, match="at least 2 instances"):
        specification_effects(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="finite"):
        joint_test(np.full((3, 4), np.nan), 1)
    with pytest.raises(ValueError, match="one level per specification"):
        decompose(np.zeros((3, 4)), {"task": ["a", "b"]})


def test_reconstruction_finds_where_every_claim_holds_and_ranks_by_the_weakest():
    g = np.random.default_rng(9)
    base = g.standard_normal((30, 8)) * 0.2
    up = base + 1.0 * (np.arange(30) < 10)[:, None]            # claim A (up) holds in specifications 0..9
    down = base - 1.0 * (np.arange(30) % 2 == 0)[:, None]      # claim B (down) holds in the even ones
    rec = reconstruction({"A": specification_effects(up), "B": specification_effects(down)}, {"A": 1, "B": -1})
    assert {0, 2, 4, 6, 8} <= set(rec.all_hold.tolist())      # (others only by the 5% chance of their own test)
    assert set(rec.order[:5].tolist()) == {0, 2, 4, 6, 8}
    z = rec.standardised[3]
    assert rec.score[3] == pytest.approx(min(z))
