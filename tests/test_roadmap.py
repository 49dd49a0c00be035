"""Roadmaps: a plan spread over years, the grade expected each year, the earliest year."""

from __future__ import annotations

import math
import pickle
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villes_label import (
    Dossier,
    InvalidInput,
    Roadmap,
    RoadmapYear,
    Ruleset,
    assess,
    dashboard,
    default_ruleset,
    from_dict,
    recommend,
    roadmap,
    to_dict,
)
from villes_label.referential import sample_dossier
from villes_label.testing import dossiers, rulesets, taxonomies


@st.composite
def cases(draw: st.DrawFn) -> tuple[Ruleset, Dossier, int | None]:
    taxonomy = draw(taxonomies(max_themes=3, max_issues=3, max_services=3))
    rules = draw(rulesets(taxonomy))
    dossier = draw(dossiers(rules))
    target = draw(st.none() | st.sampled_from([0, *(rule.arobases for rule in rules.grades)]))
    return rules, dossier, target


class TestSpread:
    """The roadmap takes the plan's steps in order, per_year a year from the dossier's year
    plus one; each year's grade and score are those of `assess` once its steps are taken;
    the target is reached in the year its last step is taken, and never later than the
    horizon when per_year is not given."""

    @given(cases(), st.integers(1, 5), st.none() | st.integers(1, 4))
    def test_law(
        self, case: tuple[Ruleset, Dossier, int | None], years: int, per_year: int | None
    ) -> None:
        rules, dossier, target = case
        road = roadmap(dossier, rules, target, years=years, per_year=per_year)
        plan = recommend(dossier, rules, target)
        assert road.target == plan.target
        assert road.reachable == plan.reachable
        assert road.steps == plan.steps
        current = assess(dossier, rules)
        assert (road.grade, road.score) == (current.grade, current.score)
        if not plan.reachable:
            assert road.years == ()
            assert road.reached_in is None
            assert not road.within_horizon
            return
        assert [entry.year for entry in road.years] == [
            dossier.year + n for n in range(1, len(road.years) + 1)
        ]
        assert len(road.years) >= years
        assert all(len(entry.steps) <= road.per_year for entry in road.years)
        taken = dossier
        for entry in road.years:
            for step in entry.steps:
                taken = taken.with_status(step.service, step.proposed)
            result = assess(taken, rules)
            assert (entry.grade, entry.score) == (result.grade, result.score)
        if per_year is None:
            assert road.within_horizon
            assert road.per_year == max(1, math.ceil(len(plan.steps) / years))
        if plan.steps:
            assert road.reached_in == dossier.year + math.ceil(len(plan.steps) / road.per_year)
        else:
            assert road.reached_in == dossier.year

    def test_sample_commune_one_a_year(self) -> None:
        # The plan for 5 @ has four steps: one a year reaches it at the 2020 horizon.
        road = roadmap(sample_dossier(), default_ruleset(), 5, per_year=1)
        assert [(y.year, [s.service for s in y.steps], y.grade) for y in road.years] == [
            (2017, ["budget-participatif"], 4),
            (2018, ["reseau-social-local"], 4),
            (2019, ["accueil-nouveaux-habitants"], 4),
            (2020, ["aide-sociale-en-ligne"], 5),
        ]
        assert (road.reached_in, road.within_horizon) == (2020, True)

    def test_beyond_the_horizon_says_the_earliest_year(self) -> None:
        road = roadmap(sample_dossier(), default_ruleset(), 5, years=3, per_year=1)
        steps = len(recommend(sample_dossier(), default_ruleset(), 5).steps)
        assert steps > 3
        assert len(road.years) == steps
        assert not road.within_horizon
        assert road.reached_in == 2016 + steps
        assert f"au plus tôt en {road.reached_in}" in road.explain()
        assert f"{road.reached_in} at the earliest" in road.explain("en")

    def test_exclude_and_prefer_reach_the_plan(self) -> None:
        road = roadmap(
            sample_dossier(), default_ruleset(), 4, prefer="started", exclude={"hackathon"}
        )
        plan = recommend(
            sample_dossier(), default_ruleset(), 4, prefer="started", exclude={"hackathon"}
        )
        assert road.steps == plan.steps

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [({"years": 0}, "years"), ({"per_year": 0}, "per_year"), ({"years": True}, "years")],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any], match: str) -> None:
        with pytest.raises(InvalidInput, match=match):
            roadmap(sample_dossier(), default_ruleset(), 4, **kwargs)


class TestHorizon:
    """The horizon is at most 100 years: each year is assessed, so the work is bounded."""

    def test_a_hundred_years(self) -> None:
        road = roadmap(sample_dossier(), default_ruleset(), 5, years=100)
        assert [entry.year for entry in road.years] == list(range(2017, 2117))
        # Once every step is taken, the later years repeat the last one.
        assert road.years[-1].grade == road.years[3].grade == 5

    @pytest.mark.parametrize(
        "years", [101, 20_000, 10**6, 10**10_000], ids=["101", "20k", "1e6", "huge"]
    )
    def test_a_longer_horizon_is_refused(self, years: int) -> None:
        with pytest.raises(InvalidInput) as info:
            roadmap(sample_dossier(), default_ruleset(), 5, years=years)
        assert [problem.path for problem in info.value.details] == [("years",)]
        assert str(info.value).startswith("years: at most 100 years, got ")
        assert len(str(info.value)) < 200

    def test_through_the_dashboard(self) -> None:
        with pytest.raises(InvalidInput, match="years: at most 100 years"):
            dashboard(sample_dossier(), default_ruleset(), years=10**6)


class TestRoadmapModel:
    """Roadmaps are frozen values: hashable, picklable, read back from their data."""

    def test_values_round_trip(self) -> None:
        road = roadmap(sample_dossier(), default_ruleset(), 5, per_year=3)
        assert from_dict(to_dict(road), Roadmap) == road
        assert from_dict(to_dict(road.years[0]), RoadmapYear) == road.years[0]
        assert pickle.loads(pickle.dumps(road)) == road
        assert hash(road) == hash(roadmap(sample_dossier(), default_ruleset(), 5, per_year=3))

    def test_checks(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Roadmap(
                target=7,
                reachable="yes",  # type: ignore[arg-type]
                start=2016,
                horizon=0,
                per_year=0,
                grade=3,
                score=Fraction(1, 2),
            )
        assert len(caught.value.problems) == 4
        with pytest.raises(InvalidInput, match="grade"):
            RoadmapYear(year=2017, grade=9, score=Fraction(1, 2))

    def test_texts(self) -> None:
        road = roadmap(sample_dossier(), default_ruleset(), 5, per_year=1)
        french = road.explain()
        assert french.splitlines()[0] == (
            "Feuille de route 2017–2020 vers @@@@@ (5 arobases) — "
            "aujourd'hui @@@ (3 arobases), score 60,4"
        )
        assert (
            "2020 : Aide sociale en ligne [aide-sociale-en-ligne] — "
            "note attendue @@@@@ (5 arobases), score 77,1" in french
        )
        assert french.endswith(
            "Conclusion : @@@@@ (5 arobases) atteint en 2020, à l'horizon 2020 "
            "(1 service par an au plus)"
        )
        faster = roadmap(sample_dossier(), default_ruleset(), 5, per_year=2)
        assert faster.reached_in is not None
        assert faster.reached_in < 2020
        assert f"atteint en {faster.reached_in}, avant l'horizon 2020" in faster.summary("fr")
        assert str(road) == road.summary("en")
        html = road._repr_html_()
        assert "<th>Note attendue</th>" in html
        assert "<code>aide-sociale-en-ligne</code>" in html
        assert "<th>Expected grade</th>" in road.to_html("en")
        with pytest.raises(InvalidInput, match="lang"):
            road.explain("de")  # type: ignore[arg-type]

    def test_reached_and_unreachable(self) -> None:
        reached = roadmap(sample_dossier(), default_ruleset(), 3)
        assert reached.reached_in == 2016
        assert "déjà atteint" in reached.explain()
        lost = Roadmap(
            target=5, reachable=False, start=2016, horizon=4, per_year=1, grade=0, score=Fraction(0)
        )
        assert lost.reached_in is None
        assert "hors d'atteinte" in lost.summary()
        assert "out of reach" in lost.summary("en")
