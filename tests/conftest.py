"""Shared fixtures; plots render headless."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import bayesreg


@pytest.fixture(scope="session")
def diabetes():
    return bayesreg.datasets.load_diabetes()


@pytest.fixture
def rng():
    return np.random.default_rng(20081001)
