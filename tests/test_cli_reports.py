"""The command line people read: one language, names, cohorts graded to CSV, snapshots.

The output of ``villes-label demo`` is compared byte for byte with the files of
``tests/snapshots/`` in both languages. After a deliberate change of the reports,
regenerate them, and the command-line reference page docs/reference/cli.md, with::

    VILLES_LABEL_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_cli_reports.py

and read the diff before committing it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import villes_label as vl
from villes_label import Action, assess, default_ruleset, next_questions, to_dict
from villes_label.cli import GRADE_COLUMNS, _parser, _reference_page, main
from villes_label.referential import sample_dossier, synthetic_cohort

if TYPE_CHECKING:
    import argparse

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("VILLES_LABEL_UPDATE_SNAPSHOTS") == "1"
CLI_PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "cli.md"
NBSP = "\u00a0"


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def exact(data: Any) -> Any:
    """JSON data of the command line without its float ``*_percent`` keys, at every depth."""
    if isinstance(data, list):
        return [exact(item) for item in data]
    if isinstance(data, dict):
        return {k: exact(v) for k, v in data.items() if not k.endswith("_percent")}
    return data


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def sample_file(tmp_path: Path, name: str = "d.json") -> Path:
    return write_json(tmp_path / name, to_dict(sample_dossier()))


class TestSnapshots:
    """`villes-label demo` prints exactly the snapshot of its language."""

    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_demo(self, capsys: pytest.CaptureFixture[str], lang: str) -> None:
        code, out, err = run(capsys, "demo", "--lang", lang)
        assert (code, err) == (0, "")
        snapshot = SNAPSHOTS / f"demo.{lang}.txt"
        if UPDATE:
            snapshot.write_text(out, encoding="utf-8")
        assert out == snapshot.read_text(encoding="utf-8")

    def test_the_demo_reads_as_the_issue_asks(self) -> None:
        """Names, one language, what each step does to which enjeu, and a roadmap."""
        french = (SNAPSHOTS / "demo.fr.txt").read_text(encoding="utf-8")
        english = (SNAPSHOTS / "demo.en.txt").read_text(encoding="utf-8")
        assert f"12{NBSP}400 habitants" in french
        assert "Démocratie locale [democratie-locale]" in french
        assert "enjeu Démocratie locale 25,0 → 75,0 (50,0 requis)" in french
        assert "score global 60,4 → 64,6 (62,5 requis)" in french
        assert "+4,2 points ;" in french
        assert "Feuille de route 2017–2020 vers @@@@@ (5 arobases)" in french
        for word in ("Grade", "Target", "Roadmap", "points short", "inhabitants"):
            assert word not in french
        for word in ("Note :", "Objectif", "Feuille de route", "il manque", "400 habitants"):
            assert word not in english
        assert "issue Démocratie locale 25.0 → 75.0 (50.0 required)" in english


class TestConsoleScript:
    """`villes-label` is the console script; --version and the help say who and which language."""

    def test_entry_point(self) -> None:
        (script,) = (
            ep for ep in entry_points(group="console_scripts") if ep.name == "villes-label"
        )
        assert script.value == "villes_label.cli:main"

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "--version")
        assert (code, out) == (0, f"villes-label {vl.__version__}\n")

    def test_help_follows_the_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, french, _ = run(capsys, "--help")
        assert code == 0
        assert french.startswith("utilisation : villes-label")
        french = " ".join(french.split())  # argparse wraps to the terminal's width
        assert "français par défaut" in french
        assert "(défaut : fr)" in french
        _, english, _ = run(capsys, "--lang", "en", "--help")
        english = " ".join(english.split())
        assert "French by default" in english
        assert "(default: fr)" in english
        _, sub, _ = run(capsys, "grade", "--help", "--lang", "en")
        assert "progress bar on standard error" in " ".join(sub.split())
        _, sub, _ = run(capsys, "grade", "--help")
        assert "barre de progression" in " ".join(sub.split())

    def test_lang_before_or_after_the_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        before = run(capsys, "--lang", "en", "demo")[1]
        after = run(capsys, "demo", "--lang", "en")[1]
        assert before == after
        assert before.startswith(assess(sample_dossier(), default_ruleset()).explain("en"))


class TestScore:
    """`score` takes several files; its JSON gives reasons in the chosen language and floats."""

    def test_several_files(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        first, second = sample_file(tmp_path, "a.json"), sample_file(tmp_path, "b.json")
        code, out, _ = run(capsys, "score", first, second, "--lang", "en")
        text = assess(sample_dossier(), default_ruleset()).explain("en")
        assert (code, out) == (0, text + "\n\n" + text + "\n")
        code, out, _ = run(capsys, "score", first, second, "--json")
        assert [item["grade"] for item in json.loads(out)] == [3, 3]

    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_json_reasons_follow_the_language(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
    ) -> None:
        code, out, _ = run(capsys, "score", sample_file(tmp_path), "--json", "--lang", lang)
        assert code == 0
        data = json.loads(out)
        expected = assess(sample_dossier(), default_ruleset())
        assert [r["message"] for r in data["reasons"]] == list(expected.reason_texts(lang))  # type: ignore[arg-type]
        assert [r["code"] for r in data["reasons"]] == [r.code for r in expected.reasons]
        assert data["score"] == "29/48"
        assert data["score_percent"] == 60.42
        assert data["names"]["democratie-locale"] == "Démocratie locale"


class TestTaxonomyOfATerritory:
    """`taxonomy --population N --kind K` lists what concerns such a territory, in --lang."""

    def test_a_village(self, capsys: pytest.CaptureFixture[str]) -> None:
        rules = default_ruleset()
        village = vl.Territory(
            code="48001", name="V", kind=vl.TerritoryKind.COMMUNE, population=300
        )
        concerned = [s for s in rules.taxonomy.services if rules.concerns(s.id, village)]
        assert 0 < len(concerned) < len(rules.taxonomy.services)
        code, out, _ = run(capsys, "taxonomy", "--population", 300, "--kind", "commune")
        assert code == 0
        assert (
            f"Services qui concernent une commune de 300 habitants : {len(concerned)} sur 131"
            in out
        )
        listed = [line for line in out.splitlines() if line.startswith("    - ")]
        assert len(listed) == len(concerned)
        code, english, _ = run(capsys, "taxonomy", "--population", 300, "--lang", "en")
        assert (
            f"Services concerning a commune of 300 inhabitants: {len(concerned)} of 131" in english
        )
        assert english != out
        code, data, _ = run(capsys, "taxonomy", "--population", 300, "--json")
        assert [item["id"] for item in json.loads(data)] == [s.id for s in concerned]

    def test_an_epci(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(
            capsys, "taxonomy", "--kind", "metropole", "--population", 500_000, "--lang", "en"
        )
        assert code == 0
        assert "Services concerning a metropolis of 500,000 inhabitants" in out

    def test_the_language_changes_the_plain_listing(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        french, english = run(capsys, "taxonomy")[1], run(capsys, "taxonomy", "--lang", "en")[1]
        assert french.splitlines()[0].endswith("4 thèmes, 16 enjeux, 131 services")
        assert english.splitlines()[0].endswith("4 themes, 16 issues, 131 services")


class TestPlanRoadmapQuestions:
    """`plan` takes exclusions and preferences; `roadmap` and `questions` print the library's."""

    def test_plan_options(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = sample_file(tmp_path)
        code, out, _ = run(
            capsys, "plan", path, "--prefer", "started", "--exclude", "hackathon", "--json"
        )
        expected = vl.recommend(
            sample_dossier(), default_ruleset(), prefer="started", exclude={"hackathon"}
        )
        assert code == 0
        data = json.loads(out)
        assert vl.from_dict(exact(data), vl.Plan) == expected
        step = data["steps"][0]
        assert step["gain_percent"] == round(float(expected.steps[0].gain) * 100, 2)
        effect = step["effects"][0]
        # Finishing the streamed council: the score lands exactly on the 5/8 of 4 @.
        assert [s["service"] for s in data["steps"]] == ["retransmission-conseil-municipal"]
        assert (effect["before_percent"], effect["required_percent"]) == (60.42, 62.5)
        assert effect["after_percent"] == 62.5

    def test_roadmap(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = sample_file(tmp_path)
        code, out, _ = run(capsys, "roadmap", path, "--target", 5, "--per-year", 3, "--lang", "en")
        road = vl.roadmap(sample_dossier(), default_ruleset(), 5, per_year=3)
        assert (code, out) == (0, road.explain("en") + "\n")
        code, out, _ = run(capsys, "roadmap", path, "--json", "--years", 2)
        assert vl.from_dict(exact(json.loads(out)), vl.Roadmap) == vl.roadmap(
            sample_dossier(), default_ruleset(), years=2
        )

    def test_questions(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = sample_file(tmp_path)
        asked = next_questions(sample_dossier(), default_ruleset(), limit=3)
        code, out, _ = run(capsys, "questions", path, "--limit", 3, "--json")
        assert code == 0
        assert [item["id"] for item in json.loads(out)] == list(asked)
        _, out, _ = run(capsys, "questions", path, "--limit", 3)
        assert (
            out.splitlines()[1]
            == "  1. Consultation en ligne [consultation-en-ligne] — Démocratie locale"
        )
        assert len(out.splitlines()) == 4


def cohort_rows(cohort: tuple[vl.Dossier, ...]) -> list[dict[str, str]]:
    rows = []
    for dossier in cohort:
        result = assess(dossier, default_ruleset())
        rows.append(
            {
                "code": result.territory.code,
                "name": result.territory.name,
                "grade": str(result.grade),
                "score": str(result.score),
                "score_percent": str(round(float(result.score) * 100, 2)),
                "mentions": " ".join(result.mentions),
            }
        )
    return rows


class TestGrade:
    """`grade` reads a JSON list, JSON Lines or standard input and writes CSV or JSON Lines
    rows equal to `assess`; a progress bar goes to stderr only when asked or on a terminal."""

    COHORT = synthetic_cohort(25, seed=5)

    def test_json_list_to_csv(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = write_json(tmp_path / "c.json", [to_dict(d) for d in self.COHORT])
        code, out, err = run(capsys, "grade", path)
        assert (code, err) == (0, "")
        reader = csv.DictReader(io.StringIO(out))
        assert tuple(reader.fieldnames or ()) == GRADE_COLUMNS
        assert list(reader) == cohort_rows(self.COHORT)

    def test_json_lines_from_stdin_to_json_lines(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        lines = "".join(json.dumps(to_dict(d)) + "\n" for d in self.COHORT) + "\n"
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
        code, out, _ = run(capsys, "grade", "-", "--format", "jsonl")
        assert code == 0
        rows = [json.loads(line) for line in out.splitlines()]
        expected = cohort_rows(self.COHORT)
        assert [str(row["grade"]) for row in rows] == [row["grade"] for row in expected]
        assert [row["score"] for row in rows] == [row["score"] for row in expected]
        assert all(isinstance(row["score_percent"], float) for row in rows)

    def test_output_file_and_progress(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = write_json(tmp_path / "c.json", [to_dict(d) for d in self.COHORT])
        out_path = tmp_path / "out.csv"
        code, out, err = run(capsys, "grade", path, "-o", out_path, "--progress")
        assert (code, out) == (0, "")
        assert err.endswith(f"] {len(self.COHORT)}/{len(self.COHORT)} (100{NBSP}%)\n")
        english = run(capsys, "grade", path, "-o", out_path, "--progress", "--lang", "en")[2]
        assert english.endswith(f"] {len(self.COHORT)}/{len(self.COHORT)} (100%)\n")
        assert "\r[" in err
        written = out_path.read_text(encoding="utf-8")
        assert list(csv.DictReader(io.StringIO(written))) == cohort_rows(self.COHORT)
        assert run(capsys, "grade", path, "-o", out_path, "--no-progress")[2] == ""

    def test_every_bad_entry_is_reported(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        good = json.dumps(to_dict(self.COHORT[0]))
        bad: dict[str, Any] = to_dict(self.COHORT[1])
        bad["territory"]["population"] = -1
        ruleset = json.dumps(to_dict(default_ruleset()))
        path = tmp_path / "c.jsonl"
        path.write_text(
            "\n".join([good, json.dumps(bad), "{oops", ruleset]) + "\n", encoding="utf-8"
        )
        code, out, err = run(capsys, "grade", path, "--lang", "en")
        assert (code, out) == (2, "")
        assert err.splitlines() == [
            f"error: {path}:3: not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)",
            f"error: {path}:2: territory.population: must be >= 0, got -1",
            f"error: {path}:4: this entry holds a ruleset; COHORT expects dossiers",
        ]
        code, out, err = run(capsys, "grade", path)
        assert (code, out) == (2, "")
        assert err.splitlines() == [
            f"erreur : {path}:3: JSON invalide (nom de clé entre guillemets droits attendu, ligne 1, colonne 2)",
            f"erreur : {path}:2: territory.population: must be >= 0, got -1",
            f"erreur : {path}:4: cette entrée contient des règles ; COHORTE attend des dossiers",
        ]

    def test_a_document_over_several_lines(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """One dossier written over several lines is a cohort of one; another document is
        named, not reported line by line as JSON Lines."""
        path = tmp_path / "d.json"
        path.write_text(json.dumps(to_dict(sample_dossier()), indent=2), encoding="utf-8")
        code, out, err = run(capsys, "grade", path)
        assert (code, err) == (0, "")
        assert list(csv.DictReader(io.StringIO(out))) == cohort_rows((sample_dossier(),))
        path.write_text(json.dumps(to_dict(default_ruleset()), indent=2), encoding="utf-8")
        assert run(capsys, "grade", path, "--lang", "en")[2] == (
            f"error: {path}: this file holds a ruleset; COHORT expects dossiers (a cohort)\n"
        )
        assert run(capsys, "grade", path)[2] == (
            f"erreur : {path}: ce fichier contient des règles ; "
            "COHORTE attend des dossiers (une cohorte)\n"
        )
        path.write_text(json.dumps({"dossiers": []}, indent=2), encoding="utf-8")
        assert run(capsys, "grade", path, "--lang", "en")[2] == (
            f"error: {path}: COHORT expects a JSON list of dossiers or JSON Lines "
            "(one dossier a line)\n"
        )

    @pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
    def test_a_line_separator_inside_a_string(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, separator: str
    ) -> None:
        """JSON Lines are split at "\\n" only: JSON strings may hold U+2028, U+2029 and
        U+0085 unescaped (``json.dumps(ensure_ascii=False)`` writes them so)."""
        # An action's summary is free text, lines included.
        action = Action(
            id="a1",
            title="Portail",
            services={"site-internet"},
            status="deployed",
            summary=f"Saint{separator}Denis",
        )
        cohort = (self.COHORT[0], attrs.evolve(self.COHORT[1], actions=(action,)), self.COHORT[2])
        lines = [json.dumps(to_dict(d), ensure_ascii=False) for d in cohort]
        path = tmp_path / "c.jsonl"
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
        code, out, err = run(capsys, "grade", path, "--format", "jsonl")
        assert (code, err) == (0, "")
        rows = [json.loads(line) for line in out.split("\n") if line]
        assert [row["name"] for row in rows] == [d.territory.name for d in cohort]
        # A name is one line: refused at its own line, and so is a bad entry after it.
        named: dict[str, Any] = to_dict(self.COHORT[1])
        named["territory"]["name"] = f"Saint{separator}Denis"
        bad: dict[str, Any] = to_dict(self.COHORT[3])
        bad["territory"]["population"] = -1
        entries = [lines[0], json.dumps(named, ensure_ascii=False), lines[2], json.dumps(bad)]
        path.write_text("\n".join(entries) + "\n", encoding="utf-8")
        code, out, err = run(capsys, "grade", path, "--lang", "en")
        assert (code, out) == (2, "")
        first, second = err.splitlines()
        assert first.startswith(f"error: {path}:2: territory.name: name ")
        assert f"holds a line break or control character (U+{ord(separator):04X})" in first
        assert second == f"error: {path}:4: territory.population: must be >= 0, got -1"

    def test_an_empty_cohort_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        (tmp_path / "c.json").write_text("\n", encoding="utf-8")
        code, _, err = run(capsys, "grade", tmp_path / "c.json", "--lang", "en")
        assert code == 2
        assert "the file is empty" in err
        code, _, err = run(capsys, "grade", tmp_path / "c.json")
        assert code == 2
        assert "le fichier est vide" in err


def parser_names(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Every subcommand of *parser* and the option strings of each."""
    import argparse as ap

    found: dict[str, list[str]] = {"": [s for a in parser._actions for s in a.option_strings]}
    for action in parser._actions:
        if isinstance(action, ap._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = [s for a in sub._actions for s in a.option_strings]
    return found


class TestReferencePage:
    """docs/reference/cli.md names every command and every option of the parser."""

    def test_every_command_and_option_is_documented(self) -> None:
        page = CLI_PAGE.read_text(encoding="utf-8")
        for lang in ("fr", "en"):
            for command, options in parser_names(_parser(lang)).items():
                if command:
                    assert f"## `villes-label {command}`" in page, command
                for option in options:
                    assert f"`{option}" in page, (command, option)

    def test_the_page_is_generated_from_the_parser(self) -> None:
        if UPDATE:
            CLI_PAGE.write_text(_reference_page(), encoding="utf-8")
        assert CLI_PAGE.read_text(encoding="utf-8") == _reference_page()


def matches_snapshot(name: str, text: str) -> None:
    """*text* is the snapshot *name* (rewritten first under VILLES_LABEL_UPDATE_SNAPSHOTS=1)."""
    path = SNAPSHOTS / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


COMMANDS: tuple[str, ...] = (
    *("demo", "taxonomy", "score", "plan", "roadmap"),
    *("questions", "grade", "check", "dashboard"),
)

# Mistakes in the arguments: argparse's own errors, worded in the chosen language.
USAGE_MISTAKES: tuple[tuple[str, ...], ...] = (
    (),
    ("publish",),
    ("score",),
    ("plan", "d.json", "--target", "four"),
    ("grade", "c.json", "--format", "xml"),
    ("roadmap", "d.json", "--prefer", "quickest"),
    ("score", "d.json", "--bogus"),
    ("demo", "--lang", "de"),
    ("plan", "d.json", "--rules"),
    ("questions", "d.json", "--l", "3"),
    ("score", "d.json", "--json=yes"),
)

ENGLISH_WORDS = (
    *("usage", "positional arguments", "show this", "error", "required", "choose from"),
    *("expected", "ambiguous", "ignored", "unrecognized"),
)
FRENCH_WORDS = ("utilisation", "arguments positionnels", "afficher", "erreur", "défaut", "choix")


class TestHelpAndUsageInBothLanguages:
    """The help of every command and argparse's own words follow --lang: snapshots, no mixing."""

    @staticmethod
    def every_help(capsys: pytest.CaptureFixture[str], lang: str) -> str:
        parts = []
        for command in ("", *COMMANDS):
            argv = [*([command] if command else []), "--help", "--lang", lang]
            code, out, err = run(capsys, *argv)
            assert (code, err) == (0, ""), argv
            parts.append(f"$ villes-label {' '.join(argv)}\n{out}")
        return "\n".join(parts)

    @staticmethod
    def every_usage_error(capsys: pytest.CaptureFixture[str], lang: str) -> str:
        parts = []
        for mistake in USAGE_MISTAKES:
            argv = ["--lang", lang, *mistake]
            code, out, err = run(capsys, *argv)
            assert (code, out) == (2, ""), argv
            parts.append(f"$ villes-label {' '.join(argv)}\n{err}")
        return "\n".join(parts)

    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_help(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
    ) -> None:
        monkeypatch.setenv("COLUMNS", "100")  # argparse wraps to the terminal's width
        matches_snapshot(f"help.{lang}.txt", self.every_help(capsys, lang))

    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_usage_errors(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
    ) -> None:
        monkeypatch.setenv("COLUMNS", "100")
        matches_snapshot(f"usage-errors.{lang}.txt", self.every_usage_error(capsys, lang))

    def test_no_words_of_the_other_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        french = self.every_help(capsys, "fr") + self.every_usage_error(capsys, "fr")
        english = self.every_help(capsys, "en") + self.every_usage_error(capsys, "en")
        for word in ENGLISH_WORDS:
            assert word not in french.lower(), word
        for word in FRENCH_WORDS:
            assert word not in english.lower(), word
        # French typography: a space before each colon of argparse's words.
        assert "arguments positionnels :" in french
        assert "options :" in french
        assert "villes-label plan : erreur : argument --target : nombre entier invalide" in french

    def test_the_default_language_is_said(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --lang the help is French and says how to get English."""
        code, out, _ = run(capsys, "--help")
        assert code == 0
        assert out == run(capsys, "--help", "--lang", "fr")[1]
        assert "--lang en pour l'anglais" in " ".join(out.split())

    @pytest.mark.parametrize(
        ("argv", "lang"),
        [
            (["--lang=en", "--help"], "en"),
            (["--la", "en", "--help"], "en"),
            (["score", "--help", "--lan", "en"], "en"),
            (["--lang", "en", "demo", "--lang", "fr", "--help"], "fr"),
            (["--lang", "xx", "--help"], "fr"),
            (["check", "--", "--lang", "en"], "fr"),
        ],
    )
    def test_how_the_language_is_read(
        self, capsys: pytest.CaptureFixture[str], argv: list[str], lang: str
    ) -> None:
        """As argparse reads --lang: =, an abbreviation, the last one given; -- ends options."""
        _, out, err = run(capsys, *argv)
        said = out + err
        french = "utilisation :" in said or "erreur : " in said
        english = "usage:" in said or "error: " in said
        assert (french, english) == (lang == "fr", lang == "en"), said


def dossier_of(year: int) -> vl.Dossier:
    # A town of 5,000 with open data: the 2017 rules count it (the open data duty, from
    # 3,500 inhabitants), those of 2016 do not (an urban practice, from 10,000).
    sample = sample_dossier().with_status("open-data", vl.Status.DEPLOYED)
    town = attrs.evolve(sample.territory, population=5_000)
    return attrs.evolve(sample, territory=town, year=year)


class TestRulesOfTheDossiersYear:
    """Without --rules every command assesses each dossier with the built-in rules of its year;
    a year without them gets the default rules and one warning; --rules names the mismatches."""

    def test_grade_a_cohort_of_several_years(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        cohort = [dossier_of(year) for year in (2016, 2017, 2019, 2017)]
        path = write_json(tmp_path / "c.json", [to_dict(d) for d in cohort])
        code, out, err = run(capsys, "grade", path, "--format", "jsonl", "--lang", "en")
        assert code == 0
        rows = [json.loads(line) for line in out.splitlines()]
        rules = [vl.referential.ruleset(2016), vl.referential.ruleset(2017), default_ruleset()]
        expected = [assess(d, r) for d, r in zip(cohort, [*rules, rules[1]], strict=True)]
        assert [row["score"] for row in rows] == [str(a.score) for a in expected]
        # The 2017 rules give another score than the 2016 ones: the choice is seen.
        assert rows[1]["score"] != str(assess(cohort[1], default_ruleset()).score)
        assert err.splitlines() == [
            (
                "warning: no built-in rules for 2019 (built-in years: 2014, 2016, 2017): "
                "using the rules of 2016"
            ),
            f"warning: {path}: 1 dossier is of 2019 but the rules are those of 2016",
        ]

    def test_grade_with_rules_of_another_year(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        cohort = [dossier_of(year) for year in (2016, 2017, 2017)]
        path = write_json(tmp_path / "c.json", [to_dict(d) for d in cohort])
        rules = write_json(tmp_path / "r.json", to_dict(default_ruleset()))
        code, out, err = run(capsys, "grade", path, "--rules", rules, "--format", "jsonl")
        assert code == 0
        scores = [json.loads(line)["score"] for line in out.splitlines()]
        assert scores == [str(assess(d, default_ruleset()).score) for d in cohort]
        assert err == (
            f"avertissement : {path}: 2 dossiers sont de 2017 mais les règles sont celles de 2016\n"
        )

    def test_score_several_years(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        first = write_json(tmp_path / "a.json", to_dict(dossier_of(2016)))
        second = write_json(tmp_path / "b.json", to_dict(dossier_of(2017)))
        code, out, err = run(capsys, "score", first, second, "--json")
        assert (code, err) == (0, "")
        assert [item["ruleset"] for item in json.loads(out)] == [
            vl.referential.ruleset(2016).name,
            vl.referential.ruleset(2017).name,
        ]

    def test_check_a_scenario_of_2017(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        dossier = dossier_of(2017)
        expected = assess(dossier, vl.referential.ruleset(2017))
        scenario = {
            "name": "2017",
            "dossier": to_dict(dossier),
            "expect_score": str(expected.score),
        }
        path = write_json(tmp_path / "s.json", [scenario])
        code, out, err = run(capsys, "check", path, "--lang", "en")
        assert (code, err) == (0, ""), out
        assert out.endswith("1 passed, 0 failed\n")
        rules = write_json(tmp_path / "r.json", to_dict(default_ruleset()))
        code, out, err = run(capsys, "check", path, "--rules", rules, "--lang", "en")
        assert code == 1
        assert err == (
            f"warning: {path}: scenarios[0]: the dossier is of 2017 but the rules are those of 2016\n"
        )

    @pytest.mark.parametrize("command", ["plan", "roadmap", "questions"])
    def test_plan_roadmap_questions(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
    ) -> None:
        dossier = dossier_of(2017)
        path = write_json(tmp_path / "d.json", to_dict(dossier))
        code, out, err = run(capsys, command, path, "--json")
        assert (code, err) == (0, "")
        rules = vl.referential.ruleset(2017)
        expected: object
        if command == "plan":
            expected = to_dict(vl.recommend(dossier, rules))
        elif command == "roadmap":
            expected = to_dict(vl.roadmap(dossier, rules))
        else:
            expected = [
                {"id": sid, "name": rules.taxonomy.service(sid).name}
                for sid in next_questions(dossier, rules)
            ]
        assert exact(json.loads(out)) == expected
