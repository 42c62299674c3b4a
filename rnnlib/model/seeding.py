"""Seeds derived from *what* is computed, never from the order of execution.

Every random draw in rnnlib comes from a :class:`numpy.random.SeedSequence`
obtained by :func:`derive`, which appends stable integer keys (hashes of names,
grid indices, instance numbers) to a root sequence. Two computations that ask
for the same keys get the same stream on any machine, in any process, in any
order.
"""
from __future__ import annotations

import hashlib
from numbers import Integral

import numpy as np

def key_of(part) -> int:
    """Map a name or a non-negative integer to a stable 32-bit key.

    Integers are used as they are (they must fit in 32 bits); strings are
    hashed with BLAKE2b, so the key never depends on Python's hash seed.
    """
    if isinstance(part, Integral) and not isinstance(part, bool):
        if not 0 <= int(part) < 2**32:
            raise ValueError(f"seed key must be an integer in [0, 2**32), got {part!r}")
        return int(part)
    if isinstance(part, str):
        return int.from_bytes(hashlib.blake2b(part.encode(), digest_size=4).digest(), "little")
    raise ValueError(f"seed key must be an int or a str, got {part!r}")


def as_seed_sequence(seed=None) -> np.random.SeedSequence:
    """Turn ``seed`` (int, SeedSequence, Generator or None) into a SeedSequence.

    ``None`` draws fresh entropy from the operating system (not reproducible);
    a Generator contributes one 128-bit draw, so it advances by one call.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int.from_bytes(seed.bytes(16), "little"))
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, Integral) and not isinstance(seed, bool) and int(seed) >= 0:
        return np.random.SeedSequence(int(seed))
    raise ValueError(
        f"seed must be a non-negative int, a numpy SeedSequence, a numpy Generator or None, got {seed!r}")


def derive(seed, *parts) -> np.random.SeedSequence:
    """Child sequence of ``seed`` identified by ``parts`` (names or integers).

    ``derive(s, "dale")`` is the same stream wherever and whenever it is asked
    for, and independent of ``derive(s, "hopfield")``.
    """
    root = as_seed_sequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + tuple(key_of(p) for p in parts),
                                  pool_size=root.pool_size)


def rng(seed, *parts) -> np.random.Generator:
    """A PCG64 Generator on ``derive(seed, *parts)``."""
    return np.random.Generator(np.random.PCG64(derive(seed, *parts)))
