"""Samplers are right: exact draws vs the analytic posterior, Gibbs vs NUTS, simulation-based
calibration (Talts et al. 2018), reproducibility and round-trips."""

import warnings

import numpy as np
import pytest
from _sbc import assert_uniform_ranks, simulate_ranks
from _stats import compare_runs as _compare_runs
from scipy import stats

import bayesreg
from bayesreg.exceptions import ConvergenceWarning

Z = 4.5  # z-score allowed for Monte-Carlo comparisons (many comparisons, fixed seeds)


def _flat(idata, name):
    v = idata.posterior[name].values
    return v.reshape(v.shape[0] * v.shape[1], -1)


def analytic_normal_posterior(X, y, tau, sigma):
    """Posterior of (intercept, coef) for coef ~ N(0, tau^2 I), flat intercept, sigma known."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    n, p = X.shape
    xm, ym = X.mean(0), y.mean()
    Xc, yc = X - xm, y - ym
    cov = np.linalg.inv(Xc.T @ Xc / sigma**2 + np.eye(p) / tau**2)
    mean = cov @ Xc.T @ yc / sigma**2
    return mean, cov, ym - xm @ mean, sigma**2 / n + xm @ cov @ xm


def assert_moments(draws, mean, cov, z=Z):
    """Sample mean/sd/correlations equal the exact ones within Monte-Carlo error (iid draws)."""
    S = draws.shape[0]
    sd = np.sqrt(np.diag(cov))
    assert np.all(np.abs(draws.mean(0) - mean) <= z * sd / np.sqrt(S))
    assert np.all(np.abs(draws.std(0, ddof=1) / sd - 1) <= z / np.sqrt(2 * (S - 1)))
    corr = cov / np.outer(sd, sd)
    corr_hat = np.corrcoef(draws, rowvar=False)
    assert np.all(np.abs(corr_hat - corr) <= z * (1 - corr**2) / np.sqrt(S) + 1e-12)


# ------------------------------------------------------------------------------------------------
# exact sampler


def test_exact_matches_closed_form_sigma_fixed(diabetes):
    X, y = diabetes
    tau, sigma = 300.0, 54.0
    res = bayesreg.fit(X, y, prior="gaussian", scale=tau, sigma=sigma, draws=2000, chains=4,
                       random_seed=11, progressbar=False)
    assert res.sampler == "exact"
    assert res.idata.posterior.attrs["sampler"] == "exact"
    assert "sigma" not in res.idata.posterior and float(res.idata.constant_data["sigma"]) == sigma
    mean, cov, b0, b0_var = analytic_normal_posterior(X, y, tau, sigma)
    assert_moments(_flat(res.idata, "coef"), mean, cov)
    b0_draws = _flat(res.idata, "intercept")[:, 0]
    assert abs(b0_draws.mean() - b0) <= Z * np.sqrt(b0_var / b0_draws.size)
    assert abs(b0_draws.std() / np.sqrt(b0_var) - 1) <= Z / np.sqrt(2 * b0_draws.size)


def test_exact_normal_inverse_gamma(diabetes):
    """alpha with sigma unknown: tau = sigma / sqrt(alpha), p(sigma^2) ∝ 1/sigma^2 — conjugate."""
    X, y = diabetes
    alpha = 0.05
    res = bayesreg.fit(X, y, prior="gaussian", alpha=alpha, draws=2000, chains=4, random_seed=5,
                       progressbar=False)
    assert res.sampler == "exact"
    Xa, ya = X.to_numpy(), y.to_numpy()
    n, p = Xa.shape
    Xc, yc = Xa - Xa.mean(0), ya - ya.mean()
    M = Xc.T @ Xc + alpha * np.eye(p)
    mean = np.linalg.solve(M, Xc.T @ yc)
    a, b = (n - 1) / 2, (yc @ yc - yc @ Xc @ mean) / 2
    sigma2 = _flat(res.idata, "sigma")[:, 0] ** 2
    # sigma^2 ~ InvGamma(a, b): compare quantiles through the exact CDF (KS test)
    assert stats.kstest(sigma2, stats.invgamma(a, scale=b).cdf).pvalue > 1e-3
    # beta is multivariate t with 2a dof: mean M^-1 c, covariance b/(a-1) M^-1
    assert_moments(_flat(res.idata, "coef"), mean, b / (a - 1) * np.linalg.inv(M))
    # the MAP is Ridge(alpha) whatever sigma is
    from sklearn.linear_model import Ridge

    sk = Ridge(alpha=alpha).fit(X, y)
    assert res.map.alpha == alpha
    np.testing.assert_allclose(res.map.coef, sk.coef_, rtol=1e-9, atol=1e-9 * np.abs(sk.coef_).max())


def test_gibbs_gaussian_collapsed_is_exact(diabetes):
    """For the conjugate model the collapsed Gibbs step draws iid from the same posterior."""
    X, y = diabetes
    exact = bayesreg.fit(X, y, prior="gaussian", alpha=0.1, draws=1500, chains=2, random_seed=1,
                         progressbar=False)
    gibbs = bayesreg.fit(X, y, prior="gaussian", alpha=0.1, draws=1500, chains=2, random_seed=1,
                         sampler="gibbs", progressbar=False)
    assert gibbs.sampler == "gibbs"
    e, g = _flat(exact.idata, "coef"), _flat(gibbs.idata, "coef")
    se = np.sqrt(e.var(0) / e.shape[0] + g.var(0) / g.shape[0])
    assert np.all(np.abs(e.mean(0) - g.mean(0)) <= Z * se)


# ------------------------------------------------------------------------------------------------
# Gibbs vs NUTS


@pytest.fixture(scope="module")
def wide_data():
    rng = np.random.default_rng(42)
    n, p = 40, 80
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    beta[:4] = [3.0, -2.0, 1.5, 1.0]
    y = 0.5 + X @ beta + rng.standard_normal(n)
    return X, y


@pytest.mark.parametrize("case", ["diabetes_park_casella", "diabetes_default_prior", "wide_laplace_tied"])
def test_gibbs_agrees_with_nuts(case, diabetes, wide_data):
    if case == "diabetes_park_casella":
        X, y = diabetes
        prior = bayesreg.Laplace(rate=0.237, scale_with_sigma=True)
    elif case == "diabetes_default_prior":  # random scale with a half-Cauchy hyperprior
        X, y = diabetes
        prior = "laplace"
    else:
        # p = 80 > n = 40: Bhattacharya et al. draws with the collapsed sigma step
        X, y = wide_data
        prior = bayesreg.Laplace(rate=2.0, scale_with_sigma=True)
    kw = dict(prior=prior, draws=1000, tune=1000, chains=4, random_seed=8, progressbar=False,
              log_likelihood=False)
    gibbs = bayesreg.fit(X, y, **kw)
    assert gibbs.sampler == "gibbs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        nuts = bayesreg.fit(X, y, sampler="nutpie", **{**kw, "draws": 2000})
    assert nuts.sampler == "nutpie"
    assert nuts.diagnostics()["r_hat"].max() <= 1.01
    extra = ["coef_scale"] if case == "diabetes_default_prior" else []
    _compare_runs(gibbs.idata, nuts.idata, ["intercept", "coef", "sigma", *extra])
    assert gibbs.diagnostics()["r_hat"].max() <= 1.01


def test_pymc_backend_runs_and_agrees(diabetes):
    X, y = diabetes
    kw = dict(prior="laplace", scale=60.0, sigma=54.0, draws=500, tune=500, chains=2,
              random_seed=3, progressbar=False, log_likelihood=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        nuts = bayesreg.fit(X, y, sampler="pymc", **kw)
    gibbs = bayesreg.fit(X, y, draws=2000, tune=500, chains=2, random_seed=3, progressbar=False,
                         prior="laplace", scale=60.0, sigma=54.0)
    assert nuts.sampler == "pymc" and nuts.idata.posterior.attrs["sampler"] == "pymc"
    assert set(nuts.idata.posterior.data_vars) == {"intercept", "coef"}
    assert "diverging" in nuts.idata.sample_stats and "lp" in nuts.idata.sample_stats
    _compare_runs(gibbs.idata, nuts.idata, ["intercept", "coef"])


# ------------------------------------------------------------------------------------------------
# simulation-based calibration



def _sbc_config(name):
    """(prior kwargs, n, p) for each SBC case."""
    return {
        "exact_gaussian_sigma_fixed": (dict(prior="gaussian", scale=1.5, sigma=1.0), 30, 4),
        "exact_gaussian_nig": (dict(prior="gaussian", alpha=0.5), 30, 4),
        "gibbs_gaussian_halfcauchy": (dict(prior=bayesreg.Gaussian(hyperprior=bayesreg.HalfCauchy(2.0),
                                                                   scale_with_sigma=False)), 30, 4),
        "gibbs_laplace_park_casella_gamma": (dict(prior=bayesreg.Laplace(
            hyperprior=bayesreg.Gamma(1.0, 1.78), scale_with_sigma=True)), 30, 4),
        "gibbs_laplace_fixed_scale": (dict(prior="laplace", scale=1.0), 30, 4),
        "gibbs_laplace_alpha": (dict(prior="laplace", alpha=0.05), 30, 4),
        "gibbs_laplace_wide": (dict(prior=bayesreg.Laplace(hyperprior=bayesreg.HalfCauchy(1.0),
                                                           scale_with_sigma=True)), 12, 20),
        "gibbs_gaussian_wide_sigma_fixed": (dict(prior=bayesreg.Gaussian(
            hyperprior=bayesreg.HalfCauchy(1.0), scale_with_sigma=False), sigma=1.0), 12, 20),
        "nutpie_elasticnet": (dict(prior=bayesreg.ElasticNet(alpha=0.05, l1_ratio=0.5)), 30, 3),
    }[name]


def sbc_ranks(name, n_reps, seed, n_draws=100, thin=4):
    """Rank of each true parameter among n_draws thinned posterior draws, for n_reps data sets."""
    kwargs, n, p = _sbc_config(name)
    kwargs = dict(kwargs)
    return simulate_ranks(kwargs.pop("prior"), kwargs, n, p, sampler=name.split("_")[0],
                          n_reps=n_reps, seed=seed, n_draws=n_draws, thin=thin)


# pseudo-observations: the pseudo rows have x = 0 and fixed values ±h (observed data in every fit),
# so sigma ~ IG((2K-1)/2, sum(h^2)) and intercept | sigma ~ N(., sigma^2 / (2K)) a priori.
FAST_SBC = [
    "exact_gaussian_sigma_fixed",
    "exact_gaussian_nig",
    "gibbs_gaussian_halfcauchy",
    "gibbs_laplace_park_casella_gamma",
    "gibbs_laplace_fixed_scale",
    "gibbs_laplace_alpha",
    "gibbs_laplace_wide",
    "gibbs_gaussian_wide_sigma_fixed",
]


@pytest.mark.parametrize("name", FAST_SBC)
def test_sbc_small(name):
    ranks, n_draws = sbc_ranks(name, n_reps=100, seed=2018)
    assert_uniform_ranks(ranks, n_draws)


@pytest.mark.slow
@pytest.mark.parametrize("name", [*FAST_SBC, "nutpie_elasticnet"])
def test_sbc_large(name):
    # thin to nearly independent draws (Talts et al. 2018): autocorrelation alone bends the ranks
    n_reps = 200 if name.startswith("nutpie") else 500
    ranks, n_draws = sbc_ranks(name, n_reps=n_reps, seed=7, thin=10)
    assert_uniform_ranks(ranks, n_draws, bins=20 if n_reps >= 500 else 10)


def test_sbc_detects_a_wrong_sampler(monkeypatch):
    """The SBC check has power: a sampler whose posterior is too narrow fails it."""
    import bayesreg.sampling as sampling

    original = sampling._exact_chain

    def overconfident(suff, resolved, likelihood, rng, draws, tune, progress, stop=None):
        out = original(suff, resolved, likelihood, rng, draws, tune, progress, stop=stop)
        mean = out["coef"].mean(0)
        out["coef"] = mean + 0.6 * (out["coef"] - mean)
        return out

    monkeypatch.setattr(sampling, "_exact_chain", overconfident)
    ranks, n_draws = sbc_ranks("exact_gaussian_sigma_fixed", n_reps=100, seed=2018)
    with pytest.raises(AssertionError, match="SBC ranks not uniform"):
        assert_uniform_ranks(ranks, n_draws)


# ------------------------------------------------------------------------------------------------
# layout, reproducibility, round trips, diagnostics


@pytest.mark.parametrize("kw", [
    dict(prior="gaussian", alpha=0.3),
    dict(prior="laplace"),
    dict(prior=bayesreg.Laplace(hyperprior=bayesreg.Gamma(1.0, 1.78), scale_with_sigma=True)),
])
def test_same_seed_same_draws(diabetes, kw):
    X, y = diabetes
    a = bayesreg.fit(X, y, draws=100, tune=50, chains=2, random_seed=99, progressbar=False,
                     warn_convergence=False, **kw)
    b = bayesreg.fit(X, y, draws=100, tune=50, chains=2, random_seed=99, progressbar=False,
                     warn_convergence=False, **kw)
    c = bayesreg.fit(X, y, draws=100, tune=50, chains=2, random_seed=100, progressbar=False,
                     warn_convergence=False, **kw)
    for name in a.idata.posterior.data_vars:
        np.testing.assert_array_equal(a.idata.posterior[name].values, b.idata.posterior[name].values)
    assert not np.array_equal(a.idata.posterior["coef"].values, c.idata.posterior["coef"].values)


@pytest.mark.parametrize("sampler", ["exact", "gibbs"])
def test_idata_layout(diabetes, sampler):
    X, y = diabetes
    prior = bayesreg.Gaussian(hyperprior=bayesreg.HalfCauchy(10.0)) if sampler == "gibbs" else "gaussian"
    kw = {} if sampler == "gibbs" else {"alpha": 0.1}
    res = bayesreg.fit(X, y, prior=prior, draws=50, tune=20, chains=3, random_seed=1,
                       progressbar=False, warn_convergence=False, **kw)
    idata = res.idata
    assert set(idata.groups()) >= {"posterior", "log_likelihood", "sample_stats", "observed_data"}
    post = idata.posterior
    assert post["coef"].dims == ("chain", "draw", "feature")
    assert list(post["feature"].values) == list(X.columns)
    assert post.sizes["chain"] == 3 and post.sizes["draw"] == 50
    expected = {"intercept", "coef", "sigma"} | ({"coef_scale"} if sampler == "gibbs" else set())
    assert set(post.data_vars) == expected
    assert idata.log_likelihood["y"].shape == (3, 50, len(y))
    np.testing.assert_array_equal(idata.observed_data["y"].values, y.to_numpy())
    # pointwise log-likelihood is the Gaussian density at each draw
    d = (0, 7)
    mu = float(post["intercept"][d]) + X.to_numpy() @ post["coef"][d].values
    expected_ll = stats.norm(mu, float(post["sigma"][d])).logpdf(y.to_numpy())
    np.testing.assert_allclose(idata.log_likelihood["y"][d].values, expected_ll, rtol=1e-10)
    assert "lp" in idata.sample_stats
    assert idata.posterior.attrs["sampler"] == sampler
    assert res.summary().attrs["sampler"] == sampler
    assert f"sampler={sampler!r}" in repr(res)


def test_netcdf_round_trip(diabetes, tmp_path):
    X, y = diabetes
    res = bayesreg.fit(X, y, prior=bayesreg.Laplace(hyperprior=bayesreg.Gamma(1.0, 1.78),
                                                    scale_with_sigma=True),
                       draws=100, tune=50, chains=2, random_seed=4, progressbar=False,
                       warn_convergence=False)
    path = res.to_netcdf(tmp_path / "fit.nc")
    back = bayesreg.load(path)
    for name in res.idata.posterior.data_vars:
        np.testing.assert_array_equal(back.idata.posterior[name].values, res.idata.posterior[name].values)
    np.testing.assert_array_equal(back.map.coef, res.map.coef)
    assert back.map.alpha == res.map.alpha and back.prior == res.prior
    assert back.feature_names == res.feature_names and back.sampler == "gibbs"
    assert back.prior_summary().equals(res.prior_summary())
    np.testing.assert_allclose(back.predict(X), res.predict(X))
    # the MAP-only result round-trips too
    m = bayesreg.fit(X, y, prior="laplace", alpha=0.1, method="map")
    back_m = bayesreg.load(m.to_netcdf(tmp_path / "map.nc"))
    assert back_m.idata is None and np.array_equal(back_m.map.coef, m.map.coef)
    with pytest.raises(FileNotFoundError):
        bayesreg.load(tmp_path / "missing.nc")


def test_diagnostics_warn_and_report(diabetes):
    X, y = diabetes
    with pytest.warns(ConvergenceWarning, match=r"sampler 'gibbs'.*ess_bulk \d+ < 400"):
        res = bayesreg.fit(X, y, prior="laplace", draws=30, tune=30, chains=2, random_seed=1,
                           progressbar=False)
    table = res.diagnostics()
    assert {"r_hat", "ess_bulk", "ess_tail", "problem"} <= set(table.columns)
    assert (table["problem"] != "").any()
    assert "coef[bmi]" in table.index
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        bayesreg.fit(X, y, prior="gaussian", alpha=0.1, draws=500, chains=2, random_seed=1,
                     progressbar=False)


def test_rhat_warning_names_parameter():
    from bayesreg.sampling import diagnose, warn_on_diagnostics

    az = bayesreg._backend.import_arviz()
    rng = np.random.default_rng(0)
    stuck = rng.standard_normal((2, 500))
    stuck[1] += 3.0  # chains disagree
    idata = az.from_dict(posterior={"sigma": stuck, "intercept": rng.standard_normal((2, 500))})
    table = diagnose(idata)
    assert "r_hat" in table.loc["sigma", "problem"]
    assert table.loc["intercept", "problem"] == ""
    with pytest.warns(ConvergenceWarning, match=r"sigma \(r_hat"):
        warn_on_diagnostics(table, "gibbs")


def test_progressbar(diabetes, capsys):
    """One rich display, a row per chain: shown when asked, silent when off or not a terminal."""
    X, y = diabetes
    kw = dict(prior="laplace", draws=100, tune=100, chains=2, random_seed=1, warn_convergence=False)
    bayesreg.fit(X, y, progressbar=True, **kw)
    err = capsys.readouterr().err
    assert "gibbs chain 1/2" in err and "gibbs chain 2/2" in err and "200/200" in err
    bayesreg.fit(X, y, progressbar=False, **kw)
    assert capsys.readouterr().err == ""
    bayesreg.fit(X, y, **kw)  # the default: stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""
    # NUTS backends draw their own display: no empty rows of ours beside it
    bayesreg.fit(X, y, sampler="nutpie", progressbar=True, **kw)
    assert "nutpie chain" not in capsys.readouterr().err


def test_progressbar_with_threaded_chains(capsys):
    """Chains in threads (p >= 150) update the same display instead of switching it off."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 160))
    y = X[:, :5].sum(axis=1) + rng.standard_normal(400)
    bayesreg.fit(X, y, "laplace", draws=20, tune=20, chains=2, random_seed=1, progressbar=True,
                 warn_convergence=False, log_likelihood=False)
    err = capsys.readouterr().err
    assert "gibbs chain 1/2" in err and "gibbs chain 2/2" in err and err.count("40/40") == 2


def test_large_n_sufficient_statistics():
    """n = 200,000 rows: the Gaussian posterior is exact and the Laplace Gibbs run is cheap in n."""
    rng = np.random.default_rng(3)
    n, p = 200_000, 20
    X = rng.standard_normal((n, p))
    beta = rng.normal(0, 0.5, p)
    y = 2.0 + X @ beta + 3.0 * rng.standard_normal(n)
    with pytest.warns(bayesreg.BayesregWarning, match="pointwise log-likelihood skipped"):
        res = bayesreg.fit(X, y, prior="gaussian", scale=1.0, sigma=3.0, draws=1000, chains=4,
                           random_seed=2, progressbar=False)
    assert "log_likelihood" not in res.idata.groups()
    mean, cov, *_ = analytic_normal_posterior(X, y, 1.0, 3.0)
    assert_moments(_flat(res.idata, "coef"), mean, cov)
    lap = bayesreg.fit(X, y, prior="laplace", draws=300, tune=200, chains=2, random_seed=2,
                       progressbar=False, log_likelihood=False, warn_convergence=False)
    assert lap.sampler == "gibbs"
    assert np.all(np.abs(lap.idata.posterior["coef"].mean(("chain", "draw")).values - mean) < 0.05)


def test_predict_kinds(diabetes):
    X, y = diabetes
    res = bayesreg.fit(X, y, prior="gaussian", alpha=0.1, draws=200, chains=2, random_seed=0,
                       progressbar=False, warn_convergence=False)
    draws = res.predict(X.iloc[:5], kind="draws")
    assert draws.shape == (400, 5)
    np.testing.assert_allclose(res.predict(X.iloc[:5]), draws.mean(0))
    pp = res.predict(X.iloc[:5], kind="predictive", random_seed=1)
    assert pp.shape == (400, 5) and pp.std(0).min() > draws.std(0).max()
    np.testing.assert_allclose(res.predict(X.iloc[:5], kind="map"),
                               res.map.intercept + X.iloc[:5].to_numpy() @ res.map.coef)


@pytest.mark.parametrize("sampler", ["nutpie", "pymc"])
def test_sampler_kwargs_reach_nuts(diabetes, sampler):
    """target_accept passes through: a higher target adapts a smaller step size."""
    X, y = diabetes
    kw = dict(prior="laplace", alpha=0.1, draws=100, tune=300, chains=1, random_seed=2,
              sampler=sampler, progressbar=False, warn_convergence=False, log_likelihood=False)
    step = {}
    for target in (0.6, 0.99):
        res = bayesreg.fit(X, y, sampler_kwargs={"target_accept": target}, **kw)
        step[target] = float(res.idata.sample_stats["step_size"].mean())
    assert step[0.99] < 0.8 * step[0.6]


def test_sampler_kwargs_are_checked_before_work(diabetes):
    X, y = diabetes
    with pytest.raises(ValueError, match="sampler 'gibbs' takes none"):
        bayesreg.fit(X, y, "laplace", sampler_kwargs={"target_accept": 0.9}, draws=10, tune=10)
    with pytest.raises(ValueError, match=r"cannot set \['draws'\]"):
        bayesreg.fit(X, y, "laplace", sampler="nutpie", sampler_kwargs={"draws": 5})
    with pytest.raises(TypeError, match="sampler_kwargs must be a dict"):
        bayesreg.fit(X, y, "laplace", sampler="nutpie", sampler_kwargs=[("target_accept", 0.9)])


def test_pymc_sampler_is_quiet_without_progressbar(diabetes, caplog):
    """progressbar=False silences PyMC's INFO lines ("Initializing NUTS...", "Sampling ... took")
    and restores its logger's level afterwards; progressbar=True leaves them."""
    import logging

    X, y = diabetes
    kw = dict(prior="gaussian", alpha=0.1, draws=20, tune=20, chains=1, random_seed=3,
              sampler="pymc", warn_convergence=False, log_likelihood=False)
    caplog.set_level(logging.INFO, logger="pymc")  # PyMC's own level outside pytest

    def pymc_info():
        return [r.getMessage() for r in caplog.records
                if r.name.startswith("pymc") and r.levelno == logging.INFO]

    bayesreg.fit(X, y, progressbar=False, **kw)
    assert pymc_info() == []
    assert logging.getLogger("pymc").level == logging.INFO
    caplog.clear()
    bayesreg.fit(X, y, progressbar=True, **kw)
    shown = pymc_info()
    assert any(m.startswith("Initializing NUTS") for m in shown), shown
    assert any(m.startswith("Sampling 1 chain") and "took" in m for m in shown), shown
