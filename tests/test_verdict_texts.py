"""The exact words and numbers every verdict printer writes, on hand-made rows whose text is known.

rnnlib.claims.verdicts turns scorecard rows into the sentences and tables a reader
sees. The tests in test_verdicts.py run it on synthetic data; these build each
row by hand (no statistics in between), so every character of the expected text
follows from the docstrings: the order of rows and columns, which number goes in
which column with how many digits, the dashes for what is missing, the strict
"p below alpha" cut, singular and plural.
"""
import math

import numpy as np
import pytest
import xarray as xr

from rnnlib.claims import verdicts as v

NAN = math.nan


def _row(claim="C1", verdict="supported", effect=0.0123, ci=(0.004, 0.0201), p=0.0031, **kw):
    fields = dict(statement="Dale raises accuracy.", measured="mean change of accuracy", n=16,
                  where="holds in 3 of 20 cells")
    fields.update(kw)
    return v.ClaimResult(claim=claim, verdict=verdict, effect=effect, ci_low=ci[0], ci_high=ci[1], p_value=p,
                         **fields)


def _wrap(table, caption):
    return f"<{caption}>\n{table}\n</>"


# --- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("x, kw, text", [
    (0.12345, {}, "0.123"), (1.23456, {}, "1.235"), (2, {"digits": 1, "signed": True}, "+2.0"),
    (np.float32(0.5), {"digits": 2}, "0.50"), (-0.0004, {}, "0.000"), (-0.0006, {}, "-0.001"),
    (0.0, {"signed": True}, "+0.000"), (-0.0004, {"digits": 4, "signed": True}, "-0.0004"),
    (math.inf, {}, "–"), (-math.inf, {"signed": True}, "–"),
])
def test_number_digits_sign_and_dashes(x, kw, text):
    assert v.number(x, **kw) == text


@pytest.mark.parametrize("p, label, text", [
    (0.001, "", "$0.001$"), (0.00099, "", r"$9.9 \times 10^{-4}$"), (1.0, "", "$1$"), (0.0456, "", "$0.046$"),
    (2e-5, "p = ", r"$p = 2.0 \times 10^{-5}$"), (0.2, "p = ", "$p = 0.2$"), (math.inf, "p = ", "–"),
    (None, "", "–"),
])
def test_p_text_two_digits_and_powers_of_ten_from_below_a_thousandth(p, label, text):
    assert v.p_text(p, label) == text


@pytest.mark.parametrize("p, text", [(0.00099, "p < 0.001"), (0.001, "p = 0.001"), (0.0456, "p = 0.046"),
                                     (1.0, "p = 1"), (math.nan, "p n/a"), (None, "p n/a")])
def test_p_plain_for_table_cells(p, text):
    assert v.p_plain(p) == text


def test_effect_text_interval_only_when_both_ends_are_finite_and_c0_the_last_strengths_shares():
    assert v.effect_text(_row(effect=0.01234, ci=(0.00101, 0.02))) == "$+0.0123$ [$+0.0010$, $+0.0200$]"
    assert v.effect_text(_row(effect=-0.01234, ci=(NAN, 0.02))) == "$-0.0123$"
    assert v.effect_text(_row(effect=-0.01234, ci=(-0.02, NAN))) == "$-0.0123$"
    shares = dict(periodic_at_min_b=0.1, chaotic_at_b0=0.2, fixed_at_max_b=0.3, strength=1.0)
    c0 = _row("C0", details=(shares, shares, dict(periodic_at_min_b=0.5, chaotic_at_b0=0.75, fixed_at_max_b=1.0,
                                                  strength=3.0)))
    assert v.effect_text(c0) == "shares periodic 0.50, chaotic 0.75, fixed point 1.00 at $w = 3$"


def test_glosses_state_each_rule():
    words = v.WORDS
    assert list(words) == ["supported", "conditional", "mixed", "contradicted", "no evidence", "association only",
                           "not testable"]
    # the legend under every table: each claim's rule in one line, so that no row contradicts it (C8's headline is
    # the share of the grid near the best, C0 and C4 rest on rules of their own)
    assert words["supported"] == (
        "significant in the claimed direction by the claim's rule, and nothing significant against it; the rule tests "
        "the pooled change for C1 to C3 and C5 to C7, the share of the grid near the best for C8, and has a form of "
        "its own for C0 (a majority rule) and C4 (a mechanism).")
    assert "nothing significant against" in words["supported"] and "nothing significant against" in words["conditional"]
    assert "only in part" in words["conditional"] and "not in the pooled test" in words["conditional"]
    assert "both for and against" in words["mixed"]
    assert words["contradicted"] == "significant in the opposite direction, and nothing significant for the claim."
    assert words["no evidence"].startswith("nothing significant in either direction (for C4: not both its rise and "
                                           "its link), so no effect detectable")
    assert "does not prove that there is none" in words["no evidence"]
    assert words["association only"].startswith("(C4)") and "at matched" in words["association only"]
    assert "no chaotic band between ordered phases" in words["not testable"]
    assert v.SUPPORTIVE == ("supported", "conditional")


# --- the claim list -----------------------------------------------------------------------------

def test_claim_list_one_bullet_per_row_with_every_further_test():
    link = dict(what="link", mean=0.25, ci_low=0.1, ci_high=0.4, p_value=0.002, n=12)
    other = dict(what="matched link", mean=-0.05, ci_low=NAN, ci_high=0.1, p_value=0.5, n=12)
    rows = [_row(secondary=(link, other)), _row("C1 (matched)", "no evidence", where="nowhere")]
    assert v.claim_list(rows).splitlines() == [
        "- **C1**: Dale raises accuracy. *Measured:* mean change of accuracy. *Verdict:* **supported**; holds in 3 "
        "of 20 cells. *Also:* link: mean $+0.25$ [$+0.10$, $+0.40$], $p = 0.002$, $n = 12$. *Also:* matched link: "
        "mean $-0.05$, $p = 0.5$, $n = 12$.",
        "- **C1 (matched)**: The same claim, compared at matched effective coupling. *Measured:* mean change of "
        "accuracy. *Verdict:* **no evidence**; nowhere."]


def test_claim_list_labels_a_holm_adjusted_p_beside_its_unadjusted_interval():
    side = dict(what="o/c boundary minus the band interior", mean=0.21, ci_low=0.15, ci_high=0.25, p_value=0.12, n=6,
                holm=4)
    assert v.claim_list([_row("C5", "no evidence", secondary=(side,))]).endswith(
        "*Also:* o/c boundary minus the band interior: mean $+0.21$ [$+0.15$, $+0.25$], $p = 0.12$ Holm-adjusted over "
        "the 4 tests of its family, interval unadjusted, $n = 6$.")


# --- the cell table -----------------------------------------------------------------------------

def _cell(task, point, strength, mean, p_holm, outcome):
    return dict(task=task, point_name=point, balance=0.0, strength=strength, mean=mean, p_holm=p_holm,
                outcome=outcome)


CELLS = (_cell("digits", "edge", 1.0, 0.0123, 0.0004, "holds"), _cell("digits", "chaotic", 2.0, -0.02, 0.5, ""),
         _cell("parity", "edge", 1.0, -0.0301, 0.01, "against"))


def test_cell_table_tasks_by_points_in_order_of_appearance_with_a_dash_for_a_missing_cell():
    assert v.cell_table(_row(details=CELLS)).splitlines() == [
        "| task | edge ($b = 0$, $w = 1$) | chaotic ($b = 0$, $w = 2$) |",
        "| --- | --- | --- |",
        r"| digits | $+0.012$, $4.0 \times 10^{-4}$ **holds** | $-0.020$, $0.5$ |",
        "| parity | $-0.030$, $0.01$ **against** | – |"]
    assert v.cell_table(_row(details=CELLS), wrap=_wrap).splitlines()[0] == (
        "<C1, verdict supported, cell by cell: mean paired change of accuracy per task and named point with its "
        "Holm-adjusted $p$; look for the cells marked holds or against.>")
    saturation = v.cell_table(_row("C4", "mixed", details=CELLS, measured="saturation under input"), wrap=_wrap)
    assert saturation.startswith("<C4, verdict mixed, cell by cell: mean paired change of saturation under input per")
    for details in ((), ({"task": "digits", "mean": 0.1},)):
        with pytest.raises(ValueError, match="per-cell tests, got C1"):
            v.cell_table(_row(details=details))


# --- the cluster table --------------------------------------------------------------------------

def _region(exhaustive=True, clusters=True):
    labels = np.array([[1, 1], [0, 2], [3, 4]]) if clusters else np.zeros((3, 2), int)
    data = {"cluster": (("balance", "strength"), labels)}
    if clusters:
        data.update(cluster_mass=("cluster_id", [5.3, -12.5, 2.0, -1.0]), cluster_size=("cluster_id", [2, 1, 1, 1]),
                    cluster_p=("cluster_id", [0.04, 0.01, 0.05, 0.9]), cluster_direction=("cluster_id", [1, -1, 1, -1]))
    coords = {"balance": [-1.0, 0.0, 1.0], "strength": [0.5, 1.0]}
    if clusters:
        coords["cluster_id"] = [1, 2, 3, 4]
    return xr.Dataset(data, coords=coords, attrs=dict(exhaustive=exhaustive, threshold=2.0, flips=64, instances=6,
                                                      min_p=2 / 64, alpha=0.05, claim="C1"))


NOTE = ("Cluster-forming threshold $|t| > 2.00$; all 64 sign patterns of the 6 instances; smallest attainable "
        "$p = 0.031$.")
HEAD = ["| cluster | direction | cells | $b$ | $w$ | mass | $p$ |", "| --- | --- | --- | --- | --- | --- | --- |"]
CLUSTERS = ["| 2 | opposite | 1 | $0$ | $1$ | $-12.5$ | $0.01$ **significant** |",
            "| 1 | claim | 2 | $-1$ | $0.5$ to $1$ | $+5.3$ | $0.04$ **significant** |",
            "| 3 | claim | 1 | $1$ | $0.5$ | $+2.0$ | $0.05$ |",
            "| 4 | opposite | 1 | $1$ | $1$ | $-1.0$ | $0.9$ |"]


def test_cluster_table_heaviest_first_every_significant_one_and_the_count_of_the_rest():
    assert v.cluster_table(_region()) == "\n".join(HEAD + CLUSTERS) + "\n\n" + NOTE
    # rows=1 still lists both significant clusters; p = alpha is not significant, so two are left out
    assert v.cluster_table(_region(), rows=1) == ("\n".join(HEAD + CLUSTERS[:2]) + "\n\n2 smaller clusters, none "
                                                  "significant, are not listed.\n\n" + NOTE)
    assert v.cluster_table(_region(), rows=3).endswith("| $0.05$ |\n\n1 smaller cluster, none significant, is not "
                                                       "listed.\n\n" + NOTE)
    assert v.cluster_table(_region(exhaustive=False)).endswith("; a seeded sample of 64 sign patterns of the 6 "
                                                               "instances; smallest attainable $p = 0.031$.")
    assert v.cluster_table(_region(clusters=False)) == "No cluster: no cell passes the threshold. " + NOTE
    assert v.cluster_table(_region(), wrap=_wrap) == (
        "<Clusters of the C1 map, heaviest first: direction relative to the claim, size, extent in $b$ and $w$, mass "
        "and permutation $p$; only those marked significant count as evidence.>\n" + "\n".join(HEAD + CLUSTERS)
        + "\n</>\n\n" + NOTE)


def _clusters_in_a_row(masses):
    """One cluster per balance, with the given masses, none significant."""
    k = len(masses)
    return xr.Dataset({"cluster": (("balance", "strength"), np.arange(1, k + 1)[:, None]),
                       "cluster_mass": ("cluster_id", np.asarray(masses, float)), "cluster_size": ("cluster_id", [1] * k),
                       "cluster_p": ("cluster_id", [0.5] * k), "cluster_direction": ("cluster_id", [1] * k)},
                      coords={"balance": np.arange(k) / 10, "strength": [1.0], "cluster_id": np.arange(1, k + 1)},
                      attrs=dict(exhaustive=True, threshold=2.0, flips=64, instances=6, min_p=2 / 64, alpha=0.05,
                                 claim="C2"))


def _listed(text):
    return [int(line.split(" | ")[0][2:]) for line in text.splitlines()[2:] if line.startswith("| ")]


def test_cluster_table_lists_six_clusters_by_default_and_ties_in_the_order_of_their_ids():
    text = v.cluster_table(_clusters_in_a_row(np.arange(8, 0, -1.0)))
    assert _listed(text) == [1, 2, 3, 4, 5, 6]
    assert "\n\n2 smaller clusters, none significant, are not listed.\n\n" in text
    tied = v.cluster_table(_clusters_in_a_row([1.0, -1.0] * 20 + [2.0]))   # a sort that is not stable reorders them
    assert _listed(tied) == [41, 1, 2, 3, 4, 5]


def test_coverage_text_in_whole_percent():
    assert v.coverage_text(0.254, 0.6) == (
        "significant clusters of the $(b, w)$ map lie on 25% of its cells in the claimed direction and on 60% against "
        "(where the evidence is, not how far the effect reaches)")


# --- the two readings ---------------------------------------------------------------------------

def _outcomes(*names):
    return tuple({"outcome": n} for n in names) + ({"task": "no outcome field"},)


SAME = _row(verdict="contradicted", effect=-0.0123, ci=(-0.02, -0.004), p=0.0031,
            details=_outcomes("holds", "against", "against", ""), coverage=(0.6, 0.35))
MATCHED = _row("C1 (matched)", "mixed", effect=0.0051, ci=(NAN, NAN), p=0.05, details=_outcomes("holds", "holds", "", ""))
TABLE = ["| C1 | verdict | $\\Delta$ [95% CI] | $p$ | cells for / against | map clusters for / against |",
         "| --- | --- | --- | --- | --- | --- |",
         "| same strength | **contradicted** | $-0.0123$ [$-0.0200$, $-0.0040$] | $0.0031$ | 1 / 2 of 4 | 60% / 35% |",
         "| matched coupling | **mixed** | $+0.0051$ | $0.05$ | 2 / 0 of 4 | – |"]
REVERSED = ("The mean change reverses its sign when the coupling is matched ($-0.0123$, significant, at the same "
            "strength; $+0.0051$, not significant, matched). Cells significant for the claim: 1 of 4 at the same "
            "strength, 2 of 4 matched; against: 2 and 0. The verdict changes from **contradicted** at the same "
            "strength to **mixed** at matched coupling, where the predicted bulks of the two networks reach the unit "
            "circle at the same strength.")


def test_readings_table_and_sentences_when_the_sign_and_the_word_change():
    assert v.readings([SAME, MATCHED]) == "\n".join(TABLE) + "\n\n" + REVERSED
    assert v.readings([MATCHED, SAME], wrap=_wrap) == (
        "<C1 read at the same strength and at matched coupling: verdict, headline change with its 95% interval and "
        "$p$, task-point cells and shares of the map in significant clusters, for and against the claim.>\n"
        + "\n".join(TABLE) + "\n</>\n\n" + REVERSED)


def test_readings_when_the_sign_and_the_word_stay_and_both_maps_were_tested():
    same = _row("C3", effect=0.015, p=0.01, coverage=(0.6, 0.0))
    matched = _row("C3 (matched)", effect=0.02, p=0.03, coverage=(0.8, 0.6))
    text = v.readings([same, matched])
    assert text.split("\n\n")[1] == (
        "The mean change keeps its sign ($+0.0150$, significant, at the same strength; $+0.0200$, significant, "
        "matched), and matching moves it by $+0.0050$. Cells significant for the claim: 0 of 0 at the same strength, "
        "0 of 0 matched; against: 0 and 0. Significant clusters of the map lie on 60% of it for the claim and 0% "
        "against at the same strength, on 80% and 60% matched. The verdict word is the same, **supported**; the "
        "numbers above say whether the evidence behind it is.")
    other = v.readings([_row("C2", effect=0.01), _row("C2 (matched)", "no evidence", effect=-0.02, p=0.5)])
    assert other.split("\n\n")[1].startswith("The mean change reverses its sign when the coupling is matched "
                                              "($+0.0100$, significant, at the same strength; $-0.0200$, not "
                                              "significant, matched).")
    both = v.readings([same, _row("C2"), SAME, matched, MATCHED, _row("C2 (extra)")])
    assert both == "\n".join(TABLE) + "\n\n" + REVERSED + "\n\n" + text          # C1 before C3; C2 has no pair
    assert v.readings([same, _row("C2", effect=0.01), _row("C2 (matched)", "no evidence", effect=-0.02, p=0.5),
                       matched]) == other + "\n\n" + text
    assert v.readings([same]) == v.readings([]) == ""


@pytest.mark.parametrize("effects, ps", [((-0.0002, 0.0004), (0.9, 0.8)),       # opposite signs, neither significant
                                         ((0.001, 0.002), (0.05, 0.5))])       # p = alpha is not significant
def test_readings_with_neither_change_significant_speak_of_no_direction(effects, ps):
    same = _row("C2", "no evidence", effect=effects[0], p=ps[0])
    matched = _row("C2 (matched)", "no evidence", effect=effects[1], p=ps[1])
    a, b = (v.number(x, 4, signed=True) for x in effects)
    assert v.readings([same, matched]).split("\n\n")[1] == (
        f"Neither mean change is distinguishable from zero (${a}$, not significant, at the same strength; ${b}$, not "
        "significant, matched), so there is no direction for matching the coupling to keep or reverse. Cells "
        "significant for the claim: 0 of 0 at the same strength, 0 of 0 matched; against: 0 and 0. The verdict word "
        "is the same, **no evidence**; the numbers above say whether the evidence behind it is.")
    # one significant reading is enough to speak of a reversal (the matched one here)
    flipped = v.readings([same, _row("C2 (matched)", effect=0.0004, p=0.01)]).split("\n\n")[1]
    assert flipped.startswith(f"The mean change {'reverses its sign when the coupling is matched' if effects[0] < 0 else 'keeps its sign'} (${a}$")


# --- C5, C6: boundaries, agreement, input strengths ------------------------------------------------

STRENGTHS = (dict(strength=1.5, band=(-0.2, 0.4), b_oc=-0.25, b_cf=0.45, accuracy_oc=0.812, accuracy_beyond_oc=0.7,
                  accuracy_cf=0.9, accuracy_beyond_cf=0.654, accuracy_chaotic=0.75, accuracy_interior=0.74,
                  peak_balance=0.4, peak_at="c/f boundary"),
             dict(strength=2.0, band=(0.1, 0.1), b_oc=0.05, accuracy_oc=0.6, accuracy_beyond_oc=0.5,
                  accuracy_chaotic=0.8, peak_balance=0.1, peak_at="chaotic"))
TESTS = (dict(test="o/c boundary", mean=0.05, ci_low=0.01, ci_high=0.09, p_value=0.004, p_holm=0.008, n=8,
              strengths=2),
         dict(test="c/f boundary", mean=-0.02, ci_low=-0.05, ci_high=0.01, p_value=0.2, p_holm=0.2, n=8, strengths=1))
BOUNDARIES = ["| $w$ | band | $b_{oc}$, $b_{cf}$ | accuracy at $b_{oc}$ / beyond | at $b_{cf}$ / beyond "
              "| in the band (interior) | peak at |",
              "| --- | --- | --- | --- | --- | --- | --- |",
              "| 1.5 | $-0.2$ to $0.4$ | $-0.250$, $0.450$ | 0.81 / 0.70 | 0.90 / 0.65 | 0.75 (0.74) "
              "| $b = 0.4$, c/f boundary |",
              "| 2 | $0.1$ | $0.050$, $–$ | 0.60 / 0.50 | – / – | 0.80 (–) | $b = 0.1$, chaotic |"]
BOUNDARY_TESTS = ["| test | mean [95% CI] | $p$ | Holm $p$ | instances | strengths |",
                  "| --- | --- | --- | --- | --- | --- |",
                  "| o/c boundary | $+0.050$ [$+0.010$, $+0.090$] | $0.004$ | $0.008$ | 8 | 2 |",
                  "| c/f boundary | $-0.020$ [$-0.050$, $+0.010$] | $0.2$ | $0.2$ | 8 | 1 |"]


def test_boundary_table_per_strength_then_the_tests():
    c5 = _row("C5", details=STRENGTHS + TESTS)
    assert v.boundary_table(c5) == "\n".join(BOUNDARIES) + "\n\n" + "\n".join(BOUNDARY_TESTS)
    assert v.boundary_table(_row("C6", details=STRENGTHS)) == "\n".join(BOUNDARIES)
    wrapped = v.boundary_table(_row("C6", details=STRENGTHS + TESTS), wrap=_wrap)
    assert wrapped == (
        "<The chaotic band and its two boundaries at each analysed strength, with the instance-mean accuracy at, beyond "
        "and inside them and where the accuracy peaks: compare the boundary columns with the band.>\n"
        + "\n".join(BOUNDARIES) + "\n</>\n\n<The tests of C6 per boundary or side over the instances, with raw and "
        "Holm-adjusted $p$: a positive mean supports the claim.>\n" + "\n".join(BOUNDARY_TESTS) + "\n</>")
    assert v.boundary_table(_row("C6", details=TESTS)) == ("No strength of the grid has a chaotic band, so the rule "
                                                            "has nothing to test.")
    with pytest.raises(ValueError, match="row must be claim C5 or C6, got C1"):
        v.boundary_table(_row("C1", details=STRENGTHS))


def _peaks(*places):
    return tuple({"peak_at": p} for p in places) + ({"test": "no peak field"},)


EVERY_PLACE = ("At the 7 strengths with a chaotic band, the most accurate balance lies in an undetermined cell at 1, "
               "in an irregular cell at 1, in the fixed-point phase at 1, in the oscillatory phase at 1, inside the "
               "chaotic band at 1, at the chaotic/fixed-point boundary at 1 and at the oscillatory/chaotic boundary "
               "at 1.")


@pytest.mark.parametrize("places, sentence", [
    (("oscillatory", "chaotic", "c/f boundary", "chaotic"),
     "At the 4 strengths with a chaotic band, the most accurate balance lies inside the chaotic band at 2, in the "
     "oscillatory phase at 1 and at the chaotic/fixed-point boundary at 1."),                 # ties: first seen first
    (("o/c boundary",), "At the 1 strength with a chaotic band, the most accurate balance lies at the "
                        "oscillatory/chaotic boundary at 1."),
    (("fixed", "chaotic"), "At the 2 strengths with a chaotic band, the most accurate balance lies in the "
                           "fixed-point phase at 1 and inside the chaotic band at 1."),
    (("elsewhere", "elsewhere"), "At the 2 strengths with a chaotic band, the most accurate balance lies elsewhere at 2."),
    (("undetermined", "irregular", "fixed", "oscillatory", "chaotic", "c/f boundary", "o/c boundary"), EVERY_PLACE),
    ((), "No strength of the grid has a chaotic band."),
])
def test_agreement_says_where_the_accuracy_peaks(places, sentence):
    c5, c6 = _row("C5", "conditional", details=_peaks(*places)), _row("C6", "mixed")
    assert v.baseline_agreement(c5, c6) == (":::{note}\n**Our baseline agrees at least in part with the authors' "
                                            "earlier baseline:** C5 reads **conditional** and C6 **mixed**. "
                                            f"{sentence}\n:::")


WHERE = ("At the 1 strength with a chaotic band, the most accurate balance lies inside the chaotic band at 1.")
CONSEQUENCE = (f" {WHERE} Our model, reconstructed from abstracts, therefore differs from the authors' own in a way that "
               "matters for reservoir accuracy before any regularity is added; our verdicts on C1 to C4 speak for *our* "
               "reconstruction, and they can speak for the paper only as far as its networks behave like ours.\n:::")


@pytest.mark.parametrize("words, effect, text", [
    (("contradicted", "contradicted"), -0.0123,
     "C5 reads **contradicted** and C6 **contradicted**: the digits accuracy lies significantly below a side of a "
     "boundary of the chaotic band (gain at the boundary: $-0.012$), and the band is more accurate than the ordered "
     "phases beside it (band minus ordered: $+0.034$)."),
    (("no evidence", "mixed"), 0.0123,
     "C5 reads **no evidence** and C6 **mixed**: the digits accuracy shows no significant peak at the boundaries of "
     "the chaotic band (gain at the boundary: $+0.012$), and the ordered phases beside the band are not significantly "
     "more accurate than the band." + CONSEQUENCE.replace(
         f" {WHERE}", f" {WHERE} The disagreement rests on C6 alone: C5's **no evidence** means that nothing "
                      "significant was found, not that the claim fails.", 1)),
])
def test_agreement_when_our_baseline_disagrees(words, effect, text):
    c5 = _row("C5", words[0], effect=effect, measured="gain at the boundary", details=_peaks("chaotic"))
    c6 = _row("C6", words[1], effect=0.034, measured="band minus ordered")
    expected = text if text.endswith(":::") else text + CONSEQUENCE
    assert v.baseline_agreement(c5, c6) == (":::{important}\n**Our baseline disagrees with the authors' earlier "
                                            "baseline.** " + expected)


def test_agreement_when_neither_claim_finds_anything_is_not_a_disagreement():
    c5 = _row("C5", "no evidence", effect=0.0123, measured="gain at the boundary", details=_peaks("chaotic"))
    assert v.baseline_agreement(c5, _row("C6", "no evidence", effect=0.034, measured="band minus ordered")) == (
        ":::{important}\n**Our baseline does not reproduce the authors' earlier baseline.** C5 reads **no evidence** "
        "and C6 **no evidence**: the digits accuracy shows no significant peak at the boundaries of the chaotic band "
        "(gain at the boundary: $+0.012$), and the ordered phases beside the band are not significantly more accurate "
        f"than the band. {WHERE} Our model, reconstructed from abstracts, may differ from the authors' own here, or "
        "these instances are too few to show what they found; our verdicts on C1 to C4 speak for *our* "
        "reconstruction, and they can speak for the paper only as far as its networks behave like ours.\n:::")


def test_agreement_when_one_claim_is_supported_untestable_or_undecidable():
    peaks = _peaks("chaotic")
    agree = v.baseline_agreement(_row("C5", "mixed", details=peaks), _row("C6", "supported"))
    assert agree.startswith(":::{note}\n**Our baseline agrees at least in part") and "C6 **supported**" in agree
    assert v.baseline_agreement(_row("C5", "not testable", details=peaks), _row("C6", "not testable")) == (
        ":::{note}\nThe authors' earlier baseline could not be tested here: C5 reads **not testable** and C6 **not "
        "testable**, since no strength of this profile's grid shows a chaotic band between an oscillatory and a "
        "fixed-point phase.\n:::")
    half = v.baseline_agreement(_row("C5", "not testable", details=peaks), _row("C6", "no evidence"))
    assert half.startswith(":::{important}\n**Our baseline does not reproduce")
    # five instances: the smallest sign-flip p is 2^(1-5) = 0.0625; the note holds up to alpha = 0.0625 itself
    few = _row("C5", "no evidence", n=5, details=peaks, alpha=0.0625)
    assert v.baseline_agreement(few, _row("C6", "no evidence")) == (
        ":::{note}\nWith 5 instances no sign-flip test can reach $p < 0.0625$, so here C5 reads **no evidence** and C6 "
        f"**no evidence** only by default; the paper profile decides. {WHERE}\n:::")
    for row in (_row("C5", "no evidence", n=6, details=peaks, alpha=0.0625), _row("C5", "no evidence", n=0)):
        assert v.baseline_agreement(row, _row("C6", "no evidence")).startswith(":::{important}")


def test_inputs_table_one_row_per_input_strength():
    c5 = _row("C5", effect=0.0123, p=0.0031, details=_peaks("chaotic", "o/c boundary", "c/f boundary", "fixed"))
    c6 = _row("C6", "mixed", effect=-0.004, p=0.2)
    none5, none6 = _row("C5", "no evidence", effect=0.0, p=0.9), _row("C6", "not testable", effect=NAN, p=NAN)
    results = [dict(variant="input_strength=0.1", c5=c5, c6=c6), dict(variant="input_strength=3", c5=none5, c6=none6),
               dict(variant="default", c5=_row("C5", details=_peaks("chaotic", "o/c boundary")), c6=c6),
               dict(variant="input_strength=1", c5=_row("C5", details=_peaks("c/f boundary", "fixed")), c6=c6)]
    lines = ["| input strength | C5 | C6 | peak inside the band | peak at a boundary | peak elsewhere |",
             "| --- | --- | --- | --- | --- | --- |",
             "| 0.1 | **supported** ($+0.012$, $p = 0.0031$) | **mixed** ($-0.004$, $p = 0.2$) | 1 of 4 | 2 of 4 "
             "| 1 of 4 |",
             "| 3 | **no evidence** ($+0.000$, $p = 0.9$) | **not testable** ($–$, –) | – | – | – |"]
    assert v.inputs_table(results[:2]) == "\n".join(lines)
    assert v.inputs_table(results[:2], wrap=_wrap) == (
        "<C5 and C6 at each input strength, with the same phase boundaries: verdict, headline effect and $p$, and "
        "where the accuracy peaks; look for an input strength at which the verdicts change.>\n" + "\n".join(lines)
        + "\n</>")
    # the headline minimum of C5 below zero: its p is not counted by the rule, and the cell says so when it is small
    minimum = _row("C5", "no evidence", effect=-0.024, p=0.031, n=6, measured=v.HEADLINE_MINIMA["C5"])
    cells = v.inputs_table([dict(variant="input_strength=1", c5=minimum, c6=c6),
                            dict(variant="input_strength=2", c5=_row("C5", "no evidence", effect=-0.024, p=0.05,
                                                                     measured=v.HEADLINE_MINIMA["C5"]), c6=c6)])
    assert cells.splitlines()[2].startswith("| 1 | **no evidence** ($-0.024$, $p = 0.031$ not counted) | **mixed** "
                                            "($-0.004$, $p = 0.2$) |")
    assert cells.splitlines()[3].startswith("| 2 | **no evidence** ($-0.024$, $p = 0.05$) |")
    rows = v.inputs_table(results).splitlines()[4:]
    assert rows[0].startswith("| default | **supported**") and rows[0].endswith("| 1 of 2 | 1 of 2 | 0 of 2 |")
    assert rows[1].startswith("| 1 | **supported**") and rows[1].endswith("| 0 of 2 | 1 of 2 | 1 of 2 |")


# --- the direction table ------------------------------------------------------------------------

def _direction(variant, point, mean, outcome, regularity="dale", reference=0.045, claimed=1, p=0.01):
    return dict(regularity=regularity, variant=variant, point=point, mean=mean, outcome=outcome,
                reference_mean=reference, claimed=claimed, p_value=p)


def test_direction_table_variants_by_points_with_the_pooled_column_last_and_a_sentence():
    rows = [_direction("noise", "all", -0.001, "opposite, n.s.", p=0.001), _direction("default", "all", 0.045, "same"),
            _direction("default", "a", 0.05, "same", p=0.9), _direction("default", "b", 0.04, "same"),
            _direction("noise", "a", -0.03, "reversed"),
            _direction("default", "all", -0.2, "same", regularity="reciprocity", reference=-0.2)]
    table = ["| variant | a | b | all points |", "| --- | --- | --- | --- |",             # variants as first seen
             "| `noise` | $-0.030$ **reversed** | – | $-0.001$ *opposite, n.s.* |",
             "| `default` | $+0.050$ | $+0.040$ | $+0.045$ |"]
    sentence = ("Pooled over the points, the reference `default` changes accuracy by $+0.045$ ($p = 0.01$; claimed: "
                "up); its direction survives in 0 of the 1 other variant; 1 goes the other way without significance.")
    assert v.direction_table(rows, "dale") == "\n".join(table) + "\n\n" + sentence
    assert v.direction_table(rows, "dale", wrap=_wrap) == (
        "<Direction of the dale accuracy change under each modelling variant, per named point and pooled: entries "
        "marked reversed go significantly against the reference variant.>\n" + "\n".join(table) + "\n</>\n\n"
        + sentence)
    # the default itself is not significant (p = alpha): nothing to survive, the others' own significant changes
    weak = [_direction("default", "all", -0.02, "same", reference=-0.02, claimed=-1, p=0.05),
            _direction("noise", "all", -0.01, "same", reference=-0.02, claimed=-1),
            _direction("size", "all", 0.03, "opposite, n.s.", reference=-0.02, claimed=-1, p=0.2),
            _direction("gain", "all", 0.04, "reversed", reference=-0.02, claimed=-1, p=0.001),
            _direction("rate", "all", 0.05, "reversed", reference=-0.02, claimed=-1, p=0.049)]
    assert v.direction_table(weak, "dale").endswith(
        "by $-0.020$ ($p = 0.05$; claimed: down), which is not significant, so there is no direction to survive or "
        "reverse; of the 4 other variants, 2 raise accuracy significantly and 1 lowers it (unadjusted $p < 0.05$).")
    assert v.direction_table(weak[:2], "dale", alpha=0.005).endswith(
        "of the 1 other variant, 0 raise accuracy significantly and 0 lower it (unadjusted $p < 0.005$).")
    # a significant default: the other variants that keep, reverse or only oppose its direction
    strong = [dict(r, p_value=0.001 if r["variant"] == "default" else r["p_value"]) for r in weak]
    assert v.direction_table(strong, "dale").endswith(
        "by $-0.020$ ($p = 0.001$; claimed: down); its direction survives in 1 of the 4 other variants; 2 reverse it "
        "significantly and 1 goes the other way without significance.")
    assert v.direction_table(strong[:3:2], "dale").endswith("its direction survives in 0 of the 1 other variant; 1 "
                                                           "goes the other way without significance.")
    unclaimed = [_direction("default", "all", 0.01, "same", reference=0.01, claimed=0)]   # beyond the paper
    assert v.direction_table(unclaimed, "dale").endswith("($p = 0.01$; claimed: no direction); no other variant was "
                                                         "run.")
    with pytest.raises(ValueError, match=r"regularity must be one of \['dale', 'reciprocity'\], got 'modularity'"):
        v.direction_table(rows, "modularity")


def test_glossary_accepts_rows_and_words_and_names_the_unknown_ones():
    assert v.glossary([_row(verdict="mixed"), "mixed", "no evidence"]) == (
        f"- **mixed**: {v.WORDS['mixed']}\n- **no evidence**: {v.WORDS['no evidence']}")
    assert v.glossary([]) == ""
    with pytest.raises(ValueError, match=r"words must be verdict words \[.*\], got \['holds', 'nope'\]"):
        v.glossary(["nope", "holds", "mixed"])


# --- the scorecard line (rnnlib.claims.summary): found, verdict, robustness -------------------------

from rnnlib.claims import boundaries as bd  # noqa: E402
from rnnlib.claims import protection as pr  # noqa: E402
from rnnlib.claims import summary as sm  # noqa: E402


@pytest.mark.parametrize("family, alpha, n", [(1, 0.05, 6), (2, 0.05, 7), (4, 0.05, 8), (2, 0.07, 6), (2, 0.0625, 7),
                                              (1, 0.5, 3)])
def test_minimum_instances_is_the_first_n_whose_smallest_holm_p_is_below_alpha(family, alpha, n):
    assert bd.minimum_instances(family, alpha) == n
    assert family * 2.0 ** (1 - n) < alpha <= family * 2.0 ** (2 - n)


def test_instance_limits_name_the_tests_that_cannot_count():
    assert bd.instance_limits("C5", 6) == (
        "with 6 instances, too few for the 2 per-boundary tests for the claim (Holm-adjusted over 2: at least 7 needed) "
        "and the 4 contrasts against it (Holm-adjusted over 4: at least 8 needed) to reach p < 0.05")
    assert bd.instance_limits("C5", 7) == ("with 7 instances, too few for the 4 contrasts against it (Holm-adjusted "
                                           "over 4: at least 8 needed) to reach p < 0.05")
    assert bd.instance_limits("C6", 6) == ("with 6 instances, too few for the 2 per-side tests (Holm-adjusted over 2: "
                                           "at least 7 needed) to reach p < 0.05")
    assert bd.instance_limits("C6", 5, 0.05) == (
        "with 5 instances, too few for the headline tests (at least 6 needed) and the 2 per-side tests (Holm-adjusted "
        "over 2: at least 7 needed) to reach p < 0.05")
    assert bd.instance_limits("C6", 6, alpha=0.07) == bd.instance_limits("C5", 8) == bd.instance_limits("C5", 0) == ""
    with pytest.raises(ValueError, match="claim must be 'C5' or 'C6', got 'C1'"):
        bd.instance_limits("C1", 6)


def _c5(measured=v.HEADLINE_MINIMA["C5"], effect=-0.0236, p=0.031, verdict="no evidence", n=6):
    return _row("C5", verdict, effect=effect, ci=(-0.0377, -0.0138), p=p, n=n, measured=measured)


C5_LIMITS = ("with 6 instances, too few for the 2 per-boundary tests for the claim (Holm-adjusted over 2: at least 7 "
             "needed) and the 4 contrasts against it (Holm-adjusted over 4: at least 8 needed) to reach p < 0.05")


def test_c5_found_does_not_quote_the_uncounted_minimum_as_a_finding():
    assert v.uncounted(_c5()) and v.uncounted(_c5(p=0.9)) and not v.uncounted(_c5(effect=0.01))
    assert not v.uncounted(_row("C1", effect=-0.1, measured=v.HEADLINE_MINIMA["C5"]))        # C5's text, not C5
    assert sm.found_direction(_c5()) == ("not counted: an edge below a side (p = 0.031), since a minimum of two noisy "
                                         "means leans negative even without any effect")
    assert sm.found_direction(_c5(p=0.05)) == "no significant change (p = 0.05)"
    assert sm.found_direction(_c5(effect=0.02)) == "edges above their sides (p = 0.031)"           # counted for
    against = _c5(measured="accuracy at the boundary minus each of its two sides, averaged", verdict="contradicted")
    assert sm.found_direction(against) == "an edge below a side (p = 0.031)"                       # counted against
    c6 = _row("C6", "mixed", effect=-0.16, p=0.031, measured=v.HEADLINE_MINIMA["C6"])
    assert sm.found_direction(c6).startswith("not counted: chaos better (p = 0.031), since")


def test_c5_line_says_which_tests_cannot_count_with_its_instances():
    line = sm.line(_c5())
    assert line.verdict_note == C5_LIMITS
    row = sm.table([line]).splitlines()[2]
    assert row == ("| **C5** Baseline accuracy peaks at both edges of the chaotic band | edges above both sides | not "
                   "counted: an edge below a side (p = 0.031), since a minimum of two noisy means leans negative even "
                   "without any effect | **no evidence** | \u22122.4 [\u22123.8, \u22121.4] accuracy "
                   f"points | 6 | power: {C5_LIMITS} |")
    assert sm.line(_c5(n=8)).verdict_note == "" and sm.line(_row("C1", n=3)).verdict_note == ""
    assert sm.line(_c5(verdict="not testable", n=0)).verdict_note == ""


def _c8(share=-0.076, share_p=0.062, flat=0.109, flat_p=0.031, verdict="supported"):
    levels = dict(best=0.942, share_baseline=0.21, share_controlled=0.21 + share, spread_baseline=0.201,
                  spread_controlled=0.201 - flat)
    return _row("C8", verdict, effect=share, ci=(-0.171, 0.003), p=share_p, n=6, details=(levels,),
                secondary=(dict(what="spread", mean=flat, ci_low=0.05, ci_high=0.2, p_value=flat_p, n=6),))


@pytest.mark.parametrize("kw, text", [
    ({}, "flatter, not higher: the spread of accuracy over the grid fell from 0.201 to 0.092 (p = 0.031) while the "
         "share of the grid near the best fell from 21% to 13% (not significant, p = 0.062)"),
    ({"share": 0.1, "share_p": 0.01}, "flatter and higher: the spread of accuracy over the grid fell from 0.201 to "
                                      "0.092 (p = 0.031) while the share of the grid near the best rose from 21% to "
                                      "31% (p = 0.01)"),
    ({"share": 0.1, "share_p": 0.0004, "flat": -0.05}, "less flat but higher: the spread of accuracy over the grid "
                                                       "rose from 0.201 to 0.251 (p = 0.031) while the share of the "
                                                       "grid near the best rose from 21% to 31% (p < 0.001)"),
    ({"share": -0.1, "share_p": 0.01, "flat_p": 0.05}, "lower, not flatter: the share of the grid near the best fell "
                                                       "from 21% to 11% (p = 0.01) while the spread of accuracy over "
                                                       "the grid fell from 0.201 to 0.092 (not significant, p = 0.05)"),
    ({"share_p": 0.5, "flat_p": 0.5}, "neither flatter nor higher: the spread of accuracy over the grid fell from "
                                      "0.201 to 0.092 (not significant, p = 0.5) while the share of the grid near the "
                                      "best fell from 21% to 13% (not significant, p = 0.5)"),
])
def test_c8_found_says_what_its_verdict_rests_on(kw, text):
    row = _c8(**kw)
    assert pr.gain_control_found(row) == sm.found_direction(row) == text
    assert sm.line(row).found == text
    with pytest.raises(ValueError, match="row must be a C8 row of claim_gain_control, got 'C7'"):
        pr.gain_control_found(_row("C7", details=row.details, secondary=row.secondary))


def test_c7_found_names_its_significant_signals_when_the_pooled_change_is_not():
    points = tuple({"outcome": o} for o in ("holds", "holds", "", "against"))
    gap = dict(what="gap", mean=0.154, ci_low=0.1, ci_high=0.2, p_value=0.0003, n=16)
    row = _row("C7", effect=0.004, p=0.2, details=points, secondary=(gap,))
    assert sm.found_direction(row) == ("no significant change (p = 0.2); significant: 2 strong points up, 1 strong "
                                       "point down, saturation gap wider (p < 0.001)")
    quiet = _row("C7", "no evidence", effect=0.004, p=0.2, details=points[2:3], secondary=(dict(gap, p_value=0.05),))
    assert sm.found_direction(quiet) == "no significant change (p = 0.2)"
    assert sm.found_direction(_row("C7", effect=0.034, p=0.0001, details=points, secondary=(gap,))) == "up (p < 0.001)"


def _sens(variant, point, mean, outcome, p, regularity="dale", reference=-0.051):
    return dict(regularity=regularity, variant=variant, point=point, mean=mean, outcome=outcome, p_value=p,
                reference_mean=reference)


def test_reversal_note_with_a_significant_reference_counts_the_other_variants_and_the_single_points():
    rows = [_sens("default", "all", -0.051, "same", 3e-5), _sens("balanced", "all", 0.074, "reversed", 0.001),
            _sens("noise", "all", -0.03, "same", 0.01), _sens("default", "a", -0.05, "same", 0.01),
            _sens("balanced", "a", 0.08, "reversed", 0.001), _sens("noise", "a", 0.01, "reversed", 0.04),
            _sens("noise", "b", -0.01, "same", 0.3)]
    assert sm.reversal_note(rows, "dale", "C1") == ("pooled over the points, reversed by `balanced` (+7.4, the claimed "
                                                    "direction); at single points, 2 of 3 entries reverse it")
    assert sm.reversal_note(rows, "dale", "C3") == ("pooled over the points, reversed by `balanced` (+7.4, against "
                                                    "the claim); at single points, 2 of 3 entries reverse it")
    kept = [r for r in rows if r["variant"] != "balanced"]
    assert sm.reversal_note(kept, "dale", "C1") == ("pooled over the points, none of the 1 sensitivity variant "
                                                    "reverses the direction; at single points, 1 of 2 entries reverse it")
    assert sm.reversal_note(kept[:3], "dale", "C1") == ("pooled over the points, none of the 1 sensitivity variant "
                                                        "reverses the direction")
    with pytest.raises(ValueError, match=r"regularity must be one of \['dale'\], got 'modularity'"):
        sm.reversal_note(rows, "modularity", "C2")


def test_reversal_note_with_a_reference_that_is_not_significant_reports_each_variants_own_effect():
    rows = [_sens("default", "all", 0.0002, "same", 0.98, "modularity", 0.0002),
            _sens("variance", "all", 0.126, "same", 1e-4, "modularity", 0.0002),
            _sens("unequal", "all", -0.001, "opposite, n.s.", 0.9, "modularity", 0.0002),
            _sens("sparse", "all", -0.02, "reversed", 0.01, "modularity", 0.0002),
            _sens("sparse", "a", -0.02, "reversed", 0.01, "modularity", 0.0002)]
    start = "sensitivity (digits task): `default` itself changes digits accuracy by +0.0 (p = 0.98), so there is no direction to reverse; "
    assert sm.reversal_note(rows, "modularity", "C2") == start + (
        "pooled over the points, significant (unadjusted p < 0.05) for the claim under `variance` (+12.6); against it "
        "under `sparse` (\u22122.0)")
    assert sm.reversal_note(rows, "modularity", "C3") == start + (
        "pooled over the points, significant (unadjusted p < 0.05) for the claim under `sparse` (\u22122.0); against "
        "it under `variance` (+12.6)")
    assert sm.reversal_note(rows[:3], "modularity", "C3") == start + (
        "pooled over the points, significant (unadjusted p < 0.05) against the claim under `variance` (+12.6)")
    assert sm.reversal_note(rows, "modularity", "C2", alpha=1e-5) == start + (
        "pooled over the points, none of the 3 other variants changes it significantly")
    assert sm.reversal_note(rows[:1], "modularity", "C2") == start + (
        "pooled over the points, none of the 0 other variants changes it significantly")
