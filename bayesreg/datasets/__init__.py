"""Data sets shipped with bayesreg (loaded from package data, no network)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["load_breast_cancer", "load_diabetes", "load_prostate"]


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


def load_breast_cancer():
    """The Wisconsin diagnostic breast cancer data (Street, Wolberg & Mangasarian 1993): 569 tumours.

    30 features of the cell nuclei in a fine-needle aspirate image (mean, standard error and
    worst value of radius, texture, perimeter, area, smoothness, compactness, concavity, concave
    points, symmetry and fractal dimension), in their natural units (unstandardised). The copy
    scikit-learn ships (``sklearn.datasets.load_breast_cancer``), from the UCI Machine Learning
    Repository (Wolberg, Mangasarian, Street & Street, "Breast Cancer Wisconsin (Diagnostic)",
    1995, CC BY 4.0; see ``data/README.md``).

    Returns
    -------
    X : DataFrame (569, 30)
        Columns named as in scikit-learn (``"mean radius"``, ..., ``"worst fractal dimension"``).
    y : Series (569,)
        ``diagnosis``: ``"malignant"`` (212) or ``"benign"`` (357). With ``family="bernoulli"``
        the modelled class is ``"malignant"`` (the second label in sorted order). scikit-learn's
        ``target`` codes malignant as 0, so its coefficients have the opposite sign.
    """
    frame = _read_csv("breast_cancer.csv")
    return frame.drop(columns="diagnosis"), frame["diagnosis"]
