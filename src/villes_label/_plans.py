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

import html
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

import attrs

from villes_label._errors import InvalidInput
from villes_label._rules import MAX_GRADE, GradeRule, Ruleset
from villes_label._scoring import (
    Assessment,
    assess,
    check_ids,
    check_rule,
    coefficients,
    concern,
    credit,
    nested_scores,
    points,
)
from villes_label._scoring import arobases as _arobases
from villes_label._territory import Dossier, Status
from villes_label._values import to_fraction

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["Plan", "Step", "next_questions", "recommend"]

_ZERO = Fraction(0)

_STATUS_FR = {
    Status.ABSENT: "absent",
    Status.PLANNED: "prévu",
    Status.PARTIAL: "partiel",
    Status.DEPLOYED: "déployé",
    Status.NOT_APPLICABLE: "non applicable",
}


def _points_fr(value: Fraction) -> str:
    return points(value).replace(".", ",")


def _status(value: Status | str) -> Status:
    try:
        return Status(value)
    except ValueError:
        known = ", ".join(status.value for status in Status)
        msg = f"unknown status {value!r} (one of {known})"
        raise InvalidInput(msg) from None


def _gain(value: Fraction | int | str) -> Fraction:
    try:
        return to_fraction(value)
    except (TypeError, ValueError) as error:
        msg = f"gain: {error}"
        raise InvalidInput(msg) from None


def _steps(value: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(value)


# Checks take plain objects: the fields' annotations are what callers should pass,
# not a guarantee, and every problem is reported at once.
def _step_problems(service: object, proposed: object, gain: object) -> list[str]:
    problems: list[str] = []
    if not isinstance(service, str) or not service:
        problems.append(f"service: expected a service id, got {service!r}")
    if proposed is Status.NOT_APPLICABLE:
        problems.append("proposed: a step cannot propose not_applicable")
    if isinstance(gain, Fraction) and gain < _ZERO:
        problems.append(f"gain: a step cannot lower the score, got {gain}")
    return problems


def _plan_problems(target: object, reachable: object, steps: tuple[object, ...]) -> list[str]:
    problems: list[str] = []
    if isinstance(target, bool) or not isinstance(target, int):
        problems.append(f"target: expected an int, got {type(target).__name__}")
    elif not 0 <= target <= MAX_GRADE:
        problems.append(f"target: {target} is outside 0..{MAX_GRADE}")
    if not isinstance(reachable, bool):
        problems.append(f"reachable: expected a bool, got {type(reachable).__name__}")
    seen: set[str] = set()
    for n, step in enumerate(steps):
        if not isinstance(step, Step):
            problems.append(f"steps[{n}]: expected a Step, got {type(step).__name__}")
            continue
        if step.service in seen:
            problems.append(f"steps[{n}].service: {step.service!r} appears twice")
        seen.add(step.service)
    if reachable is False and steps:
        problems.append("steps: an unreachable plan has no steps")
    return problems


def _check_dossier(dossier: object) -> None:
    if not isinstance(dossier, Dossier):
        msg = f"dossier: expected a Dossier, got {type(dossier).__name__}"
        raise InvalidInput(msg)


@attrs.frozen(kw_only=True)
class Step:
    """One step of a plan: bring one concerned service from its status to ``proposed``.

    ``gain`` is the increase of the overall score that this step alone brings
    (a share of the potential: ``Fraction(1, 16)`` is 6.25 points out of 100).
    ``current`` is the status the dossier gives the service; a
    ``NOT_APPLICABLE`` that the rules refuse earns as ``ABSENT``.

    >>> step = Step(service="budget-participatif", current=Status.PLANNED,
    ...             proposed=Status.DEPLOYED, gain=Fraction(1, 32))
    >>> str(step)
    'budget-participatif: planned → deployed (+3.1 points)'
    """

    service: str
    current: Status = attrs.field(converter=_status)
    proposed: Status = attrs.field(converter=_status)
    gain: Fraction = attrs.field(converter=_gain)

    def __attrs_post_init__(self) -> None:
        problems = _step_problems(self.service, self.proposed, self.gain)
        if problems:
            raise InvalidInput(*problems)

    def __str__(self) -> str:
        return (
            f"{self.service}: {self.current.value} → {self.proposed.value} "
            f"(+{points(self.gain)} points)"
        )


def _target_label(target: int, *, fr: bool) -> str:
    if fr:
        if not target:
            return "- (aucune arobase)"
        return f"{_arobases(target)} ({target} arobase{'s' if target > 1 else ''})"
    return f"{_arobases(target)} (grade {target})"


@attrs.frozen(kw_only=True)
class Plan:
    """What to deploy to reach a grade: the result of `recommend`.

    ``reachable`` is ``False`` (and ``steps`` empty) when even deploying every
    concerned service does not reach ``target``. A reachable plan without steps
    means the target is already reached.

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

    def __attrs_post_init__(self) -> None:
        problems = _plan_problems(self.target, self.reachable, self.steps)
        if problems:
            raise InvalidInput(*problems)

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
        head = f"Plan for {_target_label(self.target, fr=False)}"
        if not self.reachable:
            return f"{head}: out of reach, even with every concerned service deployed"
        if not self.steps:
            return f"{head}: already reached, nothing to do"
        count = f"{len(self.steps)} step{'s' if len(self.steps) > 1 else ''}"
        listed = ", ".join(f"{step.service} (+{points(step.gain)})" for step in self.steps)
        return f"{head}: {count}, +{points(self.gain)} points: {listed}"

    def explain(self, lang: Literal["fr", "en"] = "fr") -> str:
        """A readable multi-line report, in French by default (English on demand).

        Gains are points out of 100 of the overall score.

        >>> step = Step(service="budget-participatif", current="planned",
        ...             proposed="deployed", gain=Fraction(1, 32))
        >>> print(Plan(target=4, reachable=True, steps=(step,)).explain())
        Objectif : @@@@ (4 arobases) — 1 étape, +3,1 points au score global
          1. budget-participatif : prévu → déployé, +3,1 points
        """
        if lang not in ("fr", "en"):
            msg = f"lang: expected 'fr' or 'en', got {lang!r}"
            raise InvalidInput(msg)
        fr = lang == "fr"
        label = _target_label(self.target, fr=fr)
        if not self.reachable:
            if fr:
                return (
                    f"Objectif : {label} — hors d'atteinte : même en déployant tous les "
                    "services concernés, une condition de la note reste manquée"
                )
            return (
                f"Target: {label} — out of reach: even with every concerned service "
                "deployed, a condition of its rule still fails"
            )
        if not self.steps:
            if fr:
                return f"Objectif : {label} — déjà atteint, rien à faire"
            return f"Target: {label} — already reached, nothing to do"
        n = len(self.steps)
        plural = "s" if n > 1 else ""
        if fr:
            total = _points_fr(self.gain)
            lines = [f"Objectif : {label} — {n} étape{plural}, +{total} points au score global"]
            lines.extend(
                f"  {rank}. {step.service} : {_STATUS_FR[step.current]} → "
                f"{_STATUS_FR[step.proposed]}, +{_points_fr(step.gain)} points"
                for rank, step in enumerate(self.steps, 1)
            )
        else:
            lines = [f"Target: {label} — {n} step{plural}, +{points(self.gain)} points overall"]
            lines.extend(
                f"  {rank}. {step.service}: {step.current.value} → {step.proposed.value}, "
                f"+{points(step.gain)} points"
                for rank, step in enumerate(self.steps, 1)
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = f"Plan for {html.escape(_target_label(self.target, fr=False))}"
        if not self.reachable:
            return f'<div class="villes-label-plan"><h4>{head}: out of reach</h4></div>'
        if not self.steps:
            return f'<div class="villes-label-plan"><h4>{head}: already reached</h4></div>'
        rows = "".join(
            f"<tr><td>{n}</td><td><code>{html.escape(step.service)}</code></td>"
            f"<td>{step.current.value}</td><td>{step.proposed.value}</td>"
            f"<td>+{points(step.gain)}</td></tr>"
            for n, step in enumerate(self.steps, 1)
        )
        return (
            f'<div class="villes-label-plan"><h4>{head}: {len(self.steps)} steps, '
            f"+{points(self.gain)} points</h4>"
            "<table><thead><tr><th>#</th><th>Service</th><th>Now</th><th>Proposed</th>"
            f"<th>Gain</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )


# --- validation ----------------------------------------------------------------------


def _check_models(dossier: object, ruleset: object) -> None:
    _check_dossier(dossier)
    if not isinstance(ruleset, Ruleset):
        msg = f"ruleset: expected a Ruleset, got {type(ruleset).__name__}"
        raise InvalidInput(msg)


def _id_problems(dossier: Dossier, ruleset: Ruleset) -> list[str]:
    try:
        check_ids(dossier, ruleset)
    except InvalidInput as error:
        return list(error.problems)
    return []


def _target_problems(target: object, ruleset: Ruleset) -> list[str]:
    if target is None:
        return []
    if isinstance(target, bool) or not isinstance(target, int):
        return [f"target: expected an int or None, got {type(target).__name__} {target!r}"]
    if not 0 <= target <= MAX_GRADE:
        return [f"target: {target} is outside 0..{MAX_GRADE}"]
    if target and ruleset.grade_rule(target) is None:
        known = ", ".join(str(rule.arobases) for rule in ruleset.grades)
        return [f"target: the ruleset has no rule for grade {target} (its grades: {known})"]
    return []


# --- the plan ------------------------------------------------------------------------

# A choice of steps, as (gain, mask) on integers: the gain over the common
# denominator, and one bit per service with the higher bits for the services
# that come first in the taxonomy. Among sets of the same size, a larger mask is
# exactly a set whose sorted taxonomy ranks are lexicographically smaller, so
# "larger gain, then taxonomy order" is plain tuple order, and joining two
# disjoint choices is adding their pairs: an order that a DP may build on.
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


def _theme_threshold(rule: GradeRule, theme_id: str) -> Fraction | None:
    thresholds = [rule.min_theme_scores[theme_id]] if theme_id in rule.min_theme_scores else []
    if rule.min_each_theme > _ZERO:
        thresholds.append(rule.min_each_theme)
    return max(thresholds) if thresholds else None


def _search(
    ruleset: Ruleset,
    rule: GradeRule,
    *,
    concerned: Sequence[str],
    candidates: Sequence[str],
    gains: Mapping[str, Fraction],
    coefficient: Mapping[str, Fraction],
    current: Assessment,
) -> frozenset[str] | None:
    """The best set of services to deploy for *rule*, or ``None`` when none reaches it.

    Best: fewest services, then largest gain, then earliest in taxonomy order.
    """
    services = ruleset.taxonomy.services
    size = len(services)
    bit = {service.id: 1 << (size - 1 - n) for n, service in enumerate(services)}
    rank = {service.id: n for n, service in enumerate(services)}
    # Integers over the common denominator of the gains: exact, and fast to add.
    # Each bound is rounded up: an integer sum reaches a fraction iff it reaches its ceiling.
    scale = math.lcm(1, *(gains[sid].denominator for sid in candidates))
    gain_of = {sid: int(gains[sid] * scale) for sid in candidates}
    counted = set(concerned)
    open_ = set(candidates)

    overall: _Table = {0: (0, 0)}
    for theme in ruleset.taxonomy.themes:
        in_theme: _Table = {0: (0, 0)}
        theme_weight = _ZERO
        for issue in theme.issues:
            members = [s.id for s in issue.services if s.id in counted]
            if not members:
                continue  # no score, so any gate on the issue is waived
            # The issue's share of the overall score: its score is the weighted
            # mean of its services' credits, so an overall gain g raises it by g / share.
            share = sum((coefficient[sid] for sid in members), _ZERO)
            theme_weight += share
            forced = [sid for sid in members if sid in open_ and sid in rule.required_services]
            others = sorted(
                (sid for sid in members if sid in open_ and sid not in rule.required_services),
                key=lambda sid: (-gain_of[sid], rank[sid]),
            )
            gain = sum(gain_of[sid] for sid in forced)
            mask = sum(bit[sid] for sid in forced)
            options: _Table = {len(forced): (gain, mask)}
            for sid in others:
                gain += gain_of[sid]
                mask += bit[sid]
                options[len(forced) + len(options)] = (gain, mask)
            threshold = rule.min_issue_scores.get(issue.id)
            if threshold is not None:
                need = math.ceil((threshold - current.issues[issue.id]) * share * scale)
                options = {k: choice for k, choice in options.items() if choice[0] >= need}
            in_theme = _join(in_theme, options)
        if not theme_weight:
            continue  # no score, so any gate on the theme is waived
        threshold = _theme_threshold(rule, theme.id)
        if threshold is not None:
            need = math.ceil((threshold - current.themes[theme.id]) * theme_weight * scale)
            in_theme = {j: choice for j, choice in in_theme.items() if choice[0] >= need}
        overall = _join(overall, in_theme)

    need = math.ceil((rule.min_score - current.score) * scale)
    for _, (gain, mask) in sorted(overall.items()):
        if gain >= need:
            return frozenset(sid for sid in candidates if mask & bit[sid])
    return None


def recommend(dossier: Dossier, ruleset: Ruleset, target: int | None = None) -> Plan:
    """The fewest services to deploy for *dossier* to reach grade *target*.

    *target* defaults to the next grade that has a rule above the current
    grade (the current grade when there is none). A step brings one concerned
    service to ``DEPLOYED``: services that do not concern the territory, or that
    it may and does declare not applicable, are never proposed. Every condition
    of the target's rule is honoured (score, theme and issue gates, each-theme
    minimum, required services). Among the plans with the fewest steps, the one
    with the largest gain, then the one whose services come first in the
    taxonomy; its steps are listed by gain, then in taxonomy order.

    Args:
        dossier: what the territory declares.
        ruleset: the rules to reach the grade under.
        target: the grade to reach, 0..5 (a grade the ruleset has a rule for).

    Returns:
        A `Plan`; ``reachable=False`` with no steps when even deploying every
        concerned service is not enough, no steps when the target is already reached.

    Raises:
        InvalidInput: the dossier names a service unknown to the ruleset, or
            *target* is not a grade of the ruleset.

    >>> from villes_label import default_ruleset, referential
    >>> plan = recommend(referential.sample_dossier(), default_ruleset())
    >>> plan.target, [step.service for step in plan.steps]
    (4, ['budget-participatif', 'petitions-en-ligne'])
    """
    _check_models(dossier, ruleset)
    problems = _id_problems(dossier, ruleset) + _target_problems(target, ruleset)
    if problems:
        raise InvalidInput(*problems)
    current = assess(dossier, ruleset)
    if target is None:
        target = next(
            (rule.arobases for rule in ruleset.grades if rule.arobases > current.grade),
            current.grade,
        )
    if target <= current.grade:
        return Plan(target=target, reachable=True)
    rule = ruleset.grade_rule(target)
    if rule is None:  # pragma: no cover - ruled out by _target_problems
        msg = f"target: the ruleset has no rule for grade {target}"
        raise InvalidInput(msg)

    scope = concern(dossier, ruleset)
    coefficient = coefficients(ruleset, scope.concerned)
    credits = {sid: credit(ruleset, dossier.status(sid)) for sid in scope.concerned}
    top = ruleset.credits[Status.DEPLOYED]
    # A refused NOT_APPLICABLE is not DEPLOYED: it is a candidate like an ABSENT one.
    candidates = [sid for sid in scope.concerned if dossier.status(sid) is not Status.DEPLOYED]
    gains = {sid: coefficient[sid] * (top - credits[sid]) for sid in candidates}
    chosen = _search(
        ruleset,
        rule,
        concerned=scope.concerned,
        candidates=candidates,
        gains=gains,
        coefficient=coefficient,
        current=current,
    )
    if chosen is None:
        return Plan(target=target, reachable=False)

    # The search works on the score's linear form; the one formula must agree.
    after = {sid: top if sid in chosen else credits[sid] for sid in scope.concerned}
    score, themes, issues = nested_scores(ruleset, scope.concerned, after)
    statuses = {
        sid: Status.DEPLOYED if sid in chosen else status
        for sid, status in current.statuses.items()
    }
    for sid in scope.refused_opt_outs:
        if sid not in chosen:
            statuses[sid] = Status.ABSENT
    check = check_rule(rule, "plan", score, themes, issues, statuses, scope.not_concerned)
    if not check.holds:  # pragma: no cover - a bug, never a user error
        msg = f"internal error: the plan misses {check.failures[0].message}"
        raise RuntimeError(msg)

    rank = {sid: n for n, sid in enumerate(scope.concerned)}
    steps = tuple(
        Step(
            service=sid,
            current=dossier.status(sid),
            proposed=Status.DEPLOYED,
            gain=gains[sid],
        )
        for sid in sorted(chosen, key=lambda sid: (-gains[sid], rank[sid]))
    )
    return Plan(target=target, reachable=True, steps=steps)


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
    ('hackathon', 'experimentation-objets-connectes', 'qualite-air-en-ligne')
    """
    _check_models(dossier, ruleset)
    problems = _id_problems(dossier, ruleset)
    if isinstance(limit, bool) or not isinstance(limit, int):
        problems.append(f"limit: expected an int, got {type(limit).__name__} {limit!r}")
    elif limit < 0:
        problems.append(f"limit: must be >= 0, got {limit}")
    if problems:
        raise InvalidInput(*problems)
    scope = concern(dossier, ruleset)
    coefficient = coefficients(ruleset, scope.concerned)
    # Never mentioned means ABSENT for the score: deploying it gains the full step.
    step = ruleset.credits[Status.DEPLOYED] - credit(ruleset, Status.ABSENT)
    declared = dossier.declared
    undeclared = [sid for sid in scope.concerned if sid not in declared]
    # sorted() is stable and scope.concerned is in taxonomy order: ties keep that order.
    ranked = sorted(undeclared, key=lambda sid: -coefficient[sid] * step)
    return tuple(ranked[:limit])
