"""The horseshoe, horseshoe+ and regularized horseshoe families: Gibbs against NUTS,
simulation-based calibration, the data-scaled global scale, no MAP, summaries and round trips.

NUTS on a horseshoe posterior has some divergent transitions even at ``target_accept=0.99``; the
comparisons use quantities it gets right: the coefficients, σ, the intercept, the global scale and
the *logarithm* of the local scales (the posterior of λ_j has a λ^-3 tail: no finite variance, so
its mean has no reliable Monte Carlo error).
"""

import math

import numpy as np
import pytest
from _sbc import assert_uniform_ranks, simulate_ranks
from _stats import compare_runs

import bayesreg
from bayesreg._validation import check_Xy, rms, spreads
from bayesreg.priors import get_family, resolve_prior

NUTS = {"target_accept": 0.99}
KW = dict(draws=2000, tune=1000, chains=2, progressbar=False, warn_convergence=False)


def _with_log_locals(idata):
    """A copy of the posterior with ``log_coef_local`` = log λ_j (light-tailed) added."""
    post = idata.posterior.copy()
    post["log_coef_local"] = np.log(post["coef_local"])
    out = idata.copy()
    out.posterior = post
    return out


def _compare(gibbs, nuts, names):
    compare_runs(_with_log_locals(gibbs.idata), _with_log_locals(nuts.idata), names)


@pytest.fixture(scope="module")
def wide():
    """p > n: 40 rows, 60 columns, 3 signals."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 60))
    coef = np.zeros(60)
    coef[:3] = [3.0, -2.0, 1.5]
    return X, 1.0 + X @ coef + rng.standard_normal(40)


# ---- Gibbs against NUTS ---------------------------------------------------------------------------


def test_gibbs_matches_nuts_on_diabetes(diabetes):
    X, y = diabetes
    gibbs = bayesreg.fit(X, y, "horseshoe", sampler="gibbs", random_seed=1, **KW)
    nuts = bayesreg.fit(X, y, "horseshoe", sampler="nutpie", random_seed=1, sampler_kwargs=NUTS, **KW)
    assert gibbs.sampler == "gibbs" and bayesreg.sampling.choose_sampler(gibbs.resolved_prior) == "gibbs"
    assert nuts.diagnostics().attrs["divergences"] < 0.02 * 4000
    _compare(gibbs, nuts, ["intercept", "coef", "sigma", "coef_scale", "log_coef_local"])
    assert gibbs.idata.posterior["coef_local"].dims == ("chain", "draw", "feature")
    assert nuts.idata.posterior["coef_local"].dims == ("chain", "draw", "feature")
    # lp is the log posterior of (intercept, coef, sigma, tau) with the λ_j integrated out: a
    # function of the draws, so its posterior distribution is the same under both samplers
    lp_g, lp_n = (r.idata.sample_stats["lp"].values.ravel() for r in (gibbs, nuts))
    assert np.all(np.isfinite(lp_g)) and abs(np.median(lp_g) - np.median(lp_n)) < 0.5


def test_gibbs_matches_nuts_when_p_exceeds_n(wide):
    """p > n: Bhattacharya et al.'s β draw and the σ–scale ridge moves in the Gibbs sampler."""
    X, y = wide
    gibbs = bayesreg.fit(X, y, "horseshoe", sampler="gibbs", random_seed=5,
                         **{**KW, "chains": 4})
    nuts = bayesreg.fit(X, y, "horseshoe", sampler="nutpie", random_seed=5, sampler_kwargs=NUTS, **KW)
    assert nuts.diagnostics().attrs["divergences"] < 0.05 * 4000
    _compare(gibbs, nuts, ["intercept", "coef", "sigma", "coef_scale", "log_coef_local"])
    coef = gibbs.idata.posterior["coef"].mean(("chain", "draw")).values
    assert np.all(np.abs(coef[:3] - [3.0, -2.0, 1.5]) < 0.5) and np.max(np.abs(coef[3:])) < 0.3


def test_regularized_horseshoe_with_a_wide_slab_is_the_horseshoe(diabetes):
    """slab_scale → ∞: c_j ≫ τλ_j, so the regularized horseshoe is the horseshoe (both by Gibbs)."""
    X, y = diabetes
    tau0 = 5.0
    rhs = bayesreg.fit(X, y, bayesreg.RegularizedHorseshoe(scale=tau0, slab_scale=1e4),
                       random_seed=2, **KW)
    assert rhs.sampler == "gibbs" and rhs.map is None
    # no closed-form marginal: lp is the joint density with the local scales and the slab
    assert np.all(np.isfinite(rhs.idata.sample_stats["lp"].values))
    hs = bayesreg.fit(X, y, bayesreg.Horseshoe(scale=tau0), random_seed=2, **KW)
    _compare(hs, rhs, ["intercept", "coef", "sigma", "coef_scale", "log_coef_local"])


@pytest.mark.slow
def test_regularized_horseshoe_gibbs_matches_nuts_on_prostate():
    """The regularized horseshoe's Gibbs sampler against nutpie at target_accept 0.99 on the
    standardized prostate data (where nutpie converges: R-hat ≤ 1.01, a handful of divergences at
    most), its default hyperprior and slab."""
    X, y = bayesreg.datasets.load_prostate()
    X = X.drop(columns="train")
    X = (X - X.mean()) / X.std(ddof=0)
    kw = {**KW, "chains": 4}
    gibbs = bayesreg.fit(X, y, "regularized_horseshoe", random_seed=3, **kw)
    assert gibbs.sampler == "gibbs" and gibbs.diagnostics()["r_hat"].max() <= 1.01
    nuts = bayesreg.fit(X, y, "regularized_horseshoe", sampler="nutpie", random_seed=3,
                        sampler_kwargs=NUTS, **kw)
    assert nuts.diagnostics()["r_hat"].max() <= 1.01
    _compare(gibbs, nuts, ["intercept", "coef", "sigma", "coef_scale", "coef_slab", "log_coef_local"])


# ---- simulation-based calibration of the Gibbs sampler ------------------------------------------

SBC_CASES = {
    "tied": (bayesreg.Horseshoe(scale=1.0), {}, 20, 4),
    "untied": (bayesreg.Horseshoe(scale=1.0, scale_with_sigma=False), {}, 20, 4),
    "sigma_fixed": (bayesreg.Horseshoe(scale=0.5), dict(sigma=1.0), 20, 4),
    "wide": (bayesreg.Horseshoe(scale=0.5), {}, 8, 20),
    "plus": (bayesreg.HorseshoePlus(scale=1.0), {}, 20, 4),
}


@pytest.mark.parametrize("case", list(SBC_CASES))
def test_horseshoe_gibbs_sbc(case):
    """100 data sets from the prior; the ranks of β, λ_j, τ, σ and the intercept are uniform."""
    prior, kwargs, n, p = SBC_CASES[case]
    ranks, n_draws = simulate_ranks(prior, kwargs, n, p, sampler="gibbs", n_reps=100, seed=2010,
                                    n_draws=100, thin=10, tune=500)
    assert {"coef_scale[0]", "coef_local[0]", "coef[0]"} <= set(ranks)
    assert_uniform_ranks(ranks, n_draws)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(SBC_CASES))
def test_horseshoe_gibbs_sbc_large(case):
    prior, kwargs, n, p = SBC_CASES[case]
    ranks, n_draws = simulate_ranks(prior, kwargs, n, p, sampler="gibbs", n_reps=500, seed=2016,
                                    n_draws=100, thin=20, tune=1000)
    assert_uniform_ranks(ranks, n_draws, bins=20)


# ---- the global scale's prior: default, expected_nonzero, given ----------------------------------


def test_default_and_expected_nonzero_tau0(diabetes):
    X, y = diabetes
    sd_x, sd_y = spreads(np.asarray(X), np.asarray(y))
    n, p = X.shape
    assert resolve_prior("horseshoe", X=X, y=y).hyperprior.scale == pytest.approx(1 / rms(sd_x), rel=1e-12)
    untied = resolve_prior(bayesreg.Horseshoe(scale_with_sigma=False), X=X, y=y)
    assert untied.sigma_power == 0
    assert untied.hyperprior.scale == pytest.approx(sd_y / rms(sd_x), rel=1e-12)
    expected = 3 / (p - 3) / math.sqrt(n) / rms(sd_x)  # Piironen & Vehtari, standardized x
    for prior in (bayesreg.Horseshoe(expected_nonzero=3), bayesreg.RegularizedHorseshoe(expected_nonzero=3)):
        assert resolve_prior(prior, X=X, y=y).hyperprior.scale == pytest.approx(expected, rel=1e-12)
    given = resolve_prior("horseshoe", X=X, y=y, scale=0.2)
    assert given.hyperprior.scale == 0.2 and given.source == "scale"
    with pytest.raises(ValueError, match="expected_nonzero must be below the number of features"):
        resolve_prior(bayesreg.Horseshoe(expected_nonzero=10), X=X, y=y)
    with pytest.raises(ValueError, match="already sets its strength"):
        bayesreg.fit(X, y, bayesreg.Horseshoe(expected_nonzero=3), scale=0.2)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    (dict(scale=-1.0), ValueError, "Horseshoe.scale"),
    (dict(expected_nonzero=0.0), ValueError, "Horseshoe.expected_nonzero"),
    (dict(expected_nonzero=True), TypeError, "Horseshoe.expected_nonzero"),
    (dict(scale_with_sigma="yes"), TypeError, "Horseshoe.scale_with_sigma"),
    (dict(scale=1.0, expected_nonzero=2), ValueError, "at most one of scale and expected_nonzero"),
])
def test_horseshoe_arguments_are_checked(kwargs, error, message):
    with pytest.raises(error, match=message):
        bayesreg.Horseshoe(**kwargs)
    with pytest.raises(error, match=message.replace("Horseshoe", "HorseshoePlus")):
        bayesreg.HorseshoePlus(**kwargs)


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(slab_scale=0.0), "RegularizedHorseshoe.slab_scale"),
    (dict(slab_df=-4.0), "RegularizedHorseshoe.slab_df"),
    (dict(scale=np.inf), "RegularizedHorseshoe.scale"),
])
def test_regularized_horseshoe_arguments_are_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bayesreg.RegularizedHorseshoe(**kwargs)


# ---- no MAP ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("prior", ["horseshoe", "horseshoe_plus", "regularized_horseshoe"])
def test_map_is_refused_with_the_reason(diabetes, prior):
    X, y = diabetes
    with pytest.raises(ValueError, match=r"no finite MAP.*infinite at 0.*posterior means"):
        bayesreg.fit(X, y, prior, scale=1.0, method="map")
    with pytest.raises(ValueError, match="no scikit-learn penalty, so no alpha"):
        bayesreg.fit(X, y, prior, alpha=0.1)


def test_sampled_fit_has_no_map(diabetes):
    X, y = diabetes
    res = bayesreg.fit(X, y, "horseshoe", draws=100, tune=100, chains=2, random_seed=0,
                       progressbar=False, warn_convergence=False)
    assert res.map is None and "map=None" in repr(res)
    with pytest.raises(ValueError, match="no finite MAP"):
        res.predict(X[:3], kind="map")
    assert res.predict(X[:3]).shape == (3,)


def test_plots_and_compare_mark_the_missing_map(diabetes):
    import matplotlib.pyplot as plt

    X, y = diabetes
    comparison = bayesreg.compare_priors(X, y, ("laplace", "horseshoe"), draws=100, tune=100, chains=2,
                                         random_seed=4, progressbar=False, warn_convergence=False)
    for plot in (bayesreg.plots.plot_shrinkage, bayesreg.plots.plot_posteriors):
        axes = plot(comparison)
        fig = axes[0].figure
        legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
        texts = [t.get_text() for legend in legends for t in legend.get_texts()]
        assert "horseshoe: no MAP (the horseshoe prior has no finite mode)" in texts
        assert any(t.startswith("laplace MAP = Lasso") for t in texts)
        plt.close(fig)
    axes = bayesreg.plots.plot_prior_posterior(comparison.results["horseshoe"], features=["bmi", "s5"])
    legend = axes[0].figure.legends[0]
    assert "peak clipped" in legend.get_texts()[1].get_text()  # the pole at 0
    plt.close(axes[0].figure)
    assert "no MAP (the horseshoe prior has no finite mode)" in comparison.to_markdown()


def test_cli_compare_skips_the_path_of_a_prior_without_map(tmp_path, capsys):
    from bayesreg.cli import main

    out = tmp_path / "cmp"
    assert main(["compare", "--priors", "laplace,horseshoe", "--draws", "60", "--chains", "2",
                 "--seed", "3", "--n-alphas", "2", "--path-draws", "30", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "regularization path skipped for horseshoe: no MAP" in printed
    assert (out / "regularization_path_laplace.png").exists()
    assert not (out / "regularization_path_horseshoe.png").exists()
    assert (out / "prior_posterior_horseshoe.png").exists()


# ---- summaries, units, round trip -----------------------------------------------------------------


def test_prior_summary_rows(diabetes):
    X, y = diabetes
    hs = bayesreg.fit(X, y, bayesreg.Horseshoe(expected_nonzero=3), draws=50, tune=50, chains=1,
                      random_seed=1, progressbar=False, warn_convergence=False).prior_summary()
    assert list(hs.index) == ["intercept", "coef", "coef_local", "coef_scale", "sigma", "predictors"]
    assert hs.loc["coef", "prior"] == "Normal(0, coef_scale * coef_local * sigma)"
    assert hs.loc["coef_local", "prior"] == "HalfCauchy(0, 1)"
    tau0 = resolve_prior(bayesreg.Horseshoe(expected_nonzero=3), X=X, y=y).hyperprior.scale
    assert hs.loc["coef_scale", "prior"] == f"HalfCauchy(0, {tau0:.4g})"
    assert "expected_nonzero=3" in hs.loc["coef_scale", "note"]
    assert "relative to sigma" in hs.loc["coef_scale", "note"]
    rp = resolve_prior("regularized_horseshoe", X=X, y=y)
    rows = bayesreg.priors.ResolvedPrior.describe(rp)
    names = [r[0] for r in rows]
    assert names == ["intercept", "coef", "coef_local", "coef_slab", "coef_scale", "sigma"]
    assert dict((r[0], r[1]) for r in rows)["coef_slab"] == "coef_slab^2 ~ InvGamma(2, 12.5)"


def test_regularized_horseshoe_slab_factors_in_standardized_units(diabetes):
    """c_j = c sd(y)/sd(x_j) per column; standardized by one scalar c_x the factors become
    c_x/sd(x_j), exactly the per-column ratios."""
    from bayesreg._standardize import Standardized

    X, y = diabetes
    X = np.asarray(X) * np.array([1.0, 10.0, 0.1, 1e3, 1, 1, 1, 1, 1, 1])  # columns in other units
    data = check_Xy(X, np.asarray(y))
    rp = resolve_prior("rhs", data=data)
    sd_x, sd_y = spreads(X, np.asarray(y))
    np.testing.assert_allclose(rp.column_scales, sd_y / sd_x, rtol=1e-12)
    std = Standardized(data, rp).resolved
    np.testing.assert_allclose(std.column_scales, rms(sd_x) / sd_x, rtol=1e-10)


@pytest.mark.parametrize("prior", ["horseshoe", "horseshoe_plus", "regularized_horseshoe"])
def test_round_trip_keeps_the_local_scales(diabetes, prior, tmp_path):
    X, y = diabetes
    res = bayesreg.fit(X, y, prior, draws=40, tune=40, chains=2, random_seed=6, progressbar=False,
                       warn_convergence=False)
    back = bayesreg.load(res.to_netcdf(tmp_path / "fit.nc"))
    assert back.resolved_prior == res.resolved_prior and back.prior == res.prior
    assert back.map is None
    for name in get_family(prior).latent_variables(res.resolved_prior):
        np.testing.assert_array_equal(back.idata.posterior[name].values,
                                      res.idata.posterior[name].values)
    assert back.prior_summary().equals(res.prior_summary())


# ---- the horseshoe+ -------------------------------------------------------------------------------


def test_horseshoe_plus_local_scale_density():
    """p(λ) = 4 log λ / (π²(λ² − 1)) is the density of η·|C| with η = |C'| (C, C' Cauchy)."""
    from scipy import integrate

    from bayesreg.priors.horseshoe import horseshoe_plus_local_log_density

    density = lambda v: np.exp(horseshoe_plus_local_log_density(v))  # noqa: E731
    assert abs(integrate.quad(density, 0, np.inf, limit=200)[0] - 1.0) < 1e-9
    np.testing.assert_allclose(density(np.array([1.0, 1.0 + 1e-9])), 2 / math.pi**2, rtol=1e-8)
    rng = np.random.default_rng(5)
    draws = np.abs(rng.standard_cauchy(20_000)) * np.abs(rng.standard_cauchy(20_000))
    cdf = lambda v: integrate.quad(density, 0, v, limit=200)[0]  # noqa: E731
    levels = [0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95]
    np.testing.assert_allclose([cdf(g) for g in np.quantile(draws, levels)], levels, atol=0.008)


def test_horseshoe_plus_shrinks_noise_harder_and_signals_less_than_the_horseshoe(wide):
    X, y = wide
    kw = dict(draws=1000, tune=500, chains=2, random_seed=9, progressbar=False,
              warn_convergence=False)
    hs = bayesreg.fit(X, y, "horseshoe", **kw)
    plus = bayesreg.fit(X, y, "hs+", **kw)
    assert plus.sampler == "gibbs" and isinstance(plus.prior, bayesreg.HorseshoePlus)
    assert set(plus.idata.posterior) >= {"coef_local", "coef_local_scale", "coef_scale"}
    noise = lambda r: np.abs(r.idata.posterior["coef"].values[..., 3:]).mean()  # noqa: E731
    assert noise(plus) < noise(hs)
    truth = np.array([3.0, -2.0, 1.5])
    signal = lambda r: r.idata.posterior["coef"].values[..., :3].mean(axis=(0, 1))  # noqa: E731
    assert np.all(np.abs(signal(plus) - truth) < 0.35)
