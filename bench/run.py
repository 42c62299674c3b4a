"""Benchmark of the reservoir run: rnnlib against a plain loop and reservoirpy, in one process.

The same task (all 1797 ``digits`` sequences, 8 steps of 8 inputs), the same W
(baseline ensemble, strength 0.9, balance 0) and the same W_in (standard
deviation 1) go through

- rnnlib: :func:`rnnlib.reservoir.driven.reservoir_states`, all samples as columns of one
  matrix product per step (float64, and the float32 option);
- a plain loop: one sample at a time, one step at a time,
  ``x = tanh(W @ x + W_in @ u)``;
- reservoirpy 0.4.2: ``Reservoir(W=W, Win=W_in, bias=0, lr=1).run`` on the list of
  sequences, then its ``Ridge``.

Each method is timed ``--repeats`` times, interleaved, and the best time is kept
(the machine may be shared). The readout is the ridge regression on the final
states (rnnlib's for rnnlib and the loop, reservoirpy's ``Ridge`` for
reservoirpy); the test accuracy of each is printed. ``gemm_peak_fraction`` is
the matrix-product FLOP rate of the rnnlib run, :math:`(2 N^2 + 2 N d) S T /
t`, over this machine's float64 rate for a 2048 x 2048 product measured in the
same run.

Usage: ``python bench/run.py [--sizes 100 400] [--repeats 3] [--threads K] [--json FILE]``.
``--threads`` sets the BLAS thread count through the environment variables read when numpy
loads (default 1; 0 keeps the library default, all cores, which on a shared machine makes
every BLAS call wait for busy cores).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys


from common import limit_blas_threads, matmul_peak, timed


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 400], help="reservoir sizes N")
    p.add_argument("--repeats", type=int, default=3, help="timed repetitions per method (best kept)")
    p.add_argument("--threads", type=int, default=1,
                   help="BLAS threads (default 1, one core per process as in the experiment pool; 0: library default)")
    p.add_argument("--ridge", type=float, default=1e-6, help="ridge parameter of the readout")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    return p.parse_args(argv)


if __name__ == "__main__":
    ARGS = parse()
    limit_blas_threads(ARGS.threads)

# numpy (and so BLAS) loads only now, after the thread count is set
import numpy as np  # noqa: E402
from reservoirpy.nodes import Reservoir, Ridge  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib.reservoir.readout import fit_ridge  # noqa: E402
from rnnlib.reservoir.driven import input_weights, reservoir_states  # noqa: E402

import sweep  # noqa: E402  (bench/sweep.py)


def plain_loop(W, W_in, sequences):
    """Final states (S, N), one sample and one step at a time: ``x = tanh(W x + W_in u)``."""
    final = np.empty((len(sequences), W.shape[0]))
    for s, seq in enumerate(sequences):
        x = np.zeros(W.shape[0])
        for u in seq:
            x = np.tanh(W @ x + W_in @ u)
        final[s] = x
    return final


def measure(n, data, args, peak) -> dict:
    """Time the four methods at size ``n`` (interleaved, best of ``args.repeats``) and score their readouts."""
    u = np.concatenate([data.train_inputs, data.test_inputs], axis=1)      # (T, S, d)
    sequences = np.ascontiguousarray(u.transpose(1, 0, 2))               # (S, T, d)
    steps, samples, dim = u.shape
    W = rnnlib.make_weights(n, 0.9, seed=args.seed)
    W_in = input_weights(n, dim, 1.0, args.seed)
    methods = {"rnnlib float64": lambda: reservoir_states(W, W_in, u),
               "rnnlib float32": lambda: reservoir_states(W, W_in, u, dtype=np.float32),
               "plain loop": lambda: plain_loop(W, W_in, sequences),
               "reservoirpy": lambda: np.asarray(Reservoir(W=W, Win=W_in, bias=0.0, lr=1.0).run(sequences))}
    times, outputs = {k: [] for k in methods}, {}
    for _ in range(args.repeats):              # interleaved, so a busy spell hits every method alike
        for name, fn in methods.items():
            sec, outputs[name] = timed(fn)
            times[name].append(sec)
    t = {k: min(v) for k, v in times.items()}
    finals = {"rnnlib float64": outputs["rnnlib float64"][-1].T, "rnnlib float32": outputs["rnnlib float32"][-1].T,
              "plain loop": outputs["plain loop"], "reservoirpy": outputs["reservoirpy"][:, -1]}
    flops = (2 * n * n + 2 * n * dim) * samples * steps
    return {"seconds": t, "accuracy": {k: accuracy(k, F, data, args.ridge) for k, F in finals.items()},
            "flops_per_run": flops,
            "speedup_vs_reservoirpy": t["reservoirpy"] / t["rnnlib float64"],
            "speedup_vs_naive_loop": t["plain loop"] / t["rnnlib float64"],
            "gemm_peak_fraction": flops / t["rnnlib float64"] / peak,
            "speedup_float32_vs_float64": t["rnnlib float64"] / t["rnnlib float32"],
            "float32_speedup_vs_reservoirpy": t["reservoirpy"] / t["rnnlib float32"],
            # no float64 run can beat this: reservoirpy's time over the time of the run's FLOPs at peak
            "speedup_vs_reservoirpy_bound_at_peak": t["reservoirpy"] * peak / flops,
            "max_state_difference_rnnlib_reservoirpy":
                float(np.abs(outputs["reservoirpy"].transpose(1, 2, 0) - outputs["rnnlib float64"]).max())}


def accuracy(method, final_states, data, ridge) -> float:
    """Test accuracy of the ridge readout on final states (S, N): reservoirpy's Ridge for reservoirpy, else rnnlib's."""
    n_train = len(data.train_labels)
    train, test = np.asarray(final_states[:n_train], np.float64), np.asarray(final_states[n_train:], np.float64)
    if method == "reservoirpy":
        scores = Ridge(ridge=ridge).fit(train, np.eye(data.n_classes)[data.train_labels]).run(test)
        predicted = np.argmax(scores, axis=1)
    else:
        predicted = fit_ridge(train, data.train_labels, data.n_classes, ridge).predict(test)
    return float(np.mean(predicted == data.test_labels))


def report(figures, data) -> None:
    """Print the table and the headline ratios."""
    T, S, d = data.train_inputs.shape[0], len(data.train_labels) + len(data.test_labels), data.train_inputs.shape[2]
    machine = figures["machine"]
    print(f"digits: {S} sequences x {T} steps x {d} inputs; float64 matrix-product peak "
          f"{machine['gemm_float64_flops'] / 1e9:.1f} GFLOP/s; best of {machine['repeats']}, "
          f"BLAS threads {machine['blas_threads']}")
    print(f"{'N':>5} {'method':<16} {'time [ms]':>10} {'x rnnlib':>9} {'accuracy':>9}")
    for key, r in figures["details"].items():
        base = r["seconds"]["rnnlib float64"]
        for name, sec in r["seconds"].items():
            print(f"{key:>5} {name:<16} {sec * 1e3:>10.2f} {sec / base:>9.2f} {r['accuracy'][name]:>9.3f}")
    for key, r in figures["details"].items():
        print(f"N={key}: speedup vs reservoirpy {r['speedup_vs_reservoirpy']:.1f}x "
              f"(float32 {r['float32_speedup_vs_reservoirpy']:.1f}x), vs plain loop {r['speedup_vs_naive_loop']:.1f}x, "
              f"gemm peak fraction {r['gemm_peak_fraction']:.2f} (at peak the speedup vs reservoirpy would be "
              f"{r['speedup_vs_reservoirpy_bound_at_peak']:.1f}x), states differ from reservoirpy by "
              f"{r['max_state_difference_rnnlib_reservoirpy']:.1e}")


def main(args) -> dict:
    peak = matmul_peak()
    data = rnnlib.make_task("digits", seed=args.seed)
    details = {str(n): measure(n, data, args, peak) for n in args.sizes}
    headline = ("speedup_vs_reservoirpy", "speedup_vs_naive_loop", "gemm_peak_fraction", "speedup_float32_vs_float64")
    figures = {key: {n: r[key] for n, r in details.items()} for key in headline}
    figures["details"] = details
    figures["machine"] = {"gemm_float64_flops": peak, "cpu_count": os.cpu_count(), "python": sys.version.split()[0],
                          "numpy": np.__version__, "platform": platform.platform(),
                          "blas_threads": args.threads or "default", "repeats": args.repeats}
    report(figures, data)
    # the strength sweep of issue 4: a quick-profile phase diagram, batched against one network per strength
    sweep_args = argparse.Namespace(experiment="baseline_phase", profile="quick", repeats=args.repeats,
                                    threads=args.threads)
    figures["phase_diagram_sweep"] = sweep.main(sweep_args, peak)
    figures["speedup_phase_diagram_vs_per_network"] = figures["phase_diagram_sweep"]["speedup"]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(figures, fh, indent=2)
    return figures


if __name__ == "__main__":
    main(ARGS)
