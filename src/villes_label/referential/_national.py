"""A seeded national cohort on real départements, with dated initiatives and their actors.

The territories, their services and their initiatives are fictional; the
départements and régions they lie in are real (INSEE codes). Generation uses a
private `random.Random` seeded by the caller, so the same arguments give the same
dossiers.
"""

from __future__ import annotations

import datetime as dt

import attrs

from villes_label._geo import departements
from villes_label._initiatives import Actor, ActorRole, Place
from villes_label._territory import Action, Dossier, Status
from villes_label.referential._registry import taxonomy, years
from villes_label.referential._samples import synthetic_cohort

__all__ = ["national_cohort"]

# "{name}" is the territory's, "{departement}" its département's: local actors are its own.
_ACTORS = (
    ("Service numérique de {name}", ActorRole.COLLECTIVITE),
    ("Syndicat informatique du {departement}", ActorRole.COLLECTIVITE),
    ("Association Cyber-Base de {name}", ActorRole.ASSOCIATION),
    ("Club informatique des aînés", ActorRole.ASSOCIATION),
    ("Atelier Web Exemple", ActorRole.COMPANY),
    ("Coopérative Libre Exemple", ActorRole.COMPANY),
    ("École élémentaire de {name}", ActorRole.SCHOOL),
    ("Collège du {departement}", ActorRole.SCHOOL),
    ("Médiathèque de {name}", ActorRole.PUBLIC_BODY),
    ("Habitants volontaires", ActorRole.OTHER),
)
_TITLES = ("Portail", "Atelier", "Plateforme", "Réseau", "Service en ligne", "Espace")
_CREDITED = frozenset({Status.PLANNED, Status.PARTIAL, Status.DEPLOYED})


def national_cohort(
    size: int,
    *,
    seed: int = 0,
    year: int = 2016,
    epci_share: float = 0.1,
    max_actions: int = 8,
) -> tuple[Dossier, ...]:
    """A seeded cohort of *size* fictional territories spread over the 101 real départements.

    The dossiers are those of `synthetic_cohort` (same seed, same strengths and
    services), placed at random on the départements: a commune's INSEE code
    starts with its département's, an EPCI says its ``departement``. Up to
    *max_actions* of each territory's declared services are carried by
    initiatives instead of plain entries: dated within the four years before
    the label *year* (so some are too old to count, unless ongoing), with one or
    two actors and a place in the territory's département (no coordinates:
    the communes are fictional).

    >>> cohort = national_cohort(4, seed=1)
    >>> [d.territory.known_departement for d in cohort]
    ['2B', '85', '44', '06']
    >>> national_cohort(4, seed=1) == cohort
    True
    """
    import random  # noqa: PLC0415 - only cohorts need it; keeps `import villes_label` light

    base = synthetic_cohort(size, seed=seed, year=year, epci_share=epci_share)
    rng = random.Random(f"national-{seed}")  # noqa: S311 - fictional data, not secrets
    codes = list(departements())
    names = {
        service.id: service.name.lower()
        for service in taxonomy(year if year in years() else 2016).services
    }
    used: set[str] = set()
    cohort = []
    for n, dossier in enumerate(base):
        departement = codes[rng.randrange(len(codes))]
        territory = dossier.territory
        commune = _commune(departement, rng.randrange(1, 10 ** (5 - len(departement))), used)
        if territory.kind.is_epci:
            territory = attrs.evolve(territory, departement=departement)
        else:
            territory = attrs.evolve(territory, code=commune)
        services = dict(dossier.services)
        carried = sorted(sid for sid, status in services.items() if status in _CREDITED)
        rng.shuffle(carried)
        actions = []
        for k, sid in enumerate(carried[: rng.randint(0, max_actions)]):
            status = services.pop(sid)
            start = dt.date(year - 4, 1, 1).toordinal()
            date = dt.date.fromordinal(rng.randint(start, dt.date(year - 1, 10, 31).toordinal()))
            picked = rng.sample(_ACTORS, rng.randint(1, 2))
            actions.append(
                Action(
                    id=f"{territory.code}-{k + 1}",
                    title=f"{_TITLES[rng.randrange(len(_TITLES))]} : {names[sid]}",
                    services=frozenset({sid}),
                    status=status,
                    date=date,
                    ongoing=rng.random() < 0.3,
                    summary=f"Initiative fictive n° {n}-{k + 1}.",
                    actors=tuple(
                        Actor(
                            name=name.format(name=territory.name, departement=departement),
                            role=role,
                        )
                        for name, role in picked
                    ),
                    place=Place(commune=commune),
                )
            )
        cohort.append(
            Dossier(territory=territory, year=year, services=services, actions=tuple(actions))
        )
    return tuple(cohort)


def _commune(departement: str, number: int, used: set[str]) -> str:
    """A commune code of *departement* not yet used in the cohort."""
    width = 5 - len(departement)
    limit = 10**width
    for step in range(limit):
        code = f"{departement}{(number + step) % limit:0{width}d}"
        if code not in used and (number + step) % limit:
            used.add(code)
            return code
    msg = f"département {departement} has no commune code left: the cohort is too large"
    raise ValueError(msg)
