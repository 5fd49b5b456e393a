"""The exact MAP engine: Gaussian MAP = Ridge, Laplace MAP = Lasso (same zeros), elastic net, paths.

References are scikit-learn's solvers run to ``tol=1e-12``; a reference that does not converge
fails the test (ConvergenceWarning is an error), so a design that sklearn cannot solve cannot
pass by accident. The optimality (KKT) conditions are checked straight from the data as well.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, Ridge, enet_path, lasso_path

import bayesreg
from bayesreg.map import CentredData

ALPHAS = np.geomspace(1e-4, 10, 16)  # diabetes: from all ten features in to none
COEF_RTOL = 1e-6
KKT_RTOL = 1e-9


# -- helpers --------------------------------------------------------------------------------------


def relative_error(coef, reference) -> float:
    """``max|coef - reference| / max(1, max|reference|)``."""
    return float(np.max(np.abs(coef - reference)) / max(1.0, np.max(np.abs(reference))))


def sklearn_fit(X, y, family, alpha, l1_ratio=None):
    """scikit-learn's solution to ``tol=1e-12``; its failure to converge is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        if family == "gaussian":
            return Ridge(alpha=alpha, solver="svd").fit(X, y)
        if family == "laplace":
            return Lasso(alpha=alpha, tol=1e-12, max_iter=1_000_000).fit(X, y)
        return ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, max_iter=1_000_000).fit(X, y)


def ours(X, y, family, alpha, l1_ratio=None):
    prior = bayesreg.ElasticNet(l1_ratio=l1_ratio) if family == "elasticnet" else family
    return bayesreg.map_estimate(X, y, prior, alpha=alpha)


def assert_matches_sklearn(X, y, family, alpha, l1_ratio=None):
    est = ours(X, y, family, alpha, l1_ratio)
    ref = sklearn_fit(X, y, family, alpha, l1_ratio)
    assert est.converged
    assert relative_error(est.coef, ref.coef_) <= COEF_RTOL
    assert abs(est.intercept - ref.intercept_) <= COEF_RTOL * max(1.0, abs(ref.intercept_))
    if family != "gaussian":
        # the same coefficients are exactly zero: the MAP has exact zeros where the Lasso has them
        np.testing.assert_array_equal(est.coef == 0, ref.coef_ == 0)
    return est, ref


def l1_alpha_max(X, y, l1_ratio=1.0) -> float:
    """Smallest alpha with all coefficients zero (Lasso/elastic net)."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    return float(np.max(np.abs(Xc.T @ yc)) / (len(y) * l1_ratio))


def assert_kkt(X, y, est, alpha, l1_ratio=1.0, rtol=KKT_RTOL):
    r"""Optimality of ``(1/2n)||y - b0 - Xb||^2 + a*r*|b|_1 + a*(1-r)/2*|b|^2`` from the raw data.

    With the residual ``r`` and ``g_j = x_j' r / n - a (1 - r) b_j``: ``|g_j| <= a r`` where
    ``b_j = 0`` and ``g_j = a r sign(b_j)`` where ``b_j != 0``; and ``sum(r) = 0`` (intercept).
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n = len(y)
    resid = y - est.intercept - X @ est.coef
    grad = X.T @ resid / n - alpha * (1 - l1_ratio) * est.coef
    l1 = alpha * l1_ratio
    assert abs(resid.mean()) <= 1e-10 * max(1.0, np.abs(y).max())
    on = est.coef != 0
    assert np.all(np.abs(grad[~on]) <= l1 * (1 + rtol))
    assert np.all(np.abs(grad[on] - l1 * np.sign(est.coef[on])) <= rtol * l1)


def random_design(kind: str, seed: int):
    """Regression designs: 'tall' (n > p), 'wide' (p > n), 'correlated' (neighbours r = 0.95)."""
    rng = np.random.default_rng(seed)
    if kind == "tall":
        n, p = 120, 25
        X = rng.standard_normal((n, p))
    elif kind == "wide":
        n, p = 40, 120
        X = rng.standard_normal((n, p))
    elif kind == "correlated":
        n, p = 100, 20
        rho = 0.95  # AR(1): corr(x_j, x_k) = rho^|j-k|
        X = np.empty((n, p))
        X[:, 0] = rng.standard_normal(n)
        for j in range(1, p):
            X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    else:  # pragma: no cover
        raise ValueError(kind)
    coef = np.zeros(p)
    coef[: min(6, p)] = rng.normal(0, 3, min(6, p))
    X = X * rng.uniform(0.5, 5.0, p) + rng.normal(0, 2, p)  # unequal scales, nonzero means
    y = 3.0 + X @ coef + rng.standard_normal(n)
    return X, y


@pytest.fixture(scope="module")
def diabetes_arrays():
    X, y = bayesreg.datasets.load_diabetes()
    return X.to_numpy(), y.to_numpy()


# -- Laplace = Lasso, Gaussian = Ridge, elastic net = ElasticNet on the diabetes data -------------


@pytest.mark.parametrize("alpha", ALPHAS)
def test_laplace_is_lasso_on_diabetes(diabetes_arrays, alpha):
    X, y = diabetes_arrays
    est, _ = assert_matches_sklearn(X, y, "laplace", alpha)
    assert_kkt(X, y, est, alpha)
    assert est.family == "laplace" and est.alpha == alpha


def test_diabetes_grid_covers_all_sparsity_levels(diabetes_arrays):
    X, y = diabetes_arrays
    nonzero = {int(np.count_nonzero(ours(X, y, "laplace", a).coef)) for a in ALPHAS}
    assert {0, 10} <= nonzero and len(nonzero) >= 6


@pytest.mark.parametrize("alpha", ALPHAS)
def test_gaussian_is_ridge_on_diabetes(diabetes_arrays, alpha):
    X, y = diabetes_arrays
    est, _ = assert_matches_sklearn(X, y, "gaussian", alpha)
    # optimality of ||y - b0 - Xb||^2 + a ||b||^2: X_c'r = a b
    resid = y - est.intercept - X @ est.coef
    np.testing.assert_allclose(X.T @ resid, alpha * est.coef, rtol=0,
                               atol=1e-9 * max(1.0, np.abs(X.T @ resid).max()))
    assert est.n_iter == 0 and est.kkt_violation == 0.0


@pytest.mark.parametrize("l1_ratio", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("alpha", [1e-4, 1e-3, 1e-2, 0.1, 1.0])
def test_elasticnet_is_sklearn_elasticnet_on_diabetes(diabetes_arrays, alpha, l1_ratio):
    X, y = diabetes_arrays
    est, _ = assert_matches_sklearn(X, y, "elasticnet", alpha, l1_ratio)
    assert_kkt(X, y, est, alpha, l1_ratio)
    assert est.l1_ratio == l1_ratio


def test_elasticnet_limits(diabetes_arrays):
    """l1_ratio = 1 is the Lasso; l1_ratio = 0 is Ridge with alpha_ridge = n * alpha."""
    X, y = diabetes_arrays
    lasso = ours(X, y, "laplace", 0.05)
    enet1 = ours(X, y, "elasticnet", 0.05, 1.0)
    np.testing.assert_allclose(enet1.coef, lasso.coef, rtol=0,
                               atol=1e-10 * np.abs(lasso.coef).max())
    np.testing.assert_array_equal(enet1.coef == 0, lasso.coef == 0)
    enet0 = ours(X, y, "elasticnet", 0.05, 0.0)
    ridge = sklearn_fit(X, y, "gaussian", len(y) * 0.05)
    assert relative_error(enet0.coef, ridge.coef_) <= 1e-10


# -- random designs -------------------------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.02, 0.005])
@pytest.mark.parametrize("kind", ["tall", "wide", "correlated"])
def test_laplace_is_lasso_on_random_designs(kind, fraction):
    X, y = random_design(kind, seed=7)
    alpha = fraction * l1_alpha_max(X, y)
    est, _ = assert_matches_sklearn(X, y, "laplace", alpha)
    assert_kkt(X, y, est, alpha)
    assert 0 < np.count_nonzero(est.coef) < X.shape[1]


@pytest.mark.parametrize("l1_ratio", [0.2, 0.7])
@pytest.mark.parametrize("kind", ["tall", "wide", "correlated"])
def test_elasticnet_is_sklearn_on_random_designs(kind, l1_ratio):
    X, y = random_design(kind, seed=11)
    alpha = 0.05 * l1_alpha_max(X, y, l1_ratio)
    est, _ = assert_matches_sklearn(X, y, "elasticnet", alpha, l1_ratio)
    assert_kkt(X, y, est, alpha, l1_ratio)


@pytest.mark.parametrize("alpha", [1e-6, 1e-2, 1.0, 100.0])
@pytest.mark.parametrize("kind", ["tall", "wide", "correlated", "duplicated"])
def test_gaussian_is_ridge_on_random_designs(kind, alpha):
    if kind == "duplicated":  # a repeated column: X'X singular, Ridge still unique for alpha > 0
        X, y = random_design("tall", seed=3)
        X = np.column_stack([X, X[:, 2]])
    else:
        X, y = random_design(kind, seed=3)
    est, _ = assert_matches_sklearn(X, y, "gaussian", alpha)
    if kind == "duplicated":  # the two copies share the weight equally (to the conditioning)
        assert abs(est.coef[2] - est.coef[-1]) <= COEF_RTOL * np.abs(est.coef).max()


def test_strongly_correlated_lasso_is_exact():
    """Nearly collinear columns (r ~ 0.9999): coordinate descent alone stalls, the MAP is exact.

    scikit-learn does not converge here even with a million sweeps, so only the optimality
    conditions can judge the answer; ours satisfies them to machine precision.
    """
    rng = np.random.default_rng(0)
    n, p = 100, 30
    X = rng.standard_normal((n, 1)) + 0.01 * rng.standard_normal((n, p))
    y = 2 * X[:, 0] + rng.standard_normal(n)
    for alpha in (1e-4, 1e-3, 1e-2):
        est = ours(X, y, "laplace", alpha)
        assert est.converged and est.kkt_violation <= 1e-9
        assert_kkt(X, y, est, alpha, rtol=1e-8)
        assert np.count_nonzero(est.coef) < p  # exact zeros despite the collinearity


def test_p_much_larger_than_n_saturated_support():
    """Small alpha with p >> n: the support fills up to n - 1 columns, still solved exactly."""
    X, y = random_design("wide", seed=5)
    alpha = 1e-3 * l1_alpha_max(X, y)
    est = ours(X, y, "laplace", alpha)
    assert est.converged
    assert np.count_nonzero(est.coef) <= X.shape[0] - 1
    assert_kkt(X, y, est, alpha)


def test_zero_solution_above_alpha_max(diabetes_arrays):
    X, y = diabetes_arrays
    top = l1_alpha_max(X, y)
    assert np.all(ours(X, y, "laplace", top * 1.000001).coef == 0)
    assert np.count_nonzero(ours(X, y, "laplace", top * 0.999).coef) == 1
    est = ours(X, y, "laplace", 10 * top)
    assert est.intercept == pytest.approx(y.mean(), rel=1e-14)


def test_constant_column_gets_zero(diabetes_arrays):
    X, y = diabetes_arrays
    X = np.column_stack([X, np.full(len(y), 3.0)])
    for family in ("laplace", "gaussian"):
        est = ours(X, y, family, 0.01)
        assert est.coef[-1] == 0.0
        assert relative_error(est.coef[:-1], ours(X[:, :-1], y, family, 0.01).coef) <= 1e-10


def test_objective_and_loss_values(diabetes_arrays):
    X, y = diabetes_arrays
    n = len(y)
    est = bayesreg.map_estimate(X, y, "laplace", alpha=0.1, sigma=50.0)
    resid = y - est.intercept - X @ est.coef
    loss = resid @ resid / (2 * n) + 0.1 * np.abs(est.coef).sum()
    assert est.loss == pytest.approx(loss, rel=1e-12)
    # negative log posterior: ||r||^2 / (2 sigma^2) + |b|_1 / b_scale, b_scale = sigma^2/(n alpha)
    b_scale = 50.0**2 / (n * 0.1)
    expected = resid @ resid / (2 * 50.0**2) + np.abs(est.coef).sum() / b_scale
    assert est.objective == pytest.approx(expected, rel=1e-12)
    ridge = bayesreg.map_estimate(X, y, "gaussian", alpha=0.1)
    resid = y - ridge.intercept - X @ ridge.coef
    assert ridge.loss == pytest.approx(resid @ resid + 0.1 * ridge.coef @ ridge.coef, rel=1e-12)


def test_map_estimate_accepts_dataframes(diabetes):
    X, y = diabetes
    est = bayesreg.map_estimate(X, y, "lasso", alpha=0.1)
    assert est.feature_names == tuple(X.columns)
    assert est.sigma is None
    np.testing.assert_array_equal(est.coef, ours(X.to_numpy(), y.to_numpy(), "laplace", 0.1).coef)
    assert "nonzero=7/10" in repr(est)
    again = bayesreg.MAPEstimate.from_dict(est.to_dict())
    np.testing.assert_array_equal(again.coef, est.coef)
    assert again.feature_names == est.feature_names


# -- hypothesis: random shapes, seeds and penalties -----------------------------------------------


@st.composite
def problems(draw):
    n = draw(st.integers(5, 60))
    p = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    fraction = draw(st.floats(1e-3, 1.5))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.1, 10, p) + rng.normal(0, 3, p)
    y = X[:, : min(3, p)] @ rng.normal(0, 2, min(3, p)) + rng.standard_normal(n)
    return X, y, fraction


_SETTINGS = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(problems(), st.sampled_from([1.0, 0.5]))
def test_property_l1_map_is_optimal(problem, l1_ratio):
    """KKT holds, and our objective is never above scikit-learn's (ours is the exact minimum)."""
    X, y, fraction = problem
    alpha = fraction * l1_alpha_max(X, y, l1_ratio)
    family = "laplace" if l1_ratio == 1.0 else "elasticnet"
    est = ours(X, y, family, alpha, l1_ratio)
    assert est.converged
    assert_kkt(X, y, est, alpha, l1_ratio, rtol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10, max_iter=100_000).fit(X, y)
    n = len(y)

    def objective(coef, intercept):
        resid = y - intercept - X @ coef
        return (resid @ resid / (2 * n) + alpha * l1_ratio * np.abs(coef).sum()
                + alpha * (1 - l1_ratio) / 2 * coef @ coef)

    mine, theirs = objective(est.coef, est.intercept), objective(ref.coef_, ref.intercept_)
    assert mine <= theirs + 1e-12 * max(1.0, abs(theirs))
    assert est.loss == pytest.approx(mine, rel=1e-9, abs=1e-12)


@_SETTINGS
@given(problems())
def test_property_laplace_matches_lasso_when_tall(problem):
    """n > p (a unique solution, and sklearn converges): same coefficients and the same zeros."""
    X, y, fraction = problem
    # alpha = alpha_max exactly is a tie (zero or a rounding-error-sized coefficient); skip it
    assume(abs(fraction - 1.0) > 1e-6)
    if X.shape[0] <= X.shape[1] + 1:
        X = X[:, : max(1, X.shape[0] // 2)]
    assert_matches_sklearn(X, y, "laplace", fraction * l1_alpha_max(X, y))


@_SETTINGS
@given(problems())
def test_property_gaussian_matches_ridge(problem):
    X, y, fraction = problem
    alpha = fraction * float(np.var(X, axis=0).sum()) * len(y)  # a penalty on the data's scale
    assert_matches_sklearn(X, y, "gaussian", alpha)


# -- paths ----------------------------------------------------------------------------------------


def test_laplace_path_equals_lasso_path(diabetes_arrays):
    X, y = diabetes_arrays
    path = bayesreg.map_path(X, y, "laplace")
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alphas, coefs, _ = lasso_path(Xc, yc, alphas=100, tol=1e-12, max_iter=1_000_000)
    np.testing.assert_allclose(path.alphas, alphas, rtol=1e-14)  # the same default grid
    assert path.coef.shape == (100, X.shape[1])
    for coef, ref in zip(path.coef, coefs.T, strict=True):
        assert relative_error(coef, ref) <= COEF_RTOL
        np.testing.assert_array_equal(coef == 0, ref == 0)
    np.testing.assert_allclose(path.intercept, y.mean() - path.coef @ X.mean(axis=0))
    # each point is also Lasso(alpha) with an intercept
    for k in (0, 30, 60, 99):
        ref = sklearn_fit(X, y, "laplace", path.alphas[k])
        assert relative_error(path.coef[k], ref.coef_) <= COEF_RTOL
        assert path.intercept[k] == pytest.approx(ref.intercept_, rel=1e-9)


def test_laplace_path_wide_and_user_grid():
    X, y = random_design("wide", seed=2)
    grid = l1_alpha_max(X, y) * np.array([0.01, 0.5, 0.1, 2.0, 0.03])  # unsorted on purpose
    path = bayesreg.map_path(X, y, "lasso", alphas=grid)
    np.testing.assert_array_equal(path.alphas, np.sort(grid)[::-1])
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    _, coefs, _ = lasso_path(Xc, yc, alphas=path.alphas, tol=1e-12, max_iter=1_000_000)
    for coef, ref in zip(path.coef, coefs.T, strict=True):
        assert relative_error(coef, ref) <= COEF_RTOL
        np.testing.assert_array_equal(coef == 0, ref == 0)
    assert np.all(path.coef[0] == 0)  # above alpha_max


def test_elasticnet_path_equals_enet_path(diabetes_arrays):
    X, y = diabetes_arrays
    path = bayesreg.map_path(X, y, bayesreg.ElasticNet(l1_ratio=0.3), n_alphas=30)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alphas, coefs, _ = enet_path(Xc, yc, l1_ratio=0.3, alphas=30, tol=1e-12, max_iter=1_000_000)
    np.testing.assert_allclose(path.alphas, alphas, rtol=1e-14)
    for coef, ref in zip(path.coef, coefs.T, strict=True):
        assert relative_error(coef, ref) <= COEF_RTOL
        np.testing.assert_array_equal(coef == 0, ref == 0)
    assert path.l1_ratio == 0.3 and path.family == "elasticnet"


@pytest.mark.parametrize("kind", ["diabetes", "wide"])
def test_gaussian_path_equals_ridge(diabetes_arrays, kind):
    X, y = diabetes_arrays if kind == "diabetes" else random_design("wide", seed=4)
    path = bayesreg.map_path(X, y, "gaussian", n_alphas=12)
    assert path.alphas[0] > path.alphas[-1]
    for alpha, coef, intercept in zip(path.alphas, path.coef, path.intercept, strict=True):
        ref = sklearn_fit(X, y, "gaussian", alpha)
        assert relative_error(coef, ref.coef_) <= COEF_RTOL
        assert intercept == pytest.approx(ref.intercept_, rel=1e-9)


def test_path_to_frame(diabetes):
    X, y = diabetes
    frame = bayesreg.map_path(X, y, "laplace", n_alphas=5).to_frame()
    assert list(frame.columns) == list(X.columns)
    assert frame.index.name == "alpha" and len(frame) == 5


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"alphas": [0.1, -1.0]}, ValueError, "alphas must all be finite and positive"),
        ({"alphas": []}, ValueError, "alphas must be a non-empty"),
        ({"alphas": [[0.1, 0.2]]}, ValueError, "alphas must be a non-empty 1-D"),
        ({"alphas": ["a"]}, TypeError, "alphas must be a 1-D sequence"),
        ({"n_alphas": 0}, ValueError, "n_alphas must be >= 1"),
        ({"n_alphas": 2.5}, TypeError, "n_alphas must be an integer"),
        ({"eps": -1.0}, ValueError, "eps must be a finite positive number"),
        ({"prior": "cauchy"}, ValueError, "prior must be one of"),
        ({"prior": bayesreg.ElasticNet(l1_ratio=0.0)}, ValueError, "l1_ratio > 0"),
    ],
)
def test_map_path_bad_arguments(diabetes_arrays, kwargs, error, match):
    X, y = diabetes_arrays
    kwargs = {"prior": "laplace", **kwargs}
    with pytest.raises(error, match=match):
        bayesreg.map_path(X, y, **kwargs)


def test_path_warm_starts_are_cheap(diabetes_arrays):
    """Warm starts: the whole 100-point path costs fewer sweeps than 100 cold solves."""
    X, y = diabetes_arrays
    path = bayesreg.map_path(X, y, "laplace")
    cold = sum(ours(X, y, "laplace", a).n_iter for a in path.alphas)
    assert path.n_iter.sum() < cold


# -- the MAP from bayesreg.fit, arguments ---------------------------------------------------------


@pytest.mark.parametrize("prior", ["laplace", "gaussian", bayesreg.ElasticNet(l1_ratio=0.4)])
def test_fit_method_map_is_map_estimate(diabetes, prior):
    X, y = diabetes
    res = bayesreg.fit(X, y, prior, alpha=0.05, method="map")
    est = bayesreg.map_estimate(X, y, prior, alpha=0.05)
    np.testing.assert_array_equal(res.map.coef, est.coef)
    assert res.map.intercept == est.intercept
    assert res.map.alpha == est.alpha and res.map.objective == est.objective
    assert res.idata is None and res.method == "map"
    np.testing.assert_allclose(res.predict(X), est.intercept + X.to_numpy() @ est.coef)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, ValueError, "fixed prior strength"),
        ({"alpha": 0.1, "scale": 1.0}, ValueError, "at most one of scale and alpha"),
        ({"scale": 1.0}, ValueError, "sigma"),
        ({"alpha": -0.1}, ValueError, "alpha must be a finite positive number"),
        ({"alpha": "0.1"}, TypeError, "alpha must be a positive number"),
        ({"alpha": 0.1, "sigma": 0.0}, ValueError, "sigma must be a finite positive number"),
        ({"alpha": 0.1, "prior": "lapalce"}, ValueError, "prior must be one of"),
        ({"alpha": 0.1, "prior": 3}, TypeError, "prior must be a string"),
    ],
)
def test_map_estimate_bad_arguments(diabetes_arrays, kwargs, error, match):
    X, y = diabetes_arrays
    kwargs = {"prior": "laplace", **kwargs}
    with pytest.raises(error, match=match):
        bayesreg.map_estimate(X, y, **kwargs)


def test_centred_data_statistics(diabetes_arrays):
    X, y = diabetes_arrays
    whole = CentredData(X, y)
    chunked = CentredData(X, y, chunk_rows=50)
    np.testing.assert_allclose(chunked.gram, whole.gram, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(chunked.corr, whole.corr, rtol=1e-12)
    beta = np.linspace(-100, 100, X.shape[1])
    resid = (y - y.mean()) - (X - X.mean(axis=0)) @ beta
    assert whole.rss(beta) == pytest.approx(resid @ resid, rel=1e-10)
    np.testing.assert_allclose(whole.rss(np.vstack([beta, 2 * beta]))[0], resid @ resid, rtol=1e-10)


# -- the pitfall: pm.find_MAP has no exact zeros --------------------------------------------------


def test_pymc_find_map_has_no_exact_zeros_but_map_estimate_does(diabetes):
    """A gradient optimiser on the same Laplace posterior never lands on a kink: no exact zeros.

    ``pm.find_MAP`` (L-BFGS on the log posterior) gets close to the Lasso but every coefficient is
    a small nonzero number; :func:`bayesreg.map_estimate` returns ``Lasso(alpha=0.1)`` with its
    exact zeros.
    """
    from bayesreg._backend import import_pymc
    from bayesreg._validation import check_Xy
    from bayesreg.model import pymc_model as build_model
    from bayesreg.priors import resolve_prior

    pm = import_pymc()
    X, y = diabetes
    alpha, sigma = 0.1, 54.0
    data = check_Xy(X, y)
    resolved = resolve_prior("laplace", alpha=alpha, sigma=sigma, X=data.X, y=data.y)
    model = build_model(data, resolved)
    with model:
        point = pm.find_MAP(progressbar=False)
    pymc_coef = np.asarray(point["coef"], dtype=float)

    est = bayesreg.map_estimate(X, y, "laplace", alpha=alpha, sigma=sigma)
    lasso = sklearn_fit(X.to_numpy(), y.to_numpy(), "laplace", alpha)
    assert relative_error(est.coef, lasso.coef_) <= COEF_RTOL
    np.testing.assert_array_equal(est.coef == 0, lasso.coef_ == 0)
    zeros = lasso.coef_ == 0
    assert zeros.sum() == 3

    assert np.count_nonzero(pymc_coef == 0) == 0  # the pitfall: not one exact zero
    # it lands near the Lasso (L-BFGS stops where the kinks make progress slow), but not on it
    assert 1e-4 < relative_error(pymc_coef, lasso.coef_) < 0.25
    # and it is a worse optimum: the exact MAP has the higher log posterior
    n = len(y)

    def neg_log_posterior(coef, intercept):
        resid = y.to_numpy() - intercept - X.to_numpy() @ coef
        return resid @ resid / (2 * sigma**2) + np.abs(coef).sum() * n * alpha / sigma**2

    assert neg_log_posterior(est.coef, est.intercept) < neg_log_posterior(
        pymc_coef, float(point["intercept"]))
