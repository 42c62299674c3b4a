"""Cross-check against reservoirpy 0.4.2: same W, W_in and inputs give the same states and readout."""
import numpy as np
import pytest
import reservoirpy.nodes as rpy

import rnnlib
from rnnlib.reservoir.readout import fit_ridge
from rnnlib.reservoir.driven import input_weights, reservoir_states


@pytest.fixture(scope="module")
def setup():
    W = rnnlib.make_weights(40, 1.2, balance=0.2, seed=21)
    W_in = input_weights(40, 8, 0.8, 21)
    d = rnnlib.make_task("digits", seed=21)
    return W, W_in, d.train_inputs[:, :150], d.train_labels[:150]


def test_states_equal_reservoirpy(setup):
    W, W_in, u, _ = setup
    ours = reservoir_states(W, W_in, u)                                  # (T, n, samples)
    res = rpy.Reservoir(W=W, Win=W_in, bias=0.0, lr=1.0)                 # leak rate 1, zero bias
    theirs = np.asarray(res.run(np.ascontiguousarray(u.transpose(1, 0, 2))))   # (samples, T, n)
    np.testing.assert_allclose(ours, theirs.transpose(1, 2, 0), rtol=0, atol=1e-12)


@pytest.mark.parametrize("lam", [1e-4, 1e-1])
def test_ridge_readout_equals_reservoirpy(setup, lam):
    W, W_in, u, y = setup
    F = reservoir_states(W, W_in, u)[-1].T
    ours = fit_ridge(F, y, 10, lam)
    theirs = rpy.Ridge(ridge=lam).fit(F, np.eye(10)[y])
    np.testing.assert_allclose(ours.weights, theirs.Wout, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.bias, np.ravel(theirs.bias), rtol=0, atol=1e-8)
    np.testing.assert_array_equal(ours.predict(F), np.argmax(theirs.run(F), axis=1))
