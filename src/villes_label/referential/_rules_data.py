"""The grading rules of each year, as data: grade gates, thresholds, who is concerned, mentions.

No points grid or threshold of the label is published. The 2016 and 2017
rules are size-aware (``_strata.EXPECTATIONS``: what covers an issue and a
theme for a collectivité of each size) and their minimum scores are those that
`calibrate` sets to reproduce the 2016 palmarès exactly on
``palmares_cohort()`` (carried to the 2017 referential for 2017: no 2017
palmarès is published). The 2014 rules (ATLAAS, 28 broad usages) keep the
share-of-potential thresholds of the comparable label with published rules
(ADEME's *Territoire engagé transition écologique*: 0 %, 35 %, 50 %, 65 %,
75 %), set one step lower because the referential is broad. The gates follow
what the label says it rewards. A ruleset of year Y awards only the mentions
that a source attests by year Y. Every choice is argued in the docs pages
*The label's rules* and *Size-aware grading*.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from villes_label._rules import Applicability, GradeRule, MentionRule
from villes_label._territory import TerritoryKind
from villes_label.referential._sources import (
    RECONSTRUCTION_RULES,
    REGLEMENT,
    REPUBLIQUE_NUMERIQUE,
)

__all__ = ["APPLICABILITY", "MENTIONS", "THRESHOLDS", "Gates", "MentionEntry", "grades"]


@attrs.frozen(kw_only=True)
class Gates:
    """The ids a year's grade rules name: participation issue and theme, the website."""

    participation_theme: str
    participation_issue: str
    website: str | None


THRESHOLDS: dict[int, dict[int, Fraction]] = {
    # Shares of the concerned potential (no expectations in 2014).
    2014: {
        1: Fraction(0),
        2: Fraction(20, 100),
        3: Fraction(35, 100),
        4: Fraction(50, 100),
        5: Fraction(65, 100),
    },
    # What `calibrate` sets on `palmares_cohort()` to give the 2016 palmarès exactly
    # (40, 37, 31, 25, 30); grade 1 stays at 0: every participant gets one @.
    2016: {
        1: Fraction(0),
        2: Fraction(31, 72),
        3: Fraction(7, 12),
        4: Fraction(5, 8),
        5: Fraction(11, 15),
    },
    # The same, on the palmarès cohort carried to the 2017 referential.
    2017: {
        1: Fraction(0),
        2: Fraction(31, 72),
        3: Fraction(7, 12),
        4: Fraction(5, 8),
        5: Fraction(259, 360),
    },
}
"""The minimum score of each grade, by year."""


def grades(gates: Gates, thresholds: dict[int, Fraction]) -> tuple[GradeRule, ...]:
    """The five grade rules, on a year's ids, with its minimum scores."""
    website = frozenset({gates.website}) if gates.website else frozenset()
    theme, issue = gates.participation_theme, gates.participation_issue
    rebuilt = RECONSTRUCTION_RULES.id
    return (
        # Every participating territory receives at least one @ (Règlement).
        GradeRule(arobases=1, min_score=thresholds[1], source=REGLEMENT.id),
        # "Le minimum vital sur le numérique est un site internet."
        GradeRule(arobases=2, min_score=thresholds[2], required_services=website, source=rebuilt),
        GradeRule(arobases=3, min_score=thresholds[3], required_services=website, source=rebuilt),
        # Grades 4 and 5 reward the communes that bet on citizen participation.
        GradeRule(
            arobases=4,
            min_score=thresholds[4],
            min_theme_scores={theme: Fraction(50, 100)},
            min_issue_scores={issue: Fraction(50, 100)},
            required_services=website,
            source=rebuilt,
        ),
        # ... and grade 5 leads on every front.
        GradeRule(
            arobases=5,
            min_score=thresholds[5],
            min_theme_scores={theme: Fraction(65, 100)},
            min_issue_scores={issue: Fraction(70, 100)},
            min_each_theme=Fraction(50, 100),
            required_services=website,
            source=rebuilt,
        ),
    )


@attrs.frozen(kw_only=True)
class MentionEntry:
    """A mention of the label, the first year a source attests it, and its rule."""

    first_year: int | None
    """The first label year a source attests it; ``None`` when attested without a date."""
    rule: MentionRule


_HALF = Fraction(1, 2)
_THREE_QUARTERS = Fraction(3, 4)
_REBUILT = RECONSTRUCTION_RULES.id


def _mention(
    first_year: int | None,
    mention_id: str,
    name: str,
    *,
    issues: dict[str, Fraction] | None = None,
    services: tuple[str, ...] = (),
) -> MentionEntry:
    return MentionEntry(
        first_year=first_year,
        rule=MentionRule(
            id=mention_id,
            name=name,
            min_issue_scores=issues or {},
            required_services=frozenset(services),
            source=_REBUILT,
        ),
    )


# Every mention the sources name, with the first year they attest it. Conditions
# are reconstructed. The ecology mention ("arobase verte") and "territoire
# d'excellence numérique" date from the 2021 label: no built-in year has them.
MENTIONS: tuple[MentionEntry, ...] = (
    # "libre": since 2006 (Localtis, labels of December 2006).
    _mention(
        2006,
        "libre",
        "Mention Libre",
        issues={"identite": _HALF},
        services=("logiciels-libres", "formats-ouverts"),
    ),
    # Named among the label's mentions "over the years", without a date: no
    # dated ruleset may award them until a source dates them.
    _mention(
        None,
        "democratie-locale",
        "Mention Démocratie locale",
        issues={"democratie-locale": _THREE_QUARTERS},
        services=("budget-participatif",),
    ),
    _mention(
        None,
        "mediation-numerique",
        "Mention Médiation numérique",
        issues={"mediation": _THREE_QUARTERS},
        services=("espace-public-numerique",),
    ),
    # The distinctions of the 2017 label.
    _mention(
        2017,
        "numerique-educatif",
        "Numérique éducatif",
        issues={"education": _THREE_QUARTERS},
        services=("ent-ecoles",),
    ),
    _mention(
        2017,
        "reseau-social",
        "Réseau social",
        issues={"cohesion-sociale": _HALF},
        services=("reseau-social-local",),
    ),
    _mention(
        2017,
        "gouvernement-ouvert",
        "Gouvernement ouvert",
        issues={"democratie-locale": _HALF},
        services=("open-data", "gouvernement-ouvert"),
    ),
    _mention(
        2017,
        "cooperation-internationale",
        "Coopération internationale",
        issues={"cooperation": _HALF},
        services=("cooperation-internationale",),
    ),
    _mention(
        2017,
        "solidarite-numerique",
        "Solidarité numérique",
        issues={"solidarites": _HALF, "mediation": _HALF},
        services=("accompagnement-numerique-action-sociale",),
    ),
    _mention(
        2017,
        "teletravail",
        "Télétravail",
        services=("teletravail-tiers-lieu", "teletravail-agents"),
    ),
    _mention(
        2017,
        "accessibilite",
        "Accessibilité",
        issues={"identite": _HALF},
        services=("accessibilite-numerique", "accueil-accessible-a-distance"),
    ),
    _mention(
        2021,
        "arobase-verte",
        "Arobase verte",
        issues={"environnement": _THREE_QUARTERS},
        services=("economies-energie-informatique", "reemploi-materiel-informatique"),
    ),
)


def _from(population: int) -> Applicability:
    return Applicability(min_population=population)


_OPT_OUT = Applicability(opt_out=True)
_COMMUNES = Applicability(kinds=frozenset({TerritoryKind.COMMUNE}))
_URBAN = _from(10_000)

# Services that only make sense above a size, or that a territory may not be
# in charge of (then it may declare them not applicable). Reconstructed, except
# where a comment names a source.
_APPLICABILITY_2016: dict[str, Applicability] = {
    # No duty to open data before 7 October 2016: in 2016 it is an urban
    # practice, like the other services of 10,000 inhabitants and more.
    "open-data": _URBAN,
    "application-mobile-ville": _from(3_500),
    # Neighbourhood councils: the law of 27 February 2002 allows them from 20,000.
    "conseils-de-quartier-numeriques": _from(20_000),
    # Real-time transport is the transport authority's competence.
    "transports-temps-reel": Applicability(min_population=10_000, opt_out=True),
    "stationnement-intelligent": _URBAN,
    "web-tv-locale": _URBAN,
    "cooperation-internationale": _URBAN,
    "hackathon": _URBAN,
    "pepiniere-entreprises-numeriques": _URBAN,
    "living-lab": _from(20_000),
    "maquette-numerique-3d": _from(20_000),
    "laboratoire-innovation-publique": _from(50_000),
    # A duty of the commune itself (register of vulnerable persons).
    "registre-personnes-vulnerables": _COMMUNES,
    # Competences that a commune or an EPCI may not hold: schools, early
    # childhood, urban planning, tourism, waste, water, networks, social
    # housing, priority neighbourhoods, third places.
    "ent-ecoles": _OPT_OUT,
    "equipement-numerique-ecoles": _OPT_OUT,
    "portail-famille": _OPT_OUT,
    "ateliers-code-periscolaire": _OPT_OUT,
    "maintenance-informatique-ecoles": _OPT_OUT,
    "preinscription-petite-enfance": _OPT_OUT,
    "urbanisme-en-ligne": _OPT_OUT,
    "office-tourisme-en-ligne": _OPT_OUT,
    "site-touristique-multilingue": _OPT_OUT,
    "reservation-activites-touristiques": _OPT_OUT,
    "collecte-dechets-connectee": _OPT_OUT,
    "telereleve-compteurs-eau": _OPT_OUT,
    "tres-haut-debit": _OPT_OUT,
    "demande-logement-social": _OPT_OUT,
    "transport-solidaire": _OPT_OUT,
    "quartiers-prioritaires-numeriques": _OPT_OUT,
    "fablab": _OPT_OUT,
    "teletravail-tiers-lieu": _OPT_OUT,
}

# The open data duty (loi pour une République numérique, 7 October 2016):
# 3,500 inhabitants or more *and* 50 agents or more. A territory does not
# record its agents, so the rule concerns every territory of 3,500 inhabitants
# or more and lets one with fewer than 50 agents declare it not applicable.
_OPEN_DATA_DUTY = Applicability(min_population=3_500, opt_out=True)
_APPLICABILITY_2017: dict[str, Applicability] = {
    **{
        sid: rule
        for sid, rule in _APPLICABILITY_2016.items()
        if sid not in {"transports-temps-reel", "stationnement-intelligent"}
    },
    "open-data": _OPEN_DATA_DUTY,
    "inventaire-donnees-publiques": _OPEN_DATA_DUTY,
    "classes-mobiles": _OPT_OUT,
    "ressources-pedagogiques-numeriques": _OPT_OUT,
}

# 2014: the usages are broad; only the school competence may not be held.
_APPLICABILITY_2014: dict[str, Applicability] = {
    "structures-educatives": _OPT_OUT,
    "communaute-educative": _OPT_OUT,
    "haut-tres-haut-debit": _OPT_OUT,
}

APPLICABILITY: dict[int, dict[str, Applicability]] = {
    2014: _APPLICABILITY_2014,
    2016: _APPLICABILITY_2016,
    2017: _APPLICABILITY_2017,
}

RULE_SOURCES = {
    2014: (REGLEMENT, RECONSTRUCTION_RULES),
    2016: (REGLEMENT, RECONSTRUCTION_RULES),
    2017: (REGLEMENT, RECONSTRUCTION_RULES, REPUBLIQUE_NUMERIQUE),
}
