"""Progress displays built on ``rich`` (thread-safe; off when not asked).

``progressbar=None`` (the default) shows them only when stderr is a terminal; ``True`` always;
``False`` never. :class:`ChainProgress` is the samplers' display (chains running in threads update
their own rows of the same display); :class:`StepProgress` is one bar for any loop of known length
(paths, cross-validation folds, prior comparisons, selection searches).
"""

from __future__ import annotations

import sys
import threading

__all__ = ["ChainProgress", "StepProgress", "progress_enabled"]


def progress_enabled(progressbar: bool | None) -> bool:
    """Whether to show progress: as asked, or (None) when stderr is a terminal."""
    if progressbar is None:
        stream = sys.stderr
        return bool(getattr(stream, "isatty", None) and stream.isatty())
    return bool(progressbar)


def _rich_progress():
    """A started rich display on stderr: description, bar, done/total, elapsed and remaining time."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(),
        console=Console(file=sys.stderr), transient=False,
    )
    progress.start()
    return progress


class ChainProgress:
    """Rows "sampler chain c/C" with a bar, draws done and the time, for every chain of a run.

    Use as a context manager; :meth:`update` (chain, done) may be called from any thread.
    """

    def __init__(self, label: str, chains: int, total: int, enabled: bool, rows: bool = True):
        self.label, self.chains, self.total, self.enabled = label, chains, max(int(total), 1), enabled
        self.rows = rows  # False: the backend draws its own display (``enabled`` tells it whether)
        self._progress = None
        self._tasks: list = []
        self._lock = threading.Lock()

    def __enter__(self) -> ChainProgress:
        if not (self.enabled and self.rows):
            return self
        self._progress = _rich_progress()
        self._tasks = [self._progress.add_task(f"{self.label} chain {c + 1}/{self.chains}",
                                               total=self.total) for c in range(self.chains)]
        return self

    def update(self, chain: int, done: int) -> None:
        if self._progress is None:
            return
        with self._lock:
            self._progress.update(self._tasks[chain], completed=min(done, self.total))

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class StepProgress:
    """One row "label" with a bar, steps done of ``total`` and the time, for a loop of known length.

    Use as a context manager and call :meth:`advance` after each step (from any thread). When
    ``enabled`` is False (see :func:`progress_enabled`) nothing is imported or drawn and
    :meth:`advance` costs nothing, so callers need no ``if``.

    Parameters
    ----------
    label : str
        What is being done, e.g. ``"Lasso path"`` or ``"forward search"``.
    total : int
        Number of steps the loop will take.
    enabled : bool
        Whether to show the display, usually ``progress_enabled(progressbar)``.

    Examples
    --------
    >>> with StepProgress("cross-validation", total=5, enabled=progress_enabled(False)) as bar:
    ...     for fold in range(5):
    ...         bar.advance()
    """

    def __init__(self, label: str, total: int, enabled: bool):
        self.label, self.total, self.enabled = label, max(int(total), 1), bool(enabled)
        self._progress = None
        self._task = None
        self._lock = threading.Lock()

    def __enter__(self) -> StepProgress:
        if not self.enabled:
            return self
        self._progress = _rich_progress()
        self._task = self._progress.add_task(self.label, total=self.total)
        return self

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more steps as done."""
        if self._progress is None:
            return
        with self._lock:
            self._progress.advance(self._task, n)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
