"""Command line: ``bayesreg demo``, ``bayesreg compare`` and ``bayesreg select``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings

__all__ = ["main"]


# ---------------------------------------------------------------------------------------------
# bayesreg demo


def _demo(args) -> int:
    import numpy as np

    from . import datasets
    from .compare import compare_priors

    _check_seed(args.seed)
    out = args.out or os.path.join(tempfile.gettempdir(), "bayesreg-demo.png")
    _check_figure_path(out)  # before any fitting: a bad --out fails in a second, not minutes
    start = time.perf_counter()
    X, y = datasets.load_diabetes()
    comparison = compare_priors(X, y, ("gaussian", "laplace"), draws=args.draws, tune=args.draws,
                                chains=4, random_seed=args.seed, progressbar=False)
    table = comparison.summary()
    g, lap = table.loc["gaussian"], table.loc["laplace"]
    a_g = comparison["gaussian"].map.alpha
    a_l = comparison["laplace"].map.alpha
    print("bayesreg demo — diabetes data (442 x 10), Gaussian vs Laplace prior, "
          "scales and sigma unknown (default hyperpriors)")
    print(f"samplers: gaussian={comparison['gaussian'].sampler}, "
          f"laplace={comparison['laplace'].sampler}; MAP penalties at the posterior-median "
          f"scale: Ridge alpha={a_g:.4g}, Lasso alpha={a_l:.4g}\n")
    header = (f"{'feature':>8} {'OLS':>8} {'Ridge':>8} {'MAP(G)':>8} {'Lasso':>8} {'MAP(L)':>8} "
              f"{'median(G) [94% HDI]':>26} {'median(L) [94% HDI]':>26}")
    print(header)
    print("-" * len(header))
    for feat in comparison.feature_names:
        rg, rl = g.loc[feat], lap.loc[feat]
        hg = (f"{_number(rg['median'], 1)} "
              f"[{_number(rg['hdi_low'], 0)}, {_number(rg['hdi_high'], 0)}]")
        hl = (f"{_number(rl['median'], 1)} "
              f"[{_number(rl['hdi_low'], 0)}, {_number(rl['hdi_high'], 0)}]")
        estimates = (rg["ols"], rg["sklearn"], rg["map"], rl["sklearn"], rl["map"])
        print(f"{feat:>8} " + " ".join(_estimate_cell(v) for v in estimates)
              + f" {hg:>26} {hl:>26}")
    max_diff = max(float(np.max(np.abs(t["map"] - t["sklearn"]))) for t in (g, lap))
    zeros = [f for f in comparison.feature_names if lap.loc[f, "map"] == 0.0]
    if zeros:
        print("* exact zero: the Lasso and the Laplace MAP drop the coefficient")
    print(f"\nmax |MAP - sklearn| = {max_diff:.2e}; "
          f"Lasso/Laplace-MAP exact zeros: {', '.join(zeros) if zeros else 'none'}")
    if zeros:
        print("Laplace posterior medians of those coefficients (the posterior is not sparse): "
              + ", ".join(f"{f}={_number(lap.loc[f, 'median'], 2)}" for f in zeros))
    _demo_figure(comparison, out)
    print(f"figure written to {out}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def _number(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, never ``-0``/``-0.0`` (a negative rounding to 0)."""
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0.0 else text


def _estimate_cell(value: float, width: int = 8) -> str:
    """A point estimate of the demo table: one decimal, right-aligned; an exact zero is ``0*``
    with the 0 under the units digit of the other rows (the footnote says what * means)."""
    if value == 0.0:
        return "0* ".rjust(width)
    return _number(value, 1).rjust(width)


def _demo_figure(comparison, path: str) -> None:
    plt = _agg_pyplot()

    from .plots import plot_shrinkage

    ax = plot_shrinkage(comparison)
    fig = ax.figure if hasattr(ax, "figure") else ax.ravel()[0].figure
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _agg_pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# ---------------------------------------------------------------------------------------------
# bayesreg compare


class _UsageError(Exception):
    """A bad command-line value: reported on stderr with exit code 2."""


def _check_seed(seed) -> None:
    """``--seed``: the check every entry point uses (:func:`bayesreg._validation.check_random_seed`)."""
    from ._validation import check_random_seed

    try:
        check_random_seed(seed, "--seed")
    except (TypeError, ValueError):
        raise _UsageError(f"--seed must be a non-negative integer; got {seed}") from None


def _not_writable(directory: str) -> str | None:
    """Why nothing can be created in the existing ``directory`` (None if something can).

    A real probe (create and delete a file): ``os.access`` answers yes to root even on read-only
    or virtual file systems.
    """
    try:
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".bayesreg-write-test-")
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    os.remove(probe)
    return None


def _nearest_existing(path: str) -> str:
    path = os.path.abspath(path)
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def _prepare_out_dir(out: str) -> None:
    """Create the ``--out`` directory of ``compare`` and check it is writable, before any fitting."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise _UsageError(f"--out {out!r} exists and is not a directory; give the directory for "
                          "the figures and tables (it is created if missing)")
    existing = _nearest_existing(out)
    if not os.path.isdir(existing):
        raise _UsageError(f"--out {out!r} cannot be created: {existing!r} is a file, not a "
                          "directory")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise _UsageError(f"--out {out!r} cannot be created ({exc.strerror or exc}); choose a "
                          "writable location") from None
    reason = _not_writable(out)
    if reason is not None:
        raise _UsageError(f"--out {out!r} is not writable ({reason}); choose a writable "
                          "location")


def _check_figure_path(path: str) -> None:
    """Check the ``demo --out`` figure file can be written, before any fitting."""
    from matplotlib.backend_bases import FigureCanvasBase

    if os.path.isdir(path):
        raise _UsageError(f"--out {path!r} is a directory; give a file name such as "
                          f"{os.path.join(path, 'bayesreg-demo.png')!r}")
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    formats = FigureCanvasBase.get_supported_filetypes()
    if suffix and suffix not in formats:
        raise _UsageError(f"--out {path!r}: unsupported figure format {suffix!r}; use one of "
                          f"{', '.join(sorted(formats))}")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(parent):
        raise _UsageError(f"--out {path!r}: the directory {parent!r} does not exist; create it "
                          "first")
    if not os.path.isdir(parent):
        raise _UsageError(f"--out {path!r}: {parent!r} is a file, not a directory")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise _UsageError(f"--out {path!r} exists and is not writable")
    reason = _not_writable(parent)
    if reason is not None:
        raise _UsageError(f"--out {path!r}: the directory {parent!r} is not writable ({reason}); "
                          "choose a writable location")


def _read_csv(source: str):
    """Read the ``--data`` CSV file, turning every way it can be unreadable into a usage error."""
    import pandas as pd

    if os.path.getsize(source) == 0:
        raise _UsageError(f"--data {source!r} is empty (0 bytes); give a CSV file with a header "
                          "row and numeric columns")
    try:
        with open(source, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise _UsageError(f"--data {source!r} cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in head:
        raise _UsageError(f"--data {source!r} is a binary file, not a CSV text file")
    try:
        return pd.read_csv(source)
    except pd.errors.EmptyDataError:
        raise _UsageError(f"--data {source!r} has no columns (an empty or blank file); give a "
                          "CSV file with a header row and numeric columns") from None
    except UnicodeDecodeError:
        raise _UsageError(f"--data {source!r} is not a UTF-8 text CSV file (a binary file?)"
                          ) from None
    except pd.errors.ParserError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "parse error"
        raise _UsageError(f"--data {source!r} is not a valid CSV file: {reason}") from None
    except OSError as exc:
        raise _UsageError(f"--data {source!r} cannot be read ({exc.strerror or exc})") from None


_STANDARDIZED = ("; prior on the predictors divided by their sds (--standardize), coefficients "
                 "reported in the data's units")


def _load_data(args):
    """Return (X, y, description) for ``--data``/``--target``/``--formula``; ``--standardize``
    is passed to the fits (the prior on standardized predictors, results in the data's units)."""
    import numpy as np

    from . import datasets
    from .likelihoods import get_likelihood

    # a likelihood whose y is a label (the logistic one) has no noise scale and takes two classes
    classes = not get_likelihood(getattr(args, "family", "gaussian")).has_sigma
    source = args.data if args.data is not None else "breast_cancer" if classes else "diabetes"
    scaled = _STANDARDIZED if args.standardize else ""
    if args.formula is not None and args.target is not None:
        raise _UsageError("--target and --formula: the formula's left-hand side is the response; "
                          "drop --target")
    if source in ("diabetes", "prostate", "breast_cancer"):
        if args.target is not None:
            raise _UsageError(f"--target is only for CSV data; {source!r} has its own response")
        if (source == "breast_cancer") != classes:
            want = "--family bernoulli" if source == "breast_cancer" else "--family gaussian"
            raise _UsageError(f"--data {source} needs {want} (its response is "
                              f"{'two classes' if source == 'breast_cancer' else 'a measurement'})")
    if args.formula is not None:
        return _formula_data(args.formula, source, scaled)
    if source == "breast_cancer":
        X, y = datasets.load_breast_cancer()
        return X, y, (f"breast cancer data (Wisconsin diagnostic, UCI): {len(y)} tumours, "
                      f"{X.shape[1]} predictors in natural units{scaled}; response: diagnosis "
                      "(malignant modelled)")
    if source == "diabetes":
        X, y = datasets.load_diabetes()
        note = ("diabetes data (Efron et al. 2004): all 442 rows, 10 predictors standardised as "
                f"scikit-learn ships them (centred, unit Euclidean norm){scaled}; response: "
                "disease progression after one year")
        return X, y, note
    if source == "prostate":
        X, y = datasets.load_prostate(split="train")
        X = _standardize(X)
        note = (f"prostate cancer data (Stamey et al. 1989; ESL §3.2): the {len(y)} training rows, "
                f"{X.shape[1]} predictors standardised to mean 0 and sd 1; response: lpsa")
        return X, y, note
    if not os.path.isfile(source):
        raise _UsageError(f"--data must be 'diabetes', 'prostate', 'breast_cancer' or an existing "
                          f"CSV file; got {source!r}")
    if args.target is None:
        raise _UsageError("--target COLUMN is required with a CSV file")
    frame = _read_csv(source)
    if args.target not in frame.columns:
        raise _UsageError(f"--target {args.target!r} is not a column of {source}; "
                          f"columns: {list(frame.columns)}")
    if len(frame) == 0:
        raise _UsageError(f"--data {source!r} has a header but no data rows")
    y = frame[args.target]
    X = frame.drop(columns=args.target)
    if X.shape[1] == 0:
        raise _UsageError(f"{source} has no predictor columns besides {args.target!r}")
    if getattr(y.dtype, "kind", "O") not in "biuf" and not classes:
        raise _UsageError(f"--target column {args.target!r} of {source} is not numeric "
                          f"(dtype {y.dtype}); the response must be numbers (or use "
                          "--family bernoulli for two class labels)")
    bad = [str(c) for c, dt in X.dtypes.items() if dt.kind not in "biuf"]
    if bad:
        raise _UsageError(f"non-numeric predictor columns in {source}: {bad}; encode them first")
    finite = np.isfinite(X.to_numpy(dtype=float))
    if classes:
        finite = np.column_stack([finite, y.notna().to_numpy()])
        frame = frame[[*X.columns, args.target]]
    else:
        finite = np.column_stack([finite, np.isfinite(y.to_numpy(dtype=float))])
        frame = frame[[*X.columns, args.target]]
    if not finite.all():
        columns = [str(c) for c, ok in zip(frame.columns, finite.all(axis=0), strict=True)
                   if not ok]
        rows = np.flatnonzero(~finite.all(axis=1))
        shown = ", ".join(str(r + 1) for r in rows[:5]) + (", ..." if rows.size > 5 else "")
        raise _UsageError(f"--data {source!r} has missing (NaN) or infinite values in column(s) "
                          f"{columns} (data row(s) {shown}); drop or impute them first")
    note = (f"{os.path.basename(source)}: {len(y)} rows, {X.shape[1]} predictors as given"
            f"{scaled}; response: {args.target}")
    return X, y, note


def _formula_data(formula: str, source: str, scaled: str):
    """``--formula``: (design, y, description) from a CSV file or a built-in data set's columns
    (diabetes: response ``progression``; prostate: the 67 training rows, unstandardised, response
    ``lpsa``; breast cancer: response ``diagnosis``)."""
    from . import datasets
    from ._formula import design_from_formula

    if source == "diabetes":
        X, y = datasets.load_diabetes()
        frame, label = X.assign(progression=y), "diabetes data (Efron et al. 2004), 442 rows"
    elif source == "prostate":
        X, y = datasets.load_prostate(split="train")
        frame, label = X.assign(lpsa=y), "prostate cancer data (ESL §3.2), the 67 training rows"
    elif source == "breast_cancer":
        X, y = datasets.load_breast_cancer()
        frame, label = X.assign(diagnosis=y), "breast cancer data (Wisconsin diagnostic), 569 rows"
    else:
        if not os.path.isfile(source):
            raise _UsageError(f"--data must be 'diabetes', 'prostate', 'breast_cancer' or an "
                              f"existing CSV file; got {source!r}")
        frame = _read_csv(source)
        if len(frame) == 0:
            raise _UsageError(f"--data {source!r} has a header but no data rows")
        label = f"{os.path.basename(source)}, {len(frame)} rows"
    try:
        X, y, _ = design_from_formula(formula, frame)
    except (TypeError, ValueError) as exc:
        raise _UsageError(f"--formula {formula!r}: {exc}") from None
    return X, y, (f"{label}; formula {formula}: {X.shape[1]} design columns "
                  f"({', '.join(map(str, X.columns))}){scaled}")


def _check_data(X, y, source: str, family: str = "gaussian") -> None:
    """The checks :func:`bayesreg.fit` makes (e.g. too few rows), done before any fitting."""
    from ._validation import check_Xy
    from .api import response_for
    from .likelihoods import get_likelihood

    try:
        coded, _ = response_for(get_likelihood(family), X, y)
        check_Xy(X, coded)
    except (TypeError, ValueError) as exc:
        raise _UsageError(f"--data {source!r}: {exc}") from None


def _standardize(X):
    sd = X.std(axis=0, ddof=0)
    return (X - X.mean(axis=0)) / sd.where(sd > 0, 1.0)


def _parse_strength(text: str):
    """``--strength``: "hyperprior", "cv", a JSON object or ``name=value,name=value``."""
    import json

    text = text.strip()
    if text in ("hyperprior", "cv"):
        return text
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _UsageError(f"--strength: not valid JSON ({exc.msg}); got {text!r}") from None
        if not isinstance(value, dict):
            raise _UsageError(f"--strength: the JSON must be an object; got {text!r}")
        return value
    strengths = {}
    for item in (part.strip() for part in text.split(",")):
        name, sep, number = item.partition("=")
        try:
            strengths[name.strip()] = float(number)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise _UsageError("--strength must be 'hyperprior', 'cv', name=value pairs such as "
                              "'gaussian=10,laplace=0.1' or a JSON object such as "
                              f"'{{\"laplace\": {{\"scale\": 2}}}}'; got {text!r}")
    return strengths


def _parse_priors(text: str, default_strength: bool = True) -> list[str]:
    from .priors import as_prior, families, get_family

    names = [p.strip() for p in text.split(",") if p.strip()]
    if not names:
        raise _UsageError("--priors must name at least one prior, e.g. gaussian,laplace")
    for name in names:
        try:
            family = get_family(name)
        except (TypeError, ValueError) as exc:
            raise _UsageError(f"--priors: {exc}") from None
        if default_strength and not _has_default_strength(family, as_prior(name)):
            able = ", ".join(f.name for f in families() if _has_default_strength(f, f.prior_class()))
            raise _UsageError(f"--priors: compare fits each prior with its default, data-scaled "
                              f"strength, which the {family.label} prior does not have (it needs "
                              f"alpha); priors with one: {able}; got {name!r}")
    return names


def _has_default_strength(family, prior) -> bool:
    """Whether the prior resolves without alpha or scale (a default hyperprior)."""
    import numpy as np

    try:
        family.resolve(prior, scale=None, alpha=None, sigma=None, n_samples=2,
                       spreads=lambda: (np.ones(1), 1.0))
    except ValueError:
        return False
    return True


# what compare says about its priors (compare_priors with no alpha, scale or sigma)
_PRIORS_NOTE = "default hyperpriors on the scale, σ unknown with Jeffreys' prior"
_LOGISTIC_PRIORS_NOTE = "default hyperpriors on the scale, logistic likelihood (no σ)"


def _compare(args) -> int:
    X, y, note = _load_data(args)
    _check_data(X, y, args.data, args.family)
    from .likelihoods import get_likelihood

    logistic = not get_likelihood(args.family).has_sigma
    strength = _parse_strength(args.strength)
    if args.cv_folds is not None and strength != "cv":
        raise _UsageError("--cv-folds is used only with --strength cv")
    priors = _parse_priors(args.priors, default_strength=strength == "hyperprior")
    _check_seed(args.seed)
    out = args.out or os.path.join(tempfile.gettempdir(), "bayesreg-compare")
    _prepare_out_dir(out)  # before any fitting: a bad --out fails in a second, not minutes
    plt = _agg_pyplot()

    import numpy as np

    from . import plots
    from .compare import compare_priors, describe_loo, posterior_path
    from .exceptions import BayesregWarning
    from .map import map_path

    start = time.perf_counter()
    print(f"bayesreg compare — {note}")
    print(f"priors: {', '.join(priors)}; {'logistic regression; ' if logistic else ''}"
          f"{args.chains} chains × {args.draws} draws; seed {args.seed}")
    written = []

    def save(axes, name: str) -> None:
        fig = axes[0].figure  # every plot returns an ndarray of Axes
        path = os.path.join(out, name)
        fig.savefig(path, dpi=110)  # the figures use constrained layout: nothing is cut off
        plt.close(fig)
        written.append(path)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BayesregWarning)
        cv = {"cv": args.cv_folds or 5} if strength == "cv" else {}
        comparison = compare_priors(X, y, priors, strength=strength, draws=args.draws,
                                    tune=args.draws, chains=args.chains, random_seed=args.seed,
                                    family=args.family, standardize=args.standardize,
                                    **cv)  # progress only on a terminal
        table = comparison.summary()
        try:
            loo = comparison.loo()
        except ValueError as exc:  # no pointwise log-likelihood (very large data)
            print(f"LOO skipped: {exc}", file=sys.stderr)
            loo = None
    for w in caught:
        if issubclass(w.category, BayesregWarning):
            print(f"warning: {w.message}", file=sys.stderr)
    print("strengths: " + "; ".join(f"{name} {s.label}"
                                    for name, s in comparison.strengths.items()))

    csv_path = os.path.join(out, "summary.csv")
    table.to_csv(csv_path)
    written.append(csv_path)
    if loo is not None:
        loo_path = os.path.join(out, "loo.csv")
        loo.rename_axis("prior").to_csv(loo_path)
        written.append(loo_path)

    save(plots.plot_shrinkage(comparison), "shrinkage.png")
    save(plots.plot_posteriors(comparison), "posteriors.png")
    try:
        profiles = comparison.shrinkage_profiles(random_seed=args.seed)
    except ValueError as exc:  # not a normal scale mixture, or no noise variance (logistic)
        print(f"shrinkage profile skipped: {exc}")
    else:
        save(plots.plot_shrinkage_profile(profiles), "shrinkage_profile.png")
    for name, res in comparison.results.items():
        save(plots.plot_prior_posterior(res), f"prior_posterior_{name}.png")
    if args.n_alphas > 0 and logistic:
        print("regularization paths skipped: they are drawn for the Gaussian likelihood's alpha "
              "(for logistic regression see notebook 08's C path)")
    elif args.n_alphas > 0:
        for name, prior in zip(comparison.results, priors, strict=True):
            if comparison.results[name].map is None:  # no penalty: no alpha, no path
                print(f"regularization path skipped for {name}: no MAP (the "
                      f"{comparison.results[name].resolved_prior.spec.label} prior has no finite "
                      "mode, so no alpha)")
                continue
            # --standardize: the prior on X / sd(X), the paths in the data's units
            path = posterior_path(X, y, prior, n_alphas=args.n_alphas, draws=args.path_draws,
                                  chains=2, random_seed=args.seed, standardize=args.standardize)
            fine = map_path(X, y, prior, alphas=np.geomspace(path.alphas[0], path.alphas[-1], 200),
                            standardize=args.standardize)
            save(plots.plot_regularization_path(path, map_path=fine),
                 f"regularization_path_{name}.png")
    save(plots.plot_penalty_geometry(), "penalty_geometry.png")
    save(plots.plot_penalty_gradients(), "penalty_gradients.png")

    md_path = os.path.join(out, "summary.md")
    with open(md_path, "w", encoding="utf-8") as fh:
        priors_note = ((_LOGISTIC_PRIORS_NOTE if logistic else _PRIORS_NOTE)
                       if strength == "hyperprior" else None)  # else said by the comparison
        fh.write(comparison.to_markdown(data_note=note, priors_note=priors_note, loo=loo,
                                        seed=args.seed, elapsed=time.perf_counter() - start))
    written.insert(1, md_path)

    if loo is not None:
        print("\nPSIS-LOO: " + describe_loo(loo))
    print(f"\nwritten to {out}:")
    for path in written:
        print(f"  {os.path.basename(path)}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


# ---------------------------------------------------------------------------------------------
# bayesreg select


def _parse_prior(text: str) -> str:
    """``--prior``: one registered prior that has a default, data-scaled strength."""
    from .priors import as_prior, families, get_family

    name = text.strip()
    try:
        family = get_family(name)
    except (TypeError, ValueError) as exc:
        raise _UsageError(f"--prior: {exc}") from None
    if not _has_default_strength(family, as_prior(name)):
        able = ", ".join(f.name for f in families() if _has_default_strength(f, f.prior_class()))
        raise _UsageError(f"--prior: select fits the prior with its default, data-scaled "
                          f"strength, which the {family.label} prior does not have; priors with "
                          f"one: {able}; got {name!r}")
    return name


def _select(args) -> int:
    X, y, note = _load_data(args)
    _check_data(X, y, args.data, args.family)
    prior = _parse_prior(args.prior)
    _check_seed(args.seed)
    if args.max_size is not None and args.max_size > X.shape[1]:
        raise _UsageError(f"--max-size must be at most the number of predictors ({X.shape[1]}); "
                          f"got {args.max_size}")
    out = args.out or os.path.join(tempfile.gettempdir(), "bayesreg-select")
    _prepare_out_dir(out)  # before any fitting: a bad --out fails in a second, not minutes
    plt = _agg_pyplot()

    from . import plots
    from .api import fit
    from .exceptions import BayesregWarning

    start = time.perf_counter()
    print(f"bayesreg select — {note}")
    print(f"prior {prior}, method {args.method}; {args.chains} chains × {args.draws} draws; "
          f"seed {args.seed}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BayesregWarning)
        result = fit(X, y, prior, draws=args.draws, tune=args.draws, chains=args.chains,
                     random_seed=args.seed, progressbar=False, family=args.family,
                     standardize=args.standardize)
        selection = result.select(args.method, X=X, max_size=args.max_size,
                                  random_seed=args.seed)
    for w in caught:
        if issubclass(w.category, BayesregWarning):
            print(f"warning: {w.message}", file=sys.stderr)
    written = []
    summary_path = os.path.join(out, "selection.csv")
    selection.summary().to_csv(summary_path)
    written.append(summary_path)
    if selection.path is not None:
        path_csv = os.path.join(out, "path.csv")
        selection.path.to_csv(path_csv, index=False)
        written.append(path_csv)
        axes, name = plots.plot_selection(selection), "selection.png"
    else:
        axes, name = plots.plot_inclusion(selection), "inclusion.png"
    figure = os.path.join(out, name)
    axes[0].figure.savefig(figure, dpi=110)
    plt.close(axes[0].figure)
    written.append(figure)
    print(f"\nselected ({len(selection.variables)} of {len(result.feature_names)}): "
          + (", ".join(selection.variables) or "none"))
    if selection.method == "projection":
        print(selection.path.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    print(f"\nwritten to {out}:")
    for path in written:
        print(f"  {os.path.basename(path)}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


# ---------------------------------------------------------------------------------------------
# parser


def _int_at_least(minimum: int):
    """An argparse type: an integer >= ``minimum``, checked by the shared validation layer."""
    from ._params import Interval, check_param

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}; got {text!r}") from None
        try:
            return check_param(value, "", Interval("integral", minimum))
        except ValueError as exc:  # "argument --draws: must be >= 1; got 0"
            raise argparse.ArgumentTypeError(str(exc).strip()) from None

    return parse


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bayesreg",
        description="Regularized regression as Bayesian inference: Ridge = Gaussian-prior MAP, "
                    "Lasso = Laplace-prior MAP.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo", help="fit Gaussian and Laplace priors on the diabetes data",
        description="Fit Gaussian and Laplace priors on the diabetes data, print OLS, Ridge, "
                    "Lasso, the MAPs (an exact zero marked 0*) and posterior medians with 94% "
                    "HDIs, and write a comparison figure (posterior medians, 50% and 94% HDIs, "
                    "MAPs and OLS).")
    demo.add_argument("--out",
                      help="PNG path for the figure (default: a file in the temp directory)")
    demo.add_argument("--draws", type=_int_at_least(1), default=1000,
                      help="draws (and burn-in) per chain (default 1000)")
    demo.add_argument("--seed", type=int, default=2008, help="random seed (default 2008)")
    demo.set_defaults(func=_demo)

    compare = sub.add_parser(
        "compare", help="contrast priors: figures, summary table (CSV, Markdown) and LOO",
        description="Fit each prior (default hyperpriors on the scale, or the strengths of "
                    "--strength; sigma unknown), then write "
                    "the comparison figures (forest plot, posterior densities, shrinkage "
                    "factors, prior vs posterior, MAP and Bayesian regularization paths, penalty "
                    "geometry and gradients) as PNG, the summary table as CSV and Markdown, and the PSIS-LOO "
                    "comparison.")
    compare.add_argument("--data", default=None,
                         help="'diabetes' (the default for --family gaussian), 'prostate' (the 67 "
                              "training rows, predictors standardised), 'breast_cancer' (the "
                              "default for --family bernoulli) or the path of a CSV file")
    compare.add_argument("--family", choices=("gaussian", "bernoulli", "logistic"),
                         default="gaussian",
                         help="likelihood: 'gaussian' (linear regression, default) or 'bernoulli' "
                              "(alias 'logistic': logistic regression; the target has two classes)")
    compare.add_argument("--target", help="response column of the CSV file")
    compare.add_argument("--standardize", action="store_true",
                         help="put each prior on the predictors divided by their population sds "
                              "(glmnet's standardize=TRUE); every table and figure, the "
                              "regularization paths included, stays in the data's units")
    compare.add_argument("--formula", default=None,
                         help="a Wilkinson formula on the data's columns, e.g. 'y ~ a + C(g) + "
                              "a:b' (categoricals, interactions, transforms); its left-hand side "
                              "is the response (replaces --target). Built-in data: responses "
                              "'progression' (diabetes), 'lpsa' (prostate, unstandardised) and "
                              "'diagnosis' (breast_cancer)")
    from .compare import DEFAULT_PRIORS

    default_priors = ",".join(DEFAULT_PRIORS)
    compare.add_argument("--priors", default=default_priors,
                         help=f"comma-separated priors (default {default_priors})")
    compare.add_argument("--strength", default="hyperprior",
                         help="how strong each prior is: 'hyperprior' (default: each prior's "
                              "scale learned from the data), 'cv' (each prior's alpha chosen by "
                              "K-fold cross-validation of its MAP, mean held-out MSE as "
                              "RidgeCV/LassoCV; with --family bernoulli its C, by held-out log "
                              "loss as LogisticRegressionCV; the horseshoe keeps its "
                              "hyperprior), alphas as name=value pairs "
                              "('gaussian=10,laplace=0.1'; C for --family bernoulli) or a JSON "
                              "object ('{\"laplace\": {\"scale\": 2}}'); priors not named "
                              "keep their hyperprior")
    compare.add_argument("--cv-folds", type=_int_at_least(2), default=None,
                         help="folds of --strength cv (default 5, unshuffled KFold; StratifiedKFold "
                              "with --family bernoulli)")
    compare.add_argument("--out", help="output directory (default: bayesreg-compare in the temp "
                                       "directory)")
    compare.add_argument("--draws", type=_int_at_least(1), default=1000,
                         help="posterior draws (and burn-in) per chain (default 1000)")
    compare.add_argument("--chains", type=_int_at_least(1), default=4,
                         help="chains per prior (default 4)")
    compare.add_argument("--n-alphas", type=_int_at_least(0), default=20,
                         help="grid size of the regularization paths; 0 skips them (default 20)")
    compare.add_argument("--path-draws", type=_int_at_least(1), default=300,
                         help="draws per chain (2 chains) at each path grid point (default 300)")
    compare.add_argument("--seed", type=int, default=2008, help="random seed (default 2008)")
    compare.set_defaults(func=_compare)

    from .selection import METHODS

    select = sub.add_parser(
        "select", help="which variables matter: selection from the posterior",
        description="Fit one prior (default hyperprior on the scale, sigma unknown), select "
                    "variables from its posterior (projection predictive forward search, SAVS, "
                    "credible intervals, decoupled shrinkage and selection, or ranks) and write "
                    "the per-variable table and the path as CSV and the figure as PNG.")
    select.add_argument("--data", default=None,
                        help="'diabetes' (the default for --family gaussian), 'prostate' (the 67 "
                             "training rows, predictors standardised), 'breast_cancer' (the "
                             "default for --family bernoulli) or the path of a CSV file")
    select.add_argument("--family", choices=("gaussian", "bernoulli", "logistic"),
                        default="gaussian",
                        help="likelihood: 'gaussian' (default) or 'bernoulli' (alias 'logistic': "
                             "logistic regression; the target has two classes)")
    select.add_argument("--target", help="response column of the CSV file")
    select.add_argument("--standardize", action="store_true",
                         help="put each prior on the predictors divided by their population sds "
                              "(glmnet's standardize=TRUE); the table and figure are in the "
                              "data's units")
    select.add_argument("--formula", default=None,
                         help="a Wilkinson formula on the data's columns, e.g. 'y ~ a + C(g) + "
                              "a:b' (categoricals, interactions, transforms); its left-hand side "
                              "is the response (replaces --target). Built-in data: responses "
                              "'progression' (diabetes), 'lpsa' (prostate, unstandardised) and "
                              "'diagnosis' (breast_cancer)")
    select.add_argument("--prior", default="horseshoe",
                        help="the prior of the reference model (default horseshoe)")
    select.add_argument("--method", choices=METHODS, default="projection",
                        help="selection method (default projection)")
    select.add_argument("--max-size", type=_int_at_least(1), default=None,
                        help="largest submodel searched / most variables kept (default: all)")
    select.add_argument("--out", help="output directory (default: bayesreg-select in the temp "
                                      "directory)")
    select.add_argument("--draws", type=_int_at_least(1), default=1000,
                        help="posterior draws (and burn-in) per chain (default 1000)")
    select.add_argument("--chains", type=_int_at_least(1), default=4,
                        help="chains (default 4)")
    select.add_argument("--seed", type=int, default=2008, help="random seed (default 2008)")
    select.set_defaults(func=_select)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``bayesreg`` console script; returns the exit code.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 without a command, 2 for bad arguments (reported on stderr as
        ``bayesreg <command>: error: ...``, like argparse does).
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return int(args.func(args) or 0)
    except _UsageError as exc:
        return _report(args.command, exc)
    except (TypeError, ValueError) as exc:
        if not _raised_by_validation(exc):
            raise  # an internal error: keep the traceback
        return _report(args.command, exc)


def _report(command: str, exc: Exception) -> int:
    print(f"bayesreg {command}: error: {exc}", file=sys.stderr)
    return 2


def _raised_by_validation(exc: BaseException) -> bool:
    """Whether ``exc`` comes from bayesreg's input checks (a user error, not an internal one)."""
    tb = exc.__traceback__
    frame = None
    while tb is not None:
        frame, tb = tb.tb_frame, tb.tb_next
    if frame is None:
        return False
    module = frame.f_globals.get("__name__", "")
    function = frame.f_code.co_name
    return module == "bayesreg._validation" or (
        module.startswith("bayesreg.") and function.startswith(("check_", "_check"))
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
