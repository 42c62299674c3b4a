"""Words for lists in the sentences the book computes: one rule for every layer that writes them.

Layer 2 (no rnnlib imports), so the statistics, the claims and the book share it.
"""
from __future__ import annotations

__all__ = ["series"]


def series(items) -> str:
    """The items as an English list: ``a``, ``a and b``, ``a, b and c`` (each item through ``str``).

    Raises
    ------
    ValueError
        For no items (there is no sentence to write).
    """
    items = [str(i) for i in items]
    if not items:
        raise ValueError("series needs at least one item, got none")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
