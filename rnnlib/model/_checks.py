"""Argument validation shared by every public function.

Each check raises :class:`ValueError` whose message names the parameter, the
allowed range and the value that was given, so that a newcomer sees at once
what to change.

:class:`UsageError` marks the mistakes of a *user* of the command line or of
the experiment pipeline (an unknown experiment, a malformed scheduler address,
an unwritable output file). It is a :class:`ValueError`, so library callers
catch it as one; the command line reports it in one line, while any other
exception keeps its traceback, because it is a bug.
"""
from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np


class UsageError(ValueError):
    """A mistake in what the user asked for (reported by the command line in one line, without traceback)."""


def check_int(name: str, value, lo: int | None = None, hi: int | None = None) -> int:
    """Return ``value`` as ``int`` if it is an integer in ``[lo, hi]``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer{_range(lo, hi, '[', ']')}, got {value!r}")
    value = int(value)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValueError(f"{name} must be an integer{_range(lo, hi, '[', ']')}, got {value!r}")
    return value


def check_real(name: str, value, lo: float | None = None, hi: float | None = None,
               *, lo_open: bool = False, hi_open: bool = False) -> float:
    """Return ``value`` as ``float`` if it is a finite real number in the given interval."""
    left, right = "(" if lo_open else "[", ")" if hi_open else "]"
    bad = isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value))
    if not bad:
        v = float(value)
        bad = ((lo is not None and (v <= lo if lo_open else v < lo))
               or (hi is not None and (v >= hi if hi_open else v > hi)))
    if bad:
        raise ValueError(f"{name} must be a finite number{_range(lo, hi, left, right)}, got {value!r}")
    return float(value)


def check_choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices``."""
    if value not in choices:
        known = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {known}, got {value!r}")
    return value


def check_square(name: str, W) -> np.ndarray:
    """Return ``W`` as a float array if it is a finite, real, square matrix.

    A complex matrix is refused rather than cast to its real part.
    """
    if np.iscomplexobj(W):
        raise ValueError(f"{name} must be a real matrix, got complex values (dtype {np.asarray(W).dtype})")
    try:
        A = np.asarray(W, dtype=float) if not isinstance(W, np.ndarray) or W.dtype.kind not in "f" else W
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite square matrix of numbers, got {type(W).__name__}") from None
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
        raise ValueError(f"{name} must be a square (n, n) matrix with n >= 1, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} must contain only finite values, "
                         f"got {int(np.sum(~np.isfinite(A)))} non-finite entries")
    return A


def check_gains(gains, name: str = "gains") -> np.ndarray:
    """Return ``gains`` as a float array if it is a non-empty 1-d sequence of finite numbers >= 0."""
    try:
        g = np.asarray(gains, dtype=float)
    except (TypeError, ValueError):
        g = None
    if g is None or g.ndim != 1 or g.size < 1 or not np.all(np.isfinite(g)) or np.any(g < 0):
        raise ValueError(f"{name} must be finite non-negative numbers (a non-empty 1-d array), got {gains!r}")
    return g


def check_dtype(dtype) -> np.dtype:
    """Return the numpy dtype if it is float32 or float64."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return dt


def _range(lo, hi, left, right) -> str:
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f" {'>' if left == '(' else '>='} {lo}"
    if lo is None:
        return f" {'<' if right == ')' else '<='} {hi}"
    return f" in {left}{lo}, {hi}{right}"
