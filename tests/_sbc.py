"""Simulation-based calibration (Talts et al. 2018) shared by the sampler and family tests.

Pseudo-observations make the improper parts of the prior proper: 2K rows with x = 0 and fixed
values ±h are part of every data set, so a priori σ ~ IG((2K-1)/2, Σh²) and the intercept | σ ~
N(0, σ²/(2K)). The coefficients (and a random prior scale) are drawn from the prior family itself
(:meth:`PriorFamily.prior_draws`), so the same code checks every registered family.
"""

import numpy as np
from scipy import stats

import bayesreg
from bayesreg.priors import resolve_prior

K_PAIRS = np.array([0.8, 1.2, 1.0])


def _flat(idata, name):
    v = idata.posterior[name].values
    return v.reshape(v.shape[0] * v.shape[1], -1)


def draw_from_prior(resolved, rng, p):
    """Parameters from the (proper) prior: σ and the intercept from the pseudo-data posterior."""
    truth = {}
    if resolved.sigma_is_fixed:
        sigma = resolved.sigma
    else:
        h = K_PAIRS
        ss = 2 * np.sum(h**2)
        sigma = np.sqrt(stats.invgamma((2 * h.size - 1) / 2, scale=ss / 2).rvs(random_state=rng))
        truth["sigma"] = sigma
    truth["intercept"] = rng.normal(0.0, sigma / np.sqrt(2 * K_PAIRS.size))
    truth.update(resolved.spec.prior_draws(resolved, sigma, p, rng))
    return truth


def simulate_ranks(prior, kwargs, n, p, *, sampler, n_reps, seed, n_draws=100, thin=4, tune=200):
    """Rank of each true parameter among ``n_draws`` thinned posterior draws, for ``n_reps`` data sets."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    pseudo_X = np.zeros((2 * K_PAIRS.size, p))
    pseudo_y = np.concatenate([K_PAIRS, -K_PAIRS])
    X_all = np.vstack([X, pseudo_X])
    resolved = resolve_prior(prior, X=X_all, y=np.zeros(X_all.shape[0]), **kwargs)
    ranks: dict[str, list] = {}
    for _ in range(n_reps):
        truth = draw_from_prior(resolved, rng, p)
        sigma = truth.get("sigma", resolved.sigma)
        y = truth["intercept"] + X @ truth["coef"] + sigma * rng.standard_normal(n)
        res = bayesreg.fit(X_all, np.concatenate([y, pseudo_y]), prior,
                           draws=n_draws * thin, tune=tune, chains=1,
                           random_seed=int(rng.integers(2**31)), progressbar=False,
                           log_likelihood=False, warn_convergence=False, sampler=sampler, **kwargs)
        for key, value in truth.items():
            draws = _flat(res.idata, key)[::thin]
            for j, v in enumerate(np.atleast_1d(value)):
                ranks.setdefault(f"{key}[{j}]", []).append(int(np.sum(draws[:, j] < v)))
    return ranks, n_draws


def assert_uniform_ranks(ranks, n_draws, bins=10, pmin=1e-3):
    for param, r in ranks.items():
        counts = np.bincount((np.asarray(r) * bins) // (n_draws + 1), minlength=bins)
        p = stats.chisquare(counts).pvalue
        assert p > pmin, f"{param}: SBC ranks not uniform (chi2 p={p:.2g}, counts={counts})"
