"""A testing kit: Hypothesis strategies, and laws that a set of grading rules should obey.

Importing this module needs `hypothesis` (``pip install villes-label[test]``);
the rest of the package does not. Every strategy produces **valid** values
only: taxonomies with unique ids, monotone rulesets whose ids exist, realistic
INSEE and SIREN codes, dossiers that name only services of the referential.

>>> from hypothesis import given, settings, strategies as st
>>> from villes_label import assess
>>> from villes_label.testing import dossiers, rulesets
>>> @settings(max_examples=20)
... @given(data=st.data())
... def test_grade_in_range(data):
...     rules = data.draw(rulesets())
...     dossier = data.draw(dossiers(rules))
...     assert 0 <= assess(dossier, rules).grade <= 5
>>> test_grade_in_range()

The *rule laws* check a ruleset of your own, in your own test suite:
`assert_monotone` (a better dossier never gets a worse result),
`assert_grades_reachable` (every grade can be won, by every kind and size of
territory), `assert_scorer_agrees` (the batch scorer gives exactly the results
of `assess`) and `assert_scenarios` (a file of scenarios holds). Each raises
`AssertionError` with a readable message when the law fails.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import TYPE_CHECKING, assert_never

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from villes_label import (
    Action,
    Applicability,
    Assessment,
    Dossier,
    Expectation,
    GradeRule,
    Issue,
    MentionRule,
    Ruleset,
    Scenario,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
    assess,
    check_scenario,
)
from villes_label._conditions import (
    GRADE_KINDS,
    MENTION_KINDS,
    AtLeast,
    Condition,
    Deployed,
    EachTheme,
    GradeAtLeast,
    MinScore,
    Parameter,
    Values,
    conditions,
    demands,
    rule_fields,
)
from villes_label._linear import QuantityKind
from villes_label._scenarios import scenarios_from_data  # also public as vl.scenarios_from_data
from villes_label._territory import counts_from

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from hypothesis.strategies import SearchStrategy

__all__ = [
    "applicabilities",
    "assert_grades_reachable",
    "assert_monotone",
    "assert_scenarios",
    "assert_scorer_agrees",
    "dossiers",
    "example_dossiers",
    "expectations",
    "fractions",
    "representative_territories",
    "rulesets",
    "scenarios_from_data",
    "statuses",
    "taxonomies",
    "territories",
]

_MAX_GRADE = 5
_FIRST_YEAR, _LAST_YEAR = 2000, 2100
_DEPARTMENTS = tuple(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)
_CREDITED = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)
# Populations where rules often change (thresholds of French law and of the label's rules):
# territories are drawn on them, and just below them, more often than by chance.
_POPULATION_EDGES = (500, 1_000, 2_000, 3_500, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000)
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]


# Run-time checks of what the type hints already promise, for callers without a type
# checker; written so that the checker does not narrow on them.
def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_a(value: object, cls: type[object] | tuple[type[object], ...]) -> bool:
    return isinstance(value, cls)


def _check_range(name: str, low: int, high: int | None, *, floor: int = 0) -> None:
    if not _is_int(low) or low < floor:
        msg = f"{name}: the minimum must be an int >= {floor}, got {low!r}"
        raise InvalidArgument(msg)
    if high is not None and (not _is_int(high) or high < low):
        msg = f"{name}: the maximum must be an int >= the minimum {low}, got {high!r}"
        raise InvalidArgument(msg)


# --- strategies --------------------------------------------------------------------------


def fractions(denominator: int = 20) -> SearchStrategy[Fraction]:
    """Fractions in [0, 1] with the given *denominator* (small ones make ties likely).

    >>> from hypothesis import find
    >>> find(fractions(4), lambda f: f > Fraction(1, 2))
    Fraction(3, 4)
    """
    if not _is_int(denominator) or denominator < 1:
        msg = f"denominator: expected a positive int, got {denominator!r}"
        raise InvalidArgument(msg)
    return st.integers(0, denominator).map(lambda n: Fraction(n, denominator))


def taxonomies(
    *,
    min_themes: int = 1,
    max_themes: int = 3,
    min_issues: int = 1,
    max_issues: int = 3,
    min_services: int = 1,
    max_services: int = 4,
) -> SearchStrategy[Taxonomy]:
    """Small taxonomies with unique readable ids (``t0``, ``t0-i1``, ``t0-i1-s2``).

    Args:
        min_themes: fewest themes.
        max_themes: most themes.
        min_issues: fewest issues in each theme.
        max_issues: most issues in each theme.
        min_services: fewest services in each issue.
        max_services: most services in each issue.

    >>> from hypothesis import find
    >>> len(find(taxonomies(min_themes=2, max_issues=1, max_services=1), lambda t: True).services)
    2
    """
    _check_range("themes", min_themes, max_themes, floor=1)
    _check_range("issues", min_issues, max_issues, floor=1)
    _check_range("services", min_services, max_services, floor=1)
    return _taxonomies(
        themes=(min_themes, max_themes),
        issues=(min_issues, max_issues),
        services=(min_services, max_services),
    )


@st.composite
def _taxonomies(
    draw: st.DrawFn,
    *,
    themes: tuple[int, int],
    issues: tuple[int, int],
    services: tuple[int, int],
) -> Taxonomy:
    theme_list = []
    for t in range(draw(st.integers(*themes))):
        issue_list = []
        for i in range(draw(st.integers(*issues))):
            service_list = tuple(
                Service(id=f"t{t}-i{i}-s{s}", name=f"Service {t}.{i}.{s}")
                for s in range(draw(st.integers(*services)))
            )
            issue_list.append(Issue(id=f"t{t}-i{i}", name=f"Issue {t}.{i}", services=service_list))
        theme_list.append(Theme(id=f"t{t}", name=f"Theme {t}", issues=tuple(issue_list)))
    version = draw(st.sampled_from(["2016", "2017", "test"]))
    return Taxonomy(name="Test referential", version=version, themes=tuple(theme_list))


def _populations(low: int, high: int) -> SearchStrategy[int]:
    """Uniform, log-uniform (villages as often as cities) and at the usual thresholds."""

    def of_width(digits: int) -> SearchStrategy[int]:
        return st.integers(
            max(low, 10 ** (digits - 1) if digits > 1 else 0), min(high, 10**digits - 1)
        )

    log_uniform = st.integers(len(str(low)), len(str(high))).flatmap(of_width)
    edges = sorted({n + d for n in _POPULATION_EDGES for d in (-1, 0) if low <= n + d <= high})
    parts = [st.integers(low, high), log_uniform]
    if edges:
        parts.append(st.sampled_from(edges))
    return st.one_of(parts)


def territories(
    *,
    kinds: Iterable[TerritoryKind] = tuple(TerritoryKind),
    min_population: int = 0,
    max_population: int = 2_200_000,
) -> SearchStrategy[Territory]:
    """Territories of the given *kinds*, with a valid INSEE code (communes) or SIREN (EPCI).

    Populations lie in ``[min_population, max_population]``; villages are as
    likely as cities, and thresholds such as 3,500 or 10,000 inhabitants (and
    one below them) come up often, since that is where applicability rules change.

    Args:
        kinds: the kinds to draw from, such as ``[TerritoryKind.COMMUNE]``.
        min_population: smallest population.
        max_population: largest population.

    >>> from hypothesis import find
    >>> villages = territories(kinds=[TerritoryKind.COMMUNE], max_population=3_499)
    >>> find(villages, lambda t: t.population >= 3_000).population
    3000
    """
    chosen = tuple(dict.fromkeys(kinds))
    if not chosen or not all(isinstance(kind, TerritoryKind) for kind in chosen):
        msg = f"kinds: expected a non-empty collection of TerritoryKind, got {kinds!r}"
        raise InvalidArgument(msg)
    _check_range("population", min_population, max_population)
    return _territories(kinds=chosen, populations=_populations(min_population, max_population))


@st.composite
def _territories(
    draw: st.DrawFn, *, kinds: tuple[TerritoryKind, ...], populations: SearchStrategy[int]
) -> Territory:
    kind = draw(st.sampled_from(kinds))
    if kind is TerritoryKind.COMMUNE:
        department = draw(st.sampled_from(_DEPARTMENTS))
        width = 5 - len(department)
        number = draw(st.integers(1, 10**width - 1))
        code = f"{department}{number:0{width}d}"
    else:
        code = f"{draw(st.integers(200_000_000, 299_999_999)):09d}"
    population = draw(populations)
    name = draw(st.sampled_from(["Montrouge", "Issy", "Brest", "Albi", "Lannion", "Cayenne"]))
    return Territory(code=code, name=f"{name} {code}", kind=kind, population=population)


def statuses(
    *, among: Iterable[Status] | None = None, not_applicable: bool = True
) -> SearchStrategy[Status]:
    """Statuses: every one, or only those *among* the given ones.

    Args:
        among: the statuses to draw from (default: all of them).
        not_applicable: whether ``NOT_APPLICABLE`` may be drawn (when *among* is not given).

    >>> from hypothesis import find
    >>> find(statuses(among=[Status.PARTIAL, Status.DEPLOYED]), lambda s: True)
    <Status.PARTIAL: 'partial'>
    """
    if among is None:
        return st.sampled_from(list(Status) if not_applicable else list(_CREDITED))
    members = list(dict.fromkeys(among))
    if not members or not all(isinstance(member, Status) for member in members):
        msg = f"among: expected a non-empty collection of Status, got {among!r}"
        raise InvalidArgument(msg)
    if not not_applicable and Status.NOT_APPLICABLE in members:
        msg = "among: NOT_APPLICABLE is listed, but not_applicable=False"
        raise InvalidArgument(msg)
    # Credit order, so that shrinking goes toward the lowest status.
    order = {status: n for n, status in enumerate(Status)}
    return st.sampled_from(sorted(members, key=order.__getitem__))


@st.composite
def applicabilities(draw: st.DrawFn) -> Applicability:
    """Applicability rules: a non-empty set of kinds, a population range, maybe an opt-out."""
    kinds = draw(st.frozensets(st.sampled_from(list(TerritoryKind)), min_size=1))
    low = draw(st.sampled_from([0, 0, 500, 3_500, 10_000, 50_000]))
    high = draw(st.sampled_from([None, None, 20_000, 100_000, 1_000_000]))
    if high is not None and high <= low:
        high = None
    return Applicability(
        kinds=kinds, min_population=low, max_population=high, opt_out=draw(st.booleans())
    )


def expectations(taxonomy: Taxonomy) -> SearchStrategy[tuple[Expectation, ...]]:
    """Valid size-aware expectations for the issues of *taxonomy* (maybe none).

    Some territory kinds get strata (population ranges from 0, without gap),
    each expecting a coverage per issue that never decreases from one stratum
    to the next larger one of the same kinds, and maybe a theme breadth that
    never decreases either. Coverages and breadths are halves.

    >>> from hypothesis import given, settings
    >>> from villes_label import default_taxonomy
    >>> @settings(max_examples=5)
    ... @given(expectations(default_taxonomy()))
    ... def test_positive(drawn):
    ...     assert all(e.coverage > 0 for e in drawn)
    >>> test_positive()
    """
    if not _is_a(taxonomy, Taxonomy):
        msg = f"taxonomy: expected a Taxonomy, got {type(taxonomy).__name__}"
        raise InvalidArgument(msg)
    return _expectations(tuple(issue.id for issue in taxonomy.issues))


@st.composite
def _expectations(draw: st.DrawFn, issue_ids: tuple[str, ...]) -> tuple[Expectation, ...]:
    groups: dict[int, set[TerritoryKind]] = {}
    for kind in TerritoryKind:
        group = draw(st.integers(-1, 1))  # -1: no stratum for this kind
        if group >= 0:
            groups.setdefault(group, set()).add(kind)
    step = st.integers(0, 3).map(lambda n: Fraction(n, 2))
    drawn: list[Expectation] = []
    for group, kinds in sorted(groups.items()):
        edges = sorted(
            draw(st.sets(st.sampled_from(_POPULATION_EDGES[:-1]), min_size=0, max_size=3))
        )
        last_open = draw(st.booleans())
        bounds = [*edges, None] if last_open else [*edges, _POPULATION_EDGES[-1]]
        coverage = Fraction(draw(st.integers(1, 4)), 2)
        breadth: Fraction | None = draw(st.none() | st.integers(1, 6).map(lambda n: Fraction(n, 2)))
        overrides: dict[str, Fraction] = {
            issue_id: coverage + draw(step)
            for issue_id in draw(st.lists(st.sampled_from(issue_ids), max_size=2, unique=True))
        }
        low = 0
        for n, high in enumerate(bounds):
            drawn.append(
                Expectation(
                    stratum=f"s{group}-{n}",
                    coverage=coverage,
                    kinds=frozenset(kinds),
                    min_population=low,
                    max_population=high,
                    issue_coverage=dict(overrides),
                    theme_breadth=breadth,
                )
            )
            if high is None:
                break
            low = high
            grow = draw(step)
            coverage += grow
            overrides = {key: max(value + draw(step), coverage) for key, value in overrides.items()}
            if breadth is not None:
                breadth = None if draw(st.integers(0, 4)) == 0 else breadth + draw(step)
    return tuple(drawn)


def _monotone(draw: st.DrawFn, count: int, denominator: int) -> list[Fraction]:
    values = draw(st.lists(fractions(denominator), min_size=count, max_size=count))
    return sorted(values)


def _names(parameter: Parameter) -> bool:
    """Whether *parameter* names a subject (an id) rather than a measure of strictness."""
    match parameter:
        case Parameter.THRESHOLD | Parameter.GRADE:
            return False
        case Parameter.THEME | Parameter.ISSUE | Parameter.SERVICE:
            return True
        case _:  # pragma: no cover
            assert_never(parameter)


def _subject_ids(parameter: Parameter, taxonomy: Taxonomy) -> list[str]:
    """The ids a parameter that names a subject can take in *taxonomy*."""
    match parameter:
        case Parameter.THEME:
            return [theme.id for theme in taxonomy.themes]
        case Parameter.ISSUE:
            return [issue.id for issue in taxonomy.issues]
        case Parameter.SERVICE:
            return [service.id for service in taxonomy.services]
        case Parameter.THRESHOLD | Parameter.GRADE:  # pragma: no cover - not a subject
            msg = f"{parameter} names no subject"
            raise TypeError(msg)
        case _:  # pragma: no cover
            assert_never(parameter)


def _measures(
    draw: st.DrawFn, parameter: Parameter, count: int, denominator: int
) -> Sequence[object]:
    """*count* values of a measure of strictness, from the least strict to the most."""
    match parameter:
        case Parameter.THRESHOLD:
            return _monotone(draw, count, denominator)
        case Parameter.GRADE:
            grade = st.integers(1, _MAX_GRADE)
            return sorted(draw(st.lists(grade, min_size=count, max_size=count)))
        case Parameter.THEME | Parameter.ISSUE | Parameter.SERVICE:  # pragma: no cover
            msg = f"{parameter} is not a measure"
            raise TypeError(msg)
        case _:  # pragma: no cover
            assert_never(parameter)


def _ladder(
    draw: st.DrawFn,
    kind: type[Condition],
    taxonomy: Taxonomy,
    count: int,
    denominator: int,
    *,
    mandatory: bool = False,
    most: int = 2,
) -> list[list[Condition]]:
    """Conditions of *kind* for *count* rules, each rule at least as strict as the one before.

    Up to *most* subjects (one when the kind names none) get a condition from some rule
    on (from the first when *mandatory*), with thresholds that never decrease. Built from
    the kind's `parameters` alone, so that every kind is drawn the same way.
    """
    named = [p for p in kind.parameters if _names(p)]
    if named:
        subject = st.tuples(*(st.sampled_from(_subject_ids(p, taxonomy)) for p in named))
        size = 1 if mandatory else 0
        subjects = draw(st.lists(subject, min_size=size, max_size=most, unique=True))
    else:
        subjects = [()]
    ladder: list[list[Condition]] = [[] for _ in range(count)]
    build: Callable[..., Condition] = kind
    for ids in subjects:
        # Shrinks toward no condition at all: the simpler rules.
        start = 0 if mandatory else count - draw(st.integers(0, count))
        measures = {
            n: _measures(draw, p, count, denominator)
            for n, p in enumerate(kind.parameters)
            if not _names(p)
        }
        for level in range(start, count):
            named_ids = iter(ids)
            args = [
                next(named_ids) if _names(p) else measures[n][level]
                for n, p in enumerate(kind.parameters)
            ]
            ladder[level].append(build(*args))
    return ladder


def _mention_conditions(draw: st.DrawFn, taxonomy: Taxonomy, denominator: int) -> list[Condition]:
    """The conditions of one mention: at least one about a subject (the rules ask one)."""
    found: list[Condition] = []
    for kind in MENTION_KINDS:
        (drawn,) = _ladder(draw, kind, taxonomy, 1, denominator, most=1)
        found.extend(drawn)
    if not any(_names(p) for condition in found for p in condition.parameters):
        about = [kind for kind in MENTION_KINDS if any(map(_names, kind.parameters))]
        kind = draw(st.sampled_from(about))
        (drawn,) = _ladder(draw, kind, taxonomy, 1, denominator, mandatory=True, most=1)
        found.extend(drawn)
    return found


def rulesets(
    taxonomy: Taxonomy | None = None,
    *,
    grades: Iterable[int] | None = None,
    gates: bool = True,
    mentions: bool = True,
    weights: bool = True,
    credits: bool = True,
    applicability: bool = True,
    denominator: int = 20,
    expectations: bool = True,
) -> SearchStrategy[Ruleset]:
    """Valid rulesets: monotone grade rules, ids that exist, positive weights.

    Args:
        taxonomy: the referential of the rules (default: a small drawn one).
        grades: exactly these grades get a rule, such as ``range(1, 6)``
            (default: a drawn non-empty subset of 1..5).
        gates: whether grade rules may have conditions of every kind (theme,
            issue, each-theme, required-service, ...) beside the minimum score.
        mentions: whether the rules may have mentions.
        weights: whether themes, issues and services may have weights.
        credits: whether the credits may differ from the default ones
            (otherwise ABSENT 0, PLANNED 0, PARTIAL 1/2, DEPLOYED 1).
        applicability: whether services may concern only some territories.
        denominator: the denominator of every threshold (small ones make ties likely).
        expectations: whether the rules may have size-aware expectations
            (see `expectations`; otherwise the share-of-potential model).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(rulesets(grades=range(1, 6), gates=False))
    ... def test_five_grades(rules):
    ...     assert [rule.arobases for rule in rules.grades] == [1, 2, 3, 4, 5]
    >>> test_five_grades()
    """
    if taxonomy is not None and not _is_a(taxonomy, Taxonomy):
        msg = f"taxonomy: expected a Taxonomy or None, got {type(taxonomy).__name__}"
        raise InvalidArgument(msg)
    chosen: tuple[int, ...] | None = None
    if grades is not None:
        chosen = tuple(sorted(set(grades)))
        if not chosen or not all(_is_int(g) and 1 <= g <= _MAX_GRADE for g in chosen):
            msg = f"grades: expected a non-empty collection of grades in 1..5, got {grades!r}"
            raise InvalidArgument(msg)
    fractions(denominator)  # validates it
    return _rulesets(
        taxonomy,
        grades=chosen,
        gates=gates,
        mentions=mentions,
        weights=weights,
        credits=credits,
        applicability=applicability,
        denominator=denominator,
        expectations=expectations,
    )


@st.composite
def _rulesets(
    draw: st.DrawFn,
    taxonomy: Taxonomy | None,
    *,
    grades: tuple[int, ...] | None,
    gates: bool,
    mentions: bool,
    weights: bool,
    credits: bool,
    applicability: bool,
    denominator: int,
    expectations: bool,
) -> Ruleset:
    if taxonomy is None:
        taxonomy = draw(taxonomies())
    theme_ids = [theme.id for theme in taxonomy.themes]
    issue_ids = [issue.id for issue in taxonomy.issues]
    service_ids = [service.id for service in taxonomy.services]
    if grades is None:
        grades = tuple(sorted(draw(st.sets(st.integers(1, _MAX_GRADE), min_size=1))))
    count = len(grades)
    # Every kind of condition a grade rule can hold is drawn from its parameters, a ladder
    # per kind (at least as strict from one grade to the next), and the rules are assembled
    # from the conditions: a new kind is drawn as soon as it is listed.
    levels: list[list[Condition]] = [[] for _ in grades]
    for kind in GRADE_KINDS:
        mandatory = kind is MinScore  # `min_score` has no default
        if mandatory or gates:
            ladder = _ladder(draw, kind, taxonomy, count, denominator, mandatory=mandatory)
            for level, drawn in zip(levels, ladder, strict=True):
                level.extend(drawn)
    rules = tuple(
        GradeRule(arobases=grade, **rule_fields(level))
        for grade, level in zip(grades, levels, strict=True)
    )
    mention_rules = []
    if mentions:
        for m in range(draw(st.integers(0, 2))):
            mention_rules.append(
                MentionRule(
                    id=f"mention-{m}",
                    name=f"Mention {m}",
                    **rule_fields(_mention_conditions(draw, taxonomy, denominator)),
                )
            )
    credit_map: dict[Status, Fraction] = {}
    # Drawn credits are the less simple case: shrinking goes to the default ones.
    if credits and draw(st.booleans()):
        values = sorted(draw(st.lists(fractions(4), min_size=3, max_size=3)))
        credit_map = {
            Status.ABSENT: Fraction(0),
            Status.PLANNED: values[0],
            Status.PARTIAL: values[1],
            Status.DEPLOYED: max(values[2], Fraction(1, 4)),
        }
    weight = st.integers(1, 3)
    theme_weights: dict[str, int] = {}
    issue_weights: dict[str, int] = {}
    service_weights: dict[str, int] = {}
    if weights and draw(st.booleans()):
        theme_weights = draw(st.dictionaries(st.sampled_from(theme_ids), weight))
        issue_weights = draw(st.dictionaries(st.sampled_from(issue_ids), weight))
        service_weights = draw(st.dictionaries(st.sampled_from(service_ids), weight))
    rules_of_services = {}
    if applicability:
        rules_of_services = draw(
            st.dictionaries(
                st.sampled_from(service_ids), applicabilities(), max_size=len(service_ids)
            )
        )
    # Drawn expectations are the less simple case: shrinking goes to none.
    strata = draw(_expectations(tuple(issue_ids))) if expectations and draw(st.booleans()) else ()
    return Ruleset(
        name=draw(st.sampled_from(["test rules", "variant"])),
        year=draw(st.integers(_FIRST_YEAR, 2030)),
        taxonomy=taxonomy,
        grades=rules,
        mentions=tuple(mention_rules),
        credits=credit_map,
        theme_weights=theme_weights,
        issue_weights=issue_weights,
        service_weights=service_weights,
        applicability=rules_of_services,
        expectations=strata,
    )


def dossiers(
    ruleset_or_taxonomy: Ruleset | Taxonomy,
    *,
    territory: Territory | SearchStrategy[Territory] | None = None,
    status: Status | SearchStrategy[Status] | None = None,
    min_services: int = 0,
    max_services: int | None = None,
    max_actions: int = 3,
    year: int | None = None,
) -> SearchStrategy[Dossier]:
    """Dossiers that name only services of the referential, weak and strong alike.

    Each dossier first draws a *strength*, one of five levels: the weakest
    names a few services, mostly absent or planned; the strongest names nearly
    every service, mostly deployed; half of the dossiers also name the services
    that a grade of the ruleset requires. So the dossiers spread over every
    score, and over every grade of a ruleset: with no other argument,
    ``dossiers(default_ruleset())`` reaches each grade 1 to 5 within a few
    hundred examples. Shrinking goes toward the weakest level. Actions never
    deliver a service that the dossier declares not applicable.

    Half of the dossiers date their actions, so that the label's two-year rule
    (`Action.counts_in`) is met both ways. Each action of such a dossier is
    undated, or dated between 1 January of the dossier's year − 8 and the
    end of its year: on or after 1 January of the year − 2 (it counts),
    before it (it has expired, unless ``ongoing``), or exactly on either side
    of that boundary; and it is ``ongoing`` or not. Shrinking goes toward
    undated actions.

    Args:
        ruleset_or_taxonomy: the referential the dossiers are written for.
        territory: the territory, or a strategy of them (default: `territories`).
        status: the status of every entry of ``services``, or a strategy of
            them (default: every status, ``NOT_APPLICABLE`` included, weighed
            by the dossier's strength).
        min_services: fewest entries in ``services``.
        max_services: most entries in ``services`` (default: every service).
        max_actions: most actions (their statuses are any but ``NOT_APPLICABLE``).
        year: the label year (default: drawn in 2000..2030).

    >>> from hypothesis import given, settings
    >>> from villes_label import default_taxonomy
    >>> everything = dossiers(default_taxonomy(), status=Status.DEPLOYED, min_services=131,
    ...                       max_actions=0, year=2016)
    >>> @settings(max_examples=5)
    ... @given(everything)
    ... def test_everything_deployed(dossier):
    ...     assert set(dossier.services.values()) == {Status.DEPLOYED}
    ...     assert len(dossier.services) == 131
    >>> test_everything_deployed()
    """
    if not _is_a(ruleset_or_taxonomy, (Ruleset, Taxonomy)):
        msg = (
            "ruleset_or_taxonomy: expected a Ruleset or a Taxonomy, "
            f"got {type(ruleset_or_taxonomy).__name__}"
        )
        raise InvalidArgument(msg)
    taxonomy = (
        ruleset_or_taxonomy.taxonomy
        if isinstance(ruleset_or_taxonomy, Ruleset)
        else ruleset_or_taxonomy
    )
    service_ids = tuple(service.id for service in taxonomy.services)
    _check_range("services", min_services, max_services)
    high = len(service_ids) if max_services is None else min(max_services, len(service_ids))
    if min_services > high:
        msg = f"min_services: {min_services} is more than the {len(service_ids)} services"
        raise InvalidArgument(msg)
    _check_range("actions", 0, max_actions)
    if year is not None and (not _is_int(year) or not _FIRST_YEAR <= year <= _LAST_YEAR):
        msg = f"year: expected an int in {_FIRST_YEAR}..{_LAST_YEAR} or None, got {year!r}"
        raise InvalidArgument(msg)
    if territory is None:
        where = territories()
    elif isinstance(territory, Territory):
        where = st.just(territory)
    else:
        where = territory
    entries: SearchStrategy[Status] | None
    if status is None:
        entries = None
    elif isinstance(status, Status):
        entries = st.just(status)
    else:
        entries = status
    required = (
        sorted({sid for rule in ruleset_or_taxonomy.grades for sid in rule.required_services})
        if isinstance(ruleset_or_taxonomy, Ruleset)
        else []
    )
    return _dossiers(
        service_ids,
        where=where,
        entries=entries,
        sizes=(min_services, high),
        max_actions=max_actions,
        year=st.just(year) if year is not None else st.integers(_FIRST_YEAR, 2030),
        required=tuple(required),
    )


# A dossier's *strength*, drawn first, sets how many services it names and how far it
# has got with them. Drawn service by service from one distribution, nearly every dossier
# would land on the same middling score, and a rule author's property test would never
# meet a 5 @ dossier. The levels name up to 1/32, 1/16, 1/8, 1/3 and all of the services:
# under size-aware expectations a village covers an issue with one service and a city
# with four, so what separates the grades is a few services for one and many for the
# other. The weakest level is mostly absent or planned, the strongest mostly deployed.
# Shrinking goes to the weakest level; the other levels are drawn twice as often, since
# Hypothesis favours the simplest values. A required service of the rules (a website) is
# named by half of the dossiers on top of their level, so its gates are met and missed.
_STRENGTHS = 5
_CUTS = (Fraction(0), Fraction(1, 32), Fraction(1, 16), Fraction(1, 8), Fraction(1, 3), Fraction(1))
_LEVELS = st.sampled_from((0, 1, 2, 3, 4, 1, 2, 3, 4))
# The default statuses at each level, repeated to weigh them; each tuple starts with the
# status that shrinking goes to.
_STATUS_MIX: tuple[tuple[Status, ...], ...] = tuple(
    tuple(
        status
        for status, weight in zip((*_CREDITED, Status.NOT_APPLICABLE), weights, strict=True)
        for _ in range(weight)
    )
    for weights in (
        (4, 2, 1, 1, 1),  # weights of absent, planned, partial, deployed, not applicable
        (1, 1, 1, 5, 1),
        (1, 1, 1, 7, 1),
        (1, 1, 1, 10, 1),
        (1, 0, 1, 17, 1),
    )
)


def _band(level: int, low: int, high: int) -> tuple[int, int]:
    """The range of the number of entries of a dossier of strength *level* (one of five)."""
    width = high - low
    return (
        low + math.floor(width * _CUTS[level]),
        low + math.ceil(width * _CUTS[level + 1]),  # rounded up: the bands cover low..high
    )


@st.composite
def _dossiers(
    draw: st.DrawFn,
    service_ids: tuple[str, ...],
    *,
    where: SearchStrategy[Territory],
    entries: SearchStrategy[Status] | None,
    sizes: tuple[int, int],
    max_actions: int,
    year: SearchStrategy[int],
    required: tuple[str, ...] = (),
) -> Dossier:
    place = draw(where)
    label_year = draw(year)  # first: the dates of the actions are drawn around it
    level = draw(_LEVELS)
    fewest, most = _band(level, *sizes)
    named = draw(
        st.lists(st.sampled_from(service_ids), min_size=fewest, max_size=most, unique=True)
    )
    for sid in required:
        if sid not in named and len(named) < sizes[1] and draw(st.booleans()):
            named.append(sid)
    status = st.sampled_from(_STATUS_MIX[level]) if entries is None else entries
    services = {sid: draw(status) for sid in named}
    available = [sid for sid in service_ids if services.get(sid) is not Status.NOT_APPLICABLE]
    actions = []
    if available and max_actions:
        # Dated actions are the less simple case: shrinking goes to undated ones.
        dated = draw(st.booleans())
        for n in range(draw(st.integers(0, max_actions))):
            delivered = draw(st.frozensets(st.sampled_from(available), min_size=1, max_size=4))
            actions.append(
                Action(
                    id=f"action-{n}",
                    title=f"Action {n}",
                    services=delivered,
                    status=draw(st.sampled_from(_CREDITED)),
                    date=draw(_action_dates(label_year)) if dated else None,
                    ongoing=draw(_ONGOING) if dated else False,
                )
            )
    return Dossier(territory=place, year=label_year, services=services, actions=tuple(actions))


# One dated action in three is still running: most old ones then expire.
_ONGOING = st.sampled_from((False, False, True))


def _action_dates(year: int) -> SearchStrategy[dt.date | None]:
    """The date of an action of a dossier of *year*: none, counting, expired or on the boundary."""
    start = counts_from(year)  # the earliest date that counts without running still
    expired = start - dt.timedelta(days=1)
    return st.one_of(
        st.none(),
        st.sampled_from((start, expired)),
        st.dates(start, dt.date(year, 12, 31)),
        st.dates(dt.date(year - 8, 1, 1), expired),
    )


# --- rule laws ---------------------------------------------------------------------------


def _settings(max_examples: int | None) -> settings:
    # The current profile's settings (``max_examples``, ``derandomize``...) apply, but no
    # example database (the function checked is a different one for every ruleset) and
    # no explain phase (tracing every line of a failure costs minutes here, and the
    # message already says what went wrong).
    current = settings()
    phases = [phase for phase in current.phases if phase is not Phase.explain]
    chosen = current.max_examples if max_examples is None else max_examples
    return settings(
        max_examples=chosen,
        deadline=None,
        database=None,
        phases=phases,
        suppress_health_check=_HEALTH,
    )


def _raises(dossier: Dossier, ruleset: Ruleset) -> list[tuple[str, str, Status, Status]]:
    """Every way to raise one status of *dossier*: (``"service"`` or ``"action"``, id, from, to).

    Any service of the referential can be raised, named by the dossier or not
    (then it is absent); a service declared not applicable is outside the order.
    """
    moves: list[tuple[str, str, Status, Status]] = []
    for service in ruleset.taxonomy.services:
        own = dossier.services.get(service.id, Status.ABSENT)
        if own is not Status.NOT_APPLICABLE:
            moves.extend(("service", service.id, own, new) for new in _CREDITED if new > own)
    for action in dossier.actions:
        moves.extend(
            ("action", action.id, action.status, new) for new in _CREDITED if new > action.status
        )
    return moves


def _raised(dossier: Dossier, move: tuple[str, str, Status, Status]) -> Dossier:
    where, key, _, new = move
    if where == "service":
        return dossier.with_status(key, new)
    actions = tuple(attrs.evolve(a, status=new) if a.id == key else a for a in dossier.actions)
    return Dossier(
        territory=dossier.territory, year=dossier.year, services=dossier.services, actions=actions
    )


def assert_monotone(
    ruleset: Ruleset,
    *,
    assess: Callable[[Dossier, Ruleset], Assessment] = assess,
    territory: Territory | SearchStrategy[Territory] | None = None,
    max_examples: int | None = None,
) -> None:
    """Check that a better dossier never gets a worse result: the monotonicity law.

    Raising the status of one service (an entry of the dossier, or an action
    that delivers it) never lowers the score, nor the grade, nor takes a
    mention away. Hypothesis draws the dossiers (`dossiers`) and the raise, and
    shrinks a failure to a small example.

    The library's own scoring obeys this law for every valid ruleset (credits
    grow with the status, grade rules are monotone): the law is there for the
    code you put around it, passed as *assess*, such as a bonus for small
    villages or a port of the rules to another tool.

    Args:
        ruleset: the rules to check.
        assess: the scoring function checked (default: `villes_label.assess`).
        territory: a territory, or a strategy of them (default: every kind and size).
        max_examples: how many dossiers to try (default: the Hypothesis profile's).

    Raises:
        AssertionError: a raise that lowers the result, after shrinking.

    >>> from villes_label import default_ruleset
    >>> assert_monotone(default_ruleset(), max_examples=10)
    """
    if not _is_a(ruleset, Ruleset):
        msg = f"ruleset: expected a Ruleset, got {type(ruleset).__name__}"
        raise InvalidArgument(msg)
    strategy = dossiers(ruleset, territory=territory)
    score = assess

    @_settings(max_examples)
    @given(data=st.data())
    def raising_a_status_never_lowers_the_result(data: st.DataObject) -> None:
        dossier = data.draw(strategy, label="dossier")
        moves = _raises(dossier, ruleset)
        if not moves:
            return
        move = data.draw(st.sampled_from(moves), label="raise")
        before, after = score(dossier, ruleset), score(_raised(dossier, move), ruleset)
        where, key, old, new = move
        lowered = []
        if after.score < before.score:
            lowered.append(f"the score from {before.score} to {after.score}")
        if after.grade < before.grade:
            lowered.append(f"the grade from {before.grade} to {after.grade}")
        if lost := sorted(set(before.mentions) - set(after.mentions)):
            lowered.append(f"the mentions {', '.join(map(repr, lost))}")
        if lowered:
            msg = (
                f"raising {where} {key!r} from {old.value} to {new.value} lowers "
                f"{' and '.join(lowered)} (territory: {dossier.territory})"
            )
            raise AssertionError(msg)

    raising_a_status_never_lowers_the_result()


def assert_scorer_agrees(
    ruleset: Ruleset,
    *,
    territory: Territory | SearchStrategy[Territory] | None = None,
    max_examples: int | None = None,
) -> None:
    """Check that `villes_label.Scorer` gives exactly the grades and scores of `assess`.

    Hypothesis draws small cohorts of dossiers (`dossiers`); the compiled
    scorer's grades and exact scores must equal those of `assess`, dossier by
    dossier. Worth running on a ruleset of your own with unusual weights,
    credits or applicability rules.

    Args:
        ruleset: the rules to check.
        territory: a territory, or a strategy of them (default: every kind and size).
        max_examples: how many cohorts to try (default: the Hypothesis profile's).

    Raises:
        AssertionError: a dossier whose grade or score differs.

    >>> from villes_label import default_ruleset
    >>> assert_scorer_agrees(default_ruleset(), max_examples=5)
    """
    from villes_label import Scorer  # noqa: PLC0415 - only this law needs the batch scorer

    if not _is_a(ruleset, Ruleset):
        msg = f"ruleset: expected a Ruleset, got {type(ruleset).__name__}"
        raise InvalidArgument(msg)
    scorer = Scorer(ruleset)
    cohorts = st.lists(dossiers(ruleset, territory=territory), min_size=1, max_size=8)

    @_settings(max_examples)
    @given(cohort=cohorts)
    def the_scorer_agrees_with_assess(cohort: list[Dossier]) -> None:
        grades, scores = scorer.grades(cohort), scorer.scores(cohort)
        for n, dossier in enumerate(cohort):
            expected = assess(dossier, ruleset)
            if (grades[n], scores[n]) != (expected.grade, expected.score):
                msg = (
                    f"dossier {n} of {dossier.territory}: the scorer gives grade {grades[n]}, "
                    f"score {scores[n]}; assess gives grade {expected.grade}, "
                    f"score {expected.score}"
                )
                raise AssertionError(msg)

    the_scorer_agrees_with_assess()


def assert_scenarios(scenarios: Iterable[Scenario], ruleset: Ruleset) -> None:
    """Check that every scenario holds under *ruleset* (see `villes_label.check_scenario`).

    Raises:
        AssertionError: listing the mismatches of every failing scenario.

    >>> from villes_label import Scenario, default_ruleset
    >>> from villes_label.referential import sample_dossier
    >>> assert_scenarios([Scenario(name="sample", dossier=sample_dossier(), expect_grade=4)],
    ...                  default_ruleset())
    Traceback (most recent call last):
    ...
    AssertionError: 1 of 1 scenarios failed:
      - sample: expected grade 4, got 3 (the score 60.4 is 2.1 points below the 62.5 required; ...)
    """
    checked = list(scenarios)
    failures = [line for scenario in checked for line in check_scenario(scenario, ruleset)]
    if failures:
        failed = sum(1 for scenario in checked if check_scenario(scenario, ruleset))
        lines = [f"{failed} of {len(checked)} scenarios failed:"]
        lines.extend(f"  - {line}" for line in failures)
        raise AssertionError("\n".join(lines))


# --- reachable grades --------------------------------------------------------------------


def _population_bounds(ruleset: Ruleset) -> list[int]:
    bounds = {0}
    ranges: list[Applicability | Expectation] = [
        *ruleset.applicability.values(),
        *ruleset.expectations,
    ]
    for rule in ranges:
        bounds.add(rule.min_population)
        if rule.max_population is not None:
            bounds.add(rule.max_population)
    return sorted(bounds)


def representative_territories(ruleset: Ruleset) -> tuple[Territory, ...]:
    """One territory for each class of territories that *ruleset* treats alike.

    Applicability rules and expectations depend on a territory's kind and on
    the bracket of its population between two bounds that the rules name:
    territories of kinds
    that every rule treats alike, in the same bracket, are concerned by the
    same services. Each representative has the lowest population of its
    bracket and a name that says which territories it stands for.

    >>> from villes_label import default_ruleset
    >>> [t.name for t in representative_territories(default_ruleset())][:3]
    ['commune of 0 to 2,999 inhabitants', 'commune of 3,000 to 3,499 inhabitants', 'commune of 3,500 to 9,999 inhabitants']
    >>> len(representative_territories(default_ruleset()))
    14
    """
    rules: list[Applicability | Expectation] = [
        *(ruleset.applicability[sid] for sid in sorted(ruleset.applicability)),
        *ruleset.expectations,
    ]
    classes: dict[tuple[bool, ...], list[TerritoryKind]] = {}
    for kind in TerritoryKind:
        classes.setdefault(tuple(kind in rule.kinds for rule in rules), []).append(kind)
    bounds = _population_bounds(ruleset)
    found = []
    for kinds in classes.values():
        kind = kinds[0]
        if len(kinds) == len(TerritoryKind):
            label = "territory"
        elif set(kinds) == {k for k in TerritoryKind if k.is_epci}:
            label = "intercommunality"
        else:
            label = " or ".join(k.value.replace("_", " ") for k in kinds)
        code = "01001" if kind is TerritoryKind.COMMUNE else "200000001"
        for low, high in zip(bounds, [*bounds[1:], None], strict=True):
            size = (
                f"{low:,} inhabitants or more"
                if high is None
                else f"{low:,} to {high - 1:,} inhabitants"
            )
            found.append(Territory(code=code, name=f"{label} of {size}", kind=kind, population=low))
    return tuple(found)


def _levels(ruleset: Ruleset) -> list[Status]:
    """The statuses a service climbs through: each earns more credit than the one before.

    The last one is ``DEPLOYED`` even when it earns no more than ``PARTIAL``:
    a required service must be deployed, and a partial one earning as much is
    how a dossier fails that condition alone.
    """
    credit = ruleset.credits
    levels: list[Status] = []
    last = credit[Status.ABSENT]
    for status in (Status.PLANNED, Status.PARTIAL):
        if credit[status] > last:
            levels.append(status)
            last = credit[status]
    return [*levels, Status.DEPLOYED]


def _balanced(
    services: Sequence[str], ruleset: Ruleset, levels: Sequence[Status]
) -> list[tuple[str, Status]]:
    """Steps that raise *services* so that every issue climbs at the same pace."""
    chosen = set(services)
    steps: list[tuple[Fraction, int, tuple[str, Status]]] = []
    for n, issue in enumerate(ruleset.taxonomy.issues):
        members = [s.id for s in issue.services if s.id in chosen]
        total = len(members) * len(levels)
        position = 0
        for level in levels:
            for sid in members:
                position += 1
                steps.append((Fraction(position, total), n, (sid, level)))
    steps.sort(key=lambda item: (item[0], item[1]))
    return [step for _, _, step in steps]


def _sequential(
    services: Sequence[str], ruleset: Ruleset, levels: Sequence[Status]
) -> list[tuple[str, Status]]:
    """Steps that raise *services* one after the other, each to the top, in taxonomy order."""
    chosen = set(services)
    return [(s.id, level) for s in ruleset.taxonomy.services if s.id in chosen for level in levels]


def _members(ruleset: Ruleset, node_id: str) -> set[str]:
    """The services of a theme or an issue."""
    taxonomy = ruleset.taxonomy
    for theme in taxonomy.themes:
        if theme.id == node_id:
            return {s.id for issue in theme.issues for s in issue.services}
    return {s.id for s in taxonomy.issue(node_id).services}


def _everything(ruleset: Ruleset) -> Values:
    """Every theme and issue with a score: what some territory may have."""
    tax = ruleset.taxonomy
    return Values(
        score=Fraction(0),
        themes=dict.fromkeys((theme.id for theme in tax.themes), Fraction(0)),
        issues=dict.fromkeys((issue.id for issue in tax.issues), Fraction(0)),
        statuses={},
        not_concerned=frozenset(),
    )


def _asks(
    rule: GradeRule, everything: Values
) -> tuple[dict[tuple[QuantityKind, str], Fraction], set[str], set[str]]:
    """What *rule* asks (`demands`), and the themes and issues it gates by name.

    The largest minimum on each quantity and the services it wants deployed, as
    the plan searches read them; then the ids of the themes and issues that a
    condition names (not those reached through "each theme").
    """
    asked, deployed = demands(rule, everything)
    gated = {
        atom.id
        for condition in conditions(rule)
        if not isinstance(condition, EachTheme)
        for atom in condition.atoms(everything)
        if isinstance(atom, AtLeast) and atom.id
    }
    return asked, deployed, gated


def _stricter(
    ruleset: Ruleset, rule: GradeRule, following: GradeRule, concerned: set[str]
) -> list[set[str]]:
    """The conditions of *following* stricter than *rule*'s that can fail for a territory.

    Each is given by the services to raise last, so that the condition fails
    while *rule* holds. A grade whose next rule has none can never be awarded
    alone: whenever its rule holds, so does the next one.
    """
    everything = _everything(ruleset)
    asked, deployed, gated = _asks(rule, everything)
    found: list[set[str]] = []
    for condition in conditions(following):
        for atom in condition.atoms(everything):
            match atom:
                case AtLeast():
                    if atom.threshold <= asked.get((atom.kind, atom.id), Fraction(0)):
                        continue
                    if atom.kind is QuantityKind.SCORE:
                        # Every service at the same pace, or the rule's own gates met first,
                        # at the lowest score.
                        found.append(set(concerned))
                        early = set().union(*(_members(ruleset, node) for node in sorted(gated)))
                        if concerned & early and concerned - early:
                            found.append(concerned - early)
                    else:
                        services = _members(ruleset, atom.id) & concerned
                        if services:
                            found.append(services)
                case Deployed():
                    if atom.service not in deployed and atom.service in concerned:
                        found.append({atom.service})
                case GradeAtLeast():
                    pass
                case _:
                    assert_never(atom)
    return found


@attrs.define
class _Search:
    """Dossiers of one territory climbing toward each grade of a ruleset (see `example_dossiers`)."""

    ruleset: Ruleset
    territory: Territory
    year: int
    found: dict[int, Dossier] = attrs.field(factory=dict)
    gains: dict[tuple[tuple[str, Status], ...], list[str]] = attrs.field(factory=dict)

    def grade(self, base: Mapping[str, Status], steps: Sequence[tuple[str, Status]]) -> int:
        services = dict(base)
        # A service's steps come in credit order: the last one applied is its best.
        services.update(steps)
        dossier = Dossier(territory=self.territory, year=self.year, services=services)
        grade = assess(dossier, self.ruleset).grade
        self.found.setdefault(grade, dossier)
        return grade

    def first_reaching(
        self, base: Mapping[str, Status], steps: Sequence[tuple[str, Status]], grade: int
    ) -> None:
        """Along a path the grade never goes down: find the first step that reaches *grade*.

        The path's last dossier must reach it.
        """
        low, high = 0, len(steps)
        while low < high:
            middle = (low + high) // 2
            if self.grade(base, steps[:middle]) >= grade:
                high = middle
            else:
                low = middle + 1

    def by_gain(self, base: Mapping[str, Status]) -> list[str]:
        """The services of *base* to raise, those that raise the score most first.

        The gains are measured with `assess`, deploying each service alone.
        """
        key = tuple(sorted(base.items()))
        if key not in self.gains:
            start = Dossier(territory=self.territory, year=self.year, services=base)
            score = assess(start, self.ruleset).score
            gains = {
                sid: assess(start.with_status(sid, Status.DEPLOYED), self.ruleset).score - score
                for sid, status in base.items()
                if status is Status.ABSENT
            }
            self.gains[key] = sorted(gains, key=lambda sid: -gains[sid])
        return self.gains[key]

    def climb(
        self, base: Mapping[str, Status], steps: Sequence[tuple[str, Status]], grade: int
    ) -> None:
        """Take every step that does not overshoot *grade*, skipping those that do."""
        taken: list[tuple[str, Status]] = []
        n = 0
        while n < len(steps) and grade not in self.found:
            if self.grade(base, [*taken, steps[n]]) > grade:
                n += 1
                continue
            # The longest run of steps from n that does not overshoot, by bisection.
            low, high = n + 1, len(steps)
            while low < high and grade not in self.found:
                middle = (low + high + 1) // 2
                if self.grade(base, [*taken, *steps[n:middle]]) <= grade:
                    low = middle
                else:
                    high = middle - 1
            taken.extend(steps[n:low])
            n = low


def example_dossiers(ruleset: Ruleset, territory: Territory) -> dict[int, Dossier]:
    """A dossier of *territory* for each grade of *ruleset* that a search finds, by grade.

    A grade is awarded alone when its rule holds and the next grade's rule
    fails. For each grade, the search builds dossiers that climb from nothing
    to everything deployed, with and without the territory's opt-outs
    declared, along paths made for each stricter condition of the next rule
    to fail last (its required service deployed last, its gated issue or
    theme raised last), every issue at the same pace or one service after the
    other; then, if need be, it climbs again skipping every step that would
    overshoot the grade. A grade whose next rule is not stricter on any
    condition that can fail for the territory is never awarded, and is not
    searched. A grade missing from the result is very likely unreachable for
    this territory, though the search is not exhaustive.

    Args:
        ruleset: the rules.
        territory: the territory whose dossiers are built.

    Returns:
        ``{grade: dossier}`` with ``assess(dossier, ruleset).grade == grade``,
        sorted by grade; grade 0 is there when the search met it.

    >>> from villes_label import default_ruleset
    >>> village = Territory(code="48001", name="Albaret", kind=TerritoryKind.COMMUNE, population=500)
    >>> found = example_dossiers(default_ruleset(), village)
    >>> sorted(found)
    [1, 2, 3, 4, 5]
    >>> assess(found[4], default_ruleset()).grade
    4
    """
    if not _is_a(ruleset, Ruleset):
        msg = f"ruleset: expected a Ruleset, got {type(ruleset).__name__}"
        raise InvalidArgument(msg)
    if not _is_a(territory, Territory):
        msg = f"territory: expected a Territory, got {type(territory).__name__}"
        raise InvalidArgument(msg)
    search = _Search(ruleset, territory, min(max(ruleset.year, _FIRST_YEAR), _LAST_YEAR))
    concerned = [s.id for s in ruleset.taxonomy.services if ruleset.concerns(s.id, territory)]
    optional = [sid for sid in concerned if ruleset.applicability_of(sid).opt_out]
    levels = _levels(ruleset)
    bases = []
    for opted_out in ([], optional) if optional else ([],):
        base = {sid: Status.ABSENT for sid in concerned if sid not in opted_out}
        base.update(dict.fromkeys(opted_out, Status.NOT_APPLICABLE))
        bases.append(base)
    # Every path of a base ends with all its services deployed: a grade that this dossier
    # misses is missed by every dossier of the base.
    tops = [
        search.grade(
            base, [(sid, Status.DEPLOYED) for sid, old in base.items() if old is Status.ABSENT]
        )
        for base in bases
    ]
    rules = list(ruleset.grades)
    for n, rule in enumerate(rules):
        following = rules[n + 1] if n + 1 < len(rules) else None
        paths: list[tuple[dict[str, Status], list[tuple[str, Status]]]] = []
        climbs: list[tuple[dict[str, Status], list[tuple[str, Status]], list[str]]] = []
        for base, top in zip(bases, tops, strict=True):
            units = [sid for sid, status in base.items() if status is Status.ABSENT]
            if top < rule.arobases:
                continue
            lasts = (
                [set()] if following is None else _stricter(ruleset, rule, following, set(units))
            )
            required = _asks(rule, _everything(ruleset))[1]
            first = [(sid, Status.DEPLOYED) for sid in sorted(required) if sid in base]
            rest = [sid for sid in units if sid not in required]
            for last in lasts:
                early = [sid for sid in rest if sid not in last]
                late = [sid for sid in rest if sid in last]
                for order in (_balanced, _sequential):
                    steps = [*first, *order(early, ruleset, levels), *order(late, ruleset, levels)]
                    paths.append((base, steps))
            if lasts:
                climbs.append((base, first, rest))
        for base, steps in paths:
            if rule.arobases in search.found:
                break
            search.first_reaching(base, steps, rule.arobases)
        if rule.arobases in search.found:
            continue
        # For narrow windows: large steps first, then smaller ones to fill the gap.
        largest_first = [
            (
                base,
                [
                    *first,
                    *((sid, lvl) for sid in search.by_gain(base) if sid in rest for lvl in levels),
                ],
            )
            for base, first, rest in climbs
        ]
        for base, steps in [*largest_first, *paths]:
            if rule.arobases in search.found:
                break
            search.climb(base, steps, rule.arobases)
    return dict(sorted(search.found.items()))


def assert_grades_reachable(
    ruleset: Ruleset,
    territories: Iterable[Territory] | None = None,
    *,
    grades: Iterable[int] | None = None,
) -> None:
    """Check that every grade of *ruleset* can be won, by every kind and size of territory.

    "Un village 5 @ vaut une ville 5 @": a grade that a village, or an
    intercommunality, can never reach is usually a mistake of the rules, such
    as two grades with the same conditions (the lower one is never awarded), a
    threshold above the credit of a deployed service, or a window between two
    thresholds too narrow for a territory with few concerned services. Each
    grade is looked for with `example_dossiers`.

    Args:
        ruleset: the rules to check.
        territories: the territories to try (default:
            `representative_territories`, one for each class of territories
            that the rules treat alike).
        grades: the grades to reach (default: every grade with a rule).

    Raises:
        AssertionError: naming each grade and the territories that cannot reach it.

    >>> from villes_label import default_ruleset
    >>> assert_grades_reachable(default_ruleset())
    """
    if not _is_a(ruleset, Ruleset):
        msg = f"ruleset: expected a Ruleset, got {type(ruleset).__name__}"
        raise InvalidArgument(msg)
    tried = list(representative_territories(ruleset) if territories is None else territories)
    wanted = sorted({rule.arobases for rule in ruleset.grades} if grades is None else set(grades))
    missing: dict[int, list[Territory]] = {}
    for territory in tried:
        found = example_dossiers(ruleset, territory)
        for grade in wanted:
            if grade not in found:
                missing.setdefault(grade, []).append(territory)
    if missing:
        lines = [f"grades that no dossier reaches under the rules {ruleset.name!r}:"]
        for grade, where in sorted(missing.items()):
            who = (
                f"any of the {len(tried)} territories tried"
                if len(where) == len(tried) and len(tried) > 1
                else "; ".join(t.name for t in where)
            )
            lines.append(f"  - grade {grade} ({'@' * grade or '-'}): {who}")
        raise AssertionError("\n".join(lines))
