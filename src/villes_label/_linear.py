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

import enum
import math
from fractions import Fraction
from operator import mul
from typing import TYPE_CHECKING

from villes_label._territory import Status
from villes_label._values import plain_dict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from villes_label._rules import Applicability, Ruleset
    from villes_label._territory import Territory

__all__ = ["CREDITED", "Concern", "LinearForm", "Quantity", "QuantityKind", "Structure"]

CREDITED = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)
"""The statuses that earn a credit, in credit order."""


class QuantityKind(enum.StrEnum):
    """What a quantity of the linear form measures."""

    SCORE = "score"
    THEME = "theme"
    ISSUE = "issue"


class Quantity:
    """One quantity (the score, a theme or an issue) as a weighted sum of credits.

    ``value = Σ coefficients[k] · credit(services[k]) / denominator``, where
    the coefficients are positive integers whose sum is the denominator (a
    weighted mean). ``services`` are in taxonomy order.
    """

    __slots__ = ("coefficients", "denominator", "id", "kind", "services")

    def __init__(
        self,
        kind: QuantityKind,
        id_: str,
        services: tuple[str, ...],
        coefficients: tuple[int, ...],
    ) -> None:
        self.kind = kind
        self.id = id_
        self.services = services
        self.coefficients = coefficients
        self.denominator = sum(coefficients)

    @property
    def key(self) -> tuple[QuantityKind, str]:
        """``(kind, id)``; the score's id is ``""``."""
        return self.kind, self.id

    def coefficient_of(self) -> dict[str, int]:
        """Each service's coefficient, by service id."""
        return dict(zip(self.services, self.coefficients, strict=True))

    def numerator(self, units: Mapping[str, int]) -> int:
        """``Σ coefficientₛ · units[s]``: the value times ``denominator · scale``."""
        return sum(map(mul, self.coefficients, map(units.__getitem__, self.services)))


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

    __slots__ = ("opt_outs", "order", "restricted", "scale", "themes", "units")

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

    def form(self, concerned: tuple[str, ...]) -> LinearForm:
        """The linear form of the scores once *concerned* (in taxonomy order) is known."""
        return LinearForm(self, concerned)


class LinearForm:
    """Every score of one concerned set as integer coefficients over one denominator.

    ``score`` is the overall score; ``themes`` and ``issues`` hold a quantity
    for each theme and issue that has a concerned service (the others have no
    score), in taxonomy order. The nesting is kept beside the expanded
    coefficients so that evaluating every quantity at once is linear:
    ``issue_factor[i]`` turns issue *i*'s numerator into its share of its
    theme's numerator, ``theme_factor[t]`` turns theme *t*'s into its share of
    the score's.

    Extending the model (say, a quantity that saturates) means changing how a
    quantity is evaluated here, and nowhere else.
    """

    __slots__ = (
        "concerned",
        "issue_factor",
        "issue_of",
        "issues",
        "issues_of_theme",
        "scale",
        "score",
        "theme_factor",
        "theme_of",
        "themes",
        "units",
    )

    def __init__(self, structure: Structure, concerned: tuple[str, ...]) -> None:
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
        for theme_id, theme_weight, kept_issues in kept:
            common = math.lcm(*(sum(weights) for _, _, _, weights in kept_issues))
            services: list[str] = []
            coefficients: list[int] = []
            for issue_id, issue_weight, ids, weights in kept_issues:
                quantity = Quantity(QuantityKind.ISSUE, issue_id, ids, weights)
                self.issues[issue_id] = quantity
                factor = issue_weight * (common // quantity.denominator)
                self.issue_factor[issue_id] = factor
                services.extend(ids)
                coefficients.extend(factor * w for w in weights)
                self.issue_of.update(dict.fromkeys(ids, issue_id))
                self.theme_of[issue_id] = theme_id
            self.issues_of_theme[theme_id] = tuple(issue_id for issue_id, *_ in kept_issues)
            theme = Quantity(QuantityKind.THEME, theme_id, tuple(services), tuple(coefficients))
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
        self.score = Quantity(QuantityKind.SCORE, "", tuple(services), tuple(coefficients))

    def quantity(self, kind: QuantityKind, id_: str = "") -> Quantity | None:
        """The quantity of that kind and id, or ``None`` when it has no score here."""
        if kind is QuantityKind.SCORE:
            return self.score
        if kind is QuantityKind.THEME:
            return self.themes.get(id_)
        return self.issues.get(id_)

    def numerators(self, units: Mapping[str, int]) -> tuple[int, dict[str, int], dict[str, int]]:
        """The numerators of the score, of each theme and of each issue, in one linear pass.

        *units* maps every concerned service to its credit times ``scale``;
        quantity q's value is its numerator over ``q.denominator * scale``.
        """
        issues = {issue_id: q.numerator(units) for issue_id, q in self.issues.items()}
        factor = self.issue_factor
        themes = {
            theme_id: sum(factor[i] * issues[i] for i in self.issues_of_theme[theme_id])
            for theme_id in self.themes
        }
        score = sum(self.theme_factor[t] * n for t, n in themes.items())
        return score, themes, issues

    def value(self, quantity: Quantity, units: Mapping[str, int]) -> Fraction:
        """The exact value of one quantity for credits *units* (0 for an empty score)."""
        if not quantity.denominator:
            return Fraction(0)
        return Fraction(quantity.numerator(units), quantity.denominator * self.scale)

    def fraction(self, quantity: Quantity, numerator: int) -> Fraction:
        """A numerator of *quantity* as its exact value (0 for an empty score)."""
        if not quantity.denominator:
            return Fraction(0)
        return Fraction(numerator, quantity.denominator * self.scale)
