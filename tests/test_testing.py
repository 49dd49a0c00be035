"""The testing kit: strategies that honour their parameters, and rule laws that can fail."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

import villes_label as vl
from villes_label import (
    Applicability,
    Dossier,
    GradeRule,
    Issue,
    Ruleset,
    Scenario,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
    assess,
    default_ruleset,
)
from villes_label._conditions import GRADE_KINDS, KINDS, MENTION_KINDS, Condition, conditions
from villes_label._rules import DEFAULT_CREDITS
from villes_label.referential import sample_dossier
from villes_label.testing import (
    applicabilities,
    assert_grades_reachable,
    assert_monotone,
    assert_scenarios,
    assert_scorer_agrees,
    dossiers,
    example_dossiers,
    fractions,
    representative_territories,
    rulesets,
    statuses,
    taxonomies,
    territories,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

RULES = default_ruleset()
C = TerritoryKind.COMMUNE
EPCI_KINDS = [kind for kind in TerritoryKind if kind.is_epci]
SEARCH = settings(
    max_examples=3000,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def territory(population: int, kind: TerritoryKind = C) -> Territory:
    code = "01001" if kind is C else "200000001"
    return Territory(code=code, name=f"T{population}", kind=kind, population=population)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Ruleset, Dossier]:
    rules = draw(rulesets())
    return rules, draw(dossiers(rules))


def one_issue() -> Taxonomy:
    """A referential of one issue of five services, ``s0`` to ``s4``."""
    services = tuple(Service(id=f"s{n}", name=f"S{n}") for n in range(5))
    issue = Issue(id="i", name="I", services=services)
    return Taxonomy(name="tiny", version="1", themes=(Theme(id="t", name="T", issues=(issue,)),))


def tiny_rules(grades: tuple[GradeRule, ...], rule: Applicability, **changes: object) -> Ruleset:
    """Rules on `one_issue`: ``s0`` concerns everyone, ``s1`` to ``s4`` follow *rule*."""
    fields: dict[str, object] = {
        "applicability": {f"s{n}": rule for n in range(1, 5)},
        **changes,
    }
    return Ruleset(name="tiny", year=2016, taxonomy=one_issue(), grades=grades, **fields)  # type: ignore[arg-type]


# --- strategies --------------------------------------------------------------------------


class TestStrategiesHonourTheirParameters:
    """Every strategy produces valid values only, within the sizes and choices it is given."""

    @given(st.data())
    def test_taxonomy_sizes(self, data: st.DataObject) -> None:
        low_t, high_t = sorted(data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=2)))
        low_i, high_i = sorted(data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=2)))
        low_s, high_s = sorted(data.draw(st.lists(st.integers(1, 4), min_size=2, max_size=2)))
        taxonomy = data.draw(
            taxonomies(
                min_themes=low_t,
                max_themes=high_t,
                min_issues=low_i,
                max_issues=high_i,
                min_services=low_s,
                max_services=high_s,
            )
        )
        assert low_t <= len(taxonomy.themes) <= high_t
        for theme in taxonomy.themes:
            assert low_i <= len(theme.issues) <= high_i
            for issue in theme.issues:
                assert low_s <= len(issue.services) <= high_s

    @given(st.data())
    def test_territory_kinds_and_populations(self, data: st.DataObject) -> None:
        kinds = data.draw(st.lists(st.sampled_from(list(TerritoryKind)), min_size=1, unique=True))
        low = data.draw(st.integers(0, 100_000))
        high = data.draw(st.integers(low, 3_000_000))
        place = data.draw(territories(kinds=kinds, min_population=low, max_population=high))
        assert place.kind in kinds
        assert low <= place.population <= high

    def test_villages_and_cities_both_come_up(self) -> None:
        # `find` raises when no example satisfies the condition.
        find(territories(), lambda t: t.population < 1_000, settings=SEARCH)
        find(territories(), lambda t: t.population > 1_000_000, settings=SEARCH)
        # Thresholds, and one below them, are drawn on purpose.
        find(territories(), lambda t: t.population == 3_499, settings=SEARCH)

    @given(st.data())
    def test_statuses_among(self, data: st.DataObject) -> None:
        among = data.draw(st.lists(st.sampled_from(list(Status)), min_size=1, unique=True))
        assert data.draw(statuses(among=among)) in among
        assert data.draw(statuses(not_applicable=False)) is not Status.NOT_APPLICABLE

    @given(applicabilities())
    def test_applicabilities(self, rule: Applicability) -> None:
        assert rule.kinds
        assert rule.max_population is None or rule.max_population > rule.min_population

    @given(st.data())
    def test_fractions(self, data: st.DataObject) -> None:
        denominator = data.draw(st.integers(1, 50))
        value = data.draw(fractions(denominator))
        assert 0 <= value <= 1
        assert (value * denominator).denominator == 1

    @given(st.data())
    def test_ruleset_grades(self, data: st.DataObject) -> None:
        grades = data.draw(st.sets(st.integers(1, 5), min_size=1))
        rules = data.draw(rulesets(grades=grades))
        assert [rule.arobases for rule in rules.grades] == sorted(grades)

    @given(rulesets(gates=False, mentions=False, weights=False, credits=False, applicability=False))
    def test_plain_rulesets(self, rules: Ruleset) -> None:
        for rule in rules.grades:
            assert not rule.min_theme_scores
            assert not rule.min_issue_scores
            assert not rule.required_services
            assert rule.min_each_theme == 0
        assert rules.mentions == ()
        assert rules.credits == DEFAULT_CREDITS
        assert not rules.theme_weights
        assert not rules.issue_weights
        assert not rules.service_weights
        assert not rules.applicability

    @given(st.data())
    def test_ruleset_on_a_given_taxonomy(self, data: st.DataObject) -> None:
        taxonomy = data.draw(taxonomies())
        rules = data.draw(rulesets(taxonomy, denominator=data.draw(st.integers(1, 10))))
        assert rules.taxonomy is taxonomy

    @given(st.data())
    def test_dossier_parameters(self, data: st.DataObject) -> None:
        rules = data.draw(rulesets())
        count = len(rules.taxonomy.services)
        low = data.draw(st.integers(0, count))
        high = data.draw(st.integers(low, count))
        place = data.draw(territories())
        dossier = data.draw(
            dossiers(
                rules,
                territory=place,
                status=Status.PARTIAL,
                min_services=low,
                max_services=high,
                max_actions=0,
                year=2016,
            )
        )
        assert low <= len(dossier.services) <= high
        assert set(dossier.services.values()) <= {Status.PARTIAL}
        assert dossier.territory == place
        assert dossier.year == 2016
        assert dossier.actions == ()
        assess(dossier, rules)  # every id is known

    @given(st.data())
    def test_actions_never_deliver_a_service_declared_not_applicable(
        self, data: st.DataObject
    ) -> None:
        taxonomy = data.draw(taxonomies())
        dossier = data.draw(dossiers(taxonomy, status=statuses(among=[Status.NOT_APPLICABLE])))
        for action in dossier.actions:
            for sid in action.services:
                assert dossier.services.get(sid) is not Status.NOT_APPLICABLE

    @given(st.data())
    def test_territory_strategy_is_used(self, data: st.DataObject) -> None:
        taxonomy = data.draw(taxonomies())
        dossier = data.draw(dossiers(taxonomy, territory=territories(kinds=EPCI_KINDS)))
        assert dossier.territory.kind.is_epci


class TestEveryKindOfConditionIsDrawn:
    """`rulesets` draws every kind of condition of `_conditions.KINDS`, read from the registry.

    A kind added to the registry is drawn at once: grade rules hold the kinds of
    `GRADE_KINDS`, mentions those of `MENTION_KINDS`.
    """

    @pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
    def test_kind(self, kind: type[Condition]) -> None:
        def holds_one(rules: Ruleset) -> bool:
            every: list[GradeRule | vl.MentionRule] = [*rules.grades, *rules.mentions]
            return any(isinstance(c, kind) for rule in every for c in conditions(rule))

        found = find(rulesets(), holds_one, settings=SEARCH)
        assert holds_one(found)

    @pytest.mark.parametrize("kind", GRADE_KINDS, ids=lambda kind: kind.__name__)
    def test_grade_rules_hold_each_grade_kind(self, kind: type[Condition]) -> None:
        def in_a_grade(rules: Ruleset) -> bool:
            return any(isinstance(c, kind) for rule in rules.grades for c in conditions(rule))

        find(rulesets(mentions=False), in_a_grade, settings=SEARCH)

    @pytest.mark.parametrize("kind", MENTION_KINDS, ids=lambda kind: kind.__name__)
    def test_mentions_hold_each_mention_kind(self, kind: type[Condition]) -> None:
        def in_a_mention(rules: Ruleset) -> bool:
            return any(isinstance(c, kind) for rule in rules.mentions for c in conditions(rule))

        find(rulesets(gates=False), in_a_mention, settings=SEARCH)

    @given(rulesets(grades=range(1, 6)))
    def test_each_rule_is_at_least_as_strict_as_the_one_below(self, rules: Ruleset) -> None:
        for lower, higher in itertools.pairwise(rules.grades):
            assert higher.at_least_as_strict_as(lower) == []


class TestEveryGradeIsReached:
    """Some generated (ruleset, dossier) pair gets each grade 0..5."""

    @pytest.mark.parametrize("grade", range(6))
    def test_grade(self, grade: int) -> None:
        rules, dossier = find(pairs(), lambda p: assess(p[1], p[0]).grade == grade, settings=SEARCH)
        assert assess(dossier, rules).grade == grade


class TestDossiersExplore:
    """With no argument but the rules, `dossiers` reaches every grade within a few hundred examples.

    A property test of a rule author's own code must not pass vacuously, on dossiers that
    all get 1 @.
    """

    def test_every_grade_of_the_default_rules(self) -> None:
        reached: set[int] = set()

        def every_grade_reached(dossier: Dossier) -> bool:
            reached.add(assess(dossier, RULES).grade)
            return reached >= {1, 2, 3, 4, 5}

        # Derandomized: the same examples at every run, so the test cannot flake.
        explore = settings(
            max_examples=300,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        try:
            find(dossiers(RULES), every_grade_reached, settings=explore)
        except NoSuchExample:
            pytest.fail(f"300 dossiers reach only the grades {sorted(reached)}")
        assert reached == {1, 2, 3, 4, 5}


def boundary(dossier: Dossier) -> dt.date:
    """The earliest date of an action that counts for *dossier* without running still."""
    return dt.date(dossier.year - 2, 1, 1)


# What `dossiers` must draw for the label's two-year rule to be met both ways.
ACTION_DATES: dict[str, Callable[[Dossier, vl.Action], bool]] = {
    "undated": lambda d, a: a.date is None,
    "undated in a dated dossier": lambda d, a: (
        a.date is None and any(b.date is not None for b in d.actions)
    ),
    "counting": lambda d, a: a.date is not None and a.date > boundary(d) and not a.ongoing,
    "expired": lambda d, a: (
        a.date is not None and a.date < boundary(d) - dt.timedelta(days=1) and not a.ongoing
    ),
    "on the boundary": lambda d, a: a.date == boundary(d) and not a.ongoing,
    "the day before the boundary": lambda d, a: (
        a.date == boundary(d) - dt.timedelta(days=1) and not a.ongoing
    ),
    "old but ongoing": lambda d, a: a.date is not None and a.date < boundary(d) and a.ongoing,
    "recent and ongoing": lambda d, a: a.date is not None and a.date >= boundary(d) and a.ongoing,
}


class TestDossiersDateTheirActions:
    """`dossiers` draws actions undated and dated around the dossier's year, ongoing or not.

    So a property test meets actions that count, actions that have expired (dated before
    1 January of the year − 2 and not ongoing) and actions on either side of that boundary.
    """

    @pytest.mark.parametrize("kind", ACTION_DATES, ids=str)
    def test_each_kind_is_drawn(self, kind: str) -> None:
        def holds_one(dossier: Dossier) -> bool:
            return any(ACTION_DATES[kind](dossier, action) for action in dossier.actions)

        found = find(dossiers(one_issue()), holds_one, settings=SEARCH)
        assert holds_one(found)

    @given(dossiers(one_issue(), max_actions=5))
    def test_dates_around_the_dossiers_year(self, dossier: Dossier) -> None:
        for action in dossier.actions:
            if action.date is None:
                continue
            assert dt.date(dossier.year - 8, 1, 1) <= action.date <= dt.date(dossier.year, 12, 31)
            counts = action.ongoing or action.date >= boundary(dossier)
            assert action.counts_in(dossier.year) is counts
            assert (action in dossier.expired_actions) is not counts

    @given(dossiers(one_issue(), year=2016))
    def test_the_year_is_kept(self, dossier: Dossier) -> None:
        assert dossier.year == 2016
        assert all(a.date is None or a.date.year in range(2008, 2017) for a in dossier.actions)

    def test_shrinks_to_undated_actions(self) -> None:
        shrink = settings(SEARCH, phases=[Phase.generate, Phase.shrink])
        found = find(dossiers(one_issue()), lambda d: bool(d.actions), settings=shrink)
        assert [(a.date, a.ongoing) for a in found.actions] == [(None, False)]


class TestInvalidArguments:
    """A strategy refuses parameters it cannot honour, when it is built."""

    @pytest.mark.parametrize(
        "build",
        [
            lambda: fractions(0),
            lambda: taxonomies(min_themes=0),
            lambda: taxonomies(min_issues=3, max_issues=2),
            lambda: territories(kinds=[]),
            lambda: territories(kinds=["commune"]),  # type: ignore[list-item]
            lambda: territories(min_population=-1),
            lambda: territories(min_population=10, max_population=5),
            lambda: statuses(among=[]),
            lambda: statuses(among=[Status.NOT_APPLICABLE], not_applicable=False),
            lambda: rulesets(grades=[0, 1]),
            lambda: rulesets(grades=[]),
            lambda: rulesets("taxonomy"),  # type: ignore[arg-type]
            lambda: rulesets(denominator=0),
            lambda: dossiers("rules"),  # type: ignore[arg-type]
            lambda: dossiers(RULES, min_services=200),
            lambda: dossiers(RULES, min_services=3, max_services=2),
            lambda: dossiers(RULES, max_actions=-1),
            lambda: dossiers(RULES, year=1999),
        ],
    )
    def test_refused(self, build: Callable[[], object]) -> None:
        with pytest.raises(InvalidArgument):
            build()


# --- rule laws ---------------------------------------------------------------------------


def announced_not_done(dossier: Dossier, ruleset: Ruleset) -> vl.Assessment:
    """A house rule: a dossier announcing more services than it has deployed loses one @."""
    result = assess(dossier, ruleset)
    planned = sum(1 for status in result.statuses.values() if status is Status.PLANNED)
    deployed = sum(1 for status in result.statuses.values() if status is Status.DEPLOYED)
    if planned > deployed and result.grade > 0:
        return attrs.evolve(result, grade=result.grade - 1)
    return result


def score_capped_for_villages(dossier: Dossier, ruleset: Ruleset) -> vl.Assessment:
    """A buggy port: villages' scores are 'normalised' by the share of services they declare."""
    result = assess(dossier, ruleset)
    if dossier.territory.population < 3_500 and dossier.services:
        share = Fraction(len(dossier.services), len(ruleset.taxonomy.services))
        return attrs.evolve(result, score=result.score * (1 - share))
    return result


class TestMonotoneLaw:
    """`assert_monotone` holds for the library's scoring, and catches a house rule that breaks it."""

    def test_default_rules(self) -> None:
        assert_monotone(RULES, max_examples=30)

    # The law runs Hypothesis itself: nesting it in a test of rulesets is the point here.
    @settings(max_examples=10, suppress_health_check=[HealthCheck.nested_given])
    @given(rulesets())
    def test_generated_rules(self, rules: Ruleset) -> None:
        assert_monotone(rules, max_examples=10)

    def test_a_penalty_for_announcements_breaks_it(self) -> None:
        with pytest.raises(AssertionError, match=r"from absent to planned lowers the grade"):
            assert_monotone(RULES, assess=announced_not_done, max_examples=200)

    def test_a_score_normalisation_breaks_it(self) -> None:
        villages = territories(kinds=[C], max_population=3_499)
        with pytest.raises(AssertionError, match=r"lowers the score"):
            assert_monotone(
                RULES, assess=score_capped_for_villages, territory=villages, max_examples=200
            )

    def test_a_fixed_territory(self) -> None:
        seen: list[Territory] = []

        def spy(dossier: Dossier, ruleset: Ruleset) -> vl.Assessment:
            seen.append(dossier.territory)
            return assess(dossier, ruleset)

        village = territory(300)
        assert_monotone(RULES, assess=spy, territory=village, max_examples=5)
        assert seen
        assert set(seen) == {village}

    def test_not_a_ruleset(self) -> None:
        with pytest.raises(InvalidArgument):
            assert_monotone("rules.json")  # type: ignore[arg-type]


class TestScorerLaw:
    """`assert_scorer_agrees` holds for `Scorer`, and catches a scorer that differs."""

    def test_default_rules(self) -> None:
        assert_scorer_agrees(RULES, max_examples=10)

    @settings(max_examples=10, suppress_health_check=[HealthCheck.nested_given])
    @given(rulesets())
    def test_generated_rules(self, rules: Ruleset) -> None:
        assert_scorer_agrees(rules, max_examples=5)

    def test_a_wrong_scorer_is_caught(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class Generous(vl.Scorer):
            def grades(self, dossiers: Iterable[Dossier]) -> list[int]:
                return [min(grade + 1, 5) for grade in super().grades(dossiers)]

        monkeypatch.setattr(vl, "Scorer", Generous)
        with pytest.raises(AssertionError, match="the scorer gives grade"):
            assert_scorer_agrees(RULES, max_examples=20)


class TestScenariosLaw:
    """`assert_scenarios` lists every mismatch of every failing scenario."""

    def test_holds(self) -> None:
        assert_scenarios([Scenario(name="s", dossier=sample_dossier(), expect_grade=3)], RULES)

    def test_fails(self) -> None:
        scenarios = [
            Scenario(name="ok", dossier=sample_dossier(), expect_grade=3),
            Scenario(name="a", dossier=sample_dossier(), expect_grade=4, expect_score=0),
            Scenario(name="b", dossier=sample_dossier(), expect_grade=1),
        ]
        with pytest.raises(AssertionError) as caught:
            assert_scenarios(scenarios, RULES)
        lines = str(caught.value).splitlines()
        assert lines[0] == "2 of 3 scenarios failed:"
        assert [line.split(":")[0] for line in lines[1:]] == ["  - a", "  - a", "  - b"]


class TestRepresentativeTerritories:
    """One territory per class that the rules treat alike: any territory is concerned like one."""

    def test_default_rules(self) -> None:
        names = [t.name for t in representative_territories(RULES)]
        # The bounds of applicability (3,500, 10,000, 20,000, 50,000) and of the strata
        # (3,000, 20,000, 100,000), for communes and for intercommunalities.
        assert names == [
            "commune of 0 to 2,999 inhabitants",
            "commune of 3,000 to 3,499 inhabitants",
            "commune of 3,500 to 9,999 inhabitants",
            "commune of 10,000 to 19,999 inhabitants",
            "commune of 20,000 to 49,999 inhabitants",
            "commune of 50,000 to 99,999 inhabitants",
            "commune of 100,000 inhabitants or more",
            "intercommunality of 0 to 2,999 inhabitants",
            "intercommunality of 3,000 to 3,499 inhabitants",
            "intercommunality of 3,500 to 9,999 inhabitants",
            "intercommunality of 10,000 to 19,999 inhabitants",
            "intercommunality of 20,000 to 49,999 inhabitants",
            "intercommunality of 50,000 to 99,999 inhabitants",
            "intercommunality of 100,000 inhabitants or more",
        ]

    def test_rules_without_applicability(self) -> None:
        (only,) = representative_territories(RULES.replace(applicability={}, expectations=()))
        assert only.name == "territory of 0 inhabitants or more"

    @given(rulesets(), territories())
    def test_every_territory_has_a_representative(self, rules: Ruleset, place: Territory) -> None:
        def concerned(where: Territory) -> set[str]:
            return {s.id for s in rules.taxonomy.services if rules.concerns(s.id, where)}

        patterns = [concerned(t) for t in representative_territories(rules)]
        assert concerned(place) in patterns


class TestExampleDossiers:
    """Each example dossier gets exactly its grade; the default rules give every grade to all."""

    @settings(max_examples=20)
    @given(rulesets(), territories())
    def test_each_dossier_has_its_grade(self, rules: Ruleset, place: Territory) -> None:
        for grade, dossier in example_dossiers(rules, place).items():
            assert assess(dossier, rules).grade == grade
            assert dossier.territory == place

    @pytest.mark.parametrize("place", representative_territories(RULES), ids=str)
    def test_default_rules(self, place: Territory) -> None:
        assert sorted(example_dossiers(RULES, place)) == [1, 2, 3, 4, 5]

    def test_no_concerned_service(self) -> None:
        # Nothing concerns a village: its score is 0, whatever it declares.
        rules = tiny_rules(
            (GradeRule(arobases=1, min_score=0), GradeRule(arobases=2, min_score="1/10")),
            Applicability(min_population=3_500),
        )
        nothing = rules.replace(
            applicability={f"s{n}": Applicability(min_population=3_500) for n in range(5)}
        )
        assert sorted(example_dossiers(nothing, territory(100))) == [1]
        assert sorted(example_dossiers(nothing, territory(5_000))) == [1, 2]


class TestGradesReachableLaw:
    """`assert_grades_reachable` names what cannot be reached.

    That it holds for the default rules is checked territory by territory in
    `TestExampleDossiers.test_default_rules` (the same search, with one assertion per
    territory), and as a whole by the example of its docstring.
    """

    def test_two_grades_with_the_same_conditions(self) -> None:
        # A copy-paste: grade 3's rule is also grade 4's, so grade 3 is never awarded.
        three = RULES.grades[2]
        four = GradeRule(
            arobases=4,
            min_score=three.min_score,
            required_services=three.required_services,
        )
        five = RULES.grades[4]
        rules = RULES.replace(grades=(*RULES.grades[:3], four, five))
        with pytest.raises(AssertionError) as caught:
            assert_grades_reachable(rules)
        assert str(caught.value).splitlines()[1:] == [
            "  - grade 3 (@@@): any of the 14 territories tried"
        ]

    def test_a_threshold_above_the_credit_of_deployed_services(self) -> None:
        # No score can pass 3/5: the 5/8 of 4 @ and the 11/15 of 5 @ are out of reach.
        rules = RULES.replace(credits={Status.DEPLOYED: Fraction(3, 5)})
        with pytest.raises(AssertionError) as caught:
            assert_grades_reachable(rules)
        assert str(caught.value).splitlines()[1:] == [
            "  - grade 4 (@@@@): any of the 14 territories tried",
            "  - grade 5 (@@@@@): any of the 14 territories tried",
        ]

    def test_a_window_too_narrow_for_villages(self) -> None:
        # A village is concerned by s0 alone (scores 0, 1/2, 1): 55 % to 80 % is out of reach.
        rules = tiny_rules(
            (
                GradeRule(arobases=1, min_score=0),
                GradeRule(arobases=2, min_score="11/20"),
                GradeRule(arobases=3, min_score="4/5"),
            ),
            Applicability(min_population=3_500),
        )
        with pytest.raises(AssertionError) as caught:
            assert_grades_reachable(rules)
        assert str(caught.value).splitlines()[1:] == [
            "  - grade 2 (@@): territory of 0 to 3,499 inhabitants"
        ]
        assert_grades_reachable(rules, [territory(5_000)])
        assert_grades_reachable(rules, grades=[1, 3])

    def test_a_grade_only_communes_can_reach(self) -> None:
        rules = tiny_rules(
            (
                GradeRule(arobases=1, min_score=0),
                GradeRule(arobases=2, min_score="11/20"),
                GradeRule(arobases=3, min_score="4/5"),
            ),
            Applicability(kinds=[C]),
        )
        with pytest.raises(AssertionError) as caught:
            assert_grades_reachable(rules)
        assert str(caught.value).splitlines()[1:] == [
            "  - grade 2 (@@): intercommunality of 0 inhabitants or more"
        ]

    def test_a_grade_awarded_alone_only_when_a_required_service_is_partial(self) -> None:
        # Partial earns as much as deployed; 3 @ also requires s0 deployed: 2 @ alone needs
        # every service at full credit and s0 partial.
        rules = tiny_rules(
            (
                GradeRule(arobases=1, min_score=0),
                GradeRule(arobases=2, min_score=1),
                GradeRule(arobases=3, min_score=1, required_services={"s0"}),
            ),
            Applicability(),
            credits={Status.PARTIAL: Fraction(1)},
        )
        found = example_dossiers(rules, territory(100))
        assert sorted(found) == [1, 2, 3]
        assert found[2].status("s0") is Status.PARTIAL
        assert_grades_reachable(rules)

    def test_opt_outs_are_tried(self) -> None:
        # 2 @ gates the issue at 90 %, above the credit of a deployed service: only a
        # territory that declares every service of it not applicable (gate waived) gets 2 @.
        rules = tiny_rules(
            (
                GradeRule(arobases=1, min_score=0),
                GradeRule(arobases=2, min_score=0, min_issue_scores={"i": Fraction(9, 10)}),
            ),
            Applicability(opt_out=True),
            credits={Status.PARTIAL: Fraction(1, 4), Status.DEPLOYED: Fraction(1, 2)},
            applicability={f"s{n}": Applicability(opt_out=True) for n in range(5)},
        )
        found = example_dossiers(rules, territory(100))
        assert sorted(found) == [1, 2]
        assert set(found[2].services.values()) == {Status.NOT_APPLICABLE}
