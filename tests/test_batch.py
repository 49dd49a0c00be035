"""The compiled scorer gives exactly the grades and scores of `assess`."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import THOROUGH
from villes_label import (
    Action,
    Applicability,
    Dossier,
    GradeRule,
    InvalidInput,
    Ruleset,
    Scorer,
    Status,
    Territory,
    TerritoryKind,
    _batch,
    assess,
    default_ruleset,
    default_taxonomy,
    referential,
    to_dict,
)
from villes_label._values import FrozenMap, fractions_of
from villes_label._vocabulary import StatusMap
from villes_label.referential import sample_dossier, synthetic_cohort
from villes_label.testing import dossiers, fractions, rulesets, territories

if TYPE_CHECKING:
    from collections.abc import Sequence

RULES = default_ruleset()
Case = tuple[Ruleset, list[Dossier]]
CREDITED = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)


def expected(cohort: Sequence[Dossier], rules: Ruleset) -> tuple[list[int], list[Fraction]]:
    results = [assess(dossier, rules) for dossier in cohort]
    return [r.grade for r in results], [r.score for r in results]


def without_min_scores(rules: Ruleset) -> Ruleset:
    return rules.replace(grades=tuple(attrs.evolve(g, min_score=0) for g in rules.grades))


@st.composite
def credits(draw: st.DrawFn) -> dict[Status, Fraction]:
    """Credits that grow with the status, ABSENT included (it may earn something)."""
    values = sorted(draw(st.lists(fractions(6), min_size=4, max_size=4)))
    return dict(zip(CREDITED, values, strict=True))


@st.composite
def cohorts(draw: st.DrawFn, *, max_size: int = 6) -> Case:
    """A ruleset (maybe with credits for ABSENT) and a few dossiers for it."""
    rules = draw(rulesets())
    if draw(st.booleans()):
        rules = rules.replace(credits=draw(credits()))
    cohort = draw(st.lists(dossiers(rules), max_size=max_size))
    return rules, cohort


def mixed_default_cohort(size: int, seed: int) -> list[Dossier]:
    """Synthetic dossiers of the default rules, some with opt-outs, refused opt-outs and actions."""
    cohort = list(synthetic_cohort(size, seed=seed, epci_share=0.2))
    for n in range(0, size, 3):
        cohort[n] = cohort[n].with_status("ent-ecoles", Status.NOT_APPLICABLE)
    for n in range(1, size, 5):
        cohort[n] = cohort[n].with_status("covoiturage-local", Status.NOT_APPLICABLE)
    for n in range(2, size, 4):
        action = Action(
            id="participation",
            title="Plateforme participative",
            services=frozenset({"budget-participatif", "consultation-en-ligne", "site-internet"}),
            status=Status.DEPLOYED if n % 8 == 2 else Status.PARTIAL,
        )
        cohort[n] = attrs.evolve(cohort[n], actions=(action,))
    return cohort


class TestAgreesWithAssess:
    """For every ruleset and dossier, `Scorer(rules)` gives exactly `assess`'s grade and score."""

    @given(cohorts())
    def test_grades_and_scores(self, case: Case) -> None:
        rules, cohort = case
        grades, scores = expected(cohort, rules)
        scorer = Scorer(rules)
        assert scorer.grades(cohort) == grades
        assert scorer.scores(cohort) == scores
        assert all(isinstance(score, Fraction) for score in scorer.scores(cohort))

    @given(cohorts(max_size=3))
    def test_assess_delegates(self, case: Case) -> None:
        rules, cohort = case
        scorer = Scorer(rules)
        assert [scorer.assess(d) for d in cohort] == [assess(d, rules) for d in cohort]

    @given(st.data())
    def test_default_rules_on_drawn_dossiers(self, data: st.DataObject) -> None:
        cohort = data.draw(st.lists(dossiers(RULES), min_size=1, max_size=3))
        grades, scores = expected(cohort, RULES)
        scorer = Scorer(RULES)
        assert scorer.grades(cohort) == grades
        assert scorer.scores(cohort) == scores

    def test_default_rules_on_a_synthetic_cohort(self) -> None:
        cohort = mixed_default_cohort(400, seed=7)
        grades, scores = expected(cohort, RULES)
        scorer = Scorer(RULES)
        assert scorer.grades(cohort) == grades
        assert scorer.scores(cohort) == scores
        # Every grade occurs, so every rule has been decided both ways.
        assert set(grades) == {1, 2, 3, 4, 5}

    def test_services_that_are_not_a_status_map(self) -> None:
        # Statuses put on a dossier behind its constructor's back hold no codes:
        # the scorer then reads each entry's status itself, with the same results.
        cohort = mixed_default_cohort(60, seed=8)
        bare = [copy.copy(dossier) for dossier in cohort[::2]]
        for dossier in bare:
            for name in ("services", "_effective"):
                object.__setattr__(dossier, name, FrozenMap(dict(getattr(dossier, name))))
            assert not isinstance(dossier._effective, StatusMap)
        assert any(dossier.actions for dossier in bare)
        mixed = [*bare, *cohort[1::2]]
        grades, scores = expected(mixed, RULES)
        scorer = Scorer(RULES)
        assert scorer.grades(mixed) == grades
        assert scorer.scores(mixed) == scores

    def test_sample_dossier(self) -> None:
        # The sample with a refused opt-out, so that the scorer meets one.
        dossier = sample_dossier().with_status("covoiturage-local", Status.NOT_APPLICABLE)
        result = assess(dossier, RULES)
        assert result.reasons_of("opt-out-refused")
        assert Scorer(RULES).grades([dossier]) == [result.grade]
        assert Scorer(RULES).scores([dossier]) == [result.score]

    def test_opt_out_patterns_beyond_the_cache(self) -> None:
        """More opt-out patterns than the scorer keeps compiled: still exact."""
        base = synthetic_cohort(1, seed=3)[0]
        opt_outs = [
            sid
            for sid, rule in RULES.applicability.items()
            if rule.opt_out and rule.concerns(base.territory)
        ]
        cohort = []
        for n in range(600):
            dossier = base
            for bit, sid in enumerate(opt_outs[:10]):
                if n >> bit & 1:
                    dossier = dossier.with_status(sid, Status.NOT_APPLICABLE)
            cohort.append(dossier)
        # Every dossier under the thorough profile; else those past the cache and a sample.
        checked = range(600) if THOROUGH else [*range(0, 512, 16), *range(512, 600)]
        grades, scores = expected([cohort[n] for n in checked], RULES)
        scorer = Scorer(RULES)
        all_grades, all_scores = scorer.grades(cohort), scorer.scores(cohort)
        assert [all_grades[n] for n in checked] == grades
        assert [all_scores[n] for n in checked] == scores
        # The compiled opt-out patterns stay bounded; the profiles are those of (kind, bracket).
        assert len(scorer._opt_out_profiles) <= 512  # none when numpy grades them on arrays
        assert len(scorer._by_concerned) <= 1


class TestExactThresholds:
    """A dossier exactly on a threshold gets the grade, as with `assess`."""

    @given(st.data())
    def test_threshold_at_the_score(self, data: st.DataObject) -> None:
        rules, cohort = data.draw(cohorts(max_size=1))
        if not cohort:
            return
        score = assess(cohort[0], rules).score
        top = rules.grades[-1]
        # Move the top rule's threshold onto the score (lower rules stay below it).
        lower = [g.min_score for g in rules.grades[:-1] if g.min_score > score]
        if lower:
            return
        rules = rules.replace(grades=(*rules.grades[:-1], attrs.evolve(top, min_score=score)))
        grades, scores = expected(cohort, rules)
        assert Scorer(rules).grades(cohort) == grades
        assert Scorer(rules).scores(cohort) == scores

    def test_one_third(self) -> None:
        """Thirds are not binary fractions: an exact scorer still puts 1/3 on 1/3."""
        rules = RULES.replace(
            grades=(GradeRule(arobases=1, min_score=0), GradeRule(arobases=2, min_score="1/3"))
        )
        territory = Territory(code="01001", name="Tiers", kind=TerritoryKind.COMMUNE, population=9)
        every = [s.id for s in rules.taxonomy.services]
        concerned = [sid for sid in every if rules.concerns(sid, territory)]
        # Deploy services until the score is exactly one third, if the counts allow it.
        for size in range(len(concerned)):
            dossier = Dossier(
                territory=territory,
                year=2016,
                services=dict.fromkeys(concerned[:size], Status.DEPLOYED),
            )
            score = assess(dossier, rules).score
            assert Scorer(rules).scores([dossier]) == [score]
            assert Scorer(rules).grades([dossier]) == [assess(dossier, rules).grade]


class TestProfiles:
    """Populations on, below and above every applicability bound are scored as by `assess`."""

    @given(st.data())
    def test_populations_on_the_bounds(self, data: st.DataObject) -> None:
        rules = data.draw(rulesets())
        bounds = {0, 1}
        for rule in rules.applicability.values():
            bounds.update({rule.min_population - 1, rule.min_population})
            if rule.max_population is not None:
                bounds.update({rule.max_population - 1, rule.max_population})
        population = data.draw(st.sampled_from(sorted(b for b in bounds if b >= 0)))
        where = territories(min_population=population, max_population=population)
        cohort = data.draw(st.lists(dossiers(rules, territory=where), min_size=1, max_size=3))
        grades, scores = expected(cohort, rules)
        assert Scorer(rules).grades(cohort) == grades
        assert Scorer(rules).scores(cohort) == scores

    def test_no_service_concerns_the_territory(self) -> None:
        """The score is 0; gates are waived, a positive minimum score fails."""
        big_only = Applicability(min_population=1_000_000)
        gate = {"democratie-locale": Fraction(1, 2)}
        rules = RULES.replace(
            applicability=dict.fromkeys(default_taxonomy().service_ids, big_only),
            grades=(
                GradeRule(arobases=1, min_score=0),
                GradeRule(arobases=2, min_score=0, min_issue_scores=gate, min_each_theme="1/2"),
                GradeRule(arobases=3, min_score="1/2", min_issue_scores=gate, min_each_theme="1/2"),
            ),
        )
        village = synthetic_cohort(1, seed=1, max_population=500)
        assert Scorer(rules).grades(village) == [assess(village[0], rules).grade] == [2]
        assert Scorer(rules).scores(village) == [assess(village[0], rules).score] == [0]


class TestSummary:
    """`summary` gives the grades, exact scores and gate grades that calibration needs."""

    @given(cohorts())
    def test_summary(self, case: Case) -> None:
        rules, cohort = case
        grades, scores = expected(cohort, rules)
        summary = Scorer(rules).summary(cohort)
        assert list(summary.grades) == grades
        assert summary.scores() == scores
        assert [summary.score(n) for n in range(len(cohort))] == scores
        assert [Fraction(n, summary.denominator) for n in summary.numerators] == scores
        gateless = without_min_scores(rules)
        assert list(summary.gate_grades) == [assess(d, gateless).grade for d in cohort]

    @given(cohorts())
    def test_grade_is_the_highest_threshold_reached_under_the_gate_grade(self, case: Case) -> None:
        rules, cohort = case
        summary = Scorer(rules).summary(cohort)
        for grade, gate, score in zip(
            summary.grades, summary.gate_grades, summary.scores(), strict=True
        ):
            reached = [
                g.arobases for g in rules.grades if g.arobases <= gate and score >= g.min_score
            ]
            assert grade == max(reached, default=0)

    def test_default_cohort(self) -> None:
        cohort = mixed_default_cohort(200 if THOROUGH else 60, seed=11)
        summary = Scorer(RULES).summary(cohort)
        grades, scores = expected(cohort, RULES)
        assert (list(summary.grades), summary.scores()) == (grades, scores)
        gateless = without_min_scores(RULES)
        assert list(summary.gate_grades) == [assess(d, gateless).grade for d in cohort]


class TestInvalidInput:
    """Bad input raises the `InvalidInput` that `assess` raises, never a bare error."""

    def test_unknown_service(self) -> None:
        cohort = list(synthetic_cohort(5, seed=1))
        cohort[3] = cohort[3].with_status("site-internte", Status.DEPLOYED)
        with pytest.raises(InvalidInput) as expected_error:
            assess(cohort[3], RULES)
        for method in (Scorer(RULES).grades, Scorer(RULES).scores, Scorer(RULES).summary):
            with pytest.raises(InvalidInput) as error:
                method(cohort)
            # The problem of `assess`, at the index of its dossier in the cohort.
            assert error.value.details == expected_error.value.within(3).details
            assert "did you mean 'site-internet'" in str(error.value)

    @given(
        st.lists(st.booleans(), min_size=1, max_size=40),
        st.sampled_from(["grades", "scores", "summary"]),
        st.booleans(),
    )
    def test_every_dossier_with_unknown_ids_is_named_by_its_index(
        self, wrong: list[bool], method: str, opt_outs: bool
    ) -> None:
        rate = 0.5 if opt_outs else 0.0
        cohort = list(synthetic_cohort(len(wrong), seed=len(wrong), opt_out_rate=rate))
        for n, bad in enumerate(wrong):
            if bad:
                cohort[n] = cohort[n].with_status(f"inconnu-{n}", Status.DEPLOYED)
        scorer = Scorer(RULES)
        if not any(wrong):
            getattr(scorer, method)(cohort)  # no error
            return
        with pytest.raises(InvalidInput) as error:
            getattr(scorer, method)(cohort)
        expected = [(n, "services", f"inconnu-{n}") for n, bad in enumerate(wrong) if bad]
        assert [problem.path for problem in error.value.details] == expected

    def test_unknown_service_in_an_action(self) -> None:
        action = Action(
            id="a", title="A", services=frozenset({"wifi-publc"}), status=Status.PARTIAL
        )
        dossier = attrs.evolve(synthetic_cohort(1, seed=2)[0], actions=(action,))
        with pytest.raises(InvalidInput, match="wifi-public"):
            Scorer(RULES).grades([dossier])

    def test_not_a_dossier(self) -> None:
        cohort: list[object] = [*synthetic_cohort(2, seed=1), "92049"]
        with pytest.raises(InvalidInput, match=r"dossiers\[2\]: expected a Dossier, got str"):
            Scorer(RULES).grades(cohort)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="expected a Dossier"):
            Scorer(RULES).scores(cohort)  # type: ignore[arg-type]

    def test_not_a_cohort(self) -> None:
        with pytest.raises(InvalidInput, match="dossiers: expected an iterable of Dossier"):
            Scorer(RULES).grades(3)  # type: ignore[arg-type]

    def test_not_a_ruleset(self) -> None:
        with pytest.raises(
            InvalidInput, match=r"ruleset: expected a Ruleset \(an object\), got str"
        ):
            Scorer("rules")


class TestNothingIsSwallowed:
    """A bug inside the scorer surfaces; no dossier silently takes another path."""

    @pytest.mark.parametrize("method", ["grades", "scores", "summary"])
    def test_an_internal_error_propagates(
        self, method: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(self: object, entries: object) -> int:
            raise KeyError("a bug")

        def broken_patterns(profiles: object, packed: object) -> list[int]:
            raise KeyError("a bug")

        def broken_arrays(*args: object, **kwargs: object) -> list[tuple[int, int, int, int]]:
            raise KeyError("a bug")

        monkeypatch.setattr(_batch, "_patterns", broken_patterns)
        monkeypatch.setattr(_batch._Profile, "packed", broken)
        monkeypatch.setattr(_batch, "dossier_rows", broken_arrays)
        monkeypatch.setattr(_batch, "dossier_grades", broken_arrays)
        cohort = mixed_default_cohort(12, seed=5)
        with pytest.raises(KeyError, match="a bug"):
            getattr(Scorer(RULES), method)(cohort)

    def test_scoring_leaves_the_dossiers_as_they_were(self) -> None:
        cohort = mixed_default_cohort(30, seed=6)
        before = [pickle.dumps(dossier) for dossier in cohort]
        first = Scorer(RULES).summary(cohort)
        assert [pickle.dumps(dossier) for dossier in cohort] == before
        assert Scorer(RULES).summary(cohort) == first


class TestCohortShapes:
    """Any iterable of dossiers is accepted, and the result keeps its order."""

    def test_generator_and_empty(self) -> None:
        cohort = synthetic_cohort(20, seed=4)
        scorer = Scorer(RULES)
        assert scorer.grades(d for d in cohort) == scorer.grades(list(cohort))
        assert scorer.grades(()) == []
        assert scorer.scores([]) == []
        assert Scorer(RULES).summary([]).grades == ()

    def test_order_is_kept(self) -> None:
        cohort = mixed_default_cohort(60, seed=5)
        scorer = Scorer(RULES)
        assert scorer.grades(cohort[::-1]) == scorer.grades(cohort)[::-1]


class TestPickle:
    """A scorer pickles to its ruleset alone and scores the same after the round trip."""

    def test_round_trip(self) -> None:
        cohort = mixed_default_cohort(60, seed=6)
        scorer = Scorer(RULES)
        fresh_size = len(pickle.dumps(scorer))
        grades = scorer.grades(cohort)  # fills the caches
        copy = pickle.loads(pickle.dumps(scorer))
        assert copy == scorer
        assert hash(copy) == hash(scorer)
        assert copy.ruleset == RULES
        assert copy.grades(cohort) == grades
        assert copy.scores(cohort) == scorer.scores(cohort)
        # The compiled tables are not shipped.
        assert len(pickle.dumps(scorer)) == fresh_size

    @given(cohorts(max_size=3))
    def test_round_trip_of_any_ruleset(self, case: Case) -> None:
        rules, cohort = case
        copy = pickle.loads(pickle.dumps(Scorer(rules)))
        assert copy.grades(cohort) == [assess(d, rules).grade for d in cohort]


class TestThreads:
    """One scorer shared by threads gives the same results as sequential calls."""

    def test_shared_scorer(self) -> None:
        cohort = mixed_default_cohort(240, seed=8)
        expected_grades = Scorer(RULES).grades(cohort)
        expected_scores = Scorer(RULES).scores(cohort)
        shared = Scorer(RULES)  # fresh: the threads race to fill its caches
        chunks = [cohort[n : n + 20] for n in range(0, len(cohort), 20)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            grades = list(pool.map(shared.grades, chunks))
            scores = list(pool.map(shared.scores, chunks))
            singles = list(pool.map(lambda d: shared.grades([d])[0], cohort))
        assert [g for chunk in grades for g in chunk] == expected_grades
        assert [s for chunk in scores for s in chunk] == expected_scores
        assert singles == expected_grades


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), max_size=40))
def test_fractions_are_built_once_per_pair(pairs: list[tuple[int, int]]) -> None:
    """`fractions_of` gives `Fraction(n, d)` of each pair, in order, one object per distinct pair."""
    built = fractions_of([n for n, _ in pairs], [d for _, d in pairs])
    assert built == [Fraction(n, d) for n, d in pairs]
    assert all(type(value) is Fraction for value in built)
    assert len({id(value) for value in built}) == len(set(pairs))


_WITH_FORMER_IDS = [r for r in map(referential.ruleset, referential.years()) if r.taxonomy.aliases]


class TestFormerIdsInActions:
    """A former id named by an action, counting or expired, is read as `assess` reads it."""

    def test_the_referential_has_former_ids(self) -> None:
        assert {r.year for r in _WITH_FORMER_IDS} >= {2016, 2017}

    @given(
        st.sampled_from(_WITH_FORMER_IDS).flatmap(
            lambda rules: st.tuples(st.just(rules), st.sampled_from(sorted(rules.taxonomy.aliases)))
        ),
        st.integers(min_value=0, max_value=40),
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2017, 12, 31)) | st.none(),
        st.booleans(),
    )
    def test_equal_to_assess(
        self, drawn: tuple[Ruleset, str], seed: int, date: dt.date | None, ongoing: bool
    ) -> None:
        rules, former = drawn
        base = synthetic_cohort(1, seed=seed, year=rules.year)[0]
        action = Action(
            id="a1",
            title="Initiative",
            services={former},
            status=Status.DEPLOYED,
            date=date,
            ongoing=ongoing,
        )
        dossier = attrs.evolve(base, actions=(action,))
        cohort = [base, dossier, dossier]
        expected = [assess(d, rules) for d in cohort]
        scorer = Scorer(rules)
        assert scorer.grades(cohort) == [r.grade for r in expected]
        assert scorer.scores(cohort) == [r.score for r in expected]
        data = [to_dict(d) for d in cohort]
        assert scorer.grades_from_data(data) == [r.grade for r in expected]

    def test_only_an_expired_action_names_it(self) -> None:
        """It used to send the scorer into endless recursion."""
        territory = Territory(code="48001", name="Albaret", kind="commune", population=500)
        action = Action(
            id="a1",
            title="Covoiturage",
            services={"covoiturage-local"},
            status=Status.DEPLOYED,
            date=dt.date(2012, 1, 1),
        )
        dossier = Dossier(territory=territory, year=2016, actions=[action])
        rules = referential.ruleset(2017)
        assert "covoiturage-local" in rules.taxonomy.aliases
        assert Scorer(rules).grades([dossier]) == [assess(dossier, rules).grade]
        assert Scorer(rules).scores([dossier]) == [assess(dossier, rules).score]
