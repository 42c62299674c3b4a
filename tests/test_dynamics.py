"""The one simulation loop: batching, gains, precision, Lyapunov exponents with known answers."""
import numpy as np
import pytest

import rnnlib
from rnnlib.model.seeding import rng


def chaotic_W(n=80, seed=0):
    return rnnlib.make_weights(n, 2.0, seed=seed)


def test_many_columns_equal_column_by_column():
    W = chaotic_W()
    X0 = rng(1, "x0").uniform(-1, 1, (80, 6))
    together = rnnlib.run(W, X0, 30, record=True)
    for k in range(6):
        alone = rnnlib.run(W, X0[:, k], 30, record=True)
        np.testing.assert_allclose(together.states[:, :, k], alone.states[:, :, 0], rtol=0, atol=1e-12)


def test_per_column_gain_equals_scaled_matrix():
    """One run over gains g_k equals separate runs of g_k W (the strength sweep trick)."""
    W = chaotic_W(60)
    gains = np.array([0.5, 1.0, 1.7, 3.0])
    x0 = rng(2, "x0").uniform(-1, 1, 60)
    batch = rnnlib.run(W, np.tile(x0[:, None], 4), 25, gain=gains)
    for k, g in enumerate(gains):
        np.testing.assert_allclose(batch.final[:, k], rnnlib.run(g * W, x0, 25).final[:, 0], atol=1e-10)


def test_drive_enters_inside_the_nonlinearity():
    n, T = 5, 4
    W = np.zeros((n, n))
    drive = rng(3, "drive").normal(size=(T, n, 1))
    tr = rnnlib.run(W, np.zeros(n), T, drive=drive, record=True)
    np.testing.assert_array_equal(tr.states[:, :, 0], np.tanh(drive[:, :, 0]))


def test_tangent_propagation_does_not_change_the_states():
    W = chaotic_W()
    x0 = rng(4, "x0").uniform(-1, 1, 80)
    plain = rnnlib.run(W, x0, 50, record=True)
    with_tangent = rnnlib.run(W, x0, 50, record=True, tangent=np.ones((80, 1)))
    np.testing.assert_allclose(with_tangent.states, plain.states, atol=1e-12)


def test_float32_and_float64_agree_over_a_short_horizon():
    W = chaotic_W()
    x0 = rng(5, "x0").uniform(-1, 1, (80, 3))
    a = rnnlib.run(W, x0, 10).final
    b = rnnlib.run(W, x0, 10, dtype=np.float32).final
    assert b.dtype == np.float32
    np.testing.assert_allclose(b, a, atol=1e-4)


@pytest.mark.parametrize("r, theta", [(0.5, 0.0), (0.8, 0.9), (0.3, 2.5)])
def test_linear_map_with_known_eigenvalues_gives_ln_of_spectral_radius(r, theta):
    """Near x = 0, tanh is the identity, so the exponent is ln max|eigenvalue| exactly.

    W = Q diag-blocks Q^T with a rotation-scaling block r R(theta) on top of
    smaller eigenvalues; the state decays to 0 and the tangent map is W.
    """
    n = 6
    D = np.diag([r, 0.2, -0.1, 0.05, 0.0, 0.15])
    D[:2, :2] = r * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    Q, _ = np.linalg.qr(rng(6, "Q").normal(size=(n, n)))
    W = Q @ D @ Q.T
    lam = rnnlib.largest_lyapunov(W, steps=2000, transient=100, seed=1)
    assert lam == pytest.approx(np.log(r), abs=2e-3)


def test_zero_matrix_has_minus_infinite_exponent():
    assert rnnlib.largest_lyapunov(np.zeros((4, 4)), steps=10, transient=0) == -np.inf


def test_chaos_sets_in_near_strength_one_and_follows_mean_field():
    """b = 0, N = 500: lambda < 0 below w = 1, > 0 above, within 0.04 of mean-field theory for w >= 1.5.

    Below w = 1 the state decays and lambda = ln(rho(W)) ~ ln w (circular law).
    Each exponent is averaged over 3 networks; all strengths of a network run as one batch.
    """
    n = 500
    strengths = np.array([0.7, 0.9, 1.2, 1.5, 2.0, 3.0])
    settings = rnnlib.SignatureSettings(steps=600, transient=400)
    lam = np.mean([rnnlib.signatures_batch(rnnlib.make_weights(n, 1.0, seed=s), strengths,
                                           settings=settings, seed=s)["lyapunov"][:, 0]
                   for s in range(3)], axis=0)
    assert np.all(lam[strengths < 1] < 0) and np.all(lam[strengths > 1.1] > 0)
    theory = np.array([rnnlib.meanfield_lyapunov(w) for w in strengths])
    np.testing.assert_allclose(lam[:2], np.log(strengths[:2]), atol=0.05)
    np.testing.assert_allclose(lam[3:], theory[3:], atol=0.04)
