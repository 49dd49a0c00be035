from __future__ import annotations

import pickle
import re
from fractions import Fraction

import attrs
import pytest
from hypothesis import given

from villes_label import InvalidInput, Issue, Problem, Service, Taxonomy, Theme, default_taxonomy
from villes_label.testing import taxonomies

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def small() -> Taxonomy:
    a, b, c = (Service(id=x, name=x.upper()) for x in ("a", "b", "c"))
    return Taxonomy(
        name="t",
        version="1",
        themes=(
            Theme(id="T1", name="T1", issues=(Issue(id="I1", name="I1", services=(a, b)),)),
            Theme(id="T2", name="T2", issues=(Issue(id="I2", name="I2", services=(c,)),)),
        ),
    )


class TestDefaultTaxonomy:
    """The label's referential has 4 themes, 16 issues and 131 services with stable ids."""

    def test_counts(self) -> None:
        tax = default_taxonomy()
        assert (len(tax.themes), len(tax.issues), len(tax.services)) == (4, 16, 131)

    def test_issues_grouped_as_the_2014_source_groups_them(self) -> None:
        """Vie associative sits with local democracy, innovation with the economy (ATLAAS 2014)."""
        assert [len(theme.issues) for theme in default_taxonomy().themes] == [5, 3, 3, 5]

    def test_ids_are_unique_ascii_slugs(self) -> None:
        tax = default_taxonomy()
        ids = [t.id for t in tax.themes] + [i.id for i in tax.issues] + [s.id for s in tax.services]
        assert len(ids) == len(set(ids)) == 4 + 16 + 131
        assert all(SLUG.fullmatch(node_id) for node_id in ids)

    def test_every_service_has_a_french_name_and_description(self) -> None:
        for service in default_taxonomy().services:
            assert service.name.strip()
            assert service.description.strip()

    def test_published_themes_and_issues(self) -> None:
        tax = default_taxonomy()
        names = {theme.name for theme in tax.themes}
        assert names == {
            "Démocratie et services publics",
            "Vivre ensemble",
            "Partage des connaissances",
            "Création de richesses",
        }
        for issue_id in ("democratie-locale", "mediation", "innovation", "emploi", "education"):
            assert tax.issue(issue_id).id == issue_id

    def test_is_cached_and_immutable(self) -> None:
        assert default_taxonomy() is default_taxonomy()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            default_taxonomy().name = "x"  # type: ignore[misc]


class TestStr:
    """A taxonomy's line counts its themes, issues and services, singular for one."""

    def test_one_of_each(self) -> None:
        one = Taxonomy(
            name="t",
            version="1",
            themes=(
                Theme(
                    id="T",
                    name="T",
                    issues=(Issue(id="I", name="I", services=(Service(id="s", name="S"),)),),
                ),
            ),
        )
        assert str(one) == "t 1: 1 theme, 1 issue, 1 service"

    def test_several(self) -> None:
        assert str(small()) == "t 1: 2 themes, 2 issues, 3 services"


class TestLookups:
    """Look-ups by id find every node; an unknown id names the closest ids."""

    def test_lookup_parents(self) -> None:
        tax = small()
        assert tax.issue_of("c").id == "I2"
        assert tax.theme_of("c").id == "T2"
        assert tax.theme_of("I1").id == "T1"
        assert tax.service("b").name == "B"

    @pytest.mark.parametrize(
        ("method", "argument"),
        [
            ("theme", "theme_id"),
            ("issue", "issue_id"),
            ("service", "service_id"),
            ("resolve", "service_id"),
            ("theme_of", "issue_or_service_id"),
            ("issue_of", "service_id"),
            ("source_of", "node_id"),
        ],
    )
    def test_unknown_id_is_invalid_input(self, method: str, argument: str) -> None:
        """An unknown id is a problem of the argument that names it, as a wrong type is."""
        taxonomy = default_taxonomy()
        for value in ("nope-nope", 3):
            with pytest.raises(InvalidInput) as caught:
                getattr(taxonomy, method)(value)
            assert [problem.path for problem in caught.value.details] == [(argument,)]
        with pytest.raises(InvalidInput, match=f"^{argument}: unknown .*'nope-nope'"):
            getattr(taxonomy, method)("nope-nope")

    def test_suggestions(self) -> None:
        with pytest.raises(InvalidInput, match="did you mean 'site-internet'"):
            default_taxonomy().service("site-internte")

    def test_issue_of_an_issue_is_refused(self) -> None:
        with pytest.raises(InvalidInput):
            small().issue_of("I1")

    def test_contains(self) -> None:
        tax = small()
        assert "a" in tax
        assert "I2" in tax
        assert "T1" in tax
        assert "zzz" not in tax
        assert 3 not in tax

    @given(taxonomies())
    def test_order_of_services_follows_the_tree(self, tax: Taxonomy) -> None:
        flat = [s.id for t in tax.themes for i in t.issues for s in i.services]
        assert [s.id for s in tax.services] == flat
        for service in tax.services:
            assert service in tax.issue_of(service.id).services


class TestConstruction:
    """Construction refuses duplicate or empty ids, empty themes and issues, naming every one."""

    def test_every_problem_is_reported(self) -> None:
        # A theme with no issue and an issue with no service cannot be built alone:
        # they are given as plain data, which the constructor reads like from_dict.
        dup = Service(id="a", name="A")
        with pytest.raises(InvalidInput) as caught:
            Taxonomy(
                name="t",
                version="1",
                themes=(  # type: ignore[arg-type]
                    Theme(id="T", name="T", issues=(Issue(id="I", name="I", services=(dup, dup)),)),
                    {"id": "T", "name": "T again", "issues": []},
                    {
                        "id": "E",
                        "name": "E",
                        "issues": [{"id": "", "name": "empty", "services": []}],
                    },
                ),
            )
        problems = caught.value.problems
        assert any("services[1].id: duplicate id 'a'" in p for p in problems)
        assert any(p.startswith("themes[1].id: duplicate id 'T'") for p in problems)
        assert any("themes[1].issues: theme 'T' has no issue" in p for p in problems)
        assert any("themes[2].issues[0].id: empty id" in p for p in problems)
        assert any("has no service" in p for p in problems)
        assert len(problems) == 5
        assert all(isinstance(problem, Problem) for problem in caught.value.details)

    def test_no_theme(self) -> None:
        with pytest.raises(InvalidInput, match="at least one theme"):
            Taxonomy(name="t", version="1", themes=())

    def test_wrong_node_types(self) -> None:
        with pytest.raises(InvalidInput, match="expected a Theme"):
            Taxonomy(name="t", version="1", themes=("x",))  # type: ignore[arg-type]


class TestValues:
    """Models are frozen, hashable, comparable by value and picklable."""

    @given(taxonomies())
    def test_pickle_and_hash(self, tax: Taxonomy) -> None:
        copy = pickle.loads(pickle.dumps(tax))
        assert copy == tax
        assert hash(copy) == hash(tax)
        assert copy.services == tax.services

    @given(taxonomies(min_themes=2))
    def test_evolve_derives_the_lookups_again(self, tax: Taxonomy) -> None:
        first = attrs.evolve(tax, themes=tax.themes[:1])
        assert first.services == tuple(
            service for issue in tax.themes[0].issues for service in issue.services
        )
        assert first.service_ids == {service.id for service in first.services}
        last = tax.themes[-1]
        assert last.id not in first
        with pytest.raises(InvalidInput):
            first.theme(last.id)
        assert attrs.evolve(first, themes=tax.themes) == tax

    @given(taxonomies())
    def test_derived_lookups_are_not_part_of_the_value(self, tax: Taxonomy) -> None:
        fields = [field.name for field in attrs.fields(Taxonomy) if field.init]
        # Pickled, compared, hashed and shown as its fields alone.
        assert list(tax.__getstate__()) == fields
        assert "_index" not in repr(tax)
        again = Taxonomy(**{name: getattr(tax, name) for name in fields})
        assert again == tax
        assert hash(again) == hash(tax)
        assert again.services == tax.services
        assert again._index is not tax._index

    def test_nothing_is_computed_on_first_use(self) -> None:
        # Every look-up is built by the constructor: using a taxonomy changes none of its
        # attributes, so a second use is no faster than the first for a hidden reason.
        built = default_taxonomy()
        tax = Taxonomy(name="t", version="1", themes=built.themes, sources=built.sources)
        slots = [name for cls in type(tax).__mro__ for name in getattr(cls, "__slots__", ())]
        before = {name: getattr(tax, name) for name in slots if hasattr(tax, name)}
        assert "_index" in before
        for service in tax.services:
            tax.service(service.id)
            tax.theme_of(service.id)
            tax.issue_of(service.id)
            tax.resolve(service.id)
        tax.diff(default_taxonomy())
        str(tax)
        after = {name: getattr(tax, name) for name in slots if hasattr(tax, name)}
        assert after.keys() == before.keys()
        assert all(after[name] is before[name] for name in before)

    def test_repr_html(self) -> None:
        html = default_taxonomy()._repr_html_()
        assert html.startswith("<table>")
        assert "Démocratie locale" in html


class TestDiff:
    """diff lists services added, removed, renamed and moved, and their share of the older one."""

    @given(taxonomies())
    def test_diff_with_itself_is_empty(self, tax: Taxonomy) -> None:
        diff = tax.diff(tax)
        assert diff.empty
        assert diff.change_ratio == 0

    def test_diff(self) -> None:
        old = small()
        a2 = Service(id="a", name="A renamed")
        d = Service(id="d", name="D")
        c = Service(id="c", name="C")
        new = Taxonomy(
            name="t",
            version="2",
            themes=(
                Theme(id="T1", name="T1", issues=(Issue(id="I1", name="I1", services=(a2, d)),)),
                Theme(id="T2", name="T2", issues=(Issue(id="I3", name="I3", services=(c,)),)),
            ),
        )
        diff = old.diff(new)
        assert diff.added == {"d"}
        assert diff.removed == {"b"}
        assert diff.renamed == {"a"}
        assert diff.moved == {"c"}
        assert diff.change_ratio == Fraction(4, 3)
        assert "1 added" in str(diff)
