"""The architecture: every module of rnnlib sits in one layer, imports only from its own layer or below, no cycles.

Every ``import`` statement counts, at module level and inside functions (read
with :mod:`ast`, so an import that only runs in a rare branch counts too).
The layer table is :data:`LAYERS`; the README's "How the code is organised"
section shows the same table, and a test keeps the two equal.
"""
import ast
import re
from pathlib import Path

import pytest

import rnnlib

PACKAGE = Path(rnnlib.__file__).parent
README = PACKAGE.parent / "README.md"

#: Layers from the bottom up: a module may import modules of its own layer and of the layers below.
LAYERS = {
    "core model": ("_version", "_checks", "seeding", "constructions", "weights", "dynamics", "signatures",
                   "spectrum", "theory", "stats", "inference", "synthetic"),
    "reservoir": ("tasks", "readout", "reservoir"),
    "pipeline": ("store", "engine", "catalogue", "cost", "execute", "experiments", "verify"),
    "presentation": ("figstyle", "plot_maps", "plot_curves", "plotting", "chapter", "appendix", "scorecard", "boundaries", "verdicts", "explorer", "book", "cli", "__main__"),
    "public API": ("__init__",),
}
LEVEL = {module: level for level, modules in enumerate(LAYERS.values()) for module in modules}


def _modules() -> list:
    return sorted(p.stem for p in PACKAGE.glob("*.py"))


def _target(node, module) -> list:
    """rnnlib modules an import node brings in (``__init__`` for the package itself)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
        return ["__init__" if n == "rnnlib" else n.split(".")[1] for n in names if n.split(".")[0] == "rnnlib"]
    if node.level == 0 and not (node.module or "").startswith("rnnlib"):
        return []
    if node.level > 1:
        raise AssertionError(f"{module}: relative import beyond the package")
    parts = (node.module or "").split(".")
    if node.level == 0:
        parts = parts[1:]
    if parts and parts[0]:
        return [parts[0]]
    # "from . import x": a module when x is one, else a name of the package itself
    return [a.name if (PACKAGE / f"{a.name}.py").exists() else "__init__" for a in node.names]


def imports() -> dict:
    """module -> set of rnnlib modules it imports anywhere in its source."""
    graph = {}
    for module in _modules():
        tree = ast.parse((PACKAGE / f"{module}.py").read_text())
        graph[module] = {t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                         for t in _target(node, module)} - {module}
    return graph


def _cycle(graph):
    """One import cycle as a list of modules, or None."""
    state = {}

    def visit(m, path):
        state[m] = "open"
        for t in sorted(graph.get(m, ())):
            if state.get(t) == "open":
                return path[path.index(t):] + [t]
            if t not in state:
                found = visit(t, path + [t])
                if found:
                    return found
        state[m] = "done"
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m, [m])
            if found:
                return found
    return None


def test_every_module_has_a_layer():
    assert sorted(LEVEL) == _modules(), "place the new module in LAYERS (tests/test_layers.py) and the README"


def test_no_import_cycle_at_module_level_or_inside_functions():
    assert _cycle(imports()) is None, f"import cycle: {' -> '.join(_cycle(imports()))}"


def test_no_module_imports_from_a_higher_layer():
    names = list(LAYERS)
    upward = [f"{m} ({names[LEVEL[m]]}) imports {t} ({names[LEVEL[t]]})"
              for m, targets in imports().items() for t in sorted(targets) if LEVEL[t] > LEVEL[m]]
    assert upward == []


def test_the_checks_see_imports_inside_functions_and_find_cycles():
    tree = ast.parse("def f():\n    from . import experiments\n    from .engine import cell\n")
    found = {t for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for t in _target(node, "store")}
    assert found == {"experiments", "engine"}
    assert _cycle({"store": {"engine"}, "engine": {"store"}}) in (["store", "engine", "store"],
                                                                 ["engine", "store", "engine"])
    assert _cycle({"engine": {"store"}, "store": set()}) is None


def _readme_layers() -> dict:
    text = README.read_text()
    section = text[text.index("## How the code is organised"):]
    section = section[:section.index("\n## ", 1)]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|", section, flags=re.M)
    return {layer.strip("* "): tuple(re.findall(r"`([\w.]+)`", modules)) for layer, modules in rows
            if "`" in modules}


def test_the_readme_shows_the_same_layers():
    assert _readme_layers() == LAYERS


@pytest.mark.parametrize("module", ["store", "engine"])
def test_the_store_and_the_engine_know_nothing_above_them(module):
    assert not imports()[module] & {"experiments", "verify", "catalogue", "cost", "cli"}
