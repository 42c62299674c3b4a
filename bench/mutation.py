"""Mutation testing of the core modules with mutmut (issue 13). Slow: not part of CI.

One command, from the repository root::

    python bench/mutation.py                 # every module of [tool.mutmut] only_mutate
    python bench/mutation.py readout tasks   # some modules only (names without .py)

It needs mutmut (``requirements-dev.txt``). To keep mutmut's own dependencies (click,
rich, libcst, ...) out of the system environment, install it in a virtual environment
that sees the system packages, and run the script with that interpreter::

    python -m venv --system-site-packages .venv-mutation
    .venv-mutation/bin/pip install -r requirements-dev.txt
    .venv-mutation/bin/python bench/mutation.py

What it does:

1. Copies ``rnnlib/``, ``tests/`` and ``pyproject.toml`` into a work folder
   (``--workdir``, default ``$TMPDIR/rnnlib-mutation``; kept between runs, so mutmut
   re-tests only the functions that changed).
2. In that copy only, rewrites every decorated function (``@register(...)``,
   ``@register_task(...)``, ``@property``) into the same function followed by
   ``name = decorator(name)``. The two forms are equivalent Python, but mutmut 3 never
   mutates a decorated function, and here those are the regularity constructions and
   the task generators, the heart of the model. Memoizing decorators (``lru_cache``)
   are dropped instead: they change only speed, and a cache filled before mutmut forks
   its workers would hide every mutant of the cached function.
3. Runs ``mutmut run`` there (``nice``; ``--jobs`` workers, default 2) with the
   configuration of ``[tool.mutmut]`` in pyproject.toml: the fast unit tests only, and
   for each mutant only the tests that call the mutated function.
4. Prints the score per module: killed / (killed + survived); also timeouts and
   mutants that no test reaches. ``mutmut results`` and ``mutmut show NAME`` (run in the
   work folder) list and show the survivors.

The last scores and the judged survivors are in bench/MUTATION.md.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: mutmut exit-code meaning, as in mutmut.__main__.status_by_exit_code
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 2: "interrupted", None: "not checked",
          33: "no tests", 34: "skipped", 35: "suspicious", 36: "timeout", 37: "caught by type check",
          -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", -11: "segfault", -9: "segfault"}


MEMOIZERS = ("lru_cache", "cache")


def undecorate(source: str) -> str:
    """Rewrite ``@d1 @d2 def f`` as ``def f`` followed by ``f = d1(d2(f))``, at any nesting level.

    ``staticmethod`` and ``classmethod`` stay (mutmut handles them); memoizers are
    dropped. Lines keep their text; only decorator lines move below their function.
    """
    lines = source.splitlines(keepends=True)
    edits = []   # (first decorator line, last decorator line, end of function, indent, name, decorators)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.decorator_list:
            continue
        names = [ast.unparse(d) for d in node.decorator_list]
        if names in (["staticmethod"], ["classmethod"]):
            continue
        names = [d for d in names if not d.split("(")[0].split(".")[-1] in MEMOIZERS]
        first = node.decorator_list[0].lineno - 1
        last = node.decorator_list[-1].end_lineno - 1
        indent = lines[node.lineno - 1][: len(lines[node.lineno - 1]) - len(lines[node.lineno - 1].lstrip())]
        edits.append((first, last, node.end_lineno - 1, indent, node.name, names))
    for first, last, end, indent, name, names in sorted(edits, reverse=True):
        call = name
        for deco in reversed(names):
            call = f"{deco}({call})"
        if names:
            lines.insert(end + 1, f"{indent}{name} = {call}\n")
        del lines[first:last + 1]
    return "".join(lines)


def prepare(workdir: Path, source: Path) -> None:
    """Copy the library, the tests and the paper manifest of ``source`` and this repository's mutmut configuration into ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("rnnlib", "tests"):
        shutil.rmtree(workdir / name, ignore_errors=True)
        shutil.copytree(source / name, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
    # test files that the source does not have (an older commit) are left out of the selection
    config = re.sub(r'"(tests/[^"]+\.py)",?\s*',
                    lambda m: m.group(0) if (workdir / m.group(1)).exists() else "",
                    (ROOT / "pyproject.toml").read_text())
    (workdir / "pyproject.toml").write_text(config)
    # selected tests read the README (its library snippet) and the committed manifest (the cost model's
    # reproduction of the paper profile); mutmut runs the tests in workdir/mutants, the package's root there
    for rel in (Path("README.md"), Path("data") / "paper" / "manifest.json"):
        if (source / rel).exists():
            (workdir / "mutants" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / rel, workdir / "mutants" / rel)
    for path in (workdir / "rnnlib").rglob("*.py"):
        text = path.read_text()
        new = undecorate(text)
        if new != text:
            path.write_text(new)


def scores(workdir: Path, modules: dict) -> dict:
    """Scores per module; ``modules`` maps a module's short name to its path (``rnnlib/model/weights.py``)."""
    out = {}
    for module, path in modules.items():
        meta = workdir / "mutants" / f"{path}.meta"
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter(STATUS.get(code, "suspicious") for code in codes.values())
        caught = counts["killed"] + counts["timeout"] + counts["segfault"]
        judged = caught + counts["survived"] + counts["suspicious"]
        out[module] = dict(counts, total=len(codes), score=round(caught / judged, 3) if judged else None,
                           survivors=sorted(k for k, c in codes.items() if STATUS.get(c) == "survived"))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module names (default: all of [tool.mutmut] only_mutate)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rnnlib-mutation")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="where rnnlib/ and tests/ come from (e.g. an export of an older commit, for a baseline)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel mutmut workers")
    parser.add_argument("--json", type=Path, help="also write the scores and survivors to this file")
    parser.add_argument("--show", action="store_true", help="print the changed line of every survivor")
    parser.add_argument("--no-run", action="store_true", help="only report the results of the last run")
    args = parser.parse_args(argv)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    allowed = {Path(p).stem: Path(p) for p in config["only_mutate"]}
    unknown = sorted(set(args.modules) - set(allowed))
    if unknown:
        parser.error(f"modules must be among {', '.join(allowed)}; got {', '.join(unknown)}")
    modules = {m: allowed[m] for m in (args.modules or allowed)}
    mutmut = Path(sys.executable).with_name("mutmut")
    if not mutmut.exists():
        parser.error(f"mutmut is not installed next to {sys.executable}; see the docstring of bench/mutation.py")
    env = dict(os.environ, PYTHONPATH=str(args.workdir))
    if not args.no_run:
        prepare(args.workdir, args.source.resolve())
        patterns = [".".join(modules[m].with_suffix("").parts) + ".*" for m in modules]
        subprocess.run(["nice", "-n", "10", str(mutmut), "run", "--max-children", str(args.jobs), *patterns],
                       cwd=args.workdir, env=env, check=False, stdout=subprocess.DEVNULL)
    result = scores(args.workdir, modules)
    if args.show:
        for r in result.values():
            for name in r["survivors"]:
                diff = subprocess.run([str(mutmut), "show", name], cwd=args.workdir, env=env,
                                      capture_output=True, text=True).stdout
                changed = [line[1:].strip() for line in diff.splitlines()
                           if line[:1] in "-+" and line[:3] not in ("---", "+++")]
                print(f"{name}\n    - {changed[0] if changed else ''}\n    + {changed[-1] if len(changed) > 1 else ''}")
    print(f"{'module':14s} {'mutants':>7s} {'killed':>6s} {'survived':>8s} {'timeout':>7s} {'no tests':>8s} {'score':>6s}")
    for module, r in result.items():
        score = "-" if r["score"] is None else f"{100 * r['score']:.0f}%"
        print(f"{module:14s} {r['total']:7d} {r.get('killed', 0):6d} {r.get('survived', 0):8d} "
              f"{r.get('timeout', 0):7d} {r.get('no tests', 0):8d} {score:>6s}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
