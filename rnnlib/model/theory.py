r"""Classical predictions to overlay on measured spectra and exponents.

All formulas refer to the baseline ensemble of :mod:`rnnlib.model.weights`
(independent elements with mean :math:`\mu` and variance :math:`\sigma^2`):

.. math:: \mu = b\, w \sqrt{\tfrac{2 d}{\pi N}}, \qquad
          \sigma^2 = \frac{w^2}{N}\Big(1 - \frac{2 d b^2}{\pi}\Big).
"""
from __future__ import annotations

import numpy as np

from dataclasses import dataclass

from . import constructions as _c
from ._checks import check_int, check_real

__all__ = ["LINEAR_REGIMES", "BulkSpectrum", "bulk_radius", "circular_law_radius", "elliptic_law_axes", "extent_ratio",
           "linear_regime", "matched_strength", "mean_outlier", "meanfield_lyapunov", "meanfield_variance",
           "weak_rows_bulk"]

# Expectations over a standard normal z: the trapezoid rule on [-8, 8] with step 0.04, exponentially
# accurate for the smooth integrands below (error under 1e-10 up to w = 8, 1e-6 at w = 12; 121
# Gauss-Hermite nodes, which spread out to |z| = 20, were off by 0.01 at w = 4 and 0.1 at w = 6).
_Z = np.linspace(-8.0, 8.0, 401)
_PZ = np.exp(-_Z ** 2 / 2) / np.sum(np.exp(-_Z ** 2 / 2))


def circular_law_radius(strength, balance=0.0, density=1.0) -> float:
    r"""Radius of the bulk of eigenvalues (circular law): :math:`\sqrt{N}\sigma = w\sqrt{1 - 2 d b^2 / \pi}`."""
    w = check_real("strength", strength, 0.0)
    b = check_real("balance", balance, -1.0, 1.0)
    d = check_real("density", density, 0.0, 1.0, lo_open=True)
    return w * np.sqrt(1.0 - 2.0 * d * b * b / np.pi)


def mean_outlier(n, strength, balance=0.0, density=1.0) -> float:
    r"""Real outlier eigenvalue created by the mean weight: :math:`N \mu = b\, w \sqrt{2 d N / \pi}`.

    It separates from the bulk when its modulus exceeds :func:`circular_law_radius`.
    """
    n = check_int("n", n, 1)
    w = check_real("strength", strength, 0.0)
    b = check_real("balance", balance, -1.0, 1.0)
    d = check_real("density", density, 0.0, 1.0, lo_open=True)
    return b * w * np.sqrt(2.0 * d * n / np.pi)


def elliptic_law_axes(strength, balance=0.0, correlation=0.0, density=1.0) -> tuple[float, float]:
    r"""Semi-axes :math:`(r(1 + \tau), r(1 - \tau))` of the elliptic law.

    For a random matrix whose pairs :math:`(w_{ij}, w_{ji})` have correlation
    :math:`\tau`, the bulk fills an ellipse with these real and imaginary
    semi-axes, :math:`r` being the circular-law radius. :math:`\tau = 1` gives
    the semicircle support :math:`[-2r, 2r]` of a symmetric matrix.
    """
    r = circular_law_radius(strength, balance, density)
    tau = check_real("correlation", correlation, -1.0, 1.0)
    return r * (1 + tau), r * (1 - tau)


def meanfield_variance(strength, *, iterations=2000, tol=1e-13) -> float:
    r"""Stationary variance :math:`\Delta^*` of the local field at balance 0.

    Fixed point of the mean-field map :math:`\Delta = w^2\, \mathbb E_z[\tanh^2(\sqrt{\Delta} z)]`
    (zero for :math:`w \le 1`, since :math:`\mathbb E[\tanh^2(\sqrt\Delta z)] < \Delta` for
    :math:`\Delta > 0`), found by at most ``iterations`` steps from :math:`\Delta = w^2`, until
    a step changes :math:`\Delta` by less than ``tol``.
    """
    w = check_real("strength", strength, 0.0)
    iterations = check_int("iterations", iterations, 1)
    tol = check_real("tol", tol, 0.0, lo_open=True)
    if w <= 1:
        return 0.0
    delta = w * w
    for _ in range(iterations):
        new = w * w * np.sum(_PZ * np.tanh(np.sqrt(delta) * _Z) ** 2)
        if abs(new - delta) < tol:
            break
        delta = new
    return float(new)


def meanfield_lyapunov(strength) -> float:
    r"""Mean-field largest Lyapunov exponent of :math:`x \mapsto \tanh(Wx)` at balance 0, large N.

    .. math:: \lambda = \tfrac12 \ln\Big( w^2\, \mathbb E_z\big[(1 - \tanh^2(\sqrt{\Delta^*} z))^2\big] \Big),

    with :math:`\Delta^*` from :func:`meanfield_variance`; below :math:`w = 1`
    this is :math:`\ln w`, and it crosses zero at :math:`w = 1` (discrete-time
    version of the classical random-network analysis; Molgedey, Schuchhardt and
    Schuster, PRL 69, 3717, 1992).
    """
    w = check_real("strength", strength, 0.0)
    if w == 0:
        return -np.inf
    delta = meanfield_variance(w)
    return 0.5 * float(np.log(w * w * np.sum(_PZ * (1 - np.tanh(np.sqrt(delta) * _Z) ** 2) ** 2)))


#: Regimes the linearization at the quiescent state predicts (:func:`linear_regime`).
LINEAR_REGIMES = ("quiescent", "period-2", "fixed point", "beyond")


def linear_regime(eigenvalues, tol=1e-9) -> str:
    r"""Regime of :math:`x \mapsto \tanh(Wx)` that the eigenvalues of :math:`W` predict (discrete time).

    :math:`x = 0` is a fixed point with Jacobian :math:`W` (:math:`\tanh'(0) = 1`), stable
    while every eigenvalue lies inside the unit circle. An eigenvalue leaving it
    through the positive real axis gives a non-zero fixed point (pitchfork), through
    the negative real axis a period-2 cycle (period doubling: the leading mode flips
    its sign at every step). So:

    - ``"quiescent"``: :math:`\max |\lambda| < 1`;
    - ``"period-2"``: every eigenvalue with :math:`|\lambda| \ge 1` is real and negative
      (:math:`\lambda \le -1`);
    - ``"fixed point"``: every eigenvalue with :math:`|\lambda| \ge 1` is real and positive;
    - ``"beyond"``: anything else (complex pairs or both signs leave the circle:
      oscillations or chaos, which the linearization does not decide).

    The continuous-time criterion (a real part crossing 1) does not apply to this map.
    """
    lam = np.asarray(eigenvalues, complex).ravel()
    if lam.size == 0:
        raise ValueError("eigenvalues must not be empty")
    out = lam[np.abs(lam) >= 1.0]
    if out.size == 0:
        return "quiescent"
    real = np.abs(out.imag) <= tol * np.maximum(np.abs(out), 1.0)
    if np.all(real & (out.real < 0)):
        return "period-2"
    if np.all(real & (out.real > 0)):
        return "fixed point"
    return "beyond"


# --------------------------------------------------------------------------- bulk of each construction

@dataclass(frozen=True)
class BulkSpectrum:
    r"""The predicted spectrum of a large random weight matrix: an elliptic bulk plus real or complex outliers.

    Attributes
    ----------
    radius : float
        :math:`r`, the circular-law radius of the centred matrix: the square root
        of the spectral radius of its variance profile, :math:`r^2 = \rho(N\,\mathrm{Var}\,w_{ij})`.
    tau : float
        :math:`\tau`, the correlation of the pairs :math:`(w_{ij}, w_{ji})`; the
        bulk is the ellipse with real semi-axis :math:`(1 + \tau) r` and imaginary
        semi-axis :math:`(1 - \tau) r` (a disk when :math:`\tau = 0`).
    outliers : tuple of complex
        Eigenvalues outside the bulk created by the mean structure, at the size
        ``n`` given (empty when ``n`` was not given, as they grow like :math:`\sqrt N`).
        These are large-:math:`N` limits: an outlier within about 1.5 times the
        bulk's extent can be shifted by an amount of order one at finite
        :math:`N`, notably where Dale's column means have a nilpotent part, which
        also leaves a few random eigenvalues just outside the bulk that no
        formula here places (Bordenave and Capitaine, CPAM 69, 2131, 2016).
    """

    radius: float
    tau: float = 0.0
    outliers: tuple = ()

    @property
    def semi_axes(self) -> tuple[float, float]:
        """Real and imaginary semi-axes :math:`((1 + \\tau) r, (1 - \\tau) r)` of the bulk."""
        return self.radius * (1 + self.tau), self.radius * (1 - self.tau)

    @property
    def extent(self) -> float:
        r"""Largest modulus of the bulk, :math:`(1 + |\tau|)\, r` (the longer semi-axis of the ellipse).

        The quiescent state :math:`x = 0` of the map :math:`x \mapsto \tanh(Wx)` is stable while
        every eigenvalue of :math:`W` lies inside the unit circle (:math:`|\lambda| < 1`); an
        eigenvalue leaving it through :math:`+1` starts a non-zero fixed point, through :math:`-1`
        a period-2 cycle, elsewhere an oscillation. So the bulk alone destabilizes it at
        :math:`w = 1 / \text{extent}` (unit-strength extent), unless an outlier leaves first.
        """
        return self.radius * (1 + abs(self.tau))

    def outline(self, points: int = 256) -> np.ndarray:
        """``points`` complex numbers on the edge of the bulk, for drawing."""
        phi = np.linspace(0.0, 2 * np.pi, check_int("points", points, 3))
        a, b = self.semi_axes
        return a * np.cos(phi) + 1j * b * np.sin(phi)


_SQ2PI = np.sqrt(2 / np.pi)


def _partial_moments(q: float, balance: float, density: float, signed: bool) -> tuple[float, float]:
    r"""Partial moments :math:`(\mathbb E[X 1_T], \mathbb E[X^2 1_T])` of a unit baseline element.

    :math:`X = s\,a\,|z| / \sqrt d` (so :math:`\mathbb E X^2 = 1`), and :math:`T` is
    the event that :math:`X` lies in the top fraction ``q`` of the distribution,
    ranked by :math:`|X|` (``signed=False``; the sign stays independent, so the
    first moment is :math:`b` times that of :math:`|X|`) or by :math:`X` itself.
    Uses the half-normal tails :math:`\mathbb E[|z|; |z| > t] = 2\varphi(t)` and
    :math:`\mathbb E[z^2; |z| > t] = 2(t\varphi(t) + \bar\Phi(t))`.
    """
    from scipy.special import erfcinv, ndtr

    def tail(t):  # E[|z|; |z| > t], E[z^2; |z| > t]
        phi = np.exp(-t * t / 2) / np.sqrt(2 * np.pi)
        return 2 * phi, 2 * (t * phi + ndtr(-t))

    d = density
    if q <= 0:
        return 0.0, 0.0
    if q >= 1:                                   # every element (one module holding all pairs)
        return float(balance * np.sqrt(d) * _SQ2PI), 1.0
    p = 1.0 if not signed else (1 + balance) / 2
    if q <= d * p:                               # part of the largest (positive) elements
        t = np.sqrt(2) * erfcinv(q / (d * p))
        m1, m2 = tail(t)
        first, second = p * np.sqrt(d) * m1, p * m2
    elif q <= d * p + (1 - d) or p == 1.0:       # all of them, and some absent (zero) elements
        first, second = p * np.sqrt(d) * _SQ2PI, p
    else:                                        # also the negative elements of smallest magnitude
        qn = 1 - p
        t = np.sqrt(2) * erfcinv(1 - (q - d * p - (1 - d)) / (d * qn))
        m1, m2 = tail(t)
        first = p * np.sqrt(d) * _SQ2PI - qn * np.sqrt(d) * (_SQ2PI - m1)
        second = p + qn * (1 - m2)
    if not signed:
        first *= balance
    return float(first), float(second)


def _modular_blocks(control, balance, density, sizes, reading):
    """Block means and second moments (unit scale, times sqrt(N) and N) of a modularity reading."""
    sizes = np.asarray(sizes, float)
    within = np.eye(sizes.size, dtype=bool)
    f = float(np.sum(sizes ** 2))
    mean0, second0 = balance * np.sqrt(density) * _SQ2PI, 1.0
    if reading == "variance":
        g2 = np.where(within, 1 + control * (1 - f) / f, 1 - control)
        return mean0 * np.sqrt(g2), second0 * g2
    q = control * f
    first, second = _partial_moments(q, balance, density, signed=(reading == "ei-blocks"))
    top = (first / q, second / q)                  # q > 0: called only for a control > 0
    rest = ((mean0 - first) / (1 - q), (second0 - second) / (1 - q)) if q < 1 else top
    mean = np.where(within, control * top[0] + (1 - control) * rest[0], rest[0])
    sec = np.where(within, control * top[1] + (1 - control) * rest[1], rest[1])
    return mean, sec


def _dale_blocks(control, balance, density, reading):
    """Column-type means and second moments (unit scale) of a Dale reading: types (+, -) of sizes (p, 1-p)."""
    p = (1 + balance) / 2
    sizes = np.array([p, 1 - p])
    pos = control * np.array([1.0, 0.0]) + (1 - control) * p       # P(w_ij > 0) in an E / I column
    if reading == "balanced":
        if not 0 < p < 1:
            raise ValueError(f"balance must be in (-1, 1) for the 'balanced' Dale reading, got {balance}")
        alpha, beta = 1 + control * (np.sqrt((1 - p) / p) - 1), 1 + control * (np.sqrt(p / (1 - p)) - 1)
    else:
        alpha = beta = 1.0
    mean = np.sqrt(density) * _SQ2PI * (pos * alpha - (1 - pos) * beta)
    second = pos * alpha ** 2 + (1 - pos) * beta ** 2
    return sizes, np.broadcast_to(mean, (2, 2)), np.broadcast_to(second, (2, 2))


def _pair_correlation(control, balance, density, reading):
    """Correlation tau of (w_ij, w_ji) under a reciprocity reading."""
    if reading == "pair-copy":
        return control
    # sign-copy: E[w_ij w_ji] - mu^2 = H d^2 (E m)^2 (1 - b^2), E m = sqrt(2/(pi d N)) w
    return control * (2 * density / np.pi) * (1 - balance ** 2) / (1 - 2 * density * balance ** 2 / np.pi)


def bulk_radius(strength, balance=0.0, *, dale=0.0, reciprocity=0.0, modularity=0.0, modules=4,
                density=1.0, n=None, constructions=None) -> BulkSpectrum:
    r"""Predicted bulk and outliers of the spectrum of :func:`rnnlib.make_weights` with these arguments.

    Large-:math:`N` theory, one regularity at a time. Write the matrix as its
    mean plus a centred part, :math:`W = \mathbb E W + X`. Every construction
    here makes both block-structured: neurons fall into classes :math:`k` of
    fractions :math:`s_k` (modules, or excitatory/inhibitory column types), and
    :math:`\mathbb E w_{ij} = w\,\bar\mu_{kl} / \sqrt N`,
    :math:`\mathrm{Var}\,w_{ij} = w^2 v_{kl} / N` for :math:`i \in k, j \in l`. Then

    - bulk (random matrices with a variance profile; Cook, Hachem, Najim and
      Renfrew, EJP 23, 110, 2018, which reduces to Girko's and Bai's circular
      law for a flat profile): :math:`r^2 = w^2 \rho(B)`, :math:`B_{kl} = v_{kl} s_l`,
      :math:`\rho` the spectral radius. For a profile with equal row sums
      :math:`r^2 = w^2 \sum_l v_{kl} s_l`, the summed input variance of a neuron;
    - with pair correlation :math:`\tau` (reciprocity; flat profile) the bulk is
      the ellipse of the elliptic law (Girko 1986; Sommers, Crisanti,
      Sompolinsky and Stein, PRL 60, 1895, 1988) with semi-axes
      :math:`(1 \pm \tau) r`;
    - outliers (low-rank perturbation: Tao, PTRF 155, 231, 2013; O'Rourke and
      Renfrew, EJP 19, 43, 2014 for the elliptic case): each eigenvalue
      :math:`\theta` of the mean matrix, :math:`C_{kl} = w \sqrt N \bar\mu_{kl} s_l`,
      with :math:`|\theta| > r` gives an outlier at :math:`\theta + \tau r^2 / \theta`.

    The readings (per element :math:`X = s a |z| / \sqrt d`, :math:`\mathbb E X^2 = 1`,
    :math:`\mathbb E X = b \sqrt{2d/\pi}`; :math:`p = (1 + b)/2`):

    - baseline: :math:`r = w \sqrt{1 - 2 d b^2 / \pi}`, outlier :math:`b w \sqrt{2 d N / \pi}`.
    - Dale ``type-sign`` at :math:`D`: column classes E, I of sizes :math:`p, 1 - p`
      with :math:`P(w_{ij} > 0) = D [\sigma_j = +] + (1 - D) p`, so
      :math:`\bar\mu_l = \sqrt{2d/\pi}\,(D \sigma_l + (1 - D) b)` and
      :math:`r^2 = w^2 \big(1 - \tfrac{2d}{\pi}(D^2 + b^2 (1 - D^2))\big)`; at
      :math:`D = 1` the bulk shrinks by :math:`\sqrt{1 - 2d/\pi}` whatever
      :math:`b`. The mean :math:`\mathbf 1 \bar\mu^T` has the single eigenvalue
      :math:`b w \sqrt{2dN/\pi}` (unchanged from the baseline); at :math:`b = 0`
      it is nilpotent and creates no outlier in this limit.
    - Dale ``balanced``: as ``type-sign``, positive weights scaled by
      :math:`1 + D(\sqrt{(1-p)/p} - 1)`, negative ones by :math:`1 + D(\sqrt{p/(1-p)} - 1)`
      (the expected row factors); at :math:`D = 1`:
      :math:`r = w\sqrt{1 - 2d/\pi}` and no outlier (zero row sums, Rajan and Abbott 2006).
    - reciprocity ``pair-copy``: flat profile, :math:`\tau = H` for every :math:`b, d`;
      ``sign-copy``: :math:`\tau = H \frac{2d}{\pi}(1 - b^2) / (1 - 2 d b^2/\pi)`.
    - modularity, blocks of fractions :math:`s_k` (equal, or :math:`\propto k + 1`
      for ``unequal``), within-block fraction :math:`f = \sum_k s_k^2`: ``rank-swap``
      puts the top fraction :math:`q = M f` of magnitudes on a random fraction
      :math:`M` of within-block positions; block moments follow from the
      half-normal tail moments above the :math:`q`-quantile. With equal blocks
      every row has the same summed variance,
      :math:`r^2 = w^2 \big(1 - \bar\mu_{in}^2 / K - (1 - 1/K)\, \bar\mu_{out}^2\big)`
      with the block means :math:`\bar\mu_{in} = b (M \bar m_{top} + (1 - M) \bar m_{rest})`,
      :math:`\bar\mu_{out} = b\, \bar m_{rest}`: at :math:`b = 0` the bulk does
      not move, for :math:`b \ne 0` it shrinks slightly, and :math:`K - 1` further
      real outliers at :math:`w \sqrt N (\bar\mu_{in} - \bar\mu_{out}) / K` appear. ``ei-blocks`` ranks by signed value (block means even at :math:`b = 0`),
      ``variance`` scales block variances by :math:`1 + M(1 - f)/f` and :math:`1 - M`.

    Parameters
    ----------
    strength, balance, dale, reciprocity, modularity, modules, density, constructions
        As for :func:`rnnlib.make_weights`. Equal module sizes are assumed for
        the equal-block readings (exact when ``modules`` divides ``n``).
    n : int, optional
        Network size, needed for the positions of the outliers (they scale as :math:`\sqrt N`).

    Returns
    -------
    BulkSpectrum

    Raises
    ------
    NotImplementedError
        For more than one non-zero control parameter (no theory derived here).
    """
    w = check_real("strength", strength, 0.0)
    b = check_real("balance", balance, -1.0, 1.0)
    d = check_real("density", density, 0.0, 1.0, lo_open=True)
    controls = {r: check_real(r, v, 0.0, 1.0) for r, v in
                (("dale", dale), ("reciprocity", reciprocity), ("modularity", modularity))}
    K = check_int("modules", modules, 1)
    if n is not None:
        n = check_int("n", n, 1)
    chosen = dict(_c.DEFAULTS)
    for reg, name in dict(constructions or {}).items():
        _c.get(reg, name)
        chosen[reg] = name
    active = [r for r, v in controls.items() if v > 0]
    if len(active) > 1:
        raise NotImplementedError(f"bulk_radius covers one regularity at a time, got non-zero {active}")
    tau = 0.0
    mean0 = b * np.sqrt(d) * _SQ2PI
    sizes, mean, second = np.array([1.0]), np.full((1, 1), mean0), np.ones((1, 1))
    if controls["dale"] > 0:
        sizes, mean, second = _dale_blocks(controls["dale"], b, d, chosen["dale"])
    elif controls["modularity"] > 0:
        reading = chosen["modularity"]
        if reading not in ("rank-swap", "unequal", "ei-blocks", "variance"):
            raise NotImplementedError(f"no bulk theory for the modularity reading {reading!r}")
        ks = np.arange(1, K + 1, dtype=float)
        sizes = ks / ks.sum() if reading == "unequal" else np.full(K, 1.0 / K)
        mean, second = _modular_blocks(controls["modularity"], b, d, sizes, reading)
    elif controls["reciprocity"] > 0:
        tau = float(_pair_correlation(controls["reciprocity"], b, d, chosen["reciprocity"]))
    var = np.maximum(second - mean ** 2, 0.0)
    r = w * float(np.sqrt(np.max(np.abs(np.linalg.eigvals(var * sizes[None, :])))))
    outliers = ()
    if n is not None and w > 0:
        theta = np.linalg.eigvals(w * np.sqrt(n) * mean * sizes[None, :])
        theta = theta[np.abs(theta) > r * (1 + 1e-9)]
        theta = theta + tau * r * r / theta
        theta = np.where(np.abs(theta.imag) < 1e-9 * np.abs(theta), theta.real, theta)
        outliers = tuple(sorted((complex(t) for t in theta), key=lambda z: -abs(z)))
    return BulkSpectrum(radius=r, tau=tau, outliers=outliers)


def matched_strength(strength, balance=0.0, regularity="dale", control=1.0, *, modules=4, density=1.0,
                     constructions=None) -> float:
    r"""Strength at which a regularity's bulk reaches as far from the origin as the baseline's.

    The matched quantity is the extent of the bulk, its largest modulus
    :math:`(1 + |\tau|) r` (:attr:`BulkSpectrum.extent`): the bulk leaves the
    unit circle, and so destabilizes the quiescent state of
    :math:`x \mapsto \tanh(Wx)`, when the extent times the strength reaches 1.
    Every extent is proportional to the strength, so

    .. math:: w' = w \, \frac{E(b, c = 0)}{E(b, c)},

    with :math:`E` the extent at unit strength, control :math:`c` of
    ``regularity`` and the same balance, density and modules.

    What a matched pair then has in common depends on what the factor multiplies
    (the readings of :mod:`rnnlib.model.matching`):

    - ``bulk`` (the whole matrix, :math:`W' = (w'/w) W`): equal bulk extent; the
      outliers of the mean move with the factor, so where an outlier decides the
      regime (the mean outlier :math:`b w \sqrt{2dN/\pi}` at :math:`b \ne 0`) the
      pair is not at the same distance from instability;
    - ``centred`` (only :math:`W - \mathbb E W`): equal bulk extent and the
      outliers of :math:`\mathbb E W` kept, so equal leading outlier whenever the
      regularity keeps the mean (up to the shift :math:`\tau r^2/\theta` of an
      elliptic bulk). It cannot match where the regularity's mean structure
      itself differs from the baseline's: Dale's ``type-sign`` columns at
      :math:`b = 0` (a nilpotent mean that leaves a few random eigenvalues
      outside the bulk, which no rescaling of the bulk removes) and Dale's
      ``balanced`` construction at :math:`b \ne 0` (zero row sums: no mean
      outlier at all). :func:`rnnlib.model.matching.pair_spectra` measures both.

    Returns
    -------
    float
        The rescaled strength :math:`w'` (equal to ``strength`` at ``control = 0``).
    """
    w = check_real("strength", strength, 0.0)
    if regularity not in _c.REGULARITIES:
        raise ValueError(f"regularity must be one of {_c.REGULARITIES}, got {regularity!r}")
    control = check_real("control", control, 0.0, 1.0)
    return w * extent_ratio(balance, **{regularity: control}, modules=modules, density=density,
                            constructions=constructions)


def extent_ratio(balance=0.0, *, dale=0.0, reciprocity=0.0, modularity=0.0, modules=4, density=1.0,
                 constructions=None) -> float:
    r"""The factor :math:`E(b, 0) / E(b, c)` of :func:`matched_strength`, for given control values.

    :math:`E` is the extent (largest modulus) of the bulk at unit strength
    (:attr:`BulkSpectrum.extent`) with the given controls, :math:`E(b, 0)` that of the
    baseline at the same balance, density and modules; 1 when every control is 0.
    """
    kw = dict(modules=modules, density=density, constructions=constructions)
    controls = dict(dale=dale, reciprocity=reciprocity, modularity=modularity)
    ref = bulk_radius(1.0, balance, **kw).extent
    new = bulk_radius(1.0, balance, **controls, **kw).extent
    if new <= 0:
        raise ValueError(f"the bulk at {controls} has zero extent; no strength matches it")
    return ref / new


# --------------------------------------------------------------------------- weak rows (follow-up study)

def weak_rows_bulk(strength, balance=0.0, control=1.0, *, density=1.0, n=None, reading=None) -> BulkSpectrum:
    r"""Predicted bulk and outliers of ``make_weights(..., weak_rows=control)``: a matrix with a row-variance profile.

    The weak rows (:func:`rnnlib.model.constructions.weak_rows` readings) split
    the neurons into two row classes, the weak subset of fraction :math:`s` and
    the rest; the column does not matter. With :math:`q = c s` the fraction of
    all entries that moved, a weak row holds, at a fraction :math:`c` of its
    positions, the bottom :math:`q` of the weight distribution (by magnitude,
    or by signed value for a signed reading) and elsewhere the remaining
    :math:`1 - q`, which also fills every other row. Per unit element
    (:math:`\mathbb E X^2 = 1`, :math:`\mathbb E X = \bar m = b\sqrt{2d/\pi}`), the
    bottom part's partial moments are the totals minus the top :math:`1 - q`'s
    (the half-normal tails used for modularity). Row class :math:`k` then has
    mean :math:`w \mu_k / \sqrt N` and variance :math:`w^2 v_k / N`, and the
    variance-profile theory of :func:`bulk_radius` applies with
    :math:`B_{kl} = v_k s_l`, a rank-one matrix:

    .. math:: r^2 = w^2 \sum_k s_k v_k = w^2 \Big(1 - \sum_k s_k \mu_k^2\Big),

    the summed variance averaged over rows (the multiset, hence the mean square
    weight, is kept; only the row means can lower :math:`r`). The mean matrix
    :math:`\mu\, s^T` is rank one with the single eigenvalue
    :math:`w\sqrt N \sum_k s_k \mu_k = w \sqrt N\, \bar m`, the baseline's outlier:
    weak rows by magnitude move no outlier; a signed reading at :math:`b = 0`
    makes the mean nilpotent (no outlier in the large-:math:`N` limit). So at
    :math:`b = 0` the magnitude readings leave the bulk radius at :math:`w`: the
    weak rows change how the input variance is *shared* among neurons, not the
    linear stability of the quiescent state. As with Dale's column means, the
    nilpotent mean of a signed reading leaves a few random eigenvalues outside
    the bulk at finite :math:`N` (several per cent at :math:`N = 1000`); the
    centred matrix follows :math:`r`.

    Parameters
    ----------
    strength, balance, density
        As for :func:`rnnlib.make_weights`.
    control : float
        The weak-row control :math:`c` in [0, 1].
    n : int, optional
        Network size, for the outlier (which scales as :math:`\sqrt N`) and for the
        exact subset fraction :math:`s = \mathrm{round}(\text{share}\cdot N)/N`.
    reading : str, optional
        A weak-row construction name (default ``rnnlib.model.constructions.DEFAULTS["weak_rows"]``).

    Returns
    -------
    BulkSpectrum
        With :math:`\tau = 0`.
    """
    w = check_real("strength", strength, 0.0)
    b = check_real("balance", balance, -1.0, 1.0)
    c = check_real("control", control, 0.0, 1.0)
    d = check_real("density", density, 0.0, 1.0, lo_open=True)
    reading = _c.DEFAULTS["weak_rows"] if reading is None else reading
    _c.get("weak_rows", reading)
    share, signed = _c.WEAK_ROW_READINGS[reading]
    if n is not None:
        n = check_int("n", n, 1)
        share = _c.weak_row_count(n, reading) / n
    sizes = np.array([share, 1.0 - share])
    mean0, q = b * np.sqrt(d) * _SQ2PI, c * share
    top1, top2 = _partial_moments(1.0 - q, b, d, signed) if q > 0 else (mean0, 1.0)
    low = ((mean0 - top1) / q, (1.0 - top2) / q) if q > 0 else (mean0, 1.0)
    rest = (top1 / (1 - q), top2 / (1 - q))
    mean = np.array([c * low[0] + (1 - c) * rest[0], rest[0]])
    second = np.array([c * low[1] + (1 - c) * rest[1], rest[1]])
    r = w * float(np.sqrt(np.sum(sizes * np.maximum(second - mean ** 2, 0.0))))
    outliers = ()
    if n is not None and w > 0:
        theta = w * np.sqrt(n) * float(np.sum(sizes * mean))
        outliers = (complex(theta),) if abs(theta) > r * (1 + 1e-9) else ()
    return BulkSpectrum(radius=r, outliers=outliers)
