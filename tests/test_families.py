"""One contract suite over every registered prior family × likelihood (as scikit-learn's test_common).

Each family is checked through its declarations only: NumPy log density = PyMC's up to a constant
(for a family with latent variables, e.g. local scales, its joint density with them, and their
integral = its marginal ``log_prior``), MAP = its scikit-learn equivalent where it declares a
penalty (and a clear error where it does not), Gibbs = NUTS where it has a Gibbs update, a small
simulation-based calibration, the netCDF round trip and ``prior_summary()``. A Student-t family is
registered from this file through the documented plug-in API; the suite covers it with no change
to any package module.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pytest
from _logp import assert_logp_matches_pymc, likelihood_statistics
from _sbc import assert_uniform_ranks, simulate_ranks
from _stats import compare_runs
from scipy import special, stats

import bayesreg
from bayesreg._validation import check_Xy
from bayesreg.likelihoods import get_likelihood, likelihoods
from bayesreg.model import pymc_model
from bayesreg.priors import (
    Gamma,
    ScaleFamily,
    ScalePrior,
    families,
    get_family,
    register_family,
    resolve_prior,
    unregister_family,
)

RTOL = 1e-6


# ---- a family defined outside the package ----------------------------------------------------


@dataclass(frozen=True)
class StudentT3(ScalePrior):
    r"""Student-t prior with 3 degrees of freedom, :math:`\beta_j \sim t_3(0, s)` (no penalty)."""

    family: ClassVar[str] = "student_t3"


class StudentT3Family(ScaleFamily):
    name = "student_t3"
    aliases = ("t3",)
    prior_class = StudentT3
    label = "Student-t(3)"
    density_name = "StudentT3"
    no_map_reason = "the Student-t log density is not a penalty bayesreg's solvers know"
    color = "C4"
    df = 3.0

    def log_density(self, coef, scale):
        scale = np.asarray(scale, dtype=float)[..., None]
        z = coef / scale
        nu = self.df
        log_norm = (special.gammaln((nu + 1) / 2) - special.gammaln(nu / 2)
                    - 0.5 * np.log(nu * np.pi) - np.log(scale))
        return (log_norm - (nu + 1) / 2 * np.log1p(z**2 / nu)).sum(axis=-1)

    def pymc_distribution(self, pm, name, scale, dims):
        return pm.StudentT(name, nu=self.df, mu=0.0, sigma=scale, dims=dims)

    def random(self, scale, size, rng):
        return scale * rng.standard_t(self.df, size)


EXTRA = "student_t3"


@pytest.fixture(scope="module", autouse=True)
def extra_family():
    register_family(StudentT3Family())
    yield
    unregister_family(EXTRA)


FAMILY_NAMES = [f.name for f in families()] + [EXTRA]
LIKELIHOOD_NAMES = [lik.name for lik in likelihoods()]
CASES = [(f, lik) for f in FAMILY_NAMES for lik in LIKELIHOOD_NAMES]


def _prior(name):
    """The family's prior object with default settings (the elastic net needs its l1_ratio)."""
    return get_family(name).prior_class()


def _forms(name, likelihood="gaussian"):
    """Every way of setting the strength that this family accepts with this likelihood (the others
    raise ValueError)."""
    family = get_family(name)
    candidates = [dict(scale=0.7), dict(scale=0.7, sigma=1.3), dict(alpha=0.3),
                  dict(alpha=0.3, sigma=1.3), dict(), dict(C=0.4)]
    if issubclass(family.prior_class, ScalePrior):
        candidates += [dict(prior=family.prior_class(hyperprior=Gamma(2.0, 3.0), scale_with_sigma=False)),
                       dict(prior=family.prior_class(rate=1.5, scale_with_sigma=True))]
    X = np.ones((5, 2))
    X[:, 1] = np.arange(5)
    forms = []
    for kw in candidates:
        kw = dict(kw)
        prior = kw.pop("prior", _prior(name))
        try:
            resolve_prior(prior, X=X, y=np.arange(5.0) % 2, likelihood=likelihood, **kw)
        except ValueError:
            continue
        forms.append((prior, kw))
    return forms


def _small_data(likelihood="gaussian"):
    """25 rows, 3 columns; for a likelihood without σ (logistic) y is the 0/1 sign of the response."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((25, 3))
    y = 1.0 + X @ np.array([2.0, 0.0, -1.0]) + rng.standard_normal(25)
    if not get_likelihood(likelihood).has_sigma:
        y = (y > np.median(y)).astype(float)
    return check_Xy(X, y)


@pytest.fixture(scope="module")
def small():
    return _small_data()


# ---- the registry ----------------------------------------------------------------------------


def test_registry_declarations_are_complete():
    for family in families():
        assert family.name and family.label and isinstance(family.aliases, tuple)
        assert family.prior_class.family == family.name
        assert get_family(family.name) is family
        for alias in family.aliases:
            assert get_family(alias) is family
        assert get_family(family.prior_class()) is family
    assert EXTRA in [f.name for f in families()]


def test_registering_twice_or_a_taken_alias_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        register_family(StudentT3Family())
    with pytest.raises(TypeError, match="PriorFamily"):
        register_family("laplace")


def test_extra_family_is_a_valid_prior_string_everywhere(small):
    assert isinstance(bayesreg.priors.as_prior("t3"), StudentT3)
    with pytest.raises(ValueError, match="student_t3"):
        bayesreg.priors.as_prior("cauchy")  # the error lists the registered names


# ---- the contract, per family × likelihood ------------------------------------------------------


def _assert_joint_logp_matches_pymc(data, resolved, likelihood, label):
    """For a family with latent variables: the PyMC density at points in the natural space of
    every variable (value transforms removed, e.g. a non-centred coefficient transform) against
    the likelihood + Jeffreys + :meth:`PriorFamily.log_prior_with_latents`, up to one constant."""
    from pymc.model.transform.conditioning import remove_value_transforms

    family, lik = resolved.spec, get_likelihood(likelihood)
    model = remove_value_transforms(pymc_model(data, resolved, likelihood))
    logp = model.compile_logp(jacobian=False)
    suff = likelihood_statistics(lik, data)
    rng = np.random.default_rng(1)
    p = data.n_features
    latent_dims = family.latent_variables(resolved)
    values = []
    for _ in range(4):
        point = {"intercept": rng.normal(1.0, 0.5), "coef": rng.normal(0, 1.5, size=p)}
        sigma = resolved.sigma if resolved.sigma_is_fixed else float(rng.uniform(0.5, 2.0))
        if not resolved.sigma_is_fixed:
            point["sigma"] = sigma
        scales = None
        if resolved.scale_is_random:
            point[resolved.random_scale_name] = float(rng.uniform(0.2, 3.0))
            scales = np.array([point[resolved.random_scale_name]])
        latents = {k: rng.uniform(0.2, 3.0, size=p if dims else None) for k, dims in latent_dims.items()}
        point.update(latents)
        assert set(point) == {v.name for v in model.value_vars}, label
        intercept, coef, sigmas = np.array([point["intercept"]]), point["coef"][None, :], np.array([sigma])
        ours = (lik.log_likelihood(suff, intercept, coef, sigmas)
                + lik.log_sigma_prior(sigmas, resolved.sigma_is_fixed)
                + family.log_prior_with_latents(resolved, coef, sigmas, scales,
                                                {k: np.asarray(v)[None] for k, v in latents.items()}))
        values.append((float(logp(point)), float(ours[0])))
    values = np.array(values)
    diffs = values[:, 0] - values[:, 1]
    np.testing.assert_allclose(diffs, diffs[0], rtol=0, atol=1e-8 * np.abs(values).max(), err_msg=label)


@pytest.mark.parametrize(("name", "likelihood"), CASES)
def test_numpy_log_density_equals_pymc(name, likelihood):
    small = _small_data(likelihood)
    forms = _forms(name, likelihood)
    assert forms, f"{name}: no way to set its strength resolved"
    for prior, kwargs in forms:
        resolved = resolve_prior(prior, X=small.X, y=small.y, likelihood=likelihood, **kwargs)
        if resolved.spec.latent_variables(resolved):
            _assert_joint_logp_matches_pymc(small, resolved, likelihood, label=f"{name} {kwargs}")
        else:
            assert_logp_matches_pymc(small, resolved, likelihood, label=f"{name} {kwargs}")


def _has_latents(name):
    prior, kwargs = _forms(name)[0]
    return bool(get_family(name).latent_variables(resolve_prior(prior, X=np.eye(4, 3) + 0.1,
                                                                y=np.arange(4.0), **kwargs)))


LATENT_NAMES = [f.name for f in families() if _has_latents(f.name)]


@pytest.mark.parametrize("name", LATENT_NAMES)
def test_latents_integrate_to_the_marginal_log_prior(name):
    """One coefficient: ∫ exp(joint log density) over the latent variables = the marginal density
    (``log_prior`` where it is finite, else the plotting ``density``, within its 2% Monte Carlo)."""
    from scipy import integrate

    family = get_family(name)
    X = np.array([[0.0], [1.0], [2.0], [4.0]])
    resolved = resolve_prior(name, X=X, y=np.array([0.0, 1.0, 1.5, 3.0]))
    latent_dims = family.latent_variables(resolved)
    sigma, scale = 1.3, 0.7
    for coef in (0.05, 0.6, 4.0):
        def joint(*u, coef=coef):  # each latent on (0, ∞) as tan(πu/2), u in (0, 1)
            u = np.asarray(u)
            jacobian = np.prod(0.5 * np.pi / np.cos(0.5 * np.pi * u) ** 2)
            latents = {k: np.full((1, 1) if dims else (1,), np.tan(0.5 * np.pi * v))
                       for (k, dims), v in zip(latent_dims.items(), u, strict=True)}
            log_joint = family.log_prior_with_latents(resolved, np.array([[coef]]), np.array([sigma]),
                                                      np.array([scale]), latents)[0]
            return np.exp(log_joint) * jacobian

        total = integrate.nquad(joint, [(0.0, 1.0)] * len(latent_dims),
                                opts={"limit": 200, "epsabs": 0.0, "epsrel": 1e-10})[0]
        marginal = family.log_prior(resolved, np.array([[coef]]), np.array([sigma]), np.array([scale]))[0]
        if np.isfinite(marginal):
            np.testing.assert_allclose(np.log(total), marginal, rtol=0, atol=1e-7, err_msg=name)
        else:
            log_hyper = resolved.hyperprior.log_density(np.array([scale]))[0]
            density = family.density(resolved, np.array([coef]), sigma, scales=[scale])[0]
            np.testing.assert_allclose(total, density * np.exp(log_hyper), rtol=2e-2, err_msg=name)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_map_equals_scikit_learn_or_is_refused(name):
    """At natural scale (raw diabetes): ≤ 1e-6 relative, identical zeros; or a clear ValueError."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, scaled=False)
    family = get_family(name)
    prior = _prior(name)
    if family.alpha_parts(1.0, None) is None:
        with pytest.raises(ValueError, match="no finite MAP"):
            bayesreg.fit(X, y, prior, scale=1.0, method="map")
        with pytest.raises(ValueError, match="no finite MAP"):
            bayesreg.map_estimate(X, y, prior, scale=1.0, sigma=1.0)
        return
    l1_ratio = getattr(prior, "l1_ratio", None)
    grid = bayesreg.map_path(X, y, prior, n_alphas=8).alphas
    for alpha in grid[2:7:2]:
        ours = bayesreg.map_estimate(X, y, prior, alpha=float(alpha))
        sk = family.sklearn_estimator(float(alpha), l1_ratio).fit(X, y)
        scale = max(np.abs(sk.coef_).max(), 1e-300)
        assert np.max(np.abs(ours.coef - sk.coef_)) <= RTOL * scale, (name, alpha)
        assert abs(ours.intercept - sk.intercept_) <= RTOL * max(abs(sk.intercept_), np.abs(y).mean())
        np.testing.assert_array_equal(ours.coef == 0, sk.coef_ == 0)
        assert ours.family == name and ours.converged


@pytest.mark.parametrize("name", [n for n in FAMILY_NAMES if n != EXTRA])
def test_gibbs_matches_nuts_where_gibbs_exists(name, small):
    family = get_family(name)
    if family.gibbs is None:
        forms = _forms(name)
        resolved = resolve_prior(forms[0][0], X=small.X, y=small.y, **forms[0][1])
        assert bayesreg.sampling.choose_sampler(resolved) in ("exact", "nutpie")
        with pytest.raises(ValueError, match="gibbs"):
            bayesreg.sampling.choose_sampler(resolved, "gibbs")
        return
    kw = dict(draws=1500, tune=500, chains=2, random_seed=11, progressbar=False,
              warn_convergence=False)
    gibbs = bayesreg.fit(small.X, small.y, name, sampler="gibbs", **kw)
    nuts = bayesreg.fit(small.X, small.y, name, sampler="nutpie", **kw)
    compare_runs(gibbs.idata, nuts.idata, ["intercept", "coef", "sigma"])


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_small_sbc(name):
    """30 data sets from the prior (fixed scale, σ unknown), ranks uniform, with sampler='auto'."""
    prior = _prior(name)
    takes_scale = any(kw == dict(scale=0.7) for _, kw in _forms(name))  # else its strength is alpha
    kwargs = dict(scale=1.0) if takes_scale else dict(alpha=0.05)
    ranks, n_draws = simulate_ranks(prior, kwargs, 30, 3, sampler="auto", n_reps=30, seed=2026,
                                    n_draws=50, thin=4, tune=300)
    assert_uniform_ranks(ranks, n_draws, bins=5)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_conditional_variances_make_the_coefficients_normal(name):
    """For prior draws (β, v), β_j | v_j ~ N(0, v_j): β/√v is standard normal (every strength form).

    A local variance drawn given β (the Laplace's ω) must come from the right conditional for this
    to hold; the shrinkage factors κ_j rest on these variances. A family may declare none (None).
    """
    family = get_family(name)
    X = np.ones((5, 2))
    X[:, 1] = np.arange(5)
    for prior, kw in _forms(name):
        resolved = resolve_prior(prior, X=X, y=np.arange(5.0), **kw)
        rng = np.random.default_rng(11)
        sigma = 1.3 if resolved.sigma is None else resolved.sigma
        rows = [family.prior_draws(resolved, sigma, X.shape[1], rng) for _ in range(4000)]
        draws = {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}
        draws["sigma"] = np.full(4000, sigma)
        variance = family.conditional_variances(resolved, draws, rng)
        if variance is None:
            assert name == EXTRA  # the test's Student-t family declares no mixture form
            continue
        assert variance.shape == (4000, X.shape[1]) and np.all(variance > 0)
        z = (draws["coef"] / np.sqrt(variance)).ravel()
        assert stats.kstest(z, "norm").pvalue > 1e-3, (name, kw)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_round_trip_and_prior_summary(name, small, tmp_path):
    family = get_family(name)
    prior, kwargs = _forms(name)[0]
    res = bayesreg.fit(small.X, small.y, prior, draws=60, tune=60, chains=2, random_seed=3,
                       progressbar=False, warn_convergence=False, **kwargs)
    summary = res.prior_summary()
    assert {"intercept", "coef", "sigma"} <= set(summary.index)
    assert summary.loc["coef", "prior"]
    if family.map_name is not None and res.resolved_prior.implied_alpha() is not None:
        assert family.map_name in summary.loc["coef", "note"]
    path = res.to_netcdf(tmp_path / f"{name}.nc")
    back = bayesreg.load(path)
    assert back.resolved_prior == res.resolved_prior
    assert back.prior == res.prior
    np.testing.assert_array_equal(back.idata.posterior["coef"].values,
                                  res.idata.posterior["coef"].values)
    assert back.prior_summary().equals(summary)
    assert (back.map is None) == (res.map is None)


def test_extra_family_samples_by_nuts_and_refuses_the_map(small):
    res = bayesreg.fit(small.X, small.y, "t3", draws=200, tune=200, chains=2, random_seed=5,
                       progressbar=False, warn_convergence=False)
    assert res.sampler == "nutpie"
    assert res.map is None
    assert "StudentT3(0, coef_scale * sigma)" in res.prior_summary().loc["coef", "prior"]
    with pytest.raises(ValueError, match="no scikit-learn penalty, so no alpha"):
        bayesreg.fit(small.X, small.y, "t3", alpha=0.1)
    dens = get_family("t3").density(res.resolved_prior, np.linspace(-1, 1, 5), 1.0, scales=[0.5, 1.0])
    assert dens.shape == (5,) and np.all(dens > 0)
