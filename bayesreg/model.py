"""Build the PyMC model for a resolved prior (no sampling here).

Variables: ``intercept`` (flat), ``coef`` (dims ``feature``), ``sigma`` (Jeffreys
:math:`p(\\sigma^2) \\propto 1/\\sigma^2`, unless fixed), ``coef_scale`` or ``coef_rate`` when the
prior scale is random, and the observed ``y`` (dims ``obs_id``). The same densities are written in
NumPy in :func:`log_posterior` so that every sampler reports the same ``lp``.
"""

from __future__ import annotations

import math

import numpy as np

from ._backend import import_pymc
from ._validation import Data
from .priors import Gamma, HalfCauchy, ResolvedPrior

__all__ = ["build_model", "log_posterior"]


def build_model(data: Data, resolved: ResolvedPrior):
    """Return a ``pm.Model`` equivalent to the prior/likelihood described by ``resolved``.

    The response (``y_data``) and a fixed prior scale (``prior_scale``) are ``pm.Data`` containers,
    so a compiled model can be reused for another response or scale (``nutpie``'s ``with_data``).
    """
    pm = import_pymc()
    import pytensor.tensor as pt

    coords = {"feature": list(data.feature_names), "obs_id": np.arange(data.n_samples)}
    with pm.Model(coords=coords) as model:
        X = pm.Data("X", data.dense_X("the NUTS samplers (nutpie, pymc)"), dims=("obs_id", "feature"))
        intercept = pm.Flat("intercept")
        if resolved.sigma_is_fixed:
            sigma = pt.constant(resolved.sigma)
        else:
            sigma = pm.HalfFlat("sigma")
            pm.Potential("sigma_jeffreys", -pt.log(sigma))
        p = data.n_features
        if resolved.family == "elasticnet":
            coef = pm.Flat("coef", dims="feature")
            factor = resolved.n_samples * resolved.alpha / sigma**2
            l1 = factor * resolved.l1_ratio
            l2 = factor * (1.0 - resolved.l1_ratio)
            if resolved.l1_ratio == 1.0:
                log_norm = pt.log(2.0 / l1)
            elif resolved.l1_ratio == 0.0:
                log_norm = 0.5 * pt.log(2 * np.pi / l2)
            else:
                z = l1 / pt.sqrt(2.0 * l2)
                log_norm = pt.log(2.0) + 0.5 * pt.log(np.pi / (2.0 * l2)) + pt.log(pt.erfcx(z))
            pm.Potential(
                "coef_elasticnet",
                -l1 * pt.abs(coef).sum() - 0.5 * l2 * (coef**2).sum() - p * log_norm,
            )
        else:
            if resolved.scale_is_random:
                hyper = resolved.hyperprior
                if isinstance(hyper, HalfCauchy):
                    unit_scale = pm.HalfCauchy("coef_scale", beta=hyper.scale)
                else:
                    rate = pm.HalfFlat("coef_rate")
                    # rate^2 ~ Gamma(shape, rate): density of the rate itself has Jacobian 2*rate
                    pm.Potential(
                        "coef_rate_prior",
                        pm.logp(pm.Gamma.dist(alpha=hyper.shape, beta=hyper.rate), rate**2)
                        + pt.log(2.0 * rate),
                    )
                    unit_scale = 1.0 / rate
            else:
                unit_scale = pm.Data("prior_scale", np.asarray(resolved.scale, dtype=float))
            scale = unit_scale * sigma**resolved.sigma_power if resolved.sigma_power else unit_scale
            if resolved.family == "gaussian":
                coef = pm.Normal("coef", mu=0.0, sigma=scale, dims="feature")
            else:
                coef = pm.Laplace("coef", mu=0.0, b=scale, dims="feature")
        mu = intercept + pt.dot(X, coef)
        y_data = pm.Data("y_data", data.y, dims="obs_id")
        pm.Normal("y", mu=mu, sigma=sigma, observed=y_data, dims="obs_id")
    return model


def log_posterior(resolved: ResolvedPrior, suff, intercept, coef, sigma, random_scale=None):
    """Unnormalised log posterior density at draws (natural parameters, no Jacobians).

    ``intercept``/``sigma``/``random_scale`` have shape (S,), ``coef`` (S, p); ``suff`` holds
    centred sufficient statistics. Matches :func:`build_model` up to an additive constant.
    """
    coef = np.atleast_2d(coef)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), (coef.shape[0],))
    n = suff.n
    rss = suff.rss(coef) + n * (suff.y_mean - coef @ suff.x_mean - intercept) ** 2
    out = -n * np.log(sigma) - rss / (2 * sigma**2) - 0.5 * n * math.log(2 * math.pi)
    if not resolved.sigma_is_fixed:
        out -= np.log(sigma)
    p = coef.shape[1]
    if resolved.family == "elasticnet":
        for s, (b, sig) in enumerate(zip(coef, sigma, strict=True)):
            out[s] += resolved.log_prior_coef(b, sig)
        return out
    if resolved.scale_is_random:
        hyper = resolved.hyperprior
        if isinstance(hyper, HalfCauchy):
            unit = random_scale
            out += np.log(2 / (math.pi * hyper.scale)) - np.log1p((unit / hyper.scale) ** 2)
        else:
            rate = random_scale
            unit = 1.0 / rate
            assert isinstance(hyper, Gamma)
            out += (hyper.shape * math.log(hyper.rate) - math.lgamma(hyper.shape)
                    + (hyper.shape - 1) * np.log(rate**2) - hyper.rate * rate**2 + np.log(2 * rate))
    else:
        unit = resolved.scale
    eff = unit * sigma**resolved.sigma_power
    if resolved.family == "gaussian":
        out += -0.5 * (coef**2).sum(axis=1) / eff**2 - p * (np.log(eff) + 0.5 * math.log(2 * math.pi))
    else:
        out += -np.abs(coef).sum(axis=1) / eff - p * np.log(2 * eff)
    return out

