"""DataFrames: `dossiers_frame` and `Scorer.grade_frame` give exactly what `assess` gives."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from fractions import Fraction
from typing import TYPE_CHECKING
from unittest import mock

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import THOROUGH
from villes_label import (
    Action,
    Dossier,
    InvalidInput,
    Ruleset,
    Scorer,
    Status,
    Territory,
    TerritoryKind,
    _batch,
    assess,
    default_ruleset,
    dossiers_frame,
    from_dict,
    records,
    referential,
    to_dict,
)
from villes_label import _frames as frames_module
from villes_label._errors import MAX_PROBLEMS, unknown_id
from villes_label._frames import numpy_or_none, plain_rows
from villes_label._territory import code_problem
from villes_label.cli import main as cli_main
from villes_label.referential import sample_dossier, synthetic_cohort
from villes_label.testing import dossiers, rulesets, territories

if TYPE_CHECKING:
    from pathlib import Path

RULES = default_ruleset()


def realistic(size: int, seed: int) -> tuple[Dossier, ...]:
    return synthetic_cohort(
        size,
        seed=seed,
        epci_share=0.04,
        populations="france",
        opt_out_rate=0.3,
        action_share=0.5,
    )


def long_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The long form of a wide frame: one row per declared service."""
    services = [c for c in frame.columns if c not in {"code", "name", "kind", "population", "year"}]
    melted = frame.melt(
        id_vars=["code", "kind", "population"],
        value_vars=services,
        var_name="service",
        value_name="status",
    )
    return melted[melted["status"].notna()].reset_index(drop=True)


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[Ruleset, list[Dossier]]:
    rules = draw(rulesets())
    return rules, draw(st.lists(dossiers(rules), max_size=6))


class TestGradeFrameIsAssess:
    """For every ruleset and cohort, the frame path's grades and exact scores are `assess`'s."""

    @given(cohorts())
    def test_wide(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        rules, cohort = drawn
        # Blocks of 2 rows: a frame is evaluated block by block.
        with mock.patch.object(frames_module, "_BLOCK", 2):
            out = Scorer(rules).grade_frame(dossiers_frame(cohort, taxonomy=rules.taxonomy))
        results = [assess(d, rules) for d in cohort]
        assert list(out["grade"]) == [r.grade for r in results]
        assert list(out["score"]) == [r.score for r in results]
        assert [
            Fraction(n, d)
            for n, d in zip(out["score_numerator"], out["score_denominator"], strict=True)
        ] == [r.score for r in results]

    @given(cohorts())
    def test_long(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        rules, cohort = drawn
        # One dossier per code: the long form identifies territories by code.
        unique = list({d.territory.code: d for d in cohort}.values())
        wide = dossiers_frame(unique, taxonomy=rules.taxonomy)
        out = Scorer(rules).grade_frame(long_of(wide))
        by_code = {d.territory.code: assess(d, rules) for d in unique}
        # A territory that declares nothing has no row in the long form.
        declared = [d.territory.code for d in unique if d.effective_statuses()]
        assert sorted(out["code"]) == sorted(declared)
        got = dict(zip(out["code"], zip(out["grade"], out["score"], strict=True), strict=True))
        assert got == {code: (by_code[code].grade, by_code[code].score) for code in declared}

    def test_realistic_cohort(self) -> None:
        """Opt-outs, actions, every size and kind of territory: equal on all of it."""
        cohort = realistic(1_500 if THOROUGH else 300, seed=16)
        out = Scorer(RULES).grade_frame(dossiers_frame(cohort))
        results = [assess(d, RULES) for d in cohort]
        assert list(out["grade"]) == [r.grade for r in results]
        assert list(out["score"]) == [r.score for r in results]
        assert len(set(out["grade"])) >= 4

    def test_exactly_on_a_threshold(self) -> None:
        """A score exactly on a grade's minimum gets the grade, as with `assess`."""
        dossier = sample_dossier()
        score = assess(dossier, RULES).score
        frame = dossiers_frame([dossier])
        for minimum, grade in ((score, 3), (score + Fraction(1, 10**6), 0)):
            grades = [attrs.evolve(r, min_score=max(r.min_score, minimum)) for r in RULES.grades]
            rules = RULES.replace(grades=grades)
            out = Scorer(rules).grade_frame(frame)
            assert out["grade"][0] == assess(dossier, rules).grade == grade


class TestRecordsAgree:
    """`records` of the assessments and the frame path tell the same grades and scores."""

    def test_same_grades_and_scores(self) -> None:
        cohort = realistic(300, seed=3)
        out = Scorer(RULES).grade_frame(dossiers_frame(cohort))
        rows = records([assess(d, RULES) for d in cohort])
        assert list(out["code"]) == [row["code"] for row in rows]
        assert list(out["grade"]) == [row["grade"] for row in rows]
        assert [float(s) for s in out["score"]] == [row["score"] for row in rows]
        assert list(out["score_percent"]) == [float(s) * 100 for s in out["score"]]


class TestDossiersFrame:
    """One row per dossier, one categorical column per service, effective statuses."""

    def test_columns_and_statuses(self) -> None:
        dossier = sample_dossier()
        frame = dossiers_frame([dossier], taxonomy=RULES.taxonomy)
        assert list(frame.columns) == [
            "code",
            "name",
            "kind",
            "population",
            "year",
            *(s.id for s in RULES.taxonomy.services),
        ]
        row = frame.iloc[0]
        for sid in RULES.taxonomy.service_ids:
            status = row[sid]
            expected = dossier.effective_statuses().get(sid)
            assert (None if pd.isna(status) else Status(status)) == expected
        assert isinstance(frame["site-internet"].dtype, pd.CategoricalDtype)
        assert list(frame["site-internet"].cat.categories) == [s.value for s in Status]

    def test_rejects_what_is_not_a_dossier(self) -> None:
        with pytest.raises(InvalidInput, match=r"dossiers\[1\]: expected a Dossier"):
            dossiers_frame([sample_dossier(), "nope"])  # type: ignore[list-item]

    def test_empty(self) -> None:
        out = Scorer(RULES).grade_frame(dossiers_frame([]))
        assert len(out) == 0


class TestBadFrames:
    """Every problem is reported with its row; nothing is dropped."""

    def test_every_problem_listed(self) -> None:
        frame = dossiers_frame([sample_dossier()])
        frame = frame.astype({"kind": object, "site-internet": object})
        frame.loc[0, "kind"] = "village"
        frame.loc[0, "site-internet"] = "done"
        frame["no-such-service"] = "deployed"
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grade_frame(frame)
        problems = raised.value.problems
        assert any("rows.35999.kind" in p for p in problems)
        assert any("rows.35999.site-internet: unknown status 'done'" in p for p in problems)
        assert any("no-such-service" in p for p in problems)
        # Each problem's path is data: the row's code, then the column.
        assert sorted(problem.path for problem in raised.value.details) == [
            ("columns", "no-such-service"),
            ("rows", "35999", "kind"),
            ("rows", "35999", "site-internet"),
        ]

    def test_long_frame_problems_have_paths(self) -> None:
        long = pd.DataFrame(
            {
                "code": ["01001", "01001", "01002"],
                "service": ["site-internet", "site-internet", "no-such-service"],
                "status": ["deployed", "deployed", "done"],
                "kind": ["commune", "commune", "commune"],
                "population": [100, 100, 200],
            }
        )
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grade_frame(long)
        assert sorted(problem.path for problem in raised.value.details) == [
            ("rows", 1),
            ("rows", 2, "service"),
            ("rows", 2, "status"),
        ]
        absent = long.drop(columns=["kind", "population"])
        people = pd.DataFrame({"code": ["01001"], "kind": ["commune"], "population": [100]})
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grade_frame(absent, territories=people)
        assert [problem.path for problem in raised.value.details] == [("territories", "01002")]

    def test_missing_columns(self) -> None:
        with pytest.raises(InvalidInput, match="missing column 'population'"):
            Scorer(RULES).grade_frame(pd.DataFrame({"code": ["01001"], "kind": ["commune"]}))

    def test_negative_population(self) -> None:
        frame = dossiers_frame([sample_dossier()])
        frame.loc[0, "population"] = -3
        with pytest.raises(InvalidInput, match="population: must be >= 0"):
            Scorer(RULES).grade_frame(frame)

    @pytest.mark.parametrize("population", [2**62, 2**63 + 7, 2**64 - 1])
    def test_unsigned_populations_past_int64(self, population: int) -> None:
        # An unsigned column holds populations that int64 cannot: read exactly, not wrapped.
        dossier = sample_dossier()
        frame = dossiers_frame([dossier])
        frame["population"] = pd.Series([population], dtype="uint64")
        big = attrs.evolve(
            dossier, territory=attrs.evolve(dossier.territory, population=population)
        )
        result = assess(big, RULES)
        out = Scorer(RULES).grade_frame(frame)
        assert list(out["grade"]) == [result.grade]
        assert list(out["score"]) == [result.score]
        assert result.grade != assess(dossier, RULES).grade  # the population counts

    def test_not_a_frame(self) -> None:
        with pytest.raises(InvalidInput, match="expected a pandas DataFrame"):
            Scorer(RULES).grade_frame([1, 2])  # type: ignore[arg-type]

    def test_long_frame_twice_the_same_service(self) -> None:
        frame = pd.DataFrame(
            {
                "code": ["01001", "01001"],
                "kind": ["commune", "commune"],
                "population": [500, 500],
                "service": ["site-internet", "site-internet"],
                "status": ["deployed", "absent"],
            }
        )
        with pytest.raises(InvalidInput, match="names service 'site-internet' twice"):
            Scorer(RULES).grade_frame(frame)

    def test_long_frame_with_separate_territories(self) -> None:
        statuses = pd.DataFrame(
            {"code": ["01001"], "service": ["site-internet"], "status": ["deployed"]}
        )
        people = pd.DataFrame({"code": ["01001"], "kind": ["commune"], "population": [500]})
        out = Scorer(RULES).grade_frame(statuses, territories=people)
        assert list(out["code"]) == ["01001"]
        with pytest.raises(InvalidInput, match="no kind and population"):
            Scorer(RULES).grade_frame(statuses, territories=people.assign(code="01002"))


class TestOptional:
    """numpy and pandas are an extra: never imported by the core, a clear error without them."""

    def test_import_does_not_load_pandas(self) -> None:
        code = (
            "import sys, villes_label as vl; vl.Scorer; vl.records; "
            "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"

    def test_error_names_the_extra(self) -> None:
        code = (
            "import sys; sys.modules['pandas'] = None\n"
            "import villes_label as vl\n"
            "try:\n"
            "    vl.dossiers_frame([])\n"
            "except ImportError as error:\n"
            "    print(error)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "villes-label[frames]" in done.stdout


@st.composite
def opted_out_cohorts(draw: st.DrawFn) -> tuple[Ruleset, list[Dossier]]:
    """A ruleset and dossiers that often declare services not applicable."""
    rules = draw(rulesets())
    status = st.sampled_from([*Status, Status.NOT_APPLICABLE, Status.NOT_APPLICABLE])
    return rules, draw(st.lists(dossiers(rules, status=status), max_size=8))


class TestScorerOnArrays:
    """Dossiers with their own denominators (opt-outs, expectations) are graded together on
    integer arrays when numpy is installed, one at a time otherwise: both are `assess`."""

    @given(opted_out_cohorts(), st.booleans())
    def test_grades_scores_summary(
        self, drawn: tuple[Ruleset, list[Dossier]], arrays: bool
    ) -> None:
        rules, cohort = drawn
        results = [assess(d, rules) for d in cohort]
        # Blocks of 3 dossiers: the arrays grade a cohort block by block.
        with (
            mock.patch.object(_batch, "numpy_or_none", numpy_or_none if arrays else lambda: None),
            mock.patch.object(_batch, "_BLOCK", 3),
        ):
            scorer = Scorer(rules)
            assert scorer.grades(cohort) == [r.grade for r in results]
            assert scorer.scores(cohort) == [r.score for r in results]
            summary = scorer.summary(cohort)
        assert list(summary.grades) == [r.grade for r in results]
        assert summary.scores() == [r.score for r in results]
        gateless = rules.replace(
            grades=tuple(attrs.evolve(rule, min_score=0) for rule in rules.grades)
        )
        assert list(summary.gate_grades) == [assess(d, gateless).grade for d in cohort]

    def test_realistic_cohort(self) -> None:
        """Share of potential (the default rules without their expectations): equal to `assess`."""
        rules = RULES.replace(expectations=())
        cohort = realistic(1_500, seed=61)
        results = [assess(d, rules) for d in cohort]
        scorer = Scorer(rules)
        assert scorer.grades(cohort) == [r.grade for r in results]
        assert scorer.scores(cohort) == [r.score for r in results]

    def test_realistic_cohort_under_size_aware_rules(self) -> None:
        """Saturating issues and themes, on arrays: equal to `assess` on a realistic cohort."""
        rules = referential.ruleset(2016)
        assert rules.expectations
        cohort = realistic(1_500 if THOROUGH else 400, seed=62)
        results = [assess(d, rules) for d in cohort]
        scorer = Scorer(rules)
        assert scorer.grades(cohort) == [r.grade for r in results]
        assert scorer.scores(cohort) == [r.score for r in results]
        assert len({r.grade for r in results}) >= 3

    @given(opted_out_cohorts())
    def test_issue_sums_not_packed(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        """Numerators and denominators summed apart (too wide to share an integer): the same."""
        rules, cohort = drawn
        with mock.patch.object(frames_module, "_PACK_LIMIT", 0):
            assert Scorer(rules).scores(cohort) == [assess(d, rules).score for d in cohort]
            frame = dossiers_frame(cohort, taxonomy=rules.taxonomy)
            out = Scorer(rules).grade_frame(frame)
        assert list(out["grade"]) == [assess(d, rules).grade for d in cohort]

    @given(opted_out_cohorts())
    def test_python_integers(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        """Arrays of Python integers (what a ruleset too wide for int64 gets): the same."""
        rules, cohort = drawn

        def wide(*args: object, **kwargs: object) -> type:
            return object

        with mock.patch.object(frames_module, "_dtype", wide):
            assert Scorer(rules).scores(cohort) == [assess(d, rules).score for d in cohort]
            assert Scorer(rules).grades(cohort) == [assess(d, rules).grade for d in cohort]

    @given(opted_out_cohorts())
    def test_percents_from_the_exact_scores(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        """Scores past float64's exact integers, or in Python integers: the same percents."""
        rules, cohort = drawn
        frame = dossiers_frame(cohort, taxonomy=rules.taxonomy)
        expected = [float(assess(d, rules).score) * 100 for d in cohort]
        assert list(Scorer(rules).grade_frame(frame)["score_percent"]) == expected

        def wide(*args: object, **kwargs: object) -> type:
            return object

        for patch in (
            mock.patch.object(frames_module, "_FLOAT_EXACT", 0),
            mock.patch.object(frames_module, "_dtype", wide),
        ):
            with patch:
                out = Scorer(rules).grade_frame(frame)
            assert list(out["score_percent"]) == expected

    @given(opted_out_cohorts())
    def test_exclusions_written_row_by_row(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        """Too many profiles for templates: each excluded cell written apart, the same."""
        rules, cohort = drawn
        results = [assess(d, rules) for d in cohort]
        with mock.patch.object(frames_module, "_TEMPLATE_CELLS", 0):
            assert Scorer(rules).scores(cohort) == [r.score for r in results]
            out = Scorer(rules).grade_frame(dossiers_frame(cohort, taxonomy=rules.taxonomy))
        assert list(out["grade"]) == [r.grade for r in results]

    @given(opted_out_cohorts())
    def test_columns_past_a_byte(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        """Columns read as integers, not bytes (a referential of 255 services or more): the same."""
        rules, cohort = drawn
        with mock.patch.object(frames_module, "_UNKNOWN_BYTE", 0):
            assert Scorer(rules).scores(cohort) == [assess(d, rules).score for d in cohort]

    @given(st.data())
    def test_populations_beyond_int64(self, data: st.DataObject) -> None:
        """Populations past int64 read their profiles by Python's comparisons: the same."""
        rules = data.draw(rulesets())
        huge = territories(min_population=2**62, max_population=10**30)
        cohort = data.draw(st.lists(dossiers(rules, territory=huge), min_size=1, max_size=4))
        results = [assess(d, rules) for d in cohort]
        assert Scorer(rules).scores(cohort) == [r.score for r in results]
        out = Scorer(rules).grade_frame(dossiers_frame(cohort, taxonomy=rules.taxonomy))
        assert list(out["grade"]) == [r.grade for r in results]

    def test_dated_actions(self) -> None:
        """Expired actions raise nothing, recent or ongoing ones do: as `assess` reads them."""
        cohort = list(realistic(60, seed=69))
        dates = [dt.date(2010, 5, 1), dt.date(2015, 1, 1), None]
        for n in range(0, 60, 2):
            actions = tuple(
                attrs.evolve(action, date=dates[(n + k) % 3], ongoing=(n + k) % 4 == 0)
                for k, action in enumerate(cohort[n].actions)
            )
            cohort[n] = attrs.evolve(cohort[n], actions=actions)
        assert any(d.expired_actions for d in cohort)
        results = [assess(d, RULES) for d in cohort]
        scorer = Scorer(RULES)
        assert scorer.grades(cohort) == [r.grade for r in results]
        assert scorer.scores(cohort) == [r.score for r in results]

    def test_former_ids_are_read_as_their_successors(self) -> None:
        """A former id of the referential, in the entries or in an action, reads as `assess` reads it."""
        former = sorted(RULES.taxonomy.aliases)
        cohort = list(realistic(60, seed=63))
        for n in range(0, 60, 3):
            cohort[n] = cohort[n].with_status(former[n % len(former)], Status.DEPLOYED)
        for n in range(1, 60, 7):
            extra = Action(
                id="former", title="X", services={former[n % len(former)]}, status=Status.PARTIAL
            )
            cohort[n] = attrs.evolve(cohort[n], actions=(*cohort[n].actions, extra))
        results = [assess(d, RULES) for d in cohort]
        scorer = Scorer(RULES)
        assert scorer.grades(cohort) == [r.grade for r in results]
        assert scorer.scores(cohort) == [r.score for r in results]

    def test_bad_items_still_raise_what_assess_raises(self) -> None:
        cohort = [*realistic(3, seed=1), "nope"]
        with pytest.raises(InvalidInput, match="expected a Dossier"):
            Scorer(RULES).grades(cohort)  # type: ignore[arg-type]

    @pytest.mark.parametrize("where", ["services", "actions"])
    def test_an_unknown_id_raises_what_assess_raises(self, where: str) -> None:
        cohort = list(realistic(40, seed=2))
        dossier = cohort[7].with_status("fablab", Status.NOT_APPLICABLE)
        if where == "services":
            dossier = dossier.with_status("no-such-service", Status.DEPLOYED)
        else:
            extra = Action(id="x", title="X", services={"no-such-service"}, status=Status.PARTIAL)
            dossier = attrs.evolve(dossier, actions=(*dossier.actions, extra))
        cohort[7] = dossier
        with pytest.raises(InvalidInput) as expected:
            assess(dossier, RULES)
        for method in ("grades", "scores", "summary"):
            with pytest.raises(InvalidInput) as raised:
                getattr(Scorer(RULES), method)(cohort)
            # The problem of `assess`, at the index of its dossier in the cohort.
            assert raised.value.details == expected.value.within(7).details


# --- plain data straight to grades ----------------------------------------------------------

_STATUS_TEXTS = [status.value for status in Status]
_JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(
        [
            *_STATUS_TEXTS,
            "commune",
            "metropole",
            "2A004",
            "35999",
            "200000000",
            " ",
            "\u200b",
            "\ud800",
            "Saint-Étienne",
            "site-internet",
            "wifi-public",
            "2014-01-01",
            *sorted(RULES.taxonomy.aliases),
        ]
    )
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=4,
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Ruleset, list[object]]:
    """A ruleset and plain dossiers, one of them changed in one place (often invalid)."""
    rules, cohort = draw(opted_out_cohorts())
    data: list[object] = [to_dict(dossier) for dossier in cohort]
    if not data:
        return rules, data
    n = draw(st.integers(0, len(data) - 1))
    item = data[n]
    assert isinstance(item, dict)
    places: list[tuple[dict[str, object], str]] = [(item, "year"), (item, "services"), (item, "x")]
    places.extend(
        (item["territory"], key)
        for key in ("code", "name", "kind", "population", "departement", "x")
    )
    services = item["services"]
    places.extend((services, key) for key in list(services)[:3])
    places.append(
        (
            services,
            draw(st.sampled_from(["wifi-public", "no-such-id", *sorted(RULES.taxonomy.aliases)])),
        )
    )
    for action in item["actions"]:
        places.extend(
            (action, key)
            for key in ("id", "title", "services", "status", "date", "ongoing", "links", "x")
        )
    if item["actions"]:
        places.append((item, "actions"))
    where, key = draw(st.sampled_from(places))
    if draw(st.booleans()) and key in where:
        del where[key]
    else:
        where[key] = draw(_JSON)
    return rules, data


def _refusal(data: object) -> tuple[str, ...] | None:
    """The problems `from_dict` finds in a cohort, or ``None`` when it reads it."""
    try:
        from_dict(data, tuple[Dossier, ...])
    except InvalidInput as error:
        return error.problems
    return None


class TestGradesFromData:
    """Plain data (parsed JSON) to grades without building dossiers: the fast reading accepts
    only what `from_dict` accepts, and its grades, scores and mentions are those of `assess`."""

    @given(opted_out_cohorts())
    def test_valid_data_is_assess(self, drawn: tuple[Ruleset, list[Dossier]]) -> None:
        rules, cohort = drawn
        data = json.loads(json.dumps([to_dict(d) for d in cohort]))
        rows = plain_rows(rules, data)
        results = [assess(d, rules) for d in cohort]
        if all(not d.actions or all(a.date is None for a in d.actions) for d in cohort):
            assert rows is not None
        if rows is not None:
            assert [(r[0], r[1]) for r in rows] == [
                (d.territory.code, d.territory.name) for d in cohort
            ]
            assert [r[2] for r in rows] == [r.grade for r in results]
            assert [Fraction(r[3], r[4]) for r in rows] == [r.score for r in results]
            assert [r[5] for r in rows] == [r.mentions for r in results]
        assert Scorer(rules).grades_from_data(data) == [r.grade for r in results]

    @given(mutated())
    def test_never_accepts_what_from_dict_refuses(
        self, drawn: tuple[Ruleset, list[object]]
    ) -> None:
        rules, data = drawn
        before = json.dumps(data, sort_keys=True)
        rows = plain_rows(rules, data)
        refused = _refusal(data)
        if refused is not None:
            assert rows is None
            with pytest.raises(InvalidInput) as raised:
                Scorer(rules).grades_from_data(data)
            assert raised.value.problems == refused
            return
        cohort = from_dict(data, tuple[Dossier, ...])
        try:
            results = [assess(d, rules) for d in cohort]
        except InvalidInput:
            assert rows is None  # an unknown id: `grades` raises what `assess` raises
            with pytest.raises(InvalidInput):
                Scorer(rules).grades_from_data(data)
            return
        if rows is not None:
            assert [r[2] for r in rows] == [r.grade for r in results]
            assert [Fraction(r[3], r[4]) for r in rows] == [r.score for r in results]
            assert [r[5] for r in rows] == [r.mentions for r in results]
        assert Scorer(rules).grades_from_data(data) == [r.grade for r in results]
        assert json.dumps(data, sort_keys=True) == before  # the data is only read

    @pytest.mark.parametrize(
        "rules", [RULES, RULES.replace(expectations=())], ids=["size-aware", "share-of-potential"]
    )
    def test_realistic_cohort(self, rules: Ruleset) -> None:
        cohort = realistic(600 if THOROUGH else 200, seed=64)
        data = json.loads(json.dumps([to_dict(d) for d in cohort]))
        rows = plain_rows(rules, data)
        assert rows is not None
        results = [assess(d, rules) for d in cohort]
        assert [r[2] for r in rows] == [r.grade for r in results]
        assert [Fraction(r[3], r[4]) for r in rows] == [r.score for r in results]
        assert [r[5] for r in rows] == [r.mentions for r in results]

    def test_unusual_entries_take_the_detailed_reader(self) -> None:
        """Accented names are read fast; a département, a dated action or a former id are read
        by `from_dict`: the grades are the same."""
        cohort = list(realistic(30, seed=65))
        cohort[0] = attrs.evolve(
            cohort[0], territory=attrs.evolve(cohort[0].territory, name="Saint-Étienne")
        )
        assert plain_rows(RULES, [to_dict(d) for d in cohort]) is not None
        former = min(RULES.taxonomy.aliases)
        dated = Action(
            id="old",
            title="Vieux",
            services={"site-internet"},
            status=Status.DEPLOYED,
            date=dt.date(2010, 1, 1),
        )
        for changed in (
            attrs.evolve(cohort[1], territory=attrs.evolve(cohort[1].territory, departement="02")),
            attrs.evolve(cohort[1], actions=(dated,)),
            cohort[1].with_status(former, Status.DEPLOYED),
        ):
            variant = [*cohort[:1], changed, *cohort[2:]]
            data = [to_dict(d) for d in variant]
            assert plain_rows(RULES, data) is None
            assert Scorer(RULES).grades_from_data(data) == [assess(d, RULES).grade for d in variant]

    def test_problems_are_those_of_from_dict(self) -> None:
        data = [to_dict(d) for d in realistic(5, seed=66)]
        data[1]["services"]["site-internet"] = "done"
        data[3]["territory"]["population"] = -4
        with pytest.raises(InvalidInput) as refused:
            from_dict(data, tuple[Dossier, ...])
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grades_from_data(data)
        assert raised.value.problems == refused.value.problems
        assert len(raised.value.problems) == 2


class TestCommandLineGrade:
    """``villes-label grade`` reads a cohort of plain dossiers without building them: its rows
    are those of the detailed path (`from_dict`, then `assess`), which any other cohort takes."""

    @pytest.mark.parametrize("form", ["json", "jsonl"])
    def test_fast_and_detailed_rows_agree(
        self, form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        cohort = list(realistic(80, seed=67))
        data = [to_dict(d) for d in cohort]
        path = tmp_path / f"cohort.{form}"
        if form == "json":
            path.write_text(json.dumps(data), encoding="utf-8")
        else:
            path.write_text("".join(json.dumps(item) + "\n" for item in data), encoding="utf-8")
        outputs = []
        for fast in (True, False):
            # Without numpy, the fast reading declines: the detailed path grades.
            with mock.patch.object(
                frames_module, "numpy_or_none", numpy_or_none if fast else lambda: None
            ):
                assert cli_main(["grade", str(path), "--format", "jsonl"]) == 0
            outputs.append(capsys.readouterr().out)
        assert outputs[0] == outputs[1]
        rows = [json.loads(line) for line in outputs[0].splitlines()]
        results = [assess(d, RULES) for d in cohort]
        assert [row["grade"] for row in rows] == [r.grade for r in results]
        assert [Fraction(row["score"]) for row in rows] == [r.score for r in results]
        assert [row["mentions"] for row in rows] == [" ".join(r.mentions) for r in results]

    def test_fast_reading_is_used(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "cohort.json"
        path.write_text(json.dumps([to_dict(d) for d in realistic(5, seed=68)]), encoding="utf-8")
        with mock.patch.object(Dossier, "__attrs_post_init__", side_effect=AssertionError("built")):
            assert cli_main(["grade", str(path)]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 6


# --- hostile frames ---------------------------------------------------------------------------


def _one_wide(**columns: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "code": ["01001", "01002"],
        "kind": ["commune", "commune"],
        "population": [800, 42_000],
        "site-internet": ["deployed", "partial"],
    }
    base.update(columns)
    return pd.DataFrame(base)


def _one_long(**columns: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "code": ["01001", "01002"],
        "service": ["paiement-en-ligne", "site-internet"],
        "status": ["partial", "planned"],
        "kind": ["commune", "commune"],
        "population": [800, 42_000],
    }
    base.update(columns)
    return pd.DataFrame(base)


def _paths(frame: pd.DataFrame, **kwargs: object) -> list[tuple[str | int, ...]]:
    with pytest.raises(InvalidInput) as raised:
        Scorer(RULES).grade_frame(frame, **kwargs)  # type: ignore[arg-type]
    return [problem.path for problem in raised.value.details]


class TestHostileFrames:
    """Whatever a frame holds, `grade_frame` grades it as `assess` would or raises `InvalidInput`
    with every problem at its path: never another exception, never a row dropped or misread."""

    @pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
    def test_long_missing_code_is_a_problem_of_its_row(self, missing: object) -> None:
        assert _paths(_one_long(code=[missing, "01002"])) == [("rows", 0, "code")]

    @pytest.mark.parametrize("dtype", ["Int64", "UInt64", "Int32"])
    def test_nullable_population_with_a_missing_value(self, dtype: str) -> None:
        population = pd.Series([None, 800], dtype=dtype)
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grade_frame(_one_wide(population=population))
        assert raised.value.problems == ("rows.01001.population: expected an int >= 0, got <NA>",)
        people = pd.DataFrame({"code": ["01001", "01002"], "kind": "commune"})
        people["population"] = population
        long = _one_long().drop(columns=["kind", "population"])
        assert _paths(long, territories=people) == [("rows", "01001", "population")]

    def test_nullable_population_without_missing_values_is_read(self) -> None:
        frame = _one_wide()
        expected = Scorer(RULES).grade_frame(frame)
        for dtype in ("Int64", "UInt64", "Int32"):
            out = Scorer(RULES).grade_frame(frame.astype({"population": dtype}))
            assert list(out["score"]) == list(expected["score"])

    @pytest.mark.parametrize("name", ["site-internet", "code", "kind", "population"])
    def test_repeated_wide_column(self, name: str) -> None:
        frame = _one_wide()
        assert _paths(pd.concat([frame, frame[[name]]], axis=1)) == [("columns", name)]

    @pytest.mark.parametrize("name", ["code", "service", "status", "kind"])
    def test_repeated_long_column(self, name: str) -> None:
        frame = _one_long()
        assert _paths(pd.concat([frame, frame[[name]]], axis=1)) == [("columns", name)]
        people = frame[["code", "kind", "population"]]
        long = frame.drop(columns=["kind", "population"])
        if name in people.columns:
            doubled = pd.concat([people, people[[name]]], axis=1)
            assert _paths(long, territories=doubled) == [("territories", "columns", name)]

    @pytest.mark.parametrize("cell", [["deployed"], {"a": 1}, {"deployed"}, np.array([1, 2])])
    def test_unhashable_cells(self, cell: object) -> None:
        def holding(frame: pd.DataFrame, column: str, row: int) -> pd.DataFrame:
            frame = frame.astype({column: object})
            frame[column] = pd.Series(
                [cell if n == row else v for n, v in enumerate(frame[column])], dtype=object
            )
            return frame

        assert _paths(holding(_one_wide(), "site-internet", 1)) == [
            ("rows", "01002", "site-internet")
        ]
        assert _paths(holding(_one_wide(), "kind", 0)) == [("rows", "01001", "kind")]
        assert _paths(holding(_one_wide(), "code", 0)) == [("rows", 0, "code")]
        for column in ("service", "status", "code"):
            assert _paths(holding(_one_long(), column, 1)) == [("rows", 1, column)]
        for column in ("kind", "population"):
            assert _paths(holding(_one_long(), column, 1)) == [("rows", "01002", column)]
        people = holding(_one_long()[["code", "kind", "population"]], "kind", 0)
        long = _one_long().drop(columns=["kind", "population"])
        assert _paths(long, territories=people) == [("rows", "01001", "kind")]

    def test_long_missing_status_is_a_problem(self) -> None:
        assert _paths(_one_long(status=[None, "planned"])) == [("rows", 0, "status")]

    def test_territories_without_statuses_are_graded_absent(self) -> None:
        long = pd.DataFrame(
            {"code": ["01002"], "service": ["site-internet"], "status": ["deployed"]}
        )
        people = pd.DataFrame(
            {"code": ["01001", "01002", "01003"], "kind": "commune", "population": [800, 900, 50]}
        )
        out = Scorer(RULES).grade_frame(long, territories=people)
        assert list(out["code"]) == ["01002", "01001", "01003"]
        for code, score in zip(out["code"], out["score"], strict=True):
            territory = Territory(
                code=code,
                name="x",
                kind="commune",
                population=int(people.set_index("code").loc[code, "population"]),
            )
            statuses = {"site-internet": Status.DEPLOYED} if code == "01002" else {}
            assert (
                score
                == assess(Dossier(territory=territory, year=2016, services=statuses), RULES).score
            )

    def test_ignored_columns_of_a_long_frame(self) -> None:
        long = _one_long().drop(columns=["kind", "population"])
        people = _one_long()[["code", "kind", "population"]]
        # A service column beside the long form, and kind and population that disagree.
        assert _paths(long.assign(**{"wifi-public": "deployed"}), territories=people) == [
            ("columns", "wifi-public")
        ]
        assert _paths(long.assign(kind="commune"), territories=people) == [("columns", "kind")]
        disagree = long.assign(kind="commune", population=[800, 5])
        assert _paths(disagree, territories=people) == [("territories", "01002")]
        agree = long.assign(kind="commune", population=[800, 42_000])
        expected = Scorer(RULES).grade_frame(long, territories=people)
        assert list(Scorer(RULES).grade_frame(agree, territories=people)["score"]) == list(
            expected["score"]
        )

    def test_two_unknown_services_are_not_a_repeat(self) -> None:
        frame = _one_long(
            code=["01001", "01001"], service=["nope1", "nope2"], population=[800, 800]
        )
        assert _paths(frame) == [("rows", 0, "service"), ("rows", 1, "service")]

    def test_many_unknown_services_are_worded_once(self) -> None:
        size = 100_000
        frame = pd.DataFrame(
            {
                "code": [f"{1000 + n % 900:05d}" for n in range(size)],
                "service": "site-internte",
                "status": "deployed",
                "kind": "commune",
                "population": 10,
            }
        )
        with (
            mock.patch("villes_label._frames.unknown_id", wraps=unknown_id) as word,
            pytest.raises(InvalidInput) as raised,
        ):
            Scorer(RULES).grade_frame(frame)
        assert word.call_count == 1
        assert len(raised.value.details) == MAX_PROBLEMS
        assert raised.value.more > 0
        assert "did you mean 'site-internet'" in raised.value.problems[0]

    def test_many_unknown_statuses_are_listed_up_to_the_limit_and_counted(self) -> None:
        size = MAX_PROBLEMS + 37
        frame = pd.DataFrame(
            {
                "code": [f"{1000 + n:05d}" for n in range(size)],
                "service": "site-internet",
                "status": "deploy",
                "kind": "commune",
                "population": 10,
            }
        )
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grade_frame(frame)
        assert len(raised.value.details) == MAX_PROBLEMS
        assert raised.value.more == 37
        assert raised.value.problems[0] == (
            "rows[0].status: unknown status 'deploy' "
            "(one of absent, planned, partial, deployed, not_applicable)"
        )

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            (None, "expected a str, got None"),
            (float("nan"), "expected a str, got float nan"),
            (1001, "expected a str, got int 1001"),
            ("1001", "is not a commune's INSEE code"),
            ("01001\x00", "is not a commune's INSEE code"),
            ("0100١", "is not a commune's INSEE code"),
        ],
    )
    def test_codes_are_checked_as_territory_checks_them(self, code: object, message: str) -> None:
        frame = _one_wide(code=pd.Series([code, "01002"], dtype=object))
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grade_frame(frame)
        [problem] = raised.value.details
        label = 0 if not isinstance(code, str) else code
        assert problem.path == ("rows", label, "code")
        assert message in problem.message
        long = _one_long(code=pd.Series(["01001", code], dtype=object))
        with pytest.raises(InvalidInput) as raised:
            Scorer(RULES).grade_frame(long)
        assert [p.path for p in raised.value.details] == [("rows", 1, "code")]

    def test_repeated_codes_are_labelled_by_position(self) -> None:
        frame = pd.concat([_one_wide(), _one_wide()], ignore_index=True)
        out = Scorer(RULES).grade_frame(frame)
        assert list(out["score"][:2]) == list(out["score"][2:])
        frame.loc[3, "kind"] = "village"
        assert _paths(frame) == [("rows", 3, "kind")]

    def test_population_past_the_digit_limit(self) -> None:
        frame = _one_wide(population=pd.Series([10**100, 800], dtype=object))
        with pytest.raises(
            InvalidInput, match=r"rows\.01001\.population: expected an int of at most 100 digits"
        ):
            Scorer(RULES).grade_frame(frame)
        assert len(Scorer(RULES).grade_frame(frame.assign(population=[10**100 - 1, 800]))) == 2


_CODE_TEXTS = st.text(alphabet="0123456789AB9 \x00é٣", max_size=10) | st.sampled_from(
    ["01001", "2A004", "2B999", "97100", "97612", "97701", "20001", "96001", "00001", "200054781"]
)


class TestCodesOnArrays:
    """The byte-wise check of codes never accepts a code that `Territory` refuses."""

    @given(
        st.lists(
            st.tuples(
                _CODE_TEXTS | st.none() | st.integers(), st.sampled_from(list(TerritoryKind))
            ),
            max_size=12,
        )
    )
    def test_never_more_lenient_than_territory(
        self, rows: list[tuple[object, TerritoryKind]]
    ) -> None:
        codes = np.array([code for code, _ in rows] + [None], dtype=object)[:-1]
        kinds = np.array(
            [frames_module.KIND_VALUES.index(kind.value) for _, kind in rows], dtype=np.int64
        )
        sure = frames_module._surely_valid_codes(np, codes, kinds)
        for n, (code, kind) in enumerate(rows):
            expected = code_problem(code, kind) is None
            assert not sure[n] or expected
            if (
                isinstance(code, str)
                and expected
                and all(isinstance(c, str) for c, _ in rows)
                and all(c.isascii() for c, _ in rows if isinstance(c, str))
            ):
                assert sure[n]  # the arrays decide every valid ASCII code alone
