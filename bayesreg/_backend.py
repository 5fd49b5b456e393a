"""Lazy, quiet imports of the heavy backends (PyMC/PyTensor, ArviZ) and thread settings."""

from __future__ import annotations

import contextlib
import os
import sys
import warnings

__all__ = ["import_arviz", "import_pymc", "single_threaded_blas"]


def _configure_pytensor() -> None:
    """Tell PyTensor not to look for a system BLAS (pip wheels have none it can link).

    Without this PyTensor prints a warning at every import; with an explicit empty
    ``blas__ldflags`` it uses NumPy for matrix products instead. Users who configured
    ``PYTENSOR_FLAGS`` themselves keep their setting.
    """
    if "pytensor" in sys.modules:
        return
    flags = os.environ.get("PYTENSOR_FLAGS", "")
    if "blas__ldflags" not in flags:
        os.environ["PYTENSOR_FLAGS"] = ",".join(f for f in (flags, "blas__ldflags=") if f)


def import_arviz():
    """Import arviz without its once-a-day FutureWarning about the 1.0 refactor."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ArviZ is undergoing", category=FutureWarning)
        import arviz

    return arviz


def import_pymc():
    """Import PyMC (and PyTensor) on first use only."""
    _configure_pytensor()
    import_arviz()
    import pymc

    return pymc


@contextlib.contextmanager
def single_threaded_blas():
    """Keep BLAS at one thread while chains run (oversubscription slows sampling several-fold)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
