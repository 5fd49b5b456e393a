"""Time bayesreg's exact MAP against scikit-learn's Lasso, Ridge and lasso_path.

Run ``python bench/map_vs_sklearn.py`` (under a minute). For each data set and penalty it prints
the median wall time of bayesreg and of scikit-learn (calls interleaved, so background load hits
both alike), at sklearn's default ``tol`` and at ``tol=1e-12`` (bayesreg's answer is exact, so
the tight tolerance is the like-for-like comparison), and the ratio bayesreg / sklearn (below 1
means bayesreg is faster). It also checks
that both give the same answer: the largest relative coefficient difference against the
``tol=1e-12`` fit and whether the exact zeros agree.

Data: the diabetes data (442 x 10); Gaussian designs 2,000 x 200 and 200 x 1,000 with ten
nonzero coefficients. Lasso penalties are fractions of ``alpha_max`` (the smallest penalty with
all coefficients zero): 0.1, 0.01 and 0.001 — the small ones give large supports and are the
hard cases. Ridge uses ``alpha=1``.

BLAS runs on one thread for both libraries by default (``--blas-threads``): bayesreg uses one
thread for problems of this size anyway, and on a shared machine multi-threaded BLAS makes
small factorisations hundreds of times slower, which would turn the comparison into noise.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, Ridge, lasso_path
from threadpoolctl import threadpool_limits

import bayesreg

__all__ = ["main"]


def _median_times(funcs, repeats: int, budget: float) -> list[float]:
    """Median wall time of each function, calling them in turn (``repeats`` rounds, fewer if
    the rounds exceed ``budget`` seconds, at least 3).

    Interleaving the calls exposes all of them to the same background load, so the ratios stay
    meaningful on a shared machine even when the absolute times drift.
    """
    times = [[] for _ in funcs]
    start = time.perf_counter()
    for round_ in range(repeats):
        for func, spent in zip(funcs, times, strict=True):
            t0 = time.perf_counter()
            func()
            spent.append(time.perf_counter() - t0)
        if round_ >= 2 and time.perf_counter() - start > budget:
            break
    return [statistics.median(spent) for spent in times]


def _gaussian_design(n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    coef = np.zeros(p)
    coef[:10] = rng.normal(0.0, 3.0, 10)
    return X, X @ coef + rng.standard_normal(n)


def _data_sets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    X, y = bayesreg.datasets.load_diabetes()
    return {
        "diabetes 442x10": (X.to_numpy(), y.to_numpy()),
        "gaussian 2000x200": _gaussian_design(2000, 200, seed=0),
        "gaussian 200x1000": _gaussian_design(200, 1000, seed=1),
    }


def _alpha_max(X: np.ndarray, y: np.ndarray) -> float:
    return float(np.max(np.abs((X - X.mean(axis=0)).T @ (y - y.mean()))) / len(y))


def _warm_up() -> None:
    """Compile/load the numba kernels and the thread controller outside the timings."""
    rng = np.random.default_rng(0)
    for shape in ((30, 5), (5, 30)):
        X = rng.standard_normal(shape)
        bayesreg.map_estimate(X, X[:, 0] + rng.standard_normal(shape[0]), "laplace", alpha=0.01)


def _compare(ours, reference) -> tuple[float, bool]:
    diff = float(np.max(np.abs(ours - reference)) / max(1.0, np.max(np.abs(reference))))
    return diff, bool(np.array_equal(ours == 0, reference == 0))


def _lasso_rows(name, X, y, repeats, budget, exact) -> list[dict]:
    rows = []
    top = _alpha_max(X, y)
    for fraction in (0.1, 0.01, 0.001):
        alpha = fraction * top
        est = bayesreg.map_estimate(X, y, "laplace", alpha=alpha)
        diff, zeros = _compare(est.coef, Lasso(alpha=alpha, **exact).fit(X, y).coef_)
        ours, sk_default, sk_exact = _median_times([
            lambda a=alpha: bayesreg.map_estimate(X, y, "laplace", alpha=a),
            lambda a=alpha: Lasso(alpha=a).fit(X, y),
            lambda a=alpha: Lasso(alpha=a, **exact).fit(X, y),
        ], repeats, budget)
        rows.append(dict(
            data=name, model=f"Lasso a={fraction:g}*amax", nonzero=int(np.count_nonzero(est.coef)),
            ours=ours, sk_default=sk_default, sk_exact=sk_exact, diff=diff, zeros=zeros,
        ))
    return rows


def _ridge_row(name, X, y, repeats, budget) -> dict:
    est = bayesreg.map_estimate(X, y, "gaussian", alpha=1.0)
    diff, _ = _compare(est.coef, Ridge(alpha=1.0).fit(X, y).coef_)
    ours, ridge_time = _median_times([
        lambda: bayesreg.map_estimate(X, y, "gaussian", alpha=1.0),
        lambda: Ridge(alpha=1.0).fit(X, y),
    ], repeats, budget)
    return dict(
        data=name, model="Ridge a=1", nonzero=int(np.count_nonzero(est.coef)), ours=ours,
        sk_default=ridge_time, sk_exact=ridge_time, diff=diff, zeros=True,
    )


def _path_row(name, X, y, repeats, budget, exact) -> dict:
    """A whole path: 100 alphas from alpha_max down to 1e-3 alpha_max, warm-started."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    path = bayesreg.map_path(X, y, "laplace")
    _, coefs, _ = lasso_path(Xc, yc, alphas=100, **exact)
    diffs = [_compare(a, b) for a, b in zip(path.coef, coefs.T, strict=True)]
    ours, sk_default, sk_exact = _median_times([
        lambda: bayesreg.map_path(X, y, "laplace"),
        lambda: lasso_path(Xc, yc, alphas=100),
        lambda: lasso_path(Xc, yc, alphas=100, **exact),
    ], repeats, budget)
    return dict(
        data=name, model="lasso_path 100 alphas", nonzero=-1, ours=ours, sk_default=sk_default,
        sk_exact=sk_exact, diff=max(d for d, _ in diffs), zeros=all(z for _, z in diffs),
    )


def run(repeats: int, budget: float) -> list[dict]:
    rows = []
    exact = dict(tol=1e-12, max_iter=1_000_000)
    for name, (X, y) in _data_sets().items():
        rows += _lasso_rows(name, X, y, repeats, budget, exact)
        rows.append(_ridge_row(name, X, y, repeats, budget))
        if X.shape[1] <= X.shape[0]:
            rows.append(_path_row(name, X, y, repeats, budget, exact))
    return rows


def _print(rows: list[dict]) -> None:
    header = (f"{'data':<18} {'model':<22} {'nz':>4} {'bayesreg':>10} {'sk tol=def':>10} "
              f"{'ratio':>6} {'sk 1e-12':>10} {'ratio':>6} {'max rel diff':>12} {'zeros':>5}")
    print(header)
    print("-" * len(header))
    for r in rows:
        nz = "" if r["nonzero"] < 0 else str(r["nonzero"])
        print(f"{r['data']:<18} {r['model']:<22} {nz:>4} {r['ours'] * 1e3:>8.2f}ms "
              f"{r['sk_default'] * 1e3:>8.2f}ms {r['ours'] / r['sk_default']:>6.2f} "
              f"{r['sk_exact'] * 1e3:>8.2f}ms {r['ours'] / r['sk_exact']:>6.2f} "
              f"{r['diff']:>12.1e} {'same' if r['zeros'] else 'DIFF':>5}")
    print("ratio = bayesreg time / scikit-learn time (median of repeats); nz = nonzero "
          "coefficients; 'max rel diff' and 'zeros' compare with sklearn at tol=1e-12")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21, help="timed rounds per entry (median)")
    parser.add_argument("--budget", type=float, default=4.0,
                        help="stop repeating an entry after this many seconds (at least 3 rounds)")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS threads for both libraries (0: leave the default)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", ConvergenceWarning)
    _warm_up()
    if args.blas_threads > 0:
        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            rows = run(args.repeats, args.budget)
    else:
        rows = run(args.repeats, args.budget)
    _print(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
