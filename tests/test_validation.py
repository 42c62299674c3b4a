"""Every bad input is refused with a ValueError that names the parameter, the range and the value."""
import re

import numpy as np
import pytest

import rnnlib
from rnnlib.model.constructions import ALL_REGULARITIES


@pytest.mark.parametrize("kwargs, match", [
    (dict(n=0), r"n must be an integer >= 1, got 0"),
    (dict(n=2.5), r"n must be an integer"),
    (dict(balance=1.5), r"balance must be a finite number in \[-1.0, 1.0\], got 1.5"),
    (dict(balance=-1.01), r"balance must be a finite number in \[-1.0, 1.0\], got -1.01"),
    (dict(dale=-0.1), r"dale must be a finite number in \[0.0, 1.0\], got -0.1"),
    (dict(reciprocity=2), r"reciprocity must be a finite number in \[0.0, 1.0\], got 2"),
    (dict(modularity=1.2), r"modularity must be a finite number in \[0.0, 1.0\], got 1.2"),
    (dict(strength=-1.0), r"strength must be .*>= 0.*got -1.0"),
    (dict(strength=np.inf), r"strength must be a finite number"),
    (dict(strength=np.nan), r"strength must be a finite number"),
    (dict(density=0.0), r"density must be a finite number in \(0.0, 1.0\], got 0.0"),
    (dict(density=1.5), r"density must be a finite number in \(0.0, 1.0\], got 1.5"),
    (dict(modules=0), r"modules must be an integer >= 1, got 0"),
    (dict(modules=0, modularity=0.5), r"modules must be an integer in \[1, 10\], got 0"),
    (dict(modules=11, modularity=0.5), r"modules must be an integer in \[1, 10\], got 11"),
])
def test_make_weights_rejects(kwargs, match):
    args = dict(n=10, strength=1.0) | kwargs
    with pytest.raises(ValueError, match=match):
        rnnlib.make_weights(**args)


@pytest.mark.parametrize("W, match", [
    (np.zeros((3, 4)), r"W must be a square \(n, n\) matrix with n >= 1, got shape \(3, 4\)"),
    (np.zeros(3), r"W must be a square \(n, n\) matrix with n >= 1, got shape \(3,\)"),
    (np.array([[1.0, np.nan], [0, 0]]), r"W must contain only finite values, got 1 non-finite entries"),
    (np.array([[1.0, np.inf], [0, 0]]), r"W must contain only finite values, got 1 non-finite entries"),
])
@pytest.mark.parametrize("func", [rnnlib.signatures, rnnlib.largest_lyapunov, rnnlib.eigenvalues])
def test_matrix_functions_reject_bad_matrices(func, W, match):
    with pytest.raises(ValueError, match=match):
        func(W)


@pytest.mark.parametrize("kwargs, match", [
    (dict(steps=0), r"steps must be an integer >= 2, got 0"),
    (dict(transient=-1), r"transient must be an integer >= 0, got -1"),
    (dict(max_period=0), r"max_period must be an integer in \[1, 499\], got 0"),
    (dict(saturation_threshold=1.0), r"saturation_threshold must be a finite number in \(0.0, 1.0\), got 1.0"),
])
def test_signature_settings_reject(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rnnlib.signatures(np.eye(3), **kwargs)


def test_lyapunov_rejects_zero_steps():
    with pytest.raises(ValueError, match=r"steps must be an integer >= 2, got 0"):
        rnnlib.largest_lyapunov(np.eye(3), steps=0)


def test_run_rejects_mismatched_states_and_bad_dtype():
    with pytest.raises(ValueError, match=r"x0 must have shape \(3,\) or \(3, c\)"):
        rnnlib.run(np.eye(3), np.zeros(4), 2)
    with pytest.raises(ValueError, match=r"dtype must be float32 or float64, got"):
        rnnlib.run(np.eye(3), np.zeros(3), 2, dtype=np.int64)
    with pytest.raises(ValueError, match=r"gains must be finite non-negative"):
        rnnlib.signatures_batch(np.eye(3), [-1.0])


def test_unknown_construction_and_regularity_are_named():
    with pytest.raises(ValueError, match=re.escape(f"regularity must be one of {ALL_REGULARITIES}")):
        rnnlib.make_weights(5, 1.0, constructions={"hopfield": "pair-copy"})


@pytest.mark.parametrize("func, args, match", [
    (rnnlib.model.theory.circular_law_radius, (-1.0,), r"strength must be"),
    (rnnlib.model.theory.mean_outlier, (0, 1.0), r"n must be an integer >= 1"),
    (rnnlib.model.theory.elliptic_law_axes, (1.0, 0.0, 1.5), r"correlation must be a finite number in \[-1.0, 1.0\], got 1.5"),
    (rnnlib.model.theory.meanfield_lyapunov, (np.nan,), r"strength must be a finite number"),
])
def test_theory_functions_reject(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)
