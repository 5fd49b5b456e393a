"""compare_priors / PriorComparison (summary, LOO, strengths by CV) and the Bayesian path."""

import copy
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from conftest import SEED
from sklearn.linear_model import (
    ElasticNetCV,
    Lasso,
    LassoCV,
    LinearRegression,
    Ridge,
    RidgeCV,
    lasso_path,
)
from sklearn.model_selection import KFold

import bayesreg
from bayesreg._backend import import_arviz
from bayesreg.compare import (
    PosteriorPath,
    PriorComparison,
    _markdown_table,
    compare_priors,
    cv_alpha,
    cv_C,
    default_path_alphas,
    describe_loo,
    posterior_path,
    sklearn_map,
)
from bayesreg.exceptions import BayesregWarning

COLUMNS = ["ols", "map", "sklearn", "alpha", "strength", "mean", "median", "sd", "hdi_low",
           "hdi_high", "threshold", "prob_small"]


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
    assert np.all(np.isfinite(table.drop(columns="strength").to_numpy(dtype=float)))
    # default strength: each scale learned, the MAP's alpha at the posterior medians shown
    for name in ("gaussian", "laplace"):
        alpha = comparison[name].map.alpha
        assert (table.loc[name, "strength"] == f"hyperprior, MAP α = {alpha:.3g}").all()


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
    assert loo_rows[0].startswith("| prior | elpd_diff | dse | vs_best | elpd_loo |")
    assert "scale" not in loo_rows[0]
    # the difference is said in words before the table, with its standard error
    (words,) = [ln for ln in lines if ln.startswith("The ")]
    runner_up = loo.index[1]
    gap = f"Δelpd = {loo['elpd_diff'].iloc[1]:.2f} ± {loo['dse'].iloc[1]:.2f}"
    assert gap in words and runner_up in words and loo.index[0] in words
    assert lines.index(words) < lines.index(loo_rows[0])
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


# ---------------------------------------------------------------------------------------------
# fair comparisons: strength="cv", a dict of strengths; the LOO table in words


def _raw_diabetes(n_rows: int = 100):
    """scikit-learn's diabetes data in natural units (age in years, sex coded 1/2, ...)."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, scaled=False)
    return X[:n_rows], y[:n_rows]


def _prostate_train():
    X, y = bayesreg.datasets.load_prostate(split="train")
    return X.to_numpy(dtype=float), y.to_numpy(dtype=float)


def _relative(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))) / np.max(np.abs(b)))


CV_DATA = {
    # shuffled folds on 100 natural-scale rows: every optimum inside the grid
    "diabetes_raw": (_raw_diabetes, lambda X: list(KFold(5, shuffle=True, random_state=0).split(X))),
    # cv=5 means scikit-learn's KFold(5), unshuffled
    "prostate": (_prostate_train, lambda X: 5),
}


@pytest.mark.parametrize("dataset", list(CV_DATA))
@pytest.mark.parametrize("prior", ["laplace", "elasticnet"])
def test_cv_alpha_equals_lassocv_and_elasticnetcv(dataset, prior):
    load, folds_of = CV_DATA[dataset]
    X, y = load()
    cv = folds_of(X)
    curve = cv_alpha(X, y, prior, cv=cv, progressbar=False)
    estimator = (LassoCV() if prior == "laplace" else ElasticNetCV(l1_ratio=0.5))
    sk = estimator.set_params(cv=cv, tol=1e-12, max_iter=1_000_000).fit(X, y)
    # scikit-learn's default grid (100 alphas, eps=1e-3) and the same folds
    np.testing.assert_allclose(curve.alphas, sk.alphas_, rtol=1e-12)
    assert curve.index == int(np.argmin(sk.mse_path_.mean(axis=1)))
    assert curve.alpha == pytest.approx(sk.alpha_, rel=1e-12)
    np.testing.assert_allclose(curve.mse_path, sk.mse_path_, rtol=1e-8)
    np.testing.assert_allclose(curve.mean_mse, curve.mse_path.mean(axis=1))
    # the MAP at the chosen alpha is the CV estimator's refit
    est = bayesreg.map_estimate(X, y, prior, alpha=curve.alpha)
    assert _relative(est.coef, sk.coef_) <= 1e-6
    assert est.intercept == pytest.approx(sk.intercept_, rel=1e-6)
    if dataset == "diabetes_raw":  # an optimum inside the grid, not at its end
        assert 0 < curve.index < curve.alphas.size - 1


@pytest.mark.parametrize("dataset", list(CV_DATA))
def test_cv_alpha_equals_ridgecv_with_the_same_folds(dataset):
    load, folds_of = CV_DATA[dataset]
    X, y = load()
    cv = folds_of(X)
    grid = cv_alpha(X, y, "gaussian", cv=cv, progressbar=False).alphas[::4]  # 25 of the default
    curve = cv_alpha(X, y, "gaussian", cv=cv, alphas=grid, progressbar=False)
    # RidgeCV with cv= splits is GridSearchCV; its default score is R², so match the MSE criterion
    sk = RidgeCV(alphas=grid, cv=cv, scoring="neg_mean_squared_error").fit(X, y)
    assert curve.alpha == sk.alpha_
    assert curve.mean_mse[curve.index] == pytest.approx(-sk.best_score_, rel=1e-10)
    if dataset == "diabetes_raw":  # an optimum inside the grid, not at its end
        assert 0 < curve.index < grid.size - 1
    est = bayesreg.map_estimate(X, y, "gaussian", alpha=curve.alpha)
    assert _relative(est.coef, sk.coef_) <= 1e-6
    frame = curve.to_frame()
    assert list(frame.columns) == ["mean_mse"] + [f"fold_{k}" for k in range(5)]
    assert frame.index.name == "alpha" and "alpha=" in repr(curve)


def test_cv_alpha_rejects_a_prior_without_penalty_and_bad_folds():
    X, y = _prostate_train()
    with pytest.raises(ValueError, match="horseshoe prior has none"):
        cv_alpha(X, y, "horseshoe")
    with pytest.raises(ValueError, match="cv must be at least 2"):
        cv_alpha(X, y, cv=1)
    with pytest.raises(TypeError, match="cv must be an int"):
        cv_alpha(X, y, cv=2.5)
    with pytest.raises(ValueError, match="fold 0 has test indices outside"):
        cv_alpha(X, y, cv=[(np.arange(10), np.arange(60, 80))])
    with pytest.raises(ValueError, match="alphas must all be finite and positive"):
        cv_alpha(X, y, alphas=[0.1, -1.0])


@pytest.fixture(scope="module")
def cv_comparison():
    X, y = _raw_diabetes()
    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    comp = compare_priors(X, y, ("gaussian", "laplace", "horseshoe"), strength="cv", cv=folds,
                          draws=200, tune=200, chains=2, random_seed=SEED, progressbar=False,
                          warn_convergence=False)
    return comp, X, y, folds


def test_compare_priors_cv_samples_each_prior_at_its_cv_alpha(cv_comparison):
    comp, X, y, folds = cv_comparison
    refits = {"gaussian": RidgeCV, "laplace": LassoCV}
    for name, strength in comp.strengths.items():
        if name == "horseshoe":  # no penalty: it keeps its hyperprior, and says so
            assert strength.source == "hyperprior" and strength.value is None
            assert "no CV" in strength.label and "keeps its hyperprior" in strength.note
            assert comp[name].resolved_prior.scale_is_random
            continue
        curve = strength.cv
        assert strength.source == "cv" and strength.parameter == "alpha"
        assert strength.value == curve.alpha == comp.cv_curves[name].alpha
        assert [(list(a), list(b)) for a, b in curve.folds] == [(list(a), list(b))
                                                                for a, b in folds]
        assert strength.label == f"α = {curve.alpha:.3g}, 5-fold CV"
        kwargs = ({"scoring": "neg_mean_squared_error"} if name == "gaussian"
                  else {"tol": 1e-12, "max_iter": 1_000_000})
        sk = refits[name](alphas=curve.alphas, cv=folds, **kwargs).fit(X, y)
        assert curve.alpha == pytest.approx(sk.alpha_, rel=1e-12)
        # sampled at that alpha with σ unknown: the MAP is the CV estimator's refit
        res = comp[name]
        assert res.resolved_prior.sigma is None and not res.resolved_prior.scale_is_random
        assert res.map.alpha == pytest.approx(curve.alpha, rel=1e-12)
        assert _relative(res.map.coef, sk.coef_) <= 1e-6
    table = comp.summary()
    for name in comp.results:
        assert (table.loc[name, "strength"] == comp.strengths[name].label).all()
    assert "5-fold CV" in repr(comp)


def test_cv_strengths_in_the_report_and_the_legends(cv_comparison):
    import matplotlib.pyplot as plt

    from bayesreg import plots

    comp = cv_comparison[0]
    md = comp.to_markdown(loo=False)
    assert "(α chosen by 5-fold cross-validation where the prior has one" in md
    for name in ("gaussian", "laplace"):
        (line,) = [ln for ln in md.splitlines() if ln.startswith(f"- `{name}`:")]
        assert f"α = {comp.strengths[name].value:.4g} chosen by 5-fold cross-validation" in line
    (line,) = [ln for ln in md.splitlines() if ln.startswith("- `horseshoe`:")]
    assert "no α to cross-validate: it keeps its hyperprior" in line
    assert "held-out mean squared error" in md
    (ax,) = plots.plot_shrinkage(comp)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    alpha = comp.strengths["laplace"].value
    assert f"laplace (α = {alpha:.3g}, 5-fold CV): posterior median, 50% & 94% HDI" in labels
    assert any(lab.startswith("horseshoe (hyperprior (no penalty, no CV))") for lab in labels)
    plt.close(ax.figure)
    axes = plots.plot_posteriors(comp, ["x2"])
    labels = [t.get_text() for t in axes[0].figure.legends[0].get_texts()]
    assert f"laplace (α = {alpha:.3g}, 5-fold CV) posterior (• median)" in labels
    plt.close(axes[0].figure)


def test_compare_priors_with_a_dict_of_strengths():
    X, y = _prostate_train()
    kwargs = dict(draws=100, tune=50, chains=1, random_seed=3, progressbar=False,
                  warn_convergence=False)
    comp = compare_priors(X, y, ("ridge", "lasso", "horseshoe"),
                          strength={"gaussian": {"alpha": 5.0}, "lasso": 0.01}, **kwargs)
    assert comp["ridge"].map.alpha == pytest.approx(5.0, rel=1e-12)
    assert comp["lasso"].map.alpha == pytest.approx(0.01, rel=1e-12)
    assert comp.strengths["ridge"].label == "α = 5, given"
    assert comp.strengths["lasso"].to_dict() == {
        "parameter": "alpha", "value": 0.01, "source": "given", "label": "α = 0.01, given",
        "note": "α = 0.01 as given"}
    assert comp.strengths["horseshoe"].source == "hyperprior"  # not named: keeps its hyperprior
    scaled = compare_priors(X, y, ("laplace",), strength={"laplace": {"scale": 0.2}}, **kwargs)
    assert scaled["laplace"].resolved_prior.scale == 0.2
    assert scaled.strengths["laplace"].label == "scale = 0.2, given"


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"strength": "cross"}, ValueError, "strength must be one of 'hyperprior', 'cv'"),
    ({"strength": 3}, TypeError, "strength must be 'hyperprior', 'cv' or a dict"),
    ({"strength": {"lapalce": 0.1}}, ValueError, r"key\(s\) \['lapalce'\] that name none"),
    ({"strength": {"laplace": {"beta": 1.0}}}, ValueError, "exactly one key, 'alpha', 'C'"),
    ({"strength": {"laplace": -1.0}}, ValueError, r"strength\['laplace'\]\['alpha'\] must be"),
    ({"strength": {"laplace": "big"}}, TypeError, "must be a positive number"),
    ({"strength": {"gaussian": 1.0, "ridge": 2.0}, "priors": ("ridge",)}, ValueError,
     "named by more than one key"),
    ({"strength": {"horseshoe": 0.1}, "priors": ("laplace", "horseshoe")}, ValueError,
     "horseshoe prior has no scikit-learn penalty, so no alpha"),
    ({"strength": {"elasticnet": {"scale": 1.0}}, "priors": ("elasticnet",)}, ValueError,
     "set by alpha"),
    ({"priors": ("elasticnet",)}, ValueError, r"priors\[0\] \('elasticnet'\).*needs alpha"),
    ({"strength": "cv", "priors": ("laplace", bayesreg.Laplace(scale=1.0))}, ValueError,
     "already sets its strength"),
    ({"strength": "cv", "alpha": 0.1}, ValueError, "alpha sets one strength for every prior"),
    ({"strength": {"laplace": 1.0}, "scale": 1.0}, ValueError, "cannot be combined"),
    ({"cv": 3}, ValueError, "cv is used only with strength='cv'"),
    ({"cv_alphas": [1.0]}, ValueError, "cv_alphas is used only with strength='cv'"),
    ({"strength": "cv", "cv": 1}, ValueError, "cv must be at least 2"),
    ({"strength": "cv", "cv": "five"}, TypeError, "cv must be an int"),
    ({"strength": "cv", "cv_alphas": [-1.0]}, ValueError, "alphas must all be finite"),
    ({"strength": "cv", "cv_alphas": {"horseshoe": [1.0]}}, ValueError, "not cross-validated"),
    ({"strength": "cv", "progressbar": "yes"}, TypeError, "progressbar must be"),
])
def test_bad_strengths_are_refused_before_any_work(monkeypatch, kwargs, error, match):
    X, y = _prostate_train()
    monkeypatch.setattr("bayesreg.api.fit", lambda *a, **k: pytest.fail("fitted before the check"))
    monkeypatch.setattr(bayesreg.compare, "_cv_curve",
                        lambda *a, **k: pytest.fail("cross-validated before the check"))
    with pytest.raises(error, match=match):
        compare_priors(X, y, **kwargs)


def _breast_cancer(n_rows: int | None = None, n_cols: int = 10, standardize: bool = False):
    X, y = bayesreg.datasets.load_breast_cancer()
    X = X.iloc[:n_rows, :n_cols].to_numpy(dtype=float)
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y.iloc[:n_rows].to_numpy()


def _sklearn_logistic_cv(X, y, Cs, cv, l1_ratio: float):
    """LogisticRegressionCV by held-out log loss with tight tolerances (SAGA where there is an
    L1 part: the only solver with an unpenalised intercept)."""
    from sklearn.linear_model import LogisticRegressionCV

    solver = "newton-cholesky" if l1_ratio == 0 else "saga"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SAGA's ConvergenceWarning at max_iter
        return LogisticRegressionCV(Cs=Cs, cv=cv, l1_ratios=(l1_ratio,), solver=solver,
                                    scoring="neg_log_loss", tol=1e-10 if l1_ratio == 0 else 1e-8,
                                    max_iter=100_000, use_legacy_attributes=False).fit(X, y)


def test_cv_C_equals_logisticregressioncv_on_natural_units():
    # raw breast cancer data (areas in the hundreds, smoothness ~0.1); cv=5 is StratifiedKFold(5)
    # on both sides, Cs=10 scikit-learn's logspace(-4, 4, 10)
    X, y = _breast_cancer()
    curve = cv_C(X, y, "gaussian", cv=5, progressbar=False)
    sk = _sklearn_logistic_cv(X, y, 10, 5, 0.0)
    np.testing.assert_allclose(curve.Cs, sk.Cs_, rtol=1e-15)
    assert curve.C == sk.C_ and 0 < curve.index < curve.Cs.size - 1
    # minus scikit-learn's scores_ (folds × l1_ratios × Cs), fold by fold
    np.testing.assert_allclose(curve.log_loss_path, -sk.scores_[:, 0, :].T, rtol=1e-6)
    np.testing.assert_allclose(curve.mean_log_loss, curve.log_loss_path.mean(axis=1))
    # the MAP at the chosen C is the CV estimator's refit
    est = bayesreg.map_estimate(X, y, "gaussian", C=curve.C, family="bernoulli")
    assert _relative(est.coef, sk.coef_[0]) <= 1e-6
    frame = curve.to_frame()
    assert list(frame.columns) == ["mean_log_loss"] + [f"fold_{k}" for k in range(5)]
    assert frame.index.name == "C" and "C=" in repr(curve) and curve.value == curve.C


@pytest.mark.parametrize(("prior", "l1_ratio"), [("laplace", 1.0),
                                                  (bayesreg.ElasticNet(l1_ratio=0.5), 0.5)])
def test_cv_C_equals_logisticregressioncv_with_an_l1_part(prior, l1_ratio):
    # SAGA needs standardized predictors and a moderate grid to converge in seconds
    X, y = _breast_cancer(150, standardize=True)
    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    Cs = np.logspace(-1, 1, 5)
    curve = cv_C(X, y, prior, cv=folds, Cs=Cs[::-1], progressbar=False)  # sorted increasing
    sk = _sklearn_logistic_cv(X, y, Cs, folds, l1_ratio)
    np.testing.assert_array_equal(curve.Cs, Cs)
    assert curve.C == sk.C_ and 0 < curve.index < Cs.size - 1
    assert curve.l1_ratio == (None if l1_ratio == 1.0 else l1_ratio)
    # SAGA stops at its tolerance (measured: 1e-6 for L1, 3e-8 for the elastic net); ours is exact
    np.testing.assert_allclose(curve.log_loss_path, -sk.scores_[:, 0, :].T, atol=1e-5)


def test_cv_C_rejects_what_it_cannot_cross_validate():
    X, y = _breast_cancer(60, 3)
    with pytest.raises(ValueError, match="horseshoe prior has none"):
        cv_C(X, y, "horseshoe")
    with pytest.raises(ValueError, match="Cs must all be finite and positive"):
        cv_C(X, y, Cs=[0.1, 0.0])
    with pytest.raises(TypeError, match="Cs must be an int"):
        cv_C(X, y, Cs="many")
    with pytest.raises(ValueError, match="cv must be at least 2"):
        cv_C(X, y, cv=1)
    one_class = np.flatnonzero(y == y[0])
    with pytest.raises(ValueError, match="cv: fold 0: "):
        cv_C(X, y, cv=[(one_class, np.arange(len(y)))])


def test_compare_priors_cv_chooses_C_for_the_logistic_likelihood():
    X, y = _breast_cancer(200, 6)
    folds = list(KFold(4, shuffle=True, random_state=1).split(X))
    comp = compare_priors(X, y, ("gaussian", "laplace", "horseshoe"), family="bernoulli",
                          strength="cv", cv=folds, cv_Cs={"laplace": [0.1, 1.0, 10.0]},
                          standardize=True, draws=100, tune=100, chains=1, random_seed=SEED,
                          progressbar=False, warn_convergence=False)
    X_std = X / X.std(axis=0)  # the priors are on the standardized predictors
    for name, grid in (("gaussian", 10), ("laplace", [0.1, 1.0, 10.0])):
        curve = cv_C(X_std, y, name, cv=folds, Cs=grid, progressbar=False)
        strength = comp.strengths[name]
        assert strength.source == "cv" and strength.parameter == "C"
        np.testing.assert_allclose(strength.cv.log_loss_path, curve.log_loss_path, rtol=1e-7)
        assert strength.value == curve.C == comp[name].map.C  # sampled at that C
        assert strength.label == f"C = {curve.C:.3g}, 4-fold CV"
        assert "held-out log loss" in strength.note
    assert comp.strengths["horseshoe"].source == "hyperprior"
    assert "no C to cross-validate" in comp.strengths["horseshoe"].note
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        md = comp.to_markdown(loo=False)
    assert "C chosen by 4-fold cross-validation where the prior has one" in md
    assert "LogisticRegressionCV with scoring='neg_log_loss'" in md


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"family": "bernoulli", "cv_alphas": [1.0]}, "cv_alphas is not used with family='bernoulli'"),
    ({"cv_Cs": [1.0]}, "cv_Cs is not used with family='gaussian'"),
    ({"family": "bernoulli", "cv_Cs": [-1.0]}, "cv_Cs: Cs must all be finite"),
])
def test_cv_grids_belong_to_their_likelihood(monkeypatch, kwargs, match):
    X, y = _breast_cancer(80, 3)
    if kwargs.get("family") != "bernoulli":
        y = X[:, 0] + X[:, 1]
    monkeypatch.setattr("bayesreg.api.fit", lambda *a, **k: pytest.fail("fitted before the check"))
    with pytest.raises(ValueError, match=match):
        compare_priors(X, y, ("laplace",), strength="cv", **kwargs)


def test_a_plain_number_is_C_for_the_logistic_likelihood():
    X, y = bayesreg.datasets.load_breast_cancer()
    X = X.iloc[:, :3]
    X = (X - X.mean()) / X.std(ddof=0)
    comp = compare_priors(X, y, ("laplace",), strength={"laplace": 0.5}, family="bernoulli",
                          draws=100, tune=50, chains=1, random_seed=1, progressbar=False,
                          warn_convergence=False)
    assert comp["laplace"].map.C == pytest.approx(0.5, rel=1e-12)
    assert comp.strengths["laplace"].label == "C = 0.5, given"


def _step_recorder(opened: list):
    """A stand-in for StepProgress recording (label, total, enabled) and the steps advanced."""

    class Steps:
        def __init__(self, label, total, enabled):
            self.record = {"label": label, "total": total, "enabled": enabled, "done": 0}
            opened.append(self.record)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def advance(self, n=1):
            self.record["done"] += n

    return Steps


def test_progress_one_step_per_fold_prior_and_alpha(monkeypatch):
    import bayesreg._progress

    opened = []
    monkeypatch.setattr(bayesreg._progress, "StepProgress", _step_recorder(opened))
    X, y = _prostate_train()
    compare_priors(X, y, ("gaussian", "laplace", "horseshoe"), strength="cv", cv=3, draws=30,
                   tune=10, chains=1, random_seed=1, progressbar=True, warn_convergence=False)
    posterior_path(X, y, "laplace", n_alphas=3, draws=30, tune=10, min_ess=0, progressbar=False)
    cv_alpha(X, y, "gaussian", cv=4, progressbar=True)
    ours = [o for o in opened if "MAP path" not in o["label"]]  # map_path has its own bars
    (compare, path, cv) = ours
    assert not any(o["enabled"] for o in opened if "MAP path" in o["label"])  # none nested
    assert compare["enabled"] and compare["total"] == compare["done"] == 2 * 3 + 3
    assert not path["enabled"] and path["total"] == path["done"] == 3
    assert cv["enabled"] and cv["total"] == cv["done"] == 4


def test_loo_table_leads_with_the_difference_and_its_noise(comparison):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        table = comparison.loo()
    assert list(table.columns[:8]) == ["elpd_diff", "dse", "vs_best", "elpd_loo", "se", "p_loo",
                                       "rank", "weight"]
    assert table["vs_best"].iloc[0] == "best" and table["elpd_diff"].iloc[0] == 0
    diff, dse = table["elpd_diff"].iloc[1], table["dse"].iloc[1]
    assert table["vs_best"].iloc[1] == ("within noise" if abs(diff) < 2 * dse else "worse")
    assert table.attrs["noise_rule"] == "within noise: |elpd_diff| < 2 dse"


def test_describe_loo_says_when_a_difference_is_noise():
    def table(rows):
        frame = pd.DataFrame(rows, columns=["prior", "rank", "elpd_diff", "dse", "weight"])
        return frame.set_index("prior")

    two = table([("gaussian", 0, 0.0, 0.0, 1.0), ("laplace", 1, 0.26, 0.31, 1.7e-16)])
    assert describe_loo(two).startswith(
        "The gaussian and laplace priors predict equally well: Δelpd = 0.26 ± 0.31 in favour of "
        "gaussian, within noise (|Δelpd| < 2 se).")
    assert "Stacking weights" in describe_loo(two)
    three = table([("horseshoe", 0, 0.0, 0.0, 0.9), ("laplace", 1, 0.5, 0.4, 0.1),
                   ("gaussian", 2, 6.1, 2.0, 0.0)])
    text = describe_loo(three)
    assert "The horseshoe and laplace priors predict equally well: Δelpd = 0.50 ± 0.40" in text
    assert ("The horseshoe prior predicts better than gaussian: Δelpd = 6.10 ± 2.00 "
            "(more than 2 se).") in text
    assert describe_loo(table([("laplace", 0, 0.0, 0.0, 1.0)])).startswith("Only one prior")
