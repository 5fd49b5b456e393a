r"""Compiled single-coordinate updates of the Laplace-prior Gibbs sampler (numba, cached).

With the latent variances integrated out, the conditional of one coefficient given the others is

.. math:: p(\beta_j \mid \beta_{-j}, \sigma, b) \propto
          \exp\{-\tfrac{a}{2}\beta_j^2 + h\beta_j - |\beta_j|/b\},\quad
          a = \frac{x_j^\top x_j}{\sigma^2},\ h = \frac{x_j^\top(y - X_{-j}\beta_{-j})}{\sigma^2},

a two-piece Gaussian: with probability :math:`\propto w_\pm` it is
:math:`N(\mu_\pm, 1/a)` truncated to :math:`\pm\beta_j > 0`, :math:`\mu_\pm = (h \mp 1/b)/a`,
:math:`\log w_+ = \log\mathrm{erfcx}(-\mu_+\sqrt{a/2})`,
:math:`\log w_- = \log\mathrm{erfcx}(\mu_-\sqrt{a/2})`.
Exact draws (one-sided truncated normals by Robert's 1995 exponential rejection) let coefficients
that the prior holds near zero move freely, which the scale-mixture block update alone does poorly
under heavy shrinkage. Random numbers come from numba's generator, seeded from the chain's NumPy
generator at every call, so draws are reproducible. (numba compiles only the legacy
``np.random`` functions, hence the NPY002 exemption below.)
"""
# ruff: noqa: NPY002

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _log_erfcx(z):  # pragma: no cover - compiled
    if z < 25.0:
        return math.log(math.erfc(z)) + z * z
    return -math.log(z * math.sqrt(math.pi)) + math.log1p(-0.5 / (z * z))


@njit(cache=True, nogil=True)
def _truncated_standard_normal(lower):  # pragma: no cover - compiled
    """Draw z ~ N(0, 1) conditioned on z > lower."""
    if lower < 0.45:
        while True:
            z = np.random.standard_normal()
            if z > lower:
                return z
    rate = 0.5 * (lower + math.sqrt(lower * lower + 4.0))
    while True:
        z = lower - math.log(np.random.random()) / rate
        if np.random.random() <= math.exp(-0.5 * (z - rate) ** 2):
            return z


@njit(cache=True, nogil=True)
def _draw_coordinate(a, h, inv_b):  # pragma: no cover - compiled
    root_a = math.sqrt(a)
    mu_pos = (h - inv_b) / a
    mu_neg = (h + inv_b) / a
    half = math.sqrt(0.5 * a)
    log_pos = _log_erfcx(-mu_pos * half)
    log_neg = _log_erfcx(mu_neg * half)
    prob_pos = 1.0 / (1.0 + math.exp(min(log_neg - log_pos, 700.0)))
    if np.random.random() < prob_pos:
        return mu_pos + _truncated_standard_normal(-mu_pos * root_a) / root_a
    return mu_neg - _truncated_standard_normal(mu_neg * root_a) / root_a


@njit(cache=True, nogil=True)
def laplace_sweep_gram(gram, corr, beta, sigma2, inv_b, seed):  # pragma: no cover - compiled
    """One systematic sweep over all coefficients (n >= p: Gram-matrix form). Updates ``beta``."""
    np.random.seed(seed)
    p = beta.shape[0]
    grad = corr - gram @ beta  # X'(y - X beta)
    for j in range(p):
        gjj = gram[j, j]
        if gjj <= 0.0:
            continue
        old = beta[j]
        a = gjj / sigma2
        h = (grad[j] + gjj * old) / sigma2
        new = _draw_coordinate(a, h, inv_b)
        delta = new - old
        if delta != 0.0:
            for k in range(p):
                grad[k] -= delta * gram[k, j]
            beta[j] = new


@njit(cache=True, nogil=True)
def laplace_sweep_resid(X, y, beta, sigma2, inv_b, seed):  # pragma: no cover - compiled
    """One systematic sweep (p > n: residual form, X Fortran-ordered). Updates ``beta``."""
    np.random.seed(seed)
    n, p = X.shape
    resid = y - X @ beta
    for j in range(p):
        sq = 0.0
        xr = 0.0
        for i in range(n):
            sq += X[i, j] * X[i, j]
            xr += X[i, j] * resid[i]
        if sq <= 0.0:
            continue
        old = beta[j]
        a = sq / sigma2
        h = (xr + sq * old) / sigma2
        new = _draw_coordinate(a, h, inv_b)
        delta = new - old
        if delta != 0.0:
            for i in range(n):
                resid[i] -= delta * X[i, j]
            beta[j] = new
