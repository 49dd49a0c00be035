"""Carry a dossier to another year's referential, losing nothing silently.

The referential changes every year (by at most about 20 % of its services):
`Taxonomy.diff` tells what changed, `migrate` moves a dossier across and names
every service and action that could not follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from villes_label._check import Id, finish, lenient
from villes_label._errors import (
    MAX_PROBLEMS,
    InvalidInput,
    Problem,
    more_unknown_ids,
    unknown_id,
)
from villes_label._taxonomy import Taxonomy
from villes_label._territory import Action, Dossier, Status
from villes_label._values import FrozenMap, is_instance, shown

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["Migration", "migrate"]

_NO_RENAMES: Mapping[str, str] = FrozenMap()


def _ids(value: Iterable[str]) -> frozenset[str]:
    return lenient(frozenset[Id], value)  # type: ignore[no-any-return]


def _dossier(value: Dossier) -> Dossier:
    return lenient(Dossier, value)  # type: ignore[no-any-return]


def _listed(ids: Iterable[str], limit: int = 8) -> str:
    ordered = sorted(ids)
    shown = ", ".join(ordered[:limit])
    return f"{shown}, ... ({len(ordered) - limit} more)" if len(ordered) > limit else shown


@attrs.frozen(kw_only=True)
class Migration:
    """A dossier carried to another referential, and what could not follow: see `migrate`.

    ``dropped`` names every service id of the old dossier (an entry of its own
    or a service of an action) that the new referential lacks;
    ``dropped_actions`` every action left with no service, hence removed.
    Neither is ever named in the new ``dossier``.

    >>> from villes_label import Territory, TerritoryKind
    >>> t = Territory(code="92049", name="Montrouge", kind=TerritoryKind.COMMUNE, population=50260)
    >>> m = Migration(dossier=Dossier(territory=t, year=2017), dropped={"minitel"})
    >>> m.complete, str(m)
    (False, 'Montrouge 2017: 1 service dropped (minitel)')
    """

    dossier: Dossier = attrs.field(converter=_dossier)
    dropped: frozenset[str] = attrs.field(converter=_ids, factory=frozenset)
    dropped_actions: frozenset[str] = attrs.field(converter=_ids, factory=frozenset)

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "dossier" in failed:
            return
        # What was dropped cannot also have been carried.
        if "dropped" not in failed:
            for sid in sorted(self.dropped & self.dossier.declared):
                yield Problem(("dropped",), f"{shown(sid)} is still named by the dossier")
        if "dropped_actions" not in failed:
            kept = {action.id for action in self.dossier.actions}
            for aid in sorted(self.dropped_actions & kept):
                yield Problem(
                    ("dropped_actions",), f"{shown(aid)} is still an action of the dossier"
                )

    @property
    def complete(self) -> bool:
        """Whether everything was carried (nothing dropped)."""
        return not self.dropped and not self.dropped_actions

    def __str__(self) -> str:
        d = self.dossier
        head = f"{d.territory.name} {d.year}"
        if self.complete:
            return f"{head}: everything carried"
        parts = []
        if self.dropped:
            n = len(self.dropped)
            parts.append(f"{n} service{'s' if n > 1 else ''} dropped ({_listed(self.dropped)})")
        if self.dropped_actions:
            n = len(self.dropped_actions)
            parts.append(
                f"{n} action{'s' if n > 1 else ''} dropped ({_listed(self.dropped_actions)})"
            )
        return f"{head}: {'; '.join(parts)}"


def _check_renames(renames: Mapping[str, str], taxonomy: Taxonomy) -> dict[str, str]:
    if not is_instance(renames, Mapping):
        raise InvalidInput(
            Problem(
                ("renames",),
                f"expected a mapping of old service id to new service id, "
                f"got {type(renames).__name__}",
            )
        )
    problems: list[Problem] = []
    checked: dict[str, str] = {}
    known = taxonomy.service_ids
    unknown = 0
    for old, new in renames.items():
        if not is_instance(old, str) or not old:
            problems.append(Problem(("renames",), f"{shown(old)} is not a service id"))
        elif not is_instance(new, str) or not new:
            problems.append(Problem(("renames", old), f"{shown(new)} is not a service id"))
        elif new not in known:
            unknown += 1
            # Only the problems listed get the search for the closest ids.
            if unknown <= MAX_PROBLEMS:
                problems.append(Problem(("renames", old), unknown_id("service", new, known)))
        else:
            checked[old] = new
    if unknown > MAX_PROBLEMS:
        problems.append(more_unknown_ids(unknown - MAX_PROBLEMS))
    if problems:
        raise InvalidInput(*problems)
    return checked


def migrate(
    dossier: Dossier, taxonomy: Taxonomy, renames: Mapping[str, str] = _NO_RENAMES
) -> Migration:
    """Carry *dossier* to the referential *taxonomy*, naming whatever cannot follow.

    *renames* maps an old service id to its new id; it is applied first, once
    (not transitively), to the dossier's own entries and to the services of its
    actions. Then every id that *taxonomy* lacks is dropped and listed in
    ``dropped``, whether the dossier named it directly or through an action;
    an action left with no service is removed and listed in
    ``dropped_actions``. Nothing else changes: territory, year, statuses,
    action ids, titles and statuses, and the order of entries and actions.

    When several old ids become one new id, the new entry keeps the best of
    their statuses (in credit order, a ``NOT_APPLICABLE`` entry counting below
    ``ABSENT``: a service that one of its parts declares is applicable); and a
    ``NOT_APPLICABLE`` entry yields to an action that now delivers the same
    service. So the effective status of each new id is the best effective
    status of the old ids carried into it.

    Args:
        dossier: the dossier to carry.
        taxonomy: the referential to carry it to.
        renames: old service id → new service id; every new id must exist in
            *taxonomy*.

    Returns:
        The `Migration`: the new dossier, ``dropped`` and ``dropped_actions``.

    Raises:
        InvalidInput: a bad argument, or a rename to an id that *taxonomy*
            lacks (with the closest ids).

    >>> from villes_label import default_taxonomy, referential
    >>> d = referential.sample_dossier()
    >>> m = migrate(d, default_taxonomy())
    >>> m.complete, m.dossier == d
    (True, True)
    >>> migrate(d, default_taxonomy(), {"fablab": "fab-lab"})
    Traceback (most recent call last):
    ...
    villes_label._errors.InvalidInput: renames.fablab: unknown service 'fab-lab' (did you mean 'fablab'?)
    """
    if not is_instance(dossier, Dossier):
        raise InvalidInput(
            Problem(("dossier",), f"expected a Dossier, got {type(dossier).__name__}")
        )
    if not is_instance(taxonomy, Taxonomy):
        raise InvalidInput(
            Problem(("taxonomy",), f"expected a Taxonomy, got {type(taxonomy).__name__}")
        )
    moves = _check_renames(renames, taxonomy)
    known = taxonomy.service_ids
    dropped: set[str] = set()

    def carry(service_id: str) -> str | None:
        new = moves.get(service_id, service_id)
        if new in known:
            return new
        dropped.add(service_id)
        return None

    services: dict[str, Status] = {}
    for service_id, status in dossier.services.items():
        new = carry(service_id)
        if new is None:
            continue
        current = services.get(new)
        if current is None or status.rank > current.rank:
            services[new] = status

    actions: list[Action] = []
    dropped_actions: set[str] = set()
    for action in dossier.actions:
        delivered = {new for sid in action.services if (new := carry(sid)) is not None}
        if delivered:
            actions.append(attrs.evolve(action, services=frozenset(delivered)))
        else:
            dropped_actions.add(action.id)

    delivered_by_actions = {sid for action in actions for sid in action.services}
    for service_id in sorted(delivered_by_actions):
        if services.get(service_id) is Status.NOT_APPLICABLE:
            del services[service_id]

    return Migration(
        dossier=attrs.evolve(dossier, services=services, actions=tuple(actions)),
        dropped=frozenset(dropped),
        dropped_actions=frozenset(dropped_actions),
    )
