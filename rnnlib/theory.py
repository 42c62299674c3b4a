r"""Classical predictions to overlay on measured spectra and exponents.

All formulas refer to the baseline ensemble of :mod:`rnnlib.weights`
(independent elements with mean :math:`\mu` and variance :math:`\sigma^2`):

.. math:: \mu = b\, w \sqrt{\tfrac{2 d}{\pi N}}, \qquad
          \sigma^2 = \frac{w^2}{N}\Big(1 - \frac{2 d b^2}{\pi}\Big).
"""
from __future__ import annotations

import numpy as np

from ._checks import check_int, check_real

__all__ = ["circular_law_radius", "mean_outlier", "elliptic_law_axes", "meanfield_lyapunov",
           "meanfield_variance"]

_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(121)
_GH_W = _GH_W / _GH_W.sum()  # expectation over a standard normal


def circular_law_radius(strength, balance=0.0, density=1.0) -> float:
    r"""Radius of the bulk of eigenvalues (circular law): :math:`\sqrt{N}\sigma = w\sqrt{1 - 2 d b^2 / \pi}`."""
    w = check_real("strength", strength, 0.0)
    b = check_real("balance", balance, -1.0, 1.0)
    d = check_real("density", density, 0.0, 1.0, lo_open=True)
    return w * np.sqrt(1.0 - 2.0 * d * b * b / np.pi)


def mean_outlier(n, strength, balance=0.0, density=1.0) -> float:
    r"""Real outlier eigenvalue created by the mean weight: :math:`N \mu = b\, w \sqrt{2 d N / \pi}`.

    It separates from the bulk when its modulus exceeds :func:`circular_law_radius`.
    """
    n = check_int("n", n, 1)
    w = check_real("strength", strength, 0.0)
    b = check_real("balance", balance, -1.0, 1.0)
    d = check_real("density", density, 0.0, 1.0, lo_open=True)
    return b * w * np.sqrt(2.0 * d * n / np.pi)


def elliptic_law_axes(strength, balance=0.0, correlation=0.0, density=1.0) -> tuple[float, float]:
    r"""Semi-axes :math:`(r(1 + \tau), r(1 - \tau))` of the elliptic law.

    For a random matrix whose pairs :math:`(w_{ij}, w_{ji})` have correlation
    :math:`\tau`, the bulk fills an ellipse with these real and imaginary
    semi-axes, :math:`r` being the circular-law radius. :math:`\tau = 1` gives
    the semicircle support :math:`[-2r, 2r]` of a symmetric matrix.
    """
    r = circular_law_radius(strength, balance, density)
    tau = check_real("correlation", correlation, -1.0, 1.0)
    return r * (1 + tau), r * (1 - tau)


def meanfield_variance(strength, *, iterations=2000, tol=1e-13) -> float:
    r"""Stationary variance :math:`\Delta^*` of the local field at balance 0.

    Fixed point of the mean-field map :math:`\Delta = w^2\, \mathbb E_z[\tanh^2(\sqrt{\Delta} z)]`
    (zero for :math:`w \le 1`), found by iteration from :math:`\Delta = w^2`.
    """
    w = check_real("strength", strength, 0.0)
    delta = w * w
    for _ in range(iterations):
        new = w * w * np.sum(_GH_W * np.tanh(np.sqrt(delta) * _GH_X) ** 2)
        if abs(new - delta) < tol:
            break
        delta = new
    return float(new)


def meanfield_lyapunov(strength) -> float:
    r"""Mean-field largest Lyapunov exponent of :math:`x \mapsto \tanh(Wx)` at balance 0, large N.

    .. math:: \lambda = \tfrac12 \ln\Big( w^2\, \mathbb E_z\big[(1 - \tanh^2(\sqrt{\Delta^*} z))^2\big] \Big),

    with :math:`\Delta^*` from :func:`meanfield_variance`; below :math:`w = 1`
    this is :math:`\ln w`, and it crosses zero at :math:`w = 1` (discrete-time
    version of the classical random-network analysis; Molgedey, Schuchhardt and
    Schuster, PRL 69, 3717, 1992).
    """
    w = check_real("strength", strength, 0.0)
    if w == 0:
        return -np.inf
    delta = meanfield_variance(w)
    return 0.5 * float(np.log(w * w * np.sum(_GH_W * (1 - np.tanh(np.sqrt(delta) * _GH_X) ** 2) ** 2)))
