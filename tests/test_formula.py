"""Formulas on DataFrames: ``fit("y ~ a + C(g)", data=df)`` and friends (bayesreg._formula)."""

import base64
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Lasso, LogisticRegression
from sklearn.pipeline import make_pipeline

import bayesreg


@pytest.fixture(scope="module")
def prostate():
    X, y = bayesreg.datasets.load_prostate()
    return X.drop(columns="train").assign(lpsa=y, grade=lambda d: d["gleason"].map(
        {6: "low", 7: "mid", 8: "high", 9: "high"}))


def _manual_design(df):
    """The design of 'lpsa ~ lcavol + lweight + grade + lcavol:svi + np.log(age)' by hand
    (treatment coding, reference = first level in sorted order: 'high')."""
    return pd.DataFrame({
        "lcavol": df["lcavol"], "lweight": df["lweight"],
        "grade[T.low]": (df["grade"] == "low").astype(float),
        "grade[T.mid]": (df["grade"] == "mid").astype(float),
        "np.log(age)": np.log(df["age"]),
        "lcavol:svi": df["lcavol"] * df["svi"],
    })


FORMULA = "lpsa ~ lcavol + lweight + grade + lcavol:svi + np.log(age)"


def test_formula_design_equals_the_design_by_hand(prostate):
    res = bayesreg.fit(FORMULA, data=prostate, prior="laplace", alpha=0.02, sigma=0.7, method="map")
    manual = _manual_design(prostate)
    assert sorted(res.feature_names) == sorted(manual.columns)
    manual = manual[list(res.feature_names)]
    by_hand = bayesreg.map_estimate(manual, prostate["lpsa"], "laplace", alpha=0.02)
    np.testing.assert_allclose(res.map.coef, by_hand.coef, rtol=1e-12, atol=0)
    assert res.map.intercept == pytest.approx(by_hand.intercept, rel=1e-12)
    sk = Lasso(alpha=0.02, tol=1e-12, max_iter=100_000).fit(manual, prostate["lpsa"])
    np.testing.assert_allclose(res.map.coef, sk.coef_, rtol=1e-6, atol=1e-9)
    assert set(np.flatnonzero(res.map.coef == 0)) == set(np.flatnonzero(sk.coef_ == 0))
    # predictions on new rows go through the same encoding
    new = prostate.iloc[[3, 40, 80]].drop(columns="lpsa")
    np.testing.assert_allclose(res.predict(new), sk.predict(_manual_design(new)[list(res.feature_names)]),
                               rtol=1e-6)


def test_map_estimate_and_build_model_take_formulas(prostate):
    est = bayesreg.map_estimate("lpsa ~ lcavol + C(gleason)", data=prostate, prior="gaussian",
                                alpha=2.0)
    assert est.feature_names == ("lcavol", "C(gleason)[T.7]", "C(gleason)[T.8]", "C(gleason)[T.9]")
    model = bayesreg.build_model("lpsa ~ lcavol + C(gleason)", data=prostate, prior="gaussian",
                                 alpha=2.0, sigma=0.7)
    assert list(model.coords["feature"]) == list(est.feature_names)


def test_formula_posterior_predict_and_netcdf(prostate, tmp_path):
    res = bayesreg.fit("lpsa ~ lcavol + lweight + C(gleason) + center(age)", data=prostate,
                       prior="laplace", draws=200, tune=200, chains=2, random_seed=3,
                       progressbar=False, warn_convergence=False)
    assert res.formula is not None and "center(age)" in res.feature_names
    assert "design" in res.prior_summary().index
    # center(age) keeps the training mean: new data are centred by it, not by their own mean
    new = prostate.iloc[:5].drop(columns="lpsa")
    post = res.idata.posterior
    coef = post["coef"].mean(("chain", "draw")).to_series()
    by_hand = (float(post["intercept"].mean()) + new["lcavol"] * coef["lcavol"]
               + new["lweight"] * coef["lweight"]
               + (new["age"] - prostate["age"].mean()) * coef["center(age)"]
               + sum((new["gleason"] == g) * coef[f"C(gleason)[T.{g}]"] for g in (7, 8, 9)))
    np.testing.assert_allclose(res.predict(new), by_hand, rtol=1e-10)
    path = res.to_netcdf(tmp_path / "formula.nc")
    back = bayesreg.load(path)
    assert back.formula.formula == res.formula.formula
    np.testing.assert_allclose(back.predict(new), res.predict(new), rtol=0, atol=0)
    # the projection search takes the DataFrame too
    with warnings.catch_warnings():  # 97 rows, 50 draws: high Pareto k is expected
        warnings.simplefilter("ignore", bayesreg.BayesregWarning)
        sel = res.select("projection", X=prostate, max_size=2, n_draws=50, random_seed=1)
    assert len(sel.variables) == 2


def test_predict_refuses_unseen_levels_missing_columns_and_missing_values(prostate):
    res = bayesreg.fit("lpsa ~ lcavol + grade", data=prostate, prior="gaussian", alpha=1.0,
                       method="map")
    new = prostate.iloc[:3].drop(columns="lpsa")
    with pytest.raises(ValueError, match=r"categorical level.*'top'"):
        res.predict(new.assign(grade=["low", "top", "mid"]))
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['grade'\]"):
        res.predict(new.drop(columns="grade"))
    with pytest.raises(ValueError, match="missing values"):
        res.predict(new.assign(lcavol=[1.0, np.nan, 2.0]))
    # an array is taken as the encoded design
    design = res.formula.transform(new)
    np.testing.assert_allclose(res.predict(design.to_numpy()), res.predict(new))


def test_response_labels_for_logistic_regression():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.standard_normal(300), "g": rng.choice(["a", "b", "c"], 300)})
    eta = 0.5 + 1.5 * df["x"] - 1.0 * (df["g"] == "c")
    df["status"] = np.where(rng.uniform(size=300) < 1 / (1 + np.exp(-eta)), "sick", "well")
    res = bayesreg.fit("status ~ x + g", data=df, prior="gaussian", family="bernoulli", C=0.5,
                       method="map")
    assert res.classes == ("sick", "well")
    design = pd.get_dummies(df[["x", "g"]], columns=["g"], drop_first=True, dtype=float)
    sk = LogisticRegression(C=0.5, solver="newton-cholesky", tol=1e-12).fit(design, df["status"])
    np.testing.assert_allclose(res.map.coef, sk.coef_[0], rtol=1e-6)
    assert (res.predict(df.head(5), kind="class") == sk.predict(design.head(5))).all()


def test_one_sided_formula_with_y_and_transformed_response(prostate):
    one = bayesreg.fit("~ lcavol + lweight", prostate["lpsa"], data=prostate, prior="gaussian",
                       alpha=1.0, method="map")
    two = bayesreg.fit("lpsa ~ lcavol + lweight", data=prostate, prior="gaussian", alpha=1.0,
                       method="map")
    np.testing.assert_array_equal(one.map.coef, two.map.coef)
    logged = bayesreg.fit("np.exp(lpsa) ~ lcavol", data=prostate, prior="gaussian", alpha=1.0,
                          method="map")
    direct = bayesreg.map_estimate(prostate[["lcavol"]], np.exp(prostate["lpsa"]), "gaussian",
                                   alpha=1.0)
    np.testing.assert_allclose(logged.map.coef, direct.coef, rtol=1e-12)


@pytest.mark.parametrize("formula", ["lpsa ~ lcavol - 1", "lpsa ~ lcavol + 0", "lpsa ~ 0 + lcavol"])
def test_formula_without_intercept_is_refused(prostate, formula):
    with pytest.raises(ValueError, match=r"removes the intercept.*flat prior"):
        bayesreg.fit(formula, data=prostate, prior="gaussian", alpha=1.0, method="map")


def test_bad_formula_inputs_raise_before_any_work(prostate):
    with pytest.raises(TypeError, match="needs data="):
        bayesreg.fit("lpsa ~ lcavol")
    with pytest.raises(TypeError, match="data= is used only with a formula"):
        bayesreg.fit(prostate[["lcavol"]], prostate["lpsa"], data=prostate)
    with pytest.raises(TypeError, match="y must be omitted"):
        bayesreg.fit("lpsa ~ lcavol", prostate["lpsa"], data=prostate)
    with pytest.raises(ValueError, match="has no response"):
        bayesreg.fit("~ lcavol", data=prostate)
    with pytest.raises(ValueError, match="no predictors"):
        bayesreg.fit("lpsa ~ 1", data=prostate)
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['nope'\]|nope"):
        bayesreg.fit("lpsa ~ nope", data=prostate)
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        bayesreg.fit("lpsa ~ lcavol", data=[1, 2, 3])
    with pytest.raises(ValueError, match="missing values"):
        bayesreg.fit("lpsa ~ lcavol", data=prostate.assign(lcavol=np.nan))
    before = prostate.copy()
    bayesreg.fit("lpsa ~ lcavol + grade", data=prostate, prior="gaussian", alpha=1.0, method="map")
    pd.testing.assert_frame_equal(prostate, before)  # nothing the user passed is modified


def test_stored_formula_refuses_foreign_pickles(prostate, tmp_path):
    res = bayesreg.fit("lpsa ~ lcavol", data=prostate, prior="gaussian", alpha=1.0, method="map")
    meta = res.formula.to_dict()
    meta["spec"] = base64.b64encode(pickle.dumps(print)).decode("ascii")
    with pytest.raises(pickle.UnpicklingError, match=r"refusing to load builtins\.print"):
        type(res.formula).from_dict(meta)


def test_formula_transformer_in_a_pipeline(prostate):
    X = prostate.drop(columns="lpsa")
    pipe = make_pipeline(bayesreg.FormulaTransformer("~ lcavol + lweight + grade"),
                         bayesreg.PriorRegressor("laplace", alpha=0.03))
    pipe.fit(X, prostate["lpsa"])
    direct = bayesreg.fit("lpsa ~ lcavol + lweight + grade", data=prostate, prior="laplace",
                          alpha=0.03, method="map")
    np.testing.assert_allclose(pipe[-1].coef_, direct.map.coef, rtol=1e-12)
    np.testing.assert_allclose(pipe.predict(X.head(4)), direct.predict(X.head(4)), rtol=1e-12)
    assert list(pipe[0].get_feature_names_out()) == list(direct.feature_names)
    assert pipe[0].get_params() == {"formula": "~ lcavol + lweight + grade"}
    with pytest.raises(ValueError, match="removes the intercept"):
        bayesreg.FormulaTransformer("~ lcavol - 1").fit(X)


def test_compare_priors_takes_a_formula(prostate):
    comp = bayesreg.compare_priors("lpsa ~ lcavol + lweight + grade", data=prostate,
                                   priors=("gaussian", "laplace"), alpha=0.05, draws=100,
                                   tune=100, chains=1, random_seed=2, progressbar=False,
                                   warn_convergence=False)
    table = comp.summary()
    manual = _manual_design(prostate)[["lcavol", "lweight", "grade[T.low]", "grade[T.mid]"]]
    assert list(table.loc["laplace"].index) == list(manual.columns)
    sk = Lasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(manual, prostate["lpsa"])
    np.testing.assert_allclose(table.loc["laplace", "map"], sk.coef_, rtol=1e-6, atol=1e-9)
    new = prostate.head(3).drop(columns="lpsa")
    assert comp["laplace"].predict(new).shape == (3,)
