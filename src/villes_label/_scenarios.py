"""Scenarios: a dossier and the grade, score and mentions its author expects.

A scenario is a test case of a ruleset written as data, in the spirit of
OpenFisca's YAML tests: rule authors keep a file of them next to their rules
and check it after every change (``python -m villes_label check``). This
module needs no test library; `scenarios_from_data` turns the parsed content
of a JSON or TOML file into scenarios without touching any file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Literal

import attrs

from villes_label._check import Id, finish, lenient, text_problem
from villes_label._conditions import GRADE_KINDS
from villes_label._errors import InvalidInput, Problem, unknown_id, unknown_ids_at
from villes_label._rules import MAX_GRADE, Ruleset
from villes_label._scoring import Assessment, assess
from villes_label._territory import Dossier
from villes_label._values import is_instance, shown
from villes_label._vocabulary import arobases, points

Lang = Literal["fr", "en"]

__all__ = ["Scenario", "check_scenario", "scenarios_from_data"]

_ZERO = Fraction(0)
_ONE = Fraction(1)

# The reason codes of a grade rule's failed conditions (see `Reason`).
_FAILURE_CODES = frozenset(kind.code for kind in GRADE_KINDS)


def _optional_fraction(value: Fraction | float | str | None) -> Fraction | None:
    return lenient(Fraction | None, value)  # type: ignore[no-any-return]


def _optional_ids(value: Iterable[str] | None) -> frozenset[str] | None:
    return lenient(frozenset[Id] | None, value)  # type: ignore[no-any-return]


def _dossier(value: Dossier) -> Dossier:
    return lenient(Dossier, value)  # type: ignore[no-any-return]


def _scenario_problems(scenario: Scenario, failed: set[str]) -> Iterator[Problem]:
    if "name" not in failed and not scenario.name.strip():
        yield Problem(("name",), "a scenario needs a non-empty name")
    elif "name" not in failed and (problem := text_problem(scenario.name, "name")):
        yield Problem(("name",), problem)
    grade = scenario.expect_grade
    if "expect_grade" not in failed and grade is not None and not 0 <= grade <= MAX_GRADE:
        yield Problem(("expect_grade",), f"{grade} is outside 0..{MAX_GRADE}")
    score = scenario.expect_score
    if "expect_score" not in failed and score is not None and not _ZERO <= score <= _ONE:
        yield Problem(("expect_score",), f"{score} is outside [0, 1]")


@attrs.frozen(kw_only=True)
class Scenario:
    """A dossier and what its author expects of it: a test case of a ruleset.

    Each expectation is optional: ``None`` leaves it unchecked. *expect_grade*
    is 0 (not labelled) to 5; *expect_score* is the exact overall score, a
    fraction in [0, 1] (``"7/20"``, ``"0.35"`` and ``0.35`` all read as
    ``Fraction(7, 20)``); *expect_mentions* is the exact set of mentions
    awarded (empty: none). Every problem of the arguments is reported at once.

    >>> from villes_label import Dossier, Territory, TerritoryKind
    >>> village = Territory(code="48001", name="Albaret", kind=TerritoryKind.COMMUNE, population=500)
    >>> empty = Dossier(territory=village, year=2016)
    >>> Scenario(name="empty dossier", dossier=empty, expect_grade=1, expect_score="0").expect_score
    Fraction(0, 1)
    >>> Scenario(name="", dossier=empty, expect_grade=6)
    Traceback (most recent call last):
    ...
    villes_label._errors.InvalidInput: 2 problems:
      - name: a scenario needs a non-empty name
      - expect_grade: 6 is outside 0..5
    """

    name: str
    dossier: Dossier = attrs.field(converter=_dossier)
    expect_grade: int | None = None
    expect_score: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    expect_mentions: frozenset[str] | None = attrs.field(default=None, converter=_optional_ids)

    def __attrs_post_init__(self) -> None:
        finish(self, lambda failed: _scenario_problems(self, failed))

    def __str__(self) -> str:
        return self.name


def _strip_label(message: str, grade: int) -> str:
    """A grade rule's failure without its ``grade 4 (@@@@): `` prefix."""
    return message.removeprefix(f"grade {grade} ({arobases(grade)}): ")


def _too_low(expected: int, result: Assessment, ruleset: Ruleset, lang: Lang) -> str:
    fr = lang == "fr"
    if ruleset.grade_rule(expected) is None:
        known = ", ".join(str(rule.arobases) for rule in ruleset.grades)
        if fr:
            return f"les règles n’ont pas de note {expected}, seulement {known}"
        return f"the rules have no grade {expected}, only {known}"
    # The assessment tells why the grade just above the awarded one fails.
    following = min(rule.arobases for rule in ruleset.grades if rule.arobases > result.grade)
    said = result.in_language(lang) if fr else result
    failures = [
        _strip_label(reason.message, following)
        for reason in said.reasons
        if reason.code in _FAILURE_CODES
    ]
    text = "; ".join(failures) or ("sa règle n’est pas remplie" if fr else "its rule fails")
    if following != expected:
        if fr:
            return f"la note {following} échoue d’abord : {text}"
        return f"grade {following} fails first: {text}"
    return text


def _mention_set(ids: Iterable[str], lang: Lang = "en") -> str:
    ordered = sorted(ids)
    if not ordered:
        return "aucune" if lang == "fr" else "none"
    return "{" + ", ".join(repr(i) for i in ordered) + "}"


def _points(value: Fraction, lang: Lang) -> str:
    """Points on the 0-100 scale, as the reports of *lang* write them."""
    if lang == "fr":
        from villes_label import _text  # noqa: PLC0415 - reports load on first use

        return _text.number(value, lang)
    return points(value)


def check_scenario(
    scenario: Scenario, ruleset: Ruleset, *, lang: Literal["fr", "en"] = "en"
) -> tuple[str, ...]:
    """Check *scenario* under *ruleset*: the mismatches, one readable line each.

    Returns an empty tuple when every expectation holds. A grade lower than
    expected comes with the failed conditions of the next grade, as the
    assessment's reasons give them. The lines are in English unless *lang* is
    ``"fr"`` (as ``villes-label check --lang fr`` prints them); English stays
    the default so that a rule author's test reads the same everywhere.

    Raises:
        InvalidInput: the dossier names a service, or the scenario expects a
            mention, that the ruleset does not know (with the closest ids).

    >>> from villes_label import default_ruleset
    >>> from villes_label.referential import sample_dossier
    >>> scenario = Scenario(name="Saint-Exemple 2016", dossier=sample_dossier(), expect_grade=4)
    >>> for line in check_scenario(scenario, default_ruleset()):
    ...     print(line)
    Saint-Exemple 2016: expected grade 4, got 3 (the score 60.4 is 2.1 points below the 62.5 required; issue 'democratie-locale' scores 25.0, 25.0 points below the 50.0 required)
    >>> check_scenario(attrs.evolve(scenario, expect_grade=3), default_ruleset())
    ()
    """
    if lang not in ("fr", "en"):
        raise InvalidInput(Problem(("lang",), f"expected 'fr' or 'en', got {shown(lang)}"))
    if not is_instance(scenario, Scenario):
        raise InvalidInput(
            Problem(("scenario",), f"expected a Scenario, got {type(scenario).__name__}")
        )
    if not is_instance(ruleset, Ruleset):
        raise InvalidInput(
            Problem(("ruleset",), f"expected a Ruleset, got {type(ruleset).__name__}")
        )
    if scenario.expect_mentions is not None:
        known = [mention.id for mention in ruleset.mentions]
        unknown = list(
            unknown_ids_at(
                "mention",
                (
                    (("expect_mentions",), mention)
                    for mention in sorted(scenario.expect_mentions)
                    if mention not in known
                ),
                known,
            )
        )
        if unknown:
            raise InvalidInput(*unknown)
    result = assess(scenario.dossier, ruleset)
    fr = lang == "fr"
    name = scenario.name
    lines: list[str] = []
    expected = scenario.expect_grade
    if expected is not None and result.grade != expected:
        if result.grade < expected:
            why = _too_low(expected, result, ruleset, lang)
        elif fr:
            why = (
                f"score {_points(result.score, lang)} ; toutes les conditions "
                f"de la note {result.grade} sont remplies"
            )
        else:
            why = f"score {points(result.score)}; every condition of grade {result.grade} holds"
        if fr:
            lines.append(f"{name} : note attendue {expected}, obtenue {result.grade} ({why})")
        else:
            lines.append(f"{name}: expected grade {expected}, got {result.grade} ({why})")
    score = scenario.expect_score
    if score is not None and result.score != score:
        if fr:
            lines.append(
                f"{name} : score attendu {score} ({_points(score, lang)}), "
                f"obtenu {result.score} ({_points(result.score, lang)})"
            )
        else:
            lines.append(
                f"{name}: expected score {score} ({points(score)}), "
                f"got {result.score} ({points(result.score)})"
            )
    mentions = scenario.expect_mentions
    if mentions is not None and frozenset(result.mentions) != mentions:
        got = frozenset(result.mentions)
        details = []
        if missing := mentions - got:
            word = "manquantes" if fr else "missing"
            details.append(f"{word} {_mention_set(missing, lang)}")
        if extra := got - mentions:
            word = "inattendues" if fr else "unexpected"
            details.append(f"{word} {_mention_set(extra, lang)}")
        if fr:
            lines.append(
                f"{name} : mentions attendues {_mention_set(mentions, lang)}, "
                f"obtenues {_mention_set(got, lang)} ({' ; '.join(details)})"
            )
        else:
            lines.append(
                f"{name}: expected mentions {_mention_set(mentions)}, got {_mention_set(got)} "
                f"({'; '.join(details)})"
            )
    return tuple(lines)


def scenarios_from_data(data: object) -> tuple[Scenario, ...]:
    """Structure the parsed content of a scenario file into scenarios (no I/O).

    *data* is a list of scenario mappings, or a mapping whose only key
    ``"scenarios"`` holds that list: what `json.load` gives for a JSON file
    (either form) and what `tomllib.load` gives for a TOML file of
    ``[[scenarios]]`` tables. Each scenario is structured like every other
    model, with ``villes_label.from_dict(item, Scenario)``.

    Raises:
        InvalidInput: with **every** problem of every scenario, each with its
            path (``scenarios[2].dossier.territory.population: ...``),
            including two scenarios of the same name.

    >>> data = {"scenarios": [{
    ...     "name": "empty village",
    ...     "dossier": {"territory": {"code": "48001", "name": "Albaret",
    ...                               "kind": "commune", "population": 500},
    ...                 "year": 2016},
    ...     "expect_grade": 1,
    ... }]}
    >>> [scenario.name for scenario in scenarios_from_data(data)]
    ['empty village']
    """
    # cattrs loads lazily: plain `import villes_label` stays light.
    from villes_label._serialize import from_dict  # noqa: PLC0415

    problems: list[Problem] = []
    items: object
    if isinstance(data, Mapping):
        # A key that is not a str is named by a short repr (an int of 10,000 digits too).
        names = {key: key if isinstance(key, str) else shown(key) for key in data}
        for key in sorted(data, key=lambda key: (not isinstance(key, str), names[key])):
            if key != "scenarios":
                problems.append(
                    Problem(
                        (names[key],),
                        f"{unknown_id('key', names[key], ['scenarios'])}; "
                        "a scenario file holds one list, 'scenarios'",
                    )
                )
        if "scenarios" not in data:
            problems.append(
                Problem(
                    ("scenarios",),
                    "missing; a scenario file is a JSON list, a JSON object "
                    '{"scenarios": [...]}, or TOML [[scenarios]] tables',
                )
            )
            raise InvalidInput(*problems)
        items = data["scenarios"]
    else:
        items = data
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        problems.append(
            Problem(("scenarios",), f"expected a list of scenarios, got {type(items).__name__}")
        )
        raise InvalidInput(*problems)
    scenarios: list[Scenario] = []
    first_of: dict[str, int] = {}
    more = 0
    for n, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(
                Problem(("scenarios", n), f"expected a scenario table, got {type(item).__name__}")
            )
            continue
        name = item.get("name")
        if isinstance(name, str):
            if name in first_of:
                problems.append(
                    Problem(
                        ("scenarios", n, "name"),
                        f"duplicate scenario name {shown(name)} (also scenarios[{first_of[name]}])",
                    )
                )
            else:
                first_of[name] = n
        try:
            scenarios.append(from_dict(item, Scenario))
        except InvalidInput as error:
            problems.extend(error.within("scenarios", n).details)
            more += error.more
    if problems or more:
        raise InvalidInput(*problems, more=more)
    return tuple(scenarios)
