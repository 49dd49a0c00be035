"""The command line: the only part of villes_label that touches files.

``villes-label`` (or ``python -m villes_label``) ``demo | taxonomy | score |
plan | roadmap | questions | grade | check``, every text in one language
(``--lang fr``, the default, or ``en``), the help included. Bad input prints
its problems on stderr and exits with status 2; a failing scenario exits with
status 1. A JSON object that gives a key twice is bad input: a
JSON reader would keep one of the values and drop the others silently.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from villes_label import _text, referential
from villes_label._errors import MAX_PROBLEMS, InvalidInput, MoreProblems, Problem, unknown_id
from villes_label._rules import Ruleset
from villes_label._scoring import Assessment, assess
from villes_label._territory import Dossier, Territory, TerritoryKind
from villes_label.referential import default_ruleset, sample_dossier

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from fractions import Fraction

    from villes_label._text import Lang

T = TypeVar("T")

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


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


def _read_text(path: str) -> str:
    """The UTF-8 text of the file *path* (``-``: standard input)."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        msg = f"{path}: no such file"
        raise InvalidInput(msg) from None
    except OSError as error:
        msg = f"{path}: cannot be read ({error.strerror or error})"
        raise InvalidInput(msg) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = f"{path}: not UTF-8 text (byte {error.start})"
        raise InvalidInput(msg) from None


def _looks_like_yaml(path: str, text: str) -> bool:
    if Path(path).suffix.lower() in {".yaml", ".yml"}:
        return True
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("#"):
        return False
    return first == "---" or (
        first[:1] not in {"{", "[", '"'} and ":" in first and not first.startswith("[")
    )


def _parse_json(path: str, text: str) -> tuple[Any, list[str]]:
    """Parse JSON *text* of *path*: its data and the keys it repeats (see `_read`)."""
    if not text.strip():
        msg = f"{path}: the file is empty (a JSON document was expected)"
        raise InvalidInput(msg)
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
        if _looks_like_yaml(path, text):
            msg = (
                f"{path}: this looks like YAML; villes-label reads JSON "
                "(and TOML for scenario files)"
            )
            raise InvalidInput(msg) from None
        msg = f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        raise InvalidInput(msg) from None
    except ValueError as error:
        msg = f"{path}: not valid JSON ({_number_problem(error)})"
        raise InvalidInput(msg) from None
    except RecursionError:
        msg = f"{path}: JSON nested too deeply"
        raise InvalidInput(msg) from None
    return data, _repeated_keys(data) if marked else []


def _read(path: str) -> tuple[Any, list[str]]:
    """Read a JSON (or, by its suffix, TOML) file: its data and the keys it repeats.

    A file that cannot be read or parsed raises `InvalidInput`; an empty file
    and a YAML file are named as such. A JSON object that repeats a key keeps
    its last value in the data, and each repeated key is a problem, so that
    the problems of the data are reported beside them.
    """
    text = _read_text(path)
    if Path(path).suffix.lower() == ".toml":
        if not text.strip():
            msg = f"{path}: the file is empty (a TOML document was expected)"
            raise InvalidInput(msg)
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
    return _parse_json(path, text)


# What a file holds, told by the keys of its data: the first match wins.
_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("an assessment", frozenset({"grade", "score", "projected_score"})),
    ("a ruleset", frozenset({"grades", "taxonomy"})),
    ("a dossier", frozenset({"territory", "year"})),
    ("a taxonomy", frozenset({"themes", "version"})),
    ("scenarios", frozenset({"scenarios"})),
    ("a plan", frozenset({"target", "reachable"})),
)


def _holds(data: object) -> str | None:
    """What kind of document *data* is, when its keys tell (``"a dossier"``...)."""
    if isinstance(data, list):
        if data and all(isinstance(item, dict) for item in data):
            kinds = {_holds(item) for item in data}
            if kinds == {"a dossier"}:
                return "dossiers (a cohort)"
            if all("dossier" in item and "name" in item for item in data):
                return "scenarios"
        return None
    if not isinstance(data, dict):
        return None
    keys = set(data)
    return next((kind for kind, needed in _KINDS if needed <= keys), None)


def _load(path: str, build: Callable[[object], T], expected: tuple[str, str] | None = None) -> T:
    """Build a value from the data of the file *path*: every problem of it, with its name.

    *expected* is what the file should hold and where it was given, such as
    ``("a ruleset", "--rules")``: a file of another kind is named as such
    instead of listing the fields it lacks.
    """
    data, problems = _read(path)
    try:
        value = build(data)
    except InvalidInput as error:
        holds = _holds(data)
        if expected is not None and holds is not None and holds != expected[0]:
            wanted, where = expected
            msg = f"{path}: this file holds {holds}; {where} expects {wanted}"
            raise InvalidInput(msg) from None
        problems.extend(error.problems)
    if problems:
        raise InvalidInput(*(f"{path}: {problem}" for problem in problems))
    return value


def _structurer(cls: type[T]) -> Callable[[object], T]:
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    return lambda data: from_dict(data, cls)


_RULES = ("a ruleset", "--rules")
_DOSSIER = ("a dossier", "DOSSIER")


def _rules(path: str | None) -> Ruleset:
    if path is None:
        return default_ruleset()
    return _load(path, _structurer(Ruleset), _RULES)


def _rules_of_year(year: int) -> Ruleset:
    """The built-in rules of *year*; the default ones, said on stderr, for another year."""
    if year in referential.years():
        return referential.ruleset(year)
    known = ", ".join(map(str, referential.years()))
    rules = default_ruleset()
    print(
        f"warning: no built-in rules for {year} (built-in years: {known}): "
        f"using the rules of {rules.year}",
        file=sys.stderr,
    )
    return rules


def _rules_and_dossiers(
    rules_path: str | None, dossier_paths: Sequence[str]
) -> tuple[Ruleset, list[Dossier]]:
    """The rules and the dossiers, with the problems of every file at once.

    Without *rules_path*, the built-in rules of the dossiers' year (the default
    ones when they are of several years). Rules of another year than a
    dossier's are used, with a warning on stderr.
    """
    problems: list[str] = []
    rules = None
    if rules_path is not None:
        try:
            rules = _rules(rules_path)
        except InvalidInput as error:
            problems.extend(error.problems)
    read: list[tuple[str, Dossier]] = []
    for path in dossier_paths:
        try:
            read.append((path, _load(path, _dossier_reader(rules), _DOSSIER)))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(*problems)
    if rules is None:
        years = {dossier.year for _, dossier in read}
        rules = _rules_of_year(years.pop()) if len(years) == 1 else default_ruleset()
    for path, dossier in read:
        if dossier.year != rules.year:
            print(
                f"warning: {path}: the dossier is of {dossier.year} but the rules are "
                f"those of {rules.year}",
                file=sys.stderr,
            )
    return rules, [dossier for _, dossier in read]


def _rules_and_dossier(rules_path: str | None, dossier_path: str) -> tuple[Ruleset, Dossier]:
    """The rules and the dossier, with the problems of both files at once."""
    rules, (dossier,) = _rules_and_dossiers(rules_path, [dossier_path])
    return rules, dossier


def _dossier_reader(rules: Ruleset | None) -> Callable[[object], Dossier]:
    """Read a dossier; when it is refused, its ids unknown to *rules* are reported too.

    A dossier that builds has its ids checked by `assess`; one that does not
    would otherwise hide them until its other mistakes are fixed.
    """
    structure = _structurer(Dossier)

    def read(data: object) -> Dossier:
        try:
            return structure(data)
        except InvalidInput as error:
            against = rules
            if against is None:  # the rules of the dossier's year, as they would be chosen
                year = data.get("year") if isinstance(data, dict) else None
                if isinstance(year, int) and year in referential.years():
                    against = referential.ruleset(year)
                else:
                    against = default_ruleset()
            found = _unknown_ids(data, against.taxonomy.service_ids)
            seen = {problem.path for problem in error.details}
            extra = [problem for problem in found if problem.path not in seen]
            raise InvalidInput(*error.details, *extra, more=error.more) from None

    return read


def _unknown_ids(data: object, known: frozenset[str]) -> list[Problem]:
    """The service ids that the plain data of a dossier names and *known* lacks, with paths."""
    named: list[tuple[tuple[str | int, ...], str]] = []
    if not isinstance(data, dict):
        return []
    services = data.get("services")
    if isinstance(services, dict):
        named.extend((("services", sid), sid) for sid in services if isinstance(sid, str))
    actions = data.get("actions")
    for n, action in enumerate(actions if isinstance(actions, list) else []):
        ids = action.get("services") if isinstance(action, dict) else None
        if isinstance(ids, list):
            named.extend(
                (("actions", n, "services", sid), sid) for sid in ids if isinstance(sid, str)
            )
    unknown = [(path, sid) for path, sid in named if sid not in known]
    shown = unknown[:MAX_PROBLEMS]
    found = [Problem(path, unknown_id("service", sid, known)) for path, sid in shown]
    if len(unknown) > len(shown):
        count = len(unknown) - len(shown)
        found.append(MoreProblems((), f"and {count} more unknown service ids", count))
    return found


def _assessed(path: str, dossier: Dossier, rules: Ruleset) -> Assessment:
    """Assess *dossier*, read from *path*: its ids unknown to the rules are problems of that file."""
    try:
        return assess(dossier, rules)
    except InvalidInput as error:
        raise InvalidInput(*(f"{path}: {problem}" for problem in error.problems)) from None


def _json_text(value: object) -> str:
    from villes_label._serialize import to_dict  # noqa: PLC0415 - cattrs loads lazily

    data = value if isinstance(value, (list, dict)) else to_dict(value)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def _print_json(value: object) -> None:
    print(_json_text(value))


def _assessment_data(result: Assessment, lang: Lang) -> dict[str, Any]:
    """An assessment as JSON data: reasons in *lang*, a float ``score_percent`` beside each score."""
    from villes_label._serialize import to_dict  # noqa: PLC0415 - cattrs loads lazily

    data = to_dict(result.in_language(lang))
    data["score_percent"] = _percent(result.score)
    data["projected_score_percent"] = _percent(result.projected_score)
    data["themes_percent"] = {key: _percent(value) for key, value in result.themes.items()}
    data["issues_percent"] = {key: _percent(value) for key, value in result.issues.items()}
    return data


def _percent(value: Fraction) -> float:
    """A score as points out of 100, rounded to 2 decimals, for spreadsheets and charts."""
    return round(float(value * 100), 2)


# The fraction fields of plans and roadmaps that get a float beside them in JSON.
_FRACTION_KEYS = frozenset({"gain", "score", "required", "before", "after"})


def _with_percents(data: Any) -> Any:  # noqa: ANN401 - JSON data of any shape
    """*data* with ``<key>_percent`` (points out of 100) beside each fraction of `_FRACTION_KEYS`."""
    from fractions import Fraction  # noqa: PLC0415

    if isinstance(data, list):
        return [_with_percents(item) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = _with_percents(value)
        if key in _FRACTION_KEYS and isinstance(value, str):
            out[f"{key}_percent"] = _percent(Fraction(value))
    return out


def _plan_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"exclude": tuple(args.exclude or ()), "prefer": args.prefer}


# --- the commands --------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from villes_label._plans import recommend  # noqa: PLC0415
    from villes_label._roadmap import roadmap  # noqa: PLC0415

    rules = default_ruleset()
    dossier = sample_dossier()
    result = assess(dossier, rules)
    print(result.explain(args.lang))
    print()
    plan = recommend(dossier, rules)
    print(plan.explain(args.lang))
    print()
    print(roadmap(dossier, rules, plan.target, years=4, per_year=1).explain(args.lang))
    return EXIT_OK


def _taxonomy(args: argparse.Namespace) -> int:
    rules = default_ruleset() if args.rules is None else _rules(args.rules)
    taxonomy = rules.taxonomy
    if args.json and args.population is None and args.kind is None:
        _print_json(taxonomy)
        return EXIT_OK
    lang: Lang = args.lang
    fr = lang == "fr"
    territory = None
    if args.population is not None or args.kind is not None:
        kind = TerritoryKind(args.kind or TerritoryKind.COMMUNE.value)
        # Any valid code: only the kind and the population decide what concerns it.
        code = "01001" if kind is TerritoryKind.COMMUNE else "200000001"
        territory = Territory(code=code, name="?", kind=kind, population=args.population or 0)
    concerned = [
        s for s in taxonomy.services if territory is None or rules.concerns(s.id, territory)
    ]
    if args.json:
        print(_json_text([{"id": s.id, "name": s.name} for s in concerned]))
        return EXIT_OK
    ids = {s.id for s in concerned}
    if fr:
        print(
            f"{taxonomy.name} {taxonomy.version} : {len(taxonomy.themes)} thèmes, "
            f"{len(taxonomy.issues)} enjeux, {len(taxonomy.services)} services"
        )
    else:
        print(taxonomy)
    if territory is not None:
        who = (
            f"{_text.kind_word(territory.kind, lang)} de "
            f"{_text.population(territory.population, lang)}"
            if fr
            else f"{_text.kind_word(territory.kind, lang)} of "
            f"{_text.population(territory.population, lang)}"
        )
        print(
            f"Concernent une {who} : {len(concerned)} services sur {len(taxonomy.services)}"
            if fr
            else f"Concerning a {who}: {len(concerned)} of {len(taxonomy.services)} services"
        )
    for theme in taxonomy.themes:
        print(f"{theme.name} [{theme.id}]")
        for issue in theme.issues:
            count = sum(1 for service in issue.services if service.id in ids)
            print(f"  {issue.name} [{issue.id}] — {count} services")
            if args.services or territory is not None:
                for service in issue.services:
                    if service.id in ids:
                        print(f"    - {service.name} [{service.id}]")
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    rules, dossiers = _rules_and_dossiers(args.rules, args.dossiers)
    results = [
        _assessed(path, dossier, rules)
        for path, dossier in zip(args.dossiers, dossiers, strict=True)
    ]
    for path, result in zip(args.dossiers, results, strict=True):
        _warn_refused_opt_outs(path, result)
    if args.json:
        data = [_assessment_data(result, args.lang) for result in results]
        print(_json_text(data[0] if len(data) == 1 else data))
        return EXIT_OK
    print("\n\n".join(result.explain(args.lang) for result in results))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from villes_label._plans import recommend  # noqa: PLC0415
    from villes_label._serialize import to_dict  # noqa: PLC0415 - cattrs loads lazily

    rules, dossier = _rules_and_dossier(args.rules, args.dossier)
    result = _assessed(args.dossier, dossier, rules)  # the dossier's problems, with its path
    plan = recommend(dossier, rules, target=args.target, **_plan_options(args))
    _warn_refused_opt_outs(args.dossier, result)
    if args.json:
        print(_json_text(_with_percents(to_dict(plan))))
    else:
        print(plan.explain(args.lang))
    return EXIT_OK


def _roadmap(args: argparse.Namespace) -> int:
    from villes_label._roadmap import roadmap  # noqa: PLC0415
    from villes_label._serialize import to_dict  # noqa: PLC0415 - cattrs loads lazily

    rules, dossier = _rules_and_dossier(args.rules, args.dossier)
    _assessed(args.dossier, dossier, rules)
    road = roadmap(
        dossier,
        rules,
        args.target,
        years=args.years,
        per_year=args.per_year,
        **_plan_options(args),
    )
    if args.json:
        print(_json_text(_with_percents(to_dict(road))))
    else:
        print(road.explain(args.lang))
    return EXIT_OK


def _questions(args: argparse.Namespace) -> int:
    from villes_label._plans import next_questions  # noqa: PLC0415

    rules, dossier = _rules_and_dossier(args.rules, args.dossier)
    _assessed(args.dossier, dossier, rules)
    asked = next_questions(dossier, rules, limit=args.limit)
    taxonomy = rules.taxonomy
    if args.json:
        print(_json_text([{"id": sid, "name": taxonomy.service(sid).name} for sid in asked]))
        return EXIT_OK
    if not asked:
        print(
            "Aucune question : le dossier répond pour chaque service concerné."
            if args.lang == "fr"
            else "No question: the dossier answers for every concerned service."
        )
        return EXIT_OK
    print(
        "Questions à poser d'abord (ce qui compterait le plus) :"
        if args.lang == "fr"
        else "Questions to ask first (what would matter most):"
    )
    for n, sid in enumerate(asked, 1):
        issue = taxonomy.issue_of(sid)
        print(f"  {n}. {taxonomy.service(sid).name} [{sid}] — {issue.name}")
    return EXIT_OK


# --- grading a cohort ----------------------------------------------------------------


def _cohort(path: str) -> list[Dossier]:
    """The dossiers of a cohort file: a JSON list, or JSON Lines (one dossier a line)."""
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    text = _read_text(path)
    if not text.strip():
        msg = f"{path}: the file is empty (a JSON list or JSON Lines of dossiers was expected)"
        raise InvalidInput(msg)
    stripped = text.lstrip()
    entries: list[tuple[str, Any]] = []
    problems: list[str] = []
    if stripped.startswith("["):
        data, problems = _parse_json(path, text)
        if not isinstance(data, list):  # pragma: no cover - a list by its first character
            msg = f"{path}: expected a list of dossiers"
            raise InvalidInput(msg)
        entries = [(f"[{n}]", item) for n, item in enumerate(data)]
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                data, repeated = _parse_json(f"{path}:{number}", line)
            except InvalidInput as error:
                problems.extend(error.problems)
                continue
            problems.extend(f"{path}:{number}: {p}" for p in repeated)
            entries.append((f":{number}", data))
    dossiers: list[Dossier] = []
    for where, item in entries:
        try:
            dossiers.append(from_dict(item, Dossier))
        except InvalidInput as error:
            holds = _holds(item)
            if holds is not None and holds != "a dossier":
                problems.append(f"{path}{where}: this entry holds {holds}; COHORT expects dossiers")
            else:
                problems.extend(f"{path}{where}: {problem}" for problem in error.problems)
    if problems:
        raise InvalidInput(*problems)
    return dossiers


GRADE_COLUMNS = ("code", "name", "grade", "score", "score_percent", "mentions")
"""The columns of ``villes-label grade``, in order."""


def _grade_row(result: Assessment) -> dict[str, Any]:
    return {
        "code": result.territory.code,
        "name": result.territory.name,
        "grade": result.grade,
        "score": str(result.score),
        "score_percent": _percent(result.score),
        "mentions": " ".join(result.mentions),
    }


class _Progress:
    """A progress bar on standard error, for long runs: redrawn at most every 1%."""

    __slots__ = ("done", "shown", "stream", "total")

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.done, self.shown = total, stream, 0, -1

    def step(self) -> None:
        self.done += 1
        percent = self.done * 100 // max(self.total, 1)
        if percent != self.shown:
            self.shown = percent
            filled = percent * 30 // 100
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} ({percent}%)")
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _grade(args: argparse.Namespace) -> int:
    from villes_label._batch import Scorer  # noqa: PLC0415

    problems: list[str] = []
    rules = None
    try:
        rules = _rules(args.rules)
    except InvalidInput as error:
        problems.extend(error.problems)
    try:
        dossiers = _cohort(args.cohort)
    except InvalidInput as error:
        problems.extend(error.problems)
    if rules is None or problems:
        raise InvalidInput(*problems)
    scorer = Scorer(rules)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    progress = _Progress(len(dossiers), sys.stderr) if show else None
    rows: list[dict[str, Any]] = []
    problems = []
    for n, dossier in enumerate(dossiers):
        try:
            rows.append(_grade_row(scorer.assess(dossier)))
        except InvalidInput as error:
            problems.extend(f"{args.cohort}[{n}]: {problem}" for problem in error.problems)
        if progress is not None:
            progress.step()
    if progress is not None:
        progress.close()
    if problems:
        raise InvalidInput(*problems)
    out = sys.stdout if args.output in {None, "-"} else None
    text = _grade_text(rows, args.format)
    if out is not None:
        out.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return EXIT_OK


def _grade_text(rows: list[dict[str, Any]], format_: str) -> str:
    if format_ == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=GRADE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


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
            scenarios = _load(path, scenarios_from_data, ("scenarios", "SCENARIOS"))
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        if rules is None:
            continue
        for n, scenario in enumerate(scenarios):
            try:
                checked.append((path, scenario, check_scenario(scenario, rules, lang=args.lang)))
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
    fr = args.lang == "fr"
    for path, scenario, mismatches in checked:
        if mismatches:
            failed += 1
            print(f"{'ÉCHEC' if fr else 'FAIL'} {path}: {scenario.name}")
            for line in mismatches:
                print(f"  - {line}")
        else:
            passed += 1
            print(f"ok    {path}: {scenario.name}" if fr else f"ok   {path}: {scenario.name}")
    if fr:
        print(
            f"{passed} réussi{'s' if passed > 1 else ''}, {failed} échoué{'s' if failed > 1 else ''}"
        )
    else:
        print(f"{passed} passed, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


def _cohort_of(data: object) -> tuple[Dossier, ...]:
    """Dossiers from a JSON list, or an object whose ``"dossiers"`` is one: every problem."""
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    prefix = ""
    if isinstance(data, dict) and set(data) == {"dossiers"}:
        data, prefix = data["dossiers"], "dossiers"
    if not isinstance(data, list):
        msg = "expected a list of dossiers, or an object whose 'dossiers' is one"
        raise InvalidInput(msg)
    cohort: list[Dossier] = []
    problems: list[str] = []
    for n, item in enumerate(data):
        try:
            cohort.append(from_dict(item, Dossier))
        except InvalidInput as error:
            problems.extend(f"{prefix}[{n}].{problem}" for problem in error.problems)
    if problems:
        raise InvalidInput(*problems)
    return tuple(cohort)


def _dashboard(args: argparse.Namespace) -> int:
    from villes_label._dashboard import dashboard  # noqa: PLC0415

    rules, dossier = _rules_and_dossier(args.rules, args.dossier)
    cohort = None if args.cohort is None else _load(args.cohort, _cohort_of)
    board = dashboard(dossier, rules, cohort)
    if args.json:
        _print_json(board)
    else:
        print(board.report(args.lang))
    return EXIT_OK


# --- the parser ----------------------------------------------------------------------

# Every help text in both languages: (French, English). The help follows --lang too.
_HELP: dict[str, tuple[str, str]] = {
    "description": (
        (
            "Noter les territoires pour le label Territoires, Villes et Villages Internet. "
            "Les textes sont en français par défaut (--lang en pour l'anglais)."
        ),
        (
            "Score territories for the label Territoires, Villes et Villages Internet. "
            "Texts are in French by default (--lang en for English)."
        ),
    ),
    "lang": (
        "langue de tous les textes, aide comprise (défaut : fr)",
        "language of every text, help included (default: fr)",
    ),
    "version": ("afficher la version et quitter", "show the version and exit"),
    "help": ("afficher cette aide et quitter", "show this help message and exit"),
    "dossier": ("le fichier JSON d'un dossier", "the JSON file of a dossier"),
    "dossiers": ("les fichiers JSON des dossiers", "the JSON files of the dossiers"),
    "cohort": (
        "une liste JSON de dossiers ou du JSON Lines (un dossier par ligne) ; - : l'entrée standard",
        "a JSON list of dossiers or JSON Lines (one dossier a line); -: standard input",
    ),
    "files": ("les fichiers de scénarios", "the scenario files"),
    "demo": (
        "noter une commune d'exemple : évaluation, plan et feuille de route",
        "score a built-in sample commune: assessment, plan and roadmap",
    ),
    "taxonomy": (
        "afficher le référentiel (thèmes, enjeux, services)",
        "print the referential (themes, issues, services)",
    ),
    "taxonomy.json": ("l'afficher en JSON", "print it as JSON"),
    "taxonomy.services": ("lister chaque service", "list every service"),
    "taxonomy.population": (
        "ne garder que ce qui concerne un territoire de cette population",
        "keep only what concerns a territory of this population",
    ),
    "taxonomy.kind": (
        "... et de ce type (défaut : commune)",
        "... and of this kind (default: commune)",
    ),
    "rules": (
        "fichier des règles (défaut : celles du label pour l'année du dossier, 2016 sinon)",
        "rules file (default: the label's for the dossier's year, else 2016)",
    ),
    "score": ("évaluer un ou plusieurs dossiers", "assess one or more dossiers"),
    "score.json": (
        "afficher l'évaluation en JSON (raisons dans la langue choisie, score_percent)",
        "print the assessment as JSON (reasons in the chosen language, score_percent)",
    ),
    "plan": (
        "les services à déployer pour la note suivante, et ce que chacun change",
        "the services to deploy for the next grade, and what each changes",
    ),
    "target": ("note à atteindre (défaut : la suivante)", "grade to reach (default: next)"),
    "exclude": (
        "service à ne jamais proposer (répétable)",
        "service never to propose (repeatable)",
    ),
    "prefer": (
        "fewest : le moins d'étapes ; started : finir d'abord le prévu et le partiel",
        "fewest: the fewest steps; started: finish what is planned or partial first",
    ),
    "plan.json": ("afficher le plan en JSON", "print the plan as JSON"),
    "roadmap": (
        "le plan réparti sur des années, avec la note attendue chaque année",
        "the plan spread over years, with the grade expected each year",
    ),
    "years": ("horizon en années (défaut : 4)", "horizon in years (default: 4)"),
    "per-year": (
        "services par an au plus (défaut : juste assez pour l'horizon)",
        "services a year at most (default: just enough for the horizon)",
    ),
    "roadmap.json": ("afficher la feuille de route en JSON", "print the roadmap as JSON"),
    "questions": (
        "les questions à poser d'abord : services non déclarés qui compteraient le plus",
        "the questions to ask first: undeclared services that would matter most",
    ),
    "limit": ("combien de questions (défaut : 10)", "how many questions (default: 10)"),
    "questions.json": ("afficher les questions en JSON", "print the questions as JSON"),
    "grade": (
        "noter une cohorte (liste JSON ou JSON Lines, - pour l'entrée standard) en CSV ou JSON Lines",
        "grade a cohort (JSON list or JSON Lines, - for standard input) to CSV or JSON Lines",
    ),
    "output": (
        "fichier de sortie (défaut : la sortie standard)",
        "output file (default: standard output)",
    ),
    "format": ("format de sortie (défaut : csv)", "output format (default: csv)"),
    "progress": (
        "barre de progression sur la sortie d'erreur (défaut : si c'est un terminal)",
        "progress bar on standard error (default: when it is a terminal)",
    ),
    "check": (
        "vérifier des fichiers de scénarios (JSON ou TOML) avec les règles",
        "check scenario files (JSON or TOML) against the rules",
    ),
    "dashboard": (
        "le tableau de bord d'un territoire : note, plan, questions, pairs",
        "a territory's dashboard: grade, plan, questions, peers",
    ),
    "dashboard.cohort": (
        "dossiers où chercher les pairs (une liste JSON)",
        "dossiers to find peers in (a JSON list)",
    ),
    "dashboard.json": ("afficher le tableau de bord en JSON", "print the dashboard as JSON"),
}


def _titles(parser: argparse.ArgumentParser, lang: Lang) -> None:
    # argparse has no public way to name its groups; its own words stay English otherwise.
    if lang == "fr":
        parser._positionals.title = "arguments positionnels"  # noqa: SLF001
        parser._optionals.title = "options"  # noqa: SLF001


def _lang_of(argv: Sequence[str]) -> Lang:
    """The ``--lang`` that *argv* asks for, so that even ``--help`` follows it."""
    for n, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and n + 1 < len(argv):
            value = argv[n + 1]
        if value in _text.LANGS:
            return "en" if value == "en" else "fr"
    return "fr"


def _parser(lang: Lang = "fr") -> argparse.ArgumentParser:
    """The parser of ``villes-label``, its help in *lang*."""
    pick = 0 if lang == "fr" else 1

    def h(key: str) -> str:
        return _HELP[key][pick]

    parser = argparse.ArgumentParser(
        prog="villes-label", description=h("description"), add_help=False
    )
    parser.add_argument("-h", "--help", action="help", help=h("help"))
    _titles(parser, lang)
    parser.add_argument(
        "--version", action="version", version=f"villes-label {_version()}", help=h("version")
    )
    parser.add_argument("--lang", choices=_text.LANGS, default="fr", help=h("lang"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=h(name), description=h(name), add_help=False)
        sub.add_argument("-h", "--help", action="help", help=h("help"))
        _titles(sub, lang)
        # Also after the command; SUPPRESS keeps the value given before it.
        sub.add_argument("--lang", choices=_text.LANGS, default=argparse.SUPPRESS, help=h("lang"))
        sub.set_defaults(run=run)
        return sub

    def rules_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--rules", metavar="RULES.json", help=h("rules"))

    def plan_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--target", type=int, default=None, help=h("target"))
        sub.add_argument("--exclude", action="append", metavar="SERVICE", help=h("exclude"))
        sub.add_argument(
            "--prefer", choices=("fewest", "started"), default="fewest", help=h("prefer")
        )

    add("demo", _demo)

    taxonomy = add("taxonomy", _taxonomy)
    taxonomy.add_argument("--json", action="store_true", help=h("taxonomy.json"))
    taxonomy.add_argument("--services", action="store_true", help=h("taxonomy.services"))
    taxonomy.add_argument("--population", type=int, metavar="N", help=h("taxonomy.population"))
    taxonomy.add_argument(
        "--kind", choices=[kind.value for kind in TerritoryKind], help=h("taxonomy.kind")
    )
    rules_option(taxonomy)

    score = add("score", _score)
    score.add_argument("dossiers", nargs="+", metavar="DOSSIER.json", help=h("dossiers"))
    rules_option(score)
    score.add_argument("--json", action="store_true", help=h("score.json"))

    plan = add("plan", _plan)
    plan.add_argument("dossier", metavar="DOSSIER.json", help=h("dossier"))
    plan_options(plan)
    rules_option(plan)
    plan.add_argument("--json", action="store_true", help=h("plan.json"))

    road = add("roadmap", _roadmap)
    road.add_argument("dossier", metavar="DOSSIER.json", help=h("dossier"))
    plan_options(road)
    road.add_argument("--years", type=int, default=4, help=h("years"))
    road.add_argument("--per-year", type=int, default=None, metavar="K", help=h("per-year"))
    rules_option(road)
    road.add_argument("--json", action="store_true", help=h("roadmap.json"))

    questions = add("questions", _questions)
    questions.add_argument("dossier", metavar="DOSSIER.json", help=h("dossier"))
    questions.add_argument("--limit", type=int, default=10, help=h("limit"))
    rules_option(questions)
    questions.add_argument("--json", action="store_true", help=h("questions.json"))

    grade = add("grade", _grade)
    grade.add_argument("cohort", metavar="COHORT.json|.jsonl|-", help=h("cohort"))
    grade.add_argument("-o", "--output", metavar="FILE", help=h("output"))
    grade.add_argument("--format", choices=("csv", "jsonl"), default="csv", help=h("format"))
    grade.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help=h("progress")
    )
    rules_option(grade)

    check = add("check", _check)
    check.add_argument("files", nargs="+", metavar="SCENARIOS.json|.toml", help=h("files"))
    rules_option(check)

    board = add("dashboard", _dashboard)
    board.add_argument("dossier", metavar="DOSSIER.json")
    board.add_argument("--cohort", metavar="COHORT.json", help=h("dashboard.cohort"))
    rules_option(board)
    board.add_argument("--json", action="store_true", help=h("dashboard.json"))
    return parser


def _warn_refused_opt_outs(path: str, result: Assessment) -> None:
    """Say on stderr which not-applicable declarations the rules refused (they count as absent)."""
    for reason in result.reasons_of("opt-out-refused"):
        where = f"services.{reason.subject}: " if reason.subject else ""
        print(f"warning: {path}: {where}{reason.message}", file=sys.stderr)


def _tolerant_streams() -> None:
    # A console that cannot show a character (an accent on a Latin-1 terminal)
    # must not turn a valid report into a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _version() -> str:
    import villes_label  # noqa: PLC0415 - the version is read from the metadata on first use

    return str(villes_label.__version__)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status.

    0: done; 1: a scenario failed; 2: bad input (the problems are on stderr);
    3: an error of villes_label itself (a bug: please report it), never a traceback.
    """
    _tolerant_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(_lang_of(arguments))
    try:
        args = parser.parse_args(arguments)
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
    except RecursionError:
        print("error: the input is nested too deeply", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print("error: the input is too large for the memory of this machine", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - exit 1 means "a scenario failed": never crash with it
        print(
            f"internal error: {type(error).__name__}: {error} (this is a bug of villes_label; "
            "please report it with the command and its input)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return status


# --- the reference page --------------------------------------------------------------

_PAGE_HEAD = """\
# Command line

The console script `villes-label` (the same as `python -m villes_label`) is the only part
of the library that reads and writes files. Every text it prints is in one language,
chosen with `--lang fr` (the default: the label's jury and collectivités read French) or
`--lang en`, given before or after the command; the help follows it too
(`villes-label --help` in French, `villes-label --lang en --help` in English).

Exit status: 0 when all went well, 1 when a scenario of `check` fails, 2 on bad input
(every problem on standard error, one a line, with its file and path) or a usage error.
A file of the wrong kind is named as such (`this file holds a dossier; --rules expects a
ruleset`), and so are an empty file and a YAML file.

This page is generated from the parser (`villes_label.cli._reference_page()`); a test
checks that it is up to date.
"""

_PAGE_NOTES = {
    "score": """\
With `--json`, the assessment as JSON: exact fractions as strings, the reasons' messages
in the chosen language, the names beside the ids (`names`, `mention_names`), and floats
for people and charts: `score_percent`, `projected_score_percent`, `themes_percent` and
`issues_percent` (points out of 100, rounded to 2 decimals). `vl.from_dict(data,
vl.Assessment)` reads it back once the `*_percent` keys are left out. Several files print
one report each, or a JSON list.
""",
    "taxonomy": """\
With `--population` and/or `--kind`, only the services that concern a territory of that
size and kind under the rules (their applicability), for example
`villes-label taxonomy --population 300 --kind commune`.
""",
    "plan": """\
Each step says what it does to each failing condition of the target's rule, such as
`enjeu Démocratie locale 31,2 → 43,8 (50,0 requis)`. In JSON, each exact fraction (`gain`,
`score`, `required`, `before`, `after`) has a float `<key>_percent` beside it (points out of
100); `vl.from_dict` reads the plan back once they are left out. The same holds for
`roadmap --json`.
""",
    "roadmap": """\
The plan spread over years from the dossier's year plus one, with the grade expected at
the end of each; when the target needs more years than `--years`, the roadmap goes on to
the earliest year it is reached and says so.
""",
    "grade": """\
One row per dossier, in the cohort's order, with the columns `code`, `name`, `grade`,
`score` (the exact fraction, such as `295/576`), `score_percent` (the score in points out
of 100, a float rounded to 2 decimals) and `mentions` (the ids of the mentions awarded,
separated by spaces). The cohort is a JSON list of dossiers or JSON Lines (one dossier a
line); `-` reads standard input. Every bad entry is reported with its index or line
number, and nothing is written. See {doc}`../how-to/score-a-file-of-dossiers`.
""",
}


def _rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:  # noqa: SLF001 - argparse lists its actions nowhere else
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            continue
        if action.option_strings:
            names = ", ".join(f"`{option}`" for option in action.option_strings)
            if action.choices:
                names += " `{" + ",".join(map(str, action.choices)) + "}`"
            elif action.metavar:
                names += f" `{action.metavar}`"
        else:
            names = f"`{action.metavar or action.dest}`"
        # A pipe inside a table cell, even in code, must be escaped.
        cell = names.replace("|", "\\|")
        rows.append(f"| {cell} | {action.help or 'the file to read'} |")
    return rows


def _one_line(usage: str) -> str:
    # argparse wraps the usage to the terminal's width: the page must not depend on it.
    return " ".join(usage.split())


def _reference_page() -> str:
    """The command-line reference page (``docs/reference/cli.md``), from the parser."""
    parser = _parser("en")
    parts = [_PAGE_HEAD]
    parts.append(
        "## `villes-label`\n\n```text\n"
        + _one_line(parser.format_usage())
        + "\n```\n\n| option | what it does |\n| --- | --- |\n"
        + "\n".join(_rows(parser))
        + "\n"
    )
    for action in parser._actions:  # noqa: SLF001
        if not isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            continue
        for name, sub in action.choices.items():
            description = sub.description or ""
            text = (
                f"## `villes-label {name}`\n\n{description[:1].upper()}{description[1:]}.\n\n"
                f"```text\n{_one_line(sub.format_usage())}\n```\n\n"
                "| argument | what it does |\n| --- | --- |\n" + "\n".join(_rows(sub)) + "\n"
            )
            if name in _PAGE_NOTES:
                text += "\n" + _PAGE_NOTES[name]
            parts.append(text)
    return "\n".join(parts)
