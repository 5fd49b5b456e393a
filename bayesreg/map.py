r"""Exact MAP estimates: Gaussian prior = Ridge, Laplace prior = Lasso, elastic net = ElasticNet.

The posterior mode under a flat intercept prior, Gaussian noise and a prior on the slopes solves

* Gaussian prior:
  :math:`\min_{b_0,\beta} \lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_2^2`
  (scikit-learn ``Ridge``), solved in closed form (Cholesky; kernel form when p > n;
  eigen/singular value decomposition as a fallback and for whole paths);
* Laplace prior:
  :math:`\min \frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1`
  (``Lasso``), solved by coordinate descent to a rough solution, then made *exact* by an
  active-set search: on a support :math:`S` with signs :math:`s` the optimum solves the linear
  system :math:`X_S^\top X_S\beta_S = X_S^\top y - n\alpha s`; sign changes are resolved by a line
  search, and columns with :math:`|x_j^\top r| > n\alpha` (:math:`j\notin S`) enter, until the
  optimality (KKT) conditions hold to ``1e-9`` relative (see :func:`_refine`);
* elastic net: :math:`\frac{1}{2n}\lVert\cdot\rVert^2 + \alpha\rho\lVert\beta\rVert_1 +
  \frac{\alpha(1-\rho)}{2}\lVert\beta\rVert_2^2` (``ElasticNet``), likewise.

The intercept is unpenalised: the slopes are fitted on centred data and
:math:`b_0 = \bar y - \bar x^\top\beta`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg

from ._validation import (
    Data,
    check_data,
    check_grid,
    check_int,
    check_positive,
    dense_array,
    is_sparse,
)
from .exceptions import BayesregWarning
from .priors import ResolvedPrior, resolve_prior

__all__ = ["CentredData", "MAPEstimate", "MAPPath", "centred_statistics", "map_estimate", "map_path"]

_KKT_TOL = 1e-9
_MAX_REFINE_STEPS = 500
_CD_TOLERANCES = (1e-4, 1e-6, 1e-8, 1e-10, 1e-12)
_FIRST_SWEEPS = 200
_FIRST_REFINE_STEPS = 100
_THREADED_FLOPS = 1e9
_TINY = np.finfo(float).tiny
_SATURATED_START = 0.9


@dataclass(frozen=True)
class MAPEstimate:
    """Posterior mode of the intercept and coefficients.

    Attributes
    ----------
    coef : ndarray of shape (n_features,)
    intercept : float
    objective : float
        Negative log posterior at the optimum, up to an additive constant
        (with σ = 1 when σ was not given; see ``loss`` for scikit-learn's objective).
    loss : float
        scikit-learn's objective at the optimum (Ridge, Lasso or ElasticNet scaling).
    n_iter : int
        Coordinate-descent sweeps (0 for the closed-form Gaussian case).
    converged : bool
        True when the optimality (KKT) conditions hold to ``1e-6`` relative (the solver reaches
        ``1e-9`` or better unless the problem is numerically singular).
    alpha : float
        The scikit-learn penalty this mode corresponds to (for the logistic likelihood the
        equivalent Gaussian-likelihood penalty at σ = 1, ``1/(w(n) C)``; see ``C``).
    family : str
        ``"gaussian"``, ``"laplace"`` or ``"elasticnet"``.
    kkt_violation : float
        Largest relative violation of the optimality conditions.
    C : float or None
        For ``family="bernoulli"``: scikit-learn's ``LogisticRegression(C=...)`` whose solution this
        is (``loss`` is then its objective); None for the Gaussian likelihood.
    x_scale : tuple of float or None
        With ``standardize=True``: the population sd of each predictor. The penalty (``alpha``,
        ``C``) then applies to ``coef * x_scale``, the coefficients of the standardized
        predictors, while ``coef`` is in X's units. None when the prior is on X as given.
    """

    coef: np.ndarray
    intercept: float
    objective: float
    loss: float
    n_iter: int
    converged: bool
    alpha: float
    family: str
    l1_ratio: float | None = None
    kkt_violation: float = 0.0
    sigma: float | None = None
    feature_names: tuple[str, ...] = field(default=(), repr=False)
    C: float | None = None
    x_scale: tuple[float, ...] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        nz = int(np.count_nonzero(self.coef))
        strength = f"alpha={self.alpha:.6g}" if self.C is None else f"C={self.C:.6g}"
        if self.x_scale is not None:
            strength += " (standardized predictors)"
        return (
            f"MAPEstimate(family={self.family!r}, {strength}, "
            f"intercept={self.intercept:.6g}, "
            f"nonzero={nz}/{self.coef.size}, converged={self.converged})"
        )

    def to_dict(self) -> dict:
        return {
            "coef": [float(c) for c in self.coef],
            "intercept": float(self.intercept),
            "objective": float(self.objective),
            "loss": float(self.loss),
            "n_iter": int(self.n_iter),
            "converged": bool(self.converged),
            "alpha": float(self.alpha),
            "family": self.family,
            "l1_ratio": self.l1_ratio,
            "kkt_violation": float(self.kkt_violation),
            "sigma": self.sigma,
            "feature_names": list(self.feature_names),
            "C": self.C,
            "x_scale": None if self.x_scale is None else list(self.x_scale),
        }

    @classmethod
    def from_dict(cls, data: dict) -> MAPEstimate:
        data = dict(data)
        data["coef"] = np.asarray(data["coef"], dtype=float)
        data["feature_names"] = tuple(data.get("feature_names", ()))
        if data.get("x_scale") is not None:
            data["x_scale"] = tuple(float(v) for v in data["x_scale"])
        return cls(**data)


@dataclass(frozen=True)
class MAPPath:
    """MAP coefficients along a grid of penalties (decreasing ``alphas``).

    ``coef`` has shape (n_alphas, n_features) — the transpose of scikit-learn's ``lasso_path``.
    With ``standardize=True`` the penalties apply to the coefficients of the standardized
    predictors, ``coef * x_scale``, while ``coef`` is in X's units (``x_scale``: the population sd
    of each predictor; None when the prior is on X as given).
    """

    alphas: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    family: str
    feature_names: tuple[str, ...]
    l1_ratio: float | None = None
    n_iter: np.ndarray | None = None
    x_scale: tuple[float, ...] | None = field(default=None, repr=False)

    def to_frame(self):
        """The path as a DataFrame indexed by alpha, one column per feature."""
        import pandas as pd

        return pd.DataFrame(self.coef, index=pd.Index(self.alphas, name="alpha"),
                            columns=list(self.feature_names))


# ---------------------------------------------------------------------------------------------
# solvers on centred data


class CentredData:
    r"""Centred data and sufficient statistics, computed once.

    For n >= p only :math:`X_c^\top X_c`, :math:`X_c^\top y_c` and :math:`y_c^\top y_c` are kept
    (computed in row chunks, so memory beyond ``X`` is O(p²) and every later step costs nothing in
    n). For p > n the centred design ``X`` and response ``y`` are kept as well.

    ``X`` may be a scipy.sparse matrix. For n >= p it is never made dense: the statistics come from
    the sparse product, :math:`X_c^\top X_c = X^\top X - n\bar x\bar x^\top` and
    :math:`X_c^\top y_c = X^\top y_c - \bar x\,\mathbf 1^\top y_c` (accurate unless a column's
    mean is large against its spread). For p > n it is made dense if n·p <= 5·10⁷
    (:func:`~bayesreg._validation.dense_array`), else ValueError.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, chunk_rows: int = 65_536):
        n, p = X.shape
        self.n, self.p = n, p
        self.wide = p > n
        if self.wide:
            X = dense_array(X, "the p > n solvers and samplers (which keep a dense centred X)")
        sparse_X = is_sparse(X)
        if not sparse_X:
            # one memory layout, so the same data give bit-identical statistics (and draws)
            X = np.ascontiguousarray(X, dtype=float)
        y = np.ascontiguousarray(y, dtype=float)
        self.x_mean = np.asarray(X.mean(axis=0), dtype=float).reshape(p)
        self.y_mean = float(y.mean())
        self._fortran = None
        if self.wide:
            self.X = np.subtract(X, self.x_mean, order="F")  # columns contiguous for descent
            self.y = y - self.y_mean
            self.corr = self.X.T @ self.y
            self.yy = float(self.y @ self.y)
            self._gram = None
            return
        self.X = self.y = None
        if sparse_X:
            self._gram, self.corr, self.yy = self._sparse_statistics(X, y)
            return
        gram = np.zeros((p, p))
        corr = np.zeros(p)
        yy = 0.0
        for start in range(0, n, chunk_rows):
            xc = X[start:start + chunk_rows] - self.x_mean
            yc = y[start:start + chunk_rows] - self.y_mean
            gram += xc.T @ xc
            corr += xc.T @ yc
            yy += float(yc @ yc)
        self._gram, self.corr, self.yy = gram, corr, yy

    @classmethod
    def from_stats(cls, n: int, x_mean: np.ndarray, y_mean: float, gram: np.ndarray,
                   corr: np.ndarray, yy: float) -> CentredData:
        """The statistics given directly: n, means, centred Gram matrix, Xᵀy and yᵀy (n >= p)."""
        self = cls.__new__(cls)
        x_mean = np.array(x_mean, dtype=float)
        self.n, self.p = int(n), x_mean.size
        if self.p > self.n:
            raise ValueError(f"statistics with p = {self.p} > n = {self.n}: the p > n solvers and "
                             "samplers need the centred design itself")
        self.wide = False
        self.x_mean, self.y_mean = x_mean, float(y_mean)
        self.X = self.y = self._fortran = None
        self._gram = np.array(gram, dtype=float).reshape(self.p, self.p)
        self.corr = np.array(corr, dtype=float).reshape(self.p)
        self.yy = float(yy)
        return self

    @classmethod
    def weighted(cls, X: np.ndarray, weights: np.ndarray, weighted_response: np.ndarray) -> CentredData:
        r"""Statistics of the weighted least-squares problem :math:`\sum_i w_i(z_i - b_0 - x_i^\top\beta)^2`.

        ``weighted_response`` is :math:`w_i z_i` (given as such, so a vanishing weight with a large
        working response stays finite); the weights must be positive. With the intercept profiled
        out the problem in β is the ordinary one for the rows :math:`\sqrt{w_i}(x_i - \bar x_w)` and
        :math:`\sqrt{w_i}(z_i - \bar z_w)`, centred at the weighted means
        :math:`\bar x_w = \sum_i w_i x_i/W`, :math:`\bar z_w = \sum_i w_i z_i/W`,
        :math:`W = \sum_i w_i` (``weight_total``); the intercept is :math:`\bar z_w - \bar x_w^\top\beta`.
        ``n`` stays the number of rows. Used by IRLS (logistic MAP) and the Pólya-Gamma Gibbs step.
        """
        X = np.asarray(X, dtype=float)
        n, p = X.shape
        self = cls.__new__(cls)
        self.n, self.p, self.wide = n, p, p > n
        total = float(weights.sum())
        self.weight_total = total
        self.x_mean = (weights @ X) / total
        self.y_mean = float(weighted_response.sum()) / total
        self._fortran = None
        root = np.sqrt(weights)  # the weights are positive
        yc = (weighted_response - weights * self.y_mean) / root
        self.yy = float(yc @ yc)
        if self.wide:
            xc = X - self.x_mean
            self.corr = xc.T @ weighted_response  # the z̄_w term vanishes: Σ w_i (x_i − x̄_w) = 0
            self.X = np.multiply(xc, root[:, None], order="F")
            self.y = yc
            self._gram = None
        else:  # XᵀWX − W x̄x̄ᵀ: no centred copy of X (X is standardized, so no cancellation)
            self.X = self.y = None
            self.corr = X.T @ weighted_response - self.x_mean * float(weighted_response.sum())
            scaled = X * root[:, None]
            self._gram = scaled.T @ scaled - total * np.outer(self.x_mean, self.x_mean)
        return self

    def _sparse_statistics(self, X, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Centred Gram matrix, correlations and sum of squares from a sparse ``X``."""
        yc = y - self.y_mean
        gram = np.asarray((X.T @ X).toarray(), dtype=float)
        gram -= self.n * np.outer(self.x_mean, self.x_mean)
        gram = 0.5 * (gram + gram.T)  # exactly symmetric, like xc.T @ xc
        diagonal = np.einsum("ii->i", gram)
        np.maximum(diagonal, 0.0, out=diagonal)  # a variance, whatever the rounding
        corr = np.asarray(X.T @ yc, dtype=float).reshape(self.p) - self.x_mean * yc.sum()
        return gram, corr, float(yc @ yc)

    @property
    def gram(self) -> np.ndarray:
        if self._gram is None:
            self._gram = self.X.T @ self.X
        return self._gram

    @property
    def X_fortran(self) -> np.ndarray:
        if self._fortran is None:
            self._fortran = np.asfortranarray(self.X)
        return self._fortran

    def intercept(self, beta: np.ndarray) -> float:
        return float(self.y_mean - self.x_mean @ beta)

    def column_sq_norms(self) -> np.ndarray:
        r"""Centred sums of squares of the columns, :math:`\lVert x_j - \bar x_j\rVert^2`."""
        if self.wide:
            return np.einsum("ij,ij->j", self.X, self.X)
        return np.diag(self.gram).copy()

    def rescaled(self, x_scale: float, y_scale: float) -> CentredData:
        """The statistics of (X - x̄)/x_scale and (y - ȳ)/y_scale: zero means, the rest rescaled.

        A new object; for p > n its centred design is a new array.
        """
        out = type(self).__new__(type(self))
        out.n, out.p, out.wide = self.n, self.p, self.wide
        out.x_mean, out.y_mean = np.zeros(self.p), 0.0
        out._fortran = None
        out.corr = self.corr / (x_scale * y_scale)
        out.yy = self.yy / (y_scale * y_scale)
        if self.wide:
            out.X = np.divide(self.X, x_scale, order="F")
            out.y = self.y / y_scale
            out._gram = None
        else:
            out.X = out.y = None
            out._gram = self.gram / (x_scale * x_scale)
        return out

    def rss(self, coef: np.ndarray):
        """Centred residual sum of squares: a float for one ``coef``, an array for rows of it."""
        coef = np.asarray(coef, dtype=float)
        many = np.atleast_2d(coef)
        if self.wide:
            resid = self.y[None, :] - many @ self.X.T
            out = np.einsum("si,si->s", resid, resid)
        else:
            quad = np.einsum("sp,sp->s", many @ self.gram, many)
            out = np.maximum(self.yy - 2 * many @ self.corr + quad, 0.0)
        return float(out[0]) if coef.ndim == 1 else out


def centred_statistics(data: Data) -> CentredData:
    """:class:`CentredData` of validated data: from the rows, or from their sufficient statistics."""
    stats = data.stats
    if stats is None:
        return CentredData(data.X, data.y)
    return CentredData.from_stats(stats.n_samples, stats.x_mean, stats.y_mean, stats.gram, stats.xy,
                                  stats.yy)


def _ridge(c: CentredData, alpha: float) -> np.ndarray:
    if not c.wide:
        a = c.gram.copy()
        a.flat[:: c.p + 1] += alpha
        try:
            return linalg.cho_solve(linalg.cho_factor(a, lower=True, check_finite=False),
                                    c.corr, check_finite=False)
        except linalg.LinAlgError:
            pass
    else:
        k = c.X @ c.X.T
        k.flat[:: c.n + 1] += alpha
        try:
            w = linalg.cho_solve(linalg.cho_factor(k, lower=True, check_finite=False), c.y,
                                 check_finite=False)
            return c.X.T @ w
        except linalg.LinAlgError:
            pass
    return _ridge_spectral(c, np.array([alpha]))[0]


def _ridge_spectral(c: CentredData, alphas: np.ndarray) -> np.ndarray:
    r"""Ridge solutions for several penalties from one decomposition, one row per ``alpha``.

    p > n: SVD :math:`X_c = U S V^\top`, :math:`\beta = V\,\mathrm{diag}(s/(s^2+\alpha))U^\top y_c`.
    n >= p (only the Gram matrix is kept): :math:`X_c^\top X_c = V\,\mathrm{diag}(\lambda)V^\top`,
    :math:`\beta = V\,\mathrm{diag}(1/(\lambda+\alpha))V^\top X_c^\top y_c`.
    """
    if c.wide:
        u, s, vt = linalg.svd(c.X, full_matrices=False, check_finite=False)
        uty = u.T @ c.y
        factors = s[None, :] / (s[None, :] ** 2 + alphas[:, None])
        return (factors * uty[None, :]) @ vt
    eigval, eigvec = linalg.eigh(c.gram, check_finite=False)
    eigval = np.maximum(eigval, 0.0)  # the Gram matrix is positive semi-definite
    vtc = eigvec.T @ c.corr
    return (vtc[None, :] / (eigval[None, :] + alphas[:, None])) @ eigvec.T


def _gram_eigenvalues(c: CentredData) -> np.ndarray:
    """Eigenvalues of the centred Gram matrix (squared singular values of the centred design)."""
    if c.wide:
        return linalg.svd(c.X, compute_uv=False, check_finite=False) ** 2
    return np.maximum(linalg.eigvalsh(c.gram, check_finite=False), 0.0)


def _default_alphas(c: CentredData, x_scale: float, alpha_max: float, l2_per_alpha: float,
                    n_alphas: int, eps: float) -> np.ndarray:
    r"""The default penalty grid (decreasing, log-spaced), in the user's units.

    With an L1 part: scikit-learn's ``lasso_path`` grid, from :math:`\alpha_{max}` (every
    coefficient exactly zero) down to ``eps`` times it. A pure L2 penalty (Ridge): from
    :math:`10\,s_{max}^2` (every coefficient shrunk ~10-fold or more) down to :math:`0.1\,s_{min}^2`
    (every direction within ~10 % of least squares), :math:`s_k` the singular values of the
    centred design, at most nine decades; divided by the L2 weight per unit of alpha.
    """
    if np.isfinite(alpha_max):
        top = alpha_max if alpha_max > 0 else 1.0
        return np.geomspace(top, top * eps, n_alphas)
    s2 = _gram_eigenvalues(c) * x_scale**2
    top = 10.0 * float(s2.max()) if s2.max() > 0 else 1.0
    low = max(0.1 * float(s2[s2 > 1e-12 * top].min()), 1e-9 * top)
    return np.geomspace(top, low, n_alphas) / l2_per_alpha


def _kkt_violation(c: CentredData, beta: np.ndarray, l1: float, l2: float,
                   grad: np.ndarray | None = None) -> float:
    r"""Largest violation of the optimality conditions, relative to ``l1``.

    With :math:`g = X_c^\top(y_c - X_c\beta) - \ell_2\beta` (``grad``, computed if not given):
    :math:`g_j = \ell_1\,\mathrm{sign}(\beta_j)` where :math:`\beta_j \ne 0` and
    :math:`|g_j| \le \ell_1` where :math:`\beta_j = 0`.
    """
    if grad is None:
        grad = _minus_gradient(c, beta, l2)
    nz = beta != 0
    viol = 0.0
    if nz.any():
        viol = float(np.max(np.abs(grad[nz] - l1 * np.sign(beta[nz]))))
    if not nz.all():
        viol = max(viol, float(np.max(np.abs(grad[~nz]))) - l1)
    return max(viol, 0.0) / max(l1, _TINY)


def _minus_gradient(c: CentredData, beta: np.ndarray, l2: float,
                    support: np.ndarray | None = None) -> np.ndarray:
    r"""Minus the gradient of the smooth part: :math:`X_c^\top(y_c - X_c\beta) - \ell_2\beta`.

    Only the columns in ``support`` (the nonzero coefficients) are used, so a sparse ``beta``
    costs O(p·|support|) with the Gram matrix and O(n·p) without it.
    """
    if support is None:
        support = np.flatnonzero(beta)
    if c.wide:
        fitted = c.X @ beta if 4 * support.size > c.p else c.X[:, support] @ beta[support]
        grad = c.X.T @ (c.y - fitted)
    elif 4 * support.size > c.p:
        grad = c.corr - c.gram @ beta
    else:  # the Gram matrix is symmetric: gather its rows (contiguous), not its columns
        grad = c.corr - beta[support] @ c.gram[support]
    if l2:
        grad -= l2 * beta
    return grad


class _SupportGram:
    r"""Blocks of :math:`X_c^\top X_c + \ell_2 I` for active sets of columns.

    With n >= p they are read from the Gram matrix. With p > n the Gram matrix is never formed:
    the entries between the columns met so far are cached and new columns are added as needed.
    """

    def __init__(self, c: CentredData, l2: float):
        self.c, self.l2 = c, l2
        self.position = np.full(c.p, -1, dtype=np.intp)
        self.columns = np.empty(0, dtype=np.intp)
        self.cache = np.empty((0, 0))

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """:math:`X_{rows}^\\top X_{cols}` (without the ridge term)."""
        if not self.c.wide:
            return np.take(np.take(self.c.gram, rows, axis=0), cols, axis=1)
        wanted = np.concatenate([rows, cols])
        missing = np.unique(wanted[self.position[wanted] < 0])
        if missing.size:
            x_new = self.c.X[:, missing]
            cross = self.c.X[:, self.columns].T @ x_new
            self.cache = np.block([[self.cache, cross], [cross.T, x_new.T @ x_new]])
            self.position[missing] = self.columns.size + np.arange(missing.size)
            self.columns = np.concatenate([self.columns, missing])
        rows_at, cols_at = self.position[rows], self.position[cols]
        return np.take(np.take(self.cache, rows_at, axis=0), cols_at, axis=1)

    def __call__(self, active: np.ndarray) -> np.ndarray:
        """:math:`X_A^\\top X_A + \\ell_2 I`."""
        h = self.block(active, active)
        h.flat[:: active.size + 1] += self.l2
        return h

    def extend_factor(self, factor: np.ndarray, order: np.ndarray,
                      new: np.ndarray) -> np.ndarray | None:
        """Cholesky factor for the columns ``order + new`` from the one for ``order``.

        O(k^2 m) for k old and m new columns; None if the extended system is not positive definite.
        """
        if new.size == 0:
            return factor
        k, m = order.size, new.size
        corner = self(new)
        try:
            if k == 0:
                return linalg.cholesky(corner, lower=True, check_finite=False)
            below = linalg.solve_triangular(factor, self.block(order, new), lower=True,
                                            check_finite=False).T
            tail = linalg.cholesky(corner - below @ below.T, lower=True, check_finite=False)
        except linalg.LinAlgError:
            return None
        out = np.zeros((k + m, k + m))
        out[:k, :k] = factor
        out[k:, :k] = below
        out[k:, k:] = tail
        return out


def _first_crossing(current: np.ndarray, direction: np.ndarray) -> tuple[float, np.ndarray]:
    """Smallest t > 0 where a nonzero ``current + t * direction`` reaches 0, and which do."""
    heading_to_zero = (current != 0) & (current * direction < 0)
    if not heading_to_zero.any():
        return np.inf, np.empty(0, dtype=np.intp)
    t = np.full(current.shape, np.inf)
    t[heading_to_zero] = -current[heading_to_zero] / direction[heading_to_zero]
    t_min = float(t.min())
    return t_min, np.flatnonzero(t == t_min)


def _refine(c: CentredData, beta: np.ndarray, l1: float, l2: float,
            max_steps: int = _MAX_REFINE_STEPS) -> tuple[np.ndarray, float] | None:
    r"""The exact optimum, from an approximate one, by an active-set ("feature-sign") search.

    Minimises :math:`\tfrac12\lVert y_c - X_c\beta\rVert^2 + \ell_1\lVert\beta\rVert_1 +
    \tfrac{\ell_2}{2}\lVert\beta\rVert^2` (Lee, Battle, Raina & Ng, 2007). Each step solves the
    linear system on an active set :math:`A` with signs :math:`\theta`,
    :math:`(X_A^\top X_A + \ell_2 I)\beta_A = X_A^\top y_c - \ell_1\theta`. If the solution changes
    a sign, a line search over the points where signs change (the objective is piecewise quadratic
    along the segment) moves to the best one, dropping the coefficients that reached zero. Once the
    signs agree, the zero coefficients with :math:`|x_j^\top r - \ell_2\beta_j| > \ell_1` join the
    active set with the sign of that gradient. If the system is singular (more active columns than
    the data can separate), a step along its null space lowers the penalty at an unchanged fit
    until a coefficient reaches zero. The objective never increases and there are finitely many
    (set, sign) pairs, so the search ends at the optimum; from a coordinate-descent start it takes
    a few steps. The Cholesky factor of the system is updated as columns enter and leave, and the
    answer is solved once more with a fresh factorisation. Returns the optimum and its KKT
    violation (see :func:`_kkt_violation`), or None if it does not finish within ``max_steps``.
    """
    from ._cd import chol_delete

    x = np.array(beta, dtype=float)
    tol = _KKT_TOL * l1
    order = np.flatnonzero(x)  # the active columns, in the order of the factor's rows
    # centred columns span at most n - 1 dimensions: a larger support is singular for sure, and
    # one close to that is so ill-conditioned that columns leave one per step. Start from the
    # largest coefficients instead; missing columns come back in batches.
    comfortable = int(_SATURATED_START * (c.n - 1))
    if l2 == 0.0 and order.size > comfortable:
        weight = np.abs(x[order]) * np.sqrt(_column_sq_norms(c)[order])
        x[order[np.argsort(weight)[: order.size - comfortable]]] = 0.0
        order = np.flatnonzero(x)
    system = _SupportGram(c, l2)
    factor, fresh = None, False  # lower Cholesky factor of system(order); from scratch?
    optimal_on_support = order.size == 0
    for _ in range(max_steps):
        if factor is None and order.size:
            fresh = True
            try:
                factor = linalg.cholesky(system(order), lower=True, check_finite=False)
            except linalg.LinAlgError:
                factor = None
        elif factor is None:
            factor, fresh = np.empty((0, 0)), True
        grad = _minus_gradient(c, x, l2, order)
        signs = np.sign(x[order])
        off = np.abs(grad)
        off[order] = 0.0
        violators = np.flatnonzero(off > l1 + tol)
        if optimal_on_support and violators.size == 0:
            if fresh:
                return x, _kkt_violation(c, x, l1, l2, grad)
            factor, optimal_on_support = None, False  # solve once more from a new factorisation
            continue
        new = np.empty(0, dtype=np.intp)
        if optimal_on_support:
            # all violators at once: any whose solution takes the wrong sign leave again below
            # (a single one always gets the right sign)
            new = violators[np.argsort(off[violators])[::-1]]
        while True:
            active = np.concatenate([order, new])
            theta = np.concatenate([signs, np.sign(grad[new])])
            extended = None if factor is None else system.extend_factor(factor, order, new)
            if extended is not None:
                solution = linalg.cho_solve((extended, True), c.corr[active] - l1 * theta,
                                            check_finite=False)
                if not np.all(np.isfinite(solution)):
                    extended = None
            if extended is None and new.size > 1:
                new = new[:1]
                continue
            if extended is not None and new.size > 1:
                wrong = np.sign(solution[order.size:]) != theta[order.size:]
                if wrong.any():
                    keep = new[~wrong]
                    new = keep if keep.size else new[:1]
                    continue
            break
        current = x[active]
        optimal_on_support = False
        if extended is None:
            # singular: h v = 0 leaves the fit unchanged along v; lower the penalty until a zero
            h = system(active)
            _, vectors = linalg.eigh(h, check_finite=False)
            direction = vectors[:, 0]
            if (-grad[active] + l1 * theta) @ direction > 0:
                direction = -direction
            t_min, hits = _first_crossing(current, direction)
            if not np.isfinite(t_min):
                direction = -direction
                t_min, hits = _first_crossing(current, direction)
            if not np.isfinite(t_min):
                return None
            moved = current + t_min * direction
            moved[hits] = 0.0
            x[active] = moved
            order, factor = active[moved != 0], None
            continue
        crossing = np.flatnonzero(np.sign(solution) != theta)
        if crossing.size == 0:
            x[active] = solution
            order, factor, fresh = active, extended, fresh and new.size == 0
            optimal_on_support = True
            continue
        # line search over the sign changes: f(t) - f(0) along current + t * step, 0 < t <= 1
        step = solution - current
        with np.errstate(divide="ignore", invalid="ignore"):
            t_cross = current[crossing] / (current[crossing] - solution[crossing])
        candidates = np.unique(np.concatenate([t_cross[t_cross > 0], [1.0]]))
        slope = float(grad[active] @ step)
        lower_step = extended.T @ step
        curvature = float(lower_step @ lower_step)  # step' h step with h = L L'
        points = current[None, :] + candidates[:, None] * step[None, :]
        change = (-candidates * slope + 0.5 * candidates**2 * curvature
                  + l1 * (np.abs(points).sum(axis=1) - np.abs(current).sum()))
        best = int(np.argmin(change))
        moved = points[best]
        moved[crossing[t_cross == candidates[best]]] = 0.0
        x[active] = moved
        gone = np.flatnonzero(moved == 0)
        for position in gone[::-1]:
            extended = chol_delete(extended, position)
        order, factor, fresh = np.delete(active, gone), extended, False
    return None


def _column_sq_norms(c: CentredData) -> np.ndarray:
    if c.wide:
        return np.einsum("ij,ij->j", c.X, c.X)
    return np.diag(c.gram).copy()


def _l1_solve(c: CentredData, l1: float, l2: float, warm: np.ndarray | None = None,
              max_sweeps: int = 100_000) -> tuple[np.ndarray, int, float]:
    """Coordinate descent to a rough solution, then :func:`_refine` to the exact one.

    The first refinement starts after at most ``_FIRST_SWEEPS`` sweeps (on ill-conditioned data
    descent crawls while the refinement needs only a rough support). If a refinement does not
    finish, descent runs on to the next tolerance of ``_CD_TOLERANCES`` and it starts again.
    Returns (coef, sweeps, KKT violation).
    """
    from ._cd import cd_gram, cd_resid

    beta = np.zeros(c.p) if warm is None else np.array(warm, dtype=float)
    sweeps = 0
    best, best_violation = beta.copy(), np.inf
    stages = [(_CD_TOLERANCES[0], _FIRST_SWEEPS, _FIRST_REFINE_STEPS)]
    stages += [(tol, max_sweeps, _MAX_REFINE_STEPS) for tol in _CD_TOLERANCES]
    for tol, sweep_budget, step_budget in stages:
        before = beta.copy()
        if not c.wide:
            sweeps += int(cd_gram(c.gram, c.corr, beta, l1, l2, tol, sweep_budget))
        else:
            sweeps += int(cd_resid(c.X_fortran, c.y, beta, l1, l2, tol, sweep_budget))
        if np.isfinite(best_violation) and np.array_equal(beta, before):
            continue  # descent had already converged to this tolerance: nothing new to refine
        refined = _refine(c, beta, l1, l2, step_budget)
        attempts = [(beta, None)] if refined is None else [refined, (beta, None)]
        for candidate, violation in attempts:
            if violation is None:
                violation = _kkt_violation(c, candidate, l1, l2)
            if violation < best_violation:
                best, best_violation = candidate.copy(), violation
            if best_violation <= _KKT_TOL:
                return best, sweeps, best_violation
    return best, sweeps, best_violation


def _solve(c: CentredData, family, alpha: float, l1_ratio: float | None = None,
           warm: np.ndarray | None = None):
    r"""Minimise the centred objective of ``family``'s penalty at ``alpha``.

    :math:`f = \tfrac12\lVert y_c - X_c\beta\rVert^2 + \ell_1\lVert\beta\rVert_1 +
    \tfrac{\ell_2}{2}\lVert\beta\rVert^2` with :math:`(\ell_1, \ell_2)` from
    :meth:`PriorFamily.penalty <bayesreg.priors.PriorFamily.penalty>`: a linear solve when
    :math:`\ell_1 = 0`, else coordinate descent polished to the exact optimum.
    Returns (coef, n_iter, kkt_violation, f).
    """
    l1, l2 = family.penalty(alpha, l1_ratio, c.n)
    return solve_penalised(c, l1, l2, warm)


def solve_penalised(c: CentredData, l1: float, l2: float, warm: np.ndarray | None = None):
    r"""Minimise :math:`\tfrac12\lVert y_c - X_c\beta\rVert^2 + \ell_1\lVert\beta\rVert_1 +
    \tfrac{\ell_2}{2}\lVert\beta\rVert^2` exactly; returns (coef, n_iter, kkt_violation, f)."""
    if l1 == 0.0:
        beta = _ridge(c, l2)
        sweeps, viol = 0, 0.0
    else:
        beta, sweeps, viol = _l1_solve(c, l1, l2, warm)
    objective = 0.5 * c.rss(beta) + l1 * np.abs(beta).sum() + 0.5 * l2 * float(beta @ beta)
    return beta, sweeps, viol, float(objective)


def check_has_map(family) -> None:
    """ValueError naming why when a prior family has no MAP penalty."""
    if family.alpha_parts(1.0, None) is None:
        raise ValueError(
            f"the {family.label} prior has no finite MAP that bayesreg can compute: "
            f"{family.no_map_reason}. Use method='sample' and summarise the posterior "
            "(FitResult.summary(), posterior means and intervals) instead"
        )


def _blas_threads(flops: float):
    """One BLAS thread for small matrices (:func:`bayesreg._backend.blas_threads_for`)."""
    from ._backend import blas_threads_for

    return blas_threads_for(flops, _THREADED_FLOPS)


def map_from_resolved(data: Data, resolved: ResolvedPrior, *, sigma: float | None = None,
                      scale: float | None = None, problem=None) -> MAPEstimate:
    """MAP of the coefficients for a resolved prior, at given σ and scale where they are random.

    Solved in standardized units (:mod:`bayesreg._standardize`: the penalty rescaled exactly) and
    mapped back, so the answer does not depend on the units of X and y.
    """
    from ._scaling import rescale_alpha
    from ._standardize import Standardized

    family = resolved.spec
    check_has_map(family)
    alpha = resolved.implied_alpha(sigma=sigma, scale=scale)
    if alpha is None:
        raise ValueError(
            "the MAP needs the prior's strength in scikit-learn terms: pass alpha=..., or a fixed "
            "scale= together with sigma= (or a prior with scale_with_sigma=True for the Gaussian)"
        )
    n, p = data.n_samples, data.n_features
    likelihood = resolved.likelihood_spec
    if problem is None:
        with _blas_threads(n * p * min(n, p)):
            problem = Standardized(data, resolved)
    units = problem.units
    std_alpha, std_ratio = rescale_alpha(family, alpha, resolved.l1_ratio, units.x_scale,
                                         units.y_scale)
    l1, l2 = family.penalty(std_alpha, std_ratio, n)
    with _blas_threads(n * p * min(n, p)):
        std_b0, std_beta, sweeps, viol, std_objective = likelihood.solve_map(problem, l1, l2)
    beta = units.coef_to_original(std_beta)
    objective = std_objective * units.y_scale**2  # the centred objective in the user's units
    loss = family.loss_factor(n) * objective
    sig = sigma if sigma is not None else resolved.sigma
    C = None
    if not likelihood.has_sigma:  # the logistic likelihood: scikit-learn's objective is C × it
        C = likelihood.C_from_alpha(family, alpha, n)
        loss, sig = C * objective, None
    if viol > 1e-6:
        warnings.warn(
            f"the MAP solver stopped with a KKT violation of {viol:.3g} (> 1e-6): the estimate is not "
            "exact. The design is probably (nearly) collinear; see MAPEstimate.kkt_violation",
            BayesregWarning, stacklevel=3,
        )
    estimate = MAPEstimate(
        coef=beta, intercept=float(units.intercept_to_original(std_b0, beta)),
        objective=objective / (1.0 if sig is None else sig**2), loss=loss,
        n_iter=sweeps, converged=viol <= 1e-6, alpha=float(alpha), family=resolved.family,
        l1_ratio=resolved.l1_ratio, kkt_violation=viol, sigma=sig,
        feature_names=data.feature_names, C=C,
    )
    likelihood.check_map(estimate, data.X, data.y, stacklevel=4)
    return estimate


def map_estimate(X, y=None, prior="laplace", *, alpha: float | None = None, scale: float | None = None,
                 sigma: float | None = None, family: str = "gaussian",
                 C: float | None = None, data=None, standardize: bool = False) -> MAPEstimate:
    r"""Exact posterior mode (MAP) of a linear regression with a Gaussian/Laplace/elastic-net prior.

    Objectives solved (intercept :math:`b_0` unpenalised, :math:`n` = n_samples):

    * ``"gaussian"``: :math:`\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_2^2`
      = ``Ridge(alpha)``;
      a prior sd :math:`\tau` gives :math:`\alpha = \sigma^2/\tau^2`.
    * ``"laplace"``:
      :math:`\frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1`
      = ``Lasso(alpha)``; a prior scale :math:`b` gives :math:`\alpha = \sigma^2/(n b)`.
    * ``ElasticNet(alpha, l1_ratio)`` (:math:`\rho` = ``l1_ratio``):
      :math:`\frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\rho\lVert\beta\rVert_1
      + \frac{\alpha(1-\rho)}{2}\lVert\beta\rVert_2^2` = ``ElasticNet(alpha, l1_ratio)``.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features), dask array or DataFrame, or
        :class:`~bayesreg.SufficientStats`
        Dask data are reduced to their sufficient statistics in one pass on the active dask
        scheduler; the solvers then work on the Gram matrix, exactly as for data in memory.
    y : array-like of shape (n_samples,), or dask array/Series; omitted for a SufficientStats
    prior : str or prior object
        ``"gaussian"``/``"normal"``/``"ridge"``, ``"laplace"``/``"lasso"``, ``"elasticnet"``, or a
        :class:`~bayesreg.Gaussian`, :class:`~bayesreg.Laplace`, :class:`~bayesreg.ElasticNet`.
    alpha : float, optional
        scikit-learn's penalty. Exactly one way of giving the strength is needed: ``alpha``,
        or ``scale`` with ``sigma``, or a prior object with a fixed scale (and ``sigma``).
    scale : float, optional
        Prior scale (Gaussian sd :math:`\tau`, Laplace :math:`b`).
    sigma : float, optional
        Noise standard deviation, needed to turn a scale into a penalty.
    family : {"gaussian", "bernoulli"}
        The likelihood; ``"bernoulli"`` (``"logistic"``): the MAP is scikit-learn's
        ``LogisticRegression(C=C, l1_ratio=ρ)``, the mode under :math:`\beta_j \sim N(0, C)`
        (``"gaussian"``, ρ = 0), :math:`\mathrm{Laplace}(0, C)` (ρ = 1) or ``ElasticNet(l1_ratio=ρ)``;
        y holds two classes (the second in sorted order is coded 1).
    C : float, optional
        ``family="bernoulli"``: scikit-learn's ``C`` (instead of ``alpha``/``sigma``).
    data : DataFrame, optional
        With a formula as ``X`` (``"y ~ a + C(g)"``), the DataFrame holding its variables; see
        :func:`bayesreg.fit`.
    standardize : bool
        True: the penalty applies to the coefficients of the predictors divided by their
        population sds (ddof = 0), and the estimate is reported in X's units — equal to
        ``make_pipeline(StandardScaler(), Lasso(alpha))`` with its coefficients divided by
        ``StandardScaler().scale_`` (``MAPEstimate.x_scale`` holds those sds).

    Returns
    -------
    MAPEstimate
        ``coef`` and ``intercept`` equal scikit-learn's to solver precision, with exact zeros
        where the Lasso/elastic-net solution has them.
    """
    from ._params import Boolean, validate_params
    from .api import _unscaled, model_inputs
    from .likelihoods import get_likelihood
    from .priors import get_family

    standardize = validate_params({"standardize": standardize},
                                  {"standardize": [Boolean()]})["standardize"]
    check_has_map(get_family(prior))
    likelihood = get_likelihood(family)
    # the estimate keeps nothing of X or y
    data, _, _, _, x_scale = model_inputs(X, y, data, likelihood, standardize, private=False)
    resolved = resolve_prior(prior, scale=scale, alpha=alpha, sigma=sigma, data=data, C=C,
                             likelihood=likelihood)
    if resolved.scale_is_random:
        strength = "alpha=..., or scale=... with sigma=..." if likelihood.has_sigma else "C=... or scale=..."
        raise ValueError(f"map_estimate needs a fixed prior strength: pass {strength}")
    data.warn_degenerate(stacklevel=2)
    return _unscaled(map_from_resolved(data, resolved), x_scale)


def map_path(X, y=None, prior="laplace", alphas=None, n_alphas: int = 100, eps: float = 1e-3, *,
             progressbar: bool | None = None, standardize: bool = False) -> MAPPath:
    r"""MAP coefficients along a path of penalties, equal to scikit-learn at every ``alpha``.

    Laplace / elastic net: coordinate descent with warm starts from the largest penalty down, each
    point polished to the exact solution (equals ``Lasso(alpha)``/``ElasticNet`` with
    ``fit_intercept=True``, and ``lasso_path`` on centred data). Gaussian: one SVD gives the whole
    Ridge path :math:`\beta(\alpha) = V\,\mathrm{diag}(s_k/(s_k^2+\alpha))\,U^\top y_c`.

    Parameters
    ----------
    X, y : array-like; or dask data; or a :class:`~bayesreg.SufficientStats` with y omitted
    prior : str or prior object
        Gaussian, Laplace or ElasticNet (its ``l1_ratio`` is used; its ``alpha`` is ignored).
    alphas : array-like, optional
        Penalties; sorted into decreasing order. Default: ``n_alphas`` log-spaced values from
        :math:`\alpha_{max}` (the smallest penalty with all coefficients zero, Lasso/elastic
        net) down to ``eps`` times it; for Ridge from :math:`10\,s_{max}^2` down to
        :math:`0.1\,s_{min}^2` (:math:`s_k` the singular values of the centred design; ``eps``
        unused).
    n_alphas : int
    eps : float
    progressbar : bool, optional
        Show a progress display on stderr (one step per penalty of a Lasso / elastic-net path; a
        Ridge path is one decomposition and shows none). Default: only when stderr is a
        terminal; False silences it.
    standardize : bool
        True: the penalties apply to the coefficients of the predictors divided by their
        population sds (ddof = 0), as glmnet's default, and the default grid is computed for
        those predictors; ``coef`` is reported in X's units. Equal at every ``alpha`` to
        ``make_pipeline(StandardScaler(), Lasso(alpha))`` with its coefficients divided by
        ``StandardScaler().scale_`` (``MAPPath.x_scale`` holds those sds).

    Returns
    -------
    MAPPath
    """
    from ._params import Boolean, check_param
    from ._progress import StepProgress, progress_enabled
    from .priors import as_prior, get_family

    progressbar = check_param(progressbar, "progressbar", Boolean(), None)
    standardize = check_param(standardize, "standardize", Boolean())
    family = get_family(prior)
    check_has_map(family)
    l1_ratio = getattr(as_prior(prior), "l1_ratio", None)
    l1_per_alpha, l2_per_alpha = family.alpha_parts(1.0, l1_ratio)
    if alphas is None:
        n_alphas = check_int(n_alphas, "n_alphas", 1)
        eps = check_positive(eps, "eps", allow_none=False)
        if l1_per_alpha == 0 and l1_ratio is not None:  # as scikit-learn's ElasticNet paths
            raise ValueError("a default alpha grid needs l1_ratio > 0; pass alphas=")
        alpha_grid = None
    else:
        alpha_grid = np.sort(check_grid(alphas, "alphas"))[::-1]
    data = check_data(X, y, private=False)  # after the cheap checks: dask data take a pass here
    data.warn_degenerate(stacklevel=2)
    from ._scaling import rescale_alpha
    from ._standardize import column_scales, scale_columns, standardized_statistics
    from ._standardize import standardize as standardized

    x_scale = None
    if standardize:  # the prior on X / sd(X); the coefficients reported in X's units below
        x_scale = column_scales(data)
        data = scale_columns(data, x_scale)

    n, p = data.n_samples, data.n_features
    with _blas_threads(n * p * min(n, p)):
        units, c = standardized_statistics(data)
        if c is None:
            c = centred_statistics(standardized(data, units))
    cx, cy = units.x_scale, units.y_scale
    weight = family.objective_weight(c.n)
    # the smallest penalty with every coefficient exactly 0 (|x_j'y_c| <= l1 for all j)
    alpha_max = (float(np.max(np.abs(c.corr))) * cx * cy / (weight * l1_per_alpha)
                 if l1_per_alpha > 0 else np.inf)
    with _blas_threads(min(n, p) ** 3):
        if alpha_grid is None:  # in the user's units, from the standardized statistics
            alpha_grid = _default_alphas(c, cx, alpha_max, weight * l2_per_alpha, n_alphas, eps)
        if l1_per_alpha == 0:  # one decomposition gives the whole path
            std_l2 = np.array([family.penalty(float(a), l1_ratio, c.n)[1] for a in alpha_grid])
            coefs = _ridge_spectral(c, std_l2 / cx**2)
            n_iter = np.zeros(alpha_grid.size, dtype=int)
        else:
            coefs = np.empty((alpha_grid.size, c.p))
            n_iter = np.empty(alpha_grid.size, dtype=int)
            warm = None
            with StepProgress(f"{family.label} MAP path", alpha_grid.size,
                              progress_enabled(progressbar)) as progress:
                for k, a in enumerate(alpha_grid):
                    if a >= alpha_max:  # decided here, so the tie at the grid's top is exact
                        coefs[k], n_iter[k], warm = 0.0, 0, None
                    else:
                        std_alpha, std_ratio = rescale_alpha(family, float(a), l1_ratio, cx, cy)
                        beta, sweeps, _, _ = _solve(c, family, std_alpha, std_ratio, warm=warm)
                        coefs[k] = beta
                        n_iter[k] = sweeps
                        warm = beta
                    progress.advance()
        std_intercepts = c.y_mean - coefs @ c.x_mean
        coefs = units.coef_to_original(coefs)
        intercepts = units.intercept_to_original(std_intercepts, coefs)
    if x_scale is not None:  # coefficients of X / s → of X (the intercept is the same)
        coefs = coefs / x_scale
    return MAPPath(alphas=alpha_grid, coef=coefs, intercept=intercepts, family=family.name,
                   feature_names=data.feature_names, l1_ratio=l1_ratio, n_iter=n_iter,
                   x_scale=None if x_scale is None else tuple(float(v) for v in x_scale))
