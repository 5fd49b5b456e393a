"""The logistic likelihood (``family="bernoulli"``): the MAP is scikit-learn's LogisticRegression,
the Pólya-Gamma Gibbs sampler matches NUTS and is calibrated (SBC), the NumPy log density is
PyMC's, labels and predictions, the classifier, comparisons, the CLI and bad input.
"""

import warnings

import numpy as np
import pytest
from _stats import compare_runs
from scipy import stats
from scipy.special import expit, logit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

import bayesreg
from bayesreg._validation import check_Xy
from bayesreg.likelihoods import get_likelihood
from bayesreg.model import log_posterior, pymc_model
from bayesreg.priors import resolve_prior

RTOL = 1e-6
KW = dict(progressbar=False, warn_convergence=False)


@pytest.fixture(scope="module")
def cancer():
    """Breast cancer at its natural scale (features from 1e-3 to 4e3) and standardized."""
    X, y = bayesreg.datasets.load_breast_cancer()
    Xn = X.to_numpy()
    Xs = (Xn - Xn.mean(0)) / Xn.std(0)
    return Xn, Xs, y.to_numpy()


def _sk(C, ratio, X, y, solver=None):
    solver = solver or ("newton-cholesky" if ratio == 0 else "saga")
    tol = 1e-12 if solver != "saga" else 1e-13
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # an unconverged reference is no reference
        return LogisticRegression(C=C, l1_ratio=ratio, solver=solver, tol=tol, max_iter=200_000).fit(X, y)


def _relative(a, b):
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


# ---- the MAP is scikit-learn's LogisticRegression ------------------------------------------------


@pytest.mark.parametrize("C", [0.01, 0.3, 1.0, 100.0])
def test_l2_map_equals_sklearn_at_natural_scale(cancer, C):
    """β ~ N(0, C): the mode is LogisticRegression(C) — on the raw features (Newton-Cholesky is exact)."""
    X, _, y = cancer
    res = bayesreg.fit(X, y, "gaussian", C=C, family="bernoulli", method="map")
    sk = _sk(C, 0.0, X, y == "malignant")
    assert _relative(res.map.coef, sk.coef_[0]) <= RTOL
    assert abs(res.map.intercept - sk.intercept_[0]) <= RTOL * max(1.0, abs(sk.intercept_[0]))
    assert res.map.C == pytest.approx(C) and res.map.kkt_violation < 1e-9 and res.map.converged
    same = bayesreg.map_estimate(X, y, "gaussian", C=C, family="logistic")
    assert np.array_equal(same.coef, res.map.coef) and same.intercept == res.map.intercept
    # scikit-learn's objective C Σ logloss + ½‖β‖² at the MAP
    eta = sk.decision_function(X)
    loss = C * np.sum(np.logaddexp(0, eta) - (y == "malignant") * eta) + 0.5 * sk.coef_[0] @ sk.coef_[0]
    assert res.map.loss == pytest.approx(loss, rel=1e-9)


@pytest.mark.parametrize(("prior", "ratio", "C"), [
    ("laplace", 1.0, 0.05), ("laplace", 1.0, 0.2), (bayesreg.ElasticNet(l1_ratio=0.5), 0.5, 0.1),
    (bayesreg.ElasticNet(l1_ratio=0.2), 0.2, 0.3),
])
def test_l1_and_elastic_net_maps_equal_saga_with_identical_zeros(cancer, prior, ratio, C):
    """Laplace(0, C) / the elastic-net prior: LogisticRegression(C, l1_ratio) with the same exact zeros
    (SAGA, the solver that leaves the intercept unpenalised, converges on standardized features)."""
    _, X, y = cancer
    res = bayesreg.fit(X, y, prior, C=C, family="bernoulli", method="map")
    sk = _sk(C, ratio, X, y == "malignant")
    assert np.array_equal(res.map.coef == 0, sk.coef_[0] == 0)
    assert 0 < np.count_nonzero(res.map.coef) < X.shape[1]
    assert _relative(res.map.coef, sk.coef_[0]) <= RTOL
    assert abs(res.map.intercept - sk.intercept_[0]) <= RTOL


@pytest.mark.parametrize("C", [0.001, 0.1, 10.0, 1e4])
def test_l1_map_is_exact_at_natural_scale(cancer, C):
    """On the raw features SAGA does not converge, so the L1 mode is checked by its optimality
    conditions: X'(y − p) = sign(β)/C on the support, |X'(y − p)| ≤ 1/C off it, Σ(y − p) = 0."""
    X, _, y = cancer
    res = bayesreg.fit(X, y, "laplace", C=C, family="bernoulli", method="map")
    t = (y == "malignant").astype(float)
    resid = t - expit(res.map.intercept + X @ res.map.coef)
    grad = X.T @ resid
    scale = max(1.0 / C, np.max(np.abs(X.T @ (t - t.mean()))))
    nz = res.map.coef != 0
    assert np.max(np.abs(grad[nz] - np.sign(res.map.coef[nz]) / C), initial=0) <= 1e-9 * scale
    assert np.max(np.abs(grad[~nz]), initial=0) <= 1 / C + 1e-9 * scale
    assert abs(resid.sum()) <= 1e-9 * len(t)
    assert res.map.kkt_violation < 1e-9


def test_map_does_not_depend_on_units(cancer):
    """Fitting (cX, y) with C/c (L1) gives β/c: the solver works in standardized units."""
    X, _, y = cancer
    a = bayesreg.fit(X, y, "laplace", C=0.1, family="bernoulli", method="map").map
    b = bayesreg.fit(X * 1e3, y, "laplace", C=0.1 / 1e3, family="bernoulli", method="map").map
    np.testing.assert_allclose(b.coef * 1e3, a.coef, rtol=1e-8, atol=1e-12 * np.abs(a.coef).max())
    assert np.array_equal(a.coef == 0, b.coef == 0)


def test_c_and_prior_scale_are_the_same_thing(cancer):
    """C is the Gaussian prior's variance and the Laplace prior's b; alpha_to_scale/scale_to_alpha
    know it."""
    _, X, y = cancer
    for prior, scale in (("gaussian", np.sqrt(0.3)), ("laplace", 0.3)):
        by_c = bayesreg.fit(X, y, prior, C=0.3, family="bernoulli", method="map").map
        by_scale = bayesreg.fit(X, y, prior, scale=scale, family="bernoulli", method="map").map
        np.testing.assert_allclose(by_scale.coef, by_c.coef, rtol=1e-10, atol=1e-14)
        assert by_scale.C == pytest.approx(0.3)
        assert bayesreg.alpha_to_scale(prior=prior, C=0.3) == pytest.approx(scale)
        assert bayesreg.scale_to_alpha(scale, prior, family="bernoulli") == pytest.approx(0.3)


def test_separable_data_warn_and_still_give_the_exact_map():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(bayesreg.BayesregWarning, match="separate the two classes"):
        res = bayesreg.fit(X, y, "gaussian", C=1e6, family="bernoulli", method="map")
    sk = _sk(1e6, 0.0, X, y)
    assert _relative(res.map.coef, sk.coef_[0]) <= 1e-5
    with warnings.catch_warnings():
        warnings.simplefilter("error", bayesreg.BayesregWarning)  # a strong prior: no warning
        bayesreg.fit(X, y, "gaussian", C=0.01, family="bernoulli", method="map")


# ---- labels, predictions, persistence -----------------------------------------------------------


def test_labels_of_any_type_are_coded_like_sklearn(cancer):
    _, X, y = cancer
    as_bool = y == "malignant"
    fits = [bayesreg.fit(X, labels, "gaussian", C=0.5, family="logistic", method="map")
            for labels in (y, as_bool, as_bool.astype(int), np.where(as_bool, 7.5, -2.0))]
    for res in fits[1:]:
        np.testing.assert_allclose(res.map.coef, fits[0].map.coef, rtol=1e-12)
    assert fits[0].classes == ("benign", "malignant") and fits[1].classes == (False, True)
    assert fits[3].classes == (-2.0, 7.5)
    assert list(fits[0].predict(X[:5], "class")) == list(
        np.where(_sk(0.5, 0.0, X, y).predict(X[:5]) == "malignant", "malignant", "benign"))


@pytest.mark.parametrize(("y", "message"), [
    (np.zeros(40), "one class"), (np.arange(40) % 3, "3 classes"),
    (np.where(np.arange(40) % 2, 1.0, np.nan), "NaN"),
])
def test_bad_responses_are_refused(y, message):
    X = np.random.default_rng(1).standard_normal((40, 3))
    with pytest.raises(ValueError, match=message):
        bayesreg.fit(X, y, "gaussian", C=1.0, family="bernoulli")


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"sigma": 1.0}, ValueError, "sigma is not a parameter"),
    ({"alpha": 0.1}, ValueError, "give scikit-learn's LogisticRegression strength as C"),
    ({"C": 1.0, "scale": 1.0}, ValueError, "at most one of scale and C"),
    ({"C": -1.0}, ValueError, "C"),
    ({"C": "1"}, TypeError, "C"),
    ({"family": "poisson"}, ValueError, "family must be one of"),
    ({"family": 3}, TypeError, "family must be a string"),
])
def test_bad_arguments_are_refused_before_any_work(kwargs, error, message):
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((40, 3)), rng.integers(0, 2, 40)
    kwargs = {"family": "bernoulli", **kwargs}
    with pytest.raises(error, match=message):
        bayesreg.fit(X, y, "laplace", **kwargs)


def test_c_is_refused_where_it_means_nothing(cancer):
    _, X, y = cancer
    with pytest.raises(ValueError, match="C is LogisticRegression's strength"):
        bayesreg.fit(X, X[:, 0], "laplace", C=1.0)
    with pytest.raises(ValueError, match="no scikit-learn penalty, so no C"):
        bayesreg.fit(X, y, "horseshoe", C=1.0, family="bernoulli")
    with pytest.raises(ValueError, match="already sets its strength"):
        bayesreg.fit(X, y, bayesreg.Laplace(scale=1.0), C=1.0, family="bernoulli")
    with pytest.raises(ValueError, match="needs the data's rows"):
        bayesreg.fit(bayesreg.SufficientStats.from_arrays(X, (y == "benign").astype(float)),
                     family="bernoulli")


def test_predictions_of_a_sampled_fit(cancer):
    _, X, y = cancer
    res = bayesreg.fit(X[:, :6], y, "gaussian", C=1.0, family="bernoulli", draws=300, tune=200,
                       chains=2, random_seed=4, **KW)
    Xn = X[:20, :6]
    post = res.idata.posterior
    eta = post["intercept"].values.reshape(-1, 1) + post["coef"].values.reshape(-1, 6) @ Xn.T
    draws = res.predict(Xn, "draws")
    np.testing.assert_allclose(draws, expit(eta), rtol=1e-12)
    np.testing.assert_allclose(res.predict(Xn, "proba"), expit(eta).mean(0), rtol=1e-12)
    np.testing.assert_allclose(res.predict(Xn), res.predict(Xn, "proba"))
    np.testing.assert_allclose(res.predict(Xn, "map"), expit(res.map.intercept + Xn @ res.map.coef))
    labels = res.predict(Xn, "class")
    assert set(labels) <= {"benign", "malignant"}
    assert np.array_equal(labels == "malignant", expit(eta).mean(0) > 0.5)
    outcomes = res.predict(Xn, "predictive", random_seed=1)
    assert outcomes.shape == draws.shape and set(np.unique(outcomes)) <= {0, 1}
    assert np.array_equal(outcomes, res.predict(Xn, "predictive", random_seed=1))
    assert abs(outcomes.mean() - draws.mean()) < 4 * np.sqrt(0.25 / outcomes.size) + 0.01
    with pytest.raises(ValueError, match="kind must be one of"):
        res.predict(Xn, "interval")
    # LOO from the pointwise log-likelihood: log P(y_i | draw)
    ll = res.idata.log_likelihood["y"].values.reshape(-1, len(y))[:, :20]
    t = (y[:20] == "malignant")
    np.testing.assert_allclose(ll, np.where(t, np.log(expit(eta)), np.log1p(-expit(eta))), atol=1e-10)
    da = pytest.importorskip("dask.array")
    lazy = da.from_array(Xn, chunks=(7, 6))
    for kind in ("proba", "draws", "class"):
        computed = res.predict(lazy, kind).compute()
        assert np.array_equal(computed, res.predict(Xn, kind)) or np.allclose(computed, res.predict(Xn, kind))
    gaussian_fit = bayesreg.fit(X[:, :3], X[:, 4], "gaussian", alpha=1.0, method="map")
    with pytest.raises(ValueError, match="kind must be one of"):
        gaussian_fit.predict(X[:3, :3], "proba")


def test_round_trip_and_summaries(cancer, tmp_path):
    _, X, y = cancer
    res = bayesreg.fit(X[:, :4], y, "laplace", family="bernoulli", draws=100, tune=100, chains=2,
                       random_seed=2, **KW)
    back = bayesreg.load(res.to_netcdf(tmp_path / "fit.nc"))
    assert back.classes == ("benign", "malignant") and back.family == "bernoulli"
    np.testing.assert_allclose(back.predict(X[:5, :4], "proba"), res.predict(X[:5, :4], "proba"))
    assert list(back.predict(X[:5, :4], "class")) == list(res.predict(X[:5, :4], "class"))
    table = res.prior_summary()
    assert "sigma" not in table.index and "Bernoulli" in table.loc["y", "prior"]
    assert "sigma" not in res.idata.posterior and "constant_data" not in res.idata.groups()
    mapped = bayesreg.fit(X[:, :4], y, "laplace", C=0.2, family="bernoulli", method="map")
    again = bayesreg.load(mapped.to_netcdf(tmp_path / "map.nc"))
    assert again.map.C == pytest.approx(0.2) and again.classes == mapped.classes
    assert "LogisticRegression(C=0.2)" in mapped.prior_summary().loc["y", "note"]
    assert "C=0.2" in repr(mapped.map)


# ---- the sampler ---------------------------------------------------------------------------------


def test_default_sampler_is_gibbs():
    rp = resolve_prior("laplace", X=np.zeros((10, 2)), y=np.zeros(10), likelihood="bernoulli")
    assert bayesreg.sampling.choose_sampler(rp, likelihood="bernoulli") == "gibbs"
    for name in ("gaussian", "horseshoe", "horseshoe_plus"):
        rp = resolve_prior(name, X=np.zeros((10, 2)), y=np.zeros(10), likelihood="bernoulli")
        assert bayesreg.sampling.choose_sampler(rp, likelihood="bernoulli") == "gibbs"
    for name in ("elasticnet", "regularized_horseshoe"):  # no Gibbs update: NUTS
        prior = bayesreg.ElasticNet(l1_ratio=0.5) if name == "elasticnet" else name
        kwargs = {"C": 1.0} if name == "elasticnet" else {}
        rp = resolve_prior(prior, X=np.zeros((10, 2)), y=np.zeros(10), likelihood="bernoulli",
                           **kwargs)
        assert bayesreg.sampling.choose_sampler(rp, likelihood="bernoulli") == "nutpie"
    rp = resolve_prior("gaussian", X=np.zeros((10, 2)), y=np.zeros(10), likelihood="bernoulli", C=1.0)
    with pytest.raises(ValueError, match="closed-form posterior"):
        bayesreg.sampling.choose_sampler(rp, "exact", likelihood="bernoulli")


def test_gibbs_matches_nuts_on_breast_cancer(cancer):
    """Standardized breast cancer, Gaussian prior C = 1 and the Laplace prior with its default
    hyperprior: means and sds agree within Monte-Carlo error."""
    _, X, y = cancer
    X = X[:, :10]
    for prior, kwargs in (("gaussian", {"C": 1.0}), ("laplace", {})):
        gibbs = bayesreg.fit(X, y, prior, family="bernoulli", draws=2000, tune=500, chains=2,
                             random_seed=11, sampler="gibbs", **kwargs, **KW)
        nuts = bayesreg.fit(X, y, prior, family="bernoulli", draws=1000, tune=1000, chains=2,
                            random_seed=11, sampler="nutpie", **kwargs, **KW)
        names = ["intercept", "coef"] + (["coef_scale"] if "coef_scale" in gibbs.idata.posterior else [])
        compare_runs(gibbs.idata, nuts.idata, names)
        lp_g, lp_n = (r.idata.sample_stats["lp"].values.ravel() for r in (gibbs, nuts))
        assert abs(np.median(lp_g) - np.median(lp_n)) < 0.5


@pytest.mark.parametrize("route", ["hmc", "polya_gamma"])
def test_gibbs_matches_nuts_when_p_exceeds_n(route, monkeypatch):
    """p > n, by both coefficient updates: the HMC transition (p ≤ MAX_FEATURES) and, above that
    size, the Pólya-Gamma step with Bhattacharya et al.'s coefficient draw."""
    if route == "polya_gamma":
        monkeypatch.setattr(bayesreg._hmc_kernels, "MAX_FEATURES", 0)
    rng = np.random.default_rng(8)
    X = rng.standard_normal((30, 45))
    y = (rng.random(30) < expit(0.5 + X[:, :3] @ [1.5, -1.0, 1.0])).astype(int)
    gibbs = bayesreg.fit(X, y, "gaussian", C=0.5, family="bernoulli", draws=2000, tune=300,
                         chains=2, random_seed=3, sampler="gibbs", **KW)
    assert ("acceptance_rate" in gibbs.idata.sample_stats) == (route == "hmc")
    nuts = bayesreg.fit(X, y, "gaussian", C=0.5, family="bernoulli", draws=1000, tune=1000,
                        chains=2, random_seed=3, sampler="nutpie", **KW)
    compare_runs(gibbs.idata, nuts.idata, ["intercept", "coef"])


@pytest.mark.parametrize("prior", ["gaussian", "laplace"])
def test_readme_logistic_example_converges(cancer, prior):
    """The README's logistic example (standardized breast cancer, default hyperprior, 4 × 1,000
    draws): R-hat ≤ 1.01 and bulk ESS ≥ 400 for every parameter, no divergent HMC transition, an
    acceptance rate near the 0.8 the warm-up tunes the step size to, and no warning."""
    _, X, y = cancer
    with warnings.catch_warnings():
        warnings.simplefilter("error", bayesreg.ConvergenceWarning)
        res = bayesreg.fit(X, y, prior, family="bernoulli", random_seed=1, progressbar=False)
    table = res.diagnostics()
    worst = table.sort_values("ess_bulk").head()
    assert table["r_hat"].max() <= 1.01 and table["ess_bulk"].min() >= 400, worst
    stats_ = res.idata.sample_stats
    assert int(stats_["diverging"].sum()) == 0
    assert 0.6 < float(stats_["acceptance_rate"].mean()) < 0.95


def test_same_seed_same_draws(cancer):
    _, X, y = cancer
    runs = [bayesreg.fit(X[:, :5], y, "horseshoe", family="bernoulli", draws=50, tune=50, chains=2,
                         random_seed=9, **KW) for _ in range(2)]
    for name in ("intercept", "coef", "coef_scale", "coef_local"):
        assert np.array_equal(runs[0].idata.posterior[name].values, runs[1].idata.posterior[name].values)


def _sbc_ranks(prior, kwargs, n_reps, seed, n=60, p=3, n_draws=100, thin=5, tune=150):
    """SBC with a proper intercept: K rows with x = 0 and each label give the flat intercept the
    prior p(b0) ∝ σ(b0)^K (1 − σ(b0))^K, i.e. b0 = logit(u), u ~ Beta(K, K)."""
    k = 4
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X_all = np.vstack([X, np.zeros((2 * k, p))])
    resolved = resolve_prior(prior, X=X_all, y=np.r_[np.zeros(n + k), np.ones(k)],
                             likelihood="bernoulli", **kwargs)
    ranks: dict = {}
    for _ in range(n_reps):
        truth = {"intercept": logit(rng.beta(k, k))}
        truth.update(resolved.spec.prior_draws(resolved, 1.0, p, rng))
        y = (rng.random(n) < expit(truth["intercept"] + X @ truth["coef"])).astype(float)
        res = bayesreg.fit(X_all, np.r_[y, np.zeros(k), np.ones(k)], prior, family="bernoulli",
                           draws=n_draws * thin, tune=tune, chains=1, log_likelihood=False,
                           random_seed=int(rng.integers(2**31)), **kwargs, **KW)
        for key, value in truth.items():
            v = res.idata.posterior[key].values
            draws = v.reshape(v.shape[0] * v.shape[1], -1)[::thin]
            for j, x in enumerate(np.atleast_1d(value)):
                ranks.setdefault(f"{key}[{j}]", []).append(int(np.sum(draws[:, j] < x)))
    return ranks, n_draws


def _assert_uniform(ranks, n_draws, bins=10, pmin=1e-3):
    for param, r in ranks.items():
        counts = np.bincount((np.asarray(r) * bins) // (n_draws + 1), minlength=bins)
        pvalue = stats.chisquare(counts).pvalue
        assert pvalue > pmin, f"{param}: SBC ranks not uniform (chi2 p={pvalue:.2g}, counts={counts})"


@pytest.mark.parametrize(("prior", "kwargs"), [("gaussian", {"C": 1.0}), ("laplace", {"C": 0.5})])
def test_gibbs_sbc(prior, kwargs):
    _assert_uniform(*_sbc_ranks(prior, kwargs, n_reps=80, seed=5))


@pytest.mark.slow
@pytest.mark.parametrize(("prior", "kwargs"), [
    ("gaussian", {"C": 1.0}), ("laplace", {"C": 0.5}),
    (bayesreg.Horseshoe(scale=0.5), {"thin": 20, "tune": 500}),  # τ ~ C+(0, ½), λ_j ~ C+(0, 1)
    (bayesreg.Laplace(hyperprior=bayesreg.HalfCauchy(1.0)), {}),  # a random scale
])
def test_gibbs_sbc_large(prior, kwargs):
    """The horseshoe's heavy tails often draw coefficients that separate the classes, where
    Pólya-Gamma Gibbs mixes slowly: its chains are thinned more."""
    settings = {k: kwargs.pop(k) for k in ("thin", "tune") if k in kwargs}
    _assert_uniform(*_sbc_ranks(prior, kwargs, n_reps=400, seed=6, **settings))


# ---- densities --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("prior", "kwargs"), [
    ("gaussian", {"C": 0.7}), ("laplace", {"C": 0.7}), ("gaussian", {}), ("laplace", {}),
    (bayesreg.ElasticNet(l1_ratio=0.4), {"C": 2.0}),
])
def test_numpy_log_density_is_pymc(prior, kwargs):
    """``lp`` (NumPy) equals the PyMC model's log density up to a constant, for the logistic likelihood
    (the horseshoe's PyMC model is non-centred, so its point cannot be set by β; its prior density
    is checked with the Gaussian likelihood in test_families.py, and the likelihood term here)."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 4))
    y = (rng.random(50) < 0.4).astype(float)
    data = check_Xy(X, y)
    resolved = resolve_prior(prior, data=data, likelihood="bernoulli", **kwargs)
    model = pymc_model(data, resolved, "bernoulli")
    assert "sigma" not in model.named_vars
    logp = model.compile_logp(jacobian=False)
    values = []
    for _ in range(4):
        point = {"intercept": rng.normal(0.0, 1.0), "coef": rng.normal(0, 1.0, size=4)}
        random_scale = None
        if resolved.scale_is_random:
            random_scale = float(rng.uniform(0.2, 3.0))
            point[f"{resolved.random_scale_name}_log__"] = np.log(random_scale)
        ours = log_posterior(resolved, data, np.array([point["intercept"]]), point["coef"][None, :],
                             np.array([1.0]), None if random_scale is None else np.array([random_scale]),
                             likelihood="bernoulli")[0]
        values.append(float(logp(point)) - float(ours))
    np.testing.assert_allclose(values, values[0], atol=1e-8)
    eta = 0.3 + X @ np.full(4, 0.2)
    np.testing.assert_allclose(
        get_likelihood("bernoulli").log_likelihood(data, np.array([0.3]), np.full((1, 4), 0.2), None),
        [np.sum(y * eta - np.logaddexp(0, eta))])


# ---- the scikit-learn classifier ------------------------------------------------------------------


@parametrize_with_checks([
    bayesreg.PriorClassifier(), bayesreg.PriorClassifier(prior="gaussian"),
    bayesreg.PriorClassifier(prior=bayesreg.ElasticNet(l1_ratio=0.5), C=0.5),
])
def test_classifier_is_sklearn_compatible(estimator, check):
    check(estimator)


def test_classifier_equals_logistic_regression(cancer):
    _, X, y = cancer
    model = bayesreg.PriorClassifier(prior="laplace", C=0.1).fit(X, y)
    sk = _sk(0.1, 1.0, X, y)
    assert list(model.classes_) == list(sk.classes_)
    assert _relative(model.coef_, sk.coef_) <= RTOL and model.coef_.shape == (1, X.shape[1])
    np.testing.assert_allclose(model.predict_proba(X), sk.predict_proba(X), atol=1e-7)
    np.testing.assert_allclose(model.decision_function(X), sk.decision_function(X),
                               rtol=1e-6, atol=1e-6)
    assert np.array_equal(model.predict(X), sk.predict(X))
    sampled = bayesreg.PriorClassifier(prior="gaussian", C=1.0, method="sample", draws=200, chains=2,
                                       random_seed=0).fit(X[:, :5], y)
    proba = sampled.predict_proba(X[:, :5])
    np.testing.assert_allclose(proba[:, 1], sampled.result_.predict(X[:, :5], "proba"))
    assert np.array_equal(sampled.predict(X[:, :5]) == "malignant", proba[:, 1] > 0.5)


# ---- comparisons and the CLI --------------------------------------------------------------------------


def test_compare_priors_with_the_logistic_likelihood(cancer):
    _, X, y = cancer
    comp = bayesreg.compare_priors(X[:, :5], y, ("gaussian", "laplace"), family="bernoulli", C=0.2,
                                   draws=200, tune=200, chains=2, random_seed=1, **KW)
    assert comp.family == "bernoulli"
    table = comp.summary()
    for name, ratio in (("gaussian", 0.0), ("laplace", 1.0)):
        rows = table.loc[name]
        sk = _sk(0.2, ratio, X[:, :5], y)
        assert _relative(rows["map"].to_numpy(), sk.coef_[0]) <= RTOL
        assert _relative(rows["sklearn"].to_numpy(), sk.coef_[0]) <= 1e-5
    loo = comp.loo()
    assert set(loo.index) == {"gaussian", "laplace"}
    text = comp.to_markdown()
    assert "LogisticRegression(C=0.2" in text and "logistic likelihood" in text
    with pytest.raises(ValueError, match="no scikit-learn penalty, so no C"):
        bayesreg.compare_priors(X[:, :5], y, ("horseshoe",), family="bernoulli", C=0.2)


def test_cli_compare_family_bernoulli(tmp_path, capsys):
    from bayesreg.cli import main

    frame = bayesreg.datasets.load_breast_cancer()[0].iloc[:, :4].copy()
    frame["diagnosis"] = bayesreg.datasets.load_breast_cancer()[1]
    path = tmp_path / "cancer.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    code = main(["compare", "--family", "bernoulli", "--data", str(path), "--target", "diagnosis",
                 "--standardize", "--priors", "gaussian,laplace", "--draws", "100", "--chains", "2",
                 "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0 and "logistic regression" in text and "regularization paths skipped" in text
    assert (out / "summary.csv").exists() and (out / "loo.csv").exists()
    assert "logistic likelihood" in (out / "summary.md").read_text()
    assert main(["compare", "--family", "bernoulli", "--data", "diabetes"]) == 2
    assert "needs --family gaussian" in capsys.readouterr().err


def test_compare_summary_leaves_an_unconverged_sklearn_column_empty(cancer):
    """SAGA does not converge on the raw features: the column shows nothing rather than a wrong fit."""
    X, _, y = cancer
    comp = bayesreg.compare_priors(X, y, ("laplace",), family="bernoulli", C=1.0, draws=50, tune=50,
                                   chains=1, random_seed=2, **KW)
    with pytest.warns(bayesreg.BayesregWarning, match="did not converge"):
        table = comp.summary()
    assert table["sklearn"].isna().all() and table["map"].notna().all()


def test_cli_select_family_bernoulli(tmp_path, capsys):
    from bayesreg.cli import main

    out = tmp_path / "sel"
    code = main(["select", "--family", "bernoulli", "--standardize", "--prior", "laplace",
                 "--draws", "100", "--chains", "2", "--max-size", "3", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0 and "breast cancer" in text
    assert (out / "selection.csv").exists() and (out / "path.csv").exists()
