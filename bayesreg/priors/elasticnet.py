r"""The elastic-net prior family; its MAP is scikit-learn's ``ElasticNet(alpha, l1_ratio)``.

The prior density is :math:`\propto \exp\{-\lambda_1\lVert\beta\rVert_1 -
\tfrac{\lambda_2}{2}\lVert\beta\rVert_2^2\}`; multiplying the negative log posterior by
:math:`\sigma^2/n` gives ElasticNet's objective :math:`\frac{1}{2n}\lVert\cdot\rVert^2 +
\alpha\rho\lVert\beta\rVert_1 + \frac{\alpha(1-\rho)}{2}\lVert\beta\rVert_2^2` with
:math:`\lambda_1 = n\alpha\rho/\sigma^2` and :math:`\lambda_2 = n\alpha(1-\rho)/\sigma^2`
(:func:`penalty_weights`). Its strength is ``alpha`` alone; it has no Gibbs update here (NUTS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .._validation import check_positive
from ._base import PriorFamily, ResolvedPrior
from .laplace import exponential_mixture

__all__ = ["ElasticNet", "ElasticNetFamily", "log_normaliser", "penalty_weights"]


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


def penalty_weights(alpha, l1_ratio: float, n_samples: int, sigma):
    r"""Weights :math:`(\lambda_1, \lambda_2)` of the elastic-net prior for ``ElasticNet(alpha, l1_ratio)``.

    The prior density is :math:`\propto \exp\{-\lambda_1\lVert\beta\rVert_1 -
    \tfrac{\lambda_2}{2}\lVert\beta\rVert_2^2\}` with :math:`\lambda_1 = n\alpha\rho/\sigma^2`,
    :math:`\lambda_2 = n\alpha(1-\rho)/\sigma^2` (:math:`\rho` = ``l1_ratio``). ``sigma`` may be
    an array or a PyTensor variable.
    """
    factor = n_samples * alpha / sigma**2
    return factor * l1_ratio, factor * (1.0 - l1_ratio)


def log_normaliser(l1, l2, l1_ratio: float, xp=np):
    r"""log of :math:`\int \exp(-l_1|b| - l_2 b^2/2)\,db` for one coefficient.

    ``xp`` is the array namespace: NumPy (with SciPy's ``erfcx``) or ``pytensor.tensor``;
    ``l1_ratio`` (a float) only picks the branch (ratio 1: no L2 part, ratio 0: no L1 part).
    """
    if l1_ratio == 1.0:
        return xp.log(2.0 / l1)
    if l1_ratio == 0.0:
        return 0.5 * xp.log(2 * np.pi / l2)
    z = l1 / xp.sqrt(2.0 * l2)
    if xp is np:
        from scipy.special import erfcx
    else:
        erfcx = xp.erfcx
    return math.log(2.0) + 0.5 * xp.log(np.pi / (2.0 * l2)) + xp.log(erfcx(z))


class ElasticNetFamily(PriorFamily):
    name = "elasticnet"
    aliases = ("elastic_net", "enet")
    prior_class = ElasticNet
    label = "elastic-net"
    map_name = "ElasticNet"
    color = "C2"

    def resolve(self, prior, *, scale, alpha, sigma, n_samples, spreads):
        if scale is not None:
            raise ValueError("the elastic-net prior is set by alpha (and l1_ratio), not scale")
        en_alpha = alpha if alpha is not None else prior.alpha
        if en_alpha is None:
            raise ValueError(
                "the elastic-net prior needs alpha: bayesreg.ElasticNet(alpha=..., l1_ratio=...) "
                "or fit(..., alpha=...)"
            )
        return ResolvedPrior(
            family=self.name, n_samples=n_samples, sigma=sigma, prior=prior, alpha=en_alpha,
            l1_ratio=prior.l1_ratio, sigma_power=2, source="alpha" if alpha is not None else "prior",
        )

    def alpha_parts(self, alpha, l1_ratio):
        ratio = 1.0 if l1_ratio is None else l1_ratio
        return alpha * ratio, alpha * (1.0 - ratio)

    def alpha_from_parts(self, l1_part, l2_part):
        total = l1_part + l2_part
        return total, l1_part / total

    def objective_weight(self, n_samples):
        return float(n_samples)

    def loss_factor(self, n_samples):
        return 1.0 / n_samples

    def sklearn_estimator(self, alpha, l1_ratio=None):
        from sklearn.linear_model import ElasticNet as SkElasticNet

        return SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, max_iter=1_000_000)

    def log_prior(self, resolved, coef, sigma, random_scale=None):
        coef = np.atleast_2d(np.asarray(coef, dtype=float))
        sigma = np.broadcast_to(np.asarray(sigma, dtype=float), (coef.shape[0],))
        l1, l2 = penalty_weights(resolved.alpha, resolved.l1_ratio, resolved.n_samples, sigma)
        p = coef.shape[-1]
        with np.errstate(divide="ignore"):
            norm = log_normaliser(l1, l2, resolved.l1_ratio)
        return -l1 * np.abs(coef).sum(axis=-1) - 0.5 * l2 * (coef**2).sum(axis=-1) - p * norm

    def pymc_coefficients(self, pm, resolved, sigma):
        import pytensor.tensor as pt

        coef = pm.Flat("coef", dims="feature")
        alpha = pm.Data("prior_alpha", np.asarray(resolved.alpha))
        ratio = pm.Data("prior_l1_ratio", np.asarray(resolved.l1_ratio))
        l1, l2 = penalty_weights(alpha, ratio, resolved.n_samples, sigma)
        p = len(pm.modelcontext(None).coords["feature"])
        pm.Potential(
            "coef_elasticnet",
            -l1 * pt.abs(coef).sum() - 0.5 * l2 * (coef**2).sum()
            - p * log_normaliser(l1, l2, resolved.l1_ratio, xp=pt),
        )
        return coef

    def prior_draws(self, resolved, sigma, n_features, rng):
        r"""Exact draws: a random sign times :math:`|\beta|`, which has density
        :math:`\propto \exp\{-\tfrac{\lambda_2}{2}(b + \lambda_1/\lambda_2)^2\}` on b > 0 (a truncated
        normal; exponential when :math:`\lambda_2 = 0`, half-normal when :math:`\lambda_1 = 0`)."""
        from scipy import stats

        l1, l2 = penalty_weights(resolved.alpha, resolved.l1_ratio, resolved.n_samples, float(sigma))
        if l2 == 0:
            size = rng.exponential(1.0 / l1, n_features)
        else:
            sd = 1.0 / math.sqrt(l2)
            lower = l1 * sd  # (0 - mean) / sd with mean = -l1 / l2
            size = -l1 / l2 + sd * stats.truncnorm.rvs(lower, np.inf, size=n_features, random_state=rng)
        return {"coef": np.where(rng.random(n_features) < 0.5, -size, size)}

    def conditional_variances(self, resolved, draws, rng):
        r"""The elastic-net density is :math:`e^{-\lambda_2\beta^2/2}` times a Laplace(0, 1/λ₁), so with
        the Laplace's exponential mixing :math:`\beta_j \mid \omega_j \sim N(0, v_j)`,
        :math:`v_j = 1/(1/\omega_j + \lambda_2)`, and :math:`\omega_j \mid \beta_j` is the Laplace's."""
        coef = np.asarray(draws["coef"], dtype=float)
        sigma = np.asarray(draws["sigma"], dtype=float)
        l1, l2 = penalty_weights(resolved.alpha, resolved.l1_ratio, resolved.n_samples, sigma)
        l2 = np.broadcast_to(l2, sigma.shape)[:, None]
        if resolved.l1_ratio == 0.0:
            return np.broadcast_to(1.0 / l2, coef.shape).copy()
        omega = exponential_mixture(coef, 1.0 / np.broadcast_to(l1, sigma.shape), rng)
        return 1.0 / (1.0 / omega + l2)

    def describe(self, resolved):
        power = "" if resolved.sigma is not None else " / sigma^2"
        return [(
            "coef",
            f"ElasticNet: density ∝ exp(-{resolved.n_samples}*{resolved.alpha:.6g}{power}"
            f" * ({resolved.l1_ratio:.4g}*|b| + {1 - resolved.l1_ratio:.4g}/2*b^2))",
            f"MAP = sklearn ElasticNet(alpha={resolved.alpha:.6g}, l1_ratio={resolved.l1_ratio:.4g})",
        )]
