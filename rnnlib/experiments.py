"""The public front of the pipeline: load (or compute) one of the book's experiments.

``rnnlib.experiments.load(name, profile)`` is the stable entry point chapters and scripts use;
the implementation lives in :mod:`rnnlib.pipeline.experiments`.
"""
from .pipeline.experiments import *  # noqa: F401,F403  (the front re-exports the module's public names)
from .pipeline.experiments import __all__  # noqa: F401
