"""Size-aware expectations: strata, saturation, and the laws that hold with them."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label as vl
from villes_label import (
    Dossier,
    Expectation,
    GradeRule,
    InvalidInput,
    Issue,
    Ruleset,
    Scorer,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
    assess,
    recommend,
)
from villes_label.testing import dossiers, expectations, rulesets, territories

D = Status.DEPLOYED
COMMUNE = frozenset({TerritoryKind.COMMUNE})


def two_themes() -> Taxonomy:
    """t0 = {i0: a b c d, i1: e f}, t1 = {i2: g h, i3: k, i4: m}."""

    def issue(issue_id: str, ids: str) -> Issue:
        return Issue(id=issue_id, name=issue_id, services=tuple(Service(id=x, name=x) for x in ids))

    return Taxonomy(
        name="test",
        version="1",
        themes=(
            Theme(id="t0", name="T0", issues=(issue("i0", "abcd"), issue("i1", "ef"))),
            Theme(
                id="t1", name="T1", issues=(issue("i2", "gh"), issue("i3", "k"), issue("i4", "m"))
            ),
        ),
    )


def strata(**changes: Any) -> tuple[Expectation, ...]:
    village = Expectation(
        stratum="village", kinds=COMMUNE, max_population=3_000, coverage=Fraction(1)
    )
    town = Expectation(stratum="ville", kinds=COMMUNE, min_population=3_000, coverage=Fraction(2))
    return (attrs.evolve(village, **changes), town)


def rules(expected: tuple[Expectation, ...] = ()) -> Ruleset:
    return Ruleset(
        name="test",
        year=2016,
        taxonomy=two_themes(),
        grades=(
            GradeRule(arobases=1, min_score=0),
            GradeRule(arobases=2, min_score=Fraction(3, 4)),
        ),
        expectations=expected,
    )


def commune(population: int) -> Territory:
    return Territory(code="07212", name="Test", kind=TerritoryKind.COMMUNE, population=population)


def deployed(population: int, ids: str) -> Dossier:
    return Dossier(territory=commune(population), year=2016, services=dict.fromkeys(ids, D))


class TestSaturation:
    """An issue scores the share of its expectation that is covered, at most the credit of a
    deployed service; without an expectation, the share of its potential (today's model)."""

    def test_one_service_covers_an_issue_of_a_village(self) -> None:
        result = assess(deployed(159, "a"), rules(strata()))
        assert result.issues["i0"] == 1
        assert result.stratum == "village"
        assert result.themes["t0"] == Fraction(1, 2)

    def test_a_town_needs_two(self) -> None:
        result = assess(deployed(5_000, "a"), rules(strata()))
        assert result.issues["i0"] == Fraction(1, 2)
        assert assess(deployed(5_000, "ab"), rules(strata())).issues["i0"] == 1
        assert result.stratum == "ville"

    def test_an_expectation_above_the_potential_is_the_share_of_potential(self) -> None:
        # i3 has one service: a town's expectation of two cannot be asked of it.
        result = assess(deployed(5_000, "k"), rules(strata()))
        assert result.issues["i3"] == 1

    def test_without_expectations_the_model_is_unchanged(self) -> None:
        result = assess(deployed(159, "a"), rules())
        assert result.issues["i0"] == Fraction(1, 4)
        assert result.stratum is None

    def test_partial_credit_counts_toward_coverage(self) -> None:
        dossier = deployed(5_000, "").with_status("a", Status.PARTIAL).with_status("b", D)
        assert assess(dossier, rules(strata())).issues["i0"] == Fraction(3, 4)

    def test_issue_coverage_overrides_the_default(self) -> None:
        expected = strata(issue_coverage={"i0": Fraction(3)})[:1]
        assert assess(deployed(159, "ab"), rules(expected)).issues["i0"] == Fraction(2, 3)
        assert assess(deployed(159, "e"), rules(expected)).issues["i1"] == 1

    def test_a_theme_is_covered_at_its_breadth(self) -> None:
        expected = strata(theme_breadth=Fraction(1))
        result = assess(deployed(159, "a"), rules(expected))
        assert result.themes["t0"] == 1
        # Two issues of three half-covered make one covered issue's worth.
        assert assess(deployed(159, "gk"), rules(expected)).themes["t1"] == 1
        assert result.score == Fraction(1, 2)

    def test_a_plan_stops_at_coverage(self) -> None:
        # 3/4 asks both issues of t0 (1/4 each) and two of t1 (1/6 each): four steps,
        # one per issue, since a second service in a covered issue brings nothing.
        plan = recommend(deployed(159, ""), rules(strata()), target=2)
        assert len(plan.steps) == 4
        covered = {two_themes().issue_of(step.service).id for step in plan.steps}
        assert len(covered) == len(plan.steps)


class TestValidation:
    """Strata of a kind start at 0 and follow each other; a larger one never expects less;
    every problem is reported at once, with its path."""

    def test_every_problem_at_once(self) -> None:
        village, town = strata()
        bad = (
            attrs.evolve(village, issue_coverage={"nope": Fraction(1)}, theme_breadth=Fraction(2)),
            attrs.evolve(
                town, stratum="village", coverage=Fraction(1, 2), theme_breadth=Fraction(1)
            ),
            Expectation(
                stratum="epci", kinds={TerritoryKind.METROPOLE}, min_population=10, coverage=1
            ),
        )
        with pytest.raises(InvalidInput) as raised:
            rules(bad)
        problems = "\n".join(raised.value.problems)
        assert "expectations[1].stratum: duplicate stratum 'village'" in problems
        assert "expectations[0].issue_coverage.nope: unknown issue 'nope'" in problems
        assert "expectations[1].issue_coverage.i0" in problems  # expects less than the village
        assert "expectations[1].theme_breadth" in problems
        assert "expectations[2].min_population" in problems  # does not start at 0
        assert len(raised.value.problems) >= 5

    def test_gaps_and_overlaps(self) -> None:
        village, town = strata()
        with pytest.raises(InvalidInput, match="gap"):
            rules((village, attrs.evolve(town, min_population=5_000)))
        with pytest.raises(InvalidInput, match="overlap"):
            rules((village, attrs.evolve(town, min_population=2_000)))

    def test_values_of_one_expectation(self) -> None:
        with pytest.raises(InvalidInput) as raised:
            Expectation(
                stratum=" ",
                coverage=0,
                kinds=frozenset(),
                min_population=-1,
                theme_breadth=Fraction(-1),
                issue_coverage={"i0": Fraction(0)},
            )
        assert len(raised.value.problems) == 6

    def test_the_whole_theme_is_the_largest_breadth(self) -> None:
        village, town = strata()
        with pytest.raises(InvalidInput, match="theme_breadth"):
            rules((village, attrs.evolve(town, theme_breadth=Fraction(2))))
        assert rules((attrs.evolve(village, theme_breadth=Fraction(2)), town)).expectations

    @given(st.data())
    def test_round_trip(self, data: st.DataObject) -> None:
        drawn = data.draw(expectations(two_themes()))
        ruleset = rules(drawn)
        assert vl.from_dict(vl.to_dict(ruleset), Ruleset) == ruleset

    def test_bad_data_names_its_path(self) -> None:
        data = vl.to_dict(rules(strata()))
        data["expectations"][0]["coverage"] = "x"
        with pytest.raises(InvalidInput, match="expectations"):
            vl.from_dict(data, Ruleset)


def every_size_only(dossier: Dossier, ruleset: Ruleset) -> Dossier:
    """*dossier* keeping only the services that concern its kind at every population."""

    def every_size(sid: str) -> bool:
        rule = ruleset.applicability_of(sid)
        return rule.min_population == 0 and rule.max_population is None

    actions = tuple(
        attrs.evolve(action, services=kept)
        for action in dossier.actions
        if (kept := frozenset(filter(every_size, action.services)))
    )
    return attrs.evolve(
        dossier,
        services={sid: s for sid, s in dossier.services.items() if every_size(sid)},
        actions=actions,
    )


def growing(ruleset: Ruleset) -> Ruleset:
    """*ruleset* where no service stops concerning a territory as it grows (no upper bound)."""
    return ruleset.replace(
        applicability={
            sid: attrs.evolve(rule, max_population=None)
            for sid, rule in ruleset.applicability.items()
        }
    )


class TestLargerTerritories:
    """For a dossier that declares only services concerning every size, a larger population of
    the same kind never gives a higher score or grade: a larger territory is asked at least as
    much. (In rules where no service stops concerning a territory as it grows: a service with
    an upper population bound leaves the denominators of larger territories.)"""

    @given(st.data())
    def test_never_higher(self, data: st.DataObject) -> None:
        ruleset = growing(data.draw(rulesets()))
        if data.draw(st.booleans()):
            ruleset = ruleset.replace(expectations=data.draw(expectations(ruleset.taxonomy)))
        small = data.draw(territories())
        dossier = every_size_only(data.draw(dossiers(ruleset, territory=small)), ruleset)
        population = data.draw(st.integers(small.population, 2_200_000))
        larger = attrs.evolve(dossier, territory=attrs.evolve(small, population=population))
        before, after = assess(dossier, ruleset), assess(larger, ruleset)
        assert after.score <= before.score
        assert after.grade <= before.grade


class TestScorer:
    """The batch scorer gives exactly the results of `assess` under expectations."""

    @given(st.data())
    def test_agrees(self, data: st.DataObject) -> None:
        ruleset = data.draw(rulesets())
        ruleset = ruleset.replace(expectations=data.draw(expectations(ruleset.taxonomy)))
        cohort = data.draw(st.lists(dossiers(ruleset), max_size=4))
        scorer = Scorer(ruleset)
        assert scorer.grades(cohort) == [assess(d, ruleset).grade for d in cohort]
        assert scorer.scores(cohort) == [assess(d, ruleset).score for d in cohort]


# --- the label's default rules: size-aware 2016 and 2017 ---------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SIZE_AWARE_YEARS = (2016, 2017)


def empty(
    population: int, kind: TerritoryKind = TerritoryKind.COMMUNE, year: int = 2016
) -> Dossier:
    code = "07212" if kind is TerritoryKind.COMMUNE else "200000001"
    territory = Territory(code=code, name="Exemple", kind=kind, population=population)
    return Dossier(territory=territory, year=year)


def palmares_cohort_of(year: int) -> tuple[Dossier, ...]:
    """The 2016 palmarès cohort, carried to the referential of *year* (nothing is dropped)."""
    moved = [vl.referential.upgrade(d, year) for d in vl.referential.palmares_cohort()]
    assert all(m.complete for m in moved)
    return tuple(m.dossier for m in moved)


@pytest.mark.parametrize("year", SIZE_AWARE_YEARS)
class TestSizeAwareRules:
    """The published principles, as tests of the label's default rules (2016, and 2017): a
    village can reach 5 @ with what villages do, a large city with the same services cannot,
    and every grade is open to every kind and size of collectivité."""

    def test_the_default_rules_are_size_aware(self, year: int) -> None:
        rules = vl.referential.ruleset(year)
        assert rules.expectations == vl.referential.EXPECTATIONS
        if year == 2016:
            assert vl.default_ruleset() == rules

    def test_a_village_of_200_reaches_five_arobases_with_at_most_25_services(
        self, year: int
    ) -> None:
        rules = vl.referential.ruleset(year)
        plan = recommend(empty(200, year=year), rules, target=5)
        assert plan.reachable
        assert len(plan.steps) <= 25
        village = plan.apply(empty(200, year=year))
        assert assess(village, rules).grade == 5

    def test_a_commune_of_150000_with_the_same_services_does_not(self, year: int) -> None:
        rules = vl.referential.ruleset(year)
        village = recommend(empty(200, year=year), rules, target=5).apply(empty(200, year=year))
        city = attrs.evolve(village, territory=attrs.evolve(village.territory, population=150_000))
        assert assess(city, rules).grade < 5
        # Nor with any 25 services: the fewest that reach 5 @ are more.
        assert len(recommend(empty(150_000, year=year), rules, target=5).steps) > 25

    @pytest.mark.parametrize(
        ("kind", "population"),
        [
            (TerritoryKind.COMMUNE, 200),
            (TerritoryKind.COMMUNE, 8_000),
            (TerritoryKind.COMMUNE, 150_000),
            (TerritoryKind.COMMUNAUTE_DE_COMMUNES, 15_000),
            (TerritoryKind.METROPOLE, 500_000),
        ],
    )
    def test_every_grade_is_reachable(
        self, year: int, kind: TerritoryKind, population: int
    ) -> None:
        rules = vl.referential.ruleset(year)
        for grade in range(1, 6):
            plan = recommend(empty(population, kind, year), rules, target=grade)
            assert plan.reachable
            # At least the target, as the contract says: for a small village one step can
            # cross two close thresholds (7/12 and 5/8 for 3 and 4 @).
            assert assess(plan.apply(empty(population, kind, year)), rules).grade >= grade

    def test_the_palmares_is_reproduced_exactly(self, year: int) -> None:
        """Calibrating the rules on the palmarès cohort gives back their own thresholds, and
        the 2016 palmarès (no 2017 palmarès is published: 2017 is calibrated on it too)."""
        rules = vl.referential.ruleset(year)
        cohort = palmares_cohort_of(year)
        calibrated = vl.calibrate(rules, cohort, vl.referential.PALMARES_2016)
        # Grade 1 stays at 0: every participant gets one @, whatever the cohort's lowest score.
        assert calibrated.grades[1:] == rules.grades[1:]
        assert rules.grades[0].min_score == 0
        counts = vl.grade_distribution(Scorer(rules).assess(d) for d in cohort)
        assert counts == {0: 0, **vl.referential.PALMARES_2016}
        assert vl.referential.PALMARES_2016 == {1: 40, 2: 37, 3: 31, 4: 25, 5: 30}

    def test_the_gates_stay(self, year: int) -> None:
        rules = vl.referential.ruleset(year)
        for grade in (2, 3, 4, 5):
            rule = rules.grade_rule(grade)
            assert rule is not None
            assert rule.required_services == {"site-internet"}
        for grade, issue, theme in ((4, "1/2", "1/2"), (5, "7/10", "13/20")):
            rule = rules.grade_rule(grade)
            assert rule is not None
            assert rule.min_issue_scores == {"democratie-locale": Fraction(issue)}
            assert rule.min_theme_scores == {"democratie-services-publics": Fraction(theme)}


def test_the_2014_rules_keep_the_share_of_potential() -> None:
    """ATLAAS 2014 has 28 broad usages: its rules grade the share of the concerned potential."""
    rules = vl.referential.ruleset(2014)
    assert rules.expectations == ()
    assert [rule.min_score for rule in rules.grades] == [
        0,
        Fraction(1, 5),
        Fraction(7, 20),
        Fraction(1, 2),
        Fraction(13, 20),
    ]


def test_the_cohort_follows_the_published_figures() -> None:
    cohort = vl.referential.palmares_cohort()
    assert len(cohort) == sum(vl.referential.PALMARES_2016.values()) == 163
    initiatives = sorted(len(d.actions) for d in cohort)
    assert initiatives[len(initiatives) // 2] == 24  # the published median
    villages = [
        d
        for d in cohort
        if d.territory.kind is TerritoryKind.COMMUNE and d.territory.population < 3_000
    ]
    communes = [d for d in cohort if d.territory.kind is TerritoryKind.COMMUNE]
    assert round(100 * len(villages) / len(communes)) == 21  # 2011, 2018, 2020
    assert len(cohort) - len(communes) == 10  # 6 % of intercommunalities
    assert vl.referential.palmares_cohort() == cohort  # seeded


class TestRealCommunes:
    """The real communes, from their published actions: Saint-Apollinaire-de-Rias (159
    inhabitants, 5 @ in 2011 and 2012) gets at least 4 @, Carentoir (3,043, 1 @ in 2022) at
    most 2 @, under the default rules and under the 2017 ones."""

    def scenarios(self) -> list[vl.Scenario]:
        data = json.loads((EXAMPLES / "real_communes.json").read_text(encoding="utf-8"))
        return list(vl.scenarios_from_data(data))

    @pytest.mark.parametrize("year", SIZE_AWARE_YEARS)
    def test_within_the_bounds(self, year: int) -> None:
        rias, carentoir = (
            vl.referential.upgrade(s.dossier, year).dossier for s in self.scenarios()
        )
        assert rias.territory.population == 159
        assert carentoir.territory.population == 3_043
        rules = vl.referential.ruleset(year)
        assert assess(rias, rules).grade >= 4
        assert assess(carentoir, rules).grade <= 2

    def test_the_scenarios_hold(self) -> None:
        for scenario in self.scenarios():
            assert vl.check_scenario(scenario, vl.default_ruleset()) == ()

    def test_the_check_command_runs_them(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "villes_label", "check", str(EXAMPLES / "real_communes.json")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


class TestSyntheticCohorts:
    """The built-in synthetic cohorts look like candidates of every size under the default rules."""

    @pytest.mark.parametrize("year", [2016, 2017])
    def test_every_grade_in_every_stratum(self, year: int) -> None:
        rules = vl.referential.ruleset(year)
        cohort = vl.referential.synthetic_cohort(3_000, seed=1, year=year, epci_share=0.2)
        grades = vl.Scorer(rules).grades(cohort)
        by_stratum: dict[str, set[int]] = {}
        for dossier, grade in zip(cohort, grades, strict=True):
            expectation = rules.expectation_for(dossier.territory)
            assert expectation is not None
            by_stratum.setdefault(expectation.stratum, set()).add(grade)
        assert set(by_stratum) == {e.stratum for e in rules.expectations}
        for stratum, seen in by_stratum.items():
            assert seen == {1, 2, 3, 4, 5}, stratum
        # No grade takes most of the cohort, as none does in the palmarès.
        assert max(grades.count(g) for g in range(1, 6)) < len(cohort) / 2
