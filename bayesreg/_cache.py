"""Where bayesreg's compiled (numba) kernels are cached, and the one-line notice while compiling.

numba caches a compiled function next to its source (``bayesreg/__pycache__``) or, when that
directory is not writable (a system-wide or read-only install), in the user-wide cache
``$XDG_CACHE_HOME/numba`` (``~/.cache/numba``); ``NUMBA_CACHE_DIR`` overrides both. When none of
them is writable (a read-only package and a read-only or missing home directory, as in many
containers), ``njit(cache=True)`` raises ``RuntimeError: cannot cache function ...: no locator
available`` when the module is imported. :func:`cached_njit` adds one more place after numba's:
a private directory in the temporary directory (mode 0700, owned by the user, rejected
otherwise); with no writable place at all, the kernels still work and are compiled once per
process.

Compiling a Gibbs kernel variant takes seconds to tens of seconds, once per machine. While numba
compiles one of the kernels registered with :func:`announce`, one line says so on the
``"bayesreg"`` logger at INFO level, e.g. ``bayesreg: compiling the Gibbs sampler for the Laplace
prior (once; cached in ~/.cache/...)``. Loading a kernel from the cache says nothing. As PyMC does
for its ``"pymc"`` logger, a handler writing to stderr is added when the application configured
no logging; ``logging.getLogger("bayesreg").setLevel(logging.WARNING)`` silences the line.
``progressbar=False`` does not: it controls the progress display, and the notice is what
explains a first run that is silent for many seconds.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import ClassVar

from numba import njit
from numba.core import event
from numba.core.caching import CompileResultCacheImpl, FunctionCache, UserWideCacheLocator

__all__ = ["announce", "cache_directory", "cached_njit", "logger"]

logger = logging.getLogger("bayesreg")


def _private_temp_root() -> str:
    """``<tmp>/bayesreg-numba-<uid>``: the last-resort cache root."""
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"bayesreg-numba-{uid}")


def _is_private(path: str) -> bool:
    """The directory is ours alone: owned by this user, writable by nobody else, not a link.

    A cache holds machine code that is loaded and run, so a directory in the shared temporary
    directory that someone else could write to is not used.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class PrivateTempCacheLocator(UserWideCacheLocator):
    """numba's user-wide locator rooted at a private directory in the temporary directory."""

    def __init__(self, py_func, py_file):
        super().__init__(py_func, py_file)
        self._cache_path = os.path.join(_private_temp_root(),
                                        self.get_suitable_cache_subpath(py_file))

    def ensure_cache_path(self):
        root = _private_temp_root()
        try:
            os.mkdir(root, 0o700)
        except FileExistsError:
            pass
        if not _is_private(root):
            raise PermissionError(f"{root} is not a private directory of this user")
        super().ensure_cache_path()


class _CacheImpl(CompileResultCacheImpl):
    _locator_classes: ClassVar[list] = [*CompileResultCacheImpl._locator_classes,
                                        PrivateTempCacheLocator]


class _FunctionCache(FunctionCache):
    _impl_class = _CacheImpl


def cached_njit(**options) -> Callable:
    """``numba.njit(cache=True, **options)`` whose disk cache always finds a writable place.

    numba's own places first (``NUMBA_CACHE_DIR``, the package's ``__pycache__``, the user-wide
    cache), then :class:`PrivateTempCacheLocator`; with none writable, the function is compiled
    once per process instead of failing at import.
    """
    if "cache" in options:
        raise TypeError("cached_njit always caches; do not pass cache=")

    def decorate(func):
        dispatcher = njit(**options)(func)
        try:
            dispatcher._cache = _FunctionCache(func)  # what Dispatcher.enable_caching() does
        except RuntimeError:  # no writable place at all: compile in every process
            pass
        return dispatcher

    return decorate


def cache_directory(dispatcher) -> str | None:
    """The directory ``dispatcher`` is cached in (None when it is not cached)."""
    return getattr(getattr(dispatcher, "_cache", None), "_cache_path", None)


# ------------------------------------------------------------------------------------------------
# the compile notice

_ANNOUNCED: dict[int, tuple] = {}  # id(dispatcher) -> (dispatcher, what it is): kept alive, so
# that no other object can take its id
_SAID: set[int] = set()
_LOCK = threading.Lock()


def _configure_logger() -> None:
    """PyMC's convention: an INFO handler on stderr unless the application configured logging."""
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


def _short(path: str) -> str:
    home = os.path.expanduser("~")
    return "~" + path[len(home):] if home not in ("", "/") and path.startswith(home + os.sep) else path


class _CompileNotice(event.Listener):
    """Says once per kernel and process that an announced kernel is being compiled."""

    def on_start(self, ev):
        dispatcher = ev.data["dispatcher"]
        key = id(dispatcher)
        entry = _ANNOUNCED.get(key)
        if entry is None or entry[0] is not dispatcher:
            return
        what = entry[1]
        with _LOCK:
            if key in _SAID:
                return
            _SAID.add(key)
        where = cache_directory(dispatcher)
        cached = (f"cached in {_short(where)}" if where
                  else "no writable cache directory: every process compiles it")
        _configure_logger()
        logger.info("bayesreg: compiling %s (once; %s)", what, cached)

    def on_end(self, ev):
        pass


event.register("numba:compile", _CompileNotice())


def announce(dispatcher, what: str):
    """Register ``dispatcher`` for the compile notice (``what``: e.g. "the Gibbs sampler for the
    Laplace prior"); returns ``dispatcher``."""
    _ANNOUNCED[id(dispatcher)] = (dispatcher, what)
    return dispatcher
