"""The library's exceptions, and helpers that word their problems alike."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["CalibrationError", "InvalidInput", "VillesLabelError", "unknown_id"]


class VillesLabelError(Exception):
    """Base class of every error raised on purpose by villes_label."""


class InvalidInput(VillesLabelError, ValueError):
    """Input that villes_label refuses, with **every** problem found in it.

    Each problem is one line, starting with the path of the offending value
    when there is one (``services.S999: unknown service 'S999' ...``).

    >>> err = InvalidInput("year: expected an int, got '2016'", "territory.population: must be >= 0")
    >>> err.problems[1]
    'territory.population: must be >= 0'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, *problems: str) -> None:
        if not problems:
            problems = ("invalid input",)
        super().__init__(*problems)
        self.problems: tuple[str, ...] = tuple(problems)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)


class CalibrationError(VillesLabelError):
    """A calibration target that no choice of thresholds can meet, and why."""


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to *n* of *candidates* closest to *word*, closest first."""
    # Sorting first makes the answer independent of the candidates' order.
    return difflib.get_close_matches(word, sorted(candidates), n=n, cutoff=0.5)


def unknown_id(kind: str, value: str, known: Iterable[str]) -> str:
    """Word the problem of an unknown id, with the closest known ids.

    >>> unknown_id("service", "site-internte", ["site-internet", "wifi-public"])
    "unknown service 'site-internte' (did you mean 'site-internet'?)"
    """
    near = closest(value, known)
    if not near:
        return f"unknown {kind} {value!r}"
    hint = " or ".join(repr(candidate) for candidate in near)
    return f"unknown {kind} {value!r} (did you mean {hint}?)"
