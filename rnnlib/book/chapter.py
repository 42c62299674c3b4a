r"""What a chapter says beyond its figures: example networks, computed sentences, claim phrasing.

A chapter of the book is prose plus one plotting call per figure; every number
that the prose reports comes from a function here, written once for all
regularities. Each function takes the data of a figure (as returned by
:mod:`rnnlib.book.plotting`) or a verdict of :mod:`rnnlib.claims.scorecard` and returns a
sentence in MyST Markdown; :func:`say` displays it in a notebook. The
regularity chapters differ only in the name of the regularity they pass in, so
a fourth regularity is a new notebook of prose and calls.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import xarray as xr

from ..model import theory
from ..model._checks import check_choice
from ..model.constructions import REGULARITIES
from .plotting import SYMBOLS
from . import cache
from .build import ROOT as _ROOT
from .tables import captioned
from ..claims.verdicts import UNCOUNTED_REASON, effect_text, p_text, uncounted
from ..statistics.wording import series
from ..pipeline import cost
from ..model.weights import make_weights

__all__ = ["say", "examples", "baseline_examples", "spectrum_table", "spectral_radii", "phase_claim", "chaos_onset",
           "lyapunov_agreement", "best_accuracy", "undefined_signatures", "regime_change", "change_label", "accuracy_claim",
           "accuracy_map", "saturation_change", "saturation_claim", "modules_shown", "modules_change",
           "predicted_spectra", "bulk_agreement", "effective_gain", "lyapunov_theory", "matched_coupling",
           "matching_table", "effective_onset", "READING_SPEED", "reading_minutes", "duration",
           "glossary_terms", "opener", "findings"]

#: Example networks of every chapter: size, strength and the seed of their common random numbers.
EXAMPLE = {"n": 100, "strength": 1.5, "seed": 1}


def say(text: str) -> None:
    """Display ``text`` as Markdown (MyST, so ``$math$`` renders) below the current cell's figure."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    plt.show()  # the cell's figure first, then its sentence
    display(Markdown(text))


def _symbol(regularity: str) -> str:
    return SYMBOLS[check_choice("regularity", regularity, REGULARITIES)]


def examples(regularity: str, controls=(0.0, 0.5, 1.0), *, balance: float = 0.0) -> dict:
    """Example matrices ``{"D = 0": W, ...}`` of one regularity at ``controls``, from the same random numbers.

    ``make_weights(EXAMPLE["n"], EXAMPLE["strength"], balance, **{regularity: c}, seed=EXAMPLE["seed"])``.
    """
    sym = _symbol(regularity)
    return {f"{sym} = {c:g}": make_weights(EXAMPLE["n"], EXAMPLE["strength"], balance, seed=EXAMPLE["seed"],
                                            **{regularity: c}) for c in controls}


def baseline_examples(balances=(-0.5, 0.0, 0.5)) -> dict:
    """Example baseline matrices ``{"b = -0.5": W, ...}`` at ``balances``, from the same random numbers."""
    return {f"b = {b:g}": make_weights(EXAMPLE["n"], EXAMPLE["strength"], b, seed=EXAMPLE["seed"])
            for b in balances}


def spectrum_table(spectra: dict, balances) -> str:
    """Markdown table: balance, circular-law radius, measured spectral radius, predicted outlier (data of ``plotting.spectra``)."""
    rows = [f"| {b:g} | {spectra['radius'][k]:.3f} | {np.abs(spectra['eigenvalues'][k]).max():.3f} | "
            f"{spectra['outlier'][k]:+.3f} |" for b, k in zip(balances, spectra["eigenvalues"])]
    return ("| balance $b$ | circular-law radius | measured spectral radius | predicted outlier $N\\mu$ |\n"
            "| --- | --- | --- | --- |\n" + "\n".join(rows))


def spectral_radii(spectra: dict) -> str:
    r"""The measured spectral radius :math:`\max_k |\lambda_k|` of each matrix against the baseline's circular law."""
    radii = ", ".join(f"${k}$: {np.abs(ev).max():.3f}" for k, ev in spectra["eigenvalues"].items())
    first = next(iter(spectra["radius"]))
    return f"Spectral radius: {radii} (circular-law radius of the baseline: {spectra['radius'][first]:.3f})."


def phase_claim(c0) -> str:
    """Claim C0 as measured, from :func:`rnnlib.claims.scorecard.claim_phase_sequence`."""
    return (f"**Claim C0, measured.** {c0.where[0].upper() + c0.where[1:]}. At the strongest coupling the smallest "
            f"of the three majority shares is {c0.effect:.2f} (over {c0.n} instances per point), so the verdict is "
            f"**{c0.verdict}** (the rule is stated in the {{doc}}`synthesis chapter <synthesis>`).")


def chaos_onset(lyapunov: xr.Dataset | xr.DataArray) -> float:
    r"""Strength where the instance-mean Lyapunov exponent at :math:`b = 0` first turns positive.

    With :math:`\bar\lambda_k` the mean over instances at strengths :math:`w_k`
    (increasing) and :math:`k` the first index with :math:`\bar\lambda_k > 0`,
    the onset is the linear interpolation

    .. math:: w^* = w_{k-1} + (w_k - w_{k-1})\, \frac{0 - \bar\lambda_{k-1}}{\bar\lambda_k - \bar\lambda_{k-1}};

    NaN when no exponent is positive or the first one already is.
    """
    lam = lyapunov["lyapunov"] if isinstance(lyapunov, xr.Dataset) else lyapunov
    if "balance" in lam.dims:
        lam = lam.sel(balance=0.0)
    if "instance" in lam.dims:
        lam = lam.mean("instance")
    lam = lam.sortby("strength")
    m, w = np.asarray(lam.values, float), np.asarray(lam["strength"].values, float)
    positive = np.flatnonzero(m > 0)
    if positive.size == 0 or positive[0] == 0:
        return float("nan")
    k = int(positive[0])
    return float(w[k - 1] + (w[k] - w[k - 1]) * (0 - m[k - 1]) / (m[k] - m[k - 1]))


def lyapunov_agreement(curve: xr.Dataset, onset: float, *, above: float = 1.2) -> str:
    """Where the measured exponent turns positive and how far it lies from mean-field theory above ``above``."""
    w = curve["strength"].values
    gap = np.abs(curve["residual"].values)[w > above]
    where = f"$w \\approx {onset:.2f}$" if np.isfinite(onset) else "no strength of the grid"
    text = f"The measured exponent first turns positive at {where} (theory: 1)."
    if gap.size:
        text += (f" Above $w = {above:g}$ it differs from the mean-field curve by {gap.mean():.3f} on average "
                 f"(largest {gap.max():.3f}).")
    return text


def best_accuracy(maps: xr.Dataset, *, chance: float = 0.1) -> str:
    """The best and worst mean accuracy over the (b, w) grid of ``plotting.phase_diagram`` data."""
    acc = maps["accuracy"]
    best = acc.where(acc == acc.max(), drop=True)
    return (f"Best mean digits accuracy {float(acc.max()):.3f} at $b = {float(best.balance[0]):g}$, "
            f"$w = {float(best.strength[0]):g}$; worst {float(acc.min()):.3f}. Chance level is {chance:g}.")


def undefined_signatures(curves: xr.Dataset, variable: str = "pairwise_correlation") -> str:
    """Where a signature of ``plotting.control_curves`` data is undefined for every instance, per named point.

    The pairwise (Pearson) correlation needs at least two fluctuating neurons,
    so it is undefined where the activity is quiescent or a fixed point.
    """
    control = next(d for d in curves[variable].dims if d in SYMBOLS)
    sym, values = SYMBOLS[control], curves[control].values
    parts = []
    for point in curves["point"].values:
        missing = values[np.isnan(curves[variable].sel(point=point).values)]
        if missing.size == values.size:
            parts.append(f"*{point}* at every ${sym}$")
        elif missing.size:
            parts.append(f"*{point}* at ${sym} = " + series([f"${v:g}$" for v in missing])[1:])
    name = variable.replace("_", " ")
    if not parts:
        return f"The {name} is defined at every point and every ${sym}$."
    return (f"The {name} is undefined, because no neuron fluctuates (quiescent or fixed-point activity), at "
            + "; ".join(parts) + ". Its lines have gaps there.")


def regime_change(change: xr.Dataset) -> str:
    """How many grid points change their majority class between the two ends of the control parameter."""
    sym = SYMBOLS[change.attrs["control"]]
    moved = int((change["low"] != change["high"]).sum())
    return (f"The majority class differs between ${sym} = 0$ and ${sym} = 1$ at {moved} of {change['low'].size} "
            f"grid points; the fraction of chaotic instances changes by {float(change['difference'].mean()):+.3f} "
            "on average over the grid.")


def change_label(regularity: str, quantity: str = "accuracy") -> str:
    """Axis label of a paired change, for example ``accuracy change, $D = 1$ minus $D = 0$``."""
    sym = _symbol(regularity)
    return f"{quantity} change, ${sym} = 1$ minus ${sym} = 0$"


def accuracy_claim(verdict, instances: int, *, matched: bool = False) -> str:
    """Where an accuracy claim (C1, C2, C3) holds, cell by cell: the sentence under its claim table.

    The table above it (:func:`rnnlib.book.claim_table.claim_table`, or for the
    matched reading :func:`rnnlib.claims.verdicts.readings`) gives the verdict, the
    headline change, its interval, p and n; this sentence adds only what they do
    not: where the claim holds (``verdict.where``) and what a single cell can show.
    With :math:`n` instances per cell the smallest two-sided sign-flip p-value one
    cell can reach is :math:`2 / 2^n`. ``matched`` says that the verdict compares
    at matched effective coupling (:func:`rnnlib.experiments.join_matched`).
    """
    claim = verdict.claim.removesuffix(" (matched)")       # a matched row's label already says so
    reading = " at matched effective coupling" if matched or claim != verdict.claim else ""
    return (f"**{claim}{reading}, cell by cell.** The claim {verdict.where}. With {instances} instances per "
            f"cell the smallest two-sided sign-flip p-value a single cell can reach is {2 / 2 ** instances:.2g}. The "
            "verdict rules are stated in the {doc}`synthesis chapter <synthesis>`.")


def accuracy_map(change: xr.Dataset) -> str:
    """Where over the (b, w) grid accuracy rises and falls, from ``plotting.control_maps(..., "accuracy")`` data."""
    d = change["difference"]
    up, down = d.where(d == d.max(), drop=True), d.where(d == d.min(), drop=True)
    return (f"Accuracy rises on {100 * float((d > 0).mean()):.0f}% of the grid; the mean change over the grid is "
            f"{float(d.mean()):+.3f}; the largest rise is {float(d.max()):+.3f} at $b = {float(up.balance[0]):g}$, "
            f"$w = {float(up.strength[0]):g}$, the largest fall {float(d.min()):+.3f} at "
            f"$b = {float(down.balance[0]):g}$, $w = {float(down.strength[0]):g}$.")


def saturation_change(rows: list[dict], regularity: str) -> str:
    """Paired change of the saturation under input per task (rows of ``stats.paired_effects(..., over=("task",))``)."""
    sym = _symbol(regularity)
    cells = "; ".join(f"{r['task']} {r['mean']:+.3f} [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}], p = {r['p_value']:.2g}"
                      for r in rows)
    return (f"Paired change of the saturation under input, ${sym} = 1$ minus ${sym} = 0$, averaged over points within "
            f"each instance: {cells}.")


def saturation_claim(c4) -> str:
    """Claim C4 as measured, from :func:`rnnlib.claims.scorecard.claim_saturation`."""
    return (f"**Claim C4, measured.** Saturation under input changes by {c4.effect:+.4f} (95% CI {c4.ci_low:+.4f} "
            f"to {c4.ci_high:+.4f}, sign-flip p = {c4.p_value:.2g}, n = {c4.n}); {c4.where}. "
            f"Verdict: **{c4.verdict}**.")


def modules_shown(ds: xr.Dataset) -> str:
    """The numbers of modules a dataset sweeps, as prose: ``$K = 2$, $4$, $8$ and $16$``."""
    ks = [f"${int(k)}$" for k in ds["modules"].values]
    return "$K = " + series(ks)[1:]


def modules_change(rows: list[dict], ds: xr.Dataset) -> str:
    """The K values shown and the paired accuracy change per K (rows of ``stats.paired_effects(..., over=("modules",))``)."""
    cells = "; ".join(f"$K = {r['modules']}$: {r['mean']:+.3f} [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}], "
                      f"p = {r['p_value']:.2g}" for r in rows)
    return (f"The figure shows {modules_shown(ds)} modules. Paired accuracy change $M = 1$ minus $M = 0$, averaged "
            f"over points within each instance: {cells}.")


# ---------------------------------------------------------------- theory of each regularity


def predicted_spectra(regularity: str, controls=(0.0, 0.5, 1.0), *, balance: float = 0.0) -> dict:
    """The predicted spectrum of each matrix of :func:`examples`, ``{"D = 0": BulkSpectrum, ...}``.

    ``theory.bulk_radius(EXAMPLE["strength"], balance, **{regularity: c}, n=EXAMPLE["n"])``: the bulk
    (:attr:`~rnnlib.model.theory.BulkSpectrum.outline`) and the outliers at the examples' size, for
    :func:`rnnlib.book.plotting.spectra` (``bulk=``).
    """
    sym = _symbol(regularity)
    return {f"{sym} = {c:g}": theory.bulk_radius(EXAMPLE["strength"], balance, n=EXAMPLE["n"], **{regularity: c})
            for c in controls}


def _bulk_edge(ev: np.ndarray, outliers: int) -> float:
    """Largest modulus of the eigenvalues after the ``outliers`` of largest modulus are set aside."""
    return float(np.sort(np.abs(ev))[::-1][outliers])


def bulk_agreement(spectra: dict) -> str:
    r"""Predicted against measured extent of the bulk, per matrix (data of ``plotting.spectra(..., bulk=)``).

    The extent is the largest modulus: predicted :math:`(1 + |\tau|) r`
    (:attr:`rnnlib.model.theory.BulkSpectrum.extent`), measured as the largest
    modulus of the eigenvalues once as many eigenvalues of largest modulus as
    there are predicted outliers are set aside. It is what decides the linear
    stability of the quiescent state of the map (the unit circle). At small
    :math:`N` the measured edge fluctuates by a few percent around the prediction.
    """
    parts = []
    for label, edge in spectra["bulk"].items():
        measured = _bulk_edge(spectra["eigenvalues"][label], len(spectra["outliers"][label]))
        text = f"${label}$: predicted {float(np.abs(edge).max()):.2f}, measured {measured:.2f}"
        if len(spectra["outliers"][label]):
            shown = [f"{v.real:.2f}" if abs(v.imag) < 1e-12 else f"{v:.2f}" for v in spectra["outliers"][label]]
            counts = {v: shown.count(v) for v in shown}
            text += " (predicted outliers at " + series([v if k == 1 else f"{v}, {k} of them"
                                                       for v, k in counts.items()]) + ")"
        parts.append(text)
    return "Extent (largest modulus) of the bulk: " + "; ".join(parts) + "."


def effective_gain(regularity: str, controls=(0.0, 1.0), *, balance: float = 0.0) -> dict:
    r"""Effective coupling per unit strength at each control value: ``{c: g}``.

    :math:`g(c) = E(b, c)`, the extent (largest modulus) of the predicted bulk at
    :math:`w = 1` (:attr:`rnnlib.model.theory.BulkSpectrum.extent`); the
    network at strength :math:`w` behaves, for the mean-field theory, like a
    baseline network at strength :math:`g w`.
    """
    check_choice("regularity", regularity, REGULARITIES)
    return {float(c): float(theory.bulk_radius(1.0, balance, **{regularity: float(c)}).extent)
            for c in controls}


def lyapunov_theory(curve: xr.Dataset) -> str:
    r"""Where theory puts the loss of stability of the quiet state, where chaos sets in as measured, per control value.

    ``curve`` is the data of ``plotting.lyapunov_curve(phase, gain=...)``. The
    theory's strength is :math:`w = 1/g`, where the effective coupling reaches
    one: the bulk of :math:`w W` reaches the unit circle, so the quiet state
    :math:`x = 0` of the map :math:`x \mapsto \tanh(w W x)` loses its linear
    stability, and the mean-field exponent reaches zero. That is not where
    chaos must start: a symmetric network (:math:`H = 1`) loses the quiet
    state to fixed points or period-2 cycles and never becomes chaotic. The
    measured onset of chaos is :func:`chaos_onset`, where the instance-mean
    largest Lyapunov exponent first turns positive; the distance is the mean of
    :math:`|\lambda - \lambda_{\rm MF}|` over the strengths of the grid.
    """
    control = next(d for d in curve["mean"].dims if d in SYMBOLS)
    parts = []
    for k, c in enumerate(curve[control].values):
        one = curve.sel({control: c})
        w, g = one["strength"].values, one["effective"].values
        predicted = float(w[0] / g[0])
        onset, mean = chaos_onset(one["mean"]), one["mean"].values
        measured = (f"first turns positive (the onset of chaos) at $w \\approx {onset:.2f}$" if np.isfinite(onset) else
                    f"is positive already at the smallest strength, $w = {w.min():g}$" if mean[np.argmin(w)] > 0 else
                    f"stays at or below zero up to $w = {w.max():g}$ (no chaos on the grid)")
        parts.append(f"at ${SYMBOLS[control]} = {c:g}$ the quiet state{' $x = 0$' if k == 0 else ''} loses its "
                     f"stability at $w \\approx {predicted:.2f}$ by theory"
                     + (" (where the mean-field exponent reaches zero)" if k == 0 else "")
                     + f", while the measured mean exponent {measured} and lies on average "
                     f"{float(np.nanmean(np.abs(one['residual'].values))):.3f} from the theory curve")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def matched_coupling(regularity: str, balances) -> str:
    r"""What matched effective coupling means for one regularity, with its rescaling factor over ``balances``.

    The factor is :math:`g = E(b, 0) / E(b, 1)`
    (:func:`rnnlib.model.theory.matched_strength`), the ratio of the extents of
    the predicted bulks at control 0 and control 1 at the same balance; the
    book's matched experiments apply it to the centred part of the matrix only
    (the ``centred`` reading of :mod:`rnnlib.model.matching`).
    """
    sym = _symbol(regularity)
    factors = np.array([theory.matched_strength(1.0, float(b), regularity, 1.0) for b in balances])
    at0 = theory.matched_strength(1.0, 0.0, regularity, 1.0)
    spread = ("by the same factor at every balance of the grid" if np.ptp(factors) < 5e-4
              else f"by ${factors.min():.3f}$ to ${factors.max():.3f}$ over the balances of the grid")
    return (f"*Matched* means that at ${sym} = 1$ the random (centred) part of the matrix, $W - \\mathbb E W$, is "
            f"rescaled so that the predicted bulk reaches as far from the origin as the baseline's at the same "
            f"balance, while the mean structure $\\mathbb E W$, and with it the outlier of the mean weight, is kept: "
            f"both then meet the unit circle at the same strength. The centred part is multiplied by ${at0:.3f}$ at "
            f"$b = 0$ and {spread}.")


def matching_table(regularity: str, constructions, points: dict, *, n: int = 400, seeds=(0,)) -> tuple[str, dict]:
    r"""How fair the matched comparison is, per construction and named point, measured on eigenvalues.

    For each construction of ``regularity`` and each point ``(b, w)`` of ``points``,
    :func:`rnnlib.model.matching.pair_spectra` (``centred`` reading, ``n`` neurons,
    ``seeds``) gives the matched over baseline ratio of the bulk extent and of the
    spectral radius (the leading outlier where there is one). Returns a numbered,
    captioned Markdown table (:func:`rnnlib.book.tables.captioned`) with its verdict
    sentence, and ``{(construction, point): result}``. The eigenvalues depend only on these
    arguments and the code, so the results are kept in the book's cache (:mod:`rnnlib.book.cache`).
    """
    from ..model.matching import TOLERANCE, pair_spectra

    cases = [(c, p, float(b), float(w)) for c in constructions for p, (b, w) in points.items()]
    stored = cache.remembered("matching-table", {"regularity": regularity, "cases": cases, "n": n, "seeds": list(seeds)},
                              lambda: [pair_spectra(regularity, c, b, w, n=n, seeds=seeds) for c, _, b, w in cases])
    results = {(c, p): r for (c, p, _, _), r in zip(cases, stored)}
    rows = ["| construction | point | bulk extent, matched / baseline | spectral radius, matched / baseline | fair |",
            "| --- | --- | --- | --- | --- |"]
    rows += [f"| `{c}` | {p} | {r['bulk_ratio']:.2f} | {r['radius_ratio']:.2f} | {'yes' if r['fair'] else '**no**'} |"
             for (c, p), r in results.items()]
    unfair = [f"`{c}` at {p}" for (c, p), r in results.items() if not r["fair"]]
    verdict = (f"Every pair agrees within {TOLERANCE:.0%} in both." if not unfair else
               f"Fair (both ratios within {TOLERANCE:.0%} of 1) everywhere except {series(unfair)}.")
    caption = (f"How fair the matched comparison is: bulk extent and spectral radius of the matched network over the "
               f"baseline's, per construction and named point ($N = {n}$, {len(seeds)} seed{'s' if len(seeds) > 1 else ''}).")
    return captioned("\n".join(rows), caption) + f"\n\n{verdict}", results


def effective_onset(curve: xr.Dataset) -> str:
    r"""Measured onset of chaos over the strength where the bulk theory puts the loss of stability, per control value.

    ``curve`` is the data of ``plotting.lyapunov_curve(phase, gain=...)``. The
    bulk alone puts the loss of stability of the quiet state at :math:`w = 1/g`
    (see :func:`lyapunov_theory`); the measured onset of chaos is
    :func:`chaos_onset` of the mean exponent. Their ratio says how much earlier
    (below one) or later the network becomes chaotic than its bulk loses the
    quiet state; control values without a measured onset are left out.
    """
    control = next(d for d in curve["mean"].dims if d in SYMBOLS)
    parts = []
    for c in curve[control].values:
        one = curve.sel({control: c})
        predicted = float(one["strength"].values[0] / one["effective"].values[0])
        onset = chaos_onset(one["mean"])
        if np.isfinite(onset):
            parts.append(f"${SYMBOLS[control]} = {c:g}$: {onset / predicted:.2f}")
    if not parts:
        return ("No measured onset of chaos lies on the strength grid, so it cannot be compared with the strength "
                "where the bulk predicts the quiet state to lose its stability.")
    return ("Measured onset of chaos (the mean exponent turns positive) over the strength where the bulk predicts the "
            "quiet state to lose its stability ($w = 1/g$): " + "; ".join(parts) + ".")


# ---------------------------------------------------------------- openers and "what we found" boxes

#: Words a reader reads per minute, for a page's reading time (a common estimate for technical prose).
READING_SPEED = 200
_MARKUP = re.compile(r"\$\$.*?\$\$|```.*?```|\{\w+\}`[^`]*`|\([\w-]+\)=|<[^>]+>", re.S)


def reading_minutes(notebook) -> int:
    r"""Minutes to read the text cells of a notebook: :math:`\lceil \text{words} / \text{READING\_SPEED} \rceil`.

    Words are the whitespace-separated tokens of the Markdown cells once display
    math, fenced blocks, roles and labels are set aside; at least one minute.
    """
    cells = json.loads(Path(notebook).read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return max(1, math.ceil(len(_MARKUP.sub(" ", text).split()) / READING_SPEED))


def duration(seconds: float) -> str:
    """A duration in words: seconds below two minutes, minutes below two hours, hours beyond."""
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}")
    if seconds < 120:
        return f"{max(1, round(seconds))} s"
    if seconds < 7200:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def glossary_terms(path=None) -> set:
    """The terms (lower case) that the book's glossary (``glossary.md``) defines."""
    text = Path(path if path is not None else _ROOT / "glossary.md").read_text()
    block = re.search(r"```\{glossary\}\n(.*?)```", text, re.S)
    return {line.strip().lower() for line in (block.group(1) if block else "").splitlines()
            if line.strip() and not line.startswith((" ", "\t"))}


def _term(word: str, terms) -> str:
    return f"{{term}}`{word}`" if word.lower() in terms else word


def opener(name: str, goals, prerequisites=(), *, experiments=(), profile: str = "paper", store_root=None) -> str:
    r"""The box at the top of a chapter: goals, prerequisites and the time to read and to rerun it, as MyST.

    ``goals`` are what a reader will be able to say or do (MyST, glossary terms
    linked by the caller); ``prerequisites`` are ``(document, what of it)``
    pairs, linked with ``{doc}``, or ideas in words (strings). The times are measured, never typed:
    reading time by :func:`reading_minutes` of ``chapters/<name>.ipynb``; and, for
    ``experiments``, the sum of the wall times that
    the ``profile``'s manifest records for them (:func:`rnnlib.pipeline.cost.measured_seconds`),
    the time that recomputing the chapter's data from nothing took on the machine that made them, under
    whatever load it had (so the box calls it recorded wall time, not cost). (The time to execute the
    notebook is not shown: it would make the executed chapter depend on the previous build, which
    neither its fingerprint nor a reader rerunning it has; the README's build table gives it.)
    """
    goals = list(goals)
    if not goals:
        raise ValueError("goals must name at least one thing the reader will be able to do, got none")
    lines = ["```{admonition} In this chapter", ":class: rnnlib-opener", "", "**You will be able to**", ""]
    lines += [f"- {g}" for g in goals]
    needs = [item if isinstance(item, str) else f"{{doc}}`{item[0]}` ({item[1]})" for item in prerequisites]
    lines += ["", "**Before you start:** " + ("; ".join(needs) + "." if needs else
                                              "nothing beyond the {doc}`introduction <../intro>`.")]
    times = [f"about {reading_minutes(_ROOT / 'chapters' / f'{name}.ipynb')} min to read"]
    if experiments:
        measured = [cost.measured_seconds(e, profile, store_root) for e in experiments]
        if all(m is not None for m in measured):
            what = "its experiment" if len(measured) == 1 else f"its {len(measured)} experiments"
            times.append(f"recorded wall time to recompute {what} from nothing: {duration(sum(measured))} ({profile} "
                         "profile, as its manifest records it; wall time depends on the machine and on its load, "
                         "so it is not the computing cost)")
    lines += ["", "**Time:** " + "; ".join(times) + ".", "```"]
    return "\n".join(lines)


def _quantity(measured: str) -> str:
    """What a row measured, up to its first comma or semicolon outside brackets and math, capitalised."""
    depth, math_mode = 0, False
    for k, ch in enumerate(measured):
        depth += ch in "([{" and not math_mode
        depth -= ch in ")]}" and not math_mode
        math_mode ^= ch == "$"
        if ch in ",;" and depth == 0 and not math_mode:
            measured = measured[:k]
            break
    return measured[:1].upper() + measured[1:]


def findings(rows, notes=(), *, terms=None) -> str:
    r"""The closing "What we found" box of a chapter, from its verdict rows, as MyST.

    One bullet per row of :mod:`rnnlib.claims.scorecard` (a :class:`~rnnlib.claims.verdicts.ClaimResult`):
    the claim's statement, its verdict word (linked to the glossary when ``terms``,
    by default :func:`glossary_terms`, defines it), what the headline measures (the
    row's ``measured`` up to its first clause), the headline effect with its 95%
    interval (:func:`rnnlib.claims.verdicts.effect_text`), the p-value and the
    number of instances; with more than three rows a tally of the verdict words
    first. ``notes`` are further computed sentences, one bullet each.
    """
    rows, notes = list(rows), list(notes)
    if not rows and not notes:
        raise ValueError("findings needs at least one verdict row or note, got none")
    terms = glossary_terms() if terms is None else {t.lower() for t in terms}
    lines = ["```{admonition} What we found", ":class: rnnlib-findings", ""]
    if len(rows) > 3:
        tally = Counter(r.verdict for r in rows)
        lines += [f"Verdicts over {len(rows)} rows: " + ", ".join(
            f"{k} **{_term(w, terms)}**" for w, k in sorted(tally.items(), key=lambda wk: (-wk[1], wk[0]))) + ".", ""]
    for r in rows:
        statement = "The same claim at matched effective coupling." if r.claim.endswith("(matched)") else r.statement
        p = p_text(r.p_value, "p = ")
        p = (f", {p}" + (f" (not counted, since {UNCOUNTED_REASON})" if uncounted(r) else "")
             if p.startswith("$") else "")
        lines.append(f"- **{r.claim}**: {statement} Verdict: **{_term(r.verdict, terms)}**. {_quantity(r.measured)}: "
                     f"{effect_text(r)}{p}, $n = {r.n}$ instances.")
    lines += [f"- {n}" for n in notes]
    lines.append("```")
    return "\n".join(lines)
