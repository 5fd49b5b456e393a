"""Coordinate-descent kernels for the L1 / elastic-net MAP (compiled with numba, cached on disk).

Both minimise ``0.5 * ||yc - Xc b||^2 + l1 * ||b||_1 + 0.5 * l2 * ||b||^2`` over ``b`` (centred
data), one with the Gram matrix (n >= p) and one with the residual (p > n). Soft-thresholding makes
the zeros exact; :mod:`bayesreg.map` refines the result to the exact optimum.
"""

from __future__ import annotations

import numpy as np

from ._cache import announce, cached_njit

# Let LLVM reorder the sums in the inner products (SIMD, fused multiply-add); the result of the
# descent is only a starting point for the exact refinement in bayesreg.map, so this is safe.
_FASTMATH = {"reassoc", "contract"}


@cached_njit(nogil=True, fastmath=_FASTMATH)
def cd_gram(gram, corr, beta, l1, l2, tol, max_sweeps):  # pragma: no cover - compiled
    """Coordinate descent with covariance updates; ``corr`` = Xc' yc. Returns sweeps used."""
    p = gram.shape[0]
    grad = corr - gram @ beta  # Xc' r
    active = np.zeros(p, dtype=np.bool_)
    full = True
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        max_delta = 0.0
        max_abs = 0.0
        for j in range(p):
            if not full and not active[j]:
                continue
            gjj = gram[j, j]
            old = beta[j]
            if gjj <= 0.0:
                new = 0.0
            else:
                z = grad[j] + gjj * old
                mag = abs(z) - l1
                new = 0.0 if mag <= 0.0 else np.sign(z) * mag / (gjj + l2)
            if new != old:
                delta = new - old
                for k in range(p):  # the Gram matrix is symmetric: read row j, contiguous
                    grad[k] -= delta * gram[j, k]
                beta[j] = new
                d = abs(delta) * np.sqrt(max(gjj, 0.0))
                if d > max_delta:
                    max_delta = d
            if new != 0.0:
                active[j] = True
                s = abs(new) * np.sqrt(max(gjj, 0.0))
                if s > max_abs:
                    max_abs = s
        converged = max_delta <= tol * max(max_abs, 1e-300) or max_delta == 0.0
        if full:
            if converged:
                break
            full = False
        elif converged:
            full = True  # check every coordinate once more
    return sweeps


@cached_njit(nogil=True, fastmath=_FASTMATH)
def cd_resid(X, y, beta, l1, l2, tol, max_sweeps):  # pragma: no cover - compiled
    """Coordinate descent keeping the residual (for p > n). Returns sweeps used."""
    n, p = X.shape
    resid = y - X @ beta
    sq = np.empty(p)
    for j in range(p):
        acc = 0.0
        for i in range(n):
            acc += X[i, j] * X[i, j]
        sq[j] = acc
    active = np.zeros(p, dtype=np.bool_)
    full = True
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        max_delta = 0.0
        max_abs = 0.0
        for j in range(p):
            if not full and not active[j]:
                continue
            gjj = sq[j]
            old = beta[j]
            if gjj <= 0.0:
                new = 0.0
            else:
                z = gjj * old
                for i in range(n):
                    z += X[i, j] * resid[i]
                mag = abs(z) - l1
                new = 0.0 if mag <= 0.0 else np.sign(z) * mag / (gjj + l2)
            if new != old:
                delta = new - old
                for i in range(n):
                    resid[i] -= delta * X[i, j]
                beta[j] = new
                d = abs(delta) * np.sqrt(gjj)
                if d > max_delta:
                    max_delta = d
            if new != 0.0:
                active[j] = True
                s = abs(new) * np.sqrt(gjj)
                if s > max_abs:
                    max_abs = s
        converged = max_delta <= tol * max(max_abs, 1e-300) or max_delta == 0.0
        if full:
            if converged:
                break
            full = False
        elif converged:
            full = True
    return sweeps


@cached_njit(nogil=True)
def chol_delete(L, j):  # pragma: no cover - compiled
    """Lower Cholesky factor of a matrix with row and column ``j`` removed, from its factor ``L``.

    Dropping row/column j leaves ``L33 L33' + v v'`` (v = ``L[j+1:, j]``) in the trailing block, so
    it costs one rank-one update, O(k^2) instead of O(k^3) for a new factorisation.
    """
    k = L.shape[0]
    out = np.zeros((k - 1, k - 1))
    for r in range(k - 1):
        rs = r if r < j else r + 1
        for col in range(r + 1):
            cs = col if col < j else col + 1
            out[r, col] = L[rs, cs]
    m = k - 1 - j
    v = np.empty(m)
    for i in range(m):
        v[i] = L[j + 1 + i, j]
    for i in range(m):
        d = out[j + i, j + i]
        r = np.sqrt(d * d + v[i] * v[i])
        cos = r / d
        sin = v[i] / d
        out[j + i, j + i] = r
        for t in range(i + 1, m):
            out[j + t, j + i] = (out[j + t, j + i] + sin * v[t]) / cos
            v[t] = cos * v[t] - sin * out[j + t, j + i]
    return out


announce(cd_gram, "the coordinate-descent solver for the L1 MAP")
announce(cd_resid, "the coordinate-descent solver for the L1 MAP (p > n form)")
announce(chol_delete, "the L1 MAP's active-set Cholesky update")
