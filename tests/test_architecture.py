"""The house keeps its shape: a module imports only the modules listed above it.

The order is the table of docs/explanation/architecture.md, from the lowest room to the
highest; a change that makes a lower room import a higher one fails here, as does a page
that no longer names the modules that exist.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "villes_label"
PAGE = ROOT / "docs" / "explanation" / "architecture.md"
# Built on the public API rather than in the rooms: they may import any of them.
ABOVE_THE_HOUSE = {"testing", "cli", "__main__"}


def rooms() -> list[str]:
    """The modules of the page's table, in its order (``"_rules"``, ``"referential"``...)."""
    order: list[str] = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        order.extend(re.findall(r"`([\w/]+?)(?:\.py|/)`", first_cell))
    return order


def files_of(room: str) -> list[Path]:
    path = PACKAGE / room
    return sorted(path.glob("*.py")) if path.is_dir() else [path.with_suffix(".py")]


def imported_rooms(path: Path) -> set[str]:
    """The rooms of the package that *path* imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "villes_label" and len(parts) > 1:
                found.add(parts[1])
    return found


class TestLayers:
    """Each room of the package imports only the rooms listed above it on the page."""

    def test_the_page_names_the_rooms(self) -> None:
        order = rooms()
        assert order[:2] == ["_values", "_errors"]
        assert {"_scoring", "_batch", "_plans", "_cohorts", "referential", "cli"} <= set(order)
        for room in order:
            assert all(path.exists() for path in files_of(room)), room

    @pytest.mark.parametrize("room", [r for r in rooms() if r not in ABOVE_THE_HOUSE])
    def test_imports_only_lower_rooms(self, room: str) -> None:
        order = rooms()
        below = set(order[: order.index(room)])
        for path in files_of(room):
            imported = imported_rooms(path) - {room}
            assert imported <= below, (path.name, sorted(imported - below))

    def test_the_check_bites(self) -> None:
        # The scoring formula reads the rules: listed below the rules, it would fail.
        order = rooms()
        below_the_rules = set(order[: order.index("_rules")])
        assert not imported_rooms(PACKAGE / "_scoring.py") <= below_the_rules
