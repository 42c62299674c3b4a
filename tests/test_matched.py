"""Comparisons at matched effective coupling: the engine rescales the strength, join_matched pairs the halves."""
import numpy as np
import pytest
import xarray as xr

from rnnlib.pipeline import engine
from rnnlib import experiments
from rnnlib.model import theory
from rnnlib.model.weights import NetworkParams

DALE_SHRINK = np.sqrt(1 - 2 / np.pi)   # bulk of Dale at D = 1, b = 0, d = 1 relative to the baseline


def test_matched_gain_is_one_for_the_baseline_and_undoes_each_known_shrink():
    assert engine.matched_gain(NetworkParams(n=50)) == 1.0
    assert engine.matched_gain(NetworkParams(n=50, dale=1.0)) == pytest.approx(1 / DALE_SHRINK)
    assert engine.matched_gain(NetworkParams(n=50, reciprocity=1.0)) == pytest.approx(0.5)   # semicircle: 2r
    assert engine.matched_gain(NetworkParams(n=50, reciprocity=0.4)) == pytest.approx(1 / 1.4)
    # the factor is the ratio of real extents, whatever the balance and density
    net = NetworkParams(n=50, balance=0.3, density=0.3, dale=0.6)
    ref = theory.bulk_radius(1.0, 0.3, density=0.3).extent
    assert engine.matched_gain(net) == pytest.approx(ref / theory.bulk_radius(1.0, 0.3, dale=0.6, density=0.3).extent)


def test_matched_experiment_multiplies_every_strength_of_a_cell():
    axes = (("balance", (0.0,)), ("strength", (0.5, 1.5)), ("dale", (1.0,)))
    same = experiments.declare("t_same", "reservoir", "test", axes, instances=1, n=20)
    matched = experiments.declare("t_matched", "reservoir", "test", axes, instances=1, n=20,
                                  fixed={"coupling": "matched"})
    g_same, g_matched = (engine.cell(e, "quick", 0).gains for e in (same, matched))
    np.testing.assert_allclose(g_same, [0.5, 1.5])
    np.testing.assert_allclose(g_matched, g_same / DALE_SHRINK)
    # the option enters the fingerprint only when set: same-strength declarations keep their fingerprints
    assert "coupling" not in same.resolved("quick")["fixed"]
    assert matched.resolved("quick")["fixed"]["coupling"] == "matched"


def test_unknown_coupling_is_refused_with_its_choices():
    with pytest.raises(ValueError, match="coupling.*matched"):
        experiments.declare("t_bad", "reservoir", "test", (("dale", (1.0,)),), instances=1, n=20,
                            fixed={"coupling": "rescaled"})


def _ds(control_values, instances=3, offset=0.0):
    shape = (2, len(control_values), instances)
    data = np.arange(np.prod(shape), dtype=float).reshape(shape) + offset
    return xr.Dataset({"accuracy": (("point", "dale", "instance"), data)},
                      coords={"point": ["a", "b"], "dale": list(control_values), "instance": range(instances)})


def test_join_matched_takes_control_0_from_same_and_control_1_from_matched():
    same, matched = _ds([0.0, 0.5, 1.0]), _ds([1.0], offset=100.0)
    joined = experiments.join_matched(same, matched)
    assert joined["dale"].values.tolist() == [0.0, 1.0]
    np.testing.assert_array_equal(joined["accuracy"].sel(dale=0.0), same["accuracy"].sel(dale=0.0))
    np.testing.assert_array_equal(joined["accuracy"].sel(dale=1.0), matched["accuracy"].sel(dale=1.0))
    assert joined.attrs["coupling"] == "matched"


def test_join_matched_refuses_mismatched_layouts():
    with pytest.raises(ValueError, match="dale = 1 only"):
        experiments.join_matched(_ds([0.0, 1.0]), _ds([0.0, 1.0]))
    with pytest.raises(ValueError, match="instance"):
        experiments.join_matched(_ds([0.0, 1.0], instances=3), _ds([1.0], instances=2))


def test_centred_matching_rescales_only_the_centred_part_of_the_cell_matrix():
    axes = (("balance", (0.3,)), ("strength", (0.5, 1.5)), ("dale", (1.0,)))
    fixed = {"coupling": "matched", "matching": "centred"}
    exp = experiments.declare("t_centred", "reservoir", "test", axes, instances=1, n=20, fixed=fixed)
    c = engine.cell(exp, "quick", 0)
    np.testing.assert_allclose(c.gains, [0.5, 1.5])                      # strengths stay nominal
    assert c.centred == pytest.approx(engine.matched_gain(c.network))    # the factor goes to the centred part
    bulk = experiments.declare("t_bulk", "reservoir", "test", axes, instances=1, n=20,
                               fixed={"coupling": "matched", "matching": "bulk"})
    assert engine.cell_key(exp, "quick", 0) != engine.cell_key(bulk, "quick", 0)
    assert exp.resolved("quick")["fixed"]["matching"] == "centred"


def test_matching_without_matched_coupling_is_refused():
    with pytest.raises(ValueError, match="matching"):
        experiments.declare("t_bad2", "reservoir", "test", (("dale", (1.0,)),), instances=1, n=20,
                            fixed={"matching": "centred"})
