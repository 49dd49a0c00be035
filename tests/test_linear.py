"""The one linear form equals the nested weighted means of the scoring model."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from villes_label import Dossier, Expectation, Ruleset, Status, assess, default_ruleset
from villes_label._linear import QuantityKind, Structure
from villes_label._territory import effective_entries
from villes_label.referential import sample_dossier
from villes_label.testing import dossiers, rulesets

_ZERO = Fraction(0)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Ruleset, Dossier]:
    rules = draw(rulesets())
    return rules, draw(dossiers(rules))


def nested_means(
    rules: Ruleset,
    concerned: tuple[str, ...],
    credit: dict[str, Fraction],
    expectation: Expectation | None = None,
) -> tuple[Fraction, dict[str, Fraction], dict[str, Fraction]]:
    """The model as the docs state it, in Fractions: issue, theme and overall weighted means.

    Under an expectation, an issue is ``min(credit, D · top) / D`` with D the
    smaller of its concerned weight and its expected coverage, and a theme
    ``min(Σ wᵢ · issueᵢ, B · top) / B`` when its breadth B is below Σ wᵢ.
    """
    top = rules.credits[Status.DEPLOYED]
    counted = set(concerned)
    themes: dict[str, Fraction] = {}
    issues: dict[str, Fraction] = {}
    total, weights = _ZERO, 0
    for theme in rules.taxonomy.themes:
        theme_total, theme_weights = _ZERO, 0
        for issue in theme.issues:
            members = [s.id for s in issue.services if s.id in counted]
            if not members:
                continue
            divisor = Fraction(sum(rules.service_weights.get(sid, 1) for sid in members))
            if expectation is not None:
                divisor = min(divisor, expectation.coverage_of(issue.id))
            earned = sum(
                (rules.service_weights.get(sid, 1) * credit[sid] for sid in members), _ZERO
            )
            issues[issue.id] = min(earned, divisor * top) / divisor
            weight = rules.issue_weights.get(issue.id, 1)
            theme_total += weight * issues[issue.id]
            theme_weights += weight
        if theme_weights:
            breadth = None if expectation is None else expectation.theme_breadth
            if breadth is not None and breadth < theme_weights:
                themes[theme.id] = min(theme_total, breadth * top) / breadth
            else:
                themes[theme.id] = theme_total / theme_weights
            weight = rules.theme_weights.get(theme.id, 1)
            total += weight * themes[theme.id]
            weights += weight
    return (total / weights if weights else _ZERO), themes, issues


def credits_of(rules: Ruleset, dossier: Dossier) -> dict[str, Fraction]:
    entries = effective_entries(dossier)
    result = {}
    for service in rules.taxonomy.services:
        status = entries.get(service.id, Status.ABSENT)
        result[service.id] = rules.credits[
            Status.ABSENT if status is Status.NOT_APPLICABLE else status
        ]
    return result


class TestTheFormIsTheModel:
    """Every quantity of the linear form is the nested weighted mean it expands."""

    @given(cases())
    def test_every_quantity(self, case: tuple[Ruleset, Dossier]) -> None:
        rules, dossier = case
        structure = Structure(rules)
        scope = structure.concern(dossier.territory, effective_entries(dossier))
        form = structure.form(scope.concerned)
        credit = credits_of(rules, dossier)
        units = {sid: int(credit[sid] * structure.scale) for sid in scope.concerned}
        score, themes, issues = nested_means(rules, scope.concerned, credit)
        assert form.value(form.score, units) == score
        assert {t: form.value(q, units) for t, q in form.themes.items()} == themes
        assert {i: form.value(q, units) for i, q in form.issues.items()} == issues
        # Taxonomy order, and the numerators of one pass agree with each quantity's own.
        assert list(form.themes) == list(themes)
        assert list(form.issues) == list(issues)
        numerator, theme_numerators, issue_numerators = form.numerators(units)
        assert numerator == form.score.numerator(units)
        assert theme_numerators == {t: q.numerator(units) for t, q in form.themes.items()}
        assert issue_numerators == {i: q.numerator(units) for i, q in form.issues.items()}

    @given(cases())
    def test_weighted_means_of_the_concerned_services(self, case: tuple[Ruleset, Dossier]) -> None:
        rules, dossier = case
        structure = Structure(rules)
        scope = structure.concern(dossier.territory, effective_entries(dossier))
        form = structure.form(scope.concerned)
        for quantity in (form.score, *form.themes.values(), *form.issues.values()):
            assert quantity.denominator == sum(quantity.coefficients)
            assert all(c > 0 for c in quantity.coefficients)
            assert set(quantity.services) <= set(scope.concerned)
            assert form.quantity(quantity.kind, quantity.id) is quantity
        assert form.score.services == scope.concerned
        assert form.quantity(QuantityKind.THEME, "no such theme") is None

    @given(cases())
    def test_assess_reads_the_model(self, case: tuple[Ruleset, Dossier]) -> None:
        rules, dossier = case
        result = assess(dossier, rules)
        concerned = tuple(s.id for s in rules.taxonomy.services if s.id not in result.not_concerned)
        expectation = rules.expectation_for(dossier.territory)
        score, themes, issues = nested_means(
            rules, concerned, credits_of(rules, dossier), expectation
        )
        assert (result.score, dict(result.themes), dict(result.issues)) == (score, themes, issues)
        assert result.stratum == (None if expectation is None else expectation.stratum)

    @given(cases())
    def test_saturating_forms_are_the_model(self, case: tuple[Ruleset, Dossier]) -> None:
        rules, dossier = case
        structure = Structure(rules)
        scope = structure.concern(dossier.territory, effective_entries(dossier))
        expectation = structure.expectation(dossier.territory)
        form = structure.form(scope.concerned, expectation)
        credit = credits_of(rules, dossier)
        units = {sid: int(credit[sid] * structure.scale) for sid in scope.concerned}
        score, themes, issues = nested_means(rules, scope.concerned, credit, expectation)
        assert form.value(form.score, units) == score
        assert {t: form.value(q, units) for t, q in form.themes.items()} == themes
        assert {i: form.value(q, units) for i, q in form.issues.items()} == issues


def test_the_sample_dossier() -> None:
    rules = default_ruleset()
    result = assess(sample_dossier(), rules)
    concerned = tuple(s.id for s in rules.taxonomy.services if s.id not in result.not_concerned)
    (expectation,) = (e for e in rules.expectations if e.covers(sample_dossier().territory))
    assert expectation.stratum == result.stratum == "petite-ville"
    score, _, _ = nested_means(rules, concerned, credits_of(rules, sample_dossier()), expectation)
    # Themes 3/4, 1/2, 2/3 and 1/2 (see the tutorial): their mean is 29/48.
    assert result.score == score == Fraction(29, 48)
