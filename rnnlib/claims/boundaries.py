r"""Claims C5 and C6: where along the balance axis the baseline reservoir is most accurate.

The authors' earlier reservoir study (Metzner, Schilling, Maier, Krauss, Neural
Computation 37(8), 1469, 2025) reports in its abstract that accuracy peaks at
the oscillatory/chaotic and the chaotic/fixed-point boundaries (**C5**), and
that chaotic dynamics often lowers accuracy while computations on oscillatory
or fixed-point attractors lose little (**C6**). This module tests both on two
datasets over the same (balance, strength) grid: ``baseline_phase`` (the
``regime`` code of :data:`rnnlib.REGIMES` per instance) and
``baseline_reservoir`` (``accuracy`` per instance). The rules below were fixed
before the committed data were looked at.

**Phases.** Regimes are grouped: *oscillatory* = periodic; *chaotic* =
chaotic; *fixed* = fixed point or quiescent; *irregular* (aperiodic without a
positive exponent) is its own group. A cell's phase is the group with a strict
plurality of the instances; a tie or an irregular plurality leaves the cell
*undetermined*.

**Band and boundaries.** At each strength, the balance axis (sorted) is cut at
every oscillatory or fixed cell; among the pieces with at least one chaotic
cell, the *chaotic band* is the one with most chaotic cells (ties: the one
whose centre is nearest b = 0), trimmed to its first and last chaotic cell.
Strengths without a band (below the chaos onset) are not analysed. The
*oscillatory/chaotic boundary* :math:`b_{oc}` is the midpoint between the
band's first cell and the nearest determined cell below it, if that cell is
oscillatory (else undefined); the *chaotic/fixed boundary* :math:`b_{cf}`
likewise above the band with a fixed cell.

**Accuracies per instance** (at one strength; ``window`` = :math:`m`, default 3):

- at a boundary, :math:`A_B`: the mean of its two flanking cells (the linear
  interpolation at the midpoint);
- inside, :math:`A_{in}`: the band's chaotic cells other than its two end cells
  (the band interior); chaos, :math:`A_{ch}`: all chaotic cells of the band;
- beyond a boundary, :math:`A_{out}`: the up to :math:`m - 1` cells of the
  ordered phase that follow the flanking ordered cell, outward;
- ordered side, :math:`A_{O}`: the flanking ordered cell and those beyond it
  (up to :math:`m` cells of that phase).

Per instance, each quantity below is averaged over the strengths where all its
cells exist (a strength lacking them is left out for that boundary):

- C5, boundary :math:`B`: :math:`P_B = A_B - \max(A_{in}, A_{out})`, positive
  when the boundary beats both of its sides (a peak), and the one-sided
  :math:`A_B - A_{in}` and :math:`A_B - A_{out}`, negative when the boundary
  lies below that side;
- C6, side :math:`O`: :math:`L_O = A_O - A_{ch}`, positive when the ordered
  phase beats chaos.

**Verdicts** (instances are the unit; :func:`rnnlib.statistics.stats.paired_difference`,
two-sided test over the instances, level ``alpha``; the words of
:mod:`rnnlib.claims.verdicts`). The headline is
:math:`S = \min(\bar P_{oc}, \bar P_{cf})` per instance (C5), or
:math:`\min(\bar L_{osc}, \bar L_{fix})` (C6); the parts are the two
per-boundary (per-side) means, Holm-adjusted for the two. Findings *for*: the
headline positive with p < alpha (both boundaries are peaks; chaos is worse
than both ordered phases), or a part positive with Holm p < alpha. Findings
*against* come from contrasts that do not lean either way when there is no
effect (a minimum or maximum of noisy means does: :math:`P_B` and :math:`S`
lean negative, so they cannot count against the claim): the *against parts*,
the four one-sided contrasts :math:`A_B - A_{in}`, :math:`A_B - A_{out}` of
both boundaries (C5; a boundary below one of its sides is not a peak) or
:math:`\bar L_{osc}, \bar L_{fix}` (C6), Holm-adjusted within their family,
negative with Holm p < alpha, and the *against headline*, their mean per
instance, negative with p < alpha.
The findings give the word by :func:`rnnlib.claims.verdicts.decide`:
**supported**, **conditional** (one boundary or side alone, the row then
reports that test and names it), **mixed**, **contradicted**, **no evidence**;
**not testable** when no strength has the cells needed. With :math:`n`
instances the smallest two-sided p is :math:`2^{1-n}`, so a test Holm-adjusted
over a family of :math:`k` can be significant only when :math:`k\,2^{1-n} <
\alpha` (:func:`minimum_instances`: at :math:`\alpha = 0.05`, :math:`n \ge 7` for
the two parts, :math:`n \ge 8` for the four against parts of C5);
:func:`instance_limits` says which of a rule's tests cannot count at the given
:math:`n`, and the row's ``where`` says it next to the verdict.

The peak of the instance-mean accuracy at each analysed strength is also
located: *at* a boundary when within one grid step of it, else by the phase of
its cell.

**Input strength.** The free-running phases do not depend on the input, so
:func:`by_variant` applies the same rules, with the same boundaries, to each
input strength of ``baseline_reservoir_inputs`` (one verdict pair per input
strength, each at level ``alpha``; they describe how the verdicts move, they are
not one family).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..model._checks import check_int, check_real
from ..model.signatures import REGIMES
from ..statistics.stats import paired_difference
from ..statistics.wording import series
from .verdicts import HEADLINE_MINIMA, UNCOUNTED_REASON, ClaimResult, decide, number

__all__ = ["PHASES", "BoundaryAnalysis", "analyse", "boundary_lines", "by_variant", "claim_c5", "claim_c6",
           "instance_limits", "majority_phase", "minimum_instances"]

#: Coarse phases: code -> name; -1 is undetermined.
PHASES = ("oscillatory", "chaotic", "fixed", "irregular")
_GROUP = {"quiescent": 2, "fixed point": 2, "periodic": 0, "chaotic": 1, "irregular": 3}
OSC, CHAOS, FIXED, IRREGULAR, UNDETERMINED = 0, 1, 2, 3, -1

CLAIM_TEXT = {
    "C5": "Baseline (authors' 2025 reservoir study): accuracy peaks at the oscillatory/chaotic and at the "
          "chaotic/fixed-point boundaries.",
    "C6": "Baseline (authors' 2025 reservoir study): chaotic dynamics reduces accuracy, while computation on "
          "oscillatory or fixed-point attractors loses little.",
}

#: The contrasts of each claim: (for it, against it), keys of :attr:`BoundaryAnalysis.contrasts`.
_KEYS = {"C5": (("peak_oc", "peak_cf"), ("inside_oc", "outside_oc", "inside_cf", "outside_cf")),
         "C6": (("ordered_osc", "ordered_fixed"), ("ordered_osc", "ordered_fixed"))}
#: What each claim's against headline measures: the mean of its contrasts against it.
_AGAINST = {
    "C5": "accuracy at the boundary minus each of its two sides, averaged over both boundaries and sides, per instance",
    "C6": "accuracy of the ordered cells next to the chaotic band minus accuracy in the band, averaged over both "
          "sides, per instance",
}


def minimum_instances(family: int, alpha: float = 0.05) -> int:
    r"""The fewest instances with which a sign-flip test Holm-adjusted over ``family`` tests can reach ``p < alpha``.

    The smallest exact two-sided p over :math:`n` instances is :math:`2^{1-n}`, and
    Holm multiplies the smallest of :math:`k` p-values by :math:`k`, so the answer is
    the smallest :math:`n` with :math:`k\,2^{1-n} < \alpha`.
    """
    family = check_int("family", family, 1)
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    n = 1
    while family * 2.0 ** (1 - n) >= alpha:
        n += 1
    return n


def instance_limits(claim: str, n: int, alpha: float = 0.05) -> str:
    """Which tests of the rule of ``claim`` (C5 or C6) cannot reach ``p < alpha`` with ``n`` instances, as a clause.

    Empty when every test can (or when ``n`` is 0: then nothing was tested). The
    minimum for each family comes from :func:`minimum_instances`.
    """
    if claim not in _KEYS:
        raise ValueError(f"claim must be 'C5' or 'C6', got {claim!r}")
    n = check_int("n", n, 0)
    parts, against = _KEYS[claim]
    unit = "boundary" if claim == "C5" else "side"
    families = [("the headline tests", 1)]
    if parts == against:
        families.append((f"the {len(parts)} per-{unit} tests", len(parts)))
    else:
        families += [(f"the {len(parts)} per-{unit} tests for the claim", len(parts)),
                     (f"the {len(against)} contrasts against it", len(against))]
    short = [(what, k, minimum_instances(k, alpha)) for what, k in families if n < minimum_instances(k, alpha)]
    if not n or not short:
        return ""
    named = [f"{what} ({'Holm-adjusted over ' + str(k) + ': ' if k > 1 else ''}at least {need} needed)"
             for what, k, need in short]
    return f"with {n} instances, too few for {series(named)} to reach p < {alpha:g}"


def majority_phase(phase: xr.Dataset) -> xr.DataArray:
    """Coarse phase code of every (balance, strength) cell by strict plurality of the instances.

    Codes index :data:`PHASES` (0 oscillatory, 1 chaotic, 2 fixed, 3 irregular);
    -1 marks an undetermined cell (a tie, or an irregular plurality).
    """
    reg = _grid(phase, "regime", "phase")
    groups = np.array([_GROUP[r] for r in REGIMES])
    codes = groups[reg.values.astype(int)]
    votes = np.stack([(codes == g).sum(-1) for g in range(len(PHASES))], -1)
    best = votes.argmax(-1)
    top = np.take_along_axis(votes, best[..., None], -1)[..., 0]
    tie = (votes == top[..., None]).sum(-1) > 1
    out = np.where(tie | (best == IRREGULAR), UNDETERMINED, best)
    return xr.DataArray(out, dims=("balance", "strength"),
                        coords={"balance": reg.balance, "strength": reg.strength}, name="phase")


def _grid(ds, var, which) -> xr.DataArray:
    if not isinstance(ds, xr.Dataset) or var not in ds:
        raise ValueError(f"the {which} dataset must be an xarray.Dataset with a {var!r} variable")
    da = ds[var]
    extra = [d for d in da.dims if d not in ("balance", "strength", "instance")]
    da = da.squeeze([d for d in extra if da.sizes[d] == 1], drop=True)
    if set(da.dims) != {"balance", "strength", "instance"}:
        raise ValueError(f"{which}[{var!r}] must have dims (balance, strength, instance) after dropping "
                         f"length-1 dims, got {da.dims}; select one value of the other dims first")
    return da.sortby("balance").transpose("balance", "strength", "instance")


@dataclass(frozen=True)
class _Band:
    start: int
    stop: int            # inclusive
    below: int | None    # index of the nearest determined cell below the band, if oscillatory
    above: int | None    # ... above the band, if fixed


def _band(row: np.ndarray, balance: np.ndarray) -> _Band | None:
    """The chaotic band of one strength (see the module docstring), or None."""
    pieces, current = [], []
    for i, code in enumerate(row):
        if code in (OSC, FIXED):
            pieces.append(current)
            current = []
        else:
            current.append(i)
    pieces.append(current)
    candidates = []
    for piece in pieces:
        chaotic = [i for i in piece if row[i] == CHAOS]
        if chaotic:
            centre = (balance[chaotic[0]] + balance[chaotic[-1]]) / 2
            candidates.append((-len(chaotic), abs(centre), chaotic[0], chaotic[-1]))
    if not candidates:
        return None
    _, _, start, stop = min(candidates)
    below = next((i for i in range(start - 1, -1, -1) if row[i] != UNDETERMINED), None)
    above = next((i for i in range(stop + 1, row.size) if row[i] != UNDETERMINED), None)
    return _Band(start, stop, below if below is not None and row[below] == OSC else None,
                 above if above is not None and row[above] == FIXED else None)


def _beyond(row, first, step, phase, count):
    """Up to ``count`` indices of cells of ``phase`` from ``first`` outward (``step`` = -1 or +1),
    skipping undetermined cells and stopping at a cell of another phase."""
    out, i = [], first
    while 0 <= i < row.size and len(out) < count:
        if row[i] == phase:
            out.append(i)
        elif row[i] != UNDETERMINED:
            break
        i += step
    return out


@dataclass(frozen=True)
class BoundaryAnalysis:
    """Boundaries and per-instance accuracy contrasts of one (phase, reservoir) pair of datasets.

    ``lines`` is a Dataset over ``strength`` with ``oscillatory_chaotic`` and
    ``chaotic_fixed`` (balance of each boundary, NaN where undefined),
    ``band_low``/``band_high`` (balances of the band's end cells) and
    ``peak_balance`` (balance of the highest instance-mean accuracy at strengths
    with a band). ``contrasts`` maps ``"peak_oc"``, ``"peak_cf"``,
    ``"ordered_osc"``, ``"ordered_fixed"`` to arrays (strength, instance) of
    :math:`P_{oc}, P_{cf}, L_{osc}, L_{fix}`, and ``"inside_oc"``,
    ``"outside_oc"``, ``"inside_cf"``, ``"outside_cf"`` to those of
    :math:`A_B - A_{in}` and :math:`A_B - A_{out}` (NaN where not defined). ``rows``
    gives one dict per analysed strength.
    """

    phase: xr.DataArray
    lines: xr.Dataset
    contrasts: dict
    rows: tuple


def analyse(phase: xr.Dataset, reservoir: xr.Dataset, *, window: int = 3) -> BoundaryAnalysis:
    """Find the boundaries and compute the contrasts of C5 and C6 (rules in the module docstring)."""
    window = check_int("window", window, 1)
    ph = majority_phase(phase)
    acc = _grid(reservoir, "accuracy", "reservoir")
    if acc.sizes["balance"] != ph.sizes["balance"] or acc.sizes["strength"] != ph.sizes["strength"] or \
            not (np.allclose(acc.balance, ph.balance) and np.allclose(acc.strength, ph.strength)):
        raise ValueError("the phase and reservoir datasets must share the same balance and strength grids")
    b, ws, A = ph.balance.values, ph.strength.values, acc.values          # A: (balance, strength, instance)
    step = float(np.min(np.diff(b))) if b.size > 1 else np.inf
    n_inst = A.shape[2]
    lines = _lines(ph)
    peak_balance = np.full(ws.size, np.nan)
    contrasts = {k: np.full((ws.size, n_inst), np.nan) for k in
                 ("peak_oc", "peak_cf", "inside_oc", "outside_oc", "inside_cf", "outside_cf", "ordered_osc",
                  "ordered_fixed")}
    rows = []
    mean_over = lambda idx, s: np.nanmean(A[idx, s, :], axis=0) if idx else np.full(n_inst, np.nan)
    for s, w in enumerate(ws):
        row = ph.values[:, s]
        band = _band(row, b)
        if band is None:
            continue
        chaotic = [i for i in range(band.start, band.stop + 1) if row[i] == CHAOS]
        interior = [i for i in chaotic if band.start < i < band.stop]
        a_chaos, a_in = mean_over(chaotic, s), mean_over(interior, s)
        info = {"strength": float(w), "band": (float(b[band.start]), float(b[band.stop]))}
        for key, side, flank, edge, out_step, phase_code in (
                ("oc", "osc", band.below, band.start, -1, OSC), ("cf", "fixed", band.above, band.stop, +1, FIXED)):
            if flank is None:
                info[f"b_{key}"] = np.nan
                continue
            info[f"b_{key}"] = (b[flank] + b[edge]) / 2
            a_b = mean_over([flank, edge], s)
            ordered = _beyond(row, flank, out_step, phase_code, window)
            a_out = mean_over(ordered[1:], s)
            if interior and len(ordered) > 1:
                contrasts[f"peak_{key}"][s] = a_b - np.maximum(a_in, a_out)
                contrasts[f"inside_{key}"][s], contrasts[f"outside_{key}"][s] = a_b - a_in, a_b - a_out
            contrasts[f"ordered_{side}"][s] = mean_over(ordered, s) - a_chaos
            info[f"accuracy_{key}"] = float(np.nanmean(a_b))
            info[f"accuracy_beyond_{key}"] = float(np.nanmean(a_out)) if len(ordered) > 1 else np.nan
        info["accuracy_interior"] = float(np.nanmean(a_in)) if interior else np.nan
        info["accuracy_chaotic"] = float(np.nanmean(a_chaos))
        mean_acc = np.nanmean(A[:, s, :], axis=1)
        peak = int(np.nanargmax(mean_acc))
        peak_balance[s] = info["peak_balance"] = float(b[peak])
        info["peak_at"] = _locate(b[peak], row[peak], info, step)
        rows.append(info)
    lines["peak_balance"] = ("strength", peak_balance)
    return BoundaryAnalysis(ph, lines, contrasts, tuple(rows))


def _locate(b_peak, code, info, step) -> str:
    near = [(abs(b_peak - info[k]), name) for k, name in (("b_oc", "o/c boundary"), ("b_cf", "c/f boundary"))
            if np.isfinite(info.get(k, np.nan)) and abs(b_peak - info[k]) <= step * (1 + 1e-9)]
    if near:
        return min(near)[1]
    return PHASES[code] if code != UNDETERMINED else "undetermined"


def boundary_lines(phase: xr.Dataset) -> xr.Dataset:
    """Balance of the oscillatory/chaotic and chaotic/fixed boundaries at every strength, for drawing.

    A Dataset over ``strength`` with ``oscillatory_chaotic``, ``chaotic_fixed``,
    ``band_low`` and ``band_high`` (NaN where undefined); rules in the module docstring.
    """
    return _lines(majority_phase(phase))


def _lines(ph: xr.DataArray) -> xr.Dataset:
    b = ph.balance.values
    out = {k: np.full(ph.sizes["strength"], np.nan) for k in
           ("oscillatory_chaotic", "chaotic_fixed", "band_low", "band_high")}
    for s in range(ph.sizes["strength"]):
        band = _band(ph.values[:, s], b)
        if band is None:
            continue
        out["band_low"][s], out["band_high"][s] = b[band.start], b[band.stop]
        if band.below is not None:
            out["oscillatory_chaotic"][s] = (b[band.below] + b[band.start]) / 2
        if band.above is not None:
            out["chaotic_fixed"][s] = (b[band.stop] + b[band.above]) / 2
    return xr.Dataset({k: ("strength", v) for k, v in out.items()}, coords={"strength": ph.strength.values})


def _holm(ps):
    """Holm-adjusted p-values of a short list (NaN stays NaN)."""
    ps = np.asarray(ps, float)
    ok = np.flatnonzero(np.isfinite(ps))
    out = np.full(ps.shape, np.nan)
    order = ok[np.argsort(ps[ok])]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ok) - rank) * ps[i]))
        out[i] = running
    return out


def _part_tests(analysis, keys):
    """Per-instance means over the strengths of each contrast in ``keys``, their tests and Holm p-values."""
    per_inst = {}
    for k in keys:
        c = analysis.contrasts[k]
        with np.errstate(all="ignore"):
            per_inst[k] = np.nanmean(c, axis=0) if np.any(np.isfinite(c)) else np.full(c.shape[1], np.nan)
    tests = {k: paired_difference(np.zeros_like(v), v) for k, v in per_inst.items()}
    adjusted = dict(zip(keys, _holm([tests[k].p_value if tests[k].n > 0 else np.nan for k in keys])))
    n_strengths = {k: int(np.any(np.isfinite(analysis.contrasts[k]), axis=1).sum()) for k in keys}
    return per_inst, tests, adjusted, n_strengths


def _signed(tests, adjusted, keys, alpha, sign):
    """The keys whose test has ``sign`` with a Holm-adjusted p below ``alpha``."""
    return [k for k in keys if tests[k].n > 0 and adjusted[k] < alpha and sign * tests[k].mean > 0]


def _claim(claim, analysis, labels, alpha):
    """The row of C5 or C6 (rules in the module docstring).

    The contrasts for the claim (headline: their minimum) and against it
    (headline: their mean) are those of ``_KEYS[claim]``;
    :data:`rnnlib.claims.verdicts.HEADLINE_MINIMA` and ``_AGAINST`` describe the
    two headlines; ``labels`` name the contrasts.
    """
    keys, against_keys = _KEYS[claim]
    measured = (HEADLINE_MINIMA[claim], _AGAINST[claim])
    per_inst, tests, adjusted, n_strengths = _part_tests(analysis, keys)
    details = tuple(analysis.rows) + tuple(
        {"test": labels[k], "mean": tests[k].mean, "ci_low": tests[k].ci_low, "ci_high": tests[k].ci_high,
         "p_value": tests[k].p_value, "p_holm": float(adjusted[k]), "n": tests[k].n, "strengths": n_strengths[k]}
        for k in keys)
    against_inst, against_tests, against_adjusted, _ = _part_tests(analysis, against_keys)
    n = len(per_inst[keys[0]])
    head = paired_difference(np.zeros(n), np.minimum(*[per_inst[k] for k in keys]))
    stack = np.stack([against_inst[k] for k in against_keys])
    count = np.isfinite(stack).sum(axis=0)
    level = np.where(count > 0, np.nansum(stack, axis=0) / np.maximum(count, 1), np.nan)
    opposite = paired_difference(np.zeros(n), level)
    secondary = tuple({"what": labels[k], "mean": against_tests[k].mean, "ci_low": against_tests[k].ci_low,
                       "ci_high": against_tests[k].ci_high, "p_value": float(against_adjusted[k]),
                       "n": against_tests[k].n, "holm": len(against_keys)} for k in against_keys if k not in keys) + (
        {"what": measured[1], **opposite.as_dict()},)
    holds = _signed(tests, adjusted, keys, alpha, +1)
    against = _signed(against_tests, against_adjusted, against_keys, alpha, -1)
    head_for = head.n > 0 and head.p_value < alpha and head.mean > 0
    head_against = opposite.n > 0 and opposite.p_value < alpha and opposite.mean < 0
    texts = "; ".join(f"{labels[k]}: mean ${number(tests[k].mean, 3, signed=True)}$ over {n_strengths[k]} strengths"
                      for k in keys if tests[k].n > 0)
    if all(tests[k].n == 0 for k in keys):
        return ClaimResult(claim, CLAIM_TEXT[claim], measured[0], head.mean, head.ci_low, head.ci_high, head.p_value,
                           head.n, "not testable", "no strength has the cells the rule needs", details, (), alpha)
    verdict = decide(head_for, head_against, len(holds), len(against))
    shown, what, where = head, measured[0], texts
    part = None
    if verdict == "supported":
        where = "both " + " and ".join(labels[k] for k in keys)
    elif verdict == "conditional":
        part = min(holds, key=lambda k: adjusted[k])
        where = labels[part]
    elif verdict == "contradicted":
        if head_against:
            shown, what = opposite, measured[1]
        else:
            part = min(against, key=lambda k: against_adjusted[k])
    if part is not None:
        r, p = (tests[part], adjusted[part]) if part in tests else (against_tests[part], against_adjusted[part])
        what = f"{labels[part]} alone (p Holm-adjusted, interval unadjusted)"
        shown = type(r)(r.mean, r.ci_low, r.ci_high, float(p), r.n)
    if shown is head and head.mean < 0 and head.p_value < alpha:
        where += (f"; the headline's p-value does not count against the claim, since {UNCOUNTED_REASON} "
                  "(the contrasts against it follow under *Also*)")
    limits = instance_limits(claim, n, alpha)
    if limits:
        where += "; " + limits
    return ClaimResult(claim=claim, statement=CLAIM_TEXT[claim], measured=what, effect=shown.mean,
                       ci_low=shown.ci_low, ci_high=shown.ci_high, p_value=shown.p_value, n=shown.n,
                       verdict=verdict, where=where, details=details, secondary=secondary, alpha=alpha)


def claim_c5(phase: xr.Dataset, reservoir: xr.Dataset, *, window: int = 3, alpha: float = 0.05) -> ClaimResult:
    """Scorecard row of C5 (accuracy peaks at both boundaries); rules in the module docstring.

    ``effect`` is the mean over instances of :math:`\\min(\\bar P_{oc}, \\bar P_{cf})` (or of
    the single boundary's :math:`\\bar P` for a conditional verdict, of the against headline or
    part for a contradicted one); ``details`` holds one dict per analysed strength, then one per
    boundary test; ``secondary`` the against parts (Holm-adjusted p, ``holm`` = 4) and the against headline.
    """
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    names = {"oc": "oscillatory/chaotic boundary", "cf": "chaotic/fixed boundary"}
    sides = {"inside": "the band interior", "outside": "the ordered cells beyond"}
    return _claim("C5", analyse(phase, reservoir, window=window),
                  {**{f"peak_{b}": name for b, name in names.items()},
                   **{f"{side}_{b}": f"{name} minus {text}" for b, name in names.items()
                      for side, text in sides.items()}}, alpha)


def claim_c6(phase: xr.Dataset, reservoir: xr.Dataset, *, window: int = 3, alpha: float = 0.05) -> ClaimResult:
    """Scorecard row of C6 (chaos is worse than the ordered phases); rules in the module docstring.

    ``effect`` is the mean over instances of :math:`\\min(\\bar L_{osc}, \\bar L_{fix})`
    (as for C5: one side, or the against headline), accuracy in the ordered phase next to the band minus
    accuracy in the band.
    """
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    return _claim("C6", analyse(phase, reservoir, window=window),
                  {"ordered_osc": "oscillatory side", "ordered_fixed": "fixed-point side"}, alpha)


def by_variant(phase: xr.Dataset, reservoir: xr.Dataset, *, dim: str = "variant", window: int = 3,
               alpha: float = 0.05) -> list[dict]:
    """C5 and C6 for every value of ``dim`` of ``reservoir`` (e.g. the input strengths of ``baseline_reservoir_inputs``).

    Returns one dict per value, in order: ``variant`` (the value), ``c5`` and
    ``c6`` (:class:`ClaimResult` of :func:`claim_c5` and :func:`claim_c6` on
    that slice). The boundaries are those of ``phase`` for every value.
    """
    if not isinstance(reservoir, xr.Dataset) or dim not in reservoir.dims:
        raise ValueError(f"reservoir must be an xarray.Dataset with a {dim!r} dimension")
    out = []
    for value in reservoir[dim].values.tolist():
        part = reservoir.sel({dim: value})
        out.append({"variant": str(value), "c5": claim_c5(phase, part, window=window, alpha=alpha),
                    "c6": claim_c6(phase, part, window=window, alpha=alpha)})
    return out
