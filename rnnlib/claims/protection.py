r"""Claims C7 and C8: the follow-up study's countermeasures against saturation, tested with the book's paired rules.

The claims (science.md section 9; our reading of the abstract of arXiv:2603.29597)
and the rules, fixed before any data were looked at. *Significant* means the
exact sign-flip test over instances (:func:`rnnlib.statistics.stats.paired_effects`)
at level :math:`\alpha`; cells are Holm-adjusted (:func:`rnnlib.statistics.inference.holm`).
Each rule has a *headline* signal and further *part* signals, each significant for
the claim, against it, or neither, and the verdict word is the one every other claim
gets from them (:func:`rnnlib.claims.verdicts.decide`): **supported** (the headline
significant for, nothing against), **conditional** (only parts for, nothing
against), **contradicted** (something against, nothing for), **mixed** (both),
**no evidence** (neither).

- **C7** (weak rows raise accuracy at strong coupling, where the homogeneous
  network collapses, and the weak subset stays unsaturated while the rest
  saturates), from ``weak_rows_reservoir``. Strong coupling means the named
  points with :math:`w \ge 1.5` (chaotic, inhibitory, excitatory).
  *Accuracy*: the change :math:`a(c = 1) - a(c = 0)` averaged over those
  points within each instance (headline), and each point on its own (Holm).
  *Saturation*: the gap :math:`\bar{|x|}_{\text{rest}} - \bar{|x|}_{\text{weak}}`
  under input at those points, compared between :math:`c = 1` and
  :math:`c = 0` (at 0 the same neurons form a subset like any other, so the
  gap is the chance level), averaged within each instance. Signals for: a
  significant rise of the headline, of a point, of the gap; against: a
  significant fall. At the balance-0 point the weak rows' bulk theory gives a
  matched coupling equal to the nominal one (:func:`rnnlib.model.theory.weak_rows_bulk`
  has radius :math:`w` there), so same strength *is* matched coupling at the chaotic point.
- **C8** (with gain control, accuracy is high and nearly flat over a wide
  region of :math:`(b, w)`), from ``baseline_reservoir`` and ``gain_control_map``
  (the same network instances, so paired). *Measure*: the share of the grid
  whose accuracy lies within 0.05 of the best instance-mean accuracy of the
  baseline map, :math:`S_k = \operatorname{mean}_{\text{cells}}[a_k \ge a^\ast - 0.05]`,
  per instance :math:`k`, controlled minus baseline (headline). *Flatness*
  (second signal): the standard deviation of accuracy over the grid within each
  instance, baseline minus controlled (positive: flatter). Signals for: a
  significant rise of the share, a significant fall of the spread; against:
  the opposite.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from ..model._checks import check_real
from ..statistics.inference import holm
from ..statistics.stats import paired_difference, paired_effects
from .verdicts import ClaimResult, decide, p_plain

__all__ = ["CLAIMS", "NEAR_BEST", "STRONG", "claim_gain_control", "claim_weak_rows", "gain_control_found",
           "near_best_share"]

CLAIMS = {
    "C7": "Weak rows (a small subset of neurons with weaker incoming weights) raise accuracy at strong coupling, "
          "where the homogeneous network collapses; the weak subset stays unsaturated while the rest saturates.",
    "C8": "With automatic gain control, accuracy is high and nearly flat over a wide region of (b, w).",
}
#: Strong coupling: named points with at least this strength.
STRONG = 1.5
#: C8's tolerance: a cell counts as good within this much of the best baseline accuracy.
NEAR_BEST = 0.05


def _alpha(alpha) -> float:
    return check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)


def _verdict(headline: int, parts) -> str:
    """:func:`rnnlib.claims.verdicts.decide` from the headline's signal and the parts' signals (each +1, -1 or 0)."""
    return decide(headline == 1, headline == -1, sum(s == 1 for s in parts), sum(s == -1 for s in parts))


def _signal(row, alpha, p="p_value") -> int:
    """+1 for a significant rise, -1 for a significant fall, 0 otherwise."""
    return 0 if not row[p] < alpha else (1 if row["mean"] > 0 else -1)


def claim_weak_rows(reservoir: xr.Dataset, *, alpha=0.05) -> ClaimResult:
    """Verdict for C7 from ``weak_rows_reservoir`` (rule in the module docstring)."""
    alpha = _alpha(alpha)
    for var in ("accuracy", "saturation_weak", "saturation_rest"):
        if var not in reservoir:
            raise ValueError(f"reservoir must hold {var!r} (the weak_rows_reservoir experiment), has "
                             f"{sorted(reservoir.data_vars)}")
    strong = reservoir.isel(point=np.flatnonzero(reservoir["strength"].values >= STRONG))
    if strong.sizes["point"] == 0:
        raise ValueError(f"reservoir has no named point with strength >= {STRONG}")
    head = paired_effects(strong, "accuracy", control="weak_rows")[0]
    cells = paired_effects(strong, "accuracy", control="weak_rows", over=("point",))
    for row, p in zip(cells, holm([r["p_value"] for r in cells])):
        row["p_holm"] = float(p)
        row["outcome"] = {1: "holds", -1: "against", 0: ""}[_signal(row, alpha, "p_holm")]
    gap = (strong["saturation_rest"] - strong["saturation_weak"]).to_dataset(name="gap")
    sat = paired_effects(gap, "gap", control="weak_rows")[0]
    verdict = _verdict(_signal(head, alpha), [_signal(sat, alpha)] + [_signal(r, alpha, "p_holm") for r in cells])
    at1 = strong.sel(weak_rows=1.0)
    where = (f"accuracy: {sum(r['outcome'] == 'holds' for r in cells)} of {len(cells)} strong points rise, "
             f"{sum(r['outcome'] == 'against' for r in cells)} fall (Holm-adjusted); saturation under input at "
             f"weak rows 1: weak subset {float(at1['saturation_weak'].mean()):.2f}, rest "
             f"{float(at1['saturation_rest'].mean()):.2f}")
    return ClaimResult("C7", CLAIMS["C7"],
                       f"paired accuracy change, weak rows 1 minus 0, averaged over the named points with "
                       f"$w \\ge {STRONG}$ within each instance; pairs are instances",
                       head["mean"], head["ci_low"], head["ci_high"], head["p_value"], head["pairs"], verdict, where,
                       tuple({"point": str(r["point"]), **{k: r[k] for k in ("mean", "ci_low", "ci_high", "p_value",
                                                                             "p_holm", "outcome")}, "n": r["pairs"]}
                             for r in cells),
                       ({"what": "saturation gap (rest minus weak subset), weak rows 1 minus 0",
                         **{k: sat[k] for k in ("mean", "ci_low", "ci_high", "p_value")}, "n": sat["pairs"]},),
                       alpha=alpha)


def near_best_share(accuracy: xr.DataArray, best: float, tolerance: float = NEAR_BEST) -> np.ndarray:
    """Per instance, the share of (balance, strength) cells with accuracy at least ``best - tolerance``."""
    return (accuracy >= best - tolerance).mean(("balance", "strength")).transpose("instance").values


def claim_gain_control(baseline: xr.Dataset, controlled: xr.Dataset, *, alpha=0.05) -> ClaimResult:
    """Verdict for C8 from ``baseline_reservoir`` and ``gain_control_map`` (rule in the module docstring).

    The headline is the share's paired change, ``secondary`` the flatness test; ``details`` holds
    one dict of instance means (``best``, ``share_baseline``, ``share_controlled``,
    ``spread_baseline``, ``spread_controlled``), and ``where`` begins with what the verdict rests on
    (:func:`gain_control_found`): the verdict may rest on flatness alone.
    """
    alpha = _alpha(alpha)
    a0, a1 = baseline["accuracy"], controlled["accuracy"]
    for dim in ("balance", "strength", "instance"):
        if not np.array_equal(a0[dim].values, a1[dim].values):
            raise ValueError(f"baseline and controlled must share the grid and instances; they differ along {dim!r}")
    best = float(a0.mean("instance").max())
    s0, s1 = near_best_share(a0, best), near_best_share(a1, best)
    share = paired_difference(s0, s1)
    spread0, spread1 = (a.std(("balance", "strength")).transpose("instance").values for a in (a0, a1))
    flat = paired_difference(spread1, spread0)       # baseline minus controlled spread: positive is flatter
    verdict = _verdict(_signal(share.as_dict(), alpha), [_signal(flat.as_dict(), alpha)])
    levels = {"best": best, "share_baseline": float(s0.mean()), "share_controlled": float(s1.mean()),
              "spread_baseline": float(spread0.mean()), "spread_controlled": float(spread1.mean())}
    where = (_gain_text(share.as_dict(), flat.as_dict(), levels, alpha) + f"; near the best means within {NEAR_BEST} "
             f"of the best baseline accuracy, {best:.3f}")
    return ClaimResult("C8", CLAIMS["C8"],
                       f"paired change of the share of the (b, w) grid within {NEAR_BEST} of the best baseline "
                       "accuracy, gain control minus baseline; pairs are instances",
                       share.mean, share.ci_low, share.ci_high, share.p_value, share.n, verdict, where, (levels,),
                       ({"what": "spread of accuracy over the grid, baseline minus controlled", **flat.as_dict()},),
                       alpha=alpha)


def _gain_text(share: dict, flat: dict, levels: dict, alpha: float) -> str:
    """What C8's verdict rests on, e.g. "flatter, not higher: the spread ... fell from 0.201 to 0.092 (p = 0.031)
    while the share of the grid near the best fell from 21% to 13% (not significant, p = 0.062)".

    ``share`` and ``flat`` are the two paired results (``mean``, ``p_value``), ``levels`` the
    instance means of :func:`claim_gain_control`'s ``details``. The words before the colon name the
    significant signals ("flatter", "less flat", "higher", "lower"), then the claimed ones that are
    not significant ("not higher"); the clauses give the significant signals first.
    """
    said = []                      # (significant, word when significant, claimed word, clause)
    for row, rise, fall, claimed, clause in (
            (flat, "flatter", "less flat", "flatter",
             f"the spread of accuracy over the grid {'fell' if flat['mean'] > 0 else 'rose'} from "
             f"{levels['spread_baseline']:.3f} to {levels['spread_controlled']:.3f}"),
            (share, "higher", "lower", "higher",
             f"the share of the grid near the best {'rose' if share['mean'] > 0 else 'fell'} from "
             f"{levels['share_baseline']:.0%} to {levels['share_controlled']:.0%}")):
        sign = _signal(row, alpha)
        p = p_plain(row["p_value"])
        said.append((sign, rise if sign > 0 else fall, claimed, f"{clause} ({p if sign else 'not significant, ' + p})"))
    found = [s for s in said if s[0]]
    if not found:
        lead = "neither flatter nor higher"
    else:
        lead = (" and " if len({s[0] for s in found}) == 1 else " but ").join(s[1] for s in found)
        lead += "".join(f", not {s[2]}" for s in said if not s[0])
    return lead + ": " + " while ".join(s[3] for s in sorted(said, key=lambda s: not s[0]))


def gain_control_found(row) -> str:
    """What the verdict of a C8 row of :func:`claim_gain_control` rests on, in words (see ``_gain_text``)."""
    if row.claim != "C8" or not row.details or not row.secondary:
        raise ValueError(f"row must be a C8 row of claim_gain_control, got {row.claim!r}")
    share = {"mean": row.effect, "p_value": row.p_value}
    return _gain_text(share, row.secondary[0], row.details[0], row.alpha)
