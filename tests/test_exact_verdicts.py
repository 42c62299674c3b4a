"""Every verdict rule of the scorecard (C0 to C6) in both directions, on tiny datasets whose answer is known.

The rules are those stated in the docstrings of rnnlib.claims.scorecard and
rnnlib.claims.boundaries; each test builds data on one side of a rule and then on the
other, and checks the numbers the verdict rests on (issue 13).
"""
import numpy as np
import pytest
import xarray as xr

from rnnlib import REGIMES
from rnnlib.claims import scorecard as sc
from rnnlib.claims import boundaries as bd
from rnnlib.claims.verdicts import UNCOUNTED_REASON
from rnnlib.statistics.inference import holm
from rnnlib.statistics.stats import paired_difference
from rnnlib.statistics.synthetic import map_dataset, reservoir_dataset

CODE = {name: i for i, name in enumerate(REGIMES)}


# --- C1, C2, C3 ---------------------------------------------------------------------------------

def _effect(value, **cells):
    e = np.full((5, 4), float(value))                         # (point, task) of the synthetic dataset
    for key, v in cells.items():
        e[int(key[1]), int(key[2])] = v
    return e


def test_accuracy_claim_supported_when_headline_and_every_cell_agree():
    ds = reservoir_dataset("dale", _effect(0.05), sigma=0.01, seed=1)
    row = sc.claim_accuracy("C1", ds)
    assert row.verdict == "supported" and row.claim == "C1" and row.alpha == 0.05
    assert row.where == "holds in 20 of 20 task-point cells, goes against in 0 (Holm-adjusted)"
    assert row.n == 16 and row.effect == pytest.approx(0.05, abs=0.01) and row.p_value == pytest.approx(2 / 2**16)
    raw = [d["p_value"] for d in row.details]
    np.testing.assert_allclose([d["p_holm"] for d in row.details], holm(raw))
    assert row.details[0]["task"] == "digits" and row.details[0]["point"] == "ordered (b = 0, w = 0.6)"
    assert (row.details[0]["balance"], row.details[0]["strength"], row.details[0]["point_name"]) == (0.0, 0.6, "ordered")
    assert "$D = 1$ minus $D = 0$" in row.measured and "raises" in row.measured


def test_accuracy_claim_mixed_when_one_cell_goes_against():
    ds = reservoir_dataset("dale", _effect(0.05, c21=-0.1), sigma=0.01, seed=1)
    row = sc.claim_accuracy("C1", ds)
    assert row.p_value < 0.05 and row.effect > 0                # the headline alone would say supported
    assert row.verdict == "mixed"
    assert row.where.startswith("holds in 19 of 20 task-point cells, goes against in 1")
    (against,) = [d for d in row.details if d["outcome"] == "against"]
    assert against["task"] == "parity" and against["point_name"] == "chaotic" and against["mean"] < 0


def test_accuracy_claim_conditional_without_a_significant_headline():
    e = _effect(-0.2 / 19, c00=0.2)                           # one strong cell; the pooled change is zero
    ds = reservoir_dataset("dale", e, sigma=0.04, seed=1)
    row = sc.claim_accuracy("C1", ds)
    assert row.p_value >= 0.05                                  # precondition of this data
    assert [d["outcome"] for d in row.details].count("holds") == 1
    assert "against" not in [d["outcome"] for d in row.details]
    assert row.verdict == "conditional"


@pytest.mark.parametrize("claim, control, effect, verdict", [
    ("C1", "dale", -0.05, "contradicted"), ("C1", "dale", 0.0, "no evidence"),
    ("C3", "reciprocity", -0.05, "supported"), ("C3", "reciprocity", 0.05, "contradicted"),
    ("C2", "modularity", 0.05, "supported"),
])
def test_accuracy_claim_sign_of_each_claim(claim, control, effect, verdict):
    row = sc.claim_accuracy(claim, reservoir_dataset(control, _effect(effect), sigma=0.01, seed=4))
    assert row.verdict == verdict
    outcomes = {d["outcome"] for d in row.details}
    sign = -1 if claim == "C3" else 1
    assert outcomes == ({"holds"} if sign * effect > 0 else {"against"} if effect else outcomes)
    assert ("lowers" in row.measured) == (claim == "C3")


def test_accuracy_claim_alpha_moves_the_cut():
    ds = reservoir_dataset("dale", _effect(0.05), sigma=0.01, seed=1, instances=6)
    # six instances: smallest sign-flip p = 2/64; Holm over 20 cells lifts every cell above 0.05
    row = sc.claim_accuracy("C1", ds)
    assert row.p_value == pytest.approx(2 / 64) and row.verdict == "supported"
    assert all(d["outcome"] == "" for d in row.details)
    assert sc.claim_accuracy("C1", ds, alpha=2 / 64).verdict == "no evidence"   # p < alpha is strict
    assert sc.claim_accuracy("C1", ds, alpha=0.99).verdict == "supported"


@pytest.mark.parametrize("claim, alpha, match", [("C4", 0.05, "claim must be one of"), ("C1", 0.0, "alpha"),
                                                 ("C1", 1.0, "alpha")])
def test_accuracy_claim_rejects_bad_input(claim, alpha, match):
    with pytest.raises(ValueError, match=match):
        sc.claim_accuracy(claim, reservoir_dataset("dale", 0.0, instances=3), alpha=alpha)


def test_matched_label_and_map_share_in_the_text():
    ds = reservoir_dataset("dale", _effect(0.05), sigma=0.01, seed=1)
    ds.attrs["coupling"] = "matched"
    row = sc.claim_accuracy("C1", ds)
    assert row.claim == "C1 (matched)" and "matched effective coupling" in row.measured
    m = _map(effect_block=0.1)
    row = sc.claim_accuracy("C1", reservoir_dataset("dale", _effect(0.05), sigma=0.01, seed=1), m)
    region = sc.claim_region("C1", m)
    share = 100 * float((region["verdict"] == 1).mean())
    assert f"significant clusters of the $(b, w)$ map lie on {share:.0f}% of its cells in the claimed direction" in row.where
    assert "not how far the effect reaches" in row.where and row.coverage == (share / 100, 0.0)
    assert share >= 100 * 4 / 20


# --- claim_region -------------------------------------------------------------------------------

def _map(control="dale", effect_block=0.1, seed=0):
    e = np.zeros((5, 4))
    e[:2, :2] = effect_block                                    # a 2 x 2 block of a strong change
    return map_dataset(control, e, instances=6, sigma=0.01, balance=np.linspace(-0.4, 0.4, 5),
                       strength=np.linspace(0.5, 2.0, 4), seed=seed)


@pytest.mark.parametrize("claim, control, sign", [("C1", "dale", 1), ("C3", "reciprocity", -1)])
def test_claim_region_flags_the_known_block_in_the_claimed_direction(claim, control, sign):
    region = sc.claim_region(claim, _map(control))
    assert np.all(region["verdict"].values[:2, :2] == sign)
    assert region.attrs == {"claim": claim, "control": control, "alpha": 0.05, "instances": 6,
                            "threshold": pytest.approx(2.5705818), "flips": 32, "exhaustive": 1,
                            "min_p": pytest.approx(1 / 32)}
    k = int(region["cluster"].values[0, 0])
    assert k == 1 and region["cluster_p"].values[0] == pytest.approx(1 / 32)
    assert region["cluster_direction"].values[0] == sign and region["cluster_size"].values[0] >= 4
    significant = region["cluster_p_value"].values < 0.05
    assert np.array_equal(region["verdict"].values != 0, significant)
    assert np.all(np.isnan(region["cluster_p_value"].values[region["cluster"].values == 0]))
    acc = _map(control)["accuracy"]
    np.testing.assert_allclose(region["difference"], (acc.sel({control: 1.0}) - acc.sel({control: 0.0})).mean("instance"))
    assert sc.claim_region(claim, _map(control), alpha=1 / 32).verdict.values.max() == 0   # p < alpha, strict


def test_claim_region_matched_label():
    m = _map()
    m.attrs["coupling"] = "matched"
    assert sc.claim_region("C1", m).attrs["claim"] == "C1 (matched)"


# --- C4 -----------------------------------------------------------------------------------------

#: This file's C4 data: a stronger link than the conftest default, its own draws.
C4 = {"link": -0.9, "matched": (-0.05, 0.03, -0.9), "seed": 7}


@pytest.mark.parametrize("kw, verdict", [
    ({}, "supported"),                                                            # every condition holds
    ({"matched": (-0.05, -0.03, 0.0)}, "association only"),     # matched: saturation falls, accuracy still falls
    ({"matched": (-0.05, 0.03, 0.0)}, "association only"),      # matched: rise without the link
    ({"accuracy": 0.0}, "association only"),                   # the link holds but C3 has no evidence
    ({"matched": None}, "association only"),                   # no matched data: never more than association
    ({"saturation": -0.03, "link": 0.0}, "contradicted"),       # saturation falls
    ({"link": +0.9}, "contradicted"),                           # more saturation, better accuracy
    ({"link": 0.0}, "no evidence"),                             # a rise alone is no evidence of the mechanism
    ({"saturation": 0.0, "link": 0.0}, "no evidence"),
])
def test_saturation_claim_is_a_mechanism(kw, verdict, c4_data):
    same, matched = c4_data(**{**C4, **kw})
    row = sc.claim_saturation(same, matched)
    assert row.verdict == verdict and row.claim == "C4" and row.n == 16
    assert len(row.secondary) == (1 if matched is None else 2)
    assert all(s["n"] == 16 and "within-cell Spearman" in s["what"] for s in row.secondary)
    assert row.secondary[0]["what"].endswith("same strength")
    c3 = sc.claim_accuracy("C3", same).verdict
    assert f"C3 reads {c3}" in row.where
    if verdict == "supported":
        assert c3 == "supported" and all(s["mean"] < -0.5 and s["p_value"] < 0.05 for s in row.secondary)
    if kw.get("matched", ()) is None:
        assert "no matched-coupling data" in row.where
    elif "matched" in kw:
        assert row.where.endswith("(the matched data lack the rise and the link)" if kw["matched"][1] < 0
                                  else "(the matched data lack the link)")
    d = same["saturation_input"].sel(reciprocity=1.0) - same["saturation_input"].sel(reciprocity=0.0)
    assert row.effect == pytest.approx(float(d.mean(["point", "task"]).mean()))
    assert len(row.details) == 20


def test_saturation_claim_link_by_hand(c4_data):
    """The link statistic is the mean over cells of the Spearman correlation across instances."""
    same, matched = c4_data(**{**C4, "link": -0.5})
    row = sc.claim_saturation(same, matched)
    change = {v: (same[v].sel(reciprocity=1.0) - same[v].sel(reciprocity=0.0)).transpose("point", "task", "instance")
              .values.reshape(20, 16) for v in ("saturation_input", "accuracy")}
    r = np.mean([scipy_spearman(change["saturation_input"][c], change["accuracy"][c]) for c in range(20)])
    assert row.secondary[0]["mean"] == pytest.approx(r)
    assert row.statement == sc.CLAIMS["C4"]
    assert row.measured == (r"paired change of the saturation $\langle|x|\rangle$ under input, $H = 1$ minus $H = 0$, "
                            "averaged over tasks and points within each instance; pairs are instances")
    assert row.ci_low < row.effect < row.ci_high
    assert row.where.startswith("at the same strength saturation rises by $+0.0")
    # a pattern across cells shared by every instance, without a link within cells, is not a link
    pattern = np.linspace(0.02, 0.2, 20).reshape(5, 4)
    flat = sc.claim_saturation(reservoir_dataset("reciprocity", -pattern, saturation_effect=pattern, seed=7))
    assert flat.secondary[0]["p_value"] > 0.05 and flat.verdict == "no evidence"


def test_saturation_claim_rejects_bad_alpha():
    with pytest.raises(ValueError, match="alpha"):
        sc.claim_saturation(reservoir_dataset("reciprocity", 0.0, instances=3), alpha=1.5)


# --- C0 -----------------------------------------------------------------------------------------

def _phase(shares_at):
    """Regimes over balance (-0.8, -0.1, 0.3, 0.8) x strength (0.5, 1, 3) x 4 instances; ``shares_at`` maps a
    strength index to how many instances are periodic at -0.8, chaotic at -0.1 and fixed at 0.8."""
    reg = np.full((4, 3, 4), CODE["quiescent"])
    for s, counts in shares_at.items():
        for b, name, count in zip((0, 1, 3), ("periodic", "chaotic", "fixed point"), counts):
            reg[b, s, :count] = CODE[name]
    return xr.Dataset({"regime": (("balance", "strength", "instance"), reg)},
                      coords={"balance": [-0.8, -0.1, 0.3, 0.8], "strength": [0.5, 1.0, 3.0], "instance": range(4)})


@pytest.mark.parametrize("shares_at, verdict, effect, held", [
    ({2: (4, 3, 3)}, "supported", 0.75, "$w = 3$"),
    ({1: (3, 3, 3), 2: (4, 2, 4)}, "conditional", 0.5, "$w = 1$"),       # exactly one half does not hold
    ({0: (3, 3, 3), 2: (3, 3, 3)}, "supported", 0.75, "$w = 0.5, 3$"),
    ({2: (1, 4, 4)}, "contradicted", 0.25, None),
])
def test_phase_sequence_rule(shares_at, verdict, effect, held):
    row = sc.claim_phase_sequence(_phase(shares_at))
    assert row.verdict == verdict and row.effect == pytest.approx(effect) and row.n == 4
    assert row.details[-1]["balances"] == (-0.8, -0.1, 0.8)
    assert [d["strength"] for d in row.details] == [0.5, 1.0, 3.0]
    for s, counts in shares_at.items():
        d = row.details[s]
        assert (d["periodic_at_min_b"], d["chaotic_at_b0"], d["fixed_at_max_b"]) == tuple(c / 4 for c in counts)
    if held:
        assert row.where.endswith(f"holds at {held}") and "$b = -0.8$, $-0.1$, $0.8$" in row.where
    else:
        assert row.where == "the sequence holds at no strength"


# --- scorecard, matched datasets, sensitivity -------------------------------------------------------

def test_scorecard_rows_in_order_with_matched_and_baseline():
    ds = {f"{reg}_reservoir": reservoir_dataset(reg, 0.0, instances=4, seed=i)
          for i, reg in enumerate(("dale", "modularity", "reciprocity"))}
    ds["baseline_phase"] = _phase({2: (4, 4, 4)})
    rows = sc.scorecard(ds)
    assert [r.claim for r in rows] == ["C0", "C1", "C2", "C3", "C4"]
    ds["modularity_reservoir_matched"] = ds["modularity_reservoir"].sel(modularity=[1.0])
    assert list(sc.matched_datasets(ds)) == ["modularity_reservoir_matched"]
    assert sc.matched_datasets(ds)["modularity_reservoir_matched"].attrs["coupling"] == "matched"
    phase, res = _boundary_data(_PEAKS)
    ds["baseline_phase"], ds["baseline_reservoir"] = phase, res
    rows = sc.scorecard(ds, alpha=0.1)
    assert [r.claim for r in rows] == ["C0", "C1", "C2", "C2 (matched)", "C3", "C4", "C5", "C6"]
    assert all(r.alpha == 0.1 for r in rows[1:6]) and rows[6].verdict == "supported"
    with pytest.raises(ValueError, match=r"scorecard needs the experiments \['dale_reservoir'\]"):
        sc.scorecard({k: v for k, v in ds.items() if k != "dale_reservoir"})


def _sensitivity():
    """regularity x variant x control x point x instance with hand-set paired changes."""
    variants = ["default", "noise", "dale:balanced", "reciprocity:sign-copy"]
    change = np.zeros((2, 4, 2, 8))
    rng = np.random.default_rng(0)
    change[0, 0] = 0.05 + 0.001 * rng.standard_normal((2, 8))           # dale default: up at both points
    change[0, 1, 0] = -0.05 + 0.001 * rng.standard_normal(8)            # noise reverses at point a
    change[0, 1, 1] = 0.01 * np.array([-3, 1, -3, 1, 1, -1, 1, 1])      # opposite at b, far from significant
    change[0, 2] = 0.04 + 0.001 * rng.standard_normal((2, 8))
    change[1, 0] = -0.05 + 0.001 * rng.standard_normal((2, 8))          # reciprocity default: down
    change[1, 1] = -0.02 + 0.001 * rng.standard_normal((2, 8))
    change[1, 3] = -0.01 + 0.001 * rng.standard_normal((2, 8))
    acc = 0.6 + np.stack([np.zeros_like(change), change], axis=2)
    return xr.Dataset({"accuracy": (("regularity", "variant", "control", "point", "instance"), acc)},
                      coords={"regularity": ["dale", "reciprocity"], "variant": variants, "control": [0.0, 1.0],
                              "point": ["a", "b"], "instance": range(8)})


def test_sensitivity_rows_keep_each_regularitys_own_variants():
    rows = sc.sensitivity_rows(_sensitivity())
    assert [(r["regularity"], r["variant"]) for r in rows] == [
        ("dale", "default"), ("dale", "noise"), ("dale", "dale:balanced"),
        ("reciprocity", "default"), ("reciprocity", "noise"), ("reciprocity", "reciprocity:sign-copy")]
    assert [r["claimed"] for r in rows] == [1, 1, 1, -1, -1, -1]
    assert all(r["point"] == "all" and r["label"] == r["variant"] and r["pairs"] == 8 for r in rows)
    by_point = sc.sensitivity_rows(_sensitivity(), by_point=True)
    assert len(by_point) == 12 and by_point[2]["label"] == "noise, a" and by_point[2]["point"] == "a"
    ref = paired_difference(np.zeros(8), _sensitivity()["accuracy"].sel(
        regularity="dale", variant="noise", point="b", control=1.0).values - 0.6)
    assert by_point[3]["mean"] == pytest.approx(ref.mean) and by_point[3]["p_value"] == pytest.approx(ref.p_value)
    with pytest.raises(ValueError, match="regularity, variant, control and instance"):
        sc.sensitivity_rows(_sensitivity().isel(regularity=0))


def test_direction_rows_same_reversed_and_opposite_not_significant():
    rows = sc.direction_rows(_sensitivity())
    out = {(r["regularity"], r["variant"], r["point"]): r["outcome"] for r in rows}
    assert len(rows) == 18
    assert out[("dale", "default", "a")] == out[("dale", "dale:balanced", "b")] == "same"
    assert out[("dale", "noise", "a")] == "reversed"
    assert out[("dale", "noise", "b")] == "opposite, n.s."
    assert out[("reciprocity", "noise", "all")] == out[("reciprocity", "reciprocity:sign-copy", "a")] == "same"
    r = next(r for r in rows if (r["regularity"], r["variant"], r["point"]) == ("dale", "noise", "all"))
    ref = next(x for x in rows if (x["regularity"], x["variant"], x["point"]) == ("dale", "default", "all"))
    assert r["reference_mean"] == ref["mean"] and r["outcome"] == "reversed"
    strict = {(r["regularity"], r["variant"], r["point"]): r["outcome"] for r in sc.direction_rows(_sensitivity(),
                                                                                                   alpha=2 / 256)}
    assert strict[("dale", "noise", "a")] == "opposite, n.s."          # p = 2/256 is not below 2/256
    other = sc.direction_rows(_sensitivity(), reference="noise")
    assert {r["outcome"] for r in other if r["variant"] == "noise"} == {"same"}
    with pytest.raises(ValueError, match="reference must be a variant.*'nope'"):
        sc.direction_rows(_sensitivity(), reference="nope")
    with pytest.raises(ValueError, match="alpha"):
        sc.direction_rows(_sensitivity(), alpha=0.0)


# --- C5, C6: boundaries -------------------------------------------------------------------------

B9 = np.arange(-4.0, 5.0)                                       # nine balances, step 1
ROW = ("periodic",) * 3 + ("chaotic",) * 4 + ("fixed point",) * 2   # O O O C C C C F F
_PEAKS = (0.5, 0.6, 0.9, 0.9, 0.6, 0.6, 0.9, 0.9, 0.7)           # peaks at both boundaries
_OC_ONLY = (0.5, 0.6, 0.9, 0.9, 0.6, 0.6, 0.6, 0.6, 0.9)
_OC_FLAT = (0.5, 0.6, 0.9, 0.9, 0.6, 0.6, 0.6, 0.6, 0.6)          # o/c a peak, c/f level with its sides
_ORDERED = (0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9)         # chaos worse than both ordered phases
_OSC_ONLY = (0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.2, 0.2)
_OSC_FLAT = (0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)         # oscillatory side better, fixed side level
_CHAOS_BEST = (0.5, 0.5, 0.6, 0.9, 0.9, 0.9, 0.9, 0.6, 0.5)


def _boundary_data(profile, instances=8, rows=(ROW, ("quiescent",) * 9), balance=B9):
    """Phase (balance x strength x instance; unanimous regimes) and accuracy = profile * (1 + k/50) + k/100."""
    reg = np.array([[CODE[name] for name in row] for row in rows]).T          # (balance, strength)
    reg = np.repeat(reg[..., None], instances, axis=-1)
    k = np.arange(instances)
    acc = np.asarray(profile)[:, None, None] * (1 + k / 50) + k / 100
    acc = np.broadcast_to(acc, reg.shape).copy()
    coords = {"balance": balance, "strength": np.arange(1.0, len(rows) + 1), "instance": k}
    dims = ("balance", "strength", "instance")
    return xr.Dataset({"regime": (dims, reg)}, coords=coords), xr.Dataset({"accuracy": (dims, acc)}, coords=coords)


def test_analyse_by_hand_on_one_strength():
    phase, res = _boundary_data(_PEAKS)
    a = bd.analyse(phase, res)
    f = 1 + np.arange(8) / 50
    # band = cells 3..6, b_oc = -1.5, b_cf = 2.5; interior 4, 5 (0.6); beyond oc: cells 1, 0; beyond cf: cell 8
    np.testing.assert_allclose(a.contrasts["peak_oc"][0], (0.9 - max(0.6, 0.55)) * f)
    np.testing.assert_allclose(a.contrasts["peak_cf"][0], (0.9 - max(0.6, 0.7)) * f)
    np.testing.assert_allclose(a.contrasts["ordered_osc"][0], ((0.5 + 0.6 + 0.9) / 3 - 0.75) * f)
    np.testing.assert_allclose(a.contrasts["ordered_fixed"][0], ((0.9 + 0.7) / 2 - 0.75) * f)
    assert np.all(np.isnan(a.contrasts["peak_oc"][1]))           # quiescent strength: no band
    assert a.lines["oscillatory_chaotic"].values[0] == -1.5 and a.lines["chaotic_fixed"].values[0] == 2.5
    assert (a.lines["band_low"].values[0], a.lines["band_high"].values[0]) == (-1.0, 2.0)
    assert np.isnan(a.lines["peak_balance"].values[1]) and a.lines["peak_balance"].values[0] == -2.0
    (info,) = a.rows
    assert info["band"] == (-1.0, 2.0) and info["b_oc"] == -1.5 and info["b_cf"] == 2.5
    assert info["peak_at"] == "o/c boundary"
    m = f.mean() + 0 * f
    assert info["accuracy_oc"] == pytest.approx(0.9 * m[0] + np.arange(8).mean() / 100)
    assert info["accuracy_beyond_cf"] == pytest.approx(0.7 * m[0] + np.arange(8).mean() / 100)
    assert info["accuracy_interior"] == pytest.approx(0.6 * m[0] + np.arange(8).mean() / 100)
    assert info["accuracy_chaotic"] == pytest.approx(0.75 * m[0] + np.arange(8).mean() / 100)
    narrow = bd.analyse(phase, res, window=1)                   # no cell beyond the flank: no peak contrast
    assert np.all(np.isnan(narrow.contrasts["peak_oc"][0]))
    np.testing.assert_allclose(narrow.contrasts["ordered_osc"][0], (0.9 - 0.75) * f)
    two = bd.analyse(phase, res, window=2)                      # beyond oc: cell 1 only
    np.testing.assert_allclose(two.contrasts["peak_oc"][0], (0.9 - 0.6) * f)


def test_peak_location_names_the_phase_away_from_the_boundaries():
    inside = (0.5, 0.5, 0.5, 0.6, 0.9, 0.6, 0.6, 0.5, 0.5)         # peak at b = 0, 1.5 from b_oc
    assert bd.analyse(*_boundary_data(inside)).rows[0]["peak_at"] == "chaotic"
    low = (0.9, 0.5, 0.5, 0.6, 0.5, 0.6, 0.6, 0.5, 0.5)
    assert bd.analyse(*_boundary_data(low)).rows[0]["peak_at"] == "oscillatory"
    high = (0.5, 0.5, 0.5, 0.6, 0.5, 0.6, 0.6, 0.8, 0.5)          # b = 3, 0.5 from b_cf
    assert bd.analyse(*_boundary_data(high)).rows[0]["peak_at"] == "c/f boundary"
    far = (0.5, 0.5, 0.5, 0.6, 0.5, 0.6, 0.6, 0.5, 0.8)           # b = 4, 1.5 from b_cf
    assert bd.analyse(*_boundary_data(far)).rows[0]["peak_at"] == "fixed"


@pytest.mark.parametrize("claim, profile, verdict, where", [
    ("c5", _PEAKS, "supported", "both oscillatory/chaotic boundary and chaotic/fixed boundary"),
    ("c5", _OC_FLAT, "conditional", "oscillatory/chaotic boundary"),
    ("c5", _OC_ONLY, "mixed", None),                            # o/c a peak, c/f significantly below its side
    ("c5", _ORDERED, "contradicted", None),
    ("c6", _ORDERED, "supported", "both oscillatory side and fixed-point side"),
    ("c6", _OSC_FLAT, "conditional", "oscillatory side"),
    ("c6", _OSC_ONLY, "mixed", None),
    ("c6", _CHAOS_BEST, "contradicted", None),
])
def test_c5_c6_verdicts_both_directions(claim, profile, verdict, where):
    row = getattr(bd, f"claim_{claim}")(*_boundary_data(profile))
    assert row.verdict == verdict and row.claim == claim.upper() and row.n == 8
    tests = row.details[-2:]
    raw = [t["p_value"] for t in tests]
    np.testing.assert_allclose([t["p_holm"] for t in tests], holm(raw))
    assert [t["strengths"] for t in tests] == [1, 1] and all(t["n"] == 8 for t in tests)
    if verdict == "supported":
        assert row.where == where and row.p_value == pytest.approx(2 / 256) and row.effect > 0
    elif verdict == "conditional":
        assert row.where == where and row.measured == f"{where} alone (p Holm-adjusted, interval unadjusted)"
        assert row.p_value == pytest.approx(2 * 2 / 256)       # the Holm-adjusted p of the side that holds
        assert row.effect == pytest.approx(tests[0]["mean"]) and tests[1]["mean"] == 0.0
    elif verdict == "contradicted":                            # an against part, or the against headline
        assert row.effect < 0 and row.p_value < 0.05
        if claim == "c5":                                      # the boundary is below a side: Holm over four
            assert row.measured.endswith("alone (p Holm-adjusted, interval unadjusted)")
            assert row.p_value == pytest.approx(4 * 2 / 256)
        else:
            assert row.measured.endswith("averaged over both sides, per instance")
            assert row.effect == pytest.approx(np.mean([t["mean"] for t in tests]))
            assert row.p_value == pytest.approx(2 / 256) and row.secondary[-1]["what"] == row.measured
    else:                                                      # mixed: one part significant each way
        assert sorted(np.sign([t["mean"] for t in tests])) == [-1, 1]
        assert all(t["p_holm"] < 0.05 for t in tests) and row.effect == pytest.approx(min(t["mean"] for t in tests))
        assert row.where.count("mean $") == 2 and "over 1 strengths" in row.where


def test_conditional_needs_seven_instances():
    row = bd.claim_c5(*_boundary_data(_OC_FLAT, instances=6))  # smallest Holm p = 2 x 2/64 > 0.05
    assert row.verdict == "no evidence"
    # the row says so beside the verdict, and its against parts carry the size of their Holm family
    assert row.where.endswith("; with 6 instances, too few for the 2 per-boundary tests for the claim (Holm-adjusted "
                              "over 2: at least 7 needed) and the 4 contrasts against it (Holm-adjusted over 4: at "
                              "least 8 needed) to reach p < 0.05")
    assert [s.get("holm") for s in row.secondary] == [4, 4, 4, 4, None]
    assert "with 8 instances" not in bd.claim_c5(*_boundary_data(_OC_FLAT)).where
    assert bd.claim_c5(*_boundary_data(_OC_FLAT, instances=6), alpha=0.07).verdict == "conditional"


def test_not_testable_without_a_chaotic_band():
    rows = (("periodic",) * 4 + ("fixed point",) * 5, ("quiescent",) * 9)
    row = bd.claim_c6(*_boundary_data(_PEAKS, rows=rows))
    assert row.verdict == "not testable" and row.where == "no strength has the cells the rule needs"
    assert row.n == 0 and all(t["strengths"] == 0 for t in row.details[-2:])


def test_majority_phase_plurality_ties_and_groups():
    votes = [["periodic", "periodic", "chaotic", "fixed point"],       # oscillatory by plurality
             ["chaotic", "chaotic", "fixed point", "quiescent"],      # tie chaotic / fixed (quiescent is fixed)
             ["irregular", "irregular", "irregular", "chaotic"],      # irregular plurality: undetermined
             ["quiescent", "fixed point", "chaotic", "periodic"],     # fixed group by 2
             ["chaotic"] * 4]
    reg = np.array([[CODE[v] for v in cell] for cell in votes])[:, None, :]
    ds = xr.Dataset({"regime": (("balance", "strength", "instance"), reg)},
                    coords={"balance": [0.4, 0.1, 0.2, 0.3, 0.0], "strength": [1.0], "instance": range(4)})
    ph = bd.majority_phase(ds)
    assert ph.balance.values.tolist() == [0.0, 0.1, 0.2, 0.3, 0.4]          # sorted by balance
    assert ph.values[:, 0].tolist() == [1, -1, -1, 2, 0]
    assert bd.PHASES == ("oscillatory", "chaotic", "fixed", "irregular")


def _lines_of(rows, balance=B9):
    reg = np.array([[CODE[name] for name in row] for row in rows]).T[..., None].repeat(3, -1)
    ds = xr.Dataset({"regime": (("balance", "strength", "instance"), reg)},
                    coords={"balance": balance, "strength": np.arange(len(rows)), "instance": range(3)})
    return bd.boundary_lines(ds)


def test_band_skips_undetermined_cells_and_picks_the_longest_or_most_central_piece():
    rows = [("periodic", "irregular", "chaotic", "chaotic", "irregular", "fixed point", "fixed point",
             "fixed point", "fixed point"),                                    # undetermined cells skipped
            ("chaotic", "periodic", "chaotic", "chaotic", "fixed point", "chaotic", "fixed point", "fixed point",
             "fixed point"),                                                   # the longer piece wins
            ("chaotic", "chaotic", "fixed point", "periodic", "chaotic", "chaotic", "periodic", "periodic",
             "periodic"),                                                      # tie: the piece nearer b = 0
            ("fixed point", "chaotic", "chaotic", "periodic") + ("quiescent",) * 5,   # wrong phases either side
            ("periodic",) * 9]
    lines = _lines_of(rows)
    np.testing.assert_allclose(lines["oscillatory_chaotic"].values, [(-4 - 2) / 2, (-3 - 2) / 2, (-1 + 0) / 2, np.nan,
                                                                     np.nan])
    np.testing.assert_allclose(lines["chaotic_fixed"].values, [(-1 + 1) / 2, (-1 + 0) / 2, np.nan, np.nan, np.nan])
    np.testing.assert_allclose(lines["band_low"].values, [-2, -2, 0, -3, np.nan])
    np.testing.assert_allclose(lines["band_high"].values, [-1, -1, 1, -2, np.nan])
    shifted = _lines_of(rows[2:3], balance=B9 + 3)                          # balances -1..7: the other piece is nearer 0
    assert shifted["band_low"].values[0] == -1.0 and shifted["band_high"].values[0] == 0.0


def test_boundaries_reject_bad_input():
    phase, res = _boundary_data(_PEAKS)
    with pytest.raises(ValueError, match="^window must be an integer"):
        bd.analyse(phase, res, window=0)
    longer = _boundary_data(_PEAKS, rows=(ROW,) * 3)[1]
    with pytest.raises(ValueError, match="same balance and strength grids"):
        bd.analyse(phase, longer)
    with pytest.raises(ValueError, match="same balance and strength grids"):
        bd.analyse(phase, res.assign_coords(balance=B9 + 0.5))
    with pytest.raises(ValueError, match="same balance and strength grids"):
        bd.analyse(phase, res.isel(strength=[0]))
    with pytest.raises(ValueError, match="phase dataset must be an xarray.Dataset with a 'regime'"):
        bd.majority_phase(res)
    with pytest.raises(ValueError, match=r"reservoir\['accuracy'\] must have dims"):
        bd.analyse(phase, res.expand_dims(task=["a", "b"]))
    squeezed = bd.analyse(phase, res.expand_dims(task=["a"]))               # a length-1 dim is dropped
    np.testing.assert_array_equal(squeezed.contrasts["peak_oc"], bd.analyse(phase, res).contrasts["peak_oc"])
    with pytest.raises(ValueError, match="alpha"):
        bd.claim_c5(phase, res, alpha=1.0)
    with pytest.raises(ValueError, match="alpha"):
        bd.claim_c6(phase, res, alpha=0.0)
    with pytest.raises(ValueError, match="'variant' dimension"):
        bd.by_variant(phase, res)


def test_by_variant_applies_the_rules_to_each_slice():
    phase, res = _boundary_data(_PEAKS)
    _, flat = _boundary_data(_ORDERED)
    both = xr.concat([res, flat], dim=xr.DataArray(["peaks", "ordered"], dims="variant", name="variant"))
    out = bd.by_variant(phase, both, window=3, alpha=0.05)
    assert [o["variant"] for o in out] == ["peaks", "ordered"]
    assert [(o["c5"].verdict, o["c6"].verdict) for o in out] == [("supported", "mixed"),
                                                                 ("contradicted", "supported")]
    inputs = both.rename(variant="input_strength")
    assert len(bd.by_variant(phase, inputs, dim="input_strength")) == 2


@pytest.mark.parametrize("claim", ["c5", "c6"])
@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 1.5])
def test_c5_c6_alpha_must_lie_strictly_between_0_and_1(claim, alpha):
    with pytest.raises(ValueError, match=r"^alpha must be a finite number in \(0.0, 1.0\)"):
        getattr(bd, f"claim_{claim}")(*_boundary_data(_PEAKS), alpha=alpha)


def test_c5_c6_cuts_are_strict_and_the_measured_text():
    data = _boundary_data(_PEAKS)
    row = bd.claim_c5(*data)
    assert row.measured == "accuracy at the boundary minus the better of its two sides, worse boundary, per instance"
    assert bd.claim_c6(*_boundary_data(_ORDERED)).measured == (
        "accuracy of the ordered cells next to the chaotic band minus accuracy in the band, worse side, per instance")
    assert bd.claim_c5(*data, alpha=2 / 256).verdict == "no evidence"          # p = 2/256 is not below 2/256
    assert bd.claim_c5(*_boundary_data(_OC_FLAT), alpha=4 / 256).verdict == "no evidence"   # Holm p = 4/256
    assert bd.claim_c5(*_boundary_data(_OC_FLAT), alpha=4.001 / 256).verdict == "conditional"
    # the c/f boundary lies below its sides, but Holm over the four one-sided tests needs p < 8/256: not against
    assert bd.claim_c5(*_boundary_data(_OC_ONLY), alpha=4.001 / 256).verdict == "conditional"
    assert bd.claim_c5(*_boundary_data(_OC_ONLY), alpha=8.001 / 256).verdict == "mixed"


def test_c5_counts_strengths_and_averages_over_them():
    two = bd.claim_c5(*_boundary_data(_PEAKS, rows=(ROW, ROW, ("quiescent",) * 9)))
    assert [t["strengths"] for t in two.details[-2:]] == [2, 2] and len(two.details) == 4
    single = bd.claim_c5(*_boundary_data(_PEAKS, instances=1))
    assert single.n == 1 and [t["p_holm"] for t in single.details[-2:]] == [1.0, 1.0]
    assert single.verdict == "no evidence"


def test_window_default_is_three_and_is_passed_on():
    rows = (("periodic",) * 4 + ("chaotic",) * 3 + ("fixed point",) * 2, ("quiescent",) * 9)
    profile = (-1.0, 0.55, 0.6, 0.9, 0.9, 0.5, 0.9, 0.9, 0.1)
    data = _boundary_data(profile, rows=rows)
    f = 1 + np.arange(8) / 50
    # band = cells 4..6; beyond the o/c flank (cell 3): cells 2, 1 with window 3, cells 2, 1, 0 with window 4
    np.testing.assert_allclose(bd.analyse(*data).contrasts["peak_oc"][0], (0.9 - 0.575) * f)
    np.testing.assert_allclose(bd.analyse(*data, window=4).contrasts["peak_oc"][0], (0.9 - max(0.5, (0.6 + 0.55 - 1.0) / 3)) * f)
    for claim in (bd.claim_c5, bd.claim_c6):
        assert claim(*data).effect == pytest.approx(claim(*data, window=3).effect)
        assert claim(*data).effect != pytest.approx(claim(*data, window=4).effect)
    phase, res = data
    variants = xr.concat([res, res], dim=xr.DataArray(["a", "b"], dims="variant", name="variant"))
    for window in (3, 4):
        (first, _) = bd.by_variant(phase, variants, window=window)
        assert first["c5"].effect == pytest.approx(bd.claim_c5(*data, window=window).effect)
        assert first["c6"].effect == pytest.approx(bd.claim_c6(*data, window=window).effect)
    (default, _) = bd.by_variant(phase, variants)
    assert default["c5"].effect == pytest.approx(bd.claim_c5(*data, window=3).effect)
    (strict, _) = bd.by_variant(phase, variants, alpha=2 / 256)
    assert strict["c5"].alpha == bd.claim_c5(*data, alpha=2 / 256).alpha
    assert [strict["c5"].verdict, strict["c6"].verdict] == [bd.claim_c5(*data, alpha=2 / 256).verdict,
                                                           bd.claim_c6(*data, alpha=2 / 256).verdict]


def test_holm_of_the_boundary_tests_by_hand():
    np.testing.assert_allclose(bd._holm([0.01, 0.03]), [0.02, 0.03])
    np.testing.assert_allclose(bd._holm([0.6, np.nan, 0.7]), [1.0, np.nan, 1.0])
    np.testing.assert_allclose(bd._holm([0.04, 0.01]), [0.04, 0.02])


def test_phase_sequence_row_fields_and_the_fixed_share():
    row = sc.claim_phase_sequence(_phase({2: (4, 4, 1)}))
    assert row.effect == 0.25 and row.verdict == "contradicted"
    assert row.statement == sc.CLAIMS["C0"] and row.claim == "C0"
    assert row.measured == "smallest of the three majority shares at the strongest coupling"
    assert np.isnan(row.ci_low) and np.isnan(row.ci_high) and np.isnan(row.p_value)
    single = sc.claim_phase_sequence(_phase({2: (4, 4, 4)}).isel(instance=0))   # no instance dimension
    assert single.n == 1 and single.verdict == "supported" and single.effect == 1.0


def test_scorecard_passes_alpha_to_c5_c6_and_sensitivity_without_points():
    ds = {f"{reg}_reservoir": reservoir_dataset(reg, 0.0, instances=4, seed=i)
          for i, reg in enumerate(("dale", "modularity", "reciprocity"))}
    ds["baseline_phase"], ds["baseline_reservoir"] = _boundary_data(_ORDERED)
    rows = {r.claim: r for r in sc.scorecard(ds, alpha=2 / 256)}
    assert rows["C6"].verdict == "no evidence" and sc.scorecard(ds)[-1].verdict == "supported"
    ds["baseline_reservoir"] = _boundary_data(_PEAKS)[1]
    assert {r.claim: r for r in sc.scorecard(ds, alpha=2 / 256)}["C5"].verdict == "no evidence"
    plain = _sensitivity().isel(point=0)                       # exactly the four required dims
    assert len(sc.sensitivity_rows(plain)) == 6


def test_cells_beyond_a_flank_skip_undetermined_cells_and_stop_at_another_phase():
    profile = (0.2, 0.3, 0.4, 0.9, 0.9, 0.1, 0.9, 0.9, 0.1)
    f = 1 + np.arange(8) / 50
    skip = ("periodic", "periodic", "irregular", "periodic", "chaotic", "chaotic", "chaotic", "fixed point",
            "fixed point")
    a = bd.analyse(*_boundary_data(profile, rows=(skip,)))
    np.testing.assert_allclose(a.contrasts["peak_oc"][0], (0.9 - (0.3 + 0.2) / 2) * f)     # cells 1, 0 beyond 3
    np.testing.assert_allclose(a.contrasts["ordered_osc"][0], ((0.9 + 0.3 + 0.2) / 3 - (0.9 + 0.1 + 0.9) / 3) * f)
    stop = ("periodic", "fixed point", "periodic", "periodic", "chaotic", "chaotic", "chaotic", "fixed point",
            "fixed point")
    a = bd.analyse(*_boundary_data(profile, rows=(stop,)))
    np.testing.assert_allclose(a.contrasts["peak_oc"][0], (0.9 - 0.4) * f)                 # cell 2 only


def test_peak_within_exactly_one_grid_step_of_a_boundary_and_the_nearer_boundary():
    rows = (("periodic",) * 5 + ("chaotic",) * 3 + ("fixed point",), )
    uneven = np.array([-4.0, -3.0, -2.0, -1.0, 0.0, 2.0, 3.0, 4.0, 5.0])   # b_oc = 1, one step (1) from b = 2
    profile = (0.5, 0.5, 0.5, 0.5, 0.6, 0.9, 0.5, 0.5, 0.5)
    (info,) = bd.analyse(*_boundary_data(profile, rows=rows, balance=uneven)).rows
    assert info["b_oc"] == 1.0 and info["peak_balance"] == 2.0 and info["peak_at"] == "o/c boundary"
    # one chaotic cell at b = 1 between b = 0 and 1.5: both boundaries within a step (0.5); c/f is nearer
    (info,) = bd.analyse(*_boundary_data((0.5, 0.9, 0.5), rows=(("periodic", "chaotic", "fixed point"),),
                                         balance=np.array([0.0, 1.0, 1.5]))).rows
    assert (info["b_oc"], info["b_cf"]) == (0.5, 1.25) and info["peak_at"] == "c/f boundary"


def test_chaos_outside_the_band_and_a_missing_flank():
    rows = (("chaotic", "periodic", "periodic", "chaotic", "chaotic", "chaotic", "chaotic", "fixed point",
             "fixed point"),
            ("fixed point", "fixed point", "fixed point", "chaotic", "chaotic", "chaotic", "chaotic", "fixed point",
             "fixed point"))
    profile = (0.0, 0.5, 0.5, 0.8, 0.6, 0.7, 0.3, 0.9, 0.9)
    a = bd.analyse(*_boundary_data(profile, rows=rows))
    f = 1 + np.arange(8) / 50
    chaos = (0.8 + 0.6 + 0.7 + 0.3) / 4                         # the band's cells 3..6 only, not cell 0
    np.testing.assert_allclose(a.contrasts["ordered_fixed"][0], (0.9 - chaos) * f)
    np.testing.assert_allclose(a.contrasts["ordered_osc"][0], ((0.5 + 0.5) / 2 - chaos) * f)
    # second strength: no oscillatory flank (fixed below the band), the c/f side is still analysed
    assert np.isnan(a.rows[1]["b_oc"]) and a.rows[1]["b_cf"] == 2.5
    assert np.all(np.isnan(a.contrasts["ordered_osc"][1]))
    np.testing.assert_allclose(a.contrasts["ordered_fixed"][1], (0.9 - chaos) * f)
    np.testing.assert_allclose(a.contrasts["peak_cf"][1], ((0.3 + 0.9) / 2 - max((0.6 + 0.7) / 2, 0.9)) * f)
    single = bd.analyse(*_boundary_data((0.5,), rows=(("chaotic",),), balance=np.array([0.0])))
    assert single.rows[0]["peak_at"] == "chaotic" and single.rows[0]["band"] == (0.0, 0.0)


def test_sensitivity_claimed_sign_is_zero_for_an_unclaimed_regularity():
    other = _sensitivity().assign_coords(regularity=["dale", "baseline"])
    assert [r["claimed"] for r in sc.sensitivity_rows(other)] == [1, 1, 1, 0, 0]


def test_row_texts_intervals_and_names():
    from rnnlib.claims.verdicts import number
    for profile, claim in ((_PEAKS, bd.claim_c5), (_OC_ONLY, bd.claim_c5), (_ORDERED, bd.claim_c5)):
        row = claim(*_boundary_data(profile))
        assert row.ci_low < row.effect < row.ci_high
        if row.verdict not in ("supported", "conditional"):
            assert row.where.startswith("; ".join(f"{t['test']}: mean ${number(t['mean'], 3, signed=True)}$ over 1 "
                                                  "strengths" for t in row.details[-2:]))
            # a significantly negative minimum is shown, and said not to count against the claim
            assert (f"the headline's p-value does not count against the claim, since {UNCOUNTED_REASON} (the contrasts "
                    "against it follow under *Also*)" in row.where) \
                == (row.measured.endswith("worse boundary, per instance") and row.p_value < 0.05 and row.effect < 0)
    # no oscillatory flank anywhere: the o/c test has no pairs and is left out of the text
    rows = (("fixed point",) * 3 + ("chaotic",) * 4 + ("fixed point",) * 2,)
    row = bd.claim_c5(*_boundary_data((0.5, 0.5, 0.5, 0.9, 0.6, 0.6, 0.6, 0.6, 0.9), rows=rows))
    assert row.verdict == "contradicted" and row.where.startswith("chaotic/fixed boundary: mean $-")
    assert "oscillatory/chaotic" not in row.where and row.details[-2]["n"] == 0
    single = bd.claim_c5(*_boundary_data(_PEAKS, instances=1))
    assert single.where.count("over 1 strengths") == 2
    phase, res = _boundary_data(_PEAKS)
    a = bd.analyse(phase, res)
    assert a.lines["peak_balance"].dims == ("strength",)
    assert a.phase.equals(bd.majority_phase(phase)) and a.phase.name == "phase"
    assert a.phase.dims == ("balance", "strength")
    with pytest.raises(ValueError, match="^the phase and reservoir datasets must share"):
        bd.analyse(phase, res.assign_coords(balance=B9 + 0.5))


def test_undetermined_peak_and_nothing_below_the_first_cell():
    rows = (("periodic",) * 2 + ("chaotic", "chaotic", "irregular", "chaotic", "chaotic") + ("fixed point",) * 2,)
    profile = (0.5, 0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.5)
    assert bd.analyse(*_boundary_data(profile, rows=rows)).rows[0]["peak_at"] == "undetermined"
    lines = _lines_of([("irregular", "chaotic", "chaotic", "periodic", "periodic", "periodic", "periodic",
                        "periodic", "periodic")])
    assert np.isnan(lines["oscillatory_chaotic"].values[0]) and np.isnan(lines["chaotic_fixed"].values[0])


def test_by_variant_passes_alpha_to_c6():
    phase, res = _boundary_data(_ORDERED)
    variants = xr.concat([res, res], dim=xr.DataArray(["a", "b"], dims="variant", name="variant"))
    assert bd.by_variant(phase, variants)[0]["c6"].verdict == "supported"
    assert bd.by_variant(phase, variants, alpha=2 / 256)[0]["c6"].verdict == "no evidence"


def scipy_spearman(x, y):
    import scipy.stats
    return scipy.stats.spearmanr(x, y).statistic


def test_claim_region_layout():
    region = sc.claim_region("C1", _map())
    acc = _map()["accuracy"]
    assert set(region.data_vars) == {"difference", "t", "cluster", "cluster_p_value", "verdict", "cluster_mass",
                                     "cluster_size", "cluster_p", "cluster_direction"}
    assert region["t"].dims == ("balance", "strength") and region["cluster_mass"].dims == ("cluster_id",)
    assert region["cluster_size"].dims == ("cluster_id",)
    np.testing.assert_array_equal(region["balance"], acc["balance"])
    np.testing.assert_array_equal(region["strength"], acc["strength"])
    with pytest.raises(ValueError, match="^sensitivity must have the dims"):
        sc.sensitivity_rows(_sensitivity().isel(regularity=0))


def test_accuracy_row_fields_and_the_map_at_another_alpha():
    ds = reservoir_dataset("dale", _effect(0.05), sigma=0.01, seed=1)
    row = sc.claim_accuracy("C1", ds)
    assert row.statement == sc.CLAIMS["C1"]
    assert set(row.details[0]) == {"task", "point", "point_name", "balance", "strength", "mean", "ci_low", "ci_high",
                                   "p_value", "n", "p_holm", "outcome"}
    assert row.details[0]["ci_low"] < row.details[0]["mean"] < row.details[0]["ci_high"] and row.details[0]["n"] == 16
    m = _map(effect_block=0.1)
    with_map = sc.claim_accuracy("C1", ds, m, alpha=1 / 32)          # no cluster p is below 1/32
    assert with_map.where.startswith("holds in 20 of 20 task-point cells")
    assert with_map.where.endswith("map lie on 0% of its cells in the claimed direction and on 0% against "
                                   "(where the evidence is, not how far the effect reaches)")
    assert with_map.coverage == (0.0, 0.0) and row.coverage == ()


def test_c5_c6_rows_report_the_level_they_were_judged_at():
    data = _boundary_data(_OC_ONLY)
    assert bd.claim_c5(*data, alpha=0.1).alpha == 0.1
    assert bd.claim_c6(*data, alpha=0.01).alpha == 0.01
