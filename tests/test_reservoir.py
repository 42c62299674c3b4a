"""Reservoir run and ridge readout: known answers, expected behaviour of the tasks, validation."""
import numpy as np
import pytest

import rnnlib
from rnnlib.reservoir.readout import fit_ridge
from rnnlib.reservoir.driven import evaluate, evaluate_batch, input_weights, reservoir_states

N = 50


@pytest.fixture(scope="module")
def W():
    return rnnlib.make_weights(N, 0.9, seed=11)


def test_states_follow_the_update_rule_by_hand():
    W = np.array([[0.5, -1.0], [0.3, 0.2]])
    W_in = np.array([[1.0], [-2.0]])
    u = np.array([[[0.4], [1.0]], [[-0.7], [0.0]]])            # (T=2, samples=2, d=1)
    states = reservoir_states(W, W_in, u)
    for s in range(2):
        x1 = np.tanh(W_in[:, 0] * u[0, s, 0])
        x2 = np.tanh(W @ x1 + W_in[:, 0] * u[1, s, 0])
        np.testing.assert_allclose(states[:, :, s], [x1, x2], rtol=0, atol=1e-15)


def test_ridge_equals_regression_with_unpenalized_bias_column():
    rng = np.random.default_rng(0)
    F = rng.standard_normal((60, 7)) + 3.0
    y = rng.integers(0, 3, 60)
    lam = 0.7
    r = fit_ridge(F, y, 3, lam)
    A = np.hstack([F, np.ones((60, 1))])                      # [F, 1], penalty on the weights only
    P = lam * np.eye(8)
    P[-1, -1] = 0
    coef = np.linalg.solve(A.T @ A + P, A.T @ np.eye(3)[y])
    np.testing.assert_allclose(r.weights, coef[:-1], atol=1e-10)
    np.testing.assert_allclose(r.bias, coef[-1], atol=1e-10)
    np.testing.assert_array_equal(r.predict(F), np.argmax(A @ coef, axis=1))


def test_recall_of_the_last_symbol_is_near_perfect(W):
    assert rnnlib.reservoir_accuracy(W, "recall", tau=0, seed=1) >= 0.98


def test_without_input_the_readout_guesses_the_majority_class(W):
    r = evaluate(W, "digits", input_strength=0.0, seed=2)
    d = rnnlib.make_task("digits", seed=2)
    majority = np.argmax(np.bincount(d.train_labels))
    assert r.saturation == 0.0 and r.fraction_saturated == 0.0
    assert r.accuracy == pytest.approx(np.mean(d.test_labels == majority), abs=1e-12)
    assert abs(r.accuracy - 0.1) < 0.05                       # chance for 10 balanced classes


def test_parity_needs_nonlinearity_and_memory(W):
    def acc(W, **kw):
        return np.mean([rnnlib.reservoir_accuracy(W, "parity", tau=1, seed=k, **kw) for k in range(6)])

    assert acc(W) > 0.95                                     # tanh reservoir with memory
    assert abs(acc(0 * W) - 0.5) < 0.05                      # W = 0: final state sees only the last bit
    assert abs(acc(W, input_strength=1e-5) - 0.5) < 0.07     # ~linear regime: XOR is uncorrelated with any linear feature
    # +-1 inputs: every state is odd in u while the label is even, so no feature correlates with it
    assert abs(acc(W, signed=True) - 0.5) < 0.07


def test_all_states_features_keep_what_the_final_state_forgets():
    W0 = np.zeros((N, N))                                    # memoryless: x(t) = tanh(W_in u(t))
    assert rnnlib.reservoir_accuracy(W0, "recall", tau=7, features="all", seed=3) >= 0.98
    assert abs(rnnlib.reservoir_accuracy(W0, "recall", tau=7, seed=3) - 0.25) < 0.07


def test_result_fields_are_consistent(W):
    r = evaluate(W, "prototypes", seed=4)
    assert r.confusion.shape == (5, 5) and r.confusion.sum() == 500
    assert r.accuracy == pytest.approx(np.trace(r.confusion) / 500)
    assert 0 < r.fraction_saturated < 1 and 0 < r.saturation < 1
    # saturation is <|x|> over neurons, steps and all samples under input
    d = rnnlib.make_task("prototypes", seed=4)
    u = np.concatenate([d.train_inputs, d.test_inputs], axis=1)
    states = reservoir_states(W, input_weights(N, u.shape[2], 1.0, 4), u)
    assert r.saturation == pytest.approx(np.abs(states).mean(), rel=1e-12)
    assert r.fraction_saturated == pytest.approx(np.mean(np.abs(states) > 0.9), rel=1e-12)


def test_batch_over_gains_equals_separate_networks(W, monkeypatch):
    gains = np.array([0.0, 0.5, 1.3, 2.5])
    monkeypatch.setattr(rnnlib.reservoir.driven, "MAX_ELEMENTS", 3 * 8 * N * 1797)   # force two chunks
    batch = evaluate_batch(W, gains, "digits", seed=5)
    for k, g in enumerate(gains):
        single = evaluate(g * W, "digits", seed=5)
        assert abs(batch["accuracy"][k] - single.accuracy) <= 2 / 539
        assert batch["saturation"][k] == pytest.approx(single.saturation, abs=1e-9)
        assert batch["fraction_saturated"][k] == pytest.approx(single.fraction_saturated, abs=1e-3)


def test_same_seed_pairs_task_and_input_weights(W):
    a = evaluate(W, "recall", tau=3, seed=6)
    b = evaluate(W.copy(), "recall", tau=3, seed=6)
    assert a.accuracy == b.accuracy and a.saturation == b.saturation
    assert evaluate(W, "recall", tau=3, seed=7).saturation != a.saturation


def test_float32_agrees_with_float64(W):
    r64 = evaluate(W, "digits", seed=8)
    r32 = evaluate(W, "digits", seed=8, dtype=np.float32)
    assert abs(r64.accuracy - r32.accuracy) <= 3 / 539
    assert r32.saturation == pytest.approx(r64.saturation, abs=1e-5)


@pytest.mark.parametrize("kwargs, match", [
    (dict(task="nope"), "digits.*parity.*prototypes.*recall"),
    (dict(input_strength=-0.1), "input_strength.*>= 0"),
    (dict(ridge=0.0), "ridge.*> 0"),
    (dict(ridge=-1.0), "ridge"),
    (dict(features="middle"), "features.*'final', 'all'"),
    (dict(dtype=np.int32), "dtype"),
    (dict(tau=10, task="recall"), "tau = 10"),
])
def test_bad_arguments_raise_clear_errors(W, kwargs, match):
    with pytest.raises(ValueError, match=match):
        rnnlib.reservoir_accuracy(W, seed=0, **kwargs)


@pytest.mark.parametrize("bad", [np.zeros((3, 4)), np.zeros(5), np.full((3, 3), np.nan)])
def test_bad_weight_matrix_is_rejected(bad):
    with pytest.raises(ValueError, match="W must"):
        rnnlib.reservoir_accuracy(bad, seed=0)


def test_bad_gains_are_rejected(W):
    for gains in ([], [0.5, -1.0], [[1.0]], [np.inf]):
        with pytest.raises(ValueError, match="gains"):
            evaluate_batch(W, gains, seed=0)
