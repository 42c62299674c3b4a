r"""Paired statistics: the test behind every "significant" in the book.

Instances are paired across control values (same seeds, only the control
parameter differs), so a comparison uses the differences
:math:`d_k = b_k - a_k` of instance :math:`k`:

- the mean :math:`\bar d`;
- the two-sided exact sign-flip p-value of :math:`\bar d`
  (:func:`rnnlib.statistics.inference.sign_flip_test`: the share of the
  :math:`2^n` sign patterns :math:`s` with :math:`|\sum_k s_k d_k| \ge |\sum_k d_k|`),
  1 when every difference is zero;
- the confidence interval that inverts the same test (the shifts
  :math:`\theta` it does not reject for :math:`d_k - \theta`), so the interval
  excludes 0 exactly when :math:`p < 1 -` ``confidence``, and it always holds
  :math:`\bar d`.

Earlier versions reported Wilcoxon's signed-rank p-value (``scipy.stats.wilcoxon``,
which falls back to a normal approximation for tied data with more than 13
pairs) beside Student's :math:`t` interval, and the two could disagree (an
interval crossing zero beside :math:`p < 0.05`). Both are replaced by the one
exact test above; its smallest attainable p-value is the same, :math:`2^{1-n}`.

Instances are the unit: cells of one instance (tasks, points, grid cells)
share its networks, so :func:`paired_effects` averages over them within each
instance before pairing. This module is the one home of that pooling; the
scorecard, the chapters and the figures call it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import itertools

import numpy as np

from ..model._checks import check_real
from ..model.constructions import ALL_REGULARITIES
from .inference import sign_flip_test

__all__ = ["CONTROLS", "PairedResult", "control_dim", "paired_difference", "paired_effects"]

#: The control dimensions of the regularities, one of which a reservoir dataset sweeps: every registered one.
CONTROLS = ALL_REGULARITIES


@dataclass(frozen=True)
class PairedResult:
    """Mean paired difference ``b - a``, its sign-flip interval and p-value, the number of pairs."""

    mean: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int

    def significant(self, level: float = 0.05) -> bool:
        """Whether the sign-flip test rejects "no difference" at ``level``."""
        return bool(self.p_value < level)

    def as_dict(self) -> dict:
        """Plain-dict form, for tables."""
        return asdict(self)


def paired_difference(a, b, confidence: float = 0.95) -> PairedResult:
    r"""Compare paired measurements ``a`` (e.g. control 0) and ``b`` (control 1).

    Parameters
    ----------
    a, b : array (n,)
        Values of the same instances under two conditions; pairs where either is
        NaN are dropped.
    confidence : float
        Level of the interval, in (0, 1).

    Returns
    -------
    PairedResult
        ``mean`` of :math:`b - a`; ``ci_low``/``ci_high``, the interval of shifts
        the sign-flip test does not reject (NaN without pairs; infinite when the
        test cannot reject at this level, :math:`2^{1-n} \ge 1 -` ``confidence``);
        ``p_value`` of the exact sign-flip test (NaN without pairs, 1.0 when all
        differences are zero), see the module docstring and
        :func:`rnnlib.statistics.inference.sign_flip_test`; the number ``n`` of pairs used.
    """
    confidence = check_real("confidence", confidence, 0.0, 1.0, lo_open=True, hi_open=True)
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"a and b must be 1-d arrays of the same length (paired), got shapes {a.shape} and {b.shape}")
    return PairedResult(*(v[0].item() for v in _paired_rows((b - a)[None], confidence)))


def _paired_rows(d: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    """Mean, sign-flip interval, sign-flip p and pair count of every row of the differences ``d`` (rows, pairs); NaN = no pair."""
    n = np.isfinite(d).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(d, axis=1) / np.maximum(n, 1), np.nan)
    test = sign_flip_test(d, confidence)
    return mean, test.ci_low, test.ci_high, test.p_value, n


def control_dim(ds) -> str:
    """The one regularity dimension (one of :data:`CONTROLS`) that ``ds`` sweeps."""
    dims = [d for d in CONTROLS if d in ds.dims]
    if len(dims) != 1:
        raise ValueError(f"dataset must sweep exactly one control dimension (one of {', '.join(CONTROLS)}), has {dims}")
    return dims[0]


def paired_effects(ds, variable: str = "accuracy", *, control: str | None = None, over=(),
                   low: float = 0.0, high: float = 1.0) -> list[dict]:
    r"""Paired differences ``high - low`` of ``variable`` for every combination of the ``over`` dimensions.

    For each combination, every remaining dimension except ``instance``
    (points, tasks, ...) is averaged within each instance,
    :math:`\bar a_k(c) = \operatorname{mean}_{\text{cells}}\, a_{k}(c)`
    (NaN skipped), and :func:`paired_difference` compares
    :math:`\bar a_k(\text{low})` with :math:`\bar a_k(\text{high})` over the instances :math:`k`.

    Parameters
    ----------
    ds : xarray.Dataset
        With an ``instance`` dimension and the ``control`` dimension.
    variable : str
        The data variable to compare.
    control : str, optional
        The swept dimension to compare along; default :func:`control_dim` of ``ds``.
    over : sequence of str
        Dimensions kept apart: one row per combination of their values, in order.
    low, high : float
        The two control values compared.

    Returns
    -------
    list of dict
        Each row holds ``label`` (the ``over`` values joined by ", ", or
        ``variable`` when ``over`` is empty), the coordinate of each ``over``
        dimension, and ``mean``, ``ci_low``, ``ci_high``, ``p_value`` of
        :func:`paired_difference`, with its ``n`` under the name ``pairs``
        (``n`` can be a swept dimension).
    """
    control = control or control_dim(ds)
    if variable not in ds:
        raise ValueError(f"variable must be a data variable of the dataset ({sorted(ds.data_vars)}), got {variable!r}")
    lo, hi = (ds[variable].sel({control: c}) for c in (low, high))
    rest = [d for d in lo.dims if d != "instance" and d not in over]
    lo, hi = (x.mean(rest).transpose(*over, "instance") for x in (lo, hi))
    differences = (hi - lo).values.reshape(-1, lo.sizes["instance"])
    combos = itertools.product(*[lo[dim].values.tolist() for dim in over])
    rows = []
    for combo, (mean, low_, high_, p, n) in zip(combos, zip(*_paired_rows(differences, 0.95))):
        key = dict(zip(over, combo))
        rows.append({"label": ", ".join(str(v) for v in key.values()) or variable, **key, "mean": float(mean),
                     "ci_low": float(low_), "ci_high": float(high_), "p_value": float(p), "pairs": int(n)})
    return rows
