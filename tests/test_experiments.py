"""Experiment declarations, the catalog and what a loaded dataset holds."""
import json

import numpy as np
import pytest

import rnnlib
from rnnlib.pipeline import catalogue, cost, engine, store
from rnnlib import experiments as E
from rnnlib.experiments import CATALOG, Sizes, instance_seed, load
from tiny_experiments import PHASE_AXES, tiny

CONTRACT_NAMES = ["baseline_phase", "baseline_lyapunov", "baseline_reservoir", "baseline_reservoir_inputs",
                  "modularity_modules", "sensitivity", "scale",
                  # the fourth regularity and gain control (issue 19)
                  "weak_rows_phase", "weak_rows_reservoir", "weak_rows_reservoir_map", "gain_control_map"] + [
    f"{r}_{k}" for r in ("dale", "reciprocity", "modularity")
    for k in ("signatures", "phase", "reservoir", "reservoir_map", "reservoir_matched", "reservoir_map_matched")]


def test_catalog_has_every_contract_experiment_and_each_resolves_in_both_profiles():
    assert sorted(CATALOG) == sorted(CONTRACT_NAMES)
    for exp in CATALOG.values():
        quick, paper = exp.sizes("quick"), exp.sizes("paper")
        assert quick.names == paper.names and "instance" not in quick.names
        assert paper.cells >= quick.cells and paper.instances >= quick.instances
        for profile in E.PROFILES:
            params = exp.resolved(profile)
            assert json.loads(json.dumps(params)) == params
            assert E.estimate_seconds(exp, profile) > 0


def test_regularity_experiments_sweep_their_own_control_and_use_both_ends():
    for reg in ("dale", "reciprocity", "modularity"):
        for kind in ("phase", "reservoir_map"):
            assert CATALOG[f"{reg}_{kind}"].paper.values(reg) == (0.0, 1.0)
        assert set(CATALOG[f"{reg}_reservoir"].quick.values("task")) == set(rnnlib.reservoir.tasks.available_tasks())


def _direct(n, balance, strengths, instance, settings, **controls):
    seed = instance_seed(tiny(), instance)
    W1 = rnnlib.make_weights(n, 1.0, balance, seed=seed, **controls)
    return rnnlib.signatures_batch(W1, strengths, settings=settings, seed=seed)


def test_loaded_signatures_equal_the_core_computation_cell_by_cell(tmp_path):
    exp = tiny()
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    assert dict(ds.sizes) == {"balance": 3, "strength": 3, "dale": 2, "instance": 2}
    settings = rnnlib.SignatureSettings(steps=40, transient=40)
    for b in (-0.2, 0.2):
        for dale in (0.0, 1.0):
            ref = _direct(20, b, [0.5, 1.0, 2.0], 1, settings, dale=dale)
            for var in E.SIGNATURE_VARIABLES:
                got = ds[var].sel(balance=b, dale=dale, instance=1).transpose("strength").values
                np.testing.assert_array_equal(got, ref[var][:, 0], err_msg=var)


def test_dataset_attributes_carry_the_full_parameter_set_and_fingerprint(tmp_path):
    exp = tiny()
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    params = json.loads(ds.attrs["parameters"])
    assert params == exp.resolved("quick")
    assert params["sizes"]["n"] == 20 and params["fixed"]["period_tol"] == rnnlib.SignatureSettings().period_tol
    assert ds.attrs["fingerprint"] == store.fingerprint(params)
    assert (ds.attrs["experiment"], ds.attrs["profile"], ds.attrs["quantity"]) == ("tiny", "quick", "signatures")
    assert ds.attrs["rnnlib_version"] == rnnlib.__version__
    assert list(ds["regime"].attrs["regime_names"]) == list(rnnlib.REGIMES)
    assert ds["period"].dtype.kind == "i" and ds["lyapunov"].dtype == np.float64


def test_strength_sweep_as_gains_matches_one_network_per_strength_in_the_ordered_regime(tmp_path):
    # W(w) = w W1 exactly, so the gain-batched sweep equals separate simulations up to rounding
    # (compared where the dynamics contract, so rounding is not amplified)
    exp = tiny(axes=(("balance", (0.0,)), ("strength", (0.3, 0.6, 0.9))), steps=60)
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    seed = instance_seed(exp, 0)
    for w in (0.3, 0.6, 0.9):
        one = rnnlib.signatures(rnnlib.make_weights(20, w, 0.0, seed=seed), steps=60, transient=60, seed=seed)
        for var in ("saturation", "fluctuation", "lyapunov"):
            got = ds[var].sel(strength=w, balance=0.0, instance=0).item()
            assert got == pytest.approx(one[var], rel=1e-9, abs=1e-12)


def test_instances_are_paired_across_control_values_and_shared_between_experiments(tmp_path):
    with_dale = load(tiny(), "quick", workers=1, store=tmp_path, progress=False)
    base = load(tiny("base", axes=PHASE_AXES[:2]), "quick", workers=1, store=tmp_path, progress=False)
    # dale = 0 is the baseline matrix of the same instance: identical numbers
    np.testing.assert_array_equal(with_dale["lyapunov"].sel(dale=0.0).transpose(*base["lyapunov"].dims),
                                  base["lyapunov"].values)
    # different instances are different networks
    assert not np.array_equal(base["lyapunov"].sel(instance=0), base["lyapunov"].sel(instance=1))


def test_point_axis_has_balance_and_strength_coordinates_and_uses_them(tmp_path):
    points = {"calm": (0.1, 0.5), "wild": (-0.1, 2.5)}
    exp = tiny(axes=(("point", ("calm", "wild")), ("reciprocity", (0.0, 1.0))), points=points)
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    assert list(ds["balance"].values) == [0.1, -0.1] and list(ds["strength"].values) == [0.5, 2.5]
    ref = _direct(20, -0.1, [2.5], 0, rnnlib.SignatureSettings(steps=40, transient=40), reciprocity=1.0)
    assert ds["lyapunov"].sel(point="wild", reciprocity=1.0, instance=0).item() == ref["lyapunov"][0, 0]


def test_regularity_control_and_variant_axes_set_the_right_parameters(tmp_path):
    exp = tiny(axes=(("regularity", ("dale", "modularity")), ("control", (0.0, 1.0)), ("variant", ("plain", "big"))),
               balance=0.1, strength=1.5, variants={"plain": {}, "big": {"n": 30, "modules": 3}})
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    settings = rnnlib.SignatureSettings(steps=40, transient=40)
    seed = instance_seed(exp, 1)
    W1 = rnnlib.make_weights(30, 1.0, 0.1, modularity=1.0, modules=3, seed=seed)
    ref = rnnlib.signatures_batch(W1, [1.5], settings=settings, seed=seed)
    got = ds["fluctuation"].sel(regularity="modularity", control=1.0, variant="big", instance=1).item()
    assert got == ref["fluctuation"][0, 0]


def test_reservoir_quantity_equals_evaluate_batch(tmp_path):
    exp = tiny(axes=(("balance", (0.0,)), ("strength", (0.5, 1.0)), ("task", ("recall", "parity"))),
               quantity="reservoir", n=30, instances=1, input_strength=0.5,
               task_params={"recall": {"train_samples": 200, "test_samples": 100},
                            "parity": {"train_samples": 200, "test_samples": 100}})
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    assert set(ds.data_vars) == set(E.RESERVOIR_VARIABLES.values())
    seed = instance_seed(exp, 0)
    ref = rnnlib.reservoir.driven.evaluate_batch(rnnlib.make_weights(30, 1.0, 0.0, seed=seed), [0.5, 1.0], "recall",
                                          input_strength=0.5, seed=seed, train_samples=200, test_samples=100)
    for key, var in E.RESERVOIR_VARIABLES.items():
        np.testing.assert_array_equal(ds[var].sel(task="recall", instance=0, balance=0.0).values, ref[key])
    assert 0.0 <= ds["accuracy"].min() and ds["accuracy"].max() <= 1.0


def test_cost_model_grows_with_network_size_and_grid():
    small, big = tiny(n=20), tiny(n=40)
    assert cost.estimate_flops(big, "quick") == pytest.approx(4 * cost.estimate_flops(small, "quick"))
    assert cost.estimate_flops(small, "paper") == pytest.approx(1.5 * cost.estimate_flops(small, "quick"))


@pytest.mark.parametrize("make, match", [
    (lambda: Sizes(axes=(("speed", (1,)),), instances=1, n=10), "axis"),
    (lambda: Sizes(axes=(("balance", (0.0, 0.0)),), instances=1, n=10), "distinct"),
    (lambda: Sizes(axes=(("point", ("a",)), ("balance", (0.0,))), instances=1, n=10), "either"),
    (lambda: Sizes(axes=(("control", (0.0,)),), instances=1, n=10), "together"),
    (lambda: Sizes(axes=(), instances=0, n=10), "instances"),
    (lambda: tiny(axes=(("point", ("nowhere",)),)), "fixed"),
    (lambda: tiny(colour="red"), "unknown fixed"),
    (lambda: tiny(quantity="spectra"), "quantity"),
    (lambda: tiny(steps=20), "max_period"),
])
def test_bad_declarations_are_rejected_with_a_clear_message(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_load_rejects_unknown_experiment_and_profile(tmp_path):
    with pytest.raises(ValueError, match="unknown experiment 'nope'"):
        load("nope", store=tmp_path)
    with pytest.raises(ValueError, match="profile"):
        load(tiny(), "huge", store=tmp_path)


def test_chapter_loader_never_computes_paper_data(monkeypatch, tmp_path):
    monkeypatch.setattr(store, "default_root", lambda profile: tmp_path / profile)
    with pytest.raises(store.MissingResultError, match="python -m rnnlib run baseline_phase --profile paper"):
        E.chapter_loader("paper")("baseline_phase")
    with pytest.raises(ValueError, match="profile must be one of"):
        E.chapter_loader("huge")


def test_adding_an_experiment_is_one_declaration_as_the_catalogue_docstring_shows():
    from rnnlib.pipeline.catalogue import AT_POINTS, CONTROL, declare, per
    exp = declare("dale_sparse", "reservoir", "digits accuracy against Dale at density 0.2, named points",
                  (AT_POINTS, ("dale", CONTROL)), instances=per(3, 16), fixed={"density": 0.2})
    assert "declare(\"dale_sparse\"" in catalogue.__doc__
    assert exp.quick.values("dale") == CONTROL["quick"] and exp.paper.instances == 16 and exp.paper.n == 200
    assert exp.fixed["points"] == catalogue.POINTS and exp.resolved("paper")["fixed"]["density"] == 0.2
    assert E.cell(exp, "quick", exp.quick.cells - 1).network.density == 0.2


def test_the_catalogue_fingerprints_are_those_of_the_committed_paper_data():
    manifest = store.read_manifest(store.default_root("paper"))
    for name, exp in CATALOG.items():
        assert manifest[name]["fingerprint"] == store.fingerprint(exp.resolved("paper")), name


def test_cells_that_name_one_computation_are_computed_once_and_give_the_same_dataset(tmp_path, monkeypatch):
    # an alternative reciprocity construction matters only where reciprocity > 0, and control 0 is the
    # baseline for every regularity: 2 regularities x 2 controls x 2 variants = 8 cells, 4 computations
    # (the baseline, Dale at 1, reciprocity at 1 with each construction)
    variants = {"default": {}, "reciprocity:sign-copy": {"constructions": {"reciprocity": "sign-copy"}}}
    exp = tiny(axes=(("regularity", ("dale", "reciprocity")), ("control", (0.0, 1.0)), ("variant", tuple(variants))),
               instances=1, strength=1.5, variants=variants)
    keys = {E.cell_key(exp, "quick", i) for i in range(exp.quick.cells)}
    assert exp.quick.cells == 8 and len(keys) == 4
    computed = []
    original = engine._compute_cells
    monkeypatch.setattr(engine, "_compute_cells", lambda e, p, cells: computed.extend(cells) or original(e, p, cells))
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    assert len(computed) == 4
    every = original(exp, "quick", np.arange(exp.quick.cells))      # each cell on its own
    for var in ("lyapunov", "saturation", "regime"):
        stored = ds[var].transpose("regularity", "control", "variant", "instance").values.reshape(-1)
        np.testing.assert_array_equal(stored, every[var][:, 0])
    np.testing.assert_array_equal(ds["lyapunov"].sel(regularity="dale", control=1.0, variant="default"),
                                  ds["lyapunov"].sel(regularity="dale", control=1.0, variant="reciprocity:sign-copy"))
    assert not np.array_equal(ds["saturation"].sel(regularity="reciprocity", control=1.0, variant="default"),
                              ds["saturation"].sel(regularity="reciprocity", control=1.0,
                                                   variant="reciprocity:sign-copy"))


@pytest.mark.parametrize("axes", [PHASE_AXES, (("balance", (-0.2, 0.2)), ("dale", (0.0, 1.0)))])
def test_disassemble_gives_back_the_results_of_every_cell(axes, tmp_path):
    exp = tiny(axes=axes) if any(a == "strength" for a, _ in axes) else tiny(axes=axes, strength=1.5)
    ds = load(exp, "quick", workers=1, store=tmp_path, progress=False)
    every = engine._compute_cells(exp, "quick", np.arange(exp.quick.cells))
    cells = engine.disassemble(exp, "quick", ds)
    assert set(cells) == set(every)
    for var, arr in every.items():
        np.testing.assert_array_equal(cells[var], arr)


def test_cells_a_current_result_of_another_experiment_holds_are_copied_not_computed(tmp_path, monkeypatch):
    """Control 0 of Dale and of reciprocity is one network: a reciprocity sweep takes it from a stored Dale sweep."""
    from rnnlib.model._checks import UsageError
    plane = (("balance", (-0.2, 0.0)), ("strength", (0.5, 1.0, 2.0)))
    donor, receiver = tiny("donor", axes=(*plane, ("dale", (0.0, 1.0)))), tiny("receiver", axes=(*plane, ("reciprocity", (0.0, 1.0))))
    monkeypatch.setitem(catalogue.CATALOG, "donor", donor)
    computed = []
    original = engine._compute_cells
    monkeypatch.setattr(engine, "_compute_cells", lambda e, p, cells: computed.extend(cells) or original(e, p, cells))
    shared, alone = tmp_path / "shared", tmp_path / "alone"
    load(donor, "quick", workers=1, store=shared, progress=False)
    computed.clear()
    load(receiver, "quick", workers=1, store=shared, progress=False)          # default: every catalogue experiment
    assert len(computed) == receiver.quick.cells // 2 == 4                 # reciprocity 1 only
    assert store.read_manifest(shared)["receiver"]["cells_copied"] == 4
    load(receiver, "quick", workers=1, store=alone, progress=False)
    name = "receiver.nc"
    assert (shared / name).read_bytes() == (alone / name).read_bytes()     # the same file, bit for bit
    computed.clear()
    load(receiver, "quick", workers=1, store=shared, progress=False, recompute=True)
    assert len(computed) == 8                                              # a recomputation reuses nothing...
    computed.clear()
    load(receiver, "quick", workers=1, store=shared, progress=False, recompute=True, reuse=["donor"])
    assert len(computed) == 4                                              # ...unless told which results to trust
    monkeypatch.setitem(catalogue.CATALOG, "donor", tiny("donor", axes=donor.quick.axes, instances=3))
    computed.clear()
    load(receiver, "quick", workers=1, store=shared, progress=False, recompute=True, reuse=["donor"])
    assert len(computed) == 8                                              # a stale result supplies nothing
    with pytest.raises(UsageError, match="reuse: unknown experiment 'nope'"):
        load(receiver, "quick", workers=1, store=shared, progress=False, reuse=["nope"])
