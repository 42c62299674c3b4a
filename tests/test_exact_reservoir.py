"""Exact answers for the reservoir path and the ridge readout (issue 13).

A 2x2 ridge readout solved by hand, the driven run of a few neurons written out
step by step, the scoring (features, confusion, saturation) on hand-made
states, and the whole pipeline against its parts at non-default options.
"""
import numpy as np
import pytest

from rnnlib.reservoir import driven as R
from rnnlib.reservoir.readout import Readout, fit_ridge
from rnnlib.model.seeding import as_seed_sequence, rng
from rnnlib.reservoir.tasks import TaskData, make_task

W3 = np.array([[0.0, 0.6, -0.9], [1.1, 0.0, 0.4], [-0.5, 0.8, 0.2]])


# ----------------------------------------------------------------------------- readout

@pytest.mark.parametrize("lam", [1e-6, 0.25, 2.0])
def test_one_feature_two_samples_by_hand(lam):
    """F = [0, 1]^T, labels (0, 1): Fc = (-1/2, 1/2), gram = 1/2 + lam, beta = (-1/2, 1/2) / (1/2 + lam)."""
    r = fit_ridge([[0.0], [1.0]], [0, 1], 2, lam)
    beta = np.array([-0.5, 0.5]) / (0.5 + lam)
    np.testing.assert_allclose(r.weights, [beta], rtol=1e-12)
    np.testing.assert_allclose(r.bias, 0.5 - 0.5 * beta, rtol=1e-12)
    np.testing.assert_allclose(r.scores([[0.0], [1.0], [3.0]]),
                               [0.5 - 0.5 * beta, 0.5 + 0.5 * beta, 0.5 + 2.5 * beta], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(r.predict([[0.0], [1.0], [-4.0], [4.0]]), [0, 1, 0, 1])


def test_two_features_three_classes_by_hand():
    """Each class sits on its own corner; with lam -> 0 the readout reproduces the one-hot targets."""
    F = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    r = fit_ridge(F, [2, 0, 1], 3, 1e-12)
    np.testing.assert_allclose(r.scores(F), np.eye(3)[[2, 0, 1]], atol=1e-9)
    np.testing.assert_array_equal(r.predict(F), [2, 0, 1])
    assert r.weights.shape == (2, 3) and r.bias.shape == (3,)


def test_readout_is_the_formula_with_an_unpenalized_bias():
    g = np.random.default_rng(3)
    F, labels, lam = g.standard_normal((9, 4)), g.integers(0, 3, 9), 0.7
    Y = np.eye(3)[labels]
    Fc, Yc = F - F.mean(0), Y - Y.mean(0)
    beta = np.linalg.solve(Fc.T @ Fc + lam * np.eye(4), Fc.T @ Yc)
    r = fit_ridge(F.astype(np.float32), labels, 3, lam)
    np.testing.assert_allclose(r.weights, beta, rtol=1e-5)
    np.testing.assert_allclose(r.bias, Y.mean(0) - F.mean(0) @ beta, rtol=1e-5, atol=1e-6)
    # a class that never occurs gets weights 0 and bias 0
    r4 = fit_ridge(F, labels, 4, lam)
    assert np.all(r4.weights[:, 3] == 0) and r4.bias[3] == 0
    assert r.scores(F.astype(np.float32)).dtype == np.float64


@pytest.mark.parametrize("args, match", [
    (([[0.0], [1.0]], [0, 1], 2, 0.0), "^ridge must be"), (([[0.0], [1.0]], [0, 1], 1, 1.0), "^n_classes must be"),
    (([0.0, 1.0], [0, 1], 2, 1.0), "features must be"), (([[0.0], [1.0]], [0, 1, 1], 2, 1.0), "features must be"),
    (([[0.0], [1.0]], [[0, 1]], 2, 1.0), "features must be"),
])
def test_readout_refuses_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        fit_ridge(*args)


def test_predict_takes_the_largest_score_per_row():
    r = Readout(np.array([[1.0, 0.0, -1.0]]), np.array([0.0, 0.5, 0.0]))
    np.testing.assert_array_equal(r.predict([[2.0], [0.1], [-3.0]]), [0, 1, 2])


# ----------------------------------------------------------------------------- driven run

def test_input_weights_are_scaled_standard_normals():
    Z = rng(4, "input-weights").standard_normal((3, 2))
    np.testing.assert_array_equal(R.input_weights(3, 2, 1.0, 4), Z)
    np.testing.assert_array_equal(R.input_weights(3, 2, 0.3, 4), 0.3 * Z)
    assert not np.any(R.input_weights(3, 2, 0.0, 4))


def test_driven_run_with_gains_by_hand():
    W_in = np.array([[1.0, 0.0], [-0.5, 2.0], [0.3, 0.3]])
    u = np.random.default_rng(0).standard_normal((2, 4, 2))       # T = 2, 4 samples, d = 2
    gains = [0.5, 1.0, 3.0]
    states = R.reservoir_states(W3, W_in, u, gains=gains)
    assert states.shape == (2, 3, 3, 4)
    for k, g in enumerate(gains):
        for s in range(4):
            x1 = np.tanh(W_in @ u[0, s])
            x2 = np.tanh(g * W3 @ x1 + W_in @ u[1, s])
            np.testing.assert_allclose(states[:, :, k, s], [x1, x2], rtol=1e-14, atol=1e-15)
    ones = R.reservoir_states(W3, W_in, u, gains=[1.0, 1.0])
    np.testing.assert_array_equal(ones[:, :, 0], R.reservoir_states(W3, W_in, u))
    np.testing.assert_array_equal(ones[:, :, 1], ones[:, :, 0])
    single = R.reservoir_states(W3, W_in, u, gains=[3.0])
    np.testing.assert_allclose(single[:, :, 0], states[:, :, 2], rtol=1e-15)
    f32 = R.reservoir_states(W3, W_in, u, dtype=np.float32)
    assert f32.dtype == np.float32
    np.testing.assert_allclose(f32, R.reservoir_states(W3, W_in, u), atol=1e-6)


@pytest.mark.parametrize("W_in, u", [(np.ones((3, 2)), np.ones((2, 4))), (np.ones((3, 3)), np.ones((2, 4, 2))),
                                     (np.ones((2, 2)), np.ones((2, 4, 2)))])
def test_driven_run_refuses_mismatched_shapes(W_in, u):
    shapes = rf"got \({', '.join(map(str, u.shape))},?\) and \({', '.join(map(str, W_in.shape))}\)"
    with pytest.raises(ValueError, match=r"^inputs must be \(T, samples, d\) and W_in \(n=3, d\), " + shapes):
        R.reservoir_states(W3, W_in, u)
    with pytest.raises(ValueError, match="^W must be a square"):
        R.reservoir_states(np.ones((3, 2)), W_in, u)


def _data(train_labels, test_labels, n_classes):
    return TaskData(None, np.array(train_labels), None, np.array(test_labels), n_classes, "hand")


def test_score_on_hand_made_states():
    """One neuron, T = 2, four train and three test samples: everything countable by hand."""
    final = np.array([-0.95, -0.5, 0.5, 0.95, -0.2, 0.3, 0.8])
    first = np.array([0.9, 0.91, 0.0, 0.0, 0.0, 0.0, -0.92])
    states = np.stack([first, final])[:, None, :]                 # (T=2, n=1, samples=7)
    data = _data([0, 0, 1, 1], [1, 1, 0], 2)
    res = R._score(states, data, R.ReservoirSettings(ridge=1e-9))
    # the readout on the final state splits at 0: test predictions (0, 1, 1)
    np.testing.assert_array_equal(res.confusion, [[0, 1], [1, 1]])
    assert res.confusion.dtype == np.int64
    assert res.accuracy == pytest.approx(1 / 3) and res.train_accuracy == 1.0
    assert res.saturation == pytest.approx(np.mean(np.abs(states)))
    assert res.fraction_saturated == pytest.approx(4 / 14)        # 0.91, 0.92, 0.95, 0.95; 0.9 is not > 0.9


def test_all_states_features_are_the_concatenated_trajectory():
    """features='all': the readout sees x(1) too; with T=2, n=2 the features are [x1(1), x2(1), x1(2), x2(2)]."""
    g = np.random.default_rng(5)
    states = g.uniform(-1, 1, (2, 2, 12))
    labels = g.integers(0, 2, 12)
    data = _data(labels[:8], labels[8:], 2)
    got = R._score(states, data, R.ReservoirSettings(features="all", ridge=0.1))
    F = np.concatenate([states[0].T, states[1].T], axis=1)
    r = fit_ridge(F[:8], labels[:8], 2, 0.1)
    assert got.accuracy == np.mean(r.predict(F[8:]) == labels[8:])
    assert got.train_accuracy == np.mean(r.predict(F[:8]) == labels[:8])
    final = R._score(states, data, R.ReservoirSettings(features="final", ridge=0.1))
    rf = fit_ridge(states[1].T[:8], labels[:8], 2, 0.1)
    assert final.train_accuracy == np.mean(rf.predict(states[1].T[:8]) == labels[:8])


@pytest.mark.parametrize("options", [
    dict(features="all", input_strength=0.4, ridge=0.01, dtype=np.float32),
    dict(features="final", input_strength=2.0, ridge=1.0, dtype=np.float64),
])
def test_evaluate_is_task_then_states_then_readout(options):
    """The pipeline equals its parts: task from the root seed, W_in from the same root, ridge readout."""
    seed, task_params = 12, dict(classes=3, noise=0.8, length=3, dim=2, train_samples=15, test_samples=9)
    res = R.evaluate(W3, "prototypes", seed=seed, **options, **task_params)
    root = as_seed_sequence(seed)
    data = make_task("prototypes", root, **task_params)
    W_in = R.input_weights(3, 2, options["input_strength"], root)
    inputs = np.concatenate([data.train_inputs, data.test_inputs], axis=1)
    states = R.reservoir_states(W3, W_in, inputs, dtype=options["dtype"])
    settings = R.ReservoirSettings(options["input_strength"], options["ridge"], options["features"],
                                   np.dtype(options["dtype"]).name)
    ref = R._score(states, data, settings)
    assert res.accuracy == ref.accuracy and res.train_accuracy == ref.train_accuracy
    assert res.saturation == ref.saturation and res.fraction_saturated == ref.fraction_saturated
    np.testing.assert_array_equal(res.confusion, ref.confusion)
    assert res.confusion.sum() == 9 and res.confusion.shape == (3, 3)
    assert R.reservoir_accuracy(W3, "prototypes", seed=seed, **options, **task_params) == res.accuracy


def test_batch_is_chunked_without_changing_results(monkeypatch):
    kw = dict(task="recall", tau=0, length=2, alphabet=2, train_samples=6, test_samples=4, seed=3)
    full = R.evaluate_batch(W3, [0.5, 1.0, 2.0], **kw)
    per_gain = 3 * 2 * 10
    monkeypatch.setattr(R, "MAX_ELEMENTS", 2 * per_gain)          # chunks of 2 gains: [0.5, 1], [2]
    chunked = R.evaluate_batch(W3, [0.5, 1.0, 2.0], **kw)
    monkeypatch.setattr(R, "MAX_ELEMENTS", 1)                     # at least one gain per chunk
    single = R.evaluate_batch(W3, [0.5, 1.0, 2.0], **kw)
    for key in ("accuracy", "train_accuracy", "saturation", "fraction_saturated", "confusion"):
        np.testing.assert_array_equal(chunked[key], full[key], err_msg=key)
        np.testing.assert_array_equal(single[key], full[key], err_msg=key)
    assert full["confusion"].shape == (3, 2, 2) and full["saturation"].shape == (3,)
    one = R.evaluate(2.0 * W3, **kw)
    assert one.saturation == pytest.approx(full["saturation"][2], rel=1e-12)


def test_reservoir_settings_defaults_and_validation():
    s = R.ReservoirSettings()
    assert s.as_dict() == dict(input_strength=1.0, ridge=1e-6, features="final", dtype="float64",
                               saturation_threshold=0.9)
    assert R.ReservoirSettings(0, 1, "all", np.float32, 0.5).as_dict() == dict(
        input_strength=0.0, ridge=1.0, features="all", dtype="float32", saturation_threshold=0.5)
    converted = R.ReservoirSettings(1, 2, "final", "float64")
    assert type(converted.input_strength) is float and type(converted.ridge) is float
    for kwargs in (dict(input_strength=-1e-9), dict(ridge=0.0), dict(features="last"), dict(dtype="float16")):
        with pytest.raises(ValueError, match=f"^{next(iter(kwargs))} must be"):
            R.ReservoirSettings(**kwargs)


def test_defaults_are_digits_unit_input_strength_tiny_ridge_final_state():
    """reservoir_accuracy / evaluate without options = the documented defaults, spelled out (3 neurons: cheap)."""
    explicit = R.evaluate_batch(W3, [1.0], "digits", input_strength=1.0, ridge=1e-6, features="final", seed=1,
                                dtype=np.float64)
    res = R.evaluate(W3, seed=1)
    assert res.accuracy == explicit["accuracy"][0] and res.saturation == explicit["saturation"][0]
    assert R.reservoir_accuracy(W3, seed=1) == explicit["accuracy"][0]
    plain = R.evaluate_batch(W3, [1.0], seed=1)
    assert plain["train_accuracy"][0] == explicit["train_accuracy"][0]
