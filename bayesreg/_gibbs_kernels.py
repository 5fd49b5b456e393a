r"""The compiled Gibbs kernel (numba, cached) and its single-coordinate updates.

The kernel is compiled per variant — prior family, (σ², β) block, n ≥ p or p > n
(:func:`gibbs_kernel`) — on first use, so a model compiles only the code it runs (seconds, once
per machine: the disk cache of :mod:`bayesreg._cache`; a one-line notice says so meanwhile). The
kernel offers one local-variance update per ``bayesreg.priors.GIBBS_*`` code; a prior family
declares which it uses (``PriorFamily.gibbs``). With exponential mixing (the Laplace prior) and
the latent variances integrated out, the conditional of one coefficient given the others is

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
generator at every call of :func:`gibbs_block`, so draws are reproducible. (numba compiles only the legacy
``np.random`` functions, hence the NPY002 exemption below.)
"""
# ruff: noqa: NPY002

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from ._cache import announce, cached_njit
from .priors._base import GIBBS_EXPONENTIAL_MIXTURE as _EXPONENTIAL_MIXTURE
from .priors._base import GIBBS_FIXED_VARIANCE as _FIXED_VARIANCE
from .priors._base import GIBBS_HALF_CAUCHY_MIXTURE as _HALF_CAUCHY_MIXTURE
from .priors._base import GIBBS_HALF_CAUCHY_PLUS as _HALF_CAUCHY_PLUS
from .priors._base import GIBBS_REGULARIZED_HALF_CAUCHY as _REGULARIZED


@cached_njit(nogil=True)
def _log_erfcx(z):  # pragma: no cover - compiled
    if z < 25.0:
        return math.log(math.erfc(z)) + z * z
    return -math.log(z * math.sqrt(math.pi)) + math.log1p(-0.5 / (z * z))


_MAX_TRIES = 100_000  # rejection loops accept with probability > 0.3: this many failures means NaN


@cached_njit(nogil=True)
def _truncated_excess(lower):  # pragma: no cover - compiled
    """Draw e = z - lower for z ~ N(0, 1) conditioned on z > lower.

    Returning the excess rather than z keeps the coefficient draw free of cancellation when the
    truncation point is far out (heavy shrinkage: lower ~ 1e9 and a result of order 1e-9).
    """
    if not math.isfinite(lower):
        raise FloatingPointError("non-finite truncation point in a coefficient draw")
    if lower < 0.45:
        for _ in range(_MAX_TRIES):
            z = np.random.standard_normal()
            if z > lower:
                return z - lower
        raise FloatingPointError("truncated-normal rejection did not accept")
    rate = 0.5 * (lower + math.sqrt(lower * lower + 4.0))  # Robert (1995): exponential proposals
    for _ in range(_MAX_TRIES):
        excess = -math.log(np.random.random()) / rate
        if np.random.random() <= math.exp(-0.5 * (lower + excess - rate) ** 2):
            return excess
    raise FloatingPointError("truncated-normal rejection did not accept")


@cached_njit(nogil=True)
def _draw_coordinate(a, h, inv_b):  # pragma: no cover - compiled
    root_a = math.sqrt(a)
    mu_pos = (h - inv_b) / a
    mu_neg = (h + inv_b) / a
    half = math.sqrt(0.5 * a)
    log_pos = _log_erfcx(-mu_pos * half)
    log_neg = _log_erfcx(mu_neg * half)
    prob_pos = 1.0 / (1.0 + math.exp(min(log_neg - log_pos, 700.0)))
    if np.random.random() < prob_pos:  # beta > 0: beta = mu_pos + z / root_a with z > -mu_pos root_a
        return _truncated_excess(-mu_pos * root_a) / root_a
    return -_truncated_excess(mu_neg * root_a) / root_a


@cached_njit(nogil=True)
def _sweep_gram(gram, corr, beta, sigma2, inv_b):  # pragma: no cover - compiled
    """One systematic sweep over all coefficients (n >= p: Gram-matrix form). Updates ``beta``."""
    p = beta.shape[0]
    grad = corr - gram @ beta  # X'(y - X beta)
    for j in range(p):
        gjj = gram[j, j]
        if gjj <= 0.0:
            continue
        old = beta[j]
        new = _draw_coordinate(gjj / sigma2, (grad[j] + gjj * old) / sigma2, inv_b)
        if new != old:
            for k in range(p):
                grad[k] -= (new - old) * gram[k, j]
            beta[j] = new


@cached_njit(nogil=True)
def _sweep_resid(X, y, beta, sigma2, inv_b):  # pragma: no cover - compiled
    """One systematic sweep (p > n: residual form). Updates ``beta``."""
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
        new = _draw_coordinate(sq / sigma2, (xr + sq * old) / sigma2, inv_b)
        if new != old:
            for i in range(n):
                resid[i] -= (new - old) * X[i, j]
            beta[j] = new


@cached_njit(nogil=True)
def _local_coordinate(a, h, t_j, v, eta2, inv_slab2):  # pragma: no cover - compiled
    """(lambda_j^2, beta_j) for one horseshoe coordinate: lambda_j by a slice step on its density
    with beta_j integrated out (``_LOCAL_COLLAPSED``), then beta_j | lambda_j exactly."""
    x = _slice(_LOCAL_COLLAPSED, 0.5 * math.log(t_j), 1.0, np.empty(0), np.empty(0),
               np.array([a, h, v, eta2, inv_slab2]))
    t_new = min(max(math.exp(2.0 * x), _TINY), _HUGE)
    w = v * t_new
    w = w / (1.0 + w * inv_slab2)
    precision = 1.0 + a * w
    return t_new, (h * w + math.sqrt(w * precision) * np.random.standard_normal()) / precision


@cached_njit(nogil=True)
def _plus_scales_given_local(t_j):  # pragma: no cover - compiled
    r"""The horseshoe+'s :math:`(\eta_j^2, a_j, b_j)` drawn exactly given :math:`\lambda_j^2` = ``t_j``.

    :math:`p(\eta \mid \lambda) \propto C^+(\lambda; 0, \eta)\,C^+(\eta; 0, 1)`, so
    :math:`v = \eta^2` has density :math:`\propto 1/((v + \lambda^2)(v + 1))`, whose distribution
    function inverts in closed form: :math:`v = (r - \lambda^2)/(1 - r)`,
    :math:`r = \lambda^{2(1 - U)}`; then :math:`a_j \sim IG(1, 1/\eta_j^2 + 1/\lambda_j^2)` and
    :math:`b_j \sim IG(1, 1 + 1/\eta_j^2)`."""
    log_t = math.log(t_j)
    if abs(log_t) < 1e-8:  # lambda = 1: v = U / (1 - U)
        u = np.random.random()
        eta2 = u / max(1.0 - u, _TINY)
    else:
        r_log = (1.0 - np.random.random()) * log_t
        # v = (r - t)/(1 - r) = t (e^{r_log - log t} - 1) / (1 - e^{r_log}), both factors stable
        eta2 = t_j * math.expm1(r_log - log_t) / (-math.expm1(r_log))
    eta2 = min(max(eta2, _TINY), _HUGE)
    a = min(max(_inv_gamma(1.0, 1.0 / eta2 + 1.0 / t_j), _TINY), _HUGE)
    b = min(max(_inv_gamma(1.0, 1.0 + 1.0 / eta2), _TINY), _HUGE)
    return eta2, a, b


@cached_njit(nogil=True)
def _sweep_local_gram(gram, corr, beta, t, sigma2, v, eta2, inv_slab2):  # pragma: no cover
    """One sweep of joint (lambda_j, beta_j) draws over the horseshoe's coordinates (n >= p: Gram
    form), beta_j integrated out of lambda_j's conditional (``inv_slab2``: 1/c_j², zeros but for the
    regularized horseshoe). Updates ``beta`` and ``t`` = lambda^2."""
    p = beta.shape[0]
    grad = corr - gram @ beta
    for j in range(p):
        gjj = gram[j, j]
        if gjj <= 0.0:
            continue
        old = beta[j]
        t[j], new = _local_coordinate(gjj / sigma2, (grad[j] + gjj * old) / sigma2, t[j], v, eta2[j],
                                      inv_slab2[j])
        if new != old:
            for k in range(p):
                grad[k] -= (new - old) * gram[k, j]
            beta[j] = new


@cached_njit(nogil=True)
def _sweep_local_resid(X, y, beta, t, sigma2, v, eta2, inv_slab2):  # pragma: no cover
    """:func:`_sweep_local_gram` for p > n (residual form)."""
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
        t[j], new = _local_coordinate(sq / sigma2, (xr + sq * old) / sigma2, t[j], v, eta2[j],
                                      inv_slab2[j])
        if new != old:
            for i in range(n):
                resid[i] -= (new - old) * X[i, j]
            beta[j] = new


# ------------------------------------------------------------------------------------------------
# the whole blocked Gibbs sampler, compiled (one call runs a block of iterations of one chain)
#
# Model (centred data, flat intercept integrated out, m = n - 1 degrees of freedom):
#   beta_j | sigma, latents ~ N(0, sigma^(2k) u_j), with u_j = s^2 (Gaussian prior),
#   u_j = t_j ~ Exp(rate 1 / (2 s^2)) (Laplace prior as a normal scale mixture) or
#   u_j = s^2 t_j with t_j = lambda_j^2, lambda_j ~ C+(0, 1) (horseshoe; Makalic & Schmidt 2016:
#   t_j | a_j ~ IG(1/2, 1/a_j), a_j ~ IG(1/2, 1)); s = 1/rho is the unit scale, fixed or random
#   (Gamma(a0, b0) on rho^2, or half-Cauchy via rho^2 | nu ~ Gamma(1/2, 1/nu), nu ~ IG(1/2, 1/hc^2));
#   p(sigma^2) ∝ 1/sigma^2 unless sigma is fixed.
# See bayesreg.sampling for the order of the blocks and why each is valid.

_TINY = 1e-300
_HUGE = 1e300


@cached_njit(nogil=True)
def _forward(L, b):  # pragma: no cover - compiled
    """Solve L x = b for lower-triangular L."""
    n = b.shape[0]
    x = np.empty(n)
    for i in range(n):
        acc = b[i]
        for k in range(i):
            acc -= L[i, k] * x[k]
        x[i] = acc / L[i, i]
    return x


@cached_njit(nogil=True)
def _backward(L, b):  # pragma: no cover - compiled
    """Solve L' x = b for lower-triangular L."""
    n = b.shape[0]
    x = np.empty(n)
    for i in range(n - 1, -1, -1):
        acc = b[i]
        for k in range(i + 1, n):
            acc -= L[k, i] * x[k]
        x[i] = acc / L[i, i]
    return x


@cached_njit(nogil=True)
def _inv_gamma(shape, scale):  # pragma: no cover - compiled
    return scale / np.random.gamma(shape, 1.0)


@cached_njit(nogil=True)
def _log_scale_prior(scale, a0, b0):  # pragma: no cover - compiled
    """log p(s) + const when 1/s^2 ~ Gamma(a0, rate b0)."""
    return -(2.0 * a0 + 1.0) * math.log(scale) - b0 / (scale * scale)


# the one-dimensional conditionals updated by slice sampling
(_RATE, _RIDGE, _GLOBAL, _NONCENTRED, _GAUSS_NONCENTRED, _LOCAL_COLLAPSED, _GROUP, _SLAB_SIGMA,
 _SLAB_SCALE, _SLAB) = range(10)


@cached_njit(nogil=True)
def _log_density(kind, x, lam, q2, sc):  # pragma: no cover - compiled
    """Log density (up to a constant) of a slice-sampled variable.

    ``_RATE``: x = log rho, density ∝ exp(m x - b0 e^{2x} - total e^x), sc = (m, b0, total).
    ``_GLOBAL``: x = log s given y and the local variances t, with beta and sigma^2 integrated
    out: y_c ~ N(0, sigma^2 (I + s^2 X T X')), p(sigma^2) ∝ 1/sigma^2, so the density is
    |I + s^2 X T X'|^(-1/2) Q^(-m/2) p(s) s with Q = y_c'(I + s^2 X T X')^-1 y_c
    = base + sum_i q2_i / (1 + s^2 lam_i), a sum of positive terms (``lam``: eigenvalues of
    T^(1/2) X'X T^(1/2), or of X T X' when p > n; see _draw_global); sc = (m, base, a0, b0).
    ``_RIDGE``: x = log sigma given y, omega and c = sigma s, with y_c ~ N(0, sigma^2 I +
    X Omega X') whose eigenvalues are ``lam`` and squared projections ``q2``;
    sc = (n - p, y'y, wide, c, a0, b0).
    ``_NONCENTRED``: x = log s given z = beta / s and the intercept b0 under the logistic
    likelihood: p(s) s prod_i p(y_i | b0 + s u_i), ``lam`` = u = X z, ``q2`` = the 0/1 responses,
    sc = (b0, a0, b0 of the scale's prior); see bayesreg._hmc_kernels.
    ``_GAUSS_NONCENTRED``: x = log s given z = beta / s, sigma and y under the Gaussian likelihood:
    p(s) s exp{-(s^2 z'X'Xz - 2 s z'X'y) / (2 sigma^2)}, sc = (z'X'Xz / sigma^2, z'X'y / sigma^2,
    a0, b0).
    ``_LOCAL_COLLAPSED``: x = log lambda_j given the other coefficients, sigma and s, with beta_j
    (prior N(0, v lambda_j^2)) integrated out and lambda_j ~ C+(0, eta_j): with a = x_j'x_j /
    sigma^2, h = x_j'(y - X_-j beta_-j) / sigma^2 and w = v lambda_j^2 the density is
    lambda_j (1 + lambda_j^2/eta_j^2)^-1 (1 + a w)^-1/2 exp{h^2 w / (2 (1 + a w))};
    sc = (a, h, v, eta_j^2, 1/c_j^2). With eta_j^2 = 0 given, lambda_j has the horseshoe+'s
    marginal density 4 log(lambda) / (pi^2 (lambda^2 - 1)) instead (eta_j integrated out too);
    1/c_j^2 > 0: the regularized horseshoe, w = (1/(v lambda_j^2) + 1/c_j^2)^-1.
    ``_GROUP``: x = log g of the move (s, lambda) -> (g s, lambda / g), which leaves every prior
    variance s^2 lambda_j^2 (so beta and the likelihood) unchanged (Liu & Sabatti 2000's
    generalized Gibbs step on the multiplicative group): p(g s) prod_j p(lambda_j / g) g^(1 - p),
    lambda_j ~ C+(0, eta_j); ``lam`` = lambda, ``q2`` = eta^2, sc = (log s, a0, b0).
    """
    if kind == _GROUP:
        total = _log_scale_prior(math.exp(sc[0] + x), sc[1], sc[2]) + x * (1.0 - lam.shape[0])
        shrink = math.exp(-2.0 * x)
        for j in range(lam.shape[0]):
            total -= math.log1p(lam[j] * lam[j] * shrink / q2[j])
        return total
    if kind == _SLAB_SIGMA or kind == _SLAB_SCALE or kind == _SLAB:
        # regularized horseshoe: sum_j log N(beta_j; 0, D_j), D_j = 1/(1/spread_j + 1/slab_j),
        # where the variable scales spread_j (sigma, s) or slab_j (c) by e^{2x}; ``lam`` = beta,
        # ``q2`` = (spread_j, slab_j) at x = 0
        p = lam.shape[0]
        e2 = math.exp(2.0 * x)
        total = 0.0
        for j in range(p):
            spread = q2[j] * (e2 if kind != _SLAB else 1.0)
            slab = q2[p + j] * (e2 if kind == _SLAB else 1.0)
            var = max(spread * slab / (spread + slab), _TINY)
            total -= 0.5 * (math.log(var) + lam[j] * lam[j] / var)
        if kind == _SLAB_SIGMA:  # sc = (m, rss): sigma^-m exp(-rss / (2 sigma^2)), p(log sigma) flat
            return total - sc[0] * x - 0.5 * sc[1] / e2
        if kind == _SLAB_SCALE:  # sc = (a0, b0): the scale's prior, in log s
            return total + _log_scale_prior(math.exp(x), sc[0], sc[1]) + x
        # sc = (slab_df, slab_scale): c^2 ~ IG(df/2, df scale^2/2), in log c
        return total - sc[0] * x - 0.5 * sc[0] * sc[1] * sc[1] / e2
    if kind == _LOCAL_COLLAPSED:
        w = sc[2] * math.exp(2.0 * x)
        w = w / (1.0 + w * sc[4])  # the regularized horseshoe's slab: 1/w = 1/(v lambda^2) + 1/c_j^2
        if sc[3] > 0.0:  # lambda_j ~ C+(0, eta_j)
            log_prior = -math.log1p(math.exp(2.0 * x) / sc[3])
        elif abs(x) < 1e-6:  # the horseshoe+ marginal, log(lambda)/(lambda^2 - 1) -> (1 - x)/2
            log_prior = math.log(0.5 * (1.0 - x))
        else:
            log_prior = math.log(x / math.expm1(2.0 * x))
        return (x + log_prior - 0.5 * math.log1p(sc[0] * w)
                + 0.5 * sc[1] * sc[1] * w / (1.0 + sc[0] * w))
    if kind == _GAUSS_NONCENTRED:
        s = math.exp(x)
        return -0.5 * s * s * sc[0] + s * sc[1] + _log_scale_prior(s, sc[2], sc[3]) + x
    if kind == _NONCENTRED:
        s = math.exp(x)
        total = 0.0
        for i in range(lam.shape[0]):
            e = sc[0] + s * lam[i]
            total += q2[i] * e - (max(e, 0.0) + math.log1p(math.exp(-abs(e))))
        return total + _log_scale_prior(s, sc[1], sc[2]) + x
    if kind == _RATE:
        e = math.exp(x)
        return sc[0] * x - sc[1] * e * e - sc[2] * e
    if kind == _GLOBAL:
        e2 = math.exp(2.0 * x)
        log_det = 0.0
        explained = 0.0
        for i in range(lam.shape[0]):
            d = 1.0 + e2 * lam[i]
            log_det += math.log(d)
            explained += q2[i] / d
        resid = max(sc[1] + explained, _TINY)
        return -0.5 * (log_det + sc[0] * math.log(resid)) + _log_scale_prior(math.exp(x), sc[2], sc[3]) + x
    extra, yy, wide, c, a0, b0 = sc[0], sc[1], sc[2], sc[3], sc[4], sc[5]
    e2 = math.exp(2.0 * x)
    acc = 0.0
    quad = 0.0
    for i in range(lam.shape[0]):
        v = e2 + lam[i]
        acc += math.log(v)
        quad += q2[i] / v
    if wide:
        out = -0.5 * (acc + quad)
    else:
        # y'y - quad is the residual of y_c off the p directions: >= 0, but rounding can make it a
        # tiny negative number when X fits y exactly (p >= n - 1), and divided by a small sigma^2
        # that would send the chain to sigma = 0
        out = -0.5 * (extra * 2.0 * x + acc + max(yy - quad, 0.0) / e2)
    return out + _log_scale_prior(c * math.exp(-x), a0, b0)


_MAX_STEPS = 64  # stepping-out limit (Neal 2003, Fig. 3): the interval grows to at most 64 widths
_MAX_SHRINK = 200  # shrinkage steps; after that the interval has collapsed onto the current point


@cached_njit(nogil=True)
def _slice(kind, x0, width, lam, q2, sc, max_steps=_MAX_STEPS):  # pragma: no cover - compiled
    """One univariate slice-sampling update of x (Neal 2003: stepping out with a limit of
    ``max_steps`` widths, split at random between the two sides, then shrinkage), bounded work."""
    start = _log_density(kind, x0, lam, q2, sc)
    if not (math.isfinite(x0) and math.isfinite(start)):
        raise FloatingPointError("slice sampler started at a non-finite point or density")
    level = start - np.random.exponential()
    left = x0 - width * np.random.random()
    right = left + width
    left_steps = int(max_steps * np.random.random())
    right_steps = max_steps - 1 - left_steps
    while left_steps > 0 and _log_density(kind, left, lam, q2, sc) > level:
        left -= width
        left_steps -= 1
    while right_steps > 0 and _log_density(kind, right, lam, q2, sc) > level:
        right += width
        right_steps -= 1
    for _ in range(_MAX_SHRINK):
        x1 = left + (right - left) * np.random.random()
        if _log_density(kind, x1, lam, q2, sc) > level:
            return x1
        if x1 < x0:
            left = x1
        else:
            right = x1
    return x0


@cached_njit(nogil=True)
def _bhattacharya(L, X, y, prior_var, sigma):  # pragma: no cover - compiled
    """Bhattacharya, Chakraborty & Mallick (2016): beta ~ N(Sigma Phi' a, Sigma),
    Sigma = (Phi' Phi + D^-1)^-1, Phi = X / sigma, a = y / sigma, in O(n^2 p), given the Cholesky
    factor L of Phi D Phi' + I."""
    u = np.sqrt(prior_var) * np.random.standard_normal(prior_var.shape[0])
    v = X @ u / sigma + np.random.standard_normal(y.shape[0])
    w = _backward(L, _forward(L, y / sigma - v))
    return u + prior_var * (X.T @ w) / sigma


@cached_njit(nogil=True)
def _scaled_gram(gram, root, ridge):  # pragma: no cover - compiled
    """R X'X R + ridge I for R = diag(root)."""
    p = root.shape[0]
    B = np.empty((p, p))
    for i in range(p):
        for j in range(p):
            B[i, j] = root[i] * gram[i, j] * root[j]
        B[i, i] += ridge
    return B


@cached_njit(nogil=True)
def _draw_beta(gram, corr, prior_var, sigma2):  # pragma: no cover - compiled
    """beta | sigma^2, prior variances: N(M^-1 c, sigma^2 M^-1), M = X'X + sigma^2 D^-1 (n >= p)."""
    p = prior_var.shape[0]
    sigma = math.sqrt(sigma2)
    # M = X'X + sigma^2 D^-1 = R^-1 B R^-1 with R = D^(1/2), B = R X'X R + sigma^2 I: B stays
    # well conditioned however small the prior variances are (M itself would overflow)
    root = np.sqrt(prior_var)
    L = np.linalg.cholesky(_scaled_gram(gram, root, sigma2))
    mean = root * _backward(L, _forward(L, root * corr))
    return mean + sigma * root * _backward(L, np.random.standard_normal(p))


@cached_njit(nogil=True)
def _draw_beta_wide(X, y, prior_var, sigma2):  # pragma: no cover - compiled
    """:func:`_draw_beta` for p > n: Bhattacharya, Chakraborty & Mallick (2016), O(n^2 p)."""
    sigma = math.sqrt(sigma2)
    n = y.shape[0]
    scaled = X * (prior_var / sigma2)
    K = scaled @ X.T
    for i in range(n):
        K[i, i] += 1.0
    return _bhattacharya(np.linalg.cholesky(K), X, y, prior_var, sigma)


@cached_njit(nogil=True)
def _draw_collapsed(gram, corr, yy, unit_var, m):  # pragma: no cover - compiled
    """(sigma^2, beta) | unit variances with beta integrated out of sigma^2 (prior var sigma^2 u),
    n >= p."""
    p = unit_var.shape[0]
    root = np.sqrt(unit_var)  # M = X'X + U^-1 = R^-1 (R X'X R + I) R^-1, as in _draw_beta
    L = np.linalg.cholesky(_scaled_gram(gram, root, 1.0))
    q = _forward(L, root * corr)
    sigma2 = _inv_gamma(0.5 * m, max(yy - q @ q, _TINY) / 2.0)
    mean = root * _backward(L, q)
    return sigma2, mean + math.sqrt(sigma2) * root * _backward(L, np.random.standard_normal(p))


@cached_njit(nogil=True)
def _draw_collapsed_wide(X, y, unit_var, m):  # pragma: no cover - compiled
    """:func:`_draw_collapsed` for p > n (Bhattacharya et al.'s draw of beta)."""
    n = y.shape[0]
    K = (X * unit_var) @ X.T
    for i in range(n):
        K[i, i] += 1.0
    L = np.linalg.cholesky(K)
    q = _forward(L, y)
    sigma2 = _inv_gamma(0.5 * m, max(q @ q, _TINY) / 2.0)
    # K = I + X U X' is Phi D Phi' + I for D = sigma^2 U: reuse its factor
    return sigma2, _bhattacharya(L, X, y, sigma2 * unit_var, math.sqrt(sigma2))


@cached_njit(nogil=True)
def _copy(target, source):  # pragma: no cover - compiled
    """target[:] = source, as a loop: numba's slice assignment compiles its shape-mismatch error
    message (string formatting), seconds of a first compile for a copy."""
    for j in range(source.shape[0]):
        target[j] = source[j]


@cached_njit(nogil=True)
def _draw_along_ridge(gram, corr, yy, X, y, wide, unit_var, sigma2, rho2, a0, b0,
                      n_minus_p):  # pragma: no cover - compiled
    """(sigma, beta) | y, omega = sigma^2 u, c = sigma s: returns (sigma2, beta, rho2, new unit_var).

    With beta integrated out y_c ~ N(0, sigma^2 I + X_c Omega X_c'); one eigendecomposition makes
    the density of log sigma cheap to evaluate (slice-sampled); then s = c / sigma, u = omega /
    sigma^2 and beta | y, omega, sigma is drawn exactly.
    """
    p = unit_var.shape[0]
    omega = sigma2 * unit_var
    c = math.sqrt(sigma2 / rho2)
    if wide:
        n = y.shape[0]
        lam, vecs = np.linalg.eigh((X * omega) @ X.T)
        lam = np.maximum(lam, 0.0)
        qv = vecs.T @ y
        q2 = qv * qv
        extra = 0.0
    else:
        n = 0
        root = np.sqrt(omega)
        B = gram * root.reshape(-1, 1) * root.reshape(1, -1)
        lam, vecs = np.linalg.eigh(B)
        lam = np.maximum(lam, 0.0)
        z = vecs.T @ (root * corr)
        q2 = z * z
        extra = n_minus_p
    settings = np.array([extra, yy, 1.0 if wide else 0.0, c, a0, b0])
    x = _slice(_RIDGE, 0.5 * math.log(sigma2), 1.0, lam, q2, settings)
    sigma2 = math.exp(2.0 * x)
    sigma = math.sqrt(sigma2)
    if wide:
        u = np.sqrt(omega) * np.random.standard_normal(p)
        v = X @ u / sigma + np.random.standard_normal(n)
        r = vecs.T @ (y / sigma - v)
        w = vecs @ ((sigma2 / (lam + sigma2)) * r)
        beta = u + omega * (X.T @ w) / sigma
    else:
        d = lam + sigma2
        beta = root * (vecs @ (z / d + sigma * np.random.standard_normal(p) / np.sqrt(d)))
    return sigma2, beta, sigma2 / (c * c), omega / sigma2


@cached_njit(nogil=True)
def _draw_global(gram, corr, yy, X, y, wide, t, rho2, a0, b0, m):  # pragma: no cover - compiled
    """(s, sigma^2, beta) | y, t for beta_j ~ N(0, sigma^2 s^2 t_j): returns (sigma2, beta, rho2).

    One block (as Johndrow, Orenstein & Bhattacharya 2020 do for the horseshoe): s with beta and
    sigma^2 integrated out (one eigendecomposition, then a slice step on log s), sigma^2 | s, t ~
    IG(m/2, Q/2) with beta integrated out, beta | sigma^2, s, t exactly. The global scale no longer
    waits for beta to move, which the conditional s | beta makes it do.
    """
    # Q = y_c'(I + s^2 X T X')^-1 y_c as base + sum_i q2_i / (1 + s^2 lam_i), every term >= 0: as
    # s grows Q falls towards the residual of an exact fit, which a difference of large numbers
    # would turn into rounding noise (and a spurious mode at s = infinity)
    p = t.shape[0]
    if wide:
        n = y.shape[0]
        lam, vecs = np.linalg.eigh((X * t) @ X.T)
        # the centring direction (and any rank deficiency) is 0 up to rounding; small real
        # eigenvalues (near-collinear columns in natural units reach 1e-12 of the largest) are data
        lam = np.where(lam > 8.0 * n * 2.2e-16 * lam[-1], lam, 0.0)
        qv = vecs.T @ y
        q2 = qv * qv
        base = 0.0
        root = np.empty(0)
        z = np.empty(0)
    else:
        n = 0
        root = np.sqrt(t)
        lam, vecs = np.linalg.eigh(gram * root.reshape(-1, 1) * root.reshape(1, -1))
        lam = np.where(lam > 8.0 * p * 2.2e-16 * lam[-1], lam, 0.0)
        z = vecs.T @ (root * corr)
        q2 = np.where(lam > 0.0, z * z / np.maximum(lam, _TINY), 0.0)
        z = np.where(lam > 0.0, z, 0.0)
        base = max(yy - np.sum(q2), 0.0)  # the least-squares residual sum of squares
    # at most 8 widths of log s: from a start far below the mode (the first iterations) a longer
    # interval would reach the flat far tail towards an exact fit (s -> infinity, sigma -> 0)
    # where the beta draw loses its precision; in the bulk log s moves by about one width
    x = _slice(_GLOBAL, -0.5 * math.log(rho2), 1.0, lam, q2, np.array([m, base, a0, b0]), 8)
    s2 = math.exp(2.0 * x)
    d = 1.0 + s2 * lam
    sigma2 = _inv_gamma(0.5 * m, max(base + np.sum(q2 / d), _TINY) / 2.0)
    sigma = math.sqrt(sigma2)
    if wide:  # Bhattacharya et al. with Phi = X / sigma, D = sigma^2 s^2 T: Phi D Phi' + I = V diag(d) V'
        omega = sigma2 * s2 * t
        u = np.sqrt(omega) * np.random.standard_normal(p)
        v = X @ u / sigma + np.random.standard_normal(n)
        w = vecs @ ((vecs.T @ (y / sigma - v)) / d)
        beta = u + omega * (X.T @ w) / sigma
    else:  # N(s^2 R V diag(1/d) V' R c, sigma^2 s^2 R V diag(1/d) V' R), R = T^(1/2)
        scale = math.sqrt(s2)
        beta = scale * root * (vecs @ (scale * z / d + sigma * np.random.standard_normal(p) / np.sqrt(d)))
    return sigma2, beta, 1.0 / s2


@cached_njit(nogil=True)
def _inverse_gaussian(mean, shape):  # pragma: no cover - compiled
    r"""Inverse-Gaussian draw (Michael, Schucany & Haas 1976), stable when mean >> shape.

    The smaller root :math:`\mu(1 + \phi - \sqrt{\phi^2 + 2\phi})`, :math:`\phi = \mu z^2/(2\lambda)`,
    is computed as :math:`\mu / (1 + \phi + \sqrt{\phi^2 + 2\phi})` (no cancellation; ``np.random.wald``
    returns 0 or NaN once mean/shape passes about 1e20).
    """
    z = np.random.standard_normal()
    y = z * z
    phi = mean * y / (2.0 * shape)
    if phi > 1e150:
        x = shape / y  # the limit of the root as phi grows
    else:
        x = mean / (1.0 + phi + math.sqrt(phi * (phi + 2.0)))
    if np.random.random() * (mean + x) <= mean:
        return x
    return mean * (mean / x)


@cached_njit(nogil=True)
def _exponential_locals(beta, b, t, unit):  # pragma: no cover - compiled
    r"""Exponential mixing (Park & Casella 2008): a Laplace(0, b) coefficient is
    :math:`N(0, \omega_j)` with :math:`\omega_j \sim \mathrm{Exp}(\text{rate } 1/(2b^2))`, and
    :math:`1/\omega_j \mid \beta_j \sim \mathrm{InvGaussian}(1/(b|\beta_j|), 1/b^2)`. Draws each
    :math:`\omega_j` given :math:`\beta_j` into ``t`` (in units of ``unit``), in place."""
    for j in range(beta.shape[0]):
        mean = min(1.0 / (b * max(abs(beta[j]), _TINY)), _HUGE)
        inv_omega = _inverse_gaussian(mean, 1.0 / (b * b))
        t[j] = 1.0 / (max(inv_omega, _TINY) * unit)


@cached_njit()
def exponential_mixture_variances(coef, b, seed):  # pragma: no cover - compiled
    r"""The latent variances :math:`\omega_{sj}` of Laplace(0, b_s) coefficients, drawn given
    ``coef`` (S, p) as in the Gibbs kernel (:func:`_exponential_locals`); ``b`` (S,); returns (S, p)."""
    np.random.seed(seed)
    out = np.empty_like(coef)
    for s in range(coef.shape[0]):
        _exponential_locals(coef[s], b[s], out[s], 1.0)
    return out


announce(exponential_mixture_variances, "the Laplace prior's latent-variance draws")


@cached_njit(nogil=True)
def _check_state(sigma2, rho2, nu, beta):  # pragma: no cover - compiled
    """Stop with FloatingPointError as soon as the chain's state leaves the finite positive range."""
    if not (math.isfinite(sigma2) and sigma2 > 0.0):
        raise FloatingPointError("the noise variance left the finite positive range")
    if not (math.isfinite(rho2) and rho2 > 0.0 and math.isfinite(nu) and nu > 0.0):
        raise FloatingPointError("the prior scale left the finite positive range")
    for j in range(beta.shape[0]):
        if not math.isfinite(beta[j]):
            raise FloatingPointError("a coefficient became non-finite")


GibbsData = namedtuple("GibbsData", "gram corr yy n X y wide x_mean y_mean")
GibbsData.__doc__ = """The standardized data a chain reads: centred statistics (n >= p) or the centred
design and response (``wide``, p > n; then ``gram`` is empty), and the means for the intercept."""

GibbsPrior = namedtuple("GibbsPrior",
                        "local k sigma_fixed fixed_scale hyper_kind hyper_a hyper_b ridge_moves "
                        "slab_df slab_scale slab_factors2", defaults=(0.0, 0.0, np.empty(0)))
GibbsPrior.__doc__ = """The model as the kernel reads it.

``local``: the prior family's local-variance update (``bayesreg.priors.GIBBS_*``: 0 every
coefficient has variance s²σ^(2k), 1 exponential mixing, i.e. a Laplace prior, 2 half-Cauchy local
scales, i.e. the horseshoe, 3 half-Cauchy local scales with half-Cauchy scales, i.e. the
horseshoe+); ``k``: the power of
σ in the prior scale; ``fixed_scale``: s when fixed; ``hyper_kind``: 0 fixed scale, 1 Gamma(hyper_a,
hyper_b) on ρ² = 1/s², 2 half-Cauchy(hyper_a) on s; ``ridge_moves``: joint (σ, β) moves along the
σ–scale ridge."""

GibbsState = namedtuple("GibbsState", "beta t scalars aux", defaults=(np.empty(0),))
GibbsState.__doc__ = """A chain's state, updated in place: β, the local variances t (in units of σ^(2k);
for the horseshoe t_j = λ_j², in units of σ^(2k) s²), ``scalars`` = [σ², ρ², ν] and ``aux`` the
horseshoe's local auxiliaries a_j (the horseshoe+'s a_j, η_j², b_j one after the other; empty
otherwise)."""

GibbsDraws = namedtuple("GibbsDraws", "coef intercept sigma rand rand_is_scale local local_scale slab",
                        defaults=(np.empty((0, 0)), np.empty((0, 0)), np.empty(0)))
GibbsDraws.__doc__ = """Output arrays (one row per kept draw), whether ``rand`` records s (True)
or ρ = 1/s (False), ``local``: the horseshoe's local scales λ_j per draw and ``local_scale``: the
horseshoe+'s scales η_j of λ_j (each empty otherwise), ``slab``: the regularized horseshoe's c."""


@cached_njit(nogil=True)
def _half_cauchy_locals(beta, t, aux, inv_scale2):  # pragma: no cover - compiled
    r"""Makalic & Schmidt (2016): :math:`\lambda_j^2 \mid a_j, \beta_j \sim IG(1, 1/a_j +
    \beta_j^2/(2v))` then :math:`a_j \mid \lambda_j^2 \sim IG(1, 1 + 1/\lambda_j^2)`, in place;
    ``inv_scale2`` = 1/v = 1/(σ^(2k) s²). Kept inside [1e-300, 1e300]."""
    for j in range(beta.shape[0]):
        t[j] = min(max(_inv_gamma(1.0, 1.0 / aux[j] + 0.5 * beta[j] * beta[j] * inv_scale2), _TINY),
                   _HUGE)
        aux[j] = min(max(_inv_gamma(1.0, 1.0 + 1.0 / t[j]), _TINY), _HUGE)
        if not (math.isfinite(t[j]) and math.isfinite(aux[j])):
            raise FloatingPointError("a local scale left the finite positive range")


@cached_njit(nogil=True)
def _half_cauchy_plus_locals(beta, t, aux, inv_scale2):  # pragma: no cover - compiled
    r"""The horseshoe+ (Bhadra et al. 2017), :math:`\lambda_j \sim C^+(0, \eta_j)`,
    :math:`\eta_j \sim C^+(0, 1)`, as two half-Cauchy mixtures: :math:`\lambda_j^2 \mid a_j \sim
    IG(\tfrac12, 1/a_j)`, :math:`a_j \sim IG(\tfrac12, 1/\eta_j^2)`, :math:`\eta_j^2 \mid b_j \sim
    IG(\tfrac12, 1/b_j)`, :math:`b_j \sim IG(\tfrac12, 1)`. In place, each from its conditional:
    :math:`\lambda_j^2 \sim IG(1, 1/a_j + \beta_j^2/(2v))`, :math:`a_j \sim IG(1, 1/\eta_j^2 +
    1/\lambda_j^2)`, :math:`\eta_j^2 \sim IG(1, 1/a_j + 1/b_j)`, :math:`b_j \sim IG(1, 1 +
    1/\eta_j^2)`; ``aux`` = (a, η², b), ``inv_scale2`` = 1/v. Kept inside [1e-300, 1e300]."""
    p = beta.shape[0]
    for j in range(p):
        a, eta2, b = aux[j], aux[p + j], aux[2 * p + j]
        t[j] = min(max(_inv_gamma(1.0, 1.0 / a + 0.5 * beta[j] * beta[j] * inv_scale2), _TINY),
                   _HUGE)
        a = min(max(_inv_gamma(1.0, 1.0 / eta2 + 1.0 / t[j]), _TINY), _HUGE)
        eta2 = min(max(_inv_gamma(1.0, 1.0 / a + 1.0 / b), _TINY), _HUGE)
        b = min(max(_inv_gamma(1.0, 1.0 + 1.0 / eta2), _TINY), _HUGE)
        if not (math.isfinite(t[j]) and math.isfinite(a) and math.isfinite(eta2)
                and math.isfinite(b)):
            raise FloatingPointError("a local scale left the finite positive range")
        aux[j], aux[p + j], aux[2 * p + j] = a, eta2, b


@cached_njit(nogil=True)
def _regularized_iteration(gram, corr, yy, X, y, wide, beta, t, scalars, sigma_fixed, hyper_kind,
                           hyper_a, hyper_b, fixed_scale, slab_df, slab_scale, factors2,
                           m):  # pragma: no cover - compiled
    r"""One Gibbs iteration of the regularized horseshoe (Piironen & Vehtari 2017), in place.

    :math:`\beta_j \sim N(0, D_j)`, :math:`D_j = (1/c_j^2 + 1/(\tau^2\lambda_j^2))^{-1}`,
    :math:`\tau = \sigma s`, :math:`c_j = c f_j`; ``t`` = λ², ``scalars`` = [σ², ρ² = 1/s², ν, c],
    ``factors2`` = :math:`f_j^2`. In turn: β | D, σ² (one Gaussian block); σ | β, ... (slice on
    log σ: the likelihood and D both depend on σ); each (λ_j, β_j) jointly (λ_j with β_j integrated
    out); for a random scale the move (s, λ) → (g s, λ/g), s | β, λ, c, σ (slice on log s) and ν;
    c | β, λ, s, σ (slice on log c).
    """
    p = beta.shape[0]
    sigma2, rho2, nu, slab = scalars[0], scalars[1], scalars[2], scalars[3]
    unit_scale2 = fixed_scale * fixed_scale if hyper_kind == 0 else 1.0 / rho2
    if hyper_kind == 1:
        a0, b0 = hyper_a, hyper_b
    else:
        a0, b0 = 0.5, 1.0 / nu
    slab2 = slab * slab * factors2
    spread = np.maximum(sigma2 * unit_scale2 * t, _TINY)
    prior_var = np.maximum(spread * slab2 / (spread + slab2), _TINY)
    if wide:
        _copy(beta, _draw_beta_wide(X, y, prior_var, sigma2))
    else:
        _copy(beta, _draw_beta(gram, corr, prior_var, sigma2))
    if not sigma_fixed:
        if wide:
            resid = y - X @ beta
            rss = resid @ resid
        else:
            rss = max(yy - 2.0 * (beta @ corr) + beta @ (gram @ beta), 0.0)
        base = np.concatenate((unit_scale2 * t, slab2))  # spread at sigma = 1, and the slab
        x = _slice(_SLAB_SIGMA, 0.5 * math.log(sigma2), 0.5, beta, base, np.array([m, rss]))
        sigma2 = math.exp(2.0 * x)
    ones = np.ones(p)
    v = sigma2 * unit_scale2
    if wide:
        _sweep_local_resid(X, y, beta, t, sigma2, v, ones, 1.0 / slab2)
    else:
        _sweep_local_gram(gram, corr, beta, t, sigma2, v, ones, 1.0 / slab2)
    if hyper_kind != 0:
        x = _slice(_GROUP, 0.0, 0.5, np.sqrt(t), ones, np.array([-0.5 * math.log(rho2), a0, b0]))
        shrink = math.exp(-2.0 * x)
        for j in range(p):
            t[j] = min(max(t[j] * shrink, _TINY), _HUGE)
        rho2 *= shrink
        base = np.concatenate((sigma2 * t, slab2))  # spread at s = 1
        x = _slice(_SLAB_SCALE, -0.5 * math.log(rho2), 0.5, beta, base, np.array([a0, b0]))
        rho2 = math.exp(-2.0 * x)
        if hyper_kind == 2:
            nu = _inv_gamma(1.0, 1.0 / (hyper_a * hyper_a) + rho2)
        unit_scale2 = 1.0 / rho2
    base = np.concatenate((np.maximum(sigma2 * unit_scale2 * t, _TINY), factors2))  # slab at c = 1
    x = _slice(_SLAB, math.log(slab), 0.5, beta, base, np.array([slab_df, slab_scale]))
    slab = math.exp(x)
    scalars[0], scalars[1], scalars[2], scalars[3] = sigma2, rho2, nu, slab
    if not (math.isfinite(sigma2) and sigma2 > 0.0 and math.isfinite(slab) and slab > 0.0):
        raise FloatingPointError("the noise variance or the slab left the finite positive range")


# The (σ², β) block of an iteration (see bayesreg.sampling._gibbs_chain): the horseshoe's global
# scale with β and σ² integrated out, joint moves along the σ–scale ridge, σ² with β integrated out,
# or β and then σ² given β.
_GLOBAL_MOVES, _RIDGE_MOVES, _COLLAPSED, _CONDITIONAL, _REGULARIZED_BLOCK = 0, 1, 2, 3, 4


def block_kind(prior) -> int:
    """Which (σ², β) block a chain of ``prior`` (:class:`GibbsPrior`) runs."""
    if prior.local == _REGULARIZED:
        return _REGULARIZED_BLOCK
    # the horseshoe's and the Gaussian prior's variances are s² times latents fixed in this block
    global_scale = prior.local in (_FIXED_VARIANCE, _HALF_CAUCHY_MIXTURE, _HALF_CAUCHY_PLUS)
    collapsed = (not prior.sigma_fixed) and prior.k == 1
    if global_scale and collapsed and prior.hyper_kind != 0:
        return _GLOBAL_MOVES
    if prior.ridge_moves:
        return _RIDGE_MOVES
    return _COLLAPSED if collapsed else _CONDITIONAL


def _make_gibbs_block(local: int, block: int, wide: bool):
    """Compile-on-demand kernel for one prior family (``local``), (σ², β) block and data form.

    The variant's settings are constants of the closure, so numba removes the branches of the other
    variants and compiles (and caches) only the code this model runs: a first Gaussian-prior fit
    does not wait for the horseshoe's or the p > n updates to compile.
    """
    mixing = local == _EXPONENTIAL_MIXTURE  # each β_j has its own variance ω_j
    plus = local == _HALF_CAUCHY_PLUS  # the horseshoe+: λ_j ~ C+(0, η_j)
    horseshoe = plus or local == _HALF_CAUCHY_MIXTURE  # β_j has the variance s²λ_j² σ^(2k)
    global_moves = block == _GLOBAL_MOVES  # the horseshoe's global scale with β, σ integrated out
    ridge_moves = block == _RIDGE_MOVES
    collapsed = block == _COLLAPSED
    regularized = block == _REGULARIZED_BLOCK

    @cached_njit(nogil=True)
    def gibbs_block_variant(n_iter, seed, data, prior, state, draws, skip, offset):  # pragma: no cover
        gram, corr, yy, n, X, y = data.gram, data.corr, data.yy, data.n, data.X, data.y
        x_mean, y_mean = data.x_mean, data.y_mean
        k, sigma_fixed, fixed_scale = prior.k, prior.sigma_fixed, prior.fixed_scale
        hyper_kind, hyper_a, hyper_b = prior.hyper_kind, prior.hyper_a, prior.hyper_b
        beta, t, aux = state.beta, state.t, state.aux
        local_out = draws.local
        coef_out, intercept_out, sigma_out = draws.coef, draws.intercept, draws.sigma
        rand_out, rand_is_scale = draws.rand, draws.rand_is_scale
        np.random.seed(seed)
        p = beta.shape[0]
        m = n - 1.0
        sigma2, rho2, nu = state.scalars[0], state.scalars[1], state.scalars[2]
        no_array = np.empty(0)
        for it in range(n_iter):
            if regularized:
                _regularized_iteration(gram, corr, yy, X, y, wide, beta, t, state.scalars,
                                       sigma_fixed, hyper_kind, hyper_a, hyper_b, fixed_scale,
                                       prior.slab_df, prior.slab_scale, prior.slab_factors2, m)
                sigma2, rho2, nu = state.scalars[0], state.scalars[1], state.scalars[2]
                _check_state(sigma2, rho2, nu, beta)
                intercept = y_mean - x_mean @ beta + math.sqrt(sigma2 / n) * np.random.standard_normal()
                if it >= skip:
                    d = offset + it - skip
                    _copy(coef_out[d], beta)
                    intercept_out[d] = intercept
                    sigma_out[d] = math.sqrt(sigma2)
                    if hyper_kind != 0:
                        rand_out[d] = 1.0 / math.sqrt(rho2) if rand_is_scale else math.sqrt(rho2)
                    _copy(local_out[d], np.sqrt(t))
                    draws.slab[d] = state.scalars[3]
                continue
            unit_scale2 = fixed_scale * fixed_scale if hyper_kind == 0 else 1.0 / rho2
            if mixing:
                unit_var = np.maximum(t, _TINY)
            elif horseshoe:
                unit_var = np.maximum(t * unit_scale2, _TINY)
            else:
                unit_var = np.full(p, max(unit_scale2, _TINY))
            if hyper_kind == 1:
                a0, b0 = hyper_a, hyper_b
            else:
                a0, b0 = 0.5, 1.0 / nu
            if global_moves:
                sigma2, beta_new, rho2 = _draw_global(gram, corr, yy, X, y, wide,
                                                      t if horseshoe else np.ones(p), rho2, a0, b0, m)
                _copy(beta, beta_new)
                unit_scale2 = 1.0 / rho2
            elif ridge_moves:
                sigma2, beta_new, rho2, unit_new = _draw_along_ridge(
                    gram, corr, yy, X, y, wide, unit_var, sigma2, rho2, a0, b0, n - p)
                _copy(beta, beta_new)
                if mixing:
                    _copy(t, unit_new)
                unit_scale2 = 1.0 / rho2
            elif collapsed:
                if wide:
                    sigma2, beta_new = _draw_collapsed_wide(X, y, unit_var, m)
                else:
                    sigma2, beta_new = _draw_collapsed(gram, corr, yy, unit_var, m)
                _copy(beta, beta_new)
            else:
                if wide:
                    _copy(beta, _draw_beta_wide(X, y, unit_var * sigma2**k, sigma2))
                else:
                    _copy(beta, _draw_beta(gram, corr, unit_var * sigma2**k, sigma2))
                if not sigma_fixed:
                    if wide:
                        resid = y - X @ beta
                        rss = resid @ resid
                    else:
                        rss = max(yy - 2.0 * (beta @ corr) + beta @ (gram @ beta), 0.0)
                    if k == 0:
                        sigma2 = _inv_gamma(0.5 * m, max(rss, _TINY) / 2.0)
                    else:  # k == 2: Laplace with b = scale * sigma^2, latents integrated out
                        sigma2 = _inv_gamma(0.5 * m + p, rss / 2.0 + np.abs(beta).sum() / fixed_scale)
            sigma_k2 = sigma2**k
            if mixing:  # exact coordinate-wise draws with the latents integrated out
                inv_b = 1.0 / math.sqrt(unit_scale2 * sigma_k2)
                if wide:
                    _sweep_resid(X, y, beta, sigma2, inv_b)
                else:
                    _sweep_gram(gram, corr, beta, sigma2, inv_b)
            if horseshoe:  # joint (lambda_j, beta_j) draws, then a_j | lambda_j (a_j integrated out)
                v = unit_scale2 * sigma_k2
                marginal = np.zeros(p) if plus else np.ones(p)  # 0: the horseshoe+'s marginal of lambda_j
                if wide:
                    _sweep_local_resid(X, y, beta, t, sigma2, v, marginal, np.zeros(p))
                else:
                    _sweep_local_gram(gram, corr, beta, t, sigma2, v, marginal, np.zeros(p))
                if plus:  # eta_j (and b_j) integrated out above: drawn now, exactly, given lambda_j
                    for j in range(p):
                        aux[p + j], aux[j], aux[2 * p + j] = _plus_scales_given_local(t[j])
                eta2 = aux[p:2 * p] if plus else marginal
                if hyper_kind != 0:  # the s-lambda ridge: (s, lambda) -> (g s, lambda / g)
                    if hyper_kind == 2:
                        b0 = 1.0 / nu
                    x = _slice(_GROUP, 0.0, 0.5, np.sqrt(t), eta2,
                               np.array([-0.5 * math.log(rho2), a0, b0]))
                    shrink = math.exp(-2.0 * x)
                    for j in range(p):
                        t[j] = min(max(t[j] * shrink, _TINY), _HUGE)
                    rho2 *= shrink
                    unit_scale2 = 1.0 / rho2
                for j in range(p):
                    aux[j] = min(max(_inv_gamma(1.0, 1.0 / eta2[j] + 1.0 / t[j]), _TINY), _HUGE)
            if hyper_kind != 0:
                if mixing:  # rho | beta, sigma with the latents integrated out
                    total = np.abs(beta).sum() / math.sqrt(sigma_k2)
                    m_rate = p + 2.0 * a0
                    x = _slice(_RATE, 0.5 * math.log(rho2), 2.0 / math.sqrt(m_rate), no_array,
                               no_array, np.array([m_rate, b0, total]))
                    rho2 = math.exp(2.0 * x)
                elif global_moves:  # s was drawn with beta and sigma^2 integrated out, above
                    pass
                elif horseshoe:  # tau^2 ~ IG((p + 1)/2, 1/nu + sum beta_j^2 / (2 sigma^2k lambda_j^2))
                    rho2 = np.random.gamma(a0 + 0.5 * p,
                                           1.0 / (b0 + (beta @ (beta / t)) / (2.0 * sigma_k2)))
                else:
                    rho2 = np.random.gamma(a0 + 0.5 * p, 1.0 / (b0 + (beta @ beta) / (2.0 * sigma_k2)))
                if hyper_kind == 2:
                    nu = _inv_gamma(1.0, 1.0 / (hyper_a * hyper_a) + rho2)
                _check_state(sigma2, rho2, nu, beta)
                unit_scale2 = 1.0 / rho2
            if mixing:
                _exponential_locals(beta, math.sqrt(unit_scale2 * sigma_k2), t, sigma_k2)
            if plus:
                _half_cauchy_plus_locals(beta, t, aux, 1.0 / (unit_scale2 * sigma_k2))
            elif horseshoe:
                _half_cauchy_locals(beta, t, aux, 1.0 / (unit_scale2 * sigma_k2))
            if hyper_kind != 0:  # s again, non-centred: s | beta / s, sigma, y
                if hyper_kind == 2:
                    b0 = 1.0 / nu
                scale = math.sqrt(unit_scale2)
                if wide:
                    u = X @ beta
                    quad, lin = u @ u, u @ y
                else:
                    quad, lin = beta @ (gram @ beta), beta @ corr
                settings = np.array([quad / (scale * scale * sigma2), lin / (scale * sigma2), a0, b0])
                x = _slice(_GAUSS_NONCENTRED, math.log(scale), 0.5, no_array, no_array, settings)
                ratio = math.exp(x) / scale
                for j in range(p):
                    beta[j] *= ratio
                    if mixing:
                        t[j] *= ratio * ratio
                rho2 = math.exp(-2.0 * x)
            _check_state(sigma2, rho2, nu, beta)
            intercept = y_mean - x_mean @ beta + math.sqrt(sigma2 / n) * np.random.standard_normal()
            if it >= skip:
                d = offset + it - skip
                _copy(coef_out[d], beta)
                intercept_out[d] = intercept
                sigma_out[d] = math.sqrt(sigma2)
                if hyper_kind != 0:
                    rand_out[d] = 1.0 / math.sqrt(rho2) if rand_is_scale else math.sqrt(rho2)
                if horseshoe:
                    _copy(local_out[d], np.sqrt(t))
                if plus:
                    _copy(draws.local_scale[d], np.sqrt(aux[p:2 * p]))
        state.scalars[0], state.scalars[1], state.scalars[2] = sigma2, rho2, nu

    return gibbs_block_variant


_PRIOR_NAMES = {0: "Gaussian", _EXPONENTIAL_MIXTURE: "Laplace", _HALF_CAUCHY_MIXTURE: "horseshoe",
                _HALF_CAUCHY_PLUS: "horseshoe+", _REGULARIZED: "regularized horseshoe"}
_VARIANTS: dict = {}


def gibbs_kernel(local: int, block: int, wide: bool):
    """The compiled kernel for one variant (made on first use; numba compiles it on its first call,
    or loads it from the disk cache)."""
    key = (int(local), int(block), bool(wide))
    kernel = _VARIANTS.get(key)
    if kernel is None:
        kernel = _VARIANTS.setdefault(key, announce(
            _make_gibbs_block(*key),
            f"the Gibbs sampler for the {_PRIOR_NAMES.get(key[0], f'code-{key[0]}')} prior"
            + (" (p > n form)" if key[2] else "")))
    return kernel


def gibbs_block(n_iter, seed, data, prior, state, draws, skip, offset):
    """Run ``n_iter`` iterations of one chain, storing those after the first ``skip`` at ``offset``.

    ``data`` is a :class:`GibbsData`, ``prior`` a :class:`GibbsPrior`, ``state`` a
    :class:`GibbsState` (updated in place), ``draws`` a :class:`GibbsDraws`. The work runs in the
    compiled variant for this prior family, (σ², β) block and data form (:func:`gibbs_kernel`).
    """
    kernel = gibbs_kernel(prior.local, block_kind(prior), data.wide)
    kernel(n_iter, seed, data, prior, state, draws, skip, offset)
