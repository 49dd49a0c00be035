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
coerces silently (``3`` becomes ``"3"``). The structure hook of the package's
classes is therefore a walker over the type hints that checks every field,
collects every problem with its path, then builds the objects, whose own
invariants (INSEE codes, monotone grade rules, ids of a ruleset) are reported
with the path of the object. It is generic: any attrs class of the package
whose fields use ``str``, ``int``, ``bool``, ``float``, ``Fraction``, enums,
``X | None``, ``Literal``, tuples, frozensets, mappings and other attrs classes
works without new code.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import math
import re
import reprlib
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Any, Final, Literal, TypeVar, cast

import attrs
import cattrs

from villes_label._errors import InvalidInput, closest
from villes_label._values import FrozenMap, to_fraction

__all__ = ["converter", "from_dict", "to_dict"]

T = TypeVar("T")

KEY_SEPARATOR: Final = "->"
"""Joins the parts of a tuple key: ``(3, 4)`` is the key ``"3->4"``."""

# A fraction's decimal exponent beyond this would make Fraction() compute a
# huge power of ten: "1e999999999" must be refused, not hang the reader.
_MAX_EXPONENT = 1000
_EXPONENT = re.compile(r"[eE]\s*[+-]?(\d+)")
# Python cannot write an int of more than 4300 digits in decimal (by default), so
# no message could quote it: such ints are refused before any model sees them.
_MAX_DIGITS: Final = 4000
_TEN_TO_MAX_DIGITS: Final = 10**_MAX_DIGITS
# A message longer than this quotes its input in full: it is shortened.
_LONGEST_MESSAGE = 200
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_INT_KEY = re.compile(r"-?(?:0|[1-9]\d*)")
# A problem that starts with its own path ("code: ...", "grades[0].min_score: ...").
_PATHED = re.compile(r"([^\s:]+): ")


class _Failed(enum.Enum):
    """Marks a value that could not be read; its problems are already recorded."""

    FAILED = enum.auto()


_FAILED: Final = _Failed.FAILED

Structurer = Callable[[object, str, list[str]], object]
"""Reads plain data at a path into a value, or records problems and returns ``_FAILED``."""


# --- wording -----------------------------------------------------------------------


def _short_repr() -> reprlib.Repr:
    shorter = reprlib.Repr()
    shorter.maxlevel = 2
    shorter.maxstring = 40
    shorter.maxother = 40
    shorter.maxlong = 40
    shorter.maxlist = shorter.maxtuple = shorter.maxdict = shorter.maxset = 4
    return shorter


_REPR: Final = _short_repr()


def _show(value: object) -> str:
    """The type and a short repr of *value*, safe on any size or depth."""
    if value is None:
        return "None"
    try:
        text = _REPR.repr(value)
    except ValueError:  # an int too long for str()
        text = "(too long to show)"
    return f"{type(value).__name__} {text}"


def _words(name: str) -> str:
    """``TerritoryKind`` → ``territory kind``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _article(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _at(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def _field_path(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _key_text(key: object) -> str:
    return key if isinstance(key, str) else _REPR.repr(key)


def _prefixed(path: str, problem: str) -> str:
    """Put the path of an object in front of a problem its constructor reported."""
    if not path:
        return problem
    if _PATHED.match(problem):
        return f"{path}{problem}" if problem.startswith("[") else f"{path}.{problem}"
    return f"{path}: {problem}"


def _first_segment(problem: str) -> str | None:
    """The field a constructor's problem is about (``grades`` in ``grades[0].x: ...``)."""
    match = _PATHED.match(problem)
    if match is None:
        return None
    return re.split(r"[.\[]", match.group(1), maxsplit=1)[0]


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


# --- structuring: plain data to values, every problem collected -------------------------


def _in_package(cls: type) -> bool:
    return cls.__module__.split(".", 1)[0] == "villes_label"


def _type_hints(cls: type) -> dict[str, Any]:
    """The resolved field types of an attrs class.

    Modules import some names for type checking only; the public names of the
    package and of ``collections.abc`` stand in for them.
    """
    import villes_label  # noqa: PLC0415 - the package is fully imported by now

    namespace: dict[str, Any] = {
        "Mapping": Mapping,
        "Sequence": Sequence,
        "Fraction": Fraction,
        "Any": Any,
        "Literal": Literal,
    }
    namespace.update(
        (name, value) for name, value in vars(villes_label).items() if isinstance(value, type)
    )
    namespace.update(vars(sys.modules[cls.__module__]))
    try:
        return typing.get_type_hints(cls, globalns=namespace)
    except NameError as error:
        msg = f"cannot resolve the field types of {cls.__qualname__}: {error}"
        raise TypeError(msg) from None


def _origin(hint: object) -> object:
    return typing.get_origin(hint) or hint


def _is_subclass(hint: object, base: type | tuple[type, ...]) -> bool:
    return isinstance(hint, type) and issubclass(hint, base)


@functools.cache
def _structurer(hint: object) -> Structurer:
    """The reader of one type hint (built once per hint)."""
    origin = _origin(hint)
    args = typing.get_args(hint)
    if hint is Any or hint is object:
        return _structure_any
    if hint is type(None) or hint is None:
        return _structure_none
    if origin is typing.Union or origin is types.UnionType:
        return _union(args)
    if origin is Literal:
        return _literal(args)
    if hint is bool:
        return _structure_bool
    if _is_subclass(hint, enum.Enum):
        return _enum(cast("type[enum.Enum]", hint))
    if hint is str:
        return _structure_str
    if hint is int:
        return _structure_int
    if hint is float:
        return _structure_float
    if hint is Fraction:
        return _structure_fraction
    if hint is dt.date:
        return _structure_date
    if isinstance(hint, type) and attrs.has(hint):
        return _attrs_class(hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(args[0], tuple)
        if args:
            return _fixed_tuple(args)
    if _is_subclass(origin, (list, Sequence)) and not _is_subclass(origin, (str, bytes)) and args:
        return _sequence(args[0], list if origin is list else tuple)
    if _is_subclass(origin, AbstractSet) and args:
        return _set(args[0], set if origin is set else frozenset)
    if _is_subclass(origin, Mapping) and len(args) == 2:
        return _mapping(args[0], args[1], dict if origin is dict else FrozenMap)
    msg = f"villes_label cannot read the type {hint!r} from plain data"
    raise TypeError(msg)


def _structure_any(value: object, path: str, problems: list[str]) -> object:
    del path, problems
    return value


def _structure_none(value: object, path: str, problems: list[str]) -> object:
    if value is None:
        return None
    problems.append(_at(path, f"expected None, got {_show(value)}"))
    return _FAILED


def _structure_str(value: object, path: str, problems: list[str]) -> object:
    if isinstance(value, str):
        return str.__str__(value)
    problems.append(_at(path, f"expected a str, got {_show(value)}"))
    return _FAILED


def _structure_int(value: object, path: str, problems: list[str]) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        if _too_long(value):
            problems.append(_at(path, f"expected an int of at most {_MAX_DIGITS} digits"))
            return _FAILED
        return int(value)
    problems.append(_at(path, f"expected an int, got {_show(value)}"))
    return _FAILED


def _too_long(value: int) -> bool:
    return abs(value) >= _TEN_TO_MAX_DIGITS


def _structure_bool(value: object, path: str, problems: list[str]) -> object:
    if isinstance(value, bool):
        return value
    problems.append(_at(path, f"expected a bool (true or false), got {_show(value)}"))
    return _FAILED


def _structure_date(value: object, path: str, problems: list[str]) -> object:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(_at(path, f"{value!r} is not a day of the calendar"))
            return _FAILED
    problems.append(_at(path, f"expected a date as 'YYYY-MM-DD', got {_show(value)}"))
    return _FAILED


def _structure_float(value: object, path: str, problems: list[str]) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, int):
            try:
                return float(value)
            except OverflowError:  # beyond 1.8e308: no float holds it
                problems.append(_at(path, "expected a number that a float can hold"))
                return _FAILED
        if math.isfinite(value):
            return value
        problems.append(_at(path, f"expected a finite number, got {value!r}"))
        return _FAILED
    problems.append(_at(path, f"expected a number, got {_show(value)}"))
    return _FAILED


def _structure_fraction(value: object, path: str, problems: list[str]) -> object:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Fraction)):
        problems.append(
            _at(path, f"expected a fraction such as '7/20' or '0.35', got {_show(value)}")
        )
        return _FAILED
    if isinstance(value, (int, Fraction)) and (
        _too_long(value.numerator) or _too_long(value.denominator)
    ):
        problems.append(
            _at(path, f"expected a fraction with terms of at most {_MAX_DIGITS} digits")
        )
        return _FAILED
    if isinstance(value, str):
        exponent = _EXPONENT.search(value)
        if exponent is not None and (
            len(exponent.group(1)) > len(str(_MAX_EXPONENT))
            or int(exponent.group(1)) > _MAX_EXPONENT
        ):
            problems.append(_at(path, f"the exponent of {_REPR.repr(value)} is too large"))
            return _FAILED
    try:
        return to_fraction(value)
    except (TypeError, ValueError) as error:
        message = str(error)
        if len(message) > _LONGEST_MESSAGE:  # it quotes a huge input in full
            message = f"expected a fraction such as '7/20' or '0.35', got {_show(value)}"
        problems.append(_at(path, message))
        return _FAILED


def _union(args: tuple[Any, ...]) -> Structurer:
    nullable = type(None) in args
    others = [arg for arg in args if arg is not type(None)]
    readers = [_structurer(arg) for arg in others]

    def structure(value: object, path: str, problems: list[str]) -> object:
        if value is None and nullable:
            return None
        if len(readers) == 1:
            return readers[0](value, path, problems)
        first: list[str] = []
        for reader in readers:
            attempt: list[str] = []
            result = reader(value, path, attempt)
            if not attempt and result is not _FAILED:
                return result
            first = first or attempt
        problems.extend(first)
        return _FAILED

    return structure


def _literal(args: tuple[Any, ...]) -> Structurer:
    def structure(value: object, path: str, problems: list[str]) -> object:
        for allowed in args:
            if type(value) is type(allowed) and value == allowed:
                return allowed
        choices = ", ".join(repr(allowed) for allowed in args)
        problems.append(_at(path, f"expected one of {choices}, got {_show(value)}"))
        return _FAILED

    return structure


def _enum(enum_cls: type[enum.Enum]) -> Structurer:
    members = list(enum_cls)
    values = [member.value for member in members]
    kind = _words(enum_cls.__name__)
    by_text = all(isinstance(v, str) for v in values)
    listed = ", ".join(str(v) for v in values)

    def structure(value: object, path: str, problems: list[str]) -> object:
        if isinstance(value, enum_cls):
            return value
        if by_text and isinstance(value, str):
            try:
                return enum_cls(value)
            except ValueError:
                near = closest(value, [str(v) for v in values])
                hint = (
                    "did you mean " + " or ".join(repr(n) for n in near) + "?"
                    if near
                    else f"one of {listed}"
                )
                problems.append(_at(path, f"unknown {kind} {_REPR.repr(value)} ({hint})"))
                return _FAILED
        if not by_text and not isinstance(value, (bool, str)):
            for member in members:
                if type(member.value) is type(value) and member.value == value:
                    return member
        problems.append(_at(path, f"expected a {kind} (one of {listed}), got {_show(value)}"))
        return _FAILED

    return structure


def _items(value: object, path: str, problems: list[str], what: str) -> list[object] | None:
    """The items of a JSON list (a Python tuple or list too); never of a string."""
    if isinstance(value, (list, tuple)):
        return list(value)
    problems.append(_at(path, f"expected {what}, got {_show(value)}"))
    return None


def _sequence(item_hint: object, build: type[tuple[Any, ...] | list[Any]]) -> Structurer:
    def structure(value: object, path: str, problems: list[str]) -> object:
        items = _items(value, path, problems, "a list")
        if items is None:
            return _FAILED
        read = _structurer(item_hint)
        out = [read(item, f"{path}[{n}]", problems) for n, item in enumerate(items)]
        if any(item is _FAILED for item in out):
            return _FAILED
        return build(out)

    return structure


def _fixed_tuple(hints: tuple[Any, ...]) -> Structurer:
    def structure(value: object, path: str, problems: list[str]) -> object:
        items = _items(value, path, problems, f"a list of {len(hints)} items")
        if items is None:
            return _FAILED
        if len(items) != len(hints):
            problems.append(
                _at(path, f"expected a list of {len(hints)} items, got {len(items)} items")
            )
            return _FAILED
        out = [
            _structurer(hint)(item, f"{path}[{n}]", problems)
            for n, (hint, item) in enumerate(zip(hints, items, strict=True))
        ]
        if any(item is _FAILED for item in out):
            return _FAILED
        return tuple(out)

    return structure


def _set(item_hint: object, build: type[frozenset[Any] | set[Any]]) -> Structurer:
    def structure(value: object, path: str, problems: list[str]) -> object:
        if isinstance(value, AbstractSet):
            value = _sorted(value)
        items = _items(value, path, problems, "a list")
        if items is None:
            return _FAILED
        read = _structurer(item_hint)
        out = [read(item, f"{path}[{n}]", problems) for n, item in enumerate(items)]
        if any(item is _FAILED for item in out):
            return _FAILED
        try:
            built = build(out)
        except TypeError:
            problems.append(_at(path, "the items of a set must be hashable"))
            return _FAILED
        if len(built) != len(out):
            # A set would merge a repeated item silently: a typo (the same id
            # twice instead of two ids) would then pass unnoticed.
            problems.extend(_duplicates(out, path))
            return _FAILED
        return built

    return structure


def _duplicates(items: list[object], path: str) -> list[str]:
    """A problem for each item equal to an earlier one, at the later item's path."""
    first: dict[object, int] = {}
    found: list[str] = []
    for n, item in enumerate(items):
        if item in first:
            shown = _REPR.repr(_unstructure(item))
            found.append(
                _at(f"{path}[{n}]", f"duplicate item {shown} (the same as {path}[{first[item]}])")
            )
        else:
            first[item] = n
    return found


def _key_reader(hint: object) -> Structurer:
    """The reader of a JSON object key (always a string in JSON) as a key of type *hint*."""
    if hint is int:
        return _structure_int_key
    if hint is Fraction:
        return _structure_fraction
    if hint is dt.date:
        return _structure_date
    args = typing.get_args(hint)
    if _origin(hint) is tuple and args and Ellipsis not in args:
        return _tuple_key(args)
    return _structurer(hint)


def _structure_int_key(value: object, path: str, problems: list[str]) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return _structure_int(value, path, problems)
    if isinstance(value, str) and _INT_KEY.fullmatch(value):
        if len(value.lstrip("-")) > _MAX_DIGITS:
            problems.append(_at(path, f"expected an int of at most {_MAX_DIGITS} digits"))
            return _FAILED
        return int(value)
    problems.append(_at(path, f"expected an integer key such as '3', got {_show(value)}"))
    return _FAILED


def _tuple_key(hints: tuple[Any, ...]) -> Structurer:
    example = KEY_SEPARATOR.join(str(n + 3) for n in range(len(hints)))

    def structure(value: object, path: str, problems: list[str]) -> object:
        if isinstance(value, str):
            parts: list[object] = list(value.split(KEY_SEPARATOR))
        elif isinstance(value, tuple):
            parts = list(value)
        else:
            parts = []
        if len(parts) != len(hints):
            problems.append(_at(path, f"expected a key such as {example!r}, got {_show(value)}"))
            return _FAILED
        out = [
            _key_reader(hint)(part, path, problems) for hint, part in zip(hints, parts, strict=True)
        ]
        if any(item is _FAILED for item in out):
            return _FAILED
        return tuple(out)

    return structure


def _mapping(
    key_hint: object, value_hint: object, build: type[dict[Any, Any] | FrozenMap[Any, Any]]
) -> Structurer:
    def structure(value: object, path: str, problems: list[str]) -> object:
        if not isinstance(value, Mapping):
            problems.append(_at(path, f"expected an object, got {_show(value)}"))
            return _FAILED
        read_key, read_value = _key_reader(key_hint), _structurer(value_hint)
        out: dict[object, object] = {}
        failed = False
        for raw_key, raw_value in value.items():
            where = _field_path(path, _key_text(raw_key))
            key = read_key(raw_key, where, problems)
            item = read_value(raw_value, where, problems)
            if key is _FAILED or item is _FAILED:
                failed = True
            elif key in out:
                problems.append(_at(where, f"duplicate key (the same as {_key(key)!r})"))
                failed = True
            else:
                out[key] = item
        return _FAILED if failed else build(out)

    return structure


def _attrs_class(cls: type) -> Structurer:
    fields = [field for field in attrs.fields(cls) if field.init]
    by_alias = {field.alias: field for field in fields}
    label = _article(cls.__name__)
    hints: dict[str, Any] = {}

    def structure(value: object, path: str, problems: list[str]) -> object:
        if not isinstance(value, Mapping):
            problems.append(_at(path, f"expected {label} (an object), got {_show(value)}"))
            return _FAILED
        if not hints:
            hints.update(_type_hints(cls))
        kwargs: dict[str, object] = {}
        unreadable: set[str] = set()
        for alias, field in by_alias.items():
            where = _field_path(path, alias)
            if alias not in value:
                if field.default is attrs.NOTHING:
                    problems.append(_at(where, "missing required field"))
                    unreadable.add(alias)
                continue
            result = _structurer(hints[field.name])(value[alias], where, problems)
            if result is _FAILED:
                unreadable.add(alias)
            else:
                kwargs[alias] = result
        for key in value:
            if key not in by_alias:
                text = _key_text(key)
                near = closest(text, by_alias)
                hint = f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else ""
                problems.append(_at(_field_path(path, text), f"unknown field{hint}"))
        if unreadable:
            problems.extend(
                _invariants_of_readable_fields(
                    cls,
                    by_alias=by_alias,
                    hints=hints,
                    kwargs=kwargs,
                    unreadable=unreadable,
                    path=path,
                )
            )
            return _FAILED
        try:
            return cls(**kwargs)
        except InvalidInput as error:
            problems.extend(_prefixed(path, problem) for problem in error.problems)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
            problems.append(_at(path, f"cannot build {label}: {error}"))
        return _FAILED

    return structure


def _invariants_of_readable_fields(
    cls: type,
    *,
    by_alias: Mapping[str, attrs.Attribute[Any]],
    hints: Mapping[str, Any],
    kwargs: dict[str, object],
    unreadable: set[str],
    path: str,
) -> list[str]:
    """The constructor's problems about the fields that could be read.

    A class whose fields cannot all be read cannot be built, yet its constructor
    also checks the readable fields (a negative population beside a bad kind).
    It is called with a stand-in for each unreadable field that has no default
    (an empty collection, which converters accept, or a marker), and only its
    problems about readable fields given in the input are kept, unless they
    name an unreadable field: such a problem compares the field with its
    stand-in, not with the input (a `Comparison` whose ``transitions`` cannot
    be read is not "missing" the moves its ``changed`` lists). The raw values
    are never passed on: a converter could choke on them (``Fraction("1e999999999")``
    computes a power of ten with a billion digits).
    """
    trial = dict(kwargs)
    for alias in sorted(unreadable):
        field = by_alias[alias]
        if field.default is attrs.NOTHING:
            trial[alias] = _stand_in(hints[field.name])
    try:
        cls(**trial)
    except InvalidInput as error:
        stand_ins = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(unreadable))) + r")\b")
        return [
            _prefixed(path, problem)
            for problem in error.problems
            if _first_segment(problem) in kwargs
            and not stand_ins.search(problem.partition(": ")[2])
        ]
    # The marker may break the constructor in any way; it then tells nothing more.
    except Exception:  # noqa: BLE001
        return []
    return []


def _stand_in(hint: object) -> object:
    """An empty value of a collection type, else the marker of unreadable values."""
    origin = _origin(hint)
    if _is_subclass(origin, Mapping):
        return {}
    if _is_subclass(origin, AbstractSet):
        return frozenset()
    if _is_subclass(origin, (tuple, list, Sequence)) and not _is_subclass(origin, str):
        return ()
    return _FAILED


def _structure_root(data: object, hint: object) -> object:
    problems: list[str] = []
    try:
        result = _structurer(hint)(data, "", problems)
    except RecursionError:
        raise InvalidInput("the document is nested too deeply") from None
    if problems or result is _FAILED:
        raise InvalidInput(*problems)
    return result


# --- the converter ----------------------------------------------------------------------


def _hint_is_ours(hint: object) -> bool:
    """Whether the walker should read *hint*: supported, with no attrs class of other code."""
    if isinstance(hint, type) and attrs.has(hint):
        return _in_package(hint)
    if _origin(hint) is Literal:
        return True
    try:
        _structurer(hint)
    except TypeError:
        return False
    return all(_hint_is_ours(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)


def _unstructured_by_us(hint: object) -> bool:
    cls = _origin(hint)
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
