"""Shared fixtures; plots render headless."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bayesreg  # noqa: E402


@pytest.fixture(scope="session")
def diabetes():
    return bayesreg.datasets.load_diabetes()


@pytest.fixture
def rng():
    return np.random.default_rng(20081001)
