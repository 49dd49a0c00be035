"""Calibrate the rules on the 2016 palmarès: 163 territories, 40/37/31/25/30 at 1..5 @.

The label published its 2016 results (163 labelled territories: 40 with 1 @, 37 with 2,
31 with 3, 25 with 4, 30 with 5) but no thresholds. `calibrate` finds the ``min_score``
of each grade that gives exactly those counts on a cohort, keeping every other rule (the
website required from 2 @, the citizen-participation gates of 4 and 5 @). The cohort
here is synthetic (fictional territories, seeded): the thresholds found are those of
this cohort, not the label's.

Run: python examples/palmares_2016.py
"""

from __future__ import annotations

import villes_label as vl
from villes_label.referential import synthetic_cohort

PALMARES_2016 = {1: 40, 2: 37, 3: 31, 4: 25, 5: 30}

rules = vl.default_ruleset()
cohort = synthetic_cohort(163, seed=51, epci_share=0.1)
epci = sum(d.territory.kind.is_epci for d in cohort)
print(f"A synthetic cohort of {len(cohort)} territories ({epci} of them EPCI).")


def show(title: str, ruleset: vl.Ruleset) -> None:
    counts = vl.grade_distribution(vl.assess(d, ruleset) for d in cohort)
    thresholds = ", ".join(
        f"{rule.arobases} @ from {float(rule.min_score):.1%}" for rule in ruleset.grades
    )
    print(f"\n{title}\n  thresholds: {thresholds}")
    print("  grades:     " + ", ".join(f"{n} at {g} @" for g, n in counts.items() if g))


show("The reconstructed 2016 rules:", rules)
calibrated = vl.calibrate(rules, cohort, PALMARES_2016)
show("Calibrated on the palmarès:", calibrated)

# Each threshold is the exact score of the lowest territory that must reach its grade.
print("\nExact thresholds:")
for rule in calibrated.grades:
    print(f"  {rule.arobases} @: {rule.min_score} (= {float(rule.min_score):.4f})")

print("\nWho moves, from the reconstructed rules to the calibrated ones:")
print(vl.compare(cohort, rules, calibrated))

# The gates are kept: a cohort where too few territories pass those of 5 @ cannot
# match the palmarès, and the error says which grade and why.
other = synthetic_cohort(163, seed=0, epci_share=0.1)
print("\nThe same target on another synthetic cohort:")
try:
    vl.calibrate(rules, other, PALMARES_2016)
except vl.CalibrationError as error:
    print(f"  CalibrationError: {error}")
