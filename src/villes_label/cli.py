"""The command line: the only part of villes_label that touches files.

``villes-label`` (or ``python -m villes_label``) ``demo | taxonomy | score |
plan | roadmap | questions | grade | check | dashboard``, every text in one
language (``--lang fr``, the default, or ``en``): the reports, the help and
argparse's own words, the warnings and the errors. Without ``--rules``, each
dossier is assessed with the built-in rules of its own year. Bad input prints
its problems on stderr and exits with status 2, and so does output that cannot be
written; a failing scenario exits with status 1. A JSON object that gives a key twice is bad input: a JSON reader
would keep one of the values and drop the others silently.
"""

from __future__ import annotations

import argparse
import csv
import decimal
import errno
import fractions
import io
import json
import math
import os
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar, cast

from villes_label import _text, referential
from villes_label._errors import MAX_PROBLEMS, InvalidInput, MoreProblems, Problem, unknown_id
from villes_label._rules import Ruleset
from villes_label._scoring import Assessment, assess
from villes_label._territory import Dossier, Territory, TerritoryKind
from villes_label.referential import default_ruleset, sample_dossier

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from fractions import Fraction

    from villes_label._text import Lang

T = TypeVar("T")

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


# --- the words of the command line ---------------------------------------------------

# Every sentence the command line says itself, as (French, English) templates. A path
# ahead of a message stays ``FILE: `` in both languages (``d.json: services.x: ...``), as
# compilers write it, so that editors and scripts find the place; French typography
# (a space before a colon) is in the words around it. The problems found inside a
# file's data are the library's `InvalidInput` messages, in English in both languages.
_SAY: dict[str, tuple[str, str]] = {
    "error": ("erreur : ", "error: "),
    "warning": ("avertissement : ", "warning: "),
    "internal": (
        (
            "erreur interne : {kind} : {error} (c'est un bogue de villes_label ; "
            "merci de le signaler avec la commande et ses données)"
        ),
        (
            "internal error: {kind}: {error} (this is a bug of villes_label; "
            "please report it with the command and its input)"
        ),
    ),
    "too-deep": (
        "les données sont imbriquées trop profondément",
        "the input is nested too deeply",
    ),
    "too-large": (
        "les données sont trop grandes pour la mémoire de cette machine",
        "the input is too large for the memory of this machine",
    ),
    "no-file": ("{path}: aucun fichier de ce nom", "{path}: no such file"),
    "unwritable": ("{path}: impossible d'écrire ({why})", "{path}: cannot be written ({why})"),
    "stdout-unwritable": (
        "impossible d'écrire sur la sortie standard ({why})",
        "cannot write to standard output ({why})",
    ),
    "no-folder": ("le répertoire {folder} n'existe pas", "there is no folder {folder}"),
    "is-folder": ("c'est un répertoire, pas un fichier", "it is a folder, not a file"),
    "not-folder": (
        "un élément du chemin n'est pas un répertoire",
        "a part of the path is not a folder",
    ),
    "denied": ("permission refusée", "permission denied"),
    "full": ("plus de place sur le périphérique", "no space left on the device"),
    "read-only": ("système de fichiers en lecture seule", "read-only file system"),
    "unreadable": ("{path}: illisible ({why})", "{path}: cannot be read ({why})"),
    "not-utf8": (
        "{path}: ce n'est pas du texte UTF-8 (octet {byte})",
        "{path}: not UTF-8 text (byte {byte})",
    ),
    "empty": (
        "{path}: le fichier est vide (un document {format} était attendu)",
        "{path}: the file is empty (a {format} document was expected)",
    ),
    "empty-cohort": (
        "{path}: le fichier est vide (une liste JSON ou du JSON Lines de dossiers était attendu)",
        "{path}: the file is empty (a JSON list or JSON Lines of dossiers was expected)",
    ),
    "yaml": (
        (
            "{path}: ce fichier semble écrit en YAML ; villes-label lit du JSON "
            "(et du TOML pour les fichiers de scénarios)"
        ),
        "{path}: this looks like YAML; villes-label reads JSON (and TOML for scenario files)",
    ),
    "bad-json": ("{path}: JSON invalide ({why})", "{path}: not valid JSON ({why})"),
    "bad-json-at": (
        "{path}: JSON invalide ({why}, ligne {line}, colonne {column})",
        "{path}: not valid JSON ({why} at line {line}, column {column})",
    ),
    "bad-toml": ("{path}: TOML invalide ({why})", "{path}: not valid TOML ({why})"),
    "digits": ("un nombre a trop de chiffres", "a number has too many digits"),
    "inexact": (
        (
            "le nombre {text} ne peut être lu tel qu'il est écrit (un flottant le ferait "
            '{value}) ; une fraction exacte s\'écrit entre guillemets, comme "7/12" ou "0.35"'
        ),
        (
            "the number {text} cannot be read as written (a float would make it {value}); "
            'an exact fraction is written as a string, such as "7/12" or "0.35"'
        ),
    ),
    "nested": (
        "{path}: {format} imbriqué trop profondément",
        "{path}: {format} nested too deeply",
    ),
    "repeated": (
        (
            "{where}: clé donnée {count} fois (un objet JSON nomme chaque clé une fois ; "
            "seule la dernière valeur serait gardée)"
        ),
        (
            "{where}: key given {count} times "
            "(a JSON object names each key once; only the last value would be kept)"
        ),
    ),
    "holds": (
        "{path}: ce fichier contient {holds} ; {where} attend {wanted}",
        "{path}: this file holds {holds}; {where} expects {wanted}",
    ),
    "entry-holds": (
        "{path}: cette entrée contient {holds} ; {where} attend {wanted}",
        "{path}: this entry holds {holds}; {where} expects {wanted}",
    ),
    "more-problem": ("et 1 autre problème", "and 1 more problem"),
    "more-problems": ("et {count} autres problèmes", "and {count} more problems"),
    "more-unknown": (
        "et {count} autres identifiants de services inconnus",
        "and {count} more unknown service ids",
    ),
    "list-expected": (
        "{path}: COHORTE attend une liste JSON de dossiers ou du JSON Lines (un dossier par ligne)",
        "{path}: COHORT expects a JSON list of dossiers or JSON Lines (one dossier a line)",
    ),
    "cohort-expected": (
        "une liste de dossiers était attendue, ou un objet dont « dossiers » est une telle liste",
        "expected a list of dossiers, or an object whose 'dossiers' is one",
    ),
    "no-rules-of-year": (
        (
            "pas de règles intégrées pour {year} (années intégrées : {known}) : "
            "les règles de {used} sont utilisées"
        ),
        "no built-in rules for {year} (built-in years: {known}): using the rules of {used}",
    ),
    "year-mismatch": (
        "{path}: le dossier est de {year} mais les règles sont celles de {rules}",
        "{path}: the dossier is of {year} but the rules are those of {rules}",
    ),
    "years-mismatch": (
        "{path}: {count} dossiers sont de {year} mais les règles sont celles de {rules}",
        "{path}: {count} dossiers are of {year} but the rules are those of {rules}",
    ),
    "year-mismatch-one": (
        "{path}: 1 dossier est de {year} mais les règles sont celles de {rules}",
        "{path}: 1 dossier is of {year} but the rules are those of {rules}",
    ),
}

# What a file holds, told by the keys of its data (the first match wins), and its name.
_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("assessment", frozenset({"grade", "score", "projected_score"})),
    ("ruleset", frozenset({"grades", "taxonomy"})),
    ("dossier", frozenset({"territory", "year"})),
    ("taxonomy", frozenset({"themes", "version"})),
    ("scenarios", frozenset({"scenarios"})),
    ("plan", frozenset({"target", "reachable"})),
)
_KIND_NAMES: dict[str, tuple[str, str]] = {
    "assessment": ("une évaluation", "an assessment"),
    "ruleset": ("des règles", "a ruleset"),
    "dossier": ("un dossier", "a dossier"),
    "taxonomy": ("un référentiel", "a taxonomy"),
    "scenarios": ("des scénarios", "scenarios"),
    "plan": ("un plan", "a plan"),
    "cohort": ("des dossiers (une cohorte)", "dossiers (a cohort)"),
    "dossiers": ("des dossiers", "dossiers"),
}

# The placeholders of the usage (metavars): the French ones where the English differ.
_METAVARS_FR = {
    "COMMAND": "COMMANDE",
    "RULES.json": "RÈGLES.json",
    "FILE": "FICHIER",
    "COHORT": "COHORTE",
    "COHORT.json": "COHORTE.json",
    "COHORT.json|.jsonl|-": "COHORTE.json|.jsonl|-",
    "SCENARIOS": "SCÉNARIOS",
    "SCENARIOS.json|.toml": "SCÉNARIOS.json|.toml",
    "TARGET": "NOTE",
    "YEARS": "ANNÉES",
    "LIMIT": "NOMBRE",
}

# The messages of Python's JSON reader, in French.
_JSON_FR = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": (
        "nom de clé entre guillemets droits attendu"
    ),
    "Expecting ':' delimiter": "séparateur « : » attendu",
    "Expecting ',' delimiter": "séparateur « , » attendu",
    "Extra data": "données en trop après le document",
    "Unterminated string starting at": "chaîne non terminée",
    "Invalid control character at": "caractère de contrôle interdit",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    "Illegal trailing comma before end of object": "virgule en trop avant la fin de l'objet",
    "Illegal trailing comma before end of array": "virgule en trop avant la fin de la liste",
}


def _say(lang: Lang, key: str, **fields: object) -> str:
    """The sentence *key* of `_SAY` in *lang*, with its *fields*."""
    return _SAY[key][0 if lang == "fr" else 1].format(**fields)


def _kind_name(kind: str, lang: Lang) -> str:
    return _KIND_NAMES[kind][0 if lang == "fr" else 1]


def _metavar(name: str, lang: Lang) -> str:
    """The placeholder *name* of the usage in *lang* (``FILE``, ``FICHIER``)."""
    return _METAVARS_FR.get(name, name) if lang == "fr" else name


def _warn(lang: Lang, message: str) -> None:
    print(_say(lang, "warning") + message, file=sys.stderr)


def _carried(error: InvalidInput) -> list[Problem]:
    """The problems of *error*, those it only counts kept as a count (`MoreProblems`)."""
    found = list(error.details)
    if error.more:
        found.append(MoreProblems((), "", error.more))
    return found


def _under(prefix: str, problems: Iterable[str | Problem]) -> list[Problem]:
    """*problems*, each after *prefix* (such as ``FILE: ``); the counted ones stay counted."""
    return [
        problem if isinstance(problem, MoreProblems) else Problem((), f"{prefix}{problem}")
        for problem in problems
    ]


# --- reading files -------------------------------------------------------------------


class _Repeated(dict[str, Any]):
    """A JSON object that names a key more than once; ``repeated`` counts each such key."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts = Counter(key for key, _ in pairs)
        self.repeated = {key: count for key, count in counts.items() if count > 1}


def _repeated_keys(data: object, lang: Lang) -> list[str]:
    """A problem for each key that an object of *data* repeats, with its path."""
    problems: list[str] = []
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node, _Repeated):
                problems.extend(
                    _say(lang, "repeated", where=_join(path, key), count=count)
                    for key, count in node.repeated.items()
                )
            stack.extend((_join(path, key), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((f"{path}[{n}]", item) for n, item in enumerate(node))
    return sorted(problems)


class _Inexact(float):
    """A number of a file that no float holds as written.

    ``1e-400`` (read as 0.0), ``1e400`` (infinity), ``0.58333333333333333333``
    (0.5833333333333334). Its value is NaN, which the library refuses at its
    path: nothing is computed from it (a rule "laxer" than the one before).
    """

    __slots__ = ("read_as", "text")
    read_as: str
    text: str


def _read_float(text: str) -> float:
    """The float of the number *text* of a JSON or TOML file, marked `_Inexact` if not as written.

    A float is read through its shortest repr (``0.1`` is ``1/10``): a number
    is accepted only when that repr is the number written, so that nothing
    turns silently into zero, infinity or a rounded neighbour. TOML's ``inf``
    and ``nan`` are left to the library, which refuses them.
    """
    value = float(text)
    if text.lstrip("+-").lower() in {"inf", "nan"}:
        return value
    try:
        exact = math.isfinite(value) and decimal.Decimal(text) == decimal.Decimal(repr(value))
    except decimal.InvalidOperation:  # an exponent beyond any Decimal's
        exact = False
    if exact:
        return value
    marked = _Inexact("nan")
    marked.text, marked.read_as = text, repr(value)
    return marked


def _inexact_numbers(data: object, lang: Lang) -> list[Problem]:
    """A problem for each number of *data* that is not read as written, at its path."""
    problems: list[Problem] = []
    stack: list[tuple[tuple[str | int, ...], object]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, _Inexact):
            text = node.text if len(node.text) <= _LONGEST_NUMBER else node.text[:40] + "..."
            message = _say(lang, "inexact", text=text, value=node.read_as)
            problems.append(Problem(path, message))
        elif isinstance(node, dict):
            stack.extend(((*path, key), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend(((*path, n), item) for n, item in enumerate(node))
    return sorted(problems, key=str)


_LONGEST_NUMBER = 60


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _number_problem(error: ValueError, lang: Lang) -> str:
    # Python refuses to read an integer of more than 4300 digits (a guard
    # against denial of service), with a message meant for programmers.
    if "integer string conversion" in str(error):
        return _say(lang, "digits")
    return str(error)


def _read_text(path: str, lang: Lang) -> str:
    """The UTF-8 text of the file *path* (``-``: standard input)."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(_say(lang, "no-file", path=path)) from None
    except OSError as error:
        why = error.strerror or error
        raise InvalidInput(_say(lang, "unreadable", path=path, why=why)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(_say(lang, "not-utf8", path=path, byte=error.start)) from None


class _OutputError(Exception):
    """Standard output could not be written (the disk is full, the device refuses)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


class _GuardedOutput:
    """Standard output, whose failures to write are `_OutputError`s: the user's, not a bug.

    A reader that has gone (``| head``) is no failure: `BrokenPipeError` passes as it is.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _OutputError(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _OutputError(error) from None

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - any attribute of the stream
        return getattr(self._stream, name)


_OS_REASONS = {
    errno.EISDIR: "is-folder",
    errno.ENOTDIR: "not-folder",
    errno.EACCES: "denied",
    errno.EPERM: "denied",
    errno.ENOSPC: "full",
    errno.EROFS: "read-only",
}


def _unwritable(path: str, error: OSError, lang: Lang) -> str:
    """Why the output *path* (``-``: standard output) could not be written, in *lang*."""
    if error.errno == errno.ENOENT and path != "-":
        why = _say(lang, "no-folder", folder=Path(path).parent)
    elif error.errno in _OS_REASONS:
        why = _say(lang, _OS_REASONS[error.errno])
    else:
        why = str(error.strerror or error)
    if path == "-":
        return _say(lang, "stdout-unwritable", why=why)
    return _say(lang, "unwritable", path=path, why=why)


def _silence_stdout() -> None:
    """Send what is left of the process's standard output to the null device.

    Python flushes standard output once more on exit: output that could not
    be written would then fail again, with a traceback-like message.
    """
    real = sys.__stdout__
    if real is None or sys.stdout is not real:
        return  # a stream that a caller has put there (a test): theirs to handle
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, real.fileno())
    except (OSError, ValueError):
        return


def _looks_like_yaml(path: str, text: str) -> bool:
    if Path(path).suffix.lower() in {".yaml", ".yml"}:
        return True
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("#"):
        return False
    return first == "---" or (
        first[:1] not in {"{", "[", '"'} and ":" in first and not first.startswith("[")
    )


def _parse_json(path: str, text: str, lang: Lang) -> tuple[Any, list[str | Problem]]:
    """Parse JSON *text* of *path*: its data, the keys it repeats and its inexact numbers.

    See `_read`.
    """
    if not text.strip():
        raise InvalidInput(_say(lang, "empty", path=path, format="JSON"))
    marked: list[_Repeated] = []
    inexact: list[float] = []

    def read_float(number: str) -> float:
        value = _read_float(number)
        if type(value) is _Inexact:
            inexact.append(value)
        return value

    def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # json.loads keeps the last value of a repeated key and drops the others
        # silently: such objects are marked, to be reported with their paths.
        if len({key for key, _ in pairs}) == len(pairs):
            return dict(pairs)
        marked.append(_Repeated(pairs))
        return marked[-1]

    try:
        data = json.loads(text, object_pairs_hook=json_object, parse_float=read_float)
    except json.JSONDecodeError as error:
        if _looks_like_yaml(path, text):
            raise InvalidInput(_say(lang, "yaml", path=path)) from None
        why = _JSON_FR.get(error.msg, error.msg) if lang == "fr" else error.msg
        msg = _say(lang, "bad-json-at", path=path, why=why, line=error.lineno, column=error.colno)
        raise InvalidInput(msg) from None
    except ValueError as error:
        why = _number_problem(error, lang)
        raise InvalidInput(_say(lang, "bad-json", path=path, why=why)) from None
    except RecursionError:
        raise InvalidInput(_say(lang, "nested", path=path, format="JSON")) from None
    problems: list[str | Problem] = []
    if marked:
        problems.extend(_repeated_keys(data, lang))
    if inexact:
        problems.extend(_inexact_numbers(data, lang))
    return data, problems


def _read(path: str, lang: Lang) -> tuple[Any, list[str | Problem]]:
    """Read a JSON (or, by its suffix, TOML) file: its data and the problems of its text.

    A file that cannot be read or parsed raises `InvalidInput`; an empty file
    and a YAML file are named as such. A JSON object that repeats a key keeps
    its last value in the data, and each repeated key is a problem, so that
    the problems of the data are reported beside them. So is a number that no
    float holds as written (``1e-400``, ``1e400``, ``0.58333333333333333333``),
    at its path: the library would read the float, zero, infinity or a rounded
    neighbour.
    """
    text = _read_text(path, lang)
    if Path(path).suffix.lower() == ".toml":
        if not text.strip():
            raise InvalidInput(_say(lang, "empty", path=path, format="TOML"))
        try:
            data = tomllib.loads(text, parse_float=_read_float)
            return data, list(_inexact_numbers(data, lang))
        except tomllib.TOMLDecodeError as error:
            # tomllib's own message (English) is quoted as it is.
            raise InvalidInput(_say(lang, "bad-toml", path=path, why=error)) from None
        except ValueError as error:
            why = _number_problem(error, lang)
            raise InvalidInput(_say(lang, "bad-toml", path=path, why=why)) from None
        except RecursionError:
            raise InvalidInput(_say(lang, "nested", path=path, format="TOML")) from None
    return _parse_json(path, text, lang)


def _holds(data: object) -> str | None:
    """What kind of document *data* is, when its keys tell (a key of `_KIND_NAMES`)."""
    if isinstance(data, list):
        if data and all(isinstance(item, dict) for item in data):
            kinds = {_holds(item) for item in data}
            if kinds == {"dossier"}:
                return "cohort"
            if all("dossier" in item and "name" in item for item in data):
                return "scenarios"
        return None
    if not isinstance(data, dict):
        return None
    keys = set(data)
    return next((kind for kind, needed in _KINDS if needed <= keys), None)


def _wrong_kind(
    path: str,
    data: object,
    expected: tuple[str, str],
    lang: Lang,
    *,
    entry: bool = False,
) -> str | None:
    """The problem of a file (or of an *entry* of a cohort) that holds another kind.

    *expected* is the kind it should hold and where it was given; an entry of a
    cohort should hold a dossier, and the cohort expects dossiers.
    """
    holds = _holds(data)
    wanted, where = expected
    if holds is None or holds == wanted:
        return None
    return _say(
        lang,
        "entry-holds" if entry else "holds",
        path=path,
        holds=_kind_name(holds, lang),
        where=_metavar(where, lang),
        wanted=_kind_name("dossiers" if entry else wanted, lang),
    )


def _load(
    path: str,
    build: Callable[[object], T],
    lang: Lang,
    expected: tuple[str, str] | None = None,
) -> T:
    """Build a value from the data of the file *path*: every problem of it, with its name.

    *expected* is what the file should hold (a key of `_KIND_NAMES`) and where it
    was given, such as ``("ruleset", "--rules")``: a file of another kind is
    named as such instead of listing the fields it lacks.
    """
    data, repeated = _read(path, lang)
    problems: list[str | Problem] = list(repeated)
    # An inexact number is said once: not again as the library's problem of its value.
    inexact = {problem.path for problem in repeated if isinstance(problem, Problem)}
    try:
        value = build(data)
    except InvalidInput as error:
        wrong = None if expected is None else _wrong_kind(path, data, expected, lang)
        if wrong is not None:
            raise InvalidInput(wrong) from None
        problems.extend(p for p in _carried(error) if not (p.path and p.path in inexact))
    if problems:
        raise InvalidInput(*_under(f"{path}: ", problems))
    return value


def _structurer(cls: type[T]) -> Callable[[object], T]:
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    return lambda data: from_dict(data, cls)


_RULES = ("ruleset", "--rules")
_DOSSIER = ("dossier", "DOSSIER")


def _rules(path: str | None, lang: Lang) -> Ruleset:
    if path is None:
        return default_ruleset()
    return _load(path, _structurer(Ruleset), lang, _RULES)


def _rules_file(path: str | None, lang: Lang, problems: list[str | Problem]) -> Ruleset | None:
    """The rules of the file *path* (None without it); its problems go to *problems*."""
    if path is None:
        return None
    try:
        return _rules(path, lang)
    except InvalidInput as error:
        problems.extend(_carried(error))
        return None


class _RulesOfYear:
    """The built-in rules of each year asked, read once; the default rules for another year.

    A year without built-in rules is said once on stderr, whatever the number
    of dossiers of that year.
    """

    __slots__ = ("chosen", "lang")

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.chosen: dict[int, Ruleset] = {}

    def __call__(self, year: int) -> Ruleset:
        rules = self.chosen.get(year)
        if rules is None:
            if year in referential.years():
                rules = referential.ruleset(year)
            else:
                rules = default_ruleset()
                known = ", ".join(map(str, referential.years()))
                _warn(
                    self.lang,
                    _say(self.lang, "no-rules-of-year", year=year, known=known, used=rules.year),
                )
            self.chosen[year] = rules
        return rules


def _warn_years(
    path: str, counts: Mapping[int, int], used: Mapping[int, Ruleset], lang: Lang
) -> None:
    """Say on stderr how many dossiers of *path* (*counts* by year) have rules of another year."""
    for year, count in sorted(counts.items()):
        rules = used[year]
        if rules.year != year:
            key = "year-mismatch-one" if count == 1 else "years-mismatch"
            _warn(lang, _say(lang, key, path=path, count=count, year=year, rules=rules.year))


def _rules_and_dossiers(
    rules_path: str | None, dossier_paths: Sequence[str], lang: Lang
) -> list[tuple[str, Dossier, Ruleset]]:
    """Each dossier with its path and its rules, with the problems of every file at once.

    Without *rules_path*, each dossier gets the built-in rules of its own year
    (the default ones, said on stderr, for a year that has none). Rules of
    another year than a dossier's are used, with a warning on stderr.
    """
    problems: list[str | Problem] = []
    rules = _rules_file(rules_path, lang, problems)
    read: list[tuple[str, Dossier]] = []
    for path in dossier_paths:
        try:
            read.append((path, _load(path, _dossier_reader(rules, lang), lang, _DOSSIER)))
        except InvalidInput as error:
            problems.extend(_carried(error))
    if problems:
        raise InvalidInput(*problems)
    of_year = _RulesOfYear(lang)
    chosen = [
        (path, dossier, of_year(dossier.year) if rules is None else rules) for path, dossier in read
    ]
    for path, dossier, used in chosen:
        if dossier.year != used.year:
            _warn(
                lang,
                _say(lang, "year-mismatch", path=path, year=dossier.year, rules=used.year),
            )
    return chosen


def _rules_and_dossier(
    rules_path: str | None, dossier_path: str, lang: Lang
) -> tuple[Ruleset, Dossier]:
    """The rules and the dossier, with the problems of both files at once."""
    ((_, dossier, rules),) = _rules_and_dossiers(rules_path, [dossier_path], lang)
    return rules, dossier


def _dossier_reader(rules: Ruleset | None, lang: Lang) -> Callable[[object], Dossier]:
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
            found = _unknown_ids(data, against.taxonomy.service_ids, lang)
            seen = {problem.path for problem in error.details}
            extra = [problem for problem in found if problem.path not in seen]
            raise InvalidInput(*error.details, *extra, more=error.more) from None

    return read


def _unknown_ids(data: object, known: frozenset[str], lang: Lang) -> list[Problem]:
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
        found.append(MoreProblems((), _say(lang, "more-unknown", count=count), count))
    return found


def _assessed(path: str, dossier: Dossier, rules: Ruleset) -> Assessment:
    """Assess *dossier*, read from *path*: its ids unknown to the rules are problems of that file."""
    try:
        return assess(dossier, rules)
    except InvalidInput as error:
        raise InvalidInput(*_under(f"{path}: ", _carried(error))) from None


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


_PROBLEM_PLACE = re.compile(r"(?P<name>\w+)(?:\[\d+\])?: ")


def _options(run: Callable[[], T], **options: str) -> T:
    """``run()``, its problems about the values of the command line named by their options.

    The library names a bad argument by its parameter (``target: 9 is outside
    0..5``); people typed an option (``--target: 9 is outside 0..5``).
    """
    try:
        return run()
    except InvalidInput as error:
        problems: list[str | Problem] = []
        for problem in _carried(error):
            text = str(problem)
            found = _PROBLEM_PLACE.match(text)
            if isinstance(problem, MoreProblems) or found is None or found["name"] not in options:
                problems.append(problem)
            else:
                problems.append(f"{options[found['name']]}: {text[found.end() :]}")
        raise InvalidInput(*problems) from None


def _plan_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"exclude": tuple(args.exclude or ()), "prefer": args.prefer}


# --- the commands --------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from villes_label._plans import recommend  # noqa: PLC0415
    from villes_label._roadmap import roadmap  # noqa: PLC0415

    dossier = sample_dossier()
    rules = _RulesOfYear(args.lang)(dossier.year)
    result = assess(dossier, rules)
    print(result.explain(args.lang))
    print()
    plan = recommend(dossier, rules)
    print(plan.explain(args.lang))
    print()
    # The next grade is one step away: the roadmap shows the way to the top one.
    top = max(rule.arobases for rule in rules.grades)
    print(roadmap(dossier, rules, top, years=4, per_year=1).explain(args.lang))
    return EXIT_OK


_SERVICES = ("service", "services")


def _taxonomy(args: argparse.Namespace) -> int:
    rules = _rules(args.rules, args.lang)
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
        population = args.population or 0
        territory = _options(
            lambda: Territory(code=code, name="?", kind=kind, population=population),
            population="--population",
        )
    concerned = [
        s for s in taxonomy.services if territory is None or rules.concerns(s.id, territory)
    ]
    if args.json:
        print(_json_text([{"id": s.id, "name": s.name} for s in concerned]))
        return EXIT_OK
    ids = {s.id for s in concerned}
    sizes = (
        (len(taxonomy.themes), ("thème", "thèmes") if fr else ("theme", "themes")),
        (len(taxonomy.issues), ("enjeu", "enjeux") if fr else ("issue", "issues")),
        (len(taxonomy.services), _SERVICES),
    )
    counts = ", ".join(_count(count, forms, lang) for count, forms in sizes)
    print(f"{taxonomy.name} {taxonomy.version}{_text.colon(lang)} {counts}")
    if territory is not None:
        who = (
            f"{_text.kind_word(territory.kind, lang)} de "
            f"{_text.population(territory.population, lang)}"
            if fr
            else f"{_text.kind_word(territory.kind, lang)} of "
            f"{_text.population(territory.population, lang)}"
        )
        print(
            f"Services qui concernent une {who} : {len(concerned)} sur {len(taxonomy.services)}"
            if fr
            else f"Services concerning a {who}: {len(concerned)} of {len(taxonomy.services)}"
        )
    for theme in taxonomy.themes:
        print(f"{theme.name} [{theme.id}]")
        for issue in theme.issues:
            count = sum(1 for service in issue.services if service.id in ids)
            print(f"  {issue.name} [{issue.id}] — {_count(count, _SERVICES, lang)}")
            if args.services or territory is not None:
                for service in issue.services:
                    if service.id in ids:
                        print(f"    - {service.name} [{service.id}]")
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    read = _rules_and_dossiers(args.rules, args.dossiers, args.lang)
    results = [_assessed(path, dossier, rules) for path, dossier, rules in read]
    for (path, _, _), result in zip(read, results, strict=True):
        _warn_refused_opt_outs(path, result, args.lang)
    if args.json:
        data = [_assessment_data(result, args.lang) for result in results]
        print(_json_text(data[0] if len(data) == 1 else data))
        return EXIT_OK
    print("\n\n".join(result.explain(args.lang) for result in results))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from villes_label._plans import recommend  # noqa: PLC0415
    from villes_label._serialize import to_dict  # noqa: PLC0415 - cattrs loads lazily

    rules, dossier = _rules_and_dossier(args.rules, args.dossier, args.lang)
    result = _assessed(args.dossier, dossier, rules)  # the dossier's problems, with its path
    plan = _options(
        lambda: recommend(dossier, rules, target=args.target, **_plan_options(args)),
        target="--target",
        exclude="--exclude",
    )
    _warn_refused_opt_outs(args.dossier, result, args.lang)
    if args.json:
        print(_json_text(_with_percents(to_dict(plan))))
    else:
        print(plan.explain(args.lang))
    return EXIT_OK


def _roadmap(args: argparse.Namespace) -> int:
    from villes_label._roadmap import roadmap  # noqa: PLC0415
    from villes_label._serialize import to_dict  # noqa: PLC0415 - cattrs loads lazily

    rules, dossier = _rules_and_dossier(args.rules, args.dossier, args.lang)
    result = _assessed(args.dossier, dossier, rules)
    road = _options(
        lambda: roadmap(
            dossier,
            rules,
            args.target,
            years=args.years,
            per_year=args.per_year,
            **_plan_options(args),
        ),
        target="--target",
        exclude="--exclude",
        years="--years",
        per_year="--per-year",
    )
    _warn_refused_opt_outs(args.dossier, result, args.lang)
    if args.json:
        print(_json_text(_with_percents(to_dict(road))))
    else:
        print(road.explain(args.lang))
    return EXIT_OK


def _questions(args: argparse.Namespace) -> int:
    from villes_label._plans import next_questions  # noqa: PLC0415

    rules, dossier = _rules_and_dossier(args.rules, args.dossier, args.lang)
    result = _assessed(args.dossier, dossier, rules)
    asked = _options(lambda: next_questions(dossier, rules, limit=args.limit), limit="--limit")
    _warn_refused_opt_outs(args.dossier, result, args.lang)
    taxonomy = rules.taxonomy
    if args.json:
        print(_json_text([{"id": sid, "name": taxonomy.service(sid).name} for sid in asked]))
        return EXIT_OK
    if not asked and args.limit == 0:
        # Not "no question": none was asked for (the library takes a limit of 0).
        print(
            "Aucune question affichée (--limit 0)."
            if args.lang == "fr"
            else "No question shown (--limit 0)."
        )
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


def _cohort(
    path: str, entries: list[tuple[str, Any]], problems: list[str | Problem], lang: Lang
) -> list[tuple[str, Dossier]]:
    """The dossiers of a cohort file (a JSON list, or JSON Lines: one dossier a line).

    Each with where it is: ``[n]`` in a list, ``:line`` in JSON Lines. One dossier
    written over several lines is a cohort of one; another document (a ruleset, an
    object of another shape) is named as such instead of a problem for each line.
    """
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    dossiers: list[tuple[str, Dossier]] = []
    for where, item in entries:
        try:
            dossiers.append((where, from_dict(item, Dossier)))
        except InvalidInput as error:
            wrong = _wrong_kind(f"{path}{where}", item, _ENTRY, lang, entry=True)
            if wrong is not None:
                problems.append(wrong)
            else:
                problems.extend(_under(f"{path}{where}: ", _carried(error)))
    if problems:
        raise InvalidInput(*problems)
    return dossiers


def _cohort_entries(path: str, lang: Lang) -> tuple[list[tuple[str, Any]], list[str | Problem]]:
    """The parsed entries of a cohort file, each with where it is, and the parsing problems."""
    text = _read_text(path, lang)
    if not text.strip():
        raise InvalidInput(_say(lang, "empty-cohort", path=path))
    stripped = text.lstrip()
    entries: list[tuple[str, Any]] = []
    problems: list[str | Problem] = []
    if stripped.startswith("["):
        data, repeated = _parse_json(path, text, lang)
        problems.extend(f"{path}: {p}" for p in repeated)
        if not isinstance(data, list):  # pragma: no cover - a list by its first character
            raise InvalidInput(_say(lang, "list-expected", path=path))
        entries = [(f"[{n}]", item) for n, item in enumerate(data)]
    elif (single := _one_document(path, text, lang)) is not None:
        data, repeated = single
        problems.extend(f"{path}: {p}" for p in repeated)
        if _holds(data) != "dossier":
            wrong = _wrong_kind(path, data, ("cohort", "COHORT"), lang)
            raise InvalidInput(wrong or _say(lang, "list-expected", path=path))
        entries = [("", data)]
    else:
        for number, line in enumerate(_lines(text), 1):
            if not line.strip():
                continue
            try:
                data, repeated = _parse_json(f"{path}:{number}", line, lang)
            except InvalidInput as error:
                problems.extend(_carried(error))
                continue
            problems.extend(f"{path}:{number}: {p}" for p in repeated)
            entries.append((f":{number}", data))
    return entries, problems


_ENTRY = ("dossier", "COHORT")


def _lines(text: str) -> list[str]:
    r"""The lines of JSON Lines *text*: split at ``\n`` only (a ``\r`` before it is blank).

    `str.splitlines` also splits at U+2028, U+2029, U+0085 and other separators,
    which JSON strings may hold unescaped (``json.dumps(ensure_ascii=False)``
    writes them as they are).
    """
    return text.split("\n")


def _one_document(path: str, text: str, lang: Lang) -> tuple[Any, list[str | Problem]] | None:
    """The data of *text* when it is one JSON document over several lines (else None).

    JSON Lines of two dossiers or more is not one document: its parsing stops
    at the second line.
    """
    if sum(1 for line in _lines(text) if line.strip()) < 2:
        return None
    try:
        return _parse_json(path, text, lang)
    except InvalidInput:
        return None


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

    __slots__ = ("done", "percent_sign", "shown", "stream", "total")

    def __init__(self, total: int, stream: TextIO, lang: Lang) -> None:
        self.total, self.stream, self.done, self.shown = total, stream, 0, -1
        self.percent_sign = f"{_text.NBSP}%" if lang == "fr" else "%"

    def step(self) -> None:
        self.done += 1
        percent = self.done * 100 // max(self.total, 1)
        if percent != self.shown:
            self.shown = percent
            filled = percent * 30 // 100
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} ({percent}{self.percent_sign})")
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _grade(args: argparse.Namespace) -> int:
    from villes_label._batch import Scorer  # noqa: PLC0415

    lang: Lang = args.lang
    problems: list[str | Problem] = []
    rules = _rules_file(args.rules, lang, problems)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    entries: list[tuple[str, Any]] = []
    parsing: list[str | Problem] = []
    try:
        entries, parsing = _cohort_entries(args.cohort, lang)
    except InvalidInput as error:
        problems.extend(_carried(error))
    if not problems and not parsing:
        graded = _graded_plain(args.cohort, entries, rules, lang)
        if graded is not None:
            progress = _Progress(len(graded), sys.stderr, lang) if show else None
            if progress is not None:
                for _ in graded:
                    progress.step()
                progress.close()
            _write_grades(args, graded)
            return EXIT_OK
    dossiers: list[tuple[str, Dossier]] = []
    if entries or parsing:
        try:
            dossiers = _cohort(args.cohort, entries, parsing, lang)
        except InvalidInput as error:
            problems.extend(_carried(error))
    if problems:
        raise InvalidInput(*problems)
    # One scorer per set of rules: the given ones, or the built-in ones of each year.
    of_year = _RulesOfYear(lang)
    used = {
        year: of_year(year) if rules is None else rules
        for year in sorted({dossier.year for _, dossier in dossiers})
    }
    scorers: dict[int, Scorer] = {}
    compiled: dict[int, Scorer] = {}  # by the identity of the rules: each compiled once
    for year, ruleset in used.items():
        if id(ruleset) not in compiled:
            compiled[id(ruleset)] = Scorer(ruleset)
        scorers[year] = compiled[id(ruleset)]
    _warn_years(args.cohort, Counter(dossier.year for _, dossier in dossiers), used, lang)
    progress = _Progress(len(dossiers), sys.stderr, lang) if show else None
    rows: list[dict[str, Any]] = []
    problems = []
    for where, dossier in dossiers:
        try:
            rows.append(_grade_row(scorers[dossier.year].assess(dossier)))
        except InvalidInput as error:
            problems.extend(_under(f"{args.cohort}{where}: ", _carried(error)))
        if progress is not None:
            progress.step()
    if progress is not None:
        progress.close()
    if problems:
        raise InvalidInput(*problems)
    _write_grades(args, rows)
    return EXIT_OK


def _graded_plain(
    path: str, entries: list[tuple[str, Any]], rules: Ruleset | None, lang: Lang
) -> list[dict[str, Any]] | None:
    """The rows of a cohort of plain, valid dossiers under one set of rules, or ``None``.

    Read without building the dossiers (`Scorer.grades_from_data`'s reading);
    ``None`` for any other cohort, which the detailed path then reads (and
    whose problems it words).
    """
    from villes_label._frames import plain_rows  # noqa: PLC0415 - numpy loads lazily

    years: set[int] = set()
    for _, item in entries:
        if type(item) is not dict or type(item.get("year")) is not int:
            return None
        years.add(item["year"])
    if not entries or (rules is None and not years <= set(referential.years())):
        return None  # nothing said yet of a year without rules: the detailed path says it
    chosen = {year: referential.ruleset(year) if rules is None else rules for year in years}
    if len({id(ruleset) for ruleset in chosen.values()}) != 1:
        return None
    ruleset = next(iter(chosen.values()))
    found = plain_rows(ruleset, [item for _, item in entries])
    if found is None:
        return None
    _warn_years(path, Counter(item["year"] for _, item in entries), chosen, lang)
    return [
        {
            "code": code,
            "name": name,
            "grade": grade,
            "score": str(score := fractions.Fraction(numerator, denominator)),
            "score_percent": _percent(score),
            "mentions": " ".join(mentions),
        }
        for code, name, grade, numerator, denominator, mentions in found
    ]


def _write_grades(args: argparse.Namespace, rows: list[dict[str, Any]]) -> None:
    out = sys.stdout if args.output in {None, "-"} else None
    text = _grade_text(rows, args.format)
    if out is not None:
        out.write(text)
        return
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidInput(_unwritable(args.output, error, args.lang)) from None


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

    lang: Lang = args.lang
    problems: list[str | Problem] = []
    # With bad rules, the scenario files are still read, for their own problems.
    rules = _rules_file(args.rules, lang, problems)
    of_year = _RulesOfYear(lang)
    checked: list[tuple[str, Scenario, tuple[str, ...]]] = []
    for path in args.files:
        try:
            scenarios = _load(path, scenarios_from_data, lang, ("scenarios", "SCENARIOS"))
        except InvalidInput as error:
            problems.extend(_carried(error))
            continue
        if problems:
            continue
        for n, scenario in enumerate(scenarios):
            year = scenario.dossier.year
            used = of_year(year) if rules is None else rules
            if used.year != year:
                where = f"{path}: scenarios[{n}]"
                _warn(lang, _say(lang, "year-mismatch", path=where, year=year, rules=used.year))
            try:
                checked.append((path, scenario, check_scenario(scenario, used, lang=lang)))
            except InvalidInput as error:
                # Ids the rules do not know: the expected mentions', or else the dossier's.
                problems.extend(
                    problem
                    if isinstance(problem, MoreProblems)
                    else Problem((), f"{path}: scenarios[{n}].{problem}")
                    if str(problem).startswith("expect_mentions")
                    else Problem((), f"{path}: scenarios[{n}].dossier.{problem}")
                    for problem in _carried(error)
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


def _cohort_of(data: object, lang: Lang) -> tuple[Dossier, ...]:
    """Dossiers from a JSON list, or an object whose ``"dossiers"`` is one: every problem."""
    from villes_label._serialize import from_dict  # noqa: PLC0415 - cattrs loads lazily

    prefix = ""
    if isinstance(data, dict) and set(data) == {"dossiers"}:
        data, prefix = data["dossiers"], "dossiers"
    if not isinstance(data, list):
        raise InvalidInput(_say(lang, "cohort-expected"))
    cohort: list[Dossier] = []
    problems: list[str | Problem] = []
    for n, item in enumerate(data):
        try:
            cohort.append(from_dict(item, Dossier))
        except InvalidInput as error:
            problems.extend(_under(f"{prefix}[{n}].", _carried(error)))
    if problems:
        raise InvalidInput(*problems)
    return tuple(cohort)


def _dashboard(args: argparse.Namespace) -> int:
    import attrs  # noqa: PLC0415

    from villes_label._dashboard import dashboard  # noqa: PLC0415

    rules, dossier = _rules_and_dossier(args.rules, args.dossier, args.lang)
    result = _assessed(args.dossier, dossier, rules)  # the dossier's problems, with its path
    cohort = (
        None
        if args.cohort is None
        else _load(args.cohort, lambda data: _cohort_of(data, args.lang), args.lang)
    )
    board = dashboard(dossier, rules, cohort)
    _warn_refused_opt_outs(args.dossier, result, args.lang)
    if args.json:
        # The reasons in the language asked for, as `score --json` gives them.
        _print_json(attrs.evolve(board, assessment=board.assessment.in_language(args.lang)))
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
        (
            "fichier des règles (défaut : celles du label de l'année de chaque dossier ; "
            "celles de 2016 pour une année sans règles intégrées)"
        ),
        (
            "rules file (default: the label's of each dossier's year; "
            "those of 2016 for a year without built-in rules)"
        ),
    ),
    "taxonomy.rules": (
        "fichier des règles dont lister le référentiel (défaut : celles du label de 2016)",
        "rules file whose referential to list (default: the label's of 2016)",
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


# argparse words its usage, group titles and errors in English through gettext; a
# global translation would change every other parser of the process. The parser of
# villes-label words them itself: the usage prefix through its formatter, the titles
# in its constructor, the errors by reading argparse's English messages back (a
# message not known here, such as one of a later Python, is shown as it is).
_ARGPARSE_FR: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), french)
    for pattern, french in (
        (r"argument (?P<argument>.+?): (?P<message>.+)", "argument {argument} : {message}"),
        (
            r"the following arguments are required: (?P<names>.+)",
            "arguments obligatoires manquants : {names}",
        ),
        (r"unrecognized arguments: (?P<names>.+)", "arguments non reconnus : {names}"),
        (
            r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
            "choix invalide : {value} (choisir parmi {choices})",
        ),
        (r"invalid int value: (?P<value>.+)", "nombre entier invalide : {value}"),
        (r"invalid (?P<type>.+?) value: (?P<value>.+)", "valeur invalide ({type}) : {value}"),
        (r"expected one argument", "un argument attendu"),
        (r"expected at most one argument", "au plus un argument attendu"),
        (r"expected at least one argument", "au moins un argument attendu"),
        (r"expected (?P<count>\d+) arguments?", "{count} arguments attendus"),
        (
            r"ambiguous option: (?P<option>.+?) could match (?P<matches>.+)",
            "option ambiguë : {option} peut désigner {matches}",
        ),
        (r"not allowed with argument (?P<other>.+)", "incompatible avec l'argument {other}"),
        (r"ignored explicit argument (?P<value>.+)", "argument explicite ignoré : {value}"),
        (
            r"one of the arguments (?P<names>.+) is required",
            "l'un des arguments {names} est obligatoire",
        ),
    )
)


def _argparse_text(message: str, lang: Lang) -> str:
    """An error message of argparse in *lang* (argparse's own English when not known)."""
    if lang != "fr":
        return message
    for pattern, french in _ARGPARSE_FR:
        found = pattern.fullmatch(message)
        if found is not None:
            fields = found.groupdict()
            if "message" in fields:
                fields["message"] = _argparse_text(fields["message"], lang)
            return french.format(**fields)
    return message


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, with the usage prefix of its language (`usage_prefix`).

    An option that takes a value shows it once, after its last name (``-o, --output
    FILE``), as argparse does from Python 3.13 on: the help reads the same on every
    Python the package supports.
    """

    usage_prefix = "usage: "

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        value = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {value}"

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)


class _FrenchFormatter(_Formatter):
    usage_prefix = "utilisation : "


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose own words (usage, titles, errors, ``-h``) are in *lang*."""

    def __init__(
        self,
        *,
        lang: Lang,
        help_text: str,
        prog: str | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(
            prog=prog,
            description=description,
            formatter_class=_FrenchFormatter if lang == "fr" else _Formatter,
            add_help=False,
        )
        self.lang: Lang = lang
        if lang == "fr":
            # argparse puts a colon right after a title: French wants a space before it.
            self._positionals.title = "arguments positionnels "
            self._optionals.title = "options "
        self.add_argument("-h", "--help", action="help", help=help_text)

    def error(self, message: str) -> NoReturn:
        """Print the usage and *message* in the parser's language, and exit with status 2."""
        self.print_usage(sys.stderr)
        said = _say(self.lang, "error") + _argparse_text(message, self.lang)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}{_text.colon(self.lang)} {said}\n")


def _count(count: int, forms: tuple[str, str], lang: Lang) -> str:
    """*count* and the noun of *forms* (singular, plural) that agrees with it.

    French puts the plural from 2, English everywhere but 1: ``0 service``, ``0 services``.
    """
    plural = count >= 2 if lang == "fr" else count != 1
    return f"{count} {forms[plural]}"


def _sentence(text: str) -> str:
    """*text* as a sentence: a capital first, a full stop last (a command's description)."""
    return f"{text[:1].upper()}{text[1:]}."


def _lang_of(argv: Sequence[str]) -> Lang:
    """The ``--lang`` that *argv* asks for, so that even ``--help`` follows it.

    As argparse, it reads ``--lang en``, ``--lang=en`` and an unambiguous
    abbreviation (``--la en``); the last one given wins. Anything else: French.
    """
    lang: Lang = "fr"
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        option, equals, value = arg.partition("=")
        if not (len(option) >= len("--la") and "--lang".startswith(option)):
            continue
        if not equals:
            value = argv[n + 1] if n + 1 < len(argv) else ""
        if value in _text.LANGS:
            lang = "en" if value == "en" else "fr"
    return lang


def _parser(lang: Lang = "fr") -> argparse.ArgumentParser:
    """The parser of ``villes-label``, its help in *lang*."""
    pick = 0 if lang == "fr" else 1

    def h(key: str) -> str:
        return _HELP[key][pick]

    def m(name: str) -> str:
        return _metavar(name, lang)

    parser = _Parser(
        prog="villes-label", description=h("description"), lang=lang, help_text=h("help")
    )
    parser.add_argument(
        "--version", action="version", version=f"villes-label {_version()}", help=h("version")
    )
    parser.add_argument("--lang", choices=_text.LANGS, default="fr", help=h("lang"))
    commands = parser.add_subparsers(dest="command", required=True, metavar=m("COMMAND"))

    def add(name: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=h(name), description=_sentence(h(name)), lang=lang, help_text=h("help")
        )
        # Also after the command; SUPPRESS keeps the value given before it.
        sub.add_argument("--lang", choices=_text.LANGS, default=argparse.SUPPRESS, help=h("lang"))
        sub.set_defaults(run=run)
        return sub

    def rules_option(sub: argparse.ArgumentParser, key: str = "rules") -> None:
        sub.add_argument("--rules", metavar=m("RULES.json"), help=h(key))

    def plan_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--target", type=int, default=None, metavar=m("TARGET"), help=h("target"))
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
    rules_option(taxonomy, "taxonomy.rules")

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
    road.add_argument("--years", type=int, default=4, metavar=m("YEARS"), help=h("years"))
    road.add_argument("--per-year", type=int, default=None, metavar="K", help=h("per-year"))
    rules_option(road)
    road.add_argument("--json", action="store_true", help=h("roadmap.json"))

    questions = add("questions", _questions)
    questions.add_argument("dossier", metavar="DOSSIER.json", help=h("dossier"))
    questions.add_argument("--limit", type=int, default=10, metavar=m("LIMIT"), help=h("limit"))
    rules_option(questions)
    questions.add_argument("--json", action="store_true", help=h("questions.json"))

    grade = add("grade", _grade)
    grade.add_argument("cohort", metavar=m("COHORT.json|.jsonl|-"), help=h("cohort"))
    grade.add_argument("-o", "--output", metavar=m("FILE"), help=h("output"))
    grade.add_argument("--format", choices=("csv", "jsonl"), default="csv", help=h("format"))
    grade.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help=h("progress")
    )
    rules_option(grade)

    check = add("check", _check)
    check.add_argument("files", nargs="+", metavar=m("SCENARIOS.json|.toml"), help=h("files"))
    rules_option(check)

    board = add("dashboard", _dashboard)
    board.add_argument("dossier", metavar="DOSSIER.json", help=h("dossier"))
    board.add_argument("--cohort", metavar=m("COHORT.json"), help=h("dashboard.cohort"))
    rules_option(board)
    board.add_argument("--json", action="store_true", help=h("dashboard.json"))
    return parser


def _warn_refused_opt_outs(path: str, result: Assessment, lang: Lang) -> None:
    """Say on stderr which not-applicable declarations the rules refused (they count as absent)."""
    for reason in result.in_language(lang).reasons_of("opt-out-refused"):
        where = f"services.{reason.subject}: " if reason.subject else ""
        _warn(lang, f"{path}: {where}{reason.message}")


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

    0: done; 1: a scenario failed; 2: bad input (the problems are on stderr), or
    output that cannot be written; 3: an error of villes_label itself (a bug:
    please report it), never a traceback.
    """
    _tolerant_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_of(arguments)
    stdout = sys.stdout
    if stdout is not None:  # None: the process was started without one
        sys.stdout = cast("TextIO", _GuardedOutput(stdout))
    try:
        status = _main(arguments, lang)
        if sys.stdout is not None:
            sys.stdout.flush()
    except _OutputError as error:
        # A full disk or a device that refuses: the user's output, not a bug.
        sys.stdout = stdout
        print(_say(lang, "error") + _unwritable("-", error.error, lang), file=sys.stderr)
        _silence_stdout()
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    finally:
        sys.stdout = stdout
    return status


def _main(arguments: list[str], lang: Lang) -> int:
    parser = _parser(lang)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as stop:
        # argparse has printed the usage and the error (status 2), or the help (0).
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    lang = args.lang
    error_word = _say(lang, "error")
    try:
        status: int = args.run(args)
    except InvalidInput as error:
        for problem in error.details:
            print(f"{error_word}{problem}", file=sys.stderr)
        if error.more:
            key = "more-problem" if error.more == 1 else "more-problems"
            print(error_word + _say(lang, key, count=error.more), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (BrokenPipeError, _OutputError):
        raise  # said by `main`
    except RecursionError:
        print(error_word + _say(lang, "too-deep"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print(error_word + _say(lang, "too-large"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - exit 1 means "a scenario failed": never crash with it
        text = _say(lang, "internal", kind=type(error).__name__, error=error)
        print(text, file=sys.stderr)
        return EXIT_INTERNAL
    return status


# --- the reference page --------------------------------------------------------------

_PAGE_HEAD = """\
# Command line

The console script `villes-label` (the same as `python -m villes_label`) is the only part
of the library that reads and writes files. Every text it prints is in one language,
chosen with `--lang fr` (the default: the label's jury and collectivités read French) or
`--lang en`, given before or after the command: the reports, the help and argparse's own
words (`utilisation :`, `arguments positionnels`, `arguments obligatoires manquants`,
`choix invalide`...), the warnings (`avertissement : ` / `warning: `) and the errors
(`erreur : ` / `error: `). `villes-label --help` is in French and says so;
`villes-label --lang en --help` is in English.

What the command line says about files is in the chosen language (`aucun fichier de ce
nom`, `le fichier est vide`, `JSON invalide`, `ce fichier contient un dossier ; --rules
attend des règles`...). The problems found inside a file's data are the library's own
messages (`InvalidInput`), in English in both languages, each after the file and the
path of the value (`d.json: services.wifi: unknown service 'wifi' (did you mean
'wifi-public'?)`): that place stays written `FILE: path: ` in both languages, as
compilers write it, so that editors and scripts can find it. A value that an option
gives and the library refuses is named by its option (`--target: 9 is outside 0..5`,
`--exclude: unknown service 'budget-participati' (did you mean 'budget-participatif'?)`).
The messages of Python's TOML reader are quoted as they are. A number of a JSON or TOML
file is read as the float it writes, or refused at its path when no float holds it as
written (`1e-400`, which a float makes 0; `1e400`, infinity; `0.58333333333333333333`,
more digits than a float holds): an exact fraction is written as a string (`"7/12"`).

## Which rules

Without `--rules`, every command assesses each dossier with the built-in rules of **its
own year** (`vl.referential.ruleset(year)`, for the years of `vl.referential.years()`):
`score` and `check` take the year of each file or scenario, and `grade` grades a cohort
that mixes years with the rules of each dossier's year (the CSV rows keep the cohort's
order). A dossier of a year without built-in rules is assessed with the default rules
(those of 2016), and a warning on standard error says so once per year. With `--rules
RULES.json`, those rules assess every dossier, and a warning names each dossier of
another year (for `grade`, the number of such dossiers per year). `taxonomy` lists the
referential of the default rules, or of `--rules`.

## Exit status

0 when all went well, 1 when a scenario of `check` fails, 2 on bad input (every problem
on standard error, one a line, with its file and path), a usage error or output that
cannot be written (`grade -o` into a folder that does not exist or onto a folder, a full
disk, standard output on a device that refuses: `impossible d'écrire` / `cannot be
written`, with the reason in the chosen language), 3 on an error of villes_label itself
(a bug, never a traceback). A file of the wrong kind is named as
such (`this file holds a dossier; --rules expects a ruleset`), and so are an empty file
and a YAML file.

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
`enjeu Démocratie locale 25,0 → 75,0 (50,0 requis)`. In JSON, each exact fraction (`gain`,
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
line, lines ending at a line feed, `\\n` or `\\r\\n`, and nothing else: a name may hold
U+2028 or U+0085 unescaped, as JSON allows); `-` reads standard input. A file that holds one dossier, even over several lines,
is a cohort of one; a file that holds another document is named as such. Without `--rules`, each dossier is graded with the
built-in rules of its own year, so a cohort may mix years (see *Which rules* above).
Every bad entry is reported with its index or line number, and nothing is written. See
{doc}`../how-to/score-a-file-of-dossiers`.
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
                f"## `villes-label {name}`\n\n{description}\n\n"
                f"```text\n{_one_line(sub.format_usage())}\n```\n\n"
                "| argument | what it does |\n| --- | --- |\n" + "\n".join(_rows(sub)) + "\n"
            )
            if name in _PAGE_NOTES:
                text += "\n" + _PAGE_NOTES[name]
            parts.append(text)
    return "\n".join(parts)
