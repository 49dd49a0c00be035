"""Size-aware grading: how much deployed credit *covers* an issue, by stratum of territory.

A village is not asked what a city is asked. An `Expectation` names a stratum
of territories (kinds and a population range) and, for each issue of the
referential, the credit that covers it there: with the default credits and
weights, the number of deployed services that a territory of that stratum
needs in the issue. An issue's score then saturates at the credit of a
deployed service (1 by default) once its expectation is covered, so breadth
across issues and themes drives the grade rather than depth in a few.

A ruleset without expectations keeps the share-of-potential model: an issue
scores the share of its concerned services' potential that is delivered. An
expectation larger than an issue's potential changes nothing for that issue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING

import attrs

from villes_label._check import Id, finish, lenient, text_problem
from villes_label._errors import Problem, not_a, unknown_ids
from villes_label._territory import Territory, TerritoryKind
from villes_label._values import FrozenMap, shown

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["Expectation", "expectation_problems"]

_ZERO = Fraction(0)


def _kinds(value: Iterable[TerritoryKind | str]) -> frozenset[TerritoryKind]:
    return lenient(frozenset[TerritoryKind], value)  # type: ignore[no-any-return]


def _coverage(value: Fraction | float | str) -> Fraction:
    return lenient(Fraction, value)  # type: ignore[no-any-return]


def _issue_coverage(value: Mapping[str, Fraction | float | str]) -> FrozenMap[str, Fraction]:
    return lenient(Mapping[Id, Fraction], value)  # type: ignore[no-any-return]


def _breadth(value: Fraction | float | str | None) -> Fraction | None:
    return lenient(Fraction | None, value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Expectation:
    """What covers an issue for one stratum of territories (kinds and population range).

    A territory belongs to the stratum iff its kind is in ``kinds`` and
    ``min_population <= population < max_population`` (no upper bound when
    ``max_population`` is ``None``). For such a territory an issue is
    *covered* once its concerned services earn ``coverage`` of weighted credit
    (``issue_coverage`` overrides it issue by issue): with the default credits
    and weights, once ``coverage`` of its services are deployed. A covered
    issue scores the credit of a deployed service (1 by default), a partly
    covered one its share of the expectation. An expectation larger than what
    the issue's concerned services can earn is the share-of-potential model.
    ``theme_breadth``, when given, covers a theme in the same way: a theme is
    covered once its issues' weighted scores add up to it (with the default
    weights: once that many of its issues are covered), so a village that
    covers two issues of a theme has addressed the theme; ``None`` keeps a
    theme the weighted mean of all its issues.

    Args:
        stratum: a short id of the stratum, unique in a ruleset (``"village"``).
        coverage: the credit that covers each issue (> 0).
        kinds: the territory kinds of the stratum (every kind by default).
        min_population: the smallest population of the stratum.
        max_population: the first population above the stratum, or ``None``.
        issue_coverage: per-issue coverage overriding ``coverage`` (each > 0).
        theme_breadth: the weighted issue score that covers a theme (> 0), or ``None``.
        name: a readable name (``"Village (moins de 3 000 habitants)"``).

    >>> from villes_label import Territory, TerritoryKind
    >>> village = Expectation(stratum="village", coverage=1, max_population=3_000,
    ...                       kinds={TerritoryKind.COMMUNE})
    >>> rias = Territory(code="07212", name="Saint-Apollinaire-de-Rias",
    ...                  kind=TerritoryKind.COMMUNE, population=159)
    >>> village.covers(rias), village.coverage_of("democratie-locale")
    (True, Fraction(1, 1))
    """

    stratum: str
    coverage: Fraction = attrs.field(converter=_coverage)
    kinds: frozenset[TerritoryKind] = attrs.field(
        converter=_kinds, factory=lambda: frozenset(TerritoryKind)
    )
    min_population: int = 0
    max_population: int | None = None
    issue_coverage: Mapping[str, Fraction] = attrs.field(
        converter=_issue_coverage, factory=FrozenMap
    )
    theme_breadth: Fraction | None = attrs.field(converter=_breadth, default=None)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        """Every problem of this expectation on its own (issue ids are checked by the ruleset)."""
        if "stratum" not in failed and (problem := text_problem(self.stratum, "stratum id")):
            yield Problem(("stratum",), problem)
        if "coverage" not in failed and self.coverage <= _ZERO:
            yield Problem(("coverage",), f"must be > 0, got {self.coverage}")
        breadth = self.theme_breadth
        if "theme_breadth" not in failed and breadth is not None and breadth <= _ZERO:
            yield Problem(("theme_breadth",), f"must be > 0, got {breadth}")
        if "issue_coverage" not in failed:
            for key, value in self.issue_coverage.items():
                if value <= _ZERO:
                    yield Problem(("issue_coverage", key), f"must be > 0, got {value}")
        if "kinds" not in failed and not self.kinds:
            yield Problem(("kinds",), "a stratum needs at least one territory kind")
        low, high = self.min_population, self.max_population
        if "min_population" not in failed and low < 0:
            yield Problem(("min_population",), f"must be >= 0, got {low}")
        if not failed & {"min_population", "max_population"} and high is not None and high <= low:
            yield Problem(("max_population",), f"{high} must be above min_population {low}")

    def covers(self, territory: Territory) -> bool:
        """Whether *territory* belongs to this stratum."""
        if not isinstance(territory, Territory):
            raise not_a("territory", "a Territory", territory)
        if territory.kind not in self.kinds or territory.population < self.min_population:
            return False
        return self.max_population is None or territory.population < self.max_population

    def coverage_of(self, issue_id: str) -> Fraction:
        """The credit that covers *issue_id* for a territory of this stratum."""
        return self.issue_coverage.get(issue_id, self.coverage)


def _label(expectation: Expectation, n: int) -> str:
    return f"expectations[{n}] ({shown(expectation.stratum)})"


def expectation_problems(
    expectations: Sequence[Expectation], issue_ids: Sequence[str]
) -> list[Problem]:
    """Every problem of a ruleset's expectations as a whole.

    Stratum ids are unique; every issue id exists; for each territory kind the
    strata of that kind start at population 0 and follow each other without
    gap or overlap; and a larger stratum of a kind never expects less of an
    issue, nor a smaller breadth of a theme (``None``, the whole theme, being
    the most), than a smaller one. The last two make the grade of a dossier
    non-increasing in population: a larger territory is asked at least as much.
    """
    problems: list[Problem] = []
    known = frozenset(issue_ids)
    seen: set[str] = set()
    valid: list[tuple[int, Expectation]] = []
    for n, item in enumerate(expectations):
        if item.stratum in seen:
            problems.append(
                Problem(("expectations", n, "stratum"), f"duplicate stratum {shown(item.stratum)}")
            )
        seen.add(item.stratum)
        found, _ = unknown_ids(
            "issue", item.issue_coverage, known, "expectations", n, "issue_coverage"
        )
        problems.extend(found)
        valid.append((n, item))
    for kind in TerritoryKind:
        strata = sorted(
            ((n, e) for n, e in valid if kind in e.kinds), key=lambda pair: pair[1].min_population
        )
        if not strata:
            continue
        first_n, first = strata[0]
        if first.min_population != 0:
            problems.append(
                Problem(
                    ("expectations", first_n, "min_population"),
                    f"the strata of kind {kind.value!r} must start at population 0, "
                    f"the first starts at {first.min_population}",
                )
            )
        for (n, lower), (m, upper) in pairwise(strata):
            if lower.max_population != upper.min_population:
                what = (
                    "overlaps"
                    if lower.max_population is None or (lower.max_population > upper.min_population)
                    else "leaves a gap before"
                )
                problems.append(
                    Problem(
                        ("expectations", m, "min_population"),
                        f"for kind {kind.value!r}, {_label(lower, n)} {what} {_label(upper, m)}: "
                        "strata must follow each other without gap or overlap",
                    )
                )
                continue
            low, high = lower.theme_breadth, upper.theme_breadth
            if (low is None and high is not None) or (
                low is not None and high is not None and high < low
            ):
                problems.append(
                    Problem(
                        ("expectations", m, "theme_breadth"),
                        f"for kind {kind.value!r}, {_label(upper, m)} expects a breadth of "
                        f"{high}, less than the {'whole theme' if low is None else low} "
                        f"of the smaller {_label(lower, n)}",
                    )
                )
            for issue_id in issue_ids:
                below, above = lower.coverage_of(issue_id), upper.coverage_of(issue_id)
                if above < below:
                    problems.append(
                        Problem(
                            ("expectations", m, "issue_coverage", issue_id),
                            f"for kind {kind.value!r}, {_label(upper, m)} expects {above}, "
                            f"less than the {below} of the smaller {_label(lower, n)}",
                        )
                    )
    return problems
