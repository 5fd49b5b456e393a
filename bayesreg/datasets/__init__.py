"""Data sets shipped with bayesreg (loaded from package data, no network)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["load_diabetes", "load_prostate"]


def _read_csv(name: str):
    import pandas as pd

    try:  # installed: the top-level data/ folder is packaged as bayesreg.datasets.data
        resource = resources.files("bayesreg.datasets.data").joinpath(name)
    except ModuleNotFoundError:  # imported straight from a source checkout
        resource = Path(__file__).resolve().parents[2] / "data" / name
    with resource.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def load_diabetes():
    """The diabetes data of Efron, Hastie, Johnstone & Tibshirani (2004): 442 patients, 10 predictors.

    Predictors are standardised as scikit-learn ships them: each column centred and scaled to unit
    Euclidean norm. The response is a quantitative measure of disease progression one year after
    baseline.

    Returns
    -------
    X : DataFrame (442, 10)
        Columns ``age, sex, bmi, bp, s1, s2, s3, s4, s5, s6``.
    y : Series (442,)
        Named ``"target"``.
    """
    frame = _read_csv("diabetes.csv")
    return frame.drop(columns="target"), frame["target"]


def load_prostate(split: str | None = None):
    """The prostate cancer data (Stamey et al. 1989) of *The Elements of Statistical Learning*, §3.2.

    Parameters
    ----------
    split : {None, "train", "test"}
        None returns all 97 rows with the boolean column ``train`` (67 training rows); "train"/"test"
        return that part without the column.

    Returns
    -------
    X : DataFrame
        ``lcavol, lweight, age, lbph, svi, lcp, gleason, pgg45`` (unstandardised), plus ``train``
        when ``split`` is None.
    y : Series
        ``lpsa`` (log prostate-specific antigen).
    """
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be None, 'train' or 'test'; got {split!r}")
    frame = _read_csv("prostate.csv")
    frame["train"] = frame["train"].astype(str).str.lower().map({"true": True, "false": False})
    if split is not None:
        frame = frame[frame["train"] == (split == "train")].drop(columns="train").reset_index(drop=True)
    return frame.drop(columns="lpsa"), frame["lpsa"]
