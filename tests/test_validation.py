"""Bad input gets a clear error naming the argument, before any model is built."""

import numpy as np
import pandas as pd
import pytest

import bayesreg
from bayesreg import sampling


@pytest.fixture
def Xy(rng):
    X = rng.standard_normal((30, 3))
    y = X @ np.array([1.0, -2.0, 0.0]) + rng.standard_normal(30)
    return X, y


@pytest.fixture(autouse=True)
def no_model_building(monkeypatch):
    """Any attempt to build a model or sample during these tests is a failure."""

    def boom(*args, **kwargs):
        raise AssertionError("a model was built before the input was validated")

    monkeypatch.setattr(sampling, "sample_posterior", boom)
    monkeypatch.setattr(sampling, "pymc_model", boom)


def _fit(X, y, **kw):
    return bayesreg.fit(X, y, progressbar=False, **kw)


@pytest.mark.parametrize("where", ["X", "y"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite(Xy, where, bad):
    X, y = Xy[0].copy(), Xy[1].copy()
    if where == "X":
        X[3, 1] = bad
    else:
        y[3] = bad
    with pytest.raises(ValueError, match=rf"^{where} contains 1 NaN or infinite"):
        _fit(X, y)


def test_mismatched_lengths(Xy):
    X, y = Xy
    with pytest.raises(ValueError, match="X and y have different numbers of samples"):
        _fit(X, y[:-1])


def test_one_dimensional_X(Xy):
    X, y = Xy
    with pytest.raises(ValueError, match=r"X must be 2-D.*reshape\(-1, 1\)"):
        _fit(X[:, 0], y)


@pytest.mark.parametrize("shape", [(0, 3), (30, 0)])
def test_empty_X(shape):
    with pytest.raises(ValueError, match="X is empty"):
        _fit(np.empty(shape), np.zeros(shape[0]))


def test_too_few_samples():
    with pytest.raises(ValueError, match="at least 2 samples"):
        _fit(np.ones((1, 2)), np.ones(1))


def test_two_dimensional_y(Xy):
    X, y = Xy
    with pytest.raises(ValueError, match="y must be 1-D"):
        _fit(X, np.column_stack([y, y]))


def test_unknown_prior_lists_valid(Xy):
    valid = r"prior must be one of 'gaussian', 'normal', 'ridge', 'laplace', 'lasso'.*got 'lapalce'"
    with pytest.raises(ValueError, match=valid):
        _fit(*Xy, prior="lapalce")


def test_prior_wrong_type(Xy):
    with pytest.raises(TypeError, match="prior must be a string"):
        _fit(*Xy, prior=3)


@pytest.mark.parametrize("name", ["scale", "alpha", "sigma"])
@pytest.mark.parametrize("value", [0.0, -1.0, np.nan, np.inf])
def test_non_positive_strength(Xy, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be a finite positive number"):
        _fit(*Xy, **{name: value})


@pytest.mark.parametrize("name", ["scale", "alpha", "sigma"])
def test_strength_wrong_type(Xy, name):
    with pytest.raises(TypeError, match=rf"^{name} must be a positive number"):
        _fit(*Xy, **{name: "1"})


def test_scale_and_alpha_together(Xy):
    with pytest.raises(ValueError, match="at most one of scale and alpha"):
        _fit(*Xy, scale=1.0, alpha=1.0)


def test_strength_given_twice(Xy):
    with pytest.raises(ValueError, match="already sets its strength"):
        _fit(*Xy, prior=bayesreg.Laplace(scale=1.0), alpha=0.1)


def test_non_numeric_columns(Xy):
    X, y = Xy
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(c=["u"] * 30)
    with pytest.raises(TypeError, match=r"X has non-numeric columns \['c'\]"):
        _fit(frame, y)


def test_non_numeric_array(Xy):
    with pytest.raises(TypeError, match="X must contain numbers only"):
        _fit(np.array([["a", "b"], ["c", "d"]]), np.ones(2))


def test_non_numeric_y(Xy):
    X, _ = Xy
    with pytest.raises(TypeError, match="y must be numeric"):
        _fit(X, pd.Series(["a"] * 30))


def test_none_inputs(Xy):
    with pytest.raises(TypeError, match="X must be"):
        _fit(None, Xy[1])
    with pytest.raises(TypeError, match="y must be"):
        _fit(Xy[0], None)


@pytest.mark.parametrize(("kw", "match"), [
    ({"method": "mcmc"}, "method must be one of"),
    ({"draws": 0}, "draws must be >= 1"),
    ({"chains": 0}, "chains must be >= 1"),
    ({"tune": -1}, "tune must be >= 0"),
    ({"sampler": "hmc"}, "sampler must be one of"),
    ({"random_seed": -3}, "random_seed must be non-negative"),
])
def test_bad_options(Xy, kw, match):
    with pytest.raises(ValueError, match=match):
        _fit(*Xy, **kw)


def test_bad_option_types(Xy):
    with pytest.raises(TypeError, match="draws must be an integer"):
        _fit(*Xy, draws=10.5)
    with pytest.raises(TypeError, match="random_seed must be an int"):
        _fit(*Xy, random_seed="a")


def test_sampler_not_applicable(Xy):
    with pytest.raises(ValueError, match="sampler='exact' cannot sample this model: it needs a closed-form"):
        _fit(*Xy, prior="laplace", sampler="exact")
    with pytest.raises(ValueError, match=r"sampler='gibbs' cannot sample this model: it covers the "
                                         r"priors with a Gibbs update \(Gaussian, Laplace, "
                                         r"horseshoe, horseshoe\+, regularized horseshoe\)"):
        _fit(*Xy, prior=bayesreg.ElasticNet(alpha=0.1), sampler="gibbs")


def test_map_needs_strength(Xy):
    with pytest.raises(ValueError, match="method='map' needs a fixed prior strength"):
        _fit(*Xy, method="map")
    with pytest.raises(ValueError, match="the MAP needs the prior's strength"):
        _fit(*Xy, prior="laplace", scale=1.0, method="map")


def test_prior_objects_validate():
    with pytest.raises(ValueError, match=r"Laplace.scale must be a finite positive"):
        bayesreg.Laplace(scale=-1)
    with pytest.raises(ValueError, match="at most one of scale, rate and hyperprior"):
        bayesreg.Laplace(scale=1.0, rate=2.0)
    with pytest.raises(ValueError, match=r"HalfCauchy.scale"):
        bayesreg.HalfCauchy(0.0)
    with pytest.raises(ValueError, match=r"Gamma.rate"):
        bayesreg.Gamma(1.0, -2.0)
    with pytest.raises(ValueError, match=r"l1_ratio must be in \[0, 1\]"):
        bayesreg.ElasticNet(alpha=1.0, l1_ratio=1.5)
    with pytest.raises(TypeError, match="hyperprior must be"):
        bayesreg.Gaussian(hyperprior=3.0)
    with pytest.raises(ValueError, match="needs alpha"):
        bayesreg.map_estimate(np.ones((3, 1)) * [[1], [2], [3]], [1.0, 2.0, 4.0], prior="elasticnet")


def test_inputs_not_modified(Xy, monkeypatch):
    monkeypatch.undo()  # this test samples
    X, y = Xy
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    series = pd.Series(y, name="target")
    X0, y0, f0, s0 = X.copy(), y.copy(), frame.copy(), series.copy()
    for prior in ("gaussian", "laplace"):
        bayesreg.fit(X, y, prior=prior, draws=20, tune=20, chains=1, progressbar=False,
                     warn_convergence=False)
        bayesreg.fit(frame, series, prior=prior, alpha=0.1, method="map")
        bayesreg.map_estimate(X, y, prior=prior, alpha=0.5)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    pd.testing.assert_frame_equal(frame, f0)
    pd.testing.assert_series_equal(series, s0)
    assert X.flags.writeable and y.flags.writeable


def test_predict_checks_columns(Xy, monkeypatch):
    X, y = Xy
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    res = bayesreg.fit(frame, y, alpha=0.1, method="map")
    with pytest.raises(ValueError, match="X_new has 2 features but the model was fitted with 3"):
        res.predict(X[:, :2])
    with pytest.raises(ValueError, match="X_new columns"):
        res.predict(frame.rename(columns={"a": "z"}))
    with pytest.raises(ValueError, match="kind must be one of"):
        res.predict(X, kind="median")


# ---------------------------------------------------------------------------------------------
# one validation layer: the same fault raises the same exception type at every entry point

FAULTS = [
    ({"alpha": "0.1"}, TypeError, "alpha must be a positive number"),
    ({"alpha": -1.0}, ValueError, "alpha must be a finite positive number"),
    ({"alpha": float("nan")}, ValueError, "alpha must be a finite positive number"),
    ({"sigma": True}, TypeError, "sigma must be a positive number"),
    ({"sigma": 0.0}, ValueError, "sigma must be a finite positive number"),
    ({"scale": float("inf")}, ValueError, "scale must be a finite positive number"),
]
DRAW_FAULTS = [
    ({"draws": 0}, ValueError, "draws must be >= 1"),
    ({"draws": 1.5}, TypeError, "draws must be an integer"),
    ({"chains": "2"}, TypeError, "chains must be an integer"),
]


def _entry_points():
    import bayesreg.compare as compare

    return {
        "fit": lambda X, y, **kw: bayesreg.fit(X, y, "laplace", **kw),
        "map_estimate": lambda X, y, **kw: bayesreg.map_estimate(X, y, "laplace", **kw),
        "compare_priors": lambda X, y, **kw: bayesreg.compare_priors(X, y, **kw),
        "posterior_path": lambda X, y, **kw: compare.posterior_path(X, y, "laplace", alphas=[0.1], **kw),
        "PriorRegressor": lambda X, y, **kw: bayesreg.PriorRegressor(**kw).fit(X, y),
    }


@pytest.mark.parametrize("entry", ["fit", "map_estimate", "compare_priors", "PriorRegressor"])
@pytest.mark.parametrize(("kwargs", "error", "match"), FAULTS)
def test_same_fault_same_exception_everywhere(Xy, monkeypatch, entry, kwargs, error, match):
    import bayesreg.sampling as sampling

    def boom(*args, **kw):
        raise AssertionError("work started")

    monkeypatch.setattr(sampling, "sample_posterior", boom)
    with pytest.raises(error, match=match):
        _entry_points()[entry](*Xy, **kwargs)


@pytest.mark.parametrize("entry", ["fit", "compare_priors", "posterior_path", "PriorRegressor"])
@pytest.mark.parametrize(("kwargs", "error", "match"), DRAW_FAULTS)
def test_same_draw_fault_same_exception_everywhere(Xy, entry, kwargs, error, match):
    kwargs = dict(kwargs, method="sample") if entry == "PriorRegressor" else kwargs
    with pytest.raises(error, match=match):
        _entry_points()[entry](*Xy, **kwargs)


def test_cli_uses_the_same_checks(capsys):
    from bayesreg.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--draws", "0"])
    assert exit_info.value.code == 2
    assert "argument --draws: must be >= 1; got 0" in capsys.readouterr().err
