r"""Synthetic paired datasets with a known effect, shaped like the book's reservoir experiments.

They calibrate the verdict rules of :mod:`rnnlib.claims.scorecard`: with no effect a
rule should rarely claim one, with a clear effect it should find it. As in the
real experiments, the cells of one instance are correlated (they share its
networks):

- :func:`reservoir_dataset`, like ``{reg}_reservoir`` (point x control x task x
  instance): the accuracy change of instance :math:`k` in cell :math:`c` is
  :math:`\Delta_{ck} = \delta_c + \sigma(\sqrt{\rho}\, v_k + \sqrt{1-\rho}\, e_{ck})`
  with standard normal :math:`v_k, e_{ck}`, so any two cells of one instance
  correlate with :math:`\rho`. The saturation change has noise of the same
  form (scale :math:`\sigma/3`); ``link`` :math:`= \lambda` ties the two within
  each cell, :math:`e^{acc}_{ck} = \lambda e^{sat}_{ck} + \sqrt{1-\lambda^2}\, e'_{ck}`
  (shared parts likewise), so that across the instances of one cell the
  accuracy and saturation changes correlate with :math:`\lambda`: the
  instance-level link that claim C4's mechanism is about.
- :func:`map_dataset`, like ``{reg}_reservoir_map`` (balance x strength x
  control x instance): :math:`\Delta_k(b, w) = \delta(b, w) + \sigma\,
  \varepsilon_k(b, w)`, where :math:`\varepsilon_k` is a separable AR(1) field
  (:func:`smooth_noise`) whose neighbours correlate with ``rho`` along each
  axis (about 0.35 along balance and 0.75 along strength in the paper-profile
  maps).
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from ..model._checks import check_int, check_real
from ..model.seeding import rng

__all__ = ["smooth_noise", "reservoir_dataset", "map_dataset"]

POINTS = {"ordered": (0.0, 0.6), "edge": (0.0, 1.0), "chaotic": (0.0, 2.0), "inhibitory": (-0.3, 1.5),
          "excitatory": (0.3, 1.5)}
TASKS = ("digits", "parity", "recall", "prototypes")


def smooth_noise(gen: np.random.Generator, shape, rho) -> np.ndarray:
    r"""Standard normal field over ``shape`` with AR(1) correlation ``rho[i]`` along axis ``i``.

    Along each axis in turn, :math:`x_j \leftarrow \rho\, x_{j-1} + \sqrt{1-\rho^2}\, x_j`,
    which keeps unit variance and gives correlation :math:`\prod_i \rho_i^{|\Delta_i|}`.
    """
    x = gen.standard_normal(shape)
    for axis, r in enumerate(rho):
        r = check_real("rho", r, 0.0, 1.0, hi_open=True)
        x = np.moveaxis(x, axis, 0).copy()
        for j in range(1, x.shape[0]):
            x[j] = r * x[j - 1] + np.sqrt(1 - r * r) * x[j]
        x = np.moveaxis(x, 0, axis)
    return x


def reservoir_dataset(control: str = "dale", effect=0.0, *, instances: int = 16, sigma: float = 0.03,
                      rho: float = 0.3, seed: int = 0, saturation_effect=0.0, link: float = 0.0) -> xr.Dataset:
    """A synthetic ``{reg}_reservoir``: six control values 0 to 1, the book's five points and four tasks.

    The change grows linearly with the control value, reaching :math:`\\Delta_{ck}` at 1.

    Parameters
    ----------
    control : str
        Name of the control dimension.
    effect : float or array (points, tasks)
        True accuracy change :math:`\\delta_c` of each cell.
    instances, sigma, rho, seed :
        Number of instances, noise scale :math:`\\sigma`, correlation :math:`\\rho`
        of two cells of one instance, and the seed of every draw.
    saturation_effect : float or array (points, tasks)
        True change of ``saturation_input`` (its noise has scale ``sigma / 3``).
    link : float in [-1, 1]
        Correlation :math:`\\lambda` of the accuracy noise with the saturation
        noise of the same cell and instance (0: independent).
    """
    instances = check_int("instances", instances, 2)
    rho = check_real("rho", rho, 0.0, 1.0)
    link = check_real("link", link, -1.0, 1.0)
    gen = rng(seed, "synthetic reservoir")
    shape = (len(POINTS), len(TASKS), instances)

    def noise():
        return np.sqrt(rho) * gen.standard_normal(instances) + np.sqrt(1 - rho) * gen.standard_normal(shape)

    cells = lambda delta: np.broadcast_to(np.asarray(delta, dtype=float)[..., None], shape)
    acc0 = gen.uniform(0.5, 0.85, shape[:2])[..., None] + 0.02 * gen.standard_normal(shape)
    sat0 = gen.uniform(0.3, 0.5, shape[:2])[..., None] + 0.01 * gen.standard_normal(shape)
    acc_noise, sat_noise = noise(), noise()
    acc_noise = link * sat_noise + np.sqrt(1 - link * link) * acc_noise
    controls = np.linspace(0.0, 1.0, 6)                           # the paper profile's six control values
    changes = ((acc0, cells(effect) + sigma * acc_noise), (sat0, cells(saturation_effect) + sigma / 3 * sat_noise))
    acc, sat = ((x0[:, None] + controls[None, :, None, None] * dx[:, None]) for x0, dx in changes)
    dims = ("point", control, "task", "instance")
    b, w = zip(*POINTS.values())
    return xr.Dataset({"accuracy": (dims, acc), "saturation_input": (dims, sat)},
                      coords={"point": list(POINTS), control: controls, "task": list(TASKS),
                              "instance": np.arange(instances), "balance": ("point", list(b)),
                              "strength": ("point", list(w))})


def map_dataset(control: str = "dale", effect=0.0, *, instances: int = 6, sigma: float = 0.03,
                rho=(0.35, 0.75), balance=np.linspace(-0.5, 0.5, 21), strength=np.linspace(0.2, 3.0, 15),
                seed: int = 0) -> xr.Dataset:
    """A synthetic ``{reg}_reservoir_map``: accuracy over (balance, strength, control 0 and 1, instance).

    ``effect`` is the true change :math:`\\delta(b, w)` (a number or a
    (balance, strength) array); ``rho`` the neighbour correlations of the noise
    along balance and strength; ``sigma`` its scale.
    """
    instances = check_int("instances", instances, 2)
    gen = rng(seed, "synthetic map")
    nb, nw = len(balance), len(strength)
    acc0 = gen.uniform(0.5, 0.85, (nb, nw))[..., None] + 0.02 * gen.standard_normal((nb, nw, instances))
    noise = np.stack([smooth_noise(gen, (nb, nw), rho) for _ in range(instances)], axis=-1)
    acc1 = acc0 + np.broadcast_to(np.asarray(effect, dtype=float), (nb, nw))[..., None] + sigma * noise
    dims = ("balance", "strength", control, "instance")
    return xr.Dataset({"accuracy": (dims, np.stack([acc0, acc1], axis=2))},
                      coords={"balance": np.asarray(balance, float), "strength": np.asarray(strength, float),
                              control: [0.0, 1.0], "instance": np.arange(instances)})
