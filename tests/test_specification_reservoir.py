"""The two reservoir options the specification space adds: a cross-validated ridge and a washout drive."""
import numpy as np
import pytest

from rnnlib.reservoir.driven import evaluate, evaluate_batch
from rnnlib.reservoir.readout import RIDGE_GRID, fit_ridge, fit_ridge_cv


def _data(seed=0, samples=120, p=15, classes=3):
    g = np.random.default_rng(seed)
    labels = g.integers(0, classes, samples)
    F = g.standard_normal((samples, p)) + 0.8 * np.eye(classes, p)[labels]
    return F, labels


def test_cv_choice_equals_brute_force_folds():
    F, labels = _data()
    readout, best = fit_ridge_cv(F, labels, 3, folds=4)
    fold = np.arange(len(labels)) % 4
    correct = []
    for r in RIDGE_GRID:
        c = 0
        for k in range(4):
            fit = fit_ridge(F[fold != k], labels[fold != k], 3, r)
            c += np.sum(fit.predict(F[fold == k]) == labels[fold == k])
        correct.append(c)
    correct = np.array(correct)
    assert best == min(r for r, c in zip(RIDGE_GRID, correct) if c == correct.max())
    again = fit_ridge(F, labels, 3, best)
    np.testing.assert_allclose(readout.weights, again.weights)
    np.testing.assert_allclose(readout.bias, again.bias)


def test_cv_prefers_strong_ridge_on_pure_noise_features_with_few_samples():
    g = np.random.default_rng(1)
    F, labels = g.standard_normal((40, 60)), np.arange(40) % 2
    F[:, 0] += 3.0 * labels          # one informative feature among 60 noise ones
    _, best = fit_ridge_cv(F, labels, 2)
    assert best >= 1.0


def test_cv_ridge_in_evaluate_matches_one_fixed_grid_ridge():
    W = np.random.default_rng(2).standard_normal((30, 30)) * (0.9 / np.sqrt(30))
    cv = evaluate(W, "prototypes", ridge="cv", seed=3, train_samples=200, test_samples=100)
    fixed = {evaluate(W, "prototypes", ridge=r, seed=3, train_samples=200, test_samples=100).accuracy
             for r in RIDGE_GRID}
    assert cv.accuracy in fixed


def test_bad_ridge_and_washout_are_refused():
    W = np.zeros((5, 5))
    with pytest.raises(ValueError, match="ridge"):
        evaluate(W, "digits", ridge="auto")
    with pytest.raises(ValueError, match="washout"):
        evaluate(W, "digits", washout=-1)
    with pytest.raises(ValueError, match="folds"):
        fit_ridge_cv(*_data(), 3, folds=1)


def test_washout_zero_is_the_default_bit_for_bit():
    W = np.random.default_rng(4).standard_normal((20, 20)) * (1.2 / np.sqrt(20))
    a = evaluate_batch(W, [0.5, 1.0], "recall", seed=5, train_samples=100, test_samples=50)
    b = evaluate_batch(W, [0.5, 1.0], "recall", seed=5, washout=0, train_samples=100, test_samples=50)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def test_washout_changes_nothing_without_recurrence_and_something_with_it():
    """With W = 0 the state is tanh(W_in u(t)): no memory of earlier input, so a washout cannot matter."""
    kw = dict(seed=6, train_samples=150, test_samples=80)
    zero = np.zeros((25, 25))
    a, b = evaluate(zero, "parity", **kw), evaluate(zero, "parity", washout=23, **kw)
    assert (a.accuracy, a.saturation, a.fraction_saturated) == pytest.approx(
        (b.accuracy, b.saturation, b.fraction_saturated))
    W = np.random.default_rng(7).standard_normal((25, 25)) * (1.5 / np.sqrt(25))
    c, d = evaluate(W, "parity", **kw), evaluate(W, "parity", washout=23, **kw)
    assert c.saturation != d.saturation
