"""Model values to plain, JSON-compatible data and back, strictly.

``to_dict`` turns any model value into ``str``, ``int``, ``bool``, ``None``,
``list`` and ``dict`` only; ``from_dict`` reads such data back into a model
class and reports **every** problem of the document in one `InvalidInput`.

The JSON shapes:

- an attrs class is an object with one key per field (every field, defaults
  included), named as in the constructor;
- a ``Fraction`` is a string, ``str(fraction)``: ``"7/20"``, ``"1"``, ``"0"``;
  on input an int, ``"0.35"``, ``"7/20"`` or a float (read through its
  shortest repr, so ``0.35`` is ``7/20``) is accepted; NaN and infinities are not;
- an enum member is its value (``"deployed"``, ``"commune"``);
- a ``datetime.date`` is its ISO text, ``"2015-03-31"``; a float (the coordinates of
  a `Place`) is a JSON number, read back exactly (Python writes the shortest repr);
- a tuple is a list, in order; a frozenset is a sorted list;
- a mapping is an object whose keys are sorted: a string key as is, an enum key
  as its value, an int key in decimal (``"3"``), a tuple key as its parts
  joined by ``"->"`` (``Comparison.transitions[(3, 4)]`` is ``"3->4"``).

Equal values give identical data, whatever the order their sets and mappings
were built in, so ``json.dumps(to_dict(x))`` is a stable text.

Why not plain cattrs: cattrs' detailed validation stops at the first failing
field of a class (a bad ``kind`` hides a negative ``population`` beside it) and
coerces silently (``3`` becomes ``"3"``). Reading goes instead through the
models' own constructors, which accept the same plain shapes (see
``villes_label._check``): a model is built from a mapping by calling its
constructor with the mapping's fields, and the constructor reports every
problem of every field, each a `Problem` with its path. Unknown and missing
fields are added to the same report.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import typing
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Any, Final, Literal, TypeVar, cast

import attrs
import cattrs

from villes_label._check import FAILED, KEY_SEPARATOR, reader
from villes_label._errors import InvalidInput, Problem

__all__ = ["converter", "from_dict", "to_dict"]

T = TypeVar("T")

# --- unstructuring: values to plain data ---------------------------------------------


def _sort_key(value: object) -> tuple[Any, ...]:
    """A total order on set items and mapping keys that does not depend on hashing."""
    if isinstance(value, enum.Enum):
        return (0, list(type(value)).index(value))
    if isinstance(value, (int, float, Fraction)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    if isinstance(value, tuple):
        return (3, tuple(_sort_key(item) for item in value))
    return (4, json.dumps(_unstructure(value), sort_keys=True))


def _sorted(values: Sequence[object] | AbstractSet[object]) -> list[object]:
    try:
        return sorted(values, key=_sort_key)
    except TypeError:  # items of kinds that do not compare: order by their JSON text
        return sorted(values, key=lambda item: json.dumps(_unstructure(item), sort_keys=True))


def _key(key: object) -> str:
    """A mapping key as a JSON object key."""
    if isinstance(key, enum.Enum):
        return _key(key.value)
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, bool):
        msg = f"cannot use the boolean {key!r} as a JSON key"
        raise TypeError(msg)
    if isinstance(key, (int, Fraction)):
        return str(key)
    if isinstance(key, tuple):
        parts = [_key(part) for part in key]
        if any(KEY_SEPARATOR in part for part in parts):
            msg = f"cannot join the key {key!r}: a part contains {KEY_SEPARATOR!r}"
            raise ValueError(msg)
        return KEY_SEPARATOR.join(parts)
    msg = f"cannot use a {type(key).__name__} as a JSON key"
    raise TypeError(msg)


def _unstructure(value: object) -> object:
    """Plain JSON-compatible data for *value*, driven by its runtime type."""
    if isinstance(value, enum.Enum):
        return _unstructure(value.value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"cannot write {value!r} in JSON"
            raise ValueError(msg)
        return value
    cls = type(value)
    if attrs.has(cls):
        if not _in_package(cls):
            return converter.unstructure(value)
        return {
            field.alias: _unstructure(getattr(value, field.name))
            for field in attrs.fields(cls)
            if field.init
        }
    if isinstance(value, Mapping):
        keys = _sorted(list(value.keys()))
        return {_key(key): _unstructure(value[key]) for key in keys}
    if isinstance(value, AbstractSet):
        return [_unstructure(item) for item in _sorted(value)]
    if isinstance(value, (list, tuple)):
        return [_unstructure(item) for item in value]
    msg = f"cannot turn a {type(value).__name__} into JSON-compatible data"
    raise TypeError(msg)


# --- structuring: plain data to values, through the models' constructors -------------


def _in_package(cls: type) -> bool:
    return cls.__module__.split(".", 1)[0] == "villes_label"


def _structure_root(data: object, hint: object) -> object:
    problems: list[Problem] = []
    try:
        result = reader(hint)(data, (), problems)
    except RecursionError:
        raise InvalidInput("the document is nested too deeply") from None
    if problems or result is FAILED:
        raise InvalidInput(*problems)
    return result


# --- the converter ----------------------------------------------------------------------


def _hint_is_ours(hint: object) -> bool:
    """Whether our readers should read *hint*: supported, with no attrs class of other code."""
    if isinstance(hint, type) and attrs.has(hint):
        return _in_package(hint)
    if (typing.get_origin(hint) or hint) is Literal:
        return True
    try:
        reader(hint)
    except TypeError:
        return False
    return all(_hint_is_ours(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)


def _unstructured_by_us(hint: object) -> bool:
    cls = typing.get_origin(hint) or hint
    if not isinstance(cls, type):
        return False
    if attrs.has(cls):
        return _in_package(cls)
    return issubclass(cls, (Fraction, dt.date, enum.Enum, Mapping, AbstractSet, tuple, list))


def _structure_hook(data: object, hint: Any) -> object:  # noqa: ANN401 - cattrs' hook signature
    return _structure_root(data, hint)


def _make_converter() -> cattrs.Converter:
    made = cattrs.Converter(forbid_extra_keys=True)
    made.register_unstructure_hook_func(_unstructured_by_us, _unstructure)
    made.register_structure_hook_func(_hint_is_ours, _structure_hook)
    # cattrs reads these through hooks that win over any predicate (and coerce:
    # 3 would become "3"), so they are registered by class too.
    for cls in (str, int, bool, float, Fraction, dt.date, enum.Enum):
        made.register_structure_hook(cls, _structure_hook)
    return made


converter: Final[cattrs.Converter] = _make_converter()
"""The configured `cattrs.Converter`: strict, every problem at once, stable output.

Every class of villes_label, ``Fraction``, enums, frozensets and mappings go
through the same rules as `to_dict` and `from_dict`; strings, ints and bools
are never coerced, also inside your own attrs classes.

>>> from fractions import Fraction
>>> converter.unstructure(Fraction(7, 20)), converter.structure("0.35", Fraction)
('7/20', Fraction(7, 20))
"""


def to_dict(obj: object) -> dict[str, Any]:
    """Turn a model value into JSON-compatible data (str, int, bool, None, float, list, dict).

    Equal values give equal dicts, in the same order: sets and mapping keys are
    sorted, a ``Fraction`` is a string such as ``"7/20"``, an enum its value.

    Args:
        obj: an instance of an attrs class (every model of villes_label).

    Returns:
        A dict that ``json.dumps`` accepts and `from_dict` reads back.

    Raises:
        TypeError: *obj* is not an attrs instance.

    >>> from villes_label import Territory, TerritoryKind
    >>> to_dict(Territory(code="92049", name="Montrouge", kind=TerritoryKind.COMMUNE,
    ...                   population=50260))
    {'code': '92049', 'name': 'Montrouge', 'kind': 'commune', 'population': 50260, 'departement': None}
    """
    if not attrs.has(type(obj)):
        msg = f"to_dict() takes an attrs instance such as a Dossier, got {type(obj).__name__}"
        raise TypeError(msg)
    data = converter.unstructure(obj)
    return cast("dict[str, Any]", data)


def from_dict(data: object, cls: type[T]) -> T:
    """Read plain data (such as parsed JSON) into a model class, strictly.

    Nothing is coerced (``3`` is not a str, ``"ab"`` not a list, ``true`` not an
    int); a fraction may be an int, ``"0.35"``, ``"7/20"`` or a float. Missing
    required fields, unknown fields and wrong types are reported together with
    the problems the models' constructors find (INSEE codes, monotone grades,
    a ruleset's ids), each prefixed with its path.

    Args:
        data: a dict (or list, for a tuple type) of plain values.
        cls: the class to build, such as `Dossier` or `Ruleset`.

    Returns:
        An instance of *cls*; ``from_dict(to_dict(x), type(x)) == x``.

    Raises:
        InvalidInput: listing every problem of *data*, each with its path.
        TypeError: *cls* is not a type villes_label can read (a programming
            error, not a problem of the data).

    >>> from villes_label import Territory
    >>> from_dict({"code": "92049", "name": "Montrouge", "kind": "commune",
    ...            "population": 50260}, Territory).population
    50260
    >>> from_dict({"code": "92049", "name": "Montrouge", "kind": "town",
    ...            "population": -1}, Territory)
    Traceback (most recent call last):
    ...
    villes_label._errors.InvalidInput: 2 problems:
      - kind: unknown territory kind 'town' (one of commune, communaute_de_communes, communaute_d_agglomeration, communaute_urbaine, metropole)
      - population: must be >= 0, got -1
    """
    return cast("T", _structure_root(data, cls))
