r"""The scorecard a reader sees first: one line per claim in plain words, with direction, verdict, effect and robustness.

A :class:`ClaimLine` condenses one claim's :class:`~rnnlib.claims.verdicts.ClaimResult`
(C0 to C8) into what a student needs at a glance:

- the claim in plain words (:data:`PLAIN`) and its claimed direction;
- the *found* direction: the sign of the headline effect when its test is
  significant at the row's :math:`\alpha`, otherwise "no significant change"
  (for C0, the majority rule of :func:`rnnlib.claims.scorecard.claim_phase_sequence`;
  for C5 and C6, a negative headline minimum is marked *not counted*, as their
  rule never counts it; for C7 and C8, whose parts can make a verdict
  *conditional* without the headline, the signals that are significant);
- the verdict word (:data:`rnnlib.claims.verdicts.WORDS`); the tests its rule
  cannot count at this number of instances (C5, C6:
  :func:`rnnlib.claims.boundaries.instance_limits`) open the robustness column, marked "power";
- the headline effect with its 95% interval in one unit per row
  (:data:`UNITS`): accuracy changes in *accuracy points* (percentage points,
  :math:`100\,\Delta a`), C4 in mean :math:`|x|`, C8 in points of the share of
  the grid, C0 as the share of instances;
- :math:`n`, the instances (the unit of every test);
- robustness notes: the matched-coupling reading, the claim's share of
  supporting specifications and its joint sign-flip p-values
  (:func:`specification_note`), the sensitivity readings that reverse the
  direction, or, when the reference reading's change is not significant, those
  significant either way (:func:`reversal_note`), and the claim's own further tests (the
  strengths where C0's sequence holds, C7's points and saturation gap, C8's
  flatness, C4's link, C5 and C6 per input strength).

:func:`table` renders lines as one Markdown table with the glossary of the
verdict words and units it uses underneath; a ``wrap`` (the book passes
:func:`rnnlib.book.tables.captioned`) numbers and captions it. Every number comes
from the results passed in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import boundaries
from .protection import gain_control_found
from .verdicts import UNCOUNTED_REASON, glossary, number, pooled_reference, uncounted
from .verdicts import p_plain as _p

__all__ = ["PLAIN", "UNITS", "ClaimLine", "line", "found_direction", "specification_note", "reversal_note",
           "inputs_note", "table"]

#: Claim -> (the claim in plain words, the claimed direction, words for a rise and for a fall of the effect).
PLAIN = {
    "C0": ("Baseline, strong coupling: oscillation, chaos, then fixed points as $b$ rises",
           "this sequence at the strongest coupling", "", ""),
    "C1": ("Dale's law (each neuron only excites or only inhibits) raises accuracy", "up", "up", "down"),
    "C2": ("Modularity (groups of strongly coupled neurons) raises accuracy", "up", "up", "down"),
    "C3": ("Reciprocity (symmetric pairs of connections) lowers accuracy", "down", "up", "down"),
    "C4": ("Reciprocity lowers accuracy by saturating the neurons", "saturation up", "saturation up",
           "saturation down"),
    "C5": ("Baseline accuracy peaks at both edges of the chaotic band", "edges above both sides",
           "edges above their sides", "an edge below a side"),
    "C6": ("Chaos costs accuracy: the ordered phases beside it do better", "ordered phases better",
           "ordered phases better", "chaos better"),
    "C7": ("Weak rows (a few neurons with weaker inputs) raise accuracy at strong coupling", "up", "up", "down"),
    "C8": ("Gain control keeps accuracy high over a wider region of $(b, w)$", "more of the grid near the best",
           "more of the grid near the best", "less of the grid near the best"),
}
#: Claim -> (factor applied to the headline effect, its unit).
UNITS = {
    "C0": (100.0, "% of instances"),
    **{c: (100.0, "accuracy points") for c in ("C1", "C2", "C3", "C5", "C6", "C7")},
    "C4": (1.0, "mean |x| under input"),
    "C8": (100.0, "points of the grid's share"),
}
#: One line on each unit, for the notes under a table.
UNIT_NOTES = {
    "accuracy points": "**accuracy points**: percentage points of test accuracy (a change of 0.01 in the fraction "
                       "of test samples classified correctly).",
    "mean |x| under input": r"**mean |x| under input**: the saturation, the average magnitude of the "
                               r"neurons' activity $|x_i(t)|$ (from 0 to 1) while the reservoir is driven.",
    "points of the grid's share": "**points of the grid's share**: percentage points of the share of the $(b, w)$ "
                                  "grid whose accuracy lies near the best baseline accuracy.",
    "% of instances": "**% of instances**: the share of network instances in the expected regime at the strongest "
                      "coupling, the smallest over the three balances tested.",
}
#: The class a ``wrap`` gives the table: the book's style sheet fits its seven columns to the text column.
CSS_CLASS = "rnnlib-claims"
#: Decimals shown per claim (default 1).
DIGITS = {"C0": 0, "C4": 3}
#: Claimed sign of each claim's headline effect (C0 has a majority rule instead).
SIGN = {"C1": 1, "C2": 1, "C3": -1, "C4": 1, "C5": 1, "C6": 1, "C7": 1, "C8": 1}


@dataclass(frozen=True)
class ClaimLine:
    """One claim as the scorecard shows it (see the module docstring); ``effect`` etc. are in ``unit``."""

    claim: str
    words: str
    claimed: str
    found: str
    verdict: str
    effect: float
    ci_low: float
    ci_high: float
    unit: str
    n: int
    robustness: tuple = ()
    words_used: tuple = ()
    verdict_note: str = ""


def _plain(x, digits: int = 1, *, signed: bool = True) -> str:
    """A number as plain text with a true minus sign (plain text wraps inside a narrow column; math does not)."""
    return number(x, digits, signed=signed).replace("-", "\u2212")


def _claim(result) -> str:
    name = result.claim.split(" ")[0]
    if name not in PLAIN:
        raise ValueError(f"result.claim must be one of {sorted(PLAIN)} (optionally '(matched)'), got {result.claim!r}")
    return name


def found_direction(result) -> str:
    """The direction the data show: the headline's sign word when its p is below the row's alpha, with the p-value.

    C0: the strengths at which the majority sequence holds (its rule has no test). C5, C6: a
    significant negative headline minimum is prefixed "not counted", since the rule never counts it
    (:func:`rnnlib.claims.verdicts.uncounted`). C7: with a pooled change that is not significant,
    the points and the saturation gap that are. C8: both its signals
    (:func:`rnnlib.claims.protection.gain_control_found`).
    """
    claim = _claim(result)
    if claim == "C0":
        held = [d["strength"] for d in result.details
                if min(d["periodic_at_min_b"], d["chaotic_at_b0"], d["fixed_at_max_b"]) > 0.5]
        return ("the sequence at *w* = " + ", ".join(f"{w:g}" for w in held)) if held else "at no strength"
    if claim == "C8":
        return gain_control_found(result)
    _, _, up, down = PLAIN[claim]
    p = _p(result.p_value)
    if not (math.isfinite(float(result.p_value)) and result.p_value < result.alpha):
        return f"no significant change ({p})" + (_weak_rows_signals(result) if claim == "C7" else "")
    if uncounted(result):
        return f"not counted: {down} ({p}), since {UNCOUNTED_REASON}"
    return f"{up if result.effect > 0 else down} ({p})"


def _weak_rows_signals(result) -> str:
    """C7's significant signals besides the pooled change: strong points up or down, the saturation gap."""
    points = [d["outcome"] for d in result.details if "outcome" in d]
    said = [f"{k} strong point{'s' if k > 1 else ''} {word}"
            for k, word in ((points.count("holds"), "up"), (points.count("against"), "down")) if k]
    said += [f"saturation gap {'wider' if s['mean'] > 0 else 'narrower'} ({_p(s['p_value'])})"
             for s in result.secondary if s["p_value"] < result.alpha]
    return "; significant: " + ", ".join(said) if said else ""


def _scaled(claim, value) -> float:
    return UNITS[claim][0] * float(value)


def _effect(claim, value) -> str:
    return _plain(_scaled(claim, value), DIGITS.get(claim, 1))


def _matched_note(matched) -> str:
    return f"matched coupling: **{matched.verdict}** ({_effect(_claim(matched), matched.effect)}, {_p(matched.p_value)})"


def _own_notes(result) -> list[str]:
    """Robustness notes a result carries itself: C4's link, C7's points and saturation gap, C8's flatness."""
    claim = _claim(result)
    notes = []
    if claim == "C4":
        for s in result.secondary:
            where = "matched coupling" if "matched" in s["what"] else "same strength"
            notes.append(f"link at {where}: r = {_plain(s['mean'], 2)} ({_p(s['p_value'])})")
    elif claim == "C7":
        points = [d for d in result.details if "outcome" in d]
        rise = sum(d["outcome"] == "holds" for d in points)
        fall = sum(d["outcome"] == "against" for d in points)
        notes.append(f"{rise} of {len(points)} strong points rise, {fall} fall")
        for s in result.secondary:
            notes.append(f"saturation gap, rest minus weak: {_plain(s['mean'], 3)} ({_p(s['p_value'])})")
    elif claim == "C8":
        for s in result.secondary:
            notes.append(f"accuracy spread over the grid {number(abs(100 * s['mean']), 1)} points "
                         f"{'smaller' if s['mean'] > 0 else 'larger'} ({_p(s['p_value'])})")
    return notes


def line(result, *, matched=None, notes=()) -> ClaimLine:
    """The :class:`ClaimLine` of ``result`` (a ``ClaimResult`` of C0 to C8).

    ``matched``, the same claim at matched coupling (a row labelled ``"C1 (matched)"``), and ``notes``
    (strings, e.g. :func:`specification_note`) are added to the robustness column, after the notes the
    result carries itself.
    """
    claim = _claim(result)
    if matched is not None and _claim(matched) != claim:
        raise ValueError(f"matched must be the same claim as result ({claim}), got {matched.claim!r}")
    words, claimed, _, _ = PLAIN[claim]
    robustness = ([_matched_note(matched)] if matched is not None else []) + _own_notes(result) + list(notes)
    used = (result.verdict,) + ((matched.verdict,) if matched is not None else ())
    limits = (boundaries.instance_limits(claim, int(result.n), result.alpha)
              if claim in ("C5", "C6") and result.verdict != "not testable" else "")
    return ClaimLine(claim, words, claimed, found_direction(result), result.verdict, _scaled(claim, result.effect),
                     _scaled(claim, result.ci_low), _scaled(claim, result.ci_high), UNITS[claim][1], int(result.n),
                     tuple(n for n in robustness if n), used, limits)


def specification_note(joint, against: int) -> str:
    """The share of specifications supporting a claim and its joint sign-flip p-values, from a
    :class:`rnnlib.statistics.specification.JointTest` and the number of specifications significant against it."""
    return (f"specifications: {number(100 * joint.share, 0)}% of {joint.specifications} for, "
            f"{number(100 * against / joint.specifications, 0)}% against, joint {_p(joint.count_p)} (count), "
            f"{_p(joint.median_p)} (median)")


def reversal_note(direction_rows, regularity: str, claim: str, *, alpha=0.05) -> str:
    """What the sensitivity variants do to the direction of ``regularity``'s accuracy change, pooled over the points.

    ``direction_rows`` are those of :func:`rnnlib.claims.scorecard.direction_rows`. When the
    reference variant's pooled change is significant (:math:`p <` ``alpha``), the note names the
    variants that *reverse* it (opposite sign with their own :math:`p < \\alpha`), or says that none
    of the other variants does, and adds how many single-point entries of the sensitivity table are
    marked reversed. When it is not significant there is no direction to reverse: the note names the
    variants whose own pooled change is significant for the claim and against it (unadjusted p).
    """
    reference, others = pooled_reference(direction_rows, regularity)
    sign = SIGN[claim]
    named = lambda rows: ", ".join(f"`{r['variant']}` ({_effect(claim, r['mean'])})" for r in rows)
    if not reference["p_value"] < alpha:
        significant = [r for r in others if r["p_value"] < alpha]
        towards = [r for r in significant if np.sign(r["mean"]) == sign]
        away = [r for r in significant if np.sign(r["mean"]) != sign]
        text = (f"sensitivity (digits task): `{reference['variant']}` itself changes digits accuracy by "
                f"{_effect(claim, reference['mean'])} "
                f"({_p(reference['p_value'])}), so there is no direction to reverse; pooled over the points, ")
        said = ([f"for the claim under {named(towards)}"] if towards else []) + (
            [f"against {'it' if towards else 'the claim'} under {named(away)}"] if away else [])
        return text + (f"significant (unadjusted p < {alpha:g}) " + "; ".join(said) if said
                       else f"none of the {len(others)} other variant{'s' if len(others) != 1 else ''} changes it "
                                  "significantly")
    flipped = [r for r in others if r["outcome"] == "reversed"]
    if flipped:
        text = "pooled over the points, reversed by " + ", ".join(
            f"`{r['variant']}` ({_effect(claim, r['mean'])}, "
            f"{'the claimed direction' if np.sign(r['mean']) == sign else 'against the claim'})" for r in flipped)
    else:
        text = (f"pooled over the points, none of the {len(others)} sensitivity variant{'s' if len(others) != 1 else ''} "
                "reverses the direction")
    points = [r for r in direction_rows if r["regularity"] == regularity and r["point"] != "all"
              and r["variant"] != reference["variant"]]
    marked = sum(r["outcome"] == "reversed" for r in points)
    if marked:
        text += f"; at single points, {marked} of {len(points)} entries reverse it"
    return text


def inputs_note(results, claim: str) -> str:
    """C5 or C6 per input strength (:func:`rnnlib.claims.boundaries.by_variant` results) as one note."""
    if claim not in ("C5", "C6"):
        raise ValueError(f"claim must be 'C5' or 'C6', got {claim!r}")
    key = claim.lower()
    words = [r[key].verdict for r in results]
    if len(set(words)) == 1:
        return f"**{words[0]}** at each of the {len(words)} input strengths"
    return "by input strength: " + ", ".join(f"{r['variant'].split('=')[-1]} **{r[key].verdict}**" for r in results)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(lines, wrap=None, caption: str | None = None) -> str:
    """The lines as one Markdown table, then the glossary of the verdict words and the units it uses.

    Columns: claim (label and plain words), claimed direction, found direction, verdict, effect
    [95% CI] with its unit, :math:`n` (instances), robustness. Numbers are plain text, so they wrap
    in a narrow column. ``wrap(table, caption, css_class=CSS_CLASS)``, when given, turns the table
    and ``caption`` (default: a caption naming the claims) into the text shown.
    """
    lines = list(lines)
    if not lines:
        raise ValueError("lines must hold at least one ClaimLine")
    rows = ["| claim | claimed | found | verdict | effect [95% CI] | $n$ | robustness |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for x in lines:
        digits = DIGITS.get(x.claim, 1)
        interval = (f" [{_plain(x.ci_low, digits)}, {_plain(x.ci_high, digits)}]"
                    if math.isfinite(x.ci_low) and math.isfinite(x.ci_high) else "")
        space = "" if x.unit.startswith("%") else " "
        effect = f"{_plain(x.effect, digits, signed=x.claim != 'C0')}{interval}{space}{x.unit}"
        rows.append("| " + " | ".join(_cell(c) for c in (
            f"**{x.claim}** {x.words}", x.claimed, x.found,
            f"**{x.verdict}**", effect, str(x.n),
            "; ".join(([f"power: {x.verdict_note}"] if x.verdict_note else []) + list(x.robustness)) or "–")) + " |")
    text = "\n".join(rows)
    if wrap is not None:
        names = [x.claim for x in lines]
        caption = caption or (f"Claim{'s' if len(names) > 1 else ''} {', '.join(names)}: claimed and found direction, "
                              "verdict, headline effect with its 95% interval and unit, instances $n$, and how the "
                              "finding holds up under other readings.")
        text = wrap(text, caption, css_class=CSS_CLASS)
    words = [w for x in lines for w in x.words_used]
    units = [UNIT_NOTES[u] for u in dict.fromkeys(x.unit for x in lines) if u in UNIT_NOTES]
    return text + "\n\n" + glossary(words) + "\n" + "\n".join(f"- {u}" for u in units)
