"""The referential and the rules of each label year, from data, built once each.

Adding a year is adding data: its rows (or its changes from the year before),
its sources, its applicability and its mentions, and one entry below.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import TYPE_CHECKING

import attrs

from villes_label._errors import InvalidInput, Path, Problem
from villes_label._rules import Ruleset
from villes_label._territory import Dossier
from villes_label._values import FrozenMap, is_int, shown
from villes_label.referential._build import derive, from_rows
from villes_label.referential._data_2014 import RENAMES_2014_2016, THEMES_2014
from villes_label.referential._data_2016 import ALIASES_2016, NODE_SOURCES_2016, THEMES_2016
from villes_label.referential._data_2017 import CHANGES_2017
from villes_label.referential._rules_data import (
    APPLICABILITY,
    MENTIONS,
    RULE_SOURCES,
    THRESHOLDS,
    Gates,
    grades,
)
from villes_label.referential._sources import (
    ATLAAS_2014,
    LOCALTIS_2016,
    RECONSTRUCTION_REFERENTIAL,
    REGLEMENT,
    REPUBLIQUE_NUMERIQUE,
)
from villes_label.referential._strata import EXPECTATIONS

if TYPE_CHECKING:
    from collections.abc import Mapping

    from villes_label._expectations import Expectation
    from villes_label._migrate import Migration
    from villes_label._taxonomy import Taxonomy

__all__ = ["renames", "ruleset", "taxonomy", "upgrade", "years"]

_YEARS = (2014, 2016, 2017)

# The mentions each year's rules award: only those a source attests by that
# year, whose conditions the year's referential can express.
_MENTIONS_OF: dict[int, tuple[str, ...]] = {
    # The one mention attested by 2014, "libre", has no free-software usage
    # among the 28 of ATLAAS to rest on.
    2014: (),
    2016: ("libre",),
    2017: (
        "libre",
        "numerique-educatif",
        "reseau-social",
        "gouvernement-ouvert",
        "cooperation-internationale",
        "solidarite-numerique",
        "teletravail",
        "accessibilite",
    ),
}

_GATES: dict[int, Gates] = {
    2014: Gates(
        participation_theme="democratie-services-publics",
        participation_issue="vitalite-democratie-locale",
        website=None,
    ),
    2016: Gates(
        participation_theme="democratie-services-publics",
        participation_issue="democratie-locale",
        website="site-internet",
    ),
}
_GATES[2017] = _GATES[2016]

# The strata of size-aware grading: 2014's 28 broad usages keep the share of potential.
_EXPECTATIONS_OF: dict[int, tuple[Expectation, ...]] = {
    2014: (),
    2016: EXPECTATIONS,
    2017: EXPECTATIONS,
}

# Service ids of one year's referential → the next year's (one step each).
_STEPS: dict[tuple[int, int], Mapping[str, str]] = {
    (2014, 2016): RENAMES_2014_2016,
    (2016, 2017): CHANGES_2017.removed,
}


def years() -> tuple[int, ...]:
    """The label years whose referential and rules are built in, in order.

    >>> years()
    (2014, 2016, 2017)
    """
    return _YEARS


def _check_year(year: object, path: Path = ("year",)) -> int:
    if not is_int(year) or year not in _YEARS:
        known = ", ".join(map(str, _YEARS))
        raise InvalidInput(
            Problem(path, f"no built-in referential for {shown(year)} (known years: {known})")
        )
    return year


@cache
def _taxonomy(year: int) -> Taxonomy:
    if year == 2014:
        return from_rows(
            "2014",
            THEMES_2014,
            (ATLAAS_2014,),
            default_source=ATLAAS_2014.id,
            node_sources={},
            aliases={},
        )
    if year == 2016:
        return from_rows(
            "2016",
            THEMES_2016,
            (LOCALTIS_2016, REGLEMENT, RECONSTRUCTION_REFERENTIAL),
            default_source=RECONSTRUCTION_REFERENTIAL.id,
            node_sources=NODE_SOURCES_2016,
            aliases=ALIASES_2016,
        )
    base = _taxonomy(2016)
    return derive(
        base,
        "2017",
        CHANGES_2017,
        (*base.sources, REPUBLIQUE_NUMERIQUE),
        RECONSTRUCTION_REFERENTIAL.id,
    )


def taxonomy(year: int) -> Taxonomy:
    """The referential of the label year *year*, with its sources.

    Raises:
        InvalidInput: *year* is not one of `years`.

    >>> [len(taxonomy(y).services) for y in years()]
    [28, 131, 139]
    >>> taxonomy(2014).source_of("insertion-numerique").published
    True
    """
    return _taxonomy(_check_year(year))


@cache
def _ruleset(year: int) -> Ruleset:
    catalogue = {entry.rule.id: entry.rule for entry in MENTIONS}
    return Ruleset(
        name=f"Villes Internet {year} (reconstruction)",
        year=year,
        taxonomy=_taxonomy(year),
        grades=grades(_GATES[year], THRESHOLDS[year]),
        expectations=_EXPECTATIONS_OF[year],
        mentions=tuple(catalogue[mention_id] for mention_id in _MENTIONS_OF[year]),
        applicability=APPLICABILITY[year],
        sources=RULE_SOURCES[year],
    )


def ruleset(year: int) -> Ruleset:
    """The label's rules for *year* (a reasoned reconstruction), on `taxonomy(year)`.

    The 2016 and 2017 rules are size-aware (`EXPECTATIONS`), with the minimum
    scores that reproduce the 2016 palmarès on `palmares_cohort`; the 2014
    rules grade the share of the concerned potential.

    Raises:
        InvalidInput: *year* is not one of `years`.

    >>> ruleset(2017).taxonomy is taxonomy(2017)
    True
    >>> [len(ruleset(y).expectations) for y in years()]
    [0, 7, 7]
    >>> ruleset(2015)
    Traceback (most recent call last):
    ...
    villes_label._errors.InvalidInput: year: no built-in referential for 2015 (known years: 2014, 2016, 2017)
    """
    return _ruleset(_check_year(year))


def renames(old: int, new: int) -> Mapping[str, str]:
    """Service ids of the referential of year *old* → their ids in that of year *new*.

    The steps between built-in years are chained, so every id of *old* that
    *new* keeps or takes over is there; pass the result to `villes_label.migrate`.
    An id that is the same in both years is not listed.

    Raises:
        InvalidInput: a year is not built in, or *new* is not after *old*.

    >>> renames(2014, 2016)["insertion-numerique"]
    'insertion-par-le-numerique'
    >>> renames(2014, 2017)["coproduction-contenus"]
    'contenus-coproduits-habitants'
    """
    start, end = _check_year(old, ("old",)), _check_year(new, ("new",))
    if end <= start:
        raise InvalidInput(_backwards(("new",), start, end))
    chain = {sid: sid for sid in _taxonomy(start).service_ids}
    if start == 2016:
        chain.update(ALIASES_2016)
    steps = [year for year in _YEARS if start <= year <= end]
    for before, after in itertools.pairwise(steps):
        step = _STEPS[before, after]
        chain = {sid: step.get(current, current) for sid, current in chain.items()}
    return FrozenMap({sid: current for sid, current in sorted(chain.items()) if sid != current})


def _backwards(path: Path, start: int, end: int) -> Problem:
    return Problem(path, f"{end} is not after {start}: a referential is carried forward only")


def upgrade(dossier: Dossier, year: int, *, from_year: int | None = None) -> Migration:
    """Carry *dossier* to the referential of *year*, and make it a dossier of *year*.

    *from_year* is the year of the referential the dossier uses (by default
    its own year). The built-in renames are applied with `villes_label.migrate`:
    the `Migration` names whatever could not follow (nothing, between built-in
    years, for a dossier that only uses their ids). The dossier becomes one of
    *year*, so its dated actions are counted at *year*: one more than two years
    old by then stops counting (unless ``ongoing``), which `assess` gives as an
    ``action-expired`` reason; the `Migration` keeps the action and says nothing
    of it, as nothing of the dossier was lost.

    >>> from villes_label import Dossier, Status, Territory, TerritoryKind
    >>> t = Territory(code="48001", name="Albaret", kind=TerritoryKind.COMMUNE, population=500)
    >>> old = Dossier(territory=t, year=2014, services={"insertion-numerique": Status.DEPLOYED})
    >>> m = upgrade(old, 2016)
    >>> m.complete, m.dossier.year, dict(m.dossier.services)
    (True, 2016, {'insertion-par-le-numerique': <Status.DEPLOYED: 'deployed'>})
    """
    from villes_label._migrate import migrate  # noqa: PLC0415 - loaded on first use

    if not isinstance(dossier, Dossier):
        raise InvalidInput(
            Problem(("dossier",), f"expected a Dossier, got {type(dossier).__name__}")
        )
    end = _check_year(year)
    if from_year is None:
        start = _check_year(dossier.year, ("dossier", "year"))
    else:
        start = _check_year(from_year, ("from_year",))
    if end < start:
        raise InvalidInput(_backwards(("year",), start, end))
    # Within one year, the former ids that the year's referential still reads.
    carried = renames(start, year) if start != year else taxonomy(year).aliases
    moved = migrate(dossier, taxonomy(year), carried)
    return attrs.evolve(moved, dossier=attrs.evolve(moved.dossier, year=year))
