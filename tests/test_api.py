"""The public API of the foundation: fit, FitResult, priors, datasets, lazy imports."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import bayesreg


def test_import_is_light():
    code = ("import sys, time; t = time.perf_counter(); import bayesreg; "
            "dt = time.perf_counter() - t; "
            "heavy = [m for m in ('pymc', 'pytensor', 'arviz', 'sklearn', 'matplotlib', 'nutpie') "
            "if m in sys.modules]; print(dt, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, heavy = out.stdout.split(" ", 1)
    assert heavy.strip() == "[]"
    assert float(seconds) < 1.0


def test_public_names():
    for name in bayesreg.__all__:
        assert getattr(bayesreg, name) is not None
    assert callable(bayesreg.fit) and callable(bayesreg.load)


def test_datasets():
    X, y = bayesreg.datasets.load_diabetes()
    assert X.shape == (442, 10) and y.shape == (442,)
    assert list(X.columns) == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    np.testing.assert_allclose((X**2).sum().to_numpy(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(X.mean().to_numpy(), 0.0, atol=1e-15)
    from sklearn.datasets import load_diabetes

    ref = load_diabetes()
    np.testing.assert_array_equal(X.to_numpy(), ref.data)
    np.testing.assert_array_equal(y.to_numpy(), ref.target)
    Xp, yp = bayesreg.datasets.load_prostate()
    assert Xp.shape == (97, 9) and yp.name == "lpsa"
    assert Xp["train"].dtype == bool and Xp["train"].sum() == 67
    Xt, yt = bayesreg.datasets.load_prostate("test")
    assert Xt.shape == (30, 8) and "train" not in Xt and yt.shape == (30,)
    with pytest.raises(ValueError, match="split must be"):
        bayesreg.datasets.load_prostate("validation")


def test_feature_names_numpy_and_pandas(rng):
    X = rng.standard_normal((40, 3))
    y = X @ [1.0, 0.5, 0.0] + rng.standard_normal(40)
    res = bayesreg.fit(X, y, prior="gaussian", alpha=1.0, draws=50, chains=1, random_seed=0,
                       progressbar=False, warn_convergence=False)
    assert res.feature_names == ("x0", "x1", "x2")
    assert list(res.idata.posterior["feature"].values) == ["x0", "x1", "x2"]
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    res_pd = bayesreg.fit(frame, pd.Series(y), prior="gaussian", alpha=1.0, draws=50, chains=1,
                          random_seed=0, progressbar=False, warn_convergence=False)
    assert res_pd.feature_names == ("a", "b", "c")
    np.testing.assert_allclose(res.idata.posterior["coef"].values, res_pd.idata.posterior["coef"].values,
                               rtol=1e-10)
    # integer and boolean columns are numbers too
    mixed = frame.assign(b=(frame["b"] > 0), c=(frame["c"] * 10).round().astype(int))
    assert bayesreg.fit(mixed, y, alpha=0.1, method="map").feature_names == ("a", "b", "c")


@pytest.mark.parametrize(("alias", "family"), [("gaussian", "gaussian"), ("normal", "gaussian"),
                                               ("ridge", "gaussian"), ("laplace", "laplace"),
                                               ("lasso", "laplace"), ("Lasso", "laplace")])
def test_prior_aliases(alias, family, diabetes):
    X, y = diabetes
    res = bayesreg.fit(X, y, prior=alias, alpha=0.1, method="map")
    assert res.map.family == family and res.sampler is None and res.idata is None


def test_priors_are_printable_values():
    a = bayesreg.Laplace(rate=0.237, scale_with_sigma=True)
    assert a == bayesreg.Laplace(rate=0.237, scale_with_sigma=True)
    assert repr(a) == "Laplace(scale=None, rate=0.237, scale_with_sigma=True, hyperprior=None)"
    with pytest.raises(AttributeError):
        a.rate = 1.0
    hyper = bayesreg.Laplace(rate=bayesreg.Gamma(1, 1.78), scale_with_sigma=True)
    assert hyper.hyperprior == bayesreg.Gamma(1, 1.78) and hyper.rate is None
    assert hash(hyper) == hash(bayesreg.Laplace(hyperprior=bayesreg.Gamma(1, 1.78), scale_with_sigma=True))
    assert bayesreg.Gaussian(scale=bayesreg.HalfCauchy(3.0)).hyperprior == bayesreg.HalfCauchy(3.0)


def test_prior_summary_reports_defaults(diabetes):
    X, y = diabetes
    res = bayesreg.fit(X, y, prior="laplace", draws=100, tune=100, chains=2, random_seed=1,
                       progressbar=False, warn_convergence=False)
    table = res.prior_summary()
    assert list(table.index) == ["intercept", "coef", "coef_scale", "sigma", "predictors"]
    assert "as given" in table.loc["predictors", "prior"]  # which scale the prior is on
    s0 = 1 / np.sqrt(np.mean(X.to_numpy().std(axis=0) ** 2))
    assert table.loc["coef", "prior"] == "Laplace(0, coef_scale * sigma)"
    assert table.loc["coef_scale", "prior"] == f"HalfCauchy(0, {s0:.4g})"
    assert "scaled to the data" in table.loc["coef_scale", "note"]
    assert "Jeffreys" in table.loc["sigma", "prior"]
    assert "flat" in table.loc["intercept", "prior"]
    fixed = bayesreg.fit(X, y, prior="gaussian", scale=300.0, sigma=54.0, method="map").prior_summary()
    assert fixed.loc["coef", "prior"] == "Normal(0, 300)"
    assert "Ridge(alpha=0.0324)" in fixed.loc["coef", "note"]
    assert fixed.loc["sigma", "prior"] == "fixed at 54"


def test_alpha_and_scale_routes_agree(diabetes):
    X, y = diabetes
    sigma, n = 54.0, len(y)
    for family, alpha in (("gaussian", 0.3), ("laplace", 0.2)):
        scale = bayesreg.alpha_to_scale(alpha, family, n, sigma)
        by_scale = bayesreg.fit(X, y, prior=family, scale=scale, sigma=sigma, method="map").map
        by_alpha = bayesreg.fit(X, y, prior=family, alpha=alpha, method="map").map
        np.testing.assert_allclose(by_scale.coef, by_alpha.coef, rtol=1e-8, atol=1e-8)
        assert by_scale.alpha == pytest.approx(alpha, rel=1e-12)
    assert bayesreg.alpha_to_scale(0.25, "gaussian", 10, 2.0) == pytest.approx(4.0)
    assert bayesreg.alpha_to_scale(0.25, "lasso", 10, 2.0) == pytest.approx(4 / 2.5)


def test_park_casella_map_uses_posterior_median_sigma(diabetes):
    X, y = diabetes
    lam = 0.237
    res = bayesreg.fit(X, y, prior=bayesreg.Laplace(rate=lam, scale_with_sigma=True), draws=500,
                       chains=2, random_seed=2, progressbar=False, warn_convergence=False)
    sigma_hat = float(res.idata.posterior["sigma"].median())
    assert res.map.sigma == pytest.approx(sigma_hat)
    # b = sigma / lambda, so alpha = sigma^2 / (n b) = sigma * lambda / n
    assert res.map.alpha == pytest.approx(sigma_hat * lam / len(y), rel=1e-12)
    from sklearn.linear_model import Lasso

    sk = Lasso(alpha=res.map.alpha, tol=1e-12, max_iter=10**6).fit(X, y)
    np.testing.assert_allclose(res.map.coef, sk.coef_, rtol=1e-7, atol=1e-7 * np.abs(sk.coef_).max())
    np.testing.assert_array_equal(res.map.coef == 0, sk.coef_ == 0)


def test_elasticnet_prior_uses_nuts_and_has_sklearn_map(diabetes):
    X, y = diabetes
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bayesreg.ConvergenceWarning)
        res = bayesreg.fit(X, y, prior=bayesreg.ElasticNet(alpha=0.01, l1_ratio=0.7), draws=200,
                           tune=200, chains=2, random_seed=1, progressbar=False)
    assert res.sampler == "nutpie"
    from sklearn.linear_model import ElasticNet

    sk = ElasticNet(alpha=0.01, l1_ratio=0.7, tol=1e-12, max_iter=10**6).fit(X, y)
    np.testing.assert_allclose(res.map.coef, sk.coef_, rtol=1e-7, atol=1e-7 * np.abs(sk.coef_).max())
    assert "sigma" in res.idata.posterior and res.summary().attrs["sampler"] == "nutpie"


def test_cli_help_and_demo(tmp_path, capsys):
    from bayesreg.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "demo" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "--out" in capsys.readouterr().out
    out = tmp_path / "demo.png"
    assert main(["demo", "--out", str(out), "--draws", "300"]) == 0
    text = capsys.readouterr().out
    assert f"figure written to {out}" in text
    assert out.stat().st_size > 10_000
    for word in ("OLS", "Ridge", "Lasso", "MAP(G)", "MAP(L)", "94% HDI", "bmi", "s6"):
        assert word in text
    assert main([]) == 1
