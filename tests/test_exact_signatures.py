"""Exact answers for the dynamical signatures (issue 13).

Every formula of :func:`rnnlib.model.signatures.signatures_from_states` is checked on
short hand-made trajectories with known answers, every regime rule in both
directions, and the free-run protocol (initial states, transient, gains) against
:func:`rnnlib.run` step by step.
"""
import numpy as np
import pytest

from rnnlib.model.dynamics import run
from rnnlib.model.weights import make_weights
from rnnlib.model.seeding import rng
from rnnlib.model.signatures import (CHAOTIC, FIXED, IRREGULAR, PERIODIC, QUIESCENT, REGIMES, SignatureSettings,
                               largest_lyapunov, signatures, signatures_batch, signatures_from_states)


def settings(T, **kw):
    return SignatureSettings(steps=T, transient=0, **({"max_period": 4} | kw))


def test_every_formula_on_three_neurons_by_hand():
    """x1 = (0.2, 0.6, 0.2, 0.6, ...), x2 = (0, 1, ...), x3 = -0.5 constant; T = 8."""
    T = 8
    x1 = np.tile([0.2, 0.6], T // 2)
    x2 = np.tile([0.0, 1.0], T // 2)
    X = np.stack([x1, x2, np.full(T, -0.5)], axis=1)[:, :, None]
    s = signatures_from_states(X, 0.3, settings(T, saturation_threshold=0.5))
    assert s["mean_activation"][0] == pytest.approx((0.4 + 0.5 - 0.5) / 3)
    assert s["saturation"][0] == pytest.approx((0.4 + 0.5 + 0.5) / 3)
    # |x| > 0.5 (strictly): x1 half the time, x2 half the time, x3 (exactly 0.5) never: (0.5 + 0.5 + 0) / 3
    assert s["fraction_saturated"][0] == pytest.approx(1 / 3)
    assert s["fluctuation"][0] == pytest.approx((0.2 + 0.5 + 0.0) / 3)
    assert s["lag1_autocorrelation"][0] == pytest.approx(-1.0)
    assert s["pairwise_correlation"][0] == pytest.approx(1.0)     # x1 and x2 move together
    assert s["lyapunov"][0] == 0.3 and s["period"][0] == 2 and s["regime"][0] == PERIODIC


def test_lag1_autocorrelation_is_pooled_over_neurons():
    """Neuron 1: +-1 alternation (sum dx dx' = -(T-1)); neuron 2: slow ramp; pooled ratio by hand."""
    T = 6
    a = np.array([1.0, -1, 1, -1, 1, -1])
    b = np.arange(T, dtype=float)
    X = np.stack([a, b], axis=1)[:, :, None]
    da, db = a - a.mean(), b - b.mean()
    expected = (da[:-1] @ da[1:] + db[:-1] @ db[1:]) / (da[:-1] @ da[:-1] + db[:-1] @ db[:-1])
    s = signatures_from_states(X, 0.0, settings(T, max_period=1))
    assert s["lag1_autocorrelation"][0] == pytest.approx(expected, rel=1e-14)


def test_pairwise_correlation_is_the_rms_over_pairs():
    """Three neurons with correlations 1, 0 and 0 between them: rms = sqrt(1/3)."""
    u = np.array([1.0, -1, 1, -1, 1, -1, 1, -1])
    v = np.array([1.0, 1, -1, -1, 1, 1, -1, -1])            # orthogonal to u, both zero-mean
    X = np.stack([u, 2 * u, v], axis=1)[:, :, None]
    s = signatures_from_states(X, 0.0, settings(8, max_period=1))
    assert s["pairwise_correlation"][0] == pytest.approx(np.sqrt(1 / 3), rel=1e-12)
    assert s["fluctuation"][0] == pytest.approx((1 + 2 + 1) / 3)


def test_pairwise_correlation_counts_only_fluctuating_neurons():
    u = np.array([1.0, -1, 1, -1, 1, -1, 1, -1])
    X = np.stack([u, np.full(8, 0.3), -u], axis=1)[:, :, None]
    assert signatures_from_states(X, 0.0, settings(8))["pairwise_correlation"][0] == pytest.approx(1.0)


def test_float32_states_and_integer_exponents_are_measured_in_float64():
    X = np.random.default_rng(2).uniform(-1, 1, (12, 3, 2)).astype(np.float32)
    a = signatures_from_states(X, 0, settings(12))
    b = signatures_from_states(X.astype(np.float64), 0.0, settings(12))
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    assert a["lyapunov"].dtype == np.float64 and a["mean_activation"].dtype == np.float64


def test_constant_signal_has_autocorrelation_one():
    X = np.full((10, 3, 1), 0.4)
    s = signatures_from_states(X, -1.0, settings(10))
    assert s["lag1_autocorrelation"][0] == 1.0 and np.isnan(s["pairwise_correlation"][0])
    assert s["period"][0] == 1 and s["regime"][0] == FIXED and s["fluctuation"][0] == pytest.approx(0, abs=1e-15)


@pytest.mark.parametrize("p", [1, 2, 3, 4])
def test_smallest_period_is_found(p):
    T = 40
    cycle = np.random.default_rng(p).uniform(-1, 1, (p, 2))
    cycle[0] += 0.5 if p > 1 else 0   # no shorter period
    X = cycle[np.arange(T) % p][:, :, None]
    s = signatures_from_states(X, 0.0, settings(T, max_period=4))
    assert s["period"][0] == p
    assert s["regime"][0] == (FIXED if p == 1 else PERIODIC)


def test_period_longer_than_max_period_is_aperiodic_and_tolerance_is_strict():
    T = 40
    X = np.tile([0.1, 0.2, 0.3, 0.4, 0.5], T // 5)[:, None, None]
    assert signatures_from_states(X, 0.0, settings(T, max_period=4))["period"][0] == 0
    assert signatures_from_states(X, 0.0, settings(T, max_period=5))["period"][0] == 5
    # a constant with a step of exactly the tolerance in the last quarter is not a fixed point
    Y = np.full((T, 1, 1), 0.5)
    Y[-3:] += 1e-3
    assert signatures_from_states(Y, 0.0, settings(T, period_tol=1e-3))["period"][0] == 0
    assert signatures_from_states(Y, 0.0, settings(T, period_tol=1.1e-3))["period"][0] == 1


def test_period_looks_only_at_the_last_quarter_of_the_window():
    """T = 40, max_period 4: the window is max(10, 8) = 10 steps, x(30)..x(39), each compared with x(t - p)."""
    T = 40
    X = np.full((T, 1, 1), 0.5)
    X[:29] = np.linspace(-1, 1, 29)[:, None, None]   # x(28) = 1 is reached only by lags p >= 2
    assert signatures_from_states(X, 0.0, settings(T))["period"][0] == 1
    X[29] = 0.9                                       # x(29) is compared with x(30) at lag 1
    assert signatures_from_states(X, 0.0, settings(T))["period"][0] == 0


def test_window_is_at_least_twice_the_longest_period_and_fits_the_record():
    """T = 12, max_period = 4: window = min(max(3, 8), 8) = 8; a break at step 4 (window start) matters."""
    X = np.full((12, 1, 1), 0.5)
    X[4] = 0.0
    assert signatures_from_states(X, 0.0, settings(12))["period"][0] == 0
    X[4] = 0.5
    X[3] = 0.0      # compared only at lag 1 from step 4; lag 1 fails but lag 2 ... all compare step 3 or earlier
    assert signatures_from_states(X, 0.0, settings(12, max_period=1))["period"][0] == 1


@pytest.mark.parametrize("lyap, code", [(0.02, CHAOTIC), (0.01, IRREGULAR), (-0.5, IRREGULAR)])
def test_aperiodic_regime_follows_the_chaos_threshold(lyap, code):
    X = np.random.default_rng(0).uniform(-1, 1, (40, 3, 1))
    s = signatures_from_states(X, lyap, settings(40, chaos_threshold=0.01))
    assert s["period"][0] == 0 and s["regime"][0] == code


def test_quiescent_overrides_every_other_class_and_uses_the_last_state():
    X = np.zeros((20, 2, 1))
    X[:10] = 0.5
    X[-1] = 5e-5
    assert signatures_from_states(X, 1.0, settings(20))["regime"][0] == QUIESCENT
    assert signatures_from_states(X, 1.0, settings(20, quiescent_tol=5e-5))["regime"][0] != QUIESCENT


def test_trailing_column_axes_are_kept_and_lyapunov_broadcasts():
    X = np.random.default_rng(1).uniform(-1, 1, (12, 2, 2, 3))
    X[:, :, 1, 2] = 0.0
    s = signatures_from_states(X, np.array([[0.5], [-0.5]]), settings(12))
    assert all(v.shape == (2, 3) for v in s.values())
    np.testing.assert_array_equal(s["lyapunov"], [[0.5] * 3, [-0.5] * 3])
    assert s["regime"][1, 2] == QUIESCENT and s["regime"][0, 0] == CHAOTIC and s["regime"][1, 0] == IRREGULAR
    one = signatures_from_states(X[:, :, 0, 1:2], 0.5, settings(12))
    assert one["saturation"][0] == s["saturation"][0, 1]


def test_free_run_protocol_against_run():
    """States after the transient, from x0 = U[-1, 1] of rng(seed, "initial-state"), gain per column."""
    W = np.array([[0.0, 1.5, -0.7], [-1.1, 0.2, 0.9], [0.8, -1.3, 0.0]])
    seed, T0, T, gains = 4, 5, 6, [0.5, 2.0]
    st = SignatureSettings(steps=T, transient=T0, max_period=2)
    res = signatures_batch(W, gains, settings=st, initial_conditions=2, seed=seed)
    x0 = rng(seed, "initial-state").uniform(-1.0, 1.0, (3, 2))
    v0 = rng(seed, "tangent").standard_normal((3, 2))
    for s, g in enumerate(gains):
        for k in range(2):
            pre = run(W, x0[:, k], T0, gain=g, tangent=v0[:, k:k + 1])
            meas = run(W, pre.final, T, gain=g, tangent=pre.tangent, record=True)
            one = signatures_from_states(meas.states, meas.log_growth / T, st)
            for key, value in one.items():
                np.testing.assert_allclose(res[key][s, k], value[0], rtol=1e-12, err_msg=key)


def test_largest_lyapunov_of_a_contracting_linear_regime():
    """x -> tanh(g a x) with a = 0.5: x -> 0, so lambda -> ln(g a) (here the transient is long enough)."""
    W = 0.5 * np.eye(3)
    assert largest_lyapunov(W, steps=50, transient=100, seed=1) == pytest.approx(np.log(0.5), abs=1e-9)
    assert largest_lyapunov(W, steps=50, transient=100, seed=1, gain=1.5) == pytest.approx(np.log(0.75), abs=1e-9)
    assert largest_lyapunov(W, steps=50, transient=100, seed=1, gain=0.4) == pytest.approx(np.log(0.2), abs=1e-9)
    # short transient: the exponent over the first steps is below ln(0.5) because tanh' < 1 there
    assert largest_lyapunov(W, steps=2, transient=0, seed=1) < np.log(0.5)


#: six neurons near the edge of chaos: aperiodic, partly saturated (sensitive to every setting)
W6 = make_weights(6, 2.0, seed=0)


@pytest.mark.parametrize("steps, transient", [(2, 7), (30, 0), (None, None)])
def test_largest_lyapunov_equals_the_batch_exponent(steps, transient):
    """The same protocol as signatures_batch with one column, including the defaults 500 / 500."""
    kw = {} if steps is None else dict(steps=steps, transient=transient)
    st = SignatureSettings(**kw, max_period=1)
    batch = signatures_batch(W6, [1.3], settings=st, seed=2)
    assert largest_lyapunov(W6, **kw, seed=2, gain=1.3) == batch["lyapunov"][0, 0]


def test_signatures_batch_in_float32_is_computed_in_float32():
    st = SignatureSettings(steps=20, transient=0, max_period=4)
    b64 = signatures_batch(W6, settings=st, seed=3)
    b32 = signatures_batch(W6, settings=st, seed=3, dtype=np.float32)
    assert b32["lyapunov"][0, 0] != b64["lyapunov"][0, 0]
    assert b32["lyapunov"][0, 0] == pytest.approx(b64["lyapunov"][0, 0], rel=1e-4)


def test_largest_lyapunov_in_float32_is_computed_in_float32():
    l64 = largest_lyapunov(W6, steps=20, transient=0, seed=3)
    l32 = largest_lyapunov(W6, steps=20, transient=0, seed=3, dtype=np.float32)
    assert l32 != l64 and l32 == pytest.approx(l64, rel=1e-4)


def test_signatures_returns_plain_values_and_passes_settings_on():
    s = signatures(W6, steps=40, transient=20, seed=0, saturation_threshold=0.5, max_period=8)
    b = signatures_batch(W6, settings=SignatureSettings(steps=40, transient=20, saturation_threshold=0.5,
                                                               max_period=8), seed=0)
    assert s == {k: (REGIMES[v[0, 0]] if k == "regime" else v[0, 0]) for k, v in b.items()}
    assert isinstance(s["regime"], str) and type(s["period"]) is int and type(s["saturation"]) is float
    default = signatures(W6, steps=40, transient=20, seed=0)
    assert default["fraction_saturated"] != s["fraction_saturated"]   # the threshold reached the measurement
    # the default transient is 500 steps
    d = signatures(W6, steps=10, seed=0, max_period=4)
    ref = signatures_batch(W6, settings=SignatureSettings(steps=10, max_period=4), seed=0)
    assert d["saturation"] == ref["saturation"][0, 0]


@pytest.mark.parametrize("kwargs, ok", [
    (dict(steps=2, max_period=1), True), (dict(steps=1, max_period=1), False), (dict(transient=0), True),
    (dict(transient=-1), False), (dict(steps=10, max_period=9), True), (dict(steps=10, max_period=10), False),
    (dict(max_period=0), False), (dict(period_tol=0.0), False), (dict(quiescent_tol=0.0), False),
    (dict(saturation_threshold=0.0), False), (dict(saturation_threshold=1.0), False),
    (dict(saturation_threshold=0.59), True), (dict(chaos_threshold=-1.0), True),
    (dict(chaos_threshold=float("nan")), False),
])
def test_signature_settings_ranges(kwargs, ok):
    if ok:
        assert SignatureSettings(**kwargs).as_dict().items() >= kwargs.items()
    else:
        with pytest.raises(ValueError):
            SignatureSettings(**kwargs)


def test_free_run_refuses_bad_arguments():
    with pytest.raises(ValueError, match="initial_conditions"):
        signatures_batch(np.eye(2), initial_conditions=0, settings=settings(4, max_period=1))
    with pytest.raises(ValueError, match=r"^gain must be a finite number >= 0.0, got -1.0"):
        largest_lyapunov(np.eye(2), gain=-1.0)
    with pytest.raises(ValueError, match="steps"):
        largest_lyapunov(np.eye(2), steps=1)
