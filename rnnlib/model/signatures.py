r"""Dynamical signatures of free-running networks (input :math:`u = 0`).

Protocol: initial states :math:`x_0 \sim U[-1, 1]^N`, a discarded transient
of :math:`T_0` steps, then :math:`T` measured steps :math:`x(1), \dots, x(T)`.
All columns (initial conditions, and strengths of one unit matrix) run
together through :func:`rnnlib.model.dynamics.run`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ._checks import check_gains, check_int, check_real, check_square
from .dynamics import run
from .seeding import rng

__all__ = ["REGIMES", "SATURATION_THRESHOLD", "SignatureSettings", "signatures", "signatures_batch",
           "largest_lyapunov", "signatures_from_states"]

#: Attractor classes, in the order of their integer codes.
REGIMES = ("quiescent", "fixed point", "periodic", "chaotic", "irregular")
QUIESCENT, FIXED, PERIODIC, CHAOTIC, IRREGULAR = range(5)
#: Default :math:`\theta`: :math:`|x_i| > \theta` counts as saturated, free-running and under input alike.
SATURATION_THRESHOLD = 0.9


@dataclass(frozen=True)
class SignatureSettings:
    """How signatures are measured.

    Parameters
    ----------
    steps : int
        Measured steps ``T`` (>= 2).
    transient : int
        Discarded steps ``T0`` (>= 0).
    max_period : int
        Longest period detected (>= 1, < steps).
    period_tol : float
        Largest :math:`\\max |x(t) - x(t-p)|` over the last quarter of the window that still counts as periodic.
    quiescent_tol : float
        Largest :math:`\\max |x|` that counts as quiescent.
    chaos_threshold : float
        An aperiodic trajectory is chaotic when its exponent exceeds this, else irregular.
    saturation_threshold : float
        :math:`|x_i| >` this counts as saturated.
    """

    steps: int = 500
    transient: int = 500
    max_period: int = 32
    period_tol: float = 1e-4
    quiescent_tol: float = 1e-4
    chaos_threshold: float = 0.01
    saturation_threshold: float = SATURATION_THRESHOLD

    def __post_init__(self):
        check_int("steps", self.steps, 2)
        check_int("transient", self.transient, 0)
        check_int("max_period", self.max_period, 1, self.steps - 1)
        check_real("period_tol", self.period_tol, 0.0, lo_open=True)
        check_real("quiescent_tol", self.quiescent_tol, 0.0, lo_open=True)
        check_real("chaos_threshold", self.chaos_threshold)
        check_real("saturation_threshold", self.saturation_threshold, 0.0, 1.0, lo_open=True, hi_open=True)

    def as_dict(self) -> dict:
        return asdict(self)


def _free_run(W, gains, settings, initial_conditions, seed, dtype, record=True):
    """Free-run every (gain, initial condition) column; return states (T, n, S, I) and exponents (S, I)."""
    W = check_square("W", W)
    n = W.shape[0]
    ic = check_int("initial_conditions", initial_conditions, 1)
    gains = check_gains(gains)
    S = gains.size
    x0 = rng(seed, "initial-state").uniform(-1.0, 1.0, (n, ic))
    v0 = rng(seed, "tangent").standard_normal((n, ic))
    X0 = np.tile(x0, (1, S))                 # column s * ic + k: gain s, initial condition k
    V0 = np.tile(v0, (1, S))
    g = np.repeat(gains, ic)
    pre = run(W, X0, settings.transient, gain=g, tangent=V0, dtype=dtype)
    meas = run(W, pre.final, settings.steps, gain=g, tangent=pre.tangent, record=record, dtype=dtype)
    lyap = (meas.log_growth / settings.steps).reshape(S, ic)
    states = None if not record else meas.states.reshape(settings.steps, n, S, ic)
    return states, lyap


def largest_lyapunov(W, *, steps=500, transient=500, seed=None, gain=1.0, dtype=np.float64) -> float:
    r"""Largest Lyapunov exponent of :math:`x \mapsto \tanh(g W x)` from one random initial state.

    .. math:: \lambda = \frac1T \sum_{t=1}^{T} \ln \frac{\lVert v(t) \rVert}{\lVert v(t-1) \rVert},
              \qquad v(t) = \operatorname{diag}(1 - x(t)^2)\, g W\, v(t-1),

    with :math:`v` renormalized each step, after a transient of ``transient``
    steps. ``-inf`` when the tangent vector vanishes (e.g. ``W = 0``).
    """
    settings = SignatureSettings(steps=max(check_int("steps", steps, 2), 2), transient=transient,
                                 max_period=1)
    _, lyap = _free_run(W, [check_real("gain", gain, 0.0)], settings, 1, seed, dtype, record=False)
    return float(lyap[0, 0])


def signatures_from_states(states, lyapunov, settings: SignatureSettings) -> dict:
    r"""Signatures of recorded trajectories; every value is an array over columns.

    ``states`` has shape ``(T, n, ...)``; the trailing axes are columns.
    Writing :math:`\bar x_i` and :math:`s_i` for the temporal mean and standard
    deviation of neuron :math:`i`, and :math:`\delta x_i(t) = x_i(t) - \bar x_i`:

    - ``mean_activation``: :math:`\langle x_i(t) \rangle_{i,t}`
    - ``saturation``: :math:`\langle |x_i(t)| \rangle_{i,t}`
    - ``fraction_saturated``: :math:`\langle [\,|x_i(t)| > \theta\,] \rangle_{i,t}`
    - ``fluctuation``: :math:`\langle s_i \rangle_i`
    - ``lag1_autocorrelation``: :math:`\sum_{i,t} \delta x_i(t)\delta x_i(t+1) / \sum_{i,t} \delta x_i(t)^2`
      (population-pooled); **1 when the pooled variance vanishes** (a constant
      signal is perfectly predicted by its previous value)
    - ``pairwise_correlation``: root mean square of the Pearson correlations of all pairs of
      fluctuating neurons (each clipped to [-1, 1] against rounding); NaN when fewer than two
      neurons fluctuate
    - ``lyapunov``: as given
    - ``period``: smallest :math:`p \le p_{max}` with :math:`\max |x(t) - x(t-p)| <` ``period_tol``
      over the last quarter of the window, 0 if none
    - ``regime``: integer code into :data:`REGIMES`: quiescent if :math:`\max|x| <`
      ``quiescent_tol`` at the end, fixed point if ``period == 1``, periodic if
      ``period > 1``, otherwise chaotic if ``lyapunov > chaos_threshold``, else irregular
    """
    X = np.asarray(states, dtype=np.float64)
    T, n = X.shape[:2]
    cols = X.shape[2:]
    X = X.reshape(T, n, -1)
    lyap = np.broadcast_to(np.asarray(lyapunov, float), cols).reshape(-1)
    absx = np.abs(X)
    out = {
        "mean_activation": X.mean(axis=(0, 1)),
        "saturation": absx.mean(axis=(0, 1)),
        "fraction_saturated": (absx > settings.saturation_threshold).mean(axis=(0, 1)),
    }
    dx = X - X.mean(axis=0)
    var_i = (dx * dx).mean(axis=0)                       # (n, c)
    out["fluctuation"] = np.sqrt(var_i).mean(axis=0)
    num = np.einsum("tic,tic->c", dx[:-1], dx[1:])
    den = np.einsum("tic,tic->c", dx[:-1], dx[:-1])
    tiny = 1e-24 * n * T
    out["lag1_autocorrelation"] = np.where(den > tiny, num / np.where(den > tiny, den, 1), 1.0)
    out["pairwise_correlation"] = _rms_correlation(dx, var_i)
    out["lyapunov"] = lyap.copy()
    period = _period(X, settings)
    quiet = absx[-1].max(axis=0) < settings.quiescent_tol
    regime = np.where(period == 0, np.where(lyap > settings.chaos_threshold, CHAOTIC, IRREGULAR),
                      np.where(period == 1, FIXED, PERIODIC))
    regime = np.where(quiet, QUIESCENT, regime)
    out["period"] = period
    out["regime"] = regime
    return {k: v.reshape(cols) for k, v in out.items()}


def _rms_correlation(dx, var_i):
    T, n, c = dx.shape
    res = np.full(c, np.nan)
    for k in range(c):
        alive = var_i[:, k] > 1e-20
        m = int(alive.sum())
        if m < 2:
            continue
        z = dx[:, alive, k] / np.sqrt(var_i[alive, k] * T)
        C = z.T @ z
        off = np.clip(C[~np.eye(m, dtype=bool)], -1.0, 1.0)      # a correlation, whatever the rounding
        res[k] = min(np.sqrt(np.mean(off * off)), 1.0)
    return res


def _period(X, settings):
    T = X.shape[0]
    window = max(T // 4, 2 * settings.max_period)
    window = min(window, T - settings.max_period)
    period = np.zeros(X.shape[2], int)
    for p in range(settings.max_period, 0, -1):   # descending, so the smallest p wins
        diff = np.abs(X[T - window:] - X[T - window - p:T - p]).max(axis=(0, 1))
        period = np.where(diff < settings.period_tol, p, period)
    return period


def signatures_batch(W, gains=(1.0,), *, settings: SignatureSettings | None = None, initial_conditions=1,
                     seed=None, dtype=np.float64) -> dict:
    """Signatures of ``tanh(g W x)`` for every gain ``g`` and initial condition, from one simulation.

    Returns a dict of arrays of shape ``(len(gains), initial_conditions)`` with
    the keys of :func:`signatures_from_states`. Initial states and tangent
    vectors are the same for every gain (paired across strengths).
    """
    settings = settings or SignatureSettings()
    states, lyap = _free_run(W, gains, settings, initial_conditions, seed, dtype)
    return signatures_from_states(states, lyap, settings)


def signatures(W, *, steps=500, transient=500, seed=None, **settings) -> dict:
    """Signatures of one free-running network from one random initial state.

    Returns a dict with float values for ``mean_activation``, ``saturation``,
    ``fraction_saturated``, ``fluctuation``, ``lag1_autocorrelation``,
    ``pairwise_correlation``, ``lyapunov``, an int ``period`` (0: aperiodic)
    and the ``regime`` name (one of :data:`REGIMES`). Formulas:
    :func:`signatures_from_states`. Extra keyword arguments go to
    :class:`SignatureSettings`; when ``max_period`` is not given it is the
    default (32) or ``steps - 1`` for shorter runs.
    """
    if "max_period" not in settings and isinstance(steps, int) and 2 <= steps <= SignatureSettings.max_period:
        settings["max_period"] = steps - 1
    s = SignatureSettings(steps=steps, transient=transient, **settings)
    res = signatures_batch(W, (1.0,), settings=s, seed=seed)
    out = {k: float(v[0, 0]) for k, v in res.items()}
    out["period"] = int(res["period"][0, 0])
    out["regime"] = REGIMES[int(res["regime"][0, 0])]
    return out
