"""Matched pairs on eigenvalues: equal bulk extent and equal leading outlier at every named point, or a declared reason."""
import numpy as np
import pytest

from rnnlib.model import matching, theory
from rnnlib.model.constructions import REGULARITIES, available
from rnnlib.model.weights import NetworkParams, unit_weights
from rnnlib.pipeline.catalogue import POINTS

#: (regularity, construction, point) where no rescaling can match the baseline, with the reason
#: (the model text says the same in rnnlib.model.theory.matched_strength and the Dale chapter shows it).
UNMATCHABLE = {
    **{("dale", "type-sign", p): "nilpotent column means leave random outliers at b = 0"
       for p, (b, _) in POINTS.items() if b == 0},
    **{("dale", "balanced", p): "zero row sums remove the mean outlier the baseline has at b != 0"
       for p, (b, _) in POINTS.items() if b != 0},
    **{("modularity", "ei-blocks", p): "ranking by signed value makes block means: outliers the baseline lacks"
       for p in POINTS},
    **{("modularity", "variance", p): "disconnected modules split the mean outlier into K smaller ones"
       for p, (b, _) in POINTS.items() if b != 0},
}
#: Matching is defined for the paper's three regularities (rnnlib.model.matching refuses others by name).
#: Weak rows (issue 19) are compared at the same strength: a permutation of the entries, whose magnitude
#: readings keep the predicted bulk within 1% of the baseline's (theory.weak_rows_bulk).
CASES = [(reg, name, point) for reg, names in available().items() if reg in REGULARITIES
         for name in names for point in POINTS]


@pytest.mark.parametrize("reg, name, point", CASES)
def test_centred_matching_equalises_bulk_and_leading_outlier_or_is_declared_unmatchable(reg, name, point):
    b, w = POINTS[point]
    got = matching.pair_spectra(reg, name, b, w, n=400, seeds=(0,))
    if (reg, name, point) in UNMATCHABLE:
        assert not got["fair"], f"{reg}:{name} at {point} is declared unmatchable but matches: {got}"
    else:
        assert got["fair"], f"{reg}:{name} at {point}: {got}"


@pytest.mark.parametrize("point", ["inhibitory", "excitatory"])
def test_bulk_matching_leaves_the_mean_outlier_rescaled_where_centred_keeps_it(point):
    b, w = POINTS[point]
    bulk = matching.pair_spectra("dale", "type-sign", b, w, n=400, seeds=(0,), reading="bulk")
    centred = matching.pair_spectra("dale", "type-sign", b, w, n=400, seeds=(0,), reading="centred")
    g = theory.extent_ratio(b, dale=1.0)
    assert bulk["bulk_ratio"] == pytest.approx(1, abs=matching.TOLERANCE)
    assert bulk["radius_ratio"] == pytest.approx(g, rel=0.05)       # the outlier moved by the whole factor
    assert centred["radius_ratio"] == pytest.approx(1, abs=0.05)


def test_centred_rescale_keeps_block_means_and_scales_the_rest():
    W = unit_weights(NetworkParams(n=60, balance=0.3, modularity=1.0, modules=3,
                                   constructions={"modularity": "ei-blocks"}), 5)
    labels = matching.row_blocks(60, 1.0, 3, "ei-blocks")
    out = matching.centred_rescale(W, 2.0, labels)
    M = matching.mean_structure(W, labels)
    np.testing.assert_allclose(matching.mean_structure(out, labels), M, atol=1e-12)
    np.testing.assert_allclose(out - M, 2.0 * (W - M), atol=1e-12)
    assert np.unique(M[labels == 0], axis=0).shape[0] == 1           # one row of means per block


def test_bad_reading_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="matching.*centred"):
        matching.matched_matrix(NetworkParams(n=10, dale=1.0), "radius")


def test_matching_names_the_regularities_it_is_defined_for():
    with pytest.raises(ValueError, match="regularity.*'dale'.*got 'weak_rows'"):
        matching.pair_spectra("weak_rows", "rows-10", 0.0, 1.0, n=20)
