"""The registry of prior families: names and aliases → family objects.

The built-in families register themselves at the end of this module (one line each); a new
family registers with :func:`register_family` (from a package module or from user code).
"""

from __future__ import annotations

from ._base import PriorFamily, ResolvedPrior

__all__ = ["as_prior", "families", "get_family", "prior_aliases", "register_family"]

_FAMILIES: dict[str, PriorFamily] = {}
_ALIASES: dict[str, str] = {}


def register_family(family: PriorFamily, *, replace: bool = False) -> PriorFamily:
    """Register a prior family (an instance of a :class:`PriorFamily` subclass); returns it.

    Its ``name`` and ``aliases`` become valid ``prior=`` strings and its ``prior_class``
    instances valid prior objects everywhere in bayesreg. ``replace=True`` re-registers a name.
    """
    if not isinstance(family, PriorFamily):
        raise TypeError(f"family must be a bayesreg.priors.PriorFamily instance; got {family!r}")
    names = (family.name, *family.aliases)
    if not family.name or any(not isinstance(n, str) or not n for n in names):
        raise ValueError("a prior family needs a non-empty name (and string aliases)")
    if getattr(family.prior_class, "family", None) != family.name:
        raise ValueError(f"{family.prior_class.__name__}.family must be {family.name!r}")
    taken = [n for n in names if n.lower() in _ALIASES and _ALIASES[n.lower()] != family.name]
    if taken and not replace:
        raise ValueError(f"prior names already registered: {taken}; pass replace=True to override")
    if family.name in _FAMILIES and not replace:
        raise ValueError(f"prior family {family.name!r} is already registered; pass replace=True")
    _FAMILIES[family.name] = family
    for n in names:
        _ALIASES[n.lower()] = family.name
    return family


def unregister_family(name: str) -> None:
    """Remove a registered family and its aliases (mainly for tests)."""
    family = _FAMILIES.pop(name)
    for n in (family.name, *family.aliases):
        _ALIASES.pop(n.lower(), None)


def families() -> tuple[PriorFamily, ...]:
    """The registered prior families, in registration order."""
    return tuple(_FAMILIES.values())


def prior_aliases() -> dict[str, str]:
    """Every accepted prior string → its family's name."""
    return dict(_ALIASES)


def _valid_names() -> str:
    return ", ".join(repr(k) for k in _ALIASES)


def get_family(prior) -> PriorFamily:
    """The family of a name/alias, a prior object, a :class:`ResolvedPrior` or a family itself."""
    if isinstance(prior, PriorFamily):
        return prior
    if isinstance(prior, ResolvedPrior):
        return _FAMILIES[prior.family]
    if isinstance(prior, str):
        name = _ALIASES.get(prior.lower())
        if name is None:
            raise ValueError(f"prior must be one of {_valid_names()}; got {prior!r}")
        return _FAMILIES[name]
    name = getattr(type(prior), "family", None)
    if isinstance(name, str) and name in _FAMILIES and isinstance(prior, _FAMILIES[name].prior_class):
        return _FAMILIES[name]
    raise TypeError(
        f"prior must be a string ({_valid_names()}) or a prior object such as bayesreg.Gaussian, "
        f"bayesreg.Laplace or bayesreg.ElasticNet; got {type(prior).__name__}"
    )


def as_prior(prior):
    """Turn a string alias or a prior object into a prior object (TypeError/ValueError otherwise)."""
    family = get_family(prior)
    if isinstance(prior, family.prior_class):
        return prior
    if isinstance(prior, str):
        return family.prior_class()
    raise TypeError(f"prior must be a string or a prior object; got {type(prior).__name__}")


# ---- the built-in families: one line each ---------------------------------------------------
from .elasticnet import ElasticNetFamily  # noqa: E402
from .gaussian import GaussianFamily  # noqa: E402
from .horseshoe import HorseshoeFamily, HorseshoePlusFamily, RegularizedHorseshoeFamily  # noqa: E402
from .laplace import LaplaceFamily  # noqa: E402

register_family(GaussianFamily())
register_family(LaplaceFamily())
register_family(ElasticNetFamily())
register_family(HorseshoeFamily())
register_family(HorseshoePlusFamily())
register_family(RegularizedHorseshoeFamily())
