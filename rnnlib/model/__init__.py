"""The network model: weight matrices, their regularities, the simulation loop and what is computed from it.

Holds the parameter checks (``_checks``), seed derivation (``seeding``), the registry of
regularity constructions (``constructions``), the weight matrices (``weights``), the one
simulation loop ``x(t+1) = tanh(W x(t) + W_in u(t+1))`` (``dynamics``), the dynamical signatures
(``signatures``), eigenvalues (``spectrum``) and the random-matrix and mean-field theory
(``theory``).

Layer 1 (the bottom): imports nothing else of rnnlib but ``rnnlib._version``.
"""
