"""Score one commune by hand: its dossier, its grade, the reasons and the plan to the next @.

Run: python examples/score_commune.py
"""

from __future__ import annotations

import villes_label as vl
from villes_label import Action, Dossier, Status, Territory, TerritoryKind

rules = vl.default_ruleset()

# A fictional small town of Brittany and what it declares for the 2016 label.
town = Territory(code="22999", name="Plouexemple", kind=TerritoryKind.COMMUNE, population=4_200)
dossier = Dossier(
    territory=town,
    year=2016,
    services={
        "site-internet": Status.DEPLOYED,
        "demarches-en-ligne": Status.DEPLOYED,
        "paiement-en-ligne": Status.PARTIAL,
        # Broad, but little citizen participation yet: the council's streaming and an
        # online consultation are planned.
        "retransmission-conseil-municipal": Status.PLANNED,
        "consultation-en-ligne": Status.PLANNED,
        "wifi-public": Status.DEPLOYED,
        "agenda-evenements": Status.DEPLOYED,
        "annuaire-associations": Status.DEPLOYED,
        "portail-famille": Status.DEPLOYED,
        "mediatheque-en-ligne": Status.DEPLOYED,
        "open-data": Status.PLANNED,
        "office-tourisme-en-ligne": Status.NOT_APPLICABLE,  # tourism is intercommunal here
        "marches-publics-dematerialises": Status.DEPLOYED,
        "sobriete-numerique": Status.PARTIAL,
        "protection-donnees-personnelles": Status.DEPLOYED,
        "accessibilite-numerique": Status.PARTIAL,
        "teletransmission-actes": Status.DEPLOYED,
        "mutualisation-intercommunale": Status.DEPLOYED,
        "sig-mutualise": Status.DEPLOYED,
        "accueil-nouveaux-habitants": Status.DEPLOYED,
        "point-information-jeunesse": Status.PARTIAL,
        "aide-sociale-en-ligne": Status.PARTIAL,
        "teleassistance-seniors": Status.DEPLOYED,
        "espace-associations": Status.DEPLOYED,
        "information-travaux": Status.DEPLOYED,
        "inscriptions-scolaires-en-ligne": Status.DEPLOYED,
        "archives-municipales-en-ligne": Status.PARTIAL,
        "offres-emploi-locales": Status.DEPLOYED,
        "reseaux-sociaux-ville": Status.DEPLOYED,
        "suivi-energie-batiments": Status.PARTIAL,
    },
    actions=(
        Action(
            id="epn-2016",
            title="Espace public numérique de la mairie",
            services=frozenset({"espace-public-numerique", "ateliers-numeriques-seniors"}),
            status=Status.DEPLOYED,
        ),
    ),
)

result = vl.assess(dossier, rules)
print(result.explain("en"))
print()
print("Reasons, for programs:")
for reason in result.reasons:
    missing = reason.shortfall if reason.code != "potential" else None
    short = f"{float(missing) * 100:.1f} points short" if missing else ""
    print(f"  {reason.code:<18} {reason.subject or '-':<32} {short}")
print()
plan = vl.recommend(dossier, rules)
print(plan.explain("en"))
after = vl.assess(plan.apply(dossier), rules)
print(f"\nAfter the plan: {after.grade} @ (score {float(after.score):.1%})")
print("Ask these first:", ", ".join(vl.next_questions(dossier, rules, limit=5)))
