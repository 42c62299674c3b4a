"""The book: committed notebooks are clean, _toc.yml matches chapters/, every chapter runs, the site builds with -W."""
from pathlib import Path

import nbformat
import pytest

from rnnlib import book

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


def test_every_chapter_executed_in_the_quick_profile(built_book):
    for rel in book.toc_files():
        if rel.suffix != ".ipynb":
            continue
        nb = nbformat.read(built_book / "staging" / rel, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and 'PROFILE = "quick"' in injected[0].source
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
