"""The chapter's analysis of the specification dataset, on a synthetic dataset with a known deciding choice."""
import re

import numpy as np
import pytest

from rnnlib.book import specification_chapter as sc
from rnnlib.model.constructions import REGULARITIES
from rnnlib.pipeline import specification as sp


@pytest.fixture
def synthetic(monkeypatch):
    """48 specifications x 8 instances; Dale raises accuracy by 0.1 only on digits, the rest is noise."""
    monkeypatch.setitem(sp.SIZES, "quick", sp.SpecSizes(48, 8, 12))
    specs = sp.specifications("quick")
    g = np.random.default_rng(0)
    S, n, R = 48, 8, len(REGULARITIES)
    acc = 0.6 + 0.01 * g.standard_normal((S, n, 1 + R))
    digits = np.array([s["task"] == "digits" for s in specs])
    acc[:, :, 1 + REGULARITIES.index("dale")] += 0.1 * digits[:, None]
    sat = 0.5 + 0.01 * g.standard_normal((S, n, 1 + R))
    sat[5, :, 1 + REGULARITIES.index("dale")] = np.nan          # one specification Dale cannot build
    acc[5, :, 1 + REGULARITIES.index("dale")] = np.nan
    results = {"accuracy": acc.reshape(S * n, 1 + R), "saturation": sat.reshape(S * n, 1 + R)}
    return sp._assemble("quick", results, "test"), digits


def test_claim_one_is_decided_by_the_task(synthetic):
    ds, digits = synthetic
    c1 = sc.analyse(ds, "C1")
    assert c1.defined.sum() == 47 and not c1.defined[5]
    assert c1.decomposition.deciding() == "task"
    assert c1.sentence.startswith("The choice that explains the largest share of the variance across specifications "
                                  "is task")
    own = c1.sentence.split("Among its levels, ")[1].split(". ")[0]
    held = own.removeprefix("C1 holds at ").split(";")[0]              # only digits, with its mean near the 0.1 built in
    assert held.startswith("digits (") and float(held[len("digits ("):-1]) == pytest.approx(0.1, abs=0.01)
    # with 8 instances, flipping one instance keeps a strong effect significant, so p >= (1 + 8) / 256 here
    assert c1.joint.count >= np.sum(digits & c1.defined) - 1 and c1.joint.count_p <= 9 / 256
    assert "is significant by the count" in sc.joint_text(c1)
    c2 = sc.analyse(ds, "C2")
    assert c2.joint.count_p > 0.05 or c2.joint.count <= 3


def test_texts_are_computed(synthetic):
    ds, _ = synthetic
    table = sc.space_table(ds)
    assert sum(line.startswith("|") for line in table.splitlines()) == 2 + len(sp.SPACE.choices) + len(sp.SPACE.readings)
    assert table.startswith(":::{table} The specification space")
    assert "| task | digits (" in table
    c1 = sc.analyse(ds, "C1")
    rows = sc.decomposition_table(c1).splitlines()
    assert sum(r.startswith("| task (") for r in rows) == 1
    closest = sc.closest_text(ds)
    assert re.match(r"In (none of the \d+ specifications are C1, C2 and C3 all significant in the paper's direction at "
                    r"once\. The nearest|\d+ of \d+ specifications C1, C2 and C3 all hold at once, each significant)",
                    closest), closest
    assert "not the test of C4's rule" in sc.link_text(ds) and "one-sample $t$-test" in sc.link_text(ds)
    for name, (b, w) in sp.POINTS.items():
        assert f"{name} at $(b, w) = ({b:g}, {w:g})$ (" in table


def test_undefined_specifications_are_counted_by_reading_and_density(synthetic):
    ds, _ = synthetic
    reading, density = str(ds["reading"].sel(regularity="dale").values[5]), float(ds["density"].values[5])
    at = (ds["reading"].sel(regularity="dale").values == reading) & (ds["density"].values == density)
    text = sc.undefined_text(ds)
    assert text.startswith("Of the 48 sampled specifications, every instance could be built in 47 for Dale, "
                           "48 for reciprocity and 48 for modularity.")
    assert f"The 1 that Dale lacks all use the {reading} reading: " in text
    assert f"1 of its {int(at.sum())} at density {density:g}" in text


def test_readings_table_lists_every_registered_reading_and_marks_the_defaults():
    from rnnlib.model import constructions
    table = sc.readings_table()
    rows = [r for r in table.splitlines() if r.startswith("| ") and "`" in r]
    assert len(rows) == sum(len(r) for _, r in sp.SPACE.readings)
    assert sorted(r.split("`")[1] for r in rows if r.endswith("| yes |")) == sorted(
        constructions.DEFAULTS[reg] for reg in constructions.REGULARITIES)
    # roles become Markdown, a cross-reference is dropped, and a first line that runs on is cut at its colon
    assert sc.reading_summary("modularity", "unequal") == "Rank-swap modularity into modules of unequal size."
    assert sc.reading_summary("reciprocity", "sign-copy") == "Reciprocity of signs only."
    assert ":" not in "".join(sc.reading_summary(reg, r) for reg, rs in sp.SPACE.readings for r in rs
                              if reg != "modularity")


def test_ridge_text_names_every_fixed_level_and_how_cv_chooses(monkeypatch):
    from rnnlib.reservoir import readout
    text = sc.ridge_text()
    fixed = [k for k in sp.RIDGES if k != "cv"]
    assert text.startswith(f"The readout's ridge parameter takes {len(fixed)} fixed values ({', '.join(fixed[:-1])} "
                           f"and {fixed[-1]}) and one level, `cv`, where it is chosen among {len(readout.RIDGE_GRID)} ")
    assert "-fold cross-validation on the training samples only." in text
    monkeypatch.setattr(sp, "RIDGES", {k: v for k, v in sp.RIDGES.items() if k != "cv"})
    assert sc.ridge_text() == f"The readout's ridge parameter takes {len(fixed)} fixed values (" + ", ".join(
        fixed[:-1]) + f" and {fixed[-1]})."


def test_the_link_says_when_the_comparison_separates_the_ends_of_the_saturation_curve(synthetic):
    """Reciprocity raises the saturation at the same strength and lowers it at matched coupling, and accuracy falls
    where saturation rises: the sentence must report the negative association and the split by comparison."""
    ds, _ = synthetic
    g = np.random.default_rng(1)
    same = (ds["comparison"].values == "same")[:, None]
    shift = np.where(same, 0.05, -0.05) + 0.02 * g.standard_normal((ds.sizes["specification"], ds.sizes["instance"]))
    sat, acc = ds["saturation"].copy(), ds["accuracy"].copy()
    sat.loc[dict(regularity="reciprocity", control=1.0)] = sat.sel(regularity="reciprocity", control=0.0) + shift
    acc.loc[dict(regularity="reciprocity", control=1.0)] = acc.sel(regularity="reciprocity", control=0.0) - shift
    text = sc.link_text(ds.assign(saturation=sat, accuracy=acc))
    n_same, n_matched = int(same.sum()), int((~same).sum())
    assert "its accuracy change tends to be lower" in text
    assert (f"The comparison separates the two ends of the curve: {n_same} of the {n_same} specifications whose "
            f"saturation rises significantly compare at the same strength and {n_matched} of the {n_matched} "
            "specifications whose saturation falls significantly compare at matched coupling.") in text
    # rising everywhere: nothing falls, so nothing separates
    sat.loc[dict(regularity="reciprocity", control=1.0)] = sat.sel(regularity="reciprocity", control=0.0) + abs(shift)
    everywhere = sc.link_text(ds.assign(saturation=sat, accuracy=acc))
    assert "By comparison: " in everywhere and "separates" not in everywhere


def test_the_baseline_claims_need_balance_sweeps_the_named_points_do_not_give(synthetic):
    ds, _ = synthetic
    per = sc.balances_per_strength(ds)
    # every sampled point's (balance, strength) is listed under its strength, and nothing else
    assert {(b, w) for w, bs in per.items() for b in bs} == {sp.POINTS[str(p)] for p in np.unique(ds["point"].values)}
    most = max(len(bs) for bs in per.values())
    text = sc.baseline_text(ds)
    assert text.startswith("For the baseline's claims C5 and C6 the specification data cannot decide")
    assert f"{most} balance value" in text and most < min(sc.BOUNDARY_BALANCES.values())
    assert "records no free-running phase" in text


def test_the_baseline_sentence_reports_the_nearest_verdicts_and_whether_both_hold(synthetic):
    from types import SimpleNamespace as V
    ds, _ = synthetic
    rows = [{"variant": "input_strength=0.1", "c5": V(verdict="no evidence"), "c6": V(verdict="contradicted")},
            {"variant": "input_strength=1", "c5": V(verdict="supported"), "c6": V(verdict="supported")}]
    text = sc.baseline_text(ds, rows)
    assert "input strength 0.1: C5 **no evidence**, C6 **contradicted**" in text
    assert text.endswith("Both hold at input strength 1.")
    assert sc.baseline_text(ds, rows[:1]).endswith("the baseline's boundaries are not measured.")


def test_a_dataset_with_balance_sweeps_and_phases_is_refused(synthetic):
    ds, _ = synthetic
    swept = ds.assign(regime=ds["accuracy"])          # pretend the phases were recorded ...
    points = dict(sp.POINTS, **{f"p{k}": (b, 1.0) for k, b in enumerate((-0.4, -0.2, 0.2, 0.4))})
    names = np.array([f"p{k % 4}" if k % 2 else "edge" for k in range(ds.sizes["specification"])], dtype=object)
    swept = swept.assign_coords(point=("specification", names))
    with pytest.MonkeyPatch.context() as m:           # ... and five balances at strength 1
        m.setattr(sp, "POINTS", points)
        with pytest.raises(ValueError, match="analyse C5 and C6"):
            sc.baseline_text(swept)


def test_the_introduction_states_what_the_committed_paper_data_compute():
    """intro.md is Markdown and states the closest reconstruction in words: they must agree with the paper data."""
    from pathlib import Path
    from rnnlib.claims import boundaries
    from rnnlib.pipeline import experiments
    intro = " ".join((Path(__file__).parents[1] / "intro.md").read_text().split())
    ds = sp.load("paper", compute_missing=False)
    none_hold = sc.closest_text(ds).startswith("In none of the")
    assert ("In none of the sampled specifications are C1, C2 and C3 all significant in the paper's direction at once"
            in intro) == none_hold
    assert "C5 and C6 cannot be decided inside that space" in intro and "cannot decide" in sc.baseline_text(ds)
    load = experiments.chapter_loader("paper")
    rows = boundaries.by_variant(load("baseline_phase"), load("baseline_reservoir_inputs"))
    neither = all(r[c].verdict not in ("supported", "conditional") for r in rows for c in ("c5", "c6"))
    assert ("at every input strength of the space, the baseline's own boundary analysis supports neither" in intro) == neither
    assert sorted(float(r["variant"].split("=")[1]) for r in rows) == sorted(dict(sp.CHOICES)["input_strength"])
