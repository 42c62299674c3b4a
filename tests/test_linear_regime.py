"""The discrete-time criterion: |lambda| = 1 (and the sign of a real leaving eigenvalue) predicts the measured regime."""
import numpy as np
import pytest

import rnnlib
from rnnlib.model import theory
from rnnlib.model.signatures import signatures
from rnnlib.pipeline.catalogue import POINTS

N = 200
SEEDS = (0, 1, 2)

# (balance, strength, kwargs): the named points away from the edge, and points where only one real
# eigenvalue leaves the unit circle. At b = -0.3, w = 0.8 every real part is below 1, so the
# continuous-time criterion would call the network stable; the map oscillates with period 2.
CASES = {**{p: (*POINTS[p], {}) for p in ("ordered", "chaotic", "inhibitory", "excitatory")},
         "negative outlier only": (-0.3, 0.8, {}),
         "positive outlier only": (0.3, 0.8, {}),
         "symmetric, inside": (0.0, 0.45, {"reciprocity": 1.0}),
         "dale, ordered": (0.0, 0.6, {"dale": 1.0, "constructions": {"dale": "balanced"}})}


@pytest.mark.parametrize("case", CASES)
def test_regime_predicted_from_the_unit_circle_matches_the_measured_regime(case):
    b, w, kw = CASES[case]
    for seed in SEEDS:
        W = rnnlib.make_weights(N, w, b, seed=seed, **kw)
        predicted = theory.linear_regime(rnnlib.eigenvalues(W))
        got = signatures(W, steps=300, transient=300, seed=seed)
        if predicted == "quiescent":
            assert got["regime"] == "quiescent", (case, seed, got["regime"])
        elif predicted == "period-2":
            assert (got["regime"], got["period"]) == ("periodic", 2), (case, seed, got["regime"], got["period"])
        elif predicted == "fixed point":
            assert got["regime"] == "fixed point", (case, seed, got["regime"])
        else:
            assert got["regime"] != "quiescent", (case, seed, got["regime"])


def test_the_negative_outlier_case_is_one_the_continuous_time_criterion_gets_wrong():
    ev = rnnlib.eigenvalues(rnnlib.make_weights(N, 0.8, -0.3, seed=0))
    assert ev.real.max() < 1 < np.abs(ev).max()
    assert theory.linear_regime(ev) == "period-2"


@pytest.mark.parametrize("ev, want", [([0.5, 0.3j], "quiescent"), ([-1.5, 0.9], "period-2"), ([1.2, -0.5], "fixed point"),
                                      ([1.2, -1.1], "beyond"), ([0.1 + 1.1j, 0.1 - 1.1j], "beyond")])
def test_linear_regime_reads_the_leaving_eigenvalues(ev, want):
    assert theory.linear_regime(ev) == want


def test_linear_regime_refuses_no_eigenvalues():
    with pytest.raises(ValueError, match="eigenvalues"):
        theory.linear_regime([])
