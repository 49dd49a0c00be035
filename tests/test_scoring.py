"""The laws of the scoring and the label's concrete rules."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from helpers import same_output_across_seeds, shuffled
from villes_label import (
    Action,
    Applicability,
    Assessment,
    Dossier,
    GradeRule,
    InvalidInput,
    Issue,
    MentionRule,
    Ruleset,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
    assess,
    default_ruleset,
    default_taxonomy,
)
from villes_label.referential import sample_dossier
from villes_label.testing import dossiers, rulesets, statuses, territories

if TYPE_CHECKING:
    import random
    from collections.abc import Mapping

CREDITED = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)
TAX = default_taxonomy()
RULES = default_ruleset()
Pair = tuple[Ruleset, Dossier]


def same_result(a: Assessment, b: Assessment) -> None:
    assert (a.score, a.grade, a.projected_score) == (b.score, b.grade, b.projected_score)
    assert a.themes == b.themes
    assert a.issues == b.issues
    assert a.mentions == b.mentions
    assert a.not_concerned == b.not_concerned
    assert a.reasons == b.reasons


@st.composite
def case(draw: st.DrawFn) -> Pair:
    rules = draw(rulesets())
    return rules, draw(dossiers(rules))


class TestMonotonicity:
    """Raising any service's status never lowers the score, any theme or issue, or the grade."""

    @given(case(), st.data())
    def test_raising_a_status(self, pair: Pair, data: st.DataObject) -> None:
        rules, dossier = pair
        sid = data.draw(st.sampled_from([s.id for s in rules.taxonomy.services]))
        current = dossier.status(sid)
        assume(current is not Status.NOT_APPLICABLE)
        higher = data.draw(st.sampled_from([s for s in CREDITED if s >= current]))
        before = assess(dossier, rules)
        after = assess(dossier.with_status(sid, higher), rules)
        assert after.score >= before.score
        # Not the projected score: PLANNED projects to DEPLOYED, above PARTIAL.
        assert after.grade >= before.grade
        for key, value in before.themes.items():
            assert after.themes[key] >= value
        for key, value in before.issues.items():
            assert after.issues[key] >= value
        assert set(after.mentions) >= set(before.mentions)


class TestBounds:
    """Scores lie in [0, 1], the projected score is at least the score, grades in 0..5."""

    @given(case())
    def test_bounds(self, pair: Pair) -> None:
        rules, dossier = pair
        result = assess(dossier, rules)
        assert 0 <= result.score <= result.projected_score <= 1
        assert 0 <= result.grade <= 5
        assert all(0 <= v <= 1 for v in result.themes.values())
        assert all(0 <= v <= 1 for v in result.issues.values())
        assert result.grade == 0 or rules.grade_rule(result.grade) is not None

    @given(case())
    def test_statuses_cover_every_service_and_every_entry(self, pair: Pair) -> None:
        rules, dossier = pair
        result = assess(dossier, rules)
        assert list(result.statuses) == [s.id for s in rules.taxonomy.services]
        for sid in dossier.declared:
            assert result.statuses[sid] is dossier.status(sid)
        assert result.undeclared.isdisjoint(dossier.declared)
        assert result.undeclared.isdisjoint(result.not_concerned)


class TestOrderIndependence:
    """The order of the entries and of the actions changes nothing."""

    @given(case(), st.randoms(use_true_random=False))
    def test_shuffled_entries(self, pair: Pair, rng: random.Random) -> None:
        rules, dossier = pair
        same_result(assess(dossier, rules), assess(shuffled(dossier, rng), rules))

    def test_across_hash_seeds(self) -> None:
        script = (
            "import villes_label as vl, json\n"
            "from villes_label.referential import synthetic_cohort\n"
            "out = []\n"
            "for d in synthetic_cohort(40, seed=3, epci_share=0.2) + (vl.referential.sample_dossier(),):\n"
            "    a = vl.assess(d, vl.default_ruleset())\n"
            "    out.append([a.grade, str(a.score), [[k, str(v)] for k, v in a.issues.items()],\n"
            "                sorted(a.not_concerned), sorted(a.undeclared), list(a.mentions),\n"
            "                [[r.code, r.subject, r.message] for r in a.reasons], a.explain()])\n"
            "print(json.dumps(out))\n"
        )
        assert json.loads(same_output_across_seeds("-c", script))


class TestExactThresholds:
    """A dossier exactly on a threshold gets the grade; a hair below does not."""

    def test_one_third(self) -> None:
        services = tuple(Service(id=f"s{n}", name=f"S{n}") for n in range(3))
        tax = Taxonomy(
            name="t",
            version="1",
            themes=(Theme(id="T", name="T", issues=(Issue(id="I", name="I", services=services),)),),
        )
        rules = Ruleset(
            name="thirds",
            year=2016,
            taxonomy=tax,
            grades=(
                GradeRule(arobases=1, min_score=Fraction(1, 3)),
                GradeRule(arobases=2, min_score=Fraction(2, 3)),
            ),
        )
        town = Territory(code="35001", name="X", kind=TerritoryKind.COMMUNE, population=100)
        one = Dossier(territory=town, year=2016, services={"s0": Status.DEPLOYED})
        result = assess(one, rules)
        assert result.score == Fraction(1, 3)
        assert result.grade == 1
        # Two partial services make 1/3 too, summed in another order.
        two = Dossier(
            territory=town, year=2016, services={"s2": Status.PARTIAL, "s1": Status.PARTIAL}
        )
        assert assess(two, rules).grade == 1
        failing = assess(two, rules).reasons_of("min-score")[0]
        assert failing.required == Fraction(2, 3)
        assert failing.actual == Fraction(1, 3)
        assert failing.shortfall == Fraction(1, 3)

    @given(case())
    def test_threshold_at_the_score(self, pair: Pair) -> None:
        rules, dossier = pair
        score = assess(dossier, rules).score
        on = rules.replace(grades=(GradeRule(arobases=1, min_score=score),), mentions=())
        assert assess(dossier, on).grade == 1
        if score < 1:
            above = score + Fraction(1, 10**9)
            off = rules.replace(grades=(GradeRule(arobases=1, min_score=above),), mentions=())
            assert assess(dossier, off).grade == 0


class TestNotConcernedNeutrality:
    """The status of a service that does not concern the territory changes nothing."""

    @given(case(), st.data())
    def test_neutral(self, pair: Pair, data: st.DataObject) -> None:
        rules, dossier = pair
        outside = sorted(
            s.id for s in rules.taxonomy.services if not rules.concerns(s.id, dossier.territory)
        )
        assume(outside)
        sid = data.draw(st.sampled_from(outside))
        status = data.draw(statuses(not_applicable=False))
        assume(not any(sid in action.services for action in dossier.actions))
        changed = dossier.with_status(sid, status)
        same_result(assess(dossier, rules), assess(changed, rules))

    @given(st.data())
    def test_allowed_opt_out_leaves_the_denominators(self, data: st.DataObject) -> None:
        rules = data.draw(rulesets())
        optable = sorted(sid for sid, rule in rules.applicability.items() if rule.opt_out)
        assume(optable)
        dossier = data.draw(dossiers(rules, max_actions=0))
        sid = data.draw(st.sampled_from(optable))
        opted = dossier.with_status(sid, Status.NOT_APPLICABLE)
        result = assess(opted, rules)
        assert sid in result.not_concerned
        # Same as a ruleset where the service never concerns anyone.
        kinds = frozenset(TerritoryKind) - {dossier.territory.kind}
        if kinds:
            never = rules.replace(
                applicability={**rules.applicability, sid: Applicability(kinds=kinds)}
            )
            assert assess(opted, never).score == result.score


class TestActionsAndEntries:
    """Actions and direct entries give the same result for the same effective statuses.

    An expired action (dated more than two years before the label year, not ongoing)
    counts for nothing: it only adds its reason.
    """

    @given(case())
    def test_equivalent(self, pair: Pair) -> None:
        rules, dossier = pair
        flat = Dossier(
            territory=dossier.territory,
            year=dossier.year,
            services=dict(dossier.effective_statuses()),
        )
        a, b = assess(dossier, rules), assess(flat, rules)
        expired = a.reasons_of("action-expired")
        assert [r.subject for r in expired] == sorted(x.id for x in dossier.expired_actions)
        same_result(attrs.evolve(a, reasons=tuple(r for r in a.reasons if r not in expired)), b)
        assert a.statuses == b.statuses


class TestInvalidInput:
    """An id unknown to the ruleset's taxonomy is reported with the closest ids."""

    def test_unknown_ids(self) -> None:
        dossier = Dossier(
            territory=sample_dossier().territory,
            year=2016,
            services={"site-internte": Status.DEPLOYED, "wifi-public": Status.DEPLOYED},
            actions=(
                Action(id="a", title="A", services={"budget-participati"}, status=Status.DEPLOYED),
            ),
        )
        with pytest.raises(InvalidInput) as caught:
            assess(dossier, RULES)
        assert caught.value.problems == (
            "services.site-internte: unknown service 'site-internte' (did you mean 'site-internet'?)",
            "actions[0].services.budget-participati: unknown service 'budget-participati' (did you mean 'budget-participatif'?)",
        )

    def test_wrong_types(self) -> None:
        with pytest.raises(InvalidInput, match="expected a Dossier"):
            assess({"territory": 1}, RULES)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="expected a Ruleset"):
            assess(sample_dossier(), None)  # type: ignore[arg-type]


# --- the label's rules, computed by hand -------------------------------------------


def all_of(theme_id: str, status: Status) -> dict[str, Status]:
    return {s.id: status for i in TAX.theme(theme_id).issues for s in i.services}


def everything(status: Status) -> dict[str, Status]:
    return {s.id: status for s in TAX.services}


class TestDefaultRulesExamples:
    """Hand-computed assessments under the label's 2016 rules (size-aware: a village covers an
    issue with one deployed service and a theme with two covered issues; a town of 20,000 to
    100,000 or an intercommunality of that size an issue with three; a large city with four)."""

    def village(self, services: Mapping[str, Status]) -> Dossier:
        territory = Territory(
            code="48001", name="Albaret-le-Comtal", kind=TerritoryKind.COMMUNE, population=300
        )
        return Dossier(territory=territory, year=2016, services=services)

    def test_village_with_only_a_website(self) -> None:
        result = assess(self.village({"site-internet": Status.DEPLOYED}), RULES)
        # One service covers services publics for a village; its theme asks two covered
        # issues of a village, so it is half covered: 1/2 of one theme of four.
        assert result.issues["services-publics"] == 1
        assert result.themes["democratie-services-publics"] == Fraction(1, 2)
        assert result.score == Fraction(1, 8)
        assert result.grade == 1
        assert result.reasons_of("min-score")[0].required == Fraction(31, 72)

    def test_village_is_not_penalised_for_city_services(self) -> None:
        result = assess(self.village(everything(Status.DEPLOYED)), RULES)
        assert result.not_concerned == {
            "open-data",
            "application-mobile-ville",
            "conseils-de-quartier-numeriques",
            "transports-temps-reel",
            "stationnement-intelligent",
            "web-tv-locale",
            "cooperation-internationale",
            "hackathon",
            "pepiniere-entreprises-numeriques",
            "living-lab",
            "maquette-numerique-3d",
            "laboratoire-innovation-publique",
        }
        # Everything that concerns it is deployed: a village's 5 @ is worth a city's.
        assert result.score == 1
        assert result.grade == 5
        assert set(result.mentions) == {m.id for m in RULES.mentions}

    def test_city(self) -> None:
        services = {
            **all_of("democratie-services-publics", Status.DEPLOYED),
            **all_of("vivre-ensemble", Status.PARTIAL),
            **all_of("partage-connaissances", Status.DEPLOYED),
        }
        city = Territory(code="29019", name="Brest", kind=TerritoryKind.COMMUNE, population=140_000)
        result = assess(Dossier(territory=city, year=2016, services=services), RULES)
        # A large city covers an issue with four deployed services; every issue of vivre
        # ensemble has at least eight concerned services, all partial: half of eight covers it.
        assert result.issues["cohesion-sociale"] == 1
        assert result.themes == {
            "democratie-services-publics": 1,
            "vivre-ensemble": 1,
            "partage-connaissances": 1,
            "creation-richesses": 0,
        }
        assert result.score == Fraction(3, 4)
        # 3/4 is above 11/15, but 5 @ leads on every front: one empty theme keeps it at 4 @.
        assert result.grade == 4
        assert result.not_concerned == frozenset()
        assert result.reasons_of("min-score") == ()
        assert [r.subject for r in result.reasons_of("each-theme")] == ["creation-richesses"]
        assert result.projected_score == result.score

    def test_intercommunality(self) -> None:
        epci = Territory(
            code="200067106",
            name="Communauté de communes exemple",
            kind=TerritoryKind.COMMUNAUTE_DE_COMMUNES,
            population=25_000,
        )
        schools = [
            "ent-ecoles",
            "equipement-numerique-ecoles",
            "portail-famille",
            "ateliers-code-periscolaire",
            "maintenance-informatique-ecoles",
        ]
        services = dict.fromkeys(schools, Status.NOT_APPLICABLE)
        services |= {
            "aide-aux-devoirs-en-ligne": Status.DEPLOYED,
            "education-medias-information": Status.DEPLOYED,
        }
        result = assess(Dossier(territory=epci, year=2016, services=services), RULES)
        # Its one concerned education service covers the issue (three are expected of an
        # intercommunality of 20,000 to 100,000, but the issue has only one for it).
        assert result.issues["education"] == 1
        assert result.themes["partage-connaissances"] == Fraction(1, 3)
        # Media education now sits under identité (ATLAAS 2014: "protection des mineurs,
        # éducation critique"), one of the three services expected there: 1/12 from
        # education, 1/3 × 1/5 × 1/4 from identité.
        assert result.issues["identite"] == Fraction(1, 3)
        assert result.score == Fraction(1, 12) + Fraction(1, 60)
        assert {"registre-personnes-vulnerables", *schools} <= result.not_concerned
        # Numérique éducatif is a distinction of 2017: the 2016 rules do not award it.
        assert result.mentions == ()
        assert result.grade == 1

    def test_strong_everywhere_but_participation_stays_under_4(self) -> None:
        services = everything(Status.DEPLOYED)
        for service in TAX.issue("democratie-locale").services:
            services[service.id] = Status.ABSENT
        town = Territory(code="35238", name="Rennes", kind=TerritoryKind.COMMUNE, population=30_000)
        result = assess(Dossier(territory=town, year=2016, services=services), RULES)
        assert result.themes["democratie-services-publics"] == Fraction(4, 5)
        assert result.score == Fraction(19, 20)
        assert result.grade == 3
        gate = result.reasons_of("issue-gate")[0]
        assert (gate.subject, gate.required, gate.actual) == (
            "democratie-locale",
            Fraction(1, 2),
            Fraction(0),
        )

    def test_refused_opt_out_counts_as_absent(self) -> None:
        dossier = self.village({"site-internet": Status.NOT_APPLICABLE})
        result = assess(dossier, RULES)
        assert result.score == 0
        assert [r.subject for r in result.reasons_of("opt-out-refused")] == ["site-internet"]
        assert result.statuses["site-internet"] is Status.NOT_APPLICABLE
        assert "site-internet" not in result.not_concerned

    def test_every_participant_gets_one_arobase(self) -> None:
        assert assess(self.village({}), RULES).grade == 1

    def test_website_is_required_from_two(self) -> None:
        services = everything(Status.DEPLOYED)
        services["site-internet"] = Status.PARTIAL
        result = assess(self.village(services), RULES)
        assert result.grade == 1
        assert [r.code for r in result.reasons_of("required-service")] == ["required-service"]

    def test_planned_counts_in_projection_only(self) -> None:
        result = assess(self.village(everything(Status.PLANNED)), RULES)
        assert result.score == 0
        assert result.projected_score == 1


class TestGatesAndMentions:
    """A gate on a theme or issue without concerned service is waived, and the reasons say so."""

    def test_waived_issue_gate(self) -> None:
        rules = RULES.replace(
            grades=(
                GradeRule(arobases=1, min_score=0, min_issue_scores={"innovation": Fraction(1, 2)}),
            ),
            mentions=(),
            applicability={
                s.id: Applicability(min_population=1_000_000)
                for s in TAX.issue("innovation").services
            },
        )
        result = assess(sample_dossier(), rules)
        assert result.grade == 1
        assert "innovation" not in result.issues
        assert [r.subject for r in result.reasons_of("gate-waived")] == ["innovation"]

    def test_mention_with_every_condition_waived_is_not_awarded(self) -> None:
        rules = RULES.replace(
            mentions=(MentionRule(id="m", name="M", required_services={"fablab"}),)
        )
        dossier = sample_dossier()  # declares the fablab not applicable (allowed)
        assert "fablab" in assess(dossier, rules).not_concerned
        assert assess(dossier, rules).mentions == ()

    def test_mention_min_grade(self) -> None:
        rules = RULES.replace(
            mentions=(
                MentionRule(id="m", name="M", required_services={"site-internet"}, min_grade=4),
            )
        )
        assert assess(sample_dossier(), rules).mentions == ()
        assert assess(
            sample_dossier(),
            rules.replace(
                mentions=(
                    MentionRule(id="m", name="M", required_services={"site-internet"}, min_grade=3),
                )
            ),
        ).mentions == ("m",)


class TestReports:
    """Reasons say why this grade and not the next; explain() reads in French or English."""

    def test_sample_commune(self) -> None:
        result = assess(sample_dossier(), RULES)
        assert result.grade == 3
        codes = [r.code for r in result.reasons]
        # Short of 4 @ by its score and by participation; no input error.
        assert codes == ["grade", "min-score", "issue-gate", "potential", "potential", "potential"]
        french = result.explain()
        assert "@@@ (3 arobases)" in french
        assert "enjeu Démocratie locale [democratie-locale] : 25,0 pour 50,0 requis" in french
        assert "score global : 60,4 pour 62,5 requis, il manque 2,1 points" in french
        english = result.explain("en")
        assert "Grade: @@@ (grade 3)" in english
        assert "issue Démocratie locale [democratie-locale]: 25.0 for 50.0 required" in english
        assert str(result.reasons[0]) == result.reasons[0].message

    def test_explain_refuses_other_languages(self) -> None:
        with pytest.raises(InvalidInput, match="lang"):
            assess(sample_dossier(), RULES).explain("de")  # type: ignore[arg-type]

    def test_html(self) -> None:
        html = assess(sample_dossier(), RULES)._repr_html_()
        assert "Saint-Exemple-sur-Vilaine" in html
        assert "<table>" in html
        assert "@@@" in html

    def test_potential_names_the_richest_issues(self) -> None:
        result = assess(
            TestDefaultRulesExamples().village({"site-internet": Status.DEPLOYED}), RULES
        )
        potential = result.reasons_of("potential")
        assert len(potential) == 3
        gains = [r.actual for r in potential if r.actual is not None]
        assert len(gains) == 3
        assert gains == sorted(gains, reverse=True)

    @given(territories())
    def test_empty_dossier_never_crashes(self, territory: Territory) -> None:
        result = assess(Dossier(territory=territory, year=2016), RULES)
        assert result.grade == 1
        assert result.explain()
        assert result.undeclared == frozenset(s.id for s in TAX.services) - result.not_concerned
