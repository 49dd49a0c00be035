"""Small immutable value helpers shared by the models: frozen mappings and fractions."""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Hashable, ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from fractions import Fraction
from typing import Any, Final, Generic, TypeVar

__all__ = [
    "MAX_DIGITS",
    "FrozenMap",
    "counted",
    "fractions_of",
    "is_instance",
    "is_int",
    "parse_fraction",
    "plain_dict",
    "shown",
    "to_fraction",
    "too_big",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def counted(count: int, noun: str) -> str:
    """*count* and an English *noun*, plural unless exactly one: ``'1 area'``, ``'0 areas'``.

    >>> counted(1, "theme"), counted(4, "theme"), counted(0, "area")
    ('1 theme', '4 themes', '0 areas')
    """
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def shown(value: object, limit: int = 60) -> str:
    """A repr of *value* short enough for a message (a huge id is cut in the middle).

    >>> shown("x" * 1000)[:12], len(shown("x" * 1000)) < 100
    ("'xxxxxxxxxxx", True)
    """
    if isinstance(value, str) and len(value) > limit:
        half = limit // 2
        return f"{value[:half]!r}...{value[-half:]!r} ({len(value):,} characters)"
    text = repr(value) if isinstance(value, str) else _safe_repr(value)
    return text if len(text) <= limit * 2 else text[:limit] + "..."


def _short_repr() -> reprlib.Repr:
    shorter = reprlib.Repr()
    shorter.maxlevel = 2
    shorter.maxstring = 40
    shorter.maxother = 40
    shorter.maxlong = 40
    shorter.maxlist = shorter.maxtuple = shorter.maxdict = shorter.maxset = 4
    return shorter


_REPR: Final = _short_repr()


def _safe_repr(value: object) -> str:
    try:
        return _REPR.repr(value)
    except (ValueError, RecursionError):  # an int too long to write in decimal
        return f"({type(value).__name__} too long to show)"


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """An immutable, hashable mapping that keeps the order it was given.

    It compares equal to any mapping with the same items (like a ``dict``),
    hashes on its items whatever their order, and pickles.

    >>> m = FrozenMap({"b": 1, "a": 2})
    >>> m == {"a": 2, "b": 1}, hash(m) == hash(FrozenMap({"a": 2, "b": 1}))
    (True, True)
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = dict(data) if data is not None else {}
        self._hash: int | None = None

    @classmethod
    def owning(cls, data: dict[K, V]) -> FrozenMap[K, V]:
        """Wrap *data* without a copy: the caller gives it up and never changes it."""
        made = cls.__new__(cls)
        made._data = data  # noqa: SLF001 - the class's own constructor
        made._hash = None  # noqa: SLF001
        return made

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    # The views of the inner dict iterate at C speed (the batch scorer relies on it).
    def keys(self) -> KeysView[K]:
        return self._data.keys()

    def values(self) -> ValuesView[V]:
        return self._data.values()

    def items(self) -> ItemsView[K, V]:
        return self._data.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))


def plain_dict(mapping: Mapping[K, V]) -> dict[K, V]:
    """The items of *mapping* as a dict, without a copy for a `FrozenMap`.

    For the package's fast paths, which read it at C speed: the result must
    never be changed.
    """
    if isinstance(mapping, FrozenMap):
        return mapping._data  # noqa: SLF001 - the class of this module
    return dict(mapping)


MAX_DIGITS: Final = 100
"""The most digits an accepted number may have: an int, or a fraction's numerator or denominator."""
_LIMIT: Final = 10**MAX_DIGITS
_LONGEST_EXPONENT = 9  # digits of a decimal exponent worth reading at all

_DIGITS = r"\d(?:_?\d)*"
_DECIMAL = re.compile(
    rf"\s*([+-]?)(?=\d|\.\d)({_DIGITS})?(?:\.({_DIGITS})?)?(?:[eE]([+-]?{_DIGITS}))?\s*",
    re.ASCII,
)
_RATIO = re.compile(rf"\s*([+-]?)({_DIGITS})\s*/\s*({_DIGITS})\s*", re.ASCII)
_NOT_FINITE = frozenset({"nan", "inf", "infinity"})
_FRACTION_EXAMPLE = "a fraction such as '7/20' or '0.35'"


def too_big(number: int) -> bool:
    return not -_LIMIT < number < _LIMIT


def _too_many_digits(value: object) -> str:
    return f"{shown(value)} has more than {MAX_DIGITS} digits (numerator or denominator)"


def parse_fraction(value: object) -> Fraction | str:
    """Read an exact fraction, or say why not (the message, a str).

    Accepted: an int, a `Fraction`, a float (through its shortest repr: ``0.1``
    is ``1/10``) and a string such as ``"7/20"``, ``"0.35"`` or ``"35e-2"``
    (digits may be grouped by ``_``). Booleans, NaN and infinities are not
    numbers here. Sizes are bounded *before* any arithmetic: an int, or a
    numerator or denominator, has at most `MAX_DIGITS` digits, so
    ``"1e-9_999_999"`` is refused at once instead of computing a power of ten.

    >>> parse_fraction("7/20"), parse_fraction(0.1), parse_fraction("1_000e-3")
    (Fraction(7, 20), Fraction(1, 10), Fraction(1, 1))
    >>> parse_fraction("1e-9_999_999")
    "'1e-9_999_999' has more than 100 digits (numerator or denominator)"
    """
    if isinstance(value, bool):
        return f"expected a number, got the boolean {value!r}"
    if isinstance(value, Fraction):
        if too_big(value.numerator) or too_big(value.denominator):
            return _too_many_digits(value)
        return value
    if isinstance(value, int):
        return _too_many_digits(value) if too_big(value) else Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"expected a finite number, got {value!r}"
        return parse_fraction(repr(value))
    if not isinstance(value, str):
        return f"expected {_FRACTION_EXAMPLE}, got {type(value).__name__} {shown(value)}"
    if len(value) <= 20 and value.strip().lower().lstrip("+-") in _NOT_FINITE:
        return f"expected a finite number, got {value!r}"
    ratio = _RATIO.fullmatch(value)
    if ratio is not None:
        sign, top, bottom = ratio.groups()
        top, bottom = top.replace("_", "").lstrip("0"), bottom.replace("_", "").lstrip("0")
        if len(top) > MAX_DIGITS or len(bottom) > MAX_DIGITS:
            return _too_many_digits(value)
        if not bottom:
            return f"{shown(value)} divides by zero"
        return Fraction(int(sign + (top or "0")), int(bottom))
    decimal = _DECIMAL.fullmatch(value)
    if decimal is None:
        return f"expected {_FRACTION_EXAMPLE}, got {shown(value)}"
    sign, whole, part, exponent = decimal.groups()
    whole, part = (whole or "").replace("_", ""), (part or "").replace("_", "")
    digits = (whole + part).lstrip("0")
    shift = 0
    if exponent is not None:
        exponent = exponent.replace("_", "")
        if len(exponent.lstrip("+-0")) > _LONGEST_EXPONENT:
            return _too_many_digits(value)
        shift = int(exponent)
    if not digits:
        return Fraction(0)
    # value = digits × 10^(shift - len(part)), before reduction
    scale = shift - len(part)
    if len(digits) + max(scale, 0) > MAX_DIGITS or max(-scale, 0) > MAX_DIGITS:
        return _too_many_digits(value)
    numerator = int(sign + digits)
    return Fraction(numerator * 10**scale) if scale >= 0 else Fraction(numerator, 10**-scale)


def to_fraction(value: object) -> Fraction:
    """Read an exact fraction from an int, a ``Fraction``, a float or a string (see `parse_fraction`).

    Refused values raise ``TypeError`` (not a number) or ``ValueError``.

    >>> to_fraction(0.35), to_fraction("7/20"), to_fraction(1)
    (Fraction(7, 20), Fraction(7, 20), Fraction(1, 1))
    """
    result = parse_fraction(value)
    if isinstance(result, str):
        if isinstance(value, (bool, str, int, float, Fraction)):
            raise ValueError(result)  # noqa: TRY004 - a value of the right type, refused
        raise TypeError(result)
    return result


# Run-time checks of values that the type hints already promise: users without
# a type checker may still pass anything. These helpers do not narrow types,
# so the checker does not call the defensive branches unreachable.
def is_int(value: object) -> bool:
    """Whether *value* is an ``int`` and not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_instance(value: object, cls: type[object]) -> bool:
    """``isinstance`` that a type checker does not use for narrowing."""
    return isinstance(value, cls)


def fractions_of(numerators: Iterable[int], denominators: Iterable[int]) -> list[Fraction]:
    """``Fraction(n, d)`` for each pair of *numerators* and *denominators*, in order.

    Each distinct pair is built once and shared by the places that have it (a
    `Fraction` never changes): a cohort's scores take few distinct values, a few
    hundred among 34,945 communes, and building a `Fraction` costs about a
    microsecond.

    >>> fractions_of([1, 2, 1], [2, 4, 2])
    [Fraction(1, 2), Fraction(1, 2), Fraction(1, 2)]
    """
    pairs = list(zip(numerators, denominators, strict=True))
    built = {pair: Fraction(*pair) for pair in dict.fromkeys(pairs)}
    return list(map(built.__getitem__, pairs))
