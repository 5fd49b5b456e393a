"""Sufficient statistics from dask, parquet and batches: the same MAP and posterior as in memory.

A two-worker ``distributed.LocalCluster`` (threads, so starting it takes well under a second) is
started once for the module and every dask computation runs on it.
"""

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import bayesreg
from bayesreg import BayesregWarning, SufficientStats
from bayesreg.map import CentredData

SEED = 20240611

# dask's parquet reader calls a pandas method that pandas 3.1 deprecates (not bayesreg's doing)
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                           dashboard_address=None)
    dask_client = Client(cluster)
    yield dask_client
    dask_client.close()
    cluster.close()


def relative(a, b) -> float:
    """Largest absolute difference relative to the largest entry of the reference ``b``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), np.finfo(float).tiny))


def assert_same_statistics(stats: SufficientStats, X, y, tol: float = 1e-10) -> None:
    """``stats`` equal the in-memory centred statistics of (X, y) (what ``fit`` computes)."""
    ref = CentredData(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
    assert stats.n_samples == ref.n
    assert relative(stats.gram, ref.gram) <= tol
    assert relative(stats.xy, ref.corr) <= tol
    assert abs(stats.yy - ref.yy) <= tol * ref.yy
    scale = np.sqrt(np.diag(ref.gram) / ref.n)  # means compared on the scale of their spread
    assert np.all(np.abs(stats.x_mean - ref.x_mean) <= tol * (np.abs(ref.x_mean) + scale))
    assert abs(stats.y_mean - ref.y_mean) <= tol * (abs(ref.y_mean) + np.sqrt(ref.yy / ref.n))


def regression_data(n=4000, p=10, seed=SEED):
    """Columns with different means and spreads, four zero coefficients, named features."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * np.linspace(0.5, 4.0, p) + np.linspace(-20.0, 50.0, p)
    X[:, 1] += 0.6 * X[:, 0]  # some correlation
    beta = np.zeros(p)
    beta[: p - 4] = np.linspace(-2.0, 3.0, p - 4)
    y = 7.0 + X @ beta + 2.0 * rng.standard_normal(n)
    names = [f"feature_{j}" for j in range(p)]
    return pd.DataFrame(X, columns=names), pd.Series(y, name="y")


# -- statistics ------------------------------------------------------------------------------------


def test_statistics_of_a_large_dask_array_equal_numpy(client):
    """n = 2·10⁶, p = 50 in 20 row chunks (800 MB): equal to the in-memory statistics to 1e-10."""
    import dask
    import dask.array as da

    n, p = 2_000_000, 50
    rng = da.random.default_rng(SEED)
    X = rng.standard_normal((n, p), chunks=(n // 20, p)) * np.linspace(0.5, 3.0, p) + np.linspace(-5, 5, p)
    y = X @ np.linspace(-1.0, 1.0, p) + rng.standard_normal(n, chunks=n // 20)
    X, y = client.persist([X, y])  # generated once, on the workers
    stats = SufficientStats.from_dask(X, y)
    assert stats.feature_names == tuple(f"x{j}" for j in range(p))
    X_np, y_np = dask.compute(X, y)
    assert_same_statistics(stats, X_np, y_np)


def test_badly_centred_data_keep_every_digit(client):
    """Mean 10⁶, sd 1: the pairwise merge equals the centred in-memory computation; the textbook
    XᵀX − n x̄x̄ᵀ loses most digits (which is why the merge is pairwise)."""
    import dask.array as da

    rng = np.random.default_rng(SEED)
    n, p = 200_000, 5
    X = 1e6 + rng.standard_normal((n, p))
    y = X @ np.arange(1.0, p + 1) + rng.standard_normal(n)
    from_dask = SufficientStats.from_dask(da.from_array(X, chunks=(12_345, p)),
                                          da.from_array(y, chunks=12_345))
    from_batches = SufficientStats.from_batches((X[s:s + 999], y[s:s + 999]) for s in range(0, n, 999))
    for stats in (from_dask, from_batches):
        assert_same_statistics(stats, X, y)
    ref = CentredData(X, y)
    naive_gram = X.T @ X - n * np.outer(X.mean(axis=0), X.mean(axis=0))
    assert relative(naive_gram, ref.gram) > 1e-6


def test_dask_dataframe_from_parquet_files(client, tmp_path):
    import dask.dataframe as dd
    from distributed import get_task_stream

    X, y = regression_data(n=6000)
    frame = X.assign(y=y)
    for k, part in enumerate(np.array_split(np.arange(len(frame)), 4)):
        frame.iloc[part].to_parquet(tmp_path / f"part-{k}.parquet", index=False)
    df = dd.read_parquet(str(tmp_path))
    features = [c for c in df.columns if c != "y"]
    with get_task_stream(client) as tasks:
        stats = SufficientStats.from_dask(df[features], df["y"])
    assert any("_frame_moments" in str(t["key"]) for t in tasks.data)  # ran on the cluster
    assert stats.feature_names == tuple(X.columns)
    assert_same_statistics(stats, X, y)
    res = bayesreg.fit(df[features], df["y"], prior="laplace", alpha=0.05, method="map")
    ref = bayesreg.map_estimate(X, y, "laplace", alpha=0.05)
    assert res.map.feature_names == tuple(X.columns)
    assert relative(res.map.coef, ref.coef) <= 1e-9
    np.testing.assert_array_equal(res.map.coef == 0, ref.coef == 0)


def test_from_batches_streams_a_parquet_file(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    X, y = regression_data(n=5000)
    path = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pandas(X.assign(y=y), preserve_index=False), path,
                   row_group_size=1200)
    by_target = SufficientStats.from_batches(pq.ParquetFile(path).iter_batches(batch_size=777),
                                             target="y")
    pairs = ((batch.select(list(X.columns)), batch.column("y"))
             for batch in pq.ParquetFile(path).iter_batches(batch_size=1000))
    by_pairs = SufficientStats.from_batches(pairs)
    for stats in (by_target, by_pairs):
        assert stats.feature_names == tuple(X.columns)
        assert_same_statistics(stats, X, y)
    halves = SufficientStats.from_arrays(X[:1234], y[:1234]).merge(
        SufficientStats.from_arrays(X[1234:], y[1234:]))
    assert_same_statistics(halves, X, y)


# -- MAP and posterior -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prior", "alpha"),
    [("gaussian", 50.0), ("laplace", 0.1), (bayesreg.ElasticNet(l1_ratio=0.4), 0.1)],
)
def test_map_from_dask_equals_in_memory(client, prior, alpha):
    import dask.array as da

    X, y = regression_data()
    X_dask = da.from_array(X.to_numpy(), chunks=(700, 5))
    y_dask = da.from_array(y.to_numpy(), chunks=900)  # rechunked like X
    ref = bayesreg.map_estimate(X, y, prior, alpha=alpha)
    stats = SufficientStats.from_dask(X_dask, y_dask)
    for est in (bayesreg.map_estimate(X_dask, y_dask, prior, alpha=alpha),
                bayesreg.map_estimate(stats, prior=prior, alpha=alpha),
                bayesreg.fit(stats, prior=prior, alpha=alpha, method="map").map):
        assert relative(est.coef, ref.coef) <= 1e-9
        assert est.intercept == pytest.approx(ref.intercept, rel=1e-9)
        np.testing.assert_array_equal(est.coef == 0, ref.coef == 0)
    if prior == "laplace":
        assert (ref.coef == 0).sum() >= 2
    path = bayesreg.map_path(stats, prior=prior, n_alphas=8)
    ref_path = bayesreg.map_path(X, y, prior, n_alphas=8)
    np.testing.assert_allclose(path.alphas, ref_path.alphas, rtol=1e-9)
    assert relative(path.coef, ref_path.coef) <= 1e-9
    np.testing.assert_array_equal(path.coef == 0, ref_path.coef == 0)


def test_exact_posterior_from_statistics_equals_in_memory(client):
    """Gaussian prior with a fixed scale: the closed-form draws with the same seed are the same
    numbers (the statistics agree to rounding)."""
    import dask.array as da

    X, y = regression_data()
    stats = SufficientStats.from_dask(da.from_array(X.to_numpy(), chunks=(1000, 10)),
                                      da.from_array(y.to_numpy(), chunks=1000))
    settings = [dict(scale=2.0, sigma=2.0), dict(alpha=3.0)]  # sigma fixed; sigma unknown (tied)
    for kwargs in settings:
        common = dict(prior="gaussian", draws=500, chains=2, random_seed=SEED, progressbar=False,
                      **kwargs)
        ref = bayesreg.fit(X, y, **common)
        res = bayesreg.fit(stats, log_likelihood=False, **common)
        assert res.sampler == ref.sampler == "exact"
        for name in ref.idata.posterior.data_vars:
            assert relative(res.idata.posterior[name].values, ref.idata.posterior[name].values) <= 1e-10


def test_gibbs_posterior_from_statistics_matches_in_memory(client):
    """Laplace prior, random scale and σ: posterior means and sds agree within Monte Carlo error."""
    import arviz as az
    import dask.array as da

    X, y = regression_data(n=3000, p=6)
    stats = SufficientStats.from_dask(da.from_array(X.to_numpy(), chunks=(500, 6)),
                                      da.from_array(y.to_numpy(), chunks=500))
    common = dict(prior="laplace", draws=1000, tune=300, chains=2, progressbar=False)
    ref = bayesreg.fit(X, y, random_seed=SEED, **common)
    res = bayesreg.fit(stats, random_seed=SEED + 1, log_likelihood=False, **common)
    assert res.sampler == ref.sampler == "gibbs"
    for name in ("intercept", "coef", "sigma", "coef_scale"):
        a, b = res.idata.posterior[[name]], ref.idata.posterior[[name]]
        means = [d[name].mean(("chain", "draw")).values for d in (a, b)]
        sds = [d[name].std(("chain", "draw")).values for d in (a, b)]
        mcse = np.hypot(*(az.mcse(d, method="mean")[name].values for d in (a, b)))
        assert np.all(np.abs(means[0] - means[1]) <= 4 * mcse)
        # Monte Carlo error of an sd: sd / sqrt(2 ESS) (Gaussian approximation)
        sd_mcse = np.hypot(*(sd / np.sqrt(2 * az.ess(d, method="bulk")[name].values)
                             for sd, d in zip(sds, (a, b), strict=True)))
        assert np.all(np.abs(sds[0] - sds[1]) <= 4 * sd_mcse)


# -- what a fit without rows has and has not -----------------------------------------------------


def test_one_warning_for_what_needs_every_row(client, tmp_path):
    import dask.array as da

    X, y = regression_data(n=2000, p=4)
    X_dask = da.from_array(X.to_numpy(), chunks=(500, 4))
    y_dask = da.from_array(y.to_numpy(), chunks=500)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = bayesreg.fit(X_dask, y_dask, prior="laplace", draws=300, tune=200, chains=2,
                           random_seed=SEED, progressbar=False, warn_convergence=False)
    ours = [w for w in caught if issubclass(w.category, BayesregWarning)]
    assert len(ours) == 1
    message = str(ours[0].message)
    assert "sufficient statistics" in message and "log-likelihood" in message
    assert ours[0].filename == __file__  # points at the caller
    assert "log_likelihood" not in res.idata.groups()
    assert "observed_data" not in res.idata.groups()
    assert res.predict(X.to_numpy()[:5], kind="predictive", random_seed=1).shape == (600, 5)
    loaded = bayesreg.load(res.to_netcdf(tmp_path / "fit.nc"))
    np.testing.assert_array_equal(loaded.idata.posterior["coef"].values, res.idata.posterior["coef"].values)
    with pytest.raises(ValueError, match="needs every row"):
        bayesreg.fit(X_dask, y_dask, prior="laplace", log_likelihood=True, progressbar=False)
    with pytest.raises(ValueError, match="needs every row"):  # refused before the pass over the rows
        bayesreg.fit(X_dask, y_dask, prior=bayesreg.ElasticNet(alpha=0.1), progressbar=False)
    stats = SufficientStats.from_dask(X_dask, y_dask)
    with pytest.raises(TypeError, match="needs the data in memory"):
        bayesreg.compare_priors(stats, None)
    with pytest.raises(TypeError, match="y must be omitted"):
        bayesreg.fit(stats, y.to_numpy())


def test_predict_on_dask_rows_is_lazy_and_equal(client):
    import dask.array as da
    import dask.dataframe as dd

    X, y = regression_data(n=1500, p=5)
    res = bayesreg.fit(X, y, prior="gaussian", alpha=1.0, draws=200, chains=2, random_seed=SEED,
                       progressbar=False, warn_convergence=False)
    X_new = X.iloc[:700]
    for lazy in (da.from_array(X_new.to_numpy(), chunks=(128, 5)), dd.from_pandas(X_new, npartitions=3)):
        for kind in ("mean", "map", "draws"):
            pred = res.predict(lazy, kind=kind)
            assert isinstance(pred, da.Array)
            assert relative(pred.compute(), res.predict(X_new, kind=kind)) <= 1e-12
        noisy = res.predict(lazy, kind="predictive", random_seed=5)
        assert isinstance(noisy, da.Array)
        np.testing.assert_array_equal(noisy.compute(), res.predict(lazy, kind="predictive",
                                                                   random_seed=5).compute())
        assert noisy.compute().shape == (400, 700)
    with pytest.raises(ValueError, match="do not match"):
        res.predict(dd.from_pandas(X_new[X_new.columns[::-1]], npartitions=2))


# -- refusals and the optional dependency ---------------------------------------------------------


def test_statistics_refuse_what_they_cannot_describe():
    rng = np.random.default_rng(SEED)
    with pytest.raises(ValueError, match="n_samples >= n_features"):
        SufficientStats.from_arrays(rng.standard_normal((5, 8)), rng.standard_normal(5))
    X = rng.standard_normal((50, 3))
    X[:, 2] = 0.7
    stats = SufficientStats.from_arrays(X, np.full(50, 2.5))
    assert stats.constant_columns() == [2] and stats.y_is_constant and stats.yy == 0.0
    with pytest.warns(BayesregWarning, match=r"constant column\(s\) \['x2'\]"), \
            pytest.raises(ValueError, match="y is constant"):
        bayesreg.fit(stats, prior="gaussian", alpha=1.0, progressbar=False)
    with pytest.raises(TypeError, match="each batch must be a pair"):
        SufficientStats.from_batches([pd.DataFrame(X)])
    frames = [pd.DataFrame(X[:25], columns=list("abc")), pd.DataFrame(X[25:], columns=list("abd"))]
    with pytest.raises(ValueError, match="columns"):
        SufficientStats.from_batches((f, np.ones(len(f))) for f in frames)


def test_import_error_names_the_extra(monkeypatch):
    for name in [m for m in sys.modules if m == "dask" or m.startswith("dask.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r'pip install "bayesreg\[dask\]"'):
        SufficientStats.from_dask(np.zeros((4, 2)), np.zeros(4))


def test_import_stays_light():
    code = ("import sys, numpy as np, bayesreg; s = bayesreg.SufficientStats.from_arrays("
            "np.random.default_rng(0).standard_normal((20, 2)), np.arange(20.0)); "
            "bayesreg.map_estimate(s, prior='gaussian', alpha=1.0); "
            "print([m for m in ('dask', 'distributed', 'pyarrow') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
