r"""The Laplace (double-exponential) prior family; its MAP is the Lasso.

With Gaussian noise and a flat intercept, :math:`-\log p(\beta) = \lVert\beta\rVert_1/b`;
multiplying the negative log posterior by :math:`\sigma^2/n` gives the Lasso's objective
:math:`\frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1` with
:math:`\alpha = \sigma^2/(n b)`, :math:`b = \sigma^2/(n\alpha)`. Its Gibbs update uses the normal
scale mixture :math:`\mathrm{Laplace}(0,b) = \int N(0,\omega)\,\mathrm{Exp}(\omega; 1/(2b^2))\,d\omega`
(Andrews & Mallows 1974; Park & Casella 2008).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._base import GIBBS_EXPONENTIAL_MIXTURE, ScaleFamily, ScalePrior

__all__ = ["Laplace", "LaplaceFamily", "exponential_mixture"]


@dataclass(frozen=True)
class Laplace(ScalePrior):
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


class LaplaceFamily(ScaleFamily):
    name = "laplace"
    aliases = ("lasso",)
    prior_class = Laplace
    label = "Laplace"
    density_name = "Laplace"
    map_name = "Lasso"
    gibbs = GIBBS_EXPONENTIAL_MIXTURE
    color = "C1"
    alpha_sigma_power = 2  # b = sigma^2 / (n alpha): the conditional MAP is Lasso(alpha) for every sigma

    def unit_scale_from_alpha(self, alpha, n_samples):
        return 1.0 / (n_samples * alpha)

    def alpha_from_unit_scale(self, unit_scale, n_samples):
        return 1.0 / (n_samples * unit_scale)

    def alpha_to_scale(self, alpha, n_samples, sigma):
        return sigma**2 / (n_samples * alpha)

    def scale_to_alpha(self, scale, n_samples, sigma):
        return sigma**2 / (n_samples * scale)

    def alpha_parts(self, alpha, l1_ratio):
        return alpha, 0.0

    def alpha_from_parts(self, l1_part, l2_part):
        return l1_part, None

    def objective_weight(self, n_samples):
        return float(n_samples)

    def loss_factor(self, n_samples):
        return 1.0 / n_samples

    def sklearn_estimator(self, alpha, l1_ratio=None):
        from sklearn.linear_model import Lasso

        return Lasso(alpha=alpha, tol=1e-12, max_iter=1_000_000)

    def log_density(self, coef, scale):
        scale = np.asarray(scale, dtype=float)
        p = coef.shape[-1]
        return -np.abs(coef).sum(axis=-1) / scale - p * np.log(2 * scale)

    def pymc_distribution(self, pm, name, scale, dims):
        return pm.Laplace(name, mu=0.0, b=scale, dims=dims)

    def random(self, scale, size, rng):
        return rng.laplace(0.0, scale, size)

    def mixture_variances(self, coef, scale, rng):
        return exponential_mixture(coef, scale, rng)


def exponential_mixture(coef, scale, rng) -> np.ndarray:
    r"""The latent variances :math:`\omega_{sj}` of Laplace(0, ``scale``\ :sub:`s`) coefficients drawn
    given ``coef`` (S, p): :math:`1/\omega \mid \beta \sim \mathrm{InvGaussian}(1/(b|\beta|), 1/b^2)`
    (the Gibbs kernel's update, compiled)."""
    from .._gibbs_kernels import exponential_mixture_variances

    coef = np.ascontiguousarray(coef, dtype=float)
    scale = np.ascontiguousarray(np.broadcast_to(scale, coef.shape[:1]), dtype=float)
    return exponential_mixture_variances(coef, scale, int(rng.integers(2**31 - 1)))
