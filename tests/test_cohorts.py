from __future__ import annotations

import itertools
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from villes_label import (
    Assessment,
    CalibrationError,
    Comparison,
    Dossier,
    GradeRule,
    InvalidInput,
    Issue,
    Ruleset,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
    assess,
    calibrate,
    compare,
    default_ruleset,
    grade_distribution,
    records,
)
from villes_label.referential import palmares_cohort, sample_dossier, synthetic_cohort
from villes_label.testing import dossiers, rulesets, taxonomies

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

GRADES = range(6)
Case = tuple[Ruleset, list[Dossier]]
PALMARES_2016 = {1: 40, 2: 37, 3: 31, 4: 25, 5: 30}
"""The 2016 label: 163 territories, 40 at 1 @, 37 at 2, 31 at 3, 25 at 4, 30 at 5."""


# --- helpers --------------------------------------------------------------------------


def distribution(cohort: Iterable[Dossier], rules: Ruleset) -> dict[int, int]:
    return grade_distribution(assess(d, rules) for d in cohort)


def gates_only(rules: Ruleset) -> Ruleset:
    return rules.replace(grades=[attrs.evolve(g, min_score=0) for g in rules.grades])


def with_thresholds(rules: Ruleset, thresholds: Iterable[Fraction | int]) -> Ruleset:
    return rules.replace(
        grades=[attrs.evolve(g, min_score=t) for g, t in zip(rules.grades, thresholds, strict=True)]
    )


def brute_force_feasible(cohort: list[Dossier], rules: Ruleset, target: Mapping[int, int]) -> bool:
    """Whether some monotone thresholds in [0, 1] give *target*, by trying them all.

    Scores and caps come from `assess` under the gates alone. A feasible choice
    exists iff one exists among the cohort's scores and 1: raising a threshold
    to the lowest score it admits, or to 1 when it admits no one, keeps the
    counts and the order.
    """
    results = [assess(d, gates_only(rules)) for d in cohort]
    candidates = sorted({r.score for r in results} | {Fraction(1)})
    ruled = [g.arobases for g in rules.grades]
    wanted = {g: target.get(g, 0) for g in range(1, 6)}
    wanted[0] = len(cohort) - sum(wanted.values())
    for thresholds in itertools.combinations_with_replacement(candidates, len(ruled)):
        counts = dict.fromkeys(GRADES, 0)
        for r in results:
            reached = [
                g for g, t in zip(ruled, thresholds, strict=True) if r.grade >= g and r.score >= t
            ]
            counts[max(reached, default=0)] += 1
        if counts == wanted:
            return True
    return False


def commune(n: int, population: int = 5_000) -> Territory:
    return Territory(
        code=f"01{n:03d}", name=f"Commune {n}", kind=TerritoryKind.COMMUNE, population=population
    )


def tiny_taxonomy(theme_id: str = "t") -> Taxonomy:
    services = tuple(Service(id=s, name=s.upper()) for s in ("a", "b", "c", "d"))
    return Taxonomy(
        name="tiny",
        version="1",
        themes=(
            Theme(id=theme_id, name="T", issues=(Issue(id="i", name="I", services=services),)),
        ),
    )


def tiny_rules(**grade3: Any) -> Ruleset:
    """Grades 1, 2, 3 at 0, 1/2, 3/4; grade 3 may get gates."""
    return Ruleset(
        name="tiny",
        year=2016,
        taxonomy=tiny_taxonomy(),
        grades=(
            GradeRule(arobases=1, min_score=0),
            GradeRule(arobases=2, min_score=Fraction(1, 2)),
            GradeRule(arobases=3, min_score=Fraction(3, 4), **grade3),
        ),
    )


def tiny_dossier(n: int, deployed: int) -> Dossier:
    """A dossier with *deployed* of the four services deployed (score deployed / 4)."""
    return Dossier(
        territory=commune(n),
        year=2016,
        services=dict.fromkeys(("a", "b", "c", "d")[:deployed], Status.DEPLOYED),
    )


@st.composite
def cohorts(draw: st.DrawFn, *, max_size: int = 8, denominator: int | None = None) -> Case:
    """A small ruleset and a cohort of dossiers for it."""
    taxonomy = draw(taxonomies(max_themes=2, max_issues=2, max_services=3))
    rules = draw(rulesets(taxonomy, denominator=denominator or draw(st.sampled_from([4, 8, 20]))))
    cohort = draw(st.lists(dossiers(rules), max_size=max_size))
    return rules, cohort


# --- grade_distribution ---------------------------------------------------------------


class TestGradeDistribution:
    """grade_distribution counts the grades; keys 0..5 are always present, in order."""

    @given(cohorts())
    def test_counts(self, case: Case) -> None:
        rules, cohort = case
        results = [assess(d, rules) for d in cohort]
        counts = grade_distribution(results)
        assert list(counts) == list(GRADES)
        assert sum(counts.values()) == len(cohort)
        for g in GRADES:
            assert counts[g] == sum(1 for r in results if r.grade == g)

    def test_empty_and_generator(self) -> None:
        assert grade_distribution([]) == dict.fromkeys(GRADES, 0)
        rules = default_ruleset()
        counts = grade_distribution(assess(d, rules) for d in synthetic_cohort(7, seed=3))
        assert sum(counts.values()) == 7

    def test_bad_input(self) -> None:
        result = assess(sample_dossier(), default_ruleset())
        with pytest.raises(InvalidInput) as error:
            grade_distribution([result, 3, "x"])  # type: ignore[list-item]
        assert error.value.problems == (
            "assessments[1]: expected an Assessment, got int",
            "assessments[2]: expected an Assessment, got str",
        )
        with pytest.raises(InvalidInput, match="expected an iterable of Assessment"):
            grade_distribution(result)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="expected an iterable"):
            grade_distribution(3)  # type: ignore[arg-type]


# --- records --------------------------------------------------------------------------


class TestRecords:
    """records gives one flat row per assessment, same keys in the same order on every row."""

    FIXED = ("code", "name", "kind", "population", "year", "grade", "score", "projected_score")

    @given(cohorts())
    def test_rows(self, case: Case) -> None:
        rules, cohort = case
        results = [assess(d, rules) for d in cohort]
        rows = records(results, taxonomy=rules.taxonomy)
        assert len(rows) == len(results)
        themes = [t.id for t in rules.taxonomy.themes]
        if results:
            # Without the taxonomy, the columns are the themes scored somewhere.
            plain = list(records(results)[0])
            assert set(plain[len(self.FIXED) : -1]) == {t for r in results for t in r.themes}
        for row, result in zip(rows, results, strict=True):
            assert list(row) == [*self.FIXED, *themes, "mentions"]
            t = result.territory
            assert (row["code"], row["name"], row["kind"], row["population"]) == (
                t.code,
                t.name,
                t.kind.value,
                t.population,
            )
            assert row["year"] == result.year
            assert row["grade"] == result.grade
            assert row["score"] == float(result.score)
            assert row["projected_score"] == float(result.projected_score)
            for theme_id in themes:
                expected = result.themes.get(theme_id)
                assert row[theme_id] == (None if expected is None else float(expected))
            assert row["mentions"] == ", ".join(result.mentions)
            # Plain values only, as a data frame or a JSON encoder wants them.
            assert all(isinstance(v, str | int | float | type(None)) for v in row.values())

    def test_sample(self) -> None:
        result = assess(sample_dossier(), default_ruleset())
        (row,) = records([result])
        assert row["kind"] == "commune"
        assert isinstance(row["score"], float)
        assert list(row)[8:12] == [t.id for t in default_ruleset().taxonomy.themes]

    def test_theme_named_like_a_column(self) -> None:
        rules = tiny_rules().replace(taxonomy=tiny_taxonomy("score"))
        (row,) = records([assess(tiny_dossier(1, 2), rules)])
        assert row["score"] == 0.5
        assert row["theme:score"] == 0.5

    def test_bad_input(self) -> None:
        with pytest.raises(InvalidInput, match=r"assessments\[0\]: expected an Assessment"):
            records([sample_dossier()])  # type: ignore[list-item]


# --- calibrate ------------------------------------------------------------------------


def check_calibrated(
    calibrated: Ruleset, rules: Ruleset, cohort: Sequence[Dossier], target: Mapping[int, int]
) -> None:
    """The calibrated ruleset meets the target and moves nothing but min_score."""
    wanted = {g: target.get(g, 0) for g in range(1, 6)}
    wanted[0] = len(cohort) - sum(wanted.values())
    results = [assess(d, calibrated) for d in cohort]
    assert grade_distribution(results) == wanted
    assert calibrated == with_thresholds(rules, [g.min_score for g in calibrated.grades])
    for rule in calibrated.grades:
        assert 0 <= rule.min_score <= 1
        reached = [r.score for r in results if r.grade >= rule.arobases]
        if reached:
            # The exact score of the lowest territory that must reach that grade.
            assert rule.min_score == min(reached)


class TestCalibrate:
    """calibrate gives exactly the target whenever some monotone thresholds can."""

    @given(cohorts(), st.data())
    def test_exact_or_impossible(self, case: Case, data: st.DataObject) -> None:
        rules, cohort = case
        # A grade for each territory (0 or a grade with a rule): the target they make.
        grades = [0, *(g.arobases for g in rules.grades)]
        picks = data.draw(
            st.lists(st.sampled_from(grades), min_size=len(cohort), max_size=len(cohort))
        )
        target = {g: picks.count(g) for g in grades[1:]}
        feasible = brute_force_feasible(cohort, rules, target)
        try:
            calibrated = calibrate(rules, cohort, target)
        except CalibrationError as error:
            message = str(error)
        else:
            event("calibrated")
            assert feasible
            check_calibrated(calibrated, rules, cohort, target)
            return
        kinds = ("tie on the cut", "pass the gates", "monotone", "keeps it out")
        event(f"impossible: {next((k for k in kinds if k in message), message)}")
        assert not feasible, message
        assert "cannot be matched" in message

    @given(cohorts(max_size=12), st.data())
    def test_reproduces_any_thresholds(self, case: Case, data: st.DataObject) -> None:
        """The grades of any thresholds, taken as a target, come back territory by territory."""
        rules, cohort = case
        values = data.draw(
            st.lists(
                st.fractions(0, 1, max_denominator=24),
                min_size=len(rules.grades),
                max_size=len(rules.grades),
            )
        )
        other = with_thresholds(rules, sorted(values))
        before = [assess(d, other).grade for d in cohort]
        target = {g: before.count(g) for g in range(1, 6)}
        calibrated = calibrate(rules, cohort, target)
        assert [assess(d, calibrated).grade for d in cohort] == before
        check_calibrated(calibrated, rules, cohort, target)

    @given(cohorts(max_size=12), st.data())
    def test_idempotent(self, case: Case, data: st.DataObject) -> None:
        rules, cohort = case
        other = with_thresholds(
            rules,
            sorted(
                data.draw(
                    st.lists(
                        st.fractions(0, 1, max_denominator=12),
                        min_size=len(rules.grades),
                        max_size=len(rules.grades),
                    )
                )
            ),
        )
        target = distribution(cohort, other)
        once = calibrate(rules, cohort, target)
        assert calibrate(once, cohort, target) == once

    def test_palmares_2016(self) -> None:
        """The 2016 palmarès (40/37/31/25/30 over 163) on the size-realistic cohort, exactly."""
        cohort = palmares_cohort()
        rules = default_ruleset()
        calibrated = calibrate(rules, cohort, PALMARES_2016)
        assert distribution(cohort, calibrated) == {0: 0, **PALMARES_2016}
        check_calibrated(calibrated, rules, cohort, PALMARES_2016)
        # The gates are those of the label's rules, untouched.
        for before, after in zip(rules.grades, calibrated.grades, strict=True):
            assert attrs.evolve(before, min_score=after.min_score) == after

    def test_the_rest_get_zero(self) -> None:
        cohort = [tiny_dossier(n, n) for n in range(5)]  # scores 0, 1/4, 1/2, 3/4, 1
        calibrated = calibrate(tiny_rules(), cohort, {1: 1, 2: 1, 3: 1})
        assert [assess(d, calibrated).grade for d in cohort] == [0, 0, 1, 2, 3]
        assert [g.min_score for g in calibrated.grades] == [Fraction(1, 2), Fraction(3, 4), 1]

    def test_distribution_as_target(self) -> None:
        cohort = [tiny_dossier(n, n) for n in range(5)]
        target = distribution(cohort, tiny_rules())
        assert calibrate(tiny_rules(), cohort, target) == tiny_rules()
        with pytest.raises(
            CalibrationError, match=r"target\.0: it asks for 2 territories at grade 0"
        ):
            calibrate(tiny_rules(), cohort, {**target, 0: 2})

    def test_unreached_grade_keeps_its_threshold_or_gets_one(self) -> None:
        cohort = [tiny_dossier(n, n) for n in range(4)]  # best score 3/4
        calibrated = calibrate(tiny_rules(), cohort, {1: 4})
        assert [g.min_score for g in calibrated.grades] == [0, 1, 1]
        calibrated = calibrate(tiny_rules(), cohort[:3], {1: 3})  # best score 1/2
        assert [g.min_score for g in calibrated.grades] == [0, 1, 1]
        calibrated = calibrate(tiny_rules(), cohort[:2], {1: 2})  # best score 1/4
        assert [g.min_score for g in calibrated.grades] == [0, Fraction(1, 2), Fraction(3, 4)]

    def test_tie_on_the_cut(self) -> None:
        cohort = [tiny_dossier(1, 2), tiny_dossier(2, 2), tiny_dossier(3, 4)]
        with pytest.raises(CalibrationError) as error:
            calibrate(tiny_rules(), cohort, {1: 1, 2: 1, 3: 1})
        message = str(error.value)
        assert message.startswith("grade 2 cannot be matched: a tie on the cut")
        assert "Commune 1 (01001) and Commune 2 (01002) both score 50.0" in message

    def test_gate_too_few_pass(self) -> None:
        rules = tiny_rules(required_services=frozenset({"d"}))
        # Scores 1/4, 1/2, 3/4 without "d", and 1 with it.
        cohort = [tiny_dossier(n, n) for n in range(1, 5)]
        with pytest.raises(CalibrationError) as error:
            calibrate(rules, cohort, {1: 1, 2: 1, 3: 2})
        assert str(error.value) == (
            "grade 3 cannot be matched: the target puts 2 territories at 3 @ or more, "
            "but only 1 of the 4 pass the gates of grade 3 "
            "(required service 'd' missed by 3)"
        )

    def test_gates_against_monotone(self) -> None:
        """Those that must reach 3 @ score below those that must reach 2 @ only."""
        rules = tiny_rules(required_services=frozenset({"a"}))
        deployed = dict.fromkeys(("b", "c", "d"), Status.DEPLOYED)
        high = Dossier(territory=commune(1), year=2016, services=deployed)  # 3/4, no "a"
        middle = Dossier(territory=commune(2), year=2016, services=dict(list(deployed.items())[:2]))
        low = tiny_dossier(3, 1)  # only "a": passes the gate, scores 1/4
        cohort = [high, middle, low]
        # 2 at 1 @ or more puts the threshold of 1 @ at 1/2, above the one that must reach 3 @.
        with pytest.raises(CalibrationError) as error:
            calibrate(rules, cohort, {1: 1, 3: 1})
        message = str(error.value)
        assert message.startswith("grade 3 cannot be matched: 1 territory must be at 3 @ or more")
        assert "Commune 3 (01003)" in message
        assert "monotone" in message
        assert not brute_force_feasible(cohort, rules, {1: 1, 3: 1})

    def test_perfect_score_cannot_be_kept_out(self) -> None:
        cohort = [tiny_dossier(1, 4), tiny_dossier(2, 1)]
        with pytest.raises(CalibrationError, match=r"Commune 1 \(01001\) scores 100.0"):
            calibrate(tiny_rules(), cohort, {1: 1, 2: 1})

    def test_bad_targets(self) -> None:
        cohort = [tiny_dossier(n, n) for n in range(3)]
        with pytest.raises(CalibrationError, match=r"places 4 territories .* only 3"):
            calibrate(tiny_rules(), cohort, {1: 2, 2: 2})
        with pytest.raises(CalibrationError, match="no rule for grade 4"):
            calibrate(tiny_rules(), cohort, {4: 1})
        with pytest.raises(InvalidInput) as error:
            calibrate(tiny_rules(), cohort, {1: -1, 6: 1, "2": 1, 3: 1.5})  # type: ignore[dict-item]
        assert error.value.problems == (
            "target.1: a count is >= 0, got -1",
            "target.6: expected a grade 0..5",
            "target.'2': expected a grade 0..5",
            "target.3: expected a count (int), got float",
        )
        with pytest.raises(InvalidInput, match=r"target\.True: expected a grade"):
            calibrate(tiny_rules(), cohort, {True: 1})
        with pytest.raises(InvalidInput, match="target: expected a mapping"):
            calibrate(tiny_rules(), cohort, [1, 2])  # type: ignore[arg-type]

    def test_bad_arguments(self) -> None:
        with pytest.raises(InvalidInput, match="ruleset: expected a Ruleset"):
            calibrate("rules", [], {})  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match=r"dossiers\[1\]: expected a Dossier, got int"):
            calibrate(tiny_rules(), [tiny_dossier(1, 1), 3], {})  # type: ignore[list-item]
        unknown = Dossier(territory=commune(1), year=2016, services={"zz": Status.DEPLOYED})
        with pytest.raises(InvalidInput, match=r"dossiers\[1\]\.services\.zz: unknown service"):
            calibrate(tiny_rules(), [tiny_dossier(2, 1), unknown], {1: 1})

    def test_empty_cohort(self) -> None:
        assert calibrate(tiny_rules(), [], {}) == tiny_rules()


# --- compare --------------------------------------------------------------------------


class TestCompare:
    """compare counts the grade moves of a cohort between two rulesets, and lists the movers."""

    @given(cohorts())
    def test_same_rules_change_nothing(self, case: Case) -> None:
        rules, cohort = case
        result = compare(cohort, rules, rules)
        assert result.changed == ()
        assert all(n == 0 for (b, a), n in result.transitions.items() if b != a)
        assert result.before == result.after == distribution(cohort, rules)
        assert result.upgraded == result.downgraded == 0
        assert result.unchanged == result.total == len(cohort)

    @given(st.data())
    def test_transitions_and_changes(self, data: st.DataObject) -> None:
        taxonomy = data.draw(taxonomies(max_themes=2, max_issues=2, max_services=3))
        before = data.draw(rulesets(taxonomy))
        after = data.draw(rulesets(taxonomy))
        cohort = data.draw(st.lists(dossiers(taxonomy), max_size=10))
        result = compare(cohort, before, after)
        old = [assess(d, before).grade for d in cohort]
        new = [assess(d, after).grade for d in cohort]
        assert list(result.transitions) == [(b, a) for b in GRADES for a in GRADES]
        for pair, n in result.transitions.items():
            assert n == list(zip(old, new, strict=True)).count(pair)
        assert result.changed == tuple(
            (d.territory, b, a) for d, b, a in zip(cohort, old, new, strict=True) if b != a
        )
        assert result.before == distribution(cohort, before)
        assert result.after == distribution(cohort, after)
        assert result.upgraded == sum(a > b for b, a in zip(old, new, strict=True))
        assert result.downgraded == sum(a < b for b, a in zip(old, new, strict=True))

    def test_calibration_what_if(self) -> None:
        # What calibrating moves: from the share-of-potential thresholds of the 2014 rules
        # (20 %, 35 %, 50 %, 65 %) to the palmarès, on the default rules' gates and strata.
        cohort = palmares_cohort()
        rules = with_thresholds(
            default_ruleset(),
            [0, Fraction(1, 5), Fraction(7, 20), Fraction(1, 2), Fraction(13, 20)],
        )
        calibrated = calibrate(rules, cohort, PALMARES_2016)
        result = compare(cohort, rules, calibrated)
        assert result.after == {0: 0, **PALMARES_2016}
        assert result.downgraded > 0
        assert result.upgraded + result.downgraded == len(result.changed)
        text = str(result)
        assert text.splitlines()[0] == result.summary()
        assert "before \\ after" in text
        html = result._repr_html_()
        assert html.startswith("<table")
        assert html.count("<tr>") == 8  # header, six grades, totals

    def test_str_lists_the_movers(self) -> None:
        cohort = [tiny_dossier(n, n) for n in range(5)]
        stricter = with_thresholds(tiny_rules(), [0, Fraction(3, 4), 1])
        result = compare(cohort, tiny_rules(), stricter)
        assert result.changed == ((commune(2), 2, 1), (commune(3), 3, 2))
        lines = str(result).splitlines()
        assert lines[0] == "5 territories: 0 upgraded, 2 downgraded, 3 unchanged"
        assert lines[-1] == "  Commune 3 (01003): @@@ → @@"

    def test_bad_arguments(self) -> None:
        with pytest.raises(InvalidInput, match="after: expected a Ruleset"):
            compare([], tiny_rules(), None)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match=r"dossiers\[0\]: expected a Dossier"):
            compare([None], tiny_rules(), tiny_rules())  # type: ignore[list-item]


class TestComparison:
    """A Comparison is a validated value: every pair present, movers and counts agree."""

    def test_value(self) -> None:
        t = commune(1)
        c = Comparison(transitions={(1, 1): 2, (1, 2): 1}, changed=[(t, 1, 2)])
        assert len(c.transitions) == 36
        assert c.transitions[(0, 0)] == 0
        assert c == Comparison(transitions=dict(c.transitions), changed=((t, 1, 2),))
        assert hash(c) == hash(Comparison(transitions=c.transitions, changed=c.changed))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            c.changed = ()  # type: ignore[misc]

    def test_problems(self) -> None:
        t = commune(1)
        with pytest.raises(InvalidInput) as error:
            Comparison(transitions={(1, 6): 1, (0, 0): -1, 3: 1})  # type: ignore[dict-item]
        assert error.value.problems == ("transitions.3: expected a key such as '3->4', got int 3",)
        with pytest.raises(InvalidInput) as error:
            Comparison(transitions={(1, 6): 1, (0, 0): -1, (3, 9): 2})
        assert error.value.problems == (
            "transitions.1->6: expected a pair of grades (before, after), each 0..5",
            "transitions.0->0: expected a count >= 0, got -1",
            "transitions.3->9: expected a pair of grades (before, after), each 0..5",
        )
        with pytest.raises(InvalidInput, match="the grade did not change"):
            Comparison(transitions={(1, 1): 1}, changed=[(t, 1, 1)])
        with pytest.raises(InvalidInput, match=r"changed\[0\]\[0\]: expected a Territory"):
            Comparison(transitions={(1, 2): 1}, changed=[("t", 1, 2)])  # type: ignore[list-item]
        with pytest.raises(InvalidInput, match="but transitions counts 2"):
            Comparison(transitions={(1, 2): 2}, changed=[(t, 1, 2)])
        with pytest.raises(InvalidInput, match="but transitions counts 0"):
            Comparison(transitions={}, changed=[(t, 4, 2)])


def test_assessment_type_is_public() -> None:
    # records and grade_distribution take what assess returns.
    assert isinstance(assess(sample_dossier(), default_ruleset()), Assessment)


def test_a_tie_names_huge_territory_names_briefly() -> None:
    """`CalibrationError` cuts a long name in the middle, as problems do."""
    rules = default_ruleset()
    dossier = sample_dossier()
    big = attrs.evolve(dossier, territory=attrs.evolve(dossier.territory, name="N" * 1_000_000))
    other = attrs.evolve(dossier, territory=attrs.evolve(dossier.territory, code="35238"))
    with pytest.raises(CalibrationError, match="a tie on the cut") as caught:
        calibrate(rules, [big, other], {3: 1, 2: 1})
    assert len(str(caught.value)) < 1_000
    assert "(35999) and Saint-Exemple-sur-Vilaine (35238)" in str(caught.value)
