"""The command line: the only part of villes_label that touches files.

``python -m villes_label demo | taxonomy | score | plan | check``. Bad input
prints its problems on stderr and exits with status 2; a failing scenario
exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from villes_label._errors import InvalidInput
from villes_label._rules import Ruleset
from villes_label._scoring import assess
from villes_label._territory import Dossier
from villes_label.referential import default_ruleset, default_taxonomy, sample_dossier

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def _read(path: str) -> Any:  # noqa: ANN401 - a JSON or TOML document
    """Read a JSON (or, by its suffix, TOML) file; any failure is an `InvalidInput`."""
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
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            msg = f"{path}: not valid TOML ({error})"
            raise InvalidInput(msg) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        raise InvalidInput(msg) from None
    except RecursionError:
        msg = f"{path}: JSON nested too deeply"
        raise InvalidInput(msg) from None


def _structure(path: str, data: object, cls: type[Any]) -> Any:  # noqa: ANN401
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    try:
        return from_dict(data, cls)
    except InvalidInput as error:
        raise InvalidInput(*(f"{path}: {problem}" for problem in error.problems)) from None


def _rules(path: str | None) -> Ruleset:
    if path is None:
        return default_ruleset()
    result: Ruleset = _structure(path, _read(path), Ruleset)
    return result


def _dossier(path: str) -> Dossier:
    result: Dossier = _structure(path, _read(path), Dossier)
    return result


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
    rules = _rules(args.rules)
    dossier = _dossier(args.dossier)
    result = assess(dossier, rules)
    if args.json:
        _print_json(result)
    else:
        print(result.explain(args.lang))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from villes_label._plans import recommend  # noqa: PLC0415

    rules = _rules(args.rules)
    dossier = _dossier(args.dossier)
    plan = recommend(dossier, rules, target=args.target)
    if args.json:
        _print_json(plan)
    else:
        print(plan.explain(args.lang))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from villes_label._scenarios import check_scenario, scenarios_from_data  # noqa: PLC0415

    rules = _rules(args.rules)
    loaded: list[tuple[str, Any]] = []
    problems: list[str] = []
    for path in args.files:
        try:
            scenarios = scenarios_from_data(_read(path))
        except InvalidInput as error:
            problems.extend(
                p if p.startswith(f"{path}:") else f"{path}: {p}" for p in error.problems
            )
            continue
        loaded.extend((path, scenario) for scenario in scenarios)
    if problems:
        raise InvalidInput(*problems)
    passed = failed = 0
    for path, scenario in loaded:
        mismatches = check_scenario(scenario, rules)
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
    args = parser.parse_args(argv)
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


