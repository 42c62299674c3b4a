"""The result store: fingerprints, corruption detection, atomic writes, chunk files, manifest, file modes."""
import dataclasses
import hashlib
import json
import os
import stat

import numpy as np
import pytest
import xarray as xr

from rnnlib.pipeline import engine, store
from rnnlib.experiments import load
from tiny_experiments import tiny


def _load(exp, tmp_path, **kw):
    return load(exp, "quick", workers=1, store=tmp_path, progress=False, **kw)


def _forbid_compute(monkeypatch):
    def fail(*args):
        raise AssertionError("recomputed although a valid stored result exists")
    monkeypatch.setattr(engine, "_compute_cells", fail)


def test_unchanged_experiment_loads_without_recomputing(tmp_path, monkeypatch):
    first = _load(tiny(), tmp_path)
    _forbid_compute(monkeypatch)
    assert _load(tiny(), tmp_path).identical(first)


def test_compute_false_loads_current_data_and_refuses_to_compute(tmp_path):
    with pytest.raises(store.MissingResultError, match="python -m rnnlib run tiny --profile quick"):
        _load(tiny(), tmp_path, compute=False)
    first = _load(tiny(), tmp_path)
    assert _load(tiny(), tmp_path, compute=False).identical(first)
    with pytest.raises(store.MissingResultError, match="'tiny'"):
        _load(tiny(steps=50), tmp_path, compute=False)


def _variants(exp):
    q = exp.quick
    yield dataclasses.replace(exp, quick=dataclasses.replace(q, instances=3))
    yield dataclasses.replace(exp, quick=dataclasses.replace(q, n=21))
    yield dataclasses.replace(exp, quick=dataclasses.replace(q, steps=41))
    yield dataclasses.replace(exp, quick=dataclasses.replace(q, transient=39))
    yield dataclasses.replace(exp, quick=dataclasses.replace(q, axes=(("balance", (-0.2, 0.0, 0.25)),) + q.axes[1:]))
    yield dataclasses.replace(exp, fixed={"period_tol": 1e-5})
    yield dataclasses.replace(exp, fixed={"constructions": {"dale": "type-sign"}, "density": 0.5})
    yield dataclasses.replace(exp, family="other")
    yield dataclasses.replace(exp, quantity="reservoir")


def test_changing_any_parameter_changes_the_fingerprint(monkeypatch):
    exp = tiny()
    base = store.fingerprint(exp.resolved("quick"))
    assert store.fingerprint(tiny().resolved("quick")) == base
    prints = {store.fingerprint(v.resolved("quick")) for v in _variants(exp)}
    assert len(prints) == 9 and base not in prints
    assert store.fingerprint(exp.resolved("paper")) != base
    monkeypatch.setattr(store, "CODE_SALT", store.CODE_SALT + "+1")
    assert store.fingerprint(exp.resolved("quick")) != base
    monkeypatch.undo()
    monkeypatch.setattr(store, "__version__", "99")
    assert store.fingerprint(exp.resolved("quick")) != base


def test_a_changed_declaration_is_recomputed_not_loaded(tmp_path):
    old = _load(tiny(), tmp_path)
    new = _load(tiny(steps=50), tmp_path)
    assert new.attrs["fingerprint"] != old.attrs["fingerprint"]
    assert not np.array_equal(new["saturation"], old["saturation"])


def test_truncated_file_is_detected_reported_and_recomputed(tmp_path):
    good = _load(tiny(), tmp_path)
    path = store.result_path("tiny", "quick", tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.warns(store.CorruptResultWarning, match="corrupt or truncated"):
        again = _load(tiny(), tmp_path)
    assert again.identical(good) and path.read_bytes() == data


def test_altered_values_are_detected_by_the_content_hash(tmp_path):
    _load(tiny(), tmp_path)
    path = store.result_path("tiny", "quick", tmp_path)
    with xr.open_dataset(path, engine="h5netcdf") as f:
        ds = f.load()
    ds["lyapunov"][0, 0, 0, 0] += 1.0
    ds.to_netcdf(path, engine="h5netcdf")            # keeps the old content_sha256
    with pytest.warns(store.CorruptResultWarning, match="content_sha256"):
        assert store.read(path, ds.attrs["fingerprint"]) is None


def test_atomic_write_leaves_nothing_behind_when_writing_fails(tmp_path):
    target = tmp_path / "x.nc"

    def explode(tmp):
        open(tmp, "w").write("half")
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        store._atomic(target, explode)
    assert list(tmp_path.iterdir()) == []


def test_chunk_files_of_another_fingerprint_are_discarded(tmp_path):
    path = tmp_path / "a.nc"
    p = store.Partial(path, "one")
    p.save([3, 4], {"x": np.ones((2, 1))}, 0.5)
    assert list(store.Partial(path, "one").done()) == [3, 4]
    assert store.Partial(path, "two").done().size == 0


def test_a_damaged_chunk_file_is_recomputed(tmp_path):
    good = _load(tiny(), tmp_path / "ref")
    exp = tiny()
    fp = store.fingerprint(exp.resolved("quick"))
    path = store.result_path("tiny", "quick", tmp_path)
    partial = store.Partial(path, fp)
    partial.save([0, 1], engine.compute_cells(exp, "quick", [0, 1]), 0.1)
    partial.save([2], engine.compute_cells(exp, "quick", [2]), 0.1)
    next(partial.dir.glob("chunk-0000002-*")).write_bytes(b"garbage")
    with pytest.warns(store.CorruptResultWarning, match="unreadable"):
        ds = _load(exp, tmp_path)
    assert ds.identical(good) and not partial.dir.exists()


def test_manifest_lists_every_file_with_size_checksum_and_timing(tmp_path):
    _load(tiny(), tmp_path)
    _load(tiny("other"), tmp_path)
    manifest = json.loads((tmp_path / store.MANIFEST).read_text())
    assert sorted(manifest) == ["other", "tiny"]
    entry = manifest["tiny"]
    data = (tmp_path / "tiny.nc").read_bytes()
    assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["fingerprint"] == store.fingerprint(tiny().resolved("quick"))
    assert entry["wall_time_s"] >= 0 and entry["compute_time_s"] >= 0 and entry["machine"]["cores"] >= 1
    assert store.verify_manifest(tmp_path) == []
    (tmp_path / "other.nc").write_bytes(data)
    (tmp_path / "stray.nc").write_bytes(data)
    problems = store.verify_manifest(tmp_path)
    assert any("other" in p and "differs" in p for p in problems) and any("stray.nc" in p for p in problems)


def test_default_places_are_results_for_quick_and_data_for_paper():
    root = store.repository_root()
    assert store.result_path("a", "quick") == root / "results" / "quick" / "a.nc"
    assert store.result_path("a", "paper") == root / "data" / "paper" / "a.nc"


def test_result_files_and_the_manifest_have_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        _load(tiny(), tmp_path)
    finally:
        os.umask(old)
    for name in ("tiny.nc", store.MANIFEST):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


def test_a_file_written_under_another_umask_follows_it(tmp_path):
    old = os.umask(0o027)
    try:
        store._atomic(tmp_path / "x.txt", lambda tmp: open(tmp, "w").write("x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o640
