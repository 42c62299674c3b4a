"""The specification space as data, its seeded sample, and the specification experiment on a tiny profile."""
import numpy as np
import pytest

from rnnlib.model.constructions import REGULARITIES, available
from rnnlib.model.seeding import derive
from rnnlib.model.weights import NetworkParams, unit_weights
from rnnlib.pipeline import specification as sp
from rnnlib.pipeline.catalogue import POINTS, TASKS
from rnnlib.pipeline.engine import PROJECT_SEED, matched_gain
from rnnlib.reservoir.driven import evaluate_batch


def test_space_declares_every_choice_with_its_levels():
    choices = dict(sp.SPACE.choices)
    assert choices["density"] == (0.1, 0.3, 1.0) and choices["input_strength"] == (0.1, 0.3, 1.0, 3.0)
    assert choices["task"] == TASKS and choices["point"] == tuple(POINTS)
    assert choices["comparison"] == ("same", "matched") and set(choices["drive"]) == {"sequence", "washout"}
    assert "cv" in choices["ridge"] and len(choices["ridge"]) >= 4
    assert dict(sp.SPACE.readings) == {reg: tuple(available(reg)) for reg in REGULARITIES}
    assert sp.SPACE.size == np.prod([len(v) for v in choices.values()]) * np.prod(
        [len(available(r)) for r in REGULARITIES])


def test_every_factorial_index_is_one_distinct_specification():
    seen = {tuple(sp.SPACE.specification(i).values()) for i in range(0, sp.SPACE.size, 97)}
    assert len(seen) == len(range(0, sp.SPACE.size, 97))
    with pytest.raises(ValueError, match="index"):
        sp.SPACE.specification(sp.SPACE.size)


def test_sample_is_seeded_distinct_and_nested():
    big, small = sp.sample(300), sp.sample(40)
    assert len(set(big.tolist())) == 300
    np.testing.assert_array_equal(big[:40], small)
    np.testing.assert_array_equal(sp.sample(300), big)
    assert sp.SIZES["paper"].specifications >= 256 and sp.SIZES["paper"].instances >= 8


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    monkeypatch.setitem(sp.SIZES, "quick", sp.SpecSizes(3, 2, 12))
    return sp.load("quick", store_root=tmp_path), tmp_path


def test_dataset_layout_pairing_and_one_recomputed_cell(tiny):
    ds, root = tiny
    assert dict(ds.sizes) == {"specification": 3, "regularity": 3, "control": 2, "instance": 2}
    acc = ds["accuracy"]
    # control 0 is the one baseline, the same for every regularity
    for reg in REGULARITIES[1:]:
        np.testing.assert_array_equal(acc.sel(regularity=reg, control=0.0), acc.sel(regularity="dale", control=0.0))
    specs = sp.specifications("quick")
    assert list(ds["task"].values) == [s["task"] for s in specs]
    # recompute one cell by hand: specification 1, instance 1, the last regularity at control 1
    spec, reg = specs[1], REGULARITIES[-1]
    b, w = POINTS[spec["point"]]
    net = NetworkParams(n=12, balance=b, density=spec["density"], constructions={reg: spec[f"reading_{reg}"]},
                        **{reg: 1.0})
    gain = w * (matched_gain(net) if spec["comparison"] == "matched" else 1.0)
    seed = derive(PROJECT_SEED, "networks", "instance", 1)
    res = evaluate_batch(unit_weights(net, seed), [gain], spec["task"], input_strength=spec["input_strength"],
                         ridge=sp.RIDGES[spec["ridge"]], washout=sp.DRIVES[spec["drive"]], seed=seed)
    assert float(acc.sel(regularity=reg, control=1.0)[1, 1]) == res["accuracy"][0]
    assert sp.differences(ds, reg).shape == (3, 2)
    assert set(sp.choice_levels(ds, reg)) == {*dict(sp.SPACE.choices), "reading"}
    # stored: read back, not recomputed
    again = sp.load("quick", store_root=root, compute_missing=False)
    np.testing.assert_array_equal(again["accuracy"], acc)


def test_missing_result_is_refused_without_compute(tmp_path):
    from rnnlib.pipeline.store import MissingResultError
    with pytest.raises(MissingResultError, match="python -m rnnlib.pipeline.specification"):
        sp.load("paper", store_root=tmp_path, compute_missing=False)
