"""The label's referentials and rules by year, a sample commune and synthetic cohorts.

``years()`` lists the built-in label years; ``taxonomy(year)`` and
``ruleset(year)`` give each year's referential and rules, with their sources.
The 2014 referential is the one ATLAAS published; the 2016 and 2017 ones are
partly reconstructed. What is published and what is reconstructed, and why, is
told in the docs (*The referential, year by year*, *The label's rules*).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from villes_label.referential import _palmares, _strata
from villes_label.referential._national import national_cohort
from villes_label.referential._palmares import palmares_cohort
from villes_label.referential._registry import renames, ruleset, taxonomy, upgrade, years
from villes_label.referential._samples import sample_dossier, synthetic_cohort

if TYPE_CHECKING:
    from villes_label._rules import Ruleset
    from villes_label._taxonomy import Taxonomy

#: How many collectivités got each grade, 1 to 5, in the 2016 palmarès (Localtis, 2016).
PALMARES_2016 = _palmares.PALMARES_2016

#: The strata of the 2016 and 2017 rules and what covers an issue and a theme in each.
EXPECTATIONS = _strata.EXPECTATIONS

__all__ = [
    "EXPECTATIONS",
    "PALMARES_2016",
    "default_ruleset",
    "default_taxonomy",
    "national_cohort",
    "palmares_cohort",
    "renames",
    "ruleset",
    "sample_dossier",
    "synthetic_cohort",
    "taxonomy",
    "upgrade",
    "years",
]

DEFAULT_YEAR = 2016
"""The year of `default_taxonomy` and `default_ruleset`."""


@cache
def default_taxonomy() -> Taxonomy:
    """The label's 2016 referential: 4 themes, 16 issues (*enjeux*), 131 services.

    ``taxonomy(2016)``. Partly reconstructed (the 16th issue, the grouping and
    the services are not published); each node names its source.

    >>> tax = default_taxonomy()
    >>> [theme.name for theme in tax.themes]  # doctest: +NORMALIZE_WHITESPACE
    ['Démocratie et services publics', 'Vivre ensemble', 'Partage des connaissances',
     'Création de richesses']
    """
    return taxonomy(DEFAULT_YEAR)


@cache
def default_ruleset() -> Ruleset:
    """The label's rules for the 2016 referential (a reasoned reconstruction): ``ruleset(2016)``.

    Size-aware: a collectivité is graded on what can be expected of its size
    (`EXPECTATIONS`): an issue is covered by one deployed service in a village,
    two in a town of 3,000 to 20,000 inhabitants, up to four in a large city or
    a metropole, and for the smaller collectivités a theme by part of its
    issues. The minimum scores are those that reproduce the 2016 palmarès (40,
    37, 31, 25 and 30 collectivités at 1 to 5 @) on `palmares_cohort`: 1 @ from
    0, 2 @ from 31/72, 3 @ from 7/12, 4 @ from 5/8, 5 @ from 11/15. A website
    is required from 2 @; 4 @ and 5 @ also need strong citizen participation
    (the *démocratie locale* issue at 50 % then 70 % of what is expected, its
    theme at 50 % then 65 %), and 5 @ at least 50 % on every theme. Services
    that only concern larger towns, or competences a territory may not hold, do
    not count against it.

    >>> rules = default_ruleset()
    >>> [str(rule.min_score) for rule in rules.grades]
    ['0', '31/72', '7/12', '5/8', '11/15']
    >>> [e.stratum for e in rules.expectations][:4]
    ['village', 'petite-ville', 'ville-moyenne', 'grande-ville']
    """
    return ruleset(DEFAULT_YEAR)
