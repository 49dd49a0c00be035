"""Territories, statuses, actions and the dossier a territory declares for one year."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final, cast

import attrs

from villes_label._check import FAILED, Id, finish, lenient, reader, text_problem
from villes_label._errors import InvalidInput, Problem, not_a
from villes_label._geo import commune_departement_problem, departement_of, departement_problem
from villes_label._initiatives import Actor, Place, link_problem
from villes_label._values import FrozenMap, plain_dict, shown
from villes_label._vocabulary import Status, StatusMap, TerritoryKind

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Action", "Dossier", "Status", "Territory", "TerritoryKind"]

FIRST_YEAR = 2000
"""The label was created in 2000."""
LAST_YEAR = 2100


def _kind(value: TerritoryKind | str) -> TerritoryKind:
    return lenient(TerritoryKind, value)  # type: ignore[no-any-return]


def _status(value: Status | str) -> Status:
    return lenient(Status, value)  # type: ignore[no-any-return]


# ASCII digits only: "92٠٤٩" (Arabic-Indic digits) is no INSEE code.
_COMMUNE_CODE = re.compile(
    r"(?:0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5])\d{3}|2[AB]\d{3}|97[1-6]\d{2}", re.ASCII
)
_SIREN = re.compile(r"\d{9}", re.ASCII)


def _territory_problems(territory: Territory, failed: set[str]) -> Iterator[Problem]:
    if "name" not in failed and not territory.name.strip():
        yield Problem(("name",), "a territory needs a non-empty name")
    elif "name" not in failed and (problem := text_problem(territory.name, "name")):
        yield Problem(("name",), problem)
    code, kind = territory.code, territory.kind
    if not failed & {"code", "kind"} and (problem := _pattern_problem(code, kind)):
        yield Problem(("code",), problem)
    if "population" not in failed and territory.population < 0:
        yield Problem(("population",), f"must be >= 0, got {territory.population}")
    if not failed & {"code", "kind", "departement"}:
        yield from _departement_problems(code, kind, territory.departement)


def _pattern_problem(code: str, kind: TerritoryKind) -> str | None:
    """Why *code* is not the code of a territory of *kind* (an INSEE code, a SIREN), if so."""
    if kind is TerritoryKind.COMMUNE and not _COMMUNE_CODE.fullmatch(code):
        return (
            f"{shown(code)} is not a commune's INSEE code "
            "(5 characters: department 01-95, 2A/2B or 971-976, then the commune)"
        )
    if kind.is_epci and not _SIREN.fullmatch(code):
        return f"{shown(code)} is not an EPCI's SIREN (9 digits)"
    return None


def code_problem(code: object, kind: TerritoryKind | None) -> str | None:
    """Why *code* cannot be the code of a `Territory` of *kind*, in the words of `Territory`.

    *kind* is ``None`` when the kind could not be read: only the type is checked
    then (as `Territory` does). For readers of plain values (`villes_label._frames`).

    >>> code_problem("35999", TerritoryKind.COMMUNE), code_problem(None, None)
    (None, 'expected a str, got None')
    """
    problems: list[Problem] = []
    if reader(str)(code, (), problems) is FAILED or problems:
        return problems[0].message if problems else f"expected a str, got {type(code).__name__}"
    if kind is None:
        return None
    return _pattern_problem(cast("str", code), kind)


def _departement_problems(code: str, kind: TerritoryKind, departement: str | None) -> list[Problem]:
    """An intercommunal body may say its département; a commune's must match its code."""
    if departement is None:
        return []
    problem = departement_problem(departement)
    if problem is not None:
        return [Problem(("departement",), problem)]
    if kind is TerritoryKind.COMMUNE and _COMMUNE_CODE.fullmatch(code):
        outside = commune_departement_problem(code)
        if outside is not None:  # Saint-Pierre-et-Miquelon: a commune of no département
            return [Problem(("departement",), f"{shown(departement)} is given, but {outside}")]
        own = departement_of(code)
        if own != departement:
            return [
                Problem(
                    ("departement",),
                    f"{shown(departement)} differs from {shown(own)}, the commune's code's",
                )
            ]
    return []


_KINDS_BY_VALUE: Final = {kind.value: kind for kind in TerritoryKind}
_PLAIN_NAME = re.compile(r"[ -~]*[!-~][ -~]*", re.ASCII).fullmatch
_SURROGATE = re.compile("[\ud800-\udfff]").search
_TERRITORY_FIELDS = frozenset({"code", "name", "kind", "population", "departement"})
_LARGEST_POPULATION: Final = 10**100


def plain_territory(data: dict[str, object]) -> tuple[TerritoryKind, int] | None:
    """The kind and population of a territory given as plain data that `Territory` surely accepts.

    For the fast reading of cohorts (`villes_label._frames`): ``None`` unless
    *data* has the fields of a territory and no département, a kind by its
    value, a code of that kind, a name with a visible character (and no lone
    surrogate) and a population that is an int >= 0; the one validation path
    then reads *data* (and words any problem). It checks what
    `_territory_problems` checks, on plain values: keep the two together.
    """
    if not data.keys() <= _TERRITORY_FIELDS or data.get("departement") is not None:
        return None
    code, name, kind, population = (
        data.get(field) for field in ("code", "name", "kind", "population")
    )
    found = _KINDS_BY_VALUE.get(kind) if type(kind) is str else None
    if found is None or type(code) is not str or type(name) is not str:
        return None
    pattern = _COMMUNE_CODE if found is TerritoryKind.COMMUNE else _SIREN
    if not pattern.fullmatch(code):
        return None
    if not _PLAIN_NAME(name) and (
        not name.strip() or text_problem(name, "name") is not None or _SURROGATE(name)
    ):
        return None
    if type(population) is not int or not 0 <= population < _LARGEST_POPULATION:
        return None
    return found, population


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
      - code: '9204' is not a commune's INSEE code (5 characters: department 01-95, 2A/2B or 971-976, then the commune)
      - name: a territory needs a non-empty name
      - population: must be >= 0, got -1
    """

    code: str
    name: str
    kind: TerritoryKind = attrs.field(converter=_kind)
    population: int
    departement: str | None = None

    def __attrs_post_init__(self) -> None:
        finish(self, lambda failed: _territory_problems(self, failed))

    @property
    def known_departement(self) -> str | None:
        """The territory's département, given or read from a commune's code.

        ``None`` if unknown: an intercommunal body that does not say it, or a
        commune of Saint-Pierre-et-Miquelon, which lies in no département.
        """
        if self.departement is not None:
            return self.departement
        if self.kind is TerritoryKind.COMMUNE and commune_departement_problem(self.code) is None:
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
    return lenient(_IDS, value)  # type: ignore[no-any-return]


_IDS = frozenset[Id]


def _actors(value: Iterable[Actor]) -> tuple[Actor, ...]:
    return lenient(tuple[Actor, ...], value)  # type: ignore[no-any-return]


def _links(value: Iterable[str]) -> tuple[str, ...]:
    return lenient(tuple[str, ...], value)  # type: ignore[no-any-return]


def _date(value: dt.date | str | None) -> dt.date | None:
    return lenient(dt.date | None, value)  # type: ignore[no-any-return]


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
    date: dt.date | None = attrs.field(default=None, converter=_date)
    ongoing: bool = False
    summary: str = ""
    actors: tuple[Actor, ...] = attrs.field(converter=_actors, default=())
    links: tuple[str, ...] = attrs.field(converter=_links, default=())
    place: Place | None = None

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "id" not in failed and (problem := text_problem(self.id)):
            yield Problem(("id",), problem)
        if "title" not in failed and not self.title.strip():
            yield Problem(("title",), "an action needs a non-empty title")
        elif "title" not in failed and (problem := text_problem(self.title, "title")):
            yield Problem(("title",), problem)
        if "services" not in failed and not self.services:
            yield Problem(("services",), "an action delivers at least one service")
        if "status" not in failed and self.status is Status.NOT_APPLICABLE:
            yield Problem(
                ("status",),
                "an action cannot be not_applicable (declare that in the dossier's services)",
            )
        yield from _initiative_problems(self, failed)

    def counts_in(self, year: int) -> bool:
        """Whether this action counts for the label of *year* (see the class docstring)."""
        return self.date is None or self.ongoing or self.date >= counts_from(year)


def _initiative_problems(action: Action, failed: set[str]) -> Iterator[Problem]:
    """The problems of the fields that describe an initiative (its links)."""
    if "links" in failed:
        return
    for n, link in enumerate(action.links):
        problem = link_problem(link)
        if problem is not None:
            yield Problem(("links", n), problem)


def _status_map(value: Mapping[str, Status | str]) -> FrozenMap[str, Status]:
    read = lenient(_STATUS_MAP, value)
    if type(read) is FrozenMap:
        # Checked: the statuses' codes are written beside them (see `StatusMap`).
        return StatusMap.owning(plain_dict(read))
    return read  # type: ignore[no-any-return]


def _actions(value: Iterable[Action]) -> tuple[Action, ...]:
    return lenient(_ACTIONS, value)  # type: ignore[no-any-return]


def _territory(value: Territory) -> Territory:
    return lenient(Territory, value)  # type: ignore[no-any-return]


_STATUS_MAP = Mapping[Id, Status]
_ACTIONS = tuple[Action, ...]


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

    territory: Territory = attrs.field(converter=_territory)
    year: int
    services: Mapping[str, Status] = attrs.field(converter=_status_map, factory=FrozenMap)
    actions: tuple[Action, ...] = attrs.field(converter=_actions, default=())
    # What the dossier delivers this year: each service at its effective status, and the
    # ids that only expired actions name. Written once, when the dossier is built (see
    # `effective_of`), and never changed.
    _effective: Mapping[str, Status] = attrs.field(init=False, eq=False, repr=False)
    _expired: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)
        effective, expired = effective_of(self.services, self.actions, self.year)
        object.__setattr__(self, "_effective", effective)
        object.__setattr__(self, "_expired", expired)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "year" not in failed and not FIRST_YEAR <= self.year <= LAST_YEAR:
            yield Problem(("year",), f"{self.year} is outside {FIRST_YEAR}..{LAST_YEAR}")
        if "actions" in failed:
            return
        seen: set[str] = set()
        for n, action in enumerate(self.actions):
            if action.id in seen:
                yield Problem(("actions", n, "id"), f"duplicate action id {shown(action.id)}")
            seen.add(action.id)
            if "services" in failed:
                continue
            for service in sorted(action.services):
                if self.services.get(service) is Status.NOT_APPLICABLE:
                    yield Problem(
                        ("services", service),
                        f"declared not_applicable but delivered by action {shown(action.id)}",
                    )

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
        if not isinstance(service_id, str):
            raise not_a("service_id", "a service id (a str)", service_id)
        return self._effective.get(service_id, Status.ABSENT)

    def effective_statuses(self) -> Mapping[str, Status]:
        """The effective status of every declared service."""
        return FrozenMap(effective_entries(self))

    def with_status(self, service_id: str, status: Status) -> Dossier:
        """Return a copy whose own entry for *service_id* is *status*.

        The actions are kept, so the effective status is the best of *status*
        and of the actions that deliver the service.
        """
        # Each argument is read here, so that its problems name it (not the entry).
        problems: list[Problem] = []
        key = reader(Id)(service_id, ("service_id",), problems)
        value = reader(Status)(status, ("status",), problems)
        if problems:
            raise InvalidInput(*problems)
        services = dict(self.services)
        services[cast("str", key)] = cast("Status", value)
        return attrs.evolve(self, services=services)

    def __str__(self) -> str:
        return (
            f"Dossier {self.year} of {self.territory.name}: {len(self.services)} entries, "
            f"{len(self.actions)} actions"
        )


def effective_of(
    services: Mapping[str, Status], actions: tuple[Action, ...], year: int
) -> tuple[Mapping[str, Status], frozenset[str]]:
    """What a dossier delivers at *year*: each service at its effective status, and the rest.

    A service's effective status is the best of its own entry in *services* and
    of the actions that deliver it and count at *year* (under two years old or
    still running: `Action.counts_in`). The map is *services* itself when no
    action raises anything, else a new `StatusMap`: the entries of *services*,
    in order, then the services only actions deliver, in the order of the
    actions, each one's services sorted, so that it does not depend on the hash
    seed. The frozenset holds the ids that only actions which no longer count
    name: they raise nothing, but an unknown one is still a mistake.

    A `Dossier` keeps both, built once with it and never changed (like a
    `Taxonomy`'s index), for `Dossier.status`, `effective_entries` and the batch
    scorer, which reads a whole cohort through them.

    >>> old = Action(id="a1", title="Borne", services={"wifi-public"}, status="deployed", date="2010-05-01")
    >>> new = Action(id="a2", title="Portail", services={"e-services"}, status="partial")
    >>> effective, expired = effective_of(StatusMap({"site-internet": Status.DEPLOYED}), (old, new), 2016)
    >>> dict(effective), expired
    ({'site-internet': <Status.DEPLOYED: 'deployed'>, 'e-services': <Status.PARTIAL: 'partial'>}, frozenset({'wifi-public'}))
    """
    entries = plain_dict(services)
    best = entries
    counted: set[str] = set()
    expired: set[str] = set()
    for action in actions:
        # The label's rule: an action counts if under two years old or still running.
        if not action.counts_in(year):
            expired |= action.services
            continue
        counted |= action.services
        status = action.status
        rank = status.rank
        for service in sorted(action.services):
            current = best.get(service)
            if current is None or rank > current.rank:
                if best is entries:
                    best = dict(entries)
                best[service] = status
    effective = services if best is entries else StatusMap.owning(best)
    expired -= counted
    return effective, frozenset(expired) if expired else _NO_IDS


_NO_IDS: frozenset[str] = frozenset()
"""No id: what most dossiers' expired actions name (one value for all of them)."""


def effective_entries(dossier: Dossier) -> dict[str, Status]:
    """The effective status of every service *dossier* declares (see `effective_of`).

    For the package's fast paths: the dict is the dossier's own, read without a
    copy, so it must not be changed.
    """
    return plain_dict(dossier._effective)  # noqa: SLF001 - the class of this module
