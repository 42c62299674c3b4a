"""The ``precision`` option of reservoir experiments: float32 against float64 on the quick profile.

float32 runs the tanh dynamics about twice as fast (``bench/run.py``). It is an option, not a
default: the committed data are float64, and a float64 experiment's fingerprint and cell keys
are those it had before the option existed. These tests bound what float32 changes: the
accuracies of the quick profile's three regularity experiments, and the verdicts on C1 to C3.
"""
import dataclasses

import numpy as np
import pytest

from rnnlib.claims.scorecard import claim_accuracy
from rnnlib.experiments import Experiment, load
from rnnlib.pipeline import engine
from rnnlib.pipeline.catalogue import CATALOG
from rnnlib.pipeline.store import fingerprint

#: Largest change of any accuracy (a share of the test samples), and of a headline effect, that float32 may make.
TOLERANCE = 0.01
CLAIMS = {"dale": "C1", "modularity": "C2", "reciprocity": "C3"}


def in_float32(exp: Experiment) -> Experiment:
    return dataclasses.replace(exp, fixed={**exp.fixed, "precision": "float32"})


@pytest.mark.parametrize("regularity", list(CLAIMS))
def test_float32_keeps_the_quick_accuracies_and_verdicts(regularity, tmp_path):
    exp = CATALOG[f"{regularity}_reservoir"]
    d64 = load(exp, "quick", workers=1, store=tmp_path / "float64", progress=False)
    d32 = load(in_float32(exp), "quick", workers=1, store=tmp_path / "float32", progress=False)
    # the option took effect: the mean |x| under input differs by rounding, not more
    assert 0 < float(np.abs(d32["saturation_input"] - d64["saturation_input"]).max()) < 1e-3
    assert float(np.abs(d32["accuracy"] - d64["accuracy"]).max()) <= TOLERANCE
    r64, r32 = claim_accuracy(CLAIMS[regularity], d64), claim_accuracy(CLAIMS[regularity], d32)
    assert r32.verdict == r64.verdict
    assert abs(r32.effect - r64.effect) <= TOLERANCE


def test_float64_experiments_keep_their_fingerprints_and_cell_keys():
    for name, exp in CATALOG.items():
        assert "precision" not in exp.resolved("paper")["fixed"], name
    exp = CATALOG["dale_reservoir"]
    f32 = in_float32(exp)
    assert fingerprint(f32.resolved("quick")) != fingerprint(exp.resolved("quick"))
    key64, key32 = engine.cell_key(exp, "quick", 0), engine.cell_key(f32, "quick", 0)
    assert '"precision"' not in key64 and key32 != key64
    assert engine.cell_key(dataclasses.replace(exp, fixed={**exp.fixed, "precision": "float64"}), "quick", 0) == key64


def test_precision_is_checked():
    exp = CATALOG["dale_reservoir"]
    with pytest.raises(ValueError, match="precision must be one of"):
        dataclasses.replace(exp, fixed={**exp.fixed, "precision": "float16"})
    signatures = CATALOG["dale_signatures"]
    with pytest.raises(ValueError, match="'precision' applies to reservoir runs only"):
        dataclasses.replace(signatures, fixed={**signatures.fixed, "precision": "float32"})
