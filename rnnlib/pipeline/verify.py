r"""Spot checks: recompute a few cells of a stored experiment with the current code and compare.

A stored result is trusted when its fingerprint matches (:mod:`rnnlib.pipeline.store`);
a spot check also catches a code change that alters numbers without changing
the fingerprint (:data:`rnnlib.pipeline.store.CODE_SALT` not bumped).

**Which cells.** :func:`spot_cells` picks them from the declaration alone: the
first cell (every axis at its first value, instance 0: typically the baseline
at control 0), the middle one, and the last (every axis at its last value,
e.g. control 1, the most modules, the largest network, the last instance), so
every run checks the same cells and the regularities at full strength are
always among them. Of a strength axis, the first, middle and last strengths
are recomputed (:func:`spot_strengths`), which keeps the check cheap.

**What must agree, on any machine.** Two IEEE machines (or one machine with
a different number of columns per matrix product) may round a product or a
tanh differently in the last bit (unit roundoff :math:`u \approx 1.1 \cdot
10^{-16}`). Along a trajectory such a difference grows at most like
:math:`u\, e^{\lambda t}`, with :math:`\lambda` the largest Lyapunov exponent.

- *Reproducible* entries: every reservoir entry (a driven run of at most a few
  tens of steps from :math:`x(0) = 0`, then a linear solve), and every signature
  entry whose stored exponent satisfies :math:`\lambda (T_0 + T) <`
  :data:`GROWTH_LIMIT`, so that rounding differences stay below
  :math:`u e^{\text{GROWTH\_LIMIT}} = 10^{-10}`. They must agree within
  :data:`RTOL` and :data:`ATOL`, integers exactly: above that bound on
  rounding (four orders of magnitude relative, one absolute), and far below
  any change of the model.
- *Chaotic* entries (the other signature entries): a rounding difference grows
  to order one, so the recomputed trajectory is another sample of the same
  attractor, and its time averages and exponent differ from the stored ones by
  their sampling error. That error is smaller than the spread of the stored
  values over the instances of the same grid point (which adds the differences
  between networks), so they must agree within :data:`CHAOTIC_SIGMAS` standard
  deviations over instances; the regime must stay aperiodic (chaotic or
  irregular) and the period 0.

The same assertion holds on every machine; the report says, for the record,
whether this machine rounds like the one that made the data
(:func:`rnnlib.pipeline.engine.numerics_probe`), in which case the differences are at
most a few roundoffs (only the number of strength columns per product differs).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import store as _store
from .catalogue import get
from .engine import Experiment, compute_cells, numerics_probe
from ..model.signatures import CHAOTIC, IRREGULAR

__all__ = ["ATOL", "CHAOTIC_SIGMAS", "GROWTH_LIMIT", "RTOL", "StaleDataError", "spot_cells", "spot_check", "stored_result", "regenerate_hint",
           "spot_strengths"]

#: Unit roundoff of float64.
ROUNDOFF = np.finfo(np.float64).eps / 2
#: Largest :math:`\lambda (T_0 + T)` of a reproducible signature entry: :math:`u e^{\text{limit}} = 10^{-10}`.
GROWTH_LIMIT = math.log(1e-10 / ROUNDOFF)
#: Agreement of reproducible entries.
RTOL, ATOL = 1e-6, 1e-9
#: Agreement of chaotic entries, in standard deviations of the stored values over instances.
CHAOTIC_SIGMAS = 4.0


class StaleDataError(AssertionError):
    """Stored data no longer matches what the current code computes."""


def spot_cells(exp, profile: str) -> np.ndarray:
    """Flat indices of the cells a spot check recomputes: the first, the middle and the last cell."""
    total = get(exp).sizes(profile).cells
    return np.unique([0, total // 2, total - 1])


def spot_strengths(exp, profile: str) -> np.ndarray:
    """Positions on the strength axis that a spot check recomputes: the first, middle and last (or the one)."""
    gains = get(exp).sizes(profile).gains
    return np.unique([0, gains // 2, gains - 1])


def _with_strengths(exp, profile, columns):
    """``exp`` with only the strengths at ``columns``: same cells, same seeds, fewer gains per cell."""
    sizes = exp.sizes(profile)
    if "strength" not in sizes.names:
        return exp
    axes = tuple((a, tuple(v[i] for i in columns) if a == "strength" else v) for a, v in sizes.axes)
    return dataclasses.replace(exp, **{profile: dataclasses.replace(sizes, axes=axes)})


def _stored(ds, var, sizes, cell, columns):
    """Stored values of one cell at the strength ``columns``, their spread over instances, the cell's coordinates."""
    idx = np.unravel_index(int(cell), sizes.cell_shape)
    where = {a: i for (a, _), i in zip(sizes.cell_axes, idx[:-1])}
    point = ds[var].isel(where)
    if "strength" in point.dims:
        point = point.transpose("instance", "strength").isel(strength=list(columns))
    values = np.atleast_1d(point.isel(instance=idx[-1]).values)
    spread = np.atleast_1d(point.astype(float).std("instance", ddof=1).values)
    coords = {a: ds[a].values[i].item() for a, i in (where | {"instance": idx[-1]}).items()}
    return values, spread, coords


def regenerate_hint(name: str, profile: str) -> str:
    """The end of every stale-data message: the command that regenerates experiment ``name``."""
    return f"regenerate it with: python -m rnnlib run {name} --profile {profile}"


def stored_result(name: str, profile: str, path, current: str):
    """The stored dataset of experiment ``name`` at ``path``, if it opens and carries the ``current`` fingerprint.

    Raises
    ------
    StaleDataError
        When the file is missing or damaged, or its fingerprint is not ``current``; the message names the
        experiment and the command that regenerates it.
    """
    fix = regenerate_hint(name, profile)
    try:
        ds = _store.open_result(path)
    except Exception as exc:  # noqa: BLE001 - whatever the reason, the data cannot be used
        raise StaleDataError(f"experiment {name!r} ({profile}): {path} cannot be used "
                             f"({type(exc).__name__}: {exc}); {fix}") from None
    if ds.attrs.get("fingerprint") != current:
        raise StaleDataError(f"experiment {name!r} ({profile}): stored fingerprint "
                             f"{str(ds.attrs.get('fingerprint'))[:12]} is not the current {current[:12]} "
                             f"(declaration, rnnlib version or CODE_SALT changed); {fix}")
    return ds


def spot_check(name, profile: str = "paper", *, cells=None, store=None) -> dict:
    """Recompute ``cells`` (default :func:`spot_cells`) of a stored experiment and compare them.

    Returns
    -------
    dict
        ``experiment``, ``cells`` (flat indices checked), ``reproducible`` and
        ``chaotic`` (entries of each kind), ``max_abs_diff`` (over the
        reproducible entries) and ``same_rounding`` (this machine's
        numerics probe equals the stored one).

    Raises
    ------
    StaleDataError
        When the file is missing or damaged, its fingerprint is not the current
        one, or recomputed values disagree (module docstring); the message
        names the experiment, the value and the command that regenerates it.
    """
    exp = get(name)
    if not isinstance(exp, Experiment):          # a runner of its own (catalogue.RUNNERS) checks its own cells
        return exp.spot_check(profile, cells=cells, store=store)
    ds = stored_result(exp.name, profile, _store.result_path(exp.name, profile, store),
                       _store.fingerprint(exp.resolved(profile)))
    sizes = exp.sizes(profile)
    cells = np.asarray(spot_cells(exp, profile) if cells is None else cells, np.int64)
    columns = spot_strengths(exp, profile)
    fresh = compute_cells(_with_strengths(exp, profile, columns), profile, cells)
    stored = {var: [_stored(ds, var, sizes, c, columns) for c in cells] for var in fresh}
    old = {var: np.stack([v for v, _, _ in rows]) for var, rows in stored.items()}
    if exp.quantity == "reservoir":
        exact = np.ones(old["accuracy"].shape, bool)
    else:
        with np.errstate(invalid="ignore"):
            exact = ~(old["lyapunov"] * (sizes.transient + sizes.steps) >= GROWTH_LIMIT)
    worst = 0.0
    for var, new in fresh.items():
        if new.dtype.kind == "f":
            spread = np.stack([s for _, s, _ in stored[var]])
            agree = np.isclose(old[var], new, rtol=RTOL, atol=ATOL, equal_nan=True)
            sampled = np.isclose(old[var], new, rtol=0.0, atol=ATOL, equal_nan=True) | (
                np.abs(old[var] - new) <= CHAOTIC_SIGMAS * np.nan_to_num(spread))
            finite = np.isfinite(old[var]) & np.isfinite(new) & exact
            worst = max(worst, float(np.max(np.abs(old[var] - new)[finite], initial=0.0)))
        else:
            agree = old[var] == new
            sampled = agree if var == "period" else np.isin(old[var], (CHAOTIC, IRREGULAR)) & np.isin(
                new, (CHAOTIC, IRREGULAR))
        bad = np.where(exact, agree, sampled)
        if not bad.all():
            row, col = map(int, np.argwhere(~bad)[0])
            coords = stored[var][row][2]
            kind = (f"reproducible entry, tolerance rtol {RTOL:g} and atol {ATOL:g}" if exact[row, col] else
                    f"chaotic entry, tolerance {CHAOTIC_SIGMAS:g} standard deviations over instances")
            raise StaleDataError(
                f"experiment {exp.name!r} ({profile}): stored {var} at {coords}"
                + (f", strength {ds['strength'].values[columns[col]]:g}" if "strength" in sizes.names else "")
                + f" is {old[var][row, col]}, the current code gives {new[row, col]} ({kind}); "
                + regenerate_hint(exp.name, profile))
    return {"experiment": exp.name, "cells": cells.tolist(), "reproducible": int(exact.sum()),
            "chaotic": int((~exact).sum()), "max_abs_diff": worst,
            "same_rounding": ds.attrs.get("numerics_probe") == numerics_probe()}
