r"""Fit several priors on the same data and contrast their shrinkage.

* :func:`compare_priors` fits each prior (same data, same seed) and returns a
  :class:`PriorComparison`: one tidy table (:meth:`PriorComparison.summary`) puts OLS, the exact
  MAP, scikit-learn's Ridge/Lasso at the matched penalty and the posterior summaries side by side,
  :meth:`PriorComparison.loo` ranks the priors by PSIS-LOO (``az.compare``) and
  :meth:`PriorComparison.to_markdown` writes both up as a Markdown report.
* :func:`posterior_path` is the *Bayesian regularization path*: the posterior median and a credible
  band of every coefficient along a grid of penalties :math:`\alpha`, next to the MAP path
  (= ``lasso_path`` / the Ridge path). At every :math:`\alpha` the prior is the one whose MAP of β
  given σ is scikit-learn's solution (Gaussian :math:`\tau = \sigma/\sqrt{\alpha}`, Laplace
  :math:`b = \sigma^2/(n\alpha)`), so the two paths differ only by "mode" versus "whole posterior".
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ._backend import import_arviz
from ._validation import check_int, check_random_seed, check_Xy
from .exceptions import BayesregWarning
from .likelihoods import get_likelihood
from .priors import as_prior, families, get_family

__all__ = [
    "PosteriorPath",
    "PriorComparison",
    "compare_priors",
    "default_path_alphas",
    "ols_fit",
    "posterior_path",
    "sklearn_map",
]


def ols_fit(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares slopes and intercept (minimum-norm slopes when ``X`` is rank deficient).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)

    Returns
    -------
    coef : ndarray of shape (n_features,)
    intercept : float
    """
    return get_likelihood().reference_fit(X, y)


def sklearn_map(X: np.ndarray, y: np.ndarray, family, alpha: float,
                l1_ratio: float | None = None):
    """The fitted scikit-learn estimator whose solution is the MAP of ``family`` at ``alpha``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    family : str or prior family
        A prior name (``"gaussian"`` → Ridge, ``"laplace"`` → Lasso, ``"elasticnet"`` →
        ElasticNet, coordinate descent to ``tol=1e-12``) or a registered family.
    alpha : float
        scikit-learn's penalty.
    l1_ratio : float, optional
        Elastic net only.

    Returns
    -------
    The fitted estimator (``coef_``, ``intercept_``).
    """
    fam = get_family(family)
    model = fam.sklearn_estimator(alpha, l1_ratio)
    if model is None:
        raise ValueError(f"the {fam.label} prior has no scikit-learn equivalent")
    return model.fit(X, y)


def _prior_name(prior) -> str:
    if isinstance(prior, str):
        return prior
    return get_family(prior).name


def _check_hdi_prob(hdi_prob) -> float:
    from ._params import PROBABILITY, check_param

    return check_param(hdi_prob, "hdi_prob", PROBABILITY)


def _coef_hdi(coef, hdi_prob: float) -> np.ndarray:
    """HDI of draws (chain, draw, feature), a DataArray or an array: array (n_features, 2)."""
    az = import_arviz()
    if isinstance(coef, np.ndarray):
        return np.asarray(az.hdi(coef, hdi_prob=hdi_prob)).reshape(-1, 2)
    return np.asarray(az.hdi(coef, hdi_prob=hdi_prob)[coef.name].values)


class PriorComparison:
    """Fits of several priors on the same data (same seed), by name.

    Parameters
    ----------
    results : dict of str to FitResult
        Sampled fits, by prior name.
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    feature_names : sequence of str

    Attributes
    ----------
    results : dict of str to FitResult
    feature_names : tuple of str
    ols_coef : ndarray of shape (n_features,)
        Least-squares coefficients (the unshrunk reference); for ``family="bernoulli"`` the
        (almost) unpenalised maximum-likelihood logistic fit.
    family : str
        The likelihood of the fits (``"gaussian"`` or ``"bernoulli"``).
    ols_intercept : float
    """

    def __init__(self, results: dict, X: np.ndarray, y: np.ndarray,
                 feature_names: Sequence[str]):
        self.results = dict(results)
        self.feature_names = tuple(feature_names)
        self._X, self._y = X, y
        first = next(iter(self.results.values()), None)
        likelihood = get_likelihood(first.family if first is not None else "gaussian")
        self.family = likelihood.name
        self.ols_coef, self.ols_intercept = likelihood.reference_fit(X, y)

    def __repr__(self) -> str:
        return (f"PriorComparison(priors={list(self.results)}, "
                f"n_features={len(self.feature_names)})")

    def __getitem__(self, name: str):
        return self.results[name]

    def default_threshold(self) -> np.ndarray:
        r"""Per-feature :math:`|\beta_j|` threshold for "practically zero".

        A standardised effect of 0.01: :math:`0.01\,\mathrm{sd}(y)/\mathrm{sd}(x_j)`, i.e. moving
        :math:`x_j` by one standard deviation moves the prediction by 1 % of sd(y).

        Returns
        -------
        ndarray of shape (n_features,)
        """
        sd_x = self._X.std(axis=0)
        sd_x = np.where(sd_x > 0, sd_x, 1.0)
        return 0.01 * float(self._y.std()) / sd_x

    def _threshold(self, threshold) -> np.ndarray:
        if threshold is None:
            return self.default_threshold()
        thr = np.asarray(threshold, dtype=float)
        try:
            thr = np.broadcast_to(thr, (len(self.feature_names),))
        except ValueError:
            raise ValueError(
                f"threshold must be a number or one per feature ({len(self.feature_names)}); "
                f"got shape {thr.shape}"
            ) from None
        if not np.all(np.isfinite(thr)) or np.any(thr < 0):
            raise ValueError("threshold must be finite and non-negative")
        return thr

    def summary(self, hdi_prob: float = 0.94, threshold=None):
        r"""One tidy table: a row per (prior, feature).

        Columns

        * ``ols`` — least squares (no shrinkage);
        * ``map`` — bayesreg's exact posterior mode; ``sklearn`` — scikit-learn's
          Ridge/Lasso/ElasticNet at the matched ``alpha`` (the two agree to solver precision and the
          Lasso/Laplace MAP has exact zeros). Where σ or the prior scale is random, the MAP is the
          mode *given* their posterior medians (see :attr:`FitResult.map`). NaN for a prior
          without a MAP (``sklearn`` also for a MAP without a scikit-learn equivalent, and — with
          a warning — when scikit-learn's solver does not converge, as SAGA on unstandardized
          predictors for an L1 logistic fit);
        * ``alpha`` — that penalty (NaN without a MAP);
        * posterior ``mean``, ``median``, ``sd`` and the ``hdi_prob`` HDI (``hdi_low``,
          ``hdi_high``);
        * ``threshold`` and ``prob_small`` = :math:`P(|\beta_j| < \text{threshold} \mid y)`, the
          posterior mass near zero.

        Parameters
        ----------
        hdi_prob : float
            Probability of the highest-density interval, in (0, 1).
        threshold : float or array-like of shape (n_features,), optional
            What counts as "small". Default: :meth:`default_threshold`.

        Returns
        -------
        pandas.DataFrame
            Indexed by (``prior``, ``feature``); ``attrs["hdi_prob"]`` records ``hdi_prob``.
        """
        import pandas as pd

        hdi_prob = _check_hdi_prob(hdi_prob)
        thr = self._threshold(threshold)
        p = len(self.feature_names)
        rows = []
        for name, res in self.results.items():
            est = res.map
            map_coef, sk_coef, alpha = np.full(p, np.nan), np.full(p, np.nan), np.nan
            if est is not None:
                map_coef, alpha = est.coef, est.alpha
                model = get_likelihood(self.family).sklearn_estimator(res.resolved_prior.spec, est)
                if model is not None:
                    sk_coef = _sklearn_coef(model, self._X, self._y, name)
            coef = res.idata.posterior["coef"]
            draws = coef.values.reshape(-1, p)
            hdi = _coef_hdi(coef, hdi_prob)
            mean = draws.mean(axis=0)
            median = np.median(draws, axis=0)
            sd = draws.std(axis=0, ddof=1)
            small = np.mean(np.abs(draws) < thr, axis=0)
            for j, feat in enumerate(self.feature_names):
                rows.append({
                    "prior": name, "feature": feat, "ols": self.ols_coef[j], "map": map_coef[j],
                    "sklearn": sk_coef[j], "alpha": alpha, "mean": mean[j],
                    "median": median[j], "sd": sd[j], "hdi_low": hdi[j, 0], "hdi_high": hdi[j, 1],
                    "threshold": thr[j], "prob_small": small[j],
                })
        table = pd.DataFrame(rows).set_index(["prior", "feature"])
        table.attrs["hdi_prob"] = hdi_prob
        return table

    def shrinkage_profiles(self, *, random_seed=None) -> dict:
        r"""Each fit's shrinkage factors :math:`\kappa_j` (:func:`bayesreg.shrinkage_profile`), by
        prior name, for :func:`bayesreg.plots.plot_shrinkage_profile`.

        Parameters
        ----------
        random_seed : int, optional
            Seeds the prior draws and the local variances drawn given β (one child seed per fit).

        Returns
        -------
        dict of str to ShrinkageProfile
        """
        from .shrinkage import shrinkage_profile

        seeds = check_random_seed(random_seed).spawn(len(self.results))
        return {name: shrinkage_profile(res, random_seed=seed, label=name)
                for (name, res), seed in zip(self.results.items(), seeds, strict=True)}

    def loo(self, **kwargs):
        """Rank the priors by PSIS-LOO with ``az.compare``; problems are surfaced as warnings.

        Each fit's ``az.loo`` is computed once (pointwise) and passed to ``az.compare``. Every
        warning ArviZ raises on the way (e.g. high Pareto k, the LOO variance check) is re-issued as
        a :class:`~bayesreg.BayesregWarning` naming the prior; pandas deprecation noise from inside
        ArviZ is dropped. Pareto k values above ArviZ's sample-size dependent threshold
        (``good_k``, 0.7 at most) are counted in the column ``n_high_pareto_k`` and warned about.

        Parameters
        ----------
        **kwargs
            Passed to ``az.compare`` (e.g. ``method="BB-pseudo-BMA"``); ``scale`` is also used
            for ``az.loo``.

        Returns
        -------
        pandas.DataFrame
            ``az.compare``'s table (``rank``, ``elpd_loo``, ``p_loo``, ``elpd_diff``, ``weight``,
            ``se``, ``dse``, ``warning``, ``scale``) plus ``n_high_pareto_k``.

        Raises
        ------
        ValueError
            If a fit has no pointwise log-likelihood.
        """
        az = import_arviz()
        for name, res in self.results.items():
            if "log_likelihood" not in res.idata.groups():
                raise ValueError(f"the fit for {name!r} has no pointwise log-likelihood; "
                                 "refit with log_likelihood=True")
        elpds, n_high = {}, {}
        for name, res in self.results.items():
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                elpd = az.loo(res.idata, pointwise=True, scale=kwargs.get("scale"))
            # Pareto k problems are reported below with their count, not in ArviZ's words
            _resurface([w for w in caught if "Pareto" not in str(w.message)],
                       f"az.loo for {name!r}")
            good_k = float(getattr(elpd, "good_k", 0.7))
            n_high[name] = int(np.sum(np.asarray(elpd.pareto_k) > good_k))
            if n_high[name]:
                warnings.warn(
                    f"LOO for {name!r}: {n_high[name]} observation(s) with Pareto k > "
                    f"{good_k:.2f}; the LOO estimate is unreliable for them (consider K-fold CV)",
                    BayesregWarning, stacklevel=2,
                )
            elpds[name] = elpd
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = az.compare(elpds, **kwargs)
        _resurface(caught, "az.compare")
        table["n_high_pareto_k"] = [n_high[name] for name in table.index]
        return table

    def to_markdown(self, *, title: str = "bayesreg compare", data_note: str | None = None,
                    priors_note: str | None = None, hdi_prob: float = 0.94, threshold=None,
                    loo=True, seed=None, elapsed: float | None = None, digits: int = 4) -> str:
        """A Markdown report: the fits, the coefficient table and the PSIS-LOO ranking.

        The report ``bayesreg compare`` writes to ``summary.md``: a title, a bullet list (data,
        priors, for each prior its coefficient prior, sampler, draws and MAP — scikit-learn's
        estimator named by the prior family, "no MAP" when the prior has none —, the largest
        ``|MAP − sklearn|``, the seed and the run time), the :meth:`summary` table (one row per
        prior and feature) and the :meth:`loo` table.

        Parameters
        ----------
        title : str
            The level-1 heading.
        data_note : str, optional
            What the data are (default: "<n> rows × <p> predictors").
        priors_note : str, optional
            Said in parentheses after the list of priors (default: derived from the fits, e.g.
            "hyperpriors on the scale, σ unknown with Jeffreys' prior").
        hdi_prob : float
            Probability of the HDI column, in (0, 1).
        threshold : float or array-like of shape (n_features,), optional
            What counts as "small" for ``P(|β|<threshold)`` (default:
            :meth:`default_threshold`).
        loo : bool, pandas.DataFrame or None
            The PSIS-LOO section: a table from :meth:`loo` is shown as is; True computes it
            (when a fit has no pointwise log-likelihood the section says so instead); False or
            None leaves the section out.
        seed : int, optional
            The random seed to report (not reported when None).
        elapsed : float, optional
            Run time in seconds to report (not reported when None).
        digits : int
            Significant digits of the numbers in the tables.

        Returns
        -------
        str
            The Markdown text, ending with a newline.

        Raises
        ------
        TypeError
            If ``loo`` is not a bool, None or a DataFrame.

        Examples
        --------
        >>> import bayesreg
        >>> X, y = bayesreg.datasets.load_diabetes()
        >>> comp = bayesreg.compare_priors(X, y, draws=200, tune=200, chains=2, random_seed=1,
        ...                                progressbar=False, warn_convergence=False)
        >>> text = comp.to_markdown(data_note="diabetes", seed=1)
        >>> text.splitlines()[0]
        '# bayesreg compare'
        """
        import pandas as pd

        if not (loo is None or isinstance(loo, bool | pd.DataFrame)):
            raise TypeError("loo must be True, False, None or a table from PriorComparison.loo(); "
                            f"got {type(loo).__name__}")
        table = self.summary(hdi_prob=hdi_prob, threshold=threshold)
        hdi = table.attrs["hdi_prob"]
        hdi_column = f"{hdi:.0%} HDI"
        shown = table.copy()
        shown[hdi_column] = [f"[{_format_cell(lo, digits)}, {_format_cell(hi, digits)}]"
                             for lo, hi in zip(shown["hdi_low"], shown["hdi_high"], strict=True)]
        shown = shown[["ols", "map", "sklearn", "alpha", "mean", "median", "sd", hdi_column,
                       "threshold", "prob_small"]]
        shown["prob_small"] = [f"{v:.3f}" for v in shown["prob_small"]]
        shown = shown.rename(columns={"prob_small": "P(|β|<threshold)"})

        if data_note is None:
            n, p = self._X.shape
            data_note = f"{n} rows × {p} predictors"
        if priors_note is None:
            priors_note = self._priors_note()
        lines = [f"# {title}", "", f"- Data: {data_note}.",
                 f"- Priors: {', '.join(self.results)}"
                 + (f" ({priors_note})." if priors_note else ".")]
        for name, res in self.results.items():
            post = res.idata.posterior
            lines.append(f"- `{name}`: {res.resolved_prior.describe()[1][1]}; sampler "
                         f"`{res.sampler}`, {post.sizes['chain']} chains × {post.sizes['draw']} "
                         f"draws; {_map_note(res)}.")
        diffs = (table["map"] - table["sklearn"]).abs().dropna()
        facts = [] if diffs.empty else [f"max |MAP − sklearn| = {float(diffs.max()):.2e}"]
        if seed is not None:
            facts.append(f"seed {seed}")
        if elapsed is not None:
            facts.append(f"{elapsed:.1f} s")
        if facts:
            lines.append(f"- {'; '.join(facts)}.")
        threshold_note = ("threshold = a standardised effect of 0.01" if threshold is None
                          else "threshold as given")
        lines += ["", "## Coefficients", "",
                  "`map` is bayesreg's exact posterior mode, `sklearn` scikit-learn's fit at the "
                  "same alpha; `P(|β|<threshold)` is the posterior mass near zero "
                  f"({threshold_note}).", "",
                  _markdown_table(shown, digits), ""]
        if loo is True:
            try:
                loo = self.loo()
            except ValueError as exc:  # no pointwise log-likelihood
                lines += ["## PSIS-LOO (az.compare)", "", f"Not computed: {exc}.", ""]
                loo = None
        if isinstance(loo, pd.DataFrame):
            loo_shown = loo.drop(columns=[c for c in ("scale",) if c in loo.columns])
            lines += ["## PSIS-LOO (az.compare)", "",
                      _markdown_table(loo_shown.rename_axis("prior"), digits), ""]
        return "\n".join(lines)

    def _priors_note(self) -> str:
        """What the fits say about the scale and σ, e.g. "hyperpriors on the scale, σ unknown"."""
        resolved = [res.resolved_prior for res in self.results.values()]
        random_scale = [rp.scale_is_random for rp in resolved]
        unknown_sigma = [rp.sigma is None for rp in resolved]
        parts = []
        if not any(rp.likelihood_spec.has_sigma for rp in resolved):
            unknown_sigma = None  # the logistic likelihood has no noise scale
        if all(random_scale):
            parts.append("hyperpriors on the scale")
        elif not any(random_scale):
            parts.append("fixed prior scales")
        if unknown_sigma is None:
            parts.append("logistic likelihood")
        elif all(unknown_sigma):
            parts.append("σ unknown with Jeffreys' prior")
        elif not any(unknown_sigma):
            parts.append("σ fixed")
        return ", ".join(parts)



def _sklearn_coef(model, X, y, name: str) -> np.ndarray:
    """The fitted scikit-learn coefficients, or NaN (with one warning) when its solver did not
    converge: an unconverged fit is not the solution the column claims to show."""
    from sklearn.exceptions import ConvergenceWarning as SklearnConvergence

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SklearnConvergence)
        coef = np.ravel(model.fit(X, y).coef_)
    if any(issubclass(w.category, SklearnConvergence) for w in caught):
        warnings.warn(f"summary(): scikit-learn's {type(model).__name__} did not converge for "
                      f"{name!r} (SAGA on unstandardized predictors converges slowly), so its "
                      "'sklearn' column is left empty; the 'map' column is bayesreg's exact solution",
                      BayesregWarning, stacklevel=3)
        return np.full(coef.shape, np.nan)
    return coef


def _map_note(result) -> str:
    """The MAP of one fit in words: ``MAP = scikit-learn Lasso(alpha=…) at …`` or ``no MAP``."""
    rp = result.resolved_prior
    if result.map is None:
        return f"no MAP (the {rp.spec.label} prior has no finite mode)"
    method = rp.spec.map_name
    if result.map.C is not None:  # the logistic likelihood
        ratio = rp.likelihood_spec.l1_ratio(rp.spec, result.map.l1_ratio)
        text = f"MAP = scikit-learn LogisticRegression(C={result.map.C:.4g}, l1_ratio={ratio:.3g})"
    else:
        text = (f"MAP at alpha={result.map.alpha:.4g}" if method is None
                else f"MAP = scikit-learn {method}(alpha={result.map.alpha:.4g})")
    given = [what for what, random in (("σ", rp.sigma is None), ("the scale", rp.scale_is_random))
             if random]
    if given:
        text += f" at the posterior median{'s' if len(given) > 1 else ''} of {' and '.join(given)}"
    return text


def _format_cell(value, digits: int = 4) -> str:
    """One Markdown table cell: integers as is, reals to ``digits`` significant digits."""
    import numbers

    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if value == 0.0:
            return "0"
        if np.isnan(value):
            return "—"
        return f"{value:.{digits}g}"
    return str(value).replace("|", "\\|")


def _markdown_table(frame, digits: int = 4) -> str:
    """A GitHub-flavoured Markdown table of a DataFrame (index included), no ``tabulate`` needed."""
    import numbers

    flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    columns = [str(c) for c in flat.columns]
    rows = [[_format_cell(v, digits) for v in record] for record in flat.itertuples(index=False)]
    numeric = [all(isinstance(v, numbers.Number) and not isinstance(v, bool)
                   for v in flat.iloc[:, j]) for j in range(flat.shape[1])]
    lines = ["| " + " | ".join(c.replace("|", "\\|") for c in columns) + " |",
             "|" + "|".join("---:" if num else ":---" for num in numeric) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _resurface(caught, where: str) -> None:
    """Re-issue ArviZ's warnings as BayesregWarning; drop deprecation noise from its internals."""
    seen = set()
    for w in caught:
        if issubclass(w.category, DeprecationWarning | PendingDeprecationWarning | FutureWarning):
            continue
        message = str(w.message)
        if message in seen:
            continue
        seen.add(message)
        warnings.warn(f"{where}: {message}", BayesregWarning, stacklevel=3)


DEFAULT_PRIORS = ("gaussian", "laplace", "horseshoe")


def compare_priors(X, y, priors: Sequence | None = None, *, alpha: float | None = None,
                   scale: float | None = None, sigma: float | None = None,
                   family: str = "gaussian", C: float | None = None,
                   **fit_kwargs) -> PriorComparison:
    """Fit each prior on the same data with the same seed and keep the results by name.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    priors : sequence of str or prior objects, optional
        E.g. ``("gaussian", "laplace")``. A result is named after the string (``"lasso"`` stays
        ``"lasso"``) or the prior class (``Laplace(...)`` → ``"laplace"``); repeated names get a
        suffix ``_<position>``. Default: ``("gaussian", "laplace", "horseshoe")`` — Ridge's prior,
        the Lasso's and the global–local shrinkage prior without a MAP; with ``alpha`` given,
        ``("gaussian", "laplace")`` (the horseshoe has no scikit-learn penalty, so no alpha).
    alpha, scale, sigma : float, optional
        Passed to :func:`bayesreg.fit` for every prior. With none of them each prior gets its
        default hyperprior on the scale and σ is unknown. A prior without a MAP penalty (the
        horseshoe) cannot take ``alpha``: naming it with ``alpha`` is a ValueError.
    family : {"gaussian", "bernoulli"}
        The likelihood, as in :func:`bayesreg.fit` (``"bernoulli"``: logistic regression, y with
        two classes; the ``sklearn`` column is then ``LogisticRegression``).
    C : float, optional
        ``family="bernoulli"``: scikit-learn's ``LogisticRegression(C=...)`` for every prior
        (like ``alpha``, only priors with a penalty can take it).
    **fit_kwargs
        Passed to :func:`bayesreg.fit` (``draws``, ``tune``, ``chains``, ``sampler``,
        ``random_seed``, ...); ``method`` must be ``"sample"``. A shared ``random_seed`` is drawn
        when none is given, so every prior sees the same seed.

    Returns
    -------
    PriorComparison

    Raises
    ------
    ValueError, TypeError
        For bad data, priors or options; every prior and the seed are checked before any fitting.

    Examples
    --------
    >>> import bayesreg
    >>> X, y = bayesreg.datasets.load_diabetes()
    >>> comp = bayesreg.compare_priors(X, y, draws=300, tune=300, chains=2, random_seed=1,
    ...                                progressbar=False, warn_convergence=False)
    >>> sorted(comp.results)
    ['gaussian', 'horseshoe', 'laplace']
    """
    from ._params import validate_params
    from .api import fit, fit_constraints, response_for

    constraints = fit_constraints()  # the same checks as fit, before the first fit
    validate_params({"alpha": alpha, "scale": scale, "sigma": sigma, "C": C, **fit_kwargs},
                    constraints)
    likelihood = get_likelihood(family)
    coded, _ = response_for(likelihood, X, y)
    data = check_Xy(X, coded)
    strength = "alpha" if alpha is not None else "C" if C is not None else None
    if priors is None:
        priors = DEFAULT_PRIORS if strength is None else tuple(  # those alpha (or C) can set
            name for name in DEFAULT_PRIORS if get_family(name).alpha_parts(1.0, None) is not None)
    if isinstance(priors, str) or not hasattr(priors, "__iter__"):
        raise TypeError("priors must be a sequence such as ('gaussian', 'laplace')")
    priors = list(priors)
    if not priors:
        raise ValueError("priors must name at least one prior")
    for position, prior in enumerate(priors):  # every name checked before the first fit
        try:
            prior_family = get_family(as_prior(prior))
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"priors[{position}]: {exc}") from None
        if strength is not None and prior_family.alpha_parts(1.0, None) is None:
            raise ValueError(f"priors[{position}]: the {prior_family.label} prior has no scikit-learn "
                             f"penalty, so no {strength}; leave it out of priors or drop "
                             f"{strength} (each prior then learns its scale)")
    base = [_prior_name(p) for p in priors]
    names = [f"{name}_{i}" if base.count(name) > 1 else name for i, name in enumerate(base)]
    if fit_kwargs.get("method", "sample") != "sample":
        raise ValueError("compare_priors samples the posteriors; method must be 'sample'")
    fit_kwargs.pop("method", None)
    seed = fit_kwargs.get("random_seed")
    seed_seq = check_random_seed(seed)
    if seed is None or isinstance(seed, np.random.SeedSequence):
        # one integer for every prior: a SeedSequence would be advanced by the first fit
        fit_kwargs["random_seed"] = int(seed_seq.generate_state(1)[0])
    frame_X = X if hasattr(X, "columns") else None
    results = {}
    y_given = data.y if likelihood.has_sigma else y  # labels: every fit records the classes
    for name, prior in zip(names, priors, strict=True):
        results[name] = fit(frame_X if frame_X is not None else data.X, y_given, prior,
                            alpha=alpha, scale=scale, sigma=sigma, family=family, C=C, **fit_kwargs)
    return PriorComparison(results, data.dense_X("the OLS reference of compare_priors"), data.y,
                           data.feature_names)


# ---------------------------------------------------------------------------------------------
# the Bayesian regularization path


@dataclass(frozen=True)
class PosteriorPath:
    r"""Posterior summaries of every coefficient along a grid of penalties (decreasing ``alphas``).

    Arrays of shape (n_alphas, n_features) have one row per ``alpha``.

    Attributes
    ----------
    alphas : ndarray of shape (n_alphas,)
        scikit-learn penalties, decreasing.
    median, mean : ndarray of shape (n_alphas, n_features)
        Posterior median and mean of β at each ``alpha``.
    lower, upper : ndarray of shape (n_alphas, n_features)
        Bounds of the ``hdi_prob`` highest-density interval.
    map_coef : ndarray of shape (n_alphas, n_features)
        The exact MAP = scikit-learn's Ridge/Lasso at each ``alpha`` (:func:`bayesreg.map_path`).
    family : str
        ``"gaussian"`` or ``"laplace"``.
    feature_names : tuple of str
    hdi_prob : float
    sigma : float or None
        The fixed noise sd, or None when σ was sampled.
    sampler : str
        ``"exact"`` or ``"gibbs"``.
    draws : ndarray of int, shape (n_alphas,)
        Posterior draws per chain used at each ``alpha`` (more where the first run mixed poorly).
    chains : int
    rhat_max, ess_bulk_min : ndarray of shape (n_alphas,)
        Worst R-hat and bulk ESS over the coefficients at each ``alpha`` (R-hat is NaN with one
        chain) — check them instead of trusting the picture.
    """

    alphas: np.ndarray
    median: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    map_coef: np.ndarray
    family: str
    feature_names: tuple[str, ...]
    hdi_prob: float
    sigma: float | None = None
    sampler: str = ""
    draws: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int), repr=False)
    chains: int = 0
    rhat_max: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    ess_bulk_min: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    def __repr__(self) -> str:
        return (f"PosteriorPath(family={self.family!r}, n_alphas={self.alphas.size}, "
                f"alphas=[{self.alphas[0]:.4g} .. {self.alphas[-1]:.4g}], "
                f"n_features={len(self.feature_names)}, hdi_prob={self.hdi_prob}, "
                f"sampler={self.sampler!r})")

    def to_frame(self):
        """The path as a tidy DataFrame: a row per (alpha, feature).

        Returns
        -------
        pandas.DataFrame
            Columns ``alpha``, ``feature``, ``map``, ``mean``, ``median``, ``lower``, ``upper``.
        """
        import pandas as pd

        n_alphas, p = self.median.shape
        return pd.DataFrame({
            "alpha": np.repeat(self.alphas, p),
            "feature": np.tile(np.asarray(self.feature_names, dtype=object), n_alphas),
            "map": self.map_coef.ravel(), "mean": self.mean.ravel(),
            "median": self.median.ravel(), "lower": self.lower.ravel(),
            "upper": self.upper.ravel(),
        })


def default_path_alphas(X, y, prior="laplace", n_alphas: int = 20, eps: float = 1e-3) -> np.ndarray:
    r"""Default penalty grid of :func:`posterior_path`: :func:`bayesreg.map_path`'s (one rule).

    * Laplace: scikit-learn's ``lasso_path`` grid, from :math:`\alpha_{max} = \max_j
      |x_{c,j}^\top y_c|/n` (every Lasso coefficient zero) down to ``eps`` times it.
    * Gaussian: from :math:`10\,s_{max}^2` (every Ridge coefficient shrunk ~10-fold or more) down to
      :math:`0.1\,s_{min}^2` (every direction within ~10 % of least squares), where :math:`s_k` are
      the singular values of the centred design; at most nine decades.

    Parameters
    ----------
    X, y : array-like
    prior : str or prior object
        Gaussian or Laplace family.
    n_alphas : int
    eps : float
        Laplace only: ratio of the smallest to the largest penalty.

    Returns
    -------
    ndarray of shape (n_alphas,)
    """
    from .map import map_path

    _path_family(prior)
    n_alphas = check_int(n_alphas, "n_alphas", 2)
    data = check_Xy(X, y)
    return map_path(data.X, data.y, prior, n_alphas=n_alphas, eps=eps).alphas


def _path_family(prior):
    """The prior's family if it has a MAP penalty and a fast sampler (closed form or Gibbs)."""
    family = get_family(prior)
    if family.alpha_parts(1.0, None) is None or (family.gibbs is None and not family.conjugate):
        able = ", ".join(repr(f.name) for f in families()
                         if f.alpha_parts(1.0, None) is not None and (f.gibbs is not None or f.conjugate))
        raise ValueError(f"posterior_path supports the priors with a penalty and a fast exact or "
                         f"Gibbs sampler ({able}); got {prior!r}")
    return family


def posterior_path(X, y, prior="laplace", alphas=None, n_alphas: int = 20, *,
                   sigma: float | None = None, draws: int = 300, tune: int = 200,
                   chains: int = 2, hdi_prob: float = 0.94, min_ess: float = 100.0,
                   random_seed: int | None = None) -> PosteriorPath:
    r"""The Bayesian regularization path: posterior median and HDI of β along a grid of penalties.

    At every ``alpha`` the prior is the one whose MAP is scikit-learn's solution at that ``alpha``
    (``bayesreg.fit(X, y, prior, alpha=alpha, sigma=sigma)``): with σ unknown (Jeffreys prior) the
    scale is tied to σ — Gaussian :math:`\tau = \sigma/\sqrt{\alpha}`, Laplace
    :math:`b = \sigma^2/(n\alpha)` — so the mode of β given any σ is Ridge/Lasso; with ``sigma``
    fixed the scale is fixed by the same formulas. The posterior is drawn with the fast samplers
    (closed-form ``"exact"`` draws for the Gaussian, blocked ``"gibbs"`` for the Laplace), a small
    fresh run per grid point (no NUTS). The MAP path on the same grid comes from
    :func:`bayesreg.map_path` (equal to ``lasso_path`` / Ridge).

    Unlike the MAP path, the Laplace posterior median is never exactly zero: the path shows how
    the posterior keeps mass near zero for weak effects while leaving large effects nearly
    unshrunk, and how wide the uncertainty is at every level of regularization.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : str or prior object
        ``"gaussian"`` / ``"laplace"`` (or aliases, or a ``Gaussian()``/``Laplace()`` without a
        strength of its own).
    alphas : array-like, optional
        Penalties (sorted into decreasing order). Default: :func:`default_path_alphas`.
    n_alphas : int
        Grid size when ``alphas`` is None.
    sigma : float, optional
        Fixed noise sd; None samples σ.
    draws, tune, chains : int
        Per grid point. The samplers mix well at a fixed penalty, so a few hundred draws suffice
        for a median and a 94 % band.
    hdi_prob : float
        Probability of the credible band (highest-density interval).
    min_ess : float
        Where the smallest bulk effective sample size of the coefficients falls below this (the
        Gibbs sampler mixes more slowly under heavy shrinkage), that grid point is sampled once
        more with proportionally more draws (at most 8×). 0 disables the rerun.
    random_seed : int, numpy.random.SeedSequence or None, optional
        Seeds every grid point (independent streams); same seed ⇒ same path.

    Returns
    -------
    PosteriorPath

    Examples
    --------
    >>> import bayesreg
    >>> from bayesreg.compare import posterior_path
    >>> X, y = bayesreg.datasets.load_diabetes()
    >>> path = posterior_path(X, y, "laplace", n_alphas=5, draws=200, random_seed=0)
    >>> path.median.shape
    (5, 10)
    """
    from .api import fit
    from .map import map_path

    family = _path_family(prior)
    seed_seq = check_random_seed(random_seed)
    hdi_prob = _check_hdi_prob(hdi_prob)
    draws = check_int(draws, "draws", 1)
    chains = check_int(chains, "chains", 1)
    data = check_Xy(X, y)
    if alphas is None:
        grid = default_path_alphas(data.X, data.y, prior, n_alphas=n_alphas)
    else:
        grid = np.atleast_1d(np.asarray(alphas, dtype=float))
        if grid.ndim != 1 or grid.size == 0:
            raise ValueError("alphas must be a non-empty 1-D sequence of positive numbers")
        if not np.all(np.isfinite(grid)) or np.any(grid <= 0):
            raise ValueError("alphas must all be finite and positive")
        grid = np.sort(grid)[::-1]
    mp = map_path(data.X, data.y, prior, alphas=grid)
    az = import_arviz()
    frame_X = X if hasattr(X, "columns") else data.X
    seeds = seed_seq.spawn(grid.size)
    p = data.n_features
    out = {k: np.empty((grid.size, p)) for k in ("median", "mean", "lower", "upper")}
    rhat_max = np.full(grid.size, np.nan)
    ess_min = np.empty(grid.size)
    used = np.empty(grid.size, dtype=int)

    def run(a: float, n_draws: int, seed: np.random.SeedSequence):
        res = fit(frame_X, data.y, prior, alpha=a, sigma=sigma, draws=n_draws, tune=tune,
                  chains=chains, random_seed=int(seed.generate_state(1)[0]),
                  progressbar=False, log_likelihood=False, warn_convergence=False)
        coef_ds = res.idata.posterior[["coef"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ess = float(np.nanmin(az.ess(coef_ds, method="bulk")["coef"].values))
            rhat = (float(np.nanmax(az.rhat(coef_ds)["coef"].values)) if chains > 1
                    else float("nan"))
        return res, ess, rhat

    sampler = ""
    for k, a in enumerate(grid):
        first, retry = seeds[k].spawn(2)
        n_draws = draws
        res, ess, rhat = run(float(a), n_draws, first)
        if ess < min_ess:
            n_draws = int(draws * min(8.0, np.ceil(1.2 * min_ess / max(ess, 1.0))))
            res, ess, rhat = run(float(a), n_draws, retry)
        sampler = res.sampler
        coef = res.idata.posterior["coef"]
        flat = coef.values.reshape(-1, p)
        out["median"][k] = np.median(flat, axis=0)
        out["mean"][k] = flat.mean(axis=0)
        hdi = _coef_hdi(coef, hdi_prob)
        out["lower"][k], out["upper"][k] = hdi[:, 0], hdi[:, 1]
        rhat_max[k], ess_min[k], used[k] = rhat, ess, n_draws
    return PosteriorPath(
        alphas=grid, map_coef=mp.coef, family=family.name, feature_names=data.feature_names,
        hdi_prob=hdi_prob, sigma=sigma, sampler=sampler, draws=used, chains=chains,
        rhat_max=rhat_max, ess_bulk_min=ess_min, **out,
    )
