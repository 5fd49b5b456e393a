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
# # Which variables matter? Selection after shrinkage
#
# The Lasso answers "which variables?" by its exact zeros: the MAP under a Laplace prior sits on a
# corner of the L1 ball (notebooks 01 and 03). The Laplace *posterior* has no such corners — every
# coefficient has posterior probability zero of being exactly 0 (notebook 04) — and neither does the
# horseshoe's (notebook 07). A shrinkage posterior describes how large every effect may be; choosing
# a subset is a **decision** made afterwards. This notebook
#
# 1. shows the gap: LassoCV's zeros against a posterior that has none (diabetes data, natural
#    scale);
# 2. fills it with **projection predictive selection** (Goutis & Robert 1998; Piironen, Paasiniemi
#    & Vehtari 2020): project every posterior draw onto small submodels, keep the smallest whose
#    predictions are as good as the full model's — and checks the claims that make it exact;
# 3. puts the simpler rules beside it: SAVS (Ray & Bhattacharya 2018), credible intervals,
#    decoupled shrinkage and selection (Hahn & Carvalho 2015) and R bayesreg's ranks;
# 4. repeats it on the prostate data of *The Elements of Statistical Learning*;
# 5. measures it on simulated data where the truth is known, next to LassoCV.

# %%
import os

RANDOM_SEED = 20150601
SMOKE = os.environ.get("BAYESREG_SMOKE") == "1"  # fewer draws and seeds when run by the tests

# %%
import warnings

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LassoCV, lars_path

import bayesreg
from bayesreg import plots
from bayesreg.exceptions import BayesregWarning

warnings.filterwarnings("ignore", message="ArviZ is undergoing", category=FutureWarning)
warnings.filterwarnings("ignore", category=BayesregWarning)  # Pareto k notes; checked below
import arviz as az

pd.set_option("display.float_format", "{:.4g}".format)
pd.set_option("display.width", 120)
DRAWS, CHAINS = (300, 2) if SMOKE else (2000, 4)
FIT = dict(draws=DRAWS, tune=DRAWS, chains=CHAINS, random_seed=RANDOM_SEED, progressbar=False,
           warn_convergence=False)  # convergence is checked explicitly below


def lasso_entry_order(X, y):
    """Variables in the order they first become non-zero on the Lasso path (standardized X)."""
    Z = ((X - X.mean()) / X.std(ddof=0)).to_numpy()
    _, _, coefs = lars_path(Z, np.asarray(y, float) - np.mean(y), method="lasso")
    first = [int(np.flatnonzero(coefs[j] != 0)[0]) for j in range(X.shape[1])]
    return [X.columns[j] for j in np.argsort(first, kind="stable")]


# %% [markdown]
# ## 1. Zeros against no zeros
#
# The diabetes data (Efron et al. 2004) at their natural scale — age in years, BMI in kg/m², blood
# pressure in mm Hg, six blood serum measurements — with `LassoCV` (10-fold) on standardized
# predictors, and the horseshoe posterior (which shrinks noise hard and leaves signals alone).

# %%
X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
Z = (X - X.mean()) / X.std(ddof=0)
lasso_cv = LassoCV(cv=10, random_state=0).fit(Z, y)
lasso_set = [c for c, b in zip(X.columns, lasso_cv.coef_, strict=True) if b != 0]
result = bayesreg.fit(X, y, "horseshoe", **FIT)
draws = result.idata.posterior["coef"].values.reshape(-1, X.shape[1])
print("LassoCV keeps", len(lasso_set), "of 10:", lasso_set)
print("posterior draws exactly 0 per coefficient:", (draws == 0).sum(axis=0))
assert (draws == 0).sum() == 0  # a continuous posterior: no exact zeros at all
# R-hat < 1.01 needs the full run's 4 x 2000 draws; how far above 1.01 the test suite's 2 x 300
# land is Monte-Carlo noise, so they are held to the classical bar 1.1 (chains that disagree outright)
assert result.diagnostics()["r_hat"].max() < (1.1 if SMOKE else 1.01)

# %% [markdown]
# ## 2. Projection predictive selection
#
# Take the full posterior as the *reference* — the best description of what we know — and ask,
# for a submodel $S$, which parameters of $S$ predict like each posterior draw. The projection of
# draw $s$ minimises the Kullback–Leibler divergence from the reference's predictive distribution
# to the submodel's. With Gaussian noise it is least squares on the draw's fitted values:
#
# $$\beta_{S\perp}^{(s)} = (X_S^\top X_S)^{-1}X_S^\top X\beta^{(s)}, \qquad
#   \sigma_{S\perp}^{(s)2} = \sigma^{(s)2} + \tfrac1n\lVert X\beta^{(s)} - X_S\beta_{S\perp}^{(s)}\rVert^2,$$
#
# (intercept included): what $S$ cannot explain is added to the noise. A forward search adds one
# variable at a time, the one whose projection is closest to the reference ($\sum_s
# \log\sigma_{S\perp}^{(s)2}$ smallest); each size is scored by the PSIS-LOO elpd of its projected
# draws. The suggested size is the smallest whose elpd is within one standard error of the
# reference's ($\Delta\mathrm{elpd} + \mathrm{se}(\Delta) \ge 0$, projpred's rule). `X` is passed
# because a `FitResult` keeps `y` but not the design.

# %%
selection = result.select(X=X)
print(selection)
selection.path

# %%
axes = plots.plot_selection(selection)

# %% [markdown]
# Two checks that make the method exact rather than approximate. With every variable, the
# projection *is* the reference: the projected draws equal the posterior draws, and the elpd of
# the full-size projection equals ArviZ's PSIS-LOO of the fit.

# %%
full = selection.project(X.shape[1])
names = list(full.posterior["feature"].values)
gap = np.abs(full.posterior["coef"].values
             - result.idata.posterior["coef"].sel(feature=names).values).max()
reference = az.loo(result.idata)
print(f"max |projected - posterior| at full size: {gap:.2e}")
print(f"elpd: full-size projection {selection.path['elpd'].iloc[-1]:.6f}, "
      f"az.loo of the fit {reference.elpd_loo:.6f}")
assert gap < 1e-8
assert abs(selection.path["elpd"].iloc[-1] - reference.elpd_loo) < 1e-8

# %% [markdown]
# How does the order of entry compare with the Lasso path's? Both start from the same strongest
# effects (BMI, the log triglycerides `s5`, blood pressure): the Lasso path orders variables by
# their correlation with the current residual of a *shrunk* fit, the projection by how much of the
# posterior's predictions they recover.

# %%
lasso_order = lasso_entry_order(X, y)
order = list(selection.path["variable"].iloc[1:])
print("projection order:", order)
print("Lasso path order:", lasso_order)
print(f"projection suggests {selection.suggested_size}: {list(selection.variables)}; "
      f"LassoCV keeps {len(lasso_set)}")
assert set(order[:3]) == set(lasso_order[:3]) == {"bmi", "s5", "bp"}
assert selection.suggested_size < len(lasso_set)

# %% [markdown]
# The projected posterior of the chosen submodel is an ordinary InferenceData: its coefficients are
# *not* the full posterior's coefficients of the same variables — they absorb what the dropped,
# correlated variables did.

# %%
az.summary(selection.projected, var_names=["coef", "sigma"], kind="stats")

# %% [markdown]
# ## 3. Simpler rules from the same draws
#
# * **SAVS** (signal adaptive variable selection): in every draw, the standardized coefficient
#   $b_j$ is soft-thresholded with the adaptive penalty $\mu_j = b_j^{-2}$, which with unit-sd
#   predictors keeps $b_j$ when $|b_j|^3 > 1/n$; a variable is selected when it survives in more
#   than half the draws (the median probability model).
# * **Interval**: the central 95% credible interval excludes zero.
# * **Decoupled shrinkage and selection** (DSS): sparse summaries of the posterior-mean fit along an
#   adaptive-Lasso path, the size chosen by the variance they explain, $\rho^2_\lambda$: the smallest
#   whose upper 95% point reaches the full model's mean $\rho^2$.
# * **Ranks** (R bayesreg's `var.ranks`): each draw ranks $|b_j|$, a variable's rank is the 75th
#   percentile of its ranks.

# %%
rules = {"savs": result.select("savs"), "interval": result.select("interval"),
         "decoupled": result.select("decoupled", X=X), "ranks": result.select("ranks")}
table = pd.DataFrame({
    "projection": [v in selection.variables for v in X.columns],
    **{name: [v in sel.variables for v in X.columns] for name, sel in rules.items()
       if name != "ranks"},
    "LassoCV": [v in lasso_set for v in X.columns],
    "rank": rules["ranks"].ranks,
    "SAVS inclusion": rules["savs"].inclusion,
}, index=X.columns)
table.sort_values("rank")

# %%
axes = plots.plot_inclusion({"SAVS": rules["savs"], "95% interval": rules["interval"]})

# %% [markdown]
# Every rule keeps BMI, `s5` and blood pressure; they differ on the weaker, correlated serum
# measurements, which is where the data say little.

# %%
for name in ("savs", "interval", "decoupled"):
    assert {"bmi", "s5", "bp"} <= set(rules[name].variables), name
assert set(rules["ranks"].variables[:2]) == {"bmi", "s5"}

# %% [markdown]
# ## 4. Prostate cancer (ESL §3.2)
#
# The 67 training rows of the prostate data at natural scale (log cancer volume, log prostate
# weight, age, ...). ESL's best subset (Table 3.3) has `lcavol` and `lweight`; its Lasso keeps four.

# %%
Xp, yp = bayesreg.datasets.load_prostate(split="train")
prostate = bayesreg.fit(Xp, yp, "horseshoe", **FIT)
prostate_selection = prostate.select(X=Xp)
print(prostate_selection)
print("Lasso path order:", lasso_entry_order(Xp, yp))
prostate_selection.path

# %%
prostate_path = prostate_selection.path
assert list(prostate_path["variable"].iloc[1:3]) == ["lcavol", "lweight"]
assert lasso_entry_order(Xp, yp)[0] == "lcavol"
assert set(prostate_selection.variables) <= {"lcavol", "lweight"}
assert prostate_path["elpd_diff"].iloc[2] + prostate_path["se_diff"].iloc[2] >= 0
assert abs(prostate_path["elpd_diff"].iloc[-1]) < 1e-8

# %% [markdown]
# The path starts with ESL's best subset of size two, `lcavol` then `lweight`, and the
# two-variable submodel predicts as well as the full model. With only 67 rows the standard errors
# are wide: `lcavol` alone can already be within one standard error of the reference, and then the
# one-SE rule suggests it alone. The elpd curve (`plot_selection`) shows the choice; `rule="best"`
# or `rule=2` make another one explicit.

# %% [markdown]
# ## 5. Known truth
#
# n = 200 rows, p = 100 standardized predictors with AR(1) correlation 0.5, eight non-zero
# coefficients of varied size (±3, ±2, ±1.5, ±1, 0.75, 0.5, 0.35, 0.25 at noise sd 1) at random
# positions. Four are strong ($|\beta| \ge 1$); the last ones are hard to tell from noise for any
# method. For several seeds: the projection's suggestion (horseshoe reference), the 95% interval
# rule, SAVS and LassoCV.

# %%
SIGNALS = np.array([3.0, -2.0, 1.5, -1.0, 0.75, -0.5, 0.35, -0.25])


def simulate(seed, n=200, p=100, rho=0.5):
    rng = np.random.default_rng(seed)
    Xs = np.empty((n, p))
    Xs[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        Xs[:, j] = rho * Xs[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    Xs = (Xs - Xs.mean(axis=0)) / Xs.std(axis=0)
    support = rng.choice(p, size=SIGNALS.size, replace=False)
    beta = np.zeros(p)
    beta[support] = SIGNALS
    return Xs, Xs @ beta + rng.standard_normal(n), support


rows = []
for seed in range(1 if SMOKE else 10):
    Xs, ys, support = simulate(RANDOM_SEED + seed)
    sim = bayesreg.fit(Xs, ys, "horseshoe", draws=DRAWS // 2 if SMOKE else 1000, tune=500,
                       chains=1 if SMOKE else 2, random_seed=seed, progressbar=False,
                       warn_convergence=False)
    sets = {"projection": sim.select(X=Xs, max_size=25).variables,
            "interval 95%": sim.select("interval").variables,
            "savs": sim.select("savs").variables}
    lasso = LassoCV(cv=5, random_state=seed).fit(Xs, ys)
    sets["LassoCV"] = tuple(f"x{j}" for j in np.flatnonzero(lasso.coef_))
    for method, chosen in sets.items():
        idx = {int(v[1:]) for v in chosen}
        rows.append({"seed": seed, "method": method,
                     "strong found (of 4)": sum(int(j) in idx for j in support[:4]),
                     "signals found (of 8)": sum(int(j) in idx for j in support),
                     "false": len(idx - set(support.tolist())), "size": len(idx)})
rates = pd.DataFrame(rows)
rates.groupby("method", sort=False)[["strong found (of 4)", "signals found (of 8)", "false",
                                     "size"]].mean()

# %% [markdown]
# The projection finds the strong signals in every seed with few false ones, and keeps a much
# smaller set than LassoCV, whose cross-validated penalty is tuned for prediction and lets many
# noise variables in (a known property of the Lasso at the prediction-optimal penalty).

# %%
by = rates.groupby("method")
assert (rates.loc[rates.method == "projection", "strong found (of 4)"] == 4).all()
assert by["false"].mean()["projection"] < by["false"].mean()["LassoCV"]
assert by["size"].mean()["projection"] < by["size"].mean()["LassoCV"]

# %% [markdown]
# ## Summary
#
# * A shrinkage posterior never selects by itself; selection is a decision taken afterwards.
# * The projection's decision is predictive: the smallest submodel that predicts, by PSIS-LOO, as
#   well as the full posterior. For Gaussian noise each draw's projection is closed form, so the
#   whole forward path is fast (`bench/selection.py`: all p = 1,000 sizes, 1,000 draws, in seconds).
# * Per-draw rules (SAVS, intervals, ranks) need no search and no refits, and answer narrower
#   questions: "is this coefficient's sign clear?", "does it survive thresholding?".
# * `FitResult.select`, `plots.plot_selection`, `plots.plot_inclusion` and `bayesreg select` on the
#   command line.
