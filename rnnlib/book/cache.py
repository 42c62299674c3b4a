"""Book artefacts made once: files kept under a fingerprint of everything they depend on.

Some of what the chapters show depends only on fixed inputs and on the code, not on the stored
results: the explorer frames, for instance, are the same figures at every build. They are
computed once and kept, like the results of :mod:`rnnlib.pipeline.store`:

- the **key** is the SHA-256 of the inputs (canonical JSON), the rnnlib version,
  :data:`CACHE_SALT` and a hash of the source of the code that draws them (every module of
  ``rnnlib/model`` and ``rnnlib/book``, or all of it) together with the versions of numpy,
  matplotlib, scipy and xarray, so a
  change of any of these is a miss, never a stale hit;
- a file is written to a temporary name and renamed into place (an interrupted write never leaves
  a half file under the real name; two processes writing one key both leave a whole file);
- a file carries the SHA-256 of its payload on its first line; a file that does not match (cut
  short, altered) is reported with :class:`CorruptCacheWarning`, removed and computed again.

Files live in ``<root>/<kind>/<key>``; ``root`` is the environment variable :data:`CACHE_ENV` when
set, otherwise ``results/cache`` in the repository (git-ignored). Deleting the folder is always safe.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import warnings
from pathlib import Path

from .._version import __version__
from ..pipeline.store import _atomic, repository_root

__all__ = ["ALL_CODE", "CACHE_ENV", "CACHE_SALT", "CorruptCacheWarning", "cache_root", "cache_key", "load", "remembered", "save"]

#: Environment variable naming the cache folder (default ``results/cache`` in the repository).
CACHE_ENV = "RNNLIB_CACHE"
#: Changed by hand when a cached artefact changes for a reason the key cannot see.
CACHE_SALT = "2026-12-04.1"
_CODE_FOLDERS = ("model", "book")


class CorruptCacheWarning(UserWarning):
    """A cached file did not match its checksum; it is removed and computed again."""


def cache_root() -> Path:
    """The cache folder: ``$RNNLIB_CACHE`` or ``<repository>/results/cache``."""
    return Path(os.environ.get(CACHE_ENV) or repository_root() / "results" / "cache")


#: Every folder of the package, for artefacts that depend on all of its code (an executed chapter).
ALL_CODE = ("", "model", "statistics", "reservoir", "pipeline", "claims", "book")


@functools.lru_cache(maxsize=4)
def _code_hash(folders: tuple = _CODE_FOLDERS) -> str:
    """SHA-256 over the source files of ``folders`` of the package and the versions of the numerical libraries."""
    import matplotlib
    import numpy
    import scipy
    import xarray

    h = hashlib.sha256(f"numpy {numpy.__version__} matplotlib {matplotlib.__version__} scipy {scipy.__version__} "
                       f"xarray {xarray.__version__}".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(p for folder in folders for p in (package / folder).glob("*.py")):
        h.update(f"{path.parent.name}/{path.name}".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def cache_key(kind: str, inputs: dict, *, code: tuple = _CODE_FOLDERS) -> str:
    """SHA-256 (hex) of ``kind``, ``inputs`` (canonical JSON), the rnnlib version, :data:`CACHE_SALT` and the code.

    ``code`` names the folders of the package whose source counts (default the model and book
    layers; :data:`ALL_CODE` for everything).
    """
    blob = json.dumps({"kind": kind, "inputs": inputs, "rnnlib": __version__, "salt": CACHE_SALT,
                       "code": _code_hash(tuple(code))}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _path(kind: str, key: str, root) -> Path:
    return Path(root if root is not None else cache_root()) / kind / key


def load(kind: str, key: str, root=None) -> bytes | None:
    """The payload stored under ``key``, or ``None`` when there is none or it is corrupt (then it is removed)."""
    path = _path(kind, key, root)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    digest, _, payload = blob.partition(b"\n")
    if digest.decode("ascii", "replace") != hashlib.sha256(payload).hexdigest():
        warnings.warn(f"cached {kind} file {path} is corrupt (checksum mismatch); computing it again",
                      CorruptCacheWarning, stacklevel=2)
        path.unlink(missing_ok=True)
        return None
    return payload


def save(kind: str, key: str, payload: bytes, root=None) -> Path:
    """Store ``payload`` under ``key`` atomically, with its checksum; return the file."""
    path = _path(kind, key, root)

    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload)

    _atomic(path, write)
    return path


def remembered(kind: str, inputs: dict, compute, root=None):
    """``compute()``, a JSON-serialisable value, read from the cache under ``inputs`` when it is there.

    On a miss the value is computed and stored (:func:`save`); a hit returns what JSON gives back
    (tuples come back as lists). ``inputs`` must hold everything ``compute`` depends on besides the code.
    """
    key = cache_key(kind, inputs)
    stored = load(kind, key, root)
    if stored is not None:
        return json.loads(stored)
    value = compute()
    save(kind, key, json.dumps(value, sort_keys=True).encode(), root)
    return value
