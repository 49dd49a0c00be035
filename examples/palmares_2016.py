"""Calibrate the rules on the 2016 palmarès: 163 territories, 40/37/31/25/30 at 1..5 @.

The label published its 2016 results (163 labelled territories: 40 with 1 @, 37 with 2,
31 with 3, 25 with 4, 30 with 5) but no thresholds. `calibrate` finds the ``min_score``
of each grade that gives exactly those counts on a cohort, keeping every other rule (the
website required from 2 @, the citizen-participation gates of 4 and 5 @, the size-aware
expectations). The cohort is `referential.palmares_cohort()`: 163 fictional collectivités
(seeded) whose sizes and numbers of initiatives follow the published figures. The default
rules' thresholds are those that this calibration gives; here it starts from the
share-of-potential steps of the 2014 rules to show what it moves.

Run: python examples/palmares_2016.py
"""

from __future__ import annotations

from fractions import Fraction

import attrs

import villes_label as vl

PALMARES_2016 = vl.referential.PALMARES_2016

default = vl.default_ruleset()
steps = (Fraction(0), Fraction(1, 5), Fraction(7, 20), Fraction(1, 2), Fraction(13, 20))
rules = default.replace(
    name="2016 rules with the 2014 steps",
    grades=[
        attrs.evolve(rule, min_score=step) for rule, step in zip(default.grades, steps, strict=True)
    ],
)
cohort = vl.referential.palmares_cohort()
epci = sum(d.territory.kind.is_epci for d in cohort)
villages = sum(
    d.territory.kind is vl.TerritoryKind.COMMUNE and d.territory.population < 3_000 for d in cohort
)
print(f"A cohort of {len(cohort)} fictional collectivités ({villages} villages, {epci} EPCI).")


def show(title: str, ruleset: vl.Ruleset) -> None:
    counts = vl.grade_distribution(vl.assess(d, ruleset) for d in cohort)
    thresholds = ", ".join(
        f"{rule.arobases} @ from {float(rule.min_score):.1%}" for rule in ruleset.grades
    )
    print(f"\n{title}\n  thresholds: {thresholds}")
    print("  grades:     " + ", ".join(f"{n} at {g} @" for g, n in counts.items() if g))


show("The 2016 rules with the share-of-potential steps of 2014:", rules)
calibrated = vl.calibrate(rules, cohort, PALMARES_2016)
show("Calibrated on the palmarès:", calibrated)

# Each threshold is the exact score of the lowest territory that must reach its grade.
print("\nExact thresholds (the default rules keep 1 @ at 0: every participant gets one @):")
for rule, kept in zip(calibrated.grades, default.grades, strict=True):
    print(
        f"  {rule.arobases} @: {rule.min_score} (= {float(rule.min_score):.4f}), default {kept.min_score}"
    )

print("\nWho moves, from the 2014 steps to the calibrated thresholds:")
print(vl.compare(cohort, rules, calibrated))

# The gates are kept: a cohort where too few territories pass those of 5 @ cannot
# match the palmarès, and the error says which grade and why.
other = vl.referential.palmares_cohort(seed=0)
print("\nThe same target on the cohort drawn with another seed:")
try:
    vl.calibrate(rules, other, PALMARES_2016)
except vl.CalibrationError as error:
    print(f"  CalibrationError: {error}")
