r"""Variable selection from a posterior: which variables matter once the prior has shrunk them?

The Lasso selects by its exact zeros; a shrinkage *posterior* puts no mass at zero, so selection
is a decision made after fitting. :meth:`FitResult.select` offers five, all taking finished draws:

* ``"projection"`` — projection predictive selection (Goutis & Robert 1998; Piironen, Paasiniemi &
  Vehtari 2020). Each posterior draw of the full ("reference") model is projected onto a submodel
  S — the submodel's parameters closest to it in Kullback–Leibler divergence. For Gaussian noise
  that is closed form,

  .. math::

      \beta_{S\perp}^{(s)} = (X_S^\top X_S)^{-1}X_S^\top X\beta^{(s)}, \qquad
      \sigma_{S\perp}^{(s)2} = \sigma^{(s)2} + \lVert X\beta^{(s)} - X_S\beta_{S\perp}^{(s)}\rVert^2/n

  (with an intercept). A forward search adds, one at a time, the variable whose projection is
  closest to the reference; each size's out-of-sample predictive performance is the PSIS-LOO
  :math:`\mathrm{elpd} = \sum_i \log p(y_i \mid y_{-i})` of its projected draws, with its standard
  error :math:`\sqrt{n\,\mathrm{Var}_i(\mathrm{elpd}_i)}` and the difference to the reference,
  :math:`\Delta = \sum_i(\mathrm{elpd}_{S,i} - \mathrm{elpd}_{\mathrm{ref},i})` with
  :math:`\mathrm{se}(\Delta) = \sqrt{n\,\mathrm{Var}_i(\cdot)}`. The suggested size is the smallest
  with :math:`\Delta + \mathrm{se}(\Delta) \ge 0` (projpred's default rule).
* ``"savs"`` — signal adaptive variable selection (Ray & Bhattacharya 2018), applied to every draw
  of the standardized coefficients :math:`b_j = \beta_j\,\mathrm{sd}(x_j)/\mathrm{sd}(y)`
  (so :math:`\lVert x_j\rVert^2 = n`); for a likelihood whose y is a label (logistic:
  ``scale_response`` False) sd(y) is 1, so :math:`b_j` is the change in log-odds per sd of
  :math:`x_j` (the 0/1 labels' sd is no scale of the linear predictor):
  :math:`\tilde b_j = \mathrm{sign}(b_j)\,(|b_j|\,n - b_j^{-2})_+/n`. The inclusion frequency of a
  variable is the share of draws where :math:`\tilde b_j \ne 0`; the selected ones have a
  frequency above ½ (the median probability model).
* ``"interval"`` — the central credible interval of :math:`\beta_j` with probability ``prob``
  excludes zero.
* ``"decoupled"`` — decoupling shrinkage and selection (Hahn & Carvalho 2015): the active sets of
  the adaptive-Lasso path of the posterior-mean fit, each summarised by the least-squares fit of
  the posterior-mean fit on it (the "relaxed" summary :math:`\gamma_\lambda`), the size chosen
  from the posterior of the variance they explain, :math:`\rho^2_\lambda`: the smallest whose upper
  :math:`(1+\mathrm{prob})/2` quantile reaches the posterior mean of the full model's
  :math:`\rho^2`.
* ``"ranks"`` — R bayesreg's ``var.ranks`` (Makalic & Schmidt 2011): in every draw the variables
  are ranked by :math:`|b_j|` (1 = largest), and each variable's rank is the 75th percentile of its
  ranks over the draws (ties share the smaller rank).

For the logistic likelihood the projection of a draw is the logistic regression of the draw's
predicted probabilities on :math:`[1, X_S]` (Newton's method; see
``BernoulliLikelihood.projection_path`` for the search on clustered draws); ``"decoupled"`` is
refused there (its size rule is an explained variance, a Gaussian-noise notion).

The likelihood supplies everything that depends on the noise model (``project``,
``projection_path``, ``decoupled_path``, ``explained_variance`` on the likelihood object); this
module only searches, scores and decides.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._backend import import_arviz
from ._params import Boolean, check_param
from ._progress import StepProgress, progress_enabled
from ._validation import check_random_seed

__all__ = ["METHODS", "RULES", "Selection", "psis_loo", "savs_sparsify", "select"]

#: the selection methods of :meth:`FitResult.select`
METHODS = ("projection", "savs", "interval", "decoupled", "ranks")
#: the size rules of the projection: Δelpd + k·se(Δelpd) ≥ 0 for k = 1, 2, or the best elpd
RULES = {"one_se": 1.0, "two_se": 2.0, "best": None}
_SEARCHES = ("forward",)
_DEFAULT_PROB = {"interval": 0.95, "decoupled": 0.9}
_RANK_PERCENTILE = 75.0


# ---------------------------------------------------------------------------------------------
# PSIS-LOO, vectorised over observations


def _relative_efficiency(posterior) -> float:
    """``az.loo``'s relative efficiency of the draws: mean ESS over every variable / draws."""
    az = import_arviz()
    if posterior.sizes["chain"] == 1:
        return 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ess = az.ess(posterior, method="mean")
    values = np.hstack([ess[v].values.ravel() for v in ess.data_vars])
    return float(values.mean() / (posterior.sizes["chain"] * posterior.sizes["draw"]))


def _gpd_fit(tails: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Zhang & Stephens' (2009) generalized Pareto fit of each row of ``tails`` (sorted, > 0),
    with the weakly informative prior on k of Vehtari et al. (2024) — ArviZ's ``_gpdfit``, one
    row per observation at once."""
    m = tails.shape[1]
    n_grid = 30 + int(m**0.5)
    grid = 1.0 - np.sqrt(n_grid / (np.arange(1, n_grid + 1, dtype=float) - 0.5))
    b = grid[None, :] / (3.0 * tails[:, int(m / 4 + 0.5) - 1])[:, None] + 1.0 / tails[:, -1:]
    k = np.log1p(-b[:, :, None] * tails[:, None, :]).mean(axis=2)
    profile = m * (np.log(-(b / k)) - k - 1.0)
    weights = 1.0 / np.exp(profile[:, None, :] - profile[:, :, None]).sum(axis=2)
    weights = np.where(weights >= 10 * np.finfo(float).eps, weights, 0.0)
    weights /= weights.sum(axis=1, keepdims=True)
    b_post = (b * weights).sum(axis=1)
    k_post = np.log1p(-b_post[:, None] * tails).mean(axis=1)
    scale = -k_post / b_post
    return (m * k_post + 10 * 0.5) / (m + 10), scale


def psis_loo(log_lik: np.ndarray, reff: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Pointwise PSIS-LOO (Vehtari, Gelman & Gabry 2017): :math:`\mathrm{elpd}_i` and Pareto k.

    The same numbers as ``az.loo(..., pointwise=True)`` (its ``loo_i`` and ``pareto_k``), computed
    for every observation at once: the importance ratios :math:`1/p(y_i\mid\theta^{(s)})` have
    their largest :math:`M = \lceil\min(S/5,\ 3\sqrt{S/r_\mathrm{eff}})\rceil` values replaced by
    the quantiles of a generalized Pareto fit, and
    :math:`\mathrm{elpd}_i = \log\sum_s w_i^{(s)}p(y_i\mid\theta^{(s)})` with normalised weights.
    Observations whose tail has ties or underflows are passed to ``az.psislw`` one by one.

    Parameters
    ----------
    log_lik : ndarray of shape (S, n)
        Pointwise log-likelihood of S draws.
    reff : float
        Relative efficiency of the draws (ESS / S).

    Returns
    -------
    elpd : ndarray of shape (n,)
    pareto_k : ndarray of shape (n,)
    """
    log_lik = np.asarray(log_lik, dtype=float)
    n_draws = log_lik.shape[0]
    x = -log_lik.T  # (n, S) log importance ratios
    x = x - x.max(axis=1, keepdims=True)
    tail_len = int(np.ceil(min(n_draws / 5.0, 3 * (n_draws / reff) ** 0.5)))
    khat = np.full(x.shape[0], np.inf)
    smoothed_x = x.copy()
    regular = np.ones(x.shape[0], dtype=bool)
    if tail_len > 4:  # a shorter tail is left as it is, with k = inf, as ArviZ does
        # the largest tail_len + 1 ratios of each row, sorted: the cutoff, then the tail
        top = np.argpartition(x, n_draws - tail_len - 1, axis=1)[:, n_draws - tail_len - 1:]
        top = np.take_along_axis(top, np.argsort(np.take_along_axis(x, top, axis=1), axis=1,
                                                 kind="stable"), axis=1)
        ordered = np.take_along_axis(x, top, axis=1)
        cutoff = ordered[:, 0]
        regular = (cutoff >= np.log(np.finfo(float).tiny)) & (ordered[:, 1] > cutoff)
        rows = np.flatnonzero(regular)
        exp_cutoff = np.exp(cutoff[rows])[:, None]
        k, scale = _gpd_fit(np.exp(ordered[rows, 1:]) - exp_cutoff)
        good = np.isfinite(k) & (scale > 0)
        probs = np.arange(0.5, tail_len) / tail_len
        small = np.abs(k) < np.finfo(float).eps
        with np.errstate(divide="ignore", invalid="ignore"):
            quantiles = np.where(small[:, None], -np.log1p(-probs)[None, :],
                                 np.expm1(-k[:, None] * np.log1p(-probs)[None, :]) / k[:, None])
        smoothed = np.minimum(np.log(quantiles * scale[:, None] + exp_cutoff), 0.0)
        target = rows[good]
        smoothed_x[target[:, None], top[target, 1:]] = smoothed[good]
        khat[rows] = k
        regular[rows[~good]] = False
    irregular = np.flatnonzero(~regular)
    if irregular.size:  # ties at the cutoff, underflow or a failed fit: ArviZ, row by row
        az = import_arviz()
        weights, k = az.psislw(x[irregular].copy(), reff)
        smoothed_x[irregular] = weights
        khat[irregular] = k
    smoothed_x -= _logsumexp_rows(smoothed_x)
    elpd = _logsumexp_rows(smoothed_x + log_lik.T)[:, 0]
    return elpd, khat


def _logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """:math:`\\log\\sum_s e^{a_{is}}` of every row, shape (n, 1)."""
    peak = a.max(axis=1, keepdims=True)
    return np.log(np.exp(a - peak).sum(axis=1, keepdims=True)) + peak


def _good_k(n_draws: int) -> float:
    """ArviZ's sample-size dependent Pareto k threshold, 0.7 at most."""
    return min(1.0 - 1.0 / np.log10(n_draws), 0.7)


def _elpd_row(elpd_i: np.ndarray, reference_i: np.ndarray) -> tuple[float, float, float, float]:
    r"""elpd, its se, Δelpd against the reference and se(Δ): :math:`\sqrt{n\,\mathrm{Var}_i}`."""
    n = elpd_i.size
    diff = elpd_i - reference_i
    return (float(elpd_i.sum()), float(np.sqrt(n * elpd_i.var())), float(diff.sum()),
            float(np.sqrt(n * diff.var())))


# ---------------------------------------------------------------------------------------------
# per-draw rules


def savs_sparsify(coef_std, n_samples: int) -> np.ndarray:
    r"""Ray & Bhattacharya's (2018) SAVS of standardized coefficients, draw by draw.

    :math:`\tilde b_j = \mathrm{sign}(b_j)\,\lVert x_j\rVert^{-2}\,(|b_j|\,\lVert x_j\rVert^2 -
    \mu_j)_+` with :math:`\mu_j = |b_j|^{-2}` and :math:`\lVert x_j\rVert^2 = n` for standardized
    predictors: :math:`b_j` survives when :math:`|b_j|^3 > 1/n`.

    Parameters
    ----------
    coef_std : ndarray of shape (S, p)
        Draws of :math:`b_j = \beta_j\,\mathrm{sd}(x_j)/\mathrm{sd}(y)`.
    n_samples : int

    Returns
    -------
    ndarray of shape (S, p)
    """
    b = np.asarray(coef_std, dtype=float)
    with np.errstate(divide="ignore"):
        penalty = 1.0 / b**2
    return np.sign(b) * np.maximum(np.abs(b) * n_samples - penalty, 0.0) / n_samples


def _ranks(coef_std: np.ndarray) -> np.ndarray:
    """Rank of |b_j| within each draw, 1 for the largest (ties by column order)."""
    order = np.argsort(-np.abs(coef_std), axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, coef_std.shape[1] + 1)[None, :], axis=1)
    return ranks


# ---------------------------------------------------------------------------------------------
# the result object


class Selection:
    """The variables a selection method keeps, and why.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    variables : tuple of str
        The selected variables: in order of entry (``"projection"``, ``"decoupled"``), by
        decreasing inclusion frequency (``"savs"``), sign probability (``"interval"``) or by rank
        (``"ranks"``: the ``max_size`` best ranked, all of them by default).
    feature_names : tuple of str
        Every variable of the reference model.
    path : pandas.DataFrame or None
        ``"projection"``: one row per size (0 = intercept only) with ``size``, ``variable``
        (added at that size), ``elpd``, ``se``, ``elpd_diff`` (Δelpd against the reference),
        ``se_diff``, ``n_high_pareto_k``; ``attrs`` hold the reference's ``elpd`` and ``se``,
        the ``rule`` and the ``suggested_size``. ``"decoupled"``: ``size``, ``variable``,
        ``rho2`` (posterior mean of the summary's ρ²), ``rho2_low``/``rho2_high`` (its central
        ``prob`` interval); ``attrs["rho2_full"]`` is the full model's posterior mean ρ².
        None otherwise.
    scores : pandas.DataFrame
        Per variable (indexed by feature): ``selected`` and the method's numbers —
        ``entry`` (projection, decoupled: position on the path), ``inclusion`` (savs: share of
        draws kept; ranks: share of draws ranked within the selection's size), ``lower``,
        ``upper``, ``sign_prob`` (interval), ``rank``, ``median_rank`` (ranks).
    suggested_size : int
        ``len(variables)``, as the rule chose it.
    """

    def __init__(self, *, method: str, variables, feature_names, scores, path=None,
                 score_column: str | None = None, threshold: float | None = None,
                 projector=None, settings: dict | None = None):
        self.method = method
        self.variables = tuple(variables)
        self.feature_names = tuple(feature_names)
        self.scores = scores
        self.path = path
        self.suggested_size = len(self.variables)
        self.score_column = score_column
        self.threshold = threshold
        self.settings = dict(settings or {})
        self._projector = projector
        self._projected = None

    def __repr__(self) -> str:
        shown = list(self.variables) if len(self.variables) <= 8 else \
            [*self.variables[:7], "..."]
        return (f"Selection(method={self.method!r}, size={self.suggested_size} of "
                f"{len(self.feature_names)}, variables={shown})")

    @property
    def inclusion(self):
        """Per-variable inclusion frequencies (``"savs"``, ``"ranks"``); None for the others."""
        if "inclusion" not in self.scores.columns:
            return None
        return self.scores["inclusion"]

    @property
    def ranks(self):
        """Per-variable ranks: the 75th-percentile rank (``"ranks"``) or the position of entry
        (``"projection"``, ``"decoupled"``; NaN for a variable not reached); None otherwise."""
        for column in ("rank", "entry"):
            if column in self.scores.columns:
                return self.scores[column]
        return None

    @property
    def projected(self):
        """The projected posterior of the chosen submodel as an ArviZ InferenceData
        (``"projection"`` only; computed on first use)."""
        if self._projector is None:
            raise ValueError(f"projected is only available for method='projection'; this "
                             f"selection used {self.method!r}")
        if self._projected is None:
            self._projected = self._projector(self.variables)
        return self._projected

    def project(self, size: int):
        """The projected posterior of the submodel of the first ``size`` variables on the path.

        Parameters
        ----------
        size : int
            0 ≤ size ≤ the largest size on the path.

        Returns
        -------
        arviz.InferenceData
            ``posterior`` (``intercept``, ``coef`` over the submodel's features, ``sigma`` when
            the likelihood has one), ``log_likelihood`` and ``observed_data``.
        """
        from ._params import Interval, check_param

        if self._projector is None:
            raise ValueError(f"project() is only available for method='projection'; this "
                             f"selection used {self.method!r}")
        largest = len(self.path) - 1
        size = check_param(size, "size", Interval("integral", 0, largest))
        order = [v for v in self.path["variable"].iloc[1:size + 1]]
        return self._projector(tuple(order))

    def summary(self):
        """One row per variable: selected or not and the method's scores, selected first.

        Returns
        -------
        pandas.DataFrame
            ``scores`` sorted with the selected variables first (in their order), then the rest;
            ``attrs`` say the method and its settings.
        """
        rank = {name: k for k, name in enumerate(self.variables)}
        key = [rank.get(name, len(rank)) for name in self.scores.index]
        table = self.scores.assign(_key=key).sort_values("_key", kind="stable").drop(
            columns="_key")
        table.attrs.update({"method": self.method, **self.settings,
                            "suggested_size": self.suggested_size})
        return table


# ---------------------------------------------------------------------------------------------
# validation (before any work)


def _check_method(method) -> str:
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(repr(m) for m in METHODS)}; "
                         f"got {method!r}")
    return method


def _check_options(method, p, total_draws, *, max_size, search, n_draws, rule, prob):
    from ._params import Interval, check_param

    if max_size is not None:
        max_size = check_param(max_size, "max_size", Interval("integral", 1, None))
        if max_size > p:
            raise ValueError(f"max_size must be at most the number of features ({p}); "
                             f"got {max_size}")
    if search not in _SEARCHES:
        raise ValueError(f"search must be one of {', '.join(repr(s) for s in _SEARCHES)}; "
                         f"got {search!r}")
    if n_draws is not None:
        n_draws = check_param(n_draws, "n_draws", Interval("integral", 1, None))
        if n_draws > total_draws:
            raise ValueError(f"n_draws must be at most the number of posterior draws "
                             f"({total_draws}); got {n_draws}")
    if isinstance(rule, str):
        if rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(repr(r) for r in RULES)} or a "
                             f"model size; got {rule!r}")
    else:
        rule = check_param(rule, "rule", Interval("integral", 0, p))
        if max_size is not None and rule > max_size:
            raise ValueError(f"rule (a model size, {rule}) must be at most max_size ({max_size})")
    if prob is None:
        prob = _DEFAULT_PROB.get(method)
    else:
        if method not in _DEFAULT_PROB:
            raise ValueError(f"prob is an option of method 'interval' and 'decoupled', not "
                             f"{method!r}")
        prob = check_param(prob, "prob", Interval("real", 0, 1, closed="neither"))
    return max_size, n_draws, rule, prob


def _likelihood_of(result):
    from .likelihoods import get_likelihood

    for attribute in ("likelihood", "family"):
        value = getattr(result, attribute, None)
        if value is not None:
            return get_likelihood(value)
    return get_likelihood("gaussian")


def _check_capability(likelihood, method: str, needs: tuple[str, ...]):
    missing = [name for name in needs if not callable(getattr(likelihood, name, None))]
    if missing:
        why = getattr(likelihood, "selection_unavailable", {}).get(method)
        raise ValueError(f"select(method={method!r}) is not available for the {likelihood.name!r} "
                         "likelihood: " + (why or f"it has no {', '.join(missing)} method"))


def _check_rows(result, method: str) -> np.ndarray:
    idata = result.idata
    if "observed_data" not in idata.groups():
        raise ValueError(f"select(method={method!r}) needs the observed rows, but this fit was made "
                         "from sufficient statistics (no rows); fit the data in memory")
    return np.asarray(idata.observed_data["y"].values, dtype=float).reshape(-1)


def _check_design(result, X, y: np.ndarray, method: str, likelihood) -> np.ndarray:
    """X as a float array, checked to be the design the result was fitted to."""
    from ._validation import check_X_2d

    if X is None:
        raise ValueError(f"select(method={method!r}) needs X=, the predictors the model was "
                         "fitted to (the result keeps y but not X)")
    arr, names = check_X_2d(X, "X")
    arr = arr.toarray() if hasattr(arr, "toarray") else np.asarray(arr, dtype=float)
    p = len(result.feature_names)
    if arr.shape[1] != p:
        raise ValueError(f"X has {arr.shape[1]} columns but the model was fitted with {p}")
    if hasattr(X, "columns") and tuple(names) != tuple(result.feature_names):
        raise ValueError(f"X columns {list(names)} do not match the fitted features "
                         f"{list(result.feature_names)}")
    if arr.shape[0] != y.size:
        raise ValueError(f"X has {arr.shape[0]} rows but the model was fitted to {y.size}")
    if result.x_sd is not None:
        sd = arr.std(axis=0)
        if not np.allclose(sd, result.x_sd, rtol=1e-6, atol=1e-12 * max(1.0, float(sd.max()))):
            raise ValueError("X is not the design the model was fitted to: the spreads of its "
                             "columns differ from the fit's (pass the same, unscaled X)")
    if "log_likelihood" in result.idata.groups():
        post = result.idata.posterior
        sigma = (post["sigma"].values[:1, :1] if "sigma" in post
                 else np.full((1, 1), float(result.resolved_prior.sigma)))
        check = likelihood.pointwise_log_likelihood(
            arr, y, post["intercept"].values[:1, :1], post["coef"].values[:1, :1], sigma)
        stored = result.idata.log_likelihood["y"].values[:1, :1]
        if not np.allclose(check, stored, rtol=1e-6, atol=1e-8):
            raise ValueError("X is not the design the model was fitted to: the log-likelihood of "
                             "the draws on it differs from the stored one")
    return arr


def _flat_draws(result, n_draws, seed) -> tuple[dict, np.ndarray | None, tuple[int, int]]:
    post = result.idata.posterior
    chains, draws = post.sizes["chain"], post.sizes["draw"]
    total = chains * draws
    flat = {"intercept": np.asarray(post["intercept"].values, dtype=float).reshape(total),
            "coef": np.asarray(post["coef"].values, dtype=float).reshape(total, -1)}
    flat["sigma"] = (np.asarray(post["sigma"].values, dtype=float).reshape(total)
                     if "sigma" in post else np.full(total, float(result.resolved_prior.sigma)))
    keep = None
    if n_draws is not None and n_draws < total:
        keep = np.sort(np.random.default_rng(seed).choice(total, size=n_draws, replace=False))
        flat = {name: value[keep] for name, value in flat.items()}
    shape = (chains, draws) if keep is None else (1, len(keep))
    return flat, keep, shape


def _standardized(result, coef: np.ndarray, y: np.ndarray | None) -> np.ndarray:
    r""":math:`b_j = \beta_j\,\mathrm{sd}(x_j)/\mathrm{sd}(y)` (population sds)."""
    if result.x_sd is None:
        raise ValueError("this result does not record the predictors' sds (written by an older "
                         "bayesreg); refit it")
    y_sd = 1.0 if y is None else float(np.std(y))
    return coef * np.asarray(result.x_sd, dtype=float)[None, :] / (y_sd if y_sd > 0 else 1.0)


# ---------------------------------------------------------------------------------------------
# the methods


def select(result, method: str = "projection", *, X=None, max_size: int | None = None,
           search: str = "forward", n_draws: int | None = None, random_seed=None,
           rule="one_se", prob: float | None = None,
           progressbar: bool | None = None) -> Selection:
    r"""Select variables from the posterior of a fitted model.

    Parameters
    ----------
    result : FitResult
        A fit with ``method="sample"``.
    method : {"projection", "savs", "interval", "decoupled", "ranks"}
        See the module docstring for the formulas.
    X : array-like or DataFrame of shape (n_samples, n_features)
        The predictors the model was fitted to, as given to :func:`bayesreg.fit` (the result keeps
        y but not X). Needed by ``"projection"`` and ``"decoupled"``; it is checked against the
        fit (column spreads, and the stored log-likelihood of the first draw).
    max_size : int, optional
        ``"projection"``: the largest submodel searched (default: all p sizes; the suggestion is
        made among the sizes searched). ``"decoupled"``: the largest summary considered. The
        other methods keep at most this many variables (those with the largest scores; for
        ``"ranks"`` the top ``max_size`` ranks, default all).
    search : {"forward"}
        The search of the projection: forward selection by the smallest Kullback–Leibler
        divergence of the projection from the reference.
    n_draws : int, optional
        Use this many posterior draws, chosen at random without replacement (default: all).
    random_seed : int, optional
        Seeds the choice of draws.
    rule : {"one_se", "two_se", "best"} or int
        ``"projection"``: the smallest size with :math:`\Delta\mathrm{elpd} + k\,
        \mathrm{se}(\Delta\mathrm{elpd}) \ge 0` (k = 1, 2), the size with the largest elpd, or a
        given size.
    prob : float, optional
        Credible mass: of the intervals (``"interval"``, default 0.95) or of the ρ² interval
        (``"decoupled"``, default 0.9).
    progressbar : bool, optional
        ``"projection"``: show a progress display on stderr (one step per submodel size of the
        search). Default: only when stderr is a terminal; False silences it. The other methods
        take a moment and show none.

    Returns
    -------
    Selection

    Raises
    ------
    ValueError
        Before any work: an unknown method, search or rule; ``max_size`` > p; a MAP-only result;
        a result without rows, or without X, where the method needs them; an X that is not the
        fitted design; a likelihood without the method's projection.
    TypeError
        An argument of the wrong type.
    """
    method = _check_method(method)
    post = result._require_posterior(f"select(method={method!r})")
    p = len(result.feature_names)
    total = post.sizes["chain"] * post.sizes["draw"]
    max_size, n_draws, rule, prob = _check_options(method, p, total, max_size=max_size,
                                                    search=search, n_draws=n_draws, rule=rule,
                                                    prob=prob)
    seed = check_random_seed(random_seed)
    progressbar = check_param(progressbar, "progressbar", Boolean(), None)
    settings = {"n_draws": n_draws, "max_size": max_size}
    if method in ("projection", "decoupled"):
        likelihood = _likelihood_of(result)
        needs = (("project", "projection_path") if method == "projection"
                 else ("decoupled_path", "explained_variance"))
        _check_capability(likelihood, method, needs)
        y = _check_rows(result, method)
        design = _check_design(result, X, y, method, likelihood)
        draws, keep, shape = _flat_draws(result, n_draws, seed)
        if method == "projection":
            reff = 1.0 if keep is not None else _relative_efficiency(post)
            return _projection(result, likelihood, design, y, draws, shape, reff,
                               max_size or p, rule, {**settings, "rule": rule, "search": search},
                               progress=progress_enabled(progressbar))
        return _decoupled(result, likelihood, design, draws, max_size or p, prob,
                          {**settings, "prob": prob})
    # a likelihood whose y is a label, not a measurement (logistic), is on the scale of its linear
    # predictor: b_j = β_j sd(x_j), log-odds per sd of x_j, with no sd(y)
    scale_response = getattr(_likelihood_of(result), "scale_response", True)
    y = (np.asarray(result.idata.observed_data["y"].values, dtype=float).reshape(-1)
         if scale_response and "observed_data" in result.idata.groups() else None)
    if method == "savs" and scale_response and y is None:
        raise ValueError("select(method='savs') standardizes by sd(y), but this fit has no "
                         "observed rows (sufficient statistics); fit the data in memory")
    draws, _, _ = _flat_draws(result, n_draws, seed)
    if method == "interval":
        return _interval(result, draws["coef"], prob, max_size, {**settings, "prob": prob})
    coef_std = _standardized(result, draws["coef"], y)
    if method == "savs":
        return _savs(result, coef_std, max_size, settings)
    return _ranks_selection(result, coef_std, max_size, settings)


def _projection(result, likelihood, X, y, draws, shape, reff, max_size, rule, settings, *,
                progress: bool = False):
    import pandas as pd

    from .exceptions import BayesregWarning

    names = result.feature_names
    intercept, coef, sigma = draws["intercept"], draws["coef"], draws["sigma"]
    reference_ll = likelihood.pointwise_log_likelihood(
        X, y, intercept[None, :], coef[None, :, :], sigma[None, :])[0]
    reference_i, reference_k = psis_loo(reference_ll, reff)
    good_k = _good_k(coef.shape[0])
    rows, previous = [], (None, None)
    steps = likelihood.projection_path(X, y, intercept, coef, sigma, max_size)
    with StepProgress("projection forward search", max_size + 1, progress) as bar:
        for column, log_lik in steps:  # sizes 0 (the intercept alone), 1, ..., max_size
            if log_lik is not previous[0]:  # the path re-yields the same array when unchanged
                previous = (log_lik, psis_loo(log_lik, reff))
            elpd_i, k = previous[1]
            rows.append((len(rows), None if column is None else names[column],
                         *_elpd_row(elpd_i, reference_i), int(np.sum(k > good_k))))
            bar.advance()
    path = pd.DataFrame(rows, columns=["size", "variable", "elpd", "se", "elpd_diff", "se_diff",
                                       "n_high_pareto_k"])
    reference_elpd, reference_se, _, _ = _elpd_row(reference_i, reference_i)
    if isinstance(rule, str) and RULES[rule] is None:
        size = int(path["elpd"].idxmax())
    elif isinstance(rule, str):
        within = path["elpd_diff"] + RULES[rule] * path["se_diff"] >= 0
        if within.any():
            size = int(within.idxmax())
        else:
            size = int(path["size"].iloc[-1])
            warnings.warn(f"no submodel up to max_size={max_size} has an elpd within the rule "
                          f"{rule!r} of the reference; the largest ({size}) is suggested: "
                          "increase max_size", BayesregWarning, stacklevel=3)
    else:
        size = int(rule)  # checked against max_size before any work
    n_high = int(path["n_high_pareto_k"].max() + np.sum(reference_k > good_k))
    if n_high:
        warnings.warn(f"PSIS-LOO of the projection: up to {n_high} observation(s) with Pareto k > "
                      f"{good_k:.2f} (see path['n_high_pareto_k']); their elpd is unreliable",
                      BayesregWarning, stacklevel=3)
    path.attrs.update({"reference_elpd": reference_elpd, "reference_se": reference_se,
                       "rule": rule, "suggested_size": size})
    variables = tuple(path["variable"].iloc[1:size + 1])
    entry = {name: k + 1 for k, name in enumerate(path["variable"].iloc[1:])}
    scores = pd.DataFrame({"selected": [n in variables for n in names],
                           "entry": [entry.get(n, np.nan) for n in names]},
                          index=pd.Index(names, name="feature"))

    def projector(subset_names):
        return _projected_idata(likelihood, X, y, draws, shape, names, subset_names)

    return Selection(method="projection", variables=variables, feature_names=names,
                     scores=scores, path=path, projector=projector, settings=settings)


def _projected_idata(likelihood, X, y, draws, shape, names, subset_names):
    """The projected draws of one submodel as an InferenceData (chain, draw) like the fit's."""
    az = import_arviz()
    subset = [names.index(name) for name in subset_names]
    intercept, coef, sigma = likelihood.project(X, draws["intercept"], draws["coef"],
                                                draws["sigma"], subset)
    chains, n = shape
    posterior = {"intercept": intercept.reshape(chains, n),
                 "coef": coef.reshape(chains, n, len(subset))}
    sigma_grid = None
    if sigma is not None:
        sigma_grid = sigma.reshape(chains, n)
        posterior["sigma"] = sigma_grid
    design, slopes = X[:, subset], posterior["coef"]
    if not subset:  # the intercept-only model: one zero column, which adds nothing
        design, slopes = np.zeros((y.size, 1)), np.zeros((chains, n, 1))
    log_lik = likelihood.pointwise_log_likelihood(design, y, posterior["intercept"], slopes,
                                                  sigma_grid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return az.from_dict(posterior=posterior, log_likelihood={"y": log_lik},
                            observed_data={"y": y},
                            coords={"feature": list(subset_names), "obs_id": np.arange(y.size)},
                            dims={"coef": ["feature"], "y": ["obs_id"]})


def _decoupled(result, likelihood, X, draws, max_size, prob, settings):
    import pandas as pd

    names = result.feature_names
    summaries, entry = likelihood.decoupled_path(X, draws["coef"])
    summaries = summaries[:max_size + 1]
    rho2_full = likelihood.explained_variance(X, draws["coef"], draws["sigma"])
    target = float(rho2_full.mean())
    upper_q = (1 + prob) / 2
    rows, size = [], None
    for k, gamma in enumerate(summaries):
        rho2 = likelihood.explained_variance(X, draws["coef"], draws["sigma"], gamma)
        low, high = np.quantile(rho2, [1 - upper_q, upper_q])
        added = None if k == 0 or k > len(entry) else names[entry[k - 1]]
        rows.append((k, added, float(rho2.mean()), float(low), float(high)))
        if size is None and high >= target:
            size = k
    if size is None:
        size = len(rows) - 1
    path = pd.DataFrame(rows, columns=["size", "variable", "rho2", "rho2_low", "rho2_high"])
    path.attrs.update({"rho2_full": target, "prob": prob, "suggested_size": size})
    variables = tuple(names[j] for j in np.flatnonzero(summaries[size]))
    position = {names[j]: k + 1 for k, j in enumerate(entry)}
    variables = tuple(sorted(variables, key=lambda v: position[v]))
    scores = pd.DataFrame({"selected": [n in variables for n in names],
                           "entry": [position.get(n, np.nan) for n in names],
                           "summary_coef": summaries[size]},
                          index=pd.Index(names, name="feature"))
    return Selection(method="decoupled", variables=variables, feature_names=names, scores=scores,
                     path=path, settings=settings)


def _top(order: np.ndarray, keep: np.ndarray, max_size: int | None) -> np.ndarray:
    """The kept indices in ``order``, at most ``max_size`` of them."""
    chosen = [j for j in order if keep[j]]
    return np.array(chosen[:max_size] if max_size is not None else chosen, dtype=int)


def _interval(result, coef, prob, max_size, settings):
    import pandas as pd

    names = result.feature_names
    lower, upper = np.quantile(coef, [(1 - prob) / 2, (1 + prob) / 2], axis=0)
    sign_prob = np.maximum((coef > 0).mean(axis=0), (coef < 0).mean(axis=0))
    excludes = (lower > 0) | (upper < 0)
    order = np.argsort(-sign_prob, kind="stable")
    chosen = _top(order, excludes, max_size)
    scores = pd.DataFrame({"selected": np.isin(np.arange(len(names)), chosen), "lower": lower,
                           "upper": upper, "sign_prob": sign_prob},
                          index=pd.Index(names, name="feature"))
    return Selection(method="interval", variables=[names[j] for j in chosen], feature_names=names,
                     scores=scores, score_column="sign_prob", threshold=(1 + prob) / 2,
                     settings=settings)


def _savs(result, coef_std, max_size, settings):
    import pandas as pd

    names = result.feature_names
    sparse = savs_sparsify(coef_std, result.resolved_prior.n_samples)
    inclusion = (sparse != 0).mean(axis=0)
    order = np.argsort(-inclusion, kind="stable")
    chosen = _top(order, inclusion > 0.5, max_size)
    scores = pd.DataFrame({"selected": np.isin(np.arange(len(names)), chosen),
                           "inclusion": inclusion, "mean_sparsified": sparse.mean(axis=0)},
                          index=pd.Index(names, name="feature"))
    return Selection(method="savs", variables=[names[j] for j in chosen], feature_names=names,
                     scores=scores, score_column="inclusion", threshold=0.5, settings=settings)


def _ranks_selection(result, coef_std, max_size, settings):
    import pandas as pd
    from scipy.stats import rankdata

    names = result.feature_names
    per_draw = _ranks(coef_std)
    q75 = np.percentile(per_draw, _RANK_PERCENTILE, axis=0)
    rank = rankdata(q75, method="min").astype(int)
    order = np.lexsort((np.median(per_draw, axis=0), q75))
    size = len(names) if max_size is None else max_size
    chosen = order[:size]
    scores = pd.DataFrame({"selected": np.isin(np.arange(len(names)), chosen), "rank": rank,
                           "rank_q75": q75, "median_rank": np.median(per_draw, axis=0),
                           "inclusion": (per_draw <= size).mean(axis=0)},
                          index=pd.Index(names, name="feature"))
    return Selection(method="ranks", variables=[names[j] for j in chosen], feature_names=names,
                     scores=scores, score_column="inclusion", threshold=None, settings=settings)
