"""Reservoir computing: the tasks, the ridge readout, and driven runs scored on a task.

``tasks`` (digits, parity, recall, prototypes), ``readout`` (closed-form ridge regression) and
``driven`` (input weights, driven states, accuracy). The names of the old ``rnnlib.reservoir``
module (``reservoir_accuracy``, ``evaluate``, ``evaluate_batch``, ``input_weights``,
``reservoir_states``) stay available here.

Layer 3: may import :mod:`rnnlib.model` and :mod:`rnnlib.statistics`.
"""

from .driven import evaluate, evaluate_batch, input_weights, reservoir_accuracy, reservoir_states

__all__ = ["evaluate", "evaluate_batch", "input_weights", "reservoir_accuracy", "reservoir_states"]
