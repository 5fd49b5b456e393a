# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The Lasso is the MAP under a Laplace prior
#
# The Lasso replaces ridge's squared penalty by an absolute-value penalty
# $\alpha\lVert\beta\rVert_1$, and its solutions have coefficients that are **exactly zero**.
# In Bayesian terms it is the posterior mode under independent Laplace (double-exponential)
# priors. This notebook derives $\alpha = \sigma^2/(n\,b)$, checks that bayesreg's MAP equals
# scikit-learn's `Lasso` — coefficients *and* the set of exact zeros — along a whole
# regularisation path, and shows why a generic gradient-based optimiser (PyMC's `find_MAP`) does
# not find those zeros.

# %%
import os

RANDOM_SEED = 20240303
SMOKE = os.environ.get("BAYESREG_SMOKE") == "1"  # nothing here is sampled; kept for uniformity

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import optimize, stats
from sklearn.linear_model import Lasso

import bayesreg

warnings.filterwarnings("ignore", message="ArviZ is undergoing", category=FutureWarning)
rng = np.random.default_rng(RANDOM_SEED)
pd.set_option("display.precision", 4)

# %% [markdown]
# ## 1. The derivation
#
# Same model as for ridge — $y_i = b_0 + x_i^\top\beta + \varepsilon_i$,
# $\varepsilon_i\sim N(0,\sigma^2)$, flat prior on $b_0$ — but with Laplace priors
#
# $$p(\beta_j) = \frac{1}{2b}\exp\!\left(-\frac{|\beta_j|}{b}\right), \qquad j=1,\dots,p .$$
#
# The negative log posterior is, up to a constant,
#
# $$\frac{1}{2\sigma^2}\lVert y - b_0 - X\beta\rVert_2^2 + \frac{1}{b}\lVert\beta\rVert_1 .$$
#
# scikit-learn's `Lasso` minimises $\frac{1}{2n}\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_1$ —
# its squared error is divided by $2n$, not 2. Multiplying the negative log posterior by
# $\sigma^2/n$ gives exactly that objective with
#
# $$\boxed{\alpha = \frac{\sigma^2}{n\,b}} .$$
#
# Unlike ridge, the sample size $n$ appears, purely because of scikit-learn's $1/(2n)$
# normalisation. We check the algebra numerically first.

# %%
X, y = bayesreg.datasets.load_diabetes()
n, p = X.shape
Xv, yv = X.to_numpy(), y.to_numpy()
Xc, yc = Xv - Xv.mean(0), yv - yv.mean()
ols_coef, *_ = np.linalg.lstsq(Xc, yc, rcond=None)
sigma = float(np.sqrt(np.sum((yc - Xc @ ols_coef) ** 2) / (n - p - 1)))
alpha = 0.1
laplace_scale = sigma**2 / (n * alpha)  # b
print(f"sigma = {sigma:.3f}, alpha = {alpha}  =>  Laplace scale b = sigma^2/(n alpha) = {laplace_scale:.4f}")


def neg_log_posterior(b0, beta):
    resid = yv - b0 - Xv @ beta
    return resid @ resid / (2 * sigma**2) + np.abs(beta).sum() / laplace_scale


def lasso_objective(b0, beta):
    resid = yv - b0 - Xv @ beta
    return resid @ resid / (2 * n) + alpha * np.abs(beta).sum()


points = [(rng.normal(150, 10), rng.normal(0, 300, p)) for _ in range(5)]
assert np.allclose([sigma**2 / n * neg_log_posterior(*pt) for pt in points],
                   [lasso_objective(*pt) for pt in points], rtol=1e-12)
assert np.isclose(bayesreg.alpha_to_scale(alpha, "laplace", n, sigma), laplace_scale, rtol=1e-12)
print("(σ²/n) × (−log posterior) equals the Lasso objective at 5 random points")

# %% [markdown]
# Where do the zeros come from? Compare the two priors with the same variance
# (Laplace variance $2b^2$). The Laplace density has a **cusp** at 0: its negative log is the
# V-shaped $|\beta|/b$, whose slope is $\pm 1/b$ however close to zero you are. The Gaussian's
# negative log is a parabola with slope $\beta/\tau^2 \to 0$ at the origin. A penalty whose slope
# stays finite at 0 can hold a coefficient exactly at 0 against a weak pull from the data; a
# penalty with zero slope at 0 never can (notebook 01 works this out in one dimension).

# %%
grid = np.linspace(-4, 4, 801)
b_unit = 1 / np.sqrt(2)  # Laplace(0, b) with variance 2b^2 = 1
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
ax1.plot(grid, stats.norm.pdf(grid), label="Normal(0, 1)")
ax1.plot(grid, stats.laplace.pdf(grid, scale=b_unit), label="Laplace(0, 1/√2)")
ax1.set_title("prior densities (both variance 1)")
ax1.legend()
ax2.plot(grid, -stats.norm.logpdf(grid) + stats.norm.logpdf(0), label="β²/2  (ridge penalty)")
ax2.plot(grid, -stats.laplace.logpdf(grid, scale=b_unit) + stats.laplace.logpdf(0, scale=b_unit),
         label="|β|/b  (lasso penalty)")
ax2.set_title("negative log prior = penalty")
ax2.legend()
for ax in (ax1, ax2):
    ax.set_xlabel("β")
fig.tight_layout()

# %% [markdown]
# ## 2. bayesreg's MAP is scikit-learn's Lasso, zeros included
#
# `bayesreg.map_estimate(X, y, "laplace", alpha=...)` runs coordinate descent to find the
# support and signs, then *polishes*: on the support $S$ with signs $s$ the optimum solves the
# linear system $X_S^\top X_S\beta_S = X_S^\top y - n\alpha s$ exactly, and the optimality
# conditions are verified. The prior can equally be given as a scale $b$ with a noise sd σ.

# %%
est = bayesreg.map_estimate(X, y, "laplace", alpha=alpha)
by_prior = bayesreg.map_estimate(X, y, "laplace", scale=laplace_scale, sigma=sigma)
sk = Lasso(alpha=alpha, tol=1e-12, max_iter=1_000_000).fit(X, y)
print(pd.DataFrame({"bayesreg MAP (alpha)": est.coef, "bayesreg MAP (b, sigma)": by_prior.coef,
                    "sklearn Lasso": sk.coef_ + 0.0},  # + 0.0 shows -0.0 as 0.0
                   index=X.columns).T.to_string())
assert np.isclose(by_prior.alpha, alpha, rtol=1e-12)
assert np.allclose(est.coef, sk.coef_, rtol=1e-7, atol=1e-7 * np.abs(sk.coef_).max())
assert np.array_equal(est.coef == 0, sk.coef_ == 0)
assert np.allclose(by_prior.coef, est.coef, rtol=1e-9, atol=1e-9 * np.abs(est.coef).max())
assert np.array_equal(by_prior.coef == 0, est.coef == 0)
print(f"\nexact zeros: {list(X.columns[est.coef == 0])}")

# %% [markdown]
# Now the whole path: 100 penalties from $\alpha_{\max}$ (the smallest α at which every
# coefficient is zero) down to $\alpha_{\max}/1000$. At **every** α we fit scikit-learn's `Lasso`
# independently and require the same coefficients and the identical set of exact zeros.

# %%
path = bayesreg.map_path(X, y, "laplace", n_alphas=100)
max_rel_diff, zero_sets_equal = 0.0, True
for a, coef in zip(path.alphas, path.coef, strict=True):
    ref = Lasso(alpha=a, tol=1e-12, max_iter=1_000_000).fit(X, y).coef_
    size = np.abs(ref).max() if np.any(ref) else 1.0
    max_rel_diff = max(max_rel_diff, np.max(np.abs(coef - ref)) / size)
    zero_sets_equal &= np.array_equal(coef == 0, ref == 0)
n_zero = (path.coef == 0).sum(1)
print(f"alphas: {path.alphas[0]:.4g} ... {path.alphas[-1]:.4g} ({path.alphas.size} values)")
print(f"number of exact zeros along the path: {n_zero[0]} at alpha_max ... {n_zero[-1]} at the end")
print(f"largest relative coefficient difference from sklearn: {max_rel_diff:.2e}")
print(f"identical zero sets at every alpha: {zero_sets_equal}")
assert zero_sets_equal
assert max_rel_diff < 1e-6
assert n_zero[0] == p and n_zero.min() < p  # all zero at alpha_max, variables enter below it

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
for j, name in enumerate(X.columns):
    ax.plot(path.alphas, path.coef[:, j], label=name)
ax.set_xscale("log")
ax.invert_xaxis()
ax.axvline(alpha, color="0.5", ls=":", lw=1)
ax.set_xlabel("α (decreasing →)")
ax.set_ylabel("MAP coefficient")
ax.set_title("Laplace-prior MAP path = Lasso path: coefficients leave 0 one at a time")
ax.legend(ncol=2, fontsize="small")
fig.tight_layout()

# %% [markdown]
# ## 3. Why the zeros are optimal: subgradients and the KKT conditions
#
# The Lasso objective is convex but not differentiable where a coefficient is 0. There we use
# the *subdifferential*: $\partial|\beta_j| = \{\operatorname{sign}\beta_j\}$ if $\beta_j\ne0$ and the
# whole interval $[-1, 1]$ if $\beta_j = 0$. A point is optimal iff 0 is in the subdifferential
# of the objective (Karush–Kuhn–Tucker conditions). With residual $r = y_c - X_c\beta$:
#
# $$\frac{1}{n}x_j^\top r = \alpha\,\operatorname{sign}(\beta_j)\ \text{ if } \beta_j\ne 0,
#   \qquad \left|\frac{1}{n}x_j^\top r\right| \le \alpha\ \text{ if } \beta_j = 0 .$$
#
# In words: a coefficient stays at exactly 0 when the data's pull on it, the correlation
# $|x_j^\top r|/n$, is weaker than the constant resistance α of the penalty. A whole interval
# of data configurations leads to $\beta_j = 0$, which is why zeros are common rather than
# accidents. (For ridge the resistance at 0 is $\alpha\beta_j = 0$, so any pull at all moves the
# coefficient off zero.)

# %%
resid = yc - Xc @ est.coef
pull = Xc.T @ resid / n
kkt = pd.DataFrame({"MAP coef": est.coef, "pull x_j'r/n": pull, "pull / alpha": pull / alpha},
                   index=X.columns)
print(kkt.to_string())
active = est.coef != 0
assert np.allclose(pull[active], alpha * np.sign(est.coef[active]), rtol=1e-8)
assert np.all(np.abs(pull[~active]) <= alpha * (1 + 1e-10))

# %% [markdown]
# ## 4. A generic optimiser does not find the zeros: `pm.find_MAP`
#
# PyMC's `find_MAP` maximises the log posterior of a PyMC model with a quasi-Newton method
# (L-BFGS-B) that uses the gradient. We build bayesreg's PyMC model for the same Laplace prior
# and the same fixed σ (`bayesreg.build_model`) and hand it to `find_MAP`.
# (`mode="FAST_COMPILE"` only makes PyTensor compile faster; the answer is the same.)

# %%
model = bayesreg.build_model(X, y, "laplace", alpha=alpha, sigma=sigma)  # imports PyMC quietly

import pymc as pm
import pytensor

with model, pytensor.config.change_flags(mode="FAST_COMPILE"):
    generic = pm.find_MAP(progressbar=False, seed=RANDOM_SEED)

comparison = pd.DataFrame({"exact MAP (bayesreg)": est.coef, "pm.find_MAP": generic["coef"]},
                          index=X.columns)
print(comparison.to_string(float_format=lambda v: f"{v:.6g}"))
loss_exact = lasso_objective(est.intercept, est.coef)
loss_generic = lasso_objective(float(generic["intercept"]), generic["coef"])
print(f"\nLasso objective: exact {loss_exact:.6f}, find_MAP {loss_generic:.6f} "
      f"(+{loss_generic - loss_exact:.3g})")
print(f"exact zeros: bayesreg {int(np.sum(est.coef == 0))}, find_MAP {int(np.sum(generic['coef'] == 0))}")
assert np.sum(est.coef == 0) >= 1
assert np.all(generic["coef"][est.coef == 0] != 0)  # no exact zero where the true mode has one
assert loss_generic >= loss_exact  # the exact MAP is the minimum

# %% [markdown]
# `find_MAP` returns non-zero values where the mode has exact zeros — some tiny, some not small
# at all — and it stops at a point with a higher objective, where the other coefficients are off
# too (compare the columns above). Both failures have the same cause, the kink:
#
# * **The gradient is not defined at 0.** PyTensor's derivative of $|\beta|$ is
#   $\operatorname{sign}(\beta)$, which jumps from $-1$ to $+1$. A gradient step moves a small
#   coefficient across zero, where the gradient flips sign, and it comes back: the iterates
#   zig-zag around 0. Landing on exactly 0.0 in floating point would be a coincidence.
# * **Quasi-Newton methods assume a smooth function.** L-BFGS builds a quadratic model of the
#   objective from recent gradients. Across a kink those gradients are inconsistent, the line
#   search makes tiny progress, and the relative-decrease stopping rule ends the run early.
#
# Tighter tolerances do not cure this. Below we call SciPy's L-BFGS-B directly with the exact
# objective, the exact (sub)gradient $\operatorname{sign}(\beta)$ and extreme tolerances.

# %%
def lasso_and_grad(theta):
    b0, beta = theta[0], theta[1:]
    resid = yv - b0 - Xv @ beta
    grad_b0 = -resid.sum() / n
    grad_beta = -Xv.T @ resid / n + alpha * np.sign(beta)
    return lasso_objective(b0, beta), np.concatenate([[grad_b0], grad_beta])


start = np.concatenate([[yv.mean()], np.zeros(p)])
tight = optimize.minimize(lasso_and_grad, start, jac=True, method="L-BFGS-B",
                          options={"maxiter": 100_000, "maxfun": 100_000, "ftol": 1e-15, "gtol": 1e-12})
print(f"L-BFGS-B: {tight.message}; objective {tight.fun:.6f} vs exact {loss_exact:.6f}")
print(pd.Series(tight.x[1:], index=X.columns).to_string(float_format=lambda v: f"{v:.3g}"))
assert np.all(tight.x[1:][est.coef == 0] != 0)

# %% [markdown]
# What *does* produce exact zeros is an algorithm that handles the kink in closed form. In one
# dimension, $\min_\beta \tfrac12(\beta - z)^2 + \lambda|\beta|$ is solved by **soft
# thresholding**, $\hat\beta = \operatorname{sign}(z)\max(|z|-\lambda, 0)$, exactly 0 whenever
# $|z|\le\lambda$. Coordinate descent (scikit-learn, bayesreg) and proximal-gradient methods
# (ISTA/FISTA) apply this map coordinate by coordinate, so zeros come out as exact 0.0. Plain
# (sub)gradient descent on the same 1-D problem only hovers around the answer:

# %%
z, lam, step = 0.3, 0.5, 0.01
soft = np.sign(z) * max(abs(z) - lam, 0.0)
beta_gd = 1.0
trace = []
for _ in range(2000):
    beta_gd -= step * ((beta_gd - z) + lam * np.sign(beta_gd))
    trace.append(beta_gd)
trace = np.array(trace)
print(f"soft thresholding: {soft}")
print(f"subgradient descent, last 4 iterates: {trace[-4:]}")
assert soft == 0.0
assert np.all(trace[-100:] != 0) and np.max(np.abs(trace[-100:])) <= step * (lam + abs(z)) + 1e-12

# %% [markdown]
# ## Summary
#
# * A Laplace(0, b) prior on each slope with Gaussian noise of sd σ makes the posterior mode the
#   Lasso estimate with $\alpha = \sigma^2/(n\,b)$ (the $n$ comes from scikit-learn's $1/(2n)$).
# * bayesreg's MAP equals `sklearn.linear_model.Lasso` along a 100-point path, with identical
#   sets of exact zeros at every α.
# * Zeros are optimal when a coefficient's pull $|x_j^\top r|/n$ is below α (KKT). A gradient-based
#   optimiser such as `pm.find_MAP` cannot represent this: it returns tiny non-zero values and
#   stops early, because the objective has a kink exactly where the zeros are.
#
# The mode is only one summary of the posterior. Notebook 04 samples the full Laplace posterior —
# which, unlike its mode, is *not* sparse.
