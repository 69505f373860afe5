"""Range and choice checks shared by the engine's configs (GANConfig, PlaygroundConfig, the recipe configs).

A config declares a rule per field and its `__post_init__` calls `check_fields`; a bad value raises ValueError
naming the field, what it must be and what it got, e.g. "steps: must be an integer in 1..1,000,000; got 0".
Plain Python: no streamlit, no torch.
"""
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


class Rule:
    """What one field must be. `check` returns the value normalised (an int, a float, a bool, a tuple)."""

    def describe(self) -> str:
        raise NotImplementedError

    def ok(self, value) -> bool:
        raise NotImplementedError

    def normalise(self, value):
        return value

    def check(self, name: str, value):
        if not self.ok(value):
            raise ValueError(f"{name}: must be {self.describe()}; got {value!r}")
        return self.normalise(value)


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


@dataclass(frozen=True)
class Range(Rule):
    """A number in lo..hi (both included unless `lo_open`); `kind` int allows whole numbers only, never a bool."""
    lo: float
    hi: float
    kind: type = float
    lo_open: bool = False

    def describe(self) -> str:
        if self.kind is int:
            return f"an integer in {self.lo:,}..{self.hi:,}"
        return f"a finite number in {'(' if self.lo_open else '['}{self.lo:g}, {self.hi:g}]"

    def ok(self, value) -> bool:
        if _is_bool(value) or not isinstance(value, numbers.Integral if self.kind is int else numbers.Real):
            return False
        value = float(value)
        return math.isfinite(value) and (self.lo < value if self.lo_open else self.lo <= value) and value <= self.hi

    def normalise(self, value):
        return int(value) if self.kind is int else float(value)

    def clip(self, value: float):
        """The nearest allowed value to a finite number (rounded to a whole number for `kind` int)."""
        value = min(max(value, self.lo), self.hi)
        return int(round(value)) if self.kind is int else value


@dataclass(frozen=True)
class Choice(Rule):
    """One of `options` (compared exactly: "Adam" is not "adam")."""
    options: tuple

    def describe(self) -> str:
        return "one of " + ", ".join(map(str, self.options))

    def ok(self, value) -> bool:
        return isinstance(value, str) and value in self.options


@dataclass(frozen=True)
class Flag(Rule):
    """True or false (a bool, not 1 or "yes")."""

    def describe(self) -> str:
        return "true or false"

    def ok(self, value) -> bool:
        return _is_bool(value)

    def normalise(self, value):
        return bool(value)


@dataclass(frozen=True)
class Each(Rule):
    """A tuple (or list) whose every item follows `rule`: at least one item, or exactly `length` when given.
    `items` names them in the message ("3 learning rates (too small, about right, too large), each ...")."""
    rule: Rule
    length: int | None = None
    items: str = "values"

    def describe(self) -> str:
        count = f"{self.length} {self.items}" if self.length else f"one or more {self.items}"
        return f"{count}, each {self.rule.describe()}"

    def check(self, name: str, value):
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list, np.ndarray)) \
                or (len(value) != self.length if self.length else not len(value)):
            raise ValueError(f"{name}: must be {self.describe()}; got {value!r}")
        return tuple(self.rule.check(name, v) for v in value)


def check_fields(obj, rules: Mapping[str, Rule]) -> None:
    """Check every field of `obj` that `rules` names (fields it lacks are skipped), in the rules' order, and store
    each back normalised (1 -> 1.0 for a float field, np.int64 -> int, a list -> a tuple), also on a frozen dataclass,
    so equal configs hash and serialise alike."""
    for name, rule in rules.items():
        if hasattr(obj, name):
            object.__setattr__(obj, name, rule.check(name, getattr(obj, name)))
