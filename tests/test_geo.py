"""Départements and régions as data: every département, its région, and what is not one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label as vl
from villes_label import InvalidInput, departement_of, departements, region_of, regions

# The 18 régions of 2016 and their INSEE codes, as published (see FACTS in the docs).
REGIONS_2016 = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
# Number of départements per région of 2016 (COG 2016).
DEPARTEMENTS_PER_REGION = {
    "01": 1, "02": 1, "03": 1, "04": 1, "06": 1,
    "11": 8, "24": 6, "27": 8, "28": 5, "32": 5, "44": 10, "52": 5, "53": 4,
    "75": 12, "76": 13, "84": 12, "93": 6, "94": 2,
}  # fmt: skip
METROPOLITAN = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
OVERSEAS = ["971", "972", "973", "974", "976"]
EVERY_DEPARTEMENT = METROPOLITAN + OVERSEAS


class TestDepartements:
    """The 101 départements of the Code officiel géographique, in INSEE order, each named."""

    def test_the_101_codes(self) -> None:
        assert sorted(departements()) == sorted(EVERY_DEPARTEMENT)
        assert len(departements()) == 101

    def test_insee_order(self) -> None:
        codes = list(departements())
        assert codes[:3] == ["01", "02", "03"]
        assert codes[codes.index("19") + 1 : codes.index("19") + 4] == ["21", "22", "23"]
        assert codes[codes.index("29") + 1 : codes.index("29") + 3] == ["2A", "2B"]
        assert codes[-5:] == OVERSEAS

    @pytest.mark.parametrize(
        ("code", "name"),
        [("01", "Ain"), ("2A", "Corse-du-Sud"), ("2B", "Haute-Corse"), ("75", "Paris"),
         ("90", "Territoire de Belfort"), ("974", "La Réunion"), ("976", "Mayotte")],
    )  # fmt: skip
    def test_names(self, code: str, name: str) -> None:
        assert departements()[code] == name

    def test_every_name_is_unique_and_non_empty(self) -> None:
        names = list(departements().values())
        assert all(name.strip() for name in names)
        assert len(set(names)) == len(names)


class TestRegionOf:
    """Each département lies in one of the 18 régions of 2016 (and of the 27 before)."""

    def test_the_18_regions(self) -> None:
        assert dict(regions()) == REGIONS_2016
        assert dict(regions(2017)) == REGIONS_2016

    @pytest.mark.parametrize("code", EVERY_DEPARTEMENT)
    def test_every_departement_has_a_region(self, code: str) -> None:
        assert region_of(code) in REGIONS_2016
        assert region_of(code, year=2015) in regions(2015)

    def test_departements_per_region(self) -> None:
        counted: dict[str, int] = {}
        for code in departements():
            counted[region_of(code)] = counted.get(region_of(code), 0) + 1
        assert counted == DEPARTEMENTS_PER_REGION

    @pytest.mark.parametrize(
        ("code", "region", "before"),
        [("01", "84", "82"), ("03", "84", "83"), ("02", "32", "22"), ("59", "32", "31"),
         ("67", "44", "42"), ("08", "44", "21"), ("57", "44", "41"), ("33", "75", "72"),
         ("87", "75", "74"), ("86", "75", "54"), ("31", "76", "73"), ("34", "76", "91"),
         ("21", "27", "26"), ("25", "27", "43"), ("76", "28", "23"), ("14", "28", "25"),
         ("2A", "94", "94"), ("2B", "94", "94"), ("75", "11", "11"), ("13", "93", "93"),
         ("971", "01", "01"), ("976", "06", "06"), ("45", "24", "24"), ("35", "53", "53"),
         ("44", "52", "52")],
    )  # fmt: skip
    def test_known_cases(self, code: str, region: str, before: str) -> None:
        assert region_of(code) == region
        assert region_of(code, year=2014) == before

    def test_old_regions_nest_in_new_ones(self) -> None:
        """The reform merged whole régions: each old région lies in one new région."""
        new_of_old: dict[str, set[str]] = {}
        for code in departements():
            new_of_old.setdefault(region_of(code, year=2014), set()).add(region_of(code))
        assert len(new_of_old) == 27
        assert all(len(new) == 1 for new in new_of_old.values())

    @pytest.mark.parametrize("bad", ["20", "1", "99", "975", "92049", "", "2a"])
    def test_unknown_departements(self, bad: str) -> None:
        with pytest.raises(InvalidInput, match="département") as caught:
            region_of(bad)
        assert [problem.path for problem in caught.value.details] == [("departement",)]

    def test_a_commune_code_is_pointed_to_departement_of(self) -> None:
        with pytest.raises(InvalidInput, match="departement_of"):
            region_of("92049")

    def test_not_a_string(self) -> None:
        with pytest.raises(InvalidInput, match="int"):
            region_of(92)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="year"):
            region_of("92", year="2016")  # type: ignore[arg-type]


class TestDepartementOf:
    """A commune's INSEE code starts with its département (three digits overseas)."""

    @pytest.mark.parametrize("code", EVERY_DEPARTEMENT)
    def test_every_departement(self, code: str) -> None:
        commune = code + "001"[: 5 - len(code)] if len(code) == 3 else code + "001"
        assert departement_of(commune) == code

    @given(st.sampled_from(EVERY_DEPARTEMENT), st.integers(min_value=0, max_value=999))
    def test_the_prefix(self, departement: str, number: int) -> None:
        width = 5 - len(departement)
        commune = f"{departement}{number % 10**width:0{width}d}"
        assert departement_of(commune) == departement
        assert region_of(departement_of(commune)) in REGIONS_2016

    @pytest.mark.parametrize(
        ("code", "where"),
        [("97502", "Saint-Pierre-et-Miquelon"), ("97701", "Saint-Barthélemy"),
         ("97801", "Saint-Martin"), ("98735", "Pacific"), ("98818", "Pacific")],
    )  # fmt: skip
    def test_collectivites_outside_the_departements(self, code: str, where: str) -> None:
        with pytest.raises(InvalidInput, match=where) as caught:
            departement_of(code)
        assert [problem.path for problem in caught.value.details] == [("insee_code",)]

    @pytest.mark.parametrize("bad", ["20004", "96001", "9204", "920490", "2C004", "abcde"])
    def test_malformed(self, bad: str) -> None:
        with pytest.raises(InvalidInput, match=r"^insee_code: .*INSEE"):
            departement_of(bad)

    def test_a_siren_does_not_tell_its_departement(self) -> None:
        with pytest.raises(InvalidInput, match=r"^insee_code: .*SIREN"):
            departement_of("200054781")

    def test_not_a_string(self) -> None:
        with pytest.raises(InvalidInput, match="int"):
            departement_of(92049)  # type: ignore[arg-type]

    def test_agrees_with_territory_codes(self) -> None:
        """Every commune code of a département gives its territory that département."""
        for departement in EVERY_DEPARTEMENT:
            width = 5 - len(departement)
            code = f"{departement}{1:0{width}d}"
            territory = vl.Territory(
                code=code, name="X", kind=vl.TerritoryKind.COMMUNE, population=1
            )
            assert territory.known_departement == departement


def _commune(code: str, departement: str | None = None) -> vl.Territory:
    return vl.Territory(
        code=code, name="M", kind=vl.TerritoryKind.COMMUNE, population=1, departement=departement
    )


class TestTerritoryDepartement:
    """An EPCI may say its département; a commune's must match its code."""

    def test_epci(self) -> None:
        epci = vl.Territory(
            code="243500139", name="Rennes Métropole", kind=vl.TerritoryKind.METROPOLE, population=440_000,
            departement="35",
        )  # fmt: skip
        assert epci.known_departement == "35"
        assert vl.from_dict(vl.to_dict(epci), vl.Territory) == epci

    def test_epci_without(self) -> None:
        epci = vl.Territory(
            code="243500139", name="R", kind=vl.TerritoryKind.METROPOLE, population=1
        )
        assert epci.departement is None
        assert epci.known_departement is None

    def test_commune_must_match(self) -> None:
        assert _commune("92049", "92").known_departement == "92"
        with pytest.raises(InvalidInput, match="departement: '93' differs"):
            _commune("92049", "93")

    def test_a_commune_of_no_departement(self) -> None:
        """Saint-Pierre-et-Miquelon's communes are in no département: none is known or given."""
        assert _commune("97502").known_departement is None
        with pytest.raises(InvalidInput) as caught:
            _commune("97502", "974")
        assert [problem.path for problem in caught.value.details] == [("departement",)]
        assert "Saint-Pierre-et-Miquelon" in caught.value.problems[0]

    def test_unknown(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            vl.Territory(code="243500139", name="", kind=vl.TerritoryKind.METROPOLE, population=1,
                         departement="353")  # fmt: skip
        assert [p.split(":")[0] for p in caught.value.problems] == ["name", "departement"]

    def test_read_with_every_problem(self) -> None:
        data = {"code": "243500139", "name": "R", "kind": "metropole", "population": -1,
                "departement": 35}  # fmt: skip
        with pytest.raises(InvalidInput) as caught:
            vl.from_dict(data, vl.Territory)
        assert {p.split(":")[0] for p in caught.value.problems} == {"departement", "population"}
