r"""The Bernoulli likelihood with the logit link (logistic regression).

.. math:: P(y_i = 1 \mid b_0, \beta) = \operatorname{logit}^{-1}(\eta_i)
          = \frac{1}{1 + e^{-\eta_i}}, \qquad \eta_i = b_0 + x_i^\top\beta,

with a flat prior on the intercept :math:`b_0` (never penalised) and no noise scale.

**The MAP is scikit-learn's LogisticRegression.** scikit-learn minimises
:math:`C\sum_i \ell_i(\beta) + \rho\lVert\beta\rVert_1 + \tfrac{1-\rho}{2}\lVert\beta\rVert_2^2`
(:math:`\ell_i` the log loss, :math:`\rho` = ``l1_ratio``); dividing by C gives the negative log
posterior under the prior :math:`p(\beta) \propto \exp\{-[\rho\lVert\beta\rVert_1 +
\tfrac{1-\rho}{2}\lVert\beta\rVert_2^2]/C\}`: for :math:`\rho = 0` the Gaussian prior
:math:`\beta_j \sim N(0, C)` (sd :math:`\sqrt C`), for :math:`\rho = 1` the Laplace prior with
:math:`b = C`, in between the elastic-net prior. The prior families are written for the Gaussian
likelihood's penalties at a noise sd σ; with σ = 1 and the family's objective weight w(n) (1 for
Ridge's objective, n for Lasso's and ElasticNet's), :math:`\alpha = 1/(w(n)\,C)` gives exactly these
priors (:meth:`BernoulliLikelihood.alpha_from_C`), so every family works here unchanged.

**Pólya-Gamma augmentation** (Polson, Scott & Windle 2013): with
:math:`\omega_i \mid \eta_i \sim PG(1, \eta_i)` and :math:`\kappa_i = y_i - \tfrac12`, the
conditional of :math:`(b_0, \beta)` given ω is that of a Gaussian regression of
:math:`z_i = \kappa_i/\omega_i` with noise variances :math:`1/\omega_i` — the Gibbs kernel's
update with σ = 1 on the weighted statistics (:meth:`bayesreg.map.CentredData.weighted`).
"""

from __future__ import annotations

import math
import re
import warnings
from types import MappingProxyType

import numpy as np

from ..exceptions import BayesregWarning

__all__ = ["BernoulliLikelihood", "logistic_map"]

#: a MAP that classifies every training row correctly separates the classes (its hyperplane does);
#: when its probabilities are this close to the labels on average, the prior is what holds it finite
_SEPARATED = 0.01
#: optimality of a projection: largest |gradient| in the orthonormal basis of its submodel
_PROJECTION_TOL = 1e-10
_PROJECTION_MAX_ITER = 100
#: projpred's default number of clusters of draws for the search (varsel's nclusters = 20)
_SEARCH_CLUSTERS = 20


def _expit(eta: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return expit(eta)


class BernoulliLikelihood:
    """Binary response with the logit link; no noise scale (σ is fixed at 1 internally)."""

    name = "bernoulli"
    aliases = ("logistic",)
    label = "logistic"
    #: β | rest is not Gaussian: the exact sampler does not apply; the Gibbs sampler does, after
    #: Pólya-Gamma augmentation (:meth:`augmented_statistics`)
    conditionally_gaussian = False
    augmented = True
    #: y stays 0/1 in the standardized problem (only X is centred and scaled)
    scale_response = False
    has_sigma = False
    #: selection methods of :meth:`FitResult.select` this likelihood cannot offer, and why
    selection_unavailable = MappingProxyType({
        "decoupled": "Hahn & Carvalho's decoupled summary is sized by the explained variance "
                     "rho^2 = var(X gamma) / (var(X gamma) + sigma^2), a Gaussian-noise notion, "
                     "and a logistic model has no sigma; its logistic analogues (Woody, Carvalho "
                     "& Murray 2021; Kowal 2022) need their own loss and size rule and are not "
                     "implemented. Use method='projection', whose Kullback-Leibler projection is "
                     "the logistic counterpart",
    })
    identity_link = False
    predict_kinds = ("proba", "class", "mean", "draws", "predictive", "map")

    def __repr__(self) -> str:
        return "<likelihood 'bernoulli'>"

    # ---- the response -----------------------------------------------------------------------
    def encode_response(self, y) -> tuple[object, tuple]:
        """y as 0/1 floats and the two class labels (sorted; the second is coded 1).

        Accepts 0/1, booleans or exactly two labels of any type; ValueError for one class, three
        or more, or missing values.
        """
        if y is None:
            raise TypeError("y must be a 1-D array-like or Series of two class labels; got None")
        values = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
        if values.ndim == 2 and 1 in values.shape:
            values = values.reshape(-1)
        if values.ndim != 1:
            raise ValueError(f"y must be 1-D (n_samples,); got shape {values.shape}")
        if values.dtype.kind == "f" and np.isnan(values).any():
            raise ValueError("y contains NaN: a logistic regression needs a class label for every row")
        if values.dtype.kind == "O" and any(v is None for v in values):
            raise ValueError("y contains None: a logistic regression needs a class label for every row")
        try:
            classes, codes = np.unique(values, return_inverse=True)
        except TypeError as exc:
            raise TypeError(f"y's labels cannot be compared and sorted: {exc}") from None
        if classes.size != 2:
            shown = ", ".join(repr(c) for c in classes[:5].tolist())
            more = ", ..." if classes.size > 5 else ""
            if classes.size < 2:
                raise ValueError(f"y has one class ({shown}): a logistic regression needs both "
                                 "classes in the data")
            raise ValueError(f"y has {classes.size} classes ({shown}{more}); family='bernoulli' "
                             "is for two classes")
        return codes.reshape(-1).astype(float), tuple(classes.tolist())

    def alpha_from_C(self, family, C: float, n_samples: int) -> float:
        r"""The family's ``alpha`` (at σ = 1) whose prior is LogisticRegression(C)'s penalty:
        :math:`\alpha = 1/(w(n)\,C)` with w the family's objective weight."""
        return 1.0 / (family.objective_weight(n_samples) * C)

    def C_from_alpha(self, family, alpha: float, n_samples: int) -> float:
        """Inverse of :meth:`alpha_from_C`."""
        return 1.0 / (family.objective_weight(n_samples) * alpha)

    def prior_strength(self, family, prior, *, C, alpha, sigma, n_samples):
        """``(alpha, sigma)`` for :func:`bayesreg.priors.resolve_prior`: C mapped to alpha, σ = 1."""
        if sigma is not None:
            raise ValueError("sigma is not a parameter of family='bernoulli' (the logistic "
                             "likelihood has no noise sd); leave it None")
        if alpha is not None:
            raise ValueError("alpha is the Gaussian likelihood's penalty; for family='bernoulli' "
                             "give scikit-learn's LogisticRegression strength as C=... (or scale=)")
        if C is None:
            return None, 1.0
        if family.alpha_parts(1.0, None) is None:
            raise ValueError(f"the {family.label} prior has no scikit-learn penalty, so no C: give "
                             "its scale= (or a hyperprior) instead")
        if getattr(prior, "has_strength", False):
            raise ValueError(f"C was given but the prior object {prior!r} already sets its "
                             "strength; give it in one place")
        return self.alpha_from_C(family, C, n_samples), 1.0

    def describe(self, resolved, rows: list) -> list[tuple[str, str, str]]:
        """``prior_summary()``'s rows: the prior's ``rows`` written for σ = 1 (the Gaussian
        likelihood's penalty named there does not apply) and the likelihood's row with the C that
        matches the prior."""
        alpha = resolved.implied_alpha()
        note = "logistic regression (no noise sd)"
        if alpha is not None:
            C = self.C_from_alpha(resolved.spec, alpha, resolved.n_samples)
            note += f"; MAP = sklearn LogisticRegression(C={C:.6g})"
        out = []
        for name, text, remark in rows:
            text = re.sub(r" \* 1(\^2)?\b", "", text)
            remark = re.sub(r";? ?MAP = sklearn \w+\([^)]*\)", "", remark)
            remark = remark.replace("from alpha", "from C").replace(
                "relative to sigma", "sigma = 1: log-odds per unit of x")
            out.append((name, text, remark.strip("; ") or "-"))
        return [*out, ("y", "Bernoulli(1 / (1 + exp(-(intercept + x'coef))))", note)]

    # ---- densities --------------------------------------------------------------------------
    def log_sigma_prior(self, sigma, sigma_fixed: bool):
        return 0.0

    def statistics(self, problem):
        """What :meth:`log_likelihood` reads: the standardized rows."""
        return problem.data

    def log_likelihood(self, data, intercept, coef, sigma) -> np.ndarray:
        r""":math:`\sum_i [y_i\eta_i - \log(1 + e^{\eta_i})]` per draw; ``intercept`` (S,),
        ``coef`` (S, p)."""
        ll = self.pointwise_log_likelihood(data.dense_X("the logistic log-likelihood"), data.y,
                                           np.asarray(intercept)[None, :],
                                           np.asarray(coef)[None, :, :], sigma)
        return ll[0].sum(axis=-1)

    def pointwise_log_likelihood(self, X, y, intercept, coef, sigma=None, chunk: int = 256) -> np.ndarray:
        """log P(y_i | draw) for every draw: array (chains, draws, n)."""
        del sigma
        chains, draws = intercept.shape
        flat_b0 = intercept.reshape(-1)
        flat_coef = coef.reshape(-1, coef.shape[-1])
        out = np.empty((flat_b0.size, y.size))
        for start in range(0, flat_b0.size, chunk):
            sl = slice(start, start + chunk)
            eta = flat_b0[sl, None] + flat_coef[sl] @ X.T
            out[sl] = y[None, :] * eta - np.logaddexp(0.0, eta)
        return out.reshape(chains, draws, y.size)

    # ---- predictions ------------------------------------------------------------------------
    def mean_response(self, eta):
        """P(y = 1) from the linear predictor."""
        return _expit(eta)

    def add_noise(self, mean, sigma, rng) -> np.ndarray:
        """Posterior predictive 0/1 draws given probabilities ``mean`` (draws, rows)."""
        del sigma
        return (rng.random(np.shape(mean)) < mean).astype(np.int64)

    # ---- Gibbs -----------------------------------------------------------------------------
    def augmented_statistics(self, X: np.ndarray, y: np.ndarray, eta: np.ndarray, rng):
        r"""Draw :math:`\omega_i \sim PG(1, \eta_i)` and return the weighted statistics of the
        Gaussian regression of :math:`\kappa_i/\omega_i` (weights ω, :math:`w_i z_i = \kappa_i`)."""
        from polyagamma import random_polyagamma

        from ..map import CentredData

        omega = random_polyagamma(1.0, eta, random_state=rng)
        np.maximum(omega, np.finfo(float).tiny, out=omega)
        return CentredData.weighted(X, omega, y - 0.5)

    # ---- PyMC -----------------------------------------------------------------------------
    def pymc_sigma(self, pm, resolved):
        """No noise scale: the priors see σ = 1."""
        import pytensor.tensor as pt

        del pm, resolved
        return pt.as_tensor_variable(np.asarray(1.0))

    def pymc_observed(self, pm, mu, sigma, y_data):
        del sigma
        return pm.Bernoulli("y", logit_p=mu, observed=y_data, dims="obs_id")

    # ---- MAP ---------------------------------------------------------------------------------
    def solve_map(self, problem, l1: float, l2: float):
        """The exact MAP in standardized units: ``(intercept, coef, iterations, kkt, objective)``."""
        data = problem.data
        return logistic_map(data.dense_X("the logistic MAP"), data.y, l1, l2)

    def l1_ratio(self, family, l1_ratio: float | None) -> float:
        """LogisticRegression's ``l1_ratio`` for a prior family: 0 Gaussian, 1 Laplace, ρ elastic net."""
        l1_part, l2_part = family.alpha_parts(1.0, l1_ratio)
        return l1_part / (l1_part + l2_part)

    def sklearn_estimator(self, family, estimate):
        """``LogisticRegression(C, l1_ratio)`` whose solution is ``estimate``: Newton-Cholesky for the
        L2 penalty, SAGA (the solver with an L1 penalty and an unpenalised intercept) otherwise;
        tight tolerances. SAGA converges slowly on unstandardised predictors."""
        from sklearn.linear_model import LogisticRegression

        ratio = self.l1_ratio(family, estimate.l1_ratio)
        if ratio == 0.0:
            return LogisticRegression(C=estimate.C, l1_ratio=0.0, solver="newton-cholesky",
                                      tol=1e-12, max_iter=1000)
        return LogisticRegression(C=estimate.C, l1_ratio=ratio, solver="saga", tol=1e-10,
                                  max_iter=10_000)

    def check_map(self, estimate, X, y, stacklevel: int = 3) -> None:
        """Warn when the MAP separates the classes with a weak prior: the likelihood then has no
        finite maximum, and the coefficients' size is set by the prior alone."""
        eta = estimate.intercept + X @ estimate.coef
        separates = np.array_equal(eta > 0, y > 0.5)
        if separates and np.mean(np.abs(_expit(eta) - y)) < _SEPARATED:
            warnings.warn(
                "the predictors separate the two classes (the MAP classifies every training row "
                f"correctly, with probabilities within {_SEPARATED:g} of the labels on average): the "
                "likelihood alone has no finite maximum, so the coefficients' size is set by the "
                "prior. With a weak prior (large C or scale) they are large and unstable; use a "
                "stronger prior or look at the posterior's spread", BayesregWarning,
                stacklevel=stacklevel)

    def reference_fit(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
        """A nearly unpenalised logistic fit (ridge 1e-8 per standardized column) as the reference."""
        from .._validation import column_moments, rms

        x_mean, x_sd = column_moments(X)
        x_scale = rms(x_sd) or 1.0
        b0, coef, *_ = logistic_map((X - x_mean) / x_scale, y, 0.0, 1e-8)
        coef = coef / x_scale
        return coef, float(b0 - x_mean @ coef)

    # ---- projection predictive selection ------------------------------------------------------
    # The contract of GaussianLikelihood.project / projection_path (bayesreg.selection calls
    # nothing else that is family-specific): the design X (n, p) as fitted, the draws flattened
    # over chains, ``intercept`` (S,), ``coef`` (S, p); ``sigma`` is accepted and ignored.
    def project(self, X: np.ndarray, intercept, coef, sigma, subset):
        r"""Project every posterior draw onto the submodel of the columns ``subset``.

        The projection (Goutis & Robert 1998; Piironen, Paasiniemi & Vehtari 2020) of draw s,
        with reference probabilities :math:`p_i^{(s)} = \operatorname{logit}^{-1}(b_0^{(s)} +
        x_i^\top\beta^{(s)})`, minimises the Kullback–Leibler divergence from the reference
        predictive to the submodel's,

        .. math::

            (b_{0\perp}^{(s)}, \beta_{S\perp}^{(s)}) = \arg\min_{b_0, \beta_S} \sum_i
            \mathrm{KL}\bigl(\mathrm{Bernoulli}(p_i^{(s)})\,\Vert\,\mathrm{Bernoulli}(q_i)\bigr),
            \qquad q_i = \operatorname{logit}^{-1}(b_0 + x_{iS}^\top\beta_S),

        which is the maximum-likelihood logistic regression of the *fractional* targets
        :math:`p_i^{(s)}` on :math:`[1, X_S]`; its optimality conditions are
        :math:`[1, X_S]^\top(p^{(s)} - q) = 0`. Solved by Newton's method (IRLS) with a line
        search to :math:`\max|Q^\top(q - p^{(s)})| \le 10^{-10}` in an orthonormal basis Q of
        :math:`[1, X_S]`, every draw at once, started from the least-squares projection of the
        reference's linear predictor (so that with S = every column the reference draw is the
        start and the solution). Minimum-norm slopes when :math:`X_S` is rank-deficient.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            The design the reference model was fitted to.
        intercept : ndarray of shape (n_draws,)
        coef : ndarray of shape (n_draws, n_features)
        sigma : ignored
            The logistic likelihood has no dispersion.
        subset : sequence of int
            Column indices of the submodel (any order; the output follows it).

        Returns
        -------
        intercept : ndarray of shape (n_draws,)
        coef : ndarray of shape (n_draws, len(subset))
        sigma : None
        """
        del sigma
        X = np.asarray(X, dtype=float)
        coef = np.asarray(coef, dtype=float)
        subset = np.asarray(subset, dtype=int).reshape(-1)
        x_mean = X.mean(axis=0)
        eta = np.asarray(intercept, dtype=float)[:, None] + coef @ X.T
        basis, to_slopes = _submodel_basis(X - x_mean, subset)
        solution, converged = _fractional_logistic(basis, _expit(eta), eta @ basis)
        _warn_unconverged(converged, "the projection")
        slopes = solution[:, 1:] @ to_slopes
        if not subset.size:
            slopes = np.zeros((coef.shape[0], 0))
        intercept_sub = solution[:, 0] / math.sqrt(X.shape[0]) - slopes @ x_mean[subset]
        return intercept_sub, slopes, None

    def projection_path(self, X: np.ndarray, y: np.ndarray, intercept, coef, sigma,
                        max_size: int, order=None, n_clusters: int | None = _SEARCH_CLUSTERS):
        r"""Forward search over nested submodels; yields each size's projected log-likelihood.

        **Search.** Starting from the intercept-only model, each step adds the column j whose
        projection is closest to the reference, i.e. minimises the summed divergence

        .. math::

            \sum_s \sum_i \mathrm{KL}\bigl(\mathrm{Bernoulli}(p_i^{(s)})\,\Vert\,
            \mathrm{Bernoulli}(q_{i,S\cup j}^{(c(s))})\bigr)
            = \sum_c n_c \sum_i \bigl[\bar p_{ci}\log(1 + e^{-\eta_{ci}})
            + (1 - \bar p_{ci})\log(1 + e^{\eta_{ci}})\bigr] + \text{const},

        where the draws are grouped into clusters c of :math:`n_c` draws that share one
        projection :math:`\eta_c = b_0 + X_{S\cup j}\beta`: the second form shows that such a
        shared projection is the logistic regression of the cluster's mean prediction
        :math:`\bar p_c` (weight :math:`n_c`). Each candidate is fitted by Newton's method to
        convergence (see :meth:`project`), warm-started from the current submodel's fit with a
        zero coefficient on the new column, in an orthonormal basis extended by that column's
        residual on the chosen ones. With one cluster per draw the criterion is exactly the
        per-draw :math:`\sum_s\sum_i\mathrm{KL}`, but the search then costs p candidates × S
        Newton fits per step; as projpred does (``varsel(nclusters = 20)``), the search by
        default uses ``n_clusters`` = 20 k-means clusters of the draws' predicted probabilities
        (a fixed seed, so the path is reproducible), which keeps the reference's posterior
        spread in the search (one cluster, projpred's former default, would search with the
        posterior-mean prediction only) at 20 fits per candidate.

        **Evaluation.** Every size on the path is then projected with *all* the draws (one
        Newton fit per draw, the draws solved together), warm-started per draw from the better
        (smaller divergence) of the previous size's projection and the least-squares projection
        of the reference's linear predictor — the latter is exact once the submodel spans every
        column, so the full-size projection reproduces the reference draws. A column already
        in the span of the chosen ones (residual sum of squares below :math:`10^{-10}` of its
        centred one) changes nothing; such columns enter last, by decreasing
        :math:`|\bar\beta_j|\,\mathrm{sd}(x_j)`.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
            The 0/1 responses.
        intercept, coef : ndarrays of shape (S,), (S, n_features)
            Posterior draws of the reference model.
        sigma : ignored
        max_size : int
            Number of steps (1 ≤ max_size ≤ n_features).
        order : sequence of int, optional
            Enter the columns in this order instead of searching.
        n_clusters : int or None
            Clusters of draws for the search (None: every draw on its own, the exact per-draw
            criterion; also when S ≤ n_clusters).

        Yields
        ------
        (column, log_lik) : (int or None, ndarray of shape (S, n_samples))
            First ``(None, ...)`` for the intercept-only model, then one pair per step: the
            column added and the pointwise log-likelihood
            :math:`y_i\eta_{\perp i}^{(s)} - \log(1 + e^{\eta_{\perp i}^{(s)}})` of the
            projected draws (for PSIS-LOO). A step that changes nothing yields the very same
            array object again.
        """
        from .._backend import blas_threads_for

        del sigma
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        coef = np.asarray(coef, dtype=float)
        n, p = X.shape
        n_draws = coef.shape[0]
        centred = X - X.mean(axis=0)
        reference_eta = np.asarray(intercept, dtype=float)[:, None] + coef @ X.T
        reference = _expit(reference_eta)
        if order is None:
            targets, counts = _cluster_targets(reference, n_clusters)
        basis = np.full((n, 1), 1.0 / math.sqrt(n))
        residual_x = centred.copy()  # columns with their projection on the chosen ones removed
        tolerance = 1e-10 * (centred**2).sum(axis=0)
        fallback = np.argsort(-np.abs(coef.mean(axis=0)) * centred.std(axis=0), kind="stable")
        chosen = np.zeros(p, dtype=bool)

        def intercept_only(target):
            """The intercept-only projection, in closed form: q = the mean target."""
            mean = np.clip(target.mean(axis=1), np.finfo(float).tiny, 1.0 - np.finfo(float).eps)
            start = (np.log(mean) - np.log1p(-mean))[:, None] * math.sqrt(n)
            solution, converged = _fractional_logistic(basis, target, start)
            _warn_unconverged(converged, "the projection of the intercept-only model")
            return solution

        def direction(column):
            """Column ``column``'s residual on the chosen ones, re-orthogonalised, unit length."""
            u = residual_x[:, column] - basis @ (basis.T @ residual_x[:, column])
            return u / np.linalg.norm(u)

        def log_lik(solution):
            with blas_threads_for(float(n_draws) * n * basis.shape[1]):
                return self.pointwise_log_likelihood(basis, y, np.zeros((1, n_draws)),
                                                     solution[None, :, :])[0]

        projected = intercept_only(reference)
        if order is None:
            cluster_fit = intercept_only(targets)
        current = log_lik(projected)
        yield None, current
        for step in range(max_size):
            pivots = (residual_x**2).sum(axis=0)
            usable = ~chosen & (pivots > tolerance)
            if order is not None:
                column = int(order[step])
            elif usable.any():
                candidates = np.flatnonzero(usable)
                divergence, fits = np.empty(candidates.size), []
                warm = np.hstack([cluster_fit, np.zeros((cluster_fit.shape[0], 1))])
                for k, j in enumerate(candidates):
                    trial = np.hstack([basis, direction(j)[:, None]])
                    solution, converged = _fractional_logistic(trial, targets, warm)
                    _warn_unconverged(converged, "the projection search")
                    divergence[k] = counts @ _cross_entropy(targets, solution @ trial.T)
                    fits.append(solution)
                best = int(np.argmin(divergence))
                column = int(candidates[best])
                cluster_fit = fits[best]
            else:
                column = int(next(j for j in fallback if not chosen[j]))
            if usable[column]:
                u = direction(column)
                residual_x -= np.outer(u, u @ residual_x)
                basis = np.hstack([basis, u[:, None]])
                previous = np.hstack([projected, np.zeros((n_draws, 1))])
                least_squares = reference_eta @ basis
                closer = (_cross_entropy(reference, least_squares @ basis.T)
                          < _cross_entropy(reference, previous @ basis.T))
                start = np.where(closer[:, None], least_squares, previous)
                projected, converged = _fractional_logistic(basis, reference, start)
                _warn_unconverged(converged, "the projection")
                current = log_lik(projected)
            chosen[column] = True
            yield column, current  # the same array when nothing changed


def _objective(X, y, b0, beta, l1, l2) -> float:
    eta = b0 + X @ beta
    return (float(np.sum(np.logaddexp(0.0, eta) - y * eta)) + l1 * float(np.abs(beta).sum())
            + 0.5 * l2 * float(beta @ beta))


def logistic_map(X: np.ndarray, y: np.ndarray, l1: float, l2: float, max_iter: int = 500,
                 tol: float = 1e-13) -> tuple[float, np.ndarray, int, float, float]:
    r"""Exact minimiser of :math:`\sum_i[\log(1 + e^{\eta_i}) - y_i\eta_i] + \ell_1\lVert\beta\rVert_1
    + \tfrac{\ell_2}{2}\lVert\beta\rVert_2^2`, :math:`\eta = b_0 + X\beta` (b₀ unpenalised).

    Proximal Newton (IRLS): at the current point the log loss is replaced by its second-order
    expansion, a weighted least-squares problem (weights :math:`w_i = p_i(1-p_i)`), which is solved
    *exactly* — the ridge solve, or the Lasso/elastic-net coordinate descent with the active-set
    polish and KKT check the Gaussian MAP uses — then a backtracking line search on the true
    objective (Lee, Sun & Saunders 2014). Near the optimum the support is fixed and the steps are
    Newton steps: convergence is quadratic and the zeros are exact. Returns
    ``(intercept, coef, iterations, kkt_violation, objective)``; the violation is relative to
    :math:`\max(\ell_1, \lVert X^\top(y - \bar y)\rVert_\infty)`; it stops below ``tol``.
    """
    from ..map import CentredData, _l1_solve, _ridge

    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    p = X.shape[1]
    ybar = float(y.mean())
    b0 = math.log(ybar / (1.0 - ybar))
    beta = np.zeros(p)
    tiny = np.finfo(float).tiny
    scale = max(l1, float(np.max(np.abs(X.T @ (y - ybar)), initial=0.0)), tiny)
    f = _objective(X, y, b0, beta, l1, l2)
    iterations, viol = 0, np.inf
    while True:
        eta = b0 + X @ beta
        prob = _expit(eta)
        resid = y - prob
        minus_grad = X.T @ resid - l2 * beta
        viol = _kkt(beta, minus_grad, float(resid.sum()), l1) / scale
        if viol <= tol or iterations >= max_iter:
            break
        iterations += 1
        weights = np.maximum(prob * (1.0 - prob), tiny)
        c = CentredData.weighted(X, weights, weights * eta + resid)
        if l1 > 0:
            target, *_ = _l1_solve(c, l1, l2, warm=beta)
        else:
            target = _ridge(c, l2)
        target_b0 = c.y_mean - float(c.x_mean @ target)
        step_b0, step = target_b0 - b0, target - beta
        decrease = (-float(resid.sum()) * step_b0 - float(minus_grad @ step)
                    + l1 * (float(np.abs(target).sum()) - float(np.abs(beta).sum())))
        t = 1.0
        while True:
            cand_b0, cand = b0 + t * step_b0, (target if t == 1.0 else beta + t * step)
            f_new = _objective(X, y, cand_b0, cand, l1, l2)
            if f_new <= f + 1e-4 * t * min(decrease, 0.0) or t < 1e-12:
                break
            t *= 0.5
        if f_new >= f:
            break  # no decrease along the Newton direction: the optimum to rounding
        b0, beta, f = cand_b0, cand, f_new
    return float(b0), beta, iterations, viol, f


def _kkt(beta: np.ndarray, minus_grad: np.ndarray, intercept_grad: float, l1: float) -> float:
    """Largest violation of the optimality conditions (absolute; see :func:`logistic_map`)."""
    nz = beta != 0
    viol = abs(intercept_grad)
    if nz.any():
        viol = max(viol, float(np.max(np.abs(minus_grad[nz] - l1 * np.sign(beta[nz])))))
    if not nz.all():
        viol = max(viol, float(np.max(np.abs(minus_grad[~nz]))) - l1)
    return max(viol, 0.0)


# ---- the projection: logistic regression on fractional targets --------------------------------


def _cross_entropy(target: np.ndarray, eta: np.ndarray) -> np.ndarray:
    r"""Per row, :math:`-\sum_i[p_i\log q_i + (1 - p_i)\log(1 - q_i)] = \sum_i[\log(1 + e^{\eta_i})
    - p_i\eta_i]` with :math:`q_i = \operatorname{logit}^{-1}(\eta_i)`: the Kullback–Leibler
    divergence :math:`\sum_i \mathrm{KL}(\mathrm{Bernoulli}(p_i)\,\Vert\,\mathrm{Bernoulli}(q_i))`
    plus the entropy of the targets p, which does not depend on η."""
    return (np.logaddexp(0.0, eta) - target * eta).sum(axis=-1)


#: a Newton step that moves no linear predictor by more than this is taken without a line search
_SAFE_STEP = 0.5


def _fractional_logistic(basis: np.ndarray, target: np.ndarray, start: np.ndarray,
                         tol: float = _PROJECTION_TOL, max_iter: int = _PROJECTION_MAX_ITER):
    """:func:`_newton_rows` with one BLAS thread unless the Hessians are big enough for threads
    to pay (:func:`bayesreg._backend.blas_threads_for`): on these small products extra threads
    cost ten times the work on a busy machine."""
    from .._backend import blas_threads_for

    flops = float(target.shape[0]) * basis.shape[0] * basis.shape[1] ** 2
    with blas_threads_for(flops):
        return _newton_rows(basis, target, start, tol, max_iter)


def _newton_rows(basis: np.ndarray, target: np.ndarray, start: np.ndarray, tol: float,
                 max_iter: int):
    r"""Logistic regressions of fractional targets on a shared orthonormal basis, row by row.

    For every row b, minimises the cross-entropy (:func:`_cross_entropy`)
    :math:`f_b(a) = \sum_i [\log(1 + e^{\eta_{bi}}) - p_{bi}\eta_{bi}]`, :math:`\eta_b = Q a`,
    by Newton's method: gradient :math:`g = Q^\top(q_b - p_b)`, Hessian
    :math:`H = Q^\top\operatorname{diag}(w_b)Q`, :math:`w_b = q_b(1 - q_b)`,
    :math:`q_b = \operatorname{logit}^{-1}(\eta_b)`, step :math:`\delta = -H^{-1}g`. f is
    strictly convex for targets in (0, 1). The curvature of each term changes slowly,
    :math:`|\mathrm d\log w/\mathrm d\eta| = |1 - 2q| < 1`, so along a step that moves no
    :math:`\eta_i` by more than c = 0.5, :math:`f(a + \delta) \le f(a) + g^\top\delta +
    \tfrac{e^{c}}{2}\delta^\top H\delta = f(a) + (1 - e^{c}/2)\,g^\top\delta`: such a full step
    is a sufficient decrease and is taken as it is (this is every step near the solution);
    longer steps are halved until Armijo's condition holds on f. A row stops when
    :math:`\max|Q^\top(q_b - p_b)| \le` ``tol`` (Q orthonormal: the optimality condition in the
    metric of the linear predictor) or when a step can no longer lower f beyond rounding. The
    rows are solved together: the Hessians of the unconverged rows are one product of their
    weights with the n × d(d+1)/2 products of the basis columns.

    Parameters
    ----------
    basis : ndarray of shape (n, d)
        Orthonormal columns Q spanning the submodel's linear predictors (the constant included).
    target : ndarray of shape (B, n)
        Probabilities :math:`p_{bi}`.
    start : ndarray of shape (B, d)
        Starting coefficients in the basis (a warm start).

    Returns
    -------
    coef : ndarray of shape (B, d)
        The minimisers a in the basis; :math:`\eta_b = Q a_b`.
    converged : ndarray of bool, shape (B,)
    """
    d = basis.shape[1]
    upper = np.triu_indices(d)
    products = basis[:, upper[0]] * basis[:, upper[1]]  # (n, d(d+1)/2)
    coef = np.array(start, dtype=float, copy=True)
    eta = coef @ basis.T
    converged = np.zeros(coef.shape[0], dtype=bool)
    active = np.arange(coef.shape[0])
    tiny = np.finfo(float).tiny
    for _ in range(max_iter):
        everyone = active.size == coef.shape[0]
        sub_eta = eta if everyone else eta[active]
        sub_target = target if everyone else target[active]
        prob = _expit(sub_eta)
        grad = (prob - sub_target) @ basis
        unfinished = np.abs(grad).max(axis=1, initial=0.0) > tol
        converged[active[~unfinished]] = True
        if not unfinished.any():
            break
        if not unfinished.all():
            active, sub_eta, sub_target = active[unfinished], sub_eta[unfinished], \
                sub_target[unfinished]
            prob, grad = prob[unfinished], grad[unfinished]
        hessian = np.empty((active.size, d, d))
        packed = np.maximum(prob * (1.0 - prob), tiny) @ products
        hessian[:, upper[0], upper[1]] = packed
        hessian[:, upper[1], upper[0]] = packed
        step = -np.linalg.solve(hessian, grad[:, :, None])[:, :, 0]
        direction = step @ basis.T
        size = np.ones(active.size)
        long = np.flatnonzero(np.abs(direction).max(axis=1) > _SAFE_STEP)
        if long.size:  # Armijo backtracking on f; rounding of f (n terms) is allowed for
            slope = np.einsum("bd,bd->b", grad[long], step[long])  # < 0
            old_loss = _cross_entropy(sub_target[long], sub_eta[long])
            allowance = 1e-12 * (1.0 + np.abs(old_loss))
            pending = np.arange(long.size)
            for _halving in range(60):
                rows = long[pending]
                trial = sub_eta[rows] + size[rows, None] * direction[rows]
                ok = (_cross_entropy(sub_target[rows], trial)
                      <= old_loss[pending] + 1e-4 * size[rows] * slope[pending]
                      + allowance[pending])
                pending = pending[~ok]
                if not pending.size:
                    break
                size[long[pending]] *= 0.5
            stuck = long[pending]  # no decrease along the Newton direction: optimal to rounding
            converged[active[stuck]] = True
            size[stuck] = 0.0
        coef[active] += size[:, None] * step
        eta[active] = sub_eta + size[:, None] * direction
        active = active[size > 0]
        if not active.size:
            break
    return coef, converged


def _warn_unconverged(converged: np.ndarray, what: str) -> None:
    if not converged.all():
        warnings.warn(f"{what}: Newton's method did not reach |gradient| <= {_PROJECTION_TOL:g} "
                      f"in {_PROJECTION_MAX_ITER} iterations for {int((~converged).sum())} of "
                      f"{converged.size} draws", BayesregWarning, stacklevel=3)


def _submodel_basis(centred: np.ndarray, subset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""An orthonormal basis of :math:`[1, \tilde X_S]` and the map from its coefficients to slopes.

    With :math:`\tilde X_S D^{-1} = U\Sigma V^\top` (columns of the centred design scaled by their
    root mean square D, so that the rank cut does not depend on units) and r the numerical rank,
    :math:`Q = [\mathbf 1/\sqrt n,\ U_r]`; a linear predictor :math:`\eta = Q a` has the
    minimum-norm slopes :math:`\beta = D^{-1}V_r\Sigma_r^{-1}a_{1:}` on the columns and the
    intercept :math:`a_0/\sqrt n - \bar x_S^\top\beta`.

    Returns
    -------
    basis : ndarray of shape (n, 1 + r)
    to_slopes : ndarray of shape (r, len(subset))
        ``slopes = a[:, 1:] @ to_slopes``.
    """
    n = centred.shape[0]
    constant = np.full((n, 1), 1.0 / math.sqrt(n))
    if not subset.size:
        return constant, np.zeros((0, 0))
    columns = centred[:, subset]
    scale = np.sqrt((columns**2).mean(axis=0))
    scale[scale == 0.0] = 1.0
    u, singular, vt = np.linalg.svd(columns / scale, full_matrices=False)
    rank = int(np.sum(singular > singular[0] * max(columns.shape) * np.finfo(float).eps)) \
        if singular.size and singular[0] > 0 else 0
    to_slopes = vt[:rank] / singular[:rank, None] / scale[None, :]
    return np.hstack([constant, u[:, :rank]]), to_slopes


def _cluster_targets(prob: np.ndarray, n_clusters: int | None) -> tuple[np.ndarray, np.ndarray]:
    """k-means clusters of the draws' predicted probabilities (rows of ``prob``): each cluster's
    mean prediction and its number of draws; every draw on its own when there are no more draws
    than clusters (or ``n_clusters`` is None)."""
    n_draws = prob.shape[0]
    if n_clusters is None or n_draws <= n_clusters:
        return prob, np.ones(n_draws)
    from sklearn.cluster import KMeans

    labels = KMeans(n_clusters=n_clusters, n_init=1, random_state=0).fit_predict(prob)
    counts = np.bincount(labels, minlength=n_clusters).astype(float)
    present = counts > 0
    means = np.zeros((n_clusters, prob.shape[1]))
    np.add.at(means, labels, prob)
    return means[present] / counts[present, None], counts[present]
