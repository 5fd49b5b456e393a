"""Execute the teaching notebooks and save executed ``.ipynb`` copies with their outputs.

The notebooks are kept as jupytext percent-format sources (``notebooks/NN_name.py``); this script
runs each one top to bottom in a fresh kernel of *this* Python (``sys.executable``) and writes
``notebooks/NN_name.ipynb`` next to it, outputs included, so the copies read well on a web viewer.
``tests/test_notebooks.py`` uses :func:`execute_notebook` with ``smoke=True`` (environment
variable ``BAYESREG_SMOKE=1``: fewer draws) and saves nothing.

Usage (from the repository root)::

    python notebooks/build.py                  # all notebooks, full settings, write the .ipynb
    python notebooks/build.py 03 05            # only notebooks whose name starts with 03 or 05
    python notebooks/build.py --smoke --no-write   # quick check, nothing written

Run the notebooks one at a time (this script does): each may use every core it can get.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent
KERNEL_NAME = "bayesreg-notebooks"
SMOKE_ENV = "BAYESREG_SMOKE"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def notebook_sources(directory: Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebook sources ``NN_name.py``, in order."""
    return sorted(directory.glob("[0-9][0-9]_*.py"))


@contextlib.contextmanager
def _kernel_manager_class():
    """A kernel manager class whose only kernel spec runs ``sys.executable -m ipykernel_launcher``.

    Using a private spec (not whatever ``python3`` means on this machine) makes the notebooks
    run with the interpreter that runs this script or the tests, in a fresh CI venv as well.
    nbclient instantiates the class, so it also shuts the kernel down.
    """
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    with tempfile.TemporaryDirectory(prefix="bayesreg-kernel-") as tmp:
        write_kernel_spec(Path(tmp) / KERNEL_NAME, overrides={"display_name": "bayesreg notebooks"})

        class PrivateKernelManager(AsyncKernelManager):
            @default("kernel_spec_manager")
            def _private_specs(self):
                return KernelSpecManager(kernel_dirs=[tmp])

            if os.name != "nt":  # IPC sockets in the temporary folder: no open TCP ports
                @default("transport")
                def _ipc(self):
                    return "ipc"

                @default("ip")
                def _ipc_path(self):
                    return str(Path(tmp) / "kernel")

        yield PrivateKernelManager


def read_source(source: Path):
    """The notebook (nbformat v4) of a jupytext percent-format source."""
    import jupytext

    return jupytext.read(source)


def execute_notebook(source: Path, *, smoke: bool, cwd: Path | None = None,
                     timeout: int = 900):
    """Run the notebook of ``source`` from scratch and return it with its outputs.

    Parameters
    ----------
    source : Path
        A jupytext percent-format ``.py`` notebook.
    smoke : bool
        Set ``BAYESREG_SMOKE=1`` in the kernel (the notebooks then draw fewer samples).
    cwd : Path, optional
        Working directory of the kernel (default: the notebook's folder).
    timeout : int
        Seconds allowed per cell.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell raises (an assertion in a notebook fails, for example).
    """
    from nbclient import NotebookClient

    nb = read_source(source)
    env = dict(os.environ)
    env[SMOKE_ENV] = "1" if smoke else "0"
    env["MPLBACKEND"] = INLINE_BACKEND  # inline figures even where the caller uses Agg
    env.setdefault("PYTHONHASHSEED", "0")
    workdir = Path(cwd) if cwd is not None else source.parent
    with _kernel_manager_class() as manager_class:
        client = NotebookClient(nb, kernel_name=KERNEL_NAME, kernel_manager_class=manager_class,
                                timeout=timeout, allow_errors=False,
                                record_timing=False,
                                resources={"metadata": {"path": str(workdir)}})
        client.execute(env=env)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["bayesreg"] = {"smoke": bool(smoke)}
    return nb


def write_notebook(nb, source: Path) -> Path:
    """Save ``nb`` as the ``.ipynb`` next to ``source`` (paired with it by jupytext)."""
    import jupytext

    target = source.with_suffix(".ipynb")
    jupytext.write(nb, target, fmt="ipynb")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--smoke", action="store_true", help="smoke settings (BAYESREG_SMOKE=1)")
    parser.add_argument("--no-write", action="store_true", help="execute only, save nothing")
    args = parser.parse_args(argv)
    sources = [s for s in notebook_sources()
               if not args.names or any(s.stem.startswith(n) for n in args.names)]
    if not sources:
        print(f"no notebook matches {args.names}", file=sys.stderr)
        return 2
    if args.smoke and not args.no_write:
        print("refusing to write smoke-mode outputs; add --no-write", file=sys.stderr)
        return 2
    for source in sources:
        start = time.perf_counter()
        nb = execute_notebook(source, smoke=args.smoke)
        elapsed = time.perf_counter() - start
        where = "" if args.no_write else f" -> {write_notebook(nb, source).name}"
        print(f"{source.name}: {elapsed:.1f} s{where}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
