"""One contract suite over every registered prior family × likelihood (as scikit-learn's test_common).

Each family is checked through its declarations only: NumPy log density = PyMC's up to a constant,
MAP = its scikit-learn equivalent where it declares a penalty (and a clear error where it does
not), Gibbs = NUTS where it has a Gibbs update, a small simulation-based calibration, the netCDF
round trip and ``prior_summary()``. A Student-t family is registered from this file through the
documented plug-in API; the suite covers it with no change to any package module.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pytest
from _logp import assert_logp_matches_pymc
from _sbc import assert_uniform_ranks, simulate_ranks
from _stats import compare_runs
from scipy import special

import bayesreg
from bayesreg._validation import check_Xy
from bayesreg.likelihoods import likelihoods
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


def _forms(name):
    """Every way of setting the strength that this family accepts (the others raise ValueError)."""
    family = get_family(name)
    candidates = [dict(scale=0.7), dict(scale=0.7, sigma=1.3), dict(alpha=0.3),
                  dict(alpha=0.3, sigma=1.3), dict()]
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
            resolve_prior(prior, X=X, y=np.arange(5.0), **kw)
        except ValueError:
            continue
        forms.append((prior, kw))
    return forms


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((25, 3))
    y = 1.0 + X @ np.array([2.0, 0.0, -1.0]) + rng.standard_normal(25)
    return check_Xy(X, y)


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


@pytest.mark.parametrize(("name", "likelihood"), CASES)
def test_numpy_log_density_equals_pymc(name, likelihood, small):
    forms = _forms(name)
    assert forms, f"{name}: no way to set its strength resolved"
    for prior, kwargs in forms:
        resolved = resolve_prior(prior, X=small.X, y=small.y, **kwargs)
        assert_logp_matches_pymc(small, resolved, likelihood, label=f"{name} {kwargs}")


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
    family = get_family(name)
    kwargs = dict(scale=1.0) if issubclass(family.prior_class, ScalePrior) else dict(alpha=0.05)
    prior = _prior(name)
    ranks, n_draws = simulate_ranks(prior, kwargs, 30, 3, sampler="auto", n_reps=30, seed=2026,
                                    n_draws=50, thin=4, tune=300)
    assert_uniform_ranks(ranks, n_draws, bins=5)


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
