"""Benchmarks of the compiled scorer: ratios measured in one run, never asserted.

Every figure is the median of several runs of time.perf_counter (the minimum
is printed beside it). Competing timings are interleaved (a, b, a, b, ...) so
that a change in the machine's load hits both sides of a ratio alike; the
ratio of CPU times (time.process_time) is printed too, as a check that does
not count the time spent waiting for a CPU on a busy machine. The reference for batch
scoring is the *floor*: one dict lookup per declared service of every
dossier, ``sum(map(table.__getitem__, d.services))``, the least any pure
Python scorer has to do.

Run: python benchmarks/bench_scorer.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from fractions import Fraction

import villes_label as vl
from villes_label import (
    Applicability,
    Dossier,
    GradeRule,
    Issue,
    Ruleset,
    Scorer,
    Service,
    Status,
    Taxonomy,
    Territory,
    TerritoryKind,
    Theme,
)
from villes_label.referential import synthetic_cohort

NATIONAL = 34_945
"""About the number of French communes."""
SEED = 2016
DEPARTMENTS = [n for n in range(1, 96) if n != 20]  # 20 became 2A and 2B (Corsica)
STATUSES = (Status.ABSENT, Status.PLANNED, Status.PARTIAL, Status.DEPLOYED)


# --- timing ---------------------------------------------------------------------------


def timed(function):
    """Wall-clock time of one call (time.perf_counter)."""
    return clocked(function)[0]


def clocked(function):
    """Wall-clock and CPU time of one call (time.perf_counter, time.process_time)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def race(runs, **functions):
    """Median and minimum wall time, and median CPU time, of each function, runs interleaved."""
    times = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            times[name].append(clocked(function))
    return {
        name: (
            statistics.median(wall for wall, _ in ts),
            min(wall for wall, _ in ts),
            statistics.median(cpu for _, cpu in ts),
        )
        for name, ts in times.items()
    }


def ms(seconds):
    return f"{seconds * 1e3:,.1f} ms"


def floor_of(cohort, taxonomy):
    table = {service.id: 1 for service in taxonomy.services}

    def floor():
        for dossier in cohort:
            sum(map(table.__getitem__, dossier.services))

    return floor


# --- synthetic referentials of any size --------------------------------------------------


def synthetic_rules(services: int) -> Ruleset:
    """A ruleset shaped like the label's (4 themes, 16 issues) over *services* services."""
    ids = [f"s{n:03d}" for n in range(services)]
    issues = [[] for _ in range(16)]
    for n, sid in enumerate(ids):
        issues[n % 16].append(Service(id=sid, name=f"Service {n}"))
    themes = tuple(
        Theme(
            id=f"t{t}",
            name=f"Theme {t}",
            issues=tuple(
                Issue(id=f"t{t}-i{i}", name=f"Issue {t}.{i}", services=tuple(issues[4 * t + i]))
                for i in range(4)
            ),
        )
        for t in range(4)
    )
    taxonomy = Taxonomy(name="Synthetic", version=str(services), themes=themes)
    rng = random.Random(services)
    applicability = {}
    for sid in ids:
        draw = rng.random()
        if draw < 0.1:
            applicability[sid] = Applicability(min_population=rng.choice([3_500, 10_000, 50_000]))
        elif draw < 0.25:
            applicability[sid] = Applicability(opt_out=True)
    first = frozenset({ids[0]})
    return Ruleset(
        name=f"synthetic {services}",
        year=2016,
        taxonomy=taxonomy,
        grades=(
            GradeRule(arobases=1, min_score=0),
            GradeRule(arobases=2, min_score=Fraction(20, 100), required_services=first),
            GradeRule(arobases=3, min_score=Fraction(35, 100), required_services=first),
            GradeRule(
                arobases=4,
                min_score=Fraction(50, 100),
                min_theme_scores={"t0": Fraction(50, 100)},
                min_issue_scores={"t0-i0": Fraction(50, 100)},
                required_services=first,
            ),
            GradeRule(
                arobases=5,
                min_score=Fraction(65, 100),
                min_theme_scores={"t0": Fraction(65, 100)},
                min_issue_scores={"t0-i0": Fraction(70, 100)},
                min_each_theme=Fraction(50, 100),
                required_services=first,
            ),
        ),
        applicability=applicability,
    )


def cohort_for(taxonomy: Taxonomy, size: int, seed: int) -> tuple[Dossier, ...]:
    """Dossiers drawn like `synthetic_cohort`'s, for any taxonomy."""
    rng = random.Random(seed)
    ids = [service.id for service in taxonomy.services]
    cohort = []
    for n in range(size):
        population = int(10 ** rng.uniform(1, 6))
        strength = rng.random()
        declared = round(len(ids) * (1 + 2 * strength) / 3)
        chosen = rng.sample(ids, declared)
        weights = (1 - strength, 0.3, 0.5, 0.2 + 2.5 * strength)
        statuses = rng.choices(STATUSES, weights=weights, k=declared)
        territory = Territory(
            code=f"{DEPARTMENTS[n % len(DEPARTMENTS)]:02d}{n // len(DEPARTMENTS) % 1000:03d}",
            name=f"Commune {n}",
            kind=TerritoryKind.COMMUNE,
            population=population,
        )
        cohort.append(
            Dossier(
                territory=territory, year=2016, services=dict(zip(chosen, statuses, strict=True))
            )
        )
    return tuple(cohort)


# --- the benchmarks -------------------------------------------------------------------


def national(cohort, rules, runs):
    print(f"\n## Batch grading of {len(cohort):,} communes (fresh Scorer each run)\n")
    floor = floor_of(cohort, rules.taxonomy)
    result = race(
        runs,
        floor=floor,
        grades=lambda: Scorer(rules).grades(cohort),
        scores=lambda: Scorer(rules).scores(cohort),
        summary=lambda: Scorer(rules).summary(cohort),
    )
    base, base_cpu = result["floor"][0], result["floor"][2]
    print("| what | median | min | median / floor | CPU time / floor |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (median, least, cpu) in result.items():
        print(
            f"| {name} | {ms(median)} | {ms(least)} | {median / base:.2f}x | {cpu / base_cpu:.2f}x |"
        )
    compile_time = statistics.median(
        timed(lambda: Scorer(rules).grades(cohort[:1])) for _ in range(runs)
    )
    print(f"\nCompiling one profile (kind, population bracket): {ms(compile_time)}")
    ratio = result["grades"][0] / base
    cpu_ratio = result["grades"][2] / base_cpu
    print(
        f"**Scorer.grades / floor = {ratio:.2f}x** wall clock, {cpu_ratio:.2f}x CPU time "
        "(goal <= 3x)"
    )
    return result["grades"][0]


def realistic_cohort(size):
    """The realistic cohort of the benchmarks: every size and kind, opt-outs, actions."""
    return synthetic_cohort(
        size,
        seed=SEED,
        epci_share=0.04,
        populations="france",
        opt_out_rate=0.3,
        action_share=0.5,
    )


def realistic(cohort, rules, runs, label="default rules"):
    kinds = Counter(d.territory.kind.is_epci for d in cohort)
    opted = sum(
        any(status is Status.NOT_APPLICABLE for status in d.services.values()) for d in cohort
    )
    entries = sum(len(d.services) for d in cohort)
    print(
        f"\n## Realistic cohort, {label}: {len(cohort):,} territories ({kinds[True]:,} intercommunal), "
        f"{opted:,} with an opt-out, {sum(1 for d in cohort if d.actions):,} with actions, "
        f"{entries / len(cohort):.1f} entries a dossier (fresh Scorer each run)\n"
    )
    floor = floor_of(cohort, rules.taxonomy)
    frame = vl.dossiers_frame(cohort, taxonomy=rules.taxonomy)
    result = race(
        runs,
        floor=floor,
        grades=lambda: Scorer(rules).grades(cohort),
        grade_frame=lambda: Scorer(rules).grade_frame(frame),
        dossiers_frame=lambda: vl.dossiers_frame(cohort, taxonomy=rules.taxonomy),
    )
    base, base_cpu = result["floor"][0], result["floor"][2]
    print("| what | median | min | median / floor | CPU time (median) | CPU time / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, (median, least, cpu) in result.items():
        print(
            f"| {name} | {ms(median)} | {ms(least)} | {median / base:.2f}x | {ms(cpu)} "
            f"| {cpu / base_cpu:.2f}x |"
        )
    grades = Scorer(rules).grades(cohort)
    graded = Scorer(rules).grade_frame(frame)
    sample = cohort[:: max(1, len(cohort) // 1_000)]
    same = grades == list(graded["grade"]) and [
        grades[i] for i in range(0, len(cohort), max(1, len(cohort) // 1_000))
    ] == [vl.assess(d, rules).grade for d in sample]
    print(
        f"\n**Scorer.grades / floor = {result['grades'][0] / base:.2f}x** wall clock, "
        f"{result['grades'][2] / base_cpu:.2f}x CPU time (goal <= 3x); "
        f"**grade_frame / Scorer.grades = {result['grade_frame'][0] / result['grades'][0]:.2f}x** "
        "(goal <= 1x)"
    )
    print(
        f"Same grades: Scorer.grades = grade_frame on all {len(cohort):,}, and = assess on "
        f"{len(sample):,} of them: {same}"
    )


def versus_assess(cohort, rules, grades_time, subset):
    print(f"\n## Scorer vs a plain assess loop (assess timed on {subset:,} dossiers)\n")
    sample = cohort[:subset]
    each = timed(lambda: [vl.assess(d, rules) for d in sample]) / len(sample)
    extrapolated = each * len(cohort)
    same = Scorer(rules).grades(sample) == [vl.assess(d, rules).grade for d in sample]
    print(
        f"assess: {each * 1e6:,.0f} µs per dossier; extrapolated to the cohort: {extrapolated:,.1f} s"
    )
    print(f"Scorer.grades: {grades_time / len(cohort) * 1e6:,.2f} µs per dossier")
    print(f"**assess loop / Scorer.grades = {extrapolated / grades_time:,.0f}x** (extrapolated)")
    print(f"Same grades on the subset: {same}")


def plans(cohort, rules, count):
    recommend = getattr(vl, "recommend", None)
    if recommend is None:
        print("\n## recommend: not available in this version")
        return
    sample = cohort[:count]
    print(f"\n## recommend vs one assess ({len(sample)} dossiers, each timed alone)\n")
    ratios = []
    for dossier in sample:
        plan_time = statistics.median(
            timed(lambda d=dossier: recommend(d, rules)) for _ in range(3)
        )
        assess_time = statistics.median(
            timed(lambda d=dossier: vl.assess(d, rules)) for _ in range(3)
        )
        ratios.append(plan_time / assess_time)
    print(
        f"recommend / assess per dossier: median {statistics.median(ratios):.1f}x, "
        f"max {max(ratios):.1f}x (goal <= 10x)"
    )


def calibration(cohort, rules, runs):
    calibrate = getattr(vl, "calibrate", None)
    if calibrate is None:
        print("\n## calibrate: not available in this version")
        return
    counts = Counter(Scorer(rules).grades(cohort))
    target = {grade: counts.get(grade, 0) for grade in range(1, 6)}
    print(f"\n## calibrate on {len(cohort):,} dossiers (target: today's distribution {target})\n")
    try:
        calibrate(rules, cohort, target)
    except vl.CalibrationError as error:
        print(f"calibrate refused the target: {error}")
        return
    result = race(
        runs,
        grades=lambda: Scorer(rules).grades(cohort),
        calibrate=lambda: calibrate(rules, cohort, target),
    )
    ratio = result["calibrate"][0] / result["grades"][0]
    print(f"calibrate: {ms(result['calibrate'][0])}; Scorer.grades: {ms(result['grades'][0])}")
    print(f"**calibrate / Scorer.grades = {ratio:.2f}x** (goal <= 3x)")


def import_time(runs):
    print(f"\n## Import time in fresh interpreters (median of {runs})\n")
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"

    # Both sides load cached bytecode, as installed packages do: attrs and cattrs come
    # compiled by pip, while PYTHONDONTWRITEBYTECODE would make villes_label compile its
    # sources in every fresh interpreter. One warm-up run writes its bytecode.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def measure(modules):
        command = [sys.executable, "-c", code.format(modules)]
        out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)  # noqa: S603
        return float(out.stdout)

    measure("villes_label")

    times: dict[str, list[float]] = {"villes_label": [], "attrs, cattrs": []}
    for _ in range(runs):
        for modules, measured in times.items():
            measured.append(measure(modules))
    ours = statistics.median(times["villes_label"])
    theirs = statistics.median(times["attrs, cattrs"])
    print(f"import villes_label: {ms(ours)}; import attrs, cattrs: {ms(theirs)}")
    print(f"**villes_label / (attrs + cattrs) = {ours / theirs:.2f}x** (goal <= 1.5x)")


def memory(size, rules):
    print(f"\n## Peak memory (tracemalloc), {size:,} communes\n")
    gc.collect()
    tracemalloc.start()
    cohort = synthetic_cohort(size, seed=SEED)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    grades = Scorer(rules).grades(cohort)
    _, scoring_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"the cohort: {held / 2**20:,.1f} MiB held ({held / size:,.0f} bytes per dossier), peak {peak / 2**20:,.1f} MiB"
    )
    print(
        f"scoring it: peak {(scoring_peak - before) / 2**20:,.1f} MiB above the cohort ({len(grades):,} grades)"
    )


def scaling_cohort(sizes, rules, runs):
    print("\n## Scaling with the cohort (default rules, 131 services)\n")
    print("| communes | floor | Scorer.grades | ratio | CPU time ratio | µs per dossier |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    whole = synthetic_cohort(max(sizes), seed=SEED + 1)
    for size in sizes:
        cohort = whole[:size]
        result = race(
            runs,
            floor=floor_of(cohort, rules.taxonomy),
            grades=lambda c=cohort: Scorer(rules).grades(c),
        )
        floor, grades = result["floor"][0], result["grades"][0]
        cpu = result["grades"][2] / result["floor"][2]
        print(
            f"| {size:,} | {ms(floor)} | {ms(grades)} | {grades / floor:.2f}x | {cpu:.2f}x | "
            f"{grades / size * 1e6:.2f} |"
        )


def scaling_referential(services_counts, size, runs):
    print(f"\n## Scaling with the referential (synthetic rules, {size:,} communes)\n")
    print("| services | floor | Scorer.grades | ratio | CPU time ratio | compile one profile |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for services in services_counts:
        rules = synthetic_rules(services)
        cohort = cohort_for(rules.taxonomy, size, seed=services)
        scorer = Scorer(rules)
        if scorer.grades(cohort[:300]) != [vl.assess(d, rules).grade for d in cohort[:300]]:
            msg = f"the scorer disagrees with assess on {services} services"
            raise SystemExit(msg)
        result = race(
            runs,
            floor=floor_of(cohort, rules.taxonomy),
            grades=lambda r=rules, c=cohort: Scorer(r).grades(c),
        )
        compile_time = statistics.median(
            timed(lambda r=rules, c=cohort: Scorer(r).grades(c[:1])) for _ in range(runs)
        )
        floor, grades = result["floor"][0], result["grades"][0]
        cpu = result["grades"][2] / result["floor"][2]
        print(
            f"| {services} | {ms(floor)} | {ms(grades)} | {grades / floor:.2f}x | {cpu:.2f}x | "
            f"{ms(compile_time)} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller cohorts, fewer runs")
    parser.add_argument(
        "--realistic-only", action="store_true", help="only the realistic cohort's section"
    )
    args = parser.parse_args()
    quick = args.quick
    runs = 3 if quick else 7
    size = 5_000 if quick else NATIONAL

    print("# villes_label batch scoring benchmark" + (" (--quick)" if quick else ""))
    print(
        f"\nPython {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s); "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    rules = vl.default_ruleset()
    start = time.perf_counter()
    cohort = synthetic_cohort(size, seed=SEED)
    print(
        f"Cohort: synthetic_cohort({size:,}, seed={SEED}) built in {time.perf_counter() - start:.1f} s"
    )

    start = time.perf_counter()
    hard = realistic_cohort(size)
    print(f"Realistic cohort built in {time.perf_counter() - start:.1f} s")
    realistic(hard, rules, runs, "default rules (size-aware)")
    realistic(hard, rules.replace(expectations=()), runs, "default rules without expectations")
    if args.realistic_only:
        return
    grades_time = national(cohort, rules, runs)
    versus_assess(cohort, rules, grades_time, subset=200 if quick else 1_000)
    plans(cohort, rules, count=10 if quick else 40)
    calibration(cohort, rules, runs=3)
    import_time(runs=5 if quick else 21)
    memory(size, rules)
    scaling_cohort([1_000, 3_000, 9_000] if quick else [5_000, 15_000, NATIONAL], rules, runs)
    scaling_referential([50, 131, 300], 2_000 if quick else 10_000, runs)
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
