"""The strata of territories and what covers an issue for each: size-aware expectations.

Published (see ``docs/explanation/size-aware-grading.md`` for the sources):
the label's results are not split by type ("un village 5 @ vaut une ville ou
un territoire 5 @"), rural communes and intercommunalités answer an adapted
questionnaire, "the more themes addressed, the more @ … the criteria differ
with the size of the collectivité", "the 5 @ lead on every front", and a
median of 24 initiatives per collectivité for the 2016 label. The only size
bands the label's press used are those of its 2006 palmarès: under 3,000
inhabitants, 3,000 to 20,000, 21,000 to 100,000, above 100,000; "villages"
are the communes under 3,000.

Reconstructed: the number of deployed services that covers an issue in each
band. The median collectivité (a town of the 3,000-20,000 band) publishes 24
initiatives for 16 issues, about 1.5 per issue: two services cover an issue
there. A village covers an issue with one, and each larger band asks one more
(a city of the 21,000-100,000 band three, a large city four): what is expected
grows with the logarithm of the population, as the means of a collectivité do
much more slowly than its population. Intercommunalities, whose questionnaire
is adapted too, are asked as much as the communes of their size band from
20,000 inhabitants on, and two services below.
"""

from __future__ import annotations

from fractions import Fraction

from villes_label._expectations import Expectation
from villes_label._territory import TerritoryKind

__all__ = ["EXPECTATIONS", "STRATUM_BOUNDS"]

_COMMUNE = frozenset({TerritoryKind.COMMUNE})
_EPCI = frozenset(kind for kind in TerritoryKind if kind is not TerritoryKind.COMMUNE)

STRATUM_BOUNDS = (3_000, 20_000, 100_000)
"""The size bands of the label's 2006 palmarès (the only ones it published)."""

EXPECTATIONS: tuple[Expectation, ...] = (
    Expectation(
        stratum="village",
        name="Village (moins de 3 000 habitants)",
        kinds=_COMMUNE,
        max_population=3_000,
        coverage=Fraction(1),
        theme_breadth=Fraction(2),
    ),
    Expectation(
        stratum="petite-ville",
        name="Petite ville (3 000 à 20 000 habitants)",
        kinds=_COMMUNE,
        min_population=3_000,
        max_population=20_000,
        coverage=Fraction(2),
        theme_breadth=Fraction(3),
    ),
    Expectation(
        stratum="ville-moyenne",
        name="Ville moyenne (20 000 à 100 000 habitants)",
        kinds=_COMMUNE,
        min_population=20_000,
        max_population=100_000,
        coverage=Fraction(3),
    ),
    Expectation(
        stratum="grande-ville",
        name="Grande ville (100 000 habitants et plus)",
        kinds=_COMMUNE,
        min_population=100_000,
        coverage=Fraction(4),
    ),
    Expectation(
        stratum="intercommunalite",
        name="Intercommunalité (moins de 20 000 habitants)",
        kinds=_EPCI,
        max_population=20_000,
        coverage=Fraction(2),
        theme_breadth=Fraction(3),
    ),
    Expectation(
        stratum="agglomeration",
        name="Intercommunalité (20 000 à 100 000 habitants)",
        kinds=_EPCI,
        min_population=20_000,
        max_population=100_000,
        coverage=Fraction(3),
    ),
    Expectation(
        stratum="metropole",
        name="Grande intercommunalité (100 000 habitants et plus)",
        kinds=_EPCI,
        min_population=100_000,
        coverage=Fraction(4),
    ),
)
"""The strata of the 2016 and 2017 rules and the deployed services that cover an issue."""
