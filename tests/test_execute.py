"""Execution: identical results whatever the executor and chunking; resume after kill -9."""
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import distributed

from rnnlib.pipeline import engine, execute, store
from rnnlib.experiments import load
from tiny_experiments import slow, tiny

TESTS = Path(__file__).parent


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _run(tmp_path, label, **kw):
    root = tmp_path / label
    ds = load(tiny(), "quick", store=root, progress=False, **kw)
    return ds, _sha(store.result_path("tiny", "quick", root))


def test_plan_chunks_covers_every_cell_once_in_order():
    cells = np.array([0, 2, 3, 7, 8, 9, 11])
    for size in (1, 3, 7, 50):
        chunks = execute.plan_chunks(cells, chunk_size=size)
        assert all(len(c) <= size for c in chunks)
        np.testing.assert_array_equal(np.concatenate(chunks), cells)
    assert len(execute.plan_chunks(np.arange(160), workers=2)) == 2 * execute.CHUNKS_PER_WORKER
    assert execute.plan_chunks([], chunk_size=4) == []
    with pytest.raises(ValueError, match="chunk_size"):
        execute.plan_chunks(cells, chunk_size=0)


def test_serial_pool_and_chunk_sizes_give_bit_identical_files(tmp_path):
    ref, ref_sha = _run(tmp_path, "serial", workers=1)
    for label, kw in {"pool": {"workers": 2}, "pool-chunk1": {"workers": 2, "chunk_size": 1},
                      "serial-chunk5": {"workers": 1, "chunk_size": 5}}.items():
        ds, sha = _run(tmp_path, label, **kw)
        assert ds.identical(ref), label
        assert sha == ref_sha, label


def test_dask_local_cluster_gives_bit_identical_files_and_refuses_other_code(tmp_path, monkeypatch):
    ref, ref_sha = _run(tmp_path, "serial", workers=1)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        ds, sha = _run(tmp_path, "dask", scheduler=cluster.scheduler_address, chunk_size=3)
        with distributed.Client(cluster, set_as_default=False) as client:
            ds2, sha2 = _run(tmp_path, "dask-client", scheduler=client)
            monkeypatch.setattr(store, "CODE_SALT", "numerics changed here, not on the workers")
            with pytest.raises(ConnectionError, match="other rnnlib code"):
                _run(tmp_path, "mismatch", scheduler=client)
    assert ds.identical(ref) and ds2.identical(ref)
    assert sha == sha2 == ref_sha


def test_unreachable_scheduler_is_a_connection_error(tmp_path, monkeypatch):
    monkeypatch.setattr(execute, "CONNECT_TIMEOUT", 1)
    with pytest.raises(ConnectionError, match="cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"):
        load(tiny(), "quick", store=tmp_path, progress=False, scheduler="tcp://127.0.0.1:9")
    assert list(tmp_path.iterdir()) == []          # no empty .nc.partial/ left behind


def test_progress_bar_counts_cells_and_shows_time_left(capsys):
    execute.run_chunks(lambda c: None, execute.plan_chunks(np.arange(6), chunk_size=2), workers=1,
                       progress=True, desc="demo", total=10, initial=4)
    err = capsys.readouterr().err
    assert "demo" in err and "10/10" in err and "<" in err


def test_killed_run_resumes_computing_only_missing_cells_and_gives_the_same_file(tmp_path, monkeypatch):
    exp = slow()
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    script = (f"import sys; sys.path.insert(0, {str(TESTS)!r})\n"
              "from tiny_experiments import slow\nfrom rnnlib.experiments import load\n"
              f"load(slow(), 'quick', workers=1, chunk_size=1, progress=False, store={str(killed)!r})\n")
    proc = subprocess.Popen([sys.executable, "-c", script])
    partial = Path(str(store.result_path("slow", "quick", killed)) + ".partial")
    deadline = time.time() + 120
    while len(list(partial.glob("chunk-*.npz"))) < 3 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = store.Partial(store.result_path("slow", "quick", killed), store.fingerprint(exp.resolved("quick"))).done()
    total = exp.quick.cells
    assert 3 <= done.size < total, "the run was not killed part-way; make tiny_experiments.slow slower"
    assert not store.result_path("slow", "quick", killed).exists()

    computed = []
    original = engine._compute_cells
    monkeypatch.setattr(engine, "_compute_cells", lambda e, p, cells: computed.extend(cells) or original(e, p, cells))
    resumed = load(exp, "quick", workers=1, progress=False, store=killed)
    assert sorted(computed) == sorted(set(range(total)) - set(done.tolist()))
    monkeypatch.undo()
    fresh = load(exp, "quick", workers=1, progress=False, store=clean)
    assert resumed.identical(fresh)
    assert _sha(store.result_path("slow", "quick", killed)) == _sha(store.result_path("slow", "quick", clean))
    assert not partial.exists()


def test_two_processes_loading_the_same_experiment_take_turns(tmp_path):
    script = (f"import sys; sys.path.insert(0, {str(TESTS)!r})\n"
              "from tiny_experiments import tiny\nfrom rnnlib.experiments import load\n"
              f"load(tiny(), 'quick', workers=1, chunk_size=1, progress=False, store={str(tmp_path / 'both')!r})\n")
    procs = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        assert proc.wait() == 0, proc.stderr.read()
    ref, ref_sha = _run(tmp_path, "alone", workers=1)
    assert _sha(store.result_path("tiny", "quick", tmp_path / "both")) == ref_sha
