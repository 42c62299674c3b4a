"""No number about data or theory is typed into the book's prose: every number in a Markdown cell is a definition.

Allowed are numbers the library declares (named points, grids, sizes, instances, settings, task
parameters, alpha, seeds), small integers (equation constants, counts and list markers up to 10),
years, and the numbers of citations, cross-references and exercises (an exercise sets its own
values and its solution is the reader's check). Everything else must come from a computed cell.
"""
import json
import re
from pathlib import Path

import pytest

from rnnlib.book.chapter import EXAMPLE
from rnnlib.model.signatures import SignatureSettings
from rnnlib.pipeline import catalogue
from rnnlib.pipeline.engine import DEFAULTS, PROJECT_SEED, PROFILES
from rnnlib.reservoir.tasks import available_tasks, task_defaults

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "chapters").glob("*.ipynb")) + [ROOT / "intro.md", ROOT / "teaching.md"]
NUMBER = re.compile(r"(?<![\w.\-])-?\d+(?:\.\d+)?(?![\w.]?\d)")
#: Parts of the text whose numbers are not statements: code, links, references, citations, exercises.
SKIP = [re.compile(p, re.S | re.M) for p in (
    r"```\{(?:exercise|solution)\}.*?```",              # exercises and their solutions
    r"`[^`]*`",                                          # code and literal names
    r"\{numref\}`[^`]*`|\{doc\}`[^`]*`|\(\w[\w-]*\)=",   # cross-references and labels
    r"\]\([^)]*\)|https?://\S+",                         # link targets
    r"\b[A-Z][\w.]*(?: [A-Z][\w.]*)*\.? \d+(?:\(\d+\))?, \d+(?:, \d{4})?",   # journal volume, page(, year)
    r"arXiv:\S+", r"\bdoi:? \S+", r"\b(?:1[89]|20)\d\d\b",   # arXiv ids, DOIs, years
    r"\d+\(\d+\)",                                       # volume(issue)
    r"\d+-minute|^\| \d+ to \d+ \||Python \d+\.\d+",      # a teaching plan's minutes, software versions
    r"\b[Cc]laims? C\d\b|\bC\d\b",                       # claim names
)]


def _declared() -> set:
    """Every number the library declares (the definitions a chapter may repeat)."""
    values = set(range(0, 11)) | {PROJECT_SEED, 95, 1.96, 0.975, 100}
    values |= {v for point in catalogue.POINTS.values() for v in point}
    values |= {v for v in DEFAULTS.values() if isinstance(v, (int, float))}
    values |= {v for v in SignatureSettings().as_dict().values() if isinstance(v, (int, float))}
    values |= {v for t in available_tasks() for v in task_defaults(t).values() if isinstance(v, (int, float))}
    values |= set(EXAMPLE.values())
    for exp in catalogue.CATALOG.values():
        for profile in PROFILES:
            s = exp.sizes(profile)
            values |= {s.instances, s.n, s.steps, s.transient}
            for _, axis in s.axes:
                values |= {v for v in axis if isinstance(v, (int, float))} | {len(axis)}
        for variant in exp.fixed.get("variants", {}).values():
            values |= {v for v in variant.values() if isinstance(v, (int, float))}
    values |= {float(v.split("=")[1]) for v in catalogue.INPUTS}
    return {float(v) for v in values} | {-float(v) for v in values}


def _markdown(path):
    if path.suffix == ".md":
        return [(0, path.read_text())]
    out, solution = [], False
    for i, c in enumerate(json.loads(path.read_text())["cells"]):
        text = "".join(c["source"])
        solution = (solution or "{solution-start}" in text) and "{solution-end}" not in text
        if c["cell_type"] == "markdown" and not solution:
            out.append((i, text))
    return out


def typed_numbers(text: str, allowed: set) -> list:
    """Numbers in ``text`` outside the skipped parts that are not in ``allowed``."""
    for pattern in SKIP:
        text = pattern.sub(" ", text)
    return [m for m in NUMBER.findall(text) if float(m) not in allowed]


def test_the_scanner_finds_a_typed_number_and_passes_definitions():
    allowed = _declared()
    assert typed_numbers("the onset moves to $w \\approx 1.66$", allowed) == ["1.66"]
    assert typed_numbers("at $b = -0.3$, $w = 1.5$ with $\\alpha = 0.05$ (Rajan and Abbott, PRL 97, 188104, 2006)",
                         allowed) == []
    assert typed_numbers("about 0.61 between neighbouring strengths", allowed) == ["0.61"]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_number_is_typed_into_the_prose(path):
    allowed = _declared()
    found = {i: typed_numbers(text, allowed) for i, text in _markdown(path)}
    found = {i: nums for i, nums in found.items() if nums}
    assert not found, f"{path.name}: numbers typed into Markdown cells (cell: numbers): {found}"
