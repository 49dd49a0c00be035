from __future__ import annotations

import itertools
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import villes_label as vl
from helpers import same_output_across_seeds, shuffled
from villes_label import (
    Action,
    Dossier,
    GradeRule,
    InvalidInput,
    Issue,
    Plan,
    Ruleset,
    Service,
    Status,
    Step,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
    assess,
    default_ruleset,
    next_questions,
    recommend,
)
from villes_label.referential import sample_dossier, synthetic_cohort
from villes_label.testing import dossiers, rulesets, taxonomies

if TYPE_CHECKING:
    from collections.abc import Iterable
    from random import Random

D = Status.DEPLOYED
Case = tuple[Ruleset, Dossier, int | None]
# The brute force is exhaustive over subsets: keep the number of open services small.
MAX_OPEN = 9


# --- strategies and the brute force ------------------------------------------------------


@st.composite
def small_cases(draw: st.DrawFn, *, max_services: int = 3) -> Case:
    """A small ruleset (<= 3 themes, <= 3 issues each, <= 3 services each), a dossier, a target."""
    taxonomy = draw(taxonomies(max_themes=3, max_issues=3, max_services=max_services))
    rules = draw(rulesets(taxonomy, denominator=draw(st.sampled_from([4, 6, 12, 20]))))
    dossier = draw(dossiers(rules))
    grades = [0, *(rule.arobases for rule in rules.grades)]
    target = draw(st.none() | st.sampled_from(grades))
    return rules, dossier, target


def open_services(dossier: Dossier, rules: Ruleset) -> list[str]:
    """Concerned services that are not deployed, in taxonomy order, seen through `assess`."""
    result = assess(dossier, rules)
    return [
        s.id
        for s in rules.taxonomy.services
        if s.id not in result.not_concerned and result.statuses[s.id] is not D
    ]


def deploy(dossier: Dossier, services: Iterable[str]) -> Dossier:
    for sid in services:
        dossier = dossier.with_status(sid, D)
    return dossier


def brute_force(dossier: Dossier, rules: Ruleset, target: int) -> tuple[str, ...] | None:
    """The best set by exhaustive search (only `assess` and `with_status`), or None.

    Best: fewest services, then largest score increase, then earliest in taxonomy
    order (`combinations` yields each size in lexicographic order of the ranks).
    """
    before = assess(dossier, rules).score
    candidates = open_services(dossier, rules)
    for size in range(len(candidates) + 1):
        best: tuple[Fraction, tuple[str, ...]] | None = None
        for subset in itertools.combinations(candidates, size):
            after = assess(deploy(dossier, subset), rules)
            if after.grade >= target:
                gain = after.score - before
                if best is None or gain > best[0]:
                    best = (gain, subset)
        if best is not None:
            return best[1]
    return None


def resolved_target(dossier: Dossier, rules: Ruleset, target: int | None) -> int:
    """The target `recommend` aims at when given *target* (the next grade by default)."""
    if target is not None:
        return target
    grade = assess(dossier, rules).grade
    return next((r.arobases for r in rules.grades if r.arobases > grade), grade)


def town(population: int = 12_400, kind: TerritoryKind = TerritoryKind.COMMUNE) -> Territory:
    code = "35999" if kind is TerritoryKind.COMMUNE else "200000001"
    return Territory(code=code, name="Test", kind=kind, population=population)


def tiny_rules(grades: tuple[GradeRule, ...], **changes: Any) -> Ruleset:
    """Two themes: t0 = {i0: a, b, c; i1: d}, t1 = {i2: e, f}."""
    taxonomy = Taxonomy(
        name="tiny",
        version="1",
        themes=(
            Theme(
                id="t0",
                name="T0",
                issues=(
                    Issue(
                        id="i0",
                        name="I0",
                        services=tuple(Service(id=x, name=x) for x in "abc"),
                    ),
                    Issue(id="i1", name="I1", services=(Service(id="d", name="d"),)),
                ),
            ),
            Theme(
                id="t1",
                name="T1",
                issues=(
                    Issue(id="i2", name="I2", services=tuple(Service(id=x, name=x) for x in "ef")),
                ),
            ),
        ),
    )
    return Ruleset(name="tiny", year=2016, taxonomy=taxonomy, grades=grades, **changes)


# --- laws against the brute force ---------------------------------------------------------


class TestMinimality:
    """The plan has the fewest steps that reach the target; ties go to the larger gain,
    then to taxonomy order; it is unreachable exactly when no set of steps reaches it."""

    @given(small_cases())
    def test_same_set_as_exhaustive_search(self, case: Case) -> None:
        rules, dossier, target = case
        assume(len(open_services(dossier, rules)) <= MAX_OPEN)
        plan = recommend(dossier, rules, target)
        goal = resolved_target(dossier, rules, target)
        assert plan.target == goal
        best = brute_force(dossier, rules, goal)
        assert plan.reachable == (best is not None)
        if best is not None:
            assert sorted(step.service for step in plan.steps) == sorted(best)

    @given(small_cases())
    def test_no_smaller_set_reaches(self, case: Case) -> None:
        """Independent of tie-breaks: every set one step smaller than the plan fails."""
        rules, dossier, target = case
        plan = recommend(dossier, rules, target)
        assume(plan.reachable and plan.steps and len(plan.steps) <= 4)
        chosen = [step.service for step in plan.steps]
        candidates = open_services(dossier, rules)
        assume(len(candidates) <= 12)
        for subset in itertools.combinations(candidates, len(chosen) - 1):
            assert assess(deploy(dossier, subset), rules).grade < plan.target


class TestReach:
    """Applying a reachable plan reaches its target; an unreachable one stays out of reach
    even with every concerned service deployed."""

    @given(small_cases(max_services=4))
    def test_apply_reaches_target(self, case: Case) -> None:
        rules, dossier, target = case
        plan = recommend(dossier, rules, target)
        if plan.reachable:
            assert assess(plan.apply(dossier), rules).grade >= plan.target
        else:
            assert not plan.steps
            everything = deploy(dossier, open_services(dossier, rules))
            assert assess(everything, rules).grade < plan.target

    @pytest.mark.parametrize("target", [1, 2, 3, 4, 5])
    def test_default_rules_on_a_cohort(self, target: int) -> None:
        rules = default_ruleset()
        for dossier in synthetic_cohort(8, seed=target):
            plan = recommend(dossier, rules, target)
            after = assess(plan.apply(dossier), rules)
            assert plan.reachable
            assert after.grade >= target
            assert after.score - assess(dossier, rules).score == plan.gain


class TestGains:
    """A step's gain is the increase of the overall score it brings after the steps before
    it; the gains of a plan add up exactly to the score increase of the whole plan, and
    without expectations each is also what the step brings alone."""

    @given(small_cases(max_services=4))
    def test_gains_are_exact(self, case: Case) -> None:
        rules, dossier, target = case
        plan = recommend(dossier, rules, target)
        before = assess(dossier, rules).score
        assert assess(plan.apply(dossier), rules).score - before == plan.gain
        assert plan.gain == sum((step.gain for step in plan.steps), Fraction(0))
        running = dossier
        for step in plan.steps:
            previous = assess(running, rules).score
            running = running.with_status(step.service, D)
            assert assess(running, rules).score - previous == step.gain
            assert isinstance(step.gain, Fraction)
            if not rules.expectations:
                alone = assess(dossier.with_status(step.service, D), rules).score
                assert alone - before == step.gain


class TestSteps:
    """A step brings one concerned, not yet deployed service to DEPLOYED; steps are listed
    by larger gain first, then in taxonomy order."""

    @given(small_cases(max_services=4))
    def test_step_shape_and_order(self, case: Case) -> None:
        rules, dossier, target = case
        plan = recommend(dossier, rules, target)
        result = assess(dossier, rules)
        rank = {s.id: n for n, s in enumerate(rules.taxonomy.services)}
        for step in plan.steps:
            assert step.service not in result.not_concerned
            assert step.current is dossier.status(step.service)
            assert step.current is not D
            assert step.proposed is D
        keys = [(-step.gain, rank[step.service]) for step in plan.steps]
        assert keys == sorted(keys)

    def test_opted_out_and_not_concerned_services_are_never_proposed(self) -> None:
        # Only "a" may be declared not applicable; "d" concerns towns of 10,000 or more.
        rules = tiny_rules(
            (GradeRule(arobases=1, min_score=Fraction(1)),),
            applicability={
                "a": vl.Applicability(opt_out=True),
                "b": vl.Applicability(opt_out=False),
                "d": vl.Applicability(min_population=10_000),
            },
        )
        dossier = Dossier(
            territory=town(500),
            year=2016,
            services={"a": Status.NOT_APPLICABLE, "b": Status.NOT_APPLICABLE},
        )
        plan = recommend(dossier, rules, 1)
        proposed = {step.service: step for step in plan.steps}
        # "b" is a refused opt-out: it counts as absent and is proposed.
        assert set(proposed) == {"b", "c", "e", "f"}
        assert proposed["b"].current is Status.NOT_APPLICABLE
        assert assess(plan.apply(dossier), rules).grade == 1

    def test_required_services_come_first_whatever_their_gain(self) -> None:
        # "d" alone carries a quarter of the score; the rule requires "a" (a twelfth).
        rules = tiny_rules((GradeRule(arobases=1, min_score=Fraction(0), required_services={"a"}),))
        dossier = Dossier(territory=town(), year=2016)
        plan = recommend(dossier, rules)
        assert [step.service for step in plan.steps] == ["a"]
        assert plan.gain == Fraction(1, 12)

    def test_an_issue_without_concerned_service_waives_its_gate(self) -> None:
        rules = tiny_rules(
            (
                GradeRule(
                    arobases=1,
                    min_score=Fraction(1, 4),
                    min_issue_scores={"i1": Fraction(1)},
                    min_theme_scores={"t1": Fraction(1)},
                ),
            ),
            applicability={
                "d": vl.Applicability(min_population=10_000),
                "e": vl.Applicability(min_population=10_000),
                "f": vl.Applicability(min_population=10_000),
            },
        )
        plan = recommend(Dossier(territory=town(500), year=2016), rules)
        # Only theme t0, issue i0 is left: one of a, b, c makes 1/3 >= 1/4.
        assert [step.service for step in plan.steps] == ["a"]


class TestTies:
    """Ties are broken deterministically: the same plan whatever the order of the dossier's
    entries and actions, and whatever the hash seed."""

    @given(small_cases(max_services=4), st.randoms(use_true_random=False))
    def test_entry_order_does_not_matter(self, case: Case, random: Random) -> None:
        rules, dossier, target = case
        other = shuffled(dossier, random)
        assert recommend(other, rules, target) == recommend(dossier, rules, target)
        assert next_questions(other, rules) == next_questions(dossier, rules)

    def test_equal_gains_go_to_taxonomy_order(self) -> None:
        rules = tiny_rules((GradeRule(arobases=1, min_score=Fraction(1, 2)),))
        # Gains: a, b, c 1/12 each (issue i0 of theme t0); d, e, f 1/4 each.
        plan = recommend(Dossier(territory=town(), year=2016), rules)
        assert [step.service for step in plan.steps] == ["d", "e"]
        # Ties between e and f when one is needed: e first.
        plan = recommend(
            Dossier(territory=town(), year=2016, services={"d": D}),
            tiny_rules((GradeRule(arobases=1, min_score=Fraction(3, 8)),)),
        )
        assert [step.service for step in plan.steps] == ["e"]

    def test_hash_seed_does_not_matter(self) -> None:
        code = (
            "import villes_label as vl;"
            "d = vl.referential.sample_dossier(); r = vl.default_ruleset();"
            "print(repr(vl.recommend(d, r, 5)), vl.next_questions(d, r))"
        )
        assert "Plan(" in same_output_across_seeds("-c", code)


# --- the label's own rules -----------------------------------------------------------------


class TestSampleCommune:
    """The sample commune (a town of 12,400: two deployed services cover an issue, three
    covered issues a theme) has 3 @, a score of 29/48 under the 5/8 of 4 @, and weak citizen
    participation: the plan for 4 @ deploys its planned participatory budget, which lifts both."""

    def test_plan_for_four_arobases(self) -> None:
        dossier, rules = sample_dossier(), default_ruleset()
        plan = recommend(dossier, rules)
        assert plan.target == 4
        assert plan.reachable
        assert [step.service for step in plan.steps] == ["budget-participatif"]
        assert [step.current for step in plan.steps] == [Status.PLANNED]
        # Half of démocratie locale's expectation (1/4 → 3/4), a theme asked three covered
        # issues and not yet saturated (+1/2 × 1/3), one theme of 4: 1/2 × 1/3 × 1/4.
        assert plan.gain == Fraction(1, 24)

    def test_the_plan_honours_the_participation_gate(self) -> None:
        dossier, rules = sample_dossier(), default_ruleset()
        before = assess(dossier, rules)
        assert before.score < Fraction(5, 8)
        assert [r.code for r in before.reasons_of("issue-gate")] == ["issue-gate"]
        after = assess(recommend(dossier, rules).apply(dossier), rules)
        assert after.grade == 4
        assert after.issues["democratie-locale"] >= Fraction(1, 2)
        # Two services of cohésion sociale bring more score, but leave the gate failing.
        elsewhere = deploy(dossier, ("reseau-social-local", "accueil-nouveaux-habitants"))
        assert assess(elsewhere, rules).score > after.score
        assert assess(elsewhere, rules).grade == 3

    def test_only_participation_is_enough(self) -> None:
        """Every single service that gives 4 @ is one of démocratie locale."""
        dossier, rules = sample_dossier(), default_ruleset()
        local = {s.id for s in rules.taxonomy.issue("democratie-locale").services}
        enough = [
            sid
            for sid in open_services(dossier, rules)
            if assess(dossier.with_status(sid, D), rules).grade == 4
        ]
        assert "budget-participatif" in enough
        assert set(enough) <= local

    def test_five_arobases_is_reachable(self) -> None:
        dossier, rules = sample_dossier(), default_ruleset()
        plan = recommend(dossier, rules, 5)
        assert plan.reachable
        assert assess(plan.apply(dossier), rules).grade == 5
        # The budget (démocratie locale at 3/4, above the 70 % of 5 @; score 31/48), then a
        # service brings at most 1/24: three more reach 11/15 (31/48 + 3/24 = 37/48).
        assert len(plan.steps) == 4

    def test_a_village_with_nothing_gets_a_website_first(self) -> None:
        village = Dossier(territory=town(300), year=2016)
        plan = recommend(village, default_ruleset(), 2)
        assert "site-internet" in [step.service for step in plan.steps]
        assert assess(plan.apply(village), default_ruleset()).grade >= 2


class TestTargets:
    """The target defaults to the next grade; a target at or below the current grade is a
    reachable plan with no steps; a target that is not a grade of the rules is refused."""

    @pytest.mark.parametrize("target", [0, 1, 2, 3])
    def test_reached_targets_have_no_steps(self, target: int) -> None:
        plan = recommend(sample_dossier(), default_ruleset(), target)
        score = assess(sample_dossier(), default_ruleset()).score
        assert plan == Plan(target=target, reachable=True, steps=(), score=score)

    def test_top_grade_stays_the_target(self) -> None:
        dossier, rules = sample_dossier(), default_ruleset()
        top = recommend(dossier, rules, 5).apply(dossier)
        assert recommend(top, rules) == Plan(
            target=5, reachable=True, score=assess(top, rules).score
        )

    def test_default_target_skips_missing_grades(self) -> None:
        rules = tiny_rules(
            (
                GradeRule(arobases=1, min_score=Fraction(0)),
                GradeRule(arobases=3, min_score=Fraction(1, 2)),
            )
        )
        plan = recommend(Dossier(territory=town(), year=2016), rules)
        assert plan.target == 3
        with pytest.raises(InvalidInput, match="no rule for grade 2"):
            recommend(Dossier(territory=town(), year=2016), rules, 2)

    def test_unreachable(self) -> None:
        rules = tiny_rules(
            (GradeRule(arobases=1, min_score=Fraction(1, 2)),),
            credits={Status.PARTIAL: Fraction(1, 8), Status.DEPLOYED: Fraction(1, 4)},
        )
        plan = recommend(Dossier(territory=town(), year=2016), rules)
        assert plan == Plan(target=1, reachable=False, score=Fraction(0))

    @pytest.mark.parametrize(
        ("target", "match"),
        [
            (6, "outside 0..5"),
            (-1, "outside 0..5"),
            (True, "expected an int"),
            ("4", "expected an int"),
        ],
    )
    def test_bad_targets(self, target: object, match: str) -> None:
        with pytest.raises(InvalidInput, match=match):
            recommend(sample_dossier(), default_ruleset(), target)  # type: ignore[arg-type]

    def test_every_problem_at_once(self) -> None:
        dossier = sample_dossier().with_status("budget-participatf", D)
        with pytest.raises(InvalidInput) as caught:
            recommend(dossier, default_ruleset(), 9)
        problems = caught.value.problems
        assert len(problems) == 2
        assert "did you mean 'budget-participatif'" in problems[0]
        assert problems[1].startswith("target:")

    def test_unknown_ids_in_actions(self) -> None:
        action = Action(id="x", title="x", services={"wifi-publique"}, status=D)
        dossier = Dossier(territory=town(), year=2016, actions=(action,))
        with pytest.raises(InvalidInput, match="wifi-public"):
            recommend(dossier, default_ruleset())
        with pytest.raises(InvalidInput, match="wifi-public"):
            next_questions(dossier, default_ruleset())

    def test_wrong_types(self) -> None:
        with pytest.raises(InvalidInput, match="dossier"):
            recommend({}, default_ruleset())  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="ruleset"):
            recommend(sample_dossier(), "rules")  # type: ignore[arg-type]


# --- next questions -------------------------------------------------------------------------


class TestNextQuestions:
    """The undeclared concerned services, by the gain of the overall score if deployed
    first, then in taxonomy order, at most `limit` of them."""

    @given(small_cases(max_services=4), st.integers(0, 30))
    def test_order_and_limit(self, case: Case, limit: int) -> None:
        rules, dossier, _ = case
        questions = next_questions(dossier, rules, limit)
        result = assess(dossier, rules)
        assert len(questions) == min(limit, len(result.undeclared))
        assert set(questions) <= result.undeclared
        rank = {s.id: n for n, s in enumerate(rules.taxonomy.services)}

        def gain(sid: str) -> Fraction:
            return assess(dossier.with_status(sid, D), rules).score - result.score

        everything = sorted(result.undeclared, key=lambda sid: (-gain(sid), rank[sid]))
        assert list(questions) == everything[:limit]

    def test_sample_commune(self) -> None:
        dossier, rules = sample_dossier(), default_ruleset()
        questions = next_questions(dossier, rules)
        assert len(questions) == 10
        # Démocratie locale first: its undeclared services lift the score and the gate.
        assert questions[:2] == ("consultation-en-ligne", "publication-deliberations")
        assert not set(questions) & dossier.declared
        assert next_questions(dossier, rules, 0) == ()

    @pytest.mark.parametrize(
        ("limit", "match"), [(-1, ">= 0"), (True, "expected an int"), (2.0, "expected an int")]
    )
    def test_bad_limits(self, limit: object, match: str) -> None:
        with pytest.raises(InvalidInput, match=match):
            next_questions(sample_dossier(), default_ruleset(), limit)  # type: ignore[arg-type]


# --- the models ---------------------------------------------------------------------------


def a_plan() -> Plan:
    steps = (
        Step(
            service="budget-participatif",
            name="Budget participatif",
            current=Status.PLANNED,
            proposed=D,
            gain=Fraction(1, 24),
            effects=(
                vl.Effect(
                    code="min-score",
                    required=Fraction(5, 8),
                    before=Fraction(29, 48),
                    after=Fraction(31, 48),
                ),
                vl.Effect(
                    code="issue-gate",
                    subject="democratie-locale",
                    name="Démocratie locale",
                    required=Fraction(1, 2),
                    before=Fraction(1, 4),
                    after=Fraction(3, 4),
                ),
            ),
        ),
    )
    return Plan(target=4, reachable=True, steps=steps, score=Fraction(29, 48))


class TestPlanModel:
    """Plans and steps are validated values with a readable text, French by default."""

    def test_values(self) -> None:
        plan = a_plan()
        assert plan == recommend(sample_dossier(), default_ruleset())
        assert hash(plan) == hash(a_plan())
        assert plan.gain == Fraction(1, 24)

    def test_apply(self) -> None:
        applied = a_plan().apply(sample_dossier())
        assert applied.status("budget-participatif") is D
        assert applied.status("petitions-en-ligne") is Status.ABSENT
        assert applied.actions == sample_dossier().actions
        with pytest.raises(InvalidInput, match="dossier"):
            a_plan().apply("not a dossier")  # type: ignore[arg-type]

    def test_step_converters_and_checks(self) -> None:
        step = Step(service="x", current="absent", proposed="deployed", gain="1/4")
        assert (step.current, step.proposed, step.gain) == (Status.ABSENT, D, Fraction(1, 4))
        with pytest.raises(InvalidInput, match="unknown status"):
            Step(service="x", current="gone", proposed=D, gain=0)
        with pytest.raises(InvalidInput, match="gain"):
            Step(service="x", current="absent", proposed=D, gain="much")
        with pytest.raises(InvalidInput) as caught:
            Step(service="", current="absent", proposed="not_applicable", gain=-1)
        assert len(caught.value.problems) == 3

    def test_plan_checks(self) -> None:
        step = a_plan().steps[0]
        with pytest.raises(InvalidInput, match="unreachable plan has no steps"):
            Plan(target=4, reachable=False, steps=(step,))
        with pytest.raises(InvalidInput, match="appears twice"):
            Plan(target=4, reachable=True, steps=(step, step))
        with pytest.raises(InvalidInput) as caught:
            Plan(target=7, reachable="yes", steps=("x",))  # type: ignore[arg-type]
        assert len(caught.value.problems) == 3
        with pytest.raises(InvalidInput, match="expected an int"):
            Plan(target="4", reachable=True)  # type: ignore[arg-type]

    def test_text(self) -> None:
        plan = a_plan()
        assert str(plan) == (
            "Plan for @@@@ (grade 4): 1 step, +4.2 points: budget-participatif (+4.2)"
        )
        assert plan.explain() == (
            "Objectif : @@@@ (4 arobases) — 1 étape, +4,2 points au score global (60,4 → 64,6)\n"
            "  1. Budget participatif [budget-participatif] : prévu → déployé, +4,2 points ; "
            "score global 60,4 → 64,6 (62,5 requis), "
            "enjeu Démocratie locale 25,0 → 75,0 (50,0 requis)"
        )
        assert plan.explain("en").splitlines()[1] == (
            "  1. Budget participatif [budget-participatif]: planned → deployed, +4.2 points; "
            "overall score 60.4 → 64.6 (62.5 required), "
            "issue Démocratie locale 25.0 → 75.0 (50.0 required)"
        )
        with pytest.raises(InvalidInput, match="lang"):
            plan.explain("de")  # type: ignore[arg-type]

    def test_text_of_empty_plans(self) -> None:
        reached, lost = Plan(target=0, reachable=True), Plan(target=5, reachable=False)
        assert "already reached" in str(reached)
        assert "aucune arobase" in reached.explain()
        assert "already reached" in reached.explain("en")
        assert "out of reach" in str(lost)
        assert "hors d'atteinte" in lost.explain()
        assert "out of reach" in lost.explain("en")

    def test_html(self) -> None:
        html = a_plan()._repr_html_()
        assert "<td>Budget participatif</td><td><code>budget-participatif</code></td>" in html
        assert "enjeu Démocratie locale 25,0 → 75,0" in html
        assert "déjà atteint" in Plan(target=2, reachable=True)._repr_html_()
        assert "already reached" in Plan(target=2, reachable=True).to_html("en")
        assert "out of reach" in Plan(target=5, reachable=False).to_html("en")

    def test_exported(self) -> None:
        for name in ("Plan", "Step", "next_questions", "recommend"):
            assert name in vl.__all__
            assert getattr(vl, name) is globals()[name]


# --- exclusions, preferences and what each step does ----------------------------------------

COSTS = st.fixed_dictionaries(
    {
        Status.ABSENT: st.integers(1, 4),
        Status.PLANNED: st.integers(1, 4),
        Status.PARTIAL: st.integers(1, 4),
    }
)


def cost_of_step(dossier: Dossier, rules: Ruleset, sid: str, costs: dict[Status, int]) -> int:
    """The cost of deploying *sid*, from the status `assess` sees (a refused opt-out as absent)."""
    status = assess(dossier, rules).statuses[sid]
    return costs[Status.ABSENT if status is Status.NOT_APPLICABLE else status]


def cheapest_by_brute_force(
    dossier: Dossier,
    rules: Ruleset,
    target: int,
    costs: dict[Status, int],
    excluded: frozenset[str],
) -> tuple[int, Fraction] | None:
    """The least total cost, then the largest gain, of a set reaching *target*; exhaustive."""
    before = assess(dossier, rules).score
    candidates = [sid for sid in open_services(dossier, rules) if sid not in excluded]
    best: tuple[int, Fraction] | None = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            after = assess(deploy(dossier, subset), rules)
            if after.grade < target:
                continue
            cost = sum(cost_of_step(dossier, rules, sid, costs) for sid in subset)
            value = (cost, after.score - before)
            if best is None or (value[0], -value[1]) < (best[0], -best[1]):
                best = value
    return best


class TestPreferences:
    """With a cost per step (by the status it starts from), the plan has the least total
    cost, then the largest gain, exactly as an exhaustive search finds; with unit costs it
    is the fewest-steps plan; excluded services are never proposed."""

    @given(small_cases(), COSTS, st.data())
    def test_cheapest_as_exhaustive_search(
        self,
        case: tuple[Ruleset, Dossier, int | None],
        costs: dict[Status, int],
        data: st.DataObject,
    ) -> None:
        rules, dossier, target = case
        candidates = open_services(dossier, rules)
        assume(len(candidates) <= MAX_OPEN)
        excluded = frozenset(
            data.draw(st.lists(st.sampled_from(candidates), max_size=2)) if candidates else []
        )
        plan = recommend(dossier, rules, target, exclude=excluded, prefer=costs)
        goal = resolved_target(dossier, rules, target)
        best = cheapest_by_brute_force(dossier, rules, goal, costs, excluded)
        if goal <= assess(dossier, rules).grade:
            assert plan.reachable
            assert plan.steps == ()
            return
        assert plan.reachable == (best is not None)
        if best is not None:
            cost = sum(cost_of_step(dossier, rules, step.service, costs) for step in plan.steps)
            assert (cost, plan.gain) == best
            assert not {step.service for step in plan.steps} & excluded
            assert assess(plan.apply(dossier), rules).grade >= goal

    @given(small_cases())
    def test_unit_costs_give_the_fewest_steps(
        self, case: tuple[Ruleset, Dossier, int | None]
    ) -> None:
        """The exact search with every cost 1 agrees with the greedy one: same size, same gain."""
        rules, dossier, target = case
        fewest = recommend(dossier, rules, target)
        unit = recommend(dossier, rules, target, prefer={Status.ABSENT: 1})
        assert unit.reachable == fewest.reachable
        assert (len(unit.steps), unit.gain) == (len(fewest.steps), fewest.gain)

    @given(small_cases(), st.data())
    def test_exclusions_as_exhaustive_search(
        self, case: tuple[Ruleset, Dossier, int | None], data: st.DataObject
    ) -> None:
        rules, dossier, target = case
        candidates = open_services(dossier, rules)
        assume(len(candidates) <= MAX_OPEN)
        excluded = frozenset(
            data.draw(st.lists(st.sampled_from(candidates), max_size=3)) if candidates else []
        )
        plan = recommend(dossier, rules, target, exclude=excluded)
        goal = resolved_target(dossier, rules, target)
        unit = dict.fromkeys((Status.ABSENT, Status.PLANNED, Status.PARTIAL), 1)
        best = cheapest_by_brute_force(dossier, rules, goal, unit, excluded)
        if goal <= assess(dossier, rules).grade:
            assert plan.steps == ()
            return
        assert plan.reachable == (best is not None)
        if best is not None:
            assert (len(plan.steps), plan.gain) == best
            assert not {step.service for step in plan.steps} & excluded

    def test_started_services_come_first(self) -> None:
        """The sample commune: for 5 @, "started" finishes what is partial or planned (the
        pooled IT, the participatory budget, the third place, the street lighting) instead of
        opening services of cohésion sociale and solidarités."""
        plan = recommend(sample_dossier(), default_ruleset(), 5, prefer="started")
        assert [(step.service, step.current) for step in plan.steps] == [
            ("mutualisation-intercommunale", Status.PARTIAL),
            ("budget-participatif", Status.PLANNED),
            ("teletravail-tiers-lieu", Status.PLANNED),
            ("eclairage-public-intelligent", Status.PLANNED),
        ]
        fewest = recommend(sample_dossier(), default_ruleset(), 5)
        assert [step.current for step in fewest.steps[1:]] == [Status.ABSENT] * 3

    def test_excluding_a_required_service_makes_the_target_unreachable(self) -> None:
        rules = tiny_rules((GradeRule(arobases=1, min_score=Fraction(0), required_services={"a"}),))
        dossier = Dossier(territory=town(), year=2016)
        assert recommend(dossier, rules).reachable
        assert recommend(dossier, rules, exclude=["a"]) == Plan(
            target=1, reachable=False, score=Fraction(0)
        )

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"exclude": "site-internet"}, "exclude: expected service ids"),
            ({"exclude": ["site-internet", "nowhere"]}, r"exclude\[1\]: unknown service 'nowhere'"),
            ({"exclude": [3]}, r"exclude\[0\]: expected a service id"),
            ({"prefer": "cheapest"}, "prefer: expected 'fewest', 'started'"),
            ({"prefer": 3}, "prefer: expected 'fewest', 'started'"),
            ({"prefer": {"deployed": 1}}, "a step never starts from deployed"),
            ({"prefer": {"gone": 1}}, "unknown status 'gone'"),
            ({"prefer": {Status.ABSENT: 0}}, "expected a positive int"),
        ],
    )
    def test_bad_exclusions_and_preferences(self, kwargs: dict[str, object], match: str) -> None:
        with pytest.raises(InvalidInput, match=match):
            recommend(sample_dossier(), default_ruleset(), **kwargs)  # type: ignore[arg-type]


class TestEffects:
    """Each step names the failing conditions of the target's rule that it serves, with
    the quantity before and after it, in the plan's order; the last quantity after is the
    one the whole plan reaches."""

    def test_sample_commune(self) -> None:
        plan = recommend(sample_dossier(), default_ruleset())
        (effects,) = (step.effects for step in plan.steps)
        assert [(e.code, e.subject, e.name) for e in effects] == [
            ("min-score", None, ""),
            ("issue-gate", "democratie-locale", "Démocratie locale"),
        ]
        score, gate = effects
        assert (score.before, score.after, score.required) == (
            Fraction(29, 48),
            Fraction(31, 48),
            Fraction(5, 8),
        )
        assert (gate.before, gate.after, gate.required) == (
            Fraction(1, 4),
            Fraction(3, 4),
            Fraction(1, 2),
        )
        assert score.met
        assert gate.met

    @given(small_cases())
    def test_effects_follow_the_plan(self, case: tuple[Ruleset, Dossier, int | None]) -> None:
        rules, dossier, target = case
        plan = recommend(dossier, rules, target)
        taken = dossier
        for step in plan.steps:
            before = assess(taken, rules)
            taken = taken.with_status(step.service, step.proposed)
            after = assess(taken, rules)
            assert step.name == rules.taxonomy.service(step.service).name
            # Every step of a minimal plan serves a condition that still fails when taken.
            assert step.effects
            for effect in step.effects:
                if effect.code == "required-service":
                    assert effect.subject == step.service
                    continue
                assert effect.required is not None
                assert effect.before is not None
                assert effect.before < effect.required
                values = {
                    "min-score": (before.score, after.score),
                    "theme-gate": (
                        before.themes.get(effect.subject or ""),
                        after.themes.get(effect.subject or ""),
                    ),
                    "each-theme": (
                        before.themes.get(effect.subject or ""),
                        after.themes.get(effect.subject or ""),
                    ),
                    "issue-gate": (
                        before.issues.get(effect.subject or ""),
                        after.issues.get(effect.subject or ""),
                    ),
                }[effect.code]
                assert (effect.before, effect.after) == values

    def test_a_covered_issue_cannot_pass_a_gate_beyond_its_reach(self) -> None:
        """Found by the round-trip tests: with a deployed credit of 1/4 an issue covered at
        half its potential scores at most 25, so a gate of 30 on it is out of reach."""
        taxonomy = Taxonomy(
            name="t",
            version="1",
            themes=(
                Theme(
                    id="t0",
                    name="T0",
                    issues=(Issue(id="i0", name="I0", services=(Service(id="s0", name="S0"),)),),
                ),
            ),
        )
        rules = Ruleset(
            name="quarter",
            year=2016,
            taxonomy=taxonomy,
            grades=(
                GradeRule(
                    arobases=1, min_score=Fraction(0), min_issue_scores={"i0": Fraction(3, 10)}
                ),
            ),
            credits={Status.PARTIAL: Fraction(0), Status.DEPLOYED: Fraction(1, 4)},
            expectations=(vl.Expectation(stratum="all", coverage=Fraction(1, 2)),),
        )
        dossier = Dossier(territory=town(population=0), year=2016)
        for prefer in ("fewest", "started"):
            plan = recommend(dossier, rules, 1, prefer=prefer)
            assert not plan.reachable
