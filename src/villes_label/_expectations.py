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

from villes_label._errors import InvalidInput, unknown_id
from villes_label._territory import Territory, TerritoryKind
from villes_label._values import FrozenMap, is_instance, is_int, to_fraction

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Expectation", "expectation_problems"]

_ZERO = Fraction(0)


def _kinds(value: Iterable[TerritoryKind]) -> frozenset[TerritoryKind]:
    if isinstance(value, str):
        return frozenset({TerritoryKind(value)})
    if not is_instance(value, Iterable):
        msg = f"kinds: expected a set of territory kinds, got {type(value).__name__}"
        raise InvalidInput(msg)
    return frozenset(value)


def _coverage(value: Fraction | float | str) -> Fraction:
    try:
        return to_fraction(value)
    except (TypeError, ValueError) as error:
        msg = f"coverage: {error}"
        raise InvalidInput(msg) from None


def _issue_coverage(value: Mapping[str, Fraction]) -> FrozenMap[str, Fraction]:
    if not is_instance(value, Mapping):
        msg = (
            f"issue_coverage: expected a mapping of issue id to credit, got {type(value).__name__}"
        )
        raise InvalidInput(msg)
    problems: list[str] = []
    out: dict[str, Fraction] = {}
    for key, raw in value.items():
        try:
            out[key] = to_fraction(raw)
        except (TypeError, ValueError) as error:
            problems.append(f"issue_coverage.{key}: {error}")
    if problems:
        raise InvalidInput(*problems)
    return FrozenMap(out)


def _breadth(value: Fraction | float | str | None) -> Fraction | None:
    if value is None:
        return None
    try:
        return to_fraction(value)
    except (TypeError, ValueError) as error:
        msg = f"theme_breadth: {error}"
        raise InvalidInput(msg) from None


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
        problems = self.problems()
        if problems:
            raise InvalidInput(*problems)

    def problems(self, path: str = "") -> list[str]:
        """Every problem of this expectation on its own (issue ids are checked by the ruleset)."""
        prefix = f"{path}." if path else ""
        problems: list[str] = []
        if not is_instance(self.stratum, str) or not self.stratum.strip():
            problems.append(f"{prefix}stratum: an expectation needs a non-empty stratum id")
        if not is_instance(self.name, str):
            problems.append(f"{prefix}name: expected a str, got {type(self.name).__name__}")
        if self.coverage <= _ZERO:
            problems.append(f"{prefix}coverage: must be > 0, got {self.coverage}")
        if self.theme_breadth is not None and self.theme_breadth <= _ZERO:
            problems.append(f"{prefix}theme_breadth: must be > 0, got {self.theme_breadth}")
        for key, value in self.issue_coverage.items():
            if value <= _ZERO:
                problems.append(f"{prefix}issue_coverage.{key}: must be > 0, got {value}")
        if not self.kinds:
            problems.append(f"{prefix}kinds: a stratum needs at least one territory kind")
        for kind in sorted(self.kinds, key=str):
            if not is_instance(kind, TerritoryKind):
                problems.append(f"{prefix}kinds: {kind!r} is not a territory kind")
        low, high = self.min_population, self.max_population
        if not is_int(low):
            problems.append(f"{prefix}min_population: expected an int, got {type(low).__name__}")
        elif low < 0:
            problems.append(f"{prefix}min_population: must be >= 0, got {low}")
        if high is not None:
            if not is_int(high):
                problems.append(
                    f"{prefix}max_population: expected an int or None, got {type(high).__name__}"
                )
            elif is_int(low) and high <= low:
                problems.append(
                    f"{prefix}max_population: {high} must be above min_population {low}"
                )
        return problems

    def covers(self, territory: Territory) -> bool:
        """Whether *territory* belongs to this stratum."""
        if territory.kind not in self.kinds or territory.population < self.min_population:
            return False
        return self.max_population is None or territory.population < self.max_population

    def coverage_of(self, issue_id: str) -> Fraction:
        """The credit that covers *issue_id* for a territory of this stratum."""
        return self.issue_coverage.get(issue_id, self.coverage)


def _label(expectation: Expectation, n: int) -> str:
    return f"expectations[{n}] ({expectation.stratum!r})"


def expectation_problems(expectations: Sequence[object], issue_ids: Sequence[str]) -> list[str]:
    """Every problem of a ruleset's expectations as a whole.

    Stratum ids are unique; every issue id exists; for each territory kind the
    strata of that kind start at population 0 and follow each other without
    gap or overlap; and a larger stratum of a kind never expects less of an
    issue, nor a smaller breadth of a theme (``None``, the whole theme, being
    the most), than a smaller one. The last two make the grade of a dossier
    non-increasing in population: a larger territory is asked at least as much.
    """
    problems: list[str] = []
    known = frozenset(issue_ids)
    seen: set[str] = set()
    valid: list[tuple[int, Expectation]] = []
    for n, item in enumerate(expectations):
        if not isinstance(item, Expectation):
            problems.append(
                f"expectations[{n}]: expected an Expectation, got {type(item).__name__}"
            )
            continue
        if item.stratum in seen:
            problems.append(f"expectations[{n}].stratum: duplicate stratum {item.stratum!r}")
        seen.add(item.stratum)
        problems.extend(
            f"expectations[{n}].issue_coverage.{key}: {unknown_id('issue', key, known)}"
            for key in sorted(item.issue_coverage)
            if key not in known
        )
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
                f"expectations[{first_n}].min_population: the strata of kind {kind.value!r} "
                f"must start at population 0, the first starts at {first.min_population}"
            )
        for (n, lower), (m, upper) in pairwise(strata):
            if lower.max_population != upper.min_population:
                what = (
                    "overlaps"
                    if lower.max_population is None or (lower.max_population > upper.min_population)
                    else "leaves a gap before"
                )
                problems.append(
                    f"expectations[{m}].min_population: for kind {kind.value!r}, "
                    f"{_label(lower, n)} {what} {_label(upper, m)}: strata must follow "
                    "each other without gap or overlap"
                )
                continue
            low, high = lower.theme_breadth, upper.theme_breadth
            if (low is None and high is not None) or (
                low is not None and high is not None and high < low
            ):
                problems.append(
                    f"expectations[{m}].theme_breadth: for kind {kind.value!r}, "
                    f"{_label(upper, m)} expects a breadth of {high}, less than the "
                    f"{'whole theme' if low is None else low} of the smaller {_label(lower, n)}"
                )
            for issue_id in issue_ids:
                below, above = lower.coverage_of(issue_id), upper.coverage_of(issue_id)
                if above < below:
                    problems.append(
                        f"expectations[{m}].issue_coverage.{issue_id}: for kind "
                        f"{kind.value!r}, {_label(upper, m)} expects {above}, less than the "
                        f"{below} of the smaller {_label(lower, n)}"
                    )
    return problems
