"""Task generators: shapes, labels recomputed from the inputs, determinism, registry, validation."""
import numpy as np
import pytest

import rnnlib
from rnnlib.reservoir.tasks import TaskData, make_task, register_task, task_defaults


def _all_inputs(d: TaskData):
    return np.concatenate([d.train_inputs, d.test_inputs], axis=1), np.concatenate([d.train_labels, d.test_labels])


def test_registry_holds_the_four_tasks():
    assert set(rnnlib.available_tasks()) >= {"digits", "parity", "recall", "prototypes"}


@pytest.mark.parametrize("name", ["digits", "parity", "recall", "prototypes"])
def test_shapes_labels_and_determinism(name):
    d = make_task(name, seed=5)
    T, s_train, dim = d.train_inputs.shape
    assert d.test_inputs.shape[0] == T and d.test_inputs.shape[2] == dim
    assert d.train_labels.shape == (s_train,) and d.test_labels.shape == (d.test_inputs.shape[1],)
    labels = np.concatenate([d.train_labels, d.test_labels])
    assert labels.min() >= 0 and labels.max() < d.n_classes
    assert len(np.unique(labels)) == d.n_classes        # every class occurs
    assert d.params == task_defaults(name) and d.name == name
    again, other = make_task(name, seed=5), make_task(name, seed=6)
    np.testing.assert_array_equal(again.train_inputs, d.train_inputs)
    np.testing.assert_array_equal(again.test_labels, d.test_labels)
    assert not np.array_equal(other.train_labels, d.train_labels)


def test_digits_are_sklearn_rows_split_70_30():
    from sklearn.datasets import load_digits

    data = load_digits()
    d = make_task("digits", seed=1)
    assert d.train_inputs.shape == (8, 1258, 8) and d.test_inputs.shape == (8, 539, 8) and d.n_classes == 10
    inputs, labels = _all_inputs(d)
    # every sample is one scikit-learn image, row t at step t, scaled to [0, 1]; each image used once
    flat = {tuple(img.ravel() / 16): y for img, y in zip(data.images, data.target)}
    seen = [tuple(inputs[:, s].ravel()) for s in range(inputs.shape[1])]
    assert all(flat[k] == y for k, y in zip(seen, labels))
    assert len(set(seen)) == len(set(flat))


def test_parity_label_is_xor_tau_steps_before_the_end():
    for tau, signed in [(0, False), (3, True)]:
        d = make_task("parity", seed=2, tau=tau, length=7, signed=signed)
        u, y = _all_inputs(d)
        bits = (u[..., 0] > 0).astype(int)
        assert set(np.unique(u)) == ({-1.0, 1.0} if signed else {0.0, 1.0})
        np.testing.assert_array_equal(y, bits[6 - tau] ^ bits[5 - tau])
        assert abs(y.mean() - 0.5) < 0.05


def test_recall_label_is_symbol_tau_steps_before_the_end():
    d = make_task("recall", seed=3, tau=4, alphabet=6, length=9)
    u, y = _all_inputs(d)
    assert d.n_classes == 6 and u.shape[2] == 6
    np.testing.assert_array_equal(u.sum(axis=2), 1.0)           # one-hot
    np.testing.assert_array_equal(y, np.argmax(u[8 - 4], axis=1))


def test_prototypes_without_noise_are_exact_copies():
    d = make_task("prototypes", seed=4, classes=3, noise=0.0, length=4, dim=2)
    u, y = _all_inputs(d)
    protos = [u[:, y == c][:, :1] for c in range(3)]
    for c in range(3):
        np.testing.assert_array_equal(u[:, y == c], np.broadcast_to(protos[c], u[:, y == c].shape))
    assert not np.allclose(protos[0], protos[1])
    noisy = make_task("prototypes", seed=4, classes=3, noise=0.5, length=4, dim=2)
    un, yn = _all_inputs(noisy)
    resid = np.concatenate([(un[:, yn == c] - protos[c]).ravel() for c in range(3)])
    assert abs(resid.std() - 0.5) < 0.05     # the same prototypes plus noise of the stated sigma


def test_register_task_adds_a_usable_task(monkeypatch):
    monkeypatch.setattr(rnnlib.reservoir.tasks, "_REGISTRY", dict(rnnlib.reservoir.tasks._REGISTRY))   # undone after the test

    @register_task("constant-test")
    def constant(rng, *, value=1.0, train_samples=20, test_samples=10):
        labels = rng.integers(0, 2, train_samples + test_samples)
        return np.full((3, labels.size, 1), value) * (2 * labels - 1)[None, :, None], labels, 2, train_samples

    assert "constant-test" in rnnlib.available_tasks()
    d = make_task("constant-test", seed=0, value=0.5)
    assert d.params == {"value": 0.5, "train_samples": 20, "test_samples": 10}
    W = rnnlib.make_weights(10, 0.5, seed=0)
    assert rnnlib.reservoir_accuracy(W, "constant-test", seed=0) == 1.0   # sign of the input is trivially readable


@pytest.mark.parametrize("name, params, match", [
    ("nope", {}, "digits.*parity.*prototypes.*recall"),
    ("parity", {"tau": 9}, "tau = 9.*length = 10"),
    ("parity", {"tau": 2, "length": 3}, "tau"),
    ("recall", {"tau": 10}, "tau = 10.*length = 10"),
    ("recall", {"tau": -1}, "tau"),
    ("recall", {"alphabet": 1}, "alphabet"),
    ("prototypes", {"noise": -0.1}, "noise"),
    ("prototypes", {"classes": 1}, "classes"),
    ("digits", {"test_fraction": 1.0}, "test_fraction"),
    ("parity", {"signed": "yes"}, "signed"),
    ("parity", {"train_samples": 0}, "train_samples"),
    ("recall", {"colour": 3}, "no parameter colour.*alphabet"),
])
def test_bad_task_arguments_raise_clear_errors(name, params, match):
    with pytest.raises(ValueError, match=match):
        make_task(name, seed=0, **params)
