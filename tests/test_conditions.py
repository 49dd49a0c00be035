"""Conditions as data: every kind listed once, checked alike everywhere, worded in both languages."""

from __future__ import annotations

import ast
import inspect
import re
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label
from villes_label import Dossier, GradeRule, MentionRule, Ruleset, Status, _cohorts, assess
from villes_label import _vocabulary as vocabulary
from villes_label._conditions import (
    GRADE_KINDS,
    KINDS,
    MENTION_KINDS,
    Condition,
    EachTheme,
    IssueMinimum,
    MinGrade,
    MinScore,
    Parameter,
    RequiredService,
    ThemeMinimum,
    Values,
    conditions,
    evaluate,
    kind_of,
    rule_fields,
)
from villes_label._vocabulary import ReasonCode
from villes_label.testing import dossiers, rulesets

SOURCE = Path(villes_label.__file__).parent


@st.composite
def cases(draw: st.DrawFn) -> tuple[Ruleset, Dossier]:
    rules = draw(rulesets())
    return rules, draw(dossiers(rules))


def grade_rule_of(arobases: int, found: tuple[Condition, ...]) -> GradeRule:
    """The grade rule whose conditions are *found*."""
    return GradeRule(arobases=arobases, **rule_fields(found))


def values_of(rules: Ruleset, dossier: Dossier) -> Values:
    result = assess(dossier, rules)
    statuses = dict(result.statuses)
    for reason in result.reasons_of("opt-out-refused"):
        assert reason.subject is not None
        statuses[reason.subject] = Status.ABSENT
    return Values(
        score=result.score,
        themes=result.themes,
        issues=result.issues,
        statuses=statuses,
        not_concerned=result.not_concerned,
        grade=result.grade,
    )


def holds_by_the_fields(rule: GradeRule | MentionRule, values: Values) -> bool:
    """The rule read straight from its public fields, as the contract states it."""
    ok = True
    if isinstance(rule, GradeRule):
        ok &= values.score >= rule.min_score
        ok &= all(value >= rule.min_each_theme for value in values.themes.values())
    else:
        ok &= values.grade >= rule.min_grade
    for key, threshold in rule.min_theme_scores.items():
        ok &= key not in values.themes or values.themes[key] >= threshold
    for key, threshold in rule.min_issue_scores.items():
        ok &= key not in values.issues or values.issues[key] >= threshold
    for sid in rule.required_services:
        deployed = values.statuses.get(sid, Status.ABSENT) is Status.DEPLOYED
        ok &= sid in values.not_concerned or deployed
    return bool(ok)


class TestEveryFieldIsACondition:
    """`conditions(rule)` lists every condition a rule's public fields set, and nothing else."""

    @given(rulesets())
    def test_a_grade_rule_is_its_conditions(self, rules: Ruleset) -> None:
        for rule in rules.grades:
            assert grade_rule_of(rule.arobases, conditions(rule)) == rule

    @given(rulesets())
    def test_a_mention_is_its_conditions(self, rules: Ruleset) -> None:
        for mention in rules.mentions:
            fields = rule_fields(conditions(mention))
            assert MentionRule(id=mention.id, name=mention.name, **fields) == mention
            found = conditions(mention)
            expected = (
                len(mention.min_theme_scores)
                + len(mention.min_issue_scores)
                + len(mention.required_services)
                + (mention.min_grade > 0)
            )
            assert len(found) == expected
            assert all(isinstance(c, MinGrade) for c in found if c.code is ReasonCode.MIN_GRADE)


class TestEveryFieldHasAKind:
    """A public field of a rule that no kind of condition writes would be silently ignored."""

    @pytest.mark.parametrize(
        ("cls", "own"),
        # `source` tells where a rule comes from: provenance, not a condition.
        [(GradeRule, {"arobases", "source"}), (MentionRule, {"id", "name", "source"})],
    )
    def test_every_public_field_is_written_by_a_kind(
        self, cls: type[GradeRule | MentionRule], own: set[str]
    ) -> None:
        source = (SOURCE / "_conditions.py").read_text("utf-8")
        for name in attrs.fields_dict(cls):
            if name not in own:
                assert f'fields["{name}"]' in source or f'"{name}", ' in source, name


class TestCheckingReadsTheFields:
    """Evaluating a rule's conditions agrees with reading its fields as the contract states."""

    @given(cases())
    def test_grades_and_mentions(self, case: tuple[Ruleset, Dossier]) -> None:
        rules, dossier = case
        values = values_of(rules, dossier)
        every: list[GradeRule | MentionRule] = [*rules.grades, *rules.mentions]
        for rule in every:
            assert evaluate(rule, values).holds == holds_by_the_fields(rule, values)


class TestKindsAndCodes:
    """Each kind has one public reason code, and its wording in English and French."""

    def test_codes_are_distinct_and_public(self) -> None:
        codes = [kind.code for kind in KINDS]
        assert len(set(codes)) == len(codes)
        assert all(isinstance(code, ReasonCode) for code in codes)
        # The published codes keep their values.
        assert {kind.code for kind in GRADE_KINDS} >= {
            "min-score",
            "theme-gate",
            "issue-gate",
            "each-theme",
            "required-service",
        }
        assert all(kind_of(kind.code) is kind for kind in KINDS)
        assert kind_of("grade") is None

    @pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
    def test_parameters_describe_the_fields(self, kind: type[Condition]) -> None:
        # The testing kit draws a kind from its parameters, one per field, in order.
        assert len(kind.parameters) == len(attrs.fields(kind))
        for parameter, field in zip(kind.parameters, attrs.fields(kind), strict=True):
            names = parameter in {Parameter.THEME, Parameter.ISSUE, Parameter.SERVICE}
            assert field.type == (
                "str" if names else {"threshold": "Fraction"}.get(parameter, "int")
            )

    def test_kinds_of_grades_and_mentions(self) -> None:
        assert set(GRADE_KINDS) | set(MENTION_KINDS) == set(KINDS)
        half = Fraction(1, 2)
        examples: dict[type[Condition], Condition] = {
            MinScore: MinScore(half),
            ThemeMinimum: ThemeMinimum("t", half),
            IssueMinimum: IssueMinimum("i", half),
            EachTheme: EachTheme(half),
            RequiredService: RequiredService("s"),
            MinGrade: MinGrade(3),
        }
        for kind in MENTION_KINDS:
            fields = rule_fields([RequiredService("x"), examples[kind]])
            mention = MentionRule(id="m", name="M", **fields)
            assert examples[kind] in conditions(mention)

    def test_wording_in_both_languages(self) -> None:
        half, third = Fraction(1, 2), Fraction(1, 3)
        examples: list[Condition] = [
            MinScore(half),
            ThemeMinimum("t", half),
            IssueMinimum("i", half),
            EachTheme(half),
            RequiredService("s"),
            MinGrade(3),
        ]
        assert {type(c) for c in examples} == set(KINDS)
        values = Values(
            score=third,
            themes={"t": third},
            issues={"i": third},
            statuses={"s": Status.PARTIAL},
            not_concerned=frozenset(),
            grade=1,
        )
        for condition in examples:
            for _, atom, actual in evaluate(_rule_with(condition), values).failed:
                english = condition.failure("label", atom, actual)
                assert english.startswith("label: ")
                french = condition.reason_fr(atom.subject, half, third)
                assert french
                assert french != english
                assert condition.gate(atom)


def _rule_with(condition: Condition) -> GradeRule | MentionRule:
    if isinstance(condition, MinGrade):
        return MentionRule(id="m", name="M", required_services={"x"}, min_grade=condition.grade)
    base = GradeRule(arobases=1, min_score=0)
    return grade_rule_of(1, (*conditions(base), condition))


def _atom_matches(module: ast.Module) -> list[ast.Match]:
    return [
        node
        for node in ast.walk(module)
        if isinstance(node, ast.Match)
        and isinstance(node.subject, ast.Name)
        and node.subject.id == "atom"
    ]


class TestNoForgottenKind:
    """Every module that reads what conditions read matches the shapes exhaustively.

    The last case of each ``match atom`` calls `typing.assert_never`, so that mypy
    names every place a new shape must be handled; and no module but the
    vocabulary spells a condition's reason code by hand.
    """

    CONSUMERS = (
        "_conditions.py",
        "_scoring.py",
        "_batch.py",
        "_plans.py",
        "_frames.py",
        "testing.py",
    )

    @pytest.mark.parametrize("name", CONSUMERS)
    def test_matches_end_with_assert_never(self, name: str) -> None:
        matches = _atom_matches(ast.parse((SOURCE / name).read_text("utf-8")))
        assert matches, f"{name} does not match on atoms"
        for match in matches:
            last = match.cases[-1]
            assert isinstance(last.pattern, ast.MatchAs)
            assert last.pattern.pattern is None  # `case _:`
            assert "assert_never(atom)" in ast.unparse(last.body[-1])

    def test_no_code_spelt_outside_the_vocabulary(self) -> None:
        codes = "|".join(re.escape(kind.code) for kind in KINDS)
        pattern = re.compile(rf"""["']({codes})["']""")
        for path in sorted(SOURCE.rglob("*.py")):
            if path.name == "_vocabulary.py":
                continue
            text = path.read_text("utf-8")
            # Docstrings may name the codes for readers; code may not.
            code = "\n".join(
                line for line in text.splitlines() if not line.lstrip().startswith((">>>", "``"))
            )
            tree = ast.parse(code)
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Module)
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }
            spelt = [
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and pattern.fullmatch(repr(node.value))
            ]
            assert not spelt, f"{path.name} spells reason codes {spelt}"

    def test_the_consumers_loop_over_conditions(self) -> None:
        for name in self.CONSUMERS[1:]:
            text = (SOURCE / name).read_text("utf-8")
            assert "conditions" in text or "evaluate(" in text, name
        assert "evaluate(" in inspect.getsource(_cohorts._gate_failures)


class TestOneVocabulary:
    """Statuses, territory kinds, reason codes and quantity kinds (every `StrEnum`) live in one module."""

    def test_every_enum_lives_in_the_vocabulary(self) -> None:
        defined: dict[str, str] = {}
        for path in sorted(SOURCE.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    "StrEnum" in ast.unparse(base) for base in node.bases
                ):
                    defined[node.name] = path.name
        assert set(defined.values()) == {"_vocabulary.py"}
        assert {"Status", "TerritoryKind", "ReasonCode", "QuantityKind"} <= set(defined)
        assert villes_label.Status is vocabulary.Status
        assert villes_label.TerritoryKind is vocabulary.TerritoryKind


class TestFrenchOfAKind:
    """A kind of condition that the texts do not word yet is read in French through its own wording."""

    def test_the_kind_speaks_french(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from villes_label import _text, default_ruleset
        from villes_label.referential import sample_dossier

        result = assess(sample_dossier(), default_ruleset())
        (gate,) = result.reasons_of("issue-gate")
        worded = result.reason_texts("fr")[result.reasons.index(gate)]
        assert "Démocratie locale" in worded  # the texts' own sentence, names beside ids

        def unknown(reason: object, lang: object, **_: object) -> str:
            return str(getattr(reason, "message", ""))

        monkeypatch.setattr(_text, "reason_text", unknown)
        assert gate.required is not None
        assert gate.actual is not None
        expected = IssueMinimum.reason_fr(gate.subject, gate.required, gate.actual)
        assert result.reason_texts("fr")[result.reasons.index(gate)] == expected
        assert result.reason_texts("en")[result.reasons.index(gate)] == gate.message
