"""Scale-out on an existing engine: a partitioned cohort on a local Dask cluster of processes.

The scorer travels to the worker processes as its ruleset alone; what the cluster computes
equals what one process computes, for the cohort and for every rule variant.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import pytest
from dask.distributed import Client, LocalCluster

from villes_label import Ruleset, Scorer, assess, default_ruleset, dossiers_frame
from villes_label.referential import synthetic_cohort

if TYPE_CHECKING:
    from collections.abc import Iterator

RULES = default_ruleset()


def shifted(rules: Ruleset, points: int) -> Ruleset:
    move = Fraction(points, 100)
    grades = [
        attrs.evolve(rule, min_score=min(max(rule.min_score + move, Fraction(0)), Fraction(1)))
        for rule in rules.grades
    ]
    return rules.replace(grades=grades)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    # dask.distributed's constructors and some methods are not annotated.
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            # Any free port on loopback: a busy default port would only warn.
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Client(cluster) as connected,  # type: ignore[no-untyped-call]
    ):
        yield connected


class TestOnALocalCluster:
    """Partitioned over worker processes, the results are the single-process results."""

    def test_partitioned_cohort_and_rule_variants(self, client: Client) -> None:
        cohort = synthetic_cohort(
            120, seed=5, epci_share=0.04, populations="france", opt_out_rate=0.3, action_share=0.5
        )
        partitions = [
            dossiers_frame(cohort[start : start + 40], taxonomy=RULES.taxonomy)
            for start in range(0, len(cohort), 40)
        ]
        variants = [Scorer(shifted(RULES, points)) for points in (-10, 0, 10)]
        shipped = client.scatter(partitions)  # type: ignore[no-untyped-call]
        futures = [client.map(v.grade_frame, shipped) for v in variants]
        on_cluster = client.gather(futures)  # type: ignore[no-untyped-call]
        assert len(client.scheduler_info()["workers"]) == 2
        whole = dossiers_frame(cohort, taxonomy=RULES.taxonomy)
        for variant, parts in zip(variants, on_cluster, strict=True):
            alone = variant.grade_frame(whole)
            assert [g for part in parts for g in part["grade"]] == list(alone["grade"])
            assert [s for part in parts for s in part["score"]] == list(alone["score"])
            assert list(alone["grade"]) == [assess(d, variant.ruleset).grade for d in cohort]
        # The variants do differ: the study measures something.
        assert len({tuple(g for part in parts for g in part["grade"]) for parts in on_cluster}) == 3

    def test_the_scorer_travels_by_itself(self, client: Client) -> None:
        cohort = synthetic_cohort(50, seed=6, opt_out_rate=0.3)
        scorer = Scorer(RULES)
        remote = client.submit(scorer.scores, list(cohort)).result()
        assert remote == [assess(d, RULES).score for d in cohort]
