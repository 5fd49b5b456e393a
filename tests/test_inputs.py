"""Real inputs: polars and pandas nullable frames, scipy.sparse designs, private copies of the data,
the same draws whatever the memory layout, and a warning for constant or duplicated columns."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import bayesreg
from bayesreg import sampling
from bayesreg._validation import DENSIFY_LIMIT, check_Xy, degenerate_columns
from bayesreg.exceptions import BayesregWarning

SHORT = {"draws": 50, "tune": 50, "chains": 1, "progressbar": False, "warn_convergence": False}


@pytest.fixture(scope="module")
def diabetes_arrays():
    X, y = bayesreg.datasets.load_diabetes()
    return np.array(X, dtype=float), np.array(y, dtype=float)


@pytest.fixture(scope="module")
def sparse_problem():
    """300 x 20, 30 % nonzero, columns with nonzero means (so centring matters)."""
    rng = np.random.default_rng(7)
    X = sparse.random_array((300, 20), density=0.3, format="csr", rng=rng,
                            data_sampler=lambda size: rng.normal(1.0, 1.0, size))
    y = X @ np.r_[3.0, -2.0, 1.5, np.zeros(17)] + rng.standard_normal(300)
    return X, y


# ---------------------------------------------------------------------------------------------
# polars and pandas nullable dtypes


def test_polars_frame_and_series(diabetes_arrays):
    pl = pytest.importorskip("polars")
    X, y = diabetes_arrays
    names = [f"f{j}" for j in range(X.shape[1])]
    frame = pl.DataFrame({name: X[:, j] for j, name in enumerate(names)})
    res = bayesreg.fit(frame, pl.Series("target", y), alpha=0.1, method="map")
    ref = bayesreg.fit(X, y, alpha=0.1, method="map")
    assert res.feature_names == tuple(names)
    np.testing.assert_array_equal(res.map.coef, ref.map.coef)
    np.testing.assert_array_equal(res.predict(frame), ref.predict(X))
    with pytest.raises(ValueError, match="X_new columns"):
        res.predict(frame.rename({"f0": "zz"}))


def test_polars_y_as_one_column_frame_and_integer_columns():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1, 2, 3, 4, 6], "b": [True, False, True, True, False],
                          "c": [0.5, 0.1, 0.9, 0.3, 0.2]})
    data = check_Xy(frame, pl.DataFrame({"y": [1.0, 2.0, 3.0, 5.0, 4.0]}))
    assert data.feature_names == ("a", "b", "c")
    np.testing.assert_array_equal(data.X[:, 1], [1.0, 0.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(data.y, [1.0, 2.0, 3.0, 5.0, 4.0])
    with pytest.raises(ValueError, match="y must be 1-D; got a DataFrame with 2 columns"):
        check_Xy(frame, pl.DataFrame({"y": [1.0] * 5, "z": [2.0] * 5}))


def test_polars_nulls_give_the_nan_error():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1, 2, None, 4], "b": [1.0, 2.5, 3.0, 1.0]})
    with pytest.raises(ValueError, match=r"^X contains 1 NaN or infinite value\(s\)"):
        check_Xy(frame, [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match=r"^y contains 1 NaN or infinite value\(s\)"):
        check_Xy(frame.fill_null(0), pl.Series([1.0, None, 3.0, 4.0]))


def test_polars_non_numeric_refused():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1.0, 2.0, 3.0], "s": ["u", "v", "w"]})
    with pytest.raises(TypeError, match=r"X has non-numeric columns \['s'\]"):
        check_Xy(frame, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="y must be numeric; got dtype String"):
        check_Xy(frame.select("a"), pl.Series(["a", "b", "c"]))


def test_pandas_nullable_dtypes():
    frame = pd.DataFrame({
        "a": pd.array([1, 2, 3, 4, 6], dtype="Int64"),
        "b": pd.array([0.5, 0.1, 0.9, 0.3, 0.2], dtype="Float64"),
        "c": pd.array([True, False, True, True, False], dtype="boolean"),
    })
    y = pd.Series([1.0, 2.0, 3.0, 5.0, 4.0], dtype="Float64")
    data = check_Xy(frame, y)
    expected = np.array([[1, 0.5, 1], [2, 0.1, 0], [3, 0.9, 1], [4, 0.3, 1], [6, 0.2, 0]])
    np.testing.assert_array_equal(data.X, expected)
    np.testing.assert_array_equal(data.y, [1.0, 2.0, 3.0, 5.0, 4.0])
    assert data.feature_names == ("a", "b", "c")
    for column in ("a", "b", "c"):
        holed = frame.copy()
        holed.loc[2, column] = pd.NA
        with pytest.raises(ValueError, match=r"^X contains 1 NaN or infinite value\(s\)"):
            check_Xy(holed, y)
    y_holed = y.copy()
    y_holed[1] = pd.NA
    with pytest.raises(ValueError, match=r"^y contains 1 NaN or infinite value\(s\)"):
        check_Xy(frame, y_holed)


# ---------------------------------------------------------------------------------------------
# scipy.sparse designs


@pytest.mark.parametrize("prior", ["gaussian", "laplace", "elasticnet"])
@pytest.mark.parametrize("kind", ["csr_array", "csc_matrix", "coo_array"])
def test_sparse_map_equals_dense(sparse_problem, prior, kind):
    X, y = sparse_problem
    Xs = getattr(sparse, kind)(X)
    if prior == "elasticnet":
        args = {"prior": bayesreg.ElasticNet(alpha=0.05, l1_ratio=0.5)}
    else:
        args = {"prior": prior, "alpha": 2.0 if prior == "gaussian" else 0.05}
    sparse_map = bayesreg.map_estimate(Xs, y, **args)
    dense_map = bayesreg.map_estimate(X.toarray(), y, **args)
    np.testing.assert_allclose(sparse_map.coef, dense_map.coef, rtol=0, atol=1e-10)
    assert abs(sparse_map.intercept - dense_map.intercept) < 1e-10
    np.testing.assert_array_equal(sparse_map.coef == 0, dense_map.coef == 0)
    if prior != "gaussian":
        assert np.count_nonzero(sparse_map.coef == 0) > 0  # the comparison covers exact zeros


def test_sparse_map_equals_sklearn(sparse_problem):
    from sklearn.linear_model import Lasso, Ridge

    X, y = sparse_problem
    lasso = Lasso(alpha=0.05, tol=1e-12, max_iter=1_000_000).fit(X, y)
    ours = bayesreg.map_estimate(X, y, "laplace", alpha=0.05)
    np.testing.assert_allclose(ours.coef, lasso.coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.intercept, lasso.intercept_, rtol=1e-6)
    np.testing.assert_array_equal(ours.coef == 0, lasso.coef_ == 0)
    ridge = Ridge(alpha=2.0, tol=1e-12).fit(X, y)
    ours = bayesreg.map_estimate(X, y, "gaussian", alpha=2.0)
    np.testing.assert_allclose(ours.coef, ridge.coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.intercept, ridge.intercept_, rtol=1e-6)


@pytest.mark.parametrize("prior", ["gaussian", "laplace"])
def test_sparse_map_path_equals_dense(sparse_problem, prior):
    X, y = sparse_problem
    sparse_path = bayesreg.map_path(X, y, prior, n_alphas=8)
    dense_path = bayesreg.map_path(X.toarray(), y, prior, n_alphas=8)
    np.testing.assert_allclose(sparse_path.alphas, dense_path.alphas, rtol=1e-12)
    np.testing.assert_allclose(sparse_path.coef, dense_path.coef, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(sparse_path.coef == 0, dense_path.coef == 0)


@pytest.mark.parametrize(("prior", "options"), [
    ("laplace", {"sampler": "gibbs"}),
    ("gaussian", {"sampler": "exact", "scale": 1.0, "sigma": 1.0}),
])
def test_sparse_fit_draws_match_dense(sparse_problem, prior, options):
    X, y = sparse_problem
    draws = [
        bayesreg.fit(design, y, prior, random_seed=3, **options, **SHORT).idata.posterior["coef"].values
        for design in (X, X.toarray())
    ]
    # the sparse sufficient statistics are X'X - n x̄x̄' instead of (X - x̄)'(X - x̄): equal up to
    # rounding (1e-15), so the draws agree to rounding, not bit for bit
    np.testing.assert_allclose(draws[0], draws[1], rtol=1e-10, atol=1e-12)


def test_sparse_predict(sparse_problem):
    X, y = sparse_problem
    res = bayesreg.fit(X, y, "laplace", random_seed=0, **SHORT)
    for kind in ("mean", "draws", "map"):
        np.testing.assert_allclose(res.predict(X, kind=kind), res.predict(X.toarray(), kind=kind),
                                   rtol=1e-12, atol=1e-12)


def test_sparse_y_vector(sparse_problem):
    X, y = sparse_problem
    for vector in (sparse.csr_array(y[:, None]), sparse.csr_matrix(y[None, :])):
        np.testing.assert_array_equal(check_Xy(X, vector).y, y)


def test_sparse_wide_is_densified():
    rng = np.random.default_rng(2)
    X = sparse.random_array((30, 60), density=0.3, format="csr", rng=rng)
    y = rng.standard_normal(30)
    sparse_map = bayesreg.map_estimate(X, y, "laplace", alpha=0.01)
    dense_map = bayesreg.map_estimate(X.toarray(), y, "laplace", alpha=0.01)
    np.testing.assert_allclose(sparse_map.coef, dense_map.coef, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(sparse_map.coef == 0, dense_map.coef == 0)


def test_sparse_too_large_to_densify_is_refused():
    n, p = 100, DENSIFY_LIMIT // 100 + 1  # wide: the p > n solvers keep a dense centred X
    X = sparse.random_array((n, p), density=2e-5, format="csr", rng=0)
    y = np.arange(n, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BayesregWarning)  # empty columns are constant
        with pytest.raises(ValueError, match=r"sparse.*too large to densify.*method='map' or "
                                             r"sampler='gibbs' with n >= p"):
            bayesreg.map_estimate(X, y, "laplace", alpha=1.0)
    data = check_Xy(X, y)
    resolved = bayesreg.priors.resolve_prior("laplace", alpha=1.0, X=data.X, y=data.y)
    from bayesreg.likelihoods import get_likelihood

    with pytest.raises(ValueError, match=r"sparse.*NUTS.*too large to densify"):
        sampling._model_key(data, resolved, get_likelihood())  # the nutpie cache key needs dense X


def test_sparse_nuts_model_uses_dense_design(sparse_problem):
    pytest.importorskip("pymc")
    from bayesreg.model import pymc_model as build_model

    X, y = sparse_problem
    data = check_Xy(X, y)
    resolved = bayesreg.priors.resolve_prior("laplace", alpha=0.05, X=data.X, y=data.y)
    model = build_model(data, resolved)
    np.testing.assert_array_equal(model["X"].get_value(), X.toarray())


def test_sparse_nonfinite_refused(sparse_problem):
    X, y = sparse_problem
    bad = X.copy()
    bad.data[[3, 10]] = [np.nan, np.inf]
    with pytest.raises(ValueError, match=r"^X contains 2 NaN or infinite value\(s\)"):
        bayesreg.fit(bad, y, alpha=0.1, method="map")


def test_sparse_input_not_modified_nor_shared():
    # non-canonical inputs: a COO matrix with a repeated entry, a CSR matrix with unsorted indices
    coo = sparse.coo_matrix(([1.0, 2.0, 3.0, 4.0], ([0, 0, 1, 2], [1, 1, 0, 2])), shape=(3, 3))
    csr = sparse.csr_matrix((np.array([5.0, 6.0]), np.array([2, 0]), np.array([0, 2, 2, 2])),
                            shape=(3, 3))
    for matrix in (coo, csr):
        dense, stored = matrix.toarray(), matrix.data.copy()
        data = check_Xy(matrix, [1.0, 2.0, 3.0])
        np.testing.assert_array_equal(data.X.toarray(), dense)
        np.testing.assert_array_equal(matrix.data, stored)
        assert matrix.nnz == stored.size  # not canonicalised in place
        assert not np.shares_memory(matrix.data, data.X.data)
        assert not data.X.data.flags.writeable


# ---------------------------------------------------------------------------------------------
# private copies and memory layout


def test_results_own_their_data(diabetes_arrays):
    X, y = (a.copy() for a in diabetes_arrays)
    res = bayesreg.fit(X, y, "laplace", random_seed=0, **SHORT)
    observed = res.idata.observed_data["y"].values.copy()
    y[:] = 0.0
    X[:] = 0.0
    np.testing.assert_array_equal(res.idata.observed_data["y"].values, observed)


@pytest.mark.parametrize("kind", ["numpy", "fortran", "int", "pandas", "polars"])
def test_check_Xy_returns_private_c_copies(diabetes_arrays, kind):
    X, y = diabetes_arrays
    if kind == "fortran":
        X = np.asfortranarray(X)
    elif kind == "int":
        X = np.round(X * 100).astype(np.int64)
    elif kind == "pandas":
        X, y = pd.DataFrame(X), pd.Series(y)
    elif kind == "polars":
        pl = pytest.importorskip("polars")
        X, y = pl.DataFrame(X), pl.Series(y)
    data = check_Xy(X, y)
    for arr in (data.X, data.y):
        assert arr.dtype == np.float64 and arr.flags.c_contiguous and not arr.flags.writeable
    for mine, theirs in ((data.X, X), (data.y, y)):
        theirs = theirs if isinstance(theirs, np.ndarray) else theirs.to_numpy()
        assert not np.shares_memory(mine, theirs)
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize(("prior", "options"), [
    ("laplace", {"sampler": "gibbs"}),
    ("gaussian", {"sampler": "exact", "scale": 1.0, "sigma": 1.0}),
])
def test_same_draws_whatever_the_layout(diabetes_arrays, prior, options):
    X, y = diabetes_arrays
    coef = [
        bayesreg.fit(design, y, prior, random_seed=1, **options, **SHORT).idata.posterior["coef"].values
        for design in (X, np.asfortranarray(X))
    ]
    assert np.array_equal(coef[0], coef[1])


def test_same_map_whatever_the_layout(diabetes_arrays):
    X, y = diabetes_arrays
    for prior, alpha in (("laplace", 0.1), ("gaussian", 1.0)):
        c_map = bayesreg.map_estimate(X, y, prior, alpha=alpha)
        f_map = bayesreg.map_estimate(np.asfortranarray(X), y, prior, alpha=alpha)
        assert np.array_equal(c_map.coef, f_map.coef) and c_map.intercept == f_map.intercept


# ---------------------------------------------------------------------------------------------
# constant and duplicated columns


def _degenerate_design(diabetes_arrays):
    X, y = diabetes_arrays
    Z = np.column_stack([X, np.full(X.shape[0], 3.0), X[:, 1], -X[:, 4] * -1.0])
    return Z, y  # x10 constant; x1 == x11; x4 == x12


@pytest.mark.parametrize("entry", ["fit", "map_estimate", "map_path"])
def test_degenerate_columns_warn_once(diabetes_arrays, entry):
    Z, y = _degenerate_design(diabetes_arrays)
    call = {
        "fit": lambda: bayesreg.fit(Z, y, "laplace", alpha=0.1, method="map"),
        "map_estimate": lambda: bayesreg.map_estimate(Z, y, "laplace", alpha=0.1),
        "map_path": lambda: bayesreg.map_path(Z, y, "laplace", n_alphas=3),
    }[entry]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    ours = [w for w in caught if issubclass(w.category, BayesregWarning)]
    assert len(ours) == 1, [str(w.message) for w in ours]
    message = str(ours[0].message)
    assert "constant column(s) ['x10']" in message
    assert "duplicated column(s) [('x1', 'x11'), ('x4', 'x12')]" in message
    assert "Lasso solution is not unique" in message
    assert ours[0].filename == __file__  # points at the caller


def test_no_warning_for_clean_data(diabetes_arrays):
    X, y = diabetes_arrays
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bayesreg.map_estimate(X, y, "laplace", alpha=0.1)
        bayesreg.map_path(X, y, "gaussian", n_alphas=3)


def test_degenerate_columns_sparse_and_signed_zeros():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((50, 6))
    X[:, 2] = 0.0
    X[:, 3] = X[:, 0]
    X[::2, 4], X[1::2, 4] = 0.0, 1.0
    X[:, 5] = np.where(X[:, 4] == 0.0, -0.0, 1.0)  # equal to column 4 (-0.0 == 0.0)
    expected = ([2], [(0, 3), (4, 5)])
    assert degenerate_columns(X) == expected
    assert degenerate_columns(sparse.csc_array(X)) == expected
    full = np.column_stack([X, np.full(50, 2.5)])  # a constant column with no zeros
    assert degenerate_columns(sparse.csr_array(full))[0] == [2, 6]


def test_degenerate_columns_many_features():
    # pairwise comparison would be 2·10⁸ column pairs here; hashing finds the planted ones
    rng = np.random.default_rng(5)
    X = (rng.random((300, 20_000)) < 0.02).astype(float)  # binary: many columns agree on samples
    X[:, 17_000] = X[:, 123]
    X[:, 5] = 0.0
    constant, duplicated = degenerate_columns(X)
    assert 5 in constant
    assert (123, 17_000) in duplicated
    for group in duplicated:
        assert all(np.array_equal(X[:, group[0]], X[:, j]) for j in group[1:])
    assert degenerate_columns(sparse.csr_array(X)) == (constant, duplicated)
