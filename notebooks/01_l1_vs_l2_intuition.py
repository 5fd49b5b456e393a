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
# # Why L1 gives sparsity and L2 does not
#
# Ridge regression penalises $\lVert w\rVert_2^2 = \sum_j w_j^2$, the Lasso penalises
# $\lVert w\rVert_1 = \sum_j |w_j|$. Both shrink weights towards zero, but only the Lasso sets
# some of them **exactly** to zero. This notebook builds the intuition in four steps: a worked
# numerical example, the gradients of the two penalties, the one-dimensional problem solved
# exactly, and the constraint geometry. Notebooks 02 and 03 then show that the two penalties are
# Gaussian and Laplace priors in disguise.

# %%
import os

RANDOM_SEED = 20240101
SMOKE = os.environ.get("BAYESREG_SMOKE") == "1"  # nothing here is sampled; kept for uniformity

# %%
import math
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar

import bayesreg
from bayesreg import plots

rng = np.random.default_rng(RANDOM_SEED)

# %% [markdown]
# ## 1. A worked example: shrink a big and a small weight by the same amount
#
# Take two weights, $w_1 = 15$ and $w_2 = 0.02$, and reduce each by $\varepsilon = 0.001$.
# How much does each penalty go down?
#
# * L1: $|w| - |w-\varepsilon| = \varepsilon$ for any $w > \varepsilon$ — the same for both weights.
# * squared L2: $w^2 - (w-\varepsilon)^2 = 2w\varepsilon - \varepsilon^2$ — proportional to $w$.
#
# We compute the drops from the numbers (exactly, with fractions, and in floating point) rather
# than typing them in. Note that $w_2 - \varepsilon = 0.019$.

# %%
w1, w2, eps = Fraction("15"), Fraction("0.02"), Fraction("0.001")


def l1_drop(w, e):
    return abs(w) - abs(w - e)


def l2_drop(w, e):
    return w**2 - (w - e) ** 2


drops = {
    "L1 drop, w1": l1_drop(w1, eps),
    "L1 drop, w2": l1_drop(w2, eps),
    "L2 drop, w1": l2_drop(w1, eps),
    "L2 drop, w2": l2_drop(w2, eps),
}
ratios = {
    "L2 drop / L1 drop, w1": drops["L2 drop, w1"] / drops["L1 drop, w1"],
    "L2 drop / L1 drop, w2": drops["L2 drop, w2"] / drops["L1 drop, w2"],
    "L1 drop / L2 drop, w2": drops["L1 drop, w2"] / drops["L2 drop, w2"],
    "L2 drop w1 / L2 drop w2": drops["L2 drop, w1"] / drops["L2 drop, w2"],
    "L1 drop w1 / L1 drop w2": drops["L1 drop, w1"] / drops["L1 drop, w2"],
}


def sig4(x):
    """x to four significant figures in positional notation, trailing zeros kept (0.029999 -> '0.03000')."""
    x = float(x)
    decimals = max(3 - math.floor(math.log10(abs(x))), 0)
    return f"{x:.{decimals}f}"


def decimal(x):
    """x in positional notation with up to 12 significant figures."""
    return np.format_float_positional(float(x), precision=12, fractional=False, trim="-")


print(pd.DataFrame({"exact fraction": [str(v) for v in {**drops, **ratios}.values()],
                    "decimal": [decimal(v) for v in {**drops, **ratios}.values()],
                    "4 significant figures": [sig4(v) for v in {**drops, **ratios}.values()]},
                   index=list({**drops, **ratios})).to_string())

# the same numbers in ordinary floating point
f1, f2, fe = 15.0, 0.02, 0.001
assert np.isclose(f1**2 - (f1 - fe) ** 2, float(drops["L2 drop, w1"]), rtol=1e-9)
assert np.isclose(f2**2 - (f2 - fe) ** 2, float(drops["L2 drop, w2"]), rtol=1e-9)
# what the cells above claim
assert drops["L1 drop, w1"] == drops["L1 drop, w2"] == eps
assert drops["L2 drop, w1"] == Fraction("0.029999") and drops["L2 drop, w2"] == Fraction("0.000039")
assert sig4(ratios["L2 drop / L1 drop, w1"]) == "30.00"
assert sig4(ratios["L2 drop / L1 drop, w2"]) == "0.03900"
assert sig4(ratios["L1 drop / L2 drop, w2"]) == "25.64"
assert sig4(ratios["L2 drop w1 / L2 drop w2"]) == "769.2"
assert sig4(ratios["L1 drop w1 / L1 drop w2"]) == "1.000"

# %% [markdown]
# What the numbers say, to four significant figures:
#
# * **L1 rewards both moves equally.** Each reduction lowers $|w|$ by exactly 0.001: the ratio of
#   the L1 drops is 1.000. The penalty's "interest" in a weight does not depend on its size.
# * **Squared L2 rewards shrinking the big weight 769.2 times more** than shrinking the small one:
#   $15^2 - 14.999^2 = 0.029999$ against $0.02^2 - 0.019^2 = 0.000039$.
# * Compared with L1, the squared-L2 drop is **30.00 times larger for $w_1$** ($0.029999/0.001$)
#   but only **0.03900 times as large for $w_2$** — L1's drop is 25.64 times L2's there.
#
# (Approximating the L2 drop by its first-order term $2w\varepsilon$ gives 0.03 and 0.00004 and a
# ratio of 750; the $\varepsilon^2$ term is 2.5% of the small weight's drop, which moves the exact
# ratio to 769.2.)
#
# So near zero the squared-L2 penalty has almost nothing left to gain: pushing 0.02 down to 0.019
# saves 0.000039, and pushing it the rest of the way saves ever less. The data only need a tiny pull
# to hold the weight where it is, so L2 shrinks small weights but never quite to zero. L1 keeps
# offering the same 0.001 for every 0.001 of shrinkage all the way down; if the data's pull on a
# weight is weaker than that constant offer, the weight goes to exactly zero.
#
# ## 2. The gradients: constant pull versus proportional pull
#
# The same statement in calculus: the magnitude of the penalty's derivative is the force pulling
# a weight towards zero.
#
# | penalty | $\Omega(w)$ | $\lvert d\Omega/dw\rvert$ |
# |---|---|---|
# | L1 | $\lvert w\rvert$ | $1$ (for $w \ne 0$) |
# | squared L2 | $w^2$ | $2\lvert w\rvert$ |
# | half squared L2 | $\tfrac12 w^2$ | $\lvert w\rvert$ |
#
# The L1 pull is 1 no matter how small the weight; the L2 pull fades linearly to 0. They cross
# where $2|w| = 1$, i.e. $|w| = 0.5$ for $w^2$, and where $|w| = 1$ for $\tfrac12 w^2$ (the form
# that comes from a Gaussian log-prior). Below the crossing L1 pulls harder, above it L2 does. We
# find the crossings numerically.

# %%
cross_l2 = brentq(lambda w: 2 * abs(w) - 1.0, 1e-9, 10)
cross_half_l2 = brentq(lambda w: abs(w) - 1.0, 1e-9, 10)
print(f"|d(w^2)/dw| = |d|w|/dw| at |w| = {cross_l2:.6g}")
print(f"|d(w^2/2)/dw| = |d|w|/dw| at |w| = {cross_half_l2:.6g}")
assert np.isclose(cross_l2, 0.5) and np.isclose(cross_half_l2, 1.0)
# the penalties themselves cross elsewhere: |w| = w^2 at |w| = 1 and |w| = w^2/2 at |w| = 2
assert np.isclose(brentq(lambda w: w - w**2, 0.5, 1.5), 1.0)
assert np.isclose(brentq(lambda w: w - w**2 / 2, 1.5, 2.5), 2.0)

# %%
fig, (ax_pen, ax_grad) = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
w = np.linspace(-2.2, 2.2, 801)
ax_pen.plot(w, np.abs(w), color="C1", lw=2, label="L1: |w|")
ax_pen.plot(w, w**2, color="C0", lw=2, label="L2: w²")
ax_pen.plot(w, w**2 / 2, color="C0", lw=1.5, ls="--", label="½w²")
ax_pen.set_ylim(0, 2.5)
ax_pen.set_xlabel("weight w")
ax_pen.set_ylabel("penalty Ω(w)")
ax_pen.set_title("The penalties: a V with a corner at 0 versus a smooth bowl")
ax_pen.legend()
plots.plot_penalty_gradients(ax=ax_grad, w_max=2.2)
plt.show()

# %% [markdown]
# ## 3. The one-dimensional problem, solved exactly
#
# Suppose the data alone would put a weight at $z$ (its least-squares value, with unit
# curvature). With a penalty of strength λ the estimate minimises
#
# $$\tfrac12 (w - z)^2 + \lambda\,\Omega(w).$$
#
# * L1: the minimiser is **soft thresholding**, $\hat w = \operatorname{sign}(z)\max(|z| - \lambda, 0)$.
#   For $w\ne0$ the derivative is $w - z + \lambda\operatorname{sign}(w)$; at $w = 0$ the one-sided
#   slopes are $-z \pm \lambda$, and 0 is the minimum exactly when $|z| \le \lambda$ — a whole interval
#   of data values gives an exact zero.
# * L2 with $\Omega = w^2$: setting $w - z + 2\lambda w = 0$ gives $\hat w = z/(1+2\lambda)$: every
#   $z$ is scaled down by the same factor, and $\hat w = 0$ only if $z = 0$.
#
# We check both formulas against a numerical minimiser on random values of $z$.

# %%
lam = 0.5


def soft_threshold(z, lam):
    return np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)


def numerical_minimiser(objective):
    return minimize_scalar(objective, bounds=(-10, 10), method="bounded",
                           options={"xatol": 1e-10}).x


zs = rng.uniform(-2, 2, 25)
l1_numeric = np.array([numerical_minimiser(lambda v, z=z: 0.5 * (v - z) ** 2 + lam * abs(v)) for z in zs])
l2_numeric = np.array([numerical_minimiser(lambda v, z=z: 0.5 * (v - z) ** 2 + lam * v**2) for z in zs])
assert np.allclose(l1_numeric, soft_threshold(zs, lam), atol=1e-7)
assert np.allclose(l2_numeric, zs / (1 + 2 * lam), atol=1e-7)
inside = np.abs(zs) <= lam
print(f"{inside.sum()} of {zs.size} random z have |z| <= lambda = {lam}: "
      f"soft thresholding returns exactly 0 for all of them: {np.all(soft_threshold(zs[inside], lam) == 0)}")
print(f"L2 estimates exactly 0: {np.sum(zs / (1 + 2 * lam) == 0)} of {zs.size}")
assert np.all(soft_threshold(zs[inside], lam) == 0) and np.all(zs / (1 + 2 * lam) != 0)

# %%
z_grid = np.linspace(-2, 2, 401)
fig, ax = plt.subplots(figsize=(6.5, 4.2), layout="constrained")
ax.plot(z_grid, z_grid, color="0.6", ls=":", label="no penalty: ŵ = z")
ax.plot(z_grid, soft_threshold(z_grid, lam), color="C1", lw=2, label=f"L1 (soft threshold), λ={lam}")
ax.plot(z_grid, z_grid / (1 + 2 * lam), color="C0", lw=2, label=f"L2 (w²), λ={lam}: ŵ = z/(1+2λ)")
ax.axvspan(-lam, lam, color="C1", alpha=0.1, lw=0)
ax.text(0, 1.2, "|z| ≤ λ:\nL1 gives\nexactly 0", ha="center", color="C1", fontsize="small")
ax.set_xlabel("data's estimate z")
ax.set_ylabel("penalised estimate ŵ")
ax.set_title("L1 sets a whole interval to zero; L2 only rescales")
ax.legend(fontsize="small", loc="lower right")
plt.show()

# %% [markdown]
# ## 4. The geometry: diamond versus disc
#
# Penalising is equivalent to constraining: minimise the squared error subject to
# $|w_1| + |w_2| \le t$ (Lasso) or $w_1^2 + w_2^2 \le t^2$ (ridge). The solution is where the
# smallest elliptical contour of the squared error touches the constraint region. The L1 region
# is a diamond whose **corners lie on the axes** and stick out towards the ellipses, so the first
# contact is often a corner — a point with one coordinate exactly zero. The L2 disc has no
# corners; the contact point generically has both coordinates non-zero.

# %%
plots.plot_penalty_geometry()
plt.show()

# %% [markdown]
# We verify the picture for the configuration drawn (least-squares solution $\hat w = (1.35, 2.5)$,
# loss $(w-\hat w)^\top H (w-\hat w)$ with $H$ having unit diagonal and off-diagonal 0.55, $t = 1$).
# A point of the diamond is optimal iff minus the loss gradient lies in the region's normal cone
# there (KKT); at the corner $(0, 1)$ that cone is $\{\mu(s, 1):\ |s|\le1,\ \mu\ge0\}$. The disc's
# solution is $\hat w(\nu) = (H + \nu I)^{-1}H\hat w$ with ν chosen so that $\lVert\hat w(\nu)\rVert_2 = 1$.

# %%
H = np.array([[1.0, 0.55], [0.55, 1.0]])
w_hat = np.array([1.35, 2.5])
corner = np.array([0.0, 1.0])
neg_grad = -2 * H @ (corner - w_hat)
print(f"−gradient at the corner (0, 1): {neg_grad.round(4)}; ratio {neg_grad[0] / neg_grad[1]:.4f}")
assert neg_grad[1] > 0 and abs(neg_grad[0]) <= neg_grad[1]  # in the normal cone: the corner is optimal

# brute force over the diamond's boundary agrees
theta = np.linspace(0, 2 * np.pi, 200_001)
unit = np.column_stack([np.cos(theta), np.sin(theta)])
diamond = unit / np.abs(unit).sum(1, keepdims=True)
loss = np.einsum("ki,ij,kj->k", diamond - w_hat, H, diamond - w_hat)
assert np.allclose(diamond[np.argmin(loss)], corner, atol=1e-4)

nu = brentq(lambda v: np.linalg.norm(np.linalg.solve(H + v * np.eye(2), H @ w_hat)) - 1.0, 0, 1e6)
disc_solution = np.linalg.solve(H + nu * np.eye(2), H @ w_hat)
print(f"L1 (diamond) solution: {corner};  L2 (disc) solution: {disc_solution.round(4)}")
assert np.all(np.abs(disc_solution) > 0.1)

# %% [markdown]
# ## 5. The same on real data
#
# On the diabetes data (442 patients, 10 predictors) the Lasso's solution has exact zeros over a
# wide range of penalties, ridge's never does. (`bayesreg.map_estimate` computes both exactly; it
# equals scikit-learn's `Lasso` and `Ridge`, see notebooks 02 and 03.)

# %%
X, y = bayesreg.datasets.load_diabetes()
rows = []
for lasso_alpha, ridge_alpha in [(0.02, 0.05), (0.1, 0.5), (0.5, 2.0), (1.0, 5.0)]:
    lasso = bayesreg.map_estimate(X, y, "laplace", alpha=lasso_alpha).coef
    ridge = bayesreg.map_estimate(X, y, "gaussian", alpha=ridge_alpha).coef
    rows.append({"Lasso alpha": lasso_alpha, "Lasso exact zeros": int(np.sum(lasso == 0)),
                 "Ridge alpha": ridge_alpha, "Ridge exact zeros": int(np.sum(ridge == 0)),
                 "smallest |Ridge coef|": np.abs(ridge).min()})
zeros = pd.DataFrame(rows)
print(zeros.to_string(index=False))
assert zeros["Ridge exact zeros"].sum() == 0 and zeros["Lasso exact zeros"].min() >= 1

# %% [markdown]
# ## Summary
#
# * Shrinking a weight by ε lowers $|w|$ by ε whatever the weight, but lowers $w^2$ by
#   $2w\varepsilon-\varepsilon^2$: for $w_1 = 15$ vs $w_2 = 0.02$ that is 0.029999 vs 0.000039, a ratio of
#   769.2, while the L1 drops are equal (ratio 1.000).
# * The L1 penalty pulls with constant force 1, squared L2 with force $2|w|$ that vanishes at zero;
#   they cross at $|w| = 0.5$ ($|w| = 1$ for $\tfrac12w^2$).
# * In one dimension L1 gives soft thresholding — exactly 0 whenever $|z| \le \lambda$ — and L2 a
#   rescaling that is never 0; in two dimensions the L1 diamond's corners produce the zeros.
