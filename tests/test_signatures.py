"""Signatures and attractor classes against known answers."""
import numpy as np
import pytest

import rnnlib
from rnnlib.model.signatures import signatures_from_states


def test_zero_matrix_is_quiescent():
    s = rnnlib.signatures(np.zeros((10, 10)), steps=50, transient=10, seed=0)
    assert s["regime"] == "quiescent"
    assert s["saturation"] == 0 and s["fluctuation"] == 0 and s["lyapunov"] == -np.inf


@pytest.mark.parametrize("b", [-1.0, -0.9])
def test_strong_inhibition_oscillates_with_period_two(b):
    W = rnnlib.make_weights(60, 5.0, b, seed=1)
    s = rnnlib.signatures(W, steps=200, transient=300, seed=1)
    assert s["regime"] == "periodic" and s["period"] == 2
    assert s["lag1_autocorrelation"] < -0.9 and s["lyapunov"] < 0


@pytest.mark.parametrize("b", [1.0, 0.9])
def test_strong_excitation_settles_on_a_saturated_fixed_point(b):
    W = rnnlib.make_weights(60, 5.0, b, seed=2)
    s = rnnlib.signatures(W, steps=200, transient=300, seed=2)
    assert s["regime"] == "fixed point" and s["period"] == 1
    assert s["fraction_saturated"] > 0.9 and abs(s["mean_activation"]) > 0.9   # all up or all down
    assert s["lag1_autocorrelation"] == 1.0 and s["fluctuation"] < 1e-6


def test_balanced_strong_network_is_chaotic_with_weak_pairwise_correlation():
    W = rnnlib.make_weights(200, 3.0, 0.0, seed=3)
    s = rnnlib.signatures(W, steps=400, transient=300, seed=3)
    assert s["regime"] == "chaotic" and s["period"] == 0 and s["lyapunov"] > 0.1
    assert s["pairwise_correlation"] < 0.3
    assert set(s) == {"mean_activation", "saturation", "fraction_saturated", "fluctuation",
                      "lag1_autocorrelation", "pairwise_correlation", "lyapunov", "period", "regime"}


def test_formulas_on_a_hand_made_trajectory():
    """Two neurons: x1 alternates +-a (period 2), x2 is constant c."""
    a, c, T = 0.95, 0.5, 40
    X = np.empty((T, 2))
    X[:, 0] = a * (-1.0) ** np.arange(T)
    X[:, 1] = c
    s = signatures_from_states(X[:, :, None], np.array([-1.0]), rnnlib.SignatureSettings(steps=T, transient=0,
                                                                                         max_period=4))
    assert s["mean_activation"][0] == pytest.approx(c / 2)
    assert s["saturation"][0] == pytest.approx((a + c) / 2)
    assert s["fraction_saturated"][0] == pytest.approx(0.5)
    assert s["fluctuation"][0] == pytest.approx(a / 2)          # (a + 0) / 2
    assert s["lag1_autocorrelation"][0] == pytest.approx(-1.0)
    assert np.isnan(s["pairwise_correlation"][0])               # only one neuron fluctuates
    assert s["period"][0] == 2 and rnnlib.REGIMES[s["regime"][0]] == "periodic"


def test_pairwise_correlation_of_identical_and_opposite_neurons_is_one():
    t = np.arange(50)
    x = np.sin(0.3 * t)
    X = np.stack([x, -x, x], axis=1)[:, :, None]
    s = signatures_from_states(X, np.array([0.0]), rnnlib.SignatureSettings(steps=50, transient=0, max_period=4))
    assert s["pairwise_correlation"][0] == pytest.approx(1.0)


def test_batched_gains_and_initial_conditions_match_single_runs():
    W = rnnlib.make_weights(50, 1.0, -0.3, seed=4)
    gains = [0.5, 2.0, 4.0]
    st = rnnlib.SignatureSettings(steps=100, transient=100)
    batch = rnnlib.signatures_batch(W, gains, settings=st, initial_conditions=2, seed=9)
    assert batch["lyapunov"].shape == (3, 2)
    for k, g in enumerate(gains):
        single = rnnlib.signatures_batch(g * W, [1.0], settings=st, initial_conditions=2, seed=9)
        for key in ("saturation", "period", "regime"):
            np.testing.assert_allclose(batch[key][k], single[key][0], atol=1e-8)


def test_float32_signatures_agree_with_float64():
    W = rnnlib.make_weights(80, 2.0, 0.0, seed=5)
    st = rnnlib.SignatureSettings(steps=400, transient=200)
    s64 = rnnlib.signatures_batch(W, [0.5, 1.0], settings=st, seed=5)
    s32 = rnnlib.signatures_batch(W, [0.5, 1.0], settings=st, seed=5, dtype=np.float32)
    # at strength 1 (relative gain 0.5 * 2): decaying, both precisions agree closely
    assert s32["lyapunov"][0, 0] == pytest.approx(s64["lyapunov"][0, 0], abs=1e-3)
    # chaotic at strength 2: trajectories diverge, but statistics agree
    for key, tol in (("lyapunov", 0.05), ("saturation", 0.03), ("fluctuation", 0.03)):
        assert s32[key][1, 0] == pytest.approx(s64[key][1, 0], abs=tol)


def test_same_seed_same_signatures_bits():
    W = rnnlib.make_weights(40, 2.0, seed=6)
    a = rnnlib.signatures(W, steps=100, transient=50, seed=3)
    b = rnnlib.signatures(W, steps=100, transient=50, seed=3)
    np.testing.assert_equal(a, b)            # NaN-aware, exact
