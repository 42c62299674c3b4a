"""The architecture is the folder layout: each subpackage of rnnlib is one layer, and imports go only downwards.

The layers are the subpackages themselves; each one's docstring states its place
("Layer k") and what it may import. A module imports only from its own
subpackage or from a subpackage of a lower layer, never upwards, and there is no
import cycle. Every ``import`` statement counts, at module level and inside
functions (read with :mod:`ast`, so an import that only runs in a rare branch
counts too). Only the package's front stays at the top: ``__init__`` (the names
of ``import rnnlib``), ``experiments`` (the public ``rnnlib.experiments.load``),
the command line (``cli``, ``__main__``) and ``_version``.
"""
import ast
import re
from pathlib import Path

import pytest

import rnnlib

PACKAGE = Path(rnnlib.__file__).parent
README = PACKAGE.parent / "README.md"

#: Modules allowed at the top of the package, and the layer they count as.
FRONT = {"_version": 0, "__init__": 99, "__main__": 99, "cli": 99, "experiments": 99}


def subpackages() -> list:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


def layer_of_subpackage(name: str) -> int:
    """The layer number a subpackage's docstring states ("Layer k")."""
    doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text())) or ""
    found = re.search(r"^Layer (\d+)\b", doc, flags=re.M)
    assert found, f"rnnlib/{name}/__init__.py: its docstring must say which layer it is ('Layer k: may import ...')"
    return int(found.group(1))


def modules() -> dict:
    """Dotted module name relative to rnnlib ("model.weights", "cli") -> path."""
    return {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p for p in sorted(PACKAGE.rglob("*.py"))}


def level(module: str) -> int:
    head = module.split(".")[0]
    return FRONT[module] if "." not in module else layer_of_subpackage(head)


def _resolve(module: str, node) -> list:
    """rnnlib modules (dotted, relative to rnnlib; a package as ``pkg.__init__``) that an import node brings in."""
    known = modules()

    def as_module(dotted: str) -> str:
        if dotted in known:
            return dotted
        package = f"{dotted}.__init__" if dotted else "__init__"
        return package

    if isinstance(node, ast.Import):
        return [as_module(".".join(a.name.split(".")[1:])) for a in node.names if a.name.split(".")[0] == "rnnlib"]
    if node.level == 0:
        if not (node.module or "").split(".")[0] == "rnnlib":
            return []
        base = (node.module or "").split(".")[1:]
    else:
        here = module.split(".")[:-1]  # the package the module sits in
        if node.level - 1 > len(here):
            raise AssertionError(f"{module}: relative import beyond the package")
        base = here[:len(here) - (node.level - 1)] + [p for p in (node.module or "").split(".") if p]
    found = []
    for alias in node.names:
        candidate = ".".join(base + [alias.name])
        found.append(candidate if candidate in known else as_module(".".join(base)))
    return found


def imports() -> dict:
    """module -> set of rnnlib modules it imports anywhere in its source."""
    graph = {}
    for module, path in modules().items():
        tree = ast.parse(path.read_text())
        graph[module] = {t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                         for t in _resolve(module, node)} - {module}
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


def test_every_module_sits_in_a_layer_folder_or_is_part_of_the_front():
    loose = [m for m in modules() if "." not in m and m not in FRONT]
    assert loose == [], f"move {loose} into the subpackage of its layer ({', '.join(subpackages())})"
    assert len(modules()) > 30


def test_each_layer_folder_says_what_it_is_and_has_its_own_level():
    levels = {name: layer_of_subpackage(name) for name in subpackages()}
    assert sorted(levels.values()) == list(range(1, len(levels) + 1)), levels


def test_no_import_cycle_at_module_level_or_inside_functions():
    assert _cycle(imports()) is None, f"import cycle: {' -> '.join(_cycle(imports()))}"


def test_no_module_imports_from_a_higher_layer():
    upward = [f"{m} (layer {level(m)}) imports {t} (layer {level(t)})"
              for m, targets in imports().items() for t in sorted(targets) if level(t) > level(m)]
    assert upward == []


def test_the_checks_see_imports_inside_functions_and_resolve_relative_paths():
    tree = ast.parse("def f():\n    from .. import experiments\n    from .engine import cell\n"
                     "    from ..model import theory, weights as w\n    import rnnlib.claims.verdicts\n")
    found = {t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
             for t in _resolve("pipeline.store", node)}
    assert found == {"experiments", "pipeline.engine", "model.theory", "model.weights", "claims.verdicts"}
    assert level("claims.verdicts") > level("pipeline.store") > level("model.theory")
    assert _cycle({"a": {"b"}, "b": {"a"}}) in (["a", "b", "a"], ["b", "a", "b"])
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _readme_layers() -> list:
    text = README.read_text()
    section = text[text.index("## How the code is organised"):]
    section = section[:section.index("\n## ", 1)]
    return re.findall(r"^\| `rnnlib/(\w+)/` \|", section, flags=re.M)


def test_the_readme_lists_the_layer_folders_in_order():
    assert _readme_layers() == sorted(subpackages(), key=layer_of_subpackage)


@pytest.mark.parametrize("module", ["pipeline.store", "pipeline.engine"])
def test_the_store_and_the_engine_know_nothing_above_them(module):
    assert not imports()[module] & {"experiments", "pipeline.verify", "pipeline.catalogue", "pipeline.cost", "cli"}


@pytest.mark.parametrize("old, new", [("theory", "model.theory"), ("stats", "statistics.stats"),
                                      ("tasks", "reservoir.tasks"), ("seeding", "model.seeding")])
def test_the_old_public_module_paths_still_import(old, new):
    import importlib
    assert importlib.import_module(f"rnnlib.{old}") is importlib.import_module(f"rnnlib.{new}")
    assert importlib.import_module("rnnlib.experiments").load is importlib.import_module("rnnlib.pipeline.experiments").load
