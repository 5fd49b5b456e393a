"""Sampling benchmark: bayesreg's default sampler vs PyMC's default NUTS, fresh process each.

Usage::

    python bench/sampling.py                     # all cases, prints tables (takes several minutes)
    python bench/sampling.py --quick             # smaller scaling tables
    python bench/sampling.py --prior laplace     # only the Laplace tables
    python bench/sampling.py --prior horseshoe   # only the horseshoe tables (issue 12)

Each measurement runs in its own Python process (``--worker``), so nothing is warm: model
building, compilation (PyMC's C code; bayesreg's cached numba kernels are loaded from disk),
tuning/burn-in, sampling and the convergence diagnostics all count. "End-to-end" is the wall time
from the data in memory to a fitted result with its diagnostics (min bulk-ESS, max R-hat), with the
libraries already imported in both processes (numpy, pandas, arviz; PyMC for the PyMC run) — the
way a user calls ``fit`` in a session. The process time including the imports (up to the same
point) is printed too.
Efficiency is min bulk-ESS over all posterior parameters per end-to-end second.
PyMC runs with BLAS limited to one thread per chain (its best setting on these machines).

Horseshoe tables (``--prior horseshoe``): ``fit(X, y, prior="horseshoe")`` with ``sampler="auto"``
(the compiled Gibbs sampler, Makalic & Schmidt's auxiliaries) against ``pm.sample`` on
``build_model(X, y, prior="horseshoe")`` (PyMC's NUTS on the non-centred model), on the diabetes
data at natural scale (X as scikit-learn ships it, y in its units) and on a sparse design (n = 100,
p = 200, 5 nonzero coefficients). The min bulk-ESS counted is over intercept, coef, sigma and the
global scale ``coef_scale`` (τ); the min over intercept/coef/sigma and τ's own ESS are shown
separately, and the local scales ``coef_local`` (λ_j) are shown for information only (not counted).
Divergences: ``idata.sample_stats.diverging.sum()`` for PyMC, ``FitResult.diagnostics()``'s count
for bayesreg (a Gibbs sampler has none). Then bayesreg alone at n = 200, p = 1,000 and 5,000.
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


def worker(case: str, backend: str, draws: int, chains: int, prior: str = "laplace") -> dict:
    import warnings

    import numpy as np

    X, y, t_data = _data(case)
    import bayesreg
    from bayesreg._backend import import_arviz, import_pymc

    import_arviz()
    if backend != "bayesreg":
        import_pymc()
    t_start = time.perf_counter()

    res = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if backend == "bayesreg":
            res = bayesreg.fit(X, y, prior=prior, draws=draws, tune=draws, chains=chains,
                               random_seed=1, progressbar=False, log_likelihood=None)
            idata, sampler = res.idata, res.sampler
        else:
            from threadpoolctl import threadpool_limits

            from bayesreg._backend import import_pymc

            pm = import_pymc()
            model = bayesreg.build_model(X, y, prior)
            with threadpool_limits(1, "blas"), model:
                idata = pm.sample(draws=draws, tune=draws, chains=chains, random_seed=1,
                                  progressbar=False, compute_convergence_checks=False)
            sampler = "pymc-nuts"
    az = import_arviz()
    names = [v for v in ("intercept", "coef", "sigma", "coef_scale") if v in idata.posterior]
    ess = az.ess(idata, var_names=names, method="bulk")
    rhat = az.rhat(idata, var_names=names)
    min_ess = min(float(np.min(ess[v].values)) for v in names)
    max_rhat = max(float(np.max(rhat[v].values)) for v in names)
    t_fit = time.perf_counter() - t_start
    process = time.perf_counter() - T0 - t_data
    # reported, not timed: per-variable ESS/R-hat, the local scales, the divergences
    ess_by = {v: float(np.min(ess[v].values)) for v in names}
    rhat_by = {v: float(np.max(rhat[v].values)) for v in names}
    if "coef_local" in idata.posterior:
        ess_by["coef_local"] = float(az.ess(idata, var_names=["coef_local"], method="bulk")
                                     ["coef_local"].min())
        rhat_by["coef_local"] = float(az.rhat(idata, var_names=["coef_local"])["coef_local"].max())
    if res is not None:
        divergences = int(res.diagnostics().attrs["divergences"])
    elif "diverging" in idata.sample_stats:
        divergences = int(idata.sample_stats.diverging.sum())
    else:
        divergences = None
    post = idata.posterior
    summary = {v: [float(x) for x in np.atleast_1d(post[v].mean(("chain", "draw")).values)] for v in names}
    sds = {v: [float(x) for x in np.atleast_1d(post[v].std(("chain", "draw")).values)] for v in names}
    chain_medians = {v: [float(x) for x in post[v].median("draw").values]
                     for v in ("sigma", "coef_scale") if v in post}
    return {"case": case, "backend": backend, "prior": prior, "sampler": sampler, "draws": draws,
            "chains": chains, "data_seconds": t_data, "end_to_end_seconds": t_fit,
            "process_seconds": process, "min_bulk_ess": min_ess, "max_rhat": max_rhat,
            "ess_per_second": min_ess / t_fit, "ess_by_var": ess_by, "rhat_by_var": rhat_by,
            "divergences": divergences, "chain_medians": chain_medians, "means": summary, "sds": sds}


def run(case, backend, draws=1000, chains=4, prior="laplace") -> dict:
    cmd = [sys.executable, __file__, "--worker", case, backend, str(draws), str(chains), prior]
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
    return (f"{r['backend']:>9} {r['sampler']:>9} {r['end_to_end_seconds']:9.2f} {r['process_seconds']:9.2f} "
            f"{core:11.0f} {e['coef_scale']:8.0f} {r['min_bulk_ess']:8.0f} {r['max_rhat']:7.3f} "
            f"{r['ess_per_second']:9.1f} {div:>6} {e.get('coef_local', float('nan')):9.0f}")


_HORSESHOE_HEADER = (f"{'backend':>9} {'sampler':>9} {'e2e s':>9} {'process s':>9} "
                     f"{'ESS b,b0,s':>11} {'ESS tau':>8} {'min ESS':>8} {'R-hat':>7} "
                     f"{'ESS/s':>9} {'div.':>6} {'ESS lam':>9}")


def horseshoe_tables(quick: bool) -> None:
    goal = 20.0
    cases = [("diabetes", "diabetes (442 x 10, natural scale)"),
             ("sim_100_200_5", "sparse design n = 100, p = 200, 5 nonzero")]
    for case, label in cases:
        print(f"\n== Horseshoe prior (sigma and tau unknown) on {label}, 4 chains x 1000 draws, "
              "fresh processes ==")
        rows = [run(case, "bayesreg", prior="horseshoe"), run(case, "pymc", prior="horseshoe")]
        print(_HORSESHOE_HEADER)
        for r in rows:
            print(_horseshoe_row(r))
        ratio = rows[0]["ess_per_second"] / rows[1]["ess_per_second"]
        met = ratio >= goal and rows[0]["divergences"] == 0
        print(f"ratio of min-ESS/s, bayesreg / PyMC: {ratio:.1f}x (goal >= {goal:.0f}x with zero "
              f"divergences: {'met' if met else 'NOT met'})")
        print(f"same posterior: max |mean difference| / posterior sd = {_posterior_gap(*rows):.3f}")
        worst = {r["backend"]: max(r["rhat_by_var"], key=r["rhat_by_var"].get) for r in rows}
        print("max R-hat incl. lambda: " + ", ".join(
            f"{b} {r['rhat_by_var'][worst[b]]:.3f} ({worst[b]})" for b, r in zip(worst, rows, strict=True)))

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
    parser.add_argument("--worker", nargs=5, metavar=("CASE", "BACKEND", "DRAWS", "CHAINS", "PRIOR"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--prior", choices=("all", "laplace", "horseshoe"), default="all",
                        help="which tables to run (default: all)")
    args = parser.parse_args()
    if args.worker:
        case, backend, draws, chains, prior = args.worker
        print(json.dumps(worker(case, backend, int(draws), int(chains), prior)))
        return
    if args.prior in ("all", "laplace"):
        laplace_tables(args.quick)
    if args.prior in ("all", "horseshoe"):
        horseshoe_tables(args.quick)


if __name__ == "__main__":
    main()
