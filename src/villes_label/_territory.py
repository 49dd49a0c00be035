"""Territories, statuses, actions and the dossier a territory declares for one year."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from villes_label._errors import InvalidInput
from villes_label._geo import departement_of, departement_problem
from villes_label._initiatives import Actor, Place, link_problem
from villes_label._values import FrozenMap, is_instance, plain_dict
from villes_label._vocabulary import Status, TerritoryKind

__all__ = ["Action", "Dossier", "Status", "Territory", "TerritoryKind"]

FIRST_YEAR = 2000
"""The label was created in 2000."""
LAST_YEAR = 2100


def _kind(value: TerritoryKind) -> TerritoryKind:
    # A value string ("commune") is read as its member; anything else is reported later.
    if is_instance(value, str) and value in TerritoryKind._value2member_map_:
        return TerritoryKind(value)
    return value


def _status(value: Status) -> Status:
    if is_instance(value, str) and value in Status._value2member_map_:
        return Status(value)
    return value


_COMMUNE_CODE = re.compile(r"(?:0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5])\d{3}|2[AB]\d{3}|97[1-6]\d{2}")
_SIREN = re.compile(r"\d{9}")


def _territory_problems(
    code: object, name: object, kind: object, population: object, departement: object = None
) -> list[str]:
    problems: list[str] = []
    if not isinstance(name, str) or not name.strip():
        problems.append("name: a territory needs a non-empty name")
    if not isinstance(kind, TerritoryKind):
        problems.append(f"kind: expected a TerritoryKind, got {kind!r}")
    if not isinstance(code, str):
        problems.append(f"code: expected a str, got {type(code).__name__} {code!r}")
    elif kind is TerritoryKind.COMMUNE and not _COMMUNE_CODE.fullmatch(code):
        problems.append(
            f"code: {code!r} is not a commune's INSEE code "
            "(5 characters: department 01-95, 2A/2B or 971-976, then the commune)"
        )
    elif isinstance(kind, TerritoryKind) and kind.is_epci and not _SIREN.fullmatch(code):
        problems.append(f"code: {code!r} is not an EPCI's SIREN (9 digits)")
    if isinstance(population, bool) or not isinstance(population, int):
        problems.append(f"population: expected an int, got {type(population).__name__}")
    elif population < 0:
        problems.append(f"population: must be >= 0, got {population}")
    problems.extend(_departement_problems(code, kind, departement))
    return problems


def _departement_problems(code: object, kind: object, departement: object) -> list[str]:
    """An intercommunal body may say its département; a commune's must match its code."""
    if departement is None:
        return []
    problem = departement_problem(departement)
    if problem is not None:
        return [f"departement: {problem}"]
    if kind is TerritoryKind.COMMUNE and isinstance(code, str) and _COMMUNE_CODE.fullmatch(code):
        own = departement_of(code)
        if own != departement:
            return [f"departement: {departement!r} differs from {own!r}, the commune's code's"]
    return []


@attrs.frozen(kw_only=True)
class Territory:
    """A collectivité: a commune (INSEE code) or an EPCI (9-digit SIREN).

    An EPCI may say its ``departement`` (that of its seat), which its SIREN
    does not tell; a commune's is read from its code (and, if given, must match it).

    >>> Territory(code="92049", name="Montrouge", kind=TerritoryKind.COMMUNE, population=50260)
    Territory(code='92049', name='Montrouge', kind=<TerritoryKind.COMMUNE: 'commune'>, population=50260, departement=None)
    >>> Territory(code="200054781", name="Métropole du Grand Paris", kind="metropole",
    ...           population=7_000_000, departement="75").known_departement
    '75'
    >>> Territory(code="9204", name="", kind=TerritoryKind.COMMUNE, population=-1)
    Traceback (most recent call last):
    ...
    villes_label._errors.InvalidInput: 3 problems:
      - name: a territory needs a non-empty name
      - code: '9204' is not a commune's INSEE code (5 characters: department 01-95, 2A/2B or 971-976, then the commune)
      - population: must be >= 0, got -1
    """

    code: str
    name: str
    kind: TerritoryKind = attrs.field(converter=_kind)
    population: int
    departement: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = _territory_problems(
            self.code, self.name, self.kind, self.population, self.departement
        )
        if problems:
            raise InvalidInput(*problems)

    @property
    def known_departement(self) -> str | None:
        """The territory's département, given or read from a commune's code (``None`` if unknown)."""
        if self.departement is not None:
            return self.departement
        if self.kind is TerritoryKind.COMMUNE:
            return departement_of(self.code)
        return None

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.kind.value}, {self.population:,} inhabitants)"


EXPIRY_YEARS: Final = 2
"""An action counts if it is under this many years old at the label year, or still running."""


def counts_from(year: int) -> dt.date:
    """The earliest date of an action that counts for the label of *year* without running still.

    An action counts "if it is under two years old or still running": dated on or
    after 1 January of *year* − 2. For the 2016 label, whose jury judged the
    initiatives entered from January 2014, that is 1 January 2014.

    >>> counts_from(2016)
    datetime.date(2014, 1, 1)
    """
    return dt.date(year - EXPIRY_YEARS, 1, 1)


def _ids(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        # A lone string is not a set of ids: "ab" would become {"a", "b"}.
        msg = f"services: expected a set of service ids, got the string {value!r}"
        raise InvalidInput(msg)
    return frozenset(value)


def _actors(value: Iterable[Actor]) -> tuple[Actor, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        msg = f"actors: expected a sequence of Actor, got {type(value).__name__}"
        raise InvalidInput(msg)
    return tuple(value)


def _links(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        msg = f"links: expected a sequence of addresses, got {type(value).__name__} {value!r}"
        raise InvalidInput(msg)
    return tuple(value)


def _date_problem(value: object, name: str) -> str | None:
    if value is None:
        return None
    # A datetime is a date too, but an action is dated by the day.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        return f"{name}: expected a datetime.date, got {type(value).__name__} {value!r}"
    return None


@attrs.frozen(kw_only=True)
class Action:
    """An initiative of the territory and the elementary services it delivers.

    Beside its services and status, an initiative may record (as on the ATLAAS
    portal) its ``date`` (when it started), a ``summary``, the ``actors`` that
    carried it, ``links`` (http or https addresses) and its ``place``. None of
    these changes a score, except the date: an action counts for the label of
    a year if it is under two years old or still running. A dated action whose
    date is before 1 January of the label year − 2 (`counts_from`) and that is
    not ``ongoing`` does not count; the services it delivers fall back to
    their own entries and to the other actions. An undated action always counts.

    >>> Action(id="a1", title="Portail citoyen", services={"site-internet"},
    ...        status=Status.DEPLOYED).services
    frozenset({'site-internet'})
    >>> import datetime
    >>> old = Action(id="a2", title="Cybercentre", services={"espace-public-numerique"},
    ...              status="deployed", date=datetime.date(2012, 5, 1))
    >>> old.counts_in(2016), attrs.evolve(old, ongoing=True).counts_in(2016)
    (False, True)
    """

    id: str
    title: str
    services: frozenset[str] = attrs.field(converter=_ids)
    status: Status = attrs.field(converter=_status)
    date: dt.date | None = None
    ongoing: bool = False
    summary: str = ""
    actors: tuple[Actor, ...] = attrs.field(converter=_actors, default=())
    links: tuple[str, ...] = attrs.field(converter=_links, default=())
    place: Place | None = None

    def __attrs_post_init__(self) -> None:
        problems = []
        if not is_instance(self.id, str) or not self.id.strip():
            problems.append("id: an action needs a non-empty id")
        if not is_instance(self.title, str):
            problems.append(f"title: expected a str, got {type(self.title).__name__}")
        if not self.services:
            problems.append("services: an action delivers at least one service")
        for service in sorted(self.services, key=repr):
            if not is_instance(service, str) or not service:
                problems.append(f"services: {service!r} is not a service id")
        if not is_instance(self.status, Status):
            problems.append(f"status: expected a Status, got {self.status!r}")
        elif self.status is Status.NOT_APPLICABLE:
            problems.append(
                "status: an action cannot be not_applicable (declare that in the dossier's services)"
            )
        problems.extend(_initiative_problems(self))
        if problems:
            raise InvalidInput(*problems)

    def counts_in(self, year: int) -> bool:
        """Whether this action counts for the label of *year* (see the class docstring)."""
        return self.date is None or self.ongoing or self.date >= counts_from(year)


def _initiative_problems(action: Action) -> list[str]:
    """The problems of the fields that describe an initiative (date, actors, links, place)."""
    problems = []
    problem = _date_problem(action.date, "date")
    if problem is not None:
        problems.append(problem)
    if not is_instance(action.ongoing, bool):
        problems.append(f"ongoing: expected a bool, got {type(action.ongoing).__name__}")
    if not is_instance(action.summary, str):
        problems.append(f"summary: expected a str, got {type(action.summary).__name__}")
    for n, actor in enumerate(action.actors):
        if not is_instance(actor, Actor):
            problems.append(f"actors[{n}]: expected an Actor, got {type(actor).__name__}")
    for n, link in enumerate(action.links):
        problem = link_problem(link)
        if problem is not None:
            problems.append(f"links[{n}]: {problem}")
    if action.place is not None and not is_instance(action.place, Place):
        problems.append(f"place: expected a Place, got {type(action.place).__name__}")
    return problems


def _status_map(value: Mapping[str, Status]) -> FrozenMap[str, Status]:
    if not is_instance(value, Mapping):
        msg = f"services: expected a mapping of service id to status, got {type(value).__name__}"
        raise InvalidInput(msg)
    return FrozenMap(value)


def _actions(value: Iterable[Action]) -> tuple[Action, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Dossier:
    """What a territory declares for one label year: services and actions.

    The effective status of a service is the best of its own entry and of
    every action that delivers it and counts this year (`Action.counts_in`:
    an action dated more than two years before the label year that is not
    ``ongoing`` does not count); a service named nowhere is ``ABSENT``.
    A dossier does not know the referential: unknown ids are reported by the
    functions that take a ruleset.

    >>> t = Territory(code="92049", name="Montrouge", kind=TerritoryKind.COMMUNE, population=50260)
    >>> a = Action(id="a1", title="Portail", services={"site-internet"}, status=Status.DEPLOYED)
    >>> d = Dossier(territory=t, year=2016, services={"site-internet": "partial"}, actions=(a,))
    >>> d.status("site-internet"), d.status("wifi-public")
    (<Status.DEPLOYED: 'deployed'>, <Status.ABSENT: 'absent'>)
    """

    territory: Territory
    year: int
    services: Mapping[str, Status] = attrs.field(converter=_status_map, factory=FrozenMap)
    actions: tuple[Action, ...] = attrs.field(converter=_actions, default=())

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        if not is_instance(self.territory, Territory):
            problems.append(f"territory: expected a Territory, got {type(self.territory).__name__}")
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            problems.append(f"year: expected an int, got {type(self.year).__name__}")
        elif not FIRST_YEAR <= self.year <= LAST_YEAR:
            problems.append(f"year: {self.year} is outside {FIRST_YEAR}..{LAST_YEAR}")
        statuses: dict[str, Status] = {}
        for key, status in self.services.items():
            if not is_instance(key, str) or not key:
                problems.append(f"services: {key!r} is not a service id")
                continue
            try:
                statuses[key] = Status(status)
            except ValueError:
                known = ", ".join(s.value for s in Status)
                problems.append(f"services.{key}: unknown status {status!r} (one of {known})")
        seen: set[str] = set()
        for n, action in enumerate(self.actions):
            if not is_instance(action, Action):
                problems.append(f"actions[{n}]: expected an Action, got {type(action).__name__}")
                continue
            if action.id in seen:
                problems.append(f"actions[{n}].id: duplicate action id {action.id!r}")
            seen.add(action.id)
            for service in sorted(action.services):
                if statuses.get(service) is Status.NOT_APPLICABLE:
                    problems.append(
                        f"services.{service}: declared not_applicable but delivered "
                        f"by action {action.id!r}"
                    )
        if problems:
            raise InvalidInput(*problems)
        # Plain strings given as statuses are normalised to Status members.
        object.__setattr__(self, "services", FrozenMap(statuses))

    @property
    def counted_actions(self) -> tuple[Action, ...]:
        """The actions that count for the label of this year, in order (`Action.counts_in`)."""
        return tuple(action for action in self.actions if action.counts_in(self.year))

    @property
    def expired_actions(self) -> tuple[Action, ...]:
        """The dated actions more than two years old at this year and not ongoing, which do not count."""
        return tuple(action for action in self.actions if not action.counts_in(self.year))

    @property
    def declared(self) -> frozenset[str]:
        """Every service id named by the dossier, directly or through an action that counts.

        A service named only by expired actions is not declared: the dossier
        says nothing of it for this year.
        """
        return frozenset(effective_entries(self))

    def status(self, service_id: str) -> Status:
        """The effective status of *service_id* (``ABSENT`` when named nowhere)."""
        best = self.services.get(service_id)
        for action in self.actions:
            if service_id not in action.services or not action.counts_in(self.year):
                continue  # the label's rule: an action counts if recent or still running
            if best is None or action.status.rank > best.rank:
                best = action.status
        return Status.ABSENT if best is None else best

    def effective_statuses(self) -> Mapping[str, Status]:
        """The effective status of every declared service."""
        return FrozenMap(effective_entries(self))

    def with_status(self, service_id: str, status: Status) -> Dossier:
        """Return a copy whose own entry for *service_id* is *status*.

        The actions are kept, so the effective status is the best of *status*
        and of the actions that deliver the service.
        """
        services = dict(self.services)
        services[service_id] = status
        return attrs.evolve(self, services=services)

    def __str__(self) -> str:
        return (
            f"Dossier {self.year} of {self.territory.name}: {len(self.services)} entries, "
            f"{len(self.actions)} actions"
        )


def effective_entries(dossier: Dossier) -> dict[str, Status]:
    """The effective status of every service *dossier* declares, computed afresh.

    Linear in the entries and the actions' services. For the package's fast
    paths: the dict is the caller's to read (a new one when the dossier has
    actions, the dossier's own entries otherwise, so it must not be changed).
    Nothing is cached on the dossier.
    """
    entries = plain_dict(dossier.services)
    if not dossier.actions:
        return entries
    best = dict(entries)
    year = dossier.year
    for action in dossier.actions:
        # The label's rule: an action counts if under two years old or still running.
        if not action.counts_in(year):
            continue
        status = action.status
        rank = status.rank
        for service in action.services:
            current = best.get(service)
            if current is None or rank > current.rank:
                best[service] = status
    return best
