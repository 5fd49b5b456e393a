"""Shrinkage factors κ_j = 1/(1 + n s_j² v_j/σ²): their formula, their prior and posterior draws, the plot."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import SEED
from scipy import stats

import bayesreg
from bayesreg import plots
from bayesreg.priors import ResolvedPrior, get_family
from bayesreg.shrinkage import ShrinkageProfile, shrinkage_factor

FAST = dict(draws=300, tune=300, chains=2, progressbar=False, warn_convergence=False)


def _prior_kappa(resolved, n_draws, rng):
    """κ of prior draws of one coefficient at σ = 1, n s² = 1."""
    family = resolved.spec
    rows = [family.prior_draws(resolved, 1.0, 1, rng) for _ in range(n_draws)]
    draws = {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}
    draws["sigma"] = np.ones(n_draws)
    variance = family.conditional_variances(resolved, draws, rng)
    return draws, variance, shrinkage_factor(variance, draws["sigma"], 1, [1.0])[:, 0]


def test_horseshoe_kappa_is_beta_half_half_for_a_unit_design():
    # Carvalho, Polson & Scott (2010): tau = sigma = 1 and n s^2 = 1 give kappa ~ Beta(1/2, 1/2)
    resolved = ResolvedPrior(family="horseshoe", n_samples=1, scale=1.0, sigma_power=1,
                             sigma=1.0, prior=bayesreg.Horseshoe())
    _, _, kappa = _prior_kappa(resolved, 20_000, np.random.default_rng(1))
    assert stats.kstest(kappa, stats.beta(0.5, 0.5).cdf).pvalue > 1e-3
    # the horseshoe shape: P(kappa < 0.1) = P(kappa > 0.9) = (2/pi) arcsin(sqrt(0.1)) = 0.205
    np.testing.assert_allclose([np.mean(kappa < 0.1), np.mean(kappa > 0.9)], 0.2048, atol=0.015)


def test_laplace_latent_variance_drawn_given_beta_is_exponential():
    # omega | beta drawn from its inverse-Gaussian conditional, beta from the prior: omega has its
    # mixing distribution Exp(rate 1/(2 b^2))
    b = 0.7
    resolved = ResolvedPrior(family="laplace", n_samples=1, scale=b, sigma_power=0, sigma=1.0,
                             prior=bayesreg.Laplace())
    _, omega, _ = _prior_kappa(resolved, 20_000, np.random.default_rng(2))
    assert stats.kstest(omega[:, 0], stats.expon(scale=2 * b * b).cdf).pvalue > 1e-3


def test_shrinkage_factor_formula():
    v = np.array([[0.0, 1.0, np.inf], [2.0, 0.5, 1e-300]])
    sigma = np.array([1.0, 2.0])
    kappa = shrinkage_factor(v, sigma, 10, [1.0, 2.0, 3.0])
    expected = 1.0 / (1.0 + 10 * np.array([1.0, 4.0, 9.0]) * v / sigma[:, None] ** 2)
    np.testing.assert_allclose(kappa, expected, rtol=1e-15)
    assert kappa[0, 0] == 1.0 and kappa[0, 2] == 0.0


def test_gaussian_posterior_kappa_at_a_fixed_scale_is_the_closed_form(diabetes):
    X, y = diabetes
    res = bayesreg.fit(X, y, "gaussian", scale=3.0, sigma=50.0, random_seed=1, **FAST)
    profile = res.shrinkage_profile(random_seed=2)
    n, sd = X.shape[0], np.asarray(X).std(axis=0)  # population sd
    expected = 1.0 / (1.0 + n * sd**2 * 9.0 / 2500.0)
    np.testing.assert_allclose(profile.posterior, np.broadcast_to(expected, profile.posterior.shape),
                               rtol=1e-12)
    np.testing.assert_allclose(profile.prior, np.broadcast_to(expected, profile.prior.shape),
                               rtol=1e-12)


def test_horseshoe_posterior_kappa_from_its_local_scales(diabetes):
    X, y = diabetes
    res = bayesreg.fit(X, y, "horseshoe", random_seed=3, **FAST)
    profile = res.shrinkage_profile(random_seed=4)
    post = res.idata.posterior
    v = (post["sigma"] * post["coef_scale"] * post["coef_local"]) ** 2
    n, sd = X.shape[0], np.asarray(X).std(axis=0)  # population sd
    expected = 1.0 / (1.0 + n * sd**2 * v.values / post["sigma"].values[..., None] ** 2)
    np.testing.assert_allclose(profile.posterior, expected, rtol=1e-10)
    assert profile.prior.shape == (600, 10) and profile.posterior.shape == (2, 300, 10)
    assert ((profile.prior > 0) & (profile.prior < 1)).all()
    # bmi and s5 (the strongest predictors) are shrunk least
    mean = profile.summary()["mean"]
    assert set(mean.nsmallest(2).index) == {"bmi", "s5"}


def test_profiles_of_a_comparison_are_reproducible_and_plot(comparison):
    profiles = comparison.shrinkage_profiles(random_seed=SEED)
    again = comparison.shrinkage_profiles(random_seed=SEED)
    other = comparison.shrinkage_profiles(random_seed=SEED + 1)
    assert list(profiles) == ["gaussian", "laplace"]
    for name in profiles:
        assert isinstance(profiles[name], ShrinkageProfile) and name in repr(profiles[name])
        np.testing.assert_array_equal(profiles[name].posterior, again[name].posterior)
        np.testing.assert_array_equal(profiles[name].prior, again[name].prior)
    assert not np.array_equal(profiles["laplace"].posterior, other["laplace"].posterior)
    # Gaussian: one kappa per draw, the same for every standardized coefficient of equal sd
    table = profiles["laplace"].summary(hdi_prob=0.9)
    assert list(table.columns) == ["prior_mean", "mean", "median", "hdi_low", "hdi_high"]
    assert (table["hdi_low"] <= table["median"]).all() and (table["median"] <= table["hdi_high"]).all()
    axes = plots.plot_shrinkage_profile(profiles, features=["bmi", "s5", "age"], bins=20)
    assert axes.shape == (4,)
    ticks = {t.get_text(): y for t, y in zip(axes[2].get_yticklabels(), axes[2].get_yticks(),
                                               strict=True)}
    assert ticks == {"bmi": 2, "s5": 1, "age": 0}  # in the order given, from the top
    assert axes[0].get_title() == "gaussian" and axes[1].get_title() == "laplace"
    # the bottom panel's median markers are the profile's medians
    marker = next(line for line in axes[3].lines if line.get_marker() == "o")
    np.testing.assert_allclose(marker.get_xdata(), table.loc[["bmi", "s5", "age"], "median"])
    plt.close(axes[0].figure)


def test_plot_shrinkage_profile_errors(comparison):
    profiles = comparison.shrinkage_profiles(random_seed=1)
    with pytest.raises(TypeError, match="ShrinkageProfile"):
        plots.plot_shrinkage_profile(comparison)  # a comparison is not sampled inside a plot
    with pytest.raises(TypeError, match="ShrinkageProfile"):
        plots.plot_shrinkage_profile([])
    with pytest.raises(ValueError, match="features"):
        plots.plot_shrinkage_profile(profiles, features=["nope"])
    with pytest.raises(ValueError, match="bins"):
        plots.plot_shrinkage_profile(profiles, bins=1)
    with pytest.raises(ValueError, match="hdi_prob"):
        plots.plot_shrinkage_profile(profiles, hdi_prob=1.5)
    _, given = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="axes must be 4"):
        plots.plot_shrinkage_profile(profiles, axes=given)
    plt.close("all")


def test_shrinkage_profile_refusals(diabetes, monkeypatch, tmp_path):
    X, y = diabetes
    res = bayesreg.fit(X, y, "laplace", alpha=0.1, sigma=54.0, method="map")
    with pytest.raises(ValueError, match="posterior draws"):
        res.shrinkage_profile()
    sampled = bayesreg.fit(X, y, "gaussian", random_seed=5, **FAST)
    with pytest.raises(TypeError, match="random_seed"):
        sampled.shrinkage_profile(random_seed="a")
    monkeypatch.setattr(type(get_family("gaussian")), "mixture_variances",
                        lambda self, coef, scale, rng: None)
    with pytest.raises(ValueError, match="not declared as a normal scale mixture"):
        sampled.shrinkage_profile()
    monkeypatch.undo()
    # x_sd survives the netCDF round trip; a result without it is refused with advice
    loaded = bayesreg.load(sampled.to_netcdf(tmp_path / "g.nc"))
    assert loaded.x_sd == sampled.x_sd and len(loaded.x_sd) == 10
    np.testing.assert_array_equal(loaded.shrinkage_profile(random_seed=1).posterior,
                                  sampled.shrinkage_profile(random_seed=1).posterior)
    loaded.x_sd = None
    with pytest.raises(ValueError, match="refit"):
        loaded.shrinkage_profile()
