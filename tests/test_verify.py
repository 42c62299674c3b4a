"""Spot checks: deterministic cells, one machine-independent tolerance, and the committed paper data."""
import numpy as np
import pytest

from rnnlib.pipeline import catalogue, engine, specification, store, verify
from rnnlib.experiments import load
from tiny_experiments import tiny


def _load(exp, tmp_path):
    return load(exp, "quick", workers=1, store=tmp_path, progress=False)


def _rewrite(ds, tmp_path, change):
    altered = ds.copy(deep=True)
    change(altered)
    store.write(altered, store.result_path(ds.attrs["experiment"], "quick", tmp_path))


def test_spot_cells_are_the_first_middle_and_last_cell_whatever_the_day():
    exp = tiny()                                    # 3 balances x 2 dale values x 2 instances = 12 cells
    assert verify.spot_cells(exp, "quick").tolist() == [0, 6, 11]
    assert verify.spot_strengths(exp, "quick").tolist() == [0, 1, 2]
    last = engine.cell(exp, "quick", 11)
    assert last.coords == {"balance": 0.2, "dale": 1.0, "instance": 1}      # the regularity at full strength


def test_spot_check_passes_on_current_data_and_reports_what_it_checked(tmp_path):
    _load(tiny(), tmp_path)
    report = verify.spot_check(tiny(), "quick", store=tmp_path)
    assert report["experiment"] == "tiny" and report["cells"] == [0, 6, 11]
    assert report["reproducible"] + report["chaotic"] == 3 * 3 and report["reproducible"] > 0
    assert report["max_abs_diff"] < verify.ATOL and report["same_rounding"]


def test_chaotic_entries_tolerate_sampling_noise_but_not_a_shift_of_many_deviations(tmp_path):
    exp = tiny(axes=(("balance", (0.0,)), ("strength", (2.5, 3.0, 3.5))), instances=4, n=60, steps=200)
    ds = _load(exp, tmp_path)
    report = verify.spot_check(exp, "quick", store=tmp_path)
    assert report["chaotic"] > 0, "the check needs chaotic entries: raise the strengths"
    spread = ds["fluctuation"].std("instance", ddof=1)
    _rewrite(ds, tmp_path, lambda d: d.__setitem__("fluctuation", d["fluctuation"] + 0.5 * spread))
    verify.spot_check(exp, "quick", store=tmp_path)
    _rewrite(ds, tmp_path, lambda d: d.__setitem__("fluctuation", d["fluctuation"] + 6 * spread))
    with pytest.raises(verify.StaleDataError, match="fluctuation.*chaotic entry.*4 standard deviations"):
        verify.spot_check(exp, "quick", store=tmp_path)


def test_a_change_in_the_last_digits_of_a_reproducible_entry_is_caught(tmp_path):
    ds = _load(tiny(), tmp_path)
    _rewrite(ds, tmp_path, lambda d: d.__setitem__("saturation", d["saturation"] * (1 + 1e-5)))
    with pytest.raises(verify.StaleDataError,
                       match=r"'tiny'.*saturation.*reproducible entry.*python -m rnnlib run tiny --profile quick"):
        verify.spot_check(tiny(), "quick", store=tmp_path)


def test_rounding_differences_pass_whatever_machine_made_the_data(tmp_path):
    ds = _load(tiny(), tmp_path)

    def other_machine(d):
        d.attrs["numerics_probe"] = "another machine"
        d["saturation"] = d["saturation"] * (1 + 1e-12)
    _rewrite(ds, tmp_path, other_machine)
    report = verify.spot_check(tiny(), "quick", store=tmp_path)
    assert not report["same_rounding"] and 0 < report["max_abs_diff"] < verify.ATOL


def test_spot_check_fails_on_a_stale_fingerprint_or_a_missing_file(tmp_path):
    _load(tiny(), tmp_path)
    with pytest.raises(verify.StaleDataError, match="fingerprint"):
        verify.spot_check(tiny(steps=41), "quick", store=tmp_path)
    with pytest.raises(verify.StaleDataError, match="'ghost'.*run ghost"):
        verify.spot_check(tiny("ghost"), "quick", store=tmp_path)


def test_growth_limit_keeps_rounding_below_the_tolerance():
    assert verify.ROUNDOFF * np.exp(verify.GROWTH_LIMIT) == pytest.approx(1e-10)
    assert 1e-10 < verify.ATOL


# --------------------------------------------------------------------------- the committed paper data

PAPER = store.default_root("paper")


def test_committed_paper_manifest_matches_the_files_and_the_catalogue():
    assert store.verify_manifest(PAPER) == []
    assert sorted(store.read_manifest(PAPER)) == sorted(catalogue.everything()), \
        "regenerate with: python -m rnnlib regen --profile paper --stale-only"
    assert specification.NAME in catalogue.everything()


def test_the_specification_runner_is_an_experiment_of_the_catalogue():
    exp = catalogue.get(specification.NAME)
    assert exp is specification.EXPERIMENT and exp.resolved("paper") == specification.resolved("paper")
    ds = load(specification.NAME, "paper", compute=False, progress=False)
    assert ds.attrs["fingerprint"] == store.fingerprint(specification.resolved("paper"))
    assert ds.sizes["specification"] == specification.SIZES["paper"].specifications
    assert exp.estimate_seconds("quick") < exp.estimate_seconds("paper")


def test_the_specification_spot_check_catches_a_changed_stored_value(tmp_path):
    ds = store.open_result(store.result_path(specification.NAME, "paper"))
    altered = ds.copy(deep=True)
    altered["accuracy"][dict(specification=0, regularity=0, control=1, instance=0)] += 1e-4
    store.write(altered, store.result_path(specification.NAME, "paper", tmp_path))
    with pytest.raises(verify.StaleDataError, match=r"'specifications'.*accuracy of dale at specification 0, instance 0"):
        verify.spot_check(specification.NAME, "paper", cells=[0], store=tmp_path)


@pytest.mark.parametrize("name", list(catalogue.everything()))
def test_committed_paper_data_matches_the_current_code(name):
    try:
        verify.spot_check(name, "paper")
    except verify.StaleDataError as exc:
        pytest.fail(str(exc))
