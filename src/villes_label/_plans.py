"""Diagnostics and recommendations: the shortest plan to a grade, the questions to ask first.

Pure: no I/O, no clock, no randomness, no global state. Gains are exact
`fractions.Fraction` values; the search runs on integers over their common
denominator, which is exact too.

The plan is optimal, not merely good: the fewest steps that make the target's
rule hold, then the largest gain, then the services that come first in the
taxonomy. Why the search below finds it is told in the docs page *How a plan is
found* (``docs/explanation/plans.md``).
"""

from __future__ import annotations

import heapq
import html
import itertools
import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, assert_never

import attrs

from villes_label import _text
from villes_label._check import finish, lenient, text_problem
from villes_label._conditions import (
    AtLeast,
    Atom,
    Condition,
    Deployed,
    GradeAtLeast,
    Values,
    demands,
    evaluate,
)
from villes_label._costs import cheapest
from villes_label._errors import (
    MAX_PROBLEMS,
    InvalidInput,
    Problem,
    more_unknown_ids,
    unknown_id,
)
from villes_label._linear import LinearForm, Progress, Quantity, QuantityKind, Structure
from villes_label._rules import MAX_GRADE, GradeRule, Ruleset
from villes_label._scoring import assess, check_ids, check_rule, read_retired_ids
from villes_label._territory import Dossier, Status, effective_entries
from villes_label._values import MAX_DIGITS, shown, too_big
from villes_label._vocabulary import ReasonCode, points

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["Effect", "Plan", "Step", "next_questions", "recommend"]

_ZERO = Fraction(0)


def _status(value: Status | str) -> Status:
    return lenient(Status, value)  # type: ignore[no-any-return]


def _gain(value: Fraction | int | str) -> Fraction:
    return lenient(Fraction, value)  # type: ignore[no-any-return]


def _steps(value: Iterable[Step]) -> tuple[Step, ...]:
    return lenient(tuple[Step, ...], value)  # type: ignore[no-any-return]


def _effects(value: Iterable[Effect]) -> tuple[Effect, ...]:
    return lenient(tuple[Effect, ...], value)  # type: ignore[no-any-return]


def _optional_fraction(value: Fraction | int | str | None) -> Fraction | None:
    return lenient(Fraction | None, value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Effect:
    """What one step does to one condition of the target's rule that fails today.

    A step lists the conditions that still fail when it is taken (after the
    plan's earlier steps) and whose quantity it raises.

    Attributes:
        code: the kind of condition, as the assessment's reason codes:
            ``"min-score"``, ``"theme-gate"``, ``"issue-gate"``, ``"each-theme"``
            or ``"required-service"``.
        subject: the theme, issue or service id the condition reads (``None``
            for the overall score).
        name: the subject's name (``""`` for the overall score).
        required: the threshold of the condition (``None`` for a required service).
        before: the quantity before the step (after the plan's earlier steps).
        after: the quantity after the step.

    Quantities are exact scores in [0, 1] (``Fraction(1, 2)`` is 50.0 points).

    >>> effect = Effect(code="issue-gate", subject="democratie-locale",
    ...                 name="Démocratie locale", required=Fraction(1, 2),
    ...                 before=Fraction(5, 16), after=Fraction(7, 16))
    >>> effect.text("fr")
    'enjeu Démocratie locale 31,3 → 43,8 (50,0 requis)'
    >>> effect.met
    False
    """

    code: str
    subject: str | None = None
    name: str = ""
    required: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    before: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    after: Fraction | None = attrs.field(default=None, converter=_optional_fraction)

    def __attrs_post_init__(self) -> None:
        finish(self)

    @property
    def met(self) -> bool:
        """Whether the condition holds after the step (a required service always does)."""
        if self.required is None or self.after is None:
            return True
        return self.after >= self.required

    def text(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The effect as people read it: ``'enjeu Démocratie locale 31,3 → 43,8 (50,0 requis)'``."""
        lang = _text.check_lang(lang)
        label = self.name or self.subject or ""
        if self.code == ReasonCode.REQUIRED_SERVICE:
            return f"service obligatoire {label}" if lang == "fr" else f"required service {label}"
        what = _text.gate_word(self.code, lang)
        what = f"{what} {label}" if label else what
        if self.before is None or self.after is None:
            return what
        change = f"{_text.number(self.before, lang)} → {_text.number(self.after, lang)}"
        if self.required is None:
            return f"{what} {change}"
        needed = "requis" if lang == "fr" else "required"
        if self.code == ReasonCode.EACH_THEME:
            needed = "requis de chaque thème" if lang == "fr" else "required of every theme"
        return f"{what} {change} ({_text.number(self.required, lang)} {needed})"


def _step_problems(step: Step, failed: set[str]) -> Iterator[Problem]:
    if "service" not in failed and (problem := text_problem(step.service)):
        yield Problem(("service",), problem)
    if "proposed" not in failed and step.proposed is Status.NOT_APPLICABLE:
        yield Problem(("proposed",), "a step cannot propose not_applicable")
    if "gain" not in failed and step.gain < _ZERO:
        yield Problem(("gain",), f"a step cannot lower the score, got {step.gain}")


def _plan_problems(plan: Plan, failed: set[str]) -> Iterator[Problem]:
    if "target" not in failed and not 0 <= plan.target <= MAX_GRADE:
        yield Problem(("target",), f"{plan.target} is outside 0..{MAX_GRADE}")
    if "steps" in failed:
        return
    seen: set[str] = set()
    for n, step in enumerate(plan.steps):
        if step.service in seen:
            yield Problem(("steps", n, "service"), f"{shown(step.service)} appears twice")
        seen.add(step.service)
    if plan.reachable is False and plan.steps:
        yield Problem(("steps",), "an unreachable plan has no steps")
    if "score" not in failed and plan.score is not None and not _ZERO <= plan.score <= 1:
        yield Problem(("score",), f"{plan.score} is not a fraction in [0, 1]")


def _check_dossier(dossier: object) -> None:
    if not isinstance(dossier, Dossier):
        raise InvalidInput(
            Problem(("dossier",), f"expected a Dossier, got {type(dossier).__name__}")
        )


@attrs.frozen(kw_only=True)
class Step:
    """One step of a plan: bring one concerned service from its status to ``proposed``.

    Attributes:
        service: the id of the service.
        current: the status the dossier gives it (a ``NOT_APPLICABLE`` that the
            rules refuse earns as ``ABSENT``).
        proposed: the status the step brings it to (``DEPLOYED``).
        gain: the increase of the overall score this step brings once the steps
            listed before it are taken, a share of the potential (``Fraction(1, 16)``
            is 6.25 points out of 100), so the gains of a plan add up to its whole
            increase. Under the share-of-potential model it is also what the step
            brings alone; under size-aware expectations a step into an issue that
            earlier steps covered brings less.
        name: the service's name (``""`` when unknown).
        effects: what the step does to each condition of the target's rule
            that fails today and that it serves, in the plan's order: the
            quantity before and after it (see `Effect`).

    >>> step = Step(service="budget-participatif", name="Budget participatif",
    ...             current=Status.PLANNED, proposed=Status.DEPLOYED, gain=Fraction(1, 128))
    >>> str(step)
    'Budget participatif [budget-participatif]: planned → deployed (+0.8 points)'
    >>> step.summary("fr")
    'Budget participatif [budget-participatif] : prévu → déployé, +0,8 point'
    """

    service: str
    current: Status = attrs.field(converter=_status)
    proposed: Status = attrs.field(converter=_status)
    gain: Fraction = attrs.field(converter=_gain)
    name: str = ""
    effects: tuple[Effect, ...] = attrs.field(converter=_effects, default=())

    def __attrs_post_init__(self) -> None:
        finish(self, lambda failed: _step_problems(self, failed))

    def __str__(self) -> str:
        # A short English line for logs and the REPL; people read `summary`.
        return (
            f"{_text.named(self.service, {self.service: self.name})}: {self.current.value} → "
            f"{self.proposed.value} (+{points(self.gain)} points)"
        )

    def summary(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The step in one line of *lang*: the service, its statuses and its gain."""
        lang = _text.check_lang(lang)
        return (
            f"{_text.named(self.service, {self.service: self.name})}{_text.colon(lang)} "
            f"{_text.status_word(self.current, lang)} → {_text.status_word(self.proposed, lang)}, "
            f"+{_text.amount(self.gain, lang)}"
        )


def _target_label(target: int, *, fr: bool) -> str:
    return _text.grade_label(target, "fr" if fr else "en")


@attrs.frozen(kw_only=True)
class Plan:
    """What to deploy to reach a grade: the result of `recommend`.

    Attributes:
        target: the grade to reach, 0..5.
        reachable: ``False`` (and ``steps`` empty) when even deploying every
            concerned service that may be proposed does not reach ``target``.
            A reachable plan without steps means the target is already reached.
        steps: the steps, in the order the plan takes them (see `Step`).
        score: the overall score before the plan (``None`` when unknown); the
            score after it is ``score + gain``.

    >>> step = Step(service="budget-participatif", current="planned",
    ...             proposed="deployed", gain=Fraction(1, 32))
    >>> plan = Plan(target=4, reachable=True, steps=(step,))
    >>> plan.gain
    Fraction(1, 32)
    >>> print(plan)
    Plan for @@@@ (grade 4): 1 step, +3.1 points: budget-participatif (+3.1)
    """

    target: int
    reachable: bool
    steps: tuple[Step, ...] = attrs.field(converter=_steps, default=())
    score: Fraction | None = attrs.field(default=None, converter=_optional_fraction)

    def __attrs_post_init__(self) -> None:
        finish(self, lambda failed: _plan_problems(self, failed))

    @property
    def gain(self) -> Fraction:
        """The increase of the overall score if every step is taken (the sum of their gains)."""
        return sum((step.gain for step in self.steps), _ZERO)

    def apply(self, dossier: Dossier) -> Dossier:
        """Return *dossier* with every step taken (each service set to its proposed status).

        >>> from villes_label import default_ruleset, referential
        >>> d = referential.sample_dossier()
        >>> plan = recommend(d, default_ruleset())
        >>> assess(plan.apply(d), default_ruleset()).grade >= plan.target
        True
        """
        _check_dossier(dossier)
        for step in self.steps:
            dossier = dossier.with_status(step.service, step.proposed)
        return dossier

    def __str__(self) -> str:
        # A short English line for logs and the REPL; people read `summary` or `explain`.
        head = f"Plan for {_target_label(self.target, fr=False)}"
        if not self.reachable:
            return f"{head}: out of reach, even with every concerned service deployed"
        if not self.steps:
            return f"{head}: already reached, nothing to do"
        count = f"{len(self.steps)} step{'s' if len(self.steps) > 1 else ''}"
        listed = ", ".join(f"{step.service} (+{points(step.gain)})" for step in self.steps)
        return f"{head}: {count}, +{points(self.gain)} points: {listed}"

    def summary(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The plan's first line in *lang*: target, number of steps, gain of the overall score."""
        lang = _text.check_lang(lang)
        fr = lang == "fr"
        c = _text.colon(lang)
        label = _text.grade_label(self.target, lang)
        if not self.reachable:
            if fr:
                return (
                    f"Objectif{c} {label} — hors d'atteinte{c} même en déployant tous les "
                    "services concernés proposables, une condition de la note reste manquée"
                )
            return (
                f"Target{c} {label} — out of reach{c} even with every concerned service that "
                "may be proposed deployed, a condition of its rule still fails"
            )
        if not self.steps:
            if fr:
                return f"Objectif{c} {label} — déjà atteint, rien à faire"
            return f"Target{c} {label} — already reached, nothing to do"
        n = len(self.steps)
        plural = "s" if n > 1 else ""
        change = ""
        if self.score is not None:
            after = self.score + self.gain
            change = f" ({_text.number(self.score, lang)} → {_text.number(after, lang)})"
        if fr:
            return (
                f"Objectif{c} {label} — {n} étape{plural}, +{_text.amount(self.gain, lang)} "
                f"au score global{change}"
            )
        return f"Target{c} {label} — {n} step{plural}, +{_text.amount(self.gain, lang)} overall{change}"

    def explain(self, lang: Literal["fr", "en"] = "fr") -> str:
        """A readable multi-line report, in French by default (English on demand).

        Scores and gains are points on the 0-100 scale. Each step says what it
        does to each failing condition of the target's rule that it serves.

        >>> step = Step(service="budget-participatif", current="planned",
        ...             proposed="deployed", gain=Fraction(1, 32))
        >>> print(Plan(target=4, reachable=True, steps=(step,)).explain())
        Objectif : @@@@ (4 arobases) — 1 étape, +3,1 points au score global
          1. budget-participatif : prévu → déployé, +3,1 points
        """
        lang = _text.check_lang(lang)
        lines = [self.summary(lang)]
        for rank, step in enumerate(self.steps, 1):
            line = f"  {rank}. {step.summary(lang)}"
            if step.effects:
                line += " ; " if lang == "fr" else "; "
                line += ", ".join(effect.text(lang) for effect in step.effects)
            lines.append(line)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The plan as an HTML fragment for notebooks: names and ids side by side."""
        lang = _text.check_lang(lang)
        fr = lang == "fr"
        head = html.escape(self.summary(lang))
        if not self.steps:
            return f'<div class="villes-label-plan"><h4>{head}</h4></div>'
        rows = "".join(
            f"<tr><td>{n}</td><td>{html.escape(step.name)}</td>"
            f"<td><code>{html.escape(step.service)}</code></td>"
            f"<td>{_text.status_word(step.current, lang)}</td>"
            f"<td>{_text.status_word(step.proposed, lang)}</td>"
            f"<td>+{_text.number(step.gain, lang)}</td>"
            f"<td>{html.escape(', '.join(e.text(lang) for e in step.effects))}</td></tr>"
            for n, step in enumerate(self.steps, 1)
        )
        titles = (
            ("Service", "id", "Aujourd'hui", "Proposé", "Gain", "Effet")
            if fr
            else ("Service", "id", "Now", "Proposed", "Gain", "Effect")
        )
        cells = "".join(f"<th>{title}</th>" for title in titles)
        return (
            f'<div class="villes-label-plan"><h4>{head}</h4>'
            f"<table><thead><tr><th>#</th>{cells}</tr></thead><tbody>{rows}</tbody></table></div>"
        )


# --- validation ----------------------------------------------------------------------


def _check_models(dossier: object, ruleset: object) -> None:
    _check_dossier(dossier)
    if not isinstance(ruleset, Ruleset):
        raise InvalidInput(
            Problem(("ruleset",), f"expected a Ruleset, got {type(ruleset).__name__}")
        )


def _id_problems(dossier: Dossier, ruleset: Ruleset) -> list[Problem]:
    try:
        check_ids(dossier, ruleset)
    except InvalidInput as error:
        return list(error.details)
    return []


def _target_problems(target: object, ruleset: Ruleset) -> list[Problem]:
    if target is None:
        return []
    where = ("target",)
    if isinstance(target, bool) or not isinstance(target, int):
        return [
            Problem(where, f"expected an int or None, got {type(target).__name__} {shown(target)}")
        ]
    if not 0 <= target <= MAX_GRADE:
        return [Problem(where, f"{shown(target)} is outside 0..{MAX_GRADE}")]
    if target and ruleset.grade_rule(target) is None:
        known = ", ".join(str(rule.arobases) for rule in ruleset.grades)
        return [Problem(where, f"the ruleset has no rule for grade {target} (its grades: {known})")]
    return []


# --- the plan ------------------------------------------------------------------------


class _Pool:
    """Services chosen for sure (``base``) and those still open, best first (``rest``).

    Every quantity a gate reads is a weighted sum of the services under it,
    so a choice of services is measured in one unit: its gain of the score's
    numerator. ``rest`` is sorted by that gain, largest first, then in
    taxonomy order: the order in which the plan takes them.
    """

    __slots__ = ("base", "gain", "rest")

    def __init__(self, base: list[str], gain: int, rest: list[tuple[int, int, str]]) -> None:
        self.base, self.gain, self.rest = base, gain, rest

    def reach(self, need: int) -> bool:
        """Move the fewest best open services into ``base`` so that its gain reaches *need*."""
        taken = 0
        gain = self.gain
        rest = self.rest
        while gain < need and taken < len(rest):
            gain -= rest[taken][0]  # gains are stored negated, to sort largest first
            taken += 1
        if gain < need:
            return False
        self.base.extend(sid for _, _, sid in rest[:taken])
        self.gain = gain
        del rest[:taken]
        return True


def _merge(pools: Sequence[_Pool]) -> _Pool:
    base = [sid for pool in pools for sid in pool.base]
    rest = sorted(item for pool in pools for item in pool.rest)
    return _Pool(base, sum(pool.gain for pool in pools), rest)


def _need(threshold: Fraction, quantity: Quantity, numerator: int, form: LinearForm) -> int:
    """How much *quantity*'s numerator must still grow to reach *threshold* (rounded up)."""
    return math.ceil(threshold * quantity.denominator * form.scale) - numerator


def _search(
    form: LinearForm,
    rule: GradeRule,
    *,
    candidates: Sequence[str],
    gain_of: Mapping[str, int],
    credits: Mapping[str, int],
) -> frozenset[str] | None:
    """The best set of services to deploy for *rule*, or ``None`` when none reaches it.

    Best: fewest services, then largest gain, then earliest in taxonomy order.
    *gain_of* is each candidate's gain of the score's numerator; *credits*
    every concerned service's credit, in the form's units.
    """
    minimum, required = demands(rule, form)
    score_minimum = minimum.get((QuantityKind.SCORE, ""), _ZERO)
    if not form.concerned:
        # Nothing concerns the territory: every gate is waived and the score is 0.
        return frozenset() if score_minimum <= 0 else None
    rank = {sid: n for n, sid in enumerate(form.concerned)}
    open_ = set(candidates)
    score, theme_numerators, issue_numerators = form.numerators(credits)
    themes: list[_Pool] = []
    for theme_id, issue_ids in form.issues_of_theme.items():
        theme_factor = form.theme_factor[theme_id]
        pools = []
        for issue_id in issue_ids:
            quantity = form.issues[issue_id]
            forced = [sid for sid in quantity.services if sid in open_ and sid in required]
            rest = sorted(
                (-gain_of[sid], rank[sid], sid)
                for sid in quantity.services
                if sid in open_ and sid not in required
            )
            pool = _Pool(forced, sum(gain_of[sid] for sid in forced), rest)
            threshold = minimum.get((QuantityKind.ISSUE, issue_id))
            if threshold is not None:
                # In the score's units: an issue's numerator weighs factor times more there.
                factor = form.issue_factor[issue_id] * theme_factor
                need = _need(threshold, quantity, issue_numerators[issue_id], form)
                if not pool.reach(need * factor):
                    return None
            pools.append(pool)
        pool = _merge(pools)
        threshold = minimum.get((QuantityKind.THEME, theme_id))
        if threshold is not None:
            theme = form.themes[theme_id]
            need = _need(threshold, theme, theme_numerators[theme_id], form)
            if not pool.reach(need * theme_factor):
                return None
        themes.append(pool)
    overall = _merge(themes)
    if not overall.reach(_need(score_minimum, form.score, score, form)):
        return None
    return frozenset(overall.base)


# --- the plan under size-aware expectations ----------------------------------------
#
# Once an issue saturates, a service's gain depends on what else is deployed in
# its issue, and the greedy pools above no longer give the fewest steps. The
# gain of a choice of services inside one issue depends only on the credit they
# add (capped at what the issue lacks to be covered), so the best choice for
# each number of steps is found issue by issue, then issues and themes are
# joined by counts. A choice is (gain, mask): the gain of the score's numerator,
# and one bit per service with the higher bits for the services that come first
# in the taxonomy. Among sets of the same size a larger mask is exactly a set
# whose sorted taxonomy ranks are lexicographically smaller, so "larger gain,
# then taxonomy order" is tuple order, and joining two disjoint choices is
# adding their pairs.
_Choice = tuple[int, int]
_Table = dict[int, _Choice]


def _join(left: _Table, right: _Table) -> _Table:
    """The best choice for each count, taking some steps from each side."""
    joined: _Table = {}
    for j, (gain, mask) in left.items():
        for k, (more, bits) in right.items():
            candidate = (gain + more, mask + bits)
            best = joined.get(j + k)
            if best is None or candidate > best:
                joined[j + k] = candidate
    return joined


def _frontier(table: _Table) -> _Table:
    """The entries of *table* that gain more than every smaller count does.

    The plan is the fewest steps that reach the target: a count that gains no
    more than a smaller one is never part of it (the smaller one reaches
    whatever it reaches, in fewer steps), so the joins can leave it out.
    """
    kept: _Table = {}
    best = -1
    for count in sorted(table):
        choice = table[count]
        if choice[0] > best:
            kept[count] = choice
            best = choice[0]
    return kept


def _earliest_reaching(
    ordered: Sequence[str], adds: Mapping[str, int], count: int, room: int
) -> list[str]:
    """The *count* services of *ordered* that come first in taxonomy order and reach *room*.

    *ordered* is in taxonomy order, and its best *count* services together add
    at least *room*: each service is taken when the count needs it or when the
    rest can still reach *room*.
    """
    chosen: list[str] = []
    total = 0
    for n, sid in enumerate(ordered):
        left = count - len(chosen)
        if not left:
            break
        later = sorted((adds[other] for other in ordered[n + 1 :]), reverse=True)
        if len(later) < left or total + adds[sid] + sum(later[: left - 1]) >= room:
            chosen.append(sid)
            total += adds[sid]
    return chosen


def _issue_options(
    forced: Sequence[str],
    others: Sequence[str],
    adds: Mapping[str, int],
    room: int,
    rank: Mapping[str, int],
) -> dict[int, tuple[int, list[str]]]:
    """For each number of steps in one issue, the best choice: (capped credit gained, services).

    The issue gains ``min(Σ added, room)``: beyond *room* it is covered and more
    brings nothing, so the counts stop at the first that covers it. Best: the
    largest capped gain, then the services first in taxonomy order. *forced*
    (required services) are always taken.
    """
    base = sum(adds[sid] for sid in forced)
    by_value = sorted(others, key=lambda sid: (-adds[sid], rank[sid]))
    ordered = sorted(others, key=rank.__getitem__)
    options: dict[int, tuple[int, list[str]]] = {}
    for extra in range(len(others) + 1):
        best = by_value[:extra]
        total = base + sum(adds[sid] for sid in best)
        if total <= room:
            options[len(forced) + extra] = (total, [*forced, *best])
        else:
            # Covered whatever the choice that reaches the room: take the earliest.
            chosen = _earliest_reaching(ordered, adds, extra, max(0, room - base))
            options[len(forced) + extra] = (room, [*forced, *chosen])
        if total >= room:
            break  # more steps gain no more than this count (see `_frontier`)
    return options


class _IssuePart:
    """One issue of a theme in the search: its open services and what they can add."""

    __slots__ = ("adds", "factor", "forced", "id", "need", "others", "room")

    def __init__(
        self,
        issue_id: str,
        *,
        adds: dict[str, int],
        factor: int,
        forced: list[str],
        others: list[str],
        room: int,
        need: int | None,
    ) -> None:
        self.id, self.adds, self.factor = issue_id, adds, factor
        self.forced, self.others, self.room, self.need = forced, others, room, need

    def gain(self, added: int) -> int | None:
        """The issue's gain in the theme's units when its services add *added*.

        Capped at the issue's room; ``None`` when it misses the issue's gate.
        """
        gain = min(added, self.room)
        if self.need is not None and gain < self.need:
            return None
        return gain * self.factor

    def best_after(self) -> list[list[int]]:
        """For each open service, the best sums of the open services after it, by count.

        Entry *n* lists, for each number *k* of services taken among those that
        come after ``others[n]``, the largest credit they add (their *k* largest).
        """
        adds = self.adds
        sums = []
        for n in range(len(self.others)):
            values = sorted((adds[sid] for sid in self.others[n + 1 :]), reverse=True)
            sums.append([0, *itertools.accumulate(values)])
        return sums


def _join_gains(left: Mapping[int, int], right: Mapping[int, int]) -> dict[int, int]:
    """The best gain of two groups of issues together, for each total count."""
    joined: dict[int, int] = {}
    for j, gain in left.items():
        for k, more in right.items():
            if gain + more > joined.get(j + k, -1):
                joined[j + k] = gain + more
    return joined


class _ThemeCover:
    """The services of one theme that cover it first in taxonomy order, for a count.

    Covering: their capped gain reaches the theme's *room* and every issue gate
    holds. Each open service, in taxonomy order, is taken when the theme can
    still be covered with it and the best of the services after it. The
    services of an issue are consecutive in taxonomy order, so when a service
    is weighed the issues before its own are decided and those after it are
    untouched: what the choices do not change is computed once, before any
    service is weighed (the best sums after each service of an issue, and the
    best gains of the issues after each issue, joined), and weighing a
    service reads them instead of joining the other issues again.
    """

    __slots__ = ("after", "forced", "parts", "room", "suffix")

    def __init__(self, parts: Sequence[_IssuePart], room: int) -> None:
        self.parts, self.room = parts, room
        self.forced = [sid for part in parts for sid in part.forced]
        self.after = [part.best_after() for part in parts]
        # suffix[p]: the best gain of the issues from p on, untouched, by count.
        suffix: list[dict[int, int]] = [{0: 0}]
        for part in reversed(parts):
            base = sum(part.adds[sid] for sid in part.forced)
            values = sorted((part.adds[sid] for sid in part.others), reverse=True)
            gains: dict[int, int] = {}
            for extra, added in enumerate(itertools.accumulate(values, initial=base)):
                gain = part.gain(added)
                if gain is not None:
                    gains[extra] = gain
            suffix.append(_join_gains(gains, suffix[-1]))
        suffix.reverse()
        self.suffix = suffix

    def earliest(self, count: int) -> list[str] | None:
        """The *count* services that cover the theme first in taxonomy order, or ``None``."""
        room = self.room
        chosen = list(self.forced)
        left = count - len(chosen)
        if self.suffix[0].get(left, -1) < room:
            return None
        decided = 0  # the gain of the issues before the current one, all decided
        for p, part in enumerate(self.parts):
            if not left:
                break
            rest = self.suffix[p + 1]
            adds, factor, need, issue_room = part.adds, part.factor, part.need, part.room
            added = sum(adds[sid] for sid in part.forced)
            for sid, sums in zip(part.others, self.after[p], strict=True):
                if not left:
                    break
                with_it = added + adds[sid]
                for k, more in enumerate(sums[:left]):
                    others_gain = rest.get(left - 1 - k)
                    if others_gain is None:
                        continue
                    gain = min(with_it + more, issue_room)
                    if need is not None and gain < need:
                        continue
                    if decided + gain * factor + others_gain >= room:
                        chosen.append(sid)
                        added = with_it
                        left -= 1
                        break
            issue_gain = part.gain(added)
            if issue_gain is None:  # pragma: no cover - the services taken can still cover it
                break
            decided += issue_gain
        return chosen


def _saturating_search(
    form: LinearForm,
    rule: GradeRule,
    *,
    candidates: Sequence[str],
    credits: Mapping[str, int],
) -> frozenset[str] | None:
    """`_search` for a form whose issues or themes saturate: exact by counts.

    Within an issue the gain of a choice depends only on the credit it adds,
    capped at what the issue lacks; within a theme, on the sum of its issues'
    gains, capped at what the theme lacks. For each number of steps the best
    choice of a theme is the join of its issues' best choices, unless that
    covers the theme: then it is the choice that comes first in taxonomy order
    among those that cover it (`_ThemeCover`). Themes are then joined by
    counts, as the score does not saturate. Each table keeps only the counts
    that gain more than every smaller count (`_frontier`): the plan is the
    fewest steps, so a count that gains no more than a smaller one is never
    its part, and only the first count that covers a theme asks for its
    earliest covering choice.
    """
    minimum, required = demands(rule, form)
    score_minimum = minimum.get((QuantityKind.SCORE, ""), _ZERO)
    if not form.concerned:
        return frozenset() if score_minimum <= 0 else None
    rank = {sid: n for n, sid in enumerate(form.concerned)}
    size = len(form.concerned)
    bit = {sid: 1 << (size - 1 - n) for n, sid in enumerate(form.concerned)}
    open_ = set(candidates)
    top = form.units[Status.DEPLOYED]
    score, theme_numerators, issue_numerators = form.numerators(credits)
    overall: _Table = {0: (0, 0)}
    for theme_id, issue_ids in form.issues_of_theme.items():
        theme_factor = form.theme_factor[theme_id]
        in_theme: _Table = {0: (0, 0)}
        parts: list[_IssuePart] = []
        for issue_id in issue_ids:
            quantity = form.issues[issue_id]
            coefficient = quantity.coefficient_of()
            adds = {
                sid: coefficient[sid] * (top - credits[sid])
                for sid in quantity.services
                if sid in open_
            }
            ceiling = quantity.denominator * top if quantity.cap is None else quantity.cap
            room = max(0, ceiling - quantity.raw(credits))
            forced = [sid for sid in quantity.services if sid in open_ and sid in required]
            others = [sid for sid in quantity.services if sid in open_ and sid not in required]
            options = _issue_options(forced, others, adds, room, rank)
            threshold = minimum.get((QuantityKind.ISSUE, issue_id))
            need = None
            if threshold is not None:
                need = _need(threshold, quantity, issue_numerators[issue_id], form)
                options = {k: o for k, o in options.items() if o[0] >= need}
            factor = form.issue_factor[issue_id]
            parts.append(
                _IssuePart(
                    issue_id,
                    adds=adds,
                    factor=factor,
                    forced=forced,
                    others=others,
                    room=room,
                    need=need,
                )
            )
            table = {
                k: (gain * factor, sum(bit[sid] for sid in chosen))
                for k, (gain, chosen) in options.items()
            }
            in_theme = _join(in_theme, _frontier(table))
        theme = form.themes[theme_id]
        if theme.cap is not None:
            uncapped = sum(form.issue_factor[i] * issue_numerators[i] for i in issue_ids)
            theme_room = max(0, theme.cap - uncapped)
            capped: _Table = {}
            best = -1
            for k in sorted(in_theme):
                gain = min(in_theme[k][0], theme_room)
                if gain <= best:
                    continue  # a smaller count gains as much (see `_frontier`)
                if in_theme[k][0] > theme_room:
                    chosen_in_theme = _ThemeCover(parts, theme_room).earliest(k)
                    if chosen_in_theme is None:  # pragma: no cover - the join reached the room
                        continue
                    in_theme[k] = (theme_room, sum(bit[sid] for sid in chosen_in_theme))
                capped[k] = in_theme[k]
                best = gain
            in_theme = capped
        threshold = minimum.get((QuantityKind.THEME, theme_id))
        if threshold is not None:
            need = _need(threshold, theme, theme_numerators[theme_id], form)
            in_theme = {j: c for j, c in in_theme.items() if c[0] >= need}
        overall = _join(
            overall,
            _frontier({k: (gain * theme_factor, mask) for k, (gain, mask) in in_theme.items()}),
        )
    need = _need(score_minimum, form.score, score, form)
    for _, (gain, mask) in sorted(overall.items()):
        if gain >= need:
            return frozenset(sid for sid in candidates if mask & bit[sid])
    return None


_PRESETS: dict[str, dict[Status, int]] = {
    "fewest": {Status.ABSENT: 1, Status.PLANNED: 1, Status.PARTIAL: 1},
    "started": {Status.ABSENT: 3, Status.PLANNED: 2, Status.PARTIAL: 1},
}


def _costs(prefer: object) -> tuple[dict[Status, int] | None, list[Problem]]:
    """The cost of a step by the status it starts from, or the problems of *prefer*."""
    expected = "expected 'fewest', 'started' or costs by status"
    if isinstance(prefer, str):
        if prefer in _PRESETS:
            return _PRESETS[prefer], []
        return None, [Problem(("prefer",), f"{expected}, got {shown(prefer)}")]
    if not isinstance(prefer, Mapping):
        return None, [Problem(("prefer",), f"{expected}, got {type(prefer).__name__}")]
    costs = dict.fromkeys(_PRESETS["fewest"], 1)
    problems = []
    for key, cost in prefer.items():
        try:
            status = Status(key)
        except ValueError:
            where = ("prefer", key if isinstance(key, str) else shown(key))
            problems.append(Problem(where, f"unknown status {shown(key)}"))
            continue
        where = ("prefer", status.value)
        if status not in costs:
            problems.append(Problem(where, f"a step never starts from {status.value}"))
        elif isinstance(cost, bool) or not isinstance(cost, int) or cost < 1:
            problems.append(Problem(where, f"expected a positive int, got {shown(cost)}"))
        elif too_big(cost):
            problems.append(Problem(where, f"expected an int of at most {MAX_DIGITS} digits"))
        else:
            costs[status] = cost
    return (None if problems else costs), problems


def _exclusions(exclude: object, ruleset: Ruleset) -> tuple[frozenset[str], list[Problem]]:
    if isinstance(exclude, str) or not isinstance(exclude, Iterable):
        return frozenset(), [
            Problem(
                ("exclude",), f"expected service ids (a list or set), got {type(exclude).__name__}"
            )
        ]
    known = ruleset.taxonomy.service_ids
    ids = []
    problems: list[Problem] = []
    unknown = 0
    for n, sid in enumerate(exclude):
        if not isinstance(sid, str):
            problems.append(Problem(("exclude", n), f"expected a service id, got {shown(sid)}"))
        elif sid not in known:
            unknown += 1
            # Only the problems listed get the search for the closest ids.
            if unknown <= MAX_PROBLEMS:
                problems.append(Problem(("exclude", n), unknown_id("service", sid, known)))
        else:
            ids.append(sid)
    if unknown > MAX_PROBLEMS:
        problems.append(more_unknown_ids(unknown - MAX_PROBLEMS))
    return frozenset(ids), problems


def recommend(
    dossier: Dossier,
    ruleset: Ruleset,
    target: int | None = None,
    *,
    exclude: Iterable[str] = (),
    prefer: Literal["fewest", "started"] | Mapping[Status, int] = "fewest",
) -> Plan:
    """The fewest (or cheapest) services to deploy for *dossier* to reach grade *target*.

    *target* defaults to the next grade that has a rule above the current
    grade (the current grade when there is none). A step brings one concerned
    service to ``DEPLOYED``: services that do not concern the territory, or that
    it may and does declare not applicable, are never proposed. Every condition
    of the target's rule is honoured (score, theme and issue gates, each-theme
    minimum, required services).

    The cost model: each step costs what *prefer* says for the status it
    starts from, and the plan has the **least total cost**, then the largest
    gain (then, for ``"fewest"``, the services that come first in the
    taxonomy). With ``"fewest"`` (the default) every step costs 1: the plan
    has the fewest steps. With ``"started"`` finishing a partial service
    costs 1, a planned one 2 and starting an absent one 3, so that what was
    started is finished first. A mapping gives your own positive cost for
    ``ABSENT``, ``PLANNED`` and ``PARTIAL`` (1 for those it omits); a
    ``NOT_APPLICABLE`` that the rules refuse costs as ``ABSENT``. Steps are
    listed by cost, then by the gain each brings alone, then in taxonomy
    order, and each step's ``gain`` is what it adds after the steps before it.

    Args:
        dossier: what the territory declares.
        ruleset: the rules to reach the grade under.
        target: the grade to reach, 0..5 (a grade the ruleset has a rule for).
        exclude: services never to propose (say, one the council has ruled out).
        prefer: ``"fewest"``, ``"started"`` or a cost for each starting status.

    Returns:
        A `Plan`; ``reachable=False`` with no steps when even deploying every
        concerned service that may be proposed is not enough, no steps when
        the target is already reached. Each step names the failing conditions
        it serves, with the quantity before and after it.

    Raises:
        InvalidInput: the dossier names a service unknown to the ruleset,
            *target* is not a grade of the ruleset, *exclude* names an unknown
            service or *prefer* is not a preference.

    >>> from villes_label import default_ruleset, referential
    >>> plan = recommend(referential.sample_dossier(), default_ruleset())
    >>> plan.target, [step.service for step in plan.steps]
    (4, ['budget-participatif'])
    >>> for effect in plan.steps[0].effects:
    ...     print(effect.text("en"))
    overall score 60.4 → 64.6 (62.5 required)
    issue Démocratie locale 25.0 → 75.0 (50.0 required)
    >>> plan = recommend(referential.sample_dossier(), default_ruleset(),
    ...                  exclude={"budget-participatif"})
    >>> [step.service for step in plan.steps]
    ['consultation-en-ligne']
    """
    _check_models(dossier, ruleset)
    problems = _id_problems(dossier, ruleset) + _target_problems(target, ruleset)
    excluded, exclude_problems = _exclusions(exclude, ruleset)
    costs, prefer_problems = _costs(prefer)
    problems += exclude_problems + prefer_problems
    if problems or costs is None:
        raise InvalidInput(*problems)
    dossier, _ = read_retired_ids(dossier, ruleset)
    current = assess(dossier, ruleset)
    if target is None:
        target = next(
            (rule.arobases for rule in ruleset.grades if rule.arobases > current.grade),
            current.grade,
        )
    if target <= current.grade:
        return Plan(target=target, reachable=True, score=current.score)
    rule = ruleset.grade_rule(target)
    if rule is None:  # pragma: no cover - ruled out by _target_problems
        raise InvalidInput(Problem(("target",), f"the ruleset has no rule for grade {target}"))

    entries = effective_entries(dossier)
    structure = Structure(ruleset)
    scope = structure.concern(dossier.territory, entries)
    form = structure.form(scope.concerned, structure.expectation(dossier.territory))
    units = structure.units
    credits = {sid: units[entries.get(sid, Status.ABSENT)] for sid in scope.concerned}
    top = units[Status.DEPLOYED]
    # A refused NOT_APPLICABLE is not DEPLOYED: it is a candidate like an ABSENT one.
    candidates = [sid for sid in scope.concerned if entries.get(sid) is not Status.DEPLOYED]
    required = demands(rule, form)[1]
    if any(sid in excluded for sid in candidates if sid in required):
        # A required service that may not be proposed can never be deployed.
        return Plan(target=target, reachable=False, score=current.score)
    candidates = [sid for sid in candidates if sid not in excluded]
    cost_of = {sid: costs[_starting(entries.get(sid, Status.ABSENT))] for sid in candidates}
    if prefer != "fewest":
        chosen = cheapest(form, rule, candidates=candidates, credits=credits, cost_of=cost_of)
    elif form.saturating:
        chosen = _saturating_search(form, rule, candidates=candidates, credits=credits)
    else:
        coefficient = form.score.coefficient_of()
        gain_of = {sid: coefficient[sid] * (top - credits[sid]) for sid in candidates}
        chosen = _search(form, rule, candidates=candidates, gain_of=gain_of, credits=credits)
    if chosen is None:
        return Plan(target=target, reachable=False, score=current.score)

    # The search works on the score's linear form; the rule's check must agree.
    after = {sid: top if sid in chosen else unit for sid, unit in credits.items()}
    numerator, theme_numerators, issue_numerators = form.numerators(after)
    score = form.fraction(form.score, numerator)
    themes = {t: form.fraction(form.themes[t], n) for t, n in theme_numerators.items()}
    issues = {i: form.fraction(form.issues[i], n) for i, n in issue_numerators.items()}
    statuses = {
        sid: Status.DEPLOYED if sid in chosen else status
        for sid, status in current.statuses.items()
    }
    for sid in scope.refused_opt_outs:
        if sid not in chosen:
            statuses[sid] = Status.ABSENT
    values = Values(
        score=score,
        themes=themes,
        issues=issues,
        statuses=statuses,
        not_concerned=scope.not_concerned,
    )
    check = check_rule(rule, "plan", values)
    if not check.holds:  # pragma: no cover - a bug, never a user error
        msg = f"internal error: the plan misses {check.failures[0].message}"
        raise RuntimeError(msg)

    # Steps by the gain each brings alone, then taxonomy order; each step's gain
    # is what it adds after the steps before it, so the gains add up to the plan's.
    rank = {sid: n for n, sid in enumerate(scope.concerned)}
    order = _listing(form, credits, chosen, cost_of, rank)
    outcome = evaluate(
        rule,
        Values(
            score=current.score,
            themes=current.themes,
            issues=current.issues,
            statuses={**current.statuses, **dict.fromkeys(scope.refused_opt_outs, Status.ABSENT)},
            not_concerned=scope.not_concerned,
        ),
    )
    effects = _effects_of(order, outcome.failed, form, credits, ruleset)
    taxonomy = ruleset.taxonomy
    steps = tuple(
        Step(
            service=sid,
            name=taxonomy.service(sid).name,
            current=entries.get(sid, Status.ABSENT),
            proposed=Status.DEPLOYED,
            gain=form.fraction(form.score, gain),
            effects=effects[sid],
        )
        for sid, gain in zip(order, form.running_gains(credits, order), strict=True)
    )
    return Plan(target=target, reachable=True, steps=steps, score=current.score)


def _listing(
    form: LinearForm,
    credits: Mapping[str, int],
    chosen: Iterable[str],
    cost_of: Mapping[str, int],
    rank: Mapping[str, int],
) -> list[str]:
    """The plan's services in the order its steps are listed: cheapest, then largest gain.

    Without saturation a service's gain does not depend on the others. Under
    size-aware expectations it only shrinks as others are taken, so the next
    step is the one that adds most *now* (lazily re-evaluated, a heap): the
    listed gains never grow, and they add up to the plan's gain.
    """
    if not form.saturating:
        alone = form.single_gains(credits)
        return sorted(chosen, key=lambda sid: (cost_of[sid], -alone[sid], rank[sid]))
    progress = Progress(form, credits)
    heap = [(cost_of[sid], -progress.gain(sid), rank[sid], sid) for sid in chosen]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        cost, stale, position, sid = heapq.heappop(heap)
        now = -progress.gain(sid)
        if now != stale:
            heapq.heappush(heap, (cost, now, position, sid))  # smaller now: look again
            continue
        progress.take(sid)
        order.append(sid)
    return order


def _starting(status: Status) -> Status:
    # A refused NOT_APPLICABLE earns, and costs, as ABSENT.
    return Status.ABSENT if status is Status.NOT_APPLICABLE else status


def _effects_of(
    order: Sequence[str],
    failed: Sequence[tuple[Condition, Atom, object]],
    form: LinearForm,
    credits: Mapping[str, int],
    ruleset: Ruleset,
) -> dict[str, tuple[Effect, ...]]:
    """What each step, taken in *order*, does to each failing condition it serves.

    One pass: a step moves only its issue's numerator, its theme's (each
    saturated at its cap, if any) and the score's, which are composed from them.
    """
    taxonomy = ruleset.taxonomy
    top = form.units[Status.DEPLOYED]
    score, themes, issues = form.numerators(credits)
    raw = {issue_id: quantity.raw(credits) for issue_id, quantity in form.issues.items()}
    # Each theme's numerator before its own cap (size-aware expectations may set one).
    sums = {
        t: sum(form.issue_factor[i] * issues[i] for i in form.issues_of_theme[t])
        for t in form.themes
    }
    coefficients: dict[str, dict[str, int]] = {}
    found: dict[str, tuple[Effect, ...]] = {}
    for sid in order:
        issue_id = form.issue_of[sid]
        theme_id = form.theme_of[issue_id]
        issue = form.issues[issue_id]
        if issue_id not in coefficients:
            coefficients[issue_id] = issue.coefficient_of()
        raw[issue_id] += coefficients[issue_id][sid] * (top - credits[sid])
        now = raw[issue_id] if issue.cap is None else min(raw[issue_id], issue.cap)
        sums[theme_id] += (now - issues[issue_id]) * form.issue_factor[issue_id]
        theme_cap = form.themes[theme_id].cap
        theme_now = sums[theme_id] if theme_cap is None else min(sums[theme_id], theme_cap)
        before = {
            QuantityKind.SCORE: score,
            QuantityKind.THEME: themes[theme_id],
            QuantityKind.ISSUE: issues[issue_id],
        }
        score += (theme_now - themes[theme_id]) * form.theme_factor[theme_id]
        issues[issue_id] = now
        themes[theme_id] = theme_now
        after = {
            QuantityKind.SCORE: score,
            QuantityKind.THEME: themes[theme_id],
            QuantityKind.ISSUE: issues[issue_id],
        }
        served: list[Effect] = []
        for condition, atom, _ in failed:
            match atom:
                case AtLeast():
                    subject = {
                        QuantityKind.SCORE: "",
                        QuantityKind.THEME: theme_id,
                        QuantityKind.ISSUE: issue_id,
                    }[atom.kind]
                    quantity = form.quantity(atom.kind, subject)
                    if atom.id != subject or quantity is None:
                        continue  # this step does not move that quantity
                    value = form.fraction(quantity, before[atom.kind])
                    if value >= atom.threshold:
                        continue  # met by the plan's earlier steps: this one no longer serves it
                    name = {
                        QuantityKind.SCORE: "",
                        QuantityKind.THEME: taxonomy.theme(theme_id).name,
                        QuantityKind.ISSUE: taxonomy.issue(issue_id).name,
                    }[atom.kind]
                    served.append(
                        Effect(
                            code=str(condition.code),
                            subject=atom.subject,
                            name=name,
                            required=atom.threshold,
                            before=value,
                            after=form.fraction(quantity, after[atom.kind]),
                        )
                    )
                case Deployed():
                    if atom.service == sid:
                        name = taxonomy.service(sid).name
                        served.append(Effect(code=str(condition.code), subject=sid, name=name))
                case GradeAtLeast():  # pragma: no cover - a mention's condition, not a grade's
                    pass
                case _:
                    assert_never(atom)
        found[sid] = tuple(served)
    return found


def next_questions(dossier: Dossier, ruleset: Ruleset, limit: int = 10) -> tuple[str, ...]:
    """The undeclared concerned services whose answer would matter most, first.

    An undeclared service is one the dossier never mentions: its status is
    unknown, not proven absent. They are ordered by the gain of the overall
    score if that service alone were deployed, then in taxonomy order, so that
    a form asks the decisive questions first.

    Args:
        dossier: what the territory declares so far.
        ruleset: the rules that weigh the services.
        limit: how many ids to return at most (>= 0).

    Raises:
        InvalidInput: the dossier names a service unknown to the ruleset, or
            *limit* is not an int >= 0.

    >>> from villes_label import default_ruleset, referential
    >>> next_questions(referential.sample_dossier(), default_ruleset(), limit=3)
    ('consultation-en-ligne', 'publication-deliberations', 'questions-aux-elus')
    """
    _check_models(dossier, ruleset)
    problems = _id_problems(dossier, ruleset)
    if isinstance(limit, bool) or not isinstance(limit, int):
        problems.append(
            Problem(("limit",), f"expected an int, got {type(limit).__name__} {shown(limit)}")
        )
    elif limit < 0:
        problems.append(Problem(("limit",), f"must be >= 0, got {shown(limit)}"))
    if problems:
        raise InvalidInput(*problems)
    dossier, _ = read_retired_ids(dossier, ruleset)
    entries = effective_entries(dossier)
    structure = Structure(ruleset)
    scope = structure.concern(dossier.territory, entries)
    # Never mentioned means ABSENT for the score: each is ranked by what it
    # adds alone (nothing in an issue already covered).
    form = structure.form(scope.concerned, structure.expectation(dossier.territory))
    units = structure.units
    credits = {sid: units[entries.get(sid, Status.ABSENT)] for sid in scope.concerned}
    gains = form.single_gains(credits)
    undeclared = [sid for sid in scope.concerned if sid not in entries]
    # sorted() is stable and scope.concerned is in taxonomy order: ties keep that order.
    ranked = sorted(undeclared, key=lambda sid: -gains[sid])
    return tuple(ranked[:limit])
