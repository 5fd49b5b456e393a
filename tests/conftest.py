"""Shared fixtures; plots render headless."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import bayesreg

SEED = 20240611


@pytest.fixture(scope="session")
def diabetes():
    return bayesreg.datasets.load_diabetes()


@pytest.fixture(scope="session")
def data(diabetes):
    """The diabetes data (alias used by the comparison and plot tests)."""
    return diabetes


@pytest.fixture(scope="session")
def comparison(diabetes):
    """Default priors (random scales, σ unknown), 2 chains × 300 draws: one fit shared by the
    comparison and plot tests."""
    from bayesreg.compare import compare_priors

    X, y = diabetes
    return compare_priors(X, y, ("gaussian", "laplace"), draws=300, tune=300, chains=2,
                          random_seed=SEED, progressbar=False, warn_convergence=False)


@pytest.fixture(scope="session")
def laplace_path(diabetes):
    """A short Bayesian regularization path under the Laplace prior."""
    from bayesreg.compare import posterior_path

    X, y = diabetes
    return posterior_path(X, y, "laplace", n_alphas=4, draws=200, random_seed=SEED)


@pytest.fixture
def rng():
    return np.random.default_rng(20081001)
