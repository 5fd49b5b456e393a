"""Input checks shared by every public entry point.

Everything here runs before a model is built and never modifies what the user passed: the
validated data are private read-only copies (C-contiguous float64 arrays, or a canonical
``scipy.sparse.csr_array`` for a sparse design), so results never change when the user's arrays
do, and the same data give the same numbers whatever their memory layout.
"""

from __future__ import annotations

import math
import numbers
import sys
import warnings
from dataclasses import dataclass

import numpy as np

from .exceptions import BayesregWarning

__all__ = ["Data", "check_X_new", "check_Xy", "check_data", "check_positive"]

DENSIFY_LIMIT = 50_000_000  # a sparse design with n * p up to this may be made dense
_SAMPLE_ROWS = 256  # rows that screen columns before the exact degenerate-column checks
_CHUNK_VALUES = 1 << 20  # values per block of the exact checks (8 MB)
_MAX_NAMED = 10  # column names listed in a warning


@dataclass(frozen=True)
class Data:
    """Validated regression data and feature names.

    ``X`` is a private, read-only, C-contiguous float64 array, or a ``scipy.sparse.csr_array``
    (float64, canonical, read-only buffers) when a sparse matrix was given; ``y`` is a private,
    read-only float64 vector. Code that needs a dense design calls :meth:`dense_X`.

    Data known only through their sufficient statistics (dask data, streamed batches) have
    ``X = y = None`` and ``stats`` set (a :class:`~bayesreg.SufficientStats`).
    """

    X: np.ndarray | None
    y: np.ndarray | None
    feature_names: tuple[str, ...]
    stats: object = None

    @property
    def n_samples(self) -> int:
        return self.X.shape[0] if self.stats is None else self.stats.n_samples

    @property
    def n_features(self) -> int:
        return self.X.shape[1] if self.stats is None else self.stats.n_features

    @property
    def has_rows(self) -> bool:
        """False when only the sufficient statistics are known."""
        return self.X is not None

    def spreads(self) -> tuple[np.ndarray, float]:
        """Population sds of the columns of X and of y."""
        if self.stats is not None:
            return self.stats.x_sd, self.stats.y_sd
        return spreads(self.X, self.y)

    @property
    def is_sparse(self) -> bool:
        return is_sparse(self.X)

    def dense_X(self, purpose: str = "this computation") -> np.ndarray:
        """``X`` as a dense array: ``X`` itself, or a sparse ``X`` made dense once (see
        :func:`dense_array`; ValueError naming ``purpose`` when it is too large)."""
        if not self.has_rows:
            raise ValueError(rows_needed(purpose))
        if not self.is_sparse:
            return self.X
        dense = self.__dict__.get("_dense_X")
        if dense is None:
            dense = dense_array(self.X, purpose)
            object.__setattr__(self, "_dense_X", dense)
        return dense

    def warn_degenerate(self, stacklevel: int = 2) -> None:
        """One :class:`~bayesreg.BayesregWarning` naming constant and duplicated columns, if any."""
        if self.stats is not None:
            self.stats.warn_degenerate(stacklevel=stacklevel + 1)
        else:
            warn_degenerate_columns(self.X, self.feature_names, stacklevel=stacklevel + 1)


def check_grid(values, name: str) -> np.ndarray:
    """A grid of penalties (``alphas``, ``Cs``): a non-empty 1-D float array of finite positive
    numbers, in the order given (TypeError if not numbers, ValueError if not positive)."""
    try:
        grid = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a 1-D sequence of positive numbers; got {values!r}") from exc
    if grid.ndim != 1 or grid.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of positive numbers")
    if not np.all(np.isfinite(grid)) or np.any(grid <= 0):
        raise ValueError(f"{name} must all be finite and positive")
    return grid


def rows_needed(purpose: str) -> str:
    """The message for a computation that needs the rows of data known only by their statistics."""
    return (f"{purpose} needs every row of the data, but these data are known only through their "
            "sufficient statistics (a SufficientStats, or dask data reduced to one); use the data in "
            "memory for this")


def is_sparse(obj) -> bool:
    """True for scipy.sparse matrices and arrays (scipy is not imported for anything else)."""
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(obj)


def dense_array(X, purpose: str = "this computation") -> np.ndarray:
    """``X`` itself when dense; a sparse ``X`` as a read-only dense array if n·p <= 5·10⁷.

    Raises ValueError (naming ``purpose``) for a larger sparse ``X``.
    """
    if not is_sparse(X):
        return X
    n, p = X.shape
    if n * p > DENSIFY_LIMIT:
        raise ValueError(
            f"X is a scipy.sparse matrix of shape ({n}, {p}) that {purpose} would have to make "
            f"dense, but it is too large to densify (n * p = {n * p:.3g} > 5e7); use method='map' or "
            "sampler='gibbs' with n >= p, which work on the sparse X through its sufficient "
            "statistics"
        )
    dense = np.ascontiguousarray(X.toarray(), dtype=np.float64)
    dense.flags.writeable = False
    return dense


def column_moments(X, chunk_rows: int = 65_536) -> tuple[np.ndarray, np.ndarray]:
    """Column means and population sds of ``X``, without overflow for entries up to 1e308.

    Each column is divided by its largest absolute value before squaring (chunked over rows for
    dense X, so no copy of X is made).
    """
    if is_sparse(X):
        X = X.tocsc()
        n = X.shape[0]
        peak = np.asarray(abs(X).max(axis=0).todense()).ravel()
        peak = np.where(peak > 0, peak, 1.0)
        scaled = X @ _diag_inverse(peak)
        mean_s = np.asarray(scaled.mean(axis=0)).ravel()
        sq = np.asarray(scaled.multiply(scaled).mean(axis=0)).ravel()
        var_s = np.maximum(sq - mean_s**2, 0.0)
        return mean_s * peak, np.sqrt(var_s) * peak
    n = X.shape[0]
    peak = np.abs(X).max(axis=0) if n <= chunk_rows else np.max(
        [np.abs(X[s:s + chunk_rows]).max(axis=0) for s in range(0, n, chunk_rows)], axis=0)
    peak = np.where(peak > 0, peak, 1.0)
    total = np.zeros(X.shape[1])
    for s in range(0, n, chunk_rows):
        total += (X[s:s + chunk_rows] / peak).sum(axis=0)
    mean_s = total / n
    sq = np.zeros(X.shape[1])
    for s in range(0, n, chunk_rows):
        dev = X[s:s + chunk_rows] / peak - mean_s
        sq += np.einsum("ij,ij->j", dev, dev)
    return mean_s * peak, np.sqrt(sq / n) * peak


def _diag_inverse(values: np.ndarray):
    from scipy import sparse

    return sparse.diags(1.0 / values)


def rms(values: np.ndarray) -> float:
    """Root mean square of non-negative ``values`` without overflow (0.0 when all are 0)."""
    peak = float(np.max(values)) if values.size else 0.0
    if not np.isfinite(peak) or peak <= 0:
        return 0.0
    return peak * math.sqrt(float(np.mean((values / peak) ** 2)))


def column_std(X) -> np.ndarray:
    """Population standard deviation of every column (like ``X.std(axis=0)``, without overflow);
    ``X`` may be sparse."""
    return column_moments(X)[1]


def spreads(X, y) -> tuple[np.ndarray, float]:
    """Population sds of the columns of ``X`` (may be sparse) and of ``y``, without overflow."""
    return column_std(X), float(column_std(np.asarray(y, dtype=float).reshape(-1, 1))[0])


def _is_dataframe(obj) -> bool:
    return hasattr(obj, "columns") and hasattr(obj, "dtypes") and hasattr(obj, "iloc")


def _is_polars(obj) -> bool:
    return type(obj).__module__.split(".")[0] == "polars"


def _is_polars_frame(obj) -> bool:
    return _is_polars(obj) and hasattr(obj, "columns") and hasattr(obj, "width")


def _column_names(obj) -> tuple[str, ...] | None:
    if _is_dataframe(obj) or _is_polars_frame(obj):
        return tuple(str(c) for c in obj.columns)
    return None


def _polars_to_float(obj, name: str) -> np.ndarray:
    """A polars DataFrame or Series as a new float64 array (nulls become NaN)."""
    import polars as pl

    def numeric(dtype) -> bool:
        return dtype == pl.Boolean or dtype.is_numeric()

    if _is_polars_frame(obj):
        bad = [str(c) for c, dt in zip(obj.columns, obj.dtypes, strict=True) if not numeric(dt)]
        if bad:
            raise TypeError(
                f"{name} has non-numeric columns {bad}; encode them as numbers "
                "(e.g. DataFrame.to_dummies) before fitting"
            )
        return obj.cast(pl.Float64).to_numpy(order="c", writable=True)
    if not numeric(obj.dtype):
        raise TypeError(f"{name} must be numeric; got dtype {obj.dtype}")
    return obj.cast(pl.Float64).to_numpy(writable=True)


def _to_float_array(obj, name: str) -> tuple[np.ndarray, bool]:
    """``obj`` as a numeric ndarray, and whether that array is already a new float64 copy.

    Missing values of pandas nullable dtypes and polars nulls become NaN (refused later).
    """
    if _is_polars(obj) and type(obj).__name__ in ("DataFrame", "Series"):
        return _polars_to_float(obj, name), True
    if _is_dataframe(obj):
        bad = [str(c) for c, dt in obj.dtypes.items() if not _numeric_dtype(dt)]
        if bad:
            raise TypeError(
                f"{name} has non-numeric columns {bad}; encode them as numbers "
                "(e.g. pandas.get_dummies) before fitting"
            )
        nullable = any(not isinstance(dt, np.dtype) for dt in obj.dtypes)
        na = {"na_value": np.nan} if nullable else {}
        return obj.to_numpy(dtype=np.float64, **na), False
    if hasattr(obj, "dtype") and hasattr(obj, "to_numpy"):  # pandas Series
        if not _numeric_dtype(obj.dtype):
            raise TypeError(f"{name} must be numeric; got dtype {obj.dtype}")
        na = {} if isinstance(obj.dtype, np.dtype) else {"na_value": np.nan}
        return obj.to_numpy(dtype=np.float64, **na), False
    try:
        arr = np.asarray(obj)
    except Exception as exc:  # pragma: no cover - numpy raises many kinds
        raise TypeError(f"{name} must be array-like of numbers; got {type(obj).__name__}") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must contain numbers only; got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real-valued; got complex dtype {arr.dtype}")
    return arr, False


def _private_copy(arr: np.ndarray, fresh: bool) -> np.ndarray:
    """A read-only C-contiguous float64 array not shared with the user: ``arr`` itself if it is
    already a new such array, else one copy (converting the dtype in the same pass)."""
    if not (fresh and arr.dtype == np.float64 and arr.flags.c_contiguous and arr.flags.writeable):
        arr = np.array(arr, dtype=np.float64, order="C", copy=True)
    arr.flags.writeable = False  # bayesreg never writes to the data
    return arr


def _read_only_c_view(arr: np.ndarray) -> np.ndarray:
    """A read-only C-contiguous float64 view of ``arr`` (a copy only when the layout or dtype
    differs): for computations that keep nothing, so the numbers do not depend on the layout."""
    view = np.ascontiguousarray(arr, dtype=np.float64).view()
    view.flags.writeable = False
    return view


def _numeric_dtype(dtype) -> bool:
    try:
        np_dtype = np.dtype(dtype)
    except TypeError:
        # pandas extension dtypes (nullable Int64, Float64, boolean) are numeric if numpy says so
        kind = getattr(dtype, "kind", "O")
        return kind in "biuf"
    return np_dtype.kind in "biuf"


def _check_finite(arr: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(arr)):
        n_bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} contains {n_bad} NaN or infinite value(s); drop or impute them before fitting"
        )


def _not_2d(name: str, shape) -> ValueError:
    return ValueError(
        f"{name} must be 2-D (n_samples, n_features); got {len(shape)}-D with shape {shape}. "
        "Reshape a single feature with X.reshape(-1, 1)"
    )


def _check_sparse(X, name: str):
    """A scipy.sparse design as a private canonical read-only float64 ``csr_array``."""
    from scipy import sparse

    if X.ndim != 2:
        raise _not_2d(name, X.shape)
    dtype = X.dtype
    if not (np.issubdtype(dtype, np.number) or np.issubdtype(dtype, np.bool_)):
        raise TypeError(f"{name} must contain numbers only; got sparse dtype {dtype}")
    if np.issubdtype(dtype, np.complexfloating):
        raise TypeError(f"{name} must be real-valued; got complex sparse dtype {dtype}")
    out = sparse.csr_array(X, dtype=np.float64, copy=True)
    out.sum_duplicates()  # canonical: sorted indices, no repeated entries
    _check_finite(out.data, name)
    for buffer in (out.data, out.indices, out.indptr):
        buffer.flags.writeable = False
    return out


def check_X_2d(X, name: str = "X", private: bool = True) -> tuple[np.ndarray, tuple[str, ...]]:
    """Return a private read-only 2-D float64 array (C order; a ``csr_array`` for sparse input)
    and the feature names (DataFrame columns, else ``x0, x1, ...``).

    ``private=False`` (for a pass that only reads the data once) skips the private copy: a dense
    result is float64 in any memory layout and may share memory with ``X``.
    """
    if X is None:
        raise TypeError(f"{name} must be a 2-D array-like or DataFrame; got None")
    kind = out_of_core_kind(X)
    if kind is not None:
        raise TypeError(
            f"{name} is {kind}: this function needs the data in memory; bayesreg.fit, map_estimate "
            "and map_path take sufficient statistics and dask data (FitResult.predict takes dask "
            "X_new)"
        )
    names = _column_names(X)
    if is_sparse(X):
        arr = _check_sparse(X, name)
    else:
        arr, fresh = _to_float_array(X, name)
        if arr.ndim != 2:
            raise _not_2d(name, arr.shape)
    if 0 in arr.shape:
        raise ValueError(f"{name} is empty: shape {arr.shape}")
    if not is_sparse(arr):
        arr = _private_copy(arr, fresh) if private else _read_only_c_view(arr)
        _check_finite(arr, name)
    if names is None:
        names = tuple(f"x{j}" for j in range(arr.shape[1]))
    if len(set(names)) != len(names):
        raise ValueError(f"{name} has duplicated column names; rename them")
    return arr, names


def out_of_core_kind(obj) -> str | None:
    """'a SufficientStats' or 'a dask <type>' for data that are not in memory, else None."""
    from .stats import SufficientStats, is_dask_collection

    if isinstance(obj, SufficientStats):
        return "a SufficientStats"
    if is_dask_collection(obj):
        return f"a dask {type(obj).__name__}"
    return None


def check_data(X, y, private: bool = True) -> Data:
    """:func:`check_Xy`, or for a :class:`~bayesreg.SufficientStats` (with ``y`` None) or dask
    data (one pass on the active dask scheduler) a :class:`Data` holding only the statistics."""
    from .stats import SufficientStats, is_dask_collection

    if isinstance(X, SufficientStats):
        if y is not None:
            raise TypeError("y must be omitted (None) when X is a SufficientStats: the statistics "
                            "already describe y; give the prior by keyword (prior=...)")
        stats = X
    elif is_dask_collection(X) or is_dask_collection(y):
        stats = SufficientStats.from_dask(X, y)
    else:
        return check_Xy(X, y, private=private)
    return Data(X=None, y=None, feature_names=stats.feature_names, stats=stats)


def check_Xy(X, y, min_samples: int = 2, private: bool = True) -> Data:
    """Validate a design ``X`` and a response ``y``; the result holds private read-only copies
    (with ``private=False``: float64 arrays that may share memory with the input, see
    :func:`check_X_2d`)."""
    X_arr, names = check_X_2d(X, "X", private=private)
    if y is None:
        raise TypeError("y must be a 1-D array-like or Series; got None")
    if _is_dataframe(y):
        if y.shape[1] != 1:
            raise ValueError(f"y must be 1-D; got a DataFrame with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    elif _is_polars_frame(y):
        if y.width != 1:
            raise ValueError(f"y must be 1-D; got a DataFrame with {y.width} columns")
        y = y.to_series()
    if is_sparse(y):  # a sparse column or row vector; y is small, so it is dense from here on
        y = y.toarray()
        y = y.ravel() if y.ndim == 2 and 1 in y.shape else y
    y_arr, fresh = _to_float_array(y, "y")
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        y_arr = y_arr[:, 0]
    if y_arr.ndim != 1:
        raise ValueError(f"y must be 1-D (n_samples,); got shape {y_arr.shape}")
    y_arr = _private_copy(y_arr, fresh) if private else np.asarray(y_arr, dtype=np.float64)
    _check_finite(y_arr, "y")
    if y_arr.shape[0] != X_arr.shape[0]:
        raise ValueError(
            f"X and y have different numbers of samples: X has {X_arr.shape[0]} rows, "
            f"y has {y_arr.shape[0]} values"
        )
    if X_arr.shape[0] < min_samples:
        raise ValueError(f"X needs at least {min_samples} samples (rows); got {X_arr.shape[0]}")
    return Data(X=X_arr, y=y_arr, feature_names=names)


def check_X_new(X_new, feature_names: tuple[str, ...]) -> np.ndarray:
    """Validate a design for prediction against the fitted feature names (sparse stays sparse)."""
    arr, names = check_X_2d(X_new, "X_new")
    if arr.shape[1] != len(feature_names):
        raise ValueError(
            f"X_new has {arr.shape[1]} features but the model was fitted with {len(feature_names)}"
        )
    if _column_names(X_new) is not None and tuple(names) != tuple(feature_names):
        raise ValueError(
            f"X_new columns {list(names)} do not match the fitted features {list(feature_names)}"
        )
    return arr


# ---------------------------------------------------------------------------------------------
# constant and duplicated columns


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on uint64 values (wrapping arithmetic): a well-spread hash."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _value_bits(values: np.ndarray) -> np.ndarray:
    """Bits of float64 values with -0.0 made 0.0, so that equal numbers hash equally."""
    return np.ascontiguousarray(values + 0.0, dtype=np.float64).view(np.uint64)


def _block_fingerprints(block: np.ndarray, first_row: int) -> np.ndarray:
    """Per column of a block of rows: a hash of (row, value) pairs, summed (order-free)."""
    rows = np.arange(first_row, first_row + block.shape[0], dtype=np.uint64)
    weights = _mix(rows + np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)
    return (_mix(_value_bits(block)) * weights[:, None]).sum(axis=0, dtype=np.uint64)


def _equal_groups(columns: np.ndarray, fingerprints: np.ndarray, same) -> list[tuple[int, ...]]:
    """Groups (of two or more) of ``columns`` that ``same(i, j)`` confirms are equal; only columns
    with equal fingerprints are compared, so the work is linear in the columns."""
    order = np.argsort(fingerprints, kind="stable")
    columns, fingerprints = columns[order], fingerprints[order]
    starts = np.flatnonzero(np.r_[True, fingerprints[1:] != fingerprints[:-1]])
    lengths = np.diff(np.r_[starts, fingerprints.size])
    groups = []
    for start, length in zip(starts[lengths > 1], lengths[lengths > 1], strict=True):
        left = sorted(int(j) for j in columns[start:start + length])
        while len(left) > 1:
            first, others = left[0], left[1:]
            match = [j for j in others if same(first, j)]
            if match:
                groups.append((first, *match))
            left = [j for j in others if j not in match]
    return sorted(groups)


def _degenerate_dense(X: np.ndarray) -> tuple[list[int], list[tuple[int, ...]]]:
    n = X.shape[0]
    # screen on a few rows: a column that varies there is not constant, and columns that differ
    # there are not equal; only the rest are checked on every row
    if n <= _SAMPLE_ROWS:
        sample = X  # every row: no copy
    else:
        sample = X[np.unique(np.linspace(0, n - 1, _SAMPLE_ROWS).round().astype(np.intp))]
    maybe_constant = np.all(sample == sample[0], axis=0)
    # columns equal on the sample rows have equal keys: their value bits weighted by (odd,
    # well-mixed) row weights and summed in wrapping integer arithmetic — exact, order-free
    weights = _mix(np.arange(sample.shape[0], dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    keys = (_value_bits(sample) * (weights | np.uint64(1))[:, None]).sum(axis=0, dtype=np.uint64)
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    candidates = np.flatnonzero(maybe_constant | (counts[inverse] > 1))
    if candidates.size == 0:
        return [], []
    first = X[0, candidates]
    constant = np.ones(candidates.size, dtype=bool)
    prints = np.zeros(candidates.size, dtype=np.uint64)
    step = max(1, _CHUNK_VALUES // candidates.size)
    for start in range(0, n, step):
        block = X[start:start + step, candidates]
        constant &= np.all(block == first, axis=0)
        prints += _block_fingerprints(block, start)
    varying = ~constant
    groups = _equal_groups(candidates[varying], prints[varying],
                           lambda i, j: bool(np.array_equal(X[:, i], X[:, j])))
    return [int(j) for j in candidates[constant]], groups


def _degenerate_sparse(X) -> tuple[list[int], list[tuple[int, ...]]]:
    n, p = X.shape
    csc = X.tocsc(copy=True)
    csc.eliminate_zeros()
    csc.sum_duplicates()
    indptr, indices, data = csc.indptr, csc.indices, csc.data
    nnz = np.diff(indptr)
    nonempty = np.flatnonzero(nnz > 0)
    constant = nnz == 0  # all zeros; a column with zeros and nonzeros is not constant
    prints = np.zeros(p, dtype=np.uint64)
    if nonempty.size:
        starts = indptr[:-1][nonempty]  # the segments of the nonempty columns are consecutive
        full = nnz[nonempty] == n
        if full.any():
            low = np.minimum.reduceat(data, starts)
            high = np.maximum.reduceat(data, starts)
            constant[nonempty[full & (low == high)]] = True
        rows = _mix(indices.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)
        entry = _mix(_value_bits(data)) * rows
        prints[nonempty] = np.add.reduceat(entry, starts, dtype=np.uint64)
    prints = _mix(prints ^ _mix(nnz.astype(np.uint64)))
    varying = np.flatnonzero(~constant)

    def same(i: int, j: int) -> bool:
        a, b = slice(indptr[i], indptr[i + 1]), slice(indptr[j], indptr[j + 1])
        return bool(np.array_equal(indices[a], indices[b]) and np.array_equal(data[a], data[b]))

    groups = _equal_groups(varying, prints[varying], same)
    return [int(j) for j in np.flatnonzero(constant)], groups


def degenerate_columns(X) -> tuple[list[int], list[tuple[int, ...]]]:
    """Indices of the constant columns of ``X``, and groups of exactly equal non-constant columns.

    O(n·p) (O(nnz) for sparse ``X``): columns are screened on a sample of rows and hashed, and
    only columns with equal hashes are compared, never all pairs.
    """
    if is_sparse(X):
        return _degenerate_sparse(X)
    return _degenerate_dense(np.asarray(X, dtype=np.float64))


def _listed(items: list) -> str:
    shown = repr(items[:_MAX_NAMED])
    return shown if len(items) <= _MAX_NAMED else f"{shown[:-1]}, ... ({len(items)} in all)]"


def warn_degenerate_columns(X, feature_names, stacklevel: int = 2) -> None:
    """Emit one :class:`~bayesreg.BayesregWarning` naming constant and duplicated columns of ``X``.

    ``stacklevel`` is counted from the caller, as for :func:`warnings.warn` there.
    """
    constant, duplicated = degenerate_columns(X)
    warn_found_degenerate(constant, duplicated, feature_names, stacklevel=stacklevel + 1)


def warn_found_degenerate(constant: list[int], duplicated: list[tuple[int, ...]], feature_names,
                          stacklevel: int = 2) -> None:
    """The one warning for constant columns and groups of duplicated columns (if there are any)."""
    if not constant and not duplicated:
        return
    names = list(feature_names)
    parts = []
    if constant:
        parts.append(f"constant column(s) {_listed([names[j] for j in constant])} (absorbed by the "
                     "intercept: their coefficients are not identified by the data)")
    if duplicated:
        groups = [tuple(names[j] for j in group) for group in duplicated]
        parts.append(f"duplicated column(s) {_listed(groups)} (only the sum of their coefficients "
                     "is identified by the data, and the Lasso solution is not unique)")
    warnings.warn(
        "X has " + " and ".join(parts) + "; only the prior separates these coefficients. "
        "Drop or merge these columns.", BayesregWarning, stacklevel=stacklevel + 1,
    )


def check_positive(value, name: str, *, allow_none: bool = True) -> float | None:
    """Return ``value`` as a float after checking it is a finite positive number."""
    from ._params import POSITIVE, check_param

    return check_param(value, name, POSITIVE, *((None,) if allow_none else ()))


def check_int(value, name: str, minimum: int) -> int:
    """Return ``value`` as an int after checking it is an integer ``>= minimum``."""
    from ._params import Interval, check_param

    return check_param(value, name, Interval("integral", minimum))


def check_random_seed(value, name: str = "random_seed") -> np.random.SeedSequence:
    """Validate a random seed and return it as a :class:`numpy.random.SeedSequence`.

    Every public entry point that takes a seed calls this, so a bad seed fails the same way
    everywhere, before any work is done.

    Parameters
    ----------
    value : None, int, numpy integer or numpy.random.SeedSequence
        ``None`` draws fresh entropy from the operating system; a non-negative integer gives
        reproducible draws; a ``SeedSequence`` is returned as is.
    name : str, default="random_seed"
        Argument name used in error messages.

    Returns
    -------
    numpy.random.SeedSequence

    Raises
    ------
    TypeError
        If ``value`` is not None, an integer or a SeedSequence (a bool, str, float, Generator,
        ... is refused rather than silently converted).
    ValueError
        If ``value`` is a negative integer.
    """
    if isinstance(value, np.random.SeedSequence):
        return value
    if value is None:
        return np.random.SeedSequence()
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        hint = ("; pass an integer seed instead of a Generator"
                if isinstance(value, np.random.Generator) else "")
        raise TypeError(
            f"{name} must be an int >= 0, a numpy.random.SeedSequence or None; "
            f"got {type(value).__name__} {value!r}{hint}"
        )
    if value < 0:
        raise ValueError(f"{name} must be non-negative (an int >= 0 or None); got {value}")
    return np.random.SeedSequence(int(value))
