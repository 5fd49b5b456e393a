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
  the latents.
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
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
from scipy import linalg

from ._backend import import_arviz, import_pymc, single_threaded_blas
from ._standardize import Standardized
from ._validation import Data
from .exceptions import BayesregWarning, ConvergenceWarning
from .model import build_model, log_posterior
from .priors import Gamma, HalfCauchy, ResolvedPrior

if TYPE_CHECKING:
    from .map import CentredData

__all__ = ["SAMPLERS", "check_rows_sampler", "choose_sampler", "exact_posterior", "sample_posterior"]

SAMPLERS = ("auto", "exact", "gibbs", "nutpie", "pymc")
_MIN_DIAGNOSTIC_DRAWS = 4
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_LOGLIK_AUTO_LIMIT = 50_000_000  # n * chains * draws above which pointwise log-likelihood is off


# ---------------------------------------------------------------------------------------------
# dispatch


def exact_available(resolved: ResolvedPrior) -> bool:
    """Closed-form posterior: Gaussian prior, fixed scale, and σ fixed or scale tied to σ."""
    if resolved.family != "gaussian" or resolved.scale_is_random:
        return False
    return resolved.sigma_is_fixed or resolved.sigma_power == 1


def gibbs_available(resolved: ResolvedPrior) -> bool:
    """The blocked Gibbs sampler covers Gaussian and Laplace priors in every form bayesreg builds."""
    return resolved.family in ("gaussian", "laplace")


def choose_sampler(resolved: ResolvedPrior, sampler: str = "auto") -> str:
    """Resolve ``sampler="auto"`` (exact > gibbs > nutpie) or check an explicit choice."""
    if not isinstance(sampler, str) or sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {', '.join(map(repr, SAMPLERS))}; got {sampler!r}")
    if sampler == "auto":
        if exact_available(resolved):
            return "exact"
        if gibbs_available(resolved):
            return "gibbs"
        return "nutpie"
    if sampler == "exact" and not exact_available(resolved):
        raise ValueError(
            "sampler='exact' needs a closed-form posterior: a Gaussian prior with a fixed scale and "
            "either sigma fixed or the scale tied to sigma (alpha=..., or scale_with_sigma=True); "
            "use sampler='gibbs' or 'nutpie' for this model"
        )
    if sampler == "gibbs" and not gibbs_available(resolved):
        raise ValueError("sampler='gibbs' covers Gaussian and Laplace priors; use 'nutpie' or 'pymc'")
    return sampler


def check_rows_sampler(sampler: str, rows: bool) -> None:
    """Refuse a NUTS sampler (which needs every row) for data known only by their statistics."""
    if not rows and sampler in ("nutpie", "pymc"):
        raise ValueError(
            f"sampler {sampler!r} (NUTS on the PyMC model) needs every row of the data, but these "
            "data are known only through their sufficient statistics (a SufficientStats, or dask "
            "data); from statistics the Gaussian and Laplace priors are sampled with 'exact' or "
            "'gibbs' (sampler='auto' picks them); for other priors use method='map', or the data in "
            "memory"
        )


# ---------------------------------------------------------------------------------------------
# helpers


class _Progress:
    """A one-line progress display on stderr (no dependency, silent when disabled)."""

    def __init__(self, label: str, total: int, enabled: bool):
        self.label, self.total, self.enabled = label, max(total, 1), enabled
        self._last = -1
        self._start = time.perf_counter()

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        pct = int(100 * done / self.total)
        if pct != self._last and (pct % 5 == 0 or done == self.total):
            self._last = pct
            elapsed = time.perf_counter() - self._start
            sys.stderr.write(f"\r{self.label}: {pct:3d}% ({done}/{self.total}, {elapsed:.1f} s)")
            if done >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


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
    if not exact_available(resolved):
        raise ValueError("this prior has no closed-form posterior")
    p = suff.p
    M = suff.gram.copy()
    if resolved.sigma_is_fixed:
        tau = resolved.scale * resolved.sigma**resolved.sigma_power
        M.flat[:: p + 1] += resolved.sigma**2 / tau**2
    else:
        M.flat[:: p + 1] += 1.0 / resolved.scale**2
    mean = linalg.solve(M, suff.corr, assume_a="pos", check_finite=False)
    out = {"mean": mean, "precision_factor": M}
    if not resolved.sigma_is_fixed:
        a = (suff.n - 1) / 2
        b = max(suff.yy - float(suff.corr @ mean), np.finfo(float).tiny) / 2
        out["sigma2_shape"], out["sigma2_scale"] = a, b
    return out


def _exact_chain(suff, resolved, rng, draws, tune, progress):
    del tune  # independent draws need no burn-in
    post = exact_posterior(suff, resolved)
    L = linalg.cholesky(post["precision_factor"], lower=True, check_finite=False)
    z = rng.standard_normal((suff.p, draws))
    noise = linalg.solve_triangular(L, z, lower=True, trans="T", check_finite=False).T
    if resolved.sigma_is_fixed:
        sigma = np.full(draws, resolved.sigma)
    else:
        sigma = np.sqrt(post["sigma2_scale"] / rng.gamma(post["sigma2_shape"], size=draws))
    coef = post["mean"][None, :] + sigma[:, None] * noise
    intercept = suff.y_mean - coef @ suff.x_mean + sigma / math.sqrt(suff.n) * rng.standard_normal(draws)
    progress.update(draws)
    out = {"intercept": intercept, "coef": coef}
    if not resolved.sigma_is_fixed:
        out["sigma"] = sigma
    return out


# ---------------------------------------------------------------------------------------------
# Gibbs sampler


def _start_rate(resolved: ResolvedPrior, laplace: bool, beta: np.ndarray, sigma2: float,
                p: int) -> tuple[float, float]:
    r"""A starting rate ρ² = 1/s² in the bulk of its conditional, and the half-Cauchy auxiliary ν.

    Laplace: the mode of :math:`p(\rho \mid \beta, \sigma)` with the latents integrated out,
    :math:`\rho = (\sqrt{T^2 + 8 b_0 m} - T)/(4 b_0)`, :math:`T = \sum_j|\beta_j|/\sigma^k`,
    :math:`m = p + 2a_0`; Gaussian: the mean of its Gamma conditional. ν starts at the scale of its
    inverse-gamma conditional, :math:`1/(1/h^2 + \rho^2)`.
    """
    hyper = resolved.hyperprior
    if hyper is None:
        return 1.0, 1.0
    if isinstance(hyper, Gamma):
        a0, b0 = hyper.shape, hyper.rate
    else:
        a0, b0 = 0.5, 1.0 / hyper.scale**2
    scale_k = sigma2 ** (0.5 * resolved.sigma_power)
    if laplace:
        total = float(np.abs(beta).sum()) / scale_k
        m = p + 2.0 * a0
        rho = 2.0 * m / (math.sqrt(total * total + 8.0 * b0 * m) + total)  # the mode, rationalised
        rho2 = rho * rho
    else:
        rho2 = (a0 + 0.5 * p) / (b0 + float(beta @ beta) / (2.0 * sigma2 ** resolved.sigma_power))
    nu = 1.0 if not isinstance(hyper, HalfCauchy) else 1.0 / (1.0 / hyper.scale**2 + rho2)
    if not (np.isfinite(rho2) and rho2 > 0):
        raise FloatingPointError("no finite starting value for the prior's rate")
    return rho2, nu


def _gibbs_chain(suff, resolved, rng, draws, tune, progress, block: int = 250, stop=None):
    """One chain of the blocked Gibbs sampler; the iterations run compiled (:mod:`._gibbs_kernels`).

    Each iteration, in this order (every step leaves the posterior invariant):

    1. (σ², β): with σ unknown and the scale tied to σ, σ² | latents with β integrated out, then
       β | σ², latents (β ~ N(M⁻¹c, σ²M⁻¹), M = XᵀX + D⁻¹; Bhattacharya et al. for p > n). When
       the scale is random too and p ≳ n/4, instead (σ, β) | y, ω, c along the σ–scale ridge
       with the absolute prior variances ω and c = σ·s held fixed. Otherwise β | σ², latents and
       then σ² | β (for the α route, b = s·σ², with the latents integrated out).
    2. Laplace: each β_j | β₋ⱼ, σ, s exactly, latents integrated out (two-piece Gaussian).
    3. Random scale: ρ = 1/s | β, σ (Laplace: latents integrated out, slice step; Gaussian:
       conjugate Gamma); ν | ρ² for the half-Cauchy.
    4. Laplace: latents 1/ω_j | β_j ~ inverse Gaussian.
    5. Intercept | β, σ² ~ N(ȳ − x̄ᵀβ, σ²/n), recorded with the draw.

    Blocks of ``block`` iterations are compiled calls whose random numbers come from numba's
    generator seeded from ``rng``: same seed, same draws.
    """
    from ._gibbs_kernels import gibbs_block

    rp = resolved
    p, n = suff.p, suff.n
    laplace = rp.family == "laplace"
    hyper = rp.hyperprior
    hyper_kind = 0 if hyper is None else (1 if isinstance(hyper, Gamma) else 2)
    hyper_a, hyper_b = ((hyper.shape, hyper.rate) if hyper_kind == 1
                        else (hyper.scale, 0.0) if hyper_kind == 2 else (0.0, 0.0))
    k = rp.sigma_power
    ridge_moves = (not rp.sigma_is_fixed) and k == 1 and hyper is not None and 4 * p >= n
    # start near a ridge solution with a moderate penalty
    start = suff.gram.copy() if not suff.wide else None
    if start is not None:
        start.flat[:: p + 1] += max(np.trace(suff.gram) / p, 1e-12)
        beta = linalg.solve(start, suff.corr, assume_a="pos", check_finite=False)
    else:
        kernel = suff.X @ suff.X.T
        kernel.flat[:: n + 1] += max(np.trace(kernel) / n, 1e-12)
        beta = suff.X.T @ linalg.solve(kernel, suff.y, assume_a="pos", check_finite=False)
    if rp.sigma_is_fixed:
        sigma2 = rp.sigma**2
    else:
        sigma2 = max(suff.rss(beta) / max(n - 1, 1), 1e-12 * (suff.yy / n + 1e-300))
    rho2, nu = _start_rate(rp, laplace, beta, sigma2, p)
    unit_scale2 = rp.scale**2 if hyper is None else 1.0 / rho2
    state = np.array([sigma2, rho2, nu])
    t = np.full(p, 2.0 * unit_scale2)
    beta = np.ascontiguousarray(beta, dtype=float)
    if suff.wide:
        gram, X, y = np.empty((0, 0)), np.ascontiguousarray(suff.X), np.ascontiguousarray(suff.y)
    else:
        gram, X, y = np.ascontiguousarray(suff.gram), np.empty((0, p)), np.empty(0)
    coef = np.empty((draws, p))
    intercept = np.empty(draws)
    sigma = np.empty(draws)
    rand = np.empty(draws)
    rand_is_scale = rp.random_scale_name == "coef_scale"
    total = tune + draws
    # blocks of about a quarter of a second at most, so that Ctrl-C and a stop request act quickly
    flops = (n * n * p) if suff.wide else (p**3 / 3.0 + 4.0 * p * p)
    block = int(min(block, max(1, 2e8 / max(flops, 1.0))))
    done = 0
    while done < total:
        if stop is not None and stop.is_set():
            raise KeyboardInterrupt("sampling stopped")
        size = min(block, total - done)
        skip = max(tune - done, 0)
        offset = max(done - tune, 0)
        gibbs_block(size, int(rng.integers(2**31 - 1)), gram, suff.corr, suff.yy, float(n), X, y,
                    suff.wide, suff.x_mean, suff.y_mean, laplace, k, rp.sigma_is_fixed,
                    float(rp.scale or 0.0), hyper_kind, float(hyper_a), float(hyper_b), ridge_moves,
                    beta, t, state, skip, coef, intercept, sigma, rand, offset, rand_is_scale)
        done += size
        progress.update(done)
    out = {"intercept": intercept, "coef": coef}
    if not rp.sigma_is_fixed:
        out["sigma"] = sigma
    if hyper is not None:
        out[rp.random_scale_name] = rand
    return out


# ---------------------------------------------------------------------------------------------
# NUTS backends

_NUTPIE_CACHE: dict = {}


def _model_key(data: Data, resolved: ResolvedPrior):
    return (
        resolved.family, resolved.sigma_power, resolved.hyperprior, resolved.sigma, resolved.alpha,
        resolved.l1_ratio, resolved.scale is None, data.X.shape, data.feature_names,
        hashlib.sha1(np.ascontiguousarray(data.dense_X("the NUTS samplers (nutpie, pymc)"))
                     .view(np.uint8)).hexdigest(),
    )


def _nutpie_compiled(data: Data, resolved: ResolvedPrior):
    """Compile once per model structure and design; a new response or fixed scale reuses it."""
    import nutpie

    key = _model_key(data, resolved)
    compiled = _NUTPIE_CACHE.get(key)
    if compiled is None:
        model = build_model(data, resolved)
        compiled = nutpie.compile_pymc_model(model)
        if len(_NUTPIE_CACHE) >= 8:
            _NUTPIE_CACHE.pop(next(iter(_NUTPIE_CACHE)))
        _NUTPIE_CACHE[key] = compiled
    updates = {"y_data": np.asarray(data.y, dtype=float)}
    if resolved.scale is not None and resolved.family != "elasticnet":
        updates["prior_scale"] = np.asarray(resolved.scale, dtype=float)
    return compiled.with_data(**updates)


def _posterior_arrays(idata, names) -> dict:
    post = idata.posterior
    return {name: np.asarray(post[name].values, dtype=float) for name in names if name in post}


def _run_nuts(data, resolved, sampler, draws, tune, chains, seed_seq, progressbar):
    import_pymc()
    names = _posterior_names(resolved)
    seed = int(seed_seq.generate_state(1, dtype=np.uint32)[0])
    if sampler == "nutpie":
        import nutpie

        compiled = _nutpie_compiled(data, resolved)
        idata = nutpie.sample(compiled, draws=draws, tune=tune, chains=chains,
                              cores=min(chains, os.cpu_count() or 1), seed=seed,
                              progress_bar=progressbar, save_warmup=False)
        wanted = ("diverging", "step_size", "n_steps", "depth")
        stats = {k: np.asarray(idata.sample_stats[k].values) for k in wanted if k in idata.sample_stats}
    else:
        pm = import_pymc()
        model = build_model(data, resolved)
        with model:
            idata = pm.sample(draws=draws, tune=tune, chains=chains, cores=min(chains, os.cpu_count() or 1),
                              random_seed=seed, progressbar=progressbar, compute_convergence_checks=False,
                              return_inferencedata=True, idata_kwargs={"log_likelihood": False})
        wanted = ("diverging", "step_size", "n_steps", "tree_depth")
        stats = {k: np.asarray(idata.sample_stats[k].values) for k in wanted if k in idata.sample_stats}
        if "tree_depth" in stats:
            stats["depth"] = stats.pop("tree_depth")
    arrays = _posterior_arrays(idata, names)
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
    return names


def pointwise_log_likelihood(X, y, intercept, coef, sigma, chunk: int = 256) -> np.ndarray:
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


def _make_idata(data, resolved, arrays, stats, log_likelihood, attrs, lp):
    az = import_arviz()
    chains, draws = arrays["intercept"].shape
    sigma = arrays.get("sigma", np.full((chains, draws), resolved.sigma if resolved.sigma else np.nan))
    stats = dict(stats)
    stats["lp"] = lp
    coords = {"feature": list(data.feature_names)}
    groups = {"posterior": arrays, "sample_stats": stats, "coords": coords, "dims": {"coef": ["feature"]}}
    if data.has_rows:  # not for data known only by their sufficient statistics
        coords["obs_id"] = np.arange(data.n_samples)
        groups["observed_data"] = {"y": data.y}
        groups["dims"]["y"] = ["obs_id"]
    if log_likelihood:
        groups["log_likelihood"] = {
            "y": pointwise_log_likelihood(data.X, data.y, arrays["intercept"], arrays["coef"], sigma)
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        idata = az.from_dict(**groups)
    for group in ("posterior", "sample_stats"):
        getattr(idata, group).attrs.update(attrs)
    if resolved.sigma_is_fixed:
        import xarray as xr

        idata.add_groups({"constant_data": xr.Dataset({"sigma": ((), float(resolved.sigma))})})
    return idata


def sample_posterior(data: Data, resolved: ResolvedPrior, *, sampler: str = "auto", draws: int = 1000,
                     tune: int = 1000, chains: int = 4, random_seed=None, progressbar: bool = True,
                     log_likelihood: bool | None = None, problem: Standardized | None = None):
    """Draw from the posterior; return ``(idata, sampler_used)``.

    Every sampler runs on the standardized problem (:mod:`bayesreg._standardize`) and its draws
    are mapped back to the user's units. ``log_likelihood=None`` stores the pointwise
    log-likelihood unless n × chains × draws exceeds 5·10⁷ (then it is skipped with a warning).
    Data known only by their sufficient statistics have no rows: the pointwise log-likelihood and
    the observed data are skipped, with one warning unless ``log_likelihood=False`` was given.
    """
    chosen = choose_sampler(resolved, sampler)
    check_rows_sampler(chosen, rows=data.has_rows)
    seed_seq = _seed_sequence(random_seed)
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
    if problem is None or (chosen in ("nutpie", "pymc") and data.is_sparse):
        # NUTS runs on a dense, centred design
        dense = data if not data.is_sparse else dataclasses.replace(data, X=data.dense_X("NUTS"))
        problem = Standardized(dense, resolved)
    std_resolved = problem.resolved
    start = time.perf_counter()
    stats: dict = {}
    try:
        with single_threaded_blas():
            if chosen in ("exact", "gibbs"):
                arrays = _run_independent_chains(chosen, problem.suff, std_resolved, seed_seq, draws,
                                                 tune, chains, progressbar)
            else:
                arrays, stats = _run_nuts(problem.data, std_resolved, chosen, draws, tune, chains, seed_seq,
                                          progressbar)
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
    idata = _make_idata(data, resolved, original, stats, log_likelihood, attrs,
                        lp=_log_posterior_draws(problem, arrays))
    return idata, chosen


def _log_posterior_draws(problem: Standardized, arrays: dict) -> np.ndarray:
    """Log posterior density of each draw in the user's units (standardized density − log|J|)."""
    chains, draws = arrays["intercept"].shape
    rp = problem.resolved
    sigma = arrays.get("sigma", np.full((chains, draws), rp.sigma if rp.sigma else np.nan))
    random_scale = arrays.get(rp.random_scale_name) if rp.scale_is_random else None
    p = arrays["coef"].shape[-1]
    lp = log_posterior(
        rp, problem.suff, arrays["intercept"].reshape(-1), arrays["coef"].reshape(-1, p),
        sigma.reshape(-1), None if random_scale is None else random_scale.reshape(-1),
    ).reshape(chains, draws)
    return lp - problem.units.log_jacobian(p, rp)


def _run_independent_chains(chosen, suff, resolved, seed_seq, draws, tune, chains, progressbar):
    """Run the exact or Gibbs chains (in threads when they are heavy); Ctrl-C stops them all."""
    run = _exact_chain if chosen == "exact" else _gibbs_chain
    rngs = [np.random.default_rng(s) for s in seed_seq.spawn(chains)]
    total = draws if chosen == "exact" else tune + draws
    progress = [_Progress(f"{chosen} chain {c + 1}/{chains}", total, progressbar)
                for c in range(chains)]
    heavy = suff.p >= 150 or (suff.wide and suff.n * suff.p >= 50_000)
    workers = min(chains, os.cpu_count() or 1) if heavy and chosen == "gibbs" else 1
    stop = threading.Event()
    extra = {"stop": stop} if chosen == "gibbs" else {}  # exact draws take one step: nothing to stop
    if workers > 1:
        for pr in progress:
            pr.enabled = False
        pool = ThreadPoolExecutor(max_workers=workers)
        futures = [pool.submit(run, suff, resolved, rngs[c], draws, tune, progress[c], **extra)
                   for c in range(chains)]
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
        per_chain = [run(suff, resolved, rngs[c], draws, tune, progress[c], **extra)
                     for c in range(chains)]
    return {k: np.stack([pc[k] for pc in per_chain]) for k in per_chain[0]}


def check_memory(data: Data, resolved: ResolvedPrior, sampler: str, *, draws: int, tune: int,
                 chains: int, log_likelihood: bool) -> None:
    """Refuse, before any work, a run whose draws or pointwise log-likelihood cannot fit in memory."""
    n, p = data.n_samples, data.n_features
    per_draw = p + 3 + (2 * p + 8 if sampler in ("nutpie", "pymc") else 0)  # NUTS keeps more
    need = 8.0 * chains * draws * per_draw * 2  # the draws, and their copy in the InferenceData
    if sampler in ("nutpie", "pymc"):
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
