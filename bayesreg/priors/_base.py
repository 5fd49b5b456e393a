r"""What a prior family declares, the resolved prior and the shared scale-family logic.

A prior family is one object (a subclass of :class:`PriorFamily`) that knows everything about its
prior: its names, its prior class, how scikit-learn's ``alpha`` maps to it, its MAP penalty (or that
it has none), its log density in NumPy and in PyMC, which Gibbs update it has (if any), its density
for plots and its description. The rest of bayesreg asks the family; it never tests a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from .._validation import check_positive, rms
from ._hyper import Gamma, HalfCauchy, Hyperprior

__all__ = [
    "GIBBS_EXPONENTIAL_MIXTURE",
    "GIBBS_FIXED_VARIANCE",
    "GIBBS_HALF_CAUCHY_MIXTURE",
    "GIBBS_HALF_CAUCHY_PLUS",
    "GIBBS_REGULARIZED_HALF_CAUCHY",
    "PriorFamily",
    "ResolvedPrior",
    "ScaleFamily",
    "ScalePrior",
]

#: Gibbs local-variance updates the compiled kernel has (``PriorFamily.gibbs``):
#: every coefficient has the prior variance s² (a Gaussian prior) ...
GIBBS_FIXED_VARIANCE = 0
#: ... or its own variance ω_j with an exponential mixing density (a Laplace prior) ...
GIBBS_EXPONENTIAL_MIXTURE = 1
#: ... or the variance s²λ_j² with a half-Cauchy local scale λ_j (the horseshoe), through the
#: inverse-gamma auxiliaries of Makalic & Schmidt (2016).
GIBBS_HALF_CAUCHY_MIXTURE = 2
#: ... or the variance s²λ_j² with λ_j ~ C⁺(0, η_j), η_j ~ C⁺(0, 1) (the horseshoe+), through
#: two chains of inverse-gamma auxiliaries.
GIBBS_HALF_CAUCHY_PLUS = 3
#: ... or the regularized horseshoe's variance (1/c_j² + 1/(τ²λ_j²))⁻¹ (Piironen & Vehtari 2017),
#: its local scales, global scale, slab and σ by slice steps.
GIBBS_REGULARIZED_HALF_CAUCHY = 4


@dataclass(frozen=True)
class ScalePrior:
    """Base of the prior classes whose strength is a scale (fixed, or with a hyperprior)."""

    scale: float | HalfCauchy | None = None
    rate: float | Gamma | None = None
    scale_with_sigma: bool | None = None
    hyperprior: Hyperprior | None = None

    family: ClassVar[str] = ""

    def __post_init__(self):
        # sugar: Laplace(scale=HalfCauchy(...)) and Laplace(rate=Gamma(...)) are hyperpriors
        cls = type(self).__name__
        if isinstance(self.scale, HalfCauchy | Gamma) or isinstance(self.rate, HalfCauchy | Gamma):
            if self.hyperprior is not None:
                raise ValueError(f"{cls}: give a hyperprior once, not in scale/rate and hyperprior")
            hyper = self.scale if isinstance(self.scale, HalfCauchy | Gamma) else self.rate
            if isinstance(self.scale, HalfCauchy | Gamma) and isinstance(self.rate, HalfCauchy | Gamma):
                raise ValueError(f"{cls}: give at most one of scale and rate")
            object.__setattr__(self, "hyperprior", hyper)
            if hyper is self.scale:
                object.__setattr__(self, "scale", None)
            else:
                object.__setattr__(self, "rate", None)
        given = [n for n in ("scale", "rate", "hyperprior") if getattr(self, n) is not None]
        if len(given) > 1:
            raise ValueError(f"{cls}: give at most one of scale, rate and hyperprior; got {given}")
        if self.scale is not None:
            object.__setattr__(self, "scale", check_positive(self.scale, f"{cls}.scale"))
        if self.rate is not None:
            object.__setattr__(self, "rate", check_positive(self.rate, f"{cls}.rate"))
        if self.hyperprior is not None and not isinstance(self.hyperprior, HalfCauchy | Gamma):
            raise TypeError(
                f"{cls}.hyperprior must be bayesreg.HalfCauchy or bayesreg.Gamma; "
                f"got {type(self.hyperprior).__name__}"
            )
        if self.scale_with_sigma is not None and not isinstance(self.scale_with_sigma, bool):
            raise TypeError(f"{cls}.scale_with_sigma must be True, False or None")

    @property
    def fixed_scale(self) -> float | None:
        """The fixed scale (``1/rate`` when a rate was given), or None."""
        if self.scale is not None:
            return self.scale
        if self.rate is not None:
            return 1.0 / self.rate
        return None

    @property
    def has_strength(self) -> bool:
        return any(getattr(self, n) is not None for n in ("scale", "rate", "hyperprior"))


@dataclass(frozen=True)
class ResolvedPrior:
    r"""A prior with its strength pinned down for one data set (internal).

    The effective prior scale is ``scale * sigma**sigma_power`` where ``scale`` is either the fixed
    number below or, when ``hyperprior`` is set, a random variable:

    * ``sigma_power = 0``: scale in the units of the coefficients,
    * ``sigma_power = 1``: scale relative to σ (``scale_with_sigma=True``, conjugate form),
    * ``sigma_power = 2``: the ``alpha`` route with σ unknown for a Laplace prior — chosen so that,
      for every σ, the conditional MAP of β is scikit-learn's solution at ``alpha``.

    For the elastic net, ``alpha``/``l1_ratio`` define the density and ``sigma_power`` is 2.
    ``family`` is the registered name of the prior family (:func:`bayesreg.priors.get_family`),
    ``likelihood`` that of the likelihood (for ``"bernoulli"`` σ is fixed at 1: the logistic
    likelihood has no noise scale, and ``alpha`` is ``1/(w(n) C)``, see
    :mod:`bayesreg.likelihoods.bernoulli`).
    ``column_scales``: per-coefficient reference scales in the coefficients' units (sd(y)/sd(x_j)),
    for a family whose prior differs between columns (the regularized horseshoe's slab); the
    standardized units rescale them like the coefficients.
    """

    family: str
    n_samples: int
    scale: float | None = None
    sigma_power: int = 0
    hyperprior: Hyperprior | None = None
    sigma: float | None = None
    alpha: float | None = None  # set when the strength came from scikit-learn's alpha
    l1_ratio: float | None = None  # the elastic net's mixing parameter
    source: str = "prior"
    column_scales: tuple[float, ...] | None = None
    likelihood: str = "gaussian"  # the registered name of the likelihood the prior is used with
    expected_nonzero: float | None = None  # p0 behind a global scale's tau_0, when it set it
    prior: object = field(default=None, compare=False)

    def __post_init__(self):
        if self.column_scales is not None:  # a tuple of floats, also when read back from JSON
            object.__setattr__(self, "column_scales", tuple(float(v) for v in self.column_scales))

    @property
    def spec(self) -> PriorFamily:
        """The prior family object that declares this prior."""
        from ._registry import get_family

        return get_family(self.family)

    @property
    def scale_is_random(self) -> bool:
        return self.hyperprior is not None

    @property
    def sigma_is_fixed(self) -> bool:
        return self.sigma is not None

    @property
    def random_scale_name(self) -> str | None:
        """Posterior variable name of the random scale: ``coef_scale`` or ``coef_rate``."""
        return None if self.hyperprior is None else self.hyperprior.variable

    def structure(self) -> tuple:
        """What fixes the shape of this prior's PyMC graph (its numbers are data containers)."""
        ratio = None if self.l1_ratio is None else (self.l1_ratio == 0.0, self.l1_ratio == 1.0)
        return (self.family, self.sigma_power, type(self.hyperprior).__name__, self.sigma is None,
                self.scale is None, self.alpha is None, ratio, self.likelihood)

    def effective_scale(self, sigma, unit_scale=None):
        r"""The prior scale :math:`s\,\sigma^k` (``unit_scale`` s defaults to the fixed scale)."""
        unit = self.scale if unit_scale is None else unit_scale
        return unit * sigma**self.sigma_power if self.sigma_power else unit * np.ones_like(sigma)

    def implied_alpha(self, sigma: float | None = None, scale: float | None = None) -> float | None:
        """scikit-learn's penalty matching this prior, given σ and the scale (fixed if None).

        Returns None when an unknown quantity is needed but not given, or the family has none.
        """
        return self.spec.implied_alpha(self, sigma=sigma, scale=scale)

    def log_prior_coef(self, coef, sigma, random_scale=None):
        """Log density of the coefficient prior (and of the random scale), per draw."""
        return self.spec.log_prior(self, coef, sigma, random_scale)

    def describe(self) -> list[tuple[str, str, str]]:
        """Rows (parameter, prior, note) for :meth:`FitResult.prior_summary`."""
        rows = [("intercept", "flat (improper uniform)", "unpenalised, as fit_intercept=True")]
        rows += self.spec.describe(self)
        return self.likelihood_spec.describe(self, rows)

    @property
    def likelihood_spec(self):
        """The likelihood object (:func:`bayesreg.likelihoods.get_likelihood`)."""
        from ..likelihoods import get_likelihood

        return get_likelihood(self.likelihood)


class PriorFamily:
    r"""A prior family: subclass it, fill in the class attributes and methods, and register it.

    Adding a family to bayesreg is one module with a prior class and a ``PriorFamily`` subclass,
    plus one call to :func:`bayesreg.priors.register_family` (the built-in families are registered
    in ``bayesreg/priors/_registry.py``). Nothing else in the package tests a family's name: the
    MAP solvers read :meth:`penalty`, the samplers :attr:`gibbs`/:attr:`conjugate` and
    :meth:`pymc_coefficients`, ``lp`` comes from :meth:`log_prior`, the plots from
    :meth:`density`, ``prior_summary()`` from :meth:`describe`. ``tests/test_families.py`` then
    checks the family with no other change (log density against PyMC's, MAP against
    scikit-learn where there is a penalty, Gibbs against NUTS where there is a Gibbs update, SBC,
    netCDF round trip).

    Class attributes
    ----------------
    name : str
        Registered name (``ResolvedPrior.family``, ``MAPEstimate.family``).
    aliases : tuple of str
        Other strings accepted for ``prior=``.
    prior_class : type
        The frozen, printable prior class users construct (with ``family = name``).
    label : str
        Human name in titles ("Laplace").
    map_name : str or None
        The scikit-learn estimator whose solution is the MAP ("Lasso"), or None.
    no_map_reason : str or None
        Why there is no MAP (for ``method="map"``'s ValueError) when :meth:`penalty` is None.
    gibbs : int or None
        Local-variance update of the compiled Gibbs kernel (``GIBBS_*``), or None: then
        ``sampler="auto"`` uses NUTS.
    conjugate : bool
        True if β | scale is N(0, scale²): the posterior is closed form at a fixed scale.
    color : str
        Matplotlib colour used for this family in plots.
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    prior_class: ClassVar[type] = type(None)
    label: ClassVar[str] = ""
    map_name: ClassVar[str | None] = None
    no_map_reason: ClassVar[str | None] = "this prior family declares no MAP penalty"
    gibbs: ClassVar[int | None] = None
    conjugate: ClassVar[bool] = False
    color: ClassVar[str] = "C2"
    #: False when :meth:`log_prior` (latents integrated out) has no closed form: ``lp`` is then
    #: the joint density with the latent variables, :meth:`log_prior_with_latents`
    marginal_log_prior: ClassVar[bool] = True

    def __repr__(self) -> str:
        return f"<prior family {self.name!r}>"

    # ---- strength -------------------------------------------------------------------------
    def resolve(self, prior, *, scale, alpha, sigma, n_samples, spreads) -> ResolvedPrior:
        """Pin down the prior's strength for one data set (``spreads()`` → (sd(x_j), sd(y)))."""
        raise NotImplementedError

    def implied_alpha(self, resolved: ResolvedPrior, sigma=None, scale=None) -> float | None:
        """scikit-learn's ``alpha`` for this prior at σ and the scale, or None."""
        return resolved.alpha

    def alpha_to_scale(self, alpha: float, n_samples: int, sigma: float) -> float:
        raise ValueError(f"the {self.name!r} prior has no alpha <-> scale conversion")

    def scale_to_alpha(self, scale: float, n_samples: int, sigma: float) -> float:
        raise ValueError(f"the {self.name!r} prior has no alpha <-> scale conversion")

    # ---- MAP --------------------------------------------------------------------------------
    def alpha_parts(self, alpha: float, l1_ratio: float | None) -> tuple[float, float] | None:
        r"""scikit-learn's ``alpha`` split into its L1 and L2 parts, or None (no MAP penalty).

        The penalty is ``l1_part * ||β||₁ + l2_part / 2 * ||β||²`` in scikit-learn's objective.
        """
        return None

    def alpha_from_parts(self, l1_part: float, l2_part: float) -> tuple[float, float | None]:
        """Inverse of :meth:`alpha_parts`: (alpha, l1_ratio)."""
        raise NotImplementedError

    def loss_factor(self, n_samples: int) -> float:
        r"""scikit-learn's objective divided by the centred objective the solvers minimise.

        The solvers minimise :math:`f = \tfrac12\lVert y_c - X_c\beta\rVert^2 + \ell_1\lVert\beta
        \rVert_1 + \tfrac{\ell_2}{2}\lVert\beta\rVert^2` with :math:`(\ell_1, \ell_2)` =
        :meth:`objective_weight` × (L1 part, L2 part); scikit-learn's objective is this factor × f
        (2 for Ridge, 1/n for Lasso and ElasticNet), and the negative log posterior is f/σ².
        """
        raise NotImplementedError

    def objective_weight(self, n_samples: int) -> float:
        """c in (ℓ₁, ℓ₂) = c × (l1 part, l2 part): 1 for Ridge's objective, n for Lasso's."""
        raise NotImplementedError

    def penalty(self, alpha: float, l1_ratio: float | None, n_samples: int):
        """(ℓ₁, ℓ₂) of the centred objective, or None when the family has no MAP penalty."""
        parts = self.alpha_parts(alpha, l1_ratio)
        if parts is None:
            return None
        weight = self.objective_weight(n_samples)
        return weight * parts[0], weight * parts[1]

    def sklearn_estimator(self, alpha: float, l1_ratio: float | None = None):
        """The scikit-learn estimator whose solution is the MAP at ``alpha`` (or None)."""
        return None

    # ---- densities and models ----------------------------------------------------------------
    def log_prior(self, resolved: ResolvedPrior, coef, sigma, random_scale=None) -> np.ndarray:
        """Log prior density of the coefficients (and of a random scale) for each draw.

        ``coef`` (S, p), ``sigma`` and ``random_scale`` (S,). Normalised; equal to the PyMC
        model's log density of the same variables. A family with latent variables
        (:meth:`latent_variables`) gives it with the latents integrated out.
        """
        raise NotImplementedError

    def latent_variables(self, resolved: ResolvedPrior) -> dict[str, tuple[str, ...]]:
        """Posterior variables besides ``coef`` and the random scale (name → dims), or none.

        Latent variables of the prior (local scales, ...) that the samplers report; they are
        dimensionless, so the change to standardized units leaves them as they are.
        """
        return {}

    def log_prior_with_latents(self, resolved: ResolvedPrior, coef, sigma, random_scale,
                               latents: dict) -> np.ndarray:
        """Log density of the coefficients, the random scale and the latent variables jointly.

        ``latents`` maps each name of :meth:`latent_variables` to its draws (S,) or (S, p). This
        is the PyMC model's density; :meth:`log_prior` is it with the latents integrated out.
        """
        return self.log_prior(resolved, coef, sigma, random_scale)

    def pymc_coefficients(self, pm, resolved: ResolvedPrior, sigma):
        """Create the ``coef`` variable (dims ``feature``) inside a PyMC model context."""
        raise NotImplementedError

    def density(self, resolved: ResolvedPrior, x: np.ndarray, sigma: float, scales=None) -> np.ndarray:
        """Prior density of one coefficient on ``x`` (averaged over ``scales`` if random)."""
        coef = np.asarray(x, dtype=float)[:, None]
        s = np.full(coef.shape[0], float(sigma))
        if scales is None:
            return np.exp(self.log_prior(resolved, coef, s))
        out = np.zeros(coef.shape[0])
        for value in np.atleast_1d(scales):
            fixed = _fixed_at(resolved, float(value))
            out += np.exp(self.log_prior(fixed, coef, s))
        return out / np.size(scales)

    def describe(self, resolved: ResolvedPrior) -> list[tuple[str, str, str]]:
        """Rows (parameter, prior, note) for the coefficients (and their random scale)."""
        raise NotImplementedError

    def prior_draws(self, resolved: ResolvedPrior, sigma: float, n_features: int, rng) -> dict:
        """One draw from the prior: ``{"coef": (p,) array}`` plus the random scale if any.

        Used for prior predictive checks and simulation-based calibration.
        """
        raise NotImplementedError

    # ---- shrinkage ---------------------------------------------------------------------------
    def conditional_variances(self, resolved: ResolvedPrior, draws: dict, rng) -> np.ndarray | None:
        r"""Each coefficient's prior variance given the family's local variables, per draw.

        For a normal scale mixture, :math:`\beta_j \mid v_j \sim N(0, v_j)`: returns
        :math:`v_{sj}`, shape (S, p). ``draws`` maps ``coef`` (S, p), ``sigma`` (S,), the random
        scale (S,) and the latent variables (:meth:`latent_variables`) to draws — posterior
        draws or prior draws alike. A local variance that is not among them is drawn from its
        conditional given β (the same under the prior and the posterior) with ``rng``. None: the
        family is not a normal scale mixture, and has no shrinkage profile.
        """
        return None


def _fixed_at(resolved: ResolvedPrior, unit_scale: float) -> ResolvedPrior:
    import dataclasses

    return dataclasses.replace(resolved, scale=unit_scale, hyperprior=None)


def pymc_unit_scale(pm, resolved: ResolvedPrior):
    """The unit scale s in a PyMC model: the hyperprior's variable, or a data container (so a
    compiled model is reused for another fixed scale)."""
    if resolved.scale_is_random:
        return resolved.hyperprior.pymc_unit_scale(pm)
    return pm.Data("prior_scale", np.asarray(resolved.scale, dtype=float))


def draw_unit_scale(resolved: ResolvedPrior, rng, truth: dict) -> float:
    """The unit scale s for a prior draw: fixed, or drawn from the hyperprior (recorded in
    ``truth`` under the random scale's variable name)."""
    if not resolved.scale_is_random:
        return resolved.scale
    value = resolved.hyperprior.draw(rng)
    truth[resolved.random_scale_name] = value
    return resolved.hyperprior.unit_scale(value)


def default_hyperprior_scale(sd_x: np.ndarray, sd_y: float, relative_to_sigma: bool) -> float:
    """Scale of the default HalfCauchy hyperprior: 1/rms(sd(x_j)), times sd(y) if not tied to σ.

    ``sd_x`` and ``sd_y`` are the population sds of the columns of X and of y.
    """
    spread = rms(np.asarray(sd_x, dtype=float))  # without overflow, like the standardized units
    if not np.isfinite(spread) or spread <= 0:
        spread = 1.0
    scale = 1.0 / spread
    if not relative_to_sigma:
        scale *= sd_y if sd_y > 0 else 1.0
    return scale


class ScaleFamily(PriorFamily):
    r"""A family :math:`\beta_j \sim D(0, s\,\sigma^k)` with one scale: fixed, from ``alpha``, or random.

    Subclasses give the density (:meth:`log_density`, :meth:`pymc_distribution`), the α route
    (:meth:`unit_scale_from_alpha` at σ = 1 and its inverse, and :attr:`alpha_sigma_power`, the
    power of σ in the scale when ``alpha`` is given and σ is unknown) and the penalty parts.
    """

    alpha_sigma_power: ClassVar[int] = 1
    density_name: ClassVar[str] = ""  # "Normal", "Laplace" in prior_summary()

    # ---- to be given by a subclass ----------------------------------------------------------
    def unit_scale_from_alpha(self, alpha: float, n_samples: int) -> float:
        """The prior scale matching ``alpha`` at σ = 1 (the scale is that × σ^alpha_sigma_power)."""
        raise NotImplementedError

    def alpha_from_unit_scale(self, unit_scale: float, n_samples: int) -> float:
        """Inverse of :meth:`unit_scale_from_alpha`."""
        raise NotImplementedError

    def log_density(self, coef: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """Σ_j log D(β_j; 0, scale), for ``coef`` (S, p) and ``scale`` (S,)."""
        raise NotImplementedError

    def pymc_distribution(self, pm, name: str, scale, dims):
        raise NotImplementedError

    def random(self, scale: float, size: int, rng) -> np.ndarray:
        """``size`` independent draws from D(0, scale)."""
        raise NotImplementedError

    def mixture_variances(self, coef: np.ndarray, scale: np.ndarray, rng) -> np.ndarray | None:
        """:math:`v_{sj}` of D(0, scale_s) as a normal scale mixture, given ``coef`` (S, p), or None."""
        return None

    # ---- shared -------------------------------------------------------------------------------
    def alpha_to_scale(self, alpha: float, n_samples: int, sigma: float) -> float:
        return self.unit_scale_from_alpha(alpha, n_samples) * sigma**self.alpha_sigma_power

    def scale_to_alpha(self, scale: float, n_samples: int, sigma: float) -> float:
        return self.alpha_from_unit_scale(scale / sigma**self.alpha_sigma_power, n_samples)

    def implied_alpha(self, resolved, sigma=None, scale=None):
        if resolved.alpha is not None:  # the alpha route: exact, whatever σ is
            return resolved.alpha
        if self.alpha_parts(1.0, resolved.l1_ratio) is None:
            return None
        sigma = resolved.sigma if sigma is None else sigma
        scale = resolved.scale if scale is None else scale
        if scale is None:
            return None
        if resolved.sigma_power == self.alpha_sigma_power:
            return self.alpha_from_unit_scale(scale, resolved.n_samples)
        if sigma is None:
            return None
        return self.scale_to_alpha(scale * sigma**resolved.sigma_power, resolved.n_samples, sigma)

    def resolve(self, prior, *, scale, alpha, sigma, n_samples, spreads) -> ResolvedPrior:
        common = dict(family=self.name, n_samples=n_samples, sigma=sigma, prior=prior)
        if alpha is not None and self.alpha_parts(alpha, None) is None:
            raise ValueError(f"the {self.label} prior has no scikit-learn penalty, so no alpha: "
                             "give its scale= (or a hyperprior) instead")
        if alpha is not None:
            if sigma is not None:
                return ResolvedPrior(scale=self.alpha_to_scale(alpha, n_samples, sigma),
                                     sigma_power=0, source="alpha", alpha=alpha, **common)
            return ResolvedPrior(scale=self.unit_scale_from_alpha(alpha, n_samples),
                                 sigma_power=self.alpha_sigma_power, source="alpha", alpha=alpha,
                                 **common)
        fixed = scale if scale is not None else prior.fixed_scale
        if fixed is not None:
            power = 1 if prior.scale_with_sigma else 0
            if power == 1 and sigma is not None:
                fixed, power = fixed * sigma, 0
            return ResolvedPrior(scale=fixed, sigma_power=power,
                                 source="scale" if scale is not None else "prior", **common)
        tied = True if prior.scale_with_sigma is None else prior.scale_with_sigma
        hyper = prior.hyperprior
        source = "prior"
        if hyper is None:
            hyper = HalfCauchy(default_hyperprior_scale(*spreads(), relative_to_sigma=tied))
            source = "default"
        return ResolvedPrior(hyperprior=hyper, sigma_power=1 if tied else 0, source=source, **common)

    def density(self, resolved, x, sigma, scales=None):
        x = np.asarray(x, dtype=float)
        units = np.atleast_1d(resolved.scale if scales is None else scales).astype(float)
        eff = resolved.effective_scale(float(sigma), units)
        out = np.zeros_like(x)
        for chunk in np.array_split(eff, max(1, eff.size // 500)):
            grid = np.repeat(x, chunk.size)[:, None]
            values = self.log_density(grid, np.tile(chunk, x.size))
            out += np.exp(values).reshape(x.size, chunk.size).sum(axis=1)
        return out / eff.size

    def scales_and_hyper_density(self, resolved, sigma, random_scale, n_draws: int):
        """The prior scale of each of ``n_draws`` draws and the log density of the random scale
        under its hyperprior (0 for a fixed scale), both shape (S,)."""
        draws = {"sigma": np.broadcast_to(np.asarray(sigma, dtype=float), (n_draws,))}
        log_hyper = np.zeros(n_draws)
        if resolved.scale_is_random:
            value = np.broadcast_to(np.asarray(random_scale, dtype=float), (n_draws,))
            draws[resolved.random_scale_name] = value
            log_hyper = log_hyper + resolved.hyperprior.log_density(value)
        return self.draw_scales(resolved, draws), log_hyper

    def log_prior(self, resolved, coef, sigma, random_scale=None):
        coef = np.atleast_2d(np.asarray(coef, dtype=float))
        scales, log_hyper = self.scales_and_hyper_density(resolved, sigma, random_scale, coef.shape[0])
        return log_hyper + self.log_density(coef, scales)

    def pymc_coefficients(self, pm, resolved, sigma):
        unit = pymc_unit_scale(pm, resolved)
        scale = unit * sigma**resolved.sigma_power if resolved.sigma_power else unit
        return self.pymc_distribution(pm, "coef", scale, "feature")

    def draw_scales(self, resolved, draws: dict) -> np.ndarray:
        r"""The prior scale :math:`s\,\sigma^k` of each draw in ``draws`` (``sigma`` and the random
        scale), shape (S,)."""
        sigma = np.asarray(draws["sigma"], dtype=float)
        unit = None
        if resolved.scale_is_random:
            unit = resolved.hyperprior.unit_scale(
                np.asarray(draws[resolved.random_scale_name], dtype=float))
        return np.broadcast_to(resolved.effective_scale(sigma, unit), sigma.shape)

    def conditional_variances(self, resolved, draws, rng):
        coef = np.asarray(draws["coef"], dtype=float)
        return self.mixture_variances(coef, self.draw_scales(resolved, draws), rng)

    def prior_draws(self, resolved, sigma, n_features, rng):
        truth = {}
        eff = float(resolved.effective_scale(float(sigma), draw_unit_scale(resolved, rng, truth)))
        truth["coef"] = self.random(eff, n_features, rng)
        return truth

    def describe(self, resolved):
        sig = "sigma" if resolved.sigma is None else f"{resolved.sigma:.6g}"
        if resolved.scale_is_random:
            var = resolved.random_scale_name
            base = var if var == "coef_scale" else f"1/{var}"
        else:
            base = f"{resolved.scale:.6g}"
        factor = {0: "", 1: f" * {sig}", 2: f" * {sig}^2"}[resolved.sigma_power]
        note = {
            "alpha": "scale set from alpha",
            "scale": "scale given",
            "prior": "scale given in the prior",
            "default": "default hyperprior, scaled to the data",
        }[resolved.source]
        alpha = resolved.implied_alpha()
        if alpha is not None and self.map_name is not None:
            note += f"; MAP = sklearn {self.map_name}(alpha={alpha:.6g})"
        rows = [("coef", f"{self.density_name}(0, {base}{factor})", note)]
        if resolved.scale_is_random:
            var = resolved.random_scale_name
            unit = "relative to sigma" if resolved.sigma_power == 1 else "in units of y per unit x"
            hyper_note = f"random prior scale ({unit}); " + (
                "default, scaled to the data" if resolved.source == "default" else "given in the prior")
            name = var if var == "coef_scale" else f"{var}^2"
            rows.append((name, resolved.hyperprior.describe(), hyper_note))
        return rows

