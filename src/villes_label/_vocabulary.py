"""The library's vocabulary in one place: reason codes, and the words of both languages.

A new reason code, or a new word shown to people, is added here and nowhere
else; the modules that print reasons read this one.

>>> ReasonCode.MIN_SCORE == "min-score"
True
>>> status_word(Status.PLANNED, "fr")
'prévu'
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Literal

from villes_label._territory import Status

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = ["Lang", "ReasonCode", "points", "points_in", "status_word"]

Lang = Literal["fr", "en"]
"""The languages of the texts: French (the label's), English."""


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
    POTENTIAL = "potential"
    MENTION = "mention"
    NO_CONCERNED_SERVICE = "no-concerned-service"


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
    """A fraction of the potential as points out of 100, for people (``'41.3'``)."""
    return f"{float(value * 100):.1f}"


def points_in(value: Fraction, lang: Lang) -> str:
    """`points` with the decimal mark of *lang* (``'41,3'`` in French)."""
    text = points(value)
    return text.replace(".", ",") if lang == "fr" else text
