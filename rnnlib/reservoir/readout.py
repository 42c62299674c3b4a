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
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from ..model._checks import check_int, check_real

__all__ = ["Readout", "fit_ridge"]


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
    n_classes = check_int("n_classes", n_classes, 2)
    F = np.asarray(features, np.float64)
    labels = np.asarray(labels)
    if F.ndim != 2 or labels.shape != (F.shape[0],):
        raise ValueError(f"features must be (samples, p) with one label per row, got {F.shape} and {labels.shape}")
    Y = np.zeros((F.shape[0], n_classes))
    Y[np.arange(F.shape[0]), labels] = 1.0
    f_mean, y_mean = F.mean(axis=0), Y.mean(axis=0)
    Fc = F - f_mean
    gram = Fc.T @ Fc
    gram[np.diag_indices_from(gram)] += ridge
    beta = scipy.linalg.solve(gram, Fc.T @ (Y - y_mean), assume_a="pos")
    return Readout(beta, y_mean - f_mean @ beta)
