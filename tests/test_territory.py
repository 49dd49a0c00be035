from __future__ import annotations

import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from villes_label import (
    Action,
    Dossier,
    InvalidInput,
    Status,
    Territory,
    TerritoryKind,
    from_dict,
    to_dict,
)
from villes_label._vocabulary import STATUS_CODES, StatusMap
from villes_label.testing import dossiers, statuses, taxonomies, territories

C = TerritoryKind.COMMUNE


def town(code: str = "92049", kind: TerritoryKind = C, population: int = 50_000) -> Territory:
    return Territory(code=code, name="Montrouge", kind=kind, population=population)


class TestTerritory:
    """A commune has an INSEE code, an EPCI a 9-digit SIREN; population >= 0."""

    @pytest.mark.parametrize("code", ["92049", "2A004", "2B033", "97101", "97611", "01001"])
    def test_valid_commune_codes(self, code: str) -> None:
        assert town(code).code == code

    @pytest.mark.parametrize(
        "code", ["9204", "920490", "20004", "2C004", "97701", "00001", "96001", "abcde", " 92049"]
    )
    def test_invalid_commune_codes(self, code: str) -> None:
        with pytest.raises(InvalidInput, match="INSEE"):
            town(code)

    def test_epci_codes(self) -> None:
        assert town("200054781", TerritoryKind.METROPOLE).kind is TerritoryKind.METROPOLE
        with pytest.raises(InvalidInput, match="SIREN"):
            town("92049", TerritoryKind.COMMUNAUTE_DE_COMMUNES)

    def test_every_problem_at_once(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Territory(code=92049, name="", kind="town", population=-3)  # type: ignore[arg-type]
        assert len(caught.value.problems) == 4

    def test_bool_is_not_a_population(self) -> None:
        with pytest.raises(InvalidInput, match="population"):
            town(population=True)

    @given(territories())
    def test_generated_territories_pickle(self, territory: Territory) -> None:
        assert pickle.loads(pickle.dumps(territory)) == territory


class TestStatus:
    """Statuses are ordered by credit, not alphabetically; NOT_APPLICABLE is outside the order."""

    def test_credit_order(self) -> None:
        assert Status.ABSENT < Status.PLANNED < Status.PARTIAL < Status.DEPLOYED
        assert max(Status.PARTIAL, Status.PLANNED) is Status.PARTIAL
        assert sorted([Status.DEPLOYED, Status.ABSENT, Status.PARTIAL]) == [
            Status.ABSENT,
            Status.PARTIAL,
            Status.DEPLOYED,
        ]

    def test_not_applicable_is_not_ordered(self) -> None:
        with pytest.raises(TypeError):
            _ = Status.NOT_APPLICABLE < Status.ABSENT

    def test_values(self) -> None:
        assert [s.value for s in Status] == [
            "absent",
            "planned",
            "partial",
            "deployed",
            "not_applicable",
        ]
        assert {Status.DEPLOYED: 1}["deployed"] == 1  # type: ignore[index]


class TestDossier:
    """The effective status is the best of the direct entry and of the actions delivering it."""

    def test_effective_status(self) -> None:
        dossier = Dossier(
            territory=town(),
            year=2016,
            services={"a": Status.PLANNED, "b": "deployed"},
            actions=(
                Action(id="x", title="X", services={"a", "c"}, status=Status.PARTIAL),
                Action(id="y", title="Y", services={"b"}, status=Status.PLANNED),
            ),
        )
        assert dossier.status("a") is Status.PARTIAL
        assert dossier.status("b") is Status.DEPLOYED
        assert dossier.status("c") is Status.PARTIAL
        assert dossier.status("zzz") is Status.ABSENT
        assert dossier.declared == {"a", "b", "c"}
        assert dossier.services["b"] is Status.DEPLOYED

    def test_not_applicable_and_delivered_is_invalid(self) -> None:
        with pytest.raises(InvalidInput, match="not_applicable but delivered by action 'x'"):
            Dossier(
                territory=town(),
                year=2016,
                services={"a": Status.NOT_APPLICABLE},
                actions=(Action(id="x", title="X", services={"a"}, status=Status.DEPLOYED),),
            )

    def test_action_cannot_be_not_applicable(self) -> None:
        with pytest.raises(InvalidInput, match="cannot be not_applicable"):
            Action(id="x", title="X", services={"a"}, status=Status.NOT_APPLICABLE)

    def test_action_services_are_not_a_string(self) -> None:
        with pytest.raises(InvalidInput, match="got the string"):
            Action(id="x", title="X", services="ab", status=Status.DEPLOYED)

    def test_action_needs_a_service(self) -> None:
        with pytest.raises(InvalidInput, match="at least one service"):
            Action(id="x", title="X", services=(), status=Status.DEPLOYED)

    def test_every_problem_at_once(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Dossier(
                territory=town(),
                year=1999,
                services={"a": "done", "": "deployed"},
                actions=(
                    Action(id="x", title="X", services={"a"}, status=Status.DEPLOYED),
                    Action(id="x", title="X", services={"b"}, status=Status.DEPLOYED),
                ),
            )
        problems = caught.value.problems
        assert "year: 1999 is outside 2000..2100" in problems
        assert any(p.startswith("services.a: unknown status 'done'") for p in problems)
        assert "services['']: empty id" in problems
        assert "actions[1].id: duplicate action id 'x'" in problems

    @given(st.data())
    def test_with_status(self, data: st.DataObject) -> None:
        dossier = data.draw(dossiers(data.draw(taxonomies())))
        sid = data.draw(st.sampled_from(sorted(dossier.declared) or ["t0-i0-s0"]))
        status = data.draw(statuses(not_applicable=False))
        changed = dossier.with_status(sid, status)
        assert changed.services[sid] is status
        assert changed.status(sid) >= status
        assert changed.actions == dossier.actions
        assert dossier.services.get(sid) == dossier.services.get(sid)  # original untouched

    @given(st.data())
    def test_frozen_hashable_picklable(self, data: st.DataObject) -> None:
        dossier = data.draw(dossiers(data.draw(taxonomies())))
        assert pickle.loads(pickle.dumps(dossier)) == dossier
        assert hash(pickle.loads(pickle.dumps(dossier))) == hash(dossier)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            dossier.year = 2020  # type: ignore[misc]
        with pytest.raises(TypeError):
            dossier.services["x"] = Status.DEPLOYED  # type: ignore[index]


def _codes_match(services: object) -> bool:
    """Whether *services* is a `StatusMap` whose codes are those of its statuses, in order."""
    assert isinstance(services, StatusMap)
    return list(services.codes) == [STATUS_CODES[status] for status in services.values()]


class TestStatusCodes:
    """A dossier's services hold the code of each status, in order, however it was made."""

    @given(st.data())
    def test_codes_follow_the_statuses(self, data: st.DataObject) -> None:
        dossier = data.draw(dossiers(data.draw(taxonomies())))
        assert _codes_match(dossier.services)
        copies = [
            pickle.loads(pickle.dumps(dossier)),
            attrs.evolve(dossier, year=dossier.year),
            from_dict(to_dict(dossier), Dossier),
        ]
        for copy in copies:
            assert copy == dossier
            assert _codes_match(copy.services)

    @given(st.data())
    def test_codes_after_a_change(self, data: st.DataObject) -> None:
        dossier = data.draw(dossiers(data.draw(taxonomies())))
        changed = dossier.with_status("t0-i0-s0", data.draw(statuses(not_applicable=False)))
        assert _codes_match(changed.services)
        assert changed.services["t0-i0-s0"] in Status

    @given(st.data())
    def test_what_the_dossier_delivers(self, data: st.DataObject) -> None:
        """The statuses a dossier keeps are its entries raised by the actions that count."""
        dossier = data.draw(dossiers(data.draw(taxonomies())))
        expected = dict(dossier.services)
        for action in dossier.counted_actions:
            for sid in action.services:
                own = expected.get(sid)
                if own is None or action.status.rank > own.rank:
                    expected[sid] = action.status
        effective = dossier._effective
        assert _codes_match(effective)
        assert dict(effective) == expected
        # The dossier's own entries first, in order; its own map when nothing is raised.
        assert list(effective)[: len(dossier.services)] == list(dossier.services)
        assert (effective is dossier.services) == (expected == dict(dossier.services))
        assert dict(dossier.effective_statuses()) == expected
        assert {sid: dossier.status(sid) for sid in expected} == expected
        counted = {sid for action in dossier.counted_actions for sid in action.services}
        expired = {sid for action in dossier.expired_actions for sid in action.services}
        assert dossier._expired == expired - counted
        assert dossier.declared == frozenset(dossier.services) | counted

    def test_plain_values_are_read_as_statuses(self) -> None:
        dossier = Dossier(
            territory=town(), year=2016, services={"a": "deployed", "b": "not_applicable"}
        )
        assert _codes_match(dossier.services)
        assert [STATUS_CODES[status] for status in dossier.services.values()] == [
            STATUS_CODES[Status.DEPLOYED],
            STATUS_CODES[Status.NOT_APPLICABLE],
        ]
        assert [STATUS_CODES[status] for status in Status] == list(range(len(Status)))
