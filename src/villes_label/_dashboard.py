"""A territory's steering dashboard, as one value: grade, plan, questions, initiatives, peers.

The label's platform gives each territory "a simplified steering dashboard
(diagnostics, recommendations)". `dashboard` gathers what the library computes
for one dossier: its assessment (grade, themes, enjeux), the plan for the next
grade (`recommend`), the questions to ask first (`next_questions`), its
initiatives by enjeu, and, with a cohort, the peers that already deploy each
service of the plan (`peers`). Pure: no I/O; `report()` and ``_repr_html_()``
render it for people.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Final, Literal, cast

import attrs

from villes_label import _text
from villes_label._atlas import Peer, peers
from villes_label._check import Id, finish, items_of, lenient
from villes_label._errors import InvalidInput, Problem, not_a
from villes_label._plans import Plan, next_questions, recommend
from villes_label._roadmap import Roadmap, roadmap
from villes_label._rules import MAX_GRADE, Ruleset
from villes_label._scoring import Assessment, assess, read_retired_ids
from villes_label._territory import Dossier
from villes_label._values import FrozenMap, shown
from villes_label._vocabulary import points_in

if TYPE_CHECKING:
    from collections.abc import Iterator
    from fractions import Fraction

__all__ = ["Dashboard", "dashboard"]

PEERS_PER_STEP: Final = 3
"""How many peers the dashboard shows for each step of the plan."""
QUESTIONS: Final = 5
"""How many questions the dashboard asks first."""


# Small typed converters (mypy's attrs plugin cannot follow generic ones): each reads its
# argument, or keeps the problems found for `finish` to report.
def _ids_by_key(value: Mapping[str, Iterable[str]]) -> FrozenMap[str, tuple[str, ...]]:
    return lenient(Mapping[Id, tuple[Id, ...]], value)  # type: ignore[no-any-return]


def _peers_by_key(value: Mapping[str, Iterable[Peer]]) -> FrozenMap[str, tuple[Peer, ...]]:
    return lenient(Mapping[Id, tuple[Peer, ...]], value)  # type: ignore[no-any-return]


def _names(value: Mapping[str, str]) -> FrozenMap[str, str]:
    return lenient(Mapping[Id, str], value)  # type: ignore[no-any-return]


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return lenient(tuple[Id, ...], value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Dashboard:
    """One territory's dashboard: what it is worth, what to do next, who already did it.

    - ``assessment``: grade, score, themes and enjeux (`assess`);
    - ``plan``: the fewest services to deploy for the next grade (`recommend`);
    - ``roadmap``: that plan spread over the years to come (`roadmap`; ``None`` in a
      dashboard built by hand without one);
    - ``questions``: the undeclared services worth asking about first (`next_questions`);
    - ``initiatives``: for each enjeu, the ids of the dossier's actions that count this
      year and deliver one of its services, in the order of the ids (an action may serve
      several enjeux);
    - ``peers``: for each service of the plan, the territories of the cohort that
      already deploy it, nearest first (empty without a cohort);
    - ``names``: the names of the themes, enjeux and services shown, by id, so that the
      reports read without the referential.

    >>> import villes_label as vl
    >>> board = vl.dashboard(vl.referential.sample_dossier(), vl.default_ruleset())
    >>> board.assessment.grade, board.plan.target, len(board.questions) <= 5
    (3, 4, True)
    >>> print(board.report("en").splitlines()[0])
    Dashboard — Saint-Exemple-sur-Vilaine (35999), label 2016
    """

    dossier: Dossier
    assessment: Assessment
    plan: Plan
    roadmap: Roadmap | None = None
    questions: tuple[str, ...] = attrs.field(converter=_str_tuple, default=())
    initiatives: Mapping[str, tuple[str, ...]] = attrs.field(
        converter=_ids_by_key, factory=FrozenMap
    )
    peers: Mapping[str, tuple[Peer, ...]] = attrs.field(converter=_peers_by_key, factory=FrozenMap)
    names: Mapping[str, str] = attrs.field(converter=_names, factory=FrozenMap)

    def __attrs_post_init__(self) -> None:
        # `dashboard` builds consistent values; this guards values built by hand or read from data.
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if (
            not failed & {"assessment", "dossier"}
            and self.assessment.territory != self.dossier.territory
        ):
            yield Problem(
                ("assessment",), "the assessment is of another territory than the dossier"
            )
        if (
            not failed & {"roadmap", "plan"}
            and self.roadmap is not None
            and self.roadmap.target != self.plan.target
        ):
            yield Problem(("roadmap",), "expected the roadmap of the plan's target")
        if not failed & {"initiatives", "dossier"}:
            actions = {action.id for action in self.dossier.actions}
            yield from (
                Problem(("initiatives", issue), f"{shown(action_id)} is no action of the dossier")
                for issue, ids in self.initiatives.items()
                for action_id in ids
                if action_id not in actions
            )
        if not failed & {"peers", "plan"}:
            steps = {step.service for step in self.plan.steps}
            yield from (
                Problem(("peers", service), "not a service of the plan")
                for service in self.peers
                if service not in steps
            )

    def name_of(self, key: str) -> str:
        """The name of a theme, enjeu or service shown (its id when not known)."""
        if not isinstance(key, str):
            raise not_a("key", "a theme, issue or service id (a str)", key)
        return self.names.get(key, key)

    def report(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The dashboard as text, in French (default) or English."""
        if lang not in ("fr", "en"):
            raise InvalidInput(Problem(("lang",), f"expected 'fr' or 'en', got {shown(lang)}"))
        return "\n".join(_report(self, lang))

    def __str__(self) -> str:
        return self.report("en")

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, lang: Literal["fr", "en"] = "fr") -> str:
        """The dashboard as an HTML fragment for notebooks, in French (default) or English."""
        fr = _text.check_lang(lang) == "fr"
        result = self.assessment
        t = result.territory
        esc = html.escape

        def rows(items: Iterable[tuple[str, str]]) -> str:
            return "".join(f"<tr><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for a, b in items)

        def scores(title: str, values: Mapping[str, Fraction]) -> str:
            body = rows((self.name_of(k), _text.number(v, lang)) for k, v in values.items())
            return (
                f"<table><thead><tr><th>{title}</th><th>Score</th></tr></thead>"
                f"<tbody>{body}</tbody></table>"
            )

        steps = "".join(
            f"<li>{esc(self.name_of(step.service))} (+{esc(_text.amount(step.gain, lang))})"
            + (
                " — "
                + esc(", ".join(_peer_label(peer) for peer in self.peers.get(step.service, ())))
                if self.peers.get(step.service)
                else ""
            )
            + "</li>"
            for step in self.plan.steps
        )
        questions = "".join(f"<li>{esc(self.name_of(q))}</li>" for q in self.questions)
        actions = {action.id: action for action in self.dossier.actions}
        initiatives = rows(
            (self.name_of(issue), ", ".join(actions[i].title for i in ids))
            for issue, ids in self.initiatives.items()
        )
        colon = _text.colon(lang)
        ask = "Questions à poser d'abord" if fr else "Questions to ask first"
        target = esc(_text.grade_label(self.plan.target, lang))
        unreachable = (" (inatteignable)" if fr else " (not reachable)") * (not self.plan.reachable)
        return (
            '<div class="villes-label-dashboard">'
            f"<h4>{esc(t.name)} ({esc(t.code)}) — {result.year}{colon} "
            f"{esc(_text.grade_label(result.grade, lang))}, "
            f"score {_text.number(result.score, lang)}/100</h4>"
            + scores("Thème" if fr else "Theme", result.themes)
            + f"<details><summary>{'Enjeux' if fr else 'Issues'}</summary>"
            + scores("Enjeu" if fr else "Issue", result.issues)
            + "</details>"
            + f"<p>{'Plan pour' if fr else 'Plan for'} {target}{unreachable}{colon}</p>"
            f"<ol>{steps}</ol>"
            + (
                f"<p>{'Feuille de route' if fr else 'Roadmap'}{colon} "
                f"{esc(self.roadmap.summary(lang))}</p>"
                if self.roadmap is not None
                else ""
            )
            + f"<p>{esc(ask)}{colon}</p>"
            f"<ul>{questions}</ul>"
            f"<details><summary>{'Initiatives par enjeu' if fr else 'Initiatives by issue'}"
            f"</summary><table><tbody>{initiatives}</tbody></table></details></div>"
        )


def _peer_label(peer: Peer) -> str:
    t = peer.territory
    where = f", {peer.distance_km:.0f} km" if peer.distance_km is not None else ""
    return f"{t.name} ({t.code}{where})"


_PROXIMITY_FR: Final = {
    "departement": "même département",
    "region": "même région",
    "national": "ailleurs",
}
_PROXIMITY_EN: Final = {
    "departement": "same département",
    "region": "same région",
    "national": "elsewhere",
}


def _report(board: Dashboard, lang: Literal["fr", "en"]) -> list[str]:
    fr = lang == "fr"
    result = board.assessment
    t = result.territory

    def fmt(value: Fraction) -> str:
        return points_in(value, lang)

    lines = [
        f"{'Tableau de bord' if fr else 'Dashboard'} — {t.name} ({t.code}), label {result.year}",
        (
            f"Note : {_text.grade_label(result.grade, lang)} — score {fmt(result.score)}/100"
            if fr
            else f"Grade: {_text.grade_label(result.grade, lang)} — score {fmt(result.score)}/100"
        ),
        "Thèmes :" if fr else "Themes:",
    ]
    lines.extend(f"  {board.name_of(k):<40} {fmt(v):>6}" for k, v in result.themes.items())
    lines.append("Enjeux :" if fr else "Issues:")
    lines.extend(f"  {board.name_of(k):<40} {fmt(v):>6}" for k, v in result.issues.items())
    if result.mentions:
        lines.append(("Mentions : " if fr else "Mentions: ") + ", ".join(result.mentions))
    plan = board.plan
    if result.grade >= MAX_GRADE:
        lines.append("Note maximale atteinte." if fr else "Highest grade reached.")
    elif not plan.reachable:
        lines.append(
            f"{_text.grade_label(plan.target, lang)} n'est pas atteignable, même en déployant tout."
            if fr
            else f"{_text.grade_label(plan.target, lang)} cannot be reached, even by deploying everything."
        )
    elif plan.steps:
        count = len(plan.steps)
        lines.append(
            f"Plan pour {_text.grade_label(plan.target, lang)} : {count} service{'s' if count > 1 else ''} "
            "à déployer"
            if fr
            else f"Plan for {_text.grade_label(plan.target, lang)}: {count} service{'s' if count > 1 else ''} "
            "to deploy"
        )
        proximity = _PROXIMITY_FR if fr else _PROXIMITY_EN
        for step in plan.steps:
            lines.append(f"  - {board.name_of(step.service)} (+{_text.amount(step.gain, lang)})")
            found = board.peers.get(step.service, ())
            if found:
                label = "déjà fait par" if fr else "already done by"
                shown = (" ; " if fr else "; ").join(
                    f"{_peer_label(peer)}, {proximity[peer.proximity]}" for peer in found
                )
                lines.append(f"      {label} : {shown}" if fr else f"      {label}: {shown}")
    road = board.roadmap
    if road is not None and road.years and road.reachable and result.grade < road.target:
        lines.append("Feuille de route :" if fr else "Roadmap:")
        lines.extend(f"  {entry.summary(lang)}" for entry in road.years)
        lines.append(f"  {road.summary(lang)}")
    if board.questions:
        lines.append("Questions à poser d'abord :" if fr else "Questions to ask first:")
        lines.extend(f"  - {board.name_of(q)}" for q in board.questions)
    actions = {action.id: action for action in board.dossier.actions}
    if board.initiatives:
        lines.append("Initiatives par enjeu :" if fr else "Initiatives by issue:")
        for issue, ids in board.initiatives.items():
            titles = ", ".join(actions[i].title for i in ids)
            lines.append(f"  {board.name_of(issue)} ({len(ids)}) : {titles}" if fr else
                         f"  {board.name_of(issue)} ({len(ids)}): {titles}")  # fmt: skip
    expired = sorted(board.dossier.expired_actions, key=attrgetter("id"))
    if expired:
        lines.append(
            "Initiatives de plus de deux ans, qui ne comptent plus :"
            if fr
            else "Initiatives over two years old, which no longer count:"
        )
        lines.extend(f"  - {action.title} ({action.date})" for action in expired)
    return lines


def dashboard(
    dossier: Dossier,
    ruleset: Ruleset,
    cohort: Iterable[Dossier] | None = None,
    *,
    target: int | None = None,
    years: int = 4,
) -> Dashboard:
    """The dashboard of *dossier* under *ruleset*, with peers from *cohort* if given.

    Args:
        dossier: the territory's dossier.
        ruleset: the rules to assess it under.
        cohort: other territories' dossiers, where the peers of the plan's steps are
            looked for (nearest first: same département, then région); the dossier's
            own territory is left out. Former ids are read as their successors, as
            `assess` reads them, in the dossier and in the cohort.
        target: the grade the plan aims at (default: the next grade).
        years: the horizon of the roadmap (4: the next municipal elections), at
            most 100 (see `roadmap`).

    Raises:
        InvalidInput: as `assess`, `recommend` and `roadmap`, or a cohort item that is
            not a `Dossier`.

    >>> import villes_label as vl
    >>> cohort = vl.referential.national_cohort(80, seed=1)
    >>> board = vl.dashboard(cohort[0], vl.default_ruleset(), cohort)
    >>> all(len(found) <= 3 for found in board.peers.values())
    True
    """
    others = (
        () if cohort is None else cast("tuple[Dossier, ...]", items_of(cohort, "cohort", Dossier))
    )
    result = assess(dossier, ruleset)
    plan = recommend(dossier, ruleset, target)
    road = roadmap(dossier, ruleset, plan.target, years=years)
    questions = next_questions(dossier, ruleset, limit=QUESTIONS)
    taxonomy = ruleset.taxonomy
    # As `assess` reads it: an action on a former id serves the service that took it over.
    read, _ = read_retired_ids(dossier, ruleset)
    initiatives: dict[str, list[str]] = {}
    for issue in taxonomy.issues:
        ids = {service.id for service in issue.services}
        # By id, as an assessment's reasons: the order of a dossier's actions changes nothing.
        delivering = sorted(a.id for a in read.counted_actions if not ids.isdisjoint(a.services))
        if delivering:
            initiatives[issue.id] = delivering
    found: dict[str, tuple[Peer, ...]] = {}
    if cohort is not None:
        for step in plan.steps:
            nearest = peers(
                step.service, others, near=dossier, limit=PEERS_PER_STEP, ruleset=ruleset
            )
            if nearest:
                found[step.service] = nearest
    shown = {*result.themes, *result.issues, *questions, *(s.service for s in plan.steps)}
    names = {theme.id: theme.name for theme in taxonomy.themes if theme.id in shown}
    names.update((issue.id, issue.name) for issue in taxonomy.issues if issue.id in shown)
    names.update((service.id, service.name) for service in taxonomy.services if service.id in shown)
    return Dashboard(
        dossier=dossier,
        assessment=result,
        plan=plan,
        roadmap=road,
        questions=questions,
        initiatives=initiatives,
        peers=found,
        names=names,
    )
