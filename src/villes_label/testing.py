"""Hypothesis strategies for people who property-test their own rules and code.

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
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from villes_label._rules import MAX_GRADE, Applicability, GradeRule, MentionRule, Ruleset
from villes_label._taxonomy import Issue, Service, Taxonomy, Theme
from villes_label._territory import Action, Dossier, Status, Territory, TerritoryKind

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "applicabilities",
    "dossiers",
    "fractions",
    "rulesets",
    "statuses",
    "taxonomies",
    "territories",
]

_DEPARTMENTS = tuple(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)
_CREDITED = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)


def fractions(denominator: int = 20) -> st.SearchStrategy[Fraction]:
    """Fractions in [0, 1] with the given *denominator* (small ones make ties likely)."""
    return st.integers(0, denominator).map(lambda n: Fraction(n, denominator))


@st.composite
def taxonomies(
    draw: st.DrawFn,
    *,
    min_themes: int = 1,
    max_themes: int = 3,
    max_issues: int = 3,
    max_services: int = 4,
) -> Taxonomy:
    """Small taxonomies with unique readable ids (``t0``, ``t0-i1``, ``t0-i1-s2``)."""
    themes = []
    for t in range(draw(st.integers(min_themes, max_themes))):
        issues = []
        for i in range(draw(st.integers(1, max_issues))):
            services = tuple(
                Service(id=f"t{t}-i{i}-s{s}", name=f"Service {t}.{i}.{s}")
                for s in range(draw(st.integers(1, max_services)))
            )
            issues.append(Issue(id=f"t{t}-i{i}", name=f"Issue {t}.{i}", services=services))
        themes.append(Theme(id=f"t{t}", name=f"Theme {t}", issues=tuple(issues)))
    version = draw(st.sampled_from(["2016", "2017", "test"]))
    return Taxonomy(name="Test referential", version=version, themes=tuple(themes))


@st.composite
def territories(
    draw: st.DrawFn,
    *,
    kinds: Sequence[TerritoryKind] = tuple(TerritoryKind),
    min_population: int = 0,
    max_population: int = 2_200_000,
) -> Territory:
    """Territories of the given *kinds*, with a valid INSEE code (communes) or SIREN (EPCI)."""
    kind = draw(st.sampled_from(list(kinds)))
    if kind is TerritoryKind.COMMUNE:
        department = draw(st.sampled_from(_DEPARTMENTS))
        width = 5 - len(department)
        number = draw(st.integers(1, 10**width - 1))
        code = f"{department}{number:0{width}d}"
    else:
        code = f"{draw(st.integers(200_000_000, 299_999_999)):09d}"
    population = draw(st.integers(min_population, max_population))
    name = draw(st.sampled_from(["Montrouge", "Issy", "Brest", "Albi", "Lannion", "Cayenne"]))
    return Territory(code=code, name=f"{name} {code}", kind=kind, population=population)


def statuses(*, not_applicable: bool = True) -> st.SearchStrategy[Status]:
    """Statuses, with or without ``NOT_APPLICABLE``."""
    members = list(Status) if not_applicable else list(_CREDITED)
    return st.sampled_from(members)


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


def _monotone(draw: st.DrawFn, count: int, denominator: int) -> list[Fraction]:
    values = draw(st.lists(fractions(denominator), min_size=count, max_size=count))
    return sorted(values)


@st.composite
def rulesets(
    draw: st.DrawFn,
    taxonomy: Taxonomy | None = None,
    *,
    gates: bool = True,
    weights: bool = True,
    applicability: bool = True,
    denominator: int = 20,
) -> Ruleset:
    """Valid rulesets: monotone grade rules, ids that exist, positive weights.

    With *taxonomy* ``None`` a small taxonomy is drawn first. *gates*, *weights*
    and *applicability* switch the optional parts of the policy.
    """
    if taxonomy is None:
        taxonomy = draw(taxonomies())
    theme_ids = [theme.id for theme in taxonomy.themes]
    issue_ids = [issue.id for issue in taxonomy.issues]
    service_ids = [service.id for service in taxonomy.services]
    grades = sorted(draw(st.sets(st.integers(1, MAX_GRADE), min_size=1)))
    count = len(grades)
    scores = _monotone(draw, count, denominator)
    each = (
        _monotone(draw, count, denominator)
        if gates and draw(st.booleans())
        else [Fraction(0)] * count
    )
    theme_gates: dict[str, list[Fraction]] = {}
    issue_gates: dict[str, list[Fraction]] = {}
    required: list[frozenset[str]] = [frozenset()] * count
    if gates:
        for theme_id in draw(st.lists(st.sampled_from(theme_ids), max_size=2, unique=True)):
            theme_gates[theme_id] = _monotone(draw, count, denominator)
        for issue_id in draw(st.lists(st.sampled_from(issue_ids), max_size=2, unique=True)):
            issue_gates[issue_id] = _monotone(draw, count, denominator)
        chosen = draw(st.lists(st.sampled_from(service_ids), max_size=2, unique=True))
        starts = [draw(st.integers(0, count)) for _ in chosen]
        required = [
            frozenset(sid for sid, start in zip(chosen, starts, strict=True) if start <= n)
            for n in range(count)
        ]
    rules = tuple(
        GradeRule(
            arobases=grade,
            min_score=scores[n],
            min_theme_scores={key: values[n] for key, values in theme_gates.items() if values[n]},
            min_issue_scores={key: values[n] for key, values in issue_gates.items() if values[n]},
            min_each_theme=each[n],
            required_services=required[n],
        )
        for n, grade in enumerate(grades)
    )
    mentions = []
    if gates:
        for m in range(draw(st.integers(0, 2))):
            issue_id = draw(st.sampled_from(issue_ids))
            mentions.append(
                MentionRule(
                    id=f"mention-{m}",
                    name=f"Mention {m}",
                    min_issue_scores={issue_id: draw(fractions(denominator))},
                    min_grade=draw(st.integers(0, MAX_GRADE)),
                )
            )
    credit_values = sorted(draw(st.lists(fractions(4), min_size=3, max_size=3)))
    credits = {
        Status.ABSENT: Fraction(0),
        Status.PLANNED: credit_values[0],
        Status.PARTIAL: credit_values[1],
        Status.DEPLOYED: max(credit_values[2], Fraction(1, 4)),
    }
    weight = st.integers(1, 3)
    theme_weights = issue_weights = service_weights = {}
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
    return Ruleset(
        name=draw(st.sampled_from(["test rules", "variant"])),
        year=draw(st.integers(2000, 2030)),
        taxonomy=taxonomy,
        grades=rules,
        mentions=tuple(mentions),
        credits=credits,
        theme_weights=theme_weights,
        issue_weights=issue_weights,
        service_weights=service_weights,
        applicability=rules_of_services,
    )


@st.composite
def dossiers(
    draw: st.DrawFn,
    ruleset_or_taxonomy: Ruleset | Taxonomy,
    *,
    territory: st.SearchStrategy[Territory] | None = None,
    status: st.SearchStrategy[Status] | None = None,
    max_actions: int = 3,
    year: int | None = None,
) -> Dossier:
    """Dossiers that name only services of the referential.

    *territory* and *status* replace the default strategies (every kind and
    status, ``NOT_APPLICABLE`` included); actions never deliver a service the
    dossier declares not applicable.
    """
    taxonomy = (
        ruleset_or_taxonomy.taxonomy
        if isinstance(ruleset_or_taxonomy, Ruleset)
        else ruleset_or_taxonomy
    )
    service_ids = [service.id for service in taxonomy.services]
    where = draw(territory if territory is not None else territories())
    entries = draw(
        st.dictionaries(
            st.sampled_from(service_ids),
            status if status is not None else statuses(),
            max_size=len(service_ids),
        )
    )
    available = [sid for sid in service_ids if entries.get(sid) is not Status.NOT_APPLICABLE]
    actions = []
    if available and max_actions:
        for n in range(draw(st.integers(0, max_actions))):
            delivered = draw(st.frozensets(st.sampled_from(available), min_size=1, max_size=4))
            actions.append(
                Action(
                    id=f"action-{n}",
                    title=f"Action {n}",
                    services=delivered,
                    status=draw(st.sampled_from(_CREDITED)),
                )
            )
    return Dossier(
        territory=where,
        year=year if year is not None else draw(st.integers(2000, 2030)),
        services=entries,
        actions=tuple(actions),
    )
