"""Build the PyMC model for a resolved prior and a likelihood (no sampling here).

Variables: ``intercept`` (flat), ``coef`` (dims ``feature``, from the prior family), the
likelihood's noise scale (``sigma``, Jeffreys :math:`p(\\sigma^2) \\propto 1/\\sigma^2`, unless fixed),
``coef_scale`` or ``coef_rate`` when the prior scale is random, and the observed ``y`` (dims
``obs_id``). The same densities are written in NumPy in :func:`log_posterior` so that every
sampler reports the same ``lp``.
"""

from __future__ import annotations

import numpy as np

from ._backend import import_pymc
from ._validation import Data
from .likelihoods import get_likelihood
from .priors import ResolvedPrior

__all__ = ["log_posterior", "pymc_model"]


def pymc_model(data: Data, resolved: ResolvedPrior, likelihood="gaussian"):
    """Return a ``pm.Model`` equivalent to the prior/likelihood described by ``resolved``.

    The response (``y_data``) and a fixed prior scale (``prior_scale``) are ``pm.Data`` containers,
    so a compiled model can be reused for another response or scale (``nutpie``'s ``with_data``).
    """
    pm = import_pymc()
    import pytensor.tensor as pt

    likelihood = get_likelihood(likelihood)
    coords = {"feature": list(data.feature_names), "obs_id": np.arange(data.n_samples)}
    with pm.Model(coords=coords) as model:
        X = pm.Data("X", data.dense_X("the NUTS samplers (nutpie, pymc)"), dims=("obs_id", "feature"))
        intercept = pm.Flat("intercept")
        sigma = likelihood.pymc_sigma(pm, resolved)
        coef = resolved.spec.pymc_coefficients(pm, resolved, sigma)
        mu = intercept + pt.dot(X, coef)
        y_data = pm.Data("y_data", data.y, dims="obs_id")
        likelihood.pymc_observed(pm, mu, sigma, y_data)
    return model


def log_posterior(resolved: ResolvedPrior, suff, intercept, coef, sigma, random_scale=None,
                  likelihood="gaussian", latents: dict | None = None):
    """Unnormalised log posterior density at draws (natural parameters, no Jacobians).

    ``intercept``/``sigma``/``random_scale`` have shape (S,), ``coef`` (S, p); ``suff`` holds
    centred sufficient statistics. With ``latents`` (the prior family's latent variables, name →
    draws) the joint density with them; without, the latents integrated out. Matches
    :func:`pymc_model` up to an additive constant.
    """
    likelihood = get_likelihood(likelihood)
    coef = np.atleast_2d(coef)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), (coef.shape[0],))
    out = likelihood.log_likelihood(suff, intercept, coef, sigma)
    out = out + likelihood.log_sigma_prior(sigma, resolved.sigma_is_fixed)
    if latents is not None:
        return out + resolved.spec.log_prior_with_latents(resolved, coef, sigma, random_scale, latents)
    return out + resolved.spec.log_prior(resolved, coef, sigma, random_scale)
