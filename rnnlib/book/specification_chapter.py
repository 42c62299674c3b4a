r"""What the chapter "Where the claims hold" computes and phrases: the claims over the specification space.

Each claim is a regularity, a variable and a claimed direction (:data:`CLAIMS`).
:func:`analyse` computes, from the specification dataset
(:mod:`rnnlib.pipeline.specification`), every claim's per-specification
effects, its joint sign-flip test and its decomposition over the choices
(:mod:`rnnlib.statistics.specification`); the functions below turn those into
the chapter's sentences and Markdown tables. Every number comes from the data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..claims.verdicts import number, p_text
from ..pipeline import specification as spec
from ..statistics.inference import instance_correlations
from .tables import captioned
from ..statistics.specification import (Decomposition, Effects, JointTest, decompose, holds_where, joint_test,
                                        reconstruction, specification_effects)

__all__ = ["ACCURACY_CLAIMS", "BOUNDARY_BALANCES", "CLAIMS", "ClaimCurve", "analyse", "balances_per_strength",
           "baseline_text", "level_order", "closest_text", "decomposition_table", "joint_text", "link_text",
           "space_table"]

#: Claim -> (regularity, variable, claimed sign, the claim in words).
CLAIMS = {"C1": ("dale", "accuracy", 1, "Dale monopolarity raises accuracy"),
          "C2": ("modularity", "accuracy", 1, "modularity raises accuracy"),
          "C3": ("reciprocity", "accuracy", -1, "Hopfield reciprocity lowers accuracy"),
          "C4": ("reciprocity", "saturation", 1, "reciprocity saturates the neurons")}
ACCURACY_CLAIMS = ("C1", "C2", "C3")
#: The fewest balance values at one strength that the boundary rules of the baseline's claims need
#: (:mod:`rnnlib.claims.boundaries`): C6 an ordered cell on each side of a chaotic cell; C5 an ordered cell on each
#: side of a chaotic band whose interior (the band without its two end cells) is not empty, i.e. three chaotic cells.
BOUNDARY_BALANCES = {"C5": 5, "C6": 3}


@dataclass(frozen=True)
class ClaimCurve:
    """One claim over the specifications its regularity can build (``defined``)."""

    claim: str
    direction: int
    defined: np.ndarray
    differences: np.ndarray
    effects: Effects
    choices: dict
    joint: JointTest
    decomposition: Decomposition
    sentence: str


def level_order(regularity: str) -> dict:
    """Choice -> its levels in the declared order (:data:`rnnlib.pipeline.specification.SPACE`), the reading included."""
    return {**dict(spec.SPACE.choices), "reading": dict(spec.SPACE.readings)[regularity]}


def analyse(ds: xr.Dataset, claim: str) -> ClaimCurve:
    """Effects, joint test, decomposition and the computed sentence of ``claim`` on the specification dataset."""
    regularity, variable, direction, _ = CLAIMS[claim]
    ok = spec.defined(ds, regularity)
    d = spec.differences(ds, regularity, variable)[ok]
    choices = {k: v[ok] for k, v in spec.choice_levels(ds, regularity).items()}
    dec = decompose(d, choices, order=level_order(regularity))
    return ClaimCurve(claim, direction, ok, d, specification_effects(d), choices, joint_test(d, direction), dec,
                      holds_where(dec, claim, direction))


def space_table(ds: xr.Dataset) -> str:
    """Numbered Markdown table of every choice and its levels, with how many sampled specifications take each level."""
    rows = ["| choice | levels (sampled specifications at each) |", "|---|---|"]
    for name, levels in spec.SPACE.choices:
        values = ds[name].values
        rows.append(f"| {name.replace('_', ' ')} | " + ", ".join(
            f"{lv:g} ({np.sum(values == lv)})" if isinstance(lv, float) else f"{lv} ({np.sum(values == lv)})"
            for lv in levels) + " |")
    for reg, readings in spec.SPACE.readings:
        values = ds["reading"].sel(regularity=reg).values
        rows.append(f"| reading of {reg} | " + ", ".join(f"{r} ({np.sum(values == r)})" for r in readings) + " |")
    return captioned("\n".join(rows), "The specification space: every modelling choice, its levels, and in brackets how "
                     "many sampled specifications take each level.", name="tab-specification-space")


def joint_text(curve: ClaimCurve) -> str:
    """The claim's share of supporting specifications and its joint sign-flip test, as a sentence."""
    jt = curve.joint
    words = CLAIMS[curve.claim][3]
    against = int(np.sum(curve.effects.significant(-curve.direction)))
    kind = "all" if jt.exhaustive else "a sample of"
    return (f"**{curve.claim}** ({words}): {jt.count} of {jt.specifications} specifications "
            f"({number(100 * jt.share, 0)}%) are significant in the claimed direction and {against} against it; "
            f"the median effect is {number(jt.median, 4, signed=True)}. Against {kind} {jt.patterns} sign flips "
            f"of whole instances, the count has {p_text(jt.count_p, 'p = ')} and the median "
            f"{p_text(jt.median_p, 'p = ')}: at $\\alpha = 0.05$ the curve as a whole "
            f"{'is' if jt.count_p < 0.05 else 'is not'} significant by the count and "
            f"{'is' if jt.median_p < 0.05 else 'is not'} by the median.")


def decomposition_table(curve: ClaimCurve) -> str:
    """Numbered Markdown table: per choice its share of the variance, per level its main effect and mean effect with intervals."""
    dec = curve.decomposition
    rows = [f"| choice (variance share) | level | main effect [95% CI] | mean effect there [95% CI] |",
            "|---|---|---|---|"]
    last = None
    for r in dec.rows():
        head = f"{r['choice'].replace('_', ' ')} ({number(100 * r['share'], 0)}%)" if r["choice"] != last else ""
        last = r["choice"]
        level = f"{r['level']:g}" if isinstance(r["level"], float) else str(r["level"])
        rows.append(f"| {head} | {level} | {number(r['effect'], 3, signed=True)} "
                    f"[{number(r['effect_low'], 3, signed=True)}, {number(r['effect_high'], 3, signed=True)}] | "
                    f"{number(r['conditional'], 3, signed=True)} [{number(r['conditional_low'], 3, signed=True)}, "
                    f"{number(r['conditional_high'], 3, signed=True)}] |")
    caption = (f"Which choices decide {curve.claim}: each choice's share of the variance of the effects across "
               "specifications, each level's main effect (its deviation from the average effect) and the claim's mean "
               "effect among the specifications at that level, with 95% intervals.")
    return captioned("\n".join(rows), caption) + (f"\n\nAll main effects together explain {number(100 * dec.r_squared, 0)}% of the "
                              f"variance across specifications; the rest is interactions and noise.")


def link_text(ds: xr.Dataset) -> str:
    """C4's link: within each instance, the Spearman correlation across specifications of the saturation and accuracy changes."""
    ok = spec.defined(ds, "reciprocity")
    rho = instance_correlations(spec.differences(ds, "reciprocity", "saturation")[ok],
                                spec.differences(ds, "reciprocity", "accuracy")[ok])
    e = specification_effects(rho[None, np.isfinite(rho)])
    linked = e.significant(-1)[0]
    return (f"C4's link, within each instance across the {int(ok.sum())} specifications: the Spearman correlation "
            f"between the saturation change and the accuracy change of reciprocity averages "
            f"{number(e.mean[0], 3, signed=True)} [{number(e.ci_low[0], 3, signed=True)}, "
            f"{number(e.ci_high[0], 3, signed=True)}] over {e.n} instances ({p_text(e.p_value[0], 'p = ')}): "
            f"{'more saturation goes with lower accuracy, as C4 says' if linked else 'no significant negative link'}.")


def closest_text(ds: xr.Dataset, *, show: int = 3) -> str:
    """The specifications where C1, C2 and C3 all hold at once, or the nearest ones by the weakest standardised effect."""
    ok = np.logical_and.reduce([spec.defined(ds, CLAIMS[c][0]) for c in ACCURACY_CLAIMS])
    effects = {c: specification_effects(spec.differences(ds, CLAIMS[c][0], CLAIMS[c][1])[ok]) for c in ACCURACY_CLAIMS}
    rec = reconstruction(effects, {c: CLAIMS[c][2] for c in ACCURACY_CLAIMS})
    index = np.flatnonzero(ok)
    names = [n for n, _ in spec.SPACE.choices]

    def describe(i):
        s = index[i]
        levels = ", ".join(f"{n.replace('_', ' ')} {ds[n].values[s]}" for n in names)
        readings = ", ".join(f"{reg} {ds['reading'].sel(regularity=reg).values[s]}" for reg, _ in spec.SPACE.readings)
        z = ", ".join(f"{c} {number(rec.standardised[i, k], 2, signed=True)}" for k, c in enumerate(rec.claims))
        return f"specification {s} ({levels}; readings: {readings}; standardised effects {z})"
    if rec.all_hold.size:
        head = (f"In {rec.all_hold.size} of {ok.sum()} specifications C1, C2 and C3 all hold at once, each "
                f"significant in the paper's direction. The strongest by the weakest claim:")
        picks = [i for i in rec.order if i in set(rec.all_hold)][:show]
    else:
        head = (f"In none of the {ok.sum()} specifications do C1, C2 and C3 all hold at once. The nearest, by the "
                f"criterion fixed before looking (the largest smallest standardised effect $d_z$ in the claimed "
                f"directions):")
        picks = list(rec.order[:show])
    return head + "\n\n" + "\n".join(f"- {describe(i)}" for i in picks)


def balances_per_strength(ds: xr.Dataset) -> dict:
    """Strength -> the distinct balances at which the sampled specifications put the network (their named points)."""
    out: dict = {}
    for name in np.unique(ds["point"].values):
        balance, strength = spec.POINTS[str(name)]
        out.setdefault(strength, set()).add(balance)
    return {w: sorted(b) for w, b in sorted(out.items())}


def baseline_text(ds: xr.Dataset, by_input=None) -> str:
    """Whether the specification data can decide the baseline's claims C5 and C6, why not, and the nearest evidence.

    C5 and C6 compare the baseline's accuracy along the balance axis at one strength, across the boundaries of the
    free-running phases (:mod:`rnnlib.claims.boundaries`). The sentence counts, from ``ds``, how many balance values
    the sampled specifications offer at any one strength against :data:`BOUNDARY_BALANCES`. ``by_input`` (optional)
    is :func:`rnnlib.claims.boundaries.by_variant` on ``baseline_reservoir_inputs``: the verdicts at the input
    strengths of the space, which are then reported as the nearest evidence.
    """
    per_strength = balances_per_strength(ds)
    most = max(len(b) for b in per_strength.values())
    where = "; ".join(f"$w = {w:g}$: $b = {', '.join(f'{b:g}' for b in bs)}$" for w, bs in per_strength.items())
    lacking = [f"the sampled specifications sit at the named points, {most} balance value{'s' * (most > 1)} at most "
               f"at any strength ({where})"] if most < min(BOUNDARY_BALANCES.values()) else []
    lacking += [] if "regime" in ds else ["the experiment records no free-running phase"]
    if not lacking:
        raise ValueError("the specification data hold balance sweeps with phases: analyse C5 and C6 on them "
                         "(rnnlib.claims.boundaries) instead of calling baseline_text")
    text = (f"For the baseline's claims C5 and C6 the specification data cannot decide: both compare accuracy along "
            f"the balance axis at one strength across the boundaries of the free-running phases, which needs at least "
            f"{BOUNDARY_BALANCES['C5']} (C5) and {BOUNDARY_BALANCES['C6']} (C6) balance values at one strength, each "
            f"with its phase; but " + " and ".join(lacking) + ".")
    if by_input:
        verdicts = "; ".join(f"input strength {r['variant'].split('=')[-1]}: C5 **{r['c5'].verdict}**, "
                             f"C6 **{r['c6'].verdict}**" for r in by_input)
        both = [r["variant"].split("=")[-1] for r in by_input
                if r["c5"].verdict == "supported" and r["c6"].verdict == "supported"]
        text += (f" The nearest evidence is the baseline's boundary analysis over the $(b, w)$ plane at the input "
                 f"strengths of the space (the other choices at their defaults): {verdicts}. "
                 + (f"Both hold at input strength {', '.join(both)}." if both else
                    "At none of them do C5 and C6 both hold; under the other choices of the space (density, task, "
                    "readout, drive) the baseline's boundaries are not measured."))
    return text
