from __future__ import annotations

import pickle
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from villes_label import (
    Action,
    Dossier,
    InvalidInput,
    Issue,
    Migration,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
    assess,
    default_taxonomy,
    migrate,
)
from villes_label.referential import sample_dossier
from villes_label.testing import dossiers, rulesets, taxonomies

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

D, P, H, A, NA = (
    Status.DEPLOYED,
    Status.PARTIAL,
    Status.PLANNED,
    Status.ABSENT,
    Status.NOT_APPLICABLE,
)


def taxonomy(version: str, tree: Mapping[str, Mapping[str, list[tuple[str, str]]]]) -> Taxonomy:
    """A taxonomy from ``{theme: {issue: [(service id, name), ...]}}``."""
    return Taxonomy(
        name="t",
        version=version,
        themes=tuple(
            Theme(
                id=theme,
                name=theme.upper(),
                issues=tuple(
                    Issue(
                        id=issue,
                        name=issue.upper(),
                        services=tuple(Service(id=sid, name=name) for sid, name in services),
                    )
                    for issue, services in issues.items()
                ),
            )
            for theme, issues in tree.items()
        ),
    )


OLD = taxonomy(
    "2016",
    {
        "T1": {"I1": [("a", "A"), ("b", "B"), ("c", "C")]},
        "T2": {"I2": [("d", "D"), ("e", "E")], "I3": [("f", "F")]},
    },
)
NEW = taxonomy(
    "2017",
    {
        # "a" renamed, "b" gone, "c" becomes "c2", "e" moved to I1, "g" new.
        "T1": {"I1": [("a", "A, new name"), ("c2", "C"), ("e", "E")]},
        "T2": {"I2": [("d", "D"), ("g", "G")], "I3": [("f", "F")]},
    },
)
Case = tuple[Taxonomy, Taxonomy, Dossier, dict[str, str]]
TERRITORY = Territory(code="35999", name="Exemple", kind=TerritoryKind.COMMUNE, population=900)


def dossier(
    services: Mapping[str, Status] | None = None, actions: tuple[Action, ...] = ()
) -> Dossier:
    return Dossier(territory=TERRITORY, year=2016, services=services or {}, actions=actions)


def action(aid: str, services: Iterable[str], status: Status = D) -> Action:
    return Action(id=aid, title=aid.upper(), services=frozenset(services), status=status)


def best(statuses: Iterable[Status]) -> Status:
    return max(statuses, key=lambda status: status.rank)


# --- Taxonomy.diff --------------------------------------------------------------------------


class TestDiff:
    """diff names the services added, removed, renamed and moved, and their share of the older one."""

    @given(taxonomies())
    def test_with_itself_is_empty(self, tax: Taxonomy) -> None:
        diff = tax.diff(tax)
        assert diff.empty
        assert diff.change_ratio == 0

    @given(taxonomies(), taxonomies())
    def test_sets(self, old: Taxonomy, new: Taxonomy) -> None:
        diff = old.diff(new)
        old_ids, new_ids = old.service_ids, new.service_ids
        assert diff.added == new_ids - old_ids
        assert diff.removed == old_ids - new_ids
        common = old_ids & new_ids
        assert diff.renamed == {
            sid for sid in common if old.service(sid).name != new.service(sid).name
        }
        assert diff.moved == {
            sid
            for sid in common
            if (old.issue_of(sid).id, old.theme_of(sid).id)
            != (new.issue_of(sid).id, new.theme_of(sid).id)
        }
        changed = diff.added | diff.removed | diff.renamed | diff.moved
        assert diff.change_ratio == Fraction(len(changed), len(old.services))
        assert diff.empty == (not changed)

    def test_example(self) -> None:
        diff = OLD.diff(NEW)
        assert diff.added == {"c2", "g"}
        assert diff.removed == {"b", "c"}
        assert diff.renamed == {"a"}
        assert diff.moved == {"e"}
        assert diff.change_ratio == Fraction(6, 6)
        assert str(diff) == "2 added, 2 removed, 1 renamed, 1 moved (100.0% of the services)"

    def test_renamed_and_moved_count_once(self) -> None:
        old = taxonomy("1", {"T": {"I": [("a", "A"), ("b", "B")], "J": [("c", "C")]}})
        new = taxonomy("2", {"T": {"I": [("a", "A")], "J": [("c", "C"), ("b", "B2")]}})
        diff = old.diff(new)
        assert diff.renamed == diff.moved == {"b"}
        assert diff.change_ratio == Fraction(1, 3)

    def test_not_a_taxonomy(self) -> None:
        with pytest.raises(InvalidInput, match="other: expected a Taxonomy, got str"):
            OLD.diff("2017")  # type: ignore[arg-type]


# --- migrate: laws --------------------------------------------------------------------------


@st.composite
def migrations(draw: st.DrawFn) -> Case:
    """An old and a new taxonomy (their ids overlap), a dossier of the old, renames into the new."""
    old = draw(taxonomies())
    new = draw(taxonomies())
    d = draw(dossiers(old))
    old_ids = sorted(old.service_ids)
    new_ids = sorted(new.service_ids)
    renames = draw(st.dictionaries(st.sampled_from(old_ids), st.sampled_from(new_ids), max_size=4))
    return old, new, d, renames


def named(d: Dossier) -> set[str]:
    """Every service id *d* names, as an entry or in an action, expired actions included."""
    return set(d.services) | {sid for action in d.actions for sid in action.services}


class TestMigrate:
    """migrate carries every entry it can and names every one it cannot: nothing is lost.

    That holds for the services of expired actions too (dated more than two years before
    the label year and not ongoing): they count for nothing this year, but are carried.
    """

    @given(migrations())
    def test_nothing_lost(self, case: Case) -> None:
        _, new, d, renames = case
        m = migrate(d, new, renames)
        carried = named(m.dossier)
        # Every service of the migrated dossier exists in the new referential.
        assert carried <= new.service_ids
        # Dropped: exactly the named ids that the new referential lacks after renaming.
        assert m.dropped == {
            sid for sid in named(d) if renames.get(sid, sid) not in new.service_ids
        }
        assert m.dropped.isdisjoint(carried)
        for sid in named(d):
            assert sid in m.dropped or renames.get(sid, sid) in carried
        # Nothing appears from nowhere.
        assert carried == {renames.get(sid, sid) for sid in named(d) if sid not in m.dropped}
        # The same year: the same actions count.
        assert m.dossier.year == d.year
        assert [a.id for a in m.dossier.expired_actions] == [
            a.id for a in d.expired_actions if a.id not in m.dropped_actions
        ]

    @given(migrations())
    def test_actions(self, case: Case) -> None:
        _, new, d, renames = case
        m = migrate(d, new, renames)
        assert m.dropped_actions == {
            a.id for a in d.actions if all(sid in m.dropped for sid in a.services)
        }
        kept = [a for a in d.actions if a.id not in m.dropped_actions]
        assert [a.id for a in m.dossier.actions] == [a.id for a in kept]
        for before, after in zip(kept, m.dossier.actions, strict=True):
            assert (after.title, after.status) == (before.title, before.status)
            assert after.services == {
                renames.get(sid, sid) for sid in before.services if sid not in m.dropped
            }

    @given(migrations())
    def test_best_status(self, case: Case) -> None:
        """Each new id gets the best effective status of the old ids carried into it."""
        _, new, d, renames = case
        m = migrate(d, new, renames)
        for sid in m.dossier.declared:
            sources = [old for old in d.declared if renames.get(old, old) == sid]
            assert m.dossier.status(sid) == best(d.status(old) for old in sources)

    @given(migrations())
    def test_same_territory_and_year(self, case: Case) -> None:
        _, new, d, renames = case
        m = migrate(d, new, renames)
        assert m.dossier.territory == d.territory
        assert m.dossier.year == d.year
        assert m.complete == (not m.dropped and not m.dropped_actions)

    @given(st.data())
    def test_assessable_in_the_new_referential(self, data: st.DataObject) -> None:
        _, new, d, renames = data.draw(migrations())
        rules = data.draw(rulesets(new))
        m = migrate(d, new, renames)
        assert 0 <= assess(m.dossier, rules).grade <= 5

    @given(taxonomies(), st.data())
    def test_same_referential_changes_nothing(self, tax: Taxonomy, data: st.DataObject) -> None:
        d = data.draw(dossiers(tax))
        m = migrate(d, tax)
        assert m.dossier == d
        assert m.complete


# --- migrate: examples ----------------------------------------------------------------------


class TestMigrateExamples:
    """Concrete cases: renames, merges, dropped services and actions, bad input."""

    def test_to_the_next_referential(self) -> None:
        d = dossier(
            {"a": D, "b": P, "c": H, "e": A},
            actions=(action("x", {"b"}), action("y", {"b", "f"}, P)),
        )
        m = migrate(d, NEW, {"c": "c2"})
        assert m.dossier.services == {"a": D, "c2": H, "e": A}
        assert m.dossier.actions == (action("y", {"f"}, P),)
        assert m.dropped == {"b"}
        assert m.dropped_actions == {"x"}
        assert str(m) == "Exemple 2016: 1 service dropped (b); 1 action dropped (x)"

    def test_merge_keeps_the_best(self) -> None:
        two_into_one = {"b": "a", "c": "a"}
        assert migrate(dossier({"a": H, "b": D, "c": P}), NEW, two_into_one).dossier.services == {
            "a": D
        }
        # A not-applicable part counts below absent: a declared part is applicable.
        assert migrate(dossier({"b": NA, "c": A}), NEW, two_into_one).dossier.services == {"a": A}
        assert migrate(dossier({"b": NA, "c": NA}), NEW, two_into_one).dossier.services == {"a": NA}

    def test_not_applicable_yields_to_an_action(self) -> None:
        d = dossier({"b": NA}, actions=(action("x", {"c"}, P),))
        m = migrate(d, NEW, {"b": "a", "c": "a"})
        assert m.dossier.services == {}
        assert m.dossier.status("a") is P
        assert m.complete

    def test_renames_are_not_chained(self) -> None:
        m = migrate(dossier({"b": D, "a": P}), NEW, {"b": "a", "a": "d"})
        assert m.dossier.services == {"a": D, "d": P}

    def test_sample_dossier_is_complete_in_its_referential(self) -> None:
        m = migrate(sample_dossier(), default_taxonomy())
        assert m.dossier == sample_dossier()
        assert str(m) == "Saint-Exemple-sur-Vilaine 2016: everything carried"

    def test_bad_renames(self) -> None:
        d = dossier({"a": D})
        with pytest.raises(InvalidInput) as error:
            migrate(d, NEW, {"c": "c22", "b": 2, 3: "a", "": "a"})  # type: ignore[dict-item]
        assert error.value.problems == (
            "renames.c: unknown service 'c22' (did you mean 'c2'?)",
            "renames.b: 2 is not a service id",
            "renames: 3 is not a service id",
            "renames: '' is not a service id",
        )
        with pytest.raises(InvalidInput, match="renames: expected a mapping"):
            migrate(d, NEW, [("c", "c2")])  # type: ignore[arg-type]

    def test_bad_arguments(self) -> None:
        with pytest.raises(InvalidInput, match="dossier: expected a Dossier, got dict"):
            migrate({}, NEW)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="taxonomy: expected a Taxonomy, got str"):
            migrate(dossier(), "2017")  # type: ignore[arg-type]


class TestMigration:
    """A Migration is a frozen value whose dropped ids are never still in its dossier."""

    def test_value(self) -> None:
        m = Migration(dossier=dossier({"a": D}), dropped=["b"], dropped_actions=("x",))
        assert m.dropped == frozenset({"b"})
        assert m.dropped_actions == frozenset({"x"})
        assert pickle.loads(pickle.dumps(m)) == m
        assert hash(m) == hash(attrs.evolve(m))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            m.dropped = frozenset()  # type: ignore[misc]

    def test_problems(self) -> None:
        with pytest.raises(InvalidInput, match="dropped: 'a' is still named by the dossier"):
            Migration(dossier=dossier({"a": D}), dropped={"a"})
        with pytest.raises(InvalidInput, match="dropped_actions: 'x' is still an action"):
            Migration(dossier=dossier(actions=(action("x", {"a"}),)), dropped_actions={"x"})
        with pytest.raises(InvalidInput, match="dossier: expected a Dossier"):
            Migration(dossier=None)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="expected a list, got the string 'ab'"):
            Migration(dossier=dossier(), dropped="ab")
        with pytest.raises(InvalidInput, match=r"dropped\.3: expected a str, got int 3"):
            Migration(dossier=dossier(), dropped={3})  # type: ignore[arg-type]

    def test_str_lists_many(self) -> None:
        m = Migration(dossier=dossier(), dropped={f"s{n:02d}" for n in range(10)})
        assert str(m) == (
            "Exemple 2016: 10 services dropped "
            "(s00, s01, s02, s03, s04, s05, s06, s07, ... (2 more))"
        )
