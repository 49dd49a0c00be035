"""The fictional cohorts of `villes_label.referential`: their territories are valid and distinct."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villes_label import Scorer, Territory, TerritoryKind, assess, referential
from villes_label.referential import synthetic_cohort
from villes_label.referential._samples import DISTINCT_CODES, _commune_code


class TestCommuneCodes:
    def test_distinct_up_to_the_documented_size(self) -> None:
        codes = [_commune_code(n) for n in range(DISTINCT_CODES)]
        assert len(set(codes)) == DISTINCT_CODES == 96_498

    @given(st.integers(min_value=0, max_value=2 * DISTINCT_CODES))
    def test_every_code_is_a_commune_code(self, n: int) -> None:
        code = _commune_code(n)
        commune = Territory(code=code, name="X", kind=TerritoryKind.COMMUNE, population=1)
        assert commune.code == code

    def test_overseas_departements_are_not_reused_past_their_99_codes(self) -> None:
        """Past 99 communes a département, only two-digit départements take codes."""
        codes = [_commune_code(n) for n in range(DISTINCT_CODES)]
        overseas = [code for code in codes if code.startswith("97")]
        assert len(overseas) == 6 * 99
        assert all(code[3:] != "00" for code in overseas)


def test_a_national_size_cohort_has_distinct_codes() -> None:
    """Past 10,098 communes the overseas codes used to repeat."""
    cohort = synthetic_cohort(12_000, seed=2016, epci_share=0.04, populations="france")
    codes = [d.territory.code for d in cohort]
    assert len(set(codes)) == len(codes)
    assert sum(d.territory.kind is TerritoryKind.COMMUNE for d in cohort) > 10_098


@pytest.mark.parametrize("year", referential.years())
def test_the_cohorts_of_every_year_are_read_by_its_rules(year: int) -> None:
    """The 2014 referential has no `site-internet`: its cohorts used to be refused."""
    rules = referential.ruleset(year)
    for cohort in (
        synthetic_cohort(40, seed=1, year=year, epci_share=0.1),
        referential.national_cohort(30, seed=2, year=year),
    ):
        grades = [assess(d, rules).grade for d in cohort]
        assert Scorer(rules).grades(cohort) == grades
        assert len(set(grades)) >= 3
