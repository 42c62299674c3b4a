r"""Sequence-classification tasks for the reservoir, behind one registry.

Every task turns a seed and a few difficulty parameters into a
:class:`TaskData`: train and test sequences ``inputs[t, s, :]`` (step ``t``,
sample ``s``) with integer labels. The reservoir is driven by
:math:`x(t+1) = \tanh(W x(t) + W_{in} u(t+1))` from :math:`x(0) = 0`, and a
linear readout of the state must recover the label.

A task is a generator ``f(rng, **params) -> (inputs, labels, n_classes,
n_train)`` whose keyword defaults are its default parameters; the first
``n_train`` samples (in random order) form the training set, the rest the test
set. Add one with :func:`register_task`::

    @register_task("mytask")
    def mytask(rng, *, length=10, train_samples=1000, test_samples=500): ...

and use it by name everywhere (``make_task("mytask", seed=1, length=20)``,
``reservoir_accuracy(W, "mytask")``).

Built in (``T`` steps, ``d`` input dimensions; "the end" is the last step):

- ``digits``: the 1797 8x8 handwritten digits of scikit-learn, one image row per
  step (T = 8, d = 8, pixel / 16), 10 classes, split by ``test_fraction``.
- ``parity``: random bits; the label is the XOR of the bits ``tau`` and
  ``tau + 1`` steps before the end (nonlinear memory).
- ``recall``: one-hot symbols from an alphabet of ``alphabet``; the label is the
  symbol ``tau`` steps before the end (linear memory).
- ``prototypes``: ``classes`` random prototype sequences (standard normal
  entries) plus Gaussian noise of standard deviation ``noise``; the label is the
  prototype.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np

from ..model._checks import check_choice, check_int, check_real
from ..model.seeding import as_seed_sequence, rng as _rng

__all__ = ["TaskData", "available_tasks", "make_task", "register_task", "task_defaults"]

_REGISTRY: dict[str, Callable] = {}


@dataclass(frozen=True)
class TaskData:
    """One task instance: train and test sequences with labels.

    Attributes
    ----------
    train_inputs, test_inputs : ndarray (T, samples, d)
        ``inputs[t, s]`` is the input :math:`u(t+1)` of sample ``s``.
    train_labels, test_labels : ndarray (samples,) of int
        Class of each sample, in ``range(n_classes)``.
    n_classes : int
    name : str
        Registry name of the task.
    params : dict
        Every parameter the generator used, defaults included.
    """

    train_inputs: np.ndarray
    train_labels: np.ndarray
    test_inputs: np.ndarray
    test_labels: np.ndarray
    n_classes: int
    name: str
    params: dict = field(default_factory=dict)


def register_task(name: str):
    """Decorator that adds a task generator to the registry under ``name``."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"task name must be a non-empty string, got {name!r}")

    def deco(generator):
        _REGISTRY[name] = generator
        return generator

    return deco


def available_tasks() -> tuple[str, ...]:
    """Names of the registered tasks, sorted."""
    return tuple(sorted(_REGISTRY))


def task_defaults(name: str) -> dict:
    """Default parameters of task ``name`` (the generator's keyword defaults)."""
    check_choice("task", name, available_tasks())
    sig = inspect.signature(_REGISTRY[name])
    return {k: p.default for k, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY}


def make_task(name: str = "digits", seed=None, **params) -> TaskData:
    """Generate task ``name`` with data drawn from ``rng(seed, "task", name)``.

    Parameters
    ----------
    name : str
        One of :func:`available_tasks`.
    seed : int, SeedSequence, Generator or None
        Root seed; the same seed gives the same data.
    **params
        Difficulty parameters of the task (see its generator); unknown names
        raise ``ValueError`` listing the accepted ones.

    Returns
    -------
    TaskData
    """
    defaults = task_defaults(name)
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise ValueError(f"task {name!r} has no parameter {', '.join(unknown)}; "
                         f"its parameters are {', '.join(sorted(defaults))}")
    full = {**defaults, **params}
    inputs, labels, n_classes, n_train = _REGISTRY[name](_rng(as_seed_sequence(seed), "task", name), **full)
    return TaskData(inputs[:, :n_train], labels[:n_train], inputs[:, n_train:], labels[n_train:],
                    int(n_classes), name, full)


def _sizes(train_samples, test_samples) -> tuple[int, int]:
    return check_int("train_samples", train_samples, 1), check_int("test_samples", test_samples, 1)


def _check_tau(tau, length, extra: int) -> tuple[int, int]:
    """Validate a memory depth: the inputs ``tau .. tau + extra`` steps before the end must exist."""
    tau = check_int("tau", tau, 0)
    length = check_int("length", length, 1)
    if tau + extra >= length:
        raise ValueError(f"tau = {tau} reaches back {tau + extra} steps before the end, but a sequence of "
                         f"length = {length} has only {length - 1}; use tau <= {length - 1 - extra} "
                         f"or a longer sequence")
    return tau, length


@lru_cache(maxsize=1)
def _digit_rows() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    data = load_digits()
    rows = np.ascontiguousarray(data.images.transpose(1, 0, 2) / 16.0)   # (8 rows, 1797, 8 pixels)
    rows.setflags(write=False)
    return rows, data.target.astype(np.int64)


@register_task("digits")
def digits(rng, *, test_fraction=0.3):
    """scikit-learn's 8x8 digits, fed one row per step: :math:`u(t) = \\text{image}[t, :] / 16`.

    All 1797 images are shuffled by ``rng`` and the last ``round(test_fraction * 1797)``
    form the test set. 10 classes, T = 8, d = 8.
    """
    test_fraction = check_real("test_fraction", test_fraction, 0.0, 1.0, lo_open=True, hi_open=True)
    rows, target = _digit_rows()
    total = len(target)
    n_test = min(max(round(test_fraction * total), 1), total - 1)
    order = rng.permutation(total)
    return rows[:, order], target[order], 10, total - n_test


@register_task("parity")
def parity(rng, *, tau=6, length=10, signed=False, train_samples=1000, test_samples=500):
    """Random bits; label :math:`y = b(T - \\tau) \\oplus b(T - \\tau - 1)` (XOR), 2 classes, d = 1.

    Bits :math:`b(t)` are fair coin flips fed as :math:`u = b \\in \\{0, 1\\}`, or as
    :math:`u = 2b - 1 \\in \\{-1, +1\\}` when ``signed``. Note the signed form is
    unsolvable for this model: without a bias, tanh is odd, so every state is an
    odd function of the input sequence while the label is even under
    :math:`u \\to -u`; over a sign-symmetric input distribution every feature
    is then uncorrelated with the label and the ridge readout falls to chance.
    """
    tau, length = _check_tau(tau, length, 1)
    if not isinstance(signed, (bool, np.bool_)):
        raise ValueError(f"signed must be True or False, got {signed!r}")
    n_train, n_test = _sizes(train_samples, test_samples)
    bits = rng.integers(0, 2, size=(length, n_train + n_test, 1))
    labels = bits[length - 1 - tau, :, 0] ^ bits[length - 2 - tau, :, 0]
    inputs = 2.0 * bits - 1.0 if signed else bits.astype(np.float64)
    return inputs, labels.astype(np.int64), 2, n_train


@register_task("recall")
def recall(rng, *, tau=5, alphabet=4, length=10, train_samples=1000, test_samples=500):
    """One-hot symbols :math:`u(t) = e_{k(t)}`, :math:`k(t)` uniform over the alphabet;
    label :math:`y = k(T - \\tau)`. ``alphabet`` classes, d = ``alphabet``.
    """
    tau, length = _check_tau(tau, length, 0)
    alphabet = check_int("alphabet", alphabet, 2)
    n_train, n_test = _sizes(train_samples, test_samples)
    symbols = rng.integers(0, alphabet, size=(length, n_train + n_test))
    inputs = np.eye(alphabet)[symbols]
    return inputs, symbols[length - 1 - tau].astype(np.int64), alphabet, n_train


@register_task("prototypes")
def prototypes(rng, *, classes=5, noise=1.5, length=10, dim=5, train_samples=1000, test_samples=500):
    """Noisy copies of random prototypes: :math:`u_s(t) = P_{y_s}(t) + \\sigma \\xi_s(t)`.

    Prototypes :math:`P_c(t) \\in \\mathbb R^{dim}` and noise :math:`\\xi` are standard
    normal, :math:`\\sigma` = ``noise``, labels :math:`y_s` uniform over ``classes``.
    """
    classes = check_int("classes", classes, 2)
    noise = check_real("noise", noise, 0.0)
    length = check_int("length", length, 1)
    dim = check_int("dim", dim, 1)
    n_train, n_test = _sizes(train_samples, test_samples)
    protos = rng.standard_normal((classes, length, dim))
    labels = rng.integers(0, classes, size=n_train + n_test)
    inputs = protos[labels].transpose(1, 0, 2) + noise * rng.standard_normal((length, n_train + n_test, dim))
    return inputs, labels.astype(np.int64), classes, n_train
