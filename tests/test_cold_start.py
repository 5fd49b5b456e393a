"""A fast first run: what ``import bayesreg`` loads, where the compiled kernels are cached (also
with a read-only package and home directory), the one-line compile notice, the kernel variants."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import bayesreg

PACKAGE = Path(bayesreg.__file__).parent


def _run(code: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def test_import_does_not_load_compiled_or_heavy_modules(tmp_path):
    code = """
        import sys
        import bayesreg
        heavy = ["numba", "pymc", "pytensor", "arviz", "nutpie", "matplotlib", "sklearn",
                 "bayesreg._gibbs_kernels", "bayesreg._cd", "bayesreg._cache", "bayesreg.sampling"]
        print(",".join(m for m in heavy if m in sys.modules))
    """
    out = _run(code, dict(os.environ), tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


@pytest.fixture
def read_only_install(tmp_path):
    """A copy of the package whose ``__pycache__`` cannot be created (a file is in its way: this
    holds for root too, unlike permission bits), a home cache that cannot be created either, and a
    private temporary directory."""
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "bayesreg", ignore=shutil.ignore_patterns("__pycache__"))
    for directory in [site / "bayesreg", *(p for p in (site / "bayesreg").rglob("*") if p.is_dir())]:
        (directory / "__pycache__").write_text("not a directory")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env.update(PYTHONPATH=str(site), TMPDIR=str(temp), XDG_CACHE_HOME="/dev/null/cache",
               HOME="/dev/null/home", PYTHONDONTWRITEBYTECODE="1")
    return site, temp, env


_SOLVE = """
    import numpy as np
    import bayesreg._cd as cd
    from bayesreg._cache import cache_directory
    assert cd.__file__.startswith({site!r}), cd.__file__
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 4))
    y = X @ np.array([1.0, 0.0, -2.0, 0.5]) + rng.standard_normal(30)
    for _ in range(2):
        beta = np.zeros(4)
        cd.cd_gram(X.T @ X, X.T @ y, beta, 5.0, 0.0, 1e-10, 1000)
    print("beta", *np.round(beta, 8))
    print("dir", cache_directory(cd.cd_gram))
"""


def test_read_only_package_and_home_cache_in_private_temp_dir(read_only_install):
    """numba alone raises "cannot cache function ... no locator available" at import here; the
    kernels are cached in <tmp>/bayesreg-numba-<uid>, and the compile notice is said once, by the
    process that compiles, not by the next one (which loads the cache)."""
    site, temp, env = read_only_install
    first = _run(_SOLVE.format(site=str(site)), env, site)
    assert first.returncode == 0, first.stderr
    lines = dict(line.split(" ", 1) for line in first.stdout.splitlines())
    cache_dir = Path(lines["dir"])
    root = temp / f"bayesreg-numba-{os.getuid()}"
    assert cache_dir.parent == root
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert any(cache_dir.glob("_cd.cd_gram-*.nbi")) and any(cache_dir.glob("_cd.cd_gram-*.nbc"))
    notices = [s for s in first.stderr.splitlines() if s.startswith("bayesreg: compiling")]
    assert notices == [f"bayesreg: compiling the coordinate-descent solver for the L1 MAP (once; "
                       f"cached in {cache_dir})"]

    second = _run(_SOLVE.format(site=str(site)), env, site)
    assert second.returncode == 0, second.stderr
    assert "compiling" not in second.stderr
    assert second.stdout == first.stdout  # same solution, from the cached code


def test_shared_temp_cache_dir_is_refused(read_only_install):
    """A cache root that others can write to is not used (its machine code would be run): the
    kernels are then compiled in every process, and still work."""
    site, temp, env = read_only_install
    root = temp / f"bayesreg-numba-{os.getuid()}"
    root.mkdir()
    root.chmod(0o777)
    out = _run(_SOLVE.format(site=str(site)), env, site)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "dir None"
    assert "no writable cache directory: every process compiles it" in out.stderr
    assert list(root.iterdir()) == []


def test_private_directory_check(tmp_path):
    from bayesreg._cache import _is_private

    own = tmp_path / "own"
    own.mkdir(mode=0o700)
    assert _is_private(str(own))
    own.chmod(0o770)
    assert not _is_private(str(own))
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    assert not _is_private(str(link))
    assert not _is_private(str(tmp_path / "missing"))


def test_cached_njit_refuses_cache_argument():
    from bayesreg._cache import cached_njit

    with pytest.raises(TypeError, match="cache="):
        cached_njit(cache=False)


def test_compile_notice_only_for_announced_kernels_and_once(caplog):
    """The listener speaks for announced dispatchers only, once each, on the "bayesreg" logger."""
    from numba import njit

    from bayesreg import _cache

    @njit
    def quiet(x):  # pragma: no cover - compiled
        return x + 1

    @njit
    def loud(x):  # pragma: no cover - compiled
        return x + 2

    _cache.announce(loud, "a test kernel")
    with caplog.at_level("INFO", logger="bayesreg"):
        assert quiet(1) == 2
        assert loud(1) == 3
        assert loud(1.5) == 3.5  # a second signature compiles again: no second notice
    messages = [r.getMessage() for r in caplog.records if r.name == "bayesreg"]
    assert messages == ["bayesreg: compiling a test kernel (once; no writable cache directory: "
                        "every process compiles it)"]


@pytest.mark.filterwarnings("ignore::bayesreg.ConvergenceWarning")
@pytest.mark.parametrize(("prior", "kwargs", "block"), [
    ("gaussian", {}, "global"),  # a random scale: drawn with beta and sigma^2 integrated out
    ("laplace", {}, "collapsed"),
    ("horseshoe", {}, "global"),
    ("horseshoe_plus", {}, "global"),
    ("laplace", {"sigma": 50.0}, "conditional"),
    ("laplace", {"alpha": 0.1}, "conditional"),
])
def test_one_kernel_variant_per_model(prior, kwargs, block):
    """Each chain runs the variant for its family and (σ², β) block, made once and reused."""
    from bayesreg import _gibbs_kernels as gk

    kinds = {"global": gk._GLOBAL_MOVES, "ridge": gk._RIDGE_MOVES, "collapsed": gk._COLLAPSED,
             "conditional": gk._CONDITIONAL}
    X, y = bayesreg.datasets.load_diabetes()
    res = bayesreg.fit(X, y, prior, sampler="gibbs", draws=20, tune=10, chains=1, random_seed=1,
                       progressbar=False, **kwargs)
    assert res.sampler == "gibbs"
    family = bayesreg.priors.get_family(prior)
    key = (family.gibbs, kinds[block], False)
    assert key in gk._VARIANTS
    assert gk.gibbs_kernel(*key) is gk._VARIANTS[key]
    assert np.all(np.isfinite(res.idata.posterior["coef"].values))
