r"""Automatic gain control: one global gain steers the network's mean activation to a set point.

Our reading of the follow-up study (arXiv:2603.29597, abstract only: "a single
control unit steers the average global activation to a set point through one
global gain factor"). Every column :math:`c` (a network, or a strength of a
sweep) has a gain :math:`g_c(t)` on its recurrent input,

.. math:: x(t+1) = \tanh\big(g(t)\, w W_1 x(t) + h(t+1)\big),

and an integral controller updates it from the measured activity
:math:`a(t+1) = \frac1N \sum_i m(x_i(t+1))`, with :math:`m(x) = |x|`
(``measure="abs"``) or :math:`m(x) = x^2` (``measure="square"``):

.. math:: g(t+1) = \max\big(0,\; g(t) + \eta\, (a^* - a(t+1))\big), \qquad g(0) = g_0,

so :math:`g(t) = g_0 + \eta \sum_{s \le t} (a^* - a(s))` as long as it stays
positive: the gain grows while the network is quieter than the set point
:math:`a^*` and shrinks while it is louder, and at a steady state the mean
activity equals :math:`a^*`. Every step goes through :func:`rnnlib.model.dynamics.run`
(one step at a time, since the gain of the next step depends on the state),
so precision, batching and validation are those of the one simulation loop.

Lyapunov exponent. The controlled system has the state :math:`(x, g)`. We
compute the *conditional* exponent: the growth rate of perturbations of
:math:`x` along the realized gain sequence,
:math:`v(t+1) = \operatorname{diag}(1 - x(t+1)^2)\, g(t) w W_1 v(t)`, i.e.
the gain treated as a given time-dependent parameter. The exponent of the full
system would add the feedback of :math:`\delta x` on :math:`\delta g`, which
passes through a mean over :math:`N` neurons times :math:`\eta`; we do not
compute it, so a negative conditional exponent says that the network at its
controlled gain is ordered, not that the closed loop is stable.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._checks import check_choice, check_dtype, check_int, check_real, check_square
from .dynamics import Trajectory, run

__all__ = ["MEASURES", "ControlLog", "GainControl", "activity", "run_controlled"]

#: Registered activity measures of the controller: mean |x| or mean x^2 over the neurons.
MEASURES = ("abs", "square")


@dataclass(frozen=True)
class GainControl:
    """The controller's parameters.

    Parameters
    ----------
    set_point : float
        Target mean activity :math:`a^*`, in (0, 1) (both measures lie in [0, 1]).
    rate : float
        Integral gain :math:`\\eta > 0`.
    measure : {"abs", "square"}
        Activity :math:`m(x)` averaged over neurons: :math:`|x|` or :math:`x^2`.
    initial_gain : float
        :math:`g_0 \\ge 0`, the gain of the first step.
    """

    set_point: float
    rate: float = 0.05
    measure: str = "abs"
    initial_gain: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "set_point", check_real("set_point", self.set_point, 0.0, 1.0,
                                                         lo_open=True, hi_open=True))
        object.__setattr__(self, "rate", check_real("rate", self.rate, 0.0, lo_open=True))
        check_choice("measure", self.measure, MEASURES)
        object.__setattr__(self, "initial_gain", check_real("initial_gain", self.initial_gain, 0.0))


def activity(X: np.ndarray, measure: str = "abs") -> np.ndarray:
    """Mean activity of each column of ``X`` (n, c): mean of ``|x|`` or of ``x**2`` over the neurons."""
    check_choice("measure", measure, MEASURES)
    return np.mean(np.abs(X) if measure == "abs" else X * X, axis=0)


class ControlLog(NamedTuple):
    """What the controller did during :func:`run_controlled` (the trajectory itself is a
    :class:`rnnlib.model.dynamics.Trajectory`).

    Attributes
    ----------
    gains : ndarray (steps + 1, c)
        ``gains[t]`` is :math:`g(t)`, the controller's gain used in step ``t`` (the last row: after the run).
    activity : ndarray (steps, c)
        ``activity[t]`` is :math:`a(t+1)`.
    """

    gains: np.ndarray
    activity: np.ndarray


def run_controlled(W, x0, steps, control: GainControl, *, strength=1.0, drive=None, tangent=None,
                   record=False, dtype=np.float64) -> tuple[Trajectory, ControlLog]:
    r"""Advance ``x0`` by ``steps`` updates under automatic gain control (module docstring).

    Parameters
    ----------
    W : array (n, n)
        Unit-strength recurrent weights :math:`W_1` (``W[i, j]`` from j to i).
    x0 : array (n, c) or (n,)
        Initial states.
    steps : int
        Number of updates (>= 0).
    control : GainControl
        Set point, rate, measure and initial gain.
    strength : float or array (c,)
        Nominal strength :math:`w` per column; the recurrent input is :math:`g(t)\, w W_1 x`.
    drive : array (steps, n, c or 1), optional
        External input :math:`h(t+1)`.
    tangent : array (n, c), optional
        Initial tangent vectors for the conditional Lyapunov exponent.
    record : bool
        Keep every state.
    dtype : float32 or float64
        Precision of the states (the gains are updated in float64).

    Returns
    -------
    trajectory : rnnlib.model.dynamics.Trajectory
        As :func:`rnnlib.model.dynamics.run` returns it; its ``log_growth`` is the summed log growth of the
        conditional tangent (module docstring), only when ``tangent`` is given.
    log : ControlLog
        The gains and the measured activity of every step.
    """
    if not isinstance(control, GainControl):
        raise ValueError(f"control must be a GainControl, got {type(control).__name__}")
    dt = check_dtype(dtype)
    W = check_square("W", W)
    steps = check_int("steps", steps, 0)
    X = np.array(x0, dtype=dt, ndmin=1)
    X = X[:, None] if X.ndim == 1 else X
    c = X.shape[1] if X.ndim == 2 else 0
    w = np.asarray(strength, dtype=np.float64)
    if w.ndim > 1 or (w.ndim == 1 and w.size != c) or not (np.all(np.isfinite(w)) and np.all(w >= 0)):
        raise ValueError(f"strength must be a finite number >= 0 or one per column ({c}), got {strength!r}")
    w = np.broadcast_to(w, (c,))
    if drive is not None:
        drive = np.asarray(drive, dtype=dt)
        if drive.ndim != 3 or drive.shape[0] < steps:
            raise ValueError(f"drive must have shape (steps={steps}, n, 1 or c), got {drive.shape}")
    gains = np.empty((steps + 1, c))
    gains[0] = control.initial_gain
    act = np.empty((steps, c))
    states = np.empty((steps, W.shape[0], c), dt) if record else None
    log_growth = None if tangent is None else np.zeros(c)
    V = tangent
    for t in range(steps):
        out = run(W, X, 1, gain=gains[t] * w, drive=None if drive is None else drive[t:t + 1], tangent=V,
                  dtype=dt)
        X, V = out.final, out.tangent
        if log_growth is not None:
            log_growth += out.log_growth
        if record:
            states[t] = X
        act[t] = activity(X, control.measure)
        gains[t + 1] = np.maximum(0.0, gains[t] + control.rate * (control.set_point - act[t]))
    if steps == 0:        # validate the arguments as a run would
        run(W, X, 0, gain=w, tangent=V, dtype=dt)
    return Trajectory(X, states, V, log_growth), ControlLog(gains, act)
