"""The book: committed notebooks are clean, _toc.yml matches chapters/, every chapter runs, the site builds with -W."""
import os
import re
from pathlib import Path

import nbformat
import pytest

from rnnlib.book import build as book, explorer

ROOT = book.ROOT
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_toc_and_chapters_agree():
    listed = {f for f in book.toc_files() if f.parts[0] == "chapters"}
    present = {p.relative_to(ROOT) for p in (ROOT / "chapters").iterdir() if p.suffix in (".ipynb", ".md")}
    assert listed == present
    assert book.toc_files()[0] == Path("intro.md")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_holding_profile(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert tagged[0].cell_type == "code" and "PROFILE" in tagged[0].source
    namespace = {}
    exec(tagged[0].source, namespace)
    assert namespace["PROFILE"] == "quick"


def test_failing_chapter_names_itself_with_traceback(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('PROFILE = "quick"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("def broken():\n    raise RuntimeError('deliberate failure')\nbroken()"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "broken_chapter.ipynb"
    nbformat.write(nb, source)
    with pytest.raises(book.ChapterError) as err:
        book.execute_chapter(source, tmp_path / "out" / "broken_chapter.ipynb", "quick", cwd=tmp_path)
    message = str(err.value)
    assert "broken_chapter.ipynb" in message
    assert "deliberate failure" in message and "broken()" in message


def test_bad_arguments_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="profile"):
        book.build("huge", output=tmp_path)
    with pytest.raises(ValueError, match="nonexistent"):
        book.build("quick", chapters=["nonexistent"], output=tmp_path)


def test_every_chapter_executed_in_the_profile_of_the_build(built_book):
    profile = os.environ.get("RNNLIB_TEST_BOOK_PROFILE", "quick")
    for rel in book.toc_files():
        if rel.suffix != ".ipynb":
            continue
        nb = nbformat.read(built_book / "staging" / rel, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and f'PROFILE = "{profile}"' in injected[0].source
        assert "remove-cell" in injected[0].metadata.tags
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"], rel
        if rel.stem != "methods":  # the appendix is tables and text
            assert any("image/png" in o.get("data", {}) for o in outputs), f"{rel} shows no figure"


def test_site_has_every_page_and_hides_the_injected_cell(built_book):
    html = built_book / "html"
    for rel in book.toc_files():
        page = html / rel.with_suffix(".html")
        assert page.exists(), page
        text = page.read_text()
        assert "injected-parameters" not in text and "Traceback" not in text
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists()
    intro = (html / "intro.html").read_text()
    assert intro.count("mathjax/tex-chtml.js") == 1  # MathJax loaded once, from the site itself


# ---------------------------------------------------------------- launch buttons, Binder, teaching page

CONFIG = {"html": {"use_download_button": True}, "launch_buttons": {"binderhub_url": ""}, "repository": {"url": ""}}


def test_launch_config_with_a_repository_switches_the_buttons_on():
    config = book.launch_config(CONFIG, "https://github.com/someone/fork.git/", branch="work")
    assert config["repository"] == {"url": "https://github.com/someone/fork", "branch": "work", "path_to_book": ""}
    assert config["launch_buttons"]["binderhub_url"] == book.BINDERHUB_URL
    assert config["launch_buttons"]["colab_url"] == ""  # rnnlib is not on PyPI: Colab would need manual steps
    assert config["html"]["use_repository_button"] and config["html"]["use_download_button"]
    assert CONFIG["repository"] == {"url": ""}  # the input is not modified


@pytest.mark.parametrize("url", [None, ""])
def test_launch_config_without_a_repository_has_no_buttons(url):
    config = book.launch_config(CONFIG, url)
    assert config["launch_buttons"]["binderhub_url"] == "" and config["repository"]["url"] == ""
    assert not config["html"]["use_repository_button"] and not config["html"]["use_issues_button"]


def test_launch_config_rejects_a_url_that_is_not_one():
    with pytest.raises(ValueError, match="repository_url.*'github.com/x'"):
        book.launch_config(CONFIG, "github.com/x")


def test_repository_comes_from_the_github_actions_environment():
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "owner/book",
           "GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main"}
    assert book.repository_from_env(env) == ("https://github.com/owner/book", "main")
    pull = {**env, "GITHUB_REF": "refs/pull/7/merge", "GITHUB_REF_NAME": "7/merge"}
    assert book.repository_from_env(pull) == ("https://github.com/owner/book", "main")
    assert book.repository_from_env({}) == (None, "main")


def test_binder_installs_the_requirements_and_the_package():
    binder = ROOT / "binder"
    assert (binder / "requirements.txt").read_text().split("\n")[-2:] == ["-r ../requirements.txt", ""]
    post = binder / "postBuild"
    assert "pip install --no-deps -e ." in post.read_text() and post.stat().st_mode & 0o111
    python = (binder / "runtime.txt").read_text().strip()
    assert python.startswith("python-3.") and int(python.split(".")[1]) >= 11  # numpy 2.4 needs 3.11


def test_teaching_page_is_in_the_toc():
    assert Path("teaching.md") in book.toc_files()
    text = (ROOT / "teaching.md").read_text()
    for heading in ("## Prerequisites", "## Learning goals per chapter", "## A 90-minute session",
                    "## Making a homework variant"):
        assert heading in text


def test_kernels_print_no_plain_tcp_warning(tmp_path, capfd):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('PROFILE = "quick"', metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell("import os\nprint(os.environ['RNNLIB_EXPLORER'])")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "tiny.ipynb")
    out = book.execute_chapter(tmp_path / "tiny.ipynb", tmp_path / "out" / "tiny.ipynb", cwd=tmp_path)
    assert "without encryption" not in capfd.readouterr().err
    assert nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"] == "static\n"  # explorers precompute


def test_kernels_get_their_share_of_the_cores_for_blas_threads(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('PROFILE = "quick"', metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell(
                                             "import os\nprint(*(os.environ.get(k) for k in "
                                             "('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS')))")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "tiny.ipynb")
    out = book.execute_chapter(tmp_path / "tiny.ipynb", tmp_path / "out" / "tiny.ipynb", cwd=tmp_path, threads=3)
    assert nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"] == "3 3 3\n"
    with pytest.raises(ValueError, match="threads"):
        book.execute_chapter(tmp_path / "tiny.ipynb", tmp_path / "out" / "tiny.ipynb", cwd=tmp_path, threads=0)


def test_chapter_pages_have_launch_and_download_buttons(built_book):
    from conftest import TEST_REPOSITORY
    for rel in book.toc_files():
        if rel.suffix != ".ipynb":
            continue
        page = (built_book / "html" / rel.with_suffix(".html")).read_text()
        owner_repo = TEST_REPOSITORY.removeprefix("https://github.com/")
        assert f"https://mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/{rel.as_posix()}" in page, rel
        assert f'_sources/{rel.as_posix()}' in page, f"{rel}: no download of the executed notebook"
        assert (built_book / "html" / "_sources" / rel).exists()
        assert f"{TEST_REPOSITORY}" in page  # repository button


REGULARITY_CHAPTERS = [Path("chapters") / f"{name}.ipynb" for name in ("dale", "reciprocity", "modularity")]


EXPLORER_CHAPTERS = REGULARITY_CHAPTERS + [Path("chapters") / "protection.ipynb"]


@pytest.mark.parametrize("rel", EXPLORER_CHAPTERS, ids=lambda p: p.stem)
def test_regularity_chapter_has_a_precomputed_explorer(built_book, rel):
    nb = nbformat.read(built_book / "staging" / rel, as_version=4)
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if "text/html" in o.get("data", {})]
    explorers = [h for h in html if 'class="rnnlib-explorer"' in h]
    assert len(explorers) == 1, f"{rel}: expected one precomputed explorer"
    frames = (len(explorer.FRAME_GRID["control"]) * len(explorer.FRAME_GRID["strength"])   # at least
              * len(explorer.FRAME_GRID["balance"]))
    assert explorers[0].count("data:image/webp;base64,") >= frames + 1   # + the first frame shown
    assert len(explorers[0]) < 4e6, f"{rel}: explorer of {len(explorers[0]) / 1e6:.1f} MB"
    page = (built_book / "html" / rel.with_suffix(".html")).read_text()
    assert 'class="rnnlib-explorer"' in page and "document.currentScript" in page  # rendered raw, script kept


#: Chapters with exercises: the regularity chapters, and (issue 21) the baseline and the synthesis.
EXERCISE_CHAPTERS = REGULARITY_CHAPTERS + [Path("chapters") / f"{name}.ipynb" for name in ("baseline", "synthesis")]


@pytest.mark.parametrize("rel", EXERCISE_CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_exercises_with_hidden_executed_solutions(built_book, rel):
    page = (built_book / "html" / rel.with_suffix(".html")).read_text()
    exercises = re.findall(r'<div class="exercise admonition" id="(ex-[^"]+)"', page)
    assert len(exercises) >= 2, f"{rel}: {exercises}"
    chunks = page.split('<div class="solution dropdown admonition"')[1:]  # each solution up to the next one
    assert len(chunks) >= 2, f"{rel}: fewer than two solutions hidden in a dropdown"
    for chunk in chunks:
        chunk = chunk.split('<div class="exercise admonition"')[0]
        assert re.search(r'href="#ex-[^"]+"', chunk), f"{rel}: a solution not linked to its exercise"
        assert 'class="cell_output' in chunk, f"{rel}: a solution shows no executed output"


@pytest.mark.parametrize("rel", [p.relative_to(ROOT) for p in NOTEBOOKS], ids=lambda p: p.stem)
def test_chapter_opens_with_its_goals_and_times_and_closes_with_what_it_found(built_book, rel):
    page = (built_book / "html" / rel.with_suffix(".html")).read_text()
    article = page.split('<article class="bd-article"', 1)[1]
    openers = list(re.finditer(r'<div class="[^"]*\brnnlib-opener\b[^"]*">', article))
    assert len(openers) == 1, f"{rel}: expected one opener"
    first_section = article.find("<h2")
    assert first_section < 0 or openers[0].start() < first_section, f"{rel}: the opener comes after the first section"
    box = article[openers[0].start():].split("</div>", 1)[0]
    assert "In this chapter" in box and "You will be able to" in box and "Before you start" in box
    assert re.search(r"about \d+ min to read", box), f"{rel}: the opener gives no reading time"
    findings = re.split(r'<div class="[^"]*\brnnlib-findings\b[^"]*">', article)
    assert len(findings) == 2, f"{rel}: expected one 'What we found' box"
    assert "What we found" in findings[1].split("</div>", 1)[0]
    assert "{term}" not in article and "{doc}" not in article   # every role in the boxes was resolved


# ---------------------------------------------------------------- what a course needs (issue 21)

import zipfile  # noqa: E402

import yaml  # noqa: E402

from rnnlib.book import sphinx_launch, tables  # noqa: E402

TABLE = "| a | $b$ |\n| --- | --- |\n| 1 | 2 |"


def test_captioned_table_wraps_a_pipe_table_in_the_table_directive():
    text = tables.captioned(TABLE, "What the rows show.", name="tab-demo")
    assert text.splitlines() == [":::{table} What the rows show.", ":name: tab-demo", *TABLE.splitlines(), ":::"]
    assert tables.captioned(TABLE, "Caption").splitlines()[1] == "| a | $b$ |"


@pytest.mark.parametrize("table, caption, name, message", [
    ("a, b\n1, 2", "Caption", None, "table must be a Markdown pipe table"),
    ("| a | b |\n| 1 | 2 |", "Caption", None, "table must be a Markdown pipe table"),
    (TABLE, "", None, "caption must be one non-empty line"),
    (TABLE, "two\nlines", None, "caption must be one non-empty line"),
    (TABLE, "Caption", "Tab 1", "name must be lower-case"),
])
def test_captioned_table_rejects_bad_input(table, caption, name, message):
    with pytest.raises(ValueError, match=message):
        tables.captioned(table, caption, name=name)


def test_launch_tag_follows_the_binderhub_url():
    assert sphinx_launch.has_launch_buttons({"launch_buttons": {"binderhub_url": book.BINDERHUB_URL}})
    assert not sphinx_launch.has_launch_buttons({"launch_buttons": {"binderhub_url": ""}})
    assert not sphinx_launch.has_launch_buttons(None)


def test_licence_citation_and_bibliography_agree():
    licence = (ROOT / "LICENSE").read_text()
    assert "MIT License" in licence and "CC BY 4.0" in licence
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "MIT"
    from rnnlib._version import __version__
    assert cff["version"] == __version__
    intro = (ROOT / "intro.md").read_text()
    assert cff["title"] in intro and f"version = {{{__version__}}}" in intro  # the BibTeX on the site
    assert cff["references"][0]["doi"] == "10.3389/fcpxs.2025.1636222"
    bib = (ROOT / "references.bib").read_text()
    keys = re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M)
    assert len(keys) == len(set(keys)) >= 10
    for doi in re.findall(r"doi\s*=\s*\{([^}]*)\}", bib):
        assert re.fullmatch(r"10\.\d{4,5}/\S+", doi), doi
    cited = set(re.findall(r"\{cite:[pt]\}`([^`]+)`", "".join(p.read_text() for p in ROOT.glob("*.md"))))
    assert {k for c in cited for k in c.split(",")} <= set(keys)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["bibtex_bibfiles"] == ["references.bib"]
    assert "CC BY 4.0" in config["html"]["extra_footer"]
    assert re.search(r"^sphinxcontrib-bibtex==", (ROOT / "requirements.txt").read_text(), flags=re.M)


def test_glossary_defines_the_words_the_book_uses():
    text = (ROOT / "glossary.md").read_text()
    block = text.split("```{glossary}")[1].split("```")[0]
    terms = {line.strip() for line in block.splitlines() if line and not line.startswith(" ")}
    assert {"Holm", "Cluster mass", "Instance", "Named point", "Effective coupling", "Saturation", "Sign flip",
            "Paired difference", "Specification curve", "Supported", "Contradicted", "Mixed", "No evidence",
            "Association only"} <= terms
    assert Path("glossary.md") in book.toc_files() and Path("bibliography.md") in book.toc_files()


def test_source_archive_holds_what_a_reader_needs_to_rerun(tmp_path):
    archive = book.source_archive(ROOT, tmp_path / "a.zip")
    names = set(zipfile.ZipFile(archive).namelist())
    for needed in ("rnnlib-book/requirements.txt", "rnnlib-book/pyproject.toml", "rnnlib-book/rnnlib/__init__.py",
                   "rnnlib-book/chapters/dale.ipynb", "rnnlib-book/data/paper/manifest.json", "rnnlib-book/LICENSE"):
        assert needed in names, needed
    assert not [n for n in names if "__pycache__" in n or "/results/" in n]
    assert book.source_archive(ROOT, tmp_path / "b.zip").read_bytes() == archive.read_bytes()  # reproducible


def test_site_has_licence_citation_bibliography_glossary_and_pdf(built_book):
    html = built_book / "html"
    intro = (html / "intro.html").read_text()
    assert "CC BY 4.0" in intro and "rnnlib_book" in intro  # the BibTeX entry
    assert re.search(r'href="_downloads/[0-9a-f]+/CITATION.cff"', intro)
    bibliography = (html / "bibliography.html").read_text()
    for doi in ("10.3389/fcpxs.2025.1636222", "10.1162/neco_a_01770", "10.1038/s41562-020-0912-z",
                "10.1016/j.jneumeth.2007.03.024", "10.1103/PhysRevLett.61.259"):
        assert f"https://doi.org/{doi}" in bibliography, doi
    glossary = (html / "glossary.html").read_text()
    assert 'id="term-Cluster-mass"' in glossary
    teaching = (html / "teaching.html").read_text()
    assert re.search(r'href="_downloads/[0-9a-f]+/rnnlib-book.zip"', teaching)
    assert "rocket icon" in teaching  # the test build has a repository: the launch sentences are kept
    assert "has no\nlaunch button" not in teaching and "has no launch button" not in teaching
    if book.chromium():
        pdf = html / book.PDF_NAME
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 100_000
        assert 'href="../_static/rnnlib-book.pdf"' in (html / "chapters" / "dale.html").read_text()


def test_a_paper_chapter_is_reused_only_while_its_source_data_and_code_are_unchanged(tmp_path, monkeypatch):
    from rnnlib.book import build as builder, cache
    from rnnlib.pipeline import store
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    (data / store.MANIFEST).write_text('{"dale": {"fingerprint": "a"}}')
    monkeypatch.setattr(store, "default_root", lambda profile: data)
    rel = Path("chapters/dale.ipynb")
    (tmp_path / "chapters").mkdir()
    (tmp_path / rel).write_text('{"cells": []}')
    key = builder.chapter_key(tmp_path, rel, "paper")
    assert builder.chapter_key(tmp_path, rel, "quick") is None             # quick chapters compute while they run
    assert builder._reuse_chapter(rel, key, tmp_path / "out.ipynb") is None  # nothing stored yet
    cache.save(builder.EXECUTED, key, b"executed")
    timing = builder._reuse_chapter(rel, key, tmp_path / "out.ipynb")
    assert timing.step == "dale (reused)" and (tmp_path / "out.ipynb").read_bytes() == b"executed"
    (tmp_path / rel).write_text('{"cells": [1]}')
    assert builder.chapter_key(tmp_path, rel, "paper") != key              # the notebook changed
    (tmp_path / rel).write_text('{"cells": []}')
    assert builder.chapter_key(tmp_path, rel, "paper") == key
    (tmp_path / "glossary.md").write_text("Holm\n: a correction\n")
    assert builder.chapter_key(tmp_path, rel, "paper") != key              # the terms the boxes link changed
    (tmp_path / "glossary.md").unlink()
    (data / store.MANIFEST).write_text('{"dale": {"fingerprint": "b"}}')
    assert builder.chapter_key(tmp_path, rel, "paper") != key              # the stored results changed


def test_the_pdf_key_follows_what_the_pdf_shows(tmp_path):
    from rnnlib.book import build as builder
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "fig.png").write_bytes(b"one")
    key = builder.pdf_key("<p>page</p>", tmp_path, "/usr/bin/chromium")
    (tmp_path / "_static").mkdir()
    (tmp_path / builder.PDF_NAME).write_bytes(b"%PDF old")                 # the PDF itself does not count
    assert builder.pdf_key("<p>page</p>", tmp_path, "/usr/bin/chromium") == key
    assert builder.pdf_key("<p>other</p>", tmp_path, "/usr/bin/chromium") != key
    (tmp_path / "_images" / "fig.png").write_bytes(b"two")
    assert builder.pdf_key("<p>page</p>", tmp_path, "/usr/bin/chromium") != key


def test_captioned_table_carries_a_style_class_checked_like_a_name():
    text = tables.captioned("| a |\n| --- |\n| 1 |", "A caption.", name="tab-x", css_class="rnnlib-claims")
    assert text.splitlines()[:3] == [":::{table} A caption.", ":name: tab-x", ":class: rnnlib-claims"]
    with pytest.raises(ValueError, match="css_class must be lower-case.*'Wide Table'"):
        tables.captioned("| a |\n| --- |\n| 1 |", "A caption.", css_class="Wide Table")


def test_quick_data_is_computed_once_before_the_chapters_run_side_by_side(monkeypatch):
    from rnnlib.pipeline import catalogue, experiments
    asked = []
    monkeypatch.setattr(experiments, "load", lambda name, profile, **kw: asked.append((name, profile, kw["workers"])))
    book.compute_data("quick", workers=3, progress=False)
    assert asked == [(name, "quick", 3) for name in catalogue.everything()]
