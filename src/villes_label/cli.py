"""The command line: the only part of villes_label that touches files.

``python -m villes_label demo | taxonomy | score | plan | check``. Bad input
prints its problems on stderr and exits with status 2; a failing scenario
exits with status 1. A JSON object that gives a key twice is bad input: a
JSON reader would keep one of the values and drop the others silently.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from villes_label._errors import InvalidInput
from villes_label._rules import Ruleset
from villes_label._scoring import Assessment, assess
from villes_label._territory import Dossier
from villes_label.referential import default_ruleset, default_taxonomy, sample_dossier

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class _Repeated(dict[str, Any]):
    """A JSON object that names a key more than once; ``repeated`` counts each such key."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts = Counter(key for key, _ in pairs)
        self.repeated = {key: count for key, count in counts.items() if count > 1}


def _repeated_keys(data: object) -> list[str]:
    """A problem for each key that an object of *data* repeats, with its path."""
    problems: list[str] = []
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node, _Repeated):
                problems.extend(
                    f"{_join(path, key)}: key given {count} times "
                    "(a JSON object names each key once; only the last value would be kept)"
                    for key, count in node.repeated.items()
                )
            stack.extend((_join(path, key), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((f"{path}[{n}]", item) for n, item in enumerate(node))
    return sorted(problems)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _number_problem(error: ValueError) -> str:
    # Python refuses to read an integer of more than 4300 digits (a guard
    # against denial of service), with a message meant for programmers.
    if "integer string conversion" in str(error):
        return "a number has too many digits"
    return str(error)


def _read(path: str) -> tuple[Any, list[str]]:
    """Read a JSON (or, by its suffix, TOML) file: its data and the keys it repeats.

    A file that cannot be read or parsed raises `InvalidInput`. A JSON object
    that repeats a key keeps its last value in the data, and each repeated key
    is a problem, so that the problems of the data are reported beside them.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        msg = f"{path}: no such file"
        raise InvalidInput(msg) from None
    except OSError as error:
        msg = f"{path}: cannot be read ({error.strerror or error})"
        raise InvalidInput(msg) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = f"{path}: not UTF-8 text (byte {error.start})"
        raise InvalidInput(msg) from None
    if file.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text), []
        except tomllib.TOMLDecodeError as error:
            msg = f"{path}: not valid TOML ({error})"
            raise InvalidInput(msg) from None
        except ValueError as error:
            msg = f"{path}: not valid TOML ({_number_problem(error)})"
            raise InvalidInput(msg) from None
        except RecursionError:
            msg = f"{path}: TOML nested too deeply"
            raise InvalidInput(msg) from None
    marked: list[_Repeated] = []

    def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # json.loads keeps the last value of a repeated key and drops the others
        # silently: such objects are marked, to be reported with their paths.
        if len({key for key, _ in pairs}) == len(pairs):
            return dict(pairs)
        marked.append(_Repeated(pairs))
        return marked[-1]

    try:
        data = json.loads(text, object_pairs_hook=json_object)
    except json.JSONDecodeError as error:
        msg = f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        raise InvalidInput(msg) from None
    except ValueError as error:
        msg = f"{path}: not valid JSON ({_number_problem(error)})"
        raise InvalidInput(msg) from None
    except RecursionError:
        msg = f"{path}: JSON nested too deeply"
        raise InvalidInput(msg) from None
    return data, _repeated_keys(data) if marked else []


def _load(path: str, build: Callable[[object], T]) -> T:
    """Build a value from the data of the file *path*: every problem of it, with its name."""
    data, problems = _read(path)
    try:
        value = build(data)
    except InvalidInput as error:
        problems.extend(error.problems)
    if problems:
        raise InvalidInput(*(f"{path}: {problem}" for problem in problems))
    return value


def _structurer(cls: type[T]) -> Callable[[object], T]:
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    return lambda data: from_dict(data, cls)


def _rules(path: str | None) -> Ruleset:
    if path is None:
        return default_ruleset()
    return _load(path, _structurer(Ruleset))


def _rules_and_dossier(rules_path: str | None, dossier_path: str) -> tuple[Ruleset, Dossier]:
    """The rules and the dossier, with the problems of both files at once."""
    problems: list[str] = []
    rules = dossier = None
    try:
        rules = _rules(rules_path)
    except InvalidInput as error:
        problems.extend(error.problems)
    try:
        dossier = _load(dossier_path, _structurer(Dossier))
    except InvalidInput as error:
        problems.extend(error.problems)
    if rules is None or dossier is None:
        raise InvalidInput(*problems)
    return rules, dossier


def _assessed(path: str, dossier: Dossier, rules: Ruleset) -> Assessment:
    """Assess *dossier*, read from *path*: its ids unknown to the rules are problems of that file."""
    try:
        return assess(dossier, rules)
    except InvalidInput as error:
        raise InvalidInput(*(f"{path}: {problem}" for problem in error.problems)) from None


def _print_json(value: object) -> None:
    from villes_label._serialize import to_dict  # noqa: PLC0415 - cattrs loads lazily

    print(json.dumps(to_dict(value), ensure_ascii=False, indent=2, sort_keys=False))


def _demo(args: argparse.Namespace) -> int:
    from villes_label._plans import recommend  # noqa: PLC0415

    rules = default_ruleset()
    dossier = sample_dossier()
    result = assess(dossier, rules)
    print(result.explain(args.lang))
    print()
    plan = recommend(dossier, rules)
    print(plan.explain(args.lang))
    return EXIT_OK


def _taxonomy(args: argparse.Namespace) -> int:
    taxonomy = default_taxonomy() if args.rules is None else _rules(args.rules).taxonomy
    if args.json:
        _print_json(taxonomy)
        return EXIT_OK
    print(taxonomy)
    for theme in taxonomy.themes:
        print(f"{theme.name} [{theme.id}]")
        for issue in theme.issues:
            print(f"  {issue.name} [{issue.id}] — {len(issue.services)} services")
            if args.services:
                for service in issue.services:
                    print(f"    - {service.name} [{service.id}]")
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    rules, dossier = _rules_and_dossier(args.rules, args.dossier)
    result = _assessed(args.dossier, dossier, rules)
    if args.json:
        _print_json(result)
    else:
        print(result.explain(args.lang))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from villes_label._plans import recommend  # noqa: PLC0415

    rules, dossier = _rules_and_dossier(args.rules, args.dossier)
    _assessed(args.dossier, dossier, rules)  # the dossier's problems, with its path
    plan = recommend(dossier, rules, target=args.target)
    if args.json:
        _print_json(plan)
    else:
        print(plan.explain(args.lang))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from villes_label._scenarios import (  # noqa: PLC0415
        Scenario,
        check_scenario,
        scenarios_from_data,
    )

    problems: list[str] = []
    try:
        rules = _rules(args.rules)
    except InvalidInput as error:
        # The scenario files are still read, for their own problems.
        problems.extend(error.problems)
        rules = None
    checked: list[tuple[str, Scenario, tuple[str, ...]]] = []
    for path in args.files:
        try:
            scenarios = _load(path, scenarios_from_data)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        if rules is None:
            continue
        for n, scenario in enumerate(scenarios):
            try:
                checked.append((path, scenario, check_scenario(scenario, rules)))
            except InvalidInput as error:
                # Ids the rules do not know: the expected mentions', or else the dossier's.
                problems.extend(
                    f"{path}: scenarios[{n}].{p}"
                    if p.startswith("expect_mentions")
                    else f"{path}: scenarios[{n}].dossier.{p}"
                    for p in error.problems
                )
    # Every problem of every file is reported before any scenario is.
    if problems:
        raise InvalidInput(*problems)
    passed = failed = 0
    for path, scenario, mismatches in checked:
        if mismatches:
            failed += 1
            print(f"FAIL {path}: {scenario.name}")
            for line in mismatches:
                print(f"  - {line}")
        else:
            passed += 1
            print(f"ok   {path}: {scenario.name}")
    print(f"{passed} passed, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m villes_label",
        description="Score territories for the label Territoires, Villes et Villages Internet.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--lang", choices=("fr", "en"), default="fr", help="report language")
        return sub

    add("demo", "score a built-in sample commune and print its assessment and plan").set_defaults(
        run=_demo
    )
    taxonomy = add("taxonomy", "print the referential (themes, issues, services)")
    taxonomy.add_argument("--json", action="store_true", help="print it as JSON")
    taxonomy.add_argument("--services", action="store_true", help="list every service")
    taxonomy.add_argument("--rules", metavar="RULES.json", help="the referential of these rules")
    taxonomy.set_defaults(run=_taxonomy)
    score = add("score", "assess a dossier")
    score.add_argument("dossier", metavar="DOSSIER.json")
    score.add_argument("--rules", metavar="RULES.json", help="rules (default: the label's 2016)")
    score.add_argument("--json", action="store_true", help="print the assessment as JSON")
    score.set_defaults(run=_score)
    plan = add("plan", "the fewest services to deploy for the next grade")
    plan.add_argument("dossier", metavar="DOSSIER.json")
    plan.add_argument("--target", type=int, default=None, help="grade to reach (default: next)")
    plan.add_argument("--rules", metavar="RULES.json", help="rules (default: the label's 2016)")
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(run=_plan)
    check = add("check", "check scenario files (JSON or TOML) against the rules")
    check.add_argument("files", nargs="+", metavar="SCENARIOS.json|.toml")
    check.add_argument("--rules", metavar="RULES.json", help="rules (default: the label's 2016)")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        # argparse has printed the usage and the error (status 2), or the help (0).
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    try:
        status: int = args.run(args)
    except InvalidInput as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader (``| head``) has gone: not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    return status
