"""Gain control in the reservoir path: the set point is chosen on training data, the engine computes it bit-identically
serially and in a process pool, and its declaration leaves every other fingerprint as it was."""
import hashlib
from pathlib import Path

import numpy as np
import pytest

import rnnlib
from rnnlib.experiments import load
from rnnlib.pipeline import engine, store
from rnnlib.reservoir import driven
from tiny_experiments import tiny

GC = {"set_points": [0.2, 0.5, 0.8], "rate": 1.0, "measure": "abs"}


def test_the_set_point_with_the_best_training_accuracy_is_kept():
    W1 = rnnlib.make_weights(40, 1.0, seed=1)
    gains = np.array([0.5, 2.5])
    res = driven.evaluate_batch(W1, gains, "digits", seed=3, gain_control=GC)
    single = {a: driven.evaluate_batch(W1, gains, "digits", seed=3, gain_control={**GC, "set_points": [a]})
              for a in GC["set_points"]}
    train = np.array([single[a]["train_accuracy"] for a in GC["set_points"]])
    for k in range(gains.size):
        chosen = GC["set_points"][int(np.argmax(train[:, k]))]
        assert res["set_point"][k] == chosen
        assert res["accuracy"][k] == single[chosen]["accuracy"][k]      # the test set never chooses


def test_without_gain_control_the_results_are_unchanged():
    W1 = rnnlib.make_weights(30, 1.0, seed=2)
    plain = driven.evaluate_batch(W1, [0.8, 1.6], "digits", seed=4)
    assert "set_point" not in plain
    states = driven.reservoir_states(W1, np.ones((30, 2)), np.ones((3, 4, 2)), gains=[0.8, 1.6])
    ref = rnnlib.run(W1, np.zeros((30, 8)), 3, gain=np.repeat([0.8, 1.6], 4), drive=np.ones((3, 30, 8)) * 2,
                     record=True).states
    np.testing.assert_array_equal(states.reshape(3, 30, 8), ref)


def test_controlled_states_are_those_of_run_controlled_per_sample():
    W1 = rnnlib.make_weights(20, 1.0, seed=5)
    W_in = np.random.default_rng(0).standard_normal((20, 2))
    u = np.random.default_rng(1).standard_normal((6, 3, 2))
    ctl = rnnlib.model.gain.GainControl(0.4, rate=1.0)
    states = driven.reservoir_states(W1, W_in, u, gains=[2.0], control=ctl)
    for s in range(3):
        ref, _ = rnnlib.model.gain.run_controlled(W1, np.zeros(20), 6, ctl, strength=2.0,
                                                  drive=(W_in @ u[:, s].T).T[:, :, None], record=True)
        np.testing.assert_allclose(states[:, :, 0, s], ref.states[:, :, 0], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("bad", [{"rate": 1.0}, {"set_points": []}, {"set_points": [0.3], "gain": 2},
                                 {"set_points": [1.5]}, [0.3]])
def test_bad_gain_control_is_refused(bad):
    with pytest.raises(ValueError, match="gain_control|set_point"):
        driven.evaluate_batch(np.eye(5), [1.0], "digits", seed=0, gain_control=bad)


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_serial_and_process_pool_give_bit_identical_controlled_results(tmp_path):
    exp = tiny("tiny_gc", axes=(("balance", (0.0, 0.3)), ("strength", (0.5, 2.5))), n=20, quantity="reservoir",
               gain_control=GC, weak_rows=1.0)
    runs = {}
    for label, kw in {"serial": {"workers": 1}, "pool": {"workers": 2, "chunk_size": 1}}.items():
        ds = load(exp, "quick", store=tmp_path / label, progress=False, **kw)
        runs[label] = (ds, _sha(store.result_path("tiny_gc", "quick", tmp_path / label)))
    assert runs["serial"][0].identical(runs["pool"][0]) and runs["serial"][1] == runs["pool"][1]
    plain = load(tiny("tiny_gc", axes=exp.quick.axes, n=20, quantity="reservoir", weak_rows=1.0), "quick",
                 store=tmp_path / "plain", progress=False, workers=1)
    assert not np.array_equal(plain.accuracy.values, runs["serial"][0].accuracy.values)


def test_options_enter_the_fingerprint_only_when_set():
    base = tiny("x", quantity="reservoir")
    assert "gain_control" not in base.resolved("quick")["fixed"] and "weak_rows" not in base.resolved("quick")["fixed"]
    assert tiny("x", quantity="reservoir", weak_rows=0.5).resolved("quick")["fixed"]["weak_rows"] == 0.5
    net = engine.cell(tiny("x", quantity="reservoir", weak_rows=0.5, constructions={"weak_rows": "rows-5"}),
                      "quick", 0).network
    assert net.weak_rows == 0.5 and net.constructions["weak_rows"] == "rows-5"


def test_weak_row_experiments_report_the_saturation_of_the_weak_subset_apart():
    exp = tiny("tiny_wr", axes=(("strength", (0.5, 3.0)), ("weak_rows", (0.0, 1.0))), instances=1, n=40,
               quantity="reservoir")
    assert engine.variables("reservoir", exp)[-2:] == engine.WEAK_ROW_VARIABLES
    assert engine.variables("reservoir", tiny("x", quantity="reservoir")) == tuple(engine.RESERVOIR_VARIABLES.values())
    ds = engine.assemble(exp, "quick", [0, 1], engine.compute_cells(exp, "quick", [0, 1]), "fp")
    W1 = rnnlib.make_weights(40, 1.0, weak_rows=1.0, seed=engine.instance_seed(exp, 0))
    mask = np.zeros(40, bool)
    mask[:4] = True                                    # rows-10 of 40 neurons: the first 4
    ref = driven.evaluate_batch(W1, [0.5, 3.0], "digits", seed=engine.instance_seed(exp, 0), subset=mask)
    np.testing.assert_array_equal(ds.saturation_weak.sel(weak_rows=1.0, instance=0).values, ref["saturation_subset"])
    np.testing.assert_array_equal(ds.saturation_rest.sel(weak_rows=1.0, instance=0).values, ref["saturation_rest"])
    # the subset's and the rest's mean saturation average to the overall one (4 of 40 neurons)
    np.testing.assert_allclose(0.1 * ref["saturation_subset"] + 0.9 * ref["saturation_rest"], ref["saturation"])


def test_matched_gain_of_weak_rows_follows_their_theory():
    from rnnlib.model.theory import weak_rows_bulk
    from rnnlib.model.weights import NetworkParams
    assert engine.matched_gain(NetworkParams(n=50, weak_rows=1.0)) == pytest.approx(1.0, abs=1e-12)
    g = engine.matched_gain(NetworkParams(n=50, balance=0.4, weak_rows=1.0))
    assert g == pytest.approx(weak_rows_bulk(1, 0.4, 0.0).radius / weak_rows_bulk(1, 0.4, 1.0).radius) and g > 1
