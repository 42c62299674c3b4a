"""The specification-curve figure returns its data: sorted effects, their classes and every choice, aligned."""
import matplotlib
import numpy as np
import pytest

from rnnlib.book.plot_specification import specification_curve
from rnnlib.statistics.specification import specification_effects

matplotlib.use("Agg")


def _example(seed=0, specs=40):
    g = np.random.default_rng(seed)
    task = np.array(["a", "b", "c", "d"], dtype=object)[g.integers(0, 4, specs)]
    density = np.array([0.1, 0.3, 1.0], dtype=object)[g.integers(0, 3, specs)]
    d = g.normal(0, 1, (specs, 8)) + 4.0 * (task == "b")[:, None] - 4.0 * (task == "d")[:, None]
    return specification_effects(d), {"task": task, "density": density}


def test_curve_is_sorted_and_aligned_with_its_dashboard():
    eff, choices = _example()
    fig, data = specification_curve(eff, choices, direction=+1)
    assert np.all(np.diff(data["effect"].values) >= 0)
    # each rank carries its own specification's numbers and levels
    s = data["specification"].values
    np.testing.assert_array_equal(data["effect"], eff.mean[s])
    np.testing.assert_array_equal(data["task"], choices["task"][s].astype(str))
    claimed = (eff.p_value < 0.05) & (eff.mean > 0)
    against = (eff.p_value < 0.05) & (eff.mean < 0)
    assert np.sum(data["class"] == "claimed") == claimed.sum() > 0
    assert np.sum(data["class"] == "against") == against.sum() > 0
    # every "b" specification (true effect +4 sd) is significant in the claimed direction, every "d" one against
    assert np.all(data["class"].values[data["task"].values == "b"] == "claimed")
    assert np.all(data["class"].values[data["task"].values == "d"] == "against")
    # dashboard rows: every level of every choice
    labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert len(labels) == 4 + 3 and labels[0] == "task: a" and labels[4] == "density: 0.1"
    matplotlib.pyplot.close(fig)


def test_direction_swaps_the_classes():
    eff, choices = _example()
    _, up = specification_curve(eff, choices, direction=+1)
    fig, down = specification_curve(eff, choices, direction=-1)
    assert np.sum(up["class"] == "claimed") == np.sum(down["class"] == "against")
    matplotlib.pyplot.close(fig)


def test_bad_input_is_refused():
    eff, choices = _example()
    with pytest.raises(ValueError, match="direction"):
        specification_curve(eff, choices, direction=2)
    with pytest.raises(ValueError, match="one level per specification"):
        specification_curve(eff, {"task": choices["task"][:3]}, direction=1)
