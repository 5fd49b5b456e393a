r"""Priors on the regression coefficients: prior families as plug-ins, and frozen prior objects.

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

The global–local families :class:`Horseshoe`, :class:`HorseshoePlus` and
:class:`RegularizedHorseshoe` always have a
random global scale τ (``coef_scale``) with a half-Cauchy prior whose scale :math:`\tau_0` is set
by ``scale``, by ``expected_nonzero`` (Piironen & Vehtari 2017) or by default from the data, and
local scales :math:`\lambda_j` (``coef_local``); they have no MAP.

Adding a prior family
---------------------
A family is one module: a frozen prior class (a dataclass with ``family = "<name>"``) and a
subclass of :class:`PriorFamily` (or :class:`ScaleFamily` for a density :math:`D(0, s\sigma^k)`
with one scale) that declares its aliases, α↔scale conversion, MAP penalty (or none), log
density, PyMC coefficients, Gibbs update (or none), plot density and description. Register it
with :func:`register_family` — the built-in ones in ``bayesreg/priors/_registry.py``, one line
each — and ``bayesreg.fit(X, y, prior="<name>")`` works (NUTS when there is no Gibbs update;
``method="map"`` when there is a penalty). ``tests/test_families.py`` runs its contract suite
over every registered family.
"""

from __future__ import annotations

from dataclasses import fields, replace

from ._base import (
    GIBBS_EXPONENTIAL_MIXTURE,
    GIBBS_FIXED_VARIANCE,
    GIBBS_HALF_CAUCHY_MIXTURE,
    GIBBS_HALF_CAUCHY_PLUS,
    GIBBS_REGULARIZED_HALF_CAUCHY,
    PriorFamily,
    ResolvedPrior,
    ScaleFamily,
    ScalePrior,
)
from ._hyper import Gamma, HalfCauchy, Hyperprior
from ._registry import (
    as_prior,
    families,
    get_family,
    prior_aliases,
    register_family,
    unregister_family,
)
from .elasticnet import ElasticNet
from .gaussian import Gaussian
from .horseshoe import Horseshoe, HorseshoePlus, RegularizedHorseshoe
from .laplace import Laplace

__all__ = [
    "GIBBS_EXPONENTIAL_MIXTURE",
    "GIBBS_FIXED_VARIANCE",
    "GIBBS_HALF_CAUCHY_MIXTURE",
    "GIBBS_HALF_CAUCHY_PLUS",
    "GIBBS_REGULARIZED_HALF_CAUCHY",
    "ElasticNet",
    "Gamma",
    "Gaussian",
    "HalfCauchy",
    "Horseshoe",
    "HorseshoePlus",
    "Hyperprior",
    "Laplace",
    "PriorFamily",
    "RegularizedHorseshoe",
    "ResolvedPrior",
    "ScaleFamily",
    "ScalePrior",
    "as_prior",
    "families",
    "get_family",
    "prior_aliases",
    "prior_from_dict",
    "prior_to_dict",
    "register_family",
    "resolve_prior",
    "unregister_family",
]


def resolve_prior(prior, *, scale=None, alpha=None, sigma=None, X=None, y=None,
                  data=None, C=None, likelihood="gaussian") -> ResolvedPrior:
    """Combine a prior with ``scale``/``alpha``/``sigma`` (or ``C`` for the logistic likelihood)
    into a :class:`ResolvedPrior`.

    The data are given as ``X`` and ``y``, or as a validated :class:`~bayesreg._validation.Data`
    (which may hold only sufficient statistics). Validates every argument (errors name it) before
    anything is built.
    """
    from .._validation import check_positive, spreads
    from ..likelihoods import get_likelihood

    family = get_family(prior)
    likelihood = get_likelihood(likelihood)
    prior = as_prior(prior)
    scale = check_positive(scale, "scale")
    alpha = check_positive(alpha, "alpha")
    sigma = check_positive(sigma, "sigma")
    C = check_positive(C, "C")
    if data is not None:
        n, data_spreads = data.n_samples, data.spreads
    else:
        n = X.shape[0]

        def data_spreads():
            return spreads(X, y)
    if C is not None and scale is not None:
        raise ValueError("give at most one of scale and C (both set the prior's strength)")
    alpha, sigma = likelihood.prior_strength(family, prior, C=C, alpha=alpha, sigma=sigma,
                                             n_samples=n)
    if scale is not None and alpha is not None:
        raise ValueError("give at most one of scale and alpha (both set the prior's strength)")
    if (scale is not None or alpha is not None) and prior.has_strength:
        which = "scale" if scale is not None else "alpha"
        raise ValueError(
            f"{which} was given but the prior object {prior!r} already sets its strength; "
            "give it in one place"
        )
    resolved = family.resolve(prior, scale=scale, alpha=alpha, sigma=sigma, n_samples=n,
                              spreads=data_spreads)
    if likelihood.name != resolved.likelihood:
        resolved = replace(resolved, likelihood=likelihood.name)
    return resolved


def prior_to_dict(prior) -> dict:
    """JSON-able description of a prior or hyperprior object (for netCDF round trips)."""
    out = {"type": type(prior).__name__}
    family = getattr(type(prior), "family", None)
    if isinstance(family, str) and family:
        out["family"] = family
    for f in fields(prior):
        value = getattr(prior, f.name)
        if isinstance(value, HalfCauchy | Gamma):
            value = prior_to_dict(value)
        out[f.name] = value
    return out


def prior_from_dict(data: dict):
    """Inverse of :func:`prior_to_dict` (prior classes come from the family registry)."""
    data = dict(data)
    kind = data.pop("type")
    family = data.pop("family", None)
    if kind in ("HalfCauchy", "Gamma"):
        cls = HalfCauchy if kind == "HalfCauchy" else Gamma
    elif family is not None:
        cls = get_family(family).prior_class
    else:  # files written before families were recorded: the class name is the family's label
        cls = {f.prior_class.__name__: f.prior_class for f in families()}[kind]
    kwargs = {k: prior_from_dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    return cls(**kwargs)
