"""The PyMC model and the NumPy log posterior used by the fast samplers describe the same density."""

import numpy as np
import pytest
from _logp import assert_logp_matches_pymc

import bayesreg
from bayesreg._validation import check_Xy
from bayesreg.model import pymc_model as build_model
from bayesreg.priors import resolve_prior

PRIORS = [
    dict(prior="gaussian", scale=30.0),
    dict(prior="gaussian", scale=30.0, sigma=2.0),
    dict(prior="gaussian", alpha=0.5),
    dict(prior="gaussian"),
    dict(prior=bayesreg.Gaussian(hyperprior=bayesreg.Gamma(2.0, 3.0), scale_with_sigma=False)),
    dict(prior="laplace", scale=3.0),
    dict(prior="laplace", alpha=0.05),
    dict(prior="laplace"),
    dict(prior=bayesreg.Laplace(rate=0.5, scale_with_sigma=True)),
    dict(prior=bayesreg.Laplace(hyperprior=bayesreg.Gamma(1.0, 1.78), scale_with_sigma=True)),
    dict(prior=bayesreg.Laplace(hyperprior=bayesreg.HalfCauchy(2.0), scale_with_sigma=False), sigma=1.5),
    dict(prior=bayesreg.ElasticNet(alpha=0.1, l1_ratio=0.3)),
    dict(prior=bayesreg.ElasticNet(alpha=0.1, l1_ratio=0.7), sigma=1.2),
]


@pytest.fixture(scope="module")
def small_data():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((25, 3))
    y = 1.0 + X @ np.array([2.0, 0.0, -1.0]) + rng.standard_normal(25)
    return check_Xy(X, y)


@pytest.mark.parametrize("kwargs", PRIORS, ids=lambda kw: str(kw))
def test_pymc_logp_matches_numpy(small_data, kwargs):
    kwargs = dict(kwargs)
    prior = kwargs.pop("prior")
    resolved = resolve_prior(prior, X=small_data.X, y=small_data.y, **kwargs)
    assert_logp_matches_pymc(small_data, resolved, label=str(kwargs))


def test_model_variables(small_data):
    resolved = resolve_prior(bayesreg.Laplace(hyperprior=bayesreg.Gamma(1.0, 1.0), scale_with_sigma=True),
                             X=small_data.X, y=small_data.y)
    model = build_model(small_data, resolved)
    names = {v.name for v in model.free_RVs}
    assert names == {"intercept", "coef", "sigma", "coef_rate"}
    assert model.coords["feature"] == ("x0", "x1", "x2")
    assert model.named_vars_to_dims["coef"] == ("feature",)
