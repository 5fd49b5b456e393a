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
    assert table.shape == (30, 11)
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
    assert table.shape == (8, 11)
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
    assert "standardised" in (out / "summary.md").read_text(encoding="utf-8")


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
