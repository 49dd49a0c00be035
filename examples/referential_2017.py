"""A new year's referential: what changed (`Taxonomy.diff`) and how a dossier follows (`migrate`).

The referential of the label changes every year, by at most about 20 % of its services.
This example derives a *fictional* 2017 referential from the 2016 one (a few services
added, removed, renamed, moved, two merged into one), shows the difference, then carries
the sample commune's 2016 dossier over: every service or action that cannot follow is
named, none is lost silently.

Run: python examples/referential_2017.py
"""

from __future__ import annotations

from fractions import Fraction

import attrs

import villes_label as vl
from villes_label import Action, Applicability, Service, Status, Taxonomy
from villes_label.referential import sample_dossier

REMOVED = {"web-tv-locale", "objets-trouves-en-ligne", "postes-acces-libre"}
# Two services merged into one new service: their ids are replaced.
MERGED = {
    "teletravail-tiers-lieu": "tiers-lieu-numerique",
    "espace-coworking": "tiers-lieu-numerique",
}
RENAMED = {
    "open-data": "Données ouvertes par défaut",
    "wifi-public": "Wi-Fi public gratuit",
    "site-internet": "Site internet consultable sur mobile",
}
MOVED = {"accessibilite-numerique": "services-publics", "fablab": "mediation"}
ADDED = {
    "services-publics": (
        Service(
            id="saisine-par-voie-electronique",
            name="Saisine de la collectivité par voie électronique",
        ),
        Service(id="maison-de-services-au-public", name="Maison de services au public"),
    ),
    "mediation": (Service(id="pass-numerique", name="Chèques de médiation numérique"),),
    "emploi": (
        Service(id="tiers-lieu-numerique", name="Tiers-lieu numérique (télétravail, coworking)"),
    ),
    "environnement": (
        Service(
            id="empreinte-numerique",
            name="Mesure de l'empreinte environnementale du numérique",
        ),
    ),
}


def next_referential(old: Taxonomy) -> Taxonomy:
    """The fictional 2017 referential, derived from *old*."""
    services: dict[str, list[Service]] = {issue.id: [] for issue in old.issues}
    for issue in old.issues:
        for service in issue.services:
            if service.id in REMOVED or service.id in MERGED:
                continue
            if service.id in RENAMED:
                service = attrs.evolve(service, name=RENAMED[service.id])  # noqa: PLW2901
            services[MOVED.get(service.id, issue.id)].append(service)
    for issue_id, added in ADDED.items():
        services[issue_id].extend(added)
    themes = tuple(
        attrs.evolve(
            theme,
            issues=tuple(
                attrs.evolve(issue, services=tuple(services[issue.id])) for issue in theme.issues
            ),
        )
        for theme in old.themes
    )
    return Taxonomy(name=old.name, version="2017 (fictional example)", themes=themes)


old = vl.default_taxonomy()
new = next_referential(old)
print(old)
print(new)

diff = old.diff(new)
print(f"\nWhat changed: {diff}")
for field in ("added", "removed", "renamed", "moved"):
    print(f"  {field:<8} {', '.join(sorted(getattr(diff, field)))}")
within = "within" if diff.change_ratio <= Fraction(1, 5) else "beyond"
print(f"  {within} the change of at most about 20 % a year that the label announces")

# The sample commune's 2016 dossier, plus a local web TV that it also ran in 2016.
dossier = sample_dossier()
web_tv = Action(
    id="web-tv", title="Web TV municipale", services={"web-tv-locale"}, status=Status.DEPLOYED
)
dossier = attrs.evolve(dossier, actions=(*dossier.actions, web_tv))

migration = vl.migrate(dossier, new, renames=MERGED)
print(f"\nCarried to the 2017 referential: {migration}")
print(f"  dropped services: {', '.join(sorted(migration.dropped))}")
print(f"  dropped actions:  {', '.join(sorted(migration.dropped_actions))}")
carried = migration.dossier
print(
    "  merged: teletravail-tiers-lieu + espace-coworking -> tiers-lieu-numerique, "
    f"{carried.status('tiers-lieu-numerique').value}"
)
for action in carried.actions:
    print(f"  action {action.id!r}: {', '.join(sorted(action.services))}")

# Score it under the 2016 rules carried to the new referential: the applicability of the
# removed services goes, the merged service keeps the opt-out of the two it replaces.
rules = vl.default_ruleset()
applicability = {sid: rule for sid, rule in rules.applicability.items() if sid in new}
applicability["tiers-lieu-numerique"] = Applicability(opt_out=True)
rules_2017 = rules.replace(
    name="Villes Internet 2017 (fictional example)",
    year=2017,
    taxonomy=new,
    applicability=applicability,
)
before = vl.assess(dossier, rules)
after = vl.assess(attrs.evolve(carried, year=2017), rules_2017)
print(f"\n2016: {before}")
print(f"2017: {after}")
