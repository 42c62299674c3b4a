"""The sentences chapters print: numbers computed from the figure data, on small synthetic datasets."""
import numpy as np
import pytest
import xarray as xr

import rnnlib
from rnnlib.book import chapter
from rnnlib.claims.scorecard import ClaimResult


def _lyapunov(w, lam):
    return xr.Dataset({"lyapunov": (("strength", "instance"), np.repeat(np.asarray(lam, float)[:, None], 2, 1))},
                      coords={"strength": w, "instance": [0, 1]})


def test_chaos_onset_interpolates_the_first_sign_change():
    # mean goes -0.2, -0.1, +0.3: the zero lies a quarter of the way from w = 1.0 to w = 1.2
    ds = _lyapunov([0.8, 1.0, 1.2, 1.4], [-0.2, -0.1, 0.3, 0.5])
    assert chapter.chaos_onset(ds) == pytest.approx(1.05)
    # instances are averaged first, and the grid order does not matter
    spread = xr.Dataset({"lyapunov": (("strength", "instance"), [[0.3, 0.3], [-0.3, 0.1], [-0.2, -0.2]])},
                        coords={"strength": [1.2, 1.0, 0.8], "instance": [0, 1]})
    assert chapter.chaos_onset(spread) == pytest.approx(1.0 + 0.2 * 0.1 / 0.4)


def test_chaos_onset_is_nan_without_a_crossing():
    assert np.isnan(chapter.chaos_onset(_lyapunov([0.5, 1.0], [-0.5, -0.1])))
    assert np.isnan(chapter.chaos_onset(_lyapunov([1.5, 2.0], [0.1, 0.2])))


def test_chaos_onset_of_the_mean_field_curve_is_one():
    w = np.linspace(0.5, 2.0, 31)
    lam = [rnnlib.model.theory.meanfield_lyapunov(x) for x in w]
    assert chapter.chaos_onset(_lyapunov(w, lam)) == pytest.approx(1.0, abs=0.01)


def test_lyapunov_agreement_reports_the_residual_above_the_cut():
    curve = xr.Dataset({"residual": ("strength", [0.5, -0.02, 0.04])}, coords={"strength": [1.0, 1.5, 2.0]})
    text = chapter.lyapunov_agreement(curve, 1.07)
    assert "$w \\approx 1.07$" in text
    assert "by 0.030 on average (largest 0.040)" in text   # 0.5 at w = 1 lies below the cut


def test_examples_share_their_random_numbers():
    ex = chapter.examples("reciprocity", (0.0, 1.0))
    assert list(ex) == ["H = 0", "H = 1"]
    np.testing.assert_array_equal(ex["H = 0"], rnnlib.make_weights(100, 1.5, 0.0, seed=1))
    np.testing.assert_allclose(ex["H = 1"], ex["H = 1"].T)
    with pytest.raises(ValueError, match="regularity"):
        chapter.examples("hebbian")


def test_regime_change_counts_moved_cells():
    low = xr.DataArray([[0, 1], [2, 3]], dims=("balance", "strength"))
    change = xr.Dataset({"low": low, "high": low.where(low != 3, 2), "difference": low * 0.0 + 0.25},
                        attrs={"control": "dale"})
    text = chapter.regime_change(change)
    assert "$D = 0$ and $D = 1$ at 1 of 4 grid points" in text and "+0.250" in text


def test_accuracy_map_names_the_extremes():
    d = xr.DataArray([[0.1, -0.3], [0.2, 0.0]], dims=("balance", "strength"),
                     coords={"balance": [-0.5, 0.5], "strength": [1.0, 2.0]})
    text = chapter.accuracy_map(xr.Dataset({"difference": d}))
    assert text.startswith("Accuracy rises on 50% of the grid; the mean change over the grid is +0.000")
    assert "largest rise is +0.200 at $b = 0.5$, $w = 1$" in text
    assert "largest fall -0.300 at $b = -0.5$, $w = 2$" in text


def test_accuracy_claim_says_where_and_the_smallest_reachable_p_value_not_the_tables_numbers():
    v = ClaimResult("C1", "", "", 0.01, -0.01, 0.03, 0.2, 6, "no evidence", "holds in 0 of 4 task-point cells")
    text = chapter.accuracy_claim(v, 6)
    assert text.startswith("**C1, cell by cell.** The claim holds in 0 of 4 task-point cells. With 6 instances")
    assert "can reach is 0.031" in text    # 2 / 2**6
    assert "0.0100" not in text and "no evidence" not in text      # the claim table above gives them


def test_modules_sentence_names_every_k_shown():
    ds = xr.Dataset(coords={"modules": [2, 4, 8, 16]})
    assert chapter.modules_shown(ds) == "$K = 2$, $4$, $8$ and $16$"
    rows = [{"modules": k, "mean": 0.01 * k, "ci_low": 0.0, "ci_high": 0.1, "p_value": 0.5} for k in (2, 4, 8, 16)]
    text = chapter.modules_change(rows, ds)
    assert text.startswith("The figure shows $K = 2$, $4$, $8$ and $16$ modules.")
    assert "$K = 16$: +0.160" in text


def test_spectral_radii_and_table_use_the_eigenvalues():
    spectra = {"eigenvalues": {"b = 0": np.array([0.5, -1.25j]), "b = 1": np.array([2.0])},
               "radius": {"b = 0": 1.0, "b = 1": 0.5}, "outlier": {"b = 0": 0.0, "b = 1": 3.0}}
    assert chapter.spectral_radii(spectra).startswith("Spectral radius: $b = 0$: 1.250, $b = 1$: 2.000")
    table = chapter.spectrum_table(spectra, (0, 1)).splitlines()
    assert table[2] == "| 0 | 1.000 | 1.250 | +0.000 |" and table[3] == "| 1 | 0.500 | 2.000 | +3.000 |"


def test_undefined_signatures_lists_the_gaps_per_point():
    corr = xr.DataArray([[np.nan, np.nan, 0.4], [0.1, 0.2, 0.3], [np.nan] * 3], dims=("point", "reciprocity"),
                        coords={"point": ["ordered", "edge", "excitatory"], "reciprocity": [0.0, 0.5, 1.0]})
    text = chapter.undefined_signatures(xr.Dataset({"pairwise_correlation": corr}))
    assert "at *ordered* at $H = 0$ and $0.5$; *excitatory* at every $H$." in text
    assert "edge" not in text
    full = xr.Dataset({"pairwise_correlation": corr.fillna(0.5)})
    assert chapter.undefined_signatures(full) == "The pairwise correlation is defined at every point and every $H$."


def test_predicted_spectra_and_effective_gain_follow_the_bulk_theory():
    shrink = np.sqrt(1 - 2 / np.pi)
    spectra = chapter.predicted_spectra("dale", (0.0, 1.0))
    assert list(spectra) == ["D = 0", "D = 1"]
    assert spectra["D = 1"].radius == pytest.approx(chapter.EXAMPLE["strength"] * shrink)
    assert spectra["D = 0"].outliers == () and spectra["D = 1"].outliers == ()   # b = 0: no outlier
    assert len(chapter.predicted_spectra("modularity", (1.0,), balance=0.45)["M = 1"].outliers) == 4
    assert chapter.effective_gain("dale") == pytest.approx({0.0: 1.0, 1.0: shrink})
    assert chapter.effective_gain("reciprocity", (0.5, 1.0)) == pytest.approx({0.5: 1.5, 1.0: 2.0})
    assert chapter.effective_gain("modularity") == pytest.approx({0.0: 1.0, 1.0: 1.0})
    with pytest.raises(ValueError, match="regularity"):
        chapter.effective_gain("sparsity")


def test_bulk_agreement_sets_predicted_outliers_aside():
    spectra = {"eigenvalues": {"D = 1": np.array([3.0, 1.0 + 0.2j, 0.4 - 0.9j])},
               "bulk": {"D = 1": 1.1 * np.exp(1j * np.linspace(0, 2 * np.pi, 9))},
               "outliers": {"D = 1": np.array([2.9 + 0j])}}
    text = chapter.bulk_agreement(spectra)
    # the outlier 3 is set aside; the bulk's extent is the largest modulus left, |1 + 0.2i| = 1.02
    assert "$D = 1$: predicted 1.10, measured 1.02 (predicted outliers at 2.90)" in text


def _lyapunov_curve(mean):
    w = np.array([0.5, 1.0, 1.5, 2.0])
    return xr.Dataset({"mean": (("dale", "strength"), mean), "residual": (("dale", "strength"), np.full((2, 4), 0.05)),
                       "effective": (("dale", "strength"), np.array([1.0, 0.5])[:, None] * w)},
                      coords={"dale": [0.0, 1.0], "strength": w})


def test_lyapunov_theory_separates_the_loss_of_stability_from_the_onset_of_chaos():
    curve = _lyapunov_curve(np.array([[-0.5, -0.1, 0.3, 0.5], [-0.9, -0.5, -0.2, -0.1]]))
    text = chapter.lyapunov_theory(curve)
    # theory: w = 1/g (g = 1 and 0.5); measured: the mean turns positive between 1.0 and 1.5, at 1 + 0.5 * 0.1 / 0.4
    assert text.startswith("At $D = 0$ the quiet state $x = 0$ loses its stability at $w \\approx 1.00$ by theory")
    assert "measured mean exponent first turns positive (the onset of chaos) at $w \\approx 1.12$" in text
    assert "(where the mean-field exponent reaches zero), while the measured" in text
    assert ("at $D = 1$ the quiet state loses its stability at $w \\approx 2.00$ by theory, while the measured mean "
            "exponent stays at or below zero up to $w = 2$ (no chaos on the grid)") in text
    assert text.count("0.050 from the theory curve") == 2 and "chaos sets in" not in text
    early = chapter.lyapunov_theory(_lyapunov_curve(np.array([[0.1, 0.2, 0.3, 0.5], [-0.9, -0.5, -0.2, -0.1]])))
    assert "is positive already at the smallest strength, $w = 0.5$" in early


def test_effective_onset_is_the_ratio_of_the_onset_of_chaos_to_the_loss_of_stability():
    text = chapter.effective_onset(_lyapunov_curve(np.array([[-0.5, -0.1, 0.3, 0.5], [-0.9, -0.5, -0.2, -0.1]])))
    assert text.endswith("($w = 1/g$): $D = 0$: 1.12.")       # D = 1 has no onset on the grid: left out
    none = chapter.effective_onset(_lyapunov_curve(np.full((2, 4), -0.2)))
    assert none.startswith("No measured onset of chaos lies on the strength grid")


def test_matched_coupling_gives_the_rescaling_factor():
    text = chapter.matched_coupling("dale", [0.0, 0.45])
    assert f"${1 / np.sqrt(1 - 2 / np.pi):.3f}$ at $b = 0$" in text
    assert "by the same factor at every balance" in chapter.matched_coupling("reciprocity", [-0.3, 0.0, 0.3])


def test_matched_accuracy_claim_names_the_reading():
    differ = ClaimResult("C1", "", "", 0.03, 0.01, 0.05, 0.01, 6, "supported", "")
    assert chapter.accuracy_claim(differ, 6, matched=True).startswith(
        "**C1 at matched effective coupling, cell by cell.**")
    labelled = ClaimResult("C1 (matched)", "", "", 0.03, 0.01, 0.05, 0.01, 6, "supported", "")
    assert chapter.accuracy_claim(labelled, 6, matched=True).startswith(
        "**C1 at matched effective coupling, cell by cell.**")


# ---------------------------------------------------------------- openers and "what we found" boxes

def _row(claim, verdict, effect, low, high, p, n=8, statement="Dale raises accuracy.",
         measured="paired accuracy change, $D = 1$ minus $D = 0$; pairs are instances"):
    return ClaimResult(claim, statement, measured, effect, low, high, p, n, verdict, "somewhere")


def test_findings_box_phrases_every_row_with_its_interval_p_and_n():
    rows = [_row("C1", "supported", 0.0123, 0.004, 0.0201, 0.0039),
            _row("C1 (matched)", "no evidence", -0.002, -0.011, 0.007, 0.62)]
    box = chapter.findings(rows, ["A computed note."], terms={"Supported"})
    assert box.startswith("```{admonition} What we found\n:class: rnnlib-findings") and box.endswith("```")
    first, second = [line for line in box.splitlines() if line.startswith("- **C1")]
    assert first.startswith("- **C1**: Dale raises accuracy. Verdict: **{term}`supported`**. Paired accuracy change: ")
    assert "$+0.0123$ [$+0.0040$, $+0.0201$]" in first and "$p = 0.0039$" in first and "$n = 8$" in first
    assert "The same claim at matched effective coupling." in second and "**no evidence**" in second  # no term: plain
    assert "$-0.0020$ [$-0.0110$, $+0.0070$]" in second and "$p = 0.62$" in second
    assert "- A computed note." in box
    assert "Verdicts over" not in box   # a tally only for more than three rows


def test_findings_box_says_when_the_rule_does_not_count_a_headline_minimum():
    from rnnlib.claims.verdicts import HEADLINE_MINIMA
    rows = [_row("C5", "no evidence", -0.024, -0.038, -0.014, 0.031, measured=HEADLINE_MINIMA["C5"]),
            _row("C5", "supported", 0.024, 0.014, 0.038, 0.031, measured=HEADLINE_MINIMA["C5"])]
    low, high = [line for line in chapter.findings(rows, terms=()).splitlines() if line.startswith("- **C5")]
    assert low.endswith("$p = 0.031$ (not counted, since a minimum of two noisy means leans negative "
                        "even without any effect), $n = 8$ instances.")
    assert high.endswith("$p = 0.031$, $n = 8$ instances.")


def test_findings_box_tallies_the_verdict_words_and_drops_an_undefined_interval_and_p():
    rows = [_row("C1", "no evidence", 0.1, -np.inf, np.inf, 0.25), _row("C2", "no evidence", 0.2, -0.1, 0.5, 0.5),
            _row("C3", "mixed", -0.3, -0.5, -0.1, float("nan")), _row("C4", "mixed", 0.1, 0.0, 0.2, 0.01)]
    box = chapter.findings(rows, terms=())
    assert "Verdicts over 4 rows: 2 **mixed**, 2 **no evidence**." in box
    c1 = next(line for line in box.splitlines() if line.startswith("- **C1**"))
    assert "Paired accuracy change: $+0.1000$, $p = 0.25$" in c1 and "inf" not in c1
    c3 = next(line for line in box.splitlines() if line.startswith("- **C3**"))
    assert "p =" not in c3
    with pytest.raises(ValueError, match="at least one verdict row or note"):
        chapter.findings([], [])


def test_findings_names_the_measured_quantity_up_to_its_first_clause():
    measured = "paired change of the share of the (b, w) grid within 0.05 of $f(x, y)$, gain control minus baseline"
    box = chapter.findings([_row("C8", "mixed", 0.1, 0.0, 0.2, 0.04, measured=measured)], terms=())
    assert "Paired change of the share of the (b, w) grid within 0.05 of $f(x, y)$: $+0.1000$" in box


def test_the_book_glossary_defines_every_verdict_word_the_box_links():
    terms = chapter.glossary_terms()
    assert {"supported", "no evidence", "instance", "holm"} <= terms
    assert "```{glossary}" not in terms and all(not t.startswith(" ") for t in terms)


def test_opener_reads_its_times_from_the_notebook_and_the_manifest(tmp_path):
    words = " ".join(["word"] * 450)
    nb = {"cells": [{"cell_type": "markdown", "source": [words + "\n", "$$\n" + "x " * 500 + "\n$$"]},
                    {"cell_type": "code", "source": ["print(" + "'y' " * 900 + ")"]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(__import__("json").dumps(nb))
    assert chapter.reading_minutes(path) == 3          # 450 words (math and code not counted) at 200 a minute
    store = tmp_path / "store"
    store.mkdir()
    (store / "manifest.json").write_text('{"a": {"wall_time_s": 100.0}, "b": {"wall_time_s": 50.0}}')
    box = chapter.opener("dale", ["say what {term}`Holm` does"], [("baseline", "the phase diagram"), "eigenvalues"],
                         experiments=("a", "b"), profile="quick", store_root=store)
    assert box.startswith("```{admonition} In this chapter\n:class: rnnlib-opener") and box.endswith("```")
    assert "- say what {term}`Holm` does" in box and "{doc}`baseline` (the phase diagram); eigenvalues." in box
    assert "recorded wall time to recompute its 2 experiments from nothing: 2 min (quick profile" in box
    assert "execute" not in box
    minutes = chapter.reading_minutes(chapter._ROOT / "chapters" / "dale.ipynb")
    assert f"about {minutes} min to read" in box
    partial = chapter.opener("dale", ["x"], experiments=("a", "missing"), store_root=store)
    assert "recompute" not in partial
    assert "introduction" in partial
    with pytest.raises(ValueError, match="goals"):
        chapter.opener("dale", [])


def test_duration_words():
    assert [chapter.duration(s) for s in (0.2, 59.6, 119, 121, 7199, 7200)] == \
        ["1 s", "60 s", "119 s", "2 min", "120 min", "2.0 h"]
    with pytest.raises(ValueError, match="seconds"):
        chapter.duration(float("nan"))
