"""Helpers shared by the benchmarks: BLAS thread count, timing, this machine's matrix-product peak.

Importing this module does not import numpy, so :func:`limit_blas_threads`
can run before numpy (and its BLAS) is loaded.
"""
import os
import time


def limit_blas_threads(threads: int) -> None:
    """Export the thread count to OpenBLAS, OpenMP and MKL (0 keeps the library default)."""
    if threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(threads)


def timed(fn):
    """``(seconds, result)`` of one call of ``fn``."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def matmul_peak(size=2048, repeats=5) -> float:
    """float64 FLOP/s of a (size x size) @ (size x size) numpy product, best of ``repeats``."""
    import numpy as np

    A = np.random.default_rng(0).standard_normal((size, size))
    return 2 * size ** 3 / min(timed(lambda: A @ A)[0] for _ in range(repeats))
