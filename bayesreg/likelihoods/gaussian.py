r"""The Gaussian likelihood: :math:`y_i = b_0 + x_i^\top\beta + \varepsilon_i`,
:math:`\varepsilon_i \sim N(0, \sigma^2)`.

Everything that assumes Gaussian noise lives here (the centred sufficient statistics the solvers
and samplers read are :class:`bayesreg.map.CentredData`): the prior on σ (Jeffreys,
:math:`p(\sigma^2) \propto 1/\sigma^2`, or σ fixed), the observed variable of the PyMC model,
the log-likelihood from the statistics and per row, the flat intercept integrated out
(:math:`b_0 \mid \beta, \sigma, y \sim N(\bar y - \bar x^\top\beta, \sigma^2/n)`), predictive
draws and the least-squares reference fit.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["GaussianLikelihood"]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


class GaussianLikelihood:
    """Gaussian noise with sd σ (unknown with Jeffreys' prior, or fixed)."""

    name = "gaussian"
    aliases = ("normal",)
    label = "linear"
    #: β | σ, y is Gaussian given Gaussian prior variances: the exact and Gibbs samplers apply
    conditionally_gaussian = True
    augmented = False
    #: y is centred and scaled by sd(y) in the standardized problem
    scale_response = True
    has_sigma = True
    identity_link = True
    predict_kinds = ("mean", "draws", "predictive", "map")

    def __repr__(self) -> str:
        return "<likelihood 'gaussian'>"

    # ---- the response and the prior's strength ------------------------------------------------
    def encode_response(self, y):
        """y unchanged (validated as floats later); there are no classes."""
        return y, None

    def prior_strength(self, family, prior, *, C, alpha, sigma, n_samples):
        """``(alpha, sigma)`` as given; ``C`` belongs to the logistic likelihood."""
        del family, prior, n_samples
        if C is not None:
            raise ValueError("C is LogisticRegression's strength, for family='bernoulli'; for the "
                             "Gaussian likelihood give alpha= (scikit-learn's Ridge/Lasso penalty) "
                             "or scale=")
        return alpha, sigma

    def describe(self, resolved, rows: list) -> list[tuple[str, str, str]]:
        """``prior_summary()``'s rows: the prior's ``rows`` and the noise row."""
        if resolved.sigma is None:
            return [*rows, ("sigma", "p(sigma^2) ∝ 1/sigma^2 (Jeffreys)", "noise sd unknown")]
        return [*rows, ("sigma", f"fixed at {resolved.sigma:.6g}", "noise sd given")]

    def statistics(self, problem):
        """What :meth:`log_likelihood` reads: the centred sufficient statistics."""
        return problem.suff

    def mean_response(self, eta):
        """E[y] = the linear predictor."""
        return eta

    def solve_map(self, problem, l1: float, l2: float):
        """The exact MAP in standardized units: ``(intercept, coef, sweeps, kkt, objective)``."""
        from ..map import solve_penalised

        c = problem.suff
        beta, sweeps, viol, objective = solve_penalised(c, l1, l2)
        return c.intercept(beta), beta, sweeps, viol, objective

    def sklearn_estimator(self, family, estimate):
        """The unfitted scikit-learn estimator whose solution is ``estimate`` (or None)."""
        return family.sklearn_estimator(estimate.alpha, estimate.l1_ratio)

    def check_map(self, estimate, X, y, stacklevel: int = 3) -> None:
        """Nothing to check: a penalised least-squares fit is always finite."""

    # ---- densities --------------------------------------------------------------------------
    def log_sigma_prior(self, sigma, sigma_fixed: bool):
        r"""log p(σ) up to a constant: :math:`-\log\sigma` (Jeffreys on σ²), or 0 when σ is fixed."""
        return 0.0 if sigma_fixed else -np.log(sigma)

    def log_likelihood(self, suff, intercept, coef, sigma) -> np.ndarray:
        """Σ_i log N(y_i | b_0 + x_iᵀβ, σ²) per draw, from the centred statistics.

        ``intercept``/``sigma`` (S,), ``coef`` (S, p).
        """
        n = suff.n
        rss = suff.rss(coef) + n * (suff.y_mean - coef @ suff.x_mean - intercept) ** 2
        return -n * np.log(sigma) - rss / (2 * sigma**2) - n * _HALF_LOG_2PI

    def pointwise_log_likelihood(self, X, y, intercept, coef, sigma, chunk: int = 256) -> np.ndarray:
        """log N(y_i | b0 + x_i'β, σ²) for every draw: array (chains, draws, n)."""
        chains, draws = intercept.shape
        flat_b0 = intercept.reshape(-1)
        flat_coef = coef.reshape(-1, coef.shape[-1])
        flat_sigma = np.broadcast_to(sigma, intercept.shape).reshape(-1)
        out = np.empty((flat_b0.size, y.size))
        for start in range(0, flat_b0.size, chunk):
            sl = slice(start, start + chunk)
            mu = flat_b0[sl, None] + flat_coef[sl] @ X.T
            sig = flat_sigma[sl, None]
            out[sl] = self.log_density(y, mu, sig)
        return out.reshape(chains, draws, y.size)

    def log_density(self, y, mean, sigma) -> np.ndarray:
        r"""Pointwise :math:`\log N(y_i \mid \mu_{si}, \sigma_s^2)` for means ``mean`` (S, n) and sds
        ``sigma`` (S, 1) or (S, n); ``y`` (n,). Returns (S, n)."""
        return -np.log(sigma) - _HALF_LOG_2PI - 0.5 * ((y[None, :] - mean) / sigma) ** 2

    # ---- draws --------------------------------------------------------------------------------
    def intercept_draws(self, suff, coef, sigma, normal) -> np.ndarray:
        """The flat intercept given β and σ: ȳ − x̄ᵀβ + σ/√n · z for standard normal ``normal``."""
        return suff.y_mean - coef @ suff.x_mean + sigma / math.sqrt(suff.n) * normal

    def add_noise(self, mean, sigma, rng) -> np.ndarray:
        """Posterior predictive draws: ``mean`` (draws, rows) plus N(0, σ²) noise per draw."""
        return mean + sigma[:, None] * rng.standard_normal(mean.shape)

    # ---- PyMC ---------------------------------------------------------------------------------
    def pymc_sigma(self, pm, resolved):
        """σ in the PyMC model: a constant, or HalfFlat with Jeffreys' potential −log σ."""
        import pytensor.tensor as pt

        if resolved.sigma_is_fixed:
            return pm.Data("sigma_fixed", np.asarray(resolved.sigma, dtype=float))
        sigma = pm.HalfFlat("sigma")
        pm.Potential("sigma_jeffreys", -pt.log(sigma))
        return sigma

    def pymc_observed(self, pm, mu, sigma, y_data):
        return pm.Normal("y", mu=mu, sigma=sigma, observed=y_data, dims="obs_id")

    # ---- reference ----------------------------------------------------------------------------
    def reference_fit(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
        """Least squares with an intercept (minimum-norm when X is rank-deficient)."""
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
        coef, *_ = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)
        return coef, y_mean - float(x_mean @ coef)

    # ---- projection predictive selection ------------------------------------------------------
    # The contract a likelihood meets to be usable by FitResult.select(method="projection")
    # (bayesreg.selection calls nothing else that is family-specific): ``project`` for one
    # submodel and ``projection_path`` for a nested sequence of them. Both take the design X
    # (n, p) as fitted and the posterior draws flattened over chains: ``intercept`` (S,),
    # ``coef`` (S, p) and ``sigma`` (S,) (the fixed σ repeated when σ is fixed; a likelihood
    # without a dispersion ignores it).
    def projected_sigma(self, sigma, residual_ss, n_samples: int) -> np.ndarray:
        r"""The projected noise sd :math:`\sigma_\perp = \sqrt{\sigma^2 + \lVert X\beta -
        X_S\beta_\perp\rVert^2/n}` for draws ``sigma`` (S,) and the residual sums of squares
        ``residual_ss`` (S,) of the reference fit on the submodel."""
        return np.sqrt(np.asarray(sigma, dtype=float) ** 2
                       + np.asarray(residual_ss, dtype=float) / n_samples)

    def project(self, X: np.ndarray, intercept, coef, sigma, subset):
        r"""Project every posterior draw onto the submodel of the columns ``subset``.

        The projection (Goutis & Robert 1998; Piironen, Paasiniemi & Vehtari 2020) minimises the
        Kullback–Leibler divergence from the reference predictive distribution of draw s to the
        submodel's. For Gaussian noise it is least squares of the reference fit on the submodel's
        columns (with an intercept):

        .. math::

            \beta_{S\perp}^{(s)} = (\tilde X_S^\top \tilde X_S)^{-1} \tilde X_S^\top \tilde X
            \beta^{(s)}, \qquad
            b_{0\perp}^{(s)} = b_0^{(s)} + \bar x^\top\beta^{(s)} - \bar x_S^\top
            \beta_{S\perp}^{(s)},

        .. math::

            \sigma_{S\perp}^{(s)2} = \sigma^{(s)2} + \frac{1}{n}\lVert \tilde X\beta^{(s)} -
            \tilde X_S\beta_{S\perp}^{(s)}\rVert^2,

        with :math:`\tilde X = X - \bar x` the centred design (minimum-norm
        :math:`\beta_{S\perp}` when :math:`X_S` is rank-deficient). With S = every column the
        projection returns the reference draws themselves.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            The design the reference model was fitted to.
        intercept : ndarray of shape (n_draws,)
        coef : ndarray of shape (n_draws, n_features)
        sigma : ndarray of shape (n_draws,)
        subset : sequence of int
            Column indices of the submodel (any order; the output follows it).

        Returns
        -------
        intercept : ndarray of shape (n_draws,)
        coef : ndarray of shape (n_draws, len(subset))
        sigma : ndarray of shape (n_draws,)

        A likelihood without a dispersion (e.g. Bernoulli) returns None for ``sigma``; there
        the projection is a per-draw maximum-likelihood fit of the submodel to the reference's
        predictions (IRLS).
        """
        X = np.asarray(X, dtype=float)
        coef = np.asarray(coef, dtype=float)
        subset = np.asarray(subset, dtype=int).reshape(-1)
        x_mean = X.mean(axis=0)
        centred = X - x_mean
        fit = coef @ centred.T  # (S, n) reference fits, centred
        if subset.size:
            columns = centred[:, subset]
            coef_sub = np.linalg.lstsq(columns, fit.T, rcond=None)[0].T
            residual = fit - coef_sub @ columns.T
        else:
            coef_sub = np.zeros((coef.shape[0], 0))
            residual = fit
        intercept_sub = np.asarray(intercept, dtype=float) + coef @ x_mean \
            - coef_sub @ x_mean[subset]
        sigma_sub = self.projected_sigma(sigma, np.einsum("sn,sn->s", residual, residual),
                                         X.shape[0])
        return intercept_sub, coef_sub, sigma_sub

    def projection_path(self, X: np.ndarray, y: np.ndarray, intercept, coef, sigma,
                        max_size: int, order=None):
        r"""Forward search over nested submodels; yields each size's projected log-likelihood.

        Starting from the intercept-only model, each step adds the column whose projection is
        closest to the reference, summed over the draws: the Kullback–Leibler divergence from
        the reference predictive of draw s to its projection is
        :math:`\tfrac{n}{2}\log(\sigma_{S\perp}^{(s)2}/\sigma^{(s)2})`, so the column j chosen
        minimises

        .. math::

            \sum_s \log\Bigl(\sigma^{(s)2} + \frac{1}{n}\, r_{S\cup j}^{(s)}\Bigr), \qquad
            r_{S\cup j}^{(s)} = r_S^{(s)} - \frac{\bigl(\tilde x_{j\cdot S}^\top
            (\tilde X\beta^{(s)})\bigr)^2}{\lVert\tilde x_{j\cdot S}\rVert^2},

        where :math:`\tilde x_{j\cdot S}` is column j of the centred design with its projection on
        :math:`\tilde X_S` removed. Nothing is refitted: the Gram matrix
        :math:`G = \tilde X^\top\tilde X`, the cross products :math:`\tilde X^\top\tilde X
        \beta^{(s)}` and the residual columns are swept by one rank-one update per step
        (:math:`O(p^2 + pS + nS + np)`), the projected fits
        :math:`\tilde X_S\beta_{S\perp}^{(s)}` updated by one orthogonal direction. A column
        already in the span of the chosen ones (possible once the size reaches rank(X̃), e.g.
        p ≥ n − 1) changes nothing; such columns enter last, by decreasing
        :math:`|\bar\beta_j|\,\mathrm{sd}(x_j)`.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
        intercept, coef, sigma : ndarrays of shape (S,), (S, n_features), (S,)
            Posterior draws of the reference model.
        max_size : int
            Number of steps (1 ≤ max_size ≤ n_features).
        order : sequence of int, optional
            Enter the columns in this order instead of searching.

        Yields
        ------
        (column, log_lik) : (int or None, ndarray of shape (S, n_samples))
            First ``(None, ...)`` for the intercept-only model, then one pair per step: the
            column added and the pointwise log-likelihood
            :math:`\log N(y_i \mid b_{0\perp}^{(s)} + x_{iS}^\top\beta_{S\perp}^{(s)},
            \sigma_{S\perp}^{(s)2})` of the projected draws (for PSIS-LOO). A step that
            changes nothing (a column in the span of the chosen ones) yields the very same
            array object again, so that callers may reuse what they computed from it.
        """
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        coef = np.asarray(coef, dtype=float)
        sigma = np.asarray(sigma, dtype=float)
        n, p = X.shape
        x_mean = X.mean(axis=0)
        residual_x = X - x_mean  # columns with their projection on the chosen ones removed
        gram = residual_x.T @ residual_x
        fit = coef @ residual_x.T  # (S, n) centred reference fits
        mean = (np.asarray(intercept, dtype=float) + coef @ x_mean)[:, None]
        cross = gram @ coef.T  # (p, S): residual columns' products with the residual fits
        residual_fit = fit.copy()
        tolerance = 1e-10 * np.diag(gram)  # below it a column is in the span of the chosen ones
        fallback = np.argsort(-np.abs(coef.mean(axis=0)) * np.sqrt(np.diag(gram) / n),
                              kind="stable")
        chosen = np.zeros(p, dtype=bool)

        def log_lik():
            rss = np.einsum("sn,sn->s", residual_fit, residual_fit)
            projected = mean + fit - residual_fit
            return self.log_density(y, projected, self.projected_sigma(sigma, rss, n)[:, None])

        current = log_lik()
        yield None, current
        for step in range(max_size):
            pivots = np.diag(gram).copy()
            usable = ~chosen & (pivots > tolerance)
            if order is not None:
                column = int(order[step])
            elif usable.any():
                candidates = np.flatnonzero(usable)
                rss = np.einsum("sn,sn->s", residual_fit, residual_fit)
                gains = cross[candidates] ** 2 / pivots[candidates, None]
                new_rss = np.maximum(rss[None, :] - gains, 0.0)
                divergence = np.log(sigma[None, :] ** 2 + new_rss / n).sum(axis=1)
                column = int(candidates[np.argmin(divergence)])
            else:
                column = int(next(j for j in fallback if not chosen[j]))
            if usable[column]:
                pivot = pivots[column]
                g = gram[:, column].copy()
                c = cross[column].copy()
                direction = residual_x[:, column].copy()
                residual_fit -= np.outer(c, direction) / pivot
                cross -= np.outer(g, c) / pivot
                gram -= np.outer(g, g) / pivot
                residual_x -= np.outer(direction, g) / pivot
                current = log_lik()
            chosen[column] = True
            yield column, current  # the same array when nothing changed

    # ---- decoupling shrinkage and selection (Hahn & Carvalho 2015) ----------------------------
    def decoupled_path(self, X: np.ndarray, coef) -> tuple[np.ndarray, np.ndarray]:
        r"""Sparse summaries of the posterior-mean fit along the adaptive-Lasso path.

        Hahn & Carvalho's (2015) decoupled summary for penalty λ is

        .. math::

            \gamma_\lambda = \arg\min_\gamma \frac{1}{n}\lVert\tilde X\bar\beta - \tilde X\gamma
            \rVert^2 + \lambda\sum_j \frac{|\gamma_j|}{|\bar\beta_j|},

        :math:`\bar\beta` the posterior mean and :math:`\tilde X` the centred design: a Lasso on
        the columns :math:`\tilde x_j|\bar\beta_j|` (LARS, every knot of the path). The path
        gives the active sets; for each number of variables the summary returned is the
        *relaxed* one, the least-squares fit of :math:`\tilde X\bar\beta` on that active set
        (the projection of the posterior-mean fit), so that a small model's explained variance is
        not lowered by the Lasso's shrinkage of its own coefficients.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        coef : ndarray of shape (S, n_features)
            Posterior draws of the slopes.

        Returns
        -------
        summaries : ndarray of shape (n_sizes, n_features)
            :math:`\gamma_\lambda`, one row per size 0, 1, … in increasing order.
        entry : ndarray of int
            The columns in the order they first become non-zero along the path.
        """
        from sklearn.linear_model import lars_path

        X = np.asarray(X, dtype=float)
        centred = X - X.mean(axis=0)
        weights = np.abs(np.asarray(coef, dtype=float).mean(axis=0))
        target = centred @ (np.asarray(coef, dtype=float).mean(axis=0))
        _, _, knots = lars_path(centred * weights, target, method="lasso")
        gammas = knots.T * weights  # (n_knots, p), penalty decreasing
        nonzero = gammas != 0.0
        sizes = nonzero.sum(axis=1)
        first = np.where(nonzero.any(axis=0), nonzero.argmax(axis=0), gammas.shape[0])
        entry = np.array([j for j in np.argsort(first, kind="stable") if nonzero[:, j].any()],
                         dtype=int)
        rows = {int(size): k for k, size in enumerate(sizes)}  # one active set per size
        summaries = np.zeros((len(rows), X.shape[1]))
        for row, size in enumerate(sorted(rows)):
            active = np.flatnonzero(nonzero[rows[size]])
            if active.size:
                summaries[row, active] = np.linalg.lstsq(centred[:, active], target, rcond=None)[0]
        return summaries, entry

    def explained_variance(self, X: np.ndarray, coef, sigma, summary=None) -> np.ndarray:
        r"""Per draw, the share of variance a linear predictor explains (Hahn & Carvalho 2015).

        .. math::

            \rho^{2(s)}_\gamma = \frac{\lVert\tilde X\gamma\rVert^2/n}{\lVert\tilde X\gamma
            \rVert^2/n + \sigma^{(s)2} + \lVert\tilde X\beta^{(s)} - \tilde X\gamma\rVert^2/n}

        for a fixed summary γ; without one, :math:`\gamma = \beta^{(s)}` (the model's own
        :math:`\rho^2`). The denominator is :math:`\lVert\tilde X\gamma\rVert^2/n +
        \sigma_\perp^{(s)2}`, the projected σ of :meth:`projected_sigma`.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        coef : ndarray of shape (S, n_features)
        sigma : ndarray of shape (S,)
        summary : ndarray of shape (n_features,), optional

        Returns
        -------
        ndarray of shape (S,)
        """
        X = np.asarray(X, dtype=float)
        n = X.shape[0]
        centred = X - X.mean(axis=0)
        fit = np.asarray(coef, dtype=float) @ centred.T
        predictor = fit if summary is None else (centred @ np.asarray(summary, dtype=float))[None, :]
        explained = np.einsum("sn,sn->s", np.broadcast_to(predictor, fit.shape),
                              np.broadcast_to(predictor, fit.shape)) / n
        residual = fit - predictor
        noise = self.projected_sigma(sigma, np.einsum("sn,sn->s", residual, residual), n) ** 2
        return explained / (explained + noise)
