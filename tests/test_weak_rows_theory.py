"""Spectral theory of weak rows (a row-variance profile) against the eigenvalues of n = 1000 matrices."""
import numpy as np
import pytest

import rnnlib
from rnnlib.model import constructions as C, theory

N_BIG = 1000
W_STRENGTH = 1.3


@pytest.mark.parametrize("kw", [
    dict(), dict(balance=0.3, density=0.3), dict(balance=-0.4), dict(control=0.5, balance=0.3),
    dict(reading="rows-20", balance=0.2), dict(reading="rows-5"),
    dict(reading="signed-10", balance=0.3, density=0.3),
], ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()) or "default")
def test_bulk_and_outlier_match_eigenvalues_within_four_percent(kw):
    """The 99 % quantile of the bulk's moduli within 4 % of r (the density is not uniform), the outlier within 4 %."""
    reading, c = kw.pop("reading", "rows-10"), kw.pop("control", 1.0)
    W = rnnlib.make_weights(N_BIG, W_STRENGTH, weak_rows=c, seed=5, constructions={"weak_rows": reading}, **kw)
    spec = theory.weak_rows_bulk(W_STRENGTH, kw.get("balance", 0.0), c, density=kw.get("density", 1.0), n=N_BIG,
                                 reading=reading)
    ev = rnnlib.eigenvalues(W)
    keep = np.ones(ev.size, bool)
    for want in spec.outliers:
        i = np.argmin(np.abs(ev - want))
        keep[i] = False
        assert ev[i] == pytest.approx(want, rel=0.04)
    assert np.quantile(np.abs(ev[keep]), 0.99) == pytest.approx(spec.radius, rel=0.04)


def test_signed_reading_at_zero_balance_centred_part_follows_the_theory():
    """The signed reading's row means (weak rows very negative, the rest slightly positive) sum to zero: a
    nilpotent rank-one mean, which at finite n leaves a few eigenvalues outside the bulk; without it the
    bulk is the predicted one, and no outlier is predicted."""
    W = rnnlib.make_weights(N_BIG, W_STRENGTH, weak_rows=1.0, seed=5, constructions={"weak_rows": "signed-10"})
    spec = theory.weak_rows_bulk(W_STRENGTH, 0.0, 1.0, n=N_BIG, reading="signed-10")
    assert spec.outliers == ()
    rows = C.weak_row_mask(N_BIG, "signed-10")
    centred = W - np.where(rows, W[rows].mean(), W[~rows].mean())[:, None]
    assert np.quantile(np.abs(rnnlib.eigenvalues(centred)), 0.99) == pytest.approx(spec.radius, rel=0.04)
    assert spec.radius < 0.85 * W_STRENGTH        # the row means take a visible share of the variance


def test_closed_forms():
    # magnitude readings at b = 0: row means vanish, the mean square is kept, so r = w at every control
    for reading in ("rows-5", "rows-10", "rows-20"):
        for c in (0.0, 0.3, 1.0):
            assert theory.weak_rows_bulk(2.0, 0.0, c, reading=reading).radius == pytest.approx(2.0, rel=1e-12)
    # control 0 is the baseline, outlier included
    base = theory.bulk_radius(1.5, 0.3, density=0.4, n=400)
    same = theory.weak_rows_bulk(1.5, 0.3, 0.0, density=0.4, n=400)
    assert same.radius == pytest.approx(base.radius, rel=1e-12)
    assert same.outliers[0] == pytest.approx(base.outliers[0], rel=1e-12)
    # the outlier never moves: the mean matrix has the baseline's mean
    assert theory.weak_rows_bulk(1.5, 0.3, 1.0, density=0.4, n=400).outliers[0] == pytest.approx(base.outliers[0])
    # radius scales with strength
    assert theory.weak_rows_bulk(3.0, 0.2, 0.7).radius == pytest.approx(2 * theory.weak_rows_bulk(1.5, 0.2, 0.7).radius)


@pytest.mark.parametrize("kw, name", [(dict(control=1.5), "control"), (dict(balance=2.0), "balance"),
                                      (dict(reading="rows-50"), "rows-10"), (dict(density=0.0), "density")])
def test_bad_input_is_refused_by_name(kw, name):
    with pytest.raises(ValueError, match=name):
        theory.weak_rows_bulk(1.0, **kw)
