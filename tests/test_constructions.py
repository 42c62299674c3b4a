"""The alternative readings: defining property at full strength, what each keeps, control 0 = baseline."""
import numpy as np
import pytest

import rnnlib
from rnnlib.model import constructions as C

ALTERNATIVES = [("dale", "balanced"), ("modularity", "unequal"), ("modularity", "ei-blocks")]


def weights(n, b, reg, name, c, seed=0, density=1.0, modules=4):
    return rnnlib.make_weights(n, 1.0, b, **{reg: c}, modules=modules, density=density, seed=seed,
                               constructions={reg: name})


def test_new_readings_are_registered_with_short_names():
    for reg, name in ALTERNATIVES:
        assert name in C.available(reg) and len(name) <= 10
    assert C.DEFAULTS == {"dale": "type-sign", "reciprocity": "pair-copy", "modularity": "rank-swap",
                          "weak_rows": "rows-10"}


@pytest.mark.parametrize("reg,name", ALTERNATIVES)
@pytest.mark.parametrize("density", [1.0, 0.3])
def test_control_zero_is_the_baseline_and_the_sweep_is_gradual(reg, name, density):
    base = rnnlib.make_weights(60, 1.0, 0.2, density=density, seed=4)
    assert np.array_equal(weights(60, 0.2, reg, name, 0.0, seed=4, density=density), base)
    small, full = (np.abs(weights(60, 0.2, reg, name, c, seed=4, density=density) - base).sum() for c in (0.1, 1.0))
    assert 0 < small < 0.5 * full


@pytest.mark.parametrize("b", [-0.4, 0.0, 0.3])
@pytest.mark.parametrize("density", [1.0, 0.3])
def test_balanced_dale_has_single_signed_columns_and_zero_row_sums(b, density):
    n = 120
    W = weights(n, b, "dale", "balanced", 1.0, seed=1, density=density)
    sign = np.sign(W)
    col = np.where(sign != 0, sign, np.nan)
    assert np.all((np.nanmin(col, 0) == np.nanmax(col, 0)))                  # single-signed columns
    assert np.allclose(W.sum(1), 0.0, atol=1e-12)                             # balanced input per row
    assert int((np.nanmax(col, 0) > 0).sum()) == round(n * (1 + b) / 2)      # exact type count
    base = rnnlib.make_weights(n, 1.0, b, density=density, seed=1)
    np.testing.assert_allclose((W ** 2).sum(1), (base ** 2).sum(1), rtol=1e-12)   # input power kept
    np.testing.assert_array_equal(W != 0, base != 0)                          # connectivity kept


def test_balanced_dale_partial_control_interpolates_the_row_sums():
    W1 = weights(200, 0.3, "dale", "balanced", 0.5, seed=2)
    Wt = rnnlib.make_weights(200, 1.0, 0.3, dale=0.5, seed=2)
    assert np.all(np.abs(W1.sum(1)) < np.abs(Wt.sum(1)).mean() * 2)


def test_balanced_dale_needs_both_signs():
    with pytest.raises(ValueError, match="balanced"):
        weights(20, 1.0, "dale", "balanced", 1.0)


def test_unequal_modules_have_sizes_proportional_to_k_plus_one():
    assert np.bincount(C.unequal_module_labels(200, 4)).tolist() == [20, 40, 60, 80]
    assert np.bincount(C.unequal_module_labels(31, 3)).size == 3
    assert C.unequal_module_labels(31, 3).size == 31


@pytest.mark.parametrize("density", [1.0, 0.3])
def test_unequal_modularity_puts_the_strongest_weights_inside_its_blocks_and_keeps_the_histogram(density):
    n = 60
    W = weights(n, 0.2, "modularity", "unequal", 1.0, seed=3, density=density)
    base = rnnlib.make_weights(n, 1.0, 0.2, density=density, seed=3)
    lab = C.unequal_module_labels(n, 4)
    within = lab[:, None] == lab[None, :]
    assert np.abs(W[within]).min() >= np.abs(W[~within]).max()
    np.testing.assert_array_equal(np.sort(W.ravel()), np.sort(base.ravel()))
    # what it gives up: rows of large modules receive more input power than rows of small ones
    power = (W ** 2).sum(1)
    assert power[lab == 3].mean() > 1.5 * power[lab == 0].mean()


@pytest.mark.parametrize("b", [0.0, 0.3])
def test_ei_blocks_excite_within_and_inhibit_between_and_keep_the_histogram(b):
    n = 60
    W = weights(n, b, "modularity", "ei-blocks", 1.0, seed=5)
    base = rnnlib.make_weights(n, 1.0, b, seed=5)
    lab = C.module_labels(n, 4)
    within = lab[:, None] == lab[None, :]
    assert W[within].min() >= W[~within].max()
    np.testing.assert_array_equal(np.sort(W.ravel()), np.sort(base.ravel()))
    assert np.all(W[within] > 0) and W[~within].mean() < 0 < W[within].mean()


def test_rank_swap_default_still_ranks_by_magnitude():
    n = 40
    W = rnnlib.make_weights(n, 1.0, 0.0, modularity=1.0, seed=6)
    lab = C.module_labels(n, 4)
    within = lab[:, None] == lab[None, :]
    assert np.abs(W[within]).min() > np.abs(W[~within]).max()
    assert (W[within] < 0).mean() > 0.3          # signs travel with magnitudes, not sorted by sign


def test_rank_swap_with_equal_blocks_keeps_the_input_power_of_every_module():
    """The reason the default modularity cannot move the bulk: equal row sums of the variance profile."""
    n = 400
    W = rnnlib.make_weights(n, 1.0, 0.0, modularity=1.0, seed=7)
    lab = C.module_labels(n, 4)
    power = np.array([(W[lab == k] ** 2).sum(1).mean() for k in range(4)])
    np.testing.assert_allclose(power, 1.0, rtol=0.03)


def test_every_regularity_registers_its_symbol_and_names_and_the_book_derives_its_tables_from_them():
    """Adding a regularity is a registration: its symbol and names live with it, every table follows."""
    from rnnlib.book import figstyle
    from rnnlib.model import constructions as c
    from rnnlib.statistics import stats
    for table in (c.SYMBOLS, c.NAMES, c.SHORT_NAMES, c.DEFAULTS):
        assert set(table) == set(c.ALL_REGULARITIES)
    assert stats.CONTROLS == c.ALL_REGULARITIES and figstyle.SYMBOLS == c.SYMBOLS
    assert figstyle.SHORT["weak_rows"] == "weak rows $c$" and figstyle.LABELS["dale"] == "Dale monopolarity $D$"
    assert len(set(c.SYMBOLS.values())) == len(c.SYMBOLS)          # symbols tell the regularities apart
