"""rnnlib: random recurrent networks with organizational regularities.

The library behind the executable replication of *Organizational Regularities
in Recurrent Neural Networks* (Metzner, Schilling, Maier, Krauss;
arXiv:2505.22047). Stable entry points:

- :func:`make_weights`: weight matrices with tunable Dale, reciprocity and modular structure
- :func:`signatures`, :func:`largest_lyapunov`: free-running dynamics
- :func:`eigenvalues` and the overlays in :mod:`rnnlib.theory`
- :func:`reservoir_accuracy` (tasks in :mod:`rnnlib.tasks`) and :func:`paired_difference`
"""
from ._version import __version__
from ._checks import UsageError
from . import constructions, dynamics, seeding, theory
from .constructions import register as register_construction
from .dynamics import run
from . import readout, reservoir, stats, tasks
from .reservoir import reservoir_accuracy
from .stats import paired_difference
from .tasks import available_tasks, make_task, register_task
from .signatures import REGIMES, SignatureSettings, largest_lyapunov, signatures, signatures_batch
from .spectrum import eigenvalues, spectral_radius
from .theory import (BulkSpectrum, bulk_radius, circular_law_radius, elliptic_law_axes, matched_strength,
                     mean_outlier, meanfield_lyapunov)
from .weights import NetworkParams, make_weights, unit_weights


__all__ = [
    "__version__", "BulkSpectrum", "REGIMES", "NetworkParams", "SignatureSettings", "UsageError", "bulk_radius",
    "circular_law_radius", "constructions", "dynamics", "matched_strength",
    "eigenvalues", "elliptic_law_axes", "largest_lyapunov", "make_weights", "mean_outlier",
    "meanfield_lyapunov", "register_construction", "run", "seeding", "signatures", "signatures_batch",
    "spectral_radius", "theory", "unit_weights",
    "available_tasks", "make_task", "paired_difference", "readout", "register_task", "reservoir",
    "reservoir_accuracy", "stats", "tasks",
]
