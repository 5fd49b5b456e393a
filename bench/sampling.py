"""Sampling benchmark: bayesreg's default sampler vs PyMC's default NUTS, fresh process each.

Usage::

    python bench/sampling.py            # all cases, prints tables (takes several minutes)
    python bench/sampling.py --quick    # smaller scaling table

Each measurement runs in its own Python process (``--worker``), so nothing is warm: model
building, compilation (PyMC's C code; bayesreg's cached numba kernels are loaded from disk),
tuning/burn-in, sampling and the convergence diagnostics all count. "End-to-end" is the wall time
from the data in memory to a fitted result with its diagnostics (min bulk-ESS, max R-hat), with the
libraries already imported in both processes (numpy, pandas, arviz; PyMC for the PyMC run) — the
way a user calls ``fit`` in a session. The process time including the imports is printed too.
Efficiency is min bulk-ESS over all posterior parameters per end-to-end second.
PyMC runs with BLAS limited to one thread per chain (its best setting on these machines).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

T0 = time.perf_counter()


def _simulate(n: int, p: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    k = min(10, p)
    beta[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 3.0, k)
    y = 1.0 + X @ beta + rng.standard_normal(n)
    return X, y


def _data(case: str):
    t = time.perf_counter()
    if case == "diabetes":
        import bayesreg

        X, y = bayesreg.datasets.load_diabetes()
    elif case.startswith("sim"):
        _, n, p = case.split("_")
        X, y = _simulate(int(n), int(p))
    else:
        raise ValueError(case)
    return X, y, time.perf_counter() - t


def worker(case: str, backend: str, draws: int, chains: int) -> dict:
    import warnings

    import numpy as np

    X, y, t_data = _data(case)
    import bayesreg
    from bayesreg._backend import import_arviz, import_pymc

    import_arviz()
    if backend != "bayesreg":
        import_pymc()
    t_start = time.perf_counter()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if backend == "bayesreg":
            res = bayesreg.fit(X, y, prior="laplace", draws=draws, tune=draws, chains=chains,
                               random_seed=1, progressbar=False, log_likelihood=None)
            idata, sampler = res.idata, res.sampler
        else:
            from threadpoolctl import threadpool_limits

            from bayesreg._backend import import_pymc

            pm = import_pymc()
            model = bayesreg.build_model(X, y, "laplace")
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
    post = idata.posterior
    summary = {v: [float(x) for x in np.atleast_1d(post[v].mean(("chain", "draw")).values)] for v in names}
    sds = {v: [float(x) for x in np.atleast_1d(post[v].std(("chain", "draw")).values)] for v in names}
    process = time.perf_counter() - T0 - t_data
    return {"case": case, "backend": backend, "sampler": sampler, "draws": draws, "chains": chains,
            "data_seconds": t_data, "end_to_end_seconds": t_fit, "process_seconds": process,
            "min_bulk_ess": min_ess, "max_rhat": max_rhat, "ess_per_second": min_ess / t_fit,
            "means": summary, "sds": sds}


def run(case, backend, draws=1000, chains=4) -> dict:
    cmd = [sys.executable, __file__, "--worker", case, backend, str(draws), str(chains)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=4, metavar=("CASE", "BACKEND", "DRAWS", "CHAINS"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.worker:
        case, backend, draws, chains = args.worker
        print(json.dumps(worker(case, backend, int(draws), int(chains))))
        return

    import numpy as np

    print("== Laplace prior on diabetes (sigma and scale unknown), 4 chains x 1000 draws, fresh processes ==")
    rows = [run("diabetes", "bayesreg"), run("diabetes", "pymc")]
    for r in rows:
        print(f"{r['backend']:>9} ({r['sampler']:>9}): end-to-end {r['end_to_end_seconds']:6.2f} s "
              f"(whole process {r['process_seconds']:6.2f} s), min bulk-ESS {r['min_bulk_ess']:7.0f}, "
              f"max R-hat {r['max_rhat']:.3f}, min ESS/s {r['ess_per_second']:8.1f}")
    ratio = rows[0]["ess_per_second"] / rows[1]["ess_per_second"]
    print(f"ratio of min-ESS/s, bayesreg / PyMC: {ratio:.1f}x")
    a, b = rows
    gaps = []
    for v in a["means"]:
        ma, mb = np.array(a["means"][v]), np.array(b["means"][v])
        sa, sb = np.array(a["sds"][v]), np.array(b["sds"][v])
        gaps.append(np.max(np.abs(ma - mb) / np.maximum(sa, sb)))
    print(f"same posterior: max |mean difference| / posterior sd = {max(gaps):.3f}")

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
    ns = [1_000, 10_000, 100_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    print(f"{'n':>9} {'p':>6} {'suff. stats s':>14} {'500 iter s':>11}")
    for n in ns:
        t_s, t_g = gibbs_cost(n, 50)
        print(f"{n:9d} {50:6d} {t_s:14.3f} {t_g:11.3f}")
    for p in [10, 50, 100, 200, 400] if not args.quick else [10, 100]:
        t_s, t_g = gibbs_cost(2_000, p)
        print(f"{2000:9d} {p:6d} {t_s:14.3f} {t_g:11.3f}")
    for p in [400, 1_000, 2_000] if not args.quick else [400]:
        t_s, t_g = gibbs_cost(200, p, iterations=100)
        print(f"{200:9d} {p:6d} {t_s:14.3f} {t_g * 5:11.3f}  (p > n: O(n^2 p); 100 iterations x5)")


if __name__ == "__main__":
    main()
