"""The one validation mechanism for configs: a frozen dataclass that subclasses `Config` declares a rule per field
in `RULES` and is checked when made; a bad value raises ValueError naming the field, what it must be and what it
got, e.g. "steps: must be an integer in 1..1,000,000; got 0". Rules that tie fields together go in `validate()`.
Plain Python: no streamlit, no torch.
"""
import dataclasses
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

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


def _tuples(value):
    """Lists (from JSON) back into the tuples a frozen config holds, nested ones included."""
    return tuple(_tuples(v) for v in value) if isinstance(value, (list, tuple)) else value


def _lists(value):
    return [_lists(v) for v in value] if isinstance(value, (list, tuple)) else value


class Config:
    """Mixin for a frozen dataclass of settings: checked against its class's RULES when made (values normalised:
    1 -> 1.0 for a float, a list -> a tuple), then `validate()`; `to_dict()`/`from_dict()` for JSON."""
    RULES: ClassVar[Mapping[str, Rule]] = {}

    def __post_init__(self):
        check_fields(self, type(self).RULES)
        self.validate()

    def validate(self) -> None:
        """Checks across fields (raise ValueError); none by default."""

    def to_dict(self) -> dict:
        """The fields as plain JSON-able values (tuples become lists)."""
        return {f.name: _lists(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, d: dict):
        """Inverse of to_dict. Missing fields take their defaults; unknown ones raise ValueError."""
        unknown = sorted(set(d) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise ValueError(f"unknown config field(s) for {cls.__name__}: {', '.join(unknown)}")
        return cls(**{k: _tuples(v) for k, v in d.items()})

    def replace(self, **changes):
        """A copy with some fields changed, checked again."""
        return dataclasses.replace(self, **changes)
