"""Input checks shared by every public entry point.

Everything here runs before a model is built and never modifies what the user passed.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["Data", "check_X_new", "check_Xy", "check_positive"]


@dataclass(frozen=True)
class Data:
    """Validated regression data (float64; may share memory with the input, never written) and names."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    @property
    def n_features(self) -> int:
        return self.X.shape[1]


def _is_dataframe(obj) -> bool:
    return hasattr(obj, "columns") and hasattr(obj, "dtypes") and hasattr(obj, "iloc")


def _to_float_array(obj, name: str) -> np.ndarray:
    if _is_dataframe(obj):
        bad = [str(c) for c, dt in obj.dtypes.items() if not _numeric_dtype(dt)]
        if bad:
            raise TypeError(
                f"{name} has non-numeric columns {bad}; encode them as numbers "
                "(e.g. pandas.get_dummies) before fitting"
            )
        return obj.to_numpy(dtype=np.float64)
    if hasattr(obj, "dtype") and hasattr(obj, "to_numpy"):  # pandas Series
        if not _numeric_dtype(obj.dtype):
            raise TypeError(f"{name} must be numeric; got dtype {obj.dtype}")
        return obj.to_numpy(dtype=np.float64)
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
    return np.asarray(arr, dtype=np.float64)


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


def check_X_2d(X, name: str = "X") -> tuple[np.ndarray, tuple[str, ...]]:
    """Return a 2-D float64 array (a view where possible) and its feature names."""
    if X is None:
        raise TypeError(f"{name} must be a 2-D array-like or DataFrame; got None")
    names = tuple(str(c) for c in X.columns) if _is_dataframe(X) else None
    arr = _to_float_array(X, name)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features); got {arr.ndim}-D with shape {arr.shape}. "
            "Reshape a single feature with X.reshape(-1, 1)"
        )
    if arr.shape[1] == 0 or arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: shape {arr.shape}")
    _check_finite(arr, name)
    if names is None:
        names = tuple(f"x{j}" for j in range(arr.shape[1]))
    if len(set(names)) != len(names):
        raise ValueError(f"{name} has duplicated column names; rename them")
    return arr, names


def check_Xy(X, y) -> Data:
    """Validate a design ``X`` and a response ``y`` (read-only float64 views or copies)."""
    X_arr, names = check_X_2d(X, "X")
    if y is None:
        raise TypeError("y must be a 1-D array-like or Series; got None")
    if _is_dataframe(y):
        if y.shape[1] != 1:
            raise ValueError(f"y must be 1-D; got a DataFrame with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    y_arr = _to_float_array(y, "y")
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        y_arr = y_arr[:, 0]
    if y_arr.ndim != 1:
        raise ValueError(f"y must be 1-D (n_samples,); got shape {y_arr.shape}")
    _check_finite(y_arr, "y")
    if y_arr.shape[0] != X_arr.shape[0]:
        raise ValueError(
            f"X and y have different numbers of samples: X has {X_arr.shape[0]} rows, "
            f"y has {y_arr.shape[0]} values"
        )
    if X_arr.shape[0] < 2:
        raise ValueError(f"X needs at least 2 samples (rows); got {X_arr.shape[0]}")
    X_arr = X_arr.view()
    y_arr = y_arr.view()
    X_arr.flags.writeable = False  # bayesreg never writes to the user's data
    y_arr.flags.writeable = False
    return Data(X=X_arr, y=y_arr, feature_names=names)


def check_X_new(X_new, feature_names: tuple[str, ...]) -> np.ndarray:
    """Validate a design for prediction against the fitted feature names."""
    arr, names = check_X_2d(X_new, "X_new")
    if arr.shape[1] != len(feature_names):
        raise ValueError(
            f"X_new has {arr.shape[1]} features but the model was fitted with {len(feature_names)}"
        )
    if _is_dataframe(X_new) and tuple(names) != tuple(feature_names):
        raise ValueError(
            f"X_new columns {list(names)} do not match the fitted features {list(feature_names)}"
        )
    return arr


def check_positive(value, name: str, *, allow_none: bool = True) -> float | None:
    """Return ``value`` as a float after checking it is a finite positive number."""
    if value is None:
        if allow_none:
            return None
        raise TypeError(f"{name} is required and must be a positive number")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite positive number; got {value!r}")
    return value


def check_int(value, name: str, minimum: int) -> int:
    """Return ``value`` as an int after checking it is an integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)
