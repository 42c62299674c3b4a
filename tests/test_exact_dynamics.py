"""Exact answers for the simulation loop, the spectrum and the seeding (issue 13).

Trajectories of two or three neurons over one or two steps are written out by
hand with numpy's tanh and compared to :func:`rnnlib.run`, with and without
gains, drives and tangent vectors.
"""
import hashlib

import numpy as np
import pytest

from rnnlib.model.dynamics import run
from rnnlib.model.seeding import as_seed_sequence, derive, key_of, rng
from rnnlib.model.spectrum import eigenvalues, spectral_radius

W3 = np.array([[0.0, 0.5, -1.0], [1.2, 0.0, 0.3], [-0.4, 0.9, 0.1]])
X3 = np.array([[0.5, -0.2], [-1.0, 0.1], [0.25, 0.7]])      # two columns


def sech2(y):
    return 1.0 / np.cosh(y) ** 2


def test_two_steps_by_hand():
    x1 = np.tanh(W3 @ X3)
    x2 = np.tanh(W3 @ x1)
    traj = run(W3, X3, 2, record=True)
    np.testing.assert_allclose(traj.states[0], x1, rtol=1e-15)
    np.testing.assert_allclose(traj.states[1], x2, rtol=1e-15)
    np.testing.assert_allclose(traj.final, x2, rtol=1e-15)
    np.testing.assert_array_equal(run(W3, X3, 2).final, traj.final)
    assert traj.tangent is None and traj.log_growth is None
    np.testing.assert_array_equal(X3, [[0.5, -0.2], [-1.0, 0.1], [0.25, 0.7]])   # x0 untouched


def test_final_state_is_not_a_view_of_the_record():
    traj = run(W3, X3, 2, record=True)
    traj.states[-1][:] = 0
    assert np.all(traj.final != 0)


def test_zero_steps_return_the_initial_state():
    traj = run(W3, X3, 0, record=True)
    np.testing.assert_array_equal(traj.final, X3)
    assert traj.states.shape == (0, 3, 2)


def test_one_dimensional_state_is_one_column():
    traj = run(W3, X3[:, 0], 1)
    assert traj.final.shape == (3, 1)
    np.testing.assert_allclose(traj.final[:, 0], np.tanh(W3 @ X3[:, 0]), rtol=1e-15)


@pytest.mark.parametrize("tangent", [False, True])
def test_gain_per_column_and_scalar_gain_by_hand(tangent):
    g = np.array([0.5, 2.0])
    kw = dict(tangent=np.ones((3, 2))) if tangent else {}
    x1 = np.tanh(g * (W3 @ X3))
    x2 = np.tanh(g * (W3 @ x1))
    np.testing.assert_allclose(run(W3, X3, 2, gain=g, **kw).final, x2, rtol=1e-14)
    y2 = np.tanh(3.0 * W3 @ np.tanh(3.0 * W3 @ X3))
    np.testing.assert_allclose(run(W3, X3, 2, gain=3.0, **kw).final, y2, rtol=1e-14)


@pytest.mark.parametrize("tangent", [False, True])
def test_drive_is_added_inside_the_tanh_at_each_step(tangent):
    h = np.random.default_rng(0).standard_normal((3, 3, 2))   # one step more than needed: allowed
    kw = dict(tangent=np.ones((3, 2))) if tangent else {}
    x1 = np.tanh(W3 @ X3 + h[0])
    x2 = np.tanh(W3 @ x1 + h[1])
    np.testing.assert_allclose(run(W3, X3, 2, drive=h, **kw).final, x2, rtol=1e-14)
    x1 = np.tanh(2 * W3 @ X3 + h[0, :, :1])                    # one drive column for all states
    x2 = np.tanh(2 * W3 @ x1 + h[1, :, :1])
    np.testing.assert_allclose(run(W3, X3, 2, gain=2.0, drive=h[:, :, :1], **kw).final, x2, rtol=1e-14)


def test_tangent_two_steps_by_hand():
    v0 = np.array([[1.0, 0.0], [2.0, 0.0], [-2.0, 3.0]])
    g = np.array([1.0, 1.5])
    y1 = g * (W3 @ X3)
    v = v0 / np.linalg.norm(v0, axis=0)
    u1 = sech2(y1) * (g * (W3 @ v))
    n1 = np.linalg.norm(u1, axis=0)
    x1 = np.tanh(y1)
    y2 = g * (W3 @ x1)
    u2 = sech2(y2) * (g * (W3 @ (u1 / n1)))
    n2 = np.linalg.norm(u2, axis=0)
    traj = run(W3, X3, 2, gain=g, tangent=v0, record=True)
    np.testing.assert_allclose(traj.log_growth, np.log(n1) + np.log(n2), rtol=1e-13)
    np.testing.assert_allclose(traj.tangent, u2 / n2, rtol=1e-13)
    np.testing.assert_allclose(traj.final, np.tanh(y2), rtol=1e-14)
    np.testing.assert_allclose(traj.states[0], x1, rtol=1e-14)
    assert traj.log_growth.dtype == np.float64


def test_tangent_derivative_stays_positive_far_in_saturation():
    """sech^2(y) from the field: at |y| = 30 it is 4 e^{-60} > 0, where 1 - tanh^2 would be exactly 0."""
    W = np.array([[30.0]])
    traj = run(W, [[1.0]], 1, tangent=[[1.0]])
    y = 30 * 1.0
    assert traj.log_growth[0] == pytest.approx(np.log(30 * 4 * np.exp(-2 * y) / (1 + np.exp(-2 * y)) ** 2), rel=1e-12)


def test_vanishing_tangent_gives_minus_infinity_without_nan():
    traj = run(np.zeros((2, 2)), np.ones((2, 1)), 3, tangent=np.ones((2, 1)))
    assert traj.log_growth[0] == -np.inf
    np.testing.assert_array_equal(traj.tangent, 0.0)
    traj = run(W3[:2, :2], np.ones((2, 1)), 2, tangent=np.zeros((2, 1)))   # zero initial tangent
    assert traj.log_growth[0] == -np.inf and not np.any(np.isnan(traj.tangent))


def test_columns_are_independent_with_tangents():
    V = np.array([[1.0, 0.3], [0.0, -1.0], [0.5, 2.0]])
    both = run(W3, X3, 3, tangent=V)
    for k in range(2):
        one = run(W3, X3[:, k:k + 1], 3, tangent=V[:, k:k + 1])
        np.testing.assert_allclose(both.final[:, k], one.final[:, 0], rtol=1e-14)
        np.testing.assert_allclose(both.log_growth[k], one.log_growth[0], rtol=1e-14)


def test_float32_runs_in_float32():
    traj = run(W3, X3, 2, dtype=np.float32, tangent=np.ones((3, 2)), record=True)
    assert traj.final.dtype == np.float32 and traj.states.dtype == np.float32 and traj.tangent.dtype == np.float32
    np.testing.assert_allclose(traj.final, run(W3, X3, 2).final, atol=1e-6)
    assert run(W3, X3, 2, dtype="float32", gain=[1.0, 2.0]).final.dtype == np.float32


@pytest.mark.parametrize("kwargs, match", [
    (dict(x0=np.zeros((2, 2))), "x0 must have shape"), (dict(x0=np.zeros((3, 2, 1))), "x0 must have shape"),
    (dict(drive=np.zeros((1, 3, 2))), "drive must have shape"), (dict(drive=np.zeros((2, 3))), "drive must have shape"),
    (dict(drive=np.zeros((2, 2, 2))), "drive must have shape"), (dict(drive=np.zeros((2, 3, 3))), "drive must have shape"),
    (dict(tangent=np.zeros((3, 1))), "tangent must have shape"), (dict(steps=-1), "steps"),
])
def test_run_refuses_mismatched_shapes(kwargs, match):
    args = dict(x0=X3, steps=2) | kwargs
    with pytest.raises(ValueError, match=match):
        run(W3, args.pop("x0"), args.pop("steps"), **args)


# ----------------------------------------------------------------------------- spectrum

def test_eigenvalues_by_hand_sorted_by_modulus():
    np.testing.assert_allclose(eigenvalues([[0.0, 2.0], [1.0, 0.0]]), [np.sqrt(2), -np.sqrt(2)])
    ev = eigenvalues(np.diag([1.0, -3.0, 2.0]))
    np.testing.assert_array_equal(ev, [-3.0, 2.0, 1.0])
    assert ev.dtype == complex and spectral_radius(np.diag([1.0, -3.0, 2.0])) == 3.0


def test_symmetric_matrix_gets_exactly_real_eigenvalues_and_rotation_a_complex_pair():
    S = np.array([[2.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 2.0]])
    ev = eigenvalues(S)
    assert np.all(ev.imag == 0)
    np.testing.assert_allclose(ev.real, [2 + np.sqrt(2), 2, 2 - np.sqrt(2)], rtol=1e-14)
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(sorted(eigenvalues(R).imag), [-1.0, 1.0], atol=1e-15)
    assert spectral_radius(R) == pytest.approx(1.0, abs=1e-15) and isinstance(spectral_radius(R), float)


def test_equal_moduli_keep_the_solver_order():
    """Ties in modulus keep the solver's (ascending) order: -x before +x, also beyond 16 values."""
    np.testing.assert_array_equal(eigenvalues(np.diag([1.0, -1.0])), [-1.0, 1.0])
    x = np.arange(-20, 21) / 20          # exactly symmetric values
    expected = [v for k in range(20, 0, -1) for v in (-k / 20, k / 20)] + [0.0]
    np.testing.assert_allclose(eigenvalues(np.diag(x)), expected, atol=1e-15)


# ----------------------------------------------------------------------------- seeding

def test_key_of_integers_and_strings():
    assert key_of(0) == 0 and key_of(2 ** 32 - 1) == 2 ** 32 - 1 and key_of(np.int64(7)) == 7
    assert key_of("dale") == int.from_bytes(hashlib.blake2b(b"dale", digest_size=4).digest(), "little")
    assert key_of("dale") != key_of("Dale")
    for bad in (-1, 2 ** 32, True, 1.0, None):
        with pytest.raises(ValueError, match="seed key must be"):
            key_of(bad)


def test_as_seed_sequence_for_every_kind_of_seed():
    ss = np.random.SeedSequence(5)
    assert as_seed_sequence(ss) is ss
    assert as_seed_sequence(5).entropy == 5 and as_seed_sequence(np.uint8(5)).entropy == 5
    assert as_seed_sequence(0).entropy == 0
    g = np.random.default_rng(1)
    expected = int.from_bytes(np.random.default_rng(1).bytes(16), "little")
    assert as_seed_sequence(g).entropy == expected
    assert as_seed_sequence(g).entropy != expected        # the generator advanced by one draw
    assert as_seed_sequence(None).entropy != as_seed_sequence(None).entropy
    for bad in (-1, True, 1.5, "1"):
        with pytest.raises(ValueError, match="seed must be"):
            as_seed_sequence(bad)


def test_derive_appends_keys_and_keeps_the_root():
    root = np.random.SeedSequence(9, spawn_key=(3,), pool_size=8)
    child = derive(root, "dale", 4)
    assert child.entropy == 9 and child.pool_size == 8
    assert child.spawn_key == (3, key_of("dale"), 4)
    assert derive(derive(root, "dale"), 4).spawn_key == child.spawn_key
    assert derive(5).spawn_key == ()
    a = rng(5, "x").random(3)
    np.testing.assert_array_equal(a, np.random.Generator(np.random.PCG64(np.random.SeedSequence(5, spawn_key=(key_of("x"),)))).random(3))
    assert isinstance(rng(5).bit_generator, np.random.PCG64)
    assert not np.array_equal(rng(5, "x").random(3), rng(5, "y").random(3))


# ----------------------------------------------------------------------------- run(): inputs, precision, extremes

@pytest.mark.parametrize("bad, name, count", [
    (dict(x0=np.array([np.nan, 0.0])), "x0", 1),
    (dict(drive=np.full((3, 2, 1), np.inf)), "drive", 6),
    (dict(tangent=np.array([[np.nan], [np.nan]])), "tangent", 2),
])
def test_run_refuses_non_finite_inputs_naming_them_and_counting_the_bad_entries(bad, name, count):
    args = dict(x0=np.array([0.1, 0.2]))
    args.update(bad)
    with pytest.raises(ValueError, match=rf"^{name} must contain only finite values, got {count} non-finite entries$"):
        run(np.eye(2), args.pop("x0"), 3, **args)


def test_run_error_for_a_misshapen_x0_shows_the_shape_given():
    with pytest.raises(ValueError, match=r"^x0 must have shape \(2,\) or \(2, c\) to match W, got \(3,\)$"):
        run(np.eye(2), np.zeros(3), 1)


def test_run_keeps_no_states_unless_asked_and_takes_a_scalar_start_for_one_neuron():
    assert run(np.eye(2), np.zeros(2), 3).states is None
    traj = run(np.array([[0.5]]), 0.4, 2)                    # x0 given as a plain number
    assert traj.final.shape == (1, 1)
    assert traj.final[0, 0] == pytest.approx(np.tanh(0.5 * np.tanh(0.5 * 0.4)), rel=1e-15)


def test_float32_runs_in_float32_arithmetic_throughout():
    W = np.array([[0.3, -1.2, 0.7], [0.9, 0.1, -0.4], [-0.6, 0.8, 0.2]])
    x0 = np.array([[0.5, -0.2], [0.1, 0.9], [-0.7, 0.3]])
    traj = run(W, x0, 2, dtype=np.float32, record=True)
    W32, x = W.astype(np.float32), x0.astype(np.float32)
    for t in range(2):
        x = np.tanh(W32 @ x)
        np.testing.assert_array_equal(traj.states[t], x)
    assert traj.final.dtype == traj.states.dtype == np.float32
    v0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    lin = run(W, x0, 1, tangent=v0, dtype=np.float32)
    y = W32 @ x0.astype(np.float32)
    v = (1 - np.tanh(y) ** 2) * (W32 @ v0.astype(np.float32))
    np.testing.assert_allclose(lin.tangent, v / np.linalg.norm(v, axis=0), rtol=2e-6)
    np.testing.assert_allclose(lin.log_growth, np.log(np.linalg.norm(v, axis=0)), rtol=2e-6)
    assert lin.final.dtype == lin.tangent.dtype == np.float32 and lin.log_growth.dtype == np.float64


def test_tangent_growth_counts_from_a_unit_vector_whatever_the_length_given():
    W, x0 = np.array([[0.4, 0.3], [-0.2, 0.5]]), np.array([0.1, -0.3])
    unit = run(W, x0, 3, tangent=np.array([[1.0], [0.0]]))
    half = run(W, x0, 3, tangent=np.array([[0.5], [0.0]]))
    np.testing.assert_array_equal(unit.log_growth, half.log_growth)


def test_saturated_field_gives_zero_slope_not_overflow():
    """At |y| = 500 the slope sech^2(y) underflows to exactly 0: the tangent dies (log growth -inf), no NaN."""
    traj = run(np.array([[500.0]]), np.array([1.0]), 1, tangent=np.array([[1.0]]))
    assert traj.log_growth[0] == -np.inf and traj.final[0, 0] == 1.0


@pytest.mark.parametrize("gain", [np.ones((2, 1)), np.ones(3), -0.5, np.array([1.0, np.nan]), np.array([1.0, -1.0]),
                                  np.inf])
def test_run_refuses_gains_that_are_not_one_finite_non_negative_number_or_one_per_column(gain):
    with pytest.raises(ValueError, match=r"^gain must be a finite number >= 0 or one per column \(2\), got "):
        run(np.eye(2), np.zeros((2, 2)), 1, gain=gain)


@pytest.mark.parametrize("args, message", [
    ((np.ones((2, 3)), np.zeros(2), 1), r"^W must be a square"),
    ((np.eye(2), np.zeros(2), -1), r"^steps must be"),
])
def test_run_names_a_bad_matrix_or_step_count(args, message):
    with pytest.raises(ValueError, match=message):
        run(*args)
