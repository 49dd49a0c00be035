"""Benchmarks of `assess` and `recommend`: per dossier, and on large referentials.

Figures, never assertions. Every timing is the median of several runs, in CPU
time (time.process_time; a garbage collection before each). The dossiers are built
here, with only the API every version of the library has, so that the same file
measures an older checkout too (run it with ``PYTHONPATH=<old>/src``):

- the sample commune (`referential.sample_dossier`);
- *realistic* dossiers of the default rules: about 70 % of the services declared at
  a random status, each opt-out service declared not applicable with probability
  0.3, and half the dossiers with 1 to 5 actions of 1 to 4 services;
- synthetic referentials of 1,000 to 100,000 services (4 themes of 4 issues, the
  default rules' shape of thresholds and gates), one dossier declaring half of
  the services at random statuses.

Run: python benchmarks/bench_assess.py [--quick] [--max-services N]
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import sys
import time
from fractions import Fraction

import villes_label as vl
from villes_label import (
    Action,
    Dossier,
    GradeRule,
    Issue,
    Ruleset,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
)
from villes_label.referential import sample_dossier

CREDITED = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)
DEPARTMENTS = [n for n in range(1, 96) if n != 20]  # 20 became 2A and 2B (Corsica)


def timed(function, runs):
    """Median CPU time of *runs* calls (time.process_time).

    CPU time, not wall time: before and after are measured in separate
    processes, and on a machine shared with other jobs the CPU time does not
    count the waits for a free CPU. (The library is single-threaded.)
    """
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def realistic_dossiers(rules, count, seed):
    rng = random.Random(seed)
    ids = [service.id for service in rules.taxonomy.services]
    optional = sorted(sid for sid, rule in rules.applicability.items() if rule.opt_out)
    dossiers = []
    for n in range(count):
        services = {sid: rng.choice(CREDITED) for sid in ids if rng.random() < 0.7}
        for sid in optional:
            if rng.random() < 0.3:
                services[sid] = Status.NOT_APPLICABLE
        deliverable = [sid for sid in ids if services.get(sid) is not Status.NOT_APPLICABLE]
        actions = tuple(
            Action(
                id=f"a{k}",
                title=f"Action {k}",
                services=frozenset(rng.sample(deliverable, rng.randint(1, 4))),
                status=rng.choice((Status.PARTIAL, Status.DEPLOYED)),
            )
            for k in range(rng.randint(1, 5) if n % 2 else 0)
        )
        population = int(10 ** rng.uniform(2, 6))
        territory = Territory(
            code=f"{rng.choice(DEPARTMENTS):02d}{rng.randint(1, 999):03d}",
            name=f"Commune {n}",
            kind=TerritoryKind.COMMUNE,
            population=population,
        )
        dossiers.append(Dossier(territory=territory, year=2016, services=services, actions=actions))
    return dossiers


def large_referential(services, seed=0):
    """A ruleset of *services* services shaped like the label's, and one dossier for it."""
    rng = random.Random(seed)
    per_issue = services // 16
    themes, k = [], 0
    for t in range(4):
        issues = []
        for i in range(4):
            members = tuple(
                Service(id=f"s{k + j}", name=f"Service {k + j}") for j in range(per_issue)
            )
            k += per_issue
            issues.append(Issue(id=f"i{t}{i}", name=f"Issue {t}.{i}", services=members))
        themes.append(Theme(id=f"t{t}", name=f"Theme {t}", issues=tuple(issues)))
    taxonomy = Taxonomy(name="large", version="1", themes=tuple(themes))
    grades = tuple(
        GradeRule(
            arobases=g,
            min_score=Fraction(g, 7),
            min_issue_scores={"i00": Fraction(g, 8)} if g >= 4 else {},
            min_each_theme=Fraction(g - 1, 10),
        )
        for g in range(1, 6)
    )
    rules = Ruleset(name="large", year=2016, taxonomy=taxonomy, grades=grades)
    entries = {f"s{j}": rng.choice(CREDITED) for j in range(k) if rng.random() < 0.5}
    territory = Territory(
        code="35238", name="Rennes", kind=TerritoryKind.COMMUNE, population=220_000
    )
    return rules, Dossier(territory=territory, year=2016, services=entries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs and sizes")
    parser.add_argument("--max-services", type=int, default=100_000)
    options = parser.parse_args()
    runs = 3 if options.quick else 7
    print(f"# assess and recommend — villes_label from {vl.__file__}")
    print(f"Python {platform.python_version()}, {platform.machine()}, {sys.platform}\n")
    rules = vl.default_ruleset()
    sample = sample_dossier()
    cohort = realistic_dossiers(rules, 50 if options.quick else 200, seed=2016)

    per_sample = timed(lambda: [vl.assess(sample, rules) for _ in range(100)], runs) / 100
    per_realistic = timed(lambda: [vl.assess(d, rules) for d in cohort], runs) / len(cohort)
    plan_sample = timed(lambda: [vl.recommend(sample, rules) for _ in range(20)], runs) / 20
    plan_realistic = timed(lambda: [vl.recommend(d, rules) for d in cohort], runs) / len(cohort)
    print("| measure | per dossier |")
    print("| --- | ---: |")
    print(f"| `assess`, sample commune | {per_sample * 1e3:.3f} ms |")
    print(f"| `assess`, realistic dossiers ({len(cohort)}) | {per_realistic * 1e3:.3f} ms |")
    print(f"| `recommend`, sample commune | {plan_sample * 1e3:.3f} ms |")
    print(f"| `recommend`, realistic dossiers | {plan_realistic * 1e3:.3f} ms |")

    sizes = [1_000, 10_000] if options.quick else [1_000, 10_000, 100_000]
    print("\n| services | `assess` | `recommend` | grade, steps |")
    print("| ---: | ---: | ---: | --- |")
    for size in (s for s in sizes if s <= options.max_services):
        big_rules, dossier = large_referential(size)
        big_runs = 3 if size <= 10_000 else 1
        assess_time = timed(lambda r=big_rules, d=dossier: vl.assess(d, r), big_runs)
        plan_time = timed(lambda r=big_rules, d=dossier: vl.recommend(d, r), big_runs)
        result, plan = vl.assess(dossier, big_rules), vl.recommend(dossier, big_rules)
        print(
            f"| {size:,} | {assess_time:.3f} s | {plan_time:.3f} s | "
            f"{result.grade}, {len(plan.steps)} steps to {plan.target} |"
        )


if __name__ == "__main__":
    main()
