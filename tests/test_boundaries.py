"""C5 and C6 rules on synthetic datasets whose answer is known, in both directions."""
import numpy as np
import pytest
import xarray as xr

from rnnlib import REGIMES
from rnnlib.claims import boundaries as bd

B = np.round(np.arange(-0.5, 0.501, 0.1), 6)
W = np.array([0.5, 1.5, 2.5])
CODE = {name: i for i, name in enumerate(REGIMES)}


def phase_dataset(instances=8, band=(-0.2, 0.2)):
    """Quiescent at w = 0.5; above: periodic below the band, chaotic in it, fixed points above it."""
    reg = np.empty((B.size, W.size, instances), int)
    for j, w in enumerate(W):
        for i, b in enumerate(B):
            if w < 1:
                name = "quiescent"
            elif b < band[0] - 1e-9:
                name = "periodic"
            elif b > band[1] + 1e-9:
                name = "fixed point"
            else:
                name = "chaotic"
            reg[i, j, :] = CODE[name]
    return xr.Dataset({"regime": (("balance", "strength", "instance"), reg)},
                      coords={"balance": B, "strength": W, "instance": np.arange(instances)})


def reservoir_dataset(profile, instances=8, noise=0.005, seed=0):
    """accuracy = profile(b) + an instance offset + small cell noise."""
    rng = np.random.default_rng(seed)
    base = np.array([profile(b) for b in B])[:, None, None]
    acc = base + 0.02 * rng.standard_normal(instances)[None, None, :] \
        + noise * rng.standard_normal((B.size, W.size, instances))
    return xr.Dataset({"accuracy": (("balance", "strength", "instance"), np.broadcast_to(acc, (B.size, W.size, instances)).copy())},
                      coords={"balance": B, "strength": W, "instance": np.arange(instances)})


peaks_at_both = lambda b: 0.8 - 0.3 * min(abs(b + 0.25), abs(b - 0.25))
peaks_in_chaos = lambda b: 0.8 - 0.5 * abs(b)
chaos_is_bad = lambda b: 0.6 if abs(b) < 0.25 else 0.9
peak_at_oc_only = lambda b: 0.8 - 0.3 * abs(b + 0.25)
chaos_bad_osc_only = lambda b: 0.9 if b < -0.25 else 0.6


def test_boundary_lines_sit_between_the_phases():
    lines = bd.boundary_lines(phase_dataset())
    assert np.isnan(lines.oscillatory_chaotic.sel(strength=0.5))
    np.testing.assert_allclose(lines.oscillatory_chaotic.sel(strength=[1.5, 2.5]), -0.25)
    np.testing.assert_allclose(lines.chaotic_fixed.sel(strength=[1.5, 2.5]), 0.25)
    np.testing.assert_allclose(lines.band_low.sel(strength=2.5), -0.2)


def test_majority_phase_marks_ties_and_irregular_pluralities_undetermined():
    ds = phase_dataset(instances=4)
    reg = ds.regime.values
    reg[0, 1, :] = [CODE["periodic"], CODE["periodic"], CODE["chaotic"], CODE["chaotic"]]   # tie
    reg[1, 1, :] = [CODE["irregular"]] * 3 + [CODE["chaotic"]]                             # irregular
    reg[2, 1, :] = [CODE["fixed point"], CODE["quiescent"], CODE["periodic"], CODE["chaotic"]]  # fixed wins
    ph = bd.majority_phase(ds).isel(strength=1).values
    assert ph[0] == bd.UNDETERMINED and ph[1] == bd.UNDETERMINED and ph[2] == bd.FIXED


def test_undetermined_cells_do_not_cut_the_band_or_hide_a_boundary():
    ds = phase_dataset()
    ds.regime.values[3, 1, :] = CODE["irregular"]        # b = -0.2: first band cell becomes irregular
    lines = bd.boundary_lines(ds)
    assert lines.band_low.sel(strength=1.5) == pytest.approx(-0.1)
    assert lines.oscillatory_chaotic.sel(strength=1.5) == pytest.approx(-0.2)   # midpoint of -0.3 and -0.1


def test_peaks_at_both_boundaries_support_c5():
    r = bd.claim_c5(phase_dataset(), reservoir_dataset(peaks_at_both))
    assert r.verdict == "supported" and r.effect > 0 and r.p_value < 0.05 and r.n == 8
    rows = [d for d in r.details if "peak_at" in d]
    assert [d["strength"] for d in rows] == [1.5, 2.5]
    assert all(d["peak_at"] in ("o/c boundary", "c/f boundary") for d in rows)


@pytest.mark.parametrize("profile", [peaks_in_chaos, chaos_is_bad], ids=["peak-in-chaos", "chaos-bad"])
def test_no_peak_at_the_boundaries_contradicts_c5(profile):
    r = bd.claim_c5(phase_dataset(), reservoir_dataset(profile))
    assert r.verdict == "contradicted" and r.effect < 0 and r.p_value < 0.05


def test_a_peak_at_one_boundary_and_a_slope_through_the_other_is_mixed():
    r = bd.claim_c5(phase_dataset(), reservoir_dataset(peak_at_oc_only))
    assert r.verdict == "mixed" and r.where.startswith("oscillatory/chaotic boundary: mean $+")
    (oc, cf) = r.details[-2:]
    assert oc["mean"] > 0 and oc["p_holm"] < 0.05                 # the o/c boundary is a peak
    inside_cf = next(s for s in r.secondary if s["what"] == "chaotic/fixed boundary minus the band interior")
    assert inside_cf["mean"] < 0 and inside_cf["p_value"] < 0.05   # the c/f boundary lies below the band


def test_chaos_worse_than_both_ordered_phases_supports_c6_and_the_reverse_does_not():
    good = bd.claim_c6(phase_dataset(), reservoir_dataset(chaos_is_bad))
    assert good.verdict == "supported" and good.effect == pytest.approx(0.3, abs=0.02)
    bad = bd.claim_c6(phase_dataset(), reservoir_dataset(peaks_in_chaos))
    assert bad.verdict == "contradicted" and bad.effect < 0
    one = bd.claim_c6(phase_dataset(), reservoir_dataset(chaos_bad_osc_only))
    assert one.verdict == "conditional" and one.where == "oscillatory side"


def test_no_chaos_is_not_testable():
    ds = phase_dataset()
    ds.regime.values[:] = CODE["fixed point"]
    assert bd.claim_c5(ds, reservoir_dataset(peaks_at_both)).verdict == "not testable"


def test_peak_location_in_the_band_is_named_chaotic():
    rows = [d for d in bd.analyse(phase_dataset(), reservoir_dataset(peaks_in_chaos)).rows]
    assert all(d["peak_at"] == "chaotic" and d["peak_balance"] == pytest.approx(0.0) for d in rows)


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match="regime"):
        bd.claim_c5(xr.Dataset(), reservoir_dataset(peaks_at_both))
    other = reservoir_dataset(peaks_at_both).assign_coords(strength=W + 0.1)
    with pytest.raises(ValueError, match="same balance and strength"):
        bd.claim_c5(phase_dataset(), other)
    two_tasks = xr.concat([reservoir_dataset(peaks_at_both)] * 2, dim="task")
    with pytest.raises(ValueError, match="dims"):
        bd.claim_c6(phase_dataset(), two_tasks)
    with pytest.raises(ValueError, match="window"):
        bd.analyse(phase_dataset(), reservoir_dataset(peaks_at_both), window=0)


def test_by_variant_gives_one_verdict_pair_per_input_strength():
    both = reservoir_dataset(peaks_at_both, seed=1)         # C5 holds; the ordered sides do not beat chaos
    chaos = reservoir_dataset(chaos_is_bad, seed=2)         # C6 holds; a plateau has no peak at a boundary
    ds = xr.concat([both, chaos], dim="variant").assign_coords(variant=["input_strength=0.1", "input_strength=1"])
    out = bd.by_variant(phase_dataset(), ds)
    assert [r["variant"] for r in out] == ["input_strength=0.1", "input_strength=1"]
    assert [(r["c5"].verdict, r["c6"].verdict) for r in out] == [("supported", "contradicted"),
                                                                  ("contradicted", "supported")]
    assert out[0]["c5"].effect == bd.claim_c5(phase_dataset(), both).effect     # the same rule on each slice
    with pytest.raises(ValueError, match="'variant' dimension"):
        bd.by_variant(phase_dataset(), both)


def test_c5_c6_words_are_calibrated_on_flat_accuracy():
    """No effect (accuracy flat along the balance, noise per cell): a word other than "no evidence" needs a test
    for the claim (level alpha over the headline and the Holm family) or one against it (likewise), so at most
    2 alpha = 0.1; the one-sided contrasts keep "contradicted" from leaning on the biased minimum."""
    words = {"c5": [], "c6": []}
    for seed in range(100):
        res = reservoir_dataset(lambda b: 0.7, noise=0.02, seed=seed)
        words["c5"].append(bd.claim_c5(phase_dataset(), res).verdict)
        words["c6"].append(bd.claim_c6(phase_dataset(), res).verdict)
    for claim, got in words.items():
        assert np.mean([w != "no evidence" for w in got]) <= 0.1, claim
        assert "supported" not in got, claim
