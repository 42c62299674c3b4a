r"""The specification curve: every specification's effect, sorted, above a dashboard of its choices.

Top panel: the paired effect of every specification with its interval,
sorted from the lowest to the highest, coloured by what its own test says
(significant in the claimed direction, significant against it, or neither).
Bottom panel, aligned column by column: one row per level of every choice,
with a mark where the specification above takes that level, so a reader sees
which choices the left and the right end of the curve are made of.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.lines import Line2D

from ..model._checks import check_choice, check_real
from ..statistics.specification import Effects
from .figstyle import COLUMN_WIDTH, FONT_SIZE, OKABE_ITO, styled

__all__ = ["CLASSES", "COLOURS", "specification_curve"]

#: What a specification's own test says, in plotting order.
CLASSES = ("claimed", "against", "neither")
COLOURS = {"claimed": OKABE_ITO[1], "against": OKABE_ITO[6], "neither": "#999999"}
#: Height (inches) of one dashboard row: one line of 11 pt text with a little air.
ROW = 0.19


def _level_text(level) -> str:
    return f"{level:g}" if isinstance(level, (float, np.floating)) else str(level)


@styled
def specification_curve(effects: Effects, choices: dict, *, direction: int, alpha: float = 0.05,
                        ylabel: str = "paired change", claimed: str = "claimed direction",
                        levels: dict | None = None, width: float = COLUMN_WIDTH,
                        curve_height: float = 2.3) -> tuple[plt.Figure, xr.Dataset]:
    """Draw the specification curve of ``effects`` with the dashboard of ``choices``.

    Parameters
    ----------
    effects : Effects
        Per-specification effects (:func:`rnnlib.statistics.specification.specification_effects`).
    choices : dict
        Choice name -> array (S,) of the level of each specification.
    direction : {-1, 1}
        The claimed sign of the effect.
    alpha : float
        Level of each specification's test for the colours.
    ylabel, claimed : str
        Axis label of the curve, and the legend's name of the claimed direction.
    levels : dict, optional
        Choice -> its levels in dashboard order (default: sorted); levels no specification takes are left out.

    Returns
    -------
    fig, data : Dataset over ``rank`` (the sorted order) with ``specification`` (its index),
        ``effect``, ``ci_low``, ``ci_high``, ``class`` (one of :data:`CLASSES`) and one variable per choice.
    """
    direction = check_choice("direction", direction, (-1, 1))
    alpha = check_real("alpha", alpha, 0.0, 1.0, lo_open=True, hi_open=True)
    S = effects.mean.shape[0]
    for name, values in choices.items():
        if np.shape(values) != (S,):
            raise ValueError(f"choice {name!r} must give one level per specification ({S}), got {np.shape(values)}")
    order = np.argsort(effects.mean, kind="stable")
    klass = np.where(effects.significant(direction, alpha), "claimed",
                     np.where(effects.significant(-direction, alpha), "against", "neither"))[order]
    data = xr.Dataset({"specification": ("rank", order), "effect": ("rank", effects.mean[order]),
                       "ci_low": ("rank", effects.ci_low[order]), "ci_high": ("rank", effects.ci_high[order]),
                       "class": ("rank", klass.astype(str)),
                       **{name: ("rank", np.asarray(values, dtype=object)[order].astype(str))
                          for name, values in choices.items()}},
                      coords={"rank": np.arange(S)})
    levels = levels or {}
    rows = []
    for name, values in choices.items():
        present = set(np.asarray(values, dtype=object).tolist())
        rows += [(name, lv) for lv in (levels[name] if name in levels else sorted(present, key=str)) if lv in present]
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(width, curve_height + ROW * len(rows) + 0.5),
                                      height_ratios=(curve_height, ROW * len(rows)), layout="constrained")
    x = np.arange(S)
    colours = np.array([COLOURS[c] for c in klass])
    top.vlines(x, data["ci_low"], data["ci_high"], colors=colours, linewidth=0.8, alpha=0.6)
    top.scatter(x, data["effect"], c=colours, s=8, zorder=3)
    top.axhline(0.0, color="black", linewidth=0.8)
    top.set_ylabel(ylabel)
    names = {"claimed": f"significant, {claimed}", "against": "significant, against", "neither": "not significant"}
    handles = [Line2D([], [], marker="o", linestyle="", color=COLOURS[c], label=f"{names[c]} ({np.sum(klass == c)})")
               for c in CLASSES]
    top.legend(handles=handles, loc="best", fontsize=FONT_SIZE - 1, handletextpad=0.2)
    for r, (name, lv) in enumerate(rows):
        taken = np.asarray(choices[name], dtype=object)[order] == lv
        bottom.scatter(x[taken], np.full(taken.sum(), r), marker="|", s=30, c=colours[taken], linewidths=1.0)
    starts = [i for i, (name, _) in enumerate(rows) if i == 0 or rows[i - 1][0] != name]
    for i in starts[1:]:
        bottom.axhline(i - 0.5, color="#cccccc", linewidth=0.6)
    bottom.set_yticks(range(len(rows)), [f"{name.replace('_', ' ')}: {_level_text(lv)}" if i in starts
                                         else _level_text(lv) for i, (name, lv) in enumerate(rows)])
    bottom.set_ylim(len(rows) - 0.5, -0.5)
    bottom.set_xlim(-1, S)
    bottom.set_xlabel("specification (sorted by effect)")
    bottom.spines["left"].set_visible(False)
    bottom.tick_params(axis="y", length=0)
    return fig, data
