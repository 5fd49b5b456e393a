"""Every figure of bayesreg.plots renders headless and draws what it says."""

import matplotlib
import matplotlib.collections

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import SEED
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, Polygon
from scipy import integrate, stats

import bayesreg
import bayesreg.api
import bayesreg.compare
import bayesreg.map
from bayesreg import plots


@pytest.fixture(autouse=True)
def _no_show_and_close(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("plots must not call plt.show()")

    monkeypatch.setattr(plt, "show", fail)
    yield
    plt.close("all")


def _points(ax, marker):
    """(x, y) of every point drawn with ``marker`` (one row per point)."""
    pts = [np.column_stack([line.get_xdata(), line.get_ydata()]) for line in ax.lines
           if line.get_marker() == marker and line.get_linestyle() in ("None", "none", "")]
    return np.vstack(pts) if pts else np.empty((0, 2))


def _lines_with_style(ax, style):
    return [line for line in ax.lines if line.get_linestyle() == style]


# ---------------------------------------------------------------------------------------------
# plot_shrinkage


def test_plot_shrinkage_markers_match_the_summary(comparison):
    (ax,) = plots.plot_shrinkage(comparison)
    table = comparison.summary()
    features = list(comparison.feature_names)
    assert [t.get_text() for t in ax.get_yticklabels()] == features
    ticks = np.asarray(ax.get_yticks())
    colors = {to_rgba("C0"): "gaussian", to_rgba("C1"): "laplace"}
    medians = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(medians) == 2 * len(features)
    for line in medians:  # every median dot sits in its feature's row, in its prior's colour
        x, y = float(line.get_xdata()[0]), float(line.get_ydata()[0])
        feature = features[int(np.argmin(np.abs(ticks - y)))]
        prior = colors[to_rgba(line.get_color())]
        assert x == pytest.approx(table.loc[(prior, feature), "median"], rel=1e-9)
    maps = _points(ax, "D")
    assert len(maps) == 2 * len(features)
    np.testing.assert_allclose(np.sort(maps[:, 0]), np.sort(table["map"].to_numpy()))
    ols = _points(ax, "x")
    np.testing.assert_allclose(np.sort(ols[:, 0]), np.sort(comparison.ols_coef))
    np.testing.assert_allclose(np.sort(ols[:, 1]), np.sort(ticks))


def test_plot_shrinkage_legend_is_outside_the_axes(comparison):
    (ax,) = plots.plot_shrinkage(comparison)
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert len(labels) == 6  # 2 posteriors, 2 MAPs, "exactly 0", OLS
    assert any("Lasso" in lab for lab in labels) and any("Ridge" in lab for lab in labels)
    assert "OLS (no shrinkage)" in labels
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box, frame = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert box.x0 >= frame.x1 - 1  # to the right of the data area, not over it
    assert box.x1 <= fig.bbox.x1 + 1  # and inside the figure


def test_plot_shrinkage_title_and_legend_name_the_bars_drawn(comparison):
    """The thick bar is the 50% HDI and the thin one the 94% HDI, as the title and legend say."""
    (ax,) = plots.plot_shrinkage(comparison)
    assert ax.get_title().endswith("posterior median, 50% & 94% HDI")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sum(lab.endswith("posterior median, 50% & 94% HDI") for lab in labels) == 2
    features = list(comparison.feature_names)
    for k, name in enumerate(comparison.results):
        coef = comparison[name].idata.posterior["coef"]
        bars = {}  # line width -> (n_features, 2) bar ends, top row first
        for coll in ax.collections:
            if (isinstance(coll, matplotlib.collections.LineCollection)
                    and to_rgba(coll.get_color()[0]) == to_rgba(f"C{k}")):
                ends = np.array([seg[:, 0] for seg in coll.get_segments()])
                bars[float(coll.get_linewidth()[0])] = np.sort(ends, axis=1)
        thin, thick = bars[min(bars)], bars[max(bars)]
        np.testing.assert_allclose(thin, bayesreg.compare._coef_hdi(coef, 0.94), rtol=1e-12)
        np.testing.assert_allclose(thick, bayesreg.compare._coef_hdi(coef, 0.5), rtol=1e-12)
        assert thin.shape == (len(features), 2)


def test_plot_shrinkage_into_given_axes_without_markers(comparison):
    _, ax = plt.subplots()
    out = plots.plot_shrinkage(comparison, ax=ax, show_ols=False, show_map=False, hdi_prob=0.8)
    assert isinstance(out, np.ndarray) and out.shape == (1,) and out[0] is ax
    assert len(_points(ax, "D")) == 0 and len(_points(ax, "x")) == 0
    assert "80%" in ax.get_title()


def test_plot_shrinkage_rows_sit_at_their_computed_positions(comparison):
    """Every (prior, feature) row is where _forest_rows puts it, its median marker at that
    posterior median, in ArviZ's forest order (features top down, priors in order inside)."""
    priors, features = list(comparison.results), list(comparison.feature_names)
    rows = plots._forest_rows(priors, features)
    (ax,) = plots.plot_shrinkage(comparison)
    markers = {(float(ln.get_ydata()[0]), to_rgba(ln.get_color())): float(ln.get_xdata()[0])
               for ln in ax.lines if ln.get_marker() == "o"}
    assert len(markers) == len(priors) * len(features)
    for k, name in enumerate(priors):
        draws = comparison[name].idata.posterior["coef"].values.reshape(-1, len(features))
        for j, feat in enumerate(features):
            x = markers[(rows[(name, feat)], to_rgba(f"C{k}"))]
            assert x == pytest.approx(np.median(draws[:, j]), rel=1e-12)
    # top to bottom: feature 0 (prior 0, prior 1), feature 1 (...), ...
    order = sorted(rows, key=lambda key: -rows[key])
    assert order == [(name, feat) for feat in features for name in priors]
    np.testing.assert_allclose(ax.get_yticks(), [np.mean([rows[(n, f)] for n in priors])
                                                 for f in features])
    # the same row order as az.plot_forest: its median markers, top to bottom, are ours
    az = pytest.importorskip("arviz")
    _, ax_az = plt.subplots()
    az.plot_forest([comparison[n].idata for n in priors], model_names=priors, var_names=["coef"],
                   combined=True, hdi_prob=0.94, quartiles=True, legend=False, ax=ax_az)
    theirs = sorted((ln for ln in ax_az.lines if ln.get_marker() == "o"),
                    key=lambda ln: -float(ln.get_ydata()[0]))
    ours = sorted((ln for ln in ax.lines if ln.get_marker() == "o"),
                  key=lambda ln: -float(ln.get_ydata()[0]))
    np.testing.assert_allclose([float(ln.get_xdata()[0]) for ln in ours],
                               [float(ln.get_xdata()[0]) for ln in theirs], rtol=1e-9)


def test_forest_rows_layout():
    rows = plots._forest_rows(["a", "b", "c"], ["x", "y"])
    assert rows[("b", "x")] == pytest.approx(1.0) and rows[("b", "y")] == pytest.approx(0.0)
    assert rows[("a", "x")] > rows[("b", "x")] > rows[("c", "x")] > rows[("a", "y")] + 0.5
    assert plots._forest_rows(["only"], ["x", "y", "z"]) == {
        ("only", "x"): 2.0, ("only", "y"): 1.0, ("only", "z"): 0.0}


# ---------------------------------------------------------------------------------------------
# plot_posteriors


def test_plot_posteriors_one_panel_per_feature(comparison):
    axes = plots.plot_posteriors(comparison)
    features = list(comparison.feature_names)
    assert axes.shape == (len(features),)
    assert [ax.get_title() for ax in axes] == features
    for ax, j in zip(axes, range(len(features)), strict=True):
        densities = [line for line in ax.lines if len(line.get_xdata()) > 10]
        assert len(densities) == 2  # one KDE per prior
        maps = _lines_with_style(ax, "--")
        assert sorted(line.get_xdata()[0] for line in maps) == sorted(
            comparison[name].map.coef[j] for name in comparison.results)
        (ols,) = _lines_with_style(ax, ":")
        assert ols.get_xdata()[0] == pytest.approx(comparison.ols_coef[j])
    (legend,) = axes[0].figure.legends
    assert len(legend.get_texts()) == 5  # 2 posteriors, 2 MAPs, OLS


def test_plot_posteriors_subset_and_given_axes(comparison):
    axes = plots.plot_posteriors(comparison, "s5", show_ols=False)
    assert axes.shape == (1,) and axes[0].get_title() == "s5"
    assert not _lines_with_style(axes[0], ":")
    _, given = plt.subplots(1, 3)
    out = plots.plot_posteriors(comparison, ["bmi", "s2"], axes=given)
    assert list(out) == list(given[:2])
    assert given[0].get_legend() is not None
    with pytest.raises(ValueError, match="features"):
        plots.plot_posteriors(comparison, ["bmi", "nope"])
    with pytest.raises(ValueError, match="axes"):
        plots.plot_posteriors(comparison, ["bmi", "s2"], axes=given[:1])


# ---------------------------------------------------------------------------------------------
# plot_prior_posterior


def _by_gid(ax, gid):
    return [artist for artist in [*ax.lines, *ax.collections] if artist.get_gid() == gid]


def _prior_line(ax):
    (line,) = _by_gid(ax, "prior")
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())


def _posterior_peak(ax):
    (line,) = _by_gid(ax, "posterior")
    return float(np.max(line.get_ydata()))


def _legend_title(axes):
    return axes[0].figure.legends[0].get_title().get_text()


def _overlapping_texts(fig):
    """Pairs of visible, non-empty texts of the figure whose boxes overlap (more than 1 pixel),
    the figure legend counted as one box; also the boxes that leave the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        (x_lo, x_hi), (y_lo, y_hi) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        ticks = [t for t in ax.get_xticklabels() if x_lo <= t.get_position()[0] <= x_hi]
        ticks += [t for t in ax.get_yticklabels() if y_lo <= t.get_position()[1] <= y_hi]
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label, ax.yaxis.get_offset_text(),
                 ax.xaxis.get_offset_text(), *ticks]  # the tick labels drawn (inside the limits)
        boxes += [(t.get_text(), t.get_window_extent(renderer)) for t in texts
                  if t.get_visible() and t.get_text()]
    if fig._suptitle is not None:
        boxes.append((fig._suptitle.get_text(), fig._suptitle.get_window_extent(renderer)))
    boxes += [("legend", legend.get_window_extent(renderer)) for legend in fig.legends]
    overlaps = []
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1:]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1:
                overlaps.append((name_a, name_b))
    outside = [name for name, box in boxes if box.x0 < fig.bbox.x0 - 1 or box.x1 > fig.bbox.x1 + 1
               or box.y0 < fig.bbox.y0 - 1 or box.y1 > fig.bbox.y1 + 1]
    return overlaps, outside


def test_plot_prior_posterior_marginal_prior_under_the_hyperprior(comparison):
    res = comparison["laplace"]
    axes = plots.plot_prior_posterior(res, ["bmi", "s2", "s3"])
    assert [ax.get_title().split(" (")[0] for ax in axes] == ["bmi", "s2", "s3"]
    title = _legend_title(axes)
    assert "coef_scale ~ HalfCauchy" in title and "posterior median" in title
    # the plotted curve is ∫ Laplace(x | 0, s σ) HalfCauchy(s) ds at σ = posterior median
    rp = res.resolved_prior
    sigma = float(res.idata.posterior["sigma"].median())
    half_cauchy = stats.halfcauchy(scale=rp.hyperprior.scale)
    x, density = _prior_line(axes[2])
    for k in np.linspace(0, len(x) - 1, 5).astype(int)[1:-1]:
        if x[k] == 0.0:
            continue
        def integrand(s, v=x[k]):
            return stats.laplace.pdf(v, scale=s * sigma) * half_cauchy.pdf(s)

        knee = abs(x[k]) / sigma  # the conditional density peaks in s near |x| / σ
        exact = (integrate.quad(integrand, 0, 10 * knee, points=[knee], limit=200)[0]
                 + integrate.quad(integrand, 10 * knee, np.inf, limit=200)[0])
        assert density[k] == pytest.approx(exact, rel=2e-2)
    for ax in axes:
        assert ax.get_ylim()[0] == 0.0
        assert len(_by_gid(ax, "posterior")) == 1 and len(_by_gid(ax, "median")) == 1


def test_plot_prior_posterior_is_readable(comparison):
    """One x-range per panel holding the posterior's HDI, 0 and not much more; a density y-axis;
    no text over the curves or over other text; a legend in words, outside the panels."""
    res = comparison["laplace"]
    features = list(res.feature_names)
    axes = plots.plot_prior_posterior(res)
    fig = axes[0].figure
    hdi = bayesreg.compare._coef_hdi(res.idata.posterior["coef"], 0.94)
    draws = res.idata.posterior["coef"].values.reshape(-1, len(features))
    for j, ax in enumerate(axes):
        lo, hi = ax.get_xlim()
        assert lo < min(hdi[j, 0], 0.0) and hi > max(hdi[j, 1], 0.0)
        q_lo, q_hi = np.quantile(draws[:, j], [0.005, 0.995])
        assert hi - lo <= 2.3 * (max(q_hi, 0.0) - min(q_lo, 0.0))  # the posterior is not squashed
        x, _ = _prior_line(ax)  # the prior is drawn over the whole panel
        assert x[0] == pytest.approx(lo) and x[-1] == pytest.approx(hi)
        (median,) = _by_gid(ax, "median")
        assert median.get_xdata()[0] == pytest.approx(np.median(draws[:, j]), rel=1e-12)
        assert f"[{hdi[j, 0]:.3g}, {hdi[j, 1]:.3g}]" in ax.get_title()
        (map_line,) = _by_gid(ax, "map")
        assert map_line.get_xdata()[0] == res.map.coef[j]
        # a y-axis with numbers; the posterior's peak shown whole and at least half the height
        assert ax.yaxis.get_visible() and ax.spines["left"].get_visible()
        assert ax.get_ylim()[0] == 0.0
        assert 0.5 * ax.get_ylim()[1] < _posterior_peak(ax) <= ax.get_ylim()[1]
        assert not ax.texts  # nothing written inside the data area
    assert [ax.get_ylabel() for ax in axes] == ["density", "", "", "", "", "density", "", "", "",
                                                ""]
    fig.canvas.draw()
    assert all(any(t.get_text() for t in ax.get_yticklabels()) for ax in axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "posterior", "prior", "94% HDI (credible interval)", "posterior median",
        f"MAP = Lasso(α={res.map.alpha:.3g})"]
    overlaps, outside = _overlapping_texts(fig)
    assert overlaps == [] and outside == []
    renderer = fig.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    assert all(box.y1 <= ax.get_window_extent(renderer).y0 for ax in axes)  # below every panel


def test_plot_prior_posterior_clips_the_horseshoe_spike(data):
    """The horseshoe's pole at 0 is cut at the top of the panel and marked, not dwarfing the
    posterior; natural-scale data (raw diabetes) keep every label apart."""
    X, y = data
    res = bayesreg.fit(X, y, "horseshoe", draws=300, tune=100, chains=2, random_seed=SEED,
                       progressbar=False, warn_convergence=False)
    axes = plots.plot_prior_posterior(res, ["age", "bmi", "s5"])
    for ax in axes:
        _, density = _prior_line(ax)
        top = ax.get_ylim()[1]
        assert np.max(density) > top  # the pole leaves the panel...
        (peak,) = _by_gid(ax, "prior_peak")  # ...and a marker at the top says so
        assert peak.get_marker() == "^" and peak.get_ydata()[0] == pytest.approx(0.96 * top)
        assert peak.get_xdata()[0] == 0.0
        assert top == pytest.approx(1.25 * _posterior_peak(ax))
    texts = [t.get_text() for t in axes[0].figure.legends[0].get_texts()]
    assert texts[1] == "prior (▲ peak clipped)"
    assert texts[-1] == "no MAP (the horseshoe prior has no finite mode)"
    assert "coef_local" in _legend_title(axes)
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    raw = sklearn_datasets.load_diabetes(scaled=False, as_frame=True)
    res = bayesreg.fit(raw.data, raw.target, "laplace", draws=300, tune=100, chains=2,
                       random_seed=SEED, progressbar=False, warn_convergence=False)
    axes = plots.plot_prior_posterior(res)
    overlaps, outside = _overlapping_texts(axes[0].figure)
    assert overlaps == [] and outside == []
    hdi = bayesreg.compare._coef_hdi(res.idata.posterior["coef"], 0.94)
    for j, ax in enumerate(axes):
        lo, hi = ax.get_xlim()
        assert lo < min(hdi[j, 0], 0.0) and hi > max(hdi[j, 1], 0.0)
        _, density = _prior_line(ax)
        if not _by_gid(ax, "prior_peak"):  # not clipped: the whole prior is in the panel
            assert np.max(density) <= ax.get_ylim()[1]


def test_plot_prior_posterior_gamma_hyperprior_on_the_squared_rate(data):
    X, y = data
    prior = bayesreg.Laplace(hyperprior=bayesreg.Gamma(shape=1.0, rate=1.78), scale_with_sigma=True)
    res = bayesreg.fit(X, y, prior, draws=200, tune=100, chains=2, random_seed=SEED,
                       progressbar=False, warn_convergence=False)
    axes = plots.plot_prior_posterior(res, ["s1"])
    assert "Gamma(shape=1, rate=1.78)" in _legend_title(axes)
    # ∫ Laplace(x | 0, σ/ρ) Gamma(ρ² | 1, 1.78) dρ², at σ = posterior median
    sigma = float(res.idata.posterior["sigma"].median())
    x, density = _prior_line(axes[0])
    k = len(x) // 5
    exact, _ = integrate.quad(
        lambda r2: stats.laplace.pdf(x[k], scale=sigma / np.sqrt(r2))
        * stats.gamma.pdf(r2, 1.0, scale=1 / 1.78), 0, np.inf, limit=200)
    assert density[k] == pytest.approx(exact, rel=2e-2)


def test_plot_prior_posterior_fixed_scale_is_the_prior_density(data):
    X, y = data
    res = bayesreg.fit(X, y, "gaussian", alpha=0.05, draws=300, tune=0, chains=2,
                       random_seed=SEED, progressbar=False)
    axes = plots.plot_prior_posterior(res, "bmi")
    x, density = _prior_line(axes[0])
    sigma = float(res.idata.posterior["sigma"].median())
    rp = res.resolved_prior
    expected = np.exp(rp.log_prior_coef(x[::50, None], sigma))  # coef (S, p=1) → (S,)
    np.testing.assert_allclose(density[::50], expected, rtol=1e-10)
    assert 0.0 in x  # the prior's mode is always on the grid
    assert _legend_title(axes) == f"prior: Normal(0, 4.47214 · σ)\nσ = {sigma:.4g} (its posterior median)"


def test_plot_prior_posterior_standardized_fit_draws_the_prior_in_x_units():
    """standardize=True: the prior is on coef_j * sd_j, so the curve drawn over coef_j in X's
    units is sd_j * p(coef_j * sd_j) -- a proper density of coef_j that covers the posterior."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
    res = bayesreg.fit(X, y, "laplace", alpha=0.5, standardize=True, draws=500, tune=0,
                       chains=2, random_seed=SEED, progressbar=False)
    sd = np.asarray(res.x_scale)
    sigma = float(res.idata.posterior["sigma"].median())
    axes = plots.plot_prior_posterior(res, ["age", "bmi", "s5"])
    for ax, feat in zip(axes, ["age", "bmi", "s5"], strict=True):
        j = list(res.feature_names).index(feat)
        x, density = _prior_line(ax)
        expected = sd[j] * np.exp(res.resolved_prior.log_prior_coef(x[:, None] * sd[j], sigma))
        np.testing.assert_allclose(density, expected, rtol=1e-10)
        # a density of coef_j: it integrates to 1 over a range wide enough for the prior
        b = sigma**2 / (len(y) * 0.5) / sd[j]  # the Laplace scale in X's units: sigma^2/(n alpha)/sd_j
        grid = np.linspace(-40 * b, 40 * b, 200_001)
        on_grid = sd[j] * np.exp(res.resolved_prior.log_prior_coef(grid[:, None] * sd[j], sigma))
        assert integrate.trapezoid(on_grid, grid) == pytest.approx(1.0, rel=1e-3)
        # the panel shows the posterior: the x-range holds the central 99 % of the draws
        draws = res.idata.posterior["coef"].sel(feature=feat).values.ravel()
        lo, hi = ax.get_xlim()
        assert lo <= np.quantile(draws, 0.005) and np.quantile(draws, 0.995) <= hi
    assert "standardize=True" in _legend_title(axes)


def test_plot_prior_posterior_posterior_scale_draws_and_errors(comparison, data):
    axes = plots.plot_prior_posterior(comparison["gaussian"], scale_draws="posterior")
    assert axes.shape == (len(comparison.feature_names),)
    assert "posterior draws of coef_scale" in _legend_title(axes)
    with pytest.raises(ValueError, match="scale_draws"):
        plots.plot_prior_posterior(comparison["gaussian"], scale_draws="prior")
    with pytest.raises(ValueError, match="hdi_prob"):
        plots.plot_prior_posterior(comparison["gaussian"], hdi_prob=1.5)
    X, y = data
    only_map = bayesreg.fit(X, y, "laplace", alpha=0.1, method="map")
    with pytest.raises(ValueError, match="posterior draws"):
        plots.plot_prior_posterior(only_map)


# ---------------------------------------------------------------------------------------------
# plot_regularization_path


def test_plot_regularization_path_from_finished_paths(laplace_path, data):
    X, y = data
    p = X.shape[1]
    fine = bayesreg.map_path(X, y, "laplace",
                             alphas=np.geomspace(laplace_path.alphas[0], laplace_path.alphas[-1], 50))
    axes = plots.plot_regularization_path(laplace_path, map_path=fine)
    assert isinstance(axes, np.ndarray) and axes.shape == (2,)
    ax_map, ax_post = axes
    solid_map = [ln for ln in ax_map.lines if ln.get_linestyle() == "-"]
    assert len(solid_map) == p
    for ln, j in zip(solid_map, range(p), strict=True):  # the given MAP path, as given
        np.testing.assert_array_equal(ln.get_xdata(), fine.alphas)
        np.testing.assert_array_equal(ln.get_ydata(), fine.coef[:, j])
    # it ends at the posterior path's MAP (= Lasso) at its smallest alpha
    np.testing.assert_allclose([ln.get_ydata()[-1] for ln in solid_map],
                               laplace_path.map_coef[-1], rtol=1e-8, atol=1e-8)
    medians = [ln for ln in ax_post.lines if ln.get_marker() == "."]
    assert len(medians) == p
    np.testing.assert_allclose(np.array([ln.get_ydata() for ln in medians]).T,
                               laplace_path.median)
    assert len(_lines_with_style(ax_post, "--")) == p
    assert sum(isinstance(c, PolyCollection) for c in ax_post.collections) == p
    for ax in (ax_map, ax_post):
        assert ax.get_xscale() == "log" and ax.xaxis_inverted()
    assert "Lasso" in ax_map.get_title() and "94% HDI" in ax_post.get_title()
    (legend,) = ax_map.figure.legends
    assert len(legend.get_texts()) == p + 3


def test_plot_regularization_path_fits_nothing(laplace_path, data, comparison, monkeypatch):
    """Plots only draw finished results: every fitting entry point raises while they run."""
    X, y = data
    fine = bayesreg.map_path(X, y, "laplace", alphas=laplace_path.alphas)

    def no_fitting(*args, **kwargs):
        raise AssertionError("a plot function fitted or sampled")

    for module, name in [(bayesreg.map, "map_path"), (bayesreg, "map_path"),
                         (bayesreg.api, "fit"), (bayesreg.compare, "posterior_path"),
                         (bayesreg.compare, "compare_priors")]:
        monkeypatch.setattr(module, name, no_fitting)
    axes = plots.plot_regularization_path(laplace_path, map_path=fine, features=["bmi", "s5"])
    assert len([ln for ln in axes[1].lines if ln.get_marker() == "."]) == 2
    (ax_map,) = plots.plot_regularization_path(map_path=fine)
    assert len(ax_map.lines) == X.shape[1] + 1  # the MAP curves and the zero line
    plots.plot_shrinkage(comparison)
    plots.plot_posteriors(comparison, "bmi")
    plots.plot_prior_posterior(comparison["laplace"], "bmi")


def test_plot_regularization_path_map_path_alone_and_given_axes(data):
    X, y = data
    ridge = bayesreg.map_path(X, y, "gaussian", n_alphas=30)
    _, given = plt.subplots()
    axes = plots.plot_regularization_path(map_path=ridge, features=["bmi", "s5"], axes=given)
    assert axes.shape == (1,) and axes[0] is given
    assert "Ridge" in given.get_title() and given.xaxis_inverted()
    assert len([ln for ln in given.lines if ln.get_linestyle() == "-"]) == 2
    assert given.get_legend() is not None


def test_plot_regularization_path_without_map_path_uses_the_path(laplace_path):
    _, given = plt.subplots(1, 2)
    ax_map, ax_post = plots.plot_regularization_path(laplace_path, show_map=False, axes=given)
    assert ax_map is given[0] and ax_post is given[1]
    solid = [ln for ln in ax_map.lines if ln.get_linestyle() == "-"]
    assert len(solid) == 10
    np.testing.assert_array_equal(solid[0].get_xdata(), laplace_path.alphas)
    np.testing.assert_array_equal(solid[0].get_ydata(), laplace_path.map_coef[:, 0])
    assert not _lines_with_style(ax_post, "--")
    assert ax_post.get_legend() is not None and ax_post.xaxis_inverted()


def test_plot_regularization_path_errors(laplace_path, data):
    X, y = data
    with pytest.raises(ValueError, match=r"path= .*map_path="):
        plots.plot_regularization_path()
    with pytest.raises(TypeError, match="path must be a PosteriorPath"):
        plots.plot_regularization_path(X)
    with pytest.raises(TypeError, match="map_path must be a MAPPath"):
        plots.plot_regularization_path(laplace_path, map_path=laplace_path)
    ridge = bayesreg.map_path(X, y, "gaussian", n_alphas=5)
    with pytest.raises(ValueError, match="same prior family"):
        plots.plot_regularization_path(laplace_path, map_path=ridge)
    other = bayesreg.map_path(X.iloc[:, :3], y, "laplace", n_alphas=5)
    with pytest.raises(ValueError, match="same features"):
        plots.plot_regularization_path(laplace_path, map_path=other)
    _, one = plt.subplots()
    with pytest.raises(ValueError, match="axes must be 2 Axes"):
        plots.plot_regularization_path(laplace_path, axes=one)


# ---------------------------------------------------------------------------------------------
# penalties


def test_plot_penalty_geometry_l1_solution_on_an_axis():
    ax_l1, ax_l2 = plots.plot_penalty_geometry()
    sol_l1 = _points(ax_l1, "o")[0]
    sol_l2 = _points(ax_l2, "o")[0]
    assert np.isclose(sol_l1, 0.0, atol=1e-9).sum() == 1  # a corner of the diamond
    assert np.abs(sol_l1).sum() == pytest.approx(1.0)
    assert np.all(np.abs(sol_l2) > 0.1) and np.hypot(*sol_l2) == pytest.approx(1.0)
    assert any(isinstance(p, Polygon) for p in ax_l1.patches)
    assert any(isinstance(p, Circle) for p in ax_l2.patches)
    assert "exactly" in " ".join(t.get_text() for t in ax_l1.texts)
    assert len(_points(ax_l1, "x")) == 1  # the OLS point
    with pytest.raises(ValueError, match="correlation"):
        plots.plot_penalty_geometry(correlation=1.0)
    with pytest.raises(ValueError, match="ols"):
        plots.plot_penalty_geometry(ols=(0.2, 0.2))


def test_plot_penalty_gradients_marks_the_crossings():
    (ax,) = plots.plot_penalty_gradients()
    crossings = _points(ax, "o")
    np.testing.assert_allclose(np.sort(crossings[:, 0]), [-1.0, -0.5, 0.5, 1.0])
    np.testing.assert_allclose(crossings[:, 1], 1.0)
    curves = [ln for ln in ax.lines if len(ln.get_xdata()) > 10]
    assert len(curves) == 3
    assert len(ax.get_legend().get_texts()) == 4
    (ax2,) = plots.plot_penalty_gradients(show_half_l2=False, w_max=3.0)
    np.testing.assert_allclose(np.sort(_points(ax2, "o")[:, 0]), [-0.5, 0.5])
    assert ax2.get_xlim() == (-3.0, 3.0)
    with pytest.raises(ValueError, match="w_max"):
        plots.plot_penalty_gradients(w_max=0.8)


def test_every_plot_is_listed_in_all():
    assert sorted(plots.__all__) == sorted(
        ["plot_shrinkage", "plot_posteriors", "plot_prior_posterior", "plot_regularization_path",
         "plot_penalty_geometry", "plot_penalty_gradients", "plot_shrinkage_profile",
         "plot_selection", "plot_inclusion"])


def _every_plot(comparison, laplace_path):
    """(name, call) for every public plot: call(**kwargs) draws it from finished results."""
    return {
        "plot_shrinkage": lambda **kw: plots.plot_shrinkage(comparison, **kw),
        "plot_posteriors": lambda **kw: plots.plot_posteriors(comparison, ["bmi", "s5"], **kw),
        "plot_prior_posterior": lambda **kw: plots.plot_prior_posterior(comparison["laplace"],
                                                                        "bmi", **kw),
        "plot_regularization_path": lambda **kw: plots.plot_regularization_path(laplace_path,
                                                                                **kw),
        "plot_penalty_geometry": lambda **kw: plots.plot_penalty_geometry(**kw),
        "plot_penalty_gradients": lambda **kw: plots.plot_penalty_gradients(**kw),
        "plot_shrinkage_profile": lambda **kw: plots.plot_shrinkage_profile(
            comparison.shrinkage_profiles(random_seed=1), **kw),
    }


N_PANELS = {"plot_shrinkage": 1, "plot_posteriors": 2, "plot_prior_posterior": 1,
            "plot_regularization_path": 2, "plot_penalty_geometry": 2,
            "plot_penalty_gradients": 1, "plot_shrinkage_profile": 4}
SINGLE_AXES = {"plot_shrinkage", "plot_penalty_gradients"}  # ax=; the others take axes=


@pytest.mark.parametrize("name", sorted(N_PANELS))
def test_every_plot_returns_an_ndarray_of_axes_and_honours_figsize(name, comparison,
                                                                   laplace_path):
    from matplotlib.axes import Axes

    assert name in plots.__all__
    draw = _every_plot(comparison, laplace_path)[name]
    axes = draw(figsize=(7.5, 4.25))
    assert isinstance(axes, np.ndarray) and axes.shape == (N_PANELS[name],)
    assert all(isinstance(ax, Axes) for ax in axes)
    np.testing.assert_allclose(axes[0].figure.get_size_inches(), (7.5, 4.25))
    assert len({id(ax.figure) for ax in axes}) == 1
    # given axes: drawn into, returned in the same type, figsize ignored
    fig, given = plt.subplots(1, N_PANELS[name], figsize=(3.0, 2.0), squeeze=False)
    given = given.ravel()
    kwargs = {"ax": given[0]} if name in SINGLE_AXES else {"axes": given}
    out = draw(figsize=(20.0, 20.0), **kwargs)
    assert isinstance(out, np.ndarray) and list(out) == list(given)
    np.testing.assert_allclose(fig.get_size_inches(), (3.0, 2.0))
