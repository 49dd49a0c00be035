r"""The words people read, in one language at a time: numbers, names, statuses, reasons.

Every report of villes_label (``explain``, ``summary``, the HTML of notebooks,
the command line) is written in the language its caller asks for, ``"fr"``
(the default: the label's jury and collectivités read French) or ``"en"``.
French text follows French typography: a comma as decimal mark, a no-break
space (U+00A0) between thousands (``1 850 habitants``), and a unit in the
singular below 2 (``0,8 point``, ``1,6 point``, ``2,5 points``).

Scores and gains are always *points on the 0-100 scale* of the potential:
a score of ``Fraction(1, 2)`` is ``50,0`` and a gain of ``Fraction(1, 128)``
is ``0,8 point``.

Pure: no I/O, no global state.

>>> from fractions import Fraction
>>> amount(Fraction(1, 128), "fr"), amount(Fraction(5, 2), "en")
('0,8 point', '250.0 points')
>>> population(1850, "fr") == "1\u00a0850 habitants"
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from villes_label import _vocabulary
from villes_label._errors import InvalidInput, Problem
from villes_label._values import shown
from villes_label._vocabulary import ReasonCode, Status, TerritoryKind

if TYPE_CHECKING:
    from collections.abc import Mapping
    from fractions import Fraction


__all__ = [
    "LANGS",
    "Lang",
    "amount",
    "check_lang",
    "grade_label",
    "kind_word",
    "named",
    "number",
    "population",
    "reason_text",
    "shortfall",
    "status_word",
]

Lang = _vocabulary.Lang
"""The languages of the reports: French (the default), English."""

LANGS: tuple[Lang, ...] = ("fr", "en")

NBSP = "\u00a0"
"""The no-break space between the thousands of French numbers (``1 850``)."""


def check_lang(lang: object) -> Lang:
    """*lang* itself when it is ``"fr"`` or ``"en"``; else `InvalidInput`."""
    if lang == "fr":
        return "fr"
    if lang == "en":
        return "en"
    raise InvalidInput(Problem(("lang",), f"expected 'fr' or 'en', got {shown(lang)}"))


def number(value: Fraction, lang: Lang) -> str:
    """A fraction of the potential as points on the 0-100 scale: ``'51,2'`` / ``'51.2'``.

    >>> number(Fraction(295, 576), "fr"), number(Fraction(295, 576), "en")
    ('51,2', '51.2')
    """
    return _vocabulary.points_in(value, lang)


def shortfall(value: Fraction, lang: Lang) -> str:
    """A positive amount of missing points, never shown as zero: ``'moins de 0,1 point'``.

    Below a twentieth of a point the rounded amount would read ``0,0``, which
    contradicts a condition that fails; the exact value stays in the reason.

    >>> shortfall(Fraction(1, 10**8), "fr"), shortfall(Fraction(1, 10**8), "en")
    ('moins de 0,1 point', 'less than 0.1 point')
    >>> shortfall(Fraction(3, 16), "fr")
    '18,8 points'
    """
    if _vocabulary.under_a_tenth(value):
        return _vocabulary.LESS_THAN_A_TENTH[lang]
    return amount(value, lang)


def amount(value: Fraction, lang: Lang) -> str:
    """An amount of points with its unit: ``'0,8 point'``, ``'18,8 points'``, ``'1.0 point'``.

    French puts the unit in the singular below 2 (as shown, rounded); English
    only for exactly 1.0.

    >>> amount(Fraction(1, 64), "fr"), amount(Fraction(3, 16), "fr"), amount(Fraction(1, 100), "en")
    ('1,6 point', '18,8 points', '1.0 point')
    """
    text = number(value, lang)
    shown = abs(float(text.replace(",", ".")))
    singular = shown < 2 if lang == "fr" else shown == 1
    return f"{text} point" if singular else f"{text} points"


def _thousands(count: int, lang: Lang) -> str:
    text = f"{count:,}"
    return text.replace(",", NBSP) if lang == "fr" else text


def population(count: int, lang: Lang) -> str:
    """A population with its unit: ``'12 400 habitants'`` / ``'12,400 inhabitants'``."""
    if lang == "fr":
        return f"{_thousands(count, lang)} habitant{'' if count < 2 else 's'}"
    return f"{_thousands(count, lang)} inhabitant{'' if count == 1 else 's'}"


def status_word(status: Status, lang: Lang) -> str:
    """A status as people read it: ``'prévu'`` / ``'planned'`` (``'not applicable'``)."""
    return _vocabulary.status_word(status, lang).replace("_", " ")


_KIND_WORDS: dict[Lang, dict[TerritoryKind, str]] = {
    "fr": {
        TerritoryKind.COMMUNE: "commune",
        TerritoryKind.COMMUNAUTE_DE_COMMUNES: "communauté de communes",
        TerritoryKind.COMMUNAUTE_D_AGGLOMERATION: "communauté d'agglomération",
        TerritoryKind.COMMUNAUTE_URBAINE: "communauté urbaine",
        TerritoryKind.METROPOLE: "métropole",
    },
    "en": {
        TerritoryKind.COMMUNE: "commune",
        TerritoryKind.COMMUNAUTE_DE_COMMUNES: "community of communes",
        TerritoryKind.COMMUNAUTE_D_AGGLOMERATION: "agglomeration community",
        TerritoryKind.COMMUNAUTE_URBAINE: "urban community",
        TerritoryKind.METROPOLE: "metropolis",
    },
}


def kind_word(kind: TerritoryKind, lang: Lang) -> str:
    """A kind of territory as people read it: ``'communauté de communes'``."""
    return _KIND_WORDS[lang][kind]


arobases = _vocabulary.arobases


def grade_label(grade: int, lang: Lang) -> str:
    """``'@@@ (3 arobases)'`` / ``'@@@ (grade 3)'``; ``'- (aucune arobase)'`` / ``'- (no grade)'``."""
    if lang == "fr":
        if not grade:
            return "- (aucune arobase)"
        return f"{arobases(grade)} ({grade} arobase{'s' if grade > 1 else ''})"
    if not grade:
        return "- (no grade)"
    return f"{arobases(grade)} (grade {grade})"


def named(id_: str, names: Mapping[str, str]) -> str:
    """A name beside its id, ``'Démocratie locale [democratie-locale]'`` (the id alone if unnamed).

    >>> named("site-internet", {"site-internet": "Site internet"}), named("x", {})
    ('Site internet [site-internet]', 'x')
    """
    name = names.get(id_)
    return f"{name} [{id_}]" if name and name != id_ else id_


def colon(lang: Lang) -> str:
    """The colon of *lang*: French puts a space before it (a plain one, as plain text does)."""
    return " :" if lang == "fr" else ":"


_GATES: dict[str, dict[Lang, str]] = {
    ReasonCode.MIN_SCORE: {"fr": "score global", "en": "overall score"},
    ReasonCode.THEME_GATE: {"fr": "thème", "en": "theme"},
    ReasonCode.ISSUE_GATE: {"fr": "enjeu", "en": "issue"},
    ReasonCode.EACH_THEME: {"fr": "thème", "en": "theme"},
}


def gate_word(code: str, lang: Lang) -> str:
    """What a condition measures: ``'enjeu'``, ``'thème'``, ``'score global'`` (or the code)."""
    return _GATES.get(code, {}).get(lang, code)


class Reason(Protocol):
    """What this module reads of a `villes_label.Reason` (which lives in a higher room)."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def required(self) -> Fraction | None: ...
    @property
    def actual(self) -> Fraction | None: ...


def reason_text(
    reason: Reason,
    lang: Lang,
    *,
    names: Mapping[str, str],
    mention_names: Mapping[str, str] | None = None,
    statuses: Mapping[str, Status] | None = None,
    grade: int | None = None,
) -> str:
    """The sentence of *reason* in *lang*, names beside ids, from its fields.

    *statuses* gives a required service's status, *grade* the grade awarded
    (for the ``"grade"`` reason). A code this function does not know keeps
    the reason's own message.
    """
    fr = lang == "fr"
    c = colon(lang)
    code, subject = reason.code, reason.subject
    who = named(subject, names) if subject else ""
    required, actual = reason.required, reason.actual
    if code in _GATES and required is not None and actual is not None:
        what = gate_word(code, lang) + (f" {who}" if who else "")
        short = shortfall(required - actual, lang)
        every = code == ReasonCode.EACH_THEME
        if fr:
            of = " de chaque thème" if every else ""
            return (
                f"{what}{c} {number(actual, lang)} pour {number(required, lang)} requis{of}, "
                f"il manque {short}"
            )
        of = " of every theme" if every else ""
        return (
            f"{what}{c} {number(actual, lang)} for {number(required, lang)} required{of}, "
            f"{short} short"
        )
    if code == ReasonCode.REQUIRED_SERVICE:
        status = (statuses or {}).get(subject or "", Status.ABSENT)
        word = status_word(status, lang)
        if fr:
            return f"service obligatoire {who}{c} {word}, il doit être déployé"
        return f"required service {who}{c} {word}, it must be deployed"
    if code == "gate-waived":
        if fr:
            return f"condition levée sur {who}{c} rien n'y concerne ce territoire"
        return f"gate on {who} waived{c} nothing of it concerns this territory"
    if code == "opt-out-refused":
        if fr:
            return (
                f"le service {who} est déclaré non applicable, mais les règles ne permettent "
                f"pas à ce territoire d'y renoncer{c} il compte comme absent"
            )
        return (
            f"service {who} is declared not applicable, but the rules do not allow this "
            f"territory to opt out of it{c} it counts as absent"
        )
    if code == "action-expired" and fr:
        return (
            f"l'action « {subject} » a plus de deux ans et n'est pas déclarée en cours{c} "
            "elle ne compte pas, ses services gardent leurs propres entrées"
        )
    if code == "potential" and actual is not None:
        if fr:
            return f"l'enjeu {who} peut encore apporter {amount(actual, lang)}"
        return f"issue {who} can still bring {amount(actual, lang)}"
    if code == "mention":
        mention = (mention_names or {}).get(subject or "")
        title = f"{mention} [{subject}]" if mention else (subject or "")
        return f"mention {title} obtenue" if fr else f"mention {title} awarded"
    if code == "year-mismatch" and required is not None and actual is not None:
        if fr:
            return (
                f"le dossier est de {actual} mais les règles sont celles de {required}{c} "
                "il est évalué avec les règles d'une autre année"
            )
        return (
            f"the dossier is of {actual} but the rules are those of {required}{c} "
            "it is assessed on another year's rules"
        )
    if code == "retired-id":
        if fr:
            return (
                f"{who} est un ancien identifiant du référentiel{c} "
                "lu comme le service qui l'a remplacé"
            )
        return reason.message
    if code == "no-concerned-service":
        if fr:
            return f"aucun service du référentiel ne concerne ce territoire{c} le score est 0"
        return f"no service of the referential concerns this territory{c} the score is 0"
    if code == "grade" and actual is not None and grade is not None:
        if grade:
            if fr:
                return (
                    f"note {grade_label(grade, lang)} obtenue{c} toutes les conditions de sa "
                    f"règle sont remplies (score {number(actual, lang)})"
                )
            return (
                f"{grade_label(grade, lang)} awarded{c} every condition of its rule holds "
                f"(score {number(actual, lang)})"
            )
        if fr:
            return f"aucune note (score {number(actual, lang)}){c} la règle la plus basse échoue"
        return f"no grade awarded (score {number(actual, lang)}){c} the lowest rule fails"
    return reason.message
