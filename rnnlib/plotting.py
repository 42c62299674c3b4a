r"""Figures of the book, one function per kind of figure.

Every function returns ``(fig, data)``: the matplotlib figure and an
:class:`xarray.Dataset` (or a dict of arrays) holding exactly the numbers that
are drawn, so tests assert on numbers, never on pixels. Style is shared
(:data:`STYLE`); sequential colour maps read in grey (``cividis`` for signed
weights and continuous quantities, ``gray`` for activity); the diverging map
:data:`DIVERGING` appears only where a panel shows a difference.

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
    "STYLE", "SEQUENTIAL", "DIVERGING", "SYMBOLS", "LABELS", "weight_matrices", "weight_histograms", "spectra",
    "activity_raster", "network_panels", "phase_diagram", "control_maps", "lyapunov_curve",
    "control_curves", "regime_fractions", "paired_effects", "effect_forest", "accuracy_vs_saturation",
    "claim_regions",
]

STYLE = {
    "figure.dpi": 100, "savefig.dpi": 100, "font.size": 9, "axes.titlesize": 9, "axes.labelsize": 9,
    "legend.fontsize": 8, "xtick.labelsize": 8, "ytick.labelsize": 8, "axes.spines.top": False,
    "axes.spines.right": False, "image.cmap": "cividis", "lines.linewidth": 1.4,
    "axes.prop_cycle": plt.cycler(color=["#1b1b1b", "#3b6fb6", "#d08c00", "#7a7a7a", "#a23b72", "#2f9e6e"]),
}
SEQUENTIAL = "cividis"
DIVERGING = "PuOr_r"
REGIME_COLOURS = plt.get_cmap("viridis")(np.linspace(0.0, 1.0, len(REGIMES)))

#: Symbol of each regularity's control parameter.
SYMBOLS = {"dale": "D", "reciprocity": "H", "modularity": "M"}

#: Axis labels with symbols for every quantity the book plots.
LABELS = {
    "balance": "balance $b$", "strength": "strength $w$", "dale": "Dale monopolarity $D$",
    "reciprocity": "Hopfield reciprocity $H$", "modularity": "modularity $M$", "modules": "modules $K$",
    "n": "neurons $N$", "mean_activation": r"mean activation $\langle x\rangle$",
    "saturation": r"saturation $\langle|x|\rangle$", "fraction_saturated": r"fraction $|x|>0.9$",
    "fluctuation": r"fluctuation $\langle\sigma_t(x_i)\rangle$", "lag1_autocorrelation": "lag-1 autocorrelation",
    "pairwise_correlation": "rms pairwise correlation", "lyapunov": r"largest Lyapunov exponent $\lambda$",
    "period": "period $p$", "regime": "attractor class", "accuracy": "test accuracy",
    "train_accuracy": "training accuracy", "saturation_input": r"saturation under input $\langle|x|\rangle$",
    "fraction_saturated_input": r"fraction $|x|>0.9$ under input",
}


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


def _grid(panels: int, *, ncols: int | None = None, width: float = 2.6, height: float = 2.3, **kw):
    ncols = min(panels, ncols or panels)
    nrows = -(-panels // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False,
                             layout="constrained", **kw)
    for ax in axes.flat[panels:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:panels])


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
    return [f"{p} (b={float(b):g}, w={float(w):g})" for p, b, w in
            zip(ds["point"].values, ds["balance"].values, ds["strength"].values)]


# ---------------------------------------------------------------- matrices

_CIRCLE = np.exp(1j * np.linspace(0, 2 * np.pi, 400))


def _matrix_panel(ax, W, limit):
    ax.set(xlabel="from neuron $j$", ylabel="to neuron $i$")
    return ax.imshow(W, cmap=SEQUENTIAL, vmin=-limit, vmax=limit, interpolation="nearest")


def _spectrum_panel(ax, ev, radius, *, ellipse=None, outlier=None):
    """Eigenvalues, circular law (dashed), elliptic law (dotted), outlier (cross), unit circle (grey)."""
    ax.plot(ev.real, ev.imag, ".", ms=2.5, color="#1b1b1b", label="eigenvalues")
    ax.plot(radius * _CIRCLE.real, radius * _CIRCLE.imag, "--", color="#3b6fb6", label="circular law")
    if ellipse is not None:
        ax.plot(ellipse[0] * _CIRCLE.real, ellipse[1] * _CIRCLE.imag, ":", color="#d08c00", label="elliptic law")
    if outlier is not None:
        ax.plot([outlier], [0], "x", ms=7, color="#a23b72", label=r"outlier $N\mu$")
    ax.plot(_CIRCLE.real, _CIRCLE.imag, color="#7a7a7a", lw=0.6, label=r"$|\lambda|=1$")
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
    fig, axes = _grid(len(mats), width=2.4, height=2.5)
    for ax, label, W in zip(axes, matrices, mats):
        im = _matrix_panel(ax, W, limit)
        ax.set_title(str(label))
    fig.colorbar(im, ax=axes, shrink=0.8, label="$w_{ij}$")
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
    fig, (ax,) = _grid(1, width=3.6, height=2.5)
    counts = {}
    for i, (label, w) in enumerate(mats.items()):
        counts[label], _ = np.histogram(w, edges)
        ax.stairs(counts[label], edges, label=label, linestyle=("-", "--", ":", "-.")[i % 4])
    ax.set(xlabel=xlabel, ylabel="count", yscale="log")
    ax.legend(frameon=False)
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
    fig, axes = _grid(len(matrices), width=2.5, height=2.5)
    data = {"eigenvalues": {}, "radius": {}, "outlier": {}, "ellipse": {}}
    for ax, label, W in zip(axes, labels, matrices.values()):
        W, b = check_square(f"matrices[{label!r}]", W), balances[label]
        data["eigenvalues"][label] = eigenvalues(W)
        data["radius"][label] = theory.circular_law_radius(strength, b, density)
        data["outlier"][label] = theory.mean_outlier(W.shape[0], strength, b, density)
        if label in taus:
            data["ellipse"][label] = theory.elliptic_law_axes(strength, b, taus[label], density)
        _spectrum_panel(ax, data["eigenvalues"][label], data["radius"][label], ellipse=data["ellipse"].get(label),
                        outlier=data["outlier"][label] if b != 0 else None)
        ax.set_title(label)
    handles = {n: h for ax in axes for h, n in zip(*ax.get_legend_handles_labels())}
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=len(handles), frameon=False)
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
    fig, (ax,) = _grid(1, width=5.0, height=2.4)
    im, shown = _raster_panel(ax, states, neurons)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="$x_i(t)$")
    return fig, shown


@_styled
def network_panels(W, states, *, strength: float, balance: float = 0.0, correlation: float | None = None,
                   title: str = "", neurons: int = 60) -> tuple[plt.Figure, dict]:
    """One network at a glance: matrix, spectrum with the circular (and elliptic) law, activity raster.

    This is the figure of the interactive explorers (:mod:`rnnlib.explorer`).

    Returns
    -------
    fig, data : data = {"W", "eigenvalues", "radius", "raster"}.
    """
    W = check_square("W", W)
    fig = plt.figure(figsize=(9.6, 3.2), layout="constrained")
    gs = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.6])
    ax_w, ax_s, ax_r = (fig.add_subplot(gs[0, k]) for k in range(3))
    _matrix_panel(ax_w, W, float(np.abs(W).max()) or 1.0)
    ax_w.set_title("weights $w_{ij}$")
    ev, radius = eigenvalues(W), theory.circular_law_radius(strength, balance)
    ellipse = theory.elliptic_law_axes(strength, balance, correlation) if correlation is not None else None
    _spectrum_panel(ax_s, ev, radius, ellipse=ellipse)
    ax_s.set_title("spectrum")
    fig.legend(*ax_s.get_legend_handles_labels(), loc="outside lower center", ncols=4, frameon=False)
    _, raster = _raster_panel(ax_r, states, neurons)
    ax_r.set_title("activity $x_i(t)$ (black $-1$, white $+1$)")
    if title:
        fig.suptitle(title)
    return fig, {"W": W, "eigenvalues": ev, "radius": radius, "raster": raster}


# ---------------------------------------------------------------- maps over (balance, strength)

def _map_panel(fig, ax, da: xr.DataArray, name: str, *, cmap=SEQUENTIAL, norm=None, vmin=None, vmax=None, cbar=True):
    b, w = da["balance"].values, da["strength"].values
    mesh = ax.pcolormesh(b, w, da.transpose("strength", "balance").values, cmap=cmap, norm=norm,
                         vmin=vmin, vmax=vmax, shading="nearest")
    ax.set(xlabel=_label("balance"), ylabel=_label("strength"))
    if cbar:
        fig.colorbar(mesh, ax=ax, label=_label(name) if name in LABELS else name)
    return mesh


def _regime_panel(fig, ax, dominant: xr.DataArray):
    cmap = ListedColormap(REGIME_COLOURS)
    norm = BoundaryNorm(np.arange(len(REGIMES) + 1) - 0.5, cmap.N)
    mesh = _map_panel(fig, ax, dominant, "regime", cmap=cmap, norm=norm, cbar=False)
    bar = fig.colorbar(mesh, ax=ax, ticks=np.arange(len(REGIMES)))
    bar.ax.set_yticklabels(REGIMES)


@_styled
def phase_diagram(ds: xr.Dataset, variables=("regime", "lyapunov", "fluctuation", "saturation"),
                  *, ncols: int = 2) -> tuple[plt.Figure, xr.Dataset]:
    r"""Maps over the (balance, strength) plane of instance-averaged signatures.

    ``regime`` shows the most frequent attractor class over instances (colours
    from viridis, ordered quiescent, fixed point, periodic, chaotic,
    irregular); every other variable its mean over instances.

    Returns
    -------
    fig, data : Dataset with one (balance, strength) field per variable, plus
        ``regime_fraction`` (class, balance, strength) when ``regime`` is shown.
    """
    _check_variables(ds, variables)
    fig, axes = _grid(len(variables), ncols=ncols, width=3.3, height=2.7)
    data = xr.Dataset()
    for ax, v in zip(axes, variables):
        if v == "regime":
            fractions, dominant = _regime_map(ds["regime"])
            data["regime"], data["regime_fraction"] = dominant, fractions
            _regime_panel(fig, ax, dominant)
        else:
            data[v] = ds[v].mean("instance")
            _map_panel(fig, ax, data[v], v)
        ax.set_title(_label(v))
    return fig, data


@_styled
def control_maps(ds: xr.Dataset, variable: str, *, low: float = 0.0, high: float = 1.0) -> tuple[plt.Figure, xr.Dataset]:
    """A (balance, strength) map at control ``low`` and ``high`` and their difference (high - low).

    The difference is the mean over instances of the paired difference and
    uses the diverging map :data:`DIVERGING`, centred on zero. For ``regime``,
    the first two panels show the most frequent class and the third the change
    of the fraction of chaotic instances.

    Returns
    -------
    fig, data : Dataset with ``low``, ``high``, ``difference`` fields (balance, strength).
    """
    control = _control_dim(ds)
    _check_variables(ds, [variable])
    a, b = ds[variable].sel({control: low}, drop=True), ds[variable].sel({control: high}, drop=True)
    fig, axes = _grid(3, width=3.3, height=2.7)
    sym = SYMBOLS[control]
    if variable == "regime":
        (fa, da), (fb, db) = _regime_map(a), _regime_map(b)
        data = xr.Dataset({"low": da, "high": db, "difference": fb.sel({"class": "chaotic"}) - fa.sel({"class": "chaotic"})})
        _regime_panel(fig, axes[0], da)
        _regime_panel(fig, axes[1], db)
        diff_name = "change of chaotic fraction"
    else:
        data = xr.Dataset({"low": a.mean("instance"), "high": b.mean("instance"), "difference": (b - a).mean("instance")})
        vmin = float(min(data["low"].min(), data["high"].min()))
        vmax = float(max(data["low"].max(), data["high"].max()))
        _map_panel(fig, axes[0], data["low"], variable, vmin=vmin, vmax=vmax)
        _map_panel(fig, axes[1], data["high"], variable, vmin=vmin, vmax=vmax)
        diff_name = f"difference of {_label(variable)}"
    limit = float(np.nanmax(np.abs(data["difference"].values))) or 1.0
    _map_panel(fig, axes[2], data["difference"], diff_name, cmap=DIVERGING, vmin=-limit, vmax=limit)
    axes[0].set_title(f"${sym} = {low:g}$")
    axes[1].set_title(f"${sym} = {high:g}$")
    axes[2].set_title(f"${sym} = {high:g}$ minus ${sym} = {low:g}$")
    data.attrs.update(variable=variable, control=control)
    return fig, data


@_styled
def claim_regions(regions: dict) -> tuple[plt.Figure, dict]:
    """One (balance, strength) map per claim: where it holds, where the opposite holds, where neither.

    Parameters
    ----------
    regions : dict
        Panel title -> dataset of :func:`rnnlib.scorecard.claim_region`
        (``verdict`` +1 holds, -1 opposite, 0 no significant change).

    Returns
    -------
    fig, data : the ``verdict`` field of every panel, keyed by title.
    """
    if not regions:
        raise ValueError("regions must hold at least one claim region")
    cmap = ListedColormap([plt.get_cmap(DIVERGING)(0.05), "#ececec", plt.get_cmap(DIVERGING)(0.95)])
    norm = BoundaryNorm([-1.5, -0.5, 0.5, 1.5], cmap.N)
    fig, axes = _grid(len(regions), width=3.0, height=2.7)
    data = {}
    for ax, (title, region) in zip(axes, regions.items()):
        data[title] = region["verdict"]
        mesh = _map_panel(fig, ax, region["verdict"], "verdict", cmap=cmap, norm=norm, cbar=False)
        ax.set_title(title)
    bar = fig.colorbar(mesh, ax=axes, ticks=[-1, 0, 1])
    bar.ax.set_yticklabels(["opposite\n(significant)", "no significant\nchange", "claim holds\n(significant)"])
    return fig, data


@_styled
def lyapunov_curve(ds: xr.Dataset, *, n: int | None = None) -> tuple[plt.Figure, xr.Dataset]:
    r"""Largest Lyapunov exponent against strength at balance 0, with the mean-field curve.

    Measured: mean over instances with a 95% band. Theory:
    :func:`rnnlib.theory.meanfield_lyapunov` (large-N limit, zero at :math:`w = 1`).

    Returns
    -------
    fig, data : Dataset over strength with ``mean``, ``ci`` (half width), ``meanfield``.
    """
    lam = ds["lyapunov"]
    if "balance" in lam.dims:
        lam = lam.sel(balance=0.0)
    mean, half = _mean_ci(lam)
    w = mean["strength"].values
    data = xr.Dataset({"mean": mean, "ci": half,
                       "meanfield": ("strength", np.array([theory.meanfield_lyapunov(x) for x in w]))})
    fig, (ax,) = _grid(1, width=4.2, height=2.8)
    ax.fill_between(w, mean - half, mean + half, color="#bbbbbb", label="95% interval")
    ax.plot(w, mean, "o-", ms=3, color="#1b1b1b", label="measured" + (f" (N = {n})" if n else ""))
    ax.plot(w, data["meanfield"], "--", color="#3b6fb6", label="mean-field theory")
    ax.axhline(0, color="#7a7a7a", lw=0.6)
    ax.set(xlabel=_label("strength"), ylabel=_label("lyapunov"), title="balance $b = 0$")
    ax.legend(frameon=False)
    return fig, data


# ---------------------------------------------------------------- curves against a control parameter

@_styled
def control_curves(ds: xr.Dataset, variables, *, by: str = "point", panels: str | None = None,
                   ncols: int = 3) -> tuple[plt.Figure, xr.Dataset]:
    """Variables against the control parameter, one line per value of ``by`` (mean, 95% band).

    ``by`` is ``"point"`` (named (b, w) points), ``"task"`` or ``"modules"``.
    One panel per variable or, with ``panels`` (e.g. ``"task"``), one panel
    per value of that dimension for a single variable. Other dimensions
    besides instance must be absent or of size one.

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
        spec = [(variables[0], {panels: k}, f"{panels}: {ds[panels].values[k]}") for k in range(ds.sizes[panels])]
    fig, axes = _grid(len(spec), ncols=ncols, width=2.7, height=2.3)
    labels = _point_labels(ds) if by == "point" else [f"{by} = {v}" for v in ds[by].values]
    x = ds[control].values
    for ax, (v, where, title) in zip(axes, spec):
        for k, label in enumerate(labels):
            m = data[v].isel({**where, by: k}).values
            h = data[f"{v}_ci"].isel({**where, by: k}).values
            line, = ax.plot(x, m, "o-", ms=3, label=label)
            ax.fill_between(x, m - h, m + h, color=line.get_color(), alpha=0.2, lw=0)
        ax.set(xlabel=_label(control), ylabel=_label(v), title=title)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 3), frameon=False)
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
    fig, axes = _grid(len(labels), ncols=ncols, width=2.7, height=2.3)
    x = ds[control].values
    for k, (ax, label) in enumerate(zip(axes, labels)):
        ax.stackplot(x, fractions.isel({by: k}).values, colors=REGIME_COLOURS, labels=REGIMES,
                     edgecolor="white", linewidth=0.4)
        ax.set(xlabel=_label(control), ylabel="fraction of instances", title=label, ylim=(0, 1),
               xlim=(x.min(), x.max()))
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=len(REGIMES), frameon=False)
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
    fig, (ax,) = _grid(1, width=5.2, height=0.35 * len(effects) + 0.9)
    y = np.arange(len(effects))[::-1]
    for yi, e in zip(y, effects):
        ax.errorbar(e["mean"], yi, xerr=[[e["mean"] - e["ci_low"]], [e["ci_high"] - e["mean"]]], fmt="o",
                    color="#1b1b1b", ms=4, capsize=2)
        ax.annotate(f"p = {e['p_value']:.2g}", (1.01, yi), xycoords=("axes fraction", "data"), va="center", fontsize=7)
    ax.axvline(0, color="#7a7a7a", lw=0.8)
    ax.set_yticks(y, [e["label"] for e in effects])
    ax.set_xlabel(xlabel)
    return fig, effects


@_styled
def accuracy_vs_saturation(reservoirs: dict) -> tuple[plt.Figure, xr.Dataset]:
    """Instance-mean accuracy against instance-mean saturation under input, every condition of every regularity.

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
    fig, (ax,) = _grid(1, width=4.8, height=3.3)
    markers = "osD^v"
    for k, reg in enumerate(reservoirs):
        sel = data["regularity"].values == reg
        sc = ax.scatter(data["saturation_input"].values[sel], data["accuracy"].values[sel],
                        c=data["control"].values[sel], cmap=SEQUENTIAL, vmin=0, vmax=1, marker=markers[k % 5],
                        s=20, edgecolors="#1b1b1b", linewidths=0.4, label=reg)
    fig.colorbar(sc, ax=ax, label="control parameter ($D$, $H$ or $M$)")
    ax.set(xlabel=_label("saturation_input"), ylabel=_label("accuracy"))
    ax.legend(frameon=False, fontsize=7)
    return fig, data
