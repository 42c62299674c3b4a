"""Experiments as data, computed cell by cell and stored under a fingerprint.

The result store (``store``), the experiment engine (``engine``), the book's experiments
(``catalogue``), the cost model (``cost``), serial, process-pool and Dask execution
(``execute``), ``experiments.load`` that ties them together (public as
:mod:`rnnlib.experiments`), and spot checks of stored data (``verify``).

Layer 4: may import the model, statistics and reservoir layers.
"""
