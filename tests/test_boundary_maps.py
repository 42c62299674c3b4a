"""Accuracy maps with the measured phase boundaries drawn over them (rnnlib.book.plot_maps)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr

from rnnlib.claims import boundaries as bd
from rnnlib.book import plot_maps, plotting
from test_boundaries import peaks_at_both, peaks_in_chaos, phase_dataset, reservoir_dataset


def _drawn_lines(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_map_panels_draw_the_instance_means_and_the_boundaries_on_every_panel():
    lines = bd.boundary_lines(phase_dataset())
    ds = xr.concat([reservoir_dataset(peaks_at_both), reservoir_dataset(peaks_in_chaos)], dim="variant")
    ds = ds.assign_coords(variant=["a", "b"])
    fig, data = plot_maps.map_panels(ds, boundaries=lines, titles={"a": "first"})
    np.testing.assert_allclose(data.sel(variant="b"), ds["accuracy"].sel(variant="b").mean("instance"))
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in axes] == ["first", "b"]
    for ax in axes:
        drawn = _drawn_lines(ax)
        x, y = drawn["oscillatory/chaotic boundary"].get_data()
        np.testing.assert_array_equal(x, lines["oscillatory_chaotic"].values)
        np.testing.assert_array_equal(y, lines["strength"].values)
        np.testing.assert_array_equal(drawn["chaotic/fixed-point boundary"].get_xdata(), lines["chaotic_fixed"].values)
    plt.close(fig)
    with pytest.raises(ValueError, match="by must be a dimension"):
        plot_maps.map_panels(ds, by="task")


def test_phase_diagram_overlay_is_optional_and_checked():
    res = reservoir_dataset(peaks_at_both)
    fig, _ = plotting.phase_diagram(res, ("accuracy",))
    assert not fig.axes[0].get_lines()
    plt.close(fig)
    fig, _ = plotting.phase_diagram(res, ("accuracy",), boundaries=bd.boundary_lines(phase_dataset()))
    assert set(_drawn_lines(fig.axes[0])) == {"oscillatory/chaotic boundary", "chaotic/fixed-point boundary"}
    plt.close(fig)
    with pytest.raises(ValueError, match="boundary_lines"):
        plotting.phase_diagram(res, ("accuracy",), boundaries=xr.Dataset())


def test_the_two_boundaries_differ_in_colour_line_and_marker():
    """Where markers cover the lines, colour and marker shape still tell the two boundaries apart."""
    from matplotlib.colors import to_rgba
    res = reservoir_dataset(peaks_at_both)
    fig, _ = plotting.phase_diagram(res, ("accuracy",), boundaries=bd.boundary_lines(phase_dataset()))
    a, b = _drawn_lines(fig.axes[0]).values()
    assert to_rgba(a.get_color()) != to_rgba(b.get_color())
    assert a.get_marker() != b.get_marker() and a.get_linestyle() != b.get_linestyle()
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    assert legend == {"oscillatory/chaotic boundary", "chaotic/fixed-point boundary"}
