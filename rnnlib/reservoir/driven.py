r"""The network as a reservoir: driven run, ridge readout, test accuracy.

Every sample of a task (train and test) is a state column, started at
:math:`x(0) = 0` and driven by

.. math:: x(t+1) = \tanh\big(g\, W x(t) + W_{in} u(t+1)\big),
          \qquad (W_{in})_{ik} \sim \mathcal N(0, s^2),

with input strength :math:`s` and gain :math:`g` (1 unless a batch of gains
is given). The drive :math:`W_{in} u(t)` of all steps and samples is one matrix
product computed before the run; the run is :func:`rnnlib.run`, one product per
step for all samples (and all gains) together. The features of a sample are its
final state :math:`x(T)` (``features="final"``) or all its states
:math:`[x(1), \dots, x(T)]` concatenated (``features="all"``); the readout is
the ridge regression of :mod:`rnnlib.reservoir.readout`, with a fixed
:math:`\lambda` or (``ridge="cv"``) one chosen by cross-validation on the
training samples only (:func:`rnnlib.reservoir.readout.fit_ridge_cv`).

Drive length: with ``washout`` :math:`= L > 0` every sample is preceded by
:math:`L` steps of the task's own input stream (the inputs of randomly drawn
training samples, end to end, from ``rng(seed, "washout")``), so the reservoir
is read out after a long drive from a state that no longer remembers
:math:`x(0) = 0`; features and saturation come from the sample's own
:math:`T` steps only.

Also measured, under input: the saturation :math:`\langle |x_i(t)| \rangle`
and the fraction of :math:`|x_i(t)| > \theta` (``saturation_threshold``, by
default :data:`rnnlib.model.signatures.SATURATION_THRESHOLD` = 0.9, the free-running
threshold), averaged over neurons, steps
:math:`t = 1..T` and all (train and test) samples.

Seeds: the task data come from ``rng(seed, "task", task)`` and :math:`W_{in}`
from ``rng(seed, "input-weights")`` (drawn as :math:`s` times standard
normals), so with one seed only :math:`W` (and :math:`s`) differ between
calls: results at different control values are paired.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..model._checks import check_choice, check_dtype, check_gains, check_int, check_real, check_square
from ..model.dynamics import run
from ..model.gain import GainControl, run_controlled
from .readout import fit_ridge, fit_ridge_cv
from ..model.seeding import as_seed_sequence, rng
from ..model.signatures import SATURATION_THRESHOLD
from .tasks import TaskData, make_task, task_defaults

__all__ = ["FEATURES", "RIDGE_CV", "ReservoirResult", "ReservoirSettings", "evaluate", "evaluate_batch",
           "input_weights", "reservoir_accuracy", "reservoir_states"]

FEATURES = ("final", "all")
#: Keyword arguments of :func:`evaluate` that are not task parameters.
_RESERVOIR_KEYWORDS = ("input_strength", "ridge", "features", "saturation_threshold", "seed", "dtype", "washout")
#: The ``ridge`` that asks for cross-validation on the training samples.
RIDGE_CV = "cv"
#: Largest number of state elements (steps x neurons x columns) simulated at once;
#: a batch of gains is split into chunks below it (results do not depend on it).
MAX_ELEMENTS = 2 ** 23


@dataclass(frozen=True)
class ReservoirSettings:
    """Validated readout settings (everything except W, the task and the seed).

    Parameters
    ----------
    input_strength : float
        Standard deviation :math:`s \\ge 0` of the input weights.
    ridge : float
        Ridge parameter :math:`\\lambda > 0` of the readout.
    features : {"final", "all"}
        Final state, or all states concatenated.
    dtype : str
        ``"float64"`` or ``"float32"``: precision of the simulation (the readout is float64).
    saturation_threshold : float
        :math:`|x_i| >` this counts as saturated, in (0, 1).
    """

    input_strength: float = 1.0
    ridge: float = 1e-6
    features: str = "final"
    dtype: str = "float64"
    saturation_threshold: float = SATURATION_THRESHOLD

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "input_strength", check_real("input_strength", self.input_strength, 0.0))
        if not (isinstance(self.ridge, str) and self.ridge == RIDGE_CV):
            set_(self, "ridge", check_real("ridge", self.ridge, 0.0, lo_open=True))
        set_(self, "features", check_choice("features", self.features, FEATURES))
        set_(self, "dtype", check_dtype(self.dtype).name)
        set_(self, "saturation_threshold", check_real("saturation_threshold", self.saturation_threshold, 0.0, 1.0,
                                                      lo_open=True, hi_open=True))

    def as_dict(self) -> dict:
        """Plain-dict form, for result metadata."""
        return asdict(self)


@dataclass(frozen=True)
class ReservoirResult:
    """What :func:`evaluate` returns.

    Attributes
    ----------
    accuracy, train_accuracy : float
        Fraction of test (train) samples classified correctly.
    saturation : float
        :math:`\\langle |x_i(t)| \\rangle` under input (neurons, steps, all samples).
    fraction_saturated : float
        Fraction of :math:`|x_i(t)| > \theta` under input.
    confusion : ndarray (K, K) of int
        ``confusion[i, j]``: test samples of class ``i`` classified as ``j``.
    """

    accuracy: float
    train_accuracy: float
    saturation: float
    fraction_saturated: float
    confusion: np.ndarray


def input_weights(n: int, dim: int, input_strength: float, seed) -> np.ndarray:
    """:math:`W_{in} = s Z`, :math:`Z` an (n, dim) standard normal draw from ``rng(seed, "input-weights")``."""
    return input_strength * rng(seed, "input-weights").standard_normal((n, dim))


def reservoir_states(W, W_in, inputs, *, gains=None, dtype=np.float64, control: GainControl | None = None
                     ) -> np.ndarray:
    """All states of the driven run, shape (T, n, [len(gains),] samples).

    Computes :math:`x_{g,s}(t+1) = \\tanh(g W x_{g,s}(t) + W_{in} u_s(t+1))`,
    :math:`x(0) = 0`, for every gain :math:`g` and sample :math:`s` of
    ``inputs`` (T, samples, d), with one :func:`rnnlib.run` over all columns.
    Without ``gains`` the gain axis is absent and :math:`g = 1`. With a
    ``control``, every sample's column carries its own controller
    (:func:`rnnlib.model.gain.run_controlled`, started at :math:`g(0) = g_0`
    with the state), which multiplies :math:`g W`.
    """
    dt = check_dtype(dtype)
    W = check_square("W", W)
    inputs = np.asarray(inputs)
    if inputs.ndim != 3 or np.shape(W_in) != (W.shape[0], inputs.shape[2]):
        raise ValueError(f"inputs must be (T, samples, d) and W_in (n={W.shape[0]}, d), "
                         f"got {inputs.shape} and {np.shape(W_in)}")
    steps, samples = inputs.shape[:2]
    # one product for the drive of every step and sample, (T, n, samples)
    drive = np.matmul(np.asarray(W_in, dt), inputs.astype(dt, copy=False).transpose(0, 2, 1))
    n_gains = 1 if gains is None else len(gains)
    columns = np.zeros((W.shape[0], n_gains * samples), dt)
    if n_gains > 1:
        drive = np.tile(drive, (1, 1, n_gains))
    # a gain of exactly 1 everywhere is skipped (multiplying by 1 is exact, so results are the same)
    gain = None if gains is None or np.all(np.asarray(gains) == 1) else np.repeat(np.asarray(gains, dt), samples)
    if control is not None:
        strength = np.repeat(np.asarray(gains if gains is not None else (1.0,), float), samples)
        states = run_controlled(W, columns, steps, control, strength=strength, drive=drive, record=True,
                                dtype=dt)[0].states
    else:
        states = run(W, columns, steps, gain=gain, drive=drive, record=True, dtype=dt).states
    return states if gains is None else states.reshape(steps, W.shape[0], n_gains, samples)


def evaluate_batch(W, gains, task="digits", *, input_strength=1.0, ridge=1e-6, features="final",
                   saturation_threshold=SATURATION_THRESHOLD, seed=None, dtype=np.float64, washout=0,
                   gain_control=None, subset=None, **task_params) -> dict:
    """Reservoir results for every gain in ``gains``, the networks :math:`g W`, in one simulation.

    Columns are gains x samples of a single :func:`rnnlib.run` (split into
    chunks of at most :data:`MAX_ELEMENTS` state elements); the same task data
    and :math:`W_{in}` serve every gain. ``evaluate_batch(W, [g])`` equals
    ``evaluate(g * W)`` up to rounding.

    Parameters
    ----------
    W : array (n, n)
        Recurrent weights at gain 1 (e.g. a unit-strength matrix).
    gains : array (G,)
        Non-negative factors on W (strengths when W has unit strength).
    task, input_strength, ridge, features, saturation_threshold, seed, dtype, washout, **task_params
        As in :func:`evaluate`.
    gain_control : dict, optional
        Automatic gain control (:mod:`rnnlib.model.gain`): ``{"set_points": (a1, a2, ...), "rate": eta,
        "measure": "abs" or "square"}``. Every candidate set point is simulated; for every gain the one
        with the highest *training* accuracy (the first on ties) is kept, so the test set never
        chooses. Adds ``set_point`` (G,) to the result.
    subset : bool array (n,), optional
        Neurons whose saturation under input is also reported apart: adds ``saturation_subset`` and
        ``saturation_rest`` (G,), the mean :math:`|x_i(t)|` over the subset and over the other neurons.

    Returns
    -------
    dict
        Arrays of shape (G,): ``accuracy``, ``train_accuracy``, ``saturation``,
        ``fraction_saturated``; and ``confusion`` (G, K, K).
    """
    _check_task_params(task, task_params)
    W = check_square("W", W)
    gains = check_gains(gains)
    settings = ReservoirSettings(input_strength, ridge, features, check_dtype(dtype).name, saturation_threshold)
    root = as_seed_sequence(seed)
    data = make_task(task, root, **task_params)
    W_in = input_weights(W.shape[0], data.train_inputs.shape[2], settings.input_strength, root)
    washout = check_int("washout", washout, 0)
    inputs = np.concatenate([data.train_inputs, data.test_inputs], axis=1)
    if washout:
        inputs = np.concatenate([_washout_inputs(data, inputs.shape[1], washout, root), inputs], axis=0)
    per_gain = W.shape[0] * inputs.shape[0] * inputs.shape[1]
    chunk = max(1, MAX_ELEMENTS // per_gain)
    controls = _controls(gain_control)
    candidates, by_neuron = [], []
    for control in controls:
        results, neurons = [], []
        for start in range(0, gains.size, chunk):
            states = reservoir_states(W, W_in, inputs, gains=gains[start:start + chunk], dtype=settings.dtype,
                                      control=control)
            results += [_score(states[washout:, :, k], data, settings) for k in range(states.shape[2])]
            if subset is not None:     # mean |x_i(t)| of every neuron, over steps and samples
                neurons += list(np.abs(states[washout:]).mean(axis=(0, 3)).T)
        candidates.append(results)
        by_neuron.append(neurons)
    best = np.argmax([[r.train_accuracy for r in results] for results in candidates], axis=0)
    results = [candidates[j][k] for k, j in enumerate(best)]
    if subset is not None:
        subset = np.asarray(subset)
        if subset.dtype != bool or subset.shape != (W.shape[0],) or subset.all() or not subset.any():
            raise ValueError(f"subset must be a boolean array of shape ({W.shape[0]},) with neurons in and out, "
                             f"got {subset.dtype} {subset.shape}")
    out = {key: np.array([getattr(r, key) for r in results])
           for key in ("accuracy", "train_accuracy", "saturation", "fraction_saturated")}
    out["confusion"] = np.stack([r.confusion for r in results])
    if gain_control is not None:
        out["set_point"] = np.array([controls[j].set_point for j in best])
    if subset is not None:
        chosen = [by_neuron[j][k] for k, j in enumerate(best)]
        out["saturation_subset"] = np.array([a[subset].mean() for a in chosen])
        out["saturation_rest"] = np.array([a[~subset].mean() for a in chosen])
    return out


def _controls(gain_control) -> list:
    """The candidate controllers of ``gain_control`` (``[None]`` without it), validated."""
    if gain_control is None:
        return [None]
    if not isinstance(gain_control, dict) or set(gain_control) - {"set_points", "rate", "measure"} \
            or "set_points" not in gain_control:
        raise ValueError("gain_control must be a dict with 'set_points' (a non-empty sequence) and optionally "
                         f"'rate' and 'measure', got {gain_control!r}")
    points = tuple(gain_control["set_points"])
    if not points:
        raise ValueError(f"gain_control['set_points'] must not be empty, got {gain_control['set_points']!r}")
    rest = {k: gain_control[k] for k in ("rate", "measure") if k in gain_control}
    return [GainControl(a, **rest) for a in points]


def evaluate(W, task="digits", *, input_strength=1.0, ridge=1e-6, features="final",
             saturation_threshold=SATURATION_THRESHOLD, seed=None, dtype=np.float64, washout=0,
             **task_params) -> ReservoirResult:
    """Train the ridge readout of reservoir ``W`` on ``task`` and score it on the test set.

    Parameters
    ----------
    W : array (n, n)
        Recurrent weights, ``W[i, j]`` from neuron j to neuron i.
    task : str
        A name from :func:`rnnlib.reservoir.tasks.available_tasks`.
    input_strength : float
        Standard deviation of the input weights (>= 0).
    ridge : float or "cv"
        Ridge parameter (> 0), or ``"cv"``: chosen by cross-validation on the training samples.
    features : {"final", "all"}
        Final state or all states concatenated.
    saturation_threshold : float
        :math:`|x_i| >` this counts as saturated (for ``fraction_saturated``).
    washout : int
        Steps of the task's input stream that drive the reservoir before each sample (>= 0).
    seed : int, SeedSequence, Generator or None
        Root of the task data and input weights.
    dtype : float64 or float32
        Precision of the simulation.
    **task_params
        Difficulty parameters of the task (e.g. ``tau=3``).

    Returns
    -------
    ReservoirResult
    """
    r = evaluate_batch(W, [1.0], task, input_strength=input_strength, ridge=ridge, features=features,
                       saturation_threshold=saturation_threshold, seed=seed, dtype=dtype, washout=washout,
                       **task_params)
    return ReservoirResult(float(r["accuracy"][0]), float(r["train_accuracy"][0]), float(r["saturation"][0]),
                           float(r["fraction_saturated"][0]), r["confusion"][0])


def reservoir_accuracy(W, task="digits", *, input_strength=1.0, ridge=1e-6, features="final", seed=None,
                       dtype=np.float64, **task_params) -> float:
    """Test accuracy of reservoir ``W`` on ``task`` (see :func:`evaluate`)."""
    return evaluate(W, task, input_strength=input_strength, ridge=ridge, features=features, seed=seed,
                    dtype=dtype, **task_params).accuracy


def _check_task_params(task, task_params) -> None:
    """Refuse a keyword that is neither a reservoir setting nor a parameter of ``task``, naming both lists."""
    known = task_defaults(task)
    unknown = sorted(set(task_params) - set(known))
    if unknown:
        raise ValueError(f"unexpected keyword argument {', '.join(map(repr, unknown))}: not a reservoir setting "
                         f"({', '.join(_RESERVOIR_KEYWORDS)}) nor a parameter of task {task!r} "
                         f"({', '.join(sorted(known)) or 'none'})")


def _washout_inputs(data: TaskData, samples: int, washout: int, seed) -> np.ndarray:
    """The ``washout`` steps (washout, samples, d) before every sample: training sequences end to end, the last steps kept."""
    steps = data.train_inputs.shape[0]
    k = -(-washout // steps)
    drawn = rng(seed, "washout").integers(0, data.train_inputs.shape[1], size=(k, samples))
    stream = data.train_inputs[:, drawn, :].transpose(1, 0, 2, 3).reshape(k * steps, samples, -1)
    return stream[-washout:]


def _score(states, data: TaskData, settings: ReservoirSettings) -> ReservoirResult:
    """Readout and saturation from the states (T, n, samples) of one network; train samples first."""
    a = np.abs(states)
    if settings.features == "final":
        F = states[-1].T
    else:
        F = states.transpose(2, 0, 1).reshape(states.shape[2], -1)
    n_train = len(data.train_labels)
    if settings.ridge == RIDGE_CV:
        readout, _ = fit_ridge_cv(F[:n_train], data.train_labels, data.n_classes)
    else:
        readout = fit_ridge(F[:n_train], data.train_labels, data.n_classes, settings.ridge)
    predicted = readout.predict(F[n_train:])
    confusion = np.zeros((data.n_classes, data.n_classes), np.int64)
    np.add.at(confusion, (data.test_labels, predicted), 1)
    train_accuracy = np.mean(readout.predict(F[:n_train]) == data.train_labels)
    return ReservoirResult(float(np.trace(confusion) / len(predicted)), float(train_accuracy),
                           float(a.mean()), float(np.mean(a > settings.saturation_threshold)), confusion)
