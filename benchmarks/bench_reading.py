"""Reading and refusing input: time and memory per MB, and JSON text to grades on a national cohort.

Run with ``python benchmarks/bench_reading.py`` (``--quick`` for a smaller cohort).
It prints medians of interleaved runs; the figures are recorded in
docs/explanation/guarantees.md (bounds) and docs/explanation/performance.md (reading).

1. Hostile and valid files through the command line, in this process
   (``villes_label.cli.main``): seconds and peak MB of Python memory per MB of input.
2. The realistic cohort of issue 16: 34,945 territories of every size, 4 %
   intercommunalities, each opt-out service declared not applicable with
   probability 0.3, half the dossiers with 1-5 actions. JSON text to grades:
   ``json.loads``, then ``from_dict(..., tuple[Dossier, ...])``, then
   ``Scorer.grades``, each against ``json.loads`` of the same text.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import villes_label as vl
from villes_label import Dossier, from_dict, to_dict
from villes_label.cli import main as cli
from villes_label.referential import sample_dossier

KINDS = ["communaute_de_communes", "communaute_d_agglomeration", "communaute_urbaine", "metropole"]
STATUSES = ["absent", "planned", "partial", "deployed"]


def realistic_cohort(size: int, seed: int = 2016) -> list[dict[str, object]]:
    """Plain data of *size* dossiers, as a JSON file of a national cohort would hold."""
    rules = vl.default_ruleset()
    ids = [service.id for service in rules.taxonomy.services]
    opt_outs = sorted(sid for sid, rule in rules.applicability.items() if rule.opt_out)
    rng = random.Random(seed)
    out = []
    for n in range(size):
        epci = rng.random() < 0.04
        population = int(10 ** rng.uniform(1.5, 6.3))
        if epci:
            territory = {"code": f"2{n:08d}", "name": f"EPCI {n}", "kind": rng.choice(KINDS)}
        else:
            territory = {
                "code": f"{rng.choice([d for d in range(10, 96) if d != 20]):02d}{n % 1000:03d}",
                "name": f"Commune {n}",
                "kind": "commune",
            }
        territory["population"] = population
        strength = rng.random()
        services = {
            sid: rng.choices(STATUSES, weights=[1 - strength, 0.2, 0.3, strength])[0]
            for sid in ids
            if rng.random() < 0.6
        }
        for sid in opt_outs:
            if rng.random() < 0.3:
                services[sid] = "not_applicable"
        actions = []
        if rng.random() < 0.5:
            open_ids = [sid for sid in ids if services.get(sid) != "not_applicable"]
            actions = [
                {
                    "id": f"a{k}",
                    "title": f"Initiative {k}",
                    "services": sorted(rng.sample(open_ids, rng.randint(1, 4))),
                    "status": rng.choice(["planned", "partial", "deployed"]),
                }
                for k in range(rng.randint(1, 5))
            ]
        out.append({"territory": territory, "year": 2016, "services": services, "actions": actions})
    return out


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


def text_to_grades(size: int, runs: int) -> None:
    rules = vl.default_ruleset()
    text = json.dumps(realistic_cohort(size))
    data = json.loads(text)
    scorer = vl.Scorer(rules)
    dossiers = from_dict(data, tuple[Dossier, ...])
    scorer.grades(dossiers)  # compile once, as a long-running process would
    times = interleaved(
        runs,
        loads=lambda: json.loads(text),
        read=lambda: from_dict(data, tuple[Dossier, ...]),
        grades=lambda: scorer.grades(dossiers),
    )
    floor = times["loads"]
    total = times["loads"] + times["read"] + times["grades"]
    print(f"Realistic cohort: {size:,} dossiers, {len(text) / 1e6:.1f} MB of JSON")
    print(f"  json.loads                 {times['loads'] * 1e3:8.0f} ms  (1.00x)")
    print(
        f"  from_dict(tuple[Dossier])  {times['read'] * 1e3:8.0f} ms  ({times['read'] / floor:.2f}x)"
    )
    print(
        f"  Scorer.grades              {times['grades'] * 1e3:8.0f} ms  ({times['grades'] / floor:.2f}x)"
    )
    print(
        f"  text to grades             {total * 1e3:8.0f} ms  ({total / floor:.2f}x json.loads; goal 2.5x)"
    )
    print(
        f"  per dossier: reading {times['read'] / size * 1e6:.0f} us, json.loads {floor / size * 1e6:.0f} us"
    )


def main() -> None:
    quick = "--quick" in sys.argv
    per_megabyte(runs=1 if quick else 3)
    text_to_grades(size=3_000 if quick else 34_945, runs=1 if quick else 3)


if __name__ == "__main__":
    main()
