r"""Registry of constructions for the organizational regularities.

The paper's three regularities are :data:`REGULARITIES`; the weak rows of the
authors' follow-up study (arXiv:2603.29597) are a fourth, listed in
:data:`FOLLOW_UP` and kept apart so that the catalogue's sweeps over "every
regularity of the paper" stay what they were.

A *construction* tells how one regularity reorganizes a weight matrix as its
control parameter :math:`c \in [0, 1]` grows. Every construction obeys the
project's design rule: it changes how weights are *arranged*, never the
distribution of weight values, and it draws all its random numbers once per
instance, before it looks at ``c`` (common random numbers), so a sweep over
``c`` with a fixed seed changes the matrix gradually and results at different
``c`` are paired.

A construction is a function ``f(W, c, ctx) -> W`` where ``W`` is the current
unit-strength matrix (``W[i, j]`` is the weight from neuron ``j`` to neuron
``i``), ``c`` the control value and ``ctx`` a :class:`Context` that carries the
network size, balance, module layout and a per-construction random generator.
It must return ``W`` unchanged when ``c == 0``.

Register an alternative reading with :func:`register`::

    @register("dale", "permute")
    def dale_by_permutation(W, c, ctx): ...

and select it with ``make_weights(..., constructions={"dale": "permute"})``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

REGULARITIES = ("dale", "reciprocity", "modularity")
#: Regularities beyond the paper (its authors' follow-up on saturation): tunable like the three.
FOLLOW_UP = ("weak_rows",)
#: Every regularity a network may carry.
ALL_REGULARITIES = REGULARITIES + FOLLOW_UP
#: Order in which regularities are applied when several are non-zero:
#: modularity moves magnitudes, Dale sets signs, reciprocity copies elements.
#: Weak rows move magnitudes too and combine with no other regularity (:func:`check_combination`).
APPLICATION_ORDER = ("modularity", "weak_rows", "dale", "reciprocity")
DEFAULTS = {"dale": "type-sign", "reciprocity": "pair-copy", "modularity": "rank-swap", "weak_rows": "rows-10"}
#: Symbol of each regularity's control parameter in the book's formulas, figures and tables.
SYMBOLS = {"dale": "D", "reciprocity": "H", "modularity": "M", "weak_rows": "c"}
#: Each regularity's name in words, in full and short (axis labels of small multiples).
NAMES = {"dale": "Dale monopolarity", "reciprocity": "Hopfield reciprocity", "modularity": "modularity",
         "weak_rows": "weak rows"}
SHORT_NAMES = {"dale": "Dale", "reciprocity": "reciprocity", "modularity": "modularity", "weak_rows": "weak rows"}

_REGISTRY: dict[str, dict[str, Callable]] = {r: {} for r in ALL_REGULARITIES}


@dataclass(frozen=True)
class Context:
    """What a construction may know about the instance it reorganizes."""

    n: int
    balance: float
    modules: int
    rng: np.random.Generator

    @property
    def block_labels(self) -> np.ndarray:
        """Module index of every neuron: equal contiguous blocks, sizes differing by at most one."""
        return module_labels(self.n, self.modules)


def module_labels(n: int, modules: int) -> np.ndarray:
    """Module index of each of ``n`` neurons for ``modules`` contiguous blocks.

    Block ``k`` holds neurons ``floor(k n / K)`` to ``floor((k+1) n / K) - 1``,
    so block sizes differ by at most one.
    """
    edges = (np.arange(modules + 1) * n) // modules
    return np.repeat(np.arange(modules), np.diff(edges))


def register(regularity: str, name: str):
    """Decorator adding a construction ``name`` for ``regularity`` to the registry."""
    if regularity not in _REGISTRY:
        raise ValueError(f"regularity must be one of {ALL_REGULARITIES}, got {regularity!r}")

    def deco(func):
        _REGISTRY[regularity][name] = func
        return func

    return deco


def available(regularity: str | None = None):
    """Names of the registered constructions (for one regularity, or a dict for all)."""
    if regularity is None:
        return {r: sorted(v) for r, v in _REGISTRY.items()}
    return sorted(_REGISTRY[regularity])


def get(regularity: str, name: str) -> Callable:
    """The construction ``name`` for ``regularity``; a clear error lists the known ones."""
    if regularity not in _REGISTRY:
        raise ValueError(f"regularity must be one of {ALL_REGULARITIES}, got {regularity!r}")
    try:
        return _REGISTRY[regularity][name]
    except KeyError:
        raise ValueError(f"construction for {regularity} must be one of {available(regularity)}, "
                         f"got {name!r}") from None


@register("dale", "type-sign")
def dale_type_sign(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Dale monopolarity by assigning each neuron a type sign.

    Exactly :math:`k = \mathrm{round}(N (1 + b) / 2)` neurons, chosen at random,
    are excitatory (:math:`\sigma_j = +1`), the rest inhibitory
    (:math:`\sigma_j = -1`). Each output weight takes its neuron's sign with
    probability :math:`D`:

    .. math:: w_{ij} \leftarrow \begin{cases} \sigma_j |w_{ij}| & u_{ij} < D \\
              w_{ij} & \text{otherwise} \end{cases}

    with :math:`u_{ij} \sim U(0, 1)` drawn once. Magnitudes are untouched. At
    :math:`D = 1` every column is single-signed.
    """
    n = ctx.n
    k = int(round(n * (1 + ctx.balance) / 2))
    order = ctx.rng.permutation(n)
    u = ctx.rng.random((n, n))
    sigma = -np.ones(n)
    sigma[order[:k]] = 1.0
    return np.where(u < c, sigma[None, :] * np.abs(W), W)


@register("reciprocity", "pair-copy")
def reciprocity_pair_copy(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Hopfield reciprocity by copying one element of a pair onto the other.

    For every unordered pair :math:`i < j`, with probability :math:`H` set
    :math:`w_{ji} \leftarrow w_{ij}` (decided by :math:`u_{ij} < H`,
    :math:`u_{ij} \sim U(0,1)` drawn once). The diagonal is untouched. Each
    element keeps its marginal distribution; at :math:`b = 0` the correlation of
    :math:`w_{ij}` and :math:`w_{ji}` equals :math:`H`; at :math:`H = 1`,
    :math:`W = W^T`.
    """
    n = ctx.n
    u = ctx.rng.random((n, n))
    copy = np.triu(u < c, k=1)  # (i, j) with i < j: copy w_ij onto w_ji
    out = W.copy()
    out.T[copy] = W[copy]
    return out


@register("modularity", "rank-swap")
def modularity_rank_swap(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Modularity by moving the weights of largest magnitude into the diagonal blocks.

    Let :math:`S` be the number of within-block positions and
    :math:`k = \mathrm{round}(M S)`. A random priority order of the within-block
    positions (drawn once) selects the target set :math:`P` (its first
    :math:`k`); :math:`A` is the set of positions holding the :math:`k` weights
    of largest magnitude. The weights in :math:`A \setminus P` and those in
    :math:`P \setminus A` trade places, each with its sign, paired in a random
    order drawn once. Afterwards :math:`P` holds exactly the :math:`k` largest
    magnitudes, the multiset of all signed weights (the histogram of ``W``) is
    exactly unchanged, and :math:`M = 0` leaves :math:`W` exactly as it was. At
    :math:`M = 1` every within-block magnitude is at least every between-block
    magnitude (absent weights under density < 1 count as magnitude 0).

    This is distributed like the literal recipe "give the chosen positions the
    largest weights in random order, shuffle the rest", but moves the fewest
    elements, so a sweep over :math:`M` is gradual.
    """
    return _swap_into_blocks(W, c, ctx, ctx.block_labels, np.abs(W))


def _swap_into_blocks(W: np.ndarray, c: float, ctx: Context, labels: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Move the ``round(c S)`` elements of largest ``key`` into a random set of the ``S`` within-block
    positions of ``labels`` (see :func:`modularity_rank_swap`)."""
    return _swap_into(W, c, ctx, labels[:, None] == labels[None, :], key)


def _swap_into(W: np.ndarray, c: float, ctx: Context, positions: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Move the ``round(c S)`` elements of largest ``key`` into a random set of the ``S`` positions where
    the boolean ``(n, n)`` mask ``positions`` is true, by the fewest swaps (see :func:`modularity_rank_swap`);
    draws its random numbers before looking at ``c``."""
    n = ctx.n
    within_idx = np.flatnonzero(positions.ravel())
    priority = ctx.rng.permutation(within_idx)
    tiebreak = ctx.rng.random(n * n)  # fixed random order of positions, used for pairing and ties
    k = int(round(c * within_idx.size))
    if k == 0:
        return W
    w = W.ravel()
    rank = np.lexsort((tiebreak, -key.ravel()))  # largest key first, ties broken by the fixed random key
    target = np.zeros(n * n, bool)
    target[priority[:k]] = True
    top = np.zeros(n * n, bool)
    top[rank[:k]] = True
    move_in = np.flatnonzero(top & ~target)     # large weights outside the chosen positions
    move_out = np.flatnonzero(target & ~top)    # small weights inside the chosen positions
    move_in = move_in[np.argsort(tiebreak[move_in])]
    move_out = move_out[np.argsort(tiebreak[move_out])]
    new = w.copy()
    new[move_out], new[move_in] = w[move_in], w[move_out]
    return new.reshape(n, n)


# ----------------------------------------------------------------------------- alternative readings
# Not the defaults: registered so that the book can test how much a verdict depends on the reading.

@register("reciprocity", "sign-copy")
def reciprocity_sign_copy(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Reciprocity of signs only: for each pair :math:`i < j`, with probability :math:`H`,

    .. math:: w_{ji} \leftarrow \operatorname{sign}(w_{ij})\, |w_{ji}|

    (decided by :math:`u_{ij} < H`, drawn once; absent weights stay absent and
    do not impose a sign). Magnitudes are untouched and each element keeps its
    marginal distribution; at :math:`H = 1` the sign pattern is symmetric while
    the magnitudes stay independent, so at :math:`b = 0` the pair correlation
    is :math:`2/\pi` rather than 1.
    """
    u = ctx.rng.random((ctx.n, ctx.n))
    copy = np.triu(u < c, k=1) & (W != 0) & (W.T != 0)
    out = W.copy()
    out.T[copy] = np.sign(W[copy]) * np.abs(W.T[copy])
    return out


@register("modularity", "variance")
def modularity_variance(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Modularity by reweighting variances: within-block weights grow, between-block weights shrink.

    With :math:`f` the fraction of within-block positions,

    .. math:: w_{ij} \leftarrow w_{ij} \sqrt{1 + M (1 - f) / f} \ \text{(same block)}, \qquad
              w_{ij} \leftarrow w_{ij} \sqrt{1 - M} \ \text{(different blocks)},

    which keeps the expected mean square weight (so the circular-law radius at
    :math:`b = 0`) for every :math:`M`, but **not** the histogram of weights,
    unlike the default ``rank-swap``. At :math:`M = 1` the modules are
    disconnected. Draws no random numbers.
    """
    labels = ctx.block_labels
    within = labels[:, None] == labels[None, :]
    f = within.mean()
    return np.where(within, W * np.sqrt(1 + c * (1 - f) / f), W * np.sqrt(1 - c))


@register("dale", "balanced")
def dale_balanced(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Dale monopolarity with exactly balanced excitatory and inhibitory input to every neuron.

    First the signs of :func:`dale_type_sign` at :math:`D` (the same draws).
    Then, in every row :math:`i`, the positive weights are scaled by
    :math:`1 + D(\alpha_i - 1)` and the negative ones by :math:`1 + D(\beta_i - 1)`,
    where :math:`\alpha_i, \beta_i > 0` solve

    .. math:: \alpha_i E_i = \beta_i I_i, \qquad
              \alpha_i^2 Q^+_i + \beta_i^2 Q^-_i = Q^+_i + Q^-_i,

    with :math:`E_i, I_i` the summed positive and absolute negative input of
    row :math:`i` and :math:`Q^\pm_i` the sums of their squares: the excitatory
    and inhibitory input cancel, and the row keeps its summed squared weight
    (the neuron's input power). At :math:`D = 1` every column is single-signed
    and every row of ``W`` sums to zero (up to rounding), the balanced E/I
    networks of van Vreeswijk and Sompolinsky (Science 274, 1724, 1996) and
    Rajan and Abbott (PRL 97, 188104, 2006). Signs and the summed square of
    every row are kept; the magnitudes of one sign are rescaled, by about
    :math:`\sqrt{(1 - b)/(1 + b)}` for the excitatory ones, so the histogram is
    not kept when :math:`b \ne 0` and the mean weight goes to zero. Needs both
    signs in every row (so :math:`|b| < 1`).
    """
    V = dale_type_sign(W, c, ctx)
    pos, neg = V > 0, V < 0
    E, I = np.where(pos, V, 0.0).sum(1), -np.where(neg, V, 0.0).sum(1)
    if np.any(E == 0) or np.any(I == 0):
        raise ValueError(f"dale construction 'balanced' needs positive and negative input in every row; "
                         f"{int(np.sum((E == 0) | (I == 0)))} rows lack one sign (balance = {ctx.balance}, "
                         f"must be in (-1, 1), and the network not too sparse)")
    Qp, Qn = np.where(pos, V * V, 0.0).sum(1), np.where(neg, V * V, 0.0).sum(1)
    ratio = E / I
    alpha = np.sqrt((Qp + Qn) / (Qp + ratio ** 2 * Qn))
    beta = alpha * ratio
    scale_pos, scale_neg = 1 + c * (alpha - 1), 1 + c * (beta - 1)
    return np.where(pos, V * scale_pos[:, None], V * scale_neg[:, None])


def unequal_module_labels(n: int, modules: int) -> np.ndarray:
    """Module index of each of ``n`` neurons for ``modules`` contiguous blocks of unequal size.

    Block ``k`` (``k = 0 .. K-1``) has a size proportional to ``k + 1``
    (fractions :math:`2(k+1) / (K(K+1))`), rounded so the sizes add up to ``n``.
    """
    edges = (np.cumsum(np.arange(modules + 1)) * n) // (modules * (modules + 1) // 2)
    return np.repeat(np.arange(modules), np.diff(edges))


@register("modularity", "unequal")
def modularity_unequal(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Rank-swap modularity (:func:`modularity_rank_swap`) into modules of unequal size.

    Module :math:`k` holds a fraction :math:`2(k + 1) / (K(K + 1))` of the
    neurons (:func:`unequal_module_labels`; 10, 20, 30, 40 % for :math:`K = 4`).
    The histogram of all weights is exactly kept, as with the default; what
    changes is that neurons of large modules receive more of the strong
    weights, so the summed input variance differs between neurons (a variance
    profile whose row sums are not constant), which equal blocks cannot produce.
    """
    return _swap_into_blocks(W, c, ctx, unequal_module_labels(ctx.n, ctx.modules), np.abs(W))


@register("modularity", "ei-blocks")
def modularity_ei_blocks(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
    r"""Modules that excite within and inhibit between: rank-swap by *signed* value.

    As :func:`modularity_rank_swap`, but the :math:`\mathrm{round}(M S)` largest
    weights by signed value (most excitatory first) move into the chosen
    within-block positions. The histogram of all weights is exactly kept; at
    :math:`M = 1` every within-block weight is at least every between-block
    weight, so with :math:`b = 0` and :math:`K \ge 2` the modules are purely
    excitatory inside and the connections between them mostly inhibitory. What
    it gives up is the independence of a weight's sign from its position: the
    mean weight becomes block-structured (a rank-:math:`K` mean), which the
    magnitude-only default cannot create.
    """
    return _swap_into_blocks(W, c, ctx, ctx.block_labels, W)


# ----------------------------------------------------------------------------- weak rows (follow-up study)
# Our reading of "a small subset of neurons with weaker-than-average incoming weights" (arXiv:2603.29597,
# abstract only): the weights of smallest magnitude are moved into the rows of the first neurons.

#: Registered weak-row readings: name -> (share of neurons in the weak subset, rank by signed value?).
WEAK_ROW_READINGS = {"rows-10": (0.10, False), "rows-5": (0.05, False), "rows-20": (0.20, False),
                     "signed-10": (0.10, True)}


def weak_row_count(n: int, reading: str = DEFAULTS["weak_rows"]) -> int:
    """Number of neurons in the weak subset of reading ``reading``: ``max(1, round(share * n))``."""
    if reading not in WEAK_ROW_READINGS:
        raise ValueError(f"weak-row reading must be one of {sorted(WEAK_ROW_READINGS)}, got {reading!r}")
    return max(1, int(round(WEAK_ROW_READINGS[reading][0] * n)))


def weak_row_mask(n: int, reading: str = DEFAULTS["weak_rows"]) -> np.ndarray:
    """Boolean ``(n,)``: which neurons form the weak subset (the first :func:`weak_row_count` ones)."""
    mask = np.zeros(n, bool)
    mask[:weak_row_count(n, reading)] = True
    return mask


def _weak_rows(W: np.ndarray, c: float, ctx: Context, reading: str) -> np.ndarray:
    r"""Weak rows: move the :math:`k = \mathrm{round}(c\, m N)` weakest weights into the rows of the subset.

    The subset is the first :math:`m` neurons (:func:`weak_row_count`); its
    rows (incoming weights, ``W[i, :]`` for :math:`i < m`) hold :math:`mN`
    positions. A random priority order of them, drawn once, selects the target
    set :math:`P` (its first :math:`k`); the :math:`k` weakest weights of the
    whole matrix (smallest :math:`|w|`, or smallest signed :math:`w` for a
    signed reading; ties in a fixed random order) trade places with those in
    :math:`P` by the fewest swaps, as in :func:`modularity_rank_swap`. The
    matrix is a permutation of its entries at every :math:`c` (its histogram is
    exactly kept), :math:`c = 0` leaves it untouched, and at :math:`c = 1`
    every weight in a weak row is at most (in the ranking key) every weight
    elsewhere.
    """
    share, signed = WEAK_ROW_READINGS[reading]
    rows = np.zeros((ctx.n, ctx.n), bool)
    rows[:weak_row_count(ctx.n, reading)] = True
    return _swap_into(W, c, ctx, rows, -W if signed else -np.abs(W))


def _register_weak_rows(name):
    def construction(W: np.ndarray, c: float, ctx: Context) -> np.ndarray:
        return _weak_rows(W, c, ctx, name)
    share, signed = WEAK_ROW_READINGS[name]
    construction.__name__ = f"weak_rows_{name.replace('-', '_')}"
    construction.__doc__ = (f"Weak rows, reading {name!r}: the {share:.0%} first neurons receive the weights of "
                            f"smallest {'signed value' if signed else 'magnitude'}; see :func:`_weak_rows`.")
    register("weak_rows", name)(construction)


for _name in WEAK_ROW_READINGS:
    _register_weak_rows(_name)


def check_combination(controls: dict) -> None:
    """Refuse weak rows together with another regularity (``controls``: regularity -> control value).

    Modularity and weak rows both decide where magnitudes go, reciprocity copies
    elements across the diagonal (undoing the row structure and the histogram)
    and Dale flips signs (undoing a signed reading): no combined construction
    is defined, so none is silently improvised.
    """
    if controls.get("weak_rows", 0) > 0:
        others = sorted(r for r in REGULARITIES if controls.get(r, 0) > 0)
        if others:
            raise ValueError(f"weak_rows > 0 combines with no other regularity; got weak_rows = "
                             f"{controls['weak_rows']} with {', '.join(f'{r} = {controls[r]}' for r in others)}. "
                             "Set the others to 0.")
