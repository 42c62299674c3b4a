"""The catalogue: every experiment the book computes, one declaration per figure's data.

Each entry of :data:`CATALOG` is one :func:`declare` call: name, quantity,
description, axes, instances and, where they differ from the profile's
defaults, network size and steps. A value that differs between the two
profiles is written ``per(quick, paper)``; any other value serves both.
Adding an experiment is adding one entry, e.g.::

    declare("dale_sparse", "reservoir", "digits accuracy against Dale at density 0.2, named points",
            (AT_POINTS, ("dale", CONTROL)), instances=per(3, 16), fixed={"density": 0.2}),

Named points (``AT_POINTS``) need no ``fixed={"points": ...}``: :func:`declare`
adds the table :data:`POINTS` whenever the ``point`` axis is swept.
"""
from __future__ import annotations

import importlib

import numpy as np

from ..model._checks import UsageError
from ..model.constructions import DEFAULTS as DEFAULT_CONSTRUCTIONS, REGULARITIES, available as available_constructions
from .engine import PROFILES, Experiment, Sizes

__all__ = ["AT_POINTS", "CATALOG", "CONTROL", "DEFAULT_POINT", "ENDS", "GAIN_CONTROL", "INPUTS", "MATCHED", "PLANE",
           "POINTS", "RESERVOIR_PRECISION", "RUNNERS", "TASKS", "VARIANTS", "declare", "everything", "get", "grid",
           "per", "runner"]


def per(quick, paper) -> dict:
    """A value that differs between the profiles: ``{"quick": quick, "paper": paper}``."""
    return {"quick": quick, "paper": paper}


def _in(value, profile):
    """``value`` in ``profile``: its entry when it was written with :func:`per`, else itself."""
    return value[profile] if isinstance(value, dict) and set(value) == set(PROFILES) else value


def grid(lo, hi, step) -> tuple:
    """``lo, lo + step, ..., hi`` rounded to 6 decimals (and never ``-0.0``)."""
    return tuple(float(v) + 0.0 for v in np.round(np.arange(lo, hi + step / 2, step), 6))


#: Named (balance, strength) points where the regularities are studied.
POINTS = {"ordered": (0.0, 0.6), "edge": (0.0, 1.0), "chaotic": (0.0, 2.0),
          "inhibitory": (-0.3, 1.5), "excitatory": (0.3, 1.5)}
DEFAULT_POINT = "edge"
TASKS = ("digits", "parity", "recall", "prototypes")

# Axes shared by many experiments (name, values), values per profile where they differ.
BALANCE = ("balance", per(grid(-0.45, 0.45, 0.15), grid(-0.5, 0.5, 0.05)))
STRENGTH = ("strength", per(grid(0.5, 3.0, 0.5), grid(0.2, 3.0, 0.2)))
PLANE = (BALANCE, STRENGTH)
AT_POINTS = ("point", tuple(POINTS))
CONTROL = per(grid(0.0, 1.0, 0.25), grid(0.0, 1.0, 0.1))
ENDS = (0.0, 1.0)
#: The centred part of the matrix rescaled at every control value so that the bulk reaches as far as the
#: baseline's, the mean structure (and its outliers) kept (rnnlib.pipeline.engine.matched_gain,
#: rnnlib.model.matching): the reading that matches bulk and leading outlier where a match is possible.
MATCHED = {"coupling": "matched", "matching": "centred"}
#: Network size and measured (= discarded) steps unless an entry says otherwise.
N = per(80, 200)
STEPS = per(200, 500)
#: Float precision of every reservoir run of the book (the engine's ``precision`` option; the library's
#: default is float64). float32 runs the tanh dynamics and the products in about a third of the CPU time
#: of float64, which is what brings the paper profile's regeneration near its budget (README,
#: "Regeneration time"); tests/test_precision.py bounds what it changes against float64 on the quick
#: profile. Free-running signatures (periods, Lyapunov exponents) stay float64.
RESERVOIR_PRECISION = "float32"


def declare(name, quantity, description, axes, *, instances, n=N, steps=STEPS, fixed=None) -> Experiment:
    """One experiment of both profiles; ``axes``, ``instances``, ``n`` and ``steps`` may use :func:`per`.

    ``steps`` sets both the measured and the discarded steps of free-running
    signatures. The table :data:`POINTS` is added to ``fixed`` when the
    ``point`` axis is swept, and a reservoir experiment runs in
    :data:`RESERVOIR_PRECISION` unless ``fixed`` names a ``precision``.
    """
    fixed = dict(fixed or {})
    if quantity == "reservoir":
        fixed.setdefault("precision", RESERVOIR_PRECISION)
    if any(axis == "point" for axis, _ in axes):
        fixed.setdefault("points", POINTS)
    sizes = {p: Sizes(axes=tuple((axis, _in(values, p)) for axis, values in axes), instances=_in(instances, p),
                      n=_in(n, p), steps=_in(steps, p), transient=_in(steps, p)) for p in PROFILES}
    return Experiment(name, quantity, description, **sizes, fixed=fixed)


def _regularity(reg) -> list:
    """The four experiments of one regularity chapter."""
    return [
        declare(f"{reg}_signatures", "signatures", f"signatures against {reg} at the named points",
                (AT_POINTS, (reg, CONTROL)), instances=per(4, 20)),
        declare(f"{reg}_phase", "signatures", f"signatures over (balance, strength) at {reg} 0 and 1",
                (*PLANE, (reg, ENDS)), instances=per(2, 8)),
        declare(f"{reg}_reservoir", "reservoir",
                f"accuracy and saturation under input against {reg}, all tasks, named points",
                (AT_POINTS, (reg, {p: CONTROL[p][::2] for p in PROFILES}), ("task", TASKS)), instances=per(3, 16)),
        declare(f"{reg}_reservoir_map", "reservoir", f"digits accuracy over (balance, strength) at {reg} 0 and 1",
                (*PLANE, (reg, ENDS)), instances=per(2, 10)),
        # Matched effective coupling: only control 1 is computed; control 0 is the same computation as in
        # the two experiments above (same instances, gain factor 1), and rnnlib.experiments.matched joins them.
        declare(f"{reg}_reservoir_matched", "reservoir",
                f"accuracy and saturation under input at {reg} 1, centred part rescaled to the baseline's bulk extent",
                (AT_POINTS, (reg, (1.0,)), ("task", TASKS)), instances=per(3, 16), fixed=MATCHED),
        declare(f"{reg}_reservoir_map_matched", "reservoir",
                f"digits accuracy over (balance, strength) at {reg} 1, centred part rescaled to the baseline's bulk extent",
                (*PLANE, (reg, (1.0,))), instances=per(2, 10), fixed=MATCHED),
    ]


#: Modelling choices the sensitivity experiment varies (name -> overrides), plus every registered
#: alternative construction ("dale:<name>", ...).
VARIANTS = {"default": {}, "input_strength=0.5": {"input_strength": 0.5}, "input_strength=2": {"input_strength": 2.0},
            "features=all": {"features": "all"}, "ridge=1": {"ridge": 1.0}, "n=100": {"n": 100}, "n=400": {"n": 400},
            "density=0.1": {"density": 0.1}, "density=0.3": {"density": 0.3},
            **{f"{reg}:{alt}": {"constructions": {reg: alt}}
               for reg in REGULARITIES for alt in available_constructions(reg)
               if alt != DEFAULT_CONSTRUCTIONS[reg]}}
REGULARITY = ("regularity", REGULARITIES)
#: Automatic gain control of the reservoir (rnnlib.model.gain): an integral controller on the mean |x|, rate 1
#: (a sample lasts only a few steps), the set point chosen per network on training accuracy among these.
GAIN_CONTROL = {"set_points": [0.2, 0.4, 0.6], "rate": 1.0, "measure": "abs"}
#: Input strengths of the baseline's accuracy maps (claims C5 and C6 of the authors' earlier study
#: stress small inputs), as variants of the default choices.
INPUTS = {f"input_strength={v:g}": {"input_strength": v} for v in (0.1, 0.3, 1.0, 3.0)}

_ENTRIES = [
    declare("baseline_phase", "signatures", "signatures over the (balance, strength) plane, no regularity",
            PLANE, instances=per(3, 10)),
    declare("baseline_lyapunov", "signatures", "signatures at balance 0 on a fine strength grid, larger n",
            (("strength", per(grid(0.1, 3.0, 0.1), grid(0.05, 3.0, 0.05))),),
            instances=per(3, 8), n=per(200, 500), steps=per(200, 1000)),
    declare("baseline_reservoir", "reservoir", "digits accuracy over the (balance, strength) plane, no regularity",
            PLANE, instances=per(2, 6)),
    declare("baseline_reservoir_inputs", "reservoir",
            "digits accuracy over the (balance, strength) plane at several input strengths",
            (*PLANE, ("variant", tuple(INPUTS))), instances=per(2, 6), fixed={"variants": INPUTS}),
    *[entry for reg in REGULARITIES for entry in _regularity(reg)],
    declare("modularity_modules", "reservoir",
            "digits accuracy against the number of modules and modularity, named points",
            (AT_POINTS, ("modules", per((2, 4, 8), (2, 4, 8, 16))), ("modularity", (0.0, 0.5, 1.0))),
            instances=per(3, 16)),
    # Beyond the paper: the authors' countermeasures against saturation (arXiv:2603.29597; chapter "protection").
    declare("weak_rows_phase", "signatures", "signatures over (balance, strength) at weak rows 0 and 1",
            (*PLANE, ("weak_rows", ENDS)), instances=per(2, 8)),
    declare("weak_rows_reservoir", "reservoir",
            "digits accuracy and saturation of the weak subset and of the rest against weak rows, named points",
            (AT_POINTS, ("weak_rows", (0.0, 0.5, 1.0))), instances=per(3, 16)),
    declare("weak_rows_reservoir_map", "reservoir", "digits accuracy over (balance, strength) at weak rows 0 and 1",
            (*PLANE, ("weak_rows", ENDS)), instances=per(2, 6)),
    declare("gain_control_map", "reservoir",
            "digits accuracy over (balance, strength) under automatic gain control, set point chosen on training data",
            PLANE, instances=per(2, 6), fixed={"gain_control": GAIN_CONTROL}),
    declare("sensitivity", "reservoir",
            "digits accuracy at control 0 and 1 at named points under other modelling choices",
            (REGULARITY, ("control", ENDS), ("variant", tuple(VARIANTS)),
             ("point", per(("edge", "chaotic"), tuple(POINTS)))), instances=per(3, 16), fixed={"variants": VARIANTS}),
    declare("scale", "reservoir", "digits accuracy and saturation at control 0 and 1 for n = 100 to 400 (paper: 800)",
            (("n", per((100, 200, 400), (100, 200, 400, 800))), REGULARITY, ("control", ENDS),
             ("point", per(("edge", "chaotic"), ("edge", "chaotic", "excitatory")))), instances=per(2, 12)),
]

#: Every experiment of the book computed as a grid of cells (rnnlib.pipeline.engine), by name, in the order of the book.
CATALOG: dict = {e.name: e for e in _ENTRIES}
#: Experiments with a runner of their own (not a grid of engine cells): name -> the module whose ``EXPERIMENT``
#: offers ``name``, ``quantity``, ``description``, ``resolved``, ``grid``, ``estimate_seconds``, ``load`` and
#: ``spot_check`` (imported when asked for: the module itself uses this catalogue's points and tasks).
RUNNERS = {"specifications": "rnnlib.pipeline.specification"}


def runner(name: str):
    """The ``EXPERIMENT`` of the runner registered as ``name`` in :data:`RUNNERS`."""
    if name not in RUNNERS:
        raise UsageError(f"no runner called {name!r}; runners: {', '.join(RUNNERS)}")
    return importlib.import_module(RUNNERS[name]).EXPERIMENT


def everything() -> dict:
    """Every experiment of the book, by name: :data:`CATALOG`, then the :data:`RUNNERS`' experiments."""
    return {**CATALOG, **{name: runner(name) for name in RUNNERS}}


def get(name):
    """The experiment called ``name``: of :data:`CATALOG` or of :data:`RUNNERS` (a declaration passes through).

    Raises
    ------
    UsageError
        For a name that is not in :data:`CATALOG` (the message lists the known ones).
    """
    if not isinstance(name, str):
        return name
    if name in RUNNERS:
        return runner(name)
    if name not in CATALOG:
        raise UsageError(f"unknown experiment {name!r}; known: {', '.join([*CATALOG, *RUNNERS])} "
                         "(python -m rnnlib list shows them)")
    return CATALOG[name]
