r"""Posterior samplers and their dispatch.

* ``"exact"`` — independent draws from the closed-form posterior (Gaussian prior with a fixed scale
  and either σ fixed, or the scale tied to σ with :math:`p(\sigma^2)\propto 1/\sigma^2`: the
  Normal–inverse-gamma posterior).
* ``"gibbs"`` — blocked Gibbs sampler. Laplace priors use the normal scale mixture
  :math:`\mathrm{Laplace}(0,b) = \int N(0,\omega)\,\mathrm{Exp}(\omega; 1/(2b^2))\,d\omega`
  (Andrews & Mallows 1974; Park & Casella 2008): :math:`1/\omega_j \mid \beta_j` is inverse Gaussian.
  When the prior scale is tied to σ, :math:`(\sigma^2, \beta)` is drawn as one block with β
  integrated out of σ²'s conditional. For p > n, β is drawn with the O(n²p) algorithm of
  Bhattacharya, Chakraborty & Mallick (2016). Random scales: Gamma on the squared rate, or a
  half-Cauchy through its inverse-gamma mixture (Makalic & Schmidt 2016). For the Laplace prior the
  rate is drawn given β with the latent variances integrated out (a one-dimensional log-concave
  conditional, updated by an exact slice-sampling step) — far better mixing than the rate given
  the latents. The logistic likelihood draws its coefficient block by an HMC transition within
  the same Gibbs sweep (:mod:`bayesreg._hmc_kernels`; Pólya-Gamma augmentation above 400 features).
* ``"nutpie"`` / ``"pymc"`` — NUTS on the PyMC model of :mod:`bayesreg.model` (any prior).

All samplers work on centred data with the flat intercept integrated out and drawn last,
:math:`b_0 \mid \beta, \sigma, y \sim N(\bar y - \bar x^\top\beta, \sigma^2/n)`. Data enter through
sufficient statistics (computed once, in chunks) unless p > n.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import linalg

from ._backend import import_arviz, import_pymc, single_threaded_blas
from ._progress import ChainProgress, progress_enabled
from ._standardize import Standardized
from ._validation import Data
from .exceptions import BayesregWarning, ConvergenceWarning
from .likelihoods import get_likelihood
from .model import log_posterior, pymc_model
from .priors import (
    GIBBS_EXPONENTIAL_MIXTURE,
    GIBBS_HALF_CAUCHY_MIXTURE,
    GIBBS_HALF_CAUCHY_PLUS,
    GIBBS_REGULARIZED_HALF_CAUCHY,
    ResolvedPrior,
    families,
)

if TYPE_CHECKING:
    from .map import CentredData

__all__ = [
    "SAMPLERS",
    "Sampler",
    "check_rows_sampler",
    "choose_sampler",
    "exact_posterior",
    "register_sampler",
    "sample_posterior",
]

_MIN_DIAGNOSTIC_DRAWS = 4
_LOGLIK_AUTO_LIMIT = 50_000_000  # n * chains * draws above which pointwise log-likelihood is off


# ---------------------------------------------------------------------------------------------
# the sampler registry


@dataclass(frozen=True)
class Sampler:
    """A posterior sampler and what it can do.

    ``competence(resolved, likelihood)`` returns None when the sampler handles that (prior
    family, likelihood) pair — ``resolved`` says which family and in what form — or a sentence
    saying why not. ``sampler="auto"`` takes the competent sampler with the lowest ``priority``.
    ``run(problem, resolved, likelihood, seed_seq, draws, tune, chains, progress, options)``
    returns ``(arrays, sample_stats)`` in standardized units. ``needs_rows``: it needs every row
    of the data (not only their sufficient statistics). ``options``: it takes ``sampler_kwargs``.
    ``own_progress``: the backend draws its own progress display (``progress.enabled`` says
    whether to), instead of rows of :class:`bayesreg._progress.ChainProgress`.
    """

    name: str
    priority: int
    competence: Callable
    run: Callable
    needs_rows: bool = False
    options: bool = False
    own_progress: bool = False
    description: str = ""


SAMPLERS: dict[str, Sampler] = {}


def register_sampler(sampler: Sampler) -> Sampler:
    """Add a sampler to the registry (its name becomes a valid ``sampler=``)."""
    SAMPLERS[sampler.name] = sampler
    return sampler


def sampler_names() -> tuple[str, ...]:
    return ("auto", *SAMPLERS)


def _exact_competence(resolved: ResolvedPrior, likelihood) -> str | None:
    conjugate = resolved.spec.conjugate and likelihood.conditionally_gaussian
    if (not conjugate or resolved.scale_is_random
            or not (resolved.sigma_is_fixed or resolved.sigma_power == 1)):
        return ("it needs a closed-form posterior: a Gaussian prior and likelihood with a fixed "
                "scale and either sigma fixed or the scale tied to sigma (alpha=..., or "
                "scale_with_sigma=True)")
    return None


def _gibbs_competence(resolved: ResolvedPrior, likelihood) -> str | None:
    family = resolved.spec
    if family.gibbs is None or not (likelihood.conditionally_gaussian or likelihood.augmented):
        names = ", ".join(f.label for f in families() if f.gibbs is not None)
        return (f"it covers the priors with a Gibbs update ({names}) and a Gaussian or "
                "Pólya-Gamma-augmented (logistic) likelihood")
    if resolved.sigma_power == 2 and family.gibbs != GIBBS_EXPONENTIAL_MIXTURE:
        return "its sigma^2-scaled prior form exists for exponential mixing (Laplace) only"
    if not likelihood.conditionally_gaussian and family.gibbs == GIBBS_REGULARIZED_HALF_CAUCHY:
        return ("the regularized horseshoe's Gibbs update is written for the Gaussian likelihood "
                "(its slab and sigma steps); for the logistic likelihood use NUTS")
    return None


def _nuts_competence(resolved: ResolvedPrior, likelihood) -> str | None:
    return None  # every family builds its PyMC coefficients


def exact_available(resolved: ResolvedPrior, likelihood="gaussian") -> bool:
    """Closed-form posterior: Gaussian prior, fixed scale, and σ fixed or scale tied to σ."""
    return _exact_competence(resolved, get_likelihood(likelihood)) is None


def choose_sampler(resolved: ResolvedPrior, sampler: str = "auto", likelihood="gaussian") -> str:
    """Resolve ``sampler="auto"`` (the competent sampler of lowest priority) or check a choice."""
    likelihood = get_likelihood(likelihood)
    names = sampler_names()
    if not isinstance(sampler, str) or sampler not in names:
        raise ValueError(f"sampler must be one of {', '.join(map(repr, names))}; got {sampler!r}")
    if sampler == "auto":
        ranked = sorted(SAMPLERS.values(), key=lambda smp: smp.priority)
        for candidate in ranked:
            if candidate.competence(resolved, likelihood) is None:
                return candidate.name
        raise ValueError(f"no sampler handles the {resolved.spec.label} prior with this likelihood")
    why = SAMPLERS[sampler].competence(resolved, likelihood)
    if why is not None:
        raise ValueError(f"sampler={sampler!r} cannot sample this model: {why}; "
                         "use sampler='auto' (or 'nutpie'/'pymc')")
    return sampler


def check_rows_sampler(sampler: str, rows: bool) -> None:
    """Refuse a sampler that needs every row for data known only by their statistics."""
    if not rows and sampler in SAMPLERS and SAMPLERS[sampler].needs_rows:
        able = ", ".join(repr(s.name) for s in SAMPLERS.values() if not s.needs_rows)
        raise ValueError(
            f"sampler {sampler!r} (NUTS on the PyMC model) needs every row of the data, but these "
            "data are known only through their sufficient statistics (a SufficientStats, or dask "
            f"data); from statistics the samplers {able} work (sampler='auto' picks one where the "
            f"prior has them: {_fast_priors()}); for other priors use method='map', or the data "
            "in memory"
        )


def _fast_priors() -> str:
    """The prior families with a closed-form or Gibbs sampler, for messages."""
    return ", ".join(f.label for f in families() if f.gibbs is not None or f.conjugate)


def _seed_sequence(random_seed) -> np.random.SeedSequence:
    """Alias of :func:`bayesreg._validation.check_random_seed` (one seed check everywhere)."""
    from ._validation import check_random_seed

    return check_random_seed(random_seed, "random_seed")


# ---------------------------------------------------------------------------------------------
# exact sampler


def exact_posterior(suff: CentredData, resolved: ResolvedPrior) -> dict:
    r"""Parameters of the closed-form posterior of the slopes (Gaussian prior, fixed scale).

    Returns ``mean`` and ``precision_factor`` :math:`M = X_c^\top X_c + (\sigma^2/\tau^2) I` (σ fixed;
    covariance :math:`\sigma^2 M^{-1}`), or for σ unknown with :math:`\tau = \sigma t`:
    :math:`M = X_c^\top X_c + I/t^2`, :math:`\sigma^2 \sim IG((n-1)/2, (y_c^\top y_c - c^\top M^{-1}c)/2)`
    and :math:`\beta \mid \sigma^2 \sim N(M^{-1}c, \sigma^2 M^{-1})` (marginally multivariate t).
    """
    from .map import _ridge

    if not exact_available(resolved):
        raise ValueError("this prior has no closed-form posterior")
    p = suff.p
    if resolved.sigma_is_fixed:
        ridge = resolved.sigma**2 / resolved.effective_scale(resolved.sigma) ** 2
    else:
        ridge = 1.0 / resolved.scale**2
    M = suff.gram.copy()
    M.flat[:: p + 1] += ridge
    mean = _ridge(suff, ridge)
    out = {"mean": mean, "precision_factor": M}
    if not resolved.sigma_is_fixed:
        a = (suff.n - 1) / 2
        b = max(suff.yy - float(suff.corr @ mean), np.finfo(float).tiny) / 2
        out["sigma2_shape"], out["sigma2_scale"] = a, b
    return out


def _exact_chain(suff, resolved, likelihood, rng, draws, tune, progress, stop=None):
    del tune, stop  # independent draws: no burn-in, and one step (nothing to stop)
    post = exact_posterior(suff, resolved)
    L = linalg.cholesky(post["precision_factor"], lower=True, check_finite=False)
    z = rng.standard_normal((suff.p, draws))
    noise = linalg.solve_triangular(L, z, lower=True, trans="T", check_finite=False).T
    if resolved.sigma_is_fixed:
        sigma = np.full(draws, resolved.sigma)
    else:
        sigma = np.sqrt(post["sigma2_scale"] / rng.gamma(post["sigma2_shape"], size=draws))
    coef = post["mean"][None, :] + sigma[:, None] * noise
    intercept = likelihood.intercept_draws(suff, coef, sigma, rng.standard_normal(draws))
    progress(draws)
    out = {"intercept": intercept, "coef": coef}
    if not resolved.sigma_is_fixed:
        out["sigma"] = sigma
    return out


# ---------------------------------------------------------------------------------------------
# Gibbs sampler


def _start_rate(resolved: ResolvedPrior, mixing: bool, beta: np.ndarray, sigma2: float,
                p: int) -> tuple[float, float]:
    r"""A starting rate ρ² = 1/s² in the bulk of its conditional, and the half-Cauchy auxiliary ν.

    Exponential mixing (Laplace): the mode of :math:`p(\rho \mid \beta, \sigma)` with the latents
    integrated out, :math:`\rho = (\sqrt{T^2 + 8 b_0 m} - T)/(4 b_0)`,
    :math:`T = \sum_j|\beta_j|/\sigma^k`, :math:`m = p + 2a_0`; fixed variances (Gaussian, and the
    horseshoe at its starting local scales λ_j = 1): the mean of its Gamma conditional. ν starts at
    the scale of its inverse-gamma conditional, :math:`1/(1/h^2 + \rho^2)`.
    """
    hyper = resolved.hyperprior
    if hyper is None:
        return 1.0, 1.0
    kind, h_a, _ = hyper.gibbs_parameters()
    a0, b0 = hyper.rate2_prior(h_a**2)  # for the half-Cauchy, ν at the scale squared
    scale_k = sigma2 ** (0.5 * resolved.sigma_power)
    if mixing:
        total = float(np.abs(beta).sum()) / scale_k
        m = p + 2.0 * a0
        rho = 2.0 * m / (math.sqrt(total * total + 8.0 * b0 * m) + total)  # the mode, rationalised
        rho2 = rho * rho
    else:
        rho2 = (a0 + 0.5 * p) / (b0 + float(beta @ beta) / (2.0 * sigma2 ** resolved.sigma_power))
    nu = 1.0 if kind != 2 else 1.0 / (1.0 / h_a**2 + rho2)
    if not (np.isfinite(rho2) and rho2 > 0):
        raise FloatingPointError("no finite starting value for the prior's rate")
    return rho2, nu


def _gibbs_chain(suff, resolved, likelihood, rng, draws, tune, progress, block: int = 250, stop=None):
    """One chain of the blocked Gibbs sampler; the iterations run compiled (:mod:`._gibbs_kernels`).

    Each iteration, in this order (every step leaves the posterior invariant):

    0. Horseshoe, horseshoe+ and Gaussian prior with σ unknown and a random scale tied to σ,
       instead of 1 and 3: the global scale s | λ, y with β and σ² integrated out (slice step on
       log s after one eigendecomposition), σ² | s, λ, y with β integrated out, then
       β | σ², s, λ (Johndrow, Orenstein & Bhattacharya 2020's blocking). Drawing s given β
       instead makes it wait for β.
    1. (σ², β): with σ unknown and the scale tied to σ, σ² | latents with β integrated out, then
       β | σ², latents (β ~ N(M⁻¹c, σ²M⁻¹), M = XᵀX + D⁻¹; Bhattacharya et al. for p > n). When
       the scale is random too and p ≳ n/4, instead (σ, β) | y, ω, c along the σ–scale ridge
       with the absolute prior variances ω and c = σ·s held fixed. Otherwise β | σ², latents and
       then σ² | β (for the α route, b = s·σ², with the latents integrated out).
    2. Exponential mixing (Laplace): each β_j | β₋ⱼ, σ, s exactly, latents integrated out
       (two-piece Gaussian).
    2b. Horseshoe and horseshoe+: each (λ_j, β_j) jointly given the other coefficients, σ and s —
       λ_j by a slice step on its conditional with β_j integrated out (β_j's conditional is
       Gaussian given λ_j) and λ_j's auxiliary a_j integrated out, then β_j | λ_j exactly; then,
       for a random scale, the move (s, λ) → (g·s, λ/g), which changes no prior variance s²λ_j²
       (Liu & Sabatti 2000's generalized Gibbs step: a slice step on log g of
       p(g s) Π p(λ_j/g) g^(1−p)); then a_j | λ_j. These two moves are what let the local scales
       and the global scale mix (minimum bulk ESS on the diabetes and prostate data 1,085–1,315
       of 4,000, against 344–411 for the inverse-gamma updates alone).
    3. Random scale: ρ = 1/s | β, σ (Laplace: latents integrated out, slice step; Gaussian and
       horseshoe: conjugate Gamma, for the horseshoe with β_j/λ_j); ν | ρ² for the half-Cauchy.
    4. Exponential mixing: latents 1/ω_j | β_j ~ inverse Gaussian. Horseshoe: λ_j² | a_j, β_j and
       a_j | λ_j², inverse gamma (Makalic & Schmidt 2016); horseshoe+: the same with λ_j's
       scale η_j and its auxiliary b_j, inverse gamma too.
    5. Random scale not drawn in 0: s again, non-centred (Yu & Meng 2011's interweaving): with
       z = β/s and the latents relative to s held fixed, s | z, σ, y has the log density
       log p(s) − (s²zᵀXᵀXz − 2s zᵀXᵀy)/(2σ²) (slice step on log s); then β = s z. Step 3 moves
       s where the data say little about β, this step where they pin Xβ down.
    6. Intercept | β, σ² ~ N(ȳ − x̄ᵀβ, σ²/n), recorded with the draw.

    Blocks of ``block`` iterations are compiled calls whose random numbers come from numba's
    generator seeded from ``rng``: same seed, same draws.

    Logistic likelihood with p ≤ 400 features: :func:`_hmc_gibbs_chain` (HMC within Gibbs).
    Above that, Pólya-Gamma augmentation (Polson, Scott & Windle 2013): before every
    iteration ω_i ~ PG(1, η_i) at the current η = b₀ + Xβ (the ``polyagamma`` package, from
    ``rng``), and the iteration above runs with σ = 1 on the weighted statistics of
    z_i = (y_i − ½)/ω_i — the same prior updates and coefficient draw (Bhattacharya et al.'s for
    p > n), the intercept drawn from its weighted
    conditional. One compiled iteration per call, since the statistics change every time.
    """
    from ._gibbs_kernels import GibbsDraws, GibbsPrior, GibbsState, block_kind, gibbs_kernel
    from .map import _ridge

    rp = resolved
    augmented = not likelihood.conditionally_gaussian  # Pólya-Gamma: new weights every iteration
    if augmented and hmc_route(suff.n_features):
        return _hmc_gibbs_chain(suff, resolved, likelihood, rng, draws, tune, progress, stop=stop)
    if augmented:
        X_rows, y_rows = suff.dense_X("the Pólya-Gamma Gibbs sampler"), suff.y
        n, p = X_rows.shape
    else:
        p, n = suff.p, suff.n
    local = rp.spec.gibbs
    mixing = local == GIBBS_EXPONENTIAL_MIXTURE
    plus = local == GIBBS_HALF_CAUCHY_PLUS  # the horseshoe+: auxiliaries a_j, η_j², b_j
    regularized = local == GIBBS_REGULARIZED_HALF_CAUCHY  # t = λ², and the slab c
    horseshoe = plus or regularized or local == GIBBS_HALF_CAUCHY_MIXTURE  # t = λ²
    hyper = rp.hyperprior
    hyper_kind, hyper_a, hyper_b = (0, 0.0, 0.0) if hyper is None else hyper.gibbs_parameters()
    k = rp.sigma_power
    ridge_moves = (not rp.sigma_is_fixed) and k == 1 and hyper is not None and 4 * p >= n
    if augmented:  # start at the intercept-only fit
        beta, ybar = np.zeros(p), float(y_rows.mean())
        intercept = math.log(ybar / (1.0 - ybar))
    else:  # start near a ridge solution with a moderate penalty
        beta = _ridge(suff, max(np.trace(suff.gram) / (n if suff.wide else p), 1e-12))
    if rp.sigma_is_fixed:
        sigma2 = rp.sigma**2
    else:
        sigma2 = max(suff.rss(beta) / max(n - 1, 1), 1e-12 * (suff.yy / n + 1e-300))
    rho2, nu = _start_rate(rp, mixing, beta, sigma2, p)
    unit_scale2 = rp.scale**2 if hyper is None else 1.0 / rho2
    data = None if augmented else _kernel_data(suff, float(n))
    slab = {}
    if regularized:  # c starts at its prior's scale; c_j = c f_j (f_j: the slab factors)
        slab = {"slab_df": float(rp.prior.slab_df), "slab_scale": float(rp.prior.slab_scale),
                "slab_factors2": np.square(np.asarray(rp.column_scales, dtype=float))}
    prior = GibbsPrior(local, k, rp.sigma_is_fixed, float(rp.scale or 0.0), hyper_kind,
                       float(hyper_a), float(hyper_b), ridge_moves, **slab)
    state = GibbsState(np.ascontiguousarray(beta, dtype=float),
                       np.ones(p) if horseshoe else np.full(p, 2.0 * unit_scale2),
                       np.array([sigma2, rho2, nu, slab.get("slab_scale", 1.0)]),
                       np.ones(3 * p if plus else p) if horseshoe else np.empty(0))
    out = GibbsDraws(np.empty((draws, p)), np.empty(draws), np.empty(draws), np.empty(draws),
                     rp.random_scale_name == "coef_scale",
                     np.empty((draws, p)) if horseshoe else np.empty((0, 0)),
                     np.empty((draws, p)) if plus else np.empty((0, 0)),
                     np.empty(draws) if regularized else np.empty(0))
    total = tune + draws
    # the compiled variant for this family, (σ², β) block and data form (compiled on first use,
    # with a one-line notice, or loaded from the disk cache)
    gibbs_block = gibbs_kernel(local, block_kind(prior), p > n if augmented else suff.wide)
    if augmented:
        scratch = GibbsDraws(*(np.empty((1, *a.shape[1:])) if isinstance(a, np.ndarray) and a.size
                               else a for a in out))
        for it in range(total):
            if stop is not None and stop.is_set():
                raise KeyboardInterrupt("sampling stopped")
            c = likelihood.augmented_statistics(X_rows, y_rows, intercept + X_rows @ state.beta, rng)
            target, row = (out, it - tune) if it >= tune else (scratch, 0)
            gibbs_block(1, int(rng.integers(2**31 - 1)), _kernel_data(c, c.weight_total), prior,
                        state, target, 0, row)
            intercept = float(target.intercept[row])
            if (it + 1) % 50 == 0 or it + 1 == total:
                progress(it + 1)
    # blocks of about a quarter of a second at most, so that Ctrl-C and a stop request act quickly
    flops = (n * n * p) if p > n else (p**3 / 3.0 + 4.0 * p * p)
    block = int(min(block, max(1, 2e8 / max(flops, 1.0))))
    done = total if augmented else 0
    while done < total:
        if stop is not None and stop.is_set():
            raise KeyboardInterrupt("sampling stopped")
        size = min(block, total - done)
        gibbs_block(size, int(rng.integers(2**31 - 1)), data, prior, state, out,
                    max(tune - done, 0), max(done - tune, 0))
        done += size
        progress(done)
    return _chain_arrays(out, rp, horseshoe, plus, regularized)


def _chain_arrays(out, resolved: ResolvedPrior, horseshoe: bool, plus: bool, regularized: bool) -> dict:
    """The posterior arrays of one compiled chain (:class:`~bayesreg._gibbs_kernels.GibbsDraws`)."""
    arrays = {"intercept": out.intercept, "coef": out.coef}
    if not resolved.sigma_is_fixed:
        arrays["sigma"] = out.sigma
    if resolved.hyperprior is not None:
        arrays[resolved.random_scale_name] = out.rand
    if horseshoe:
        arrays["coef_local"] = out.local
    if plus:
        arrays["coef_local_scale"] = out.local_scale
    if regularized:
        arrays["coef_slab"] = out.slab
    return arrays


def hmc_route(n_features: int) -> bool:
    """Whether the logistic likelihood's Gibbs sampler draws the coefficients by HMC
    (:mod:`bayesreg._hmc_kernels`; p ≤ 400) rather than by Pólya-Gamma augmentation."""
    from ._hmc_kernels import MAX_FEATURES

    return n_features <= MAX_FEATURES


def _hmc_gibbs_chain(data, resolved, likelihood, rng, draws, tune, progress, block: int = 250,
                     stop=None):
    """One chain of HMC within Gibbs for the logistic likelihood (:mod:`bayesreg._hmc_kernels`):
    the coefficient block (b₀, β) by an HMC transition preconditioned by the expected curvature,
    the prior's scales by their Gibbs updates, the global scale also non-centred. Starts at the
    intercept-only fit; ``draws`` kept after ``tune`` warm-up iterations that adapt the mass
    matrix and the step size. Returns the arrays of :func:`_gibbs_chain` plus the per-draw HMC
    statistics under keys starting with ``stat:``."""
    from ._gibbs_kernels import GibbsDraws, GibbsPrior, GibbsState
    from ._hmc_kernels import HMCAdaptation, HMCStats, _curvature, adaptation_windows, hmc_gibbs_block

    rp = resolved
    X = np.ascontiguousarray(data.dense_X("the logistic Gibbs sampler"), dtype=float)
    y = np.ascontiguousarray(data.y, dtype=float)
    n, p = X.shape
    local = rp.spec.gibbs
    mixing = local == GIBBS_EXPONENTIAL_MIXTURE
    plus = local == GIBBS_HALF_CAUCHY_PLUS
    horseshoe = plus or local == GIBBS_HALF_CAUCHY_MIXTURE
    hyper = rp.hyperprior
    hyper_kind, hyper_a, hyper_b = (0, 0.0, 0.0) if hyper is None else hyper.gibbs_parameters()
    ybar = float(y.mean())
    theta = np.zeros(p + 1)
    theta[0] = math.log(ybar / (1.0 - ybar))
    rho2, nu = _start_rate(rp, mixing, theta[1:], 1.0, p)
    unit_scale2 = rp.scale**2 if hyper is None else 1.0 / rho2
    prior = GibbsPrior(local, 0, True, float(rp.scale or 0.0), hyper_kind, float(hyper_a),
                       float(hyper_b), False)
    state = GibbsState(theta, np.ones(p) if horseshoe else np.full(p, 2.0 * unit_scale2),
                       np.array([1.0, rho2, nu]),
                       np.ones(3 * p if plus else p) if horseshoe else np.empty(0))
    weights = np.full(n, ybar * (1.0 - ybar))
    step = np.array([math.log(0.5), math.log(0.5), 0.0, 0.0, math.log(5.0)])
    adapt = HMCAdaptation(weights, np.zeros(n + 1), _curvature(X, weights), step,
                          adaptation_windows(tune), int(tune))
    out = GibbsDraws(np.empty((draws, p)), np.empty(draws), np.empty(draws), np.empty(draws),
                     rp.random_scale_name == "coef_scale",
                     np.empty((draws, p)) if horseshoe else np.empty((0, 0)),
                     np.empty((draws, p)) if plus else np.empty((0, 0)))
    stats = HMCStats(*(np.empty(draws) for _ in range(4)))
    total = tune + draws
    # blocks of about a quarter of a second at most, so that Ctrl-C and a stop request act quickly
    flops = p**3 / 3.0 + 20.0 * n * p
    block = int(min(block, max(1, 5e7 / max(flops, 1.0))))
    done = 0
    while done < total:
        if stop is not None and stop.is_set():
            raise KeyboardInterrupt("sampling stopped")
        size = min(block, total - done)
        hmc_gibbs_block(size, int(rng.integers(2**31 - 1)), X, y, prior, state, adapt, out,
                        stats, done, max(tune - done, 0), max(done - tune, 0))
        done += size
        progress(done)
    arrays = _chain_arrays(out, rp, horseshoe, plus, False)  # σ is fixed at 1: no "sigma"
    arrays["stat:acceptance_rate"] = stats.accept
    arrays["stat:diverging"] = stats.diverging
    arrays["stat:step_size"] = stats.step_size
    arrays["stat:n_steps"] = stats.n_steps
    return arrays


def _kernel_data(c, weight_total: float):
    """The kernel's view of centred statistics (:class:`~bayesreg.map.CentredData`); ``weight_total``
    is n, or Σ ω_i for the weighted statistics of a Pólya-Gamma step (the intercept's precision)."""
    from ._gibbs_kernels import GibbsData

    if c.wide:
        gram, X, y = np.empty((0, 0)), np.ascontiguousarray(c.X), np.ascontiguousarray(c.y)
    else:
        gram, X, y = np.ascontiguousarray(c.gram), np.empty((0, c.p)), np.empty(0)
    return GibbsData(gram, c.corr, c.yy, weight_total, X, y, c.wide, c.x_mean, c.y_mean)


# ---------------------------------------------------------------------------------------------
# NUTS backends

_NUTPIE_CACHE: dict = {}


def _model_key(data: Data, resolved: ResolvedPrior, likelihood):
    return (
        likelihood.name, resolved.structure(), data.X.shape, data.feature_names,
        hashlib.sha1(np.ascontiguousarray(data.dense_X("the NUTS samplers (nutpie, pymc)"))
                     .view(np.uint8)).hexdigest(),
    )


def _nutpie_compiled(data: Data, resolved: ResolvedPrior, likelihood):
    """Compile once per model structure and design; every number else is a data container.

    The model is rebuilt (cheap) and its containers' values — the response, a fixed scale or σ,
    the penalty, the hyperprior's settings — are handed to the compiled model: a new response or
    prior strength reuses the compilation (standardized settings change with every response).
    """
    import nutpie

    key = _model_key(data, resolved, likelihood)
    model = pymc_model(data, resolved, likelihood)
    compiled = _NUTPIE_CACHE.get(key)
    if compiled is None:
        compiled = nutpie.compile_pymc_model(model)
        if len(_NUTPIE_CACHE) >= 8:
            _NUTPIE_CACHE.pop(next(iter(_NUTPIE_CACHE)))
        _NUTPIE_CACHE[key] = compiled
    updates = {v.name: np.asarray(v.get_value()) for v in model.data_vars if v.name != "X"}
    return compiled.with_data(**updates)


def _posterior_arrays(idata, names) -> dict:
    post = idata.posterior
    return {name: np.asarray(post[name].values, dtype=float) for name in names if name in post}


def _run_nutpie(problem, resolved, likelihood, seed_seq, draws, tune, chains, progress, options):
    import nutpie

    import_pymc()
    seed = int(seed_seq.generate_state(1, dtype=np.uint32)[0])
    compiled = _nutpie_compiled(problem.data, resolved, likelihood)
    kwargs = {"cores": min(chains, os.cpu_count() or 1), "save_warmup": False, **options}
    idata = nutpie.sample(compiled, draws=draws, tune=tune, chains=chains, seed=seed,
                          progress_bar=progress.enabled, **kwargs)
    wanted = ("diverging", "step_size", "n_steps", "depth")
    stats = {k: np.asarray(idata.sample_stats[k].values) for k in wanted if k in idata.sample_stats}
    return _nuts_output(idata, resolved, stats)


class _PymcInfoSilenced:
    """Context: PyMC's logger at WARNING while PyMC samples, its level restored afterwards.

    PyMC logs its progress at INFO ("Auto-assigning NUTS sampler...", "Initializing NUTS...",
    "Multiprocess sampling...", "Sampling 4 chains for ... took ..."); with ``progressbar=False``
    the user asked for a quiet run. PyMC's warnings still pass, and divergences and convergence
    reach the user through bayesreg's own diagnostics.
    """

    def __init__(self, enabled: bool):
        import logging

        self.enabled = enabled
        self._logger = logging.getLogger("pymc")
        self._level = logging.NOTSET

    def __enter__(self) -> _PymcInfoSilenced:
        import logging

        if self.enabled:
            self._level = self._logger.level
            self._logger.setLevel(max(self._level, logging.WARNING))
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._logger.setLevel(self._level)


def _run_pymc(problem, resolved, likelihood, seed_seq, draws, tune, chains, progress, options):
    pm = import_pymc()
    seed = int(seed_seq.generate_state(1, dtype=np.uint32)[0])
    model = pymc_model(problem.data, resolved, likelihood)
    kwargs = {"cores": min(chains, os.cpu_count() or 1), "compute_convergence_checks": False,
              "idata_kwargs": {"log_likelihood": False}, **options}
    with model, _PymcInfoSilenced(enabled=not progress.enabled):
        idata = pm.sample(draws=draws, tune=tune, chains=chains, random_seed=seed,
                          progressbar=progress.enabled, return_inferencedata=True, **kwargs)
    wanted = ("diverging", "step_size", "n_steps", "tree_depth")
    stats = {k: np.asarray(idata.sample_stats[k].values) for k in wanted if k in idata.sample_stats}
    if "tree_depth" in stats:
        stats["depth"] = stats.pop("tree_depth")
    return _nuts_output(idata, resolved, stats)


def _nuts_output(idata, resolved, stats):
    arrays = _posterior_arrays(idata, _posterior_names(resolved))
    if "diverging" in stats:
        stats["diverging"] = stats["diverging"].astype(bool)
    return arrays, stats


# ---------------------------------------------------------------------------------------------
# assembling the InferenceData


def _posterior_names(resolved: ResolvedPrior) -> list[str]:
    names = ["intercept", "coef"]
    if not resolved.sigma_is_fixed:
        names.append("sigma")
    if resolved.scale_is_random:
        names.append(resolved.random_scale_name)
    names.extend(resolved.spec.latent_variables(resolved))  # local scales, ...
    return names


def _make_idata(data, resolved, likelihood, arrays, stats, log_likelihood, attrs, lp):
    az = import_arviz()
    chains, draws = arrays["intercept"].shape
    sigma = arrays.get("sigma", np.full((chains, draws), resolved.sigma if resolved.sigma else np.nan))
    stats = dict(stats)
    stats["lp"] = lp
    coords = {"feature": list(data.feature_names)}
    dims = {"coef": ["feature"]}
    dims.update({name: list(d) for name, d in resolved.spec.latent_variables(resolved).items()})
    groups = {"posterior": arrays, "sample_stats": stats, "coords": coords, "dims": dims}
    if data.has_rows:  # not for data known only by their sufficient statistics
        coords["obs_id"] = np.arange(data.n_samples)
        groups["observed_data"] = {"y": data.y}
        groups["dims"]["y"] = ["obs_id"]
    if log_likelihood:
        groups["log_likelihood"] = {"y": likelihood.pointwise_log_likelihood(
            data.X, data.y, arrays["intercept"], arrays["coef"], sigma)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        idata = az.from_dict(**groups)
    for group in ("posterior", "sample_stats"):
        getattr(idata, group).attrs.update(attrs)
    if resolved.sigma_is_fixed and likelihood.has_sigma:
        import xarray as xr

        idata.add_groups({"constant_data": xr.Dataset({"sigma": ((), float(resolved.sigma))})})
    return idata


def check_sampler_kwargs(sampler: str, sampler_kwargs) -> dict:
    """``sampler_kwargs`` as a dict, refused for samplers that take none."""
    if sampler_kwargs is None:
        return {}
    if not isinstance(sampler_kwargs, dict):
        raise TypeError(f"sampler_kwargs must be a dict; got {type(sampler_kwargs).__name__}")
    if sampler_kwargs and not SAMPLERS[sampler].options:
        takers = ", ".join(repr(s.name) for s in SAMPLERS.values() if s.options)
        raise ValueError(f"sampler_kwargs are passed to {takers}; sampler {sampler!r} takes none "
                         f"(got {sorted(sampler_kwargs)})")
    reserved = {"draws", "tune", "chains", "seed", "random_seed", "progress_bar", "progressbar",
                "return_inferencedata", "model"} & set(sampler_kwargs)
    if reserved:
        raise ValueError(f"sampler_kwargs cannot set {sorted(reserved)}: pass them to fit() itself")
    return dict(sampler_kwargs)


def sample_posterior(data: Data, resolved: ResolvedPrior, *, sampler: str = "auto", draws: int = 1000,
                     tune: int = 1000, chains: int = 4, random_seed=None, progressbar: bool | None = None,
                     log_likelihood: bool | None = None, problem: Standardized | None = None,
                     likelihood="gaussian", sampler_kwargs: dict | None = None):
    """Draw from the posterior; return ``(idata, sampler_used)``.

    Every sampler runs on the standardized problem (:mod:`bayesreg._standardize`) and its draws
    are mapped back to the user's units. ``log_likelihood=None`` stores the pointwise
    log-likelihood unless n × chains × draws exceeds 5·10⁷ (then it is skipped with a warning).
    Data known only by their sufficient statistics have no rows: the pointwise log-likelihood and
    the observed data are skipped, with one warning unless ``log_likelihood=False`` was given.
    ``sampler_kwargs`` go to nutpie's ``sample`` or PyMC's ``pm.sample`` (e.g. ``target_accept``).
    """
    likelihood = get_likelihood(likelihood)
    chosen = choose_sampler(resolved, sampler, likelihood)
    check_rows_sampler(chosen, rows=data.has_rows)
    options = check_sampler_kwargs(chosen, sampler_kwargs)
    seed_seq = _seed_sequence(random_seed)
    spec = SAMPLERS[chosen]
    if not data.has_rows:
        if log_likelihood:
            raise ValueError("log_likelihood=True needs every row of the data, but these data are "
                             "known only through their sufficient statistics; leave it None")
        if log_likelihood is None:
            warnings.warn(
                "fitted from sufficient statistics (a SufficientStats, or dask data reduced to "
                "one): the pointwise log-likelihood (LOO, az.compare), the observed data and "
                "posterior predictive checks on the training rows need every row and are skipped; "
                "the posterior, the MAP and predict(X_new) are unaffected. Pass "
                "log_likelihood=False to silence this warning",
                BayesregWarning, stacklevel=3,
            )
        log_likelihood = False
    if log_likelihood is None:
        log_likelihood = data.n_samples * chains * draws <= _LOGLIK_AUTO_LIMIT
        if not log_likelihood:
            warnings.warn(
                f"pointwise log-likelihood skipped: n_samples × chains × draws = "
                f"{data.n_samples * chains * draws:.3g} values; pass log_likelihood=True to store it "
                "(needed for LOO/az.compare)", BayesregWarning, stacklevel=3,
            )
    check_memory(data, resolved, chosen, draws=draws, tune=tune, chains=chains,
                 log_likelihood=log_likelihood)
    if problem is None or (spec.needs_rows and data.is_sparse):
        # samplers on the rows run on a dense, centred design
        dense = data if not data.is_sparse else dataclasses.replace(data, X=data.dense_X("NUTS"))
        problem = Standardized(dense, resolved)
    std_resolved = problem.resolved
    start = time.perf_counter()
    stats: dict = {}
    try:
        total = draws if chosen == "exact" else tune + draws
        display = ChainProgress(chosen, chains, total, progress_enabled(progressbar),
                                rows=not spec.own_progress)
        with single_threaded_blas(), display as progress:
            arrays, stats = spec.run(problem, std_resolved, likelihood, seed_seq, draws, tune, chains,
                                     progress, options)
    except FloatingPointError as exc:
        raise FloatingPointError(
            f"sampler {chosen!r} stopped: {exc}. Likely causes: a prior scale or sigma far from the "
            "data's scale, an (almost) exact linear fit, or (almost) collinear columns; check them, "
            "or fix sigma= / give the prior scale explicitly"
        ) from None
    for name, values in arrays.items():
        if not np.all(np.isfinite(values)):
            raise FloatingPointError(
                f"sampler {chosen!r} returned non-finite draws of {name!r}; the model is numerically "
                "degenerate for these data (check the prior's scale, sigma and collinear columns)"
            )
    elapsed = time.perf_counter() - start
    attrs = {
        "sampler": chosen,
        "sampling_time": elapsed,
        "draws": draws,
        "tune": tune,
        "chains": chains,
        "random_seed": str(seed_seq.entropy),
        "inference_library": "bayesreg",
    }
    original = problem.units.draws_to_original(arrays, resolved)
    idata = _make_idata(data, resolved, likelihood, original, stats, log_likelihood, attrs,
                        lp=_log_posterior_draws(problem, arrays, likelihood))
    return idata, chosen


def _log_posterior_draws(problem: Standardized, arrays: dict, likelihood) -> np.ndarray:
    """Log posterior density of each draw in the user's units (standardized density − log|J|)."""
    chains, draws = arrays["intercept"].shape
    rp = problem.resolved
    sigma = arrays.get("sigma", np.full((chains, draws), rp.sigma if rp.sigma else np.nan))
    random_scale = arrays.get(rp.random_scale_name) if rp.scale_is_random else None
    p = arrays["coef"].shape[-1]
    latents = None
    if not rp.spec.marginal_log_prior:  # the joint density with the family's latent variables
        latents = {name: arrays[name].reshape(chains * draws, *arrays[name].shape[2:])
                   for name in rp.spec.latent_variables(rp)}
    lp = log_posterior(
        rp, likelihood.statistics(problem), arrays["intercept"].reshape(-1), arrays["coef"].reshape(-1, p),
        sigma.reshape(-1), None if random_scale is None else random_scale.reshape(-1),
        likelihood=likelihood, latents=latents,
    ).reshape(chains, draws)
    return lp - problem.units.log_jacobian(p, rp)


def _run_independent_chains(chain, problem, resolved, likelihood, seed_seq, draws, tune, chains,
                            progress, threads: bool):
    """Run chains of ``chain`` (in threads when ``threads``); Ctrl-C or a failure stops them all.

    Each chain reads what the likelihood needs (:meth:`statistics`: the centred statistics for the
    Gaussian likelihood, the standardized rows for the logistic one)."""
    suff = likelihood.statistics(problem)
    rngs = [np.random.default_rng(s) for s in seed_seq.spawn(chains)]
    workers = min(chains, os.cpu_count() or 1) if threads else 1
    stop = threading.Event()

    def one(c):
        return chain(suff, resolved, likelihood, rngs[c], draws, tune,
                     lambda done: progress.update(c, done), stop=stop)

    if workers > 1:
        pool = ThreadPoolExecutor(max_workers=workers)
        futures = [pool.submit(one, c) for c in range(chains)]
        try:
            per_chain = [f.result() for f in futures]
        except BaseException:
            stop.set()  # Ctrl-C or a failed chain: the others stop at their next block
            for f in futures:
                f.cancel()
            raise
        finally:
            pool.shutdown(wait=True)
    else:
        per_chain = [one(c) for c in range(chains)]
    return {k: np.stack([pc[k] for pc in per_chain]) for k in per_chain[0]}


def _run_exact(problem, resolved, likelihood, seed_seq, draws, tune, chains, progress, options):
    del options
    return _run_independent_chains(_exact_chain, problem, resolved, likelihood, seed_seq, draws,
                                   tune, chains, progress, threads=False), {}


def _run_gibbs(problem, resolved, likelihood, seed_seq, draws, tune, chains, progress, options):
    del options
    n, p = problem.original.n_samples, problem.original.n_features
    heavy = p >= 150 or (p > n and n * p >= 50_000) or not likelihood.conditionally_gaussian
    arrays = _run_independent_chains(_gibbs_chain, problem, resolved, likelihood, seed_seq, draws,
                                     tune, chains, progress, threads=heavy)
    stats = {name[5:]: arrays.pop(name) for name in list(arrays) if name.startswith("stat:")}
    if "diverging" in stats:
        stats["diverging"] = stats["diverging"].astype(bool)
    return arrays, stats


register_sampler(Sampler("exact", 0, _exact_competence, _run_exact,
                         description="independent draws from the closed-form posterior"))
register_sampler(Sampler("gibbs", 1, _gibbs_competence, _run_gibbs,
                         description="compiled blocked Gibbs sampler"))
register_sampler(Sampler("nutpie", 2, _nuts_competence, _run_nutpie, needs_rows=True, options=True,
                         own_progress=True, description="NUTS (nutpie) on the PyMC model"))
register_sampler(Sampler("pymc", 3, _nuts_competence, _run_pymc, needs_rows=True, options=True,
                         own_progress=True, description="NUTS (PyMC, its rich display)"))


def check_memory(data: Data, resolved: ResolvedPrior, sampler: str, *, draws: int, tune: int,
                 chains: int, log_likelihood: bool) -> None:
    """Refuse, before any work, a run whose draws or pointwise log-likelihood cannot fit in memory."""
    n, p = data.n_samples, data.n_features
    nuts = SAMPLERS[sampler].options  # the NUTS backends keep more per draw
    per_draw = p + 3 + (2 * p + 8 if nuts else 0)
    need = 8.0 * chains * draws * per_draw * 2  # the draws, and their copy in the InferenceData
    if nuts:
        need += 8.0 * chains * tune * 8  # warm-up statistics
    loglik = 8.0 * chains * draws * n if log_likelihood else 0.0
    available = _available_memory()
    if need + loglik > 0.8 * available:
        what = (f"the pointwise log-likelihood ({chains} chains × {draws} draws × {n} observations "
                f"= {loglik / 2**30:.3g} GiB); pass log_likelihood=False or fewer draws"
                if loglik > need else
                f"the draws ({chains} chains × {draws} draws × {per_draw} values "
                f"≈ {need / 2**30:.3g} GiB); use fewer chains or draws")
        raise MemoryError(
            f"this run would need about {(need + loglik) / 2**30:.3g} GiB but about "
            f"{available / 2**30:.3g} GiB of memory is available: refused before sampling. "
            f"The largest part is {what}"
        )


def _available_memory() -> float:
    """Bytes of memory available to this process (MemAvailable, else physical memory)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return float("inf")


def diagnose(idata, *, rhat_max: float = 1.01, ess_min: float = 400.0):
    """Convergence diagnostics per parameter: R-hat, bulk/tail ESS, divergences.

    Returns a DataFrame with one row per scalar parameter and a column ``problem`` naming the
    failed checks (empty string when fine).
    """
    import pandas as pd

    az = import_arviz()
    post = idata.posterior
    too_few = post.sizes["draw"] < _MIN_DIAGNOSTIC_DRAWS  # R-hat/ESS need a few draws per chain
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if too_few:
            rhat = ess_bulk = ess_tail = post.map(_nan_like)
        else:
            rhat = az.rhat(post) if post.sizes["chain"] > 1 else None
            ess_bulk = az.ess(post, method="bulk")
            ess_tail = az.ess(post, method="tail")
    rows = []
    for name in post.data_vars:
        values = post[name]
        extra = [d for d in values.dims if d not in ("chain", "draw")]
        labels = [name] if not extra else [f"{name}[{v}]" for v in values[extra[0]].values]
        r = np.atleast_1d(rhat[name].values) if rhat is not None else np.full(len(labels), np.nan)
        eb = np.atleast_1d(ess_bulk[name].values)
        et = np.atleast_1d(ess_tail[name].values)
        for i, label in enumerate(labels):
            problems = []
            if np.isfinite(r[i]) and r[i] > rhat_max:
                problems.append(f"r_hat {r[i]:.3f} > {rhat_max}")
            if np.isfinite(eb[i]) and eb[i] < ess_min:
                problems.append(f"ess_bulk {eb[i]:.0f} < {ess_min:.0f}")
            if np.isfinite(et[i]) and et[i] < ess_min:
                problems.append(f"ess_tail {et[i]:.0f} < {ess_min:.0f}")
            rows.append({"parameter": label, "r_hat": r[i], "ess_bulk": eb[i], "ess_tail": et[i],
                         "problem": "; ".join(problems)})
    table = pd.DataFrame(rows).set_index("parameter")
    n_div = 0
    if "sample_stats" in idata.groups() and "diverging" in idata.sample_stats:
        n_div = int(np.asarray(idata.sample_stats["diverging"].values).sum())
    table.attrs["divergences"] = n_div
    table.attrs["too_few_draws"] = bool(too_few)
    return table


def _nan_like(values):
    """NaN with the non-sample dimensions of ``values`` (diagnostics that cannot be computed)."""
    return values.isel(chain=0, draw=0, drop=True) * np.nan


def warn_on_diagnostics(table, sampler: str, stacklevel: int = 3) -> None:
    """Emit one ConvergenceWarning naming the parameters that failed a check."""
    if table.attrs.get("too_few_draws"):
        warnings.warn(
            f"sampler {sampler!r}: fewer than {_MIN_DIAGNOSTIC_DRAWS} draws per chain: convergence cannot "
            "be checked (R-hat and ESS are NaN). Draw more (draws=) to check it.",
            ConvergenceWarning, stacklevel=stacklevel,
        )
        return
    bad = table[table["problem"] != ""]
    n_div = table.attrs.get("divergences", 0)
    if bad.empty and not n_div:
        return
    parts = []
    if not bad.empty:
        shown = [f"{idx} ({prob})" for idx, prob in bad["problem"].items()][:6]
        more = len(bad) - len(shown)
        parts.append("; ".join(shown) + (f"; and {more} more" if more > 0 else ""))
    if n_div:
        parts.append(f"{n_div} divergent NUTS transitions")
    warnings.warn(
        f"sampler {sampler!r}: convergence checks failed: " + " | ".join(parts)
        + ". Draw more (draws=, tune=, chains=) and see FitResult.diagnostics().",
        ConvergenceWarning, stacklevel=stacklevel,
    )
