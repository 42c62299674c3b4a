r"""What the chapter "Where the claims hold" computes and phrases: the claims over the specification space.

Each claim is a regularity, a variable and a claimed direction (:data:`CLAIMS`).
:func:`analyse` computes, from the specification dataset
(:mod:`rnnlib.pipeline.specification`), every claim's per-specification
effects, its joint sign-flip test and its decomposition over the choices
(:mod:`rnnlib.statistics.specification`); the functions below turn those into
the chapter's sentences and Markdown tables. Every number comes from the data.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..claims.verdicts import number, p_text
from ..model import constructions
from ..pipeline import specification as spec
from ..reservoir.readout import RIDGE_GRID, fit_ridge_cv
from ..statistics.inference import instance_correlations
from ..statistics.wording import series
from .tables import captioned
from ..statistics.specification import (Decomposition, Effects, JointTest, decompose, holds_where, joint_test,
                                        reconstruction, specification_effects)

__all__ = ["ACCURACY_CLAIMS", "BOUNDARY_BALANCES", "CLAIMS", "COMPARISON_WORDS", "ClaimCurve", "analyse",
           "balances_per_strength", "baseline_text", "level_order", "closest_text", "decomposition_table", "joint_text",
           "link_text", "reading_summary", "ridge_text", "readings_table", "space_table", "undefined_text"]

#: Claim -> (regularity, variable, claimed sign, the claim in words).
CLAIMS = {"C1": ("dale", "accuracy", 1, "Dale monopolarity raises accuracy"),
          "C2": ("modularity", "accuracy", 1, "modularity raises accuracy"),
          "C3": ("reciprocity", "accuracy", -1, "Hopfield reciprocity lowers accuracy"),
          "C4": ("reciprocity", "saturation", 1, "reciprocity saturates the neurons")}
ACCURACY_CLAIMS = ("C1", "C2", "C3")
#: The comparison levels of :data:`rnnlib.pipeline.specification.CHOICES` in words.
COMPARISON_WORDS = {"same": "at the same strength", "matched": "at matched coupling"}
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

    def shown(name, lv):
        if isinstance(lv, float):
            return f"{lv:g}"
        if name == "point":
            b, w = spec.POINTS[lv]
            return f"{lv} at $(b, w) = ({b:g}, {w:g})$"
        return str(lv)
    for name, levels in spec.SPACE.choices:
        values = ds[name].values
        rows.append(f"| {name.replace('_', ' ')} | " + ", ".join(
            f"{shown(name, lv)} ({np.sum(values == lv)})" for lv in levels) + " |")
    for reg, readings in spec.SPACE.readings:
        values = ds["reading"].sel(regularity=reg).values
        rows.append(f"| reading of {reg} | " + ", ".join(f"{r} ({np.sum(values == r)})" for r in readings) + " |")
    return captioned("\n".join(rows), "The specification space: every modelling choice, its levels (the named points "
                     "with their balance and strength), and in brackets how many sampled specifications take each "
                     "level.", name="tab-specification-space")


def ridge_text() -> str:
    """The readout's ridge levels in words: the fixed values, and how the ``cv`` level chooses its value.

    ``cv`` is :func:`rnnlib.reservoir.readout.fit_ridge_cv` with its default folds and candidates
    (:data:`rnnlib.reservoir.readout.RIDGE_GRID`), on the training samples only.
    """
    folds = inspect.signature(fit_ridge_cv).parameters["folds"].default
    fixed = [k for k, v in spec.RIDGES.items() if not isinstance(v, str)]
    cv = [k for k, v in spec.RIDGES.items() if isinstance(v, str)]
    return (f"The readout's ridge parameter takes {len(fixed)} fixed values ({series(fixed)})"
            + (f" and one level, `{cv[0]}`, where it is chosen among {len(RIDGE_GRID)} candidates from "
               f"{min(RIDGE_GRID):g} to {max(RIDGE_GRID):g} by {folds}-fold cross-validation on the training samples "
               f"only" if cv else "") + ".")


_ROLE = re.compile(r"\s*\(:\w+:`[^`]*`\)|:(\w+):`([^`]*)`")


def reading_summary(regularity: str, reading: str) -> str:
    """One line on what a construction does: the first line of its docstring (:mod:`rnnlib.model.constructions`).

    Sphinx roles become Markdown (``:math:`x``` -> ``$x$``, a bracketed cross-reference is dropped, other roles keep
    their text); a first line that does not end a sentence is cut at its first colon.
    """
    line = constructions.get(regularity, reading).__doc__.strip().splitlines()[0].strip()
    if not line.endswith(".") and ": " in line:
        line = line.split(": ")[0] + "."
    return _ROLE.sub(lambda m: "" if m.group(1) is None else f"${m.group(2)}$" if m.group(1) == "math"
                     else m.group(2), line)


def readings_table() -> str:
    """Numbered Markdown table of every construction reading of the space: what it does, and which is the default."""
    rows = ["| regularity | reading | what it does | default of the other chapters |", "|---|---|---|---|"]
    for reg, readings in spec.SPACE.readings:
        rows += [f"| {constructions.NAMES[reg]} | `{r}` | {reading_summary(reg, r)} | "
                 f"{'yes' if r == constructions.DEFAULTS[reg] else ''} |" for r in readings]
    return captioned("\n".join(rows), "The construction readings of each regularity in the space: what each does (the "
                     "first line of its documentation) and which one the other chapters use.",
                     name="tab-specification-readings")


def undefined_text(ds: xr.Dataset) -> str:
    """How many specifications each regularity can build in every instance; the others by reading and density."""
    total = ds.sizes["specification"]
    built = {reg: spec.defined(ds, reg) for reg, _ in spec.SPACE.readings}
    names = constructions.SHORT_NAMES
    text = (f"Of the {total} sampled specifications, every instance could be built in "
            + series(f"{int(ok.sum())} for {names[reg]}" for reg, ok in built.items()) + ".")
    density = ds["density"].values
    for reg, ok in built.items():
        if ok.all():
            continue
        reading = ds["reading"].sel(regularity=reg).values
        failing = [r for r in dict(spec.SPACE.readings)[reg] if np.any(~ok & (reading == r))]
        parts = [f"the {r} reading: " + series(
                 f"{int(np.sum(at & ~ok & (density == d)))} of its {int(np.sum(at & (density == d)))} at density {d:g}"
                 for d in dict(spec.SPACE.choices)["density"]) for r, at in ((r, reading == r) for r in failing)]
        text += (f" The {int((~ok).sum())} that {names[reg]} lacks " + ("all use " if len(failing) == 1 else "use ")
                 + "; ".join(parts) + ".")
    return text


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


def _correlation(saturation: np.ndarray, accuracy: np.ndarray):
    """Per-instance Spearman correlation across specifications, as one-row :class:`Effects` (t-test over instances)."""
    rho = instance_correlations(saturation, accuracy)
    return specification_effects(rho[None, np.isfinite(rho)])


def _interval(e) -> str:
    return (f"{number(e.mean[0], 3, signed=True)} [{number(e.ci_low[0], 3, signed=True)}, "
            f"{number(e.ci_high[0], 3, signed=True)}], {p_text(e.p_value[0], 'p = ')}")


def link_text(ds: xr.Dataset) -> str:
    """C4's link across specifications: within each instance, the Spearman correlation of the saturation and accuracy
    changes of reciprocity over the specifications, tested over instances, overall and per level of ``comparison``.

    It is an association across specifications, which is not the test of C4's rule (within each task-point cell,
    across instances, at the same strength and at matched coupling: :func:`rnnlib.claims.scorecard.claim_saturation`).
    The counts say which ``comparison`` level holds most of the specifications whose saturation rises significantly
    (paired t-test) and most of those where it falls; when these are different levels, each holding more than half,
    the comparison separates the two ends of the curve.
    """
    ok = spec.defined(ds, "reciprocity")
    saturation = spec.differences(ds, "reciprocity", "saturation")[ok]
    accuracy = spec.differences(ds, "reciprocity", "accuracy")[ok]
    e = _correlation(saturation, accuracy)
    comparison = ds["comparison"].values[ok]
    levels = [lv for lv in dict(spec.SPACE.choices)["comparison"] if np.sum(comparison == lv) > 2]
    own = specification_effects(saturation)
    ends = {}                                                   # word -> (level, count there, count)
    for direction, word in ((1, "rises"), (-1, "falls")):
        sig = own.significant(direction)
        if sig.any():
            top = max(levels, key=lambda lv: np.sum(sig & (comparison == lv)))
            ends[word] = (top, int(np.sum(sig & (comparison == top))), int(sig.sum()))
    split = (len(ends) == 2 and ends["rises"][0] != ends["falls"][0]
             and all(2 * there > count for _, there, count in ends.values()))
    text = (f"C4's link, as an association across specifications: within each instance, the Spearman correlation "
            f"across the {int(ok.sum())} specifications between the saturation change and the accuracy change of "
            f"reciprocity, averaged over {e.n} instances and tested with a one-sample $t$-test over them, is "
            f"{_interval(e)}: " + ("where reciprocity raises the saturation more, its accuracy change tends to be "
                                   "lower." if e.significant(-1)[0] else
                                   "no significant negative association."))
    if ends:
        text += (" The comparison separates the two ends of the curve: " if split else " By comparison: ") + series(
            f"{there} of the {count} specifications whose saturation {word} significantly compare "
            f"{COMPARISON_WORDS.get(top, top)}" for word, (top, there, count) in ends.items()) + "."
    if len(levels) > 1:
        text += " The same correlation is " + series(
            f"{_interval(_correlation(saturation[comparison == lv], accuracy[comparison == lv]))} among the "
            f"{int(np.sum(comparison == lv))} specifications compared {COMPARISON_WORDS.get(lv, lv)}"
            for lv in levels) + "."
    return text + (" This is not the test of C4's rule, which asks for the link within each task and named point "
                   "across instances, both at the same strength and at matched coupling; the {doc}`synthesis chapter "
                   "<synthesis>` applies it.")


def closest_text(ds: xr.Dataset, *, show: int = 3) -> str:
    """The specifications where C1, C2 and C3 are all significant in the claimed directions, or the nearest ones.

    The nearest are ranked by the weakest standardised effect in the claimed directions
    (:func:`rnnlib.statistics.specification.reconstruction`).
    """
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
        head = (f"In none of the {ok.sum()} specifications are C1, C2 and C3 all significant in the paper's direction "
                f"at once. The nearest, by the "
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
