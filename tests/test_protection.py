"""Claims C7 and C8 on synthetic datasets whose answer is known by construction."""
import numpy as np
import pytest
import xarray as xr

from rnnlib.claims import protection as P
from rnnlib.pipeline.catalogue import POINTS


def reservoir(acc_gain, gap_gain, instances=12, noise=0.01, seed=0):
    """A weak_rows_reservoir-shaped dataset: accuracy rises by ``acc_gain`` at weak rows 1 at strong points only,
    the saturation gap (rest minus weak) rises by ``gap_gain``."""
    g = np.random.default_rng(seed)
    names = list(POINTS)
    w = np.array([POINTS[p][1] for p in names])
    c = np.array([0.0, 0.5, 1.0])
    shape = (len(names), 3, instances)
    strong = (w >= P.STRONG)[:, None, None]
    acc = 0.6 + acc_gain * c[None, :, None] * strong + noise * g.standard_normal(shape)
    weak = 0.8 - gap_gain * c[None, :, None] + noise * g.standard_normal(shape)
    rest = 0.8 + noise * g.standard_normal(shape)
    dims = ("point", "weak_rows", "instance")
    return xr.Dataset({"accuracy": (dims, acc), "saturation_weak": (dims, weak), "saturation_rest": (dims, rest)},
                      coords={"point": names, "weak_rows": c, "instance": np.arange(instances),
                              "balance": ("point", [POINTS[p][0] for p in names]), "strength": ("point", w)})


@pytest.mark.parametrize("acc, gap, word", [(0.1, 0.3, "supported"), (-0.1, -0.3, "contradicted"),
                                            (0.1, -0.3, "mixed"), (0.0, 0.0, "no evidence"),
                                            (0.0, 0.3, "conditional")])   # a part for, the headline not
def test_c7_verdict_words_follow_the_signals(acc, gap, word):
    r = P.claim_weak_rows(reservoir(acc, gap))
    assert r.verdict == word and r.claim == "C7"
    if acc:
        assert r.effect == pytest.approx(acc, abs=0.02) and len(r.details) == 3    # three strong points
        assert all(d["outcome"] == ("holds" if acc > 0 else "against") for d in r.details)
    assert r.secondary[0]["mean"] == pytest.approx(gap, abs=0.02)


def test_c7_looks_only_at_strong_points():
    ds = reservoir(0.0, 0.0)
    weak_points = ds["strength"] < P.STRONG
    ds["accuracy"] = ds["accuracy"] + 0.3 * ds["weak_rows"] * weak_points      # a rise where coupling is weak
    assert P.claim_weak_rows(ds).verdict == "no evidence"


def test_c7_refuses_data_without_the_subset_saturation():
    with pytest.raises(ValueError, match="saturation_weak"):
        P.claim_weak_rows(reservoir(0.1, 0.1).drop_vars("saturation_weak"))


def plane(acc, instances=8, seed=0, noise=0.005):
    g = np.random.default_rng(seed)
    b, w = np.linspace(-0.5, 0.5, 5), np.linspace(0.2, 3.0, 6)
    data = acc(b[:, None], w[None, :])[..., None] + noise * g.standard_normal((5, 6, instances))
    return xr.Dataset({"accuracy": (("balance", "strength", "instance"), data)},
                      coords={"balance": b, "strength": w, "instance": np.arange(instances)})


def test_c8_share_and_flatness_by_hand():
    base = plane(lambda b, w: np.where(w < 1.5, 0.9, 0.5) + 0 * b)       # half the strengths collapse
    flat = plane(lambda b, w: 0.88 + 0 * b + 0 * w, seed=1)               # controlled: flat, near the best
    r = P.claim_gain_control(base, flat)
    assert r.verdict == "supported"
    best = float(base.accuracy.mean("instance").max())
    np.testing.assert_allclose(P.near_best_share(base.accuracy, best), 0.5)    # 3 of 6 strengths
    assert r.effect == pytest.approx(0.5)
    assert r.secondary[0]["mean"] > 0.15                                  # baseline minus controlled spread
    (levels,) = r.details                                                 # the instance means its words quote
    assert levels["share_baseline"] == pytest.approx(0.5) and levels["share_controlled"] == pytest.approx(1.0)
    assert levels["share_controlled"] - levels["share_baseline"] == pytest.approx(r.effect)
    assert levels["spread_baseline"] - levels["spread_controlled"] == pytest.approx(r.secondary[0]["mean"])
    assert r.where == P.gain_control_found(r) + f"; near the best means within 0.05 of the best baseline accuracy, {best:.3f}"
    assert r.where.startswith("flatter and higher: the spread of accuracy over the grid fell from ")
    worse = plane(lambda b, w: np.where(w < 2.5, 0.3, 0.9) + 0 * b, seed=2)   # fewer good cells, more spread
    assert P.claim_gain_control(base, worse).verdict == "contradicted"
    assert P.claim_gain_control(base, plane(lambda b, w: np.where(w < 1.5, 0.9, 0.5) + 0 * b, seed=3)
                                ).verdict == "no evidence"


def test_c8_needs_paired_grids():
    with pytest.raises(ValueError, match="strength"):
        P.claim_gain_control(plane(lambda b, w: 0 * b + 0 * w), plane(lambda b, w: 0 * b + 0 * w).isel(strength=[0, 1]))


def test_c8_flatter_but_not_nearer_the_best_is_conditional():
    """Only the flatness part is significant: the book's rule gives *conditional*, not *supported*."""
    base = plane(lambda b, w: np.where(w < 1.5, 0.9, 0.5) + 0 * b)       # half the strengths collapse
    raised = plane(lambda b, w: np.where(w < 1.5, 0.9, 0.8) + 0 * b, seed=1)   # they recover, not to the best
    r = P.claim_gain_control(base, raised)
    assert r.effect == 0 and r.p_value == 1                               # the same half is near the best
    assert r.secondary[0]["mean"] > 0.1 and r.secondary[0]["p_value"] < 0.05    # but the map is flatter
    assert r.verdict == "conditional"
