"""Sampling benchmark: bayesreg's default sampler vs PyMC's default NUTS (and, for the horseshoe,
numpyro's NUTS), fresh process each.

Usage::

    python bench/sampling.py                     # all cases, prints tables (takes several minutes)
    python bench/sampling.py --quick             # smaller scaling tables
    python bench/sampling.py --prior laplace     # only the Laplace tables
    python bench/sampling.py --prior horseshoe   # only the horseshoe tables (issue 12)
    python bench/sampling.py --prior horseshoe --tables samplers   # without the p = 1,000/5,000 runs

Each measurement runs in its own Python process (``--worker``), so nothing is warm: model
building, compilation (PyMC's C code; bayesreg's cached numba kernels are loaded from disk),
tuning/burn-in, sampling and the convergence diagnostics all count. "End-to-end" is the wall time
from the data in memory to a fitted result with its diagnostics (min bulk-ESS, max R-hat), with the
libraries already imported in both processes (numpy, pandas, arviz; PyMC for the PyMC run) — the
way a user calls ``fit`` in a session. The process time including the imports (up to the same
point) is printed too.
Efficiency is min bulk-ESS over all posterior parameters per end-to-end second.
PyMC runs with BLAS limited to one thread per chain (its best setting on these machines) and
``pm.sample``'s default ``cores`` (PyMC takes half of ``os.cpu_count()`` as the physical cores: on
a 2-core machine 1, so its chains run one after another).

Horseshoe tables (``--prior horseshoe``): ``fit(X, y, prior="horseshoe")`` with ``sampler="auto"``
(the compiled Gibbs sampler) against ``pm.sample`` on ``build_model(X, y, prior="horseshoe")``
(PyMC's NUTS on the non-centred model) and against numpyro's NUTS on the same model, on the
diabetes data at natural scale (X as scikit-learn ships it, y in its units) and on a sparse design
(n = 100, p = 200, 5 nonzero coefficients), 4 chains x 1000 draws after 1000 tuning/burn-in
iterations. Here each fresh process first runs an untimed small fit (same data, 20 + 20
iterations; 1 chain for bayesreg and PyMC — numba kernels, the PyTensor graph — and the same chains
for numpyro — JAX's JIT compiles for the shapes), shown as "warm s"; "e2e s" is then the timed fit
(PyMC rebuilds its model and compiles from its on-disk cache, as on any later call in a session;
numpyro's ``MCMC.run`` on a new ``MCMC``) plus the diagnostics; "process s" includes the imports
and the warm-up. numpyro (``bench/numpyro_nuts.py``, shared with ``bench/logistic.py``): NUTS with
its defaults, float64, ``chain_method="parallel"`` (one XLA host device per chain, sharing the
cores); the model is bayesreg's horseshoe with the τ0 that ``resolve_prior("horseshoe", X=X,
y=y)`` gives (for p >= n - 1 the default from p0 = n/10), written in bayesreg's standardized units
(X centred and divided by rms_j sd(x_j), y centred and divided by sd(y), τ0 multiplied by the
prior factor), flat intercept, p(σ²) ∝ 1/σ², λ_j ~ C⁺(0, 1), τ ~ C⁺(0, τ0), non-centred β = z σ τ λ
as in bayesreg's PyMC model; its draws are mapped back to the user's units. Before each case the
script checks it (``--check-numpyro CASE``, a fresh process, not timed): numpyro's log density at
400 bayesreg draws minus bayesreg's joint log density (:func:`bayesreg.model.log_posterior` with
the λ draws; bayesreg's ``lp`` is the same density with λ integrated out) is one constant.
The min bulk-ESS counted is over intercept, coef, sigma and the global scale ``coef_scale`` (τ);
the min over intercept/coef/sigma and τ's own ESS are shown separately, and the local scales
``coef_local`` (λ_j; rank-based bulk-ESS and R-hat are the same for log λ_j) are shown for
information only (not counted). Divergences: ``idata.sample_stats.diverging.sum()`` for PyMC,
numpyro's ``diverging`` field, ``FitResult.diagnostics()``'s count for bayesreg (a Gibbs sampler has
none). The issue's goals, on the sparse design: bayesreg's min-ESS/s >= 5x numpyro's and >= 20x
PyMC's, with zero divergences. Then bayesreg alone at n = 200, p = 1,000 and 5,000 (no warm-up).
numpyro and JAX are the ``bench`` extra (``pip install -e .[bench]``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

T0 = time.perf_counter()


def _simulate(n: int, p: int, seed: int = 0, nonzero: int = 10):
    """Gaussian design, intercept 1, noise sd 1, `nonzero` coefficients ±U(1, 3), the rest 0."""
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    k = min(nonzero, p)
    beta[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 3.0, k)
    y = 1.0 + X @ beta + rng.standard_normal(n)
    return X, y


def _data(case: str):
    t = time.perf_counter()
    if case == "diabetes":
        import bayesreg

        X, y = bayesreg.datasets.load_diabetes()
    elif case.startswith("sim"):  # sim_N_P (10 nonzero) or sim_N_P_K (K nonzero)
        _, n, p, *k = case.split("_")
        X, y = _simulate(int(n), int(p), nonzero=int(k[0]) if k else 10)
    else:
        raise ValueError(case)
    return X, y, time.perf_counter() - t


def worker(case: str, backend: str, draws: int, chains: int, prior: str = "laplace",
           warm: bool = False) -> dict:
    """One measurement (in a fresh process). ``warm``: first an untimed small fit on the same data
    (1 chain, 20 + 20 iterations: numba kernels loaded, the PyTensor graph compiled), reported as
    ``warmup_seconds``. ``backend`` "numpyro": :func:`numpyro_worker`."""
    import warnings

    if backend == "numpyro":
        return numpyro_worker(case, draws, chains, prior)
    X, y, t_data = _data(case)
    import bayesreg
    from bayesreg._backend import import_arviz, import_pymc

    import_arviz()
    if backend != "bayesreg":
        import_pymc()
    res = None
    warmup = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if backend == "bayesreg":
            def fit(draws, chains, seed, log_likelihood=None):
                return bayesreg.fit(X, y, prior=prior, draws=draws, tune=draws, chains=chains,
                                    random_seed=seed, progressbar=False, log_likelihood=log_likelihood)
        else:
            from threadpoolctl import threadpool_limits

            pm = import_pymc()

            def fit(draws, chains, seed, log_likelihood=None):
                model = bayesreg.build_model(X, y, prior)
                with threadpool_limits(1, "blas"), model:
                    return pm.sample(draws=draws, tune=draws, chains=chains, random_seed=seed,
                                     progressbar=False, compute_convergence_checks=False)
        if warm:
            t = time.perf_counter()
            fit(20, 1, 0, log_likelihood=False)
            warmup = time.perf_counter() - t
        t_start = time.perf_counter()
        if backend == "bayesreg":
            res = fit(draws, chains, 1)
            idata, sampler = res.idata, res.sampler
        else:
            idata, sampler = fit(draws, chains, 1), "pymc-nuts"
    if res is not None:
        divergences = int(res.diagnostics().attrs["divergences"])
    elif "diverging" in idata.sample_stats:
        divergences = int(idata.sample_stats.diverging.sum())
    else:
        divergences = None
    return {"case": case, "backend": backend, "prior": prior, "sampler": sampler, "draws": draws,
            "chains": chains, "data_seconds": t_data, "warmup_seconds": warmup, "divergences": divergences,
            **_diagnostics(idata, t_start, t_data)}


def _diagnostics(idata, t_start: float, t_data: float) -> dict:
    """min bulk-ESS and max R-hat over intercept, coef, sigma and the prior's scale (timed: the
    end-to-end seconds run from ``t_start`` to their end), then, not timed, per-variable ESS and
    R-hat (with the local scales ``coef_local``), posterior means, sds and per-chain medians."""
    import numpy as np

    from bayesreg._backend import import_arviz

    az = import_arviz()
    names = [v for v in ("intercept", "coef", "sigma", "coef_scale") if v in idata.posterior]
    ess = az.ess(idata, var_names=names, method="bulk")
    rhat = az.rhat(idata, var_names=names)
    min_ess = min(float(np.min(ess[v].values)) for v in names)
    max_rhat = max(float(np.max(rhat[v].values)) for v in names)
    t_fit = time.perf_counter() - t_start
    process = time.perf_counter() - T0 - t_data
    # reported, not timed: per-variable ESS/R-hat, the local scales
    ess_by = {v: float(np.min(ess[v].values)) for v in names}
    rhat_by = {v: float(np.max(rhat[v].values)) for v in names}
    if "coef_local" in idata.posterior:
        ess_by["coef_local"] = float(az.ess(idata, var_names=["coef_local"], method="bulk")
                                     ["coef_local"].min())
        rhat_by["coef_local"] = float(az.rhat(idata, var_names=["coef_local"])["coef_local"].max())
    post = idata.posterior
    summary = {v: [float(x) for x in np.atleast_1d(post[v].mean(("chain", "draw")).values)] for v in names}
    sds = {v: [float(x) for x in np.atleast_1d(post[v].std(("chain", "draw")).values)] for v in names}
    chain_medians = {v: [float(x) for x in post[v].median("draw").values]
                     for v in ("sigma", "coef_scale") if v in post}
    return {"end_to_end_seconds": t_fit, "process_seconds": process, "min_bulk_ess": min_ess,
            "max_rhat": max_rhat, "ess_per_second": min_ess / t_fit, "ess_by_var": ess_by,
            "rhat_by_var": rhat_by, "chain_medians": chain_medians, "means": summary, "sds": sds}


def _numpyro_problem(X, y, prior: str):
    """The numpyro model of bayesreg's ``fit(X, y, prior)`` (Gaussian likelihood): the prior
    bayesreg resolves (``resolve_prior``, so the same τ0, including the p0 = n/10 default for
    p >= n - 1), written in bayesreg's standardized units. Returns the data as JAX arrays, the
    model's keywords and the units."""
    import jax.numpy as jnp
    import numpy as np
    import numpyro_nuts

    from bayesreg.priors import resolve_prior

    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    resolved = resolve_prior(prior, X=X, y=y)
    if not (resolved.family == "horseshoe" and resolved.scale_is_random and resolved.sigma is None):
        raise ValueError(f"the numpyro anchor is written for the default horseshoe, not {prior!r}")
    units = numpyro_nuts.standardized_units(X, y)
    # a scale relative to sigma^k is multiplied by c_x c_y^(k-1) (Units.prior_factor)
    units["prior_factor"] = units["x_scale"] * units["y_scale"] ** (resolved.sigma_power - 1)
    options = {"family": "horseshoe", "fixed_scale": None, "likelihood": "gaussian",
               "tau0": resolved.hyperprior.scale * units["prior_factor"],
               "sigma_power": resolved.sigma_power}
    Xt = jnp.asarray((X - units["x_shift"]) / units["x_scale"])
    yt = jnp.asarray((y - units["y_shift"]) / units["y_scale"])
    return (Xt, yt), options, units


def numpyro_worker(case: str, draws: int, chains: int, prior: str) -> dict:
    """numpyro's NUTS (defaults, float64, ``chain_method="parallel"`` on one XLA host device per
    chain) on bayesreg's model: an untimed 20 + 20 run with the same data and chains (JIT), then
    the timed run; its draws mapped to the user's units, then the diagnostics (timed, as for the
    other backends)."""
    import numpyro_nuts

    numpyro_nuts.start(chains)  # before JAX starts
    import jax  # noqa: F401  (the import counts in the process time, as PyMC's)

    from bayesreg._backend import import_arviz

    az = import_arviz()
    X, y, t_data = _data(case)
    args, options, units = _numpyro_problem(X, y, prior)
    run = numpyro_nuts.timed_nuts(args, options, chains=chains, draws=draws, tune=draws)
    t_start = time.perf_counter() - run["seconds"]
    out = run["samples"]
    cx, cy = units["x_scale"], units["y_scale"]
    coef = out["coef"] * (cy / cx)
    arrays = {"intercept": units["y_shift"] - coef @ units["x_shift"] + cy * out["intercept"],
              "coef": coef, "sigma": out["sigma"] * cy,
              "coef_scale": out["coef_scale"] / units["prior_factor"], "coef_local": out["coef_local"]}
    idata = az.from_dict(posterior=arrays)
    return {"case": case, "backend": "numpyro", "prior": prior, "sampler": "numpyro", "draws": draws,
            "chains": chains, "data_seconds": t_data, "warmup_seconds": run["warmup_seconds"],
            "divergences": run["divergences"], "mean_steps": run["mean_steps"],
            "method": numpyro_nuts.NUMPYRO_CHAIN_METHOD, **_diagnostics(idata, t_start, t_data)}


def numpyro_density_check(case: str, prior: str = "horseshoe", draws: int = 200, chains: int = 2) -> dict:
    """numpyro's log density at bayesreg's draws against bayesreg's: their difference should be
    one constant (the log Jacobian of the change of units, normalising constants).

    bayesreg's ``lp`` is the density of (b0, β, σ, τ) in the user's units with the local scales
    λ integrated out (:func:`bayesreg.model.log_posterior` without latents, to rounding); the
    numpyro model has λ as parameters, so it is compared with the joint density of (b0, β, σ, τ,
    λ) of the same function (``latents``), whose integral over λ is ``lp``. numpyro's
    ``log_density`` (constrained values, no Jacobians of its transforms) is that of (b0, z, σ,
    τ, λ) in standardized units with β = z σ τ λ: its density of z is that of β times the prior
    sds, so Σ_j log(sd_j) is subtracted. Returns the spreads (max − min over the draws) of the
    difference and of bayesreg's marginal density − ``lp``, and the constant."""
    import warnings

    import numpy as np
    import numpyro_nuts

    numpyro_nuts.start(1, "sequential")  # float64
    import jax
    from numpyro.infer.util import log_density

    import bayesreg
    from bayesreg.map import CentredData
    from bayesreg.model import log_posterior
    from bayesreg.priors import resolve_prior

    X, y, _ = _data(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = bayesreg.fit(X, y, prior=prior, draws=draws, tune=draws, chains=chains, random_seed=2,
                           progressbar=False, log_likelihood=False)
    post = res.idata.posterior

    def flat(v):
        values = post[v].values
        return values.reshape(chains * draws, *values.shape[2:])

    lp = res.idata.sample_stats["lp"].values.reshape(-1)
    user = (flat("intercept"), flat("coef"), flat("sigma"), flat("coef_scale"))
    resolved, suff = resolve_prior(prior, X=X, y=y), CentredData(np.asarray(X, float), np.asarray(y, float))
    marginal = log_posterior(resolved, suff, *user)
    joint = log_posterior(resolved, suff, *user, latents={"coef_local": flat("coef_local")})
    args, options, units = _numpyro_problem(X, y, prior)
    cx, cy = units["x_scale"], units["y_scale"]
    coef = flat("coef") * (cx / cy)
    sigma = flat("sigma") / cy
    scale = flat("coef_scale") * units["prior_factor"]
    local = flat("coef_local")
    intercept = (flat("intercept") - units["y_shift"] + flat("coef") @ units["x_shift"]) / cy
    sd = (sigma ** options["sigma_power"] * scale)[:, None] * local
    params = {"intercept": intercept, "sigma": sigma, "coef_scale": scale, "coef_local": local,
              "coef_z": coef / sd}
    ours = jax.vmap(lambda prm: log_density(numpyro_nuts.model, args, options, prm)[0])(params)
    diff = np.asarray(ours) - np.log(sd).sum(axis=1) - joint
    return {"case": case, "draws": int(lp.size), "spread": float(np.ptp(diff)),
            "constant": float(np.mean(diff)), "joint_range": float(np.ptp(joint)),
            "lp_spread": float(np.ptp(marginal - lp))}


def run(case, backend, draws=1000, chains=4, prior="laplace", warm=False) -> dict:
    cmd = [sys.executable, __file__, "--worker", case, backend, str(draws), str(chains), prior,
           "warm" if warm else "cold"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
    if out.returncode != 0:  # say why: the worker's own last error line, not just its exit status
        lines = out.stderr.strip().splitlines() or [f"exit status {out.returncode}"]
        raise RuntimeError(f"worker {case} {backend} {prior} failed: {lines[-1]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def gibbs_cost(n: int, p: int, iterations: int = 500) -> tuple[float, float]:
    """Seconds for the sufficient statistics and for `iterations` Gibbs iterations (1 chain)."""
    import numpy as np

    from bayesreg._backend import single_threaded_blas
    from bayesreg.likelihoods import get_likelihood
    from bayesreg.map import CentredData
    from bayesreg.priors import resolve_prior
    from bayesreg.sampling import _gibbs_chain

    X, y = _simulate(n, p)
    t = time.perf_counter()
    suff = CentredData(X, y)
    t_suff = time.perf_counter() - t
    resolved = resolve_prior("laplace", X=X, y=y)
    t = time.perf_counter()
    with single_threaded_blas():  # as fit runs chains: threaded BLAS makes this noise under load
        _gibbs_chain(suff, resolved, get_likelihood(), np.random.default_rng(0), iterations, 0,
                     lambda done: None)
    return t_suff, time.perf_counter() - t


def _posterior_gap(a: dict, b: dict) -> float:
    """max over parameters of |mean_a - mean_b| / max(sd_a, sd_b) (same model, two samplers)."""
    import numpy as np

    gaps = []
    for v in a["means"]:
        ma, mb = np.array(a["means"][v]), np.array(b["means"][v])
        sa, sb = np.array(a["sds"][v]), np.array(b["sds"][v])
        gaps.append(np.max(np.abs(ma - mb) / np.maximum(sa, sb)))
    return float(max(gaps))


def laplace_tables(quick: bool) -> None:
    print("== Laplace prior on diabetes (sigma and scale unknown), 4 chains x 1000 draws, fresh processes ==")
    rows = [run("diabetes", "bayesreg"), run("diabetes", "pymc")]
    for r in rows:
        print(f"{r['backend']:>9} ({r['sampler']:>9}): end-to-end {r['end_to_end_seconds']:6.2f} s "
              f"(whole process {r['process_seconds']:6.2f} s), min bulk-ESS {r['min_bulk_ess']:7.0f}, "
              f"max R-hat {r['max_rhat']:.3f}, min ESS/s {r['ess_per_second']:8.1f}")
    ratio = rows[0]["ess_per_second"] / rows[1]["ess_per_second"]
    print(f"ratio of min-ESS/s, bayesreg / PyMC: {ratio:.1f}x")
    print(f"same posterior: max |mean difference| / posterior sd = {_posterior_gap(*rows):.3f}")

    print("\n== n = 1,000,000, p = 100, Laplace prior (default), 4 x 1000 ==")
    r = run("sim_1000000_100", "bayesreg")
    print(f"end-to-end {r['end_to_end_seconds']:.1f} s (whole process {r['process_seconds']:.1f} s; "
          f"simulating the data "
          f"{r['data_seconds']:.1f} s, not counted), min bulk-ESS {r['min_bulk_ess']:.0f}, "
          f"max R-hat {r['max_rhat']:.3f}")

    print("\n== p = 1,000, n = 200, Laplace prior (default), 4 x 1000 ==")
    r = run("sim_200_1000", "bayesreg")
    print(f"end-to-end {r['end_to_end_seconds']:.1f} s (whole process {r['process_seconds']:.1f} s), "
          f"min bulk-ESS {r['min_bulk_ess']:.0f}, "
          f"max R-hat {r['max_rhat']:.3f}")

    print("\n== cost growth: one Gibbs chain, 500 iterations (Laplace, default prior) ==")
    gibbs_cost(100, 5, iterations=10)  # load the compiled kernels once, outside the table
    ns = [1_000, 10_000, 100_000] if quick else [1_000, 10_000, 100_000, 1_000_000]
    print(f"{'n':>9} {'p':>6} {'suff. stats s':>14} {'500 iter s':>11}")
    for n in ns:
        t_s, t_g = gibbs_cost(n, 50)
        print(f"{n:9d} {50:6d} {t_s:14.3f} {t_g:11.3f}")
    for p in [10, 50, 100, 200, 400] if not quick else [10, 100]:
        t_s, t_g = gibbs_cost(2_000, p)
        print(f"{2000:9d} {p:6d} {t_s:14.3f} {t_g:11.3f}")
    for p in [400, 1_000, 2_000] if not quick else [400]:
        t_s, t_g = gibbs_cost(200, p, iterations=100)
        print(f"{200:9d} {p:6d} {t_s:14.3f} {t_g * 5:11.3f}  (p > n: O(n^2 p); 100 iterations x5)")


def _horseshoe_row(r: dict) -> str:
    e = r["ess_by_var"]
    core = min(e[v] for v in ("intercept", "coef", "sigma") if v in e)
    div = "n/a" if r["divergences"] is None else str(r["divergences"])
    return (f"{r['backend']:>9} {r['sampler']:>9} {r['warmup_seconds']:7.2f} {r['end_to_end_seconds']:9.2f} "
            f"{r['process_seconds']:9.2f} {core:11.0f} {e['coef_scale']:8.0f} {r['min_bulk_ess']:8.0f} "
            f"{r['max_rhat']:7.3f} {r['ess_per_second']:9.1f} {div:>6} "
            f"{e.get('coef_local', float('nan')):9.0f}")


_HORSESHOE_HEADER = (f"{'backend':>9} {'sampler':>9} {'warm s':>7} {'e2e s':>9} {'process s':>9} "
                     f"{'ESS b,b0,s':>11} {'ESS tau':>8} {'min ESS':>8} {'R-hat':>7} "
                     f"{'ESS/s':>9} {'div.':>6} {'ESS lam':>9}")

#: the issue's goals on the sparse design: bayesreg's min-ESS/s at least these multiples of each
#: NUTS's, with no divergences (bayesreg's)
HORSESHOE_GOALS = {"numpyro": 5.0, "pymc": 20.0}


def density_check(case: str) -> dict:
    """:func:`numpyro_density_check` in a fresh process (not timed)."""
    cmd = [sys.executable, __file__, "--check-numpyro", case]
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
    if out.returncode != 0:
        lines = out.stderr.strip().splitlines() or [f"exit status {out.returncode}"]
        raise RuntimeError(f"density check {case} failed: {lines[-1]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def horseshoe_tables(quick: bool, tables: str = "all") -> None:
    """The samplers compared on diabetes and the sparse design (``tables`` "samplers" or "all"),
    then bayesreg's scaling in p ("scaling" or "all")."""
    if tables in ("all", "samplers"):
        horseshoe_samplers()
    if tables in ("all", "scaling"):
        horseshoe_scaling(quick)


def horseshoe_samplers() -> None:
    cases = [("diabetes", "diabetes (442 x 10, natural scale)"),
             ("sim_100_200_5", "sparse design n = 100, p = 200, 5 nonzero")]
    for case, label in cases:
        print(f"\n== Horseshoe prior (sigma and tau unknown) on {label}, 4 chains x 1000 draws "
              "(+1000 tuning), fresh process each, untimed small warm-up fit first ==", flush=True)
        check = density_check(case)
        print(f"numpyro's model at {check['draws']} bayesreg draws: its log density - bayesreg's joint "
              f"log density (with lambda) = {check['constant']:.4f} + spread {check['spread']:.1e} "
              f"(the joint spans {check['joint_range']:.1f}); bayesreg's lp = that joint with lambda "
              f"integrated out (spread {check['lp_spread']:.1e})", flush=True)
        rows = {}
        for backend in ("bayesreg", "pymc", "numpyro"):
            try:
                rows[backend] = run(case, backend, prior="horseshoe", warm=True)
            except RuntimeError as exc:  # a failed fit is a result too: report it, go on
                print(f"  {exc}", flush=True)
        print(_HORSESHOE_HEADER)
        for r in rows.values():
            print(_horseshoe_row(r))
        if "numpyro" in rows:
            print(f"numpyro: {rows['numpyro']['mean_steps']:.0f} leapfrog steps per iteration on average "
                  f"(chain_method={rows['numpyro']['method']!r}, float64)")
        ours = rows.get("bayesreg")
        if ours is None:
            continue
        met = ours["divergences"] == 0
        parts = []
        for other, goal in HORSESHOE_GOALS.items():
            if other not in rows:
                met = False
                continue
            ratio = ours["ess_per_second"] / rows[other]["ess_per_second"]
            met = met and ratio >= goal
            name = {"pymc": "PyMC"}.get(other, other)
            parts.append(f"bayesreg / {name} {ratio:.1f}x (goal >= {goal:.0f}x; max |mean difference| / "
                         f"posterior sd {_posterior_gap(ours, rows[other]):.3f})")
        print("ratio of min-ESS/s: " + "; ".join(parts))
        verdict = "met" if met else "NOT met"
        if case != "sim_100_200_5":
            verdict += " (the issue sets them on the sparse design)"
        print(f"goals (>= 5x numpyro, >= 20x PyMC, zero divergences): {verdict}")
        worst = {b: max(r["rhat_by_var"], key=r["rhat_by_var"].get) for b, r in rows.items()}
        print("max R-hat incl. lambda: " + ", ".join(
            f"{b} {rows[b]['rhat_by_var'][w]:.3f} ({w})" for b, w in worst.items()))
        print("median per chain: " + "; ".join(
            f"{b} tau {', '.join(f'{m:.3g}' for m in r['chain_medians']['coef_scale'])}, sigma "
            f"{', '.join(f'{m:.3g}' for m in r['chain_medians']['sigma'])}" for b, r in rows.items()),
            flush=True)



def horseshoe_scaling(quick: bool) -> None:
    print("\n== Horseshoe scaling, bayesreg alone (default sampler), n = 200, 5 nonzero, 4 chains ==")
    print(f"{'n':>5} {'p':>6} {'draws':>6} {'e2e s':>8} {'process s':>9} {'ESS b,b0,s':>11} "
          f"{'ESS tau':>8} {'min ESS':>8} {'R-hat':>7} {'ESS/s':>7} {'div.':>5}")
    for p in [1_000] if quick else [1_000, 5_000]:
        try:
            r = run(f"sim_200_{p}_5", "bayesreg", draws=1000, prior="horseshoe")
        except RuntimeError as exc:  # a failed fit is a result too: report it, go on
            print(f"{200:5d} {p:6d} {1000:6d} {exc}")
            continue
        e = r["ess_by_var"]
        core = min(e[v] for v in ("intercept", "coef", "sigma"))
        print(f"{200:5d} {p:6d} {r['draws']:6d} {r['end_to_end_seconds']:8.1f} {r['process_seconds']:9.1f} "
              f"{core:11.0f} {e['coef_scale']:8.0f} {r['min_bulk_ess']:8.0f} {r['max_rhat']:7.3f} "
              f"{r['ess_per_second']:7.1f} {r['divergences']:5d}")
        worst = max(r["rhat_by_var"], key=r["rhat_by_var"].get)
        med = r["chain_medians"]
        print(f"{'':12} max R-hat incl. lambda {r['rhat_by_var'][worst]:.3f} ({worst}); median per chain: "
              f"tau {', '.join(f'{m:.3g}' for m in med['coef_scale'])}; "
              f"sigma {', '.join(f'{m:.3g}' for m in med['sigma'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=6, metavar=("CASE", "BACKEND", "DRAWS", "CHAINS", "PRIOR", "WARM"))
    parser.add_argument("--check-numpyro", metavar="CASE", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--prior", choices=("all", "laplace", "horseshoe"), default="all",
                        help="which tables to run (default: all)")
    parser.add_argument("--tables", choices=("all", "samplers", "scaling"), default="all",
                        help="horseshoe: the samplers compared, bayesreg's scaling in p (1,000 and 5,000; "
                             "--quick: 1,000), or both (default)")
    args = parser.parse_args()
    if args.worker:
        case, backend, draws, chains, prior, warm = args.worker
        print(json.dumps(worker(case, backend, int(draws), int(chains), prior, warm == "warm")))
        return
    if args.check_numpyro:
        print(json.dumps(numpyro_density_check(args.check_numpyro)))
        return
    if args.prior in ("all", "laplace"):
        laplace_tables(args.quick)
    if args.prior in ("all", "horseshoe"):
        horseshoe_tables(args.quick, args.tables)


if __name__ == "__main__":
    main()
