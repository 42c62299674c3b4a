r"""The claims scorecard: what the paper claims (C0 to C6), what the data show, and a verdict.

Every number in the scorecard is computed here from experiment datasets (the
layout of :mod:`rnnlib.experiments`); nothing is typed in. *Significant* means
the exact sign-flip test of :func:`rnnlib.statistics.stats.paired_difference` at
level :math:`\alpha` (0.05), with the instances as the pairs: cells of one
instance share its networks, so only instances are independent. The rules,
fixed before looking at the data:

- **Verdict words** (:data:`rnnlib.claims.verdicts.WORDS`): *supported*,
  *conditional*, *mixed*, *contradicted*, *no evidence*, from the significant
  findings for and against a claim by :func:`rnnlib.claims.verdicts.decide`
  (the rule is stated there); C0 and C4 have rules of their own below.
- **C1, C2, C3** (accuracy up with Dale, up with modularity, down with
  reciprocity). *Headline*: the accuracy change :math:`\Delta = a(1) - a(0)`
  averaged over every task and named :math:`(b, w)` point within each
  instance, tested over the instances (:func:`rnnlib.statistics.stats.paired_effects`).
  *Cells*: each task-point cell is tested on its own, and its p-value is
  Holm-adjusted over all cells (:func:`rnnlib.statistics.inference.holm`), so the chance
  that any cell is wrongly called significant stays below :math:`\alpha`. A
  cell *holds* when its adjusted p is below :math:`\alpha` with the claimed
  sign of :math:`\Delta`, and *goes against* when it is below :math:`\alpha`
  with the opposite sign. The headline and the cells are the findings of
  :func:`~rnnlib.claims.verdicts.decide`: **supported** (headline for, no cell
  against), **conditional** (cells hold, headline not significant, none
  against), **mixed** (findings both ways), **contradicted** (against only),
  **no evidence**. *Calibration*: with no effect anywhere, a word other than
  *no evidence* needs the headline (level :math:`\alpha`) or a cell (Holm,
  family-wise level :math:`\alpha`) to be significant, so it occurs with
  probability at most :math:`2\alpha` (tested on synthetic nulls).
  The ``{reg}_reservoir_map`` dataset, when given, adds where in the
  :math:`(b, w)` plane significant clusters lie (:func:`claim_region`); it
  describes, it does not change the verdict.
- **Regions** (:func:`claim_region`): a cell of the :math:`(b, w)` map is
  flagged only inside a cluster (4-connected cells whose paired :math:`t`
  exceeds :math:`t_{0.975,\, n-1}` with one sign) whose mass (sum of
  :math:`t`) is significant against the largest cluster mass under sign flips
  of whole instances (:func:`rnnlib.statistics.inference.cluster_mass_test`); the
  family-wise error rate over the map is :math:`\alpha` in the weak sense (the
  chance of *any* false cluster when there is no effect). The share of cells
  in significant clusters says where there is evidence; it is not an estimate
  of how far an effect extends.
- **C4** (reciprocity saturates the neurons, which costs accuracy: a
  mechanism). On ``reciprocity_reservoir`` (same strength): *rise*, the
  saturation change under input, averaged over the cells within each
  instance, is significantly positive (*fall*: significantly negative);
  *link*, within each task-point cell the Spearman correlation across the
  instances of the saturation change with the accuracy change, averaged over
  the cells and tested by re-pairing whole instances
  (:func:`rnnlib.statistics.inference.within_cell_link`), is significantly
  negative (*reversed link*: significantly positive). Correlating across
  cells within an instance would test one pattern of cell means once per
  instance; within cells, the instances are the unit. The same two tests on
  the matched data (``reciprocity_reservoir_matched`` joined by
  :func:`matched_datasets`) give *rise* and *link at matched coupling*.
  **Supported** when C3 (same strength) is *supported*, and rise and link
  hold at the same strength and at matched coupling; **association only**
  when rise and link hold at the same strength but C3 is not supported or the
  matched data lack the rise or the link (e.g. saturation falls there while
  accuracy still falls); **contradicted** when saturation falls or the link
  is reversed at the same strength (and rise and link do not both hold);
  **no evidence** otherwise. Without matched data the verdict is at most
  *association only*. *Calibration*: with no effect, a word other than *no
  evidence* needs the saturation test or the link test to be significant, so
  it occurs with probability at most :math:`2\alpha`.
- **C0** (baseline, strong coupling: oscillation, then chaos, then fixed
  points as :math:`b` goes from inhibitory to excitatory): at each strength of
  ``baseline_phase``, the share of instances in the expected class at the most
  negative (periodic), the middle (chaotic) and the most positive (fixed point)
  balance. The sequence holds where all three shares exceed one half (a
  majority rule, no significance test). **Supported** when it holds at the
  strongest coupling, **conditional** when it holds at some other strength
  only, **contradicted** when it holds at no strength.

- **C1, C2, C3 at matched effective coupling** (rows "C1 (matched)" and so
  on): the same rule on ``{reg}_reservoir_matched`` joined with control 0 of
  ``{reg}_reservoir`` (:func:`matched_datasets`), where control 1 runs at the
  strength whose spectral bulk reaches as far as that of control 0
  (:func:`rnnlib.pipeline.engine.matched_gain`).
- **C5, C6** (the authors' earlier baseline study): the rules of
  :mod:`rnnlib.claims.boundaries`, on ``baseline_phase`` and ``baseline_reservoir``.
- **Sensitivity** (:func:`sensitivity_rows`, :func:`direction_rows`): the
  paired change of every modelling variant, described, not tested as a family;
  a variant *reverses* a direction when its change has the opposite sign to the
  reference variant's with an unadjusted p below :math:`\alpha`.

Rendering (tables and sentences) lives in :mod:`rnnlib.claims.verdicts`.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ..model._checks import check_real
from ..model.constructions import REGULARITIES, SYMBOLS
from . import boundaries
from ..pipeline.experiments import join_matched
from ..statistics.inference import cluster_mass_test, holm, within_cell_link
from ..model.signatures import REGIMES
from ..statistics.stats import paired_effects
from .verdicts import ClaimResult, coverage_text, decide, number, p_text

__all__ = ["CLAIMS", "ClaimResult", "scorecard", "claim_region", "claim_accuracy", "claim_saturation",
           "claim_phase_sequence", "matched_datasets", "sensitivity_rows", "direction_rows"]

#: The paper's claims, in our words.
CLAIMS = {
    "C0": "Without regularities, at strong coupling, moving the E/I balance from inhibitory to "
          "excitatory takes the network from oscillation through chaos to fixed points.",
    "C1": "Dale monopolarity significantly raises reservoir task accuracy.",
    "C2": "Modularity significantly raises reservoir task accuracy.",
    "C3": "Hopfield reciprocity tends to lower reservoir task accuracy.",
    "C4": "Reciprocity lowers accuracy because it promotes early saturation of the neurons.",
    **boundaries.CLAIM_TEXT,
}
#: Accuracy claims: (regularity, claimed sign of the accuracy change).
_ACCURACY_CLAIMS = {"C1": ("dale", +1), "C2": ("modularity", +1), "C3": ("reciprocity", -1)}


def _check_alpha(alpha) -> float:
    return check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)


def _accuracy_claim(claim, alpha):
    """Validated ``(control, claimed sign, alpha)`` of an accuracy claim C1, C2 or C3."""
    alpha = _check_alpha(alpha)
    if claim not in _ACCURACY_CLAIMS:
        raise ValueError(f"claim must be one of {sorted(_ACCURACY_CLAIMS)}, got {claim!r}")
    return (*_ACCURACY_CLAIMS[claim], alpha)


def _cell_rows(ds, variable, control, sign, alpha) -> list[dict]:
    """Per task-point cell: the paired result, its Holm-adjusted p over all cells, and its outcome."""
    rows = paired_effects(ds, variable, control=control, over=("task", "point"))
    adjusted = holm([r["p_value"] for r in rows])
    out = []
    for r, p_holm in zip(rows, adjusted):
        at = ds.sel(point=r["point"])
        b, w = float(at["balance"]), float(at["strength"])
        outcome = "" if not p_holm < alpha else "holds" if sign * r["mean"] > 0 else "against"
        out.append({"task": str(r["task"]), "point": f"{r['point']} (b = {b:g}, w = {w:g})",
                    "point_name": str(r["point"]), "balance": b, "strength": w, "mean": r["mean"],
                    "ci_low": r["ci_low"], "ci_high": r["ci_high"], "p_value": r["p_value"], "n": r["pairs"],
                    "p_holm": float(p_holm), "outcome": outcome})
    return out


def _pooled(ds, variable, control):
    """The headline row: ``variable`` averaged over every cell within each instance, paired over instances."""
    return paired_effects(ds, variable, control=control)[0]


def _is_matched(ds) -> bool:
    """True for a dataset joined by :func:`rnnlib.experiments.join_matched` (``attrs["coupling"] == "matched"``)."""
    return ds.attrs.get("coupling") == "matched"


def claim_accuracy(claim: str, reservoir, reservoir_map=None, *, alpha=0.05) -> ClaimResult:
    """Verdict for C1, C2 or C3 from ``{reg}_reservoir`` (and optionally ``{reg}_reservoir_map``).

    The rule is in the module docstring: headline test over instances, task-point
    cells Holm-adjusted, the word from :func:`rnnlib.claims.verdicts.decide`. A
    ``reservoir`` joined at matched effective coupling
    (:func:`rnnlib.experiments.join_matched`, ``attrs["coupling"] == "matched"``)
    gets the same rule; its row is labelled ``"C1 (matched)"`` (say) and its
    text names the rescaled strength. With a map, ``coverage`` holds the shares
    of its cells in significant clusters for and against the claim.
    """
    control, sign, alpha = _accuracy_claim(claim, alpha)
    details = _cell_rows(reservoir, "accuracy", control, sign, alpha)
    pooled = _pooled(reservoir, "accuracy", control)
    holds = [d for d in details if d["outcome"] == "holds"]
    against = [d for d in details if d["outcome"] == "against"]
    significant = pooled["p_value"] < alpha
    verdict = decide(significant and sign * pooled["mean"] > 0, significant and sign * pooled["mean"] < 0,
                     len(holds), len(against))
    where = f"holds in {len(holds)} of {len(details)} task-point cells, goes against in {len(against)} (Holm-adjusted)"
    coverage = ()
    if reservoir_map is not None:
        region = claim_region(claim, reservoir_map, alpha=alpha)
        coverage = tuple(float((region["verdict"] == v).mean()) for v in (1, -1))
        where += "; " + coverage_text(*coverage)
    direction = "raises" if sign > 0 else "lowers"
    sym = SYMBOLS[control]
    matched = _is_matched(reservoir)
    at = (f"${sym} = 1$ at matched effective coupling (its strength rescaled so that the bulk of its spectrum "
          f"reaches as far as at ${sym} = 0$)" if matched else f"${sym} = 1$")
    return ClaimResult(f"{claim} (matched)" if matched else claim, CLAIMS[claim],
                       f"paired accuracy change, {at} minus ${sym} = 0$, averaged "
                       f"over tasks and points within "
                       f"each instance; pairs are instances (claim: it {direction} accuracy)",
                       pooled["mean"], pooled["ci_low"], pooled["ci_high"], pooled["p_value"], pooled["pairs"],
                       verdict, where, tuple(details), alpha=alpha, coverage=coverage)


def claim_region(claim: str, reservoir_map, *, alpha=0.05):
    """Where in the (b, w) plane an accuracy claim (C1, C2 or C3) holds, by cluster-mass inference.

    The paired differences :math:`a(1) - a(0)` of every instance and grid cell of
    ``{reg}_reservoir_map`` go through :func:`rnnlib.statistics.inference.cluster_mass_test`
    (cluster-forming threshold :math:`t_{0.975,\\, n-1}`, whole instances
    flipped; all :math:`2^{n-1}` distinct patterns up to
    :data:`rnnlib.statistics.inference.MAX_FLIPS`, otherwise a seeded Monte Carlo sample).

    Returns
    -------
    xarray.Dataset
        Over (balance, strength): ``difference`` (mean paired change), ``t``
        (paired t statistic), ``cluster`` (cluster label, 0 outside clusters),
        ``cluster_p_value`` (p of the cell's cluster, NaN outside) and
        ``verdict``: +1 in significant clusters (p < ``alpha``) of the claimed
        sign, -1 in significant clusters of the opposite sign, 0 elsewhere.
        Over ``cluster_id`` (1..K): ``cluster_mass`` (sum of t), ``cluster_size``
        (cells), ``cluster_p`` and ``cluster_direction`` (+1 claimed sign, -1
        opposite). Attributes: ``claim``, ``control``, ``alpha``, ``instances``,
        ``threshold``, ``flips`` (sign patterns used), ``exhaustive`` (1 if all
        were enumerated) and ``min_p`` (the smallest p the test can give).
    """
    import xarray as xr

    control, sign, alpha = _accuracy_claim(claim, alpha)
    acc = reservoir_map["accuracy"].transpose("balance", "strength", control, "instance")
    diff = acc.sel({control: 1.0}).values - acc.sel({control: 0.0}).values
    test = cluster_mass_test(diff)
    direction = np.sign(test.mass).astype(int) * sign
    significant = test.p_value < alpha
    lookup = np.concatenate([[0], np.where(significant, direction, 0)]).astype(int)
    cluster_p = np.concatenate([[np.nan], test.p_value])
    dims, ids = ("balance", "strength"), np.arange(1, test.mass.size + 1)
    coords = {"balance": acc["balance"].values, "strength": acc["strength"].values, "cluster_id": ids}
    return xr.Dataset(
        {"difference": (dims, np.nanmean(diff, axis=-1)), "t": (dims, test.statistic),
         "cluster": (dims, test.labels), "cluster_p_value": (dims, cluster_p[test.labels]),
         "verdict": (dims, lookup[test.labels]),
         "cluster_mass": ("cluster_id", test.mass), "cluster_size": ("cluster_id", test.size),
         "cluster_p": ("cluster_id", test.p_value), "cluster_direction": ("cluster_id", direction)},
        coords=coords,
        attrs={"claim": f"{claim} (matched)" if _is_matched(reservoir_map) else claim, "control": control, "alpha": alpha, "instances": int(acc.sizes["instance"]),
               "threshold": test.threshold, "flips": int(test.null_max.size), "exhaustive": int(test.exhaustive),
               "min_p": test.min_p})


def _cell_changes(ds, variable, control) -> np.ndarray:
    """Paired change ``variable(1) - variable(0)`` of every task-point cell and instance, as (cells, instances)."""
    da = ds[variable].sel({control: 1.0}) - ds[variable].sel({control: 0.0})
    cells = sorted(d for d in da.dims if d != "instance")
    return da.transpose(*cells, "instance").values.reshape(-1, da.sizes["instance"])


def _mechanism(ds, alpha) -> dict:
    """Rise and link of C4 on one dataset: the pooled saturation change and the within-cell link test."""
    sat = _pooled(ds, "saturation_input", "reciprocity")
    acc = _pooled(ds, "accuracy", "reciprocity")
    link = within_cell_link(_cell_changes(ds, "saturation_input", "reciprocity"),
                            _cell_changes(ds, "accuracy", "reciprocity"))
    sig_sat, sig_link = sat["p_value"] < alpha, link.p_value < alpha
    return {"sat": sat, "acc": acc, "link": link, "rise": sig_sat and sat["mean"] > 0,
            "fall": sig_sat and sat["mean"] < 0, "linked": sig_link and link.statistic < 0,
            "reversed": sig_link and link.statistic > 0}


def _mechanism_text(m, alpha) -> str:
    sat, acc, link = m["sat"], m["acc"], m["link"]
    moved = "rises" if sat["mean"] > 0 else "falls"
    lost = "falls" if acc["mean"] < 0 else "rises"
    return (f"saturation {moved} by ${number(sat['mean'], 3, signed=True)}$ ({_significance(sat['p_value'], alpha)}) "
            f"while accuracy {lost} by ${number(acc['mean'], 3, signed=True)}$; within cells, across instances, the "
            f"two changes correlate at mean Spearman $\\bar r = {number(link.statistic, 2, signed=True)}$ "
            f"({_significance(link.p_value, alpha)})")


def _significance(p, alpha) -> str:
    """``significant``/``not significant`` with the p-value, for the C4 sentences."""
    return f"{'' if p < alpha else 'not '}significant, {p_text(p, 'p = ')}"


def claim_saturation(reservoir, matched=None, *, alpha=0.05) -> ClaimResult:
    """Verdict for C4, a mechanism, from ``reciprocity_reservoir`` and its matched counterpart.

    ``matched`` is ``reciprocity_reservoir_matched`` joined by
    :func:`rnnlib.experiments.join_matched` (or None: then at most *association
    only*). The rule is in the module docstring. ``details`` are the per-cell
    saturation tests at the same strength; ``secondary`` holds the within-cell
    link tests (``mean`` is :math:`\\bar r`), at the same strength and, when
    given, at matched coupling.
    """
    alpha = _check_alpha(alpha)
    details = _cell_rows(reservoir, "saturation_input", "reciprocity", +1, alpha)
    same = _mechanism(reservoir, alpha)
    c3 = claim_accuracy("C3", reservoir, alpha=alpha).verdict
    at_matched = _mechanism(matched, alpha) if matched is not None else None
    associated = same["rise"] and same["linked"]
    matched_holds = at_matched is not None and at_matched["rise"] and at_matched["linked"]
    if associated and c3 == "supported" and matched_holds:
        verdict = "supported"
    elif associated:
        verdict = "association only"
    elif same["fall"] or same["reversed"]:
        verdict = "contradicted"
    else:
        verdict = "no evidence"
    where = f"at the same strength {_mechanism_text(same, alpha)}; C3 reads {c3}"
    if at_matched is None:
        where += "; no matched-coupling data, so the mechanism is not tested there"
    else:
        where += f"; at matched coupling {_mechanism_text(at_matched, alpha)}"
        if associated and not matched_holds:
            where += " (the matched data lack the " + (
                "rise and the link" if not (at_matched["rise"] or at_matched["linked"])
                else "rise" if not at_matched["rise"] else "link") + ")"
    what = ("mean within-cell Spearman correlation, across instances, of the saturation change with the accuracy "
            "change (task-point cells), tested by re-pairing instances")
    secondary = tuple({"what": f"{what}{label}", "mean": m["link"].statistic, "ci_low": np.nan, "ci_high": np.nan,
                       "p_value": m["link"].p_value, "n": m["link"].n}
                      for m, label in ((same, ", same strength"), (at_matched, ", matched coupling")) if m is not None)
    measured = (r"paired change of the saturation $\langle|x|\rangle$ under input, $H = 1$ minus $H = 0$, averaged "
                "over tasks and points within each instance; pairs are instances")
    sat = same["sat"]
    return ClaimResult("C4", CLAIMS["C4"], measured,
                       sat["mean"], sat["ci_low"], sat["ci_high"], sat["p_value"], sat["pairs"], verdict, where,
                       tuple(details), secondary, alpha)


def claim_phase_sequence(phase) -> ClaimResult:
    """Verdict for C0 from ``baseline_phase``: majority regime at negative, middle and positive balance.

    ``details`` has one row per strength with the three shares
    ``periodic_at_min_b``, ``chaotic_at_b0``, ``fixed_at_max_b``; the effect is
    the smallest of them at the strongest coupling.
    """
    expected = (REGIMES.index("periodic"), REGIMES.index("chaotic"), REGIMES.index("fixed point"))
    balances = phase["balance"].values
    picks = (balances.min(), balances[np.argmin(np.abs(balances))], balances.max())
    held, details = [], []
    for w in phase["strength"].values:
        shares = [float(np.mean(phase["regime"].sel(balance=b, strength=w).values.ravel() == code))
                  for b, code in zip(picks, expected)]
        details.append({"strength": float(w), "balances": tuple(float(b) for b in picks),
                        "periodic_at_min_b": shares[0], "chaotic_at_b0": shares[1], "fixed_at_max_b": shares[2]})
        if min(shares) > 0.5:
            held.append(float(w))
    strongest = details[-1]
    effect = min(strongest["periodic_at_min_b"], strongest["chaotic_at_b0"], strongest["fixed_at_max_b"])
    verdict = "supported" if held and held[-1] == float(phase["strength"].values[-1]) else (
        "conditional" if held else "contradicted")
    where = (f"the sequence periodic, chaotic, fixed point (majority of instances at $b = {picks[0]:g}$, "
             f"${picks[1]:g}$, ${picks[2]:g}$) holds at $w = {', '.join(f'{w:g}' for w in held)}$" if held
             else "the sequence holds at no strength")
    n = int(phase.sizes.get("instance", 1))
    return ClaimResult("C0", CLAIMS["C0"], "smallest of the three majority shares at the strongest coupling",
                       effect, np.nan, np.nan, np.nan, n, verdict, where, tuple(details))


def matched_datasets(datasets: Mapping) -> dict:
    """The matched-coupling datasets a scorecard can use, joined with their same-strength counterparts.

    For every ``{reg}_reservoir_matched`` (and ``{reg}_reservoir_map_matched``)
    in ``datasets`` whose same-strength experiment is there too, the result of
    :func:`rnnlib.experiments.join_matched` under the same name.
    """
    out = {}
    for reg in REGULARITIES:                     # matching is defined for the paper's three
        for kind in ("reservoir", "reservoir_map"):
            name = f"{reg}_{kind}"
            if f"{name}_matched" in datasets and name in datasets:
                out[f"{name}_matched"] = join_matched(datasets[name], datasets[f"{name}_matched"])
    return out


def scorecard(datasets: Mapping, *, alpha=0.05) -> list[ClaimResult]:
    """The rows of the scorecard from a mapping ``experiment name -> Dataset``.

    Needs ``baseline_phase`` and ``{dale,modularity,reciprocity}_reservoir``
    (rows C0 to C4); uses ``{reg}_reservoir_map`` when present. When
    ``{reg}_reservoir_matched`` is present, a row "C1 (matched)" (C2, C3) with
    the same rule follows the same-strength row, from the joined dataset of
    :func:`matched_datasets` (and its map from ``{reg}_reservoir_map_matched``);
    C4 uses ``reciprocity_reservoir_matched`` for its matched-coupling test.
    When ``baseline_reservoir`` is present, rows C5 and C6 of
    :mod:`rnnlib.claims.boundaries` follow C4.
    """
    missing = [k for k in ("baseline_phase", "dale_reservoir", "modularity_reservoir", "reciprocity_reservoir")
               if k not in datasets]
    if missing:
        raise ValueError(f"scorecard needs the experiments {missing}; load them with rnnlib.experiments.load")
    matched = matched_datasets(datasets)
    rows = [claim_phase_sequence(datasets["baseline_phase"])]
    for claim, (reg, _) in _ACCURACY_CLAIMS.items():
        rows.append(claim_accuracy(claim, datasets[f"{reg}_reservoir"], datasets.get(f"{reg}_reservoir_map"),
                                   alpha=alpha))
        if f"{reg}_reservoir_matched" in matched:
            rows.append(claim_accuracy(claim, matched[f"{reg}_reservoir_matched"],
                                       matched.get(f"{reg}_reservoir_map_matched"), alpha=alpha))
    rows.append(claim_saturation(datasets["reciprocity_reservoir"], matched.get("reciprocity_reservoir_matched"),
                                 alpha=alpha))
    if "baseline_reservoir" in datasets:
        rows.append(boundaries.claim_c5(datasets["baseline_phase"], datasets["baseline_reservoir"], alpha=alpha))
        rows.append(boundaries.claim_c6(datasets["baseline_phase"], datasets["baseline_reservoir"], alpha=alpha))
    return rows


def sensitivity_rows(sensitivity, *, by_point: bool = False) -> list[dict]:
    r"""Paired accuracy changes of the ``sensitivity`` experiment, per regularity and variant (and point).

    For each regularity, the variants that concern it: every modelling choice
    and its own alternative constructions (``"<regularity>:<name>"``; those of
    the other regularities leave it unchanged and are skipped). Each row is a
    :func:`rnnlib.statistics.stats.paired_effects` row of :math:`a(1) - a(0)` over the
    instances, averaged over the points within each instance (or per point with
    ``by_point``), with ``regularity``, ``variant``, ``point`` ("all" when
    pooled), ``claimed`` (the claimed sign, +1 or -1) and ``label``.
    """
    if not {"regularity", "variant", "control", "instance"} <= set(sensitivity.dims):
        raise ValueError("sensitivity must have the dims regularity, variant, control and instance, "
                         f"got {tuple(sensitivity.dims)}")
    claimed = {reg: sign for reg, sign in _ACCURACY_CLAIMS.values()}
    rows = []
    for reg in sensitivity["regularity"].values.tolist():
        own = [v for v in sensitivity["variant"].values.tolist() if ":" not in v or v.split(":")[0] == reg]
        sub = sensitivity.sel(regularity=reg, variant=own)
        over = ("variant", "point") if by_point else ("variant",)
        for r in paired_effects(sub, "accuracy", control="control", over=over):
            point = str(r.get("point", "all"))
            rows.append({**r, "regularity": reg, "variant": str(r["variant"]), "point": point,
                         "claimed": claimed.get(reg, 0),
                         "label": str(r["variant"]) + (f", {point}" if by_point else "")})
    return rows


def direction_rows(sensitivity, *, reference: str = "default", alpha=0.05) -> list[dict]:
    r"""Whether the direction of each regularity's accuracy change survives each variant, per point and pooled.

    For each (regularity, variant, point) row of :func:`sensitivity_rows` (the
    points and their pool "all"), ``outcome`` compares its mean change with that
    of the ``reference`` variant at the same point: "same" when the signs agree,
    "reversed" when they differ and the variant's own sign-flip p is below
    ``alpha`` (unadjusted: a description, not a verdict), "opposite, n.s."
    otherwise. ``reference_mean`` is the reference's change.
    """
    alpha = _check_alpha(alpha)
    rows = sensitivity_rows(sensitivity, by_point=True) + sensitivity_rows(sensitivity)
    ref = {(r["regularity"], r["point"]): r["mean"] for r in rows if r["variant"] == reference}
    if not ref:
        raise ValueError(f"reference must be a variant of the sensitivity experiment, got {reference!r}")
    out = []
    for r in rows:
        base = ref[(r["regularity"], r["point"])]
        if np.sign(r["mean"]) == np.sign(base):
            outcome = "same"
        elif r["p_value"] < alpha:
            outcome = "reversed"
        else:
            outcome = "opposite, n.s."
        out.append({**r, "reference_mean": base, "outcome": outcome})
    return out
