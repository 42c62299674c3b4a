r"""Specification-curve inference: one effect per specification, a joint test, and which choices decide it.

A *specification* is one combination of modelling choices (construction
reading, density, task, ...). For each, the paired differences
:math:`d_{sk} = a_{sk}(1) - a_{sk}(0)` of instances :math:`k = 1..n` give the
effect of the control. Instances are the unit: every specification of
instance :math:`k` shares its random draws, so the rows of :math:`D` are
dependent and only the columns (instances) are independent.

- :func:`specification_effects`: per specification the mean
  :math:`\bar d_s`, its Student-t interval
  :math:`\bar d_s \pm t_{(1+c)/2,\,n-1}\, s_s/\sqrt n`, the paired
  :math:`t_s = \bar d_s / (s_s/\sqrt n)` and its two-sided p-value.
- :func:`joint_test`: the specification curve as a whole (Simonsohn, Simmons
  & Nelson 2020), paired version. Under "no effect anywhere" the vector
  :math:`(d_{1k}, \dots, d_{Sk})` of an instance is symmetric about zero, so
  multiplying whole columns by signs :math:`\sigma_k \in \{-1, +1\}` (the same
  :math:`\sigma` for every specification, which keeps their dependence) leaves
  the distribution of :math:`D` unchanged. Two statistics, both in the
  claimed direction :math:`\delta \in \{-1, +1\}`: the median effect
  :math:`\delta\, \mathrm{median}_s \bar d_s` and the number of
  specifications with :math:`\delta t_s > t_{1-\alpha/2,\,n-1}`
  (significant in the claimed direction). Their p-values are the shares of
  sign patterns whose statistic is at least the observed one: exact (all
  :math:`2^n` patterns) for :math:`n \le` :data:`MAX_EXACT`, else a seeded
  Monte Carlo sample that includes the identity.
- :func:`decompose`: the effects over the choices. With :math:`X` the
  design of an intercept and, per choice, sum-to-zero (deviation) indicators
  of its levels, the least-squares coefficients :math:`\beta = X^+ D` are
  computed for every instance; the main effect of a level (its deviation
  from the grand mean, averaged over the other choices) and the conditional
  mean of the level (grand mean plus main effect) are then means over the
  instances with t-intervals, so the intervals keep the instance as the
  unit. The share of the variance across specifications that choice
  :math:`c` explains is :math:`\mathrm{Var}_s(X_c \beta_c) /
  \mathrm{Var}_s(\bar d_s)` with :math:`\beta` fitted to the mean effects.
- :func:`holds_where`: sentences computed from a decomposition: where the claim
  holds, level by level.
- :func:`reconstruction`: the specifications in which several claims hold at
  once, each significant in its claimed direction, and a ranking of all of
  them by a criterion fixed before looking at the data: the *smallest*
  standardised effect in the claimed directions,
  :math:`\min_c \delta_c\, \bar d_{cs} / s_{cs}` (Cohen's :math:`d_z` per claim
  :math:`c`), largest first, so the top specification is the one whose
  weakest claim is strongest.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model._checks import check_choice, check_int, check_real
from ..model.seeding import rng
from .wording import series

__all__ = ["FLIP_SEED", "MAX_EXACT", "Decomposition", "Effects", "JointTest", "Reconstruction", "all_flips",
           "decompose", "holds_where", "joint_test", "reconstruction", "specification_effects"]

#: Up to this many instances every sign pattern is enumerated (2**16 = 65536 patterns).
MAX_EXACT = 16
#: Seed of the Monte Carlo sign patterns beyond :data:`MAX_EXACT` instances.
FLIP_SEED = 20250528
#: Sign patterns evaluated at once (bounds memory to about S x BLOCK floats).
BLOCK = 4096
DIRECTIONS = (-1, 1)


def _differences(differences) -> np.ndarray:
    d = np.asarray(differences, np.float64)
    if d.ndim != 2 or d.shape[1] < 2 or d.shape[0] < 1:
        raise ValueError(f"differences must be (specifications, instances) with at least 2 instances, got {d.shape}")
    if not np.all(np.isfinite(d)):
        raise ValueError("differences must be finite (a specification with a missing instance cannot be paired)")
    return d


def _t_quantile(q: float, df: int) -> float:
    import scipy.stats  # here, not at module level: it takes most of a second to import
    return float(scipy.stats.t.ppf(q, df))


def _t_stat(mean: np.ndarray, sumsq: np.ndarray, n: int) -> np.ndarray:
    """Paired t from the mean and the (flip-invariant) sum of squares; +-inf-free (zero spread -> +-1e12)."""
    var = np.maximum((sumsq - n * mean**2) / (n - 1), 0.0)
    scale = np.sqrt(var / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scale > 1e-12 * np.abs(mean), mean / scale, np.sign(mean) * 1e12)


@dataclass(frozen=True)
class Effects:
    """Per-specification paired effects (arrays of shape (S,)); ``n`` instances, ``confidence`` level."""

    mean: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    t: np.ndarray
    p_value: np.ndarray
    n: int
    confidence: float

    def significant(self, direction: int, alpha: float = 0.05) -> np.ndarray:
        """Specifications whose two-sided p is below ``alpha`` with the sign ``direction``."""
        return (self.p_value < alpha) & (np.sign(self.t) == direction)


def specification_effects(differences, confidence: float = 0.95) -> Effects:
    """Mean paired difference of every specification with its t-interval and two-sided t-test p-value.

    Parameters
    ----------
    differences : array (S, n)
        ``d[s, k]``: control 1 minus control 0 in specification ``s``, instance ``k``.
    confidence : float
        Level of the intervals, in (0, 1).
    """
    import scipy.stats

    confidence = check_real("confidence", confidence, 0.0, 1.0, lo_open=True, hi_open=True)
    d = _differences(differences)
    n = d.shape[1]
    mean = d.mean(axis=1)
    sd = d.std(axis=1, ddof=1)
    half = _t_quantile((1 + confidence) / 2, n - 1) * sd / np.sqrt(n)
    t = _t_stat(mean, (d**2).sum(axis=1), n)
    p = np.where(mean == 0, 1.0, 2 * scipy.stats.t.sf(np.abs(t), n - 1))
    return Effects(mean, mean - half, mean + half, t, p, n, confidence)


def all_flips(n: int, *, draws: int = 2**14, seed: int = FLIP_SEED) -> tuple[np.ndarray, bool]:
    """Sign patterns over ``n`` instances, the identity first.

    Every one of the :math:`2^n` patterns when ``n`` <= :data:`MAX_EXACT`
    (exhaustive); otherwise the identity and ``draws - 1`` patterns drawn from
    ``rng(seed, "specification flips", n)``.

    Returns
    -------
    flips : ndarray (B, n) of +-1.0
    exhaustive : bool
    """
    n = check_int("n", n, 1, 62)
    draws = check_int("draws", draws, 2)
    if n <= MAX_EXACT:
        codes = np.arange(2**n, dtype=np.int64)
        return 1.0 - 2.0 * ((codes[:, None] >> np.arange(n, dtype=np.int64)) & 1), True
    signs = rng(seed, "specification flips", n).integers(0, 2, size=(draws - 1, n))
    return np.vstack([np.ones((1, n)), 1.0 - 2.0 * signs]), False


@dataclass(frozen=True)
class JointTest:
    """The specification curve tested as a whole (see the module docstring).

    Attributes
    ----------
    direction : int
        Claimed sign of the effect.
    median : float
        Observed median effect over specifications.
    median_p : float
        Share of sign patterns with :math:`\\delta\\,\\mathrm{median} \\ge` the observed one.
    count : int
        Specifications significant in the claimed direction.
    count_p : float
        Share of sign patterns with at least as many.
    share : float
        ``count`` over the number of specifications.
    specifications, patterns : int
    exhaustive : bool
        Whether every sign pattern was enumerated (an exact test).
    null_median, null_count : ndarray (patterns,)
        The median effect (signed, as observed) and the count under every sign pattern (the identity first).
    """

    direction: int
    median: float
    median_p: float
    count: int
    count_p: float
    share: float
    specifications: int
    patterns: int
    exhaustive: bool
    null_median: np.ndarray
    null_count: np.ndarray

    def rejects(self, alpha: float = 0.05) -> bool:
        """Whether either statistic is significant at ``alpha`` after Bonferroni over the two."""
        return bool(min(self.median_p, self.count_p) < alpha / 2)


def joint_test(differences, direction: int, *, alpha: float = 0.05, draws: int = 2**14,
               seed: int = FLIP_SEED) -> JointTest:
    """Sign-flip test of a whole specification curve in the claimed ``direction`` (module docstring).

    Parameters
    ----------
    differences : array (S, n)
        Paired differences, specifications by instances.
    direction : {-1, 1}
        Claimed sign of the effect.
    alpha : float
        Level of each specification's two-sided t-test (what "significant" counts).
    draws, seed
        Monte Carlo sign patterns when ``n`` > :data:`MAX_EXACT`.
    """
    direction = check_choice("direction", direction, DIRECTIONS)
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    d = _differences(differences)
    n = d.shape[1]
    flips, exhaustive = all_flips(n, draws=draws, seed=seed)
    critical = _t_quantile(1 - alpha / 2, n - 1)
    sumsq = (d**2).sum(axis=1)[:, None]
    medians, counts = [], []
    for start in range(0, len(flips), BLOCK):
        mean = d @ flips[start:start + BLOCK].T / n                       # (S, B)
        medians.append(direction * np.median(mean, axis=0))
        counts.append(np.sum(direction * _t_stat(mean, sumsq, n) > critical, axis=0))
    null_median, null_count = np.concatenate(medians), np.concatenate(counts)
    observed_median, observed_count = null_median[0], int(null_count[0])
    tol = 1e-12 * max(1.0, abs(observed_median))
    return JointTest(direction, float(direction * observed_median),
                     float(np.mean(null_median >= observed_median - tol)), observed_count,
                     float(np.mean(null_count >= observed_count)), observed_count / d.shape[0], d.shape[0],
                     len(flips), exhaustive, direction * null_median, null_count)


@dataclass(frozen=True)
class Decomposition:
    """Main effects of every level of every choice, and the variance share of each choice.

    Attributes
    ----------
    levels : list of (choice, level)
        One row per level, in the order of ``effect`` etc.
    grand_mean : float
        Intercept: the mean effect averaged over the levels of every choice.
    effect, effect_low, effect_high : ndarray
        Main effect of each level (deviation from ``grand_mean``) with its interval over instances.
    conditional, conditional_low, conditional_high : ndarray
        ``grand_mean + effect`` with its interval: the mean effect at that level, averaged over the other choices.
    share : dict
        Choice -> share of the variance of the specification effects explained by it.
    r_squared : float
        Share explained by all main effects together (the rest is interactions and noise).
    confidence : float
    """

    levels: list
    grand_mean: float
    effect: np.ndarray
    effect_low: np.ndarray
    effect_high: np.ndarray
    conditional: np.ndarray
    conditional_low: np.ndarray
    conditional_high: np.ndarray
    share: dict
    r_squared: float
    confidence: float

    def deciding(self) -> str:
        """The choice that explains the largest share of the variance."""
        return max(self.share, key=self.share.get)

    def rows(self) -> list[dict]:
        """One dict per level, for a table."""
        return [{"choice": c, "level": lv, "effect": e, "effect_low": lo, "effect_high": hi,
                 "conditional": m, "conditional_low": mlo, "conditional_high": mhi, "share": self.share[c]}
                for (c, lv), e, lo, hi, m, mlo, mhi in zip(self.levels, self.effect, self.effect_low,
                                                         self.effect_high, self.conditional,
                                                         self.conditional_low, self.conditional_high)]


def _design(choices: dict, S: int, order: dict) -> tuple[np.ndarray, list, dict, np.ndarray]:
    """Intercept + deviation-coded indicators; also the map from coefficients to level effects."""
    columns, levels, blocks, mapping_rows = [np.ones(S)], [], {}, []
    for name, values in choices.items():
        values = np.asarray(values, dtype=object)
        if values.shape != (S,):
            raise ValueError(f"choice {name!r} must give one level per specification ({S}), got shape {values.shape}")
        present = set(values.tolist())
        names = [lv for lv in order[name] if lv in present] if name in order else sorted(present, key=str)
        first = len(columns)
        for lv in names[1:]:
            columns.append((values == lv).astype(float) - (values == names[0]).astype(float))
        blocks[name] = np.arange(first, len(columns))
        for j, lv in enumerate(names):
            levels.append((name, lv))
            mapping_rows.append((blocks[name], j))
    X = np.column_stack(columns)
    E = np.zeros((len(levels), X.shape[1]))
    for i, (cols, j) in enumerate(mapping_rows):
        if j == 0:
            E[i, cols] = -1.0
        else:
            E[i, cols[j - 1]] = 1.0
    return X, levels, blocks, E


def _mean_interval(values: np.ndarray, confidence: float):
    """Mean over the last axis (instances) with its t-interval."""
    n = values.shape[-1]
    mean = values.mean(axis=-1)
    half = _t_quantile((1 + confidence) / 2, n - 1) * values.std(axis=-1, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def decompose(differences, choices: dict, confidence: float = 0.95, *, order: dict | None = None) -> Decomposition:
    """Decompose the specification effects over the choices (module docstring).

    Parameters
    ----------
    differences : array (S, n)
        Paired differences, specifications by instances.
    choices : dict
        Choice name -> array (S,) of the level each specification takes.
    confidence : float
        Level of the intervals.
    order : dict, optional
        Choice -> its levels in the order of the rows (default: sorted); levels no specification takes are left out.
    """
    confidence = check_real("confidence", confidence, 0.0, 1.0, lo_open=True, hi_open=True)
    d = _differences(differences)
    if not choices:
        raise ValueError("choices must name at least one choice")
    X, levels, blocks, E = _design(choices, d.shape[0], order or {})
    pinv = np.linalg.pinv(X)
    per_instance = pinv @ d                                   # (p, n) coefficients of each instance
    effect, effect_low, effect_high = _mean_interval(E @ per_instance, confidence)
    conditional, conditional_low, conditional_high = _mean_interval(E @ per_instance + per_instance[0], confidence)
    y = d.mean(axis=1)
    beta = pinv @ y
    total = y.var()
    share = {c: float((X[:, cols] @ beta[cols]).var() / total) if total > 0 and cols.size else 0.0
             for c, cols in blocks.items()}
    r2 = float(1 - ((y - X @ beta) ** 2).mean() / total) if total > 0 else 0.0
    return Decomposition(levels, float(beta[0]), effect, effect_low, effect_high, conditional, conditional_low,
                         conditional_high, share, r2, confidence)


def _fmt(x: float) -> str:
    return f"{x:+.3f}"


def _level(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def holds_where(decomposition: Decomposition, claim: str, direction: int) -> str:
    """Computed sentences: where, level by level, the claim holds on average, led by the choice that explains most.

    A level *holds* when the interval of its conditional mean (the mean effect
    among the specifications at that level, averaged over the other choices)
    lies entirely on the claimed side of zero, and *goes against* the claim
    when it lies entirely on the other side. The sentences name the choice
    that explains the largest share of the variance across specifications
    (:meth:`Decomposition.deciding`), sort its levels into holds, against and
    neither, and then list, choice by choice, the levels of every other choice
    that hold and that go against (all of a choice's levels as "every level
    of"). Every level whose interval excludes zero is named, so the sentences
    agree with the table of the decomposition: the deciding choice need not be
    the only one whose levels decide where the claim holds. When no level
    holds, the sentences say so and count the levels that go against.
    """
    direction = check_choice("direction", direction, DIRECTIONS)
    dec = decomposition
    lo = np.minimum(dec.conditional_low * direction, dec.conditional_high * direction)
    hi = np.maximum(dec.conditional_low * direction, dec.conditional_high * direction)
    holds, against = lo > 0, hi < 0
    choice = dec.deciding()
    named = choice.replace("_", " ")
    lead = (f"The choice that explains the largest share of the variance across specifications is {named} "
            f"({100 * dec.share[choice]:.0f}%)")
    if not holds.any():
        where = (f"{claim} holds at no level of any choice: no level's mean effect lies significantly on the "
                 f"claimed side")
        if against.any():
            where += f", and it goes against the claim at {int(against.sum())} of {len(dec.levels)} levels"
        return f"{where}. {lead}."

    def valued(idx):
        return series([f"{_level(dec.levels[i][1])} ({_fmt(dec.conditional[i])})" for i in idx])

    own = [i for i, (c, _) in enumerate(dec.levels) if c == choice]
    held = [i for i in own if holds[i]]
    contra = [i for i in own if against[i]]
    neither = [i for i in own if not holds[i] and not against[i]]
    if len(held) == len(own):
        first = f"{claim} holds at every one of its levels ({valued(held)})"
    else:
        parts = [f"Among its levels, {claim} holds at {valued(held) if held else 'none'}"]
        if contra:
            parts.append(f"it goes against the claim at {valued(contra)}")
        if neither:
            parts.append(f"it is significant neither way at {valued(neither)}")
        first = "; ".join(parts)

    others = [c for c in dict.fromkeys(c for c, _ in dec.levels) if c != choice]

    def by_choice(mask):
        every, some = [], []
        for c in others:
            idx = [i for i, (cc, _) in enumerate(dec.levels) if cc == c]
            hit = [i for i in idx if mask[i]]
            if hit and len(hit) == len(idx):
                every.append(c.replace("_", " "))
            elif hit:
                some.append(f"{c.replace('_', ' ')} {valued(hit)}")
        return "; ".join(([f"every level of {series(every)}"] if every else []) + some)
    rest = [i for i, (c, _) in enumerate(dec.levels) if c != choice]
    n_hold, n_against = int(holds[rest].sum()), int(against[rest].sum())
    second = ""
    if rest:
        counted = "none" if n_hold == 0 else f"all {len(rest)}" if n_hold == len(rest) else f"{n_hold} of {len(rest)}"
        second = f" At the levels of the other choices it holds at {counted}"
        second += f": {by_choice(holds)}." if n_hold else "."
        if n_against:
            second += f" It goes against the claim at {n_against} of them: {by_choice(against)}."
    return f"{lead}. {first}.{second}"


@dataclass(frozen=True)
class Reconstruction:
    r"""Where several claims hold at once (see :func:`reconstruction`).

    Attributes
    ----------
    claims : tuple of str
    all_hold : ndarray of int
        Specifications where every claim is significant in its claimed direction.
    standardised : ndarray (S, claims)
        :math:`\delta_c d_z` of every specification and claim (NaN where undefined).
    score : ndarray (S,)
        The smallest of them (``-inf`` where any is undefined).
    order : ndarray of int
        Specifications by ``score``, largest first.
    """

    claims: tuple
    all_hold: np.ndarray
    standardised: np.ndarray
    score: np.ndarray
    order: np.ndarray


def reconstruction(effects: dict, directions: dict, *, alpha: float = 0.05) -> Reconstruction:
    """The specifications in which every claim of ``effects`` holds, and all of them ranked by their weakest claim.

    Parameters
    ----------
    effects : dict
        Claim -> :class:`Effects` over the same specifications (NaN effects: undefined there).
    directions : dict
        Claim -> claimed sign.
    alpha : float
        Level of each specification's test.
    """
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    claims = tuple(effects)
    sizes = {e.mean.shape for e in effects.values()}
    if len(sizes) != 1:
        raise ValueError(f"effects must cover the same specifications, got shapes {sorted(sizes)}")
    z = np.column_stack([check_choice(f"directions[{c!r}]", directions[c], DIRECTIONS) * effects[c].t
                         / np.sqrt(effects[c].n) for c in claims])
    hold = np.column_stack([effects[c].significant(directions[c], alpha) for c in claims]).all(axis=1)
    score = np.where(np.isfinite(z).all(axis=1), np.nanmin(np.where(np.isfinite(z), z, np.inf), axis=1), -np.inf)
    return Reconstruction(claims, np.flatnonzero(hold), z, score, np.argsort(-score, kind="stable"))
