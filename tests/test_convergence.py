"""The convergence contract: a default ``fit`` converges and warns about nothing.

Every built-in prior family × likelihood × bundled data set (in natural units and standardized),
plus a simulated p > n design: ``bayesreg.fit(X, y, prior, family=...)`` with every setting at
its default (4 chains × 1,000 draws; the elastic net, which has no default strength, at a given
``alpha`` or ``C``) must reach R-hat ≤ 1.01 and a bulk ESS ≥ 400 for every
parameter (rank-normalized, so the same on the log scale of a positive latent), have no divergent
transition, and raise no warning. Each case runs with one fixed seed; a case passes with a margin
(see the figures in the issue's closing note), so the assertion does not hang on Monte-Carlo luck.

Cases that do not meet the contract yet are marked ``xfail`` with what was measured, so that the
gap stays visible and a fix shows up as XPASS. Cases sampled by NUTS (the families without a
Gibbs update) and the p > n design take tens of seconds each and run under ``-m slow``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes

import bayesreg

RHAT_MAX = 1.01
ESS_MIN = 400


def _standardized(X):
    return (X - X.mean()) / X.std(ddof=0)


def _data(name: str):
    """(X, y, family) of a contract data set."""
    if name.startswith("diabetes_raw"):
        X, y = load_diabetes(return_X_y=True, scaled=False, as_frame=True)
    elif name.startswith("diabetes"):
        X, y = bayesreg.datasets.load_diabetes()
    elif name.startswith("prostate"):
        X, y = bayesreg.datasets.load_prostate()
        X = X.drop(columns="train")
    elif name.startswith("cancer"):
        X, y = bayesreg.datasets.load_breast_cancer()
    elif name == "wide":  # p = 200 > n = 100, 5 signals
        rng = np.random.default_rng(0)
        X = rng.standard_normal((100, 200))
        coef = np.zeros(200)
        coef[:5] = [3.0, -2.5, 2.0, -1.5, 1.5]
        y = 1.0 + X @ coef + rng.standard_normal(100)
    else:  # pragma: no cover - a typo in the table below
        raise KeyError(name)
    if name.endswith("_std"):
        X = _standardized(X)
    return X, y, "bernoulli" if name.startswith("cancer") else "gaussian"


def _xfail(reason: str):
    return pytest.mark.xfail(reason=reason, strict=False)


_HORSESHOE_LOGISTIC = ("the logistic sampler does not have the Gaussian likelihood's joint "
                       "(lambda_j, beta_j) draws: the local scales mix slowly on correlated columns "
                       "(measured min bulk ESS 45-242, R-hat 1.03-1.07; the joint draws given "
                       "Polya-Gamma weights reached only ESS 349 at 10x the cost)")
_WIDE = ("p = 200 > n = 100 (default tau_0 from p0 = n/10): min bulk ESS of the global scale 487 "
         "(horseshoe, R-hat 1.005), 433 (horseshoe+, R-hat 1.010), 100 (regularized horseshoe, "
         "whose sigma | beta step is slow when beta nearly interpolates): not yet with a margin")
_RAW_UNITS = ("natural units: one default prior scale for columns whose sds span 1e-3 to 4e3 "
              "(the unit-invariant default of the real-data issue is the fix); measured min ESS 92-256")

#: the elastic net has no default strength (its prior is set by alpha or C): these are given
ELASTIC_NET = {"diabetes": {"alpha": 0.1}, "prostate_std": {"alpha": 0.05}, "cancer_std": {"C": 1.0}}
REGRESSION_SETS = ("diabetes", "diabetes_raw", "prostate", "prostate_std")
GIBBS_FAMILIES = ("gaussian", "laplace", "horseshoe", "horseshoe_plus", "regularized_horseshoe")
CASES = [
    *[pytest.param(prior, name, id=f"{prior}-{name}") for prior in GIBBS_FAMILIES
      for name in REGRESSION_SETS],
    pytest.param("gaussian", "cancer_std", id="gaussian-cancer_std"),
    pytest.param("laplace", "cancer_std", id="laplace-cancer_std"),
    *[pytest.param(prior, "cancer", id=f"{prior}-cancer", marks=_xfail(_RAW_UNITS))
      for prior in ("gaussian", "laplace")],
    *[pytest.param(prior, name, id=f"{prior}-{name}", marks=_xfail(_HORSESHOE_LOGISTIC))
      for prior in ("horseshoe", "horseshoe_plus") for name in ("cancer", "cancer_std")],
    # slow: p > n, and the models sampled by NUTS
    *[pytest.param(prior, "wide", id=f"{prior}-wide", marks=pytest.mark.slow)
      for prior in ("gaussian", "laplace")],
    *[pytest.param(prior, "wide", id=f"{prior}-wide", marks=[pytest.mark.slow, _xfail(_WIDE)])
      for prior in ("horseshoe", "horseshoe_plus", "regularized_horseshoe")],
    *[pytest.param("elasticnet", name, id=f"elasticnet-{name}", marks=pytest.mark.slow)
      for name in ELASTIC_NET],
    pytest.param("regularized_horseshoe", "cancer_std", id="regularized_horseshoe-cancer_std",
                 marks=[pytest.mark.slow, _xfail("logistic: NUTS on the regularized horseshoe "
                                                 "(its Gibbs update is for the Gaussian likelihood)")]),
]


@pytest.mark.parametrize(("prior", "data_set"), CASES)
def test_default_fit_converges_and_warns_about_nothing(prior, data_set):
    X, y, family = _data(data_set)
    strength = {}
    if prior == "elasticnet":
        prior, strength = bayesreg.ElasticNet(l1_ratio=0.5), ELASTIC_NET[data_set]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = bayesreg.fit(X, y, prior, family=family, random_seed=1, progressbar=False, **strength)
    messages = [str(w.message) for w in caught
                if not str(w.message).startswith("ArviZ is undergoing a major refactor")]
    table = res.diagnostics()
    worst = table.sort_values("ess_bulk").head(3)[["r_hat", "ess_bulk", "ess_tail"]]
    assert table["r_hat"].max() <= RHAT_MAX, worst
    assert table["ess_bulk"].min() >= ESS_MIN, worst
    assert table.attrs["divergences"] == 0
    assert not messages, messages
