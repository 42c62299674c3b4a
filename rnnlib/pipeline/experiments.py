"""Experiments of the book: load their data, from the result store when current, else computed and stored.

This module is the entry point of the pipeline and keeps every name it has
always offered: the declarations (:class:`Experiment`, :class:`Sizes`, from
:mod:`rnnlib.pipeline.engine`), the catalogue (:data:`CATALOG`, :data:`POINTS`,
:func:`get`, from :mod:`rnnlib.pipeline.catalogue`), the cost model
(:func:`estimate_seconds`, from :mod:`rnnlib.pipeline.cost`), and what it adds itself:
:func:`load`, :func:`chapter_loader` and :func:`join_matched`. ::

    from rnnlib import experiments
    ds = experiments.load("dale_phase", "quick")        # an xarray.Dataset
"""
from __future__ import annotations

import time
from functools import partial

import numpy as np
import xarray as xr

from . import catalogue as _catalogue, execute, store as _store
from ..model._checks import UsageError, check_choice, check_int
from ..model.constructions import REGULARITIES
from .catalogue import CATALOG, CONTROL, DEFAULT_POINT, ENDS, PLANE, POINTS, TASKS, declare, get, grid, per
from .cost import estimate_flops, estimate_seconds, measured_seconds
from .engine import (AXES, DEFAULTS, PROFILES, PROJECT_SEED, QUANTITIES, RESERVOIR_VARIABLES, SIGNATURE_VARIABLES,
                     Cell, Experiment, Sizes, assemble, cell, cell_key, compute_cells, disassemble, instance_seed,
                     signature_settings, variables)

__all__ = ["AXES", "CATALOG", "CONTROL", "DEFAULTS", "DEFAULT_POINT", "ENDS", "PLANE", "POINTS", "PROFILES",
           "PROJECT_SEED", "QUANTITIES", "RESERVOIR_VARIABLES", "SIGNATURE_VARIABLES", "TASKS", "Cell", "Experiment",
           "Sizes", "assemble", "cell", "cell_key", "chapter_loader", "compute_cells", "declare", "estimate_flops",
           "estimate_seconds", "get", "grid", "instance_seed", "join_matched", "load", "measured_seconds", "per",
           "signature_settings", "variables"]


def load(name, profile="quick", *, workers=None, scheduler=None, store=None, progress=True,
         recompute=False, chunk_size=None, compute=True, reuse=None) -> xr.Dataset:
    """The dataset of experiment ``name`` in ``profile``: stored if current, else computed and stored.

    Parameters
    ----------
    name : str or Experiment
        A key of :data:`CATALOG` (or a declaration).
    profile : {"quick", "paper"}
    workers : int, optional
        Local worker processes (default: all cores; 1 runs serially in this process).
    scheduler : str or distributed.Client, optional
        Address of a dask.distributed scheduler; the cells then run on that cluster.
        It is contacted only when something is computed.
    store : path, optional
        Directory of the result files (default: :func:`rnnlib.pipeline.store.default_root` of the profile).
    progress : bool
        Show a tqdm progress bar (cells done, time left).
    recompute : bool
        Ignore a stored file and compute again (finished chunks of an interrupted
        run with the same fingerprint are still reused).
    chunk_size : int, optional
        Cells per task; does not change the result.
    compute : bool
        ``False`` never computes: without a current stored result it raises
        :class:`rnnlib.pipeline.store.MissingResultError` (e.g. to build the published
        book from committed data only).
    reuse : iterable of str, optional
        Experiments of :data:`CATALOG` whose current stored results (same store
        and profile) may supply cells: a cell whose
        :func:`rnnlib.pipeline.engine.cell_key` one of them already holds (the same
        network, seed, gains and settings, e.g. control 0 of every regularity's
        map) is copied, not computed, so the numbers are those a computation
        would give. Default: every experiment of the catalogue, or none with
        ``recompute`` (a recomputation then recomputes every cell; ``regen``
        passes the experiments it has recomputed so far).

    Every argument is checked before the store is touched, so a bad one
    leaves nothing behind.

    Returns
    -------
    xarray.Dataset
        Read back from the stored NetCDF file, so a fresh and a stored result are identical.
    """
    exp = get(name)
    check_choice("profile", profile, PROFILES)
    catalog = _catalogue.CATALOG                   # looked up now: tests and users may replace it
    reuse = () if reuse is None and recompute else tuple(catalog) if reuse is None else tuple(reuse)
    for other in reuse:
        if other not in catalog:
            raise UsageError(f"reuse: unknown experiment {other!r}; known: {', '.join(catalog)}")
    if workers is not None:
        check_int("workers", workers, 1)
    if chunk_size is not None:
        check_int("chunk_size", chunk_size, 1)
    execute.check_scheduler(scheduler)
    if not isinstance(exp, Experiment):          # a runner of its own (catalogue.RUNNERS): local processes only
        if scheduler is not None:
            raise UsageError(f"experiment {exp.name!r} runs on local processes only; leave out the scheduler")
        return exp.load(profile, workers=workers, store=store, progress=progress, recompute=recompute,
                        compute=compute)
    path = _store.result_path(exp.name, profile, store)
    fp = _store.fingerprint(exp.resolved(profile))
    if not recompute:
        ds = _store.read(path, fp)
        if ds is not None:
            return ds
    if not compute:
        raise _store.MissingResultError(
            f"no current stored result for experiment {exp.name!r} ({profile}) in {path}; compute it with: "
            f"python -m rnnlib run {exp.name} --profile {profile}")
    with _store.locked(path):
        ds = None if recompute else _store.read(path, fp)    # another process may have just finished it
        return ds if ds is not None else _compute(exp, profile, path, fp, workers, scheduler, progress, chunk_size,
                                                  reuse)


def chapter_loader(profile):
    """The ``load(name)`` of a book chapter in ``profile``.

    The ``paper`` profile reads committed data only (a missing or outdated file
    raises :class:`rnnlib.pipeline.store.MissingResultError` naming the command that
    regenerates it), so the published book never recomputes silently; the
    ``quick`` profile computes what is missing and stores it. No progress bar.
    """
    check_choice("profile", profile, PROFILES)
    return partial(load, profile=profile, progress=False, compute=profile != "paper")


def join_matched(same: xr.Dataset, matched: xr.Dataset) -> xr.Dataset:
    """Control 0 of a same-strength experiment with control 1 of its matched-coupling counterpart.

    ``matched`` (e.g. ``dale_reservoir_matched``) holds only control 1, its
    strength rescaled to the baseline's bulk extent
    (:func:`rnnlib.pipeline.engine.matched_gain`); at control 0 that factor is 1, so
    control 0 of ``same`` (e.g. ``dale_reservoir``, same instances, same grid)
    is the computation ``matched`` would have repeated. The result has the
    layout of ``same`` restricted to controls 0 and 1, with the instances paired,
    and ``attrs["coupling"] = "matched"``.
    """
    control = next((d for d in matched.dims if d in REGULARITIES), None)
    if control is None or control not in same.dims:
        raise ValueError(f"same and matched must sweep the same control dimension (one of {', '.join(REGULARITIES)})")
    if matched[control].values.tolist() != [1.0] or 0.0 not in same[control].values:
        raise ValueError(f"matched must hold {control} = 1 only and same must hold {control} = 0, got "
                         f"{matched[control].values.tolist()} and {same[control].values.tolist()}")
    low = same.sel({control: [0.0]})
    for dim in matched.dims:
        if dim != control and not np.array_equal(low[dim].values, matched[dim].values):
            raise ValueError(f"same and matched differ along {dim!r}; they must share every axis but {control!r}")
    joined = xr.concat([low[list(matched.data_vars)], matched], dim=control, combine_attrs="drop_conflicts")
    return joined.assign_attrs(coupling="matched")


def _borrow(exp, profile, store, keys: dict, donors, partial_dir) -> list[int]:
    """Save to ``partial_dir``, as finished chunks, the cells of ``exp`` that current results of ``donors`` hold.

    ``keys`` maps the :func:`rnnlib.pipeline.engine.cell_key` of every cell still
    to compute to its flat index; a borrowed cell is removed from it. A donor
    must be stored with its current fingerprint, have the same quantity and
    report every variable ``exp`` needs. A borrowed chunk records 0 seconds and ``copied``.
    Returns the flat indices of the borrowed cells.
    """
    need = variables(exp.quantity, exp)
    borrowed = []
    for name in donors:
        donor = _catalogue.CATALOG[name]
        if not keys or name == exp.name or donor.quantity != exp.quantity or \
                not set(need) <= set(variables(donor.quantity, donor)):
            continue
        ds = _store.read(_store.result_path(name, profile, store), _store.fingerprint(donor.resolved(profile)))
        if ds is None:
            continue
        rows, cells = [], []
        for j in range(donor.sizes(profile).cells):
            i = keys.pop(cell_key(donor, profile, j), None)
            if i is not None:
                rows.append(j)
                cells.append(i)
                if not keys:
                    break
        if cells:
            results = disassemble(donor, profile, ds)
            partial_dir.save(np.array(cells), {v: results[v][rows] for v in need}, 0.0, copied=True)
            borrowed += cells
    return borrowed


def _compute(exp, profile, path, fp, workers, scheduler, progress, chunk_size, reuse=()) -> xr.Dataset:
    """Compute the missing cells of an experiment, write its file and manifest entry, return it read back.

    Cells with equal :func:`rnnlib.pipeline.engine.cell_key` are computed once (the
    first of them) and their results copied to the others; cells that a current
    stored result of an experiment in ``reuse`` holds are copied from it (:func:`_borrow`).
    """
    start = time.perf_counter()
    sizes = exp.sizes(profile)
    first = {}
    source = np.array([first.setdefault(cell_key(exp, profile, i), i) for i in range(sizes.cells)])
    unique = np.unique(source)
    partial_dir = _store.Partial(path, fp)
    pending = np.setdiff1d(unique, partial_dir.done())
    waiting = set(pending.tolist())
    borrowed = _borrow(exp, profile, path.parent, {k: i for k, i in first.items() if i in waiting}, reuse, partial_dir)
    todo = np.setdiff1d(pending, np.asarray(borrowed, np.int64))
    chunks = execute.plan_chunks(todo, chunk_size=chunk_size, workers=workers)
    try:
        execute.run_chunks(partial(compute_cells, exp, profile), chunks, workers=workers, scheduler=scheduler,
                           progress=progress, desc=f"{exp.name} [{profile}]", total=unique.size,
                           initial=unique.size - todo.size, on_result=partial_dir.save)
    except BaseException:
        if partial_dir.done().size == 0:     # nothing to resume from (e.g. the scheduler did not answer)
            partial_dir.remove()
        raise
    cells, results, seconds, copied = partial_dir.collect(variables(exp.quantity, exp))
    row = np.empty(sizes.cells, np.int64)
    row[cells] = np.arange(cells.size)
    ds = assemble(exp, profile, np.arange(sizes.cells), {v: r[row[source]] for v, r in results.items()}, fp)
    _store.write(ds, path)
    _store.record(path, ds, wall_time=time.perf_counter() - start, compute_time=seconds, copied=copied)
    partial_dir.remove()
    return _store.read(path, fp)
