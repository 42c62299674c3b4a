r"""Verdicts for readers: the scorecard, its cell lists and its region maps as Markdown.

Pure functions from the results of :mod:`rnnlib.scorecard` to MyST Markdown
strings (tables and sentences, math in ``$...$``), so a chapter shows a verdict
with one call. Numbers are formatted by :func:`number` (no "-0.000") and
:func:`p_text` (powers of ten below 0.001).
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["number", "p_text", "effect_text", "scorecard_table", "claim_list", "cell_table", "cluster_table"]

_DASH = "–"


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


def scorecard_table(rows) -> str:
    """One Markdown table row per claim: verdict, headline effect [95% CI], p-value, instances."""
    lines = ["| Claim | Verdict | Measured effect [95% CI] | $p$ | $n$ |", "| --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r.claim} | **{r.verdict}** | {effect_text(r)} | {p_text(r.p_value)} | {r.n} |")
    return "\n".join(lines)


def claim_list(rows) -> str:
    """One bullet per claim: the statement, what was measured, the verdict and where it holds."""
    items = []
    for r in rows:
        text = f"- **{r.claim}**: {r.statement} *Measured:* {r.measured}. *Verdict:* **{r.verdict}**; {r.where}."
        for s in r.secondary:
            text += (f" *Also:* {s['what']}: mean {_interval(s['mean'], s['ci_low'], s['ci_high'], 2)}, "
                     f"{p_text(s['p_value'], 'p = ')}, $n = {s['n']}$.")
        items.append(text)
    return "\n".join(items)


def cell_table(row) -> str:
    r"""The per-cell results of a scorecard row as a task-by-point Markdown table.

    Each entry is the mean paired change :math:`\Delta` over the instances and
    its Holm-adjusted p-value, marked **holds** or **against** where that p is
    below the row's :math:`\alpha` with the claimed or the opposite sign.
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
    lines = ["| task | " + " | ".join(heads) + " |", "| --- |" + " --- |" * len(points)]
    for t in tasks:
        entries = []
        for p in points:
            d = where.get((t, p))
            if d is None:
                entries.append(_DASH)
                continue
            mark = f" **{d['outcome']}**" if d["outcome"] else ""
            entries.append(f"${number(d['mean'], 3, signed=True)}$, {p_text(d['p_holm'])}{mark}")
        lines.append(f"| {t} | " + " | ".join(entries) + " |")
    return "\n".join(lines)


def _span(values) -> str:
    lo, hi = float(np.min(values)), float(np.max(values))
    return f"${lo:g}$" if lo == hi else f"${lo:g}$ to ${hi:g}$"


def cluster_table(region, *, rows: int = 6) -> str:
    r"""The clusters of a :func:`rnnlib.scorecard.claim_region` map as a Markdown table, heaviest first.

    Lists the ``rows`` clusters with the largest :math:`|\text{mass}|` (every
    significant one, whatever ``rows``), with their direction relative to the
    claim, size, extent in :math:`b` and :math:`w`, mass and permutation p-value,
    and a last line with the test's settings and its smallest attainable p.
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
    if len(keep) < k:
        rest = k - len(keep)
        lines.append(f"\n{rest} smaller cluster{'s' if rest > 1 else ''}, none significant, "
                     f"{'are' if rest > 1 else 'is'} not listed.")
    return "\n".join(lines) + "\n\n" + note
