"""The command line: ``bayesreg compare`` writes its figures and tables; ``demo`` still runs."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import bayesreg
from bayesreg.cli import _markdown_table, main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FAST = ["--draws", "100", "--chains", "2", "--seed", "11"]
FIGURES = ["shrinkage.png", "posteriors.png", "penalty_geometry.png", "penalty_gradients.png"]


def _is_png(path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(8) == PNG_MAGIC


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def test_compare_diabetes_writes_figures_and_tables(tmp_path, capsys):
    out = tmp_path / "diabetes"
    code = main(["compare", *FAST, "--n-alphas", "3", "--path-draws", "50", "--out", str(out)])
    assert code == 0
    expected = FIGURES + [f"{kind}_{prior}.png" for kind in ("prior_posterior",
                                                             "regularization_path")
                          for prior in ("gaussian", "laplace")]
    for name in expected:
        assert _is_png(out / name), name
    table = pd.read_csv(out / "summary.csv", index_col=["prior", "feature"])
    assert table.shape == (20, 11)
    assert np.max(np.abs(table["map"] - table["sklearn"])) < 1e-6 * np.max(np.abs(table["map"]))
    loo = pd.read_csv(out / "loo.csv", index_col="prior")
    assert sorted(loo.index) == ["gaussian", "laplace"]
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert md.startswith("# bayesreg compare")
    assert "all 442 rows" in md and "Lasso(alpha=" in md and "Ridge(alpha=" in md
    rows = _table_rows(md)
    assert len(rows) == (1 + 20) + (1 + 2)  # header + rows, for the summary and for LOO
    assert rows[0].startswith("| prior | feature | ols | map | sklearn |")
    printed = capsys.readouterr().out
    assert str(out) in printed and "summary.md" in printed and "PSIS-LOO" in printed


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
        (["--priors", "elasticnet"], "Gaussian and Laplace"),
        (["--priors", " , "], "at least one prior"),
    ],
)
def test_compare_rejects_bad_arguments(tmp_path, capsys, args, message):
    csv = tmp_path / "bad.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "group": ["a", "b", "c"], "y": [1.0, 0.0, 2.0]}).to_csv(
        csv, index=False)
    args = [a.replace("{csv}", str(csv)) for a in args]
    assert main(["compare", *args, "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
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


def test_markdown_table_without_tabulate():
    frame = pd.DataFrame({"prior": ["a|b", "c"], "value": [0.0, 1234.5678], "n": [1, 2]})
    assert _markdown_table(frame.set_index("prior")) == "\n".join([
        "| prior | value | n |",
        "|:---|---:|---:|",
        "| a\\|b | 0 | 1 |",
        "| c | 1235 | 2 |",
    ])
