r"""Exact MAP estimates: Gaussian prior = Ridge, Laplace prior = Lasso, elastic net = ElasticNet.

The posterior mode under a flat intercept prior, Gaussian noise and a prior on the slopes solves

* Gaussian prior: :math:`\min_{b_0,\beta} \lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_2^2`
  (scikit-learn ``Ridge``), solved in closed form (Cholesky; kernel form when p > n; SVD fallback);
* Laplace prior: :math:`\min \frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1`
  (``Lasso``), solved by coordinate descent to find the support and signs, then *polished*: on the
  support :math:`S` with signs :math:`s`, the optimum solves the linear system
  :math:`X_S^\top X_S\beta_S = X_S^\top y - n\alpha s` exactly, and the KKT conditions
  :math:`|x_j^\top r| \le n\alpha` (:math:`j\notin S`) are checked;
* elastic net: :math:`\frac{1}{2n}\lVert\cdot\rVert^2 + \alpha\rho\lVert\beta\rVert_1 +
  \frac{\alpha(1-\rho)}{2}\lVert\beta\rVert_2^2` (``ElasticNet``), likewise.

The intercept is unpenalised: the slopes are fitted on centred data and
:math:`b_0 = \bar y - \bar x^\top\beta`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import linalg

from ._validation import Data, check_int, check_positive, check_Xy
from .priors import ResolvedPrior, resolve_prior

__all__ = ["CentredData", "MAPEstimate", "MAPPath", "map_estimate", "map_path"]

_KKT_TOL = 1e-9


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
        True when the optimality (KKT) conditions hold to ``1e-9`` relative.
    alpha : float
        The scikit-learn penalty this mode corresponds to.
    family : str
        ``"gaussian"``, ``"laplace"`` or ``"elasticnet"``.
    kkt_violation : float
        Largest relative violation of the optimality conditions.
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

    def __repr__(self) -> str:
        nz = int(np.count_nonzero(self.coef))
        return (
            f"MAPEstimate(family={self.family!r}, alpha={self.alpha:.6g}, intercept={self.intercept:.6g}, "
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
        }

    @classmethod
    def from_dict(cls, data: dict) -> MAPEstimate:
        data = dict(data)
        data["coef"] = np.asarray(data["coef"], dtype=float)
        data["feature_names"] = tuple(data.get("feature_names", ()))
        return cls(**data)


@dataclass(frozen=True)
class MAPPath:
    """MAP coefficients along a grid of penalties (decreasing ``alphas``).

    ``coef`` has shape (n_alphas, n_features) — the transpose of scikit-learn's ``lasso_path``.
    """

    alphas: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    family: str
    feature_names: tuple[str, ...]
    l1_ratio: float | None = None
    n_iter: np.ndarray | None = None

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
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, chunk_rows: int = 65_536):
        n, p = X.shape
        self.n, self.p = n, p
        self.x_mean = X.mean(axis=0)
        self.y_mean = float(y.mean())
        self.wide = p > n
        self._fortran = None
        if self.wide:
            self.X = X - self.x_mean
            self.y = y - self.y_mean
            self.corr = self.X.T @ self.y
            self.yy = float(self.y @ self.y)
            self._gram = None
            return
        self.X = self.y = None
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

    def gram_times(self, beta: np.ndarray) -> np.ndarray:
        if self.wide:
            return self.X.T @ (self.X @ beta)
        return self.gram @ beta

    def intercept(self, beta: np.ndarray) -> float:
        return float(self.y_mean - self.x_mean @ beta)

    def rss(self, coef: np.ndarray):
        """Centred residual sum of squares: a float for one ``coef``, an array for rows of ``coef``."""
        coef = np.asarray(coef, dtype=float)
        many = np.atleast_2d(coef)
        if self.wide:
            resid = self.y[None, :] - many @ self.X.T
            out = np.einsum("si,si->s", resid, resid)
        else:
            quad = np.einsum("sp,pq,sq->s", many, self.gram, many)
            out = np.maximum(self.yy - 2 * many @ self.corr + quad, 0.0)
        return float(out[0]) if coef.ndim == 1 else out


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
    return _ridge_svd(c, np.array([alpha]))[0]


def _ridge_svd(c: CentredData, alphas: np.ndarray) -> np.ndarray:
    u, s, vt = linalg.svd(c.X, full_matrices=False, check_finite=False)
    uty = u.T @ c.y
    factors = s[None, :] / (s[None, :] ** 2 + alphas[:, None])
    return (factors * uty[None, :]) @ vt


def _kkt_violation(c: CentredData, beta: np.ndarray, l1: float, l2: float) -> float:
    grad = c.corr - c.gram_times(beta) - l2 * beta
    nz = beta != 0
    viol = 0.0
    if nz.any():
        viol = float(np.max(np.abs(grad[nz] - l1 * np.sign(beta[nz]))))
    if (~nz).any():
        viol = max(viol, float(np.max(np.abs(grad[~nz]))) - l1)
    return max(viol, 0.0) / max(l1, np.finfo(float).tiny)


def _polish(c: CentredData, beta: np.ndarray, l1: float, l2: float) -> np.ndarray | None:
    """Solve exactly on the support/signs of ``beta``; None if the result is not optimal."""
    support = np.flatnonzero(beta)
    if support.size == 0:
        return beta if np.max(np.abs(c.corr)) <= l1 * (1 + _KKT_TOL) else None
    signs = np.sign(beta[support])
    if not c.wide:
        g_ss = c.gram[np.ix_(support, support)].copy()
    else:
        xs = c.X[:, support]
        g_ss = xs.T @ xs
    g_ss.flat[:: support.size + 1] += l2
    try:
        sol = linalg.cho_solve(linalg.cho_factor(g_ss, lower=True, check_finite=False),
                               c.corr[support] - l1 * signs, check_finite=False)
    except linalg.LinAlgError:
        return None
    if np.any(np.sign(sol) != signs):
        return None
    out = np.zeros_like(beta)
    out[support] = sol
    return out if _kkt_violation(c, out, l1, l2) <= _KKT_TOL else None


def _l1_solve(c: CentredData, l1: float, l2: float, warm: np.ndarray | None = None,
              max_sweeps: int = 100_000) -> tuple[np.ndarray, int, float]:
    from ._cd import cd_gram, cd_resid

    beta = np.zeros(c.p) if warm is None else np.array(warm, dtype=float)
    sweeps = 0
    for tol in (1e-8, 1e-11, 1e-14):
        if not c.wide:
            sweeps += int(cd_gram(c.gram, c.corr, beta, l1, l2, tol, max_sweeps))
        else:
            sweeps += int(cd_resid(c.X_fortran, c.y, beta, l1, l2, tol, max_sweeps))
        polished = _polish(c, beta, l1, l2)
        if polished is not None:
            return polished, sweeps, _kkt_violation(c, polished, l1, l2)
    return beta, sweeps, _kkt_violation(c, beta, l1, l2)


def _penalty_weights(family: str, alpha: float, n: int, l1_ratio: float | None):
    """(l1, l2) in the centred objective 0.5||r||^2 + l1|b|_1 + 0.5 l2 |b|^2."""
    if family == "laplace":
        return n * alpha, 0.0
    return n * alpha * l1_ratio, n * alpha * (1.0 - l1_ratio)


def _solve(c: CentredData, family: str, alpha: float, l1_ratio: float | None = None,
           warm: np.ndarray | None = None):
    """Return (coef, n_iter, kkt_violation, sklearn loss)."""
    if family == "gaussian":
        beta = _ridge(c, alpha)
        return beta, 0, 0.0, c.rss(beta) + alpha * float(beta @ beta)
    l1, l2 = _penalty_weights(family, alpha, c.n, l1_ratio)
    if l1 == 0.0:  # l1_ratio = 0: ridge with sklearn's ElasticNet scaling
        beta = _ridge(c, l2)
        viol = 0.0
        sweeps = 0
    else:
        beta, sweeps, viol = _l1_solve(c, l1, l2, warm)
    loss = (c.rss(beta) + 2 * l1 * np.abs(beta).sum() + l2 * float(beta @ beta)) / (2 * c.n)
    return beta, sweeps, viol, float(loss)


def _neg_log_posterior(family: str, loss: float, n: int, sigma: float | None) -> float:
    s2 = 1.0 if sigma is None else sigma**2
    return loss / (2 * s2) if family == "gaussian" else n * loss / s2


def map_from_resolved(data: Data, resolved: ResolvedPrior, *, sigma: float | None = None,
                      scale: float | None = None, centred: CentredData | None = None) -> MAPEstimate:
    """MAP of the coefficients for a resolved prior, at given σ and scale where they are random."""
    alpha = resolved.implied_alpha(sigma=sigma, scale=scale)
    if alpha is None:
        raise ValueError(
            "the MAP needs the prior's strength in scikit-learn terms: pass alpha=..., or a fixed "
            "scale= together with sigma= (or a prior with scale_with_sigma=True for the Gaussian)"
        )
    c = centred if centred is not None else CentredData(data.X, data.y)
    beta, sweeps, viol, loss = _solve(c, resolved.family, alpha, resolved.l1_ratio)
    sig = sigma if sigma is not None else resolved.sigma
    return MAPEstimate(
        coef=beta, intercept=c.intercept(beta),
        objective=_neg_log_posterior(resolved.family, loss, c.n, sig), loss=loss,
        n_iter=sweeps, converged=viol <= 1e-6, alpha=float(alpha), family=resolved.family,
        l1_ratio=resolved.l1_ratio, kkt_violation=viol, sigma=sig,
        feature_names=data.feature_names,
    )


def map_estimate(X, y, prior="laplace", *, alpha: float | None = None, scale: float | None = None,
                 sigma: float | None = None) -> MAPEstimate:
    r"""Exact posterior mode (MAP) of a linear regression with a Gaussian, Laplace or elastic-net prior.

    Objectives solved (intercept :math:`b_0` unpenalised, :math:`n` = n_samples):

    * ``"gaussian"``: :math:`\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_2^2` = ``Ridge(alpha)``;
      a prior sd :math:`\tau` gives :math:`\alpha = \sigma^2/\tau^2`.
    * ``"laplace"``: :math:`\frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1` =
      ``Lasso(alpha)``; a prior scale :math:`b` gives :math:`\alpha = \sigma^2/(n b)`.
    * ``ElasticNet(alpha, l1_ratio)``: ``ElasticNet(alpha, l1_ratio)``.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
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

    Returns
    -------
    MAPEstimate
        ``coef`` and ``intercept`` equal scikit-learn's to solver precision, with exact zeros
        where the Lasso/elastic-net solution has them.
    """
    data = check_Xy(X, y)
    resolved = resolve_prior(prior, scale=scale, alpha=alpha, sigma=sigma, X=data.X, y=data.y)
    if resolved.scale_is_random:
        raise ValueError(
            "map_estimate needs a fixed prior strength: pass alpha=..., or scale=... with sigma=..."
        )
    return map_from_resolved(data, resolved)


def map_path(X, y, prior="laplace", alphas=None, n_alphas: int = 100, eps: float = 1e-3) -> MAPPath:
    r"""MAP coefficients along a path of penalties, equal to scikit-learn at every ``alpha``.

    Laplace / elastic net: coordinate descent with warm starts from the largest penalty down, each
    point polished to the exact solution (equals ``Lasso(alpha)``/``ElasticNet`` with
    ``fit_intercept=True``, and ``lasso_path`` on centred data). Gaussian: one SVD gives the whole
    Ridge path :math:`\beta(\alpha) = V\,\mathrm{diag}(s_k/(s_k^2+\alpha))\,U^\top y_c`.

    Parameters
    ----------
    X, y : array-like
    prior : str or prior object
        Gaussian, Laplace or ElasticNet (its ``l1_ratio`` is used; its ``alpha`` is ignored).
    alphas : array-like, optional
        Penalties; sorted into decreasing order. Default: ``n_alphas`` log-spaced values from
        :math:`\alpha_{max}` (the smallest penalty with all coefficients zero, Lasso/elastic net; for
        Ridge :math:`10^3 s_{max}^2`) down to ``eps`` times it (Ridge: :math:`10^{-6}`).
    n_alphas : int
    eps : float

    Returns
    -------
    MAPPath
    """
    from .priors import ElasticNet, as_prior

    data = check_Xy(X, y)
    prior_obj = as_prior(prior)
    family = prior_obj.family
    l1_ratio = prior_obj.l1_ratio if isinstance(prior_obj, ElasticNet) else None
    c = CentredData(data.X, data.y)
    if alphas is None:
        n_alphas = check_int(n_alphas, "n_alphas", 1)
        eps = check_positive(eps, "eps", allow_none=False)
        if family == "gaussian":
            top = 1e3 * float(np.max(np.linalg.svd(c.X, compute_uv=False)) ** 2)
            low = top * 1e-6 if eps == 1e-3 else top * eps
        else:
            ratio = 1.0 if l1_ratio is None else l1_ratio
            if ratio == 0:
                raise ValueError("a default alpha grid needs l1_ratio > 0; pass alphas=")
            top = float(np.max(np.abs(c.corr))) / (c.n * ratio)
            if top <= 0:
                top = 1.0
            low = top * eps
        alpha_grid = np.geomspace(top, low, n_alphas)
    else:
        alpha_grid = np.atleast_1d(np.asarray(alphas, dtype=float))
        if alpha_grid.ndim != 1 or alpha_grid.size == 0:
            raise ValueError("alphas must be a non-empty 1-D sequence of positive numbers")
        if not np.all(np.isfinite(alpha_grid)) or np.any(alpha_grid <= 0):
            raise ValueError("alphas must all be finite and positive")
        alpha_grid = np.sort(alpha_grid)[::-1]
    if family == "gaussian":
        coefs = _ridge_svd(c, alpha_grid)
        n_iter = np.zeros(alpha_grid.size, dtype=int)
    else:
        coefs = np.empty((alpha_grid.size, c.p))
        n_iter = np.empty(alpha_grid.size, dtype=int)
        warm = None
        for k, a in enumerate(alpha_grid):
            beta, sweeps, _, _ = _solve(c, family, float(a), l1_ratio, warm=warm)
            coefs[k] = beta
            n_iter[k] = sweeps
            warm = beta
    intercepts = c.y_mean - coefs @ c.x_mean
    return MAPPath(alphas=alpha_grid, coef=coefs, intercept=intercepts, family=family,
                   feature_names=data.feature_names, l1_ratio=l1_ratio, n_iter=n_iter)
