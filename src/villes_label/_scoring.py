"""The one scoring formula: a dossier and a ruleset give an `Assessment`.

Pure: no I/O, no clock, no randomness, no global state. Every score is an
exact `fractions.Fraction`, so a dossier exactly on a threshold gets the grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, assert_never

import attrs

from villes_label._check import finish, lenient
from villes_label._conditions import (
    GRADE_KINDS,
    AtLeast,
    Atom,
    Condition,
    Deployed,
    GradeAtLeast,
    Outcome,
    Values,
    evaluate,
    kind_of,
)
from villes_label._errors import MAX_PROBLEMS, InvalidInput, Path, Problem, not_a, unknown_id
from villes_label._linear import LinearForm, Structure
from villes_label._rules import MAX_GRADE, GradeRule, MentionRule, Ruleset
from villes_label._territory import (
    EXPIRY_YEARS,
    FIRST_YEAR,
    LAST_YEAR,
    Dossier,
    Status,
    Territory,
    counts_from,
    effective_entries,
)
from villes_label._values import FrozenMap, is_instance, shown
from villes_label._vocabulary import ReasonCode, arobases, points, points_in

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["Assessment", "Reason", "assess"]

_ZERO = Fraction(0)
_ONE = Fraction(1)


def _fraction_or_none(value: Fraction | float | str | None) -> Fraction | None:
    return lenient(_OPTIONAL_FRACTION, value)  # type: ignore[no-any-return]


_OPTIONAL_FRACTION = Fraction | None


def _plain_str(value: str) -> str:
    # A `ReasonCode` is stored as its plain value: reasons print and compare as strings.
    return lenient(str, value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Reason:
    """One reason of an assessment, for programs (the fields) and people (the message).

    ``code`` is a stable kind: ``"grade"``, ``"min-score"``, ``"theme-gate"``,
    ``"issue-gate"``, ``"each-theme"``, ``"required-service"``, ``"gate-waived"``,
    ``"opt-out-refused"``, ``"action-expired"``, ``"potential"``, ``"mention"``,
    ``"no-concerned-service"``.

    >>> r = Reason(code="min-score", message="the score is 2 points short", subject=None)
    >>> str(r)
    'the score is 2 points short'
    """

    code: str = attrs.field(converter=_plain_str)
    message: str
    subject: str | None = None
    required: Fraction | None = attrs.field(default=None, converter=_fraction_or_none)
    actual: Fraction | None = attrs.field(default=None, converter=_fraction_or_none)

    def __attrs_post_init__(self) -> None:
        finish(self)

    @property
    def shortfall(self) -> Fraction | None:
        """How much ``actual`` lacks to reach ``required`` (``None`` when either is unknown)."""
        if self.required is None or self.actual is None:
            return None
        return max(_ZERO, self.required - self.actual)

    def __str__(self) -> str:
        return self.message


def _in_unit(value: object) -> bool:
    """Whether *value* is a `Fraction` in [0, 1] (compared on its integers: it is normalised)."""
    return isinstance(value, Fraction) and 0 <= value.numerator <= value.denominator


def _fraction_map(value: Mapping[str, Fraction]) -> FrozenMap[str, Fraction]:
    return lenient(Mapping[str, Fraction], value)  # type: ignore[no-any-return]


def _status_map(value: Mapping[str, Status]) -> FrozenMap[str, Status]:
    return lenient(Mapping[str, Status], value)  # type: ignore[no-any-return]


def _id_set(value: Iterable[str]) -> frozenset[str]:
    return lenient(frozenset[str], value)  # type: ignore[no-any-return]


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return lenient(tuple[str, ...], value)  # type: ignore[no-any-return]


def _reason_tuple(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return lenient(tuple[Reason, ...], value)  # type: ignore[no-any-return]


def _territory(value: Territory) -> Territory:
    return lenient(Territory, value)  # type: ignore[no-any-return]


def _score(value: Fraction | float | str) -> Fraction:
    return lenient(Fraction, value)  # type: ignore[no-any-return]


def _name_map(value: Mapping[str, str]) -> FrozenMap[str, str]:
    return lenient(Mapping[str, str], value)  # type: ignore[no-any-return]


def _points_fr(value: Fraction) -> str:
    return points_in(value, "fr")


@attrs.frozen(kw_only=True)
class Assessment:
    """The result of `assess`: score, grade, mentions and the reasons for them.

    ``stratum`` is the id of the ruleset's `Expectation` that graded the
    territory (``None`` when none applies: the share-of-potential model).

    Every score is an exact fraction of the potential, in [0, 1]; reports show
    it as points on the 0-100 scale (``Fraction(1, 2)`` is 50.0 points).

    Attributes:
        territory: the territory assessed.
        year: the label year of the dossier.
        ruleset: the name of the ruleset used.
        score: the overall score: the weighted mean of the themes that have a score.
        projected_score: the overall score as if every ``PLANNED`` service were deployed.
        grade: the arobases awarded, 0 (not labelled) to 5: the highest rule that holds.
        next_grade: the arobases of the next rule of the ruleset above ``grade``, whose
            failed conditions ``reasons`` lists (a ruleset may skip a grade); ``None``
            when no rule is above.
        themes: each theme's score, by theme id (only themes with a concerned service).
        issues: each issue's (enjeu's) score, by issue id (same rule).
        statuses: the effective status of every service of the referential.
        not_concerned: services that leave every denominator for this territory
            (out of its size or kind, or a permitted opt-out).
        undeclared: concerned services the dossier never mentions (unknown, not
            proven absent: `next_questions` ranks them).
        mentions: ids of the mentions awarded, in the ruleset's order.
        reasons: why this grade and not the next one, gates waived, inputs overridden.
        names: the names of the taxonomy's themes and issues and of every
            service a reason names, by id, so that reports show names beside ids.
        mention_names: the names of the mentions awarded, by id.
        stratum: the id of the `Expectation` that graded the territory, or ``None``.

    >>> from villes_label import assess, default_ruleset, referential
    >>> result = assess(referential.sample_dossier(), default_ruleset())
    >>> str(result)
    'Saint-Exemple-sur-Vilaine 2016: @@@ (score 60.4/100)'
    >>> result.summary()
    'Saint-Exemple-sur-Vilaine (2016) : @@@ (3 arobases), score 60,4 sur 100'
    >>> result.themes["democratie-services-publics"], result.names["democratie-services-publics"]
    (Fraction(3, 4), 'Démocratie et services publics')
    """

    territory: Territory = attrs.field(converter=_territory)
    year: int
    ruleset: str
    score: Fraction = attrs.field(converter=_score)
    projected_score: Fraction = attrs.field(converter=_score)
    grade: int
    next_grade: int | None = None
    themes: Mapping[str, Fraction] = attrs.field(converter=_fraction_map)
    issues: Mapping[str, Fraction] = attrs.field(converter=_fraction_map)
    statuses: Mapping[str, Status] = attrs.field(converter=_status_map)
    stratum: str | None = None
    not_concerned: frozenset[str] = attrs.field(converter=_id_set, factory=frozenset)
    undeclared: frozenset[str] = attrs.field(converter=_id_set, factory=frozenset)
    mentions: tuple[str, ...] = attrs.field(converter=_str_tuple, default=())
    reasons: tuple[Reason, ...] = attrs.field(converter=_reason_tuple, default=())
    names: Mapping[str, str] = attrs.field(converter=_name_map, factory=FrozenMap)
    mention_names: Mapping[str, str] = attrs.field(converter=_name_map, factory=FrozenMap)

    def __attrs_post_init__(self) -> None:
        # `assess` builds consistent values; this guards values read from data.
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "year" not in failed and not FIRST_YEAR <= self.year <= LAST_YEAR:
            yield Problem(("year",), f"{self.year} is outside {FIRST_YEAR}..{LAST_YEAR}")
        if "grade" not in failed and not 0 <= self.grade <= MAX_GRADE:
            yield Problem(("grade",), f"{self.grade} is outside 0..{MAX_GRADE}")
        following = self.next_grade
        if (
            following is not None
            and not {"grade", "next_grade"} & failed
            and 0 <= self.grade <= MAX_GRADE
            and not self.grade < following <= MAX_GRADE
        ):
            yield Problem(("next_grade",), f"{following} is outside {self.grade + 1}..{MAX_GRADE}")
        for name in ("score", "projected_score"):
            value = getattr(self, name)
            if name not in failed and not _in_unit(value):
                yield Problem((name,), f"{value} is not a fraction in [0, 1]")
        for name in ("themes", "issues"):
            if name in failed:
                continue
            for key, value in getattr(self, name).items():
                if not _in_unit(value):
                    yield Problem((name, key), f"{value} is not a fraction in [0, 1]")
        if "mentions" not in failed and len(set(self.mentions)) != len(self.mentions):
            seen: set[str] = set()
            for n, mention in enumerate(self.mentions):
                if mention in seen:
                    yield Problem(("mentions", n), f"mention {shown(mention)} is listed twice")
                seen.add(mention)

    def reasons_of(self, code: str) -> tuple[Reason, ...]:
        """The reasons of one kind (``"min-score"``, ``"gate-waived"``, ...)."""
        if not isinstance(code, str):
            raise not_a("code", "a reason code (a str)", code)
        return tuple(reason for reason in self.reasons if reason.code == code)

    def __str__(self) -> str:
        # A short English line for logs and the REPL; people read `summary` or `explain`.
        return (
            f"{self.territory.name} {self.year}: {arobases(self.grade)} "
            f"(score {points(self.score)}/100)"
        )

    def summary(self, lang: Literal["fr", "en"] = "fr") -> str:
        """One line for people: territory, year, grade and score, in *lang*."""
        from villes_label import _text  # noqa: PLC0415 - reports load on first use

        lang = _text.check_lang(lang)
        c = _text.colon(lang)
        out_of = "sur" if lang == "fr" else "out of"
        return (
            f"{self.territory.name} ({self.year}){c} {_text.grade_label(self.grade, lang)}, "
            f"score {_text.number(self.score, lang)} {out_of} 100"
        )

    def explain(self, lang: Literal["fr", "en"] = "fr") -> str:
        """A readable multi-line report, in French by default (English on demand).

        Names stand beside ids; scores are points on the 0-100 scale.
        """
        from villes_label import _text  # noqa: PLC0415 - reports load on first use

        return _explain(self, _text.check_lang(lang))

    def reason_texts(self, lang: Literal["fr", "en"] = "fr") -> tuple[str, ...]:
        """The sentence of each reason in *lang*, names beside ids, in the order of ``reasons``."""
        from villes_label import _text  # noqa: PLC0415 - reports load on first use

        lang = _text.check_lang(lang)
        return tuple(self._reason_text(reason, lang) for reason in self.reasons)

    def in_language(self, lang: Literal["fr", "en"]) -> Assessment:
        """The same assessment whose reasons' messages are in *lang*, names beside ids.

        For programs that show the messages of a JSON assessment to people
        (``villes-label score --json --lang fr``); codes and figures are unchanged.
        """
        texts = self.reason_texts(lang)
        reasons = tuple(
            attrs.evolve(reason, message=text)
            for reason, text in zip(self.reasons, texts, strict=True)
        )
        return attrs.evolve(self, reasons=reasons)

    def _reason_text(self, reason: Reason, lang: Literal["fr", "en"]) -> str:
        from villes_label import _text  # noqa: PLC0415 - reports load on first use

        text = _text.reason_text(
            reason,
            lang,
            names=self.names,
            mention_names=self.mention_names,
            statuses=self.statuses,
            grade=self.grade,
        )
        # A kind of condition the texts do not word yet speaks French by itself.
        kind = kind_of(reason.code)
        required, actual = reason.required, reason.actual
        worded = lang == "fr" and text == reason.message and kind is not None
        if worded and kind is not None and required is not None and actual is not None:
            return kind.reason_fr(reason.subject, required, actual)
        return text

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The assessment as an HTML fragment for notebooks: names and ids side by side."""
        import html  # noqa: PLC0415 - only notebooks need it; keeps `import` light

        from villes_label import _text  # noqa: PLC0415

        lang = _text.check_lang(lang)
        fr = lang == "fr"
        t = self.territory

        def row(key: str, value: Fraction) -> str:
            return (
                f"<tr><td>{html.escape(self.names.get(key, key))}</td>"
                f"<td><code>{html.escape(key)}</code></td>"
                f"<td>{_text.number(value, lang)}</td></tr>"
            )

        def table(title: str, values: Mapping[str, Fraction]) -> str:
            head = f"<tr><th>{title}</th><th>id</th><th>{'Score'}</th></tr>"
            body = "".join(row(key, value) for key, value in values.items())
            return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"

        reasons = "".join(
            f"<li><code>{html.escape(r.code)}</code> {html.escape(self._reason_text(r, lang))}</li>"
            for r in self.reasons
        )
        none = "aucune" if fr else "none"
        mentions = (
            ", ".join(html.escape(_text.named(m, self.mention_names)) for m in self.mentions)
            or none
        )
        head = (
            f"{html.escape(t.name)} ({html.escape(t.code)}) — {self.year}{_text.colon(lang)} "
            f"{html.escape(_text.grade_label(self.grade, lang))}, score "
            f"{_text.number(self.score, lang)} {'sur' if fr else 'out of'} 100"
        )
        projected = (
            f"Score projeté {_text.number(self.projected_score, lang)} ; mentions{_text.colon(lang)} "
            if fr
            else f"Projected score {_text.number(self.projected_score, lang)}; mentions: "
        )
        return (
            '<div class="villes-label-assessment">'
            f"<h4>{head}</h4><p>{projected}{mentions}</p>"
            f"{table('Thème' if fr else 'Theme', self.themes)}"
            f"<details><summary>{'Enjeux' if fr else 'Issues'}</summary>"
            f"{table('Enjeu' if fr else 'Issue', self.issues)}</details>"
            f"<details><summary>{'Raisons' if fr else 'Reasons'}</summary>"
            f"<ul>{reasons}</ul></details></div>"
        )


# --- the formula -------------------------------------------------------------------


def check_ids(dossier: Dossier, ruleset: Ruleset) -> None:
    """Raise `InvalidInput` naming every service id of *dossier* unknown to *ruleset*.

    A former id that the taxonomy still reads (one of its ``aliases``) is known.
    """
    known = ruleset.taxonomy.service_ids
    retired = ruleset.taxonomy.aliases
    # Set operations first: a valid dossier costs no loop in Python.
    unknown: list[tuple[Path, str]] = [
        (("services", sid), sid) for sid in sorted(dossier.services.keys() - known - retired.keys())
    ]
    for n, action in enumerate(dossier.actions):
        if not action.services <= known:
            unknown.extend(
                (("actions", n, "services", sid), sid)
                for sid in sorted(action.services - known - retired.keys())
            )
    if unknown:
        # Only the problems shown get the (costly) search for the closest ids.
        listed = unknown[:MAX_PROBLEMS]
        raise InvalidInput(
            *(Problem(path, unknown_id("service", sid, known)) for path, sid in listed),
            more=len(unknown) - len(listed),
        )


def read_retired_ids(dossier: Dossier, ruleset: Ruleset) -> tuple[Dossier, tuple[Reason, ...]]:
    """*dossier* with every former service id read as its successor, and a reason for each.

    Call after `check_ids`. A dossier without former ids is returned as is.
    Statuses merge as `villes_label.migrate` merges them: the best one wins.
    """
    aliases = ruleset.taxonomy.aliases
    if not aliases:
        return dossier, ()
    retired = sorted(sid for sid in dossier.declared if sid in aliases)
    if not retired:
        return dossier, ()
    from villes_label._migrate import migrate  # noqa: PLC0415 - only old dossiers need it

    carried = migrate(dossier, ruleset.taxonomy, {sid: aliases[sid] for sid in retired})
    reasons = tuple(
        Reason(
            code=ReasonCode.RETIRED_ID,
            subject=sid,
            message=f"service {sid!r} is a former id of the referential: read as {aliases[sid]!r}",
        )
        for sid in retired
    )
    return carried.dossier, reasons


def _year_reasons(dossier: Dossier, ruleset: Ruleset) -> list[Reason]:
    if dossier.year == ruleset.year:
        return []
    return [
        Reason(
            code=ReasonCode.YEAR_MISMATCH,
            message=f"the dossier is of {dossier.year} but the rules are those of "
            f"{ruleset.year}: it is assessed on another year's rules",
            required=Fraction(ruleset.year),
            actual=Fraction(dossier.year),
        )
    ]


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


def expired_reasons(dossier: Dossier) -> list[Reason]:
    """One ``"action-expired"`` reason per action too old to count (`Dossier.expired_actions`).

    The rule itself lives where the effective statuses are computed
    (`effective_entries`): an expired action raises no status, so the services it
    delivered fall back to their own entries and to the other actions. The reasons
    follow the actions' ids (unique in a dossier), so the order of the actions changes
    nothing.
    """
    return [
        Reason(
            code=ReasonCode.ACTION_EXPIRED,
            subject=action.id,
            message=f"action {action.id!r} dates from {action.date}, more than "
            f"{EXPIRY_YEARS} years before the {dossier.year} label (it counts from "
            f"{counts_from(dossier.year)}) and is not ongoing: it does not count, and the "
            "services it delivered keep only their own entries and other actions",
        )
        for action in sorted(dossier.expired_actions, key=lambda action: action.id)
    ]


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
    (3, Fraction(29, 48))
    """
    if not is_instance(dossier, Dossier):
        raise InvalidInput(
            Problem(("dossier",), f"expected a Dossier, got {type(dossier).__name__}")
        )
    if not is_instance(ruleset, Ruleset):
        raise InvalidInput(
            Problem(("ruleset",), f"expected a Ruleset, got {type(ruleset).__name__}")
        )
    check_ids(dossier, ruleset)
    dossier, read_as = read_retired_ids(dossier, ruleset)
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

    reasons: list[Reason] = [*_year_reasons(dossier, ruleset), *read_as]
    reasons += expired_reasons(dossier)
    reasons += [
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
        next_grade=next_rules[0].arobases if next_rules else None,
        stratum=None if expectation is None else expectation.stratum,
        themes=themes,
        issues=issues,
        statuses=statuses,
        not_concerned=scope.not_concerned,
        undeclared=frozenset(sid for sid in scope.concerned if sid not in entries),
        mentions=tuple(mentions),
        reasons=tuple(reasons),
        names=_names(ruleset, reasons),
        mention_names={m.id: m.name for m in ruleset.mentions if m.id in mentions},
    )


def _names(ruleset: Ruleset, reasons: Iterable[Reason]) -> dict[str, str]:
    """The names a report of the assessment shows: every theme and issue, the services reasons name."""
    taxonomy = ruleset.taxonomy
    names = {theme.id: theme.name for theme in taxonomy.themes}
    names.update((issue.id, issue.name) for issue in taxonomy.issues)
    services = taxonomy.service_ids
    for reason in reasons:
        if reason.subject is not None and reason.subject in services and reason.code != "mention":
            names[reason.subject] = taxonomy.service(reason.subject).name
    return names


def _potential(
    form: LinearForm,
    credits: Mapping[str, int],
    target: GradeRule,
    score: Fraction,
    limit: int = 3,
) -> list[Reason]:
    """Where the missing points of the next grade can come from: the richest issues.

    An issue can still bring what it lacks to be fully covered (its potential,
    or its expectation), times its weight in the score, as far as its theme is
    not covered already.
    """
    if score >= target.min_score:
        return []
    # Each issue's possible gain, as a numerator of the score.
    by_issue = {issue_id: gain for issue_id, gain in form.issue_potential(credits).items() if gain}
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


def _explain(result: Assessment, lang: Literal["fr", "en"]) -> str:
    from villes_label import _text  # noqa: PLC0415 - reports load on first use

    fr = lang == "fr"
    c = _text.colon(lang)
    t = result.territory

    def number(value: Fraction) -> str:
        return _text.number(value, lang)

    def table(values: Iterable[tuple[str, Fraction]]) -> list[str]:
        rows = [(_text.named(key, result.names), number(value)) for key, value in values]
        width = max((len(label) for label, _ in rows), default=0)
        return [f"  {label:<{width}}  {value:>5}" for label, value in rows]

    place = (
        f"{t.name} ({t.code}, {_text.kind_word(t.kind, lang)}, "
        f"{_text.population(t.population, lang)})"
    )
    if fr:
        lines = [
            f"{place} — label {result.year}, règles « {result.ruleset} »",
            "Scores en points sur 100.",
            (
                f"Note{c} {_text.grade_label(result.grade, lang)} — score {number(result.score)} "
                f"({number(result.projected_score)} si tout le prévu est déployé)"
            ),
        ]
    else:
        lines = [
            f"{place} — label {result.year}, rules {result.ruleset!r}",
            "Scores in points out of 100.",
            (
                f"Grade{c} {_text.grade_label(result.grade, lang)} — score {number(result.score)} "
                f"({number(result.projected_score)} if everything planned is deployed)"
            ),
        ]
    if result.stratum is not None:
        lines.append(
            f"Strate{c} {result.stratum} (attentes selon la taille)"
            if fr
            else f"Stratum{c} {result.stratum} (size-aware expectations)"
        )
    lines.append(f"Thèmes{c}" if fr else f"Themes{c}")
    lines.extend(table(result.themes.items()))
    if result.issues:
        mean = sum(result.issues.values(), _ZERO) / len(result.issues)
        weakest = sorted(result.issues.items(), key=lambda item: item[1])[:3]
        lines.append(
            f"Enjeux les plus faibles (moyenne des enjeux {number(mean)}){c}"
            if fr
            else f"Weakest issues (mean of the issues {number(mean)}){c}"
        )
        lines.extend(table(weakest))
    if result.mentions:
        lines.append(
            f"Mentions{c} "
            + ", ".join(_text.named(m, result.mention_names) for m in result.mentions)
        )
    # The conditions listed are those of the next rule present: a ruleset may skip a grade.
    after = (
        _text.arobases(result.next_grade)
        if result.next_grade is not None
        else ("la note suivante" if fr else "the next grade")
    )
    grouped: list[tuple[str, tuple[str, ...]]] = [
        (f"Attention{c}" if fr else f"Warning{c}", ("year-mismatch",)),
        (
            f"Entrées corrigées{c}" if fr else f"Overridden inputs{c}",
            ("retired-id", "opt-out-refused", ReasonCode.ACTION_EXPIRED),
        ),
        (
            f"Pour {after}{c}" if fr else f"For {after}{c}",
            tuple(kind.code for kind in GRADE_KINDS),
        ),
        (f"Où trouver les points{c}" if fr else f"Where the points are{c}", ("potential",)),
        (f"Conditions levées{c}" if fr else f"Waived gates{c}", ("gate-waived",)),
    ]
    named = {code for _, codes in grouped for code in codes} | {"grade", "mention"}
    grouped.append(
        (
            f"Autres remarques{c}" if fr else f"Other remarks{c}",
            tuple(sorted({r.code for r in result.reasons} - named)),
        )
    )
    for title, codes in grouped:
        chosen = [r for r in result.reasons if r.code in codes]
        if chosen:
            lines.append(title)
            lines.extend(f"  - {result._reason_text(r, lang)}" for r in chosen)  # noqa: SLF001
    if result.grade >= MAX_GRADE:
        lines.append("Note maximale atteinte." if fr else "Highest grade reached.")
    return "\n".join(lines)
