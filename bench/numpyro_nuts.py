"""numpyro's NUTS as a speed anchor, shared by ``bench/logistic.py`` and ``bench/sampling.py``.

Not a benchmark itself: bayesreg's models written in numpyro (:func:`model`), JAX set up before
it starts (:func:`start`) and one measurement, an untimed small run then the timed one
(:func:`timed_nuts`). The models are written in bayesreg's standardized units
(:mod:`bayesreg._standardize`): X centred and divided by one number c_x = rms_j sd(x_j), for the
Gaussian likelihood y centred and divided by c_y = sd(y), the prior's scales multiplied by the
same factor bayesreg uses (``Units.prior_factor``); the callers map the draws back to X's units.
NUTS runs with numpyro's defaults, in float64. numpyro and JAX are the ``bench`` extra
(``pip install -e .[bench]``), not a dependency.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

__all__ = ["NUMPYRO_CHAIN_METHOD", "model", "standardized_units", "start", "timed_nuts"]

#: how numpyro runs its 4 chains: "parallel" (``jax.pmap`` over one XLA host device per chain,
#: ``numpyro.set_host_device_count(4)``: 4 devices sharing the 2 cores), "sequential" or
#: "vectorized" (with 2 devices and 4 chains numpyro's "parallel" falls back to "sequential").
#: Timed fits on standardized breast cancer, Gaussian prior, 4 x 1000 draws, 2 cores shared with
#: a test suite: parallel 14.8 s (default hyperprior) / 11.3 s (C = 1), vectorized 20.8 / 17.5 s,
#: sequential 31.5 / 27.3 s (it compiles again for every chain). Compare them with
#: ``bench/logistic.py --part posterior --data standardized --priors gaussian --samplers
#: numpyro:parallel ...``.
NUMPYRO_CHAIN_METHOD = "parallel"


def start(chains: int, method: str = NUMPYRO_CHAIN_METHOD) -> None:
    """Set JAX up for ``chains`` chains run by ``method``: one XLA host device per chain for
    "parallel", float64 (as bayesreg and PyMC). Call before JAX starts its backend."""
    import numpyro

    if method == "parallel":
        numpyro.set_host_device_count(chains)  # before JAX starts its backend
    numpyro.enable_x64()


def standardized_units(X, y=None) -> dict:
    """bayesreg's standardized units of ``X`` (and of a measured ``y``): ``x_shift`` = column
    means, ``x_scale`` = c_x = rms_j sd(x_j); with ``y``, ``y_shift`` = mean and ``y_scale`` =
    c_y = sd(y) (population sds). Without ``y`` (labels) y stays as it is."""
    X = np.asarray(X, dtype=float)
    units = {"x_shift": X.mean(axis=0), "x_scale": float(np.sqrt(np.mean(X.std(axis=0) ** 2))),
             "y_shift": 0.0, "y_scale": 1.0}
    if y is not None:
        y = np.asarray(y, dtype=float)
        units.update(y_shift=float(y.mean()), y_scale=float(y.std()))
    return units


def model(X, y=None, *, family: str, fixed_scale: float | None, tau0: float | None,
          likelihood: str = "bernoulli", sigma_power: int = 0):
    """bayesreg's model in numpyro, in bayesreg's standardized units: flat intercept; the
    coefficients N(0, s) or Laplace(0, s) (centred), or the horseshoe N(0, s λ_j) with
    λ_j ~ C⁺(0, 1) (non-centred: β = z s λ); s fixed, or s ~ C⁺(0, τ0). ``likelihood``
    "bernoulli" (logit link) or "gaussian": y ~ N(b0 + Xβ, σ²) with p(σ²) ∝ 1/σ² (p(σ) ∝ 1/σ)
    and, for ``sigma_power`` 1, the prior scale s σ (bayesreg's scale relative to σ)."""
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist

    p = X.shape[1]
    intercept = numpyro.sample("intercept", dist.ImproperUniform(dist.constraints.real, (), ()))
    scale = fixed_scale if fixed_scale is not None else numpyro.sample("coef_scale", dist.HalfCauchy(tau0))
    sigma = None
    if likelihood == "gaussian":
        sigma = numpyro.sample("sigma", dist.ImproperUniform(dist.constraints.positive, (), ()))
        numpyro.factor("sigma_prior", -jnp.log(sigma))  # Jeffreys: p(σ) ∝ 1/σ
        if sigma_power == 1:
            scale = scale * sigma
    elif likelihood != "bernoulli":
        raise ValueError(f"no numpyro model for the {likelihood!r} likelihood")
    if family == "gaussian":
        coef = numpyro.sample("coef", dist.Normal(0.0, scale).expand([p]).to_event(1))
    elif family == "laplace":
        coef = numpyro.sample("coef", dist.Laplace(0.0, scale).expand([p]).to_event(1))
    elif family == "horseshoe":
        local = numpyro.sample("coef_local", dist.HalfCauchy(1.0).expand([p]).to_event(1))
        z = numpyro.sample("coef_z", dist.Normal(0.0, 1.0).expand([p]).to_event(1))
        coef = numpyro.deterministic("coef", z * scale * local)
    else:
        raise ValueError(f"no numpyro model for the {family!r} prior")
    if likelihood == "gaussian":
        numpyro.sample("y", dist.Normal(intercept + X @ coef, sigma), obs=y)
    else:
        numpyro.sample("y", dist.Bernoulli(logits=intercept + X @ coef), obs=y)


def timed_nuts(args: tuple, options: dict, *, chains: int, draws: int, tune: int,
               method: str = NUMPYRO_CHAIN_METHOD, warmup_iterations: int = 20) -> dict:
    """NUTS on :func:`model` (``args`` = (X, y) as JAX arrays, ``options`` its keywords): an
    untimed run of ``warmup_iterations`` + ``warmup_iterations`` with the same data and chains
    (JAX's JIT compiles for the shapes), then the timed run (a new ``MCMC``, ``tune`` + ``draws``).

    Returns ``warmup_seconds``, ``seconds`` (the timed ``MCMC.run`` until its draws are ready),
    ``samples`` (NumPy arrays, chain × draw × ...), ``divergences`` and ``mean_steps`` (leapfrog
    steps per iteration)."""
    import jax
    from numpyro.infer import MCMC, NUTS

    def sample(warmup, samples, seed):
        mcmc = MCMC(NUTS(model), num_warmup=warmup, num_samples=samples, num_chains=chains,
                    chain_method=method, progress_bar=False)
        mcmc.run(jax.random.PRNGKey(seed), *args, extra_fields=("diverging", "num_steps"), **options)
        out = mcmc.get_samples(group_by_chain=True)
        jax.block_until_ready(out)
        return mcmc, out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        sample(warmup_iterations, warmup_iterations, 0)
        warmup = time.perf_counter() - t0
        t0 = time.perf_counter()
        mcmc, out = sample(tune, draws, 1)
        seconds = time.perf_counter() - t0
    extra = mcmc.get_extra_fields(group_by_chain=True)
    return {"warmup_seconds": warmup, "seconds": seconds,
            "samples": {k: np.asarray(v) for k, v in out.items()},
            "divergences": int(np.sum(extra["diverging"])),
            "mean_steps": float(np.mean(extra["num_steps"]))}
