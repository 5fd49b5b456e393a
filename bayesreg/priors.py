r"""Priors on the regression coefficients: small frozen value objects.

Every prior is on the slopes :math:`\beta_1,\dots,\beta_p` only; the intercept always has a flat
prior (it is never penalised, like scikit-learn's ``fit_intercept=True``).

The strength of a prior is set by **one** of

* a fixed ``scale`` (Gaussian: standard deviation :math:`\tau`; Laplace: scale :math:`b`),
* a fixed ``rate`` (:math:`1/\tau` or :math:`\lambda = 1/b`),
* a ``hyperprior`` on the scale: :class:`HalfCauchy` on the scale itself, or :class:`Gamma` on the
  squared rate (Park & Casella's :math:`\lambda^2 \sim \mathrm{Gamma}(r, \delta)`),
* or, in :func:`bayesreg.fit`, scikit-learn's ``alpha``.

With ``scale_with_sigma=True`` the scale is measured in units of the noise standard deviation:
the prior is :math:`\beta_j \mid \sigma \sim N(0, \sigma^2\tau^2)` or
:math:`\mathrm{Laplace}(0, \sigma/\lambda)` (Park & Casella, 2008).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import ClassVar

import numpy as np

from ._scaling import elastic_net_penalty_weights
from ._validation import check_positive, rms, spreads

__all__ = [
    "PRIOR_ALIASES",
    "ElasticNet",
    "Gamma",
    "Gaussian",
    "HalfCauchy",
    "Laplace",
    "ResolvedPrior",
    "as_prior",
    "resolve_prior",
]


@dataclass(frozen=True)
class HalfCauchy:
    r"""Half-Cauchy hyperprior on a prior scale: :math:`s \sim \mathrm{HalfCauchy}(0, \text{scale})`.

    The weakly-informative default of Gelman (2006). The Gibbs sampler uses its inverse-gamma
    mixture (Makalic & Schmidt, 2016): :math:`s^2 \mid \nu \sim IG(1/2, 1/\nu)`,
    :math:`\nu \sim IG(1/2, 1/\text{scale}^2)`.
    """

    scale: float

    def __post_init__(self):
        check_positive(self.scale, "HalfCauchy.scale", allow_none=False)

    def describe(self) -> str:
        return f"HalfCauchy(0, {self.scale:.4g})"


@dataclass(frozen=True)
class Gamma:
    r"""Gamma hyperprior on the **squared rate** :math:`\rho^2 = 1/s^2` of a prior.

    For a Laplace prior this is Park & Casella's :math:`\lambda^2 \sim \mathrm{Gamma}(r, \delta)`
    (``shape=r``, ``rate=δ``, mean :math:`r/\delta`); for a Gaussian prior it is a Gamma prior on
    the prior precision :math:`1/\tau^2`. Conjugate in both cases.
    """

    shape: float
    rate: float

    def __post_init__(self):
        check_positive(self.shape, "Gamma.shape", allow_none=False)
        check_positive(self.rate, "Gamma.rate", allow_none=False)

    def describe(self) -> str:
        return f"Gamma(shape={self.shape:.4g}, rate={self.rate:.4g})"


Hyperprior = HalfCauchy | Gamma


@dataclass(frozen=True)
class _ScalePrior:
    scale: float | HalfCauchy | None = None
    rate: float | Gamma | None = None
    scale_with_sigma: bool | None = None
    hyperprior: Hyperprior | None = None

    family: ClassVar[str] = ""
    scale_symbol: ClassVar[str] = "s"

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
class Gaussian(_ScalePrior):
    r"""Gaussian (Normal) prior :math:`\beta_j \sim N(0, \tau^2)`; its MAP is Ridge.

    Parameters
    ----------
    scale : float, optional
        Prior standard deviation :math:`\tau`. Ridge's penalty is :math:`\alpha = \sigma^2/\tau^2`.
    rate : float, optional
        :math:`1/\tau`, as an alternative to ``scale``.
    scale_with_sigma : bool, optional
        If True, :math:`\beta_j \mid \sigma \sim N(0, \sigma^2\tau^2)` (the conjugate
        Normal–inverse-gamma form; Ridge's :math:`\alpha = 1/\tau^2` then does not depend on σ).
        Default: False for a fixed scale, True for a random one.
    hyperprior : HalfCauchy or Gamma, optional
        Prior on τ (HalfCauchy) or on the precision :math:`1/\tau^2` (Gamma).
    """

    family: ClassVar[str] = "gaussian"
    scale_symbol: ClassVar[str] = "tau"


@dataclass(frozen=True)
class Laplace(_ScalePrior):
    r"""Laplace (double-exponential) prior :math:`\beta_j \sim \mathrm{Laplace}(0, b)`; its MAP is Lasso.

    Density :math:`p(\beta_j) = \frac{1}{2b}\exp(-|\beta_j|/b) = \frac{\lambda}{2}\exp(-\lambda|\beta_j|)`.

    Parameters
    ----------
    scale : float, optional
        Prior scale :math:`b`. Lasso's penalty is :math:`\alpha = \sigma^2/(n b)`.
    rate : float, optional
        :math:`\lambda = 1/b`.
    scale_with_sigma : bool, optional
        If True, :math:`\beta_j \mid \sigma \sim \mathrm{Laplace}(0, \sigma/\lambda)` — the Bayesian
        Lasso of Park & Casella (2008). Default: False for a fixed scale, True for a random one.
    hyperprior : HalfCauchy or Gamma, optional
        Prior on the scale :math:`b` (HalfCauchy), or Park & Casella's
        :math:`\lambda^2 \sim \mathrm{Gamma}(r, \delta)` as ``Gamma(shape=r, rate=δ)``.

    Examples
    --------
    Park & Casella's model with λ fixed, and with their Gamma hyperprior on λ²:

    >>> Laplace(rate=0.237, scale_with_sigma=True)
    Laplace(scale=None, rate=0.237, scale_with_sigma=True, hyperprior=None)
    >>> Laplace(hyperprior=Gamma(shape=1, rate=1.78), scale_with_sigma=True)  # doctest: +ELLIPSIS
    Laplace(..., hyperprior=Gamma(shape=1, rate=1.78))
    """

    family: ClassVar[str] = "laplace"
    scale_symbol: ClassVar[str] = "b"


@dataclass(frozen=True)
class ElasticNet:
    r"""Elastic-net prior; its MAP is scikit-learn's ``ElasticNet(alpha, l1_ratio)``.

    Density :math:`p(\beta \mid \sigma) \propto \exp\{-\frac{n\alpha}{\sigma^2}
    (\rho\lVert\beta\rVert_1 + \frac{1-\rho}{2}\lVert\beta\rVert_2^2)\}` with :math:`\rho` =
    ``l1_ratio``; normalised per coefficient (the normaliser involves ``erfcx``). With ``l1_ratio=1``
    this is the Laplace prior with :math:`b=\sigma^2/(n\alpha)`, with ``l1_ratio=0`` the Gaussian prior
    with :math:`\tau^2=\sigma^2/(n\alpha)`.

    Parameters
    ----------
    alpha : float, optional
        scikit-learn's ``alpha``; may instead be given to :func:`bayesreg.fit`.
    l1_ratio : float
        Mixing parameter in [0, 1].
    """

    alpha: float | None = None
    l1_ratio: float = 0.5

    family: ClassVar[str] = "elasticnet"

    def __post_init__(self):
        if self.alpha is not None:
            object.__setattr__(self, "alpha", check_positive(self.alpha, "ElasticNet.alpha"))
        ratio = self.l1_ratio
        if isinstance(ratio, bool) or not isinstance(ratio, int | float | np.floating):
            raise TypeError(f"ElasticNet.l1_ratio must be a number in [0, 1]; got {ratio!r}")
        if not 0.0 <= float(ratio) <= 1.0:
            raise ValueError(f"ElasticNet.l1_ratio must be in [0, 1]; got {ratio!r}")
        object.__setattr__(self, "l1_ratio", float(ratio))

    @property
    def has_strength(self) -> bool:
        return self.alpha is not None


PRIOR_ALIASES: dict[str, type] = {
    "gaussian": Gaussian,
    "normal": Gaussian,
    "ridge": Gaussian,
    "laplace": Laplace,
    "lasso": Laplace,
    "elasticnet": ElasticNet,
    "elastic_net": ElasticNet,
    "enet": ElasticNet,
}

Prior = Gaussian | Laplace | ElasticNet


def as_prior(prior) -> Prior:
    """Turn a string alias or a prior object into a prior object (TypeError/ValueError otherwise)."""
    if isinstance(prior, Gaussian | Laplace | ElasticNet):
        return prior
    if isinstance(prior, str):
        cls = PRIOR_ALIASES.get(prior.lower())
        if cls is None:
            valid = ", ".join(repr(k) for k in PRIOR_ALIASES)
            raise ValueError(f"prior must be one of {valid}; got {prior!r}")
        return cls()
    raise TypeError(
        "prior must be a string ('gaussian', 'laplace', 'elasticnet', ...) or a bayesreg.Gaussian/"
        f"Laplace/ElasticNet object; got {type(prior).__name__}"
    )


@dataclass(frozen=True)
class ResolvedPrior:
    r"""A prior with its strength pinned down for one data set (internal).

    The effective prior scale is ``scale * sigma**sigma_power`` where ``scale`` is either the fixed
    number below or, when ``hyperprior`` is set, a random variable:

    * ``sigma_power = 0``: scale in the units of the coefficients,
    * ``sigma_power = 1``: scale relative to σ (``scale_with_sigma=True``, conjugate form),
    * ``sigma_power = 2``: the ``alpha`` route with σ unknown — chosen so that, for every σ,
      the conditional MAP of β is scikit-learn's solution at ``alpha``.

    For the elastic net, ``alpha``/``l1_ratio`` define the density and ``sigma_power`` is 2.
    """

    family: str
    n_samples: int
    scale: float | None = None
    sigma_power: int = 0
    hyperprior: Hyperprior | None = None
    sigma: float | None = None
    alpha: float | None = None  # set when the strength came from scikit-learn's alpha
    l1_ratio: float | None = None  # elastic net only
    source: str = "prior"
    prior: object = field(default=None, compare=False)

    @property
    def scale_is_random(self) -> bool:
        return self.hyperprior is not None

    @property
    def sigma_is_fixed(self) -> bool:
        return self.sigma is not None

    @property
    def random_scale_name(self) -> str | None:
        """Posterior variable name of the random scale: ``coef_scale`` or ``coef_rate``."""
        if self.hyperprior is None:
            return None
        return "coef_rate" if isinstance(self.hyperprior, Gamma) else "coef_scale"

    def implied_alpha(self, sigma: float | None = None, scale: float | None = None) -> float | None:
        """scikit-learn's penalty matching this prior, given σ and the scale (fixed if None).

        Returns None when an unknown quantity is needed but not given.
        """
        if self.alpha is not None:  # the alpha route: exact, whatever σ is
            return self.alpha
        sigma = self.sigma if sigma is None else sigma
        scale = self.scale if scale is None else scale
        if scale is None:
            return None
        if self.family == "gaussian":
            if self.sigma_power == 1:
                return 1.0 / scale**2
            if sigma is None:
                return None
            return sigma**2 / (scale * sigma**self.sigma_power) ** 2
        if self.sigma_power == 2:
            return 1.0 / (self.n_samples * scale)
        if sigma is None:
            return None
        return sigma**2 / (self.n_samples * scale * sigma**self.sigma_power)

    def log_prior_coef(self, coef: np.ndarray, sigma: float, scale: float | None = None) -> float:
        """Log density of the coefficient prior (normalised), at one value of σ and the scale."""
        coef = np.asarray(coef, dtype=float)
        p = coef.shape[-1]
        if self.family == "elasticnet":
            l1, l2 = elastic_net_penalty_weights(self.alpha, self.l1_ratio, self.n_samples, sigma)
            return float(-l1 * np.abs(coef).sum() - 0.5 * l2 * (coef**2).sum()
                         - p * elastic_net_log_normaliser(l1, l2))
        scale = self.scale if scale is None else scale
        eff = scale * sigma**self.sigma_power
        if self.family == "gaussian":
            return float(-0.5 * (coef**2).sum() / eff**2 - p * (math.log(eff) + 0.5 * math.log(2 * math.pi)))
        return float(-np.abs(coef).sum() / eff - p * math.log(2 * eff))

    def describe(self) -> list[tuple[str, str, str]]:
        """Rows (parameter, prior, note) for :meth:`FitResult.prior_summary`."""
        rows = [("intercept", "flat (improper uniform)", "unpenalised, as fit_intercept=True")]
        sig = "sigma" if self.sigma is None else f"{self.sigma:.6g}"
        if self.family == "elasticnet":
            power = "" if self.sigma is not None else " / sigma^2"
            rows.append((
                "coef",
                f"ElasticNet: density ∝ exp(-{self.n_samples}*{self.alpha:.6g}{power}"
                f" * ({self.l1_ratio:.4g}*|b| + {1 - self.l1_ratio:.4g}/2*b^2))",
                f"MAP = sklearn ElasticNet(alpha={self.alpha:.6g}, l1_ratio={self.l1_ratio:.4g})",
            ))
        else:
            name = "Normal" if self.family == "gaussian" else "Laplace"
            if self.scale_is_random:
                var = self.random_scale_name
                base = var if var == "coef_scale" else f"1/{var}"
            else:
                base = f"{self.scale:.6g}"
            factor = {0: "", 1: f" * {sig}", 2: f" * {sig}^2"}[self.sigma_power]
            note = {
                "alpha": "scale set from alpha",
                "scale": "scale given",
                "prior": "scale given in the prior",
                "default": "default hyperprior, scaled to the data",
            }[self.source]
            alpha = self.implied_alpha()
            if alpha is not None:
                what = "Ridge" if self.family == "gaussian" else "Lasso"
                note += f"; MAP = sklearn {what}(alpha={alpha:.6g})"
            rows.append(("coef", f"{name}(0, {base}{factor})", note))
            if self.scale_is_random:
                var = self.random_scale_name
                if var == "coef_scale":
                    rows.append((var, self.hyperprior.describe(), note_for_hyper(self)))
                else:
                    rows.append((f"{var}^2", self.hyperprior.describe(), note_for_hyper(self)))
        if self.sigma is None:
            rows.append(("sigma", "p(sigma^2) ∝ 1/sigma^2 (Jeffreys)", "noise sd unknown"))
        else:
            rows.append(("sigma", f"fixed at {self.sigma:.6g}", "noise sd given"))
        return rows


def note_for_hyper(resolved: ResolvedPrior) -> str:
    unit = "relative to sigma" if resolved.sigma_power == 1 else "in units of y per unit x"
    return f"random prior scale ({unit}); " + (
        "default, scaled to the data" if resolved.source == "default" else "given in the prior"
    )


def elastic_net_log_normaliser(l1: float, l2: float) -> float:
    r"""log of :math:`\int \exp(-l_1|b| - l_2 b^2/2)\,db` (one coefficient)."""
    from scipy.special import erfcx

    if l2 <= 0:
        return math.log(2.0 / l1)
    z = l1 / math.sqrt(2.0 * l2)
    return math.log(2.0) + 0.5 * math.log(math.pi / (2.0 * l2)) + math.log(erfcx(z))


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


def resolve_prior(prior, *, scale=None, alpha=None, sigma=None, X=None, y=None,
                  data=None) -> ResolvedPrior:
    """Combine a prior with ``scale``/``alpha``/``sigma`` into a :class:`ResolvedPrior`.

    The data are given as ``X`` and ``y``, or as a validated :class:`~bayesreg._validation.Data`
    (which may hold only sufficient statistics). Validates every argument (errors name it) before
    anything is built.
    """
    prior = as_prior(prior)
    scale = check_positive(scale, "scale")
    alpha = check_positive(alpha, "alpha")
    sigma = check_positive(sigma, "sigma")
    if data is not None:
        n, data_spreads = data.n_samples, data.spreads
    else:
        n = X.shape[0]

        def data_spreads():
            return spreads(X, y)
    if scale is not None and alpha is not None:
        raise ValueError("give at most one of scale and alpha (both set the prior's strength)")
    if (scale is not None or alpha is not None) and prior.has_strength:
        which = "scale" if scale is not None else "alpha"
        raise ValueError(
            f"{which} was given but the prior object {prior!r} already sets its strength; "
            "give it in one place"
        )
    common = dict(n_samples=n, sigma=sigma, prior=prior)

    if isinstance(prior, ElasticNet):
        if scale is not None:
            raise ValueError("the elastic-net prior is set by alpha (and l1_ratio), not scale")
        en_alpha = alpha if alpha is not None else prior.alpha
        if en_alpha is None:
            raise ValueError(
                "the elastic-net prior needs alpha: bayesreg.ElasticNet(alpha=..., l1_ratio=...) "
                "or fit(..., alpha=...)"
            )
        return ResolvedPrior(
            family="elasticnet", alpha=en_alpha, l1_ratio=prior.l1_ratio, sigma_power=2,
            source="alpha" if alpha is not None else "prior", **common,
        )

    family = prior.family
    if alpha is not None:
        if sigma is not None:
            fixed = sigma / alpha**0.5 if family == "gaussian" else sigma**2 / (n * alpha)
            return ResolvedPrior(family=family, scale=fixed, sigma_power=0, source="alpha",
                                 alpha=alpha, **common)
        if family == "gaussian":
            return ResolvedPrior(family=family, scale=alpha**-0.5, sigma_power=1, source="alpha",
                                 alpha=alpha, **common)
        return ResolvedPrior(family=family, scale=1.0 / (n * alpha), sigma_power=2, source="alpha",
                             alpha=alpha, **common)

    fixed = scale if scale is not None else prior.fixed_scale
    if fixed is not None:
        power = 1 if prior.scale_with_sigma else 0
        if power == 1 and sigma is not None:
            fixed, power = fixed * sigma, 0
        return ResolvedPrior(family=family, scale=fixed, sigma_power=power,
                             source="scale" if scale is not None else "prior", **common)

    tied = True if prior.scale_with_sigma is None else prior.scale_with_sigma
    hyper = prior.hyperprior
    source = "prior"
    if hyper is None:
        hyper = HalfCauchy(default_hyperprior_scale(*data_spreads(), relative_to_sigma=tied))
        source = "default"
    return ResolvedPrior(family=family, hyperprior=hyper, sigma_power=1 if tied else 0,
                         source=source, **common)


def prior_to_dict(prior) -> dict:
    """JSON-able description of a prior object (for netcdf round-trips)."""
    out = {"type": type(prior).__name__}
    for f in fields(prior):
        value = getattr(prior, f.name)
        if isinstance(value, HalfCauchy | Gamma):
            value = {"type": type(value).__name__, **{g.name: getattr(value, g.name) for g in fields(value)}}
        out[f.name] = value
    return out


def prior_from_dict(data: dict):
    """Inverse of :func:`prior_to_dict`."""
    classes = {c.__name__: c for c in (Gaussian, Laplace, ElasticNet, HalfCauchy, Gamma)}
    kwargs = {}
    for key, value in data.items():
        if key == "type":
            continue
        if isinstance(value, dict):
            value = prior_from_dict(value)
        kwargs[key] = value
    return classes[data["type"]](**kwargs)
