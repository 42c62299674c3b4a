"""rnnlib: random recurrent networks with organizational regularities.

The library behind the executable replication of *Organizational Regularities
in Recurrent Neural Networks* (Metzner, Schilling, Maier, Krauss;
arXiv:2505.22047). Stable entry points:

- :func:`make_weights`: weight matrices with tunable Dale, reciprocity and modular structure
- :func:`signatures`, :func:`largest_lyapunov`: free-running dynamics
- :func:`eigenvalues` and the overlays in :mod:`rnnlib.model.theory`
- :func:`reservoir_accuracy` (tasks in :mod:`rnnlib.reservoir.tasks`) and :func:`paired_difference`
- :func:`rnnlib.experiments.load`: the book's experiments, computed or loaded from the result store

The package is layered; a subpackage imports only from those listed before it:

- :mod:`rnnlib.model`: weights, regularities, simulation, signatures, spectra, theory
- :mod:`rnnlib.statistics`: paired statistics and family-wise inference
- :mod:`rnnlib.reservoir`: tasks, readout, driven runs
- :mod:`rnnlib.pipeline`: experiments as data, execution, the result store
- :mod:`rnnlib.claims`: the paper's claims and the verdict rules
- :mod:`rnnlib.book`: figures, chapter text, explorers, the book build
"""
import sys as _sys

from ._version import __version__
from .model._checks import UsageError
from .model import constructions, dynamics, seeding, theory
from .model.constructions import register as register_construction
from .model.dynamics import run
from . import reservoir
from .reservoir import readout, tasks
from .statistics import stats
from .reservoir.driven import reservoir_accuracy
from .statistics.stats import paired_difference
from .reservoir.tasks import available_tasks, make_task, register_task
from .model.signatures import REGIMES, SignatureSettings, largest_lyapunov, signatures, signatures_batch
from .model.spectrum import eigenvalues, spectral_radius
from .model.theory import (BulkSpectrum, bulk_radius, circular_law_radius, elliptic_law_axes, matched_strength,
                     mean_outlier, meanfield_lyapunov)
from .model.weights import NetworkParams, make_weights, unit_weights


__all__ = [
    "__version__", "BulkSpectrum", "REGIMES", "NetworkParams", "SignatureSettings", "UsageError", "bulk_radius",
    "circular_law_radius", "constructions", "dynamics", "matched_strength",
    "eigenvalues", "elliptic_law_axes", "largest_lyapunov", "make_weights", "mean_outlier",
    "meanfield_lyapunov", "register_construction", "run", "seeding", "signatures", "signatures_batch",
    "spectral_radius", "theory", "unit_weights",
    "available_tasks", "make_task", "paired_difference", "readout", "register_task", "reservoir",
    "reservoir_accuracy", "stats", "tasks",
]

# The modules that were public as ``rnnlib.<name>`` before the layers became subpackages keep
# that import path (``from rnnlib.theory import bulk_radius`` still works).
for _name, _module in {"constructions": constructions, "dynamics": dynamics, "seeding": seeding, "theory": theory,
                       "readout": readout, "stats": stats, "tasks": tasks}.items():
    _sys.modules.setdefault(f"{__name__}.{_name}", _module)
del _name, _module

