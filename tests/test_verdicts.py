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


def test_claim_list_states_the_c4_link_tests(c4_data):
    text = verdicts.claim_list([claim_saturation(*c4_data())])
    assert text.startswith("- **C4**:") and "*Verdict:* **supported**" in text
    assert text.count("*Also:* mean within-cell Spearman correlation") == 2 and "matched coupling: mean $-0." in text


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


def test_readings_compare_direction_size_cells_and_coverage():
    same, matched = _matched("dale", -0.05, 0.05, seed=11)
    same_map = map_dataset("dale", -0.1, seed=4)
    matched_map = map_dataset("dale", 0.0, seed=4)
    rows = [claim_accuracy("C1", same, same_map), claim_accuracy("C1", matched, matched_map)]
    text = verdicts.readings(rows)
    lines = text.splitlines()
    assert lines[0] == "| C1 | verdict | $\\Delta$ [95% CI] | $p$ | cells for / against | map clusters for / against |"
    assert lines[2].startswith("| same strength | **contradicted** | $-0.0") and lines[2].endswith("| 0 / 20 of 20 | 0% / 100% |")
    assert lines[3].startswith("| matched coupling | **supported** | $+0.0") and lines[3].endswith("| 20 / 0 of 20 | 0% / 0% |")
    assert "The mean change reverses its sign when the coupling is matched" in text
    assert "Cells significant for the claim: 0 of 20 at the same strength, 20 of 20 matched; against: 20 and 0." in text
    assert "on 0% of it for the claim and 100% against at the same strength, on 0% and 0% matched" in text
    assert "The verdict changes from **contradicted** at the same strength to **supported** at matched coupling" in text
    # the same word in both readings, with a different size of the change: the numbers still say so
    same, matched = _matched("reciprocity", -0.02, -0.08, seed=2)
    text = verdicts.readings([claim_accuracy("C3", same), claim_accuracy("C3", matched)])
    assert "The mean change keeps its sign" in text and "matching moves it by $-0.0" in text
    assert "The verdict word is the same, **supported**" in text and "| – |" in text      # no maps: no coverage
    assert verdicts.readings([claim_accuracy("C3", same)]) == ""                 # no matched row, nothing to say


def test_decide_follows_the_rule_for_every_combination():
    import itertools
    for head_for, head_against, parts_for, parts_against in itertools.product((False, True), (False, True),
                                                                              (0, 2), (0, 1)):
        evidence_for, evidence_against = head_for or parts_for > 0, head_against or parts_against > 0
        expected = ("mixed" if evidence_for and evidence_against else
                    ("supported" if head_for else "conditional") if evidence_for else
                    "contradicted" if evidence_against else "no evidence")
        assert verdicts.decide(head_for, head_against, parts_for, parts_against) == expected


def test_glossary_glosses_each_word_used_once_in_a_fixed_order():
    rows = [claim_accuracy("C1", reservoir_dataset("dale", 0.0, seed=7)),
            claim_accuracy("C1", reservoir_dataset("dale", -0.05, seed=7))]
    text = verdicts.glossary(rows + ["supported", "contradicted"])
    assert text.splitlines() == [f"- **{w}**: {verdicts.WORDS[w]}" for w in ("supported", "contradicted", "no evidence")]
    assert all(gloss.count(".") >= 1 and "\n" not in gloss for gloss in verdicts.WORDS.values())
    with pytest.raises(ValueError, match="words must be verdict words"):
        verdicts.glossary(["not supported"])


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
    assert rows[0].startswith("| 0.1 | **supported**") and "| **contradicted** (" in rows[0]
    assert rows[1].startswith("| 3 | **contradicted**") and rows[1].count("**supported**") == 1
    assert rows[0].endswith("| 0 of 2 | 2 of 2 | 0 of 2 |")       # both peaks sit at a boundary


def _wrap(table, caption):
    """A stand-in for rnnlib.book.tables.captioned: records what it is given."""
    assert table.startswith("| ") and table.splitlines()[1].startswith("| --- |") and "\n\n" not in table
    assert caption and "\n" not in caption
    return f"<{caption}>\n{table}\n</>"


def test_every_table_printer_hands_each_bare_table_and_a_caption_to_wrap():
    from test_boundaries import peaks_in_chaos, phase_dataset, reservoir_dataset as accuracy_map
    from rnnlib.claims import boundaries as bd
    from rnnlib.claims.scorecard import direction_rows

    effect = np.zeros((5, 4))
    effect[2, 1] = 0.08
    row = claim_accuracy("C1", reservoir_dataset("dale", effect, seed=3))
    assert verdicts.cell_table(row, wrap=_wrap) == _wrap(verdicts.cell_table(row), "x").replace(
        "<x>", "<C1, verdict conditional, cell by cell: mean paired change of accuracy per task and named point with "
               "its Holm-adjusted $p$; look for the cells marked holds or against.>")
    region_effect = np.zeros((21, 15))
    region_effect[8:13, 8:13] = 0.1
    region = claim_region("C1", map_dataset("dale", region_effect, seed=1))
    wrapped = verdicts.cluster_table(region, rows=1, wrap=_wrap)
    assert wrapped.startswith("<Clusters of the C1 map") and wrapped.count("</>") == 1
    assert wrapped.split("</>")[1] == verdicts.cluster_table(region, rows=1).split("\n\n", 1)[1].join(["\n\n", ""])
    c5 = bd.claim_c5(phase_dataset(), accuracy_map(peaks_in_chaos))
    assert verdicts.boundary_table(c5, wrap=_wrap).count("</>") == 2          # the strengths and the tests
    ds = xr.concat([accuracy_map(peaks_in_chaos)] * 2, dim="variant").assign_coords(variant=["input_strength=0.1",
                                                                                              "input_strength=3"])
    assert verdicts.inputs_table(bd.by_variant(phase_dataset(), ds), wrap=_wrap).startswith("<C5 and C6 at each input")
    from test_exact_verdicts import _sensitivity
    text = verdicts.direction_table(direction_rows(_sensitivity()), "dale", wrap=_wrap)
    assert text.startswith("<Direction of the dale accuracy change") and "Pooled over the points" in text.split("</>")[1]
