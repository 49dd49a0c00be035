"""The 2014 referential of the label, as published on the ATLAAS portal: 4 axes, 12 enjeux, 28 usages.

Source: ATLAAS, the map of initiatives of Villes Internet, FAQ « Classement des
types de services » (repository makinacorpus/atlaas, ``pages/faq.md``, July 2014).
The page itself says that "le dernier niveau de détail a été retiré": the 28
*usages* are the finest level published, so they are the services here; no
level is invented below them.

Names are those of the page, with two normalisations only: the trailing spaces
are dropped, and three words split by a line-break hyphen in the page are
joined ("gouver-nance", "valorisa-tion", "profes-sionnelle"). The apostrophes
are the page's own. Descriptions are empty: the page publishes none. Ids are
this library's slugs of the names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from villes_label.referential._build import ThemeRow

__all__ = ["THEMES_2014"]

THEMES_2014: tuple[ThemeRow, ...] = (
    (
        "democratie-services-publics",
        "Démocratie et services publics",
        "",
        (
            (
                "efficacite-services-publics",
                "Efficacité des services publics",
                "",
                (
                    (
                        "acces-services-publics-droits-demarches",
                        "Accès des citoyens aux services publics, droits et démarches",
                        "",
                    ),
                    (
                        "formation-elus-agents",
                        "Formation et implication des élus et des agents",
                        "",
                    ),
                    (
                        "cooperation-mutualisation",
                        "Coopération et mutualisation inter-services et inter-administrations",
                        "",
                    ),
                ),
            ),
            (
                "vitalite-democratie-locale",
                "Vitalité de la démocratie locale",
                "",
                (
                    (
                        "transparence-gouvernance-locale",
                        "Transparence de la gouvernance locale",
                        "",
                    ),
                    ("participation-democratique", "Participation démocratique des citoyens", ""),
                    ("developpement-vie-associative", "Développement de la vie associative", ""),
                ),
            ),
            (
                "protection-vie-privee",
                "Protection de la vie privée",
                "",
                (
                    (
                        "droits-donnees-personnelles",
                        "Respect des droits et protection des données personnelles",
                        "",
                    ),
                    ("protection-mineurs", "Protection des mineurs, éducation critique", ""),
                ),
            ),
        ),
    ),
    (
        "vivre-ensemble",
        "Vivre ensemble",
        "",
        (
            (
                "cohesion-sociale",
                "Renforcement de la cohésion sociale",
                "",
                (
                    ("mise-en-reseau-habitants", "Mise en réseau des habitants", ""),
                    ("coproduction-contenus", "Co-production et hébergement de contenus", ""),
                ),
            ),
            (
                "solidarites",
                "Développement des solidarités",
                "",
                (
                    (
                        "equipement-publics-en-difficulte",
                        "Aides à l’équipement des publics en difficultés",
                        "",
                    ),
                    ("insertion-numerique", "Insertion par le numérique", ""),
                ),
            ),
            (
                "vie-quotidienne",
                "Qualité de la vie quotidienne",
                "",
                (
                    ("informations-pratiques", "Accès aux informations pratiques", ""),
                    ("sports-loisirs", "Accès aux sports et aux loisirs", ""),
                ),
            ),
        ),
    ),
    (
        "partage-connaissance",
        "Partage de la connaissance",
        "",
        (
            (
                "ressources-educatives",
                "Diffusion et partage des ressources éducatives",
                "",
                (
                    (
                        "structures-educatives",
                        "Soutien et équipement des structures éducatives",
                        "",
                    ),
                    ("formation-publics", "Formation et accompagnement des publics", ""),
                    ("communaute-educative", "Organisation de la communauté éducative", ""),
                ),
            ),
            (
                "pratiques-culturelles",
                "Développement des pratiques culturelles",
                "",
                (
                    ("ressources-culturelles", "Accès aux ressources culturelles", ""),
                    ("creation-artistique", "Développement de la création artistique", ""),
                ),
            ),
            (
                "patrimoine",
                "Protection et valorisation du patrimoine",
                "",
                (
                    ("numerisation-patrimoine", "Numérisation des ressources patrimoniales", ""),
                    ("ressources-mobilite", "Accès aux ressources et mobilité", ""),
                ),
            ),
        ),
    ),
    (
        "creation-richesses",
        "Création de richesses",
        "",
        (
            (
                "emplois-employabilite",
                "Création d’emplois et employabilité",
                "",
                (
                    ("acces-emploi", "Accès à l’emploi", ""),
                    ("formation-professionnelle", "Accès à la formation professionnelle", ""),
                ),
            ),
            (
                "developpement-economique-durable",
                "Développement économique et durable",
                "",
                (
                    ("aides-innovation", "Aides au développement, soutien de l’innovation", ""),
                    ("partenariats-acteurs", "Partenariats et mise en réseau des acteurs", ""),
                    ("developpement-durable", "Développement durable", ""),
                ),
            ),
            (
                "attractivite",
                "Attractivité du territoire",
                "",
                (
                    (
                        "haut-tres-haut-debit",
                        "Accès aux nouvelles technologies, développement du haut et très haut débit",
                        "",
                    ),
                    ("marketing-territorial", "Marketing territorial", ""),
                ),
            ),
        ),
    ),
)

# Where each usage of 2014 is carried in the 2016 referential (a reconstruction:
# the 2016 list of services is not published). Every usage has a place, so a
# 2014 dossier loses nothing; a usage that several 2016 services detail lands on
# the one that names it most directly.
RENAMES_2014_2016: dict[str, str] = {
    "acces-services-publics-droits-demarches": "demarches-en-ligne",
    "formation-elus-agents": "formation-numerique-agents",
    "cooperation-mutualisation": "mutualisation-intercommunale",
    "transparence-gouvernance-locale": "publication-deliberations",
    "participation-democratique": "consultation-en-ligne",
    "developpement-vie-associative": "espace-associations",
    "droits-donnees-personnelles": "protection-donnees-personnelles",
    "protection-mineurs": "education-medias-information",
    "mise-en-reseau-habitants": "reseau-social-local",
    "coproduction-contenus": "contenus-coproduits-habitants",
    "equipement-publics-en-difficulte": "aide-equipement-publics-difficulte",
    "insertion-numerique": "insertion-par-le-numerique",
    "informations-pratiques": "bulletin-municipal-en-ligne",
    "sports-loisirs": "inscriptions-sports-loisirs",
    "structures-educatives": "equipement-numerique-ecoles",
    "formation-publics": "mediateurs-numeriques",
    "communaute-educative": "ent-ecoles",
    "ressources-culturelles": "mediatheque-en-ligne",
    "creation-artistique": "arts-numeriques",
    "numerisation-patrimoine": "patrimoine-numerise",
    "ressources-mobilite": "parcours-patrimoine-mobile",
    "acces-emploi": "offres-emploi-locales",
    "formation-professionnelle": "formation-metiers-numeriques",
    "aides-innovation": "appel-projets-innovants",
    "partenariats-acteurs": "annuaire-entreprises-locales",
    "developpement-durable": "suivi-energie-batiments",
    "haut-tres-haut-debit": "tres-haut-debit",
    "marketing-territorial": "marque-territoriale",
}
