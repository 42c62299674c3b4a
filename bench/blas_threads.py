"""Set the BLAS thread count of this process; must run before numpy is first imported."""
import os


def limit_blas_threads(threads: int) -> None:
    """Export the thread count to OpenBLAS, OpenMP and MKL (0 keeps the library default)."""
    if threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(threads)
