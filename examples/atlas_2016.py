"""A national cohort on the map: the atlas by région, peers, and one territory's dashboard.

The territories are fictional (seeded), but they lie on the real départements and régions
(INSEE codes), their services are partly carried by dated initiatives with actors, and the
atlas joins a GeoJSON of the régions by code. With matplotlib installed, a chart of the mean
score by région is written to ``atlas_2016.png`` in the temporary directory; with geopandas and
a GeoJSON of the régions (its path in the environment variable ``REGIONS_GEOJSON``), a map to
``atlas_2016_map.png`` beside it.

Run: python examples/atlas_2016.py
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import villes_label as vl

rules = vl.default_ruleset()
cohort = vl.referential.national_cohort(1_000, seed=2016, epci_share=0.1)
OUT = Path(tempfile.gettempdir())
scorer = vl.Scorer(rules)
results = [scorer.assess(dossier) for dossier in cohort]
by_region = vl.atlas(results, "region", dossiers=cohort)

print(f"{len(cohort)} fictional territories on the 101 départements, by région (2016):\n")
print(f"{'code':>4}  {'région':<28} {'terr.':>5} {'mean':>5} {'median':>6}  grades 0..5")
for area in by_region.values():
    grades = " ".join(f"{area.grades[g]:>3}" for g in range(6))
    print(
        f"{area.code:>4}  {area.name:<28} {area.territories:>5} {area.mean_percent:5.1f} "
        f"{area.median_percent:6.1f}  {grades}"
    )

(france,) = vl.atlas(results, "national", dossiers=cohort).values()
print(
    f"\nFrance: {france.territories} territories, {france.initiatives} initiatives that count, "
    f"{france.actors} distinct actors; grades {dict(france.grades)}"
)
# The national grades are those of `grade_distribution`; the régions add up to them.
print("Same as grade_distribution:", dict(france.grades) == vl.grade_distribution(results))

home = cohort[0]
print(f"\nWho else runs a fablab, near {home.territory.name} ({home.territory.known_departement})?")
for peer in vl.peers("fablab", cohort, near=home, limit=5):
    print(f"  {peer.territory.name} ({peer.territory.known_departement}), {peer.proximity}")

print()
print(vl.dashboard(home, rules, cohort).report("fr"))

try:
    import matplotlib as mpl
except ImportError:
    print("\n(matplotlib is not installed: no chart)")
else:
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    areas = list(by_region.values())
    ax.barh([area.name for area in areas], [area.mean_percent for area in areas])
    ax.set_xlabel("mean score (/100)")
    fig.tight_layout()
    fig.savefig(OUT / "atlas_2016.png")
    print(f"\nChart written to {OUT / 'atlas_2016.png'}")

geojson = os.environ.get("REGIONS_GEOJSON")
try:
    import geopandas as gpd
    import pandas as pd
except ImportError:
    print("(geopandas is not installed: no map)")
else:
    if geojson:
        regions = gpd.read_file(geojson)
        mapped = regions.merge(pd.DataFrame(by_region.rows()), on="code", how="left")
        figure = mapped.plot(column="mean_percent", legend=True).get_figure()
        figure.savefig(OUT / "atlas_2016_map.png")
        print(f"Map written to {OUT / 'atlas_2016_map.png'}")
    else:
        print("(no REGIONS_GEOJSON given: no map)")
