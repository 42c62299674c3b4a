"""Shared fixtures. ``built_book``: the book, executed and built once per test session.

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
