"""Parse and encode demo state carried in URL query parameters, without trusting any of it.

A page declares its parameters (name, type, default, allowed range or choices) in its UI package's `params`
module. Whatever arrives in the URL is parsed here: out-of-range numbers are clamped, a number that must be one of
a list of numbers snaps to the nearest, garbled or unknown values fall back to the default, and every such
correction comes back as a human-readable notice naming the key, plus what the URL must become so that it holds
the corrected state only. Nothing here raises on bad input.
The Streamlit binding lives in `explainer.ui.url_state`; this module is plain Python so it is easy to test.
"""
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

MAX_RAW_LEN = 64  # longer values are rejected outright: no legitimate demo value is this long
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$", re.ASCII)  # ASCII only: no "５", no "inf"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _show(raw: str) -> str:
    """A short, safe rendering of a raw value for a notice."""
    text = raw if len(raw) <= 24 else raw[:21] + "..."
    return repr(text)


@dataclass(frozen=True)
class Param:
    """One URL parameter: `key` in the URL, `default` when absent or invalid."""
    key: str
    default: object

    def parse(self, raw: str) -> tuple[object, str | None]:
        """Return (value, notice). The notice is None when the raw value was accepted as is."""
        raise NotImplementedError

    def encode(self, value) -> str:
        return str(value)

    def canonical(self, value) -> str | None:
        """What the URL holds for `value`: its encoding, or None (no key at all) for the default."""
        return None if value == self.default else self.encode(value)


def _parse_number(key: str, raw: str, default_shown: str) -> tuple[float | None, str | None]:
    if not _NUMBER.match(raw):
        return None, f"`{key}={_show(raw)}` is not a number; using {default_shown}."
    number = float(raw)
    if not math.isfinite(number):  # e.g. 1e400 overflows to inf
        return None, f"`{key}={_show(raw)}` is not a finite number; using {default_shown}."
    return number, None


@dataclass(frozen=True)
class FloatParam(Param):
    lo: float = -math.inf
    hi: float = math.inf

    def _number(self, raw: str) -> tuple[float | None, str | None]:
        return _parse_number(self.key, raw, self.encode(self.default))

    def parse(self, raw):
        number, notice = self._number(raw)
        if number is None:
            return self.default, notice
        return self._clamp(number)

    def _clamp(self, number):
        if number < self.lo or number > self.hi:
            value = self.lo if number < self.lo else self.hi
            bounds = f"{self.encode(self.lo)} and {self.encode(self.hi)}"
            return value, f"`{self.key}` must be between {bounds}; using {self.encode(value)}."
        return number, None

    def encode(self, value) -> str:
        return f"{float(value):g}"


@dataclass(frozen=True)
class IntParam(FloatParam):
    def parse(self, raw):
        number, notice = self._number(raw)
        if number is None:
            return self.default, notice
        value, notice = self._clamp(number)
        if notice is None and value != int(value):
            notice = f"`{self.key}` must be a whole number; using {int(round(value))}."
        return int(round(value)), notice

    def encode(self, value) -> str:
        return str(int(value))


@dataclass(frozen=True)
class ChoiceParam(Param):
    """One of `choices` (a selectbox, a segmented control, a select-slider). Off the list:

    - numeric choices (every choice an int or a float): a number outside their range is clamped to the lowest or
      highest, one in between snaps to the nearest choice (on a log scale when every choice is positive, so
      lr=0.0007 snaps to 0.0005 among 0.0001, 0.0002, 0.0005, 0.001), and either way the notice says so; a
      non-number falls back to the default;
    - other choices: the default.
    """
    choices: tuple = ()

    def _numeric(self) -> bool:
        return bool(self.choices) and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in self.choices)

    def parse(self, raw):
        number = float(raw) if _NUMBER.match(raw) else None
        for choice in self.choices:
            if raw.lower() == str(choice).lower():
                return choice, None
            if number is not None and isinstance(choice, (int, float)) and not isinstance(choice, bool) \
                    and math.isclose(number, choice, rel_tol=1e-9):
                return choice, None
        allowed, default = ", ".join(self.encode(c) for c in self.choices), self.encode(self.default)
        if not self._numeric():
            return self.default, f"`{self.key}={_show(raw)}` is not one of {allowed}; using {default}."
        number, notice = _parse_number(self.key, raw, default)
        if number is None:
            return self.default, notice
        lo, hi = min(self.choices), max(self.choices)
        if number < lo or number > hi:
            value = lo if number < lo else hi
            return value, (f"`{self.key}` must be between {self.encode(lo)} and {self.encode(hi)}; "
                           f"using {self.encode(value)}.")
        value = self.nearest(number)
        return value, f"`{self.key}={_show(raw)}` is not one of {allowed}; using the nearest, {self.encode(value)}."

    def nearest(self, number: float):
        """The numeric choice nearest to `number`: on a log scale when every choice (and the number) is positive."""
        if number > 0 and all(c > 0 for c in self.choices):
            return min(self.choices, key=lambda c: abs(math.log(c) - math.log(number)))
        return min(self.choices, key=lambda c: abs(c - number))

    def encode(self, value) -> str:
        return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class BoolParam(Param):
    def parse(self, raw):
        if raw.lower() in _TRUE:
            return True, None
        if raw.lower() in _FALSE:
            return False, None
        return self.default, f"`{self.key}={_show(raw)}` is not on/off (use 1 or 0); using {self.encode(self.default)}."

    def encode(self, value) -> str:
        return "1" if value else "0"


@dataclass(frozen=True)
class TokenParam(Param):
    """An identifier such as a content hash: `length` lowercase hex digits (or what `pattern` matches, upper-cased
    first when `upper`), or empty. With `known`, a well-formed id that `known(id)` rejects (nothing stored under it)
    is dropped too, with a notice naming `what` it should be."""
    length: int = 12
    known: Callable[[str], bool] | None = None
    what: str = "saved item"
    pattern: str | None = None
    upper: bool = False

    def parse(self, raw):
        value = raw.upper() if self.upper else raw
        if not re.fullmatch(self.pattern or f"[0-9a-f]{{{self.length}}}", value, flags=re.ASCII):
            return self.default, f"`{self.key}={_show(raw)}` is not a valid id; ignored."
        if self.known is not None and not self.known(value):
            return self.default, f"`{self.key}={_show(raw)}`: no {self.what} with this id on this server; ignored."
        return value, None


def parse_one(spec: Param, raws: Sequence[str]) -> tuple[object, str | None]:
    """Parse a parameter that may have been given several times (`?a=1&a=2`): the last one wins."""
    if not raws:
        return spec.default, None
    raw = raws[-1]
    repeat = f"`{spec.key}` was given {len(raws)} times; using the last. " if len(raws) > 1 else ""
    if len(raw) > MAX_RAW_LEN:
        too_long = f"`{spec.key}` is too long ({len(raw)} characters)"
        default = spec.encode(spec.default)
        return spec.default, f"{repeat}{too_long}; {f'using {default}' if default else 'ignored'}."
    value, notice = spec.parse(raw.strip())
    notice = (repeat + (notice or "")).strip() or None
    return value, notice


def parse_query(specs: Sequence[Param], query: Mapping[str, Sequence[str]], keep: Sequence[str] = ()):
    """Parse every declared parameter from `query` (key -> list of raw strings).

    Returns (values, notices, fixes): values for every spec (defaults where absent or invalid); the notices to show,
    each naming its key once (unknown keys share one notice); and `fixes`, what the URL must become to hold the
    corrected state only: key -> the corrected value's encoding, or None to remove the key (unknown, dropped, or
    corrected to the default). Keys in `keep` (owned by someone else) are left alone.
    """
    values, notices, fixes = {}, [], {}
    for spec in specs:
        value, notice = parse_one(spec, list(query.get(spec.key, ())))
        values[spec.key] = value
        if notice:
            notices.append(notice)
            fixes[spec.key] = spec.canonical(value)
    declared = {s.key for s in specs} | set(keep)
    unknown = [k for k in query if k not in declared]
    if unknown:
        shown = ", ".join(_show(k) for k in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        notices.append(f"Ignored unknown URL parameter{'s' if len(unknown) > 1 else ''} {shown}.")
        fixes.update(dict.fromkeys(unknown))
    return values, notices, fixes
