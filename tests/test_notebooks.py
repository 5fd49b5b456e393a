"""The teaching notebooks run top to bottom and their committed copies are current.

Each ``notebooks/NN_name.py`` (jupytext percent format) is executed from scratch in a fresh
kernel of this interpreter, in a temporary working directory, with ``BAYESREG_SMOKE=1`` (fewer
posterior draws). Every claim a notebook makes is an ``assert`` in a code cell, so a wrong claim
fails here. The executed ``.ipynb`` copies are rebuilt with ``python notebooks/build.py``.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"


def _load_builder():
    spec = importlib.util.spec_from_file_location("bayesreg_notebook_build", NOTEBOOK_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_builder()
SOURCES = build.notebook_sources()
SMOKE_BUDGET_SECONDS = 120  # each notebook is meant to take well under 40 s in smoke mode


def test_notebooks_are_present():
    names = [s.stem for s in SOURCES]
    numbers = [n[:2] for n in names]
    # 01-07 and 09 (selection) at least; others (e.g. 08) may be added alongside
    assert {"01", "02", "03", "04", "05", "06", "07", "09"} <= set(numbers), names
    assert "09_selection" in names
    assert numbers == sorted(set(numbers)), names  # one source per number


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_runs_in_smoke_mode(source, tmp_path):
    start = time.perf_counter()
    nb = build.execute_notebook(source, smoke=True, cwd=tmp_path, timeout=300)
    elapsed = time.perf_counter() - start
    errors = [out for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors
    assert elapsed < SMOKE_BUDGET_SECONDS, f"{source.name} took {elapsed:.0f} s in smoke mode"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_conventions(source):
    """A RANDOM_SEED cell first and the smoke switch read from the environment."""
    nb = build.read_source(source)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code, f"{source.name} has no code"
    assert "RANDOM_SEED = " in code[0], "the first code cell must set RANDOM_SEED"
    assert 'SMOKE = os.environ.get("BAYESREG_SMOKE") == "1"' in code[0]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_copy_is_executed_and_current(source):
    """The .ipynb next to each source has the same cells, full-mode outputs and no errors."""
    import nbformat

    target = source.with_suffix(".ipynb")
    assert target.exists(), f"missing {target.name}: run python notebooks/build.py"
    executed = nbformat.read(target, as_version=4)
    fresh = build.read_source(source)
    assert [(c.cell_type, c.source) for c in executed.cells] == \
        [(c.cell_type, c.source) for c in fresh.cells], \
        f"{target.name} is out of date with {source.name}: run python notebooks/build.py"
    assert executed.metadata.get("bayesreg", {}).get("smoke") is False, \
        f"{target.name} was not built with full settings"
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), f"{target.name} has unexecuted cells"
    outputs = [out for c in code for out in c.get("outputs", [])]
    assert outputs, f"{target.name} has no outputs"
    assert not [o for o in outputs if o.get("output_type") == "error"]
