"""The 2016 referential of the label, as plain data: 4 themes, 16 issues, 131 services.

Published: the four themes (2017 wording), fifteen of the sixteen enjeux, and the counts
(131 services, 16 enjeux, 4 themes; Localtis 2016). Reconstructed: the sixteenth enjeu
("Environnement et transition écologique", the *développement durable* usage of ATLAAS 2014),
the grouping of the enjeux into themes (after the published 2014 grouping wherever it says
something) and every service, since the label never published its list of services. The
reconstruction is argued in ``docs/explanation/referential.md``.

This is the second version of the library's 2016 list: duplicates merged, misplaced services
moved, missing ones added. Every id of the first version keeps reading: ``ALIASES_2016`` maps
each retired id to the service that took it over.

Each theme is ``(theme_id, theme_name, theme_description, issues)``, each issue is
``(issue_id, issue_name, issue_description, services)`` and each service is
``(service_id, service_name, service_description)``. Ids are stable lower-case ASCII slugs,
unique across the whole tree; names and descriptions are in French.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from villes_label.referential._sources import REGLEMENT

if TYPE_CHECKING:
    from villes_label.referential._build import ThemeRow

__all__ = ["ALIASES_2016", "NODE_SOURCES_2016", "THEMES_2016"]

THEMES_2016: tuple[ThemeRow, ...] = (
    (
        "democratie-services-publics",
        "Démocratie et services publics",
        "La participation des habitants à la vie locale et la qualité des services rendus par la collectivité.",
        (
            (
                "democratie-locale",
                "Démocratie locale",
                "Les outils numériques qui informent les habitants et les associent aux décisions locales.",
                (
                    (
                        "retransmission-conseil-municipal",
                        "Retransmission du conseil municipal",
                        "Les séances du conseil municipal sont diffusées en direct et consultables en ligne.",
                    ),
                    (
                        "budget-participatif",
                        "Budget participatif",
                        "Les habitants proposent et votent en ligne des projets financés par une part du budget.",
                    ),
                    (
                        "consultation-en-ligne",
                        "Consultation en ligne",
                        "La collectivité consulte les habitants en ligne avant de décider d’un projet.",
                    ),
                    (
                        "petitions-en-ligne",
                        "Pétitions en ligne",
                        "Les habitants peuvent déposer et signer des pétitions adressées à la collectivité.",
                    ),
                    (
                        "conseils-de-quartier-numeriques",
                        "Conseils de quartier numériques",
                        "Les conseils de quartier disposent d’un espace en ligne pour travailler et rendre compte.",
                    ),
                    (
                        "publication-deliberations",
                        "Publication des délibérations",
                        "Les délibérations et arrêtés sont publiés en ligne dès leur adoption.",
                    ),
                    (
                        "questions-aux-elus",
                        "Questions aux élus",
                        "Les habitants posent leurs questions aux élus en ligne et les réponses sont publiées.",
                    ),
                    (
                        "suivi-engagements-municipaux",
                        "Suivi des engagements municipaux",
                        "L’avancement des engagements de l’équipe municipale est suivi publiquement en ligne.",
                    ),
                    (
                        "concertation-projets-urbains",
                        "Concertation sur les projets urbains",
                        "Les projets d’aménagement sont présentés en ligne avec plans et recueil d’avis.",
                    ),
                ),
            ),
            (
                "vie-associative",
                "Vie associative",
                "Le soutien numérique aux associations et à l’engagement bénévole.",
                (
                    (
                        "annuaire-associations",
                        "Annuaire des associations",
                        "Les associations locales sont recensées dans un annuaire en ligne.",
                    ),
                    (
                        "espace-associations",
                        "Portail des associations",
                        "Les associations disposent d’un portail où présenter et héberger leurs pages et leurs actualités.",
                    ),
                    (
                        "subventions-associations-en-ligne",
                        "Subventions aux associations en ligne",
                        "Les associations déposent et suivent en ligne leurs demandes de subvention.",
                    ),
                    (
                        "reservation-materiel-associatif",
                        "Réservation de matériel associatif",
                        "Les associations réservent en ligne le matériel prêté par la commune.",
                    ),
                    (
                        "plateforme-benevolat",
                        "Plateforme du bénévolat",
                        "Les associations publient leurs besoins et les habitants proposent leur aide bénévole.",
                    ),
                    (
                        "formation-numerique-benevoles",
                        "Formation numérique des bénévoles",
                        "Les bénévoles associatifs sont formés aux outils numériques utiles à leur association.",
                    ),
                    (
                        "forum-associations-en-ligne",
                        "Forum des associations en ligne",
                        "Le forum des associations se prolonge en ligne avec inscriptions aux activités.",
                    ),
                ),
            ),
            (
                "services-publics",
                "Services publics",
                "Les services de la collectivité accessibles en ligne, simplement et à toute heure.",
                (
                    (
                        "site-internet",
                        "Site internet",
                        "La collectivité publie un site internet à jour présentant ses services et ses actualités.",
                    ),
                    (
                        "demarches-en-ligne",
                        "Démarches en ligne",
                        "Les principales démarches administratives (déclarations d’objets perdus comprises) peuvent être faites en ligne.",
                    ),
                    (
                        "paiement-en-ligne",
                        "Paiement en ligne",
                        "Les usagers règlent en ligne leurs factures de services municipaux.",
                    ),
                    (
                        "prise-de-rendez-vous",
                        "Prise de rendez-vous en ligne",
                        "Les usagers réservent en ligne un rendez-vous avec les services municipaux.",
                    ),
                    (
                        "gestion-relation-usager",
                        "Gestion de la relation usager",
                        "Les demandes des usagers sont enregistrées et suivies jusqu’à leur réponse, quel que soit le canal.",
                    ),
                    (
                        "signalement-voirie",
                        "Signalement sur la voirie",
                        "Les habitants signalent en ligne un problème sur l’espace public et suivent son traitement.",
                    ),
                    (
                        "teleservices-etat-civil",
                        "Téléservices d’état civil",
                        "Les actes d’état civil sont demandés en ligne et délivrés sans déplacement.",
                    ),
                    (
                        "alerte-population",
                        "Alerte de la population par SMS",
                        "Les habitants inscrits reçoivent par SMS ou courriel les alertes et informations urgentes.",
                    ),
                    (
                        "reservation-salles-municipales",
                        "Réservation de salles municipales",
                        "Les salles et équipements municipaux se réservent en ligne selon leurs disponibilités.",
                    ),
                    (
                        "urbanisme-en-ligne",
                        "Urbanisme en ligne (PLU, cadastre, demandes d’autorisation)",
                        "Le plan local d’urbanisme et le cadastre se consultent en ligne, et les demandes d’autorisation d’urbanisme peuvent y être préparées ou déposées.",
                    ),
                    (
                        "point-service-public-visio",
                        "Point de services publics avec borne de visioconférence",
                        "Un lieu d’accueil proche donne accès, avec l’aide d’un agent et par visioconférence, aux services publics des autres administrations.",
                    ),
                    (
                        "teletransmission-actes",
                        "Télétransmission des actes",
                        "Les actes soumis au contrôle de légalité sont transmis électroniquement à la préfecture.",
                    ),
                    (
                        "facturation-electronique",
                        "Facturation électronique",
                        "La collectivité reçoit et traite les factures de ses fournisseurs sous forme électronique.",
                    ),
                    (
                        "administration-sans-papier",
                        "Administration sans papier",
                        "Les circuits internes de la collectivité sont dématérialisés pour réduire le papier.",
                    ),
                    (
                        "conseil-dematerialise",
                        "Séances du conseil dématérialisées",
                        "Convocations, dossiers et comptes rendus des séances du conseil sont transmis aux élus sous forme numérique.",
                    ),
                    (
                        "formation-numerique-agents",
                        "Formation numérique des agents",
                        "Les agents municipaux sont formés aux outils et aux services numériques.",
                    ),
                    (
                        "formation-numerique-elus",
                        "Formation des élus au numérique",
                        "Les élus sont formés aux outils et aux enjeux du numérique local.",
                    ),
                ),
            ),
            (
                "identite",
                "Identités, droits et libertés",
                "La protection des droits des habitants dans l’usage du numérique et l’ouverture de l’action publique.",
                (
                    (
                        "open-data",
                        "Ouverture des données publiques",
                        "La collectivité publie ses données publiques dans des formats réutilisables.",
                    ),
                    (
                        "protection-donnees-personnelles",
                        "Protection des données personnelles",
                        "Les données personnelles des usagers sont protégées selon une politique écrite et suivie.",
                    ),
                    (
                        "accessibilite-numerique",
                        "Accessibilité numérique",
                        "Les sites et services en ligne sont accessibles aux personnes en situation de handicap.",
                    ),
                    (
                        "logiciels-libres",
                        "Logiciels libres",
                        "La collectivité utilise et soutient des logiciels libres dans ses services.",
                    ),
                    (
                        "formats-ouverts",
                        "Formats ouverts",
                        "Les documents publiés et échangés le sont dans des formats ouverts.",
                    ),
                    (
                        "charte-usages-numeriques",
                        "Charte des usages numériques",
                        "Une charte fixe les règles d’usage du numérique pour les agents et les élus.",
                    ),
                    (
                        "securite-systemes-information",
                        "Sécurité des systèmes d’information",
                        "Les systèmes d’information de la collectivité sont protégés et régulièrement audités.",
                    ),
                    (
                        "acces-documents-administratifs",
                        "Accès aux documents administratifs",
                        "Les habitants demandent et obtiennent en ligne les documents administratifs communicables.",
                    ),
                    (
                        "education-medias-information",
                        "Éducation aux médias et à l’information",
                        "Des ateliers apprennent aux jeunes à évaluer l’information et à publier de façon responsable.",
                    ),
                    (
                        "prevention-cyberharcelement",
                        "Prévention du cyberharcèlement",
                        "La collectivité mène des actions de prévention du harcèlement en ligne auprès des jeunes.",
                    ),
                ),
            ),
            (
                "cooperation",
                "Coopération",
                "Le travail en commun avec d’autres collectivités et partenaires pour construire les services numériques.",
                (
                    (
                        "mutualisation-intercommunale",
                        "Mutualisation et partage d’expériences entre collectivités",
                        "Les services numériques sont partagés avec l’intercommunalité et les collectivités voisines, et les projets documentés pour d’autres.",
                    ),
                    (
                        "cooperation-internationale",
                        "Coopération internationale et jumelages",
                        "La collectivité mène des projets numériques avec des collectivités étrangères partenaires ou jumelées.",
                    ),
                    (
                        "sig-mutualise",
                        "Système d’information géographique mutualisé",
                        "Les données cartographiques du territoire sont gérées dans un système partagé entre collectivités.",
                    ),
                    (
                        "groupement-achats-numeriques",
                        "Groupement d’achats numériques",
                        "Les équipements et logiciels sont achetés en groupement avec d’autres collectivités.",
                    ),
                    (
                        "archivage-electronique-mutualise",
                        "Archivage électronique mutualisé",
                        "Les documents numériques sont archivés dans un service partagé entre collectivités.",
                    ),
                ),
            ),
        ),
    ),
    (
        "vivre-ensemble",
        "Vivre ensemble",
        "Le lien entre les habitants, la solidarité et la vie de tous les jours sur le territoire.",
        (
            (
                "cohesion-sociale",
                "Cohésion sociale",
                "Le numérique au service des liens entre habitants, quartiers et générations.",
                (
                    (
                        "reseau-social-local",
                        "Réseaux sociaux de la collectivité et réseau social local",
                        "La collectivité anime sa présence sur les réseaux sociaux ou un réseau social local qui met les habitants en relation.",
                    ),
                    (
                        "accueil-nouveaux-habitants",
                        "Accueil des nouveaux habitants",
                        "Les nouveaux habitants trouvent en ligne un guide d’accueil et les contacts utiles.",
                    ),
                    (
                        "entraide-voisins",
                        "Entraide entre voisins",
                        "Une plateforme met en relation les voisins qui proposent et demandent de l’aide.",
                    ),
                    (
                        "quartiers-prioritaires-numeriques",
                        "Numérique dans les quartiers prioritaires",
                        "Des actions numériques sont menées avec les habitants des quartiers prioritaires.",
                    ),
                    (
                        "point-information-jeunesse",
                        "Information jeunesse en ligne",
                        "Les jeunes trouvent en ligne l’information sur la formation, l’emploi, le logement et les loisirs, avec un contact pour leurs questions.",
                    ),
                    (
                        "echanges-intergenerationnels",
                        "Échanges intergénérationnels",
                        "Des jeunes et des aînés se retrouvent autour d’activités numériques partagées.",
                    ),
                    (
                        "web-tv-locale",
                        "Web TV ou radio locale",
                        "Une télévision ou une radio en ligne donne la parole aux habitants et aux acteurs locaux.",
                    ),
                    (
                        "contenus-coproduits-habitants",
                        "Contenus co-produits avec les habitants",
                        "Les habitants contribuent aux contenus publiés par la collectivité (mémoire locale, photographies, cartes, wiki), qui les héberge.",
                    ),
                ),
            ),
            (
                "solidarites",
                "Solidarités",
                "L’accès des personnes fragiles à leurs droits et aux aides grâce au numérique.",
                (
                    (
                        "aide-sociale-en-ligne",
                        "Aide sociale en ligne",
                        "Les demandes d’aide sociale auprès du centre communal d’action sociale se font en ligne.",
                    ),
                    (
                        "teleassistance-seniors",
                        "Téléassistance des aînés",
                        "Les personnes âgées isolées bénéficient d’un service de téléassistance à domicile.",
                    ),
                    (
                        "registre-personnes-vulnerables",
                        "Registre des personnes vulnérables",
                        "Les personnes vulnérables s’inscrivent en ligne au registre utilisé en cas de canicule ou de crise.",
                    ),
                    (
                        "demande-logement-social",
                        "Demande de logement social",
                        "La demande de logement social se dépose et se suit en ligne.",
                    ),
                    (
                        "transport-solidaire",
                        "Transport solidaire",
                        "Les personnes à mobilité réduite réservent en ligne un transport adapté.",
                    ),
                    (
                        "tarification-solidaire",
                        "Tarification solidaire",
                        "Le quotient familial est calculé en ligne pour appliquer les tarifs sociaux.",
                    ),
                    (
                        "aides-techniques-handicap",
                        "Aides techniques numériques",
                        "Des équipements numériques adaptés sont mis à disposition des personnes en situation de handicap.",
                    ),
                    (
                        "annuaire-services-sociaux",
                        "Annuaire de l’action sociale",
                        "Les habitants trouvent en ligne les acteurs sociaux et solidaires du territoire.",
                    ),
                    (
                        "aide-equipement-publics-difficulte",
                        "Aide à l’équipement des publics en difficulté",
                        "Les personnes en difficulté sont aidées à s’équiper en ordinateur, téléphone ou connexion (dons, prêts, tarifs sociaux).",
                    ),
                    (
                        "insertion-par-le-numerique",
                        "Insertion par le numérique",
                        "Des parcours d’insertion s’appuient sur le numérique : chantiers, formations qualifiantes, emplois aidés dans le numérique.",
                    ),
                    (
                        "e-sante",
                        "Santé en ligne",
                        "La collectivité soutient la télémédecine, la prévention et l’orientation dans l’offre de soins en ligne.",
                    ),
                ),
            ),
            (
                "vie-quotidienne",
                "Vie quotidienne",
                "Les services numériques qui facilitent les déplacements et la vie de tous les jours.",
                (
                    (
                        "wifi-public",
                        "Wi-Fi public",
                        "Un accès Wi-Fi gratuit est proposé dans les lieux publics de la commune.",
                    ),
                    (
                        "bulletin-municipal-en-ligne",
                        "Bulletin municipal et lettre d’information en ligne",
                        "Le bulletin municipal est publié en ligne et une lettre d’information électronique est envoyée aux abonnés.",
                    ),
                    (
                        "panneaux-information-numeriques",
                        "Panneaux d’information numériques",
                        "Des panneaux d’information lumineux ou interactifs diffusent l’information municipale dans l’espace public.",
                    ),
                    (
                        "agenda-evenements",
                        "Agenda des événements",
                        "Les événements de la commune sont rassemblés dans un agenda en ligne.",
                    ),
                    (
                        "information-travaux",
                        "Information sur les travaux",
                        "Les travaux en cours et leurs effets sur la circulation sont annoncés en ligne.",
                    ),
                    (
                        "plan-interactif",
                        "Plan interactif de la commune",
                        "Un plan en ligne situe les équipements, services et lieux publics de la commune.",
                    ),
                    (
                        "inscriptions-sports-loisirs",
                        "Inscriptions en ligne aux activités sportives et de loisirs",
                        "Les habitants s’inscrivent en ligne aux activités sportives, culturelles et de loisirs proposées par la collectivité.",
                    ),
                    (
                        "preinscription-petite-enfance",
                        "Préinscription en ligne en crèche",
                        "Les familles font en ligne leur demande de place en accueil de la petite enfance et en suivent l’instruction.",
                    ),
                    (
                        "transports-temps-reel",
                        "Transports en temps réel",
                        "Les horaires des transports en commun sont disponibles en temps réel.",
                    ),
                    (
                        "stationnement-intelligent",
                        "Stationnement intelligent",
                        "Les places de stationnement libres sont signalées et le stationnement se paie en ligne.",
                    ),
                    (
                        "covoiturage-local",
                        "Covoiturage local",
                        "Une plateforme met en relation les habitants qui partagent leurs trajets.",
                    ),
                ),
            ),
        ),
    ),
    (
        "partage-connaissances",
        "Partage des connaissances",
        "L’éducation, la culture et l’accès de tous aux savoirs et aux usages numériques.",
        (
            (
                "education",
                "Éducation",
                "Le numérique à l’école et autour de l’école, pour les élèves et leurs familles.",
                (
                    (
                        "ent-ecoles",
                        "Espace numérique de travail des écoles",
                        "Les écoles disposent d’un espace numérique de travail pour élèves, enseignants et parents.",
                    ),
                    (
                        "equipement-numerique-ecoles",
                        "Équipement numérique des écoles",
                        "Les écoles sont équipées de matériel numérique pour les apprentissages.",
                    ),
                    (
                        "portail-famille",
                        "Portail famille (inscriptions scolaires et périscolaires, menus)",
                        "Les familles inscrivent leurs enfants à l’école, à la cantine et au périscolaire, consultent les menus et paient en ligne.",
                    ),
                    (
                        "aide-aux-devoirs-en-ligne",
                        "Aide aux devoirs en ligne",
                        "Les élèves accèdent à un service d’aide aux devoirs en ligne.",
                    ),
                    (
                        "ateliers-code-periscolaire",
                        "Ateliers de code en périscolaire",
                        "Les temps périscolaires proposent des ateliers de programmation et de robotique.",
                    ),
                    (
                        "maintenance-informatique-ecoles",
                        "Maintenance informatique des écoles",
                        "Le matériel numérique des écoles est entretenu et dépanné par un service dédié.",
                    ),
                ),
            ),
            (
                "mediation",
                "Médiation",
                "L’accompagnement de tous les habitants vers les usages numériques.",
                (
                    (
                        "espace-public-numerique",
                        "Espace public numérique",
                        "Un lieu ouvert à tous offre un accès libre à des ordinateurs et à internet, avec un accompagnement.",
                    ),
                    (
                        "mediateurs-numeriques",
                        "Médiateurs numériques",
                        "Des médiateurs numériques accompagnent les habitants dans leurs usages.",
                    ),
                    (
                        "ateliers-numeriques-seniors",
                        "Ateliers numériques pour les seniors",
                        "Des ateliers initient les personnes âgées aux outils numériques.",
                    ),
                    (
                        "accompagnement-demarches-en-ligne",
                        "Accompagnement aux démarches en ligne",
                        "Les habitants sont aidés pour accomplir leurs démarches administratives en ligne.",
                    ),
                    (
                        "permanences-numeriques-itinerantes",
                        "Permanences numériques itinérantes",
                        "Un médiateur se déplace dans les quartiers et les hameaux pour accompagner les habitants.",
                    ),
                ),
            ),
            (
                "culture-patrimoine",
                "Culture et patrimoine",
                "L’accès en ligne à la culture et la valorisation numérique du patrimoine local.",
                (
                    (
                        "mediatheque-en-ligne",
                        "Médiathèque en ligne",
                        "Le catalogue, les réservations et les ressources numériques de la médiathèque sont accessibles en ligne.",
                    ),
                    (
                        "patrimoine-numerise",
                        "Patrimoine numérisé",
                        "Le patrimoine local est numérisé et présenté en ligne.",
                    ),
                    (
                        "archives-municipales-en-ligne",
                        "Archives municipales en ligne",
                        "Les archives municipales numérisées sont consultables en ligne.",
                    ),
                    (
                        "visites-virtuelles",
                        "Visites virtuelles",
                        "Les monuments et musées de la commune se visitent virtuellement en ligne.",
                    ),
                    (
                        "billetterie-culturelle-en-ligne",
                        "Billetterie culturelle en ligne",
                        "Les places des spectacles et équipements culturels s’achètent en ligne.",
                    ),
                    (
                        "parcours-patrimoine-mobile",
                        "Parcours patrimoniaux sur mobile",
                        "Des parcours de découverte du patrimoine se suivent sur téléphone mobile.",
                    ),
                    (
                        "arts-numeriques",
                        "Arts numériques",
                        "La programmation culturelle accueille des œuvres et des artistes du numérique.",
                    ),
                ),
            ),
        ),
    ),
    (
        "creation-richesses",
        "Création de richesses",
        "Le développement économique, l’emploi et l’attractivité d’un territoire durable.",
        (
            (
                "developpement-economique",
                "Développement économique",
                "Le soutien numérique aux entreprises et aux commerces du territoire.",
                (
                    (
                        "marches-publics-dematerialises",
                        "Marchés publics dématérialisés",
                        "Les marchés publics sont publiés et les offres reçues en ligne.",
                    ),
                    (
                        "annuaire-entreprises-locales",
                        "Annuaire des entreprises locales",
                        "Les entreprises du territoire sont recensées dans un annuaire en ligne.",
                    ),
                    (
                        "pepiniere-entreprises-numeriques",
                        "Pépinière d’entreprises numériques",
                        "Une pépinière héberge et accompagne de jeunes entreprises du numérique.",
                    ),
                    (
                        "vitrine-commerces-locaux",
                        "Vitrine des commerces locaux",
                        "Les commerces locaux présentent leur offre sur une vitrine en ligne commune.",
                    ),
                    (
                        "accompagnement-numerique-commercants",
                        "Accompagnement numérique des commerçants",
                        "Les commerçants et artisans sont accompagnés dans leur passage au numérique.",
                    ),
                    (
                        "bourse-locaux-activite",
                        "Bourse des locaux d’activité",
                        "Les locaux et terrains disponibles pour les entreprises sont présentés en ligne.",
                    ),
                ),
            ),
            (
                "innovation",
                "Innovation",
                "L’expérimentation de nouveaux services et de nouvelles façons de les concevoir.",
                (
                    (
                        "fablab",
                        "Fablab",
                        "Un atelier de fabrication numérique ouvert au public propose machines et accompagnement.",
                    ),
                    (
                        "laboratoire-innovation-publique",
                        "Laboratoire d’innovation publique",
                        "Une équipe dédiée conçoit et expérimente de nouveaux services publics avec les usagers.",
                    ),
                    (
                        "hackathon",
                        "Hackathons",
                        "La collectivité organise des hackathons ou concours autour de ses données et de ses services.",
                    ),
                    (
                        "living-lab",
                        "Living lab",
                        "Des habitants testent en conditions réelles de nouveaux usages numériques.",
                    ),
                    (
                        "appel-projets-innovants",
                        "Appels à projets numériques",
                        "La collectivité soutient par appel à projets des initiatives numériques locales.",
                    ),
                    (
                        "maquette-numerique-3d",
                        "Maquette numérique du territoire",
                        "Une maquette numérique en trois dimensions du territoire sert aux projets et à leur présentation.",
                    ),
                    (
                        "tests-usagers-services",
                        "Tests des services avec les usagers",
                        "Les nouveaux services en ligne sont testés avec des usagers avant leur ouverture.",
                    ),
                    (
                        "experimentation-objets-connectes",
                        "Expérimentation d’objets connectés",
                        "Des capteurs et objets connectés sont expérimentés dans l’espace public.",
                    ),
                ),
            ),
            (
                "emploi",
                "Emploi",
                "L’accès à l’emploi et les nouvelles formes de travail permises par le numérique.",
                (
                    (
                        "teletravail-tiers-lieu",
                        "Tiers-lieu de travail partagé (coworking, télétravail)",
                        "Un tiers-lieu équipé accueille indépendants, salariés en télétravail et agents près de chez eux.",
                    ),
                    (
                        "offres-emploi-locales",
                        "Offres d’emploi locales",
                        "Les offres d’emploi du territoire sont rassemblées en ligne, forums de l’emploi compris.",
                    ),
                    (
                        "recrutement-en-ligne",
                        "Candidature en ligne aux emplois municipaux",
                        "Les candidats postulent en ligne aux emplois de la collectivité.",
                    ),
                    (
                        "ateliers-recherche-emploi",
                        "Ateliers numériques de recherche d’emploi",
                        "Les demandeurs d’emploi sont accompagnés dans leurs démarches de recherche en ligne.",
                    ),
                    (
                        "offres-stages-apprentissage",
                        "Offres de stages et d’apprentissage",
                        "Les offres de stages et de contrats d’apprentissage locales sont publiées en ligne.",
                    ),
                    (
                        "formation-metiers-numeriques",
                        "Formation aux métiers du numérique",
                        "Des formations préparent les habitants aux métiers du numérique.",
                    ),
                ),
            ),
            (
                "attractivite",
                "Attractivité",
                "La promotion du territoire auprès des visiteurs, des habitants et des investisseurs.",
                (
                    (
                        "office-tourisme-en-ligne",
                        "Office de tourisme en ligne",
                        "L’office de tourisme présente en ligne l’offre touristique du territoire.",
                    ),
                    (
                        "application-mobile-ville",
                        "Application mobile de la ville",
                        "Une application mobile rassemble les informations et services de la commune.",
                    ),
                    (
                        "marque-territoriale",
                        "Marque territoriale",
                        "Une marque territoriale valorise en ligne l’image et les atouts du territoire.",
                    ),
                    (
                        "site-touristique-multilingue",
                        "Site touristique multilingue",
                        "L’information touristique est proposée en plusieurs langues.",
                    ),
                    (
                        "reservation-activites-touristiques",
                        "Réservation des activités touristiques",
                        "Les hébergements et activités touristiques se réservent en ligne.",
                    ),
                    (
                        "circuits-randonnee-numeriques",
                        "Circuits de randonnée numériques",
                        "Les circuits de randonnée se téléchargent et se suivent sur mobile.",
                    ),
                    (
                        "evenements-numeriques-grand-public",
                        "Événements numériques grand public",
                        "La commune organise des événements ouverts à tous autour du numérique.",
                    ),
                    (
                        "tres-haut-debit",
                        "Très haut débit",
                        "La collectivité agit pour le déploiement du très haut débit sur tout son territoire.",
                    ),
                ),
            ),
            (
                "environnement",
                "Environnement et transition écologique",
                "Le numérique au service du développement durable du territoire, et un numérique qui consomme moins.",
                (
                    (
                        "eclairage-public-intelligent",
                        "Éclairage public intelligent",
                        "L’éclairage public est piloté à distance et adapté à la présence pour économiser l’énergie.",
                    ),
                    (
                        "economies-energie-informatique",
                        "Économies d’énergie du parc informatique",
                        "Les postes, serveurs et impressions de la collectivité sont gérés pour consommer moins d’énergie (mise en veille, extinction, impressions limitées).",
                    ),
                    (
                        "reemploi-materiel-informatique",
                        "Réemploi du matériel informatique",
                        "Le matériel informatique réformé est reconditionné et donné à des écoles ou associations.",
                    ),
                    (
                        "suivi-energie-batiments",
                        "Suivi énergétique des bâtiments",
                        "Les consommations d’énergie des bâtiments publics sont mesurées et suivies en ligne.",
                    ),
                    (
                        "collecte-dechets-connectee",
                        "Collecte des déchets connectée",
                        "Des conteneurs connectés signalent leur remplissage pour optimiser les tournées de collecte.",
                    ),
                    (
                        "telereleve-compteurs-eau",
                        "Télérelève des compteurs d’eau",
                        "Les compteurs d’eau sont relevés à distance pour détecter les fuites et suivre la consommation.",
                    ),
                    (
                        "qualite-air-en-ligne",
                        "Relais de l’information sur la qualité de l’air",
                        "La collectivité relaie sur ses supports les indices et alertes publiés par l’association agréée de surveillance de la qualité de l’air.",
                    ),
                ),
            ),
        ),
    ),
)

# Retired ids of the first 2016 list → the service that took each over.
ALIASES_2016: dict[str, str] = {
    "annuaire-lieux-mediation": "espace-public-numerique",
    "espace-coworking": "teletravail-tiers-lieu",
    "forum-emploi-en-ligne": "offres-emploi-locales",
    "hebergement-sites-associatifs": "espace-associations",
    "inscriptions-scolaires-en-ligne": "portail-famille",
    "jumelage-numerique": "cooperation-internationale",
    "menus-restauration-scolaire": "portail-famille",
    "objets-trouves-en-ligne": "demarches-en-ligne",
    "partage-experiences-collectivites": "mutualisation-intercommunale",
    "postes-acces-libre": "espace-public-numerique",
    "reseaux-sociaux-ville": "reseau-social-local",
    "ressources-numeriques-mediatheque": "mediatheque-en-ligne",
    "sobriete-numerique": "economies-energie-informatique",
}

_PUBLISHED_ISSUES = (
    "democratie-locale",
    "vie-associative",
    "services-publics",
    "identite",
    "cooperation",
    "cohesion-sociale",
    "solidarites",
    "vie-quotidienne",
    "education",
    "mediation",
    "culture-patrimoine",
    "developpement-economique",
    "innovation",
    "emploi",
    "attractivite",
)
_THEMES = (
    "democratie-services-publics",
    "vivre-ensemble",
    "partage-connaissances",
    "creation-richesses",
)

# The nodes whose name is published; every other node is reconstructed.
NODE_SOURCES_2016: dict[str, str] = dict.fromkeys((*_THEMES, *_PUBLISHED_ISSUES), REGLEMENT.id)
