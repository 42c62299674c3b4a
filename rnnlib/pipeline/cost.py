r"""The cost model: how long an experiment takes, before it is computed.

:func:`estimate_flops` counts the model floating-point operations of an
experiment; :func:`estimate_seconds` turns them into wall time with a
throughput per quantity (:data:`THROUGHPUT`) and a fixed cost per cell
(:data:`CELL_OVERHEAD`). Both constants are fitted by :func:`calibrate` to the
compute times that ``data/paper/manifest.json`` records for the committed
paper-profile runs (2 workers on the 2-core reference machine; each worker on
one BLAS thread, sharing the machine), so on that machine the estimate of the
paper profile reproduces the measured total; elsewhere it is a scale, not a
promise. :func:`measured_seconds` returns what a manifest actually recorded.
"""
from __future__ import annotations

import functools
import json

import numpy as np
import scipy.optimize

from . import store
from .engine import QUANTITIES, Experiment

__all__ = ["CALIBRATION_DAY", "CELL_OVERHEAD", "THROUGHPUT", "calibrate", "estimate_flops", "estimate_seconds", "measured_seconds"]

#: Day of the paper-profile runs the constants below were fitted to: the whole profile regenerated on an
#: otherwise idle 2-core machine (reservoir runs in float32), the run the README's regeneration time reports.
CALIBRATION_DAY = "2026-12-05"
#: Floating-point operations per second of one worker, per quantity, and the fixed seconds per cell:
#: ``calibrate(store.read_manifest(store.default_root("paper")), CATALOG, day=CALIBRATION_DAY)`` rounded.
#: The signature runs are far below the machine's matrix-product rate because their products are
#: matrix-vector products of a few columns, where Python's cost per step dominates.
THROUGHPUT = {"signatures": 5.2e9, "reservoir": 14.4e9}
CELL_OVERHEAD = 0.0


@functools.lru_cache(maxsize=None)
def _task_work(task, params_json) -> int:
    """Samples times (steps + 1) of a task: the columns and steps of its simulation plus the readout."""
    from ..reservoir.tasks import make_task
    data = make_task(task, 0, **json.loads(params_json))
    return (data.train_inputs.shape[1] + data.test_inputs.shape[1]) * (data.train_inputs.shape[0] + 1)


def estimate_flops(exp: Experiment, profile: str) -> float:
    r"""Floating-point operations of the whole experiment (a model, not a count).

    Per cell with ``n`` neurons and ``G`` strengths:

    - signatures: :math:`2 n^2 \cdot 2G (T_0 + T)` for states and tangents plus
      :math:`2 n^2 G T` for the pairwise correlations;
    - reservoir: :math:`2 n^2 G S (T + 1)` for ``S`` samples of ``T`` steps
      (simulation plus readout), times the number of candidate set points under
      automatic gain control (each is simulated).
    """
    sizes = exp.sizes(profile)
    ns = sizes.values("n") if "n" in sizes.names else (sizes.n,)
    if "variant" in sizes.names:
        ns = [exp.fixed["variants"][v].get("n", sizes.n) for v in sizes.values("variant")]
    mean_n2 = float(np.mean(np.square(ns)))
    G = sizes.gains
    if exp.quantity == "signatures":
        per_cell = 2 * mean_n2 * G * (2 * (sizes.transient + sizes.steps) + sizes.steps)
    else:
        fixed = exp.resolved(profile)["fixed"]
        work = np.mean([_task_work(t, json.dumps(p, sort_keys=True)) for t, p in fixed["task_params"].items()])
        per_cell = 2 * mean_n2 * G * work * len((fixed.get("gain_control") or {}).get("set_points", [None]))
    return per_cell * sizes.cells


def estimate_seconds(exp: Experiment, profile: str, workers: int = 1) -> float:
    r"""Estimated wall time on ``workers`` workers of the reference machine.

    .. math:: t = \Big(\frac{\text{FLOPs}}{\text{THROUGHPUT}_q} + \text{CELL\_OVERHEAD} \cdot \text{cells}\Big)
              \Big/ \text{workers}
    """
    cost = estimate_flops(exp, profile) / THROUGHPUT[exp.quantity] + CELL_OVERHEAD * exp.sizes(profile).cells
    return cost / max(1, workers)


def calibrate(manifest: dict, catalog: dict, *, day: str | None = None) -> dict:
    r"""Fit :data:`THROUGHPUT` and :data:`CELL_OVERHEAD` to the compute times of a manifest.

    Non-negative least squares over the experiments of ``catalog`` listed in ``manifest``
    (the paper profile's): the recorded ``compute_time_s`` (the sum of the
    chunk times, i.e. the serial cost) is modelled as
    :math:`f_e \, (F_e / \text{THROUGHPUT}_{q(e)} + \text{CELL\_OVERHEAD} \cdot \text{cells}_e)`,
    :math:`f_e = 1 - \text{cells\_copied}_e / \text{cells}_e` the share of its cells the run
    computed rather than copied from another experiment's result.
    With ``day`` (``"YYYY-MM-DD"``) only the entries created that day are used.

    Returns
    -------
    dict
        ``{"throughput": {quantity: flop/s}, "cell_overhead": seconds}``.
    """
    rows, times = [], []
    for name, entry in manifest.items():
        if name in catalog and (day is None or entry["created"].startswith(day)):
            exp = catalog[name]
            flops, cells = estimate_flops(exp, entry["profile"]), exp.sizes(entry["profile"]).cells
            share = 1.0 - entry.get("cells_copied", 0) / cells
            rows.append([share * flops if exp.quantity == q else 0.0 for q in QUANTITIES] + [share * cells])
            times.append(entry["compute_time_s"])
    if not rows:
        raise ValueError("calibrate needs a manifest that lists experiments of the catalogue")
    A = np.asarray(rows, float)
    scale = A.max(axis=0)
    scale[scale == 0] = 1.0
    coef = scipy.optimize.nnls(A / scale, np.asarray(times))[0] / scale     # no negative cost per cell
    return {"throughput": {q: float(1.0 / c) for q, c in zip(QUANTITIES, coef[:-1]) if c > 0},
            "cell_overhead": float(coef[-1])}


def measured_seconds(name: str, profile: str, store_root=None) -> float | None:
    """Wall time that the manifest of ``store_root`` (default: the profile's store) records for ``name``."""
    root = store_root if store_root is not None else store.default_root(profile)
    entry = store.read_manifest(root).get(name)
    return None if entry is None else float(entry["wall_time_s"])
