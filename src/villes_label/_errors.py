"""The library's exceptions, and helpers that word their problems alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs

from villes_label._values import shown

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "MAX_PROBLEMS",
    "CalibrationError",
    "InvalidInput",
    "Path",
    "Problem",
    "VillesLabelError",
    "more_unknown_ids",
    "not_a",
    "render_path",
    "unknown_id",
    "unknown_ids_at",
]

Path = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys and field names (str), list indices (int)."""

MAX_PROBLEMS: Final = 100
"""At most this many problems are listed; the rest are counted ("and 12 more problems")."""


def render_path(path: Path) -> str:
    """Write *path* as people read it: ``('actions', 2, 'status')`` → ``actions[2].status``.

    A key that could be misread is quoted: an empty one, one with an invisible
    character or a space at an end, one holding ``.``, ``[``, ``]`` or ``:``.

    >>> render_path(("services", "S999")), render_path((0, "id")), render_path(("services", ""))
    ('services.S999', '[0].id', "services['']")
    >>> render_path(("services", "wifi.public")), render_path(("services", "  "))
    ("services['wifi.public']", "services['  ']")
    """
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{shown(step)}]")  # a huge index is cut, not written in full
        elif _misread(step):
            parts.append(f"[{shown(step)}]")
        elif len(step) > _LONGEST_KEY:  # a huge key is cut in the middle
            half = _LONGEST_KEY // 2
            parts.append(f"[{step[:half]!r}...{step[-half:]!r}]")
        elif parts:
            parts.append(f".{step}")
        else:
            parts.append(step)
    return "".join(parts)


def _misread(key: str) -> bool:
    """Whether *key*, written as it is in a path, could be read as something else."""
    return (
        not key
        or not key.isprintable()
        or key != key.strip()
        or any(mark in key for mark in ".[]:")
    )


def _path(value: Sequence[str | int]) -> Path:
    # Anything else is kept, to be refused by the check of `Problem`.
    return tuple(value) if isinstance(value, (list, tuple)) else value  # type: ignore[return-value]


_LONGEST_KEY = 60


@attrs.frozen
class Problem:
    """One problem of some input: where it is (*path*) and what is wrong (*message*).

    The path is data, a tuple of field names and mapping keys (str) and list
    indices (int), as in cattrs' error notes; it is written out only when the
    problem is shown.

    >>> problem = Problem(("services", "S999"), "unknown service 'S999' (did you mean 'S099'?)")
    >>> str(problem)
    "services.S999: unknown service 'S999' (did you mean 'S099'?)"
    >>> problem.path, str(Problem((), "the document is empty"))
    (('services', 'S999'), 'the document is empty')
    >>> str(problem.within("dossiers", 3))
    "dossiers[3].services.S999: unknown service 'S999' (did you mean 'S099'?)"
    """

    path: Path = attrs.field(converter=_path)
    message: str

    def __attrs_post_init__(self) -> None:
        # A problem read from data is checked like any model (it cannot use the
        # readers of the models, which report their problems as `Problem`s).
        problems: list[Problem] = []
        path: object = self.path
        message: object = self.message
        if not isinstance(path, tuple):
            problems.append(Problem(("path",), f"expected a list, got {type(path).__name__}"))
        else:
            problems.extend(
                Problem(("path", n), f"expected a str or an int, got {type(step).__name__}")
                for n, step in enumerate(path)
                if isinstance(step, bool) or not isinstance(step, (str, int))
            )
        if not isinstance(message, str):
            problems.append(
                Problem(("message",), f"expected a str, got {type(self.message).__name__}")
            )
        if problems:
            raise InvalidInput(*problems)

    def within(self, *prefix: str | int) -> Problem:
        """The same problem seen from a container: *prefix* goes before the path."""
        return attrs.evolve(self, path=(*prefix, *self.path))

    def __str__(self) -> str:
        where = render_path(self.path)
        return f"{where}: {self.message}" if where else self.message


@attrs.frozen
class MoreProblems(Problem):
    """Stands for *count* problems found but not listed; `InvalidInput` counts them in ``more``."""

    count: int = 0


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

    ``details`` holds each problem as a `Problem` (a path and a message);
    ``problems`` the same as readable lines, each starting with the path of the
    offending value when there is one (``services.S999: unknown service 'S999' ...``).
    A problem given as a plain string has an empty path. Past `MAX_PROBLEMS`
    problems, the rest are only counted (``more``), and ``problems`` ends with
    a line that says how many.

    >>> err = InvalidInput(Problem(("year",), "expected an int, got str '2016'"),
    ...                    Problem(("territory", "population"), "must be >= 0"))
    >>> err.problems[1]
    'territory.population: must be >= 0'
    >>> err.details[1].path
    ('territory', 'population')
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, *problems: str | Problem, more: int = 0) -> None:
        listed: list[Problem] = []
        for problem in problems:
            if isinstance(problem, MoreProblems):
                more += problem.count
            else:
                listed.append(problem if isinstance(problem, Problem) else Problem((), problem))
        details = tuple(listed)
        if not details and more:
            details = (Problem((), "too many problems"),)
        if not details:
            details = (Problem((), "invalid input"),)
        if len(details) > MAX_PROBLEMS:
            more += len(details) - MAX_PROBLEMS
            details = details[:MAX_PROBLEMS]
        self.details: tuple[Problem, ...] = details
        self.more: int = more
        lines = [str(problem) for problem in details]
        if more:
            lines.append(f"and {more} more problem{'s' if more > 1 else ''}")
        self.problems: tuple[str, ...] = tuple(lines)
        super().__init__(*self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its structured problems (a process pool sends errors back).
        return (_invalid_input, (self.details, self.more))

    def within(self, *prefix: str | int) -> InvalidInput:
        """The same problems seen from a container: *prefix* goes before each path."""
        return InvalidInput(*(problem.within(*prefix) for problem in self.details), more=self.more)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        lines = [f"{len(self.details) + self.more} problems:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)


def not_a(argument: str, expected: str, value: object) -> InvalidInput:
    """The error of an argument of the wrong type, at its path (``argument: expected ...``).

    >>> print(not_a("service_id", "a service id (a str)", None))
    service_id: expected a service id (a str), got NoneType
    """
    return InvalidInput(Problem((argument,), f"expected {expected}, got {type(value).__name__}"))


def _invalid_input(details: tuple[Problem, ...], more: int) -> InvalidInput:
    return InvalidInput(*details, more=more)


class CalibrationError(VillesLabelError):
    """A calibration target that no choice of thresholds can meet, and why.

    >>> from villes_label import calibrate, default_ruleset, referential
    >>> cohort = referential.synthetic_cohort(10, seed=1)
    >>> try:
    ...     calibrate(default_ruleset(), cohort, {5: 10})
    ... except CalibrationError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    grade 4 cannot be matched: the target puts 10 territories at 4 @ or more, but only 7 of
    the 10 pass the gates of grade 4 (issue 'democratie-locale' missed by 3)
    """


def _is_str(value: object) -> bool:
    # Ids come from users' data: anything may arrive where a str is expected.
    return isinstance(value, str)


_CUTOFF = 0.6
_MARGIN = 0.08
_MIN_PREFIX = 3
# Past this length a word is no typo of an id: no suggestion is looked for.
_LONGEST_WORD = 200


def closest(word: object, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to *n* of *candidates* close to *word*, closest first.

    Only candidates nearly as close as the best one are kept, so a typo gets
    one suggestion rather than three loosely similar ids. The work is linear
    in the number of candidates: those whose length is too far from the
    word's to reach the cutoff are skipped before any comparison.
    """
    if not isinstance(word, str) or len(word) > _LONGEST_WORD:
        return []
    import difflib  # noqa: PLC0415 - only bad input needs it; keeps `import` light

    size = len(word)
    # ratio = 2·matches / (len(a) + len(b)) <= 2·min / (sum): a cheap bound on lengths.
    near = sorted(
        c for c in candidates if _is_str(c) and 2 * min(len(c), size) >= _CUTOFF * (len(c) + size)
    )
    matcher = difflib.SequenceMatcher(b=word)
    scored = []
    # Sorting first makes the answer independent of the candidates' order.
    for candidate in near:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF:
            ratio = matcher.ratio()
            if ratio >= _CUTOFF:
                scored.append((-ratio, candidate))
    if not scored and size >= _MIN_PREFIX:
        # A short id is often the start of the real one ("wifi" for "wifi-public").
        return sorted(c for c in candidates if _is_str(c) and c.startswith(word))[:n]
    scored.sort()
    if not scored:
        return []
    best = -scored[0][0]
    return [candidate for ratio, candidate in scored[:n] if -ratio >= best - _MARGIN]


def unknown_id(kind: str, value: object, known: Iterable[str]) -> str:
    """Word the problem of an unknown id, with the closest known ids.

    >>> unknown_id("service", "site-internte", ["site-internet", "wifi-public"])
    "unknown service 'site-internte' (did you mean 'site-internet'?)"
    """
    near = closest(value, known)
    if not near:
        return f"unknown {kind} {shown(value)}"
    hint = " or ".join(repr(candidate) for candidate in near)
    return f"unknown {kind} {shown(value)} (did you mean {hint}?)"


def unknown_ids(
    kind: str, ids: Iterable[object], known: Iterable[str], *prefix: str | int
) -> tuple[list[Problem], int]:
    """A problem at ``prefix + (id,)`` for each of *ids* not in *known*, in sorted order.

    At most `MAX_PROBLEMS` problems are worded (each with its suggestions); the
    others are only counted, so that a document of a million unknown ids costs
    one pass, not a million searches for the closest id. Returns the problems
    and how many more were found.

    >>> found, more = unknown_ids("service", ["wifi-publc", "site-internet"],
    ...                           {"site-internet", "wifi-public"}, "services")
    >>> [str(problem) for problem in found], more
    (["services.wifi-publc: unknown service 'wifi-publc' (did you mean 'wifi-public'?)"], 0)
    """
    known_set = known if isinstance(known, (set, frozenset, dict)) else frozenset(known)
    missing = [key for key in ids if key not in known_set]
    if not missing:
        return [], 0
    missing.sort(key=lambda key: (not isinstance(key, str), key if isinstance(key, str) else ""))
    found = [
        Problem(
            (*prefix, key if isinstance(key, str) else shown(key)), unknown_id(kind, key, known_set)
        )
        for key in missing[:MAX_PROBLEMS]
    ]
    return found, len(missing) - len(found)


def unknown_ids_at(
    kind: str, found: Iterable[tuple[Path, object]], known: Iterable[str]
) -> Iterator[Problem]:
    """A problem at each *path* of *found* for its unknown id, as `unknown_ids` words them.

    For ids that are not the last key of their path (an alias's target, an
    excluded service given by its index). Only the first `MAX_PROBLEMS` are
    worded with their closest ids; the others are counted in one `MoreProblems`.

    >>> [str(p) for p in unknown_ids_at("service", [(("aliases", "old"), "wifi-publc")],
    ...                                 ["wifi-public"])]
    ["aliases.old: unknown service 'wifi-publc' (did you mean 'wifi-public'?)"]
    """
    known_set = known if isinstance(known, (set, frozenset, dict)) else frozenset(known)
    more = 0
    for n, (path, value) in enumerate(found):
        if n < MAX_PROBLEMS:
            yield Problem(path, unknown_id(kind, value, known_set))
        else:
            more += 1
    if more:
        yield more_unknown_ids(more)


def more_unknown_ids(count: int) -> MoreProblems:
    """Stands for *count* unknown ids found past those listed (no closest id is searched)."""
    return MoreProblems((), f"and {count} more unknown ids", count)
