"""Initiatives: dates, actors, links and places of actions; the two-year rule of the label."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label as vl
from villes_label import (
    Action,
    Actor,
    ActorRole,
    Dossier,
    InvalidInput,
    Place,
    Scorer,
    Status,
    Territory,
    assess,
    default_ruleset,
    from_dict,
    to_dict,
)
from villes_label._check import text_problem
from villes_label.testing import dossiers

RULES = default_ruleset()
VILLAGE = Territory(
    code="07208", name="Saint-Apollinaire-de-Rias", kind=vl.TerritoryKind.COMMUNE, population=159
)


def action(
    id: str = "a1",
    services: frozenset[str] = frozenset({"site-internet"}),
    status: Status = Status.DEPLOYED,
    date: dt.date | None = None,
    *,
    ongoing: bool = False,
) -> Action:
    return Action(id=id, title="Initiative", services=services, status=status, date=date,
                  ongoing=ongoing)  # fmt: skip


# --- strategies ---------------------------------------------------------------------

communes = st.sampled_from(["07208", "92049", "2A004", "97411", "35238", "59350"])


@st.composite
def coherent_places(draw: st.DrawFn) -> Place:
    latitude = draw(st.none() | st.floats(min_value=-90, max_value=90, allow_nan=False))
    longitude = (
        None
        if latitude is None
        else draw(st.floats(min_value=-180, max_value=180, allow_nan=False))
    )
    return Place(
        commune=draw(communes),
        latitude=latitude,
        longitude=longitude,
        name=draw(st.text(max_size=12)),
        postal_code=draw(st.none() | st.from_regex(r"[0-9]{5}", fullmatch=True)),
    )


actors = st.builds(
    Actor,
    # A name needs a visible character, as a territory's does.
    name=st.text(min_size=1, max_size=15).filter(lambda s: text_problem(s, "name") is None),
    role=st.sampled_from(ActorRole),
)
links = st.from_regex(r"https?://[a-z]{1,10}\.(fr|net|org)(/[a-z0-9]{0,8})?", fullmatch=True)


@st.composite
def initiatives(draw: st.DrawFn, dossier: Dossier) -> Dossier:
    """*dossier* whose actions are dated, placed and carried by actors, at random."""
    actions = tuple(
        attrs.evolve(
            existing,
            date=draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))),
            ongoing=draw(st.booleans()),
            summary=draw(st.text(max_size=30)),
            actors=draw(st.lists(actors, max_size=3).map(tuple)),
            links=draw(st.lists(links, max_size=3).map(tuple)),
            place=draw(st.none() | coherent_places()),
        )
        for existing in dossier.actions
    )
    return attrs.evolve(dossier, actions=actions)


@st.composite
def dossiers_with_initiatives(draw: st.DrawFn) -> Dossier:
    return draw(initiatives(draw(dossiers(RULES))))


# --- the values ------------------------------------------------------------------------


class TestFields:
    """Every new field is optional: old code keeps building actions as before."""

    def test_defaults(self) -> None:
        a = Action(id="a", title="t", services={"site-internet"}, status=Status.DEPLOYED)
        assert (a.date, a.ongoing, a.summary, a.actors, a.links, a.place) == (
            None, False, "", (), (), None,
        )  # fmt: skip

    def test_a_full_initiative(self) -> None:
        a = Action(
            id="epn",
            title="Point d'accès public à internet",
            services={"espace-public-numerique"},
            status=Status.DEPLOYED,
            date=dt.date(2015, 9, 1),
            summary="Dans la bibliothèque municipale",
            actors=[Actor(name="Les amis de la bibliothèque", role=ActorRole.ASSOCIATION)],
            links=["https://www.inforoutes.fr/"],
            place=Place(commune="07208", latitude=44.86, longitude=4.61, postal_code="07240"),
        )
        assert a.actors[0].role is ActorRole.ASSOCIATION
        assert a.links == ("https://www.inforoutes.fr/",)
        assert a.place is not None
        assert a.place.departement == "07"
        assert pickle.loads(pickle.dumps(a)) == a
        assert hash(a) == hash(attrs.evolve(a))

    def test_every_problem_with_its_path(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Action(
                id="a",
                title="t",
                services={"site-internet"},
                status=Status.DEPLOYED,
                date="2015-13-01",  # read as from data: no such day
                ongoing="yes",  # type: ignore[arg-type]
                summary=3,  # type: ignore[arg-type]
                actors=["Mairie"],  # type: ignore[list-item]
                links=["https://ok.fr", "mailto:x@y.fr", "http://a b.fr"],
                place="07208",  # type: ignore[arg-type]
            )
        paths = [problem.split(":")[0] for problem in caught.value.problems]
        assert paths == ["date", "ongoing", "summary", "actors[0]", "links[1]", "links[2]", "place"]

    def test_a_datetime_is_not_a_date(self) -> None:
        with pytest.raises(InvalidInput, match=r"date: expected a date as 'YYYY-MM-DD'"):
            action(date=dt.datetime(2015, 1, 1, tzinfo=dt.UTC))

    def test_a_lone_string_is_not_a_list_of_links(self) -> None:
        with pytest.raises(InvalidInput, match="links"):
            Action(id="a", title="t", services={"x"}, status=Status.DEPLOYED, links="https://x.fr")


class TestActor:
    """An actor has a non-empty name and one of the roles."""

    def test_roles(self) -> None:
        assert {role.value for role in ActorRole} == {
            "collectivite", "association", "entreprise", "etablissement_scolaire",
            "etablissement_public", "autre",
        }  # fmt: skip

    def test_problems(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            Actor(name=" ", role="mairie")
        assert [p.split(":")[0] for p in caught.value.problems] == ["name", "role"]

    @pytest.mark.parametrize("name", ["", " ", "\u200b", "\u200b\u2060 "])
    def test_a_name_needs_a_visible_character(self, name: str) -> None:
        """As a territory's name: text of spaces or zero-width characters names no one."""
        with pytest.raises(InvalidInput, match=r"^name: "):
            Actor(name=name, role="association")


class TestActionTitle:
    """An action has a title with a visible character, as a territory has a name."""

    @pytest.mark.parametrize("title", ["", "   ", "\u200b", "\u2060\u200b"])
    def test_refused(self, title: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            Action(id="a1", title=title, services={"site-internet"}, status="deployed")
        assert [p.split(":")[0] for p in caught.value.problems] == ["title"]

    def test_read_from_data_at_its_path(self) -> None:
        data = {"id": "a1", "title": "\u200b", "services": ["site-internet"], "status": "deployed"}
        with pytest.raises(InvalidInput, match=r"^title: title '\\u200b' has no visible character"):
            vl.from_dict(data, Action)

    def test_accepted(self) -> None:
        action = Action(id="a1", title=" Portail ", services={"x"}, status="deployed")
        assert action.title == " Portail "


class TestPlace:
    """A place is a commune of a département; coordinates in range, together or not at all."""

    @pytest.mark.parametrize(
        ("latitude", "longitude"),
        [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (48.8566, 2.3522), (-21.1, 55.5)],
    )
    def test_in_range(self, latitude: float, longitude: float) -> None:
        place = Place(commune="75056", latitude=latitude, longitude=longitude)
        assert place.has_coordinates

    @pytest.mark.parametrize(
        ("latitude", "longitude", "field"),
        [(90.5, 0.0, "latitude"), (0.0, -180.1, "longitude"), (float("nan"), 0.0, "latitude"),
         (0.0, float("inf"), "longitude"), (10**400, 0.0, "latitude")],
    )  # fmt: skip
    def test_out_of_range(self, latitude: float, longitude: float, field: str) -> None:
        with pytest.raises(InvalidInput, match=f"^{field}: "):
            Place(commune="75056", latitude=latitude, longitude=longitude)

    def test_together_or_not_at_all(self) -> None:
        with pytest.raises(InvalidInput, match="longitude: latitude and longitude"):
            Place(commune="75056", latitude=48.0)
        assert not Place(commune="75056").has_coordinates

    def test_an_int_is_a_coordinate(self) -> None:
        assert Place(commune="75056", latitude=48, longitude=2) == Place(
            commune="75056", latitude=48.0, longitude=2.0
        )

    @pytest.mark.parametrize("code", ["97502", "98735", "20004", "7505", "243500139"])
    def test_commune_outside_the_departements(self, code: str) -> None:
        with pytest.raises(InvalidInput, match=r"^commune: "):
            Place(commune=code)

    def test_postal_code(self) -> None:
        with pytest.raises(InvalidInput, match="postal_code"):
            Place(commune="75056", postal_code="750")


class TestRoundTrip:
    """A dossier with dated, placed initiatives and actors reads back equal from its data."""

    @given(dossiers_with_initiatives())
    def test_round_trip(self, dossier: Dossier) -> None:
        data = to_dict(dossier)
        assert from_dict(data, Dossier) == dossier

    @given(dossiers(RULES))
    def test_the_two_year_rule_survives_the_round_trip(self, dossier: Dossier) -> None:
        """Dossiers of the testing kit, with actions undated, counting, expired or ongoing."""
        data = json.loads(json.dumps(to_dict(dossier)))
        assert [(a["date"], a["ongoing"]) for a in data["actions"]] == [
            (None if a.date is None else a.date.isoformat(), a.ongoing) for a in dossier.actions
        ]
        again = from_dict(data, Dossier)
        assert again == dossier
        assert again.expired_actions == dossier.expired_actions
        assert again.effective_statuses() == dossier.effective_statuses()

    def test_shape(self) -> None:
        a = Action(
            id="a", title="t", services={"site-internet"}, status=Status.DEPLOYED,
            date=dt.date(2015, 3, 31), actors=[Actor(name="X", role=ActorRole.COMPANY)],
            links=["https://x.fr"], place=Place(commune="2A004", latitude=41.9, longitude=8.7),
        )  # fmt: skip
        data = to_dict(a)
        assert data["date"] == "2015-03-31"
        assert data["actors"] == [{"name": "X", "role": "entreprise"}]
        assert data["place"] == {"commune": "2A004", "latitude": 41.9, "longitude": 8.7,
                                 "name": "", "postal_code": None}  # fmt: skip

    def test_read_with_every_problem(self) -> None:
        data = to_dict(Dossier(territory=VILLAGE, year=2016, actions=(action(),)))
        data["actions"][0] |= {
            "date": "2015-02-30",
            "actors": [{"name": "", "role": "ecole"}],
            "links": ["ftp://x.fr"],
            "place": {"commune": "97502", "latitude": 100, "longitude": 0},
        }
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, Dossier)
        assert {p.split(":")[0] for p in caught.value.problems} == {
            "actions[0].date",
            "actions[0].actors[0].role",
            "actions[0].actors[0].name",
            "actions[0].links[0]",
            "actions[0].place.commune",
            "actions[0].place.latitude",
        }

    @pytest.mark.parametrize("text", ["2015-3-31", "31/03/2015", "2015-03-31T00:00", 2015])
    def test_dates_are_iso_days(self, text: object) -> None:
        data = to_dict(action())
        data["date"] = text
        with pytest.raises(InvalidInput, match=r"^date: expected a date as 'YYYY-MM-DD'"):
            from_dict(data, Action)


# --- the two-year rule ---------------------------------------------------------------


class TestTwoYearRule:
    """An action counts if it is under two years old at the label year, or still running.

    Precisely: for the label of year Y, a dated action counts iff its date is on
    or after 1 January of Y − 2, or it is ``ongoing``; an undated one always counts.
    """

    @pytest.mark.parametrize(
        ("date", "counts"),
        [(dt.date(2014, 1, 1), True), (dt.date(2013, 12, 31), False),
         (dt.date(2015, 10, 31), True), (dt.date(2016, 6, 1), True),
         (dt.date(2009, 1, 1), False), (None, True)],
    )  # fmt: skip
    def test_the_boundary(self, date: dt.date | None, counts: bool) -> None:
        assert action(date=date).counts_in(2016) is counts

    def test_ongoing_keeps_an_old_action(self) -> None:
        assert action(date=dt.date(2005, 1, 1), ongoing=True).counts_in(2016)

    def test_an_expired_action_falls_back_to_the_services_own_entry(self) -> None:
        old = action(date=dt.date(2012, 1, 1))
        dossier = Dossier(territory=VILLAGE, year=2016, services={"site-internet": Status.PARTIAL},
                          actions=(old,))  # fmt: skip
        assert dossier.status("site-internet") is Status.PARTIAL
        assert dossier.expired_actions == (old,)
        assert dossier.counted_actions == ()
        result = assess(dossier, RULES)
        assert result.statuses["site-internet"] is Status.PARTIAL
        (reason,) = result.reasons_of("action-expired")
        assert reason.subject == "a1"
        assert "2014-01-01" in reason.message

    def test_and_to_the_other_actions(self) -> None:
        old = action("old", date=dt.date(2012, 1, 1))
        recent = action("recent", status=Status.PLANNED, date=dt.date(2015, 1, 1))
        dossier = Dossier(territory=VILLAGE, year=2016, actions=(old, recent))
        assert dossier.status("site-internet") is Status.PLANNED
        assert [r.subject for r in assess(dossier, RULES).reasons_of("action-expired")] == ["old"]

    def test_a_service_named_only_by_expired_actions_is_undeclared(self) -> None:
        dossier = Dossier(territory=VILLAGE, year=2016,
                          actions=(action(date=dt.date(2010, 1, 1)),))  # fmt: skip
        assert dossier.status("site-internet") is Status.ABSENT
        assert "site-internet" in assess(dossier, RULES).undeclared

    def test_the_same_action_counts_in_an_earlier_year(self) -> None:
        old = action(date=dt.date(2012, 1, 1))
        before = Dossier(territory=VILLAGE, year=2014, actions=(old,))
        after = attrs.evolve(before, year=2016)
        assert before.status("site-internet") is Status.DEPLOYED
        assert after.status("site-internet") is Status.ABSENT
        assert not assess(before, RULES).reasons_of("action-expired")

    def test_the_score_drops(self) -> None:
        recent = Dossier(territory=VILLAGE, year=2016,
                         actions=(action(date=dt.date(2015, 1, 1)),))  # fmt: skip
        expired = attrs.evolve(recent, actions=(action(date=dt.date(2013, 1, 1)),))
        assert assess(expired, RULES).score < assess(recent, RULES).score

    def test_the_order_of_the_actions_changes_nothing(self) -> None:
        """The reasons for expired actions follow their ids, not the order of the dossier."""
        old = (action("b-old", date=dt.date(2010, 1, 1)), action("a-old", date=dt.date(2011, 1, 1)))
        one = Dossier(territory=VILLAGE, year=2016, actions=old)
        other = attrs.evolve(one, actions=old[::-1])
        assert [r.subject for r in assess(one, RULES).reasons_of("action-expired")] == [
            "a-old",
            "b-old",
        ]
        assert assess(one, RULES) == assess(other, RULES)
        assert assess(one, RULES).explain("en") == assess(other, RULES).explain("en")

    def test_explained_in_both_languages(self) -> None:
        dossier = Dossier(territory=VILLAGE, year=2016,
                          actions=(action(date=dt.date(2012, 1, 1)),))  # fmt: skip
        result = assess(dossier, RULES)
        assert "a1" in result.explain("en")
        assert "plus de deux ans" in result.explain("fr")

    @given(dossiers_with_initiatives())
    def test_only_dates_and_ongoing_change_a_score(self, dossier: Dossier) -> None:
        """Summary, actors, links and place never change an assessment."""
        bare = attrs.evolve(
            dossier,
            actions=tuple(
                Action(
                    id=a.id,
                    title=a.title,
                    services=a.services,
                    status=a.status,
                    date=a.date,
                    ongoing=a.ongoing,
                )
                for a in dossier.actions
            ),
        )
        assert assess(bare, RULES) == assess(dossier, RULES)

    @given(dossiers_with_initiatives())
    def test_equals_dropping_the_expired_actions(self, dossier: Dossier) -> None:
        """Scoring with expired actions is scoring without them, plus one reason each."""
        kept = attrs.evolve(dossier, actions=dossier.counted_actions)
        with_old, without = assess(dossier, RULES), assess(kept, RULES)
        assert (with_old.score, with_old.grade, with_old.statuses) == (
            without.score, without.grade, without.statuses,
        )  # fmt: skip
        assert [r.subject for r in with_old.reasons_of("action-expired")] == sorted(
            a.id for a in dossier.expired_actions
        )
        assert [r for r in with_old.reasons if r.code != "action-expired"] == list(without.reasons)

    @given(dossiers_with_initiatives())
    def test_status_agrees_with_the_effective_statuses(self, dossier: Dossier) -> None:
        effective = dossier.effective_statuses()
        assert {sid: dossier.status(sid) for sid in effective} == dict(effective)
        assert set(effective) == dossier.declared

    @given(st.lists(dossiers_with_initiatives(), max_size=4))
    def test_the_batch_scorer_agrees(self, cohort: list[Dossier]) -> None:
        scorer = Scorer(RULES)
        assert scorer.scores(cohort) == [assess(d, RULES).score for d in cohort]
        assert scorer.grades(cohort) == [assess(d, RULES).grade for d in cohort]

    def test_the_batch_scorer_agrees_with_opt_outs(self) -> None:
        """Dossiers with opt-outs take the array path of the batch scorer: it applies the rule too."""
        old = action(status=Status.PARTIAL, date=dt.date(2000, 1, 1))
        opted = Dossier(
            territory=VILLAGE,
            year=2016,
            services={"ent-ecoles": Status.NOT_APPLICABLE},
            actions=(old,),
        )
        cohort = [opted, attrs.evolve(opted, actions=(attrs.evolve(old, ongoing=True),))]
        scores = Scorer(RULES).scores(cohort)
        assert scores == [assess(d, RULES).score for d in cohort]
        assert scores[0] < scores[1]

    def test_exact(self) -> None:
        dossier = Dossier(territory=VILLAGE, year=2016,
                          actions=(action(date=dt.date(2015, 1, 1)),))  # fmt: skip
        assert isinstance(assess(dossier, RULES).score, Fraction)


def test_public_names() -> None:
    assert vl.Actor is Actor
    assert vl.Place is Place
