"""Running chunks of cells: serially, on a local process pool, or on a dask.distributed cluster.

The work of an experiment is a list of *chunks* (arrays of cell indices).
:func:`run_chunks` evaluates ``func(chunk)`` for each and hands every result
back to the calling process as soon as it is finished (``on_result``), where
it is written to disk, so an interruption loses at most the chunks in flight.
Which executor ran a chunk never changes its numbers: a cell's result depends
only on the cell (seeds are derived from what is computed, and the cell
function pins BLAS to one thread, see :func:`rnnlib.pipeline.engine.compute_cells`).

A scheduler address is checked (:func:`check_scheduler`) before any client is
made, so a malformed one fails at once with one clear message.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
from tqdm.auto import tqdm

from . import store
from ..model._checks import UsageError, check_int
from .._version import __version__

__all__ = ["CONNECT_TIMEOUT", "check_scheduler", "plan_chunks", "resolve_workers", "run_chunks"]

#: Seconds to wait for a dask scheduler before giving up.
CONNECT_TIMEOUT = 10
#: Chunks per worker that :func:`plan_chunks` aims for (more: finer resume and progress; fewer: less overhead).
CHUNKS_PER_WORKER = 8
#: ``[scheme://]host:port`` of a dask.distributed scheduler (IPv6 hosts in brackets).
_ADDRESS = re.compile(r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d{1,5})$")
SCHEMES = ("tcp", "tls", "ucx", "ws", "wss")


def check_scheduler(scheduler):
    """Return ``scheduler`` if it is ``None``, a ``distributed.Client`` or a well-formed address.

    An address is ``[scheme://]host:port`` with a scheme of :data:`SCHEMES`
    (default tcp) and a port in [1, 65535], e.g. ``"tcp://10.0.0.5:8786"``.
    Only the form is checked here; whether a scheduler answers is found out
    when connecting.

    Raises
    ------
    UsageError
        For anything else, naming the expected form and the value given.
    """
    if scheduler is None or hasattr(scheduler, "submit"):
        return scheduler
    match = _ADDRESS.match(scheduler) if isinstance(scheduler, str) else None
    if match is None or (match["scheme"] or "tcp") not in SCHEMES or not 1 <= int(match["port"]) <= 65535:
        raise UsageError(f"scheduler must be a Dask scheduler address [scheme://]host:port with scheme "
                         f"{', '.join(SCHEMES)} and port 1 to 65535 (e.g. tcp://10.0.0.5:8786), or a "
                         f"distributed.Client; got {scheduler!r}")
    return scheduler


def resolve_workers(workers=None) -> int:
    """Number of local worker processes: ``workers``, or every core when ``None``."""
    if workers is None:
        return os.cpu_count() or 1
    return check_int("workers", workers, 1)


def plan_chunks(cells, chunk_size=None, workers=None) -> list[np.ndarray]:
    """Cut ``cells`` (in order) into consecutive chunks of ``chunk_size`` cells.

    By default about :data:`CHUNKS_PER_WORKER` chunks per worker.
    """
    cells = np.asarray(cells, np.int64)
    if cells.size == 0:
        return []
    if chunk_size is None:
        chunk_size = max(1, math.ceil(cells.size / (CHUNKS_PER_WORKER * resolve_workers(workers))))
    chunk_size = check_int("chunk_size", chunk_size, 1)
    return [cells[i:i + chunk_size] for i in range(0, cells.size, chunk_size)]


def _timed(func, chunk):
    """``(chunk, func(chunk), seconds)``; runs in the worker."""
    start = time.perf_counter()
    result = func(chunk)
    return chunk, result, time.perf_counter() - start


def run_chunks(func, chunks, *, workers=None, scheduler=None, progress=True, desc=None, total=None,
               initial=0, on_result=None) -> None:
    """Evaluate ``func(chunk)`` for every chunk and call ``on_result(chunk, result, seconds)`` here.

    Parameters
    ----------
    func : picklable callable
        ``func(cells) -> result`` (a module-level function or a partial of one).
    chunks : list of arrays
    workers : int, optional
        Local processes; ``None`` uses every core, ``1`` runs serially in this process.
    scheduler : str or distributed.Client, optional
        A dask.distributed scheduler address (e.g. ``"tcp://10.0.0.5:8786"``) or client; takes
        precedence over ``workers``.
    progress : bool
        tqdm bar over cells (counted by chunk lengths), with rate and time left.
    desc, total, initial : progress bar label, total cells, cells already done.
    on_result : callable
        Receives each finished chunk in the calling process.

    Raises
    ------
    UsageError
        When ``scheduler`` is not a well-formed address (:func:`check_scheduler`).
    ConnectionError
        When the scheduler cannot be reached.
    """
    check_scheduler(scheduler)
    on_result = on_result or (lambda chunk, result, seconds: None)
    total = sum(map(len, chunks)) + initial if total is None else total
    with tqdm(total=total, initial=initial, desc=desc, unit="cell", disable=not progress, smoothing=0.1) as bar:
        for chunk, result, seconds in _executor(func, chunks, workers, scheduler):
            on_result(chunk, result, seconds)
            bar.update(len(chunk))


def _executor(func, chunks, workers, scheduler):
    if not chunks:
        return
    if scheduler is not None:
        yield from _dask(func, chunks, scheduler)
        return
    workers = min(resolve_workers(workers), len(chunks))
    if workers == 1:
        for chunk in chunks:
            yield _timed(func, chunk)
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(_timed, func, chunk) for chunk in chunks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            for fut in futures:
                fut.cancel()


def code_version() -> tuple:
    """(rnnlib version, CODE_SALT) of this process: what a worker must share with the client."""
    return __version__, store.CODE_SALT


def _check_workers(client) -> None:
    """Refuse a cluster whose workers cannot import rnnlib or run another version of its numerics."""
    try:
        versions = client.run(code_version)
    except Exception as exc:  # noqa: BLE001 - e.g. rnnlib missing on a worker
        raise ConnectionError(f"the Dask workers cannot run rnnlib ({type(exc).__name__}: {exc}); "
                              "install the same rnnlib on every worker") from None
    other = {w: v for w, v in versions.items() if tuple(v) != code_version()}
    if other:
        raise ConnectionError(f"Dask workers run other rnnlib code than this process {code_version()}: {other}")


def _dask(func, chunks, scheduler):
    from distributed import Client, as_completed as dask_completed
    own = not hasattr(scheduler, "submit")
    if own:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - any failure to connect is the user's address
            raise ConnectionError(f"cannot reach the Dask scheduler at {scheduler!r}: "
                                  f"{type(exc).__name__}: {exc}") from None
    else:
        client = scheduler
    try:
        _check_workers(client)
        futures = [client.submit(_timed, func, chunk, pure=False) for chunk in chunks]
        for fut in dask_completed(futures, loop=client.loop):
            yield fut.result()
    finally:
        if own:
            client.close()
