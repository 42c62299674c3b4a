r"""Error control for verdicts that look at many cells at once.

A verdict that scans many cells (the task-point cells of a claim, the
:math:`(b, w)` cells of an accuracy map) finds something by chance unless the
family-wise error rate (the probability of *any* false finding) is controlled.
Cells of one instance share its networks, so their errors are correlated; the
tools here either hold under any dependence (Holm) or take the dependence from
the data, by flipping the sign of whole instances:

- :func:`holm`: Holm's step-down adjustment of a list of p-values.
- :func:`sign_flips`: the sign patterns :math:`s \in \{-1, +1\}^n` of a
  permutation test over :math:`n` paired instances.
- :func:`sign_flip_test`: the paired test of every "significant" in the book,
  one test per row: the exact sign-flip p-value of the mean difference and the
  confidence interval obtained by inverting that same test.
- :func:`paired_t`: the paired :math:`t` statistic of every cell under every
  sign pattern.
- :func:`cluster_mass_test`: clusters of neighbouring cells over a 2-d grid and
  their permutation p-values against the largest cluster mass.
- :func:`instance_correlations`: the Spearman correlation of two quantities
  across cells, computed within each instance.
- :func:`within_cell_link`: the Spearman correlation of two quantities across
  instances, within each cell, averaged over the cells and tested by
  permuting which instance's values of one quantity go with which instance's
  values of the other (whole instances, all cells together).

The null model of the sign-flip tests: under "no effect", the vector of paired
differences of one instance (all its cells together) is symmetric about zero,
so flipping its sign leaves its distribution unchanged; instances are
independent. Flipping whole instances keeps every correlation between cells.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model._checks import check_int, check_real
from ..model.seeding import derive, rng

__all__ = ["FLIP_SEED", "MAX_FLIPS", "EXACT_PAIRS", "FLIP_SAMPLES", "T_CLIP", "FlipTest", "ClusterTest", "holm",
           "sign_flips", "sign_flip_test", "paired_t", "cluster_mass_test", "instance_correlations", "LinkTest",
           "within_cell_link"]

#: Seed of the Monte Carlo sign patterns used when there are too many to enumerate.
FLIP_SEED = 20250528
#: Largest number of sign patterns enumerated; with more instances a Monte Carlo sample of this size is used.
MAX_FLIPS = 2**14
#: Most pairs for which :func:`sign_flip_test` enumerates every sign pattern (:math:`2^{n-1}` of them).
EXACT_PAIRS = 16
#: Sign patterns :func:`sign_flip_test` draws (the identity included) when there are more pairs.
FLIP_SAMPLES = 2**15
#: Bound on :math:`|t|`, reached where every instance has the same non-zero difference (zero variance).
T_CLIP = 100.0


def holm(p_values) -> np.ndarray:
    r"""Holm step-down adjusted p-values.

    With the :math:`m` finite p-values sorted, :math:`p_{(1)} \le \dots \le p_{(m)}`,

    .. math:: \tilde p_{(i)} = \max_{j \le i} \min\bigl(1, (m - j + 1)\, p_{(j)}\bigr),

    and a hypothesis is rejected at family-wise level :math:`\alpha` when
    :math:`\tilde p < \alpha`. This holds under any dependence between the tests.

    Parameters
    ----------
    p_values : array-like
        Any shape; NaN entries are left NaN and do not count in :math:`m`.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same shape as ``p_values``.
    """
    p = np.asarray(p_values, dtype=np.float64)
    flat = p.ravel()
    out = np.full(flat.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(flat))
    if np.any((flat[finite] < 0) | (flat[finite] > 1)):
        raise ValueError(f"p_values must lie in [0, 1], got {flat[finite].min()} to {flat[finite].max()}")
    order = finite[np.argsort(flat[finite], kind="stable")]
    m = order.size
    adjusted = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * flat[order]))
    out[order] = adjusted
    return out.reshape(p.shape)


def sign_flips(n: int, *, max_flips: int = MAX_FLIPS, seed: int = FLIP_SEED) -> tuple[np.ndarray, bool]:
    r"""Sign patterns over ``n`` instances; the first row is the identity (all +1).

    A statistic whose size does not depend on the overall sign (such as the
    largest :math:`|t|` or cluster mass) takes the same value under :math:`s`
    and :math:`-s`, so only the :math:`2^{n-1}` patterns with :math:`s_1 = +1`
    are needed. When :math:`2^{n-1} \le` ``max_flips`` all of them are listed
    (exact test, smallest p-value :math:`2^{1-n}`); otherwise the identity and
    ``max_flips - 1`` patterns drawn from ``seed`` (a Monte Carlo test, smallest
    p-value ``1 / max_flips``).

    Returns
    -------
    flips : numpy.ndarray (B, n) of +1.0 and -1.0
    exhaustive : bool
        Whether ``flips`` lists every pattern.
    """
    n = check_int("n", n, 1)
    max_flips = check_int("max_flips", max_flips, 2)
    if 2 ** (n - 1) <= max_flips:
        codes = np.arange(2 ** (n - 1), dtype=np.int64)
        bits = (codes[:, None] >> np.arange(n - 1, dtype=np.int64)) & 1
        return np.hstack([np.ones((codes.size, 1)), 1.0 - 2.0 * bits]), True
    draws = rng(seed, "sign flips", n).integers(0, 2, size=(max_flips - 1, n))
    return np.vstack([np.ones((1, n)), 1.0 - 2.0 * draws]), False


@dataclass(frozen=True)
class FlipTest:
    """Result of :func:`sign_flip_test`, one entry per row (test).

    ``p_value`` is the two-sided sign-flip p-value of the mean difference,
    ``ci_low``/``ci_high`` the interval of shifts the same test does not reject
    (``-inf``/``+inf`` where it cannot reject any shift), ``patterns`` the
    number of sign patterns used and ``exhaustive`` whether they were all of them.
    """

    p_value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    patterns: np.ndarray
    exhaustive: np.ndarray


def sign_flip_test(differences, confidence: float = 0.95, *, exact_pairs: int = EXACT_PAIRS,
                   samples: int = FLIP_SAMPLES, chunk: int = 64) -> FlipTest:
    r"""Paired sign-flip test of the mean difference and its inverted interval, for many tests at once.

    For the :math:`n` differences :math:`d_k` of one row and a sign pattern
    :math:`s \in \{-1, +1\}^n`, let :math:`T_s = \sum_k s_k d_k` (the identity
    gives :math:`T = \sum_k d_k`). Under "no difference" every :math:`d_k` is
    symmetric about zero, so all :math:`2^n` patterns are equally likely and the
    two-sided p-value is

    .. math:: p = \frac{1}{2^n} \#\{s : |T_s| \ge |T|\},

    exact, with ties and zero differences needing no special treatment (a zero
    contributes the same under both signs). :math:`s` and :math:`-s` give the
    same :math:`|T_s|`, so the :math:`2^{n-1}` patterns with :math:`s_1 = +1`
    are enumerated, all at once as one matrix product of the pattern matrix with
    the rows, for :math:`n \le` ``exact_pairs``; the smallest attainable p is
    :math:`2^{1-n}`. With more pairs a Monte Carlo sample of ``samples`` patterns
    (the identity included, so :math:`p \ge 1/` ``samples``) is drawn from a seed
    derived from the row itself: ``rng(derive(FLIP_SEED, "paired sign flips",
    digest))`` with ``digest`` the BLAKE2b hash of the :math:`|d_k|` sorted
    increasingly, the patterns applied in that order. A row therefore gets the
    same p-value whatever the order of its instances, its overall sign, or the
    other rows.

    The interval inverts the same test: the shifts :math:`\theta` for which the
    test on :math:`d_k - \theta` gives :math:`p \ge \alpha = 1 -` ``confidence``.
    Pattern :math:`s` counts at :math:`\theta` exactly when :math:`\theta` lies
    between the mean of the differences it keeps and the mean of those it flips
    (solve :math:`|T_s(\theta)| \ge |T(\theta)|`, a quadratic inequality); every
    such interval holds :math:`\bar d`, so the accepted shifts form one interval
    :math:`[\theta_-, \theta_+]` around :math:`\bar d`: :math:`\theta_-` is the
    :math:`K`-th smallest of the lower ends, :math:`\theta_+` the :math:`K`-th
    largest upper end, :math:`K = \lceil \alpha B \rceil` for :math:`B` patterns.
    Hence the interval excludes 0 exactly when :math:`p < \alpha` (a shift within
    rounding of 0 is taken as 0), and it always holds the mean. When the test
    cannot reach :math:`\alpha` (:math:`2^{1-n} \ge \alpha`, e.g. 5 pairs or fewer
    at 95%) it accepts every shift and the interval is :math:`(-\infty, \infty)`.

    Parameters
    ----------
    differences : array (rows, n) or (n,)
        One test per row; NaN entries are missing pairs (each row uses its
        finite entries). A row without any finite entry gets NaN.
    confidence : float
        Level of the interval, in (0, 1).
    exact_pairs : int
        Most pairs enumerated exhaustively (at most 24: :math:`2^{23}` patterns).
    samples : int
        Patterns drawn beyond ``exact_pairs`` (at least 2).
    chunk : int
        Rows processed at once (memory only; results do not depend on it).

    Returns
    -------
    FlipTest
        Arrays of shape (rows,) (scalars' shape (1,) for a 1-d input).
    """
    alpha = 1.0 - check_real("confidence", confidence, 0.0, 1.0, lo_open=True, hi_open=True)
    exact_pairs = check_int("exact_pairs", exact_pairs, 1, 24)
    samples = check_int("samples", samples, 2)
    chunk = check_int("chunk", chunk, 1)
    d = np.asarray(differences, dtype=np.float64)
    d = d[None] if d.ndim == 1 else d
    if d.ndim != 2:
        raise ValueError(f"differences must be a (rows, pairs) or (pairs,) array, got shape {d.shape}")
    rows = d.shape[0]
    p, low, high = (np.full(rows, np.nan) for _ in range(3))
    patterns, exhaustive = np.zeros(rows, dtype=np.int64), np.zeros(rows, dtype=bool)
    finite = np.isfinite(d)
    counts = finite.sum(axis=1)
    for n in np.unique(counts[counts > 0]).tolist():
        idx = np.flatnonzero(counts == n)
        x = d[idx][finite[idx]].reshape(idx.size, n)                   # each row's finite entries, in order
        order = np.argsort(np.abs(x), axis=1, kind="stable")
        x = np.take_along_axis(x, order, axis=1)                        # sorted by |d|: see the seed above
        if n <= exact_pairs:
            blocks = [(idx[i:i + chunk], x[i:i + chunk], None) for i in range(0, idx.size, chunk)]
        else:
            blocks = [(idx[i:i + 1], x[i:i + 1], sign_flips(n, max_flips=samples, seed=_row_seed(x[i]))[0])
                      for i in range(idx.size)]
        for where, block, flips in blocks:
            sums, kept = _all_signed_sums(block) if flips is None else (block @ flips.T, (flips > 0).sum(axis=1))
            p[where], low[where], high[where] = _flip_block(block, sums, kept, alpha)
            patterns[where], exhaustive[where] = sums.shape[1], flips is None
    return FlipTest(p, low, high, patterns, exhaustive)


def _row_seed(sorted_row: np.ndarray) -> np.random.SeedSequence:
    """The seed of a row's Monte Carlo sign patterns: derived from its absolute values, sorted."""
    import hashlib

    digest = hashlib.blake2b(np.ascontiguousarray(np.abs(sorted_row)).tobytes(), digest_size=16).hexdigest()
    return derive(FLIP_SEED, "paired sign flips", digest)


def _all_signed_sums(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`T_s = \sum_k s_k x_k` of every row of ``x`` (rows, n) for all :math:`2^{n-1}` patterns with :math:`s_1 = +1`.

    Built by doubling (each further pair adds itself to, and subtracts itself from, every sum so
    far), which costs :math:`2^n` additions per row instead of the :math:`n 2^{n-1}` of a matrix
    product with the pattern matrix. Also returns the number of :math:`s_k = +1` of each pattern.
    """
    sums, kept = x[:, :1].copy(), np.ones(1, dtype=np.int64)
    for k in range(1, x.shape[1]):
        sums = np.concatenate([sums + x[:, k:k + 1], sums - x[:, k:k + 1]], axis=1)
        kept = np.concatenate([kept + 1, kept])
    return sums, kept


def _flip_block(x: np.ndarray, sums: np.ndarray, kept_n: np.ndarray, alpha: float):
    """p-value and inverted interval of every row of ``x`` (rows, n), given its signed sums (rows, B) and kept counts (B,)."""
    n, B = x.shape[1], sums.shape[1]
    total = x.sum(axis=1, keepdims=True)                               # T, the identity's statistic
    tol = 1e-9 * np.abs(x).sum(axis=1, keepdims=True)                  # ties up to rounding count as reached
    reached = (np.abs(sums) >= np.abs(total) - tol).sum(axis=1)
    kept = (total + sums) / (2 * np.maximum(kept_n, 1))                # mean of the differences a pattern keeps
    gone = total - sums
    gone /= 2 * np.maximum(n - kept_n, 1)                               # ... and of those it flips
    lower = np.minimum(kept, gone)
    upper = np.maximum(kept, gone, out=kept)
    unbounded = (kept_n == 0) | (kept_n == n)                           # all-same-sign patterns accept every shift
    lower[:, unbounded], upper[:, unbounded] = -np.inf, np.inf
    k = int(np.ceil(alpha * B - 1e-9))                                 # patterns needed for p >= alpha
    lower.partition(k - 1, axis=1)
    upper.partition(B - k, axis=1)
    mean = total[:, 0] / n
    lo, hi = np.minimum(lower[:, k - 1], mean), np.maximum(upper[:, B - k], mean)
    accepted = reached >= k                                            # p >= alpha: 0 belongs to the interval
    lo, hi = np.where(accepted, np.minimum(lo, 0.0), lo), np.where(accepted, np.maximum(hi, 0.0), hi)
    return reached / B, lo, hi


def paired_t(differences, flips=None) -> np.ndarray:
    r"""Paired :math:`t` statistic of each cell, for each sign pattern.

    For the differences :math:`d_k` of instances :math:`k = 1..n` of a cell,
    flipped by :math:`s_k`: :math:`\bar d = \frac1n \sum_k s_k d_k`,
    :math:`s^2 = \frac{1}{n-1}\bigl(\sum_k d_k^2 - n \bar d^2\bigr)`
    (the sum of squares does not change under flips) and
    :math:`t = \bar d / (s / \sqrt n)`, clipped to :math:`\pm` :data:`T_CLIP`;
    :math:`t = 0` where every difference is zero.

    Parameters
    ----------
    differences : array (..., n)
        Paired differences, instances on the last axis; a cell with a missing
        (NaN) instance gets :math:`t = 0`, so it never joins a cluster.
    flips : array (B, n), optional
        Sign patterns; default the identity only.

    Returns
    -------
    numpy.ndarray (B, ...)
    """
    d = np.asarray(differences, dtype=np.float64)
    n = d.shape[-1]
    if n < 2:
        raise ValueError(f"differences must hold at least 2 instances on the last axis, got {n}")
    flips = np.ones((1, n)) if flips is None else np.asarray(flips, dtype=np.float64)
    missing = np.isnan(d).any(axis=-1)
    d = np.where(np.isnan(d), 0.0, d)
    mean = np.moveaxis(d @ flips.T, -1, 0) / n
    var = np.maximum(((d**2).sum(axis=-1) - n * mean**2) / (n - 1), 0.0)
    scale = np.sqrt(var / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(scale > 1e-12 * np.abs(mean), mean / scale, np.sign(mean) * T_CLIP)
    return np.where(missing, 0.0, np.clip(t, -T_CLIP, T_CLIP))


@dataclass(frozen=True)
class ClusterTest:
    """Result of :func:`cluster_mass_test` on a 2-d grid of cells.

    ``statistic`` is the observed :math:`t` map; ``labels`` numbers its clusters
    1..K from the heaviest (largest absolute mass) down, 0 outside any cluster;
    ``mass``, ``size`` and ``p_value`` are per cluster (index ``k - 1`` for
    label ``k``); ``null_max`` holds the largest cluster mass of every sign
    pattern (the observed one first).
    """

    statistic: np.ndarray
    labels: np.ndarray
    mass: np.ndarray
    size: np.ndarray
    p_value: np.ndarray
    null_max: np.ndarray
    threshold: float
    exhaustive: bool

    @property
    def min_p(self) -> float:
        """Smallest p-value the test can give: one over the number of sign patterns."""
        return 1.0 / self.null_max.size


_CROSS = np.array([[[0, 0, 0], [0, 0, 0], [0, 0, 0]],
                   [[0, 1, 0], [1, 1, 1], [0, 1, 0]],
                   [[0, 0, 0], [0, 0, 0], [0, 0, 0]]])  # 4-neighbours within one sign pattern, never across


def _clusters(t: np.ndarray, threshold: float):
    """Label the clusters of every map in ``t`` (B, rows, cols); return labels, signed masses, sizes, owning map."""
    from scipy import ndimage

    labels = np.zeros(t.shape, dtype=np.int64)
    count = 0
    for side in (+1, -1):
        lab, k = ndimage.label(side * t > threshold, structure=_CROSS)
        labels = np.where(lab > 0, lab + count, labels)
        count += k
    flat = labels.ravel()
    mass = np.bincount(flat, weights=t.ravel(), minlength=count + 1)[1:]
    size = np.bincount(flat, minlength=count + 1)[1:]
    owner = np.zeros(count + 1, dtype=np.int64)
    owner[flat] = np.repeat(np.arange(t.shape[0]), t[0].size)
    return labels, mass, size, owner[1:]


def cluster_mass_test(differences, *, threshold: float | None = None, max_flips: int = MAX_FLIPS,
                      seed: int = FLIP_SEED, chunk: int = 4096) -> ClusterTest:
    r"""Cluster-mass sign-flip permutation test over a 2-d grid of paired cells.

    1. Every cell gets its paired :math:`t` statistic (:func:`paired_t`).
    2. A *cluster* is a set of 4-connected cells whose :math:`t` exceeds
       ``threshold`` with one sign; its *mass* is the sum of their :math:`t`.
    3. For every sign pattern of :func:`sign_flips` (whole instances flipped,
       all their cells together) the largest :math:`|\text{mass}|` is recorded;
       a map without clusters scores 0.
    4. The p-value of an observed cluster is the share of sign patterns (the
       observed one included) whose largest mass reaches its :math:`|\text{mass}|`.

    Declaring the clusters with p below :math:`\alpha` controls the family-wise
    error rate over the whole map at :math:`\alpha`, in the weak sense (the
    chance of any significant cluster when no cell has an effect), whatever the
    correlation between cells.

    Parameters
    ----------
    differences : array (rows, cols, n)
        Paired differences per cell, instances last.
    threshold : float, optional
        Cluster-forming threshold on :math:`|t|`; default the two-sided 5% point
        :math:`t_{0.975,\, n-1}` of one cell.
    max_flips, seed : see :func:`sign_flips`.
    chunk : int
        Sign patterns processed at once (memory only; results do not depend on it).
    """
    import scipy.stats

    d = np.asarray(differences, dtype=np.float64)
    if d.ndim != 3:
        raise ValueError(f"differences must be a (rows, cols, instances) array, got shape {d.shape}")
    n = d.shape[-1]
    if threshold is None:
        threshold = float(scipy.stats.t.ppf(0.975, max(n - 1, 1)))
    threshold = check_real("threshold", threshold, 0.0, lo_open=True)
    chunk = check_int("chunk", chunk, 1)
    flips, exhaustive = sign_flips(n, max_flips=max_flips, seed=seed)
    t0 = paired_t(d)[0]
    labels, mass, size, _ = _clusters(t0[None], threshold)
    order = np.argsort(-np.abs(mass), kind="stable")          # number the clusters heaviest first
    relabel = np.zeros(mass.size + 1, dtype=np.int64)
    relabel[order + 1] = np.arange(1, mass.size + 1)
    labels, mass, size = relabel[labels], mass[order], size[order]
    null_max = []
    for start in range(0, flips.shape[0], chunk):
        t = paired_t(d, flips[start:start + chunk])
        _, m, _, owner = _clusters(t, threshold)
        best = np.zeros(t.shape[0])
        np.maximum.at(best, owner, np.abs(m))
        null_max.append(best)
    null_max = np.concatenate(null_max)
    tol = 1e-9 * np.maximum(1.0, np.abs(mass))
    p = np.array([np.mean(null_max >= abs(m) - e) for m, e in zip(mass, tol)])
    return ClusterTest(t0, labels[0], mass, size, p, null_max, threshold, exhaustive)


def instance_correlations(x, y) -> np.ndarray:
    r"""Spearman correlation between ``x`` and ``y`` across cells, within each instance.

    For instance :math:`k`, :math:`\rho_k` is the Pearson correlation of the
    ranks of :math:`x_{ck}` and :math:`y_{ck}` over the cells :math:`c`. NaN
    where an instance has fewer than 3 complete cells or a constant variable.

    Parameters
    ----------
    x, y : array (cells, n)

    Returns
    -------
    numpy.ndarray (n,)
    """
    from scipy.stats import rankdata

    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 2 or x.shape != y.shape:
        raise ValueError(f"x and y must be (cells, instances) arrays of one shape, got {x.shape} and {y.shape}")
    out = np.full(x.shape[1], np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    for k in range(x.shape[1]):
        if ok[:, k].sum() >= 3:
            rx, ry = (rankdata(v[ok[:, k], k]) for v in (x, y))
            rx, ry = rx - rx.mean(), ry - ry.mean()
            norm = np.sqrt((rx @ rx) * (ry @ ry))
            out[k] = rx @ ry / norm if norm > 0 else np.nan
    return out


@dataclass(frozen=True)
class LinkTest:
    """Result of :func:`within_cell_link`.

    ``statistic`` is :math:`\bar r`, the mean over cells of the per-cell
    correlations ``per_cell``; ``p_value`` its two-sided permutation p-value
    from ``permutations`` instance pairings (the observed one included);
    ``exhaustive`` whether every pairing was used; ``n`` the instances.
    """

    statistic: float
    per_cell: np.ndarray
    p_value: float
    permutations: int
    exhaustive: bool
    n: int


def within_cell_link(x, y, *, max_permutations: int = MAX_FLIPS, seed: int = FLIP_SEED) -> LinkTest:
    r"""Whether two quantities go together across instances within cells: the mean within-cell Spearman correlation.

    For cell :math:`c`, :math:`r_c` is the Pearson correlation, across the
    instances :math:`k`, of the ranks of :math:`x_{ck}` and of :math:`y_{ck}`;
    the statistic is :math:`ar r = rac1C \sum_c r_c`. Differences between
    cells (one cell pattern shared by every instance) do not enter it, only how
    the instances of one cell differ.

    Null model: the vector :math:`(y_{ck})_c` of an instance is independent of
    its vector :math:`(x_{ck})_c`, and instances are exchangeable. Then pairing
    the :math:`x` of instance :math:`k` with the :math:`y` of instance
    :math:`\pi(k)`, for a permutation :math:`\pi` applied to every cell at
    once, leaves the distribution of :math:`ar r` unchanged, and keeps every
    correlation between the cells of one instance. The two-sided p-value is the
    share of pairings (the identity included) with :math:`|ar r_\pi| \ge |ar r|`:
    all :math:`n!` of them when :math:`n! \le` ``max_permutations``, otherwise
    the identity and ``max_permutations - 1`` permutations drawn from ``seed``.

    Parameters
    ----------
    x, y : array (cells, n)
        The two quantities per cell and instance (no NaN); a cell where either
        is constant over the instances contributes :math:`r_c = 0`.
    max_permutations, seed :
        Number of pairings (at least 2) and the seed of the sampled ones.
    """
    import math
    from itertools import permutations as all_orders
    from scipy.stats import rankdata

    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 2 or x.shape != y.shape or x.shape[1] < 3:
        raise ValueError(f"x and y must be (cells, instances) arrays of one shape with at least 3 instances, got "
                         f"{x.shape} and {y.shape}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("x and y must be finite (no NaN): every cell needs every instance")
    max_permutations = check_int("max_permutations", max_permutations, 2)
    n = x.shape[1]

    def unit(v):
        r = rankdata(v, axis=1)
        r -= r.mean(axis=1, keepdims=True)
        norm = np.linalg.norm(r, axis=1, keepdims=True)
        return np.divide(r, norm, out=np.zeros_like(r), where=norm > 0)

    rx, ry = unit(x), unit(y)
    per_cell = (rx * ry).sum(axis=1)
    exhaustive = math.factorial(n) <= max_permutations
    if exhaustive:
        orders = np.array(list(all_orders(range(n))))
    else:
        gen = rng(seed, "instance pairings", n)
        orders = np.vstack([np.arange(n), np.argsort(gen.random((max_permutations - 1, n)), axis=1)])
    null = np.einsum("ck,bck->b", rx, ry[:, orders].transpose(1, 0, 2)) / x.shape[0]
    observed = float(per_cell.mean())
    p = float(np.mean(np.abs(null) >= abs(observed) - 1e-12))
    return LinkTest(observed, per_cell, p, int(orders.shape[0]), bool(exhaustive), n)
