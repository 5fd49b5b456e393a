"""``standardize=True``: the prior on standardized predictors, every result in X's units."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import bayesreg


@pytest.fixture(scope="module")
def raw_diabetes():
    """scikit-learn's diabetes data in natural units (age in years, bmi, bp in mm Hg, ...)."""
    X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
    return X, y


def _pipeline_in_x_units(estimator, X, y):
    """``make_pipeline(StandardScaler(), estimator)`` with its coefficients mapped back to X's units."""
    pipe = make_pipeline(StandardScaler(), estimator).fit(X, y)
    scaler, model = pipe[0], pipe[-1]
    coef = np.ravel(model.coef_) / scaler.scale_
    shift = float(np.ravel(model.coef_) @ (scaler.mean_ / scaler.scale_))
    intercept = float(np.ravel(model.intercept_)[0]) - shift
    return coef, intercept, pipe


@pytest.mark.parametrize("prior, estimator", [
    ("laplace", Lasso(alpha=0.5, tol=1e-13, max_iter=200_000)),
    ("laplace", Lasso(alpha=4.0, tol=1e-13, max_iter=200_000)),
    ("gaussian", Ridge(alpha=3.0)),
    (bayesreg.ElasticNet(l1_ratio=0.3), ElasticNet(alpha=1.0, l1_ratio=0.3, tol=1e-13, max_iter=200_000)),
])
def test_map_equals_standard_scaler_pipeline_mapped_back(raw_diabetes, prior, estimator):
    X, y = raw_diabetes
    coef, intercept, pipe = _pipeline_in_x_units(estimator, X, y)
    est = bayesreg.map_estimate(X, y, prior, alpha=estimator.alpha, standardize=True)
    scale = np.max(np.abs(coef))
    assert np.max(np.abs(est.coef - coef)) <= 1e-6 * scale
    assert est.intercept == pytest.approx(intercept, rel=1e-6)
    np.testing.assert_array_equal(est.coef == 0, coef == 0)  # the identical zero set
    np.testing.assert_allclose(est.x_scale, pipe[0].scale_, rtol=1e-12)
    # the same through fit(method="map"), and its predictions equal the pipeline's
    res = bayesreg.fit(X, y, prior, alpha=estimator.alpha, method="map", standardize=True)
    np.testing.assert_allclose(res.map.coef, est.coef, rtol=0, atol=0)
    np.testing.assert_allclose(res.predict(X), pipe.predict(X), rtol=1e-7)
    assert "standardized" in res.prior_summary().loc["predictors", "prior"]


def test_standardize_changes_the_answer_on_natural_units(raw_diabetes):
    X, y = raw_diabetes
    plain = bayesreg.map_estimate(X, y, "laplace", alpha=0.5)
    std = bayesreg.map_estimate(X, y, "laplace", alpha=0.5, standardize=True)
    assert plain.x_scale is None and std.x_scale is not None
    assert np.max(np.abs(plain.coef - std.coef)) > 1e-2 * np.max(np.abs(std.coef))


def test_logistic_map_equals_standard_scaler_pipeline():
    X, y = bayesreg.datasets.load_breast_cancer()
    X = X.iloc[:, :8]
    for prior, model in [
        ("gaussian", LogisticRegression(C=0.3, solver="newton-cholesky", tol=1e-12, max_iter=1000)),
        ("laplace", LogisticRegression(C=0.3, l1_ratio=1.0, solver="saga", tol=1e-13,
                                       max_iter=100_000)),
    ]:
        coef, intercept, _ = _pipeline_in_x_units(model, X, y)
        est = bayesreg.map_estimate(X, y, prior, C=0.3, family="bernoulli", standardize=True)
        assert np.max(np.abs(est.coef - coef)) <= 1e-6 * np.max(np.abs(coef))
        assert est.intercept == pytest.approx(intercept, rel=1e-6)
        np.testing.assert_array_equal(est.coef == 0, coef == 0)


def test_draws_are_the_standardized_fit_mapped_back(raw_diabetes):
    X, y = raw_diabetes
    X = X.to_numpy()
    kwargs = dict(draws=150, tune=150, chains=2, random_seed=11, progressbar=False,
                  warn_convergence=False)
    res = bayesreg.fit(X, y, "laplace", standardize=True, **kwargs)
    sd = X.std(axis=0)
    ref = bayesreg.fit(X / sd, y, "laplace", **kwargs)
    post, ref_post = res.idata.posterior, ref.idata.posterior
    np.testing.assert_allclose(post["coef"].values * sd, ref_post["coef"].values, rtol=1e-7,
                               atol=1e-9 * float(np.abs(ref_post["coef"]).max()))
    for name in ("intercept", "sigma", "coef_scale"):
        np.testing.assert_allclose(post[name].values, ref_post[name].values, rtol=1e-7)
    # lp is the density of the draws in X's units: the standardized one plus log|Jacobian|
    np.testing.assert_allclose(res.idata.sample_stats["lp"].values,
                               ref.idata.sample_stats["lp"].values + np.log(sd).sum(), rtol=1e-9)
    np.testing.assert_allclose(res.idata.log_likelihood["y"].values,
                               ref.idata.log_likelihood["y"].values, rtol=1e-9)
    np.testing.assert_allclose(res.predict(X), ref.predict(X / sd), rtol=1e-9)
    np.testing.assert_allclose(res.map.coef * sd, ref.map.coef, rtol=1e-7, atol=1e-9)
    summary = res.summary()
    assert summary.attrs["standardize"] is True
    np.testing.assert_allclose(summary.loc["coef[x2]", "mean"],
                               float(post["coef"].sel(feature="x2").mean()), atol=1e-3)
    # shrinkage factors are those of the predictors the prior is on
    np.testing.assert_allclose(res.shrinkage_profile(random_seed=0).posterior,
                               ref.shrinkage_profile(random_seed=0).posterior, rtol=1e-7)


def test_standardize_with_statistics_sparse_and_netcdf(raw_diabetes, tmp_path):
    X, y = raw_diabetes
    dense = bayesreg.map_estimate(X, y, "laplace", alpha=0.3, standardize=True)
    stats = bayesreg.SufficientStats.from_arrays(X, y)
    from_stats = bayesreg.map_estimate(stats, prior="laplace", alpha=0.3, standardize=True)
    np.testing.assert_allclose(from_stats.coef, dense.coef, rtol=1e-8, atol=1e-12)
    sparse = bayesreg.map_estimate(sp.csr_array(X.to_numpy()), y, "laplace", alpha=0.3,
                                   standardize=True)
    np.testing.assert_allclose(sparse.coef, dense.coef, rtol=1e-8, atol=1e-12)
    res = bayesreg.fit(X, y, "gaussian", standardize=True, draws=50, tune=50, chains=1,
                       random_seed=2, progressbar=False, warn_convergence=False)
    back = bayesreg.load(res.to_netcdf(tmp_path / "std.nc"))
    assert back.x_scale == res.x_scale and back.map.x_scale == res.map.x_scale
    np.testing.assert_allclose(back.predict(X), res.predict(X), rtol=0, atol=0)


def test_estimators_take_standardize(raw_diabetes):
    X, y = raw_diabetes
    coef, intercept, _ = _pipeline_in_x_units(Lasso(alpha=0.5, tol=1e-13, max_iter=200_000), X, y)
    model = bayesreg.PriorRegressor("laplace", alpha=0.5, standardize=True).fit(X, y)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-6, atol=1e-9 * np.abs(coef).max())
    assert model.intercept_ == pytest.approx(intercept, rel=1e-6)
    Xb, yb = bayesreg.datasets.load_breast_cancer()
    clf = bayesreg.PriorClassifier("gaussian", C=0.1, standardize=True).fit(Xb.iloc[:, :5], yb)
    ref, _, _ = _pipeline_in_x_units(
        LogisticRegression(C=0.1, solver="newton-cholesky", tol=1e-12), Xb.iloc[:, :5], yb)
    np.testing.assert_allclose(clf.coef_[0], ref, rtol=1e-6)


def test_bad_standardize_is_refused_before_work(raw_diabetes):
    X, y = raw_diabetes
    before = X.copy()
    for bad in ("yes", 1.5, None):
        with pytest.raises(TypeError, match="standardize"):
            bayesreg.fit(X, y, "laplace", standardize=bad)
        with pytest.raises(TypeError, match="standardize"):
            bayesreg.map_estimate(X, y, "laplace", alpha=1.0, standardize=bad)
        with pytest.raises(TypeError, match="standardize"):
            bayesreg.map_path(X, y, "laplace", standardize=bad)
        with pytest.raises(TypeError, match="standardize"):
            bayesreg.posterior_path(X, y, "laplace", standardize=bad)
    with pytest.raises((TypeError, ValueError), match="standardize"):
        bayesreg.PriorRegressor(standardize="yes").fit(X, y)
    pd.testing.assert_frame_equal(X, before)  # nothing the user passed is modified


def test_compare_priors_standardized_cv_equals_scaler_pipeline(raw_diabetes):
    from sklearn.linear_model import LassoCV
    from sklearn.model_selection import KFold

    X, y = raw_diabetes
    folds = KFold(5, shuffle=True, random_state=0)
    comp = bayesreg.compare_priors(X, y, ("laplace",), strength="cv", cv=folds, standardize=True,
                                   draws=100, tune=100, chains=1, random_seed=4, progressbar=False,
                                   warn_convergence=False)
    pipe = make_pipeline(StandardScaler(), LassoCV(cv=folds, tol=1e-12, max_iter=200_000)).fit(X, y)
    assert comp.strengths["laplace"].value == pytest.approx(pipe[-1].alpha_, rel=1e-10)
    table = comp.summary().loc["laplace"]
    coef = pipe[-1].coef_ / pipe[0].scale_
    np.testing.assert_allclose(table["map"], coef, rtol=1e-6, atol=1e-6 * np.abs(coef).max())
    np.testing.assert_allclose(table["sklearn"], table["map"], rtol=1e-6,
                               atol=1e-6 * np.abs(coef).max())
    np.testing.assert_allclose(table["ols"], np.linalg.lstsq(
        np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0][1:], rtol=1e-8)


@pytest.mark.parametrize("prior, estimator", [
    ("laplace", Lasso(tol=1e-13, max_iter=200_000)),
    ("gaussian", Ridge()),
    (bayesreg.ElasticNet(l1_ratio=0.3), ElasticNet(l1_ratio=0.3, tol=1e-13, max_iter=200_000)),
])
def test_map_path_equals_the_scaler_pipeline_at_every_alpha(raw_diabetes, prior, estimator):
    X, y = raw_diabetes
    path = bayesreg.map_path(X, y, prior, n_alphas=8, standardize=True, progressbar=False)
    Xs = StandardScaler().fit_transform(X)
    # the grid is the one of the standardized predictors (glmnet's convention)
    np.testing.assert_allclose(path.alphas, bayesreg.map_path(Xs, y, prior, n_alphas=8).alphas,
                               rtol=1e-12)
    np.testing.assert_allclose(path.x_scale, X.std(ddof=0), rtol=1e-12)
    for alpha, coef, intercept in zip(path.alphas, path.coef, path.intercept, strict=True):
        ref, ref_b0, _ = _pipeline_in_x_units(estimator.set_params(alpha=alpha), X, y)
        assert np.max(np.abs(coef - ref)) <= 1e-6 * max(np.max(np.abs(ref)), 1e-12)
        assert intercept == pytest.approx(ref_b0, rel=1e-6)
        np.testing.assert_array_equal(coef == 0, ref == 0)


def test_posterior_path_standardized_is_the_path_of_x_over_sd_in_x_units(raw_diabetes):
    X, y = raw_diabetes
    X = X.to_numpy()
    sd = X.std(axis=0)
    kwargs = dict(n_alphas=3, draws=80, tune=60, chains=1, min_ess=0, random_seed=5,
                  progressbar=False)
    path = bayesreg.posterior_path(X, y, "laplace", standardize=True, **kwargs)
    ref = bayesreg.posterior_path(X / sd, y, "laplace", **kwargs)
    np.testing.assert_allclose(path.alphas, ref.alphas, rtol=1e-12)
    for name in ("median", "mean", "lower", "upper", "map_coef"):
        np.testing.assert_allclose(getattr(path, name) * sd, getattr(ref, name), rtol=1e-6,
                                   atol=1e-9 * float(np.abs(getattr(ref, name)).max()))
    assert path.x_scale is not None and ref.x_scale is None
    fine = bayesreg.map_path(X, y, "laplace", alphas=path.alphas, standardize=True)
    ax = bayesreg.plots.plot_regularization_path(path, map_path=fine)
    assert "standardized predictors" in ax[0].get_xlabel()
    with pytest.raises(ValueError, match="same standardize="):
        bayesreg.plots.plot_regularization_path(path, map_path=bayesreg.map_path(X, y, "laplace"))
    import matplotlib.pyplot as plt

    plt.close("all")
