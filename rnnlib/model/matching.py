r"""Readings of "matched coupling": how a regularity's matrix is rescaled to compare it with the baseline.

A regularity changes a network's spectrum in two ways: it moves the bulk
(the circle or ellipse of random eigenvalues) and it moves or creates outliers
(eigenvalues of the mean structure :math:`\mathbb E W`). For the map
:math:`x \mapsto \tanh(Wx)` both matter: the quiescent state is stable while
every eigenvalue lies inside the unit circle, and the outlier of the mean
weight decides the regime at :math:`b \ne 0`. The readings (:data:`READINGS`):

- ``bulk``: :math:`W' = g W`, the whole matrix rescaled by
  :math:`g = E_0 / E` (:func:`rnnlib.model.theory.extent_ratio`), so the
  bulk's extent equals the baseline's; the outliers are rescaled with it.
- ``centred``: :math:`W' = M + g (W - M)`, only the centred part rescaled by
  the same :math:`g`; the mean structure :math:`M` (:func:`mean_structure`)
  is kept, so the bulk's extent equals the baseline's *and* the outliers of the
  mean stay where the regularity put them (equal to the baseline's whenever the
  regularity keeps the mean weight).
"""
from __future__ import annotations

import numpy as np

from . import constructions as _c
from . import theory
from ._checks import check_choice, check_int, check_real
from .weights import NetworkParams, unit_weights

__all__ = ["READINGS", "TOLERANCE", "centred_rescale", "check_reading", "matched_matrix", "mean_structure",
           "pair_spectra", "row_blocks"]

#: Largest relative difference of bulk extent and of spectral radius for a matched pair to count as fair.
#: It covers the finite-size spread of the bulk's edge (a few per cent at N of a few hundred, larger
#: for a disk than for the semicircle of a symmetric matrix).
TOLERANCE = 0.1

READINGS = ("bulk", "centred")


def row_blocks(n: int, modularity: float, modules: int, construction: str) -> np.ndarray:
    """Row classes of the mean structure: the module of every neuron when the network is modular, else one class."""
    if modularity <= 0:
        return np.zeros(n, dtype=int)
    if construction == "unequal":
        return _c.unequal_module_labels(n, modules)
    return _c.module_labels(n, modules)


def mean_structure(W: np.ndarray, labels: np.ndarray) -> np.ndarray:
    r"""Estimate of :math:`\mathbb E W` with one mean per row class and column: :math:`M_{ij} = \langle W_{i'j} \rangle_{i' \sim i}`.

    The average runs over the rows :math:`i'` of the class of :math:`i`
    (``labels``). Every construction here has block means over row classes
    (modules) and columns (excitatory and inhibitory neurons), so :math:`M`
    holds them; its noise part :math:`P X` (:math:`P` the projection on
    class-constant columns) creates no outlier of :math:`M + g(W - M)`.
    """
    W = np.asarray(W, float)
    labels = np.asarray(labels)
    if labels.shape != (W.shape[0],):
        raise ValueError(f"labels must give one class per row ({W.shape[0]}), got shape {labels.shape}")
    M = np.empty_like(W)
    for k in np.unique(labels):
        rows = labels == k
        M[rows] = W[rows].mean(axis=0)
    return M


def centred_rescale(W: np.ndarray, gain: float, labels: np.ndarray) -> np.ndarray:
    r"""The ``centred`` reading: :math:`M + g\,(W - M)` with :math:`M` = :func:`mean_structure` of ``W``."""
    g = check_real("gain", gain, 0.0, lo_open=True)
    M = mean_structure(W, labels)
    return M + g * (W - M)


def matched_matrix(network: NetworkParams, reading: str = "centred", seed=None) -> np.ndarray:
    r"""Unit-strength matrix of ``network`` matched to the baseline by ``reading`` (:data:`READINGS`)."""
    reading = check_reading(reading)
    controls = {reg: getattr(network, reg) for reg in _c.REGULARITIES}
    g = theory.extent_ratio(network.balance, **controls, modules=network.modules, density=network.density,
                            constructions=dict(network.constructions))
    W = unit_weights(network, seed)
    if reading == "bulk":
        return g * W
    return centred_rescale(W, g, row_blocks(network.n, network.modularity, network.modules,
                                            network.constructions["modularity"]))


def _measured(W, outliers: int) -> tuple[float, float]:
    """(bulk extent, spectral radius): the largest modulus without the ``outliers`` largest, and with them."""
    mod = np.sort(np.abs(np.linalg.eigvals(W)))[::-1]
    return float(mod[outliers]), float(mod[0])


def pair_spectra(regularity: str, construction: str, balance: float, strength: float, *, n: int = 400,
                 seeds=(0, 1), reading: str = "centred") -> dict:
    r"""Measured spectra of a matched pair: the baseline and the regularity at control 1, same draws.

    For each seed, both matrices at strength ``strength`` are diagonalized; the
    *bulk extent* is the largest modulus once the outliers that
    :func:`rnnlib.model.theory.bulk_radius` predicts for that matrix are set
    aside, the *radius* the largest modulus of all (the leading outlier when
    there is one). Finite-size outliers that no formula places (Dale's
    ``type-sign`` columns at :math:`b = 0`) therefore count in the bulk extent.

    Returns
    -------
    dict
        ``bulk_ratio`` and ``radius_ratio`` (matched over baseline, mean over
        seeds), ``baseline`` and ``matched`` (mean (bulk extent, radius)), and
        ``fair``: both ratios within :data:`TOLERANCE` of 1.
    """
    check_choice("regularity", regularity, _c.REGULARITIES)
    n = check_int("n", n, 2)
    w = check_real("strength", strength, 0.0, lo_open=True)
    base = NetworkParams(n=n, balance=balance)
    net = NetworkParams(n=n, balance=balance, **{regularity: 1.0}, constructions={regularity: construction})
    k0 = len(theory.bulk_radius(w, balance, n=n).outliers)
    k1 = len(theory.bulk_radius(w, balance, n=n, **{regularity: 1.0}, constructions={regularity: construction},
                                modules=net.modules).outliers)
    pairs = np.array([(_measured(w * unit_weights(base, s), k0), _measured(w * matched_matrix(net, reading, s), k1))
                      for s in seeds])                                   # seed, (baseline, matched), (bulk, radius)
    mean = pairs.mean(axis=0)
    ratios = (pairs[:, 1] / pairs[:, 0]).mean(axis=0)
    return {"bulk_ratio": float(ratios[0]), "radius_ratio": float(ratios[1]),
            "baseline": tuple(mean[0]), "matched": tuple(mean[1]),
            "fair": bool(np.all(np.abs(ratios - 1) <= TOLERANCE))}


def check_reading(reading) -> str:
    """``reading`` if it is one of :data:`READINGS`, else a ValueError listing them."""
    return check_choice("matching", reading, READINGS)
