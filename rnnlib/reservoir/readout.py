r"""Closed-form ridge readout on one-hot targets, classification by argmax.

With features :math:`F \in \mathbb R^{S \times p}` (one row per sample), one-hot
targets :math:`Y \in \{0, 1\}^{S \times K}` and ridge parameter
:math:`\lambda > 0`, the readout is a linear map plus a bias column whose weight
is *not* penalized:

.. math:: \beta = (\tilde F^\top \tilde F + \lambda I)^{-1} \tilde F^\top \tilde Y,
          \qquad b = \bar y - \bar f \beta,

where :math:`\tilde F = F - \bar f` and :math:`\tilde Y = Y - \bar y` are
centred by their column means. This equals the regression on
:math:`[F, 1]` with penalty :math:`\lambda` on :math:`\beta` only, and is what
reservoirpy's ``Ridge(ridge=lambda)`` computes. The class of a sample is
:math:`\arg\max_k (f \beta + b)_k`.

:func:`fit_ridge_cv` chooses :math:`\lambda` from :data:`RIDGE_GRID` by
``folds``-fold cross-validation on the training samples only (sample
:math:`i` in fold :math:`i \bmod` ``folds``; the training samples of a task
are already in random order): the :math:`\lambda` with the highest mean
held-out accuracy (the smallest one on ties), then refits on every training
sample. With the eigendecomposition :math:`\tilde F^\top \tilde F = V
\Lambda V^\top` of a fold, :math:`\beta(\lambda) = V (\Lambda + \lambda
I)^{-1} V^\top \tilde F^\top \tilde Y` costs one decomposition for every
:math:`\lambda`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from ..model._checks import check_int, check_real

__all__ = ["RIDGE_GRID", "Readout", "fit_ridge", "fit_ridge_cv"]

#: Ridge parameters :func:`fit_ridge_cv` chooses from: 1e-8, 1e-7, ..., 1e2.
RIDGE_GRID = tuple(float(10.0**k) for k in range(-8, 3))


class Readout(NamedTuple):
    """Linear readout :math:`o = f\\beta + b`: ``weights`` (p, K) and ``bias`` (K,)."""

    weights: np.ndarray
    bias: np.ndarray

    def scores(self, features) -> np.ndarray:
        """Outputs :math:`F \\beta + b`, shape (samples, K)."""
        return np.asarray(features, np.float64) @ self.weights + self.bias

    def predict(self, features) -> np.ndarray:
        """Class of each row of ``features``: :math:`\\arg\\max_k (F\\beta + b)_k`."""
        return np.argmax(self.scores(features), axis=1)


def _checked(features, labels, n_classes):
    n_classes = check_int("n_classes", n_classes, 2)
    F = np.asarray(features, np.float64)
    labels = np.asarray(labels)
    if F.ndim != 2 or labels.shape != (F.shape[0],):
        raise ValueError(f"features must be (samples, p) with one label per row, got {F.shape} and {labels.shape}")
    return F, labels, n_classes


def _centred(F, labels, n_classes):
    Y = np.zeros((F.shape[0], n_classes))
    Y[np.arange(F.shape[0]), labels] = 1.0
    f_mean, y_mean = F.mean(axis=0), Y.mean(axis=0)
    return F - f_mean, Y - y_mean, f_mean, y_mean


def fit_ridge(features, labels, n_classes: int, ridge: float) -> Readout:
    """Fit the ridge readout of the module docstring.

    Parameters
    ----------
    features : array (samples, p)
        One row per training sample (computed in float64 whatever their dtype).
    labels : array of int (samples,)
        Classes in ``range(n_classes)``.
    n_classes : int
        Number of classes K (>= 2).
    ridge : float
        :math:`\\lambda > 0`.

    Returns
    -------
    Readout
    """
    ridge = check_real("ridge", ridge, 0.0, lo_open=True)
    F, labels, n_classes = _checked(features, labels, n_classes)
    Fc, Yc, f_mean, y_mean = _centred(F, labels, n_classes)
    gram = Fc.T @ Fc
    gram[np.diag_indices_from(gram)] += ridge
    beta = scipy.linalg.solve(gram, Fc.T @ Yc, assume_a="pos")
    return Readout(beta, y_mean - f_mean @ beta)


def fit_ridge_cv(features, labels, n_classes: int, *, ridges=RIDGE_GRID, folds: int = 5) -> tuple[Readout, float]:
    """Choose the ridge parameter by cross-validation on these (training) samples, then fit on all of them.

    Parameters
    ----------
    features, labels, n_classes
        As in :func:`fit_ridge`; only training samples belong here.
    ridges : sequence of float
        Candidates (> 0), default :data:`RIDGE_GRID`.
    folds : int
        Number of folds (2 to the number of samples).

    Returns
    -------
    (Readout, float)
        The readout refitted on every sample with the chosen ridge, and that ridge.
    """
    F, labels, n_classes = _checked(features, labels, n_classes)
    ridges = np.array([check_real("ridges", r, 0.0, lo_open=True) for r in ridges])
    if ridges.size == 0:
        raise ValueError("ridges must hold at least one candidate, got none")
    folds = check_int("folds", folds, 2, F.shape[0])
    fold = np.arange(F.shape[0]) % folds
    correct = np.zeros(ridges.size)
    for k in range(folds):
        train, held = fold != k, fold == k
        Fc, Yc, f_mean, y_mean = _centred(F[train], labels[train], n_classes)
        values, vectors = np.linalg.eigh(Fc.T @ Fc)
        projected = vectors.T @ (Fc.T @ Yc)                    # (p, K)
        Fh = (F[held] - f_mean) @ vectors                       # (held, p)
        for j, ridge in enumerate(ridges):
            scores = Fh @ (projected / (np.maximum(values, 0.0) + ridge)[:, None]) + y_mean
            correct[j] += np.sum(np.argmax(scores, axis=1) == labels[held])
    best = float(ridges[int(np.argmax(np.where(correct == correct.max(), -ridges, -np.inf)))])
    return fit_ridge(F, labels, n_classes, best), best
