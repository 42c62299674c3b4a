"""The ``precision`` option of reservoir experiments: float32 against float64 on the quick profile.

float32 runs a reservoir experiment in about a third of the CPU time of float64. The library's
default is float64 (a float64 experiment's fingerprint and cell keys are those it had before the
option existed); the book's catalogue declares float32 for every reservoir experiment
(``RESERVOIR_PRECISION``), so its committed data are float32. These tests bound what float32
changes against float64: the accuracies of the quick profile's three regularity experiments, and
the verdicts on C1 to C3.
"""
import dataclasses

import numpy as np
import pytest

from rnnlib.claims.scorecard import claim_accuracy
from rnnlib.experiments import Experiment, load
from rnnlib.pipeline import engine
from rnnlib.pipeline import specification
from rnnlib.pipeline.catalogue import CATALOG, RESERVOIR_PRECISION
from rnnlib.pipeline.store import fingerprint

#: Largest change of any accuracy (a share of the test samples), and of a headline effect, that float32 may make.
TOLERANCE = 0.01
CLAIMS = {"dale": "C1", "modularity": "C2", "reciprocity": "C3"}


def in_precision(exp: Experiment, precision: str) -> Experiment:
    return dataclasses.replace(exp, fixed={**exp.fixed, "precision": precision})


@pytest.mark.parametrize("regularity", list(CLAIMS))
def test_float32_keeps_the_quick_accuracies_and_verdicts(regularity, tmp_path):
    exp = CATALOG[f"{regularity}_reservoir"]
    d64 = load(in_precision(exp, "float64"), "quick", workers=1, store=tmp_path / "float64", progress=False)
    d32 = load(in_precision(exp, "float32"), "quick", workers=1, store=tmp_path / "float32", progress=False)
    # the option took effect: the mean |x| under input differs by rounding, not more
    assert 0 < float(np.abs(d32["saturation_input"] - d64["saturation_input"]).max()) < 1e-3
    assert float(np.abs(d32["accuracy"] - d64["accuracy"]).max()) <= TOLERANCE
    r64, r32 = claim_accuracy(CLAIMS[regularity], d64), claim_accuracy(CLAIMS[regularity], d32)
    assert r32.verdict == r64.verdict
    assert abs(r32.effect - r64.effect) <= TOLERANCE


def test_the_book_runs_every_reservoir_experiment_in_its_declared_precision():
    assert RESERVOIR_PRECISION == "float32"
    for name, exp in CATALOG.items():
        fixed = exp.resolved("paper")["fixed"]
        assert fixed.get("precision") == (RESERVOIR_PRECISION if exp.quantity == "reservoir" else None), name
    assert specification.resolved("paper")["precision"] == RESERVOIR_PRECISION


def test_float64_experiments_keep_their_fingerprints_and_cell_keys():
    """A float64 declaration hashes as it did before the option existed: without a ``precision`` entry."""
    exp = CATALOG["dale_reservoir"]
    f64 = dataclasses.replace(exp, fixed={k: v for k, v in exp.fixed.items() if k != "precision"})
    assert fingerprint(exp.resolved("quick")) != fingerprint(f64.resolved("quick"))
    key64, key32 = engine.cell_key(f64, "quick", 0), engine.cell_key(in_precision(exp, "float32"), "quick", 0)
    assert '"precision"' not in key64 and key32 != key64
    assert engine.cell_key(in_precision(exp, "float64"), "quick", 0) == key64


def test_precision_is_checked():
    exp = CATALOG["dale_reservoir"]
    with pytest.raises(ValueError, match="precision must be one of"):
        dataclasses.replace(exp, fixed={**exp.fixed, "precision": "float16"})
    signatures = CATALOG["dale_signatures"]
    with pytest.raises(ValueError, match="'precision' applies to reservoir runs only"):
        dataclasses.replace(signatures, fixed={**signatures.fixed, "precision": "float32"})
