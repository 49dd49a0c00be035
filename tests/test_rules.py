from __future__ import annotations

import pickle
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given

from villes_label import (
    Applicability,
    GradeRule,
    InvalidInput,
    MentionRule,
    Ruleset,
    Status,
    Territory,
    TerritoryKind,
    default_ruleset,
    default_taxonomy,
)
from villes_label.testing import rulesets

ONE_GRADE = (GradeRule(arobases=1, min_score=0),)


class TestApplicability:
    """A service counts iff kind in kinds and min_population <= population < max_population."""

    def test_bounds(self) -> None:
        rule = Applicability(min_population=3500, max_population=10_000)

        def make(population: int) -> Territory:
            return Territory(
                code="35001", name="X", kind=TerritoryKind.COMMUNE, population=population
            )

        assert not rule.concerns(make(3499))
        assert rule.concerns(make(3500))
        assert rule.concerns(make(9999))
        assert not rule.concerns(make(10_000))

    def test_kinds(self) -> None:
        rule = Applicability(kinds=frozenset({TerritoryKind.METROPOLE}))
        town = Territory(code="35001", name="X", kind=TerritoryKind.COMMUNE, population=5)
        assert not rule.concerns(town)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"kinds": frozenset()}, "at least one kind"),
            ({"min_population": -1}, "must be >= 0"),
            ({"min_population": 10, "max_population": 10}, "must be above"),
            ({"min_population": 1.5}, "expected an int"),
            ({"opt_out": "yes"}, "expected a bool"),
        ],
    )
    def test_invalid(self, kwargs: dict[str, Any], message: str) -> None:
        with pytest.raises(InvalidInput, match=message):
            Applicability(**kwargs)


class TestGradeRule:
    """Thresholds are exact fractions in [0, 1]; arobases in 1..5."""

    def test_fractions_from_numbers(self) -> None:
        rule = GradeRule(arobases=2, min_score=0.35, min_theme_scores={"x": "7/20"})
        assert rule.min_score == Fraction(7, 20)
        assert rule.min_theme_scores["x"] == Fraction(7, 20)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"arobases": 6, "min_score": 0}, "outside 1..5"),
            ({"arobases": 0, "min_score": 0}, "outside 1..5"),
            ({"arobases": 1, "min_score": Fraction(3, 2)}, "outside \\[0, 1\\]"),
            ({"arobases": 1, "min_score": float("nan")}, "finite"),
            ({"arobases": 1, "min_score": "inf"}, "finite"),
            ({"arobases": 1, "min_score": True}, "boolean"),
            ({"arobases": 1, "min_score": 0, "min_issue_scores": {"x": -1}}, "outside"),
            ({"arobases": 1, "min_score": 0, "required_services": "site"}, "string"),
        ],
    )
    def test_invalid(self, kwargs: dict[str, Any], message: str) -> None:
        with pytest.raises(InvalidInput, match=message):
            GradeRule(**kwargs)


class TestRuleset:
    """Every id exists, weights are positive ints, credits grow, grade rules are monotone."""

    def test_default_ruleset(self) -> None:
        rules = default_ruleset()
        assert [g.arobases for g in rules.grades] == [1, 2, 3, 4, 5]
        assert rules.grades[0].min_score == 0
        assert rules.taxonomy is default_taxonomy()
        # Only the mentions a source attests by 2016: not the ecology mention of 2021.
        assert {m.id for m in rules.mentions} == {"libre"}

    def test_grades_are_sorted(self) -> None:
        rules = Ruleset(
            name="r",
            year=2016,
            taxonomy=default_taxonomy(),
            grades=(
                GradeRule(arobases=3, min_score=Fraction(1, 2)),
                GradeRule(arobases=1, min_score=0),
            ),
        )
        assert [g.arobases for g in rules.grades] == [1, 3]
        assert rules.grade_rule(3) is not None
        assert rules.grade_rule(2) is None

    def test_monotone(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Ruleset(
                name="r",
                year=2016,
                taxonomy=default_taxonomy(),
                grades=(
                    GradeRule(
                        arobases=1,
                        min_score=Fraction(1, 2),
                        min_issue_scores={"emploi": Fraction(1, 2)},
                        required_services={"site-internet"},
                    ),
                    GradeRule(arobases=2, min_score=Fraction(1, 3)),
                ),
            )
        problems = caught.value.problems
        assert any("min_score 1/3 < 1/2" in p for p in problems)
        assert any("min_issue_scores.emploi 0 < 1/2" in p for p in problems)
        assert any("required_services lacks site-internet" in p for p in problems)

    def test_every_problem_with_suggestions(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Ruleset(
                name="",
                year=2016,
                taxonomy=default_taxonomy(),
                grades=(
                    GradeRule(arobases=1, min_score=0, min_theme_scores={"vivre-ensembel": 0}),
                    GradeRule(arobases=1, min_score=0),
                ),
                mentions=(
                    MentionRule(id="m", name="M", required_services={"wifi-publik"}),
                    MentionRule(id="m", name="M", required_services={"wifi-public"}),
                ),
                theme_weights={"vivre-ensemble": 0},
                issue_weights={"emploi": 1.5},  # type: ignore[dict-item]
                service_weights={"wifi": 2},
                applicability={"wifi-public": "everywhere"},  # type: ignore[dict-item]
                credits={Status.PARTIAL: Fraction(1, 2), Status.PLANNED: Fraction(3, 4)},
            )
        text = str(caught.value)
        for expected in [
            "name: a ruleset needs a non-empty name",
            "grades[0].min_theme_scores.vivre-ensembel: unknown theme 'vivre-ensembel' (did you mean 'vivre-ensemble'?)",
            "grades[1].arobases: grade 1 has two rules",
            "mentions[0].required_services.wifi-publik: unknown service",
            "mentions[1].id: duplicate mention id 'm'",
            "theme_weights.vivre-ensemble: a weight is positive, got 0",
            "issue_weights.emploi: expected an int, got float 1.5",
            "service_weights.wifi: unknown service 'wifi'",
            "applicability.wifi-public: expected an Applicability (an object), got str",
            "credits.partial: 1/2 is below the credit of a lower status (3/4)",
        ]:
            assert expected in text
        assert len(caught.value.problems) == 10

    def test_credits_default_and_refused(self) -> None:
        assert default_ruleset().credits == {
            Status.ABSENT: 0,
            Status.PLANNED: 0,
            Status.PARTIAL: Fraction(1, 2),
            Status.DEPLOYED: 1,
        }
        with pytest.raises(InvalidInput, match="earns no credit"):
            default_ruleset().replace(credits={Status.NOT_APPLICABLE: 1})
        with pytest.raises(InvalidInput, match="unknown status 'done'"):
            default_ruleset().replace(credits={"done": 1})

    def test_replace_validates(self) -> None:
        rules = default_ruleset()
        assert rules.replace(year=2017).year == 2017
        assert rules.replace(year=2017) != rules
        with pytest.raises(InvalidInput):
            rules.replace(grades=())

    def test_mention_needs_a_condition(self) -> None:
        with pytest.raises(InvalidInput, match="at least one condition"):
            MentionRule(id="m", name="M")

    @given(rulesets())
    def test_generated_rulesets_are_values(self, rules: Ruleset) -> None:
        copy = pickle.loads(pickle.dumps(rules))
        assert copy == rules
        assert hash(copy) == hash(rules)
        ordered = [g.arobases for g in rules.grades]
        assert ordered == sorted(ordered)
