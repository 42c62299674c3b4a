"""Numbered, captioned tables: a Markdown table wrapped in MyST's ``table`` directive.

A chapter prints a table computed by a cell as Markdown (``chapter.say``); myst-nb parses
that output as MyST, so a table wrapped by :func:`captioned` gets a number ("Table 3.2",
per chapter, like the figures), its caption above it and, with ``name``, a label that
``{numref}`` can cite. A table in a Markdown page or cell uses the same directive directly::

    :::{table} What the table shows, and what to look at.
    :name: tab-example
    | a | b |
    | --- | --- |
    :::
"""
from __future__ import annotations

import re

__all__ = ["captioned"]

_NAME = re.compile(r"[a-z][a-z0-9-]*")
_SEPARATOR = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")


def captioned(table: str, caption: str, *, name: str | None = None, css_class: str | None = None) -> str:
    """MyST Markdown of ``table`` (a Markdown pipe table) numbered and titled by ``caption``.

    Parameters
    ----------
    table : str
        A pipe table: a heading line, a separator line (``| --- | --- |``) and rows.
    caption : str
        One line of MyST Markdown (math allowed), shown above the table after its number.
    name : str, optional
        Label for ``{numref}`` (lower-case letters, digits and hyphens, starting with a letter).
    css_class : str, optional
        A class for the style sheet (same spelling rules as ``name``), e.g. ``rnnlib-claims``.

    Raises
    ------
    ValueError
        When ``table`` is not a pipe table, ``caption`` is empty or spans lines, or ``name`` is malformed.
    """
    lines = table.strip().splitlines()
    if len(lines) < 2 or not all(line.startswith("|") for line in lines) or not _SEPARATOR.match(lines[1].replace(" ", "")):
        raise ValueError(f"table must be a Markdown pipe table (heading line, '| --- |' separator, rows), "
                         f"got {table[:80]!r}")
    caption = caption.strip() if isinstance(caption, str) else caption
    if not isinstance(caption, str) or not caption or "\n" in caption:
        raise ValueError(f"caption must be one non-empty line of text, got {caption!r}")
    if name is not None and not (isinstance(name, str) and _NAME.fullmatch(name)):
        raise ValueError(f"name must be lower-case letters, digits and hyphens starting with a letter "
                         f"(e.g. 'tab-spectra'), got {name!r}")
    if css_class is not None and not (isinstance(css_class, str) and _NAME.fullmatch(css_class)):
        raise ValueError(f"css_class must be lower-case letters, digits and hyphens starting with a letter "
                         f"(e.g. 'rnnlib-claims'), got {css_class!r}")
    head = ([f":::{{table}} {caption}"] + ([f":name: {name}"] if name else [])
            + ([f":class: {css_class}"] if css_class else []))
    return "\n".join(head + lines + [":::"])
