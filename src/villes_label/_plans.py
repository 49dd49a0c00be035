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
from typing import TYPE_CHECKING, Literal, assert_never

import attrs

from villes_label._conditions import AtLeast, Deployed, GradeAtLeast, Values, conditions
from villes_label._errors import InvalidInput
from villes_label._linear import LinearForm, Quantity, QuantityKind, Structure
from villes_label._rules import MAX_GRADE, GradeRule, Ruleset
from villes_label._scoring import assess, check_ids, check_rule
from villes_label._territory import Dossier, Status, effective_entries
from villes_label._values import to_fraction
from villes_label._vocabulary import arobases, points, points_in, status_word

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["Plan", "Step", "next_questions", "recommend"]

_ZERO = Fraction(0)


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

    ``gain`` is the increase of the overall score that this step brings once
    the steps listed before it are taken (``Fraction(1, 16)`` is 6.25 points
    out of 100), so the gains of a plan add up to its whole increase. Under
    the share-of-potential model it is also what the step brings alone; under
    size-aware expectations a step into an issue that earlier steps covered
    brings less.
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
        return f"{arobases(target)} ({target} arobase{'s' if target > 1 else ''})"
    return f"{arobases(target)} (grade {target})"


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
            total = points_in(self.gain, "fr")
            lines = [f"Objectif : {label} — {n} étape{plural}, +{total} points au score global"]
            lines.extend(
                f"  {rank}. {step.service} : {status_word(step.current, 'fr')} → "
                f"{status_word(step.proposed, 'fr')}, +{points_in(step.gain, 'fr')} points"
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


def _demands(
    rule: GradeRule, form: LinearForm
) -> tuple[dict[tuple[QuantityKind, str], Fraction], set[str]]:
    """What *rule* asks, read from its conditions: a minimum per quantity, the services to deploy.

    Every bound is then a minimum of a sum of gains over one quantity.
    """
    minimum: dict[tuple[QuantityKind, str], Fraction] = {}
    required: set[str] = set()
    for condition in conditions(rule):
        for atom in condition.atoms(form):
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
    minimum, required = _demands(rule, form)
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
    brings nothing. Best: the largest capped gain, then the services first in
    taxonomy order. *forced* (required services) are always taken.
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
    return options


def _saturating_search(
    form: LinearForm,
    rule: GradeRule,
    *,
    candidates: Sequence[str],
    credits: Mapping[str, int],
) -> frozenset[str] | None:
    """`_search` for a form whose issues saturate: exact by counts, issue by issue."""
    minimum, required = _demands(rule, form)
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
        for issue_id in issue_ids:
            quantity = form.issues[issue_id]
            coefficient = quantity.coefficient_of()
            adds = {
                sid: coefficient[sid] * (top - credits[sid])
                for sid in quantity.services
                if sid in open_
            }
            raw = quantity.raw(credits)
            ceiling = quantity.denominator * top if quantity.cap is None else quantity.cap
            room = max(0, ceiling - raw)
            forced = [sid for sid in quantity.services if sid in open_ and sid in required]
            others = [sid for sid in quantity.services if sid in open_ and sid not in required]
            options = _issue_options(forced, others, adds, room, rank)
            threshold = minimum.get((QuantityKind.ISSUE, issue_id))
            if threshold is not None:
                need = _need(threshold, quantity, issue_numerators[issue_id], form)
                options = {k: o for k, o in options.items() if o[0] >= need}
            factor = form.issue_factor[issue_id] * theme_factor
            table = {
                k: (gain * factor, sum(bit[sid] for sid in chosen))
                for k, (gain, chosen) in options.items()
            }
            in_theme = _join(in_theme, table)
        threshold = minimum.get((QuantityKind.THEME, theme_id))
        if threshold is not None:
            theme = form.themes[theme_id]
            need = _need(threshold, theme, theme_numerators[theme_id], form) * theme_factor
            in_theme = {j: c for j, c in in_theme.items() if c[0] >= need}
        overall = _join(overall, in_theme)
    need = _need(score_minimum, form.score, score, form)
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
    taxonomy; its steps are listed by the gain each brings alone, then in
    taxonomy order, and each step's ``gain`` is what it adds after the steps
    before it.

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

    entries = effective_entries(dossier)
    structure = Structure(ruleset)
    scope = structure.concern(dossier.territory, entries)
    form = structure.form(scope.concerned, structure.expectation(dossier.territory))
    units = structure.units
    credits = {sid: units[entries.get(sid, Status.ABSENT)] for sid in scope.concerned}
    top = units[Status.DEPLOYED]
    # A refused NOT_APPLICABLE is not DEPLOYED: it is a candidate like an ABSENT one.
    candidates = [sid for sid in scope.concerned if entries.get(sid) is not Status.DEPLOYED]
    if form.saturating:
        chosen = _saturating_search(form, rule, candidates=candidates, credits=credits)
    else:
        coefficient = form.score.coefficient_of()
        gain_of = {sid: coefficient[sid] * (top - credits[sid]) for sid in candidates}
        chosen = _search(form, rule, candidates=candidates, gain_of=gain_of, credits=credits)
    if chosen is None:
        return Plan(target=target, reachable=False)

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
    alone = form.single_gains(credits)
    rank = {sid: n for n, sid in enumerate(scope.concerned)}
    running = dict(credits)
    before = form.numerators(running)[0]
    steps: list[Step] = []
    for sid in sorted(chosen, key=lambda sid: (-alone[sid], rank[sid])):
        running[sid] = top
        now = form.numerators(running)[0]
        steps.append(
            Step(
                service=sid,
                current=entries.get(sid, Status.ABSENT),
                proposed=Status.DEPLOYED,
                gain=form.fraction(form.score, now - before),
            )
        )
        before = now
    return Plan(target=target, reachable=True, steps=tuple(steps))


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
