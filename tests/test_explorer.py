"""The explorer's figure shows the network it says it shows."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import explorer  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_reciprocity_one_shows_a_symmetric_matrix_with_real_spectrum():
    _, data = explorer.explorer_figure("reciprocity", control=1.0, strength=1.2, n=40, steps=30)
    np.testing.assert_array_equal(data["W"], data["W"].T)
    assert np.all(data["eigenvalues"].imag == 0)
    assert data["raster"].shape == (40, 30)


def test_matrix_is_the_library_matrix_and_activity_is_bounded():
    _, data = explorer.explorer_figure("dale", control=0.5, strength=2.0, balance=0.2, n=30, steps=20, seed=3)
    np.testing.assert_array_equal(data["W"], rnnlib.make_weights(30, 2.0, 0.2, dale=0.5, seed=3))
    assert np.all(np.abs(data["raster"]) <= 1)
    assert data["radius"] == pytest.approx(rnnlib.circular_law_radius(2.0, 0.2))


def test_zero_strength_is_quiescent():
    _, data = explorer.explorer_figure("modularity", control=1.0, strength=0.0, n=20, steps=5)
    assert np.all(data["raster"] == 0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="regularity"):
        explorer.explorer_figure("symmetry")
    with pytest.raises(ValueError, match="control"):
        explorer.explorer_figure("dale", control=1.5)


def test_explore_builds_sliders():
    box = explorer.explore("modularity", control=0.25, n=20, steps=5)
    sliders = box.children[1].children
    assert [s.value for s in sliders] == [0.25, 1.5, 0.0]
    sliders[0].value = 0.75  # redraws (outside a kernel the Output widget records nothing, but must not fail)
