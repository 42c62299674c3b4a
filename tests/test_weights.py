"""Weight ensembles: defining properties, common random numbers, unchanged distributions."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import rnnlib
from rnnlib.model.constructions import module_labels

sizes = st.integers(8, 60)
balances = st.floats(-0.9, 0.9)
controls = st.floats(0.0, 1.0)
seeds = st.integers(0, 2**32 - 1)
fast = settings(max_examples=25, deadline=None)


def baseline(n, b, seed, density=1.0):
    return rnnlib.make_weights(n, 1.0, b, density=density, seed=seed)


# --- defining property at full strength, exact baseline at zero ---------------------------------

@pytest.mark.parametrize("n, b, excitatory", [
    (50, -0.6, 10), (50, 0.0, 25), (50, 0.3, 32),     # n (1 + b) / 2 = 10, 25, 32.5 (rounds half to even)
    (49, 0.3, 32), (30, -0.55, 7), (45, -0.2, 18),    # 31.85, 6.75, 18.0: round and floor differ in the first two
])
def test_dale_full_gives_single_signed_columns_with_exact_type_count(n, b, excitatory):
    W = rnnlib.make_weights(n, 1.0, b, dale=1.0, seed=1)
    col_sign = np.sign(W)
    assert np.all((col_sign == col_sign[0]) | (col_sign == 0))
    assert int((col_sign[0] > 0).sum()) == excitatory


def test_reciprocity_full_gives_symmetric_matrix():
    W = rnnlib.make_weights(40, 1.3, 0.2, reciprocity=1.0, seed=2)
    assert np.array_equal(W, W.T)


@pytest.mark.parametrize("density", [1.0, 0.3])
@pytest.mark.parametrize("modules", [1, 3, 4, 7])
def test_modularity_full_puts_every_within_block_magnitude_above_every_between_one(modules, density):
    n = 30
    W = rnnlib.make_weights(n, 1.0, 0.1, modularity=1.0, modules=modules, density=density, seed=3)
    lab = module_labels(n, modules)
    within = lab[:, None] == lab[None, :]
    if modules == 1:
        assert within.all()
        return
    m = np.abs(W)
    assert m[within].min() >= m[~within].max()
    if density == 1.0:
        assert m[within].min() > m[~within].max()


def test_module_blocks_are_contiguous_and_differ_by_at_most_one():
    lab = module_labels(10, 4)
    assert lab.tolist() == [0, 0, 1, 1, 1, 2, 2, 3, 3, 3]
    assert np.ptp(np.bincount(module_labels(101, 7))) <= 1


@pytest.mark.parametrize("reg", ["dale", "reciprocity", "modularity"])
def test_control_zero_is_exactly_the_baseline(reg):
    W0 = baseline(25, -0.4, 7)
    assert np.array_equal(rnnlib.make_weights(25, 1.0, -0.4, **{reg: 0.0}, seed=7), W0)


# --- common random numbers and reproducibility --------------------------------------------------

@fast
@given(n=sizes, b=balances, c=controls, seed=seeds, reg=st.sampled_from(["dale", "reciprocity", "modularity"]))
def test_same_seed_same_bits(n, b, c, seed, reg):
    a = rnnlib.make_weights(n, 1.7, b, **{reg: c}, seed=seed)
    assert np.array_equal(a, rnnlib.make_weights(n, 1.7, b, **{reg: c}, seed=np.random.SeedSequence(seed)))
    assert a.tobytes() == rnnlib.make_weights(n, 1.7, b, **{reg: c}, seed=seed).tobytes()


def test_different_seeds_give_different_matrices():
    assert not np.array_equal(baseline(20, 0.0, 1), baseline(20, 0.0, 2))


@fast
@given(n=sizes, b=balances, w=st.floats(0.0, 10.0), seed=seeds)
def test_matrix_scales_exactly_linearly_with_strength(n, b, w, seed):
    unit = rnnlib.make_weights(n, 1.0, b, dale=0.5, modularity=0.5, seed=seed)
    assert np.array_equal(rnnlib.make_weights(n, w, b, dale=0.5, modularity=0.5, seed=seed), unit * w)


def test_dale_sweep_changes_signs_gradually_and_monotonically():
    """Common random numbers: a sign flipped at D also stays flipped at every larger D."""
    n, b = 40, 0.2
    flips = [np.sign(rnnlib.make_weights(n, 1.0, b, dale=d, seed=5)) != np.sign(baseline(n, b, 5))
             for d in np.linspace(0, 1, 6)]
    counts = [f.sum() for f in flips]
    assert counts[0] == 0 and all(np.diff(counts) >= 0) and counts[-1] > 0
    assert all(np.all(f1 <= f2) for f1, f2 in zip(flips, flips[1:]))


def test_modularity_sweep_moves_few_elements_at_small_control():
    n = 40
    W0 = baseline(n, 0.0, 4)
    moved = [np.mean(rnnlib.make_weights(n, 1.0, modularity=m, seed=4) != W0) for m in (0.05, 0.5, 1.0)]
    assert moved[0] < moved[1] <= moved[2] and moved[0] < 0.05


# --- distributions unchanged by the control parameter -------------------------------------------

@fast
@given(n=sizes, b=balances, c=controls, seed=seeds, density=st.sampled_from([1.0, 0.5]))
def test_dale_keeps_magnitudes_and_the_sign_marginal(n, b, c, seed, density):
    W0 = baseline(n, b, seed, density)
    W = rnnlib.make_weights(n, 1.0, b, dale=c, density=density, seed=seed)
    assert np.array_equal(np.abs(W), np.abs(W0))           # same magnitudes, element by element
    nz = W != 0
    p = (1 + b) / 2
    k = nz.sum()
    # positive fraction: binomial under the baseline; the type count is exact, so the same mean
    tol = 6 * np.sqrt(p * (1 - p) / k) + 1 / n
    assert abs((W[nz] > 0).mean() - p) < tol


@fast
@given(n=sizes, b=balances, c=controls, seed=seeds)
def test_reciprocity_keeps_the_element_marginal(n, b, c, seed):
    W = rnnlib.make_weights(n, 1.0, b, reciprocity=c, seed=seed)
    unique = n * (n + 1) // 2                              # independent draws left at H = 1
    mag = np.abs(W) * np.sqrt(n)                            # half-normal, mean sqrt(2/pi), var 1 - 2/pi
    assert abs(mag.mean() - np.sqrt(2 / np.pi)) < 6 * np.sqrt((1 - 2 / np.pi) / unique)
    p = (1 + b) / 2
    assert abs((W > 0).mean() - p) < 6 * np.sqrt(p * (1 - p) / unique)


@pytest.mark.parametrize("H", [0.0, 0.3, 0.7, 1.0])
def test_reciprocity_sets_the_pair_correlation_to_H_at_zero_balance(H):
    n = 300
    W = rnnlib.make_weights(n, 1.0, reciprocity=H, seed=11)
    iu = np.triu_indices(n, 1)
    r = np.corrcoef(W[iu], W.T[iu])[0, 1]
    assert abs(r - H) < 0.02


@fast
@given(n=sizes, b=balances, c=controls, seed=seeds, modules=st.integers(1, 6), density=st.sampled_from([1.0, 0.6]))
def test_modularity_keeps_the_exact_histogram_of_weights(n, b, c, seed, modules, density):
    """Whole weights (magnitude and sign) trade places: the multiset of signed values is unchanged."""
    W0 = baseline(n, b, seed, density)
    W = rnnlib.make_weights(n, 1.0, b, modularity=c, modules=modules, density=density, seed=seed)
    assert np.array_equal(np.sort(W, axis=None), np.sort(W0, axis=None))


def test_combined_regularities_keep_each_property_where_compatible():
    """Modularity moves magnitudes, then Dale sets signs: both defining properties hold together."""
    n = 32
    W = rnnlib.make_weights(n, 1.0, 0.0, dale=1.0, modularity=1.0, seed=9)
    lab = module_labels(n, 4)
    within = lab[:, None] == lab[None, :]
    assert np.abs(W)[within].min() > np.abs(W)[~within].max()
    s = np.sign(W)
    assert np.all(s == s[0])


def test_dale_and_reciprocity_at_full_strength_are_refused():
    with pytest.raises(ValueError, match="dale = 1 and reciprocity = 1"):
        rnnlib.make_weights(10, 1.0, 0.0, dale=1.0, reciprocity=1.0)
    W = rnnlib.make_weights(10, 1.0, 1.0, dale=1.0, reciprocity=1.0, seed=0)   # all excitatory: consistent
    assert np.array_equal(W, W.T) and np.all(W >= 0)


def test_alternative_constructions_can_be_registered_and_selected():
    from rnnlib.model import constructions

    @constructions.register("dale", "test-flip-all")
    def flip_all(W, c, ctx):
        return -np.abs(W) if c > 0 else W

    try:
        W = rnnlib.make_weights(12, 1.0, dale=0.5, seed=1, constructions={"dale": "test-flip-all"})
        assert np.all(W <= 0)
        assert "test-flip-all" in constructions.available("dale")
    finally:
        constructions._REGISTRY["dale"].pop("test-flip-all")
    with pytest.raises(ValueError, match="construction for dale must be one of"):
        rnnlib.make_weights(12, 1.0, dale=0.5, constructions={"dale": "nope"})


# --- alternative readings ------------------------------------------------------------------------

@fast
@given(n=sizes, b=balances, c=controls, seed=seeds)
def test_sign_copy_reciprocity_keeps_magnitudes_and_makes_signs_symmetric(n, b, c, seed):
    W0 = baseline(n, b, seed)
    W = rnnlib.make_weights(n, 1.0, b, reciprocity=c, seed=seed, constructions={"reciprocity": "sign-copy"})
    assert np.array_equal(np.abs(W), np.abs(W0))
    if c == 1.0:
        assert np.array_equal(np.sign(W), np.sign(W).T)


def test_sign_copy_reciprocity_gives_pair_correlation_two_over_pi():
    n = 300
    W = rnnlib.make_weights(n, 1.0, reciprocity=1.0, seed=12, constructions={"reciprocity": "sign-copy"})
    iu = np.triu_indices(n, 1)
    assert np.corrcoef(W[iu], W.T[iu])[0, 1] == pytest.approx(2 / np.pi, abs=0.02)


@pytest.mark.parametrize("M", [0.3, 1.0])
def test_variance_modularity_keeps_the_mean_square_and_disconnects_at_one(M):
    n, K = 200, 4
    W0 = baseline(n, 0.0, 13)
    W = rnnlib.make_weights(n, 1.0, modularity=M, modules=K, seed=13, constructions={"modularity": "variance"})
    lab = module_labels(n, K)
    within = lab[:, None] == lab[None, :]
    assert np.mean(W * W) == pytest.approx(np.mean(W0 * W0), rel=0.05)
    assert np.allclose(W[~within], np.sqrt(1 - M) * W0[~within])
    if M == 1.0:
        assert np.all(W[~within] == 0)
