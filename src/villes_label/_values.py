"""Small immutable value helpers shared by the models: frozen mappings and fractions."""

from __future__ import annotations

import math
from collections.abc import Hashable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from fractions import Fraction
from typing import Any, Generic, TypeVar

__all__ = ["FrozenMap", "is_instance", "is_int", "plain_dict", "to_fraction"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


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


def to_fraction(value: object) -> Fraction:
    """Read an exact fraction from an int, a ``Fraction``, a float or a string.

    A float is read through its shortest repr (``0.35`` is ``7/20``, not the
    binary double); a string may be ``"7/20"`` or ``"0.35"``. Booleans, NaN and
    infinities are refused with a ``ValueError``; other types with a ``TypeError``.

    >>> to_fraction(0.35), to_fraction("7/20"), to_fraction(1)
    (Fraction(7, 20), Fraction(7, 20), Fraction(1, 1))
    """
    if isinstance(value, bool):
        msg = f"expected a number, got the boolean {value!r}"
        raise TypeError(msg)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"expected a finite number, got {value!r}"
            raise ValueError(msg)
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if text.lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            msg = f"expected a finite number, got {value!r}"
            raise ValueError(msg)
        try:
            result = Fraction(text)
        except (ValueError, ZeroDivisionError):
            msg = f"expected a fraction such as '7/20' or '0.35', got {value!r}"
            raise ValueError(msg) from None
        return result
    msg = f"expected a number, got {type(value).__name__} {value!r}"
    raise TypeError(msg)


# Run-time checks of values that the type hints already promise: users without
# a type checker may still pass anything. These helpers do not narrow types,
# so the checker does not call the defensive branches unreachable.
def is_int(value: object) -> bool:
    """Whether *value* is an ``int`` and not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_instance(value: object, cls: type[object]) -> bool:
    """``isinstance`` that a type checker does not use for narrowing."""
    return isinstance(value, cls)
