"""The atlas of a cohort by area, and peers nearest first."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import villes_label as vl
from villes_label import (
    Action,
    Actor,
    ActorRole,
    AreaSummary,
    Assessment,
    Atlas,
    Dossier,
    InvalidInput,
    Place,
    Status,
    Territory,
    TerritoryKind,
    assess,
    atlas,
    grade_distribution,
    peers,
    referential,
)

if TYPE_CHECKING:
    from random import Random

RULES = vl.default_ruleset()
C = TerritoryKind.COMMUNE
D, A = Status.DEPLOYED, Status.ABSENT


def town(code: str, population: int = 1000) -> Territory:
    return Territory(code=code, name=f"Commune {code}", kind=C, population=population)


def epci(siren: str, departement: str | None, population: int = 20_000) -> Territory:
    return Territory(
        code=siren,
        name=f"Communauté {siren}",
        kind=TerritoryKind.COMMUNAUTE_DE_COMMUNES,
        population=population,
        departement=departement,
    )


def result(
    territory: Territory,
    score: Fraction,
    grade: int,
    *,
    deployed: frozenset[str] = frozenset(),
    issues: dict[str, Fraction] | None = None,
    mentions: tuple[str, ...] = (),
) -> Assessment:
    return Assessment(
        territory=territory,
        year=2016,
        ruleset="hand",
        score=score,
        projected_score=score,
        grade=grade,
        themes={"t": score},
        issues=issues or {"i": score},
        statuses={sid: D if sid in deployed else A for sid in ("s1", "s2")},
        mentions=mentions,
    )


# Hauts-de-Seine (92) and Paris (75) are in Île-de-France (11); Ille-et-Vilaine (35) in Bretagne (53).
HAND = [
    result(town("92049", 50_000), Fraction(1, 2), 3, deployed=frozenset({"s1"}), mentions=("m",)),
    result(town("92012", 10_000), Fraction(1, 4), 1, issues={"i": Fraction(0)}),
    result(town("75056", 2_000_000), Fraction(3, 4), 5, deployed=frozenset({"s1", "s2"})),
    result(epci("243500139", "35", 400_000), Fraction(1, 8), 1, mentions=("m",)),
]


class TestHandComputed:
    """Figures computed by hand for four territories in three départements and two régions."""

    def test_by_departement(self) -> None:
        by = atlas(HAND, "departement")
        assert list(by) == ["35", "75", "92"]
        hds = by["92"]
        assert (hds.name, hds.territories, hds.population) == ("Hauts-de-Seine", 2, 60_000)
        assert dict(hds.grades) == {0: 0, 1: 1, 2: 0, 3: 1, 4: 0, 5: 0}
        assert hds.mean_score == Fraction(3, 8)
        assert hds.median_score == Fraction(3, 8)
        assert hds.mean_percent == 37.5
        assert dict(hds.mentions) == {"m": 1}
        assert dict(hds.services) == {"s1": Fraction(1, 2), "s2": Fraction(0)}
        assert dict(hds.issues) == {"i": Fraction(1, 2)}
        assert hds.initiatives is None
        assert by["35"].name == "Ille-et-Vilaine"

    def test_by_region(self) -> None:
        by = atlas(HAND, "region")
        assert list(by) == ["11", "53"]
        idf = by["11"]
        assert (idf.name, idf.territories, idf.population) == ("Île-de-France", 3, 2_060_000)
        assert dict(idf.grades) == {0: 0, 1: 1, 2: 0, 3: 1, 4: 0, 5: 1}
        assert idf.mean_score == Fraction(1, 2)
        assert idf.median_score == Fraction(1, 2)
        assert dict(idf.services) == {"s1": Fraction(2, 3), "s2": Fraction(1, 3)}
        assert dict(by["53"].grades) == {0: 0, 1: 1, 2: 0, 3: 0, 4: 0, 5: 0}

    def test_national(self) -> None:
        (france,) = atlas(HAND, "national").values()
        assert (france.code, france.name, france.territories) == ("FR", "France", 4)
        assert france.mean_score == Fraction(1, 2 + 2 + 4 + 8) * 0 + Fraction(13, 32)
        assert france.median_score == Fraction(3, 8)  # (1/4 + 1/2) / 2
        assert dict(france.grades) == grade_distribution(HAND)
        assert dict(france.mentions) == {"m": 2}

    def test_rows_join_by_code(self) -> None:
        rows = atlas(HAND, "region").rows()
        assert [row["code"] for row in rows] == ["11", "53"]
        assert rows[0]["grade_5"] == 1
        assert rows[0]["mean_score"] == "1/2"
        json.dumps(rows)

    def test_round_trip(self) -> None:
        by = atlas(HAND, "departement")
        data = vl.to_dict(by)
        json.dumps(data)
        assert data["areas"]["92"]["grades"]["3"] == 1
        assert vl.from_dict(data, Atlas) == by

    def test_html(self) -> None:
        page = atlas(HAND, "region")._repr_html_()
        assert "Île-de-France" in page
        assert "<table>" in page


class TestHtmlCount:
    """A notebook's atlas counts its areas in English: one area, several areas."""

    def test_one_area(self) -> None:
        assert "Atlas by national: 1 area</p>" in atlas(HAND, "national")._repr_html_()

    def test_several_areas(self) -> None:
        assert "Atlas by region: 2 areas</p>" in atlas(HAND, "region")._repr_html_()


class TestInitiativesCounted:
    """With the dossiers, the initiatives that count and their distinct actors."""

    def test_counts(self) -> None:
        mairie = Actor(name="Mairie", role=ActorRole.COLLECTIVITE)
        asso = Actor(name="Cyber-Base", role=ActorRole.ASSOCIATION)
        same = Actor(name="  cyber-base ", role=ActorRole.ASSOCIATION)
        old = dt.date(2010, 1, 1)
        first = Dossier(
            territory=town("92049"),
            year=2016,
            actions=(
                Action(id="a", title="A", services={"site-internet"}, status=D, actors=(mairie,)),
                Action(id="b", title="B", services={"wifi-public"}, status=D, actors=(asso,)),
                Action(id="c", title="C", services={"fablab"}, status=D, date=old, actors=(asso,)),
            ),
        )
        second = Dossier(
            territory=town("92012"),
            year=2016,
            actions=(
                Action(id="a", title="A", services={"wifi-public"}, status=D, actors=(same,)),
            ),
        )
        results = [assess(d, RULES) for d in (first, second)]
        area = atlas(results, "departement", dossiers=[second, first])["92"]
        assert area.initiatives == 3  # "c" is too old to count
        assert area.actors == 2  # the same association, written twice

    def test_every_mismatch(self) -> None:
        one = Dossier(territory=town("92049"), year=2016)
        two = Dossier(territory=town("92012"), year=2016)
        results = [assess(one, RULES), assess(two, RULES)]
        other = attrs.evolve(one, territory=attrs.evolve(one.territory, population=3))
        with pytest.raises(InvalidInput) as caught:
            atlas(results, dossiers=[other, other, Dossier(territory=town("35238"), year=2016)])
        assert caught.value.problems == (
            "dossiers[1]: a second dossier of 92049 for 2016 (the first is dossiers[0])",
            "assessments[0].territory: differs from that of dossiers[0]",
            "assessments[1]: no dossier of 92012 for 2016",
            "dossiers[2]: no assessment of 35238 for 2016",
        )


class TestProblems:
    """Bad input is reported with every problem and its path, never dropped."""

    def test_an_epci_without_departement(self) -> None:
        results = [HAND[0], result(epci("200000001", None), Fraction(0), 0)]
        with pytest.raises(InvalidInput, match=r"assessments\[1\]\.territory\.departement"):
            atlas(results, "region")
        assert atlas(results, "national")["FR"].territories == 2

    def test_a_commune_of_no_departement(self) -> None:
        """A commune of Saint-Pierre-et-Miquelon is counted nationally, placed in no area."""
        results = [HAND[0], result(town("97502", 600), Fraction(0), 0)]
        with pytest.raises(InvalidInput) as caught:
            atlas(results, "departement")
        assert [problem.path for problem in caught.value.details] == [
            ("assessments", 1, "territory", "code")
        ]
        assert "Saint-Pierre-et-Miquelon" in caught.value.problems[0]
        assert atlas(results, "national")["FR"].territories == 2

    def test_duplicates(self) -> None:
        with pytest.raises(InvalidInput, match=r"assessments\[1\]: a second assessment"):
            atlas([HAND[0], HAND[0]])

    def test_bad_level_and_items(self) -> None:
        with pytest.raises(InvalidInput, match="level"):
            atlas(HAND, "commune")  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match=r"assessments\[1\]: expected an Assessment"):
            atlas([HAND[0], "x"])  # type: ignore[list-item]
        with pytest.raises(InvalidInput, match="expected an iterable"):
            atlas(HAND[0])  # type: ignore[arg-type]

    def test_empty(self) -> None:
        assert len(atlas([], "region")) == 0

    def test_inconsistent_summary_from_data(self) -> None:
        data = vl.to_dict(atlas(HAND, "region")["11"])
        data["territories"] = 4
        data["mean_score"] = "3/2"
        with pytest.raises(InvalidInput) as caught:
            vl.from_dict(data, AreaSummary)
        assert {p.split(":")[0] for p in caught.value.problems} == {"grades", "mean_score"}


@st.composite
def national(draw: st.DrawFn) -> tuple[Dossier, ...]:
    return referential.national_cohort(
        draw(st.integers(min_value=1, max_value=40)),
        seed=draw(st.integers(min_value=0, max_value=10_000)),
        epci_share=draw(st.sampled_from([0.0, 0.2])),
    )


class TestSumsOverAreas:
    """Summing the areas of a level gives the national figures; grades as grade_distribution."""

    @settings(max_examples=15)
    @given(national())
    def test_sums(self, cohort: tuple[Dossier, ...]) -> None:
        results = [assess(d, RULES) for d in cohort]
        (france,) = atlas(results, "national", dossiers=cohort).values()
        assert dict(france.grades) == grade_distribution(results)
        for level in ("departement", "region"):
            areas = list(atlas(results, level, dossiers=cohort).values())
            assert sum(a.territories for a in areas) == france.territories == len(cohort)
            assert sum(a.population for a in areas) == france.population
            for grade in range(6):
                assert sum(a.grades[grade] for a in areas) == france.grades[grade]
            assert sum(a.mean_score * a.territories for a in areas) == (
                france.mean_score * france.territories
            )
            for sid, share in france.services.items():
                assert sum(a.services[sid] * a.territories for a in areas) == (
                    share * france.territories
                )
            for mention, count in france.mentions.items():
                assert sum(a.mentions.get(mention, 0) for a in areas) == count
            assert sum(a.initiatives or 0 for a in areas) == france.initiatives
            assert (france.actors or 0) <= sum(a.actors or 0 for a in areas)

    @settings(max_examples=15)
    @given(national())
    def test_regions_group_departements(self, cohort: tuple[Dossier, ...]) -> None:
        results = [assess(d, RULES) for d in cohort]
        by_departement = atlas(results, "departement")
        by_region = atlas(results, "region")
        for code, area in by_region.items():
            members = [a for d, a in by_departement.items() if vl.region_of(d) == code]
            assert sum(a.territories for a in members) == area.territories
            assert min(a.median_score for a in members) <= area.median_score
            assert area.median_score <= max(a.median_score for a in members)

    def test_order_does_not_matter(self) -> None:
        cohort = referential.national_cohort(30, seed=5)
        results = [assess(d, RULES) for d in cohort]
        assert atlas(results, "region") == atlas(results[::-1], "region")


# --- peers -------------------------------------------------------------------------------


def placed(code: str, latitude: float | None = None, longitude: float | None = None) -> Dossier:
    place = Place(commune=code, latitude=latitude, longitude=longitude)
    action = Action(
        id=f"wifi-{code}", title="Wifi", services={"wifi-public"}, status=D, place=place
    )
    return Dossier(territory=town(code), year=2016, actions=(action,))


class TestPeers:
    """Who else deploys a service: same département, then région, then the rest; nearest first."""

    HOME = placed("35238", 48.11, -1.68)  # Rennes
    COHORT = (
        placed("13055", 43.30, 5.37),  # Marseille: another région
        placed("29019", 48.39, -4.49),  # Brest: Bretagne
        placed("56121", 47.66, -2.76),  # Vannes: Bretagne, nearer Rennes than Brest
        placed("35288", 48.65, -2.01),  # Saint-Malo: Ille-et-Vilaine
        placed("35047"),  # Bruz: Ille-et-Vilaine, no coordinates
        Dossier(territory=town("35001"), year=2016, services={"wifi-public": Status.PARTIAL}),
        Dossier(
            territory=town("35002"),
            year=2016,
            actions=(
                Action(
                    id="old",
                    title="Wifi",
                    services={"wifi-public"},
                    status=D,
                    date=dt.date(2012, 1, 1),
                ),
            ),
        ),
        HOME,
    )

    def test_nearest_first(self) -> None:
        found = peers("wifi-public", self.COHORT, near=self.HOME)
        assert [p.territory.code for p in found] == ["35288", "35047", "56121", "29019", "13055"]
        assert [p.proximity for p in found] == [
            "departement", "departement", "region", "region", "national",
        ]  # fmt: skip
        assert found[0].distance_km is not None
        assert 50 < found[0].distance_km < 80
        assert found[1].distance_km is None
        assert found[0].initiatives[0].id == "wifi-35288"

    def test_only_deployed_and_counted(self) -> None:
        codes = {p.territory.code for p in peers("wifi-public", self.COHORT)}
        assert "35001" not in codes  # partial
        assert "35002" not in codes  # its action is too old
        assert "35238" in codes  # no home: everyone

    def test_near_a_territory_or_a_place(self) -> None:
        by_territory = peers("wifi-public", self.COHORT, near=self.HOME.territory)
        assert [p.territory.code for p in by_territory][:2] == ["35047", "35288"]  # by code
        by_place = peers("wifi-public", self.COHORT, near=Place(commune="29019", latitude=48.39,
                                                               longitude=-4.49))  # fmt: skip
        assert [p.territory.code for p in by_place][:2] == ["29019", "56121"]

    def test_limit(self) -> None:
        assert len(peers("wifi-public", self.COHORT, near=self.HOME, limit=2)) == 2
        assert peers("wifi-public", self.COHORT, limit=0) == ()

    def test_problems(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            peers("", self.COHORT, near="35", limit=-1)  # type: ignore[arg-type]
        assert [p.split(":")[0] for p in caught.value.problems] == ["service_id", "limit", "near"]

    def test_epci_with_a_departement(self) -> None:
        body = Dossier(territory=epci("243500139", "35"), year=2016,
                       services={"wifi-public": D})  # fmt: skip
        found = peers("wifi-public", (*self.COHORT, body), near=self.HOME)
        assert found[1].territory.code == "243500139"  # by code among the undistanced
        assert found[1].proximity == "departement"

    @settings(max_examples=15)
    @given(national(), st.integers(min_value=0, max_value=39))
    def test_tiers_never_go_back(self, cohort: tuple[Dossier, ...], index: int) -> None:
        home = cohort[index % len(cohort)]
        found = peers("site-internet", cohort, near=home)
        tiers = ["departement", "region", "national"]
        ranks = [tiers.index(p.proximity) for p in found]
        assert ranks == sorted(ranks)
        assert all(p.territory.code != home.territory.code for p in found)
        deploying = [d for d in cohort if d.status("site-internet") is D and d is not home]
        assert len(found) == len(deploying)
        assert found == peers("site-internet", cohort[::-1], near=home)


# Places in three départements of two régions, with and without coordinates.
SPOTS = (
    Place(commune="35238", latitude=48.11, longitude=-1.68),  # Rennes
    Place(commune="35238", latitude=47.0, longitude=-1.0),
    Place(commune="29019", latitude=48.39, longitude=-4.49),  # Brest
    Place(commune="13055"),  # Marseille, no coordinates
)
SERVICES = ("site-internet", "wifi-public", "budget-participatif")


@st.composite
def placed_actions(draw: st.DrawFn) -> tuple[Action, ...]:
    count = draw(st.integers(min_value=1, max_value=5))
    return tuple(
        Action(
            id=f"a{n}",
            title=f"Action {n}",
            services=draw(st.frozensets(st.sampled_from(SERVICES), min_size=1)),
            status=D,
            place=draw(st.none() | st.sampled_from(SPOTS)),
        )
        for n in range(count)
    )


class TestOrderOfTheHomeActions:
    """The order of the home dossier's actions changes neither its peers nor its dashboard."""

    def test_two_places(self) -> None:
        first = Action(id="b", title="B", services={"site-internet"}, status=D, place=SPOTS[0])
        second = Action(id="a", title="A", services={"e-services"}, status=D, place=SPOTS[1])
        cohort = [placed("35001", 48.3, -1.7), placed("35002", 47.1, -1.1)]
        found = [
            [
                (p.territory.code, p.distance_km)
                for p in peers(
                    "wifi-public",
                    cohort,
                    near=Dossier(territory=town("35238"), year=2016, actions=actions),
                )
            ]
            for actions in ((first, second), (second, first))
        ]
        assert found[0] == found[1]
        # Neither action delivers wifi: the place is that of the smallest id, "a", near 35002.
        assert [code for code, _ in found[0]] == ["35002", "35001"]

    def test_an_epci_placed_by_its_actions(self) -> None:
        home = epci("243500139", None)
        brest = Action(id="a", title="A", services={"site-internet"}, status=D, place=SPOTS[2])
        marseille = Action(id="b", title="B", services={"site-internet"}, status=D, place=SPOTS[3])
        cohort = [placed("29019", 48.39, -4.49), placed("13055", 43.30, 5.37)]
        for actions in ((brest, marseille), (marseille, brest)):
            near = Dossier(territory=home, year=2016, actions=actions)
            found = peers("wifi-public", cohort, near=near)
            # Placed by its action of smallest id, "a", in Finistère.
            assert [(p.territory.code, p.proximity) for p in found] == [
                ("29019", "departement"), ("13055", "national"),
            ]  # fmt: skip

    @settings(max_examples=15, deadline=None)
    @given(national(), placed_actions(), st.sampled_from([town("35238"), epci("243500139", None)]),
           st.randoms(use_true_random=False))  # fmt: skip
    def test_shuffled(
        self,
        cohort: tuple[Dossier, ...],
        actions: tuple[Action, ...],
        territory: Territory,
        random: Random,
    ) -> None:
        home = Dossier(territory=territory, year=2016, actions=actions)
        shuffled = list(actions)
        random.shuffle(shuffled)
        other = attrs.evolve(home, actions=tuple(shuffled))
        for service in (*SERVICES, "e-services"):
            assert peers(service, cohort, near=other) == peers(service, cohort, near=home)
        board = vl.dashboard(home, RULES, cohort)
        assert attrs.evolve(vl.dashboard(other, RULES, cohort), dossier=home) == board
