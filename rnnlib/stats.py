r"""Paired statistics: the test behind every "significant" in the book.

Instances are paired across control values (same seeds, only the control
parameter differs), so a comparison uses the differences
:math:`d_k = b_k - a_k` of instance :math:`k`:

- mean :math:`\bar d` with the Student-t confidence interval
  :math:`\bar d \pm t_{(1+c)/2,\, n-1}\, s_d / \sqrt n`;
- the two-sided Wilcoxon signed-rank p-value (``scipy.stats.wilcoxon``,
  zero differences dropped), 1 when every difference is zero.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ._checks import check_real

__all__ = ["PairedResult", "paired_difference"]


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
    import scipy.stats  # here, not at module level: it takes most of a second to import

    confidence = check_real("confidence", confidence, 0.0, 1.0, lo_open=True, hi_open=True)
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"a and b must be 1-d arrays of the same length (paired), got shapes {a.shape} and {b.shape}")
    d = (b - a)[~(np.isnan(a) | np.isnan(b))]
    n = d.size
    if n == 0:
        return PairedResult(np.nan, np.nan, np.nan, np.nan, 0)
    mean = float(d.mean())
    if n < 2:
        low = high = np.nan
    else:
        half = scipy.stats.t.ppf((1 + confidence) / 2, n - 1) * d.std(ddof=1) / np.sqrt(n)
        low, high = mean - half, mean + half
    p = 1.0 if not np.any(d) else float(scipy.stats.wilcoxon(d).pvalue)
    return PairedResult(mean, float(low), float(high), p, int(n))
