"""Score a partitioned cohort, and a rule-sensitivity study, on a local Dask cluster.

A cohort of fictional territories with realistic dossiers (every size of commune, 4 % of
intercommunal bodies, opt-outs, actions) is cut into partitions, each a wide DataFrame
(`villes_label.dossiers_frame`). The partitions are shipped once to the workers of a
`dask.distributed` LocalCluster of 2 worker processes; the tasks are
`Scorer.grade_frame` of a scorer, which travels as its ruleset alone.

1. The cohort is graded on the cluster, then in this process: the grades and exact scores
   must be the same.
2. A sensitivity study: the 2016 rules with every grade's minimum score shifted by
   -10 to +10 points, each variant over every partition, on the cluster. The grade
   distributions must equal those computed in this process.

The script exits with a non-zero status if anything differs.

Needs the extras ``frames`` and ``dask``:  pip install 'villes-label[frames,dask]'
Run: python examples/dask_cohort.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from fractions import Fraction

import attrs
from dask.distributed import Client, LocalCluster

import villes_label as vl
from villes_label.referential import synthetic_cohort

TERRITORIES = 6_000
PARTITIONS = 6
SEED = 2016
SHIFTS = range(-10, 11, 2)
"""Points added to every grade's minimum score, one rule variant each."""


def shifted(rules: vl.Ruleset, points: int) -> vl.Ruleset:
    """The rules with every minimum score moved by *points* (kept within 0..100)."""
    move = Fraction(points, 100)
    grades = [
        attrs.evolve(rule, min_score=min(max(rule.min_score + move, Fraction(0)), Fraction(1)))
        for rule in rules.grades
    ]
    return rules.replace(name=f"{rules.name}, thresholds {points:+d} points", grades=grades)


def distribution(graded) -> list[int]:
    counts = Counter(graded["grade"])
    return [counts[grade] for grade in range(6)]


def main() -> int:
    rules = vl.default_ruleset()
    cohort = synthetic_cohort(
        TERRITORIES,
        seed=SEED,
        epci_share=0.04,
        populations="france",
        opt_out_rate=0.3,
        action_share=0.5,
    )
    size = -(-len(cohort) // PARTITIONS)
    partitions = [
        vl.dossiers_frame(cohort[start : start + size], taxonomy=rules.taxonomy)
        for start in range(0, len(cohort), size)
    ]
    variants = {points: vl.Scorer(shifted(rules, points)) for points in SHIFTS}
    scorer = variants[0]

    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            # Any free port on loopback: a busy default port would only warn.
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Client(cluster) as client,
    ):
        # Ship the partitions once; every task then names them by their futures.
        shipped = client.scatter(partitions)
        # Every task at once (a variant x a partition); Dask schedules them over the workers.
        futures = {
            points: client.map(variant.grade_frame, shipped) for points, variant in variants.items()
        }
        studied = client.gather(futures)
        graded = studied[0]
    cluster_time = time.perf_counter() - start

    start = time.perf_counter()
    whole = vl.dossiers_frame(cohort, taxonomy=rules.taxonomy)
    alone = scorer.grade_frame(whole)
    alone_study = {points: variant.grade_frame(whole) for points, variant in variants.items()}
    local_time = time.perf_counter() - start

    failures = []
    grades = [g for part in graded for g in part["grade"]]
    scores = [s for part in graded for s in part["score"]]
    if grades != list(alone["grade"]) or scores != list(alone["score"]):
        failures.append("the partitioned grades or scores differ from the single-process ones")
    # Spot-check the single-process path against assess itself.
    sample = cohort[:: max(1, len(cohort) // 200)]
    if [vl.assess(d, rules).grade for d in sample] != list(alone["grade"])[
        :: max(1, len(cohort) // 200)
    ]:
        failures.append("the frame path differs from assess")

    print(
        f"{len(cohort):,} territories in {len(partitions)} partitions, "
        f"2 worker processes; {len(variants)} rule variants"
    )
    print(f"{'minimum scores':>16}" + "".join(f"{g} @".rjust(8) for g in range(6)))
    for points in SHIFTS:
        on_cluster = [
            sum(column) for column in zip(*map(distribution, studied[points]), strict=True)
        ]
        here = distribution(alone_study[points])
        if on_cluster != here:
            failures.append(f"variant {points:+d}: {on_cluster} on the cluster, {here} here")
        print(f"{points:+13d} pt" + "".join(f"{n:8,}" for n in on_cluster))
    print(f"cluster (start-up included): {cluster_time:.1f} s; one process: {local_time:.1f} s")
    for failure in failures:
        print(f"MISMATCH: {failure}", file=sys.stderr)
    if failures:
        return 1
    print("The cluster's results equal the single-process results.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
