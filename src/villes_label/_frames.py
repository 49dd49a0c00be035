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
from fractions import Fraction
from functools import reduce
from itertools import chain, compress, count, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, assert_never, cast

from villes_label._conditions import AtLeast, Deployed, GradeAtLeast
from villes_label._conditions import conditions as conditions_of
from villes_label._errors import InvalidInput, unknown_id
from villes_label._linear import QuantityKind, Structure
from villes_label._scoring import check_ids
from villes_label._territory import Dossier, Status, TerritoryKind, effective_entries
from villes_label._values import is_instance, plain_dict

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pandas import DataFrame

    from villes_label._rules import Ruleset
    from villes_label._taxonomy import Taxonomy

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
_BLOCK = 2048
"""How many rows `grade_frame` evaluates at once."""
_KIND = attrgetter("kind")
_SERVICES = attrgetter("services")
_ACTIONS = attrgetter("actions")
_POPULATION = attrgetter("population")


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
    ('deployed', (1, 92))
    """
    np, pd = _modules()
    items = list(dossiers) if not isinstance(dossiers, (list, tuple)) else dossiers
    problems = [
        f"dossiers[{n}]: expected a Dossier, got {type(item).__name__}"
        for n, item in enumerate(items)
        if not is_instance(item, Dossier)
    ]
    if problems:
        raise InvalidInput(*problems)
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
    code_of = {status: STATUS_VALUES.index(status.value) for status in Status}
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
    data: dict[str, Any] = {
        "code": pd.Series([t.code for t in territories], dtype=object),
        "name": pd.Series([t.name for t in territories], dtype=object),
        "kind": pd.Categorical([t.kind.value for t in territories], categories=KIND_VALUES),
        "population": np.array([t.population for t in territories], dtype=np.int64),
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
            self.codes[start:stop],
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
        msg = f"frame: expected a pandas DataFrame, got {type(frame).__name__}"
        raise InvalidInput(msg)
    order = tuple(service.id for service in ruleset.taxonomy.services)
    if {"service", "status"} <= set(frame.columns):
        read = _read_long(np, pd, frame, territories, order)
    else:
        read = _read_wide(np, pd, frame, order)
    # In blocks of rows, so that the arrays of a block stay in the processor's caches.
    parts = [
        _evaluate(np, ruleset, block)
        for block in (
            read.rows(start, start + _BLOCK) for start in range(0, len(read.codes), _BLOCK)
        )
    ] or [_evaluate(np, ruleset, read)]
    grades, numerators, denominators = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    scores = list(map(Fraction, numerators.tolist(), denominators.tolist()))
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


def _territory_problems(
    np: Any, pd: Any, frame: Any, labels: list[str]
) -> tuple[Any, Any, list[str]]:
    """Kind codes and populations of *frame*'s rows, and every problem found in them."""
    problems: list[str] = []
    kind_codes, _ = _codes(np, pd, frame["kind"], KIND_VALUES)
    kind_codes = kind_codes.astype(np.int64)
    raw_kinds = frame["kind"].to_numpy(dtype=object)
    for n in np.flatnonzero(kind_codes < 0):
        problems.append(f"rows[{labels[n]}].kind: {raw_kinds[n]!r} is not a territory kind")
    population = frame["population"]
    if pd.api.types.is_bool_dtype(population) or not pd.api.types.is_integer_dtype(population):
        values = population.to_numpy(dtype=object)
        good = [is_instance(v, int) and not isinstance(v, bool) and v >= 0 for v in values]
        for n, ok in enumerate(good):
            if not ok:
                problems.append(
                    f"rows[{labels[n]}].population: expected an int >= 0, got {values[n]!r}"
                )
        populations = np.array(
            [v if ok else 0 for v, ok in zip(values, good, strict=True)], dtype=object
        )
    else:
        populations = population.to_numpy()
        for n in np.flatnonzero(populations < 0):
            problems.append(f"rows[{labels[n]}].population: must be >= 0, got {populations[n]}")
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
    found = pd.Index(categories).get_indexer(column.to_numpy(dtype=object)).astype(np.int8)
    invalid = np.flatnonzero((found < 0) & column.notna().to_numpy())
    return found, invalid


def _status_codes(np: Any, pd: Any, column: Any) -> tuple[Any, Any]:
    """Status codes of one column (-1 when missing), and the positions of invalid values."""
    return _codes(np, pd, column, STATUS_VALUES)


def _read_wide(np: Any, pd: Any, frame: Any, order: tuple[str, ...]) -> _Read:
    problems: list[str] = [
        f"frame: missing column {name!r}"
        for name in ("code", "kind", "population")
        if name not in frame.columns
    ]
    if problems:
        raise InvalidInput(*problems)
    codes = frame["code"].to_numpy(dtype=object)
    labels = [str(code) for code in codes]
    kind_codes, populations, problems = _territory_problems(np, pd, frame, labels)
    known = set(order)
    position = {sid: j for j, sid in enumerate(order)}
    statuses = np.full((len(frame), len(order)), -1, dtype=np.int8)
    for column in frame.columns:
        if column in TERRITORY_COLUMNS:
            continue
        values = frame[column]
        if column not in known:
            if values.notna().any():
                problems.append(f"columns.{column}: {unknown_id('service', str(column), known)}")
            continue
        column_codes, invalid = _status_codes(np, pd, values)
        raw = values.to_numpy(dtype=object)
        problems.extend(
            f"rows[{labels[n]}].{column}: unknown status {raw[n]!r} (one of {', '.join(STATUS_VALUES)})"
            for n in invalid
        )
        statuses[:, position[column]] = column_codes
    if problems:
        raise InvalidInput(*problems)
    return _Read(frame.index, codes, kind_codes, populations, statuses)


def _read_long(np: Any, pd: Any, frame: Any, territories: Any, order: tuple[str, ...]) -> _Read:
    missing = [
        f"frame: missing column {name!r}" for name in LONG_COLUMNS if name not in frame.columns
    ]
    source = frame if territories is None else territories
    if territories is not None and not isinstance(territories, pd.DataFrame):
        missing.append(
            f"territories: expected a pandas DataFrame, got {type(territories).__name__}"
        )
    elif not missing:
        missing.extend(
            f"{'frame' if territories is None else 'territories'}: missing column {name!r}"
            for name in ("code", "kind", "population")
            if name not in source.columns
        )
    if missing:
        raise InvalidInput(*missing)
    # One row per territory, in order of first appearance in the long frame.
    row_of, codes = pd.factorize(frame["code"], sort=False)
    people = source.drop_duplicates(subset=["code", "kind", "population"])
    problems: list[str] = []
    duplicated = people["code"].duplicated(keep=False).to_numpy()
    problems.extend(
        f"territories[{code}]: the rows disagree on its kind or population"
        for code in sorted({str(c) for c in people["code"][duplicated]})
    )
    people = people.drop_duplicates(subset=["code"]).set_index("code")
    absent = [code for code in codes if code not in people.index]
    problems.extend(f"territories[{code}]: no kind and population for this code" for code in absent)
    if problems:
        raise InvalidInput(*problems)
    people = people.loc[list(codes)].reset_index()
    labels = [str(code) for code in codes]
    kind_codes, populations, problems = _territory_problems(np, pd, people, labels)
    position = {sid: j for j, sid in enumerate(order)}
    services = frame["service"].to_numpy(dtype=object)
    columns = np.array([position.get(sid, -1) for sid in services], dtype=np.int64)
    known = set(order)
    for n in np.flatnonzero(columns < 0):
        problems.append(f"rows[{n}].service: {unknown_id('service', str(services[n]), known)}")
    status_codes, invalid = _status_codes(np, pd, frame["status"])
    raw = frame["status"].to_numpy(dtype=object)
    problems.extend(
        f"rows[{n}].status: unknown status {raw[n]!r} (one of {', '.join(STATUS_VALUES)})"
        for n in invalid
    )
    pairs = pd.DataFrame({"row": row_of, "column": columns})
    for n in np.flatnonzero(pairs.duplicated().to_numpy()):
        problems.append(f"rows[{n}]: {labels[row_of[n]]} names service {services[n]!r} twice")
    if problems:
        raise InvalidInput(*problems)
    statuses = np.full((len(codes), len(order)), -1, dtype=np.int8)
    statuses[row_of, columns] = status_codes
    index = pd.RangeIndex(len(codes))
    return _Read(index, np.asarray(codes, dtype=object), kind_codes, populations, statuses)


# --- dossiers straight to integer arrays ------------------------------------------------


def numpy_or_none() -> Any:
    """The module numpy if it is installed, else ``None`` (it only speeds things up)."""
    try:
        import numpy as np  # noqa: PLC0415 - optional, loaded on first use
    except ImportError:
        return None
    return np


def dossier_rows(
    np: Any, ruleset: Ruleset, gateless: Ruleset | None, dossiers: Sequence[Dossier]
) -> list[tuple[int, int, int, int]]:
    """Grade, gate grade, score numerator and denominator of each dossier, on integer arrays.

    What `Scorer` uses for dossiers whose opt-outs give each its own denominators:
    the same evaluation as `grade_frame`, read from the dossiers at C speed.
    *gateless* is *ruleset* with every minimum score at 0 (for the gate grade;
    ``None`` when the caller needs no gate grade: it is then the grade).
    Every item must be a `Dossier`.

    Raises:
        InvalidInput: a dossier names a service the ruleset's taxonomy lacks
            (the error of `assess`).
    """
    order = tuple(service.id for service in ruleset.taxonomy.services)
    position = {sid: j for j, sid in enumerate(order)}
    code_of = {status: STATUS_VALUES.index(status.value) for status in Status}
    kind_of = {kind: KIND_VALUES.index(kind.value) for kind in TerritoryKind}
    # The dossiers' own entries first, then each action raises its services: the
    # status codes of ABSENT..DEPLOYED are in credit order, and an action never
    # delivers a service declared not applicable.
    entries = list(map(plain_dict, map(_SERVICES, dossiers)))
    width = len(order)
    lengths = np.fromiter(map(len, entries), dtype=np.int64, count=len(entries))
    # One pass: the status picks a table, the service id gives position * 8 + status code.
    cell_of = {
        status: {sid: 8 * j + code_of[status] for sid, j in position.items()} for status in Status
    }
    cells = np.fromiter(
        map(
            dict.get,
            map(cell_of.__getitem__, chain.from_iterable(map(dict.values, entries))),
            chain.from_iterable(entries),
            repeat(-1),
        ),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    if len(cells) and cells.min() < 0:
        # An id the taxonomy lacks: report it as `assess` does.
        rows = np.repeat(np.arange(len(entries)), lengths)
        check_ids(dossiers[int(rows[int(np.argmax(cells < 0))])], ruleset)
    columns = cells >> 3
    values = (cells & 7).astype(np.int8)
    statuses = np.full(len(entries) * width, -1, dtype=np.int8)
    statuses[np.repeat(np.arange(len(entries)) * width, lengths) + columns] = values
    lifted: list[int] = []
    raised: list[int] = []
    for n in compress(count(), map(_ACTIONS, dossiers)):
        base = n * width
        year = dossiers[n].year
        for action in dossiers[n].actions:
            at = list(map(position.get, action.services, repeat(-1)))
            if -1 in at:
                check_ids(dossiers[n], ruleset)
            if not action.counts_in(year):
                continue  # the label's rule: over two years old and not ongoing
            lifted.extend(map(base.__add__, at))
            raised.extend(repeat(code_of[action.status], len(at)))
    if lifted:
        np.maximum.at(statuses, np.array(lifted, dtype=np.int64), np.array(raised, dtype=np.int8))
    territories = [dossier.territory for dossier in dossiers]
    read = _Read(
        None,
        np.zeros(len(entries)),
        np.fromiter(map(kind_of.__getitem__, map(_KIND, territories)), dtype=np.int64),
        np.array(list(map(_POPULATION, territories)), dtype=object),
        statuses.reshape(len(entries), width),
    )
    if len(read.populations) and max(read.populations) < _INT64_LIMIT:
        read.populations = read.populations.astype(np.int64)
    grades, numerators, denominators = _evaluate(np, ruleset, read)
    gates = grades if gateless is None else _evaluate(np, gateless, read)[0]
    return list(
        zip(
            grades.tolist(), gates.tolist(), numerators.tolist(), denominators.tolist(), strict=True
        )
    )


# --- the evaluation ---------------------------------------------------------------------


def _lcm_range(top: int) -> int:
    return math.lcm(1, *range(1, top + 1))


def _evaluate(np: Any, ruleset: Ruleset, read: _Read) -> tuple[Any, Any, Any]:
    """Grades, score numerators and denominators of every row of *read*."""
    structure = Structure(ruleset)
    order = structure.order
    index = {sid: j for j, sid in enumerate(order)}
    count = len(read.codes)
    scale, units = structure.scale, structure.units
    top = units[Status.DEPLOYED]

    # Concerned services: applicability (kind, population), then opt-outs.
    kinds = list(TerritoryKind)
    allowed_kind = np.ones((len(kinds), len(order)), dtype=bool)
    low = np.zeros(len(order), dtype=object)
    high = np.full(len(order), None, dtype=object)
    may_opt_out = np.zeros(len(order), dtype=bool)
    restricted = np.zeros(len(order), dtype=bool)
    for sid, applicability in structure.restricted.items():
        j = index.get(sid)
        if j is None:
            continue
        restricted[j] = True
        allowed_kind[:, j] = [kind in applicability.kinds for kind in kinds]
        low[j], high[j] = applicability.min_population, applicability.max_population
        may_opt_out[j] = applicability.opt_out
    statuses = read.statuses
    populations = read.populations
    concerned = allowed_kind[read.kinds] if count else np.ones((0, len(order)), dtype=bool)
    for j in np.flatnonzero(restricted):
        in_range = populations >= low[j]
        if high[j] is not None:
            in_range &= populations < high[j]
        concerned[:, j] &= np.asarray(in_range, dtype=bool)
    concerned &= ~((statuses == _NOT_APPLICABLE) & may_opt_out)
    credit = np.array(
        [
            units[Status.ABSENT],
            units[Status.PLANNED],
            units[Status.PARTIAL],
            top,
            units[Status.ABSENT],
        ]
    )
    # Missing (-1) reads as absent; a refused opt-out earns as absent.
    filled = np.where(statuses < 0, _ABSENT, statuses)

    # Issues: services are grouped by issue; sums per row with reduceat.
    theme_nodes = structure.themes
    issue_ids: list[str] = []
    theme_of_issue: list[int] = []
    columns: list[int] = []
    weights: list[int] = []
    starts: list[int] = []
    for t, (_, _, issues) in enumerate(theme_nodes):
        for issue_id, _, nodes in issues:
            if not nodes:
                continue
            starts.append(len(columns))
            issue_ids.append(issue_id)
            theme_of_issue.append(t)
            for sid, weight in nodes:
                columns.append(index[sid])
                weights.append(weight)
    issue_weight = {
        issue_id: weight for _, _, issues in theme_nodes for issue_id, weight, _ in issues
    }
    theme_weights = [weight for _, weight, _ in theme_nodes]

    # Size-aware expectations: per row, the stratum's coverage of each issue.
    strata = _strata(np, structure, read)
    coverage = [
        [expectation.coverage_of(issue_id) for issue_id in issue_ids]
        for expectation in structure.expectations
    ]
    breadths = [expectation.theme_breadth for expectation in structure.expectations]

    dtype = _dtype(
        np,
        ruleset=ruleset,
        structure=structure,
        issue_ids=issue_ids,
        issue_weight=issue_weight,
        theme_nodes=theme_nodes,
        coverage=coverage,
        breadths=[b for b in breadths if b is not None],
    )
    w = np.array(weights, dtype=dtype)
    identity = columns == list(range(len(order)))
    picked = concerned if identity else concerned[:, columns]
    codes = filled if identity else filled[:, columns]
    # Weighted credit of each (service, status code): one gather per cell.
    weighted = (w[:, None] * credit.astype(dtype)[None, :]).astype(dtype, copy=False)
    starts_array = np.array(starts, dtype=np.int64)
    if columns and count:
        cells = weighted[np.arange(len(columns)), codes]
        cells[~picked] = 0
        raw = np.add.reduceat(cells, starts_array, axis=1)
        potential = np.add.reduceat(np.where(picked, w, 0).astype(dtype), starts_array, axis=1)
    elif columns:
        raw = potential = np.zeros((0, len(starts)), dtype=dtype)
    else:
        raw = potential = np.zeros((count, 0), dtype=dtype)
    kept = potential > 0
    numerator = raw.copy()
    denominator = potential.copy()
    for s, row_coverage in enumerate(coverage):
        rows = strata == s
        if not rows.any():
            continue
        for i, expected in enumerate(row_coverage):
            p, q = expected.numerator, expected.denominator
            # Saturates when the expectation is below the potential: min(q·Σ, p·top) / p.
            cap = rows & (q * potential[:, i] > p)
            numerator[:, i] = np.where(cap, np.minimum(q * raw[:, i], p * top), numerator[:, i])
            denominator[:, i] = np.where(cap, p, denominator[:, i])

    lcm = np.lcm if dtype is not object else np.frompyfunc(math.lcm, 2, 1)
    one = np.ones(count, dtype=dtype)
    theme_numerators: list[Any] = []
    theme_denominators: list[Any] = []
    for t in range(len(theme_nodes)):
        members = [i for i, owner in enumerate(theme_of_issue) if owner == t]
        safe = [np.where(kept[:, i], denominator[:, i], 1) for i in members]
        common = reduce(lcm, safe, one)
        total = sum((np.where(kept[:, i], issue_weight[issue_ids[i]], 0) for i in members), one * 0)
        theme_numerator = sum(
            (
                issue_weight[issue_ids[i]]
                * (common // d)
                * np.where(kept[:, i], numerator[:, i], 0)
                for i, d in zip(members, safe, strict=True)
            ),
            one * 0,
        )
        theme_denominator = common * total
        for s, breadth in enumerate(breadths):
            if breadth is None:
                continue
            # A theme covered at a breadth p/q of issues: min(q·Σ, p·common·top) / (p·common).
            p, q = breadth.numerator, breadth.denominator
            cap = (strata == s) & (q * total > p)
            theme_numerator = np.where(
                cap, np.minimum(q * theme_numerator, p * common * top), theme_numerator
            )
            theme_denominator = np.where(cap, p * common, theme_denominator)
        theme_numerators.append(theme_numerator)
        theme_denominators.append(theme_denominator)
    theme_kept = [d > 0 for d in theme_denominators]
    safe_themes = [np.where(k, d, 1) for k, d in zip(theme_kept, theme_denominators, strict=True)]
    common = reduce(lcm, safe_themes, one)
    score_numerator = sum(
        (
            weight * (common // d) * np.where(k, n, 0)
            for weight, d, k, n in zip(
                theme_weights, safe_themes, theme_kept, theme_numerators, strict=True
            )
        ),
        one * 0,
    )
    score_denominator = common * sum(
        (np.where(k, weight, 0) for weight, k in zip(theme_weights, theme_kept, strict=True)),
        one * 0,
    )
    has_score = score_denominator > 0

    values: dict[tuple[QuantityKind, str], tuple[Any, Any, Any]] = {
        (QuantityKind.SCORE, ""): (score_numerator, score_denominator * scale, None),
    }
    theme_index = {theme_id: t for t, (theme_id, _, _) in enumerate(theme_nodes)}
    for theme_id, t in theme_index.items():
        values[QuantityKind.THEME, theme_id] = (
            theme_numerators[t],
            theme_denominators[t] * scale,
            theme_kept[t],
        )
    for i, issue_id in enumerate(issue_ids):
        values[QuantityKind.ISSUE, issue_id] = (
            numerator[:, i],
            denominator[:, i] * scale,
            kept[:, i],
        )

    scored = _AllScored(theme_index, issue_ids)
    deployed = filled == _DEPLOYED
    grades = np.zeros(count, dtype=np.int64)
    for rule in ruleset.grades:
        holds = np.ones(count, dtype=bool)
        for condition in conditions_of(rule):
            for atom in condition.atoms(scored):
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
                        holds &= reached
                    case Deployed():
                        j = index.get(atom.service)
                        if j is None:
                            holds[:] = False
                        else:
                            holds &= ~concerned[:, j] | deployed[:, j]
                    case GradeAtLeast():  # pragma: no cover - a mention's condition
                        msg = f"a grade rule cannot hold {condition!r}"
                        raise TypeError(msg)
                    case _:
                        assert_never(atom)
        grades = np.maximum(grades, np.where(holds, rule.arobases, 0))
    numerators = np.where(has_score, score_numerator, 0)
    denominators = np.where(has_score, score_denominator * scale, 1)
    if dtype is object:
        numerators, denominators = numerators.astype(object), denominators.astype(object)
    return grades, numerators, denominators


class _AllScored:
    """Every theme and issue, for `Condition.atoms`: rows without a score waive theirs."""

    __slots__ = ("issues", "themes")

    def __init__(self, themes: dict[str, int], issues: list[str]) -> None:
        self.themes = themes
        self.issues = dict.fromkeys(issues, 0)


def _strata(np: Any, structure: Structure, read: _Read) -> Any:
    """The index of each row's expectation (the first that covers it), -1 when none."""
    strata = np.full(len(read.codes), -1, dtype=np.int64)
    kinds = list(TerritoryKind)
    for s, expectation in reversed(list(enumerate(structure.expectations))):
        kind_ok = np.array([kind in expectation.kinds for kind in kinds], dtype=bool)
        rows = kind_ok[read.kinds] & np.asarray(
            read.populations >= expectation.min_population, dtype=bool
        )
        if expectation.max_population is not None:
            rows &= np.asarray(read.populations < expectation.max_population, dtype=bool)
        strata = np.where(rows, s, strata)
    return strata


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
