"""Reading and refusing input: time and memory per MB, and JSON text to grades on a national cohort.

Run with ``python benchmarks/bench_reading.py`` (``--quick`` for a smaller cohort,
``--grades-only`` for the second part only).
It prints medians of interleaved runs; the figures are recorded in
docs/explanation/guarantees.md (bounds) and docs/explanation/performance.md (reading).

1. Hostile and valid files through the command line, in this process
   (``villes_label.cli.main``): seconds and peak MB of Python memory per MB of input.
2. The realistic cohort of the benchmarks (``synthetic_cohort(34_945, seed=2016,
   epci_share=0.04, populations="france", opt_out_rate=0.3, action_share=0.5)``),
   written by ``to_dict``. JSON text to grades, end to end (``json.loads`` included),
   by ``Scorer.grades_from_data`` and by ``from_dict`` then ``Scorer.grades``, each
   against ``json.loads`` of the same text, under the default (size-aware) rules and
   under the same rules without expectations.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import villes_label as vl
from villes_label import Dossier, from_dict, to_dict
from villes_label.cli import main as cli
from villes_label.referential import sample_dossier, synthetic_cohort


def median_of(runs: int, function) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(runs: int, **functions) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


# --- 1. input per MB through the command line ---------------------------------------------


def files() -> dict[str, str]:
    """About a megabyte each: valid and hostile dossier files."""
    base = to_dict(sample_dossier())
    ids = [s.id for s in vl.default_taxonomy().services]
    big_actions = [
        {
            "id": f"a{n}",
            "title": "Une initiative " * 4,
            "services": ids[n % 120 : n % 120 + 8],
            "status": "deployed",
        }
        for n in range(4_000)
    ]
    return {
        "valid dossier, 4,000 actions": json.dumps(
            {**base, "services": {}, "actions": big_actions}
        ),
        "unknown ids (40,000)": json.dumps(
            {**base, "services": {f"unknown-{n}": "deployed" for n in range(40_000)}}
        ),
        "bad statuses (40,000)": json.dumps(
            {**base, "services": {f"s{n}": "done" for n in range(40_000)}}
        ),
        "one id of a megabyte": json.dumps({**base, "services": {"x" * 1_000_000: "deployed"}}),
        "a threshold of a megabyte": json.dumps({**base, "year": "1" * 1_000_000}),
        "numbers with huge exponents": json.dumps(
            {**base, "services": {f"s{n}": f"1e-9_999_{n:03d}" for n in range(30_000)}}
        ),
        "lone surrogates": json.dumps(
            {**base, "services": {f"s{n}\ud800": "deployed" for n in range(50_000)}}
        ),
        "JSON nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    }


def per_megabyte(runs: int) -> None:
    print("Input through `score` (in process): median seconds and peak MB per MB of input")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files().items():
            path = Path(folder) / "d.json"
            path.write_text(text, encoding="utf-8")
            mb = len(text.encode("utf-8", "surrogatepass")) / 1e6

            def run(path: Path = path) -> int:
                with (
                    contextlib.redirect_stdout(io.StringIO()),
                    contextlib.redirect_stderr(io.StringIO()),
                ):
                    return cli(["score", str(path)])

            seconds = median_of(runs, run)
            tracemalloc.start()
            code = run()
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            print(
                f"  {name:32} {mb:5.2f} MB  exit {code}  {seconds / mb:6.3f} s/MB  {peak / mb:6.1f} MB/MB"
            )


# --- 2. JSON text to grades on a realistic cohort --------------------------------------------


def clocked(function) -> tuple[float, float]:
    """Wall-clock and CPU time of one call (time.perf_counter, time.process_time)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def text_to_grades(size: int, runs: int) -> None:
    cohort = synthetic_cohort(
        size,
        seed=2016,
        epci_share=0.04,
        populations="france",
        opt_out_rate=0.3,
        action_share=0.5,
    )
    text = json.dumps([to_dict(dossier) for dossier in cohort])
    print(
        f"Realistic cohort: {size:,} dossiers, {len(text) / 1e6:.1f} MB of JSON "
        f"(load average {os.getloadavg()[0]:.1f} at start)"
    )
    for label, rules in (
        ("default rules (size-aware)", vl.default_ruleset()),
        ("default rules without expectations", vl.default_ruleset().replace(expectations=())),
    ):
        same = vl.Scorer(rules).grades_from_data(json.loads(text)) == vl.Scorer(rules).grades(
            cohort
        )
        functions = {
            "json.loads": lambda: json.loads(text),
            "text to grades (grades_from_data)": lambda rules=rules: vl.Scorer(
                rules
            ).grades_from_data(json.loads(text)),
            "text to grades (from_dict, grades)": lambda rules=rules: vl.Scorer(rules).grades(
                from_dict(json.loads(text), tuple[Dossier, ...])
            ),
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in functions}
        for _ in range(runs):
            for name, function in functions.items():
                times[name].append(clocked(function))
        wall = {name: statistics.median(w for w, _ in ts) for name, ts in times.items()}
        cpu = {name: statistics.median(c for _, c in ts) for name, ts in times.items()}
        floor, floor_cpu = wall["json.loads"], cpu["json.loads"]
        print(f"\n{label}, medians of {runs} interleaved runs (fresh Scorer each run):")
        print("| step | wall | / json.loads | CPU | / json.loads |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name in functions:
            print(
                f"| {name} | {wall[name] * 1e3:,.0f} ms | {wall[name] / floor:.2f}x "
                f"| {cpu[name] * 1e3:,.0f} ms | {cpu[name] / floor_cpu:.2f}x |"
            )
        key = "text to grades (grades_from_data)"
        print(
            f"**text to grades = {wall[key] / floor:.2f}x json.loads** wall clock, "
            f"{cpu[key] / floor_cpu:.2f}x CPU time (goal <= 2.5x); "
            f"same grades as Scorer.grades on the dossiers: {same}"
        )


def main() -> None:
    quick = "--quick" in sys.argv
    if "--grades-only" not in sys.argv:
        per_megabyte(runs=1 if quick else 3)
    text_to_grades(size=3_000 if quick else 34_945, runs=1 if quick else 5)


if __name__ == "__main__":
    main()
