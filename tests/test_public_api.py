"""The front door: `villes_label.__all__` is exactly the names of the API contract."""

from __future__ import annotations

import subprocess
import sys

import villes_label

CONTRACT = {
    # taxonomy and versions of the referential
    "Service",
    "Issue",
    "Theme",
    "Taxonomy",
    "TaxonomyDiff",
    "default_taxonomy",
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
    "next_questions",
    # cohorts
    "grade_distribution",
    "calibrate",
    "compare",
    "Comparison",
    "records",
    # batch
    "Scorer",
    # serialization
    "to_dict",
    "from_dict",
    "converter",
    # errors
    "VillesLabelError",
    "InvalidInput",
    "CalibrationError",
    # scenarios
    "Scenario",
    "check_scenario",
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
