"""The 2017 referential: the 2016 one and its changes, as data (139 services).

Published: from the 2017 label the referential counts 139 services (the
*Règlement*), and it changes every year by at most about 20 % (an interview of
the association's director); the 2017 distinctions (numérique éducatif, réseau
social, gouvernement ouvert, coopération internationale, solidarité numérique,
télétravail, accessibilité); the open data duty of the *loi pour une République
numérique* (7 October 2016). Reconstructed: which services changed. Eleven are
added, each under a 2017 distinction or the new law, and three mobility services
become one, since a commune informs on travel while running transport and parking
is the business of the transport authority or an operator: 131 + 11 − 3 = 139, a
change of 14 services of 131 (10.7 %). Argued in ``docs/explanation/referential.md``.
"""

from __future__ import annotations

from villes_label.referential._build import Changes

__all__ = ["CHANGES_2017"]

CHANGES_2017 = Changes(
    added={
        "democratie-locale": (
            (
                "gouvernement-ouvert",
                "Démarche de gouvernement ouvert",
                (
                    "Les habitants sont associés à l’élaboration, au suivi et à l’évaluation "
                    "d’une politique publique, avec les données et les documents ouverts."
                ),
            ),
        ),
        "services-publics": (
            (
                "saisine-par-voie-electronique",
                "Saisine de la collectivité par voie électronique",
                (
                    "Tout usager peut adresser en ligne une demande à la collectivité, "
                    "qui en accuse réception et y répond."
                ),
            ),
        ),
        "identite": (
            (
                "inventaire-donnees-publiques",
                "Inventaire et publication des données publiques",
                (
                    "La collectivité recense ses bases de données et documents et publie "
                    "en ligne ceux qui sont communicables."
                ),
            ),
            (
                "accueil-accessible-a-distance",
                "Accueil à distance accessible aux personnes sourdes ou malentendantes",
                (
                    "L’accueil téléphonique ou en ligne propose la transcription ou "
                    "l’interprétation en langue des signes."
                ),
            ),
            (
                "sensibilisation-securite-informatique",
                "Sensibilisation à la sécurité informatique",
                (
                    "Agents et habitants sont sensibilisés aux risques informatiques et aux "
                    "bons usages (mots de passe, hameçonnage, sauvegardes)."
                ),
            ),
        ),
        "cooperation": (
            (
                "reseau-social-interne",
                "Réseau social interne des agents",
                (
                    "Les agents des services et des collectivités partenaires échangent et "
                    "travaillent ensemble sur un réseau social interne."
                ),
            ),
        ),
        "solidarites": (
            (
                "accompagnement-numerique-action-sociale",
                "Accompagnement numérique dans l’action sociale",
                (
                    "Les services sociaux repèrent les personnes en difficulté avec le "
                    "numérique et les orientent vers un accompagnement."
                ),
            ),
        ),
        "vie-quotidienne": (
            (
                "information-mobilite",
                "Information sur les déplacements",
                (
                    "La collectivité informe en ligne sur les transports, le stationnement, "
                    "le covoiturage et les modes doux, avec les données des opérateurs."
                ),
            ),
        ),
        "education": (
            (
                "classes-mobiles",
                "Classes mobiles et tablettes dans les écoles",
                (
                    "Des classes mobiles (ordinateurs portables ou tablettes) circulent entre "
                    "les classes des écoles."
                ),
            ),
            (
                "ressources-pedagogiques-numeriques",
                "Ressources pédagogiques numériques pour les écoles",
                (
                    "La collectivité met à la disposition des écoles des ressources "
                    "pédagogiques numériques."
                ),
            ),
        ),
        "emploi": (
            (
                "teletravail-agents",
                "Télétravail des agents",
                "Les agents de la collectivité peuvent télétravailler selon des règles écrites.",
            ),
        ),
    },
    removed={
        "transports-temps-reel": "information-mobilite",
        "stationnement-intelligent": "information-mobilite",
        "covoiturage-local": "information-mobilite",
    },
)
