"""A territory's dashboard: one value, rendered in French and English, in notebooks and on the command line."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import villes_label as vl
from villes_label import Action, Dashboard, Dossier, InvalidInput, Status, dashboard
from villes_label import _text as vl_text
from villes_label.cli import main

if TYPE_CHECKING:
    from pathlib import Path
    from random import Random

RULES = vl.default_ruleset()
COHORT = vl.referential.national_cohort(120, seed=7)


def with_old_action(dossier: Dossier, action_id: str = "ancienne") -> Dossier:
    old = Action(
        id=action_id,
        title="Cybercentre de 2010",
        services={"espace-public-numerique"},
        status=Status.DEPLOYED,
        date=dt.date(2010, 5, 1),
    )
    return Dossier(
        territory=dossier.territory,
        year=dossier.year,
        services=dossier.services,
        actions=(*dossier.actions, old),
    )


class TestContents:
    """The dashboard gathers what assess, recommend, next_questions and peers say."""

    def test_the_parts_agree_with_the_functions(self) -> None:
        home = COHORT[0]
        board = dashboard(home, RULES, COHORT)
        assert board.assessment == vl.assess(home, RULES)
        assert board.plan == vl.recommend(home, RULES)
        assert board.questions == vl.next_questions(home, RULES, limit=5)
        assert board.roadmap == vl.roadmap(home, RULES, board.plan.target)
        for step in board.plan.steps:
            expected = vl.peers(step.service, COHORT, near=home, limit=3)
            assert board.peers.get(step.service, ()) == expected

    def test_initiatives_by_enjeu(self) -> None:
        home = with_old_action(next(d for d in COHORT if d.actions))
        board = dashboard(home, RULES)
        taxonomy = RULES.taxonomy
        listed = {i for ids in board.initiatives.values() for i in ids}
        assert listed == {a.id for a in home.counted_actions}
        assert "ancienne" not in listed
        for issue, ids in board.initiatives.items():
            services = {s.id for s in taxonomy.issue(issue).services}
            for action_id in ids:
                action = next(a for a in home.actions if a.id == action_id)
                assert services & action.services

    @settings(max_examples=20, deadline=None)
    @given(st.sampled_from([d for d in COHORT if len(d.actions) > 1]), st.randoms())
    def test_the_order_of_the_actions_changes_nothing(
        self, dossier: Dossier, random: Random
    ) -> None:
        home = with_old_action(with_old_action(dossier, "ancienne-a"), "ancienne-b")
        actions = list(home.actions)
        random.shuffle(actions)
        shuffled = Dossier(
            territory=home.territory, year=home.year, services=home.services, actions=actions
        )
        board, other = dashboard(home, RULES), dashboard(shuffled, RULES)
        assert other.initiatives == board.initiatives
        assert other.assessment == board.assessment
        assert other.plan == board.plan
        for lang in ("fr", "en"):
            assert other.report(lang) == board.report(lang)
            assert other.to_html(lang) == board.to_html(lang)

    def test_no_cohort_no_peers(self) -> None:
        assert dashboard(COHORT[1], RULES).peers == {}

    def test_names_for_people(self) -> None:
        board = dashboard(vl.referential.sample_dossier(), RULES)
        assert board.name_of("democratie-services-publics") == "Démocratie et services publics"
        assert board.name_of("unknown-id") == "unknown-id"

    @settings(max_examples=10)
    @given(st.integers(min_value=0, max_value=119))
    def test_round_trip(self, index: int) -> None:
        board = dashboard(COHORT[index], RULES, COHORT)
        data = vl.to_dict(board)
        json.dumps(data)
        assert vl.from_dict(data, Dashboard) == board

    def test_inconsistent_data(self) -> None:
        data = vl.to_dict(dashboard(COHORT[0], RULES, COHORT))
        data["initiatives"] = {"emploi": ["nope"]}
        data["peers"] = {"not-in-plan": []}
        data["roadmap"]["target"] = data["plan"]["target"] - 1
        with pytest.raises(InvalidInput) as caught:
            vl.from_dict(data, Dashboard)
        assert [p.split(":")[0] for p in caught.value.problems] == [
            "roadmap",
            "initiatives.emploi",
            "peers.not-in-plan",
        ]


class TestRendering:
    """The report reads in French and in English; the notebook shows HTML."""

    def test_french(self) -> None:
        home = with_old_action(COHORT[0])
        text = dashboard(home, RULES, COHORT).report("fr")
        assert text.startswith(f"Tableau de bord — {home.territory.name}")
        assert "Thèmes :" in text
        assert "Questions à poser d'abord :" in text
        assert "Cybercentre de 2010 (2010-05-01)" in text
        assert "ne comptent plus" in text

    def test_english(self) -> None:
        board = dashboard(COHORT[0], RULES, COHORT)
        text = board.report("en")
        assert text.startswith("Dashboard — ")
        assert "Themes:" in text
        assert "Thèmes" not in text
        if board.plan.steps and board.peers:
            assert "already done by" in text
        assert str(board) == text

    def test_plan_and_peers_shown(self) -> None:
        board = next(b for b in (dashboard(d, RULES, COHORT) for d in COHORT[:20]) if b.peers)
        text = board.report("fr")
        service, found = next(iter(board.peers.items()))
        assert board.name_of(service) in text
        assert found[0].territory.name in text
        assert "déjà fait par" in text

    def test_roadmap_shown(self) -> None:
        board = next(
            b
            for b in (dashboard(d, RULES) for d in COHORT[:20])
            if b.plan.reachable and b.plan.steps
        )
        assert board.roadmap is not None
        french, english = board.report("fr"), board.report("en")
        assert "Feuille de route :" in french
        assert board.roadmap.summary("fr") in french
        assert "Roadmap:" in english
        assert board.roadmap.summary("en") in english

    def test_lang(self) -> None:
        with pytest.raises(InvalidInput, match="lang"):
            dashboard(COHORT[0], RULES).report("de")  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="lang"):
            dashboard(COHORT[0], RULES).to_html("de")  # type: ignore[arg-type]

    def test_units_and_grades_said_as_elsewhere(self) -> None:
        # Gains in points with their unit, grades with their number, as every report says them.
        board = next(b for b in (dashboard(d, RULES) for d in COHORT[:20]) if b.plan.steps)
        step = board.plan.steps[0]
        for lang in ("fr", "en"):
            text = board.report(lang)
            gain = vl_text.amount(step.gain, lang)
            assert f"{board.name_of(step.service)} (+{gain})" in text
            assert vl_text.grade_label(board.assessment.grade, lang) in text
            assert vl_text.grade_label(board.plan.target, lang) in text
        assert " ; " not in board.report("en")

    def test_html_in_each_language(self) -> None:
        board = next(b for b in (dashboard(d, RULES, COHORT) for d in COHORT[:20]) if b.peers)
        french, english = board.to_html("fr"), board.to_html("en")
        assert board._repr_html_() == french
        assert "Enjeux" in french
        assert "Questions à poser d&#x27;abord :" in french
        assert "Issues" in english
        assert "Questions to ask first:" in english
        assert "Enjeu" not in english
        step = board.plan.steps[0]
        assert html.escape(vl_text.amount(step.gain, "fr")) in french
        assert vl_text.number(board.assessment.score, "fr") in french
        assert vl_text.number(board.assessment.score, "en") in english

    def test_html(self) -> None:
        board = dashboard(COHORT[0], RULES, COHORT)
        page = board._repr_html_()
        assert page.startswith('<div class="villes-label-dashboard">')
        assert COHORT[0].territory.name in page
        assert "<script" not in dashboard(
            Dossier(
                territory=vl.Territory(code="92049", name="<script>", kind=vl.TerritoryKind.COMMUNE,
                                       population=10),
                year=2016,
            ),
            RULES,
        )._repr_html_()  # fmt: skip


class TestCommandLine:
    """villes-label dashboard DOSSIER [--cohort FILE] [--lang fr|en] [--json]."""

    def write(self, tmp_path: Path, name: str, data: object) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    def test_both_languages(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        dossier = self.write(tmp_path, "d.json", vl.to_dict(COHORT[0]))
        cohort = self.write(tmp_path, "c.json", [vl.to_dict(d) for d in COHORT[:60]])
        assert main(["dashboard", str(dossier), "--cohort", str(cohort)]) == 0
        french = capsys.readouterr().out
        assert french.startswith("Tableau de bord")
        assert main(["dashboard", str(dossier), "--cohort", str(cohort), "--lang", "en"]) == 0
        english = capsys.readouterr().out
        assert english.startswith("Dashboard")
        expected = dashboard(COHORT[0], RULES, COHORT[:60]).report("en")
        assert english == expected + "\n"

    def test_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        dossier = self.write(tmp_path, "d.json", vl.to_dict(COHORT[2]))
        cohort = self.write(tmp_path, "c.json", {"dossiers": [vl.to_dict(d) for d in COHORT]})
        assert main(["dashboard", str(dossier), "--cohort", str(cohort), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        board = dashboard(COHORT[2], RULES, COHORT)
        french = attrs.evolve(board, assessment=board.assessment.in_language("fr"))
        assert vl.from_dict(data, Dashboard) == french

    def test_bad_cohort(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        dossier = self.write(tmp_path, "d.json", vl.to_dict(COHORT[0]))
        bad = [vl.to_dict(COHORT[1]), {"year": 2016}, 3]
        cohort = self.write(tmp_path, "c.json", bad)
        assert main(["dashboard", str(dossier), "--cohort", str(cohort), "--lang", "en"]) == 2
        errors = capsys.readouterr().err.splitlines()
        assert errors[0].startswith(f"error: {cohort}: [1].territory: missing required field")
        assert any("[2]" in line for line in errors)
        not_a_list = self.write(tmp_path, "n.json", {"cohort": []})
        assert main(["dashboard", str(dossier), "--cohort", str(not_a_list), "--lang", "en"]) == 2
        assert "expected a list of dossiers" in capsys.readouterr().err
        assert main(["dashboard", str(dossier), "--cohort", str(not_a_list)]) == 2
        assert "erreur : " in (err := capsys.readouterr().err)
        assert "une liste de dossiers était attendue" in err

    def test_json_reasons_in_the_language(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        sample = vl.referential.sample_dossier()
        dossier = self.write(tmp_path, "d.json", vl.to_dict(sample))
        for lang in ("fr", "en"):
            assert main(["dashboard", str(dossier), "--json", "--lang", lang]) == 0
            data = json.loads(capsys.readouterr().out)
            result = vl.assess(sample, RULES).in_language(lang)
            assert vl.from_dict(data["assessment"], vl.Assessment) == result
        french = vl.assess(sample, RULES).in_language("fr").reasons
        assert french != vl.assess(sample, RULES).in_language("en").reasons

    def test_problems_and_warnings_name_the_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        bad = self.write(tmp_path, "bad.json", vl.to_dict(
            Dossier(territory=COHORT[0].territory, year=2016, services={"wifi": Status.DEPLOYED})
        ))  # fmt: skip
        assert main(["dashboard", str(bad)]) == 2
        assert capsys.readouterr().err.startswith(f"erreur : {bad}: services.wifi: ")
        # The rules do not let a territory opt out of a website.
        refused = Dossier(
            territory=COHORT[0].territory,
            year=2016,
            services={"site-internet": Status.NOT_APPLICABLE},
        )
        dossier = self.write(tmp_path, "d.json", vl.to_dict(refused))
        assert main(["dashboard", str(dossier), "--lang", "en"]) == 0
        reasons = vl.assess(refused, RULES).in_language("en").reasons_of("opt-out-refused")
        assert [r.subject for r in reasons] == ["site-internet"]
        expected = "".join(
            f"warning: {dossier}: services.{r.subject}: {r.message}\n" for r in reasons
        )
        assert capsys.readouterr().err == expected


class TestFormerIds:
    """The dashboard and its peers read a former service id as `assess` does: as its successor."""

    RETIRED = Action(
        id="zz", title="Ancien id", services={"postes-acces-libre"}, status=Status.DEPLOYED
    )

    def test_initiatives(self) -> None:
        rules = vl.referential.ruleset(2017)
        sample = vl.referential.sample_dossier()
        old = Dossier(
            territory=sample.territory,
            year=2017,
            services=sample.services,
            actions=(*sample.actions, self.RETIRED),
        )
        assert vl.assess(old, rules).statuses["espace-public-numerique"] is Status.DEPLOYED
        assert "zz" in dashboard(old, rules).initiatives["mediation"]

    def test_peers(self) -> None:
        t = vl.Territory(code="35001", name="Acigné", kind="commune", population=7000)
        other = Dossier(
            territory=t, year=2016, services={"annuaire-lieux-mediation": Status.DEPLOYED}
        )
        with_action = Dossier(
            territory=vl.Territory(code="35002", name="B", kind="commune", population=7000),
            year=2016,
            actions=(self.RETIRED,),
        )
        found = vl.peers("espace-public-numerique", [other, with_action], ruleset=RULES)
        assert [p.territory.code for p in found] == ["35001", "35002"]
        assert found[1].initiatives == (self.RETIRED,)
        # The former id itself is read as its successor; without rules, ids are read as given.
        assert vl.peers("postes-acces-libre", [other], ruleset=RULES) == found[:1]
        assert vl.peers("espace-public-numerique", [other]) == ()

    def test_dashboard_peers(self) -> None:
        home = vl.Dossier(
            territory=vl.Territory(code="35238", name="Rennes", kind="commune", population=9000),
            year=2016,
        )
        other = Dossier(
            territory=vl.Territory(code="35001", name="A", kind="commune", population=7000),
            year=2016,
            services={"hebergement-sites-associatifs": Status.DEPLOYED},
        )
        board = dashboard(home, RULES, [other])
        steps = {step.service for step in board.plan.steps}
        assert "espace-associations" in steps
        assert [p.territory.code for p in board.peers["espace-associations"]] == ["35001"]

    def test_bad_ruleset(self) -> None:
        with pytest.raises(InvalidInput, match="ruleset"):
            vl.peers("wifi-public", [], ruleset="2016")  # type: ignore[arg-type]
