r"""Random recurrent weight matrices with tunable organizational regularities.

The baseline ensemble has statistically independent elements

.. math:: w_{ij} = s_{ij}\, a_{ij}\, \frac{w\, |z_{ij}|}{\sqrt{d N}},\qquad
          z_{ij} \sim \mathcal N(0, 1),\;
          P(s_{ij} = +1) = \tfrac{1 + b}{2},\; P(a_{ij} = 1) = d,

with strength :math:`w \ge 0`, balance :math:`b \in [-1, 1]` and density
:math:`d \in (0, 1]`. At :math:`b = 0, d = 1` this is the classical Gaussian
network with element variance :math:`w^2 / N`. The regularities of
:mod:`rnnlib.model.constructions` then reorganize the unit-strength matrix, and the
strength multiplies last, so that ``make_weights(n, w, ...) == w *
make_weights(n, 1, ...)`` bit for bit: a sweep over strength needs one matrix.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

import numpy as np

from . import constructions as _c
from ._checks import check_int, check_real
from .seeding import rng

__all__ = ["NetworkParams", "make_weights", "unit_weights"]


@dataclass(frozen=True)
class NetworkParams:
    """A complete, validated description of one weight ensemble (strength excluded).

    Parameters
    ----------
    n : int
        Number of neurons, ``n >= 1``.
    balance : float
        E/I bias of the signs, ``b`` in [-1, 1]; the probability of a positive weight is ``(1 + b) / 2``.
    dale, reciprocity, modularity : float
        Control parameters of the three regularities, each in [0, 1].
    weak_rows : float
        Control parameter of the weak rows of the follow-up study, in [0, 1]; positive only
        when the other three are 0 (:func:`rnnlib.model.constructions.check_combination`).
    modules : int
        Number of modules ``K`` >= 1, and at most ``n`` when ``modularity > 0`` (the only
        construction that uses it).
    density : float
        Probability that an element is non-zero, in (0, 1].
    constructions : mapping
        Which registered construction realizes each regularity
        (defaults: :data:`rnnlib.model.constructions.DEFAULTS`).
    """

    n: int
    balance: float = 0.0
    dale: float = 0.0
    reciprocity: float = 0.0
    modularity: float = 0.0
    modules: int = 4
    density: float = 1.0
    weak_rows: float = 0.0
    constructions: MappingProxyType = field(default_factory=lambda: MappingProxyType(dict(_c.DEFAULTS)))

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "n", check_int("n", self.n, 1))
        set_(self, "balance", check_real("balance", self.balance, -1.0, 1.0))
        for name in _c.ALL_REGULARITIES:
            set_(self, name, check_real(name, getattr(self, name), 0.0, 1.0))
        set_(self, "modules", check_int("modules", self.modules, 1, self.n if self.modularity > 0 else None))
        set_(self, "density", check_real("density", self.density, 0.0, 1.0, lo_open=True))
        given = self.constructions if self.constructions is not None else {}
        if not isinstance(given, Mapping):
            raise ValueError("constructions must be a mapping from regularity to construction name, e.g. "
                             f"{{'dale': {_c.DEFAULTS['dale']!r}}}, got {given!r}")
        chosen = dict(_c.DEFAULTS)
        for reg, name in given.items():
            _c.get(reg, name)  # raises a clear error for unknown names
            chosen[reg] = name
        set_(self, "constructions", MappingProxyType(chosen))
        if self.dale == 1.0 and self.reciprocity == 1.0 and abs(self.balance) < 1.0:
            raise ValueError(
                "dale = 1 and reciprocity = 1 contradict each other: a symmetric matrix with "
                "single-signed columns would need every neuron to have the same sign "
                f"(|balance| = 1), got balance = {self.balance}. Lower one of them below 1.")
        _c.check_combination({r: getattr(self, r) for r in _c.ALL_REGULARITIES})

    def __hash__(self):
        # the read-only mapping of constructions is not hashable itself; its sorted items are
        values = tuple(getattr(self, f) for f in ("n", "balance", *_c.ALL_REGULARITIES, "modules", "density"))
        return hash(values + tuple(sorted(self.constructions.items())))

    def as_dict(self) -> dict:
        """Plain-dict form, for result metadata and fingerprints."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"constructions": dict(self.constructions)}


def unit_weights(params: NetworkParams, seed=None) -> np.ndarray:
    """The matrix of ``params`` at strength 1; see :func:`make_weights`."""
    n, d = params.n, params.density
    base = rng(seed, "baseline")
    z = base.standard_normal((n, n))
    sign = np.where(base.random((n, n)) < (1 + params.balance) / 2, 1.0, -1.0)
    present = base.random((n, n)) < d
    W = np.where(present, sign * np.abs(z) / np.sqrt(d * n), 0.0)
    for reg in _c.APPLICATION_ORDER:
        value = getattr(params, reg)
        name = params.constructions[reg]
        ctx = _c.Context(n=n, balance=params.balance, modules=params.modules, rng=rng(seed, reg, name))
        if value > 0:
            W = _c.get(reg, name)(W, value, ctx)
    return W


def make_weights(n, strength, balance=0.0, *, dale=0.0, reciprocity=0.0, modularity=0.0,
                 modules=4, density=1.0, seed=None, constructions=None, weak_rows=0.0) -> np.ndarray:
    r"""Draw a recurrent weight matrix ``W`` (``W[i, j]``: weight from neuron j to neuron i).

    .. math:: W = w \cdot \mathcal R_{\text{recip}}\big(\mathcal R_{\text{Dale}}
              (\mathcal R_{\text{weak}}(\mathcal R_{\text{mod}}(W_1)))\big)

    where :math:`W_1` is the baseline matrix at unit strength (module
    docstring) and each :math:`\mathcal R` is the registered construction of a
    regularity, applied only when its control value is positive.

    Parameters
    ----------
    n : int
        Number of neurons (>= 1).
    strength : float
        Connection strength ``w >= 0``; at balance 0 the element variance is ``w**2 / n``.
    balance : float
        E/I bias ``b`` in [-1, 1].
    dale, reciprocity, modularity : float
        Control parameters in [0, 1]; 0 leaves the baseline untouched.
    modules : int
        Number of modules (>= 1; at most ``n`` when ``modularity > 0``).
    density : float
        Fraction of non-zero elements, in (0, 1].
    seed : int, SeedSequence, Generator or None
        The same seed gives the same underlying draws for every value of the
        control parameters (common random numbers).
    constructions : dict, optional
        Map regularity -> registered construction name, e.g. ``{"dale": "type-sign"}``.
    weak_rows : float
        Control of the weak rows in [0, 1] (0: untouched; needs the other three controls at 0).

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` float64 matrix.
    """
    params = NetworkParams(n=n, balance=balance, dale=dale, reciprocity=reciprocity,
                           modularity=modularity, modules=modules, density=density, weak_rows=weak_rows,
                           constructions=constructions)
    w = check_real("strength", strength, 0.0)
    return unit_weights(params, seed) * w
