"""Benchmark of the reservoir run: rnnlib against a plain loop and reservoirpy, in one process.

The same task (all 1797 ``digits`` sequences, 8 steps of 8 inputs), the same W
(baseline ensemble, strength 0.9, balance 0) and the same W_in (standard
deviation 1) go through

- rnnlib: :func:`rnnlib.reservoir.reservoir_states`, all samples as columns of one
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
import time


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


def main(argv=None):
    args = parse(argv)
    if args.threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    import numpy as np
    from reservoirpy.nodes import Reservoir, Ridge

    import rnnlib
    from rnnlib.readout import fit_ridge
    from rnnlib.reservoir import input_weights, reservoir_states

    def best_time(fn, repeats):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        return min(times), out

    def accuracy_ours(final_states, data, n_train):   # final_states (samples, N)
        r = fit_ridge(final_states[:n_train], data.train_labels, 10, args.ridge)
        return float(np.mean(r.predict(final_states[n_train:]) == data.test_labels))

    A = np.random.default_rng(0).standard_normal((2048, 2048))
    t_peak, _ = best_time(lambda: A @ A, 5)
    peak = 2 * 2048 ** 3 / t_peak

    data = rnnlib.make_task("digits", seed=args.seed)
    u = np.concatenate([data.train_inputs, data.test_inputs], axis=1)        # (T, S, d)
    steps, samples, dim = u.shape
    n_train = len(data.train_labels)
    sequences = np.ascontiguousarray(u.transpose(1, 0, 2))                 # (S, T, d) for the loop and reservoirpy

    rows, figures = [], {"speedup_vs_reservoirpy": {}, "speedup_vs_naive_loop": {},
                         "gemm_peak_fraction": {}, "speedup_float32_vs_float64": {}}
    for n in args.sizes:
        W = rnnlib.make_weights(n, 0.9, seed=args.seed)
        W_in = input_weights(n, dim, 1.0, args.seed)

        def naive():
            final = np.empty((samples, n))
            for s in range(samples):
                x = np.zeros(n)
                for t in range(steps):
                    x = np.tanh(W @ x + W_in @ sequences[s, t])
                final[s] = x
            return final

        def rpy_run():
            return np.asarray(Reservoir(W=W, Win=W_in, bias=0.0, lr=1.0).run(sequences))

        methods = {"rnnlib float64": lambda: reservoir_states(W, W_in, u),
                   "rnnlib float32": lambda: reservoir_states(W, W_in, u, dtype=np.float32),
                   "plain loop": naive, "reservoirpy": rpy_run}
        timing, outputs = {k: [] for k in methods}, {}
        for _ in range(args.repeats):          # interleaved, so a busy spell hits every method alike
            for name, fn in methods.items():
                sec, outputs[name] = best_time(fn, 1)
                timing[name].append(sec)
        t = {k: min(v) for k, v in timing.items()}

        finals = {"rnnlib float64": outputs["rnnlib float64"][-1].T,
                  "rnnlib float32": outputs["rnnlib float32"][-1].T.astype(np.float64),
                  "plain loop": outputs["plain loop"], "reservoirpy": outputs["reservoirpy"][:, -1]}
        acc = {k: accuracy_ours(finals[k], data, n_train) for k in ("rnnlib float64", "rnnlib float32", "plain loop")}
        readout = Ridge(ridge=args.ridge).fit(finals["reservoirpy"][:n_train], np.eye(10)[data.train_labels])
        acc["reservoirpy"] = float(np.mean(np.argmax(readout.run(finals["reservoirpy"][n_train:]), axis=1)
                                           == data.test_labels))
        flops = (2 * n * n + 2 * n * dim) * samples * steps
        diff = float(np.abs(outputs["reservoirpy"].transpose(1, 2, 0) - outputs["rnnlib float64"]).max())
        for name in methods:
            rows.append((n, name, t[name], t[name] / t["rnnlib float64"], acc[name]))
        key = str(n)
        figures["speedup_vs_reservoirpy"][key] = t["reservoirpy"] / t["rnnlib float64"]
        figures["speedup_vs_naive_loop"][key] = t["plain loop"] / t["rnnlib float64"]
        figures["gemm_peak_fraction"][key] = flops / t["rnnlib float64"] / peak
        figures["speedup_float32_vs_float64"][key] = t["rnnlib float64"] / t["rnnlib float32"]
        figures.setdefault("details", {})[key] = {
            "seconds": t, "accuracy": acc, "flops_per_run": flops,
            "float32_speedup_vs_reservoirpy": t["reservoirpy"] / t["rnnlib float32"],
            "max_state_difference_rnnlib_reservoirpy": diff,
            # no float64 run can beat this: reservoirpy's time over the time of the run's FLOPs at peak
            "speedup_vs_reservoirpy_bound_at_peak": t["reservoirpy"] * peak / flops}

    figures["machine"] = {"gemm_float64_flops": peak, "cpu_count": os.cpu_count(), "python": sys.version.split()[0],
                          "numpy": np.__version__, "platform": platform.platform(),
                          "blas_threads": args.threads or "default", "repeats": args.repeats}
    print(f"digits: {samples} sequences x {steps} steps x {dim} inputs; float64 matrix-product peak "
          f"{peak / 1e9:.1f} GFLOP/s; best of {args.repeats}")
    print(f"{'N':>5} {'method':<16} {'time [ms]':>10} {'x rnnlib':>9} {'accuracy':>9}")
    for n, name, sec, ratio, a in rows:
        print(f"{n:>5} {name:<16} {sec * 1e3:>10.2f} {ratio:>9.2f} {a:>9.3f}")
    for key in figures["speedup_vs_reservoirpy"]:
        print(f"N={key}: speedup vs reservoirpy {figures['speedup_vs_reservoirpy'][key]:.1f}x "
              f"(float32 {figures['details'][key]['float32_speedup_vs_reservoirpy']:.1f}x), "
              f"vs plain loop {figures['speedup_vs_naive_loop'][key]:.1f}x, "
              f"gemm peak fraction {figures['gemm_peak_fraction'][key]:.2f} "
              f"(at peak the speedup vs reservoirpy would be "
              f"{figures['details'][key]['speedup_vs_reservoirpy_bound_at_peak']:.1f}x), "
              f"states differ from reservoirpy by {figures['details'][key]['max_state_difference_rnnlib_reservoirpy']:.1e}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(figures, fh, indent=2)
    return figures


if __name__ == "__main__":
    main()
