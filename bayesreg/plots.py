r"""ArviZ/matplotlib figures contrasting how Gaussian and Laplace priors shrink coefficients.

* :func:`plot_shrinkage` — forest plot of every coefficient under each prior, with OLS and MAP
  (= Ridge/Lasso) markers (``az.plot_forest``);
* :func:`plot_posteriors` — posterior densities per coefficient, priors overlaid, MAP marked
  (``az.plot_density``);
* :func:`plot_prior_posterior` — prior density against posterior for each coefficient of one fit
  (``az.plot_posterior``);
* :func:`plot_regularization_path` — the MAP path (= ``lasso_path`` / Ridge path) beside the
  Bayesian path (posterior median and credible band) on the same penalty axis;
* :func:`plot_penalty_geometry` and :func:`plot_penalty_gradients` — why the L1 penalty sets
  coefficients exactly to zero and the L2 penalty does not.

Every function takes ``ax=`` (or ``axes=``), returns the axes and never calls ``plt.show()``.
When it creates the figure itself it uses matplotlib's constrained layout and puts legends outside
the data area.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Sequence

import numpy as np

from ._backend import import_arviz

__all__ = [
    "plot_penalty_geometry",
    "plot_penalty_gradients",
    "plot_posteriors",
    "plot_prior_posterior",
    "plot_regularization_path",
    "plot_shrinkage",
]

_MAP_NAMES = {"gaussian": "Ridge", "laplace": "Lasso", "elasticnet": "ElasticNet"}
_FAMILY_NAMES = {"gaussian": "Gaussian", "laplace": "Laplace", "elasticnet": "elastic-net"}


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


@contextlib.contextmanager
def _quiet_arviz():
    """Silence the MatplotlibDeprecationWarning ArviZ 0.x triggers inside matplotlib >= 3.11."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Passing a dict or None as alias_mapping")
        yield


def _prior_colors(names: Sequence[str]) -> dict[str, str]:
    return {name: f"C{k % 10}" for k, name in enumerate(names)}


def _check_features(features, available: Sequence[str]) -> list[str]:
    if features is None:
        return list(available)
    if isinstance(features, str):
        features = [features]
    features = list(features)
    unknown = [f for f in features if f not in available]
    if unknown or not features:
        raise ValueError(f"features must be a non-empty subset of {list(available)}; "
                         f"got unknown {unknown}")
    return features


def _default_ncols(n_panels: int) -> int:
    """5, 4 or 3 columns, whichever leaves the fewest empty cells (wider on ties)."""
    if n_panels <= 5:
        return n_panels
    return min((5, 4, 3), key=lambda c: (-n_panels % c, -c))


def _grid_axes(n_panels: int, axes, ncols: int | None, panel_size=(3.0, 2.4),
               extra_height=0.9):
    """Return (figure, flat list of n_panels axes, created) — new axes unless ``axes`` is given."""
    plt = _pyplot()
    if axes is not None:
        flat = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(flat) < n_panels:
            raise ValueError(f"axes must hold at least {n_panels} Axes; got {len(flat)}")
        return flat[0].figure, flat[:n_panels], False
    ncols = _default_ncols(n_panels) if ncols is None else ncols
    ncols = max(1, min(ncols, n_panels))
    nrows = math.ceil(n_panels / ncols)
    fig, grid = plt.subplots(nrows, ncols, squeeze=False, layout="constrained",
                             figsize=(panel_size[0] * ncols, panel_size[1] * nrows + extra_height))
    flat = list(grid.ravel())
    for ax in flat[n_panels:]:
        ax.set_axis_off()
    return fig, flat[:n_panels], True


def _legend_below(fig, axes_list, handles, labels, created: bool, ncol: int):
    """Figure legend under the panels (constrained layout), else a legend in the first axes."""
    if created:
        ncol = max(1, min(ncol, int(fig.get_figwidth() / 2.6)))  # entries are ~2.5 in wide
        return fig.legend(handles, labels, loc="outside lower center", ncol=ncol,
                          fontsize="small", frameon=False)
    return axes_list[0].legend(handles, labels, fontsize="x-small", loc="best")


def _as_axes_array(axes_list):
    out = np.empty(len(axes_list), dtype=object)
    out[:] = axes_list
    return out


# ---------------------------------------------------------------------------------------------
# comparison of priors


def _forest_rows(ax, priors: list[str], colors: dict[str, str], features: list[str],
                 existing=frozenset()):
    """y position of every (prior, feature) row drawn by ``az.plot_forest``.

    ``az.plot_forest`` draws one median marker per row, top to bottom in feature order; the markers
    of one feature sit together, told apart by the model colour. ``existing`` are lines that were
    in ``ax`` before.
    """
    from matplotlib.colors import to_rgba

    rgba = {to_rgba(c): name for name, c in colors.items()}
    markers = [line for line in ax.lines if line not in existing
               and line.get_marker() == "o" and len(line.get_ydata()) == 1]
    markers.sort(key=lambda line: -float(line.get_ydata()[0]))
    if len(markers) != len(priors) * len(features):
        raise RuntimeError("unexpected az.plot_forest layout: "
                           f"{len(markers)} median markers for {len(priors)}×{len(features)} rows")
    rows = {}
    for i, feat in enumerate(features):
        for line in markers[i * len(priors):(i + 1) * len(priors)]:
            rows[(rgba[to_rgba(line.get_color())], feat)] = float(line.get_ydata()[0])
    return rows


def plot_shrinkage(comparison, *, hdi_prob: float = 0.94, ax=None, show_ols: bool = True,
                   show_map: bool = True):
    """Forest plot: every coefficient under each prior side by side, with OLS and MAP markers.

    Built on ``az.plot_forest(..., combined=True)``: per prior and coefficient, the posterior
    median (open circle), the interquartile range (thick bar) and the ``hdi_prob`` HDI (thin bar).
    On top: the prior's MAP (large hollow diamond), which equals scikit-learn's Ridge/Lasso at the
    matched ``alpha`` — a Lasso MAP that is exactly zero is filled black — and the OLS estimate
    (black ×, one per coefficient). A Laplace prior leaves the large effects near OLS and pulls the
    weak ones towards zero; its MAP zeros are not zeros of the posterior.

    Parameters
    ----------
    comparison : PriorComparison
        From :func:`bayesreg.compare_priors`.
    hdi_prob : float
        Probability of the HDI bar.
    ax : matplotlib Axes, optional
        Drawn into; a new figure otherwise.
    show_ols, show_map : bool
        Draw the OLS and MAP markers.

    Returns
    -------
    matplotlib Axes
        The legend sits to the right, outside the axes.
    """
    from matplotlib.lines import Line2D

    az = import_arviz()
    plt = _pyplot()
    table = comparison.summary(hdi_prob=hdi_prob)
    features = list(comparison.feature_names)
    priors = list(comparison.results)
    colors = _prior_colors(priors)
    if ax is None:
        height = 0.42 * len(features) * max(len(priors), 2) / 2 + 1.6
        _, ax = plt.subplots(figsize=(9.5, max(height, 3.0)), layout="constrained")
    existing = frozenset(ax.lines)
    with _quiet_arviz():
        az.plot_forest([comparison.results[name].idata for name in priors], model_names=priors,
                       var_names=["coef"], combined=True, hdi_prob=hdi_prob, quartiles=True,
                       colors=[colors[name] for name in priors], legend=False, ax=ax)
    rows = _forest_rows(ax, priors, colors, features, existing)
    centres = [float(np.mean([rows[(name, f)] for name in priors])) for f in features]
    ax.set_yticks(centres)
    ax.set_yticklabels(features)
    ax.tick_params(labelsize=10)
    handles, labels = [], []
    for name in priors:
        handles.append(Line2D([], [], color=colors[name], lw=2, marker="o", mfc="white", ms=5))
        labels.append(f"{name}: posterior median, 50% & {hdi_prob:.0%} HDI")
    if show_map:
        for name in priors:
            est = comparison.results[name].map
            y_rows = [rows[(name, f)] for f in features]
            coef = table.loc[name].loc[features, "map"].to_numpy()
            zero = coef == 0.0
            ax.plot(coef[~zero], np.asarray(y_rows)[~zero], "D", mfc="none", mec=colors[name],
                    mew=1.6, ms=9, zorder=4)
            if zero.any():
                ax.plot(coef[zero], np.asarray(y_rows)[zero], "D", mfc="black",
                        mec=colors[name], mew=1.6, ms=7, zorder=4)
            handles.append(Line2D([], [], ls="none", marker="D", mfc="none", mec=colors[name],
                                  mew=1.6, ms=8))
            labels.append(f"{name} MAP = {_MAP_NAMES[est.family]}(α={est.alpha:.3g})")
        if any((comparison.results[name].map.coef == 0.0).any() for name in priors):
            handles.append(Line2D([], [], ls="none", marker="D", mfc="black", mec="0.3", ms=7))
            labels.append("MAP exactly 0 (posterior is not)")
    if show_ols:
        ax.plot(comparison.ols_coef, centres, "x", color="black", ms=8, mew=2, zorder=3)
        handles.append(Line2D([], [], ls="none", marker="x", color="black", ms=8, mew=2))
        labels.append("OLS (no shrinkage)")
    ax.axvline(0.0, color="0.35", lw=0.9, ls=":", zorder=1)
    ax.set_xlabel("coefficient")
    ax.set_title(f"Shrinkage of each coefficient by prior ({hdi_prob:.0%} HDI)")
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
              borderaxespad=0.0, frameon=False)
    return ax


def plot_posteriors(comparison, features=None, *, axes=None, show_map: bool = True,
                    show_ols: bool = True, ncols: int | None = None):
    """Posterior density of each coefficient, the priors overlaid, the MAP marked.

    Built on ``az.plot_density`` (full kernel density estimate, ``hdi_prob=1``; the dot on the
    baseline is the posterior median). Dashed vertical lines mark each prior's MAP
    (= Ridge/Lasso at the matched ``alpha``), the dotted black line OLS. Typically a Laplace
    posterior is more peaked near zero for weak effects and less shrunk for strong ones than a
    Gaussian one, and its MAP sits at exactly 0 where the posterior still spreads on both sides.

    Parameters
    ----------
    comparison : PriorComparison
    features : str or sequence of str, optional
        Coefficients to show (default: all).
    axes : array-like of matplotlib Axes, optional
        At least one per feature; a new grid of ``ncols`` columns otherwise.
    show_map, show_ols : bool
    ncols : int, optional
        Columns of the new grid (default: 3 to 5, filling the rows).

    Returns
    -------
    ndarray of matplotlib Axes
        One per feature.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    az = import_arviz()
    features = _check_features(features, comparison.feature_names)
    priors = list(comparison.results)
    colors = _prior_colors(priors)
    fig, flat, created = _grid_axes(len(features), axes, ncols)
    data = [comparison.results[name].idata.posterior[["coef"]].sel(feature=features)
            for name in priors]
    with _quiet_arviz():
        az.plot_density(data, data_labels=priors, var_names=["coef"], hdi_prob=1.0,
                        point_estimate="median", shade=0.15, colors=[colors[n] for n in priors],
                        ax=_as_axes_array(flat))
    idx = {f: j for j, f in enumerate(comparison.feature_names)}
    for ax, feat in zip(flat, features, strict=True):
        j = idx[feat]
        lo, hi = ax.get_xlim()
        if lo < 0.0 < hi:
            ax.axvline(0.0, color="0.6", lw=0.8, zorder=0)
        if show_map:
            for name in priors:
                ax.axvline(comparison.results[name].map.coef[j], color=colors[name], ls="--",
                           lw=1.4)
        if show_ols:
            ax.axvline(comparison.ols_coef[j], color="black", ls=":", lw=1.4)
        ax.set_title(feat, fontsize="medium")
        ax.tick_params(labelsize=9)
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
    handles = [Patch(facecolor=colors[n], edgecolor=colors[n], alpha=0.5) for n in priors]
    labels = [f"{n} posterior (• median)" for n in priors]
    if show_map:
        for name in priors:
            est = comparison.results[name].map
            handles.append(Line2D([], [], color=colors[name], ls="--", lw=1.4))
            labels.append(f"{name} MAP = {_MAP_NAMES[est.family]}(α={est.alpha:.3g})")
    if show_ols:
        handles.append(Line2D([], [], color="black", ls=":", lw=1.4))
        labels.append("OLS")
    _legend_below(fig, flat, handles, labels, created, ncol=min(len(handles), 5))
    if created:
        fig.suptitle("Posterior of each coefficient: " + " vs ".join(priors))
    return _as_axes_array(flat)


# ---------------------------------------------------------------------------------------------
# prior against posterior


def _hyperprior_scale_quantiles(hyperprior, n: int) -> np.ndarray:
    """``n`` equally spaced quantiles of the random prior scale s under its hyperprior."""
    from scipy import stats

    from .priors import Gamma

    u = (np.arange(n) + 0.5) / n
    if isinstance(hyperprior, Gamma):  # Gamma on the squared rate 1/s^2
        rate2 = stats.gamma.ppf(u, hyperprior.shape, scale=1.0 / hyperprior.rate)
        return 1.0 / np.sqrt(rate2)
    return hyperprior.scale * np.tan(0.5 * np.pi * u)  # HalfCauchy(0, scale)


def _coef_prior_density(resolved, x: np.ndarray, sigma: float, scales=None) -> np.ndarray:
    r"""Prior density of one coefficient on the grid ``x``, averaged over ``scales``.

    The effective scale is ``scale * sigma**sigma_power`` (see
    :class:`~bayesreg.priors.ResolvedPrior`); the elastic-net density comes from
    :meth:`ResolvedPrior.log_prior_coef`.
    """
    from scipy import stats

    x = np.asarray(x, dtype=float)
    if resolved.family == "elasticnet":
        return np.exp([resolved.log_prior_coef(np.array([v]), sigma) for v in x])
    scales = np.atleast_1d(resolved.scale if scales is None else scales).astype(float)
    eff = scales * sigma**resolved.sigma_power
    dist = stats.norm if resolved.family == "gaussian" else stats.laplace
    out = np.zeros_like(x)
    for chunk in np.array_split(eff, max(1, eff.size // 500)):
        out += dist.pdf(x[:, None], scale=chunk[None, :]).sum(axis=1)
    return out / eff.size


def plot_prior_posterior(result, features=None, *, hdi_prob: float = 0.94, axes=None,
                         scale_draws: str = "hyperprior", n_scale: int = 2000,
                         ncols: int | None = None):
    r"""Prior density against the posterior of each coefficient of one fit.

    The posterior is drawn by ``az.plot_posterior`` (kernel density, median and ``hdi_prob`` HDI);
    the prior density of a coefficient is the dashed black line. What "the prior" is:

    * **σ.** When the prior scale is tied to σ (``sigma_power`` 1 or 2: the ``alpha=`` route and the
      default hyperpriors), the conditional prior is drawn at σ = the posterior median of σ; a
      fixed σ is used as is.
    * **Fixed scale.** The prior at that scale: :math:`N(0, \tau_{\text{eff}}^2)` or
      :math:`\mathrm{Laplace}(0, b_{\text{eff}})` with the effective scale
      ``scale * sigma**sigma_power``.
    * **Random scale**, ``scale_draws="hyperprior"`` (default): the *marginal* prior
      :math:`p(\beta_j) = \int p(\beta_j \mid s, \sigma)\,p(s)\,ds`, the conditional density
      averaged over ``n_scale`` evenly spaced quantiles of the hyperprior of s (a deterministic
      quadrature, so the curve is smooth). With a half-Cauchy hyperprior this prior has very wide
      tails and a (logarithmic) pole at 0, which the quadrature turns into a finite spike whose
      height grows slowly with ``n_scale``; a spike above the panel is clipped (the legend says so).
    * **Random scale**, ``scale_draws="posterior"``: the conditional prior averaged over the
      *posterior* draws of s — the prior "as learned from the data" (not a prior in the strict
      sense; it shows how strongly the fitted scale shrinks).

    Parameters
    ----------
    result : FitResult
        A sampled fit (``method="sample"``).
    features : str or sequence of str, optional
        Coefficients to show (default: all).
    hdi_prob : float
    axes : array-like of matplotlib Axes, optional
        At least one per feature; a new grid of ``ncols`` columns otherwise.
    scale_draws : {"hyperprior", "posterior"}
        Which draws of a random scale to average over (ignored for a fixed scale).
    n_scale : int
        Number of hyperprior quantiles for ``scale_draws="hyperprior"``.
    ncols : int, optional
        Columns of the new grid (default: 3 to 5, filling the rows).

    Returns
    -------
    ndarray of matplotlib Axes
        One per feature.
    """
    from matplotlib.lines import Line2D

    if scale_draws not in ("hyperprior", "posterior"):
        raise ValueError(f"scale_draws must be 'hyperprior' or 'posterior'; got {scale_draws!r}")
    if result.idata is None or "posterior" not in result.idata.groups():
        raise ValueError("plot_prior_posterior needs posterior draws; refit with method='sample'")
    az = import_arviz()
    rp = result.resolved_prior
    post = result.idata.posterior
    features = _check_features(features, result.feature_names)
    fig, flat, created = _grid_axes(len(features), axes, ncols, panel_size=(3.0, 2.8))
    color = {"gaussian": "C0", "laplace": "C1"}.get(rp.family, "C2")

    if rp.sigma is not None:
        sigma, sigma_note = rp.sigma, f"σ = {rp.sigma:.4g} (fixed)"
    elif rp.sigma_power == 0 and rp.family != "elasticnet":
        sigma, sigma_note = 1.0, ""
    else:
        sigma = float(post["sigma"].median())
        sigma_note = f"at σ = posterior median {sigma:.4g}"
    scales, scale_note = None, ""
    if rp.scale_is_random:
        name = rp.random_scale_name
        if scale_draws == "posterior":
            values = post[name].values.ravel()
            scales = values if name == "coef_scale" else 1.0 / values
            scale_note = "averaged over posterior draws of the scale"
        else:
            scales = _hyperprior_scale_quantiles(rp.hyperprior, n_scale)
            scale_note = f"marginal over the hyperprior {rp.hyperprior.describe()}"
    prior_text = rp.describe()[1][1]

    with _quiet_arviz():
        az.plot_posterior(result.idata, var_names=["coef"], coords={"feature": features},
                          hdi_prob=hdi_prob, point_estimate="median", textsize=8, color=color,
                          ax=_as_axes_array(flat))
    clipped = False
    for ax, feat in zip(flat, features, strict=True):
        lo, hi = ax.get_xlim()
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        x = np.union1d(np.linspace(lo, hi, 401), [0.0])  # 0: the prior's mode, same in every panel
        density = _coef_prior_density(rp, x, sigma, scales)
        post_top = max((float(np.max(line.get_ydata())) for line in ax.lines
                        if len(line.get_ydata()) > 2), default=float(np.max(density)))
        ax.plot(x, density, color="black", ls="--", lw=1.3)
        top = 1.25 * post_top
        if np.max(density) > top:
            clipped = True
        ax.set_ylim(0.0, top)
        ax.set_xlim(lo, hi)
        ax.set_title(feat, fontsize="medium")
        ax.tick_params(labelsize=9)
    handles = [Line2D([], [], color=color, lw=2), Line2D([], [], color="black", ls="--", lw=1.3)]
    prior_label = f"prior {prior_text}"
    details = ", ".join(t for t in (scale_note, sigma_note) if t)
    if details:
        prior_label += f"\n{details}"
    if clipped:
        prior_label += " (peak clipped)"
    labels = [f"posterior (median, {hdi_prob:.0%} HDI)", prior_label]
    _legend_below(fig, flat, handles, labels, created, ncol=2)
    if created:
        fig.suptitle(f"{_FAMILY_NAMES[rp.family]} prior against posterior")
    return _as_axes_array(flat)


# ---------------------------------------------------------------------------------------------
# regularization paths


def plot_regularization_path(X=None, y=None, prior="laplace", *, path=None, alphas=None,
                             n_alphas: int = 20, draws: int = 300, hdi_prob: float = 0.94,
                             sigma: float | None = None, random_seed: int | None = None,
                             features=None, axes=None, show_map: bool = True):
    r"""The MAP path beside the Bayesian regularization path, on the same penalty axis.

    Left: the MAP of every coefficient as the penalty :math:`\alpha` varies — exactly
    scikit-learn's ``lasso_path`` (Laplace) or Ridge path (Gaussian), from
    :func:`bayesreg.map_path` on a fine grid. Right: the posterior median (solid, dots at the
    grid points) and ``hdi_prob`` credible band of each coefficient under the prior whose MAP is
    that solution (:func:`bayesreg.compare.posterior_path`), with the MAP path dashed for
    reference. Both panels share the axes; strong regularization is on the left. The Lasso path
    has exact zeros; the Laplace posterior median never is exactly zero, and the bands show how
    uncertain every coefficient remains.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features), optional
    y : array-like of shape (n_samples,), optional
        Needed unless ``path`` is given (then they only refine the MAP curve).
    prior : str or prior object
        ``"gaussian"`` or ``"laplace"``.
    path : PosteriorPath, optional
        A precomputed :func:`~bayesreg.compare.posterior_path`; the arguments below are then
        ignored.
    alphas, n_alphas, draws, hdi_prob, sigma, random_seed
        Passed to :func:`~bayesreg.compare.posterior_path`.
    features : str or sequence of str, optional
        Coefficients to draw (default: all).
    axes : sequence of two matplotlib Axes, optional
        (MAP panel, posterior panel); a new figure otherwise.
    show_map : bool
        Draw the MAP path dashed on the posterior panel as well.

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .compare import posterior_path
    from .map import map_path

    plt = _pyplot()
    if path is None:
        if X is None or y is None:
            raise ValueError("give X and y, or a precomputed path=posterior_path(...)")
        path = posterior_path(X, y, prior, alphas=alphas, n_alphas=n_alphas, draws=draws,
                              hdi_prob=hdi_prob, sigma=sigma, random_seed=random_seed)
    features = _check_features(features, path.feature_names)
    cols = [path.feature_names.index(f) for f in features]
    if X is not None and y is not None:
        fine = np.geomspace(path.alphas.max(), path.alphas.min(), 200)
        mp = map_path(X, y, path.family, alphas=fine)
        map_alphas, map_coef = mp.alphas, mp.coef
    else:
        map_alphas, map_coef = path.alphas, path.map_coef

    created = axes is None
    if created:
        fig, pair = plt.subplots(1, 2, figsize=(12, 5.2), sharex=True, sharey=True,
                                 layout="constrained")
    else:
        pair = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(pair) != 2:
            raise ValueError(f"axes must be two Axes (MAP, posterior); got {len(pair)}")
        fig = pair[0].figure
    ax_map, ax_post = pair
    colors = {f: f"C{k % 10}" for k, f in enumerate(features)}
    method = _MAP_NAMES[path.family]
    for f, j in zip(features, cols, strict=True):
        ax_map.plot(map_alphas, map_coef[:, j], color=colors[f], lw=1.6)
        ax_post.fill_between(path.alphas, path.lower[:, j], path.upper[:, j], color=colors[f],
                             alpha=0.13, lw=0)
        ax_post.plot(path.alphas, path.median[:, j], color=colors[f], lw=1.8, marker=".", ms=4)
        if show_map:
            ax_post.plot(map_alphas, map_coef[:, j], color=colors[f], lw=0.9, ls="--", alpha=0.8)
    sigma_note = "σ unknown" if path.sigma is None else f"σ = {path.sigma:.4g}"
    lo_draws, hi_draws = int(np.min(path.draws)), int(np.max(path.draws))
    draws_note = f"{lo_draws}" if lo_draws == hi_draws else f"{lo_draws}–{hi_draws}"
    ax_map.set_title(f"MAP path = scikit-learn {method}")
    ax_post.set_title(f"Bayesian path: posterior median and {path.hdi_prob:.0%} HDI\n"
                      f"({_FAMILY_NAMES[path.family]} prior, {sigma_note}, "
                      f"{path.chains}×{draws_note} {path.sampler} draws per α)",
                      fontsize="medium")
    for ax in pair:
        ax.set_xscale("log")
        ax.axhline(0.0, color="0.5", lw=0.8, ls=":")
        ax.set_xlabel("penalty α (log scale; regularization weakens →)")
    if created or not ax_map.xaxis_inverted():
        ax_map.invert_xaxis()  # shared x: inverting one inverts both
    if not created and not ax_post.xaxis_inverted():
        ax_post.invert_xaxis()
    ax_map.set_ylabel("coefficient")
    handles = [Line2D([], [], color=colors[f], lw=2) for f in features]
    labels = list(features)
    handles += [Line2D([], [], color="0.3", lw=1.8, marker=".", ms=4),
                Patch(facecolor="0.3", alpha=0.25, lw=0)]
    labels += ["posterior median", f"{path.hdi_prob:.0%} HDI band"]
    if show_map:
        handles.append(Line2D([], [], color="0.3", lw=0.9, ls="--"))
        labels.append(f"MAP ({method})")
    if created:
        fig.legend(handles, labels, loc="outside right upper", fontsize="small", frameon=False)
    else:
        ax_post.legend(handles, labels, fontsize="x-small", loc="best")
    return _as_axes_array(pair)


# ---------------------------------------------------------------------------------------------
# penalties


def _constrained_least_squares(centre, hessian, boundary: np.ndarray) -> np.ndarray:
    """Point of ``boundary`` (k, 2) with the smallest (w - centre)' H (w - centre)."""
    d = boundary - centre
    loss = np.einsum("ki,ij,kj->k", d, hessian, d)
    return boundary[int(np.argmin(loss))]


def plot_penalty_geometry(*, axes=None, ols: tuple[float, float] = (1.35, 2.5),
                          correlation: float = 0.55, budget: float = 1.0):
    r"""Why the Lasso sets coefficients to zero: L1 diamond versus L2 disc, with loss contours.

    Two coefficients :math:`(w_1, w_2)`; the ellipses are contours of the least-squares loss
    :math:`(w - \hat w)^\top H (w - \hat w)` around the OLS estimate :math:`\hat w` (``ols``;
    :math:`H` has unit diagonal and off-diagonal ``correlation``). The constrained solution is
    where the smallest contour touches the constraint region :math:`\lVert w\rVert_1 \le t`
    (left, Lasso) or :math:`\lVert w\rVert_2 \le t` (right, Ridge), :math:`t` = ``budget``.
    The diamond's corners stick out, so the contour usually touches a corner — a point on an axis,
    where one coefficient is exactly zero; the disc has no corners, so the touching point has both
    coefficients non-zero (after *The Elements of Statistical Learning*, Fig. 3.11).

    Parameters
    ----------
    axes : sequence of two matplotlib Axes, optional
        (L1 panel, L2 panel); a new figure otherwise.
    ols : (float, float)
        The unconstrained least-squares solution :math:`\hat w`, outside both regions.
    correlation : float
        Off-diagonal of :math:`H`, in (-1, 1).
    budget : float
        The constraint :math:`t`.

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    from matplotlib.patches import Circle, Polygon

    plt = _pyplot()
    if not -1.0 < correlation < 1.0:
        raise ValueError(f"correlation must be in (-1, 1); got {correlation!r}")
    if budget <= 0:
        raise ValueError(f"budget must be positive; got {budget!r}")
    centre = np.asarray(ols, dtype=float)
    if centre.shape != (2,) or np.abs(centre).sum() <= budget:
        raise ValueError("ols must be two numbers outside the L1 ball of radius budget")
    hessian = np.array([[1.0, correlation], [correlation, 1.0]])
    if axes is None:
        _, pair = plt.subplots(1, 2, figsize=(10, 5.2), layout="constrained")
    else:
        pair = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(pair) != 2:
            raise ValueError(f"axes must be two Axes (L1, L2); got {len(pair)}")
    theta = np.linspace(0, 2 * np.pi, 20001)
    circle = budget * np.column_stack([np.cos(theta), np.sin(theta)])
    diamond = circle / np.abs(circle).sum(axis=1, keepdims=True) * budget
    reach = max(np.abs(centre).max() + 1.0, 2.0 * budget)
    lim = (-1.4 * budget, reach)
    g = np.linspace(lim[0], lim[1], 400)
    w1, w2 = np.meshgrid(g, g)
    d1, d2 = w1 - centre[0], w2 - centre[1]
    loss = hessian[0, 0] * d1**2 + 2 * hessian[0, 1] * d1 * d2 + hessian[1, 1] * d2**2
    panels = (
        (pair[0], diamond, "L1 (Lasso / Laplace MAP)", r"$|w_1| + |w_2| \leq t$", "C1"),
        (pair[1], circle, "L2 (Ridge / Gaussian MAP)", r"$w_1^2 + w_2^2 \leq t^2$", "C0"),
    )
    for ax, boundary, title, region_label, color in panels:
        sol = _constrained_least_squares(centre, hessian, boundary)
        d = sol - centre
        touch = float(d @ hessian @ d)
        levels = np.sort(np.concatenate([touch * np.array([0.08, 0.3, 0.6]), [touch]]))
        ax.contour(w1, w2, loss, levels=levels[:-1], colors="0.55", linewidths=0.9)
        ax.contour(w1, w2, loss, levels=[touch], colors="black", linewidths=1.6)
        if boundary is diamond:
            patch = Polygon([[budget, 0], [0, budget], [-budget, 0], [0, -budget]], closed=True,
                            facecolor=color, alpha=0.3, edgecolor=color, lw=1.5)
        else:
            patch = Circle((0, 0), budget, facecolor=color, alpha=0.3, edgecolor=color, lw=1.5)
        ax.add_patch(patch)
        ax.axhline(0, color="0.3", lw=0.8)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.plot(*centre, "x", color="black", ms=9, mew=2)
        ax.annotate(r"OLS $\hat w$", centre, xytext=(8, 6), textcoords="offset points")
        ax.plot(*sol, "o", color=color, mec="black", ms=9, zorder=5)
        on_axis = bool(np.isclose(sol, 0.0, atol=1e-3 * budget).any())
        sol_text = (f"solution ({sol[0]:.2f}, {sol[1]:.2f})"
                    + ("\non an axis: $w_1 = 0$ exactly" if on_axis and abs(sol[0]) < abs(sol[1])
                       else "\non an axis: $w_2 = 0$ exactly" if on_axis
                       else "\nboth coefficients non-zero"))
        ax.annotate(sol_text, sol, xytext=(0.97, 0.04), textcoords="axes fraction",
                    ha="right", va="bottom", fontsize="small",
                    bbox={"boxstyle": "round", "fc": "white", "ec": "0.7"},
                    arrowprops={"arrowstyle": "->", "color": "0.3"})
        ax.text(0.03, 0.97, region_label + "\nellipses: least-squares loss", transform=ax.transAxes,
                ha="left", va="top", fontsize="small",
                bbox={"boxstyle": "round", "fc": "white", "ec": "0.7"})
        ax.set_xlim(lim)
        ax.set_ylim(lim)
        ax.set_aspect("equal")
        ax.set_xlabel("$w_1$")
        ax.set_ylabel("$w_2$")
        ax.set_title(title)
    return _as_axes_array(pair)


def plot_penalty_gradients(*, ax=None, w_max: float = 2.0, show_half_l2: bool = True):
    r"""How hard each penalty pulls a weight towards zero: :math:`|d\,\mathrm{penalty}/dw|`.

    * L1, :math:`|w|`: constant pull 1 — however small the weight, the pull does not fade, so
      weak weights are pushed all the way to (exactly) zero;
    * L2, :math:`w^2`: pull :math:`2|w|`, which vanishes near zero (small weights are barely
      shrunk further, never to exactly zero) and dominates for large weights;
    * optionally :math:`\tfrac12 w^2`: pull :math:`|w|` (scikit-learn's Ridge has no ½; the
      Gaussian log-prior has it).

    The crossing points are marked: :math:`2|w| = 1` at :math:`|w| = 1/2` and :math:`|w| = 1` at
    :math:`|w| = 1`. Below them L1 pulls harder, above them L2 does.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    w_max : float
        The weight axis spans ``[-w_max, w_max]``.
    show_half_l2 : bool
        Also draw :math:`\tfrac12 w^2`.

    Returns
    -------
    matplotlib Axes
    """
    plt = _pyplot()
    if w_max <= 1.0:
        raise ValueError(f"w_max must exceed 1 so that the crossings are visible; got {w_max!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")
    w = np.linspace(-w_max, w_max, 801)
    ax.plot(w, np.ones_like(w), color="C1", lw=2.2, label=r"L1: $|w|$  →  $|d/dw| = 1$")
    ax.plot(w, 2 * np.abs(w), color="C0", lw=2.2, label=r"L2: $w^2$  →  $|d/dw| = 2|w|$")
    crossings = [0.5]
    if show_half_l2:
        ax.plot(w, np.abs(w), color="C0", lw=1.6, ls="--",
                label=r"L2: $\frac{1}{2}w^2$  →  $|d/dw| = |w|$")
        crossings.append(1.0)
    xs = np.array([-x for x in crossings] + crossings)
    ax.vlines(xs, 0, 1.0, colors="0.5", lw=0.8, ls=":")
    where = r"$2|w| = 1$ at $|w| = \frac{1}{2}$"
    if show_half_l2:
        where += r"; $|w| = 1$ at $|w| = 1$"
    ax.plot(xs, np.ones_like(xs), "o", color="white", mec="black", mew=1.5, ms=8, zorder=5,
            label="crossings: " + where)
    ax.axvspan(-0.5, 0.5, color="C1", alpha=0.08, lw=0)
    ax.text(0.0, 2 * w_max * 0.95, "L1 pulls harder\n(small weights → exactly 0)", ha="center",
            va="top", fontsize="small", color="C1")
    for side in (-1, 1):
        ax.text(side * 0.8 * w_max, 0.45, "L2 pulls harder\n(large weights)", ha="center",
                va="center", fontsize="small", color="C0")
    ax.set_xlim(-w_max, w_max)
    ax.set_ylim(0, 2 * w_max)
    ax.set_xlabel("weight $w$")
    ax.set_ylabel(r"$|d\,\mathrm{penalty} / dw|$  (pull towards 0)")
    ax.set_title("Gradient of the penalty: L1 pulls with constant force, L2 in proportion to $w$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize="small",
              frameon=False)
    return ax
