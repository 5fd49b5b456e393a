"""Logistic regression benchmark (issue 13): the MAP against scikit-learn, the posterior against PyMC
and numpyro.

Usage::

    python bench/logistic.py              # everything (about half an hour on 2 cores)
    python bench/logistic.py --part map   # only (a), under a minute
    python bench/logistic.py --part sample --quick   # (b) and (c) with fewer draws
    python bench/logistic.py --part posterior --data raw --priors gaussian   # part of (b)
    python bench/logistic.py --part posterior --samplers numpyro:parallel numpyro:sequential

A benchmark, not a timed test: it prints tables; ``bench/results/logistic.txt`` keeps a run.
BLAS runs on one thread (``OPENBLAS_NUM_THREADS=1`` and friends, set before NumPy is imported and
inherited by the worker processes), as in the other benchmarks.

(a) **MAP vs scikit-learn at equal accuracy.** ``bayesreg.fit(X, y, prior, family="bernoulli",
C=C, method="map")`` against ``LogisticRegression(C=C, l1_ratio=ρ, tol=1e-10)`` with ``lbfgs``
for L2 and ``saga`` for L1 (the solver the issue names; both leave the intercept unpenalised),
on the breast cancer data standardized, and at natural scale for L2. Median wall time over
interleaved repeats; ratio = bayesreg / scikit-learn (the goal is ≤ 2). Accuracy: the largest
difference in (intercept, coef) relative to the largest coefficient, each against a reference —
``newton-cholesky`` at ``tol=1e-12`` for L2, and for L1 the other solver (there is no third exact
one); whether the exact zeros agree; scikit-learn's iteration count and whether it converged.

(b) **Posterior: bayesreg's default sampler vs PyMC's NUTS and numpyro's NUTS.** ``bayesreg.fit(...,
sampler="auto")`` (HMC within Gibbs: the coefficient block by an HMC transition, the prior's scales
by Gibbs), ``bayesreg.fit(..., sampler="pymc")`` (``pm.sample``'s default NUTS on the same model)
and the same model written in numpyro (NUTS with its defaults, float64, 4 chains by
``chain_method="parallel"`` on 4 XLA host devices sharing the cores: the fastest here, see
``NUMPYRO_CHAIN_METHOD`` in ``bench/numpyro_nuts.py``), on the breast cancer data (569 × 30)
standardized and in its natural units; Gaussian and Laplace priors, each with the default
half-Cauchy hyperprior on the scale and with a fixed C = 1 (β_j ~ N(0, 1), Laplace(0, 1)), and the
horseshoe (default hyperprior only). 4 chains × 1000 draws after 1000 tuning/burn-in iterations.
Each measurement runs in a fresh process, which first does a small warm-up fit so that
loading/compiling is reported separately and not counted: for bayesreg and PyMC 1 chain, 20 + 20
iterations on 200 rows (numba kernels, the PyTensor graph); for numpyro the same data and number of
chains, 20 + 20 iterations (JAX's JIT compiles for the shapes). Then the timed fit (the ``fit``
call; PyMC still rebuilds its model and compiles from its on-disk cache there, as it would on any
later call in a session; numpyro's ``MCMC.run`` on a new ``MCMC``). The numpyro model is the one
bayesreg's samplers see: X centred and divided by one number, rms_j sd(x_j), the prior's scales
multiplied by it (bayesreg's standardized units, :mod:`bayesreg._standardize`), a flat
(``ImproperUniform``) intercept, the coefficients centred for the Gaussian and Laplace priors and
non-centred for the horseshoe, as in bayesreg's PyMC model; its draws are mapped back to X's units.
Its log density at bayesreg's draws equals bayesreg's ``lp`` up to a constant (the log Jacobian of
the change of units) to 1e-13, on every case of the table. Efficiency: min bulk-ESS over intercept,
coefficients and the scale (when random) per second of the timed fit. Goals: bayesreg ≥ 10× PyMC and
≥ 1× numpyro in min-ESS/s, with every sampler's R-hat ≤ 1.01; the posteriors agree (max |mean
difference| / sd, against bayesreg's). numpyro and JAX are the ``bench`` extra (``pip install -e
.[bench]``), not a dependency.

(c) **n = 100,000, p = 50**: simulated logistic data (Gaussian design, 10 nonzero coefficients),
``fit(X, y, family="bernoulli")`` with the default prior (Laplace, default hyperprior) and
sampler, 4 chains; the draws are reported with the result.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import numpyro_nuts  # noqa: E402  (numpyro's NUTS, shared with sampling.py; bench/ is on sys.path)
from map_vs_sklearn import _median_times  # noqa: E402  (the interleaved timer)
from numpyro_nuts import NUMPYRO_CHAIN_METHOD  # noqa: E402

__all__ = ["main"]


# ---------------------------------------------------------------------------------------------
# data


def breast_cancer(scale: str):
    import bayesreg

    X, y = bayesreg.datasets.load_breast_cancer()
    if scale == "standardized":
        X = (X - X.mean()) / X.std(ddof=0)
    return X, y


def simulated(n: int, p: int, seed: int = 0, nonzero: int = 10):
    """Gaussian design, intercept -0.5, `nonzero` coefficients ±U(0.3, 1), y ~ Bernoulli(expit(η))."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    beta[:nonzero] = rng.choice([-1.0, 1.0], nonzero) * rng.uniform(0.3, 1.0, nonzero)
    eta = -0.5 + X @ beta
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(int)
    return X, y


# ---------------------------------------------------------------------------------------------
# (a) MAP


def _vector(intercept, coef) -> np.ndarray:
    return np.r_[float(np.ravel(intercept)[0]) if np.ndim(intercept) else float(intercept), np.ravel(coef)]


def _rel(a: np.ndarray, ref: np.ndarray) -> float:
    return float(np.max(np.abs(a - ref)) / np.max(np.abs(ref[1:])))


def map_rows(repeats: int, budget: float) -> list[dict]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    import bayesreg

    cases = [("standardized", "gaussian", C) for C in (0.01, 1.0, 100.0)]
    cases += [("natural", "gaussian", C) for C in (0.01, 1.0, 100.0)]
    cases += [("standardized", "laplace", C) for C in (0.01, 0.1, 0.3)]
    rows = []
    for scale, prior, C in cases:
        X, y = breast_cancer(scale)
        ratio = 0.0 if prior == "gaussian" else 1.0
        solver = "lbfgs" if prior == "gaussian" else "saga"

        def ours(X=X, y=y, prior=prior, C=C):
            return bayesreg.fit(X, y, prior, family="bernoulli", C=C, method="map").map

        def theirs(X=X, y=y, C=C, ratio=ratio, solver=solver):
            return LogisticRegression(C=C, l1_ratio=ratio, solver=solver, tol=1e-10,
                                      max_iter=1_000_000).fit(X, y)

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            sk = theirs()
        converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        est = ours()
        mine, sk_vec = _vector(est.intercept, est.coef), _vector(sk.intercept_, sk.coef_)
        if prior == "gaussian":
            ref = LogisticRegression(C=C, l1_ratio=0.0, solver="newton-cholesky", tol=1e-12,
                                     max_iter=1000).fit(X, y)
            ref_vec = _vector(ref.intercept_, ref.coef_)
            diff_ours, diff_sk = _rel(mine, ref_vec), _rel(sk_vec, ref_vec)
        else:  # no third exact solver: each against the other
            diff_ours = diff_sk = _rel(mine, sk_vec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t_ours, t_sk = _median_times([ours, theirs], repeats, budget)
        rows.append({"data": scale, "penalty": "L2" if prior == "gaussian" else "L1", "C": C,
                     "solver": solver, "nonzero": int(np.count_nonzero(est.coef)),
                     "ours": t_ours, "sklearn": t_sk, "ratio": t_ours / t_sk,
                     "diff_ours": diff_ours, "diff_sk": diff_sk,
                     "zeros": bool(np.array_equal(est.coef == 0, np.ravel(sk.coef_) == 0)),
                     "sk_iter": int(np.ravel(sk.n_iter_)[0]), "sk_converged": converged,
                     "kkt": float(est.kkt_violation)})
    return rows


def print_map(rows: list[dict]) -> None:
    print("== (a) MAP: bayesreg vs scikit-learn LogisticRegression(tol=1e-10), breast cancer 569 x 30 ==")
    header = (f"{'data':<13} {'pen':<3} {'C':>6} {'solver':<6} {'nz':>3} {'bayesreg':>10} {'sklearn':>10} "
              f"{'ratio':>6} {'rel diff br':>11} {'rel diff sk':>11} {'zeros':>5} {'sk iter':>8} "
              f"{'sk conv':>7} {'br KKT':>8}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['data']:<13} {r['penalty']:<3} {r['C']:>6g} {r['solver']:<6} {r['nonzero']:>3} "
              f"{r['ours'] * 1e3:>8.2f}ms {r['sklearn'] * 1e3:>8.2f}ms {r['ratio']:>6.2f} "
              f"{r['diff_ours']:>11.1e} {r['diff_sk']:>11.1e} {'same' if r['zeros'] else 'DIFF':>5} "
              f"{r['sk_iter']:>8d} {'yes' if r['sk_converged'] else 'NO':>7} {r['kkt']:>8.1e}")
    print("ratio = bayesreg / scikit-learn median time (goal <= 2). rel diff = max |difference| in "
          "(intercept, coef) / max |coef|: for L2 each against newton-cholesky at tol=1e-12 "
          "(br = bayesreg, sk = lbfgs), for L1 bayesreg against saga. br KKT: bayesreg's reported "
          "violation.")
    worst = max(r["ratio"] for r in rows)
    print(f"largest ratio: {worst:.2f} (goal <= 2: {'met' if worst <= 2 else 'NOT met'})")


# ---------------------------------------------------------------------------------------------
# (b), (c) posterior, one fresh process per measurement


CASES = {"breast_cancer": "standardized", "breast_cancer_raw": "natural"}


def load_case(case: str):
    """X, y of a named data set: ``breast_cancer`` (standardized), ``breast_cancer_raw`` (its
    natural units) or ``sim_N_P`` (:func:`simulated`)."""
    if case in CASES:
        return breast_cancer(CASES[case])
    _, n, p = case.split("_")
    return simulated(int(n), int(p))


def _summaries(arrays: dict, names: list[str]) -> dict:
    """min bulk-ESS, max R-hat, posterior means and sds of ``arrays`` (chain, draw, ...)."""
    import arviz as az

    idata = az.from_dict(posterior={v: arrays[v] for v in names})
    ess = az.ess(idata, method="bulk")
    rhat = az.rhat(idata)
    return {"min_bulk_ess": min(float(np.min(ess[v].values)) for v in names),
            "max_rhat": max(float(np.max(rhat[v].values)) for v in names),
            "means": {v: np.atleast_1d(arrays[v].mean(axis=(0, 1))).tolist() for v in names},
            "sds": {v: np.atleast_1d(arrays[v].std(axis=(0, 1))).tolist() for v in names}}


def worker(case: str, prior: str, C: float | None, sampler: str, draws: int, tune: int,
           chains: int) -> dict:
    if sampler.startswith("numpyro"):
        return numpyro_worker(case, prior, C, sampler.partition(":")[2] or NUMPYRO_CHAIN_METHOD,
                              draws, tune, chains)
    import bayesreg

    X, y = load_case(case)
    rows = 200 if case in CASES else 2000
    kwargs = dict(family="bernoulli", C=C, sampler=sampler, progressbar=False,
                  warn_convergence=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        bayesreg.fit(X[:rows], y[:rows], prior, draws=20, tune=20, chains=1, random_seed=0,
                     log_likelihood=False, **kwargs)
        warmup = time.perf_counter() - t0
        t0 = time.perf_counter()
        res = bayesreg.fit(X, y, prior, draws=draws, tune=tune, chains=chains, random_seed=1,
                           log_likelihood=False, **kwargs)
        seconds = time.perf_counter() - t0
    post = res.idata.posterior
    names = [v for v in ("intercept", "coef", "coef_scale") if v in post]
    arrays = {v: post[v].values for v in names}
    diag = res.diagnostics()
    return {"case": case, "prior": prior, "C": C, "sampler": res.sampler, "warmup_seconds": warmup,
            "seconds": seconds, "divergences": int(diag.attrs.get("divergences", 0) or 0),
            "draws": draws, "tune": tune, "chains": chains, **_summaries(arrays, names)}


def numpyro_worker(case: str, prior: str, C: float | None, method: str, draws: int, tune: int,
                   chains: int) -> dict:
    """The numpyro measurement: the prior bayesreg resolves for these data (``resolve_prior``),
    written in bayesreg's standardized units (:func:`numpyro_nuts.model`); an untimed 20 + 20 run
    (JIT), then the timed one (:func:`numpyro_nuts.timed_nuts`)."""
    numpyro_nuts.start(chains, method)  # before JAX starts its backend
    import jax.numpy as jnp

    from bayesreg.priors import resolve_prior

    X, y = load_case(case)
    X = np.asarray(X, dtype=float)
    y = np.unique(np.asarray(y), return_inverse=True)[1].astype(float)  # classes sorted: 0, 1
    resolved = resolve_prior(prior, X=X, y=y, C=C, likelihood="bernoulli")
    assert resolved.sigma == 1.0 and resolved.family == prior
    # bayesreg's standardized units: x̃ = (x − x̄)/c_x with one c_x = rms_j sd(x_j); a prior scale
    # (in coefficient units) becomes scale × c_x, and β = β̃/c_x, b0 = b̃0 − x̄'β
    units = numpyro_nuts.standardized_units(X)
    shift, cx = units["x_shift"], units["x_scale"]
    Xt, yt = jnp.asarray((X - shift) / cx), jnp.asarray(y)
    if resolved.scale_is_random:
        options = {"family": prior, "fixed_scale": None, "tau0": resolved.hyperprior.scale * cx}
    else:
        options = {"family": prior, "fixed_scale": resolved.scale * cx, "tau0": None}
    fit = numpyro_nuts.timed_nuts((Xt, yt), options, chains=chains, draws=draws, tune=tune,
                                  method=method)
    out = fit["samples"]
    coef = out["coef"] / cx
    arrays = {"intercept": out["intercept"] - coef @ shift, "coef": coef}
    if resolved.scale_is_random:
        arrays["coef_scale"] = out["coef_scale"] / cx
    return {"case": case, "prior": prior, "C": C, "sampler": "numpyro", "method": method,
            "warmup_seconds": fit["warmup_seconds"], "seconds": fit["seconds"],
            "divergences": fit["divergences"], "mean_steps": fit["mean_steps"],
            "draws": draws, "tune": tune, "chains": chains,
            **_summaries(arrays, list(arrays))}


def run(case, prior, C, sampler, draws=1000, tune=1000, chains=4) -> dict:
    cmd = [sys.executable, __file__, "--worker", case, prior, "none" if C is None else repr(C), sampler,
           str(draws), str(tune), str(chains)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
    if out.returncode != 0:
        lines = out.stderr.strip().splitlines() or [f"exit status {out.returncode}"]
        raise RuntimeError(f"worker {case} {prior} C={C} {sampler} failed: {lines[-1]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["ess_per_second"] = result["min_bulk_ess"] / result["seconds"]
    return result


def _gap(a: dict, b: dict) -> float:
    """max |mean_a − mean_b| / max(sd_a, sd_b) over the parameters both report."""
    gaps = []
    for v in a["means"]:
        if v not in b["means"]:
            continue
        ma, mb = np.array(a["means"][v]), np.array(b["means"][v])
        sa, sb = np.array(a["sds"][v]), np.array(b["sds"][v])
        gaps.append(float(np.max(np.abs(ma - mb) / np.maximum(sa, sb))))
    return max(gaps)


SAMPLERS = {"auto": "bayesreg", "pymc": "PyMC", "numpyro": "numpyro"}
for _method in ("parallel", "sequential", "vectorized"):
    SAMPLERS[f"numpyro:{_method}"] = f"np:{_method[:3]}"


def posterior_cases(data: str, priors: list[str]) -> list[tuple[str, str, float | None]]:
    """(case, prior, C) of (b): each data set × prior × (default hyperprior, C = 1; the horseshoe
    has no C)."""
    cases = {"standardized": ["breast_cancer"], "raw": ["breast_cancer_raw"],
             "both": ["breast_cancer", "breast_cancer_raw"]}[data]
    return [(case, prior, C) for case in cases for prior in priors
            for C in ((None,) if prior == "horseshoe" else (None, 1.0))]


def posterior_tables(quick: bool, data: str = "both",
                     priors: tuple[str, ...] = ("gaussian", "laplace", "horseshoe"),
                     samplers: tuple[str, ...] = ("auto", "pymc", "numpyro"),
                     json_path: str | None = None) -> list[dict]:
    draws = 300 if quick else 1000
    print(f"\n== (b) posterior on breast cancer (569 x 30), 4 chains x {draws} draws "
          f"(+{draws} tuning), fresh process each ==")
    header = (f"{'data':<12} {'prior':<9} {'C':>7} {'sampler':>8} {'warm-up s':>9} {'fit s':>8} "
              f"{'min ESS':>8} {'R-hat':>6} {'ESS/s':>8} {'div.':>5}")
    print(header)
    print("-" * len(header))
    results = []
    for case, prior, C in posterior_cases(data, list(priors)):
        rows = {}
        for sampler in samplers:
            try:
                rows[sampler] = run(case, prior, C, sampler, draws, draws)
                rows[sampler]["requested"] = sampler
            except RuntimeError as err:
                print(f"  {err}", flush=True)
        results.extend(rows.values())
        for sampler, r in rows.items():
            label = "default" if r["C"] is None else f"{r['C']:g}"
            data_label = CASES[case]
            print(f"{data_label:<12} {r['prior']:<9} {label:>7} {SAMPLERS[sampler]:>8} "
                  f"{r['warmup_seconds']:9.2f} {r['seconds']:8.2f} {r['min_bulk_ess']:8.0f} "
                  f"{r['max_rhat']:6.3f} {r['ess_per_second']:8.1f} {r['divergences']:5d}")
        ours = rows.get("auto")
        if ours is not None:
            parts = []
            for sampler in ("pymc", "numpyro"):
                if sampler in rows:
                    ratio = ours["ess_per_second"] / rows[sampler]["ess_per_second"]
                    rows[sampler]["ratio"] = ratio
                    rows[sampler]["gap"] = _gap(ours, rows[sampler])
                    parts.append(f"bayesreg / {SAMPLERS[sampler]} {ratio:.2f}x "
                                 f"(max |mean diff| / sd {rows[sampler]['gap']:.3f})")
            print(f"{'':12} min-ESS/s ratio: " + "; ".join(parts), flush=True)
        if json_path:
            with open(json_path, "w") as fh:
                json.dump(results, fh, indent=1)
    for sampler, goal in (("pymc", 10.0), ("numpyro", 1.0)):
        ratios = [r["ratio"] for r in results if r["requested"] == sampler and "ratio" in r]
        if ratios:
            print(f"smallest ratio bayesreg / {SAMPLERS[sampler]}: {min(ratios):.2f}x (goal >= {goal:g}x: "
                  f"{'met' if min(ratios) >= goal else 'NOT met'})")
    for sampler in samplers:
        rhats = [r["max_rhat"] for r in results if r["requested"] == sampler]
        if rhats:
            print(f"largest R-hat, {SAMPLERS[sampler]}: {max(rhats):.3f} (goal <= 1.01: "
                  f"{'met' if max(rhats) <= 1.01 else 'NOT met'})")
    print("warm-up s: the first (small) fit in the fresh process, i.e. loading numba kernels / "
          "compiling the PyTensor model / JAX's JIT; not counted. fit s: the timed fit call. "
          f"numpyro: chain_method={NUMPYRO_CHAIN_METHOD!r}, float64. Ratios: bayesreg's min-ESS/s "
          "over the other's; max |mean diff| / sd against bayesreg's posterior.")
    return results


def large_table(quick: bool) -> None:
    draws = 200 if quick else 500
    print(f"\n== (c) simulated logistic data n = 100,000, p = 50 (10 nonzero), default prior and "
          f"sampler, 4 chains x {draws} draws (+{draws} burn-in) ==")
    r = run("sim_100000_50", "laplace", None, "auto", draws, draws)
    print(f"sampler {r['sampler']}: warm-up {r['warmup_seconds']:.1f} s (not counted), fit "
          f"{r['seconds']:.1f} s, min bulk-ESS {r['min_bulk_ess']:.0f} of {4 * draws} draws, "
          f"max R-hat {r['max_rhat']:.3f}, min ESS/s {r['ess_per_second']:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=7, help=argparse.SUPPRESS)
    parser.add_argument("--part", choices=("all", "map", "sample", "posterior", "large"), default="all",
                        help="sample = posterior (b) and large (c)")
    parser.add_argument("--quick", action="store_true", help="fewer draws for (b) and (c)")
    parser.add_argument("--repeats", type=int, default=21, help="timed rounds per MAP entry")
    parser.add_argument("--budget", type=float, default=5.0,
                        help="stop repeating a MAP entry after this many seconds (at least 3 rounds)")
    parser.add_argument("--data", choices=("both", "standardized", "raw"), default="both",
                        help="(b): breast cancer standardized, in its natural units, or both")
    parser.add_argument("--priors", nargs="+", default=["gaussian", "laplace", "horseshoe"],
                        choices=("gaussian", "laplace", "horseshoe"), help="(b): the priors")
    parser.add_argument("--samplers", nargs="+", default=["auto", "pymc", "numpyro"],
                        choices=sorted(SAMPLERS),
                        help="(b): auto = bayesreg's default; numpyro:METHOD to try a chain_method")
    parser.add_argument("--json", help="(b): also write the measurements to this JSON file")
    args = parser.parse_args(argv)
    if args.worker:
        case, prior, C, sampler, draws, tune, chains = args.worker
        print(json.dumps(worker(case, prior, None if C == "none" else float(C), sampler, int(draws),
                                int(tune), int(chains))))
        return 0
    if args.part in ("all", "map"):
        import bayesreg

        X, y = breast_cancer("standardized")  # load the compiled kernels outside the timings
        for prior in ("gaussian", "laplace"):
            bayesreg.fit(X, y, prior, family="bernoulli", C=0.1, method="map")
        print_map(map_rows(args.repeats, args.budget))
    if args.part in ("all", "sample", "posterior"):
        posterior_tables(args.quick, args.data, tuple(args.priors), tuple(args.samplers), args.json)
    if args.part in ("all", "sample", "large"):
        large_table(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
