"""The one linear form: every score as integer coefficients over one denominator.

Once the concerned services of a territory are known, the scoring model of
`Ruleset` (issue = weighted mean of its services' credits, theme = weighted
mean of its issues, score = weighted mean of its themes) is linear in the
credits. This module expands that nesting **once**, into a `LinearForm`: for
each quantity (the overall score, every theme and every issue that has a
concerned service) integer coefficients per service over one integer
denominator. `assess`, `Scorer`, `recommend` and `calibrate` all read it, so
the formula is written in one place.

Credits are integers too: ``credit(status) = units[status] / scale``. So a
quantity's value is ``Σ coefficientₛ · units[statusₛ] / (denominator · scale)``,
exact with plain `int` arithmetic; a `Fraction` is built only for a value
that a caller returns.

Pure: no I/O, no global state, no cache on the caller's objects. Building a
form is linear in the number of services.

>>> from villes_label.referential import default_ruleset
>>> rules = default_ruleset()
>>> structure = Structure(rules)
>>> form = structure.form(tuple(s.id for s in rules.taxonomy.services))
>>> form.score.denominator == sum(form.score.coefficients)
True
>>> form.value(form.score, dict.fromkeys(form.concerned, structure.units[Status.DEPLOYED]))
Fraction(1, 1)
"""

from __future__ import annotations

import math
from fractions import Fraction
from operator import mul
from typing import TYPE_CHECKING

from villes_label._values import plain_dict
from villes_label._vocabulary import QuantityKind, Status

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from villes_label._expectations import Expectation
    from villes_label._rules import Applicability, Ruleset
    from villes_label._territory import Territory

__all__ = ["CREDITED", "Concern", "LinearForm", "Progress", "Quantity", "QuantityKind", "Structure"]

CREDITED = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)
"""The statuses that earn a credit, in credit order."""


class Quantity:
    """One quantity (the score, a theme or an issue) as a weighted sum of credits.

    ``value = Σ coefficients[k] · credit(services[k]) / denominator``, where
    the coefficients are positive integers (for the share-of-potential model
    they sum to the denominator: a weighted mean). ``services`` are in
    taxonomy order. An issue under a size-aware expectation has a ``cap``: its
    numerator saturates there (``min(Σ …, cap)``), which is the credit of a
    deployed service times ``denominator``: the issue is covered.
    """

    __slots__ = ("cap", "coefficients", "denominator", "id", "kind", "services")

    def __init__(
        self,
        kind: QuantityKind,
        id_: str,
        services: tuple[str, ...],
        coefficients: tuple[int, ...],
        *,
        denominator: int | None = None,
        cap: int | None = None,
    ) -> None:
        self.kind = kind
        self.id = id_
        self.services = services
        self.coefficients = coefficients
        self.denominator = sum(coefficients) if denominator is None else denominator
        self.cap = cap

    @property
    def key(self) -> tuple[QuantityKind, str]:
        """``(kind, id)``; the score's id is ``""``."""
        return self.kind, self.id

    def coefficient_of(self) -> dict[str, int]:
        """Each service's coefficient, by service id."""
        return dict(zip(self.services, self.coefficients, strict=True))

    def raw(self, units: Mapping[str, int]) -> int:
        """``Σ coefficientₛ · units[s]``, before any saturation."""
        return sum(map(mul, self.coefficients, map(units.__getitem__, self.services)))

    def numerator(self, units: Mapping[str, int]) -> int:
        """The value times ``denominator · scale``: `raw`, saturated at ``cap`` if any.

        Only an issue saturates by itself; a theme's or the score's numerator
        is composed from its issues' by `LinearForm.numerators`.
        """
        raw = sum(map(mul, self.coefficients, map(units.__getitem__, self.services)))
        return raw if self.cap is None or raw < self.cap else self.cap


class Concern:
    """Which services count for one territory under one ruleset, and why some do not."""

    __slots__ = ("concerned", "not_concerned", "refused_opt_outs")

    def __init__(
        self,
        concerned: tuple[str, ...],
        not_concerned: frozenset[str],
        refused_opt_outs: tuple[str, ...],
    ) -> None:
        self.concerned = concerned
        """Concerned service ids, in taxonomy order."""
        self.not_concerned = not_concerned
        self.refused_opt_outs = refused_opt_outs
        """Services declared not applicable although the rules do not allow it."""


# One issue of the structure: (issue id, issue weight, ((service id, weight), ...)).
_IssueNode = tuple[str, int, tuple[tuple[str, int], ...]]
_ThemeNode = tuple[str, int, tuple[_IssueNode, ...]]


class Structure:
    """What a ruleset says about every territory, read once: weights, applicability, credits.

    ``units[status]`` is the credit of *status* times ``scale`` (a refused
    ``NOT_APPLICABLE`` earns as ``ABSENT``).
    """

    __slots__ = ("expectations", "opt_outs", "order", "restricted", "scale", "themes", "units")

    def __init__(self, ruleset: Ruleset) -> None:
        sw, iw = plain_dict(ruleset.service_weights), plain_dict(ruleset.issue_weights)
        tw = plain_dict(ruleset.theme_weights)
        self.themes: tuple[_ThemeNode, ...] = tuple(
            (
                theme.id,
                tw.get(theme.id, 1),
                tuple(
                    (
                        issue.id,
                        iw.get(issue.id, 1),
                        tuple((s.id, sw.get(s.id, 1)) for s in issue.services),
                    )
                    for issue in theme.issues
                ),
            )
            for theme in ruleset.taxonomy.themes
        )
        self.order: tuple[str, ...] = tuple(s.id for s in ruleset.taxonomy.services)
        # Services absent from `applicability` concern every territory, with no opt-out.
        self.restricted: dict[str, Applicability] = dict(plain_dict(ruleset.applicability))
        self.opt_outs = frozenset(sid for sid, rule in self.restricted.items() if rule.opt_out)
        credits = ruleset.credits
        self.scale = math.lcm(*(credits[status].denominator for status in CREDITED))
        units = {status: int(credits[status] * self.scale) for status in CREDITED}
        units[Status.NOT_APPLICABLE] = units[Status.ABSENT]
        self.units: dict[Status, int] = units
        self.expectations = ruleset.expectations

    def concern(self, territory: Territory, statuses: Mapping[str, Status]) -> Concern:
        """Sort the services into concerned and not concerned for *territory*.

        *statuses* are the effective statuses the territory declares (only
        ``NOT_APPLICABLE`` matters here): a service leaves every denominator
        when its applicability rule excludes the territory, or when the rule
        lets it opt out and it does.
        """
        concerned: list[str] = []
        not_concerned: list[str] = []
        refused: list[str] = []
        restricted = self.restricted
        for sid in self.order:
            rule = restricted.get(sid)
            if rule is not None and not rule.concerns(territory):
                not_concerned.append(sid)
            elif statuses.get(sid) is Status.NOT_APPLICABLE:
                if rule is not None and rule.opt_out:
                    not_concerned.append(sid)
                else:
                    refused.append(sid)
                    concerned.append(sid)
            else:
                concerned.append(sid)
        return Concern(tuple(concerned), frozenset(not_concerned), tuple(refused))

    def expectation(self, territory: Territory) -> Expectation | None:
        """The expectation of *territory*'s stratum, or ``None`` (share of potential)."""
        for expectation in self.expectations:
            if expectation.covers(territory):
                return expectation
        return None

    def form(
        self, concerned: tuple[str, ...], expectation: Expectation | None = None
    ) -> LinearForm:
        """The linear form of the scores once *concerned* (in taxonomy order) is known.

        Under *expectation* (the territory's stratum, see `expectation`) an
        issue saturates once covered: its quantity gets a ``cap``.
        """
        return LinearForm(self, concerned, expectation)


def _capped(value: int, cap: int | None) -> int:
    return value if cap is None or value < cap else cap


class LinearForm:
    """Every score of one concerned set as integer coefficients over one denominator.

    ``score`` is the overall score; ``themes`` and ``issues`` hold a quantity
    for each theme and issue that has a concerned service (the others have no
    score), in taxonomy order. The nesting is kept beside the expanded
    coefficients so that evaluating every quantity at once is linear:
    ``issue_factor[i]`` turns issue *i*'s numerator into its share of its
    theme's numerator, ``theme_factor[t]`` turns theme *t*'s into its share of
    the score's.

    Under a size-aware expectation an issue *saturates*: its numerator stops
    at its quantity's ``cap`` (`Quantity.numerator`), and its denominator is
    the expected credit rather than its potential when that is smaller; with a
    ``theme_breadth`` a theme saturates in the same way over its issues. The
    themes and the score are then composed from the issues (`numerators`);
    their expanded coefficients hold only below every cap, and ``saturating``
    says whether some issue can saturate before its potential is reached.
    """

    __slots__ = (
        "concerned",
        "issue_factor",
        "issue_of",
        "issues",
        "issues_of_theme",
        "saturating",
        "scale",
        "score",
        "theme_factor",
        "theme_of",
        "themes",
        "units",
    )

    def __init__(
        self,
        structure: Structure,
        concerned: tuple[str, ...],
        expectation: Expectation | None = None,
    ) -> None:
        self.concerned = concerned
        self.scale = structure.scale
        self.units = structure.units
        counted = frozenset(concerned)
        # (id, weight, [(issue id, weight, services, weights, total)]) of the themes with a score.
        kept: list[tuple[str, int, list[tuple[str, int, tuple[str, ...], tuple[int, ...]]]]] = []
        for theme_id, theme_weight, issues in structure.themes:
            kept_issues = []
            for issue_id, issue_weight, nodes in issues:
                members = [(sid, w) for sid, w in nodes if sid in counted]
                if members:
                    ids, weights = zip(*members, strict=True)
                    kept_issues.append((issue_id, issue_weight, ids, weights))
            if kept_issues:
                kept.append((theme_id, theme_weight, kept_issues))

        self.issues: dict[str, Quantity] = {}
        self.themes: dict[str, Quantity] = {}
        self.issue_factor: dict[str, int] = {}
        self.theme_factor: dict[str, int] = {}
        self.issues_of_theme: dict[str, tuple[str, ...]] = {}
        self.issue_of: dict[str, str] = {}
        self.theme_of: dict[str, str] = {}
        theme_parts: list[tuple[str, int, int, tuple[str, ...], tuple[int, ...]]] = []
        top = structure.units[Status.DEPLOYED]
        self.saturating = False
        for theme_id, theme_weight, kept_issues in kept:
            issue_quantities: list[tuple[int, Quantity]] = []
            for issue_id, issue_weight, ids, weights in kept_issues:
                quantity = self._issue(issue_id, ids, weights, expectation, top)
                issue_quantities.append((issue_weight, quantity))
            common = math.lcm(*(q.denominator for _, q in issue_quantities))
            # A theme covered at a breadth of p/q issues: value = min(q·Σ, p·common·top) / (p·common·scale).
            issue_total = sum(weight for weight, _ in issue_quantities)
            breadth = None if expectation is None else expectation.theme_breadth
            if breadth is not None and breadth < issue_total:
                self.saturating = True
                times, theme_denominator = breadth.denominator, breadth.numerator * common
                theme_cap: int | None = theme_denominator * top
            else:
                times, theme_denominator, theme_cap = 1, common * issue_total, None
            services: list[str] = []
            coefficients: list[int] = []
            for issue_weight, quantity in issue_quantities:
                issue_id, ids = quantity.id, quantity.services
                self.issues[issue_id] = quantity
                factor = times * issue_weight * (common // quantity.denominator)
                self.issue_factor[issue_id] = factor
                services.extend(ids)
                coefficients.extend(factor * c for c in quantity.coefficients)
                self.issue_of.update(dict.fromkeys(ids, issue_id))
                self.theme_of[issue_id] = theme_id
            self.issues_of_theme[theme_id] = tuple(issue_id for issue_id, *_ in kept_issues)
            theme = Quantity(
                QuantityKind.THEME,
                theme_id,
                tuple(services),
                tuple(coefficients),
                denominator=theme_denominator,
                cap=theme_cap,
            )
            self.themes[theme_id] = theme
            theme_parts.append(
                (theme_id, theme_weight, theme.denominator, theme.services, theme.coefficients)
            )
        common = math.lcm(*(denominator for _, _, denominator, _, _ in theme_parts))
        services = []
        coefficients = []  # of the score
        for theme_id, theme_weight, denominator, ids, theme_coefficients in theme_parts:
            factor = theme_weight * (common // denominator)
            self.theme_factor[theme_id] = factor
            services.extend(ids)
            coefficients.extend(factor * c for c in theme_coefficients)
        self.score = Quantity(
            QuantityKind.SCORE,
            "",
            tuple(services),
            tuple(coefficients),
            denominator=common * sum(weight for _, weight, *_ in theme_parts),
        )

    def _issue(
        self,
        issue_id: str,
        ids: tuple[str, ...],
        weights: tuple[int, ...],
        expectation: Expectation | None,
        top: int,
    ) -> Quantity:
        """One issue's quantity: its potential, or its expectation when that is smaller."""
        potential = sum(weights)
        expected = None if expectation is None else expectation.coverage_of(issue_id)
        if expected is None or expected >= potential:
            return Quantity(QuantityKind.ISSUE, issue_id, ids, weights)
        # Covered at `expected` = p/q of weighted credit: value = min(q·Σ, p·top) / (p·scale).
        self.saturating = True
        p, q = expected.numerator, expected.denominator
        return Quantity(
            QuantityKind.ISSUE,
            issue_id,
            ids,
            tuple(q * w for w in weights),
            denominator=p,
            cap=p * top,
        )

    def single_gains(self, units: Mapping[str, int]) -> dict[str, int]:
        """What deploying each concerned service alone adds to the score's numerator.

        Exact under saturation: a service of an issue, or of a theme, that is
        already covered adds nothing.
        """
        top = self.units[Status.DEPLOYED]
        _, themes, issues = self.numerators(units)
        gains: dict[str, int] = {}
        for issue_id, quantity in self.issues.items():
            theme_id = self.theme_of[issue_id]
            theme_cap = self.themes[theme_id].cap
            uncapped_theme = sum(
                self.issue_factor[i] * issues[i] for i in self.issues_of_theme[theme_id]
            )
            raw = quantity.raw(units)
            for sid, coefficient in zip(quantity.services, quantity.coefficients, strict=True):
                after = _capped(raw + coefficient * (top - units[sid]), quantity.cap)
                theme_after = uncapped_theme + self.issue_factor[issue_id] * (
                    after - issues[issue_id]
                )
                gained = _capped(theme_after, theme_cap) - themes[theme_id]
                gains[sid] = self.theme_factor[theme_id] * gained
        return gains

    def issue_potential(self, units: Mapping[str, int]) -> dict[str, int]:
        """What covering each issue fully, alone, would add to the score's numerator."""
        top = self.units[Status.DEPLOYED]
        _, themes, issues = self.numerators(units)
        potential: dict[str, int] = {}
        for issue_id, quantity in self.issues.items():
            theme_id = self.theme_of[issue_id]
            uncapped_theme = sum(
                self.issue_factor[i] * issues[i] for i in self.issues_of_theme[theme_id]
            )
            full = quantity.denominator * top
            theme_after = uncapped_theme + self.issue_factor[issue_id] * (full - issues[issue_id])
            gained = _capped(theme_after, self.themes[theme_id].cap) - themes[theme_id]
            potential[issue_id] = self.theme_factor[theme_id] * gained
        return potential

    def running_gains(self, units: Mapping[str, int], order: Iterable[str]) -> list[int]:
        """What deploying each service of *order* adds, after those before it, to the score's numerator.

        The gains add up to the gain of deploying them all. Linear: each step
        moves only its issue's numerator and its theme's (each saturated at its cap, if any).
        """
        progress = Progress(self, units)
        return [progress.take(sid) for sid in order]

    def quantity(self, kind: QuantityKind, id_: str = "") -> Quantity | None:
        """The quantity of that kind and id, or ``None`` when it has no score here."""
        if kind is QuantityKind.SCORE:
            return self.score
        if kind is QuantityKind.THEME:
            return self.themes.get(id_)
        return self.issues.get(id_)

    def numerators(self, units: Mapping[str, int]) -> tuple[int, dict[str, int], dict[str, int]]:
        """The numerators of the score, of each theme and of each issue, in one pass.

        Issues saturate at their cap, then themes at theme caps (size-aware
        expectations); without caps this is linear in the credits.

        *units* maps every concerned service to its credit times ``scale``;
        quantity q's value is its numerator over ``q.denominator * scale``.
        """
        issues = {issue_id: q.numerator(units) for issue_id, q in self.issues.items()}
        factor = self.issue_factor
        themes = {
            theme_id: _capped(
                sum(factor[i] * issues[i] for i in self.issues_of_theme[theme_id]), q.cap
            )
            for theme_id, q in self.themes.items()
        }
        score = sum(self.theme_factor[t] * n for t, n in themes.items())
        return score, themes, issues

    def value(self, quantity: Quantity, units: Mapping[str, int]) -> Fraction:
        """The exact value of one quantity for credits *units* (0 for an empty score)."""
        if not quantity.denominator:
            return Fraction(0)
        if quantity.kind is QuantityKind.ISSUE or not self.saturating:
            return Fraction(quantity.numerator(units), quantity.denominator * self.scale)
        score, themes, _ = self.numerators(units)
        numerator = score if quantity.kind is QuantityKind.SCORE else themes[quantity.id]
        return Fraction(numerator, quantity.denominator * self.scale)

    def fraction(self, quantity: Quantity, numerator: int) -> Fraction:
        """A numerator of *quantity* as its exact value (0 for an empty score)."""
        if not quantity.denominator:
            return Fraction(0)
        return Fraction(numerator, quantity.denominator * self.scale)


class Progress:
    """Services deployed one by one: what the next one would add, and taking it.

    Each step moves only its issue's numerator and its theme's (each saturated
    at its cap, if any), so asking and taking cost no more than a few integer
    operations. Under caps, what a service adds can only shrink as others are
    taken.
    """

    __slots__ = ("_coefficients", "_form", "_issues", "_raw", "_sums", "_top", "_units")

    def __init__(self, form: LinearForm, units: Mapping[str, int]) -> None:
        self._form = form
        self._units = units
        self._top = form.units[Status.DEPLOYED]
        self._raw = {issue_id: q.raw(units) for issue_id, q in form.issues.items()}
        self._issues = {i: _capped(self._raw[i], q.cap) for i, q in form.issues.items()}
        # Each theme's numerator before its own cap: the weighted sum of its issues'.
        self._sums = {
            t: sum(form.issue_factor[i] * self._issues[i] for i in form.issues_of_theme[t])
            for t in form.themes
        }
        self._coefficients: dict[str, dict[str, int]] = {}

    def _step(self, sid: str) -> tuple[str, str, int, int, int]:
        form = self._form
        issue_id = form.issue_of[sid]
        quantity = form.issues[issue_id]
        if issue_id not in self._coefficients:
            self._coefficients[issue_id] = quantity.coefficient_of()
        raw = self._raw[issue_id] + self._coefficients[issue_id][sid] * (
            self._top - self._units[sid]
        )
        now = _capped(raw, quantity.cap)
        theme_id = form.theme_of[issue_id]
        total = self._sums[theme_id] + form.issue_factor[issue_id] * (now - self._issues[issue_id])
        cap = form.themes[theme_id].cap
        gain = form.theme_factor[theme_id] * (
            _capped(total, cap) - _capped(self._sums[theme_id], cap)
        )
        return issue_id, theme_id, raw, total, gain

    def gain(self, sid: str) -> int:
        """What deploying *sid* now would add to the score's numerator."""
        return self._step(sid)[4]

    def take(self, sid: str) -> int:
        """Deploy *sid* (it must not be deployed already); what it adds to the score's numerator."""
        issue_id, theme_id, raw, total, gain = self._step(sid)
        self._raw[issue_id] = raw
        self._issues[issue_id] = _capped(raw, self._form.issues[issue_id].cap)
        self._sums[theme_id] = total
        return gain
