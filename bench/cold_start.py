"""How long a new user waits: ``import bayesreg``, the first and a warm ``bayesreg demo``, the first
fit per prior family, and nutpie's compilation per model structure, cold and cached.

Every measurement runs in a fresh Python process. The caches this script controls live in a
temporary directory and are cleared for the cold runs: numba's (``NUMBA_CACHE_DIR``, which takes
the place of ``bayesreg/__pycache__`` and ``~/.cache/numba``, so the cache of the working tree is
neither used nor touched) and PyTensor's compile directory (``PYTENSOR_FLAGS=base_compiledir=``).
"cold" is a fresh install: nothing compiled; "warm" / "cached" is the next process. Each figure is
the minimum over ``--repeats`` runs (the machine may be shared: the load average is printed).

    python bench/cold_start.py                 # results as in bench/results/cold_start.txt
    python bench/cold_start.py --repeats 3 --sections import,demo
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

FAMILIES = ("gaussian", "laplace", "horseshoe", "horseshoe_plus", "elasticnet")
NUTPIE_STRUCTURES = ("gaussian", "laplace", "horseshoe", "elasticnet")
SECTIONS = ("import", "demo", "fits", "nutpie")
# the prior of each family as fitted (the elastic net has no default strength: scikit-learn's
# ElasticNet(alpha=0.1, l1_ratio=0.5) as its MAP)
PRIORS = {"gaussian": "'gaussian'", "laplace": "'laplace'", "horseshoe": "'horseshoe'",
          "horseshoe_plus": "'horseshoe_plus'",
          "elasticnet": "bayesreg.ElasticNet(alpha=0.1, l1_ratio=0.5)"}


def _env(root: str) -> dict:
    env = dict(os.environ)
    env["NUMBA_CACHE_DIR"] = os.path.join(root, "numba")
    flags = [f for f in env.get("PYTENSOR_FLAGS", "").split(",") if f and "base_compiledir" not in f]
    env["PYTENSOR_FLAGS"] = ",".join([*flags, f"base_compiledir={os.path.join(root, 'pytensor')}"])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _clear(root: str) -> None:
    for sub in ("numba", "pytensor"):
        shutil.rmtree(os.path.join(root, sub), ignore_errors=True)


def _python(code: str, root: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints ``key=seconds`` lines, returned as a dict."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=_env(root),
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"benchmark process failed:\n{out.stderr[-3000:]}")
    return {k: float(v) for k, v in (line.split("=", 1) for line in out.stdout.splitlines()
                                     if "=" in line and not line.startswith(" "))}


def time_import(root: str) -> float:
    code = """
        import time
        t = time.perf_counter()
        import bayesreg
        print(f"import={time.perf_counter() - t}")
    """
    return _python(code, root)["import"]


def time_demo(root: str, figure: str) -> tuple[float, float, list[str]]:
    """Seconds from process start to the end of the demo's table, to exit, and the stderr lines."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "from bayesreg.cli import main; raise SystemExit("
                             f"main(['demo', '--out', {figure!r}]))"],
                            env=_env(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    table = float("nan")
    for line in proc.stdout:
        if line.startswith("max |MAP - sklearn|"):
            table = time.perf_counter() - start
    stderr = proc.stderr.read().splitlines()
    if proc.wait():
        raise RuntimeError("bayesreg demo failed:\n" + "\n".join(stderr[-30:]))
    return table, time.perf_counter() - start, [s for s in stderr if s.strip()]


def time_fit(root: str, family: str) -> float:
    code = f"""
        import time, warnings
        warnings.simplefilter("ignore")
        import bayesreg
        X, y = bayesreg.datasets.load_diabetes()
        t = time.perf_counter()
        bayesreg.fit(X, y, {PRIORS[family]}, random_seed=1, progressbar=False)
        print(f"fit={{time.perf_counter() - t}}")
    """
    return _python(code, root)["fit"]


def time_nutpie_compile(root: str, family: str) -> float:
    code = f"""
        import time, warnings
        warnings.simplefilter("ignore")
        import bayesreg
        from bayesreg._backend import import_pymc
        import_pymc()
        import nutpie
        X, y = bayesreg.datasets.load_diabetes()
        model = bayesreg.build_model(X, y, {PRIORS[family]})
        t = time.perf_counter()
        nutpie.compile_pymc_model(model)
        print(f"compile={{time.perf_counter() - t}}")
    """
    return _python(code, root)["compile"]


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2,
                        help="runs per figure of import and demo (the minimum is reported)")
    parser.add_argument("--fit-repeats", type=int, default=1,
                        help="runs per figure of the fits and nutpie compilations (each cold run "
                             "compiles everything again)")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--families", default=",".join(FAMILIES),
                        help="prior families of the fits section")
    args = parser.parse_args(argv)
    for name in ("repeats", "fit_repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be >= 1; got {getattr(args, name)}")
    sections = [s for s in args.sections.split(",") if s]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"--sections must be a subset of {','.join(SECTIONS)}; got {unknown}")
    families = [f for f in args.families.split(",") if f]
    if set(families) - set(PRIORS):
        parser.error(f"--families must be a subset of {','.join(PRIORS)}; got {families}")
    root = tempfile.mkdtemp(prefix="bayesreg-cold-start-")
    figure = os.path.join(root, "demo.png")
    rows: list[tuple[str, float]] = []

    def record(label: str, values: list[float]) -> None:
        rows.append((label, min(values)))
        print(f"{label:<48} {min(values):7.2f} s   (runs: {', '.join(f'{v:.2f}' for v in values)}; "
              f"load {_load()})", flush=True)

    print(f"bayesreg cold start — {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average at start: {_load()}")
    try:
        _clear(root)
        time_import(root)  # warm the OS file cache for the imports
        if "import" in sections:
            record("import bayesreg", [time_import(root) for _ in range(args.repeats)])
        if "demo" in sections:
            tables, totals, notices = [], [], []
            for _ in range(args.repeats):
                _clear(root)
                table, total, stderr = time_demo(root, figure)
                tables.append(table)
                totals.append(total)
                notices = stderr
            record("first bayesreg demo: to the table", tables)
            record("first bayesreg demo: total", totals)
            warm = [time_demo(root, figure) for _ in range(args.repeats)]
            record("warm bayesreg demo: to the table", [w[0] for w in warm])
            record("warm bayesreg demo: total", [w[1] for w in warm])
            print("  stderr of the first demo: " + (" | ".join(notices) or "(nothing)"))
            print("  stderr of a warm demo:     " + (" | ".join(warm[-1][2]) or "(nothing)"))

        def cold_then_cached(label: str, cached_label: str, timer, family: str) -> None:
            cold = []
            for _ in range(args.fit_repeats):
                _clear(root)
                cold.append(timer(root, family))
            record(f"{label}, {family}: cold", cold)
            record(f"{label}, {family}: {cached_label}",
                   [timer(root, family) for _ in range(args.fit_repeats)])

        if "fits" in sections:
            for family in families:
                cold_then_cached("first fit", "warm", time_fit, family)
        if "nutpie" in sections:
            for family in NUTPIE_STRUCTURES:
                cold_then_cached("nutpie compile", "cached (new process)", time_nutpie_compile,
                                 family)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"load average at the end: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
