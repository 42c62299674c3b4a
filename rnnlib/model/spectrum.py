"""Eigenvalue spectra of weight matrices."""
from __future__ import annotations

import numpy as np

from ._checks import check_square

__all__ = ["eigenvalues", "spectral_radius"]


def eigenvalues(W) -> np.ndarray:
    r"""Eigenvalues :math:`\lambda_k` of ``W`` (complex), sorted by decreasing modulus.

    Symmetric matrices use the symmetric solver, so their eigenvalues are exactly real.
    """
    A = check_square("W", W)
    ev = np.linalg.eigvalsh(A).astype(complex) if np.array_equal(A, A.T) else np.linalg.eigvals(A)
    return ev[np.argsort(-np.abs(ev), kind="stable")]


def spectral_radius(W) -> float:
    r"""Spectral radius :math:`\rho(W) = \max_k |\lambda_k|`."""
    return float(np.abs(eigenvalues(W)[0]))
