"""Model, score and diagnose the French label *Territoires, Villes et Villages Internet*.

>>> import villes_label as vl
>>> result = vl.assess(vl.referential.sample_dossier(), vl.default_ruleset())
>>> result.grade
3
"""

from __future__ import annotations

from villes_label import referential as referential
from villes_label._errors import CalibrationError, InvalidInput, VillesLabelError
from villes_label._rules import Applicability, GradeRule, MentionRule, Ruleset
from villes_label._scoring import Assessment, Reason, assess
from villes_label._taxonomy import Issue, Service, Taxonomy, TaxonomyDiff, Theme
from villes_label._territory import Action, Dossier, Status, Territory, TerritoryKind
from villes_label.referential import default_ruleset, default_taxonomy

__version__ = "0.1.0"

__all__ = [
    "Action",
    "Applicability",
    "Assessment",
    "CalibrationError",
    "Dossier",
    "GradeRule",
    "InvalidInput",
    "Issue",
    "MentionRule",
    "Reason",
    "Ruleset",
    "Service",
    "Status",
    "Taxonomy",
    "TaxonomyDiff",
    "Territory",
    "TerritoryKind",
    "Theme",
    "VillesLabelError",
    "assess",
    "default_ruleset",
    "default_taxonomy",
]


def __dir__() -> list[str]:
    return [*__all__, "__version__", "referential"]
