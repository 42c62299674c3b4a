"""Exact answers for the weight ensemble and the regularity constructions (issue 13).

Each test states what the code must compute on a tiny input, by hand or from the
formula of the docstring, so that a wrong normalisation, sign or index is caught
without any committed data.
"""
import numpy as np
import pytest

from rnnlib.model import constructions as C
from rnnlib.model.seeding import rng
from rnnlib.model.weights import NetworkParams, make_weights, unit_weights


def ctx(n, balance=0.0, modules=1, seed=0):
    return C.Context(n=n, balance=balance, modules=modules, rng=np.random.default_rng(seed))


# ----------------------------------------------------------------------------- baseline ensemble

@pytest.mark.parametrize("density, balance", [(1.0, 0.0), (0.5, 0.3), (0.2, -0.6)])
def test_baseline_is_the_documented_formula(density, balance):
    """w_ij = s_ij a_ij |z_ij| / sqrt(d N), with the draws of rng(seed, "baseline") in the stated order."""
    n, seed = 5, 11
    g = rng(seed, "baseline")
    z = g.standard_normal((n, n))
    s = np.where(g.random((n, n)) < (1 + balance) / 2, 1.0, -1.0)
    a = g.random((n, n)) < density
    expected = np.where(a, s * np.abs(z) / np.sqrt(density * n), 0.0)
    np.testing.assert_array_equal(make_weights(n, 1.0, balance, density=density, seed=seed), expected)
    np.testing.assert_array_equal(make_weights(n, 2.5, balance, density=density, seed=seed), 2.5 * expected)


@pytest.mark.parametrize("density", [0.25, 1.0])
def test_element_variance_is_w2_over_n_at_every_density(density):
    """E[w_ij^2] = w^2 / N: the density is inside the normalisation, so sparsity keeps the variance."""
    n, w = 300, 1.7
    W = make_weights(n, w, density=density, seed=3)
    assert np.mean(W != 0) == pytest.approx(density, abs=0.01)
    assert np.mean(W ** 2) == pytest.approx(w ** 2 / n, rel=0.03)


@pytest.mark.parametrize("balance", [-0.5, 0.0, 0.8])
def test_fraction_of_positive_weights_is_one_plus_b_over_two(balance):
    W = make_weights(200, 1.0, balance, seed=4)
    assert np.mean(W > 0) == pytest.approx((1 + balance) / 2, abs=0.01)


def test_extreme_balances_give_single_signed_matrices():
    assert np.all(make_weights(6, 1.0, 1.0, seed=1) > 0)
    assert np.all(make_weights(6, 1.0, -1.0, seed=1) < 0)


def test_zero_strength_is_the_zero_matrix_and_negative_strength_is_refused():
    assert not np.any(make_weights(4, 0.0, seed=1))
    with pytest.raises(ValueError, match="strength"):
        make_weights(4, -0.1, seed=1)


def test_one_neuron_network_is_one_weight():
    W = make_weights(1, 2.0, seed=5, modules=1)
    assert W.shape == (1, 1) and abs(W[0, 0]) > 0


def test_each_regularity_is_applied_only_when_its_control_is_positive():
    """At a tiny positive value the construction runs (the matrix changes); at 0 it does not."""
    base = make_weights(30, 1.0, seed=2)
    for name in ("dale", "reciprocity", "modularity"):
        assert not np.array_equal(make_weights(30, 1.0, seed=2, **{name: 0.2}), base), name
        np.testing.assert_array_equal(make_weights(30, 1.0, seed=2, **{name: 0.0}), base)


def test_regularities_use_their_own_streams_in_the_documented_order():
    """make_weights == reciprocity(dale(modularity(W_1))), each with rng(seed, reg, construction)."""
    n, seed, b, K = 8, 9, 0.2, 2
    W = unit_weights(NetworkParams(n=n, balance=b, modules=K), seed)
    for reg, c in (("modularity", 0.6), ("dale", 0.7), ("reciprocity", 0.5)):
        name = C.DEFAULTS[reg]
        W = C.get(reg, name)(W, c, C.Context(n=n, balance=b, modules=K, rng=rng(seed, reg, name)))
    got = make_weights(n, 1.0, b, modularity=0.6, dale=0.7, reciprocity=0.5, modules=K, seed=seed)
    np.testing.assert_array_equal(got, W)


def test_chosen_construction_replaces_only_its_own_regularity():
    p = NetworkParams(n=4, constructions={"modularity": "variance"})
    assert dict(p.constructions) == {**C.DEFAULTS, "modularity": "variance"}
    W = make_weights(6, 1.0, modularity=0.5, modules=2, seed=1, constructions={"modularity": "variance"})
    W0 = make_weights(6, 1.0, modules=2, seed=1)
    np.testing.assert_array_equal(W, C.modularity_variance(W0, 0.5, ctx(6, modules=2)))


# ----------------------------------------------------------------------------- parameter validation

@pytest.mark.parametrize("kwargs", [
    dict(n=1, modules=1), dict(n=4, balance=-1.0), dict(n=4, balance=1.0), dict(n=3, modules=3),
    dict(n=4, density=1.0), dict(n=4, density=1e-9), dict(n=4, dale=1.0, reciprocity=0.99),
    dict(n=4, dale=1.0, reciprocity=1.0, balance=1.0), dict(n=4, dale=1.0, reciprocity=1.0, balance=-1.0),
    dict(n=3, modularity=1.0, modules=1), dict(n=4, dale=1.0, modularity=1.0, reciprocity=1.0, balance=1.0),
])
def test_network_params_accept_the_edges_of_their_ranges(kwargs):
    p = NetworkParams(**kwargs)
    assert all(getattr(p, k) == v for k, v in kwargs.items())


@pytest.mark.parametrize("kwargs, name", [
    (dict(n=0), "n"), (dict(n=3, balance=1.01), "balance"), (dict(n=3, balance=-1.01), "balance"),
    (dict(n=3, modules=0), "modules"), (dict(n=3, modules=4, modularity=0.5), "modules"), (dict(n=4, density=0.0), "density"),
    (dict(n=4, density=1.01), "density"), (dict(n=3, dale=-0.1), "dale"), (dict(n=3, reciprocity=1.1), "reciprocity"),
    (dict(n=3, modularity=1.1), "modularity"), (dict(n=4, dale=1.0, reciprocity=1.0, balance=0.99), "contradict"),
    (dict(n=4, dale=1.0, reciprocity=1.0, balance=-0.99), "contradict"),
    (dict(n=4, constructions={"dale": "nope"}), "construction for dale"),
])
def test_network_params_refuse_values_outside_their_ranges(kwargs, name):
    with pytest.raises(ValueError, match=name):
        NetworkParams(**kwargs)


def test_network_params_as_dict_is_plain_and_complete():
    d = NetworkParams(n=5, balance=0.5, dale=0.1, reciprocity=0.2, modularity=0.3, modules=2, density=0.4).as_dict()
    assert d == dict(n=5, balance=0.5, dale=0.1, reciprocity=0.2, modularity=0.3, modules=2, density=0.4,
                     weak_rows=0.0, constructions=dict(C.DEFAULTS))
    assert type(d["constructions"]) is dict


# ----------------------------------------------------------------------------- constructions by hand

@pytest.mark.parametrize("n, modules, labels", [
    (5, 2, [0, 0, 1, 1, 1]), (4, 4, [0, 1, 2, 3]), (3, 1, [0, 0, 0]), (7, 3, [0, 0, 1, 1, 2, 2, 2])])
def test_module_labels_by_hand(n, modules, labels):
    np.testing.assert_array_equal(C.module_labels(n, modules), labels)
    np.testing.assert_array_equal(ctx(n, modules=modules).block_labels, labels)


@pytest.mark.parametrize("n, balance, c", [(5, 0.2, 0.6), (4, -0.5, 1.0), (6, 0.0, 0.3)])
def test_dale_type_sign_is_the_documented_rule(n, balance, c):
    W = np.random.default_rng(1).standard_normal((n, n))
    g = np.random.default_rng(7)
    k = int(round(n * (1 + balance) / 2))
    order, u = g.permutation(n), g.random((n, n))
    sigma = -np.ones(n)
    sigma[order[:k]] = 1
    expected = np.where(u < c, sigma * np.abs(W), W)
    np.testing.assert_array_equal(C.dale_type_sign(W, c, ctx(n, balance, seed=7)), expected)


def test_dale_full_on_three_neurons_makes_two_excitatory_columns_at_balance_one_third():
    W = -np.arange(1.0, 10.0).reshape(3, 3)
    out = C.dale_type_sign(W, 1.0, ctx(3, 1 / 3))   # k = round(3 * (4/3) / 2) = 2
    np.testing.assert_array_equal(np.abs(out), np.abs(W))
    col_signs = np.sign(out).sum(axis=0)
    assert sorted(col_signs) == [-3, 3, 3]


def test_reciprocity_full_on_three_neurons_copies_the_upper_triangle():
    W = np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])
    out = C.reciprocity_pair_copy(W, 1.0, ctx(3))
    np.testing.assert_array_equal(out, [[1, 2, 3], [2, 5, 6], [3, 6, 9]])
    np.testing.assert_array_equal(W, np.arange(1.0, 10).reshape(3, 3))   # input untouched


@pytest.mark.parametrize("construction, H, seed, copied", [
    (C.reciprocity_pair_copy, 0.5, 3, lambda w_ij, w_ji: w_ij),                          # w_ji <- w_ij
    (C.reciprocity_sign_copy, 0.4, 5, lambda w_ij, w_ji: np.sign(w_ij) * abs(w_ji)),    # only the sign
])
def test_reciprocity_partial_changes_exactly_the_pairs_drawn_below_H(construction, H, seed, copied):
    n = 6
    W = np.random.default_rng(seed - 1).standard_normal((n, n))
    u = np.random.default_rng(seed).random((n, n))
    expected = W.copy()
    for i in range(n):
        for j in range(i + 1, n):
            if u[i, j] < H:
                expected[j, i] = copied(W[i, j], W[j, i])
    np.testing.assert_array_equal(construction(W, H, ctx(n, seed=seed)), expected)


def test_sign_copy_by_hand_and_absent_weights_impose_nothing():
    W = np.array([[1.0, -2.0, 0.0], [1.0, 4.0, 5.0], [6.0, -7.0, 8.0]])
    out = C.reciprocity_sign_copy(W, 1.0, ctx(3))
    # pair (0,1): w_10 <- sign(w_01)|w_10| = -1; pair (0,2): w_02 = 0 so nothing; pair (1,2): w_21 <- +7
    np.testing.assert_array_equal(out, [[1, -2, 0], [-1, 4, 5], [6, 7, 8]])
    np.testing.assert_array_equal(C.reciprocity_sign_copy(W, 0.0, ctx(3)), W)


@pytest.mark.parametrize("M", [0.0, 0.5, 1.0])
def test_variance_modularity_by_hand(M):
    """n = 4, two modules: f = 1/2, within x sqrt(1 + M), between x sqrt(1 - M)."""
    W = np.arange(1.0, 17.0).reshape(4, 4)
    within = np.kron(np.eye(2), np.ones((2, 2))).astype(bool)
    expected = np.where(within, W * np.sqrt(1 + M), W * np.sqrt(1 - M))
    np.testing.assert_allclose(C.modularity_variance(W, M, ctx(4, modules=2)), expected, rtol=1e-15)


def test_variance_modularity_uses_the_within_fraction_f():
    """n = 3, three modules: f = 1/3, within factor sqrt(1 + M (2/3) / (1/3)) = sqrt(1 + 2M)."""
    W = np.ones((3, 3))
    out = C.modularity_variance(W, 0.5, ctx(3, modules=3))
    np.testing.assert_allclose(np.diag(out), np.sqrt(2.0))
    np.testing.assert_allclose(out[~np.eye(3, dtype=bool)], np.sqrt(0.5))


def test_rank_swap_on_two_neurons_moves_the_two_largest_onto_the_diagonal():
    W = np.array([[0.1, 5.0], [-3.0, 0.2]])   # two modules of one neuron: the diagonal is within-block
    out = C.modularity_rank_swap(W, 1.0, ctx(2, modules=2))
    assert sorted(np.diag(out)) == [-3.0, 5.0]
    assert sorted(out[[0, 1], [1, 0]]) == [0.1, 0.2]


def test_rank_swap_half_way_moves_exactly_one_pair():
    """k = round(0.5 * 2) = 1: the largest weight trades places with one diagonal element."""
    W = np.array([[0.1, 5.0], [-3.0, 0.2]])
    out = C.modularity_rank_swap(W, 0.5, ctx(2, modules=2, seed=1))
    assert np.sum(out != W) == 2
    assert np.max(np.abs(np.diag(out))) == 5.0 and out[1, 0] == -3.0
    assert sorted(out.ravel()) == sorted(W.ravel())


def test_rank_swap_keeps_weights_already_in_place_and_breaks_ties_by_its_draw():
    W = np.array([[9.0, 1.0, 1.0], [1.0, 8.0, 1.0], [1.0, 1.0, 7.0]])
    np.testing.assert_array_equal(C.modularity_rank_swap(W, 1.0, ctx(3, modules=3)), W)
    T = np.ones((3, 3))   # all magnitudes tie: whatever the draw, nothing needs to move
    np.testing.assert_array_equal(C.modularity_rank_swap(T, 1.0, ctx(3, modules=3)), T)


def test_rank_swap_follows_the_documented_recipe_on_a_random_matrix():
    n, K, M, seed = 6, 2, 0.5, 8
    W = np.random.default_rng(6).standard_normal((n, n))
    g = np.random.default_rng(seed)
    labels = C.module_labels(n, K)
    within_idx = np.flatnonzero((labels[:, None] == labels[None, :]).ravel())
    priority, tiebreak = g.permutation(within_idx), g.random(n * n)
    k = int(round(M * within_idx.size))
    w = W.ravel()
    target = np.zeros(n * n, bool)
    target[priority[:k]] = True
    top = np.zeros(n * n, bool)
    top[np.lexsort((tiebreak, -np.abs(w)))[:k]] = True
    move_in = sorted(np.flatnonzero(top & ~target), key=lambda i: tiebreak[i])
    move_out = sorted(np.flatnonzero(target & ~top), key=lambda i: tiebreak[i])
    expected = w.copy()
    expected[move_out], expected[move_in] = w[move_in], w[move_out]
    out = C.modularity_rank_swap(W, M, ctx(n, modules=K, seed=seed))
    np.testing.assert_array_equal(out, expected.reshape(n, n))
    assert np.all(np.abs(out.ravel()[priority[:k]]) >= np.sort(np.abs(w))[-k])


def test_rank_swap_with_zero_positions_to_fill_returns_the_input():
    W = np.random.default_rng(0).standard_normal((4, 4))
    assert C.modularity_rank_swap(W, 0.01, ctx(4, modules=4)) is W   # round(0.01 * 4) = 0


def test_registry_lookup_and_errors():
    assert C.available() == {"dale": ["balanced", "type-sign"], "reciprocity": ["pair-copy", "sign-copy"],
                             "modularity": ["ei-blocks", "rank-swap", "unequal", "variance"],
                             "weak_rows": ["rows-10", "rows-20", "rows-5", "signed-10"]}
    assert C.available("modularity") == ["ei-blocks", "rank-swap", "unequal", "variance"]
    assert C.get("dale", "type-sign") is C.dale_type_sign
    with pytest.raises(ValueError, match="regularity must be one of"):
        C.get("hopfield", "pair-copy")
    with pytest.raises(ValueError, match=r"construction for reciprocity must be one of \['pair-copy', 'sign-copy'\]"):
        C.get("reciprocity", "nope")
    with pytest.raises(ValueError, match="regularity must be one of"):
        C.register("hopfield", "x")


def test_network_params_store_the_converted_values():
    p = NetworkParams(n=np.int64(4), balance=0, density=1, dale=0, reciprocity=1, modularity=0)
    assert type(p.n) is int and type(p.modules) is int
    assert all(type(getattr(p, k)) is float for k in ("balance", "density", "dale", "reciprocity", "modularity"))
