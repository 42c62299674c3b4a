r"""Verdicts for readers: the verdict words, the scorecard, its cell lists and its region maps as Markdown.

The verdict words (:data:`WORDS`) and the rule that turns significant findings
into one of them (:func:`decide`) are defined here, before any data, and used by
every claim of :mod:`rnnlib.claims.scorecard` and :mod:`rnnlib.claims.boundaries`.
A claim's test yields significant findings *for* it (in the claimed direction)
and *against* it (in the opposite direction), each at the rule's family-wise
level: a pooled *headline* test and tests of its *parts* (task-point cells,
single boundaries, ...). Then

- **supported**: the headline is significant in the claimed direction and
  nothing is significant against;
- **conditional**: some parts are significant in the claimed direction, the
  headline is not, and nothing is significant against: the claim holds only
  where those parts are (some tasks or points, one of two boundaries). It is
  kept as a word of its own because the claims are general ("modularity raises
  accuracy"): a few cells that agree do not establish a general claim, while a
  single significant counterexample contradicts it;
- **mixed**: significant findings in both directions (the headline or parts
  for, other parts or the headline against);
- **contradicted**: significant findings against the claim and none for it;
- **no evidence**: nothing significant in either direction, which at the
  given number of instances is not a proof that there is no effect.

Two words belong to single claims: **association only** (C4, a mechanism: its
association holds but a further condition of the mechanism fails, see
:func:`rnnlib.claims.scorecard.claim_saturation`) and **not testable** (the data
lack what a rule needs, e.g. no chaotic band for C5 and C6). :func:`glossary`
renders a one-line gloss of each word, shown wherever a verdict table is.

The rest are pure functions from the results of :mod:`rnnlib.claims.scorecard` to MyST
Markdown strings (tables and sentences, math in ``$...$``), so a chapter shows a
verdict with one call. Every function that prints a table takes ``wrap(table, caption)``:
the book passes :func:`rnnlib.book.tables.captioned` (a higher layer) to number and
caption it; without it the bare table is returned. Numbers are formatted by :func:`number` (no "-0.000") and
:func:`p_text` (powers of ten below 0.001).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..statistics.wording import series

__all__ = ["WORDS", "SUPPORTIVE", "HEADLINE_MINIMA", "decide", "uncounted", "UNCOUNTED_REASON", "glossary", "ClaimResult", "number", "p_text", "p_plain", "effect_text",
           "claim_list", "cell_table", "cluster_table", "coverage_text", "readings",
           "boundary_table", "baseline_agreement", "inputs_table", "direction_table", "pooled_reference"]

#: The verdict words with their one-line glosses, in the order a glossary lists them.
WORDS = {
    "supported": "significant in the claimed direction by the claim's rule, and nothing significant against it; the "
                 "rule tests the pooled change for C1 to C3 and C5 to C7, the share of the grid near the best for C8, "
                 "and has a form of its own for C0 (a majority rule) and C4 (a mechanism).",
    "conditional": "significant in the claimed direction only in part (some cells, one boundary, a weaker "
                   "coupling), not in the pooled test, and nothing significant against it.",
    "mixed": "significant findings both for and against the claim (cells or tests in both directions).",
    "contradicted": "significant in the opposite direction, and nothing significant for the claim.",
    "no evidence": "nothing significant in either direction (for C4: not both its rise and its link), so no effect "
                   "detectable with these instances, which does not prove that there is none.",
    "association only": "(C4) saturation rises and goes with the accuracy loss across instances, but the "
                        "mechanism fails a further test: the effect claim C3 is not supported, or at matched "
                        "coupling the link is not there.",
    "not testable": "the data lack what the rule needs (for C5 and C6: no chaotic band between ordered phases).",
}
#: Words that count as (at least partial) support of a claim and nothing against it.
SUPPORTIVE = ("supported", "conditional")
#: The headlines that are a minimum over two noisy means, by claim (``measured`` of the rows of
#: :mod:`rnnlib.claims.boundaries`). Such a minimum leans negative even without any effect, so
#: the rules never count it against the claim (:func:`uncounted`).
HEADLINE_MINIMA = {
    "C5": "accuracy at the boundary minus the better of its two sides, worse boundary, per instance",
    "C6": "accuracy of the ordered cells next to the chaotic band minus accuracy in the band, worse side, per instance",
}


def decide(headline_for: bool, headline_against: bool, parts_for: int, parts_against: int) -> str:
    """The verdict word from a claim's significant findings (rule in the module docstring).

    ``headline_for`` / ``headline_against``: the pooled test is significant with
    the claimed / the opposite sign; ``parts_for`` / ``parts_against``: how many
    parts (cells, boundaries) are significant with the claimed / the opposite sign.
    """
    evidence_for, evidence_against = headline_for or parts_for > 0, headline_against or parts_against > 0
    if evidence_for and evidence_against:
        return "mixed"
    if evidence_for:
        return "supported" if headline_for else "conditional"
    return "contradicted" if evidence_against else "no evidence"


#: Why the rules never count a negative headline minimum (:func:`uncounted`), in the words of every text that says so.
UNCOUNTED_REASON = "a minimum of two noisy means leans negative even without any effect"


def uncounted(row) -> bool:
    """True when ``row`` shows a headline minimum (:data:`HEADLINE_MINIMA`) below zero, whose p never counts against it."""
    claim = row.claim.split(" ")[0]
    return row.measured == HEADLINE_MINIMA.get(claim) and row.effect < 0


def glossary(words) -> str:
    """One Markdown bullet per verdict word that occurs in ``words`` (strings or rows with a ``verdict``), in :data:`WORDS` order."""
    used = {getattr(w, "verdict", w) for w in words}
    unknown = used - set(WORDS)
    if unknown:
        raise ValueError(f"words must be verdict words {sorted(WORDS)}, got {sorted(unknown)}")
    return "\n".join(f"- **{w}**: {gloss}" for w, gloss in WORDS.items() if w in used)


_DASH = "–"


def _wrapped(table: str, caption: str, wrap) -> str:
    """``wrap(table, caption)`` when a ``wrap`` is given, else the bare table."""
    return table if wrap is None else wrap(table, caption)


def _grid_table(corner: str, headings, rows, columns, row_label, entry) -> str:
    """Markdown table with a row per item of ``rows`` and a column per item of ``columns``.

    ``headings`` label the columns, ``row_label(row)`` the rows; ``entry(row, column)`` gives a
    cell's text, or ``None`` for a dash.
    """
    lines = [f"| {corner} | " + " | ".join(headings) + " |", "| --- |" + " --- |" * len(columns)]
    for r in rows:
        cells = [entry(r, c) for c in columns]
        lines.append(f"| {row_label(r)} | " + " | ".join(_DASH if x is None else x for x in cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class ClaimResult:
    """One row of the scorecard (computed by :mod:`rnnlib.claims.scorecard` and :mod:`rnnlib.claims.boundaries`).

    ``effect``, ``ci_low``, ``ci_high``, ``p_value`` and ``n`` describe the
    headline measurement (``measured`` says what it is); ``where`` says in a
    short phrase where the claim holds; ``details`` holds the per-cell rows
    (dicts with ``task``, ``point``, ``mean``, ``ci_low``, ``ci_high``,
    ``p_value``, ``n`` and, for cell tests, the Holm-adjusted ``p_holm`` and the
    ``outcome`` "holds", "against" or ""); ``secondary`` holds further tests
    (dicts with ``what`` and the fields of a paired result; ``holm``, when present, is the size of the
    family over which their ``p_value`` is Holm-adjusted), ``alpha`` the level.
    ``claim`` is the row's label, e.g. "C1" or "C1 (matched)". ``coverage``, when
    a :math:`(b, w)` map was tested, is the pair of shares of its cells inside
    significant clusters with the claimed and with the opposite sign.
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
    secondary: tuple = ()
    alpha: float = 0.05
    coverage: tuple = ()


def number(x, digits: int = 3, *, signed: bool = False) -> str:
    """``x`` with ``digits`` decimals (and a sign when ``signed``); a dash for NaN; never a negative zero."""
    if x is None or not math.isfinite(float(x)):
        return _DASH
    text = f"{float(x):{'+' if signed else ''}.{digits}f}"
    if float(text) == 0:
        text = f"{0.0:{'+' if signed else ''}.{digits}f}"
    return text


def p_text(p, label: str = "") -> str:
    r"""A p-value as math: two significant digits, :math:`a \times 10^{-k}` below 0.001; a dash for NaN.

    ``label`` goes in front inside the math, e.g. ``p_text(0.01, "p = ")`` gives ``$p = 0.01$``.
    """
    if p is None or not math.isfinite(float(p)):
        return _DASH
    p = float(p)
    if p >= 0.001:
        return f"${label}{p:.2g}$"
    mantissa, exponent = f"{p:.1e}".split("e")
    return rf"${label}{mantissa} \times 10^{{{int(exponent)}}}$"


def p_plain(p) -> str:
    """A p-value as short plain text: "p < 0.001" below a thousandth, else two significant digits; "p n/a" for NaN."""
    if p is None or not math.isfinite(float(p)):
        return "p n/a"
    return "p " + ("< 0.001" if float(p) < 0.001 else f"= {float(p):.2g}")


def _interval(mean, low, high, digits=3) -> str:
    text = f"${number(mean, digits, signed=True)}$"
    if math.isfinite(float(low)) and math.isfinite(float(high)):
        text += f" [${number(low, digits, signed=True)}$, ${number(high, digits, signed=True)}$]"
    return text


def effect_text(row) -> str:
    """The headline number of a scorecard row: effect [95% CI], or for C0 the three shares at the strongest coupling."""
    if row.claim == "C0":
        s = row.details[-1]
        return (f"shares periodic {number(s['periodic_at_min_b'], 2)}, chaotic {number(s['chaotic_at_b0'], 2)}, "
                f"fixed point {number(s['fixed_at_max_b'], 2)} at $w = {s['strength']:g}$")
    return _interval(row.effect, row.ci_low, row.ci_high, 4)


def claim_list(rows) -> str:
    """One bullet per claim: the statement, what was measured, the verdict and where it holds.

    A matched-coupling row ("C1 (matched)") refers to its claim instead of repeating the statement. A
    further test whose dict has ``holm`` (the size of its family) prints its p as Holm-adjusted and its
    interval as unadjusted.
    """
    items = []
    for r in rows:
        statement = "The same claim, compared at matched effective coupling." if r.claim.endswith("(matched)") \
            else r.statement
        text = f"- **{r.claim}**: {statement} *Measured:* {r.measured}. *Verdict:* **{r.verdict}**; {r.where}."
        for s in r.secondary:
            adjusted = (f" Holm-adjusted over the {s['holm']} tests of its family, interval unadjusted"
                        if s.get("holm") else "")
            text += (f" *Also:* {s['what']}: mean {_interval(s['mean'], s['ci_low'], s['ci_high'], 2)}, "
                     f"{p_text(s['p_value'], 'p = ')}{adjusted}, $n = {s['n']}$.")
        items.append(text)
    return "\n".join(items)


def cell_table(row, wrap=None) -> str:
    r"""The per-cell results of a scorecard row as a task-by-point Markdown table.

    Each entry is the mean paired change :math:`\Delta` over the instances and
    its Holm-adjusted p-value, marked **holds** or **against** where that p is
    below the row's :math:`\alpha` with the claimed or the opposite sign.
    ``wrap``: see the module docstring.
    """
    if not row.details or "p_holm" not in row.details[0]:
        raise ValueError(f"row must be an accuracy or saturation claim with per-cell tests, got {row.claim}")
    points = list(dict.fromkeys(d["point_name"] for d in row.details))
    tasks = list(dict.fromkeys(d["task"] for d in row.details))
    where = {(d["task"], d["point_name"]): d for d in row.details}
    heads = []
    for p in points:
        d = next(x for x in row.details if x["point_name"] == p)
        heads.append(f"{p} ($b = {d['balance']:g}$, $w = {d['strength']:g}$)")
    def entry(t, p):
        d = where.get((t, p))
        if d is None:
            return None
        mark = f" **{d['outcome']}**" if d["outcome"] else ""
        return f"${number(d['mean'], 3, signed=True)}$, {p_text(d['p_holm'])}{mark}"

    changed = "saturation under input" if "saturation" in row.measured else "accuracy"
    return _wrapped(_grid_table("task", heads, tasks, points, str, entry),
                    f"{row.claim}, verdict {row.verdict}, cell by cell: mean paired change of {changed} per task and "
                    "named point with its Holm-adjusted $p$; look for the cells marked holds or against.", wrap)


def _span(values) -> str:
    lo, hi = float(np.min(values)), float(np.max(values))
    return f"${lo:g}$" if lo == hi else f"${lo:g}$ to ${hi:g}$"


def cluster_table(region, *, rows: int = 6, wrap=None) -> str:
    r"""The clusters of a :func:`rnnlib.claims.scorecard.claim_region` map as a Markdown table, heaviest first.

    Lists the ``rows`` clusters with the largest :math:`|\text{mass}|` (every
    significant one, whatever ``rows``; equal masses in the order of their ids), with their direction relative to the
    claim, size, extent in :math:`b` and :math:`w`, mass and permutation p-value,
    and a last line with the test's settings and its smallest attainable p. ``wrap``: see the module docstring.
    """
    a = region.attrs
    exact = "all" if a["exhaustive"] else "a seeded sample of"
    note = (f"Cluster-forming threshold $|t| > {a['threshold']:.2f}$; {exact} {a['flips']} sign patterns of "
            f"the {a['instances']} instances; smallest attainable {p_text(a['min_p'], 'p = ')}.")
    k = region.sizes.get("cluster_id", 0)
    if k == 0:
        return "No cluster: no cell passes the threshold. " + note
    mass = region["cluster_mass"].values
    order = np.argsort(-np.abs(mass), kind="stable")
    keep = [i for n, i in enumerate(order) if n < rows or region["cluster_p"].values[i] < a["alpha"]]
    lines = ["| cluster | direction | cells | $b$ | $w$ | mass | $p$ |", "| --- | --- | --- | --- | --- | --- | --- |"]
    labels = region["cluster"]
    for i in keep:
        cid = int(region["cluster_id"].values[i])
        cells = labels.where(labels == cid, drop=True)
        b, w = cells["balance"].values, cells["strength"].values
        direction = "claim" if region["cluster_direction"].values[i] > 0 else "opposite"
        flag = " **significant**" if region["cluster_p"].values[i] < a["alpha"] else ""
        lines.append(f"| {cid} | {direction} | {int(region['cluster_size'].values[i])} | {_span(b)} | {_span(w)} "
                     f"| ${number(mass[i], 1, signed=True)}$ | "
                     f"{p_text(region['cluster_p'].values[i])}{flag} |")
    caption = (f"Clusters of the {a['claim']} map, heaviest first: direction relative to the claim, size, extent in "
               "$b$ and $w$, mass and permutation $p$; only those marked significant count as evidence.")
    out = _wrapped("\n".join(lines), caption, wrap)
    if len(keep) < k:
        rest = k - len(keep)
        out += (f"\n\n{rest} smaller cluster{'s' if rest > 1 else ''}, none significant, "
                f"{'are' if rest > 1 else 'is'} not listed.")
    return out + "\n\n" + note


def coverage_text(claimed: float, against: float) -> str:
    """The shares of a map's cells inside significant clusters, worded as where the evidence lies.

    The cluster test bounds the chance of *any* false cluster, not the share
    of cells wrongly included, so the shares locate evidence; they do not
    estimate how much of the plane the effect covers.
    """
    return (f"significant clusters of the $(b, w)$ map lie on {100 * claimed:.0f}% of its cells in the claimed "
            f"direction and on {100 * against:.0f}% against (where the evidence is, not how far the effect reaches)")


def _cells(row) -> tuple:
    outcomes = [d["outcome"] for d in row.details if "outcome" in d]
    return outcomes.count("holds"), outcomes.count("against"), len(outcomes)


def _reading_line(label, row) -> str:
    held, against, total = _cells(row)
    cover = (f"{100 * row.coverage[0]:.0f}% / {100 * row.coverage[1]:.0f}%" if row.coverage else _DASH)
    return (f"| {label} | **{row.verdict}** | {_interval(row.effect, row.ci_low, row.ci_high, 4)} | "
            f"{p_text(row.p_value)} | {held} / {against} of {total} | {cover} |")


def _compare(same, matched) -> str:
    """Plain sentences on what matching the coupling changes: direction and size, cells, coverage, verdict.

    The sign of a mean change is spoken of only when the change is significant: with neither reading
    significant, both are said to be indistinguishable from zero; a reversal needs at least one of them.
    """
    a, b = same.effect, matched.effect
    significant = lambda r: r.p_value < r.alpha
    sig = lambda r: "significant" if significant(r) else "not significant"
    values = (f"(${number(a, 4, signed=True)}$, {sig(same)}, at the same strength; ${number(b, 4, signed=True)}$, "
              f"{sig(matched)}, matched)")
    if not (significant(same) or significant(matched)):
        direction = (f"Neither mean change is distinguishable from zero {values}, so there is no direction for "
                     "matching the coupling to keep or reverse.")
    elif np.sign(a) == np.sign(b):
        direction = (f"The mean change keeps its sign {values}, and matching moves it by "
                     f"${number(b - a, 4, signed=True)}$.")
    else:
        direction = f"The mean change reverses its sign when the coupling is matched {values}."
    (h0, g0, n0), (h1, g1, n1) = _cells(same), _cells(matched)
    cells = (f" Cells significant for the claim: {h0} of {n0} at the same strength, {h1} of {n1} matched; "
             f"against: {g0} and {g1}.")
    cover = ""
    if same.coverage and matched.coverage:
        cover = (f" Significant clusters of the map lie on {100 * same.coverage[0]:.0f}% of it for the claim and "
                 f"{100 * same.coverage[1]:.0f}% against at the same strength, on {100 * matched.coverage[0]:.0f}% "
                 f"and {100 * matched.coverage[1]:.0f}% matched.")
    if same.verdict == matched.verdict:
        verdict = (f" The verdict word is the same, **{same.verdict}**; the numbers above say whether the evidence "
                   "behind it is.")
    else:
        verdict = (f" The verdict changes from **{same.verdict}** at the same strength to **{matched.verdict}** at "
                   "matched coupling, where the predicted bulks of the two networks reach the unit circle at the same "
                   "strength.")
    return direction + cells + cover + verdict


def readings(rows, wrap=None) -> str:
    r"""Each accuracy claim at the same strength against matched effective coupling, compared on what matters.

    For every claim C1, C2, C3 whose ``"C1 (matched)"`` row is in ``rows``: a
    table with one line per reading (verdict, headline :math:`\Delta` [95% CI],
    p, task-point cells significant for / against the claim, and the shares of
    the :math:`(b, w)` map inside significant clusters for / against), then
    sentences on the direction and size of the change, the cells, the cluster
    coverage and the verdict. Empty when no claim has both rows. ``wrap(table, caption)``,
    when given, turns each table and its one-line caption into the text shown
    (the book passes :func:`rnnlib.book.tables.captioned` to number them).
    """
    by = {r.claim: r for r in rows}
    parts = []
    for claim in ("C1", "C2", "C3"):
        same, matched = by.get(claim), by.get(f"{claim} (matched)")
        if same is None or matched is None:
            continue
        table = "\n".join([f"| {claim} | verdict | $\\Delta$ [95% CI] | $p$ | cells for / against "
                           "| map clusters for / against |", "| --- | --- | --- | --- | --- | --- |",
                           _reading_line("same strength", same), _reading_line("matched coupling", matched)])
        if wrap is not None:
            table = wrap(table, f"{claim} read at the same strength and at matched coupling: verdict, headline change "
                                "with its 95% interval and $p$, task-point cells and shares of the map in significant "
                                "clusters, for and against the claim.")
        parts.append(table + "\n\n" + _compare(same, matched))
    return "\n\n".join(parts)


def boundary_table(row, wrap=None) -> str:
    r"""The per-strength analysis of a C5 or C6 row (:mod:`rnnlib.claims.boundaries`) as a Markdown table, then its tests.

    Per analysed strength: the chaotic band, the two boundaries :math:`b_{oc}`,
    :math:`b_{cf}`, the instance-mean accuracy at each boundary, beyond it and
    in the band, and where the accuracy peaks. Below: the per-boundary (C5) or
    per-side (C6) tests over the instances, Holm-adjusted. ``wrap``: see the module docstring.
    """
    strengths = [d for d in row.details if "strength" in d]
    tests = [d for d in row.details if "test" in d]
    if row.claim not in ("C5", "C6"):
        raise ValueError(f"row must be claim C5 or C6, got {row.claim}")
    if not strengths:
        return "No strength of the grid has a chaotic band, so the rule has nothing to test."
    lines = ["| $w$ | band | $b_{oc}$, $b_{cf}$ | accuracy at $b_{oc}$ / beyond | at $b_{cf}$ / beyond "
             "| in the band (interior) | peak at |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for d in strengths:
        lo, hi = d["band"]
        band = f"${lo:g}$" if lo == hi else f"${lo:g}$ to ${hi:g}$"
        acc = lambda k: number(d.get(k), 2)                   # a dash for what is missing
        bounds = f"${number(d.get('b_oc'), 3)}$, ${number(d.get('b_cf'), 3)}$"
        lines.append(f"| {d['strength']:g} | {band} | {bounds} | {acc('accuracy_oc')} / {acc('accuracy_beyond_oc')} | "
                     f"{acc('accuracy_cf')} / {acc('accuracy_beyond_cf')} | {acc('accuracy_chaotic')} "
                     f"({acc('accuracy_interior')}) | $b = {d['peak_balance']:g}$, {d['peak_at']} |")
    out = _wrapped("\n".join(lines), "The chaotic band and its two boundaries at each analysed strength, with the "
                   "instance-mean accuracy at, beyond and inside them and where the accuracy peaks: compare the "
                   "boundary columns with the band.", wrap)
    if tests:
        out += "\n\n" + _wrapped(
            "| test | mean [95% CI] | $p$ | Holm $p$ | instances | strengths |\n| --- | --- | --- | --- | --- | --- |\n"
            + "\n".join(f"| {t['test']} | {_interval(t['mean'], t['ci_low'], t['ci_high'])} | {p_text(t['p_value'])} "
                        f"| {p_text(t['p_holm'])} | {t['n']} | {t['strengths']} |" for t in tests),
            f"The tests of {row.claim} per boundary or side over the instances, with raw and Holm-adjusted $p$: "
            "a positive mean supports the claim.", wrap)
    return out


_PLACES = {"o/c boundary": "at the oscillatory/chaotic boundary", "c/f boundary": "at the chaotic/fixed-point boundary",
           "chaotic": "inside the chaotic band", "oscillatory": "in the oscillatory phase",
           "fixed": "in the fixed-point phase", "irregular": "in an irregular cell",
           "undetermined": "in an undetermined cell"}


def _peak_counts(row) -> dict:
    """How often the accuracy peaks at each place, most frequent first; ties in order of first appearance.

    (Not ``set(places)``: the iteration order of a set of strings changes with
    the interpreter's hash seed, and so would the sentence.)
    """
    places = [d["peak_at"] for d in row.details if "peak_at" in d]
    return {k: places.count(k) for k in sorted(dict.fromkeys(places), key=lambda k: -places.count(k))}


def _peak_sentence(row) -> str:
    """Where the accuracy peaks, e.g. "At the 9 strengths with a chaotic band, the most accurate balance lies
    inside the chaotic band at 7 and at the chaotic/fixed-point boundary at 2."""
    counts = _peak_counts(row)
    total = sum(counts.values())
    if not total:
        return "No strength of the grid has a chaotic band."
    parts = [f"{_PLACES.get(k, k)} at {v}" for k, v in counts.items()]
    return (f"At the {total} strength{'s' if total > 1 else ''} with a chaotic band, the most accurate balance lies "
            + series(parts) + ".")


def baseline_agreement(c5, c6) -> str:
    """A MyST admonition saying whether our baseline agrees with the authors' earlier baseline (C5, C6).

    When neither C5 nor C6 is :data:`SUPPORTIVE` our baseline *disagrees* if one
    of them is contradicted or mixed (and the text says when the disagreement
    rests on that one alone), else it *does not reproduce* the earlier baseline;
    the text then counts where the accuracy peaks at the analysed strengths, and
    says what this means for the verdicts on C1 to C4. With too few instances for any
    test to reach ``alpha`` (:math:`2^{1-n} \\ge \\alpha`) it says so instead.
    """
    where = _peak_sentence(c5)
    verdicts = f"C5 reads **{c5.verdict}** and C6 **{c6.verdict}**"
    if c5.verdict == "not testable" and c6.verdict == "not testable":
        return (f":::{{note}}\nThe authors' earlier baseline could not be tested here: {verdicts}, since no strength "
                "of this profile's grid shows a chaotic band between an oscillatory and a fixed-point phase.\n:::")
    if c5.n and 2.0 ** (1 - c5.n) >= c5.alpha:
        return (f":::{{note}}\nWith {c5.n} instances no sign-flip test can reach $p < {c5.alpha:g}$, so here {verdicts} "
                f"only by default; the paper profile decides. {where}\n:::")
    if c5.verdict not in SUPPORTIVE and c6.verdict not in SUPPORTIVE:
        peak = ("lies significantly below a side of a boundary of the chaotic band" if c5.verdict == "contradicted"
                else "shows no significant peak at the boundaries of the chaotic band")
        peak += f" ({c5.measured}: ${number(c5.effect, 3, signed=True)}$)"
        chaos = (f"the band is more accurate than the ordered phases beside it ({c6.measured}: "
                 f"${number(c6.effect, 3, signed=True)}$)" if c6.verdict == "contradicted" else
                 "the ordered phases beside the band are not significantly more accurate than the band")
        decisive = [c for c in (c5, c6) if c.verdict in ("contradicted", "mixed")]
        quiet = [c for c in (c5, c6) if c.verdict in ("no evidence", "not testable")]
        heading = "disagrees with" if decisive else "does not reproduce"
        rests = (f" The disagreement rests on {decisive[0].claim} alone: {quiet[0].claim}'s **{quiet[0].verdict}** "
                 "means that nothing significant was found, not that the claim fails."
                 if len(decisive) == 1 and len(quiet) == 1 else "")
        return (f":::{{important}}\n**Our baseline {heading} the authors' earlier baseline.** "
                f"{verdicts}: the digits accuracy {peak}, and {chaos}. {where}{rests} Our model, reconstructed from "
                "abstracts, " + ("therefore differs from the authors' own in a way that matters for reservoir accuracy "
                                 "before any regularity is added" if decisive else
                                 "may differ from the authors' own here, or these instances are too few to show what "
                                 "they found") +
                "; our verdicts on C1 to C4 speak for *our* reconstruction, and they can speak "
                "for the paper only as far as its networks behave like ours.\n:::")
    return (":::{note}\n**Our baseline agrees at least in part with the authors' earlier baseline:** "
            f"{verdicts}. {where}\n:::")


def inputs_table(results, wrap=None) -> str:
    """C5 and C6 per input strength as a Markdown table.

    ``results`` is the list of :func:`rnnlib.claims.boundaries.by_variant` (dicts with
    ``variant``, ``c5``, ``c6``): each claim's verdict with its headline effect
    and p, and at how many of the analysed strengths the accuracy peaks inside
    the chaotic band, at one of its boundaries, or elsewhere. A significant p of a negative headline
    minimum, which the rule never counts (:func:`uncounted`), is marked
    "not counted". ``wrap``: see the module docstring.
    """
    def claim(c):
        mark = " not counted" if uncounted(c) and c.p_value < c.alpha else ""
        return f"**{c.verdict}** (${number(c.effect, 3, signed=True)}$, {p_text(c.p_value, 'p = ')}{mark})"

    lines = ["| input strength | C5 | C6 | peak inside the band | peak at a boundary | peak elsewhere |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in results:
        c5, c6 = r["c5"], r["c6"]
        counts = _peak_counts(c5)
        total = sum(counts.values())
        inside = counts.get("chaotic", 0)
        boundary = counts.get("o/c boundary", 0) + counts.get("c/f boundary", 0)
        share = (lambda k: f"{k} of {total}") if total else (lambda k: _DASH)
        lines.append(f"| {r['variant'].split('=')[-1]} | {claim(c5)} | {claim(c6)} | {share(inside)} | "
                     f"{share(boundary)} | {share(total - inside - boundary)} |")
    return _wrapped("\n".join(lines), "C5 and C6 at each input strength, with the same phase boundaries: verdict, "
                    "headline effect and $p$, and where the accuracy peaks; look for an input strength at which the "
                    "verdicts change.", wrap)


def pooled_reference(rows, regularity: str) -> tuple:
    """The reference variant's pooled row of one regularity and the pooled rows of the other variants.

    ``rows`` are those of :func:`rnnlib.claims.scorecard.direction_rows`; the
    reference is the pooled row whose change equals its ``reference_mean``.
    """
    pooled = [r for r in rows if r["regularity"] == regularity and r["point"] == "all"]
    if not pooled:
        raise ValueError(f"regularity must be one of {sorted({r['regularity'] for r in rows})}, got {regularity!r}")
    reference = next(r for r in pooled if r["mean"] == r["reference_mean"])
    return reference, [r for r in pooled if r is not reference]


def _count(k: int, singular: str, plural: str) -> str:
    """``k`` with the verb or noun that agrees with it, e.g. "1 raises", "2 raise"."""
    return f"{k} {singular if k == 1 else plural}"


def direction_table(rows, regularity: str, wrap=None, *, alpha=0.05) -> str:
    r"""Whether the direction of one regularity's accuracy change survives each variant, as a Markdown table.

    ``rows`` are those of :func:`rnnlib.claims.scorecard.direction_rows`; one table row
    per variant, one column per point and one for all points pooled. An entry
    is the mean change :math:`\Delta`, marked **reversed** (opposite sign to the
    reference variant's with unadjusted :math:`p < \alpha`) or *opposite, n.s.*
    (opposite sign, not significant); unmarked entries keep the reference's direction.
    The sentence below counts the variants other than the reference: with a
    significant pooled reference change (:math:`p <` ``alpha``), those whose pooled
    change keeps, reverses or only opposes its direction; with a reference that is
    not significant there is no direction to keep, and it counts the variants whose
    own pooled change is significantly up or down. ``wrap``: see the module docstring.
    """
    mine = [r for r in rows if r["regularity"] == regularity]
    if not mine:
        raise ValueError(f"regularity must be one of {sorted({r['regularity'] for r in rows})}, got {regularity!r}")
    points = [p for p in dict.fromkeys(r["point"] for r in mine) if p != "all"] + ["all"]
    variants = list(dict.fromkeys(r["variant"] for r in mine))
    at = {(r["variant"], r["point"]): r for r in mine}
    def entry(v, p):
        r = at.get((v, p))
        if r is None:
            return None
        mark = {"same": "", "reversed": " **reversed**", "opposite, n.s.": " *opposite, n.s.*"}[r["outcome"]]
        return f"${number(r['mean'], 3, signed=True)}${mark}"

    headings = ["all points" if p == "all" else p for p in points]
    reference, others = pooled_reference(rows, regularity)
    claimed = {1: "up", -1: "down"}.get(int(np.sign(reference["claimed"])), "no direction")
    table = _wrapped(_grid_table("variant", headings, variants, points, lambda v: f"`{v}`", entry),
                     f"Direction of the {regularity} accuracy change under each modelling variant, per named point "
                     "and pooled: entries marked reversed go significantly against the reference variant.", wrap)
    n = len(others)
    outcomes = [r["outcome"] for r in others]
    if not others:
        tail = "; no other variant was run."
    elif reference["p_value"] < alpha:
        rest = ([f"{_count(outcomes.count('reversed'), 'reverses', 'reverse')} it significantly"]
                if "reversed" in outcomes else []) + (
            [f"{_count(outcomes.count('opposite, n.s.'), 'goes', 'go')} the other way without significance"]
            if "opposite, n.s." in outcomes else [])
        tail = (f"; its direction survives in {outcomes.count('same')} of the "
                f"{_count(n, 'other variant', 'other variants')}" + (f"; {' and '.join(rest)}" if rest else "") + ".")
    else:
        up = sum(r["p_value"] < alpha and r["mean"] > 0 for r in others)
        down = sum(r["p_value"] < alpha and r["mean"] < 0 for r in others)
        tail = (f", which is not significant, so there is no direction to survive or reverse; of the "
                f"{_count(n, 'other variant', 'other variants')}, {_count(up, 'raises', 'raise')} accuracy "
                f"significantly and {_count(down, 'lowers', 'lower')} it (unadjusted $p < {alpha:g}$).")
    return table + (f"\n\nPooled over the points, the reference `{reference['variant']}` changes accuracy "
                    f"by ${number(reference['mean'], 3, signed=True)}$ ({p_text(reference['p_value'], 'p = ')}; "
                    f"claimed: {claimed})" + tail)
