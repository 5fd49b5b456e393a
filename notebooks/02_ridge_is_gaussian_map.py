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
# # Ridge regression is the MAP under a Gaussian prior
#
# Ridge regression adds a penalty $\alpha\lVert\beta\rVert_2^2$ to least squares. A Bayesian
# arrives at exactly the same estimate by putting a Normal prior on each coefficient and
# taking the **posterior mode** (maximum a posteriori, MAP). This notebook derives the
# correspondence $\alpha = \sigma^2/\tau^2$, checks it against scikit-learn to machine
# precision, samples the full (closed-form) posterior, and shows what ridge does to each
# direction of the data: it multiplies it by $d_k^2/(d_k^2+\alpha)$.
#
# Every claim below is checked by an `assert`, so the notebook fails if a claim is wrong.

# %%
import os

RANDOM_SEED = 20240202
SMOKE = os.environ.get("BAYESREG_SMOKE") == "1"  # fewer draws when run by the test suite

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge

import bayesreg

warnings.filterwarnings("ignore", message="ArviZ is undergoing", category=FutureWarning)
rng = np.random.default_rng(RANDOM_SEED)
pd.set_option("display.precision", 4)

# %% [markdown]
# ## 1. The derivation
#
# The model is $y_i = b_0 + x_i^\top\beta + \varepsilon_i$ with
# $\varepsilon_i \sim N(0, \sigma^2)$ independent, a flat prior on the intercept $b_0$ (it is
# never penalised) and independent Normal priors on the slopes,
#
# $$\beta_j \sim N(0, \tau^2), \qquad j = 1, \dots, p.$$
#
# By Bayes' rule the posterior density is likelihood × prior, so the negative log posterior is,
# up to an additive constant that does not involve $(b_0, \beta)$,
#
# $$-\log p(b_0, \beta \mid y) = \frac{1}{2\sigma^2}\lVert y - b_0 - X\beta\rVert_2^2
#   + \frac{1}{2\tau^2}\lVert\beta\rVert_2^2 + \text{const}.$$
#
# Multiplying by the positive constant $2\sigma^2$ does not move the minimiser, and gives
#
# $$\lVert y - b_0 - X\beta\rVert_2^2 + \frac{\sigma^2}{\tau^2}\lVert\beta\rVert_2^2 ,$$
#
# which is scikit-learn's `Ridge` objective $\lVert y - Xw\rVert_2^2 + \alpha\lVert w\rVert_2^2$
# with
#
# $$\boxed{\alpha = \sigma^2/\tau^2}.$$
#
# A small prior variance $\tau^2$ (a confident belief that coefficients are near zero) is a
# large penalty; $\tau\to\infty$ (a flat prior) gives back least squares. Note that there is no
# $n$ in the formula: Ridge's squared error is not divided by the sample size (the Lasso's is,
# see notebook 03).
#
# First a numerical check of the algebra: for arbitrary coefficients, $2\sigma^2$ times the
# negative log posterior and the Ridge objective differ only by a constant.

# %%
X, y = bayesreg.datasets.load_diabetes()
n, p = X.shape
Xv, yv = X.to_numpy(), y.to_numpy()

# noise sd: the residual sd of least squares (a plug-in; any positive value works for the algebra)
ols_coef, *_ = np.linalg.lstsq(Xv - Xv.mean(0), yv - yv.mean(), rcond=None)
ols_resid = yv - yv.mean() - (Xv - Xv.mean(0)) @ ols_coef
sigma = float(np.sqrt(ols_resid @ ols_resid / (n - p - 1)))
tau = 100.0  # prior sd of each coefficient
alpha = sigma**2 / tau**2
print(f"n = {n}, p = {p}, sigma = {sigma:.3f}, tau = {tau}, alpha = sigma^2/tau^2 = {alpha:.5f}")


def neg_log_posterior(b0, beta):
    resid = yv - b0 - Xv @ beta
    return resid @ resid / (2 * sigma**2) + beta @ beta / (2 * tau**2)


def ridge_objective(b0, beta):
    resid = yv - b0 - Xv @ beta
    return resid @ resid + alpha * beta @ beta


points = [(rng.normal(150, 10), rng.normal(0, 300, p)) for _ in range(5)]
scaled = [2 * sigma**2 * neg_log_posterior(b0, beta) for b0, beta in points]
ridge = [ridge_objective(b0, beta) for b0, beta in points]
assert np.allclose(scaled, ridge, rtol=1e-12)
print("2σ² × (−log posterior) equals the Ridge objective at 5 random points")

# %% [markdown]
# ## 2. bayesreg's MAP is scikit-learn's Ridge, for every α
#
# `bayesreg.map_estimate(X, y, "gaussian", alpha=...)` computes the posterior mode in closed form
# (a Cholesky solve on the centred data). We compare it with `sklearn.linear_model.Ridge` over
# eight orders of magnitude of α, coefficients *and* intercept.

# %%
alphas = np.geomspace(1e-4, 1e4, 33)
rows = []
for a in alphas:
    est = bayesreg.map_estimate(X, y, "gaussian", alpha=a)
    sk = Ridge(alpha=a).fit(X, y)
    scale = np.max(np.abs(sk.coef_))
    rows.append({
        "alpha": a,
        "max |coef diff|": np.max(np.abs(est.coef - sk.coef_)),
        "relative diff": np.max(np.abs(est.coef - sk.coef_)) / scale,
        "intercept diff": abs(est.intercept - sk.intercept_),
    })
agreement = pd.DataFrame(rows).set_index("alpha")
print(agreement.iloc[::4].to_string(float_format=lambda v: f"{v:.2e}"))
worst = agreement["relative diff"].max()
print(f"\nlargest relative difference over {len(alphas)} alphas: {worst:.2e}")
assert worst <= 1e-6
assert agreement["intercept diff"].max() <= 1e-6 * abs(y.mean())

# %% [markdown]
# The same estimate can be asked for in Bayesian terms — a prior scale τ and a noise sd σ —
# and bayesreg converts with $\alpha = \sigma^2/\tau^2$ (`bayesreg.scale_to_alpha`; its inverse
# is `bayesreg.alpha_to_scale`).

# %%
by_prior = bayesreg.map_estimate(X, y, "gaussian", scale=tau, sigma=sigma)
by_penalty = Ridge(alpha=sigma**2 / tau**2).fit(X, y)
print(f"MAP for N(0, {tau:g}²) prior, sigma={sigma:.2f}: alpha = {by_prior.alpha:.5f}")
print(pd.DataFrame({"bayesreg MAP": by_prior.coef, "sklearn Ridge": by_penalty.coef_},
                   index=X.columns).round(4).T.to_string())
assert np.isclose(by_prior.alpha, sigma**2 / tau**2, rtol=1e-12)
assert np.isclose(bayesreg.scale_to_alpha(tau, "gaussian", n, sigma), alpha, rtol=1e-12)
assert np.isclose(bayesreg.alpha_to_scale(alpha, "gaussian", n, sigma), tau, rtol=1e-12)
assert np.allclose(by_prior.coef, by_penalty.coef_, rtol=1e-8, atol=1e-8 * np.abs(by_penalty.coef_).max())

# %% [markdown]
# ## 3. The whole posterior, in closed form
#
# With σ and τ fixed the posterior is Gaussian, so it is more than its mode. Completing the
# square in the negative log posterior (on centred data $X_c, y_c$; the flat intercept only
# re-centres) gives
#
# $$\beta \mid y \sim N\!\left(\hat\beta_{\text{ridge}},\; \sigma^2 (X_c^\top X_c + \alpha I)^{-1}\right),
#   \qquad \hat\beta_{\text{ridge}} = (X_c^\top X_c + \alpha I)^{-1} X_c^\top y_c .$$
#
# A Gaussian is symmetric, so its mode, mean and median coincide: **for the Gaussian prior the
# posterior mean is the Ridge estimate too.** `bayesreg.fit` with fixed `scale` and `sigma` uses
# the `"exact"` sampler (independent draws from this Normal). We check the draws against the
# formula, with tolerances set by the Monte-Carlo error of N independent draws.

# %%
draws, chains = (500, 2) if SMOKE else (5000, 4)
fit = bayesreg.fit(X, y, prior="gaussian", scale=tau, sigma=sigma, draws=draws, chains=chains,
                   random_seed=RANDOM_SEED, progressbar=False)
assert fit.sampler == "exact"
coef_draws = fit.idata.posterior["coef"].values.reshape(-1, p)
N = coef_draws.shape[0]

Xc, yc = Xv - Xv.mean(0), yv - yv.mean()
precision_factor = Xc.T @ Xc + alpha * np.eye(p)
post_mean = np.linalg.solve(precision_factor, Xc.T @ yc)
post_cov = sigma**2 * np.linalg.inv(precision_factor)
post_sd = np.sqrt(np.diag(post_cov))

# mean: each coordinate's error in units of its Monte-Carlo standard error sd/sqrt(N)
z_mean = (coef_draws.mean(0) - post_mean) / (post_sd / np.sqrt(N))
# covariance: whiten the sample covariance with the analytic one; it should be the identity,
# with entries off by about sqrt(2/N) on the diagonal and sqrt(1/N) off it
chol = np.linalg.cholesky(post_cov)
whitened = np.linalg.solve(chol, np.linalg.solve(chol, np.cov(coef_draws.T)).T)
cov_error = np.max(np.abs(whitened - np.eye(p)))

print(pd.DataFrame({"analytic mean": post_mean, "draws mean": coef_draws.mean(0),
                    "analytic sd": post_sd, "draws sd": coef_draws.std(0, ddof=1)},
                   index=X.columns).round(2).to_string())
print(f"\nN = {N} draws; largest |mean error| = {np.max(np.abs(z_mean)):.2f} Monte-Carlo SEs")
print(f"largest entry of |whitened cov − I| = {cov_error:.4f} (MC scale sqrt(2/N) = {np.sqrt(2 / N):.4f})")
assert np.max(np.abs(z_mean)) < 4.5
assert cov_error < 5 * np.sqrt(2 / N)
# the posterior mean is the Ridge estimate (= bayesreg's MAP)
assert np.allclose(post_mean, by_prior.coef, rtol=1e-9, atol=1e-9 * np.abs(post_mean).max())

# %% [markdown]
# The posterior also tells us *how sure* we are. Below, the Ridge estimate (the MAP, a single
# point) sits at the centre of each marginal posterior; the bars are central 95% intervals
# $\hat\beta_j \pm 1.96\,\mathrm{sd}_j$.

# %%
fig, ax = plt.subplots(figsize=(7, 4))
order = np.arange(p)[::-1]
ax.errorbar(post_mean, order, xerr=1.96 * post_sd, fmt="o", color="C0", capsize=3,
            label="posterior mean ± 1.96 sd (analytic)")
ax.plot(np.median(coef_draws, axis=0), order, "x", color="C1", ms=9, mew=2, zorder=3,
        label="posterior median (draws)")
ax.plot(ols_coef, order, "k|", ms=12, mew=2, label="least squares")
ax.axvline(0, color="0.6", lw=0.8)
ax.set_yticks(order, X.columns)
ax.set_xlabel("coefficient")
ax.set_title(f"Gaussian prior N(0, {tau:g}²), σ = {sigma:.1f}: posterior = N(Ridge, σ²(X'X+αI)⁻¹)")
ax.legend(fontsize="small")
fig.tight_layout()

# %% [markdown]
# ## 4. What ridge does to each direction of the data: $d_k^2/(d_k^2+\alpha)$
#
# Write the centred design by its singular value decomposition $X_c = U D V^\top$ with singular
# values $d_1 \ge \dots \ge d_p$. Then
#
# $$\hat\beta_{\text{OLS}} = V D^{-1} U^\top y_c, \qquad
#   \hat\beta_{\text{ridge}} = V\,\mathrm{diag}\!\left(\frac{d_k}{d_k^2+\alpha}\right) U^\top y_c ,$$
#
# so in the coordinates $v_k^\top\beta$ along each right singular vector, ridge is least squares
# multiplied by the **shrinkage factor**
#
# $$\frac{v_k^\top\hat\beta_{\text{ridge}}}{v_k^\top\hat\beta_{\text{OLS}}} = \frac{d_k^2}{d_k^2+\alpha}.$$
#
# The Bayesian reading: along $v_k$ the data carry precision $d_k^2/\sigma^2$ (the curvature of
# the log-likelihood) and the prior carries $1/\tau^2$. A Gaussian posterior mean is the
# precision-weighted average of the data's estimate and the prior mean 0, so the data's weight
# is $\frac{d_k^2/\sigma^2}{d_k^2/\sigma^2 + 1/\tau^2} = \frac{d_k^2}{d_k^2 + \alpha}$. Directions the
# data pin down well (large $d_k$) are barely shrunk; poorly measured directions (small $d_k$,
# here the near-collinear serum measurements) are pulled almost all the way to the prior.
# Their sum $\mathrm{df}(\alpha) = \sum_k d_k^2/(d_k^2+\alpha)$ is the trace of the hat matrix,
# ridge's *effective degrees of freedom*.

# %%
U, d, Vt = np.linalg.svd(Xc, full_matrices=False)
shrink_alpha = 0.05
ridge_coef = bayesreg.map_estimate(X, y, "gaussian", alpha=shrink_alpha).coef
measured = (Vt @ ridge_coef) / (Vt @ ols_coef)
predicted = d**2 / (d**2 + shrink_alpha)
table = pd.DataFrame({"d_k": d, "d_k^2/(d_k^2+alpha)": predicted, "measured ratio": measured},
                     index=pd.Index(range(1, p + 1), name="direction k"))
print(f"alpha = {shrink_alpha}")
print(table.to_string(float_format=lambda v: f"{v:.6f}"))
assert np.allclose(measured, predicted, rtol=1e-8)

hat = Xc @ np.linalg.solve(Xc.T @ Xc + shrink_alpha * np.eye(p), Xc.T)
df_trace, df_formula = np.trace(hat), predicted.sum()
print(f"\neffective degrees of freedom: trace(H) = {df_trace:.6f}, sum of factors = {df_formula:.6f}")
assert np.isclose(df_trace, df_formula, rtol=1e-10)

# %% [markdown]
# The same factors describe the posterior *spread*: along $v_k$ the posterior variance is
# $\sigma^2/(d_k^2+\alpha)$ instead of least squares' $\sigma^2/d_k^2$ — the ratio is again
# $d_k^2/(d_k^2+\alpha)$. We check it on the exact posterior covariance from section 3 (α there
# is $\sigma^2/\tau^2$).

# %%
var_along = np.einsum("kp,pq,kq->k", Vt, post_cov, Vt)
ratio = var_along / (sigma**2 / d**2)
assert np.allclose(ratio, d**2 / (d**2 + alpha), rtol=1e-8)
print("posterior variance / least-squares variance along each v_k:", np.round(ratio, 4))

# %%
grid = np.geomspace(1e-4, 1e2, 200)
factors = d[None, :] ** 2 / (d[None, :] ** 2 + grid[:, None])
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
for k in range(p):
    ax1.semilogx(grid, factors[:, k], label=f"k={k + 1}, d={d[k]:.2f}")
ax1.set_xlabel("α")
ax1.set_ylabel("shrinkage factor $d_k^2/(d_k^2+α)$")
ax1.set_title("Ridge shrinks weakly measured directions first")
ax1.legend(fontsize="x-small", ncol=2)
ax2.semilogx(grid, factors.sum(1))
ax2.axhline(p, color="0.6", ls=":")
ax2.set_xlabel("α")
ax2.set_ylabel("effective degrees of freedom df(α)")
ax2.set_title("df(α) = trace of the hat matrix")
fig.tight_layout()

# %% [markdown]
# ## Summary
#
# * A Normal(0, τ²) prior on each slope plus Gaussian noise of sd σ makes the posterior mode the
#   Ridge estimate with $\alpha = \sigma^2/\tau^2$; bayesreg's MAP equals `sklearn.linear_model.Ridge`
#   to machine precision over α from $10^{-4}$ to $10^{4}$ (largest relative difference printed in
#   section 2; the assertion allows $10^{-6}$).
# * With σ and τ fixed the posterior is Normal, centred on the Ridge estimate, with covariance
#   $\sigma^2(X_c^\top X_c+\alpha I)^{-1}$; the exact sampler's draws match both moments within
#   Monte-Carlo error.
# * Ridge multiplies the least-squares fit along the k-th singular direction by
#   $d_k^2/(d_k^2+\alpha)$ — the data's share of the posterior precision in that direction.
#
# Notebook 03 does the same for the Lasso and the Laplace prior, where the mode has exact zeros.
