"""The CPU time of regenerating the paper profile, one experiment at a time, with ``/usr/bin/time``.

One command, from a *scratch clone* of the repository (the experiments are recomputed into
that clone's ``data/paper``, never into the committed data of the clone you work in)::

    git clone . /tmp/regen && cd /tmp/regen
    python bench/regen_time.py --log regen-time.jsonl          # measure, resumable
    python bench/regen_time.py --log regen-time.jsonl --report # the table and the totals
    python bench/regen_time.py --log regen-time.jsonl --compare other.jsonl  # one machine against another

For each experiment of the catalogue, cheapest first by the cost model, then those with a
runner of their own (``specifications``), it runs
``/usr/bin/time -f "%U %S %e" python -m rnnlib run NAME --profile paper --recompute --reuse DONE``
and appends one JSON line to the log: user and system CPU seconds of the process and
its workers, wall seconds, the chunk time the committed manifest recorded when
the file was made, and ``reuse``: the experiments this invocation had already
recomputed, whose cells with the same key are copied, as ``python -m rnnlib regen``
does (after a resumption, fewer are, so a resumed total is an upper bound), with
``cells_copied``, how many cells the run copied (from the clone's new manifest). An experiment already in the log is skipped, so an interrupted
measurement resumes where it stopped (across sessions too).

Machines differ in speed, so each session also logs a *reference*: the float64 rate
of one thread on a 2048 x 2048 matrix product per CPU-second (:func:`reference_gflops`;
``bench/README.md`` gives 48 GFLOP/s for the machine that made most of the committed
data). ``--report`` sums the CPU time as measured and names each session's reference.
That rate does **not** convert CPU time between machines: the experiments measured again
on a machine with 1.6 times the rate took 0.72 to 0.93 times their earlier CPU time, not
0.63 (``--compare``: the same experiments in two logs, with the ratio of their CPU times
and of the sessions' references); presumably the products of networks of a few hundred
neurons are too small for the rate of a large product to describe them, and ``tanh``,
the readout and Python take their share (not profiled). So a total measured on one
machine is a statement about that machine only.
Timings in tests are forbidden; this is a benchmark (not part of CI).
"""
from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def reference_gflops(size: int = 2048, repeats: int = 3) -> float:
    """Float64 GFLOP per CPU-second of a ``size`` x ``size`` matrix product on one thread, best of ``repeats``.

    The rate of ``bench/run.py``'s ``gemm_peak_fraction``, but per CPU-second (``time.process_time``),
    so that other processes on the machine do not lower it.
    """
    import numpy as np
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).standard_normal((size, size))
    best = np.inf
    with threadpool_limits(1):
        for _ in range(repeats):
            start = time.process_time()
            a @ a
            best = min(best, time.process_time() - start)
    return 2 * size ** 3 / best / 1e9


def _entries(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()] if log.exists() else []


def _append(log: Path, entry: dict) -> None:
    with log.open("a") as f:                       # one whole line per write: a killed run leaves whole lines
        f.write(json.dumps(entry) + "\n")


def measure(log: Path, names=None) -> None:
    from rnnlib.pipeline.catalogue import CATALOG, RUNNERS
    from rnnlib.pipeline.cost import estimate_seconds

    committed = subprocess.run(["git", "show", "HEAD:data/paper/manifest.json"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout     # the clone's own file is rewritten by each run
    manifest = json.loads(committed)
    manifest = manifest.get("experiments", manifest)
    session = f"{platform.node()} {time.strftime('%Y-%m-%dT%H:%M:%S')}"
    _append(log, {"reference_gflops": reference_gflops(), "session": session})
    done = {e["experiment"] for e in _entries(log) if "experiment" in e}
    order = sorted(CATALOG, key=lambda n: estimate_seconds(CATALOG[n], "paper")) + list(RUNNERS)  # no model: last
    todo = [n for n in order if n not in done and (not names or n in names)]
    recomputed = []         # by this invocation, in this clone: like `regen`, later experiments copy their cells
    for name in todo:
        print(f"{name} ...", file=sys.stderr, flush=True)
        cmd = ["/usr/bin/time", "-f", "%U %S %e", sys.executable, "-m", "rnnlib", "run", name, "--profile", "paper",
               "--recompute", "--no-progress"] + (["--reuse", ",".join(recomputed)] if recomputed else [])
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{name} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
        user, system, wall = map(float, proc.stderr.strip().splitlines()[-1].split())
        recorded = manifest.get(name, {}).get("compute_time_s")
        fresh = json.loads((ROOT / "data" / "paper" / "manifest.json").read_text()).get(name, {})
        _append(log, {"experiment": name, "user_s": user, "system_s": system, "wall_s": wall,
                      "manifest_compute_s": recorded, "session": session, "reuse": list(recomputed),
                      "cells_copied": fresh.get("cells_copied")})
        if name in CATALOG:
            recomputed.append(name)
        print(f"{name}: {user + system:.0f} CPU s ({wall:.0f} s wall)", file=sys.stderr, flush=True)


def _cpu(entry: dict) -> float:
    return entry["user_s"] + entry["system_s"]


def report(log: Path) -> str:
    """A Markdown table of the measured experiments and their total CPU time, with each session's reference rate."""
    entries = _entries(log)
    references = {e["session"]: e["reference_gflops"] for e in entries if "reference_gflops" in e}
    measured = [e for e in entries if "experiment" in e]
    def optional(value):
        return "–" if value is None else f"{value:.0f}"
    rows = [f"| `{e['experiment']}` | {_cpu(e):.0f} | {e['wall_s']:.0f} | {optional(e.get('cells_copied'))} | "
            f"{references[e['session']]:.1f} |" for e in measured]
    head = ["| experiment | CPU s (user + system) | wall s | cells copied from experiments before it "
            "| reference GFLOP/s of its session |", "| --- | --- | --- | --- | --- |"]
    total = sum(_cpu(e) for e in measured)
    return "\n".join(head + rows) + (f"\n\n{len(rows)} experiments: {total / 60:.1f} CPU-min "
                                     f"({total / 3600:.2f} CPU-h), {sum(e['wall_s'] for e in measured) / 60:.1f} "
                                     "min of wall time.")


def compare(log: Path, other: Path) -> str:
    """The experiments of ``other`` that ``log`` holds too: CPU time in each, their ratio, and the references' ratio."""
    def latest(path):
        entries = _entries(path)
        references = {e["session"]: e["reference_gflops"] for e in entries if "reference_gflops" in e}
        return {e["experiment"]: (_cpu(e), references[e["session"]]) for e in entries if "experiment" in e}
    first, second = latest(log), latest(other)
    common = [name for name in second if name in first]
    if not common:
        raise SystemExit(f"{other} holds no experiment that {log} holds")
    rows = [f"| `{n}` | {first[n][0]:.0f} | {second[n][0]:.0f} | {second[n][0] / first[n][0]:.2f} | "
            f"{first[n][1] / second[n][1]:.2f} |" for n in common]
    return "\n".join(["| experiment | CPU s, first | CPU s, second | second / first | inverse ratio of the "
                      "references |", "| --- | --- | --- | --- | --- |"] + rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log", type=Path, required=True, help="JSON-lines log (appended; resumable)")
    parser.add_argument("--report", action="store_true", help="print the table of the log and stop")
    parser.add_argument("--compare", type=Path, metavar="OTHER_LOG",
                        help="print the experiments both logs hold, with the ratio of their CPU times, and stop")
    parser.add_argument("names", nargs="*", help="only these experiments (default: all)")
    args = parser.parse_args(argv)
    if args.report:
        print(report(args.log))
    elif args.compare:
        print(compare(args.log, args.compare))
    else:
        measure(args.log, args.names)


if __name__ == "__main__":
    main()
