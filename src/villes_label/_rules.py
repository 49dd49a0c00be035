"""The scoring policy, as one value: credits, weights, applicability, grades and mentions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from itertools import pairwise
from typing import Any

import attrs

from villes_label._errors import InvalidInput, unknown_id
from villes_label._expectations import Expectation, expectation_problems
from villes_label._taxonomy import Source, Taxonomy
from villes_label._territory import FIRST_YEAR, LAST_YEAR, Status, Territory, TerritoryKind
from villes_label._values import FrozenMap, is_instance, is_int, to_fraction
from villes_label._vocabulary import DEFAULT_CREDITS

__all__ = [
    "DEFAULT_CREDITS",
    "MAX_GRADE",
    "Applicability",
    "Expectation",
    "GradeRule",
    "MentionRule",
    "Ruleset",
]

MAX_GRADE = 5
"""Five arobases is the label's highest grade."""

_ONE = Fraction(1)
_ZERO = Fraction(0)


# Small typed converters: mypy's attrs plugin cannot follow generic ones.
def _kinds(value: Iterable[TerritoryKind]) -> frozenset[TerritoryKind]:
    if isinstance(value, str):
        return frozenset({TerritoryKind(value)})
    return frozenset(value)


def _ids(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        msg = f"expected a set of ids, got the string {value!r}"
        raise InvalidInput(msg)
    return frozenset(value)


def _fraction(value: Fraction | float | str) -> Fraction:
    try:
        return to_fraction(value)
    except (TypeError, ValueError) as error:
        raise InvalidInput(str(error)) from None


def _fraction_map(value: Mapping[str, Fraction]) -> FrozenMap[str, Fraction]:
    if not is_instance(value, Mapping):
        msg = f"expected a mapping of id to fraction, got {type(value).__name__}"
        raise InvalidInput(msg)
    problems: list[str] = []
    out: dict[str, Fraction] = {}
    for key, raw in value.items():
        try:
            out[key] = to_fraction(raw)
        except (TypeError, ValueError) as error:
            problems.append(f"{key}: {error}")
    if problems:
        raise InvalidInput(*problems)
    return FrozenMap(out)


def _int_map(value: Mapping[str, int]) -> FrozenMap[str, int]:
    if not is_instance(value, Mapping):
        msg = f"expected a mapping of id to weight, got {type(value).__name__}"
        raise InvalidInput(msg)
    return FrozenMap(value)


def _credit_map(value: Mapping[Status, Fraction]) -> FrozenMap[Status, Fraction]:
    if not is_instance(value, Mapping):
        msg = f"credits: expected a mapping of status to fraction, got {type(value).__name__}"
        raise InvalidInput(msg)
    problems: list[str] = []
    merged = dict(DEFAULT_CREDITS)
    for key, raw in value.items():
        try:
            status = Status(key)
        except ValueError:
            problems.append(f"credits.{key}: unknown status {key!r}")
            continue
        if status is Status.NOT_APPLICABLE:
            problems.append("credits.not_applicable: a not-applicable service earns no credit")
            continue
        try:
            merged[status] = to_fraction(raw)
        except (TypeError, ValueError) as error:
            problems.append(f"credits.{status.value}: {error}")
    if problems:
        raise InvalidInput(*problems)
    return FrozenMap({status: merged[status] for status in DEFAULT_CREDITS})


def _applicability_map(value: Mapping[str, Applicability]) -> FrozenMap[str, Applicability]:
    if not is_instance(value, Mapping):
        msg = f"applicability: expected a mapping of service id, got {type(value).__name__}"
        raise InvalidInput(msg)
    return FrozenMap(value)


def _expectations(value: Iterable[Expectation]) -> tuple[Expectation, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        msg = f"expectations: expected a sequence of Expectation, got {type(value).__name__}"
        raise InvalidInput(msg)
    return tuple(value)


def _grades(value: Iterable[GradeRule]) -> tuple[GradeRule, ...]:
    return tuple(value)


def _mentions(value: Iterable[MentionRule]) -> tuple[MentionRule, ...]:
    return tuple(value)


def _sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(value)


def _check_unit(path: str, value: object, problems: list[str]) -> None:
    if not isinstance(value, Fraction):
        problems.append(f"{path}: expected a fraction, got {type(value).__name__}")
    elif not _ZERO <= value <= _ONE:
        problems.append(f"{path}: {value} is outside [0, 1]")


@attrs.frozen(kw_only=True)
class Applicability:
    """Which territories a service concerns.

    A service counts for a territory iff its kind is in ``kinds`` and
    ``min_population <= population < max_population`` (no upper bound when
    ``max_population`` is ``None``). ``opt_out=True`` lets a dossier declare the
    service ``NOT_APPLICABLE``, which then leaves every denominator.

    >>> from villes_label import Territory, TerritoryKind
    >>> rule = Applicability(min_population=3500)
    >>> village = Territory(code="48001", name="Albaret", kind=TerritoryKind.COMMUNE, population=500)
    >>> rule.concerns(village)
    False
    """

    kinds: frozenset[TerritoryKind] = attrs.field(
        converter=_kinds, factory=lambda: frozenset(TerritoryKind)
    )
    min_population: int = 0
    max_population: int | None = None
    opt_out: bool = False

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidInput(*problems)

    def problems(self, path: str = "") -> list[str]:
        """Every problem of this rule, each prefixed by *path*."""
        prefix = f"{path}." if path else ""
        problems: list[str] = []
        if not self.kinds:
            problems.append(f"{prefix}kinds: a service must concern at least one kind")
        for kind in sorted(self.kinds, key=str):
            if not is_instance(kind, TerritoryKind):
                problems.append(f"{prefix}kinds: {kind!r} is not a territory kind")
        low, high = self.min_population, self.max_population
        if isinstance(low, bool) or not isinstance(low, int):
            problems.append(f"{prefix}min_population: expected an int, got {type(low).__name__}")
        elif low < 0:
            problems.append(f"{prefix}min_population: must be >= 0, got {low}")
        if high is not None:
            if isinstance(high, bool) or not isinstance(high, int):
                problems.append(
                    f"{prefix}max_population: expected an int or None, got {type(high).__name__}"
                )
            elif is_int(low) and high <= low:
                problems.append(
                    f"{prefix}max_population: {high} must be above min_population {low}"
                )
        if not is_instance(self.opt_out, bool):
            problems.append(f"{prefix}opt_out: expected a bool, got {type(self.opt_out).__name__}")
        return problems

    def concerns(self, territory: Territory) -> bool:
        """Whether the service counts for *territory* (before any opt-out)."""
        if territory.kind not in self.kinds or territory.population < self.min_population:
            return False
        return self.max_population is None or territory.population < self.max_population


_EVERYWHERE = Applicability()


@attrs.frozen(kw_only=True)
class GradeRule:
    """The conditions of one grade; every one must hold.

    A required service must be ``DEPLOYED`` unless it does not concern the
    territory. A gate on a theme or an issue that has no concerned service is
    waived.

    >>> GradeRule(arobases=1, min_score=0).min_score
    Fraction(0, 1)
    """

    arobases: int
    min_score: Fraction = attrs.field(converter=_fraction)
    min_theme_scores: Mapping[str, Fraction] = attrs.field(
        converter=_fraction_map, factory=FrozenMap
    )
    min_issue_scores: Mapping[str, Fraction] = attrs.field(
        converter=_fraction_map, factory=FrozenMap
    )
    min_each_theme: Fraction = attrs.field(converter=_fraction, default=_ZERO)
    required_services: frozenset[str] = attrs.field(converter=_ids, factory=frozenset)
    source: str = ""
    """The id of the ruleset's `Source` this rule comes from ("" when not told)."""

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidInput(*problems)

    def problems(self, path: str = "") -> list[str]:
        """Every problem of this rule on its own (ids are checked by the ruleset)."""
        prefix = f"{path}." if path else ""
        problems: list[str] = []
        if isinstance(self.arobases, bool) or not isinstance(self.arobases, int):
            problems.append(
                f"{prefix}arobases: expected an int, got {type(self.arobases).__name__}"
            )
        elif not 1 <= self.arobases <= MAX_GRADE:
            problems.append(f"{prefix}arobases: {self.arobases} is outside 1..{MAX_GRADE}")
        _check_unit(f"{prefix}min_score", self.min_score, problems)
        _check_unit(f"{prefix}min_each_theme", self.min_each_theme, problems)
        for key, value in self.min_theme_scores.items():
            _check_unit(f"{prefix}min_theme_scores.{key}", value, problems)
        for key, value in self.min_issue_scores.items():
            _check_unit(f"{prefix}min_issue_scores.{key}", value, problems)
        return problems

    def at_least_as_strict_as(self, other: GradeRule) -> list[str]:
        """The conditions on which this rule is laxer than *other* (empty when monotone)."""
        laxer: list[str] = []
        if self.min_score < other.min_score:
            laxer.append(f"min_score {self.min_score} < {other.min_score}")
        if self.min_each_theme < other.min_each_theme:
            laxer.append(f"min_each_theme {self.min_each_theme} < {other.min_each_theme}")
        for key, value in sorted(other.min_theme_scores.items()):
            mine = self.min_theme_scores.get(key, _ZERO)
            if mine < value:
                laxer.append(f"min_theme_scores.{key} {mine} < {value}")
        for key, value in sorted(other.min_issue_scores.items()):
            mine = self.min_issue_scores.get(key, _ZERO)
            if mine < value:
                laxer.append(f"min_issue_scores.{key} {mine} < {value}")
        missing = other.required_services - self.required_services
        if missing:
            laxer.append(f"required_services lacks {', '.join(sorted(missing))}")
        return laxer


@attrs.frozen(kw_only=True)
class MentionRule:
    """A named distinction awarded beside the grade ("libre", "arobase verte", ...).

    >>> MentionRule(id="libre", name="Mention Libre",
    ...             required_services={"logiciels-libres"}).required_services
    frozenset({'logiciels-libres'})
    """

    id: str
    name: str
    min_issue_scores: Mapping[str, Fraction] = attrs.field(
        converter=_fraction_map, factory=FrozenMap
    )
    min_theme_scores: Mapping[str, Fraction] = attrs.field(
        converter=_fraction_map, factory=FrozenMap
    )
    required_services: frozenset[str] = attrs.field(converter=_ids, factory=frozenset)
    min_grade: int = 0
    source: str = ""
    """The id of the ruleset's `Source` this mention comes from ("" when not told)."""

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidInput(*problems)

    def problems(self, path: str = "") -> list[str]:
        """Every problem of this rule on its own (ids are checked by the ruleset)."""
        prefix = f"{path}." if path else ""
        problems: list[str] = []
        if not is_instance(self.id, str) or not self.id.strip():
            problems.append(f"{prefix}id: a mention needs a non-empty id")
        if not is_instance(self.name, str):
            problems.append(f"{prefix}name: expected a str, got {type(self.name).__name__}")
        if isinstance(self.min_grade, bool) or not isinstance(self.min_grade, int):
            problems.append(
                f"{prefix}min_grade: expected an int, got {type(self.min_grade).__name__}"
            )
        elif not 0 <= self.min_grade <= MAX_GRADE:
            problems.append(f"{prefix}min_grade: {self.min_grade} is outside 0..{MAX_GRADE}")
        for key, value in self.min_theme_scores.items():
            _check_unit(f"{prefix}min_theme_scores.{key}", value, problems)
        for key, value in self.min_issue_scores.items():
            _check_unit(f"{prefix}min_issue_scores.{key}", value, problems)
        if not self.conditions:
            problems.append(
                f"{prefix}min_issue_scores: a mention needs at least one condition "
                "(an issue or theme minimum, or a required service)"
            )
        return problems

    @property
    def conditions(self) -> int:
        """How many conditions the mention sets (each waived one is not checked)."""
        return len(self.min_issue_scores) + len(self.min_theme_scores) + len(self.required_services)


@attrs.frozen(kw_only=True)
class Ruleset:
    """All the scoring policy for one referential and one year, as one value.

    Construction checks that every id exists in the taxonomy, that weights are
    positive integers, that credits grow with the status, that thresholds lie
    in [0, 1] and that the grade rules are monotone (a higher grade is at least
    as strict on every condition). Grade rules are kept sorted by arobases.
    ``expectations`` (size-aware grading, see `Expectation`) say how much
    deployed credit covers an issue for each stratum of territories; without
    them an issue scores the share of its potential that is delivered.

    >>> from villes_label import default_ruleset
    >>> rules = default_ruleset()
    >>> [g.arobases for g in rules.grades]
    [1, 2, 3, 4, 5]
    >>> rules.replace(name="variant").name
    'variant'
    """

    name: str
    year: int
    taxonomy: Taxonomy
    grades: tuple[GradeRule, ...] = attrs.field(converter=_grades)
    mentions: tuple[MentionRule, ...] = attrs.field(converter=_mentions, default=())
    credits: Mapping[Status, Fraction] = attrs.field(
        converter=_credit_map, factory=lambda: DEFAULT_CREDITS
    )
    theme_weights: Mapping[str, int] = attrs.field(converter=_int_map, factory=FrozenMap)
    issue_weights: Mapping[str, int] = attrs.field(converter=_int_map, factory=FrozenMap)
    service_weights: Mapping[str, int] = attrs.field(converter=_int_map, factory=FrozenMap)
    applicability: Mapping[str, Applicability] = attrs.field(
        converter=_applicability_map, factory=FrozenMap
    )
    expectations: tuple[Expectation, ...] = attrs.field(converter=_expectations, default=())
    sources: tuple[Source, ...] = attrs.field(converter=_sources, default=())
    """Where the rules come from; grade and mention rules name one in their ``source``."""

    def __attrs_post_init__(self) -> None:
        problems = _ruleset_problems(self)
        if problems:
            raise InvalidInput(*problems)
        object.__setattr__(
            self, "grades", tuple(sorted(self.grades, key=lambda rule: rule.arobases))
        )

    def replace(self, **changes: Any) -> Ruleset:  # noqa: ANN401 - mirrors attrs.evolve
        """Return a copy with *changes* applied and validated, for what-if experiments."""
        return attrs.evolve(self, **changes)

    def grade_rule(self, arobases: int) -> GradeRule | None:
        """The rule of grade *arobases*, or ``None`` when the ruleset has none."""
        for rule in self.grades:
            if rule.arobases == arobases:
                return rule
        return None

    def applicability_of(self, service_id: str) -> Applicability:
        """The applicability of a service (everywhere, no opt-out, when not given)."""
        return self.applicability.get(service_id, _EVERYWHERE)

    def concerns(self, service_id: str, territory: Territory) -> bool:
        """Whether *service_id* counts for *territory*, before any opt-out."""
        return self.applicability_of(service_id).concerns(territory)

    def expectation_for(self, territory: Territory) -> Expectation | None:
        """The expectation of *territory*'s stratum, or ``None`` (share of potential).

        >>> from villes_label import Territory, TerritoryKind, default_ruleset
        >>> village = Expectation(stratum="village", coverage=1, max_population=3_000)
        >>> rules = default_ruleset().replace(expectations=[village])
        >>> rias = Territory(code="07212", name="Saint-Apollinaire-de-Rias",
        ...                  kind=TerritoryKind.COMMUNE, population=159)
        >>> rules.expectation_for(rias).stratum
        'village'
        """
        for expectation in self.expectations:
            if expectation.covers(territory):
                return expectation
        return None

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.year}): {len(self.grades)} grades, "
            f"{len(self.mentions)} mentions, on {self.taxonomy}"
        )


def _ruleset_problems(rules: Ruleset) -> list[str]:
    problems: list[str] = []
    if not is_instance(rules.taxonomy, Taxonomy):
        return [f"taxonomy: expected a Taxonomy, got {type(rules.taxonomy).__name__}"]
    tax = rules.taxonomy
    themes = {theme.id for theme in tax.themes}
    issues = {issue.id for issue in tax.issues}
    services = tax.service_ids
    if not is_instance(rules.name, str) or not rules.name.strip():
        problems.append("name: a ruleset needs a non-empty name")
    if not is_int(rules.year):
        problems.append(f"year: expected an int, got {type(rules.year).__name__}")
    elif not FIRST_YEAR <= rules.year <= LAST_YEAR:
        problems.append(f"year: {rules.year} is outside {FIRST_YEAR}..{LAST_YEAR}")

    def check_ids(
        path: str, ids: Iterable[object], known: set[str] | frozenset[str], kind: str
    ) -> None:
        for key in sorted(ids, key=repr):
            if key not in known:
                problems.append(f"{path}.{key}: {unknown_id(kind, str(key), known)}")

    def check_weights(
        path: str, weights: Mapping[str, int], known: set[str] | frozenset[str], kind: str
    ) -> None:
        check_ids(path, weights, known, kind)
        for key, weight in weights.items():
            if isinstance(weight, bool) or not isinstance(weight, int):
                problems.append(f"{path}.{key}: a weight is an int, got {type(weight).__name__}")
            elif weight <= 0:
                problems.append(f"{path}.{key}: a weight is positive, got {weight}")

    check_weights("theme_weights", rules.theme_weights, themes, "theme")
    check_weights("issue_weights", rules.issue_weights, issues, "issue")
    check_weights("service_weights", rules.service_weights, services, "service")
    check_ids("applicability", rules.applicability, services, "service")
    for key, service_rule in rules.applicability.items():
        if not is_instance(service_rule, Applicability):
            problems.append(
                f"applicability.{key}: expected an Applicability, got {type(service_rule).__name__}"
            )

    previous = _ZERO
    for status in (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED):
        credit = rules.credits[status]
        _check_unit(f"credits.{status.value}", credit, problems)
        if credit < previous:
            problems.append(
                f"credits.{status.value}: {credit} is below the credit of a lower status ({previous})"
            )
        previous = max(previous, credit)

    if not rules.grades:
        problems.append("grades: a ruleset needs at least one grade rule")
    by_grade: dict[int, tuple[int, GradeRule]] = {}
    for n, rule in enumerate(rules.grades):
        path = f"grades[{n}]"
        if not is_instance(rule, GradeRule):
            problems.append(f"{path}: expected a GradeRule, got {type(rule).__name__}")
            continue
        if rule.arobases in by_grade:
            problems.append(f"{path}.arobases: grade {rule.arobases} has two rules")
        by_grade[rule.arobases] = (n, rule)
        check_ids(f"{path}.min_theme_scores", rule.min_theme_scores, themes, "theme")
        check_ids(f"{path}.min_issue_scores", rule.min_issue_scores, issues, "issue")
        check_ids(f"{path}.required_services", rule.required_services, services, "service")
    ordered = sorted(by_grade.items())
    for (_, (_, lower)), (_, (n, higher)) in pairwise(ordered):
        for laxer in higher.at_least_as_strict_as(lower):
            problems.append(
                f"grades[{n}]: grade {higher.arobases} is laxer than grade "
                f"{lower.arobases} ({laxer}); grade rules must be monotone"
            )

    problems.extend(expectation_problems(rules.expectations, [issue.id for issue in tax.issues]))

    problems.extend(_rule_source_problems(rules))
    seen: set[str] = set()
    for n, mention in enumerate(rules.mentions):
        path = f"mentions[{n}]"
        if not is_instance(mention, MentionRule):
            problems.append(f"{path}: expected a MentionRule, got {type(mention).__name__}")
            continue
        if mention.id in seen:
            problems.append(f"{path}.id: duplicate mention id {mention.id!r}")
        seen.add(mention.id)
        check_ids(f"{path}.min_theme_scores", mention.min_theme_scores, themes, "theme")
        check_ids(f"{path}.min_issue_scores", mention.min_issue_scores, issues, "issue")
        check_ids(f"{path}.required_services", mention.required_services, services, "service")
    return problems


def _rule_source_problems(rules: Ruleset) -> list[str]:
    problems: list[str] = []
    known: set[str] = set()
    for n, source in enumerate(rules.sources):
        if not is_instance(source, Source):
            problems.append(f"sources[{n}]: expected a Source, got {type(source).__name__}")
        elif source.id in known:
            problems.append(f"sources[{n}].id: duplicate source id {source.id!r}")
        else:
            known.add(source.id)
    named: list[tuple[str, object]] = [
        (f"grades[{n}].source", getattr(rule, "source", "")) for n, rule in enumerate(rules.grades)
    ]
    named.extend(
        (f"mentions[{n}].source", getattr(rule, "source", ""))
        for n, rule in enumerate(rules.mentions)
    )
    for path, name in named:
        if not is_instance(name, str):
            problems.append(f"{path}: expected a str, got {type(name).__name__}")
        elif name and name not in known:
            problems.append(f"{path}: {unknown_id('source', str(name), known)}")
    return problems
