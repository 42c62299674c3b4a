"""Spectra against random-matrix theory."""
import numpy as np
import pytest

import rnnlib
from rnnlib import theory


@pytest.mark.parametrize("w", [0.5, 2.0])
def test_bulk_radius_follows_the_circular_law_at_zero_balance(w):
    W = rnnlib.make_weights(600, w, 0.0, seed=1)
    assert rnnlib.spectral_radius(W) == pytest.approx(theory.circular_law_radius(w), rel=0.05)


@pytest.mark.parametrize("b", [-0.6, 0.5])
def test_mean_weight_creates_the_predicted_outlier_and_bulk(b):
    n, w = 600, 1.0
    ev = rnnlib.eigenvalues(rnnlib.make_weights(n, w, b, seed=2))    # sorted by modulus, largest first
    outlier = theory.mean_outlier(n, w, b)
    assert ev[0].real == pytest.approx(outlier, rel=0.1) and abs(ev[0].imag) < 1e-8
    assert abs(ev[1]) == pytest.approx(theory.circular_law_radius(w, b), rel=0.07)


def test_symmetric_matrix_has_real_spectrum_on_the_semicircle():
    W = rnnlib.make_weights(600, 1.0, 0.0, reciprocity=1.0, seed=3)
    ev = rnnlib.eigenvalues(W)
    assert np.isrealobj(ev) or np.all(np.abs(np.imag(ev)) < 1e-10)
    a, b = theory.elliptic_law_axes(1.0, 0.0, 1.0)
    assert (a, b) == (2.0, 0.0)
    assert np.max(np.abs(ev)) == pytest.approx(a, rel=0.05)


def test_partial_reciprocity_gives_the_elliptic_law():
    H = 0.5
    ev = rnnlib.eigenvalues(rnnlib.make_weights(800, 1.0, 0.0, reciprocity=H, seed=4))
    a, b = theory.elliptic_law_axes(1.0, 0.0, H)
    assert np.max(np.abs(ev.real)) == pytest.approx(a, rel=0.06)
    assert np.max(np.abs(ev.imag)) == pytest.approx(b, rel=0.1)


def test_circular_law_radius_formula():
    assert theory.circular_law_radius(2.0, 0.0) == 2.0
    assert theory.circular_law_radius(1.0, 1.0) == pytest.approx(np.sqrt(1 - 2 / np.pi))


def test_meanfield_lyapunov_is_ln_w_below_one_and_crosses_zero_at_one():
    for w in (0.3, 0.8):
        assert theory.meanfield_lyapunov(w) == pytest.approx(np.log(w), abs=1e-10)
    assert theory.meanfield_lyapunov(1.0) == pytest.approx(0.0, abs=1e-3)
    assert theory.meanfield_lyapunov(1.2) > 0
    lam = [theory.meanfield_lyapunov(w) for w in (1.5, 2, 3, 5)]
    assert np.all(np.diff(lam) > 0)
    assert theory.meanfield_lyapunov(0) == -np.inf
