"""The label's own referential and rules (2016), a sample commune and synthetic cohorts.

The referential's structure is published in part only; what this package
reconstructs, and why, is told in the docs (*The 2016 referential*, *The
label's rules*).
"""

from __future__ import annotations

from villes_label.referential import _palmares, _strata
from villes_label.referential._national import national_cohort
from villes_label.referential._palmares import palmares_cohort
from villes_label.referential._rules_2016 import default_ruleset
from villes_label.referential._samples import sample_dossier, synthetic_cohort
from villes_label.referential._size_aware import size_aware_ruleset
from villes_label.referential._taxonomy_2016 import default_taxonomy

#: How many collectivités got each grade, 1 to 5, in the 2016 palmarès (Localtis, 2016).
PALMARES_2016 = _palmares.PALMARES_2016

#: The strata of the label's size-aware rules and what covers an issue and a theme in each.
EXPECTATIONS = _strata.EXPECTATIONS

__all__ = [
    "EXPECTATIONS",
    "PALMARES_2016",
    "default_ruleset",
    "default_taxonomy",
    "national_cohort",
    "palmares_cohort",
    "sample_dossier",
    "size_aware_ruleset",
    "synthetic_cohort",
]
