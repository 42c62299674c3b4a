r"""Figures of the book, one function per kind of figure, in one style.

This module draws the network figures (matrices, histograms, spectra, rasters) and is the public face of
all of them: the maps live in :mod:`rnnlib.book.plot_maps`, the curves and effects in :mod:`rnnlib.book.plot_curves`,
the style in :mod:`rnnlib.book.figstyle`; every name below is importable from here.

Every function returns ``(fig, data)``: the matplotlib figure and an
:class:`xarray.Dataset` (or a dict of arrays) holding exactly the numbers that
are drawn, so tests assert on numbers, never on pixels.

The style (:mod:`rnnlib.book.figstyle`, :data:`STYLE`, applied by every function and, for a whole
notebook, by :func:`use_book_style`): figures are :data:`COLUMN_WIDTH` inches
wide, the width of the book's content column at 96 px per inch, so they are
shown at the size they are drawn; text is at least :data:`FONT_SIZE` points
(above the theme's small print); constrained layout, shared colour bars and at
most three panels a row; opaque white backgrounds (readable in dark mode);
PNG at twice the resolution with the displayed size set. Colours are
colour-blind safe: Okabe and Ito's palette for lines, ``cividis`` for
continuous quantities (it reads in grey), :data:`DIVERGING` for differences,
:data:`LYAPUNOV` for exponents (centred at zero, clipped at
:func:`lyapunov_clip`, the clip stated on the colour bar), and discrete
:data:`REGIME_COLOURS` with a legend for attractor classes.

Sweep results follow the layout of :mod:`rnnlib.experiments`: dimensions
``balance``, ``strength`` or ``point`` (with coordinates ``balance(point)``,
``strength(point)``), a control dimension named after the regularity
(``dale``, ``reciprocity`` or ``modularity``), optionally ``task`` or
``modules``, and always ``instance``. Instance averages are means; error bands
are :math:`\pm 1.96` standard errors of the mean over instances.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from ..model import theory
from ..model._checks import check_square
from .figstyle import (COLUMN_WIDTH, DIVERGING, DPI, FONT_SIZE, LABELS, LYAPUNOV, REGIME_COLOURS, SEQUENTIAL, SHORT,
                       STYLE, SYMBOLS, figure_legend as _figure_legend, grid as _grid, legend_in as _legend_in,
                       lyapunov_clip, overlapping_ticks, PLAIN, plain,
                       OKABE_ITO as _OKABE_ITO, styled as _styled, use_book_style)
from .plot_curves import accuracy_vs_saturation, control_curves, effect_forest, regime_fractions
from .plot_maps import claim_regions, control_maps, lyapunov_curve, map_panels, phase_diagram
from ..model.spectrum import eigenvalues

__all__ = [
    "STYLE", "SEQUENTIAL", "DIVERGING", "LYAPUNOV", "REGIME_COLOURS", "SYMBOLS", "SHORT", "LABELS", "DPI",
    "COLUMN_WIDTH", "FONT_SIZE", "PLAIN", "plain", "NETWORK_WIDTH", "overlapping_ticks",
    "use_book_style", "lyapunov_clip", "weight_matrices", "weight_histograms", "spectra", "activity_raster",
    "network_panels", "phase_diagram", "map_panels", "control_maps", "lyapunov_curve", "control_curves", "regime_fractions",
    "effect_forest", "accuracy_vs_saturation", "claim_regions",
]

# ---------------------------------------------------------------- matrices

_CIRCLE = np.exp(1j * np.linspace(0, 2 * np.pi, 400))


def _matrix_panel(ax, W, limit):
    ax.set(xlabel="from neuron $j$", ylabel="to neuron $i$")
    return ax.imshow(W, cmap=SEQUENTIAL, vmin=-limit, vmax=limit, interpolation="nearest")


def _spectrum_panel(ax, ev, radius, *, ellipse=None, outlier=None, bulk=None):
    """Eigenvalues (dots) under the circular law (dashed), elliptic law (dotted), outlier (cross), unit circle;
    with ``bulk`` (a :class:`rnnlib.model.theory.BulkSpectrum`) also its predicted edge (solid, under the eigenvalues,
    which may lie on it: a segment when :math:`\tau = 1`) and outliers (open diamonds, the measured eigenvalue visible inside)."""
    ax.plot(_CIRCLE.real, _CIRCLE.imag, color="#999999", lw=1.0, label=r"$|\lambda|=1$", zorder=1)
    ax.plot(ev.real, ev.imag, "o", ms=2.2, color="#555555", mew=0, label="eigenvalues", zorder=2)
    ax.plot(radius * _CIRCLE.real, radius * _CIRCLE.imag, "--", lw=2.0, color=_OKABE_ITO[1],
            label="circular law" if bulk is None else "circular law (baseline)", zorder=3)
    if ellipse is not None:
        ax.plot(ellipse[0] * _CIRCLE.real, ellipse[1] * _CIRCLE.imag, ":", lw=2.4, color=_OKABE_ITO[6],
                label="elliptic law", zorder=4)
    if outlier is not None:
        ax.plot([outlier], [0], "X", ms=9, color=_OKABE_ITO[4], mec="black", mew=0.6,
                label=r"outlier $N\mu$", zorder=5)
    if bulk is not None:
        edge = bulk.outline()
        ax.plot(edge.real, edge.imag, "-", lw=2.0, color=_OKABE_ITO[2], label="predicted bulk", zorder=1.5)
        if bulk.outliers:
            z = np.asarray(bulk.outliers, complex)
            ax.plot(z.real, z.imag, "D", ms=9, mfc="none", mec=_OKABE_ITO[6], mew=1.8,
                    label="predicted outliers", zorder=5)
    ax.set(xlabel=r"Re $\lambda$", ylabel=r"Im $\lambda$")
    ax.set_aspect("equal", adjustable="datalim")


def _raster_panel(ax, X, neurons):
    """Rows: the first ``neurons`` neurons; columns: time; grey from -1 (black) to +1 (white)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"states must be a (steps, n) array, got shape {X.shape}")
    shown = X[:, :neurons].T
    im = ax.imshow(shown, cmap="gray", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
    ax.set(xlabel="time step $t$", ylabel="neuron $i$")
    return im, shown



@_styled
def weight_matrices(matrices: dict, *, title: str = "") -> tuple[plt.Figure, xr.DataArray]:
    """Show weight matrices side by side on one colour scale symmetric about zero.

    Parameters
    ----------
    matrices : dict label -> (n, n) array
        ``W[i, j]`` (row i: receiving neuron, column j: sending neuron).

    Returns
    -------
    fig, data : data is a DataArray (label, post, pre) of the matrices shown.
    """
    mats = [check_square(f"matrices[{k!r}]", W) for k, W in matrices.items()]
    limit = max(float(np.abs(W).max()) for W in mats) or 1.0
    fig, axes = _grid(len(mats), height=2.5, sharey=True)
    for k, (ax, label, W) in enumerate(zip(axes, matrices, mats)):
        im = _matrix_panel(ax, W, limit)
        ax.set_title(str(label))
        if k:
            ax.set_ylabel("")
    fig.colorbar(im, ax=axes, shrink=0.9, label="weight $w_{ij}$")
    if title:
        fig.suptitle(title)
    data = xr.DataArray(np.stack(mats), dims=("label", "post", "pre"), coords={"label": [str(k) for k in matrices]})
    return fig, data


@_styled
def weight_histograms(matrices: dict, *, bins: int = 60, xlabel: str = "weight $w_{ij}$") -> tuple[plt.Figure, dict]:
    """Overlay the histograms of all elements of each matrix (common bins).

    A regularity that reorganizes weights without changing their distribution
    gives identical curves.

    Returns
    -------
    fig, data : data = {"edges": (bins+1,), "counts": {label: (bins,)}}.
    """
    mats = {str(k): check_square(f"matrices[{k!r}]", W).ravel() for k, W in matrices.items()}
    allw = np.concatenate(list(mats.values()))
    edges = np.linspace(allw.min(), allw.max(), bins + 1)
    fig, (ax,) = _grid(1, width=0.7 * COLUMN_WIDTH, height=2.8)
    counts = {}
    for i, (label, w) in enumerate(mats.items()):
        counts[label], _ = np.histogram(w, edges)
        ax.stairs(counts[label], edges, label=label, linestyle=("-", "--", ":", "-.")[i % 4], lw=1.8 + 0.4 * i)
    ax.set(xlabel=xlabel, ylabel="count", yscale="log")
    ax.legend()
    return fig, {"edges": edges, "counts": counts}


@_styled
def spectra(matrices: dict, *, strength: float, balance=0.0, correlation=None, density: float = 1.0,
            bulk=None) -> tuple[plt.Figure, dict]:
    r"""Eigenvalues of each matrix in the complex plane with the classical and the construction's predictions.

    Overlays: the circular law of the baseline (bulk radius :math:`w\sqrt{1 - 2 d b^2/\pi}`,
    :func:`rnnlib.model.theory.circular_law_radius`), the real outlier :math:`N\mu`
    (:func:`rnnlib.model.theory.mean_outlier`, drawn when :math:`b \ne 0` and no
    ``bulk`` is given), the unit circle, and, when ``correlation`` gives the
    pair correlation :math:`\tau` of a label, the elliptic law
    (:func:`rnnlib.model.theory.elliptic_law_axes`). When ``bulk`` gives the
    predicted spectrum of a label (:func:`rnnlib.model.theory.bulk_radius`, with
    ``n`` for the outliers), its edge (:meth:`~rnnlib.model.theory.BulkSpectrum.outline`:
    the ellipse with semi-axes :math:`(1 \pm \tau) r`) and its outliers are
    drawn too. The predictions are drawn above the eigenvalues so both stay visible.

    Parameters
    ----------
    balance : float or dict label -> float
        Balance of every matrix, or of each one.
    bulk : dict label -> rnnlib.model.theory.BulkSpectrum, optional
        The predicted bulk and outliers of each matrix (labels without one get none).

    Returns
    -------
    fig, data : data = {"eigenvalues", "radius", "outlier", "ellipse", "bulk", "outliers"}, each a dict by
        label; ``bulk`` holds the drawn edge (complex array) and ``outliers`` the predicted outliers
        (complex array) of the labels with a prediction.
    """
    labels = [str(k) for k in matrices]
    balances = {str(k): v for k, v in balance.items()} if isinstance(balance, dict) else dict.fromkeys(labels, balance)
    taus = {str(k): v for k, v in (correlation or {}).items()}
    predicted = {str(k): v for k, v in (bulk or {}).items()}
    unknown = sorted(set(predicted) - set(labels))
    if unknown:
        raise ValueError(f"bulk has labels {unknown} that are not among the matrices {labels}")
    fig, axes = _grid(len(matrices), height=2.6)
    data = {"eigenvalues": {}, "radius": {}, "outlier": {}, "ellipse": {}, "bulk": {}, "outliers": {}}
    for k, (ax, label, W) in enumerate(zip(axes, labels, matrices.values())):
        W, b = check_square(f"matrices[{label!r}]", W), balances[label]
        data["eigenvalues"][label] = eigenvalues(W)
        data["radius"][label] = theory.circular_law_radius(strength, b, density)
        data["outlier"][label] = theory.mean_outlier(W.shape[0], strength, b, density)
        if label in taus:
            data["ellipse"][label] = theory.elliptic_law_axes(strength, b, taus[label], density)
        if label in predicted:
            data["bulk"][label] = predicted[label].outline()
            data["outliers"][label] = np.asarray(predicted[label].outliers, complex)
        _spectrum_panel(ax, data["eigenvalues"][label], data["radius"][label], ellipse=data["ellipse"].get(label),
                        outlier=data["outlier"][label] if b != 0 and label not in predicted else None,
                        bulk=predicted.get(label))
        ax.set_title(label)
        if k:
            ax.set_ylabel("")
    _figure_legend(fig, axes, ncols=3)
    return fig, data


@_styled
def activity_raster(states, *, neurons: int = 60, title: str = "") -> tuple[plt.Figure, np.ndarray]:
    """Activity :math:`x_i(t)` of the first ``neurons`` neurons (rows) over time (columns), grey scale.

    Parameters
    ----------
    states : array (steps, n)

    Returns
    -------
    fig, data : data is the (neurons, steps) array drawn.
    """
    fig, (ax,) = _grid(1, height=2.6)
    im, shown = _raster_panel(ax, states, neurons)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="$x_i(t)$")
    return fig, shown


#: Width (inches) of :func:`network_panels`: narrow enough that on a phone (a column of about 360 px) its
#: text is still shrunk by less than a fifth, so 11 pt stays about 12 px.
NETWORK_WIDTH = 4.6


@_styled
def network_panels(W, states, *, strength: float, balance: float = 0.0, correlation: float | None = None,
                   title: str = "", neurons: int = 60) -> tuple[plt.Figure, dict]:
    """One network at a glance: matrix and spectrum (top row, the spectrum's legend under them), activity raster
    (bottom row), :data:`NETWORK_WIDTH` inches wide.

    This is the figure of the interactive explorers (:mod:`rnnlib.book.explorer`).

    Returns
    -------
    fig, data : data = {"W", "eigenvalues", "radius", "raster"}.
    """
    W = check_square("W", W)
    fig = plt.figure(figsize=(NETWORK_WIDTH, 5.6), layout="constrained")
    gs = fig.add_gridspec(3, 2, height_ratios=[1.35, 0.32, 1])
    ax_w, ax_s, ax_r = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1]), fig.add_subplot(gs[2, :])
    slot = fig.add_subplot(gs[1, :])
    fig.get_layout_engine().set(wspace=0.12)
    im = _matrix_panel(ax_w, W, float(np.abs(W).max()) or 1.0)
    fig.colorbar(im, ax=ax_w, label="$w_{ij}$", shrink=0.8)
    ax_w.set(title="weights", xlabel="", xticks=[], yticks=[], ylabel="to $i$ (row) from $j$")
    ev, radius = eigenvalues(W), theory.circular_law_radius(strength, balance)
    ellipse = theory.elliptic_law_axes(strength, balance, correlation) if correlation is not None else None
    _spectrum_panel(ax_s, ev, radius, ellipse=ellipse)
    ax_s.set_title("spectrum")
    _legend_in(slot, *ax_s.get_legend_handles_labels(), ncols=2, handlelength=1.5, columnspacing=1.0)
    _, raster = _raster_panel(ax_r, states, neurons)
    ax_r.set_title("activity $x_i(t)$: black $-1$, white $+1$")
    if title:
        fig.suptitle(title)
    return fig, {"W": W, "eigenvalues": ev, "radius": radius, "raster": raster}
