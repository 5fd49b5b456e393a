r"""Hamiltonian Monte Carlo within Gibbs, compiled (numba, cached): the logistic likelihood's sampler.

Pólya-Gamma Gibbs draws the coefficients exactly given the latent weights ω, but on correlated,
nearly separated data the weights and the coefficients hold each other in place and the chain
crawls (a minimum bulk ESS of a few dozen per 4,000 draws on the breast-cancer data). Here the
coefficient block is instead one Hamiltonian Monte Carlo step on its conditional, while the prior's
scales keep their Gibbs updates:

1. :math:`\theta = (b_0, \beta) \mid D`: with :math:`D_j` the prior variance of :math:`\beta_j`
   (:math:`s^2` for the Gaussian prior, the latent :math:`\omega_j` of the Laplace prior's
   exponential mixture, :math:`s^2\lambda_j^2` for the horseshoe), the log conditional is
   :math:`\ell(\theta) = \sum_i [y_i\eta_i - \log(1 + e^{\eta_i})] - \tfrac12\sum_j\beta_j^2/D_j`,
   smooth and log-concave. One HMC transition (leapfrog, Metropolis accept/reject) with the mass
   matrix :math:`H = \tilde X^\top \bar W \tilde X + \mathrm{diag}(0, 1/D)`, :math:`\tilde X = [1, X]`:
   :math:`\bar W` is the mean of :math:`p_i(1 - p_i)` over a window of warm-up draws (so H is the
   expected curvature of :math:`-\ell`; it is fixed while sampling, since a mass matrix may depend on
   the other blocks but not on θ itself). In H's whitened coordinates the conditional is close to a
   standard normal, whatever the correlation of the columns or the scale of the prior, so a
   trajectory of length about π/2 gives a nearly independent draw. The step size is tuned during
   warm-up by dual averaging (Hoffman & Gelman 2014) to an acceptance rate of 0.8, and jittered by
   ±20 % per transition. A transition whose energy error exceeds 1,000 is rejected and counted as
   divergent.
2. The global scale s, centred: :math:`s \mid \beta` by the family's conjugate or slice update
   (the same as for the Gaussian likelihood); the half-Cauchy's auxiliary ν.
3. The local variances given β and s (inverse Gaussian for the Laplace prior, the
   inverse-gamma auxiliaries of Makalic & Schmidt 2016 for the horseshoe and horseshoe+).
4. The global scale again, non-centred (the interweaving of Yu & Meng 2011): with
   :math:`z = \beta/s` and the locals relative to s held fixed,
   :math:`p(s \mid z, b_0, y) \propto p(s)\prod_i p(y_i \mid b_0 + s\,x_i^\top z)` (the Jacobian
   :math:`s^p` of β = s z cancels the prior's normalisers), one slice step on log s; then
   :math:`\beta = s z`. Step 2 moves s where the coefficients are many and the data weak, step 4
   where the data pin the size of :math:`X\beta` down and the prior alone would hold s still.

Every step leaves the joint posterior invariant. Random numbers come from numba's generator,
seeded from the chain's NumPy generator at every compiled call: same seed, same draws.
"""
# ruff: noqa: NPY002

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from ._cache import announce, cached_njit
from ._gibbs_kernels import (
    _HUGE,
    _NONCENTRED,
    _PRIOR_NAMES,
    _RATE,
    _TINY,
    _backward,
    _copy,
    _exponential_locals,
    _forward,
    _half_cauchy_locals,
    _half_cauchy_plus_locals,
    _inv_gamma,
    _slice,
)
from .priors._base import GIBBS_EXPONENTIAL_MIXTURE as _EXPONENTIAL_MIXTURE
from .priors._base import GIBBS_HALF_CAUCHY_MIXTURE as _HALF_CAUCHY_MIXTURE
from .priors._base import GIBBS_HALF_CAUCHY_PLUS as _HALF_CAUCHY_PLUS

__all__ = ["HMCAdaptation", "adaptation_windows", "hmc_gibbs_block", "hmc_gibbs_kernel"]

#: largest coefficient block the HMC route takes: its mass matrix is factorized every iteration
#: (O(p³)); above it the Pólya-Gamma Gibbs sampler (O(n²p) per draw for p > n) is cheaper
MAX_FEATURES = 400
TARGET_ACCEPT = 0.8
TRAJECTORY_LENGTH = 0.5 * math.pi  # a quarter period of the whitened (standard normal) dynamics
MAX_LEAPFROG = 64
DIVERGENCE = 1000.0  # energy error above which a transition counts as divergent
FIRST_WINDOW = 25  # warm-up iterations before the first curvature update; windows then double

# dual averaging (Hoffman & Gelman 2014, Stan's defaults)
_GAMMA, _T0, _KAPPA = 0.05, 10.0, 0.75
# slots of HMCAdaptation.step
_LOG_EPS, _LOG_EPS_BAR, _H_BAR, _COUNT, _MU = 0, 1, 2, 3, 4


@cached_njit(nogil=True)
def _expit(x):  # pragma: no cover - compiled
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@cached_njit(nogil=True)
def _bernoulli_terms(eta, y, resid):  # pragma: no cover - compiled
    """Σ_i [y_i η_i - log(1 + e^{η_i})]; the residuals y_i - expit(η_i) into ``resid``."""
    total = 0.0
    for i in range(eta.shape[0]):
        e = eta[i]
        total += y[i] * e - (max(e, 0.0) + math.log1p(math.exp(-abs(e))))
        resid[i] = y[i] - _expit(e)
    return total


@cached_njit(nogil=True)
def _value_and_gradient(X, y, theta, precision, grad, resid):  # pragma: no cover - compiled
    """ℓ(θ) and its gradient (into ``grad``) for θ = (b0, β) and prior precisions 1/D."""
    p = X.shape[1]
    eta = X @ theta[1:] + theta[0]
    value = _bernoulli_terms(eta, y, resid)
    g = X.T @ resid
    total = 0.0
    for i in range(resid.shape[0]):
        total += resid[i]
    grad[0] = total
    for j in range(p):
        b = theta[1 + j]
        value -= 0.5 * b * b * precision[j]
        grad[1 + j] = g[j] - b * precision[j]
    return value


@cached_njit(nogil=True)
def _curvature(X, weights):  # pragma: no cover - compiled
    """[1, X]' diag(w) [1, X], the expected Fisher information at mean weights w."""
    n, p = X.shape
    A = np.empty((p + 1, p + 1))
    weighted = X * weights.reshape(-1, 1)
    A[1:, 1:] = X.T @ weighted
    total = 0.0
    for i in range(n):
        total += weights[i]
    A[0, 0] = total
    col = weights @ X
    for j in range(p):
        A[0, 1 + j] = col[j]
        A[1 + j, 0] = col[j]
    return A


@cached_njit(nogil=True)
def _mass_factor(A, precision, diag_root):  # pragma: no cover - compiled
    """Cholesky factor of the unit-diagonal B = Δ⁻¹ H Δ⁻¹, H = A + diag(0, precision), Δ = diag(√H_jj)
    (written into ``diag_root``): scaled so that prior precisions of 1e300 keep it well conditioned."""
    d = A.shape[0]
    for j in range(d):
        h = A[j, j] + (precision[j - 1] if j > 0 else 0.0)
        diag_root[j] = math.sqrt(max(h, _TINY))
    B = np.empty((d, d))
    for i in range(d):
        for j in range(d):
            B[i, j] = A[i, j] / (diag_root[i] * diag_root[j])
        B[i, i] = 1.0
    return np.linalg.cholesky(B)


@cached_njit(nogil=True)
def _hmc_transition(X, y, theta, precision, L, diag_root, step, grad, resid):  # pragma: no cover
    """One HMC transition of θ (in place). Returns (acceptance probability, divergent, steps).

    Whitened coordinates q with θ = Δ⁻¹L⁻ᵀ q: the gradient in q is L⁻¹Δ⁻¹∇θ and a position step
    ε ρ in q is ε Δ⁻¹ L⁻ᵀ ρ in θ.
    """
    d = theta.shape[0]
    eps = step * (0.8 + 0.4 * np.random.random())
    n_steps = max(1, min(MAX_LEAPFROG, int(math.ceil(TRAJECTORY_LENGTH / eps))))  # noqa: RUF046
    value0 = _value_and_gradient(X, y, theta, precision, grad, resid)
    momentum = np.random.standard_normal(d)
    energy0 = -value0 + 0.5 * (momentum @ momentum)
    position = theta.copy()
    gq = _forward(L, grad / diag_root)
    value = value0
    divergent = False
    for k in range(n_steps):
        momentum += (0.5 * eps if k == 0 else eps) * gq
        position += eps * _backward(L, momentum) / diag_root
        value = _value_and_gradient(X, y, position, precision, grad, resid)
        if not math.isfinite(value):
            divergent = True
            break
        gq = _forward(L, grad / diag_root)
    if not divergent:
        momentum += 0.5 * eps * gq
        energy1 = -value + 0.5 * (momentum @ momentum)
        error = energy1 - energy0
        if not math.isfinite(error) or error > DIVERGENCE:
            divergent = True
    if divergent:
        return 0.0, True, n_steps
    accept = math.exp(min(0.0, -error))
    if np.random.random() < accept:
        _copy(theta, position)
    return accept, False, n_steps


@cached_njit(nogil=True)
def _adapt_step(step_state, accept):  # pragma: no cover - compiled
    """One dual-averaging update of log ε towards the target acceptance rate."""
    m = step_state[_COUNT] + 1.0
    step_state[_COUNT] = m
    w = 1.0 / (m + _T0)
    step_state[_H_BAR] = (1.0 - w) * step_state[_H_BAR] + w * (TARGET_ACCEPT - accept)
    log_eps = step_state[_MU] - math.sqrt(m) / _GAMMA * step_state[_H_BAR]
    log_eps = min(max(log_eps, -12.0), 2.0)
    step_state[_LOG_EPS] = log_eps
    eta = m ** (-_KAPPA)
    step_state[_LOG_EPS_BAR] = eta * log_eps + (1.0 - eta) * step_state[_LOG_EPS_BAR]


@cached_njit(nogil=True)
def _restart_step(step_state):  # pragma: no cover - compiled
    """Restart dual averaging from the current step size (after the mass matrix changed)."""
    step_state[_MU] = math.log(10.0) + step_state[_LOG_EPS]
    step_state[_LOG_EPS_BAR] = step_state[_LOG_EPS]
    step_state[_H_BAR] = 0.0
    step_state[_COUNT] = 0.0


HMCAdaptation = namedtuple("HMCAdaptation", "weights weight_sum curvature step windows tune")
HMCAdaptation.__doc__ = """What a chain's HMC step learns during warm-up, updated in place.

``weights``: the mean weights W̄ (n) of the mass matrix; ``weight_sum``: their running sum over the
current window (n + 1 slots, the last the count); ``curvature``: [1, X]' W̄ [1, X]; ``step``: the
dual-averaging state (log ε, log ε̄, H̄, count, μ); ``windows``: the warm-up iterations at which a
window ends (W̄ and the curvature are renewed, dual averaging restarts); ``tune``: warm-up length,
after which ε is fixed at ε̄."""

HMCStats = namedtuple("HMCStats", "accept diverging step_size n_steps")


def adaptation_windows(tune: int) -> np.ndarray:
    """Warm-up iterations ending a curvature window: 25, 75, 175, 375, ... (doubling), the last
    before 80 % of the warm-up, so that the final step size is tuned on the final mass matrix."""
    ends = []
    end, width = FIRST_WINDOW, FIRST_WINDOW
    while end <= 0.8 * tune:
        ends.append(end)
        width *= 2
        end += width
    return np.asarray(ends, dtype=np.int64)


def _make_hmc_block(local: int):
    """Compile-on-demand HMC-within-Gibbs kernel for one prior family (``local``: its
    ``GIBBS_*`` code); σ = 1 (the logistic likelihood has no noise scale)."""
    mixing = local == _EXPONENTIAL_MIXTURE
    plus = local == _HALF_CAUCHY_PLUS
    horseshoe = plus or local == _HALF_CAUCHY_MIXTURE

    @cached_njit(nogil=True)
    def hmc_gibbs_variant(n_iter, seed, X, y, prior, state, adapt, draws, stats, start,
                          skip, offset):  # pragma: no cover
        fixed_scale = prior.fixed_scale
        hyper_kind, hyper_a, hyper_b = prior.hyper_kind, prior.hyper_a, prior.hyper_b
        theta, t, aux = state.beta, state.t, state.aux  # theta = (b0, beta)
        np.random.seed(seed)
        n, p = X.shape
        rho2, nu = state.scalars[1], state.scalars[2]
        grad = np.empty(p + 1)
        resid = np.empty(n)
        precision = np.empty(p)
        diag_root = np.empty(p + 1)
        no_array = np.empty(0)
        step_state = adapt.step
        for it in range(n_iter):
            done = start + it  # iterations of this chain before this one
            unit_scale2 = fixed_scale * fixed_scale if hyper_kind == 0 else 1.0 / rho2
            for j in range(p):
                if mixing:
                    var = t[j]
                elif horseshoe:
                    var = t[j] * unit_scale2
                else:
                    var = unit_scale2
                precision[j] = 1.0 / min(max(var, _TINY), _HUGE)
            if hyper_kind == 1:
                a0, b0 = hyper_a, hyper_b
            else:
                a0, b0 = 0.5, 1.0 / nu
            # 1. (b0, beta) | prior variances: one HMC transition
            L = _mass_factor(adapt.curvature, precision, diag_root)
            accept, divergent, n_steps = _hmc_transition(
                X, y, theta, precision, L, diag_root, math.exp(step_state[_LOG_EPS]), grad, resid)
            if done < adapt.tune:
                _adapt_step(step_state, accept)
                eta = X @ theta[1:] + theta[0]
                for i in range(n):
                    q = _expit(eta[i])
                    adapt.weight_sum[i] += q * (1.0 - q)
                adapt.weight_sum[n] += 1.0
                for w_end in adapt.windows:
                    if done + 1 == w_end:
                        count = adapt.weight_sum[n]
                        for i in range(n):
                            adapt.weights[i] = adapt.weight_sum[i] / count
                            adapt.weight_sum[i] = 0.0
                        adapt.weight_sum[n] = 0.0
                        adapt.curvature[:, :] = _curvature(X, adapt.weights)
                        _restart_step(step_state)
                if done + 1 == adapt.tune:
                    step_state[_LOG_EPS] = step_state[_LOG_EPS_BAR]
            beta = theta[1:]
            # 2. the global scale given beta (centred), and the half-Cauchy's auxiliary
            if hyper_kind != 0:
                if mixing:  # rho | beta with the latent variances integrated out
                    total = np.abs(beta).sum()
                    m_rate = p + 2.0 * a0
                    x = _slice(_RATE, 0.5 * math.log(rho2), 2.0 / math.sqrt(m_rate), no_array,
                               no_array, np.array([m_rate, b0, total]))
                    rho2 = math.exp(2.0 * x)
                elif horseshoe:
                    rho2 = np.random.gamma(a0 + 0.5 * p, 1.0 / (b0 + 0.5 * (beta @ (beta / t))))
                else:
                    rho2 = np.random.gamma(a0 + 0.5 * p, 1.0 / (b0 + 0.5 * (beta @ beta)))
                if hyper_kind == 2:
                    nu = _inv_gamma(1.0, 1.0 / (hyper_a * hyper_a) + rho2)
                    b0 = 1.0 / nu
                unit_scale2 = 1.0 / rho2
            # 3. the local variances given beta and s
            if mixing:
                _exponential_locals(beta, math.sqrt(unit_scale2), t, 1.0)
            elif plus:
                _half_cauchy_plus_locals(beta, t, aux, 1.0 / unit_scale2)
            elif horseshoe:
                _half_cauchy_locals(beta, t, aux, 1.0 / unit_scale2)
            # 4. the global scale again, non-centred: s | z = beta / s, b0, y
            if hyper_kind != 0:
                scale = math.sqrt(unit_scale2)
                u = X @ beta / scale
                x = _slice(_NONCENTRED, math.log(scale), 0.5, u, y, np.array([theta[0], a0, b0]))
                ratio = math.exp(x) / scale
                for j in range(p):
                    theta[1 + j] *= ratio
                    if mixing:
                        t[j] *= ratio * ratio
                rho2 = math.exp(-2.0 * x)
                if not (math.isfinite(rho2) and rho2 > 0.0):
                    raise FloatingPointError("the prior scale left the finite positive range")
            for j in range(p + 1):
                if not math.isfinite(theta[j]):
                    raise FloatingPointError("a coefficient became non-finite")
            if it >= skip:
                d = offset + it - skip
                _copy(draws.coef[d], theta[1:])
                draws.intercept[d] = theta[0]
                draws.sigma[d] = 1.0
                if hyper_kind != 0:
                    draws.rand[d] = 1.0 / math.sqrt(rho2) if draws.rand_is_scale else math.sqrt(rho2)
                if horseshoe:
                    _copy(draws.local[d], np.sqrt(t))
                if plus:
                    _copy(draws.local_scale[d], np.sqrt(aux[p:2 * p]))
                stats.accept[d] = accept
                stats.diverging[d] = 1.0 if divergent else 0.0
                stats.step_size[d] = math.exp(step_state[_LOG_EPS])
                stats.n_steps[d] = n_steps
        state.scalars[1], state.scalars[2] = rho2, nu

    return hmc_gibbs_variant


_VARIANTS: dict = {}


def hmc_gibbs_kernel(local: int):
    """The compiled HMC-within-Gibbs kernel for one prior family (made on first use)."""
    key = int(local)
    kernel = _VARIANTS.get(key)
    if kernel is None:
        kernel = _VARIANTS.setdefault(key, announce(
            _make_hmc_block(key),
            f"the logistic sampler for the {_PRIOR_NAMES.get(key, f'code-{key}')} prior"))
    return kernel


def hmc_gibbs_block(n_iter, seed, X, y, prior, state, adapt, draws, stats, start, skip,
                    offset):
    """Run ``n_iter`` iterations of one chain (``start`` done before), storing those after the
    first ``skip`` of this call at ``offset``. ``state.beta`` holds (b0, β)."""
    hmc_gibbs_kernel(prior.local)(n_iter, seed, X, y, prior, state, adapt, draws, stats,
                                  start, skip, offset)
