r"""Hyperpriors on a prior's scale: every formula about them lives on their class.

:class:`HalfCauchy` is a prior on the scale :math:`s` itself; :class:`Gamma` a prior on the squared
rate :math:`\rho^2 = 1/s^2`. Each knows its log density, its PyMC variable, how it changes when the
scale is measured in other units, its quantiles (for plots) and its Gibbs parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_positive

__all__ = ["Gamma", "HalfCauchy", "Hyperprior", "half_cauchy_log_density"]


def half_cauchy_log_density(value, scale):
    r"""Elementwise :math:`\log C^+(x; 0, A) = \log\frac{2}{\pi A} - \log(1 + x^2/A^2)`."""
    scale = np.asarray(scale, dtype=float)
    return np.log(2.0 / (np.pi * scale)) - np.log1p((np.asarray(value, dtype=float) / scale) ** 2)


@dataclass(frozen=True)
class HalfCauchy:
    r"""Half-Cauchy hyperprior on a prior scale: :math:`s \sim \mathrm{HalfCauchy}(0, \text{scale})`.

    The weakly-informative default of Gelman (2006). The Gibbs sampler uses its inverse-gamma
    mixture (Makalic & Schmidt, 2016): :math:`s^2 \mid \nu \sim IG(1/2, 1/\nu)`,
    :math:`\nu \sim IG(1/2, 1/\text{scale}^2)`.
    """

    scale: float

    #: posterior variable holding the random scale
    variable = "coef_scale"

    def __post_init__(self):
        check_positive(self.scale, "HalfCauchy.scale", allow_none=False)

    def describe(self) -> str:
        return f"HalfCauchy(0, {self.scale:.4g})"

    def unit_scale(self, value):
        """The prior scale s from the posterior variable's value (here s itself)."""
        return value

    def log_density(self, value):
        """Log density of the posterior variable (s) under this hyperprior."""
        return half_cauchy_log_density(value, self.scale)

    def rescaled(self, factor: float) -> HalfCauchy:
        """The same hyperprior for the scale measured as ``factor`` × s."""
        return HalfCauchy(self.scale * factor)

    def typical_scale(self) -> float:
        return self.scale

    def scale_quantiles(self, n: int) -> np.ndarray:
        """``n`` equally spaced quantiles of s."""
        u = (np.arange(n) + 0.5) / n
        return self.scale * np.tan(0.5 * np.pi * u)

    def gibbs_parameters(self) -> tuple[int, float, float]:
        """(kind, a, b) as the compiled Gibbs kernel reads them: 2 = half-Cauchy(a)."""
        return 2, float(self.scale), 0.0

    def rate2_prior(self, nu: float) -> tuple[float, float]:
        r"""Gamma(shape, rate) prior of :math:`\rho^2` given the auxiliary ν: (1/2, 1/ν)."""
        return 0.5, 1.0 / nu

    def draw(self, rng) -> float:
        """One draw of the posterior variable (s) from this hyperprior."""
        return abs(self.scale * rng.standard_cauchy())

    def pymc_unit_scale(self, pm):
        """The PyMC variable for s (call inside a model context)."""
        return pm.HalfCauchy(self.variable, beta=pm.Data("hyper_scale", np.asarray(self.scale)))


@dataclass(frozen=True)
class Gamma:
    r"""Gamma hyperprior on the **squared rate** :math:`\rho^2 = 1/s^2` of a prior.

    For a Laplace prior this is Park & Casella's :math:`\lambda^2 \sim \mathrm{Gamma}(r, \delta)`
    (``shape=r``, ``rate=δ``, mean :math:`r/\delta`); for a Gaussian prior it is a Gamma prior on
    the prior precision :math:`1/\tau^2`. Conjugate in both cases.
    """

    shape: float
    rate: float

    #: posterior variable holding the random rate ρ = 1/s
    variable = "coef_rate"

    def __post_init__(self):
        check_positive(self.shape, "Gamma.shape", allow_none=False)
        check_positive(self.rate, "Gamma.rate", allow_none=False)

    def describe(self) -> str:
        return f"Gamma(shape={self.shape:.4g}, rate={self.rate:.4g})"

    def unit_scale(self, value):
        """The prior scale s = 1/ρ from the posterior variable's value ρ."""
        return 1.0 / value

    def log_density(self, value):
        r"""Log density of ρ (with the Jacobian :math:`2\rho` of :math:`\rho \mapsto \rho^2`)."""
        return (self.shape * math.log(self.rate) - math.lgamma(self.shape)
                + (self.shape - 1) * np.log(value**2) - self.rate * value**2 + np.log(2 * value))

    def rescaled(self, factor: float) -> Gamma:
        """The same hyperprior for the scale measured as ``factor`` × s (ρ² divided by factor²)."""
        return Gamma(self.shape, self.rate * factor * factor)

    def typical_scale(self) -> float:
        return math.sqrt(self.rate / self.shape)

    def scale_quantiles(self, n: int) -> np.ndarray:
        """``n`` equally spaced quantiles of s = 1/ρ."""
        from scipy import stats

        u = (np.arange(n) + 0.5) / n
        return 1.0 / np.sqrt(stats.gamma.ppf(u, self.shape, scale=1.0 / self.rate))

    def gibbs_parameters(self) -> tuple[int, float, float]:
        """(kind, a, b) as the compiled Gibbs kernel reads them: 1 = Gamma(a, b) on ρ²."""
        return 1, float(self.shape), float(self.rate)

    def rate2_prior(self, nu: float) -> tuple[float, float]:
        r"""Gamma(shape, rate) prior of :math:`\rho^2` (no auxiliary)."""
        del nu
        return self.shape, self.rate

    def draw(self, rng) -> float:
        """One draw of the posterior variable ρ (ρ² ~ Gamma(shape, rate))."""
        return float(np.sqrt(rng.gamma(self.shape, 1.0 / self.rate)))

    def pymc_unit_scale(self, pm):
        """The PyMC variable ρ (with ρ² ~ Gamma) and the scale 1/ρ (call inside a model context)."""
        import pytensor.tensor as pt

        rate = pm.HalfFlat(self.variable)
        gamma = pm.Gamma.dist(alpha=pm.Data("hyper_shape", np.asarray(self.shape)),
                              beta=pm.Data("hyper_rate", np.asarray(self.rate)))
        pm.Potential("coef_rate_prior", pm.logp(gamma, rate**2) + pt.log(2.0 * rate))
        return 1.0 / rate


Hyperprior = HalfCauchy | Gamma
