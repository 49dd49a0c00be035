"""The label's grading rules for the 2016 referential: a reasoned reconstruction.

No points grid or threshold of the label is published. The thresholds below
are shares of the concerned potential, as in the comparable label with
published rules (ADEME's *Territoire engagé transition écologique*: 0 %, 35 %,
50 %, 65 %, 75 %), set one step lower because the label's referential is broad:
131 services, of which a commune holds only some of the competences. The gates
follow what the label says it rewards. Every choice is explained in
the docs page *The label's rules*.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from villes_label._rules import Applicability, GradeRule, MentionRule, Ruleset
from villes_label._territory import TerritoryKind
from villes_label.referential._taxonomy_2016 import default_taxonomy

__all__ = ["default_ruleset"]

PARTICIPATION_ISSUE = "democratie-locale"
PARTICIPATION_THEME = "democratie-services-publics"
WEBSITE = "site-internet"


def _from(population: int) -> Applicability:
    return Applicability(min_population=population)


_OPT_OUT = Applicability(opt_out=True)
_COMMUNES = Applicability(kinds=frozenset({TerritoryKind.COMMUNE}))

# Services that only make sense above a size, or that a territory may not be
# in charge of (then it may declare them not applicable).
APPLICABILITY_2016: dict[str, Applicability] = {
    # Open data duty of the loi pour une République numérique: 3,500 inhabitants.
    "open-data": _from(3_500),
    "application-mobile-ville": _from(3_500),
    # Neighbourhood councils: the law of 27 February 2002 allows them from 20,000.
    "conseils-de-quartier-numeriques": _from(20_000),
    "transports-temps-reel": _from(10_000),
    "stationnement-intelligent": _from(10_000),
    "web-tv-locale": _from(10_000),
    "cooperation-internationale": _from(10_000),
    "hackathon": _from(10_000),
    "pepiniere-entreprises-numeriques": _from(10_000),
    "living-lab": _from(20_000),
    "maquette-numerique-3d": _from(20_000),
    "laboratoire-innovation-publique": _from(50_000),
    # Duties of the commune itself (register of vulnerable persons, twinning).
    "registre-personnes-vulnerables": _COMMUNES,
    "jumelage-numerique": _COMMUNES,
    # Competences that a commune or an EPCI may not hold: schools, tourism,
    # waste, water, networks, social housing, priority neighbourhoods.
    "ent-ecoles": _OPT_OUT,
    "equipement-numerique-ecoles": _OPT_OUT,
    "portail-famille": _OPT_OUT,
    "inscriptions-scolaires-en-ligne": _OPT_OUT,
    "menus-restauration-scolaire": _OPT_OUT,
    "ateliers-code-periscolaire": _OPT_OUT,
    "maintenance-informatique-ecoles": _OPT_OUT,
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
    "espace-coworking": _OPT_OUT,
    "teletravail-tiers-lieu": _OPT_OUT,
}


def _grades() -> tuple[GradeRule, ...]:
    website = frozenset({WEBSITE})
    return (
        # Every participating territory receives at least one @.
        GradeRule(arobases=1, min_score=Fraction(0)),
        # "Le minimum vital sur le numérique est un site internet."
        GradeRule(arobases=2, min_score=Fraction(20, 100), required_services=website),
        GradeRule(arobases=3, min_score=Fraction(35, 100), required_services=website),
        # Grades 4 and 5 reward the communes that bet on citizen participation.
        GradeRule(
            arobases=4,
            min_score=Fraction(50, 100),
            min_theme_scores={PARTICIPATION_THEME: Fraction(50, 100)},
            min_issue_scores={PARTICIPATION_ISSUE: Fraction(50, 100)},
            required_services=website,
        ),
        # ... and grade 5 leads on every front.
        GradeRule(
            arobases=5,
            min_score=Fraction(65, 100),
            min_theme_scores={PARTICIPATION_THEME: Fraction(65, 100)},
            min_issue_scores={PARTICIPATION_ISSUE: Fraction(70, 100)},
            min_each_theme=Fraction(50, 100),
            required_services=website,
        ),
    )


def _mentions() -> tuple[MentionRule, ...]:
    three_quarters = Fraction(3, 4)
    return (
        MentionRule(
            id="democratie-locale",
            name="Mention Démocratie locale",
            min_issue_scores={PARTICIPATION_ISSUE: three_quarters},
            required_services=frozenset({"budget-participatif"}),
        ),
        MentionRule(
            id="mediation-numerique",
            name="Mention Médiation numérique",
            min_issue_scores={"mediation": three_quarters},
            required_services=frozenset({"espace-public-numerique"}),
        ),
        MentionRule(
            id="numerique-educatif",
            name="Mention Numérique éducatif",
            min_issue_scores={"education": three_quarters},
            required_services=frozenset({"ent-ecoles"}),
        ),
        MentionRule(
            id="arobase-verte",
            name="Arobase verte",
            min_issue_scores={"environnement": three_quarters},
            required_services=frozenset({"sobriete-numerique"}),
        ),
        MentionRule(
            id="libre",
            name="Mention Libre",
            min_issue_scores={"identite": Fraction(1, 2)},
            required_services=frozenset({"logiciels-libres", "formats-ouverts"}),
        ),
    )


@cache
def default_ruleset() -> Ruleset:
    """The label's rules for the 2016 referential (a reasoned reconstruction).

    Thresholds are shares of the territory's concerned potential: 1 @ from 0 %,
    2 @ from 20 %, 3 @ from 35 %, 4 @ from 50 %, 5 @ from 65 %. A website is
    required from 2 @; 4 @ and 5 @ also need strong citizen participation (the
    *démocratie locale* issue at 50 % then 70 %, its theme at 50 % then 65 %),
    and 5 @ at least 50 % on every theme. Services that only concern larger towns, or competences a territory
    may not hold, do not count against it.

    >>> rules = default_ruleset()
    >>> [str(rule.min_score) for rule in rules.grades]
    ['0', '1/5', '7/20', '1/2', '13/20']
    """
    return Ruleset(
        name="Villes Internet 2016 (reconstruction)",
        year=2016,
        taxonomy=default_taxonomy(),
        grades=_grades(),
        mentions=_mentions(),
        applicability=APPLICABILITY_2016,
    )
