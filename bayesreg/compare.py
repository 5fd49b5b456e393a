r"""Fit several priors on the same data and contrast their shrinkage.

* :func:`compare_priors` fits each prior (same data, same seed) and returns a
  :class:`PriorComparison`: one tidy table (:meth:`PriorComparison.summary`) puts OLS, the exact
  MAP, scikit-learn's Ridge/Lasso at the matched penalty and the posterior summaries side by side,
  :meth:`PriorComparison.loo` compares the priors by PSIS-LOO (``az.compare``; Δelpd ± its
  standard error first, and whether it is within noise) and :meth:`PriorComparison.to_markdown`
  writes both up as a Markdown report. ``strength=`` matches the priors' strengths fairly:
  each learned by its hyperprior (default), given per prior, or each MAP penalty chosen by K-fold
  cross-validation on the same folds (:func:`cv_alpha`, equal to scikit-learn's
  ``RidgeCV``/``LassoCV``/``ElasticNetCV``; for logistic regression :func:`cv_C`, equal to
  ``LogisticRegressionCV``); :attr:`PriorComparison.strengths` records them.
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
from typing import ClassVar

import numpy as np

from ._backend import import_arviz
from ._validation import check_grid, check_int, check_random_seed, check_Xy
from .exceptions import BayesregWarning
from .likelihoods import get_likelihood
from .priors import as_prior, families, get_family

__all__ = [
    "CVCurve",
    "LogisticCVCurve",
    "PosteriorPath",
    "PriorComparison",
    "PriorStrength",
    "compare_priors",
    "cv_C",
    "cv_alpha",
    "default_path_alphas",
    "describe_loo",
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
    strengths : dict of str to PriorStrength, optional
        How each prior's strength was set (from :func:`compare_priors`); a prior missing here is
        described from its fit (its hyperprior, or the alpha/scale/C it was given).

    Attributes
    ----------
    results : dict of str to FitResult
    strengths : dict of str to PriorStrength
        Per prior: the ``alpha`` (or ``C``, ``scale``) and where it came from (``"hyperprior"``,
        ``"given"``, ``"cv"`` with its :class:`CVCurve`).
    feature_names : tuple of str
    ols_coef : ndarray of shape (n_features,)
        Least-squares coefficients (the unshrunk reference); for ``family="bernoulli"`` the
        (almost) unpenalised maximum-likelihood logistic fit.
    family : str
        The likelihood of the fits (``"gaussian"`` or ``"bernoulli"``).
    ols_intercept : float
    """

    def __init__(self, results: dict, X: np.ndarray, y: np.ndarray,
                 feature_names: Sequence[str], strengths: dict | None = None):
        self.results = dict(results)
        strengths = dict(strengths or {})
        self.strengths = {name: strengths[name] if name in strengths else _fitted_strength(res)
                          for name, res in self.results.items()}
        self.feature_names = tuple(feature_names)
        self._X, self._y = X, y
        first = next(iter(self.results.values()), None)
        likelihood = get_likelihood(first.family if first is not None else "gaussian")
        self.family = likelihood.name
        self.ols_coef, self.ols_intercept = likelihood.reference_fit(X, y)

    def __repr__(self) -> str:
        strengths = ", ".join(f"{name!r}: {s.label!r}" for name, s in self.strengths.items())
        return (f"PriorComparison(priors={list(self.results)}, "
                f"n_features={len(self.feature_names)}, strengths={{{strengths}}})")

    @property
    def cv_curves(self) -> dict:
        """The cross-validation curve of every prior whose α was chosen by CV, by name.

        Returns
        -------
        dict of str to CVCurve
        """
        return {name: s.cv for name, s in self.strengths.items() if s.cv is not None}

    def strength_label(self, name: str) -> str:
        """``"<name> (<strength>)"``, e.g. ``"laplace (α = 0.0123, 5-fold CV)"``: legend text.

        Parameters
        ----------
        name : str
            A prior of the comparison.

        Returns
        -------
        str
        """
        strength = self.strengths.get(name)
        return name if strength is None else f"{name} ({strength.label})"

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
        * ``strength`` — how the prior's strength was set (:attr:`strengths`), e.g.
          ``"α = 0.0123, 5-fold CV"``, ``"α = 0.1, given"`` or ``"hyperprior, MAP α = 3.2"``;
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
                if model is not None:  # standardize=True: fitted on X / sd, mapped back
                    scale = 1.0 if res.x_scale is None else np.asarray(res.x_scale)
                    sk_coef = _sklearn_coef(model, self._X / scale, self._y, name) / scale
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
                    "sklearn": sk_coef[j], "alpha": alpha,
                    "strength": self.strengths[name].label, "mean": mean[j],
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
        r"""Rank the priors by PSIS-LOO with ``az.compare``; problems are surfaced as warnings.

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
            One row per prior, best first (``az.compare``'s order). It leads with the difference
            to the best prior and its standard error — ``elpd_diff`` (Δelpd, ≥ 0: how much
            better the best prior predicts) and ``dse`` — and ``vs_best``: ``"best"``,
            ``"within noise"`` when :math:`|\Delta\mathrm{elpd}| < 2\,\mathrm{dse}` (or 0) or
            ``"worse"``; then ``az.compare``'s other columns (``elpd_loo``, ``se``, ``p_loo``,
            ``rank``, ``weight`` — stacking weights, which can be 1 and 0 for a difference well
            within noise —, ``warning``, ``scale``) and ``n_high_pareto_k``.
            ``attrs["noise_rule"]`` states the rule; :func:`describe_loo` says it in words.

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
        table["vs_best"] = [_vs_best(rank, diff, dse) for rank, diff, dse
                            in zip(table["rank"], table["elpd_diff"], table["dse"], strict=True)]
        lead = ["elpd_diff", "dse", "vs_best", "elpd_loo", "se", "p_loo", "rank", "weight"]
        table = table[lead + [c for c in table.columns if c not in lead]]
        table.attrs["noise_rule"] = "within noise: |elpd_diff| < 2 dse"
        return table

    def to_markdown(self, *, title: str = "bayesreg compare", data_note: str | None = None,
                    priors_note: str | None = None, hdi_prob: float = 0.94, threshold=None,
                    loo=True, seed=None, elapsed: float | None = None, digits: int = 4) -> str:
        """A Markdown report: the fits, the coefficient table and the PSIS-LOO ranking.

        The report ``bayesreg compare`` writes to ``summary.md``: a title, a bullet list (data,
        priors, for each prior its coefficient prior, its strength and where it came from
        (:attr:`strengths`: learned by a hyperprior, given, or chosen by cross-validation — then
        also the criterion), sampler, draws and MAP — scikit-learn's estimator named by the prior
        family, "no MAP" when the prior has none —, the largest ``|MAP − sklearn|``, the seed and
        the run time), the :meth:`summary` table (one row per prior and feature) and the
        :meth:`loo` table, led by :func:`describe_loo`'s sentence (Δelpd ± se, and whether that
        is within noise).

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
            lines.append(f"- `{name}`: {res.resolved_prior.describe()[1][1]}; strength: "
                         f"{self.strengths[name].note}; sampler "
                         f"`{res.sampler}`, {post.sizes['chain']} chains × {post.sizes['draw']} "
                         f"draws; {_map_note(res)}.")
        if self.cv_curves:
            curve = next(iter(self.cv_curves.values()))
            symbol = _SYMBOLS[curve.parameter]
            with_sigma = any(r.resolved_prior.likelihood_spec.has_sigma
                             for r in self.results.values())
            lines.append(f"- Cross-validation: each {symbol} minimises the mean over the same "
                         f"{curve.n_folds} folds of the {curve.criterion} of the MAP (as "
                         f"scikit-learn's {curve.sklearn_cv}); the posterior is then sampled at "
                         f"that {symbol}" + (" with σ unknown." if with_sigma else "."))
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
            lines += ["## PSIS-LOO (az.compare)", ""]
            if {"elpd_diff", "dse"} <= set(loo.columns):
                lines += [describe_loo(loo), ""]
            lines += [_markdown_table(loo_shown.rename_axis("prior"), digits), ""]
        return "\n".join(lines)

    def _priors_note(self) -> str:
        """What the fits say about the scale and σ, e.g. "hyperpriors on the scale, σ unknown"."""
        resolved = [res.resolved_prior for res in self.results.values()]
        random_scale = [rp.scale_is_random for rp in resolved]
        unknown_sigma = [rp.sigma is None for rp in resolved]
        parts = []
        if not any(rp.likelihood_spec.has_sigma for rp in resolved):
            unknown_sigma = None  # the logistic likelihood has no noise scale
        sources = [s.source for s in self.strengths.values()]
        if "cv" in sources:
            curve = next(iter(self.cv_curves.values()))
            parts.append(f"{_SYMBOLS[curve.parameter]} chosen by {curve.n_folds}-fold "
                         "cross-validation"
                         + ("" if all(s == "cv" for s in sources) else " where the prior has one"))
        elif all(random_scale):
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



def _vs_best(rank, diff, dse) -> str:
    """``"best"``, ``"within noise"`` (|Δelpd| < 2 dse, or 0) or ``"worse"``."""
    if rank == 0:
        return "best"
    return "within noise" if diff == 0 or abs(diff) < 2.0 * dse else "worse"


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def describe_loo(table) -> str:
    r"""The PSIS-LOO comparison in words: Δelpd ± its standard error, and whether it is noise.

    A difference in expected log predictive density smaller than twice its standard error
    (:math:`|\Delta\mathrm{elpd}| < 2\,\mathrm{dse}`) is within noise: the priors predict
    equally well, whatever the stacking weights say.

    Parameters
    ----------
    table : pandas.DataFrame
        From :meth:`PriorComparison.loo` (best prior first; ``elpd_diff``, ``dse``).

    Returns
    -------
    str
        E.g. "The gaussian and laplace priors predict equally well: Δelpd = 0.26 ± 0.31 in
        favour of gaussian, within noise (|Δelpd| < 2 se)."
    """
    names = list(table.index)
    if len(names) < 2:
        return f"Only one prior ({names[0]}): nothing to compare." if names else ""
    best = names[0]
    verdicts = {name: _vs_best(rank, diff, dse) for name, rank, diff, dse in zip(
        names, table["rank"], table["elpd_diff"], table["dse"], strict=True)}

    def gap(name: str) -> str:
        return f"{float(table.loc[name, 'elpd_diff']):.2f} ± {float(table.loc[name, 'dse']):.2f}"

    within = [n for n in names[1:] if verdicts[n] == "within noise"]
    worse = [n for n in names[1:] if verdicts[n] == "worse"]
    sentences = []
    if len(within) == 1:
        sentences.append(f"The {best} and {within[0]} priors predict equally well: Δelpd = "
                         f"{gap(within[0])} in favour of {best}, within noise (|Δelpd| < 2 se).")
    elif within:
        sentences.append(f"The {_join([best, *within])} priors predict equally well: Δelpd "
                         f"behind {best} = " + ", ".join(f"{n} {gap(n)}" for n in within)
                         + ", each within noise (|Δelpd| < 2 se).")
    for name in worse:
        sentences.append(f"The {best} prior predicts better than {name}: Δelpd = {gap(name)} "
                         "(more than 2 se).")
    if "weight" in table.columns:
        sentences.append("Stacking weights (column `weight`) can give one prior all the weight "
                         "even when the difference is within noise.")
    return " ".join(sentences)


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


# ---------------------------------------------------------------------------------------------
# prior strengths: learned (hyperprior), given, or chosen by cross-validation

STRENGTHS = ("hyperprior", "cv")
_SYMBOLS = {"alpha": "α", "C": "C", "scale": "scale"}


class _FoldCurve:
    """What the cross-validation curves share: the folds, the chosen value, a tidy frame."""

    parameter: ClassVar[str]  # "alpha" or "C": what the curve chooses
    criterion: ClassVar[str]  # the held-out score, in words
    sklearn_cv: ClassVar[str]  # the scikit-learn estimators that choose the same value
    _columns: ClassVar[tuple[str, str, str]]  # the grid, per-fold and mean-score attributes

    @property
    def n_folds(self) -> int:
        return len(self.folds)

    @property
    def value(self) -> float:
        """The chosen ``alpha`` or ``C``."""
        return getattr(self, self.parameter)

    @property
    def grid(self) -> np.ndarray:
        """The values tried (``alphas`` or ``Cs``)."""
        return getattr(self, self._columns[0])

    @property
    def mean_score(self) -> np.ndarray:
        """The criterion along :attr:`grid` (``mean_mse`` or ``mean_log_loss``)."""
        return getattr(self, self._columns[2])

    def __repr__(self) -> str:
        grid, name = self.grid, self._columns[0]
        return (f"{type(self).__name__}(prior={self.prior!r}, {self.parameter}={self.value:.6g}, "
                f"n_folds={self.n_folds}, n_{name}={grid.size}, "
                f"{name}=[{grid[0]:.4g} .. {grid[-1]:.4g}])")

    def to_frame(self):
        """The curve as a DataFrame indexed by the grid (``alpha`` or ``C``): the criterion
        averaged over the folds (``mean_mse`` / ``mean_log_loss``) and one column per fold.

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        frame = pd.DataFrame(getattr(self, self._columns[1]),
                             index=pd.Index(self.grid, name=self.parameter),
                             columns=[f"fold_{k}" for k in range(self.n_folds)])
        frame.insert(0, self._columns[2], self.mean_score)
        return frame


@dataclass(frozen=True, repr=False)  # the repr of _FoldCurve
class CVCurve(_FoldCurve):
    r"""K-fold cross-validation of one prior's MAP penalty :math:`\alpha` (see :func:`cv_alpha`).

    The criterion is scikit-learn's (``LassoCV``, ``ElasticNetCV``, and ``RidgeCV`` with
    ``cv=`` splits and ``scoring="neg_mean_squared_error"``): for every :math:`\alpha` of the
    grid, the MAP (= Ridge/Lasso/ElasticNet) is fitted on the training rows of each fold and
    scored by the mean squared error on its held-out rows,

    .. math:: \mathrm{CV}(\alpha) = \frac{1}{K}\sum_{k=1}^{K} \frac{1}{|T_k|}\sum_{i\in T_k}
              \bigl(y_i - \hat b_0^{(-k)}(\alpha) - x_i^\top\hat\beta^{(-k)}(\alpha)\bigr)^2,

    and the chosen :math:`\alpha` minimises it (the first, i.e. largest, on ties).

    Attributes
    ----------
    prior : str
        The prior family (``"gaussian"``, ``"laplace"``, ``"elasticnet"``).
    alphas : ndarray of shape (n_alphas,)
        The grid, decreasing.
    mse_path : ndarray of shape (n_alphas, n_folds)
        Held-out mean squared error of every fold at every ``alpha`` (scikit-learn's
        ``mse_path_``).
    mean_mse : ndarray of shape (n_alphas,)
        ``mse_path`` averaged over the folds: the criterion.
    alpha : float
        The chosen penalty, ``alphas[index]``.
    index : int
    folds : tuple of (ndarray, ndarray)
        The (train, test) row indices of every fold.
    l1_ratio : float or None
        The elastic net's mixing parameter (None for Ridge and Lasso).
    """

    prior: str
    alphas: np.ndarray
    mse_path: np.ndarray
    mean_mse: np.ndarray
    alpha: float
    index: int
    folds: tuple = field(repr=False)
    l1_ratio: float | None = None
    parameter: ClassVar[str] = "alpha"
    criterion: ClassVar[str] = "held-out mean squared error"
    sklearn_cv: ClassVar[str] = "RidgeCV/LassoCV/ElasticNetCV"
    _columns: ClassVar[tuple[str, str, str]] = ("alphas", "mse_path", "mean_mse")


@dataclass(frozen=True, repr=False)  # the repr of _FoldCurve
class LogisticCVCurve(_FoldCurve):
    r"""K-fold cross-validation of a logistic regression prior's ``C`` (see :func:`cv_C`).

    The criterion is scikit-learn's ``LogisticRegressionCV(scoring="neg_log_loss")`` with the
    sign turned: for every ``C`` of the grid, the MAP (= ``LogisticRegression(C, l1_ratio=ρ)``)
    is fitted on the training rows of each fold and scored by the mean log loss on its held-out
    rows,

    .. math:: \mathrm{CV}(C) = \frac{1}{K}\sum_{k=1}^{K} \frac{1}{|T_k|}\sum_{i\in T_k}
              \bigl[\log\bigl(1 + e^{\eta_i}\bigr) - y_i\eta_i\bigr],\qquad
              \eta_i = \hat b_0^{(-k)}(C) + x_i^\top\hat\beta^{(-k)}(C),

    and the chosen ``C`` minimises it (the first, i.e. smallest, on ties, as scikit-learn).

    Attributes
    ----------
    prior : str
        The prior family (``"gaussian"``: L2, ``"laplace"``: L1, ``"elasticnet"``).
    Cs : ndarray of shape (n_Cs,)
        The grid, increasing (weakest prior last).
    log_loss_path : ndarray of shape (n_Cs, n_folds)
        Held-out mean log loss of every fold at every ``C`` (minus scikit-learn's ``scores_``).
    mean_log_loss : ndarray of shape (n_Cs,)
        ``log_loss_path`` averaged over the folds: the criterion.
    C : float
        The chosen ``C``, ``Cs[index]``.
    index : int
    folds : tuple of (ndarray, ndarray)
        The (train, test) row indices of every fold.
    l1_ratio : float or None
        The elastic net's mixing parameter (None for the Gaussian and Laplace priors).
    """

    prior: str
    Cs: np.ndarray
    log_loss_path: np.ndarray
    mean_log_loss: np.ndarray
    C: float
    index: int
    folds: tuple = field(repr=False)
    l1_ratio: float | None = None
    parameter: ClassVar[str] = "C"
    criterion: ClassVar[str] = "held-out log loss"
    sklearn_cv: ClassVar[str] = "LogisticRegressionCV with scoring='neg_log_loss'"
    _columns: ClassVar[tuple[str, str, str]] = ("Cs", "log_loss_path", "mean_log_loss")


@dataclass(frozen=True)
class PriorStrength:
    """How strong one prior of a comparison is, and where that came from.

    Attributes
    ----------
    parameter : {"alpha", "C", "scale"} or None
        What ``value`` is: scikit-learn's penalty ``alpha`` (``C`` for logistic fits) or a prior
        scale; None for a prior with a hyperprior and no penalty (the horseshoe).
    value : float or None
    source : {"hyperprior", "given", "cv"}
        ``"hyperprior"``: the scale was learned from the data (``value`` is then the penalty of
        the MAP at the posterior medians of the scale and σ, or None); ``"given"``: as passed;
        ``"cv"``: chosen by K-fold cross-validation (``cv`` holds the curve).
    label : str
        Short text for tables and legends, e.g. ``"α = 0.0123, 5-fold CV"``.
    note : str
        A sentence for reports.
    cv : CVCurve or None
    """

    parameter: str | None
    value: float | None
    source: str
    label: str
    note: str = ""
    cv: CVCurve | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """``{"parameter", "value", "source", "label", "note"}`` (JSON-able; no CV curve)."""
        return {"parameter": self.parameter, "value": self.value, "source": self.source,
                "label": self.label, "note": self.note}


def _given_strength(parameter: str, value: float) -> PriorStrength:
    label = f"{_SYMBOLS[parameter]} = {value:.3g}, given"
    return PriorStrength(parameter, float(value), "given", label, f"{label.split(',')[0]} as given")


def _cv_strength(curve: CVCurve | LogisticCVCurve) -> PriorStrength:
    k, symbol, value = curve.n_folds, _SYMBOLS[curve.parameter], curve.value
    grid, score = curve.grid, curve.mean_score
    return PriorStrength(
        curve.parameter, float(value), "cv", f"{symbol} = {value:.3g}, {k}-fold CV",
        f"{symbol} = {value:.4g} chosen by {k}-fold cross-validation (smallest mean "
        f"{curve.criterion}, {score[curve.index]:.4g}, over {grid.size} {symbol} from "
        f"{grid[0]:.3g} to {grid[-1]:.3g})", curve)


def _no_cv_strength(label: str, parameter: str) -> PriorStrength:
    return PriorStrength(None, None, "hyperprior", "hyperprior (no penalty, no CV)",
                         f"the {label} prior has no penalty, so no {_SYMBOLS[parameter]} to "
                         "cross-validate: it keeps its hyperprior on the scale")


def _fitted_strength(result) -> PriorStrength:
    """The strength of a finished fit, read from its resolved prior (hyperprior or given)."""
    rp = result.resolved_prior
    est = result.map
    logistic = not rp.likelihood_spec.has_sigma
    if rp.scale_is_random:
        if est is None:
            return PriorStrength(None, None, "hyperprior", "hyperprior (no penalty)",
                                 f"hyperprior on the scale (the {rp.spec.label} prior has no "
                                 "penalty)")
        parameter, value = ("C", est.C) if logistic else ("alpha", est.alpha)
        symbol = _SYMBOLS[parameter]
        return PriorStrength(parameter, float(value), "hyperprior",
                             f"hyperprior, MAP {symbol} = {value:.3g}",
                             f"hyperprior on the scale; {symbol} = {value:.4g} is the MAP's "
                             "penalty at the posterior medians")
    if logistic and est is not None:
        return _given_strength("C", est.C)
    if rp.alpha is not None:
        return _given_strength("alpha", rp.alpha)
    return _given_strength("scale", rp.scale)


def _check_cv_folds(cv, n_samples: int, y: np.ndarray, classifier: bool = False) -> tuple:
    """The (train, test) index pairs of ``cv`` (scikit-learn's ``cv`` semantics: an int is
    ``KFold``, or ``StratifiedKFold`` for a ``classifier``)."""
    import numbers

    from sklearn.model_selection import check_cv

    if cv is None:
        cv = 5
    if isinstance(cv, bool) or isinstance(cv, float | str):
        raise TypeError("cv must be an int (K folds), a scikit-learn splitter or an iterable of "
                        f"(train, test) index arrays; got {type(cv).__name__} {cv!r}")
    if isinstance(cv, numbers.Integral) and not 2 <= cv <= n_samples:
        raise ValueError(f"cv must be at least 2 and at most the number of rows ({n_samples}); "
                         f"got {cv}")
    try:
        splitter = check_cv(cv, y, classifier=classifier)
        pairs = list(splitter.split(np.zeros((n_samples, 1)), y))
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"cv: {exc}") from None
    folds = []
    for k, pair in enumerate(pairs):
        try:
            train, test = pair
        except (TypeError, ValueError):
            raise TypeError(f"cv: fold {k} is not a (train, test) pair") from None
        out = []
        for what, rows in (("train", train), ("test", test)):
            rows = np.asarray(rows)
            if rows.dtype == bool and rows.shape == (n_samples,):
                rows = np.flatnonzero(rows)
            if rows.ndim != 1 or rows.size == 0 or not np.issubdtype(rows.dtype, np.integer):
                raise ValueError(f"cv: fold {k} has no {what} rows or they are not integer "
                                 "indices")
            if rows.min() < -n_samples or rows.max() >= n_samples:
                raise ValueError(f"cv: fold {k} has {what} indices outside 0..{n_samples - 1}")
            out.append(rows)
        folds.append(tuple(out))
    if not folds:
        raise ValueError("cv gave no folds")
    return tuple(folds)


def _cv_grid(X, y, prior, alphas, n_alphas: int, eps: float) -> np.ndarray:
    """The decreasing alpha grid of :func:`cv_alpha`: as given, or :func:`bayesreg.map_path`'s."""
    from .map import map_path

    if alphas is not None:
        return np.sort(check_grid(alphas, "alphas"))[::-1]
    try:
        return map_path(X, y, prior, n_alphas=n_alphas, eps=eps, progressbar=False).alphas
    except ValueError as exc:  # an elastic net with l1_ratio = 0 has no Lasso-style grid
        raise ValueError(f"{exc} (alphas / cv_alphas for cross-validation)") from None


def _cv_curve(X, y, prior, folds: tuple, grid: np.ndarray, advance) -> CVCurve:
    """The held-out MSE of the MAP path on every fold (the work of :func:`cv_alpha`)."""
    from .map import map_path

    family = _cv_family(prior)
    mse = np.empty((grid.size, len(folds)))
    y = np.asarray(y, dtype=float)
    for k, (train, test) in enumerate(folds):
        path = map_path(X[train], y[train], prior, alphas=grid, progressbar=False)  # in a bar
        predicted = X[test] @ path.coef.T + path.intercept  # (n_test, n_alphas)
        mse[:, k] = np.mean((y[test, None] - predicted) ** 2, axis=0)
        advance()
    mean_mse = mse.mean(axis=1)
    index = int(np.argmin(mean_mse))
    return CVCurve(prior=family.name, alphas=grid, mse_path=mse, mean_mse=mean_mse,
                   alpha=float(grid[index]), index=index, folds=folds,
                   l1_ratio=getattr(as_prior(prior), "l1_ratio", None))


def _cv_family(prior):
    """The prior's family if it has a MAP penalty (what cross-validation chooses)."""
    family = get_family(prior)
    if family.alpha_parts(1.0, None) is None:
        able = ", ".join(repr(f.name) for f in families() if f.alpha_parts(1.0, None) is not None)
        raise ValueError(f"cross-validation chooses a MAP penalty; the {family.label} prior has "
                         f"none (priors with one: {able})")
    return family


def cv_alpha(X, y, prior="laplace", *, cv=5, alphas=None, n_alphas: int = 100, eps: float = 1e-3,
             progressbar: bool | None = None) -> CVCurve:
    r"""Choose the prior's MAP penalty :math:`\alpha` by K-fold cross-validation, as scikit-learn.

    For every fold :math:`k` the exact MAP path (:func:`bayesreg.map_path`: Ridge, Lasso or
    ElasticNet with an intercept) is fitted on the training rows and scored on the held-out rows
    :math:`T_k`; the chosen :math:`\alpha` minimises the mean over folds of the held-out mean
    squared error,

    .. math:: \mathrm{CV}(\alpha) = \frac{1}{K}\sum_{k=1}^{K} \frac{1}{|T_k|}\sum_{i\in T_k}
              \bigl(y_i - \hat b_0^{(-k)}(\alpha) - x_i^\top\hat\beta^{(-k)}(\alpha)\bigr)^2

    (the first minimum in the decreasing grid on ties). Given the same folds and grid this is
    ``LassoCV`` / ``ElasticNetCV(l1_ratio=ρ)``'s ``alpha_``, and ``RidgeCV(alphas, cv=folds,
    scoring="neg_mean_squared_error")``'s (RidgeCV's default scoring is R², and with ``cv=None``
    it uses leave-one-out instead of folds).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : str or prior object
        A prior with a MAP penalty: ``"gaussian"`` (Ridge), ``"laplace"`` (Lasso),
        ``"elasticnet"`` / ``bayesreg.ElasticNet(l1_ratio=ρ)`` (ElasticNet; its ``alpha`` is
        ignored).
    cv : int, scikit-learn splitter or iterable of (train, test) index arrays
        As scikit-learn's ``cv``: an int K is ``KFold(K)`` (no shuffling).
    alphas : array-like, optional
        The grid (sorted into decreasing order). Default: ``n_alphas`` values, for the Lasso and
        the elastic net scikit-learn's ``LassoCV``/``ElasticNetCV`` grid, from
        :math:`\alpha_{max} = \max_j |x_{c,j}^\top y_c|/(n\rho)` (every coefficient zero) down to
        ``eps`` times it; for Ridge :func:`bayesreg.map_path`'s grid, from :math:`10\,s_{max}^2`
        down to :math:`0.1\,s_{min}^2` (:math:`s_k` the singular values of the centred design).
        Both computed on all rows, as scikit-learn does.
    n_alphas : int
    eps : float
    progressbar : bool or None
        One step per fold; None shows it only when stderr is a terminal.

    Returns
    -------
    CVCurve
        ``.alpha`` is the chosen penalty; ``.mean_mse`` the criterion along ``.alphas``.

    Raises
    ------
    ValueError, TypeError
        For a prior without a penalty (the horseshoe), bad ``cv`` or ``alphas``.

    Examples
    --------
    >>> import bayesreg
    >>> from bayesreg.compare import cv_alpha
    >>> X, y = bayesreg.datasets.load_prostate(split="train")
    >>> curve = cv_alpha(X, y, "laplace", cv=5, progressbar=False)
    >>> curve.mse_path.shape
    (100, 5)
    """
    from ._params import Boolean, check_param
    from ._progress import StepProgress, progress_enabled

    _cv_family(prior)
    progressbar = check_param(progressbar, "progressbar", Boolean(), None)
    n_alphas = check_int(n_alphas, "n_alphas", 1)
    data = check_Xy(X, y)
    folds = _check_cv_folds(cv, data.n_samples, data.y)
    grid = _cv_grid(data.X, data.y, prior, alphas, n_alphas, eps)
    with StepProgress("cross-validation (folds)", len(folds),
                      progress_enabled(progressbar)) as bar:
        return _cv_curve(data.X, data.y, prior, folds, grid, bar.advance)


def _check_Cs(Cs) -> np.ndarray:
    """The increasing C grid of :func:`cv_C`: an int n is scikit-learn's ``logspace(-4, 4, n)``."""
    import numbers

    if isinstance(Cs, numbers.Integral) and not isinstance(Cs, bool):
        n = check_int(Cs, "Cs", 1)
        return np.logspace(-4, 4, n)
    if isinstance(Cs, bool | str) or not hasattr(Cs, "__len__"):
        raise TypeError(f"Cs must be an int (a grid from 1e-4 to 1e4) or a sequence of positive "
                        f"numbers; got {type(Cs).__name__} {Cs!r}")
    return np.sort(check_grid(Cs, "Cs"))


def _logistic_cv_curve(X, y, prior, folds: tuple, Cs: np.ndarray, advance) -> LogisticCVCurve:
    """The held-out log loss of the logistic MAP at every ``C`` on every fold (the work of
    :func:`cv_C`); y is coded 0/1."""
    from .map import map_estimate

    family = _cv_family(prior)
    l1_ratio = getattr(as_prior(prior), "l1_ratio", None)
    bare = family.prior_class(**({} if l1_ratio is None else {"l1_ratio": l1_ratio}))
    likelihood = get_likelihood("bernoulli")
    loss = np.empty((Cs.size, len(folds)))
    unconverged = 0
    for k, (train, test) in enumerate(folds):
        for i, C in enumerate(Cs):
            with warnings.catch_warnings():
                # a fold's MAP at a weak prior may separate its classes: that is the CV's
                # answer (a large held-out loss), not something to report per fit
                warnings.simplefilter("ignore", BayesregWarning)
                try:
                    est = map_estimate(X[train], y[train], bare, C=float(C), family="bernoulli")
                except ValueError as exc:  # e.g. a fold whose training rows hold one class
                    raise ValueError(f"cv: fold {k}: {exc}") from None
            unconverged += not est.converged
            log_lik = likelihood.pointwise_log_likelihood(
                X[test], y[test], np.array([[est.intercept]]), est.coef[None, None, :])
            loss[i, k] = -log_lik.mean()
        advance()
    if unconverged:
        warnings.warn(f"{unconverged} of the {loss.size} MAP fits of the cross-validation stopped "
                      "with a KKT violation above 1e-6 (nearly collinear predictors?): their "
                      "held-out losses are not exact", BayesregWarning, stacklevel=3)
    mean_loss = loss.mean(axis=1)
    index = int(np.argmin(mean_loss))
    return LogisticCVCurve(prior=family.name, Cs=Cs, log_loss_path=loss, mean_log_loss=mean_loss,
                           C=float(Cs[index]), index=index, folds=folds, l1_ratio=l1_ratio)


def cv_C(X, y, prior="laplace", *, cv=5, Cs=10,
         progressbar: bool | None = None) -> LogisticCVCurve:
    r"""Choose a logistic regression prior's ``C`` by K-fold cross-validation, as scikit-learn.

    For every fold :math:`k` and every ``C`` of the grid the exact MAP of the logistic regression
    (:func:`bayesreg.map_estimate` with ``family="bernoulli"``: scikit-learn's
    ``LogisticRegression(C, l1_ratio=ρ)``, intercept unpenalised) is fitted on the training rows
    and scored by the mean log loss on the held-out rows :math:`T_k`; the chosen ``C`` minimises
    the mean over folds,

    .. math:: \mathrm{CV}(C) = \frac{1}{K}\sum_{k=1}^{K} \frac{1}{|T_k|}\sum_{i\in T_k}
              \bigl[\log\bigl(1 + e^{\eta_i}\bigr) - y_i\eta_i\bigr],\qquad
              \eta_i = \hat b_0^{(-k)}(C) + x_i^\top\hat\beta^{(-k)}(C)

    (the smallest such ``C`` on ties). Given the same folds and grid this is
    ``LogisticRegressionCV(Cs, cv=folds, l1_ratios=(ρ,), scoring="neg_log_loss")``'s ``C_``
    (ρ = 0 for the Gaussian prior, 1 for the Laplace prior); the MAP at each ``C`` is exact, where
    scikit-learn's solvers stop at their ``tol``. The prior is :math:`\beta_j \sim N(0, C)`,
    :math:`\mathrm{Laplace}(0, C)` or the elastic net in between (see :func:`bayesreg.fit`).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Two classes (the second in sorted order is coded 1).
    prior : str or prior object
        A prior with a MAP penalty: ``"gaussian"`` (L2), ``"laplace"`` (L1),
        ``"elasticnet"`` / ``bayesreg.ElasticNet(l1_ratio=ρ)``; a strength the prior object sets
        itself is ignored.
    cv : int, scikit-learn splitter or iterable of (train, test) index arrays
        As scikit-learn's ``cv`` for a classifier: an int K is ``StratifiedKFold(K)`` (no
        shuffling).
    Cs : int or array-like
        The grid (sorted into increasing order); an int n is scikit-learn's default,
        ``np.logspace(-4, 4, n)``.
    progressbar : bool or None
        One step per fold; None shows it only when stderr is a terminal.

    Returns
    -------
    LogisticCVCurve
        ``.C`` is the chosen ``C``; ``.mean_log_loss`` the criterion along ``.Cs``.

    Raises
    ------
    ValueError, TypeError
        For a prior without a penalty (the horseshoe), y without exactly two classes, bad ``cv``
        or ``Cs``.

    Examples
    --------
    >>> import bayesreg
    >>> from bayesreg.compare import cv_C
    >>> X, y = bayesreg.datasets.load_breast_cancer()
    >>> curve = cv_C(X.iloc[:, :5], y, "laplace", cv=3, Cs=5, progressbar=False)
    >>> curve.log_loss_path.shape
    (5, 3)
    """
    from ._params import Boolean, check_param
    from ._progress import StepProgress, progress_enabled
    from .api import response_for

    _cv_family(prior)
    progressbar = check_param(progressbar, "progressbar", Boolean(), None)
    grid = _check_Cs(Cs)
    coded, _ = response_for(get_likelihood("bernoulli"), X, y)
    data = check_Xy(X, coded)
    folds = _check_cv_folds(cv, data.n_samples, data.y, classifier=True)
    X = data.dense_X("cross-validation of C")
    with StepProgress("cross-validation (folds)", len(folds),
                      progress_enabled(progressbar)) as bar:
        return _logistic_cv_curve(X, data.y, prior, folds, grid, bar.advance)


def _check_strength_keys(mapping: dict, names: list[str], given: list, argument: str) -> dict:
    """``{result name: value}`` from a dict keyed by result names, the strings given in
    ``priors`` or family names/aliases; unknown or ambiguous keys are a ValueError."""
    if not isinstance(mapping, dict):
        raise TypeError(f"{argument} must be a dict keyed by prior; got {type(mapping).__name__}")
    families_of = [get_family(as_prior(p)).name for p in given]
    out, unknown = {}, []
    for key, value in mapping.items():
        if not isinstance(key, str):
            unknown.append(key)
            continue
        try:
            key_family = get_family(key).name
        except (TypeError, ValueError):
            key_family = None
        hits = [name for name, prior, fam in zip(names, given, families_of, strict=True)
                if key == name or (isinstance(prior, str) and key == prior) or key_family == fam]
        if not hits:
            unknown.append(key)
        for name in hits:
            if name in out:
                raise ValueError(f"{argument}: the prior {name!r} is named by more than one key")
            out[name] = value
    if unknown:
        raise ValueError(f"{argument} has key(s) {unknown} that name none of the priors "
                         f"{names}")
    return out


def _check_strength_plan(strength, names: list[str], given: list, likelihood) -> dict:
    """``{name: (parameter, value)}`` for ``strength``: parameter ``"alpha"``, ``"C"``,
    ``"scale"``, ``"cv"`` or None (the prior keeps its default)."""
    import numbers

    from ._params import POSITIVE, check_param

    if isinstance(strength, str):
        if strength not in STRENGTHS:
            raise ValueError(f"strength must be one of {', '.join(map(repr, STRENGTHS))} or a "
                             f"dict of per-prior strengths; got {strength!r}")
        if strength == "hyperprior":
            return dict.fromkeys(names, (None, None))
        return {name: ("cv", None) if get_family(as_prior(prior)).alpha_parts(1.0, None)
                is not None else (None, None) for name, prior in zip(names, given, strict=True)}
    if not isinstance(strength, dict):
        raise TypeError("strength must be 'hyperprior', 'cv' or a dict such as "
                        "{'gaussian': {'alpha': 10.0}, 'laplace': 0.1}; got "
                        f"{type(strength).__name__}")
    default = "alpha" if likelihood.has_sigma else "C"
    plan = dict.fromkeys(names, (None, None))
    for name, value in _check_strength_keys(strength, names, given, "strength").items():
        where = f"strength[{name!r}]"
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in _SYMBOLS:
                raise ValueError(f"{where} must have exactly one key, 'alpha', 'C' or 'scale'; "
                                 f"got {value!r}")
            ((parameter, number),) = value.items()
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            parameter, number = default, value
        else:
            raise TypeError(f"{where} must be a positive number ({default}) or a dict such as "
                            f"{{'{default}': 1.0}}; got {type(value).__name__} {value!r}")
        plan[name] = (parameter, check_param(number, f"{where}[{parameter!r}]", POSITIVE))
    return plan


DEFAULT_PRIORS = ("gaussian", "laplace", "horseshoe")


def _check_strength_args(strength, cv, cv_alphas, cv_Cs, shared: dict, likelihood) -> None:
    """Refuse the combinations of ``strength`` with the other strength arguments that make no
    sense (before any work)."""
    if not (isinstance(strength, str) and strength == "hyperprior"):
        given = [name for name, value in shared.items() if value is not None]
        if given:
            raise ValueError(
                f"{given[0]} sets one strength for every prior, so it cannot be combined with "
                f"strength={strength!r}; give per-prior values in the strength dict (e.g. "
                f"strength={{'laplace': {{'{given[0]}': ...}}}}) or drop {given[0]}")
    is_cv = isinstance(strength, str) and strength == "cv"
    for name, value in (("cv", cv), ("cv_alphas", cv_alphas), ("cv_Cs", cv_Cs)):
        if value is not None and not is_cv:
            raise ValueError(f"{name} is used only with strength='cv'; got strength={strength!r}")
    # the grid of the likelihood's penalty: alpha (Gaussian likelihood) or C (logistic)
    wrong, right = ("cv_Cs", "cv_alphas") if likelihood.has_sigma else ("cv_alphas", "cv_Cs")
    if (cv_Cs if likelihood.has_sigma else cv_alphas) is not None:
        raise ValueError(f"{wrong} is not used with family={likelihood.name!r}: its "
                         f"cross-validation grid is {right}")


def _check_prior_strengths(names, priors, plan: dict, shared: dict, sigma, data,
                           likelihood) -> None:
    """Resolve every prior with the strength it will get, so a prior that cannot take it fails
    before the first fit (e.g. the horseshoe with alpha, an elastic net without one)."""
    from .priors import resolve_prior

    for position, (name, prior) in enumerate(zip(names, priors, strict=True)):
        parameter, value = plan[name]
        family = get_family(as_prior(prior))
        if parameter is None:
            given = {k: v for k, v in shared.items() if v is not None}
        else:
            cv_parameter = "alpha" if likelihood.has_sigma else "C"
            given = {cv_parameter if parameter == "cv" else parameter:
                     1.0 if value is None else value}
        if parameter in ("alpha", "C") and family.alpha_parts(1.0, None) is None:
            raise ValueError(f"strength for priors[{position}] ({name!r}): the {family.label} "
                             f"prior has no scikit-learn penalty, so no {parameter}; give it a "
                             "'scale' or leave it out of the strength dict (it then keeps its "
                             "hyperprior)")
        try:
            resolve_prior(prior, sigma=sigma, data=data, likelihood=likelihood.name, **given)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"strength for priors[{position}] ({name!r}): {exc}") from None


def compare_priors(X, y=None, priors: Sequence | None = None, *, strength="hyperprior", cv=None,
                   cv_alphas=None, cv_Cs=None, alpha: float | None = None, scale: float | None = None,
                   sigma: float | None = None, family: str = "gaussian", C: float | None = None,
                   progressbar: bool | None = None, data=None, standardize: bool = False,
                   **fit_kwargs) -> PriorComparison:
    r"""Fit each prior on the same data with the same seed and keep the results by name.

    Equal ``alpha`` means very different strengths for different priors (Ridge's ``alpha``
    multiplies :math:`\tfrac12\lVert\beta\rVert^2` next to the residual sum of squares, the
    Lasso's :math:`\lVert\beta\rVert_1` next to the mean squared error), so ``strength`` says how
    each prior's strength is matched to the data:

    * ``"hyperprior"`` (default): each prior's scale is learned from the data (its default
      hyperprior, σ unknown), unless ``alpha``/``scale``/``C`` give one value to every prior;
    * ``"cv"``: each prior's MAP penalty α is chosen by K-fold cross-validation on the same folds
      (:func:`cv_alpha`: the α minimising the mean over folds of the held-out mean squared error,
      equal to ``RidgeCV``/``LassoCV``/``ElasticNetCV`` on those folds), then the posterior is
      sampled at that α with σ unknown (``fit(..., alpha=α)``: the mode of β given any σ is the
      scikit-learn fit). For ``family="bernoulli"`` each prior's ``C`` is chosen instead, by the
      held-out log loss (:func:`cv_C`, equal to ``LogisticRegressionCV(scoring="neg_log_loss")``
      on those folds), and the posterior sampled at that ``C``. A prior without a penalty (the
      horseshoe) keeps its hyperprior, and the summaries say so;
    * a dict ``{prior: {"alpha": a} | {"scale": s} | {"C": c} | number}`` keyed by the result
      name, the string given in ``priors`` or a family name/alias (``"lasso"`` names every
      Laplace prior); a plain number is scikit-learn's penalty of the likelihood, ``alpha``
      (Gaussian) or ``C`` (Bernoulli). Priors not named keep their default hyperprior; a key that
      names none of the priors is a ValueError.

    The strengths are recorded in :attr:`PriorComparison.strengths` and shown by
    :meth:`~PriorComparison.summary` (column ``strength``), the Markdown report and the legends of
    the comparison plots.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features), or a formula with ``data=``
        A formula (``"lpsa ~ lcavol + C(gleason)"``) builds the design as in :func:`bayesreg.fit`;
        every result keeps it (``predict(new_df)``), and the OLS and scikit-learn columns use the
        same design.
    y : array-like of shape (n_samples,); omitted with a two-sided formula
    priors : sequence of str or prior objects, optional
        E.g. ``("gaussian", "laplace")``. A result is named after the string (``"lasso"`` stays
        ``"lasso"``) or the prior class (``Laplace(...)`` → ``"laplace"``); repeated names get a
        suffix ``_<position>``. Default: ``("gaussian", "laplace", "horseshoe")`` — Ridge's prior,
        the Lasso's and the global–local shrinkage prior without a MAP; with ``alpha`` given,
        ``("gaussian", "laplace")`` (the horseshoe has no scikit-learn penalty, so no alpha).
    strength : {"hyperprior", "cv"} or dict
        See above.
    cv : int, scikit-learn splitter or iterable of (train, test) index arrays, optional
        ``strength="cv"`` only: the folds, as scikit-learn's ``cv`` (an int K is ``KFold(K)``,
        unshuffled; ``StratifiedKFold(K)`` for ``family="bernoulli"``). Default 5. Every prior is
        cross-validated on the same folds.
    cv_alphas : array-like or dict of array-like, optional
        ``strength="cv"`` only: the α grid (one for every prior, or a dict keyed like
        ``strength``). Default: :func:`cv_alpha`'s — scikit-learn's ``LassoCV``/``ElasticNetCV``
        grid (100 values, ``eps=1e-3``) for the Lasso and the elastic net, 100 values from
        :math:`10\,s_{max}^2` down to :math:`0.1\,s_{min}^2` for Ridge. Gaussian likelihood only.
    cv_Cs : int, array-like or dict of those, optional
        ``strength="cv"`` with ``family="bernoulli"`` only: the ``C`` grid (as scikit-learn's
        ``Cs``: an int n is ``np.logspace(-4, 4, n)``). Default 10.
    alpha, scale, sigma : float, optional
        Passed to :func:`bayesreg.fit` for every prior. With none of them each prior gets its
        default hyperprior on the scale and σ is unknown. A prior without a MAP penalty (the
        horseshoe) cannot take ``alpha``: naming it with ``alpha`` is a ValueError. ``alpha``,
        ``scale`` (and ``C``) only with the default ``strength``; ``sigma`` (fixing σ) with any.
    family : {"gaussian", "bernoulli"}
        The likelihood, as in :func:`bayesreg.fit` (``"bernoulli"``: logistic regression, y with
        two classes; the ``sklearn`` column is then ``LogisticRegression``).
    C : float, optional
        ``family="bernoulli"``: scikit-learn's ``LogisticRegression(C=...)`` for every prior
        (like ``alpha``, only priors with a penalty can take it).
    progressbar : bool or None
        One bar with a step per cross-validation fold of each prior and per fitted prior (the
        fits then show no display of their own); None shows it only when stderr is a terminal.
    data : DataFrame, optional
        The data of a formula ``X``.
    standardize : bool
        True: every prior (and α, the CV grid and folds) applies to the predictors divided by
        their population sds, and every column of :meth:`PriorComparison.summary` is in X's
        units; the ``sklearn`` column is then ``make_pipeline(StandardScaler(), Lasso(α))`` (or
        Ridge, ...) mapped back to X's units. See :func:`bayesreg.fit`.
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
        For bad data, priors, strengths or options; every prior, its strength and the seed are
        checked before any cross-validation or fitting.

    Examples
    --------
    >>> import bayesreg
    >>> X, y = bayesreg.datasets.load_diabetes()
    >>> comp = bayesreg.compare_priors(X, y, draws=300, tune=300, chains=2, random_seed=1,
    ...                                progressbar=False, warn_convergence=False)
    >>> sorted(comp.results)
    ['gaussian', 'horseshoe', 'laplace']
    >>> fair = bayesreg.compare_priors(X, y, ("gaussian", "laplace"), strength="cv", cv=5,
    ...                                draws=200, tune=200, chains=2, random_seed=1,
    ...                                progressbar=False, warn_convergence=False)
    >>> fair.strengths["laplace"].source
    'cv'
    """
    from ._formula import formula_inputs
    from ._params import validate_params
    from ._progress import StepProgress, progress_enabled
    from ._standardize import column_scales
    from .api import fit, fit_constraints, response_for

    constraints = fit_constraints()  # the same checks as fit, before the first fit
    validate_params({"alpha": alpha, "scale": scale, "sigma": sigma, "C": C,
                     "progressbar": progressbar, "standardize": standardize, **fit_kwargs},
                    constraints)
    likelihood = get_likelihood(family)
    X, y, design = formula_inputs(X, y, data)
    coded, _ = response_for(likelihood, X, y)
    data = check_Xy(X, coded)
    shared_values = {"alpha": alpha, "scale": scale, "C": C}
    _check_strength_args(strength, cv, cv_alphas, cv_Cs, shared_values, likelihood)
    shared = "alpha" if alpha is not None else "C" if C is not None else None
    if priors is None:
        priors = DEFAULT_PRIORS if shared is None else tuple(  # those alpha (or C) can set
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
        if shared is not None and prior_family.alpha_parts(1.0, None) is None:
            raise ValueError(f"priors[{position}]: the {prior_family.label} prior has no scikit-learn "
                             f"penalty, so no {shared}; leave it out of priors or drop "
                             f"{shared} (each prior then learns its scale)")
    base = [_prior_name(p) for p in priors]
    names = [f"{name}_{i}" if base.count(name) > 1 else name for i, name in enumerate(base)]
    plan = _check_strength_plan(strength, names, priors, likelihood)
    _check_prior_strengths(names, priors, plan, shared_values, sigma, data, likelihood)
    if fit_kwargs.get("method", "sample") != "sample":
        raise ValueError("compare_priors samples the posteriors; method must be 'sample'")
    fit_kwargs.pop("method", None)
    seed = fit_kwargs.get("random_seed")
    seed_seq = check_random_seed(seed)
    if seed is None or isinstance(seed, np.random.SeedSequence):
        # one integer for every prior: a SeedSequence would be advanced by the first fit
        fit_kwargs["random_seed"] = int(seed_seq.generate_state(1)[0])
    cv_names = [name for name in names if plan[name][0] == "cv"]
    folds, grids = (), {}
    if cv_names:
        logistic = not likelihood.has_sigma
        folds = _check_cv_folds(cv, data.n_samples, data.y, classifier=logistic)
        grid_name, grid_arg = ("cv_Cs", cv_Cs) if logistic else ("cv_alphas", cv_alphas)
        if isinstance(grid_arg, dict):
            grid_of = _check_strength_keys(grid_arg, names, priors, grid_name)
            extra = sorted(set(grid_of) - set(cv_names))
            if extra:
                raise ValueError(f"{grid_name} names prior(s) {extra} that are not "
                                 "cross-validated")
        else:
            grid_of = dict.fromkeys(cv_names, grid_arg)
        # the predictors the priors are on (standardize=True: X / population sd, as fit does);
        # the logistic MAP works on dense rows
        x_cv = data.dense_X("cross-validation of C") if logistic else data.X
        x_prior = x_cv / column_scales(data) if standardize else x_cv
        for name, prior in zip(names, priors, strict=True):
            if name in cv_names and logistic:
                given_grid = grid_of.get(name)
                try:
                    grids[name] = _check_Cs(10 if given_grid is None else given_grid)
                except (TypeError, ValueError) as exc:
                    raise type(exc)(f"{grid_name}: {exc}") from None
            elif name in cv_names:
                grids[name] = _cv_grid(x_prior, data.y, prior, grid_of.get(name), 100, 1e-3)
    frame_X = X if hasattr(X, "columns") else None
    results, curves = {}, {}
    y_given = data.y if likelihood.has_sigma else y  # labels: every fit records the classes
    steps = len(folds) * len(cv_names) + len(names)
    with StepProgress("compare_priors (CV folds, fits)", steps,
                      progress_enabled(progressbar)) as bar:
        for name, prior in zip(names, priors, strict=True):
            if name in cv_names:
                curve_of = _cv_curve if likelihood.has_sigma else _logistic_cv_curve
                curves[name] = curve_of(x_prior, data.y, prior, folds, grids[name], bar.advance)
        for name, prior in zip(names, priors, strict=True):
            parameter, value = plan[name]
            given = dict(shared_values)
            if parameter is not None:
                given = dict.fromkeys(shared_values)
                if parameter == "cv":
                    given[curves[name].parameter] = curves[name].value
                else:
                    given[parameter] = value
            results[name] = fit(frame_X if frame_X is not None else data.X, y_given, prior,
                                sigma=sigma, family=family, progressbar=False, **given,
                                standardize=standardize, **fit_kwargs)
            results[name].formula = design  # predict(new_df) encodes rows as the design was
            bar.advance()
    strengths = {}
    for name in names:
        parameter, value = plan[name]
        if parameter == "cv":
            strengths[name] = _cv_strength(curves[name])
        elif parameter is not None:
            strengths[name] = _given_strength(parameter, value)
        elif name in results and isinstance(strength, str) and strength == "cv":
            strengths[name] = _no_cv_strength(results[name].resolved_prior.spec.label,
                                              "alpha" if likelihood.has_sigma else "C")
    return PriorComparison(results, data.dense_X("the OLS reference of compare_priors"), data.y,
                           data.feature_names, strengths=strengths)


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
    x_scale : tuple of float or None
        With ``standardize=True``: the population sd of each predictor; the penalties then apply
        to the coefficients of the standardized predictors while every array is in X's units.
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
    x_scale: tuple[float, ...] | None = field(default=None, repr=False)

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


def default_path_alphas(X, y, prior="laplace", n_alphas: int = 20, eps: float = 1e-3, *,
                        standardize: bool = False) -> np.ndarray:
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
    standardize : bool
        True: the grid for the predictors divided by their population sds (as
        :func:`bayesreg.map_path`).

    Returns
    -------
    ndarray of shape (n_alphas,)
    """
    from .map import map_path

    _path_family(prior)
    n_alphas = check_int(n_alphas, "n_alphas", 2)
    data = check_Xy(X, y)
    return map_path(data.X, data.y, prior, n_alphas=n_alphas, eps=eps,
                    standardize=standardize).alphas


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
                   random_seed: int | None = None,
                   progressbar: bool | None = None, standardize: bool = False) -> PosteriorPath:
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
    progressbar : bool or None
        One step per grid point; None shows it only when stderr is a terminal.
    standardize : bool
        True: at every ``alpha`` the prior applies to the coefficients of the predictors divided
        by their population sds (``fit(..., standardize=True)``; the default grid is computed for
        those predictors), and every summary and the MAP path are in X's units.

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
    from ._params import Boolean, check_param
    from ._progress import StepProgress, progress_enabled
    from .api import fit
    from .map import map_path

    family = _path_family(prior)
    seed_seq = check_random_seed(random_seed)
    progressbar = check_param(progressbar, "progressbar", Boolean(), None)
    hdi_prob = _check_hdi_prob(hdi_prob)
    draws = check_int(draws, "draws", 1)
    chains = check_int(chains, "chains", 1)
    standardize = check_param(standardize, "standardize", Boolean())
    data = check_Xy(X, y)
    if alphas is None:
        grid = default_path_alphas(data.X, data.y, prior, n_alphas=n_alphas,
                                   standardize=standardize)
    else:
        grid = np.sort(check_grid(alphas, "alphas"))[::-1]
    mp = map_path(data.X, data.y, prior, alphas=grid, progressbar=progressbar,
                  standardize=standardize)
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
                  progressbar=False, log_likelihood=False, warn_convergence=False,
                  standardize=standardize)
        coef_ds = res.idata.posterior[["coef"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ess = float(np.nanmin(az.ess(coef_ds, method="bulk")["coef"].values))
            rhat = (float(np.nanmax(az.rhat(coef_ds)["coef"].values)) if chains > 1
                    else float("nan"))
        return res, ess, rhat

    sampler = ""
    with StepProgress(f"posterior path ({family.label})", grid.size,
                      progress_enabled(progressbar)) as bar:
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
            bar.advance()
    return PosteriorPath(
        alphas=grid, map_coef=mp.coef, family=family.name, feature_names=data.feature_names,
        hdi_prob=hdi_prob, sigma=sigma, sampler=sampler, draws=used, chains=chains,
        rhat_max=rhat_max, ess_bulk_min=ess_min, x_scale=mp.x_scale, **out,
    )
