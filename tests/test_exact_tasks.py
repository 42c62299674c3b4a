"""Exact answers for the task generators at non-default parameters (issue 13).

The generators are called directly with a known Generator, so every label and
input can be recomputed from the documented draws; sizes, edges of the allowed
ranges and the split of :func:`rnnlib.reservoir.tasks.make_task` are checked exactly.
"""
import numpy as np
import pytest

from rnnlib.reservoir import tasks
from rnnlib.model.seeding import as_seed_sequence, rng


def gen(seed=0):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("fraction, n_test", [(0.5, 898), (0.1, 180), (1e-9, 1), (1 - 1e-9, 1796)])
def test_digits_split_sizes(fraction, n_test):
    """n_test = round(fraction * 1797), kept in [1, 1796]; the train set is the first part of one permutation."""
    inputs, labels, k, n_train = tasks.digits(gen(1), test_fraction=fraction)
    assert k == 10 and n_train == 1797 - n_test and inputs.shape == (8, 1797, 8)
    rows, target = tasks._digit_rows()
    order = gen(1).permutation(1797)
    np.testing.assert_array_equal(inputs, rows[:, order])
    np.testing.assert_array_equal(labels, target[order])
    assert rows.max() == 1.0 and rows.min() == 0.0 and not rows.flags.writeable


def test_make_task_splits_at_n_train_and_records_every_parameter():
    d = tasks.make_task("recall", seed=3, tau=1, alphabet=3, length=4, train_samples=7, test_samples=5)
    inputs, labels, k, n_train = tasks.recall(rng(as_seed_sequence(3), "task", "recall"), tau=1, alphabet=3,
                                              length=4, train_samples=7, test_samples=5)
    np.testing.assert_array_equal(d.train_inputs, inputs[:, :7])
    np.testing.assert_array_equal(d.test_inputs, inputs[:, 7:])
    np.testing.assert_array_equal(d.train_labels, labels[:7])
    np.testing.assert_array_equal(d.test_labels, labels[7:])
    assert d.n_classes == 3 and type(d.n_classes) is int and d.name == "recall"
    assert d.params == dict(tau=1, alphabet=3, length=4, train_samples=7, test_samples=5)


def test_parity_by_hand_from_its_bits():
    """Unsigned: u = b; signed: u = 2b - 1; label = b(T-1-tau) xor b(T-2-tau)."""
    bits = gen(2).integers(0, 2, size=(5, 9, 1))
    for signed in (False, True):
        u, y, k, n_train = tasks.parity(gen(2), tau=1, length=5, signed=signed, train_samples=6, test_samples=3)
        assert k == 2 and n_train == 6 and u.shape == (5, 9, 1) and u.dtype == np.float64
        np.testing.assert_array_equal(u, 2.0 * bits - 1.0 if signed else bits)
        np.testing.assert_array_equal(y, bits[3, :, 0] ^ bits[2, :, 0])
        assert y.dtype == np.int64


def test_parity_reaches_back_to_the_first_step_at_the_largest_tau():
    bits = gen(3).integers(0, 2, size=(4, 5, 1))
    _, y, _, _ = tasks.parity(gen(3), tau=2, length=4, train_samples=3, test_samples=2)
    np.testing.assert_array_equal(y, bits[1, :, 0] ^ bits[0, :, 0])
    with pytest.raises(ValueError, match=r"tau = 3 reaches back 4 steps.*length = 4 has only 3; use tau <= 2"):
        tasks.parity(gen(3), tau=3, length=4)
    for bad in (1, "yes", None):
        with pytest.raises(ValueError, match="signed must be True or False"):
            tasks.parity(gen(3), signed=bad)
    tasks.parity(gen(3), signed=np.bool_(True), train_samples=1, test_samples=1)


def test_recall_by_hand_and_its_edges():
    symbols = gen(4).integers(0, 3, size=(3, 4))
    u, y, k, n_train = tasks.recall(gen(4), tau=2, alphabet=3, length=3, train_samples=3, test_samples=1)
    assert k == 3 and n_train == 3
    np.testing.assert_array_equal(u, np.eye(3)[symbols])
    np.testing.assert_array_equal(y, symbols[0])                 # tau = length - 1: the first symbol
    _, y0, _, _ = tasks.recall(gen(4), tau=0, alphabet=3, length=3, train_samples=3, test_samples=1)
    np.testing.assert_array_equal(y0, symbols[2])
    with pytest.raises(ValueError, match=r"tau = 3 reaches back 3 steps.*use tau <= 2"):
        tasks.recall(gen(4), tau=3, length=3)
    tasks.recall(gen(4), alphabet=2, train_samples=1, test_samples=1)
    with pytest.raises(ValueError, match="^alphabet must be"):
        tasks.recall(gen(4), alphabet=1)


def test_prototypes_by_hand():
    g = gen(5)
    protos = g.standard_normal((3, 2, 4))
    labels = g.integers(0, 3, size=6)
    noise = g.standard_normal((2, 6, 4))
    u, y, k, n_train = tasks.prototypes(gen(5), classes=3, noise=0.7, length=2, dim=4, train_samples=4, test_samples=2)
    assert k == 3 and n_train == 4 and u.shape == (2, 6, 4)
    np.testing.assert_array_equal(y, labels)
    np.testing.assert_allclose(u, protos[labels].transpose(1, 0, 2) + 0.7 * noise, rtol=1e-15)


@pytest.mark.parametrize("func, kwargs, match", [
    (tasks.prototypes, dict(classes=1), "classes"), (tasks.prototypes, dict(length=0), "length"),
    (tasks.prototypes, dict(dim=0), "dim"), (tasks.prototypes, dict(noise=-1e-9), "noise"),
    (tasks.parity, dict(train_samples=0), "train_samples"), (tasks.parity, dict(test_samples=0), "test_samples"),
    (tasks.recall, dict(length=0), "length"), (tasks.recall, dict(tau=-1), "tau"),
    (tasks.digits, dict(test_fraction=0.0), "test_fraction"), (tasks.digits, dict(test_fraction=1.0), "test_fraction"),
])
def test_generators_refuse_values_outside_their_ranges(func, kwargs, match):
    with pytest.raises(ValueError, match=f"^{match} must be"):
        func(gen(), **kwargs)


@pytest.mark.parametrize("func, kwargs", [
    (tasks.prototypes, dict(classes=2, length=1, dim=1, noise=0.0, train_samples=1, test_samples=1)),
    (tasks.recall, dict(length=1, tau=0, alphabet=2, train_samples=1, test_samples=1)),
    (tasks.parity, dict(length=2, tau=0, train_samples=1, test_samples=1)),
])
def test_generators_accept_the_smallest_sizes(func, kwargs):
    u, y, k, n_train = func(gen(), **kwargs)
    assert u.shape[:2] == (kwargs["length"], 2) and n_train == 1


@pytest.mark.parametrize("name", ["digits", "parity", "recall", "prototypes"])
def test_generator_defaults_are_the_registered_defaults(name):
    """Called without parameters, a generator draws exactly what make_task draws with task_defaults."""
    func = getattr(tasks, name)
    plain, explicit = func(gen(6)), func(gen(6), **tasks.task_defaults(name))
    for a, b in zip(plain, explicit):
        np.testing.assert_array_equal(a, b)


def test_defaults_registry_and_errors():
    assert tasks.task_defaults("parity") == dict(tau=6, length=10, signed=False, train_samples=1000, test_samples=500)
    assert tasks.task_defaults("digits") == dict(test_fraction=0.3)
    assert tasks.task_defaults("recall") == dict(tau=5, alphabet=4, length=10, train_samples=1000, test_samples=500)
    assert tasks.task_defaults("prototypes") == dict(classes=5, noise=1.5, length=10, dim=5, train_samples=1000,
                                                     test_samples=500)
    assert tasks.available_tasks() == tuple(sorted(tasks.available_tasks()))
    with pytest.raises(ValueError, match="task must be one of"):
        tasks.task_defaults("nope")
    with pytest.raises(ValueError, match=r"task 'recall' has no parameter bar, foo; its parameters are alphabet, length"):
        tasks.make_task("recall", foo=1, bar=2)
    for bad in ("", 3):
        with pytest.raises(ValueError, match="task name must be a non-empty string"):
            tasks.register_task(bad)
