"""Weak rows (the follow-up study's structural countermeasure): a permutation of the entries, its readings'
defining properties at full control, control 0 = baseline bits, and the refused combinations."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import rnnlib
from rnnlib.model import constructions as C
from rnnlib.model.weights import NetworkParams

READINGS = sorted(C.WEAK_ROW_READINGS)


def weak(n, c, reading="rows-10", b=0.0, density=1.0, seed=0):
    return rnnlib.make_weights(n, 1.0, b, weak_rows=c, density=density, seed=seed,
                               constructions={"weak_rows": reading})


def test_readings_are_registered_and_the_default_is_ten_percent_by_magnitude():
    assert C.available("weak_rows") == READINGS == ["rows-10", "rows-20", "rows-5", "signed-10"]
    assert C.DEFAULTS["weak_rows"] == "rows-10"
    assert [C.weak_row_count(200, r) for r in ("rows-5", "rows-10", "rows-20", "signed-10")] == [10, 20, 40, 20]
    assert C.weak_row_count(3, "rows-5") == 1             # never an empty subset
    np.testing.assert_array_equal(C.weak_row_mask(10, "rows-20"), [1, 1] + [0] * 8)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 40), c=st.floats(0.0, 1.0), b=st.floats(-1.0, 1.0), density=st.floats(0.05, 1.0),
       reading=st.sampled_from(READINGS), seed=st.integers(0, 2 ** 31))
def test_every_control_value_permutes_the_entries_exactly(n, c, b, density, reading, seed):
    base = rnnlib.make_weights(n, 1.0, b, density=density, seed=seed)
    W = weak(n, c, reading, b, density, seed)
    np.testing.assert_array_equal(np.sort(W, axis=None), np.sort(base, axis=None))


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("density", [1.0, 0.3])
def test_control_zero_gives_the_baseline_bits_and_the_sweep_is_gradual(reading, density):
    base = rnnlib.make_weights(60, 1.0, 0.2, density=density, seed=4)
    assert np.array_equal(weak(60, 0.0, reading, 0.2, density, seed=4), base)
    changed = [np.count_nonzero(weak(60, c, reading, 0.2, density, seed=4) != base) for c in (0.1, 0.5, 1.0)]
    assert 0 < changed[0] < changed[1] < changed[2]


@pytest.mark.parametrize("reading", ["rows-5", "rows-10", "rows-20"])
@pytest.mark.parametrize("b", [-0.4, 0.0, 0.3])
def test_magnitude_readings_put_the_smallest_magnitudes_into_the_weak_rows(reading, b):
    n = 100
    W = weak(n, 1.0, reading, b, seed=3)
    rows = C.weak_row_mask(n, reading)
    assert np.abs(W[rows]).max() <= np.abs(W[~rows]).min()
    assert rows.sum() == round(C.WEAK_ROW_READINGS[reading][0] * n)
    # the signs in the weak rows stay those of the magnitude ranking: both signs present at |b| < 1
    assert (W[rows] > 0).any() and (W[rows] < 0).any()


@pytest.mark.parametrize("b", [-0.4, 0.0, 0.3])
def test_signed_reading_puts_the_most_negative_weights_into_the_weak_rows(b):
    n = 100
    W = weak(n, 1.0, "signed-10", b, seed=3)
    rows = C.weak_row_mask(n, "signed-10")
    assert W[rows].max() <= W[~rows].min()
    assert np.all(W[rows] < 0)            # 10 % of the entries, fewer than the negative ones at b <= 0.3


def test_partial_control_places_that_share_of_the_weak_rows_entries():
    n, c = 120, 0.4
    base = rnnlib.make_weights(n, 1.0, 0.0, seed=7)
    W = weak(n, c, seed=7)
    rows = C.weak_row_mask(n)
    k = round(c * rows.sum() * n)
    smallest = np.sort(np.abs(base), axis=None)[:k]
    # the k smallest magnitudes of the whole matrix now all sit in weak rows
    assert np.isin(smallest, np.abs(W[rows])).all()
    assert np.count_nonzero(np.isin(np.abs(W[rows]), smallest)) == k


def test_the_same_seed_gives_the_same_matrix_and_strength_multiplies_last():
    a = weak(50, 0.6, seed=11)
    assert np.array_equal(a, weak(50, 0.6, seed=11))
    assert np.array_equal(rnnlib.make_weights(50, 2.5, weak_rows=0.6, seed=11), 2.5 * a)


@pytest.mark.parametrize("other", ["dale", "reciprocity", "modularity"])
def test_weak_rows_refuse_to_combine_with_another_regularity(other):
    with pytest.raises(ValueError, match=f"weak_rows > 0 combines with no other regularity.*{other} = 0.5"):
        rnnlib.make_weights(20, 1.0, weak_rows=0.5, **{other: 0.5})
    rnnlib.make_weights(20, 1.0, weak_rows=0.0, **{other: 0.5})      # weak rows at 0 combine with anything


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan")])
def test_weak_rows_outside_zero_one_are_refused_by_name(value):
    with pytest.raises(ValueError, match="weak_rows"):
        NetworkParams(n=10, weak_rows=value)


def test_unknown_weak_row_reading_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="rows-10"):
        weak(10, 0.5, "rows-50")
    with pytest.raises(ValueError, match="rows-10"):
        C.weak_row_count(10, "rows-50")
