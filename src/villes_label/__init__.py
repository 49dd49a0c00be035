"""Model, score and diagnose the French label *Territoires, Villes et Villages Internet*.

>>> import villes_label as vl
>>> result = vl.assess(vl.referential.sample_dossier(), vl.default_ruleset())
>>> result.grade
3
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from villes_label import referential as referential
from villes_label._errors import CalibrationError, InvalidInput, Problem, VillesLabelError
from villes_label._geo import departement_of, departements, region_of, regions
from villes_label._initiatives import Actor, ActorRole, Place
from villes_label._rules import Applicability, Expectation, GradeRule, MentionRule, Ruleset
from villes_label._scoring import Assessment, Reason, assess
from villes_label._taxonomy import Issue, Service, Source, Taxonomy, TaxonomyDiff, Theme
from villes_label._territory import Action, Dossier, Status, Territory, TerritoryKind
from villes_label.referential import default_ruleset, default_taxonomy

if TYPE_CHECKING:
    from villes_label._atlas import AreaSummary, Atlas, Peer, atlas, peers
    from villes_label._batch import Scorer
    from villes_label._cohorts import Comparison, calibrate, compare, grade_distribution, records
    from villes_label._dashboard import Dashboard, dashboard
    from villes_label._frames import dossiers_frame
    from villes_label._migrate import Migration, migrate
    from villes_label._plans import Effect, Plan, Step, next_questions, recommend
    from villes_label._roadmap import Roadmap, RoadmapYear, roadmap
    from villes_label._scenarios import Scenario, check_scenario, scenarios_from_data
    from villes_label._serialize import converter, from_dict, to_dict

    # The version is read from the installed package's metadata (pyproject.toml holds
    # the only copy), on first use; see `__getattr__`.
    __version__: str


__all__ = [
    "Action",
    "Actor",
    "ActorRole",
    "Applicability",
    "AreaSummary",
    "Assessment",
    "Atlas",
    "CalibrationError",
    "Comparison",
    "Dashboard",
    "Dossier",
    "Effect",
    "Expectation",
    "GradeRule",
    "InvalidInput",
    "Issue",
    "MentionRule",
    "Migration",
    "Peer",
    "Place",
    "Plan",
    "Problem",
    "Reason",
    "Roadmap",
    "RoadmapYear",
    "Ruleset",
    "Scenario",
    "Scorer",
    "Service",
    "Source",
    "Status",
    "Step",
    "Taxonomy",
    "TaxonomyDiff",
    "Territory",
    "TerritoryKind",
    "Theme",
    "VillesLabelError",
    "assess",
    "atlas",
    "calibrate",
    "check_scenario",
    "compare",
    "converter",
    "dashboard",
    "default_ruleset",
    "default_taxonomy",
    "departement_of",
    "departements",
    "dossiers_frame",
    "from_dict",
    "grade_distribution",
    "migrate",
    "next_questions",
    "peers",
    "recommend",
    "records",
    "referential",
    "region_of",
    "regions",
    "roadmap",
    "scenarios_from_data",
    "to_dict",
]


def __dir__() -> list[str]:
    return [*__all__, "__version__"]


# The core (models, rules, `assess`) is imported at once. The rest is loaded on
# first use (PEP 562): serialization needs cattrs, whose import costs about as much
# as the whole package, and plans, cohorts, the batch scorer and scenarios are not
# needed by a program that only assesses. `import villes_label` stays light.
_LAZY = {
    "AreaSummary": "_atlas",
    "Atlas": "_atlas",
    "Peer": "_atlas",
    "atlas": "_atlas",
    "peers": "_atlas",
    "Dashboard": "_dashboard",
    "dashboard": "_dashboard",
    "Scorer": "_batch",
    "Comparison": "_cohorts",
    "calibrate": "_cohorts",
    "compare": "_cohorts",
    "grade_distribution": "_cohorts",
    "records": "_cohorts",
    "dossiers_frame": "_frames",
    "Migration": "_migrate",
    "migrate": "_migrate",
    "Effect": "_plans",
    "Plan": "_plans",
    "Step": "_plans",
    "next_questions": "_plans",
    "recommend": "_plans",
    "Roadmap": "_roadmap",
    "RoadmapYear": "_roadmap",
    "roadmap": "_roadmap",
    "Scenario": "_scenarios",
    "check_scenario": "_scenarios",
    "scenarios_from_data": "_scenarios",
    "converter": "_serialize",
    "from_dict": "_serialize",
    "to_dict": "_serialize",
}


def __getattr__(name: str) -> object:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked for

        globals()[name] = found = version("villes-label")
        return found
    module_name = _LAZY.get(name)
    if module_name is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    module = importlib.import_module(f"{__name__}.{module_name}")
    value = getattr(module, name)
    globals()[name] = value
    return value
