"""A sample commune and seeded synthetic cohorts, for demos, examples and benchmarks.

The data is fictional. Generation uses a private `random.Random` seeded by the
caller, so the same arguments always give the same dossiers.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

from villes_label._territory import Action, Dossier, Status, Territory, TerritoryKind
from villes_label.referential._registry import ruleset, taxonomy, years

if TYPE_CHECKING:
    import random

__all__ = ["sample_dossier", "synthetic_cohort"]

_DEPARTMENTS = tuple(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)
_EPCI_KINDS = (
    TerritoryKind.COMMUNAUTE_DE_COMMUNES,
    TerritoryKind.COMMUNAUTE_D_AGGLOMERATION,
    TerritoryKind.COMMUNAUTE_URBAINE,
    TerritoryKind.METROPOLE,
)
_STATUSES = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)


@cache
def sample_dossier() -> Dossier:
    """A fictional commune of 12,400 inhabitants and its 2016 dossier.

    It is good at public services, has nothing yet for social cohesion,
    innovation or tourism, and is weak in citizen participation (a council
    streamed in part, a participatory budget only planned): the default rules
    give it 3 @, one step from 4 @ through the participation gate.

    >>> d = sample_dossier()
    >>> d.territory.name, d.year
    ('Saint-Exemple-sur-Vilaine', 2016)
    """
    territory = Territory(
        code="35999",
        name="Saint-Exemple-sur-Vilaine",
        kind=TerritoryKind.COMMUNE,
        population=12_400,
    )
    d, p, h, a, na = (
        Status.DEPLOYED,
        Status.PARTIAL,
        Status.PLANNED,
        Status.ABSENT,
        Status.NOT_APPLICABLE,
    )
    services = {
        # Démocratie et services publics: good public services, little participation yet.
        # The council is streamed but not archived; a participatory budget is planned.
        "retransmission-conseil-municipal": p,
        "budget-participatif": h,
        "petitions-en-ligne": a,
        "annuaire-associations": p,
        "site-internet": d,
        "demarches-en-ligne": d,
        "paiement-en-ligne": d,
        "prise-de-rendez-vous": p,
        "protection-donnees-personnelles": d,
        "mutualisation-intercommunale": p,
        # Vivre ensemble: informs well, nothing yet for social cohesion.
        "agenda-evenements": d,
        "bulletin-municipal-en-ligne": d,
        "annuaire-services-sociaux": d,
        # Every commune can run it: the rules allow no opt-out, so it is declared absent.
        "covoiturage-local": a,
        # Partage des connaissances (the public digital space is an action, below).
        "portail-famille": d,
        "mediatheque-en-ligne": d,
        # Création de richesses: the weakest theme; tourism, waste and the fablab are
        # run by the intercommunality, so the commune declares them not applicable.
        "marches-publics-dematerialises": d,
        "offres-emploi-locales": d,
        "suivi-energie-batiments": d,
        "eclairage-public-intelligent": h,
        "office-tourisme-en-ligne": na,
        "collecte-dechets-connectee": na,
        "fablab": na,
    }
    actions = (
        Action(
            id="epn-mediatheque",
            title="Espace public numérique de la médiathèque",
            services=frozenset({"espace-public-numerique", "ateliers-numeriques-seniors"}),
            status=Status.DEPLOYED,
        ),
        Action(
            id="conseillers-numeriques",
            title="Deux médiateurs numériques itinérants",
            services=frozenset(
                {
                    "mediateurs-numeriques",
                    "permanences-numeriques-itinerantes",
                    "accompagnement-demarches-en-ligne",
                }
            ),
            status=Status.PLANNED,
        ),
        Action(
            id="tiers-lieu-gare",
            title="Tiers-lieu de la gare",
            services=frozenset({"teletravail-tiers-lieu"}),
            status=Status.PLANNED,
        ),
    )
    return Dossier(territory=territory, year=2016, services=services, actions=actions)


# The first communes are numbered 1 to 99 in every département, overseas ones included
# (their codes have two digits left); the next ones 100 to 999 in the two-digit
# départements only. The codes of a cohort are all different up to `DISTINCT_CODES`.
_METROPOLITAN = tuple(d for d in _DEPARTMENTS if len(d) == 2)
_SMALL_NUMBERS = 99 * len(_DEPARTMENTS)
DISTINCT_CODES = _SMALL_NUMBERS + 900 * len(_METROPOLITAN)


def _commune_code(n: int) -> str:
    """The code of the *n*-th fictional commune (0-based): distinct below `DISTINCT_CODES`."""
    if n < _SMALL_NUMBERS:
        department = _DEPARTMENTS[n % len(_DEPARTMENTS)]
        number = n // len(_DEPARTMENTS) + 1
    else:
        m = (n - _SMALL_NUMBERS) % (DISTINCT_CODES - _SMALL_NUMBERS)
        department = _METROPOLITAN[m % len(_METROPOLITAN)]
        number = m // len(_METROPOLITAN) + 100
    return f"{department}{number:0{5 - len(department)}d}"


def synthetic_cohort(
    size: int,
    *,
    seed: int = 0,
    year: int = 2016,
    epci_share: float = 0.0,
    min_population: int = 10,
    max_population: int = 1_000_000,
    populations: str = "log-uniform",
    opt_out_rate: float = 0.0,
    action_share: float = 0.0,
) -> tuple[Dossier, ...]:
    """A seeded cohort of *size* fictional territories with realistic dossiers.

    Populations are log-uniform between *min_population* and *max_population*;
    each territory has a hidden strength that sets how many services it
    declares and how far they are deployed. The number declared also grows
    with the logarithm of the population, as the size-aware expectations of
    the rules do (a strong village declares about 15 services, a strong city
    of 100,000 about 70), so every grade occurs in every size band. A share *epci_share* of the territories
    are intercommunal bodies. The communes' codes are all different within a cohort of
    up to 96,498 communes (overseas départements have 99 codes each), the intercommunal
    bodies' always.

    Three options make the cohort harder, as real ones are (the defaults
    leave them off, and the same seed then gives the same cohort as before):

    - ``populations="france"`` draws communes by a size mix that looks like
      France's (about half under 500 inhabitants, a few hundred over 20,000),
      ignoring *min_population* and *max_population*; intercommunal bodies
      take a kind (communauté de communes, d'agglomération, urbaine, métropole)
      and a population that suit it. The mix is illustrative, not INSEE's figures.
    - ``opt_out_rate``: each service that the 2016 rules let a territory opt out
      of is declared not applicable with this probability.
    - ``action_share``: this share of the dossiers also declares 1 to 5 actions,
      each delivering 1 to 3 services.

    >>> hard = synthetic_cohort(
    ...     200, seed=1, epci_share=0.04, populations="france", opt_out_rate=0.3, action_share=0.5
    ... )
    >>> sum(1 for d in hard if d.actions) > 50, sum(d.territory.kind.is_epci for d in hard) > 0
    (True, True)

    >>> cohort = synthetic_cohort(3, seed=1)
    >>> [d.territory.kind.value for d in cohort]
    ['commune', 'commune', 'commune']
    >>> synthetic_cohort(3, seed=1) == cohort
    True
    """
    if size < 0:
        msg = f"size must be >= 0, got {size}"
        raise ValueError(msg)
    if populations not in {"log-uniform", "france"}:
        msg = f"populations must be 'log-uniform' or 'france', got {populations!r}"
        raise ValueError(msg)
    import random  # noqa: PLC0415 - only cohorts need it; keeps `import villes_label` light

    rng = random.Random(seed)  # noqa: S311 - fictional data, not secrets
    built_in = year if year in years() else 2016
    service_ids = [service.id for service in taxonomy(built_in).services]
    website = "site-internet" in service_ids
    opt_outs = _opt_out_ids(built_in) if opt_out_rate > 0 else ()
    france = populations == "france"
    low, high = math.log10(max(min_population, 1)), math.log10(max_population)
    cohort = []
    for n in range(size):
        population = int(10 ** rng.uniform(low, high))
        strength = rng.random()
        if rng.random() < epci_share:
            if france:
                kind, population = _epci_like_france(rng)
            else:
                kind = _EPCI_KINDS[rng.randrange(len(_EPCI_KINDS))]
                population = max(population, 5_000)
            code = f"{200_000_000 + n:09d}"
            name = f"Communauté exemple {n}"
        else:
            if france:
                population = _commune_size_like_france(rng)
            kind = TerritoryKind.COMMUNE
            code = _commune_code(n)
            name = f"Commune exemple {n}"
        # What a territory records grows with its strength and, as the size-aware
        # expectations do, with the logarithm of its population: a strong village
        # records a dozen services, a strong large city most of the referential.
        scale = max(1.0, math.log10(max(population, 10)) - 1.5)
        declared = min(len(service_ids), round(scale * 14 * (0.1 + 1.5 * strength)))
        chosen = rng.sample(service_ids, declared)
        weights = (1 - strength, 0.3, 0.5, 0.2 + 2.5 * strength)
        statuses = rng.choices(_STATUSES, weights=weights, k=declared)
        services = dict(zip(chosen, statuses, strict=True))
        # Nearly every candidate has a website, "le minimum vital" (a service of its
        # own from 2016; the 2014 referential has none of that name).
        if rng.random() < 0.8 + 0.2 * strength and website:
            services["site-internet"] = Status.DEPLOYED
        for sid in opt_outs:
            if rng.random() < opt_out_rate:
                services[sid] = Status.NOT_APPLICABLE
        actions: tuple[Action, ...] = ()
        if action_share > 0 and rng.random() < action_share:
            open_ids = [
                sid for sid in service_ids if services.get(sid) is not Status.NOT_APPLICABLE
            ]
            actions = tuple(
                Action(
                    id=f"action-{k + 1}",
                    title=f"Initiative {k + 1}",
                    services=frozenset(rng.sample(open_ids, rng.randint(1, 3))),
                    status=rng.choice(_STATUSES[1:]),
                )
                for k in range(rng.randint(1, 5))
            )
        cohort.append(
            Dossier(
                territory=Territory(code=code, name=name, kind=kind, population=population),
                year=year,
                services=services,
                actions=actions,
            )
        )
    return tuple(cohort)


# An illustrative size mix of French communes: (share, smallest, largest population).
_COMMUNE_SIZES = (
    (0.26, 10, 200),
    (0.27, 200, 500),
    (0.19, 500, 1_000),
    (0.13, 1_000, 2_000),
    (0.065, 2_000, 3_500),
    (0.025, 3_500, 5_000),
    (0.03, 5_000, 10_000),
    (0.013, 10_000, 20_000),
    (0.0085, 20_000, 50_000),
    (0.0025, 50_000, 100_000),
    (0.001, 100_000, 2_200_000),
)
# Kinds of intercommunal bodies: (share, kind, smallest, largest population).
_EPCI_SIZES = (
    (0.8, TerritoryKind.COMMUNAUTE_DE_COMMUNES, 3_000, 100_000),
    (0.16, TerritoryKind.COMMUNAUTE_D_AGGLOMERATION, 50_000, 500_000),
    (0.02, TerritoryKind.COMMUNAUTE_URBAINE, 100_000, 600_000),
    (0.02, TerritoryKind.METROPOLE, 200_000, 2_200_000),
)


def _log_between(rng: random.Random, low: int, high: int) -> int:
    return int(10 ** rng.uniform(math.log10(low), math.log10(high)))


def _commune_size_like_france(rng: random.Random) -> int:
    ((_, low, high),) = rng.choices(_COMMUNE_SIZES, weights=[s for s, _, _ in _COMMUNE_SIZES])
    return _log_between(rng, low, high)


def _epci_like_france(rng: random.Random) -> tuple[TerritoryKind, int]:
    ((_, kind, low, high),) = rng.choices(_EPCI_SIZES, weights=[s for s, *_ in _EPCI_SIZES])
    return kind, _log_between(rng, low, high)


@cache
def _opt_out_ids(year: int) -> tuple[str, ...]:
    """The services the rules of *year* let a territory opt out of, in taxonomy order."""
    rules = ruleset(year)
    return tuple(
        service.id
        for service in rules.taxonomy.services
        if (rule := rules.applicability.get(service.id)) is not None and rule.opt_out
    )
