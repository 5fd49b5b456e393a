"""ArviZ/matplotlib figures contrasting how priors shrink coefficients.

Every function takes ``ax=`` (or ``axes=``), returns the axes and never calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["plot_shrinkage"]

_MAP_NAMES = {"gaussian": "Ridge", "laplace": "Lasso", "elasticnet": "ElasticNet"}


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def plot_shrinkage(comparison, *, hdi_prob: float = 0.94, ax=None, show_ols: bool = True,
                   show_map: bool = True):
    """Forest plot: every coefficient under each prior side by side, with OLS and MAP markers.

    For each prior: posterior median (dot) and ``hdi_prob`` HDI (bar); its MAP, which equals
    scikit-learn's Ridge/Lasso at the matched alpha (open diamond); and the OLS estimate (black x).

    Parameters
    ----------
    comparison : PriorComparison
    hdi_prob : float
    ax : matplotlib Axes, optional
    show_ols, show_map : bool

    Returns
    -------
    matplotlib Axes
    """
    plt = _pyplot()
    table = comparison.summary(hdi_prob=hdi_prob)
    features = list(comparison.feature_names)
    priors = list(comparison.results)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * len(features) * max(len(priors), 2) / 2 + 1.5))
    base = np.arange(len(features))[::-1].astype(float)
    width = 0.6 / max(len(priors), 1)
    offsets = (np.arange(len(priors)) - (len(priors) - 1) / 2) * width
    for k, prior in enumerate(priors):
        rows = table.loc[prior].loc[features]
        color = f"C{k}"
        y = base - offsets[k]
        ax.hlines(y, rows["hdi_low"], rows["hdi_high"], color=color, lw=2.2,
                  label=f"{prior}: median, {hdi_prob:.0%} HDI")
        ax.plot(rows["median"], y, "o", color=color, ms=5)
        if show_map:
            family = comparison.results[prior].map.family
            ax.plot(rows["map"], y, "D", mfc="white", mec=color, mew=1.5, ms=6,
                    label=f"{prior} MAP (= {_MAP_NAMES[family]}, α={rows['alpha'].iloc[0]:.3g})")
    if show_ols:
        ax.plot(comparison.ols_coef, base, "x", color="black", ms=7, mew=1.8, label="OLS")
    ax.axvline(0.0, color="0.5", lw=0.8, ls=":")
    ax.set_yticks(base)
    ax.set_yticklabels(features)
    ax.set_ylim(-0.7, len(features) - 0.3)
    ax.set_xlabel("coefficient")
    ax.set_title("Shrinkage of each coefficient by prior")
    ax.legend(loc="best", fontsize="small", framealpha=0.9)
    return ax
