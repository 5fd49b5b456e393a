"""Progress displays: StepProgress, and the long loops that show one (MAP paths, selection)."""

import numpy as np
import pytest
from conftest import SEED

import bayesreg
from bayesreg._progress import StepProgress


def test_step_progress_shows_steps_done_and_nothing_when_off(capsys):
    with StepProgress("a long loop", total=3, enabled=True) as bar:
        for _ in range(3):
            bar.advance()
    err = capsys.readouterr().err
    assert "a long loop" in err and "3/3" in err
    with StepProgress("a long loop", total=3, enabled=False) as bar:
        bar.advance(3)
    assert capsys.readouterr().err == ""


def test_map_path_progress_one_step_per_penalty(diabetes, capsys):
    X, y = diabetes
    shown = bayesreg.map_path(X, y, "laplace", n_alphas=30, progressbar=True)
    err = capsys.readouterr().err
    assert "Laplace MAP path" in err and "30/30" in err
    quiet = bayesreg.map_path(X, y, "laplace", n_alphas=30, progressbar=False)
    assert capsys.readouterr().err == ""
    np.testing.assert_array_equal(shown.coef, quiet.coef)
    bayesreg.map_path(X, y, "gaussian", n_alphas=30, progressbar=True)  # one SVD: no steps
    assert capsys.readouterr().err == ""
    with pytest.raises(TypeError, match="progressbar must be True or False or None"):
        bayesreg.map_path(X, y, progressbar="yes")


@pytest.mark.filterwarnings("ignore::bayesreg.BayesregWarning")  # short chains, few draws
def test_projection_search_progress_one_step_per_size(diabetes, capsys):
    X, y = diabetes
    res = bayesreg.fit(X, y, "horseshoe", draws=100, tune=100, chains=2, random_seed=SEED,
                       progressbar=False)
    capsys.readouterr()
    shown = res.select(X=X, max_size=6, progressbar=True)
    err = capsys.readouterr().err
    assert "projection forward search" in err and "7/7" in err  # sizes 0 to 6
    quiet = res.select(X=X, max_size=6, progressbar=False)
    assert capsys.readouterr().err == ""
    assert shown.variables == quiet.variables
    np.testing.assert_array_equal(shown.path["elpd"], quiet.path["elpd"])
    with pytest.raises(TypeError, match="progressbar must be True or False or None"):
        res.select(X=X, progressbar=1)
