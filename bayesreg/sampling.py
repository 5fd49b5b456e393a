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

import hashlib
import math
import os
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import linalg

from ._backend import import_arviz, import_pymc, single_threaded_blas
from ._validation import Data
from .exceptions import BayesregWarning, ConvergenceWarning
from .map import CentredData
from .model import build_model, log_posterior
from .priors import Gamma, ResolvedPrior

__all__ = ["SAMPLERS", "choose_sampler", "exact_posterior", "sample_posterior"]

SAMPLERS = ("auto", "exact", "gibbs", "nutpie", "pymc")
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
    if isinstance(random_seed, np.random.SeedSequence):
        return random_seed
    not_int = isinstance(random_seed, bool) or not isinstance(random_seed, int | np.integer)
    if random_seed is not None and not_int:
        raise TypeError(f"random_seed must be an int or None; got {type(random_seed).__name__}")
    if random_seed is not None and random_seed < 0:
        raise ValueError(f"random_seed must be non-negative; got {random_seed}")
    return np.random.SeedSequence(random_seed)


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


def _gibbs_chain(suff, resolved, rng, draws, tune, progress, block: int = 250):
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
    rho2 = (hyper.shape / hyper.rate if hyper_kind == 1 else 1.0 / hyper.scale**2) if hyper else 1.0
    unit_scale2 = rp.scale**2 if hyper is None else 1.0 / rho2
    state = np.array([sigma2, rho2, 1.0 / rho2])
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
    done = 0
    while done < total:
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
        hashlib.sha1(np.ascontiguousarray(data.X).view(np.uint8)).hexdigest(),
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
        out[sl] = -0.5 * np.log(2 * np.pi * sig**2) - (y[None, :] - mu) ** 2 / (2 * sig**2)
    return out.reshape(chains, draws, y.size)


def _make_idata(data, resolved, arrays, stats, suff, sampler, log_likelihood, attrs):
    az = import_arviz()
    chains, draws = arrays["intercept"].shape
    sigma = arrays.get("sigma", np.full((chains, draws), resolved.sigma if resolved.sigma else np.nan))
    random_scale = arrays.get(resolved.random_scale_name) if resolved.scale_is_random else None
    lp = log_posterior(
        resolved, suff, arrays["intercept"].reshape(-1), arrays["coef"].reshape(-1, data.n_features),
        sigma.reshape(-1), None if random_scale is None else random_scale.reshape(-1),
    ).reshape(chains, draws)
    stats = dict(stats)
    stats["lp"] = lp
    coords = {"feature": list(data.feature_names), "obs_id": np.arange(data.n_samples)}
    groups = {
        "posterior": arrays,
        "sample_stats": stats,
        "observed_data": {"y": data.y},
        "coords": coords,
        "dims": {"coef": ["feature"], "y": ["obs_id"]},
    }
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
                     log_likelihood: bool | None = None, suff: CentredData | None = None):
    """Draw from the posterior; return ``(idata, sampler_used)``.

    ``log_likelihood=None`` stores the pointwise log-likelihood unless
    n × chains × draws exceeds 5·10⁷ (then it is skipped with a warning).
    """
    chosen = choose_sampler(resolved, sampler)
    seed_seq = _seed_sequence(random_seed)
    if log_likelihood is None:
        log_likelihood = data.n_samples * chains * draws <= _LOGLIK_AUTO_LIMIT
        if not log_likelihood:
            warnings.warn(
                f"pointwise log-likelihood skipped: n_samples × chains × draws = "
                f"{data.n_samples * chains * draws:.3g} values; pass log_likelihood=True to store it "
                "(needed for LOO/az.compare)", BayesregWarning, stacklevel=3,
            )
    if suff is None:
        suff = CentredData(data.X, data.y)
    start = time.perf_counter()
    stats: dict = {}
    with single_threaded_blas():
        if chosen in ("exact", "gibbs"):
            run = _exact_chain if chosen == "exact" else _gibbs_chain
            rngs = [np.random.default_rng(s) for s in seed_seq.spawn(chains)]
            total = draws if chosen == "exact" else tune + draws
            progress = [_Progress(f"{chosen} chain {c + 1}/{chains}", total, progressbar)
                        for c in range(chains)]
            heavy = suff.p >= 150 or (suff.wide and suff.n * suff.p >= 50_000)
            workers = min(chains, os.cpu_count() or 1) if heavy and chosen == "gibbs" else 1
            if workers > 1:
                for pr in progress:
                    pr.enabled = False
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    futures = [pool.submit(run, suff, resolved, rngs[c], draws, tune, progress[c])
                               for c in range(chains)]
                    per_chain = [f.result() for f in futures]
            else:
                per_chain = [run(suff, resolved, rngs[c], draws, tune, progress[c]) for c in range(chains)]
            arrays = {k: np.stack([pc[k] for pc in per_chain]) for k in per_chain[0]}
        else:
            arrays, stats = _run_nuts(data, resolved, chosen, draws, tune, chains, seed_seq, progressbar)
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
    idata = _make_idata(data, resolved, arrays, stats, suff, chosen, log_likelihood, attrs)
    return idata, chosen


def diagnose(idata, *, rhat_max: float = 1.01, ess_min: float = 400.0):
    """Convergence diagnostics per parameter: R-hat, bulk/tail ESS, divergences.

    Returns a DataFrame with one row per scalar parameter and a column ``problem`` naming the
    failed checks (empty string when fine).
    """
    import pandas as pd

    az = import_arviz()
    post = idata.posterior
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
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
    return table


def warn_on_diagnostics(table, sampler: str, stacklevel: int = 3) -> None:
    """Emit one ConvergenceWarning naming the parameters that failed a check."""
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
