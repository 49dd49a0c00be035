"""The promises of docs/explanation/guarantees.md that no single module owns.

Immutability and pickling of every public model, nothing lost between a JSON
dossier and its assessment, the same results from threads, and the same bytes
whatever the hash seed.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import inspect
import json
import pickle
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import villes_label as vl
from helpers import same_output_across_seeds
from villes_label import (
    Dossier,
    InvalidInput,
    Ruleset,
    Scorer,
    Status,
    Taxonomy,
    assess,
    default_ruleset,
    from_dict,
    recommend,
    to_dict,
)
from villes_label._values import FrozenMap
from villes_label.referential import sample_dossier, synthetic_cohort
from villes_label.testing import dossiers, rulesets

if TYPE_CHECKING:
    from collections.abc import Callable

PUBLIC_ATTRS_CLASSES = sorted(
    (obj for name in vl.__all__ if isinstance(obj := getattr(vl, name), type) and attrs.has(obj)),
    key=lambda cls: cls.__name__,
)

# The sample commune declares both; the next year's referential lacks them.
GONE = ("site-internet", "espace-public-numerique")


def next_year(taxonomy: Taxonomy) -> Taxonomy:
    """A later referential: two services removed and one renamed."""
    data = to_dict(taxonomy)
    for theme in data["themes"]:
        for issue in theme["issues"]:
            issue["services"] = [s for s in issue["services"] if s["id"] not in GONE]
    data["themes"][1]["issues"][0]["services"][0]["name"] += " (2017)"
    # Former ids can only read as a service that still exists.
    data["aliases"] = {old: new for old, new in data["aliases"].items() if new not in GONE}
    data["version"] = "2017"
    return from_dict(data, Taxonomy)


def examples() -> dict[str, object]:
    """One value of each public model class, each with non-empty collections."""
    rules, dossier = default_ruleset(), sample_dossier()
    taxonomy = rules.taxonomy
    result = assess(dossier, rules)
    plan = recommend(dossier, rules, target=5)
    stricter = rules.replace(credits={Status.PARTIAL: Fraction(1, 4)})
    comparison = vl.compare(synthetic_cohort(30, seed=1), rules, stricter)
    later = next_year(taxonomy)
    applicability = next(iter(rules.applicability.values()))
    road = vl.roadmap(dossier, rules, 5, per_year=4)
    national = vl.referential.national_cohort(40, seed=3)
    by_region = vl.atlas([assess(d, rules) for d in national], "region", dossiers=national)
    # The first territory of the cohort whose plan has peers to show.
    board = next(
        found
        for d in national
        if (found := vl.dashboard(d, rules, national)).peers and any(found.peers.values())
    )
    placed = next(a for d in national for a in d.actions if a.actors and a.place)
    return {
        "Actor": placed.actors[0],
        "AreaSummary": next(iter(by_region.values())),
        "Atlas": by_region,
        "Dashboard": board,
        "Peer": next(iter(board.peers.values()))[0],
        "Place": vl.Place(
            commune="75056", latitude=48.8566, longitude=2.3522, name="Hôtel de Ville"
        ),
        "Action": dossier.actions[0],
        "Applicability": applicability,
        "Assessment": result,
        "Comparison": comparison,
        "Dossier": dossier,
        "Effect": plan.steps[0].effects[0],
        "Expectation": vl.Expectation(
            stratum="ville",
            coverage=2,
            kinds={vl.TerritoryKind.COMMUNE},
            min_population=3_000,
            max_population=20_000,
            issue_coverage={"democratie-locale": Fraction(3)},
        ),
        "GradeRule": rules.grades[-1],
        "Issue": taxonomy.issues[0],
        "MentionRule": rules.mentions[0],
        "Migration": vl.migrate(dossier, later),
        "Plan": plan,
        "Problem": vl.Problem(("services", "S999"), "unknown service 'S999'"),
        "Reason": result.reasons[0],
        "Roadmap": road,
        "RoadmapYear": road.years[0],
        "Ruleset": rules,
        "Scenario": vl.Scenario(
            name="sample", dossier=dossier, expect_grade=3, expect_mentions=frozenset({"libre"})
        ),
        "Scorer": Scorer(rules),
        "Service": taxonomy.services[0],
        "Source": taxonomy.sources[0],
        "Step": plan.steps[0],
        "Taxonomy": taxonomy,
        "TaxonomyDiff": taxonomy.diff(later),
        "Territory": dossier.territory,
        "Theme": taxonomy.themes[0],
    }


EXAMPLES = examples()


def example_of(cls: type) -> Any:
    if cls.__name__ not in EXAMPLES:
        pytest.fail(f"villes_label exports {cls.__name__}: add an example to EXAMPLES")
    value = EXAMPLES[cls.__name__]
    assert type(value) is cls
    return value


def public_fields(cls: type) -> list[attrs.Attribute[Any]]:
    return [field for field in attrs.fields(cls) if field.init]


def mutable_parts(value: object, path: str = "") -> list[str]:
    """The paths, inside *value*, of every part of a mutable type."""
    if value is None or isinstance(value, (str, int, float, Fraction, enum.Enum, dt.date)):
        return []
    if isinstance(value, FrozenMap):
        return [
            found
            for key, item in value.items()
            for found in mutable_parts(key, f"{path}[{key!r}]")
            + mutable_parts(item, f"{path}[{key!r}]")
        ]
    if isinstance(value, (tuple, frozenset)):
        return [
            found for n, item in enumerate(value) for found in mutable_parts(item, f"{path}[{n}]")
        ]
    if attrs.has(type(value)) and type(value).__setattr__ is not object.__setattr__:
        return [
            found
            for field in public_fields(type(value))
            for found in mutable_parts(getattr(value, field.name), f"{path}.{field.name}")
        ]
    return [f"{path}: {type(value).__name__}"]


# --- purity -------------------------------------------------------------------------------------

PACKAGE = Path(vl.__file__).parent
# The modules that compute: every private module but the converter (which also
# reads the package's own type hints through sys.modules).
CORE = sorted(
    path
    for path in PACKAGE.glob("_*.py")
    if path.name not in {"__init__.py", "__main__.py", "_serialize.py"}
)
# Files, environment, clock, randomness, logging, processes, network.
IMPURE_MODULES = frozenset(
    {
        "os", "io", "sys", "pathlib", "shutil", "tempfile", "glob", "time",
        "random", "secrets", "uuid", "logging", "warnings", "locale", "socket", "urllib",
        "http", "subprocess", "multiprocessing", "sqlite3", "shelve", "dbm",
    }
)  # fmt: skip
IMPURE_CALLS = frozenset({"open", "print", "input", "eval", "exec", "breakpoint", "__import__"})
# `datetime` gives the type of an action's date; its clock is what must not be read.
CLOCK_METHODS = frozenset({"today", "now", "utcnow", "fromtimestamp", "utcfromtimestamp"})


def impurities(path: Path) -> list[str]:
    """Imports of impure modules, calls of impure built-ins and `global` statements."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            names = []
        line = getattr(node, "lineno", 0)  # every statement and expression has one
        found += [f"line {line}: import {n}" for n in names if n.split(".")[0] in IMPURE_MODULES]
        call = node.func if isinstance(node, ast.Call) else None
        if isinstance(call, ast.Name) and call.id in IMPURE_CALLS:
            found.append(f"line {line}: {call.id}()")
        if isinstance(call, ast.Attribute) and call.attr in CLOCK_METHODS:
            found.append(f"line {line}: .{call.attr}()")
        if isinstance(node, ast.Global):
            found.append(f"line {node.lineno}: global")
    return found


class TestPurity:
    """The computing modules touch no file, clock, environment, randomness or global state."""

    def test_the_core_is_found(self) -> None:
        names = {path.name for path in CORE}
        assert {"_scoring.py", "_batch.py", "_plans.py", "_cohorts.py", "_rules.py"} <= names

    @pytest.mark.parametrize("path", CORE, ids=lambda path: path.name)
    def test_no_impure_import_or_call(self, path: Path) -> None:
        assert impurities(path) == []

    def test_the_check_bites(self, tmp_path: Path) -> None:
        assert impurities(PACKAGE / "cli.py")  # the command line reads files and prints
        clock = tmp_path / "clock.py"
        clock.write_text("import datetime as dt\nTODAY = dt.date.today()\n", encoding="utf-8")
        assert impurities(clock) == ["line 2: .today()"]


def method_caches(path: Path) -> list[str]:
    """The caches kept on instances: `cached_property`, or `functools.cache` on a method."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        for item in node.body:
            if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in item.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = called.attr if isinstance(called, ast.Attribute) else ast.unparse(called)
                if name in {"cached_property", "cache", "lru_cache"}:
                    found.append(f"line {decorator.lineno}: {node.name}.{item.name} @{name}")
    return found


class TestNoCacheOnValues:
    """No value keeps a cache: what a model derives is built by its constructor or where used.

    A module-level `functools.cache` on a pure function of built-in data (the referential of
    a year) is allowed; a cache on an instance (`cached_property`, `cache` on a method) is
    not. `Scorer` is not a value but the compiled scorer itself: it keeps its tables.
    """

    @pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: path.name)
    def test_no_cache_on_instances(self, path: Path) -> None:
        assert method_caches(path) == []

    def test_the_check_bites(self, tmp_path: Path) -> None:
        source = tmp_path / "cached.py"
        source.write_text(
            "import functools\nfrom functools import cached_property\n"
            "class A:\n"
            "    @cached_property\n    def a(self): return 1\n"
            "    @functools.lru_cache(maxsize=None)\n    def b(self): return 2\n"
            "@functools.cache\ndef c(): return 3\n",
            encoding="utf-8",
        )
        assert method_caches(source) == ["line 4: A.a @cached_property", "line 6: A.b @lru_cache"]

    @pytest.mark.parametrize(
        "cls",
        [cls for cls in PUBLIC_ATTRS_CLASSES if cls is not Scorer],
        ids=lambda cls: cls.__name__,
    )
    def test_using_a_value_changes_none_of_its_attributes(self, cls: type[Any]) -> None:
        value = pickle.loads(pickle.dumps(example_of(cls)))  # a fresh, never used copy
        # Read through the slots' own descriptors: `getattr` could fill a lazy slot.
        slots = [
            (name, c.__dict__[name])
            for c in cls.__mro__
            for name in getattr(c, "__slots__", ())
            if name != "__weakref__"
        ]

        def state() -> dict[str, tuple[int, int | None] | None]:
            found: dict[str, tuple[int, int | None] | None] = {}
            for name, slot in slots:
                try:
                    attr = slot.__get__(value, cls)
                except AttributeError:
                    found[name] = None  # not set
                    continue
                size = len(attr) if isinstance(attr, dict | list | set) else None
                found[name] = (id(attr), size)
            return found

        before = state()
        for name in dir(cls):
            if isinstance(inspect.getattr_static(cls, name), property):
                getattr(value, name)
        str(value)
        hash(value)
        if isinstance(value, Ruleset):
            Scorer(value).assess(sample_dossier())
        if isinstance(value, Dossier):
            assess(value, default_ruleset())
        if isinstance(value, Taxonomy):
            value.diff(value)
        assert state() == before


# --- immutability -------------------------------------------------------------------------------


class TestImmutability:
    """A model value never changes: no field can be set or deleted, and every part is immutable."""

    def test_every_public_class_has_an_example(self) -> None:
        assert {cls.__name__ for cls in PUBLIC_ATTRS_CLASSES} <= set(EXAMPLES)

    @pytest.mark.parametrize("cls", PUBLIC_ATTRS_CLASSES, ids=lambda cls: cls.__name__)
    def test_fields_cannot_be_set_or_deleted(self, cls: type[Any]) -> None:
        value = example_of(cls)
        assert "__dict__" not in dir(value)  # slotted: no attribute can be added
        for field in public_fields(cls):
            before = getattr(value, field.name)
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(value, field.name, before)
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                delattr(value, field.name)
            assert getattr(value, field.name) is before
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            value.new_attribute = 1

    @pytest.mark.parametrize("cls", PUBLIC_ATTRS_CLASSES, ids=lambda cls: cls.__name__)
    def test_every_part_is_immutable(self, cls: type[Any]) -> None:
        assert mutable_parts(example_of(cls)) == []

    @pytest.mark.parametrize("cls", PUBLIC_ATTRS_CLASSES, ids=lambda cls: cls.__name__)
    def test_mappings_refuse_item_assignment(self, cls: type[Any]) -> None:
        value = example_of(cls)
        mappings = [
            getattr(value, f.name)
            for f in public_fields(cls)
            if isinstance(getattr(value, f.name), FrozenMap)
        ]
        for mapping in mappings:
            key = next(iter(mapping), "x")
            with pytest.raises(TypeError):
                mapping[key] = mapping.get(key)
            with pytest.raises(TypeError):
                del mapping[key]
            for method in ("update", "pop", "popitem", "clear", "setdefault"):
                assert not hasattr(mapping, method)

    def test_every_kind_of_mapping_is_checked(self) -> None:
        """The examples hold mappings, tuples and frozensets, so the laws above bite."""
        kinds = {
            type(getattr(value, f.name)).__name__
            for value in EXAMPLES.values()
            for f in public_fields(type(value))
        }
        assert {"FrozenMap", "tuple", "frozenset"} <= kinds

    def test_the_inputs_are_copied(self) -> None:
        """Changing what was given to a constructor afterwards changes nothing."""
        rules, dossier = default_ruleset(), sample_dossier()
        services = dict(dossier.services)
        delivered = {"fablab", "open-data"}
        weights = {"site-internet": 3}
        copy = Dossier(territory=dossier.territory, year=dossier.year, services=services)
        action = vl.Action(id="a", title="t", services=delivered, status=Status.DEPLOYED)
        weighted = rules.replace(service_weights=weights)
        services["fablab"] = Status.DEPLOYED
        services.pop("site-internet")
        delivered.add("wifi-public")
        weights["site-internet"] = 1000
        assert copy.services == dossier.services
        assert action.services == {"fablab", "open-data"}
        assert weighted.service_weights == {"site-internet": 3}


# --- pickling -----------------------------------------------------------------------------------


class TestPickle:
    """Every public model pickles with every protocol to an equal value with equal hash and JSON."""

    @pytest.mark.parametrize("cls", PUBLIC_ATTRS_CLASSES, ids=lambda cls: cls.__name__)
    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_round_trip(self, cls: type[Any], protocol: int) -> None:
        value = example_of(cls)
        again = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert type(again) is cls
        assert again == value
        assert hash(again) == hash(value)
        assert json.dumps(to_dict(again)) == json.dumps(to_dict(value))


# --- nothing lost -------------------------------------------------------------------------------


@st.composite
def rules_and_documents(draw: st.DrawFn) -> tuple[Ruleset, dict[str, Any]]:
    rules = draw(rulesets())
    return rules, to_dict(draw(dossiers(rules)))


def named_ids(document: dict[str, Any], *, this_year: bool = False) -> set[str]:
    """Every service id that a dossier document names, as an entry or in an action.

    With *this_year*, only the actions that count for the document's year: undated,
    ongoing, or dated on or after 1 January of the year − 2 (the label's two-year rule).
    """
    start = dt.date(document["year"] - 2, 1, 1).isoformat()
    return set(document["services"]) | {
        sid
        for action in document["actions"]
        if not this_year
        or action.get("date") is None
        or action.get("ongoing")
        or action["date"] >= start
        for sid in action["services"]
    }


class TestNothingLost:
    """Every service a JSON dossier names reaches the assessment; a repeated one is refused, not merged.

    A service named only by expired actions reaches it too, as a service the dossier
    says nothing of this year.
    """

    @given(rules_and_documents())
    def test_every_named_service_reaches_the_assessment(
        self, case: tuple[Ruleset, dict[str, Any]]
    ) -> None:
        rules, document = case
        dossier = from_dict(json.loads(json.dumps(document)), Dossier)
        named, counted = named_ids(document), named_ids(document, this_year=True)
        assert dossier.declared == counted
        assert len(dossier.services) == len(document["services"])
        assert [len(a.services) for a in dossier.actions] == [
            len(a["services"]) for a in document["actions"]
        ]
        for result in (assess(dossier, rules), Scorer(rules).assess(dossier)):
            assert named <= set(result.statuses)
            for sid in named:
                assert result.statuses[sid] is dossier.status(sid)
            assert result.undeclared.isdisjoint(counted)
            assert named - counted <= result.undeclared | result.not_concerned

    @given(rules_and_documents(), st.data())
    def test_a_repeated_service_of_an_action_is_refused(
        self, case: tuple[Ruleset, dict[str, Any]], data: st.DataObject
    ) -> None:
        _, document = case
        if not document["actions"]:
            document["actions"] = [
                {"id": "a", "title": "t", "services": ["x"], "status": "deployed"}
            ]
        n = data.draw(st.integers(0, len(document["actions"]) - 1))
        listed = document["actions"][n]["services"]
        listed.append(data.draw(st.sampled_from(listed)))
        with pytest.raises(InvalidInput) as caught:
            from_dict(document, Dossier)
        where = f"actions[{n}].services[{len(listed) - 1}]: duplicate item"
        assert any(p.startswith(where) for p in caught.value.problems), caught.value.problems


# --- threads ------------------------------------------------------------------------------------

WORKERS = 4


def in_threads(work: Callable[[int], Any], count: int = WORKERS) -> list[Any]:
    """Run work(k) for k < count in as many threads, started together."""
    barrier = threading.Barrier(count, timeout=60)

    def start(k: int) -> Any:
        barrier.wait()
        return work(k)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


class TestThreads:
    """A scorer, ruleset or taxonomy shared by threads gives the results it gives alone."""

    @settings(max_examples=10)
    @given(rules=rulesets(), data=st.data())
    def test_a_shared_scorer(self, rules: Ruleset, data: st.DataObject) -> None:
        cohort = data.draw(st.lists(dossiers(rules), min_size=1, max_size=8))
        alone = Scorer(rules)
        expected = [(alone.assess(d), alone.grades([d])[0], alone.scores([d])[0]) for d in cohort]
        shared = Scorer(rules)  # fresh: the threads race to fill its caches

        def work(k: int) -> list[Any]:
            order = list(range(len(cohort)))
            order = order[k % len(order) :] + order[: k % len(order)]
            mine = [cohort[n] for n in order]
            grades, scores = shared.grades(mine), shared.scores(mine)
            got = [(shared.assess(d), g, s) for d, g, s in zip(mine, grades, scores, strict=True)]
            return [got[order.index(n)] for n in range(len(cohort))]

        for got in in_threads(work):
            assert got == expected

    def test_fresh_rules_from_threads(self) -> None:
        """Rules just read (their look-up tables not built yet) used by threads at once."""
        cohort = list(synthetic_cohort(12, seed=11, epci_share=0.25))
        data = to_dict(default_ruleset())
        alone = from_dict(data, Ruleset)
        expected = [(assess(d, alone), recommend(d, alone)) for d in cohort]
        shared = from_dict(data, Ruleset)

        def work(k: int) -> list[Any]:
            return [(assess(d, shared), recommend(d, shared)) for d in cohort[k:] + cohort[:k]]

        for k, got in enumerate(in_threads(work)):
            assert got == expected[k:] + expected[:k]


# --- the same bytes whatever the hash seed ------------------------------------------------------

# Run in fresh interpreters; `next_year` is copied in by its source.
SCRIPT_HEAD = f"""
import json
from fractions import Fraction
import villes_label as vl
from villes_label import Taxonomy, from_dict, to_dict
from villes_label.referential import sample_dossier, synthetic_cohort

GONE = {GONE!r}
"""
SCRIPT_BODY = """
rules, dossier = vl.default_ruleset(), sample_dossier()
cohort = synthetic_cohort(30, seed=1)
stricter = rules.replace(credits={vl.Status.PARTIAL: Fraction(1, 4)})
later = next_year(rules.taxonomy)
plan = vl.recommend(dossier, rules, target=5)
comparison = vl.compare(cohort, rules, stricter)
migration = vl.migrate(dossier, later)
scorer = vl.Scorer(rules)
values = [plan, comparison, migration, rules.taxonomy.diff(later), vl.assess(dossier, rules)]
print(json.dumps({
    "values": [vl.to_dict(value) for value in values],
    "texts": [plan.explain(), plan.explain("en"), str(comparison), str(migration)],
    "questions": list(vl.next_questions(dossier, rules)),
    "records": vl.records([scorer.assess(d) for d in cohort]),
    "grades": scorer.grades(cohort),
    "scores": [str(s) for s in scorer.scores(cohort)],
}, ensure_ascii=False))
"""
SCRIPT = SCRIPT_HEAD + inspect.getsource(next_year) + SCRIPT_BODY


class TestHashSeed:
    """Plans, comparisons, migrations, diffs and their texts are the same bytes whatever PYTHONHASHSEED."""

    def test_across_processes(self) -> None:
        result = json.loads(same_output_across_seeds("-c", SCRIPT))
        assert result["values"][0] == to_dict(
            recommend(sample_dossier(), default_ruleset(), target=5)
        )
        assert sorted(result["values"][2]["dropped"]) == sorted(GONE)


# --- the page that lists these promises ---------------------------------------------------------

TESTS = Path(__file__).resolve().parent
GUARANTEES_PAGE = TESTS.parent / "docs" / "explanation" / "guarantees.md"


class TestTheGuaranteesPage:
    """Every test that docs/explanation/guarantees.md names exists, so the page cannot drift."""

    def test_every_named_test_exists(self) -> None:
        page = GUARANTEES_PAGE.read_text(encoding="utf-8")
        references = re.findall(r"`(test_\w+\.py)::(\w+)(?:::(\w+))?`", page)
        assert len(references) >= 30
        missing = []
        for file, cls, function in references:
            tree = ast.parse((TESTS / file).read_text(encoding="utf-8"))
            classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
            methods = {
                node.name
                for node in getattr(classes.get(cls), "body", [])
                if isinstance(node, ast.FunctionDef)
            }
            if cls not in classes or (function and function not in methods):
                missing.append("::".join(filter(None, (file, cls, function))))
        assert missing == []
