"""The command line: ``python -m rnnlib {list,run,regen,book}``.

A user mistake (unknown experiment or profile, a malformed or unreachable
scheduler, an unwritable output, a bad number) prints one line on stderr and
exits with status 2: these are :class:`rnnlib.UsageError` (raised where the
request is checked) and :class:`ConnectionError` (the scheduler did not
answer). Anything else, a ``ValueError`` from inside a computation included,
is a bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .model._checks import UsageError

__all__ = ["main"]

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _names(text):
    """A comma-separated list of experiment names (checked against the catalogue by ``load``)."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _workers(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"--workers must be a positive integer, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .pipeline.engine import PROFILES
    p = _Parser(prog="python -m rnnlib", description="Compute, store and publish the experiments of the book.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def profile(q):
        q.add_argument("--profile", default="quick", choices=PROFILES, help="size profile (default: quick)")

    def execution(q):
        q.add_argument("--workers", type=_workers, default=None, help="local processes (default: all cores)")
        q.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on a dask.distributed cluster, e.g. tcp://10.0.0.5:8786")
        q.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    q = sub.add_parser("list", help="show the experiments, their sizes and estimated cost")
    q.add_argument("--profile", default=None, choices=PROFILES, help="show one profile (default: both)")
    q.add_argument("--workers", type=_workers, default=None, help="workers assumed by the estimate")
    q = sub.add_parser("run", help="compute (or load) one experiment's data")
    q.add_argument("experiment")
    profile(q)
    execution(q)
    q.add_argument("--output", type=Path, default=None, metavar="FILE", help="also write the dataset to FILE")
    q.add_argument("--recompute", action="store_true", help="ignore a stored result")
    q.add_argument("--reuse", type=_names, default=None, metavar="NAMES",
                   help="comma-separated experiments whose current stored results may supply identical cells "
                        "(default: all, or none with --recompute)")
    q = sub.add_parser("regen", help="recompute every experiment of a profile")
    profile(q)
    execution(q)
    q.add_argument("--stale-only", action="store_true", help="skip experiments whose stored result is current")
    q = sub.add_parser("book", help="execute every chapter and build the HTML site into _build/html")
    profile(q)
    q.add_argument("--repository-url", default=None, metavar="URL",
                   help="repository the launch (Binder) and repository buttons point at "
                        "(default: GitHub Actions' GITHUB_SERVER_URL/GITHUB_REPOSITORY; '' for no buttons)")
    q.add_argument("--workers", type=_workers, default=2, help="chapters executed at once (default: 2)")
    return p


def _status(exp, profile) -> str:
    """``current``, ``stale`` (or damaged) or ``-`` (nothing stored) for the default store."""
    from .pipeline import store
    path = store.result_path(exp.name, profile)
    if not path.exists():
        return "-"
    return "current" if store.read(path, store.fingerprint(exp.resolved(profile))) is not None else "stale"


def _list(args) -> None:
    from .pipeline import catalogue, execute, store
    from .pipeline.cost import estimate_seconds, measured_seconds
    from .pipeline.engine import PROFILES
    profiles = PROFILES if args.profile is None else (args.profile,)
    workers = execute.resolve_workers(args.workers)
    print(f"{'experiment':26s} {'quantity':10s} "
          + " ".join(f"{p + ' grid':>32s} {'~s':>5s} {'stored':>7s}" for p in profiles))
    totals = dict.fromkeys(profiles, 0.0)
    measured = dict.fromkeys(profiles, 0.0)
    for name, exp in catalogue.everything().items():
        own = name in catalogue.RUNNERS              # a runner of its own: its grid and estimate are its own
        cols = []
        for p in profiles:
            if own:
                grid, sec = exp.grid(p), exp.estimate_seconds(p, workers)
            else:
                s = exp.sizes(p)
                grid = " x ".join(str(len(v)) for _, v in s.axes) + f" x {s.instances} inst" + (
                    "" if "n" in s.names else f", n={s.n}")
                sec = estimate_seconds(exp, p, workers)
            totals[p] += sec
            measured[p] += measured_seconds(name, p) or 0.0
            cols.append(f"{grid:>32s} {sec:5.0f} {_status(exp, p):>7s}")
        print(f"{name:26s} {exp.quantity:10s} " + " ".join(cols))
        print(f"    {exp.description}; axes: {', '.join(exp.axes() if own else exp.sizes(profiles[0]).names)}")
    print(f"~s: estimated seconds on {workers} worker(s) of the reference machine (the cost model of rnnlib.pipeline.cost, "
          "fitted to the times recorded in data/paper/manifest.json; for "
          + ", ".join(catalogue.RUNNERS) + ": its recorded paper time per cell)")
    print(f"estimated total on {workers} worker(s): " + ", ".join(f"{p} {t / 60:.1f} min" for p, t in totals.items()))
    recorded = [f"{p} {t / 60:.1f} min" for p, t in measured.items() if t > 0]
    if recorded:
        print("recorded in the manifests (wall time of the stored runs): " + ", ".join(recorded))
        serial = {p: sum(e.get("compute_time_s", 0.0) for name, e in store.read_manifest(store.default_root(p)).items()
                         if name in catalogue.everything()) for p in profiles}
        print("and the sum of their chunk times (one BLAS thread per chunk: the CPU time of a run on an idle machine, "
              "an upper bound on it under load): " + ", ".join(f"{p} {t / 60:.1f} min" for p, t in serial.items() if t > 0))


def _scheduler_not_needed(args, current: bool) -> None:
    """Say so when a scheduler was given but nothing had to be computed (it was not contacted)."""
    if args.scheduler is not None and current:
        print(f"rnnlib: note: the stored result is current, so the scheduler {args.scheduler} was not used "
              "(add --recompute to compute on it)", file=sys.stderr)


def _check_output(path: Path) -> None:
    """Refuse, before anything is computed, an output file that cannot be written."""
    parent = path.expanduser().resolve().parent
    if path.is_dir() or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"cannot write the output file {str(path)!r} (missing directory or no permission)")


def _run(args) -> None:
    from .pipeline import execute, store
    from .pipeline.catalogue import get
    from .pipeline.experiments import load
    exp = get(args.experiment)
    execute.check_scheduler(args.scheduler)
    if args.output is not None:
        _check_output(args.output)
    _scheduler_not_needed(args, not args.recompute and _status(exp, args.profile) == "current")
    ds = load(exp.name, args.profile, workers=args.workers, scheduler=args.scheduler,
              progress=not args.no_progress, recompute=args.recompute, reuse=args.reuse)
    if args.output is not None:
        store.write(ds, args.output)
    print(f"{exp.name} [{args.profile}]: {store.result_path(exp.name, args.profile)}"
          + (f", {args.output}" if args.output is not None else ""))


def _regen(args) -> None:
    from .pipeline import catalogue, execute
    from .pipeline.experiments import load
    execute.check_scheduler(args.scheduler)
    start = time.perf_counter()
    todo = {name: exp for name, exp in catalogue.everything().items()
            if not (args.stale_only and _status(exp, args.profile) == "current")}
    _scheduler_not_needed(args, not todo)
    done = []               # recomputed in this run: they may supply identical cells to the later ones
    for name, exp in todo.items():
        t = time.perf_counter()
        local = name in catalogue.RUNNERS and args.scheduler is not None
        if local:
            print(f"rnnlib: note: {name} runs on local processes only, not on the scheduler", file=sys.stderr)
        load(exp, args.profile, workers=args.workers, scheduler=None if local else args.scheduler,
             progress=not args.no_progress, recompute=True, reuse=tuple(done))
        if name in catalogue.CATALOG:
            done.append(name)
        print(f"{name}: {time.perf_counter() - t:.1f} s", flush=True)
    print(f"regenerated the {args.profile} profile in {(time.perf_counter() - start) / 60:.1f} min")


def _book(args) -> None:
    try:
        from .book import build as book
    except ImportError as exc:
        raise UsageError(f"the book builder is not available ({exc})") from None
    html = book.build(args.profile, repository_url=args.repository_url, workers=args.workers,
                      report=lambda timings: print(book.timing_table(timings), flush=True))
    print(f"the book is built: open {html / 'index.html'}")


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    try:
        args = build_parser().parse_args(argv)
        {"list": _list, "run": _run, "regen": _regen, "book": _book}[args.command](args)
    except BrokenPipeError:                      # the reader went away (e.g. `| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UsageError, ConnectionError) as exc:
        print(f"rnnlib: error: {exc}".splitlines()[0], file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("rnnlib: interrupted; finished chunks are kept, run the same command again to resume",
              file=sys.stderr)
        return 130
    return 0
