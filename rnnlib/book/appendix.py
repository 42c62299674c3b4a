"""The tables of the methods appendix, as Markdown: signature settings, tasks, named points, profiles.

Each function reads the library's own declarations (and, for the run times, the result stores'
manifests), so the appendix always shows the choices the code makes, not a copy of them.
"""
from __future__ import annotations

import numpy as np

from ..pipeline.catalogue import CATALOG, POINTS
from ..pipeline.cost import measured_seconds
from ..pipeline.engine import PROFILES
from ..model.signatures import SignatureSettings
from ..reservoir.tasks import available_tasks, make_task

__all__ = ["neighbour_correlations", "points_table", "profiles_table", "settings_table", "tasks_table"]


def _table(header, rows) -> str:
    """Markdown table with the column names ``header`` and one line per row (sequences of cells)."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def settings_table() -> str:
    """The default :class:`rnnlib.SignatureSettings`, one row per setting."""
    return _table(("setting", "value"), [(f"`{k}`", v) for k, v in SignatureSettings().as_dict().items()])


def tasks_table(seed=0) -> str:
    """Every registered task with its steps, input dimension, classes, sample counts and default parameters."""
    rows = []
    for name in available_tasks():
        t = make_task(name, seed=seed)
        rows.append((f"`{name}`", t.train_inputs.shape[0], t.train_inputs.shape[2], t.n_classes,
                     f"{t.train_inputs.shape[1]} / {t.test_inputs.shape[1]}",
                     ", ".join(f"{k} = {v}" for k, v in t.params.items())))
    return _table(("task", "steps", "input dim", "classes", "train / test samples", "parameters"), rows)


def points_table() -> str:
    """The named :math:`(b, w)` points of :data:`rnnlib.pipeline.catalogue.POINTS`."""
    return _table(("point", "$b$", "$w$"), [(name, f"{b:g}", f"{w:g}") for name, (b, w) in POINTS.items()])


def _grid(exp, profile) -> str:
    """``values×values...; instances; N`` of one experiment in one profile (N absent when it is swept)."""
    s = exp.sizes(profile)
    n = "" if "n" in s.names else f"; {s.n}"
    return "×".join(str(len(values)) for _, values in s.axes) + f"; {s.instances}{n}"


def profiles_table(stores=None) -> str:
    """Every experiment with its swept axes, its grid per profile and the wall time its manifest recorded.

    ``stores`` maps a profile to the folder of its results (default: each profile's store); an
    experiment without a stored file reads "not stored". The last row sums the stored times.
    """
    stores = stores or {}
    rows, totals = [], dict.fromkeys(PROFILES, 0.0)
    for name, exp in CATALOG.items():
        cells = [f"`{name}`", ", ".join(a for a, _ in exp.sizes("quick").axes)]
        for profile in PROFILES:
            t = measured_seconds(name, profile, stores.get(profile))
            totals[profile] += t or 0.0
            cells += [_grid(exp, profile), "not stored" if t is None else f"{t:.1f} s"]
        rows.append(cells)
    rows.append(["**total** (stored files)", ""] + [x for p in PROFILES for x in ("", f"{totals[p]:.0f} s")])
    return _table(["experiment", "swept axes"] + [x for p in PROFILES for x in (f"{p} grid; inst.; $N$", f"{p} time")],
                  rows)


def _neighbour_correlation(d: np.ndarray, axis: int) -> float:
    """Pooled correlation over instances of the centred paired changes of cells next to each other along ``axis``."""
    r = d - d.mean(axis=-1, keepdims=True)
    a, b = np.moveaxis(r, axis, 0)[:-1], np.moveaxis(r, axis, 0)[1:]
    return float(np.sum(a * b) / np.sqrt(np.sum(a * a) * np.sum(b * b)))


def neighbour_correlations(maps: dict) -> str:
    r"""How strongly the noise of neighbouring cells of the accuracy maps is correlated, as a sentence.

    ``maps`` holds ``{regularity: dataset}`` of ``{reg}_reservoir_map``. For each,
    the paired change :math:`d_k(b, w) = a_k(b, w; 1) - a_k(b, w; 0)` of instance
    :math:`k` is centred on its mean over instances, and the correlation of the
    centred changes of cells next to each other is pooled over the map:
    :math:`\sum r_k(c) r_k(c') / \sqrt{\sum r_k(c)^2 \sum r_k(c')^2}` over all
    neighbouring pairs :math:`(c, c')` and instances.
    """
    by_axis = {"strength": [], "balance": []}
    for reg, ds in maps.items():
        acc = ds["accuracy"].transpose("balance", "strength", reg, "instance")
        d = (acc.sel({reg: 1.0}) - acc.sel({reg: 0.0})).values
        for axis, name in enumerate(("balance", "strength")):
            by_axis[name].append(_neighbour_correlation(d, axis))
    span = {k: (f"{min(v):.2f}" if np.ptp(v) < 0.005 else f"{min(v):.2f} to {max(v):.2f}") for k, v in by_axis.items()}
    return (f"In the maps of {', '.join(maps)} the centred paired changes of neighbouring cells correlate by "
            f"{span['strength']} between neighbouring strengths and {span['balance']} between neighbouring "
            f"balances.")
