"""PriorRegressor: a scikit-learn estimator whose MAP predicts exactly like Lasso/Ridge/EN."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import ElasticNet, Lasso, LassoCV, Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import bayesreg
from bayesreg import PriorRegressor
from bayesreg.map import MAPEstimate
from bayesreg.result import FitResult

RTOL = 1e-6


def relative_error(coef, reference) -> float:
    return float(np.max(np.abs(coef - reference)) / max(1.0, np.max(np.abs(reference))))


def exact_lasso(alpha):
    return Lasso(alpha=alpha, tol=1e-12, max_iter=1_000_000)


@pytest.fixture(scope="module")
def diabetes_arrays():
    X, y = bayesreg.datasets.load_diabetes()
    return X.to_numpy(), y.to_numpy()


# -- scikit-learn's own estimator checks ----------------------------------------------------------

# Every check applies to method="map" and passes, so nothing is listed as an expected failure.
# (With method="sample" the fit draws from a posterior: a different estimator, not checked here.)
EXPECTED_FAILED_CHECKS: dict[str, str] = {}


@parametrize_with_checks(
    [
        PriorRegressor(),
        PriorRegressor(prior="gaussian"),
        PriorRegressor(prior=bayesreg.ElasticNet(l1_ratio=0.5), alpha=0.5),
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# -- the MAP equals scikit-learn's penalised fits -------------------------------------------------


@pytest.mark.parametrize("alpha", [1e-3, 0.1, 1.0])
def test_laplace_predicts_like_lasso(diabetes_arrays, alpha):
    X, y = diabetes_arrays
    model = PriorRegressor(prior="laplace", alpha=alpha).fit(X, y)
    ref = exact_lasso(alpha).fit(X, y)
    assert relative_error(model.coef_, ref.coef_) <= RTOL
    np.testing.assert_array_equal(model.coef_ == 0, ref.coef_ == 0)
    assert model.intercept_ == pytest.approx(ref.intercept_, rel=RTOL)
    np.testing.assert_allclose(model.predict(X), ref.predict(X), rtol=RTOL)
    assert model.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-9)


@pytest.mark.parametrize("alpha", [1e-3, 1.0, 100.0])
def test_gaussian_predicts_like_ridge(diabetes_arrays, alpha):
    X, y = diabetes_arrays
    model = PriorRegressor(prior="ridge", alpha=alpha).fit(X, y)
    ref = Ridge(alpha=alpha).fit(X, y)
    assert relative_error(model.coef_, ref.coef_) <= RTOL
    np.testing.assert_allclose(model.predict(X), ref.predict(X), rtol=RTOL)


def test_elasticnet_predicts_like_elasticnet(diabetes_arrays):
    X, y = diabetes_arrays
    model = PriorRegressor(prior=bayesreg.ElasticNet(l1_ratio=0.7), alpha=0.01).fit(X, y)
    ref = ElasticNet(alpha=0.01, l1_ratio=0.7, tol=1e-12, max_iter=1_000_000).fit(X, y)
    assert relative_error(model.coef_, ref.coef_) <= RTOL
    np.testing.assert_array_equal(model.coef_ == 0, ref.coef_ == 0)
    assert relative_error(
        PriorRegressor(prior="elasticnet", alpha=0.01).fit(X, y).coef_,
        ElasticNet(alpha=0.01, tol=1e-12, max_iter=1_000_000).fit(X, y).coef_,
    ) <= RTOL


def test_fitted_attributes(diabetes):
    X, y = diabetes
    model = PriorRegressor(alpha=0.1).fit(X, y)
    assert model.n_features_in_ == 10
    np.testing.assert_array_equal(model.feature_names_in_, X.columns.to_numpy())
    assert isinstance(model.result_, FitResult) and model.result_.method == "map"
    assert isinstance(model.map_, MAPEstimate)
    assert model.idata_ is None
    assert model.map_.feature_names == tuple(X.columns)
    np.testing.assert_array_equal(model.coef_, model.map_.coef)
    assert model.intercept_ == model.map_.intercept
    assert isinstance(model.intercept_, float)
    # the prediction of the FitResult is the estimator's
    np.testing.assert_allclose(model.result_.predict(X), model.predict(X))
    # refitting on an array drops the names
    model.fit(X.to_numpy(), y.to_numpy())
    assert not hasattr(model, "feature_names_in_")
    assert model.map_.feature_names == tuple(f"x{j}" for j in range(10))


def test_dataframe_columns_are_checked_at_predict(diabetes):
    X, y = diabetes
    model = PriorRegressor(alpha=0.1).fit(X, y)
    with pytest.raises(ValueError, match="feature names"):
        model.predict(X[X.columns[::-1]])
    with pytest.raises(ValueError, match="features"), \
            pytest.warns(UserWarning, match="does not have valid feature names"):
        model.predict(X.to_numpy()[:, :5])


def test_unfitted_predict_raises():
    with pytest.raises(NotFittedError):
        PriorRegressor().predict(np.zeros((2, 3)))


# -- strength: scale wins over alpha; a prior object's own strength wins over alpha ---------------


def test_scale_is_used_and_alpha_ignored(diabetes_arrays):
    X, y = diabetes_arrays
    n, sigma, alpha = len(y), 54.0, 0.05
    b = bayesreg.alpha_to_scale(alpha, "laplace", n, sigma)
    model = PriorRegressor(prior="laplace", alpha=123.0, scale=b, sigma=sigma).fit(X, y)
    assert model.map_.alpha == pytest.approx(alpha, rel=1e-12)
    assert relative_error(model.coef_, exact_lasso(alpha).fit(X, y).coef_) <= RTOL
    tau = bayesreg.alpha_to_scale(2.0, "gaussian", n, sigma)
    model = PriorRegressor(prior="gaussian", scale=tau, sigma=sigma).fit(X, y)
    assert relative_error(model.coef_, Ridge(alpha=2.0).fit(X, y).coef_) <= RTOL


def test_prior_object_strength_wins_over_default_alpha(diabetes_arrays):
    X, y = diabetes_arrays
    model = PriorRegressor(prior=bayesreg.ElasticNet(alpha=0.02, l1_ratio=0.5)).fit(X, y)
    assert model.map_.alpha == 0.02
    model = PriorRegressor(prior=bayesreg.Laplace(scale=10.0), sigma=54.0).fit(X, y)
    assert model.map_.alpha == pytest.approx(54.0**2 / (len(y) * 10.0))


def test_map_needs_a_fixed_strength(diabetes_arrays):
    X, y = diabetes_arrays
    with pytest.raises(ValueError, match="fixed prior strength"):
        PriorRegressor(alpha=None).fit(X, y)
    with pytest.raises(ValueError, match="sigma"):
        PriorRegressor(prior="laplace", scale=1.0).fit(X, y)


# -- parameters: stored untouched by __init__, validated by fit -----------------------------------


def test_init_only_stores():
    params = dict(prior="nonsense", alpha=-1, scale="x", sigma=0, method="mcmc", point="mode",
                  draws=0, chains=-2, random_seed="seed", standardize="maybe")
    model = PriorRegressor(**params)
    assert model.get_params() == params


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"prior": "lapalce"}, ValueError, "prior must be one of"),
        ({"prior": 3}, TypeError, "prior must be a string"),
        ({"alpha": -1.0}, ValueError, "alpha must be a finite positive number or None"),
        ({"alpha": "0.1"}, TypeError, "alpha must be a positive number or None"),
        ({"alpha": np.nan}, ValueError, "alpha must be a finite positive number or None"),
        ({"scale": 0.0}, ValueError, "scale must be a finite positive number or None"),
        ({"sigma": -2.0}, ValueError, "sigma must be a finite positive number or None"),
        ({"method": "mcmc"}, ValueError, "method must be one of 'map', 'sample'"),
        ({"point": "mode"}, ValueError, "point must be one of 'mean', 'median'"),
        ({"draws": 0}, ValueError, "draws must be >= 1"),
        ({"chains": 1.5}, TypeError, "chains must be an integer"),
        ({"random_seed": -1}, ValueError, "random_seed must be None or a non-negative integer"),
        ({"random_seed": 1.5}, ValueError, "random_seed must be None or a non-negative integer"),
    ],
)
def test_fit_validates_parameters(diabetes_arrays, params, error, match):
    """The same faults raise the same exception types as bayesreg.fit (one validation layer)."""
    X, y = diabetes_arrays
    with pytest.raises(error, match=match):
        PriorRegressor(**params).fit(X, y)


def test_clone_and_pickle(diabetes_arrays):
    X, y = diabetes_arrays
    model = PriorRegressor(prior=bayesreg.ElasticNet(l1_ratio=0.3), alpha=0.01).fit(X, y)
    twin = clone(model)
    assert twin.get_params()["prior"] == bayesreg.ElasticNet(l1_ratio=0.3)
    assert not hasattr(twin, "coef_")
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


# -- in pipelines and model selection -------------------------------------------------------------


def test_pipeline_matches_sklearn(diabetes):
    X, y = diabetes
    ours = make_pipeline(StandardScaler(), PriorRegressor(alpha=0.5)).fit(X, y)
    ref = make_pipeline(StandardScaler(), exact_lasso(0.5)).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=RTOL)
    assert relative_error(ours[-1].coef_, ref[-1].coef_) <= RTOL
    np.testing.assert_array_equal(ours[-1].coef_ == 0, ref[-1].coef_ == 0)
    named = make_pipeline(StandardScaler(), PriorRegressor(alpha=0.5))
    named.set_output(transform="pandas")
    named.fit(X, y)
    assert list(named[-1].feature_names_in_) == list(X.columns)  # names pass through the scaler
    assert named[-1].map_.feature_names == tuple(X.columns)
    np.testing.assert_array_equal(named[-1].coef_, ours[-1].coef_)
    cv = KFold(5, shuffle=True, random_state=0)
    np.testing.assert_allclose(cross_val_score(ours, X, y, cv=cv),
                               cross_val_score(ref, X, y, cv=cv), rtol=1e-9)


def test_grid_search_selects_like_lasso_cv(diabetes_arrays):
    """GridSearchCV over alpha = LassoCV's choice on the same grid and folds (MSE)."""
    X, y = diabetes_arrays
    grid = np.geomspace(1e-3, 3.0, 15)
    cv = KFold(5, shuffle=True, random_state=1)
    search = GridSearchCV(PriorRegressor(), {"alpha": grid}, cv=cv,
                          scoring="neg_mean_squared_error").fit(X, y)
    reference = GridSearchCV(exact_lasso(1.0), {"alpha": grid}, cv=cv,
                             scoring="neg_mean_squared_error").fit(X, y)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               reference.cv_results_["mean_test_score"], rtol=1e-9)
    assert search.best_params_ == reference.best_params_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lasso_cv = LassoCV(alphas=grid, cv=cv, tol=1e-12, max_iter=1_000_000).fit(X, y)
    assert search.best_params_["alpha"] == pytest.approx(lasso_cv.alpha_, rel=1e-12)
    # LassoCV's per-alpha mean squared error is the same number as the grid search's score
    mse = lasso_cv.mse_path_.mean(axis=1)[np.argsort(lasso_cv.alphas_)]
    np.testing.assert_allclose(-search.cv_results_["mean_test_score"], mse, rtol=1e-8)
    best = search.best_estimator_
    assert relative_error(best.coef_, lasso_cv.coef_) <= RTOL


def test_grid_search_over_priors(diabetes):
    X, y = diabetes
    search = GridSearchCV(
        PriorRegressor(),
        {"prior": ["laplace", "gaussian", bayesreg.ElasticNet(l1_ratio=0.5)],
         "alpha": [0.01, 0.1]},
        cv=3,
    ).fit(X, y)
    priors = ("laplace", "gaussian", bayesreg.ElasticNet(l1_ratio=0.5))
    assert search.best_params_["prior"] in priors
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


# -- method="sample" ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sampled(diabetes):
    """Gaussian prior with alpha: the posterior is conjugate, drawn exactly (independent draws)."""
    X, y = diabetes
    model = PriorRegressor(prior="gaussian", alpha=1.0, method="sample", draws=1000, chains=2,
                           random_seed=7).fit(X, y)
    return model


def test_sample_attributes(sampled, diabetes):
    X, _ = diabetes
    assert sampled.result_.method == "sample"
    assert sampled.idata_ is sampled.result_.idata
    post = sampled.idata_.posterior
    assert post["coef"].shape == (2, 1000, 10)
    np.testing.assert_allclose(sampled.coef_, post["coef"].mean(("chain", "draw")).values)
    assert sampled.intercept_ == pytest.approx(float(post["intercept"].mean()))
    np.testing.assert_allclose(sampled.predict(X),
                               sampled.intercept_ + X.to_numpy() @ sampled.coef_)
    assert isinstance(sampled.map_, MAPEstimate)
    assert list(post["coef"].coords["feature"].values) == list(X.columns)


def test_sample_mean_is_ridge_within_monte_carlo_error(sampled, diabetes_arrays):
    """The posterior mean under beta | sigma ~ N(0, sigma^2/alpha) (flat intercept, Jeffreys σ) is
    Ridge's solution; with independent draws the error of the mean is sd / sqrt(draws)."""
    X, y = diabetes_arrays
    draws = sampled.idata_.posterior["coef"].values.reshape(-1, X.shape[1])
    standard_error = draws.std(axis=0, ddof=1) / np.sqrt(draws.shape[0])
    ridge = Ridge(alpha=1.0).fit(X, y)
    assert np.all(np.abs(sampled.coef_ - ridge.coef_) < 5 * standard_error)


def test_sample_median_and_reproducibility(sampled, diabetes):
    X, y = diabetes
    params = sampled.get_params()
    median = PriorRegressor(**{**params, "point": "median"}).fit(X, y)
    post = median.idata_.posterior
    np.testing.assert_allclose(median.coef_, np.median(post["coef"].values.reshape(-1, 10), axis=0))
    np.testing.assert_array_equal(post["coef"].values, sampled.idata_.posterior["coef"].values)
    tags = sampled.__sklearn_tags__()
    assert not tags.non_deterministic
    assert PriorRegressor(method="sample").__sklearn_tags__().non_deterministic


def test_sample_with_unknown_prior_scale(diabetes):
    """alpha=None with method="sample": the prior scale gets the default hyperprior (full Bayes)."""
    X, y = diabetes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bayesreg.ConvergenceWarning)
        model = PriorRegressor(prior="laplace", alpha=None, method="sample", draws=300, chains=2,
                               random_seed=3).fit(X, y)
    assert model.result_.resolved_prior.scale_is_random
    assert "coef_scale" in model.idata_.posterior
    np.testing.assert_allclose(model.coef_, model.idata_.posterior["coef"].mean(("chain", "draw")))
    assert model.score(X, y) > 0.45  # close to least squares' 0.52 on these data
