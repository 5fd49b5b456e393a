"""FitResult: the posterior (ArviZ InferenceData), the MAP and the priors actually used."""

from __future__ import annotations

import errno
import json
import os
import pickle
import tempfile
import warnings
from dataclasses import fields

import numpy as np

from ._backend import import_arviz
from ._formula import FormulaDesign
from ._validation import check_random_seed, check_X_new
from .likelihoods import get_likelihood
from .map import MAPEstimate
from .priors import Gamma, HalfCauchy, ResolvedPrior, prior_from_dict, prior_to_dict
from .stats import is_dask_collection

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
    map : MAPEstimate or None
        The posterior mode of (intercept, coef) — exactly scikit-learn's Ridge/Lasso/ElasticNet at
        ``map.alpha``. Where σ or the prior scale is random it is the mode *given* their posterior
        medians (a plug-in; ``map.sigma`` and ``map.alpha`` say which values were used). None for
        a prior family without a MAP penalty (its mode is not a scikit-learn fit).
    prior : Gaussian, Laplace or ElasticNet
        The prior as the user gave it.
    feature_names : tuple of str
    sampler : str or None
        ``"exact"``, ``"gibbs"``, ``"nutpie"`` or ``"pymc"`` (None for ``method="map"``).
    x_sd : tuple of float or None
        The population sd of each predictor in the data fitted (for the shrinkage factors).
    classes : tuple or None
        ``family="bernoulli"``: the two class labels; ``classes[1]`` is the class whose
        probability is modelled (coded 1 in ``observed_data``). None for the Gaussian likelihood.
    formula : FormulaDesign or None
        For a fit given as a formula (``fit("y ~ a + C(g)", data=df)``): the formula and every
        state learned from the data (categorical levels, transforms), so that
        ``predict(new_df)`` encodes new rows the same way. None otherwise.
    x_scale : tuple of float or None
        ``standardize=True``: the population sd of each predictor; the prior applied to
        ``coef * x_scale`` (the coefficients of the standardized predictors) while every
        reported coefficient (draws, MAP, summaries, predictions) is in X's units. None when the
        prior is on the predictors as given.
    """

    def __init__(self, *, idata, map_estimate: MAPEstimate | None, resolved: ResolvedPrior,
                 feature_names, sampler: str | None, method: str, x_sd=None, classes=None,
                 formula=None, x_scale=None):
        self.idata = idata
        self.formula = formula
        self.x_scale = None if x_scale is None else tuple(float(v) for v in x_scale)
        self.classes = None if classes is None else tuple(classes)
        self.x_sd = None if x_sd is None else tuple(float(v) for v in x_sd)
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
        if self.map is None:
            mode = "map=None"
        elif self.map.C is not None:  # the logistic likelihood: scikit-learn's C
            mode = f"map_C={self.map.C:.6g}"
        else:
            mode = f"map_alpha={self.map.alpha:.6g}"
        return f"FitResult(prior={prior}, {body}, n_features={len(self.feature_names)}, {mode})"

    @property
    def family(self) -> str:
        """The likelihood: ``"gaussian"`` or ``"bernoulli"``."""
        return self.resolved_prior.likelihood

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
        table.attrs["standardize"] = self.x_scale is not None
        return table

    def prior_summary(self):
        """The priors actually used (after defaults and scaling), like rstanarm's ``prior_summary``.

        Returns a DataFrame indexed by parameter with columns ``prior`` and ``note``.
        """
        import pandas as pd

        rows = list(self.resolved_prior.describe())
        if self.x_scale is not None:
            rows.append(("predictors", "standardized: the prior is on coef_j * sd(x_j)",
                         "standardize=True: each predictor divided by its population sd (ddof=0, "
                         "as StandardScaler); draws, MAP and predictions are reported in X's "
                         "units (coef_j = standardized coef_j / sd(x_j))"))
        else:
            rows.append(("predictors", "as given: the prior is on coef_j in X's units",
                         "standardize=False: the prior's strength depends on each predictor's "
                         "units; standardize=True puts it on the standardized coefficients"))
        if self.formula is not None:
            rows.append(("design", self.formula.formula,
                         f"formula: {len(self.feature_names)} columns without the intercept "
                         "(flat prior, never penalized)"))
        table = pd.DataFrame(rows, columns=["parameter", "prior", "note"]).set_index("parameter")
        return table

    @property
    def prior_x_sd(self) -> tuple[float, ...] | None:
        """The population sds of the predictors the prior applies to (1 for standardized ones)."""
        if self.x_sd is None or self.x_scale is None:
            return self.x_sd
        return tuple(sd / scale for sd, scale in zip(self.x_sd, self.x_scale, strict=True))

    def coef_on_prior_scale(self, coef) -> np.ndarray:
        """Coefficients (last axis: features) in the units the prior is written for: times
        ``x_scale`` for a ``standardize=True`` fit (the standardized coefficients), else as given."""
        coef = np.asarray(coef, dtype=float)
        return coef if self.x_scale is None else coef * np.asarray(self.x_scale)

    def design(self, X_new, name: str = "X_new"):
        """``X_new`` as the model's design: a DataFrame of a formula fit is encoded by its formula;
        anything else is returned as given (already a design with the fitted columns)."""
        if self.formula is None or not _is_frame(X_new):
            return X_new
        if tuple(str(c) for c in X_new.columns) == self.feature_names:
            return X_new  # already the encoded design
        if is_dask_collection(X_new):
            import pandas as pd

            meta = pd.DataFrame({name: pd.Series(dtype=float) for name in self.feature_names})
            return X_new.map_partitions(self.formula.transform, meta=meta)
        return self.formula.transform(X_new, name)

    def diagnostics(self):
        """R-hat, bulk/tail ESS and problems per parameter; ``attrs['divergences']`` for NUTS."""
        from .sampling import diagnose

        self._require_posterior("diagnostics()")
        return diagnose(self.idata)

    def shrinkage_profile(self, *, random_seed=None, label: str | None = None):
        r"""Draws of the shrinkage factors :math:`\kappa_j = 1/(1 + n s_j^2 v_j/\sigma^2)`, prior and
        posterior; see :func:`bayesreg.shrinkage_profile` and
        :func:`bayesreg.plots.plot_shrinkage_profile`."""
        from .shrinkage import shrinkage_profile

        return shrinkage_profile(self, random_seed=random_seed, label=label)

    def select(self, method: str = "projection", *, X=None, max_size: int | None = None,
               search: str = "forward", n_draws: int | None = None, random_seed=None,
               rule="one_se", prob: float | None = None, progressbar: bool | None = None):
        r"""Which variables matter: projection predictive search, SAVS, intervals, DSS or ranks.

        See :func:`bayesreg.selection.select` (the formulas and every option) and
        :func:`bayesreg.plots.plot_selection` / :func:`bayesreg.plots.plot_inclusion`.
        ``X`` (the predictors the model was fitted to) is needed by ``"projection"`` and
        ``"decoupled"``. Returns a :class:`~bayesreg.Selection`.
        """
        from .selection import select

        X = None if X is None else self.design(X, "X")
        return select(self, method, X=X, max_size=max_size, search=search, n_draws=n_draws,
                      random_seed=random_seed, rule=rule, prob=prob, progressbar=progressbar)

    # -- prediction ---------------------------------------------------------------------------
    def predict(self, X_new, kind: str = "mean", *, random_seed=None) -> np.ndarray:
        r"""Predict for new rows.

        Parameters
        ----------
        X_new : array-like or DataFrame (n_new, n_features), or dask array or DataFrame
            For dask ``X_new`` the result is a lazy dask array (nothing is computed here; a
            non-finite value raises when the result is computed). For a formula fit, a DataFrame
            holding the formula's variables (encoded like the training data: missing columns and
            categorical levels not seen in fitting raise a ValueError naming them); an array is
            taken as the encoded design.
        kind : str
            Gaussian likelihood — ``"mean"``: posterior mean of :math:`b_0 + x^\top\beta` (the MAP
            prediction for ``method="map"``), shape (n_new,); ``"draws"``: one row per posterior
            draw of :math:`b_0 + x^\top\beta`, shape (chains*draws, n_new); ``"predictive"``: like
            ``"draws"`` plus Gaussian noise with that draw's σ (posterior predictive); ``"map"``:
            the MAP prediction.
            Logistic likelihood (``family="bernoulli"``) — ``"proba"`` (= ``"mean"``): the
            posterior mean of :math:`P(y = 1 \mid x) = 1/(1 + e^{-(b_0 + x^\top\beta)})` (the
            class ``classes[1]``), the MAP's for ``method="map"``; ``"class"``: the label with
            the larger such probability; ``"draws"``: the probability for every draw;
            ``"predictive"``: one 0/1 outcome per draw (1 = ``classes[1]``); ``"map"``: the MAP's
            probability.
        random_seed : int, numpy.random.SeedSequence or None, optional
            Seed for the noise of ``kind="predictive"`` (a non-negative integer; None draws fresh
            entropy).
        """
        likelihood = self.resolved_prior.likelihood_spec
        kinds = likelihood.predict_kinds
        if kind not in kinds:
            raise ValueError(f"kind must be one of {kinds} for family={likelihood.name!r}; got {kind!r}")
        seed = check_random_seed(random_seed)
        X_new = self.design(X_new)
        lazy = is_dask_collection(X_new)
        X = dask_design(X_new, self.feature_names) if lazy else check_X_new(X_new, self.feature_names)
        if kind == "class":
            upper = self.predict(X_new, "proba") > 0.5
            labels = np.asarray(self.classes)
            if lazy:
                return upper.map_blocks(lambda b: labels[b.astype(np.intp)], dtype=labels.dtype)
            return labels[upper.astype(np.intp)]
        if kind == "proba":
            kind = "mean"
        link = likelihood.mean_response
        if kind == "map" or (kind == "mean" and self.idata is None):
            if self.map is None:
                raise ValueError(f"predict(kind='map'): the {self.resolved_prior.spec.label} prior has "
                                 "no finite MAP; use kind='mean' (the posterior mean)")
            return link(self.map.intercept + X @ self.map.coef)
        post = self._require_posterior(f"predict(kind={kind!r})")
        coef = post["coef"].values.reshape(-1, len(self.feature_names))
        intercept = post["intercept"].values.reshape(-1)
        if kind == "mean" and likelihood.identity_link:
            return float(intercept.mean()) + X @ coef.mean(axis=0)
        draws = intercept[:, None] + (X @ coef.T).T if lazy else intercept[:, None] + coef @ X.T
        if not likelihood.identity_link:
            draws = draws.map_blocks(link, dtype=float) if lazy else link(draws)
        if kind == "mean":
            return draws.mean(axis=0)
        if kind == "predictive":
            sigma = post["sigma"].values.reshape(-1) if "sigma" in post else \
                np.full(intercept.size, self.resolved_prior.sigma)
            if lazy:  # one generator per block of rows, spawned from the seed: same seed, same noise
                return draws.map_blocks(_add_noise, sigma, seed, self.family,
                                        dtype=float if likelihood.has_sigma else np.int64)
            draws = likelihood.add_noise(draws, sigma, np.random.default_rng(seed))
        return draws

    # -- persistence ----------------------------------------------------------------------------
    def _metadata(self) -> dict:
        return {
            "version": 1,
            "resolved_prior": _resolved_to_dict(self.resolved_prior),
            "map": None if self.map is None else self.map.to_dict(),
            "feature_names": list(self.feature_names),
            "sampler": self.sampler,
            "method": self.method,
            "x_sd": None if self.x_sd is None else list(self.x_sd),
            "classes": None if self.classes is None else list(self.classes),
            "formula": None if self.formula is None else self.formula.to_dict(),
            "x_scale": None if self.x_scale is None else list(self.x_scale),
        }

    def to_netcdf(self, path) -> str:
        """Write the result (draws, MAP, priors) to a netCDF file; read it back with :func:`load`.

        Parameters
        ----------
        path : str or path-like
            File to write (overwritten if it exists). Its directory must already exist.

        Returns
        -------
        str
            ``path``.

        Raises
        ------
        FileNotFoundError
            If the directory of ``path`` does not exist (nothing is written).
        NotADirectoryError
            If the "directory" of ``path`` is a file.
        IsADirectoryError
            If ``path`` is an existing directory.
        PermissionError
            If ``path`` or its directory is not writable.
        """
        path = _check_output_path(path)
        az = import_arviz()
        idata = self.idata
        if idata is None:
            idata = az.InferenceData()
        idata = idata.copy()
        meta = json.dumps(self._metadata())
        if "observed_data" in idata.groups():
            idata.observed_data.attrs[_META_KEY] = meta
        elif "constant_data" in idata.groups():  # a fit from sufficient statistics, sigma fixed
            idata.constant_data.attrs[_META_KEY] = meta
        else:  # MAP only: keep the estimate itself as data so the file is self-describing
            import xarray as xr

            dataset = xr.Dataset(
                {"map_coef": (("feature",), self.map.coef), "map_intercept": ((), self.map.intercept)},
                coords={"feature": list(self.feature_names)}, attrs={_META_KEY: meta},
            )
            idata.add_groups({"constant_data": dataset})
        existed = os.path.exists(path)
        try:
            idata.to_netcdf(path)
        except Exception as exc:
            if not existed and os.path.isfile(path):
                os.remove(path)  # no half-written file left behind
            if isinstance(exc, OSError):
                raise OSError(f"could not write the result to {path!r}: {exc}") from exc
            raise
        return path


def _is_frame(obj) -> bool:
    """A pandas, polars or dask DataFrame (what a formula fit encodes with its formula)."""
    return hasattr(obj, "columns") and hasattr(obj, "dtypes") and getattr(obj, "ndim", 2) == 2


def _add_noise(block: np.ndarray, sigma: np.ndarray, seed: np.random.SeedSequence,
               family: str = "gaussian", block_id=None) -> np.ndarray:
    """Gaussian noise with each draw's σ for one block of rows of a lazy posterior predictive."""
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, *block_id))
    return get_likelihood(family).add_noise(block, sigma, np.random.default_rng(child))


def _finite_block(block: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(block)):
        raise ValueError("X_new contains NaN or infinite values; drop or impute them before predicting")
    return block


def dask_design(X_new, feature_names: tuple[str, ...]):
    """A dask X_new as a lazy float64 dask array with whole rows per block (checked lazily)."""
    import dask.array as da

    from ._validation import _numeric_dtype

    p = len(feature_names)
    if isinstance(X_new, da.Array):
        if X_new.ndim != 2:
            raise ValueError(f"X_new must be 2-D (n_new, n_features); got a {X_new.ndim}-D dask array")
        if not _numeric_dtype(X_new.dtype) or X_new.dtype.kind == "c":
            raise TypeError(f"X_new must contain real numbers; got dtype {X_new.dtype}")
        if X_new.shape[1] != p:
            raise ValueError(f"X_new has {X_new.shape[1]} features but the model was fitted with {p}")
        X = X_new.rechunk({1: -1}) if X_new.numblocks[1] > 1 else X_new
    else:
        if getattr(X_new, "ndim", 2) != 2:
            raise ValueError("X_new must be 2-D (n_new, n_features); got a dask Series")
        names = tuple(str(c) for c in X_new.columns)
        if names != tuple(feature_names):
            raise ValueError(f"X_new columns {list(names)} do not match the fitted features "
                             f"{list(feature_names)}")
        bad = [str(c) for c, dt in X_new.dtypes.items() if not _numeric_dtype(dt)]
        if bad:
            raise TypeError(f"X_new has non-numeric columns {bad}")
        X = X_new.to_dask_array()
    return X.astype(np.float64).map_blocks(_finite_block, dtype=np.float64)


# -- files ------------------------------------------------------------------------------------

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_CLASSIC_NETCDF_SIGNATURES = (b"CDF\x01", b"CDF\x02", b"CDF\x05")


def _check_output_path(path) -> str:
    """Check that ``path`` can be written as a file before anything is written; return it."""
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not path:
        raise ValueError("path must be a file name such as 'result.nc'; got an empty string")
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"cannot write the result to {path!r}: it is a directory; give a file name such as "
            f"{os.path.join(path, 'result.nc')!r}"
        )
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(parent):
        raise FileNotFoundError(
            f"cannot write the result to {path!r}: the directory {parent!r} does not exist; "
            "create it first (e.g. os.makedirs)"
        )
    if not os.path.isdir(parent):
        raise NotADirectoryError(
            f"cannot write the result to {path!r}: {parent!r} is a file, not a directory"
        )
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise PermissionError(f"cannot write the result to {path!r}: the file is not writable "
                              "(permission denied)")
    try:  # a real probe: os.access says yes to root even where nothing can be created
        fd, probe = tempfile.mkstemp(dir=parent, prefix=".bayesreg-write-test-")
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        unwritable = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT)
        if isinstance(exc, PermissionError) or exc.errno in unwritable:
            raise PermissionError(
                f"cannot write the result to {path!r}: the directory {parent!r} is not writable "
                f"({exc.strerror or exc}); choose another location"
            ) from exc
        raise OSError(f"cannot write the result to {path!r}: {exc.strerror or exc}") from exc
    return path


def _file_problem(path: str) -> str | None:
    """Why ``path`` cannot be a result file, judging from its size and first bytes (or None)."""
    if os.path.isdir(path):
        return "it is a directory, not a bayesreg result file"
    size = os.path.getsize(path)
    if size == 0:
        return "the file is empty (0 bytes), not a bayesreg result file"
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_CLASSIC_NETCDF_SIGNATURES):
        return ("it is a classic netCDF-3 file, not a bayesreg result file (bayesreg writes "
                "netCDF-4 with FitResult.to_netcdf)")
    if head != _HDF5_SIGNATURE:
        return "it is not a bayesreg result file (not a netCDF-4/HDF5 file)"
    return None


def _read_idata(path: str):
    """The InferenceData in ``path``, every group read into memory (so damage shows up here)."""
    az = import_arviz()
    try:
        with az.rc_context({"data.load": "eager"}), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            idata = az.from_netcdf(path)
            for group in idata.groups():
                getattr(idata, group).load()
    except MemoryError:
        raise
    except Exception as exc:  # h5py/xarray raise many kinds for a damaged file
        raise ValueError(
            f"cannot read {path!r}: the file is corrupted or truncated (it starts like a "
            "netCDF-4 file but its contents cannot be read); write it again with "
            "FitResult.to_netcdf"
        ) from exc
    return idata


def _corrupted(path: str, what: str) -> ValueError:
    return ValueError(f"cannot read {path!r}: the file is corrupted or truncated ({what}); "
                      "write it again with FitResult.to_netcdf")


def _check_consistent(path: str, meta: dict, idata) -> None:
    """Check the metadata against the stored arrays."""
    names = list(meta["feature_names"])
    if not all(isinstance(name, str) for name in names):
        raise _corrupted(path, "feature names are not strings")
    if meta["map"] is None and meta["method"] == "map":
        raise _corrupted(path, "a MAP result without its MAP")
    n_coef = len(names) if meta["map"] is None else np.asarray(meta["map"].get("coef", ())).size
    if n_coef != len(names):
        raise _corrupted(path, f"the MAP has {n_coef} coefficients for {len(names)} features")
    if meta["method"] == "map":
        if "constant_data" in idata.groups() and "feature" in idata.constant_data.coords:
            stored = [str(f) for f in idata.constant_data["feature"].values]
            if stored != names:
                raise _corrupted(path, f"the stored features {stored} do not match the feature "
                                       f"names {names} in its metadata")
        return
    if "posterior" not in idata.groups():
        raise _corrupted(path, "a sampled result without a posterior group")
    post = idata.posterior
    missing = [v for v in ("intercept", "coef") if v not in post]
    if missing:
        raise _corrupted(path, f"the posterior lacks {missing}")
    if tuple(post["coef"].dims) != ("chain", "draw", "feature"):
        raise _corrupted(path, f"posterior coef has dims {tuple(post['coef'].dims)}, expected "
                               "('chain', 'draw', 'feature')")
    stored = [str(f) for f in post["feature"].values]
    if stored != names:
        raise _corrupted(path, f"the posterior's features {stored} do not match the feature "
                               f"names {names} in its metadata")


def load(path) -> FitResult:
    """Read a :class:`FitResult` written by :meth:`FitResult.to_netcdf`.

    The whole file is read and checked here, so a damaged file fails now, not at first use.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    FitResult

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``path`` is a directory, empty, not a netCDF file written by bayesreg, or corrupted or
        truncated; the message names the path and the problem.
    """
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path!r}")
    problem = _file_problem(path)
    if problem is not None:
        raise ValueError(f"cannot read {path!r}: {problem}")
    idata = _read_idata(path)
    raw = None
    for group in ("observed_data", "constant_data"):
        if group in idata.groups() and _META_KEY in getattr(idata, group).attrs:
            raw = getattr(idata, group).attrs.pop(_META_KEY)
            break
    if raw is None:
        raise ValueError(f"cannot read {path!r}: it is not a bayesreg result file (a netCDF "
                         "file without bayesreg metadata; write results with "
                         "FitResult.to_netcdf)")
    try:
        meta = json.loads(raw)
        if not isinstance(meta, dict):
            raise TypeError("metadata is not a JSON object")
        if meta.get("version") != 1:
            raise ValueError(f"unknown metadata version {meta.get('version')!r}")
        if meta["method"] not in ("map", "sample"):
            raise ValueError(f"unknown method {meta['method']!r}")
        _check_consistent(path, meta, idata)
        result = FitResult(
            idata=None if meta["method"] == "map" else idata,
            map_estimate=None if meta["map"] is None else MAPEstimate.from_dict(meta["map"]),
            resolved=_resolved_from_dict(meta["resolved_prior"]),
            feature_names=meta["feature_names"],
            sampler=meta["sampler"],
            method=meta["method"],
            x_sd=meta.get("x_sd"),  # absent in files of older versions
            classes=meta.get("classes"),
            formula=None if meta.get("formula") is None else FormulaDesign.from_dict(meta["formula"]),
            x_scale=meta.get("x_scale"),
        )
    except ValueError as exc:
        if str(exc).startswith(f"cannot read {path!r}"):
            raise
        raise _corrupted(path, f"invalid bayesreg metadata: {exc}") from exc
    except (KeyError, TypeError, AttributeError, pickle.UnpicklingError, EOFError) as exc:
        raise _corrupted(path, f"invalid bayesreg metadata: {type(exc).__name__} {exc}") from exc
    return result
