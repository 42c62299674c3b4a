"""The built site in a real headless Chromium (driven by Playwright): figures load, math renders, no errors.

The site is served from 127.0.0.1 (MathJax loads its fonts by URL); every request to another
host is blocked and recorded, so the test also proves the site needs no network.

The browser is a Chromium on PATH (Debian's ``chromium``) or else Playwright's own build; with
neither, every test fails with one line naming the command that installs one.
"""
import functools
import http.server
import shutil
import threading
from urllib.parse import urlparse

import pytest
from playwright import sync_api

from rnnlib.book import build as book

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = [f.with_suffix(".html").as_posix() for f in book.toc_files()]
EXPLORER_PAGES = ["chapters/dale.html", "chapters/reciprocity.html", "chapters/modularity.html"]
NO_BROWSER = ("no Chromium for the browser test: run .ci/install-browser (Debian's chromium via apt-get as root, "
              "otherwise python -m playwright install chromium)")


def launch_chromium(playwright):
    """Chromium on PATH if there is one, else Playwright's own; a missing browser fails the test in one line."""
    system = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        return playwright.chromium.launch(executable_path=system, args=ARGS)
    except sync_api.Error as err:
        if system is not None or "Executable doesn't exist" not in str(err):
            raise
    pytest.fail(NO_BROWSER, pytrace=False)  # outside the except block: no chained Playwright message


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


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
def test_page_renders(browser, site, path):
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


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_explorer_slider_changes_the_picture(browser, site, path):
    page, blocked, errors = _open(browser, f"{site}/{path}")
    try:
        explorer = page.locator(".rnnlib-explorer")
        assert explorer.count() == 1, f"{path}: no precomputed explorer"
        img, sliders = explorer.locator("img"), explorer.locator("input[type=range]")
        assert sliders.count() >= 2, f"{path}: expected sliders for the control and the strength"
        for k in range(sliders.count()):
            slider = sliders.nth(k)
            before_src, before_pixels = img.get_attribute("src"), img.screenshot()
            moved = "0" if slider.input_value() != "0" else slider.get_attribute("max")
            slider.fill(moved)  # sets the value and fires the input event, as dragging does
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
            assert img.get_attribute("src") != before_src, f"{path}: slider {k} did not switch the frame"
            assert img.screenshot() != before_pixels, f"{path}: slider {k} left the picture unchanged"
            assert slider.locator("xpath=following-sibling::output").inner_text() != "", path
        assert not blocked and not errors, (blocked, errors)
    finally:
        page.close()


# ---------------------------------------------------------------- figures a reader can read (issue 11)

import re  # noqa: E402  (kept with the checks below, apart from the launch fixtures above)

_FIGURES_JS = """() => [...document.querySelectorAll('article.bd-article img')].map(img => {
    const figure = img.closest('figure'), caption = figure && figure.querySelector('figcaption');
    const number = caption && caption.querySelector('.caption-number');
    return {src: img.currentSrc.split('/').pop().slice(0, 40), alt: (img.getAttribute('alt') || '').trim(),
            number: number ? number.innerText.trim() : '', caption: caption ? caption.innerText.trim() : '',
            natural: img.naturalWidth, shown: img.getBoundingClientRect().width, dpr: window.devicePixelRatio};
})"""
_FILE_NAME = re.compile(r"(\.(png|jpe?g|gif|svg|webp)$)|(^[0-9a-f]{16,})", re.IGNORECASE)


@pytest.mark.parametrize("path", PAGES)
def test_every_figure_is_numbered_described_and_sharp(site, browser, path):
    """Each image of a page: in a figure with a numbered caption, alt text that is a description, and drawn
    at the size it is shown at with one image pixel per device pixel on a 2x screen (neither shrunk, which
    makes its text smaller than designed, nor enlarged, which blurs it)."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, device_scale_factor=2)
    try:
        page.goto(f"{site}/{path}", wait_until="load")
        page.wait_for_function("[...document.images].every(i => i.complete)", timeout=30_000)
        problems = []
        for fig in page.evaluate(_FIGURES_JS):
            name = fig["number"] or fig["src"]
            if not re.fullmatch(r"Figure \d+(\.\d+)*", fig["number"]) or len(fig["caption"]) <= len(fig["number"]) + 10:
                problems.append(f"{fig['src']}: no numbered caption ({fig['caption'][:40]!r})")
            if len(fig["alt"]) < 20 or _FILE_NAME.search(fig["alt"]):
                problems.append(f"{name}: alt text {fig['alt']!r} does not describe the figure")
            scale = fig["natural"] / (fig["shown"] * fig["dpr"]) if fig["shown"] else float("inf")
            if not 0.97 <= scale <= 1.03:
                problems.append(f"{name}: {fig['natural']} image pixels shown {fig['shown']:.0f} px wide at "
                                f"{fig['dpr']}x ({scale:.2f} image pixels per device pixel, want 1)")
        assert not problems, f"{path}:\n" + "\n".join(problems)
    finally:
        page.close()
