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


_BLAS_CONTROLLER = None


def single_threaded_blas():
    """A context keeping BLAS at one thread (chains in parallel, or small matrices).

    Oversubscription slows sampling several-fold; on small matrices extra BLAS threads save little
    on an idle machine and cost a hundred times the work on a busy one. The libraries are
    inspected once (~5 ms) and the controller reused.
    """
    global _BLAS_CONTROLLER
    if _BLAS_CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _BLAS_CONTROLLER = ThreadpoolController()
    return _BLAS_CONTROLLER.limit(limits=1, user_api="blas")


def blas_threads_for(flops: float, threaded_above: float = 1e9):
    """One BLAS thread unless the work (``flops``) is big enough for threads to pay."""
    return contextlib.nullcontext() if flops > threaded_above else single_threaded_blas()
