"""The cheapest plan under a cost per step: an exact search over the rule's nested gates.

`recommend` with ``prefer="fewest"`` (every step costs 1) uses the greedy
search of `villes_label._plans`. Other preferences give each step a cost by
the status it starts from (finishing a partial service is cheaper than
starting a new one) and ask for the plan of **least total cost**, then of
largest gain. A greedy choice is no longer optimal then (two cheap services
may beat one rich one), so this module solves it exactly by dynamic
programming over the nesting of the gates.

Why it is exact: every gate of a grade rule is a minimum on a weighted sum of
the gains of the services under it, and those sums are nested (issues inside
themes inside the overall score). A gate above a subtree reads only the total
gain of the services chosen in it. So for each subtree it is enough to know,
for each total cost, the largest gain that satisfies every gate inside it:
an issue's table is a small knapsack, a theme's the (max, +) combination of
its issues' tables, the score's that of its themes'. Entries that cost more
for no more gain are dropped. The cheapest entry of the score's table that
reaches its gate is the plan. Pure integers: exact.

Pure: no I/O, no global state.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

from villes_label._conditions import demands
from villes_label._territory import Status
from villes_label._vocabulary import QuantityKind

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from villes_label._linear import LinearForm, Quantity
    from villes_label._rules import GradeRule

__all__ = ["cheapest"]

# A table: total cost -> (largest total gain, the services chosen for it).
_Table = dict[int, tuple[int, tuple[str, ...]]]


def _need(threshold: Fraction, quantity: Quantity, numerator: int, form: LinearForm) -> int:
    return math.ceil(threshold * quantity.denominator * form.scale) - numerator


def _pareto(table: _Table) -> _Table:
    """Keep only the entries that no cheaper entry matches in gain."""
    kept: _Table = {}
    best = None
    for cost in sorted(table):
        gain, chosen = table[cost]
        if best is None or gain > best:
            kept[cost] = (gain, chosen)
            best = gain
    return kept


def _combine(left: _Table, right: _Table) -> _Table:
    out: _Table = {}
    for c1, (g1, s1) in left.items():
        for c2, (g2, s2) in right.items():
            cost, gain = c1 + c2, g1 + g2
            known = out.get(cost)
            if known is None or gain > known[0]:
                out[cost] = (gain, s1 + s2)
    return _pareto(out)


def _at_least(table: _Table, need: int) -> _Table:
    return {cost: entry for cost, entry in table.items() if entry[0] >= need}


def cheapest(
    form: LinearForm,
    rule: GradeRule,
    *,
    candidates: Sequence[str],
    credits: Mapping[str, int],
    cost_of: Mapping[str, int],
) -> frozenset[str] | None:
    """The services of least total cost whose deployment makes *rule* hold, or ``None``.

    Among the cheapest sets, one of largest gain. *candidates* are the
    services that may be proposed, in taxonomy order; *credits* every
    concerned service's credit in the form's units; *cost_of* each
    candidate's cost (a positive int). A required service that is not
    deployed must be among the candidates (the caller rules out the others).

    An issue under a size-aware expectation saturates: what its services add
    counts up to what it lacks to be covered. The gain of a choice inside the
    issue is then ``min(Σ added, room)``, and the best gain for a cost is the
    best uncapped sum for that cost, capped: the knapsack of the issue is
    unchanged, only its entries are capped before its gate is checked (a gate
    above what the issue can reach once covered stays out of reach). A theme
    covered at its breadth is capped in the same way once its issues are combined.
    """
    minimum, required = demands(rule, form)
    score_minimum = minimum.get((QuantityKind.SCORE, ""), Fraction(0))
    if not form.concerned:
        return frozenset() if score_minimum <= 0 else None
    open_ = set(candidates)
    rank = {sid: n for n, sid in enumerate(form.concerned)}
    top = form.units[Status.DEPLOYED]
    score, theme_numerators, issue_numerators = form.numerators(credits)
    theme_tables: list[_Table] = []
    for theme_id, issue_ids in form.issues_of_theme.items():
        theme_factor = form.theme_factor[theme_id]
        table: _Table = {0: (0, ())}
        for issue_id in issue_ids:
            quantity = form.issues[issue_id]
            coefficient = quantity.coefficient_of()
            # What each service adds to the issue's numerator, and what the issue lacks.
            adds = {
                sid: coefficient[sid] * (top - credits[sid])
                for sid in quantity.services
                if sid in open_
            }
            ceiling = quantity.denominator * top if quantity.cap is None else quantity.cap
            room = max(0, ceiling - quantity.raw(credits))
            forced = tuple(sid for sid in quantity.services if sid in open_ and sid in required)
            leaf: _Table = {
                sum(cost_of[sid] for sid in forced): (sum(adds[sid] for sid in forced), forced)
            }
            items = sorted(
                (sid for sid in quantity.services if sid in open_ and sid not in required),
                key=lambda sid: (-adds[sid], rank[sid]),
            )
            for sid in items:
                grown = dict(leaf)
                for cost, (gain, chosen) in leaf.items():
                    key, value = cost + cost_of[sid], gain + adds[sid]
                    known = grown.get(key)
                    if known is None or value > known[0]:
                        grown[key] = (value, (*chosen, sid))
                leaf = _pareto(grown)
            # Beyond its room the issue is covered: a choice gains at most the room.
            leaf = _pareto(
                {cost: (min(gain, room), chosen) for cost, (gain, chosen) in leaf.items()}
            )
            threshold = minimum.get((QuantityKind.ISSUE, issue_id))
            if threshold is not None:
                need = _need(threshold, quantity, issue_numerators[issue_id], form)
                leaf = _at_least(leaf, need)
                if not leaf:
                    return None
            # In the score's units: an issue's numerator weighs factor times more there.
            factor = form.issue_factor[issue_id] * theme_factor
            scaled = {cost: (gain * factor, chosen) for cost, (gain, chosen) in leaf.items()}
            table = _combine(table, scaled)
        cap = form.themes[theme_id].cap
        if cap is not None:
            # A theme covered at its breadth gains at most what it lacks, as an issue does.
            uncapped = sum(form.issue_factor[i] * issue_numerators[i] for i in issue_ids)
            room = max(0, cap - uncapped) * theme_factor
            table = _pareto(
                {cost: (min(gain, room), chosen) for cost, (gain, chosen) in table.items()}
            )
        threshold = minimum.get((QuantityKind.THEME, theme_id))
        if threshold is not None:
            need = _need(threshold, form.themes[theme_id], theme_numerators[theme_id], form)
            table = _at_least(table, need * theme_factor)
            if not table:
                return None
        theme_tables.append(table)
    total: _Table = {0: (0, ())}
    for table in theme_tables:
        total = _combine(total, table)
    total = _at_least(total, _need(score_minimum, form.score, score, form))
    if not total:
        return None
    _, chosen = total[min(total)]
    return frozenset(chosen)
