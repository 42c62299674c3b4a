r"""Maps over the (balance, strength) plane: phase diagrams, control-parameter comparisons, claim regions,
and the Lyapunov exponent against strength with mean-field theory. Public through :mod:`rnnlib.book.plotting`."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.colors import BoundaryNorm, ListedColormap

from ..model import theory
from ..statistics.stats import control_dim as _control_dim
from .figstyle import (check_variables as _check_variables, COLUMN_WIDTH, DIVERGING,
                       grid as _grid, label as _label, LABELS, LYAPUNOV, lyapunov_clip, mean_ci as _mean_ci,
                       OKABE_ITO as _OKABE_ITO, plain as _plain, REGIME_COLOURS, regime_map as _regime_map, SEQUENTIAL,
                       styled as _styled, SYMBOLS)
from ..model.signatures import REGIMES

__all__ = ["BOUNDARY_STYLE", "lyapunov_norm", "phase_diagram", "control_maps", "claim_regions", "lyapunov_curve", "map_panels"]

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


#: How the boundaries of :func:`rnnlib.claims.boundaries.boundary_lines` are drawn: variable -> (label, style).
#: The two differ in colour, line style and marker, so they stay apart where markers cover the lines.
BOUNDARY_STYLE = {
    "oscillatory_chaotic": ("oscillatory/chaotic boundary", {"ls": "--", "color": _OKABE_ITO[6], "marker": "^"}),
    "chaotic_fixed": ("chaotic/fixed-point boundary", {"ls": "-", "color": "black", "marker": "s"}),
}


def _boundary_overlay(ax, lines: xr.Dataset | None) -> list:
    """Draw the phase boundaries (balance against strength) over a map in :data:`BOUNDARY_STYLE`, with a white
    halo, one marker per analysed strength.

    Returns the line handles (for a legend); nothing is drawn when ``lines`` is None.
    """
    import matplotlib.patheffects as pe

    if lines is None:
        return []
    missing = [k for k in BOUNDARY_STYLE if k not in lines]
    if missing:
        raise ValueError(f"boundaries must be a Dataset of rnnlib.claims.boundaries.boundary_lines, missing {missing}")
    handles = []
    w = lines["strength"].values
    for key, (name, style) in BOUNDARY_STYLE.items():
        (h,) = ax.plot(lines[key].values, w, ms=3.5, lw=1.8, label=name, **style,
                       path_effects=[pe.withStroke(linewidth=3.4, foreground="white")], zorder=3)
        handles.append(h)
    return handles


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


def _lyapunov_panel(fig, ax, da, limit, *, cbar=True, label=None, norm=None):
    """A Lyapunov map on :data:`LYAPUNOV`, centred at 0, clipped at :math:`\\pm` ``limit`` (stated on the bar),
    or with ``norm`` on that norm instead."""
    if norm is not None:
        return _map_panel(fig, ax, da, "lyapunov", cmap=LYAPUNOV, norm=norm, cbar=False)
    mesh = _map_panel(fig, ax, da, "lyapunov", cmap=LYAPUNOV, vmin=-limit, vmax=limit, cbar=False)
    if cbar:
        fig.colorbar(mesh, ax=ax, extend="both",
                     label=label or rf"$\lambda$ (clipped at $\pm{limit:g}$)")
    return mesh


def lyapunov_norm(low: float, high: float, scale: float, *, both_sides: bool = False):
    r"""A colour norm over :math:`[\min(low, -s), \max(high, s)]`, white at zero, that clips nothing.

    With :math:`s` = ``scale`` the value :math:`\lambda` is mapped through
    :math:`f(\lambda) = \lambda / s` for :math:`\lambda \ge 0` and
    :math:`f(\lambda) = -\operatorname{asinh}(|\lambda| / s) / \operatorname{asinh}(|low| / s)\cdot f_+`
    below zero (compressed: linear near zero, logarithmic far below it), where :math:`f_+ = \max(high, s)/s`,
    so zero sits in the middle of the colour map and each sign gets one half. With
    ``both_sides`` the positive side is compressed the same way (for differences).
    """
    from matplotlib.colors import FuncNorm

    low, high = min(low, -scale), max(high, scale)

    def squash(x, top):
        return np.arcsinh(np.abs(x) / scale) / np.arcsinh(top / scale)

    def forward(x):
        x = np.asarray(x, dtype=float)
        up = squash(x, high) if both_sides else x / high
        return np.where(x >= 0, up, -squash(x, -low))

    def inverse(y):
        y = np.asarray(y, dtype=float)
        up = scale * np.sinh(y * np.arcsinh(high / scale)) if both_sides else y * high
        return np.where(y >= 0, up, -scale * np.sinh(-y * np.arcsinh(-low / scale)))

    return FuncNorm((forward, inverse), vmin=low, vmax=high)


def norm_ticks(norm, *, room: float = 0.09) -> list[float]:
    """Round colour-bar ticks for a :func:`lyapunov_norm`: 0 and :math:`\\pm\\{1, 2, 5\\} \\times 10^k` inside its
    range, each at least ``room`` (a fraction of the bar) from the ticks kept before it, zero first."""
    steps = [m * 10.0 ** k for k in range(-2, 3) for m in (1, 2, 5)]
    candidates = [0.0] + sorted((v for s in steps for v in (s, -s) if norm.vmin <= v <= norm.vmax), key=abs,
                                reverse=True)
    kept: list[float] = []
    for v in candidates:
        if all(abs(float(norm(v)) - float(norm(k))) >= room for k in kept):
            kept.append(v)
    return sorted(kept)


@_styled
def phase_diagram(ds: xr.Dataset, variables=("regime", "lyapunov", "fluctuation", "saturation"),
                  *, ncols: int = 2, boundaries: xr.Dataset | None = None) -> tuple[plt.Figure, xr.Dataset]:
    r"""Maps over the (balance, strength) plane of instance-averaged signatures.

    ``regime`` shows the most frequent attractor class over instances in
    discrete colours with a legend; ``lyapunov`` its mean on a diverging scale
    centred at zero and clipped at :func:`lyapunov_clip` (stated on the colour
    bar); every other variable its mean over instances. ``boundaries`` (a
    Dataset of :func:`rnnlib.claims.boundaries.boundary_lines`) draws the measured
    phase boundaries over every panel, with a legend below.

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
        handles = _boundary_overlay(ax, boundaries)
    if "regime" in variables:
        _regime_legend(fig)
    if boundaries is not None:
        fig.legend(handles, [h.get_label() for h in handles], ncols=2,
                   loc="outside upper center" if "regime" in variables else "outside lower center")
    return fig, data


@_styled
def control_maps(ds: xr.Dataset, variable: str, *, low: float = 0.0, high: float = 1.0) -> tuple[plt.Figure, xr.Dataset]:
    """A (balance, strength) map at control ``low`` and ``high`` and their difference (high - low).

    The two maps share one colour bar. The difference is the mean over
    instances of the paired difference on the diverging map :data:`DIVERGING`,
    centred on zero and spanning its largest absolute value. For ``regime`` the
    two maps show the most frequent class (discrete colours, legend below) and
    the difference the change of the fraction of chaotic instances. For
    ``lyapunov`` the two maps share a scale from their smallest to their largest
    value, white at zero, the contracting side compressed (:func:`lyapunov_norm`),
    so no value is clipped and a large difference between two contracting maps
    stays visible; the change is compressed on both sides. ``data.attrs`` holds
    the two scales, ``lyapunov_range`` and ``difference_range``.

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
            # Nothing is clipped: the two maps span all their values, white at zero, the chaotic side linear,
            # the contracting side (tens of times longer) compressed (lyapunov_norm), so contracting cells that
            # differ a lot look different too; the change gets the same treatment on both sides.
            both = np.concatenate([data["low"].values.ravel(), data["high"].values.ravel()])
            scale = lyapunov_clip(both)
            norm = lyapunov_norm(float(np.nanmin(both)), float(np.nanmax(both)), scale)
            data.attrs["lyapunov_range"] = (norm.vmin, norm.vmax)
            mesh = _lyapunov_panel(fig, axes[0], data["low"], None, cbar=False, norm=norm)
            _lyapunov_panel(fig, axes[1], data["high"], None, cbar=False, norm=norm)
            fig.colorbar(mesh, ax=axes[:2], label=r"$\lambda$ (below 0 compressed)", ticks=norm_ticks(norm))
            # the change gets the map of differences, so that red keeps meaning "chaotic" in the two maps
            limit = float(np.nanmax(np.abs(data["difference"].values))) or 1.0
            diff_norm = lyapunov_norm(-limit, limit, scale, both_sides=True)
            diff_name, extend, diff_cmap = r"change of $\lambda$ (compressed)", "neither", DIVERGING
        else:
            vmin = float(min(data["low"].min(), data["high"].min()))
            vmax = float(max(data["low"].max(), data["high"].max()))
            mesh = _map_panel(fig, axes[0], data["low"], variable, vmin=vmin, vmax=vmax, cbar=False)
            _map_panel(fig, axes[1], data["high"], variable, vmin=vmin, vmax=vmax, cbar=False)
            fig.colorbar(mesh, ax=axes[:2], label=_label(variable))
            limit = float(np.nanmax(np.abs(data["difference"].values))) or 1.0
            diff_name, extend, diff_cmap = "change", "neither", DIVERGING
    if variable == "lyapunov":
        data.attrs["difference_range"] = (diff_norm.vmin, diff_norm.vmax)
        mesh = _map_panel(fig, axes[2], data["difference"], diff_name, cmap=diff_cmap, norm=diff_norm, cbar=False)
        fig.colorbar(mesh, ax=axes[2], label=diff_name, ticks=norm_ticks(diff_norm))
    else:
        _map_panel(fig, axes[2], data["difference"], diff_name, cmap=diff_cmap, vmin=-limit, vmax=limit, extend=extend)
    for ax in axes[1:]:
        ax.set_ylabel("")
    axes[0].set_title(f"${sym} = {low:g}$")
    axes[1].set_title(f"${sym} = {high:g}$")
    axes[2].set_title(f"${sym} = {high:g}$ minus ${sym} = {low:g}$")
    data.attrs.update(variable=variable, control=control)
    return fig, data


@_styled
def map_panels(ds: xr.Dataset, variable: str = "accuracy", *, by: str = "variant", ncols: int = 2,
               boundaries: xr.Dataset | None = None, titles=None) -> tuple[plt.Figure, xr.DataArray]:
    """Small multiples: one (balance, strength) map of ``variable`` per value of ``by``, on one shared colour scale.

    Each panel is the mean over instances; ``boundaries`` (a Dataset of
    :func:`rnnlib.claims.boundaries.boundary_lines`) is drawn over every panel, with a
    legend below. ``titles`` maps a value of ``by`` to its panel title (default
    the value itself).

    Returns
    -------
    fig, data : DataArray (``by``, balance, strength) of the instance means drawn.
    """
    _check_variables(ds, [variable])
    if by not in ds[variable].dims:
        raise ValueError(f"by must be a dimension of ds[{variable!r}] ({ds[variable].dims}), got {by!r}")
    data = ds[variable].mean("instance").transpose(by, "balance", "strength")
    values = data[by].values.tolist()
    fig, axes = _grid(len(values), ncols=ncols, height=2.4, sharex=True, sharey=True)
    vmin, vmax = float(data.min()), float(data.max())
    handles = []
    for k, (ax, value) in enumerate(zip(axes, values)):
        mesh = _map_panel(fig, ax, data.sel({by: value}), variable, vmin=vmin, vmax=vmax, cbar=False)
        handles = _boundary_overlay(ax, boundaries)
        ax.set_title((titles or {}).get(value, _plain(value)))
        ax.locator_params(axis="x", nbins=5)
        if k % ncols:
            ax.set_ylabel("")
        if k < len(values) - ncols:
            ax.set_xlabel("")
    fig.colorbar(mesh, ax=axes, label=_label(variable) if variable in LABELS else variable)
    if boundaries is not None:
        fig.legend(handles, [h.get_label() for h in handles], loc="outside lower center", ncols=2)
    return fig, data


@_styled
def claim_regions(regions: dict) -> tuple[plt.Figure, dict]:
    """One (balance, strength) map per claim: where it holds, where the opposite holds, where neither.

    Three discrete classes, named in a legend under the figure.

    Parameters
    ----------
    regions : dict
        Panel title -> dataset of :func:`rnnlib.claims.scorecard.claim_region`
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
def lyapunov_curve(ds: xr.Dataset, *, n: int | None = None, onset: float | None = None,
                   gain=None) -> tuple[plt.Figure, xr.Dataset]:
    r"""Largest Lyapunov exponent against strength at balance 0, with the mean-field curve and the residual.

    Top: measured exponent (markers, mean over instances with its 95% interval)
    on the mean-field line :func:`rnnlib.model.theory.meanfield_lyapunov` (large-N
    limit) evaluated at the *effective* coupling :math:`g\,w`, where :math:`g`
    (``gain``) is the extent (largest modulus) of the predicted bulk at unit strength
    (:attr:`rnnlib.model.theory.BulkSpectrum.extent`; 1 for the baseline), so
    the theory crosses zero at :math:`w = 1/g` (dotted line). Bottom: the
    residual, measured minus theory, so that close agreement stays visible.
    ``onset`` (for example :func:`rnnlib.book.chapter.chaos_onset`) is marked by a
    dashed vertical line in both panels.

    When ``ds`` sweeps a control dimension (``dale``, ``reciprocity`` or
    ``modularity``), every control value gets its own markers and theory line.

    Parameters
    ----------
    gain : float or dict control value -> float, optional
        :math:`g` of the single curve, or of each control value (default 1).

    Returns
    -------
    fig, data : Dataset over strength (and the control dimension, if swept) with ``mean``, ``ci``
        (half width), ``meanfield``, ``residual`` and ``effective`` (the coupling :math:`g w`).
    """
    lam = ds["lyapunov"]
    if "balance" in lam.dims:
        lam = lam.sel(balance=0.0)
    control = next((d for d in lam.dims if d in SYMBOLS), None)
    values = lam[control].values.tolist() if control else [None]
    gains = gain if isinstance(gain, dict) else dict.fromkeys(values, 1.0 if gain is None else gain)
    missing = [v for v in values if v not in gains]
    if missing:
        raise ValueError(f"gain must give the effective coupling of every {control} value, missing {missing}")
    mean, half = _mean_ci(lam)
    w = mean["strength"].values
    g = xr.DataArray([float(gains[v]) for v in values], dims=control, coords={control: values}) if control \
        else xr.DataArray(float(gains[None]))
    effective = g * mean["strength"]
    meanfield = xr.apply_ufunc(np.vectorize(theory.meanfield_lyapunov, otypes=[float]), effective)
    data = xr.Dataset({"mean": mean, "ci": half, "meanfield": meanfield, "residual": mean - meanfield,
                       "effective": effective})
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(0.8 * COLUMN_WIDTH, 5.2 if control else 4.4), sharex=True,
                                      layout="constrained", gridspec_kw={"height_ratios": [2.2, 1]})
    fine = np.linspace(max(w.min(), 1e-3), w.max(), 300)
    lines, marks, shapes = (_OKABE_ITO[1], _OKABE_ITO[2]), ("black", _OKABE_ITO[6]), ("o", "s")
    for k, v in enumerate(values):
        sel = {control: v} if control else {}
        name = f"${SYMBOLS[control]} = {v:g}$: " if control else ""
        gk = float(gains[v])
        top.plot(fine, [theory.meanfield_lyapunov(gk * x) for x in fine], "-", color=lines[k % 2], lw=2.2,
                 label=name + ("mean-field theory" if gk == 1 else f"theory at ${gk:.3g}\\,w$"), zorder=1)
        style = {"fmt": shapes[k % 2], "color": marks[k % 2], "mfc": "white", "mew": 1.2, "elinewidth": 1, "capsize": 0}
        top.errorbar(w, data["mean"].sel(sel), yerr=data["ci"].sel(sel), ms=4.5, zorder=2,
                     label=name + "measured" + (f" ($N = {n}$)" if n else "") + ", 95% CI", **style)
        bottom.errorbar(w, data["residual"].sel(sel), yerr=data["ci"].sel(sel), ms=4, **style)
        for ax in (top, bottom):
            ax.axvline(1.0 / gk, color=lines[k % 2], lw=0.9, ls=":", zorder=0)
    for ax in (top, bottom):
        ax.axhline(0, color="#777777", lw=0.8, zorder=0)
        if onset is not None and np.isfinite(onset):
            ax.axvline(onset, color=_OKABE_ITO[6], lw=1.2, ls="--", zorder=0,
                       label=f"measured onset $w = {onset:.2f}$" if ax is top else None)
    top.set(ylabel=_label("lyapunov"), title="balance $b = 0$")
    bottom.set(xlabel=_label("strength"), ylabel="measured\nminus theory")
    if control:
        fig.legend(*top.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    else:
        top.legend(loc="lower right")
    return fig, data
