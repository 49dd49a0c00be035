"""One validation path for every model: read each field, collect every problem, then build.

A model's converters *read* their argument (`lenient`): they turn any
accepted shape (a list for a frozenset, ``"7/20"`` or ``0.35`` for a fraction,
``"deployed"`` for a `Status`, a plain mapping for a nested model) into the
field's type, or keep a `Failed` marker that holds the problems found. The
model's ``__attrs_post_init__`` then calls `finish`, which gathers the
markers' problems, checks the fields that have no converter, adds the
problems of the model's own invariants and raises one `InvalidInput` with all
of them, each a `Problem` whose path starts at the field. `from_dict` is the
same path: it reads a plain mapping into a model by calling its constructor.

Readers take ``(value, path, problems)`` and return the value read, or
`FAILED` after recording problems. They are built once per type hint.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Annotated, Any, Final, Literal, cast

import attrs

from villes_label._errors import (
    MAX_PROBLEMS,
    InvalidInput,
    MoreProblems,
    Path,
    Problem,
    closest,
)
from villes_label._values import MAX_DIGITS, FrozenMap, is_instance, parse_fraction, shown, too_big

__all__ = [
    "FAILED",
    "KEY_SEPARATOR",
    "MAX_DIGITS",
    "Failed",
    "Id",
    "finish",
    "items_of",
    "lenient",
    "read",
    "reader",
    "text_problem",
]

KEY_SEPARATOR: Final = "->"
"""Joins the parts of a tuple key: ``(3, 4)`` is the key ``"3->4"``."""


Id = Annotated[str, "id"]
"""A hint for converters: a str that is an id (not empty, with a visible character)."""


class _Failed(enum.Enum):
    """Marks a value that could not be read; its problems are already recorded."""

    FAILED = enum.auto()


FAILED: Final = _Failed.FAILED

Reader = Callable[[object, Path, list[Problem]], object]


class Failed:
    """What a lenient converter stores in a field it could not read: the problems found."""

    __slots__ = ("problems",)

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)

    def __repr__(self) -> str:
        return f"Failed({len(self.problems)} problems)"


# --- text ----------------------------------------------------------------------------

_ASCII_VISIBLE = re.compile(r"[!-~]", re.ASCII)
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp"})


def _visible(text: str) -> bool:
    if text.isascii():
        return _ASCII_VISIBLE.search(text) is not None
    return any(unicodedata.category(char) not in _INVISIBLE for char in text)


# What would change how a report shows the text around it: control characters (line
# feeds, carriage returns, escapes, NUL...), the line and paragraph separators, and the
# bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def text_problem(text: str, what: str = "id") -> str | None:
    r"""Why *text* cannot be an id or a name, if so.

    An id or a name is one line of text to show: not empty, with a visible
    character, and without a control character, a line separator or a
    bidirectional override (a report would show something else than the text).

    >>> text_problem(""), text_problem(chr(0x200B), "name"), text_problem("wifi")
    ('empty id', "name '\\u200b' has no visible character", None)
    >>> text_problem("Rennes\nNote : @@@@@", "name")
    "name 'Rennes\\nNote : @@@@@' holds a line break or control character (U+000A), which would change how it is shown"
    """
    if not text:
        return f"empty {what}"
    if not _visible(text):
        return f"{what} {shown(text)} has no visible character"
    if (found := _CONTROL.search(text)) is not None:
        return (
            f"{what} {shown(text)} holds a line break or control character "
            f"(U+{ord(found.group()):04X}), "
            "which would change how it is shown"
        )
    return None


def _unwritable(text: str) -> int | None:
    """The index of the first character that UTF-8 cannot encode (a lone surrogate)."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


# --- wording -------------------------------------------------------------------------


def _describe(value: object) -> str:
    """The type and a short repr of *value*, safe on any size or depth."""
    if value is None:
        return "None"
    if isinstance(value, (list, tuple, dict)) and value:
        return f"{type(value).__name__} of {len(value)} items"
    return f"{type(value).__name__} {shown(value)}"


def _words(name: str) -> str:
    """``TerritoryKind`` → ``territory kind``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _article(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


# --- readers -------------------------------------------------------------------------


def read(hint: object, value: object, path: Path = ()) -> object:
    """Read *value* as *hint*; raise `InvalidInput` with every problem, each at its path."""
    problems: list[Problem] = []
    result = reader(hint)(value, path, problems)
    if problems or result is FAILED:
        raise InvalidInput(*problems)
    return result


def lenient(hint: object, value: object) -> Any:  # noqa: ANN401 - the field's type, or a marker
    """Read *value* as *hint*, or return a `Failed` marker holding the problems (for converters)."""
    if type(value) is Failed:  # a field that `build` found missing
        return value
    problems: list[Problem] = []
    result = reader(hint)(value, (), problems)
    if problems or result is FAILED:
        return Failed(problems)
    return result


def _origin(hint: object) -> object:
    return typing.get_origin(hint) or hint


def _is_subclass(hint: object, base: type | tuple[type, ...]) -> bool:
    return isinstance(hint, type) and issubclass(hint, base)


@functools.cache
def reader(hint: object) -> Reader:
    """The reader of one type hint (built once per hint)."""
    origin = _origin(hint)
    args = typing.get_args(hint)
    if hint is Any or hint is object:
        return _read_any
    if hint == Id:
        return _read_id
    if hint is type(None) or hint is None:
        return _read_none
    if origin is typing.Union or origin is types.UnionType:
        return _union(args)
    if origin is Literal:
        return _literal(args)
    if hint is bool:
        return _read_bool
    if _is_subclass(hint, enum.Enum):
        return _enum(cast("type[enum.Enum]", hint))
    if hint is str:
        return _read_str
    if hint is int:
        return _read_int
    if hint is float:
        return _read_float
    if hint is Fraction:
        return _read_fraction
    if hint is dt.date:
        return _read_date
    if isinstance(hint, type) and attrs.has(hint):
        return _model(hint)
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
    msg = f"villes_label cannot read the type {hint!r}"
    raise TypeError(msg)


def _read_any(value: object, path: Path, problems: list[Problem]) -> object:
    del path, problems
    return value


def _read_none(value: object, path: Path, problems: list[Problem]) -> object:
    if value is None:
        return None
    problems.append(Problem(path, f"expected None, got {_describe(value)}"))
    return FAILED


def _read_str(value: object, path: Path, problems: list[Problem]) -> object:
    if isinstance(value, str):
        bad = _unwritable(value)
        if bad is not None:
            problems.append(
                Problem(
                    path,
                    f"the text has a character that cannot be written as UTF-8 at index {bad} "
                    f"({value[bad]!r}, a lone surrogate)",
                )
            )
            return FAILED
        return str.__str__(value)
    problems.append(Problem(path, f"expected a str, got {_describe(value)}"))
    return FAILED


def _read_id(value: object, path: Path, problems: list[Problem]) -> object:
    text = _read_str(value, path, problems)
    if text is FAILED:
        return FAILED
    problem = text_problem(cast("str", text))
    if problem is not None:
        problems.append(Problem(path, problem))
        return FAILED
    return text


def _read_int(value: object, path: Path, problems: list[Problem]) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        if too_big(value):
            problems.append(Problem(path, f"expected an int of at most {MAX_DIGITS} digits"))
            return FAILED
        return int(value)
    problems.append(Problem(path, f"expected an int, got {_describe(value)}"))
    return FAILED


def _read_bool(value: object, path: Path, problems: list[Problem]) -> object:
    if isinstance(value, bool):
        return value
    problems.append(Problem(path, f"expected a bool (true or false), got {_describe(value)}"))
    return FAILED


def _read_float(value: object, path: Path, problems: list[Problem]) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, int) and too_big(value):
            problems.append(Problem(path, f"expected a number of at most {MAX_DIGITS} digits"))
            return FAILED
        if math.isfinite(value):
            return float(value)
        problems.append(Problem(path, f"expected a finite number, got {value!r}"))
        return FAILED
    problems.append(Problem(path, f"expected a number, got {_describe(value)}"))
    return FAILED


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _read_date(value: object, path: Path, problems: list[Problem]) -> object:
    # A datetime is a date too, but an action is dated by the day.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(Problem(path, f"{value!r} is not a day of the calendar"))
            return FAILED
    problems.append(Problem(path, f"expected a date as 'YYYY-MM-DD', got {_describe(value)}"))
    return FAILED


def _read_fraction(value: object, path: Path, problems: list[Problem]) -> object:
    result = parse_fraction(value)
    if isinstance(result, str):
        problems.append(Problem(path, result))
        return FAILED
    return result


def _union(args: tuple[Any, ...]) -> Reader:
    nullable = type(None) in args
    others = [arg for arg in args if arg is not type(None)]
    readers = [reader(arg) for arg in others]

    def read_union(value: object, path: Path, problems: list[Problem]) -> object:
        if value is None and nullable:
            return None
        if len(readers) == 1:
            return readers[0](value, path, problems)
        first: list[Problem] = []
        for read_one in readers:
            attempt: list[Problem] = []
            result = read_one(value, path, attempt)
            if not attempt and result is not FAILED:
                return result
            first = first or attempt
        problems.extend(first)
        return FAILED

    return read_union


def _literal(args: tuple[Any, ...]) -> Reader:
    def read_literal(value: object, path: Path, problems: list[Problem]) -> object:
        for allowed in args:
            if type(value) is type(allowed) and value == allowed:
                return allowed
        choices = ", ".join(repr(allowed) for allowed in args)
        problems.append(Problem(path, f"expected one of {choices}, got {_describe(value)}"))
        return FAILED

    return read_literal


def _enum(enum_cls: type[enum.Enum]) -> Reader:
    members = list(enum_cls)
    values = [member.value for member in members]
    kind = _words(enum_cls.__name__)
    by_text = all(isinstance(v, str) for v in values)
    lookup = dict(enum_cls._value2member_map_) if by_text else {}
    listed = ", ".join(str(v) for v in values)

    def read_enum(value: object, path: Path, problems: list[Problem]) -> object:
        if isinstance(value, enum_cls):
            return value
        if by_text and isinstance(value, str):
            member = lookup.get(value)
            if member is not None:
                return member
            # Past the problems shown, no time is spent looking for suggestions.
            near = closest(value, values) if len(problems) < MAX_PROBLEMS else []
            hint = (
                "did you mean " + " or ".join(repr(n) for n in near) + "?"
                if near
                else f"one of {listed}"
            )
            problems.append(Problem(path, f"unknown {kind} {shown(value)} ({hint})"))
            return FAILED
        if not by_text and not isinstance(value, (bool, str)):
            for member in members:
                if type(member.value) is type(value) and member.value == value:
                    return member
        problems.append(
            Problem(path, f"expected a {kind} (one of {listed}), got {_describe(value)}")
        )
        return FAILED

    return read_enum


def _items(value: object, path: Path, problems: list[Problem], what: str) -> list[object] | None:
    """The items of a list (a tuple, or any other ordered iterable); never of a string or a set."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if not isinstance(value, (str, bytes, Mapping, AbstractSet)) and isinstance(value, Iterable):
        return list(value)
    got = f"the string {shown(value)}" if isinstance(value, str) else _describe(value)
    problems.append(Problem(path, f"expected {what}, got {got}"))
    return None


def _read_items(
    read_item: Reader,
    items: list[object],
    path: Path,
    problems: list[Problem],
    *,
    indexed: bool = True,
) -> list[object]:
    """Read each item; past `MAX_PROBLEMS` problems, the others are only counted."""
    limit, overflow = len(problems) + MAX_PROBLEMS, 0
    out: list[object] = []
    for n, item in enumerate(items):
        out.append(read_item(item, (*path, n if indexed else _key_text(item)), problems))
        overflow += _trim(problems, limit)
    if overflow:
        problems.append(MoreProblems(path, f"and {overflow} more problems", overflow))
    return out


def _trim(problems: list[Problem], limit: int) -> int:
    """Drop the problems past *limit*; return how many they stand for.

    A dropped `MoreProblems` (the count of an item's own unlisted problems)
    stands for its ``count``, not for one problem.
    """
    if len(problems) <= limit:
        return 0
    dropped = sum(p.count if isinstance(p, MoreProblems) else 1 for p in problems[limit:])
    del problems[limit:]
    return dropped


def _sequence(item_hint: object, build: type[tuple[Any, ...] | list[Any]]) -> Reader:
    def read_sequence(value: object, path: Path, problems: list[Problem]) -> object:
        items = _items(value, path, problems, "a list")
        if items is None:
            return FAILED
        read_item = reader(item_hint)
        out = _read_items(read_item, items, path, problems)
        if FAILED in out:
            return FAILED
        return build(out)

    return read_sequence


def _fixed_tuple(hints: tuple[Any, ...]) -> Reader:
    def read_fixed(value: object, path: Path, problems: list[Problem]) -> object:
        items = _items(value, path, problems, f"a list of {len(hints)} items")
        if items is None:
            return FAILED
        if len(items) != len(hints):
            problems.append(
                Problem(path, f"expected a list of {len(hints)} items, got {len(items)} items")
            )
            return FAILED
        out = [
            reader(hint)(item, (*path, n), problems)
            for n, (hint, item) in enumerate(zip(hints, items, strict=True))
        ]
        if FAILED in out:
            return FAILED
        return tuple(out)

    return read_fixed


def _set(item_hint: object, build: type[frozenset[Any] | set[Any]]) -> Reader:
    read_item = reader(item_hint)
    plain_str = item_hint is str or item_hint == Id

    def read_set(value: object, path: Path, problems: list[Problem]) -> object:
        if plain_str and type(value) is list:
            # Valid ids, each once: read at C speed (the detailed reader words any problem).
            try:
                if all(map(_PLAIN_ID, value)):
                    built = build(value)
                    if len(built) == len(value):
                        return built
            except TypeError:  # an item that is not a str
                pass
        if isinstance(value, AbstractSet):
            if (
                plain_str
                and isinstance(value, frozenset)
                and all(type(v) is str and v.isascii() and _ASCII_VISIBLE.search(v) for v in value)
            ):
                return value  # nothing to convert, nothing to refuse
            # Sorted, so that the problems come in the same order in every process.
            items: list[object] = sorted(value, key=repr)
            indexed = False
        else:
            listed = _items(value, path, problems, "a list")
            if listed is None:
                return FAILED
            items, indexed = listed, True
        out = _read_items(read_item, items, path, problems, indexed=indexed)
        if FAILED in out:
            return FAILED
        try:
            built = build(out)
        except TypeError:
            problems.append(Problem(path, "the items of a set must be hashable"))
            return FAILED
        if len(built) != len(out):
            # A set would merge a repeated item silently: a typo (the same id
            # twice instead of two ids) would then pass unnoticed.
            problems.extend(_duplicates(out, path))
            return FAILED
        return built

    return read_set


def _duplicates(items: list[object], path: Path) -> list[Problem]:
    """A problem for each item equal to an earlier one, at the later item's path."""
    first: dict[object, int] = {}
    found: list[Problem] = []
    for n, item in enumerate(items):
        if item in first:
            text = shown(item.value if isinstance(item, enum.Enum) else item)
            found.append(
                Problem((*path, n), f"duplicate item {text} (also at index {first[item]})")
            )
        else:
            first[item] = n
    return found


def _key_text(key: object) -> str:
    if isinstance(key, enum.Enum):
        key = key.value
    if isinstance(key, str):
        return key
    if isinstance(key, tuple):
        return KEY_SEPARATOR.join(_key_text(part) for part in key)
    return shown(key)


def _key_reader(hint: object) -> Reader:
    """The reader of a mapping key: a JSON object key is always a string."""
    if hint is int:
        return _read_int_key
    args = typing.get_args(hint)
    if _origin(hint) is tuple and args and Ellipsis not in args:
        return _tuple_key(args)
    return reader(hint)


_INT_KEY = re.compile(r"-?(?:0|[1-9]\d*)", re.ASCII)


def _read_int_key(value: object, path: Path, problems: list[Problem]) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return _read_int(value, path, problems)
    if isinstance(value, str) and len(value) <= MAX_DIGITS + 1 and _INT_KEY.fullmatch(value):
        return int(value)
    if isinstance(value, str) and _INT_KEY.fullmatch(value):
        problems.append(Problem(path, f"expected an int of at most {MAX_DIGITS} digits"))
        return FAILED
    problems.append(Problem(path, f"expected an integer key such as '3', got {_describe(value)}"))
    return FAILED


def _tuple_key(hints: tuple[Any, ...]) -> Reader:
    example = KEY_SEPARATOR.join(str(n + 3) for n in range(len(hints)))

    def read_tuple_key(value: object, path: Path, problems: list[Problem]) -> object:
        if isinstance(value, str):
            parts: list[object] = list(value.split(KEY_SEPARATOR))
        elif isinstance(value, tuple):
            parts = list(value)
        else:
            parts = []
        if len(parts) != len(hints):
            problems.append(
                Problem(path, f"expected a key such as {example!r}, got {_describe(value)}")
            )
            return FAILED
        out = [
            _key_reader(hint)(part, path, problems) for hint, part in zip(hints, parts, strict=True)
        ]
        if FAILED in out:
            return FAILED
        return tuple(out)

    return read_tuple_key


# An id of printable ASCII with a visible character: what nearly every id is.
_PLAIN_ID = re.compile(r"[ -~]*[!-~][ -~]*", re.ASCII).fullmatch


def _fast_enum_map(key_hint: object, value_hint: object) -> Callable[[object], object] | None:
    """For ids mapped to enum values (a dossier's statuses): a reader of valid data at C speed.

    It returns the `FrozenMap`, or ``None`` when anything is unusual; the
    detailed reader then finds and words every problem.
    """
    if key_hint not in (str, Id) or not _is_subclass(value_hint, enum.Enum):
        return None
    members = cast("type[enum.Enum]", value_hint)
    lookup = dict(members._value2member_map_)
    # A member is found by its value: a StrEnum member hashes and compares as its value.
    lookup.update((member, member) for member in members)
    plain = _PLAIN_ID if key_hint == Id else None

    def read_fast(value: object) -> object:
        if type(value) is not dict and not isinstance(value, FrozenMap):
            return None
        try:
            out = {key: lookup[item] for key, item in value.items()}
            if plain is not None and not all(map(plain, out)):
                return None
        except (KeyError, TypeError):  # an unknown or unhashable value, a key not a str
            return None
        return FrozenMap.owning(out)

    return read_fast


def _mapping(
    key_hint: object, value_hint: object, build: type[dict[Any, Any] | FrozenMap[Any, Any]]
) -> Reader:
    fast = _fast_enum_map(key_hint, value_hint) if build is FrozenMap else None

    def read_mapping(value: object, path: Path, problems: list[Problem]) -> object:
        if fast is not None:
            done = fast(value)
            if done is not None:
                return done
        if not isinstance(value, Mapping):
            problems.append(
                Problem(path, f"expected a mapping (an object), got {_describe(value)}")
            )
            return FAILED
        read_key, read_value = _key_reader(key_hint), reader(value_hint)
        out: dict[object, object] = {}
        failed = False
        limit, overflow = len(problems) + MAX_PROBLEMS, 0
        for raw_key, raw_value in value.items():
            overflow += _trim(problems, limit)
            where = (*path, _key_text(raw_key))
            key = read_key(raw_key, where, problems)
            item = read_value(raw_value, where, problems)
            if key is FAILED or item is FAILED:
                failed = True
            elif key in out:
                problems.append(Problem(where, f"duplicate key (the same as {_key_text(key)!r})"))
                failed = True
            else:
                out[key] = item
        overflow += _trim(problems, limit)
        if overflow:
            problems.append(MoreProblems(path, f"and {overflow} more problems", overflow))
        return FAILED if failed else build(out)

    return read_mapping


def _model(cls: type) -> Reader:
    """A model of the package from an instance, or from a plain mapping of its fields."""
    label = _article(cls.__name__)

    def read_model(value: object, path: Path, problems: list[Problem]) -> object:
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            problems.append(Problem(path, f"expected {label} (an object), got {_describe(value)}"))
            return FAILED
        try:
            return build(cls, value)
        except InvalidInput as error:
            problems.extend(problem.within(*path) for problem in error.details)
            if error.more:
                problems.append(MoreProblems(path, f"and {error.more} more problems", error.more))
        return FAILED

    return read_model


def build(cls: type[Any], data: Mapping[Any, Any]) -> Any:  # noqa: ANN401 - an instance of cls
    """Build *cls* from a mapping of its fields: its constructor, plus unknown and missing fields.

    A missing required field is passed as a `Failed` marker, so the constructor
    still checks every other field and reports the missing one at its path.
    """
    fields = _init_fields(cast("Any", cls))
    kwargs: dict[str, object] = {}
    extra: list[Problem] = []
    for key, item in data.items():
        if key in fields:
            kwargs[key] = item
        else:
            text = _key_text(key)
            near = closest(text, fields)
            hint = f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else ""
            extra.append(Problem((text,), f"unknown field{hint}"))
    for alias, required in fields.items():
        if required and alias not in kwargs:
            kwargs[alias] = Failed([Problem((), "missing required field")])
    if not _reads_itself(cast("Any", cls)):
        # A model whose constructor does not read plain data through `finish`:
        # its fields are read here, and it is built only if every one could be.
        unread = _read_fields(cls, kwargs)
        if unread:
            raise InvalidInput(*unread, *extra)
    try:
        value = cls(**kwargs)
    except InvalidInput as error:
        raise InvalidInput(*error.details, *extra, more=error.more) from None
    if extra:
        raise InvalidInput(*extra)
    return value


@functools.cache
def _reads_itself(cls: Any) -> bool:  # noqa: ANN401 - a class (hashable)
    """Whether the constructor of *cls* reads every field itself (it ends with `finish`)."""
    post_init = getattr(cls, "__attrs_post_init__", None)
    return post_init is not None and "finish" in post_init.__code__.co_names


def _read_fields(cls: type, kwargs: dict[str, object]) -> list[Problem]:
    """Read each field of *kwargs* by its type hint, in place; the problems of those that fail."""
    hints = _hints_by_alias(cast("Any", cls))
    problems: list[Problem] = []
    for alias, value in kwargs.items():
        if type(value) is Failed:
            problems.extend(problem.within(alias) for problem in value.problems)
            continue
        result = reader(hints[alias])(value, (alias,), problems)
        if result is not FAILED:
            kwargs[alias] = result
    return problems


@functools.cache
def _hints_by_alias(cls: Any) -> dict[str, object]:  # noqa: ANN401 - a class (hashable)
    hints = type_hints(cls)
    return {field.alias: hints[field.name] for field in attrs.fields(cls) if field.init}


@functools.cache
def _init_fields(cls: Any) -> dict[str, bool]:  # noqa: ANN401 - a class (hashable)
    """The init fields of an attrs class by alias: whether each is required."""
    return {
        field.alias: field.default is attrs.NOTHING for field in attrs.fields(cls) if field.init
    }


# --- the end of every model's construction ---------------------------------------------


@functools.cache
def _plain_fields(cls: Any) -> tuple[tuple[str, str, Reader | None], ...]:  # noqa: ANN401
    """Each init field: its name, its alias, and the reader of a field without converter."""
    hints = type_hints(cls)
    return tuple(
        (
            field.name,
            field.alias,
            None if field.converter is not None else reader(hints[field.name]),
        )
        for field in attrs.fields(cls)
        if field.init
    )


def finish(
    instance: object, invariants: Callable[[set[str]], Iterable[Problem]] | None = None
) -> None:
    """Raise `InvalidInput` with every problem of a model just built, or return.

    The problems are those its converters kept in `Failed` markers, the type
    problems of its fields without converter, then those of *invariants*,
    which receives the names of the fields that could not be read (it must
    not look at them) and yields problems whose paths start at a field.
    """
    problems: list[Problem] = []
    failed: set[str] = set()
    for name, alias, read_plain in _plain_fields(cast("Any", type(instance))):
        value = getattr(instance, name)
        if type(value) is Failed:
            problems.extend(problem.within(alias) for problem in value.problems)
            failed.add(name)
        elif read_plain is not None:
            result = read_plain(value, (alias,), problems)
            if result is FAILED:
                failed.add(name)
            elif result is not value:  # "7/20" for a Fraction, a str subclass for a str
                object.__setattr__(instance, name, result)
    if invariants is not None:
        problems.extend(invariants(failed))
    if problems:
        # In the order of the fields (each field's problems in the order found).
        order = _field_order(cast("Any", type(instance)))
        problems.sort(key=lambda p: order.get(p.path[0], len(order)) if p.path else -1)
        raise InvalidInput(*problems)


@functools.cache
def _field_order(cls: Any) -> dict[str | int, int]:  # noqa: ANN401 - a class
    return {field.alias: n for n, field in enumerate(attrs.fields(cls))}


def type_hints(cls: type) -> dict[str, Any]:
    """The resolved field types of an attrs class of the package.

    Modules import some names for type checking only; the public names of the
    package and of ``collections.abc`` stand in for them.
    """
    import villes_label  # noqa: PLC0415 - the package is fully imported by now

    namespace: dict[str, Any] = {
        "Mapping": Mapping,
        "Sequence": Sequence,
        "Iterable": Iterable,
        "Fraction": Fraction,
        "Any": Any,
        "Literal": Literal,
    }
    namespace.update(
        (name, value)
        for name, value in vars(villes_label).items()
        if isinstance(value, type) and not name.startswith("__")
    )
    # The globals of the class's module, through one of its methods (a model defines some).
    namespace.update(
        next((f.__globals__ for f in vars(cls).values() if isinstance(f, types.FunctionType)), {})
    )
    try:
        return typing.get_type_hints(cls, globalns=namespace)
    except NameError as error:
        msg = f"cannot resolve the field types of {cls.__qualname__}: {error}"
        raise TypeError(msg) from None


def items_of(value: object, path: str, cls: type[object]) -> tuple[object, ...]:
    """The elements of an iterable of *cls* (the argument *path*), or `InvalidInput` naming every bad one."""
    name = cls.__name__
    article = "an" if name[0] in "AEIOU" else "a"
    # A lone value, a string or a mapping is not a cohort, though some are iterable.
    if (
        is_instance(value, cls)
        or isinstance(value, str | bytes | Mapping)
        or not isinstance(value, Iterable)
    ):
        raise InvalidInput(
            Problem((path,), f"expected an iterable of {name}, got {type(value).__name__}")
        )
    items = tuple(value)
    problems = [
        Problem((path, n), f"expected {article} {name}, got {type(item).__name__}")
        for n, item in enumerate(items)
        if not isinstance(item, cls)
    ]
    if problems:
        raise InvalidInput(*problems)
    return items
