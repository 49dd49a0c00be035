"""The scoring policy, as one value: credits, weights, applicability, grades and mentions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from itertools import pairwise
from typing import Any

import attrs

from villes_label._check import Failed, Id, finish, lenient, text_problem
from villes_label._errors import MoreProblems, Path, Problem, not_a, unknown_ids, unknown_ids_at
from villes_label._expectations import Expectation, expectation_problems
from villes_label._taxonomy import Source, Taxonomy
from villes_label._territory import FIRST_YEAR, LAST_YEAR, Status, Territory, TerritoryKind
from villes_label._values import FrozenMap, shown
from villes_label._vocabulary import DEFAULT_CREDITS

__all__ = [
    "DEFAULT_CREDITS",
    "MAX_GRADE",
    "MAX_WEIGHT",
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


# Small typed converters (mypy's attrs plugin cannot follow generic ones): each
# reads its argument, or keeps the problems found for `finish` to report.
def _kinds(value: Iterable[TerritoryKind | str]) -> frozenset[TerritoryKind]:
    return lenient(_KINDS, value)  # type: ignore[no-any-return]


def _ids(value: Iterable[str]) -> frozenset[str]:
    return lenient(_IDS, value)  # type: ignore[no-any-return]


def _fraction(value: Fraction | float | str) -> Fraction:
    return lenient(Fraction, value)  # type: ignore[no-any-return]


def _fraction_map(value: Mapping[str, Fraction | float | str]) -> FrozenMap[str, Fraction]:
    return lenient(_FRACTIONS, value)  # type: ignore[no-any-return]


def _int_map(value: Mapping[str, int]) -> FrozenMap[str, int]:
    return lenient(_INTS, value)  # type: ignore[no-any-return]


def _credit_map(
    value: Mapping[Status, Fraction | float | str] | Mapping[str, Fraction | float | str],
) -> FrozenMap[Status, Fraction]:
    read = lenient(_CREDITS, value)
    if isinstance(read, Failed):
        return read  # type: ignore[return-value]
    if Status.NOT_APPLICABLE in read:
        return Failed(  # type: ignore[return-value]
            [Problem(("not_applicable",), "a not-applicable service earns no credit")]
        )
    merged = {**DEFAULT_CREDITS, **read}
    return FrozenMap({status: merged[status] for status in DEFAULT_CREDITS})


def _applicability_map(value: Mapping[str, Applicability]) -> FrozenMap[str, Applicability]:
    return lenient(_APPLICABILITIES, value)  # type: ignore[no-any-return]


def _expectations(value: Iterable[Expectation]) -> tuple[Expectation, ...]:
    return lenient(tuple[Expectation, ...], value)  # type: ignore[no-any-return]


def _grades(value: Iterable[GradeRule]) -> tuple[GradeRule, ...]:
    return lenient(_GRADES, value)  # type: ignore[no-any-return]


def _mentions(value: Iterable[MentionRule]) -> tuple[MentionRule, ...]:
    return lenient(_MENTIONS, value)  # type: ignore[no-any-return]


def _sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return lenient(tuple[Source, ...], value)  # type: ignore[no-any-return]


def _taxonomy(value: Taxonomy) -> Taxonomy:
    return lenient(Taxonomy, value)  # type: ignore[no-any-return]


_KINDS = frozenset[TerritoryKind]
_IDS = frozenset[Id]
_FRACTIONS = Mapping[Id, Fraction]
_INTS = Mapping[Id, int]
_CREDITS = Mapping[Status, Fraction]


def _unit_problems(
    failed: set[str], name: str, value: Fraction | Mapping[str, Fraction]
) -> Iterator[Problem]:
    """A problem for each fraction of a field outside [0, 1]."""
    if name in failed:
        return
    if isinstance(value, Fraction):
        if not _ZERO <= value <= _ONE:
            yield Problem((name,), f"{value} is outside [0, 1]")
        return
    for key, fraction in value.items():
        if not _ZERO <= fraction <= _ONE:
            yield Problem((name, key), f"{fraction} is outside [0, 1]")


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
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "kinds" not in failed and not self.kinds:
            yield Problem(("kinds",), "a service must concern at least one kind")
        low, high = self.min_population, self.max_population
        if "min_population" not in failed and low < 0:
            yield Problem(("min_population",), f"must be >= 0, got {low}")
        if not failed & {"min_population", "max_population"} and high is not None and high <= low:
            yield Problem(("max_population",), f"{high} must be above min_population {low}")

    def concerns(self, territory: Territory) -> bool:
        """Whether the service counts for *territory* (before any opt-out)."""
        if not isinstance(territory, Territory):
            raise not_a("territory", "a Territory", territory)
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
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        """Every problem of this rule on its own (ids are checked by the ruleset)."""
        if "arobases" not in failed and not 1 <= self.arobases <= MAX_GRADE:
            yield Problem(("arobases",), f"{self.arobases} is outside 1..{MAX_GRADE}")
        yield from _unit_problems(failed, "min_score", self.min_score)
        yield from _unit_problems(failed, "min_theme_scores", self.min_theme_scores)
        yield from _unit_problems(failed, "min_issue_scores", self.min_issue_scores)
        yield from _unit_problems(failed, "min_each_theme", self.min_each_theme)

    def at_least_as_strict_as(self, other: GradeRule) -> list[str]:
        """The conditions on which this rule is laxer than *other* (empty when monotone)."""
        if not isinstance(other, GradeRule):
            raise not_a("other", "a GradeRule", other)
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
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        """Every problem of this rule on its own (ids are checked by the ruleset)."""
        if "id" not in failed and (problem := text_problem(self.id)):
            yield Problem(("id",), problem)
        if "name" not in failed and self.name and (problem := text_problem(self.name, "name")):
            yield Problem(("name",), problem)
        if "min_grade" not in failed and not 0 <= self.min_grade <= MAX_GRADE:
            yield Problem(("min_grade",), f"{self.min_grade} is outside 0..{MAX_GRADE}")
        yield from _unit_problems(failed, "min_theme_scores", self.min_theme_scores)
        yield from _unit_problems(failed, "min_issue_scores", self.min_issue_scores)
        conditions = ("min_issue_scores", "min_theme_scores", "required_services")
        if not failed & set(conditions) and not self.conditions:
            yield Problem(
                ("min_issue_scores",),
                "a mention needs at least one condition "
                "(an issue or theme minimum, or a required service)",
            )

    @property
    def conditions(self) -> int:
        """How many conditions the mention sets (each waived one is not checked)."""
        return len(self.min_issue_scores) + len(self.min_theme_scores) + len(self.required_services)


_APPLICABILITIES = Mapping[Id, Applicability]
_GRADES = tuple[GradeRule, ...]
_MENTIONS = tuple[MentionRule, ...]


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
    taxonomy: Taxonomy = attrs.field(converter=_taxonomy)
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
        finish(self, lambda failed: _ruleset_problems(self, failed))
        object.__setattr__(
            self, "grades", tuple(sorted(self.grades, key=lambda rule: rule.arobases))
        )

    def replace(self, **changes: Any) -> Ruleset:  # noqa: ANN401 - mirrors attrs.evolve
        """Return a copy with *changes* applied and validated, for what-if experiments."""
        return attrs.evolve(self, **changes)

    def grade_rule(self, arobases: int) -> GradeRule | None:
        """The rule of grade *arobases*, or ``None`` when the ruleset has none."""
        if isinstance(arobases, bool) or not isinstance(arobases, int):
            raise not_a("arobases", "a grade (an int)", arobases)
        for rule in self.grades:
            if rule.arobases == arobases:
                return rule
        return None

    def applicability_of(self, service_id: str) -> Applicability:
        """The applicability of a service (everywhere, no opt-out, when not given)."""
        if not isinstance(service_id, str):
            raise not_a("service_id", "a service id (a str)", service_id)
        return self.applicability.get(service_id, _EVERYWHERE)

    def concerns(self, service_id: str, territory: Territory) -> bool:
        """Whether *service_id* counts for *territory*, before any opt-out."""
        if not isinstance(territory, Territory):
            raise not_a("territory", "a Territory", territory)
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
        if not isinstance(territory, Territory):
            raise not_a("territory", "a Territory", territory)
        for expectation in self.expectations:
            if expectation.covers(territory):
                return expectation
        return None

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.year}): {len(self.grades)} grades, "
            f"{len(self.mentions)} mentions, on {self.taxonomy}"
        )


MAX_WEIGHT = 10**9
"""The largest weight: scores stay fractions of a reasonable size, and print."""


def _ruleset_problems(rules: Ruleset, failed: set[str]) -> Iterator[Problem]:
    """The problems of a ruleset's own invariants; each field was read (or *failed*) already."""
    if "name" not in failed and not rules.name.strip():
        yield Problem(("name",), "a ruleset needs a non-empty name")
    elif "name" not in failed and (problem := text_problem(rules.name, "name")):
        yield Problem(("name",), problem)
    if "year" not in failed and not FIRST_YEAR <= rules.year <= LAST_YEAR:
        yield Problem(("year",), f"{rules.year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    known = "taxonomy" not in failed
    tax = rules.taxonomy
    themes: frozenset[str] = frozenset(t.id for t in tax.themes) if known else frozenset()
    issues: frozenset[str] = frozenset(i.id for i in tax.issues) if known else frozenset()
    services: frozenset[str] = tax.service_ids if known else frozenset()
    more = 0

    def check_ids(
        kind: str, ids: Iterable[str], known_ids: frozenset[str], *path: str | int
    ) -> list[Problem]:
        nonlocal more
        if not known:
            return []
        found, extra = unknown_ids(kind, ids, known_ids, *path)
        more += extra
        return found

    for name, kind, ids in (
        ("theme_weights", "theme", themes),
        ("issue_weights", "issue", issues),
        ("service_weights", "service", services),
    ):
        if name in failed:
            continue
        weights: Mapping[str, int] = getattr(rules, name)
        yield from check_ids(kind, weights, ids, name)
        for key, weight in weights.items():
            if weight <= 0:
                yield Problem((name, key), f"a weight is positive, got {weight}")
            elif weight > MAX_WEIGHT:
                yield Problem((name, key), f"a weight is at most {MAX_WEIGHT:,}, got {weight}")
    if "applicability" not in failed:
        yield from check_ids("service", rules.applicability, services, "applicability")

    if "credits" not in failed:
        previous = _ZERO
        for status in (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED):
            credit = rules.credits[status]
            if not _ZERO <= credit <= _ONE:
                yield Problem(("credits", status.value), f"{credit} is outside [0, 1]")
            elif credit < previous:
                yield Problem(
                    ("credits", status.value),
                    f"{credit} is below the credit of a lower status ({previous})",
                )
            previous = max(previous, credit)

    if "grades" not in failed:
        if not rules.grades:
            yield Problem(("grades",), "a ruleset needs at least one grade rule")
        by_grade: dict[int, tuple[int, GradeRule]] = {}
        for n, rule in enumerate(rules.grades):
            if rule.arobases in by_grade:
                yield Problem(("grades", n, "arobases"), f"grade {rule.arobases} has two rules")
            by_grade[rule.arobases] = (n, rule)
            yield from check_ids(
                "theme", rule.min_theme_scores, themes, "grades", n, "min_theme_scores"
            )
            yield from check_ids(
                "issue", rule.min_issue_scores, issues, "grades", n, "min_issue_scores"
            )
            yield from check_ids(
                "service", rule.required_services, services, "grades", n, "required_services"
            )
        ordered = sorted(by_grade.items())
        for (_, (_, lower)), (_, (n, higher)) in pairwise(ordered):
            for laxer in higher.at_least_as_strict_as(lower):
                yield Problem(
                    ("grades", n),
                    f"grade {higher.arobases} is laxer than grade {lower.arobases} ({laxer}); "
                    "grade rules must be monotone",
                )

    if known and "expectations" not in failed:
        yield from expectation_problems(rules.expectations, [issue.id for issue in tax.issues])

    if "mentions" not in failed:
        seen: set[str] = set()
        for n, mention in enumerate(rules.mentions):
            if mention.id in seen:
                yield Problem(("mentions", n, "id"), f"duplicate mention id {shown(mention.id)}")
            seen.add(mention.id)
            path = ("mentions", n)
            yield from check_ids(
                "theme", mention.min_theme_scores, themes, *path, "min_theme_scores"
            )
            yield from check_ids(
                "issue", mention.min_issue_scores, issues, *path, "min_issue_scores"
            )
            yield from check_ids(
                "service", mention.required_services, services, *path, "required_services"
            )
    if more:
        yield MoreProblems((), f"and {more} more unknown ids", more)
    if not failed & {"sources", "grades", "mentions"}:
        yield from _rule_source_problems(rules)


def _rule_source_problems(rules: Ruleset) -> Iterator[Problem]:
    known: set[str] = set()
    for n, source in enumerate(rules.sources):
        if source.id in known:
            yield Problem(("sources", n, "id"), f"duplicate source id {shown(source.id)}")
        known.add(source.id)
    named: list[tuple[Path, str]] = [
        (("grades", n, "source"), rule.source) for n, rule in enumerate(rules.grades)
    ]
    named.extend((("mentions", n, "source"), rule.source) for n, rule in enumerate(rules.mentions))
    # Only the problems listed get the search for the closest ids.
    yield from unknown_ids_at(
        "source", ((path, name) for path, name in named if name and name not in known), known
    )
