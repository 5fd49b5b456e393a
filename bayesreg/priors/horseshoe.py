r"""The horseshoe and the regularized horseshoe prior families (global–local shrinkage; no MAP).

**Horseshoe** (Carvalho, Polson & Scott 2010), with the flat intercept and
:math:`p(\sigma^2) \propto 1/\sigma^2` of every bayesreg model:

.. math:: \beta_j \mid \lambda_j, \tau, \sigma \sim N(0, \sigma^2\tau^2\lambda_j^2),\qquad
          \lambda_j \sim C^+(0, 1),\qquad \tau \sim C^+(0, \tau_0).

With :math:`\lambda_j` integrated out the density of one coefficient at scale :math:`s = \sigma\tau`
is :math:`p(\beta_j \mid s) = (2\pi^3)^{-1/2} s^{-1} e^{u} E_1(u)`, :math:`u = \beta_j^2/(2s^2)`
(:func:`horseshoe_log_density`; :math:`E_1` the exponential integral). It is infinite at
:math:`\beta_j = 0`, so the posterior mode is degenerate (every coefficient at 0 with τ → 0) and
there is no MAP. Its Gibbs update is the inverse-gamma mixture of Makalic & Schmidt (2016).

**Regularized horseshoe** (Piironen & Vehtari 2017): the horseshoe with a slab of width
:math:`c_j` that caps the prior variance of large coefficients,

.. math:: \beta_j \sim N(0, \tau^2\tilde\lambda_j^2),\quad
          \tilde\lambda_j^2 = \frac{c_j^2\lambda_j^2}{c_j^2 + \tau^2\lambda_j^2},\quad
          \lambda_j \sim C^+(0, 1),\quad \tau \sim C^+(0, \sigma\tau_0),

:math:`c_j = c\,\mathrm{sd}(y)/\mathrm{sd}(x_j)`, :math:`c^2 \sim \mathrm{Inv\text{-}Gamma}(\nu/2,
\nu s^2/2)` (slab degrees of freedom ν, slab scale s). Sampled by NUTS (non-centred).

Both PyMC models are non-centred, :math:`\beta_j = z_j \cdot \mathrm{sd}_j` with
:math:`z_j \sim N(0, 1)`, through a transform of ``coef`` (so ``coef`` stays the model variable and
NUTS moves in z). Posterior variables: ``coef``, ``intercept``, ``sigma``, ``coef_scale`` (the global
scale τ, relative to σ), ``coef_local`` (the local scales :math:`\lambda_j`, dims ``feature``) and,
for the regularized horseshoe, ``coef_slab`` (c).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .._validation import check_positive, rms
from ._base import (
    GIBBS_HALF_CAUCHY_MIXTURE,
    GIBBS_HALF_CAUCHY_PLUS,
    GIBBS_REGULARIZED_HALF_CAUCHY,
    PriorFamily,
    ResolvedPrior,
    ScaleFamily,
    default_hyperprior_scale,
    draw_unit_scale,
    pymc_unit_scale,
)
from ._hyper import HalfCauchy, half_cauchy_log_density

__all__ = [
    "Horseshoe",
    "HorseshoeFamily",
    "HorseshoePlus",
    "HorseshoePlusFamily",
    "RegularizedHorseshoe",
    "RegularizedHorseshoeFamily",
    "default_expected_nonzero",
    "expected_nonzero_scale",
    "horseshoe_log_density",
    "horseshoe_plus_local_log_density",
    "log_scaled_exp1",
    "regularized_sd",
    "slab_log_density",
]

_HALF_LOG_2PI3 = 0.5 * math.log(2 * math.pi**3)
_LOCAL = HalfCauchy(1.0)  # λ_j ~ C+(0, 1)
_NO_MAP = ("its marginal prior density is infinite at 0 (a pole at every coefficient), so the "
           "posterior mode is degenerate: all coefficients at 0 with the global scale at 0")


# ---- the formulas ------------------------------------------------------------------------------


def log_scaled_exp1(x):
    r""":math:`\log(e^x E_1(x))` for :math:`x \ge 0` without overflow (+inf at 0).

    Direct below x = 500; above, the asymptotic series :math:`e^xE_1(x) = x^{-1}(1 - 1/x + 2/x^2
    - 6/x^3 + 24/x^4 - 120/x^5 + \dots)`, whose truncation error there is below 1e-13 relative.
    """
    from scipy.special import exp1

    x = np.asarray(x, dtype=float)
    small = x < 500.0
    with np.errstate(divide="ignore"):
        direct = np.log(exp1(np.where(small, x, 1.0))) + np.where(small, x, 0.0)
    big = np.where(small, 500.0, x)
    inv = 1.0 / big
    series = -np.log(big) + np.log1p(inv * (-1.0 + inv * (2.0 + inv * (-6.0 + inv * (24.0 - 120.0 * inv)))))
    return np.where(small, direct, series)


def horseshoe_log_density(coef, scale):
    r"""Σ_j log of the marginal horseshoe density of β_j at scale s (λ_j integrated out).

    :math:`p(\beta_j \mid s) = \int_0^\infty N(\beta_j; 0, s^2\lambda^2)\,C^+(\lambda; 0, 1)\,d\lambda
    = (2\pi^3)^{-1/2} s^{-1} e^{u}E_1(u)`, :math:`u = \beta_j^2/(2s^2)`; ``coef`` (S, p),
    ``scale`` (S,) or scalar.
    """
    scale = np.asarray(scale, dtype=float)[..., None]
    u = 0.5 * (np.asarray(coef, dtype=float) / scale) ** 2
    return (log_scaled_exp1(u) - np.log(scale) - _HALF_LOG_2PI3).sum(axis=-1)


def horseshoe_plus_local_log_density(local):
    r"""Elementwise log of the horseshoe+ local scale's density with :math:`\eta` integrated out,
    :math:`p(\lambda) = \int_0^\infty C^+(\lambda; 0, \eta)\,C^+(\eta; 0, 1)\,d\eta =
    \frac{4}{\pi^2}\frac{\log\lambda}{\lambda^2 - 1}` (:math:`2/\pi^2` at λ = 1)."""
    local = np.asarray(local, dtype=float)
    log_local = np.log(local)
    near_one = np.abs(log_local) < 1e-6  # log(λ)/(λ² − 1) → (1 − log λ)/2 at λ = e^{log λ} ≈ 1
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(near_one, 0.5 * (1.0 - log_local), log_local / np.expm1(2.0 * log_local))
    return math.log(4.0 / math.pi**2) + np.log(ratio)


_PLUS_GRID = np.linspace(-40.0, 40.0, 801)  # log λ: the quadrature nodes of the horseshoe+ density


def _horseshoe_plus_unit_density(u):
    r"""Marginal density of β at unit scale, :math:`g(u) = \int N(u; 0, \lambda^2)\,p(\lambda)\,
    d\lambda`, by the trapezoid rule in :math:`t = \log\lambda` on [−40, 40] (the integrand is
    smooth there and negligible beyond; relative error below 1e-8 for 1e-12 < |u| < 1e12)."""
    u = np.abs(np.asarray(u, dtype=float))
    t = _PLUS_GRID
    weight = np.exp(horseshoe_plus_local_log_density(np.exp(t)) + t)  # p(λ) dλ = p(e^t) e^t dt
    out = np.empty(u.shape)
    flat_u, flat_out = u.ravel(), out.reshape(-1)
    for i in range(0, flat_u.size, 256):
        z = flat_u[i:i + 256, None] * np.exp(-t)[None, :]
        normal = np.exp(-0.5 * z * z - t[None, :]) / math.sqrt(2.0 * math.pi)
        flat_out[i:i + 256] = np.trapezoid(normal * weight[None, :], t, axis=1)
    return out


def _normal_log_density(value, sd):
    """Elementwise log N(value; 0, sd²) (SciPy's)."""
    from scipy import stats

    return stats.norm.logpdf(value, scale=sd)


def regularized_sd(global_scale, local, slab, xp=np):
    r"""Prior sd :math:`\tau\tilde\lambda_j = \tau\lambda_j c_j/\sqrt{c_j^2 + \tau^2\lambda_j^2}` of the
    regularized horseshoe (``xp``: NumPy or ``pytensor.tensor``); tends to :math:`\tau\lambda_j`
    for a wide slab and to :math:`c_j` for a large :math:`\tau\lambda_j`."""
    spread = global_scale * local
    return spread * slab / xp.sqrt(slab * slab + spread * spread)


def slab_log_density(slab, slab_scale: float, slab_df: float):
    r"""log p(c) for :math:`c^2 \sim \mathrm{Inv\text{-}Gamma}(\nu/2, \nu s^2/2)` (with the Jacobian 2c)."""
    from scipy import stats

    slab = np.asarray(slab, dtype=float)
    shape, rate = 0.5 * slab_df, 0.5 * slab_df * slab_scale**2
    return stats.invgamma.logpdf(slab**2, shape, scale=rate) + np.log(2.0 * slab)


def expected_nonzero_scale(expected_nonzero: float, n_features: int, n_samples: int, sd_x, sd_y: float,
                           relative_to_sigma: bool = True) -> float:
    r"""Piironen & Vehtari's prior scale of τ for :math:`p_0` expected non-zero coefficients.

    :math:`\tau_0 = \frac{p_0}{p - p_0}\frac{1}{\sqrt n}` on standardized predictors, divided by
    :math:`\mathrm{rms}_j\,\mathrm{sd}(x_j)` (and times sd(y) when τ is not relative to σ) like the
    default (:func:`~bayesreg.priors._base.default_hyperprior_scale`).
    """
    if not expected_nonzero < n_features:
        raise ValueError(f"expected_nonzero must be below the number of features ({n_features}); "
                         f"got {expected_nonzero:g}")
    ratio = expected_nonzero / (n_features - expected_nonzero) / math.sqrt(n_samples)
    return ratio * default_hyperprior_scale(sd_x, sd_y, relative_to_sigma)


def _column_scales(sd_x, sd_y: float) -> tuple[float, ...]:
    """sd(y)/sd(x_j) per column; a constant column (sd 0) takes rms sd(x), sd(y) 0 takes 1."""
    sd_x = np.asarray(sd_x, dtype=float)
    typical = rms(sd_x) or 1.0
    safe = np.where((sd_x > 0) & np.isfinite(sd_x), sd_x, typical)
    return tuple(float(v) for v in (sd_y if sd_y > 0 else 1.0) / safe)


def _pymc_noncentred_normal(pm, name: str, sd, dims):
    r"""``name`` ~ N(0, sd²) sampled non-centred: the value NUTS moves is :math:`z = \beta/\mathrm{sd}`."""
    import pytensor.tensor as pt
    from pymc.logprob.transforms import Transform

    class NonCentred(Transform):
        name = "noncentred"

        def forward(self, value, *inputs):
            return (value - inputs[-2]) / inputs[-1]

        def backward(self, value, *inputs):
            return inputs[-2] + value * inputs[-1]

        def log_jac_det(self, value, *inputs):
            return pt.log(inputs[-1]) + pt.zeros_like(value)

    return pm.Normal(name, mu=0.0, sigma=sd, dims=dims, default_transform=NonCentred())


# ---- the prior classes --------------------------------------------------------------------------


def _check_expected_nonzero(value, owner: str):
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{owner}.expected_nonzero must be a positive number; got {value!r}")
    return check_positive(value, f"{owner}.expected_nonzero")


@dataclass(frozen=True)
class Horseshoe:
    r"""Horseshoe prior (Carvalho, Polson & Scott 2010); no MAP, Gibbs sampler.

    .. math:: \beta_j \mid \lambda_j, \tau, \sigma \sim N(0, \sigma^2\tau^2\lambda_j^2),\quad
              \lambda_j \sim C^+(0, 1),\quad \tau \sim C^+(0, \tau_0),

    flat intercept, :math:`p(\sigma^2) \propto 1/\sigma^2`. The marginal density of each
    coefficient has a pole at 0 and Cauchy-like tails: strong shrinkage of small effects, little
    of large ones. Posterior variables: ``coef_scale`` (τ) and ``coef_local`` (:math:`\lambda_j`,
    dims ``feature``) besides ``coef``, ``intercept`` and ``sigma``.

    Parameters
    ----------
    scale : float, optional
        :math:`\tau_0`, the scale of the half-Cauchy prior of the global scale τ (τ itself is
        always random). Also given as ``fit(..., scale=...)``.
    scale_with_sigma : bool, default True
        If False, :math:`\beta_j \sim N(0, \tau^2\lambda_j^2)`: τ in units of y per unit x.
    expected_nonzero : float, optional
        :math:`p_0`, a prior guess of the number of non-zero coefficients: then
        :math:`\tau_0 = \frac{p_0}{p - p_0}\frac{1}{\sqrt n}\big/\mathrm{rms}_j\,\mathrm{sd}(x_j)`
        (Piironen & Vehtari 2017, for standardized predictors; times sd(y) when
        ``scale_with_sigma=False``). Default (neither): :math:`\tau_0 = 1/\mathrm{rms}_j\,
        \mathrm{sd}(x_j)` (times sd(y) when not tied to σ), as the default Laplace hyperprior;
        when p ≥ n − 1 (the columns can fit y exactly) the :math:`\tau_0` of :math:`p_0 = n/10`
        instead (:func:`default_expected_nonzero` says why); ``prior_summary()`` reports the value.
    """

    scale: float | None = None
    scale_with_sigma: bool = True
    expected_nonzero: float | None = None

    family: ClassVar[str] = "horseshoe"

    def __post_init__(self):
        owner = type(self).__name__
        if self.scale is not None:
            object.__setattr__(self, "scale", check_positive(self.scale, f"{owner}.scale"))
        if not isinstance(self.scale_with_sigma, bool):
            raise TypeError(f"{owner}.scale_with_sigma must be True or False; "
                            f"got {self.scale_with_sigma!r}")
        object.__setattr__(self, "expected_nonzero",
                           _check_expected_nonzero(self.expected_nonzero, owner))
        if self.scale is not None and self.expected_nonzero is not None:
            raise ValueError(f"{owner}: give at most one of scale and expected_nonzero (both set tau_0)")

    @property
    def has_strength(self) -> bool:
        return self.scale is not None or self.expected_nonzero is not None


@dataclass(frozen=True)
class HorseshoePlus(Horseshoe):
    r"""Horseshoe+ prior (Bhadra, Datta, Polson & Willard 2017; R bayesreg's ``"hs+"``); no MAP, Gibbs.

    .. math:: \beta_j \mid \lambda_j, \tau, \sigma \sim N(0, \sigma^2\tau^2\lambda_j^2),\quad
              \lambda_j \mid \eta_j \sim C^+(0, \eta_j),\quad \eta_j \sim C^+(0, 1),\quad
              \tau \sim C^+(0, \tau_0),

    flat intercept, :math:`p(\sigma^2) \propto 1/\sigma^2`. With :math:`\eta_j` integrated out,
    :math:`p(\lambda_j) = \frac{4}{\pi^2}\frac{\log\lambda_j}{\lambda_j^2 - 1}`: a heavier pole
    at 0 and heavier tails than the horseshoe's, so noise is shrunk harder and signals less
    (meant for ultra-sparse signals). Posterior variables: ``coef_scale`` (τ), ``coef_local``
    (:math:`\lambda_j`) and ``coef_local_scale`` (:math:`\eta_j`) besides ``coef``,
    ``intercept`` and ``sigma``. The parameters are the horseshoe's (:class:`Horseshoe`).
    """

    family: ClassVar[str] = "horseshoe_plus"


@dataclass(frozen=True)
class RegularizedHorseshoe:
    r"""Regularized horseshoe prior (Piironen & Vehtari 2017, their parametrization); NUTS, no MAP.

    .. math:: \beta_j \mid \lambda_j, \tau, c \sim N(0, \tau^2\tilde\lambda_j^2),\quad
              \tilde\lambda_j^2 = \frac{c_j^2\lambda_j^2}{c_j^2 + \tau^2\lambda_j^2},\quad
              \lambda_j \sim C^+(0, 1),\quad \tau \sim C^+(0, \sigma\tau_0),

    with the slab :math:`c_j = c\,\mathrm{sd}(y)/\mathrm{sd}(x_j)`,
    :math:`c^2 \sim \mathrm{Inv\text{-}Gamma}(\nu/2, \nu s^2/2)` (ν = ``slab_df``, s =
    ``slab_scale``), flat intercept and :math:`p(\sigma^2) \propto 1/\sigma^2`. Small coefficients
    are shrunk as by the horseshoe; large ones (:math:`\tau\lambda_j \gg c_j`) as by a
    :math:`N(0, c_j^2)` prior, which keeps the posterior proper and NUTS stable. Posterior
    variables: ``coef_scale`` (τ/σ: the global scale relative to σ, :math:`\sim C^+(0, \tau_0)`),
    ``coef_local`` (:math:`\lambda_j`, dims ``feature``), ``coef_slab`` (c).

    Parameters
    ----------
    expected_nonzero : float, optional
        :math:`p_0`: :math:`\tau_0 = \frac{p_0}{p - p_0}\frac{1}{\sqrt n}\big/\mathrm{rms}_j\,
        \mathrm{sd}(x_j)` (Piironen & Vehtari's choice for standardized predictors).
    scale : float, optional
        :math:`\tau_0` directly (at most one of ``scale`` and ``expected_nonzero``; default
        :math:`1/\mathrm{rms}_j\,\mathrm{sd}(x_j)`, or that of :math:`p_0 = n/10` when p ≥ n − 1,
        as for the horseshoe; reported by ``prior_summary()``).
    slab_scale : float, default 2.5
        s, the slab width in units of sd(y)/sd(x_j).
    slab_df : float, default 4.0
        ν, the slab's degrees of freedom (the marginal slab is Student-t with ν d.f.).
    """

    expected_nonzero: float | None = None
    scale: float | None = None
    slab_scale: float = 2.5
    slab_df: float = 4.0

    family: ClassVar[str] = "regularized_horseshoe"

    def __post_init__(self):
        object.__setattr__(self, "expected_nonzero",
                           _check_expected_nonzero(self.expected_nonzero, "RegularizedHorseshoe"))
        if self.scale is not None:
            object.__setattr__(self, "scale", check_positive(self.scale, "RegularizedHorseshoe.scale"))
        if self.scale is not None and self.expected_nonzero is not None:
            raise ValueError("RegularizedHorseshoe: give at most one of scale and expected_nonzero "
                             "(both set tau_0)")
        for name in ("slab_scale", "slab_df"):
            value = getattr(self, name)
            if isinstance(value, bool):
                raise TypeError(f"RegularizedHorseshoe.{name} must be a positive number; got {value!r}")
            object.__setattr__(self, name, check_positive(value, f"RegularizedHorseshoe.{name}",
                                                          allow_none=False))

    @property
    def has_strength(self) -> bool:
        return self.scale is not None or self.expected_nonzero is not None


# ---- resolving τ0 -------------------------------------------------------------------------------


def _resolve_global(family, prior, *, scale, alpha, sigma, n_samples, spreads, tied: bool,
                    **extra) -> ResolvedPrior:
    """The ResolvedPrior of a horseshoe: τ ~ HalfCauchy(τ0) as its random scale."""
    if alpha is not None:
        raise ValueError(f"the {family.label} prior has no scikit-learn penalty, so no alpha: "
                         "give its scale= (tau_0) or expected_nonzero= instead")
    p0 = None  # the number of non-zero coefficients behind tau_0, when one set it
    if scale is not None:
        tau0, source = scale, "scale"
    elif prior.scale is not None:
        tau0, source = prior.scale, "prior"
    elif prior.expected_nonzero is not None:
        sd_x, sd_y = spreads()
        p0 = prior.expected_nonzero
        tau0 = expected_nonzero_scale(p0, len(sd_x), n_samples, sd_x, sd_y, tied)
        source = "prior"
    else:
        sd_x, sd_y = spreads()
        p0 = default_expected_nonzero(len(sd_x), n_samples)
        if p0 is None:
            tau0 = default_hyperprior_scale(sd_x, sd_y, relative_to_sigma=tied)
        else:
            tau0 = expected_nonzero_scale(p0, len(sd_x), n_samples, sd_x, sd_y, tied)
        source = "default"
    return ResolvedPrior(family=family.name, n_samples=n_samples, sigma=sigma, prior=prior,
                         hyperprior=HalfCauchy(tau0), sigma_power=1 if tied else 0, source=source,
                         expected_nonzero=p0, **extra)


def default_expected_nonzero(n_features: int, n_samples: int) -> float | None:
    r"""The default :math:`p_0` of the global scale when the columns can fit y exactly, else None.

    With :math:`p \ge n - 1` (an intercept and p columns can interpolate n rows) a global scale
    :math:`\tau \sim C^+(0, \tau_0)` with :math:`\tau_0` of the order of the columns' scale leaves
    the posterior a second mode that interpolates: σ → 0 with about n coefficients in use
    (measured: n = 100, p = 1,000, 5 true signals, σ = 1: every chain at σ ≈ 0.01). Piironen &
    Vehtari's :math:`\tau_0 = \frac{p_0}{p - p_0}\frac{\sigma}{\sqrt n}` makes the prior's
    effective number of non-zero coefficients about :math:`p_0`; the default :math:`p_0 = n/10`
    (about ten rows per coefficient, at least 1, below p) puts the interpolating mode, which needs
    about n, far in the prior's tail, while the half-Cauchy still lets the data ask for more
    (same design: every chain at σ ≈ 0.78, R-hat 1.008). Below that (p < n - 1) no exact fit
    exists and the default stays :math:`\tau_0 = 1/\mathrm{rms}_j\,\mathrm{sd}(x_j)`.
    """
    if n_features < n_samples - 1:
        return None
    return float(min(max(1.0, n_samples / 10.0), n_features / 2.0))


def _global_note(resolved: ResolvedPrior, unit: str) -> str:
    prior = resolved.prior
    if resolved.source == "default" and resolved.expected_nonzero is not None:
        how = (f"default for p >= n - 1 (an exact fit is possible): tau_0 from p0 = n/10 = "
               f"{resolved.expected_nonzero:g}: p0/(p-p0)/sqrt(n)/rms sd(x_j)"
               + ("" if resolved.sigma_power else " * sd(y)")
               + ", which keeps the prior away from interpolating y")
    elif resolved.source == "default":
        how = "default tau_0 = 1/rms sd(x_j)" + ("" if resolved.sigma_power else " * sd(y)")
    elif getattr(prior, "expected_nonzero", None) is not None and resolved.source == "prior":
        how = (f"tau_0 from expected_nonzero={prior.expected_nonzero:g}: "
               "p0/(p-p0)/sqrt(n)/rms sd(x_j)" + ("" if resolved.sigma_power else " * sd(y)"))
    else:
        how = "tau_0 given"
    return f"global scale tau ({unit}); {how}"


def _sigma_text(resolved: ResolvedPrior) -> str:
    return "sigma" if resolved.sigma is None else f"{resolved.sigma:.6g}"


# ---- the families -------------------------------------------------------------------------------


class HorseshoeFamily(ScaleFamily):
    r"""The horseshoe: a scale family in τσ^k whose density is the marginal horseshoe density.

    ``log_prior`` (and ``lp``) integrate the local scales out (:func:`horseshoe_log_density`);
    :meth:`log_prior_with_latents` is the PyMC model's density with them.
    """

    name = "horseshoe"
    aliases = ()
    prior_class = Horseshoe
    label = "horseshoe"
    density_name = "Horseshoe"
    no_map_reason = _NO_MAP
    gibbs = GIBBS_HALF_CAUCHY_MIXTURE
    color = "C3"

    def resolve(self, prior, *, scale, alpha, sigma, n_samples, spreads):
        return _resolve_global(self, prior, scale=scale, alpha=alpha, sigma=sigma,
                               n_samples=n_samples, spreads=spreads, tied=prior.scale_with_sigma)

    def log_density(self, coef, scale):
        return horseshoe_log_density(coef, scale)

    def random(self, scale, size, rng):
        return scale * np.abs(rng.standard_cauchy(size)) * rng.standard_normal(size)

    def latent_variables(self, resolved):
        return {"coef_local": ("feature",)}

    def log_prior_with_latents(self, resolved, coef, sigma, random_scale, latents):
        coef = np.atleast_2d(np.asarray(coef, dtype=float))
        local = np.broadcast_to(np.asarray(latents["coef_local"], dtype=float), coef.shape)
        scales, log_hyper = self.scales_and_hyper_density(resolved, sigma, random_scale, coef.shape[0])
        sd = scales[:, None] * local
        return log_hyper + (_normal_log_density(coef, sd) + _LOCAL.log_density(local)).sum(axis=-1)

    def conditional_variances(self, resolved, draws, rng):
        local = np.asarray(draws["coef_local"], dtype=float)
        return np.square(self.draw_scales(resolved, draws)[:, None] * local)

    def pymc_coefficients(self, pm, resolved, sigma):
        unit = pymc_unit_scale(pm, resolved)
        scale = unit * sigma**resolved.sigma_power if resolved.sigma_power else unit
        local = pm.HalfCauchy("coef_local", beta=1.0, dims="feature")
        return _pymc_noncentred_normal(pm, "coef", scale * local, "feature")

    def prior_draws(self, resolved, sigma, n_features, rng):
        truth = {}
        unit = draw_unit_scale(resolved, rng, truth)
        local = np.abs(rng.standard_cauchy(n_features))
        eff = float(resolved.effective_scale(float(sigma), unit))
        truth["coef_local"] = local
        truth["coef"] = eff * local * rng.standard_normal(n_features)
        return truth

    def describe(self, resolved):
        factor = {0: "", 1: f" * {_sigma_text(resolved)}"}[resolved.sigma_power]
        unit = "relative to sigma" if resolved.sigma_power == 1 else "in units of y per unit x"
        rows = [("coef", f"Normal(0, coef_scale * coef_local{factor})",
                 "horseshoe (Carvalho, Polson & Scott 2010); no MAP: density infinite at 0"),
                ("coef_local", str(_LOCAL.describe()), "local scales lambda_j, one per feature")]
        if resolved.scale_is_random:
            rows.append(("coef_scale", resolved.hyperprior.describe(), _global_note(resolved, unit)))
        return rows


class HorseshoePlusFamily(HorseshoeFamily):
    r"""The horseshoe+: the horseshoe's model with :math:`\lambda_j \sim C^+(0, \eta_j)`,
    :math:`\eta_j \sim C^+(0, 1)`.

    ``log_prior`` (the marginal over λ and η) has no closed form: it returns NaN, and ``lp`` is
    the joint density with the latents (:meth:`log_prior_with_latents`, the PyMC model's).
    :meth:`density` integrates λ out numerically. Gibbs: two chains of inverse-gamma auxiliaries.
    """

    name = "horseshoe_plus"
    aliases = ("hs+", "horseshoeplus")
    prior_class = HorseshoePlus
    label = "horseshoe+"
    density_name = "Horseshoe+"
    gibbs = GIBBS_HALF_CAUCHY_PLUS
    color = "C6"
    marginal_log_prior = False

    def log_density(self, coef, scale):
        coef = np.atleast_2d(np.asarray(coef, dtype=float))
        return np.full(coef.shape[0], np.nan)

    def latent_variables(self, resolved):
        return {"coef_local": ("feature",), "coef_local_scale": ("feature",)}

    def log_prior_with_latents(self, resolved, coef, sigma, random_scale, latents):
        coef = np.atleast_2d(np.asarray(coef, dtype=float))
        local = np.broadcast_to(np.asarray(latents["coef_local"], dtype=float), coef.shape)
        eta = np.broadcast_to(np.asarray(latents["coef_local_scale"], dtype=float), coef.shape)
        scales, log_hyper = self.scales_and_hyper_density(resolved, sigma, random_scale, coef.shape[0])
        log_locals = half_cauchy_log_density(local, eta) + _LOCAL.log_density(eta)
        return log_hyper + (_normal_log_density(coef, scales[:, None] * local) + log_locals).sum(axis=-1)

    def pymc_coefficients(self, pm, resolved, sigma):
        unit = pymc_unit_scale(pm, resolved)
        scale = unit * sigma**resolved.sigma_power if resolved.sigma_power else unit
        eta = pm.HalfCauchy("coef_local_scale", beta=1.0, dims="feature")
        local = pm.HalfCauchy("coef_local", beta=eta, dims="feature")
        return _pymc_noncentred_normal(pm, "coef", scale * local, "feature")

    def prior_draws(self, resolved, sigma, n_features, rng):
        truth = {}
        unit = draw_unit_scale(resolved, rng, truth)
        eta = np.abs(rng.standard_cauchy(n_features))
        local = eta * np.abs(rng.standard_cauchy(n_features))
        eff = float(resolved.effective_scale(float(sigma), unit))
        truth["coef_local_scale"] = eta
        truth["coef_local"] = local
        truth["coef"] = eff * local * rng.standard_normal(n_features)
        return truth

    def density(self, resolved, x, sigma, scales=None):
        """Marginal prior density of one coefficient on ``x`` (λ and η integrated out
        numerically), averaged over ``scales`` (values of τ; default: the fixed one)."""
        x = np.asarray(x, dtype=float)
        units = np.atleast_1d(resolved.scale if scales is None else scales).astype(float)
        eff = np.atleast_1d(resolved.effective_scale(float(sigma), units)).astype(float)
        # g(|x|/s)/s on a log grid of |x|/s, interpolated in log-log (g is smooth there)
        grid = np.geomspace(1e-12, 1e12, 1201)
        log_g = np.log(_horseshoe_plus_unit_density(grid))
        out = np.zeros_like(x)
        with np.errstate(divide="ignore"):
            for s in eff:
                u = np.clip(np.abs(x) / s, grid[0], grid[-1])
                out += np.exp(np.interp(np.log(u), np.log(grid), log_g)) / s
        return out / eff.size

    def describe(self, resolved):
        rows = super().describe(resolved)
        rows[0] = (rows[0][0], rows[0][1],
                   "horseshoe+ (Bhadra et al. 2017); no MAP: density infinite at 0")
        rows[1] = ("coef_local", "HalfCauchy(0, coef_local_scale)", "local scales lambda_j")
        rows.insert(2, ("coef_local_scale", str(_LOCAL.describe()),
                        "scales eta_j of the local scales, one per feature"))
        return rows


class RegularizedHorseshoeFamily(PriorFamily):
    r"""The regularized horseshoe (Piironen & Vehtari 2017).

    Gibbs (Gaussian likelihood): given λ, τ and c the coefficients are Gaussian with prior
    variances :math:`(1/c_j^2 + 1/(\tau^2\lambda_j^2))^{-1}`, so β is one Gaussian block; each
    :math:`(\lambda_j, \beta_j)` is drawn jointly (β_j integrated out of λ_j's slice step), τ with
    the move (τ, λ) → (gτ, λ/g) and by a slice step given β, the slab c and σ by slice steps
    (``bayesreg._gibbs_kernels``): no divergences by construction, unlike NUTS on this prior.

    In bayesreg's terms the global scale is ``coef_scale`` = τ/σ with a HalfCauchy(τ0)
    hyperprior (``sigma_power`` 1), and the per-column slab factors sd(y)/sd(x_j) are the resolved
    prior's ``column_scales`` (rescaled exactly by the standardized units). ``log_prior`` (the
    marginal over the local scales and the slab) has no closed form: it returns NaN, and ``lp``
    is the joint density with the latents (:meth:`log_prior_with_latents`, the PyMC model's).
    """

    name = "regularized_horseshoe"
    aliases = ("rhs", "regularised_horseshoe")
    prior_class = RegularizedHorseshoe
    label = "regularized horseshoe"
    no_map_reason = _NO_MAP
    color = "C5"
    marginal_log_prior = False
    gibbs = GIBBS_REGULARIZED_HALF_CAUCHY

    def resolve(self, prior, *, scale, alpha, sigma, n_samples, spreads):
        return _resolve_global(self, prior, scale=scale, alpha=alpha, sigma=sigma,
                               n_samples=n_samples, spreads=spreads, tied=True,
                               column_scales=_column_scales(*spreads()))

    def latent_variables(self, resolved):
        return {"coef_local": ("feature",), "coef_slab": ()}

    def log_prior(self, resolved, coef, sigma, random_scale=None):
        coef = np.atleast_2d(np.asarray(coef, dtype=float))
        return np.full(coef.shape[0], np.nan)

    def _sd(self, resolved, sigma, random_scale, local, slab, xp=np):
        """Prior sd of each coefficient: τ = σ·coef_scale, c_j = c·column_scales_j."""
        global_scale = sigma * random_scale if resolved.scale_is_random else sigma * resolved.scale
        factors = np.asarray(resolved.column_scales, dtype=float)
        return regularized_sd(global_scale, local, slab * factors, xp=xp)

    def conditional_variances(self, resolved, draws, rng):
        sigma = np.asarray(draws["sigma"], dtype=float)[:, None]
        scale = None
        if resolved.scale_is_random:
            scale = np.asarray(draws[resolved.random_scale_name], dtype=float)[:, None]
        slab = np.asarray(draws["coef_slab"], dtype=float)[:, None]
        return np.square(self._sd(resolved, sigma, scale, np.asarray(draws["coef_local"]), slab))

    def log_prior_with_latents(self, resolved, coef, sigma, random_scale, latents):
        coef = np.atleast_2d(np.asarray(coef, dtype=float))
        n_draws = coef.shape[0]
        sigma = np.broadcast_to(np.asarray(sigma, dtype=float), (n_draws,))[:, None]
        local = np.broadcast_to(np.asarray(latents["coef_local"], dtype=float), coef.shape)
        slab = np.broadcast_to(np.asarray(latents["coef_slab"], dtype=float), (n_draws,))
        prior = resolved.prior
        out = slab_log_density(slab, prior.slab_scale, prior.slab_df)
        scale = None
        if resolved.scale_is_random:
            scale = np.broadcast_to(np.asarray(random_scale, dtype=float), (n_draws,))
            out = out + resolved.hyperprior.log_density(scale)
            scale = scale[:, None]
        sd = self._sd(resolved, sigma, scale, local, slab[:, None])
        return out + (_normal_log_density(coef, sd) + _LOCAL.log_density(local)).sum(axis=-1)

    def pymc_coefficients(self, pm, resolved, sigma):
        import pytensor.tensor as pt

        unit = pymc_unit_scale(pm, resolved)
        local = pm.HalfCauchy("coef_local", beta=1.0, dims="feature")
        slab_scale = pm.Data("slab_scale", np.asarray(resolved.prior.slab_scale, dtype=float))
        slab_df = pm.Data("slab_df", np.asarray(resolved.prior.slab_df, dtype=float))
        factors = pm.Data("slab_factors", np.asarray(resolved.column_scales, dtype=float),
                          dims="feature")
        slab = pm.HalfFlat("coef_slab")
        slab_var = pm.InverseGamma.dist(alpha=0.5 * slab_df, beta=0.5 * slab_df * slab_scale**2)
        pm.Potential("coef_slab_prior", pm.logp(slab_var, slab**2) + pt.log(2.0 * slab))
        sd = regularized_sd(sigma * unit, local, slab * factors, xp=pt)
        return _pymc_noncentred_normal(pm, "coef", sd, "feature")

    def prior_draws(self, resolved, sigma, n_features, rng):
        prior = resolved.prior
        truth = {}
        scale = draw_unit_scale(resolved, rng, truth)
        slab_var = 0.5 * prior.slab_df * prior.slab_scale**2 / rng.gamma(0.5 * prior.slab_df)
        slab = math.sqrt(slab_var)
        local = np.abs(rng.standard_cauchy(n_features))
        sd = regularized_sd(float(sigma) * scale, local, slab * np.asarray(resolved.column_scales))
        truth["coef_slab"] = slab
        truth["coef_local"] = local
        truth["coef"] = sd * rng.standard_normal(n_features)
        return truth

    def density(self, resolved, x, sigma, scales=None):
        r"""Marginal prior density of a typical coefficient (slab factor :math:`\mathrm{rms}_j`) on
        ``x``: the normal density averaged over a fixed stratified sample of 8192 (λ, c), each
        paired with one of ``scales`` (values of τ/σ, default: quantiles of their hyperprior) in
        turn (no closed form). Deterministic; within about 1% where the density is not far in its
        tails (for plots)."""
        from scipy import stats

        x = np.asarray(x, dtype=float)
        prior = resolved.prior
        n = 8192
        rng = np.random.default_rng(20170103)  # fixed: the same curve every call
        u = (rng.permutation(n) + rng.random(n)) / n  # stratified uniforms, independently paired
        v = (rng.permutation(n) + rng.random(n)) / n
        local = np.tan(0.5 * np.pi * u)
        slab = np.sqrt(stats.invgamma.ppf(v, 0.5 * prior.slab_df,
                                          scale=0.5 * prior.slab_df * prior.slab_scale**2))
        if scales is None:
            scales = (resolved.hyperprior.scale_quantiles(256) if resolved.scale_is_random
                      else [resolved.scale])
        scales = np.resize(np.asarray(scales, dtype=float).ravel(), n)
        factor = rms(np.asarray(resolved.column_scales, dtype=float))
        sd = regularized_sd(float(sigma) * scales, local, slab * factor)
        out = np.empty_like(x)
        for i in range(0, x.size, 64):  # bounded memory: 64 × n densities at a time
            out[i:i + 64] = np.exp(_normal_log_density(x[i:i + 64, None], sd[None, :])).mean(axis=1)
        return out

    def describe(self, resolved):
        prior = resolved.prior
        sig = _sigma_text(resolved)
        rows = [
            ("coef", "Normal(0, tau * lambda_tilde), lambda_tilde^2 = c_j^2 lambda^2/(c_j^2 + "
                     f"tau^2 lambda^2), tau = coef_scale * {sig}, c_j = coef_slab * sd(y)/sd(x_j)",
             "regularized horseshoe (Piironen & Vehtari 2017); no MAP: density infinite at 0"),
            ("coef_local", str(_LOCAL.describe()), "local scales lambda_j, one per feature"),
            ("coef_slab", f"coef_slab^2 ~ InvGamma({0.5 * prior.slab_df:.4g}, "
                          f"{0.5 * prior.slab_df * prior.slab_scale**2:.4g})",
             f"slab scale c: slab_scale={prior.slab_scale:g}, slab_df={prior.slab_df:g}"),
        ]
        if resolved.scale_is_random:
            rows.append(("coef_scale", resolved.hyperprior.describe(),
                         _global_note(resolved, "tau / sigma")))
        return rows
