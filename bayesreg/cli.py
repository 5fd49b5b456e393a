"""Command line: ``bayesreg demo`` and ``bayesreg compare``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

__all__ = ["main"]


def _demo(args) -> int:
    import numpy as np

    from . import datasets
    from .compare import compare_priors

    start = time.perf_counter()
    X, y = datasets.load_diabetes()
    comparison = compare_priors(X, y, ("gaussian", "laplace"), draws=args.draws, tune=args.draws,
                                chains=4, random_seed=args.seed, progressbar=False)
    table = comparison.summary()
    g, lap = table.loc["gaussian"], table.loc["laplace"]
    a_g = comparison["gaussian"].map.alpha
    a_l = comparison["laplace"].map.alpha
    print("bayesreg demo — diabetes data (442 x 10), Gaussian vs Laplace prior, "
          "scales and sigma unknown (default hyperpriors)")
    print(f"samplers: gaussian={comparison['gaussian'].sampler}, laplace={comparison['laplace'].sampler}; "
          f"MAP penalties at the posterior-median scale: Ridge alpha={a_g:.4g}, Lasso alpha={a_l:.4g}\n")
    header = (f"{'feature':>8} {'OLS':>8} {'Ridge':>8} {'MAP(G)':>8} {'Lasso':>8} {'MAP(L)':>8} "
              f"{'median(G) [94% HDI]':>26} {'median(L) [94% HDI]':>26}")
    print(header)
    print("-" * len(header))
    for feat in comparison.feature_names:
        rg, rl = g.loc[feat], lap.loc[feat]
        hg = f"{rg['median']:.1f} [{rg['hdi_low']:.0f}, {rg['hdi_high']:.0f}]"
        hl = f"{rl['median']:.1f} [{rl['hdi_low']:.0f}, {rl['hdi_high']:.0f}]"
        print(f"{feat:>8} {rg['ols']:8.1f} {rg['sklearn']:8.1f} {rg['map']:8.1f} {rl['sklearn']:8.1f} "
              f"{rl['map']:8.1f} {hg:>26} {hl:>26}")
    max_diff = max(float(np.max(np.abs(t["map"] - t["sklearn"]))) for t in (g, lap))
    zeros = [f for f in comparison.feature_names if lap.loc[f, "map"] == 0.0]
    print(f"\nmax |MAP - sklearn| = {max_diff:.2e}; Lasso/Laplace-MAP exact zeros: {zeros or 'none'}")
    print("Laplace posterior medians of those coefficients: "
          + ", ".join(f"{f}={lap.loc[f, 'median']:.2f}" for f in zeros) if zeros else "")
    out = args.out or os.path.join(tempfile.gettempdir(), "bayesreg-demo.png")
    _demo_figure(comparison, out)
    print(f"figure written to {out}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def _demo_figure(comparison, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import plot_shrinkage

    ax = plot_shrinkage(comparison)
    fig = ax.figure if hasattr(ax, "figure") else ax.ravel()[0].figure
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bayesreg",
        description="Regularized regression as Bayesian inference: Ridge = Gaussian-prior MAP, "
                    "Lasso = Laplace-prior MAP.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="fit Gaussian and Laplace priors on the diabetes data",
                          description="Fit Gaussian and Laplace priors on the diabetes data, print OLS, "
                                      "Ridge, Lasso, the MAPs and posterior medians with 94%% HDIs, and "
                                      "write a comparison figure.")
    demo.add_argument("--out", help="PNG path for the figure (default: a file in the temp directory)")
    demo.add_argument("--draws", type=int, default=1000, help="draws (and burn-in) per chain (default 1000)")
    demo.add_argument("--seed", type=int, default=2008, help="random seed (default 2008)")
    demo.set_defaults(func=_demo)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``bayesreg`` console script; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
