"""The command line: ``bayesreg compare`` writes its figures and tables; ``demo`` still runs."""

import os
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import bayesreg
import bayesreg.compare
from bayesreg.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FAST = ["--draws", "100", "--chains", "2", "--seed", "11"]
FIGURES = ["shrinkage.png", "posteriors.png", "shrinkage_profile.png", "penalty_geometry.png",
           "penalty_gradients.png"]


def _is_png(path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(8) == PNG_MAGIC


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def test_compare_diabetes_writes_figures_and_tables(tmp_path, capsys):
    out = tmp_path / "diabetes"
    code = main(["compare", *FAST, "--n-alphas", "3", "--path-draws", "50", "--out", str(out)])
    assert code == 0
    # default priors: gaussian, laplace, horseshoe; the horseshoe has no MAP, so no path
    expected = FIGURES + [f"prior_posterior_{prior}.png"
                          for prior in ("gaussian", "laplace", "horseshoe")]
    expected += [f"regularization_path_{prior}.png" for prior in ("gaussian", "laplace")]
    for name in expected:
        assert _is_png(out / name), name
    assert not (out / "regularization_path_horseshoe.png").exists()
    table = pd.read_csv(out / "summary.csv", index_col=["prior", "feature"])
    assert table.shape == (30, 12)
    assert table.loc["horseshoe", "map"].isna().all()
    penalized = table[table.index.get_level_values("prior") != "horseshoe"]
    assert np.max(np.abs(penalized["map"] - penalized["sklearn"])) < \
        1e-6 * np.max(np.abs(penalized["map"]))
    loo = pd.read_csv(out / "loo.csv", index_col="prior")
    assert sorted(loo.index) == ["gaussian", "horseshoe", "laplace"]
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert md.startswith("# bayesreg compare")
    assert "all 442 rows" in md and "Lasso(alpha=" in md and "Ridge(alpha=" in md
    assert "no MAP" in md
    rows = _table_rows(md)
    assert len(rows) == (1 + 30) + (1 + 3)  # header + rows, for the summary and for LOO
    assert rows[0].startswith("| prior | feature | ols | map | sklearn |")
    printed = capsys.readouterr().out
    assert str(out) in printed and "summary.md" in printed and "PSIS-LOO" in printed
    assert "regularization path skipped for horseshoe: no MAP" in printed


def test_compare_prostate_uses_standardised_training_rows(tmp_path, capsys):
    out = tmp_path / "prostate"
    assert main(["compare", "--data", "prostate", "--priors", "laplace", *FAST, "--n-alphas", "0",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out / "summary.csv", index_col=["prior", "feature"])
    assert table.shape == (8, 12)
    X, y = bayesreg.datasets.load_prostate(split="train")
    Xs = (X - X.mean()) / X.std(ddof=0)
    ols = np.linalg.lstsq(np.column_stack([np.ones(len(y)), Xs]), y, rcond=None)[0][1:]
    np.testing.assert_allclose(table.loc["laplace", "ols"], ols, rtol=1e-8)
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "67 training rows" in md and "standardised to mean 0 and sd 1" in md
    assert not list(out.glob("regularization_path_*.png"))  # --n-alphas 0 skips the paths
    assert "67 training rows" in capsys.readouterr().out


def test_compare_csv_with_target(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["resp"] = 2.0 * X[:, 0] - X[:, 2] + rng.normal(size=60)
    csv = tmp_path / "data.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "csv"
    assert main(["compare", "--data", str(csv), "--target", "resp", "--priors", "lasso",
                 "--standardize", *FAST, "--n-alphas", "0", "--out", str(out)]) == 0
    table = pd.read_csv(out / "summary.csv", index_col=["prior", "feature"])
    assert list(table.index) == [("lasso", f) for f in "abc"]
    assert _is_png(out / "prior_posterior_lasso.png")
    assert "divided by their sds (--standardize)" in (out / "summary.md").read_text(encoding="utf-8")
    # --standardize puts the prior on X / sd(X) but reports in the data's units: the OLS column
    # is the raw least-squares fit and the MAP is StandardScaler + Lasso mapped back
    ols = np.linalg.lstsq(np.column_stack([np.ones(60), X]), frame["resp"], rcond=None)[0][1:]
    np.testing.assert_allclose(table["ols"], ols, rtol=1e-6)
    np.testing.assert_allclose(table["map"], table["sklearn"], rtol=1e-5, atol=1e-8)


def test_compare_and_select_take_a_formula(tmp_path, capsys):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=80), "g": rng.choice(["u", "v", "w"], 80)})
    frame["resp"] = frame["a"] + (frame["g"] == "w") + rng.normal(size=80)
    csv = tmp_path / "cat.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "formula"
    assert main(["compare", "--data", str(csv), "--formula", "resp ~ a + C(g) + a:C(g)",
                 "--priors", "gaussian", *FAST, "--n-alphas", "0", "--out", str(out)]) == 0
    table = pd.read_csv(out / "summary.csv", index_col=["prior", "feature"])
    assert list(table.loc["gaussian"].index) == ["a", "C(g)[T.v]", "C(g)[T.w]", "a:C(g)[T.v]",
                                                 "a:C(g)[T.w]"]
    assert "formula resp ~ a + C(g) + a:C(g)" in capsys.readouterr().out
    sel = tmp_path / "sel"
    assert main(["select", "--data", "prostate", "--formula", "lpsa ~ lcavol + lweight + svi",
                 "--prior", "laplace", "--method", "interval", *FAST, "--out", str(sel)]) == 0
    assert set(pd.read_csv(sel / "selection.csv").iloc[:, 0]) == {"lcavol", "lweight", "svi"}
    assert main(["compare", "--data", str(csv), "--formula", "resp ~ a - 1", *FAST,
                 "--out", str(out)]) == 2
    assert "removes the intercept" in capsys.readouterr().err
    assert main(["compare", "--data", str(csv), "--formula", "resp ~ a", "--target", "resp",
                 *FAST, "--out", str(out)]) == 2
    assert "drop --target" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "nowhere.csv"], "existing CSV"),
        (["--data", "{csv}"], "--target"),
        (["--data", "{csv}", "--target", "nope"], "not a column"),
        (["--data", "{csv}", "--target", "y"], "non-numeric"),
        (["--target", "y"], "only for CSV"),
        (["--priors", "lapalce"], "prior must be one of"),
        (["--priors", "elasticnet"], "elastic-net prior does not have.*gaussian, laplace"),
        (["--priors", " , "], "at least one prior"),
    ],
)
def test_compare_rejects_bad_arguments(tmp_path, capsys, args, message):
    csv = tmp_path / "bad.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "group": ["a", "b", "c"], "y": [1.0, 0.0, 2.0]}).to_csv(
        csv, index=False)
    args = [a.replace("{csv}", str(csv)) for a in args]
    assert main(["compare", *args, "--out", str(tmp_path / "out")]) == 2
    assert re.search(message, capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


@pytest.mark.filterwarnings("ignore::bayesreg.ConvergenceWarning")
def test_demo_still_runs(tmp_path, capsys):
    png = tmp_path / "demo.png"
    assert main(["demo", "--draws", "100", "--seed", "3", "--out", str(png)]) == 0
    assert _is_png(png)
    assert "max |MAP - sklearn|" in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    assert main([]) == 1
    assert "compare" in capsys.readouterr().out


# -- user errors: `bayesreg <cmd>: error: ...`, exit code 2, no traceback, nothing fitted --------


@pytest.fixture
def no_fitting(monkeypatch):
    """Fail if the command starts fitting: every check must come first."""

    def boom(*args, **kwargs):
        raise AssertionError("compare_priors was called before the bad input was rejected")

    monkeypatch.setattr(bayesreg.compare, "compare_priors", boom)


def _usage_error(capsys, command: str = "compare") -> str:
    err = capsys.readouterr().err
    assert f"bayesreg {command}: error: " in err
    assert "Traceback" not in err
    return err


def _write_bad_csv(path, kind: str) -> None:
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(PNG_MAGIC + bytes(range(256)) * 8)
    elif kind == "nan":
        path.write_text("a,b,y\n1,2,3\n4,,5\n6,7,8\n")
    elif kind == "text_target":
        path.write_text("a,b,y\n1,2,low\n4,5,high\n6,7,low\n")
    elif kind == "header_only":
        path.write_text("a,b,y\n")


@pytest.mark.parametrize(("kind", "message"), [
    ("empty", "is empty"),
    ("binary", "binary file"),
    ("nan", "missing (NaN) or infinite values in column(s) ['b']"),
    ("text_target", "--target column 'y'"),
    ("header_only", "no data rows"),
])
def test_compare_rejects_bad_csv(tmp_path, capsys, no_fitting, kind, message):
    csv = tmp_path / "data.csv"
    _write_bad_csv(csv, kind)
    out = tmp_path / "out"
    assert main(["compare", "--data", str(csv), "--target", "y", "--out", str(out)]) == 2
    err = _usage_error(capsys)
    assert message in err and str(csv) in err
    assert not out.exists()


def test_compare_out_under_a_file(tmp_path, capsys, no_fitting):
    afile = tmp_path / "afile"
    afile.write_text("x")
    out = afile / "sub"
    assert main(["compare", "--out", str(out)]) == 2
    err = _usage_error(capsys)
    assert f"--out {str(out)!r} cannot be created" in err and "is a file" in err


def test_compare_out_is_an_existing_file(tmp_path, capsys, no_fitting):
    out = tmp_path / "results.txt"
    out.write_text("keep me")
    assert main(["compare", "--out", str(out)]) == 2
    assert "exists and is not a directory" in _usage_error(capsys)
    assert out.read_text() == "keep me"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_compare_out_unwritable(capsys, no_fitting):
    out = "/proc/self/bayesreg-out"  # not creatable even by root
    assert main(["compare", "--out", out]) == 2
    assert f"--out {out!r}" in _usage_error(capsys)
    assert not os.path.exists(out)


@pytest.mark.parametrize("command", ["compare", "demo"])
def test_negative_seed(tmp_path, capsys, no_fitting, command):
    out = tmp_path / ("out" if command == "compare" else "demo.png")
    assert main([command, "--seed", "-1", "--out", str(out)]) == 2
    assert "--seed must be a non-negative integer; got -1" in _usage_error(capsys, command)
    assert not out.exists()


@pytest.mark.parametrize(("where", "message"), [
    ("missing/x.png", "does not exist"),
    ("afile/x.png", "is a file, not a directory"),
    (".", "is a directory"),
    ("figure.txt", "unsupported figure format 'txt'"),
])
def test_demo_checks_figure_path_before_fitting(tmp_path, capsys, no_fitting, where, message):
    (tmp_path / "afile").write_text("x")
    out = tmp_path / where
    assert main(["demo", "--draws", "10", "--out", str(out)]) == 2
    err = _usage_error(capsys, "demo")
    assert message in err and "--out" in err


def test_demo_checks_unwritable_directory_before_fitting(tmp_path, capsys, no_fitting,
                                                         monkeypatch):
    """As root chmod does not stop writes, so simulate a read-only directory."""
    import errno
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert main(["demo", "--out", str(tmp_path / "demo.png")]) == 2
    assert "is not writable (Read-only file system)" in _usage_error(capsys, "demo")


def test_validation_errors_inside_a_command_are_usage_errors(tmp_path, capsys, monkeypatch):
    from bayesreg._validation import check_int

    def validating(*args, **kwargs):
        check_int(0, "draws", 1)

    monkeypatch.setattr(bayesreg.compare, "compare_priors", validating)
    assert main(["compare", "--n-alphas", "0", "--out", str(tmp_path / "out")]) == 2
    assert "draws must be >= 1" in _usage_error(capsys)


def test_internal_errors_keep_their_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("internal failure")

    monkeypatch.setattr(bayesreg.compare, "compare_priors", broken)
    with pytest.raises(ValueError, match="internal failure"):
        main(["compare", "--n-alphas", "0", "--out", str(tmp_path / "out")])


# -- --strength: fair comparisons ----------------------------------------------------------------


def test_compare_strength_cv(tmp_path, capsys):
    from bayesreg.compare import cv_alpha

    out = tmp_path / "cv"
    assert main(["compare", "--data", "prostate", "--priors", "gaussian,laplace",
                 "--strength", "cv", "--cv-folds", "3", *FAST, "--n-alphas", "0",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out / "summary.csv", index_col=["prior", "feature"])
    X, y = bayesreg.datasets.load_prostate(split="train")
    Xs = (X - X.mean()) / X.std(ddof=0)
    for name in ("gaussian", "laplace"):  # the alpha chosen on the same (standardised) data
        alpha = cv_alpha(Xs, y, name, cv=3, progressbar=False).alpha
        np.testing.assert_allclose(table.loc[name, "alpha"], alpha, rtol=1e-12)
        assert (table.loc[name, "strength"] == f"α = {alpha:.3g}, 3-fold CV").all()
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "(α chosen by 3-fold cross-validation, σ unknown" in md
    assert "chosen by 3-fold cross-validation (smallest mean held-out mean squared error" in md
    printed = capsys.readouterr().out
    assert "strengths: gaussian α = " in printed and "3-fold CV" in printed
    assert re.search(r"PSIS-LOO: The (gaussian|laplace) (and|prior predicts better than) ",
                     printed)
    assert "Δelpd = " in printed


def test_compare_standardize_draws_the_paths_in_the_data_units(tmp_path, monkeypatch):
    """--standardize puts the paths' prior on X / sd(X) but passes the data as they are, so the
    path figures are in the data's units like every other output."""
    import bayesreg.map

    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 2)) * [1.0, 100.0]
    frame = pd.DataFrame(X, columns=["small", "large"])
    frame["resp"] = X[:, 0] + 0.01 * X[:, 1] + rng.normal(size=50)
    csv = tmp_path / "data.csv"
    frame.to_csv(csv, index=False)
    seen = []
    for module, name in ((bayesreg.compare, "posterior_path"), (bayesreg.map, "map_path")):
        real = getattr(module, name)

        def spy(X, y, prior, *args, _real=real, _name=name, **kwargs):
            out = _real(X, y, prior, *args, **kwargs)
            seen.append((_name, np.asarray(X).copy(), kwargs.get("standardize"), out))
            return out

        monkeypatch.setattr(module, name, spy)
    assert main(["compare", "--data", str(csv), "--target", "resp", "--priors", "lasso",
                 "--standardize", *FAST, "--n-alphas", "2", "--path-draws", "30",
                 "--out", str(tmp_path / "out")]) == 0
    calls = [call for call in seen if call[2] is not None]
    assert {name for name, *_ in calls} == {"posterior_path", "map_path"}
    for _, given, standardize, out in calls:
        np.testing.assert_array_equal(given, X)  # the data as they are ...
        assert standardize is True and out.x_scale is not None  # ... the prior on X / sd(X)
    assert (tmp_path / "out" / "regularization_path_lasso.png").exists()


def test_compare_strength_cv_for_logistic_regression_chooses_C(tmp_path, capsys):
    from bayesreg.compare import cv_C

    X, y = bayesreg.datasets.load_breast_cancer()
    frame = X.iloc[:150, :3].set_axis(["radius", "texture", "perimeter"], axis=1)
    frame["diagnosis"] = y.iloc[:150].to_numpy()
    csv = tmp_path / "cancer.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "cv"
    assert main(["compare", "--data", str(csv), "--target", "diagnosis", "--family", "bernoulli",
                 "--priors", "gaussian,laplace", "--strength", "cv", "--cv-folds", "3",
                 "--standardize", *FAST, "--n-alphas", "0", "--out", str(out)]) == 0
    table = pd.read_csv(out / "summary.csv", index_col=["prior", "feature"])
    X_std = frame.iloc[:, :3] / frame.iloc[:, :3].std(ddof=0)
    for name in ("gaussian", "laplace"):  # StratifiedKFold(3) on the standardized predictors
        C = cv_C(X_std, frame["diagnosis"], name, cv=3, progressbar=False).C
        assert (table.loc[name, "strength"] == f"C = {C:.3g}, 3-fold CV").all()
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "C chosen by 3-fold cross-validation" in md and "held-out log loss" in md
    assert "strengths: gaussian C = " in capsys.readouterr().out


def test_compare_strength_given_as_json_reaches_compare_priors(tmp_path, monkeypatch):
    """A prior without a default strength (the elastic net) is fine when --strength gives one."""
    seen = {}

    class Stop(Exception):
        pass

    def record(X, y, priors, **kwargs):
        seen.update(kwargs, priors=priors)
        raise Stop

    monkeypatch.setattr(bayesreg.compare, "compare_priors", record)
    with pytest.raises(Stop):
        main(["compare", "--priors", "ridge,lasso,elasticnet", "--strength",
              '{"ridge": 10, "lasso": {"alpha": 0.05}, "enet": 0.1}', "--out",
              str(tmp_path / "out")])
    assert seen["priors"] == ["ridge", "lasso", "elasticnet"]
    assert seen["strength"] == {"ridge": 10, "lasso": {"alpha": 0.05}, "enet": 0.1}
    assert "cv" not in seen and seen["family"] == "gaussian"


def test_parse_strength_pairs():
    from bayesreg.cli import _parse_strength

    assert _parse_strength(" cv ") == "cv"
    assert _parse_strength("gaussian=10, laplace=0.1") == {"gaussian": 10.0, "laplace": 0.1}
    assert _parse_strength('{"laplace": {"scale": 2}}') == {"laplace": {"scale": 2}}


@pytest.mark.parametrize(("args", "message"), [
    (["--strength", "big"], "--strength must be 'hyperprior', 'cv', name=value pairs"),
    (["--strength", "laplace=small"], "--strength must be"),
    (["--strength", "{laplace: 1}"], "--strength: not valid JSON"),
    (["--strength", "[1, 2]"], "--strength must be"),
    (["--cv-folds", "3"], "--cv-folds is used only with --strength cv"),
])
def test_compare_rejects_bad_strength_before_fitting(tmp_path, capsys, no_fitting, args, message):
    assert main(["compare", *args, "--out", str(tmp_path / "out")]) == 2
    assert message in _usage_error(capsys)
    assert not (tmp_path / "out").exists()


def test_compare_strength_naming_no_prior_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("bayesreg.api.fit", lambda *a, **k: pytest.fail("fitted before the check"))
    assert main(["compare", "--priors", "gaussian,laplace", "--strength", "lapalce=0.1",
                 "--out", str(tmp_path / "out")]) == 2
    assert "['lapalce'] that name none of the priors" in _usage_error(capsys)


# -- what a user sees: the demo table and the help texts ------------------------------------------


@pytest.mark.filterwarnings("ignore::bayesreg.ConvergenceWarning")
def test_demo_table_marks_exact_zeros_and_never_prints_minus_zero(tmp_path, capsys):
    assert main(["demo", "--draws", "60", "--seed", "3", "--out", str(tmp_path / "d.png")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("feature"))
    rows = {line.split()[0]: line for line in lines[start + 2:start + 12]}
    assert list(rows) == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    for line in rows.values():  # a number that rounds to 0 is printed without its sign
        assert not re.search(r"-0(\.0+)?(?![\d.])", line), line
    zeros = re.search(r"Lasso/Laplace-MAP exact zeros: (.*)", out).group(1).split(", ")
    assert zeros and zeros != ["none"]  # the demo shows the Lasso's zeros at this seed
    for feat, line in rows.items():
        cells = line.split()[1:6]  # OLS, Ridge, MAP(G), Lasso, MAP(L)
        if feat in zeros:
            assert cells[3:] == ["0*", "0*"]
        else:
            assert "0*" not in cells
        assert cells[0] != "0*"  # OLS is never exactly 0
    header = lines[start]  # the 0 of "0*" sits under the units digit of the other rows
    for feat in zeros:
        column_end = header.index("MAP(L)") + len("MAP(L)")
        assert rows[feat][column_end - 3:column_end] == "0* "
    assert "* exact zero" in out


@pytest.mark.parametrize("command", [[], ["demo"], ["compare"], ["select"]])
def test_help_texts_have_no_formatting_artefacts(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "usage: bayesreg" in text
    assert not re.search(r"%%|%\(|\\[nt]|\{\w*\}", text), text
    if command == ["demo"]:
        assert "94% HDIs" in text and "0*" in text
