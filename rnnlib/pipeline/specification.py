r"""The specification space, as data, and the experiment that measures every claim in a sample of it.

A *specification* is one choice of every modelling decision a careful reader
of the paper's abstract could make differently (:data:`SPACE`):

- shared by the three regularities: ``density`` (0.1, 0.3, 1), input strength
  ``input_strength`` (0.1, 0.3, 1, 3), ``task`` (the four of
  :data:`rnnlib.pipeline.catalogue.TASKS`), readout ``ridge`` (four fixed
  values from 1e-6 to 1, and ``cv``: chosen by cross-validation on the
  training samples only), ``drive`` (``sequence``: the sample alone, from
  :math:`x(0) = 0`; ``washout``: :data:`WASHOUT` steps of the task's own
  input stream first), the operating ``point`` (the five named points of
  :data:`rnnlib.pipeline.catalogue.POINTS`) and the ``comparison`` (control 1
  against 0 at the same strength, or at matched coupling,
  :func:`rnnlib.pipeline.engine.matched_gain`);
- one per regularity: its construction ``reading`` (every registered one,
  :func:`rnnlib.model.constructions.available`).

The full factorial (:attr:`Space.size` specifications) is far too large, so a
profile measures a sample: the first ``specifications`` entries of one fixed
random permutation of the factorial, drawn from
``rng(PROJECT_SEED, "specification sample")`` (:func:`sample`). The sample is
uniform without replacement, and a smaller profile's sample is the beginning
of a larger one's.

In specification :math:`s` and instance :math:`k` (seed
:func:`rnnlib.pipeline.engine.instance_seed`, the same networks as every other
experiment of the book) four reservoirs are scored on the task: the baseline
(every control 0) and each regularity at control 1 under its reading, at the
point's balance and strength (times the matched gain when the comparison is
matched), in the precision of every reservoir run of the book
(:data:`rnnlib.pipeline.catalogue.RESERVOIR_PRECISION`). The seed is the instance's in every specification (common random
numbers), so control values and specifications are paired.

The dataset (:func:`load`) has dimensions ``specification``, ``regularity``,
``control`` (0, 1) and ``instance``; variables ``accuracy`` and ``saturation``
(mean :math:`|x_i(t)|` under input); control 0 is the one baseline repeated
for each regularity. Every choice is a coordinate along ``specification``,
the reading a coordinate along (``specification``, ``regularity``).
"""
from __future__ import annotations

import functools
import json
import math
import time
from dataclasses import asdict, dataclass
from functools import partial

import numpy as np
import xarray as xr
from threadpoolctl import threadpool_limits

from . import execute, store
from .._version import __version__
from ..model._checks import check_choice, check_int
from ..model.constructions import REGULARITIES, available as available_constructions
from ..model.seeding import derive, rng
from ..model.weights import NetworkParams, unit_weights
from ..reservoir.driven import RIDGE_CV, evaluate_batch
from .catalogue import POINTS, RESERVOIR_PRECISION, TASKS
from .engine import PROFILES, PROJECT_SEED, matched_gain, numerics_probe

__all__ = ["CHOICES", "DRIVES", "EXPERIMENT", "NAME", "RIDGES", "SIZES", "SPACE", "WASHOUT", "Space", "SpecSizes",
           "choice_levels", "compute", "defined", "differences", "load", "resolved", "sample", "specifications",
           "spot_check"]

NAME = "specifications"
#: Seed family of the instances (the engine's default: the book's networks).
FAMILY = "networks"
#: Steps of the task's own input stream that drive the reservoir before each sample in the ``washout`` drive.
WASHOUT = 10
#: Ridge level label -> the ``ridge`` of :func:`rnnlib.reservoir.driven.evaluate_batch`.
RIDGES = {"1e-06": 1e-6, "0.0001": 1e-4, "0.01": 1e-2, "1": 1.0, "cv": RIDGE_CV}
#: Drive level label -> washout steps.
DRIVES = {"sequence": 0, "washout": WASHOUT}
#: The shared choices and their levels.
CHOICES = (("density", (0.1, 0.3, 1.0)), ("input_strength", (0.1, 0.3, 1.0, 3.0)), ("task", TASKS),
           ("ridge", tuple(RIDGES)), ("drive", tuple(DRIVES)), ("point", tuple(POINTS)),
           ("comparison", ("same", "matched")))


@dataclass(frozen=True)
class Space:
    """A full factorial of choices: shared ``choices`` and one construction ``readings`` choice per regularity."""

    choices: tuple
    readings: tuple

    @property
    def names(self) -> tuple:
        """Every choice: the shared ones, then ``reading_<regularity>``."""
        return tuple(c for c, _ in self.choices) + tuple(f"reading_{r}" for r, _ in self.readings)

    @property
    def shape(self) -> tuple:
        return tuple(len(v) for _, v in self.choices) + tuple(len(v) for _, v in self.readings)

    @property
    def size(self) -> int:
        """Number of specifications in the full factorial."""
        return math.prod(self.shape)

    def specification(self, index: int) -> dict:
        """The levels of specification ``index`` of the factorial (C order over :attr:`names`)."""
        index = check_int("index", index, 0, self.size - 1)
        idx = np.unravel_index(index, self.shape)
        levels = [v for _, v in self.choices] + [v for _, v in self.readings]
        return {name: values[i] for name, values, i in zip(self.names, levels, idx)}

    def as_dict(self) -> dict:
        return json.loads(json.dumps({"choices": dict(self.choices), "readings": dict(self.readings)}))


SPACE = Space(CHOICES, tuple((reg, tuple(available_constructions(reg))) for reg in REGULARITIES))


@dataclass(frozen=True)
class SpecSizes:
    """Sample size of one profile: ``specifications`` drawn, ``instances`` per specification, ``n`` neurons."""

    specifications: int
    instances: int
    n: int

    def __post_init__(self):
        check_int("specifications", self.specifications, 1, SPACE.size)
        check_int("instances", self.instances, 2)
        check_int("n", self.n, 4)


SIZES = {"quick": SpecSizes(32, 5, 40), "paper": SpecSizes(256, 8, 40)}


@functools.lru_cache(maxsize=None)
def _permutation(size: int) -> np.ndarray:
    return rng(PROJECT_SEED, "specification sample").permutation(size)


def sample(count: int, space: Space = SPACE) -> np.ndarray:
    """Factorial indices of the first ``count`` specifications of the seeded permutation (module docstring)."""
    count = check_int("count", count, 1, space.size)
    return _permutation(space.size)[:count].copy()


def specifications(profile: str) -> list[dict]:
    """The sampled specifications of ``profile``, as dicts of levels."""
    sizes = SIZES[check_choice("profile", profile, PROFILES)]
    return [SPACE.specification(int(i)) for i in sample(sizes.specifications)]


def resolved(profile: str) -> dict:
    """Everything the numbers depend on (what the fingerprint hashes)."""
    return json.loads(json.dumps({"experiment": NAME, "profile": profile, "project_seed": PROJECT_SEED,
                                  "space": SPACE.as_dict(), "washout": WASHOUT, "points": POINTS,
                                  "precision": RESERVOIR_PRECISION,
                                  "sizes": asdict(SIZES[check_choice("profile", profile, PROFILES)])}))


def _networks(spec: dict, n: int) -> list:
    """(network, gain) of the baseline and of each regularity at control 1, in :data:`REGULARITIES` order."""
    balance, strength = POINTS[spec["point"]]
    out = [(NetworkParams(n=n, balance=balance, density=spec["density"]), strength)]
    for reg in REGULARITIES:
        net = NetworkParams(n=n, balance=balance, density=spec["density"], constructions={reg: spec[f"reading_{reg}"]},
                            **{reg: 1.0})
        out.append((net, strength * (matched_gain(net) if spec["comparison"] == "matched" else 1.0)))
    return out


def compute(profile: str, cells) -> dict:
    """Accuracy and saturation of cells ``specification * instances + instance``: arrays (cells, 1 + regularities).

    Column 0 is the baseline, column ``1 + j`` regularity ``REGULARITIES[j]``
    at control 1; NaN where the construction refuses the network (e.g. the
    ``balanced`` Dale reading needs both signs in every row, which a sparse
    small network may lack): that specification does not exist for that regularity. A pure function of the declaration, on one BLAS thread (see
    :func:`rnnlib.pipeline.engine.compute_cells`).
    """
    sizes = SIZES[check_choice("profile", profile, PROFILES)]
    specs = sample(sizes.specifications)
    out = {v: np.empty((len(cells), 1 + len(REGULARITIES))) for v in ("accuracy", "saturation")}
    with threadpool_limits(1):
        for row, c in enumerate(cells):
            j, k = divmod(int(c), sizes.instances)
            spec = SPACE.specification(int(specs[j]))
            seed = derive(PROJECT_SEED, FAMILY, "instance", k)
            for col, (net, gain) in enumerate(_networks(spec, sizes.n)):
                try:
                    W1 = unit_weights(net, seed)
                except ValueError:      # a construction that cannot exist here (e.g. too sparse): undefined
                    out["accuracy"][row, col] = out["saturation"][row, col] = np.nan
                    continue
                res = evaluate_batch(W1, [gain], spec["task"], input_strength=spec["input_strength"],
                                     ridge=RIDGES[spec["ridge"]], washout=DRIVES[spec["drive"]], seed=seed,
                                     dtype=RESERVOIR_PRECISION)
                out["accuracy"][row, col] = res["accuracy"][0]
                out["saturation"][row, col] = res["saturation"][0]
    return out


def _assemble(profile: str, results: dict, fingerprint: str) -> xr.Dataset:
    sizes = SIZES[profile]
    specs = specifications(profile)
    S, n, R = sizes.specifications, sizes.instances, len(REGULARITIES)
    data = {}
    for var, arr in results.items():
        arr = np.asarray(arr).reshape(S, n, 1 + R)
        both = np.stack([np.repeat(arr[:, :, :1], R, axis=2), arr[:, :, 1:]], axis=-1)   # (S, n, R, 2)
        data[var] = (("specification", "regularity", "control", "instance"), both.transpose(0, 2, 3, 1))
    coords = {"specification": np.arange(S), "regularity": list(REGULARITIES), "control": [0.0, 1.0],
              "instance": np.arange(n), "factorial_index": ("specification", sample(S))}
    for name, _ in SPACE.choices:
        coords[name] = ("specification", [s[name] for s in specs])
    coords["reading"] = (("specification", "regularity"), [[s[f"reading_{r}"] for r in REGULARITIES] for s in specs])
    ds = xr.Dataset(data, coords=coords)
    ds["saturation"].attrs["meaning"] = "mean |x_i(t)| under input, over neurons, steps and samples"
    ds.attrs.update(experiment=NAME, profile=profile, quantity="reservoir", fingerprint=fingerprint,
                    description="accuracy and saturation in a seeded sample of the specification space",
                    rnnlib_version=__version__, code_salt=store.CODE_SALT, numerics_probe=numerics_probe(),
                    sample_method="first entries of rng(PROJECT_SEED, 'specification sample').permutation(factorial)",
                    parameters=json.dumps(resolved(profile), sort_keys=True))
    return ds


def load(profile: str = "quick", *, store_root=None, compute_missing: bool = True, workers: int = 1,
         progress: bool = False, recompute: bool = False) -> xr.Dataset:
    """The specification dataset of ``profile``: stored if current, else computed (resumably) and stored.

    Parameters
    ----------
    profile : {"quick", "paper"}
    store_root : path, optional
        Store directory (default :func:`rnnlib.pipeline.store.default_root` of the profile).
    compute_missing : bool
        ``False`` never computes: without a current stored result it raises
        :class:`rnnlib.pipeline.store.MissingResultError`.
    workers : int
        Local processes (1: serially in this process).
    progress : bool
        Show a progress bar.
    recompute : bool
        Ignore a stored file and compute again (finished chunks of an interrupted run are still reused).
    """
    check_choice("profile", profile, PROFILES)
    workers = check_int("workers", workers, 1)
    path = store.result_path(NAME, profile, store_root)
    fp = store.fingerprint(resolved(profile))
    ds = None if recompute else store.read(path, fp)
    if ds is not None:
        return ds
    if not compute_missing:
        raise store.MissingResultError(f"no current stored result for {NAME!r} ({profile}) in {path}; compute it "
                                       f"with: python -m rnnlib.pipeline.specification {profile}")
    with store.locked(path):
        ds = None if recompute else store.read(path, fp)
        if ds is not None:
            return ds
        start = time.perf_counter()
        sizes = SIZES[profile]
        partial_dir = store.Partial(path, fp)
        cells = np.arange(sizes.specifications * sizes.instances)
        todo = np.setdiff1d(cells, partial_dir.done())
        execute.run_chunks(partial(compute, profile), execute.plan_chunks(todo, chunk_size=sizes.instances,
                                                                          workers=workers),
                           workers=workers, progress=progress, desc=f"{NAME} [{profile}]", total=cells.size,
                           initial=cells.size - todo.size, on_result=partial_dir.save)
        done, results, seconds, _ = partial_dir.collect(("accuracy", "saturation"))
        order = np.argsort(done)
        if not np.array_equal(done[order], cells):
            raise ValueError(f"{NAME}: cells missing or repeated; cannot assemble")
        ds = _assemble(profile, {v: r[order] for v, r in results.items()}, fp)
        store.write(ds, path)
        store.record(path, ds, wall_time=time.perf_counter() - start, compute_time=seconds)
        partial_dir.remove()
    return store.read(path, fp)


def differences(ds: xr.Dataset, regularity: str, variable: str = "accuracy") -> np.ndarray:
    """Paired change control 1 - control 0 of ``variable`` for ``regularity``: array (specifications, instances).

    NaN rows are specifications the regularity's reading cannot build (see :func:`compute`); :func:`defined`
    selects the others.
    """
    check_choice("regularity", regularity, REGULARITIES)
    x = ds[variable].sel(regularity=regularity)
    return (x.sel(control=1.0) - x.sel(control=0.0)).transpose("specification", "instance").values


def defined(ds: xr.Dataset, regularity: str) -> np.ndarray:
    """Boolean (specifications,): the specifications in which ``regularity`` could be built for every instance."""
    return np.isfinite(differences(ds, regularity)).all(axis=1)


def choice_levels(ds: xr.Dataset, regularity: str) -> dict:
    """Choice -> the level of every specification, for ``regularity`` (its reading included as ``reading``)."""
    check_choice("regularity", regularity, REGULARITIES)
    levels = {name: ds[name].values for name, _ in SPACE.choices}
    levels["reading"] = ds["reading"].sel(regularity=regularity).values
    return levels


def spot_check(profile: str = "paper", *, cells=None, store_root=None) -> dict:
    """Recompute ``cells`` (default: the first, middle and last) of the stored result and compare them.

    Every entry is a driven reservoir run, reproducible on any machine within
    :data:`rnnlib.pipeline.verify.RTOL` and :data:`rnnlib.pipeline.verify.ATOL`
    (see :mod:`rnnlib.pipeline.verify`); NaN (a reading that cannot be built) must stay NaN.

    Returns
    -------
    dict
        As :func:`rnnlib.pipeline.verify.spot_check`: ``experiment``, ``cells``, ``reproducible``,
        ``chaotic`` (0), ``max_abs_diff``, ``same_rounding``.

    Raises
    ------
    rnnlib.pipeline.verify.StaleDataError
        When the file is missing or damaged, its fingerprint is not the current one, or a value disagrees.
    """
    from .verify import ATOL, RTOL, StaleDataError, regenerate_hint, stored_result
    sizes = SIZES[check_choice("profile", profile, PROFILES)]
    ds = stored_result(NAME, profile, store.result_path(NAME, profile, store_root), store.fingerprint(resolved(profile)))
    total = sizes.specifications * sizes.instances
    cells = np.unique([0, total // 2, total - 1] if cells is None else np.asarray(cells, np.int64))
    fresh = compute(profile, cells)
    worst = 0.0
    for var, new in fresh.items():
        j, k = np.divmod(cells, sizes.instances)
        x = ds[var].transpose("specification", "instance", "regularity", "control").values
        old = np.concatenate([x[j, k, :1, 0], x[j, k, :, 1]], axis=1)     # baseline, then each regularity at 1
        agree = np.isclose(old, new, rtol=RTOL, atol=ATOL, equal_nan=True)
        finite = np.isfinite(old) & np.isfinite(new)
        worst = max(worst, float(np.max(np.abs(old - new)[finite], initial=0.0)))
        if not agree.all():
            row, col = map(int, np.argwhere(~agree)[0])
            which = "the baseline" if col == 0 else REGULARITIES[col - 1]
            raise StaleDataError(f"experiment {NAME!r} ({profile}): stored {var} of {which} at specification "
                                 f"{int(j[row])}, instance {int(k[row])} is {old[row, col]}, the current code gives "
                                 f"{new[row, col]} (reproducible entry, tolerance rtol {RTOL:g} and atol {ATOL:g}); "
                                 + regenerate_hint(NAME, profile))
    return {"experiment": NAME, "cells": cells.tolist(), "reproducible": int(fresh["accuracy"].size * 2),
            "chaotic": 0, "max_abs_diff": worst, "same_rounding": ds.attrs.get("numerics_probe") == numerics_probe()}


@dataclass(frozen=True)
class _Runner:
    """This module as an entry of the catalogue (:data:`rnnlib.pipeline.catalogue.RUNNERS`)."""

    name: str = NAME
    quantity: str = "reservoir"
    description: str = "accuracy and saturation of every regularity in a seeded sample of the specification space"

    @staticmethod
    def resolved(profile: str) -> dict:
        return resolved(profile)

    @staticmethod
    def grid(profile: str) -> str:
        """The size of ``profile`` in words, for ``python -m rnnlib list``."""
        s = SIZES[check_choice("profile", profile, PROFILES)]
        return f"{s.specifications} spec x {s.instances} inst, n={s.n}"

    @staticmethod
    def axes() -> tuple:
        return ("specification", "regularity", "control")

    @staticmethod
    def estimate_seconds(profile: str, workers: int = 1, store_root=None) -> float:
        """The paper profile's recorded compute time, scaled to the cells of ``profile``, over ``workers``.

        Every cell has the same cost in both profiles (same ``n``, same space), so the time per cell of the
        committed paper run (its manifest's ``compute_time_s``) times the cells of ``profile``; NaN
        without a recorded paper run.
        """
        entry = store.read_manifest(store_root if store_root is not None else store.default_root("paper")).get(NAME)
        if entry is None:
            return float("nan")
        cells = {p: SIZES[p].specifications * SIZES[p].instances for p in PROFILES}
        return entry["compute_time_s"] / cells["paper"] * cells[check_choice("profile", profile, PROFILES)] / max(1, workers)

    @staticmethod
    def load(profile: str = "quick", *, workers=None, store=None, progress=False, recompute=False,
             compute=True) -> xr.Dataset:
        """:func:`load` with the keywords of :func:`rnnlib.pipeline.experiments.load` (local processes only)."""
        return load(profile, store_root=store, compute_missing=compute, workers=workers or 1, progress=progress,
                    recompute=recompute)

    @staticmethod
    def spot_check(profile: str = "paper", *, cells=None, store=None) -> dict:
        return spot_check(profile, cells=cells, store_root=store)


#: The specification experiment as a catalogue entry.
EXPERIMENT = _Runner()


if __name__ == "__main__":   # python -m rnnlib.pipeline.specification {quick,paper} [workers]
    import sys
    load(sys.argv[1] if len(sys.argv) > 1 else "quick", workers=int(sys.argv[2]) if len(sys.argv) > 2 else 1,
         progress=True)
