"""Exact answers for the random-matrix and mean-field theory (issue 20).

Every expected value is worked out here from the law it states, on small exact
inputs: the circular law at balance 0, the mean outlier, the elliptic law at a
known correlation, 2 x 2 block variance profiles (bulk radius squared = largest
eigenvalue of the block variances weighted by the block fractions, written out
with the quadratic formula), the outliers of 2 x 2 block means, the mean-field
fixed point against scipy's adaptive quadrature, the matched-strength
identities and the messages of bad input. No random matrix is sampled.
"""
import dataclasses
import re

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import norm

from rnnlib.model import constructions, theory

SQ2PI = np.sqrt(2 / np.pi)          # E|z| of a standard normal z


def largest_eigenvalue_2x2(a, b, c, d):
    """Largest eigenvalue of [[a, b], [c, d]] with real eigenvalues, by the quadratic formula."""
    half_trace = (a + d) / 2
    return half_trace + np.sqrt(half_trace ** 2 - (a * d - b * c))


def eigenvalues_2x2(a, b, c, d):
    half_trace = (a + d) / 2
    root = np.sqrt(half_trace ** 2 - (a * d - b * c))
    return half_trace + root, half_trace - root


def half_normal_tail(q):
    """Threshold t with P(|z| > t) = q, and E[|z|; |z| > t], E[z^2; |z| > t]."""
    t = norm.isf(q / 2)
    return t, 2 * norm.pdf(t), 2 * (t * norm.pdf(t) + norm.sf(t))


def gauss_mean(f):
    """E f(z) for a standard normal z, by adaptive quadrature (independent of the module's grid)."""
    return integrate.quad(lambda z: f(z) * norm.pdf(z), -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12, limit=400)[0]


# --------------------------------------------------------------------------- circular law, outlier, ellipse

@pytest.mark.parametrize("w", [0.0, 0.7, 2.5])
@pytest.mark.parametrize("d", [1.0, 0.3])
def test_circular_law_at_zero_balance_is_the_strength(w, d):
    assert theory.circular_law_radius(w, 0.0, d) == w
    assert theory.bulk_radius(w, 0.0, density=d).radius == pytest.approx(w, abs=1e-15)


def test_circular_law_radius_by_hand():
    # w = 2, b = 1/2, d = 1/4: 2 d b^2 / pi = 1 / (8 pi)
    assert theory.circular_law_radius(2.0, 0.5, 0.25) == pytest.approx(2 * np.sqrt(1 - 1 / (8 * np.pi)), rel=1e-15)
    assert theory.circular_law_radius(2.0, -0.5, 0.25) == theory.circular_law_radius(2.0, 0.5, 0.25)
    assert theory.circular_law_radius(1.0, 1.0) == pytest.approx(np.sqrt(1 - 2 / np.pi), rel=1e-15)   # d = 1
    assert theory.circular_law_radius(3.0) == 3.0                                                      # b = 0


def test_mean_outlier_by_hand():
    # N mu = b w sqrt(2 d N / pi); n = 8, d = 1/4 gives sqrt(4 / pi)
    assert theory.mean_outlier(8, 1.5, 0.5, 0.25) == pytest.approx(0.75 * 2 / np.sqrt(np.pi), rel=1e-15)
    assert theory.mean_outlier(8, 1.5, -0.5, 0.25) == pytest.approx(-0.75 * 2 / np.sqrt(np.pi), rel=1e-15)
    assert theory.mean_outlier(2, 1.0, 1.0) == pytest.approx(2 / np.sqrt(np.pi), rel=1e-15)          # d = 1
    assert theory.mean_outlier(100, 2.0) == 0.0                                                       # b = 0
    assert theory.mean_outlier(1, 1.0, 1.0) == pytest.approx(SQ2PI, rel=1e-15)


def test_elliptic_law_axes_at_known_correlations():
    assert theory.elliptic_law_axes(2.0, 0.0, 0.25) == pytest.approx((2.5, 1.5), rel=1e-15)
    assert theory.elliptic_law_axes(1.0, 0.0, -0.5) == pytest.approx((0.5, 1.5), rel=1e-15)
    assert theory.elliptic_law_axes(1.0, 0.0, 1.0) == (2.0, 0.0)                  # semicircle [-2r, 2r]
    assert theory.elliptic_law_axes(2.0) == (2.0, 2.0)                            # a disk
    r = 2 * np.sqrt(1 - 1 / (8 * np.pi))
    assert theory.elliptic_law_axes(2.0, 0.5, 0.25, 0.25) == pytest.approx((1.25 * r, 0.75 * r), rel=1e-15)
    r1 = np.sqrt(1 - 2 / np.pi)
    assert theory.elliptic_law_axes(1.0, 1.0, 0.5) == pytest.approx((1.5 * r1, 0.5 * r1), rel=1e-15)   # d = 1


# --------------------------------------------------------------------------- BulkSpectrum

def test_bulk_spectrum_axes_extent_and_outline():
    spec = theory.BulkSpectrum(2.0, 0.25)
    assert spec.semi_axes == (2.5, 1.5) and spec.extent == 2.5 and spec.outliers == ()
    assert theory.BulkSpectrum(1.5).semi_axes == (1.5, 1.5)
    np.testing.assert_allclose(spec.outline(5), [2.5, 1.5j, -2.5, -1.5j, 2.5], atol=1e-15)
    np.testing.assert_allclose(spec.outline(3), [2.5, -2.5, 2.5], atol=1e-15)
    edge = theory.BulkSpectrum(1.0, 0.5).outline()
    assert edge.shape == (256,)
    np.testing.assert_allclose((edge.real / 1.5) ** 2 + (edge.imag / 0.5) ** 2, 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.radius = 1.0


# --------------------------------------------------------------------------- block variance profiles

@pytest.mark.parametrize("control", [1.0, 0.5])
def test_two_unequal_modules_at_zero_balance_follow_the_block_variance_profile(control):
    # modules of fractions s = (1/3, 2/3); within-block fraction f = 1/9 + 4/9; the top q = M f of
    # the magnitudes |z| (those above t) fill a fraction M of the within-block pairs.
    s1, s2 = 1 / 3, 2 / 3
    q = control * 5 / 9
    _, _, m2 = half_normal_tail(q)
    v_top, v_rest = m2 / q, (1 - m2) / (1 - q)
    v_in, v_out = control * v_top + (1 - control) * v_rest, v_rest
    w = 1.7
    # B_kl = v_kl s_l: [[v_in s1, v_out s2], [v_out s1, v_in s2]]; r^2 = w^2 rho(B)
    rho = largest_eigenvalue_2x2(v_in * s1, v_out * s2, v_out * s1, v_in * s2)
    spec = theory.bulk_radius(w, 0.0, modularity=control, modules=2, n=400, constructions={"modularity": "unequal"})
    assert spec.radius == pytest.approx(w * np.sqrt(rho), rel=1e-12)
    assert spec.radius > w * 1.01 and spec.tau == 0.0 and spec.outliers == ()   # no mean at b = 0


def test_two_unequal_modules_with_a_mean_give_two_ordered_outliers():
    s1, s2 = 1 / 3, 2 / 3
    b, w, n, q = -0.6, 1.0, 400, 5 / 9                    # modularity 1: q = f
    _, m1, m2 = half_normal_tail(q)
    mu_in, mu_out = b * m1 / q, b * (SQ2PI - m1) / (1 - q)
    v_in, v_out = m2 / q - mu_in ** 2, (1 - m2) / (1 - q) - mu_out ** 2
    r = w * np.sqrt(largest_eigenvalue_2x2(v_in * s1, v_out * s2, v_out * s1, v_in * s2))
    scale = w * np.sqrt(n)
    theta = eigenvalues_2x2(scale * mu_in * s1, scale * mu_out * s2, scale * mu_out * s1, scale * mu_in * s2)
    theta = sorted(theta, key=abs, reverse=True)
    assert abs(theta[1]) > r
    spec = theory.bulk_radius(w, b, modularity=1.0, modules=2, n=n, constructions={"modularity": "unequal"})
    assert spec.radius == pytest.approx(r, rel=1e-12)
    assert spec.outliers == pytest.approx(theta, rel=1e-12)
    assert all(isinstance(z, complex) for z in spec.outliers) and spec.outliers[0].real < spec.outliers[1].real < 0


@pytest.mark.parametrize("K", [2, 4])
@pytest.mark.parametrize("M", [1.0, 0.5])
def test_equal_modules_rank_swap_closed_forms(K, M):
    # the top q = M / K of |z| (above t) fill a fraction M of the within-block pairs; with equal
    # blocks every row has the summed variance 1 - mu_in^2 / K - (1 - 1/K) mu_out^2, and the block
    # means (mu_in on the diagonal, mu_out off it) have the eigenvalue (mu_in + (K - 1) mu_out) / K
    # once and (mu_in - mu_out) / K  K - 1 times
    b, w, n = 0.4, 1.3, 900
    q = M / K
    _, m1, _ = half_normal_tail(q)
    top, rest = b * m1 / q, b * (SQ2PI - m1) / (1 - q)
    mu_in, mu_out = M * top + (1 - M) * rest, rest
    spec = theory.bulk_radius(w, b, modularity=M, n=n, **({"modules": K} if K != 4 else {}))   # 4: the default
    assert spec.radius == pytest.approx(w * np.sqrt(1 - mu_in ** 2 / K - (1 - 1 / K) * mu_out ** 2), rel=1e-12)
    big, small = w * np.sqrt(n) * (mu_in + (K - 1) * mu_out) / K, w * np.sqrt(n) * (mu_in - mu_out) / K
    assert small > spec.radius
    assert spec.outliers == pytest.approx((big,) + (small,) * (K - 1), rel=1e-12)


def test_variance_reading_two_equal_modules():
    # f = 1/2: block variance factors 1 + M within and 1 - M between; mean0 sqrt(g2) as block means
    b, w, n, M = 0.5, 1.0, 100, 0.5
    mean0 = b * SQ2PI
    spec = theory.bulk_radius(w, b, modularity=M, modules=2, n=n, constructions={"modularity": "variance"})
    assert spec.radius == pytest.approx(w * np.sqrt(1 - mean0 ** 2), rel=1e-12)   # equal row sums
    big = w * np.sqrt(n) * mean0 * (np.sqrt(1 + M) + np.sqrt(1 - M)) / 2
    small = w * np.sqrt(n) * mean0 * (np.sqrt(1 + M) - np.sqrt(1 - M)) / 2
    assert spec.radius < small < 2 * spec.radius
    assert spec.outliers == pytest.approx((big, small), rel=1e-12)
    neg = theory.bulk_radius(w, -b, modularity=M, modules=2, n=n, constructions={"modularity": "variance"})
    assert neg.outliers == pytest.approx((-big, -small), rel=1e-12)
    # M = 1: no variance between blocks, twice the variance within: the same bulk, a double outlier
    one = theory.bulk_radius(w, b, modularity=1.0, modules=2, n=n, constructions={"modularity": "variance"})
    assert one.radius == pytest.approx(spec.radius, rel=1e-12)
    assert one.outliers == pytest.approx((w * np.sqrt(n) * mean0 / np.sqrt(2),) * 2, rel=1e-12)


def test_variance_reading_four_modules_gives_real_outliers():
    # g2 = 1 + M (1 - f) / f = 2.5 within (f = 1/4), 1 - M = 0.5 between; the means
    # mean0 sqrt(g2) / 4 have the eigenvalue (sqrt(2.5) + 3 sqrt(0.5)) / 4 once and
    # (sqrt(2.5) - sqrt(0.5)) / 4 three times (numpy returns the triple one with imaginary parts ~1e-17)
    b, d, w, n, M = 0.4, 0.7, 1.0, 900, 0.5
    mean0 = b * np.sqrt(d) * SQ2PI
    spec = theory.bulk_radius(w, b, modularity=M, density=d, n=n, constructions={"modularity": "variance"})
    big = w * np.sqrt(n) * mean0 * (np.sqrt(2.5) + 3 * np.sqrt(0.5)) / 4
    small = w * np.sqrt(n) * mean0 * (np.sqrt(2.5) - np.sqrt(0.5)) / 4
    assert spec.radius == pytest.approx(w * np.sqrt(1 - mean0 ** 2), rel=1e-12)
    assert spec.outliers == pytest.approx((big,) + (small,) * 3, rel=1e-12)
    assert all(z.imag == 0 for z in spec.outliers)


def test_ei_blocks_two_modules_at_zero_balance():
    # q = 1/2 = the positive half: within blocks all weights positive (mean sqrt(2/pi)), between all
    # negative; every element has variance 1 - 2/pi; the means [[1, -1], [-1, 1]] sqrt(2/pi) / 2
    # have the eigenvalues 0 and sqrt(2/pi)
    w, n = 1.2, 50
    spec = theory.bulk_radius(w, 0.0, modularity=1.0, modules=2, n=n, constructions={"modularity": "ei-blocks"})
    assert spec.radius == pytest.approx(w * np.sqrt(1 - 2 / np.pi), rel=1e-12)
    assert spec.outliers == pytest.approx((w * np.sqrt(n) * SQ2PI,), rel=1e-12)


@pytest.mark.parametrize("reading", ["rank-swap", "unequal", "ei-blocks", "variance"])
@pytest.mark.parametrize("b", [0.0, 0.5])
def test_one_module_is_the_baseline(reading, b):
    base = theory.bulk_radius(1.1, b, density=0.3, n=64)
    one = theory.bulk_radius(1.1, b, modularity=1.0, modules=1, density=0.3, n=64,
                             constructions={"modularity": reading})
    assert one.radius == pytest.approx(base.radius, rel=1e-12)
    assert one.outliers == pytest.approx(base.outliers, rel=1e-12)


# --------------------------------------------------------------------------- partial moments of a top fraction

def test_partial_moments_on_each_branch():
    b, d = 0.2, 0.5
    p, qn = 0.6, 0.4
    assert theory._partial_moments(0.0, b, d, True) == (0.0, 0.0)
    # unsigned, all elements above t = 1 (a fraction d P(|z| > 1) of them)
    t, m1, m2 = 1.0, 2 * norm.pdf(1.0), 2 * (norm.pdf(1.0) + norm.sf(1.0))
    q = d * 2 * norm.sf(t)
    assert theory._partial_moments(q, b, d, False) == pytest.approx((b * np.sqrt(d) * m1, m2), rel=1e-12)
    # signed, the positive elements above t = 1
    assert theory._partial_moments(d * p * 2 * norm.sf(t), b, d, True) == pytest.approx(
        (p * np.sqrt(d) * m1, p * m2), rel=1e-12)
    # signed, exactly the positive elements; then also some zeros
    full = (p * np.sqrt(d) * SQ2PI, p)
    assert theory._partial_moments(d * p, b, d, True) == pytest.approx(full, rel=1e-12)
    assert theory._partial_moments(d * p + 0.1, b, d, True) == pytest.approx(full, rel=1e-12)
    # signed, also the negative elements of magnitude below t = 1
    q = d * p + (1 - d) + d * qn * (1 - 2 * norm.sf(t))
    assert theory._partial_moments(q, b, d, True) == pytest.approx(
        (p * np.sqrt(d) * SQ2PI - qn * np.sqrt(d) * (SQ2PI - m1), p + qn * (1 - m2)), rel=1e-12)
    # unsigned beyond the non-zero elements: all of them
    assert theory._partial_moments(0.7, b, d, False) == pytest.approx((b * np.sqrt(d) * SQ2PI, 1.0), rel=1e-12)
    # everything
    for signed in (True, False):
        assert theory._partial_moments(1.0, b, d, signed) == pytest.approx((b * np.sqrt(d) * SQ2PI, 1.0), rel=1e-12)


# --------------------------------------------------------------------------- Dale and reciprocity

def test_dale_type_sign_closed_form_and_its_single_outlier():
    D, b, d, w, n = 0.5, 0.4, 0.5, 1.5, 200
    spec = theory.bulk_radius(w, b, dale=D, density=d, n=n)
    assert spec.radius == pytest.approx(w * np.sqrt(1 - 2 * d / np.pi * (D ** 2 + b ** 2 * (1 - D ** 2))), rel=1e-12)
    assert spec.outliers == pytest.approx((theory.mean_outlier(n, w, b, d),), rel=1e-12)
    assert spec.outliers[0] == pytest.approx(b * w * np.sqrt(2 * d * n / np.pi), rel=1e-12)
    # b = 0: the column means sum to zero, the mean matrix is nilpotent: no outlier
    assert theory.bulk_radius(1.0, 0.0, dale=1.0, n=n).outliers == ()


def test_dale_balanced_by_hand():
    D, b, d, w, n = 0.5, 0.2, 0.5, 1.0, 400
    p = 0.6
    alpha = 1 + D * (np.sqrt(0.4 / 0.6) - 1)
    beta = 1 + D * (np.sqrt(0.6 / 0.4) - 1)
    pos = np.array([D + (1 - D) * p, (1 - D) * p])               # P(w > 0) in an E and an I column
    mean = np.sqrt(d) * SQ2PI * (pos * alpha - (1 - pos) * beta)
    var = pos * alpha ** 2 + (1 - pos) * beta ** 2 - mean ** 2
    sizes = np.array([p, 1 - p])
    spec = theory.bulk_radius(w, b, dale=D, density=d, n=n, constructions={"dale": "balanced"})
    assert spec.radius == pytest.approx(w * np.sqrt(np.sum(var * sizes)), rel=1e-12)   # equal rows
    theta = w * np.sqrt(n) * np.sum(mean * sizes)                 # rank one: 1 (mean * sizes)^T
    assert theta > spec.radius
    assert spec.outliers == pytest.approx((theta,), rel=1e-12)
    full = theory.bulk_radius(w, 0.3, dale=1.0, density=d, n=n, constructions={"dale": "balanced"})
    assert full.radius == pytest.approx(w * np.sqrt(1 - 2 * d / np.pi), rel=1e-12) and full.outliers == ()


@pytest.mark.parametrize("b", [1.0, -1.0])
def test_dale_balanced_needs_both_types(b):
    with pytest.raises(ValueError, match=re.escape(
            f"balance must be in (-1, 1) for the 'balanced' Dale reading, got {b}")):
        theory.bulk_radius(1.0, b, dale=0.5, constructions={"dale": "balanced"})
    assert theory.bulk_radius(1.0, b, dale=0.5).radius == pytest.approx(np.sqrt(1 - 2 / np.pi))


def test_reciprocity_pair_correlation_and_shifted_outlier():
    b, w, n, H = 0.5, 1.2, 50, 0.5
    r = theory.circular_law_radius(w, b)
    theta = theory.mean_outlier(n, w, b)
    spec = theory.bulk_radius(w, b, reciprocity=H, n=n)
    assert spec.tau == H and spec.radius == pytest.approx(r, rel=1e-12)
    assert spec.outliers == pytest.approx((theta + H * r * r / theta,), rel=1e-12)
    # sign-copy: tau = H (2d/pi)(1 - b^2) / (1 - 2 d b^2 / pi); d = 1/2, b = 1/2
    d = 0.5
    tau = H * (1 / np.pi) * 0.75 / (1 - 0.25 / np.pi)
    sign = theory.bulk_radius(w, b, reciprocity=H, density=d, n=n, constructions={"reciprocity": "sign-copy"})
    assert sign.tau == pytest.approx(tau, rel=1e-12)
    r, theta = theory.circular_law_radius(w, b, d), theory.mean_outlier(n, w, b, d)
    assert sign.outliers == pytest.approx((theta + tau * r * r / theta,), rel=1e-12)


def test_outliers_need_the_size_and_a_positive_strength():
    assert theory.bulk_radius(1.0, 0.5).outliers == ()
    assert theory.bulk_radius(0.0, 0.5, n=100) == theory.BulkSpectrum(0.0, 0.0, ())
    one = theory.bulk_radius(1.0, 0.5, n=100)
    assert one.outliers == pytest.approx((theory.mean_outlier(100, 1.0, 0.5),), rel=1e-12)
    assert theory.bulk_radius(1.0, 0.5, n=1).outliers == ()          # sqrt(1) mu < r: no outlier
    # at n = 1 and b^2 = pi / 4 the mean eigenvalue b sqrt(2 / pi) = sqrt(1/2) lies on the bulk's edge
    # sqrt(1 - 2 b^2 / pi) = sqrt(1/2), up to rounding: not an outlier
    edge = theory.bulk_radius(1.0, np.sqrt(np.pi) / 2, n=1)
    assert edge.radius == pytest.approx(np.sqrt(0.5), rel=1e-15) and edge.outliers == ()
    assert theory.bulk_radius(1.0, np.sqrt(np.pi) / 2 * 1.0001, n=1).outliers != ()


# --------------------------------------------------------------------------- bad and uncovered input

def msg(text):
    return "^" + re.escape(text) + "$"


@pytest.mark.parametrize("call,text", [
    (lambda: theory.circular_law_radius(-0.1), "strength must be a finite number >= 0.0, got -0.1"),
    (lambda: theory.circular_law_radius(1.0, 1.5), "balance must be a finite number in [-1.0, 1.0], got 1.5"),
    (lambda: theory.circular_law_radius(1.0, -1.5), "balance must be a finite number in [-1.0, 1.0], got -1.5"),
    (lambda: theory.circular_law_radius(1.0, 0.0, 0.0), "density must be a finite number in (0.0, 1.0], got 0.0"),
    (lambda: theory.circular_law_radius(1.0, 0.0, 1.5), "density must be a finite number in (0.0, 1.0], got 1.5"),
    (lambda: theory.mean_outlier(0, 1.0), "n must be an integer >= 1, got 0"),
    (lambda: theory.mean_outlier(2.5, 1.0), "n must be an integer >= 1, got 2.5"),
    (lambda: theory.mean_outlier(2, -1.0), "strength must be a finite number >= 0.0, got -1.0"),
    (lambda: theory.mean_outlier(2, 1.0, 2.0), "balance must be a finite number in [-1.0, 1.0], got 2.0"),
    (lambda: theory.mean_outlier(2, 1.0, 0.0, 0.0), "density must be a finite number in (0.0, 1.0], got 0.0"),
    (lambda: theory.elliptic_law_axes(1.0, 0.0, 1.5), "correlation must be a finite number in [-1.0, 1.0], got 1.5"),
    (lambda: theory.elliptic_law_axes(1.0, 0.0, -1.5), "correlation must be a finite number in [-1.0, 1.0], got -1.5"),
    (lambda: theory.elliptic_law_axes(-1.0), "strength must be a finite number >= 0.0, got -1.0"),
    (lambda: theory.meanfield_variance(-1.0), "strength must be a finite number >= 0.0, got -1.0"),
    (lambda: theory.meanfield_variance(2.0, iterations=0), "iterations must be an integer >= 1, got 0"),
    (lambda: theory.meanfield_variance(2.0, tol=0.0), "tol must be a finite number > 0.0, got 0.0"),
    (lambda: theory.meanfield_lyapunov(-1.0), "strength must be a finite number >= 0.0, got -1.0"),
    (lambda: theory.BulkSpectrum(1.0).outline(2), "points must be an integer >= 3, got 2"),
    (lambda: theory.bulk_radius(-1.0), "strength must be a finite number >= 0.0, got -1.0"),
    (lambda: theory.bulk_radius(1.0, 1.5), "balance must be a finite number in [-1.0, 1.0], got 1.5"),
    (lambda: theory.bulk_radius(1.0, -1.5), "balance must be a finite number in [-1.0, 1.0], got -1.5"),
    (lambda: theory.bulk_radius(1.0, density=0.0), "density must be a finite number in (0.0, 1.0], got 0.0"),
    (lambda: theory.bulk_radius(1.0, density=1.5), "density must be a finite number in (0.0, 1.0], got 1.5"),
    (lambda: theory.bulk_radius(1.0, dale=1.5), "dale must be a finite number in [0.0, 1.0], got 1.5"),
    (lambda: theory.bulk_radius(1.0, dale=-0.5), "dale must be a finite number in [0.0, 1.0], got -0.5"),
    (lambda: theory.bulk_radius(1.0, reciprocity=1.5), "reciprocity must be a finite number in [0.0, 1.0], got 1.5"),
    (lambda: theory.bulk_radius(1.0, modularity=1.5), "modularity must be a finite number in [0.0, 1.0], got 1.5"),
    (lambda: theory.bulk_radius(1.0, modules=0), "modules must be an integer >= 1, got 0"),
    (lambda: theory.bulk_radius(1.0, n=0), "n must be an integer >= 1, got 0"),
    (lambda: theory.bulk_radius(1.0, constructions={"dale": "nope"}),
     "construction for dale must be one of ['balanced', 'type-sign'], got 'nope'"),
    (lambda: theory.matched_strength(-1.0), "strength must be a finite number >= 0.0, got -1.0"),
    (lambda: theory.matched_strength(1.0, 0.0, "dale", 1.5), "control must be a finite number in [0.0, 1.0], got 1.5"),
    (lambda: theory.matched_strength(1.0, 0.0, "dale", -0.5), "control must be a finite number in [0.0, 1.0], got -0.5"),
    (lambda: theory.matched_strength(1.0, 0.0, "hopfield"),
     "regularity must be one of ('dale', 'reciprocity', 'modularity'), got 'hopfield'"),
])
def test_bad_input_is_named_with_its_range(call, text):
    with pytest.raises(ValueError, match=msg(text)):
        call()


def test_edges_of_the_ranges_are_accepted():
    assert theory.circular_law_radius(0.0, -1.0, 1.0) == 0.0
    assert theory.circular_law_radius(1.0, 1.0, 1e-9) == pytest.approx(1.0)
    assert theory.mean_outlier(1, 0.0, -1.0, 1.0) == 0.0
    assert theory.elliptic_law_axes(1.0, 0.0, -1.0) == (0.0, 2.0)
    assert theory.meanfield_variance(0.5, iterations=1, tol=1e-300) == 0.0
    assert theory.bulk_radius(0.5, -1.0, dale=1.0, modules=1, density=1.0, n=1).radius == pytest.approx(
        0.5 * np.sqrt(1 - 2 / np.pi))
    assert theory.bulk_radius(1.0, reciprocity=1.0).semi_axes == (2.0, 0.0)
    assert theory.bulk_radius(1.0, dale=0.0, reciprocity=0.0, modularity=0.0).radius == 1.0
    assert theory.matched_strength(0.0, 0.0, "modularity", 0.0) == 0.0


def test_uncovered_combinations_are_refused():
    with pytest.raises(NotImplementedError, match=msg(
            "bulk_radius covers one regularity at a time, got non-zero ['dale', 'modularity']")):
        theory.bulk_radius(1.0, dale=0.5, modularity=0.5)
    with pytest.raises(NotImplementedError, match=msg(
            "bulk_radius covers one regularity at a time, got non-zero ['reciprocity', 'modularity']")):
        theory.bulk_radius(1.0, reciprocity=1.0, modularity=1.0, constructions={"reciprocity": "sign-copy"})


def test_a_modularity_reading_without_theory_is_refused(monkeypatch):
    monkeypatch.setitem(constructions._REGISTRY["modularity"], "shuffle", lambda W, c, ctx: W)
    assert theory.bulk_radius(1.0, constructions={"modularity": "shuffle"}).radius == 1.0   # control 0
    with pytest.raises(NotImplementedError, match=msg("no bulk theory for the modularity reading 'shuffle'")):
        theory.bulk_radius(1.0, modularity=0.5, constructions={"modularity": "shuffle"})


# --------------------------------------------------------------------------- mean-field exponent

@pytest.mark.parametrize("w", [0.0, 0.5, 1.0])
def test_meanfield_variance_is_zero_up_to_strength_one(w):
    assert theory.meanfield_variance(w) == 0.0


@pytest.mark.parametrize("w", [1.5, 2.0, 4.0, 6.0])
def test_meanfield_variance_is_the_nonzero_fixed_point(w):
    delta = theory.meanfield_variance(w)
    assert delta > 0.5 * (w - 1)
    assert delta == pytest.approx(w * w * gauss_mean(lambda z: np.tanh(np.sqrt(delta) * z) ** 2), rel=1e-10)


def test_meanfield_variance_steps_from_w_squared():
    one = 4.0 * gauss_mean(lambda z: np.tanh(2.0 * z) ** 2)          # one step from Delta = 4
    two = 4.0 * gauss_mean(lambda z: np.tanh(np.sqrt(one) * z) ** 2)
    assert theory.meanfield_variance(2.0, iterations=1) == pytest.approx(one, rel=1e-10)
    assert theory.meanfield_variance(2.0, iterations=2) == pytest.approx(two, rel=1e-10)
    # |one - 4| = 1.46 and |two - one| < 0.3: the first step below the tolerance ends the iteration
    assert theory.meanfield_variance(2.0, tol=2.0) == pytest.approx(one, rel=1e-10)
    assert theory.meanfield_variance(2.0, tol=1.0) == pytest.approx(two, rel=1e-10)
    assert two != pytest.approx(one, rel=1e-3)


@pytest.mark.parametrize("w", [0.3, 0.8, 1.0])
def test_meanfield_lyapunov_is_ln_w_up_to_strength_one(w):
    assert theory.meanfield_lyapunov(w) == pytest.approx(np.log(w), abs=1e-14)


@pytest.mark.parametrize("w", [1.5, 2.0, 4.0, 6.0])
def test_meanfield_lyapunov_at_the_fixed_point(w):
    delta = theory.meanfield_variance(w)
    lam = 0.5 * np.log(w * w * gauss_mean(lambda z: (1 - np.tanh(np.sqrt(delta) * z) ** 2) ** 2))
    assert theory.meanfield_lyapunov(w) == pytest.approx(lam, abs=1e-10)
    assert 0 < lam < np.log(w)


def test_meanfield_lyapunov_of_no_coupling():
    assert theory.meanfield_lyapunov(0.0) == -np.inf


# --------------------------------------------------------------------------- matched strength

def test_extent_ratio_closed_forms():
    assert theory.extent_ratio() == 1.0 and theory.extent_ratio(0.3, density=0.5, modules=3) == 1.0
    assert theory.extent_ratio(0.0, reciprocity=0.5) == pytest.approx(1 / 1.5, rel=1e-12)
    assert theory.extent_ratio(0.5, dale=1.0, density=0.5) == pytest.approx(
        np.sqrt(1 - 0.25 / np.pi) / np.sqrt(1 - 1 / np.pi), rel=1e-12)
    assert theory.extent_ratio(0.0, modularity=1.0, modules=2, constructions={"modularity": "ei-blocks"}) == \
        pytest.approx(1 / np.sqrt(1 - 2 / np.pi), rel=1e-12)
    assert theory.extent_ratio(0.0, reciprocity=1.0, constructions={"reciprocity": "sign-copy"}) == \
        pytest.approx(1 / (1 + 2 / np.pi), rel=1e-12)


@pytest.mark.parametrize("regularity,control,b,kw", [
    ("dale", 1.0, 0.5, {"density": 0.5}),
    ("dale", 0.5, 0.2, {"density": 0.5, "constructions": {"dale": "balanced"}}),
    ("reciprocity", 1.0, 0.0, {"constructions": {"reciprocity": "sign-copy"}}),
    ("modularity", 1.0, 0.0, {"modules": 2, "constructions": {"modularity": "ei-blocks"}}),
    ("modularity", 0.5, 0.4, {"modules": 3}),
])
def test_matched_strength_is_strength_times_extent_ratio(regularity, control, b, kw):
    ratio = theory.extent_ratio(b, **{regularity: control}, **kw)
    assert ratio != pytest.approx(1.0, abs=1e-3)
    assert theory.matched_strength(2.0, b, regularity, control, **kw) == pytest.approx(2.0 * ratio, rel=1e-14)
    # matching means equal real extent of the bulk
    base = theory.bulk_radius(2.0, b, **{k: v for k, v in kw.items() if k != "constructions"}).extent
    new = theory.bulk_radius(2.0 * ratio, b, **{regularity: control}, **kw).extent
    assert new == pytest.approx(base, rel=1e-12)


def test_defaults_of_extent_ratio_and_matched_strength():
    # balance 0, modules 4
    assert theory.extent_ratio(dale=1.0) == pytest.approx(1 / np.sqrt(1 - 2 / np.pi), rel=1e-12)
    k4 = theory.circular_law_radius(1.0, 0.4) / theory.bulk_radius(1.0, 0.4, modularity=1.0, modules=4).radius
    assert k4 != pytest.approx(
        theory.circular_law_radius(1.0, 0.4) / theory.bulk_radius(1.0, 0.4, modularity=1.0, modules=5).radius)
    assert theory.extent_ratio(0.4, modularity=1.0) == pytest.approx(k4, rel=1e-12)
    assert theory.matched_strength(1.0, 0.4, "modularity") == pytest.approx(k4, rel=1e-12)


def test_matched_strength_by_hand():
    assert theory.matched_strength(1.7, 0.2, "dale", 0.0) == 1.7
    assert theory.matched_strength(1.0) == pytest.approx(1 / np.sqrt(1 - 2 / np.pi), rel=1e-12)    # Dale 1, b = 0
    assert theory.matched_strength(1.0, 0.5, "dale", 1.0) == pytest.approx(
        np.sqrt(1 - 0.5 / np.pi) / np.sqrt(1 - 2 / np.pi), rel=1e-12)
    assert theory.matched_strength(2.0, 0.5, "dale", 1.0, density=0.5) == pytest.approx(
        2 * np.sqrt(1 - 0.25 / np.pi) / np.sqrt(1 - 1 / np.pi), rel=1e-12)
    assert theory.matched_strength(3.0, 0.0, "reciprocity", 0.5) == pytest.approx(2.0, rel=1e-12)
    assert theory.matched_strength(1.0, 0.0, "modularity", 1.0, modules=2,
                                   constructions={"modularity": "ei-blocks"}) == pytest.approx(
        1 / np.sqrt(1 - 2 / np.pi), rel=1e-12)


def test_extent_ratio_refuses_a_bulk_of_zero_extent(monkeypatch):
    # no construction has one (every bulk keeps at least the variance 1 - 2/pi of a half-normal);
    # the guard is reached with a stand-in bulk_radius
    real = theory.bulk_radius
    monkeypatch.setattr(theory, "bulk_radius", lambda w, b, dale=0.0, **kw: theory.BulkSpectrum(
        0.0 if dale else real(w, b, **kw).radius))
    with pytest.raises(ValueError, match=msg(
            "the bulk at {'dale': 1.0, 'reciprocity': 0.0, 'modularity': 0.0} has zero extent; "
            "no strength matches it")):
        theory.extent_ratio(0.0, dale=1.0)
