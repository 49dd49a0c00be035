"""The scoring formula compiled once per ruleset, to grade whole cohorts fast.

`assess` is the one formula and says *why*; a `Scorer` only says *what*
(grade, score), for tens of thousands of dossiers a second, and is checked
against `assess` by the tests.

How. Once the set of concerned services is known, every score (overall,
theme, issue) is linear in the credits: an integer numerator over a fixed
denominator. The concerned set depends only on the territory's kind, its
population bracket (between two consecutive bounds of the applicability
rules) and the opt-outs it declares. For each *profile* (kind, bracket) the
scorer compiles a table ``(status, service id) -> int`` whose values pack,
in disjoint bit fields of one int, what the entry adds to every quantity a
grade rule reads: the overall score, the gated theme and issue scores, the
count of deployed required services, and a marker counting opt-outs. A
dossier's packed sum is one C-level ``sum(map(getitem, tables, service_ids))``;
fields never carry into each other, since each is wide enough for its largest
total, and for the label's own rules the whole sum fits a machine word, which
keeps `sum` on its fast path.

The grade is then read without a Python loop per dossier. One multiplication
copies the packed sum once per threshold, a mask keeps in each copy only the
field that threshold reads, and adding ``2**width - threshold`` to each copy
sets the bit just above it exactly when the threshold is reached. Those guard
bits decide the grade through a small per-profile memo. Everything is integer
arithmetic over exact denominators: no float, no rounding.

A dossier that opts out of a service changes its own profile (the service
leaves every denominator): the opt-out marker sets it apart. With numpy
installed, the dossiers set apart are evaluated together on integer arrays,
each row with its own issue, theme and score denominators (the evaluation of
`Scorer.grade_frame`, in `villes_label._frames`); so are all dossiers under
size-aware expectations, whose issues saturate. Without numpy, each is read
through a table compiled for its exact concerned set (or by `assess`, under
expectations). That is the only way off the cohort path, and the
code says so where it happens; nothing is caught and retried. A value that is
not a dossier, or a service id the ruleset does not know, is checked before
any table is read, and raises the `InvalidInput` that `assess` raises.

The tables are compiled from the one linear form of the scores
(`villes_label._linear`), and the rules from their conditions
(`villes_label._conditions`): the scorer re-derives neither.
"""

from __future__ import annotations

import math
import operator
from bisect import bisect_right
from collections import abc
from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import compress, count, repeat
from typing import TYPE_CHECKING, Any, assert_never, cast

import attrs

from villes_label._check import read
from villes_label._conditions import AtLeast, Deployed, GradeAtLeast, MinScore
from villes_label._conditions import conditions as conditions_of
from villes_label._errors import InvalidInput, Problem
from villes_label._frames import (
    compile_plan,
    dossier_grades,
    dossier_rows,
    numpy_or_none,
    plain_rows,
)
from villes_label._linear import CREDITED, Quantity, QuantityKind, Structure
from villes_label._rules import Ruleset
from villes_label._scoring import Assessment, assess, check_ids, read_retired_ids
from villes_label._territory import Dossier, Status, Territory, TerritoryKind, effective_entries
from villes_label._values import fractions_of, is_instance, plain_dict

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from pandas import DataFrame

__all__ = ["CohortSummary", "Scorer"]

_UNDECIDED = -1
"""What a profile's memo answers for a dossier that opted out of a service."""
_MAX_OPT_OUT_PROFILES = 512
"""Profiles compiled for the opt-out patterns of single dossiers, kept at most (memory bound)."""
_REPRESENTATIVE_CODES = {
    kind: "01001" if kind is TerritoryKind.COMMUNE else "200000000" for kind in TerritoryKind
}

# Readers applied at C speed over whole cohorts.
_SERVICES = operator.attrgetter("services")
_ACTIONS = operator.attrgetter("actions")
_KIND = operator.attrgetter("territory.kind")
_POPULATION = operator.attrgetter("territory.population")
_BY_STATUS = operator.attrgetter("by_status")
_REPLICATOR = operator.attrgetter("replicator")
_SELECT = operator.attrgetter("select")
_OFFSETS = operator.attrgetter("offsets")
_GUARDS = operator.attrgetter("guards")
_GRADES = operator.attrgetter("grade_memo")
_DENOMINATOR = operator.attrgetter("denominator")
_GATES = operator.attrgetter("gate_memo")

_Quantity = tuple[str, str]
"""What a condition reads: ("score", ""), ("theme", id), ("issue", id) or ("required", ids)."""
_Condition = tuple[_Quantity, int] | bool | None
"""A compiled condition: always true (None), impossible (False) or (quantity, threshold)."""


class _Memo(dict[int, int]):
    """The grade of each pattern of guard bits, computed on first sight.

    Threads may race on a missing pattern: each computes the same value.
    """

    __slots__ = ("_decide",)

    def __init__(self, decide: Callable[[int], int]) -> None:
        super().__init__()
        self._decide = decide

    def __missing__(self, pattern: int) -> int:
        value = self._decide(pattern)
        self[pattern] = value
        return value


class _Rule:
    """One grade rule compiled for one profile: the guard bits it needs.

    ``need`` holds the guard bits of every condition, ``gates_need`` those of
    every condition but the minimum overall score; a rule with an impossible
    condition is not ``possible``. (A plain class: attrs would add to the
    import time for no gain here.)
    """

    __slots__ = ("arobases", "gates_need", "gates_possible", "need", "possible")

    def __init__(
        self, arobases: int, *, possible: bool, need: int, gates_possible: bool, gates_need: int
    ) -> None:
        self.arobases = arobases
        self.possible, self.need = possible, need
        self.gates_possible, self.gates_need = gates_possible, gates_need


class _Profile:
    """The compiled table of one concerned set, and how to read its packed sums."""

    by_status: Callable[[Status], dict[str, int]]
    opt_outs: frozenset[str]
    opt_out_shift: int | None
    opt_out_guard: int
    replicator: int
    select: int
    offsets: int
    guards: int
    rules: tuple[_Rule, ...]
    score_mask: int
    score_base: int
    denominator: int
    grade_memo: _Memo
    gate_memo: _Memo

    __slots__ = (
        "by_status",
        "denominator",
        "gate_memo",
        "grade_memo",
        "guards",
        "offsets",
        "opt_out_guard",
        "opt_out_shift",
        "opt_outs",
        "replicator",
        "rules",
        "score_base",
        "score_mask",
        "select",
    )

    def __init__(self, prepared: _Prepared, concerned: Sequence[str]) -> None:
        self.opt_outs = prepared.opt_outs.intersection(concerned)
        _compile(self, prepared, concerned)
        self.grade_memo = _Memo(self._grade)
        self.gate_memo = _Memo(self._gate_grade)

    def _grade(self, pattern: int) -> int:
        if pattern & self.opt_out_guard:
            return _UNDECIDED
        for rule in self.rules:
            if rule.possible and pattern & rule.need == rule.need:
                return rule.arobases
        return 0

    def _gate_grade(self, pattern: int) -> int:
        if pattern & self.opt_out_guard:
            return _UNDECIDED
        for rule in self.rules:
            if rule.gates_possible and pattern & rule.gates_need == rule.gates_need:
                return rule.arobases
        return 0

    def packed(self, entries: Mapping[str, Status]) -> int:
        """The packed sum of a dossier's effective entries (the cohort path does it with maps)."""
        return sum(map(dict.__getitem__, map(self.by_status, entries.values()), entries))

    def pattern(self, packed: int) -> int:
        """The guard bits of one packed sum (the cohort path does the same with maps)."""
        return ((packed * self.replicator) & self.select) + self.offsets & self.guards

    def opted_out(self, packed: int) -> bool:
        """Whether the dossier of *packed* opted out of a service (its profile differs)."""
        return self.opt_out_shift is not None and bool(packed >> self.opt_out_shift)

    def numerator(self, packed: int) -> int:
        """The overall score's numerator over ``self.denominator``."""
        return self.score_base + (packed & self.score_mask)


def _lcm(values: Iterable[int]) -> int:
    return math.lcm(1, *values)


class _Prepared:
    """What every profile of one ruleset shares, read from the ruleset once."""

    __slots__ = ("absent", "delta", "opt_outs", "ruleset", "scale", "structure")

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.structure = Structure(ruleset)
        self.opt_outs = self.structure.opt_outs
        self.absent = ruleset.credits[Status.ABSENT]
        self.scale = self.structure.scale
        units = self.structure.units
        # Entries add their credit above ABSENT's: never negative, since
        # credits grow with the status.
        self.delta = {status: units[status] - units[Status.ABSENT] for status in CREDITED}

    def concerned(self, territory: Territory, opted_out: frozenset[str]) -> tuple[str, ...]:
        """The services that count for *territory* once it opted out of *opted_out*."""
        statuses = dict.fromkeys(opted_out, Status.NOT_APPLICABLE)
        return self.structure.concern(territory, statuses).concerned


def _compile(profile: _Profile, prepared: _Prepared, concerned: Sequence[str]) -> None:
    """Fill *profile* with the packed table of *concerned*."""
    ruleset = prepared.ruleset
    counted = frozenset(concerned)
    absent, scale, delta = prepared.absent, prepared.scale, prepared.delta
    top = delta[Status.DEPLOYED]
    # A quantity is `absent + field / (common · scale)`, its field the sum of
    # unit · delta over the dossier's entries; the linear form gives each
    # quantity's coefficients (unit) and denominator (common).
    form = prepared.structure.form(tuple(concerned))
    units: dict[_Quantity, tuple[int, dict[str, int]]] = {}

    def quantity(key: _Quantity) -> Quantity | None:
        return form.quantity(QuantityKind(key[0]), key[1])

    def unit(key: _Quantity) -> tuple[int, dict[str, int]]:
        if key not in units:
            found = quantity(key)
            if found is None:  # pragma: no cover - `threshold` reads present quantities only
                msg = f"no quantity {key!r}"
                raise LookupError(msg)
            units[key] = (found.denominator or 1, found.coefficient_of())
        return units[key]

    def threshold(key: _Quantity, minimum: Fraction) -> _Condition:
        if quantity(key) is None:
            return None  # a gate on a theme or issue with no concerned service is waived
        if not counted:
            return None if minimum <= 0 else False  # the score of nothing is 0
        common = unit(key)[0]
        needed = math.ceil((minimum - absent) * common * scale)
        if needed <= 0:
            return None
        return False if needed > common * top else (key, needed)

    members: dict[_Quantity, frozenset[str]] = {}
    compiled: list[tuple[int, list[_Condition], list[_Condition]]] = []
    for rule in ruleset.grades:
        minimum: list[_Condition] = []
        gates: list[_Condition] = []
        required: set[str] = set()
        for condition in conditions_of(rule):
            # Calibration moves the minimum score only: the rest are the rule's gates.
            into = minimum if isinstance(condition, MinScore) else gates
            for atom in condition.atoms(form):
                match atom:
                    case AtLeast():
                        into.append(threshold((atom.kind.value, atom.id), atom.threshold))
                    case Deployed():
                        if atom.service in counted:  # else waived
                            required.add(atom.service)
                    case GradeAtLeast():  # pragma: no cover - a mention's condition
                        msg = f"a grade rule cannot hold {condition!r}"
                        raise TypeError(msg)
                    case _:
                        assert_never(atom)
        if required:
            key = ("required", ",".join(sorted(required)))
            members[key] = frozenset(required)
            gates.append((key, len(required)))
        compiled.append((rule.arobases, [*minimum, *gates], gates))

    # One field per quantity read, the overall score lowest, opt-outs on top.
    widths = {key: (unit(key)[0] * top).bit_length() for key in (*units, ("score", ""))}
    widths.update((key, len(ids).bit_length()) for key, ids in members.items())
    conditions = list(dict.fromkeys(c for _, cs, _ in compiled for c in cs if isinstance(c, tuple)))
    shifts = {("score", ""): 0}
    end = widths["score", ""]
    for key, _ in conditions:
        if key not in shifts:
            shifts[key] = end
            end += widths[key]
    opt_outs = sorted(profile.opt_outs & counted)
    if opt_outs:
        profile.opt_out_shift = end
        end += len(opt_outs).bit_length()
    else:
        profile.opt_out_shift = None

    # Copy j of the packed sum (bits j·spacing...) serves condition j; the
    # spare bit of each copy receives its guard.
    spacing = end + 1
    replicator = select = offsets = 0
    guard_of: dict[tuple[_Quantity, int], int] = {}
    for j, (key, needed) in enumerate(conditions):
        at = j * spacing + shifts[key]
        width = widths[key]
        replicator |= 1 << (j * spacing)
        select |= ((1 << width) - 1) << at
        offsets += ((1 << width) - needed) << at
        guard_of[key, needed] = 1 << (at + width)
    profile.opt_out_guard = 0
    if profile.opt_out_shift is not None:
        at = len(conditions) * spacing
        replicator |= 1 << at
        profile.opt_out_guard = ((1 << end) - (1 << profile.opt_out_shift)) << at
        select |= profile.opt_out_guard
    profile.replicator, profile.select, profile.offsets = replicator, select, offsets
    profile.guards = sum(guard_of.values()) | profile.opt_out_guard

    def need(conditions: list[_Condition]) -> int:
        return sum({guard_of[c] for c in conditions if isinstance(c, tuple)})

    profile.rules = tuple(
        _Rule(
            arobases,
            possible=False not in conditions,
            need=need(conditions),
            gates_possible=False not in gates,
            gates_need=need(gates),
        )
        for arobases, conditions, gates in reversed(compiled)
    )
    score_common = unit(("score", ""))[0]
    profile.denominator = score_common * scale
    profile.score_base = int(absent * profile.denominator) if counted else 0
    profile.score_mask = (1 << widths["score", ""]) - 1

    # Per service: the packed value of one unit of credit, and the bonus of
    # being deployed (required services); then the entry of each status.
    per_credit = dict.fromkeys(concerned, 0)
    for key, at in shifts.items():
        if key[0] != "required":
            for sid, size in unit(key)[1].items():
                per_credit[sid] += size << at
    deployed = dict.fromkeys(concerned, 0)
    for key, ids in members.items():
        if key in shifts:
            for sid in ids:
                deployed[sid] += 1 << shifts[key]
    markers = dict.fromkeys(opt_outs, 1 << (profile.opt_out_shift or 0))
    # One table per status, status first: a dossier is read as its values (to
    # pick the table) beside its keys, which is faster than hashing pairs.
    tables: dict[Status, dict[str, int]] = {status: {} for status in Status}
    for _, _, issues in prepared.structure.themes:
        for _, _, services in issues:
            for sid, _ in services:
                packed = per_credit.get(sid, 0)
                for status in CREDITED:
                    tables[status][sid] = delta[status] * packed
                tables[Status.DEPLOYED][sid] += deployed.get(sid, 0)
                # An opt-out changes the profile; a refused one earns as ABSENT (0).
                tables[Status.NOT_APPLICABLE][sid] = markers.get(sid, 0)
    profile.by_status = tables.__getitem__


class _Profiles(dict[tuple[TerritoryKind, int], _Profile]):
    """The profile of each (kind, population bracket), compiled on first use."""

    __slots__ = ("_scorer",)

    def __init__(self, scorer: Scorer) -> None:
        super().__init__()
        self._scorer = scorer

    def __missing__(self, key: tuple[TerritoryKind, int]) -> _Profile:
        profile = self._scorer._profile_of(key, frozenset())  # noqa: SLF001
        self[key] = profile
        return profile


@attrs.frozen
class CohortSummary:
    """What the cohort functions need of a scored cohort, in one pass.

    ``numerators[i] / denominator`` is the exact score of dossier ``i``: one
    common denominator makes the scores comparable and sortable as plain ints.
    ``gate_grades[i]`` is the highest grade whose rule holds for dossier ``i``
    once its minimum overall score is set aside (0 if none): a ruleset that
    only moves the ``min_score`` thresholds grades dossier ``i`` at the highest
    ``g <= gate_grades[i]`` whose threshold its score reaches.

    >>> from villes_label import Scorer, default_ruleset, referential
    >>> summary = Scorer(default_ruleset()).summary([referential.sample_dossier()])
    >>> summary.grades, summary.gate_grades, summary.score(0)
    ((3,), (3,), Fraction(29, 48))
    """

    grades: tuple[int, ...]
    numerators: tuple[int, ...]
    denominator: int
    gate_grades: tuple[int, ...]

    def score(self, index: int) -> Fraction:
        """The exact score of dossier *index*."""
        return Fraction(self.numerators[index], self.denominator)

    def scores(self) -> list[Fraction]:
        """Every exact score, in the order of the dossiers."""
        return [Fraction(n, self.denominator) for n in self.numerators]


def _ruleset(value: object) -> Ruleset:
    if isinstance(value, Ruleset):
        return value
    return read(Ruleset, value, ("ruleset",))  # type: ignore[return-value]


@attrs.frozen(eq=False)
class Scorer:
    """A ruleset compiled once, to grade and score many dossiers fast.

    Its results are exactly those of `assess` (same grade, same exact score)
    at a small fraction of its cost; `assess` remains the place to learn *why*.
    A scorer is picklable (its tables are rebuilt on demand after unpickling,
    never shipped) and safe to share between threads.

    >>> from villes_label import assess, default_ruleset, referential
    >>> rules = default_ruleset()
    >>> scorer = Scorer(rules)
    >>> cohort = referential.synthetic_cohort(200, seed=2)
    >>> grades = scorer.grades(cohort)
    >>> grades == [assess(dossier, rules).grade for dossier in cohort]
    True
    >>> scorer.scores(cohort[:1]) == [assess(cohort[0], rules).score]
    True
    """

    ruleset: Ruleset = attrs.field(converter=_ruleset)
    _bounds: tuple[int, ...] = attrs.field(init=False, repr=False)
    _profiles: _Profiles = attrs.field(init=False, repr=False)
    _opt_out_profiles: dict[tuple[TerritoryKind, int, frozenset[str]], _Profile] = attrs.field(
        init=False, repr=False
    )
    _prepared: _Prepared = attrs.field(init=False, repr=False)
    _by_concerned: dict[tuple[str, ...], _Profile] = attrs.field(init=False, repr=False)
    _gateless: Ruleset | None = attrs.field(init=False, repr=False)
    _known: frozenset[str] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._reset()

    def __str__(self) -> str:
        return f"Scorer for {self.ruleset}"

    def _reset(self) -> None:
        bounds: set[int] = set()
        for rule in self.ruleset.applicability.values():
            bounds.add(rule.min_population)
            if rule.max_population is not None:
                bounds.add(rule.max_population)
        object.__setattr__(self, "_bounds", tuple(sorted(bounds)))
        object.__setattr__(self, "_profiles", _Profiles(self))
        object.__setattr__(self, "_opt_out_profiles", {})
        object.__setattr__(self, "_prepared", _Prepared(self.ruleset))
        object.__setattr__(self, "_by_concerned", {})
        # Size-aware expectations make an issue's score saturate: not a linear
        # sum, so such rulesets are scored by `assess` itself until the packed
        # tables learn saturation.
        gateless = None
        if self.ruleset.expectations:
            gateless = self.ruleset.replace(
                grades=tuple(attrs.evolve(rule, min_score=0) for rule in self.ruleset.grades)
            )
        object.__setattr__(self, "_gateless", gateless)
        object.__setattr__(self, "_known", self.ruleset.taxonomy.service_ids)

    # Pickle the ruleset only: the compiled tables are rebuilt on demand.
    def __getstate__(self) -> dict[str, Any]:
        return {"ruleset": self.ruleset}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        object.__setattr__(self, "ruleset", state["ruleset"])
        self._reset()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scorer):
            return NotImplemented
        return self.ruleset == other.ruleset

    def __hash__(self) -> int:
        return hash((Scorer, self.ruleset))

    # --- the public face --------------------------------------------------------

    def assess(self, dossier: Dossier) -> Assessment:
        """Exactly ``assess(dossier, self.ruleset)``: the full assessment, with reasons."""
        return assess(dossier, self.ruleset)

    def grades(self, dossiers: Iterable[Dossier]) -> list[int]:
        """The grade of each dossier, in order: exactly the grades of `assess`.

        Raises:
            InvalidInput: a dossier names a service unknown to the ruleset, or
                an item is not a `Dossier` (the error `assess` would raise). The
                path of each problem begins with the index of its dossier, and every
                dossier's unknown ids are reported.
        """
        cohort = _sequence(dossiers)
        try:
            return self._grades(cohort)
        except InvalidInput as error:
            raise self._in_cohort(cohort, error) from None

    def _grades(self, cohort: Sequence[Dossier]) -> list[int]:
        np = numpy_or_none() if cohort else None
        # Size-aware expectations, or a cohort that opts out: on integer arrays (every
        # item is a `Dossier`: `_sequence` saw to it).
        if np is not None and (self._gateless is not None or self._opted_out(cohort)):
            arrays = compile_plan(np, self.ruleset)
            grades: list[int] = []
            for start in range(0, len(cohort), _BLOCK):
                grades.extend(dossier_grades(np, arrays, cohort[start : start + _BLOCK]))
            return grades
        if self._gateless is not None:
            return [row[0] for row in self._rows_apart(cohort)]
        apart = self._opted_out(cohort)
        if apart:
            return [row[0] for row in self._mixed_rows(cohort, apart)]
        profiles, packed = self._pack(cohort)
        grades = list(map(_Memo.__getitem__, map(_GRADES, profiles), _patterns(profiles, packed)))
        apart = list(_undecided(grades))
        for n, row in zip(apart, self._rows_apart([cohort[n] for n in apart]), strict=True):
            grades[n] = row[0]
        return grades

    def scores(self, dossiers: Iterable[Dossier]) -> list[Fraction]:
        """The exact overall score of each dossier, in order: exactly those of `assess`.

        Raises:
            InvalidInput: as `grades`.
        """
        cohort = _sequence(dossiers)
        try:
            return self._scores(cohort)
        except InvalidInput as error:
            raise self._in_cohort(cohort, error) from None

    def _scores(self, cohort: Sequence[Dossier]) -> list[Fraction]:
        if self._gateless is not None:
            return _scores_of(self._rows_apart(cohort))
        apart = self._opted_out(cohort)
        if apart:
            return _scores_of(self._mixed_rows(cohort, apart))
        profiles, packed = self._pack(cohort)
        scores = fractions_of(
            map(_Profile.numerator, profiles, packed), map(_DENOMINATOR, profiles)
        )
        # An opt-out changes the profile: those dossiers are scored on their own.
        apart = list(compress(count(), map(_Profile.opted_out, profiles, packed)))
        for n, row in zip(apart, self._rows_apart([cohort[n] for n in apart]), strict=True):
            scores[n] = Fraction(row[2], row[3])
        return scores

    def summary(self, dossiers: Iterable[Dossier]) -> CohortSummary:
        """Grades, exact scores over one denominator and gate grades, in one pass.

        What `calibrate` and `compare` need of a cohort: see `CohortSummary`.

        Raises:
            InvalidInput: as `grades`.
        """
        cohort = _sequence(dossiers)
        try:
            return self._summary(cohort)
        except InvalidInput as error:
            raise self._in_cohort(cohort, error) from None

    def _summary(self, cohort: Sequence[Dossier]) -> CohortSummary:
        apart = self._opted_out(cohort) if self._gateless is None else []
        if self._gateless is not None:
            rows = self._rows_apart(cohort, gates=True)
        elif apart:
            rows = self._mixed_rows(cohort, apart, gates=True)
        else:
            rows = self._packed_rows(cohort)
        common = _lcm({row[3] for row in rows})
        return CohortSummary(
            grades=tuple(row[0] for row in rows),
            numerators=tuple(row[2] * (common // row[3]) for row in rows),
            denominator=common,
            gate_grades=tuple(row[1] for row in rows),
        )

    def grade_frame(self, frame: DataFrame, *, territories: DataFrame | None = None) -> DataFrame:
        """Grade every territory of a DataFrame: exactly the grades and scores of `assess`.

        *frame* is either **wide**, as `dossiers_frame` makes it (columns
        ``code``, ``kind``, ``population``, optionally ``name`` and ``year``, then
        one column per service id holding status values, missing = absent), or
        **long**: one row per declared service with columns ``code``, ``service``
        and ``status``, the territories' ``kind`` and ``population`` taken from
        the same frame or from *territories* (a frame with ``code``, ``kind``,
        ``population``). Statuses are effective statuses: actions are not read.

        A long frame's row that names a service must say its status. A territory
        of *territories* that the long frame never names declares no service: it
        is graded all absent, after the long frame's territories.

        The result has one row per territory (the wide frame's index; for a long
        frame, one row per code in order of first appearance, then those of
        *territories* alone, in their order) and the columns
        ``code``, ``grade``, ``score`` (an exact `Fraction`), ``score_numerator``
        and ``score_denominator`` (integers: ``score == numerator / denominator``)
        and ``score_percent`` (a float, for display). The whole frame is
        evaluated on integer arrays, per-row denominators included (opt-outs,
        population and kind rules): no float reaches a grade.

        Needs the extra ``frames`` (numpy, pandas).

        Raises:
            InvalidInput: every problem of the frame (a missing or repeated
                column, a column holding data that would be ignored, a code that
                `Territory` refuses, an unknown kind, service id or status, a
                missing or negative population...), with its row; a wide row
                whose code is not a str or is another row's too is named by its
                position.
            ImportError: numpy or pandas is missing.

        >>> from villes_label import default_ruleset, dossiers_frame, referential
        >>> frame = dossiers_frame([referential.sample_dossier()])
        >>> Scorer(default_ruleset()).grade_frame(frame)[["code", "grade", "score"]]
            code  grade  score
        0  35999      3  29/48
        """
        from villes_label._frames import grade_frame  # noqa: PLC0415 - needs the extra `frames`

        return grade_frame(self.ruleset, frame, territories=territories)

    def grades_from_data(self, data: object) -> list[int]:
        """The grade of each dossier of *data*, a list of dossiers as plain data (parsed JSON).

        Exactly ``self.grades(from_dict(data, tuple[Dossier, ...]))``, for a
        cohort read from a file: with numpy installed, when every entry is a
        plain, valid dossier (ids of the taxonomy, statuses as their values,
        actions without dates), the statuses go straight from the parsed data to
        the integer arrays, and no `Dossier` is built; anything else is read by
        `from_dict`, which words every problem.

        Raises:
            InvalidInput: every problem of *data*, with its path (what
                `from_dict` raises), or an unknown service id (what `grades` raises).

        >>> from villes_label import default_ruleset, referential, to_dict
        >>> cohort = referential.synthetic_cohort(50, seed=3, opt_out_rate=0.3)
        >>> scorer = Scorer(default_ruleset())
        >>> scorer.grades_from_data([to_dict(d) for d in cohort]) == scorer.grades(cohort)
        True
        """
        rows = plain_rows(self.ruleset, data)
        if rows is not None:
            return [row[2] for row in rows]
        try:  # what `from_dict(data, tuple[Dossier, ...])` does
            cohort = read(tuple[Dossier, ...], data)
        except RecursionError:
            raise InvalidInput("the document is nested too deeply") from None
        return self.grades(cast("tuple[Dossier, ...]", cohort))

    # --- the machinery ----------------------------------------------------------

    def _in_cohort(self, cohort: Sequence[Dossier], error: InvalidInput) -> InvalidInput:
        """*error*, about the ids of a dossier, as problems of the cohort.

        Each path begins with the index of its dossier, and every dossier with
        unknown ids is reported.

        The machinery reads blocks and subsets of the cohort, so it cannot tell the
        index itself; on this error path every dossier is checked again, as `assess`
        checks it. Any other error is returned as it is.
        """
        if not all(problem.path[:1] in {("services",), ("actions",)} for problem in error.details):
            return error
        found: list[Problem] = []
        more = 0
        for n, dossier in enumerate(cohort):
            if is_instance(dossier, Dossier):
                try:
                    check_ids(dossier, self.ruleset)
                except InvalidInput as problems:
                    found.extend(problems.within(n).details)
                    more += problems.more
        return InvalidInput(*found, more=more) if found else error

    def _packed_rows(self, cohort: Sequence[Dossier]) -> list[tuple[int, int, int, int]]:
        """`_row` of every dossier, through the packed tables."""
        profiles, packed = self._pack(cohort)
        patterns = list(_patterns(profiles, packed))
        grades = list(map(_Memo.__getitem__, map(_GRADES, profiles), patterns))
        gates = list(map(_Memo.__getitem__, map(_GATES, profiles), patterns))
        rows = [
            (grade, gate, profile.numerator(value), profile.denominator)
            for grade, gate, profile, value in zip(grades, gates, profiles, packed, strict=True)
        ]
        apart = list(_undecided(grades))
        rows_apart = self._rows_apart([cohort[n] for n in apart], gates=True)
        for n, row in zip(apart, rows_apart, strict=True):
            rows[n] = row
        return rows

    def _pack(self, cohort: Sequence[Dossier]) -> tuple[list[_Profile], list[int]]:
        """The profile and the packed sum of each dossier, at C speed.

        Raises:
            InvalidInput: an item is not a `Dossier`, or names a service that the
                ruleset's taxonomy lacks (what `assess` raises for it).
        """
        # The annotation is a promise callers without a type checker may break.
        if not all(map(isinstance, cohort, repeat(Dossier))):
            raise InvalidInput(
                *(
                    Problem(("dossiers", n), f"expected a Dossier, got {type(item).__name__}")
                    for n, item in enumerate(cohort)
                    if not is_instance(item, Dossier)
                )
            )
        sources: list[dict[str, Status]] = list(map(plain_dict, map(_SERVICES, cohort)))
        for n in compress(count(), map(_ACTIONS, cohort)):
            # Actions raise statuses: read the dossier's effective entries.
            sources[n] = effective_entries(cohort[n])
        # The tables know the taxonomy's services only: an unknown id is the user's
        # mistake, reported with the closest ids.
        known = self._known
        for n in compress(count(), map(operator.not_, map(known.issuperset, sources))):
            check_ids(cohort[n], self.ruleset)
            # Only former ids of the referential are left: read them as their successors.
            sources[n] = effective_entries(read_retired_ids(cohort[n], self.ruleset)[0])
        brackets = map(bisect_right, repeat(self._bounds), map(_POPULATION, cohort))
        keys = zip(map(_KIND, cohort), brackets, strict=True)
        profiles = list(map(self._profiles.__getitem__, keys))
        tables = map(map, map(_BY_STATUS, profiles), map(dict.values, sources))
        packed = list(map(sum, map(map, repeat(dict.__getitem__), tables, sources)))
        return profiles, packed

    def _rows_apart(
        self, dossiers: Sequence[Dossier], *, gates: bool = False, readable: bool = False
    ) -> list[tuple[int, int, int, int]]:
        """`_row` of dossiers whose denominators are their own (opt-outs, expectations).

        With numpy installed they are evaluated together on integer arrays, each
        row with its own denominators (`villes_label._frames.dossier_rows`, what
        `grade_frame` runs); without it, or for a value the arrays cannot read
        (which `_row` then reports as `assess` does), one at a time. The gate
        grade is computed only when *gates* asks for it (else it is the grade).
        """
        np = numpy_or_none() if dossiers else None
        if np is None or not (readable or self._readable(dossiers)):
            return [self._row(dossier) for dossier in dossiers]
        arrays = compile_plan(np, self.ruleset)
        # In blocks, so that the memory the reading takes stays bounded and in cache.
        rows: list[tuple[int, int, int, int]] = []
        for start in range(0, len(dossiers), _BLOCK):
            block = dossiers[start : start + _BLOCK]
            rows.extend(dossier_rows(np, arrays, block, gates=gates))
        return rows

    def _opted_out(self, cohort: Sequence[Dossier]) -> list[int]:
        """Indices of the dossiers to grade on arrays without packing them first.

        All of them when numpy is installed and most of the first dossiers declare a
        service not applicable (real cohorts: nearly every dossier opts out of
        something, and packing would only tell so); none otherwise, and the packed
        sums then set apart the few that opted out. The results are the same.
        """
        if numpy_or_none() is None or not all(map(isinstance, cohort, repeat(Dossier))):
            return []
        head = cohort[:_SAMPLE]
        if 2 * sum(map(_declares_not_applicable, head)) > len(head):
            return list(range(len(cohort)))
        return []

    def _mixed_rows(
        self, cohort: Sequence[Dossier], apart: list[int], *, gates: bool = False
    ) -> list[tuple[int, int, int, int]]:
        """`_row` of every dossier: those of *apart* on arrays, the others packed."""
        if not self._readable(cohort):
            self._pack(cohort)  # raises the `InvalidInput` that `assess` raises
        if len(apart) == len(cohort):
            return self._rows_apart(cohort, gates=gates, readable=True)
        rows: list[tuple[int, int, int, int]] = [(0, 0, 0, 1)] * len(cohort)
        chosen = set(apart)
        rest = [n for n in range(len(cohort)) if n not in chosen]
        if rest:
            for n, row in zip(rest, self._packed_rows([cohort[n] for n in rest]), strict=True):
                rows[n] = row
        arrays = self._rows_apart([cohort[n] for n in apart], gates=gates, readable=True)
        for n, row in zip(apart, arrays, strict=True):
            rows[n] = row
        return rows

    def _readable(self, dossiers: Sequence[Dossier]) -> bool:
        """Whether every item is a `Dossier` (the arrays report unknown ids themselves)."""
        return all(map(isinstance, dossiers, repeat(Dossier)))

    def _profile_of(self, key: tuple[TerritoryKind, int], opted_out: frozenset[str]) -> _Profile:
        """Compile the profile of (kind, bracket) for a territory that opted out of *opted_out*."""
        kind, bracket = key
        territory = Territory(
            code=_REPRESENTATIVE_CODES[kind],
            name="profile",
            kind=kind,
            population=self._bounds[bracket - 1] if bracket else 0,
        )
        concerned = self._prepared.concerned(territory, opted_out)
        if opted_out:
            return _Profile(self._prepared, concerned)  # kept, or not, by the caller
        # Territories of other kinds or brackets may share the concerned set.
        profile = self._by_concerned.get(concerned)
        if profile is None:
            profile = _Profile(self._prepared, concerned)
            self._by_concerned[concerned] = profile
        return profile

    def _evaluate(self, dossier: Dossier) -> tuple[_Profile, int]:
        """The profile and packed sum of one dossier, its opt-outs included."""
        territory = dossier.territory
        key = (territory.kind, bisect_right(self._bounds, territory.population))
        profile = self._profiles[key]
        entries = effective_entries(dossier)
        if not self._known.issuperset(entries):
            entries = effective_entries(read_retired_ids(dossier, self.ruleset)[0])
        packed = profile.packed(entries)
        if profile.opted_out(packed):
            opted_out = frozenset(
                sid
                for sid, status in entries.items()
                if status is Status.NOT_APPLICABLE and sid in profile.opt_outs
            )
            cache_key = (*key, opted_out)
            profile = self._opt_out_profiles.get(cache_key) or self._profile_of(key, opted_out)
            if len(self._opt_out_profiles) < _MAX_OPT_OUT_PROFILES:
                self._opt_out_profiles[cache_key] = profile
            packed = profile.packed(entries)
        return profile, packed

    def _row(self, dossier: Dossier) -> tuple[int, int, int, int]:
        """Grade, gate grade, score numerator and denominator of one dossier.

        A dossier that opted out of a service comes here (its profile is its own), and
        every dossier under size-aware expectations (scored by `assess`).
        """
        if self._gateless is not None:
            return self._assessed_row(dossier, self._gateless)
        profile, packed = self._evaluate(dossier)
        pattern = profile.pattern(packed)
        return (
            profile.grade_memo[pattern],
            profile.gate_memo[pattern],
            profile.numerator(packed),
            profile.denominator,
        )

    def _assessed_row(self, dossier: Dossier, gateless: Ruleset) -> tuple[int, int, int, int]:
        """`_row` by `assess` itself (*gateless*: the ruleset with every minimum score at 0).

        Raises:
            InvalidInput: what `assess` raises for this dossier.
        """
        result = assess(dossier, self.ruleset)
        gate = assess(dossier, gateless).grade
        return result.grade, gate, result.score.numerator, result.score.denominator


def _patterns(profiles: list[_Profile], packed: list[int]) -> Iterator[int]:
    """`_Profile.pattern` of every dossier, at C speed."""
    copies = map(operator.mul, packed, map(_REPLICATOR, profiles))
    selected = map(operator.and_, copies, map(_SELECT, profiles))
    shifted = map(operator.add, selected, map(_OFFSETS, profiles))
    return map(operator.and_, shifted, map(_GUARDS, profiles))


def _scores_of(rows: Iterable[tuple[int, int, int, int]]) -> list[Fraction]:
    """The exact score of each row of `Scorer._rows`: its numerator over its denominator."""
    rows = list(rows)
    return fractions_of(map(operator.itemgetter(2), rows), map(operator.itemgetter(3), rows))


def _sequence(dossiers: object) -> Sequence[Dossier]:
    cohort: Sequence[object]
    if isinstance(dossiers, (list, tuple)):
        cohort = dossiers
    # A mapping or a string iterates, but over keys or characters: never dossiers.
    elif not isinstance(dossiers, Iterable) or isinstance(dossiers, (abc.Mapping, str, bytes)):
        raise InvalidInput(
            Problem(
                ("dossiers",), f"expected an iterable of Dossier, got {type(dossiers).__name__}"
            )
        )
    else:
        cohort = list(dossiers)
    # The annotation is a promise callers without a type checker may break.
    if not all(map(isinstance, cohort, repeat(Dossier))):
        raise InvalidInput(
            *(
                Problem(("dossiers", n), f"expected a Dossier, got {type(item).__name__}")
                for n, item in enumerate(cohort)
                if not is_instance(item, Dossier)
            )
        )
    return cast("Sequence[Dossier]", cohort)


_SAMPLE = 64
"""How many dossiers `Scorer._opted_out` looks at before deciding how to sort them."""
_BLOCK = 2048
"""How many dossiers the arrays read and grade at once.

Small enough that a block's arrays stay in the processor's caches from the
reading to the grading (one evaluation block of `dossier_grades`), large
enough that numpy's cost per call is spread over many rows.
"""


def _declares_not_applicable(dossier: Dossier) -> bool:
    # A set hashes each status once; `in` on the values would call `Status.__eq__` each time.
    return Status.NOT_APPLICABLE in set(plain_dict(dossier.services).values())


def _undecided(grades: list[int]) -> Iterator[int]:
    """Indices of the dossiers whose opt-outs need a profile of their own."""
    if _UNDECIDED not in grades:
        return iter(())
    return compress(count(), map(_UNDECIDED.__eq__, grades))
