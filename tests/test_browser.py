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
NO_MATH = {"bibliography.html"}  # a list of references: Sphinx loads no MathJax there
EXPLORER_PAGES = ["chapters/dale.html", "chapters/reciprocity.html", "chapters/modularity.html",
                  "chapters/protection.html"]
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
    page.wait_for_function("!document.querySelector('script[src*=\"tex-chtml\"]') || "
                           "(window.MathJax && MathJax.startup && MathJax.startup.promise)", timeout=30_000)
    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
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
        if path not in NO_MATH:
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
        assert sliders.count() == 3, f"{path}: expected sliders for the control, the strength and the balance"
        caption = page.locator("figure:has(.rnnlib-explorer) figcaption .caption-text")
        assert caption.count() == 1, f"{path}: the explorer has no figure caption"
        for k in range(sliders.count()):
            slider = sliders.nth(k)
            before_src, before_pixels = img.get_attribute("src"), img.screenshot()
            moved = "0" if slider.input_value() != "0" else slider.get_attribute("max")
            slider.fill(moved)  # sets the value and fires the input event, as dragging does
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
            assert img.get_attribute("src") != before_src, f"{path}: slider {k} did not switch the frame"
            assert img.screenshot() != before_pixels, f"{path}: slider {k} left the picture unchanged"
            value = slider.locator("xpath=following-sibling::output").inner_text()
            symbol = slider.get_attribute("data-symbol")
            assert value != "", path
            # the caption follows the sliders: it states the value this slider now shows
            assert f"{symbol} = {value}" in caption.inner_text(), (path, k, caption.inner_text())
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


# ---------------------------------------------------------------- every screen, print and course use (issue 21)

WIDTHS = {"phone": 390, "desktop": 1280}

_SHAPES_JS = """() => [...document.querySelectorAll('article.bd-article img')].filter(img => {
    const r = img.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && img.naturalWidth > 0;
}).map(img => {
    const r = img.getBoundingClientRect();
    const figure = img.closest('figure'), number = figure && figure.querySelector('.caption-number');
    return {name: number ? number.innerText.trim() : img.currentSrc.split('/').pop().slice(0, 30),
            intrinsic: img.naturalWidth / img.naturalHeight, shown: r.width / r.height, width: r.width};
})"""
_TABLES_JS = """() => [...document.querySelectorAll('article.bd-article table')].map(t => {
    const number = t.querySelector(':scope > caption .caption-number');
    const text = t.querySelector(':scope > caption .caption-text');
    return {number: number ? number.innerText.trim() : '', caption: text ? text.innerText.trim() : '',
            head: (t.querySelector('tr') || t).innerText.slice(0, 50).replace(/\\s+/g, ' ')};
})"""


def _reader_page(browser, url, width):
    """A page at ``width`` CSS px with console errors and script errors recorded; MathJax done."""
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 600 else 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico") else None)
    page.goto(url, wait_until="load")
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=60_000)
    # MathJax is loaded only by pages with math (the bibliography has none).
    page.wait_for_function("!document.querySelector('script[src*=\"tex-chtml\"]') || "
                           "(window.MathJax && MathJax.startup && MathJax.startup.promise)", timeout=60_000)
    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    return page, errors


def _distorted(page):
    return [f"{s['name']}: shown {s['shown']:.3f} wide per high against {s['intrinsic']:.3f} drawn "
            f"({s['width']:.0f} px wide)" for s in page.evaluate(_SHAPES_JS)
            if abs(s["shown"] / s["intrinsic"] - 1) > 0.02]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PAGES)
def test_pages_keep_their_shape_on_every_screen_and_in_print(site, browser, path, width):
    """At phone and desktop width and in print: every visible image keeps its drawn aspect ratio (within 2%),
    the page never scrolls sideways, and no script or console error occurs."""
    page, errors = _reader_page(browser, f"{site}/{path}", width)
    try:
        problems = [f"screen: {p}" for p in _distorted(page)]
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            problems.append(f"the page scrolls sideways by {overflow} px at {width} px")
        page.emulate_media(media="print")
        problems += [f"print: {p}" for p in _distorted(page)]
        problems += errors
        assert not problems, f"{path} at {width} px:\n" + "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("chapters/")])
def test_solutions_open_from_their_title(site, browser, path, width):
    """A click on a solution's title, on its link back to the exercise included, shows the solution,
    stays on the page and raises no error; a second click hides it again."""
    page, errors = _reader_page(browser, f"{site}/{path}", width)
    try:
        solutions = page.locator("div.solution.dropdown")
        if solutions.count() == 0:
            pytest.skip(f"{path} has no solution")
        for k in range(solutions.count()):
            solution = solutions.nth(k)
            title, body = solution.locator(":scope > .admonition-title"), solution.locator(":scope > section")
            link = title.locator("a")
            target = link.first if link.count() else title
            target.scroll_into_view_if_needed()
            before = page.url
            assert not body.first.is_visible(), f"{path}: solution {k + 1} is open before any click"
            target.click()
            page.wait_for_timeout(100)
            assert body.first.is_visible(), f"{path}: solution {k + 1} did not open from its title"
            assert page.url == before, f"{path}: clicking solution {k + 1}'s title left the page for {page.url}"
            title.click(position={"x": 5, "y": 5})
            page.wait_for_timeout(100)
            assert not body.first.is_visible(), f"{path}: solution {k + 1} did not close from its title"
        assert not errors, f"{path}: {errors}"
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_table_is_numbered_and_captioned(site, browser, path):
    """Each table of a page has a caption "Table <chapter>.<n>" with text, like the figures."""
    page, _ = _reader_page(browser, f"{site}/{path}", 1280)
    try:
        bad = [t["head"] for t in page.evaluate(_TABLES_JS)
               if not re.fullmatch(r"Table \d+(\.\d+)*", t["number"]) or len(t["caption"]) < 10]
        assert not bad, f"{path}: tables without number or caption (first row): {bad}"
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_wide_tables_say_they_scroll(site, browser, path):
    """On a phone a table wider than the column scrolls in its own box, and exactly those boxes show the
    line that says so (the methods appendix has such a table: it must be found wide)."""
    page, errors = _reader_page(browser, f"{site}/{path}", 390)
    try:
        boxes = page.evaluate("""() => [...document.querySelectorAll('article.bd-article .pst-scrollable-table-container')]
            .map(b => ({wide: b.scrollWidth > b.clientWidth + 1, cue: getComputedStyle(b, '::after').content}))""")
        if path == "chapters/methods.html":
            assert any(b["wide"] for b in boxes), f"{path}: no table wider than a phone"
        assert all(b["wide"] == (b["cue"] not in ("none", "normal", "")) for b in boxes), f"{path}: {boxes}"
        assert not errors, errors
    finally:
        page.close()
