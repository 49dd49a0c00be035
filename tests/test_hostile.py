"""Hostile input, class by class: bounded numbers, writable text, bounded work, all at once.

Each class of hole found by an adversarial pass has its tests here: numbers of
every form and size, every Unicode category in ids, names and codes, huge and
repeated unknown ids, several mistakes in one file, and a fuzzing test of the
command line's input files.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import villes_label as vl
from helpers import run_python
from villes_label import Dossier, GradeRule, InvalidInput, from_dict, to_dict
from villes_label._errors import MAX_PROBLEMS
from villes_label._initiatives import link_problem
from villes_label._values import MAX_DIGITS
from villes_label.cli import main
from villes_label.referential import sample_dossier

if TYPE_CHECKING:
    from collections.abc import Callable

LIMIT = 10**MAX_DIGITS


def threshold(raw: object) -> GradeRule:
    return from_dict({"arobases": 1, "min_score": raw}, GradeRule)


def prints_and_serializes(value: object) -> None:
    """Every accepted value prints, and writes to JSON as UTF-8."""
    repr(value)
    str(value)
    json.dumps(to_dict(value), ensure_ascii=False).encode("utf-8")


def run_cli(*argv: object) -> tuple[int, str, str]:
    """The command line in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


# --- numbers ----------------------------------------------------------------------------

NUMBERS_ACCEPTED = [
    ("7/20", Fraction(7, 20)),
    (" 7 / 20 ", Fraction(7, 20)),
    ("0.35", Fraction(7, 20)),
    ("+.5", Fraction(1, 2)),
    ("5.", Fraction(5)),
    ("-0.0", Fraction(0)),
    ("35e-2", Fraction(7, 20)),
    ("3_5E-2", Fraction(7, 20)),
    ("1_000e-3", Fraction(1)),
    ("0e-999_999_999", Fraction(0)),
    ("0." + "0" * 98 + "1", Fraction(1, 10**99)),
    ("9" * MAX_DIGITS, Fraction(int("9" * MAX_DIGITS))),
    (0.1, Fraction(1, 10)),
    (1e-90, Fraction(1, 10**90)),
    (10**99, Fraction(10**99)),
    (Fraction(1, 10**99), Fraction(1, 10**99)),
]
NUMBERS_REFUSED = [
    "1e-9_999_999",
    "1e-99_999_999",
    "1e99999999999999999999",
    "0." + "0" * 4299 + "1",
    "0." + "0" * 100 + "1",
    "1" * (MAX_DIGITS + 1),
    "1_" * MAX_DIGITS + "1",
    "1/" + "3" * (MAX_DIGITS + 1),
    "1e100",
    "1/0",
    "٣/٤",  # Arabic-Indic digits
    "３５",  # full-width digits
    "1e",
    "e5",
    "1__0",
    "_1",
    "1_",
    "0x10",
    "1/2/3",
    "nan",
    "-inf",
    "Infinity",
    "",
    " ",
    "1" * 1_000_000,
    10**MAX_DIGITS,
    -(10**5000),
    Fraction(1, 10**MAX_DIGITS),
    1e-300,
    1e300,
    float("nan"),
    True,
    [1, 2],
    None,
]


class TestNumbers:
    """Every number is bounded before any arithmetic; every accepted one prints and serializes."""

    @pytest.mark.parametrize(("raw", "expected"), NUMBERS_ACCEPTED, ids=repr)
    def test_accepted(self, raw: object, expected: Fraction) -> None:
        reason = vl.Reason(code="c", message="m", actual=raw)  # type: ignore[arg-type]
        assert reason.actual == expected
        prints_and_serializes(reason)

    @pytest.mark.parametrize(
        "raw",
        NUMBERS_REFUSED,
        ids=[f"{n}-{type(raw).__name__}" for n, raw in enumerate(NUMBERS_REFUSED)],
    )
    def test_refused(self, raw: object) -> None:
        with pytest.raises(InvalidInput) as caught:
            threshold(raw)
        assert [problem.path for problem in caught.value.details] == [("min_score",)]
        assert all(len(problem) < 300 for problem in caught.value.problems)

    @given(
        text=st.text(alphabet="0123456789_.eE+-/ ", max_size=40)
        | st.builds(
            lambda mantissa, exponent: f"{mantissa}e{exponent}",
            st.integers(-(10**6), 10**6),
            st.integers(-(10**12), 10**12),
        )
    )
    def test_any_numeric_text(self, text: str) -> None:
        try:
            value = vl.Reason(code="c", message="m", actual=text).actual
        except InvalidInput as error:
            assert [p.path for p in error.details] == [("actual",)]  # noqa: PT017
            return
        assert value is not None
        assert abs(value.numerator) < LIMIT
        assert value.denominator < LIMIT
        prints_and_serializes(vl.Reason(code="c", message="m", actual=value))

    @pytest.mark.parametrize(
        "population", [10**MAX_DIGITS, -(10**MAX_DIGITS), 10**5000], ids=["limit", "-limit", "huge"]
    )
    def test_ints(self, population: int) -> None:
        data = to_dict(sample_dossier().territory)
        data["population"] = population
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, vl.Territory)
        assert [p.path for p in caught.value.details] == [("population",)]
        data["population"] = 10**MAX_DIGITS - 1
        prints_and_serializes(from_dict(data, vl.Territory))


# --- text -------------------------------------------------------------------------------

# One character of every Unicode general category.
CATEGORIES = {
    "Lu": "A",
    "Ll": "a",
    "Lt": "ǅ",
    "Lm": "ʰ",
    "Lo": "中",
    "Mn": "\u0301",
    "Mc": "\u0903",
    "Me": "\u20dd",
    "Nd": "٣",
    "Nl": "Ⅻ",
    "No": "²",
    "Pc": "_",
    "Pd": "-",
    "Ps": "(",
    "Pe": ")",
    "Pi": "«",
    "Pf": "»",
    "Po": "!",
    "Sm": "+",
    "Sc": "€",
    "Sk": "^",
    "So": "©",
    "Zs": "\u00a0",
    "Zl": "\u2028",
    "Zp": "\u2029",
    "Cc": "\x01",
    "Cf": "\u200b",
    "Cs": "\ud800",
    "Co": "\ue000",
    "Cn": "\u0378",
}
INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Cn"}
LINE_OR_CONTROL = {"Zl", "Zp", "Cc"}


class TestText:
    """Ids and names need a visible character; text UTF-8 cannot write is refused; codes are ASCII."""

    @pytest.mark.parametrize("category", sorted(CATEGORIES))
    def test_an_id_of_one_character(self, category: str) -> None:
        char = CATEGORIES[category]
        if category in INVISIBLE:
            with pytest.raises(InvalidInput) as caught:
                vl.Service(id=char, name="x")
            assert [p.path for p in caught.value.details] == [("id",)]
        else:
            prints_and_serializes(vl.Service(id=char, name=char))

    @pytest.mark.parametrize("category", sorted(CATEGORIES))
    def test_a_dossier_entry_and_a_territory_name(self, category: str) -> None:
        char = CATEGORIES[category]
        data = to_dict(sample_dossier())
        data["services"] = {char * 3: "deployed"}
        data["territory"]["name"] = char * 3
        if category in INVISIBLE:
            with pytest.raises(InvalidInput) as caught:
                from_dict(data, Dossier)
            assert len(caught.value.details) == 2
        else:
            prints_and_serializes(from_dict(data, Dossier))

    @pytest.mark.parametrize("category", sorted(CATEGORIES))
    def test_text_around_a_visible_character(self, category: str) -> None:
        char = CATEGORIES[category]
        action = {
            "id": f"a{char}",
            "title": f"t{char}",
            "services": [f"s{char}"],
            "status": "deployed",
        }
        if category == "Cs":
            with pytest.raises(InvalidInput) as caught:
                from_dict(action, vl.Action)
            assert all("cannot be written as UTF-8" in p for p in caught.value.problems)
            assert len(caught.value.details) == 3
        elif category in LINE_OR_CONTROL:
            # A report would show something else than the text: a new line, an escape...
            with pytest.raises(InvalidInput) as caught:
                from_dict(action, vl.Action)
            assert all("line break or control character" in p for p in caught.value.problems)
            assert [p.path for p in caught.value.details] == [("id",), ("title",), ("services", 0)]
        else:
            prints_and_serializes(from_dict(action, vl.Action))

    @pytest.mark.parametrize("category", sorted(CATEGORIES))
    def test_codes_are_ascii_digits(self, category: str) -> None:
        char = CATEGORIES[category]
        for kind, code in (("commune", "9204" + char), ("metropole", "20005478" + char)):
            with pytest.raises(InvalidInput) as caught:
                vl.Territory(code=code, name="x", kind=kind, population=1)
            assert [p.path for p in caught.value.details] == [("code",)]

    @pytest.mark.parametrize(
        "char", ["\n", "\r", "\t", "\x1b", "\x85", "\u2028", "\u202e", "\u2066"]
    )
    def test_a_name_is_shown_as_written(self, char: str) -> None:
        """No name may add a line to a report, move the cursor or reverse the text after it."""
        with pytest.raises(InvalidInput, match=r"^name: .*line break or control character"):
            vl.Territory(
                code="35238", name=f"Rennes{char}Note : @@@@@", kind="commune", population=1
            )

    def test_non_ascii_digits_in_a_code(self) -> None:
        for kind, code in (("commune", "92٠٤٩"), ("metropole", "２００００５４７８")):
            with pytest.raises(InvalidInput, match="code"):
                vl.Territory(code=code, name="x", kind=kind, population=1)


# --- odd values -------------------------------------------------------------------------


class TestOddValues:
    """Values that are well typed but meaningless are refused, each with its path."""

    def test_a_standalone_service_with_an_empty_id(self) -> None:
        with pytest.raises(InvalidInput, match="id: empty id"):
            vl.Service(id="", name="x")

    def test_a_service_both_added_and_removed(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            vl.TaxonomyDiff(added={"a", "b"}, removed={"b"}, renamed={"a"})
        assert [str(p.path) for p in caught.value.details] == [
            str(("removed", "b")),
            str(("renamed", "a")),
        ]

    def test_a_mention_awarded_twice(self) -> None:
        result = vl.assess(sample_dossier(), vl.default_ruleset())
        data = to_dict(result)
        data["mentions"] = ["libre", "libre"]
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, vl.Assessment)
        assert [p.path for p in caught.value.details] == [("mentions", 1)]

    def test_the_scorer_refuses_a_mapping_of_dossiers(self) -> None:
        scorer = vl.Scorer(vl.default_ruleset())
        with pytest.raises(InvalidInput, match="dossiers"):
            scorer.grades({"a": sample_dossier()})  # type: ignore[dict-item]

    def test_a_comparison_key_is_shown_as_in_json(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            vl.Comparison(transitions={(3, 9): 1})
        assert caught.value.problems[0].startswith("transitions.3->9: ")


# --- bounded work, bounded report ---------------------------------------------------------


class TestBoundedReports:
    """Past a hundred problems the rest are counted; no search for suggestions is made for them."""

    def test_twenty_thousand_unknown_ids(self) -> None:
        dossier = Dossier(
            territory=sample_dossier().territory,
            year=2016,
            services={f"unknown-{n}": "deployed" for n in range(20_000)},
        )
        with pytest.raises(InvalidInput) as caught:
            vl.assess(dossier, vl.default_ruleset())
        assert len(caught.value.details) == MAX_PROBLEMS
        assert caught.value.more == 20_000 - MAX_PROBLEMS
        assert caught.value.problems[-1] == f"and {20_000 - MAX_PROBLEMS} more problems"

    def test_a_repeated_unknown_id_in_every_action(self) -> None:
        actions = [
            {"id": f"a{n}", "title": "t", "services": ["site-internte"], "status": "deployed"}
            for n in range(5_000)
        ]
        dossier = from_dict({**to_dict(sample_dossier()), "actions": actions}, Dossier)
        with pytest.raises(InvalidInput) as caught:
            vl.assess(dossier, vl.default_ruleset())
        assert len(caught.value.problems) == MAX_PROBLEMS + 1
        assert "did you mean 'site-internet'" in caught.value.problems[0]

    def test_a_hundred_thousand_bad_statuses(self) -> None:
        data = to_dict(sample_dossier())
        data["services"] = {f"s{n}": "done" for n in range(100_000)}
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, Dossier)
        assert len(caught.value.problems) <= MAX_PROBLEMS + 1
        assert caught.value.problems[-1].endswith("more problems")

    def test_nested_counts_are_kept(self) -> None:
        """A dossier's own unlisted problems count for what they are, not for one."""
        data = to_dict(sample_dossier())
        data["services"] = {f"s{n}": "done" for n in range(300)}
        with pytest.raises(InvalidInput) as caught:
            from_dict([data], tuple[Dossier, ...])
        assert len(caught.value.details) + caught.value.more == 300
        assert caught.value.problems[-1] == "and 200 more problems"

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(
            st.tuples(st.integers(0, 250), st.lists(st.integers(0, 150), max_size=3)),
            min_size=1,
            max_size=4,
        ).filter(lambda shape: any(bad or any(ids) for bad, ids in shape))
    )
    def test_every_bad_value_is_listed_or_counted(self, shape: list[tuple[int, list[int]]]) -> None:
        """For nested data with k bad values, the problems listed plus those counted are k."""
        base = to_dict(sample_dossier())
        cohort = []
        for bad_statuses, bad_ids in shape:
            data = dict(base)
            data["services"] = {f"s{n}": "done" for n in range(bad_statuses)}
            data["actions"] = [
                {"id": f"a{a}", "title": "t", "services": list(range(count)), "status": "deployed"}
                for a, count in enumerate(bad_ids)
                if count
            ]
            cohort.append(data)
        k = sum(bad + sum(ids) for bad, ids in shape)
        with pytest.raises(InvalidInput) as caught:
            from_dict(cohort, tuple[Dossier, ...])
        assert len(caught.value.details) <= MAX_PROBLEMS
        assert len(caught.value.details) + caught.value.more == k

    def test_a_megabyte_unknown_id(self) -> None:
        dossier = Dossier(
            territory=sample_dossier().territory, year=2016, services={"x" * 1_000_000: "deployed"}
        )
        with pytest.raises(InvalidInput) as caught:
            vl.assess(dossier, vl.default_ruleset())
        assert len(caught.value.problems[0]) < 400


def _typos(count: int) -> list[str]:
    """*count* unknown service ids, each a typo of a known one (a search finds a suggestion)."""
    return [f"site-internet-{n}" for n in range(count)]


def _taxonomy_with_aliases(targets: list[str]) -> dict[str, Any]:
    data = to_dict(vl.default_taxonomy())
    return {**data, "aliases": {f"old-{n:06d}": target for n, target in enumerate(targets)}}


def _ruleset_with_mention_sources(sources: list[str]) -> dict[str, Any]:
    data = to_dict(vl.default_ruleset())
    mention = data["mentions"][0]
    data["mentions"] = [
        {**mention, "id": f"m{n}", "source": source} for n, source in enumerate(sources)
    ]
    return data


def _taxonomy_with_service_sources(sources: list[str]) -> dict[str, Any]:
    data = to_dict(vl.default_taxonomy())
    issue = data["themes"][0]["issues"][0]
    service = issue["services"][0]
    issue["services"] = [
        {**service, "id": f"svc-{n}", "source": source} for n, source in enumerate(sources)
    ]
    return data


UNKNOWN_IDS: dict[str, Callable[[list[str]], object]] = {
    "recommend(exclude=...)": lambda ids: vl.recommend(
        sample_dossier(), vl.default_ruleset(), exclude=ids
    ),
    "migrate(renames=...)": lambda ids: vl.migrate(
        sample_dossier(), vl.default_taxonomy(), {f"old-{n}": new for n, new in enumerate(ids)}
    ),
    "Taxonomy(aliases=...)": lambda ids: from_dict(_taxonomy_with_aliases(ids), vl.Taxonomy),
    "Taxonomy: services' sources": lambda ids: from_dict(
        _taxonomy_with_service_sources(ids), vl.Taxonomy
    ),
    "Ruleset: mentions' sources": lambda ids: from_dict(
        _ruleset_with_mention_sources(ids), vl.Ruleset
    ),
}


class TestSuggestionsOnlyForListedProblems:
    """However many unknown ids an argument or a document holds, the closest known ids are
    searched for the problems listed only (at most `MAX_PROBLEMS`); the others are counted."""

    @pytest.mark.parametrize("call", UNKNOWN_IDS.values(), ids=UNKNOWN_IDS)
    def test_searches_are_bounded(
        self, call: Callable[[list[str]], object], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        searches = 0
        search = vl._errors.closest

        def counted(*args: Any, **kwargs: Any) -> list[str]:
            nonlocal searches
            searches += 1
            return search(*args, **kwargs)

        monkeypatch.setattr(vl._errors, "closest", counted)
        count = 3 * MAX_PROBLEMS
        with pytest.raises(InvalidInput) as caught:
            call(_typos(count))
        assert searches <= MAX_PROBLEMS
        assert len(caught.value.details) == MAX_PROBLEMS
        assert len(caught.value.details) + caught.value.more == count
        assert "did you mean" in caught.value.problems[0]


MEGABYTE = "x" * 1_000_000


def _with(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**data, **changes}


def _action(**changes: Any) -> dict[str, Any]:
    action = {"id": "a1", "title": "Portail", "services": ["site-internet"], "status": "deployed"}
    return _with(action, **changes)


def _dossier_data(**changes: Any) -> dict[str, Any]:
    return _with(to_dict(sample_dossier()), **changes)


def _taxonomy_data() -> dict[str, Any]:
    data = to_dict(vl.default_taxonomy())
    issue = data["themes"][0]["issues"][0]
    issue["services"] = [*issue["services"], {**issue["services"][0], "id": MEGABYTE}] * 2
    return data


def _ruleset_data(field: str) -> dict[str, Any]:
    data = to_dict(vl.default_ruleset())
    if field == "mentions":
        data["mentions"] = [{**data["mentions"][0], "id": MEGABYTE}] * 2
    elif field == "expectations":
        data["expectations"] = [{**data["expectations"][0], "stratum": MEGABYTE}] * 2
    else:
        data["sources"] = [{**data["sources"][0], "id": MEGABYTE}] * 2
    return data


def _plan_data() -> dict[str, Any]:
    data = to_dict(vl.recommend(sample_dossier(), vl.default_ruleset(), 5))
    step = {**data["steps"][0], "service": MEGABYTE}
    return {**data, "steps": [step, step]}


LONG_VALUES: dict[str, tuple[type, Callable[[], object]]] = {
    "a link with a space": (vl.Action, lambda: _action(links=[f"https://{MEGABYTE} x"])),
    "a link that is not http(s)": (vl.Action, lambda: _action(links=[f"ftp://{MEGABYTE}"])),
    "a postal code": (vl.Place, lambda: {"commune": "07208", "postal_code": MEGABYTE}),
    "a département given": (
        vl.Territory,
        lambda: _with(to_dict(sample_dossier().territory), code="07208", departement=MEGABYTE),
    ),
    "an action id twice": (vl.Dossier, lambda: _dossier_data(actions=[_action(id=MEGABYTE)] * 2)),
    "a delivered opt-out": (
        vl.Dossier,
        lambda: _dossier_data(
            services={"site-internet": "not_applicable"}, actions=[_action(id=MEGABYTE)]
        ),
    ),
    "a service id twice": (vl.Taxonomy, _taxonomy_data),
    "a mention id twice": (vl.Ruleset, lambda: _ruleset_data("mentions")),
    "a stratum twice": (vl.Ruleset, lambda: _ruleset_data("expectations")),
    "a source id twice": (vl.Ruleset, lambda: _ruleset_data("sources")),
    "a step twice": (vl.Plan, _plan_data),
}


class TestShortProblems:
    """A problem shows a text of the input cut in the middle, never a megabyte of it."""

    @pytest.mark.parametrize(("cls", "data"), LONG_VALUES.values(), ids=LONG_VALUES)
    def test_a_megabyte_of_text(self, cls: type, data: Callable[[], object]) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_dict(data(), cls)
        assert all(len(problem) < 1_000 for problem in caught.value.problems)

    def test_a_duplicate_scenario_name(self) -> None:
        scenario = {"name": MEGABYTE, "dossier": to_dict(sample_dossier()), "expect_grade": 3}
        with pytest.raises(InvalidInput) as caught:
            vl.scenarios_from_data({"scenarios": [scenario, scenario]})
        assert all(len(problem) < 1_000 for problem in caught.value.problems)

    def test_link_problem(self) -> None:
        assert len(link_problem(f"https://{MEGABYTE} x") or "") < 1_000


# --- the command line ---------------------------------------------------------------------


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


class TestCommandLine:
    """Every mistake of a file at once; text that cannot be written exits 2; warnings on stderr."""

    def test_four_mistakes_in_one_file(self, tmp_path: Path) -> None:
        data = to_dict(sample_dossier())
        data["year"] = 1999
        data["territory"]["population"] = -1
        data["actions"][0]["status"] = "done"
        data["services"]["site-internte"] = "deployed"
        code, out, err = run_cli("score", write(tmp_path, "d.json", data))
        assert (code, out) == (2, "")
        lines = err.splitlines()
        assert len(lines) == 4, err
        for where in (
            "year",
            "territory.population",
            "actions[0].status",
            "services.site-internte",
        ):
            assert sum(f": {where}: " in line for line in lines) == 1, (where, err)

    @pytest.mark.parametrize("command", ["score", "plan"])
    def test_a_lone_surrogate_in_a_dossier(self, tmp_path: Path, command: str) -> None:
        text = json.dumps(to_dict(sample_dossier())).replace('"Saint-', '"\\ud800Saint-', 1)
        code, out, err = run_cli(command, write(tmp_path, "d.json", text), "--json")
        assert (code, out) == (2, "")
        assert "lone surrogate" in err
        assert "Traceback" not in err

    def test_a_lone_surrogate_in_a_scenario_name(self, tmp_path: Path) -> None:
        text = json.dumps([{"name": "x", "dossier": to_dict(sample_dossier())}])
        text = text.replace('"name": "x"', '"name": "x\\udfff"')
        code, out, err = run_cli("check", write(tmp_path, "s.json", text))
        assert (code, out) == (2, "")
        assert "scenarios[0].name" in err

    def test_a_refused_opt_out_is_a_warning(self, tmp_path: Path) -> None:
        data = to_dict(sample_dossier())
        data["services"]["site-internet"] = "not_applicable"
        code, out, err = run_cli("score", write(tmp_path, "d.json", data), "--lang", "en")
        assert code == 0
        assert out
        assert err.startswith("warning: ")
        assert (
            "services.site-internet: service Site internet [site-internet] is declared not applicable"
            in err
        )
        code, out, err = run_cli("score", write(tmp_path, "d.json", data))
        assert code == 0
        assert err.startswith("avertissement : ")
        assert "services.site-internet: " in err
        french = vl.assess(from_dict(data, Dossier), vl.default_ruleset()).in_language("fr")
        (reason,) = french.reasons_of("opt-out-refused")
        assert err.endswith(f"services.site-internet: {reason.message}\n")

    def test_from_another_process(self, tmp_path: Path) -> None:
        text = json.dumps(to_dict(sample_dossier())).replace('"Saint-', '"\\ud800Saint-', 1)
        path = write(tmp_path, "d.json", text)
        done = run_python("-m", "villes_label", "score", str(path), "--json", check=False)
        assert (done.returncode, done.stdout) == (2, "")
        assert "Traceback" not in done.stderr


# --- fuzzing the command line's files -------------------------------------------------------

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(["deployed", "not_applicable", "commune", "1e-9_999_999", "\ud800"])
)


def mutations(data: Any, draw: Callable[[st.SearchStrategy[Any]], Any]) -> Any:
    """*data* with a few values replaced, dropped or added, anywhere."""
    for _ in range(draw(st.integers(1, 4))):
        node = data
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, (dict, list)) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.sampled_from(["replace", "drop", "duplicate"]))
            if action == "replace":
                node[key] = draw(json_leaves)
            elif action == "drop" and isinstance(node, dict):
                del node[key]
            elif isinstance(node, list):
                node.append(child)
            break
    return data


@st.composite
def dossier_files(draw: st.DrawFn) -> str:
    choice = draw(st.sampled_from(["mutated", "text", "bytes-ish"]))
    if choice == "mutated":
        return json.dumps(mutations(to_dict(sample_dossier()), draw), ensure_ascii=True)
    if choice == "text":
        return draw(st.text(max_size=60))
    return json.dumps(
        draw(
            st.recursive(
                json_leaves,
                lambda c: st.lists(c) | st.dictionaries(st.text(max_size=4), c),
                max_leaves=10,
            )
        )
    )


class TestFuzzing:
    """Whatever the files, the command line exits 0, 1 or 2 as documented, never with a traceback."""

    @settings(max_examples=60, deadline=None)
    @given(
        text=dossier_files(),
        command=st.sampled_from(["score", "plan", "score --json"]),
        lang=st.sampled_from(["fr", "en"]),
    )
    def test_dossier_files(self, text: str, command: str, lang: str) -> None:
        error, warning = (
            ("erreur : ", "avertissement : ") if lang == "fr" else ("error: ", "warning: ")
        )
        with tempfile.TemporaryDirectory() as folder:
            path = write(Path(folder), "d.json", text)
            code, out, err = run_cli(
                *command.split()[:1], path, *command.split()[1:], "--lang", lang
            )
        assert "Traceback" not in err
        lines = err.splitlines()
        if code == 2:
            assert out == ""
            assert lines
            assert all(line.startswith(error) for line in lines), err
        else:
            assert code == 0, err
            assert all(line.startswith(warning) for line in lines), err
            out.encode("utf-8")

    @settings(max_examples=30, deadline=None)
    @given(data=st.data())
    def test_scenario_files(self, data: st.DataObject) -> None:
        scenario = {"name": "s", "dossier": to_dict(sample_dossier()), "expect_grade": 3}
        text = json.dumps(mutations([scenario], data.draw), ensure_ascii=True)
        lang = data.draw(st.sampled_from(["fr", "en"]))
        with tempfile.TemporaryDirectory() as folder:
            code, out, err = run_cli("check", write(Path(folder), "s.json", text), "--lang", lang)
        assert "Traceback" not in err
        assert code in (0, 1, 2)
        if code == 2:
            assert out == ""
            error = "erreur : " if lang == "fr" else "error: "
            assert all(line.startswith(error) for line in err.splitlines()), err


class TestErrorsAsData:
    """An InvalidInput keeps its structured problems when pickled (a process pool sends it back)."""

    def test_pickle(self) -> None:
        import pickle

        error = InvalidInput(vl.Problem(("services", "S999"), "unknown service 'S999'"), more=3)
        again = pickle.loads(pickle.dumps(error))
        assert again.details == error.details
        assert again.more == 3
        assert again.problems == ("services.S999: unknown service 'S999'", "and 3 more problems")
