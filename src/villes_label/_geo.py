"""French départements and régions as data: which département a commune is in, which région.

No file is read: the tables below are the départements and régions of INSEE's
*Code officiel géographique* (COG), 2016 edition for the 101 départements and the
18 régions created on 1 January 2016 (loi n° 2015-29 of 16 January 2015), with
the 27 régions that preceded them (22 in metropolitan France, 5 overseas) for
data of earlier years, such as the ATLAAS initiatives of 2014.

Codes are INSEE's, as strings: ``"01"`` (Ain), ``"2A"`` (Corse-du-Sud),
``"976"`` (Mayotte); régions ``"84"`` (Auvergne-Rhône-Alpes), ``"01"`` (Guadeloupe).

What is not a département. The INSEE codes that start with 975 (Saint-Pierre-et-
Miquelon), 977 (Saint-Barthélemy), 978 (Saint-Martin) and 98 (Polynésie
française, Nouvelle-Calédonie, Wallis-et-Futuna, Terres australes et antarctiques
françaises, Clipperton) are collectivités d'outre-mer or territories outside the
101 départements and the 18 régions; `departement_of` refuses them with
`InvalidInput` saying which collectivité the code belongs to, as `Territory`
refuses such a commune code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from villes_label._errors import InvalidInput, Problem, unknown_id
from villes_label._values import FrozenMap, is_instance, shown

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "SOURCE",
    "departement_of",
    "departements",
    "region_of",
    "regions",
]

SOURCE: Final = (
    "INSEE, Code officiel géographique au 1er janvier 2016 (départements and régions); "
    "the régions before 2016 from the Code officiel géographique au 1er janvier 2015"
)
"""Where the tables of this module come from."""

REFORM_YEAR: Final = 2016
"""The 18 régions exist since 1 January 2016; earlier years use the 27 régions before them."""

# code: (name, région since 2016, région before 2016)
_DEPARTEMENTS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("01", "Ain", "84", "82"),
    ("02", "Aisne", "32", "22"),
    ("03", "Allier", "84", "83"),
    ("04", "Alpes-de-Haute-Provence", "93", "93"),
    ("05", "Hautes-Alpes", "93", "93"),
    ("06", "Alpes-Maritimes", "93", "93"),
    ("07", "Ardèche", "84", "82"),
    ("08", "Ardennes", "44", "21"),
    ("09", "Ariège", "76", "73"),
    ("10", "Aube", "44", "21"),
    ("11", "Aude", "76", "91"),
    ("12", "Aveyron", "76", "73"),
    ("13", "Bouches-du-Rhône", "93", "93"),
    ("14", "Calvados", "28", "25"),
    ("15", "Cantal", "84", "83"),
    ("16", "Charente", "75", "54"),
    ("17", "Charente-Maritime", "75", "54"),
    ("18", "Cher", "24", "24"),
    ("19", "Corrèze", "75", "74"),
    ("21", "Côte-d'Or", "27", "26"),
    ("22", "Côtes-d'Armor", "53", "53"),
    ("23", "Creuse", "75", "74"),
    ("24", "Dordogne", "75", "72"),
    ("25", "Doubs", "27", "43"),
    ("26", "Drôme", "84", "82"),
    ("27", "Eure", "28", "23"),
    ("28", "Eure-et-Loir", "24", "24"),
    ("29", "Finistère", "53", "53"),
    ("2A", "Corse-du-Sud", "94", "94"),
    ("2B", "Haute-Corse", "94", "94"),
    ("30", "Gard", "76", "91"),
    ("31", "Haute-Garonne", "76", "73"),
    ("32", "Gers", "76", "73"),
    ("33", "Gironde", "75", "72"),
    ("34", "Hérault", "76", "91"),
    ("35", "Ille-et-Vilaine", "53", "53"),
    ("36", "Indre", "24", "24"),
    ("37", "Indre-et-Loire", "24", "24"),
    ("38", "Isère", "84", "82"),
    ("39", "Jura", "27", "43"),
    ("40", "Landes", "75", "72"),
    ("41", "Loir-et-Cher", "24", "24"),
    ("42", "Loire", "84", "82"),
    ("43", "Haute-Loire", "84", "83"),
    ("44", "Loire-Atlantique", "52", "52"),
    ("45", "Loiret", "24", "24"),
    ("46", "Lot", "76", "73"),
    ("47", "Lot-et-Garonne", "75", "72"),
    ("48", "Lozère", "76", "91"),
    ("49", "Maine-et-Loire", "52", "52"),
    ("50", "Manche", "28", "25"),
    ("51", "Marne", "44", "21"),
    ("52", "Haute-Marne", "44", "21"),
    ("53", "Mayenne", "52", "52"),
    ("54", "Meurthe-et-Moselle", "44", "41"),
    ("55", "Meuse", "44", "41"),
    ("56", "Morbihan", "53", "53"),
    ("57", "Moselle", "44", "41"),
    ("58", "Nièvre", "27", "26"),
    ("59", "Nord", "32", "31"),
    ("60", "Oise", "32", "22"),
    ("61", "Orne", "28", "25"),
    ("62", "Pas-de-Calais", "32", "31"),
    ("63", "Puy-de-Dôme", "84", "83"),
    ("64", "Pyrénées-Atlantiques", "75", "72"),
    ("65", "Hautes-Pyrénées", "76", "73"),
    ("66", "Pyrénées-Orientales", "76", "91"),
    ("67", "Bas-Rhin", "44", "42"),
    ("68", "Haut-Rhin", "44", "42"),
    ("69", "Rhône", "84", "82"),
    ("70", "Haute-Saône", "27", "43"),
    ("71", "Saône-et-Loire", "27", "26"),
    ("72", "Sarthe", "52", "52"),
    ("73", "Savoie", "84", "82"),
    ("74", "Haute-Savoie", "84", "82"),
    ("75", "Paris", "11", "11"),
    ("76", "Seine-Maritime", "28", "23"),
    ("77", "Seine-et-Marne", "11", "11"),
    ("78", "Yvelines", "11", "11"),
    ("79", "Deux-Sèvres", "75", "54"),
    ("80", "Somme", "32", "22"),
    ("81", "Tarn", "76", "73"),
    ("82", "Tarn-et-Garonne", "76", "73"),
    ("83", "Var", "93", "93"),
    ("84", "Vaucluse", "93", "93"),
    ("85", "Vendée", "52", "52"),
    ("86", "Vienne", "75", "54"),
    ("87", "Haute-Vienne", "75", "74"),
    ("88", "Vosges", "44", "41"),
    ("89", "Yonne", "27", "26"),
    ("90", "Territoire de Belfort", "27", "43"),
    ("91", "Essonne", "11", "11"),
    ("92", "Hauts-de-Seine", "11", "11"),
    ("93", "Seine-Saint-Denis", "11", "11"),
    ("94", "Val-de-Marne", "11", "11"),
    ("95", "Val-d'Oise", "11", "11"),
    ("971", "Guadeloupe", "01", "01"),
    ("972", "Martinique", "02", "02"),
    ("973", "Guyane", "03", "03"),
    ("974", "La Réunion", "04", "04"),
    ("976", "Mayotte", "06", "06"),
)

_REGIONS: Final[tuple[tuple[str, str], ...]] = (
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
    ("11", "Île-de-France"),
    ("24", "Centre-Val de Loire"),
    ("27", "Bourgogne-Franche-Comté"),
    ("28", "Normandie"),
    ("32", "Hauts-de-France"),
    ("44", "Grand Est"),
    ("52", "Pays de la Loire"),
    ("53", "Bretagne"),
    ("75", "Nouvelle-Aquitaine"),
    ("76", "Occitanie"),
    ("84", "Auvergne-Rhône-Alpes"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("94", "Corse"),
)

_REGIONS_BEFORE_2016: Final[tuple[tuple[str, str], ...]] = (
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
    ("11", "Île-de-France"),
    ("21", "Champagne-Ardenne"),
    ("22", "Picardie"),
    ("23", "Haute-Normandie"),
    ("24", "Centre"),
    ("25", "Basse-Normandie"),
    ("26", "Bourgogne"),
    ("31", "Nord-Pas-de-Calais"),
    ("41", "Lorraine"),
    ("42", "Alsace"),
    ("43", "Franche-Comté"),
    ("52", "Pays de la Loire"),
    ("53", "Bretagne"),
    ("54", "Poitou-Charentes"),
    ("72", "Aquitaine"),
    ("73", "Midi-Pyrénées"),
    ("74", "Limousin"),
    ("82", "Rhône-Alpes"),
    ("83", "Auvergne"),
    ("91", "Languedoc-Roussillon"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("94", "Corse"),
)

_NAMES: Final = FrozenMap({code: name for code, name, _, _ in _DEPARTEMENTS})
_REGION_OF: Final = FrozenMap({code: region for code, _, region, _ in _DEPARTEMENTS})
_OLD_REGION_OF: Final = FrozenMap({code: old for code, _, _, old in _DEPARTEMENTS})
_REGION_NAMES: Final = FrozenMap(dict(_REGIONS))
_OLD_REGION_NAMES: Final = FrozenMap(dict(_REGIONS_BEFORE_2016))

_OUTSIDE: Final = (
    ("975", "Saint-Pierre-et-Miquelon"),
    ("977", "Saint-Barthélemy"),
    ("978", "Saint-Martin"),
    ("98", "a collectivité d'outre-mer of the Pacific or the TAAF"),
)
_COMMUNE: Final = re.compile(r"(?:\d\d|2[AB])\d{3}")


def departements() -> Mapping[str, str]:
    """The 101 départements, code to name, in INSEE order (``"01"`` .. ``"95"``, then 971..976).

    >>> d = departements()
    >>> len(d), d["2A"], d["976"]
    (101, 'Corse-du-Sud', 'Mayotte')
    """
    return _NAMES


def regions(year: int = REFORM_YEAR) -> Mapping[str, str]:
    """The régions of *year*, code to name: the 18 of 2016 and later, or the 27 before.

    >>> r = regions()
    >>> len(r), r["84"], r["01"]
    (18, 'Auvergne-Rhône-Alpes', 'Guadeloupe')
    >>> len(regions(2014)), regions(2014)["82"]
    (27, 'Rhône-Alpes')
    """
    return _REGION_NAMES if _reformed(year) else _OLD_REGION_NAMES


def _reformed(year: object) -> bool:
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput(
            Problem(("year",), f"expected an int, got {type(year).__name__} {shown(year)}")
        )
    return year >= REFORM_YEAR


def departement_problem(code: object) -> str | None:
    """Why *code* is not one of the 101 département codes, or ``None`` when it is."""
    if not isinstance(code, str):
        return f"expected a département code (a str), got {type(code).__name__} {shown(code)}"
    if code in _NAMES:
        return None
    return unknown_id("département", code, _NAMES)


def commune_departement_problem(code: object) -> str | None:
    """Why *code* is not the INSEE code of a commune of a département, or ``None``."""
    if not isinstance(code, str):
        return f"expected a commune's INSEE code (a str), got {type(code).__name__} {shown(code)}"
    for prefix, name in _OUTSIDE:
        if code.startswith(prefix) and _COMMUNE.fullmatch(code):
            return (
                f"{shown(code)} is in {name} ({prefix}), a collectivité outside the 101 "
                "départements and the 18 régions"
            )
    if not _COMMUNE.fullmatch(code) or _departement(code) not in _NAMES:
        return (
            f"{shown(code)} is not a commune's INSEE code (5 characters: département 01-95, "
            "2A/2B or 971-976, then the commune)"
        )
    return None


def _departement(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def departement_of(insee_code: str) -> str:
    """The département of a commune, from its INSEE code: ``"92049"`` → ``"92"``.

    Corsica's communes give ``"2A"`` or ``"2B"``, overseas ones the three digits
    of their département (``"97411"`` → ``"974"``).

    Raises:
        InvalidInput: *insee_code* is not a commune's INSEE code, or its
            commune lies in a collectivité that is no département (975, 977,
            978, 98x), or it is an EPCI's SIREN (which does not tell its
            département: give `Territory.departement`).

    >>> departement_of("92049"), departement_of("2A004"), departement_of("97411")
    ('92', '2A', '974')
    >>> departement_of("97502")
    Traceback (most recent call last):
    ...
    villes_label._errors.InvalidInput: insee_code: '97502' is in Saint-Pierre-et-Miquelon (975), a collectivité outside the 101 départements and the 18 régions
    """
    problem = commune_departement_problem(insee_code)
    if problem is not None:
        if is_instance(insee_code, str) and re.fullmatch(r"\d{9}", insee_code):
            problem = (
                f"{shown(insee_code)} is a SIREN (an EPCI): it does not tell the département; "
                "set the territory's departement"
            )
        raise InvalidInput(Problem(("insee_code",), problem))
    return _departement(insee_code)


def region_of(departement: str, *, year: int = REFORM_YEAR) -> str:
    """The INSEE code of the région of *departement*: one of the 18 of 2016 by default.

    For a *year* before 2016, the région before the reform (``"82"`` Rhône-Alpes
    rather than ``"84"`` Auvergne-Rhône-Alpes), for older data.

    Raises:
        InvalidInput: *departement* is not one of the 101 codes (with the closest ones).

    >>> region_of("92"), region_of("971"), region_of("01"), region_of("01", year=2014)
    ('11', '01', '84', '82')
    """
    problem = departement_problem(departement)
    if problem is not None:
        if is_instance(departement, str) and _COMMUNE.fullmatch(departement):
            problem += " (a commune's INSEE code? use departement_of first)"
        raise InvalidInput(Problem(("departement",), problem))
    return _REGION_OF[departement] if _reformed(year) else _OLD_REGION_OF[departement]
