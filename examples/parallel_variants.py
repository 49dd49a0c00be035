"""Grade a cohort under several variants of the rules, in parallel processes.

A `Scorer` is pure and picklable: it travels to a worker process as its ruleset
alone (its compiled tables are rebuilt there on first use), so variants of the
rules can be spread over processes, or machines, with nothing shared. Each
worker builds the cohort once, from its seed, then grades it under every
variant it is given: only the seed and the scorers cross the process boundary
(a real cohort, read from files, would be read by each worker the same way).
The cohort is synthetic: 10,000 fictional communes (building the 34,945 of a
national cohort takes seconds per process; grading it, a fraction of a second).

Run: python examples/parallel_variants.py
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from functools import cache

import attrs

import villes_label as vl
from villes_label import Status
from villes_label.referential import synthetic_cohort

COMMUNES = 10_000
SEED = 2016


@cache
def cohort() -> tuple[vl.Dossier, ...]:
    """The cohort, built once per process from its seed."""
    return synthetic_cohort(COMMUNES, seed=SEED)


def distribution(scorer: vl.Scorer) -> list[int]:
    """How many communes get each grade 0..5 (runs in a worker process)."""
    counts = Counter(scorer.grades(cohort()))
    return [counts[grade] for grade in range(6)]


def with_grade(rules: vl.Ruleset, arobases: int, **changes: object) -> vl.Ruleset:
    """The ruleset with some fields of one grade rule changed."""
    grades = [
        attrs.evolve(rule, **changes) if rule.arobases == arobases else rule
        for rule in rules.grades
    ]
    return rules.replace(grades=grades)


def variants(rules: vl.Ruleset) -> dict[str, vl.Ruleset]:
    """The label's 2016 rules and five what-if variants, each one change away."""
    return {
        "2016 rules": rules,
        "4 @ without participation gates": with_grade(
            rules, 4, min_theme_scores={}, min_issue_scores={}
        ),
        "planned earns 1/4": rules.replace(credits={Status.PLANNED: Fraction(1, 4)}),
        "3 @ from 62.5 points": with_grade(rules, 3, min_score=Fraction(5, 8)),
        "5 @ from 70 points": with_grade(rules, 5, min_score=Fraction(70, 100)),
        "no website required": rules.replace(
            grades=[attrs.evolve(rule, required_services=frozenset()) for rule in rules.grades]
        ),
    }


def main() -> None:
    start = time.perf_counter()
    scorers = {name: vl.Scorer(rules) for name, rules in variants(vl.default_ruleset()).items()}
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = dict(zip(scorers, pool.map(distribution, scorers.values()), strict=True))
    elapsed = time.perf_counter() - start

    print(f"{COMMUNES:,} synthetic communes, {len(scorers)} rulesets, 2 worker processes")
    print(f"{'':34}" + "".join(f"{grade} @".rjust(8) for grade in range(6)))
    for name, counts in results.items():
        print(f"{name:34}" + "".join(f"{n:8,}" for n in counts))
    print(f"done in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
