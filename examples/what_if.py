"""What if the rules changed? Grade one cohort under the label's rules and three variants.

Each variant is the 2016 rules with one change (`Ruleset.replace`); `compare` tells how
many territories move, and which, in a transition matrix (rows: grade before, columns:
grade after). The cohort is `referential.palmares_cohort()`: 163 fictional collectivités
shaped like those labelled in 2016, which the default rules grade as the 2016 palmarès.

Run: python examples/what_if.py
"""

from __future__ import annotations

from fractions import Fraction

import attrs

import villes_label as vl
from villes_label import Status

rules = vl.default_ruleset()
cohort = vl.referential.palmares_cohort()


def with_grade(ruleset: vl.Ruleset, arobases: int, **changes: object) -> vl.Ruleset:
    """The ruleset with some fields of one grade rule changed."""
    grades = [
        attrs.evolve(rule, **changes) if rule.arobases == arobases else rule
        for rule in ruleset.grades
    ]
    return ruleset.replace(grades=grades)


variants = {
    # 4 @ without the citizen-participation gates (5 @ keeps them).
    "4 @ without the participation gates": with_grade(
        rules, 4, min_theme_scores={}, min_issue_scores={}
    ),
    # A planned service earns a quarter of a deployed one instead of nothing.
    "planned services earn 1/4": rules.replace(credits={Status.PLANNED: Fraction(1, 4)}),
    # 3 @ from 62.5 points (the threshold of 4 @) instead of 58.3.
    "3 @ from 62.5 points": with_grade(rules, 3, min_score=Fraction(5, 8)),
}

counts = vl.grade_distribution(vl.assess(d, rules) for d in cohort)
print(f"{len(cohort)} territories under {rules.name!r}:")
print("  " + ", ".join(f"{n} at {g} @" for g, n in counts.items()))

for title, variant in variants.items():
    comparison = vl.compare(cohort, rules, variant)
    print()
    print(f"== What if {title}?")
    print(comparison)

# The movers of one variant, as flat rows (pandas.DataFrame(rows) makes a table of them).
comparison = vl.compare(cohort, rules, variants["4 @ without the participation gates"])
movers = {territory.code for territory, _, _ in comparison.changed}
results = [vl.assess(d, rules) for d in cohort if d.territory.code in movers]
best = sorted(results, key=lambda result: result.score, reverse=True)[:5]
print()
print("The five best scores among the territories that would gain a grade:")
for row in vl.records(best):
    print(
        f"  {row['name']:<26} {row['kind']:<28} {row['grade']} @  score {row['score']:.1%}  "
        f"theme 'democratie-services-publics' {row['democratie-services-publics']:.1%}"
    )
