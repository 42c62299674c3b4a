"""Spectra against random-matrix theory."""
import numpy as np
import pytest

import rnnlib
from rnnlib.model import theory


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


# --- bulk_radius against eigenvalues of large matrices -------------------------------------------
#
# Tolerances (n = 1000, one matrix per case). The eigenvalue nearest to each predicted outlier is
# removed first; those predicted beyond 1.5 times the bulk's extent must lie within 6 % of the
# prediction (closer to the edge, finite-n shifts are of order one: the theory gives the limit). Then, for a disk or ellipse with
# uniform density, the radius estimated from the 90 % quantile of the moduli in the ellipse's
# normalized coordinates (P(rho < x) = (x / r)^2) must lie within 3 %; for the non-uniform density
# of unequal modules, the 99 % quantile of the moduli within 4 % of r (the edge); with pair
# correlation, the 99.5 % quantile of |Re| within 5 % of (1 + tau) r. Quantiles, not maxima, since
# Dale's nilpotent column means leave a few random eigenvalues outside the bulk at finite n
# (Bordenave and Capitaine 2016), which the theory does not place.

N_BIG = 1000
GRID = [
    dict(),
    dict(balance=0.4, density=0.3),
    dict(dale=1.0),
    dict(dale=0.5, balance=0.3),
    dict(dale=1.0, balance=-0.4, density=0.1),
    dict(dale=1.0, balance=0.3, constructions={"dale": "balanced"}),
    dict(dale=0.5, balance=-0.2, density=0.3, constructions={"dale": "balanced"}),
    dict(reciprocity=0.5, balance=0.3),
    dict(reciprocity=0.7, density=0.1),
    dict(reciprocity=1.0, balance=0.3, density=0.3, constructions={"reciprocity": "sign-copy"}),
    dict(modularity=1.0, balance=0.4),
    dict(modularity=0.5, density=0.3),
    dict(modularity=1.0, constructions={"modularity": "unequal"}),
    dict(modularity=0.5, balance=-0.3, density=0.3, constructions={"modularity": "unequal"}),
    dict(modularity=1.0, constructions={"modularity": "ei-blocks"}),
    dict(modularity=0.5, balance=0.3, density=0.3, constructions={"modularity": "ei-blocks"}),
    dict(modularity=1.0, balance=0.3, constructions={"modularity": "variance"}),
]


def _ids(kw):
    return ",".join(f"{k}={v}" for k, v in kw.items() if k != "constructions") + \
        "".join(f":{v}" for v in kw.get("constructions", {}).values()) or "baseline"


@pytest.mark.parametrize("kw", GRID, ids=_ids)
def test_bulk_radius_matches_eigenvalues_of_large_matrices(kw):
    w = 1.3
    seed = len(_ids(kw))  # a different seed per case, fixed
    spec = theory.bulk_radius(w, n=N_BIG, **kw)
    ev = rnnlib.eigenvalues(rnnlib.make_weights(N_BIG, w, seed=seed, **kw))
    keep = np.ones(ev.size, bool)
    for want in spec.outliers:                     # the nearest eigenvalue is the outlier
        i = np.flatnonzero(keep)[np.argmin(np.abs(ev[keep] - want))]
        keep[i] = False
        if abs(want) > 1.5 * spec.extent:     # near the edge only the limit is predicted
            assert abs(ev[i] - want) < 0.06 * abs(want)
    bulk = ev[keep]
    a, b = spec.semi_axes
    if kw.get("constructions", {}).get("modularity") == "unequal":
        assert np.quantile(np.abs(bulk), 0.99) == pytest.approx(spec.radius, rel=0.04)
    elif b > 0:
        rho = np.hypot(bulk.real / a, bulk.imag / b)
        assert np.quantile(rho, 0.9) / np.sqrt(0.9) == pytest.approx(1.0, rel=0.03)
    if spec.tau > 0:
        assert np.quantile(np.abs(bulk.real), 0.995) == pytest.approx(a, rel=0.05)


def test_closed_forms_of_the_key_facts():
    # Dale at D = 1 shrinks the bulk by sqrt(1 - 2d/pi), whatever the balance
    for b in (0.0, 0.4):
        for d in (1.0, 0.3):
            assert theory.bulk_radius(1.5, b, dale=1.0, density=d).radius == pytest.approx(
                1.5 * np.sqrt(1 - 2 * d / np.pi))
    # rank-swap modularity with equal blocks keeps every row's summed variance: same bulk at b = 0
    for m in (0.3, 1.0):
        for d in (1.0, 0.1):
            assert theory.bulk_radius(2.0, modularity=m, modules=5, density=d).radius == pytest.approx(2.0)
    # ... and at b != 0 it shrinks it slightly and adds K - 1 outliers
    spec = theory.bulk_radius(1.0, 0.4, modularity=1.0, n=1000)
    assert spec.radius < theory.circular_law_radius(1.0, 0.4) and len(spec.outliers) == 4
    # the baseline reduces to the circular law and the mean outlier
    base = theory.bulk_radius(1.2, -0.5, density=0.3, n=500)
    assert base.radius == pytest.approx(theory.circular_law_radius(1.2, -0.5, 0.3))
    assert base.outliers == pytest.approx((theory.mean_outlier(500, 1.2, -0.5, 0.3),))
    # reciprocity: tau = H; elliptic axes
    spec = theory.bulk_radius(1.0, 0.2, reciprocity=0.6)
    assert spec.tau == 0.6 and spec.semi_axes == pytest.approx(theory.elliptic_law_axes(1.0, 0.2, 0.6))
    assert theory.bulk_radius(1.0, reciprocity=1.0, constructions={"reciprocity": "sign-copy"}).tau == \
        pytest.approx(2 / np.pi)
    # balanced Dale has no mean outlier; type-sign keeps the baseline's
    assert theory.bulk_radius(1.0, 0.3, dale=1.0, n=500, constructions={"dale": "balanced"}).outliers == ()
    assert theory.bulk_radius(1.0, 0.3, dale=1.0, n=500).outliers == pytest.approx((theory.mean_outlier(500, 1.0, 0.3),))
    out = theory.bulk_radius(1.0, reciprocity=0.5, balance=0.3).outline(64)
    assert out.shape == (64,) and np.max(out.real) == pytest.approx(theory.bulk_radius(1.0, 0.3, reciprocity=0.5).extent)


def test_bulk_radius_rejects_bad_and_uncovered_input():
    with pytest.raises(ValueError, match="strength"):
        theory.bulk_radius(-1.0)
    with pytest.raises(ValueError, match="dale"):
        theory.bulk_radius(1.0, dale=1.5)
    with pytest.raises(ValueError, match="construction"):
        theory.bulk_radius(1.0, constructions={"dale": "nope"})
    with pytest.raises(NotImplementedError, match="one regularity"):
        theory.bulk_radius(1.0, dale=0.5, modularity=0.5)
    with pytest.raises(ValueError, match="regularity"):
        theory.matched_strength(1.0, 0.0, "hopfield", 1.0)


# --- matched effective coupling --------------------------------------------------------------------

def test_matched_strength_is_the_identity_at_control_zero_and_scales_linearly():
    assert theory.matched_strength(1.7, 0.2, "dale", 0.0) == pytest.approx(1.7)
    assert theory.matched_strength(1.0, 0.0, "dale", 1.0) == pytest.approx(1 / np.sqrt(1 - 2 / np.pi))
    assert theory.matched_strength(1.0, 0.0, "reciprocity", 0.5) == pytest.approx(1 / 1.5)
    assert theory.matched_strength(3.0, 0.0, "dale", 1.0) == pytest.approx(3 * theory.matched_strength(1.0, 0.0, "dale", 1.0))


@pytest.mark.parametrize("regularity,control,b,kw", [
    ("dale", 1.0, 0.0, {}),
    ("dale", 1.0, 0.3, {"density": 0.3, "constructions": {"dale": "balanced"}}),
    ("reciprocity", 0.6, 0.0, {}),
])
def test_matched_strength_gives_equal_measured_bulk_extent(regularity, control, b, kw):
    w = 1.5
    w2 = theory.matched_strength(w, b, regularity, control, **kw)
    assert abs(w2 - w) > 0.05 * w
    extents = []
    for c, s in ((0.0, w), (control, w2)):
        spec = theory.bulk_radius(s, b, n=N_BIG, **{regularity: c}, **kw)
        ev = rnnlib.eigenvalues(rnnlib.make_weights(N_BIG, s, b, seed=11, **{regularity: c}, **kw))
        bulk = ev[len(spec.outliers):]
        # robust largest real part of the bulk: for tau >= 0 the extent (largest modulus) lies on the real axis
        extents.append(np.quantile(np.abs(bulk.real), 0.99))
    assert extents[1] == pytest.approx(extents[0], rel=0.04)


@pytest.mark.parametrize("q,b,d,signed", [(0.5, -0.9, 1.0, True), (0.4, -0.2, 0.3, True), (0.8, 0.3, 0.3, True),
                                          (0.1, 0.3, 0.3, False), (0.5, 0.3, 0.3, False)])
def test_partial_moments_of_the_top_fraction_match_sorted_samples(q, b, d, signed):
    rng = np.random.default_rng(0)
    m = 400_000
    x = np.where(rng.random(m) < (1 + b) / 2, 1, -1) * (rng.random(m) < d) * np.abs(rng.standard_normal(m)) / np.sqrt(d)
    top = np.argsort(-(x if signed else np.abs(x)), kind="stable")[:int(q * m)]
    first, second = theory._partial_moments(q, b, d, signed)
    assert first == pytest.approx(x[top].sum() / m, abs=0.004)
    assert second == pytest.approx((x[top] ** 2).sum() / m, abs=0.006)
