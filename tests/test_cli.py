"""The command line: each command works, and bad input exits 2 with every problem on stderr."""

from __future__ import annotations

import copy
import errno
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any, Literal

import pytest

import villes_label as vl
from helpers import run_python
from villes_label import (
    Assessment,
    Dossier,
    Plan,
    Taxonomy,
    assess,
    default_ruleset,
    default_taxonomy,
    from_dict,
    recommend,
    scenarios_from_data,
    to_dict,
)
from villes_label._errors import MAX_PROBLEMS
from villes_label.cli import main
from villes_label.referential import sample_dossier

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCENARIO_FILES = (EXAMPLES / "scenarios_2016.json", EXAMPLES / "scenarios_2016.toml")


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """Run the command line in this process: its exit status, stdout and stderr."""
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def changed(data: dict[str, Any], *edits: tuple[tuple[str | int, ...], object]) -> dict[str, Any]:
    """A copy of *data* with the value at each path replaced."""
    data = copy.deepcopy(data)
    for path, value in edits:
        *parents, last = path
        node: Any = data  # dicts and lists, down the path
        for step in parents:
            node = node[step]
        node[last] = value
    return data


def exact(data: Any) -> Any:
    """JSON data of the command line without its float ``*_percent`` keys, at every depth."""
    if isinstance(data, list):
        return [exact(item) for item in data]
    if isinstance(data, dict):
        return {k: exact(v) for k, v in data.items() if not k.endswith("_percent")}
    return data


def dossier_data(*edits: tuple[tuple[str | int, ...], object]) -> dict[str, Any]:
    return changed(to_dict(sample_dossier()), *edits)


def rules_data(*edits: tuple[tuple[str | int, ...], object]) -> dict[str, Any]:
    return changed(to_dict(default_ruleset()), *edits)


def text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


SAMPLE = text(to_dict(sample_dossier()))


WARNING = {"fr": "avertissement : ", "en": "warning: "}
ERROR = {"fr": "erreur : ", "en": "error: "}


def refused_opt_outs(path: Path, lang: Literal["fr", "en"] = "fr") -> str:
    """The warnings of `score` and `plan` for the sample dossier: its refused opt-outs."""
    result = assess(sample_dossier(), default_ruleset()).in_language(lang)
    reasons = result.reasons_of("opt-out-refused")
    return "".join(f"{WARNING[lang]}{path}: services.{r.subject}: {r.message}\n" for r in reasons)


def scenario(name: str = "sample", **fields: object) -> dict[str, Any]:
    return {"name": name, "dossier": to_dict(sample_dossier()), **fields}


def scenario_count(*paths: Path) -> int:
    total = 0
    for path in paths:
        if path.suffix == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
        total += len(scenarios_from_data(data))
    return total


# --- the commands ---------------------------------------------------------------------------


class TestCommands:
    """Each command prints what the library computes and exits 0 (check: 1 when a scenario fails)."""

    def test_demo(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "demo")
        rules, dossier = default_ruleset(), sample_dossier()
        assert (code, err) == (0, "")
        road = vl.roadmap(dossier, rules, 5, per_year=1)  # the way to the top grade
        assert out == (
            assess(dossier, rules).explain()
            + "\n\n"
            + recommend(dossier, rules).explain()
            + "\n\n"
            + road.explain()
            + "\n"
        )

    def test_demo_in_english(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "demo", "--lang", "en")
        assert code == 0
        assert out.startswith(assess(sample_dossier(), default_ruleset()).explain("en"))

    def test_taxonomy(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "taxonomy", "--services")
        assert (code, err) == (0, "")
        taxonomy = default_taxonomy()
        nodes: tuple[vl.Theme | vl.Issue | vl.Service, ...] = (
            *taxonomy.themes,
            *taxonomy.issues,
            *taxonomy.services,
        )
        for node in nodes:
            assert f"[{node.id}]" in out
        assert len(out.splitlines()) == 1 + 4 + 16 + 131

    def test_taxonomy_as_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "taxonomy", "--json")
        assert (code, err) == (0, "")
        assert from_dict(json.loads(out), Taxonomy) == default_taxonomy()

    def test_taxonomy_of_rules(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        taxonomy = vl.Taxonomy(
            name="Mini",
            version="1",
            themes=(
                vl.Theme(
                    id="t",
                    name="T",
                    issues=(vl.Issue(id="i", name="I", services=(vl.Service(id="s", name="S"),)),),
                ),
            ),
        )
        rules = vl.Ruleset(
            name="mini",
            year=2016,
            taxonomy=taxonomy,
            grades=[vl.GradeRule(arobases=1, min_score=0)],
        )
        (tmp_path / "r.json").write_text(text(to_dict(rules)), encoding="utf-8")
        code, out, _ = run(capsys, "taxonomy", "--json", "--rules", tmp_path / "r.json")
        assert code == 0
        assert from_dict(json.loads(out), Taxonomy) == taxonomy
        # One of each, none for a metropolis: the nouns agree with their numbers.
        path = tmp_path / "r.json"
        path.write_text(
            text(
                to_dict(
                    rules.replace(
                        applicability={"s": vl.Applicability(kinds={vl.TerritoryKind.COMMUNE})}
                    )
                )
            ),
            encoding="utf-8",
        )
        expected = {
            "fr": ["Mini 1 : 1 thème, 1 enjeu, 1 service", "T [t]", "  I [i] — 1 service"],
            "en": ["Mini 1: 1 theme, 1 issue, 1 service", "T [t]", "  I [i] — 1 service"],
        }
        for lang, lines in expected.items():
            assert run(capsys, "taxonomy", "--rules", path, "--lang", lang)[1].splitlines() == lines
        metropolis = ["--rules", path, "--kind", "metropole", "--population", "1"]
        assert run(capsys, "taxonomy", *metropolis)[1].splitlines()[-1] == "  I [i] — 0 service"
        english = run(capsys, "taxonomy", *metropolis, "--lang", "en")[1]
        assert english.splitlines()[-1] == "  I [i] — 0 services"

    def test_score(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        code, out, err = run(capsys, "score", tmp_path / "d.json")
        assert (code, err) == (0, refused_opt_outs(tmp_path / "d.json"))
        assert out == assess(sample_dossier(), default_ruleset()).explain() + "\n"

    def test_score_as_json(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        code, out, err = run(capsys, "score", tmp_path / "d.json", "--json")
        assert (code, err) == (0, refused_opt_outs(tmp_path / "d.json"))
        expected = assess(sample_dossier(), default_ruleset())
        data = json.loads(out)
        # The reasons' messages follow --lang (French by default); floats beside the fractions.
        assert from_dict(exact(data), Assessment) == expected.in_language("fr")
        assert data["score_percent"] == round(float(expected.score) * 100, 2)
        assert data["issues_percent"]["democratie-locale"] == 25.0

    def test_score_with_rules(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        rules = default_ruleset().replace(name="stricter", credits={vl.Status.PARTIAL: 0})
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        (tmp_path / "r.json").write_text(text(to_dict(rules)), encoding="utf-8")
        code, out, _ = run(
            capsys, "score", tmp_path / "d.json", "--rules", tmp_path / "r.json", "--json"
        )
        assert code == 0
        assert from_dict(exact(json.loads(out)), Assessment) == assess(
            sample_dossier(), rules
        ).in_language("fr")

    def test_a_byte_order_mark_is_accepted(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        (tmp_path / "d.json").write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode())
        assert run(capsys, "score", tmp_path / "d.json")[0] == 0

    def test_a_huge_but_valid_dossier(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        ids = [service.id for service in default_taxonomy().services]
        actions = [
            {
                "id": f"action-{n}",
                "title": "Une initiative " * 20,
                "services": sorted({ids[(7 * n + k) % len(ids)] for k in range(12)}),
                "status": ("planned", "partial", "deployed")[n % 3],
            }
            for n in range(4000)
        ]
        data = dossier_data((("services",), {}), (("actions",), actions))
        (tmp_path / "d.json").write_text(text(data), encoding="utf-8")
        assert (tmp_path / "d.json").stat().st_size > 2_000_000
        code, out, err = run(capsys, "score", tmp_path / "d.json", "--json")
        assert (code, err) == (0, "")
        expected = assess(from_dict(data, Dossier), default_ruleset())
        assert from_dict(exact(json.loads(out)), Assessment) == expected.in_language("fr")

    def test_plan(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        code, out, err = run(capsys, "plan", tmp_path / "d.json")
        assert (code, err) == (0, refused_opt_outs(tmp_path / "d.json"))
        assert out == recommend(sample_dossier(), default_ruleset()).explain() + "\n"

    @pytest.mark.parametrize("target", [None, 0, 3, 4, 5])
    def test_plan_as_json(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, target: int | None
    ) -> None:
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        extra = [] if target is None else ["--target", target]
        code, out, _ = run(capsys, "plan", tmp_path / "d.json", "--json", *extra)
        assert code == 0
        expected = recommend(sample_dossier(), default_ruleset(), target=target)
        assert from_dict(exact(json.loads(out)), Plan) == expected

    @pytest.mark.parametrize(
        "files",
        [SCENARIO_FILES[:1], SCENARIO_FILES[1:], SCENARIO_FILES],
        ids=["json", "toml", "both"],
    )
    def test_check_the_example_scenarios(
        self, capsys: pytest.CaptureFixture[str], files: tuple[Path, ...]
    ) -> None:
        code, out, err = run(capsys, "check", *files)
        count = scenario_count(*files)
        assert count >= 5
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[-1] == f"{count} réussis, 0 échoué"
        assert sum(line.startswith("ok    ") for line in lines) == count
        english = run(capsys, "check", *files, "--lang", "en")[1].splitlines()
        assert english[-1] == f"{count} passed, 0 failed"

    def test_a_failing_scenario(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        data = {
            "scenarios": [
                scenario("holds", expect_grade=3),
                scenario("fails", expect_grade=4, expect_mentions=["libre"]),
            ]
        }
        (tmp_path / "s.json").write_text(text(data), encoding="utf-8")
        code, out, err = run(capsys, "check", tmp_path / "s.json", "--lang", "en")
        assert (code, err) == (1, "")
        lines = out.splitlines()
        assert lines[0] == f"ok   {tmp_path / 's.json'}: holds"
        assert lines[1] == f"FAIL {tmp_path / 's.json'}: fails"
        assert lines[2].startswith("  - fails: expected grade 4, got 3")
        assert lines[3].startswith("  - fails: expected mentions {'libre'}, got none")
        assert lines[-1] == "1 passed, 1 failed"

    def test_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "--help")
        assert code == 0
        assert "score" in out


# --- the catalogue of bad input ---------------------------------------------------------------

# Each case: the files to write (a name and its content: text, bytes or DIRECTORY),
# the arguments and the problems expected on stderr, each given by how its line starts
# after "error: ". "@name" stands for the path of the file "name" in a temporary folder.
DIRECTORY = object()
Files = dict[str, object]


def deep_lists(depth: int) -> str:
    return "[" * depth + "]" * depth


def with_repeated_key(data: dict[str, Any], key: str, value: object) -> str:
    """The JSON text of *data* with *key* given once more, first."""
    return "{" + json.dumps(key) + ": " + json.dumps(value) + ", " + text(data)[1:]


def scenarios_text(*items: dict[str, Any]) -> str:
    return text({"scenarios": list(items)})


TAIL_TOML = """
[[scenarios]]
name = "empty village"
expect_grade = "1"

[scenarios.dossier]
year = 2016

[scenarios.dossier.territory]
code = "48001"
name = "Albaret"
kind = "commune"
population = 500
"""

CLI_CASES: list[tuple[str, Files, list[str], list[str]]] = [
    # files that cannot be read as a dossier
    ("missing dossier", {}, ["score", "@d.json"], ["@d.json: no such file"]),
    ("a directory", {"d.json": DIRECTORY}, ["score", "@d.json"], ["@d.json: cannot be read"]),
    ("not UTF-8", {"d.json": b"\xff\xfe{\x00}\x00"}, ["score", "@d.json"], ["@d.json: not UTF-8"]),
    (
        "Latin-1 text",
        {"d.json": '{"name": "Montrouge-é"}'.encode("latin-1")},
        ["score", "@d.json"],
        ["@d.json: not UTF-8 text (byte 20)"],
    ),
    (
        "an empty file",
        {"d.json": ""},
        ["score", "@d.json"],
        ["@d.json: the file is empty (a JSON document was expected)"],
    ),
    (
        "a YAML file",
        {"d.yaml": "territory:\n  code: '35999'\n"},
        ["score", "@d.yaml"],
        ["@d.yaml: this looks like YAML; villes-label reads JSON"],
    ),
    (
        "a ruleset given as a dossier",
        {"r.json": text(to_dict(default_ruleset()))},
        ["plan", "@r.json"],
        ["@r.json: this file holds a ruleset; DOSSIER expects a dossier"],
    ),
    (
        "not JSON",
        {"d.json": "territory = 'Montrouge'"},
        ["score", "@d.json"],
        ["@d.json: not valid JSON (Expecting value at line 1, column 1)"],
    ),
    ("truncated JSON", {"d.json": SAMPLE[:300]}, ["score", "@d.json"], ["@d.json: not valid JSON"]),
    (
        "two documents",
        {"d.json": SAMPLE + SAMPLE},
        ["score", "@d.json"],
        ["@d.json: not valid JSON (Extra data"],
    ),
    (
        "a hundred thousand nested lists",
        {"d.json": deep_lists(100_000)},
        ["score", "@d.json"],
        ["@d.json: JSON nested too deeply"],
    ),
    (
        "a hundred thousand nested objects",
        {"d.json": '{"a": ' * 100_000 + "1" + "}" * 100_000},
        ["score", "@d.json"],
        ["@d.json: JSON nested too deeply"],
    ),
    (
        "a number of five thousand digits",
        {"d.json": '{"year": ' + "9" * 5000 + "}"},
        ["score", "@d.json"],
        ["@d.json: not valid JSON (a number has too many digits)"],
    ),
    (
        "a list instead of a dossier",
        {"d.json": "[]"},
        ["score", "@d.json"],
        ["@d.json: expected a Dossier (an object), got list []"],
    ),
    (
        "null",
        {"d.json": "null"},
        ["score", "@d.json"],
        ["@d.json: expected a Dossier (an object), got None"],
    ),
    # dossiers that lose or hide data
    (
        "a repeated key",
        {"d.json": with_repeated_key(dossier_data(), "year", 2017)},
        ["score", "@d.json"],
        ["@d.json: year: key given 2 times"],
    ),
    (
        "a repeated service entry, with another problem",
        {
            "d.json": text(dossier_data((("year",), "2016"))).replace(
                '"services": {', '"services": {"site-internet": "absent", '
            )
        },
        ["score", "@d.json"],
        ["@d.json: services.site-internet: key given 2 times", "@d.json: year: expected an int"],
    ),
    (
        "a service twice in an action",
        {
            "d.json": text(
                dossier_data((("actions", 0, "services"), ["fablab", "open-data", "fablab"]))
            )
        },
        ["score", "@d.json"],
        ["@d.json: actions[0].services[2]: duplicate item 'fablab' (also at index 0)"],
    ),
    # dossiers the rules cannot read
    (
        "an unknown service",
        {"d.json": text(dossier_data((("services", "site-internte"), "deployed")))},
        ["score", "@d.json"],
        [
            (
                "@d.json: services.site-internte: unknown service 'site-internte' "
                "(did you mean 'site-internet'?)"
            )
        ],
    ),
    (
        "an unknown service in an action",
        {"d.json": text(dossier_data((("actions", 1, "services"), ["open-dta"])))},
        ["score", "@d.json"],
        [
            "@d.json: actions[1].services.open-dta: unknown service 'open-dta' (did you mean 'open-data'?)"
        ],
    ),
    (
        "NaN population",
        {
            "d.json": text(dossier_data((("territory", "population"), 0))).replace(
                '"population": 0', '"population": NaN'
            )
        },
        ["score", "@d.json"],
        ["@d.json: territory.population: expected an int, got float nan"],
    ),
    (
        "an infinite year",
        {"d.json": text(dossier_data((("year",), 0))).replace('"year": 0', '"year": Infinity')},
        ["score", "@d.json"],
        ["@d.json: year: expected an int, got float inf"],
    ),
    (
        "every problem at once",
        {
            "d.json": text(
                dossier_data(
                    (("territory", "population"), "many"),
                    (("year",), 1999),
                    (("actions", 2, "status"), "done"),
                    (("comment",), "hello"),
                )
            )
        },
        ["score", "@d.json"],
        [
            "@d.json: territory.population: expected an int",
            "@d.json: year: 1999 is outside 2000..2100",
            "@d.json: actions[2].status: unknown status 'done'",
            "@d.json: comment: unknown field",
        ],
    ),
    # rules
    (
        "grade rules not monotone",
        {"d.json": SAMPLE, "r.json": text(rules_data((("grades", 4, "min_score"), "1/10")))},
        ["score", "@d.json", "--rules", "@r.json"],
        ["@r.json: grades[4]: grade 5"],
    ),
    (
        "a NaN threshold",
        {
            "d.json": SAMPLE,
            "r.json": text(rules_data((("grades", 2, "min_score"), 0))).replace(
                '"min_score": 0,', '"min_score": NaN,'
            ),
        },
        ["score", "@d.json", "--rules", "@r.json"],
        ["@r.json: grades[2].min_score: expected a finite number, got nan"],
    ),
    (
        "an unknown service weight",
        {"d.json": SAMPLE, "r.json": text(rules_data((("service_weights", "site-internte"), 2)))},
        ["score", "@d.json", "--rules", "@r.json"],
        ["@r.json: service_weights.site-internte: unknown service 'site-internte' (did you mean"],
    ),
    (
        "a dossier given as rules",
        {"d.json": SAMPLE},
        ["score", "@d.json", "--rules", "@d.json"],
        ["@d.json: this file holds a dossier; --rules expects a ruleset"],
    ),
    (
        "both files bad",
        {"d.json": "nope"},
        ["score", "@d.json", "--rules", "@r.json"],
        ["@r.json: no such file", "@d.json: not valid JSON"],
    ),
    # plan
    (
        "a target above 5",
        {"d.json": SAMPLE},
        ["plan", "@d.json", "--target", "9"],
        ["--target: 9 is outside 0..5"],
    ),
    (
        "a negative target",
        {"d.json": SAMPLE},
        ["plan", "@d.json", "--target", "-1"],
        ["--target: -1 is outside 0..5"],
    ),
    (
        "plan: an unknown service to exclude",
        {"d.json": SAMPLE},
        ["plan", "@d.json", "--exclude", "budget-participati", "--exclude", "fablab"],
        ["--exclude: unknown service 'budget-participati' (did you mean 'budget-participatif'?)"],
    ),
    # roadmap, questions: values of options named by their option
    (
        "roadmap: no year",
        {"d.json": SAMPLE},
        ["roadmap", "@d.json", "--years", "0"],
        ["--years: expected an int >= 1"],
    ),
    (
        "roadmap: no service a year",
        {"d.json": SAMPLE},
        ["roadmap", "@d.json", "--per-year", "0"],
        ["--per-year: expected an int >= 1"],
    ),
    (
        "questions: a negative limit",
        {"d.json": SAMPLE},
        ["questions", "@d.json", "--limit", "-1"],
        ["--limit: must be >= 0, got -1"],
    ),
    (
        "taxonomy: a negative population",
        {},
        ["taxonomy", "--population", "-5"],
        ["--population: must be >= 0, got -5"],
    ),
    (
        "plan: an unknown service",
        {"d.json": text(dossier_data((("services", "wifi"), "deployed")))},
        ["plan", "@d.json"],
        ["@d.json: services.wifi: unknown service 'wifi' (did you mean 'wifi-public'?)"],
    ),
    ("plan: no file", {}, ["plan", "@d.json", "--target", "4"], ["@d.json: no such file"]),
    (
        "plan: an unknown kind",
        {"d.json": text(dossier_data((("territory", "kind"), "comune")))},
        ["plan", "@d.json"],
        ["@d.json: territory.kind: unknown territory kind 'comune' (did you mean 'commune'?)"],
    ),
    # check
    ("invalid TOML", {"s.toml": "a = = 1"}, ["check", "@s.toml"], ["@s.toml: not valid TOML"]),
    (
        "a TOML key given twice",
        {"s.toml": "a = 1\na = 2\n"},
        ["check", "@s.toml"],
        ["@s.toml: not valid TOML (Cannot overwrite a value"],
    ),
    (
        "a hundred thousand nested TOML arrays",
        {"s.toml": "a = " + deep_lists(100_000)},
        ["check", "@s.toml"],
        ["@s.toml: TOML nested too deeply"],
    ),
    ("TOML not UTF-8", {"s.toml": b"name = '\xe9'"}, ["check", "@s.toml"], ["@s.toml: not UTF-8"]),
    (
        "a TOML scenario with a grade as text",
        {"s.toml": TAIL_TOML},
        ["check", "@s.toml"],
        ["@s.toml: scenarios[0].expect_grade: expected an int"],
    ),
    (
        "no scenarios key",
        {"s.json": '{"tests": []}'},
        ["check", "@s.json"],
        ["@s.json: tests: unknown key", "@s.json: scenarios: missing"],
    ),
    (
        "scenarios as an object",
        {"s.json": '{"scenarios": {}}'},
        ["check", "@s.json"],
        ["@s.json: scenarios: expected a list of scenarios, got dict"],
    ),
    (
        "a scenario with an unknown status",
        {"s.json": scenarios_text(changed(scenario(), (("dossier", "services", "fablab"), "yes")))},
        ["check", "@s.json"],
        ["@s.json: scenarios[0].dossier.services.fablab: unknown status 'yes'"],
    ),
    (
        "two scenarios of the same name",
        {"s.json": scenarios_text(scenario("a"), scenario("b"), scenario("a"))},
        ["check", "@s.json"],
        ["@s.json: scenarios[2].name: duplicate scenario name 'a' (also scenarios[0])"],
    ),
    (
        "an unknown expected mention",
        {"s.json": scenarios_text(scenario(expect_mentions=["libres"]))},
        ["check", "@s.json"],
        ["@s.json: scenarios[0].expect_mentions: unknown mention 'libres' (did you mean 'libre'?)"],
    ),
    (
        "an unknown service in a scenario",
        {
            "s.json": scenarios_text(
                scenario("x"),
                changed(scenario("y"), (("dossier", "services", "fablabs"), "deployed")),
            )
        },
        ["check", "@s.json"],
        [
            "@s.json: scenarios[1].dossier.services.fablabs: unknown service 'fablabs' (did you mean 'fablab'?)"
        ],
    ),
    (
        "an expected grade of 9",
        {"s.json": scenarios_text(scenario(expect_grade=9))},
        ["check", "@s.json"],
        ["@s.json: scenarios[0].expect_grade: 9 is outside 0..5"],
    ),
    (
        "a repeated key in a scenario",
        {"s.json": text([scenario()]).replace('"name": "sample"', '"name": "a", "name": "b"')},
        ["check", "@s.json"],
        ["@s.json: [0].name: key given 2 times"],
    ),
    (
        "a missing file among good ones",
        {},
        ["check", *map(str, SCENARIO_FILES), "@s.json"],
        ["@s.json: no such file"],
    ),
    (
        "bad rules and a bad scenario file",
        {"r.json": "{", "s.json": "[1]"},
        ["check", "@s.json", "--rules", "@r.json"],
        ["@r.json: not valid JSON", "@s.json: scenarios[0]: expected a scenario table, got int"],
    ),
    # taxonomy
    (
        "taxonomy: rules not JSON",
        {"r.json": "<rules/>"},
        ["taxonomy", "--rules", "@r.json"],
        ["@r.json: not valid JSON"],
    ),
    (
        "taxonomy: no rules file",
        {},
        ["taxonomy", "--json", "--rules", "@r.json"],
        ["@r.json: no such file"],
    ),
    (
        "taxonomy: a taxonomy given as rules",
        {"r.json": text(to_dict(default_taxonomy()))},
        ["taxonomy", "--rules", "@r.json"],
        ["@r.json: this file holds a taxonomy; --rules expects a ruleset"],
    ),
]

# Mistakes in the arguments themselves: argparse prints the usage and the error.
USAGE_CASES: list[tuple[str, list[str]]] = [
    ("no command", []),
    ("an unknown command", ["publish", "d.json"]),
    ("score without a file", ["score"]),
    ("check without a file", ["check"]),
    ("a target that is not a number", ["plan", "d.json", "--target", "four"]),
    ("an unknown language", ["demo", "--lang", "de"]),
    ("an unknown option", ["score", "d.json", "--format", "xml"]),
]


def materialise(tmp_path: Path, files: Files, words: list[str]) -> list[str]:
    """Write *files* in *tmp_path*; *words* with each "@name" replaced by its path."""
    for name, content in files.items():
        target = tmp_path / name
        if content is DIRECTORY:
            target.mkdir()
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            assert isinstance(content, str)
            target.write_text(content, encoding="utf-8")
    return [re.sub(r"@([\w.]+)", lambda name: str(tmp_path / name[1]), word) for word in words]


class TestBadInput:
    """Bad input exits 2, prints nothing on stdout and every problem on stderr, never a traceback."""

    def test_the_catalogue_is_large(self) -> None:
        assert len(CLI_CASES) + len(USAGE_CASES) >= 40
        names = [name for name, *_ in CLI_CASES] + [name for name, _ in USAGE_CASES]
        assert len(set(names)) == len(names)
        commands = {argv[0] for _, _, argv, _ in CLI_CASES}
        assert commands == {"score", "plan", "roadmap", "questions", "check", "taxonomy"}

    @pytest.mark.parametrize(
        ("files", "argv", "expected"),
        [case[1:] for case in CLI_CASES],
        ids=[case[0] for case in CLI_CASES],
    )
    def test_refused(
        self,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        files: Files,
        argv: list[str],
        expected: list[str],
    ) -> None:
        """In English, each problem as the catalogue words it."""
        code, out, err = run(capsys, *materialise(tmp_path, files, argv), "--lang", "en")
        assert "Traceback" not in err
        assert (code, out) == (2, ""), err
        lines = err.splitlines()
        assert all(line.startswith("error: ") for line in lines), err
        starts = ["error: " + start for start in materialise(tmp_path, {}, expected)]
        assert len(lines) == len(starts), err
        for start in starts:
            assert sum(line.startswith(start) for line in lines) == 1, (start, err)

    @pytest.mark.parametrize(
        ("files", "argv"),
        [case[1:3] for case in CLI_CASES],
        ids=[case[0] for case in CLI_CASES],
    )
    def test_refused_in_french(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, files: Files, argv: list[str]
    ) -> None:
        """In French (the default), the same problems at the same places, after "erreur : "."""
        argv = materialise(tmp_path, files, argv)
        code, out, err = run(capsys, *argv)
        english = run(capsys, *argv, "--lang", "en")[2].splitlines()
        assert (code, out) == (2, ""), err
        lines = err.splitlines()
        assert all(line.startswith("erreur : ") for line in lines), err
        assert len(lines) == len(english)

        def place(line: str, word: str) -> str:
            return line.removeprefix(word).split(": ")[0]

        assert sorted(place(line, "erreur : ") for line in lines) == sorted(
            place(line, "error: ") for line in english
        )

    @pytest.mark.parametrize(
        "argv", [case[1] for case in USAGE_CASES], ids=[c[0] for c in USAGE_CASES]
    )
    def test_usage_errors(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        code, out, err = run(capsys, "--lang", "en", *argv)
        assert (code, out) == (2, "")
        assert err.startswith("usage: villes-label")
        assert ": error: " in err
        assert "Traceback" not in err
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.startswith("utilisation : villes-label")
        assert " : erreur : " in err
        assert "usage" not in err
        assert "error" not in err

    def test_a_problem_is_one_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        huge = text(dossier_data((("territory", "kind"), "x" * 100_000)))
        (tmp_path / "d.json").write_text(huge, encoding="utf-8")
        code, _, err = run(capsys, "score", tmp_path / "d.json")
        assert code == 2
        assert len(err.splitlines()) == 1
        assert len(err) < 400


# What the command line says itself about files, in French: (files, arguments, how
# each line of stderr starts after "erreur : "). The problems found inside the data
# are the library's messages, in English in both languages (see docs/reference/cli.md).
FRENCH_CASES: list[tuple[str, Files, list[str], list[str]]] = [
    ("missing dossier", {}, ["score", "@d.json"], ["@d.json: aucun fichier de ce nom"]),
    ("a directory", {"d.json": DIRECTORY}, ["score", "@d.json"], ["@d.json: illisible ("]),
    (
        "Latin-1 text",
        {"d.json": '{"name": "Montrouge-é"}'.encode("latin-1")},
        ["score", "@d.json"],
        ["@d.json: ce n'est pas du texte UTF-8 (octet 20)"],
    ),
    (
        "an empty file",
        {"d.json": ""},
        ["score", "@d.json"],
        ["@d.json: le fichier est vide (un document JSON était attendu)"],
    ),
    (
        "an empty TOML file",
        {"s.toml": " "},
        ["check", "@s.toml"],
        ["@s.toml: le fichier est vide (un document TOML était attendu)"],
    ),
    (
        "a YAML file",
        {"d.yaml": "territory:\n  code: '35999'\n"},
        ["score", "@d.yaml"],
        ["@d.yaml: ce fichier semble écrit en YAML ; villes-label lit du JSON"],
    ),
    (
        "not JSON",
        {"d.json": "territory = 'Montrouge'"},
        ["score", "@d.json"],
        ["@d.json: JSON invalide (valeur attendue, ligne 1, colonne 1)"],
    ),
    (
        "two documents",
        {"d.json": SAMPLE + SAMPLE},
        ["score", "@d.json"],
        ["@d.json: JSON invalide (données en trop après le document, ligne 1"],
    ),
    (
        "a number of five thousand digits",
        {"d.json": '{"year": ' + "9" * 5000 + "}"},
        ["score", "@d.json"],
        ["@d.json: JSON invalide (un nombre a trop de chiffres)"],
    ),
    (
        "nested lists",
        {"d.json": deep_lists(100_000)},
        ["score", "@d.json"],
        ["@d.json: JSON imbriqué trop profondément"],
    ),
    (
        "a repeated key",
        {"d.json": with_repeated_key(dossier_data(), "year", 2017)},
        ["score", "@d.json"],
        ["@d.json: year: clé donnée 2 fois (un objet JSON nomme chaque clé une fois ;"],
    ),
    (
        "a dossier given as rules",
        {"d.json": SAMPLE},
        ["score", "@d.json", "--rules", "@d.json"],
        ["@d.json: ce fichier contient un dossier ; --rules attend des règles"],
    ),
    (
        "a ruleset given as a dossier",
        {"r.json": text(to_dict(default_ruleset()))},
        ["plan", "@r.json"],
        ["@r.json: ce fichier contient des règles ; DOSSIER attend un dossier"],
    ),
    (
        "a taxonomy given as scenarios",
        {"t.json": text(to_dict(default_taxonomy()))},
        ["check", "@t.json"],
        ["@t.json: ce fichier contient un référentiel ; SCÉNARIOS attend des scénarios"],
    ),
    (
        "invalid TOML",
        {"s.toml": "a = = 1"},
        ["check", "@s.toml"],
        ["@s.toml: TOML invalide ("],
    ),
    (
        "the library's own problems stay English",
        {"d.json": text(dossier_data((("services", "site-internte"), "deployed")))},
        ["score", "@d.json"],
        ["@d.json: services.site-internte: unknown service 'site-internte'"],
    ),
]


class TestFrenchFileMessages:
    """Under --lang fr, what the command line says about files is French, typography included."""

    @pytest.mark.parametrize(
        ("files", "argv", "expected"),
        [case[1:] for case in FRENCH_CASES],
        ids=[case[0] for case in FRENCH_CASES],
    )
    def test_refused(
        self,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        files: Files,
        argv: list[str],
        expected: list[str],
    ) -> None:
        code, out, err = run(capsys, *materialise(tmp_path, files, argv), "--lang", "fr")
        assert (code, out) == (2, ""), err
        lines = err.splitlines()
        starts = ["erreur : " + start for start in materialise(tmp_path, {}, expected)]
        assert len(lines) == len(starts), err
        for start in starts:
            assert sum(line.startswith(start) for line in lines) == 1, (start, err)

    def test_every_sentence_has_both_languages(self) -> None:
        from villes_label.cli import _SAY

        for key, (french, english) in _SAY.items():
            assert french != english, key
            fields = set(re.findall(r"{(\w+)}", french))
            assert fields == set(re.findall(r"{(\w+)}", english)), key
            # French typography: a space before a colon, a semicolon, never a colon glued
            # to a word (the place ahead of a message, "FILE: ", excepted).
            body = re.sub(r"^{(path|where)}: ", "", french)
            assert not re.search(r"\w[:;]", body), (key, french)


class TestManyProblems:
    """Past the listed problems, the rest are counted exactly, in the chosen language."""

    @pytest.mark.parametrize(
        ("lang", "last"),
        [("en", "error: and 51 more problems"), ("fr", "erreur : et 51 autres problèmes")],
    )
    def test_a_dossier_with_150_unknown_services(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, last: str
    ) -> None:
        data = dossier_data((("year",), "x"))
        for n in range(150):
            data["services"][f"zz-{n}"] = "deployed"
        path = tmp_path / "d.json"
        path.write_text(text(data), encoding="utf-8")
        code, out, err = run(capsys, "score", path, "--lang", lang)
        assert (code, out) == (2, "")
        lines = err.splitlines()
        # 1 type problem and 150 unknown ids: 100 listed, 51 counted.
        assert len(lines) == MAX_PROBLEMS + 1
        assert lines[-1] == last
        assert sum("unknown service 'zz-" in line for line in lines) == MAX_PROBLEMS - 1

    def test_the_count_of_nested_problems(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        # 3 actions of 300 service ids that are not text: 900 problems, 100 listed.
        actions = [
            {"id": f"a{a}", "title": "t", "services": list(range(300)), "status": "deployed"}
            for a in range(3)
        ]
        path = tmp_path / "d.json"
        path.write_text(text(dossier_data((("actions",), actions))), encoding="utf-8")
        code, out, err = run(capsys, "score", path, "--lang", "en")
        assert (code, out) == (2, "")
        lines = err.splitlines()
        assert len(lines) == MAX_PROBLEMS + 1
        assert lines[-1] == "error: and 800 more problems"

    def test_a_repeated_key_in_a_cohort_list_names_its_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "c.json"
        path.write_text("[" + with_repeated_key(dossier_data(), "year", 2017) + "]", "utf-8")
        code, _, err = run(capsys, "grade", path, "--lang", "en")
        assert code == 2
        assert err.startswith(f"error: {path}: [0].year: key given 2 times")


class TestUnexpectedFailures:
    """What villes_label did not foresee still ends with a status and a sentence in --lang."""

    @pytest.mark.parametrize(
        ("raised", "code", "english", "french"),
        [
            (
                RuntimeError("boom"),
                3,
                "internal error: RuntimeError: boom (this is a bug of villes_label; ",
                "erreur interne : RuntimeError : boom (c'est un bogue de villes_label ; ",
            ),
            (
                RecursionError(),
                2,
                "error: the input is nested too deeply",
                "erreur : les données sont imbriquées trop profondément",
            ),
            (
                MemoryError(),
                2,
                "error: the input is too large for the memory of this machine",
                "erreur : les données sont trop grandes pour la mémoire de cette machine",
            ),
        ],
    )
    def test_said_in_each_language(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        *,
        raised: BaseException,
        code: int,
        english: str,
        french: str,
    ) -> None:
        from villes_label import cli

        def fail(args: object) -> int:
            raise raised

        monkeypatch.setattr(cli, "_demo", fail)
        for lang, start in (("en", english), ("fr", french)):
            status, out, err = run(capsys, "demo", "--lang", lang)
            assert (status, out) == (code, "")
            assert err.startswith(start)


class TestFromAnotherProcess:
    """`python -m villes_label` gives the same bytes whatever PYTHONHASHSEED, and exits 2 on bad input."""

    def command(self, *argv: object, seed: str = "0") -> subprocess.CompletedProcess[str]:
        return run_python("-m", "villes_label", *map(str, argv), seed=seed, check=False)

    def test_score_and_plan_json_across_hash_seeds(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        for argv in (
            ("score", tmp_path / "d.json", "--json"),
            ("plan", tmp_path / "d.json", "--json", "--target", "5"),
        ):
            outputs = set()
            for seed in ("0", "1", "2"):
                done = self.command(*argv, seed=seed)
                assert (done.returncode, done.stderr) == (0, refused_opt_outs(tmp_path / "d.json"))
                outputs.add(done.stdout)
            assert len(outputs) == 1
            # ... and the same bytes as in this process.
            assert run(capsys, *argv)[1] == outputs.pop()

    def test_bad_input_exits_2(self, tmp_path: Path) -> None:
        (tmp_path / "d.json").write_text(deep_lists(100_000), encoding="utf-8")
        done = self.command("score", tmp_path / "d.json", "--lang", "en")
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr == f"error: {tmp_path / 'd.json'}: JSON nested too deeply\n"
        done = self.command("score", tmp_path / "d.json")
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == f"erreur : {tmp_path / 'd.json'}: JSON imbriqué trop profondément\n"


class _FullDevice(io.StringIO):
    """A standard output on a full disk: every write fails."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


class TestOutputErrors:
    """Output that cannot be written is the user's problem (status 2, in --lang), not a bug."""

    @pytest.mark.parametrize(
        ("where", "french", "english"),
        [
            (
                "missing/x.csv",
                "impossible d'écrire (le répertoire {tmp}/missing n'existe pas)",
                "cannot be written (there is no folder {tmp}/missing)",
            ),
            (
                ".",
                "impossible d'écrire (c'est un répertoire, pas un fichier)",
                "cannot be written (it is a folder, not a file)",
            ),
        ],
    )
    def test_grade_to_a_bad_path(
        self,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        where: str,
        french: str,
        english: str,
    ) -> None:
        cohort = tmp_path / "c.json"
        cohort.write_text("[" + SAMPLE + "]", encoding="utf-8")
        output = tmp_path / where
        for lang, start, said in (("fr", "erreur : ", french), ("en", "error: ", english)):
            code, out, err = run(capsys, "grade", cohort, "-o", output, "--lang", lang)
            assert (code, out) == (2, "")
            assert err == f"{start}{output}: {said.format(tmp=tmp_path)}\n"

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
    def test_grade_to_a_full_device(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        cohort = tmp_path / "c.json"
        cohort.write_text("[" + SAMPLE + "]", encoding="utf-8")
        code, out, err = run(capsys, "grade", cohort, "-o", "/dev/full", "--lang", "en")
        assert (code, out) == (2, "")
        assert err == "error: /dev/full: cannot be written (no space left on the device)\n"

    @pytest.mark.parametrize(
        "argv",
        [
            ["demo"],
            ["taxonomy"],
            ["score", "{dossier}"],
            ["score", "{dossier}", "--json"],
            ["plan", "{dossier}"],
            ["roadmap", "{dossier}"],
            ["questions", "{dossier}"],
            ["dashboard", "{dossier}"],
            ["grade", "{cohort}"],
            ["grade", "{cohort}", "-o", "-"],
            ["check", str(SCENARIO_FILES[0])],
            ["--help"],
            ["--version"],
        ],
    )
    def test_a_full_standard_output(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        argv: list[str],
    ) -> None:
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        (tmp_path / "c.json").write_text("[" + SAMPLE + "]", encoding="utf-8")
        words = [
            word.format(dossier=tmp_path / "d.json", cohort=tmp_path / "c.json") for word in argv
        ]
        full = _FullDevice()
        monkeypatch.setattr(sys, "stdout", full)
        for lang, said in (
            (
                "fr",
                (
                    "erreur : impossible d'écrire sur la sortie standard "
                    "(plus de place sur le périphérique)"
                ),
            ),
            ("en", "error: cannot write to standard output (no space left on the device)"),
        ):
            code = main([*words, "--lang", lang])
            assert sys.stdout is full  # given back as it was
            err = capsys.readouterr().err
            assert code == 2
            assert err.splitlines()[-1] == said
            assert "bug" not in err
            assert "bogue" not in err

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
    def test_a_full_device_from_another_process(self, tmp_path: Path) -> None:
        (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        with Path("/dev/full").open("w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "villes_label", "score", tmp_path / "d.json"],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                check=False,
            )
        assert done.returncode == 2
        # Nothing more when Python flushes standard output on exit.
        assert done.stderr.splitlines()[-1] == (
            "erreur : impossible d'écrire sur la sortie standard (plus de place sur le périphérique)"
        )
        assert "Exception" not in done.stderr


def _rules_with_min_score(tmp_path: Path, was: str, literal: str) -> Path:
    """Rules whose first ``min_score`` of *was* reads the JSON number *literal*, and the sample
    dossier beside them (``d.json``)."""
    rules = tmp_path / "r.json"
    rules.write_text(
        text(rules_data()).replace(f'"min_score": {was}', f'"min_score": {literal}', 1),
        encoding="utf-8",
    )
    assert literal in rules.read_text(encoding="utf-8")
    (tmp_path / "d.json").write_text(SAMPLE, encoding="utf-8")
    return rules


class TestNumbersAsWritten:
    """A JSON or TOML number is read as the float it writes, or refused at its path.

    ``1e-400`` is no 0, ``1e400`` no infinity, ``0.58333333333333333333`` no
    0.5833333333333334: each is a problem, said once, and nothing is computed from it.
    """

    @pytest.mark.parametrize(
        ("literal", "read_as"),
        [
            ("1e-400", "0.0"),
            ("-1e-400", "-0.0"),
            ("1e400", "inf"),
            ("1e999999999999", "inf"),
            ("0.58333333333333333333", "0.5833333333333334"),
            ("0." + "0" * 400 + "1", "0.0"),
        ],
    )
    def test_refused_in_rules(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, literal: str, read_as: str
    ) -> None:
        rules = _rules_with_min_score(tmp_path, '"7/12"', literal)
        code, out, err = run(capsys, "score", tmp_path / "d.json", "--rules", rules, "--lang", "en")
        assert (code, out) == (2, "")
        (line,) = err.splitlines()
        assert line.startswith(f"error: {rules}: grades[")
        shown = literal if len(literal) <= 60 else literal[:40] + "..."
        assert f"min_score: the number {shown} cannot be read as written" in line
        assert f"(a float would make it {read_as})" in line
        code, _, err = run(capsys, "score", tmp_path / "d.json", "--rules", rules)
        assert code == 2
        assert f"le nombre {shown} ne peut être lu tel qu'il est écrit" in err

    @pytest.mark.parametrize("literal", ["0.5833333333333334", "0.35", "35e-2", "1e-90", "-0.0"])
    def test_a_float_as_written_is_read(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, literal: str
    ) -> None:
        rules = _rules_with_min_score(tmp_path, '"0"', literal)
        code, _, err = run(capsys, "score", tmp_path / "d.json", "--rules", rules, "--lang", "en")
        assert "cannot be read as written" not in err
        # Above the next grade's threshold, 0.5833333333333334 makes the rules non-monotone.
        assert code == (2 if literal.startswith("0.58") else 0)

    def test_refused_in_a_scenario_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "s.toml"
        path.write_text(
            SCENARIO_FILES[1]
            .read_text(encoding="utf-8")
            .replace('expect_score = "1/2"', "expect_score = 1e-400", 1),
            encoding="utf-8",
        )
        code, out, err = run(capsys, "check", path, "--lang", "en")
        assert (code, out) == (2, "")
        assert err.startswith(f"error: {path}: scenarios[0].expect_score: the number 1e-400 ")

    def test_refused_in_a_dossier_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "c.jsonl"
        bad = SAMPLE.replace('"population": 12400', '"population": 1.24e4000', 1)
        assert bad != SAMPLE
        path.write_text(SAMPLE + "\n" + bad + "\n", encoding="utf-8")
        code, out, err = run(capsys, "grade", path, "--lang", "en")
        assert (code, out) == (2, "")
        assert err.splitlines()[0] == (
            f"error: {path}:2: territory.population: the number 1.24e4000 cannot be read as "
            "written (a float would make it inf); an exact fraction is written as a string, such "
            'as "7/12" or "0.35"'
        )


class TestQuestionsLimit:
    """`questions --limit 0` says that none was shown, not that the dossier answers everything."""

    def test_limit_zero(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = tmp_path / "d.json"
        path.write_text(SAMPLE, encoding="utf-8")
        assert run(capsys, "questions", path, "--limit", "0")[:2] == (
            0,
            "Aucune question affichée (--limit 0).\n",
        )
        assert run(capsys, "questions", path, "--limit", "0", "--lang", "en")[:2] == (
            0,
            "No question shown (--limit 0).\n",
        )
        assert run(capsys, "questions", path, "--limit", "0", "--json")[:2] == (0, "[]\n")
        # The sample dossier has questions left: with a limit, some are asked.
        assert "1. " in run(capsys, "questions", path, "--limit", "1")[1]

    def test_a_negative_limit_is_refused(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = tmp_path / "d.json"
        path.write_text(SAMPLE, encoding="utf-8")
        code, out, err = run(capsys, "questions", path, "--limit", "-1", "--lang", "en")
        assert (code, out) == (2, "")
        assert err == "error: --limit: must be >= 0, got -1\n"
