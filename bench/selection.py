"""Variable selection benchmark (issue 14): speed of the projection search, and what it selects.

Usage::

    python bench/selection.py              # everything (about ten minutes on 2 cores)
    python bench/selection.py --part time  # only the timings
    python bench/selection.py --part rates --seeds 5

Three parts:

* ``time`` — ``FitResult.select(method="projection", max_size=p)``: the forward search over *all*
  p sizes with the PSIS-LOO elpd of every size, n = 200, 1,000 posterior draws (1 chain × 1,000
  after 1,000 burn-in, horseshoe prior, Gibbs sampler), p = 100 and p = 1,000 (goals: ≤ 10 s and
  ≤ 60 s). The fit is not timed; the selection is timed twice (first call, then again).
* ``rates`` — simulated sparse designs with known support: n = 200, p = 100, predictors with
  AR(1) correlation 0.5 (standardized), 8 signals of varied size (±3, ±2, ±1.5, ±1, 0.75, 0.5,
  0.35, 0.25 at noise sd 1, at random positions), several seeds. Per method: how many of the 4
  strong signals (|β| ≥ 1) and of all 8 are selected, how many false ones, the size. Methods:
  the projection's suggested set (horseshoe reference, rule one_se), the 95% interval rule and SAVS
  on the same posterior, and scikit-learn's ``LassoCV`` (5-fold) non-zeros.
* ``diabetes`` — the diabetes data at natural scale (``load_diabetes(scaled=False)``): the
  projection's order of entry and suggested set next to the order in which variables enter the
  Lasso path (``lars_path(method="lasso")``) and LassoCV's set.

Results are printed; ``bench/results/selection.txt`` holds a run on this machine.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore", message="ArviZ is undergoing", category=FutureWarning)

import bayesreg  # noqa: E402
from bayesreg.exceptions import BayesregWarning  # noqa: E402

SIGNALS = np.array([3.0, -2.0, 1.5, -1.0, 0.75, -0.5, 0.35, -0.25])
STRONG = np.abs(SIGNALS) >= 1.0


def simulate(seed: int, n: int = 200, p: int = 100, rho: float = 0.5):
    """AR(1)-correlated standardized predictors, 8 signals at random positions, noise sd 1."""
    rng = np.random.default_rng(seed)
    X = np.empty((n, p))
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    support = rng.choice(p, size=SIGNALS.size, replace=False)
    beta = np.zeros(p)
    beta[support] = SIGNALS
    y = X @ beta + rng.standard_normal(n)
    return X, y, support


def fit_horseshoe(X, y, seed: int, draws: int = 1000, chains: int = 1):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        return bayesreg.fit(X, y, "horseshoe", draws=draws, tune=1000, chains=chains,
                            random_seed=seed, progressbar=False, warn_convergence=False)


def part_time() -> None:
    print("== projection forward search over all p sizes, n = 200, 1000 draws ==")
    print(f"{'p':>6} {'fit s':>8} {'select s (1st)':>15} {'select s (2nd)':>15} {'goal s':>7} "
          f"{'suggested':>10} {'strong found':>13}")
    for p, goal in ((100, 10.0), (1000, 60.0)):
        X, y, support = simulate(1, n=200, p=p)
        start = time.perf_counter()
        result = fit_horseshoe(X, y, seed=1)
        fitted = time.perf_counter() - start
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", BayesregWarning)
                selection = result.select(X=X, max_size=p)
            timings.append(time.perf_counter() - start)
        assert len(selection.path) == p + 1
        chosen = {int(v[1:]) for v in selection.variables}
        strong = sum(int(j) in chosen for j in support[STRONG])
        print(f"{p:>6} {fitted:>8.1f} {timings[0]:>15.2f} {timings[1]:>15.2f} {goal:>7.0f} "
              f"{selection.suggested_size:>10} {strong:>11}/{STRONG.sum()}")


def part_rates(seeds: int) -> None:
    from sklearn.linear_model import LassoCV

    print(f"\n== selection on simulated sparse designs: n = 200, p = 100, AR(1) 0.5, 8 signals "
          f"(4 strong |b| >= 1), {seeds} seeds ==")
    methods = ("projection", "interval 95%", "savs", "LassoCV")
    counts = {m: [] for m in methods}
    for seed in range(seeds):
        X, y, support = simulate(100 + seed)
        result = fit_horseshoe(X, y, seed=seed, draws=1000, chains=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BayesregWarning)
            sets = {
                "projection": result.select(X=X, max_size=30).variables,
                "interval 95%": result.select("interval").variables,
                "savs": result.select("savs").variables,
            }
        lasso = LassoCV(cv=5, random_state=seed).fit(X, y)
        sets["LassoCV"] = tuple(f"x{j}" for j in np.flatnonzero(lasso.coef_))
        for name, chosen in sets.items():
            idx = {int(v[1:]) for v in chosen}
            strong = sum(int(j) in idx for j in support[STRONG])
            found = sum(int(j) in idx for j in support)
            counts[name].append((strong, found, len(idx) - found, len(idx)))
    print(f"{'method':>14} {'strong found':>13} {'signals found':>14} {'false':>7} "
          f"{'size':>6}   (means over seeds; [min, max])")
    for name in methods:
        arr = np.array(counts[name], dtype=float)
        cells = [f"{m:.2f} [{lo:.0f},{hi:.0f}]" for m, lo, hi in
                 zip(arr.mean(axis=0), arr.min(axis=0), arr.max(axis=0), strict=True)]
        print(f"{name:>14} {cells[0] + ' /4':>13} {cells[1] + ' /8':>14} {cells[2]:>7} "
              f"{cells[3]:>6}")


def part_diabetes() -> None:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LassoCV, lars_path

    X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
    print("\n== diabetes at natural scale (442 x 10): projection order vs the Lasso path ==")
    result = fit_horseshoe(X, y, seed=7, draws=1000, chains=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        selection = result.select(X=X)
    _, _, coefs = lars_path(((X - X.mean()) / X.std()).to_numpy(), (y - y.mean()).to_numpy(),
                            method="lasso")
    first = [int(np.flatnonzero(coefs[j] != 0)[0]) for j in range(X.shape[1])]
    lasso_order = [X.columns[j] for j in np.argsort(first, kind="stable")]
    cv = LassoCV(cv=10, random_state=0).fit((X - X.mean()) / X.std(), y)
    print("projection order of entry:", ", ".join(selection.path["variable"].iloc[1:]))
    print("Lasso path order of entry: ", ", ".join(lasso_order))
    print(f"projection suggests ({selection.suggested_size}):", ", ".join(selection.variables))
    print("LassoCV (10-fold) keeps:", ", ".join(c for c, b in zip(X.columns, cv.coef_,
                                                                   strict=True) if b != 0))
    print(selection.path.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("time", "rates", "diabetes", "all"), default="all")
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    if args.part in ("time", "all"):
        part_time()
    if args.part in ("rates", "all"):
        part_rates(args.seeds)
    if args.part in ("diabetes", "all"):
        part_diabetes()


if __name__ == "__main__":
    main()
