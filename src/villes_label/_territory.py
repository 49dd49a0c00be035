"""Territories, statuses, actions and the dossier a territory declares for one year."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from villes_label._errors import InvalidInput
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


def _territory_problems(code: object, name: object, kind: object, population: object) -> list[str]:
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
    return problems


@attrs.frozen(kw_only=True)
class Territory:
    """A collectivité: a commune (INSEE code) or an EPCI (9-digit SIREN).

    >>> Territory(code="92049", name="Montrouge", kind=TerritoryKind.COMMUNE, population=50260)
    Territory(code='92049', name='Montrouge', kind=<TerritoryKind.COMMUNE: 'commune'>, population=50260)
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

    def __attrs_post_init__(self) -> None:
        problems = _territory_problems(self.code, self.name, self.kind, self.population)
        if problems:
            raise InvalidInput(*problems)

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.kind.value}, {self.population:,} inhabitants)"


def _ids(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        # A lone string is not a set of ids: "ab" would become {"a", "b"}.
        msg = f"services: expected a set of service ids, got the string {value!r}"
        raise InvalidInput(msg)
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Action:
    """An initiative of the territory and the elementary services it delivers.

    >>> Action(id="a1", title="Portail citoyen", services={"site-internet"},
    ...        status=Status.DEPLOYED).services
    frozenset({'site-internet'})
    """

    id: str
    title: str
    services: frozenset[str] = attrs.field(converter=_ids)
    status: Status = attrs.field(converter=_status)

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
        if problems:
            raise InvalidInput(*problems)


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
    every action that delivers it; a service named nowhere is ``ABSENT``.
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
    def declared(self) -> frozenset[str]:
        """Every service id named by the dossier, directly or through an action."""
        return frozenset(effective_entries(self))

    def status(self, service_id: str) -> Status:
        """The effective status of *service_id* (``ABSENT`` when named nowhere)."""
        best = self.services.get(service_id)
        for action in self.actions:
            if service_id in action.services and (best is None or action.status.rank > best.rank):
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
    for action in dossier.actions:
        status = action.status
        rank = status.rank
        for service in action.services:
            current = best.get(service)
            if current is None or rank > current.rank:
                best[service] = status
    return best
