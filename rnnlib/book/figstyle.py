r"""The book's figure style, defined once: sizes, fonts, palettes, labels and the helpers every figure shares.

:mod:`rnnlib.book.plotting` re-exports the public names (``plotting.STYLE``,
``plotting.use_book_style()``, ...); the figure modules
(:mod:`rnnlib.book.plotting`, :mod:`rnnlib.book.plot_maps`, :mod:`rnnlib.book.plot_curves`)
draw with :func:`styled` and :func:`grid` from here.
"""
from __future__ import annotations

import functools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from ..model.constructions import ALL_REGULARITIES, NAMES, SHORT_NAMES, SYMBOLS as _SYMBOLS
from ..model.signatures import REGIMES

__all__ = ["DPI", "COLUMN_WIDTH", "FONT_SIZE", "STYLE", "SEQUENTIAL", "DIVERGING", "LYAPUNOV", "REGIME_COLOURS",
           "OKABE_ITO", "SYMBOLS", "SHORT", "LABELS", "PLAIN", "plain", "use_book_style", "styled", "label", "grid", "legend_in",
           "figure_legend", "tick_label_boxes", "overlapping_ticks", "panel_gaps", "separate_panels", "PANEL_GAP",
           "spaced_ticks", "mean_ci", "check_variables", "regime_map", "point_labels",
           "lyapunov_clip"]

#: CSS pixels per inch of a figure on the page: a figure ``w`` inches wide is shown ``96 w`` px wide.
DPI = 96
#: Width (inches) of the book's content column: sphinx-book-theme 1.3 shows cell outputs 688 px wide
#: in a 1280 px window (790 px from 1440 px on); figures are drawn 672 px wide so they are never shrunk.
COLUMN_WIDTH = 672 / DPI
#: Smallest text in a figure, in points: 11 pt is 14.7 px, above the theme's small print (0.9 rem = 14.4 px).
FONT_SIZE = 11

# Okabe and Ito's colour-blind-safe palette, black first.
OKABE_ITO = ["#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
STYLE = {
    "figure.dpi": DPI, "savefig.dpi": 2 * DPI, "figure.facecolor": "white", "savefig.facecolor": "white",
    "axes.facecolor": "white", "savefig.transparent": False, "figure.constrained_layout.use": True,
    "font.size": FONT_SIZE, "axes.titlesize": FONT_SIZE, "axes.labelsize": FONT_SIZE,
    "figure.titlesize": FONT_SIZE + 1, "legend.fontsize": FONT_SIZE, "legend.title_fontsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE, "ytick.labelsize": FONT_SIZE, "axes.spines.top": False,
    "axes.spines.right": False, "image.cmap": "cividis", "lines.linewidth": 1.6, "lines.markersize": 5,
    "axes.prop_cycle": plt.cycler(color=OKABE_ITO[:7]), "legend.frameon": False,
    "xtick.major.pad": 2, "ytick.major.pad": 2, "axes.labelpad": 2,
}
SEQUENTIAL = "cividis"
DIVERGING = "PuOr_r"
#: Diverging map of the Lyapunov exponent: blue contracting, white marginal, red chaotic.
LYAPUNOV = "RdBu_r"
#: One colour per attractor class (quiescent, fixed point, periodic, chaotic, irregular), colour-blind safe.
REGIME_COLOURS = ["#BBBBBB", "#56B4E9", "#0072B2", "#D55E00", "#F0E442"]
#: Symbol of each regularity's control parameter (registered with the regularity, rnnlib.model.constructions).
SYMBOLS = dict(_SYMBOLS)

#: Axis labels with symbols for every quantity the book plots.
LABELS = {
    "balance": "balance $b$", "strength": "strength $w$",
    **{r: f"{NAMES[r]} ${SYMBOLS[r]}$" for r in ALL_REGULARITIES}, "modules": "modules $K$",
    "n": "neurons $N$", "mean_activation": r"mean activation $\langle x\rangle$",
    "saturation": r"saturation $\langle|x|\rangle$", "fraction_saturated": r"fraction $|x|>0.9$",
    "fluctuation": r"fluctuation $\langle\sigma_t(x_i)\rangle$", "lag1_autocorrelation": "lag-1 autocorrelation",
    "pairwise_correlation": "rms pairwise correlation", "lyapunov": r"Lyapunov exponent $\lambda$",
    "period": "period $p$", "regime": "attractor class", "accuracy": "test accuracy",
    "train_accuracy": "training accuracy", "saturation_input": r"saturation under input $\langle|x|\rangle$",
    "fraction_saturated_input": r"fraction $|x|>0.9$ under input",
}


#: Short axis labels of the control parameters, for small multiples.
SHORT = {r: f"{SHORT_NAMES[r]} ${SYMBOLS[r]}$" for r in ALL_REGULARITIES}

#: Plain words for the identifiers of the code (regularities, constructions, modelling variants and their
#: settings) wherever a figure shows one to a reader: the one lookup table of the plotting layer.
PLAIN = {
    "dale": "Dale", "reciprocity": "reciprocity", "modularity": "modularity", "weak_rows": "weak rows",
    "default": "default settings", "input_strength": "input strength", "features=all": "readout from all neurons",
    "features": "readout features", "ridge": "ridge penalty", "n": "N =", "density": "connection density",
    "balanced": "balanced reading", "sign-copy": "sign-copy reading", "ei-blocks": "E/I-block reading",
    "unequal": "unequal modules", "variance": "variance reading", "type-sign": "type-sign reading",
    "pair-copy": "pair-copy reading", "rank-swap": "rank-swap reading",
}


def plain(text) -> str:
    """``text`` in the words a reader sees: identifiers of the code through :data:`PLAIN`.

    Each comma-separated part is translated: ``"name=value"`` becomes "<plain name> <value>",
    ``"regularity:construction"`` becomes "<plain regularity>, <plain construction>", and a bare
    identifier its entry of :data:`PLAIN` or, if it has none, itself with underscores as spaces.
    Text with spaces (already words, such as "edge, N = 100") keeps each part that has no entry.

    >>> plain("dale:balanced"), plain("input_strength=0.5"), plain("modularity, digits")
    ('Dale, balanced reading', 'input strength 0.5', 'modularity, digits')
    """
    def word(part: str) -> str:
        part = part.strip()
        if part in PLAIN:  # a whole part with its own words (also "name=value")
            return PLAIN[part]
        if "=" in part and " " not in part:
            name, value = part.split("=", 1)
            return f"{word(name)} {value}"
        if ":" in part and " " not in part:
            name, value = part.split(":", 1)
            return f"{word(name)}, {word(value)}"
        return part.replace("_", " ") if " " not in part else part

    return ", ".join(word(p) for p in str(text).split(","))


def use_book_style() -> None:
    """Make every figure of a notebook look like the book's: call once, in a chapter's setup cell.

    Sets :data:`STYLE` as the matplotlib defaults and makes the inline backend
    send each figure as a PNG at twice its resolution with its displayed size
    set (``retina``), cropped to nothing, so a figure of width ``w`` inches
    appears exactly ``96 w`` CSS pixels wide and stays sharp on high-density
    screens or when zoomed to 200%.
    """
    matplotlib.rcParams.update(STYLE)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - matplotlib-inline ships with ipykernel
        return
    set_matplotlib_formats("retina", bbox_inches=None)


def styled(func):
    """Run a plotting function inside the shared :data:`STYLE`; then keep its panels' tick labels apart
    (:func:`separate_panels`) when it returns a figure (alone or first of a tuple)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        matplotlib.get_backend()  # resolve (and activate) the backend outside the context, which would undo it
        with plt.rc_context(STYLE):
            out = func(*args, **kwargs)
            fig = out[0] if isinstance(out, tuple) and out else out
            if isinstance(fig, plt.Figure):
                separate_panels(fig)
            return out
    return wrapper


#: Least room, in points, between the x tick labels of two panels side by side.
PANEL_GAP = 8.0


def panel_gaps(fig) -> list[float]:
    """Room in points between the x tick labels of each pair of neighbouring panels of ``fig``.

    Panels are the visible axes with x tick labels; two are neighbours when their
    boxes share a row (overlap vertically) and no such panel lies between them. The
    room is the left edge of the right panel's leftmost label minus the right
    edge of the left panel's rightmost label (negative when they overlap).
    """
    fig.draw_without_rendering()
    panels = [(ax, boxes) for ax in fig.axes if ax.get_visible() and (boxes := tick_label_boxes(ax, "x", draw=False))]
    gaps = []
    for ax, boxes in panels:
        here = ax.get_position()
        right = [(other.get_position().x0, other_boxes) for other, other_boxes in panels if other is not ax
                 and other.get_position().x0 > here.x0
                 and min(here.y1, other.get_position().y1) > max(here.y0, other.get_position().y0)]
        if right:
            _, neighbour = min(right, key=lambda r: r[0])
            room = min(b.x0 for b in neighbour) - max(b.x1 for b in boxes)
            gaps.append(room * 72.0 / fig.dpi)
    return gaps


def separate_panels(fig, *, gap: float = PANEL_GAP, step: float = 0.02, most: float = 0.3) -> float:
    """Widen the space between the columns of a constrained-layout ``fig`` until the x tick labels of
    neighbouring panels are at least ``gap`` points apart (:func:`panel_gaps`).

    The constrained layout's ``wspace`` (a fraction of the figure's width) grows by
    ``step`` at a time, up to ``most``; figures without a constrained layout or
    without panels side by side are left alone. Returns the ``wspace`` used.
    """
    engine = fig.get_layout_engine()
    if not hasattr(engine, "set") or "wspace" not in engine.get():
        return 0.0
    wspace = engine.get()["wspace"]
    gaps = panel_gaps(fig)
    while gaps and min(gaps) < gap and wspace + step <= most + 1e-9:
        wspace += step
        engine.set(wspace=wspace)
        gaps = panel_gaps(fig)
    return wspace


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def grid(panels: int, *, ncols: int | None = None, height: float = 2.2, width: float = COLUMN_WIDTH,
          legend_slot: bool = False, **kw):
    """A figure ``width`` inches wide (default: the column) with ``panels`` axes, ``ncols`` a row.

    Each row is ``height`` inches tall. With ``legend_slot`` one more grid cell
    is kept free (returned as the last element) for a legend.
    """
    ncols = min(panels + legend_slot, ncols or panels + legend_slot)
    nrows = -(-(panels + legend_slot) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height * nrows), squeeze=False,
                             layout="constrained", **kw)
    flat = list(axes.flat)
    for ax in flat[panels:]:
        ax.set_visible(False)
    if legend_slot:
        return fig, flat[:panels], flat[panels]
    return fig, flat[:panels]


def legend_in(slot, handles, names, **kw):
    """Put a legend in the empty grid cell ``slot``."""
    slot.set_visible(True)
    slot.axis("off")
    slot.legend(handles, names, loc="center", **kw)


def mean_ci(da: xr.DataArray, dim: str = "instance") -> tuple[xr.DataArray, xr.DataArray]:
    """Mean over ``dim`` and the half width :math:`1.96\\, s / \\sqrt{n}` of its normal 95% interval."""
    n = da.notnull().sum(dim)
    half = 1.96 * da.std(dim, ddof=1) / np.sqrt(n.where(n > 0))
    return da.mean(dim), half.fillna(0.0)


def check_variables(ds: xr.Dataset, variables) -> None:
    """Raise a clear error naming the first of ``variables`` that ``ds`` lacks."""
    for v in variables:
        if v not in ds:
            raise ValueError(f"variable {v!r} not in the dataset (has {sorted(ds.data_vars)})")


def regime_map(regime: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """Fraction of instances in each class and the most frequent class."""
    codes = xr.DataArray(np.arange(len(REGIMES)), dims="class", coords={"class": list(REGIMES)})
    fractions = (regime == codes).mean("instance")
    return fractions, fractions.argmax("class")


def point_labels(ds: xr.Dataset) -> list[str]:
    return [f"{p} (b = {float(b):g}, w = {float(w):g})" for p, b, w in
            zip(ds["point"].values, ds["balance"].values, ds["strength"].values)]


def lyapunov_clip(values, *, floor: float = 0.2) -> float:
    r"""Half range :math:`L` of the Lyapunov colour scale, which runs from :math:`-L` to :math:`+L`.

    :math:`L` is the largest positive value in ``values`` (the strongest chaos
    shown), at least ``floor``, rounded up to a multiple of 0.05. Exponents
    below :math:`-L` (strongly contracting fixed points and cycles) share the
    end colour, so the scale spends its colours where chaotic and ordered
    regimes differ, and the sign of :math:`\lambda` stays visible.
    """
    v = np.asarray(values, dtype=float)
    top = float(np.nanmax(v)) if np.isfinite(v).any() else 0.0
    return float(np.ceil(max(top, floor) / 0.05 - 1e-9) * 0.05)



def figure_legend(fig, axes, ncols=None):
    """One legend under the figure for the distinct entries of all ``axes``."""
    handles = {n: h for ax in axes for h, n in zip(*ax.get_legend_handles_labels())}
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=ncols or min(len(handles), 4))



def _shown_tick_labels(ax, axis: str) -> list:
    """The tick labels of ``axis`` a reader sees: visible, not empty, at a tick inside the view limits
    (matplotlib keeps labelled ticks beyond the limits, which are not drawn)."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    lo, hi = sorted(target.get_view_interval())
    tol = 1e-9 * max(1.0, abs(lo), abs(hi))
    return [t.label1 for t in target.get_major_ticks()
            if t.label1.get_visible() and t.label1.get_text() and lo - tol <= t.get_loc() <= hi + tol]


def tick_label_boxes(ax, axis: str = "x", *, draw: bool = True) -> list:
    """Bounding boxes (display units, measured by the figure's renderer) of the tick labels of ``axis`` a
    reader sees (:func:`_shown_tick_labels`).

    ``draw=False`` measures the layout of the figure's last draw (for many axes measured at once).
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    if draw:
        fig.draw_without_rendering()
    return [t.get_window_extent(renderer) for t in _shown_tick_labels(ax, axis)]


def overlapping_ticks(ax, axis: str = "x", *, gap: float = 2.0) -> list[tuple[str, str]]:
    """Pairs of neighbouring tick labels of ``axis`` whose boxes overlap or lie closer than ``gap`` pixels."""
    boxes = tick_label_boxes(ax, axis)
    ticks = _shown_tick_labels(ax, axis)
    order = sorted(range(len(boxes)), key=lambda k: boxes[k].x0 if axis == "x" else boxes[k].y0)
    pairs = []
    for a, b in zip(order, order[1:]):
        room = boxes[b].x0 - boxes[a].x1 if axis == "x" else boxes[b].y0 - boxes[a].y1
        if room < gap:
            pairs.append((ticks[a].get_text(), ticks[b].get_text()))
    return pairs


def spaced_ticks(ax, axis: str = "x", *, most: int = 8) -> int:
    """Fewest-needed thinning of the numeric ticks of ``axis``: the largest number of bins, up to ``most``,
    whose labels do not run together (measured with the renderer). Returns the number of bins used."""
    from matplotlib.ticker import MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    for bins in range(most, 1, -1):
        target.set_major_locator(MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]))
        if not overlapping_ticks(ax, axis):
            return bins
    return 2
