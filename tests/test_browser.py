"""The built site in a real headless Chromium (Debian's, driven by Playwright): figures load, math renders, no errors.

The site is served from 127.0.0.1 (MathJax loads its fonts by URL); every request to another
host is blocked and recorded, so the test also proves the site needs no network.
"""
import functools
import http.server
import shutil
import threading
from urllib.parse import urlparse

import pytest

from rnnlib import book

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = [f.with_suffix(".html").as_posix() for f in book.toc_files()]

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(built_book):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(built_book / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _open(browser, url):
    """Open ``url`` with outside requests blocked; wait for images and MathJax; return (page, blocked, errors)."""
    page = browser.new_page()
    blocked, errors = [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
    page.evaluate("MathJax.startup.promise")
    return page, blocked, errors


@pytest.mark.parametrize("path", PAGES)
def test_page_renders(site, browser, path):
    page, blocked, errors = _open(browser, f"{site}/{path}")
    try:
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.currentSrc, e.complete, e.naturalWidth])")
        broken = [src for src, complete, width in images if not (complete and width > 0)]
        assert not broken, f"{path}: images not loaded: {broken}"
        if path.startswith("chapters/") and path != "chapters/methods.html":  # the appendix has no figure
            assert len(images) > 0, f"{path}: no figure"
        assert page.locator("mjx-container").count() > 0, f"{path}: no rendered math"
        assert page.locator("mjx-merror").count() == 0, f"{path}: MathJax error"
        bad = page.locator(".output.error, .output.traceback, .output.stderr, .cell_output .stderr")
        assert bad.count() == 0, f"{path}: error output on the page"
        assert "Traceback (most recent call last)" not in page.inner_text("body")
        assert not blocked, f"{path}: requests leaving the machine: {blocked}"
        assert not errors, f"{path}: JavaScript errors: {errors}"
    finally:
        page.close()
