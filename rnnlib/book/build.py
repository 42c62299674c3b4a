"""Build the executable book: papermill runs every chapter, then Jupyter Book renders the executed copies.

``build(profile)`` works in three steps, all under ``output`` (default ``_build``):

1. ``staging/``: a copy of the book sources (``_config.yml``, ``_toc.yml``, the
   pages listed in the table of contents, ``references.bib``) in which every
   selected notebook is replaced by its papermill-executed version, run with the
   parameter ``PROFILE = profile`` from the repository root (so the result store
   is shared with ``python -m rnnlib run``). The cell papermill injects is tagged
   ``remove-cell`` so the site does not show it.
2. ``staging/_static/mathjax/``: MathJax 3 from the ``django-static-mathjax``
   wheel, so math renders without a network.
3. ``jupyter-book build`` of the staging copy with warnings as errors (``-W``);
   the site ends up in ``output/html`` (open ``output/html/index.html``).

The chapter kernels run with the environment variable ``RNNLIB_EXPLORER=static``
(:data:`rnnlib.book.explorer.STATIC_ENV`), so each explorer is written as precomputed
frames with JavaScript sliders that move on the static site, and talk to papermill
over CurveZMQ-encrypted sockets when pyzmq supports it (no warning about plain TCP).

Launch buttons (Binder) and the repository buttons need the repository's URL:
``build(repository_url=...)`` writes it into the staged ``_config.yml``; by default
it comes from GitHub Actions' ``GITHUB_SERVER_URL`` and ``GITHUB_REPOSITORY``, so a
fork's workflow publishes buttons pointing at the fork. Without a URL the buttons
are off and the build is otherwise the same.

A chapter that raises stops the build with :class:`ChapterError`, whose message
names the chapter and carries the notebook traceback.

Chapters are independent (each reads the stored results), so ``workers`` processes (default 2)
execute them side by side, the longest first as the previous build measured it. Every chapter's
wall time and CPU time (its kernel's and its worker's, user + system) and those of the Jupyter Book
step are measured (:class:`Timing`), written to ``output/timings.json`` and handed to ``report``;
:func:`timing_table` formats them. Work inside the chapters that depends only on fixed inputs (the
explorer frames) is cached across builds by :mod:`rnnlib.book.cache`.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from ..model._checks import check_choice, check_int
from ..pipeline.engine import PROFILES
from . import cache

__all__ = ["ROOT", "BINDERHUB_URL", "ChapterError", "BookBuildError", "Timing", "toc_files", "execute_chapter",
           "execute_chapters", "timing_table", "repository_from_env", "launch_config", "build", "source_archive",
           "chromium", "print_pdf", "single_page", "chapter_key", "pdf_key", "EXECUTED", "compute_data"]

#: Repository root: the folder holding ``_config.yml`` and ``_toc.yml``.
ROOT = Path(__file__).resolve().parents[2]
_EXTRAS = ("_config.yml", "_toc.yml", "references.bib", "LICENSE", "CITATION.cff")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in kernel tracebacks
_MATHJAX_FILES = ("tex-chtml.js", "output/chtml/fonts/woff-v2")
#: Where the Binder launch button sends a reader (the repository's binder/ folder describes the image).
BINDERHUB_URL = "https://mybinder.org"


class ChapterError(RuntimeError):
    """A chapter notebook raised while papermill executed it."""


class BookBuildError(RuntimeError):
    """Jupyter Book failed (a warning counts as a failure)."""


@dataclass(frozen=True)
class Timing:
    """Wall time and CPU time (user + system, seconds) of one step of the build."""

    step: str
    wall: float
    cpu: float


class _Clock:
    """Wall and CPU time since creation, of this process and of its finished (waited-for) children."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                      resource.getrusage(resource.RUSAGE_CHILDREN)))

    def timing(self, step: str) -> Timing:
        return Timing(step, time.perf_counter() - self.wall, self._cpu() - self.cpu)


def toc_files(root: Path = ROOT) -> list[Path]:
    """Source files listed in ``_toc.yml`` (root page first), as paths relative to ``root``.

    Each entry is resolved to the existing ``.ipynb`` or ``.md`` file; a missing one raises.
    """
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    names = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        names += [entry["file"] for entry in part["chapters"]]
    files = []
    for name in names:
        found = [Path(name + ext) for ext in (".ipynb", ".md") if (Path(root) / (name + ext)).exists()]
        if not found:
            raise FileNotFoundError(f"_toc.yml lists {name!r} but neither {name}.ipynb nor {name}.md exists in {root}")
        files.append(found[0])
    return files


#: Environment variables that cap the threads of the linear-algebra libraries a kernel loads.
THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def execute_chapter(source: Path, target: Path, profile: str = "quick", *, cwd: Path = ROOT,
                    threads: int | None = None) -> Path:
    """Execute one notebook with papermill (``PROFILE = profile``) into ``target``; hide the injected cell.

    ``threads``, when given, caps the BLAS/OpenMP threads of the kernel (:data:`THREAD_LIMITS`):
    kernels running side by side that each start one thread per core spin against each other
    (an eigendecomposition ran ten times slower that way with two chapters on two cores).

    Raises
    ------
    ChapterError
        When a cell raises; the message names the chapter and holds its traceback.
    """
    import nbformat
    import papermill
    import zmq
    from traitlets.config import Config

    from .explorer import STATIC_ENV

    profile = check_choice("profile", profile, PROFILES)
    target.parent.mkdir(parents=True, exist_ok=True)
    # CurveZMQ keys provisioned by the kernel manager: the kernel then prints no plain-TCP warning.
    encryption = Config({"KernelManager": {"transport_encryption": "auto"}}) if zmq.has("curve") else Config()
    try:
        limits = {} if threads is None else dict.fromkeys(THREAD_LIMITS, str(check_int("threads", threads, 1)))
        with _environment({STATIC_ENV: "static", **limits}):
            papermill.execute_notebook(str(source), str(target), parameters={"PROFILE": profile}, cwd=str(cwd),
                                       kernel_name="python3", progress_bar=False, log_output=False,
                                       config=encryption)
    except papermill.PapermillExecutionError as err:
        tb = _ANSI.sub("", "\n".join(err.traceback)) if err.traceback else f"{err.ename}: {err.evalue}"
        raise ChapterError(f"chapter {source.name} failed in cell {err.exec_count} "
                           f"({err.ename}: {err.evalue})\n{tb}") from None
    nb = nbformat.read(target, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    nbformat.write(nb, target)
    return target


def _timed_chapter(source: Path, target: Path, profile: str, cwd: Path, threads: int) -> Timing:
    clock = _Clock()
    execute_chapter(source, target, profile, cwd=cwd, threads=threads)
    return clock.timing(source.stem)


def execute_chapters(jobs, profile: str = "quick", *, cwd: Path = ROOT, workers: int = 2, progress=True) -> list[Timing]:
    """Execute ``(source, target)`` notebook pairs with :func:`execute_chapter` on ``workers`` processes.

    Jobs start in the order given. Returns one :class:`Timing` per job, in that order: its wall time
    and the CPU time of its worker process and of the kernel it started (measured in the worker, so
    chapters running side by side do not mix). The first :class:`ChapterError` stops the build.
    Each kernel gets an equal share of the cores for its BLAS threads (at least one).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm.auto import tqdm

    workers = check_int("workers", workers, 1)
    jobs = list(jobs)
    workers = min(workers, max(len(jobs), 1))
    threads = max(1, (os.cpu_count() or 1) // workers)
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool, \
            tqdm(total=len(jobs), desc=f"executing chapters [{profile}]", unit="chapter",
                 disable=not progress) as bar:
        futures = {pool.submit(_timed_chapter, source, target, profile, cwd, threads): k for k, (source, target) in enumerate(jobs)}
        timings = [None] * len(jobs)
        for future in as_completed(futures):
            timings[futures[future]] = timing = future.result()
            bar.set_postfix_str(f"{timing.step} {timing.wall:.0f} s")
            bar.update()
    return timings


def timing_table(timings) -> str:
    """The timings as a plain-text table: one line per step, wall and CPU seconds, then the total.

    The total wall time is the build's (the ``"total"`` step when present); CPU times add up.
    """
    timings = list(timings)
    steps = [t for t in timings if t.step != "total"]
    total = next((t for t in timings if t.step == "total"),
                 Timing("total", sum(t.wall for t in steps), sum(t.cpu for t in steps)))
    width = max([len(t.step) for t in steps] + [len("total")])
    lines = [f"{'step':{width}s}  {'wall s':>7s}  {'CPU s':>7s}"]
    lines += [f"{t.step:{width}s}  {t.wall:7.1f}  {t.cpu:7.1f}" for t in steps + [total]]
    return "\n".join(lines)


def _previous_walls(path: Path) -> dict:
    """Wall time per step of the previous build (from its ``timings.json``), empty when unreadable."""
    try:
        return {t["step"]: float(t["wall"]) for t in json.loads(path.read_text())}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


@contextlib.contextmanager
def _environment(values: dict):
    """Set environment variables (inherited by the kernels started inside) and restore them afterwards."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def repository_from_env(environ=None) -> tuple[str | None, str]:
    """The repository URL and branch GitHub Actions describes in ``environ`` (default ``os.environ``).

    Returns ``(GITHUB_SERVER_URL/GITHUB_REPOSITORY, branch)``, or ``(None, "main")`` outside Actions.
    The branch is ``GITHUB_REF_NAME`` for a push to a branch, otherwise ``main``.
    """
    environ = os.environ if environ is None else environ
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    on_branch = environ.get("GITHUB_REF", "").startswith("refs/heads/")
    branch = environ.get("GITHUB_REF_NAME", "main") if on_branch else "main"
    return (f"{server.rstrip('/')}/{repository}" if server and repository else None), branch


def launch_config(config: dict, repository_url: str | None, branch: str = "main") -> dict:
    """A copy of the Jupyter Book ``config`` with the repository and launch buttons for ``repository_url``.

    With a URL: the repository and issue buttons, and a Binder launch button opening the chapter in
    JupyterLab. With ``None`` or ``""``: every repository and launch button off. Colab stays off
    (``rnnlib`` is not on PyPI, so a chapter cannot run there without manual steps).

    Raises
    ------
    ValueError
        When ``repository_url`` is not an ``http(s)://`` URL.
    """
    config = {**config, "html": dict(config.get("html") or {}),
              "launch_buttons": dict(config.get("launch_buttons") or {})}
    if repository_url:
        if not re.fullmatch(r"https?://[^\s/]+/\S+", repository_url):
            raise ValueError(f"repository_url must be an http(s):// URL such as https://github.com/OWNER/REPO, "
                             f"got {repository_url!r}")
        url = repository_url.rstrip("/").removesuffix(".git")
        config["repository"] = {"url": url, "branch": branch, "path_to_book": ""}
        config["launch_buttons"].update(binderhub_url=BINDERHUB_URL, notebook_interface="jupyterlab")
    else:
        config["repository"] = {**(config.get("repository") or {}), "url": ""}
        config["launch_buttons"]["binderhub_url"] = ""
    for button in ("use_repository_button", "use_issues_button"):
        config["html"][button] = bool(repository_url)
    config["launch_buttons"]["colab_url"] = ""
    return config


def _copy_mathjax(static: Path) -> None:
    """Copy MathJax 3 (``tex-chtml.js`` and its fonts) from the installed ``mathjax`` package.

    ``static`` must not be the book's ``_static`` folder: Jupyter Book adds every script found
    there to every page, which would load MathJax a second time.
    """
    try:
        import mathjax
    except ImportError as err:  # pragma: no cover - requirements.txt pins it
        raise BookBuildError("MathJax is missing: pip install -r requirements.txt (django-static-mathjax)") from err
    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    for rel in _MATHJAX_FILES:
        src, dst = es5 / rel, static / "mathjax" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def _jupyter_book(source: Path, path_output: Path) -> None:
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe) if exe.exists() else "jupyter-book", "build", str(source), "--path-output", str(path_output),
           "-W", "-n", "--keep-going", "--builder", "html"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BookBuildError(f"jupyter-book build failed (exit {proc.returncode}):\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}")


def compute_data(profile: str, *, workers: int = 2, progress: bool = True) -> None:
    """Compute every experiment of the book (:func:`rnnlib.pipeline.catalogue.everything`) missing from ``profile``'s store.

    Run before the chapters of a profile that computes its data (``quick``): chapters executed side by
    side would otherwise compute the experiments they share at the same time, one waiting on the
    other's lock (and saying so on the page).
    """
    from ..pipeline import catalogue
    from ..pipeline.experiments import load

    for name in catalogue.everything():
        load(name, profile, workers=workers, progress=progress)


#: Cache kind (:mod:`rnnlib.book.cache`) of executed chapters.
EXECUTED = "executed-chapter"


def chapter_key(root: Path, rel: Path, profile: str) -> str | None:
    """Fingerprint of what an executed chapter depends on, or ``None`` when it cannot be reused.

    A ``paper`` chapter reads committed results only, so its executed notebook is a function of
    the notebook's source, the profile's ``manifest.json`` (the fingerprint, checksum and
    provenance of every stored result), the glossary (whose terms the chapter's boxes link),
    every module of rnnlib and the numerical libraries' versions (:func:`rnnlib.book.cache.cache_key`
    with :data:`rnnlib.book.cache.ALL_CODE`). A ``quick`` chapter computes missing results while it
    runs: never reused.
    """
    import hashlib

    from ..pipeline.store import MANIFEST, default_root

    if profile != "paper":
        return None
    manifest = default_root(profile) / MANIFEST
    if not manifest.exists():
        return None
    glossary = Path(root) / "glossary.md"        # the boxes link the terms it defines
    digest = {"notebook": hashlib.sha256((Path(root) / rel).read_bytes()).hexdigest(),
              "manifest": hashlib.sha256(manifest.read_bytes()).hexdigest(),
              "glossary": hashlib.sha256(glossary.read_bytes()).hexdigest() if glossary.exists() else None}
    return cache.cache_key(EXECUTED, {"chapter": Path(rel).as_posix(), "profile": profile, **digest},
                           code=cache.ALL_CODE)


def _reuse_chapter(rel: Path, key: str | None, target: Path) -> Timing | None:
    """Write the executed chapter stored under ``key`` to ``target`` and time it; ``None`` on a miss."""
    clock = _Clock()
    blob = None if key is None else cache.load(EXECUTED, key)
    if blob is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(blob)
    return clock.timing(f"{Path(rel).stem} (reused)")


def build(profile: str = "quick", *, chapters=None, output="_build", root: Path = ROOT, progress=True,
          repository_url: str | None = None, workers: int = 2, report=None) -> Path:
    """Execute the chapters with papermill and build the HTML site; return ``output/html``.

    A ``paper`` chapter whose inputs did not change since it was last executed on this machine
    (:func:`chapter_key`: its source, the committed results' manifest, the code) is taken from the
    book's cache instead of being executed again, and so is the whole-book PDF (:func:`pdf_key`);
    the timings name such steps "(reused)". Deleting ``results/cache`` forces a full build.

    Parameters
    ----------
    profile : {"quick", "paper"}
        Passed to every chapter as ``PROFILE``.
    chapters : iterable of str, optional
        Names (e.g. ``"baseline"`` or ``"chapters/baseline.ipynb"``) of the
        notebooks to execute; default all. Notebooks not selected are rendered
        unexecuted.
    output : path
        Build folder (relative paths are taken from ``root``).
    root : path
        Folder holding ``_config.yml`` and ``_toc.yml``.
    progress : bool
        Show a progress bar over the chapters (on stderr).
    repository_url : str, optional
        The repository the launch and repository buttons point at (see :func:`launch_config`);
        default from GitHub Actions' environment (:func:`repository_from_env`), ``""`` for none.
    workers : int
        Chapters executed at once, each in its own process and kernel (:func:`execute_chapters`).
    report : callable, optional
        Called with the list of :class:`Timing` (chapters, ``jupyter-book``, ``total``) at the end;
        they are also written to ``output/timings.json``.
    """
    clock = _Clock()
    profile = check_choice("profile", profile, PROFILES)
    workers = check_int("workers", workers, 1)
    root = Path(root)
    output = Path(output) if Path(output).is_absolute() else root / output
    files = toc_files(root)
    notebooks = [f for f in files if f.suffix == ".ipynb"]
    if chapters is None:
        selected = set(notebooks)
    else:
        wanted = {Path(c).stem for c in ([chapters] if isinstance(chapters, str) else chapters)}
        unknown = wanted - {f.stem for f in notebooks}
        if unknown:
            raise ValueError(f"chapters must name notebooks of _toc.yml ({sorted(f.stem for f in notebooks)}), "
                             f"got unknown {sorted(unknown)}")
        selected = {f for f in notebooks if f.stem in wanted}
    staging = output / "staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    env_url, branch = repository_from_env()
    config = launch_config(yaml.safe_load((root / "_config.yml").read_text()),
                           env_url if repository_url is None else repository_url, branch)
    for rel in [Path(e) for e in _EXTRAS if (root / e).exists()] + files:
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        if rel not in selected:
            shutil.copy2(root / rel, staging / rel)
    (staging / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    previous = _previous_walls(output / "timings.json")
    todo = sorted((rel for rel in notebooks if rel in selected), key=lambda rel: -previous.get(rel.stem, 0.0))
    keys = {rel: chapter_key(root, rel, profile) for rel in todo}
    timings, run = [], []
    for rel in todo:
        reused = _reuse_chapter(rel, keys[rel], staging / rel)
        if reused is None:
            run.append(rel)
        else:
            timings.append(reused)
    if run and profile != "paper":
        data = _Clock()
        compute_data(profile, workers=workers, progress=progress)
        timings.append(data.timing(f"{profile} data"))
    timings += execute_chapters([(root / rel, staging / rel) for rel in run], profile, cwd=root,
                                workers=workers, progress=progress)
    for rel in run:
        if keys[rel] is not None:
            cache.save(EXECUTED, keys[rel], (staging / rel).read_bytes())
    _copy_mathjax(staging / "_mathjax")
    _stage_reader_files(root, staging)
    if progress:
        print("rendering the site with Jupyter Book (warnings are errors) ...", file=sys.stderr, flush=True)
    sphinx = _Clock()
    _jupyter_book(staging, output / "jupyter-book")
    timings.append(sphinx.timing("jupyter-book"))
    html = output / "html"
    if html.exists():
        shutil.rmtree(html)
    shutil.copytree(output / "jupyter-book" / "_build" / "html", html)
    for page in html.rglob("*.html"):
        _drop_repeated_scripts(page)
    pdf = _Clock()
    _offer_pdf(staging, output, html, progress=progress)
    timings.append(pdf.timing("whole-book PDF"))
    timings.append(clock.timing("total"))
    (output / "timings.json").write_text(json.dumps([asdict(t) for t in timings], indent=1) + "\n")
    if report is not None:
        report(timings)
    return html


def _drop_repeated_scripts(page: Path) -> None:
    """Remove inline ``<script>`` lines that repeat an earlier line of the page verbatim.

    Jupyter Book 1.0.4 with Sphinx 7.4 emits the configuration scripts of
    sphinx-thebe and sphinx-togglebutton twice, and the second ``const``
    declaration is a JavaScript error in the browser.
    """
    seen, kept = set(), []
    for line in page.read_text().splitlines(keepends=True):
        key = line.strip()
        if key.startswith("<script") and key.endswith("</script>") and key in seen:
            continue
        seen.add(key)
        kept.append(line)
    page.write_text("".join(kept))


# ---------------------------------------------------------------- what a reader gets besides the pages

#: The files of the repository a reader of the site needs to rerun the book (the download of teaching.md).
SOURCE_FILES = ("pyproject.toml", "requirements.txt", "README.md", "LICENSE", "CITATION.cff", "_config.yml",
                "_toc.yml", "references.bib", "*.md", "_assets/*", "binder/*", "chapters/*.ipynb", "rnnlib/**/*.py",
                "data/paper/*")
#: Name of the source archive in the staged book (teaching.md links it with the {download} role).
SOURCE_ARCHIVE = "rnnlib-book.zip"
#: Where the whole-book PDF is published in the site, and the label of its entry in the download menu.
PDF_NAME = "_static/rnnlib-book.pdf"


def _stage_reader_files(root: Path, staging: Path) -> None:
    """Copy the book's CSS/JS (``_assets/``) into ``staging`` and write the source archive beside the pages."""
    if (root / "_assets").is_dir():
        shutil.copytree(root / "_assets", staging / "_assets", dirs_exist_ok=True)
    source_archive(root, staging / SOURCE_ARCHIVE)


def source_archive(root: Path, target: Path) -> Path:
    """Zip the files of :data:`SOURCE_FILES` under ``root`` into ``target`` (fixed timestamps: same files, same bytes).

    The archive is what a reader of the website downloads to run the chapters without the repository:
    the package, the chapter notebooks (without outputs), the requirements and the committed paper data.
    """
    import zipfile

    root = Path(root)
    files = sorted({p for pattern in SOURCE_FILES for p in root.glob(pattern)
                    if p.is_file() and "__pycache__" not in p.parts and p.name != ".DS_Store"})
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"rnnlib-book/{path.relative_to(root).as_posix()}", date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (path.stat().st_mode & 0o777) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return target


def chromium() -> str | None:
    """The Chromium on ``PATH`` (``chromium`` or ``chromium-browser``), or ``None``."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _offer_pdf(staging: Path, output: Path, html: Path, *, progress: bool) -> Path | None:
    """Print the whole book to ``html/_static/rnnlib-book.pdf`` and add it to every page's download menu.

    Optional: it needs a Chromium (:func:`chromium`); without one, or when printing fails, the site is
    built without the PDF and a note says why on stderr. The pages of the built site are joined into
    one page in the order of ``_toc.yml`` (Jupyter Book's ``singlehtml`` builder cannot render myst-nb's
    hidden cells), which headless Chromium prints once MathJax has typeset it. The PDF is kept in
    the book's cache under :func:`pdf_key`: a build whose pages did not change reuses it.
    """
    browser = chromium()
    if browser is None:
        print("no Chromium on PATH: the site is built without the whole-book PDF", file=sys.stderr)
        return None
    if progress:
        print("printing the whole book to PDF with Chromium ...", file=sys.stderr, flush=True)
    single = html / "_whole_book.html"
    try:
        text = single_page(html, [rel.with_suffix(".html") for rel in toc_files(staging)])
        key = pdf_key(text, html, browser)
        stored = cache.load("whole-book-pdf", key)
        if stored is None:
            single.write_text(text)
            pdf = print_pdf(browser, single, html / PDF_NAME)
            cache.save("whole-book-pdf", key, pdf.read_bytes())
        else:
            pdf = html / PDF_NAME
            pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.write_bytes(stored)
    except (BookBuildError, subprocess.SubprocessError, OSError, ValueError) as err:
        print(f"whole-book PDF not built: {err}", file=sys.stderr)
        return None
    finally:
        single.unlink(missing_ok=True)
    for page in html.rglob("*.html"):
        _add_pdf_to_download_menu(page, html)
    return pdf


def pdf_key(page_text: str, html: Path, browser: str) -> str:
    """Fingerprint of the whole-book PDF: the joined page, every file under the site's ``_images``,
    ``_static`` and ``_mathjax`` folders (figures, styles, fonts; the PDF itself left out) and the browser.

    Two builds of the same pages print the same PDF, so it is kept in the book's cache
    (:mod:`rnnlib.book.cache`) under this key and printed again only when something it shows changed.
    """
    import hashlib

    h = hashlib.sha256(page_text.encode())
    for folder in ("_images", "_static", "_mathjax"):
        for path in sorted(p for p in (Path(html) / folder).rglob("*") if p.is_file()):
            rel = path.relative_to(html).as_posix()
            if rel != PDF_NAME:
                h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return cache.cache_key("whole-book-pdf", {"pages": h.hexdigest(), "browser": str(browser)})


_ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*?)</article>', re.S)
_HEAD = re.compile(r"<head>(.*?)</head>", re.S)


def single_page(html: Path, pages) -> str:
    """One HTML page holding the article of each built page of ``pages`` (paths relative to ``html``), in order.

    The head (styles, MathJax) is the first page's that loads MathJax; relative links of pages in sub-folders are rewritten
    to the site's root, where the joined page is written. Raises ValueError when a page has no article.
    """
    parts, head = [], None
    for rel in pages:
        text = (Path(html) / rel).read_text()
        article = _ARTICLE.search(text)
        if article is None:
            raise ValueError(f"pages must be built Jupyter Book pages with an <article>, {rel} has none")
        up = "../" * (len(Path(rel).parts) - 1)
        body = article.group(1)
        if up:
            body = re.sub(r'((?:src|href)=")' + re.escape(up), r"\1", body)
        if head is None or ("tex-chtml" not in head and "tex-chtml" in text):  # a head that loads MathJax
            head = _HEAD.search(text).group(1)
            head = re.sub(r'((?:src|href)=")' + re.escape(up), r"\1", head) if up else head
        parts.append(f'<article class="bd-article" style="break-before: page">{body}</article>')
    return (f"<!DOCTYPE html><html lang=\"en\"><head>{head}</head><body><main class=\"bd-main\">"
            f"<div class=\"bd-content\"><div class=\"bd-article-container\">{''.join(parts)}</div></div>"
            f"</main></body></html>")


def print_pdf(browser: str, page: Path, pdf: Path, *, timeout: float = 600) -> Path:
    """Print the local HTML ``page`` to ``pdf`` with headless Chromium ``browser`` (no network needed).

    The page's folder is served from 127.0.0.1 for the print (MathJax loads its fonts by URL, which a
    ``file://`` page may not), and ``--virtual-time-budget`` lets MathJax finish before printing.
    Raises :class:`BookBuildError` when Chromium writes no PDF.
    """
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    page, pdf = Path(page).resolve(), Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.unlink(missing_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(page.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page.name}"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
           "--disable-background-networking", "--run-all-compositor-stages-before-draw", "--virtual-time-budget=60000",
           "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        server.shutdown()
        server.server_close()
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise BookBuildError(f"Chromium wrote no PDF (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return pdf


def _add_pdf_to_download_menu(page: Path, html: Path) -> None:
    """Add "Whole book (PDF)" to the download menu of a built ``page`` (a link relative to the page)."""
    text = page.read_text()
    menu = '<ul class="dropdown-menu">'
    start = text.find('<div class="dropdown dropdown-download-buttons">')
    at = text.find(menu, start) if start >= 0 else -1
    if at < 0:
        return
    href = os.path.relpath(html / PDF_NAME, page.parent).replace(os.sep, "/")
    item = (f'\n<li><a href="{href}" class="btn btn-sm dropdown-item rnnlib-pdf" title="The whole book as one PDF" '
            f'data-bs-placement="left" data-bs-toggle="tooltip"><span class="btn__icon-container">'
            f'<i class="fas fa-file-pdf"></i></span><span class="btn__text-container">Whole book (.pdf)</span></a></li>')
    page.write_text(text[:at + len(menu)] + item + text[at + len(menu):])
