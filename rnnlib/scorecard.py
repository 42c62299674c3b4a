r"""The claims scorecard: what the paper claims (C0 to C4), what the data show, and a verdict.

Every number in the scorecard is computed here from experiment datasets (the
layout of :mod:`rnnlib.experiments`); nothing is typed in. The rules:

- **C1, C2, C3** (accuracy up with Dale, up with modularity, down with
  reciprocity). For every task and named (b, w) point of ``{reg}_reservoir``
  the instances give paired accuracies at control 0 and 1;
  :func:`rnnlib.stats.paired_difference` tests :math:`\Delta = a(1) - a(0)`.
  A cell *holds* when the Wilcoxon p-value is below ``alpha`` and
  :math:`\Delta` has the claimed sign, and *goes against* when p is below
  ``alpha`` with the opposite sign. The headline effect averages the cells
  within each instance and tests the instance means (the pairs are the
  instances: cells of one instance share its networks, so they are not
  independent pairs). Verdict: **supported** when the pooled
  effect is significant in the claimed direction and no cell goes against it;
  **conditional** when at least one cell holds (the cells are named);
  **not supported** otherwise. The ``{reg}_reservoir_map`` dataset adds the
  fraction of the (b, w) grid where the mean difference has the claimed sign.
- **C4** (reciprocity saturates the neurons, which costs accuracy): the paired
  difference of the saturation under input, and the Spearman correlation
  across cells between the change in saturation and the change in accuracy.
  Supported when saturation rises significantly *and* the correlation is
  significantly negative; conditional when only the first holds.
- **C0** (baseline, strong coupling: oscillation, then chaos, then fixed
  points as b goes from inhibitory to excitatory): at each strength of
  ``baseline_phase`` the majority class at the most negative, the middle and the
  most positive balance. Supported when the sequence periodic, chaotic, fixed
  point holds at the strongest coupling; the strengths where it holds are named.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import scipy.stats

from ._checks import check_real
from .signatures import REGIMES
from .stats import paired_difference

__all__ = ["CLAIMS", "ClaimResult", "scorecard", "for_profile", "claim_region", "claim_accuracy", "claim_saturation", "claim_phase_sequence"]

#: The paper's claims, in our words; (regularity, claimed sign of the accuracy change).
CLAIMS = {
    "C0": "Without regularities, at strong coupling, moving the E/I balance from inhibitory to "
          "excitatory takes the network from oscillation through chaos to fixed points.",
    "C1": "Dale monopolarity significantly raises reservoir task accuracy.",
    "C2": "Modularity significantly raises reservoir task accuracy.",
    "C3": "Hopfield reciprocity tends to lower reservoir task accuracy.",
    "C4": "Reciprocity lowers accuracy because it promotes early saturation of the neurons.",
}
_ACCURACY_CLAIMS = {"C1": ("dale", +1), "C2": ("modularity", +1), "C3": ("reciprocity", -1)}


@dataclass(frozen=True)
class ClaimResult:
    """One row of the scorecard.

    ``effect``, ``ci_low``, ``ci_high``, ``p_value`` and ``n`` describe the
    headline measurement (``measured`` says what it is); ``where`` names the
    region or tasks where the claim holds, ``details`` holds the per-cell rows.
    """

    claim: str
    statement: str
    measured: str
    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    verdict: str
    where: str
    details: tuple = ()


def _cells(ds, control):
    """Iterate ``(task, point, da0, da1)``: the dataset at control 0 and 1 for each task and point."""
    c0, c1 = ds.sel({control: 0.0}), ds.sel({control: 1.0})
    for task in ds["task"].values:
        for point in ds["point"].values:
            yield str(task), str(point), c0.sel(task=task, point=point), c1.sel(task=task, point=point)


def _cell_row(ds, task, point, result) -> dict:
    """One per-cell row of ``ClaimResult.details``: the task, the labelled point and the paired result."""
    p = ds.sel(point=point)
    return {"task": task, "point": f"{point} (b = {float(p['balance']):g}, w = {float(p['strength']):g})",
            **result.as_dict()}


def _accuracy_claim(claim, alpha):
    """Validated ``(control, claimed sign, alpha)`` of an accuracy claim C1, C2 or C3."""
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    if claim not in _ACCURACY_CLAIMS:
        raise ValueError(f"claim must be one of {sorted(_ACCURACY_CLAIMS)}, got {claim!r}")
    return (*_ACCURACY_CLAIMS[claim], alpha)


def claim_accuracy(claim: str, reservoir, reservoir_map=None, *, alpha=0.05) -> ClaimResult:
    """Verdict for C1, C2 or C3 from ``{reg}_reservoir`` (and optionally ``{reg}_reservoir_map``)."""
    control, sign, alpha = _accuracy_claim(claim, alpha)
    holds, against, details, pooled0, pooled1 = [], [], [], [], []
    for task, point, d0, d1 in _cells(reservoir, control):
        a0, a1 = d0["accuracy"].values, d1["accuracy"].values
        r = paired_difference(a0, a1)
        details.append(_cell_row(reservoir, task, point, r))
        if r.p_value < alpha and sign * r.mean > 0:
            holds.append(f"{task} at {point}")
        elif r.p_value < alpha and sign * r.mean < 0:
            against.append(f"{task} at {point}")
        pooled0.append(a0)
        pooled1.append(a1)
    pooled = paired_difference(np.nanmean(pooled0, axis=0), np.nanmean(pooled1, axis=0))
    pooled_holds = pooled.p_value < alpha and sign * pooled.mean > 0
    if pooled_holds and not against:
        verdict = "supported"
    elif holds:
        verdict = "conditional"
    else:
        verdict = "not supported"
    where = [f"holds in {len(holds)} of {len(details)} task-point cells"
             + (f": {', '.join(holds)}" if holds else "")]
    if against:
        where.append(f"significant opposite effect in {', '.join(against)}")
    if reservoir_map is not None:
        diff = (reservoir_map["accuracy"].sel({control: 1.0}) - reservoir_map["accuracy"].sel({control: 0.0}))
        mean = diff.mean("instance")
        frac = float((sign * mean > 0).mean())
        where.append(f"mean change has the claimed sign on {100 * frac:.0f}% of the (b, w) grid")
    direction = "raises" if sign > 0 else "lowers"
    return ClaimResult(claim, CLAIMS[claim],
                       f"paired accuracy change, {control} 1 minus 0, averaged over tasks and points within "
                       f"each instance; pairs are instances (claim: it {direction} accuracy)",
                       pooled.mean, pooled.ci_low, pooled.ci_high, pooled.p_value, pooled.n, verdict,
                       "; ".join(where), tuple(details))


def claim_region(claim: str, reservoir_map, *, alpha=0.05):
    """Where in the (b, w) plane an accuracy claim (C1, C2 or C3) holds.

    For every grid cell of ``{reg}_reservoir_map`` the instances give paired
    accuracies at control 0 and 1, tested with :func:`rnnlib.stats.paired_difference`.

    Returns
    -------
    xarray.Dataset over (balance, strength)
        ``difference`` (mean paired change), ``p_value``, and ``verdict``:
        +1 where the change is significant (p < ``alpha``) with the claimed sign,
        -1 where it is significant with the opposite sign, 0 elsewhere. No
        correction for the many cells is applied; read isolated cells with care.
    """
    import xarray as xr

    control, sign, alpha = _accuracy_claim(claim, alpha)
    acc = reservoir_map["accuracy"].transpose("balance", "strength", control, "instance")
    a0, a1 = acc.sel({control: 0.0}).values, acc.sel({control: 1.0}).values
    shape = a0.shape[:2]
    results = [paired_difference(a0[i, j], a1[i, j]) for i, j in np.ndindex(*shape)]
    mean = np.array([r.mean for r in results]).reshape(shape)
    p = np.array([r.p_value for r in results]).reshape(shape)
    verdict = np.where(p < alpha, np.sign(mean) * sign, 0).astype(int)
    coords = {"balance": acc["balance"].values, "strength": acc["strength"].values}
    dims = ("balance", "strength")
    return xr.Dataset({"difference": (dims, mean), "p_value": (dims, p), "verdict": (dims, verdict)}, coords=coords,
                      attrs={"claim": claim, "control": control, "alpha": alpha,
                             "instances": int(acc.sizes["instance"])})


def claim_saturation(reservoir, *, alpha=0.05) -> ClaimResult:
    """Verdict for C4 from ``reciprocity_reservoir``: saturation up, and tied to the accuracy loss."""
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    s0, s1, dacc, dsat, details = [], [], [], [], []
    for task, point, d0, d1 in _cells(reservoir, "reciprocity"):
        a, b = d0["saturation_input"].values, d1["saturation_input"].values
        s0.append(a)
        s1.append(b)
        dsat.append(np.nanmean(b - a))
        dacc.append(np.nanmean(d1["accuracy"].values - d0["accuracy"].values))
        r = paired_difference(a, b)
        details.append(_cell_row(reservoir, task, point, r))
    sat = paired_difference(np.nanmean(s0, axis=0), np.nanmean(s1, axis=0))
    ok = np.isfinite(dsat) & np.isfinite(dacc)
    if ok.sum() >= 3 and np.ptp(np.asarray(dsat)[ok]) > 0 and np.ptp(np.asarray(dacc)[ok]) > 0:
        rho, p_rho = scipy.stats.spearmanr(np.asarray(dsat)[ok], np.asarray(dacc)[ok])
    else:
        rho, p_rho = np.nan, 1.0
    rises = sat.p_value < alpha and sat.mean > 0
    linked = bool(p_rho < alpha and rho < 0)
    verdict = "supported" if rises and linked else "conditional" if rises else "not supported"
    where = (f"saturation under input {'rises' if sat.mean > 0 else 'falls'} by {sat.mean:+.3f}; "
             f"across {int(ok.sum())} task-point cells the Spearman correlation of the saturation change "
             f"with the accuracy change is {rho:+.2f} (p = {p_rho:.2g})")
    return ClaimResult("C4", CLAIMS["C4"], "paired change of the saturation <|x|> under input, reciprocity 1 minus 0, averaged "
                       "over tasks and points within each instance; pairs are instances",
                       sat.mean, sat.ci_low, sat.ci_high, sat.p_value, sat.n, verdict, where, tuple(details))


def claim_phase_sequence(phase) -> ClaimResult:
    """Verdict for C0 from ``baseline_phase``: majority regime at negative, middle and positive balance."""
    expected = (REGIMES.index("periodic"), REGIMES.index("chaotic"), REGIMES.index("fixed point"))
    balances = phase["balance"].values
    picks = (balances.min(), balances[np.argmin(np.abs(balances))], balances.max())
    held, details = [], []
    for w in phase["strength"].values:
        shares = []
        for b, code in zip(picks, expected):
            reg = phase["regime"].sel(balance=b, strength=w).values.ravel()
            shares.append(float(np.mean(reg == code)))
        details.append({"strength": float(w), "periodic_at_min_b": shares[0], "chaotic_at_b0": shares[1],
                        "fixed_at_max_b": shares[2]})
        if min(shares) > 0.5:
            held.append(float(w))
    strongest = details[-1]
    effect = min(strongest["periodic_at_min_b"], strongest["chaotic_at_b0"], strongest["fixed_at_max_b"])
    verdict = "supported" if held and held[-1] == float(phase["strength"].values[-1]) else (
        "conditional" if held else "not supported")
    where = (f"the sequence periodic -> chaotic -> fixed point (majority of instances at b = {picks[0]:g}, "
             f"{picks[1]:g}, {picks[2]:g}) holds at w in {held}" if held else "the sequence holds at no strength")
    n = int(phase.sizes.get("instance", 1))
    return ClaimResult("C0", CLAIMS["C0"], "smallest of the three majority shares at the strongest coupling",
                       effect, np.nan, np.nan, np.nan, n, verdict, where, tuple(details))


def scorecard(datasets: Mapping, *, alpha=0.05) -> list[ClaimResult]:
    """The five rows C0 to C4 from a mapping ``experiment name -> Dataset``.

    Needs ``baseline_phase`` and ``{dale,modularity,reciprocity}_reservoir``;
    uses ``{reg}_reservoir_map`` when present.
    """
    missing = [k for k in ("baseline_phase", "dale_reservoir", "modularity_reservoir", "reciprocity_reservoir")
               if k not in datasets]
    if missing:
        raise ValueError(f"scorecard needs the experiments {missing}; load them with rnnlib.experiments.load")
    rows = [claim_phase_sequence(datasets["baseline_phase"])]
    for claim, (reg, _) in _ACCURACY_CLAIMS.items():
        rows.append(claim_accuracy(claim, datasets[f"{reg}_reservoir"], datasets.get(f"{reg}_reservoir_map"),
                                   alpha=alpha))
    rows.append(claim_saturation(datasets["reciprocity_reservoir"], alpha=alpha))
    return rows


def for_profile(profile="quick", **load_options) -> list[ClaimResult]:
    """Load (or compute) the experiments the scorecard needs for ``profile`` and score them."""
    from . import experiments

    names = ["baseline_phase"] + [f"{reg}_{kind}" for reg in ("dale", "modularity", "reciprocity")
                                  for kind in ("reservoir", "reservoir_map")]
    return scorecard({name: experiments.load(name, profile, **load_options) for name in names})
