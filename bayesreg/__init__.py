"""bayesreg — regularized regression as Bayesian inference.

Ridge is the MAP estimate under a Gaussian prior, Lasso the MAP estimate under a Laplace prior.
bayesreg computes those MAPs exactly, samples the full posteriors and compares the priors with ArviZ.

Heavy backends (PyMC, PyTensor, ArviZ, scikit-learn, matplotlib) are imported only when used.
"""

from __future__ import annotations

import importlib

from ._scaling import alpha_to_scale, scale_to_alpha
from .exceptions import BayesregWarning, ConvergenceWarning
from .map import MAPEstimate, MAPPath, map_estimate, map_path
from .priors import (
    ElasticNet,
    Gamma,
    Gaussian,
    HalfCauchy,
    Horseshoe,
    HorseshoePlus,
    Laplace,
    RegularizedHorseshoe,
)

__version__ = "0.1.0"

__all__ = [
    "BayesregWarning",
    "ConvergenceWarning",
    "ElasticNet",
    "FitResult",
    "FormulaTransformer",
    "Gamma",
    "Gaussian",
    "HalfCauchy",
    "Horseshoe",
    "HorseshoePlus",
    "Laplace",
    "MAPEstimate",
    "MAPPath",
    "PosteriorPath",
    "PriorClassifier",
    "PriorComparison",
    "PriorRegressor",
    "RegularizedHorseshoe",
    "Selection",
    "ShrinkageProfile",
    "SufficientStats",
    "__version__",
    "alpha_to_scale",
    "build_model",
    "compare_priors",
    "cv_C",
    "cv_alpha",
    "datasets",
    "fit",
    "load",
    "map_estimate",
    "map_path",
    "plots",
    "posterior_path",
    "priors",
    "scale_to_alpha",
    "shrinkage_profile",
]

_LAZY = {
    "fit": ("api", "fit"),
    "build_model": ("api", "build_model"),
    "posterior_path": ("compare", "posterior_path"),
    "PosteriorPath": ("compare", "PosteriorPath"),
    "FitResult": ("result", "FitResult"),
    "load": ("result", "load"),
    "PriorRegressor": ("estimators", "PriorRegressor"),
    "PriorClassifier": ("estimators", "PriorClassifier"),
    "FormulaTransformer": ("estimators", "FormulaTransformer"),
    "SufficientStats": ("stats", "SufficientStats"),
    "Selection": ("selection", "Selection"),
    "ShrinkageProfile": ("shrinkage", "ShrinkageProfile"),
    "shrinkage_profile": ("shrinkage", "shrinkage_profile"),
    "compare_priors": ("compare", "compare_priors"),
    "cv_alpha": ("compare", "cv_alpha"),
    "cv_C": ("compare", "cv_C"),
    "PriorComparison": ("compare", "PriorComparison"),
    "datasets": ("datasets", None),
    "plots": ("plots", None),
}


def __getattr__(name: str):
    if name in _LAZY:
        module_name, attr = _LAZY[name]
        module = importlib.import_module(f"{__name__}.{module_name}")
        value = module if attr is None else getattr(module, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bayesreg' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
