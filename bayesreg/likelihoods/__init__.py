"""Likelihoods as components: each module declares everything about its noise model.

Samplers and MAP solvers receive a (prior family, likelihood) pair. Today there is the Gaussian
likelihood and the Bernoulli likelihood with the logit link (logistic regression); another is one
more module registered here.
"""

from __future__ import annotations

from .bernoulli import BernoulliLikelihood
from .gaussian import GaussianLikelihood

__all__ = ["BernoulliLikelihood", "GaussianLikelihood", "get_likelihood", "likelihoods",
           "register_likelihood"]

_LIKELIHOODS: dict = {}
_ALIASES: dict[str, str] = {}


def register_likelihood(likelihood):
    """Register a likelihood object (with ``name`` and ``aliases``); returns it."""
    _LIKELIHOODS[likelihood.name] = likelihood
    for n in (likelihood.name, *likelihood.aliases):
        _ALIASES[n.lower()] = likelihood.name
    return likelihood


def likelihoods() -> tuple:
    return tuple(_LIKELIHOODS.values())


def get_likelihood(name="gaussian"):
    """The likelihood registered under ``name`` (or an alias); a likelihood object is returned as is."""
    if not isinstance(name, str):
        if hasattr(name, "name") and name.name in _LIKELIHOODS:
            return name
        raise TypeError(f"family must be a string such as 'gaussian' or 'bernoulli'; "
                        f"got {type(name).__name__}")
    key = _ALIASES.get(name.lower())
    if key is None:
        valid = ", ".join(repr(k) for k in _ALIASES)
        raise ValueError(f"family must be one of {valid}; got {name!r}")
    return _LIKELIHOODS[key]


register_likelihood(GaussianLikelihood())
register_likelihood(BernoulliLikelihood())
