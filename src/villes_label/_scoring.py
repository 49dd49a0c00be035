"""The one scoring formula: a dossier and a ruleset give an `Assessment`.

Pure: no I/O, no clock, no randomness, no global state. Every score is an
exact `fractions.Fraction`, so a dossier exactly on a threshold gets the grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, assert_never

import attrs

from villes_label._conditions import (
    GRADE_KINDS,
    AtLeast,
    Atom,
    Condition,
    Deployed,
    GradeAtLeast,
    Outcome,
    RequiredService,
    Values,
    evaluate,
    kind_of,
)
from villes_label._errors import InvalidInput, unknown_id
from villes_label._linear import LinearForm, Structure
from villes_label._rules import MAX_GRADE, GradeRule, MentionRule, Ruleset
from villes_label._territory import (
    FIRST_YEAR,
    LAST_YEAR,
    Dossier,
    Status,
    Territory,
    effective_entries,
)
from villes_label._values import FrozenMap, is_instance, is_int
from villes_label._vocabulary import ReasonCode, arobases, points, points_in

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Assessment", "Reason", "assess"]

_ZERO = Fraction(0)
_ONE = Fraction(1)


def _fraction_or_none(value: Fraction | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _plain_str(value: str) -> str:
    # A `ReasonCode` is stored as its plain value: reasons print and compare as strings.
    return str(value) if isinstance(value, ReasonCode) else value


@attrs.frozen(kw_only=True)
class Reason:
    """One reason of an assessment, for programs (the fields) and people (the message).

    ``code`` is a stable kind: ``"grade"``, ``"min-score"``, ``"theme-gate"``,
    ``"issue-gate"``, ``"each-theme"``, ``"required-service"``, ``"gate-waived"``,
    ``"opt-out-refused"``, ``"potential"``, ``"mention"``, ``"no-concerned-service"``.

    >>> r = Reason(code="min-score", message="the score is 2 points short", subject=None)
    >>> str(r)
    'the score is 2 points short'
    """

    code: str = attrs.field(converter=_plain_str)
    message: str
    subject: str | None = None
    required: Fraction | None = attrs.field(default=None, converter=_fraction_or_none)
    actual: Fraction | None = attrs.field(default=None, converter=_fraction_or_none)

    @property
    def shortfall(self) -> Fraction | None:
        """How much ``actual`` lacks to reach ``required`` (``None`` when either is unknown)."""
        if self.required is None or self.actual is None:
            return None
        return max(_ZERO, self.required - self.actual)

    def __str__(self) -> str:
        return self.message


def _fraction_map(value: Mapping[str, Fraction]) -> FrozenMap[str, Fraction]:
    return FrozenMap(value)


def _status_map(value: Mapping[str, Status]) -> FrozenMap[str, Status]:
    return FrozenMap(value)


def _id_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _reason_tuple(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(value)


def _points_fr(value: Fraction) -> str:
    return points_in(value, "fr")


@attrs.frozen(kw_only=True)
class Assessment:
    """The result of `assess`: score, grade, mentions and the reasons for them.

    ``stratum`` is the id of the ruleset's `Expectation` that graded the
    territory (``None`` when none applies: the share-of-potential model).

    >>> from villes_label import assess, default_ruleset, referential
    >>> result = assess(referential.sample_dossier(), default_ruleset())
    >>> str(result)
    'Saint-Exemple-sur-Vilaine 2016: @@@ (score 51.2/100)'
    >>> result.themes["democratie-services-publics"], sorted(result.not_concerned)[:2]
    (Fraction(53, 96), ['collecte-dechets-connectee', 'conseils-de-quartier-numeriques'])
    """

    territory: Territory
    year: int
    ruleset: str
    score: Fraction
    projected_score: Fraction
    grade: int
    themes: Mapping[str, Fraction] = attrs.field(converter=_fraction_map)
    issues: Mapping[str, Fraction] = attrs.field(converter=_fraction_map)
    statuses: Mapping[str, Status] = attrs.field(converter=_status_map)
    stratum: str | None = None
    not_concerned: frozenset[str] = attrs.field(converter=_id_set, factory=frozenset)
    undeclared: frozenset[str] = attrs.field(converter=_id_set, factory=frozenset)
    mentions: tuple[str, ...] = attrs.field(converter=_str_tuple, default=())
    reasons: tuple[Reason, ...] = attrs.field(converter=_reason_tuple, default=())

    def __attrs_post_init__(self) -> None:
        # `assess` builds consistent values; this guards values read from data.
        problems: list[str] = []
        if not is_instance(self.territory, Territory):
            problems.append(f"territory: expected a Territory, got {type(self.territory).__name__}")
        if not is_int(self.year):
            problems.append(f"year: expected an int, got {type(self.year).__name__}")
        elif not FIRST_YEAR <= self.year <= LAST_YEAR:
            problems.append(f"year: {self.year} is outside {FIRST_YEAR}..{LAST_YEAR}")
        if not is_int(self.grade):
            problems.append(f"grade: expected an int, got {type(self.grade).__name__}")
        elif not 0 <= self.grade <= MAX_GRADE:
            problems.append(f"grade: {self.grade} is outside 0..{MAX_GRADE}")
        for name in ("score", "projected_score"):
            value = getattr(self, name)
            if not is_instance(value, Fraction) or not _ZERO <= value <= _ONE:
                problems.append(f"{name}: {value!r} is not a fraction in [0, 1]")
        for field, values in (("themes", self.themes), ("issues", self.issues)):
            for key, value in values.items():
                if not is_instance(value, Fraction) or not _ZERO <= value <= _ONE:
                    problems.append(f"{field}.{key}: {value!r} is not a fraction in [0, 1]")
        if problems:
            raise InvalidInput(*problems)

    def reasons_of(self, code: str) -> tuple[Reason, ...]:
        """The reasons of one kind (``"min-score"``, ``"gate-waived"``, ...)."""
        return tuple(reason for reason in self.reasons if reason.code == code)

    def __str__(self) -> str:
        return (
            f"{self.territory.name} {self.year}: {arobases(self.grade)} "
            f"(score {points(self.score)}/100)"
        )

    def explain(self, lang: Literal["fr", "en"] = "fr") -> str:
        """A readable multi-line report, in French by default (English on demand)."""
        if lang not in ("fr", "en"):
            msg = f"lang: expected 'fr' or 'en', got {lang!r}"
            raise InvalidInput(msg)
        return _explain(self, lang)

    def _repr_html_(self) -> str:
        import html  # noqa: PLC0415 - only notebooks need it; keeps `import` light

        t = self.territory
        rows = "".join(
            f"<tr><td>{html.escape(key)}</td><td>{points(value)}</td></tr>"
            for key, value in self.themes.items()
        )
        issue_rows = "".join(
            f"<tr><td>{html.escape(key)}</td><td>{points(value)}</td></tr>"
            for key, value in self.issues.items()
        )
        reasons = "".join(
            f"<li><code>{html.escape(r.code)}</code> {html.escape(r.message)}</li>"
            for r in self.reasons
        )
        mentions = ", ".join(html.escape(m) for m in self.mentions) or "none"
        return (
            '<div class="villes-label-assessment">'
            f"<h4>{html.escape(t.name)} ({html.escape(t.code)}) — {self.year}: "
            f"<span>{arobases(self.grade)}</span> grade {self.grade}, "
            f"score {points(self.score)}/100</h4>"
            f"<p>Projected score {points(self.projected_score)}/100; mentions: {mentions}</p>"
            "<table><thead><tr><th>Theme</th><th>Score</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            "<details><summary>Issues</summary><table><thead><tr><th>Issue</th>"
            f"<th>Score</th></tr></thead><tbody>{issue_rows}</tbody></table></details>"
            f"<details><summary>Reasons</summary><ul>{reasons}</ul></details></div>"
        )


# --- the formula -------------------------------------------------------------------


def check_ids(dossier: Dossier, ruleset: Ruleset) -> None:
    """Raise `InvalidInput` naming every service id of *dossier* unknown to *ruleset*."""
    known = ruleset.taxonomy.service_ids
    problems = [
        f"services.{sid}: {unknown_id('service', sid, known)}"
        for sid in dossier.services
        if sid not in known
    ]
    for n, action in enumerate(dossier.actions):
        problems.extend(
            f"actions[{n}].services: {unknown_id('service', sid, known)}"
            for sid in sorted(action.services)
            if sid not in known
        )
    if problems:
        raise InvalidInput(*problems)


@attrs.frozen
class RuleCheck:
    """The outcome of one grade or mention rule as reasons: what failed, what was waived."""

    failures: tuple[Reason, ...]
    waived: tuple[Reason, ...]

    @property
    def holds(self) -> bool:
        return not self.failures


def _failure(label: str, condition: Condition, atom: Atom, actual: object) -> Reason:
    required = value = None
    match atom:
        case AtLeast():
            required = atom.threshold
            value = actual if isinstance(actual, Fraction) else None
        case Deployed() | GradeAtLeast():
            pass
        case _:
            assert_never(atom)
    return Reason(
        code=condition.code,
        subject=atom.subject,
        message=condition.failure(label, atom, actual),
        required=required,
        actual=value,
    )


def reasons_of(label: str, outcome: Outcome) -> RuleCheck:
    """The reasons of an evaluated rule, each message prefixed by *label*."""
    return RuleCheck(
        tuple(
            _failure(label, condition, atom, actual) for condition, atom, actual in outcome.failed
        ),
        tuple(
            Reason(
                code=ReasonCode.GATE_WAIVED,
                subject=atom.subject,
                message=condition.waiver(label, atom),
            )
            for condition, atom in outcome.waived
        ),
    )


def check_rule(rule: GradeRule | MentionRule, label: str, values: Values) -> RuleCheck:
    """Check every condition of a grade or mention rule against computed scores."""
    return reasons_of(label, evaluate(rule, values))


def _grade_label(arobases_count: int) -> str:
    return f"grade {arobases_count} ({arobases(arobases_count)})"


def assess(dossier: Dossier, ruleset: Ruleset) -> Assessment:
    """Score *dossier* under *ruleset*: score, grade, mentions and reasons.

    Raises:
        InvalidInput: the dossier names a service that the ruleset's taxonomy
            lacks (with the closest ids).

    >>> from villes_label.referential import default_ruleset, sample_dossier
    >>> result = assess(sample_dossier(), default_ruleset())
    >>> result.grade, result.score
    (3, Fraction(295, 576))
    """
    if not is_instance(dossier, Dossier):
        msg = f"dossier: expected a Dossier, got {type(dossier).__name__}"
        raise InvalidInput(msg)
    if not is_instance(ruleset, Ruleset):
        msg = f"ruleset: expected a Ruleset, got {type(ruleset).__name__}"
        raise InvalidInput(msg)
    check_ids(dossier, ruleset)
    entries = effective_entries(dossier)
    structure = Structure(ruleset)
    scope = structure.concern(dossier.territory, entries)
    expectation = structure.expectation(dossier.territory)
    form = structure.form(scope.concerned, expectation)
    absent = Status.ABSENT
    statuses = {sid: entries.get(sid, absent) for sid in structure.order}
    # Credits as integers over `structure.scale`: exact, and fast to add.
    units = structure.units
    credits = {sid: units[statuses[sid]] for sid in scope.concerned}
    numerator, theme_numerators, issue_numerators = form.numerators(credits)
    score = form.fraction(form.score, numerator)
    themes = {t: form.fraction(form.themes[t], n) for t, n in theme_numerators.items()}
    issues = {i: form.fraction(form.issues[i], n) for i, n in issue_numerators.items()}
    deployed = units[Status.DEPLOYED]
    projected = {
        sid: deployed if statuses[sid] is Status.PLANNED else unit for sid, unit in credits.items()
    }
    projected_score = form.fraction(form.score, form.numerators(projected)[0])
    # A refused opt-out earns as ABSENT; the required-service check must see that too.
    effective = dict(statuses)
    for sid in scope.refused_opt_outs:
        effective[sid] = Status.ABSENT

    reasons: list[Reason] = [
        Reason(
            code=ReasonCode.OPT_OUT_REFUSED,
            subject=sid,
            message=f"service {sid!r} is declared not applicable, but the rules do not "
            "allow this territory to opt out of it: it counts as absent",
        )
        for sid in scope.refused_opt_outs
    ]
    if not scope.concerned:
        reasons.append(
            Reason(
                code=ReasonCode.NO_CONCERNED_SERVICE,
                message="no service of the referential concerns this territory: the score is 0",
            )
        )

    values = Values(
        score=score,
        themes=themes,
        issues=issues,
        statuses=effective,
        not_concerned=scope.not_concerned,
    )
    outcomes = {rule.arobases: evaluate(rule, values) for rule in ruleset.grades}
    grade = max((g for g, outcome in outcomes.items() if outcome.holds), default=0)
    next_rules = [rule for rule in ruleset.grades if rule.arobases > grade]
    if grade:
        reasons.append(
            Reason(
                code=ReasonCode.GRADE,
                message=f"{_grade_label(grade)} awarded: every condition of its rule holds "
                f"(score {points(score)})",
                actual=score,
            )
        )
        reasons.extend(reasons_of(_grade_label(grade), outcomes[grade]).waived)
    else:
        reasons.append(
            Reason(
                code=ReasonCode.GRADE,
                message=f"no grade awarded (score {points(score)}): the lowest rule fails",
                actual=score,
            )
        )
    if next_rules:
        target = next_rules[0]
        check = reasons_of(_grade_label(target.arobases), outcomes[target.arobases])
        reasons.extend(check.failures)
        reasons.extend(check.waived)
        reasons.extend(_potential(form, credits, target, score))

    mentions: list[str] = []
    values.grade = grade
    for mention in ruleset.mentions:
        outcome = evaluate(mention, values)
        # A mention whose every condition is waived rewards nothing: it is not awarded.
        checked = mention.conditions - len(outcome.waived)
        if outcome.holds and checked > 0:
            mentions.append(mention.id)
            reasons.append(
                Reason(
                    code=ReasonCode.MENTION,
                    subject=mention.id,
                    message=f"mention {mention.id!r} ({mention.name}) awarded",
                )
            )
            reasons.extend(reasons_of(f"mention {mention.id!r}", outcome).waived)

    return Assessment(
        territory=dossier.territory,
        year=dossier.year,
        ruleset=ruleset.name,
        score=score,
        projected_score=projected_score,
        grade=grade,
        stratum=None if expectation is None else expectation.stratum,
        themes=themes,
        issues=issues,
        statuses=statuses,
        not_concerned=scope.not_concerned,
        undeclared=frozenset(sid for sid in scope.concerned if sid not in entries),
        mentions=tuple(mentions),
        reasons=tuple(reasons),
    )


def _potential(
    form: LinearForm,
    credits: Mapping[str, int],
    target: GradeRule,
    score: Fraction,
    limit: int = 3,
) -> list[Reason]:
    """Where the missing points of the next grade can come from: the richest issues.

    An issue can still bring what it lacks to its full score (its potential,
    or its expectation once covered) times its weight in the score.
    """
    if score >= target.min_score:
        return []
    top = form.units[Status.DEPLOYED]
    # Each issue's possible gain, as a numerator of the score.
    by_issue: dict[str, int] = {}
    for issue_id, quantity in form.issues.items():
        factor = form.issue_factor[issue_id] * form.theme_factor[form.theme_of[issue_id]]
        gain = factor * (quantity.denominator * top - quantity.numerator(credits))
        if gain:
            by_issue[issue_id] = gain
    order = {issue_id: n for n, issue_id in enumerate(form.issues)}
    ranked = sorted(by_issue.items(), key=lambda item: (-item[1], order[item[0]]))
    reasons = []
    for issue_id, numerator in ranked[:limit]:
        share = form.fraction(form.score, numerator)
        reasons.append(
            Reason(
                code=ReasonCode.POTENTIAL,
                subject=issue_id,
                message=f"issue {issue_id!r} can still bring {points(share)} points "
                f"toward the {points(target.min_score)} of {_grade_label(target.arobases)}",
                required=target.min_score - score,
                actual=share,
            )
        )
    return reasons


# --- reports -------------------------------------------------------------------------


def _reason_fr(reason: Reason) -> str:
    code, subject = reason.code, reason.subject
    if code == "opt-out-refused":
        return (
            f"le service « {subject} » est déclaré non applicable, mais les règles ne "
            "permettent pas à ce territoire d'y renoncer : il compte comme absent"
        )
    if code == "gate-waived":
        return f"condition levée sur « {subject} » : rien ne concerne ce territoire"
    if code == "potential" and reason.actual is not None:
        return f"l'enjeu « {subject} » peut encore apporter {_points_fr(reason.actual)} points"
    if code == "mention":
        return f"mention « {subject} » obtenue"
    if code == "no-concerned-service":
        return "aucun service du référentiel ne concerne ce territoire : le score est 0"
    kind = kind_of(code)
    if kind is RequiredService:
        return kind.reason_fr(subject, reason.required, reason.actual)
    if kind is not None and reason.required is not None and reason.actual is not None:
        return kind.reason_fr(subject, reason.required, reason.actual)
    return reason.message


def _explain(result: Assessment, lang: Literal["fr", "en"]) -> str:
    fr = lang == "fr"
    t = result.territory
    fmt = _points_fr if fr else points
    lines = []
    if fr:
        lines.append(
            f"{t.name} ({t.code}, {t.kind.value}, {t.population} hab.) — label {result.year}, "
            f"règles « {result.ruleset} »"
        )
        lines.append(
            f"Note : {arobases(result.grade)} ({result.grade} arobase"
            f"{'s' if result.grade > 1 else ''}) — score {fmt(result.score)}/100, "
            f"projeté {fmt(result.projected_score)}/100 si tout le prévu est déployé"
        )
    else:
        lines.append(
            f"{t.name} ({t.code}, {t.kind.value}, population {t.population}) — "
            f"label {result.year}, rules {result.ruleset!r}"
        )
        lines.append(
            f"Grade: {arobases(result.grade)} ({result.grade}) — score {fmt(result.score)}/100, "
            f"projected {fmt(result.projected_score)}/100 if everything planned is deployed"
        )
    if result.stratum is not None:
        lines.append(
            f"Strate : {result.stratum} (attentes selon la taille)"
            if fr
            else f"Stratum: {result.stratum} (size-aware expectations)"
        )
    lines.append("Thèmes :" if fr else "Themes:")
    lines.extend(f"  {key:<32} {fmt(value):>6}" for key, value in result.themes.items())
    if result.issues:
        mean = sum(result.issues.values(), _ZERO) / len(result.issues)
        weakest = sorted(result.issues.items(), key=lambda item: item[1])[:3]
        lines.append(
            f"Enjeux les plus faibles (moyenne des enjeux {fmt(mean)}) :"
            if fr
            else f"Weakest issues (mean of the issues {fmt(mean)}):"
        )
        lines.extend(f"  {key:<32} {fmt(value):>6}" for key, value in weakest)
    if result.mentions:
        lines.append(("Mentions : " if fr else "Mentions: ") + ", ".join(result.mentions))
    grouped: list[tuple[str, tuple[str, ...]]] = [
        ("Entrées corrigées :" if fr else "Overridden inputs:", ("opt-out-refused",)),
        (
            f"Pour {arobases(result.grade + 1)} :" if fr else f"For {arobases(result.grade + 1)}:",
            tuple(kind.code for kind in GRADE_KINDS),
        ),
        ("Où trouver les points :" if fr else "Where the points are:", ("potential",)),
        ("Conditions levées :" if fr else "Waived gates:", ("gate-waived",)),
    ]
    for title, codes in grouped:
        chosen = [r for r in result.reasons if r.code in codes]
        if chosen:
            lines.append(title)
            lines.extend(f"  - {_reason_fr(r) if fr else r.message}" for r in chosen)
    if result.grade >= MAX_GRADE:
        lines.append("Note maximale atteinte." if fr else "Highest grade reached.")
    return "\n".join(lines)
