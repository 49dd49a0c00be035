"""A plan spread over years: the label's "plan en quatre ans" towards the next elections.

Pure: no I/O, no clock, no randomness, no global state.
"""

from __future__ import annotations

import html
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal

import attrs

from villes_label import _text
from villes_label._check import finish, lenient
from villes_label._errors import InvalidInput, Problem
from villes_label._plans import Plan, Step, recommend
from villes_label._rules import MAX_GRADE
from villes_label._scoring import assess
from villes_label._values import is_int, shown

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from villes_label._rules import Ruleset
    from villes_label._territory import Dossier, Status

__all__ = ["MAX_YEARS", "Roadmap", "RoadmapYear", "roadmap"]

MAX_YEARS: Final = 100
"""The longest horizon `roadmap` accepts, in years (each year is assessed)."""


def _step_tuple(value: Iterable[Step]) -> tuple[Step, ...]:
    return lenient(tuple[Step, ...], value)  # type: ignore[no-any-return]


def _year_tuple(value: Iterable[RoadmapYear]) -> tuple[RoadmapYear, ...]:
    return lenient(tuple[RoadmapYear, ...], value)  # type: ignore[no-any-return]


def _fraction(value: Fraction | int | str) -> Fraction:
    return lenient(Fraction, value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class RoadmapYear:
    """One year of a `Roadmap`: its steps and what the dossier is worth at its end.

    Attributes:
        year: the calendar year (the dossier's year plus 1, 2, ...).
        steps: the steps taken during that year, in the plan's order.
        grade: the grade expected at the end of the year, every step so far taken.
        score: the overall score expected then (a fraction of the potential).

    >>> RoadmapYear(year=2017, steps=(), grade=3, score=Fraction(1, 2)).summary("en")
    '2017: nothing new — expected @@@ (grade 3), score 50.0'
    """

    year: int
    steps: tuple[Step, ...] = attrs.field(converter=_step_tuple, default=())
    grade: int
    score: Fraction = attrs.field(converter=_fraction)

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "grade" not in failed and not 0 <= self.grade <= MAX_GRADE:
            yield Problem(("grade",), f"expected an int in 0..{MAX_GRADE}, got {self.grade!r}")
        if "score" not in failed and not 0 <= self.score <= 1:
            yield Problem(("score",), f"{self.score} is not a fraction in [0, 1]")

    def summary(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The year in one line of *lang*: its services and the grade expected at its end."""
        lang = _text.check_lang(lang)
        fr = lang == "fr"
        if self.steps:
            done = ", ".join(_text.named(s.service, {s.service: s.name}) for s in self.steps)
        else:
            done = "rien de nouveau" if fr else "nothing new"
        expected = "note attendue" if fr else "expected"
        return (
            f"{self.year}{_text.colon(lang)} {done} — {expected} "
            f"{_text.grade_label(self.grade, lang)}, score {_text.number(self.score, lang)}"
        )


@attrs.frozen(kw_only=True)
class Roadmap:
    """A plan spread over years, with the grade expected at the end of each: see `roadmap`.

    Attributes:
        target: the grade to reach.
        reachable: whether the target can be reached at all (see `Plan`).
        start: the dossier's year; the roadmap's first year is ``start + 1``.
        horizon: how many years the roadmap should take (4: the next municipal
            elections).
        per_year: how many steps a year takes at most.
        grade: the grade today.
        score: the overall score today.
        years: one entry per year from ``start + 1`` until the target is reached,
            at least until the horizon; beyond it when the target needs longer.

    >>> from villes_label import default_ruleset, referential
    >>> road = roadmap(referential.sample_dossier(), default_ruleset(), 5, per_year=1)
    >>> road.reached_in, road.within_horizon, [y.grade for y in road.years]
    (2020, True, [4, 4, 4, 5])
    """

    target: int
    reachable: bool
    start: int
    horizon: int
    per_year: int
    grade: int
    score: Fraction = attrs.field(converter=_fraction)
    years: tuple[RoadmapYear, ...] = attrs.field(converter=_year_tuple, default=())

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        for name in ("target", "grade"):
            value = getattr(self, name)
            if name not in failed and not 0 <= value <= MAX_GRADE:
                yield Problem((name,), f"expected an int in 0..{MAX_GRADE}, got {value!r}")
        for name in ("horizon", "per_year"):
            value = getattr(self, name)
            if name not in failed and value < 1:
                yield Problem((name,), f"must be >= 1, got {value}")
        if "score" not in failed and not 0 <= self.score <= 1:
            yield Problem(("score",), f"{self.score} is not a fraction in [0, 1]")

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step of the roadmap, year after year."""
        return tuple(step for entry in self.years for step in entry.steps)

    @property
    def reached_in(self) -> int | None:
        """The first year whose expected grade reaches the target (``None`` when unreachable)."""
        if not self.reachable:
            return None
        if self.grade >= self.target:
            return self.start
        return next((y.year for y in self.years if y.grade >= self.target), None)

    @property
    def within_horizon(self) -> bool:
        """Whether the target is reached by the horizon (``start + horizon``)."""
        reached = self.reached_in
        return reached is not None and reached <= self.start + self.horizon

    def __str__(self) -> str:
        # A short English line for logs and the REPL; people read `explain`.
        return self.summary("en")

    def summary(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The roadmap's conclusion in one line of *lang*."""
        lang = _text.check_lang(lang)
        fr = lang == "fr"
        label = _text.grade_label(self.target, lang)
        end = self.start + self.horizon
        reached = self.reached_in
        if not self.reachable:
            if fr:
                return f"{label} est hors d'atteinte, même en déployant tous les services concernés"
            return f"{label} is out of reach, even with every concerned service deployed"
        if reached == self.start:
            return f"{label} est déjà atteint" if fr else f"{label} is already reached"
        pace = _pace(self.per_year, lang)
        if self.within_horizon:
            if fr:
                when = "à l'horizon" if reached == end else "avant l'horizon"
                return f"{label} atteint en {reached}, {when} {end} ({pace})"
            return f"{label} reached in {reached}, by the horizon {end} ({pace})"
        if fr:
            return f"{label} hors de l'horizon {end}{_text.colon(lang)} au plus tôt en {reached} ({pace})"
        return f"{label} beyond the horizon {end}{_text.colon(lang)} {reached} at the earliest ({pace})"

    def explain(self, lang: Literal["fr", "en"] = "fr") -> str:
        """A readable multi-line report, in French by default (English on demand)."""
        lang = _text.check_lang(lang)
        fr = lang == "fr"
        c = _text.colon(lang)
        end = self.start + self.horizon
        head = (
            f"Feuille de route {self.start + 1}–{end} vers {_text.grade_label(self.target, lang)}"
            if fr
            else f"Roadmap {self.start + 1}–{end} to {_text.grade_label(self.target, lang)}"
        )
        today = "aujourd'hui" if fr else "today"
        now = (
            f"{today} {_text.grade_label(self.grade, lang)}, score {_text.number(self.score, lang)}"
        )
        lines = [f"{head} — {now}"]
        lines.extend(f"  {entry.summary(lang)}" for entry in self.years)
        lines.append(("Conclusion" if fr else "Outcome") + f"{c} {self.summary(lang)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The roadmap as an HTML fragment for notebooks: one row per year."""
        lang = _text.check_lang(lang)
        fr = lang == "fr"
        rows = "".join(
            f"<tr><td>{entry.year}</td><td>"
            + "<br>".join(
                f"{html.escape(s.name or s.service)} <code>{html.escape(s.service)}</code>"
                for s in entry.steps
            )
            + f"</td><td>{html.escape(_text.grade_label(entry.grade, lang))}</td>"
            f"<td>{_text.number(entry.score, lang)}</td></tr>"
            for entry in self.years
        )
        titles = (
            ("Année", "Services", "Note attendue", "Score")
            if fr
            else (
                "Year",
                "Services",
                "Expected grade",
                "Score",
            )
        )
        cells = "".join(f"<th>{t}</th>" for t in titles)
        return (
            f'<div class="villes-label-roadmap"><h4>{html.escape(self.summary(lang))}</h4>'
            f"<table><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table></div>"
        )


def _pace(per_year: int, lang: Literal["fr", "en"]) -> str:
    if lang == "fr":
        return f"{per_year} service{'s' if per_year > 1 else ''} par an au plus"
    return f"at most {per_year} service{'s' if per_year > 1 else ''} a year"


def roadmap(
    dossier: Dossier,
    ruleset: Ruleset,
    target: int | None = None,
    *,
    years: int = 4,
    per_year: int | None = None,
    exclude: Iterable[str] = (),
    prefer: Literal["fewest", "started"] | Mapping[Status, int] = "fewest",
) -> Roadmap:
    """Spread the plan for *target* over *years* years, *per_year* steps a year at most.

    The plan is ``recommend(dossier, ruleset, target, exclude=exclude,
    prefer=prefer)``; its steps are taken in its order, *per_year* a year from
    the dossier's year plus one, and each year says the grade and score
    expected at its end. Without *per_year* the steps are spread evenly so
    that the target is reached at the horizon (the fewest steps a year that
    does). With *per_year*, when the plan needs more years than *years*, the
    roadmap goes on to the year the target is reached: with the default
    ``prefer="fewest"`` the plan has the fewest steps, so no roadmap at that
    pace reaches the target earlier.

    Args:
        dossier: what the territory declares.
        ruleset: the rules to reach the grade under.
        target: the grade to reach (default: the next grade).
        years: the horizon, in years (4: the next municipal elections), at
            most `MAX_YEARS` (100): each year of the roadmap is assessed.
        per_year: the most steps a year can take (default: as few as reach the
            target at the horizon).
        exclude: services never to propose.
        prefer: how steps are weighed (see `recommend`).

    Raises:
        InvalidInput: as `recommend`, *years* not an int in 1..100 (`MAX_YEARS`),
            or *per_year* not an int >= 1.

    >>> from villes_label import default_ruleset, referential
    >>> road = roadmap(referential.sample_dossier(), default_ruleset(), 5, years=4)
    >>> print(road.explain("en"))  # doctest: +NORMALIZE_WHITESPACE
    Roadmap 2017–2020 to @@@@@ (grade 5) — today @@@ (grade 3), score 60.4
      2017: Budget participatif [budget-participatif] — expected @@@@ (grade 4), score 64.6
      2018: Réseaux sociaux de la collectivité et réseau social local [reseau-social-local]
            — expected @@@@ (grade 4), score 68.8
      2019: Accueil des nouveaux habitants [accueil-nouveaux-habitants]
            — expected @@@@ (grade 4), score 72.9
      2020: Aide sociale en ligne [aide-sociale-en-ligne] — expected @@@@@ (grade 5), score 77.1
    Outcome: @@@@@ (grade 5) reached in 2020, by the horizon 2020 (at most 1 service a year)
    """
    problems = []
    if not is_int(years) or years < 1:
        problems.append(Problem(("years",), f"expected an int >= 1, got {shown(years)}"))
    elif years > MAX_YEARS:
        problems.append(Problem(("years",), f"at most {MAX_YEARS} years, got {shown(years)}"))
    if per_year is not None and (not is_int(per_year) or per_year < 1):
        problems.append(
            Problem(("per_year",), f"expected an int >= 1 or None, got {shown(per_year)}")
        )
    if problems:
        raise InvalidInput(*problems)
    plan = recommend(dossier, ruleset, target, exclude=exclude, prefer=prefer)
    current = assess(dossier, ruleset)
    pace = per_year if per_year is not None else max(1, math.ceil(len(plan.steps) / years))
    entries: list[RoadmapYear] = []
    if plan.reachable:
        count = max(years, math.ceil(len(plan.steps) / pace))
        taken = dossier
        for n in range(count):
            chunk = plan.steps[n * pace : (n + 1) * pace]
            taken = Plan(target=plan.target, reachable=True, steps=chunk).apply(taken)
            result = assess(taken, ruleset)
            entries.append(
                RoadmapYear(
                    year=dossier.year + n + 1, steps=chunk, grade=result.grade, score=result.score
                )
            )
    return Roadmap(
        target=plan.target,
        reachable=plan.reachable,
        start=dossier.year,
        horizon=years,
        per_year=pace,
        grade=current.grade,
        score=current.score,
        years=tuple(entries),
    )
