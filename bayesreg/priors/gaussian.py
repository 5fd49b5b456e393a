r"""The Gaussian (Normal) prior family: :math:`\beta_j \sim N(0, \tau^2)`; its MAP is Ridge.

With Gaussian noise and a flat intercept, :math:`-\log p(\beta) = \lVert\beta\rVert_2^2/(2\tau^2)`;
multiplying the negative log posterior by :math:`2\sigma^2` gives Ridge's objective
:math:`\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_2^2` with
:math:`\alpha = \sigma^2/\tau^2`, :math:`\tau = \sigma/\sqrt{\alpha}`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._base import GIBBS_FIXED_VARIANCE, ScaleFamily, ScalePrior

__all__ = ["Gaussian", "GaussianFamily"]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


@dataclass(frozen=True)
class Gaussian(ScalePrior):
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


class GaussianFamily(ScaleFamily):
    name = "gaussian"
    aliases = ("normal", "ridge")
    prior_class = Gaussian
    label = "Gaussian"
    density_name = "Normal"
    map_name = "Ridge"
    gibbs = GIBBS_FIXED_VARIANCE
    conjugate = True
    color = "C0"
    alpha_sigma_power = 1  # tau = sigma / sqrt(alpha)

    def unit_scale_from_alpha(self, alpha, n_samples):
        return alpha**-0.5

    def alpha_from_unit_scale(self, unit_scale, n_samples):
        return 1.0 / unit_scale**2

    def alpha_to_scale(self, alpha, n_samples, sigma):
        return sigma / alpha**0.5

    def scale_to_alpha(self, scale, n_samples, sigma):
        return sigma**2 / scale**2

    def alpha_parts(self, alpha, l1_ratio):
        return 0.0, alpha

    def alpha_from_parts(self, l1_part, l2_part):
        return l2_part, None

    def objective_weight(self, n_samples):
        return 1.0

    def loss_factor(self, n_samples):
        return 2.0

    def sklearn_estimator(self, alpha, l1_ratio=None):
        from sklearn.linear_model import Ridge

        return Ridge(alpha=alpha)

    def log_density(self, coef, scale):
        scale = np.asarray(scale, dtype=float)
        p = coef.shape[-1]
        return -0.5 * (coef**2).sum(axis=-1) / scale**2 - p * (np.log(scale) + _HALF_LOG_2PI)

    def pymc_distribution(self, pm, name, scale, dims):
        return pm.Normal(name, mu=0.0, sigma=scale, dims=dims)

    def random(self, scale, size, rng):
        return rng.normal(0.0, scale, size)

    def mixture_variances(self, coef, scale, rng):
        return np.broadcast_to(np.square(scale)[:, None], coef.shape).copy()
