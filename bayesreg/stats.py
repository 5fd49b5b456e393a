r"""Sufficient statistics of a linear regression: from memory, from dask, or streamed from disk.

For the Gaussian likelihood every sampler and the exact MAP see the data only through

.. math:: n,\quad \bar x,\quad \bar y,\quad (X - \bar x)^\top(X - \bar x),\quad
          (X - \bar x)^\top(y - \bar y),\quad (y - \bar y)^\top(y - \bar y),

so one pass over the rows is enough, and what follows costs nothing in n. :class:`SufficientStats`
holds them. Each chunk of rows is reduced to its own mean and centred cross-products, and chunks are
combined with the pairwise update of Chan, Golub & LeVeque (1979): for parts A and B,

.. math:: \delta = \bar x_B - \bar x_A,\qquad \bar x = \bar x_A + \frac{n_B}{n}\delta,\qquad
          M = M_A + M_B + \frac{n_A n_B}{n}\,\delta\delta^\top,

merged as a balanced tree. Nothing is ever computed as :math:`X^\top X - n\bar x\bar x^\top`, which
loses every digit when a column's mean is large against its spread (a column with mean 10⁶ and sd 1
keeps about 4 of 16 digits that way; the pairwise merge keeps them all).

dask and pyarrow are imported only by the functions that need them (``pip install "bayesreg[dask]"``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._validation import (
    _column_names,
    _numeric_dtype,
    check_Xy,
    is_sparse,
    warn_found_degenerate,
)

__all__ = ["SufficientStats", "import_dask", "is_dask_collection"]

_CHUNK_VALUES = 1 << 18  # values per chunk reduced at once (2 MB: the centred copy stays in cache)
_CHUNK_ROWS = (256, 65_536)  # ... but at least 256 and at most 65 536 rows
_EXTRA = 'pip install "bayesreg[dask]"'


def import_dask():
    """``dask`` (with ``dask.array``), or an ImportError naming the optional extra."""
    try:
        import dask
        import dask.array
    except ImportError as exc:
        raise ImportError(
            "dask is needed for dask arrays and DataFrames but is not installed; install bayesreg's "
            f"optional extra: {_EXTRA} (dask[distributed] and pyarrow). Without dask, stream the "
            "data from disk with bayesreg.SufficientStats.from_batches"
        ) from exc
    return dask


def is_dask_collection(obj) -> bool:
    """True for dask arrays, DataFrames and Series (dask is not imported for anything else)."""
    if sys.modules.get("dask") is None:
        return False  # a dask collection cannot exist unless dask has been imported
    try:
        from dask import is_dask_collection as dask_check
    except ImportError:
        return False
    return bool(dask_check(obj))


def _is_arrow(obj) -> bool:
    return type(obj).__module__.split(".")[0] == "pyarrow"


# ---------------------------------------------------------------------------------------------
# one chunk, and the merge


class _Moments(NamedTuple):
    """Mean and centred cross-products of some rows, plus the column ranges (exact constants)."""

    n: int
    x_mean: np.ndarray
    y_mean: float
    gram: np.ndarray
    xy: np.ndarray
    yy: float
    x_min: np.ndarray
    x_max: np.ndarray
    y_min: float
    y_max: float


def _chunk_moments(X: np.ndarray, y: np.ndarray) -> _Moments:
    """Moments of one chunk of rows (dense float64 ``X``, ``y``).

    Centred about the chunk's computed mean, with one correction for the rounding of that mean
    (the correction is exact algebra: Σ(x−m)(x−m)ᵀ = M + n(x̄−m)(x̄−m)ᵀ for any m).
    """
    m = X.shape[0]
    x_centre = X.mean(axis=0)
    y_centre = float(y.mean())
    xc = X - x_centre
    yc = y - y_centre
    x_shift = xc.mean(axis=0)
    y_shift = float(yc.mean())
    gram = xc.T @ xc - m * np.outer(x_shift, x_shift)
    gram = 0.5 * (gram + gram.T)
    diagonal = np.einsum("ii->i", gram)
    np.maximum(diagonal, 0.0, out=diagonal)  # a sum of squares, whatever the rounding
    xy = xc.T @ yc - m * x_shift * y_shift
    yy = float(yc @ yc) - m * y_shift * y_shift
    return _Moments(m, x_centre + x_shift, y_centre + y_shift, gram, xy, max(yy, 0.0),
                    X.min(axis=0), X.max(axis=0), float(y.min()), float(y.max()))


def _merge(a: _Moments | None, b: _Moments | None) -> _Moments | None:
    """Chan, Golub & LeVeque's pairwise update of means and centred cross-products."""
    if a is None:
        return b
    if b is None:
        return a
    n = a.n + b.n
    dx = b.x_mean - a.x_mean
    dy = b.y_mean - a.y_mean
    weight = a.n * (b.n / n)
    share = b.n / n
    return _Moments(
        n, a.x_mean + share * dx, a.y_mean + share * dy,
        a.gram + b.gram + weight * np.outer(dx, dx), a.xy + b.xy + weight * dx * dy,
        a.yy + b.yy + weight * dy * dy,
        np.minimum(a.x_min, b.x_min), np.maximum(a.x_max, b.x_max),
        min(a.y_min, b.y_min), max(a.y_max, b.y_max),
    )


class _TreeMerger:
    """Merges a stream of moments as a balanced binary tree with O(log k) parts in memory."""

    def __init__(self):
        self._stack: list[tuple[int, _Moments]] = []

    def add(self, moments: _Moments | None) -> None:
        if moments is None:
            return
        level = 0
        while self._stack and self._stack[-1][0] == level:
            _, left = self._stack.pop()
            moments = _merge(left, moments)
            level += 1
        self._stack.append((level, moments))

    def result(self) -> _Moments | None:
        out = None
        for _, part in reversed(self._stack):
            out = _merge(part, out)
        return out


# ---------------------------------------------------------------------------------------------
# chunks of user data


def _n_rows(obj) -> int:
    if hasattr(obj, "num_rows"):  # pyarrow RecordBatch / Table
        return int(obj.num_rows)
    if hasattr(obj, "shape"):
        return int(obj.shape[0])
    return len(obj)


def _arrow_numeric(column, what: str) -> np.ndarray:
    """A pyarrow (chunked) array of numbers or booleans as float64 (nulls become NaN)."""
    import pyarrow.types as pat

    kind = column.type
    if not (pat.is_integer(kind) or pat.is_floating(kind) or pat.is_boolean(kind)):
        raise TypeError(f"{what} must be numeric; got pyarrow type {kind}; encode it as numbers "
                        "before fitting")
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)


def _arrow_matrix(table, names=None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Columns ``names`` (default: all) of a pyarrow RecordBatch or Table as a float64 array."""
    names = tuple(str(name) for name in (table.schema.names if names is None else names))
    out = np.empty((table.num_rows, len(names)), order="F")  # each column written contiguously
    for j, name in enumerate(names):
        out[:, j] = _arrow_numeric(table.column(name), f"X column {name!r}")
    return out, names


def _chunk_arrays(X, y, feature_names: tuple[str, ...] | None):
    """Validated dense arrays of one chunk and its column names (None if it has none)."""
    names = _column_names(X)
    if _is_arrow(X):
        X, names = _arrow_matrix(X)
    if _is_arrow(y):
        y = _arrow_numeric(y, "y")
    data = check_Xy(X, y, min_samples=1, private=False)  # read once, never kept: no copy
    if names is not None and feature_names is not None and tuple(names) != tuple(feature_names):
        raise ValueError(f"a chunk has columns {list(names)}, but the first had "
                         f"{list(feature_names)}; every chunk needs the same columns in the same order")
    return data.X, data.y, None if names is None else tuple(names)


def _block_moments(X, y, feature_names: tuple[str, ...] | None) -> _Moments | None:
    """Moments of one block (runs where the block lives: a dask worker, or here)."""
    if _n_rows(X) == 0 and _n_rows(y) == 0:
        return None
    X_arr, y_arr, _ = _chunk_arrays(X, y, feature_names)
    return _in_memory_moments(X_arr, y_arr)


def _in_memory_moments(X: np.ndarray, y: np.ndarray) -> _Moments:
    """Moments of validated rows (dense in any layout, or sparse), reduced in cache-sized chunks
    merged as a balanced tree."""
    merger = _TreeMerger()
    low, high = _CHUNK_ROWS
    rows = min(high, max(low, _CHUNK_VALUES // X.shape[1]))
    for start in range(0, X.shape[0], rows):
        block = X[start:start + rows]
        if is_sparse(block):
            block = np.asarray(block.toarray(), dtype=float)
        merger.add(_chunk_moments(block, y[start:start + rows]))
    return merger.result()


def _split_target(table, target: str):
    """(X, y) of a table-like batch whose column ``target`` is the response."""
    if _is_arrow(table):
        names = [str(name) for name in table.schema.names]
        if target not in names:
            raise KeyError(f"target {target!r} is not a column of the batch; its columns are {names}")
        X, features = _arrow_matrix(table, [name for name in names if name != target])
        return X, table.column(target), features
    columns = _column_names(table)
    if columns is None:
        raise TypeError(f"with target=..., each batch must be a table (pandas or polars DataFrame, "
                        f"pyarrow RecordBatch or Table); got {type(table).__name__}")
    if target not in columns:
        raise KeyError(f"target {target!r} is not a column of the batch; its columns are {list(columns)}")
    if hasattr(table, "iloc"):  # pandas
        return table.drop(columns=[target]), table[target], None
    return table.drop(target), table.get_column(target), None  # polars


# ---------------------------------------------------------------------------------------------
# dask


def _feature_names_of(X, p: int) -> tuple[str, ...]:
    names = _column_names(X)
    if names is None:
        return tuple(f"x{j}" for j in range(p))
    if len(set(names)) != len(names):
        raise ValueError("X has duplicated column names; rename them")
    return names


_TARGET = "__bayesreg_target__"  # the response's column while X and y travel as one frame


def _frame_moments(frame, feature_names: tuple[str, ...]) -> _Moments | None:
    """Moments of one partition of X with the response joined as the column ``_TARGET``."""
    return _block_moments(frame.drop(columns=[_TARGET]), frame[_TARGET], feature_names)


def _dask_block_moments(X, y):
    """One delayed :class:`_Moments` per row block of the dask data (X, y), and the names.

    A dask DataFrame X and its response are joined into one frame first, so their partitions
    match whatever the graph optimiser does with each (``df[columns]`` and ``df[target]`` of one
    parquet data set may otherwise be read in different partitions).
    """
    dask = import_dask()
    import dask.array as da

    delayed = dask.delayed
    if not is_dask_collection(X):
        raise TypeError("X must be a dask array or DataFrame when y is a dask collection; "
                        "compute both, or make both dask collections from one source")
    if not isinstance(X, da.Array):  # a dask DataFrame
        if getattr(X, "ndim", 2) != 2:
            raise ValueError("X must be 2-D (n_samples, n_features); got a dask Series")
        bad = [str(c) for c, dt in X.dtypes.items() if not _numeric_dtype(dt)]
        if bad:
            raise TypeError(f"X has non-numeric columns {bad}; encode them as numbers before fitting")
        names = _feature_names_of(X, len(X.columns))
        if isinstance(y, da.Array) or not is_dask_collection(y):
            raise TypeError("with a dask DataFrame X, y must be a dask Series of the same data "
                            "(e.g. df[columns] and df[target])")
        if getattr(y, "ndim", 1) == 2:
            if len(y.columns) != 1:
                raise ValueError(f"y must be 1-D; got a dask DataFrame with {len(y.columns)} columns")
            y = y[y.columns[0]]
        frame = X.assign(**{_TARGET: y})
        return dask, [delayed(_frame_moments, pure=True)(part, names) for part in frame.to_delayed()], names
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features); got a {X.ndim}-D dask array")
    if not _numeric_dtype(X.dtype) or X.dtype.kind == "c":
        raise TypeError(f"X must contain real numbers; got dtype {X.dtype}")
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})  # every block holds whole rows
    names = _feature_names_of(X, X.shape[1])
    known = not any(np.isnan(c) for c in X.chunks[0])
    if y is None:
        raise TypeError("y must be given with a dask X (a dask array or Series)")
    if not is_dask_collection(y):
        if not known:
            raise TypeError("y must be a dask array when X has unknown chunk sizes")
        y = np.asarray(y)
        y = da.from_array(y, chunks=(X.chunks[0], *((k,) for k in y.shape[1:])))
    elif not isinstance(y, da.Array):  # a dask Series (or one-column DataFrame)
        y = y.to_dask_array(lengths=known)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (n_samples,); got a dask array of shape {y.shape}")
    if known and not any(np.isnan(c) for c in y.chunks[0]) and y.chunks[0] != X.chunks[0]:
        if sum(y.chunks[0]) != sum(X.chunks[0]):
            raise ValueError(f"X and y have different numbers of samples: X has {sum(X.chunks[0])} "
                             f"rows, y has {sum(y.chunks[0])} values")
        y = y.rechunk((X.chunks[0],))
    x_blocks, y_blocks = list(X.to_delayed()[:, 0]), list(y.to_delayed())
    if len(y_blocks) != len(x_blocks):
        raise ValueError(
            f"X and y must be split into the same row blocks (X has {len(x_blocks)}, y has "
            f"{len(y_blocks)}); dask may read different columns of one parquet data set in "
            "different partitions: pass the dask DataFrame and Series themselves (df[columns], "
            "df[target]), which are joined before the pass, or rechunk y like X"
        )
    parts = [delayed(_block_moments, pure=True)(xb, yb, names)
             for xb, yb in zip(x_blocks, y_blocks, strict=True)]
    return dask, parts, names


# ---------------------------------------------------------------------------------------------
# the public object


def _frozen(values, shape, name) -> np.ndarray:
    arr = np.array(values, dtype=np.float64, copy=True)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}; got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class SufficientStats:
    r"""Everything a Gaussian linear regression needs from its data, in O(p²) memory.

    Build it with :meth:`from_arrays` (NumPy, pandas, polars, scipy.sparse),
    :meth:`from_dask` (dask arrays or DataFrames; one pass on the active dask scheduler, e.g. a
    ``distributed.Client``) or :meth:`from_batches` (any iterable of chunks, e.g. the record batches
    of a parquet file read with pyarrow), then pass it to :func:`bayesreg.fit` (``fit(stats,
    prior=...)``), :func:`bayesreg.map_estimate` or :func:`bayesreg.map_path` in place of ``X, y``.
    The posterior and the MAP are those of the full data set: every sampler that works from
    statistics (``"exact"``, ``"gibbs"``) and the exact MAP solvers run unchanged. What needs every
    row — the pointwise log-likelihood for LOO, the observed data, posterior predictive checks on
    the training rows, the NUTS samplers — is not available.

    Attributes
    ----------
    n_samples : int
    x_mean : ndarray of shape (n_features,)
    y_mean : float
    gram : ndarray of shape (n_features, n_features)
        :math:`(X - \bar x)^\top(X - \bar x)`.
    xy : ndarray of shape (n_features,)
        :math:`(X - \bar x)^\top(y - \bar y)`.
    yy : float
        :math:`(y - \bar y)^\top(y - \bar y)`.
    feature_names : tuple of str
        DataFrame column names, else ``x0, x1, ...``.
    x_min, x_max, y_min, y_max : optional
        Column ranges (known when built from data): they identify constant columns and a constant
        y exactly, which the statistics alone do only up to rounding.

    Only n >= p is supported (for p > n the samplers keep the design itself): p > n is refused.
    """

    n_samples: int
    x_mean: np.ndarray
    y_mean: float
    gram: np.ndarray
    xy: np.ndarray
    yy: float
    feature_names: tuple[str, ...] | None = None
    x_min: np.ndarray | None = field(default=None, repr=False)
    x_max: np.ndarray | None = field(default=None, repr=False)
    y_min: float | None = field(default=None, repr=False)
    y_max: float | None = field(default=None, repr=False)

    def __post_init__(self):
        n = self.n_samples
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            raise TypeError(f"n_samples must be an integer; got {type(n).__name__} {n!r}")
        n = int(n)
        x_mean = np.asarray(self.x_mean, dtype=float)
        if x_mean.ndim != 1 or x_mean.size == 0:
            raise ValueError(f"x_mean must be a non-empty 1-D array; got shape {x_mean.shape}")
        p = x_mean.size
        if n < 2:
            raise ValueError(f"the statistics need at least 2 samples (rows); got n_samples = {n}")
        if p > n:
            raise ValueError(
                f"SufficientStats needs n_samples >= n_features; got n = {n} < p = {p}. With more "
                "features than rows the samplers keep the design itself: fit the data in memory"
            )
        names = self.feature_names
        names = tuple(f"x{j}" for j in range(p)) if names is None else tuple(str(s) for s in names)
        if len(names) != p:
            raise ValueError(f"feature_names has {len(names)} names for {p} features")
        if len(set(names)) != p:
            raise ValueError("feature_names has duplicated names; rename them")
        gram = _frozen(self.gram, (p, p), "gram")
        if not np.allclose(gram, gram.T, rtol=1e-12, atol=0.0):
            raise ValueError("gram must be symmetric (a centred cross-product matrix)")
        if np.any(np.diag(gram) < 0):
            raise ValueError("gram must have a non-negative diagonal (centred sums of squares)")
        xy = _frozen(self.xy, (p,), "xy")
        yy = float(self.yy)
        if not (np.isfinite(yy) and yy >= 0):
            raise ValueError(f"yy must be a finite non-negative sum of squares; got {self.yy!r}")
        ranges = [self.x_min, self.x_max, self.y_min, self.y_max]
        if any(r is None for r in ranges) and not all(r is None for r in ranges):
            raise ValueError("give all of x_min, x_max, y_min, y_max, or none of them")
        set_ = object.__setattr__
        if self.x_min is not None:
            x_min, x_max = _frozen(self.x_min, (p,), "x_min"), _frozen(self.x_max, (p,), "x_max")
            y_min, y_max = float(self.y_min), float(self.y_max)
            constant = x_min == x_max
            if constant.any() or y_min == y_max:  # exact zeros where the data are exactly constant
                gram, xy = gram.copy(), xy.copy()
                gram[constant, :] = 0.0
                gram[:, constant] = 0.0
                xy[constant] = 0.0
                if y_min == y_max:
                    xy[:] = 0.0
                    yy = 0.0
                gram.flags.writeable = xy.flags.writeable = False
            set_(self, "x_min", x_min)
            set_(self, "x_max", x_max)
            set_(self, "y_min", y_min)
            set_(self, "y_max", y_max)
        x_mean = _frozen(x_mean, (p,), "x_mean")
        set_(self, "n_samples", n)
        set_(self, "x_mean", x_mean)
        set_(self, "y_mean", float(self.y_mean))
        set_(self, "gram", gram)
        set_(self, "xy", xy)
        set_(self, "yy", yy)
        set_(self, "feature_names", names)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def _from_moments(cls, moments: _Moments | None, feature_names) -> SufficientStats:
        if moments is None:
            raise ValueError("no rows: the data are empty")
        return cls(n_samples=moments.n, x_mean=moments.x_mean, y_mean=moments.y_mean,
                   gram=moments.gram, xy=moments.xy, yy=moments.yy, feature_names=feature_names,
                   x_min=moments.x_min, x_max=moments.x_max, y_min=moments.y_min,
                   y_max=moments.y_max)

    @classmethod
    def from_arrays(cls, X, y) -> SufficientStats:
        """Statistics of in-memory data (NumPy, pandas, polars, scipy.sparse X), in row chunks."""
        data = check_Xy(X, y)
        return cls._from_moments(_in_memory_moments(data.X, data.y), data.feature_names)

    @classmethod
    def from_dask(cls, X, y) -> SufficientStats:
        """Statistics of dask data, in one pass on the active dask scheduler.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features), or dask.dataframe.DataFrame
            Column names of a DataFrame become the feature names.
        y : dask.array.Array, dask Series, or (for a dask array X with known chunks) an array
            The response: for a DataFrame X a dask Series of the same data (e.g. ``df[columns]``
            and ``df[target]`` of one DataFrame, joined on the index before the pass); for a dask
            array X a dask array (rechunked like X) or Series.

        Each row block is reduced where it lives (on the workers of a ``distributed.Client``, if
        one is active) and only the p×p statistics travel; the blocks are merged pairwise as a
        balanced tree. Raises ImportError naming the ``bayesreg[dask]`` extra if dask is missing.
        """
        dask, parts, names = _dask_block_moments(X, y)
        delayed = dask.delayed
        while len(parts) > 1:
            parts = [delayed(_merge, pure=True)(parts[i], parts[i + 1]) if i + 1 < len(parts)
                     else parts[i] for i in range(0, len(parts), 2)]
        (moments,) = dask.compute(parts[0])
        return cls._from_moments(moments, names)

    @classmethod
    def from_batches(cls, batches, *, target: str | None = None) -> SufficientStats:
        """Statistics of data streamed chunk by chunk (no dask needed).

        Parameters
        ----------
        batches : iterable
            Pairs ``(X_chunk, y_chunk)`` (arrays, pandas/polars objects, pyarrow RecordBatch or
            Table with a pyarrow array), or, with ``target``, tables that hold the response as
            the column ``target`` — e.g. ``pyarrow.parquet.ParquetFile(path).iter_batches()``.
        target : str, optional
            Name of the response column when each batch is one table.

        Every chunk must have the same columns; chunks are merged pairwise as a balanced tree, so
        memory stays O(p² log k) for k chunks.

        Examples
        --------
        >>> import pyarrow.parquet as pq                                    # doctest: +SKIP
        >>> stats = bayesreg.SufficientStats.from_batches(
        ...     pq.ParquetFile("data.parquet").iter_batches(batch_size=1_000_000), target="y")
        >>> res = bayesreg.fit(stats, prior="laplace")
        """
        merger = _TreeMerger()
        names: tuple[str, ...] | None = None
        p = None
        for k, item in enumerate(batches):
            arrow_names = None
            if target is not None:
                X_chunk, y_chunk, arrow_names = _split_target(item, target)
            elif isinstance(item, tuple | list) and len(item) == 2:
                X_chunk, y_chunk = item
            else:
                raise TypeError(
                    f"batch {k} is a {type(item).__name__}: each batch must be a pair (X_chunk, "
                    "y_chunk), or pass target='<response column>' for batches that are tables"
                )
            if _n_rows(X_chunk) == 0 and _n_rows(y_chunk) == 0:
                continue
            X_arr, y_arr, chunk_names = _chunk_arrays(X_chunk, y_chunk, None)
            chunk_names = arrow_names or chunk_names
            if p is None:
                p = X_arr.shape[1]
                names = chunk_names or _feature_names_of(None, p)
            elif X_arr.shape[1] != p:
                raise ValueError(f"batch {k} has {X_arr.shape[1]} columns; the first had {p}")
            elif chunk_names is not None and chunk_names != names:
                raise ValueError(f"batch {k} has columns {list(chunk_names)}, but the first had "
                                 f"{list(names)}")
            merger.add(_in_memory_moments(X_arr, y_arr))
        return cls._from_moments(merger.result(), names)

    def merge(self, other: SufficientStats) -> SufficientStats:
        """The statistics of both data sets' rows together (pairwise update; same columns)."""
        if not isinstance(other, SufficientStats):
            raise TypeError(f"can only merge SufficientStats; got {type(other).__name__}")
        if other.feature_names != self.feature_names:
            raise ValueError(f"cannot merge statistics of different features: {list(self.feature_names)}"
                             f" and {list(other.feature_names)}")
        mine, theirs = self._moments(), other._moments()
        ranges = self.x_min is not None and other.x_min is not None
        if not ranges:  # merge the statistics only; the result has no ranges
            placeholder = dict(x_min=mine.x_mean, x_max=mine.x_mean, y_min=0.0, y_max=0.0)
            mine, theirs = mine._replace(**placeholder), theirs._replace(**placeholder)
        merged = _merge(mine, theirs)
        if not ranges:
            merged = merged._replace(x_min=None, x_max=None, y_min=None, y_max=None)
        return SufficientStats._from_moments(merged, self.feature_names)

    def _moments(self) -> _Moments:
        return _Moments(self.n_samples, self.x_mean, self.y_mean, self.gram, self.xy, self.yy,
                        self.x_min, self.x_max, self.y_min, self.y_max)

    # -- derived quantities ------------------------------------------------------------------
    @property
    def n_features(self) -> int:
        return self.x_mean.size

    @property
    def x_sd(self) -> np.ndarray:
        """Population sd of every column, :math:`\\sqrt{\\mathrm{gram}_{jj}/n}`."""
        return np.sqrt(np.diag(self.gram) / self.n_samples)

    @property
    def y_sd(self) -> float:
        """Population sd of y, :math:`\\sqrt{yy/n}`."""
        return float(np.sqrt(self.yy / self.n_samples))

    @property
    def y_is_constant(self) -> bool:
        if self.y_min is not None:
            return self.y_min == self.y_max
        return self.yy == 0.0

    def constant_columns(self) -> list[int]:
        """Indices of the columns that are exactly constant (zero variance without ranges)."""
        if self.x_min is not None:
            return [int(j) for j in np.flatnonzero(self.x_min == self.x_max)]
        return [int(j) for j in np.flatnonzero(np.diag(self.gram) == 0.0)]

    def warn_degenerate(self, stacklevel: int = 2) -> None:
        """One :class:`~bayesreg.BayesregWarning` naming constant columns, if any.

        (Duplicated columns cannot be recognised exactly from the statistics and are not checked.)
        """
        warn_found_degenerate(self.constant_columns(), [], self.feature_names,
                              stacklevel=stacklevel + 1)

    def __repr__(self) -> str:
        names = list(self.feature_names)
        shown = names if len(names) <= 6 else [*names[:5], "...", names[-1]]
        return (f"SufficientStats(n_samples={self.n_samples}, n_features={self.n_features}, "
                f"feature_names={shown})")
