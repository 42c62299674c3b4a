"""Automatic gain control: a hand-computed case, the set point reached, precision, validation, conditional exponent."""
import numpy as np
import pytest

import rnnlib
from rnnlib.model import dynamics
from rnnlib.model.gain import GainControl, activity, run_controlled


def test_two_neurons_three_steps_by_hand():
    W = np.array([[0.0, 2.0], [-1.0, 0.5]])
    x, g, eta, target = np.array([0.5, -0.25]), 1.0, 0.5, 0.3
    h = np.array([[0.1, 0.0], [0.0, -0.2], [0.3, 0.3]])
    want_x, want_g, want_a = [], [g], []
    for t in range(3):                       # the control law written out, step by step
        x = np.tanh(g * 1.5 * (W @ x) + h[t])
        a = (abs(x[0]) + abs(x[1])) / 2
        g = max(0.0, g + eta * (target - a))
        want_x.append(x), want_g.append(g), want_a.append(a)
    out, log = run_controlled(W, [0.5, -0.25], 3, GainControl(target, rate=eta), strength=1.5,
                              drive=h[:, :, None], record=True)
    assert isinstance(out, dynamics.Trajectory) and out.tangent is None and out.log_growth is None
    np.testing.assert_allclose(out.states[:, :, 0], want_x, rtol=1e-15)
    np.testing.assert_allclose(log.gains[:, 0], want_g, rtol=1e-15)
    np.testing.assert_allclose(log.activity[:, 0], want_a, rtol=1e-15)
    np.testing.assert_array_equal(out.final, out.states[-1])


def test_the_square_measure_and_the_gain_floor():
    X = np.array([[0.5, -1.0], [-0.5, 0.0]])
    np.testing.assert_allclose(activity(X, "abs"), [0.5, 0.5])
    np.testing.assert_allclose(activity(X, "square"), [0.25, 0.5])
    # a loud network with a huge rate: the gain is clipped at zero, never negative
    W = rnnlib.make_weights(20, 1.0, seed=1)
    _, log = run_controlled(W, np.ones(20), 5, GainControl(0.01, rate=100.0))
    assert log.gains[1, 0] == 0.0 and np.all(log.gains >= 0)


@pytest.mark.parametrize("measure", ["abs", "square"])
@pytest.mark.parametrize("w", [0.5, 3.0])
def test_the_set_point_is_reached_on_a_long_run(measure, w):
    """From an ordered (w = 0.5) and a chaotic (w = 3) network: the mean activity over the last 200 of 2000
    steps is within 0.02 of the set point, for every column of a strength sweep."""
    n = 200
    W1 = rnnlib.make_weights(n, 1.0, seed=2)
    x0 = np.random.default_rng(0).uniform(-1, 1, (n, 2))
    _, log = run_controlled(W1, x0, 2000, GainControl(0.3, rate=0.05, measure=measure), strength=[w, 2 * w])
    assert np.abs(log.activity[-200:].mean(0) - 0.3).max() < 0.02


def test_float32_and_float64_agree_on_an_ordered_run_and_keep_their_precision():
    n = 50
    W1 = rnnlib.make_weights(n, 1.0, seed=3)
    x0 = np.random.default_rng(1).uniform(-1, 1, n)
    a, a_log = run_controlled(W1, x0, 100, GainControl(0.2), strength=0.8, dtype=np.float64)
    b, b_log = run_controlled(W1, x0, 100, GainControl(0.2), strength=0.8, dtype=np.float32)
    assert a.final.dtype == np.float64 and b.final.dtype == np.float32
    np.testing.assert_allclose(b_log.gains, a_log.gains, atol=1e-4)


def test_columns_are_independent_and_the_run_is_deterministic():
    """A batch of strengths gives, column by column, the same numbers as separate runs."""
    n = 40
    W1 = rnnlib.make_weights(n, 1.0, seed=4)
    x0 = np.random.default_rng(2).uniform(-1, 1, n)
    gc = GainControl(0.4, rate=0.1)
    batch, batch_log = run_controlled(W1, np.tile(x0[:, None], 3), 60, gc, strength=[0.5, 1.5, 2.5])
    again, _ = run_controlled(W1, np.tile(x0[:, None], 3), 60, gc, strength=[0.5, 1.5, 2.5])
    np.testing.assert_array_equal(batch.final, again.final)
    for k, w in enumerate([0.5, 1.5, 2.5]):
        _, single = run_controlled(W1, x0, 60, gc, strength=w)
        np.testing.assert_allclose(batch_log.gains[:, k], single.gains[:, 0], rtol=1e-12)


def test_without_feedback_it_is_the_plain_map_and_the_conditional_exponent_matches_run():
    """A vanishing rate leaves the gain at g0: the trajectory and the tangent growth are those of dynamics.run."""
    n = 60
    W1 = rnnlib.make_weights(n, 1.0, seed=5)
    x0 = np.random.default_rng(3).uniform(-1, 1, (n, 1))
    v0 = np.random.default_rng(4).standard_normal((n, 1))
    ctl, _ = run_controlled(W1, x0, 50, GainControl(0.5, rate=1e-300, initial_gain=1.0), strength=1.7, tangent=v0)
    ref = dynamics.run(W1, x0, 50, gain=1.7, tangent=v0)
    np.testing.assert_allclose(ctl.final, ref.final, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ctl.log_growth, ref.log_growth, rtol=1e-10)


def test_gain_control_pulls_a_chaotic_network_towards_order():
    """A low set point forces a small gain: the conditional exponent becomes negative where the plain map is chaotic."""
    n = 200
    W1 = rnnlib.make_weights(n, 1.0, seed=6)
    x0 = np.random.default_rng(5).uniform(-1, 1, (n, 1))
    v0 = np.ones((n, 1))
    warm, warm_log = run_controlled(W1, x0, 1000, GainControl(0.05, rate=0.05), strength=3.0)
    gc = GainControl(0.05, rate=0.05, initial_gain=float(warm_log.gains[-1, 0]))
    ctl, _ = run_controlled(W1, warm.final, 500, gc, strength=3.0, tangent=v0)
    free = dynamics.run(W1, warm.final, 500, gain=3.0, tangent=v0)
    assert ctl.log_growth[0] / 500 < 0 < free.log_growth[0] / 500


@pytest.mark.parametrize("kwargs, name", [
    (dict(set_point=0.0), "set_point"), (dict(set_point=1.0), "set_point"), (dict(set_point=0.3, rate=0.0), "rate"),
    (dict(set_point=0.3, measure="max"), "measure"), (dict(set_point=0.3, initial_gain=-1.0), "initial_gain"),
    (dict(set_point=float("nan")), "set_point")])
def test_bad_controller_parameters_are_refused_by_name(kwargs, name):
    with pytest.raises(ValueError, match=name):
        GainControl(**kwargs)


def test_bad_run_arguments_are_refused_by_name():
    W = np.eye(3)
    with pytest.raises(ValueError, match="control"):
        run_controlled(W, np.zeros(3), 2, 0.3)
    with pytest.raises(ValueError, match="strength"):
        run_controlled(W, np.zeros(3), 2, GainControl(0.3), strength=-1.0)
    with pytest.raises(ValueError, match="strength"):
        run_controlled(W, np.zeros((3, 2)), 2, GainControl(0.3), strength=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="drive"):
        run_controlled(W, np.zeros(3), 2, GainControl(0.3), drive=np.zeros((1, 3, 1)))
    with pytest.raises(ValueError, match="x0"):
        run_controlled(W, np.zeros(4), 2, GainControl(0.3))
    with pytest.raises(ValueError, match="x0"):
        run_controlled(W, np.zeros(4), 0, GainControl(0.3))
