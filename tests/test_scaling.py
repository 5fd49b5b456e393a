"""alpha <-> prior scale: the formulas, round trips, the MAP through either route, bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bayesreg
from bayesreg._scaling import alpha_to_scale, scale_to_alpha
from bayesreg.priors.elasticnet import penalty_weights as elastic_net_penalty_weights

positive = st.floats(1e-6, 1e6, allow_nan=False, allow_infinity=False)
families = st.sampled_from(["gaussian", "normal", "ridge", "laplace", "lasso",
                            bayesreg.Gaussian(), bayesreg.Laplace()])


@pytest.fixture(scope="module")
def diabetes_arrays():
    X, y = bayesreg.datasets.load_diabetes()
    return X.to_numpy(), y.to_numpy()


# -- formulas and round trips ---------------------------------------------------------------------


def test_formulas():
    # Ridge: alpha = sigma^2 / tau^2; Lasso: alpha = sigma^2 / (n b)
    assert alpha_to_scale(4.0, "gaussian", 100, 2.0) == pytest.approx(1.0)
    assert scale_to_alpha(1.0, "gaussian", 100, 2.0) == pytest.approx(4.0)
    assert alpha_to_scale(0.1, "laplace", 442, 54.0) == pytest.approx(54.0**2 / (442 * 0.1))
    assert scale_to_alpha(54.0**2 / (442 * 0.1), "lasso", 442, 54.0) == pytest.approx(0.1)
    # the Gaussian conversion does not depend on n
    assert alpha_to_scale(2.0, "ridge", 10, 3.0) == alpha_to_scale(2.0, "ridge", 10_000, 3.0)


@settings(max_examples=200, deadline=None)
@given(positive, families, st.integers(1, 10**6), positive)
def test_round_trip_alpha_scale_alpha(alpha, prior, n, sigma):
    scale = alpha_to_scale(alpha, prior, n, sigma)
    assert scale > 0
    assert scale_to_alpha(scale, prior, n, sigma) == pytest.approx(alpha, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(positive, families, st.integers(1, 10**6), positive)
def test_round_trip_scale_alpha_scale(scale, prior, n, sigma):
    alpha = scale_to_alpha(scale, prior, n, sigma)
    assert alpha_to_scale(alpha, prior, n, sigma) == pytest.approx(scale, rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(positive, st.integers(1, 10**5), positive)
def test_elastic_net_weights_reduce_to_laplace_and_gaussian(alpha, n, sigma):
    """l1_ratio = 1: lambda_1 = 1/b of the Laplace prior; l1_ratio = 0: lambda_2 = 1/tau^2 of
    the Gaussian prior matching ``Ridge(alpha_ridge = n * alpha)``."""
    l1, l2 = elastic_net_penalty_weights(alpha, 1.0, n, sigma)
    assert l2 == 0.0
    assert l1 == pytest.approx(1.0 / alpha_to_scale(alpha, "laplace", n, sigma), rel=1e-12)
    l1, l2 = elastic_net_penalty_weights(alpha, 0.0, n, sigma)
    assert l1 == 0.0
    tau = alpha_to_scale(n * alpha, "gaussian", n, sigma)
    assert l2 == pytest.approx(1.0 / tau**2, rel=1e-12)


# -- the MAP through the scale/sigma route equals the alpha route ---------------------------------


@pytest.mark.parametrize("family", ["laplace", "gaussian"])
@pytest.mark.parametrize("alpha", [1e-3, 0.1, 2.0])
def test_scale_route_equals_alpha_route(diabetes_arrays, family, alpha):
    X, y = diabetes_arrays
    sigma = 54.0
    scale = alpha_to_scale(alpha, family, len(y), sigma)
    by_alpha = bayesreg.map_estimate(X, y, family, alpha=alpha)
    by_scale = bayesreg.map_estimate(X, y, family, scale=scale, sigma=sigma)
    cls = bayesreg.Laplace if family == "laplace" else bayesreg.Gaussian
    by_prior = bayesreg.map_estimate(X, y, cls(scale=scale), sigma=sigma)
    by_rate = bayesreg.map_estimate(X, y, cls(rate=1.0 / scale), sigma=sigma)
    for other in (by_scale, by_prior, by_rate):
        assert other.alpha == pytest.approx(alpha, rel=1e-12)
        np.testing.assert_allclose(other.coef, by_alpha.coef, rtol=1e-9,
                                   atol=1e-9 * np.abs(by_alpha.coef).max())
        np.testing.assert_array_equal(other.coef == 0, by_alpha.coef == 0)
        assert other.intercept == pytest.approx(by_alpha.intercept, rel=1e-12)


def test_gaussian_scale_relative_to_sigma_needs_no_sigma(diabetes_arrays):
    """beta | sigma ~ N(0, sigma^2 tau^2): Ridge with alpha = 1/tau^2 whatever sigma is."""
    X, y = diabetes_arrays
    tau = 0.5
    est = bayesreg.map_estimate(X, y, bayesreg.Gaussian(scale=tau, scale_with_sigma=True))
    assert est.alpha == pytest.approx(1 / tau**2)
    ref = bayesreg.map_estimate(X, y, "gaussian", alpha=1 / tau**2)
    np.testing.assert_allclose(est.coef, ref.coef, rtol=1e-12)


def test_laplace_scale_with_sigma(diabetes_arrays):
    """Park & Casella: beta | sigma ~ Laplace(0, sigma/rate); sigma fixed: alpha = sigma*rate/n."""
    X, y = diabetes_arrays
    n, sigma, rate = len(y), 54.0, 0.3
    est = bayesreg.map_estimate(X, y, bayesreg.Laplace(rate=rate, scale_with_sigma=True),
                                sigma=sigma)
    assert est.alpha == pytest.approx(scale_to_alpha(sigma / rate, "laplace", n, sigma))
    assert est.alpha == pytest.approx(sigma * rate / n)


# -- bad arguments name themselves ----------------------------------------------------------------


@pytest.mark.parametrize("function", [alpha_to_scale, scale_to_alpha])
@pytest.mark.parametrize(
    ("position", "value", "error", "match"),
    [
        (0, 0.0, ValueError, "must be a finite positive number"),
        (0, -1.0, ValueError, "must be a finite positive number"),
        (0, math.nan, ValueError, "must be a finite positive number"),
        (0, math.inf, ValueError, "must be a finite positive number"),
        (0, "1", TypeError, "must be a positive number"),
        (0, True, TypeError, "must be a positive number"),
        (0, None, TypeError, "is required"),
        (1, "cauchy", ValueError, "prior must be 'gaussian'.*got 'cauchy'"),
        (1, bayesreg.ElasticNet(), ValueError, "prior must be 'gaussian'"),
        (1, 3, ValueError, "prior must be 'gaussian'"),
        (2, 0, ValueError, "n_samples must be >= 1"),
        (2, 2.5, TypeError, "n_samples must be an integer"),
        (3, 0.0, ValueError, "sigma must be a finite positive number"),
        (3, None, TypeError, "sigma is required"),
    ],
)
def test_bad_arguments(function, position, value, error, match):
    args = [1.0, "laplace", 100, 2.0]
    args[position] = value
    first = "alpha" if function is alpha_to_scale else "scale"
    if position == 0:
        match = f"{first} {match}"
    with pytest.raises(error, match=match):
        function(*args)


def test_numpy_scalars_are_accepted():
    assert alpha_to_scale(np.float64(0.5), "laplace", np.int64(10), np.float32(2.0)) == \
        pytest.approx(4.0 / 5.0)
