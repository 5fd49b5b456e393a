r"""Wilkinson formulas on DataFrames (``"lpsa ~ lcavol + lweight + C(gleason)"``), via formulaic.

A formula is turned into a design once, on the data it is fitted to: categorical columns become
treatment-coded indicator columns (the first level in sorted order is the reference), interactions
products, transforms (``np.log(x)``, ``center(x)``, ``scale(x)``, ``C(x)``) columns; every state
learned from the data (the levels of each categorical, the centre of ``center(x)``) is kept in the
:class:`FormulaDesign`, so new data are encoded exactly as the training data were.

The intercept is bayesreg's own flat, never-penalized :math:`b_0`: formulaic's ``Intercept`` column
is dropped, and a formula without an intercept (``- 1``, ``+ 0``) is refused, because a shrinkage
prior on the slopes assumes a free intercept.
"""

from __future__ import annotations

import base64
import io
import pickle
import re
import warnings

import numpy as np

__all__ = ["FormulaDesign", "design_from_formula", "formula_inputs", "is_formula"]

_INTERCEPT = "Intercept"


def is_formula(obj) -> bool:
    """Whether ``obj`` is a formula string (``X`` given as ``"y ~ a + b"``)."""
    return isinstance(obj, str)


def _formulaic():
    try:
        import formulaic
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError("formulas need the formulaic package: pip install 'formulaic>=1.2'") from exc
    return formulaic


def _as_pandas(data, name: str = "data"):
    """``data`` as a pandas DataFrame (polars frames converted; anything else a TypeError)."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if type(data).__module__.split(".")[0] == "polars" and hasattr(data, "to_pandas"):
        return data.to_pandas()
    if isinstance(data, dict):
        return pd.DataFrame(data)
    raise TypeError(f"{name} must be a pandas DataFrame (or a polars DataFrame or a dict of "
                    f"columns) holding the formula's variables; got {type(data).__name__}")


def _check_variables(spec, frame, name: str) -> None:
    missing = sorted(str(v) for v in spec.required_variables if str(v) not in frame.columns)
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing} that the formula uses; "
                         f"its columns are {[str(c) for c in frame.columns][:20]}")


def _materialize(spec_or_formula, frame, name: str, **kwargs):
    """Run formulaic on ``frame``; its missing-value and unseen-level complaints become ValueErrors."""
    from formulaic.errors import FactorEvaluationError

    formulaic = _formulaic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if isinstance(spec_or_formula, str):
                out = formulaic.model_matrix(spec_or_formula, frame, na_action="raise", **kwargs)
            else:
                out = spec_or_formula.get_model_matrix(frame, na_action="raise")
        except FactorEvaluationError as exc:
            raise ValueError(f"the formula cannot be evaluated on {name}: {exc}") from None
        except ValueError as exc:
            text = str(exc)
            if "null values" in text:
                raise ValueError(f"{name} has missing values in a column the formula uses ({text}); "
                                 "drop or impute those rows first") from None
            raise ValueError(f"the formula cannot be applied to {name}: {text}") from None
    for w in caught:
        text = str(w.message)
        if "outside of the nominated levels" in text or "not seen in original dataset" in text:
            levels = text[text.find("{"):text.find("}") + 1] if "{" in text else ""
            levels = re.sub(r"np\.\w+\((.*?)\)", r"\1", levels)  # {np.int64(10)} -> {10}
            raise ValueError(f"{name} has categorical level(s) {levels} that the fitted data did "
                             "not have, so they have no coefficient; drop those rows or refit with "
                             "data that include them")
        warnings.warn(w.message, w.category, stacklevel=4)
    return out


class FormulaDesign:
    """How a formula turns a DataFrame into the design X (and, when it has one, the response y).

    Built by :func:`design_from_formula`; :meth:`transform` encodes new data exactly as the
    training data (same columns, same levels, same learned transform states).

    Attributes
    ----------
    formula : str
        The formula as given.
    response : str or None
        The left-hand side (None for a one-sided formula ``"~ a + b"``).
    feature_names : tuple of str
        The columns of the design (formulaic's names, e.g. ``"C(gleason)[T.7]"``), without the
        intercept.
    """

    def __init__(self, formula: str, spec, response: str | None, feature_names):
        self.formula = formula
        self.spec = spec
        self.response = response
        self.feature_names = tuple(feature_names)

    def __repr__(self) -> str:
        return f"FormulaDesign({self.formula!r}, n_features={len(self.feature_names)})"

    def transform(self, data, name: str = "X_new"):
        """The design for new rows: a float DataFrame with columns :attr:`feature_names`.

        Raises ValueError naming missing columns, categorical levels not seen when fitting, or
        missing values; TypeError when ``data`` is not a DataFrame.
        """
        frame = _as_pandas(data, name)
        _check_variables(self.spec, frame, name)
        matrix = _materialize(self.spec, frame, name)
        return _design_frame(matrix, self.feature_names)

    # -- persistence (netCDF metadata) -----------------------------------------------------------
    def to_dict(self) -> dict:
        """A JSON-able description; the formulaic spec (levels, transform states) is pickled."""
        return {"formula": self.formula, "response": self.response,
                "feature_names": list(self.feature_names),
                "spec": base64.b64encode(pickle.dumps(self.spec)).decode("ascii")}

    @classmethod
    def from_dict(cls, data: dict) -> FormulaDesign:
        """Inverse of :meth:`to_dict`; the spec is unpickled allowing only formulaic/NumPy types."""
        raw = base64.b64decode(data["spec"].encode("ascii"))
        spec = _SpecUnpickler(io.BytesIO(raw)).load()
        return cls(data["formula"], spec, data.get("response"), data["feature_names"])


class _SpecUnpickler(pickle.Unpickler):
    """Unpickles a formulaic ModelSpec: formulaic's classes, NumPy scalars and arrays, and plain
    builtin containers; any other global is refused (a result file is data, not code)."""

    _NUMPY = frozenset({("numpy", "dtype"), ("numpy", "ndarray"),
                        ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"),
                        ("numpy._core.multiarray", "_reconstruct"),
                        ("numpy.core.multiarray", "_reconstruct"), ("copyreg", "_reconstructor")})
    _BUILTINS = frozenset({"set", "frozenset", "slice", "tuple", "list", "dict", "object", "complex"})

    def find_class(self, module: str, name: str):
        if (module, name) in self._NUMPY or (module == "builtins" and name in self._BUILTINS):
            return super().find_class(module, name)
        if module.split(".")[0] == "formulaic":
            found = super().find_class(module, name)
            if isinstance(found, type):  # classes and enums only, no functions
                return found
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a stored formula")


def _design_frame(matrix, feature_names=None):
    """formulaic's model matrix without its intercept column, as a float64 DataFrame."""
    import pandas as pd

    frame = pd.DataFrame(np.asarray(matrix, dtype=np.float64), columns=[str(c) for c in matrix.columns],
                         index=getattr(matrix, "index", None))
    frame = frame.drop(columns=[_INTERCEPT], errors="ignore")
    if feature_names is not None and tuple(frame.columns) != tuple(feature_names):
        raise ValueError(f"the formula gave the columns {list(frame.columns)} on the new data, not "
                         f"the fitted {list(feature_names)}")
    return frame


def _has_intercept(spec) -> bool:
    return any(str(term) == "1" for term in spec.terms)


def design_from_formula(formula, data, y=None, *, name: str = "formula"):
    """``(X, y, design)`` for ``fit(formula, data=...)``: X a float DataFrame without the intercept.

    The response is the left-hand side: a bare column name gives that column unchanged (so
    class labels stay labels for logistic regression); an expression (``np.log(y)``) is
    evaluated by formulaic and must give one numeric column. A one-sided formula (``"~ a + b"``)
    takes the response from ``y``.
    """
    if not isinstance(formula, str):
        raise TypeError(f"{name} must be a string such as 'y ~ a + b'; got {type(formula).__name__}")
    if data is None:
        raise TypeError(f"a formula needs data=: the DataFrame holding its variables ({formula!r})")
    frame = _as_pandas(data)
    formulaic = _formulaic()
    try:
        parsed = formulaic.Formula(formula)
    except Exception as exc:  # formulaic raises its own parser errors
        raise ValueError(f"{name} {formula!r} cannot be parsed: {exc}") from None
    two_sided = hasattr(parsed, "lhs")
    if two_sided and y is not None:
        raise TypeError(f"y must be omitted when the formula has a response ({formula!r}); give "
                        "either 'y ~ ...' with data= or a one-sided formula '~ ...' with y=")
    if not two_sided and y is None:
        raise ValueError(f"the formula {formula!r} has no response: write 'y ~ ...' or pass y=")
    rhs_text = str(parsed.rhs) if two_sided else str(parsed)
    matrices = _materialize(formula, frame, "data")
    rhs = matrices.rhs if two_sided else matrices
    spec = rhs.model_spec
    if not _has_intercept(spec):
        raise ValueError(
            f"the formula {formula!r} removes the intercept ('- 1' or '+ 0'); bayesreg always fits "
            "an intercept with a flat prior (never penalized, as scikit-learn's fit_intercept=True), "
            "which a shrinkage prior on the slopes needs: remove '- 1'/'+ 0' (to force the line "
            "through the origin, fit a model without the formula interface)")
    X = _design_frame(rhs)
    if X.shape[1] == 0:
        raise ValueError(f"the formula {formula!r} has no predictors (right-hand side {rhs_text!r})")
    response = None
    if two_sided:
        response = str(parsed.lhs)
        lhs_vars = [str(v) for v in matrices.lhs.model_spec.required_variables]
        if response in frame.columns:
            y = frame[response]
        else:
            lhs = matrices.lhs
            if lhs.shape[1] != 1:
                raise ValueError(f"the response {response!r} of the formula gives {lhs.shape[1]} "
                                 f"columns; it must give one (variables {lhs_vars})")
            y = np.asarray(lhs, dtype=np.float64)[:, 0]
    design = FormulaDesign(formula, spec, response, X.columns)
    return X, y, design


def formula_inputs(X, y, data):
    """``(X, y, design)``: a formula ``X`` turned into its design on ``data`` (``design`` its
    :class:`FormulaDesign`), or X and y as given (``design`` None; ``data`` must then be None)."""
    if is_formula(X):
        return design_from_formula(X, data, y)
    if data is not None:
        raise TypeError("data= is used only with a formula (X given as a string such as "
                        "'y ~ a + C(g)'); pass arrays or DataFrames as X and y instead")
    return X, y, None
