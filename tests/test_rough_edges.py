"""One test per rough edge a user hit (issue 14): each used to fail in a confusing way, or not at all."""
import os
import re
import stat
import time
from pathlib import Path

import numpy as np
import pytest

import rnnlib
from rnnlib.pipeline import catalogue, cost, engine, store
from rnnlib import cli
from rnnlib.experiments import load
from rnnlib.book.explorer import explorer_figure
from rnnlib.model.signatures import SignatureSettings, signatures_from_states
from tiny_experiments import tiny

README = Path(rnnlib.__file__).parent.parent / "README.md"


@pytest.fixture
def tiny_catalog(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue, "CATALOG", {"tiny": tiny()})
    monkeypatch.setattr(store, "default_root", lambda profile: tmp_path / profile)
    return tmp_path


def _one_line(capsys, code, *words):
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("rnnlib: error:") and err.count("\n") == 1, err
    for w in words:
        assert w in err
    return err


# --------------------------------------------------------------------------- the model

def test_a_network_smaller_than_the_default_module_count_needs_no_modules_argument():
    assert rnnlib.make_weights(3, 1.0, seed=0).shape == (3, 3)
    assert rnnlib.make_weights(3, 1.0, dale=1.0, reciprocity=0.5, seed=0).shape == (3, 3)
    with pytest.raises(ValueError, match=r"modules must be an integer in \[1, 3\], got 4"):
        rnnlib.make_weights(3, 1.0, modularity=0.5, seed=0)      # modules matters only here


@pytest.mark.parametrize("regularity", ["dale", "reciprocity"])
def test_the_explorer_draws_a_two_neuron_network(regularity):
    import matplotlib.pyplot as plt
    fig, data = explorer_figure(regularity, n=2)
    plt.close(fig)
    assert data["W"].shape == (2, 2)


def test_signatures_of_a_short_run_choose_a_period_window_that_fits():
    W = rnnlib.make_weights(20, 0.5, seed=1)
    assert rnnlib.signatures(W, steps=10, seed=1)["regime"] == "quiescent"
    with pytest.raises(ValueError, match=r"max_period must be an integer in \[1, 9\], got 12"):
        rnnlib.signatures(W, steps=10, max_period=12)


def test_constructions_given_as_a_list_get_a_clear_message():
    with pytest.raises(ValueError, match=r"constructions must be a mapping .*got \['dale'\]"):
        rnnlib.make_weights(10, 1.0, constructions=["dale"])


@pytest.mark.parametrize("func", [rnnlib.signatures, rnnlib.eigenvalues, rnnlib.reservoir_accuracy,
                                  lambda W: rnnlib.run(W, np.zeros(3), 2)])
def test_a_complex_matrix_is_refused_not_cast_to_its_real_part(func):
    with pytest.raises(ValueError, match="W must be a real matrix, got complex"):
        func(np.eye(3) * (1 + 1j))


@pytest.mark.parametrize("kwargs, match", [
    ({"gain": -1.0}, "gain must be a finite number >= 0"),
    ({"gain": np.nan}, "gain must be a finite number >= 0"),
    ({"gain": [1.0, np.nan]}, "gain must be a finite number >= 0"),
    ({"gain": [1.0, 2.0, 3.0]}, r"one per column \(2\)"),
])
def test_run_refuses_negative_or_nan_gains(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rnnlib.run(np.eye(3), np.zeros((3, 2)), 2, **kwargs)


def test_run_refuses_nan_initial_states():
    with pytest.raises(ValueError, match="x0 must contain only finite values, got 1 non-finite"):
        rnnlib.run(np.eye(3), [0.0, np.nan, 0.0], 2)


def test_a_misspelt_reservoir_keyword_is_named_as_such():
    W = rnnlib.make_weights(20, 1.0, seed=0)
    with pytest.raises(ValueError, match=r"unexpected keyword argument 'inputstrength': not a reservoir setting "
                                         r"\(input_strength, .*\) nor a parameter of task 'digits' \(test_fraction\)"):
        rnnlib.reservoir_accuracy(W, inputstrength=2)


def test_pairwise_correlation_never_exceeds_one():
    settings = SignatureSettings(steps=50, transient=0)
    values = []
    for seed in range(40):     # neurons that are affine functions of one signal: correlations of exactly +-1
        g = np.random.default_rng(seed)
        n = int(g.integers(2, 12))
        a, b = g.uniform(0.01, 1, n) * g.choice([-1, 1], n), g.uniform(-0.5, 0.5, n)
        X = a[None, :] * g.standard_normal(50)[:, None] + b
        values.append(signatures_from_states(X[:, :, None], 0.0, settings)["pairwise_correlation"][0])
    assert max(values) <= 1.0 and min(values) > 1 - 1e-12


def test_network_params_can_be_hashed_and_equal_params_hash_equal():
    a = rnnlib.NetworkParams(10, dale=0.5, constructions={"dale": "type-sign"})
    b = rnnlib.NetworkParams(10, dale=0.5)
    assert a == b and hash(a) == hash(b) and len({a, b, rnnlib.NetworkParams(11)}) == 2


def test_the_reservoir_saturation_threshold_is_the_declared_one():
    W = rnnlib.make_weights(30, 1.5, seed=2)
    low = rnnlib.reservoir.driven.evaluate(W, "recall", saturation_threshold=0.3, seed=2, train_samples=50, test_samples=20)
    default = rnnlib.reservoir.driven.evaluate(W, "recall", seed=2, train_samples=50, test_samples=20)
    assert low.fraction_saturated > default.fraction_saturated and low.accuracy == default.accuracy
    exp = tiny(axes=(("balance", (0.0,)), ("strength", (1.5,))), quantity="reservoir", n=30, instances=1,
               saturation_threshold=0.3, task_params={"digits": {"test_fraction": 0.5}})
    plain = tiny(axes=exp.quick.axes, quantity="reservoir", n=30, instances=1,
                 task_params={"digits": {"test_fraction": 0.5}})
    assert (engine.compute_cells(exp, "quick", [0])["fraction_saturated_input"]
            > engine.compute_cells(plain, "quick", [0])["fraction_saturated_input"])


# --------------------------------------------------------------------------- loading and the command line

@pytest.mark.parametrize("kwargs, match", [({"workers": 0}, "workers"), ({"chunk_size": 0}, "chunk_size"),
                                           ({"scheduler": "notaurl"}, "scheduler must be")])
def test_a_bad_load_argument_leaves_nothing_behind(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        load(tiny(), "quick", store=tmp_path, progress=False, **kwargs)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("address", ["notaurl", "tcp://127.0.0.1", "http://127.0.0.1:8786", "tcp://host:99999"])
def test_a_malformed_scheduler_is_one_line_at_once_without_making_a_client(tiny_catalog, capsys, monkeypatch,
                                                                          address):
    import distributed
    monkeypatch.setattr(distributed, "Client", lambda *a, **k: pytest.fail("a client was made"))
    start = time.perf_counter()
    _one_line(capsys, cli.main(["run", "tiny", "--scheduler", address, "--no-progress"]),
              "scheduler must be a Dask scheduler address", repr(address))
    assert time.perf_counter() - start < 5


def test_a_scheduler_that_is_not_needed_is_said_so(tiny_catalog, capsys):
    assert cli.main(["run", "tiny", "--workers", "1", "--no-progress"]) == 0
    capsys.readouterr()
    assert cli.main(["run", "tiny", "--scheduler", "tcp://127.0.0.1:9", "--no-progress"]) == 0
    assert "the stored result is current, so the scheduler tcp://127.0.0.1:9 was not used" in capsys.readouterr().err


@pytest.mark.parametrize("error", [ValueError("an internal bug"), FileNotFoundError("an internal bug")])
def test_an_internal_error_keeps_its_traceback(tiny_catalog, monkeypatch, error):
    def broken(*args):
        raise error
    monkeypatch.setattr(engine, "_compute_cells", broken)
    with pytest.raises(type(error), match="an internal bug"):
        cli.main(["run", "tiny", "--workers", "1", "--no-progress"])


def test_user_errors_are_usage_errors_and_value_errors():
    assert issubclass(rnnlib.UsageError, ValueError)
    with pytest.raises(rnnlib.UsageError, match="unknown experiment"):
        catalogue.get("nope")


def test_an_output_under_a_file_is_refused_before_computing(tiny_catalog, capsys, monkeypatch):
    monkeypatch.setattr(engine, "_compute_cells", lambda *a: pytest.fail("computed before checking the output"))
    blocker = tiny_catalog / "a-file"
    blocker.write_text("")
    _one_line(capsys, cli.main(["run", "tiny", "--output", str(blocker / "x.nc")]), "cannot write the output file")


def test_the_output_file_has_the_usual_permissions(tiny_catalog):
    old = os.umask(0o022)
    try:
        assert cli.main(["run", "tiny", "--workers", "1", "--no-progress", "--output",
                         str(tiny_catalog / "copy.nc")]) == 0
    finally:
        os.umask(old)
    quick = tiny_catalog / "quick"
    for file in (tiny_catalog / "copy.nc", quick / "tiny.nc", quick / "manifest.json"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o644, file


def test_list_accepts_one_profile_and_says_what_the_estimate_means(capsys):
    assert cli.main(["list", "--profile", "paper", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "paper grid" in out and "quick grid" not in out
    assert "estimated seconds on 2 worker(s) of the reference machine" in out and "manifest" in out


def test_the_cost_model_reproduces_the_measured_paper_profile():
    from rnnlib.pipeline import specification
    manifest = store.read_manifest(store.default_root("paper"))
    assert set(manifest) == set(catalogue.CATALOG) | set(catalogue.RUNNERS) == set(catalogue.everything())
    assert specification.NAME in catalogue.RUNNERS     # its cost is its own recorded time, not the grid model
    fit = cost.calibrate(manifest, catalogue.CATALOG, day=cost.CALIBRATION_DAY)
    for quantity, throughput in cost.THROUGHPUT.items():
        assert throughput == pytest.approx(fit["throughput"][quantity], rel=0.05)
    assert cost.CELL_OVERHEAD == pytest.approx(fit["cell_overhead"], rel=0.1)
    quiet = {name: entry for name, entry in manifest.items() if entry["created"].startswith(cost.CALIBRATION_DAY)}
    assert len(quiet) >= 10, "the calibration needs the runs of its day in the manifest"
    # the serial cost (the sum of chunk times, what the model is fitted to) of the cells each run computed
    estimated = sum(cost.estimate_seconds(exp := catalogue.CATALOG[name], "paper")
                    * (1 - entry.get("cells_copied", 0) / exp.sizes("paper").cells)
                    for name, entry in quiet.items() if name in catalogue.CATALOG)
    measured = sum(entry["compute_time_s"] for name, entry in quiet.items() if name in catalogue.CATALOG)
    assert estimated == pytest.approx(measured, rel=0.1)


def test_the_readme_library_snippet_prints_what_it_computes(capsys):
    text = README.read_text()
    section = text[text.index("## Using the library"):]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out.split("\n")
    assert any(out[0].startswith(r) for r in rnnlib.REGIMES) and 0.0 <= float(out[1]) <= 1.0
