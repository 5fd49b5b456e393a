"""Warnings raised by bayesreg."""

__all__ = ["BayesregWarning", "ConvergenceWarning"]


class BayesregWarning(UserWarning):
    """Base class of bayesreg's warnings."""


class ConvergenceWarning(BayesregWarning):
    """Sampling diagnostics (R-hat, effective sample size, divergences) failed a check."""
