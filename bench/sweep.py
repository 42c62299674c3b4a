"""Benchmark of a strength sweep: one simulation for all strengths against one network at a time.

The quick-profile phase diagram ``baseline_phase`` (every balance x instance
cell, all strengths) is computed two ways in one process, with the same
matrices, initial states and tangent vectors:

- batched: per cell, one unit-strength matrix :math:`W_1` and one run of
  :func:`rnnlib.signatures_batch` with every strength as a gain column
  (:math:`W = w W_1` exactly), i.e. one matrix product per step for the whole
  strength axis -- what :mod:`rnnlib.pipeline.engine` does;
- per network: per cell and strength, ``make_weights(n, w, ...)`` and its own
  run of :func:`rnnlib.signatures_batch` with a single column, a plain loop
  over networks.

Both are timed ``--repeats`` times, interleaved, best kept. Printed: both
times, their ratio (the speed-up), the largest difference of the
saturation (rounding only: the batched run multiplies :math:`W_1 x`
by :math:`w`, the per-network run multiplies by :math:`w W_1`) at quiescent,
fixed-point and periodic cells, and the
fraction of this machine's float64 matrix-product peak reached by the
batched run (model FLOPs of :func:`rnnlib.pipeline.cost.estimate_flops`).

Usage: ``python bench/sweep.py [--experiment baseline_phase] [--profile quick] [--repeats 3] [--threads 1]``.
"""
from __future__ import annotations

import argparse


from common import limit_blas_threads, matmul_peak, timed


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--experiment", default="baseline_phase", help="a signatures experiment with a strength axis")
    p.add_argument("--profile", default="quick", choices=("quick", "paper"))
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (0: library default)")
    return p.parse_args(argv)


if __name__ == "__main__":
    ARGS = parse()
    limit_blas_threads(ARGS.threads)

import numpy as np  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import experiments as E  # noqa: E402


def cells(exp, profile):
    """(NetworkParams, strengths, seed, settings) of every cell of the experiment."""
    sizes = exp.sizes(profile)
    return [(c.network, c.gains, c.seed, E.signature_settings(sizes, c.params))
            for c in (E.cell(exp, profile, index) for index in range(sizes.cells))]


def batched(work):
    return [rnnlib.signatures_batch(rnnlib.unit_weights(net, seed), gains, settings=st, seed=seed)
            for net, gains, seed, st in work]


def per_network(work):
    out = []
    for net, gains, seed, st in work:
        per = [rnnlib.signatures_batch(rnnlib.unit_weights(net, seed) * w, [1.0], settings=st, seed=seed)
               for w in gains]
        out.append({k: np.concatenate([r[k] for r in per]) for k in per[0]})
    return out


def main(args, peak=None) -> dict:
    exp = E.get(args.experiment)
    if exp.quantity != "signatures" or "strength" not in exp.sizes(args.profile).names:
        raise SystemExit(f"{exp.name} is not a signatures sweep over strength")
    work = cells(exp, args.profile)
    t_batch, t_loop = [], []
    for _ in range(args.repeats):
        t, fast = timed(lambda: batched(work))
        t_batch.append(t)
        t, slow = timed(lambda: per_network(work))
        t_loop.append(t)
    ordered = [(a["regime"] <= 2) & (b["regime"] <= 2) for a, b in zip(fast, slow)]   # quiescent, fixed, periodic
    diff = max(float(np.max(np.abs(a["saturation"] - b["saturation"])[m], initial=0.0))
               for a, b, m in zip(fast, slow, ordered))
    peak = peak or matmul_peak()
    figures = {"experiment": exp.name, "profile": args.profile, "cells": len(work),
               "strengths": len(work[0][1]), "batched_s": min(t_batch), "per_network_s": min(t_loop),
               "speedup": min(t_loop) / min(t_batch), "max_saturation_diff_ordered": diff,
               "gemm_peak_gflops": peak / 1e9,
               "gemm_peak_fraction": E.estimate_flops(exp, args.profile) / min(t_batch) / peak}
    print(f"{exp.name} [{args.profile}]: {figures['cells']} cells x {figures['strengths']} strengths, "
          f"best of {args.repeats}, {args.threads or 'default'} BLAS thread(s)")
    print(f"  one simulation per cell (all strengths as gains): {figures['batched_s']:.3f} s")
    print(f"  one simulation per network (plain loop):          {figures['per_network_s']:.3f} s")
    print(f"  speed-up {figures['speedup']:.1f}x; batched run at {figures['gemm_peak_fraction']:.2f} of the "
          f"{figures['gemm_peak_gflops']:.0f} GFLOP/s matrix-product peak; ordered cells agree to "
          f"{diff:.1e}")
    return figures


if __name__ == "__main__":
    main(ARGS)
