"""Declarative argument validation shared by every entry point (in scikit-learn's style).

Each public function or estimator declares its constraints once, e.g.
``{"draws": [Interval("integral", 1)], "method": [StrOptions("sample", "map")]}``, and
:func:`validate_params` checks the values before any work. The same fault raises the same
exception everywhere: a value of the wrong type a ``TypeError``, a value of the right type outside
the allowed range or options a ``ValueError``; both messages name the argument and what is allowed.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["Boolean", "Interval", "StrOptions", "check_param", "validate_params"]


class Interval:
    """Numbers in an interval: ``kind`` "real" (floats and ints, not bools) or "integral".

    ``left``/``right`` are the bounds (None: unbounded); ``closed`` is "both", "left", "right" or
    "neither". Real values must also be finite.
    """

    def __init__(self, kind: str, left: float | None = None, right: float | None = None, *,
                 closed: str = "both"):
        if kind not in ("real", "integral"):
            raise ValueError(f"kind must be 'real' or 'integral'; got {kind!r}")
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def is_type(self, value) -> bool:
        if isinstance(value, bool | np.bool_):
            return False
        return isinstance(value, numbers.Integral if self.kind == "integral" else numbers.Real)

    def contains(self, value) -> bool:
        value = float(value)
        if not math.isfinite(value):
            return False
        left_open = self.closed in ("right", "neither")
        right_open = self.closed in ("left", "neither")
        if self.left is not None and (value < self.left or (left_open and value == self.left)):
            return False
        return not (self.right is not None
                    and (value > self.right or (right_open and value == self.right)))

    def convert(self, value):
        return int(value) if self.kind == "integral" else float(value)

    def type_description(self) -> str:
        if self.kind == "integral":
            return "an integer"
        if self.left == 0 and self.right is None and self.closed in ("right", "neither"):
            return "a positive number"
        return "a number"

    def __str__(self) -> str:
        if self.kind == "integral":
            if self.right is None and self.left is not None:
                return f">= {self.left}" if self.closed in ("both", "left") else f"> {self.left}"
        elif self.left == 0 and self.right is None and self.closed in ("right", "neither"):
            return "a finite positive number"
        low = "-inf" if self.left is None else f"{self.left:g}"
        high = "inf" if self.right is None else f"{self.right:g}"
        brackets = {"both": "[]", "left": "[)", "right": "(]", "neither": "()"}[self.closed]
        what = "an integer" if self.kind == "integral" else "a number"
        return f"{what} in {brackets[0]}{low}, {high}{brackets[1]}"


class StrOptions:
    """One of a set of strings (compared exactly; ``lower=True`` compares in lower case)."""

    def __init__(self, *options: str, lower: bool = False):
        self.options, self.lower = tuple(options), lower

    def is_type(self, value) -> bool:
        return isinstance(value, str)

    def contains(self, value) -> bool:
        return (value.lower() if self.lower else value) in self.options

    def convert(self, value):
        return value.lower() if self.lower else value

    def type_description(self) -> str:
        return "a string"

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)


class Boolean:
    """True or False (numpy booleans too)."""

    def is_type(self, value) -> bool:
        return isinstance(value, bool | np.bool_)

    def contains(self, value) -> bool:
        return True

    def convert(self, value):
        return bool(value)

    def type_description(self) -> str:
        return "True or False"

    def __str__(self) -> str:
        return "True or False"


def _describe(constraints, attribute: str = "__str__") -> str:
    parts = [getattr(c, attribute)() for c in constraints if c is not None]
    if None in constraints:
        parts.append("None")
    return " or ".join(dict.fromkeys(parts))


def check_param(value, name: str, *constraints):
    """``value`` converted by the first constraint it meets (None allowed if listed).

    TypeError when it has none of the allowed types (or is a missing required value), ValueError
    when it has an allowed type but is outside every allowed range or option.
    """
    if value is None:
        if None in constraints:
            return None
        raise TypeError(f"{name} is required and must be {_describe(constraints, 'type_description')}")
    typed = [c for c in constraints if c is not None and c.is_type(value)]
    if not typed:
        raise TypeError(f"{name} must be {_describe(constraints, 'type_description')}; "
                        f"got {type(value).__name__} {value!r}")
    for constraint in typed:
        if constraint.contains(value):
            return constraint.convert(value)
    raise ValueError(f"{name} must be {_describe(typed + ([None] if None in constraints else []))}; "
                     f"got {value!r}")


def validate_params(values: dict, constraints: dict) -> dict:
    """Check every ``values[name]`` against ``constraints[name]``; returns the converted values."""
    return {name: check_param(values[name], name, *constraints[name]) for name in constraints
            if name in values}


#: shared constraints
POSITIVE = Interval("real", 0, None, closed="neither")
PROBABILITY = Interval("real", 0, 1, closed="neither")
