"""Territories by area: the atlas of a cohort by département or région, and peers nearby.

Pure: no I/O, no clock, no randomness. Areas are keyed by INSEE code (``"92"``,
``"2A"``, ``"974"`` for départements; ``"84"``, ``"01"`` for the régions of 2016;
``"FR"`` for the whole country), so that a summary joins a GeoJSON of départements
or régions by its code property.

Why `atlas` takes assessments and, optionally, their dossiers. An `Assessment`
holds the grade, the scores and the effective status of every service, which is
all a map of grades needs; it does not hold the actions, so counting the
initiatives and actors of an area needs the dossiers too. `atlas` therefore
takes the assessments (as `grade_distribution` does) and, with ``dossiers=``,
the dossiers they come from, matched by territory code and year; every
assessment must then have its dossier and every dossier its assessment.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from operator import attrgetter
from typing import TYPE_CHECKING, Final, Literal, get_args

import attrs

from villes_label._check import Id, finish, items_of, lenient
from villes_label._errors import InvalidInput, Problem
from villes_label._geo import commune_departement_problem, departements, region_of, regions
from villes_label._initiatives import Place
from villes_label._rules import MAX_GRADE, Ruleset
from villes_label._scoring import Assessment, read_retired_ids
from villes_label._territory import Action, Dossier, Status, Territory, TerritoryKind
from villes_label._values import FrozenMap, counted, is_int, shown
from villes_label._vocabulary import points

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["AreaSummary", "Atlas", "Level", "Peer", "atlas", "peers"]

Level = Literal["departement", "region", "national"]
"""The three levels of an atlas."""
LEVELS: Final[tuple[Level, ...]] = get_args(Level)
NATIONAL: Final = "FR"
"""The code of the one area of a national atlas."""
GRADES: Final = tuple(range(MAX_GRADE + 1))
_ZERO: Final = Fraction(0)
_ONE: Final = Fraction(1)
EARTH_RADIUS_KM: Final = 6371.0088
"""The mean radius of the Earth (IUGG), for distances between places."""


# Small typed converters (mypy's attrs plugin cannot follow generic ones): each reads its
# argument, or keeps the problems found for `finish` to report.
def _fraction_map(value: Mapping[str, Fraction | float | str]) -> FrozenMap[str, Fraction]:
    return lenient(Mapping[Id, Fraction], value)  # type: ignore[no-any-return]


def _count_map(value: Mapping[str, int]) -> FrozenMap[str, int]:
    return lenient(Mapping[Id, int], value)  # type: ignore[no-any-return]


def _grade_map(value: Mapping[int, int]) -> FrozenMap[int, int]:
    return lenient(Mapping[int, int], value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class AreaSummary:
    """The figures of one area (a département, a région or the country) for a cohort.

    - ``territories``: how many territories of the cohort lie in the area;
      ``population``: their inhabitants, added up;
    - ``grades``: how many got each grade, keys 0 to 5 always present (as
      `grade_distribution` counts them);
    - ``mean_score``, ``median_score``: exact (the median of an even count is the
      mean of the two middle scores); ``mean_percent`` and ``median_percent`` give them
      out of 100 as floats, for charts;
    - ``mentions``: how many territories got each mention awarded in the area;
    - ``services``: for each service, the share of the area's territories where it is
      deployed (its effective status is ``DEPLOYED``); ``issues``: for each enjeu, the
      share of territories whose score on it is above 0 (at least one of its concerned
      services partial or deployed, under the default credits);
    - ``initiatives``: the actions of the area's dossiers that count this year (an
      action over two years old and not ongoing does not); ``actors``: the distinct
      actors named by them (same name, ignoring case and surrounding spaces, and same
      role); both ``None`` when the atlas was made without the dossiers.

    >>> import villes_label as vl
    >>> rules = vl.default_ruleset()
    >>> cohort = vl.referential.national_cohort(40, seed=1)
    >>> summary = vl.atlas([vl.assess(d, rules) for d in cohort], "region")["44"]
    >>> summary.name, summary.territories, sum(summary.grades.values())
    ('Grand Est', 8, 8)
    """

    level: Level
    code: str
    name: str
    territories: int
    population: int
    grades: Mapping[int, int] = attrs.field(converter=_grade_map)
    mean_score: Fraction
    median_score: Fraction
    mentions: Mapping[str, int] = attrs.field(converter=_count_map, factory=FrozenMap)
    services: Mapping[str, Fraction] = attrs.field(converter=_fraction_map, factory=FrozenMap)
    issues: Mapping[str, Fraction] = attrs.field(converter=_fraction_map, factory=FrozenMap)
    initiatives: int | None = None
    actors: int | None = None

    def __attrs_post_init__(self) -> None:
        # `atlas` builds consistent values; this guards values built by hand or read from data.
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        for name in ("territories", "population", "initiatives", "actors"):
            value = getattr(self, name)
            if name not in failed and value is not None and value < 0:
                yield Problem((name,), f"expected an int >= 0, got {value!r}")
        if "grades" not in failed:
            if sorted(self.grades) != list(GRADES):
                yield Problem(("grades",), "the keys are the grades 0 to 5, each once")
            elif "territories" not in failed and sum(self.grades.values()) != self.territories:
                yield Problem(
                    ("grades",),
                    f"they add up to {sum(self.grades.values())}, "
                    f"not to the {self.territories} territories",
                )
            yield from (
                Problem(("grades", grade), f"expected a count >= 0, got {count!r}")
                for grade, count in self.grades.items()
                if count < 0
            )
        for name in ("mean_score", "median_score"):
            value = getattr(self, name)
            if name not in failed and not _ZERO <= value <= _ONE:
                yield Problem((name,), f"{value} is not a fraction in [0, 1]")
        if "mentions" not in failed:
            yield from (
                Problem(("mentions", key), f"expected a count >= 0, got {count!r}")
                for key, count in self.mentions.items()
                if count < 0
            )
        for field in ("services", "issues"):
            if field not in failed:
                yield from (
                    Problem((field, key), f"{share} is not a share in [0, 1]")
                    for key, share in getattr(self, field).items()
                    if not _ZERO <= share <= _ONE
                )

    @property
    def mean_percent(self) -> float:
        """The mean score out of 100, as a float (for charts; the exact value is ``mean_score``)."""
        return float(self.mean_score * 100)

    @property
    def median_percent(self) -> float:
        """The median score out of 100, as a float."""
        return float(self.median_score * 100)

    def row(self) -> dict[str, object]:
        """One flat, JSON-ready row: code, name, counts, one column per grade, scores.

        The columns: ``code``, ``name``, ``level``, ``territories``, ``population``,
        ``grade_0`` .. ``grade_5``, ``mean_score`` and ``median_score`` (exact, as
        ``"7/20"``), ``mean_percent`` and ``median_percent`` (floats), ``mentions``
        (how many awarded, all mentions together), ``initiatives``, ``actors``.
        """
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "territories": self.territories,
            "population": self.population,
            **{f"grade_{grade}": self.grades[grade] for grade in GRADES},
            "mean_score": str(self.mean_score),
            "median_score": str(self.median_score),
            "mean_percent": self.mean_percent,
            "median_percent": self.median_percent,
            "mentions": sum(self.mentions.values()),
            "initiatives": self.initiatives,
            "actors": self.actors,
        }


def _areas(value: Mapping[str, AreaSummary]) -> FrozenMap[str, AreaSummary]:
    return lenient(Mapping[Id, AreaSummary], value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Atlas(Mapping[str, AreaSummary]):
    """A cohort area by area: a read-only mapping from INSEE code to `AreaSummary`.

    Areas come in INSEE order (départements ``"01"`` .. ``"95"``, then overseas;
    régions by code); only areas with at least one territory appear. ``rows()``
    gives one flat dict per area, ready for ``pandas.DataFrame`` and a join with a
    GeoJSON by code; `to_dict` gives the full figures.

    >>> import villes_label as vl
    >>> cohort = vl.referential.national_cohort(30, seed=2)
    >>> by_region = vl.atlas([vl.assess(d, vl.default_ruleset()) for d in cohort], "region")
    >>> sum(area.territories for area in by_region.values())
    30
    """

    level: Level
    areas: Mapping[str, AreaSummary] = attrs.field(converter=_areas, factory=FrozenMap)

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if failed & {"level", "areas"}:
            return
        for code, area in self.areas.items():
            if area.code != code or area.level != self.level:
                yield Problem(
                    ("areas", code),
                    f"the summary is of {area.level} {shown(area.code)}, not of {self.level} {shown(code)}",
                )

    def __getitem__(self, code: str) -> AreaSummary:
        return self.areas[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.areas)

    def __len__(self) -> int:
        return len(self.areas)

    def rows(self) -> list[dict[str, object]]:
        """One flat row per area (see `AreaSummary.row`), in the atlas's order."""
        return [area.row() for area in self.areas.values()]

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{html.escape(title)}</th>"
            for title in (
                "Code",
                "Name",
                "Territories",
                "Population",
                *(f"{grade} @" for grade in GRADES),
                "Mean",
                "Median",
                "Initiatives",
                "Actors",
            )
        )
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(cell))}</td>"
                for cell in (
                    area.code,
                    area.name,
                    area.territories,
                    f"{area.population:,}",
                    *(area.grades[grade] for grade in GRADES),
                    points(area.mean_score),
                    points(area.median_score),
                    "-" if area.initiatives is None else area.initiatives,
                    "-" if area.actors is None else area.actors,
                )
            )
            + "</tr>"
            for area in self.areas.values()
        )
        return (
            f'<div class="villes-label-atlas"><p>Atlas by {html.escape(self.level)}: '
            f"{counted(len(self.areas), 'area')}</p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )


# --- building an atlas -------------------------------------------------------------


def _area_of(territory: Territory, level: Level) -> str | None:
    if level == "national":
        return NATIONAL
    departement = territory.known_departement
    if departement is None:
        return None
    return departement if level == "departement" else region_of(departement)


def _unplaced(territory: Territory, level: Level) -> Problem:
    """Why *territory* has no area at *level*.

    An EPCI that does not say its département, or a commune of
    Saint-Pierre-et-Miquelon, which lies in none.
    """
    outside = commune_departement_problem(territory.code)
    if territory.kind is TerritoryKind.COMMUNE and outside is not None:
        return Problem(("territory", "code"), f"{outside}: it cannot be placed by {level}")
    return Problem(
        ("territory", "departement"),
        f"{territory.code} is an EPCI whose département is not given: it cannot be placed by {level}",
    )


def _area_name(level: Level, code: str) -> str:
    if level == "national":
        return "France"
    return (departements() if level == "departement" else regions())[code]


def _median(scores: Sequence[Fraction]) -> Fraction:
    ordered = sorted(scores)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _actor_key(action: Action) -> Iterable[tuple[str, str]]:
    return ((" ".join(actor.name.split()).casefold(), actor.role.value) for actor in action.actors)


def _summary(
    level: Level,
    code: str,
    results: Sequence[Assessment],
    files: Sequence[Dossier] | None,
) -> AreaSummary:
    count = len(results)
    grades = dict.fromkeys(GRADES, 0)
    mentions: dict[str, int] = {}
    deployed: dict[str, int] = {}
    engaged: dict[str, int] = {}
    for result in results:
        grades[result.grade] += 1
        for mention in result.mentions:
            mentions[mention] = mentions.get(mention, 0) + 1
        for sid, status in result.statuses.items():
            deployed[sid] = deployed.get(sid, 0) + (status is Status.DEPLOYED)
        for issue, value in result.issues.items():
            engaged[issue] = engaged.get(issue, 0) + (value > 0)
    scores = [result.score for result in results]
    initiatives = actors = None
    if files is not None:
        counted = [action for dossier in files for action in dossier.counted_actions]
        initiatives = len(counted)
        actors = len({key for action in counted for key in _actor_key(action)})
    return AreaSummary(
        level=level,
        code=code,
        name=_area_name(level, code),
        territories=count,
        population=sum(result.territory.population for result in results),
        grades=grades,
        mean_score=sum(scores, _ZERO) / count,
        median_score=_median(scores),
        mentions=dict(sorted(mentions.items())),
        services={sid: Fraction(n, count) for sid, n in deployed.items()},
        issues={issue: Fraction(n, count) for issue, n in engaged.items()},
        initiatives=initiatives,
        actors=actors,
    )


def _pair(results: Sequence[Assessment], dossiers: Iterable[Dossier]) -> list[Dossier]:
    """The dossier of each assessment, matched by territory code and year; every problem."""
    files = [item for item in items_of(dossiers, "dossiers", Dossier) if isinstance(item, Dossier)]
    problems: list[Problem] = []
    by_key: dict[tuple[str, int], int] = {}
    for n, dossier in enumerate(files):
        key = (dossier.territory.code, dossier.year)
        if key in by_key:
            problems.append(
                Problem(
                    ("dossiers", n),
                    f"a second dossier of {key[0]} for {key[1]} "
                    f"(the first is dossiers[{by_key[key]}])",
                )
            )
        else:
            by_key[key] = n
    matched: list[Dossier] = []
    used: set[int] = set()
    for n, result in enumerate(results):
        index = by_key.get((result.territory.code, result.year))
        if index is None:
            problems.append(
                Problem(
                    ("assessments", n),
                    f"no dossier of {result.territory.code} for {result.year}",
                )
            )
            continue
        if files[index].territory != result.territory:
            problems.append(
                Problem(("assessments", n, "territory"), f"differs from that of dossiers[{index}]")
            )
        used.add(index)
        matched.append(files[index])
    problems.extend(
        Problem(("dossiers", n), f"no assessment of {files[n].territory.code} for {files[n].year}")
        for n in sorted(set(by_key.values()) - used)
    )
    if problems:
        raise InvalidInput(*problems)
    return matched


def atlas(
    assessments: Iterable[Assessment],
    level: Level = "departement",
    *,
    dossiers: Iterable[Dossier] | None = None,
) -> Atlas:
    """Summarise a cohort area by area: by département, by région (of 2016) or nationally.

    Args:
        assessments: one assessment per territory and year (a cohort's).
        level: ``"departement"``, ``"region"`` (the 18 régions of 2016) or ``"national"``.
        dossiers: the dossiers assessed, to count initiatives and actors (optional).

    Returns:
        An `Atlas`: INSEE code → `AreaSummary`, in INSEE order, areas with a territory only.

    Raises:
        InvalidInput: an element is not an `Assessment` (or a `Dossier`), two
            assessments are of the same territory and year, an EPCI has no
            ``departement`` (at the levels that need it), or an assessment and its
            dossier do not match; every problem is listed.

    >>> import villes_label as vl
    >>> rules = vl.default_ruleset()
    >>> cohort = vl.referential.national_cohort(50, seed=3)
    >>> results = [vl.assess(d, rules) for d in cohort]
    >>> france = vl.atlas(results, "national", dossiers=cohort)["FR"]
    >>> dict(france.grades) == vl.grade_distribution(results), france.territories
    (True, 50)
    """
    if level not in LEVELS:
        raise InvalidInput(
            Problem(
                ("level",), f"expected one of {', '.join(map(repr, LEVELS))}, got {shown(level)}"
            )
        )
    results = [
        item
        for item in items_of(assessments, "assessments", Assessment)
        if isinstance(item, Assessment)
    ]
    files = None if dossiers is None else _pair(results, dossiers)
    problems: list[Problem] = []
    seen: dict[tuple[str, int], int] = {}
    grouped: dict[str, list[int]] = {}
    for n, result in enumerate(results):
        key = (result.territory.code, result.year)
        if key in seen:
            problems.append(
                Problem(
                    ("assessments", n),
                    f"a second assessment of {key[0]} for {key[1]} "
                    f"(the first is assessments[{seen[key]}])",
                )
            )
            continue
        seen[key] = n
        area = _area_of(result.territory, level)
        if area is None:
            problems.append(_unplaced(result.territory, level).within("assessments", n))
            continue
        grouped.setdefault(area, []).append(n)
    if problems:
        raise InvalidInput(*problems)
    order = {code: n for n, code in enumerate(_order(level))}
    areas = {}
    for code in sorted(grouped, key=order.__getitem__):
        members = grouped[code]
        areas[code] = _summary(
            level,
            code,
            [results[n] for n in members],
            None if files is None else [files[n] for n in members],
        )
    return Atlas(level=level, areas=areas)


def _order(level: Level) -> tuple[str, ...]:
    if level == "national":
        return (NATIONAL,)
    return tuple(departements() if level == "departement" else sorted(regions()))


# --- peers -----------------------------------------------------------------------------

Proximity = Literal["departement", "region", "national"]
_TIERS: Final[dict[Proximity, int]] = {"departement": 0, "region": 1, "national": 2}


def _territory(value: Territory) -> Territory:
    return lenient(Territory, value)  # type: ignore[no-any-return]


def _action_tuple(value: Iterable[Action]) -> tuple[Action, ...]:
    return lenient(tuple[Action, ...], value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Peer:
    """A territory that deploys a service, with its initiatives for it (by id) and how near it is.

    ``proximity`` says where it lies from the place asked about: in the same
    ``"departement"``, the same ``"region"``, or elsewhere (``"national"``, also
    when no place was given); ``distance_km`` is the great-circle distance between
    the two places' coordinates when both are known, else ``None``.
    """

    territory: Territory = attrs.field(converter=_territory)
    year: int
    proximity: Proximity
    distance_km: float | None = None
    initiatives: tuple[Action, ...] = attrs.field(converter=_action_tuple, default=())

    def __attrs_post_init__(self) -> None:
        # `peers` builds consistent values; this guards values read from data.
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        distance = self.distance_km
        if (
            "distance_km" not in failed
            and distance is not None
            and not 0 <= distance <= math.pi * EARTH_RADIUS_KM
        ):
            yield Problem(("distance_km",), f"{distance!r} is not a distance on Earth in km")


def distance_km(a: Place, b: Place) -> float:
    """The great-circle distance between two places with coordinates (haversine), in km.

    >>> paris = Place(commune="75056", latitude=48.8566, longitude=2.3522)
    >>> lyon = Place(commune="69123", latitude=45.7640, longitude=4.8357)
    >>> round(distance_km(paris, lyon))
    391
    """
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        raise InvalidInput(
            *(
                Problem((name,), "distance_km needs two places with coordinates")
                for name, place in (("a", a), ("b", b))
                if place.latitude is None or place.longitude is None
            )
        )
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi = phi2 - phi1
    dlambda = math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def located(dossier: Dossier, service_id: str | None = None) -> Place | None:
    """Where a dossier's initiatives happen: the place of a counted action with coordinates.

    Among the counted actions whose place has coordinates, those that deliver
    *service_id* come first, then the smallest action id: the order of the
    dossier's actions changes nothing. ``None`` when no place has coordinates.
    """
    placed = [
        action
        for action in dossier.counted_actions
        if action.place is not None and action.place.has_coordinates
    ]
    if not placed:
        return None
    chosen = min(placed, key=lambda action: (service_id not in action.services, action.id))
    return chosen.place


def _departement_of_dossier(dossier: Dossier) -> str | None:
    """The dossier's département: its territory's, else that of its placed counted action of smallest id."""
    known = dossier.territory.known_departement
    if known is not None:
        return known
    placed = [action for action in dossier.counted_actions if action.place is not None]
    if not placed:
        return None
    place = min(placed, key=attrgetter("id")).place
    return None if place is None else place.departement


def peers(
    service_id: str,
    dossiers: Iterable[Dossier],
    *,
    near: Territory | Dossier | Place | None = None,
    limit: int | None = None,
    ruleset: Ruleset | None = None,
) -> tuple[Peer, ...]:
    """The territories that deploy *service_id*, nearest first: "who else does this, near me?".

    A territory deploys a service when its effective status is ``DEPLOYED``
    (actions over two years old and not ongoing do not count). With *near*, the
    peers in its département come first, then those of its région (of 2016),
    then the rest; within each, by distance when both places have coordinates
    (a dossier's place is that of a counted action with coordinates: one that
    delivers the service if any, then the smallest action id, so that the order
    of a dossier's actions changes nothing), those without coordinates after; ties by territory code, then the most recent year first. The
    territory *near* names is not its own peer. Without *near*, peers come by code.
    With *ruleset*, each dossier is read as `assess` reads it under that ruleset:
    a former service id (an alias of its taxonomy) counts as the service that took
    it over, and so does *service_id*.

    Args:
        service_id: the service looked for.
        dossiers: the cohort to look in.
        near: a territory, a dossier (its territory and its places) or a place.
        limit: at most this many peers (all when ``None``).
        ruleset: the rules whose former ids are read as their successors (none when
            ``None``).

    Raises:
        InvalidInput: a bad argument (each problem named).

    >>> import villes_label as vl
    >>> cohort = vl.referential.national_cohort(60, seed=11)
    >>> home = cohort[0]
    >>> found = vl.peers("site-internet", cohort, near=home, limit=3)
    >>> [peer.proximity for peer in found]
    ['departement', 'departement', 'region']
    """
    problems: list[Problem] = []
    service: object = service_id
    if not isinstance(service, str) or not service:
        problems.append(Problem(("service_id",), f"expected a service id, got {shown(service_id)}"))
    if limit is not None and (not is_int(limit) or limit < 0):
        problems.append(Problem(("limit",), f"expected an int >= 0 or None, got {shown(limit)}"))
    where: object = near
    if where is not None and not isinstance(where, Territory | Dossier | Place):
        problems.append(
            Problem(
                ("near",), f"expected a Territory, a Dossier or a Place, got {type(where).__name__}"
            )
        )
    rules: object = ruleset
    if rules is not None and not isinstance(rules, Ruleset):
        problems.append(
            Problem(("ruleset",), f"expected a Ruleset or None, got {type(rules).__name__}")
        )
    if problems:
        raise InvalidInput(*problems)
    cohort = [item for item in items_of(dossiers, "dossiers", Dossier) if isinstance(item, Dossier)]
    if ruleset is not None:
        service_id = ruleset.taxonomy.aliases.get(service_id, service_id)
    home_code, home_departement, home_place = _home(near, service_id)
    home_region = None if home_departement is None else region_of(home_departement)
    found: list[tuple[tuple[int, float, str, int], Peer]] = []
    for given in cohort:
        # As `assess` reads it: former ids count as the services that took them over.
        dossier = given if ruleset is None else read_retired_ids(given, ruleset)[0]
        territory = dossier.territory
        if territory.code == home_code or dossier.status(service_id) is not Status.DEPLOYED:
            continue
        departement = _departement_of_dossier(dossier)
        proximity: Proximity = "national"
        if home_departement is not None and departement is not None:
            if departement == home_departement:
                proximity = "departement"
            elif region_of(departement) == home_region:
                proximity = "region"
        place = located(dossier, service_id)
        distance = None
        if home_place is not None and place is not None:
            distance = distance_km(home_place, place)
        key = (
            _TIERS[proximity],
            math.inf if distance is None else distance,
            territory.code,
            -dossier.year,
        )
        # By id, as a dashboard's initiatives: the order of a dossier's actions changes nothing.
        delivering = {a.id for a in dossier.counted_actions if service_id in a.services}
        initiatives = tuple(
            sorted((a for a in given.actions if a.id in delivering), key=attrgetter("id"))
        )
        found.append(
            (
                key,
                Peer(
                    territory=territory,
                    year=dossier.year,
                    proximity=proximity,
                    distance_km=distance,
                    initiatives=initiatives,
                ),
            )
        )
    found.sort(key=lambda item: item[0])
    chosen = [peer for _, peer in found]
    return tuple(chosen if limit is None else chosen[:limit])


def _home(
    near: Territory | Dossier | Place | None, service_id: str
) -> tuple[str | None, str | None, Place | None]:
    """The code to leave out, the département and the place of *near*."""
    if near is None:
        return None, None, None
    if isinstance(near, Place):
        return None, near.departement, near if near.has_coordinates else None
    if isinstance(near, Dossier):
        return near.territory.code, _departement_of_dossier(near), located(near, service_id)
    return near.code, near.known_departement, None
