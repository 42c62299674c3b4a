"""Power of the region maps' cluster-mass test against the number of instances, on synthetic maps.

Synthetic ``{reg}_reservoir_map`` datasets (:func:`rnnlib.statistics.synthetic.map_dataset`,
the paper grid of 21 balances x 15 strengths, noise correlated between
neighbouring cells as in the paper-profile maps) carry a true accuracy change
of ``effect`` standard deviations of the per-instance noise in a rectangular
patch, and none elsewhere. For each number of instances the script reports

- ``fwer``: the share of null maps (no effect anywhere) with any flagged cell;
- ``power``: the share of maps where a significant cluster of the right sign
  overlaps the patch;
- ``covered``: the mean share of the patch's cells that are flagged;
- ``outside``: the mean number of flagged cells outside the patch.

With more than 2**10 distinct sign patterns a seeded sample of 1024 is used
(enough for p-values near 0.05; the book's test uses up to 2**14).

Usage: ``python bench/cluster_power.py [--instances 6 8 10 12 16] [--reps 200]``.
"""
from __future__ import annotations

import argparse

import numpy as np

from rnnlib.statistics import inference, synthetic

PATCHES = {"5x5": (slice(8, 13), slice(8, 13)), "8x10": (slice(6, 14), slice(5, 15))}


def one(instances, effect, patch, seed, sigma=0.03):
    delta = np.zeros((21, 15))
    if patch is not None:
        delta[PATCHES[patch]] = effect * sigma
    ds = synthetic.map_dataset("dale", delta, instances=instances, sigma=sigma, seed=seed)
    acc = ds["accuracy"].transpose("balance", "strength", "dale", "instance").values
    test = inference.cluster_mass_test(acc[:, :, 1] - acc[:, :, 0], max_flips=1024)
    hit = np.isin(test.labels, 1 + np.flatnonzero((test.p_value < 0.05) & (test.mass > 0)))
    inside = np.zeros_like(hit)
    if patch is not None:
        inside[PATCHES[patch]] = True
    return hit[inside].any(), hit[inside].mean() if inside.any() else 0.0, int(hit[~inside].sum()), hit.any()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, nargs="+", default=[6, 8, 10, 12, 16])
    parser.add_argument("--effects", type=float, nargs="+", default=[0.5, 1.0, 1.5])
    parser.add_argument("--reps", type=int, default=200)
    args = parser.parse_args(argv)
    print("instances  patch  effect  fwer   power  covered  outside")
    for n in args.instances:
        null = np.mean([one(n, 0.0, None, 10_000 + s)[3] for s in range(args.reps)])
        for patch in PATCHES:
            for e in args.effects:
                res = [one(n, e, patch, s) for s in range(args.reps)]
                power, covered, outside = (np.mean([r[i] for r in res]) for i in range(3))
                print(f"{n:9d}  {patch:5s}  {e:6.1f}  {null:.3f}  {power:.3f}  {covered:7.3f}  {outside:7.2f}", flush=True)


if __name__ == "__main__":
    main()
