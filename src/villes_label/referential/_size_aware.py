"""The 2016 rules re-derived for size-aware grading, calibrated on the 2016 palmarès.

The same referential, applicability, gates and mentions as `default_ruleset`,
with the strata of `EXPECTATIONS` (what covers an issue, and for the smaller
collectivités a theme, by size) and the thresholds that `calibrate` sets to
reproduce the 2016 palmarès exactly (40, 37, 31, 25 and 30 collectivités at 1
to 5 @) on `palmares_cohort()`; grade 1 stays at 0, since every participant
gets one @. Why each choice: the docs page *Size-aware grading*.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING

import attrs

from villes_label.referential._registry import ruleset
from villes_label.referential._strata import EXPECTATIONS

if TYPE_CHECKING:
    from villes_label._rules import Ruleset

__all__ = ["SIZE_AWARE_THRESHOLDS", "size_aware_ruleset"]

SIZE_AWARE_THRESHOLDS: dict[int, Fraction] = {
    1: Fraction(0),
    2: Fraction(31, 72),
    3: Fraction(7, 12),
    4: Fraction(5, 8),
    5: Fraction(11, 15),
}
"""The minimum scores of the size-aware 2016 rules, as `calibrate` sets them on the palmarès."""


@cache
def size_aware_ruleset() -> Ruleset:
    """The label's 2016 rules with size-aware expectations, calibrated on the 2016 palmarès.

    >>> rules = size_aware_ruleset()
    >>> [str(rule.min_score) for rule in rules.grades]
    ['0', '31/72', '7/12', '5/8', '11/15']
    >>> [e.stratum for e in rules.expectations][:4]
    ['village', 'petite-ville', 'ville-moyenne', 'grande-ville']
    """
    rules = ruleset(2016)
    return rules.replace(
        name="Villes Internet 2016 (reconstruction, size-aware)",
        expectations=EXPECTATIONS,
        grades=tuple(
            attrs.evolve(rule, min_score=SIZE_AWARE_THRESHOLDS[rule.arobases])
            for rule in rules.grades
        ),
    )
