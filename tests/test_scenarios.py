"""Scenarios: validation, checking against a ruleset, scenario files and the `check` command."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label as vl
from villes_label import (
    Dossier,
    GradeRule,
    InvalidInput,
    Ruleset,
    Scenario,
    Status,
    Territory,
    TerritoryKind,
    assess,
    check_scenario,
    default_ruleset,
    from_dict,
    scenarios_from_data,
    to_dict,
)
from villes_label.cli import main
from villes_label.referential import sample_dossier
from villes_label.testing import dossiers, rulesets

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RULES = default_ruleset()
VILLAGE = Territory(code="48001", name="Albaret", kind=TerritoryKind.COMMUNE, population=500)
EMPTY = Dossier(territory=VILLAGE, year=2016)


def sample(**changes: object) -> Scenario:
    fields: dict[str, object] = {"name": "sample", "dossier": sample_dossier(), **changes}
    return Scenario(**fields)  # type: ignore[arg-type]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Ruleset, Dossier]:
    rules = draw(rulesets())
    return rules, draw(dossiers(rules))


class TestScenarioValues:
    """A scenario is a valid, frozen value: every problem of its arguments is reported at once."""

    def test_defaults_check_nothing(self) -> None:
        scenario = Scenario(name="x", dossier=EMPTY)
        assert (scenario.expect_grade, scenario.expect_score, scenario.expect_mentions) == (
            None,
            None,
            None,
        )
        assert check_scenario(scenario, RULES) == ()

    @pytest.mark.parametrize(
        ("given_score", "stored"),
        [("7/20", Fraction(7, 20)), ("0.35", Fraction(7, 20)), (0.35, Fraction(7, 20)), (1, 1)],
    )
    def test_score_is_read_exactly(self, given_score: str | float, stored: Fraction) -> None:
        assert Scenario(name="x", dossier=EMPTY, expect_score=given_score).expect_score == stored

    def test_mentions_become_a_frozenset(self) -> None:
        scenario = Scenario(name="x", dossier=EMPTY, expect_mentions=["libre", "verte"])
        assert scenario.expect_mentions == frozenset({"libre", "verte"})
        assert isinstance(scenario.expect_mentions, frozenset)

    def test_a_mention_listed_twice_is_refused_as_by_from_dict(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Scenario(name="x", dossier=EMPTY, expect_mentions=["libre", "libre"])
        assert caught.value.problems == (
            "expect_mentions[1]: duplicate item 'libre' (also at index 0)",
        )

    def test_every_problem_at_once(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Scenario(
                name=" ",
                dossier="d.json",  # type: ignore[arg-type]
                expect_grade=True,
                expect_score="2/1",
                expect_mentions="libre",
            )
        problems = caught.value.problems
        assert [p.split(":")[0] for p in problems] == [
            "name",
            "dossier",
            "expect_grade",
            "expect_score",
            "expect_mentions",
        ]
        assert "outside [0, 1]" in problems[3]

    @pytest.mark.parametrize("grade", [-1, 6])
    def test_grade_range(self, grade: int) -> None:
        with pytest.raises(InvalidInput, match=r"expect_grade: .* outside 0\.\.5"):
            Scenario(name="x", dossier=EMPTY, expect_grade=grade)

    @pytest.mark.parametrize("score", ["nan", "abc", float("inf"), [1]])
    def test_bad_scores(self, score: object) -> None:
        with pytest.raises(InvalidInput, match="expect_score"):
            Scenario(name="x", dossier=EMPTY, expect_score=score)  # type: ignore[arg-type]

    def test_bad_mention_ids(self) -> None:
        with pytest.raises(InvalidInput, match="empty id"):
            Scenario(name="x", dossier=EMPTY, expect_mentions=["libre", ""])

    def test_frozen_hashable_picklable(self) -> None:
        scenario = sample(expect_grade=3, expect_mentions=[])
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            scenario.name = "y"  # type: ignore[misc]
        assert hash(scenario) == hash(sample(expect_grade=3, expect_mentions=()))
        assert pickle.loads(pickle.dumps(scenario)) == scenario
        assert str(scenario) == "sample"

    def test_round_trip_through_plain_data(self) -> None:
        scenario = sample(expect_grade=3, expect_score="29/48", expect_mentions=[])
        data = to_dict(scenario)
        assert data["expect_score"] == "29/48"
        assert data["expect_mentions"] == []
        assert from_dict(json.loads(json.dumps(data)), Scenario) == scenario


class TestCheckScenario:
    """`check_scenario` returns one readable line per unmet expectation, and nothing when all hold."""

    def test_holds(self) -> None:
        scenario = sample(expect_grade=3, expect_score=Fraction(29, 48), expect_mentions=())
        assert check_scenario(scenario, RULES) == ()

    def test_grade_too_low_says_what_fails(self) -> None:
        (line,) = check_scenario(sample(name="Saint-X 2016", expect_grade=4), RULES)
        assert line == (
            "Saint-X 2016: expected grade 4, got 3 (the score 60.4 is 2.1 points below the 62.5 "
            "required; issue 'democratie-locale' scores 25.0, 25.0 points below the 50.0 required)"
        )

    def test_grade_far_too_low_names_the_grade_that_fails_first(self) -> None:
        (line,) = check_scenario(sample(expect_grade=5), RULES)
        assert line.startswith("sample: expected grade 5, got 3 (grade 4 fails first: the score ")
        assert "issue 'democratie-locale' scores 25.0" in line

    def test_every_failure_of_the_next_grade_is_given(self) -> None:
        (line,) = check_scenario(Scenario(name="empty", dossier=EMPTY, expect_grade=2), RULES)
        assert "the score 0.0 is 43.1 points below the 43.1 required" in line
        assert "the required service 'site-internet' is absent, it must be deployed" in line

    def test_grade_too_high(self) -> None:
        (line,) = check_scenario(sample(expect_grade=2), RULES)
        assert (
            line == "sample: expected grade 2, got 3 (score 60.4; every condition of grade 3 holds)"
        )

    def test_in_french_on_demand(self) -> None:
        scenario = sample(
            name="Saint-X 2016",
            expect_grade=4,
            expect_score=Fraction(1, 2),
            expect_mentions={"libre"},
        )
        english = check_scenario(scenario, RULES)
        french = check_scenario(scenario, RULES, lang="fr")
        assert check_scenario(scenario, RULES, lang="en") == english
        assert len(french) == len(english) == 3
        grade, score, mentions = french
        assert grade.startswith("Saint-X 2016 : note attendue 4, obtenue 3 (")
        assert "Démocratie locale" in grade  # the reasons in French, names beside ids
        assert "60,4" in score
        assert score.startswith("Saint-X 2016 : score attendu 1/2 (50,0), obtenu ")
        assert mentions == (
            "Saint-X 2016 : mentions attendues {'libre'}, obtenues aucune (manquantes {'libre'})"
        )
        assert not any("expected" in line or "got" in line for line in french)

    def test_a_language_it_does_not_speak(self) -> None:
        with pytest.raises(vl.InvalidInput, match="lang"):
            check_scenario(sample(), RULES, lang="de")  # type: ignore[arg-type]

    def test_a_grade_the_rules_do_not_have(self) -> None:
        rules = RULES.replace(grades=RULES.grades[:3])
        (line,) = check_scenario(sample(expect_grade=5), rules)
        assert line == "sample: expected grade 5, got 3 (the rules have no grade 5, only 1, 2, 3)"

    def test_score(self) -> None:
        (line,) = check_scenario(sample(expect_score="1/2"), RULES)
        assert line == "sample: expected score 1/2 (50.0), got 29/48 (60.4)"

    def test_mentions(self) -> None:
        (line,) = check_scenario(sample(expect_mentions={"libre"}), RULES)
        assert line == "sample: expected mentions {'libre'}, got none (missing {'libre'})"
        city = attrs.evolve(
            sample_dossier(),
            services=dict.fromkeys(RULES.taxonomy.service_ids, Status.DEPLOYED),
            actions=(),
        )
        (line,) = check_scenario(sample(dossier=city, expect_mentions=[]), RULES)
        assert line == "sample: expected mentions none, got {'libre'} (unexpected {'libre'})"

    def test_every_mismatch_is_reported(self) -> None:
        lines = check_scenario(
            sample(expect_grade=4, expect_score=0, expect_mentions=["libre"]), RULES
        )
        assert [line.split(": expected ")[1].split(" ")[0] for line in lines] == [
            "grade",
            "score",
            "mentions",
        ]

    def test_unknown_service_in_the_dossier(self) -> None:
        dossier = EMPTY.with_status("site-internte", Status.DEPLOYED)
        with pytest.raises(InvalidInput, match="did you mean 'site-internet'"):
            check_scenario(Scenario(name="typo", dossier=dossier, expect_grade=1), RULES)

    def test_unknown_mention(self) -> None:
        with pytest.raises(InvalidInput, match=r"expect_mentions: unknown mention 'libr'.*'libre'"):
            check_scenario(sample(expect_mentions={"libr"}), RULES)

    def test_arguments_are_checked(self) -> None:
        with pytest.raises(InvalidInput, match="scenario: expected a Scenario"):
            check_scenario("sample", RULES)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="ruleset: expected a Ruleset"):
            check_scenario(sample(), "rules.json")  # type: ignore[arg-type]

    @given(cases())
    def test_the_assessment_itself_holds(self, case: tuple[Ruleset, Dossier]) -> None:
        rules, dossier = case
        result = assess(dossier, rules)
        scenario = Scenario(
            name="self",
            dossier=dossier,
            expect_grade=result.grade,
            expect_score=result.score,
            expect_mentions=result.mentions,
        )
        assert check_scenario(scenario, rules) == ()

    @given(cases(), st.integers(0, 5))
    def test_any_other_grade_gives_one_line(
        self, case: tuple[Ruleset, Dossier], expected: int
    ) -> None:
        rules, dossier = case
        got = assess(dossier, rules).grade
        lines = check_scenario(Scenario(name="s", dossier=dossier, expect_grade=expected), rules)
        if expected == got:
            assert lines == ()
        else:
            (line,) = lines
            assert line.startswith(f"s: expected grade {expected}, got {got} (")

    @given(cases())
    def test_too_low_lines_carry_the_reasons(self, case: tuple[Ruleset, Dossier]) -> None:
        rules, dossier = case
        result = assess(dossier, rules)
        higher = [rule.arobases for rule in rules.grades if rule.arobases > result.grade]
        if not higher:
            return
        (line,) = check_scenario(Scenario(name="s", dossier=dossier, expect_grade=higher[0]), rules)
        failures = [
            r
            for r in result.reasons
            if r.code in {"min-score", "theme-gate", "issue-gate", "each-theme", "required-service"}
        ]
        assert failures
        for reason in failures:
            assert reason.message.split(": ", 1)[1] in line


class TestScenariosFromData:
    """Scenario files: a list, {"scenarios": [...]}, or TOML tables; every problem with its path."""

    ITEM: ClassVar[dict[str, object]] = {
        "name": "empty village",
        "dossier": {
            "territory": {"code": "48001", "name": "Albaret", "kind": "commune", "population": 500},
            "year": 2016,
        },
        "expect_grade": 1,
        "expect_score": "0",
    }
    TOML = """
[[scenarios]]
name = "empty village"
expect_grade = 1
expect_score = "0"

[scenarios.dossier]
year = 2016

[scenarios.dossier.territory]
code = "48001"
name = "Albaret"
kind = "commune"
population = 500
"""

    def test_three_forms_give_the_same_scenarios(self) -> None:
        expected = (Scenario(name="empty village", dossier=EMPTY, expect_grade=1, expect_score=0),)
        assert scenarios_from_data([self.ITEM]) == expected
        assert scenarios_from_data({"scenarios": [self.ITEM]}) == expected
        assert scenarios_from_data(json.loads(json.dumps([self.ITEM]))) == expected
        assert scenarios_from_data(tomllib.loads(self.TOML)) == expected

    def test_no_scenario_is_fine(self) -> None:
        assert scenarios_from_data([]) == ()
        assert scenarios_from_data({"scenarios": []}) == ()

    def test_pure(self) -> None:
        data = {"scenarios": [self.ITEM]}
        before = json.dumps(data)
        scenarios_from_data(data)
        assert json.dumps(data) == before

    @pytest.mark.parametrize(
        ("data", "problem"),
        [
            ("scenarios.json", "scenarios: expected a list of scenarios, got str"),
            (3, "scenarios: expected a list of scenarios, got int"),
            ({"scenarios": {"a": 1}}, "scenarios: expected a list of scenarios, got dict"),
            ({}, "scenarios: missing; a scenario file is a JSON list"),
            ([3], "scenarios[0]: expected a scenario table, got int"),
        ],
    )
    def test_shapes(self, data: object, problem: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            scenarios_from_data(data)
        assert caught.value.problems[0].startswith(problem)

    def test_unknown_top_level_key(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            scenarios_from_data({"scenario": [self.ITEM]})
        unknown = (
            "scenario: unknown key 'scenario' (did you mean 'scenarios'?); "
            "a scenario file holds one list, 'scenarios'"
        )
        missing = (
            "scenarios: missing; a scenario file is a JSON list, a JSON object "
            '{"scenarios": [...]}, or TOML [[scenarios]] tables'
        )
        assert caught.value.problems == (unknown, missing)

    def test_every_problem_of_every_scenario_with_its_path(self) -> None:
        bad = json.loads(json.dumps(self.ITEM))
        bad["name"] = "bad"
        bad["dossier"]["territory"]["population"] = -1
        bad["dossier"]["territory"]["kind"] = "village"
        bad["expect_grade"] = 9
        bad["expected_score"] = "1/2"
        other = json.loads(json.dumps(self.ITEM))
        other["name"] = "other"
        other["dossier"]["year"] = "2016"
        with pytest.raises(InvalidInput) as caught:
            scenarios_from_data({"scenarios": [self.ITEM, bad, other, self.ITEM]})
        problems = caught.value.problems
        assert "scenarios[1].dossier.territory.population: must be >= 0, got -1" in problems
        assert any(p.startswith("scenarios[1].dossier.territory.kind: unknown") for p in problems)
        assert "scenarios[1].expect_grade: 9 is outside 0..5" in problems
        assert any(p.startswith("scenarios[1].expected_score: unknown field") for p in problems)
        assert any(p.startswith("scenarios[2].dossier.year: expected an int") for p in problems)
        assert (
            "scenarios[3].name: duplicate scenario name 'empty village' (also scenarios[0])"
            in problems
        )
        assert "scenarios[1].name: duplicate" not in " ".join(problems)

    def test_unknown_services_are_left_to_the_check(self) -> None:
        # A file does not know the rules it is checked against: ids are checked then.
        item = json.loads(json.dumps(self.ITEM))
        item["dossier"]["services"] = {"site-internte": "deployed"}
        (scenario,) = scenarios_from_data([item])
        with pytest.raises(InvalidInput, match=r"services\.site-internte: unknown service"):
            check_scenario(scenario, RULES)


def load_json() -> tuple[Scenario, ...]:
    return scenarios_from_data(json.loads((EXAMPLES / "scenarios_2016.json").read_text("utf-8")))


def load_toml() -> tuple[Scenario, ...]:
    return scenarios_from_data(tomllib.loads((EXAMPLES / "scenarios_2016.toml").read_text("utf-8")))


class TestExampleFiles:
    """The example files hold the same scenarios, computed by hand, and they pass."""

    # Worked out by hand in the comments of the TOML file.
    EXPECTED: ClassVar[dict[str, tuple[int, Fraction, set[str]]]] = {
        "village: participation, public services and daily life online": (
            2,
            Fraction(1, 2),
            set(),
        ),
        "city: everything deployed, economy only partly": (
            5,
            Fraction(31, 32),
            {"libre"},
        ),
        "intercommunality: no school competence, no participation": (
            2,
            Fraction(41, 80),
            set(),
        ),
        "town strong everywhere but in participation: stays under 4 @": (
            3,
            Fraction(29, 30),
            {"libre"},
        ),
        "the sample commune of the documentation": (3, Fraction(29, 48), set()),
    }

    def test_json_and_toml_agree(self) -> None:
        assert load_json() == load_toml()

    @pytest.mark.parametrize("load", [load_json, load_toml])
    def test_every_scenario_passes(self, load: Callable[[], tuple[Scenario, ...]]) -> None:
        scenarios = load()
        assert len(scenarios) == len(self.EXPECTED)
        for scenario in scenarios:
            assert check_scenario(scenario, RULES) == (), scenario.name

    def test_expectations_are_the_hand_computed_ones(self) -> None:
        for scenario in load_json():
            grade, score, mentions = self.EXPECTED[scenario.name]
            assert (scenario.expect_grade, scenario.expect_score) == (grade, score)
            assert scenario.expect_mentions == frozenset(mentions)

    def test_the_kinds_of_territories_covered(self) -> None:
        kinds = {s.dossier.territory.kind for s in load_json()}
        assert TerritoryKind.COMMUNE in kinds
        assert any(kind.is_epci for kind in kinds)
        assert min(s.dossier.territory.population for s in load_json()) < 3_500

    def test_the_sample_is_the_referential_one(self) -> None:
        assert load_json()[-1].dossier == sample_dossier()

    def test_a_changed_rule_is_caught(self) -> None:
        # Lowering the participation gate of 4 @ lets the town through; the sample commune
        # stays at 3 @, its score being short of 4 @ too.
        four = RULES.grade_rule(4)
        assert four is not None
        laxer = GradeRule(
            arobases=4,
            min_score=four.min_score,
            min_theme_scores=four.min_theme_scores,
            min_issue_scores={"democratie-locale": Fraction(1, 5)},
            required_services=four.required_services,
        )
        rules = RULES.replace(grades=(*RULES.grades[:3], laxer, RULES.grades[4]))
        failing = [s.name for s in load_json() if check_scenario(s, rules)]
        assert failing == ["town strong everywhere but in participation: stays under 4 @"]


class TestCheckCommand:
    """`python -m villes_label check` prints one line per scenario, `N passed, M failed`, exit 0/1/2."""

    def test_the_examples_pass(self, capsys: pytest.CaptureFixture[str]) -> None:
        code = main(
            ["check", str(EXAMPLES / "scenarios_2016.json"), str(EXAMPLES / "scenarios_2016.toml")]
        )
        out = capsys.readouterr().out
        assert code == 0
        assert out.splitlines()[-1] == "10 réussis, 0 échoué"  # French by default

    def test_a_failing_scenario(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        data = to_dict(sample(name="sample at 4 @", expect_grade=4))
        path = tmp_path / "failing.json"
        path.write_text(json.dumps([data]), "utf-8")
        code = main(["check", str(path), str(EXAMPLES / "scenarios_2016.toml"), "--lang", "en"])
        out = capsys.readouterr().out
        assert code == 1
        assert "sample at 4 @: expected grade 4, got 3 (the score 60.4 is 2.1 points below" in out
        assert out.splitlines()[-1] == "5 passed, 1 failed"

    def test_a_failing_scenario_in_french(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = to_dict(sample(name="sample at 4 @", expect_grade=4))
        path = tmp_path / "failing.json"
        path.write_text(json.dumps([data]), "utf-8")
        code = main(["check", str(path), "--lang", "fr"])
        out = capsys.readouterr().out
        assert code == 1
        assert "sample at 4 @ : note attendue 4, obtenue 3 (" in out
        assert "expected" not in out
        assert out.splitlines()[-1] == "0 réussi, 1 échoué"

    def test_bad_input(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "bad.toml"
        path.write_text('[[scenarios]]\nname = ""\nexpect_grade = 7\n', "utf-8")
        code = main(["check", str(path)])
        err = capsys.readouterr().err
        assert code == 2
        assert "scenarios[0].name: a scenario needs a non-empty name" in err
        assert "scenarios[0].dossier: missing required field" in err
        assert "scenarios[0].expect_grade: 7 is outside 0..5" in err

    def test_as_a_process(self) -> None:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "villes_label",
                "check",
                "examples/scenarios_2016.toml",
                "--lang",
                "en",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == "5 passed, 0 failed"


class TestFrontDoor:
    """`Scenario`, `check_scenario` and `scenarios_from_data` are public; loading files needs
    no test library."""

    def test_public(self) -> None:
        assert vl.Scenario is Scenario
        assert vl.check_scenario is check_scenario
        assert vl.scenarios_from_data is scenarios_from_data
        assert {"Scenario", "check_scenario", "scenarios_from_data"} <= set(vl.__all__)

    def test_testing_kit_reexports_the_loader(self) -> None:
        from villes_label import testing

        assert testing.scenarios_from_data is scenarios_from_data


@pytest.mark.parametrize(
    "key",
    [10**5000, -(10**5000), 3, ("a",), "x" * 100_000],
    ids=["huge", "huge-negative", "int", "tuple", "long-str"],
)
def test_an_odd_key_beside_the_scenarios_is_named_briefly(key: object) -> None:
    """A key of 10,000 digits is refused as a problem, never a ValueError of its wording."""
    with pytest.raises(InvalidInput) as caught:
        scenarios_from_data({key: [], "scenarios": []})
    (problem,) = caught.value.problems
    assert "unknown key" in problem
    assert len(problem) < 400
