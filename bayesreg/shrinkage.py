r"""Shrinkage factors: how much of each coefficient a prior takes away, under the prior and the posterior.

For a prior that is a normal scale mixture, :math:`\beta_j \mid v_j \sim N(0, v_j)`, and a
predictor with :math:`\sum_i (x_{ij} - \bar x_j)^2 = n s_j^2`, the posterior mean of :math:`\beta_j`
in an orthogonal design is :math:`(1 - \kappa_j)\hat\beta_j^{\mathrm{OLS}}` with the shrinkage factor

.. math:: \kappa_j = \frac{1}{1 + n s_j^2 v_j/\sigma^2} \in (0, 1)

(0: left as least squares, 1: shrunk to zero; Carvalho, Polson & Scott 2010). Under the
horseshoe with :math:`n s_j^2 = \sigma^2 = \tau^2 = 1` it is Beta(½, ½) — mass at both ends:
noise is shrunk away, signals are left alone. A Gaussian prior puts every coefficient at the same
κ; a Laplace prior spreads κ but has no mass near 0 for large signals.

:func:`shrinkage_profile` turns a sampled :class:`~bayesreg.FitResult` into κ draws: posterior κ
from the posterior draws of σ, the prior scale and the local variables (a local variance the
sampler did not keep, such as the Laplace's :math:`\omega_j`, is drawn from its conditional given
β), and prior κ from draws of the prior at the posterior draws of σ. The prior family declares
how (``PriorFamily.conditional_variances``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import check_random_seed

__all__ = ["ShrinkageProfile", "shrinkage_factor", "shrinkage_profile"]


def shrinkage_factor(variance, sigma, n_samples: int, x_sd) -> np.ndarray:
    r""":math:`\kappa_j = 1/(1 + n s_j^2 v_j/\sigma^2)` for prior variances ``variance`` (S, p),
    noise sds ``sigma`` (S,), ``n_samples`` rows and the predictors' population sds ``x_sd`` (p,)."""
    variance = np.asarray(variance, dtype=float)
    sigma = np.asarray(sigma, dtype=float)[:, None]
    x_sd = np.asarray(x_sd, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        ratio = n_samples * x_sd**2 * (variance / sigma) / sigma
    return 1.0 / (1.0 + ratio)


@dataclass(frozen=True, repr=False)
class ShrinkageProfile:
    r"""Draws of the shrinkage factors :math:`\kappa_j` of one fit, under its prior and its posterior.

    Attributes
    ----------
    label : str
        The prior's name (for titles and legends).
    family : str
        The registered prior family.
    feature_names : tuple of str
    prior : ndarray of shape (n_draws, n_features)
        κ under the prior (one prior draw per posterior draw of σ).
    posterior : ndarray of shape (n_chains, n_draws, n_features)
        κ under the posterior.
    color : str
        The family's plot colour.
    """

    label: str
    family: str
    feature_names: tuple[str, ...]
    prior: np.ndarray
    posterior: np.ndarray
    color: str = "C0"

    def __repr__(self) -> str:
        chains, draws, p = self.posterior.shape
        return (f"ShrinkageProfile({self.label!r}, n_features={p}, chains={chains}, draws={draws}, "
                f"mean posterior kappa={float(self.posterior.mean()):.3g})")

    def summary(self, hdi_prob: float = 0.94):
        """Per feature: the prior's and the posterior's mean κ, the posterior median and HDI.

        Returns
        -------
        pandas.DataFrame
            Indexed by feature: ``prior_mean``, ``mean``, ``median``, ``hdi_low``, ``hdi_high``.
        """
        import pandas as pd

        from .compare import _check_hdi_prob, _coef_hdi

        hdi_prob = _check_hdi_prob(hdi_prob)
        flat = self.posterior.reshape(-1, self.posterior.shape[-1])
        hdi = _coef_hdi(self.posterior, hdi_prob)
        table = pd.DataFrame({
            "prior_mean": self.prior.mean(axis=0), "mean": flat.mean(axis=0),
            "median": np.median(flat, axis=0), "hdi_low": hdi[:, 0], "hdi_high": hdi[:, 1],
        }, index=pd.Index(self.feature_names, name="feature"))
        table.attrs["hdi_prob"] = hdi_prob
        return table


def _posterior_draws(result) -> tuple[dict, int, int]:
    post = result._require_posterior("shrinkage_profile()")
    chains, draws = post.sizes["chain"], post.sizes["draw"]
    flat = {name: np.asarray(post[name].values, dtype=float).reshape(chains * draws,
                                                                     *post[name].shape[2:])
            for name in post.data_vars}
    if "sigma" not in flat:
        flat["sigma"] = np.full(chains * draws, float(result.resolved_prior.sigma))
    flat["coef"] = result.coef_on_prior_scale(flat["coef"])  # the prior's own units
    return flat, chains, draws


def _prior_draws(resolved, sigma: np.ndarray, n_features: int, rng) -> dict:
    """One draw of the prior per value of ``sigma``, stacked by variable."""
    family = resolved.spec
    rows = [family.prior_draws(resolved, float(s), n_features, rng) for s in sigma]
    out = {name: np.asarray([row[name] for row in rows], dtype=float) for name in rows[0]}
    out["sigma"] = sigma
    return out


def shrinkage_profile(result, *, random_seed=None, label: str | None = None) -> ShrinkageProfile:
    r"""The shrinkage factors :math:`\kappa_j = 1/(1 + n s_j^2 v_j/\sigma^2)` of a sampled fit.

    :math:`v_j` is the prior variance of :math:`\beta_j` given the prior's local variables
    (Gaussian: :math:`s^2\sigma^{2k}`, the same for every j; Laplace: the exponential-mixing
    variance :math:`\omega_j`, drawn given :math:`\beta_j`; horseshoe:
    :math:`\sigma^2\tau^2\lambda_j^2`), :math:`s_j` the population sd of predictor j and n the
    number of rows.

    Parameters
    ----------
    result : FitResult
        A fit with ``method="sample"``.
    random_seed : int, optional
        Seeds the prior draws and any local variance drawn given β; same seed, same κ.
    label : str, optional
        Name for titles and legends (default: the prior family's label).

    Returns
    -------
    ShrinkageProfile

    Raises
    ------
    ValueError
        For a MAP-only result, a prior family that is not a normal scale mixture, a likelihood
        without a noise variance (the logistic one), or a result without the predictors' spreads
        (written by an older bayesreg: refit).
    """
    rng = np.random.default_rng(check_random_seed(random_seed))
    resolved = result.resolved_prior
    family = resolved.spec
    if not resolved.likelihood_spec.has_sigma:
        raise ValueError(f"shrinkage factors κ = 1/(1 + n s² v/σ²) are defined for the Gaussian "
                         f"likelihood's noise variance σ²; family={resolved.likelihood!r} has none")
    if result.x_sd is None:
        raise ValueError("this result does not record the predictors' sds (it was written by an "
                         "older bayesreg); refit it to compute shrinkage factors")
    posterior, chains, draws = _posterior_draws(result)
    x_sd = np.asarray(result.prior_x_sd, dtype=float)  # of the predictors the prior is on
    n = resolved.n_samples
    post_var = family.conditional_variances(resolved, posterior, rng)
    if post_var is None:
        raise ValueError(f"the {family.label} prior is not declared as a normal scale mixture, so it "
                         "has no shrinkage factors")
    sigma = posterior["sigma"]
    prior = _prior_draws(resolved, sigma, len(x_sd), rng)
    prior_var = family.conditional_variances(resolved, prior, rng)
    kappa_post = shrinkage_factor(post_var, sigma, n, x_sd).reshape(chains, draws, -1)
    return ShrinkageProfile(
        label=family.label if label is None else label, family=family.name,
        feature_names=tuple(result.feature_names),
        prior=shrinkage_factor(prior_var, sigma, n, x_sd), posterior=kappa_post,
        color=family.color,
    )


def as_profiles(profiles) -> list[ShrinkageProfile]:
    """A ShrinkageProfile, a sequence of them or a dict (label → profile) as a list."""
    if isinstance(profiles, ShrinkageProfile):
        return [profiles]
    if isinstance(profiles, dict):
        items = list(profiles.values())
    elif isinstance(profiles, Sequence) and not isinstance(profiles, str):
        items = list(profiles)
    else:
        items = [profiles]
    bad = [type(p).__name__ for p in items if not isinstance(p, ShrinkageProfile)]
    if bad or not items:
        raise TypeError("profiles must be a ShrinkageProfile, a sequence or a dict of them (from "
                        "FitResult.shrinkage_profile() or PriorComparison.shrinkage_profiles()); "
                        f"got {', '.join(bad) or 'nothing'}")
    return items
