"""The PyMC model and the NumPy log posterior used by the fast samplers describe the same density."""

import numpy as np
import pytest

import bayesreg
from bayesreg._validation import check_Xy
from bayesreg.map import CentredData
from bayesreg.model import log_posterior
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
    pm = bayesreg._backend.import_pymc()
    kwargs = dict(kwargs)
    prior = kwargs.pop("prior")
    resolved = resolve_prior(prior, X=small_data.X, y=small_data.y, **kwargs)
    model = build_model(small_data, resolved)
    logp = model.compile_logp(jacobian=False)
    suff = CentredData(small_data.X, small_data.y)
    rng = np.random.default_rng(1)
    values = []
    for _ in range(4):
        point = {"intercept": rng.normal(1.0, 0.5), "coef": rng.normal(0, 1.5, size=3)}
        sigma = resolved.sigma if resolved.sigma_is_fixed else float(rng.uniform(0.5, 2.0))
        if not resolved.sigma_is_fixed:
            point["sigma_log__"] = np.log(sigma)
        random_scale = None
        if resolved.scale_is_random:
            random_scale = float(rng.uniform(0.2, 3.0))
            point[f"{resolved.random_scale_name}_log__"] = np.log(random_scale)
        ours = log_posterior(resolved, suff, np.array([point["intercept"]]), point["coef"][None, :],
                             np.array([sigma]),
                             None if random_scale is None else np.array([random_scale]))[0]
        values.append((float(logp(point)), float(ours)))
    values = np.array(values)
    # equal up to one additive constant
    diffs = values[:, 0] - values[:, 1]
    np.testing.assert_allclose(diffs, diffs[0], rtol=0, atol=1e-8 * np.abs(values).max())
    assert pm is not None


def test_model_variables(small_data):
    resolved = resolve_prior(bayesreg.Laplace(hyperprior=bayesreg.Gamma(1.0, 1.0), scale_with_sigma=True),
                             X=small_data.X, y=small_data.y)
    model = build_model(small_data, resolved)
    names = {v.name for v in model.free_RVs}
    assert names == {"intercept", "coef", "sigma", "coef_rate"}
    assert model.coords["feature"] == ("x0", "x1", "x2")
    assert model.named_vars_to_dims["coef"] == ("feature",)
