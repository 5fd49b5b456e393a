r"""scikit-learn estimators: Bayesian linear and logistic regression with a shrinkage prior.

:class:`PriorRegressor` wraps :func:`bayesreg.fit`. With ``method="map"`` it computes the exact
posterior mode, so ``PriorRegressor(prior="laplace", alpha=a)`` predicts exactly like
``sklearn.linear_model.Lasso(alpha=a)`` and ``prior="gaussian"`` exactly like ``Ridge(alpha=a)``.
With ``method="sample"`` it draws the posterior and predicts with its mean or median.
:class:`PriorClassifier` does the same for ``family="bernoulli"``: with ``method="map"``,
``PriorClassifier(prior="laplace", C=c)`` is ``LogisticRegression(C=c, l1_ratio=1)``.
"""

from __future__ import annotations

import copy

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._params import validate_params
from ._validation import check_random_seed

__all__ = ["FormulaTransformer", "PriorClassifier", "PriorRegressor"]

_METHODS = ("map", "sample")
_POINTS = ("mean", "median")


class _InvalidParameterError(ValueError, TypeError):
    """A bad estimator parameter: a ValueError as scikit-learn expects from ``fit``, and a
    TypeError where :func:`bayesreg.fit` raises one for the same value (as scikit-learn's own
    ``InvalidParameterError``)."""


def _constraints(strengths=("alpha", "scale", "sigma")) -> dict:
    """The estimator's parameter constraints: :func:`bayesreg.fit`'s, plus its own."""
    from ._params import StrOptions
    from .api import fit_constraints

    shared = fit_constraints()
    return {**{k: shared[k] for k in (*strengths, "draws", "chains", "standardize")},
            "method": [StrOptions(*_METHODS)], "point": [StrOptions(*_POINTS)]}


def _check_seed(random_seed) -> None:
    try:
        check_random_seed(random_seed)
    except (TypeError, ValueError) as exc:
        raise _InvalidParameterError(
            "random_seed must be None or a non-negative integer (or a "
            f"numpy.random.SeedSequence); got {random_seed!r}"
        ) from exc


def _frame(estimator, X):
    """X as a DataFrame with the names seen by ``validate_data`` (so results name the features)."""
    if hasattr(estimator, "feature_names_in_"):
        import pandas as pd

        return pd.DataFrame(X, columns=list(estimator.feature_names_in_))
    return X


def _store(estimator, result) -> tuple[np.ndarray, float]:
    """Keep the fit on ``estimator`` (``result_``, ``map_``, ``idata_``) and return its point
    estimate (coef, intercept): the MAP, or the posterior mean/median (``point``)."""
    estimator.result_ = result
    estimator.map_ = result.map
    if estimator.method == "map":
        estimator.idata_ = None
        return np.array(result.map.coef, dtype=float), float(result.map.intercept)
    estimator.idata_ = result.idata
    post = result.idata.posterior
    reduce = np.mean if estimator.point == "mean" else np.median
    coef = reduce(post["coef"].values.reshape(-1, len(result.feature_names)), axis=0)
    return np.asarray(coef, dtype=float), float(reduce(post["intercept"].values.reshape(-1)))


def _seed_copy(seed):
    """A SeedSequence is advanced by sampling: fit a copy, so refitting gives the same draws."""
    return copy.deepcopy(seed) if isinstance(seed, np.random.SeedSequence) else seed


class PriorRegressor(RegressorMixin, BaseEstimator):
    r"""Linear regression with a Gaussian, Laplace or elastic-net prior on the slopes.

    Model: :math:`y_i = b_0 + x_i^\top\beta + \varepsilon_i`, :math:`\varepsilon_i \sim
    N(0, \sigma^2)`, a flat prior on the intercept :math:`b_0` and a shrinkage prior on
    :math:`\beta`. With ``method="map"`` the fitted coefficients are the exact posterior mode,
    which is scikit-learn's penalised least squares (intercept never penalised):

    * ``prior="gaussian"`` (Ridge): minimise
      :math:`\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_2^2`,
      the mode under :math:`\beta_j \sim N(0, \tau^2)` with :math:`\alpha = \sigma^2/\tau^2`;
    * ``prior="laplace"`` (Lasso): minimise
      :math:`\frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1`,
      the mode under :math:`\beta_j \sim \mathrm{Laplace}(0, b)` with
      :math:`\alpha = \sigma^2/(nb)`;
      its zeros are exact;
    * ``prior=bayesreg.ElasticNet(l1_ratio=ρ)``: minimise
      :math:`\frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\rho\lVert\beta\rVert_1
      + \frac{\alpha(1-\rho)}{2}\lVert\beta\rVert_2^2` (``sklearn.linear_model.ElasticNet``).

    Parameters
    ----------
    prior : str or prior object, default="laplace"
        ``"gaussian"``/``"normal"``/``"ridge"``, ``"laplace"``/``"lasso"``, ``"elasticnet"``, or a
        :class:`~bayesreg.Gaussian`, :class:`~bayesreg.Laplace` or :class:`~bayesreg.ElasticNet`.
    alpha : float or None, default=1.0
        scikit-learn's penalty (see the objectives above). Ignored when ``scale`` is given or when
        the prior object sets its own strength (e.g. ``Laplace(scale=2.0)``,
        ``ElasticNet(alpha=0.1)``). ``None`` with ``method="sample"`` puts the default
        weakly-informative hyperprior on the prior scale (see :func:`bayesreg.fit`).
    scale : float or None, default=None
        Prior scale (Gaussian standard deviation :math:`\tau`, Laplace scale :math:`b`). When set it
        is used and ``alpha`` is ignored, since ``alpha`` always has a value. For the MAP of a
        Laplace prior (and of a Gaussian one with ``sigma`` given) ``sigma`` is needed too.
    sigma : float or None, default=None
        Noise standard deviation; None means unknown (Jeffreys prior when sampling).
    method : {"map", "sample"}, default="map"
        ``"map"``: the exact posterior mode. ``"sample"``: posterior draws with
        :func:`bayesreg.fit` (``progressbar=False``); ``coef_``/``intercept_`` summarise them.
    point : {"mean", "median"}, default="mean"
        Posterior summary used for ``coef_`` and ``intercept_`` when ``method="sample"``.
    draws : int, default=1000
        Posterior draws per chain (``method="sample"``).
    chains : int, default=4
        Number of chains (``method="sample"``).
    random_seed : int, numpy.random.SeedSequence or None, default=None
        Seed of the sampler (``method="sample"``); the same seed gives the same draws. Checked by
        ``fit`` like :func:`bayesreg.fit` checks it (a non-negative integer, a SeedSequence or
        None).
    standardize : bool, default=False
        True: the prior (and ``alpha``/``scale``) applies to the coefficients of the predictors
        divided by their population sds, as glmnet's ``standardize=TRUE``; ``coef_`` is reported
        in X's units (with ``method="map"`` the fit equals ``make_pipeline(StandardScaler(),
        Lasso(alpha))`` mapped back to X's units). See :func:`bayesreg.fit`.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The MAP (``method="map"``) or the posterior mean/median (``method="sample"``) of β.
    intercept_ : float
        Same for the intercept.
    result_ : FitResult
        What :func:`bayesreg.fit` returned (posterior, MAP, priors used).
    map_ : MAPEstimate
        The posterior mode. After ``method="sample"`` with σ or the prior scale unknown it is the
        mode given their posterior medians (see :attr:`FitResult.map`).
    idata_ : arviz.InferenceData or None
        The posterior draws (``method="sample"``); None for ``method="map"``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of ``X``, when ``X`` was a DataFrame with string column names.

    See Also
    --------
    bayesreg.fit : the function this estimator calls.
    bayesreg.map_estimate : the exact MAP alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Lasso
    >>> from bayesreg import PriorRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 5))
    >>> y = X @ np.array([1.0, 0.0, -2.0, 0.0, 0.5]) + rng.standard_normal(50)
    >>> model = PriorRegressor(prior="laplace", alpha=0.1).fit(X, y)
    >>> bool(np.allclose(model.coef_, Lasso(alpha=0.1, tol=1e-12).fit(X, y).coef_))
    True
    """

    def __init__(self, prior="laplace", alpha=1.0, scale=None, sigma=None, method="map",
                 point="mean", draws=1000, chains=4, random_seed=None, standardize=False):
        self.prior = prior
        self.alpha = alpha
        self.standardize = standardize
        self.scale = scale
        self.sigma = sigma
        self.method = method
        self.point = point
        self.draws = draws
        self.chains = chains
        self.random_seed = random_seed

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.method == "sample" and self.random_seed is None
        return tags

    def _strength(self):
        """(prior object, alpha, scale) to pass to :func:`bayesreg.fit` — at most one strength."""
        from .priors import as_prior

        prior = as_prior(self.prior)  # TypeError/ValueError as in bayesreg.fit
        checked = validate_params({"alpha": self.alpha, "scale": self.scale}, _constraints())
        alpha, scale = checked["alpha"], checked["scale"]
        if scale is not None:
            return prior, None, scale
        if prior.has_strength:
            return prior, None, None
        return prior, alpha, None

    def _check_params(self) -> None:
        validate_params({name: getattr(self, name) for name in _constraints()}, _constraints())
        _check_seed(self.random_seed)

    def fit(self, X, y):
        """Fit the model: the exact MAP (``method="map"``) or posterior draws (``"sample"``).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : PriorRegressor
        """
        from .api import fit as bayes_fit

        self._check_params()
        prior, alpha, scale = self._strength()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, ensure_min_samples=2)
        result = bayes_fit(
            _frame(self, X), y, prior, alpha=alpha, scale=scale, sigma=self.sigma,
            method=self.method, draws=self.draws, chains=self.chains,
            random_seed=_seed_copy(self.random_seed), progressbar=False,
            standardize=self.standardize,
        )
        coef, self.intercept_ = _store(self, result)
        self.coef_ = coef
        return self

    def predict(self, X) -> np.ndarray:
        """Predictions :math:`b_0 + X\\beta` with the fitted ``intercept_`` and ``coef_``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self, ("coef_", "intercept_"))
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_


class PriorClassifier(ClassifierMixin, BaseEstimator):
    r"""Logistic regression with a Gaussian, Laplace or elastic-net prior on the slopes.

    Model: :math:`P(y_i = c_1) = 1/(1 + e^{-(b_0 + x_i^\top\beta)})` for the two classes
    :math:`c_0 < c_1` (``classes_``), a flat prior on the intercept :math:`b_0` and a shrinkage
    prior on :math:`\beta`. With ``method="map"`` the fit is the exact posterior mode, which is
    scikit-learn's ``LogisticRegression`` (intercept never penalised):

    * ``prior="gaussian"``: minimise :math:`C\sum_i \ell_i + \tfrac12\lVert\beta\rVert_2^2`
      (:math:`\ell_i` the log loss), the mode under :math:`\beta_j \sim N(0, C)`;
    * ``prior="laplace"``: minimise :math:`C\sum_i \ell_i + \lVert\beta\rVert_1`, the mode under
      :math:`\beta_j \sim \mathrm{Laplace}(0, C)`; its zeros are exact;
    * ``prior=bayesreg.ElasticNet(l1_ratio=ρ)``: minimise :math:`C\sum_i \ell_i +
      \rho\lVert\beta\rVert_1 + \tfrac{1-\rho}{2}\lVert\beta\rVert_2^2`
      (``LogisticRegression(C, l1_ratio=ρ)``).

    Parameters
    ----------
    prior : str or prior object, default="laplace"
        As in :func:`bayesreg.fit` (``"horseshoe"`` too with ``method="sample"``).
    C : float or None, default=1.0
        scikit-learn's inverse regularisation strength. Ignored when ``scale`` is given. ``None``
        with ``method="sample"`` puts the default hyperprior on the prior scale.
    scale : float or None, default=None
        The prior scale (Gaussian sd, Laplace b); used instead of ``C`` when set.
    method : {"map", "sample"}, default="map"
        ``"map"``: the exact posterior mode. ``"sample"``: posterior draws (Pólya-Gamma Gibbs by
        default); probabilities are then posterior means of :math:`P(y = c_1 \mid x)`.
    point : {"mean", "median"}, default="mean"
        Posterior summary used for ``coef_`` and ``intercept_`` when ``method="sample"``.
    draws, chains : int, default=1000, 4
        Posterior draws per chain and chains (``method="sample"``).
    random_seed : int, numpy.random.SeedSequence or None, default=None
        Seed of the sampler; the same seed gives the same draws.
    standardize : bool, default=False
        True: the prior (and ``alpha``/``scale``) applies to the coefficients of the predictors
        divided by their population sds, as glmnet's ``standardize=TRUE``; ``coef_`` is reported
        in X's units (with ``method="map"`` the fit equals ``make_pipeline(StandardScaler(),
        Lasso(alpha))`` mapped back to X's units). See :func:`bayesreg.fit`.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The class labels, sorted; ``classes_[1]`` is the modelled class.
    coef_ : ndarray of shape (1, n_features)
        The MAP, or the posterior mean/median, of β (scikit-learn's binary layout).
    intercept_ : ndarray of shape (1,)
    result_ : FitResult
    map_ : MAPEstimate or None
    idata_ : arviz.InferenceData or None
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from bayesreg import PriorClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 4))
    >>> y = (X[:, 0] - X[:, 1] + rng.standard_normal(200) > 0).astype(int)
    >>> model = PriorClassifier(prior="gaussian", C=0.5).fit(X, y)
    >>> sk = LogisticRegression(C=0.5, solver="newton-cholesky", tol=1e-12).fit(X, y)
    >>> bool(np.allclose(model.coef_, sk.coef_, rtol=1e-6))
    True
    """

    def __init__(self, prior="laplace", C=1.0, scale=None, method="map", point="mean",
                 draws=1000, chains=4, random_seed=None, standardize=False):
        self.prior = prior
        self.C = C
        self.standardize = standardize
        self.scale = scale
        self.method = method
        self.point = point
        self.draws = draws
        self.chains = chains
        self.random_seed = random_seed

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.non_deterministic = self.method == "sample" and self.random_seed is None
        return tags

    def fit(self, X, y):
        """Fit the model: the exact MAP (``method="map"``) or posterior draws (``"sample"``).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) with exactly two classes

        Returns
        -------
        self : PriorClassifier
        """
        from sklearn.utils.multiclass import check_classification_targets, type_of_target

        from .api import fit as bayes_fit
        from .priors import as_prior

        constraints = _constraints(("C", "scale"))
        validate_params({name: getattr(self, name) for name in constraints}, constraints)
        _check_seed(self.random_seed)
        prior = as_prior(self.prior)
        C = None if self.scale is not None or prior.has_strength else self.C
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_min_samples=2)
        check_classification_targets(y)
        kind = type_of_target(y)
        if kind != "binary":
            raise ValueError(f"Only binary classification is supported. The type of the target is "
                             f"{kind}; PriorClassifier is a logistic regression for two classes")
        result = bayes_fit(
            _frame(self, X), y, prior, C=C, scale=self.scale, family="bernoulli",
            method=self.method, draws=self.draws, chains=self.chains,
            random_seed=_seed_copy(self.random_seed), progressbar=False,
            standardize=self.standardize,
        )
        self.classes_ = np.asarray(result.classes)
        coef, intercept = _store(self, result)
        self.coef_ = coef.reshape(1, -1)  # scikit-learn's binary layout
        self.intercept_ = np.array([intercept])
        return self

    def decision_function(self, X) -> np.ndarray:
        r"""Log-odds of ``classes_[1]``: :math:`b_0 + X\beta` (MAP), or for ``method="sample"`` the
        logit of the posterior mean probability (so that its sign agrees with :meth:`predict`).

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        from scipy.special import logit

        check_is_fitted(self, ("coef_", "intercept_"))
        X = validate_data(self, X, reset=False, dtype=np.float64)
        if self.method == "map":
            return X @ self.coef_[0] + self.intercept_[0]
        return logit(self.result_.predict(_frame(self, X), "proba"))

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of ``classes_`` (columns), the MAP's or the posterior mean's.

        Returns
        -------
        ndarray of shape (n_samples, 2)
        """
        check_is_fitted(self, ("coef_", "intercept_"))
        X = validate_data(self, X, reset=False, dtype=np.float64)
        upper = self.result_.predict(_frame(self, X), "proba")
        return np.column_stack([1.0 - upper, upper])

    def predict_log_proba(self, X) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """The class with the larger probability (``classes_[1]`` when it exceeds ½)."""
        check_is_fitted(self, ("coef_", "intercept_"))
        return self.classes_[(self.decision_function(X) > 0).astype(np.intp)]


class FormulaTransformer(TransformerMixin, BaseEstimator):
    """A one-sided formula (``"~ lcavol + C(gleason)"``) as a scikit-learn transformer.

    Put it before :class:`PriorRegressor` or :class:`PriorClassifier` in a ``Pipeline`` to use a
    formula inside scikit-learn's tools (cross-validation, grid search): ``fit`` learns the
    categorical levels and transform states on the training rows, ``transform`` encodes any rows
    the same way (a ValueError names missing columns and levels not seen in ``fit``). The
    intercept column is not produced, since the estimators fit their own flat intercept; a
    formula that removes the intercept (``- 1``, ``+ 0``) is refused, as in :func:`bayesreg.fit`.

    Parameters
    ----------
    formula : str
        One-sided, e.g. ``"~ lcavol + lweight + C(gleason)"``; the left-hand side of a two-sided
        formula is ignored (a Pipeline passes y separately).

    Attributes
    ----------
    design_ : FormulaDesign
        The fitted formula (``design_.feature_names``: the columns it produces).
    feature_names_in_ : ndarray of str
        The DataFrame columns seen in ``fit``.
    n_features_in_ : int

    Examples
    --------
    >>> import bayesreg
    >>> from sklearn.pipeline import make_pipeline
    >>> X, y = bayesreg.datasets.load_prostate()
    >>> pipe = make_pipeline(bayesreg.FormulaTransformer("~ lcavol + lweight + C(gleason)"),
    ...                      bayesreg.PriorRegressor("laplace", alpha=0.05))
    >>> list(pipe.fit(X, y)[0].get_feature_names_out())
    ['lcavol', 'lweight', 'C(gleason)[T.7]', 'C(gleason)[T.8]', 'C(gleason)[T.9]']
    """

    def __init__(self, formula: str = "~ 1"):
        self.formula = formula

    def _one_sided(self) -> str:
        if not isinstance(self.formula, str):
            raise TypeError(f"formula must be a string such as '~ a + b'; got "
                            f"{type(self.formula).__name__}")
        text = self.formula
        return text[text.index("~"):] if "~" in text else f"~ {text}"

    def fit(self, X, y=None):
        """Learn the design (levels, transform states) from the DataFrame ``X``."""
        from ._formula import _as_pandas, design_from_formula

        frame = _as_pandas(X, "X")
        _, _, self.design_ = design_from_formula(self._one_sided(), frame, np.zeros(len(frame)))
        self.feature_names_in_ = np.asarray([str(c) for c in frame.columns], dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        return self

    def transform(self, X):
        """The design of ``X``: a float DataFrame with the columns of :meth:`get_feature_names_out`."""
        check_is_fitted(self, "design_")
        return self.design_.transform(X, "X")

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "design_")
        return np.asarray(self.design_.feature_names, dtype=object)
