"""The command line: commands work, user mistakes are one line on stderr with exit status 2."""
import subprocess
import sys
import types

import pytest

import rnnlib
from rnnlib.pipeline import catalogue, engine, execute, store
from rnnlib import cli
from tiny_experiments import tiny


@pytest.fixture
def tiny_catalog(tmp_path, monkeypatch):
    """A catalog of two tiny experiments whose default store is a temporary directory."""
    monkeypatch.setattr(catalogue, "CATALOG", {"tiny": tiny(), "other": tiny("other")})
    monkeypatch.setattr(store, "default_root", lambda profile: tmp_path / profile)
    return tmp_path


def _one_line_error(capsys, code, *words):
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("rnnlib: error:") and err.count("\n") == 1 and "Traceback" not in err
    for w in words:
        assert w in err
    return err


def test_list_shows_every_experiment_with_sizes_and_estimates(capsys):
    assert cli.main(["list", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    for name in catalogue.CATALOG:
        assert name in out
    assert "estimated total on 2 worker(s)" in out and "paper" in out


def test_list_shows_whether_a_current_result_is_stored(tiny_catalog, capsys):
    assert cli.main(["run", "tiny", "--workers", "1", "--no-progress"]) == 0
    capsys.readouterr()
    assert cli.main(["list"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line[:1].isalpha()}
    assert lines["tiny"].split()[-1] == "-" and "current" in lines["tiny"]     # paper: nothing; quick: current
    assert "current" not in lines["other"]


def test_run_writes_the_store_and_the_requested_output(tiny_catalog, capsys):
    target = tiny_catalog / "copy.nc"
    assert cli.main(["run", "tiny", "--workers", "1", "--no-progress", "--output", str(target)]) == 0
    stored = store.read(tiny_catalog / "quick" / "tiny.nc")
    assert stored.identical(store.read(target))
    assert "tiny [quick]" in capsys.readouterr().out


def test_regen_recomputes_everything_and_stale_only_skips_current_results(tiny_catalog, capsys, monkeypatch):
    assert cli.main(["regen", "--workers", "1", "--no-progress"]) == 0
    assert "tiny:" in capsys.readouterr().out
    manifest = store.read_manifest(tiny_catalog / "quick")      # 'other' is 'tiny' under another name:
    assert manifest["tiny"]["cells_copied"] == 0                 # computed once, by the first,
    assert manifest["other"]["cells_copied"] == catalogue.CATALOG["other"].quick.cells   # copied by the second
    monkeypatch.setitem(catalogue.CATALOG, "other", tiny("other", steps=50))    # only 'other' is now stale
    assert cli.main(["regen", "--workers", "1", "--no-progress", "--stale-only"]) == 0
    out = capsys.readouterr().out
    assert "other:" in out and "tiny:" not in out


def test_book_calls_the_book_builder_with_the_profile(monkeypatch, capsys, tmp_path):
    calls = []

    def build(profile, **options):
        calls.append(profile)
        return tmp_path / "html"

    import rnnlib.book.build as builder
    monkeypatch.setattr(builder, "build", build)
    assert cli.main(["book", "--profile", "paper"]) == 0
    assert calls == ["paper"]
    assert f"open {tmp_path / 'html' / 'index.html'}" in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["run", "nope"], ["unknown experiment 'nope'"]),
    (["run", "tiny", "--profile", "huge"], ["invalid choice: 'huge'"]),
    (["run", "tiny", "--workers", "0"], ["--workers"]),
    (["frobnicate"], ["invalid choice"]),
    ([], ["required"]),
])
def test_user_mistakes_are_one_line_and_exit_status_2(tiny_catalog, capsys, argv, words):
    _one_line_error(capsys, cli.main(argv), *words)


def test_unwritable_output_is_refused_before_computing(tiny_catalog, capsys, monkeypatch):
    monkeypatch.setattr(engine, "_compute_cells", lambda *a: pytest.fail("computed before checking the output"))
    _one_line_error(capsys, cli.main(["run", "tiny", "--output", str(tiny_catalog / "no" / "dir" / "x.nc")]),
                    "cannot write the output file")
    _one_line_error(capsys, cli.main(["run", "tiny", "--output", str(tiny_catalog)]), "cannot write")


def test_unreachable_scheduler_is_one_line(tiny_catalog, capsys, monkeypatch):
    monkeypatch.setattr(execute, "CONNECT_TIMEOUT", 1)
    _one_line_error(capsys, cli.main(["run", "tiny", "--scheduler", "tcp://127.0.0.1:9", "--no-progress"]),
                    "cannot reach the Dask scheduler")


def test_module_entry_point_help_and_error_status():
    ok = subprocess.run([sys.executable, "-m", "rnnlib", "--help"], capture_output=True, text=True)
    assert ok.returncode == 0 and all(c in ok.stdout for c in ("list", "run", "regen", "book"))
    bad = subprocess.run([sys.executable, "-m", "rnnlib", "run", "nope"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and bad.stdout == ""


def test_book_prints_how_long_each_chapter_and_the_site_took(monkeypatch, capsys, tmp_path):
    from rnnlib.book import build as real

    seen = {}

    def build(profile, **options):
        seen.update(options)
        options["report"]([real.Timing("dale", 12.0, 20.5), real.Timing("synthesis", 3.25, 3.0),
                           real.Timing("jupyter-book", 20.0, 18.0), real.Timing("total", 40.0, 45.0)])
        return tmp_path / "html"

    monkeypatch.setattr(real, "build", build)
    monkeypatch.setattr(rnnlib, "book", real, raising=False)
    assert cli.main(["book", "--profile", "paper", "--workers", "1"]) == 0
    assert seen["workers"] == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["step", "wall", "s", "CPU", "s"]
    assert [line.split() for line in lines[1:5]] == [["dale", "12.0", "20.5"], ["synthesis", "3.2", "3.0"],
                                                      ["jupyter-book", "20.0", "18.0"], ["total", "40.0", "45.0"]]
    assert cli.main(["book", "--workers", "0"]) == 2                       # a bad count is a usage error


def test_timing_table_adds_a_total_when_the_build_gave_none():
    from rnnlib.book.build import Timing, timing_table

    table = timing_table([Timing("a", 1.0, 2.0), Timing("b", 3.0, 0.5)]).splitlines()
    assert table[-1].split() == ["total", "4.0", "2.5"] and len(table) == 4


def test_chapters_run_side_by_side_and_each_reports_its_own_cpu_time(tmp_path):
    import nbformat

    from rnnlib.book.build import execute_chapters

    jobs = []
    for name, loops in (("busy", 3 * 10**7), ("idle", 1)):
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell('PROFILE = "quick"', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(f"total = 0\nfor i in range({loops}):\n    total += i")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
        jobs.append((tmp_path / f"{name}.ipynb", tmp_path / "out" / f"{name}.ipynb"))
    busy, idle = execute_chapters(jobs, cwd=tmp_path, workers=2, progress=False)
    assert (busy.step, idle.step) == ("busy", "idle")
    assert busy.cpu > idle.cpu + 0.5                                       # the loop's CPU time lands on its chapter
    assert idle.cpu > 0.2 and busy.wall > 0 and idle.wall > 0               # a kernel's start-up is counted too
    assert all((tmp_path / "out" / f"{name}.ipynb").exists() for name in ("busy", "idle"))
