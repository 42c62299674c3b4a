r"""Figures of the book, one function per kind of figure, in one style.

Every function returns ``(fig, data)``: the matplotlib figure and an
:class:`xarray.Dataset` (or a dict of arrays) holding exactly the numbers that
are drawn, so tests assert on numbers, never on pixels.

The style (:data:`STYLE`, applied by every function and, for a whole
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

import functools
import itertools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.colors import BoundaryNorm, ListedColormap

from . import theory
from ._checks import check_square
from .signatures import REGIMES
from .spectrum import eigenvalues

__all__ = [
    "STYLE", "SEQUENTIAL", "DIVERGING", "LYAPUNOV", "REGIME_COLOURS", "SYMBOLS", "SHORT", "LABELS", "DPI",
    "COLUMN_WIDTH", "FONT_SIZE",
    "use_book_style", "lyapunov_clip", "weight_matrices", "weight_histograms", "spectra", "activity_raster",
    "network_panels", "phase_diagram", "control_maps", "lyapunov_curve", "control_curves", "regime_fractions",
    "paired_effects", "effect_forest", "accuracy_vs_saturation", "claim_regions",
]

#: CSS pixels per inch of a figure on the page: a figure ``w`` inches wide is shown ``96 w`` px wide.
DPI = 96
#: Width (inches) of the book's content column: sphinx-book-theme 1.3 shows cell outputs 688 px wide
#: in a 1280 px window (790 px from 1440 px on); figures are drawn 672 px wide so they are never shrunk.
COLUMN_WIDTH = 672 / DPI
#: Smallest text in a figure, in points: 11 pt is 14.7 px, above the theme's small print (0.9 rem = 14.4 px).
FONT_SIZE = 11

# Okabe and Ito's colour-blind-safe palette, black first.
_OKABE_ITO = ["#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
STYLE = {
    "figure.dpi": DPI, "savefig.dpi": 2 * DPI, "figure.facecolor": "white", "savefig.facecolor": "white",
    "axes.facecolor": "white", "savefig.transparent": False, "figure.constrained_layout.use": True,
    "font.size": FONT_SIZE, "axes.titlesize": FONT_SIZE, "axes.labelsize": FONT_SIZE,
    "figure.titlesize": FONT_SIZE + 1, "legend.fontsize": FONT_SIZE, "legend.title_fontsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE, "ytick.labelsize": FONT_SIZE, "axes.spines.top": False,
    "axes.spines.right": False, "image.cmap": "cividis", "lines.linewidth": 1.6, "lines.markersize": 5,
    "axes.prop_cycle": plt.cycler(color=_OKABE_ITO[:7]), "legend.frameon": False,
    "xtick.major.pad": 2, "ytick.major.pad": 2, "axes.labelpad": 2,
}
SEQUENTIAL = "cividis"
DIVERGING = "PuOr_r"
#: Diverging map of the Lyapunov exponent: blue contracting, white marginal, red chaotic.
LYAPUNOV = "RdBu_r"
#: One colour per attractor class (quiescent, fixed point, periodic, chaotic, irregular), colour-blind safe.
REGIME_COLOURS = ["#BBBBBB", "#56B4E9", "#0072B2", "#D55E00", "#F0E442"]
#: Symbol of each regularity's control parameter.
SYMBOLS = {"dale": "D", "reciprocity": "H", "modularity": "M"}

#: Axis labels with symbols for every quantity the book plots.
LABELS = {
    "balance": "balance $b$", "strength": "strength $w$", "dale": "Dale monopolarity $D$",
    "reciprocity": "Hopfield reciprocity $H$", "modularity": "modularity $M$", "modules": "modules $K$",
    "n": "neurons $N$", "mean_activation": r"mean activation $\langle x\rangle$",
    "saturation": r"saturation $\langle|x|\rangle$", "fraction_saturated": r"fraction $|x|>0.9$",
    "fluctuation": r"fluctuation $\langle\sigma_t(x_i)\rangle$", "lag1_autocorrelation": "lag-1 autocorrelation",
    "pairwise_correlation": "rms pairwise correlation", "lyapunov": r"Lyapunov exponent $\lambda$",
    "period": "period $p$", "regime": "attractor class", "accuracy": "test accuracy",
    "train_accuracy": "training accuracy", "saturation_input": r"saturation under input $\langle|x|\rangle$",
    "fraction_saturated_input": r"fraction $|x|>0.9$ under input",
}


#: Short axis labels of the control parameters, for small multiples.
SHORT = {"dale": "Dale $D$", "reciprocity": "reciprocity $H$", "modularity": "modularity $M$"}


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


def _styled(func):
    """Run a plotting function inside the shared :data:`STYLE`."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        matplotlib.get_backend()  # resolve (and activate) the backend outside the context, which would undo it
        with plt.rc_context(STYLE):
            return func(*args, **kwargs)
    return wrapper


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def _grid(panels: int, *, ncols: int | None = None, height: float = 2.2, width: float = COLUMN_WIDTH,
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


def _legend_in(slot, handles, names, **kw):
    """Put a legend in the empty grid cell ``slot``."""
    slot.set_visible(True)
    slot.axis("off")
    slot.legend(handles, names, loc="center", **kw)


def _mean_ci(da: xr.DataArray, dim: str = "instance") -> tuple[xr.DataArray, xr.DataArray]:
    """Mean over ``dim`` and the half width :math:`1.96\\, s / \\sqrt{n}` of its normal 95% interval."""
    n = da.notnull().sum(dim)
    half = 1.96 * da.std(dim, ddof=1) / np.sqrt(n.where(n > 0))
    return da.mean(dim), half.fillna(0.0)


def _check_variables(ds: xr.Dataset, variables) -> None:
    """Raise a clear error naming the first of ``variables`` that ``ds`` lacks."""
    for v in variables:
        if v not in ds:
            raise ValueError(f"variable {v!r} not in the dataset (has {sorted(ds.data_vars)})")


def _control_dim(ds: xr.Dataset) -> str:
    dims = [d for d in ("dale", "reciprocity", "modularity") if d in ds.dims]
    if len(dims) != 1:
        raise ValueError(f"dataset must sweep exactly one control dimension (dale, reciprocity or modularity), has {dims}")
    return dims[0]


def _regime_map(regime: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """Fraction of instances in each class and the most frequent class."""
    codes = xr.DataArray(np.arange(len(REGIMES)), dims="class", coords={"class": list(REGIMES)})
    fractions = (regime == codes).mean("instance")
    return fractions, fractions.argmax("class")


def _point_labels(ds: xr.Dataset) -> list[str]:
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


# ---------------------------------------------------------------- matrices

_CIRCLE = np.exp(1j * np.linspace(0, 2 * np.pi, 400))


def _matrix_panel(ax, W, limit):
    ax.set(xlabel="from neuron $j$", ylabel="to neuron $i$")
    return ax.imshow(W, cmap=SEQUENTIAL, vmin=-limit, vmax=limit, interpolation="nearest")


def _spectrum_panel(ax, ev, radius, *, ellipse=None, outlier=None):
    """Eigenvalues (dots) under the circular law (dashed), elliptic law (dotted), outlier (cross), unit circle."""
    ax.plot(_CIRCLE.real, _CIRCLE.imag, color="#999999", lw=1.0, label=r"$|\lambda|=1$", zorder=1)
    ax.plot(ev.real, ev.imag, "o", ms=2.2, color="#555555", mew=0, label="eigenvalues", zorder=2)
    ax.plot(radius * _CIRCLE.real, radius * _CIRCLE.imag, "--", lw=2.0, color=_OKABE_ITO[1],
            label="circular law", zorder=3)
    if ellipse is not None:
        ax.plot(ellipse[0] * _CIRCLE.real, ellipse[1] * _CIRCLE.imag, ":", lw=2.4, color=_OKABE_ITO[6],
                label="elliptic law", zorder=4)
    if outlier is not None:
        ax.plot([outlier], [0], "X", ms=9, color=_OKABE_ITO[4], mec="black", mew=0.6,
                label=r"outlier $N\mu$", zorder=5)
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


def _figure_legend(fig, axes, ncols=None):
    """One legend under the figure for the distinct entries of all ``axes``."""
    handles = {n: h for ax in axes for h, n in zip(*ax.get_legend_handles_labels())}
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=ncols or min(len(handles), 4))


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
def spectra(matrices: dict, *, strength: float, balance=0.0, correlation=None,
            density: float = 1.0) -> tuple[plt.Figure, dict]:
    r"""Eigenvalues of each matrix in the complex plane with the classical predictions.

    Overlays: the circular law (bulk radius :math:`w\sqrt{1 - 2 d b^2/\pi}`,
    :func:`rnnlib.theory.circular_law_radius`), the real outlier :math:`N\mu`
    (:func:`rnnlib.theory.mean_outlier`, drawn when :math:`b \ne 0`), the unit
    circle, and, when ``correlation`` gives the pair correlation :math:`\tau`
    of a label, the elliptic law (:func:`rnnlib.theory.elliptic_law_axes`).
    The predictions are drawn above the eigenvalues so both stay visible.

    Parameters
    ----------
    balance : float or dict label -> float
        Balance of every matrix, or of each one.

    Returns
    -------
    fig, data : data = {"eigenvalues", "radius", "outlier", "ellipse"}, each a dict by label.
    """
    labels = [str(k) for k in matrices]
    balances = {str(k): v for k, v in balance.items()} if isinstance(balance, dict) else dict.fromkeys(labels, balance)
    taus = {str(k): v for k, v in (correlation or {}).items()}
    fig, axes = _grid(len(matrices), height=2.6)
    data = {"eigenvalues": {}, "radius": {}, "outlier": {}, "ellipse": {}}
    for k, (ax, label, W) in enumerate(zip(axes, labels, matrices.values())):
        W, b = check_square(f"matrices[{label!r}]", W), balances[label]
        data["eigenvalues"][label] = eigenvalues(W)
        data["radius"][label] = theory.circular_law_radius(strength, b, density)
        data["outlier"][label] = theory.mean_outlier(W.shape[0], strength, b, density)
        if label in taus:
            data["ellipse"][label] = theory.elliptic_law_axes(strength, b, taus[label], density)
        _spectrum_panel(ax, data["eigenvalues"][label], data["radius"][label], ellipse=data["ellipse"].get(label),
                        outlier=data["outlier"][label] if b != 0 else None)
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


@_styled
def network_panels(W, states, *, strength: float, balance: float = 0.0, correlation: float | None = None,
                   title: str = "", neurons: int = 60) -> tuple[plt.Figure, dict]:
    """One network at a glance: matrix and spectrum (top row), activity raster (bottom row).

    This is the figure of the interactive explorers (:mod:`rnnlib.explorer`).

    Returns
    -------
    fig, data : data = {"W", "eigenvalues", "radius", "raster"}.
    """
    W = check_square("W", W)
    fig = plt.figure(figsize=(COLUMN_WIDTH, 5.6), layout="constrained")
    gs = fig.add_gridspec(2, 2, height_ratios=[1.25, 1])
    ax_w, ax_s, ax_r = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1]), fig.add_subplot(gs[1, :])
    im = _matrix_panel(ax_w, W, float(np.abs(W).max()) or 1.0)
    fig.colorbar(im, ax=ax_w, label="$w_{ij}$", shrink=0.85)
    ax_w.set_title("weights")
    ev, radius = eigenvalues(W), theory.circular_law_radius(strength, balance)
    ellipse = theory.elliptic_law_axes(strength, balance, correlation) if correlation is not None else None
    _spectrum_panel(ax_s, ev, radius, ellipse=ellipse)
    ax_s.set_title("spectrum")
    ax_s.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.5)
    _, raster = _raster_panel(ax_r, states, neurons)
    ax_r.set_title("activity $x_i(t)$ (black $-1$, white $+1$)")
    if title:
        fig.suptitle(title)
    return fig, {"W": W, "eigenvalues": ev, "radius": radius, "raster": raster}


# ---------------------------------------------------------------- maps over (balance, strength)

def _map_panel(fig, ax, da: xr.DataArray, name: str, *, cmap=SEQUENTIAL, norm=None, vmin=None, vmax=None,
               cbar=True, extend="neither"):
    b, w = da["balance"].values, da["strength"].values
    mesh = ax.pcolormesh(b, w, da.transpose("strength", "balance").values, cmap=cmap, norm=norm,
                         vmin=vmin, vmax=vmax, shading="nearest")
    ax.set(xlabel=_label("balance"), ylabel=_label("strength"))
    if cbar:
        fig.colorbar(mesh, ax=ax, label=_label(name) if name in LABELS else name, extend=extend)
    return mesh


def _regime_panel(fig, ax, dominant: xr.DataArray):
    """Most frequent class per cell, in the discrete :data:`REGIME_COLOURS` (the legend is the figure's)."""
    cmap = ListedColormap(REGIME_COLOURS)
    norm = BoundaryNorm(np.arange(len(REGIMES) + 1) - 0.5, cmap.N)
    return _map_panel(fig, ax, dominant, "regime", cmap=cmap, norm=norm, cbar=False)


def _regime_legend(fig, *, where="outside lower center"):
    """Legend of the attractor classes: one coloured square each."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="#444444", lw=0.5) for c in REGIME_COLOURS]
    fig.legend(handles, REGIMES, loc=where, ncols=len(REGIMES), handlelength=1.0, handletextpad=0.4,
               columnspacing=1.0, title="most frequent attractor class")


def _lyapunov_panel(fig, ax, da, limit, *, cbar=True, label=None):
    """A Lyapunov map on :data:`LYAPUNOV`, centred at 0, clipped at :math:`\\pm` ``limit`` (stated on the bar)."""
    mesh = _map_panel(fig, ax, da, "lyapunov", cmap=LYAPUNOV, vmin=-limit, vmax=limit, cbar=False)
    if cbar:
        fig.colorbar(mesh, ax=ax, extend="both",
                     label=label or rf"$\lambda$ (clipped at $\pm{limit:g}$)")
    return mesh


@_styled
def phase_diagram(ds: xr.Dataset, variables=("regime", "lyapunov", "fluctuation", "saturation"),
                  *, ncols: int = 2) -> tuple[plt.Figure, xr.Dataset]:
    r"""Maps over the (balance, strength) plane of instance-averaged signatures.

    ``regime`` shows the most frequent attractor class over instances in
    discrete colours with a legend; ``lyapunov`` its mean on a diverging scale
    centred at zero and clipped at :func:`lyapunov_clip` (stated on the colour
    bar); every other variable its mean over instances.

    Returns
    -------
    fig, data : Dataset with one (balance, strength) field per variable, plus
        ``regime_fraction`` (class, balance, strength) when ``regime`` is shown;
        ``data.attrs["lyapunov_clip"]`` holds the clip when ``lyapunov`` is shown.
    """
    _check_variables(ds, variables)
    fig, axes = _grid(len(variables), ncols=ncols, height=2.7)
    data = xr.Dataset()
    for ax, v in zip(axes, variables):
        if v == "regime":
            fractions, dominant = _regime_map(ds["regime"])
            data["regime"], data["regime_fraction"] = dominant, fractions
            _regime_panel(fig, ax, dominant)
        elif v == "lyapunov":
            data[v] = ds[v].mean("instance")
            data.attrs["lyapunov_clip"] = limit = lyapunov_clip(data[v].values)
            _lyapunov_panel(fig, ax, data[v], limit)
        else:
            data[v] = ds[v].mean("instance")
            _map_panel(fig, ax, data[v], v, cbar=False)
            fig.colorbar(ax.collections[0], ax=ax)
        ax.set_title(_label(v))
    if "regime" in variables:
        _regime_legend(fig)
    return fig, data


@_styled
def control_maps(ds: xr.Dataset, variable: str, *, low: float = 0.0, high: float = 1.0) -> tuple[plt.Figure, xr.Dataset]:
    """A (balance, strength) map at control ``low`` and ``high`` and their difference (high - low).

    The two maps share one colour bar. The difference is the mean over
    instances of the paired difference on the diverging map :data:`DIVERGING`,
    centred on zero. For ``regime`` the two maps show the most frequent class
    (discrete colours, legend below) and the difference the change of the
    fraction of chaotic instances. For ``lyapunov`` every panel is centred at
    zero and clipped at :func:`lyapunov_clip` of the two maps (stated on the bars).

    Returns
    -------
    fig, data : Dataset with ``low``, ``high``, ``difference`` fields (balance, strength).
    """
    control = _control_dim(ds)
    _check_variables(ds, [variable])
    a, b = ds[variable].sel({control: low}, drop=True), ds[variable].sel({control: high}, drop=True)
    fig, axes = _grid(3, height=2.75, sharey=True)
    sym = SYMBOLS[control]
    if variable == "regime":
        (fa, da), (fb, db) = _regime_map(a), _regime_map(b)
        data = xr.Dataset({"low": da, "high": db, "difference": fb.sel({"class": "chaotic"}) - fa.sel({"class": "chaotic"})})
        _regime_panel(fig, axes[0], da)
        _regime_panel(fig, axes[1], db)
        _regime_legend(fig)
        diff_name, limit, extend = "change of chaotic fraction", 1.0, "neither"
        diff_cmap = DIVERGING
    else:
        data = xr.Dataset({"low": a.mean("instance"), "high": b.mean("instance"), "difference": (b - a).mean("instance")})
        if variable == "lyapunov":
            limit = lyapunov_clip(np.concatenate([data["low"].values.ravel(), data["high"].values.ravel()]))
            data.attrs["lyapunov_clip"] = limit
            mesh = _lyapunov_panel(fig, axes[0], data["low"], limit, cbar=False)
            _lyapunov_panel(fig, axes[1], data["high"], limit, cbar=False)
            fig.colorbar(mesh, ax=axes[:2], extend="both", label=rf"$\lambda$ (clipped at $\pm{limit:g}$)")
            # the change gets the map of differences, so that red keeps meaning "chaotic" in the two maps
            diff_name, extend, diff_cmap = rf"change of $\lambda$ (clipped at $\pm{limit:g}$)", "both", DIVERGING
        else:
            vmin = float(min(data["low"].min(), data["high"].min()))
            vmax = float(max(data["low"].max(), data["high"].max()))
            mesh = _map_panel(fig, axes[0], data["low"], variable, vmin=vmin, vmax=vmax, cbar=False)
            _map_panel(fig, axes[1], data["high"], variable, vmin=vmin, vmax=vmax, cbar=False)
            fig.colorbar(mesh, ax=axes[:2], label=_label(variable))
            limit = float(np.nanmax(np.abs(data["difference"].values))) or 1.0
            diff_name, extend, diff_cmap = "change", "neither", DIVERGING
    _map_panel(fig, axes[2], data["difference"], diff_name, cmap=diff_cmap, vmin=-limit, vmax=limit, extend=extend)
    for ax in axes[1:]:
        ax.set_ylabel("")
    axes[0].set_title(f"${sym} = {low:g}$")
    axes[1].set_title(f"${sym} = {high:g}$")
    axes[2].set_title(f"${sym} = {high:g}$ minus ${sym} = {low:g}$")
    data.attrs.update(variable=variable, control=control)
    return fig, data


@_styled
def claim_regions(regions: dict) -> tuple[plt.Figure, dict]:
    """One (balance, strength) map per claim: where it holds, where the opposite holds, where neither.

    Three discrete classes, named in a legend under the figure.

    Parameters
    ----------
    regions : dict
        Panel title -> dataset of :func:`rnnlib.scorecard.claim_region`
        (``verdict`` +1 holds, -1 opposite, 0 no significant change).

    Returns
    -------
    fig, data : the ``verdict`` field of every panel, keyed by title.
    """
    from matplotlib.patches import Patch

    if not regions:
        raise ValueError("regions must hold at least one claim region")
    colours = [plt.get_cmap(DIVERGING)(0.05), "#ececec", plt.get_cmap(DIVERGING)(0.95)]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm([-1.5, -0.5, 0.5, 1.5], cmap.N)
    fig, axes = _grid(len(regions), ncols=3, height=2.6, sharey=True)
    data = {}
    for k, (ax, (title, region)) in enumerate(zip(axes, regions.items())):
        data[title] = region["verdict"]
        _map_panel(fig, ax, region["verdict"], "verdict", cmap=cmap, norm=norm, cbar=False)
        ax.set_title(title)
        if k % 3:
            ax.set_ylabel("")
    fig.legend([Patch(facecolor=c, edgecolor="#444444", lw=0.5) for c in colours[::-1]],
               ["claim holds (significant)", "no significant change", "opposite (significant)"],
               loc="outside lower center", ncols=3, handlelength=1.0)
    return fig, data


@_styled
def lyapunov_curve(ds: xr.Dataset, *, n: int | None = None, onset: float | None = None) -> tuple[plt.Figure, xr.Dataset]:
    r"""Largest Lyapunov exponent against strength at balance 0, with the mean-field curve and the residual.

    Top: measured exponent (markers, mean over instances with its 95% interval)
    on the mean-field line :func:`rnnlib.theory.meanfield_lyapunov` (large-N
    limit, zero at :math:`w = 1`). Bottom: the residual, measured minus theory,
    so that close agreement stays visible. ``onset`` (for example
    :func:`rnnlib.chapter.chaos_onset`) is marked by a vertical line in both panels.

    Returns
    -------
    fig, data : Dataset over strength with ``mean``, ``ci`` (half width), ``meanfield``, ``residual``.
    """
    lam = ds["lyapunov"]
    if "balance" in lam.dims:
        lam = lam.sel(balance=0.0)
    mean, half = _mean_ci(lam)
    w = mean["strength"].values
    theory_curve = np.array([theory.meanfield_lyapunov(x) for x in w])
    data = xr.Dataset({"mean": mean, "ci": half, "meanfield": ("strength", theory_curve),
                       "residual": mean - theory_curve})
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(0.8 * COLUMN_WIDTH, 4.4), sharex=True, layout="constrained",
                                      gridspec_kw={"height_ratios": [2.2, 1]})
    fine = np.linspace(max(w.min(), 1e-3), w.max(), 300)
    top.plot(fine, [theory.meanfield_lyapunov(x) for x in fine], "-", color=_OKABE_ITO[1], lw=2.2,
             label="mean-field theory", zorder=1)
    top.errorbar(w, mean, yerr=half, fmt="o", ms=4.5, color="black", mfc="white", mew=1.2, elinewidth=1,
                 capsize=0, label="measured" + (f" ($N = {n}$)" if n else "") + ", 95% CI", zorder=2)
    bottom.errorbar(w, data["residual"], yerr=half, fmt="o", ms=4, color="black", mfc="white", mew=1.1,
                    elinewidth=1, capsize=0)
    for ax in (top, bottom):
        ax.axhline(0, color="#777777", lw=0.8, zorder=0)
        ax.axvline(1.0, color=_OKABE_ITO[1], lw=0.8, ls=":", zorder=0)
        if onset is not None and np.isfinite(onset):
            ax.axvline(onset, color=_OKABE_ITO[6], lw=1.2, ls="--", zorder=0,
                       label=f"measured onset $w = {onset:.2f}$" if ax is top else None)
    top.set(ylabel=_label("lyapunov"), title="balance $b = 0$")
    bottom.set(xlabel=_label("strength"), ylabel="measured\nminus theory")
    top.legend(loc="lower right")
    return fig, data


# ---------------------------------------------------------------- curves against a control parameter

@_styled
def control_curves(ds: xr.Dataset, variables, *, by: str = "point", panels: str | None = None,
                   ncols: int = 3, bands: bool = True) -> tuple[plt.Figure, xr.Dataset]:
    """Variables against the control parameter, one line per value of ``by`` (mean, 95% interval).

    ``by`` is ``"point"`` (named (b, w) points), ``"task"`` or ``"modules"``.
    One panel per variable or, with ``panels`` (e.g. ``"task"``), one panel
    per value of that dimension for a single variable. Other dimensions
    besides instance must be absent or of size one. The interval is a
    translucent band, or with ``bands=False`` an error bar on markers shifted
    slightly sideways per line, so overlapping intervals stay apart.
    Where a variable is undefined for every instance (for instance the
    pairwise correlation when no neuron fluctuates) the line has a gap, and a
    cross on the lower axis edge marks each such value.

    Returns
    -------
    fig, data : Dataset with ``<variable>`` (mean) and ``<variable>_ci``
        (half width) over (control, by[, panels]).
    """
    control = _control_dim(ds)
    variables = [variables] if isinstance(variables, str) else list(variables)
    _check_variables(ds, variables)
    for d in (by, panels):
        if d is not None and d not in ds.dims:
            raise ValueError(f"dimension {d!r} not in the dataset (has {sorted(ds.dims)})")
    if panels is not None and len(variables) != 1:
        raise ValueError(f"panels={panels!r} needs exactly one variable, got {variables}")
    data = xr.Dataset()
    for v in variables:
        mean, half = _mean_ci(ds[v].astype(float))
        extra = [d for d in mean.dims if d not in (control, by, panels)]
        if any(mean.sizes[d] > 1 for d in extra):
            raise ValueError(f"{v!r} has extra swept dimensions {extra}; select one value first")
        data[v], data[f"{v}_ci"] = mean.squeeze(extra, drop=True), half.squeeze(extra, drop=True)
    if panels is None:
        spec = [(v, {}, "") for v in variables]
    else:
        titles = _point_labels(ds) if panels == "point" else [str(v) for v in ds[panels].values]
        spec = [(variables[0], {panels: k}, t.replace(" (", "\n(")) for k, t in enumerate(titles)]
    labels = _point_labels(ds) if by == "point" else [f"${'K' if by == 'modules' else by} = {v}$" for v in ds[by].values]
    slot = len(spec) % ncols != 0 if len(spec) > ncols else False
    fig, axes, *rest = _grid(len(spec), ncols=ncols, height=2.1, sharex=True, legend_slot=slot)
    x = ds[control].values
    step = float(np.min(np.diff(x))) if len(x) > 1 else 1.0
    gaps = False
    for ax, (v, where, title) in zip(axes, spec):
        for k, label in enumerate(labels):
            m = data[v].isel({**where, by: k}).values
            h = data[f"{v}_ci"].isel({**where, by: k}).values
            if bands:
                line, = ax.plot(x, m, "o-", ms=3.5, label=label)
                ax.fill_between(x, m - h, m + h, color=line.get_color(), alpha=0.2, lw=0)
            else:
                dx = (k - (len(labels) - 1) / 2) * 0.12 * step
                line = ax.errorbar(x + dx, m, yerr=h, fmt="o-", ms=4, capsize=0, elinewidth=1.2, label=label).lines[0]
            missing = ~np.isfinite(m)
            if missing.any():
                gaps = True
                ax.plot(x[missing], np.zeros(missing.sum()), "x", ms=6, mew=1.5, color=line.get_color(),
                        transform=ax.get_xaxis_transform(), clip_on=False)
        ax.set(ylabel=_label(v), title=title, xticks=np.linspace(x.min(), x.max(), 3))
    for ax in axes[-ncols:]:
        ax.set_xlabel(SHORT[control])
        ax.xaxis.set_tick_params(labelbottom=True)
    handles, names = axes[0].get_legend_handles_labels()
    if gaps:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], ls="", marker="x", color="#444444", mew=1.5))
        names.append("undefined (no neuron fluctuates)")
    if rest:
        _legend_in(rest[0], handles, names, title=by if by != "point" else "point")
    else:
        fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 2))
    return fig, data


@_styled
def regime_fractions(ds: xr.Dataset, *, by: str = "point", ncols: int = 3) -> tuple[plt.Figure, xr.DataArray]:
    """Fraction of instances in each attractor class against the control parameter (stacked), a panel per ``by``.

    Returns
    -------
    fig, data : DataArray (class, control, by) of fractions (they sum to one over class).
    """
    control = _control_dim(ds)
    fractions, _ = _regime_map(ds["regime"])
    extra = [d for d in fractions.dims if d not in ("class", control, by)]
    if any(fractions.sizes[d] > 1 for d in extra):
        raise ValueError(f"regime has extra swept dimensions {extra}; select one value first")
    fractions = fractions.squeeze(extra, drop=True).transpose("class", control, by)
    labels = _point_labels(ds) if by == "point" else [f"{by} = {v}" for v in ds[by].values]
    slot = len(labels) % ncols != 0 if len(labels) > ncols else False
    fig, axes, *rest = _grid(len(labels), ncols=ncols, height=2.1, sharex=True, sharey=True, legend_slot=slot)
    x = ds[control].values
    for k, (ax, label) in enumerate(zip(axes, labels)):
        ax.stackplot(x, fractions.isel({by: k}).values, colors=REGIME_COLOURS, labels=REGIMES,
                     edgecolor="white", linewidth=0.5)
        ax.set(ylim=(0, 1), xlim=(x.min(), x.max()), xticks=np.linspace(x.min(), x.max(), 3))
        ax.set_title(label.replace(" (", "\n("), fontsize=FONT_SIZE)
    for k, ax in enumerate(axes):
        if k % ncols == 0:
            ax.set_ylabel("fraction")
    for ax in axes[-ncols:]:
        ax.set_xlabel(SHORT[control])
        ax.xaxis.set_tick_params(labelbottom=True)
    handles, names = axes[0].get_legend_handles_labels()
    if rest:
        _legend_in(rest[0], handles[::-1], names[::-1], title="attractor class")
    else:
        fig.legend(handles, names, loc="outside lower center", ncols=3)
    return fig, fractions


def paired_effects(ds: xr.Dataset, variable: str = "accuracy", *, control: str | None = None, over=(),
                   low: float = 0.0, high: float = 1.0) -> list[dict]:
    """Paired differences ``high - low`` of ``variable`` for every combination of the ``over`` dimensions.

    Pairs are instances: every other dimension (points, tasks, ...) is averaged
    within each instance first, since cells of one instance share its networks
    and are not independent pairs. Each row
    holds ``label``, the coordinate of each ``over`` dimension, and the fields of
    :func:`rnnlib.stats.paired_difference` (``mean``, ``ci_low``, ``ci_high``,
    ``p_value``, and its ``n`` under the name ``pairs``, since ``n`` can be a
    swept dimension), ready for :func:`effect_forest`. ``control`` defaults to
    the regularity dimension of ``ds``.
    """
    from .stats import paired_difference

    control = control or _control_dim(ds)
    da = ds[variable]
    rows = []
    for combo in itertools.product(*[ds[d].values.tolist() for d in over]):
        key = dict(zip(over, combo))
        cell = da.sel(key)
        lo, hi = (cell.sel({control: c}) for c in (low, high))
        rest = [d for d in lo.dims if d != "instance"]
        r = paired_difference(lo.mean(rest).values, hi.mean(rest).values)
        rows.append({"label": ", ".join(str(v) for v in key.values()) or variable, **key,
                     "mean": r.mean, "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": r.p_value, "pairs": r.n})
    return rows


@_styled
def effect_forest(effects: list[dict], *, xlabel: str = "paired difference") -> tuple[plt.Figure, list[dict]]:
    """Forest plot of paired effects: mean difference with its 95% interval and the p-value.

    Parameters
    ----------
    effects : list of dict
        Each with keys ``mean``, ``ci_low``, ``ci_high``, ``p_value`` (as in
        :func:`rnnlib.stats.paired_difference`) and either ``label`` or
        ``task`` and ``point`` (the per-cell rows of :mod:`rnnlib.scorecard`).
    """
    if not effects:
        raise ValueError("effects must hold at least one row")
    effects = [{**e, "label": e.get("label") or f"{e['task']}, {e['point']}"} for e in effects]
    fig, (ax,) = _grid(1, height=0.27 * len(effects) + 1.0)
    y = np.arange(len(effects))[::-1]
    for yi, e in zip(y, effects):
        ax.errorbar(e["mean"], yi, xerr=[[e["mean"] - e["ci_low"]], [e["ci_high"] - e["mean"]]], fmt="o",
                    color="black", ms=4.5, capsize=0, elinewidth=1.4)
        ax.annotate(f"p = {e['p_value']:.2g}", (1.02, yi), xycoords=("axes fraction", "data"), va="center")
    ax.axvline(0, color="#777777", lw=0.9)
    ax.set_yticks(y, [e["label"] for e in effects])
    ax.set_ylim(-0.7, len(effects) - 0.3)
    ax.set_xlabel(xlabel)
    return fig, effects


@_styled
def accuracy_vs_saturation(reservoirs: dict) -> tuple[plt.Figure, xr.Dataset]:
    """Instance-mean accuracy against instance-mean saturation under input, a panel per regularity.

    Every condition (point, control value, task) is one marker, coloured by
    the control parameter; panels share both axes so the regularities compare
    at a glance without hiding each other.

    Parameters
    ----------
    reservoirs : dict regularity -> Dataset
        ``{reg}_reservoir`` datasets (point, control, task, instance) with
        ``accuracy`` and ``saturation_input``.

    Returns
    -------
    fig, data : Dataset over ``condition`` with ``accuracy``, ``saturation_input``,
        ``control``, ``regularity``, ``task``, ``point``.
    """
    if not reservoirs:
        raise ValueError("reservoirs must hold at least one regularity's dataset")
    parts = []
    for reg, ds in reservoirs.items():
        control = _control_dim(ds)
        mean = ds[["accuracy", "saturation_input"]].mean("instance").drop_vars(["balance", "strength"], errors="ignore")
        flat = mean.rename({control: "control"}).stack(condition=("point", "control", "task")).reset_index("condition")
        parts.append(flat.assign(regularity=("condition", [reg] * flat.sizes["condition"])))
    flat = xr.concat(parts, "condition")
    data = xr.Dataset({k: ("condition", flat[k].values) for k in
                       ("accuracy", "saturation_input", "control", "regularity", "task", "point")})
    fig, axes = _grid(len(reservoirs), ncols=3, height=2.6, sharex=True, sharey=True)
    for k, (ax, reg) in enumerate(zip(axes, reservoirs)):
        sel = data["regularity"].values == reg
        sc = ax.scatter(data["saturation_input"].values[sel], data["accuracy"].values[sel],
                        c=data["control"].values[sel], cmap=SEQUENTIAL, vmin=0, vmax=1, s=18,
                        edgecolors="black", linewidths=0.3)
        ax.set(title=reg, xlabel=r"saturation $\langle|x|\rangle$")
        if k % 3 == 0:
            ax.set_ylabel(_label("accuracy"))
    fig.colorbar(sc, ax=axes, label="control ($D$, $H$ or $M$)")
    return fig, data
