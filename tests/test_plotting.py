"""Plotting returns the numbers it draws: tests assert on those numbers (never on pixels)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import xarray as xr  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib.book import plotting
from rnnlib.model import theory  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _grid_dataset(rng, control=None):
    """A small dataset in the experiments layout: (balance, strength[, control], instance)."""
    coords = {"balance": [-0.5, 0.0, 0.5], "strength": [0.5, 1.0, 2.0], "instance": np.arange(4)}
    if control:
        coords[control] = [0.0, 0.5, 1.0]
    shape = tuple(len(v) for v in coords.values())
    dims = tuple(coords)
    return xr.Dataset({
        "lyapunov": (dims, rng.normal(size=shape)),
        "saturation": (dims, rng.uniform(size=shape)),
        "accuracy": (dims, rng.uniform(size=shape)),
        "regime": (dims, rng.integers(0, len(rnnlib.REGIMES), size=shape)),
    }, coords=coords)


def _point_dataset(rng, control="dale"):
    coords = {"point": ["A", "B"], control: [0.0, 0.5, 1.0], "task": ["digits", "parity"], "instance": np.arange(5)}
    shape = tuple(len(v) for v in coords.values())
    ds = xr.Dataset({"accuracy": (tuple(coords), rng.uniform(size=shape)),
                     "saturation_input": (tuple(coords), rng.uniform(size=shape)),
                     "regime": (tuple(coords), rng.integers(0, len(rnnlib.REGIMES), size=shape))}, coords=coords)
    return ds.assign_coords(balance=("point", [0.0, -0.5]), strength=("point", [1.5, 3.0]))


def test_weight_matrices_returns_the_matrices():
    mats = {"a": rnnlib.make_weights(20, 1.0, seed=1), "b": rnnlib.make_weights(20, 2.0, seed=1)}
    fig, data = plotting.weight_matrices(mats)
    assert isinstance(fig, plt.Figure)
    np.testing.assert_array_equal(data.sel(label="b").values, mats["b"])


def test_modularity_leaves_the_magnitude_histogram_unchanged():
    # the construction permutes magnitudes and keeps the signs in place, so |w| keeps its exact histogram
    mats = {f"M = {m}": np.abs(rnnlib.make_weights(40, 1.5, modularity=m, seed=3)) for m in (0.0, 0.5, 1.0)}
    _, data = plotting.weight_histograms(mats, bins=30)
    counts = list(data["counts"].values())
    assert counts[0].sum() == 40 * 40
    for c in counts[1:]:
        np.testing.assert_array_equal(c, counts[0])


def test_spectra_overlay_matches_theory():
    W = rnnlib.make_weights(60, 1.2, 0.4, seed=2)
    _, data = plotting.spectra({"W": W}, strength=1.2, balance=0.4)
    assert data["radius"]["W"] == pytest.approx(1.2 * np.sqrt(1 - 2 * 0.16 / np.pi))
    assert data["outlier"]["W"] == pytest.approx(theory.mean_outlier(60, 1.2, 0.4))
    # the outlier of the mean weight is really there
    assert np.abs(data["eigenvalues"]["W"][0] - data["outlier"]["W"]) < 0.5 * data["radius"]["W"]
    np.testing.assert_allclose(np.sort_complex(data["eigenvalues"]["W"]), np.sort_complex(np.linalg.eigvals(W)))


def test_spectra_of_symmetric_matrix_are_real_with_semicircle_axes():
    W = rnnlib.make_weights(50, 1.0, reciprocity=1.0, seed=4)
    _, data = plotting.spectra({"H = 1": W}, strength=1.0, correlation={"H = 1": 1.0})
    assert np.all(data["eigenvalues"]["H = 1"].imag == 0)
    assert data["ellipse"]["H = 1"] == pytest.approx((2.0, 0.0))


def test_phase_diagram_majority_class_and_means():
    rng = np.random.default_rng(0)
    ds = _grid_dataset(rng)
    ds["regime"][:] = rnnlib.REGIMES.index("chaotic")
    ds["regime"][0, 0, 0] = rnnlib.REGIMES.index("periodic")  # one dissenting instance
    _, data = plotting.phase_diagram(ds, ("regime", "lyapunov"))
    assert np.all(data["regime"].values == rnnlib.REGIMES.index("chaotic"))
    assert float(data["regime_fraction"].sel({"class": "chaotic"})[0, 0]) == pytest.approx(0.75)
    np.testing.assert_allclose(data["regime_fraction"].sum("class"), 1.0)
    np.testing.assert_allclose(data["lyapunov"], ds["lyapunov"].mean("instance"))


def test_control_maps_difference_is_paired_mean():
    rng = np.random.default_rng(1)
    ds = _grid_dataset(rng, control="reciprocity")
    _, data = plotting.control_maps(ds, "accuracy")
    expected = (ds["accuracy"].sel(reciprocity=1.0) - ds["accuracy"].sel(reciprocity=0.0)).mean("instance")
    np.testing.assert_allclose(data["difference"], expected)
    np.testing.assert_allclose(data["difference"], data["high"] - data["low"])
    fig, regimes = plotting.control_maps(ds, "regime")
    assert regimes["difference"].shape == (3, 3)
    assert [ax.get_title() for ax in fig.axes[:3]] == ["$H = 0$", "$H = 1$", "$H = 1$ minus $H = 0$"]


def test_lyapunov_curve_overlays_meanfield():
    w = np.array([0.5, 0.8, 1.5])
    lam = np.log(w)[:, None] + np.array([-0.01, 0.01])
    ds = xr.Dataset({"lyapunov": (("strength", "instance"), lam)}, coords={"strength": w, "instance": [0, 1]})
    _, data = plotting.lyapunov_curve(ds)
    np.testing.assert_allclose(data["mean"], np.log(w))
    np.testing.assert_allclose(data["meanfield"][:2], np.log(w[:2]), rtol=1e-6)
    assert data["meanfield"][2] > 0  # chaotic above w = 1
    np.testing.assert_allclose(data["ci"], 1.96 * np.std([-0.01, 0.01], ddof=1) / np.sqrt(2))


def test_control_curves_mean_and_interval():
    rng = np.random.default_rng(2)
    ds = _point_dataset(rng).sel(task="digits")
    _, data = plotting.control_curves(ds, ["accuracy", "saturation_input"])
    acc = ds["accuracy"].values  # (point, dale, instance)
    np.testing.assert_allclose(data["accuracy"].transpose("point", "dale"), acc.mean(-1))
    np.testing.assert_allclose(data["accuracy_ci"].transpose("point", "dale"),
                               1.96 * acc.std(-1, ddof=1) / np.sqrt(acc.shape[-1]))
    _, per_task = plotting.control_curves(_point_dataset(rng), "accuracy", panels="task")
    assert set(per_task["accuracy"].dims) == {"dale", "point", "task"}


def test_control_curves_rejects_unswept_extra_dimension():
    ds = _point_dataset(np.random.default_rng(3))
    with pytest.raises(ValueError, match="task"):
        plotting.control_curves(ds, "accuracy")
    with pytest.raises(ValueError, match="nonsense"):
        plotting.control_curves(ds.sel(task="digits"), "nonsense")


def test_regime_fractions_sum_to_one():
    ds = _point_dataset(np.random.default_rng(4), control="modularity").sel(task="digits")
    _, data = plotting.regime_fractions(ds)
    np.testing.assert_allclose(data.sum("class"), 1.0)
    codes = ds["regime"].sel(point="A", modularity=0.5).values
    assert float(data.sel({"class": "chaotic", "point": "A", "modularity": 0.5})) == pytest.approx(
        np.mean(codes == rnnlib.REGIMES.index("chaotic")))


def test_effect_forest_labels_rows():
    rows = [{"task": "digits", "point": "A", "mean": 0.1, "ci_low": 0.0, "ci_high": 0.2, "p_value": 0.03}]
    _, data = plotting.effect_forest(rows)
    assert data[0]["label"] == "digits, A"
    with pytest.raises(ValueError):
        plotting.effect_forest([])


def test_network_panels_and_raster():
    W = rnnlib.make_weights(30, 1.5, seed=5)
    traj = rnnlib.run(W, np.full((30, 1), 0.1), 40, record=True)
    fig, data = plotting.network_panels(W, traj.states[:, :, 0], strength=1.5)
    assert data["raster"].shape == (30, 40)
    assert data["radius"] == pytest.approx(1.5)
    assert fig.get_figwidth() == plotting.NETWORK_WIDTH                # narrow: legible when a phone shrinks it
    _, raster = plotting.activity_raster(traj.states[:, :, 0], neurons=10)
    assert raster.shape == (10, 40)
    with pytest.raises(ValueError, match="states"):
        plotting.activity_raster(np.zeros(5))


def test_accuracy_vs_saturation_flattens_every_condition():
    rng = np.random.default_rng(6)
    res = {"dale": _point_dataset(rng, "dale"), "reciprocity": _point_dataset(rng, "reciprocity")}
    _, data = plotting.accuracy_vs_saturation(res)
    assert data.sizes["condition"] == 2 * 2 * 3 * 2
    k = int(np.flatnonzero((data["regularity"] == "reciprocity") & (data["point"] == "B") & (data["control"] == 0.5)
                           & (data["task"] == "parity"))[0])
    expected = res["reciprocity"]["accuracy"].sel(point="B", reciprocity=0.5, task="parity").mean()
    assert float(data["accuracy"][k]) == pytest.approx(float(expected))


def test_claim_regions_draws_the_verdict_fields():
    import xarray as xr
    verdict = xr.DataArray([[1, 0], [-1, 0]], dims=("balance", "strength"),
                           coords={"balance": [-0.5, 0.5], "strength": [1.0, 2.0]})
    fig, data = plotting.claim_regions({"C1": xr.Dataset({"verdict": verdict})})
    assert data["C1"].values.tolist() == [[1, 0], [-1, 0]]
    assert len(fig.axes) == 1                                  # one panel; the classes are in a legend
    assert [t.get_text() for t in fig.legends[0].get_texts()][0] == "claim holds (significant)"
    with pytest.raises(ValueError, match="regions must hold at least one"):
        plotting.claim_regions({})


def _texts(fig):
    """Every visible text of a figure (titles, labels, ticks, legends, colour bars), drawn once."""
    fig.canvas.draw()
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


def test_book_style_draws_at_column_width_with_readable_text():
    rng = np.random.default_rng(8)
    ds = _grid_dataset(rng, control="dale")
    figures = [plotting.control_maps(ds, "lyapunov")[0], plotting.phase_diagram(ds.sel(dale=0.0), ("regime", "lyapunov", "accuracy", "saturation"))[0],
               plotting.control_curves(_point_dataset(rng).sel(task="digits"), ["accuracy", "saturation_input"])[0]]
    for fig in figures:
        assert fig.get_figwidth() <= plotting.COLUMN_WIDTH + 1e-9
        assert fig.get_facecolor()[3] == 1.0                       # opaque: readable in dark mode
        sizes = [t.get_fontsize() for t in _texts(fig)]
        assert sizes and min(sizes) >= plotting.FONT_SIZE
    # the theme's small print is 0.9 rem = 14.4 px; figure text is FONT_SIZE pt at 96 px per inch
    assert plotting.FONT_SIZE * plotting.DPI / 72 >= 14.4


def test_lyapunov_clip_keeps_the_chaotic_range():
    assert plotting.lyapunov_clip([-20.0, -1.0, 0.27]) == pytest.approx(0.3)
    assert plotting.lyapunov_clip([-5.0, -0.01]) == pytest.approx(0.2)          # floor when nothing is chaotic
    assert plotting.lyapunov_clip([np.nan, 0.41]) == pytest.approx(0.45)


def test_lyapunov_maps_clip_nothing_and_keep_zero_white():
    rng = np.random.default_rng(9)
    ds = _grid_dataset(rng, control="dale")
    ds["lyapunov"] = ds["lyapunov"] * 5 - 5                              # mostly far below zero, a little above
    fig, data = plotting.control_maps(ds, "lyapunov")
    maps = np.concatenate([data["low"].values.ravel(), data["high"].values.ravel()])
    meshes = [ax.collections[0] for ax in fig.axes[:3]]
    for mesh in meshes[:2]:                                             # the two maps: one scale holding all values
        assert mesh.norm is meshes[0].norm
        assert mesh.norm.vmin <= maps.min() and mesh.norm.vmax >= maps.max()
        assert float(mesh.norm(0.0)) == pytest.approx(0.5)             # white (the middle of RdBu) at zero
    diff = meshes[2].norm
    assert diff.vmin <= data["difference"].values.min() and diff.vmax >= data["difference"].values.max()
    assert float(diff(0.0)) == pytest.approx(0.5)
    assert data.attrs["lyapunov_range"] == (meshes[0].norm.vmin, meshes[0].norm.vmax)


def test_lyapunov_norm_tells_contracting_values_apart():
    """Two maps at -20 and -2 (both contracting, 18 apart) get clearly different colours; the sign stays at 0.5."""
    from rnnlib.book.plot_maps import lyapunov_norm, norm_ticks
    norm = lyapunov_norm(-24.0, 0.3, 0.3)
    assert norm.vmin == -24.0 and norm.vmax == 0.3
    assert float(norm(-24.0)) == pytest.approx(0.0) and float(norm(0.3)) == pytest.approx(1.0)
    assert float(norm(-2.0)) - float(norm(-20.0)) > 0.1                  # a clip at -0.3 gave both 0
    assert float(norm(0.15)) == pytest.approx(0.75)                      # the chaotic side stays linear
    values = np.linspace(-24, 0.3, 50)
    np.testing.assert_allclose(norm.inverse(norm(values)), values, atol=1e-9)
    ticks = norm_ticks(norm)
    assert 0.0 in ticks and min(ticks) < -5 and max(ticks) > 0
    positions = sorted(float(norm(t)) for t in ticks)
    assert min(np.diff(positions)) >= 0.09                               # no two tick labels on top of each other


def test_forest_tick_labels_do_not_run_together():
    """An effect axis as wide as the size figure of the synthesis (-0.175 to 0): labels measured apart."""
    rows = [{"label": f"point, N = {n}", "mean": m, "ci_low": m - 0.04, "ci_high": m + 0.04, "p_value": 0.01}
            for n, m in zip((100, 200, 400, 800) * 3, np.linspace(-0.14, -0.005, 12))]
    fig, data = plotting.effect_forest(rows)
    ax = fig.axes[0]
    assert plotting.overlapping_ticks(ax, "x") == []
    assert len([t for t in ax.get_xticklabels() if t.get_text()]) >= 3
    lo, hi = ax.get_xlim()
    assert lo <= min(r["ci_low"] for r in data) and hi >= max(r["ci_high"] for r in data)   # every interval shown
    assert plotting.overlapping_ticks(ax, "y") == []


def test_overlapping_ticks_are_found():
    fig, ax = plt.subplots(figsize=(1.5, 1.5))
    ax.set_xticks(np.arange(8), [f"label {k}" for k in range(8)])
    assert plotting.overlapping_ticks(ax, "x")                           # eight long labels in 1.5 inches touch


def test_plain_words_replace_code_identifiers():
    assert plotting.plain("dale:balanced") == "Dale, balanced reading"
    assert plotting.plain("input_strength=0.5") == "input strength 0.5"
    assert plotting.plain("n=400") == "N = 400"
    assert plotting.plain("features=all") == "readout from all neurons"
    assert plotting.plain("weak_rows") == "weak rows"
    assert plotting.plain("some_new_name") == "some new name"             # unknown identifiers: no underscores
    assert plotting.plain("edge, N = 100") == "edge, N = 100"             # words stay words
    rows = [{"label": v, "mean": 0.0, "ci_low": -0.1, "ci_high": 0.1, "p_value": 0.5}
            for v in ("default", "input_strength=2", "modularity:ei-blocks", "density=0.1")]
    fig, data = plotting.effect_forest(rows)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert shown == [r["label"] for r in data][::-1] or shown == [r["label"] for r in data]
    for text in shown:
        assert "_" not in text and ":" not in text and "=" not in text, text


def test_figures_show_no_code_identifiers():
    """Every visible text of the figures that take names from the data is in plain words."""
    import re
    rng = np.random.default_rng(11)
    ds = _grid_dataset(rng).expand_dims(variant=["input_strength=0.1", "input_strength=1"])
    figures = [plotting.map_panels(ds, "accuracy")[0],
               plotting.accuracy_vs_saturation({"dale": _point_dataset(rng, "dale"),
                                                "modularity": _point_dataset(rng, "modularity")})[0]]
    assert [ax.get_title() for ax in figures[0].axes[:2]] == ["input strength 0.1", "input strength 1"]
    assert figures[1].axes[0].get_title() == "Dale"
    for fig in figures:
        for t in _texts(fig):
            text = re.sub(r"\$[^$]*\$", "", t.get_text())                   # math may hold subscripts
            assert not re.search(r"[a-z]_[a-z]|\w=\w|\w:\w", text), text


def test_regime_maps_have_a_class_legend_not_a_colour_bar():
    ds = _grid_dataset(np.random.default_rng(10))
    fig, _ = plotting.phase_diagram(ds, ("regime",))
    assert len(fig.axes) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == list(rnnlib.REGIMES)


def test_lyapunov_curve_residual_and_onset_line():
    w = np.array([0.5, 1.0, 1.5, 2.0])
    theory_curve = np.array([theory.meanfield_lyapunov(x) for x in w])
    lam = (theory_curve + 0.01)[:, None] + np.array([-0.001, 0.001])
    ds = xr.Dataset({"lyapunov": (("strength", "instance"), lam)}, coords={"strength": w, "instance": [0, 1]})
    fig, data = plotting.lyapunov_curve(ds, onset=1.1)
    np.testing.assert_allclose(data["residual"], 0.01, atol=1e-12)
    top, bottom = fig.axes
    assert any(np.allclose(line.get_xdata(), 1.1) for line in bottom.get_lines())


def test_control_curves_mark_undefined_values():
    ds = _point_dataset(np.random.default_rng(11)).sel(task="digits")
    ds["accuracy"].loc[{"point": "A", "dale": 0.0}] = np.nan            # undefined for every instance
    fig, data = plotting.control_curves(ds, "accuracy")
    assert np.isnan(data["accuracy"].sel(point="A", dale=0.0))
    crosses = [line for line in fig.axes[0].get_lines() if line.get_marker() == "x"]
    assert len(crosses) == 1 and list(crosses[0].get_xdata()) == [0.0]
    assert "undefined (no neuron fluctuates)" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_control_curves_without_bands_shift_markers_apart():
    ds = _point_dataset(np.random.default_rng(12)).sel(task="digits")
    fig, _ = plotting.control_curves(ds, "accuracy", bands=False)
    xs = [line.get_xdata() for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    assert len(xs) == 2 and np.all(np.asarray(xs[0]) < np.asarray(xs[1]))
    from matplotlib.collections import PolyCollection

    assert not [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]   # no translucent bands


def test_spectra_draw_the_predicted_bulk_and_outliers_of_a_construction():
    # at b = 0.45 rank-swap modularity with K = 4 equal modules adds three outliers to the mean weight's one
    W = rnnlib.make_weights(200, 1.5, 0.45, modularity=1.0, seed=3)
    bulk = theory.bulk_radius(1.5, 0.45, modularity=1.0, n=200)
    fig, data = plotting.spectra({"M = 1": W}, strength=1.5, balance=0.45, bulk={"M = 1": bulk})
    assert data["bulk"]["M = 1"].real.max() == pytest.approx(bulk.extent, rel=1e-6)
    assert data["outliers"]["M = 1"].shape == (4,)
    # the largest predicted outlier (the mean weight's) is where the largest eigenvalue is
    ev = data["eigenvalues"]["M = 1"]
    top = ev[np.argmax(np.abs(ev))]
    assert abs(top - data["outliers"]["M = 1"][0]) < 0.1 * abs(data["outliers"]["M = 1"][0])
    assert "predicted bulk" in [t.get_text() for t in fig.legends[0].get_texts()]
    with pytest.raises(ValueError, match="bulk has labels"):
        plotting.spectra({"M = 1": W}, strength=1.5, bulk={"M = 0": bulk})


def test_spectra_bulk_of_a_symmetric_matrix_is_a_segment():
    W = rnnlib.make_weights(80, 1.0, reciprocity=1.0, seed=5)
    _, data = plotting.spectra({"H = 1": W}, strength=1.0, bulk={"H = 1": theory.bulk_radius(1.0, reciprocity=1.0)})
    edge = data["bulk"]["H = 1"]
    assert np.abs(edge.imag).max() < 1e-12 and edge.real.max() == pytest.approx(2.0)
    assert data["outliers"]["H = 1"].size == 0


def test_lyapunov_curve_evaluates_theory_at_the_effective_coupling_per_control():
    w = np.array([0.5, 1.0, 1.5, 2.0])
    gain = {0.0: 1.0, 1.0: 0.6}
    mf = np.array([[theory.meanfield_lyapunov(g * x) for x in w] for g in gain.values()])
    lam = (mf + 0.02)[..., None] + np.array([-0.001, 0.001])
    ds = xr.Dataset({"lyapunov": (("dale", "strength", "instance"), lam)},
                    coords={"dale": [0.0, 1.0], "strength": w, "instance": [0, 1]})
    fig, data = plotting.lyapunov_curve(ds, gain=gain)
    np.testing.assert_allclose(data["effective"].sel(dale=1.0), 0.6 * w)
    np.testing.assert_allclose(data["meanfield"].transpose("dale", "strength"), mf)
    np.testing.assert_allclose(data["residual"], 0.02, atol=1e-12)
    # the predicted onsets w = 1 / g are drawn in both panels
    assert any(np.allclose(line.get_xdata(), 1 / 0.6) for line in fig.axes[1].get_lines())
    with pytest.raises(ValueError, match="missing"):
        plotting.lyapunov_curve(ds, gain={0.0: 1.0})


def test_tick_labels_beyond_the_view_limits_are_not_measured():
    from rnnlib.book.figstyle import tick_label_boxes
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_xticks([0.0, 1.0, 2.0], ["a", "b", "c"])
    ax.set_xlim(0.0, 1.0)                                               # the label "c" is kept but never drawn
    assert len(tick_label_boxes(ax, "x")) == 2


def test_panel_gaps_pair_neighbours_in_a_row_only():
    from rnnlib.book.figstyle import panel_gaps, tick_label_boxes
    fig = plt.figure(figsize=(6, 4), dpi=100)
    left, right = fig.add_axes((0.1, 0.55, 0.3, 0.4)), fig.add_axes((0.6, 0.55, 0.3, 0.4))
    below = fig.add_axes((0.1, 0.1, 0.3, 0.3))
    for ax in (left, right, below):
        ax.set_xticks([0.0, 1.0], ["0", "1"])
        ax.set_xlim(0.0, 1.0)
    (gap,) = panel_gaps(fig)                                            # left-right only; "below" has no neighbour
    boxes = [tick_label_boxes(ax, "x") for ax in (left, right)]
    assert gap == pytest.approx((boxes[1][0].x0 - boxes[0][-1].x1) * 72 / 100)
    assert 0.2 * 6 * 72 - 20 < gap < 0.2 * 6 * 72                      # the 0.2-wide space less half of two labels
    right.set_position((0.38, 0.55, 0.3, 0.4))                          # moved on top of the left panel's last label
    assert panel_gaps(fig)[0] < 0


def test_neighbouring_panels_keep_their_tick_labels_apart():
    """The three-panel maps: the last label of a map and the first of the next one at least PANEL_GAP apart."""
    from rnnlib.book.figstyle import PANEL_GAP, STYLE, panel_gaps
    from rnnlib.book.plot_maps import control_maps
    from rnnlib.statistics.synthetic import map_dataset

    ds = map_dataset("dale", np.zeros((21, 15)), seed=1)
    fig, _ = plotting.control_maps(ds, "accuracy")
    assert len(panel_gaps(fig)) == 2 and min(panel_gaps(fig)) >= PANEL_GAP
    with plt.rc_context(STYLE):
        bare, _ = control_maps.__wrapped__(ds, "accuracy")             # the same figure before the spacing
        assert min(panel_gaps(bare)) < PANEL_GAP                       # so the spacing is what keeps them apart
