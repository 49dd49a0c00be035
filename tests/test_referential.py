"""The built-in referentials and rules by year: what is published, what reads, what follows."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import villes_label as vl
from villes_label import (
    Action,
    Dossier,
    InvalidInput,
    Scorer,
    Status,
    Territory,
    TerritoryKind,
    referential,
)
from villes_label.cli import main
from villes_label.referential._rules_data import MENTIONS
from villes_label.testing import dossiers

DATA = Path(__file__).parent / "data"
TOWN = Territory(code="35238", name="Exempleville", kind=TerritoryKind.COMMUNE, population=30_000)
BUILT_IN = tuple(referential.taxonomy(year) for year in referential.years())


def first_2016_ids() -> list[str]:
    """The 131 ids of the first 2016 referential, frozen before its revision."""
    lines = (DATA / "referential_2016_v1_ids.txt").read_text("utf-8").splitlines()
    return [line.split()[0] for line in lines if line and not line.startswith("#")]


# The services that took over the ids the revision retired (duplicates merged,
# vague services folded into precise ones, a term of later years replaced).
SUCCESSORS = {
    "espace-coworking": "teletravail-tiers-lieu",
    "postes-acces-libre": "espace-public-numerique",
    "annuaire-lieux-mediation": "espace-public-numerique",
    "inscriptions-scolaires-en-ligne": "portail-famille",
    "menus-restauration-scolaire": "portail-famille",
    "jumelage-numerique": "cooperation-internationale",
    "reseaux-sociaux-ville": "reseau-social-local",
    "objets-trouves-en-ligne": "demarches-en-ligne",
    "partage-experiences-collectivites": "mutualisation-intercommunale",
    "sobriete-numerique": "economies-energie-informatique",
    "ressources-numeriques-mediatheque": "mediatheque-en-ligne",
    "forum-emploi-en-ligne": "offres-emploi-locales",
    "hebergement-sites-associatifs": "espace-associations",
}


class TestYears:
    """The registry lists its years; an unknown year is refused, naming the known ones."""

    def test_years(self) -> None:
        assert referential.years() == (2014, 2016, 2017)

    def test_each_year_is_its_own(self) -> None:
        for year in referential.years():
            rules = referential.ruleset(year)
            assert rules.year == year
            assert rules.taxonomy is referential.taxonomy(year)
            assert rules.taxonomy.version == str(year)

    def test_the_defaults_are_2016(self) -> None:
        assert vl.default_taxonomy() is referential.taxonomy(2016)
        assert vl.default_ruleset() is referential.ruleset(2016)

    @pytest.mark.parametrize("year", [2015, 2018, "2016", 2016.0, True, None])
    def test_unknown_years(self, year: object) -> None:
        for get in (referential.taxonomy, referential.ruleset):
            with pytest.raises(InvalidInput, match=r"known years: 2014, 2016, 2017"):
                get(year)  # type: ignore[arg-type]

    def test_renames_only_forward(self) -> None:
        with pytest.raises(InvalidInput, match="not after"):
            referential.renames(2017, 2016)
        with pytest.raises(InvalidInput, match="old: no built-in"):
            referential.renames(2013, 2016)


def published_atlaas() -> list[tuple[int, str]]:
    """(level, name) of every node of the ATLAAS page, in order: 1 axis, 2 enjeu, 3 usage."""
    nodes = []
    heading = re.compile(r"(#{4,6})\s*(?:\d+|[a-z])\.\s+(.*)")
    for line in (DATA / "atlaas_2014_faq.md").read_text("utf-8").splitlines():
        match = heading.fullmatch(line.strip())
        if match:
            nodes.append((len(match.group(1)) - 3, match.group(2).strip()))
    return nodes


# The page splits three words with a line-break hyphen; the library joins them.
LINE_BREAK_HYPHENS = {
    "gouver-nance": "gouvernance",
    "valorisa-tion": "valorisation",
    "profes-sionnelle": "professionnelle",
}


class TestAtlaas2014:
    """The 2014 referential is the ATLAAS one, name by name, with nothing invented below."""

    def test_counts(self) -> None:
        tax = referential.taxonomy(2014)
        assert (len(tax.themes), len(tax.issues), len(tax.services)) == (4, 12, 28)

    def test_names_are_the_published_ones(self) -> None:
        tax = referential.taxonomy(2014)
        ours = []
        for theme in tax.themes:
            ours.append((1, theme.name))
            for issue in theme.issues:
                ours.append((2, issue.name))
                ours.extend((3, service.name) for service in issue.services)
        published = []
        for level, name in published_atlaas():
            for split, joined in LINE_BREAK_HYPHENS.items():
                name = name.replace(split, joined)  # noqa: PLW2901
            published.append((level, name))
        assert len(published) == 4 + 12 + 28
        assert ours == published

    def test_every_node_is_published_by_atlaas(self) -> None:
        tax = referential.taxonomy(2014)
        ids = [node.id for node in tax.themes] + [node.id for node in tax.issues]
        sources = {tax.source_of(node_id) for node_id in [*ids, *tax.service_ids]}
        assert sources == {tax.sources[0]}
        (source,) = sources
        assert source is not None
        assert source.published
        assert "makinacorpus/atlaas" in source.address
        assert all(not service.description for service in tax.services)

    def test_carried_to_2016_with_nothing_lost(self) -> None:
        renames = referential.renames(2014, 2016)
        tax = referential.taxonomy(2014)
        assert set(renames) == tax.service_ids  # no 2014 id is kept as is
        assert set(renames.values()) <= referential.taxonomy(2016).service_ids
        everything = Dossier(
            territory=TOWN,
            year=2014,
            actions=(
                Action(id="all", title="Tout", services=tax.service_ids, status=Status.PARTIAL),
            ),
        )
        carried = referential.upgrade(everything, 2016)
        assert carried.complete
        assert carried.dossier.year == 2016
        assert carried.dossier.actions[0].services == frozenset(renames.values())

    @given(dossiers(referential.ruleset(2014)))
    def test_any_2014_dossier_is_carried_to_2017(self, dossier: Dossier) -> None:
        carried = referential.upgrade(dossier, 2017, from_year=2014)
        assert carried.complete
        assert carried.dossier.declared <= referential.taxonomy(2017).service_ids
        assert len(carried.dossier.actions) == len(dossier.actions)


class TestRevised2016:
    """2016 keeps 131 services in 16 enjeux and 4 themes, and every id of its first list reads."""

    def test_counts(self) -> None:
        tax = vl.default_taxonomy()
        assert (len(tax.themes), len(tax.issues), len(tax.services)) == (4, 16, 131)

    def test_the_frozen_list(self) -> None:
        old = first_2016_ids()
        assert len(old) == len(set(old)) == 131
        kept = vl.default_taxonomy().service_ids
        assert {sid for sid in old if sid not in kept} == set(SUCCESSORS)
        assert dict(vl.default_taxonomy().aliases) == SUCCESSORS

    @pytest.mark.parametrize("old_id", first_2016_ids())
    def test_every_first_id_reads(self, old_id: str) -> None:
        rules = vl.default_ruleset()
        new_id = SUCCESSORS.get(old_id, old_id)
        assert rules.taxonomy.resolve(old_id) == new_id
        direct = Dossier(territory=TOWN, year=2016, services={old_id: Status.PARTIAL})
        action = Action(id="a", title="Action", services={old_id}, status=Status.DEPLOYED)
        delivered = Dossier(territory=TOWN, year=2016, actions=(action,))
        for dossier, status in ((direct, Status.PARTIAL), (delivered, Status.DEPLOYED)):
            result = vl.assess(dossier, rules)
            assert result.statuses[new_id] is status
            assert old_id not in result.statuses or old_id == new_id
            assert [r.subject for r in result.reasons_of("retired-id")] == (
                [old_id] if old_id != new_id else []
            )
            assert Scorer(rules).grades([dossier]) == [result.grade]
            assert Scorer(rules).scores([dossier]) == [result.score]
            assert vl.recommend(dossier, rules).reachable

    def test_merged_ids_keep_the_best_status(self) -> None:
        dossier = Dossier(
            territory=TOWN,
            year=2016,
            services={
                "inscriptions-scolaires-en-ligne": Status.DEPLOYED,
                "menus-restauration-scolaire": Status.PLANNED,
                "portail-famille": Status.PARTIAL,
            },
        )
        result = vl.assess(dossier, vl.default_ruleset())
        assert result.statuses["portail-famille"] is Status.DEPLOYED

    def test_an_unknown_id_beside_a_former_one_is_still_refused(self) -> None:
        dossier = Dossier(
            territory=TOWN,
            year=2016,
            services={"espace-coworking": Status.DEPLOYED, "espace-cowork": Status.DEPLOYED},
        )
        with pytest.raises(InvalidInput, match=r"services\.espace-cowork: unknown service"):
            vl.assess(dossier, vl.default_ruleset())

    def test_grouping_follows_the_2014_source(self) -> None:
        tax = vl.default_taxonomy()
        assert tax.theme_of("vie-associative").id == "democratie-services-publics"
        assert tax.theme_of("education").id == "partage-connaissances"
        assert tax.issue_of("tres-haut-debit").id == "attractivite"
        for sid in ("formation-numerique-agents", "formation-numerique-elus"):
            assert tax.issue_of(sid).id == "services-publics"
        assert tax.theme_of("cooperation").id == "democratie-services-publics"
        for sid in ("education-medias-information", "prevention-cyberharcelement"):
            assert tax.issue_of(sid).id == "identite"
        for sid in (
            "teletransmission-actes",
            "facturation-electronique",
            "administration-sans-papier",
        ):
            assert tax.issue_of(sid).id == "services-publics"

    def test_published_and_reconstructed(self) -> None:
        tax = vl.default_taxonomy()

        def published(node_id: str) -> bool:
            source = tax.source_of(node_id)
            assert source is not None
            return source.published

        assert all(published(theme.id) for theme in tax.themes)
        assert [issue.id for issue in tax.issues if not published(issue.id)] == ["environnement"]
        assert not any(published(service.id) for service in tax.services)

    def test_a_2016_rule_applies_to_no_later_fact(self) -> None:
        rules = referential.ruleset(2016)
        # The open-data duty dates from 7 October 2016, after the 2016 label.
        assert all(source.date < "2016-10" for source in rules.sources if source.date[:4] == "2016")
        assert rules.applicability_of("open-data").min_population != 3_500
        named = {sid for rule in rules.grades for sid in rule.required_services}
        named |= {sid for rule in rules.mentions for sid in rule.required_services}
        assert "sobriete-numerique" not in named


def every_name(tax: vl.Taxonomy) -> list[str]:
    names = [theme.name for theme in tax.themes] + [issue.name for issue in tax.issues]
    return names + [service.name for service in tax.services]


class TestTypography:
    """French names with the typographic apostrophe and the label's own spellings."""

    @pytest.mark.parametrize("tax", BUILT_IN, ids=lambda t: t.version)
    def test_no_typewriter_apostrophe(self, tax: vl.Taxonomy) -> None:
        texts = every_name(tax) + [service.description for service in tax.services]
        assert [text for text in texts if "'" in text] == []

    def test_spellings(self) -> None:
        tax = vl.default_taxonomy()
        assert tax.service("teleservices-etat-civil").name == "Téléservices d’état civil"
        assert tax.service("alerte-population").name == "Alerte de la population par SMS"


class Test2017:
    """2017: 139 services, at most about a fifth changed, and a dossier follows whole."""

    def test_counts(self) -> None:
        tax = referential.taxonomy(2017)
        assert (len(tax.themes), len(tax.issues), len(tax.services)) == (4, 16, 139)

    def test_change_ratio(self) -> None:
        diff = referential.taxonomy(2016).diff(referential.taxonomy(2017))
        assert diff.change_ratio <= Fraction(1, 5)
        assert diff.change_ratio == Fraction(14, 131)

    def test_every_2016_id_is_carried(self) -> None:
        renames = referential.renames(2016, 2017)
        new = referential.taxonomy(2017).service_ids
        for sid in [*referential.taxonomy(2016).service_ids, *first_2016_ids()]:
            assert renames.get(sid, sid) in new

    @given(dossiers(referential.ruleset(2016)))
    def test_any_2016_dossier_is_carried_whole(self, dossier: Dossier) -> None:
        """Every entry and action follows; the statuses are those of the same dossier in 2017.

        The carried dossier is one of 2017: an action dated before 1 January 2015 that is
        not ongoing stops counting there, as it would in any dossier of 2017.
        """
        carried = referential.upgrade(dossier, 2017, from_year=2016)
        assert carried.complete
        assert [a.id for a in carried.dossier.actions] == [a.id for a in dossier.actions]
        in_2017 = attrs.evolve(dossier, year=2017)
        assert [a.id for a in carried.dossier.expired_actions] == [
            a.id for a in in_2017.expired_actions
        ]
        renames = referential.renames(2016, 2017)
        for sid in in_2017.declared:
            new = renames.get(sid, sid)
            before, after = in_2017.status(sid), carried.dossier.status(new)
            assert after is before or after.rank >= before.rank or before is Status.NOT_APPLICABLE
        assert vl.assess(carried.dossier, referential.ruleset(2017)).year == 2017


class TestMentionsByYear:
    """A ruleset awards only the mentions that a source attests by its year."""

    @pytest.mark.parametrize("year", referential.years())
    def test_no_mention_from_a_later_year(self, year: int) -> None:
        first = {entry.rule.id: entry.first_year for entry in MENTIONS}
        for mention in referential.ruleset(year).mentions:
            since = first[mention.id]
            assert since is not None
            assert since <= year

    def test_no_2021_mention_before_2021(self) -> None:
        for year in referential.years():
            ids = {m.id for m in referential.ruleset(year).mentions}
            assert not ids & {"arobase-verte", "territoire-excellence-numerique"}

    def test_the_2017_distinctions(self) -> None:
        ids = {m.id for m in referential.ruleset(2017).mentions}
        assert ids >= {
            "numerique-educatif",
            "reseau-social",
            "gouvernement-ouvert",
            "cooperation-internationale",
            "solidarite-numerique",
            "teletravail",
            "accessibilite",
        }

    @pytest.mark.parametrize("year", referential.years())
    def test_every_rule_names_its_source(self, year: int) -> None:
        rules = referential.ruleset(year)
        known = {source.id for source in rules.sources}
        assert all(rule.source in known for rule in rules.grades)
        assert all(rule.source in known for rule in rules.mentions)
        assert [
            rule.arobases for rule in rules.grades if rule.source == "villes-internet-reglement"
        ] == [1]


class TestYearMismatch:
    """A dossier of one year assessed with the rules of another says so."""

    def test_same_year(self) -> None:
        result = vl.assess(referential.sample_dossier(), referential.ruleset(2016))
        assert result.reasons_of("year-mismatch") == ()

    def test_other_year(self) -> None:
        dossier = attrs.evolve(referential.sample_dossier(), year=2017)
        result = vl.assess(dossier, referential.ruleset(2016))
        (reason,) = result.reasons_of("year-mismatch")
        assert "2017" in reason.message
        assert "2016" in reason.message
        assert "année" in result.explain()
        assert Scorer(referential.ruleset(2016)).assess(dossier) == result


class TestSerialization:
    """Built-in referentials and rules, with their sources and former ids, round-trip."""

    @pytest.mark.parametrize("year", referential.years())
    def test_round_trip(self, year: int) -> None:
        for value, cls in (
            (referential.taxonomy(year), vl.Taxonomy),
            (referential.ruleset(year), vl.Ruleset),
        ):
            data = json.loads(json.dumps(vl.to_dict(value)))
            assert vl.from_dict(data, cls) == value

    def test_the_shape_of_a_source(self) -> None:
        data = vl.to_dict(referential.taxonomy(2014))
        assert data["sources"][0]["published"] is True
        assert data["themes"][0]["source"] == "atlaas-2014"
        assert data["aliases"] == {}


class TestCommandLine:
    """Without --rules the command line takes the rules of the dossier's year, and warns."""

    def write(self, tmp_path: Path, year: int) -> str:
        dossier = attrs.evolve(referential.sample_dossier(), year=year)
        path = tmp_path / f"d{year}.json"
        path.write_text(json.dumps(vl.to_dict(dossier)), "utf-8")
        return str(path)

    def test_the_rules_of_the_year(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["score", self.write(tmp_path, 2017), "--json"]) == 0
        out, err = capsys.readouterr()
        assert json.loads(out)["ruleset"] == referential.ruleset(2017).name
        assert err == ""

    def test_an_unknown_year(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["score", self.write(tmp_path, 2019), "--json", "--lang", "en"]) == 0
        out, err = capsys.readouterr()
        assert "warning: no built-in rules for 2019" in err
        assert "the dossier is of 2019 but the rules are those of 2016" in err
        codes = [reason["code"] for reason in json.loads(out)["reasons"]]
        assert "year-mismatch" in codes
        assert main(["score", self.write(tmp_path, 2019), "--json"]) == 0
        _, err = capsys.readouterr()
        assert err.splitlines()[0].startswith(
            "avertissement : pas de règles intégrées pour 2019 (années intégrées : "
        )
        assert "le dossier est de 2019 mais les règles sont celles de 2016" in err

    def test_rules_of_another_year(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rules = tmp_path / "rules.json"
        rules.write_text(json.dumps(vl.to_dict(referential.ruleset(2016))), "utf-8")
        path = self.write(tmp_path, 2017)
        assert main(["score", path, "--rules", str(rules), "--lang", "en"]) == 0
        _, err = capsys.readouterr()
        assert err == f"warning: {path}: the dossier is of 2017 but the rules are those of 2016\n"
        assert main(["score", path, "--rules", str(rules)]) == 0
        _, err = capsys.readouterr()
        assert err == (
            f"avertissement : {path}: le dossier est de 2017 mais les règles sont celles de 2016\n"
        )
