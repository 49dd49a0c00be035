"""The sources of the built-in referentials and rules: where each piece comes from.

A published source is a public text; a source with ``published=False`` is a
reconstruction of this library, argued in the documentation page it points to.
"""

from __future__ import annotations

from villes_label._taxonomy import Source

__all__ = [
    "ATLAAS_2014",
    "LOCALTIS_2016",
    "RECONSTRUCTION_REFERENTIAL",
    "RECONSTRUCTION_RULES",
    "REGLEMENT",
    "REPUBLIQUE_NUMERIQUE",
]

ATLAAS_2014 = Source(
    id="atlaas-2014",
    title="ATLAAS, the map of initiatives of Villes Internet: "
    "« Classement des types de services » (FAQ of the portal)",
    address="https://github.com/makinacorpus/atlaas/blob/master/pages/faq.md",
    date="2014-07-22",
)
LOCALTIS_2016 = Source(
    id="localtis-2016",
    title="Localtis (Banque des Territoires): the 2016 label and the new platform "
    "of 131 services, 16 enjeux and 4 themes",
    address="https://www.banquedesterritoires.fr",
    date="2016-02",
)
REGLEMENT = Source(
    id="villes-internet-reglement",
    title="Villes Internet, Règlement and présentation du label "
    "(4 themes, the enjeux, 139 services from the 2017 label, at least one @ for every candidate)",
    address="https://www.villes-internet.net",
    date="2017",
)
REPUBLIQUE_NUMERIQUE = Source(
    id="loi-republique-numerique",
    title="Loi pour une République numérique: open data duty from 3,500 inhabitants and 50 agents",
    address="https://www.legifrance.gouv.fr/loda/id/JORFTEXT000033202746",
    date="2016-10-07",
)
RECONSTRUCTION_REFERENTIAL = Source(
    id="villes-label-referential",
    title="villes_label: reconstruction of the referential, argued in “The referential, year by year”",
    address="docs/explanation/referential.md",
    published=False,
)
RECONSTRUCTION_RULES = Source(
    id="villes-label-rules",
    title="villes_label: reconstruction of the rules, argued in “The label’s rules”",
    address="docs/explanation/label-rules.md",
    published=False,
)
