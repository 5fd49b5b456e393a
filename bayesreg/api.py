"""``bayesreg.fit``: the one-call entry point."""

from __future__ import annotations

import numpy as np

from ._params import POSITIVE, Boolean, Interval, StrOptions, validate_params
from ._standardize import Standardized
from ._validation import check_data, out_of_core_kind
from .likelihoods import get_likelihood
from .map import check_has_map, map_from_resolved
from .priors import get_family, resolve_prior
from .result import FitResult

__all__ = ["build_model", "fit"]

METHODS = ("sample", "map")


def fit_constraints() -> dict:
    """The constraints on :func:`fit`'s arguments (shared with the estimator and the CLI)."""
    from .sampling import sampler_names

    return {
        "method": [StrOptions(*METHODS)],
        "draws": [Interval("integral", 1)],
        "tune": [Interval("integral", 0)],
        "chains": [Interval("integral", 1)],
        "sampler": [StrOptions(*sampler_names())],
        "progressbar": [Boolean(), None],
        "log_likelihood": [Boolean(), None],
        "warn_convergence": [Boolean()],
        "scale": [POSITIVE, None],
        "alpha": [POSITIVE, None],
        "sigma": [POSITIVE, None],
        "C": [POSITIVE, None],
        "standardize": [Boolean()],
    }


def model_inputs(X, y, data, likelihood, standardize: bool = False, *, private: bool = True):
    """The checked inputs of every entry point: ``(Data, classes, design, x_sd, x_scale)``.

    ``X`` may be a formula (``"y ~ a + C(g)"``, with ``data=`` the DataFrame; ``design`` is then
    its :class:`~bayesreg._formula.FormulaDesign`, else None). The response is coded for the
    likelihood (``classes``: its labels, or None). With ``standardize`` each column of X is
    divided by its population sd (``x_scale``; else None); ``x_sd`` are the sds of X as given.
    """
    from ._formula import formula_inputs
    from ._standardize import column_scales, scale_columns

    X, y, design = formula_inputs(X, y, data)
    y, classes = response_for(likelihood, X, y)
    checked = check_data(X, y, private=private)
    x_sd = checked.spreads()[0]
    x_scale = None
    if standardize:
        x_scale = column_scales(checked)
        checked = scale_columns(checked, x_scale)
    return checked, classes, design, x_sd, x_scale


def fit(X, y=None, prior="laplace", *, scale: float | None = None, alpha: float | None = None,
        sigma: float | None = None, method: str = "sample", draws: int = 1000, tune: int = 1000,
        chains: int = 4, random_seed: int | None = None, progressbar: bool | None = None,
        sampler: str = "auto", log_likelihood: bool | None = None,
        warn_convergence: bool = True, sampler_kwargs: dict | None = None,
        family: str = "gaussian", C: float | None = None, data=None,
        standardize: bool = False) -> FitResult:
    r"""Fit a Bayesian linear or logistic regression with a shrinkage prior on the slopes.

    Model (``family="gaussian"``): :math:`y_i = b_0 + x_i^\top\beta + \varepsilon_i`,
    :math:`\varepsilon_i \sim N(0,\sigma^2)`; (``family="bernoulli"``, alias ``"logistic"``):
    :math:`P(y_i = 1) = 1/(1 + e^{-(b_0 + x_i^\top\beta)})`. In both, a flat prior on the intercept
    :math:`b_0` (never penalised), and

    * ``"gaussian"`` (``"normal"``, ``"ridge"``): :math:`\beta_j \sim N(0, \tau^2)`; MAP = Ridge with
      :math:`\alpha = \sigma^2/\tau^2`;
    * ``"laplace"`` (``"lasso"``): :math:`\beta_j \sim \mathrm{Laplace}(0, b)`, density
      :math:`\frac{1}{2b}e^{-|\beta_j|/b}`; MAP = Lasso with :math:`\alpha = \sigma^2/(n b)`;
    * ``"elasticnet"`` / :class:`~bayesreg.ElasticNet`: MAP = ElasticNet(alpha, l1_ratio).

    Strength of the prior — at most one of:

    * ``scale``: τ (Gaussian) or b (Laplace), fixed;
    * ``alpha``: scikit-learn's penalty. With σ fixed this fixes the scale by the formulas above. With
      σ unknown the scale is tied to σ so that the mode of β *given any σ* is scikit-learn's solution:
      Gaussian :math:`\tau = \sigma/\sqrt{\alpha}`, Laplace :math:`b = \sigma^2/(n\alpha)`;
    * neither: the scale is unknown with a weakly-informative hyperprior scaled to the data,
      :math:`\beta_j \mid \sigma, s \sim N(0, \sigma^2 s^2)` or :math:`\mathrm{Laplace}(0, \sigma s)`
      with :math:`s \sim \mathrm{HalfCauchy}(0, 1/\mathrm{rms}_j(\mathrm{sd}(x_j)))` — see
      :meth:`FitResult.prior_summary` for the values used. A prior object
      (``bayesreg.Laplace(rate=..., scale_with_sigma=True)``, ``hyperprior=bayesreg.Gamma(...)``)
      gives full control.

    Noise: ``sigma=None`` means σ unknown with Jeffreys' prior :math:`p(\sigma^2)\propto 1/\sigma^2`
    (Park & Casella 2008); a positive float fixes it.

    Logistic regression (``family="bernoulli"``): no σ; the strength is scikit-learn's ``C``.
    ``LogisticRegression(C=C, l1_ratio=ρ)`` minimises
    :math:`C\sum_i \ell_i + \rho\lVert\beta\rVert_1 + \tfrac{1-\rho}{2}\lVert\beta\rVert_2^2`, which
    is the MAP under :math:`\beta_j \sim N(0, C)` (``"gaussian"``, ρ = 0), :math:`\mathrm{Laplace}(0, C)`
    (``"laplace"``, ρ = 1) or the elastic-net prior ``bayesreg.ElasticNet(l1_ratio=ρ)``. Without
    ``C`` or ``scale`` the scale has the half-Cauchy hyperprior above (with σ = 1: a coefficient of
    about 1/rms sd(x_j) moves the log-odds by about one per sd of x).

    Parameters
    ----------
    X : array-like or DataFrame, shape (n_samples, n_features); dask array or DataFrame;
        :class:`~bayesreg.SufficientStats`; or a formula string with ``data=``
        A formula (Wilkinson notation, via formulaic) such as ``"lpsa ~ lcavol + C(gleason) +
        lcavol:svi"`` builds the design from the DataFrame ``data``: categorical columns become
        treatment-coded indicators (reference: the first level in sorted order), ``a:b`` products,
        ``np.log(x)`` / ``center(x)`` transforms. The response is the left-hand side (a one-sided
        ``"~ a + b"`` takes ``y``). The intercept is always bayesreg's flat one, so ``- 1`` / ``+ 0``
        are refused. The formula and the learned levels are kept in the result
        (``FitResult.formula``) and ``predict(new_df)`` encodes new rows the same way.
        DataFrame column names become the ``"feature"`` coordinate (else ``x0, x1, ...``). Dask
        data are reduced to their sufficient statistics in one pass on the active dask scheduler
        (an active ``distributed.Client`` if there is one); after that nothing costs anything in
        n. Such fits (and fits of a SufficientStats) have the same posterior and MAP as the data
        in memory, sampled with ``"exact"`` or ``"gibbs"``; what needs every row (pointwise
        log-likelihood, observed data, the NUTS samplers) is not available — one warning says so.
    y : array-like or Series, shape (n_samples,); dask array or Series for dask X; omitted for a
        SufficientStats
    prior : str or prior object
    scale, alpha, sigma : float, optional
        See above; each must be positive.
    method : {"sample", "map"}
        ``"sample"`` draws the posterior; ``"map"`` computes only the exact posterior mode.
    draws, tune, chains : int
        Posterior draws kept per chain, burn-in/tuning iterations per chain, number of chains.
    random_seed : int, optional
        Same seed ⇒ identical draws.
    progressbar : bool, optional
        Show a progress display on stderr (one row per chain). Default: only when stderr is a
        terminal; False silences it.
    sampler : {"auto", "exact", "gibbs", "nutpie", "pymc"}
        ``"auto"`` picks the fastest sampler competent for the prior family: exact (closed form)
        > gibbs > nutpie.
    log_likelihood : bool, optional
        Store the pointwise log-likelihood (for LOO). Default: yes unless
        n_samples × chains × draws > 5·10⁷.
    warn_convergence : bool
        Warn (one :class:`~bayesreg.ConvergenceWarning`) when R-hat > 1.01, ESS < 400 or NUTS
        divergences occur.
    sampler_kwargs : dict, optional
        Passed to nutpie's ``sample`` or PyMC's ``pm.sample`` (e.g. ``{"target_accept": 0.95}``);
        an error for the exact and Gibbs samplers.
    family : {"gaussian", "bernoulli"}
        The likelihood (``"normal"``, ``"logistic"`` are aliases). For ``"bernoulli"`` y holds two
        classes (0/1, booleans or any two labels; the second in sorted order is coded 1, as
        scikit-learn's ``classes_[1]``), the data must be in memory, and the Gibbs sampler draws
        Pólya-Gamma weights (Polson, Scott & Windle 2013).
    C : float, optional
        ``family="bernoulli"`` only: scikit-learn's ``LogisticRegression(C=...)`` (exclusive with
        ``scale``; ``alpha`` and ``sigma`` do not apply).
    data : DataFrame, optional
        The data of a formula ``X`` (and only then).
    standardize : bool
        False (default): the prior is on the coefficients of X as given, so its strength depends
        on each predictor's units. True (glmnet's ``standardize=TRUE``): the prior, ``alpha``,
        ``C`` and ``scale`` apply to the coefficients :math:`\tilde\beta_j = \beta_j s_j` of the
        predictors divided by their population sds :math:`s_j` (ddof = 0, as scikit-learn's
        ``StandardScaler``; 1 for a constant column); every result — draws, MAP, summaries,
        predictions, plots — is reported in X's units, :math:`\beta_j = \tilde\beta_j / s_j`.
        The MAP then equals ``make_pipeline(StandardScaler(), Lasso(alpha))`` (or Ridge, ...)
        mapped back to X's units. ``FitResult.prior_summary()`` says which scale the prior is on.

    Returns
    -------
    FitResult

    Raises
    ------
    ValueError
        Before any work: a bad argument (the message names it); a constant ``y``, an exact linear
        fit, or p ≥ n − 1 with a prior scale not tied to σ, when σ is unknown (the posterior under
        Jeffreys' prior is improper there: pass ``sigma=``); a prior scale or σ more than 10¹⁰⁰ away
        from the data's own scale (sd(y) per rms sd(x)).
    TypeError
        An argument of the wrong type.
    MemoryError
        Before sampling, when the draws or the pointwise log-likelihood would not fit in memory.
    FloatingPointError
        When a sampler's state stops being finite (it stops at once instead of spinning; the
        message names the likely causes).

    Notes
    -----
    Every sampler and the MAP solver work in standardized units (X centred and divided by
    c_x = rms sd(x_j), y by c_y = sd(y); the prior is rewritten exactly for them) and report in
    the user's: fitting (c·X, d·y) with correspondingly transformed settings gives the transformed
    draws, so the data's units never matter numerically.

    Examples
    --------
    >>> import bayesreg
    >>> X, y = bayesreg.datasets.load_diabetes()
    >>> res = bayesreg.fit(X, y, prior="laplace", alpha=0.1, sigma=54.0, method="map")
    >>> int((res.map.coef == 0).sum())
    3
    """
    from .sampling import (
        _seed_sequence,
        check_rows_sampler,
        check_sampler_kwargs,
        choose_sampler,
        sample_posterior,
        warn_on_diagnostics,
    )

    checked = validate_params(
        {"method": method, "draws": draws, "tune": tune, "chains": chains, "sampler": sampler,
         "progressbar": progressbar, "log_likelihood": log_likelihood,
         "warn_convergence": warn_convergence, "scale": scale, "alpha": alpha, "sigma": sigma,
         "C": C, "standardize": standardize},
        fit_constraints(),
    )
    method, draws, tune, chains = (checked[k] for k in ("method", "draws", "tune", "chains"))
    seed_seq = _seed_sequence(random_seed)
    likelihood = get_likelihood(family)
    if method == "sample" and out_of_core_kind(X) is not None:
        # refuse a model that only NUTS samples before the pass over the rows
        prior_family = get_family(prior)
        auto_nuts = sampler == "auto" and prior_family.gibbs is None and not prior_family.conjugate
        check_rows_sampler("nutpie" if auto_nuts else sampler, rows=False)
    data, classes, design, x_sd, x_scale = model_inputs(X, y, data, likelihood, standardize)
    data.warn_degenerate(stacklevel=2)  # one BayesregWarning for constant/duplicated columns
    resolved = resolve_prior(prior, scale=scale, alpha=alpha, sigma=sigma, data=data, C=C,
                             likelihood=likelihood)

    if method == "map":
        check_has_map(resolved.spec)
        if resolved.scale_is_random:
            strength = "C=..." if not likelihood.has_sigma else "alpha=..."
            raise ValueError(
                f"method='map' needs a fixed prior strength: pass {strength}, or scale=... (with "
                "sigma=... where the penalty depends on it); with a random scale use method='sample'"
            )
        estimate = map_from_resolved(data, resolved)
        return FitResult(idata=None, map_estimate=_unscaled(estimate, x_scale), resolved=resolved,
                         feature_names=data.feature_names, sampler=None, method="map",
                         x_sd=x_sd, classes=classes, formula=design, x_scale=x_scale)

    chosen = choose_sampler(resolved, sampler, likelihood)  # validate before any work
    check_rows_sampler(chosen, rows=data.has_rows)
    options = check_sampler_kwargs(chosen, sampler_kwargs)
    problem = Standardized(data, resolved)  # refuses numerically degenerate settings
    check_proper(problem)
    idata, chosen = sample_posterior(
        data, resolved, sampler=chosen, draws=draws, tune=tune, chains=chains,
        random_seed=seed_seq, progressbar=progressbar, log_likelihood=log_likelihood, problem=problem,
        sampler_kwargs=options, likelihood=likelihood,
    )
    post = idata.posterior
    sigma_hat = float(post["sigma"].median()) if "sigma" in post else None
    scale_hat = None
    if resolved.scale_is_random:
        name = resolved.random_scale_name
        med = float(post[name].median())
        scale_hat = med if name == "coef_scale" else 1.0 / med
    estimate = None  # a family without a MAP penalty has no finite mode to report
    if resolved.spec.alpha_parts(1.0, resolved.l1_ratio) is not None:
        estimate = map_from_resolved(data, resolved, sigma=sigma_hat, scale=scale_hat, problem=problem)
    if x_scale is not None:
        from ._standardize import unscale_draws

        unscale_draws(idata, x_scale)
    result = FitResult(idata=idata, map_estimate=_unscaled(estimate, x_scale), resolved=resolved,
                       feature_names=data.feature_names, sampler=chosen, method="sample",
                       x_sd=x_sd, classes=classes, formula=design, x_scale=x_scale)
    if warn_convergence:
        from .sampling import diagnose

        warn_on_diagnostics(diagnose(idata), chosen, stacklevel=3)
    return result


def _unscaled(estimate, x_scale):
    """The MAP in X's units (``standardize=True``), or as it is."""
    if x_scale is None or estimate is None:
        return estimate
    from ._standardize import unscale_map

    return unscale_map(estimate, x_scale)


def response_for(likelihood, X, y):
    """``(y, classes)``: y coded for the likelihood (0/1 for the logistic one) and its labels.

    A likelihood that needs every row (not conditionally Gaussian) refuses data known only by
    their sufficient statistics (a SufficientStats, dask collections) first.
    """
    from .stats import SufficientStats

    if not likelihood.conditionally_gaussian and (
            isinstance(X, SufficientStats) or out_of_core_kind(X) is not None
            or out_of_core_kind(y) is not None):
        raise ValueError(f"family={likelihood.name!r} needs the data's rows in memory (its "
                         "likelihood is not a function of the sufficient statistics); pass NumPy "
                         "arrays or pandas objects")
    return likelihood.encode_response(y)


def check_proper(problem: Standardized) -> None:
    r"""Refuse, before sampling, data for which the posterior with σ unknown is improper.

    With Jeffreys' prior :math:`p(\sigma^2)\propto 1/\sigma^2` the posterior is improper when the
    residual sum of squares can reach 0 and the prior does not shrink with σ: a constant y (β = 0
    fits exactly); an exact linear fit with p < n − 1 under a prior whose scale is not tied to σ or
    is random (integrating σ out leaves a density that does not decay in the scale); and, with
    p ≥ n − 1 (every y fits exactly), a prior whose scale is not tied to σ.
    """
    rp = problem.resolved
    if rp.sigma_is_fixed:
        return
    data = problem.original
    hint = ("pass the noise sd as sigma=... (the posterior is then proper), or fit the MAP with "
            "method='map'")
    if data.stats is not None:
        constant, value = data.stats.y_is_constant, data.stats.y_mean
    else:
        constant, value = np.ptp(data.y) == 0, float(data.y[0])
    if constant:
        raise ValueError(f"y is constant ({value:.6g}): with sigma unknown the posterior is "
                         f"improper (sigma -> 0 fits the data exactly); {hint}")
    suff = problem.suff
    untied = rp.sigma_power == 0
    if suff.p >= suff.n - 1:
        if untied:
            raise ValueError(
                f"with p = {suff.p} >= n - 1 = {suff.n - 1} every y is fitted exactly, so with sigma "
                "unknown and a prior scale not tied to sigma the posterior is improper; give the prior "
                f"scale_with_sigma=True, or {hint}"
            )
        return
    if not (untied or rp.scale_is_random):
        return
    values, vectors = np.linalg.eigh(suff.gram)
    keep = values > values.max() * suff.p * np.finfo(float).eps
    proj = vectors[:, keep].T @ suff.corr
    rss_min = suff.yy - float(proj @ (proj / values[keep]))
    if rss_min <= 1e-12 * suff.yy:
        raise ValueError(
            f"y is an exact linear function of X (R^2 = 1 - {max(rss_min, 0.0) / suff.yy:.1e}): with "
            "sigma unknown the posterior under Jeffreys' prior p(sigma^2) ∝ 1/sigma^2 is improper "
            f"(the residual sum of squares reaches 0); {hint}"
        )


def build_model(X, y=None, prior="laplace", *, scale: float | None = None, alpha: float | None = None,
                sigma: float | None = None, family: str = "gaussian", C: float | None = None,
                data=None):
    r"""The PyMC model :func:`fit` samples, in the user's units (for inspection or PyMC tools).

    Variables: ``intercept`` (flat), ``coef`` (dims ``feature``, the prior family's density),
    ``sigma`` (Jeffreys' :math:`p(\sigma^2)\propto 1/\sigma^2`, absent when ``sigma`` is given),
    ``coef_scale``/``coef_rate`` when the prior scale is random, and the observed ``y`` (dims
    ``obs_id``). The prior is resolved exactly as in :func:`fit` (same defaults, same
    ``alpha``/``scale``/``sigma`` rules). The response and a fixed prior scale are ``pm.Data``
    containers (``y_data``, ``prior_scale``).

    Parameters
    ----------
    X, y : array-like or DataFrame (data in memory: the model has one node per row); or a
        formula with ``data=`` as in :func:`fit`
    prior, scale, alpha, sigma, family, C, data
        As in :func:`fit` (for ``family="bernoulli"`` the observed ``y`` is Bernoulli with
        ``logit_p`` = intercept + X·coef and there is no ``sigma``).

    Returns
    -------
    pymc.Model

    Examples
    --------
    >>> import bayesreg, pymc as pm
    >>> X, y = bayesreg.datasets.load_diabetes()
    >>> model = bayesreg.build_model(X, y, "laplace", alpha=0.1, sigma=54.0)
    >>> sorted(model.named_vars)[:3]
    ['X', 'coef', 'intercept']
    """
    from .model import pymc_model

    get_family(prior)  # a bad prior fails before the data are checked
    likelihood = get_likelihood(family)
    data, *_ = model_inputs(X, y, data, likelihood, private=False)
    if not data.has_rows:
        raise ValueError("build_model needs the data's rows (the PyMC model has one node per "
                         "observation); these data are known only by their sufficient statistics")
    resolved = resolve_prior(prior, scale=scale, alpha=alpha, sigma=sigma, data=data, C=C,
                             likelihood=likelihood)
    return pymc_model(data, resolved, likelihood)
