"""Verdicts rendered for readers: numbers without negative zeros, tables of cells and clusters, C0 shares."""
import numpy as np
import pytest
import xarray as xr

from rnnlib import REGIMES
from rnnlib.claims import verdicts
from rnnlib.claims.scorecard import claim_accuracy, claim_phase_sequence, claim_region, claim_saturation
from rnnlib.statistics.synthetic import map_dataset, reservoir_dataset


@pytest.mark.parametrize("x, kw, text", [
    (-0.0001, {"signed": True}, "+0.000"), (-0.0001, {}, "0.000"), (0.01234, {"signed": True}, "+0.012"),
    (-0.5, {"digits": 1}, "-0.5"), (np.nan, {}, "–"), (None, {}, "–"),
])
def test_number_never_shows_a_negative_zero(x, kw, text):
    assert verdicts.number(x, **kw) == text


def test_p_text_uses_powers_of_ten_below_a_thousandth():
    assert verdicts.p_text(2 / 65536) == r"$3.1 \times 10^{-5}$"
    assert verdicts.p_text(0.03125) == "$0.031$" and verdicts.p_text(0.5, "p = ") == "$p = 0.5$"
    assert verdicts.p_text(np.nan) == "–"


def _phase():
    reg = np.full((3, 2, 4), REGIMES.index("quiescent"))
    for i, name in enumerate(("periodic", "chaotic", "fixed point")):
        reg[i, 1, :] = REGIMES.index(name)
    reg[1, 1, 0] = REGIMES.index("irregular")                   # 3 of 4 chaotic at the strongest coupling
    return xr.Dataset({"regime": (("balance", "strength", "instance"), reg)},
                      coords={"balance": [-0.8, 0.0, 0.8], "strength": [0.5, 3.0], "instance": np.arange(4)})


def test_scorecard_table_shows_c0_shares_and_no_negative_zero():
    rows = [claim_phase_sequence(_phase()),
            claim_accuracy("C2", reservoir_dataset("modularity", 0.0, sigma=1e-5, seed=1))]
    table = verdicts.scorecard_table(rows)
    lines = table.splitlines()
    assert lines[0].startswith("| Claim | Verdict |") and len(lines) == 4
    assert "shares periodic 1.00, chaotic 0.75, fixed point 1.00 at $w = 3$" in lines[2]
    assert "n/a" not in table and "-0.000" not in table
    assert "**supported**" in lines[2] and "**not supported**" in lines[3]


def test_cell_table_is_task_by_point_with_adjusted_p_and_outcome():
    effect = np.zeros((5, 4))
    effect[2, 1] = 0.08                                         # parity at chaotic
    effect[0, 3] = -0.08                                        # prototypes at ordered
    row = claim_accuracy("C1", reservoir_dataset("dale", effect, seed=3))
    lines = verdicts.cell_table(row).splitlines()
    assert lines[0] == ("| task | ordered ($b = 0$, $w = 0.6$) | edge ($b = 0$, $w = 1$) | chaotic ($b = 0$, $w = 2$) "
                        "| inhibitory ($b = -0.3$, $w = 1.5$) | excitatory ($b = 0.3$, $w = 1.5$) |")
    assert [line.split(" | ")[0] for line in lines[2:]] == ["| digits", "| parity", "| recall", "| prototypes"]
    parity, prototypes = lines[3].split(" | "), lines[5].split(" | ")
    assert parity[3].startswith("$+0.0") and parity[3].endswith("**holds**")
    assert prototypes[1].startswith("$-0.0") and prototypes[1].endswith("**against**")
    assert sum("**" in e for line in lines[2:] for e in line.split(" | ")) == 2
    with pytest.raises(ValueError, match="per-cell tests"):
        verdicts.cell_table(claim_phase_sequence(_phase()))


def test_claim_list_states_the_c4_link_test():
    sat = np.linspace(0.0, 0.08, 20).reshape(5, 4)
    text = verdicts.claim_list([claim_saturation(reservoir_dataset("reciprocity", -sat, saturation_effect=sat))])
    assert text.startswith("- **C4**:") and "*Verdict:* **supported**" in text and "within-instance Spearman" in text


def test_cluster_table_lists_significant_clusters_and_the_smallest_p():
    effect = np.zeros((21, 15))
    effect[8:13, 8:13] = 0.1
    text = verdicts.cluster_table(claim_region("C1", map_dataset("dale", effect, seed=1)))
    lines = text.splitlines()
    assert lines[0] == "| cluster | direction | cells | $b$ | $w$ | mass | $p$ |"
    assert lines[2].startswith("| 1 | claim |") and lines[2].endswith("$0.031$ **significant** |")
    assert "all 32 sign patterns of the 6 instances; smallest attainable $p = 0.031$" in text
    empty = claim_region("C1", map_dataset("dale", 0.0, sigma=0.0, seed=1))
    assert verdicts.cluster_table(empty).startswith("No cluster")


def _matched(reg, same_effect, matched_effect, seed):
    from rnnlib.experiments import join_matched
    same = reservoir_dataset(reg, same_effect, seed=seed)
    return same, join_matched(same, reservoir_dataset(reg, matched_effect, seed=seed).sel({reg: [1.0]}))


def test_readings_say_which_comparison_supports_each_claim():
    same, matched = _matched("dale", -0.05, 0.05, seed=11)
    text = verdicts.readings([claim_accuracy("C1", same), claim_accuracy("C1", matched)])
    assert text.startswith("- **C1** at the same strength **not supported**")
    assert "at matched effective coupling **supported**" in text and "the matched reading holds better" in text
    same, matched = _matched("modularity", 0.0, 0.0, seed=2)
    text = verdicts.readings([claim_accuracy("C2", same), claim_accuracy("C2", matched)])
    assert "neither reading supports it" in text
    assert verdicts.readings([claim_accuracy("C2", same)]) == ""                 # no matched row, nothing to say


def test_boundary_table_and_agreement_follow_the_c5_c6_rows():
    from test_boundaries import peaks_at_both, peaks_in_chaos, phase_dataset, reservoir_dataset as accuracy_map
    from rnnlib.claims import boundaries as bd

    c5, c6 = (f(phase_dataset(), accuracy_map(peaks_in_chaos)) for f in (bd.claim_c5, bd.claim_c6))
    table = verdicts.boundary_table(c5)
    assert table.count(", chaotic |") == 2 and "oscillatory/chaotic boundary" in table
    note = verdicts.baseline_agreement(c5, c6)
    assert note.startswith(":::{important}") and "disagrees" in note and "the most accurate balance lies inside the chaotic band at 2." in note
    c5, c6 = (f(phase_dataset(), accuracy_map(peaks_at_both)) for f in (bd.claim_c5, bd.claim_c6))
    assert "agrees" in verdicts.baseline_agreement(c5, c6)
    with pytest.raises(ValueError, match="C5 or C6"):
        verdicts.boundary_table(claim_accuracy("C1", reservoir_dataset("dale")))


def test_inputs_table_has_one_row_per_input_strength_with_both_verdicts():
    from test_boundaries import chaos_is_bad, peaks_at_both, phase_dataset, reservoir_dataset as accuracy_map
    from rnnlib.claims import boundaries as bd

    ds = xr.concat([accuracy_map(peaks_at_both), accuracy_map(chaos_is_bad)], dim="variant")
    table = verdicts.inputs_table(bd.by_variant(phase_dataset(), ds.assign_coords(variant=["input_strength=0.1",
                                                                                          "input_strength=3"])))
    rows = table.splitlines()[2:]
    assert rows[0].startswith("| 0.1 | **supported**") and "| **not supported** (" in rows[0]
    assert rows[1].startswith("| 3 | **not supported**") and rows[1].count("**supported**") == 1
    assert rows[0].endswith("| 0 of 2 | 2 of 2 | 0 of 2 |")       # both peaks sit at a boundary
