"""Cohorts: grade distributions, flat records, what-if comparisons and calibration.

Pure: no I/O, no clock, no randomness, no global state. Grades and scores of a
whole cohort come from the compiled scorer (`Scorer`), whose results are exactly
those of `assess`; calibration reads exact `Fraction` scores, so each threshold
it sets is the exact score of a territory.

How `calibrate` chooses its thresholds, and why they give exactly the counts
asked for, is told in the docstring of `calibrate`.
"""

from __future__ import annotations

import html
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from villes_label._batch import CohortSummary, Scorer
from villes_label._check import Failed, finish, items_of, lenient
from villes_label._conditions import Values, evaluate
from villes_label._errors import CalibrationError, InvalidInput, Problem
from villes_label._rules import MAX_GRADE, GradeRule, Ruleset
from villes_label._scoring import Assessment, assess
from villes_label._taxonomy import Taxonomy
from villes_label._territory import Dossier, Territory
from villes_label._values import MAX_DIGITS, FrozenMap, is_instance, is_int, shown, too_big
from villes_label._vocabulary import arobases, points

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["Comparison", "calibrate", "compare", "grade_distribution", "records"]

GRADES = tuple(range(MAX_GRADE + 1))
"""Every grade, 0 (not labelled) to 5."""

_ZERO = Fraction(0)
_ONE = Fraction(1)

RECORD_COLUMNS = (
    "code",
    "name",
    "kind",
    "population",
    "year",
    "grade",
    "score",
    "projected_score",
)
"""The fixed columns of `records`, before the theme columns (then ``mentions``)."""


# --- input checks ------------------------------------------------------------------


def _assessments(value: Iterable[Assessment]) -> tuple[Assessment, ...]:
    items = items_of(value, "assessments", Assessment)
    return tuple(item for item in items if isinstance(item, Assessment))


def _dossiers(value: Iterable[Dossier]) -> tuple[Dossier, ...]:
    items = items_of(value, "dossiers", Dossier)
    return tuple(item for item in items if isinstance(item, Dossier))


def _check_ruleset(value: object, path: str) -> None:
    if not isinstance(value, Ruleset):
        raise InvalidInput(Problem((path,), f"expected a Ruleset, got {type(value).__name__}"))


def _assess_all(cohort: Sequence[Dossier], ruleset: Ruleset) -> list[Assessment]:
    """Assess every dossier; an error names the dossier it comes from."""
    results = []
    for n, dossier in enumerate(cohort):
        try:
            results.append(assess(dossier, ruleset))
        except InvalidInput as error:
            raise error.within("dossiers", n) from None
    return results


def _summary(cohort: Sequence[Dossier], ruleset: Ruleset) -> CohortSummary:
    """Grades, exact scores and gate grades of a cohort, from the compiled formula."""
    try:
        return Scorer(ruleset).summary(cohort)
    except InvalidInput:
        # Say which dossier is wrong: assess them one by one, which raises with its index.
        _assess_all(cohort, ruleset)
        raise


def _territories(count: int) -> str:
    return f"{count} territor{'y' if count == 1 else 'ies'}"


def _label(territory: Territory) -> str:
    name = territory.name
    if len(name) > _LONGEST_NAME:  # a huge name is cut in the middle, as problems cut it
        half = _LONGEST_NAME // 2
        name = f"{name[:half]}...{name[-half:]}"
    return f"{name} ({territory.code})"


_LONGEST_NAME = 60


# --- distributions and records -----------------------------------------------------


def grade_distribution(assessments: Iterable[Assessment]) -> dict[int, int]:
    """How many assessments got each grade; the keys are always 0 to 5, in order.

    Args:
        assessments: any iterable of `Assessment`.

    Raises:
        InvalidInput: an element is not an `Assessment` (each one is named).

    >>> from villes_label import assess, default_ruleset, referential
    >>> cohort = referential.synthetic_cohort(20, seed=1)
    >>> counts = grade_distribution(assess(d, default_ruleset()) for d in cohort)
    >>> list(counts), sum(counts.values())
    ([0, 1, 2, 3, 4, 5], 20)
    """
    counts = dict.fromkeys(GRADES, 0)
    for assessment in _assessments(assessments):
        counts[assessment.grade] += 1
    return counts


def _merged_order(sequences: Sequence[Sequence[str]]) -> list[str]:
    """One order of every id that keeps the order of each sequence, when they agree.

    Each assessment lists its themes in taxonomy order but only those with a
    score: merging the lists gives back the taxonomy order. Ids that no list
    orders, and lists that disagree, fall back to the order of first appearance.
    """
    first: dict[str, int] = {}
    after: dict[str, set[str]] = {}
    before_count: dict[str, int] = {}
    for sequence in sequences:
        for item in sequence:
            if item not in first:
                first[item] = len(first)
                after[item] = set()
                before_count[item] = 0
        for earlier, later in itertools.pairwise(sequence):
            if later not in after[earlier]:
                after[earlier].add(later)
                before_count[later] += 1
    order: list[str] = []
    remaining = sorted(first, key=first.__getitem__)
    while remaining:
        free = [item for item in remaining if before_count[item] == 0]
        # A disagreement (a cycle) leaves nothing free: take the earliest seen.
        item = free[0] if free else remaining[0]
        order.append(item)
        remaining.remove(item)
        for later in after[item]:
            before_count[later] -= 1
    return order


def records(
    assessments: Iterable[Assessment], *, taxonomy: Taxonomy | None = None
) -> list[dict[str, object]]:
    """One flat row per assessment, ready for ``pandas.DataFrame(records(...))``.

    Every row has the same keys, in the same order: ``code``, ``name``,
    ``kind`` (its value, such as ``"commune"``), ``population``, ``year``,
    ``grade``, ``score`` and ``projected_score`` (floats in [0, 1]), then one
    column per theme (its id; the theme score as a float, ``None`` when the
    theme has no concerned service), then ``mentions`` (the ids of the mentions
    awarded, joined by ``", "``; ``""`` when none). Theme columns come in taxonomy
    order (each assessment lists its themes in that order; themes that no
    assessment orders come in the order they first appear). Give *taxonomy*
    to fix the columns: one per theme of the taxonomy, in its order, whatever
    the cohort. A theme whose id is one of the fixed columns gets the column
    ``"theme:<id>"`` instead.

    Floats are for tables and charts; the exact scores stay on the assessments.

    >>> from villes_label import assess, default_ruleset, referential
    >>> result = assess(referential.sample_dossier(), default_ruleset())
    >>> row = records([result])[0]
    >>> list(row)[:8]
    ['code', 'name', 'kind', 'population', 'year', 'grade', 'score', 'projected_score']
    >>> row["grade"], round(row["score"], 3), row["kind"]
    (3, 0.604, 'commune')
    """
    items = _assessments(assessments)
    if taxonomy is not None and not is_instance(taxonomy, Taxonomy):
        raise InvalidInput(
            Problem(("taxonomy",), f"expected a Taxonomy, got {type(taxonomy).__name__}")
        )
    reserved = {*RECORD_COLUMNS, "mentions"}
    order = (
        [theme.id for theme in taxonomy.themes]
        if taxonomy is not None
        else _merged_order([tuple(a.themes) for a in items])
    )
    themes = {
        theme_id: f"theme:{theme_id}" if theme_id in reserved else theme_id for theme_id in order
    }
    rows: list[dict[str, object]] = []
    for assessment in items:
        territory = assessment.territory
        row: dict[str, object] = {
            "code": territory.code,
            "name": territory.name,
            "kind": territory.kind.value,
            "population": territory.population,
            "year": assessment.year,
            "grade": assessment.grade,
            "score": float(assessment.score),
            "projected_score": float(assessment.projected_score),
        }
        for theme_id, column in themes.items():
            value = assessment.themes.get(theme_id)
            row[column] = None if value is None else float(value)
        row["mentions"] = ", ".join(assessment.mentions)
        rows.append(row)
    return rows


# --- what-if comparisons -----------------------------------------------------------

_PAIRS = tuple((before, after) for before in GRADES for after in GRADES)


def _transitions(value: Mapping[tuple[int, int], int]) -> FrozenMap[tuple[int, int], int]:
    read = lenient(Mapping[tuple[int, int], int], value)
    if isinstance(read, Failed):
        return read  # type: ignore[return-value]
    problems: list[Problem] = []
    counts = dict.fromkeys(_PAIRS, 0)
    for key, count in read.items():
        where = (f"{key[0]}->{key[1]}",)
        if key not in counts:
            problems.append(Problem(where, "expected a pair of grades (before, after), each 0..5"))
        elif count < 0:
            problems.append(Problem(where, f"expected a count >= 0, got {count}"))
        else:
            counts[key] = count
    if problems:
        return Failed(problems)  # type: ignore[return-value]
    # Every pair is present, in (before, after) order: a zero is a fact, not a gap.
    return FrozenMap(counts)


def _changes(value: Iterable[tuple[Territory, int, int]]) -> tuple[tuple[Territory, int, int], ...]:
    return lenient(tuple[tuple[Territory, int, int], ...], value)  # type: ignore[no-any-return]


def _comparison_problems(comparison: Comparison, failed: set[str]) -> Iterator[Problem]:
    if "changed" in failed:
        return
    bad = False
    for n, (_, before, after) in enumerate(comparison.changed):
        for m, grade in ((1, before), (2, after)):
            if grade not in GRADES:
                bad = True
                yield Problem(("changed", n, m), f"expected a grade 0..5, got {grade}")
        if before == after and before in GRADES:
            bad = True
            yield Problem(("changed", n), f"the grade did not change ({before})")
    if bad or "transitions" in failed:
        return
    moves = Counter((before, after) for _, before, after in comparison.changed)
    for pair, count in comparison.transitions.items():
        if pair[0] != pair[1] and moves[pair] != count:
            yield Problem(
                ("changed",),
                f"{moves[pair]} territories listed as going from grade {pair[0]} to "
                f"{pair[1]}, but transitions counts {count}",
            )


def _grade_header(grade: int) -> str:
    return arobases(grade)


@attrs.frozen(kw_only=True)
class Comparison:
    """How the grades of a cohort move from one ruleset to another: the result of `compare`.

    ``transitions`` maps every pair ``(before, after)`` of grades 0..5 to the
    number of territories that moved so (all 36 pairs are present, zeros
    included, in ``(before, after)`` order). ``changed`` lists, in the order of
    the dossiers, each territory whose grade changed, with its grade before and
    after. The two agree: each off-diagonal count is the number of entries of
    ``changed`` with that pair.

    >>> from villes_label import Territory, TerritoryKind
    >>> t = Territory(code="92049", name="Montrouge", kind=TerritoryKind.COMMUNE, population=50260)
    >>> c = Comparison(transitions={(3, 3): 5, (3, 4): 1}, changed=[(t, 3, 4)])
    >>> c.transitions[(3, 4)], c.transitions[(0, 5)], c.upgraded, c.total
    (1, 0, 1, 6)
    """

    transitions: Mapping[tuple[int, int], int] = attrs.field(converter=_transitions)
    changed: tuple[tuple[Territory, int, int], ...] = attrs.field(converter=_changes, default=())

    def __attrs_post_init__(self) -> None:
        finish(self, lambda failed: _comparison_problems(self, failed))

    @property
    def total(self) -> int:
        """How many territories were compared."""
        return sum(self.transitions.values())

    @property
    def upgraded(self) -> int:
        """How many territories get a higher grade after than before."""
        return sum(n for (before, after), n in self.transitions.items() if after > before)

    @property
    def downgraded(self) -> int:
        """How many territories get a lower grade after than before."""
        return sum(n for (before, after), n in self.transitions.items() if after < before)

    @property
    def unchanged(self) -> int:
        """How many territories keep their grade."""
        return sum(n for (before, after), n in self.transitions.items() if after == before)

    @property
    def before(self) -> dict[int, int]:
        """The grade distribution before (keys 0 to 5), as `grade_distribution` gives it."""
        counts = dict.fromkeys(GRADES, 0)
        for (grade, _), n in self.transitions.items():
            counts[grade] += n
        return counts

    @property
    def after(self) -> dict[int, int]:
        """The grade distribution after (keys 0 to 5)."""
        counts = dict.fromkeys(GRADES, 0)
        for (_, grade), n in self.transitions.items():
            counts[grade] += n
        return counts

    def summary(self) -> str:
        """One line: how many territories went up, down, or kept their grade."""
        return (
            f"{_territories(self.total)}: {self.upgraded} upgraded, "
            f"{self.downgraded} downgraded, {self.unchanged} unchanged"
        )

    def __str__(self) -> str:
        width = 7
        header = "before \\ after".ljust(16) + "".join(
            _grade_header(g).rjust(width) for g in GRADES
        )
        lines = [self.summary(), header]
        for before in GRADES:
            cells = "".join(str(self.transitions[(before, after)]).rjust(width) for after in GRADES)
            lines.append(_grade_header(before).ljust(16) + cells)
        shown = 10
        for territory, before, after in self.changed[:shown]:
            lines.append(f"  {_label(territory)}: {arobases(before)} → {arobases(after)}")
        if len(self.changed) > shown:
            lines.append(f"  ... and {len(self.changed) - shown} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(_grade_header(g))}</th>" for g in GRADES)
        rows = []
        for before in GRADES:
            cells = []
            for after in GRADES:
                count = self.transitions[(before, after)]
                text = str(count) if count else ""
                # The diagonal (no change) is set apart from the moves.
                cells.append(f"<td><b>{text}</b></td>" if before == after else f"<td>{text}</td>")
            total = self.before[before]
            rows.append(
                f"<tr><th>{html.escape(_grade_header(before))}</th>{''.join(cells)}"
                f"<td>{total}</td></tr>"
            )
        totals = "".join(f"<td>{self.after[g]}</td>" for g in GRADES)
        return (
            '<table class="villes-label-comparison">'
            f"<caption>{html.escape(self.summary())}</caption>"
            f"<thead><tr><th>before \\ after</th>{head}<th>total</th></tr></thead>"
            f"<tbody>{''.join(rows)}<tr><th>total</th>{totals}<td>{self.total}</td></tr>"
            "</tbody></table>"
        )


def compare(dossiers: Iterable[Dossier], before: Ruleset, after: Ruleset) -> Comparison:
    """Grade a cohort under two rulesets and tell who moves: a what-if experiment.

    Args:
        dossiers: the cohort, any iterable of `Dossier`.
        before: the reference rules.
        after: the variant.

    Raises:
        InvalidInput: a bad argument, or a dossier naming a service that either
            ruleset's taxonomy lacks (the problem names the dossier).

    >>> from fractions import Fraction
    >>> from villes_label import default_ruleset, referential
    >>> rules = default_ruleset()
    >>> cohort = referential.synthetic_cohort(30, seed=3)
    >>> strict = rules.replace(grades=[g if g.arobases != 5 else
    ...     attrs.evolve(g, min_score=Fraction(9, 10)) for g in rules.grades])
    >>> result = compare(cohort, rules, strict)
    >>> result.upgraded, result.downgraded == len(result.changed) > 0
    (0, True)
    >>> compare(cohort, rules, rules).changed
    ()
    """
    cohort = _dossiers(dossiers)
    _check_ruleset(before, "before")
    _check_ruleset(after, "after")
    grades_before = list(_summary(cohort, before).grades)
    grades_after = list(_summary(cohort, after).grades)
    moves = zip(cohort, grades_before, grades_after, strict=True)
    return Comparison(
        transitions=Counter(zip(grades_before, grades_after, strict=True)),
        changed=tuple((d.territory, old, new) for d, old, new in moves if old != new),
    )


# --- calibration -------------------------------------------------------------------


def _target(value: Mapping[int, int], size: int) -> dict[int, int]:
    """The counts asked for grades 1..5 (missing ones are 0), checked."""
    if not is_instance(value, Mapping):
        raise InvalidInput(
            Problem(
                ("target",), f"expected a mapping of grade to count, got {type(value).__name__}"
            )
        )
    problems: list[Problem] = []
    counts = dict.fromkeys(GRADES, 0)
    for grade, count in value.items():
        if not is_int(grade) or grade not in GRADES:
            problems.append(Problem(("target", shown(grade)), f"expected a grade 0..{MAX_GRADE}"))
        elif not is_int(count):
            where = ("target", str(grade))
            problems.append(Problem(where, f"expected a count (int), got {type(count).__name__}"))
        elif too_big(count):
            where = ("target", str(grade))
            problems.append(Problem(where, f"expected an int of at most {MAX_DIGITS} digits"))
        elif count < 0:
            problems.append(Problem(("target", str(grade)), f"a count is >= 0, got {shown(count)}"))
        else:
            counts[grade] = count
    if problems:
        raise InvalidInput(*problems)
    placed = sum(counts[grade] for grade in GRADES[1:])
    if placed > size:
        msg = (
            f"target: it places {placed} territories at grades 1..{MAX_GRADE}, "
            f"but the cohort has only {size}"
        )
        raise CalibrationError(msg)
    if 0 in value and counts[0] != size - placed:
        msg = (
            f"target.0: it asks for {counts[0]} territories at grade 0, but the cohort has "
            f"{size} and the target places {placed} at grades 1..{MAX_GRADE}: "
            f"the remaining {size - placed} get grade 0"
        )
        raise CalibrationError(msg)
    counts[0] = size - placed
    return counts


def _gate_failures(rule: GradeRule, failing: Sequence[Assessment]) -> str:
    """Which gates of *rule* the *failing* assessments miss, most missed first."""
    gates = attrs.evolve(rule, min_score=_ZERO)
    missed: Counter[str] = Counter()
    for result in failing:
        values = Values(
            score=result.score,
            themes=result.themes,
            issues=result.issues,
            statuses=result.statuses,
            not_concerned=result.not_concerned,
            grade=result.grade,
        )
        # Each kind of condition words its own gate; a kind missed twice counts once.
        missed.update(
            {condition.gate(atom) for condition, atom, _ in evaluate(gates, values).failed}
        )
    ranked = sorted(missed.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{gate} missed by {n}" for gate, n in ranked)


def calibrate(ruleset: Ruleset, dossiers: Iterable[Dossier], target: Mapping[int, int]) -> Ruleset:
    """Move the ``min_score`` thresholds so that a cohort gets exactly *target* grades.

    ``target[g]`` territories get grade g for g = 1..5 (a missing grade counts
    0) and the rest of the cohort gets 0. A key 0 is accepted when it says just
    that, so the output of `grade_distribution` can be a target. Only the
    ``min_score`` of the grade rules move; the gates (theme and issue minimums,
    ``min_each_theme``, required services), the weights, credits, mentions and
    the name are kept. The result is monotone, with every threshold in [0, 1].

    How: the gates of a grade do not depend on the thresholds, and with
    monotone rules a territory's grade is the lower of two grades: the highest
    whose gates it passes (its *cap*) and the highest whose threshold its score
    reaches. So the territories at grade g or above are those whose cap is at
    least g and whose score reaches g's threshold, and that threshold can be
    set grade by grade. Grade g needs ``n`` = target[g] + target[g+1] + ...
    territories: among those whose cap is at least g, sorted by score, its
    threshold is the exact score of the ``n``-th best (the lowest territory
    that must reach that grade). This is the only choice of territories that
    gives the count, so calibration fails, naming the grade, exactly when:

    - fewer than ``n`` territories pass the gates of grade g;
    - the ``n``-th and the next one tie on the cut (one of them must reach
      grade g, the other not, with the same score);
    - the threshold of g would lie below the one of the grade under it (a
      territory that must reach g would fall short of the grade below;
      monotone rules cannot do that);
    - ``n`` is 0 but a territory that passes the gates scores 1 (no threshold
      in [0, 1] keeps it out);
    - a grade without a rule is asked for, or the target places more
      territories than the cohort has.

    A grade that no territory must reach keeps its threshold when that already
    keeps every territory out (and stays monotone), else gets 1.

    Args:
        ruleset: the rules to calibrate.
        dossiers: the cohort, any iterable of `Dossier`.
        target: how many territories at each grade 1..5.

    Returns:
        A `Ruleset` equal to *ruleset* but for the ``min_score`` of its grade rules.

    Raises:
        CalibrationError: no thresholds give the target (the message says which
            grade and why).
        InvalidInput: a bad argument (a target key outside 0..5, a negative or
            non-integer count, a dossier naming an unknown service...).

    >>> from villes_label import default_ruleset, referential
    >>> cohort = referential.palmares_cohort()
    >>> calibrated = calibrate(default_ruleset(), cohort, referential.PALMARES_2016)
    >>> grade_distribution(assess(d, calibrated) for d in cohort)
    {0: 0, 1: 40, 2: 37, 3: 31, 4: 25, 5: 30}
    >>> calibrated.grades[0].min_score == min(assess(d, calibrated).score for d in cohort)
    True
    """
    _check_ruleset(ruleset, "ruleset")
    cohort = _dossiers(dossiers)
    counts = _target(target, len(cohort))
    ruled = {rule.arobases for rule in ruleset.grades}
    for grade in GRADES[1:]:
        if counts[grade] and grade not in ruled:
            msg = (
                f"grade {grade} cannot be matched: the target puts "
                f"{_territories(counts[grade])} at grade {grade}, "
                f"but the ruleset has no rule for grade {grade}"
            )
            raise CalibrationError(msg)

    # The cap of a territory is its grade under the gates alone (every min_score
    # set aside); neither the cap nor the score depends on the thresholds.
    summary = _summary(cohort, ruleset)
    # Exact scores as integers over one common denominator: they sort at C speed,
    # and only the few scores that set a threshold become Fractions.
    numerators, caps, size = summary.numerators, summary.gate_grades, len(cohort)
    score = summary.score
    # Best score first; input order breaks ties so messages are reproducible.
    ranking = sorted(range(size), key=lambda n: (-numerators[n], n))
    thresholds: dict[int, Fraction] = {}
    below: tuple[int, Fraction, int] | None = None  # grade, threshold, count of the rule below
    for rule in ruleset.grades:
        grade = rule.arobases
        needed = sum(counts[g] for g in GRADES[grade:])
        eligible = [n for n in ranking if caps[n] >= grade]
        at = f"{grade} @ or more"
        if len(eligible) < needed:
            failing = [assess(cohort[n], ruleset) for n in range(size) if caps[n] < grade]
            msg = (
                f"grade {grade} cannot be matched: the target puts {_territories(needed)} at "
                f"{at}, but only {len(eligible)} of the {size} pass the gates of grade {grade} "
                f"({_gate_failures(rule, failing)})"
            )
            raise CalibrationError(msg)
        if needed == 0:
            best = eligible[0] if eligible else None
            floor = below[1] if below is not None else _ZERO
            choices = [
                value
                for value in (rule.min_score, _ONE)
                if value >= floor and (best is None or value > score(best))
            ]
            # 1 always qualifies when no territory passes the gates: best is set here.
            if not choices and best is not None:
                msg = (
                    f"grade {grade} cannot be matched: the target puts no territory at {at}, "
                    f"but {_label(cohort[best].territory)} scores {points(score(best))} and "
                    f"passes the gates of grade {grade}: no threshold in [0, 1] keeps it out"
                )
                raise CalibrationError(msg)
            thresholds[grade] = choices[0]
        else:
            lowest = eligible[needed - 1]
            if needed < len(eligible) and numerators[eligible[needed]] == numerators[lowest]:
                other = eligible[needed]
                msg = (
                    f"grade {grade} cannot be matched: a tie on the cut: "
                    f"{_label(cohort[lowest].territory)} and {_label(cohort[other].territory)} "
                    f"both score {points(score(lowest))} ({score(lowest)}) and pass the gates "
                    f"of grade {grade}, but the target puts exactly {_territories(needed)} at "
                    f"{at}: one of them would have to reach it and the other not"
                )
                raise CalibrationError(msg)
            if below is not None and score(lowest) < below[1]:
                msg = (
                    f"grade {grade} cannot be matched: {_territories(needed)} must be at {at}, "
                    f"among them {_label(cohort[lowest].territory)}, the lowest of the {needed} "
                    f"best that pass the gates of grade {grade} (score {points(score(lowest))}); "
                    f"but putting exactly {_territories(below[2])} at {below[0]} @ or more "
                    f"needs a threshold of {points(below[1])} for grade {below[0]}, above "
                    "that score "
                    "(thresholds must stay monotone, and the territories that score higher "
                    f"fail the gates of grade {grade})"
                )
                raise CalibrationError(msg)
            thresholds[grade] = score(lowest)
        below = (grade, thresholds[grade], needed)
    return ruleset.replace(
        grades=tuple(
            attrs.evolve(rule, min_score=thresholds[rule.arobases]) for rule in ruleset.grades
        )
    )
