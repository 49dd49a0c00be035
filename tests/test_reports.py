"""What people read: names beside ids, one language at a time, French typography."""

from __future__ import annotations

import json
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from villes_label import (
    Assessment,
    InvalidInput,
    Reason,
    Status,
    assess,
    default_ruleset,
    default_taxonomy,
    from_dict,
    to_dict,
)
from villes_label._text import amount, kind_word, named, number, population, reason_text
from villes_label.referential import sample_dossier
from villes_label.testing import dossiers, rulesets

RULES = default_ruleset()
NBSP = "\u00a0"


class TestFrenchTypography:
    """French numbers: a decimal comma, a no-break space between thousands, the unit in
    the singular below 2; English: a decimal point, a comma between thousands."""

    @pytest.mark.parametrize(
        ("value", "french", "english"),
        [
            (Fraction(1, 128), "0,8 point", "0.8 points"),
            (Fraction(1, 64), "1,6 point", "1.6 points"),
            (Fraction(1, 100), "1,0 point", "1.0 point"),
            (Fraction(1, 50), "2,0 points", "2.0 points"),
            (Fraction(3, 16), "18,8 points", "18.8 points"),
        ],
    )
    def test_amounts(self, value: Fraction, french: str, english: str) -> None:
        assert amount(value, "fr") == french
        assert amount(value, "en") == english

    @pytest.mark.parametrize(
        ("count", "french", "english"),
        [
            (1850, f"1{NBSP}850 habitants", "1,850 inhabitants"),
            (12_400, f"12{NBSP}400 habitants", "12,400 inhabitants"),
            (1, "1 habitant", "1 inhabitant"),
            (2_100_000, f"2{NBSP}100{NBSP}000 habitants", "2,100,000 inhabitants"),
        ],
    )
    def test_populations(self, count: int, french: str, english: str) -> None:
        assert population(count, "fr") == french
        assert population(count, "en") == english

    @given(st.fractions(min_value=0, max_value=1))
    def test_one_number_two_marks(self, value: Fraction) -> None:
        assert number(value, "fr") == number(value, "en").replace(".", ",")
        # Rounded to the nearest tenth of a point, exactly: at most half a tenth away.
        assert abs(Fraction(number(value, "en")) - value * 100) <= Fraction(1, 20)


class TestRounding:
    """Points are rounded exactly to the tenth, halves away from zero, in both languages."""

    @given(st.fractions(min_value=-2, max_value=2, max_denominator=10**6))
    def test_nearest_tenth(self, value: Fraction) -> None:
        text = number(value, "en")
        shown = Fraction(text)
        assert abs(shown - value * 100) <= Fraction(1, 20)
        if abs(shown - value * 100) == Fraction(1, 20):  # a tie: away from zero
            assert abs(shown) > abs(value * 100)
        assert number(value, "fr") == text.replace(".", ",")

    def test_halves(self) -> None:
        assert number(Fraction(5, 16), "fr") == "31,3"  # 31.25, which a float shows as 31.2
        assert number(Fraction(7, 16), "en") == "43.8"
        assert number(Fraction(-1, 2000), "en") == "-0.1"
        assert number(Fraction(-1, 4000), "en") == "0.0"


class TestNamesBesideIds:
    """Reports show every theme, issue, service and mention by its name, its id beside it."""

    def test_assessment_carries_the_names(self) -> None:
        result = assess(sample_dossier(), RULES)
        taxonomy = RULES.taxonomy
        assert {k: v for k, v in result.names.items() if k in result.issues} == {
            issue.id: issue.name for issue in taxonomy.issues if issue.id in result.issues
        }
        assert result.names["democratie-services-publics"] == "Démocratie et services publics"

    def test_explain_both_languages(self) -> None:
        result = assess(sample_dossier(), RULES)
        for lang in ("fr", "en"):
            text = result.explain(lang)
            for theme in RULES.taxonomy.themes:
                assert f"{theme.name} [{theme.id}]" in text
            assert "Démocratie locale [democratie-locale]" in text
        assert f"12{NBSP}400 habitants" in result.explain()
        assert "12,400 inhabitants" in result.explain("en")

    def test_html_tables(self) -> None:
        html = assess(sample_dossier(), RULES)._repr_html_()
        assert (
            "<td>Démocratie locale</td><td><code>democratie-locale</code></td><td>25,0</td>" in html
        )
        english = assess(sample_dossier(), RULES).to_html("en")
        assert "<td>25.0</td>" in english
        assert "<th>Issue</th>" in english
        taxonomy = default_taxonomy()._repr_html_()
        assert "Site internet <code>site-internet</code>" in taxonomy
        assert "Démocratie locale <code>democratie-locale</code>" in taxonomy

    def test_reason_services_are_named(self) -> None:
        dossier = sample_dossier().with_status("covoiturage-local", Status.NOT_APPLICABLE)
        result = assess(dossier, RULES)
        assert result.names["covoiturage-local"] == RULES.taxonomy.service("covoiturage-local").name
        (text,) = (
            t
            for r, t in zip(result.reasons, result.reason_texts(), strict=True)
            if r.code == "opt-out-refused"
        )
        assert text.startswith(
            "le service Covoiturage local [covoiturage-local] est déclaré non applicable"
        )

    def test_mentions_are_named(self) -> None:
        top = sample_dossier()
        for service in RULES.taxonomy.services:
            top = top.with_status(service.id, Status.DEPLOYED)
        result = assess(top, RULES)
        assert result.mentions
        for mention in result.mentions:
            name = result.mention_names[mention]
            assert f"{name} [{mention}]" in result.explain()

    def test_named_without_a_name(self) -> None:
        assert named("x", {}) == "x"
        assert named("x", {"x": "x"}) == "x"


class TestOneLanguage:
    """Every text an assessment gives follows one `lang`: the report, the summary line, the
    reasons (also inside JSON, through `in_language`); codes and figures stay the same."""

    def test_reasons_in_both_languages(self) -> None:
        result = assess(sample_dossier(), RULES)
        french, english = result.reason_texts("fr"), result.reason_texts("en")
        assert french[1] == "score global : 60,4 pour 62,5 requis, il manque 2,1 points"
        assert english[1] == "overall score: 60.4 for 62.5 required, 2.1 points short"
        assert (
            french[2]
            == "enjeu Démocratie locale [democratie-locale] : 25,0 pour 50,0 requis, il manque 25,0 points"
        )
        assert (
            english[2]
            == "issue Démocratie locale [democratie-locale]: 25.0 for 50.0 required, 25.0 points short"
        )
        assert french[0].startswith("note @@@ (3 arobases) obtenue")

    def test_in_language_keeps_the_data(self) -> None:
        result = assess(sample_dossier(), RULES)
        french = result.in_language("fr")
        assert [r.message for r in french.reasons] == list(result.reason_texts("fr"))
        strip = [(r.code, r.subject, r.required, r.actual) for r in result.reasons]
        assert [(r.code, r.subject, r.required, r.actual) for r in french.reasons] == strip
        data = json.loads(json.dumps(to_dict(french)))
        assert from_dict(data, Assessment) == french

    def test_summary(self) -> None:
        result = assess(sample_dossier(), RULES)
        assert (
            result.summary()
            == "Saint-Exemple-sur-Vilaine (2016) : @@@ (3 arobases), score 60,4 sur 100"
        )
        assert (
            result.summary("en")
            == "Saint-Exemple-sur-Vilaine (2016): @@@ (grade 3), score 60.4 out of 100"
        )

    @pytest.mark.parametrize(
        "method", ["explain", "summary", "reason_texts", "in_language", "to_html"]
    )
    def test_other_languages_are_refused(self, method: str) -> None:
        with pytest.raises(InvalidInput, match="lang: expected 'fr' or 'en', got 'de'"):
            getattr(assess(sample_dossier(), RULES), method)("de")

    def test_unknown_codes_keep_their_message(self) -> None:
        reason = Reason(code="year-mismatch", message="the dossier is of 2017", subject=None)
        assert reason_text(reason, "fr", names={}) == "the dossier is of 2017"

    def test_kind_words(self) -> None:
        from villes_label import TerritoryKind

        assert (
            kind_word(TerritoryKind.COMMUNAUTE_D_AGGLOMERATION, "fr")
            == "communauté d'agglomération"
        )
        assert kind_word(TerritoryKind.METROPOLE, "en") == "metropolis"


class TestNextGradeHeading:
    """The report names the grade whose conditions it lists: the next rule of the ruleset,
    which is not always the grade above when the ruleset skips one."""

    def test_a_skipped_grade_is_not_named(self) -> None:
        gapped = RULES.replace(grades=[g for g in RULES.grades if g.arobases != 4])
        result = assess(sample_dossier(), gapped)
        assert result.grade == 3
        assert result.next_grade == 5
        lines = result.explain().splitlines()
        assert "Pour @@@@@ :" in lines
        assert "Pour @@@@ :" not in lines
        assert "For @@@@@:" in result.explain("en").splitlines()

    def test_the_highest_grade_has_no_next(self) -> None:
        top = RULES.replace(grades=[g for g in RULES.grades if g.arobases <= 3])
        result = assess(sample_dossier(), top)
        assert result.next_grade is None
        assert not [line for line in result.explain().splitlines() if line.startswith("Pour ")]

    def test_an_assessment_read_without_it_names_no_grade(self) -> None:
        gapped = RULES.replace(grades=[g for g in RULES.grades if g.arobases != 4])
        data = to_dict(assess(sample_dossier(), gapped))
        del data["next_grade"]
        result = from_dict(data, Assessment)
        assert result.next_grade is None
        assert "Pour la note suivante :" in result.explain().splitlines()
        assert "For the next grade:" in result.explain("en").splitlines()

    def test_next_grade_above_the_grade(self) -> None:
        result = assess(sample_dossier(), RULES)
        with pytest.raises(InvalidInput, match=r"next_grade: 3 is outside 4\.\.5"):
            attrs.evolve(result, next_grade=3)

    @given(st.data())
    def test_heading_names_the_next_rule(self, data: st.DataObject) -> None:
        rules = data.draw(rulesets())
        result = assess(data.draw(dossiers(rules)), rules)
        above = [rule.arobases for rule in rules.grades if rule.arobases > result.grade]
        following = min(above) if above else None
        assert result.next_grade == following
        for text, prefix in ((result.explain("fr"), "Pour "), (result.explain("en"), "For ")):
            headings = [
                line for line in text.splitlines() if line.startswith(prefix) and line.endswith(":")
            ]
            assert len(headings) <= 1
            if headings:
                assert following is not None
                named = headings[0].removeprefix(prefix).removesuffix(":").strip()
                assert named == "@" * following


class TestShortfallNeverZero:
    """A failed condition never reads as missing 0.0 points: a gap that rounds to zero
    is "less than 0.1 point"; the reason keeps the exact values."""

    @staticmethod
    def _just_above() -> tuple[Assessment, Fraction]:
        score = assess(sample_dossier(), RULES).score
        required = score + Fraction(1, 10**6)
        rules = RULES.replace(
            grades=[
                attrs.evolve(g, min_score=required) if g.arobases == 4 else g for g in RULES.grades
            ]
        )
        return assess(sample_dossier(), rules), required

    def test_french(self) -> None:
        result, _ = self._just_above()
        lines = [line for line in result.explain().splitlines() if "score global" in line]
        assert lines == ["  - score global : 60,4 pour 60,4 requis, il manque moins de 0,1 point"]

    def test_english(self) -> None:
        result, _ = self._just_above()
        lines = [line for line in result.explain("en").splitlines() if "overall score" in line]
        assert lines == ["  - overall score: 60.4 for 60.4 required, less than 0.1 point short"]
        (reason,) = result.reasons_of("min-score")
        assert "0.0" not in reason.message
        assert "less than 0.1 point below" in reason.message

    def test_exact_values_unchanged(self) -> None:
        result, required = self._just_above()
        (reason,) = result.reasons_of("min-score")
        assert reason.required == required
        assert reason.actual == result.score
        assert reason.shortfall == Fraction(1, 10**6)

    @given(st.fractions(min_value=0, max_value=1, max_denominator=10**7))
    def test_no_zero_gap(self, gap: Fraction) -> None:
        reason = Reason(
            code="min-score", message="", subject=None, required=Fraction(1, 2) + gap / 100
        )
        reason = attrs.evolve(reason, actual=Fraction(1, 2))
        for lang in ("fr", "en"):
            text = reason_text(reason, lang, names={})
            if gap:
                assert "0,0 point" not in text
                assert "0.0 point" not in text
