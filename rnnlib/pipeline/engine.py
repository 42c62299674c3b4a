r"""The experiment engine: a sweep declared as data, cut into cells, each cell computed and the whole assembled.

An :class:`Experiment` names a *quantity* (``"signatures"``: free-running
dynamics, or ``"reservoir"``: task accuracy of a trained linear readout), the
*axes* of its grid, the number of random network *instances*, and the fixed
parameters; each profile (``quick`` for CI, ``paper`` for the published
figures) gives its own :class:`Sizes`. The book's experiments are declared in
:mod:`rnnlib.pipeline.catalogue`; :func:`rnnlib.experiments.load` stores and loads them.

Axes (dataset dimensions; ``instance`` is always present, the others only when swept):

- ``balance``, ``strength``: the (b, w) grid; or ``point``: named (b, w) points,
  with coordinates ``balance(point)`` and ``strength(point)``.
- ``dale``, ``reciprocity``, ``modularity``: the control parameter of one regularity;
  or ``regularity`` (its name) with ``control`` (its value), when several are compared.
- ``modules``, ``n``, ``task``; ``variant``: a named set of overrides of modelling choices.

Coupling: with ``fixed={"coupling": "matched"}`` every cell's network is
compared with the baseline at matched effective coupling: with
:math:`g = E_0 / E` (:func:`matched_gain`), where :math:`E` is the extent (largest
modulus) of the predicted bulk of the cell's network at unit strength
(:func:`rnnlib.model.theory.bulk_radius`) and :math:`E_0` that of the baseline at
the same balance, density and modules, the option ``matching``
(:data:`rnnlib.model.matching.READINGS`) says what is rescaled: ``"bulk"`` (the
default) multiplies every strength by :math:`g`, so the bulk but also the
outliers of the mean move; ``"centred"`` rescales only the centred part of the
unit-strength matrix, :math:`W_1 \mapsto M + g (W_1 - M)`, so the bulk reaches
as far as the baseline's and the outliers of the mean stay. Coordinates keep the
nominal :math:`w`.

Precision: ``fixed={"precision": "float32"}`` runs a reservoir experiment's
dynamics in float32 (:data:`PRECISIONS`; default float64; the book's catalogue
declares float32 for its reservoir experiments,
:data:`rnnlib.pipeline.catalogue.RESERVOIR_PRECISION`). Like every entry of
:data:`OPTIONS` it enters the fingerprint and the cell keys only when set.

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

import functools
import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

import numpy as np
import xarray as xr
from threadpoolctl import threadpool_limits

from . import store
from ..model import theory
from ..model._checks import check_choice, check_int
from .._version import __version__
from ..model.constructions import (ALL_REGULARITIES, DEFAULTS as DEFAULT_CONSTRUCTIONS, FOLLOW_UP, REGULARITIES,
                                   weak_row_mask)
from ..model.dynamics import run
from ..model.matching import centred_rescale, check_reading, row_blocks
from ..reservoir.driven import evaluate_batch
from ..model.seeding import derive, rng
from ..model.signatures import REGIMES, SignatureSettings, signatures_batch
from ..model.weights import NetworkParams, unit_weights

__all__ = ["AXES", "DEFAULTS", "PROFILES", "PROJECT_SEED", "QUANTITIES", "RESERVOIR_VARIABLES",
           "SIGNATURE_VARIABLES", "COUPLINGS", "OPTIONS", "PRECISIONS", "Cell", "Experiment", "Sizes", "assemble",
           "cell", "cell_key", "compute_cells", "disassemble", "matched_gain",
           "instance_seed", "numerics_probe", "signature_settings", "variables"]

PROFILES = ("quick", "paper")
QUANTITIES = ("signatures", "reservoir")
#: Root of every seed (the arXiv submission date of the paper, 2025-05-28).
PROJECT_SEED = 20250528
AXES = ("point", "balance", "strength", "regularity", "control", *REGULARITIES, *FOLLOW_UP, "modules", "n", "task",
        "variant")

SIGNATURE_VARIABLES = ("mean_activation", "saturation", "fraction_saturated", "fluctuation",
                       "lag1_autocorrelation", "pairwise_correlation", "lyapunov", "period", "regime")
#: Reservoir result key -> dataset variable (saturation is measured *under input*).
RESERVOIR_VARIABLES = {"accuracy": "accuracy", "train_accuracy": "train_accuracy",
                       "saturation": "saturation_input", "fraction_saturated": "fraction_saturated_input"}

#: Saturation under input of the weak subset of the weak-row reading (the first neurons) and of the others;
#: reported by reservoir experiments that declare weak rows (also at control 0: the same neurons).
WEAK_ROW_VARIABLES = ("saturation_weak", "saturation_rest")

_SIGNATURE_KEYS = tuple(k for k in SignatureSettings().as_dict() if k not in ("steps", "transient"))
#: Every fixed parameter an experiment may set, with its default. ``saturation_threshold`` serves
#: both quantities (free-running and under input).
DEFAULTS = {
    # network (rnnlib.model.weights.NetworkParams, plus the strength when it is not swept)
    "balance": 0.0, "strength": 1.0, "dale": 0.0, "reciprocity": 0.0, "modularity": 0.0,
    "modules": 4, "density": 1.0, "constructions": {},
    # reservoir (rnnlib.reservoir.driven.evaluate_batch)
    "task": "digits", "input_strength": 1.0, "ridge": 1e-6, "features": "final", "task_params": {},
    # signatures (rnnlib.SignatureSettings; steps and transient come from the profile)
    **{k: SignatureSettings().as_dict()[k] for k in _SIGNATURE_KEYS},
}
_NETWORK_KEYS = ("n", "balance", *ALL_REGULARITIES, "modules", "density", "constructions")
#: Parameters a reservoir cell depends on besides its network, gains and seed.
_RESERVOIR_KEYS = ("task", "input_strength", "ridge", "features", "saturation_threshold")
#: Keys of ``fixed`` that are tables looked up by a coordinate rather than parameters.
_TABLES = ("points", "variants")
#: Optional fixed parameters with their default. Unlike :data:`DEFAULTS` they enter an experiment's
#: fingerprint only when the experiment sets them, so adding one left every stored result current.
OPTIONS = {"coupling": "same", "matching": "bulk", **{reg: 0.0 for reg in FOLLOW_UP},
           # automatic gain control of reservoir runs (rnnlib.reservoir.driven.evaluate_batch), e.g.
           # {"set_points": [0.2, 0.4, 0.6], "rate": 1.0, "measure": "abs"}; None: no control
           "gain_control": None,
           # float precision of reservoir runs (rnnlib.reservoir.driven.evaluate_batch's dtype): "float32"
           # runs them in about a third of the CPU time (README, "Regeneration time"); tests/test_precision.py
           # bounds what it changes on the quick profile
           "precision": "float64"}
COUPLINGS = ("same", "matched")
#: Values of the ``precision`` option.
PRECISIONS = ("float64", "float32")


@dataclass(frozen=True)
class Sizes:
    """The grid and sizes of one experiment in one profile.

    Parameters
    ----------
    axes : tuple of (name, values)
        Swept coordinates in dataset order; names from :data:`AXES`, values a
        non-empty tuple of distinct numbers or strings.
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
        Catalogue key and file name.
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
        unknown = set(self.fixed) - set(DEFAULTS) - set(_TABLES) - set(OPTIONS)
        if unknown:
            raise ValueError(f"experiment {self.name!r}: unknown fixed parameters {sorted(unknown)}; "
                             f"allowed: {sorted(DEFAULTS) + list(_TABLES) + list(OPTIONS)}")
        check_choice("coupling", self.fixed.get("coupling", OPTIONS["coupling"]), COUPLINGS)
        check_choice("precision", self.fixed.get("precision", OPTIONS["precision"]), PRECISIONS)
        if "precision" in self.fixed and self.quantity != "reservoir":
            raise ValueError(f"experiment {self.name!r}: 'precision' applies to reservoir runs only, "
                             f"got quantity {self.quantity!r}")
        check_reading(self.fixed.get("matching", OPTIONS["matching"]))
        if "matching" in self.fixed and self.fixed.get("coupling") != "matched":
            raise ValueError(f"experiment {self.name!r}: 'matching' is a reading of coupling 'matched', "
                             f"but coupling is {self.fixed.get('coupling', OPTIONS['coupling'])!r}")
        for profile in PROFILES:
            sizes = self.sizes(profile)
            if self.quantity == "signatures":   # validates steps against max_period etc. now, not mid-run
                signature_settings(sizes, {**DEFAULTS, **self.fixed})
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
        return json.loads(json.dumps({
            "experiment": self.name, "quantity": self.quantity, "profile": profile, "family": self.family,
            "project_seed": PROJECT_SEED, "sizes": asdict(sizes), "fixed": params,
            **{t: self.fixed[t] for t in _TABLES if t in self.fixed},
        }))


@functools.lru_cache(maxsize=None)
def _task_defaults(task) -> dict:
    from ..reservoir.tasks import task_defaults
    return task_defaults(task)


def variables(quantity, exp: Experiment | None = None) -> tuple:
    """Names of the dataset variables of a quantity (of experiment ``exp``: reservoir experiments that declare
    weak rows, as a fixed value or an axis, also report :data:`WEAK_ROW_VARIABLES`)."""
    if quantity == "signatures":
        return SIGNATURE_VARIABLES
    return tuple(RESERVOIR_VARIABLES.values()) + (WEAK_ROW_VARIABLES if exp is not None and _weak(exp) else ())


def _weak(exp: Experiment) -> bool:
    """Whether ``exp`` declares weak rows (then its reservoir cells report the weak subset's saturation apart)."""
    return "weak_rows" in exp.fixed or any("weak_rows" in exp.sizes(p).names for p in PROFILES)


# --------------------------------------------------------------------------- cells

class Cell(NamedTuple):
    """Everything one cell computes from: its coordinates, network, strengths (gains), seed and parameters.

    ``centred`` is the factor :math:`g` of the ``centred`` matching applied to the centred part of
    the unit-strength matrix (1: the matrix as drawn).
    """

    coords: dict
    network: NetworkParams
    gains: np.ndarray
    seed: np.random.SeedSequence
    params: dict
    centred: float = 1.0


def instance_seed(exp: Experiment, instance: int) -> np.random.SeedSequence:
    """Seed of instance ``k``: ``derive(PROJECT_SEED, family, "instance", k)``."""
    return derive(PROJECT_SEED, exp.family, "instance", int(instance))


def cell(exp: Experiment, profile: str, index: int) -> Cell:
    """The cell with flat index ``index`` into ``Sizes.cell_shape`` (last axis: instance)."""
    sizes = exp.sizes(profile)
    idx = np.unravel_index(int(index), sizes.cell_shape)
    coords = {a: values[i] for (a, values), i in zip(sizes.cell_axes, idx[:-1])}
    s = {**DEFAULTS, **OPTIONS, **{k: v for k, v in exp.fixed.items() if k not in _TABLES}, "n": sizes.n}
    overrides = {}
    for dim, value in coords.items():
        if dim == "point":
            s["balance"], s["strength"] = exp.fixed["points"][value]
        elif dim == "variant":
            overrides = exp.fixed["variants"][value]
        elif dim == "control":
            s[coords["regularity"]] = value
        elif dim != "regularity":
            s[dim] = value
    s.update(overrides)
    network = NetworkParams(**{k: s[k] for k in _NETWORK_KEYS})
    gains = np.asarray(sizes.values("strength") if "strength" in sizes.names else (s["strength"],), float)
    centred = 1.0
    if s["coupling"] == "matched" and s["matching"] == "bulk":
        gains = gains * matched_gain(network)
    elif s["coupling"] == "matched":
        centred = matched_gain(network)
    return Cell(coords | {"instance": int(idx[-1])}, network, gains, instance_seed(exp, idx[-1]), s, centred)


def matched_gain(network: NetworkParams) -> float:
    r"""Factor :math:`E_0 / E` that gives the bulk of ``network`` the baseline's extent.

    :math:`E` is the extent (largest modulus) of the bulk of the spectrum of the
    unit-strength matrix of ``network`` (:attr:`rnnlib.model.theory.BulkSpectrum.extent`),
    :math:`E_0` that of the baseline (every control 0) at the same balance,
    density and modules. It is 1 for the baseline itself. Weak rows (which combine with no other
    regularity) use :func:`rnnlib.model.theory.weak_rows_bulk`. The ``matching`` reading
    says whether it multiplies the whole matrix or only its centred part
    (:mod:`rnnlib.model.matching`).
    """
    if network.weak_rows > 0:
        kw = dict(density=network.density, reading=network.constructions["weak_rows"])
        return float(theory.weak_rows_bulk(1.0, network.balance, 0.0, **kw).extent
                     / theory.weak_rows_bulk(1.0, network.balance, network.weak_rows, **kw).extent)
    return float(theory.extent_ratio(network.balance, **{reg: getattr(network, reg) for reg in REGULARITIES},
                                     modules=network.modules, density=network.density,
                                     constructions=dict(network.constructions)))


def cell_key(exp: Experiment, profile: str, index: int) -> str:
    """What the numbers of a cell depend on, in canonical form: cells with equal keys give equal numbers.

    The key holds the network (with the default construction for every
    regularity at control 0, which no construction changes: ``unit_weights``
    applies a construction only at a positive control), the gains, the seed
    and the settings of the quantity. A sweep in which several coordinates
    name one computation (e.g. an alternative construction of Dale at
    reciprocity 1 with Dale at 0) computes it once.
    """
    c = cell(exp, profile, index)
    network = c.network.as_dict()
    network["constructions"] = {reg: name if network[reg] > 0 else DEFAULT_CONSTRUCTIONS[reg]
                                for reg, name in network["constructions"].items()}
    if exp.quantity == "signatures":
        settings = signature_settings(exp.sizes(profile), c.params).as_dict()
    else:
        settings = {k: c.params[k] for k in (*_RESERVOIR_KEYS, "gain_control")} | {
            "task_params": c.params["task_params"].get(c.params["task"], {})}
    if c.params["precision"] != OPTIONS["precision"]:   # keys of float64 cells as before the option existed
        settings["precision"] = c.params["precision"]
    centred = [] if c.centred == 1.0 else [c.centred]   # keys of uncentred cells as before the option existed
    return json.dumps([exp.quantity, network, c.gains.tolist(), list(c.seed.spawn_key), c.seed.entropy, settings,
                       *centred], sort_keys=True)


def signature_settings(sizes: Sizes, params: dict) -> SignatureSettings:
    """The :class:`SignatureSettings` of a cell: steps and transient of ``sizes``, the rest from ``params``."""
    return SignatureSettings(steps=sizes.steps, transient=sizes.transient, **{k: params[k] for k in _SIGNATURE_KEYS})


def _compute_cell(exp: Experiment, sizes: Sizes, c: Cell) -> dict:
    W1 = unit_weights(c.network, c.seed)
    if c.centred != 1.0:
        net = c.network
        W1 = centred_rescale(W1, c.centred, row_blocks(net.n, net.modularity, net.modules,
                                                       net.constructions["modularity"]))
    s = c.params
    if exp.quantity == "signatures":
        res = signatures_batch(W1, c.gains, settings=signature_settings(sizes, s), initial_conditions=1, seed=c.seed)
        return {k: res[k][:, 0] for k in SIGNATURE_VARIABLES}
    res = evaluate_batch(W1, c.gains, s["task"], input_strength=s["input_strength"], ridge=s["ridge"],
                         features=s["features"], saturation_threshold=s["saturation_threshold"], seed=c.seed,
                         gain_control=s["gain_control"], dtype=s["precision"], **s["task_params"].get(s["task"], {}),
                         subset=weak_row_mask(c.network.n, c.network.constructions["weak_rows"]) if _weak(exp) else None)
    out = {v: np.asarray(res[k]) for k, v in RESERVOIR_VARIABLES.items()}
    if _weak(exp):
        out["saturation_weak"], out["saturation_rest"] = res["saturation_subset"], res["saturation_rest"]
    return out


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
           for v in variables(exp.quantity, exp)}
    for row, index in enumerate(cells):
        for k, v in _compute_cell(exp, sizes, cell(exp, profile, index)).items():
            out[k][row] = v
    return out


# --------------------------------------------------------------------------- the dataset

def disassemble(exp: Experiment, profile: str, ds: xr.Dataset) -> dict:
    """The results of every cell of a complete dataset of ``exp``: the inverse of :func:`assemble`.

    Returns ``{variable: array (cells, gains)}``, row ``i`` the cell with flat
    index ``i``, for every variable of ``ds`` (so
    ``disassemble(exp, p, assemble(exp, p, cells, results, fp))`` gives back
    ``results`` in cell order).
    """
    sizes = exp.sizes(profile)
    inner = [a for a, _ in sizes.cell_axes] + ["instance"] + (["strength"] if "strength" in sizes.names else [])
    out = {}
    for var in ds.data_vars:
        if set(ds[var].dims) != set(inner):
            raise ValueError(f"experiment {exp.name!r}: variable {var!r} has dims {ds[var].dims}, "
                             f"not those of its cells {tuple(inner)}")
        out[var] = ds[var].transpose(*inner).values.reshape(sizes.cells, sizes.gains)
    return out


@functools.lru_cache(maxsize=None)
def numerics_probe() -> str:
    """Fingerprint of this machine's rounding in the kernels rnnlib uses (matrix products and tanh).

    A chaotic network (gain 2, n = 128) is run for 200 steps with 64 and with
    2 state columns on one BLAS thread; any difference in the last bit of a
    product or a tanh grows to order one, so two machines with the same probe
    recompute the same numbers bit for bit. Stored with every dataset, for
    the record (which machine's rounding made it).
    """
    g = rng(0, "numerics-probe")
    W = g.standard_normal((128, 128)) * (2.0 / np.sqrt(128))
    h = hashlib.sha256()
    with threadpool_limits(1):
        for columns in (64, 2):
            h.update(run(W, g.uniform(-1.0, 1.0, (128, columns)), 200).final.tobytes())
    return h.hexdigest()[:16]


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
                    fingerprint=fingerprint, rnnlib_version=__version__, code_salt=store.CODE_SALT,
                    numerics_probe=numerics_probe(), parameters=json.dumps(exp.resolved(profile), sort_keys=True))
    return ds
