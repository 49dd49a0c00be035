"""Cohorts as DataFrames: a status matrix in, grades and exact scores out.

Needs the extra ``frames`` (numpy and pandas), imported on first use: without
them the functions raise an `ImportError` that names the extra.

`grade_frame` reads the same nested weighted means as `assess` (service →
issue → theme → score, see `villes_label._linear`), but for every row at once,
on integer arrays. Each row has its own concerned services (kind, population
and opt-outs), hence its own denominators: the issue denominators are summed
per row, and each theme and the score are brought to a per-row common
denominator with ``lcm``. No float is involved in a grade: every threshold is
compared as ``numerator * threshold.denominator >= threshold.numerator *
denominator``. The arrays are ``int64`` when a bound computed from the ruleset
proves that no value can overflow, Python integers (``object`` arrays) otherwise.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from fractions import Fraction
from itertools import chain, compress, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, assert_never, cast

from villes_label._check import items_of
from villes_label._conditions import AtLeast, Deployed, GradeAtLeast, MinScore
from villes_label._conditions import conditions as conditions_of
from villes_label._errors import MAX_PROBLEMS, InvalidInput, MoreProblems, Problem, unknown_id
from villes_label._linear import QuantityKind, Structure
from villes_label._scoring import check_ids, read_retired_ids
from villes_label._taxonomy import Taxonomy
from villes_label._territory import (
    FIRST_YEAR,
    LAST_YEAR,
    Dossier,
    Status,
    TerritoryKind,
    code_problem,
    effective_entries,
    plain_territory,
)
from villes_label._values import MAX_DIGITS, fractions_of, is_instance, plain_dict, too_big
from villes_label._vocabulary import STATUS_CODES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from pandas import DataFrame

    from villes_label._rules import Ruleset

__all__ = ["dossiers_frame", "grade_frame"]

TERRITORY_COLUMNS = ("code", "name", "kind", "population", "year")
"""The columns of a wide frame that are not services, in order."""
LONG_COLUMNS = ("code", "service", "status")
"""The columns that make a frame *long*: one row per (territory, service)."""
STATUS_VALUES = tuple(status.value for status in Status)
"""The categories of a status column; a status's code is its position here."""
KIND_VALUES = tuple(kind.value for kind in TerritoryKind)

_ABSENT, _PLANNED, _PARTIAL, _DEPLOYED, _NOT_APPLICABLE = (
    STATUS_VALUES.index(status.value)
    for status in (
        Status.ABSENT,
        Status.PLANNED,
        Status.PARTIAL,
        Status.DEPLOYED,
        Status.NOT_APPLICABLE,
    )
)
_INT64_LIMIT = 2**62
_INT32_LIMIT = 2**31
"""Positions in the flat status matrix below this are held in 32 bits."""
_FLOAT_EXACT = 2**53
"""Integers below this are exact in a float64."""
_BLOCK = 2048
"""How many rows `grade_frame` evaluates at once."""
_DATA = attrgetter("_data")
_CODES = attrgetter("_codes")
_EFFECTIVE = attrgetter("_effective")
_EXPIRED = attrgetter("_expired")
_TERRITORY_KIND = attrgetter("territory.kind")
_TERRITORY_POPULATION = attrgetter("territory.population")
_STATUS_CODES = dict(STATUS_CODES)
"""A status's code (its position in `STATUS_VALUES`), as a plain dict read at C speed."""
_KIND_CODES = {kind: KIND_VALUES.index(kind.value) for kind in TerritoryKind}
_COMMUNE = KIND_VALUES.index(TerritoryKind.COMMUNE.value)
_EPCI_KINDS = tuple(KIND_VALUES.index(kind.value) for kind in TerritoryKind if kind.is_epci)
_CODE_BYTES = 9
"""Codes are checked on this many bytes: a valid code has 5 or 9."""


def _modules() -> tuple[Any, Any]:
    """The modules numpy and pandas, or an `ImportError` naming the extra that installs them."""
    try:
        import numpy as np  # noqa: PLC0415 - an optional extra, loaded on first use
        import pandas as pd  # noqa: PLC0415
    except ImportError as error:
        msg = (
            f"DataFrames need numpy and pandas ({error}): "
            "install the extra with pip install 'villes-label[frames]'"
        )
        raise ImportError(msg) from error
    return np, pd


# --- dossiers to a frame ----------------------------------------------------------------


def dossiers_frame(dossiers: Iterable[Dossier], *, taxonomy: Taxonomy | None = None) -> DataFrame:
    """A wide DataFrame of *dossiers*: one row per dossier, one column per service.

    The columns are ``code``, ``name``, ``kind`` (categorical, the kind's value),
    ``population``, ``year``, then one categorical column per service id whose
    categories are the status values (``"absent"``, ..., ``"not_applicable"``).
    A cell holds the service's *effective* status (its own entry raised by the
    dossier's actions); a service the dossier names nowhere is missing (read as
    absent). The service columns are those of *taxonomy*, in its order, then
    any other id the dossiers name, sorted; without *taxonomy*, every id the
    dossiers name, sorted.

    Needs the extra ``frames`` (numpy, pandas).

    Raises:
        InvalidInput: an item is not a `Dossier`, or a service id is the name of
            one of the territory columns.
        ImportError: numpy or pandas is missing.

    >>> from villes_label import referential
    >>> frame = dossiers_frame([referential.sample_dossier()])
    >>> list(frame.columns[:5])
    ['code', 'name', 'kind', 'population', 'year']
    >>> frame.loc[0, "site-internet"], frame.shape
    ('deployed', (1, 34))
    """
    np, pd = _modules()
    items = cast("tuple[Dossier, ...]", items_of(dossiers, "dossiers", Dossier))
    if taxonomy is not None and not is_instance(taxonomy, Taxonomy):
        raise InvalidInput(
            Problem(("taxonomy",), f"expected a Taxonomy, got {type(taxonomy).__name__}")
        )
    entries = [effective_entries(dossier) for dossier in items]
    named = set().union(*entries) if entries else set()
    if taxonomy is not None:
        fixed = [service.id for service in taxonomy.services]
        columns = [*fixed, *sorted(named.difference(fixed))]
    else:
        columns = sorted(named)
    clashes = sorted(named.intersection(TERRITORY_COLUMNS))
    if clashes:
        raise InvalidInput(
            *(
                f"services.{sid}: a service id cannot be a territory column's name"
                for sid in clashes
            )
        )
    position = {sid: j for j, sid in enumerate(columns)}
    code_of = _STATUS_CODES
    rows: list[int] = []
    cols: list[int] = []
    values: list[int] = []
    for n, entry in enumerate(entries):
        rows.extend(repeat(n, len(entry)))
        cols.extend(map(position.__getitem__, entry))
        values.extend(map(code_of.__getitem__, entry.values()))
    codes = np.full((len(items), len(columns)), -1, dtype=np.int8)
    codes[rows, cols] = values
    status_type = pd.CategoricalDtype(STATUS_VALUES)
    territories = [dossier.territory for dossier in items]
    populations = [t.population for t in territories]
    wide = bool(populations) and max(populations) >= _INT64_LIMIT
    data: dict[str, Any] = {
        "code": pd.Series([t.code for t in territories], dtype=object),
        "name": pd.Series([t.name for t in territories], dtype=object),
        "kind": pd.Categorical([t.kind.value for t in territories], categories=KIND_VALUES),
        "population": np.array(populations, dtype=object if wide else np.int64),
        "year": np.array([dossier.year for dossier in items], dtype=np.int64),
    }
    for j, sid in enumerate(columns):
        data[sid] = pd.Categorical.from_codes(codes[:, j], dtype=status_type)
    return cast("DataFrame", pd.DataFrame(data))


# --- a frame to grades ------------------------------------------------------------------


class _Read:
    """What `grade_frame` reads of a frame: territories and a status matrix."""

    __slots__ = ("codes", "index", "kinds", "populations", "statuses")

    def rows(self, start: int, stop: int) -> _Read:
        """The rows *start* to *stop* (the index is not sliced: it is not read)."""
        return _Read(
            self.index,
            None if self.codes is None else self.codes[start:stop],
            self.kinds[start:stop],
            self.populations[start:stop],
            self.statuses[start:stop],
        )

    def __init__(self, index: Any, codes: Any, kinds: Any, populations: Any, statuses: Any) -> None:
        self.index = index
        self.codes = codes
        self.kinds = kinds  # int codes into KIND_VALUES
        self.populations = populations  # int64
        self.statuses = statuses  # int8 (rows × services in taxonomy order), -1 when missing


def grade_frame(ruleset: Ruleset, frame: DataFrame, *, territories: Any = None) -> DataFrame:
    """Grade every territory of *frame* under *ruleset*: see `Scorer.grade_frame`."""
    np, pd = _modules()
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInput(
            Problem(("frame",), f"expected a pandas DataFrame, got {type(frame).__name__}")
        )
    if territories is not None and not isinstance(territories, pd.DataFrame):
        raise InvalidInput(
            Problem(
                ("territories",),
                f"expected a pandas DataFrame, got {type(territories).__name__}",
            )
        )
    repeated = _repeated_columns(frame, ())
    if territories is not None:
        repeated.extend(_repeated_columns(territories, ("territories",)))
    if repeated:
        raise InvalidInput(*repeated)
    order = tuple(service.id for service in ruleset.taxonomy.services)
    if {"service", "status"} <= set(frame.columns):
        read = _read_long(np, pd, frame, territories, order)
    else:
        read = _read_wide(np, pd, frame, order)
    plan = _Plan(np, ruleset)
    # In blocks of rows, so that the arrays of a block stay in the processor's caches.
    parts = [
        _evaluate(np, plan, block)
        for block in (
            read.rows(start, start + _BLOCK) for start in range(0, len(read.codes), _BLOCK)
        )
    ] or [_evaluate(np, plan, read)]
    grades, numerators, denominators = (
        np.concatenate(column) for column in zip(*(part[:3] for part in parts), strict=True)
    )
    scores = fractions_of(numerators.tolist(), denominators.tolist())
    if numerators.dtype != object and len(scores) and denominators.max() < _FLOAT_EXACT:
        # Integers below 2**53 are exact in float64, and IEEE division rounds
        # correctly: the same float as float(Fraction(n, d)), the score is in [0, 1].
        percent = numerators / denominators * 100
    else:
        percent = np.array(list(map(float, scores)), dtype=np.float64) * 100
    return cast(
        "DataFrame",
        pd.DataFrame(
            {
                "code": read.codes,
                "grade": grades,
                "score": pd.Series(scores, index=read.index, dtype=object),
                "score_numerator": numerators,
                "score_denominator": denominators,
                "score_percent": percent,
            },
            index=read.index,
        ),
    )


class _Labels:
    """The label of each row in the paths of problems: its code, as text, worded on demand.

    With *positions*, a row whose code is not a str or is also another row's
    code is labelled by its position instead (an int): each path names one row.
    """

    __slots__ = ("codes", "positions", "unclear")

    def __init__(self, codes: Any, *, positions: bool = False) -> None:
        self.codes = codes
        self.positions = positions
        self.unclear: Any = None

    def __getitem__(self, row: int) -> str | int:
        code = self.codes[row]
        if not self.positions:
            return str(code)
        if self.unclear is None:
            # Only a frame with problems gets here: a pass in Python is fine.
            _, pd = _modules()
            values = _hashable(self.codes)
            self.unclear = pd.Series(values, dtype=object).duplicated(keep=False).to_numpy() | [
                not isinstance(value, str) for value in values
            ]
        return int(row) if self.unclear[row] else str(code)


class _Unhashable:
    """Stands for a cell that cannot be hashed (a list, a dict...): equal to nothing else."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return repr(self.value)


def _hashable(values: Any) -> Any:
    """*values* (an object array), each cell that cannot be hashed in an `_Unhashable`."""
    safe = values.copy()
    for n, value in enumerate(values.tolist()):
        try:
            hash(value)
        except TypeError:
            safe[n] = _Unhashable(value)
    return safe


def _unwrapped(value: object) -> object:
    return value.value if isinstance(value, _Unhashable) else value


def _repeated_columns(frame: Any, prefix: tuple[str, ...]) -> list[Problem]:
    """One problem per column name that *frame* holds more than once."""
    columns = frame.columns
    if columns.is_unique:
        return []
    return [
        Problem(
            (*prefix, "columns", str(name)),
            f"{int((columns == name).sum())} columns are named {name!r}: "
            "the column would be read ambiguously",
        )
        for name in columns[columns.duplicated()].unique()
    ]


def _surely_valid_codes(np: Any, codes: Any, kind_codes: Any) -> Any:
    """Which of *codes* (an object array) `code_problem` surely accepts, on arrays.

    A row is marked when its code is a str of ASCII characters that matches its
    kind's pattern, checked byte by byte: the patterns of `Territory`, kept
    together with `villes_label._territory._COMMUNE_CODE` and ``_SIREN``. A row
    not marked is checked by `code_problem` itself, so this may only err by
    leaving a row unmarked (tested against `code_problem`).
    """
    count = len(codes)
    values = codes.tolist()
    try:
        # One text of every code, each ended by a NUL byte: read as bytes at C speed.
        text = "\x00".join(values).encode("ascii")
    except (TypeError, UnicodeEncodeError):  # not all str, or not ASCII: `code_problem`
        return np.zeros(count, dtype=bool)
    if not count:
        return np.zeros(0, dtype=bool)
    cells_of = np.frombuffer(text + bytes(_CODE_BYTES + 1), dtype=np.uint8)
    ends = np.flatnonzero(cells_of[: len(text) + 1] == 0)
    if len(ends) == count:
        starts = np.concatenate(([0], ends[:-1] + 1))
        lengths = ends - starts
    else:  # a code holds a NUL byte itself: its length says where the next one starts
        lengths = np.fromiter(map(len, values), dtype=np.intp, count=count)
        starts = np.cumsum(lengths + 1) - (lengths + 1)
    cells = cells_of[starts[:, None] + np.arange(_CODE_BYTES)]
    digit = (cells >= ord("0")) & (cells <= ord("9"))
    first, second, third = cells[:, 0], cells[:, 1], cells[:, 2]
    tail = digit[:, 2:5].all(axis=1)
    department = (first.astype(np.int64) - ord("0")) * 10 + second - ord("0")
    commune = (lengths == 5) & (
        (digit[:, 0] & digit[:, 1] & (department >= 1) & (department <= 95) & (department != 20))
        & tail
        | (first == ord("2")) & ((second == ord("A")) | (second == ord("B"))) & tail
        | (first == ord("9"))
        & (second == ord("7"))
        & (third >= ord("1"))
        & (third <= ord("6"))
        & digit[:, 3:5].all(axis=1)
    )
    siren = (lengths == 9) & digit[:, :9].all(axis=1)
    return (kind_codes == _COMMUNE) & commune | np.isin(kind_codes, _EPCI_KINDS) & siren


def _code_problems(np: Any, codes: Any, kind_codes: Any, where: Any) -> list[Problem]:
    """What `Territory` says of each bad code of *codes*, at ``where(n) + ("code",)``."""
    problems: list[Problem] = []
    for n in np.flatnonzero(~_surely_valid_codes(np, codes, kind_codes)):
        kind = int(kind_codes[n])
        problem = code_problem(
            _unwrapped(codes[n]), TerritoryKind(KIND_VALUES[kind]) if kind >= 0 else None
        )
        if problem is not None:
            problems.append(Problem((*where(int(n)), "code"), problem))
    return problems


def _territory_problems(
    np: Any, pd: Any, frame: Any, labels: _Labels
) -> tuple[Any, Any, list[Problem]]:
    """Kind codes and populations of *frame*'s rows, and every problem found in them."""
    problems: list[Problem] = []
    kind_codes, _ = _codes(np, pd, frame["kind"], KIND_VALUES)
    kind_codes = kind_codes.astype(np.int64)
    raw_kinds = frame["kind"].to_numpy(dtype=object)
    for n in np.flatnonzero(kind_codes < 0):
        problems.append(
            Problem(
                ("rows", labels[n], "kind"),
                f"{_unwrapped(raw_kinds[n])!r} is not a territory kind",
            )
        )
    population = frame["population"]
    # A nullable integer column (Int64, UInt64...) is read in its numpy type, each
    # missing value reported: not through float NaN, which casts to -2**63.
    numpy_type = getattr(population.dtype, "numpy_dtype", None)
    if (
        pd.api.types.is_bool_dtype(population)
        or not pd.api.types.is_integer_dtype(population)
        or (
            isinstance(population.dtype, pd.api.extensions.ExtensionDtype)
            and (numpy_type is None or not pd.api.types.is_integer_dtype(numpy_type))
        )
    ):
        values = population.to_numpy(dtype=object)
        good = [
            is_instance(v, int) and not isinstance(v, bool) and v >= 0 and not too_big(v)
            for v in values
        ]
        for n, ok in enumerate(good):
            if not ok:
                value = _unwrapped(values[n])
                problems.append(
                    Problem(
                        ("rows", labels[n], "population"),
                        f"expected an int of at most {MAX_DIGITS} digits"
                        if isinstance(value, int) and not isinstance(value, bool) and value >= 0
                        else f"expected an int >= 0, got {value!r}",
                    )
                )
        populations = np.array(
            [v if ok else 0 for v, ok in zip(values, good, strict=True)], dtype=object
        )
    elif isinstance(population.dtype, pd.api.extensions.ExtensionDtype):
        missing = population.isna().to_numpy()
        problems.extend(
            Problem(("rows", labels[n], "population"), f"expected an int >= 0, got {pd.NA!r}")
            for n in np.flatnonzero(missing)
        )
        populations = population.to_numpy(dtype=numpy_type, na_value=0)
    else:
        populations = population.to_numpy()
        for n in np.flatnonzero(populations < 0):
            problems.append(
                Problem(("rows", labels[n], "population"), f"must be >= 0, got {populations[n]}")
            )
    if populations.dtype != object and len(populations) and populations.max() >= _INT64_LIMIT:
        # Past int64's safe range (an unsigned column, say): Python integers, exactly.
        populations = np.array(populations.tolist(), dtype=object)
    dtype = np.int64 if populations.dtype != object else object
    return kind_codes, np.asarray(populations, dtype=dtype), problems


def _codes(np: Any, pd: Any, column: Any, categories: tuple[str, ...]) -> tuple[Any, Any]:
    """Positions of *column*'s values in *categories* (-1 when missing), and of invalid values."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # A categorical column: read its codes, mapping its few categories if need be.
        values = column.array
        codes = np.asarray(values.codes)
        own = tuple(values.categories)
        if own == categories:
            return codes.astype(np.int8, copy=False), np.zeros(0, dtype=np.int64)
        mapped = np.append(pd.Index(categories).get_indexer(values.categories), -1)
        found = mapped[codes]
        invalid = np.flatnonzero((found < 0) & (codes >= 0))
        return found.astype(np.int8), invalid
    values = column.to_numpy(dtype=object)
    try:
        found = pd.Index(categories).get_indexer(values)
    except TypeError:  # a cell that cannot be hashed (a list...): an unknown value
        found = pd.Index(categories).get_indexer(_hashable(values))
    found = found.astype(np.int8)
    invalid = np.flatnonzero((found < 0) & column.notna().to_numpy())
    return found, invalid


def _status_codes(np: Any, pd: Any, column: Any) -> tuple[Any, Any]:
    """Status codes of one column (-1 when missing), and the positions of invalid values."""
    return _codes(np, pd, column, STATUS_VALUES)


def _read_wide(np: Any, pd: Any, frame: Any, order: tuple[str, ...]) -> _Read:
    missing = [
        Problem(("frame",), f"missing column {name!r}")
        for name in ("code", "kind", "population")
        if name not in frame.columns
    ]
    if missing:
        raise InvalidInput(*missing)
    codes = frame["code"].to_numpy(dtype=object)
    labels = _Labels(codes, positions=True)
    kind_codes, populations, problems = _territory_problems(np, pd, frame, labels)
    problems[:0] = _code_problems(np, codes, kind_codes, lambda n: ("rows", labels[n]))
    known = set(order)
    position = {sid: j for j, sid in enumerate(order)}
    statuses = np.full((len(frame), len(order)), -1, dtype=np.int8)
    problems.extend(_unread_columns(frame, {*TERRITORY_COLUMNS, *known}, known))
    for column in frame.columns:
        if column in TERRITORY_COLUMNS or column not in known:
            continue
        values = frame[column]
        column_codes, invalid = _status_codes(np, pd, values)
        if len(invalid):
            raw = values.to_numpy(dtype=object)
            problems.extend(
                Problem(
                    ("rows", labels[n], str(column)),
                    f"unknown status {_unwrapped(raw[n])!r} (one of {', '.join(STATUS_VALUES)})",
                )
                for n in invalid
            )
        statuses[:, position[column]] = column_codes
    if problems:
        raise InvalidInput(*problems)
    return _Read(frame.index, codes, kind_codes, populations, statuses)


def _unread_columns(
    frame: Any, read: Iterable[object], known: set[str], *, long: bool = False
) -> list[Problem]:
    """A problem for each column of *frame* that holds data but would not be read."""
    read = set(read)
    problems: list[Problem] = []
    for column in frame.columns:
        if column in read or not frame[column].notna().any():
            continue
        name = str(column)
        if long and column in known:
            message = (
                f"a long frame names its services in the column 'service': "
                f"the column {name!r} would be ignored"
            )
        elif long and column in {"kind", "population"}:
            message = (
                "the kind and population are read from `territories` "
                f"(or from both columns 'kind' and 'population'): the column {name!r} "
                "would be ignored"
            )
        else:
            message = unknown_id("service", name, known)
        problems.append(Problem(("columns", name), message))
    return problems


def _read_long(np: Any, pd: Any, frame: Any, territories: Any, order: tuple[str, ...]) -> _Read:
    missing = [
        Problem(("frame",), f"missing column {name!r}")
        for name in LONG_COLUMNS
        if name not in frame.columns
    ]
    source = frame if territories is None else territories
    if territories is not None and not isinstance(territories, pd.DataFrame):
        missing.append(
            Problem(
                ("territories",), f"expected a pandas DataFrame, got {type(territories).__name__}"
            )
        )
    elif not missing:
        missing.extend(
            Problem(
                ("frame" if territories is None else "territories",), f"missing column {name!r}"
            )
            for name in ("code", "kind", "population")
            if name not in source.columns
        )
    if missing:
        raise InvalidInput(*missing)
    known = set(order)
    # A long frame's own kind and population are read beside `territories` (they must agree).
    own = {"kind", "population"} <= set(frame.columns)
    read = {*LONG_COLUMNS, "name", "year"}
    if territories is None or own:
        read |= {"kind", "population"}
    problems = _unread_columns(frame, read, known, long=True)
    # One row per territory, in order of first appearance in the long frame. A
    # missing code (or one that cannot be hashed) is a problem of its row, never
    # a territory of its own.
    code_values = frame["code"].to_numpy(dtype=object)
    try:
        row_of, codes = pd.factorize(code_values, sort=False)
    except TypeError:
        keys = _hashable(code_values)
        keys[[isinstance(key, _Unhashable) for key in keys]] = None
        row_of, codes = pd.factorize(keys, sort=False)
    problems.extend(
        Problem(("rows", int(n), "code"), code_problem(code_values[n], None) or "missing code")
        for n in np.flatnonzero(row_of < 0)
    )
    parts = [
        part[["code", "kind", "population"]].reset_index(drop=True)
        for part in ([] if territories is None else [territories])
        + ([frame] if territories is None or own else [])
    ]
    source = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    try:
        people = source.drop_duplicates(subset=["code", "kind", "population"])
    except TypeError:  # a cell that cannot be hashed: read as a value equal to no other
        source = source.assign(
            **{
                name: _hashable(source[name].to_numpy(dtype=object))
                for name in ("code", "kind", "population")
            }
        )
        people = source.drop_duplicates(subset=["code", "kind", "population"])
    # A territory given only in `territories` is graded too: it declares no service.
    extra_at = np.zeros(0, dtype=np.intp)
    if territories is not None:
        given = pd.Index(source["code"].to_numpy(dtype=object)[: len(territories)])
        nulls = given.isna()
        problems.extend(
            Problem(("territories", int(n), "code"), code_problem(None, None) or "")
            for n in np.flatnonzero(nulls)
        )
        extra_at = np.flatnonzero(~given.isin(codes) & ~given.duplicated() & ~nulls)
        codes = np.concatenate([np.asarray(codes, dtype=object), given[extra_at]])
    duplicated = people["code"].duplicated(keep=False).to_numpy()
    problems.extend(
        Problem(("territories", code), "the rows disagree on its kind or population")
        for code in sorted({str(c) for c in people["code"][duplicated] if not pd.isna(c)})
    )
    people = people.drop_duplicates(subset=["code"]).set_index("code")
    found = people.index.get_indexer(codes)
    problems.extend(
        Problem(("territories", str(codes[j])), "no kind and population for this code")
        for j in np.flatnonzero(found < 0)
    )
    if problems:
        raise InvalidInput(*problems)
    people = people.iloc[found].reset_index()
    labels = _Labels(codes)
    kind_codes, populations, problems = _territory_problems(np, pd, people, labels)
    firsts: list[Any] = []

    def where(j: int) -> tuple[str, int]:
        if j >= len(codes) - len(extra_at):
            return ("territories", int(extra_at[j - len(codes) + len(extra_at)]))
        if not firsts:
            firsts.append(np.unique(row_of, return_index=True)[1][int(row_of.min() < 0) :])
        return ("rows", int(firsts[0][j]))

    problems[:0] = _code_problems(np, codes, kind_codes, where)
    position = {sid: j for j, sid in enumerate(order)}
    services = frame["service"].to_numpy(dtype=object)
    try:
        columns = np.array([position.get(sid, -1) for sid in services], dtype=np.int64)
    except TypeError:  # a cell that cannot be hashed: an unknown service
        services = _hashable(services)
        columns = np.array([position.get(sid, -1) for sid in services], dtype=np.int64)
    # Each distinct unknown id is worded once, and only for the problems listed.
    worded: dict[object, str] = {}
    problems.extend(
        _bounded(
            np.flatnonzero(columns < 0),
            lambda n: Problem(
                ("rows", n, "service"),
                worded.get(services[n])
                or worded.setdefault(services[n], unknown_id("service", str(services[n]), known)),
            ),
        )
    )
    status_column = frame["status"]
    status_codes, invalid = _status_codes(np, pd, status_column)
    if len(invalid):
        raw = status_column.to_numpy(dtype=object)
        problems.extend(
            _bounded(
                invalid,
                lambda n: Problem(
                    ("rows", n, "status"),
                    f"unknown status {_unwrapped(raw[n])!r} (one of {', '.join(STATUS_VALUES)})",
                ),
            )
        )
    # A row that names a service says its status: a missing one is not read as absent.
    unsaid = (status_codes < 0) & frame["service"].notna().to_numpy()
    unsaid[invalid] = False
    problems.extend(
        _bounded(
            np.flatnonzero(unsaid),
            lambda n: Problem(
                ("rows", n, "status"), "a row that names a service must say its status"
            ),
        )
    )
    pairs = pd.DataFrame({"row": row_of, "column": columns})
    # Rows of no territory or of an unknown service are reported above, not as twice the same.
    twice = pairs.duplicated().to_numpy() & (row_of >= 0) & (columns >= 0)
    problems.extend(
        _bounded(
            np.flatnonzero(twice),
            lambda n: Problem(
                ("rows", n), f"{labels[row_of[n]]} names service {services[n]!r} twice"
            ),
        )
    )
    if problems:
        raise InvalidInput(*problems)
    statuses = np.full((len(codes), len(order)), -1, dtype=np.int8)
    statuses[row_of, columns] = status_codes
    index = pd.RangeIndex(len(codes))
    return _Read(index, np.asarray(codes, dtype=object), kind_codes, populations, statuses)


def _bounded(rows: Any, problem: Any) -> list[Problem]:
    """``problem(n)`` for the first `MAX_PROBLEMS` of *rows*, the others only counted."""
    found: list[Problem] = [problem(int(n)) for n in rows[:MAX_PROBLEMS]]
    if len(rows) > MAX_PROBLEMS:
        found.append(MoreProblems((), "", len(rows) - MAX_PROBLEMS))
    return found


# --- dossiers straight to integer arrays ------------------------------------------------


def numpy_or_none() -> Any:
    """The module numpy if it is installed, else ``None`` (it only speeds things up)."""
    try:
        import numpy as np  # noqa: PLC0415 - optional, loaded on first use
    except ImportError:
        return None
    return np


class _Lookup(dict[Any, int]):
    """A table whose missing keys read as -1: an unknown id shows up in the array, not as a raise."""

    __slots__ = ()

    def __missing__(self, key: object) -> int:
        return -1


_UNKNOWN_BYTE = 255
"""The byte column of an id the taxonomy lacks (see `_ByteLookup`)."""


class _ByteLookup(dict[Any, int]):
    """A table of columns below 255 whose missing keys read as `_UNKNOWN_BYTE`."""

    __slots__ = ()

    def __missing__(self, key: object) -> int:
        return _UNKNOWN_BYTE


def _columns(np: Any, plan: _Plan, ids: Iterator[str], count: int) -> tuple[Any, Any]:
    """The column of each of the *count* ids (one look-up each), and where the taxonomy lacks one.

    The second item is a mask of the unknown ids, ``None`` when there is none.
    """
    if plan.byte_column_of is not None:
        columns = np.frombuffer(
            bytearray(map(plan.byte_column_of.__getitem__, ids)), dtype=np.uint8
        )
        unknown = columns == _UNKNOWN_BYTE
    else:
        columns = np.fromiter(map(plan.column_of.__getitem__, ids), dtype=np.intp, count=count)
        unknown = columns < 0
    return columns, unknown if unknown.any() else None


def compile_plan(np: Any, ruleset: Ruleset) -> _Plan:
    """What the arrays need of *ruleset*, read once (for `dossier_rows`)."""
    return _Plan(np, ruleset)


def dossier_rows(
    np: Any, plan: _Plan, dossiers: Sequence[Dossier], *, gates: bool = False
) -> list[tuple[int, int, int, int]]:
    """Grade, gate grade, score numerator and denominator of each dossier, on integer arrays.

    What `Scorer` uses for dossiers whose opt-outs give each its own denominators:
    the same evaluation as `grade_frame`, read from the dossiers at C speed.
    The gate grade is computed only with *gates* (else it is the grade).
    Every item must be a `Dossier`.

    Raises:
        InvalidInput: a dossier names a service the ruleset's taxonomy lacks
            (the error of `assess`).
    """
    read = _read_dossiers(np, plan, dossiers)
    rows: list[tuple[int, int, int, int]] = []
    # In blocks of rows, so that the arrays of a block stay in the processor's caches.
    for start in range(0, len(dossiers), _BLOCK):
        result = _evaluate(np, plan, read.rows(start, start + _BLOCK), gates=gates)
        grades, numerators, denominators = (column.tolist() for column in result[:3])
        rows.extend(
            zip(
                grades,
                grades if result[3] is None else result[3].tolist(),
                numerators,
                denominators,
                strict=True,
            )
        )
    return rows


def dossier_grades(np: Any, plan: _Plan, dossiers: Sequence[Dossier]) -> list[int]:
    """The grade of each dossier, on integer arrays: the first item of `dossier_rows`.

    Raises:
        InvalidInput: as `dossier_rows`.
    """
    read = _read_dossiers(np, plan, dossiers)
    grades: list[int] = []
    for start in range(0, len(dossiers), _BLOCK):
        grades.extend(_evaluate(np, plan, read.rows(start, start + _BLOCK))[0].tolist())
    return grades


def _read_dossiers(np: Any, plan: _Plan, dossiers: Sequence[Dossier]) -> _Read:
    """The status matrix and territories of *dossiers*, read at C speed.

    A former id of the referential is read as its successor (as `assess` reads
    it); an id the taxonomy lacks raises what `assess` raises.
    """
    ruleset = plan.ruleset
    width = len(plan.order)
    # What each dossier delivers this year (`effective_of`, kept by the dossier): a
    # `StatusMap`, which holds the code of each status.
    effective = list(map(_EFFECTIVE, dossiers))
    # Positions in the flat matrix, in 32 bits when they fit (less memory to fill).
    index = np.int32 if len(dossiers) * width < _INT32_LIMIT else np.intp
    try:
        # The codes, joined for the whole cohort with -1 between dossiers, then one
        # look-up per entry, of its id.
        joined = np.frombuffer(b"\xff".join(map(_CODES, effective)), dtype=np.int8)
        present = joined >= 0
        codes = joined[present]
        # An entry's row is the number of separators before it.
        rows = np.cumsum(~present, dtype=index)[present]
        columns, unknown_at = _columns(
            np, plan, chain.from_iterable(map(_DATA, effective)), len(codes)
        )
    except AttributeError:
        # Statuses that are not a `StatusMap` (put on a dossier behind its
        # constructor's back): one look-up per entry, of its id and status.
        entries = list(map(plain_dict, effective))
        lengths = np.fromiter(map(len, entries), dtype=np.intp, count=len(entries))
        cells = np.fromiter(
            map(plan.cell_of.__getitem__, chain.from_iterable(map(dict.items, entries))),
            dtype=np.intp,
            count=int(lengths.sum()),
        )
        rows = np.repeat(np.arange(len(entries), dtype=index), lengths)
        columns = cells >> 3  # -1, an unknown id, stays -1
        codes = (cells & 7).astype(np.int8)
        unknown_at = cells < 0
    unknown = set() if unknown_at is None else set(rows[unknown_at].tolist())
    # Ids that only expired actions name raise nothing, but an unknown one is a mistake;
    # a former id is no mistake (`check_ids` accepts it), and there is nothing to read
    # as its successor: such a dossier is read as it is.
    expired = list(map(_EXPIRED, dossiers))
    known = plan.column_of.keys()
    former = ruleset.taxonomy.aliases.keys()
    unknown.update(
        n for n in compress(range(len(expired)), expired) if (expired[n] - known) - former
    )
    if unknown:
        # An id the taxonomy lacks is reported as `assess` reports it; former ids
        # are read as their successors, then the cohort is read again.
        for n in sorted(unknown):
            check_ids(dossiers[n], ruleset)
        carried = list(dossiers)
        for n in unknown:
            carried[n] = read_retired_ids(dossiers[n], ruleset)[0]
        return _read_dossiers(np, plan, carried)
    statuses = np.full(len(dossiers) * width, -1, dtype=np.int8)
    at = rows * width
    at += columns
    statuses[at] = codes
    populations = list(map(_TERRITORY_POPULATION, dossiers))
    try:
        read_populations = np.array(populations, dtype=np.int64)
        wide = bool(populations) and int(read_populations.max()) >= _INT64_LIMIT
    except OverflowError:
        wide = True
    kinds = bytearray(map(_KIND_CODES.__getitem__, map(_TERRITORY_KIND, dossiers)))
    return _Read(
        None,
        None,
        np.frombuffer(kinds, dtype=np.uint8).astype(np.int64),
        np.array(populations, dtype=object) if wide else read_populations,
        statuses.reshape(len(dossiers), width),
    )


# --- plain data straight to integer arrays ---------------------------------------------

_PLAIN_ID = re.compile(r"[ -~]*[!-~][ -~]*", re.ASCII).fullmatch
"""Printable ASCII with a visible character: an id that the detailed reader accepts."""
_SURROGATE = re.compile("[\ud800-\udfff]").search
"""A lone surrogate: the only character a text field refuses (UTF-8 cannot write it)."""
_DOSSIER_FIELDS = frozenset({"territory", "year", "services", "actions"})
_ACTION_FIELDS = frozenset({"id", "title", "services", "status"})
_ACTION_ALL_FIELDS = _ACTION_FIELDS | {"date", "ongoing", "summary", "actors", "links", "place"}
_LEVELS = {"absent": _ABSENT, "planned": _PLANNED, "partial": _PARTIAL, "deployed": _DEPLOYED}
_NOT_GIVEN: Any = object()

DataRow = tuple[str, str, int, int, int, tuple[str, ...]]
"""A territory's code and name, its grade, the numerator and denominator of its score, its mentions."""


def plain_rows(ruleset: Ruleset, data: object) -> list[DataRow] | None:
    """Grade a cohort given as plain data (parsed JSON) without building its dossiers, or ``None``.

    ``None`` when numpy is missing, *data* is not a list, or any entry is not a
    plain, valid dossier (see `data_rows`): the caller then reads *data* with
    `from_dict`. `Scorer.grades_from_data` and the command line's ``grade`` read
    cohorts through it.
    """
    np = numpy_or_none()
    if np is None or type(data) is not list:
        return None
    return data_rows(np, _Plan(np, ruleset), data)


def data_rows(np: Any, plan: _Plan, data: list[Any]) -> list[DataRow] | None:
    """Grade dossiers given as plain data (parsed JSON) without building them, or ``None``.

    The fast reading accepts only what `from_dict` accepts, and reads it as
    `from_dict` reads it: plain dicts of the fields of a `Dossier` (no other
    field), ids of the taxonomy in printable ASCII, statuses as their values,
    actions with ``id``, ``title``, ``services`` and ``status`` and no date,
    place, actor or link (as `to_dict` writes them, or without those fields). The
    territories are read by `plain_territory`. Anything else (a former
    id, a dated action, a mistake) gives ``None``: the caller then reads the
    data with `from_dict`, which accepts it or words every problem.
    """
    found = _read_data(np, plan, data)
    if found is None:
        return None
    read, names = found
    mention_ids = [mention_id for mention_id, _, _ in plan.mentions]
    rows: list[DataRow] = []
    for start in range(0, len(data), _BLOCK):
        grades, numerators, denominators, _, awarded = _evaluate(
            np, plan, read.rows(start, start + _BLOCK), mentions=True
        )
        if awarded:
            flags = zip(*(a.tolist() for a in awarded), strict=True)
            named = [tuple(compress(mention_ids, row)) for row in flags]
        else:
            named = [()] * len(grades)
        rows.extend(
            (code, name, grade, numerator, denominator, mentions)
            for (code, name), grade, numerator, denominator, mentions in zip(
                names[start : start + _BLOCK],
                grades.tolist(),
                numerators.tolist(),
                denominators.tolist(),
                named,
                strict=True,
            )
        )
    return rows


def _read_data(
    np: Any, plan: _Plan, items: list[Any]
) -> tuple[_Read, list[tuple[str, str]]] | None:
    """The status matrix and territories of plain dossiers, or ``None`` if any is unusual."""
    if not all(type(item) is dict for item in items):
        return None
    if not all(map(_DOSSIER_FIELDS.issuperset, items)):
        return None  # an unknown field
    try:
        raw_territories = [item["territory"] for item in items]
        years = [item["year"] for item in items]
    except KeyError:  # a missing required field
        return None
    if not all(type(year) is int and FIRST_YEAR <= year <= LAST_YEAR for year in years):
        return None
    services = [item.get("services", _NOT_GIVEN) for item in items]
    if not all(type(entries) is dict or entries is _NOT_GIVEN for entries in services):
        return None
    services = [{} if entries is _NOT_GIVEN else entries for entries in services]
    if not all(type(value) is dict for value in raw_territories):
        return None
    territories = list(map(plain_territory, raw_territories))
    if None in territories:
        return None  # the one validation path reads it, and words any problem
    width = len(plan.order)
    cell_of = _Lookup(
        ((sid, status), 8 * j + code)
        for sid, j in plan.position.items()
        if _PLAIN_ID(sid)
        for code, status in enumerate(STATUS_VALUES)
    )
    lengths = np.fromiter(map(len, services), dtype=np.intp, count=len(items))
    try:
        cells = np.fromiter(
            map(cell_of.__getitem__, chain.from_iterable(map(dict.items, services))),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
    except TypeError:  # an unhashable status: the detailed reader words it
        return None
    if len(cells) and cells.min() < 0:
        return None  # an unknown or former id, an unknown status
    statuses = np.full(len(items) * width, -1, dtype=np.int8)
    statuses[np.repeat(np.arange(len(items)) * width, lengths) + (cells >> 3)] = cells & 7
    delivered = _read_actions(plan, items)
    if delivered is None:
        return None
    at, levels = delivered
    if at:
        at_array = np.array(at, dtype=np.intp)
        if (statuses[at_array] == _NOT_APPLICABLE).any():
            return None  # a service declared not applicable and delivered by an action
        np.maximum.at(statuses, at_array, np.array(levels, dtype=np.int8))
    kind_of = _KIND_CODES
    read_territories = cast("list[tuple[TerritoryKind, int]]", territories)
    kinds = [kind for kind, _ in read_territories]
    populations = [population for _, population in read_territories]
    wide = bool(populations) and max(populations) >= _INT64_LIMIT
    read = _Read(
        None,
        None,
        np.fromiter(map(kind_of.__getitem__, kinds), dtype=np.int64, count=len(items)),
        np.array(populations, dtype=object if wide else np.int64),
        statuses.reshape(len(items), width),
    )
    names = [(value["code"], value["name"]) for value in raw_territories]
    return read, names


def _plain_action(action: dict[str, Any]) -> bool:
    """Whether *action* has its four fields, and any other field at its default (undated)."""
    keys = action.keys()
    if len(keys) == len(_ACTION_FIELDS):
        return keys == _ACTION_FIELDS
    if not keys >= _ACTION_FIELDS or not keys <= _ACTION_ALL_FIELDS:
        return False
    summary = action.get("summary", "")
    return (
        action.get("date") is None
        and action.get("place") is None
        and type(action.get("ongoing", False)) is bool
        and type(summary) is str
        and not _SURROGATE(summary)
        and _empty_list(action.get("actors", _EMPTY))
        and _empty_list(action.get("links", _EMPTY))
    )


def _empty_list(value: object) -> bool:
    return type(value) is list and not value


_EMPTY: list[object] = []


def _read_actions(plan: _Plan, items: list[dict[str, Any]]) -> tuple[list[int], list[int]] | None:
    """The cells the plain actions raise and their levels, or ``None`` if any is unusual."""
    position, width = plan.position, len(plan.order)
    at: list[int] = []
    levels: list[int] = []
    for n, item in enumerate(items):
        actions = item.get("actions", _NOT_GIVEN)
        if actions is _NOT_GIVEN:
            continue
        if type(actions) is not list:
            return None
        base = n * width
        seen: set[str] = set()
        for action in actions:
            if type(action) is not dict or not _plain_action(action):
                return None  # a dated action, a field more or less: the detailed reader
            action_id, title, ids, status = (
                action["id"],
                action["title"],
                action["services"],
                action["status"],
            )
            if type(action_id) is not str or not _PLAIN_ID(action_id) or action_id in seen:
                return None
            seen.add(action_id)
            if type(title) is not str or _SURROGATE(title):
                return None
            level = _LEVELS.get(status) if type(status) is str else None
            if level is None or type(ids) is not list or not ids:
                return None
            columns = [position.get(sid, -1) if type(sid) is str else -1 for sid in ids]
            if -1 in columns or len(set(columns)) != len(columns):
                return None
            if not all(map(_PLAIN_ID, ids)):
                return None
            at.extend(base + j for j in columns)
            levels.extend(repeat(level, len(columns)))
    return at, levels


# --- the evaluation ---------------------------------------------------------------------


def _lcm_range(top: int) -> int:
    return math.lcm(1, *range(1, top + 1))


_SLOTS = 7
"""Table slots per service: status codes -1 (missing) to 4, then 5, not concerned by the rules."""
_OUT = 6
"""The slot of a service that the applicability rules exclude for the row's territory."""
_OUT_CODE = _OUT - 1
"""The status code whose slot is `_OUT` (the templates of the profiles write it)."""
_TEMPLATE_CELLS = 1 << 24
"""The most cells the profiles' templates may hold; past it, exclusions are written row by row."""
_PACK_LIMIT = 62
"""The most bits a packed issue sum (credits and concerned weights side by side) may use."""


class _Plan:
    """What the arrays need of one ruleset, read once: tables, groups, conditions.

    Each (service, status) has one integer in ``table``: the weighted credit
    it adds to its issue's numerator and, ``shift`` bits higher, its weight
    in the issue's denominator (0 when an opt-out takes it out of the
    denominators). One gather and one ``reduceat`` then give every issue's
    numerator and denominator; when the two do not fit side by side in
    `_PACK_LIMIT` bits, ``weights`` is a second table and ``shift`` is ``None``.
    """

    def __init__(self, np: Any, ruleset: Ruleset) -> None:
        structure = Structure(ruleset)
        self.ruleset = ruleset
        order = structure.order
        self.order = order
        self.position = {sid: j for j, sid in enumerate(order)}
        # For reading dossiers with one look-up per entry: (id, status) gives the
        # cell's column * 8 + status code, an id its column; -1 for an unknown id.
        self.cell_of = _Lookup(
            ((sid, status), 8 * j + code)
            for sid, j in self.position.items()
            for status, code in _STATUS_CODES.items()
        )
        self.column_of = _Lookup(self.position)
        # Up to 255 services, a column fits a byte (255: an unknown id), and a bytearray
        # of them is built faster than an integer array.
        self.byte_column_of = _ByteLookup(self.position) if len(order) < _UNKNOWN_BYTE else None
        scale, units = structure.scale, structure.units
        self.scale = scale
        self.top = top = units[Status.DEPLOYED]
        width = len(order)

        # Issues: services are grouped by issue (taxonomy order); sums per row with reduceat.
        self.theme_nodes = theme_nodes = structure.themes
        issue_ids: list[str] = []
        theme_of_issue: list[int] = []
        columns: list[int] = []
        weight_of: dict[int, int] = {}
        starts: list[int] = []
        for t, (_, _, issues) in enumerate(theme_nodes):
            for issue_id, _, nodes in issues:
                if not nodes:
                    continue
                starts.append(len(columns))
                issue_ids.append(issue_id)
                theme_of_issue.append(t)
                for sid, weight in nodes:
                    columns.append(self.position[sid])
                    weight_of[self.position[sid]] = weight
        self.issue_ids = issue_ids
        self.theme_members = [
            [i for i, owner in enumerate(theme_of_issue) if owner == t]
            for t in range(len(theme_nodes))
        ]
        self.issue_weight = {
            issue_id: weight for _, _, issues in theme_nodes for issue_id, weight, _ in issues
        }
        self.theme_weights = [weight for _, weight, _ in theme_nodes]
        # `Taxonomy.services` lists services issue by issue: no column moves.
        self.columns = None if columns == list(range(width)) else np.array(columns, dtype=np.intp)
        self.starts = np.array(starts, dtype=np.intp)

        # Size-aware expectations: per row, the stratum's coverage of each issue.
        self.expectations = structure.expectations
        self.coverage = [
            [expectation.coverage_of(issue_id) for issue_id in issue_ids]
            for expectation in structure.expectations
        ]
        self.breadths = [expectation.theme_breadth for expectation in structure.expectations]
        self.dtype = dtype = _dtype(
            np,
            ruleset=ruleset,
            structure=structure,
            issue_ids=issue_ids,
            issue_weight=self.issue_weight,
            theme_nodes=theme_nodes,
            coverage=self.coverage,
            breadths=[b for b in self.breadths if b is not None],
        )

        # Applicability: the services limited by kind or population, grouped by rule.
        kinds = list(TerritoryKind)
        groups: dict[tuple[Any, ...], list[int]] = {}
        self.may_opt_out = [False] * width
        for sid, applicability in structure.restricted.items():
            j = self.position.get(sid)
            if j is None:
                continue
            self.may_opt_out[j] = applicability.opt_out
            allowed = tuple(kind in applicability.kinds for kind in kinds)
            low, high = applicability.min_population, applicability.max_population
            if all(allowed) and low == 0 and high is None:
                continue
            groups.setdefault((allowed, low, high), []).append(j)
        self.limited = [
            (np.array(allowed, dtype=bool), low, high, np.array(js, dtype=np.intp))
            for (allowed, low, high), js in groups.items()
        ]
        # Profiles: a territory's kind and population bracket (between two successive
        # bounds of the applicability rules and expectations) decide which services
        # concern it and its stratum. Each row reads them from its profile: a row of
        # the template (`_OUT_CODE` for an excluded service, -1 elsewhere) and a stratum.
        bounds = {low for _, low, _ in groups} | {high for _, _, high in groups}
        for expectation in structure.expectations:
            bounds |= {expectation.min_population, expectation.max_population}
        self.bounds = sorted(bound for bound in bounds if bound is not None)
        self.bounds_array = np.array(
            [min(bound, _INT64_LIMIT) for bound in self.bounds], dtype=np.int64
        )
        self.brackets = brackets = len(self.bounds) + 1
        profiles = len(kinds) * brackets
        self.profile_strata = np.full(profiles, -1, dtype=np.int64)
        templates = None
        if groups and profiles * width <= _TEMPLATE_CELLS:
            templates = np.full((profiles, width), -1, dtype=np.int8)
        for k, kind in enumerate(kinds):
            for bracket in range(brackets):
                # Any population of the bracket decides alike: its lowest, say.
                population = self.bounds[bracket - 1] if bracket else -1
                profile = k * brackets + bracket
                for s, expectation in enumerate(structure.expectations):
                    if kind in expectation.kinds and expectation.min_population <= population:
                        top_bound = expectation.max_population
                        if top_bound is None or population < top_bound:
                            self.profile_strata[profile] = s
                            break
                if templates is None:
                    continue
                for (allowed, low, high), js in groups.items():
                    inside = allowed[k] and population >= low
                    if not inside or (high is not None and population >= high):
                        templates[profile, js] = _OUT_CODE
        self.templates = templates

        # The table: slot (j, code + 1) for codes -1..4, then slot `_OUT`.
        credit = {
            -1: units[Status.ABSENT],
            _ABSENT: units[Status.ABSENT],
            _PLANNED: units[Status.PLANNED],
            _PARTIAL: units[Status.PARTIAL],
            _DEPLOYED: top,
            _NOT_APPLICABLE: units[Status.ABSENT],  # a refused opt-out earns as absent
        }
        sums = [
            sum(weight_of[j] for j in columns[a:b])
            for a, b in zip(starts, [*starts[1:], len(columns)], strict=True)
        ]
        shift = max([1, *(s * top for s in sums)]).bit_length()
        packed = dtype is not object and shift + max([1, *sums]).bit_length() <= _PACK_LIMIT
        self.shift = shift if packed else None
        credits = [0] * (width * _SLOTS)
        weights = [0] * (width * _SLOTS)
        for j in range(width):
            weight = weight_of[j]
            for code, units_of in credit.items():
                if code == _NOT_APPLICABLE and self.may_opt_out[j]:
                    continue  # opted out: out of every denominator
                credits[j * _SLOTS + code + 1] = weight * units_of
                weights[j * _SLOTS + code + 1] = weight
        self.weights: Any = None
        if packed:
            self.table = np.array(
                [c + (w << shift) for c, w in zip(credits, weights, strict=True)], dtype=np.int64
            )
        else:
            self.table = np.array(credits, dtype=dtype)
            self.weights = np.array(weights, dtype=dtype)
        self.base = np.arange(width, dtype=np.intp) * _SLOTS + 1
        # Per stratum (and a last row of zeros, for rows of none), each issue's coverage
        # p/q and the themes' breadth p/q (0/0 when a stratum sets none).
        strata = len(self.coverage)
        self.cover_p = np.zeros((strata + 1, len(issue_ids)), dtype=dtype)
        self.cover_q = np.zeros((strata + 1, len(issue_ids)), dtype=dtype)
        for n, row in enumerate(self.coverage):
            self.cover_p[n] = [c.numerator for c in row]
            self.cover_q[n] = [c.denominator for c in row]
        self.breadth_p = np.zeros(strata + 1, dtype=dtype)
        self.breadth_q = np.zeros(strata + 1, dtype=dtype)
        for n, breadth in enumerate(self.breadths):
            if breadth is not None:
                self.breadth_p[n], self.breadth_q[n] = breadth.numerator, breadth.denominator
        # Every theme has an issue with a service (the taxonomy requires it): its first.
        self.theme_starts = np.array([members[0] for members in self.theme_members], dtype=np.intp)
        self.theme_of_issue = np.array(theme_of_issue, dtype=np.intp)
        self.issue_weights = np.array(
            [self.issue_weight[issue_id] for issue_id in issue_ids], dtype=dtype
        )
        self.concerned = np.array(weights, dtype=bool)

        # The grade rules' conditions, read once: (rule, is the minimum score, atoms).
        scored = _AllScored(
            {theme_id: t for t, (theme_id, _, _) in enumerate(theme_nodes)}, issue_ids
        )
        self.rules = [
            (
                rule.arobases,
                [(isinstance(c, MinScore), c, c.atoms(scored)) for c in conditions_of(rule)],
            )
            for rule in ruleset.grades
        ]
        named = {
            (atom.kind, atom.id)
            for atoms in [
                *(atoms for _, conditions in self.rules for _, _, atoms in conditions),
                *(c.atoms(scored) for mention in ruleset.mentions for c in conditions_of(mention)),
            ]
            for atom in atoms
            if isinstance(atom, AtLeast)
        }
        self.named_themes = [
            (t, theme_id)
            for t, (theme_id, _, _) in enumerate(theme_nodes)
            if (QuantityKind.THEME, theme_id) in named
        ]
        self.named_issues = [
            (i, issue_id)
            for i, issue_id in enumerate(issue_ids)
            if (QuantityKind.ISSUE, issue_id) in named
        ]
        self.theme_weight_row = np.array(self.theme_weights, dtype=dtype)
        self.mentions = [
            (
                mention.id,
                mention.conditions,
                [atom for c in conditions_of(mention) for atom in c.atoms(scored)],
            )
            for mention in ruleset.mentions
        ]


def _evaluate(
    np: Any, plan: _Plan, read: _Read, *, gates: bool = False, mentions: bool = False
) -> tuple[Any, Any, Any, Any, list[Any] | None]:
    """Grades, score numerators and denominators of every row of *read*; gate grades; mentions.

    With *gates*, the fourth item is the grade of each row once every minimum
    overall score is set aside (see `villes_label.CohortSummary`), else ``None``;
    with *mentions*, the fifth is, for each mention of the ruleset in order, whether
    each row is awarded it (as `assess` awards it), else ``None``.
    """
    count = len(read.kinds)
    top, dtype = plan.top, plan.dtype
    statuses = read.statuses
    populations = read.populations
    profiles = _profiles(np, plan, read)
    # Each cell's slot in the table: its status, or `_OUT` where the rules exclude it.
    if plan.templates is not None:
        slots = np.maximum(statuses, plan.templates[profiles]) + plan.base
    else:
        slots = statuses + plan.base
        for allowed, low, high, js in plan.limited:
            inside = allowed[read.kinds] & np.asarray(populations >= low, dtype=bool)
            if high is not None:
                inside &= np.asarray(populations < high, dtype=bool)
            outside = np.flatnonzero(~inside)
            if len(outside):
                slots[np.ix_(outside, js)] = js * _SLOTS + _OUT
    cells = slots
    if plan.columns is not None:
        slots = slots[:, plan.columns]
    n_issues = len(plan.issue_ids)
    if count and n_issues:
        if plan.shift is not None:
            sums = np.add.reduceat(plan.table.take(slots), plan.starts, axis=1)
            raw = sums & ((1 << plan.shift) - 1)
            potential = sums >> plan.shift
            if dtype is not np.int64:  # pragma: no cover - packed means int64 is safe
                raw, potential = raw.astype(dtype), potential.astype(dtype)
        else:
            raw = np.add.reduceat(plan.table.take(slots), plan.starts, axis=1)
            potential = np.add.reduceat(plan.weights.take(slots), plan.starts, axis=1)
    else:
        raw = potential = np.zeros((count, n_issues), dtype=dtype)
    kept = potential > 0
    # Size-aware expectations, for every row and issue at once: an issue saturates when
    # its stratum's coverage p/q is below its potential, min(q·Σ, p·top) / p. A row
    # of no stratum reads p = q = 0, which never caps.
    strata = plan.profile_strata[profiles]
    cover_p, cover_q = plan.cover_p[strata], plan.cover_q[strata]
    cap = cover_q * potential > cover_p
    numerator = np.where(cap, np.minimum(cover_q * raw, cover_p * top), raw)
    denominator = np.where(cap, cover_p, potential)

    # Themes: issues are grouped by theme, each brought to the theme's common denominator.
    lcm = np.lcm if dtype is not object else np.frompyfunc(math.lcm, 2, 1)
    one = np.ones(count, dtype=dtype)
    starts, owner, weights = plan.theme_starts, plan.theme_of_issue, plan.issue_weights
    safe = np.where(kept, denominator, 1)
    commons = lcm.reduceat(safe, starts, axis=1) if count else safe[:, starts]
    totals = np.add.reduceat(np.where(kept, weights, 0), starts, axis=1) if count else commons
    shares = weights * (commons[:, owner] // safe) * np.where(kept, numerator, 0)
    themes_numerator = np.add.reduceat(shares, starts, axis=1) if count else commons
    themes_denominator = commons * totals
    # A theme covered at a breadth p/q of issues: min(q·Σ, p·common·top) / (p·common).
    breadth_p, breadth_q = plan.breadth_p[strata][:, None], plan.breadth_q[strata][:, None]
    cap = breadth_q * totals > breadth_p
    themes_numerator = np.where(
        cap, np.minimum(breadth_q * themes_numerator, breadth_p * commons * top), themes_numerator
    )
    themes_denominator = np.where(cap, breadth_p * commons, themes_denominator)
    # The score: the themes brought to one common denominator, row by row.
    theme_kept = themes_denominator > 0
    safe_themes = np.where(theme_kept, themes_denominator, 1)
    common = lcm.reduce(safe_themes, axis=1) if count else one
    theme_weights = np.where(theme_kept, plan.theme_weight_row, 0)
    score_numerator = (theme_weights * (common[:, None] // safe_themes) * themes_numerator).sum(
        axis=1
    )
    score_denominator = common * theme_weights.sum(axis=1)
    has_score = score_denominator > 0

    # The values the conditions compare (only those they name).
    scale = plan.scale
    values: dict[tuple[QuantityKind, str], tuple[Any, Any, Any]] = {
        (QuantityKind.SCORE, ""): (score_numerator, score_denominator * scale, None),
    }
    for t, theme_id in plan.named_themes:
        values[QuantityKind.THEME, theme_id] = (
            themes_numerator[:, t],
            themes_denominator[:, t] * scale,
            theme_kept[:, t],
        )
    for i, issue_id in plan.named_issues:
        values[QuantityKind.ISSUE, issue_id] = (
            numerator[:, i],
            denominator[:, i] * scale,
            kept[:, i],
        )

    grades = np.zeros(count, dtype=np.int64)
    gate_grades = np.zeros(count, dtype=np.int64) if gates else None
    for arobases, conditions in plan.rules:
        holds = np.ones(count, dtype=bool)
        holds_gates = np.ones(count, dtype=bool)
        for minimum, condition, atoms in conditions:
            into = holds if minimum else holds_gates
            for atom in atoms:
                match atom:
                    case AtLeast():
                        found = values.get((atom.kind, atom.id))
                        if found is None:
                            continue  # no such theme or issue: waived everywhere
                        n, d, present = found
                        threshold = atom.threshold
                        reached = np.asarray(
                            n * threshold.denominator >= threshold.numerator * d, dtype=bool
                        )
                        if present is None:  # the score: 0 when nothing is concerned
                            reached = np.where(has_score, reached, threshold <= 0)
                        else:
                            reached |= ~present
                        into &= reached
                    case Deployed():
                        j = plan.position.get(atom.service)
                        if j is None:
                            into[:] = False
                        else:
                            # Concerned and not deployed fails; a slot out of the
                            # denominators (excluded, opted out) waives it.
                            slot = cells[:, j]
                            deployed = slot == j * _SLOTS + _DEPLOYED + 1
                            into &= ~plan.concerned[slot] | deployed
                    case GradeAtLeast():  # pragma: no cover - a mention's condition
                        msg = f"a grade rule cannot hold {condition!r}"
                        raise TypeError(msg)
                    case _:
                        assert_never(atom)
        holds &= holds_gates
        grades = np.maximum(grades, np.where(holds, arobases, 0))
        if gate_grades is not None:
            gate_grades = np.maximum(gate_grades, np.where(holds_gates, arobases, 0))
    numerators = np.where(has_score, score_numerator, 0)
    denominators = np.where(has_score, score_denominator * scale, 1)
    if dtype is object:
        numerators, denominators = numerators.astype(object), denominators.astype(object)
    awarded = None
    if mentions:
        awarded = [
            _mention(np, plan, values, cells, grades, has_score, rule) for rule in plan.mentions
        ]
    return grades, numerators, denominators, gate_grades, awarded


def _mention(  # noqa: PLR0917 - the arrays of one evaluation
    np: Any,
    plan: _Plan,
    values: dict[tuple[QuantityKind, str], tuple[Any, Any, Any]],
    cells: Any,
    grades: Any,
    has_score: Any,
    rule: tuple[str, int, list[Any]],
) -> Any:
    """Whether each row is awarded one mention: every condition holds, and not all are waived."""
    _, conditions, atoms = rule
    count = len(grades)
    holds = np.ones(count, dtype=bool)
    waived = np.zeros(count, dtype=np.int64)
    for atom in atoms:
        match atom:
            case AtLeast():
                found = values.get((atom.kind, atom.id))
                if found is None:
                    waived += 1
                    continue
                n, d, present = found
                threshold = atom.threshold
                reached = np.asarray(
                    n * threshold.denominator >= threshold.numerator * d, dtype=bool
                )
                if present is None:  # pragma: no cover - a mention reads themes and issues
                    present = has_score
                holds &= reached | ~present
                waived += ~present
            case Deployed():
                j = plan.position[atom.service]
                slot = cells[:, j]
                concerned = plan.concerned[slot]
                holds &= ~concerned | (slot == j * _SLOTS + _DEPLOYED + 1)
                waived += ~concerned
            case GradeAtLeast():
                holds &= grades >= atom.grade
            case _:
                assert_never(atom)
    return holds & (conditions - waived > 0)


class _AllScored:
    """Every theme and issue, for `Condition.atoms`: rows without a score waive theirs."""

    __slots__ = ("issues", "themes")

    def __init__(self, themes: dict[str, int], issues: list[str]) -> None:
        self.themes = themes
        self.issues = dict.fromkeys(issues, 0)


def _profiles(np: Any, plan: _Plan, read: _Read) -> Any:
    """The profile of each row: its kind's code times the brackets, plus its population's bracket."""
    populations = read.populations
    if populations.dtype == object or (len(populations) and populations.max() >= _INT64_LIMIT):
        # Populations beyond int64: each bracket found by Python's comparisons.
        bounds = plan.bounds
        brackets = np.fromiter(
            (bisect_right(bounds, population) for population in populations.tolist()),
            dtype=np.int64,
            count=len(populations),
        )
    else:
        # Every population is below `_INT64_LIMIT`: so are the clipped bounds it meets.
        brackets = np.searchsorted(plan.bounds_array, populations, side="right")
    return read.kinds * plan.brackets + brackets


def _dtype(
    np: Any,
    *,
    ruleset: Ruleset,
    structure: Structure,
    issue_ids: list[str],
    issue_weight: dict[str, int],
    theme_nodes: Any,
    coverage: list[list[Fraction]],
    breadths: list[Fraction],
) -> Any:
    """``int64`` when no value of the evaluation can reach 2**62, ``object`` otherwise.

    Every denominator an issue can have divides the lcm of 1..its largest
    possible value; a theme's and the score's likewise. The bound is loose but
    cheap, and exact arithmetic never depends on it (``object`` is exact too).
    """
    top = max(structure.units.values())
    largest_p = {
        issue_id: max((row[i].numerator for row in coverage), default=0)
        for i, issue_id in enumerate(issue_ids)
    }
    score_multiple = 1
    for _, theme_weight, issues in theme_nodes:
        theme_multiple = 1
        issue_total = 0
        for issue_id, weight, nodes in issues:
            if not nodes:
                continue
            potential = sum(w for _, w in nodes)
            largest = max(potential, largest_p.get(issue_id, 0))
            theme_multiple = math.lcm(theme_multiple, _lcm_range(largest))
            issue_total += weight
            if theme_multiple >= _INT64_LIMIT:
                return object
        del theme_weight
        widest = max([issue_total, *(b.numerator for b in breadths)])
        spread = max([1, *(b.denominator for b in breadths)])
        score_multiple = math.lcm(score_multiple, theme_multiple * _lcm_range(widest) * spread)
        if score_multiple >= _INT64_LIMIT:
            return object
    theme_total = sum(weight for _, weight, _ in theme_nodes)
    weight_most = max([1, *issue_weight.values(), *(w for _, w, _ in theme_nodes)])
    denominator = score_multiple * theme_total * structure.scale * weight_most
    largest_threshold = 1
    for rule in ruleset.grades:
        for condition in conditions_of(rule):
            threshold = getattr(condition, "threshold", None)
            if isinstance(threshold, Fraction):
                largest_threshold = max(
                    largest_threshold, abs(threshold.numerator), threshold.denominator
                )
    q_most = max((c.denominator for row in coverage for c in row), default=1)
    bound = denominator * (top + 1) * largest_threshold * q_most * 4
    return np.int64 if bound < _INT64_LIMIT else object
