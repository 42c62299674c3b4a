r"""Paired statistics: the test behind every "significant" in the book.

Instances are paired across control values (same seeds, only the control
parameter differs), so a comparison uses the differences
:math:`d_k = b_k - a_k` of instance :math:`k`:

- mean :math:`\bar d` with the Student-t confidence interval
  :math:`\bar d \pm t_{(1+c)/2,\, n-1}\, s_d / \sqrt n`;
- the two-sided Wilcoxon signed-rank p-value (``scipy.stats.wilcoxon``,
  zero differences dropped), 1 when every difference is zero.

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

__all__ = ["CONTROLS", "PairedResult", "control_dim", "paired_difference", "paired_effects"]

#: The control dimensions of the regularities, one of which a reservoir dataset sweeps.
CONTROLS = ("dale", "reciprocity", "modularity")


@dataclass(frozen=True)
class PairedResult:
    """Mean paired difference ``b - a``, its confidence interval, the Wilcoxon p-value, the number of pairs."""

    mean: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int

    def significant(self, level: float = 0.05) -> bool:
        """Whether the Wilcoxon signed-rank test rejects "no difference" at ``level``."""
        return bool(self.p_value < level)

    def as_dict(self) -> dict:
        """Plain-dict form, for tables."""
        return asdict(self)


def paired_difference(a, b, confidence: float = 0.95) -> PairedResult:
    """Compare paired measurements ``a`` (e.g. control 0) and ``b`` (control 1).

    Parameters
    ----------
    a, b : array (n,)
        Values of the same instances under two conditions; pairs where either is
        NaN are dropped.
    confidence : float
        Level of the t-interval, in (0, 1).

    Returns
    -------
    PairedResult
        ``mean`` of :math:`b - a`, ``ci_low``/``ci_high`` (NaN with fewer than 2
        pairs), ``p_value`` of the Wilcoxon signed-rank test (NaN without pairs,
        1.0 when all differences are zero) and the number ``n`` of pairs used.
    """
    confidence = check_real("confidence", confidence, 0.0, 1.0, lo_open=True, hi_open=True)
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"a and b must be 1-d arrays of the same length (paired), got shapes {a.shape} and {b.shape}")
    return PairedResult(*(v[0].item() for v in _paired_rows((b - a)[None], confidence)))


def _paired_rows(d: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    """Mean, t-interval, Wilcoxon p and pair count of every row of the differences ``d`` (rows, pairs); NaN = no pair."""
    import scipy.stats  # here, not at module level: it takes most of a second to import

    finite = np.isfinite(d)
    n = finite.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(d, axis=1) / np.maximum(n, 1), np.nan)
        sd = np.sqrt(np.nansum((d - mean[:, None]) ** 2, axis=1) / (n - 1))
        half = np.where(n > 1, scipy.stats.t.ppf((1 + confidence) / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n), np.nan)
    p = np.where(n > 0, 1.0, np.nan)                            # 1 where every difference is zero
    varied = (n > 0) & np.any(finite & (d != 0), axis=1)
    whole = varied & finite.all(axis=1)
    if whole.any():                                             # one vectorized call for the complete rows
        p[whole] = scipy.stats.wilcoxon(d[whole], axis=1).pvalue
    for i in np.flatnonzero(varied & ~whole):
        p[i] = scipy.stats.wilcoxon(d[i][finite[i]]).pvalue
    return mean, mean - half, mean + half, p, n


def control_dim(ds) -> str:
    """The one regularity dimension (``dale``, ``reciprocity`` or ``modularity``) that ``ds`` sweeps."""
    dims = [d for d in CONTROLS if d in ds.dims]
    if len(dims) != 1:
        raise ValueError(f"dataset must sweep exactly one control dimension (dale, reciprocity or modularity), has {dims}")
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
