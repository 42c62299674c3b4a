"""The result store: fingerprinted NetCDF files, resumable chunk files and a manifest.

It knows files, fingerprints and manifests, nothing of what the numbers mean:
recomputing stored cells to check them is :mod:`rnnlib.pipeline.verify`, one layer up.

Layout of a store directory (``results/quick`` or ``data/paper`` by default)::

    <name>.nc             one experiment's xarray.Dataset (h5netcdf engine)
    <name>.nc.partial/    finished chunks of an unfinished run (removed when the run completes)
    manifest.json         per experiment: fingerprint, bytes, sha256, wall time, machine

The **fingerprint** is the SHA-256 of the experiment's complete parameter set
for the profile, the rnnlib version and :data:`CODE_SALT`. A stored file is
used only when its fingerprint matches and it reads back intact: every file
carries in its attributes the SHA-256 of its own values (``content_sha256``),
so a truncated or altered file is detected, reported with a
:class:`CorruptResultWarning` and recomputed, never used. Every file is
written to a temporary name and renamed into place, so an interruption (even
``kill -9``) never leaves a half-written result under the real name; it gets
the usual permissions of a new file (``0666`` less the umask, e.g. ``0644``).
Processes of one machine that compute the same experiment take turns
(:func:`locked`): the second one finds the first one's result and loads it.
"""
from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import xarray as xr

from .._version import __version__

__all__ = ["CODE_SALT", "CorruptResultWarning", "MissingResultError", "Partial", "content_hash",
           "default_root", "fingerprint", "locked", "open_result", "read", "read_manifest", "record", "result_path",
           "verify_manifest", "write"]

#: Version of the numerics behind stored results. **Bump it whenever a code change alters any
#: computed number** (simulation, signatures, constructions, tasks, readout) without changing a
#: declared parameter: the fingerprint then changes and every stored result is recomputed.
CODE_SALT = "2026-11-25.2"
ENGINE = "h5netcdf"
MANIFEST = "manifest.json"
_log = logging.getLogger("rnnlib.pipeline.store")


class CorruptResultWarning(UserWarning):
    """A stored result could not be read back intact and is being recomputed."""


class MissingResultError(FileNotFoundError):
    """No current stored result, and computing it was not allowed."""


# --------------------------------------------------------------------------- names and places

def fingerprint(parameters: dict) -> str:
    """SHA-256 (hex) of ``parameters`` (canonical JSON), the rnnlib version and :data:`CODE_SALT`."""
    blob = json.dumps({"parameters": parameters, "rnnlib": __version__, "salt": CODE_SALT},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def repository_root() -> Path:
    """The directory that holds the ``rnnlib`` package (the repository, for an editable install)."""
    return Path(__file__).resolve().parents[2]


def default_root(profile: str) -> Path:
    """``results/quick`` (scratch, git-ignored) or ``data/paper`` (committed) under the repository."""
    return repository_root() / ("data/paper" if profile == "paper" else f"results/{profile}")


def result_path(name: str, profile: str, store=None) -> Path:
    """File of experiment ``name``: ``<store or default_root(profile)>/<name>.nc``."""
    return Path(store if store is not None else default_root(profile)) / f"{name}.nc"


@contextlib.contextmanager
def locked(path):
    """Hold an exclusive lock on ``path`` against other processes of this machine (``fcntl.flock``).

    The lock file lives in the system's temporary directory, not next to the
    data, so nothing extra appears in the store.
    """
    folder = Path(tempfile.gettempdir()) / "rnnlib-locks"
    folder.mkdir(exist_ok=True)
    key = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:32]
    with open(folder / f"{key}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"rnnlib: waiting for another process that is computing {Path(path).name} "
                  f"(lock {handle.name}; stop that process if it hangs)", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- whole files

def content_hash(ds: xr.Dataset) -> str:
    """SHA-256 over the names, dtypes, shapes and bytes of every variable and coordinate of ``ds``."""
    h = hashlib.sha256()
    for name in sorted(map(str, ds.variables)):
        values = np.asarray(ds[name].values)
        if values.dtype.kind in "OU":
            values = np.asarray(values.astype(str), dtype="U")
        h.update(f"{name}|{values.dtype.str}|{values.shape}|{ds[name].dims}".encode())
        h.update(np.ascontiguousarray(values).tobytes())
    return h.hexdigest()


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic(path: Path, write_to) -> None:
    """Call ``write_to(tmp)`` on a temporary file next to ``path``, then rename it into place.

    The temporary file (created private, mode 0600) gets the mode of a newly
    created file, ``0666 & ~umask``, before the rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".tmp-", dir=path.parent)
    os.close(fd)
    try:
        write_to(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write(ds: xr.Dataset, path) -> Path:
    """Write ``ds`` atomically as NetCDF (zlib-compressed), with its ``content_sha256`` attribute."""
    path = Path(path)
    ds = ds.copy()
    ds.attrs["content_sha256"] = content_hash(ds)
    encoding = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars}
    _atomic(path, lambda tmp: ds.to_netcdf(tmp, engine=ENGINE, encoding=encoding))
    return path


def open_result(path) -> xr.Dataset:
    """Read a stored file fully into memory and check its content hash; raise on any damage."""
    with xr.open_dataset(path, engine=ENGINE) as f:
        ds = f.load()
    if ds.attrs.get("content_sha256") != content_hash(ds):
        raise ValueError("its values do not match the content_sha256 recorded when it was written")
    return ds


def read(path, fingerprint: str | None = None) -> xr.Dataset | None:
    """The stored dataset at ``path`` if it reads back intact and has ``fingerprint``; else ``None``.

    A missing file returns ``None`` quietly; a stale one (other fingerprint)
    is logged; an unreadable, truncated or altered one raises a
    :class:`CorruptResultWarning` and is not used.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        ds = open_result(path)
    except Exception as exc:  # noqa: BLE001 - any failure to read back means "do not use"
        warnings.warn(f"stored result {path} is corrupt or truncated ({type(exc).__name__}: {exc}); "
                      "recomputing it", CorruptResultWarning, stacklevel=3)
        return None
    if fingerprint is not None and ds.attrs.get("fingerprint") != fingerprint:
        _log.info("stored result %s is stale (fingerprint differs); recomputing", path)
        return None
    return ds


# --------------------------------------------------------------------------- chunks of a running experiment

class Partial:
    """Finished chunks of one experiment's run, in ``<path>.partial/``, keyed by its fingerprint.

    Each chunk is an ``.npz`` file with the flat indices of its cells, one
    array per variable and the seconds it took, written atomically. A
    directory left by a run with another fingerprint is discarded.
    """

    def __init__(self, path, fingerprint: str):
        self.dir = Path(str(path) + ".partial")
        stamp = self.dir / "FINGERPRINT"
        if self.dir.exists() and (not stamp.exists() or stamp.read_text().strip() != fingerprint):
            shutil.rmtree(self.dir)
        if not self.dir.exists():
            self.dir.mkdir(parents=True)
            _atomic(stamp, lambda tmp: Path(tmp).write_text(fingerprint))

    def _files(self):
        return sorted(self.dir.glob("chunk-*.npz"))

    def _load(self, file):
        try:
            with np.load(file) as z:
                return {k: z[k] for k in z.files}
        except Exception as exc:  # noqa: BLE001 - a damaged chunk is recomputed
            warnings.warn(f"chunk file {file} is unreadable ({exc}); recomputing its cells",
                          CorruptResultWarning, stacklevel=3)
            file.unlink()
            return None

    def done(self) -> np.ndarray:
        """Flat indices of the cells already computed."""
        parts = [z["cells"] for z in map(self._load, self._files()) if z is not None]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def save(self, cells, results: dict, seconds: float, *, copied: bool = False) -> None:
        """Store one finished chunk (``copied``: its results were copied from another experiment's, not computed)."""
        cells = np.asarray(cells, np.int64)
        file = self.dir / f"chunk-{int(cells[0]):07d}-{cells.size:05d}.npz"

        def dump(tmp):
            with open(tmp, "wb") as f:
                np.savez(f, cells=cells, seconds=np.float64(seconds), copied=np.bool_(copied), **results)
        _atomic(file, dump)

    def collect(self, names) -> tuple:
        """(cells, {variable: array}, total seconds, cells copied) over every chunk."""
        parts = [z for z in map(self._load, self._files()) if z is not None]
        cells = np.concatenate([z["cells"] for z in parts])
        results = {v: np.concatenate([z[v] for z in parts]) for v in names}
        copied = sum(z["cells"].size for z in parts if bool(z.get("copied", False)))
        return cells, results, float(sum(z["seconds"] for z in parts)), int(copied)

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------- manifest

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def machine() -> dict:
    """What the timing in the manifest was measured on."""
    cpu = platform.processor()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.system(), "python": platform.python_version(),
            "numpy": np.__version__}


def read_manifest(root) -> dict:
    """The manifest of store directory ``root`` (experiment -> entry), empty when there is none."""
    file = Path(root) / MANIFEST
    return json.loads(file.read_text()) if file.exists() else {}


def record(path, ds: xr.Dataset, *, wall_time: float, compute_time: float, copied: int = 0) -> dict:
    """Enter the file at ``path`` (holding ``ds``) in its directory's ``manifest.json``.

    ``wall_time`` is the run that finished the file, ``compute_time`` the sum
    of all chunk times (the serial cost, over every resumed run), ``copied``
    the number of its cells copied from other experiments' results instead of
    computed (``cells_copied``; their time is not in ``compute_time``).
    """
    path = Path(path)
    entry = {"experiment": ds.attrs["experiment"], "profile": ds.attrs["profile"], "file": path.name,
             "fingerprint": ds.attrs["fingerprint"], "bytes": path.stat().st_size, "sha256": _sha256(path),
             "wall_time_s": round(wall_time, 3), "compute_time_s": round(compute_time, 3),
             "cells_copied": int(copied), "machine": machine(),
             "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    with locked(path.parent / MANIFEST):
        manifest = read_manifest(path.parent)
        manifest[entry["experiment"]] = entry
        text = json.dumps(dict(sorted(manifest.items())), indent=1) + "\n"
        _atomic(path.parent / MANIFEST, lambda tmp: Path(tmp).write_text(text))
    return entry


def verify_manifest(root) -> list[str]:
    """Problems with the manifest of store directory ``root``: missing, unlisted or changed files."""
    root = Path(root)
    manifest = read_manifest(root)
    problems = [f"{root / MANIFEST} is missing"] if not (root / MANIFEST).exists() else []
    for name, entry in manifest.items():
        file = root / entry["file"]
        if not file.exists():
            problems.append(f"{name}: {file} is listed in the manifest but missing")
        elif file.stat().st_size != entry["bytes"] or _sha256(file) != entry["sha256"]:
            problems.append(f"{name}: {file} differs from the manifest (size or sha256)")
    listed = {e["file"] for e in manifest.values()}
    problems += [f"{f.name} is not in the manifest" for f in sorted(root.glob("*.nc")) if f.name not in listed]
    return problems
