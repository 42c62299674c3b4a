r"""Experiments as data: the sweep behind every figure, declared once and sized per profile.

An :class:`Experiment` names a *quantity* (``"signatures"``: free-running
dynamics, or ``"reservoir"``: task accuracy of a trained linear readout), the
*axes* of its grid, the number of random network *instances*, and the fixed
parameters. Each profile (``quick`` for CI, ``paper`` for the published
figures) gives its own :class:`Sizes`. :data:`CATALOG` holds every experiment
of the book; :func:`load` returns its data as an :class:`xarray.Dataset`,
from the result store when the stored fingerprint matches, else computed.

Axes (dataset dimensions; ``instance`` is always present, the others only when swept):

- ``balance``, ``strength``: the (b, w) grid; or ``point``: named (b, w) points,
  with coordinates ``balance(point)`` and ``strength(point)``.
- ``dale``, ``reciprocity``, ``modularity``: the control parameter of one regularity;
  or ``regularity`` (its name) with ``control`` (its value), when several are compared.
- ``modules``, ``n``, ``task``; ``variant``: a named set of overrides of modelling choices.

Computation is cut into *cells*: one combination of every coordinate except
``strength``, for one instance. A cell builds one unit-strength matrix
:math:`W_1` and evaluates all strengths :math:`w` at once as gains on
:math:`W_1` (:math:`W = w W_1` exactly), in one simulation. Its seed is

.. math:: \text{seed} = \text{derive}(\text{PROJECT\_SEED}, \text{family}, \text{"instance"}, k),

so it depends on the instance :math:`k` only, never on the grid position or
the order of execution: every balance, strength and control value of instance
:math:`k` shares the same random draws (paired comparisons), and every
experiment of the default family ``"networks"`` uses the same networks.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial

import numpy as np
import xarray as xr
from threadpoolctl import threadpool_limits

from . import __version__, execute, store as _store
from ._checks import check_choice, check_int
from .constructions import DEFAULTS as DEFAULT_CONSTRUCTIONS, REGULARITIES, available as available_constructions
from .seeding import derive
from .signatures import REGIMES, SignatureSettings, signatures_batch
from .weights import NetworkParams, unit_weights

__all__ = ["AXES", "CATALOG", "DEFAULT_POINT", "POINTS", "PROFILES", "PROJECT_SEED", "QUANTITIES", "Experiment",
           "Sizes", "assemble", "chapter_loader", "compute_cells", "estimate_flops", "estimate_seconds", "get", "instance_seed", "load",
           "variables"]

PROFILES = ("quick", "paper")
QUANTITIES = ("signatures", "reservoir")
#: Root of every seed in the catalog (the arXiv submission date of the paper, 2025-05-28).
PROJECT_SEED = 20250528
AXES = ("point", "balance", "strength", "regularity", "control", *REGULARITIES, "modules", "n", "task", "variant")

SIGNATURE_VARIABLES = ("mean_activation", "saturation", "fraction_saturated", "fluctuation",
                       "lag1_autocorrelation", "pairwise_correlation", "lyapunov", "period", "regime")
#: Reservoir result key -> dataset variable (saturation is measured *under input*).
RESERVOIR_VARIABLES = {"accuracy": "accuracy", "train_accuracy": "train_accuracy",
                       "saturation": "saturation_input", "fraction_saturated": "fraction_saturated_input"}

#: Every fixed parameter an experiment may set, with its default.
DEFAULTS = {
    # network (rnnlib.weights.NetworkParams, plus the strength when it is not swept)
    "balance": 0.0, "strength": 1.0, "dale": 0.0, "reciprocity": 0.0, "modularity": 0.0,
    "modules": 4, "density": 1.0, "constructions": {},
    # reservoir (rnnlib.reservoir.evaluate_batch)
    "task": "digits", "input_strength": 1.0, "ridge": 1e-6, "features": "final", "task_params": {},
    # signatures (rnnlib.SignatureSettings, steps and transient come from the profile)
    **{k: v for k, v in SignatureSettings().as_dict().items() if k not in ("steps", "transient")},
}
_NETWORK_KEYS = ("n", "balance", "dale", "reciprocity", "modularity", "modules", "density", "constructions")
_SIGNATURE_KEYS = tuple(k for k in SignatureSettings().as_dict() if k not in ("steps", "transient"))
#: Keys of ``fixed`` that are tables looked up by a coordinate rather than parameters.
_TABLES = ("points", "variants")


@dataclass(frozen=True)
class Sizes:
    """The grid and sizes of one experiment in one profile.

    Parameters
    ----------
    axes : tuple of (name, values)
        Swept coordinates in dataset order; names from :data:`AXES`, values a
        non-empty tuple of numbers or strings.
    instances : int
        Random networks per grid point (>= 1).
    n : int
        Number of neurons (unless ``n`` is an axis).
    steps, transient : int
        Measured and discarded steps of free-running signatures.
    """

    axes: tuple
    instances: int
    n: int
    steps: int = 200
    transient: int = 200

    def __post_init__(self):
        axes = tuple((str(name), tuple(values)) for name, values in self.axes)
        object.__setattr__(self, "axes", axes)
        names = [a for a, _ in axes]
        for name, values in axes:
            check_choice("axis", name, AXES)
            if not values or len(set(values)) != len(values):
                raise ValueError(f"axis {name!r} needs distinct values, got {values!r}")
        if len(set(names)) != len(names):
            raise ValueError(f"axes must not repeat, got {names}")
        if "point" in names and ({"balance", "strength"} & set(names)):
            raise ValueError("an experiment sweeps either named points or balance/strength, not both")
        if ("regularity" in names) != ("control" in names):
            raise ValueError("the axes 'regularity' and 'control' go together")
        check_int("instances", self.instances, 1)
        check_int("n", self.n, 1)
        check_int("steps", self.steps, 2)
        check_int("transient", self.transient, 0)

    @property
    def names(self) -> tuple:
        return tuple(a for a, _ in self.axes)

    def values(self, name) -> tuple:
        return dict(self.axes)[name]

    @property
    def cell_axes(self) -> tuple:
        """Axes that index cells: every axis except ``strength`` (strengths share one simulation)."""
        return tuple((a, v) for a, v in self.axes if a != "strength")

    @property
    def cell_shape(self) -> tuple:
        return tuple(len(v) for _, v in self.cell_axes) + (self.instances,)

    @property
    def cells(self) -> int:
        return math.prod(self.cell_shape)

    @property
    def gains(self) -> int:
        """Strength columns per cell."""
        return len(self.values("strength")) if "strength" in self.names else 1


@dataclass(frozen=True)
class Experiment:
    """One figure's data, declared as data.

    Parameters
    ----------
    name : str
        Catalog key and file name.
    quantity : {"signatures", "reservoir"}
        What every cell computes.
    description : str
        One line shown by ``python -m rnnlib list``.
    quick, paper : Sizes
        Grid and sizes per profile.
    fixed : dict
        Fixed parameters (keys of :data:`DEFAULTS`), plus the tables ``points``
        (name -> (balance, strength)) and ``variants`` (name -> overrides)
        that the ``point`` and ``variant`` axes refer to. Treat as read-only.
    family : str
        Seed family: experiments of one family share their network instances.
    """

    name: str
    quantity: str
    description: str
    quick: Sizes
    paper: Sizes
    fixed: dict = field(default_factory=dict)
    family: str = "networks"

    def __post_init__(self):
        check_choice("quantity", self.quantity, QUANTITIES)
        unknown = set(self.fixed) - set(DEFAULTS) - set(_TABLES)
        if unknown:
            raise ValueError(f"experiment {self.name!r}: unknown fixed parameters {sorted(unknown)}; "
                             f"allowed: {sorted(DEFAULTS) + list(_TABLES)}")
        for profile in PROFILES:
            sizes = self.sizes(profile)
            if self.quantity == "signatures":   # validates steps against max_period etc. now, not mid-run
                _signature_settings(sizes, {**DEFAULTS, **self.fixed})
            for name, table in (("point", "points"), ("variant", "variants")):
                if name in sizes.names:
                    missing = set(sizes.values(name)) - set(self.fixed.get(table, {}))
                    if missing:
                        raise ValueError(f"experiment {self.name!r}: {name}s {sorted(missing)} are not in "
                                         f"fixed[{table!r}]")

    def sizes(self, profile) -> Sizes:
        return getattr(self, check_choice("profile", profile, PROFILES))

    def resolved(self, profile) -> dict:
        """The complete parameter set of ``profile`` as plain JSON-able data (what the fingerprint hashes)."""
        sizes = self.sizes(profile)
        params = {**DEFAULTS, **{k: v for k, v in self.fixed.items() if k not in _TABLES}}
        tasks = sizes.values("task") if "task" in sizes.names else (params["task"],)
        if self.quantity == "reservoir":
            params["task_params"] = {t: {**_task_defaults(t), **params["task_params"].get(t, {})} for t in tasks}
        return _jsonable({
            "experiment": self.name, "quantity": self.quantity, "profile": profile, "family": self.family,
            "project_seed": PROJECT_SEED, "sizes": asdict(sizes), "fixed": params,
            **{t: self.fixed[t] for t in _TABLES if t in self.fixed},
        })


def _jsonable(obj):
    return json.loads(json.dumps(obj))


@lru_cache(maxsize=None)
def _task_defaults(task) -> dict:
    from .tasks import task_defaults
    return task_defaults(task)


def variables(quantity) -> tuple:
    """Names of the dataset variables of a quantity."""
    return SIGNATURE_VARIABLES if quantity == "signatures" else tuple(RESERVOIR_VARIABLES.values())


# --------------------------------------------------------------------------- computation of cells

def _cell_setting(exp: Experiment, sizes: Sizes, coord: dict):
    """Parameters of one cell: (NetworkParams, gains, settings dict)."""
    s = {**DEFAULTS, **{k: v for k, v in exp.fixed.items() if k not in _TABLES}, "n": sizes.n}
    overrides = {}
    for dim, value in coord.items():
        if dim == "point":
            s["balance"], s["strength"] = exp.fixed["points"][value]
        elif dim == "variant":
            overrides = exp.fixed["variants"][value]
        elif dim == "control":
            s[coord["regularity"]] = value
        elif dim != "regularity":
            s[dim] = value
    s.update(overrides)
    net = NetworkParams(**{k: s[k] for k in _NETWORK_KEYS})
    gains = np.asarray(sizes.values("strength") if "strength" in sizes.names else (s["strength"],), float)
    return net, gains, s


def _signature_settings(sizes: Sizes, s: dict) -> SignatureSettings:
    return SignatureSettings(steps=sizes.steps, transient=sizes.transient, **{k: s[k] for k in _SIGNATURE_KEYS})


def instance_seed(exp: Experiment, instance: int):
    """Seed of instance ``k``: ``derive(PROJECT_SEED, family, "instance", k)``."""
    return derive(PROJECT_SEED, exp.family, "instance", int(instance))


def _compute_cell(exp, sizes, coord, instance) -> dict:
    net, gains, s = _cell_setting(exp, sizes, coord)
    seed = instance_seed(exp, instance)
    W1 = unit_weights(net, seed)
    if exp.quantity == "signatures":
        res = signatures_batch(W1, gains, settings=_signature_settings(sizes, s), initial_conditions=1, seed=seed)
        return {k: res[k][:, 0] for k in SIGNATURE_VARIABLES}
    from .reservoir import evaluate_batch   # imported here: the signatures layer does not need it
    res = evaluate_batch(W1, gains, s["task"], input_strength=s["input_strength"], ridge=s["ridge"],
                         features=s["features"], seed=seed, **s["task_params"].get(s["task"], {}))
    return {v: np.asarray(res[k]) for k, v in RESERVOIR_VARIABLES.items()}


def compute_cells(exp: Experiment, profile: str, cells) -> dict:
    """Compute cells (flat indices into ``Sizes.cell_shape``); arrays of shape (len(cells), gains).

    A pure function of the declaration: the same cell gives the same numbers
    in any process, alone or with any other cells. BLAS runs on one thread
    here, because a multi-threaded matrix product may round differently, and
    chaotic trajectories amplify any rounding difference.
    """
    with threadpool_limits(1):
        return _compute_cells(exp, profile, cells)


def _compute_cells(exp, profile, cells):
    sizes = exp.sizes(profile)
    out = {v: np.empty((len(cells), sizes.gains), np.int64 if v in ("period", "regime") else np.float64)
           for v in variables(exp.quantity)}
    for row, cell in enumerate(cells):
        idx = np.unravel_index(int(cell), sizes.cell_shape)
        coord = {a: values[i] for (a, values), i in zip(sizes.cell_axes, idx[:-1])}
        for k, v in _compute_cell(exp, sizes, coord, idx[-1]).items():
            out[k][row] = v
    return out


def assemble(exp: Experiment, profile: str, cells, results: dict, fingerprint: str) -> xr.Dataset:
    """Dataset of a complete experiment from the results of all its cells."""
    sizes = exp.sizes(profile)
    order = np.argsort(cells)
    if not np.array_equal(np.asarray(cells)[order], np.arange(sizes.cells)):
        raise ValueError(f"experiment {exp.name!r}: cells missing or repeated; cannot assemble")
    inner = [a for a, _ in sizes.cell_axes] + ["instance", "strength"]
    dims = list(sizes.names) + ["instance"]
    data = {}
    for var, arr in results.items():
        full = np.asarray(arr)[order].reshape(sizes.cell_shape + (sizes.gains,))
        if "strength" not in sizes.names:
            full = full[..., 0]
        data[var] = (dims, np.transpose(full, [inner[:full.ndim].index(d) for d in dims]))
    coords = {a: list(v) for a, v in sizes.axes}
    coords["instance"] = np.arange(sizes.instances)
    if "point" in sizes.names:
        pts = [exp.fixed["points"][p] for p in sizes.values("point")]
        coords["balance"] = ("point", [float(b) for b, _ in pts])
        coords["strength"] = ("point", [float(w) for _, w in pts])
    ds = xr.Dataset(data, coords=coords)
    if "regime" in ds:
        ds["regime"].attrs["regime_names"] = list(REGIMES)
    ds.attrs.update(experiment=exp.name, profile=profile, quantity=exp.quantity, description=exp.description,
                    fingerprint=fingerprint, rnnlib_version=__version__, code_salt=_store.CODE_SALT,
                    numerics_probe=_store.numerics_probe(),
                    parameters=json.dumps(exp.resolved(profile), sort_keys=True))
    return ds


# --------------------------------------------------------------------------- cost model

#: Throughput of one worker (one BLAS thread) in floating-point operations per second, and the fixed
#: cost of a cell in seconds, fitted to paper-profile runs with 2 workers on the 2-core reference
#: machine (dale_phase 65 s, baseline_reservoir 106 s; one worker alone runs about 1.7x faster).
THROUGHPUT = {"signatures": 12e9, "reservoir": 16e9}
CELL_OVERHEAD = 0.02


@lru_cache(maxsize=None)
def _task_work(task, params_json) -> int:
    """Samples times (steps + 1) of a task: the columns and steps of its simulation plus the readout."""
    from .tasks import make_task
    data = make_task(task, 0, **json.loads(params_json))
    return (data.train_inputs.shape[1] + data.test_inputs.shape[1]) * (data.train_inputs.shape[0] + 1)


def estimate_flops(exp: Experiment, profile: str) -> float:
    r"""Floating-point operations of the whole experiment (a model, not a count).

    Per cell with ``n`` neurons and ``G`` strengths:

    - signatures: :math:`2 n^2 \cdot 2G (T_0 + T)` for states and tangents plus
      :math:`2 n^2 G T` for the pairwise correlations;
    - reservoir: :math:`2 n^2 G S (T + 1)` for ``S`` samples of ``T`` steps
      (simulation plus readout).
    """
    sizes = exp.sizes(profile)
    ns = sizes.values("n") if "n" in sizes.names else (sizes.n,)
    mean_n2 = float(np.mean(np.square(ns)))
    if "variant" in sizes.names:
        vn = [exp.fixed["variants"][v].get("n", sizes.n) for v in sizes.values("variant")]
        mean_n2 = float(np.mean(np.square(vn)))
    G = sizes.gains
    if exp.quantity == "signatures":
        per_cell = 2 * mean_n2 * G * (2 * (sizes.transient + sizes.steps) + sizes.steps)
    else:
        params = exp.resolved(profile)["fixed"]["task_params"]
        work = np.mean([_task_work(t, json.dumps(p, sort_keys=True)) for t, p in params.items()])
        per_cell = 2 * mean_n2 * G * work
    return per_cell * sizes.cells


def estimate_seconds(exp: Experiment, profile: str, workers: int = 1) -> float:
    """Estimated wall time: :func:`estimate_flops` over :data:`THROUGHPUT` plus :data:`CELL_OVERHEAD`
    per cell, divided among ``workers``."""
    cost = estimate_flops(exp, profile) / THROUGHPUT[exp.quantity] + CELL_OVERHEAD * exp.sizes(profile).cells
    return cost / max(1, workers)


# --------------------------------------------------------------------------- the catalog

def _grid(lo, hi, step) -> tuple:
    return tuple(float(v) + 0.0 for v in np.round(np.arange(lo, hi + step / 2, step), 6))  # + 0.0: no -0.0


#: Named (balance, strength) points where the regularities are studied.
POINTS = {"ordered": (0.0, 0.6), "edge": (0.0, 1.0), "chaotic": (0.0, 2.0),
          "inhibitory": (-0.3, 1.5), "excitatory": (0.3, 1.5)}
DEFAULT_POINT = "edge"
TASKS = ("digits", "parity", "recall", "prototypes")
BALANCE = {"quick": _grid(-0.45, 0.45, 0.15), "paper": _grid(-0.5, 0.5, 0.05)}
STRENGTH = {"quick": _grid(0.5, 3.0, 0.5), "paper": _grid(0.2, 3.0, 0.2)}
CONTROL = {"quick": _grid(0.0, 1.0, 0.25), "paper": _grid(0.0, 1.0, 0.1)}
ENDS = (0.0, 1.0)
N = {"quick": 80, "paper": 200}
STEPS = {"quick": 200, "paper": 500}


def _sizes(profile, axes, instances, n=None, steps=None):
    st = steps or STEPS[profile]
    return Sizes(axes=axes, instances=instances, n=n or N[profile], steps=st, transient=st)


def _both(axes, instances, **kw):
    """quick and paper Sizes from per-profile axes ``{profile: axes}`` and ``{profile: instances}``."""
    return {p: _sizes(p, axes[p], instances[p], **{k: v[p] for k, v in kw.items()}) for p in PROFILES}


def _declare() -> dict:
    exps = []
    bs = {p: (("balance", BALANCE[p]), ("strength", STRENGTH[p])) for p in PROFILES}
    pts = {"points": POINTS}
    exps.append(Experiment("baseline_phase", "signatures",
                           "signatures over the (balance, strength) plane, no regularity",
                           **_both(bs, {"quick": 3, "paper": 10})))
    exps.append(Experiment("baseline_lyapunov", "signatures",
                           "signatures at balance 0 on a fine strength grid, larger n",
                           **_both({"quick": (("strength", _grid(0.1, 3.0, 0.1)),),
                                    "paper": (("strength", _grid(0.05, 3.0, 0.05)),)},
                                   {"quick": 3, "paper": 8}, n={"quick": 200, "paper": 500},
                                   steps={"quick": 200, "paper": 1000})))
    exps.append(Experiment("baseline_reservoir", "reservoir",
                           "digits accuracy over the (balance, strength) plane, no regularity",
                           **_both(bs, {"quick": 2, "paper": 6})))
    for reg in REGULARITIES:
        exps.append(Experiment(f"{reg}_signatures", "signatures",
                               f"signatures against {reg} at the named points",
                               **_both({p: (("point", tuple(POINTS)), (reg, CONTROL[p])) for p in PROFILES},
                                       {"quick": 4, "paper": 20}), fixed=pts))
        exps.append(Experiment(f"{reg}_phase", "signatures",
                               f"signatures over (balance, strength) at {reg} 0 and 1",
                               **_both({p: bs[p] + ((reg, ENDS),) for p in PROFILES}, {"quick": 2, "paper": 8})))
        exps.append(Experiment(f"{reg}_reservoir", "reservoir",
                               f"accuracy and saturation under input against {reg}, all tasks, named points",
                               **_both({p: (("point", tuple(POINTS)), (reg, CONTROL[p][::2]), ("task", TASKS))
                                        for p in PROFILES}, {"quick": 3, "paper": 16}), fixed=pts))
        exps.append(Experiment(f"{reg}_reservoir_map", "reservoir",
                               f"digits accuracy over (balance, strength) at {reg} 0 and 1",
                               **_both({p: bs[p] + ((reg, ENDS),) for p in PROFILES}, {"quick": 2, "paper": 6})))
    exps.append(Experiment("modularity_modules", "reservoir",
                           "digits accuracy against the number of modules and modularity, named points",
                           **_both({"quick": (("point", tuple(POINTS)), ("modules", (2, 4, 8)),
                                              ("modularity", (0.0, 0.5, 1.0))),
                                    "paper": (("point", tuple(POINTS)), ("modules", (2, 4, 8, 16)),
                                              ("modularity", (0.0, 0.5, 1.0)))},
                                   {"quick": 3, "paper": 16}), fixed=pts))
    variants = {"default": {}, "input_strength=0.5": {"input_strength": 0.5},
                "input_strength=2": {"input_strength": 2.0}, "features=all": {"features": "all"},
                "ridge=1": {"ridge": 1.0}, "n=100": {"n": 100}, "n=400": {"n": 400}}
    for reg, names in available_constructions().items():     # alternative readings, once registered
        variants |= {f"{reg}:{alt}": {"constructions": {reg: alt}}
                     for alt in names if alt != DEFAULT_CONSTRUCTIONS[reg]}
    regs = ("regularity", REGULARITIES)
    exps.append(Experiment("sensitivity", "reservoir",
                           f"digits accuracy at control 0 and 1 at the {DEFAULT_POINT!r} point under "
                           "other modelling choices",
                           **_both({p: (regs, ("control", ENDS), ("variant", tuple(variants))) for p in PROFILES},
                                   {"quick": 3, "paper": 16}),
                           fixed={"balance": POINTS[DEFAULT_POINT][0], "strength": POINTS[DEFAULT_POINT][1],
                                  "variants": variants}))
    exps.append(Experiment("scale", "reservoir",
                           "digits accuracy and saturation at control 0 and 1 for n = 100, 200, 400",
                           **_both({"quick": (("n", (100, 200, 400)), regs, ("control", ENDS),
                                              ("point", ("edge", "chaotic"))),
                                    "paper": (("n", (100, 200, 400)), regs, ("control", ENDS),
                                              ("point", ("edge", "chaotic", "excitatory")))},
                                   {"quick": 2, "paper": 12}), fixed=pts))
    return {e.name: e for e in exps}


#: Every experiment of the book, by name.
CATALOG: dict = _declare()


def get(name) -> Experiment:
    """The experiment called ``name`` (an :class:`Experiment` passes through)."""
    if isinstance(name, Experiment):
        return name
    if name not in CATALOG:
        raise ValueError(f"unknown experiment {name!r}; known: {', '.join(CATALOG)} "
                         "(python -m rnnlib list shows them)")
    return CATALOG[name]


# --------------------------------------------------------------------------- load / compute

def load(name, profile="quick", *, workers=None, scheduler=None, store=None, progress=True,
         recompute=False, chunk_size=None, compute=True) -> xr.Dataset:
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
    store : path, optional
        Directory of the result files (default: :func:`rnnlib.store.default_root` of the profile).
    progress : bool
        Show a tqdm progress bar (cells done, time left).
    recompute : bool
        Ignore a stored file and compute again (finished chunks of an interrupted
        run with the same fingerprint are still reused).
    chunk_size : int, optional
        Cells per task; does not change the result.
    compute : bool
        ``False`` never computes: without a current stored result it raises
        :class:`rnnlib.store.MissingResultError` (e.g. to build the published
        book from committed data only).

    Returns
    -------
    xarray.Dataset
        Read back from the stored NetCDF file, so a fresh and a stored result are identical.
    """
    exp = get(name)
    check_choice("profile", profile, PROFILES)
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
        return ds if ds is not None else _compute(exp, profile, path, fp, workers, scheduler, progress, chunk_size)


def chapter_loader(profile):
    """The ``load(name)`` of a book chapter in ``profile``.

    The ``paper`` profile reads committed data only (a missing or outdated file
    raises :class:`rnnlib.store.MissingResultError` naming the command that
    regenerates it), so the published book never recomputes silently; the
    ``quick`` profile computes what is missing and stores it. No progress bar.
    """
    check_choice("profile", profile, PROFILES)
    return partial(load, profile=profile, progress=False, compute=profile != "paper")


def _compute(exp, profile, path, fp, workers, scheduler, progress, chunk_size) -> xr.Dataset:
    """Compute the missing cells of an experiment, write its file and manifest entry, return it read back."""
    start = time.perf_counter()
    sizes = exp.sizes(profile)
    partial_dir = _store.Partial(path, fp)
    done = partial_dir.done()
    todo = np.setdiff1d(np.arange(sizes.cells), done)
    chunks = execute.plan_chunks(todo, chunk_size=chunk_size, workers=workers)
    execute.run_chunks(partial(compute_cells, exp, profile), chunks, workers=workers, scheduler=scheduler,
                       progress=progress, desc=f"{exp.name} [{profile}]", total=sizes.cells,
                       initial=sizes.cells - todo.size, on_result=partial_dir.save)
    cells, results, seconds = partial_dir.collect(variables(exp.quantity))
    ds = assemble(exp, profile, cells, results, fp)
    _store.write(ds, path)
    _store.record(path, ds, wall_time=time.perf_counter() - start, compute_time=seconds)
    partial_dir.remove()
    return _store.read(path, fp)
