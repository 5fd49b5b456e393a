r"""ArviZ/matplotlib figures contrasting how the priors (Gaussian, Laplace, horseshoe...) shrink.

* :func:`plot_shrinkage` — forest plot of every coefficient under each prior, with OLS and MAP
  (= Ridge/Lasso) markers (``az.plot_forest``);
* :func:`plot_posteriors` — posterior densities per coefficient, priors overlaid, MAP marked
  (``az.plot_density``);
* :func:`plot_prior_posterior` — prior density against posterior for each coefficient of one fit,
  on one density axis (``az.kde``);
* :func:`plot_shrinkage_profile` — the shrinkage factors :math:`\kappa_j` each prior implies, prior
  against posterior, pooled and per coefficient (Carvalho, Polson & Scott's picture);
* :func:`plot_regularization_path` — the MAP path (= ``lasso_path`` / Ridge path) beside the
  Bayesian path (posterior median and credible band) on the same penalty axis;
* :func:`plot_penalty_geometry` and :func:`plot_penalty_gradients` — why the L1 penalty sets
  coefficients exactly to zero and the L2 penalty does not.
* :func:`plot_selection` and :func:`plot_inclusion` — variable selection from the posterior:
  the projection's elpd against model size, per-draw inclusion frequencies.

The functions only draw finished results (a :class:`~bayesreg.compare.PriorComparison`, a
:class:`~bayesreg.FitResult`, a :class:`~bayesreg.compare.PosteriorPath`, a
:class:`~bayesreg.MAPPath`, a :class:`~bayesreg.ShrinkageProfile`): nothing is fitted or sampled
inside a plot.

Every function takes ``ax=`` (one panel) or ``axes=`` (several), returns a 1-D ``numpy.ndarray``
of the matplotlib Axes it drew into (shape ``(1,)`` for a single panel, as ``az.plot_forest``
does) and never calls ``plt.show()``. ``figsize=`` sets the size of the figure a function creates
and is ignored when ``ax``/``axes`` are given. A created figure uses matplotlib's constrained
layout, with the legends outside the data area.
"""

from __future__ import annotations

import contextlib
import functools
import math
import warnings
from collections.abc import Sequence

import numpy as np

from ._backend import import_arviz

__all__ = [
    "plot_inclusion",
    "plot_penalty_geometry",
    "plot_penalty_gradients",
    "plot_posteriors",
    "plot_prior_posterior",
    "plot_regularization_path",
    "plot_selection",
    "plot_shrinkage",
    "plot_shrinkage_profile",
]


def _family(name):
    from .priors import get_family

    return get_family(name)


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
               extra_height=0.9, figsize=None):
    """Return (figure, flat list of n_panels axes, created) — new axes unless ``axes`` is given.

    ``figsize`` (width, height) overrides the size computed from ``panel_size`` for a new figure.
    """
    plt = _pyplot()
    if axes is not None:
        flat = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(flat) < n_panels:
            raise ValueError(f"axes must hold at least {n_panels} Axes; got {len(flat)}")
        return flat[0].figure, flat[:n_panels], False
    ncols = _default_ncols(n_panels) if ncols is None else ncols
    ncols = max(1, min(ncols, n_panels))
    nrows = math.ceil(n_panels / ncols)
    if figsize is None:
        figsize = (panel_size[0] * ncols, panel_size[1] * nrows + extra_height)
    fig, grid = plt.subplots(nrows, ncols, squeeze=False, layout="constrained", figsize=figsize)
    flat = list(grid.ravel())
    for ax in flat[n_panels:]:
        ax.set_axis_off()
    return fig, flat[:n_panels], True


def _given_axes(axes, n_panels: int, what: str) -> list:
    """The ``axes`` argument as a flat list of exactly ``n_panels`` Axes."""
    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != n_panels:
        raise ValueError(f"axes must be {n_panels} Axes ({what}); got {len(flat)}")
    return flat


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


_FOREST_SPREAD = 0.7  # the rows of one feature fill 70 % of its unit-high band


def _forest_rows(priors: Sequence[str], features: Sequence[str]) -> dict[tuple[str, str], float]:
    """y position of every (prior, feature) row of the forest plot of :func:`plot_shrinkage`.

    The layout of ``az.plot_forest(..., combined=True)``, computed rather than read back: the
    features from top to bottom in the given order, feature ``i`` in the unit-high band centred at
    ``y = n_features - 1 - i`` (its tick), and inside a band the priors from top to bottom in the
    given order, ``0.7 / n_priors`` apart and centred on the tick.

    Parameters
    ----------
    priors : sequence of str
    features : sequence of str

    Returns
    -------
    dict of (str, str) to float
        ``rows[(prior, feature)]`` is the y position of that row.
    """
    n_features, n_priors = len(features), len(priors)
    step = _FOREST_SPREAD / max(n_priors, 1)
    rows = {}
    for i, feat in enumerate(features):
        centre = float(n_features - 1 - i)
        for k, name in enumerate(priors):
            rows[(name, feat)] = centre + ((n_priors - 1) / 2 - k) * step
    return rows


def _map_label(name: str, result) -> str:
    """Legend text of a prior's MAP: ``"laplace MAP = Lasso(α=…)"`` (its scikit-learn name)."""
    est = result.map
    method = result.resolved_prior.spec.map_name
    if method is None:
        return f"{name} MAP (α={est.alpha:.3g})"
    return f"{name} MAP = {method}(α={est.alpha:.3g})"


def _strength_label(comparison, name: str) -> str:
    """``"laplace (α = 0.0123, 5-fold CV)"``: the prior's name and how its strength was set."""
    strength_label = getattr(comparison, "strength_label", None)
    return name if strength_label is None else strength_label(name)


def _no_map_entries(comparison, priors, with_map, handles, labels) -> None:
    """Legend entries (no marker) saying which priors have no MAP: ``"horseshoe: no MAP (…)"``."""
    from matplotlib.lines import Line2D

    for name in priors:
        if name not in with_map:
            label = comparison.results[name].resolved_prior.spec.label
            handles.append(Line2D([], [], ls="none"))
            labels.append(f"{name}: no MAP (the {label} prior has no finite mode)")


def plot_shrinkage(comparison, *, hdi_prob: float = 0.94, ax=None, show_ols: bool = True,
                   show_map: bool = True, figsize: tuple[float, float] | None = None):
    """Forest plot: every coefficient under each prior side by side, with OLS and MAP markers.

    The look of ``az.plot_forest(..., combined=True, quartiles=True)``, drawn here from the
    posterior draws (the numbers of :meth:`PriorComparison.summary`: median, ``az.hdi``) so that
    every row's position is known: per prior and coefficient, the posterior median (open circle),
    the 50% HDI (thick bar) and the ``hdi_prob`` HDI (thin bar), as the title and the legend say;
    the features top to
    bottom, the priors in their order within a feature (ArviZ's order), every other feature on a
    shaded band. On top: the prior's MAP (large hollow diamond),
    which equals scikit-learn's Ridge/Lasso at the matched ``alpha`` — a Lasso MAP that is exactly
    zero is filled black — and the OLS estimate (black ×, one per coefficient). A Laplace prior
    leaves the large effects near OLS and pulls the weak ones towards zero; its MAP zeros are not
    zeros of the posterior. A prior without a MAP (``FitResult.map`` is None) gets no diamond
    and a legend entry saying "no MAP". The legend names each prior with its strength
    (:attr:`PriorComparison.strengths`), e.g. "laplace (α = 0.0123, 5-fold CV)".

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
    figsize : (float, float), optional
        Size of the new figure in inches (default: 9.5 wide, the height growing with the number
        of rows). Ignored when ``ax`` is given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (1,)
        The axes drawn into. The legend sits to the right, outside the axes.
    """
    from matplotlib.lines import Line2D

    from .compare import _check_hdi_prob, _coef_hdi

    plt = _pyplot()
    hdi_prob = _check_hdi_prob(hdi_prob)
    features = list(comparison.feature_names)
    priors = list(comparison.results)
    colors = _prior_colors(priors)
    if ax is None:
        if figsize is None:
            height = 0.42 * len(features) * max(len(priors), 2) / 2 + 1.6
            figsize = (9.5, max(height, 3.0))
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    rows = _forest_rows(priors, features)
    centres = [float(len(features) - 1 - i) for i in range(len(features))]
    for centre in centres:  # ArviZ's bands: every other feature shaded, counted from the bottom
        if int(centre) % 2:
            ax.axhspan(centre - 0.5, centre + 0.5, color="k", alpha=0.1, lw=0, zorder=0)
    for name in priors:
        coef = comparison.results[name].idata.posterior["coef"]
        draws = coef.values.reshape(-1, len(features))
        median = np.median(draws, axis=0)
        half = _coef_hdi(coef, 0.5)  # the thick bar: the 50% HDI, as the legend says
        hdi = _coef_hdi(coef, hdi_prob)
        y_rows = np.array([rows[(name, f)] for f in features])
        ax.hlines(y_rows, hdi[:, 0], hdi[:, 1], color=colors[name], lw=1.3, zorder=2)
        ax.hlines(y_rows, half[:, 0], half[:, 1], color=colors[name], lw=2.8, zorder=2)
        for x, y in zip(median, y_rows, strict=True):  # one marker per row
            ax.plot([x], [y], "o", color=colors[name], mfc=ax.get_facecolor(), ms=5.5,
                    zorder=3)
    ax.set_yticks(centres)
    ax.set_yticklabels(features)
    ax.set_ylim(-0.5, len(features) - 0.5)
    ax.tick_params(axis="y", left=False, right=False)
    ax.tick_params(labelsize=10)
    ax.grid(False, axis="y")
    for side in ("left", "right"):
        ax.spines[side].set_visible(False)
    handles, labels = [], []
    for name in priors:
        handles.append(Line2D([], [], color=colors[name], lw=2, marker="o", mfc="white", ms=5))
        labels.append(f"{_strength_label(comparison, name)}: posterior median, 50% & "
                      f"{hdi_prob:.0%} HDI")
    with_map = [name for name in priors if comparison.results[name].map is not None]
    if show_map:
        any_zero = False
        for name in with_map:
            y_rows = np.array([rows[(name, f)] for f in features])
            coef = np.asarray(comparison.results[name].map.coef, dtype=float)
            zero = coef == 0.0
            any_zero = any_zero or bool(zero.any())
            ax.plot(coef[~zero], y_rows[~zero], "D", mfc="none", mec=colors[name],
                    mew=1.6, ms=9, zorder=4)
            if zero.any():
                ax.plot(coef[zero], y_rows[zero], "D", mfc="black", mec=colors[name], mew=1.6,
                        ms=7, zorder=4)
            handles.append(Line2D([], [], ls="none", marker="D", mfc="none", mec=colors[name],
                                  mew=1.6, ms=8))
            labels.append(_map_label(name, comparison.results[name]))
        if any_zero:
            handles.append(Line2D([], [], ls="none", marker="D", mfc="black", mec="0.3", ms=7))
            labels.append("MAP exactly 0 (posterior is not)")
        _no_map_entries(comparison, priors, with_map, handles, labels)
    if show_ols:
        ax.plot(comparison.ols_coef, centres, "x", color="black", ms=8, mew=2, zorder=3)
        handles.append(Line2D([], [], ls="none", marker="x", color="black", ms=8, mew=2))
        labels.append("OLS (no shrinkage)")
    ax.axvline(0.0, color="0.35", lw=0.9, ls=":", zorder=1)
    ax.set_xlabel("coefficient")
    ax.set_title("Shrinkage of each coefficient by prior: posterior median, "
                 f"50% & {hdi_prob:.0%} HDI")
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
              borderaxespad=0.0, frameon=False)
    return _as_axes_array([ax])


def plot_posteriors(comparison, features=None, *, axes=None, show_map: bool = True,
                    show_ols: bool = True, ncols: int | None = None,
                    figsize: tuple[float, float] | None = None):
    """Posterior density of each coefficient, the priors overlaid, the MAP marked.

    Built on ``az.plot_density`` (full kernel density estimate, ``hdi_prob=1``; the dot on the
    baseline is the posterior median). Dashed vertical lines mark each prior's MAP
    (= Ridge/Lasso at the matched ``alpha``), the dotted black line OLS. Typically a Laplace
    posterior is more peaked near zero for weak effects and less shrunk for strong ones than a
    Gaussian one, and its MAP sits at exactly 0 where the posterior still spreads on both sides.
    A prior without a MAP (``FitResult.map`` is None) gets no MAP line and a legend entry saying
    "no MAP". The legend names each prior with its strength (:attr:`PriorComparison.strengths`).

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
    figsize : (float, float), optional
        Size of the new figure in inches (default: 3 × 2.4 per panel). Ignored when ``axes`` is
        given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (n_features_shown,)
        One per feature, in the order of ``features``.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    az = import_arviz()
    features = _check_features(features, comparison.feature_names)
    priors = list(comparison.results)
    colors = _prior_colors(priors)
    with_map = [name for name in priors if comparison.results[name].map is not None]
    fig, flat, created = _grid_axes(len(features), axes, ncols, figsize=figsize)
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
            for name in with_map:
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
    labels = [f"{_strength_label(comparison, n)} posterior (• median)" for n in priors]
    if show_map:
        for name in with_map:
            handles.append(Line2D([], [], color=colors[name], ls="--", lw=1.4))
            labels.append(_map_label(name, comparison.results[name]))
        _no_map_entries(comparison, priors, with_map, handles, labels)
    if show_ols:
        handles.append(Line2D([], [], color="black", ls=":", lw=1.4))
        labels.append("OLS")
    _legend_below(fig, flat, handles, labels, created, ncol=min(len(handles), 5))
    if created:
        fig.suptitle("Posterior of each coefficient: " + " vs ".join(priors))
    return _as_axes_array(flat)


# ---------------------------------------------------------------------------------------------
# prior against posterior


_PRIOR_COLOR = "0.15"  # the prior's curve: near-black, apart from every prior's posterior colour
_PRIOR_PEAK_ROOM = 2.0  # a prior peak up to this many times the posterior's is drawn whole
_PRIOR_REACH = 0.5  # the x-range extends past the posterior by at most this share of its width


def _prior_posterior_xlim(draws: np.ndarray, prior_density) -> tuple[float, float]:
    """x-range of one panel of :func:`plot_prior_posterior`: the posterior, 0 and the prior's bulk.

    It holds the central 99 % of the posterior draws and 0 (the prior's centre), and extends to
    where the prior density is at least 5 % of its maximum, by at most half the posterior's width
    on each side (a prior much wider than the posterior is flat over the panel anyway); then 6 %
    of padding on both sides, so that a spike at 0 is never drawn on the frame.
    """
    post_lo, post_hi = (float(v) for v in np.quantile(draws, [0.005, 0.995]))
    width = max(post_hi - post_lo, abs(post_hi), abs(post_lo), np.finfo(float).tiny)
    reach = _PRIOR_REACH * width
    lo, hi = min(post_lo, 0.0), max(post_hi, 0.0)
    x = np.union1d(np.linspace(lo - reach, hi + reach, 801), [0.0])
    density = prior_density(x)
    bulk = x[density >= 0.05 * np.max(density)]
    if bulk.size:
        lo, hi = min(lo, float(bulk[0])), max(hi, float(bulk[-1]))
    pad = 0.06 * (hi - lo)
    return lo - pad, hi + pad


_TITLE_SIZE = 9  # points


def _panel_title(ax, feature: str, median_text: str, hdi_text: str) -> str:
    """``"feature (median m)"`` over ``"94% HDI [a, b]"``, on more lines when the panel is narrow.

    A line holds about as many characters as fit the panel's width at :data:`_TITLE_SIZE` (an
    average glyph 0.62 em wide; the panel's grid cell less 20 % for ticks and labels).
    """
    spec = ax.get_subplotspec()
    if spec is None:
        share = ax.get_position().width
    else:
        share = (spec.colspan.stop - spec.colspan.start) / spec.get_gridspec().ncols
    width_points = 72.0 * ax.figure.get_figwidth() * share * 0.8
    max_chars = int(width_points / (0.62 * _TITLE_SIZE))
    first = f"{feature} ({median_text})"
    if len(first) <= max_chars:
        return f"{first}\n{hdi_text}"
    second = f"{median_text}, {hdi_text}"
    if len(second) <= max_chars:
        return f"{feature}\n{second}"
    return f"{feature}\n{median_text}\n{hdi_text}"


def _prior_description(rp, sigma_note: str, scale_draws: str, standardized: bool = False) -> str:
    """Two plain lines saying which prior density is drawn (the legend's title)."""
    coef_text = rp.describe()[1][1].replace(" * ", " · ").replace("sigma", "σ")
    first = f"prior: {coef_text}"
    if standardized:
        first += " on coef · sd(x) (standardize=True), drawn in X's units"
    notes = []
    if rp.scale_is_random:
        name = rp.random_scale_name
        if scale_draws == "posterior":
            notes.append(f"averaged over the posterior draws of {name} (the prior as fitted)")
        else:
            notes.append(f"random scales integrated out, {name} ~ {rp.hyperprior.describe()}")
    if sigma_note:
        notes.append(sigma_note)
    return first + ("\n" + "; ".join(notes) if notes else "")


def plot_prior_posterior(result, features=None, *, hdi_prob: float = 0.94, axes=None,
                         scale_draws: str = "hyperprior", n_scale: int = 2000,
                         ncols: int | None = None, figsize: tuple[float, float] | None = None):
    r"""Prior density against the posterior of each coefficient of one fit, on a density axis.

    Per coefficient, one panel on one x-range shared by both curves (the central 99 % of the
    posterior, 0 and the bulk of the prior; see below) and a density y-axis, so that heights
    compare: the posterior (kernel density of the draws, ``az.kde``) filled in the prior family's
    colour, its ``hdi_prob`` HDI shaded darker (the HDI of :meth:`FitResult.summary`), its median
    a vertical line; the prior density a near-black line; the MAP (= Ridge/Lasso at the matched
    ``alpha``) a dotted black line when the fit has one. The panel's title gives the median and
    the HDI in numbers; no text is drawn over the curves. A prior peak more than twice as high as
    the posterior's (the horseshoe's spike at 0, or a prior much narrower than the posterior on
    natural-scale data) is clipped at the top of the panel and marked with a ▲ there. The legend
    names each element and, as its title, the prior drawn. What "the prior" is:

    * **standardize=True.** The prior is on ``coef_j * sd(x_j)``; it is drawn as the density of
      ``coef_j`` in X's units, ``sd(x_j) * p(coef_j * sd(x_j))``, on the same axis as the draws.
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
      height grows slowly with ``n_scale``: it is the clipped peak.
    * **Random scale**, ``scale_draws="posterior"``: the conditional prior averaged over the
      *posterior* draws of s — the prior "as learned from the data" (not a prior in the strict
      sense; it shows how strongly the fitted scale shrinks).

    The prior densities come from the prior family's ``density`` (its plot density); nothing is
    sampled. The x-range of a panel holds the central 99 % of the posterior draws and 0, and
    reaches out to where the prior density falls below 5 % of its peak, but by at most half the
    posterior's width on each side.

    Parameters
    ----------
    result : FitResult
        A sampled fit (``method="sample"``).
    features : str or sequence of str, optional
        Coefficients to show (default: all).
    hdi_prob : float
        Probability of the shaded HDI.
    axes : array-like of matplotlib Axes, optional
        At least one per feature; a new grid of ``ncols`` columns otherwise. Given axes get the
        legend in the first one, without the prior's description.
    scale_draws : {"hyperprior", "posterior"}
        Which draws of a random scale to average over (ignored for a fixed scale).
    n_scale : int
        Number of hyperprior quantiles for ``scale_draws="hyperprior"``.
    ncols : int, optional
        Columns of the new grid (default: 3 to 5, filling the rows).
    figsize : (float, float), optional
        Size of the new figure in inches (default: 3 × 2.8 per panel). Ignored when ``axes`` is
        given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (n_features_shown,)
        One per feature, in the order of ``features``. The artists carry ``gid`` "posterior",
        "posterior_hdi", "median", "prior", "prior_peak" (the ▲ of a clipped prior) and "map".
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .compare import _check_hdi_prob, _coef_hdi

    if scale_draws not in ("hyperprior", "posterior"):
        raise ValueError(f"scale_draws must be 'hyperprior' or 'posterior'; got {scale_draws!r}")
    if result.idata is None or "posterior" not in result.idata.groups():
        raise ValueError("plot_prior_posterior needs posterior draws; refit with method='sample'")
    hdi_prob = _check_hdi_prob(hdi_prob)
    az = import_arviz()
    rp = result.resolved_prior
    post = result.idata.posterior
    features = _check_features(features, result.feature_names)
    fig, flat, created = _grid_axes(len(features), axes, ncols, panel_size=(3.0, 2.8),
                                    figsize=figsize)
    color = rp.spec.color

    if not rp.likelihood_spec.has_sigma:  # the logistic likelihood: the priors are at σ = 1
        sigma, sigma_note = rp.sigma, ""
    elif rp.sigma is not None:
        sigma, sigma_note = rp.sigma, f"σ = {rp.sigma:.4g} (fixed)"
    elif rp.sigma_power == 0:
        sigma, sigma_note = 1.0, ""
    else:
        sigma = float(post["sigma"].median())
        sigma_note = f"σ = {sigma:.4g} (its posterior median)"
    scales = None
    if rp.scale_is_random:
        name = rp.random_scale_name
        if scale_draws == "posterior":
            values = post[name].values.ravel()
            scales = values if name == "coef_scale" else 1.0 / values
        else:
            scales = rp.hyperprior.scale_quantiles(n_scale)

    x_scale = (np.ones(len(result.feature_names)) if result.x_scale is None
               else np.asarray(result.x_scale, dtype=float))

    def prior_density(x, s):
        """The prior density of coef_j in X's units; ``standardize=True`` puts the prior on
        coef_j * s_j, so its density at coef_j is s_j times that prior's density at coef_j * s_j."""
        return s * rp.spec.density(rp, x * s, sigma, scales)

    coef = post["coef"].sel(feature=features)
    hdi = _coef_hdi(coef, hdi_prob)
    feature_names = list(result.feature_names)
    map_coef = None if result.map is None else np.asarray(result.map.coef, dtype=float)
    clipped = False
    for k, (ax, feat) in enumerate(zip(flat, features, strict=True)):
        draws = coef.sel(feature=feat).values.ravel()
        feature_density = functools.partial(prior_density, s=x_scale[feature_names.index(feat)])
        lo, hi = _prior_posterior_xlim(draws, feature_density)
        x = np.union1d(np.linspace(lo, hi, 401), [0.0])  # 0: the prior's mode, in every panel
        density = feature_density(x)
        grid, post_density = az.kde(draws)
        median = float(np.median(draws))
        post_top = float(np.max(post_density))
        prior_top = float(np.max(density))
        top = 1.08 * max(post_top, prior_top)
        if prior_top > _PRIOR_PEAK_ROOM * post_top:
            top = 1.25 * post_top
            clipped = True
            peak = float(x[int(np.argmax(density))])
            ax.plot([peak], [0.96 * top], "^", color=_PRIOR_COLOR, ms=7, zorder=5,
                    gid="prior_peak")  # inside the frame, clear of the title
        ax.fill_between(grid, post_density, color=color, alpha=0.18, lw=0, zorder=1)
        inside = (grid >= hdi[k, 0]) & (grid <= hdi[k, 1])
        ax.fill_between(grid, post_density, where=inside, color=color, alpha=0.4, lw=0,
                        zorder=1, gid="posterior_hdi")
        ax.plot(grid, post_density, color=color, lw=1.8, zorder=3, gid="posterior")
        ax.plot([median, median], [0.0, float(np.interp(median, grid, post_density))],
                color=color, lw=1.4, zorder=3, gid="median")
        drawn = np.where(np.isfinite(density), density, 10.0 * top)  # a pole: up to the ▲
        ax.plot(x, drawn, color=_PRIOR_COLOR, lw=1.5, zorder=4, gid="prior")
        if map_coef is not None:
            ax.axvline(map_coef[feature_names.index(feat)], color="black", ls=":", lw=1.4,
                       zorder=4, gid="map")
        ax.set_xlim(lo, hi)
        ax.set_ylim(0.0, top)
        ax.set_title(_panel_title(ax, feat, f"median {median:.3g}",
                                  f"{hdi_prob:.0%} HDI [{hdi[k, 0]:.3g}, {hdi[k, 1]:.3g}]"),
                     fontsize=_TITLE_SIZE)
        ax.tick_params(labelsize=8)
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
        ax.yaxis.get_offset_text().set_fontsize(8)
        first_column = not created or ax.get_subplotspec().is_first_col()
        ax.set_ylabel("density" if first_column else "", fontsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [
        Line2D([], [], color=color, lw=1.8),
        Line2D([], [], color=_PRIOR_COLOR, lw=1.5, marker="^" if clipped else None, ms=6),
        Patch(facecolor=color, alpha=0.55, lw=0),
        Line2D([], [], color=color, lw=1.4, marker="|", ms=10, ls="none"),
    ]
    labels = ["posterior", "prior (▲ peak clipped)" if clipped else "prior",
              f"{hdi_prob:.0%} HDI (credible interval)", "posterior median"]
    if map_coef is not None:
        handles.append(Line2D([], [], color="black", ls=":", lw=1.4))
        method = rp.spec.map_name
        labels.append(f"MAP = {method}(α={result.map.alpha:.3g})" if method else
                      f"MAP (α={result.map.alpha:.3g})")
    else:
        handles.append(Line2D([], [], ls="none"))
        labels.append(f"no MAP (the {rp.spec.label} prior has no finite mode)")
    legend = _legend_below(fig, flat, handles, labels, created, ncol=len(handles))
    if created:
        legend.set_title(_prior_description(rp, sigma_note, scale_draws,
                                            standardized=result.x_scale is not None),
                         prop={"size": "small"})
        fig.suptitle(f"{rp.spec.label} prior against posterior, per coefficient")
    return _as_axes_array(flat)


def plot_shrinkage_profile(profiles, features=None, *, hdi_prob: float = 0.94, bins: int = 40,
                           axes=None, figsize: tuple[float, float] | None = None):
    r"""The shrinkage factors :math:`\kappa_j = 1/(1 + n s_j^2 v_j/\sigma^2)` of one or more priors.

    One column per prior. Top: the distribution of κ on [0, 1] (0: a coefficient left as least
    squares, 1: shrunk to zero), pooled over the coefficients — under the prior (grey) and under
    the posterior (the prior's colour). The horseshoe's prior puts its mass at both ends, the
    Gaussian's at one value, the Laplace's in between (Carvalho, Polson & Scott 2010). Bottom: the
    posterior of each coefficient's κ_j (median and ``hdi_prob`` HDI) with the prior mean of κ_j
    (grey tick).

    Parameters
    ----------
    profiles : ShrinkageProfile, sequence of them, or dict of str to ShrinkageProfile
        From :meth:`FitResult.shrinkage_profile` or :meth:`PriorComparison.shrinkage_profiles`
        (the plot draws finished draws; it samples nothing).
    features : str or sequence of str, optional
        Coefficients in the bottom row (default: all; their names are shown up to 40).
    hdi_prob : float
    bins : int
        Histogram bins on [0, 1] in the top row.
    axes : array-like of 2 × n_profiles matplotlib Axes, optional
        Row by row (the top panels, then the bottom ones); a new figure otherwise.
    figsize : (float, float), optional
        Size of the new figure (default: 3.4 wide per prior). Ignored when ``axes`` is given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (2 * n_profiles,)
        The top panels in the order of ``profiles``, then the bottom ones.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from ._params import Interval, check_param
    from .compare import _check_hdi_prob, _coef_hdi
    from .shrinkage import as_profiles

    items = as_profiles(profiles)
    hdi_prob = _check_hdi_prob(hdi_prob)
    bins = check_param(bins, "bins", Interval("integral", 2, 10_000))
    names = items[0].feature_names
    if any(item.feature_names != names for item in items):
        raise ValueError("the profiles must be of fits on the same features")
    features = _check_features(features, names)
    index = [names.index(f) for f in features]
    k = len(items)
    plt = _pyplot()
    if axes is None:
        height = 2.4 + min(0.18 * len(features), 9.0)
        fig, grid = plt.subplots(2, k, squeeze=False, layout="constrained",
                                 figsize=figsize or (3.4 * k, height + 0.6),
                                 height_ratios=(2.4, height - 2.4), sharex=True)
        top, bottom, created = list(grid[0]), list(grid[1]), True
    else:
        flat = _given_axes(axes, 2 * k, "two per profile: the top row, then the bottom row")
        top, bottom, created = flat[:k], flat[k:], False
        fig = top[0].figure
    edges = np.linspace(0.0, 1.0, bins + 1)
    y = np.arange(len(features))[::-1]
    for item, ax_top, ax_bottom in zip(items, top, bottom, strict=True):
        ax_top.hist(item.prior.ravel(), bins=edges, density=True, color="0.75", label="prior")
        ax_top.hist(item.posterior.ravel(), bins=edges, density=True, histtype="step", lw=1.8,
                    color=item.color, label="posterior")
        ax_top.set_title(item.label, fontsize="medium")
        ax_top.set_xlim(0.0, 1.0)
        ax_top.tick_params(labelsize=8)
        draws = item.posterior[..., index]
        hdi = _coef_hdi(draws, hdi_prob)
        median = np.median(draws.reshape(-1, len(index)), axis=0)
        ax_bottom.hlines(y, hdi[:, 0], hdi[:, 1], color=item.color, lw=1.5)
        ax_bottom.plot(median, y, "o", color=item.color, ms=3.5)
        ax_bottom.plot(item.prior[:, index].mean(axis=0), y, "|", color="0.45", ms=8)
        ax_bottom.set_xlim(0.0, 1.0)
        ax_bottom.set_ylim(-0.7, len(features) - 0.3)
        ax_bottom.set_yticks(y, features if len(features) <= 40 else [""] * len(features),
                             fontsize=7)
        ax_bottom.set_xlabel("shrinkage factor κ  (0 none, 1 total)", fontsize="small")
        ax_bottom.tick_params(axis="x", labelsize=8)
    top[0].set_ylabel("density of κ (all coefficients)", fontsize="small")
    bottom[0].set_ylabel("κ_j per coefficient", fontsize="small")
    handles = [Patch(color="0.75"), Line2D([], [], color="0.2", lw=1.8),
               Line2D([], [], color="0.2", marker="o", lw=1.5, ms=3.5),
               Line2D([], [], color="0.45", marker="|", ls="", ms=8)]
    labels = ["prior", "posterior (in each prior's colour)",
              f"posterior κ_j: median, {hdi_prob:.0%} HDI", "prior mean of κ_j"]
    _legend_below(fig, top, handles, labels, created, ncol=4)
    if created:
        fig.suptitle("Shrinkage factors κ = 1/(1 + n s_j² v_j / σ²)")
    return _as_axes_array(top + bottom)


# ---------------------------------------------------------------------------------------------
# regularization paths


def plot_regularization_path(path=None, *, map_path=None, features=None, axes=None,
                             show_map: bool = True, figsize: tuple[float, float] | None = None):
    r"""The MAP path beside the Bayesian regularization path, on the same penalty axis.

    Draws finished results only; nothing is fitted or sampled here. Left: the MAP of every
    coefficient as the penalty :math:`\alpha` varies — exactly scikit-learn's ``lasso_path``
    (Laplace) or Ridge path (Gaussian) — from ``map_path`` (:func:`bayesreg.map_path`, on any
    grid, e.g. a fine one for a smooth curve) or else from ``path.map_coef`` on the grid of
    ``path``. Right, when ``path`` is given: the posterior median (solid, dots at the grid points)
    and credible band of each coefficient under the prior whose MAP is that solution
    (:func:`bayesreg.posterior_path`), with the MAP path dashed for reference. Both panels share
    the axes; strong regularization is on the left. The Lasso path has exact zeros; the Laplace
    posterior median never is exactly zero, and the bands show how uncertain every coefficient
    remains.

    Parameters
    ----------
    path : PosteriorPath, optional
        From :func:`bayesreg.posterior_path`.
    map_path : MAPPath, optional
        From :func:`bayesreg.map_path` on the same data and prior family as ``path``. At least
        one of ``path`` and ``map_path`` is required; with ``map_path`` alone only the MAP panel
        is drawn.
    features : str or sequence of str, optional
        Coefficients to draw (default: all).
    axes : sequence of matplotlib Axes, optional
        (MAP panel, posterior panel) when ``path`` is given, (MAP panel,) otherwise; a new
        figure when None.
    show_map : bool
        Draw the MAP path dashed on the posterior panel as well.
    figsize : (float, float), optional
        Size of the new figure in inches (default: (12, 5.2) for two panels, (7, 5.2) for one).
        Ignored when ``axes`` is given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (2,) or (1,)
        (MAP panel, posterior panel), or (MAP panel,) with ``map_path`` alone.

    Raises
    ------
    ValueError
        If neither ``path`` nor ``map_path`` is given, if they disagree on the features or the
        prior family, or if ``axes`` has the wrong number of Axes.
    TypeError
        If ``path`` is not a :class:`~bayesreg.compare.PosteriorPath` or ``map_path`` not a
        :class:`~bayesreg.MAPPath`.

    Examples
    --------
    >>> import numpy as np
    >>> import bayesreg
    >>> X, y = bayesreg.datasets.load_diabetes()
    >>> path = bayesreg.posterior_path(X, y, "laplace", n_alphas=5, draws=200, random_seed=0)
    >>> fine = bayesreg.map_path(X, y, "laplace",
    ...                          alphas=np.geomspace(path.alphas[0], path.alphas[-1], 200))
    >>> axes = bayesreg.plots.plot_regularization_path(path, map_path=fine)
    >>> axes.shape
    (2,)
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .compare import PosteriorPath
    from .map import MAPPath

    plt = _pyplot()
    if path is None and map_path is None:
        raise ValueError("plot_regularization_path needs path= (a PosteriorPath from "
                         "bayesreg.posterior_path) and/or map_path= (a MAPPath from "
                         "bayesreg.map_path); got neither")
    if path is not None and not isinstance(path, PosteriorPath):
        raise TypeError("path must be a PosteriorPath from bayesreg.posterior_path; got "
                        f"{type(path).__name__} (the plot no longer fits from X and y)")
    if map_path is not None and not isinstance(map_path, MAPPath):
        raise TypeError("map_path must be a MAPPath from bayesreg.map_path; got "
                        f"{type(map_path).__name__}")
    if path is not None and map_path is not None:
        if tuple(map_path.feature_names) != tuple(path.feature_names):
            raise ValueError("map_path and path must have the same features; got "
                             f"{list(map_path.feature_names)} and {list(path.feature_names)}")
        if _family(map_path.family) is not _family(path.family):
            raise ValueError("map_path and path must come from the same prior family; got "
                             f"{_family(map_path.family).label} and {_family(path.family).label}")
        if (map_path.x_scale is None) != (path.x_scale is None):
            raise ValueError("map_path and path must both put the prior on the standardized "
                             "predictors or both on X as given (their alphas differ in meaning); "
                             "pass the same standardize= to map_path and posterior_path")
    reference = path if path is not None else map_path
    family = _family(reference.family)
    standardized = reference.x_scale is not None  # the coefficients are in X's units all the same
    features = _check_features(features, list(reference.feature_names))
    cols = [list(reference.feature_names).index(f) for f in features]
    if map_path is not None:
        map_alphas, map_coef = map_path.alphas, map_path.coef
    else:
        map_alphas, map_coef = path.alphas, path.map_coef

    n_panels = 1 if path is None else 2
    created = axes is None
    if created:
        if figsize is None:
            figsize = (12.0, 5.2) if n_panels == 2 else (7.0, 5.2)
        fig, grid = plt.subplots(1, n_panels, figsize=figsize, sharex=True, sharey=True,
                                 squeeze=False, layout="constrained")
        panels = list(grid.ravel())
    else:
        what = "MAP, posterior" if n_panels == 2 else "MAP"
        panels = _given_axes(axes, n_panels, what)
        fig = panels[0].figure
    ax_map = panels[0]
    colors = {f: f"C{k % 10}" for k, f in enumerate(features)}
    method = family.map_name
    for f, j in zip(features, cols, strict=True):
        ax_map.plot(map_alphas, map_coef[:, j], color=colors[f], lw=1.6)
    ax_map.set_title("MAP path" if method is None else f"MAP path = scikit-learn {method}")
    handles = [Line2D([], [], color=colors[f], lw=2) for f in features]
    labels = list(features)
    if path is not None:
        ax_post = panels[1]
        for f, j in zip(features, cols, strict=True):
            ax_post.fill_between(path.alphas, path.lower[:, j], path.upper[:, j],
                                 color=colors[f], alpha=0.13, lw=0)
            ax_post.plot(path.alphas, path.median[:, j], color=colors[f], lw=1.8, marker=".",
                         ms=4)
            if show_map:
                ax_post.plot(map_alphas, map_coef[:, j], color=colors[f], lw=0.9, ls="--",
                             alpha=0.8)
        sigma_note = "σ unknown" if path.sigma is None else f"σ = {path.sigma:.4g}"
        if np.size(path.draws):
            lo_draws, hi_draws = int(np.min(path.draws)), int(np.max(path.draws))
            draws_note = f"{lo_draws}" if lo_draws == hi_draws else f"{lo_draws}–{hi_draws}"
        else:
            draws_note = "?"
        ax_post.set_title(f"Bayesian path: posterior median and {path.hdi_prob:.0%} HDI\n"
                          f"({family.label} prior, {sigma_note}, "
                          f"{path.chains}×{draws_note} {path.sampler} draws per α)",
                          fontsize="medium")
        handles += [Line2D([], [], color="0.3", lw=1.8, marker=".", ms=4),
                    Patch(facecolor="0.3", alpha=0.25, lw=0)]
        labels += ["posterior median", f"{path.hdi_prob:.0%} HDI band"]
        if show_map:
            handles.append(Line2D([], [], color="0.3", lw=0.9, ls="--"))
            labels.append("MAP path" if method is None else f"MAP ({method})")
    for ax in panels:
        ax.set_xscale("log")
        ax.axhline(0.0, color="0.5", lw=0.8, ls=":")
        ax.set_xlabel("penalty α" + (" on the standardized predictors" if standardized else "")
                      + " (log scale; regularization weakens →)")
        if not ax.xaxis_inverted():  # shared x: inverting one may invert both
            ax.invert_xaxis()
    ax_map.set_ylabel("coefficient")
    if created:
        fig.legend(handles, labels, loc="outside right upper", fontsize="small", frameon=False)
    else:
        panels[-1].legend(handles, labels, fontsize="x-small", loc="best")
    return _as_axes_array(panels)


# ---------------------------------------------------------------------------------------------
# penalties


def _constrained_least_squares(centre, hessian, boundary: np.ndarray) -> np.ndarray:
    """Point of ``boundary`` (k, 2) with the smallest (w - centre)' H (w - centre)."""
    d = boundary - centre
    loss = np.einsum("ki,ij,kj->k", d, hessian, d)
    return boundary[int(np.argmin(loss))]


def plot_penalty_geometry(*, axes=None, ols: tuple[float, float] = (1.35, 2.5),
                          correlation: float = 0.55, budget: float = 1.0,
                          figsize: tuple[float, float] | None = None):
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
    figsize : (float, float), optional
        Size of the new figure in inches (default (10, 5.2)). Ignored when ``axes`` is given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (2,)
        (L1 panel, L2 panel).
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
        _, pair = plt.subplots(1, 2, figsize=(10, 5.2) if figsize is None else figsize,
                               layout="constrained")
    else:
        pair = _given_axes(axes, 2, "L1, L2")
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


def plot_penalty_gradients(*, ax=None, w_max: float = 2.0, show_half_l2: bool = True,
                           figsize: tuple[float, float] | None = None):
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
        Drawn into; a new figure otherwise.
    w_max : float
        The weight axis spans ``[-w_max, w_max]``.
    show_half_l2 : bool
        Also draw :math:`\tfrac12 w^2`.
    figsize : (float, float), optional
        Size of the new figure in inches (default (8, 4.8)). Ignored when ``ax`` is given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (1,)
        The axes drawn into.
    """
    plt = _pyplot()
    if w_max <= 1.0:
        raise ValueError(f"w_max must exceed 1 so that the crossings are visible; got {w_max!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.8) if figsize is None else figsize,
                             layout="constrained")
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
    return _as_axes_array([ax])


# ---------------------------------------------------------------------------------------------
# variable selection


def _check_selection(selection, methods: tuple[str, ...], other: str):
    from .selection import Selection

    if not isinstance(selection, Selection):
        raise TypeError("selection must be a Selection (from FitResult.select()); got "
                        f"{type(selection).__name__}")
    if selection.method not in methods:
        raise ValueError(f"this plot draws selections by {', '.join(repr(m) for m in methods)}; "
                         f"got one by {selection.method!r} (use {other})")
    return selection


def plot_selection(selection, *, axes=None, figsize: tuple[float, float] | None = None,
                   max_labels: int = 40):
    r"""The submodel path of a selection: predictive performance against model size.

    ``method="projection"`` (like projpred's ``plot(vs)``): left, the PSIS-LOO elpd of the
    projected posterior of each size (± its standard error) with the reference model's elpd as a
    horizontal line; right, :math:`\Delta\mathrm{elpd}` against the reference
    (± :math:`\mathrm{se}(\Delta)`) with zero marked. The suggested size is a dashed vertical
    line; the x ticks name the variable added at each size (up to ``max_labels`` sizes).
    ``method="decoupled"``: one panel, the posterior mean and central interval of the variance
    explained by each sparse summary, :math:`\rho^2_\lambda`, with the full model's posterior mean
    :math:`\rho^2`.

    Parameters
    ----------
    selection : Selection
        From :meth:`FitResult.select` with ``method="projection"`` or ``"decoupled"`` (the plot
        draws finished results; it samples and projects nothing).
    axes : array-like of matplotlib Axes, optional
        Two Axes (projection) or one (decoupled); a new figure otherwise.
    figsize : (float, float), optional
        Size of the new figure. Ignored when ``axes`` is given.
    max_labels : int
        Name the added variables on the x axis when the path has at most this many sizes.

    Returns
    -------
    ndarray of matplotlib Axes, shape (2,) for a projection, (1,) for a decoupled selection
    """
    selection = _check_selection(selection, ("projection", "decoupled"), "plot_inclusion")
    path = selection.path
    n_panels = 2 if selection.method == "projection" else 1
    plt = _pyplot()
    if axes is None:
        width = min(4.0 + 0.22 * len(path), 14.0)
        fig, grid = plt.subplots(1, n_panels, squeeze=False, layout="constrained",
                                 figsize=figsize or (width * (1 if n_panels == 1 else 1.6), 3.8))
        panels, created = list(grid[0]), True
    else:
        panels = _given_axes(axes, n_panels, "one per panel")
        fig, created = panels[0].figure, False
    sizes = path["size"].to_numpy()
    labels = ["∅"] + [f"+{v}" for v in path["variable"].iloc[1:]]
    chosen = selection.suggested_size
    if selection.method == "projection":
        ref = path.attrs["reference_elpd"]
        columns = (("elpd", "se", ref, "elpd (PSIS-LOO)", "reference model"),
                   ("elpd_diff", "se_diff", 0.0, "Δelpd vs reference", "reference (Δ = 0)"))
        for ax, (value, se, line, ylabel, line_label) in zip(panels, columns, strict=True):
            ax.errorbar(sizes, path[value], yerr=path[se], fmt="o-", ms=3.5, lw=1.2,
                        capsize=2, color="C0", label="projected submodel ± se")
            ax.axhline(line, color="0.3", ls="-", lw=1, label=line_label)
            ax.set_ylabel(ylabel)
        title = (f"Projection predictive forward search: suggested size {chosen} "
                 f"(rule {path.attrs['rule']!r})")
    else:
        ax = panels[0]
        ax.fill_between(sizes, path["rho2_low"], path["rho2_high"], color="C0", alpha=0.25,
                        label=f"{path.attrs['prob']:.0%} interval")
        ax.plot(sizes, path["rho2"], "o-", ms=3.5, color="C0", label="posterior mean of ρ²_λ")
        ax.axhline(path.attrs["rho2_full"], color="0.3", lw=1, label="full model: mean ρ²")
        ax.set_ylabel("variance explained ρ²")
        title = f"Decoupled shrinkage and selection: suggested size {chosen}"
    for ax in panels:
        ax.axvline(chosen, color="C3", ls="--", lw=1.2, label=f"suggested size {chosen}")
        ax.set_xlabel("model size (variable added)")
        if len(sizes) <= max_labels:
            ax.set_xticks(sizes, labels, rotation=60, ha="right", fontsize=7)
        ax.grid(alpha=0.3)
    entries = {}  # one legend entry per label, from every panel
    for ax in panels:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    _legend_below(fig, panels, list(entries.values()), list(entries), created, ncol=4)
    if created:
        fig.suptitle(title, fontsize="medium")
    return _as_axes_array(panels)


_SCORE_LABELS = {"savs": "SAVS: share of draws kept",
                 "interval": "interval: posterior probability of the sign",
                 "ranks": "ranks: share of draws ranked within the size"}


def plot_inclusion(selections, *, ax=None, figsize: tuple[float, float] | None = None):
    """Per-variable scores of the per-draw selection rules, one bar per variable and method.

    ``"savs"``: the share of posterior draws in which SAVS keeps the variable (selected: > ½);
    ``"interval"``: the posterior probability of the coefficient's sign (selected: its central
    ``prob`` interval excludes 0, i.e. above (1 + prob)/2); ``"ranks"``: the share of draws in
    which the variable ranks within the selection's size. Filled bars are the selected
    variables, dashed lines the thresholds. Variables are sorted by the first selection's score.

    Parameters
    ----------
    selections : Selection, sequence of them, or dict of str to Selection
        From :meth:`FitResult.select` with ``method="savs"``, ``"interval"`` or ``"ranks"``, on
        the same features (the plot draws finished results).
    ax : matplotlib Axes, optional
    figsize : (float, float), optional
        Size of the new figure. Ignored when ``ax`` is given.

    Returns
    -------
    ndarray of matplotlib Axes, shape (1,)
    """
    from matplotlib.patches import Patch

    if isinstance(selections, dict):
        items = list(selections.items())
    elif isinstance(selections, Sequence) and not isinstance(selections, str):
        items = [(s.method, s) for s in selections]
    else:
        items = [(getattr(selections, "method", ""), selections)]
    if not items:
        raise ValueError("selections must hold at least one Selection")
    items = [(label, _check_selection(s, tuple(_SCORE_LABELS), "plot_selection"))
             for label, s in items]
    names = items[0][1].feature_names
    if any(s.feature_names != names for _, s in items):
        raise ValueError("the selections must be of fits on the same features")
    first = items[0][1]
    order = first.scores[first.score_column].sort_values(kind="stable").index  # top = best
    plt = _pyplot()
    created = ax is None
    if created:
        fig, ax = plt.subplots(layout="constrained",
                               figsize=figsize or (6.5, 1.2 + 0.22 * len(names) * len(items) ** 0.5))
    fig = ax.figure
    k = len(items)
    height = 0.8 / k
    y = np.arange(len(order))
    handles, labels = [], []
    for i, (label, sel) in enumerate(items):
        color = f"C{i}"
        score = sel.scores.loc[order, sel.score_column].to_numpy(dtype=float)
        selected = sel.scores.loc[order, "selected"].to_numpy(dtype=bool)
        offset = (i - (k - 1) / 2) * height
        ax.barh(y[selected] + offset, score[selected], height=height, color=color)
        ax.barh(y[~selected] + offset, score[~selected], height=height, facecolor="none",
                edgecolor=color)
        if sel.threshold is not None:
            ax.axvline(sel.threshold, color=color, ls="--", lw=1)
        handles.append(Patch(color=color))
        name = _SCORE_LABELS[sel.method]
        labels.append(name if label == sel.method else f"{label} — {name}")
    ax.set_yticks(y, list(order), fontsize=7 if len(order) > 20 else 9)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("score (filled: selected; dashed: threshold)")
    ax.grid(axis="x", alpha=0.3)
    _legend_below(fig, [ax], handles, labels, created, ncol=1)
    if created:
        fig.suptitle("Which variables matter: per-draw selection rules", fontsize="medium")
    return _as_axes_array([ax])
