"""Conditions as data: every kind of condition a grade or mention rule can hold.

Each kind is a small frozen value that knows its reason code, what it reads
and its wording in French and English. `conditions(rule)` lists a rule's
conditions, in the order their reasons are reported. What a condition reads
is given as *atoms*, a closed set of three shapes that every consumer
(checking, the batch compiler, the plan search, the testing kit) handles with
`typing.assert_never` in its fallback:

- `AtLeast`: a quantity of the linear form (the score, a theme, an issue)
  reaches a threshold; a theme or issue with no concerned service has no
  score, and the condition on it is waived;
- `Deployed`: a service is deployed, waived when it does not concern the
  territory;
- `GradeAtLeast`: the grade awarded reaches a minimum (mentions only).

Each kind also lists its `parameters` (a threshold, a grade, the id of a theme, issue
or service: one per field), from which the testing kit draws it.

A new kind that reads those shapes touches this module, its public field in
`villes_label._rules`, and its code in `villes_label._vocabulary`; a new
shape makes mypy name every consumer that must learn it.

>>> from fractions import Fraction
>>> from villes_label._rules import GradeRule
>>> rule = GradeRule(arobases=2, min_score=Fraction(1, 4), required_services={"site-internet"})
>>> conditions(rule)
(MinScore(threshold=Fraction(1, 4)), RequiredService(service='site-internet'))
>>> conditions(rule)[1].atoms(Values(score=Fraction(0), themes={}, issues={}, statuses={},
...                                  not_concerned=frozenset()))
(Deployed(service='site-internet'),)
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, assert_never

import attrs

from villes_label._linear import QuantityKind
from villes_label._rules import GradeRule, MentionRule
from villes_label._territory import Status
from villes_label._vocabulary import (
    LESS_THAN_A_TENTH,
    Lang,
    Parameter,
    ReasonCode,
    points,
    points_in,
    under_a_tenth,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "GRADE_KINDS",
    "KINDS",
    "MENTION_KINDS",
    "AtLeast",
    "Atom",
    "Condition",
    "Deployed",
    "EachTheme",
    "GradeAtLeast",
    "IssueMinimum",
    "MinGrade",
    "MinScore",
    "Outcome",
    "Parameter",
    "RequiredService",
    "Scored",
    "ThemeMinimum",
    "Values",
    "conditions",
    "demands",
    "evaluate",
    "kind_of",
    "rule_fields",
]

_ZERO = Fraction(0)


# --- what a condition reads --------------------------------------------------------------


@attrs.frozen
class AtLeast:
    """A quantity of the linear form (``kind``, ``id``; the score's id is ``""``) reaches ``threshold``."""

    kind: QuantityKind
    id: str
    threshold: Fraction

    @property
    def subject(self) -> str | None:
        return self.id or None


@attrs.frozen
class Deployed:
    """``service`` is deployed (waived when it does not concern the territory)."""

    service: str

    @property
    def subject(self) -> str | None:
        return self.service


@attrs.frozen
class GradeAtLeast:
    """The grade awarded is at least ``grade`` (a mention's condition)."""

    grade: int

    @property
    def subject(self) -> str | None:
        return None


Atom = AtLeast | Deployed | GradeAtLeast


class Scored(Protocol):
    """The themes and issues that have a score (`LinearForm` and `Values` both tell)."""

    @property
    def themes(self) -> Mapping[str, object]: ...

    @property
    def issues(self) -> Mapping[str, object]: ...


# --- the kinds ---------------------------------------------------------------------------


def _value(actual: object) -> Fraction:
    """The value an `AtLeast` failure carries (always a fraction)."""
    if not isinstance(actual, Fraction):  # pragma: no cover - a bug, never a user error
        msg = f"internal error: expected the value of a quantity, got {actual!r}"
        raise TypeError(msg)
    return actual


def _gap(value: Fraction, lang: Lang) -> str:
    """Missing points as a failed condition words them: never ``0.0 points``."""
    if under_a_tenth(value):
        return LESS_THAN_A_TENTH[lang]
    return f"{points_in(value, lang)} points"


def _below(label: str, what: str, actual: Fraction, threshold: Fraction, tail: str) -> str:
    return (
        f"{label}: {what} {points(actual)}, {_gap(threshold - actual, 'en')} below the "
        f"{points(threshold)} {tail}"
    )


def _missing_fr(name: str, subject: str | None, required: Fraction, actual: Fraction) -> str:
    target = f" « {subject} »" if subject else ""
    return (
        f"{name}{target} : {points_in(actual, 'fr')} pour {points_in(required, 'fr')} requis, "
        f"il manque {_gap(required - actual, 'fr')}"
    )


@attrs.frozen
class MinScore:
    """The overall score reaches ``threshold`` (a grade rule's ``min_score``)."""

    code: ClassVar[ReasonCode] = ReasonCode.MIN_SCORE
    parameters: ClassVar[tuple[Parameter, ...]] = (Parameter.THRESHOLD,)
    threshold: Fraction

    def atoms(self, scored: Scored) -> tuple[Atom, ...]:  # noqa: ARG002 - same signature for every kind
        return (AtLeast(QuantityKind.SCORE, "", self.threshold),)

    def failure(self, label: str, atom: Atom, actual: object) -> str:  # noqa: ARG002
        value = _value(actual)
        return (
            f"{label}: the score {points(value)} is {_gap(self.threshold - value, 'en')} "
            f"below the {points(self.threshold)} required"
        )

    def waiver(self, label: str, atom: Atom) -> str:  # noqa: ARG002  # pragma: no cover - the score always exists
        return f"{label}: the minimum score is waived"

    def into(self, fields: dict[str, Any]) -> None:
        fields["min_score"] = self.threshold

    def gate(self, atom: Atom) -> str:  # noqa: ARG002
        return f"score at {points(self.threshold)} or more"

    @staticmethod
    def reason_fr(subject: str | None, required: Fraction, actual: Fraction) -> str:
        return _missing_fr("score global", subject, required, actual)


@attrs.frozen
class ThemeMinimum:
    """Theme ``theme`` scores at least ``threshold`` (waived when it has no score)."""

    code: ClassVar[ReasonCode] = ReasonCode.THEME_GATE
    parameters: ClassVar[tuple[Parameter, ...]] = (Parameter.THEME, Parameter.THRESHOLD)
    theme: str
    threshold: Fraction

    def atoms(self, scored: Scored) -> tuple[Atom, ...]:  # noqa: ARG002
        return (AtLeast(QuantityKind.THEME, self.theme, self.threshold),)

    def failure(self, label: str, atom: Atom, actual: object) -> str:  # noqa: ARG002
        what = f"theme {self.theme!r} scores"
        return _below(label, what, _value(actual), self.threshold, "required")

    def waiver(self, label: str, atom: Atom) -> str:  # noqa: ARG002
        return (
            f"{label}: the gate on theme {self.theme!r} is waived "
            "(no service of it concerns this territory)"
        )

    def into(self, fields: dict[str, Any]) -> None:
        fields.setdefault("min_theme_scores", {})[self.theme] = self.threshold

    def gate(self, atom: Atom) -> str:  # noqa: ARG002
        return f"theme {self.theme!r}"

    @staticmethod
    def reason_fr(subject: str | None, required: Fraction, actual: Fraction) -> str:
        return _missing_fr("seuil du thème", subject, required, actual)


@attrs.frozen
class IssueMinimum:
    """Issue ``issue`` scores at least ``threshold`` (waived when it has no score)."""

    code: ClassVar[ReasonCode] = ReasonCode.ISSUE_GATE
    parameters: ClassVar[tuple[Parameter, ...]] = (Parameter.ISSUE, Parameter.THRESHOLD)
    issue: str
    threshold: Fraction

    def atoms(self, scored: Scored) -> tuple[Atom, ...]:  # noqa: ARG002
        return (AtLeast(QuantityKind.ISSUE, self.issue, self.threshold),)

    def failure(self, label: str, atom: Atom, actual: object) -> str:  # noqa: ARG002
        what = f"issue {self.issue!r} scores"
        return _below(label, what, _value(actual), self.threshold, "required")

    def waiver(self, label: str, atom: Atom) -> str:  # noqa: ARG002
        return (
            f"{label}: the gate on issue {self.issue!r} is waived "
            "(no service of it concerns this territory)"
        )

    def into(self, fields: dict[str, Any]) -> None:
        fields.setdefault("min_issue_scores", {})[self.issue] = self.threshold

    def gate(self, atom: Atom) -> str:  # noqa: ARG002
        return f"issue {self.issue!r}"

    @staticmethod
    def reason_fr(subject: str | None, required: Fraction, actual: Fraction) -> str:
        return _missing_fr("seuil de l'enjeu", subject, required, actual)


@attrs.frozen
class EachTheme:
    """Every theme that has a score reaches ``threshold`` (``min_each_theme``)."""

    code: ClassVar[ReasonCode] = ReasonCode.EACH_THEME
    parameters: ClassVar[tuple[Parameter, ...]] = (Parameter.THRESHOLD,)
    threshold: Fraction

    def atoms(self, scored: Scored) -> tuple[Atom, ...]:
        return tuple(AtLeast(QuantityKind.THEME, theme, self.threshold) for theme in scored.themes)

    def failure(self, label: str, atom: Atom, actual: object) -> str:
        what = f"theme {atom.subject!r} scores"
        return _below(label, what, _value(actual), self.threshold, "every theme needs")

    def waiver(self, label: str, atom: Atom) -> str:  # pragma: no cover - only scored themes
        return f"{label}: the minimum on theme {atom.subject!r} is waived"

    def into(self, fields: dict[str, Any]) -> None:
        fields["min_each_theme"] = self.threshold

    def gate(self, atom: Atom) -> str:  # noqa: ARG002
        return f"each theme at {points(self.threshold)} or more"

    @staticmethod
    def reason_fr(subject: str | None, required: Fraction, actual: Fraction) -> str:
        return _missing_fr("minimum sur chaque thème", subject, required, actual)


@attrs.frozen
class RequiredService:
    """``service`` is deployed, unless it does not concern the territory."""

    code: ClassVar[ReasonCode] = ReasonCode.REQUIRED_SERVICE
    parameters: ClassVar[tuple[Parameter, ...]] = (Parameter.SERVICE,)
    service: str

    def atoms(self, scored: Scored) -> tuple[Atom, ...]:  # noqa: ARG002
        return (Deployed(self.service),)

    def failure(self, label: str, atom: Atom, actual: object) -> str:  # noqa: ARG002
        status = getattr(actual, "value", actual)
        return f"{label}: the required service {self.service!r} is {status}, it must be deployed"

    def waiver(self, label: str, atom: Atom) -> str:  # noqa: ARG002
        return (
            f"{label}: the required service {self.service!r} is waived "
            "(it does not concern this territory)"
        )

    def into(self, fields: dict[str, Any]) -> None:
        fields.setdefault("required_services", set()).add(self.service)

    def gate(self, atom: Atom) -> str:  # noqa: ARG002
        return f"required service {self.service!r}"

    @staticmethod
    def reason_fr(subject: str | None, required: Fraction | None, actual: Fraction | None) -> str:  # noqa: ARG004
        return f"le service obligatoire « {subject} » doit être déployé"


@attrs.frozen
class MinGrade:
    """The grade awarded reaches ``grade`` (a mention's ``min_grade``)."""

    code: ClassVar[ReasonCode] = ReasonCode.MIN_GRADE
    parameters: ClassVar[tuple[Parameter, ...]] = (Parameter.GRADE,)
    grade: int

    def atoms(self, scored: Scored) -> tuple[Atom, ...]:  # noqa: ARG002
        return (GradeAtLeast(self.grade),)

    def failure(self, label: str, atom: Atom, actual: object) -> str:  # noqa: ARG002
        return f"{label}: the grade is {actual}, the mention needs grade {self.grade} or more"

    def waiver(self, label: str, atom: Atom) -> str:  # noqa: ARG002  # pragma: no cover - never waived
        return f"{label}: the minimum grade is waived"

    def into(self, fields: dict[str, Any]) -> None:
        fields["min_grade"] = self.grade

    def gate(self, atom: Atom) -> str:  # noqa: ARG002
        return f"grade {self.grade} or more"

    @staticmethod
    def reason_fr(subject: str | None, required: Fraction | None, actual: Fraction | None) -> str:  # noqa: ARG004
        return f"la mention demande une note d'au moins {required} arobases"


Condition = MinScore | ThemeMinimum | IssueMinimum | EachTheme | RequiredService | MinGrade

KINDS: tuple[type[Condition], ...] = (
    MinScore,
    ThemeMinimum,
    IssueMinimum,
    EachTheme,
    RequiredService,
    MinGrade,
)
"""Every kind of condition."""

GRADE_KINDS: tuple[type[Condition], ...] = (
    MinScore,
    ThemeMinimum,
    IssueMinimum,
    EachTheme,
    RequiredService,
)
"""The kinds a grade rule can hold: their codes are those of a failed grade."""

MENTION_KINDS: tuple[type[Condition], ...] = (
    ThemeMinimum,
    IssueMinimum,
    RequiredService,
    MinGrade,
)
"""The kinds a mention can hold."""

_BY_CODE: dict[str, type[Condition]] = {kind.code: kind for kind in KINDS}


def kind_of(code: str) -> type[Condition] | None:
    """The kind of condition whose reason code is *code*, if any."""
    return _BY_CODE.get(code)


def rule_fields(found: Iterable[Condition]) -> dict[str, Any]:
    """The public fields of a rule that holds *found*: the inverse of `conditions`.

    ``GradeRule(arobases=g, **rule_fields(conditions(rule))) == rule`` for a grade
    rule of grade g, and likewise for a mention with its id and name.
    """
    fields: dict[str, Any] = {}
    for condition in found:
        condition.into(fields)
    return fields


def conditions(rule: GradeRule | MentionRule) -> tuple[Condition, ...]:
    """Every condition of *rule*, in the order their reasons are reported.

    A grade rule: its minimum score, theme minima, issue minima, the minimum
    on each theme (when above 0) and its required services (sorted). A
    mention: its theme minima, issue minima, required services and minimum
    grade (when above 0).
    """
    found: list[Condition] = []
    match rule:
        case GradeRule():
            found.append(MinScore(rule.min_score))
        case MentionRule():
            pass
        case _:
            assert_never(rule)
    found.extend(ThemeMinimum(key, value) for key, value in rule.min_theme_scores.items())
    found.extend(IssueMinimum(key, value) for key, value in rule.min_issue_scores.items())
    if isinstance(rule, GradeRule) and rule.min_each_theme > _ZERO:
        found.append(EachTheme(rule.min_each_theme))
    found.extend(RequiredService(sid) for sid in sorted(rule.required_services))
    if isinstance(rule, MentionRule) and rule.min_grade > 0:
        found.append(MinGrade(rule.min_grade))
    return tuple(found)


# --- checking ----------------------------------------------------------------------------


class Values:
    """What a rule's conditions read of one assessment: scores, statuses, grade.

    ``themes`` and ``issues`` hold only the themes and issues that have a
    score; ``statuses`` the effective status of every service (a refused
    opt-out as ``ABSENT``); ``grade`` the grade awarded (mentions read it).
    """

    __slots__ = ("grade", "issues", "not_concerned", "score", "statuses", "themes")

    def __init__(
        self,
        *,
        score: Fraction,
        themes: Mapping[str, Fraction],
        issues: Mapping[str, Fraction],
        statuses: Mapping[str, Status],
        not_concerned: frozenset[str],
        grade: int = 0,
    ) -> None:
        self.score = score
        self.themes = themes
        self.issues = issues
        self.statuses = statuses
        self.not_concerned = not_concerned
        self.grade = grade

    def quantity(self, kind: QuantityKind, id_: str) -> Fraction | None:
        """The value of a quantity, ``None`` when it has no score."""
        match kind:
            case QuantityKind.SCORE:
                return self.score
            case QuantityKind.THEME:
                return self.themes.get(id_)
            case QuantityKind.ISSUE:
                return self.issues.get(id_)
            case _:  # pragma: no cover
                assert_never(kind)


class Outcome:
    """The conditions of one rule that failed (with the value read) or were waived."""

    __slots__ = ("failed", "waived")

    def __init__(self) -> None:
        self.failed: list[tuple[Condition, Atom, object]] = []
        self.waived: list[tuple[Condition, Atom]] = []

    @property
    def holds(self) -> bool:
        """Whether every condition holds (a waived one holds)."""
        return not self.failed


def _below_threshold(value: Fraction, threshold: Fraction) -> bool:
    # `value < threshold` on the integers of both (positive denominators): the hot path of `assess`.
    return value.numerator * threshold.denominator < threshold.numerator * value.denominator


def evaluate(rule: GradeRule | MentionRule, values: Values) -> Outcome:
    """Check every condition of *rule* against *values*."""
    outcome = Outcome()
    for condition in conditions(rule):
        for atom in condition.atoms(values):
            match atom:
                case AtLeast():
                    value = values.quantity(atom.kind, atom.id)
                    if value is None:
                        outcome.waived.append((condition, atom))
                    elif _below_threshold(value, atom.threshold):
                        outcome.failed.append((condition, atom, value))
                case Deployed():
                    if atom.service in values.not_concerned:
                        outcome.waived.append((condition, atom))
                    else:
                        status = values.statuses.get(atom.service, Status.ABSENT)
                        if status is not Status.DEPLOYED:
                            outcome.failed.append((condition, atom, status))
                case GradeAtLeast():
                    if values.grade < atom.grade:
                        outcome.failed.append((condition, atom, values.grade))
                case _:
                    assert_never(atom)
    return outcome


def demands(
    rule: GradeRule, scored: Scored
) -> tuple[dict[tuple[QuantityKind, str], Fraction], set[str]]:
    """What a grade rule asks, read from its conditions: the plan searches' bounds.

    A minimum per quantity of the linear form (the largest, when several
    conditions read the same one) and the services that must be deployed.
    Every bound is then a minimum of a sum of gains over one quantity.
    """
    minimum: dict[tuple[QuantityKind, str], Fraction] = {}
    required: set[str] = set()
    for condition in conditions(rule):
        for atom in condition.atoms(scored):
            match atom:
                case AtLeast():
                    key = (atom.kind, atom.id)
                    minimum[key] = max(minimum.get(key, atom.threshold), atom.threshold)
                case Deployed():
                    required.add(atom.service)
                case GradeAtLeast():  # pragma: no cover - a mention's condition, not a grade's
                    msg = f"a grade rule cannot hold {condition!r}"
                    raise TypeError(msg)
                case _:
                    assert_never(atom)
    return minimum, required
