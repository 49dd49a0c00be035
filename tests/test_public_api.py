"""The front door: `villes_label.__all__` is exactly the names of the API contract."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import villes_label

CONTRACT = {
    # taxonomy and versions of the referential
    "Service",
    "Source",
    "Issue",
    "Theme",
    "Taxonomy",
    "TaxonomyDiff",
    "default_taxonomy",
    "referential",
    "migrate",
    "Migration",
    # territory and dossier
    "TerritoryKind",
    "Territory",
    "Status",
    "Action",
    "Dossier",
    # rules
    "Applicability",
    "Expectation",
    "GradeRule",
    "MentionRule",
    "Ruleset",
    "default_ruleset",
    # scoring
    "assess",
    "Assessment",
    "Reason",
    # diagnostics
    "recommend",
    "Plan",
    "Step",
    "Effect",
    "next_questions",
    "roadmap",
    "Roadmap",
    "RoadmapYear",
    # cohorts
    "grade_distribution",
    "calibrate",
    "compare",
    "Comparison",
    "records",
    # batch
    "Scorer",
    # frames
    "dossiers_frame",
    # serialization
    "to_dict",
    "from_dict",
    "converter",
    # errors
    "VillesLabelError",
    "InvalidInput",
    "CalibrationError",
    "Problem",
    # scenarios
    "Scenario",
    "check_scenario",
    "scenarios_from_data",
    # initiatives and geography
    "Actor",
    "ActorRole",
    "Place",
    "departement_of",
    "departements",
    "region_of",
    "regions",
    # atlas and peers
    "AreaSummary",
    "Atlas",
    "Peer",
    "atlas",
    "peers",
    # dashboard
    "Dashboard",
    "dashboard",
}


class TestFrontDoor:
    """`__all__` is sorted, equals the contract, and every name resolves."""

    def test_all_is_the_contract(self) -> None:
        assert set(villes_label.__all__) == CONTRACT

    def test_all_is_sorted_and_unique(self) -> None:
        assert list(villes_label.__all__) == sorted(set(villes_label.__all__))

    def test_every_name_resolves(self) -> None:
        for name in villes_label.__all__:
            assert getattr(villes_label, name) is not None

    def test_dir(self) -> None:
        assert set(villes_label.__all__) <= set(dir(villes_label))

    def test_errors(self) -> None:
        assert issubclass(villes_label.InvalidInput, villes_label.VillesLabelError)
        assert issubclass(villes_label.InvalidInput, ValueError)
        assert issubclass(villes_label.CalibrationError, villes_label.VillesLabelError)

    def test_import_needs_neither_cattrs_nor_hypothesis(self) -> None:
        code = (
            "import sys, villes_label; "
            "print(sorted(m for m in ('cattrs', 'hypothesis') if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"


class TestVersion:
    """The version has one source, pyproject.toml, read through the installed metadata."""

    def test_the_installed_metadata(self) -> None:
        assert villes_label.__version__ == importlib.metadata.version("villes-label")

    def test_the_project_version(self) -> None:
        pyproject = Path(__file__).parents[1] / "pyproject.toml"
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        assert "version" not in project.get("dynamic", [])
        assert villes_label.__version__ == project["version"]

    def test_listed_by_dir(self) -> None:
        assert "__version__" in dir(villes_label)
