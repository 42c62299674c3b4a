"""The scorecard a reader sees first (rnnlib.claims.summary, rnnlib.book.claim_table): its lines follow the verdicts' numbers."""
import numpy as np
import pytest

from rnnlib.book import claim_table
from rnnlib.book import specification_chapter as spc
from rnnlib.book.tables import captioned
from rnnlib.claims import summary, verdicts
from rnnlib.claims.scorecard import claim_accuracy, claim_phase_sequence, claim_saturation, direction_rows
from rnnlib.statistics.specification import joint_test
from rnnlib.statistics.synthetic import reservoir_dataset
from test_specification_chapter import synthetic  # noqa: F401  (the fixture: a specification dataset with a known answer)


def _result(claim="C1", effect=-0.084, p=3e-5, **kw):
    return verdicts.ClaimResult(claim, "statement", "measured", effect, effect - 0.01, effect + 0.01, p, 16,
                                kw.pop("verdict", "contradicted"), "where", **kw)


def test_found_direction_needs_a_significant_headline_and_follows_its_sign():
    assert summary.found_direction(_result(effect=-0.05, p=0.001)) == "down (p = 0.001)"
    assert summary.found_direction(_result(effect=+0.05, p=0.0004)) == "up (p < 0.001)"
    assert summary.found_direction(_result(effect=+0.05, p=0.2)) == "no significant change (p = 0.2)"
    assert summary.found_direction(_result(effect=+0.05, p=0.04, alpha=0.01)).startswith("no significant change")
    assert summary.found_direction(_result("C6", effect=-0.16, p=0.03)) == "chaos better (p = 0.03)"


def test_c0_found_direction_lists_the_strengths_where_the_majority_sequence_holds():
    from test_verdicts import _phase
    c0 = claim_phase_sequence(_phase())                  # only the strongest coupling has the sequence
    assert summary.found_direction(c0) == "the sequence at *w* = 3"
    line = summary.line(c0)
    assert line.effect == pytest.approx(100 * 0.75) and line.unit == "% of instances"
    assert "| 75% of instances |" in summary.table([line])


def test_line_scales_the_effect_to_its_unit_and_adds_matched_and_given_notes():
    same = claim_accuracy("C1", reservoir_dataset("dale", -0.05, seed=2))
    matched = verdicts.ClaimResult("C1 (matched)", "s", "m", 0.03, 0.02, 0.04, 0.002, 6, "supported", "w")
    line = summary.line(same, matched=matched, notes=["a note"])
    assert (line.claim, line.claimed, line.verdict, line.n) == ("C1", "up", "contradicted", same.n)
    assert line.unit == "accuracy points"
    assert (line.effect, line.ci_low, line.ci_high) == pytest.approx((100 * same.effect, 100 * same.ci_low,
                                                                      100 * same.ci_high))
    assert line.robustness == ("matched coupling: **supported** (+3.0, p = 0.002)", "a note")
    assert line.words_used == ("contradicted", "supported")
    with pytest.raises(ValueError, match="matched must be the same claim as result \\(C1\\)"):
        summary.line(same, matched=verdicts.ClaimResult("C2 (matched)", "s", "m", 0, 0, 0, 1, 6, "no evidence", "w"))
    with pytest.raises(ValueError, match="result.claim must be one of"):
        summary.line(_result("C9"))


def test_c4_keeps_its_unit_and_reports_its_link_tests(c4_data):
    c4 = claim_saturation(*c4_data())
    line = summary.line(c4)
    assert line.effect == pytest.approx(c4.effect) and line.unit == "mean |x| under input"
    assert [n.split(":")[0] for n in line.robustness] == ["link at same strength", "link at matched coupling"]
    assert f"r = {verdicts.number(c4.secondary[0]['mean'], 2, signed=True)}".replace("-", "\u2212") in line.robustness[0]


def test_c8_flatness_note_says_which_way_the_spread_moved():
    flat = {"what": "spread", "mean": 0.109, "ci_low": 0.05, "ci_high": 0.2, "p_value": 0.031, "n": 6}
    levels = ({"best": 0.9, "share_baseline": 0.2, "share_controlled": 0.124, "spread_baseline": 0.2,
               "spread_controlled": 0.091},)
    c8 = _result("C8", effect=-0.076, p=0.06, verdict="supported", secondary=(flat,), details=levels)
    assert summary.line(c8).robustness == ("accuracy spread over the grid 10.9 points smaller (p = 0.031)",)
    assert summary.line(c8).found.startswith("flatter, not higher: ")
    c8 = _result("C8", effect=-0.076, p=0.06, verdict="mixed", secondary=({**flat, "mean": -0.02},), details=levels)
    assert "2.0 points larger" in summary.line(c8).robustness[0]


def test_specification_note_counts_the_supporting_specifications_and_gives_both_joint_p_values():
    rng = np.random.default_rng(3)
    d = 0.01 * rng.standard_normal((20, 8))
    d[:5] += 0.05                                         # five specifications clearly in the claimed direction
    joint = joint_test(d, +1)
    note = summary.specification_note(joint, 2)
    assert note.startswith(f"specifications: {100 * joint.count / 20:.0f}% of 20 for, 10% against, joint p ")
    assert joint.count >= 5
    p = (lambda x: "< 0.001" if x < 0.001 else f"= {x:.2g}")
    assert note.endswith(f"joint p {p(joint.count_p)} (count), p {p(joint.median_p)} (median)")


def test_reversal_note_names_the_reversing_variants_and_their_side():
    from test_exact_verdicts import _sensitivity
    rows = direction_rows(_sensitivity())
    noise = next(r for r in rows if (r["regularity"], r["variant"], r["point"]) == ("dale", "noise", "all"))
    assert noise["outcome"] == "reversed" and noise["mean"] < 0
    # the default is significant at both points: the noise variant reverses it pooled and at point a only
    points = [r for r in rows if r["regularity"] == "dale" and r["point"] != "all" and r["variant"] != "default"]
    assert [r["outcome"] for r in points].count("reversed") == 1 and len(points) == 4
    assert summary.reversal_note(rows, "dale", "C1") == (
        f"pooled over the points, reversed by `noise` "
        f"({verdicts.number(100 * noise['mean'], 1, signed=True).replace('-', chr(0x2212))}, against the claim); at "
        "single points, 1 of 4 entries reverse it")
    assert summary.reversal_note(rows, "reciprocity", "C3") == ("pooled over the points, none of the 2 sensitivity "
                                                                "variants reverses the direction")
    with pytest.raises(ValueError, match="regularity must be one of"):
        summary.reversal_note(rows, "modularity", "C2")


def test_table_has_one_row_per_line_glosses_its_words_and_units_and_is_wrapped():
    lines = [summary.line(claim_accuracy("C1", reservoir_dataset("dale", -0.05, seed=2))),
             summary.line(_result("C4", effect=0.0272, verdict="association only"))]
    text = summary.table(lines, wrap=captioned)
    table, notes = text.split(":::\n\n")
    rows = [r for r in table.splitlines() if r.startswith("|")]
    assert len(rows) == 2 + len(lines) and all(r.count(" | ") == 6 for r in rows)
    assert rows[2].startswith("| **C1** Dale's law") and "| **contradicted** |" in rows[2]
    assert rows[3].split(" | ")[4] == "+0.027 [+0.017, +0.037] mean \\|x\\| under input"      # pipes escaped in a cell
    assert table.startswith(":::{table} Claims C1, C4: claimed and found direction")
    assert table.splitlines()[1] == f":class: {summary.CSS_CLASS}"
    words = [n.split("**")[1] for n in notes.splitlines()]
    assert words == ["contradicted", "association only", "accuracy points", "mean |x| under input"]
    assert summary.table(lines).startswith("| claim | claimed | found | verdict |")
    with pytest.raises(ValueError, match="at least one ClaimLine"):
        summary.table([])


def test_claim_table_folds_matched_rows_and_adds_the_specification_curve(synthetic):
    ds, _ = synthetic
    same = claim_accuracy("C1", reservoir_dataset("dale", 0.05, seed=2))
    matched = verdicts.ClaimResult("C1 (matched)", "s", "m", 0.01, 0.0, 0.02, 0.3, 6, "no evidence", "w")
    lines = claim_table.claim_lines([same, matched], specifications=ds)
    assert [x.claim for x in lines] == ["C1"] and lines[0].robustness[0].startswith("matched coupling: **no evidence**")
    curve = spc.analyse(ds, "C1")
    assert lines[0].robustness[1] == summary.specification_note(
        curve.joint, int(curve.effects.significant(-1).sum()))
    text = claim_table.claim_table([same, matched], specifications=ds, caption="The claim.", name="tab-x")
    assert text.startswith(":::{table} The claim.\n:name: tab-x\n:class: rnnlib-claims\n| claim |")
    with pytest.raises(ValueError, match="without its same-strength row"):
        claim_table.claim_lines([matched])
