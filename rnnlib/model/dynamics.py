r"""The one simulation loop of rnnlib.

Every trajectory in the project, free-running or driven, with or without
tangent vectors, runs through :func:`run`, which advances many state columns
through **one matrix product per step**:

.. math:: x_c(t+1) = \tanh\big(g_c\, W x_c(t) + h_c(t+1)\big),

where column :math:`c` has its own gain :math:`g_c` and drive :math:`h_c`.
Because the weight matrix of strength :math:`w` is :math:`w W_1`, a gain per
column lets one product simulate a whole sweep over strength. Tangent vectors
of the Jacobian map

.. math:: v_c(t+1) = \operatorname{diag}\big(1 - x_c(t+1)^2\big)\, g_c W v_c(t)

ride along as extra columns of the same product and are renormalized every
step; the sum of the logarithms of their norms gives the largest Lyapunov
exponent.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_dtype, check_int, check_square

__all__ = ["Trajectory", "run"]


class Trajectory(NamedTuple):
    r"""What :func:`run` returns.

    Attributes
    ----------
    final : ndarray (n, c)
        State after the last step.
    states : ndarray (steps, n, c) or None
        ``states[t]`` is :math:`x(t+1)`; only when ``record=True``.
    tangent : ndarray (n, c) or None
        Unit tangent vectors after the last step (pass them on to continue).
    log_growth : ndarray (c,) or None
        :math:`\sum_t \ln \lVert v(t+1) \rVert / \lVert v(t) \rVert`; ``-inf`` where a tangent vanished.
    """

    final: np.ndarray
    states: np.ndarray | None
    tangent: np.ndarray | None
    log_growth: np.ndarray | None


def run(W, x0, steps, *, gain=None, drive=None, tangent=None, record=False, dtype=np.float64) -> Trajectory:
    """Advance state columns ``x0`` by ``steps`` synchronous tanh updates.

    Parameters
    ----------
    W : array (n, n)
        Recurrent weights, ``W[i, j]`` from neuron j to neuron i.
    x0 : array (n, c) or (n,)
        Initial states, one per column.
    steps : int
        Number of updates (>= 0).
    gain : float or array (c,), optional
        Per-column factor on ``W x`` (a strength sweep over one unit matrix).
    drive : array (steps, n, c), optional
        External input ``h(t+1)`` added inside the tanh (e.g. ``W_in u(t+1)``,
        precomputed for all steps in one product); broadcasts over columns.
    tangent : array (n, c), optional
        Initial tangent vectors; when given, they are propagated by the
        Jacobian and renormalized every step.
    record : bool
        Keep every state (memory ``steps * n * c``).
    dtype : float32 or float64
        Precision of the whole computation.

    Returns
    -------
    Trajectory
    """
    dt = check_dtype(dtype)
    W = check_square("W", W).astype(dt, copy=False)
    n = W.shape[0]
    steps = check_int("steps", steps, 0)
    X = np.array(x0, dtype=dt, ndmin=1)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[0] != n:
        raise ValueError(f"x0 must have shape ({n},) or ({n}, c) to match W, got {np.shape(x0)}")
    c = X.shape[1]
    _check_finite("x0", X)
    g = None
    if gain is not None:
        gain_values = np.asarray(gain, dtype=np.float64)
        if gain_values.ndim > 1 or (gain_values.ndim == 1 and gain_values.size != c) or not (
                np.all(np.isfinite(gain_values)) and np.all(gain_values >= 0)):
            raise ValueError(f"gain must be a finite number >= 0 or one per column ({c}), got {gain!r}")
        g = np.broadcast_to(np.asarray(gain, dtype=dt), (c,)).copy() if np.ndim(gain) else None
        scalar_gain = dt.type(gain) if np.ndim(gain) == 0 else None
    if drive is not None:
        drive = np.asarray(drive, dtype=dt)
        if drive.ndim != 3 or drive.shape[0] < steps or drive.shape[1] != n or drive.shape[2] not in (1, c):
            raise ValueError(f"drive must have shape (steps={steps}, n={n}, 1 or c={c}), got {drive.shape}")
        _check_finite("drive", drive[:steps])
    states = np.empty((steps, n, c), dt) if record else None
    if tangent is None:
        Y = np.empty((n, c), dt)
        X = X.copy()
        for t in range(steps):
            np.matmul(W, X, out=Y)
            if gain is not None:
                Y *= g if g is not None else scalar_gain
            if drive is not None:
                Y += drive[t]
            if record:
                np.tanh(Y, out=states[t])
                X = states[t]
            else:
                np.tanh(Y, out=X)
        return Trajectory(X.copy() if record else X, states, None, None)

    V = np.array(tangent, dtype=dt, ndmin=2)
    if V.shape != (n, c):
        raise ValueError(f"tangent must have shape ({n}, {c}) like x0, got {V.shape}")
    _check_finite("tangent", V)
    Z = np.empty((n, 2 * c), dt)          # [states | tangents]: one product per step
    Z[:, :c], Z[:, c:] = X, V
    Y = np.empty((n, 2 * c), dt)
    D = np.empty((n, c), dt)
    log_growth = np.zeros(c, np.float64)
    g2 = None if g is None else np.concatenate([g, g])
    with np.errstate(divide="ignore", invalid="ignore"):
        norm = np.linalg.norm(Z[:, c:], axis=0)
        Z[:, c:] /= np.where(norm > 0, norm, 1)
        for t in range(steps):
            np.matmul(W, Z, out=Y)
            if gain is not None:
                Y *= g2 if g2 is not None else scalar_gain
            Xn, Vn = Y[:, :c], Y[:, c:]
            if drive is not None:
                Xn += drive[t]
            # tanh'(y) = sech^2(y) = 4 e^{-2|y|} / (1 + e^{-2|y|})^2, from the field y rather than
            # 1 - tanh(y)^2, which is exactly 0 in floating point once |y| > ~19
            np.abs(Xn, out=D)
            D *= -2
            np.exp(D, out=D)
            Vn *= 4 * D / (1 + D) ** 2
            np.tanh(Xn, out=Z[:, :c])
            norm = np.sqrt(np.einsum("ij,ij->j", Vn, Vn))
            log_growth += np.log(norm)
            np.divide(Vn, np.where(norm > 0, norm, 1), out=Z[:, c:])
            if record:
                states[t] = Z[:, :c]
    return Trajectory(Z[:, :c].copy(), states, Z[:, c:].copy(), log_growth)


def _check_finite(name, values) -> None:
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must contain only finite values, got {int(np.sum(~np.isfinite(values)))} "
                         "non-finite entries")
