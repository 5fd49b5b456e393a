r"""The Gaussian likelihood: :math:`y_i = b_0 + x_i^\top\beta + \varepsilon_i`,
:math:`\varepsilon_i \sim N(0, \sigma^2)`.

Everything that assumes Gaussian noise lives here (the centred sufficient statistics the solvers
and samplers read are :class:`bayesreg.map.CentredData`): the prior on σ (Jeffreys,
:math:`p(\sigma^2) \propto 1/\sigma^2`, or σ fixed), the observed variable of the PyMC model,
the log-likelihood from the statistics and per row, the flat intercept integrated out
(:math:`b_0 \mid \beta, \sigma, y \sim N(\bar y - \bar x^\top\beta, \sigma^2/n)`), predictive
draws and the least-squares reference fit.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["GaussianLikelihood"]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


class GaussianLikelihood:
    """Gaussian noise with sd σ (unknown with Jeffreys' prior, or fixed)."""

    name = "gaussian"
    aliases = ("normal",)
    #: β | σ, y is Gaussian given Gaussian prior variances: the exact and Gibbs samplers apply
    conditionally_gaussian = True

    def __repr__(self) -> str:
        return "<likelihood 'gaussian'>"

    # ---- densities --------------------------------------------------------------------------
    def log_sigma_prior(self, sigma, sigma_fixed: bool):
        r"""log p(σ) up to a constant: :math:`-\log\sigma` (Jeffreys on σ²), or 0 when σ is fixed."""
        return 0.0 if sigma_fixed else -np.log(sigma)

    def log_likelihood(self, suff, intercept, coef, sigma) -> np.ndarray:
        """Σ_i log N(y_i | b_0 + x_iᵀβ, σ²) per draw, from the centred statistics.

        ``intercept``/``sigma`` (S,), ``coef`` (S, p).
        """
        n = suff.n
        rss = suff.rss(coef) + n * (suff.y_mean - coef @ suff.x_mean - intercept) ** 2
        return -n * np.log(sigma) - rss / (2 * sigma**2) - n * _HALF_LOG_2PI

    def pointwise_log_likelihood(self, X, y, intercept, coef, sigma, chunk: int = 256) -> np.ndarray:
        """log N(y_i | b0 + x_i'β, σ²) for every draw: array (chains, draws, n)."""
        chains, draws = intercept.shape
        flat_b0 = intercept.reshape(-1)
        flat_coef = coef.reshape(-1, coef.shape[-1])
        flat_sigma = np.broadcast_to(sigma, intercept.shape).reshape(-1)
        out = np.empty((flat_b0.size, y.size))
        for start in range(0, flat_b0.size, chunk):
            sl = slice(start, start + chunk)
            mu = flat_b0[sl, None] + flat_coef[sl] @ X.T
            sig = flat_sigma[sl, None]
            out[sl] = -np.log(sig) - _HALF_LOG_2PI - 0.5 * ((y[None, :] - mu) / sig) ** 2
        return out.reshape(chains, draws, y.size)

    # ---- draws --------------------------------------------------------------------------------
    def intercept_draws(self, suff, coef, sigma, normal) -> np.ndarray:
        """The flat intercept given β and σ: ȳ − x̄ᵀβ + σ/√n · z for standard normal ``normal``."""
        return suff.y_mean - coef @ suff.x_mean + sigma / math.sqrt(suff.n) * normal

    def add_noise(self, mean, sigma, rng) -> np.ndarray:
        """Posterior predictive draws: ``mean`` (draws, rows) plus N(0, σ²) noise per draw."""
        return mean + sigma[:, None] * rng.standard_normal(mean.shape)

    # ---- PyMC ---------------------------------------------------------------------------------
    def pymc_sigma(self, pm, resolved):
        """σ in the PyMC model: a constant, or HalfFlat with Jeffreys' potential −log σ."""
        import pytensor.tensor as pt

        if resolved.sigma_is_fixed:
            return pm.Data("sigma_fixed", np.asarray(resolved.sigma, dtype=float))
        sigma = pm.HalfFlat("sigma")
        pm.Potential("sigma_jeffreys", -pt.log(sigma))
        return sigma

    def pymc_observed(self, pm, mu, sigma, y_data):
        return pm.Normal("y", mu=mu, sigma=sigma, observed=y_data, dims="obs_id")

    # ---- reference ----------------------------------------------------------------------------
    def reference_fit(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
        """Least squares with an intercept (minimum-norm when X is rank-deficient)."""
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
        coef, *_ = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)
        return coef, y_mean - float(x_mean @ coef)
