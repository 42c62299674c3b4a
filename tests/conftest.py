"""Shared fixtures. ``built_book``: the book, executed and built once per test session; ``c4_data``: synthetic
input of claim C4.

The profile is ``quick`` (as in CI) unless the environment variable ``RNNLIB_TEST_BOOK_PROFILE``
says ``paper``: ``RNNLIB_TEST_BOOK_PROFILE=paper python -m pytest tests/test_book.py tests/test_browser.py``
checks the published (paper) book the same way.
"""
import os

import pytest

#: The repository the test build's launch and repository buttons point at (never contacted).
TEST_REPOSITORY = "https://github.com/example-owner/example-book"


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Execute every chapter and build the site with -W, once; yields the build folder.

    Used by tests/test_book.py and tests/test_browser.py. The folder holds ``staging/`` (the
    executed notebooks) and ``html/`` (the site).
    """
    from rnnlib.book import build as book

    output = tmp_path_factory.mktemp("book")
    book.build(os.environ.get("RNNLIB_TEST_BOOK_PROFILE", "quick"), output=output, repository_url=TEST_REPOSITORY)
    return output


def _c4_data(accuracy=-0.05, saturation=0.03, link=-0.8, matched=(-0.05, 0.03, -0.8), seed=1):
    """``reciprocity_reservoir`` and its matched counterpart (same draws) joined to it, or None for ``matched=None``.

    ``accuracy`` and ``saturation`` are the true changes of every cell (numbers or arrays over the cells),
    ``link`` the within-cell correlation of the accuracy noise with the saturation noise
    (:func:`rnnlib.statistics.synthetic.reservoir_dataset`); ``matched`` the same three at matched coupling.
    """
    from rnnlib.experiments import join_matched
    from rnnlib.statistics.synthetic import reservoir_dataset
    same = reservoir_dataset("reciprocity", accuracy, saturation_effect=saturation, link=link, seed=seed)
    if matched is None:
        return same, None
    acc, sat, lnk = matched
    other = reservoir_dataset("reciprocity", acc, saturation_effect=sat, link=lnk, seed=seed)
    return same, join_matched(same, other.sel(reciprocity=[1.0]))


@pytest.fixture
def c4_data():
    """The input of claim C4 (``claim_saturation(*c4_data(...))``): :func:`_c4_data`."""
    return _c4_data
