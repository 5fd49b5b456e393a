r"""Standardized units: every sampler and MAP solver works on centred, scaled data and maps back.

With :math:`c_x = \mathrm{rms}_j\,\mathrm{sd}(x_j)` and :math:`c_y = \mathrm{sd}(y)` the samplers see

.. math:: \tilde X = (X - \bar x)/c_x, \qquad \tilde y = (y - \bar y)/c_y,

and the parameters change as :math:`\beta = (c_y/c_x)\tilde\beta`, :math:`\sigma = c_y\tilde\sigma`,
:math:`b_0 = \bar y - \bar x^\top\beta + c_y\tilde b_0`. A prior whose effective scale is
:math:`s\,\sigma^k` (``sigma_power`` k) keeps its form with :math:`\tilde s = s\,c_x c_y^{k-1}`;
a half-Cauchy hyperprior on s has its scale multiplied by that factor and a Gamma hyperprior on
:math:`1/s^2` its rate by the factor squared. One scalar for all of X (not one per column) keeps the
prior exchangeable across coefficients, so the model is exactly the one in the user's units: for
any :math:`c, d > 0`, fitting :math:`(cX, dy)` with correspondingly transformed prior settings gives
the transformed draws of fitting :math:`(X, y)`, up to floating point, with the same seed. Working
in these units keeps every quantity the samplers touch near 1, whatever the data's units.

A likelihood whose y is a label (Bernoulli: ``scale_response`` False) keeps y as it is:
:math:`c_y = 1` and no shift, so σ (fixed at 1) and the intercept's meaning are unchanged.

Sparse X is scaled but not centred (centring would make it dense); the sufficient statistics
centre it, and the shift drops out of the intercept formula (``x_shift`` = 0).

Data known only through their sufficient statistics (:class:`~bayesreg.SufficientStats`) take the
same units from them, :math:`c_x = \mathrm{rms}_j\sqrt{G_{jj}/n}`, :math:`c_y = \sqrt{y_c^\top y_c/n}`,
and the standardized statistics are :math:`G/c_x^2`, :math:`X_c^\top y_c/(c_x c_y)`,
:math:`y_c^\top y_c/c_y^2` with zero means: the same problem the rows would give.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ._scaling import rescale_alpha
from ._validation import Data, column_moments, is_sparse, rms
from .priors import ResolvedPrior

__all__ = ["Standardized", "Units", "data_units", "rescale_prior", "standardize", "standardized_statistics"]

#: standardized prior scales and noise sds outside [1/LIMIT, LIMIT] cannot be sampled reliably
#: in double precision (their squares and the Gram matrix divided by them over- or underflow)
_LIMIT = 1e100
#: centred sums of squares inside this range are computed accurately in the user's units
_SAFE_LOW, _SAFE_HIGH = 1e-250, 1e250


@dataclass(frozen=True)
class Units:
    """The affine change of units between the user's data and the standardized problem."""

    x_scale: float
    y_scale: float
    x_shift: np.ndarray
    y_shift: float

    def prior_factor(self, sigma_power: int) -> float:
        """Factor f with standardized prior scale = f × the scale in the user's units."""
        return self.x_scale * self.y_scale ** (sigma_power - 1)

    def coef_to_original(self, coef: np.ndarray) -> np.ndarray:
        return coef * (self.y_scale / self.x_scale)

    def intercept_to_original(self, intercept: np.ndarray, coef: np.ndarray) -> np.ndarray:
        """b0 = ȳ − shiftᵀβ + c_y b̃0 (``coef`` already in the user's units)."""
        return self.y_shift - coef @ self.x_shift + self.y_scale * intercept

    def draws_to_original(self, arrays: dict, resolved: ResolvedPrior) -> dict:
        """Posterior draws of the standardized problem in the user's units (new arrays)."""
        out = dict(arrays)
        coef = self.coef_to_original(arrays["coef"])
        out["coef"] = coef
        out["intercept"] = self.intercept_to_original(arrays["intercept"], coef)
        if "sigma" in arrays:
            out["sigma"] = arrays["sigma"] * self.y_scale
        f = self.prior_factor(resolved.sigma_power)
        if "coef_scale" in arrays:
            out["coef_scale"] = arrays["coef_scale"] / f
        if "coef_rate" in arrays:
            out["coef_rate"] = arrays["coef_rate"] * f
        return out

    def log_jacobian(self, n_features: int, resolved: ResolvedPrior) -> float:
        """log |∂θ/∂θ̃| of the map from standardized to original parameters (a constant)."""
        out = math.log(self.y_scale) + n_features * math.log(self.y_scale / self.x_scale)
        if not resolved.sigma_is_fixed:
            out += math.log(self.y_scale)
        if resolved.scale_is_random:
            f = self.prior_factor(resolved.sigma_power)
            out += -math.log(f) if resolved.random_scale_name == "coef_scale" else math.log(f)
        return out


def data_units(data: Data, sigma: float | None = None, scale_response: bool = True) -> Units:
    """The units of one data set: c_x = rms sd(x_j), c_y = sd(y) (σ, or 1, when y is constant).

    Data that differ by factors c, d give standardized problems equal up to rounding; by powers of
    two, bit-identical ones (scaling by a power of two is exact in floating point).
    """
    stats = data.stats
    if stats is not None:
        x_mean, x_sd = stats.x_mean, stats.x_sd
        y_mean, y_sd = stats.y_mean, 0.0 if stats.y_is_constant else stats.y_sd
    else:
        x_mean, x_sd = column_moments(data.X)
        y_mean, y_sd = (v[0] for v in column_moments(np.asarray(data.y, dtype=float).reshape(-1, 1)))
    x_scale = rms(x_sd) or 1.0
    y_scale = float(y_sd) or (sigma if sigma is not None else 1.0)
    if not scale_response:  # a likelihood whose y is not a measurement (0/1 labels): y as it is
        y_mean, y_scale = 0.0, 1.0
    shift = np.zeros_like(x_mean) if is_sparse(data.X) else x_mean
    return Units(x_scale=float(x_scale), y_scale=float(y_scale), x_shift=shift, y_shift=float(y_mean))


def standardize(data: Data, units: Units) -> Data:
    """The standardized data set (a new array; sparse X stays sparse and uncentred; statistics
    are rescaled)."""
    stats = data.stats
    if stats is not None:
        cx, cy = units.x_scale, units.y_scale
        scaled = dataclasses.replace(
            stats, x_mean=(stats.x_mean - units.x_shift) / cx, y_mean=(stats.y_mean - units.y_shift) / cy,
            gram=stats.gram / (cx * cx), xy=stats.xy / (cx * cy), yy=stats.yy / (cy * cy),
            x_min=None, x_max=None, y_min=None, y_max=None,
        )
        return dataclasses.replace(data, stats=scaled)
    if is_sparse(data.X):
        X = data.X * (1.0 / units.x_scale)
    else:
        X = (data.X - units.x_shift) / units.x_scale
    y = (np.asarray(data.y, dtype=float) - units.y_shift) / units.y_scale
    return dataclasses.replace(data, X=X, y=y)


def _check_range(value: float, what: str, argument: str) -> None:
    if not (1.0 / _LIMIT <= value <= _LIMIT):
        raise ValueError(
            f"{argument} puts {what} at {value:.3g} times the data's own scale (sd(y) per rms sd(x)); "
            "outside 1e-100..1e100 the posterior cannot be computed in floating point. Check the "
            f"units of {argument}, or rescale X and y"
        )


_ARGUMENT = {"alpha": "alpha", "scale": "scale", "prior": "prior", "default": "the default prior"}


def rescale_prior(resolved: ResolvedPrior, units: Units) -> ResolvedPrior:
    """The same prior written for the standardized data; ValueError if it is numerically degenerate."""
    f = units.prior_factor(resolved.sigma_power)
    argument = _ARGUMENT[resolved.source]
    changes: dict = {}
    if resolved.sigma is not None:
        changes["sigma"] = resolved.sigma / units.y_scale
        _check_range(changes["sigma"], "the noise sd", "sigma")
    if resolved.scale is not None:
        changes["scale"] = resolved.scale * f
        _check_range(changes["scale"], "the prior scale", argument)
    if resolved.alpha is not None:
        alpha, l1_ratio = rescale_alpha(resolved.spec, resolved.alpha, resolved.l1_ratio,
                                        units.x_scale, units.y_scale)
        changes["alpha"] = alpha
        if resolved.l1_ratio is not None:
            changes["l1_ratio"] = l1_ratio
        if resolved.scale is None:  # a family whose strength is alpha alone (the elastic net)
            _check_range(1.0 / (resolved.n_samples * alpha), "the prior scale", argument)
    if resolved.column_scales is not None:  # per-column scales in coefficient units: c_x / c_y
        changes["column_scales"] = tuple(v * (units.x_scale / units.y_scale)
                                         for v in resolved.column_scales)
    hyper = resolved.hyperprior
    if hyper is not None:
        changes["hyperprior"] = hyper.rescaled(f)
        _check_range(hyper.typical_scale() * f, "the hyperprior's typical scale", argument)
    return dataclasses.replace(resolved, **changes)


def standardized_statistics(data: Data, sigma: float | None = None, scale_response: bool = True):
    """The units of ``data`` and, when cheap, the centred statistics of the standardized data.

    Rows (dense, or sparse with p > n, which is made dense anyway): one pass gives the centred
    statistics in the user's units; the units and the standardized statistics follow from them (no
    standardized copy of X). Otherwise — sparse X with n >= p, statistics, or magnitudes at which
    those sums over- or underflow — returns ``(data_units(data), None)`` and the statistics are
    computed from :func:`standardize`.
    """
    if (data.stats is not None or (is_sparse(data.X) and data.n_features <= data.n_samples)
            or not scale_response):
        return data_units(data, sigma, scale_response), None
    from .map import CentredData

    raw = CentredData(data.X, data.y)  # for p > n a private centred copy of X (dense)
    sq_norms = raw.column_sq_norms()
    positive = sq_norms[sq_norms > 0]
    finite = (np.all(np.isfinite(sq_norms)) and np.all(np.isfinite(raw.corr)) and math.isfinite(raw.yy)
              and (raw.wide or np.all(np.isfinite(raw.gram))))
    safe = (finite and (raw.yy == 0 or _SAFE_LOW < raw.yy < _SAFE_HIGH)
            and (positive.size == 0 or (positive.min() > _SAFE_LOW and positive.max() < _SAFE_HIGH)))
    if not safe:
        return data_units(data, sigma), None
    n = raw.n
    x_scale = rms(np.sqrt(sq_norms / n)) or 1.0
    y_scale = math.sqrt(raw.yy / n) or (sigma if sigma is not None else 1.0)
    units = Units(x_scale=float(x_scale), y_scale=float(y_scale), x_shift=raw.x_mean, y_shift=raw.y_mean)
    return units, raw.rescaled(x_scale, y_scale)


class Standardized:
    """One problem in standardized units: the data, the prior and (on first use) the statistics.

    Raises ValueError at construction when a prior setting or σ is numerically degenerate
    relative to the data, before any work.
    """

    def __init__(self, data: Data, resolved: ResolvedPrior):
        self.original = data
        self._data = None
        self.units, self._suff = standardized_statistics(
            data, resolved.sigma, resolved.likelihood_spec.scale_response)
        self.resolved = rescale_prior(resolved, self.units)

    @property
    def data(self) -> Data:
        """The standardized data set (made on first use: NUTS and p > n need the rows)."""
        if self._data is None:
            self._data = standardize(self.original, self.units)
        return self._data

    @property
    def suff(self):
        """Centred sufficient statistics of the standardized data (:class:`~bayesreg.map.CentredData`)."""
        if self._suff is None:
            from .map import centred_statistics

            self._suff = centred_statistics(self.data)
        return self._suff


# ---------------------------------------------------------------------------------------------
# standardize=True: the prior on the coefficients of predictors scaled to unit sd (glmnet's way)


def column_scales(data: Data) -> np.ndarray:
    r"""The divisors of ``standardize=True``: the population sd of each column of X (ddof = 0,
    as scikit-learn's ``StandardScaler``); 1 for a constant column (as ``StandardScaler``)."""
    x_sd = np.asarray(data.spreads()[0], dtype=np.float64)
    return np.where(x_sd > 0, x_sd, 1.0)


def scale_columns(data: Data, scales: np.ndarray) -> Data:
    r"""The same data with column j of X divided by ``scales[j]`` (a new :class:`Data`).

    Centring is not needed: the intercept has a flat prior, so shifting a column changes only
    the intercept, and dividing a column by :math:`s_j` leaves the intercept as it is. Sparse X
    stays sparse; sufficient statistics are rescaled (:math:`G/(s s^\top)`, :math:`X_c^\top
    y_c/s`, means and ranges / s).
    """
    scales = np.asarray(scales, dtype=np.float64)
    if data.stats is not None:
        stats = data.stats
        changes = {"x_mean": stats.x_mean / scales, "gram": stats.gram / np.outer(scales, scales),
                   "xy": stats.xy / scales}
        for name in ("x_min", "x_max"):
            if getattr(stats, name) is not None:
                changes[name] = getattr(stats, name) / scales
        return Data(X=None, y=None, feature_names=data.feature_names,
                    stats=dataclasses.replace(stats, **changes))
    if is_sparse(data.X):
        from scipy import sparse

        X = sparse.csr_array(data.X @ sparse.diags_array(1.0 / scales))
    else:
        X = np.ascontiguousarray(data.X / scales)
        X.flags.writeable = False
    return Data(X=X, y=data.y, feature_names=data.feature_names)


def unscale_draws(idata, scales: np.ndarray) -> None:
    r"""Posterior draws fitted on X/s reported in X's units, in place: :math:`\beta_j =
    \tilde\beta_j/s_j` (the intercept, σ and the prior's own scales are unchanged), and the log
    posterior density ``lp`` gains the Jacobian :math:`\sum_j \log s_j`."""
    scales = np.asarray(scales, dtype=np.float64)
    post = idata.posterior
    post["coef"] = post["coef"] / _feature_array(post["coef"], scales)
    if "sample_stats" in idata.groups() and "lp" in idata.sample_stats:
        idata.sample_stats["lp"] = idata.sample_stats["lp"] + float(np.log(scales).sum())


def _feature_array(coef, scales: np.ndarray):
    import xarray as xr

    return xr.DataArray(scales, dims=("feature",), coords={"feature": coef["feature"].values})


def unscale_map(estimate, scales: np.ndarray):
    """A :class:`~bayesreg.MAPEstimate` of X/s reported in X's units (coef / s; ``x_scale`` set)."""
    if estimate is None:
        return None
    scales = np.asarray(scales, dtype=np.float64)
    return dataclasses.replace(estimate, coef=estimate.coef / scales,
                               x_scale=tuple(float(s) for s in scales))
