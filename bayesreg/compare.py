"""Fit several priors on the same data and contrast their shrinkage."""

from __future__ import annotations

import warnings

import numpy as np

from ._backend import import_arviz
from ._validation import check_Xy
from .exceptions import BayesregWarning
from .priors import as_prior

__all__ = ["PriorComparison", "compare_priors", "ols_fit", "sklearn_map"]


def ols_fit(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares slopes and intercept (minimum-norm when X is rank deficient)."""
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    coef, *_ = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)
    return coef, y_mean - float(x_mean @ coef)


def sklearn_map(X, y, family: str, alpha: float, l1_ratio: float | None = None):
    """scikit-learn's Ridge/Lasso/ElasticNet at ``alpha``, solved to ``tol=1e-12``."""
    from sklearn.linear_model import ElasticNet, Lasso, Ridge

    if family == "gaussian":
        model = Ridge(alpha=alpha)
    elif family == "laplace":
        model = Lasso(alpha=alpha, tol=1e-12, max_iter=1_000_000)
    else:
        model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, max_iter=1_000_000)
    return model.fit(X, y)


def _prior_name(prior) -> str:
    if isinstance(prior, str):
        return prior
    return type(as_prior(prior)).__name__.lower()


class PriorComparison:
    """Fits of several priors on the same data (same seed), by name.

    Attributes
    ----------
    results : dict[str, FitResult]
    feature_names : tuple of str
    ols_coef : ndarray
        Least-squares coefficients (the unshrunk reference).
    """

    def __init__(self, results: dict, X: np.ndarray, y: np.ndarray, feature_names):
        self.results = dict(results)
        self.feature_names = tuple(feature_names)
        self._X, self._y = X, y
        self.ols_coef, self.ols_intercept = ols_fit(X, y)

    def __repr__(self) -> str:
        return f"PriorComparison(priors={list(self.results)}, n_features={len(self.feature_names)})"

    def __getitem__(self, name: str):
        return self.results[name]

    def default_threshold(self) -> np.ndarray:
        """Per-feature |β| threshold: a standardised effect of 0.01 (0.01·sd(y)/sd(x_j))."""
        sd_x = self._X.std(axis=0)
        sd_x = np.where(sd_x > 0, sd_x, 1.0)
        return 0.01 * float(self._y.std()) / sd_x

    def summary(self, hdi_prob: float = 0.94, threshold=None):
        """One tidy table: a row per (prior, feature).

        Columns: ``ols``, ``map`` (bayesreg's exact MAP), ``sklearn`` (Ridge/Lasso/ElasticNet at
        the matched ``alpha``), ``alpha``, posterior ``mean``, ``median``, ``sd``, the HDI bounds
        (``hdi_low``, ``hdi_high``), ``threshold`` and ``prob_small`` = P(|β| < threshold | y).

        Parameters
        ----------
        hdi_prob : float
        threshold : float or array-like, optional
            Default: :meth:`default_threshold`.
        """
        import pandas as pd

        az = import_arviz()
        thr = self.default_threshold() if threshold is None else np.broadcast_to(
            np.asarray(threshold, dtype=float), (len(self.feature_names),))
        rows = []
        for name, res in self.results.items():
            est = res.map
            sk = sklearn_map(self._X, self._y, est.family, est.alpha, est.l1_ratio)
            draws = res.idata.posterior["coef"].values.reshape(-1, len(self.feature_names))
            hdi = az.hdi(res.idata.posterior["coef"], hdi_prob=hdi_prob)["coef"].values
            for j, feat in enumerate(self.feature_names):
                rows.append({
                    "prior": name, "feature": feat, "ols": self.ols_coef[j], "map": est.coef[j],
                    "sklearn": sk.coef_[j], "alpha": est.alpha,
                    "mean": draws[:, j].mean(), "median": np.median(draws[:, j]),
                    "sd": draws[:, j].std(ddof=1), "hdi_low": hdi[j, 0], "hdi_high": hdi[j, 1],
                    "threshold": thr[j], "prob_small": float(np.mean(np.abs(draws[:, j]) < thr[j])),
                })
        table = pd.DataFrame(rows).set_index(["prior", "feature"])
        table.attrs["hdi_prob"] = hdi_prob
        return table

    def loo(self, **kwargs):
        """``az.compare`` of the priors by PSIS-LOO; Pareto-k problems are re-raised as warnings."""
        az = import_arviz()
        compare_dict = {}
        for name, res in self.results.items():
            if "log_likelihood" not in res.idata.groups():
                raise ValueError(
                    f"the fit for {name!r} has no pointwise log-likelihood; refit with log_likelihood=True"
                )
            compare_dict[name] = res.idata
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = az.compare(compare_dict, **kwargs)
        for name, idata in compare_dict.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                k = az.loo(idata, pointwise=True).pareto_k.values
            n_bad = int(np.sum(k > 0.7))
            if n_bad:
                warnings.warn(f"LOO for {name!r}: {n_bad} observation(s) with Pareto k > 0.7; "
                              "the LOO estimate is unreliable for them (consider K-fold CV)",
                              BayesregWarning, stacklevel=2)
        for w in caught:
            if "Pareto" not in str(w.message):
                warnings.warn(f"az.compare: {w.message}", BayesregWarning, stacklevel=2)
        return table


def compare_priors(X, y, priors=("gaussian", "laplace"), *, alpha=None, scale=None, sigma=None,
                   **fit_kwargs) -> PriorComparison:
    """Fit each prior on the same data with the same seed and keep the results by name.

    ``alpha``/``scale``/``sigma`` and ``fit_kwargs`` are passed to :func:`bayesreg.fit` for every
    prior (with ``method="sample"``). A shared ``random_seed`` is drawn if none is given.
    """
    from .api import fit

    data = check_Xy(X, y)
    if isinstance(priors, str) or not hasattr(priors, "__iter__"):
        raise TypeError("priors must be a sequence such as ('gaussian', 'laplace')")
    priors = list(priors)
    if not priors:
        raise ValueError("priors must name at least one prior")
    names = [_prior_name(p) for p in priors]
    for i, name in enumerate(names):
        if names.count(name) > 1:
            names[i] = f"{name}_{i}"
    if fit_kwargs.get("method", "sample") != "sample":
        raise ValueError("compare_priors samples the posteriors; method must be 'sample'")
    fit_kwargs.pop("method", None)
    if fit_kwargs.get("random_seed") is None:
        fit_kwargs["random_seed"] = int(np.random.SeedSequence().generate_state(1)[0])
    frame_X = X if hasattr(X, "columns") else None
    results = {}
    for name, prior in zip(names, priors, strict=True):
        results[name] = fit(frame_X if frame_X is not None else data.X, data.y, prior,
                            alpha=alpha, scale=scale, sigma=sigma, **fit_kwargs)
    return PriorComparison(results, data.X, data.y, data.feature_names)
