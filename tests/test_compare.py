"""compare_priors / PriorComparison (summary, LOO) and the Bayesian regularization path."""

import copy
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from conftest import SEED
from sklearn.linear_model import Lasso, LinearRegression, Ridge, lasso_path

import bayesreg
from bayesreg._backend import import_arviz
from bayesreg.compare import (
    PosteriorPath,
    PriorComparison,
    _markdown_table,
    compare_priors,
    default_path_alphas,
    posterior_path,
    sklearn_map,
)
from bayesreg.exceptions import BayesregWarning

COLUMNS = ["ols", "map", "sklearn", "alpha", "mean", "median", "sd", "hdi_low", "hdi_high",
           "threshold", "prob_small"]


def _draws(result):
    return result.idata.posterior["coef"].values.reshape(-1, len(result.feature_names))


# ---------------------------------------------------------------------------------------------
# summary


def test_summary_is_one_tidy_row_per_prior_and_feature(comparison, data):
    X, _ = data
    table = comparison.summary()
    assert list(table.columns) == COLUMNS
    assert table.index.names == ["prior", "feature"]
    assert list(table.index) == [(p, f) for p in ("gaussian", "laplace") for f in X.columns]
    assert table.attrs["hdi_prob"] == 0.94
    assert np.all(np.isfinite(table.to_numpy(dtype=float)))


def test_summary_equals_the_individual_fits(comparison):
    az = import_arviz()
    table = comparison.summary(hdi_prob=0.9)
    thr = comparison.default_threshold()
    for name, res in comparison.results.items():
        draws = _draws(res)
        rows = table.loc[name]
        np.testing.assert_allclose(rows["mean"], draws.mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(rows["median"], np.median(draws, axis=0), rtol=1e-12)
        np.testing.assert_allclose(rows["sd"], draws.std(axis=0, ddof=1), rtol=1e-12)
        hdi = np.array([az.hdi(draws[:, j], hdi_prob=0.9) for j in range(draws.shape[1])])
        np.testing.assert_allclose(rows[["hdi_low", "hdi_high"]].to_numpy(), hdi, rtol=1e-12)
        np.testing.assert_allclose(rows["prob_small"], np.mean(np.abs(draws) < thr, axis=0))
        np.testing.assert_array_equal(rows["map"], res.map.coef)
        assert np.all(rows["alpha"] == res.map.alpha)


def test_map_equals_sklearn_at_the_matched_alpha(comparison, data):
    X, y = data
    table = comparison.summary()
    for name, est in (("gaussian", Ridge), ("laplace", Lasso)):
        alpha = comparison[name].map.alpha
        kwargs = {} if est is Ridge else {"tol": 1e-12, "max_iter": 1_000_000}
        reference = est(alpha=alpha, **kwargs).fit(X, y).coef_
        scale = np.max(np.abs(reference))
        rows = table.loc[name]
        assert np.max(np.abs(rows["map"].to_numpy() - reference)) <= 1e-6 * scale
        assert np.max(np.abs(rows["sklearn"].to_numpy() - reference)) <= 1e-6 * scale


def test_laplace_map_has_exact_zeros_but_its_posterior_does_not(comparison):
    rows = comparison.summary().loc["laplace"]
    zeros = rows.index[rows["map"] == 0.0]
    assert len(zeros) >= 1  # diabetes: the Lasso at the plug-in alpha drops some predictors
    assert np.all(rows.loc[zeros, "median"] != 0.0)
    assert np.all(rows.loc[zeros, "mean"] != 0.0)
    assert np.all(rows.loc[zeros, "prob_small"] < 1.0)
    assert np.all(comparison.summary().loc["gaussian", "map"] != 0.0)


def test_ols_is_least_squares(comparison, data):
    X, y = data
    ols = LinearRegression().fit(X, y)
    np.testing.assert_allclose(comparison.ols_coef, ols.coef_, rtol=1e-9)
    assert comparison.ols_intercept == pytest.approx(ols.intercept_, rel=1e-9)
    np.testing.assert_array_equal(comparison.summary().loc["laplace", "ols"], comparison.ols_coef)


def test_threshold_and_hdi_prob_options(comparison, data):
    X, y = data
    expected = 0.01 * np.std(y.to_numpy()) / X.std(axis=0, ddof=0).to_numpy()
    np.testing.assert_allclose(comparison.default_threshold(), expected, rtol=1e-12)
    wide = comparison.summary(threshold=1e6)
    assert np.all(wide["prob_small"] == 1.0) and np.all(wide["threshold"] == 1e6)
    per_feature = np.linspace(1.0, 50.0, len(comparison.feature_names))
    table = comparison.summary(threshold=per_feature)
    np.testing.assert_array_equal(table.loc["gaussian", "threshold"], per_feature)
    narrow = comparison.summary(hdi_prob=0.5)
    assert np.all(narrow["hdi_high"] - narrow["hdi_low"]
                  < comparison.summary()["hdi_high"] - comparison.summary()["hdi_low"])
    with pytest.raises(ValueError, match="threshold"):
        comparison.summary(threshold=[1.0, 2.0])
    with pytest.raises(ValueError, match="threshold"):
        comparison.summary(threshold=-1.0)
    with pytest.raises(ValueError, match="hdi_prob"):
        comparison.summary(hdi_prob=1.5)


# ---------------------------------------------------------------------------------------------
# LOO


def test_loo_ranks_the_priors_and_matches_az_loo(comparison):
    az = import_arviz()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = comparison.loo()
    # only bayesreg's own warnings get out (no pandas deprecation noise from inside ArviZ)
    assert all(issubclass(w.category, BayesregWarning) for w in caught), [str(w.message)
                                                                          for w in caught]
    assert sorted(table.index) == ["gaussian", "laplace"]
    for col in ("rank", "elpd_loo", "p_loo", "elpd_diff", "weight", "se", "warning",
                "n_high_pareto_k"):
        assert col in table.columns
    for name, res in comparison.results.items():
        assert table.loc[name, "elpd_loo"] == pytest.approx(az.loo(res.idata).elpd_loo)
    assert table["weight"].sum() == pytest.approx(1.0)
    assert set(table["rank"]) == {0, 1}


def test_loo_warns_about_high_pareto_k():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 3))
    y = X @ np.array([1.0, 0.0, -1.0]) + 0.3 * rng.normal(size=30)
    y[0] += 25.0  # a gross outlier: its leave-one-out posterior differs from the full one
    comp = compare_priors(X, y, ("gaussian", "laplace"), alpha=0.1, draws=500, tune=200,
                          chains=2, random_seed=1, progressbar=False, warn_convergence=False)
    with pytest.warns(BayesregWarning, match="Pareto k"):
        table = comp.loo()
    assert table["n_high_pareto_k"].max() >= 1


def test_loo_needs_the_pointwise_log_likelihood(data):
    X, y = data
    comp = compare_priors(X, y, ("gaussian",), alpha=0.1, draws=50, tune=10, chains=1,
                          random_seed=1, progressbar=False, log_likelihood=False,
                          warn_convergence=False)
    with pytest.raises(ValueError, match="log-likelihood"):
        comp.loo()


# ---------------------------------------------------------------------------------------------
# the Markdown report


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def test_to_markdown_report(comparison):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        loo = comparison.loo()
    md = comparison.to_markdown(title="Diabetes priors", data_note="diabetes, 442 rows", loo=loo,
                                seed=SEED, elapsed=12.34)
    lines = md.splitlines()
    assert lines[0] == "# Diabetes priors"
    assert "- Data: diabetes, 442 rows." in lines
    assert ("- Priors: gaussian, laplace (hyperpriors on the scale, σ unknown with Jeffreys' "
            "prior).") in lines
    # the scikit-learn name comes from the prior family (map_name), with the fitted alpha
    for name, estimator in (("gaussian", "Ridge"), ("laplace", "Lasso")):
        (line,) = [ln for ln in lines if ln.startswith(f"- `{name}`:")]
        alpha = comparison[name].map.alpha
        assert f"MAP = scikit-learn {estimator}(alpha={alpha:.4g})" in line
        assert "2 chains × 300 draws" in line and comparison[name].sampler in line
    assert any(ln.startswith("- max |MAP − sklearn| = ") and f"seed {SEED}; 12.3 s." in ln
               for ln in lines)
    rows = _table_rows(md)
    features = comparison.feature_names
    coef_rows, loo_rows = rows[:1 + 2 * len(features)], rows[1 + 2 * len(features):]
    assert coef_rows[0].startswith("| prior | feature | ols | map | sklearn | alpha |")
    assert "94% HDI" in coef_rows[0] and "P(\\|β\\|<threshold)" in coef_rows[0]
    # one row per (prior, feature), in the order of summary()
    assert [tuple(r.split(" | ")[:2]) for r in coef_rows[1:]] == [
        (f"| {p}", f) for p in ("gaussian", "laplace") for f in features]
    median = comparison.summary().loc[("laplace", "bmi"), "median"]
    (bmi,) = [r for r in coef_rows if r.startswith("| laplace | bmi |")]
    assert f" {median:.4g} " in bmi
    assert "## PSIS-LOO (az.compare)" in lines
    assert loo_rows[0].startswith("| prior | rank | elpd_loo |") and "scale" not in loo_rows[0]
    assert sorted(r.split(" | ")[0][2:] for r in loo_rows[1:]) == ["gaussian", "laplace"]
    assert md.endswith("\n")


def test_to_markdown_defaults_and_loo_options(comparison):
    md = comparison.to_markdown(loo=False)
    assert md.startswith("# bayesreg compare\n")
    assert "- Data: 442 rows × 10 predictors." in md
    assert "PSIS-LOO" not in md and "seed" not in md
    assert comparison.to_markdown(loo=None) == md
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        computed = comparison.to_markdown()  # loo=True: computed here
    assert "## PSIS-LOO (az.compare)" in computed and len(_table_rows(computed)) == 21 + 3
    narrow = comparison.to_markdown(loo=False, hdi_prob=0.5, threshold=10.0, digits=3)
    assert "50% HDI" in narrow and "threshold as given" in narrow
    with pytest.raises(TypeError, match="loo must be"):
        comparison.to_markdown(loo="yes")


def test_to_markdown_without_log_likelihood_says_so(data):
    X, y = data
    comp = compare_priors(X, y, ("gaussian",), alpha=0.1, sigma=50.0, draws=50, tune=10,
                          chains=1, random_seed=1, progressbar=False, log_likelihood=False,
                          warn_convergence=False)
    md = comp.to_markdown()
    assert "## PSIS-LOO (az.compare)" in md and "Not computed:" in md
    assert "(fixed prior scales, σ fixed)" in md
    # σ and the scale are fixed: the MAP is not "at the posterior medians" of anything
    assert "MAP = scikit-learn Ridge(alpha=0.1)." in md


def test_to_markdown_and_summary_without_a_map(comparison, monkeypatch):
    """A prior with no MAP (FitResult.map is None) or no scikit-learn name is reported, not fatal."""
    no_map = copy.copy(comparison["laplace"])
    no_map.map = None
    comp = PriorComparison({"gaussian": comparison["gaussian"], "nomap": no_map},
                           comparison._X, comparison._y, comparison.feature_names)
    table = comp.summary()
    assert table.loc["nomap", ["map", "sklearn", "alpha"]].isna().all().all()
    assert np.isfinite(table.loc["nomap", "median"]).all()
    md = comp.to_markdown(loo=False)
    (line,) = [ln for ln in md.splitlines() if ln.startswith("- `nomap`:")]
    assert "no MAP" in line and "Laplace" in line
    assert "| nomap | bmi |" in md and "| — | — | — |" in md
    assert "max |MAP − sklearn|" in md  # from the prior that has one
    # a family without a scikit-learn name: the MAP is still reported, by its alpha
    family = comparison["gaussian"].resolved_prior.spec
    monkeypatch.setattr(type(family), "map_name", None)
    md = comparison.to_markdown(loo=False)
    (line,) = [ln for ln in md.splitlines() if ln.startswith("- `gaussian`:")]
    assert f"MAP at alpha={comparison['gaussian'].map.alpha:.4g}" in line
    assert "scikit-learn" not in line


def test_markdown_table_without_tabulate():
    frame = pd.DataFrame({"prior": ["a|b", "c"], "value": [0.0, 1234.5678], "n": [1, 2]})
    assert _markdown_table(frame.set_index("prior")) == "\n".join([
        "| prior | value | n |",
        "|:---|---:|---:|",
        "| a\\|b | 0 | 1 |",
        "| c | 1235 | 2 |",
    ])
    assert _markdown_table(pd.DataFrame({"x": [np.nan, 1.0]})).splitlines()[2] == "| — |"


# ---------------------------------------------------------------------------------------------
# compare_priors


def test_compare_priors_names_seeds_and_errors(data, monkeypatch):
    X, y = data
    kwargs = dict(alpha=0.05, draws=60, tune=20, chains=1, progressbar=False,
                  warn_convergence=False)
    comp = compare_priors(X, y, ("gaussian", "ridge", bayesreg.Laplace()), random_seed=5,
                          **kwargs)
    assert list(comp.results) == ["gaussian", "ridge", "laplace"]
    assert isinstance(comp, PriorComparison) and "PriorComparison" in repr(comp)
    again = compare_priors(X, y, ("gaussian", "ridge", bayesreg.Laplace()), random_seed=5,
                           **kwargs)
    pd.testing.assert_frame_equal(comp.summary(), again.summary())
    # the same seed for every prior: two identical Gaussian priors give identical draws
    twins = compare_priors(X, y, ("gaussian", "gaussian"), random_seed=7, **kwargs)
    assert list(twins.results) == ["gaussian_0", "gaussian_1"]
    np.testing.assert_array_equal(_draws(twins["gaussian_0"]), _draws(twins["gaussian_1"]))
    with pytest.raises(TypeError, match="sequence"):
        compare_priors(X, y, "laplace")
    with pytest.raises(ValueError, match="at least one"):
        compare_priors(X, y, ())
    with pytest.raises(ValueError, match="method"):
        compare_priors(X, y, ("laplace",), method="map", alpha=0.1)
    # the horseshoe has no alpha: refused before any fit; with alpha the default leaves it out
    assert list(compare_priors(X, y, random_seed=5, **kwargs).results) == ["gaussian", "laplace"]
    with monkeypatch.context() as patch:
        patch.setattr(bayesreg.api, "fit", lambda *a, **k: pytest.fail("fitted before the check"))
        with pytest.raises(ValueError, match=r"priors\[1\]: the horseshoe prior has no scikit"):
            compare_priors(X, y, ("laplace", "horseshoe"), alpha=0.1)


def test_compare_priors_default_includes_the_horseshoe(data):
    X, y = data
    comp = compare_priors(X, y, draws=60, tune=60, chains=2, random_seed=3, progressbar=False,
                          warn_convergence=False)
    assert list(comp.results) == list(bayesreg.compare.DEFAULT_PRIORS)
    assert list(comp.results) == ["gaussian", "laplace", "horseshoe"]
    assert comp["horseshoe"].map is None and comp["horseshoe"].sampler == "gibbs"
    summary = comp.summary()
    assert summary.loc["horseshoe", "map"].isna().all()
    assert summary.loc["laplace", "map"].notna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        loo = comp.loo()
    assert sorted(loo.index) == ["gaussian", "horseshoe", "laplace"]


def test_sklearn_map_rejects_unknown_family(data):
    X, y = data
    with pytest.raises(ValueError, match="prior must be one of"):
        sklearn_map(X.to_numpy(), y.to_numpy(), "cauchy", 0.1)
    with pytest.raises(ValueError, match="horseshoe prior has no scikit-learn equivalent"):
        sklearn_map(X.to_numpy(), y.to_numpy(), "horseshoe", 0.1)


# ---------------------------------------------------------------------------------------------
# the Bayesian regularization path


def test_posterior_path_shapes_and_map_path(laplace_path, data):
    X, y = data
    path = laplace_path
    assert isinstance(path, PosteriorPath) and path.family == "laplace"
    assert path.sampler == "gibbs" and path.chains == 2
    assert path.alphas.shape == (4,) and np.all(np.diff(path.alphas) < 0)
    for arr in (path.median, path.mean, path.lower, path.upper, path.map_coef):
        assert arr.shape == (4, X.shape[1])
    assert np.all(path.lower <= path.median) and np.all(path.median <= path.upper)
    assert path.draws.shape == (4,) and np.all(path.draws >= 200)
    assert path.rhat_max.shape == (4,) and path.ess_bulk_min.shape == (4,)
    # the MAP path is scikit-learn's lasso_path (on centred data) at the same alphas
    Xc, yc = X.to_numpy() - X.to_numpy().mean(0), y.to_numpy() - y.mean()
    _, coefs, _ = lasso_path(Xc, yc, alphas=path.alphas, tol=1e-12, max_iter=1_000_000)
    assert np.max(np.abs(path.map_coef - coefs.T)) <= 1e-6 * np.max(np.abs(coefs))
    frame = path.to_frame()
    assert frame.shape == (4 * X.shape[1], 7)
    assert list(frame.columns) == ["alpha", "feature", "map", "mean", "median", "lower", "upper"]
    assert "PosteriorPath" in repr(path)


def test_laplace_path_has_no_exact_zeros(laplace_path):
    # at alpha_max every Lasso coefficient is exactly 0; no posterior median is
    assert np.all(laplace_path.map_coef[0] == 0.0)
    assert np.all(laplace_path.median != 0.0)


def test_gaussian_path_median_is_the_ridge_solution(data):
    # β | y is a multivariate t centred at Ridge(alpha): its median is the MAP. The exact sampler
    # draws independently, so the Monte-Carlo sd of a sample median is ≈ 1.2533 sd / sqrt(N).
    X, y = data
    path = posterior_path(X, y, "gaussian", n_alphas=5, draws=400, chains=2, random_seed=SEED)
    assert path.sampler == "exact"
    ridge = np.array([Ridge(alpha=a).fit(X, y).coef_ for a in path.alphas])
    np.testing.assert_allclose(path.map_coef, ridge, rtol=1e-8, atol=1e-8)
    sd = (path.upper - path.lower) / (2 * 1.881)  # 94% interval of a near-normal posterior
    mc_se = 1.2533 * sd / np.sqrt(2 * 400)
    assert np.all(np.abs(path.median - ridge) < 5 * mc_se)


def test_posterior_path_is_reproducible_and_validates(data):
    X, y = data
    one = posterior_path(X, y, "ridge", alphas=[0.1, 1.0], draws=50, chains=2, random_seed=3)
    two = posterior_path(X, y, "ridge", alphas=[1.0, 0.1], draws=50, chains=2, random_seed=3)
    np.testing.assert_array_equal(one.alphas, [1.0, 0.1])
    np.testing.assert_array_equal(one.median, two.median)
    fixed = posterior_path(X, y, "gaussian", alphas=[0.5], sigma=50.0, draws=50, random_seed=1)
    assert fixed.sigma == 50.0
    with pytest.raises(ValueError, match="gaussian"):
        posterior_path(X, y, bayesreg.ElasticNet(l1_ratio=0.5), alphas=[0.1])
    with pytest.raises(ValueError, match="alphas"):
        posterior_path(X, y, "laplace", alphas=[0.1, -1.0])
    with pytest.raises(ValueError, match="hdi_prob"):
        posterior_path(X, y, "laplace", alphas=[0.1], hdi_prob=0.0)


def test_default_path_alphas(data):
    X, y = data
    Xc, yc = X.to_numpy() - X.to_numpy().mean(0), y.to_numpy() - y.mean()
    lap = default_path_alphas(X, y, "laplace", n_alphas=7)
    assert lap[0] == pytest.approx(np.max(np.abs(Xc.T @ yc)) / len(y))
    assert lap[-1] == pytest.approx(1e-3 * lap[0])
    s2 = np.linalg.svd(Xc, compute_uv=False) ** 2
    gau = default_path_alphas(X, y, "gaussian", n_alphas=7)
    assert gau.shape == (7,) and np.all(np.diff(gau) < 0)
    assert gau[0] == pytest.approx(10 * s2.max()) and gau[-1] == pytest.approx(0.1 * s2.min())
