"""FitResult: the posterior (ArviZ InferenceData), the MAP and the priors actually used."""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import fields

import numpy as np

from ._backend import import_arviz
from ._validation import check_X_new
from .map import MAPEstimate
from .priors import Gamma, HalfCauchy, ResolvedPrior, prior_from_dict, prior_to_dict

__all__ = ["FitResult", "load"]

_META_KEY = "bayesreg_metadata"


def _resolved_to_dict(resolved: ResolvedPrior) -> dict:
    out = {}
    for f in fields(resolved):
        value = getattr(resolved, f.name)
        if f.name == "prior":
            value = prior_to_dict(value)
        elif isinstance(value, HalfCauchy | Gamma):
            value = prior_to_dict(value)
        out[f.name] = value
    return out


def _resolved_from_dict(data: dict) -> ResolvedPrior:
    data = dict(data)
    data["prior"] = prior_from_dict(data["prior"])
    if isinstance(data.get("hyperprior"), dict):
        data["hyperprior"] = prior_from_dict(data["hyperprior"])
    return ResolvedPrior(**data)


class FitResult:
    """Result of :func:`bayesreg.fit`.

    Attributes
    ----------
    idata : arviz.InferenceData or None
        Groups ``posterior`` (``intercept``, ``coef`` with dims (chain, draw, feature), ``sigma``
        when σ is unknown, ``coef_scale``/``coef_rate`` when the prior scale is random),
        ``log_likelihood`` (pointwise, for LOO), ``sample_stats`` (``lp`` = log posterior density;
        NUTS statistics for NUTS), ``observed_data`` and, for a fixed σ, ``constant_data``.
        None for ``method="map"``.
    map : MAPEstimate
        The posterior mode of (intercept, coef) — exactly scikit-learn's Ridge/Lasso/ElasticNet at
        ``map.alpha``. Where σ or the prior scale is random it is the mode *given* their posterior
        medians (a plug-in; ``map.sigma`` and ``map.alpha`` say which values were used).
    prior : Gaussian, Laplace or ElasticNet
        The prior as the user gave it.
    feature_names : tuple of str
    sampler : str or None
        ``"exact"``, ``"gibbs"``, ``"nutpie"`` or ``"pymc"`` (None for ``method="map"``).
    """

    def __init__(self, *, idata, map_estimate: MAPEstimate, resolved: ResolvedPrior,
                 feature_names, sampler: str | None, method: str):
        self.idata = idata
        self.map = map_estimate
        self.resolved_prior = resolved
        self.prior = resolved.prior
        self.feature_names = tuple(feature_names)
        self.sampler = sampler
        self.method = method

    # -- description ------------------------------------------------------------------------
    def __repr__(self) -> str:
        prior = self.resolved_prior.describe()[1][1]
        if self.idata is None:
            body = "method='map'"
        else:
            post = self.idata.posterior
            body = f"sampler={self.sampler!r}, chains={post.sizes['chain']}, draws={post.sizes['draw']}"
        return (f"FitResult(prior={prior}, {body}, n_features={len(self.feature_names)}, "
                f"map_alpha={self.map.alpha:.6g})")

    def _require_posterior(self, what: str):
        if self.idata is None or "posterior" not in self.idata.groups():
            raise ValueError(f"{what} needs posterior draws; refit with method='sample'")
        return self.idata.posterior

    def summary(self, hdi_prob: float = 0.94, **kwargs):
        """``az.summary`` of the posterior (mean, sd, HDI, ESS, R-hat) as a DataFrame.

        ``df.attrs["sampler"]`` records which sampler produced the draws.
        """
        self._require_posterior("summary()")
        az = import_arviz()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            table = az.summary(self.idata, hdi_prob=hdi_prob, **kwargs)
        table.attrs["sampler"] = self.sampler
        table.attrs["prior"] = self.resolved_prior.describe()[1][1]
        return table

    def prior_summary(self):
        """The priors actually used (after defaults and scaling), like rstanarm's ``prior_summary``.

        Returns a DataFrame indexed by parameter with columns ``prior`` and ``note``.
        """
        import pandas as pd

        rows = self.resolved_prior.describe()
        table = pd.DataFrame(rows, columns=["parameter", "prior", "note"]).set_index("parameter")
        return table

    def diagnostics(self):
        """R-hat, bulk/tail ESS and problems per parameter; ``attrs['divergences']`` for NUTS."""
        from .sampling import diagnose

        self._require_posterior("diagnostics()")
        return diagnose(self.idata)

    # -- prediction ---------------------------------------------------------------------------
    def predict(self, X_new, kind: str = "mean", *, random_seed=None) -> np.ndarray:
        """Predict for new rows.

        Parameters
        ----------
        X_new : array-like or DataFrame (n_new, n_features)
        kind : {"mean", "draws", "predictive", "map"}
            ``"mean"``: posterior mean of :math:`b_0 + x^\\top\\beta` (the MAP prediction for
            ``method="map"``), shape (n_new,). ``"draws"``: one row per posterior draw of
            :math:`b_0 + x^\\top\\beta`, shape (chains*draws, n_new). ``"predictive"``: like
            ``"draws"`` plus Gaussian noise with that draw's σ (posterior predictive).
            ``"map"``: the MAP prediction.
        random_seed : int, optional
            Seed for the noise of ``kind="predictive"``.
        """
        kinds = ("mean", "draws", "predictive", "map")
        if kind not in kinds:
            raise ValueError(f"kind must be one of {kinds}; got {kind!r}")
        X = check_X_new(X_new, self.feature_names)
        if kind == "map" or (kind == "mean" and self.idata is None):
            return self.map.intercept + X @ self.map.coef
        post = self._require_posterior(f"predict(kind={kind!r})")
        coef = post["coef"].values.reshape(-1, len(self.feature_names))
        intercept = post["intercept"].values.reshape(-1)
        if kind == "mean":
            return float(intercept.mean()) + X @ coef.mean(axis=0)
        draws = intercept[:, None] + coef @ X.T
        if kind == "predictive":
            sigma = post["sigma"].values.reshape(-1) if "sigma" in post else \
                np.full(intercept.size, self.resolved_prior.sigma)
            rng = np.random.default_rng(random_seed)
            draws = draws + sigma[:, None] * rng.standard_normal(draws.shape)
        return draws

    # -- persistence ----------------------------------------------------------------------------
    def _metadata(self) -> dict:
        return {
            "version": 1,
            "resolved_prior": _resolved_to_dict(self.resolved_prior),
            "map": self.map.to_dict(),
            "feature_names": list(self.feature_names),
            "sampler": self.sampler,
            "method": self.method,
        }

    def to_netcdf(self, path) -> str:
        """Write the result (draws, MAP, priors) to a netCDF file; read it back with :func:`load`."""
        az = import_arviz()
        idata = self.idata
        if idata is None:
            idata = az.InferenceData()
        idata = idata.copy()
        meta = json.dumps(self._metadata())
        if "observed_data" in idata.groups():
            idata.observed_data.attrs[_META_KEY] = meta
        else:  # MAP only: keep the estimate itself as data so the file is self-describing
            import xarray as xr

            dataset = xr.Dataset(
                {"map_coef": (("feature",), self.map.coef), "map_intercept": ((), self.map.intercept)},
                coords={"feature": list(self.feature_names)}, attrs={_META_KEY: meta},
            )
            idata.add_groups({"constant_data": dataset})
        path = os.fspath(path)
        idata.to_netcdf(path)
        return path


def load(path) -> FitResult:
    """Read a :class:`FitResult` written by :meth:`FitResult.to_netcdf`."""
    az = import_arviz()
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path!r}")
    idata = az.from_netcdf(path)
    meta = None
    for group in ("observed_data", "constant_data"):
        if group in idata.groups() and _META_KEY in getattr(idata, group).attrs:
            meta = json.loads(getattr(idata, group).attrs.pop(_META_KEY))
            break
    if meta is None:
        raise ValueError(f"{path!r} was not written by FitResult.to_netcdf (no bayesreg metadata)")
    if meta["method"] == "map":
        idata = None
    return FitResult(
        idata=idata,
        map_estimate=MAPEstimate.from_dict(meta["map"]),
        resolved=_resolved_from_dict(meta["resolved_prior"]),
        feature_names=meta["feature_names"],
        sampler=meta["sampler"],
        method=meta["method"],
    )
