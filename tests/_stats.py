"""Monte-Carlo comparisons shared by the statistical tests."""

import numpy as np

import bayesreg

Z = 4.5  # z-score allowed for Monte-Carlo comparisons (many comparisons, fixed seeds)


def _mcse_sd(az, draws):
    """Monte-Carlo standard error of the posterior sd (delta method on the squared deviations,
    as arviz's mcse(method="sd"), which fails on 3-D arrays in arviz 0.23 with numba present)."""
    dev2 = (draws - draws.mean(("chain", "draw"))) ** 2
    ess = az.ess(dev2.to_dataset(name="d"), method="mean")["d"].values
    var = dev2.mean(("chain", "draw")).values
    var_of_var = ((dev2**2).mean(("chain", "draw")).values - var**2) / ess
    return np.sqrt(var_of_var) / (2 * np.sqrt(var))


def compare_runs(a, b, names, z=Z):
    """Means and sds of two MCMC runs agree within their combined Monte-Carlo standard errors."""
    az = bayesreg._backend.import_arviz()
    for name in names:
        xa, xb = a.posterior[name], b.posterior[name]
        mean_gap = np.abs(xa.mean(("chain", "draw")) - xb.mean(("chain", "draw"))).values
        mean_se = np.sqrt(az.mcse(a, var_names=[name])[name].values ** 2
                          + az.mcse(b, var_names=[name])[name].values ** 2)
        assert np.all(mean_gap <= z * mean_se), (name, mean_gap / mean_se)
        sd_gap = np.abs(xa.std(("chain", "draw")) - xb.std(("chain", "draw"))).values
        sd_se = np.sqrt(_mcse_sd(az, xa) ** 2 + _mcse_sd(az, xb) ** 2)
        assert np.all(sd_gap <= z * sd_se), (name, sd_gap / sd_se)
