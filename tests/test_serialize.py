"""Serialization: `to_dict` gives stable JSON-compatible data that `from_dict` reads back."""

from __future__ import annotations

import json
import math
import pickle
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label as vl
from helpers import same_output_across_seeds
from villes_label import (
    Action,
    Assessment,
    Dossier,
    InvalidInput,
    MentionRule,
    Reason,
    Ruleset,
    Status,
    TaxonomyDiff,
    Territory,
    TerritoryKind,
    converter,
    from_dict,
    referential,
    to_dict,
)
from villes_label._check import text_problem
from villes_label._values import MAX_DIGITS
from villes_label.referential import default_ruleset, sample_dossier
from villes_label.testing import (
    applicabilities,
    dossiers,
    expectations,
    rulesets,
    taxonomies,
    territories,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"

# --- example values of every public attrs class -------------------------------------------

# Text that JSON and paths find awkward: dots, brackets, colons, the tuple-key
# separator, quotes, accents and astral characters.
awkward_text = st.text(
    alphabet=st.sampled_from(list("ab.[]:->\"' éÉ@_0\U0001f600")) | st.characters(codec="utf-8"),
    max_size=12,
)
# An id needs a visible character: text of spaces or zero-width characters is refused.
ids = awkward_text.filter(lambda s: text_problem(s) is None)
# A name may be empty, but not made only of invisible characters.
names = awkward_text.filter(lambda s: not s or text_problem(s) is None)
credited = st.sampled_from([Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED])
any_fraction = st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**6)
unit_fraction = st.fractions(min_value=0, max_value=1, max_denominator=1000)


@st.composite
def ruleset_and_dossier(draw: st.DrawFn) -> tuple[Ruleset, Dossier]:
    rules = draw(rulesets())
    return rules, draw(dossiers(rules))


@st.composite
def wild_dossiers(draw: st.DrawFn) -> Dossier:
    """Dossiers whose ids are any text: a dossier does not know the referential."""
    services = draw(st.dictionaries(ids, st.sampled_from(list(Status)), max_size=6))
    open_ids = [sid for sid, status in services.items() if status is not Status.NOT_APPLICABLE]
    deliverable = ids.filter(lambda sid: services.get(sid) is not Status.NOT_APPLICABLE)
    actions = draw(
        st.lists(
            st.builds(
                Action,
                id=ids,
                title=ids,
                services=st.frozensets(
                    st.sampled_from(open_ids) | deliverable if open_ids else deliverable,
                    min_size=1,
                    max_size=4,
                ),
                status=credited,
            ),
            max_size=3,
            unique_by=lambda action: action.id,
        )
    )
    return Dossier(
        territory=draw(territories()),
        year=draw(st.integers(2000, 2100)),
        services=services,
        actions=tuple(actions),
    )


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    rules, dossier = draw(ruleset_and_dossier())
    return vl.assess(dossier, rules)


@st.composite
def plans(draw: st.DrawFn) -> Any:
    rules, dossier = draw(ruleset_and_dossier())
    target = draw(st.sampled_from([None, *(rule.arobases for rule in rules.grades)]))
    return vl.recommend(dossier, rules, target=target)


@st.composite
def roadmaps(draw: st.DrawFn) -> Any:
    rules, dossier = draw(ruleset_and_dossier())
    target = draw(st.sampled_from([None, *(rule.arobases for rule in rules.grades)]))
    per_year = draw(st.none() | st.integers(1, 3))
    prefer: Literal["fewest", "started"] = "started" if draw(st.booleans()) else "fewest"
    return vl.roadmap(
        dossier, rules, target, years=draw(st.integers(1, 4)), per_year=per_year, prefer=prefer
    )


def effects() -> st.SearchStrategy[Any]:
    return st.builds(
        vl.Effect,
        code=awkward_text,
        subject=st.none() | ids,
        name=awkward_text,
        required=st.none() | unit_fraction,
        before=st.none() | unit_fraction,
        after=st.none() | unit_fraction,
    )


@st.composite
def comparisons(draw: st.DrawFn) -> Any:
    taxonomy = draw(taxonomies())
    before, after = draw(rulesets(taxonomy)), draw(rulesets(taxonomy))
    cohort = draw(st.lists(dossiers(taxonomy), max_size=4))
    return vl.compare(cohort, before, after)


@st.composite
def migrations(draw: st.DrawFn) -> Any:
    older, newer = draw(taxonomies()), draw(taxonomies())
    return vl.migrate(draw(dossiers(older)), newer)


def mention_rules() -> st.SearchStrategy[MentionRule]:
    return st.builds(
        MentionRule,
        id=ids,
        name=names,
        min_issue_scores=st.dictionaries(ids, unit_fraction, max_size=3),
        min_theme_scores=st.dictionaries(ids, unit_fraction, max_size=3),
        required_services=st.frozensets(ids, min_size=1, max_size=3),
        min_grade=st.integers(0, 5),
    )


def reasons() -> st.SearchStrategy[Reason]:
    return st.builds(
        Reason,
        code=awkward_text,
        message=awkward_text,
        subject=st.none() | awkward_text,
        required=st.none() | any_fraction,
        actual=st.none() | any_fraction,
    )


def steps() -> st.SearchStrategy[Any]:
    return st.builds(
        vl.Step,
        service=ids,
        current=st.sampled_from(list(Status)),
        proposed=credited,
        gain=st.fractions(min_value=0, max_value=1),
    )


def scenarios() -> st.SearchStrategy[Any]:
    return st.builds(
        vl.Scenario,
        name=ids,
        dossier=wild_dossiers(),
        expect_grade=st.none() | st.integers(0, 5),
        expect_score=st.none() | unit_fraction,
        expect_mentions=st.none() | st.frozensets(ids, max_size=3),
    )


def _taxonomy_parts(part: Callable[[vl.Taxonomy], tuple[Any, ...]]) -> st.SearchStrategy[Any]:
    return taxonomies().flatmap(lambda taxonomy: st.sampled_from(part(taxonomy)))


def _disjoint_diff(
    *,
    added: frozenset[str],
    removed: frozenset[str],
    renamed: frozenset[str],
    moved: frozenset[str],
    change_ratio: Fraction,
) -> TaxonomyDiff:
    """A diff whose sets agree: a service added is not also removed, renamed or moved."""
    removed -= added
    return TaxonomyDiff(
        added=added,
        removed=removed,
        renamed=renamed - added - removed,
        moved=moved - added - removed,
        change_ratio=change_ratio,
    )


def _ruleset_parts(part: Callable[[Ruleset], tuple[Any, ...]]) -> st.SearchStrategy[Any]:
    return rulesets().flatmap(lambda rules: st.sampled_from(part(rules)))


def _atlases() -> st.SearchStrategy[vl.Atlas]:
    def build(size: int, level: str) -> vl.Atlas:
        cohort = vl.referential.national_cohort(size, seed=size)
        results = [vl.assess(d, default_ruleset()) for d in cohort]
        return vl.atlas(results, level, dossiers=cohort)  # type: ignore[arg-type]

    return st.builds(
        build,
        st.integers(min_value=1, max_value=8),
        st.sampled_from(["departement", "region", "national"]),
    )


# One strategy per public attrs class, by name. Classes appear here before they
# are exported; a class exported without an entry fails `TestRoundTrip`.
EXAMPLES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "Service": lambda: _taxonomy_parts(lambda t: t.services),
    "Issue": lambda: _taxonomy_parts(lambda t: t.issues),
    "Theme": lambda: _taxonomy_parts(lambda t: t.themes),
    "Taxonomy": lambda: (
        taxonomies() | st.sampled_from(referential.years()).map(referential.taxonomy)
    ),
    "Source": lambda: (
        st.builds(
            vl.Source,
            id=ids,
            title=st.text(),
            address=st.text(),
            date=st.text(),
            published=st.booleans(),
        )
        | st.sampled_from(referential.years()).flatmap(
            lambda year: st.sampled_from(referential.ruleset(year).sources)
        )
    ),
    "TaxonomyDiff": lambda: (
        st.tuples(taxonomies(), taxonomies()).map(lambda pair: pair[0].diff(pair[1]))
        | st.builds(
            _disjoint_diff,
            added=st.frozensets(ids),
            removed=st.frozensets(ids),
            renamed=st.frozensets(ids),
            moved=st.frozensets(ids),
            change_ratio=st.fractions(min_value=0, max_value=10**6, max_denominator=10**6),
        )
    ),
    "Territory": territories,
    "Action": lambda: (
        wild_dossiers().filter(lambda d: bool(d.actions)).map(lambda d: d.actions[0])
        # Dated, ongoing or not, from the testing kit.
        | ruleset_and_dossier()
        .filter(lambda pair: bool(pair[1].actions))
        .flatmap(lambda pair: st.sampled_from(pair[1].actions))
    ),
    "Dossier": lambda: wild_dossiers() | ruleset_and_dossier().map(lambda pair: pair[1]),
    "Applicability": applicabilities,
    "Expectation": lambda: taxonomies().flatmap(expectations).filter(bool).flatmap(st.sampled_from),
    "GradeRule": lambda: _ruleset_parts(lambda r: r.grades),
    "MentionRule": lambda: (
        mention_rules()
        | rulesets()
        .filter(lambda r: bool(r.mentions))
        .flatmap(lambda r: st.sampled_from(r.mentions))
    ),
    "Ruleset": lambda: rulesets() | st.just(default_ruleset()),
    "Reason": lambda: (
        reasons() | assessments().filter(lambda a: bool(a.reasons)).map(lambda a: a.reasons[0])
    ),
    "Assessment": assessments,
    "Plan": plans,
    "Step": lambda: steps() | plans().filter(lambda p: bool(p.steps)).map(lambda p: p.steps[0]),
    "Effect": lambda: (
        effects()
        | plans()
        .filter(lambda p: any(step.effects for step in p.steps))
        .map(lambda p: next(step.effects[0] for step in p.steps if step.effects))
    ),
    "Roadmap": roadmaps,
    "RoadmapYear": lambda: roadmaps().filter(lambda r: bool(r.years)).map(lambda r: r.years[0]),
    "Comparison": comparisons,
    "Migration": migrations,
    "Scenario": scenarios,
    "Scorer": lambda: rulesets().map(vl.Scorer),
    "Actor": lambda: st.builds(vl.Actor, name=ids, role=st.sampled_from(vl.ActorRole)),
    "Place": lambda: (
        st.builds(
            vl.Place,
            commune=st.sampled_from(["07208", "2A004", "97411", "92049"]),
            name=st.text(max_size=10),
            postal_code=st.none() | st.from_regex(r"[0-9]{5}", fullmatch=True),
        )
        | st.builds(
            vl.Place,
            commune=st.just("75056"),
            latitude=st.floats(min_value=-90, max_value=90),
            longitude=st.floats(min_value=-180, max_value=180),
        )
    ),
    "AreaSummary": lambda: _atlases().flatmap(lambda a: st.sampled_from(list(a.values()))),
    "Atlas": _atlases,
    "Dashboard": lambda: st.integers(min_value=1, max_value=12).map(
        lambda n: vl.dashboard(
            vl.referential.national_cohort(n, seed=n)[0],
            default_ruleset(),
            vl.referential.national_cohort(n, seed=n),
        )
    ),
    "Peer": lambda: st.integers(min_value=2, max_value=12).flatmap(
        lambda n: st.sampled_from(
            vl.peers("site-internet", vl.referential.national_cohort(n, seed=n), near=None)
            or vl.peers("wifi-public", vl.referential.national_cohort(n, seed=n))
        )
    ),
    "Problem": lambda: st.builds(
        vl.Problem,
        st.lists(awkward_text | st.integers(0, 10**6), max_size=4).map(tuple),
        awkward_text,
    ),
}


# Classes that are not compared by value (a Scorer is a compiled ruleset, eq=False):
# how to tell that two of them are the same. Every other class uses ==.
SAME: dict[str, Callable[[Any, Any], bool]] = {
    "Scorer": lambda a, b: a.ruleset == b.ruleset,
}


def same(cls: type, a: object, b: object) -> bool:
    return SAME.get(cls.__name__, lambda x, y: bool(x == y))(a, b)


PUBLIC_ATTRS_CLASSES = sorted(
    (obj for name in vl.__all__ if isinstance(obj := getattr(vl, name), type) and attrs.has(obj)),
    key=lambda cls: cls.__name__,
)


def examples_of(cls: type) -> st.SearchStrategy[Any]:
    if cls.__name__ not in EXAMPLES:
        pytest.fail(
            f"villes_label exports the attrs class {cls.__name__} but tests/test_serialize.py "
            "has no example strategy for it: add one to EXAMPLES"
        )
    return EXAMPLES[cls.__name__]()


def is_plain(data: object) -> bool:
    """Whether *data* is made of str, int, bool, None, finite float, list and dict (str keys) only."""
    if data is None or type(data) in (str, int, bool):
        return True
    if type(data) is float:  # a place's coordinates
        return math.isfinite(data)
    if type(data) is list:
        return all(is_plain(item) for item in data)
    if type(data) is dict:
        return all(type(k) is str and is_plain(v) for k, v in data.items())
    return False


# --- laws -----------------------------------------------------------------------------


class TestRoundTrip:
    """from_dict(to_dict(x), type(x)) == x for every public attrs class of villes_label."""

    def test_the_public_classes_are_found(self) -> None:
        names = {cls.__name__ for cls in PUBLIC_ATTRS_CLASSES}
        assert {"Dossier", "Ruleset", "Taxonomy", "Assessment", "Territory"} <= names

    @pytest.mark.parametrize("cls", PUBLIC_ATTRS_CLASSES, ids=lambda cls: cls.__name__)
    @given(data=st.data())
    def test_round_trip(self, cls: type[Any], data: st.DataObject) -> None:
        value = data.draw(examples_of(cls))
        assert type(value) is cls
        document = to_dict(value)
        assert is_plain(document)
        again = from_dict(document, cls)
        assert type(again) is cls
        assert same(cls, again, value)
        # The same through JSON text, non-ASCII characters included.
        text = json.dumps(document, ensure_ascii=False)
        assert json.loads(text) == document
        assert same(cls, from_dict(json.loads(text), cls), value)

    def test_the_label_rules_and_sample(self) -> None:
        rules, dossier = default_ruleset(), sample_dossier()
        result = vl.assess(dossier, rules)
        for value in (rules, dossier, result, rules.taxonomy):
            assert from_dict(to_dict(value), type(value)) == value


class TestStableOutput:
    """Equal values give byte-identical JSON, whatever the order their sets and maps were built in."""

    @pytest.mark.parametrize("cls", PUBLIC_ATTRS_CLASSES, ids=lambda cls: cls.__name__)
    @given(data=st.data())
    def test_equal_values_equal_text(self, cls: type[Any], data: st.DataObject) -> None:
        value = data.draw(examples_of(cls))
        twins = (from_dict(to_dict(value), cls), pickle.loads(pickle.dumps(value)))
        text = json.dumps(to_dict(value))
        for twin in twins:
            assert same(cls, twin, value)
            assert json.dumps(to_dict(twin)) == text

    @given(dossier=wild_dossiers())
    def test_a_reordered_dossier(self, dossier: Dossier) -> None:
        reordered = Dossier(
            territory=dossier.territory,
            year=dossier.year,
            services=dict(reversed(list(dossier.services.items()))),
            actions=tuple(
                attrs.evolve(action, services=frozenset(sorted(action.services, reverse=True)))
                for action in dossier.actions
            ),
        )
        assert reordered == dossier
        assert json.dumps(to_dict(reordered)) == json.dumps(to_dict(dossier))

    @given(rules=rulesets())
    def test_a_reordered_ruleset(self, rules: Ruleset) -> None:
        def flip(mapping: Mapping[Any, Any]) -> dict[Any, Any]:
            return dict(reversed(list(mapping.items())))

        reordered = rules.replace(
            credits=flip(rules.credits),
            service_weights=flip(rules.service_weights),
            applicability=flip(rules.applicability),
        )
        assert reordered == rules
        assert json.dumps(to_dict(reordered)) == json.dumps(to_dict(rules))

    def test_sets_and_keys_are_sorted(self) -> None:
        data = to_dict(sample_dossier())
        assert list(data["services"]) == sorted(data["services"])
        for action in data["actions"]:
            assert action["services"] == sorted(action["services"])
        kinds = to_dict(vl.Applicability(kinds={TerritoryKind.METROPOLE, TerritoryKind.COMMUNE}))
        # Enum members sort in their declaration order.
        assert kinds["kinds"] == ["commune", "metropole"]

    def test_independent_of_the_hash_seed(self) -> None:
        script = (
            "import json, villes_label as vl\n"
            "from villes_label.referential import sample_dossier\n"
            "r, d = vl.default_ruleset(), sample_dossier()\n"
            "print(json.dumps([vl.to_dict(x) for x in (r, d, vl.assess(d, r))]))\n"
        )
        assert json.loads(same_output_across_seeds("-c", script))


class TestShapes:
    """The JSON shapes: fields by name, fractions as "n/d" strings, enums as values, tuple keys as "a->b"."""

    def test_a_territory(self) -> None:
        t = Territory(code="2A004", name="Ajaccio", kind=TerritoryKind.COMMUNE, population=71361)
        assert to_dict(t) == {
            "code": "2A004",
            "name": "Ajaccio",
            "kind": "commune",
            "population": 71361,
            "departement": None,
        }

    def test_every_field_is_written_defaults_included(self) -> None:
        rule = vl.GradeRule(arobases=1, min_score=Fraction(7, 20))
        assert to_dict(rule) == {
            "arobases": 1,
            "min_score": "7/20",
            "min_theme_scores": {},
            "min_issue_scores": {},
            "min_each_theme": "0",
            "required_services": [],
            "source": "",
        }

    @pytest.mark.parametrize(
        ("fraction", "text"),
        [
            (Fraction(7, 20), "7/20"),
            (Fraction(1), "1"),
            (Fraction(0), "0"),
            (Fraction(-1, 3), "-1/3"),
        ],
    )
    def test_a_fraction_is_its_str(self, fraction: Fraction, text: str) -> None:
        assert to_dict(Reason(code="c", message="m", actual=fraction))["actual"] == text

    def test_status_keys_are_their_values(self) -> None:
        credits = to_dict(default_ruleset())["credits"]
        assert credits == {"absent": "0", "planned": "0", "partial": "1/2", "deployed": "1"}

    def test_tuple_keys_are_joined_by_an_arrow(self) -> None:
        hint = Mapping[tuple[int, int], int]
        assert converter.unstructure({(3, 4): 2, (0, 0): 5}, hint) == {"0->0": 5, "3->4": 2}
        assert from_dict({"3->4": 2, "-1->10": 1}, hint) == {(3, 4): 2, (-1, 10): 1}  # type: ignore[type-abstract]

    @pytest.mark.parametrize("key", ["3-4", "3->4->5", "3", "a->4", "03->4", "3->"])
    def test_a_malformed_tuple_key(self, key: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_dict({key: 1}, Mapping[tuple[int, int], int])  # type: ignore[type-abstract]
        assert caught.value.problems[0].startswith(f"{key}: ")

    def test_int_keys_are_decimal_strings(self) -> None:
        assert converter.unstructure({3: "x", 10: "y"}) == {"3": "x", "10": "y"}
        assert from_dict({"3": 1, "-2": 2}, Mapping[int, int]) == {3: 1, -2: 2}  # type: ignore[type-abstract]
        with pytest.raises(InvalidInput):
            from_dict({"03": 1}, Mapping[int, int])  # type: ignore[type-abstract]


class TestFractionsIn:
    """A fraction reads from an int, "0.35", "7/20" or a float (its shortest repr); NaN, inf and bools are refused."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (0, Fraction(0)),
            (1, Fraction(1)),
            ("7/20", Fraction(7, 20)),
            ("0.35", Fraction(7, 20)),
            (0.35, Fraction(7, 20)),
            (0.1, Fraction(1, 10)),
            ("1", Fraction(1)),
            (" 1/2 ", Fraction(1, 2)),
            ("1e-1", Fraction(1, 10)),
        ],
    )
    def test_accepted(self, raw: object, expected: Fraction) -> None:
        rule = from_dict({"arobases": 1, "min_score": raw}, vl.GradeRule)
        assert rule.min_score == expected

    @pytest.mark.parametrize(
        "raw",
        [
            float("nan"),
            float("inf"),
            float("-inf"),
            "nan",
            "inf",
            "-Infinity",
            True,
            False,
            None,
            [1, 2],
            {"n": 1},
            "7/0",
            "one half",
            "1e999999999",
            "",
        ],
    )
    def test_refused(self, raw: object) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_dict({"arobases": 1, "min_score": raw}, vl.GradeRule)
        assert [p.split(": ")[0] for p in caught.value.problems] == ["min_score"]

    @given(value=st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1))
    def test_a_float_reads_as_its_shortest_repr(self, value: float) -> None:
        expected = Fraction(repr(value))
        if max(abs(expected.numerator), expected.denominator) >= 10**MAX_DIGITS:
            # A float so tiny that its exact value has more digits than any number accepted.
            with pytest.raises(InvalidInput, match=f"more than {MAX_DIGITS} digits"):
                from_dict({"arobases": 1, "min_score": value}, vl.GradeRule)
            return
        rule = from_dict({"arobases": 1, "min_score": value}, vl.GradeRule)
        assert rule.min_score == expected


class TestNoCoercion:
    """Nothing is coerced: 3 is not a str, "ab" is not a list of ids, true is not an int."""

    @pytest.mark.parametrize(
        ("field", "raw"),
        [
            ("code", 92049),
            ("name", None),
            ("kind", "Commune "),
            ("kind", 0),
            ("population", "50260"),
            ("population", True),
            ("population", 50260.0),
        ],
    )
    def test_a_territory_field(self, field: str, raw: object) -> None:
        data = {"code": "92049", "name": "Montrouge", "kind": "commune", "population": 50260}
        data[field] = raw
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, Territory)
        assert caught.value.problems[0].startswith(f"{field}: ")

    def test_a_string_is_not_a_set_of_ids(self) -> None:
        action = {"id": "a1", "title": "t", "services": "ab", "status": "deployed"}
        with pytest.raises(InvalidInput, match=r"^services: expected a list, got the string 'ab'$"):
            from_dict(action, Action)

    def test_a_bool_is_not_an_int_nor_an_int_a_bool(self) -> None:
        with pytest.raises(InvalidInput, match="opt_out: expected a bool"):
            from_dict({"opt_out": 1}, vl.Applicability)
        with pytest.raises(InvalidInput, match="min_population: expected an int"):
            from_dict({"min_population": False}, vl.Applicability)

    def test_an_enum_member_is_accepted_from_python(self) -> None:
        data = {"code": "92049", "name": "M", "kind": TerritoryKind.COMMUNE, "population": 1}
        assert from_dict(data, Territory).kind is TerritoryKind.COMMUNE

    def test_tuples_and_lists_are_both_lists(self) -> None:
        data = {"id": "a1", "title": "t", "services": ("x", "y"), "status": "partial"}
        assert from_dict(data, Action).services == frozenset({"x", "y"})


class TestErrors:
    """Every problem of a document is reported at once, each with its path, as one InvalidInput."""

    def test_the_paths_of_a_dossier(self) -> None:
        data = to_dict(sample_dossier())
        data["territory"]["population"] = -3
        data["territory"]["kind"] = "vilage"
        data["actions"][2]["status"] = "done"
        data["year"] = "2016"
        data["comment"] = "hello"
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, Dossier)
        paths = sorted(problem.split(": ")[0] for problem in caught.value.problems)
        assert paths == [
            "actions[2].status",
            "comment",
            "territory.kind",
            "territory.population",
            "year",
        ]

    def test_an_unknown_field_suggests_the_closest(self) -> None:
        data = {"code": "92049", "name": "Montrouge", "kind": "commune", "populaton": 1}
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, Territory)
        assert caught.value.problems == (
            "population: missing required field",
            "populaton: unknown field (did you mean 'population'?)",
        )

    def test_an_unknown_service_of_a_ruleset(self) -> None:
        data = to_dict(default_ruleset())
        data["service_weights"]["site-internte"] = 2
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, Ruleset)
        assert caught.value.problems == (
            (
                "service_weights.site-internte: unknown service 'site-internte' "
                "(did you mean 'site-internet'?)"
            ),
        )

    def test_the_message_lists_every_problem(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_dict({"year": 1999}, Dossier)
        assert str(caught.value) == (
            "2 problems:\n  - territory: missing required field\n  - year: 1999 is outside 2000..2100"
        )

    def test_the_converter_reports_alike(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            converter.structure({"year": "x"}, Dossier)
        assert caught.value.problems == (
            "territory: missing required field",
            "year: expected an int, got str 'x'",
        )

    def test_a_class_that_cannot_be_read_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="cannot read"):
            from_dict({}, complex)

    def test_to_dict_takes_an_attrs_instance(self) -> None:
        with pytest.raises(TypeError, match="attrs instance"):
            to_dict({"a": 1})


class TestConverter:
    """`converter` is a cattrs.Converter that applies the same strict rules."""

    def test_is_a_cattrs_converter(self) -> None:
        assert isinstance(converter, cattrs.Converter)

    def test_unstructure_is_to_dict(self) -> None:
        dossier = sample_dossier()
        assert converter.unstructure(dossier) == to_dict(dossier)
        assert converter.structure(to_dict(dossier), Dossier) == dossier

    @pytest.mark.parametrize(("raw", "hint"), [(3, str), (True, int), ("ab", tuple[str, ...])])
    def test_no_coercion(self, raw: object, hint: Any) -> None:
        with pytest.raises(InvalidInput):
            converter.structure(raw, hint)

    def test_inside_other_attrs_classes(self) -> None:
        @attrs.frozen
        class Batch:
            label: str
            dossiers: tuple[Dossier, ...]

        batch = Batch(label="x", dossiers=(sample_dossier(),))
        data = converter.unstructure(batch)
        assert data["dossiers"][0] == to_dict(sample_dossier())
        assert converter.structure(data, Batch) == batch
        with pytest.raises(cattrs.ClassValidationError):
            converter.structure({"label": 3, "dossiers": []}, Batch)


class TestLazyImport:
    """`import villes_label` does not import cattrs; the serialization names load on first use."""

    def run(self, code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def test_import_does_not_load_cattrs(self) -> None:
        code = "import sys, villes_label; print('cattrs' in sys.modules)"
        assert self.run(code) == "False"

    def test_first_use_loads_it(self) -> None:
        code = (
            "import sys\n"
            "from villes_label import to_dict\n"
            "import villes_label as vl\n"
            "print('cattrs' in sys.modules, vl.to_dict is to_dict, callable(vl.from_dict))"
        )
        assert self.run(code) == "True True True"

    def test_listed_in_all_and_dir(self) -> None:
        for name in ("converter", "from_dict", "to_dict"):
            assert name in vl.__all__
            assert name in dir(vl)

    def test_an_unknown_name_is_still_an_attribute_error(self) -> None:
        with pytest.raises(AttributeError, match="no_such_name"):
            _ = vl.no_such_name


class TestDocumentedFormat:
    """The JSON examples of the how-to page are valid dossiers, written as to_dict writes them."""

    def test_the_json_blocks(self) -> None:
        page = (DOCS / "how-to" / "write-a-dossier-in-json.md").read_text(encoding="utf-8")
        blocks = re.findall(r"```json\n(.*?)```", page, flags=re.DOTALL)
        assert blocks
        for block in blocks:
            document = json.loads(block)
            dossier = from_dict(document, Dossier)
            assert to_dict(dossier) == document
            assert list(to_dict(dossier)["services"]) == list(document["services"])
