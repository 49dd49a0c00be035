"""The label's own referential and rules (2016), a sample commune and synthetic cohorts.

The referential's structure is published in part only; what this package
reconstructs, and why, is told in the docs (*The 2016 referential*, *The
label's rules*).
"""

from __future__ import annotations

from villes_label.referential._national import national_cohort
from villes_label.referential._palmares import PALMARES_2016, palmares_cohort
from villes_label.referential._rules_2016 import default_ruleset
from villes_label.referential._samples import sample_dossier, synthetic_cohort
from villes_label.referential._strata import EXPECTATIONS
from villes_label.referential._taxonomy_2016 import default_taxonomy

__all__ = [
    "EXPECTATIONS",
    "PALMARES_2016",
    "default_ruleset",
    "default_taxonomy",
    "national_cohort",
    "palmares_cohort",
    "sample_dossier",
    "synthetic_cohort",
]
