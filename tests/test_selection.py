"""Variable selection from the posterior (issue 14): projection, SAVS, intervals, DSS, ranks."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.datasets import load_diabetes
from sklearn.linear_model import lars_path

import bayesreg
from bayesreg import plots
from bayesreg.cli import main
from bayesreg.exceptions import BayesregWarning
from bayesreg.likelihoods import get_likelihood
from bayesreg.selection import _relative_efficiency, psis_loo, savs_sparsify

FAST = dict(progressbar=False, warn_convergence=False)
GAUSSIAN = get_likelihood("gaussian")


def _fit(X, y, prior="horseshoe", draws=500, chains=2, seed=1):
    return bayesreg.fit(X, y, prior, draws=draws, tune=500, chains=chains, random_seed=seed, **FAST)


def _lasso_entry_order(X: pd.DataFrame, y) -> list[str]:
    """The order in which the variables first become non-zero on the Lasso path."""
    Z = ((X - X.mean()) / X.std(ddof=0)).to_numpy()
    _, _, coefs = lars_path(Z, np.asarray(y, dtype=float) - np.mean(y), method="lasso")
    first = [int(np.flatnonzero(coefs[j] != 0)[0]) for j in range(X.shape[1])]
    return [X.columns[j] for j in np.argsort(first, kind="stable")]


@pytest.fixture(scope="module")
def raw_diabetes():
    """The diabetes data at natural scale (age in years, bmi in kg/m², ...)."""
    return load_diabetes(return_X_y=True, as_frame=True, scaled=False)


@pytest.fixture(scope="module")
def diabetes_fit(raw_diabetes):
    X, y = raw_diabetes
    return _fit(X, y)


@pytest.fixture(scope="module")
def diabetes_projection(diabetes_fit, raw_diabetes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        return diabetes_fit.select(X=raw_diabetes[0])


def _flat(result):
    post = result.idata.posterior
    return (post["intercept"].values.reshape(-1), post["coef"].values.reshape(-1, post.sizes["feature"]),
            post["sigma"].values.reshape(-1))


# ---------------------------------------------------------------------------------------------
# PSIS-LOO and the projection's formulas


def test_psis_loo_is_arviz_loo(diabetes_fit):
    import arviz as az

    loo = az.loo(diabetes_fit.idata, pointwise=True)
    log_lik = diabetes_fit.idata.log_likelihood["y"].values.reshape(-1, loo.n_data_points)
    elpd, k = psis_loo(log_lik, _relative_efficiency(diabetes_fit.idata.posterior))
    # the same arithmetic, vectorised: agreement to rounding of log-densities ~ -5 (1e-12 abs)
    np.testing.assert_allclose(elpd, loo.loo_i.values, rtol=0, atol=1e-12)
    np.testing.assert_allclose(k, loo.pareto_k.values, rtol=0, atol=1e-12)


def test_psis_loo_without_smoothing_for_few_draws():
    # 20 draws: a tail of ceil(min(20/5, ...)) = 4 ratios is too short to fit: k = inf, plain IS
    rng = np.random.default_rng(0)
    log_lik = rng.normal(-1.0, 0.3, size=(20, 7))
    elpd, k = psis_loo(log_lik)
    assert np.all(np.isinf(k))
    w = -log_lik - np.max(-log_lik, axis=0)
    expected = np.log(np.sum(np.exp(w + log_lik), axis=0) / np.sum(np.exp(w), axis=0))
    np.testing.assert_allclose(elpd, expected, rtol=1e-13)


def test_project_is_least_squares_of_each_draw(diabetes_fit, raw_diabetes):
    X = raw_diabetes[0].to_numpy(dtype=float)
    intercept, coef, sigma = _flat(diabetes_fit)
    subset = [2, 8, 3]
    b0_s, coef_s, sigma_s = GAUSSIAN.project(X, intercept[:50], coef[:50], sigma[:50], subset)
    design = np.column_stack([np.ones(len(X)), X[:, subset]])
    for s in range(50):  # brute force: regress the draw's fitted values on [1, X_S]
        mu = intercept[s] + X @ coef[s]
        sol = np.linalg.lstsq(design, mu, rcond=None)[0]
        rss = np.sum((mu - design @ sol) ** 2)
        np.testing.assert_allclose([b0_s[s], *coef_s[s]], sol, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(sigma_s[s], np.sqrt(sigma[s] ** 2 + rss / len(X)), rtol=1e-12)


def test_forward_path_log_likelihood_is_that_of_the_projected_draws(diabetes_fit, raw_diabetes):
    X, y = raw_diabetes[0].to_numpy(dtype=float), raw_diabetes[1].to_numpy(dtype=float)
    intercept, coef, sigma = (a[:100] for a in _flat(diabetes_fit))
    order = []
    for column, log_lik in GAUSSIAN.projection_path(X, y, intercept, coef, sigma, 10):
        if column is not None:
            order.append(column)
        b0, c, s = GAUSSIAN.project(X, intercept, coef, sigma, order)
        direct = GAUSSIAN.log_density(y, b0[:, None] + c @ X[:, order].T, s[:, None])
        # Gram-matrix sweeps vs a fresh least-squares solve: agreement to ~1e-9 of |log p| ~ 5
        np.testing.assert_allclose(log_lik, direct, rtol=1e-9, atol=1e-9)


def test_forward_step_minimises_the_summed_kl_divergence(diabetes_fit, raw_diabetes):
    X, y = raw_diabetes[0].to_numpy(dtype=float), raw_diabetes[1].to_numpy(dtype=float)
    intercept, coef, sigma = (a[:200] for a in _flat(diabetes_fit))
    path = GAUSSIAN.projection_path(X, y, intercept, coef, sigma, 3)
    chosen = [column for column, _ in path][1:]
    for step, column in enumerate(chosen):  # brute force over every candidate at each step
        before = chosen[:step]
        kl = {j: np.sum(np.log(GAUSSIAN.project(X, intercept, coef, sigma, [*before, j])[2] ** 2))
              for j in range(X.shape[1]) if j not in before}
        assert column == min(kl, key=kl.get)


def test_full_size_projection_is_the_reference(diabetes_fit, diabetes_projection):
    import arviz as az

    sel = diabetes_projection
    p = len(sel.feature_names)
    full = sel.project(p)
    names = list(full.posterior["feature"].values)
    ref = diabetes_fit.idata.posterior
    scale = float(np.abs(ref["coef"].values).max())
    np.testing.assert_allclose(full.posterior["coef"].values, ref["coef"].sel(feature=names).values,
                               rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(full.posterior["intercept"].values, ref["intercept"].values,
                               rtol=1e-10)
    np.testing.assert_allclose(full.posterior["sigma"].values, ref["sigma"].values, rtol=1e-12)
    reference = az.loo(diabetes_fit.idata)
    last = sel.path.iloc[-1]
    # elpd ~ -2400: the full-size projection reproduces ArviZ's reference elpd to 1e-8
    np.testing.assert_allclose([last["elpd"], sel.path.attrs["reference_elpd"]],
                               reference.elpd_loo, rtol=0, atol=1e-8)
    np.testing.assert_allclose(last["se"], reference.se, rtol=1e-9)
    assert abs(last["elpd_diff"]) < 1e-8 and last["se_diff"] < 1e-8


def test_path_table_and_the_one_se_rule(diabetes_projection):
    path = diabetes_projection.path
    assert list(path.columns) == ["size", "variable", "elpd", "se", "elpd_diff", "se_diff",
                                  "n_high_pareto_k"]
    assert list(path["size"]) == list(range(11)) and pd.isna(path["variable"].iloc[0])
    assert sorted(path["variable"].iloc[1:]) == sorted(diabetes_projection.feature_names)
    ok = path["elpd_diff"] + path["se_diff"] >= 0
    size = int(np.flatnonzero(ok)[0])
    assert diabetes_projection.suggested_size == size == path.attrs["suggested_size"]
    assert diabetes_projection.variables == tuple(path["variable"].iloc[1:size + 1])
    summary = diabetes_projection.summary()
    assert list(summary.index[:size]) == list(diabetes_projection.variables)
    assert summary["selected"].sum() == size
    assert list(summary.loc[list(diabetes_projection.variables), "entry"]) == \
        list(range(1, size + 1))


def test_rules_and_projected_posterior(diabetes_fit, raw_diabetes, diabetes_projection):
    X = raw_diabetes[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        two = diabetes_fit.select(X=X, rule="two_se")
        best = diabetes_fit.select(X=X, rule="best")
        fixed = diabetes_fit.select(X=X, rule=3)
    path = diabetes_projection.path
    assert two.suggested_size <= diabetes_projection.suggested_size
    assert two.suggested_size == int(np.flatnonzero(path["elpd_diff"] + 2 * path["se_diff"] >= 0)[0])
    assert best.suggested_size == int(path["elpd"].idxmax())
    assert fixed.variables == tuple(path["variable"].iloc[1:4])
    projected = fixed.projected
    assert {"posterior", "log_likelihood", "observed_data"} <= set(projected.groups())
    assert list(projected.posterior["feature"].values) == list(fixed.variables)
    assert projected.posterior["coef"].shape == (2, 500, 3)
    log_lik = projected.log_likelihood["y"].values.reshape(1000, -1)
    elpd, _ = psis_loo(log_lik, _relative_efficiency(diabetes_fit.idata.posterior))
    np.testing.assert_allclose(elpd.sum(), path["elpd"].iloc[3], rtol=0, atol=1e-8)


def test_n_draws_subsample_is_seeded(diabetes_fit, raw_diabetes):
    X = raw_diabetes[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        a = diabetes_fit.select(X=X, n_draws=300, random_seed=4, max_size=5)
        b = diabetes_fit.select(X=X, n_draws=300, random_seed=4, max_size=5)
    pd.testing.assert_frame_equal(a.path, b.path)
    assert len(a.path) == 6
    assert a.projected.posterior["coef"].shape[:2] == (1, 300)


# ---------------------------------------------------------------------------------------------
# real data at natural scale, and a simulation with known support


def test_diabetes_projection_order_follows_the_lasso_path(raw_diabetes, diabetes_projection):
    X, y = raw_diabetes
    lasso = _lasso_entry_order(X, y)
    order = list(diabetes_projection.path["variable"].iloc[1:])
    # the three strongest effects (bmi, s5, bp) enter first on both paths, in any order
    assert set(order[:3]) == set(lasso[:3])
    assert set(diabetes_projection.variables) <= set(lasso[:diabetes_projection.suggested_size + 2])


def test_prostate_natural_scale():
    X, y = bayesreg.datasets.load_prostate(split="train")
    res = _fit(X, y, "laplace", draws=500, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        sel = res.select(X=X)
    assert sel.path["variable"].iloc[1] == _lasso_entry_order(X, y)[0] == "lcavol"
    assert "lcavol" in sel.variables and 1 <= sel.suggested_size <= 5
    assert abs(sel.path["elpd_diff"].iloc[-1]) < 1e-8


def _sparse_design(seed: int, n: int = 200, p: int = 100, rho: float = 0.5):
    """AR(1)-correlated standardized predictors; 8 signals, 4 of them |b| >= 1, noise sd 1."""
    rng = np.random.default_rng(seed)
    X = np.empty((n, p))
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    support = rng.choice(p, size=8, replace=False)
    beta = np.zeros(p)
    beta[support] = [3.0, -2.0, 1.5, -1.0, 0.75, -0.5, 0.35, -0.25]
    return X, X @ beta + rng.standard_normal(n), support


@pytest.mark.parametrize("seed", [11, 12])
def test_simulated_sparse_support_is_recovered(seed):
    X, y, support = _sparse_design(seed)
    res = _fit(X, y, "horseshoe", draws=500, chains=1, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        sel = res.select(X=X, max_size=20)
        interval = res.select("interval")
    chosen = {int(v[1:]) for v in sel.variables}
    # |b| >= 1 at noise sd 1 and n = 200 is a t-statistic above 8: every strong signal is found
    assert set(support[:4]) <= chosen
    false = chosen - set(support)
    assert len(false) <= 2, sorted(false)
    assert set(support[:4]) <= {int(v[1:]) for v in interval.variables}


# ---------------------------------------------------------------------------------------------
# the per-draw methods and DSS


def _standardized_draws(result, X, y):
    coef = result.idata.posterior["coef"].values.reshape(-1, X.shape[1])
    return coef * np.asarray(X).std(axis=0) / np.std(y)


def test_savs_formula_and_inclusion(diabetes_fit, raw_diabetes):
    b = np.array([[0.5, -0.05, 0.2, 0.0]])
    n = 100  # kept iff |b|^3 > 1/n = 0.01: 0.5 (0.125) yes, 0.2 (0.008) no
    expected = np.sign(b) * np.maximum(np.abs(b) * n - 1 / np.where(b == 0, np.nan, b) ** 2, 0) / n
    np.testing.assert_allclose(savs_sparsify(b, n), np.nan_to_num(expected), rtol=1e-15)
    assert list(savs_sparsify(b, n)[0] != 0) == [True, False, False, False]
    X, y = raw_diabetes
    sel = diabetes_fit.select("savs")
    kept = np.abs(_standardized_draws(diabetes_fit, X, y)) ** 3 > 1 / len(y)
    np.testing.assert_allclose(sel.inclusion.to_numpy(), kept.mean(axis=0), rtol=0, atol=1e-12)
    assert set(sel.variables) == set(X.columns[kept.mean(axis=0) > 0.5])
    assert sel.summary()["selected"].sum() == len(sel.variables)
    capped = diabetes_fit.select("savs", max_size=2)
    assert capped.variables == sel.variables[:2]


def test_interval_rule(diabetes_fit):
    coef = diabetes_fit.idata.posterior["coef"].values.reshape(-1, 10)
    names = diabetes_fit.feature_names
    for prob in (0.5, 0.95):
        sel = diabetes_fit.select("interval", prob=prob)
        low, high = np.quantile(coef, [(1 - prob) / 2, (1 + prob) / 2], axis=0)
        assert set(sel.variables) == {n for n, lo, hi in zip(names, low, high, strict=True)
                                      if lo > 0 or hi < 0}
    assert set(diabetes_fit.select("interval", prob=0.95).variables) <= \
        set(diabetes_fit.select("interval", prob=0.5).variables)
    assert diabetes_fit.select("interval").settings["prob"] == 0.95


def test_ranks_are_r_bayesreg_var_ranks(diabetes_fit, raw_diabetes):
    X, y = raw_diabetes
    b = np.abs(_standardized_draws(diabetes_fit, X, y))
    per_draw = np.array([stats.rankdata(-row, method="ordinal") for row in b])
    q75 = np.percentile(per_draw, 75, axis=0)
    sel = diabetes_fit.select("ranks")
    np.testing.assert_array_equal(sel.ranks.to_numpy(), stats.rankdata(q75, method="min"))
    assert len(sel.variables) == 10 and sel.variables[0] in ("bmi", "s5")
    top = diabetes_fit.select("ranks", max_size=3)
    assert top.variables == sel.variables[:3]
    np.testing.assert_allclose(top.inclusion.to_numpy(), (per_draw <= 3).mean(axis=0))


def test_decoupled_shrinkage_and_selection(diabetes_fit, raw_diabetes):
    X, _y = raw_diabetes
    sel = diabetes_fit.select("decoupled", X=X)
    path = sel.path
    _, coef, sigma = _flat(diabetes_fit)
    Xc = X.to_numpy() - X.to_numpy().mean(axis=0)
    fit = coef @ Xc.T
    rho2 = fit.var(axis=1) / (fit.var(axis=1) + sigma**2)  # the full model's ρ², directly
    np.testing.assert_allclose(path.attrs["rho2_full"], rho2.mean(), rtol=1e-12)
    high = path["rho2_high"].to_numpy()
    assert sel.suggested_size == int(np.flatnonzero(high >= rho2.mean())[0])
    assert len(sel.variables) == sel.suggested_size
    assert np.all(np.diff(path["rho2"]) > -1e-12)  # nested least-squares summaries
    # the largest summary is the least-squares fit of the posterior-mean fit: the posterior mean
    summaries, _ = GAUSSIAN.decoupled_path(X.to_numpy(), coef)
    np.testing.assert_allclose(summaries[-1], coef.mean(axis=0), rtol=1e-8)


# ---------------------------------------------------------------------------------------------
# bad input, before any work


def test_bad_input_is_refused(diabetes_fit, raw_diabetes, monkeypatch):
    X, _y = raw_diabetes
    cases = [
        (dict(method="stepwise"), ValueError, "method must be one of"),
        (dict(method="projection", X=X, max_size=11), ValueError, "max_size must be at most"),
        (dict(method="projection", X=X, max_size=0), ValueError, "max_size"),
        (dict(method="projection", X=X, max_size="3"), TypeError, "max_size"),
        (dict(method="projection"), ValueError, "needs X="),
        (dict(method="projection", X=(X - X.mean()) / X.std()), ValueError, "not the design"),
        (dict(method="projection", X=X.iloc[:100]), ValueError, "rows"),
        (dict(method="projection", X=X[X.columns[::-1]]), ValueError, "do not match"),
        (dict(method="projection", X=X, search="backward"), ValueError, "search must be"),
        (dict(method="projection", X=X, n_draws=5000), ValueError, "n_draws must be at most"),
        (dict(method="projection", X=X, rule="elbow"), ValueError, "rule must be one of"),
        (dict(method="projection", X=X, rule=11), ValueError, "rule"),
        (dict(method="savs", prob=0.9), ValueError, "prob is an option"),
        (dict(method="interval", prob=1.5), ValueError, "prob"),
        (dict(method="decoupled"), ValueError, "needs X="),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            diabetes_fit.select(**kwargs)
    shifted = X + 1.0  # same spreads, different design: caught by the stored log-likelihood
    with pytest.raises(ValueError, match="not the design"):
        diabetes_fit.select(X=shifted)

    class NoProjection:
        name = "nothing"

    monkeypatch.setattr("bayesreg.selection._likelihood_of", lambda result: NoProjection())
    with pytest.raises(ValueError, match="not available for the 'nothing' likelihood"):
        diabetes_fit.select(X=X)


def test_map_only_and_statistics_only_results_are_refused(raw_diabetes):
    X, y = raw_diabetes
    only_map = bayesreg.fit(X, y, "laplace", alpha=0.1, sigma=54.0, method="map")
    for method in ("projection", "savs", "ranks"):
        with pytest.raises(ValueError, match="needs posterior draws"):
            only_map.select(method, X=X)
    stats_fit = bayesreg.fit(bayesreg.SufficientStats.from_arrays(X, y), prior="gaussian",
                             draws=100, tune=100, chains=1, random_seed=0, log_likelihood=False,
                             **FAST)
    with pytest.raises(ValueError, match="sufficient statistics"):
        stats_fit.select(X=X)
    with pytest.raises(ValueError, match="sufficient statistics"):
        stats_fit.select("savs")
    assert len(stats_fit.select("ranks", max_size=2).variables) == 2  # needs no rows


# ---------------------------------------------------------------------------------------------
# plots and the command line


def test_plot_selection_and_inclusion(diabetes_fit, raw_diabetes, diabetes_projection):
    axes = plots.plot_selection(diabetes_projection, figsize=(9, 4))
    assert isinstance(axes, np.ndarray) and axes.shape == (2,)
    np.testing.assert_allclose(axes[0].figure.get_size_inches(), (9, 4))
    path = diabetes_projection.path
    (points,) = [c for c in axes[0].containers]
    np.testing.assert_allclose(np.asarray(points.lines[0].get_ydata(), dtype=float),
                               path["elpd"].to_numpy())
    vlines = [ln for ln in axes[0].lines if ln.get_linestyle() == "--"]
    assert vlines[0].get_xdata()[0] == diabetes_projection.suggested_size
    plt.close("all")
    dss = diabetes_fit.select("decoupled", X=raw_diabetes[0])
    assert plots.plot_selection(dss).shape == (1,)
    savs, interval = diabetes_fit.select("savs"), diabetes_fit.select("interval")
    (ax,) = plots.plot_inclusion(savs)
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, np.sort(savs.inclusion.to_numpy()))
    _fig, given = plt.subplots()
    out = plots.plot_inclusion({"SAVS": savs, "95% interval": interval}, ax=given)
    assert out[0] is given and len(given.patches) == 20
    with pytest.raises(ValueError, match="plot_inclusion"):
        plots.plot_selection(savs)
    with pytest.raises(ValueError, match="plot_selection"):
        plots.plot_inclusion(diabetes_projection)
    with pytest.raises(TypeError, match="Selection"):
        plots.plot_inclusion("savs")
    plt.close("all")


def test_cli_select_writes_table_path_and_figure(tmp_path, capsys):
    out = tmp_path / "sel"
    code = main(["select", "--data", "prostate", "--prior", "laplace", "--draws", "200",
                 "--chains", "2", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "selected (" in printed and "lcavol" in printed
    assert {p.name for p in out.iterdir()} == {"selection.csv", "path.csv", "selection.png"}
    path = pd.read_csv(out / "path.csv")
    assert list(path["size"]) == list(range(9))
    assert main(["select", "--method", "savs", "--draws", "200", "--chains", "2",
                 "--out", str(tmp_path / "savs")]) == 0
    assert (tmp_path / "savs" / "inclusion.png").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--max-size", "11"], "--max-size must be at most the number of predictors (10)"),
    (["--prior", "laplce"], "--prior"),
])
def test_cli_select_rejects_bad_arguments(tmp_path, capsys, args, message):
    assert main(["select", *args, "--out", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:  # argparse: an unknown method
        main(["select", "--method", "lasso"])
    assert exit_info.value.code == 2


# ---------------------------------------------------------------------------------------------
# the logistic likelihood: projection by Newton's method on the reference's probabilities

BERNOULLI = get_likelihood("bernoulli")
_LOGISTIC_SIGNALS = (2, 7, 13)


def _logistic_design(seed: int = 5, n: int = 300, p: int = 20):
    """Independent predictors in unequal units; 3 signals of 1.2, -1.0, 0.8 log-odds per sd."""
    rng = np.random.default_rng(seed)
    units = 10.0 ** (np.arange(p) % 4 - 1)  # 0.1, 1, 10, 100
    Z = rng.standard_normal((n, p))
    eta = 0.3 + Z[:, list(_LOGISTIC_SIGNALS)] @ np.array([1.2, -1.0, 0.8])
    labels = np.where(rng.random(n) < 1 / (1 + np.exp(-eta)), "yes", "no")
    return pd.DataFrame(Z * units, columns=[f"x{j}" for j in range(p)]), pd.Series(labels)


@pytest.fixture(scope="module")
def logistic_fit():
    X, y = _logistic_design()
    res = bayesreg.fit(X, y, "horseshoe", family="bernoulli", draws=300, tune=300, chains=2,
                       random_seed=2, **FAST)
    return X, res


@pytest.fixture(scope="module")
def logistic_projection(logistic_fit):
    X, res = logistic_fit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)
        return res.select(X=X)


def _logistic_draws(result):
    post = result.idata.posterior
    return (post["intercept"].values.reshape(-1),
            post["coef"].values.reshape(-1, post.sizes["feature"]))


def test_logistic_projection_meets_its_optimality_conditions(logistic_fit):
    X, res = logistic_fit
    Xa = X.to_numpy()
    intercept, coef = (a[:40] for a in _logistic_draws(res))
    subset = [7, 2, 5]
    b0, slopes, sigma = BERNOULLI.project(Xa, intercept, coef, None, subset)
    assert sigma is None and slopes.shape == (40, 3)
    p_ref = 1 / (1 + np.exp(-(intercept[:, None] + coef @ Xa.T)))
    q = 1 / (1 + np.exp(-(b0[:, None] + slopes @ Xa[:, subset].T)))
    design = np.column_stack([np.ones(len(Xa)), Xa[:, subset]])
    # [1, X_S]ᵀ(p_ref − q) = 0: to the Newton tolerance 1e-10 in an orthonormal basis, i.e.
    # relative to each column's norm (units 0.1 to 100 here)
    score = (p_ref - q) @ design / np.linalg.norm(design, axis=0)
    assert np.abs(score).max() < 1e-9


def test_logistic_projection_is_scipy_minimiser_of_the_kl_divergence():
    from scipy.optimize import minimize
    from scipy.special import expit

    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 3)) * [1.0, 5.0, 0.2]
    intercept, coef = np.array([0.4, -0.2]), np.array([[1.0, 0.3, -2.0], [-0.5, 0.1, 4.0]])
    subset = [0, 2]
    b0, slopes, _ = BERNOULLI.project(X, intercept, coef, None, subset)
    design = np.column_stack([np.ones(40), X[:, subset]])
    for s in range(2):
        p_ref = expit(intercept[s] + X @ coef[s])

        def kl(theta, p_ref=p_ref):  # Σ_i KL(Bern(p_i) || Bern(q_i)), written out
            q = expit(design @ theta)
            return np.sum(p_ref * np.log(p_ref / q) + (1 - p_ref) * np.log((1 - p_ref) / (1 - q)))

        def gradient(theta, p_ref=p_ref):
            return design.T @ (expit(design @ theta) - p_ref)

        def hessian(theta):
            w = expit(design @ theta) * (1 - expit(design @ theta))
            return design.T @ (w[:, None] * design)

        best = minimize(kl, np.zeros(3), jac=gradient, hess=hessian, method="trust-exact",
                        options={"gtol": 1e-12})
        np.testing.assert_allclose([b0[s], *slopes[s]], best.x, rtol=1e-8, atol=1e-10)


def test_logistic_path_log_likelihood_is_that_of_the_projected_draws(logistic_fit):
    X, res = logistic_fit
    Xa, y = X.to_numpy(), res.idata.observed_data["y"].values
    intercept, coef = (a[:60] for a in _logistic_draws(res))
    order = []
    for column, log_lik in BERNOULLI.projection_path(Xa, y, intercept, coef, None, 6):
        if column is not None:
            order.append(column)
        b0, slopes, _ = BERNOULLI.project(Xa, intercept, coef, None, order)
        direct = BERNOULLI.pointwise_log_likelihood(Xa[:, order] if order else np.zeros((300, 1)),
                                                    y, b0[None, :],
                                                    (slopes if order else np.zeros((60, 1)))[None],
                                                    None)[0]
        # two Newton solutions from different starts, each to |gradient| <= 1e-10
        np.testing.assert_allclose(log_lik, direct, rtol=0, atol=1e-8)


def test_logistic_forward_step_minimises_the_summed_kl_divergence(logistic_fit):
    from scipy.special import expit

    X, res = logistic_fit
    Xa, y = X.to_numpy(), res.idata.observed_data["y"].values
    intercept, coef = (a[::40] for a in _logistic_draws(res))  # 15 draws, each its own cluster
    p_ref = expit(intercept[:, None] + coef @ Xa.T)
    chosen = [c for c, _ in BERNOULLI.projection_path(Xa, y, intercept, coef, None, 3,
                                                      n_clusters=None)][1:]
    for step, column in enumerate(chosen):  # brute force over every candidate at each step
        before = chosen[:step]
        kl = {}
        for j in range(Xa.shape[1]):
            if j not in before:
                b0, slopes, _ = BERNOULLI.project(Xa, intercept, coef, None, [*before, j])
                q = expit(b0[:, None] + slopes @ Xa[:, [*before, j]].T)
                kl[j] = np.sum(p_ref * np.log(p_ref / q) + (1 - p_ref) * np.log((1 - p_ref) / (1 - q)))
        assert column == min(kl, key=kl.get)


def test_logistic_full_size_projection_is_the_reference(logistic_fit, logistic_projection):
    import arviz as az

    X, res = logistic_fit
    sel = logistic_projection
    full = sel.project(X.shape[1])
    assert "sigma" not in full.posterior
    names = list(full.posterior["feature"].values)
    ref = res.idata.posterior
    for name in ("intercept", "coef"):
        reference = ref[name] if name == "intercept" else ref[name].sel(feature=names)
        scale = float(np.abs(reference.values).max())
        np.testing.assert_allclose(full.posterior[name].values, reference.values, rtol=0,
                                   atol=1e-8 * scale)
    reference_loo = az.loo(res.idata)
    last = sel.path.iloc[-1]
    np.testing.assert_allclose([last["elpd"], sel.path.attrs["reference_elpd"]],
                               reference_loo.elpd_loo, rtol=0, atol=1e-7)
    assert abs(last["elpd_diff"]) < 1e-7 and last["se_diff"] < 1e-7


def test_logistic_simulated_sparse_support_is_recovered(logistic_fit, logistic_projection):
    _X, res = logistic_fit
    signals = {f"x{j}" for j in _LOGISTIC_SIGNALS}
    sel = logistic_projection
    # 0.8 log-odds per sd at n = 300 is a z-statistic near 5: every signal is found
    assert signals <= set(sel.variables) and len(set(sel.variables) - signals) <= 1
    assert set(sel.path["variable"].iloc[1:4]) == signals
    projected = sel.projected
    assert list(projected.posterior["feature"].values) == list(sel.variables)
    assert set(res.select("interval").variables) >= signals


def test_logistic_savs_and_ranks_are_on_the_log_odds_per_sd_scale(logistic_fit):
    X, res = logistic_fit
    _, coef = _logistic_draws(res)
    b = coef * X.to_numpy().std(axis=0)  # log-odds per sd of x: no sd(y) for 0/1 labels
    savs = res.select("savs")
    kept = np.abs(b) ** 3 > 1 / len(X)
    np.testing.assert_allclose(savs.inclusion.to_numpy(), kept.mean(axis=0), rtol=0, atol=1e-12)
    ranks = res.select("ranks", max_size=3)
    per_draw = np.array([stats.rankdata(-np.abs(row), method="ordinal") for row in b])
    np.testing.assert_array_equal(ranks.ranks.to_numpy(),
                                  stats.rankdata(np.percentile(per_draw, 75, axis=0), method="min"))
    assert set(ranks.variables) == {f"x{j}" for j in _LOGISTIC_SIGNALS}


def test_logistic_bad_input_and_decoupled_are_refused(logistic_fit):
    X, res = logistic_fit
    with pytest.raises(ValueError, match="Gaussian-noise notion"):
        res.select("decoupled", X=X)
    cases = [
        (dict(X=X, max_size=21), "max_size must be at most"),
        (dict(), "needs X="),
        (dict(X=(X - X.mean()) / X.std()), "not the design"),
        (dict(X=X + 1.0), "not the design"),
        (dict(X=X.iloc[:100]), "rows"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            res.select(**kwargs)


def test_breast_cancer_logistic_projection():
    X, y = bayesreg.datasets.load_breast_cancer()
    res = bayesreg.fit(X, y, "horseshoe", family="bernoulli", draws=250, tune=300, chains=2,
                       random_seed=1, **FAST)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)  # Pareto k: near-separable classes
        sel = res.select(X=X, max_size=12)
    # the tumour's size and the concavity of its worst nuclei dominate the diagnosis
    assert sel.path["variable"].iloc[1] in {"worst perimeter", "worst radius", "worst area",
                                            "worst concave points"}
    assert 2 <= sel.suggested_size <= 8
    assert sel.path["elpd"].iloc[sel.suggested_size] > sel.path["elpd"].iloc[0] + 250
