"""The claim table every chapter shows: the synthesis scorecard and each chapter's claim paragraph, one code path.

:func:`claim_table` turns verdicts (:class:`rnnlib.claims.verdicts.ClaimResult` of C0 to
C8) into the numbered, captioned table of :func:`rnnlib.claims.summary.table`, one line
per claim. A matched-coupling row (``"C1 (matched)"``) joins the line of its claim; the
robustness column adds, where the data are given, the claim's share of supporting
specifications and its joint sign-flip p-values (from the specification dataset, through
:func:`rnnlib.book.specification_chapter.analyse`, the computation of the chapter "Where
the claims hold"), the sensitivity variants that reverse the direction
(:func:`rnnlib.claims.scorecard.direction_rows`) and C5 and C6 per input strength
(:func:`rnnlib.claims.boundaries.by_variant`).
"""
from __future__ import annotations

from functools import partial

from ..claims import summary
from . import specification_chapter as sc
from .tables import captioned

__all__ = ["claim_lines", "claim_table"]


def claim_lines(results, *, specifications=None, directions=None, inputs=None) -> list:
    """One :class:`rnnlib.claims.summary.ClaimLine` per claim of ``results``, in their order.

    Parameters
    ----------
    results : sequence of ClaimResult
        Rows of C0 to C8; a ``"<claim> (matched)"`` row is folded into its claim's line.
    specifications : xarray.Dataset, optional
        The specification experiment (:func:`rnnlib.pipeline.specification.load`): notes for C1 to C4.
    directions : list of dict, optional
        Rows of :func:`rnnlib.claims.scorecard.direction_rows`: notes for C1 to C3.
    inputs : list of dict, optional
        Results of :func:`rnnlib.claims.boundaries.by_variant`: notes for C5 and C6.
    """
    results = list(results)
    matched = {r.claim.split(" ")[0]: r for r in results if r.claim.endswith("(matched)")}
    lines = []
    for r in results:
        if r.claim.endswith("(matched)"):
            if r.claim.split(" ")[0] not in {x.claim for x in results}:
                raise ValueError(f"results hold {r.claim!r} without its same-strength row")
            continue
        notes = []
        if specifications is not None and r.claim in sc.CLAIMS:
            curve = sc.analyse(specifications, r.claim)
            notes.append(summary.specification_note(curve.joint, int(curve.effects.significant(-curve.direction).sum())))
        if directions is not None and r.claim in sc.ACCURACY_CLAIMS:
            notes.append(summary.reversal_note(directions, sc.CLAIMS[r.claim][0], r.claim))
        if inputs is not None and r.claim in ("C5", "C6"):
            notes.append(summary.inputs_note(inputs, r.claim))
        lines.append(summary.line(r, matched=matched.get(r.claim), notes=notes))
    return lines


def claim_table(results, *, specifications=None, directions=None, inputs=None, caption: str | None = None,
                name: str | None = None) -> str:
    """The claims of ``results`` as a numbered, captioned table with the glossary of its words and units.

    The arguments are those of :func:`claim_lines`; ``caption`` and ``name`` go to
    :func:`rnnlib.book.tables.captioned` (default caption: the claims it shows and its columns).
    """
    return summary.table(claim_lines(results, specifications=specifications, directions=directions, inputs=inputs),
                         wrap=partial(captioned, name=name), caption=caption)
