"""The chapter's analysis of the specification dataset, on a synthetic dataset with a known deciding choice."""
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
    assert c1.sentence.startswith("C1 holds only where task is digits")
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
    assert closest.startswith("In none of the 47 specifications") or closest.startswith("In ")
    assert "C1" in sc.link_text(ds) or "Spearman" in sc.link_text(ds)
