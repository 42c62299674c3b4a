r"""Curves against a control parameter, attractor-class fractions, paired effects and their forest plot,
accuracy against saturation. Public through :mod:`rnnlib.book.plotting`."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from ..statistics.stats import control_dim as _control_dim
from .figstyle import (check_variables as _check_variables, FONT_SIZE, grid as _grid,
                       label as _label, legend_in as _legend_in, mean_ci as _mean_ci, plain as _plain,
                       point_labels as _point_labels,
                       REGIME_COLOURS, regime_map as _regime_map, SEQUENTIAL, SHORT, spaced_ticks as _spaced_ticks,
                       styled as _styled)
from ..model.signatures import REGIMES

__all__ = ["control_curves", "regime_fractions", "effect_forest", "accuracy_vs_saturation"]

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


@_styled
def effect_forest(effects: list[dict], *, xlabel: str = "paired difference") -> tuple[plt.Figure, list[dict]]:
    """Forest plot of paired effects: mean difference with its 95% interval and the p-value.

    Parameters
    ----------
    effects : list of dict
        Each with keys ``mean``, ``ci_low``, ``ci_high``, ``p_value`` (as in
        :func:`rnnlib.statistics.stats.paired_difference`) and either ``label`` or
        ``task`` and ``point`` (the per-cell rows of :mod:`rnnlib.claims.scorecard`).
        Rows that carry a Holm-adjusted ``p_holm`` (the scorecard's cells) are
        annotated with it, as "p_Holm", since that is the value their verdict uses.
        Labels are shown in plain words (:func:`rnnlib.book.figstyle.plain`: ``dale:balanced``
        becomes "Dale, balanced reading"), and the effect axis gets as many ticks as fit without
        their labels running together (:func:`rnnlib.book.figstyle.spaced_ticks`).

    Returns
    -------
    fig, data : the rows drawn, each with its ``label`` as shown.
    """
    if not effects:
        raise ValueError("effects must hold at least one row")
    effects = [{**e, "label": _plain(e.get("label") or f"{e['task']}, {e['point']}")} for e in effects]
    fig, (ax,) = _grid(1, height=0.27 * len(effects) + 1.0)
    y = np.arange(len(effects))[::-1]
    for yi, e in zip(y, effects):
        ax.errorbar(e["mean"], yi, xerr=[[e["mean"] - e["ci_low"]], [e["ci_high"] - e["mean"]]], fmt="o",
                    color="black", ms=4.5, capsize=0, elinewidth=1.4)
        text = f"p$_{{Holm}}$ = {e['p_holm']:.2g}" if "p_holm" in e else f"p = {e['p_value']:.2g}"
        ax.annotate(text, (1.02, yi), xycoords=("axes fraction", "data"), va="center")
    ax.axvline(0, color="#777777", lw=0.9)
    ax.set_yticks(y, [e["label"] for e in effects])
    ax.set_ylim(-0.7, len(effects) - 0.3)
    ax.set_xlabel(xlabel)
    _spaced_ticks(ax, "x")
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
        ax.set(title=_plain(reg), xlabel=r"saturation $\langle|x|\rangle$")
        if k % 3 == 0:
            ax.set_ylabel(_label("accuracy"))
    fig.colorbar(sc, ax=axes, label="control ($D$, $H$ or $M$)")
    return fig, data

