"""The library's vocabulary in one place: kinds, statuses and credits, reason codes, words.

A new status, territory kind or reason code, or a new word shown to people in
either language, is added here and nowhere else: the other modules read this
one. It imports nothing of the library but its value helpers.

>>> ReasonCode.MIN_SCORE == "min-score"
True
>>> status_word(Status.PLANNED, "fr")
'prévu'
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from villes_label._values import FrozenMap

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DEFAULT_CREDITS",
    "LESS_THAN_A_TENTH",
    "ActorRole",
    "Lang",
    "Parameter",
    "QuantityKind",
    "ReasonCode",
    "Status",
    "TerritoryKind",
    "arobases",
    "points",
    "points_in",
    "status_word",
    "under_a_tenth",
]

Lang = Literal["fr", "en"]
"""The languages of the texts: French (the label's), English."""


class TerritoryKind(enum.StrEnum):
    """The kind of a collectivité: a commune or an intercommunal body (EPCI).

    >>> TerritoryKind("metropole").is_epci, TerritoryKind.COMMUNE.value
    (True, 'commune')
    """

    COMMUNE = "commune"
    COMMUNAUTE_DE_COMMUNES = "communaute_de_communes"
    COMMUNAUTE_D_AGGLOMERATION = "communaute_d_agglomeration"
    COMMUNAUTE_URBAINE = "communaute_urbaine"
    METROPOLE = "metropole"

    @property
    def is_epci(self) -> bool:
        """Whether this kind is an intercommunal body, identified by a SIREN."""
        return self is not TerritoryKind.COMMUNE


_RANKS = {"absent": 0, "planned": 1, "partial": 2, "deployed": 3}


class Status(enum.StrEnum):
    """The state of a service in a dossier.

    ``ABSENT < PLANNED < PARTIAL < DEPLOYED`` in credit order (comparisons use
    that order, not the alphabetical order of the values); ``NOT_APPLICABLE``
    is outside that order and comparing it raises ``TypeError``.

    >>> Status.PARTIAL < Status.PLANNED
    False
    >>> max(Status.PLANNED, Status.PARTIAL)
    <Status.PARTIAL: 'partial'>
    """

    ABSENT = "absent"
    PLANNED = "planned"
    PARTIAL = "partial"
    DEPLOYED = "deployed"
    NOT_APPLICABLE = "not_applicable"

    @property
    def rank(self) -> int:
        """Position in credit order (0 for ``ABSENT`` .. 3 for ``DEPLOYED``); -1 if not applicable."""
        return _RANKS.get(self.value, -1)

    def _ranks(self, other: object) -> tuple[int, int] | None:
        if not isinstance(other, Status):
            return None
        if self is Status.NOT_APPLICABLE or other is Status.NOT_APPLICABLE:
            return None
        return _RANKS[self.value], _RANKS[other.value]

    def __lt__(self, other: object) -> bool:
        ranks = self._ranks(other)
        if ranks is None:
            return NotImplemented
        return ranks[0] < ranks[1]

    def __le__(self, other: object) -> bool:
        ranks = self._ranks(other)
        if ranks is None:
            return NotImplemented
        return ranks[0] <= ranks[1]

    def __gt__(self, other: object) -> bool:
        ranks = self._ranks(other)
        if ranks is None:
            return NotImplemented
        return ranks[0] > ranks[1]

    def __ge__(self, other: object) -> bool:
        ranks = self._ranks(other)
        if ranks is None:
            return NotImplemented
        return ranks[0] >= ranks[1]

    # StrEnum keeps str's hash; defining comparisons must not drop it.
    __hash__ = str.__hash__


_CODES = {status: n for n, status in enumerate(Status)}
_CODE_OF = _CODES.__getitem__
STATUS_CODES: Final[Mapping[Status, int]] = FrozenMap(_CODES)
"""The code of each status: its position in `Status` (the categories of a frame's columns)."""


class StatusMap(FrozenMap[str, Status]):
    """The services of a dossier: a `FrozenMap` that also holds the code of each status.

    ``codes`` has one byte per entry, in the map's order: the status's position
    in `Status` (`STATUS_CODES`). It is written once, when the map is made (the
    dossier's converter makes it from entries it has checked), and never
    changes, so that the batch scorer reads a cohort's statuses with one join
    of bytes instead of one look-up per entry. It is not a cache: nothing is
    computed or stored later, and it plays no part in equality or hashing.

    >>> list(StatusMap({"wifi-public": Status.DEPLOYED, "e-services": Status.PLANNED}).codes)
    [3, 1]
    """

    __slots__ = ("_codes",)

    def __init__(self, data: Mapping[str, Status] | None = None) -> None:
        super().__init__(data)
        self._codes = bytes(map(_CODE_OF, self._data.values()))

    @classmethod
    def owning(cls, data: dict[str, Status]) -> StatusMap:
        """Wrap *data* without a copy: the caller gives it up and never changes it."""
        made = cast("StatusMap", super().owning(data))
        made._codes = bytes(map(_CODE_OF, data.values()))  # noqa: SLF001 - its own constructor
        return made

    @property
    def codes(self) -> bytes:
        """The code of each status, in the map's order (one byte each)."""
        return self._codes

    def __reduce__(self) -> tuple[Any, ...]:
        return (StatusMap, (self._data,))


DEFAULT_CREDITS: Mapping[Status, Fraction] = FrozenMap(
    {
        Status.ABSENT: Fraction(0),
        Status.PLANNED: Fraction(0),
        Status.PARTIAL: Fraction(1, 2),
        Status.DEPLOYED: Fraction(1),
    }
)
"""The credit of each status unless a ruleset says otherwise."""


class ActorRole(enum.StrEnum):
    """The kind of structure that carried an initiative with the collectivité.

    The label counts the actions "delivered by associations or contractors that
    the collectivité funds" as well as its own.

    >>> ActorRole("association"), ActorRole.SCHOOL.value
    (<ActorRole.ASSOCIATION: 'association'>, 'etablissement_scolaire')
    """

    COLLECTIVITE = "collectivite"
    """The collectivité itself, another collectivité or an intercommunal syndicate."""
    ASSOCIATION = "association"
    COMPANY = "entreprise"
    """A company, such as a contractor (prestataire), a start-up or a cooperative."""
    SCHOOL = "etablissement_scolaire"
    """A school, a collège, a lycée, a university."""
    PUBLIC_BODY = "etablissement_public"
    """Another public body, such as a library, a hospital, a chamber of commerce or the State."""
    OTHER = "autre"


class QuantityKind(enum.StrEnum):
    """What a quantity of the linear form measures."""

    SCORE = "score"
    THEME = "theme"
    ISSUE = "issue"


class Parameter(enum.StrEnum):
    """What one field of a kind of condition holds: the testing kit draws a kind from them.

    A threshold or a grade is *stricter* the higher it is; an id names what the
    condition is about.
    """

    THRESHOLD = "threshold"
    """A fraction in [0, 1] (a minimum score)."""
    GRADE = "grade"
    """A grade in 1..5 (a minimum grade)."""
    THEME = "theme"
    """The id of a theme of the ruleset's taxonomy."""
    ISSUE = "issue"
    """The id of an issue of the ruleset's taxonomy."""
    SERVICE = "service"
    """The id of a service of the ruleset's taxonomy."""


class ReasonCode(enum.StrEnum):
    """The stable, machine-readable kind of an assessment's `Reason`.

    Each value is public: programs match on it. The conditions a grade or
    mention rule can hold have theirs (see `villes_label._conditions`).
    """

    GRADE = "grade"
    """The grade awarded, or none."""
    MIN_SCORE = "min-score"
    THEME_GATE = "theme-gate"
    ISSUE_GATE = "issue-gate"
    EACH_THEME = "each-theme"
    REQUIRED_SERVICE = "required-service"
    MIN_GRADE = "min-grade"
    """A mention's minimum grade (never in an assessment's reasons: a mention
    that is not awarded gives no reason)."""
    GATE_WAIVED = "gate-waived"
    OPT_OUT_REFUSED = "opt-out-refused"
    ACTION_EXPIRED = "action-expired"
    """An action more than two years old at the label year, not ongoing: it does not count."""
    POTENTIAL = "potential"
    MENTION = "mention"
    NO_CONCERNED_SERVICE = "no-concerned-service"
    YEAR_MISMATCH = "year-mismatch"
    """The dossier's year is not the ruleset's: it is assessed on another year's rules."""
    RETIRED_ID = "retired-id"
    """The dossier names a former service id, read as the service that took it over."""


_STATUS_WORDS: dict[Lang, dict[Status, str]] = {
    "fr": {
        Status.ABSENT: "absent",
        Status.PLANNED: "prévu",
        Status.PARTIAL: "partiel",
        Status.DEPLOYED: "déployé",
        Status.NOT_APPLICABLE: "non applicable",
    },
    "en": {status: status.value for status in Status},
}


def status_word(status: Status, lang: Lang) -> str:
    """A status as people read it in *lang*."""
    return _STATUS_WORDS[lang][status]


def points(value: Fraction) -> str:
    """A fraction of the potential as points out of 100, for people (``'41.3'``).

    Rounded exactly to the nearest tenth, halves away from zero as people round
    by hand (no float on the way: ``31.25`` is ``'31.3'``, as ``43.75`` is ``'43.8'``).

    >>> points(Fraction(5, 16)), points(Fraction(7, 16)), points(Fraction(-5, 16))
    ('31.3', '43.8', '-31.3')
    """
    tenths = abs(Fraction(value) * 1000)
    rounded = int(tenths + Fraction(1, 2))  # floor of a non-negative number
    sign = "-" if value < 0 and rounded else ""
    return f"{sign}{rounded // 10}.{rounded % 10}"


def arobases(grade: int) -> str:
    """The grade as the label prints it: ``'@@@'`` (``'-'`` when not labelled)."""
    return "@" * grade if grade else "-"


def under_a_tenth(value: Fraction) -> bool:
    """Whether *value* is positive but shows as ``0.0`` points (a gap a report must not call 0).

    >>> under_a_tenth(Fraction(1, 10**6)), under_a_tenth(Fraction(0)), under_a_tenth(Fraction(1, 1000))
    (True, False, False)
    """
    return value > 0 and points(value) == "0.0"


LESS_THAN_A_TENTH: dict[Lang, str] = {"fr": "moins de 0,1 point", "en": "less than 0.1 point"}
"""A positive gap that rounds to ``0.0`` points, as people read it."""


def points_in(value: Fraction, lang: Lang) -> str:
    """`points` with the decimal mark of *lang* (``'41,3'`` in French)."""
    text = points(value)
    return text.replace(".", ",") if lang == "fr" else text
