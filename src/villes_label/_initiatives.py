"""What an initiative records beside its services: who carried it, where, and links.

The ATLAAS portal, which the label's platform grew from, records for each
initiative the structures involved, links and a place (commune, postal code,
latitude and longitude). `Actor` and `Place` are those, as small values;
`Action` (in `_territory`) holds them. None of it changes a score.
"""

from __future__ import annotations

import math
import re
from typing import Final

import attrs

from villes_label._errors import InvalidInput
from villes_label._geo import commune_departement_problem, departement_of
from villes_label._values import is_instance
from villes_label._vocabulary import ActorRole

__all__ = ["Actor", "ActorRole", "Place", "link_problem"]


def _role(value: ActorRole) -> ActorRole:
    if is_instance(value, str) and value in ActorRole._value2member_map_:
        return ActorRole(value)
    return value


@attrs.frozen(kw_only=True)
class Actor:
    """A structure named in an initiative, and its role.

    >>> Actor(name="Les Inforoutes", role="collectivite")
    Actor(name='Les Inforoutes', role=<ActorRole.COLLECTIVITE: 'collectivite'>)
    """

    name: str
    role: ActorRole = attrs.field(converter=_role)

    def __attrs_post_init__(self) -> None:
        problems = []
        if not is_instance(self.name, str) or not self.name.strip():
            problems.append("name: an actor needs a non-empty name")
        if not is_instance(self.role, ActorRole):
            known = ", ".join(role.value for role in ActorRole)
            problems.append(f"role: expected one of {known}, got {self.role!r}")
        if problems:
            raise InvalidInput(*problems)


MAX_LATITUDE: Final = 90
MAX_LONGITUDE: Final = 180
_POSTAL_CODE = re.compile(r"\d{5}")
# An absolute http(s) address: a host name (letters of any script, digits, dots, hyphens)
# or a bracketed IPv6 address, an optional port, then anything from the path on.
_URL = re.compile(r"https?://(?:[\w.-]*\w|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:[/?#].*)?", re.IGNORECASE)


def _coordinate_problem(value: object, name: str, bound: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{name}: expected a number, got {type(value).__name__} {value!r}"
    # Compare before any float conversion: a huge int cannot become a float.
    if not -bound <= value <= bound or not math.isfinite(value):
        return f"{name}: {value!r} is outside -{bound}..{bound}"
    return None


def _coordinate(value: float | None) -> float | None:
    # An int is a valid coordinate; it is kept as a float so equal places compare equal.
    number: object = value
    if isinstance(number, int) and not isinstance(number, bool) and abs(number) <= MAX_LONGITUDE:
        return float(number)
    return value


@attrs.frozen(kw_only=True)
class Place:
    """Where an initiative happens: a commune (INSEE code), and coordinates if known.

    ``latitude`` and ``longitude`` are WGS 84 degrees, given together or not at
    all; ``name`` says where in the commune (a library, a school); the postal
    code, if given, has 5 digits.

    >>> place = Place(commune="07208", latitude=44.86, longitude=4.61, name="Bibliothèque")
    >>> place.departement, place.has_coordinates
    ('07', True)
    >>> Place(commune="7208", latitude=91.0)
    Traceback (most recent call last):
    ...
    villes_label._errors.InvalidInput: 3 problems:
      - commune: '7208' is not a commune's INSEE code (5 characters: département 01-95, 2A/2B or 971-976, then the commune)
      - latitude: 91.0 is outside -90..90
      - longitude: latitude and longitude are given together or not at all
    """

    commune: str
    latitude: float | None = attrs.field(default=None, converter=_coordinate)
    longitude: float | None = attrs.field(default=None, converter=_coordinate)
    name: str = ""
    postal_code: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = []
        problem = commune_departement_problem(self.commune)
        if problem is not None:
            problems.append(f"commune: {problem}")
        for field, bound in (("latitude", MAX_LATITUDE), ("longitude", MAX_LONGITUDE)):
            problem = _coordinate_problem(getattr(self, field), field, bound)
            if problem is not None:
                problems.append(problem)
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            problems.append(f"{missing}: latitude and longitude are given together or not at all")
        if not is_instance(self.name, str):
            problems.append(f"name: expected a str, got {type(self.name).__name__}")
        if self.postal_code is not None and not (
            is_instance(self.postal_code, str) and _POSTAL_CODE.fullmatch(self.postal_code)
        ):
            problems.append(f"postal_code: {self.postal_code!r} is not a postal code (5 digits)")
        if problems:
            raise InvalidInput(*problems)

    @property
    def departement(self) -> str:
        """The département of the commune (``"07"``, ``"2A"``, ``"974"``)."""
        return departement_of(self.commune)

    @property
    def has_coordinates(self) -> bool:
        """Whether latitude and longitude are known."""
        return self.latitude is not None and self.longitude is not None


def link_problem(link: object) -> str | None:
    """Why *link* is not an absolute http(s) URL, or ``None`` when it is one.

    >>> link_problem("https://www.villes-internet.net/"), link_problem("ftp://x")
    (None, "'ftp://x' is not an http(s) address")
    """
    if not isinstance(link, str):
        return f"expected an address (a str), got {type(link).__name__} {link!r}"
    if any(char.isspace() for char in link):
        return f"{link!r} contains spaces: encode them (%20)"
    if not _URL.fullmatch(link):
        return f"{link!r} is not an http(s) address"
    return None
