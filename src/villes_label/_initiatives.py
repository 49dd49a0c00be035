"""What an initiative records beside its services: who carried it, where, and links.

The ATLAAS portal, which the label's platform grew from, records for each
initiative the structures involved, links and a place (commune, postal code,
latitude and longitude). `Actor` and `Place` are those, as small values;
`Action` (in `_territory`) holds them. None of it changes a score.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

import attrs

from villes_label._check import finish, lenient, text_problem
from villes_label._errors import Problem
from villes_label._geo import commune_departement_problem, departement_of
from villes_label._values import shown
from villes_label._vocabulary import ActorRole

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Actor", "ActorRole", "Place", "link_problem"]


def _role(value: ActorRole | str) -> ActorRole:
    return lenient(ActorRole, value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Actor:
    """A structure named in an initiative, and its role.

    >>> Actor(name="Les Inforoutes", role="collectivite")
    Actor(name='Les Inforoutes', role=<ActorRole.COLLECTIVITE: 'collectivite'>)
    """

    name: str
    role: ActorRole = attrs.field(converter=_role)

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "name" not in failed and not self.name.strip():
            yield Problem(("name",), "an actor needs a non-empty name")
        elif "name" not in failed and (problem := text_problem(self.name, "name")):
            yield Problem(("name",), problem)


MAX_LATITUDE: Final = 90
MAX_LONGITUDE: Final = 180
_POSTAL_CODE = re.compile(r"\d{5}", re.ASCII)
# An absolute http(s) address: a host name (letters of any script, digits, dots, hyphens)
# or a bracketed IPv6 address, an optional port, then anything from the path on.
_URL = re.compile(r"https?://(?:[\w.-]*\w|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:[/?#].*)?", re.IGNORECASE)


def _coordinate(value: float | None) -> float | None:
    # An int is read as a float (a bounded one), so equal places compare equal.
    return lenient(float | None, value)  # type: ignore[no-any-return]


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
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "commune" not in failed:
            problem = commune_departement_problem(self.commune)
            if problem is not None:
                yield Problem(("commune",), problem)
        for field, bound in (("latitude", MAX_LATITUDE), ("longitude", MAX_LONGITUDE)):
            value = getattr(self, field)
            if field not in failed and value is not None and not -bound <= value <= bound:
                yield Problem((field,), f"{value!r} is outside -{bound}..{bound}")
        if not failed & {"latitude", "longitude"} and (self.latitude is None) != (
            self.longitude is None
        ):
            missing = "longitude" if self.longitude is None else "latitude"
            yield Problem((missing,), "latitude and longitude are given together or not at all")
        code = self.postal_code
        if "postal_code" not in failed and code is not None and not _POSTAL_CODE.fullmatch(code):
            yield Problem(("postal_code",), f"{shown(code)} is not a postal code (5 digits)")

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
        return f"expected an address (a str), got {type(link).__name__} {shown(link)}"
    if any(char.isspace() for char in link):
        return f"{shown(link)} contains spaces: encode them (%20)"
    if not _URL.fullmatch(link):
        return f"{shown(link)} is not an http(s) address"
    return None
