"""The scorecard is computed from data: change the data and the verdicts change."""
import numpy as np
import pytest
import xarray as xr

from rnnlib import REGIMES
from rnnlib.scorecard import claim_accuracy, claim_phase_sequence, claim_saturation, scorecard

POINTS = ["edge", "chaotic"]
TASKS = ["digits", "recall"]


def reservoir_ds(control, acc_shift, sat_shift=(0.0, 0.0), instances=10, seed=0, noise=0.005):
    """Synthetic {reg}_reservoir dataset: accuracy at control 1 = control 0 + acc_shift[task] + noise."""
    gen = np.random.default_rng(seed)
    shape = (len(POINTS), 2, len(TASKS), instances)
    base = gen.uniform(0.5, 0.8, shape[:1] + shape[2:])
    acc = np.stack([base, base + np.asarray(acc_shift)[None, :, None] + gen.normal(0, noise, base.shape)], axis=1)
    sbase = gen.uniform(0.3, 0.5, base.shape)
    sat = np.stack([sbase, sbase + np.asarray(sat_shift)[None, :, None] * np.ones_like(sbase)
                    + gen.normal(0, 0.002, base.shape)], axis=1)
    dims = ("point", control, "task", "instance")
    return xr.Dataset({"accuracy": (dims, acc), "saturation_input": (dims, sat)},
                      coords={"point": POINTS, control: [0.0, 1.0], "task": TASKS, "instance": np.arange(instances),
                              "balance": ("point", [0.0, -0.3]), "strength": ("point", [1.0, 2.0])})


def phase_ds(sequence=("periodic", "chaotic", "fixed point")):
    balances, strengths = [-0.8, 0.0, 0.8], [0.5, 3.0]
    reg = np.full((3, 2, 4), REGIMES.index("quiescent"))
    for i, name in enumerate(sequence):
        reg[i, 1, :] = REGIMES.index(name)
    return xr.Dataset({"regime": (("balance", "strength", "instance"), reg)},
                      coords={"balance": balances, "strength": strengths, "instance": np.arange(4)})


def test_consistent_gain_is_supported_and_loss_is_not():
    up = claim_accuracy("C1", reservoir_ds("dale", [0.05, 0.03]))
    assert up.verdict == "supported" and up.effect == pytest.approx(0.04, abs=0.005)
    assert up.ci_low > 0 and up.p_value < 0.05 and up.n == 10   # pairs are instances
    down = claim_accuracy("C1", reservoir_ds("dale", [-0.05, -0.03]))
    assert down.verdict == "not supported" and "opposite effect" in down.where


def test_effect_in_one_task_only_is_conditional_and_names_the_task():
    row = claim_accuracy("C2", reservoir_ds("modularity", [0.05, -0.05]))
    assert row.verdict == "conditional"
    assert "digits at edge" in row.where and "recall" in row.where.split("opposite effect in")[1]


def test_reciprocity_claim_direction_is_a_loss():
    assert claim_accuracy("C3", reservoir_ds("reciprocity", [-0.04, -0.02])).verdict == "supported"
    assert claim_accuracy("C3", reservoir_ds("reciprocity", [0.04, 0.02])).verdict == "not supported"


def test_no_effect_is_not_supported():
    row = claim_accuracy("C1", reservoir_ds("dale", [0.0, 0.0], noise=0.0))
    assert row.verdict == "not supported" and row.effect == 0 and row.p_value == 1.0


def test_map_fraction_is_reported():
    acc = np.zeros((2, 2, 2, 3))                       # balance, strength, dale, instance
    acc[..., 1, :] = [[[0.1] * 3, [0.1] * 3], [[0.1] * 3, [-0.1] * 3]]
    m = xr.Dataset({"accuracy": (("balance", "strength", "dale", "instance"), acc)},
                   coords={"balance": [-0.5, 0.5], "strength": [1.0, 2.0], "dale": [0.0, 1.0], "instance": range(3)})
    row = claim_accuracy("C1", reservoir_ds("dale", [0.05, 0.05]), m)
    assert "75% of the (b, w) grid" in row.where


def test_saturation_claim_needs_rise_and_link_to_accuracy():
    linked = claim_saturation(reservoir_ds("reciprocity", [-0.06, -0.01], sat_shift=[0.08, 0.01]))
    assert linked.effect > 0 and linked.p_value < 0.05
    # saturation rises but the accuracy change does not follow it: conditional at best
    unlinked = claim_saturation(reservoir_ds("reciprocity", [0.0, 0.0], sat_shift=[0.08, 0.01]))
    assert unlinked.verdict in ("conditional", "supported") and unlinked.effect > 0
    falls = claim_saturation(reservoir_ds("reciprocity", [0.0, 0.0], sat_shift=[-0.05, -0.05]))
    assert falls.verdict == "not supported" and falls.effect < 0


def test_phase_sequence_verdict_follows_the_regimes():
    assert claim_phase_sequence(phase_ds()).verdict == "supported"
    assert claim_phase_sequence(phase_ds(("periodic", "irregular", "fixed point"))).verdict == "not supported"


def test_scorecard_rows_change_when_an_input_changes():
    data = {"baseline_phase": phase_ds(), "dale_reservoir": reservoir_ds("dale", [0.05, 0.03]),
            "modularity_reservoir": reservoir_ds("modularity", [0.0, 0.0]),
            "reciprocity_reservoir": reservoir_ds("reciprocity", [-0.03, -0.03], sat_shift=[0.05, 0.05])}
    rows = scorecard(data)
    assert [r.claim for r in rows] == ["C0", "C1", "C2", "C3", "C4"]
    before = {r.claim: (r.verdict, r.effect) for r in rows}
    data["dale_reservoir"] = reservoir_ds("dale", [-0.05, -0.03])
    after = {r.claim: (r.verdict, r.effect) for r in scorecard(data)}
    assert before["C1"] != after["C1"] and before["C2"] == after["C2"]
    with pytest.raises(ValueError, match="scorecard needs the experiments"):
        scorecard({"baseline_phase": phase_ds()})


def test_claim_region_marks_cells_by_significant_direction():
    from rnnlib.scorecard import claim_region

    gen = np.random.default_rng(3)
    base = gen.uniform(0.4, 0.6, (2, 2, 8))                   # balance, strength, instance
    shift = np.array([[0.1, 0.0], [-0.1, 0.0]])[:, :, None]
    acc = np.stack([base, base + shift + gen.normal(0, 0.002, base.shape)], axis=2)
    acc[1, 1, 1] = acc[1, 1, 0]                               # exactly no change at (b=0.5, w=2)
    ds = xr.Dataset({"accuracy": (("balance", "strength", "dale", "instance"), acc)},
                    coords={"balance": [-0.5, 0.5], "strength": [1.0, 2.0], "dale": [0.0, 1.0], "instance": range(8)})
    region = claim_region("C1", ds)
    assert region["verdict"].values.tolist() == [[1, 0], [-1, 0]]
    assert region["p_value"].values[1, 1] == 1.0
    assert claim_region("C3", ds.rename(dale="reciprocity"))["verdict"].values.tolist() == [[-1, 0], [1, 0]]
