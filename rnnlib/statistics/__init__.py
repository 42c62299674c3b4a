"""Paired statistics over instances and family-wise inference.

Paired differences with intervals and p-values (``stats``), Holm and cluster-mass sign-flip tests
over whole instances (``inference``), specification curves and their joint tests
(``specification``), synthetic data sets shaped like the book's results for calibrating the
verdict rules (``synthetic``), and the one rule for lists in computed sentences (``wording``).

Layer 2: may import :mod:`rnnlib.model`.
"""
