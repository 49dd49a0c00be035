"""The library's exceptions, and helpers that word their problems alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["CalibrationError", "InvalidInput", "VillesLabelError", "unknown_id"]


class VillesLabelError(Exception):
    """Base class of every error raised on purpose by villes_label.

    >>> from villes_label import default_taxonomy
    >>> try:
    ...     default_taxonomy().service("nope")
    ... except VillesLabelError as error:
    ...     print(type(error).__name__)
    InvalidInput
    """


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
    """A calibration target that no choice of thresholds can meet, and why.

    >>> from villes_label import calibrate, default_ruleset, referential
    >>> cohort = referential.synthetic_cohort(10, seed=1)
    >>> try:
    ...     calibrate(default_ruleset(), cohort, {5: 10})
    ... except CalibrationError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    grade 2 cannot be matched: the target puts 10 territories at 2 @ or more, but only 9 of
    the 10 pass the gates of grade 2 (required service 'site-internet' missed by 1)
    """


def _is_str(value: object) -> bool:
    # Ids come from users' data: anything may arrive where a str is expected.
    return isinstance(value, str)


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to *n* of *candidates* close to *word*, closest first.

    Only candidates nearly as close as the best one are kept, so a typo gets
    one suggestion rather than three loosely similar ids.
    """
    if not _is_str(word):
        return []
    import difflib  # noqa: PLC0415 - only bad input needs it; keeps `import` light

    matcher = difflib.SequenceMatcher(b=word)
    scored = []
    # Sorting first makes the answer independent of the candidates' order.
    for candidate in sorted(c for c in candidates if _is_str(c)):
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF:
            ratio = matcher.ratio()
            if ratio >= _CUTOFF:
                scored.append((-ratio, candidate))
    if not scored and len(word) >= _MIN_PREFIX:
        # A short id is often the start of the real one ("wifi" for "wifi-public").
        scored = [(-0.0, c) for c in sorted(candidates) if _is_str(c) and c.startswith(word)]
        return [candidate for _, candidate in scored[:n]]
    scored.sort()
    if not scored:
        return []
    best = -scored[0][0]
    return [candidate for ratio, candidate in scored[:n] if -ratio >= best - _MARGIN]


_CUTOFF = 0.6
_MARGIN = 0.08
_MIN_PREFIX = 3


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
