"""The referential year by year: what changed (`Taxonomy.diff`) and how a dossier follows.

The label's referential changes every year, by at most about 20 % of its services. This
example compares the built-in 2016 and 2017 referentials, carries the sample commune's 2016
dossier to 2017 (`referential.upgrade`: every service or action that cannot follow is named,
none is lost silently), carries a dossier of the 2014 ATLAAS portal forward, and shows the
reason an assessment gives when the rules are not of the dossier's year.

Run: python examples/referential_2017.py
"""

from __future__ import annotations

import villes_label as vl
from villes_label import Action, Dossier, Status, Territory, TerritoryKind, referential

old, new = referential.taxonomy(2016), referential.taxonomy(2017)
diff = old.diff(new)
print(f"{old}\n{new}")
print(f"From 2016 to 2017: {diff}")
for sid in sorted(diff.added):
    print(f"  + {sid}: {new.service(sid).name} ({new.issue_of(sid).id})")
for sid in sorted(diff.removed):
    print(f"  - {sid}: {old.service(sid).name}, now read as {new.resolve(sid)!r}")

print("\nThe sample commune, carried to 2017:")
dossier = referential.sample_dossier()
carried = referential.upgrade(dossier, 2017)
print(f"  {carried}")
for year in (2016, 2017):
    result = vl.assess(carried.dossier if year == 2017 else dossier, referential.ruleset(year))
    print(f"  {year}: {result}, mentions: {', '.join(result.mentions) or 'none'}")

print("\nA dossier of the 2014 ATLAAS portal (28 usages), carried to 2016 and 2017:")
village = Territory(
    code="07999", name="Saint-Exemple-de-Rias", kind=TerritoryKind.COMMUNE, population=160
)
epn = Action(
    id="epn",
    title="Point d’accès public à internet",
    services=frozenset({"insertion-numerique", "formation-publics", "informations-pratiques"}),
    status=Status.DEPLOYED,
)
atlaas = Dossier(territory=village, year=2014, actions=(epn,))
for year in (2016, 2017):
    migration = referential.upgrade(atlaas, year)
    print(f"  {migration}: {', '.join(sorted(migration.dossier.actions[0].services))}")

print("\nThe 2016 dossier assessed with the 2017 rules:")
result = vl.assess(dossier, referential.ruleset(2017))
for reason in result.reasons[:3]:
    print(f"  {reason.code}: {reason}")
