"""Wrong-typed arguments: every public function raises only `InvalidInput`, each problem at the argument.

A problem about an argument carries its path as data, whose first key is the
argument's name (``Problem(("dossier",), "expected a Dossier, got NoneType")``),
never a path written only inside the message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label as vl
from villes_label import InvalidInput, Status, referential
from villes_label.referential import default_ruleset, default_taxonomy, sample_dossier

if TYPE_CHECKING:
    import pandas as pd


@functools.cache
def _dossier() -> vl.Dossier:
    return sample_dossier()


@functools.cache
def _cohort() -> tuple[vl.Dossier, ...]:
    return referential.national_cohort(6, seed=3)


@functools.cache
def _assessment() -> vl.Assessment:
    return vl.assess(_dossier(), default_ruleset())


@functools.cache
def _plan() -> vl.Plan:
    return vl.recommend(_dossier(), default_ruleset())


@functools.cache
def _roadmap() -> vl.Roadmap:
    return vl.roadmap(_dossier(), default_ruleset())


@functools.cache
def _dashboard() -> vl.Dashboard:
    return vl.dashboard(_dossier(), default_ruleset())


@functools.cache
def _scorer() -> vl.Scorer:
    return vl.Scorer(default_ruleset())


@functools.cache
def _scenario() -> vl.Scenario:
    return vl.Scenario(name="s", dossier=_dossier(), expect_grade=_assessment().grade)


@attrs.frozen
class Case:
    """One argument of one public function, called with a wrong-typed *value*."""

    name: str
    argument: str
    call: Callable[[Any], object]
    # Types that the argument accepts: the wrong values drawn are of none of them.
    accepts: tuple[type, ...] = ()

    def __str__(self) -> str:
        return self.name


def _frame() -> pd.DataFrame:
    return vl.dossiers_frame(_cohort())


R = default_ruleset
T = default_taxonomy
D = _dossier
C = _cohort
A = _assessment
LANG: tuple[type, ...] = (str,)

CASES = [
    Case("assess", "dossier", lambda v: vl.assess(v, R())),
    Case("assess", "ruleset", lambda v: vl.assess(D(), v)),
    Case("recommend", "dossier", lambda v: vl.recommend(v, R())),
    Case("recommend", "ruleset", lambda v: vl.recommend(D(), v)),
    Case("recommend", "target", lambda v: vl.recommend(D(), R(), v), (int, type(None))),
    Case("recommend", "exclude", lambda v: vl.recommend(D(), R(), exclude=v)),
    Case("recommend", "prefer", lambda v: vl.recommend(D(), R(), prefer=v), (str,)),
    Case("next_questions", "dossier", lambda v: vl.next_questions(v, R())),
    Case("next_questions", "ruleset", lambda v: vl.next_questions(D(), v)),
    Case("next_questions", "limit", lambda v: vl.next_questions(D(), R(), v), (int,)),
    Case("roadmap", "dossier", lambda v: vl.roadmap(v, R())),
    Case("roadmap", "ruleset", lambda v: vl.roadmap(D(), v)),
    Case("roadmap", "target", lambda v: vl.roadmap(D(), R(), v), (int, type(None))),
    Case("roadmap", "years", lambda v: vl.roadmap(D(), R(), years=v), (int,)),
    Case("roadmap", "per_year", lambda v: vl.roadmap(D(), R(), per_year=v), (int, type(None))),
    Case("roadmap", "exclude", lambda v: vl.roadmap(D(), R(), exclude=v)),
    Case("roadmap", "prefer", lambda v: vl.roadmap(D(), R(), prefer=v), (str,)),
    Case("dashboard", "dossier", lambda v: vl.dashboard(v, R())),
    Case("dashboard", "ruleset", lambda v: vl.dashboard(D(), v)),
    Case("dashboard", "cohort", lambda v: vl.dashboard(D(), R(), v), (type(None),)),
    Case("dashboard", "target", lambda v: vl.dashboard(D(), R(), target=v), (int, type(None))),
    Case("dashboard", "years", lambda v: vl.dashboard(D(), R(), years=v), (int,)),
    Case("atlas", "assessments", vl.atlas),
    Case("atlas", "level", lambda v: vl.atlas([A()], v), (str,)),
    Case("atlas", "dossiers", lambda v: vl.atlas([A()], dossiers=v), (type(None),)),
    Case("peers", "service_id", lambda v: vl.peers(v, C()), (str,)),
    Case("peers", "dossiers", lambda v: vl.peers("site-internet", v)),
    Case("peers", "near", lambda v: vl.peers("site-internet", C(), near=v), (type(None),)),
    Case("peers", "limit", lambda v: vl.peers("site-internet", C(), limit=v), (int, type(None))),
    Case("calibrate", "ruleset", lambda v: vl.calibrate(v, C(), {5: 0})),
    Case("calibrate", "dossiers", lambda v: vl.calibrate(R(), v, {5: 0})),
    Case("calibrate", "target", lambda v: vl.calibrate(R(), C(), v), (dict,)),
    Case("compare", "dossiers", lambda v: vl.compare(v, R(), R())),
    Case("compare", "before", lambda v: vl.compare(C(), v, R())),
    Case("compare", "after", lambda v: vl.compare(C(), R(), v)),
    Case("grade_distribution", "assessments", vl.grade_distribution),
    Case("records", "assessments", vl.records),
    Case("records", "taxonomy", lambda v: vl.records([A()], taxonomy=v), (type(None),)),
    Case("migrate", "dossier", lambda v: vl.migrate(v, T())),
    Case("migrate", "taxonomy", lambda v: vl.migrate(D(), v)),
    Case("migrate", "renames", lambda v: vl.migrate(D(), T(), v)),
    Case("check_scenario", "scenario", lambda v: vl.check_scenario(v, R())),
    Case("check_scenario", "ruleset", lambda v: vl.check_scenario(_scenario(), v)),
    Case("check_scenario", "lang", lambda v: vl.check_scenario(_scenario(), R(), lang=v), LANG),
    Case("dossiers_frame", "dossiers", vl.dossiers_frame),
    Case("dossiers_frame", "taxonomy", lambda v: vl.dossiers_frame(C(), taxonomy=v), (type(None),)),
    Case("departement_of", "insee_code", vl.departement_of, (str,)),
    Case("region_of", "departement", vl.region_of, (str,)),
    Case("region_of", "year", lambda v: vl.region_of("75", year=v), (int,)),
    Case("regions", "year", vl.regions, (int,)),
    Case("Scorer", "ruleset", vl.Scorer),
    Case("Scorer.assess", "dossier", lambda v: _scorer().assess(v)),
    Case("Scorer.grades", "dossiers", lambda v: _scorer().grades(v)),
    Case("Scorer.scores", "dossiers", lambda v: _scorer().scores(v)),
    Case("Scorer.summary", "dossiers", lambda v: _scorer().summary(v)),
    Case("Scorer.grade_frame", "frame", lambda v: _scorer().grade_frame(v)),
    Case(
        "Scorer.grade_frame",
        "territories",
        lambda v: _scorer().grade_frame(_frame(), territories=v),
        (type(None),),
    ),
    Case("Taxonomy.theme", "theme_id", lambda v: T().theme(v), (str,)),
    Case("Taxonomy.issue", "issue_id", lambda v: T().issue(v), (str,)),
    Case("Taxonomy.service", "service_id", lambda v: T().service(v), (str,)),
    Case("Taxonomy.resolve", "service_id", lambda v: T().resolve(v), (str,)),
    Case("Taxonomy.source_of", "node_id", lambda v: T().source_of(v), (str,)),
    Case("Taxonomy.theme_of", "issue_or_service_id", lambda v: T().theme_of(v), (str,)),
    Case("Taxonomy.issue_of", "service_id", lambda v: T().issue_of(v), (str,)),
    Case("Taxonomy.diff", "other", lambda v: T().diff(v)),
    Case("referential.taxonomy", "year", referential.taxonomy, (int,)),
    Case("referential.ruleset", "year", referential.ruleset, (int,)),
    Case("referential.renames", "old", lambda v: referential.renames(v, 2016), (int,)),
    Case("referential.renames", "new", lambda v: referential.renames(2016, v), (int,)),
    Case("referential.upgrade", "dossier", lambda v: referential.upgrade(v, 2016)),
    Case("referential.upgrade", "year", lambda v: referential.upgrade(D(), v), (int,)),
    Case(
        "referential.upgrade",
        "from_year",
        lambda v: referential.upgrade(D(), 2016, from_year=v),
        (int, type(None)),
    ),
    Case("Assessment.explain", "lang", lambda v: A().explain(v), LANG),
    Case("Assessment.in_language", "lang", lambda v: A().in_language(v), LANG),
    Case("Assessment.reason_texts", "lang", lambda v: A().reason_texts(v), LANG),
    Case("Assessment.summary", "lang", lambda v: A().summary(v), LANG),
    Case("Assessment.to_html", "lang", lambda v: A().to_html(v), LANG),
    Case("Assessment.reasons_of", "code", lambda v: A().reasons_of(v), (str,)),
    Case("Plan.apply", "dossier", lambda v: _plan().apply(v)),
    Case("Plan.explain", "lang", lambda v: _plan().explain(v), LANG),
    Case("Plan.summary", "lang", lambda v: _plan().summary(v), LANG),
    Case("Plan.to_html", "lang", lambda v: _plan().to_html(v), LANG),
    Case("Roadmap.explain", "lang", lambda v: _roadmap().explain(v), LANG),
    Case("Roadmap.summary", "lang", lambda v: _roadmap().summary(v), LANG),
    Case("Roadmap.to_html", "lang", lambda v: _roadmap().to_html(v), LANG),
    Case("Dashboard.report", "lang", lambda v: _dashboard().report(v), LANG),
    Case("Dashboard.to_html", "lang", lambda v: _dashboard().to_html(v), LANG),
    Case("Dashboard.name_of", "key", lambda v: _dashboard().name_of(v), (str,)),
    Case("Dossier.status", "service_id", lambda v: D().status(v), (str,)),
    Case(
        "Dossier.with_status", "service_id", lambda v: D().with_status(v, Status.DEPLOYED), (str,)
    ),
    Case("Dossier.with_status", "status", lambda v: D().with_status("site-internet", v)),
    Case("Ruleset.applicability_of", "service_id", lambda v: R().applicability_of(v), (str,)),
    Case(
        "Ruleset.concerns",
        "service_id",
        lambda v: R().concerns(v, D().territory),
        (str,),
    ),
    Case("Ruleset.concerns", "territory", lambda v: R().concerns("site-internet", v)),
    Case("Ruleset.expectation_for", "territory", lambda v: R().expectation_for(v)),
    Case("Ruleset.grade_rule", "arobases", lambda v: R().grade_rule(v), (int,)),
    Case("Applicability.concerns", "territory", lambda v: vl.Applicability().concerns(v)),
    Case("Expectation.covers", "territory", lambda v: R().expectations[0].covers(territory=v)),
    Case(
        "GradeRule.at_least_as_strict_as",
        "other",
        lambda v: R().grades[-1].at_least_as_strict_as(other=v),
    ),
]


def wrong_values(accepts: tuple[type, ...]) -> st.SearchStrategy[object]:
    """Values of none of the types *accepts* names (and never a model of the library)."""
    anything: st.SearchStrategy[object] = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=5),
        st.binary(min_size=1, max_size=3),
        st.complex_numbers(allow_nan=False, allow_infinity=False),
        st.builds(object),
        st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=3),
        st.dictionaries(st.integers(0, 9), st.integers(0, 9), min_size=1, max_size=2),
    )
    # A bool is an int to Python, never to the library.
    refused = accepts if int not in accepts else (*accepts, bool)
    return anything.filter(
        lambda value: (
            not isinstance(value, accepts) or (isinstance(value, bool) and bool in refused)
        )
    )


class TestWrongArguments:
    """A wrong-typed argument raises `InvalidInput`, each problem at a path naming the argument."""

    @pytest.mark.parametrize("case", CASES, ids=str)
    @given(data=st.data())
    def test_only_invalid_input_at_the_argument(self, case: Case, data: st.DataObject) -> None:
        value = data.draw(wrong_values(case.accepts), label=case.argument)
        with pytest.raises(InvalidInput) as info:
            case.call(value)
        for problem in info.value.details:
            assert problem.path, f"{case}: {problem} has no path"
            assert problem.path[0] == case.argument, f"{case}: {problem}"
            assert str(problem) in info.value.problems


class TestWithStatus:
    """`Dossier.with_status` names its own arguments, not the entry it would have written."""

    def test_both_arguments_named(self) -> None:
        with pytest.raises(InvalidInput) as info:
            sample_dossier().with_status(None, "x")  # type: ignore[arg-type]
        assert [problem.path for problem in info.value.details] == [("service_id",), ("status",)]
        assert info.value.problems == (
            "service_id: expected a str, got None",
            "status: unknown status 'x' (one of absent, planned, partial, deployed, not_applicable)",
        )

    def test_a_status_by_name_is_read(self) -> None:
        dossier = sample_dossier().with_status("site-internet", "absent")  # type: ignore[arg-type]
        assert dossier.services["site-internet"] is Status.ABSENT


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE: dict[str, object] = {
    "huge int": 10**10_000,
    "huge negative int": -(10**10_000),
    "list nested 100,000 deep": _nested(100_000),
    "string of a megabyte": "x" * 1_000_000,
}
"""Values that no message may show in full: Python cannot even write the ints in decimal
(more than 4,300 digits), nor repr the list (deeper than the recursion limit)."""

LONGEST_MESSAGE = 1_000

INSIDE = [
    Case("recommend", "exclude", lambda v: vl.recommend(D(), R(), exclude=[v])),
    Case("recommend", "prefer", lambda v: vl.recommend(D(), R(), prefer={Status.ABSENT: v})),
    Case("calibrate", "target", lambda v: vl.calibrate(R(), C(), {5: v})),
    Case("migrate", "renames", lambda v: vl.migrate(D(), T(), {"site-internet": v})),
]
"""Hostile values inside an argument: an item or a value of a mapping."""

KEYS = [
    Case("recommend", "prefer", lambda v: vl.recommend(D(), R(), prefer={v: 1})),
    Case("calibrate", "target", lambda v: vl.calibrate(R(), C(), {v: 1})),
    # Renaming an id the dossier does not name changes nothing.
    Case("migrate", "renames", lambda v: vl.migrate(D(), T(), {v: "site-internet"}), (str,)),
]
"""Hostile keys of a mapping argument (a list, unhashable, cannot be one)."""

SWEEP = [
    pytest.param(case, hostile, id=f"{case}-{case.argument}-{hostile}")
    for cases, values in (
        (CASES + INSIDE, HOSTILE),
        (KEYS, [h for h in HOSTILE if "list" not in h]),
    )
    for case in cases
    for hostile in values
]


class TestHostileArguments:
    """An argument too big or too deep to show raises `InvalidInput`, whose problems are
    short and at the argument, or is accepted when it is of a type the argument takes;
    never another exception (``ValueError`` of int-to-str, ``RecursionError``)."""

    @pytest.mark.parametrize(("case", "hostile"), SWEEP)
    def test_refused_briefly(self, case: Case, hostile: str) -> None:
        value = HOSTILE[hostile]
        accepted = isinstance(value, case.accepts) and not isinstance(value, bool)
        try:
            case.call(value)
        except InvalidInput as error:
            problems = error.details
            text = str(error)
        else:
            assert accepted, f"{case} accepted the {hostile}"
            return
        assert len(text) <= LONGEST_MESSAGE, f"{case}: {len(text)} characters"
        assert all(problem.path[:1] == (case.argument,) for problem in problems), text

    @pytest.mark.parametrize(
        "step", [10**10_000, -(10**10_000), "x" * 1_000_000], ids=["int", "negative", "str"]
    )
    def test_a_problem_at_a_hostile_path(self, step: str | int) -> None:
        text = str(vl.Problem(("services", step, "status"), "unknown status"))
        assert len(text) <= LONGEST_MESSAGE
        assert text.startswith("services[")
        assert text.endswith("].status: unknown status")
