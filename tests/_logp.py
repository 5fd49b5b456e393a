"""The NumPy log posterior (what every sampler reports as ``lp``) against the PyMC model's."""

import numpy as np

from bayesreg.likelihoods import get_likelihood
from bayesreg.map import CentredData
from bayesreg.model import log_posterior, pymc_model


def likelihood_statistics(likelihood, data):
    """What the likelihood's ``log_likelihood`` reads for these data (its ``statistics``)."""

    class Problem:  # the two views a Standardized problem offers, in the data's own units
        suff = CentredData(data.X, data.y)

    Problem.data = data
    return get_likelihood(likelihood).statistics(Problem)


def assert_logp_matches_pymc(data, resolved, likelihood="gaussian", n_points=4, seed=1, label=""):
    """Equal up to one additive constant at random points (σ and a random scale on the log scale)."""
    model = pymc_model(data, resolved, likelihood)
    logp = model.compile_logp(jacobian=False)
    suff = likelihood_statistics(likelihood, data)
    rng = np.random.default_rng(seed)
    p = data.n_features
    values = []
    for _ in range(n_points):
        point = {"intercept": rng.normal(1.0, 0.5), "coef": rng.normal(0, 1.5, size=p)}
        sigma = resolved.sigma if resolved.sigma_is_fixed else float(rng.uniform(0.5, 2.0))
        if not resolved.sigma_is_fixed:
            point["sigma_log__"] = np.log(sigma)
        random_scale = None
        if resolved.scale_is_random:
            random_scale = float(rng.uniform(0.2, 3.0))
            point[f"{resolved.random_scale_name}_log__"] = np.log(random_scale)
        ours = log_posterior(resolved, suff, np.array([point["intercept"]]), point["coef"][None, :],
                             np.array([sigma]),
                             None if random_scale is None else np.array([random_scale]),
                             likelihood=likelihood)[0]
        values.append((float(logp(point)), float(ours)))
    values = np.array(values)
    diffs = values[:, 0] - values[:, 1]
    np.testing.assert_allclose(diffs, diffs[0], rtol=0, atol=1e-8 * np.abs(values).max(),
                               err_msg=label)
