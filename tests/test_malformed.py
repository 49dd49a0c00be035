"""Malformed input: `from_dict` reports every problem with its path, and never crashes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import villes_label as vl
from test_guarantees import example_of
from villes_label import Dossier, InvalidInput, Ruleset, Taxonomy, from_dict, to_dict
from villes_label import testing as vl_testing
from villes_label._check import _reads_itself
from villes_label._errors import render_path
from villes_label._serialize import _key
from villes_label.referential import default_ruleset, default_taxonomy, sample_dossier
from villes_label.testing import dossiers, rulesets, taxonomies

# --- valid documents to break ----------------------------------------------------------


def dossier_doc() -> dict[str, Any]:
    return {
        "territory": {"code": "92049", "name": "Montrouge", "kind": "commune", "population": 50260},
        "year": 2016,
        "services": {"site-internet": "deployed", "wifi-public": "partial"},
        "actions": [
            {"id": "a1", "title": "Portail", "services": ["site-internet"], "status": "deployed"},
            {
                "id": "a2",
                "title": "Wifi",
                "services": ["open-data", "wifi-public"],
                "status": "planned",
            },
            {
                "id": "a3",
                "title": "Budget",
                "services": ["budget-participatif"],
                "status": "partial",
            },
        ],
    }


def taxonomy_doc() -> dict[str, Any]:
    def service(sid: str) -> dict[str, str]:
        return {"id": sid, "name": sid.replace("-", " ").capitalize(), "description": ""}

    return {
        "name": "Mini",
        "version": "2016",
        "themes": [
            {
                "id": "democratie",
                "name": "Démocratie",
                "description": "",
                "issues": [
                    {
                        "id": "services-publics",
                        "name": "Services publics",
                        "description": "",
                        "services": [service("site-internet"), service("wifi-public")],
                    },
                    {
                        "id": "participation",
                        "name": "Participation",
                        "description": "",
                        "services": [service("budget-participatif")],
                    },
                ],
            }
        ],
    }


def ruleset_doc() -> dict[str, Any]:
    return {
        "name": "Mini rules",
        "year": 2016,
        "taxonomy": taxonomy_doc(),
        "grades": [
            {"arobases": 1, "min_score": "1/5"},
            {"arobases": 2, "min_score": "1/2", "min_issue_scores": {"participation": "1/4"}},
        ],
        "mentions": [
            {
                "id": "civique",
                "name": "Mention civique",
                "required_services": ["budget-participatif"],
            }
        ],
        "credits": {"partial": "1/2"},
        "service_weights": {"site-internet": 3},
        "applicability": {"wifi-public": {"kinds": ["commune"], "min_population": 3500}},
    }


def action_doc() -> dict[str, Any]:
    return {
        "id": "a1",
        "title": "Portail",
        "services": ["site-internet", "wifi-public"],
        "status": "deployed",
    }


def applicability_doc() -> dict[str, Any]:
    return {"kinds": ["commune", "metropole"], "min_population": 3500, "opt_out": False}


def grade_rule_doc() -> dict[str, Any]:
    return {
        "arobases": 2,
        "min_score": "1/2",
        "min_theme_scores": {"democratie": "1/4"},
        "required_services": ["site-internet"],
    }


def mention_rule_doc() -> dict[str, Any]:
    return {
        "id": "civique",
        "name": "Mention civique",
        "required_services": ["budget-participatif"],
        "min_grade": 1,
    }


def expectation_doc() -> dict[str, Any]:
    return {
        "stratum": "village",
        "coverage": "1",
        "kinds": ["commune"],
        "max_population": 3500,
    }


def effect_doc() -> dict[str, Any]:
    return {"code": "min-score", "required": "1/2", "before": "1/3", "after": "3/5"}


def roadmap_year_doc() -> dict[str, Any]:
    return {"year": 2017, "grade": 2, "score": "1/3", "steps": []}


def roadmap_doc() -> dict[str, Any]:
    return {
        "target": 4,
        "reachable": False,
        "start": 2016,
        "horizon": 4,
        "per_year": 2,
        "grade": 3,
        "score": "1/2",
        "years": [roadmap_year_doc()],
    }


def step_doc() -> dict[str, Any]:
    return {
        "service": "budget-participatif",
        "current": "planned",
        "proposed": "deployed",
        "gain": "1/32",
    }


def plan_doc() -> dict[str, Any]:
    return {"target": 4, "reachable": True, "steps": [step_doc()]}


def area_doc() -> dict[str, Any]:
    cohort = vl.referential.national_cohort(3, seed=1)
    results = [vl.assess(d, default_ruleset()) for d in cohort]
    return to_dict(next(iter(vl.atlas(results, "region").values())))


def reason_doc() -> dict[str, Any]:
    return {"code": "min-score", "message": "short", "required": "1/2", "actual": "1/4"}


def assessment_doc() -> dict[str, Any]:
    return to_dict(vl.assess(sample_dossier(), default_ruleset()))


def scenario_doc() -> dict[str, Any]:
    return {
        "name": "Montrouge",
        "dossier": dossier_doc(),
        "expect_grade": 2,
        "expect_score": "1/4",
        "expect_mentions": ["civique"],
    }


def comparison_doc() -> dict[str, Any]:
    return {"transitions": {"3->3": 5, "3->4": 1}, "changed": [[territory_doc(), 3, 4]]}


def migration_doc() -> dict[str, Any]:
    return {"dossier": dossier_doc(), "dropped": ["minitel"], "dropped_actions": []}


def diff_doc() -> dict[str, Any]:
    return {"added": ["a"], "removed": ["b"], "renamed": [], "moved": [], "change_ratio": "1/4"}


def territory_doc() -> dict[str, Any]:
    territory: dict[str, Any] = dossier_doc()["territory"]
    return territory


def nested_lists(depth: int) -> list[Any]:
    """``[[[...]]]``, *depth* lists deep, built without recursion."""
    inner: list[Any] = []
    for _ in range(depth):
        inner = [inner]
    return inner


def test_the_documents_are_valid() -> None:
    assert from_dict(dossier_doc(), Dossier).year == 2016
    assert len(from_dict(taxonomy_doc(), Taxonomy).services) == 3
    assert from_dict(ruleset_doc(), Ruleset).grade_rule(2) is not None
    for make, cls in [
        (action_doc, vl.Action),
        (applicability_doc, vl.Applicability),
        (grade_rule_doc, vl.GradeRule),
        (mention_rule_doc, vl.MentionRule),
        (expectation_doc, vl.Expectation),
        (effect_doc, vl.Effect),
        (roadmap_year_doc, vl.RoadmapYear),
        (roadmap_doc, vl.Roadmap),
        (step_doc, vl.Step),
        (plan_doc, vl.Plan),
        (reason_doc, vl.Reason),
        (assessment_doc, vl.Assessment),
        (scenario_doc, vl.Scenario),
        (comparison_doc, vl.Comparison),
        (migration_doc, vl.Migration),
        (diff_doc, vl.TaxonomyDiff),
        (territory_doc, vl.Territory),
    ]:
        assert type(from_dict(make(), cls)) is cls


# --- the catalogue ----------------------------------------------------------------------

Path = tuple[str | int, ...]
_DROP = object()


def changed(doc: dict[str, Any], *edits: tuple[Path, object]) -> dict[str, Any]:
    """A copy of *doc* with each value at a path replaced (or dropped with _DROP)."""
    doc = copy.deepcopy(doc)
    for path, value in edits:
        *parents, last = path
        node: Any = doc
        for step in parents:
            node = node[step]
        if value is _DROP:
            del node[last]
        else:
            node[last] = value
    return doc


def paths_of(error: InvalidInput) -> list[str]:
    """The path of each problem ("" for a problem about the whole document)."""
    paths = []
    for problem in error.problems:
        head, sep, _ = problem.partition(": ")
        paths.append(head if sep and " " not in head else "")
    return sorted(paths)


D, R, T = dossier_doc, ruleset_doc, taxonomy_doc
CASES: list[tuple[str, type, Callable[[], object], list[str]]] = [
    # the territory of a dossier
    (
        "population as a string",
        Dossier,
        lambda: changed(D(), (("territory", "population"), "50260")),
        ["territory.population"],
    ),
    (
        "negative population",
        Dossier,
        lambda: changed(D(), (("territory", "population"), -1)),
        ["territory.population"],
    ),
    (
        "population as a bool",
        Dossier,
        lambda: changed(D(), (("territory", "population"), True)),
        ["territory.population"],
    ),
    (
        "population as a float",
        Dossier,
        lambda: changed(D(), (("territory", "population"), 50260.0)),
        ["territory.population"],
    ),
    (
        "unknown kind",
        Dossier,
        lambda: changed(D(), (("territory", "kind"), "ville")),
        ["territory.kind"],
    ),
    (
        "bad INSEE code",
        Dossier,
        lambda: changed(D(), (("territory", "code"), "9204")),
        ["territory.code"],
    ),
    (
        "SIREN for a commune",
        Dossier,
        lambda: changed(D(), (("territory", "code"), "200054781")),
        ["territory.code"],
    ),
    (
        "code as an int",
        Dossier,
        lambda: changed(D(), (("territory", "code"), 92049)),
        ["territory.code"],
    ),
    ("empty name", Dossier, lambda: changed(D(), (("territory", "name"), "")), ["territory.name"]),
    (
        "bad kind hides nothing beside it",
        Dossier,
        lambda: changed(D(), (("territory", "kind"), "vilage"), (("territory", "population"), -5)),
        ["territory.kind", "territory.population"],
    ),
    (
        "misspelt field",
        Dossier,
        lambda: changed(D(), (("territory", "population"), _DROP), (("territory", "populaton"), 1)),
        ["territory.population", "territory.populaton"],
    ),
    (
        "territory as a string",
        Dossier,
        lambda: changed(D(), (("territory",), "Montrouge")),
        ["territory"],
    ),
    ("no territory", Dossier, lambda: changed(D(), (("territory",), _DROP)), ["territory"]),
    # the dossier itself
    ("year as a string", Dossier, lambda: changed(D(), (("year",), "2016")), ["year"]),
    ("year before the label", Dossier, lambda: changed(D(), (("year",), 1999)), ["year"]),
    ("no year", Dossier, lambda: changed(D(), (("year",), _DROP)), ["year"]),
    (
        "unknown top-level field",
        Dossier,
        lambda: changed(D(), (("commune",), "Montrouge")),
        ["commune"],
    ),
    (
        "services as a list",
        Dossier,
        lambda: changed(D(), (("services",), ["site-internet"])),
        ["services"],
    ),
    (
        "unknown status",
        Dossier,
        lambda: changed(D(), (("services", "site-internet"), "yes")),
        ["services.site-internet"],
    ),
    (
        "status as an int",
        Dossier,
        lambda: changed(D(), (("services", "site-internet"), 3)),
        ["services.site-internet"],
    ),
    (
        "not applicable but delivered",
        Dossier,
        lambda: changed(D(), (("services", "wifi-public"), "not_applicable")),
        ["services.wifi-public"],
    ),
    # actions
    (
        "actions as an object",
        Dossier,
        lambda: changed(D(), (("actions",), {"a1": {}})),
        ["actions"],
    ),
    (
        "unknown action status",
        Dossier,
        lambda: changed(D(), (("actions", 2, "status"), "done")),
        ["actions[2].status"],
    ),
    (
        "action not applicable",
        Dossier,
        lambda: changed(D(), (("actions", 0, "status"), "not_applicable")),
        ["actions[0].status"],
    ),
    (
        "services as a string",
        Dossier,
        lambda: changed(D(), (("actions", 0, "services"), "site-internet")),
        ["actions[0].services"],
    ),
    (
        "an action with no service",
        Dossier,
        lambda: changed(D(), (("actions", 0, "services"), [])),
        ["actions[0].services"],
    ),
    (
        "a service id as an int",
        Dossier,
        lambda: changed(D(), (("actions", 1, "services", 1), 7)),
        ["actions[1].services[1]"],
    ),
    (
        "duplicate action id",
        Dossier,
        lambda: changed(D(), (("actions", 1, "id"), "a1")),
        ["actions[1].id"],
    ),
    (
        "action without title",
        Dossier,
        lambda: changed(D(), (("actions", 0, "title"), _DROP)),
        ["actions[0].title"],
    ),
    ("action as a string", Dossier, lambda: changed(D(), (("actions", 1), "a2")), ["actions[1]"]),
    ("not an object at all", Dossier, lambda: [dossier_doc()], [""]),
    (
        "every problem at once",
        Dossier,
        lambda: changed(
            D(),
            (("territory", "population"), "many"),
            (("actions", 2, "status"), "done"),
            (("year",), "2016"),
            (("services", "wifi-public"), None),
            (("extra",), 1),
        ),
        ["actions[2].status", "extra", "services.wifi-public", "territory.population", "year"],
    ),
    # rulesets
    (
        "threshold not a number",
        Ruleset,
        lambda: changed(R(), (("grades", 0, "min_score"), "abc")),
        ["grades[0].min_score"],
    ),
    (
        "threshold NaN",
        Ruleset,
        lambda: changed(R(), (("grades", 0, "min_score"), float("nan"))),
        ["grades[0].min_score"],
    ),
    (
        "threshold infinite",
        Ruleset,
        lambda: changed(R(), (("grades", 0, "min_score"), "inf")),
        ["grades[0].min_score"],
    ),
    (
        "threshold a bool",
        Ruleset,
        lambda: changed(R(), (("grades", 0, "min_score"), True)),
        ["grades[0].min_score"],
    ),
    (
        "threshold above one",
        Ruleset,
        lambda: changed(R(), (("grades", 0, "min_score"), "3/2")),
        ["grades[0].min_score"],
    ),
    (
        "grades not monotone",
        Ruleset,
        lambda: changed(R(), (("grades", 1, "min_score"), "1/10")),
        ["grades[1]"],
    ),
    (
        "grade out of range",
        Ruleset,
        lambda: changed(R(), (("grades", 0, "arobases"), 9)),
        ["grades[0].arobases"],
    ),
    ("no grade", Ruleset, lambda: changed(R(), (("grades",), [])), ["grades"]),
    (
        "unknown credit status",
        Ruleset,
        lambda: changed(R(), (("credits", "excellent"), "1")),
        ["credits.excellent"],
    ),
    (
        "unknown service weight",
        Ruleset,
        lambda: changed(R(), (("service_weights", "site-internte"), 2)),
        ["service_weights.site-internte"],
    ),
    (
        "zero weight",
        Ruleset,
        lambda: changed(R(), (("service_weights", "site-internet"), 0)),
        ["service_weights.site-internet"],
    ),
    (
        "weight as a string",
        Ruleset,
        lambda: changed(R(), (("service_weights", "site-internet"), "3")),
        ["service_weights.site-internet"],
    ),
    (
        "unknown required service",
        Ruleset,
        lambda: changed(R(), (("grades", 1, "required_services"), ["budget"])),
        ["grades[1].required_services.budget"],
    ),
    (
        "kinds as a string",
        Ruleset,
        lambda: changed(R(), (("applicability", "wifi-public", "kinds"), "commune")),
        ["applicability.wifi-public.kinds"],
    ),
    (
        "empty population range",
        Ruleset,
        lambda: changed(R(), (("applicability", "wifi-public", "max_population"), 100)),
        ["applicability.wifi-public.max_population"],
    ),
    (
        "opt-out as a string",
        Ruleset,
        lambda: changed(R(), (("applicability", "wifi-public", "opt_out"), "yes")),
        ["applicability.wifi-public.opt_out"],
    ),
    (
        "mention without name",
        Ruleset,
        lambda: changed(R(), (("mentions", 0, "name"), _DROP)),
        ["mentions[0].name"],
    ),
    (
        "issue without service",
        Ruleset,
        lambda: changed(R(), (("taxonomy", "themes", 0, "issues", 1, "services"), [])),
        ["taxonomy.themes[0].issues[1].services"],
    ),
    (
        "duplicate service id",
        Ruleset,
        lambda: changed(
            R(), (("taxonomy", "themes", 0, "issues", 0, "services", 1, "id"), "site-internet")
        ),
        ["taxonomy.themes[0].issues[0].services[1].id"],
    ),
    (
        "problems in two grades and the weights",
        Ruleset,
        lambda: changed(
            R(),
            (("grades", 0, "min_score"), "x"),
            (("grades", 1, "min_score"), "7/5"),
            (("service_weights", "wifi"), 1),
        ),
        ["grades[0].min_score", "grades[1].min_score", "service_weights.wifi"],
    ),
    # the taxonomy
    ("a taxonomy with no theme", Taxonomy, lambda: changed(T(), (("themes",), [])), ["themes"]),
    (
        "a theme with no issue",
        Taxonomy,
        lambda: changed(T(), (("themes", 0, "issues"), [])),
        ["themes[0].issues"],
    ),
    (
        "duplicate issue id",
        Taxonomy,
        lambda: changed(T(), (("themes", 0, "issues", 1, "id"), "services-publics")),
        ["themes[0].issues[1].id"],
    ),
    (
        "empty service id",
        Taxonomy,
        lambda: changed(T(), (("themes", 0, "issues", 0, "services", 0, "id"), "")),
        ["themes[0].issues[0].services[0].id"],
    ),
    (
        "id with spaces around",
        Taxonomy,
        lambda: changed(T(), (("themes", 0, "issues", 0, "services", 1, "id"), " wifi ")),
        ["themes[0].issues[0].services[1].id"],
    ),
    ("version as an int", Taxonomy, lambda: changed(T(), (("version",), 2016)), ["version"]),
    (
        "a theme wrapped in a list",
        Taxonomy,
        lambda: changed(T(), (("themes", 0), [T()["themes"][0]])),
        ["themes[0]"],
    ),
    (
        "a service with a numeric name and a misspelt field",
        vl.Service,
        lambda: {"id": "x", "name": 3, "desc": ""},
        ["desc", "name"],
    ),
    ("an issue without services", vl.Issue, lambda: {"id": "x", "name": "n"}, ["services"]),
    (
        "a source without title, a numeric date and an empty id",
        vl.Source,
        lambda: {"id": " ", "date": 2016},
        ["date", "id", "title"],  # the empty id too: a type problem beside it hides nothing
    ),
    (
        "a service from a source the taxonomy lacks",
        Taxonomy,
        lambda: changed(T(), (("themes", 0, "issues", 0, "services", 0, "source"), "atlas-2014")),
        ["themes[0].issues[0].services[0].source"],
    ),
    (
        "a former id that reads as no service",
        Taxonomy,
        lambda: changed(T(), (("aliases",), {"coworking": "co-working"})),
        ["aliases.coworking"],
    ),
    (
        "issues as a string",
        vl.Theme,
        lambda: {"id": "x", "name": "n", "issues": "abc"},
        ["issues"],
    ),
    # territories and actions on their own
    (
        "an INSEE code for a metropole",
        vl.Territory,
        lambda: changed(territory_doc(), (("kind",), "metropole")),
        ["code"],
    ),
    (
        "a service listed twice in an action",
        vl.Action,
        lambda: changed(
            action_doc(), (("services",), ["wifi-public", "site-internet", "wifi-public"])
        ),
        ["services[2]"],
    ),
    (
        "a service listed three times in a dossier's action",
        Dossier,
        lambda: changed(D(), (("actions", 1, "services"), ["open-data", "open-data", "open-data"])),
        ["actions[1].services[1]", "actions[1].services[2]"],
    ),
    # rules on their own
    (
        "a kind listed twice",
        vl.Applicability,
        lambda: changed(applicability_doc(), (("kinds",), ["commune", "metropole", "commune"])),
        ["kinds[2]"],
    ),
    (
        "no kind",
        vl.Applicability,
        lambda: changed(applicability_doc(), (("kinds",), [])),
        ["kinds"],
    ),
    (
        "negative minimum population",
        vl.Applicability,
        lambda: changed(applicability_doc(), (("min_population",), -10)),
        ["min_population"],
    ),
    (
        "an expectation with a zero coverage, a negative breadth and no kind",
        vl.Expectation,
        lambda: changed(
            expectation_doc(),
            (("coverage",), "0"),
            (("theme_breadth",), "-1"),
            (("kinds",), []),
        ),
        ["coverage", "theme_breadth", "kinds"],
    ),
    (
        "a required service listed twice",
        vl.GradeRule,
        lambda: changed(grade_rule_doc(), (("required_services",), ["site-internet"] * 2)),
        ["required_services[1]"],
    ),
    (
        "negative threshold",
        vl.GradeRule,
        lambda: changed(grade_rule_doc(), (("min_score",), "-1/2")),
        ["min_score"],
    ),
    (
        "theme threshold NaN",
        vl.GradeRule,
        lambda: changed(grade_rule_doc(), (("min_theme_scores", "democratie"), float("nan"))),
        ["min_theme_scores.democratie"],
    ),
    (
        "each-theme threshold minus infinity",
        vl.GradeRule,
        lambda: changed(grade_rule_doc(), (("min_each_theme",), float("-inf"))),
        ["min_each_theme"],
    ),
    (
        "threshold with an absurd exponent",
        vl.GradeRule,
        lambda: changed(grade_rule_doc(), (("min_score",), "1e99999999")),
        ["min_score"],
    ),
    (
        "a mention with no condition",
        vl.MentionRule,
        lambda: changed(mention_rule_doc(), (("required_services",), [])),
        ["min_issue_scores"],
    ),
    (
        "a mention for grade 7",
        vl.MentionRule,
        lambda: changed(mention_rule_doc(), (("min_grade",), 7)),
        ["min_grade"],
    ),
    (
        "duplicate mention id",
        Ruleset,
        lambda: changed(R(), (("mentions",), [mention_rule_doc(), mention_rule_doc()])),
        ["mentions[1].id"],
    ),
    (
        "two rules for one grade",
        Ruleset,
        lambda: changed(R(), (("grades", 1, "arobases"), 1)),
        ["grades[1].arobases"],
    ),
    (
        "a credit for not applicable",
        Ruleset,
        lambda: changed(R(), (("credits", "not_applicable"), "1")),
        ["credits.not_applicable"],
    ),
    (
        "a required service listed twice in a grade",
        Ruleset,
        lambda: changed(R(), (("grades", 1, "required_services"), ["wifi-public"] * 2)),
        ["grades[1].required_services[1]"],
    ),
    (
        "unknown theme in a gate",
        Ruleset,
        lambda: changed(R(), (("grades", 1, "min_theme_scores"), {"democracy": "1/2"})),
        ["grades[1].min_theme_scores.democracy"],
    ),
    (
        "theme weights as a string",
        Ruleset,
        lambda: changed(R(), (("theme_weights",), "democratie")),
        ["theme_weights"],
    ),
    (
        "a ruleset inside a scorer",
        vl.Scorer,
        lambda: {"ruleset": changed(R(), (("grades", 0, "min_score"), float("nan")))},
        ["ruleset.grades[0].min_score"],
    ),
    ("a scorer without rules", vl.Scorer, dict, ["ruleset"]),
    # results read back
    (
        "grade as a string",
        vl.Assessment,
        lambda: changed(assessment_doc(), (("grade",), "3")),
        ["grade"],
    ),
    (
        "score NaN",
        vl.Assessment,
        lambda: changed(assessment_doc(), (("score",), "nan")),
        ["score"],
    ),
    (
        "unknown effective status",
        vl.Assessment,
        lambda: changed(assessment_doc(), (("statuses", "site-internet"), "done")),
        ["statuses.site-internet"],
    ),
    (
        "reasons as an object",
        vl.Assessment,
        lambda: changed(assessment_doc(), (("reasons",), {})),
        ["reasons"],
    ),
    (
        "an assessment without territory",
        vl.Assessment,
        lambda: changed(assessment_doc(), (("territory",), _DROP)),
        ["territory"],
    ),
    (
        "grade 9 read back",
        vl.Assessment,
        lambda: changed(assessment_doc(), (("grade",), 9)),
        ["grade"],
    ),
    (
        "a score above 1 and a theme below 0",
        vl.Assessment,
        lambda: changed(
            assessment_doc(),
            (("score",), "3/2"),
            (("themes", "democratie-services-publics"), "-1/2"),
        ),
        ["score", "themes.democratie-services-publics"],
    ),
    (
        "rules for the year 99999",
        vl.Ruleset,
        lambda: changed(ruleset_doc(), (("year",), 99999)),
        ["year"],
    ),
    (
        "a negative change ratio",
        vl.TaxonomyDiff,
        lambda: changed(diff_doc(), (("change_ratio",), "-1/4")),
        ["change_ratio"],
    ),
    (
        "an undeclared service listed twice",
        vl.Assessment,
        lambda: changed(assessment_doc(), (("undeclared",), ["a", "b", "a"])),
        ["undeclared[2]"],
    ),
    (
        "a plan for grade 6",
        vl.Plan,
        lambda: changed(plan_doc(), (("target",), 6)),
        ["target"],
    ),
    (
        "the same step twice",
        vl.Plan,
        lambda: changed(plan_doc(), (("steps",), [step_doc(), step_doc()])),
        ["steps[1].service"],
    ),
    (
        "an unreachable plan with steps",
        vl.Plan,
        lambda: changed(plan_doc(), (("reachable",), False)),
        ["steps"],
    ),
    (
        "a step that lowers the score",
        vl.Plan,
        lambda: changed(plan_doc(), (("steps", 0, "gain"), "-1/32")),
        ["steps[0].gain"],
    ),
    (
        "an expectation with a negative coverage and population",
        vl.Expectation,
        lambda: {"stratum": "s", "coverage": "-1", "min_population": -5},
        ["coverage", "min_population"],
    ),
    (
        "an effect whose values are not fractions",
        vl.Effect,
        lambda: {"code": "issue-gate", "subject": "i0", "before": "much", "after": [1]},
        ["after", "before"],
    ),
    (
        "a roadmap with a grade 9 and no horizon",
        vl.Roadmap,
        lambda: {
            "target": 9,
            "reachable": True,
            "start": 2016,
            "horizon": 0,
            "per_year": 1,
            "grade": 3,
            "score": "1/2",
        },
        ["horizon", "target"],
    ),
    (
        "a roadmap year with a score above 1",
        vl.RoadmapYear,
        lambda: {"year": 2017, "steps": [], "grade": 9, "score": "3/2"},
        ["grade", "score"],
    ),
    (
        "a step to not applicable",
        vl.Step,
        lambda: changed(step_doc(), (("proposed",), "not_applicable")),
        ["proposed"],
    ),
    (
        "a gain as a list",
        vl.Step,
        lambda: changed(step_doc(), (("gain",), [1, 32])),
        ["gain"],
    ),
    (
        "an actor of no known role",
        vl.Actor,
        lambda: {"name": "", "role": "mairie"},
        ["name", "role"],
    ),
    (
        "a place out of range",
        vl.Place,
        lambda: {"commune": "97502", "latitude": 91, "longitude": "2", "postal_code": "750"},
        ["commune", "latitude", "longitude", "postal_code"],
    ),
    (
        "an action with a bad date, link and place",
        Dossier,
        lambda: changed(
            D(),
            (("actions", 0, "date"), "2015-02-30"),
            (("actions", 0, "links"), ["ftp://x.fr"]),
            (("actions", 0, "place"), {"commune": "7208"}),
        ),
        ["actions[0].date", "actions[0].links[0]", "actions[0].place.commune"],
    ),
    (
        "an area summary whose grades do not add up",
        vl.AreaSummary,
        lambda: changed(area_doc(), (("territories",), 99), (("mean_score",), "2")),
        ["grades", "mean_score"],
    ),
    (
        "an atlas whose area has another code",
        vl.Atlas,
        lambda: {"level": "region", "areas": {"84": changed(area_doc(), (("code",), "11"))}},
        ["areas.84"],
    ),
    (
        "a dashboard of another territory than its dossier",
        vl.Dashboard,
        lambda: changed(
            to_dict(vl.dashboard(sample_dossier(), default_ruleset())),
            (("dossier", "territory", "population"), 1),
        ),
        ["assessment"],
    ),
    (
        "a peer at the other end of the universe",
        vl.Peer,
        lambda: {
            "territory": to_dict(sample_dossier().territory),
            "year": 2016,
            "proximity": "monde",
            "distance_km": 1e9,
        },
        ["distance_km", "proximity"],
    ),
    ("a reason code as an int", vl.Reason, lambda: changed(reason_doc(), (("code",), 3)), ["code"]),
    (
        "an infinite requirement",
        vl.Reason,
        lambda: changed(reason_doc(), (("required",), "Infinity")),
        ["required"],
    ),
    (
        "a malformed transition key",
        vl.Comparison,
        lambda: changed(comparison_doc(), (("transitions",), {"3-4": 1})),
        ["transitions.3-4"],
    ),
    (
        "transitions that disagree with the movers",
        vl.Comparison,
        lambda: changed(comparison_doc(), (("transitions", "3->4"), 2)),
        ["changed"],
    ),
    (
        "a mover to grade 7",
        vl.Comparison,
        lambda: changed(comparison_doc(), (("changed", 0, 2), 7)),
        ["changed[0][2]"],
    ),
    (
        "a mover of two items",
        vl.Comparison,
        lambda: changed(comparison_doc(), (("changed", 0), [3, 4])),
        ["changed[0]"],
    ),
    (
        "a dropped service still in the dossier",
        vl.Migration,
        lambda: changed(migration_doc(), (("dropped",), ["site-internet"])),
        ["dropped"],
    ),
    (
        "a dropped service listed twice",
        vl.Migration,
        lambda: changed(migration_doc(), (("dropped",), ["minitel", "minitel"])),
        ["dropped[1]"],
    ),
    (
        "a dropped action still in the dossier",
        vl.Migration,
        lambda: changed(migration_doc(), (("dropped_actions",), ["a1"])),
        ["dropped_actions"],
    ),
    (
        "added services as a string",
        vl.TaxonomyDiff,
        lambda: changed(diff_doc(), (("added",), "a")),
        ["added"],
    ),
    (
        "a change ratio in words",
        vl.TaxonomyDiff,
        lambda: changed(diff_doc(), (("change_ratio",), "a quarter")),
        ["change_ratio"],
    ),
    # scenarios
    (
        "a scenario expecting grade 9",
        vl.Scenario,
        lambda: changed(scenario_doc(), (("expect_grade",), 9)),
        ["expect_grade"],
    ),
    (
        "a scenario expecting a score above one",
        vl.Scenario,
        lambda: changed(scenario_doc(), (("expect_score",), "3/2")),
        ["expect_score"],
    ),
    (
        "an expected mention listed twice",
        vl.Scenario,
        lambda: changed(scenario_doc(), (("expect_mentions",), ["civique", "civique"])),
        ["expect_mentions[1]"],
    ),
    (
        "a blank scenario name",
        vl.Scenario,
        lambda: changed(scenario_doc(), (("name",), " ")),
        ["name"],
    ),
    (
        "a bad dossier in a scenario",
        vl.Scenario,
        lambda: changed(scenario_doc(), (("dossier", "territory", "population"), -1)),
        ["dossier.territory.population"],
    ),
    # problems and size-aware expectations
    (
        "a problem whose path is a string and whose message is a number",
        vl.Problem,
        lambda: {"path": "services.S999", "message": 3},
        ["message", "path"],
    ),
    (
        "a problem path with a float",
        vl.Problem,
        lambda: {"path": ["services", 1.5], "message": "m"},
        ["path[1]"],
    ),
    (
        "an expectation with no coverage and a blank stratum",
        vl.Expectation,
        lambda: {"stratum": "\u200b", "coverage": "0", "kinds": ["commune"]},
        ["coverage", "stratum"],
    ),
    (
        "an expectation of an unknown issue in rules",
        Ruleset,
        lambda: changed(
            R(),
            (
                ("expectations",),
                [{"stratum": "all", "coverage": "2", "issue_coverage": {"participaton": "1"}}],
            ),
        ),
        ["expectations[0].issue_coverage.participaton"],
    ),
    # huge inputs
    (
        "one bad action among thousands",
        Dossier,
        lambda: changed(
            D(),
            (
                ("actions",),
                [changed(action_doc(), (("id",), f"a{n}")) for n in range(5000)]
                + [changed(action_doc(), (("status",), "done"))],
            ),
        ),
        ["actions[5000].status"],
    ),
    (
        "one bad status among a hundred thousand entries",
        Dossier,
        lambda: changed(
            D(), (("services",), {**{f"s{n}": "deployed" for n in range(100_000)}, "x": "bad"})
        ),
        ["services.x"],
    ),
    (
        "a megabyte as a kind",
        Dossier,
        lambda: changed(D(), (("territory", "kind"), "x" * 1_000_000)),
        ["territory.kind"],
    ),
    (
        "a megabyte as a threshold",
        vl.GradeRule,
        lambda: changed(grade_rule_doc(), (("min_score",), "1" * 1_000_000)),
        ["min_score"],
    ),
    (
        "a year of five thousand digits",
        Dossier,
        lambda: changed(D(), (("year",), 10**5000)),
        ["year"],
    ),
    (
        "a threshold of five thousand digits",
        vl.GradeRule,
        lambda: changed(grade_rule_doc(), (("min_score",), 10**5000)),
        ["min_score"],
    ),
    (
        "an expectation whose coverage is zero and whose population range is empty",
        vl.Expectation,
        lambda: changed(
            expectation_doc(),
            (("coverage",), 0),
            (("min_population",), 5000),
        ),
        ["coverage", "max_population"],
    ),
    (
        "an effect whose threshold is not a fraction",
        vl.Effect,
        lambda: changed(effect_doc(), (("required",), "x")),
        ["required"],
    ),
    (
        "a roadmap year whose score is not a fraction",
        vl.RoadmapYear,
        lambda: changed(roadmap_year_doc(), (("score",), [1, 2])),
        ["score"],
    ),
    (
        "a roadmap whose yearly budget is a string",
        vl.Roadmap,
        lambda: changed(roadmap_doc(), (("per_year",), "2")),
        ["per_year"],
    ),
    (
        "a fraction with a denominator of five thousand digits",
        vl.Reason,
        lambda: changed(reason_doc(), (("actual",), Fraction(1, 10**5000))),
        ["actual"],
    ),
    (
        "a transition key of five thousand digits",
        vl.Comparison,
        lambda: changed(comparison_doc(), (("transitions",), {"9" * 5000 + "->1": 1})),
        [render_path(("transitions", "9" * 5000 + "->1"))],
    ),
    (
        "a territory nested a hundred thousand lists deep",
        Dossier,
        lambda: changed(D(), (("territory",), nested_lists(100_000))),
        ["territory"],
    ),
]


class TestCatalogue:
    """Each malformed document is refused with exactly the expected problem paths."""

    def test_the_catalogue_is_large(self) -> None:
        assert len(CASES) >= 60
        assert len({name for name, *_ in CASES}) == len(CASES)

    def test_every_public_class_has_a_case(self) -> None:
        covered = {cls for _, cls, _, _ in CASES}
        assert set(PUBLIC_CLASSES) <= covered, set(PUBLIC_CLASSES) - covered

    @pytest.mark.parametrize(
        ("cls", "make", "expected"),
        [case[1:] for case in CASES],
        ids=[case[0] for case in CASES],
    )
    def test_refused_with_paths(
        self, cls: type[Any], make: Callable[[], object], expected: list[str]
    ) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_dict(make(), cls)
        assert paths_of(caught.value) == sorted(expected), caught.value.problems
        assert all(isinstance(p, str) for p in caught.value.problems)
        assert all(caught.value.problems)

    @pytest.mark.parametrize(
        ("cls", "make"),
        [(case[1], case[2]) for case in CASES if "megabyte" in case[0]],
    )
    def test_a_huge_value_is_not_quoted_in_full(
        self, cls: type[Any], make: Callable[[], object]
    ) -> None:
        with pytest.raises(InvalidInput) as caught:
            from_dict(make(), cls)
        assert all(len(problem) < 300 for problem in caught.value.problems)

    def test_messages_name_the_offender(self) -> None:
        doc = changed(
            D(), (("territory", "kind"), "comune"), (("actions", 0, "status"), "Deployed")
        )
        with pytest.raises(InvalidInput) as caught:
            from_dict(doc, Dossier)
        assert caught.value.problems == (
            "territory.kind: unknown territory kind 'comune' (did you mean 'commune'?)",
            "actions[0].status: unknown status 'Deployed' (did you mean 'deployed'?)",
        )


# --- fuzzing ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["commune", "deployed", "1/2", "0.35", "92049", "nan", "1e999999"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["territory", "year", "services", "actions", "id", "name", "code"])
            | st.text(max_size=6),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
PUBLIC_CLASSES = sorted(
    (obj for name in vl.__all__ if isinstance(obj := getattr(vl, name), type) and attrs.has(obj)),
    key=lambda cls: cls.__name__,
)


def refused_or_built(data: object, cls: type[Any]) -> None:
    try:
        result = from_dict(data, cls)
    except InvalidInput as error:
        problems = error.problems
    else:
        assert type(result) is cls
        return
    assert problems
    assert all(isinstance(p, str) for p in problems)
    assert all(problems)


def model_objects(
    value: object, doc: object, path: str = ""
) -> Iterator[tuple[str, dict[str, Any], type]]:
    """Each object of *doc* that stands for an attrs value, with its path and class."""
    cls = type(value)
    if attrs.has(cls):
        assert isinstance(doc, dict)
        yield path, doc, cls
        for field in attrs.fields(cls):
            if field.init:
                sub = f"{path}.{field.alias}" if path else field.alias
                yield from model_objects(getattr(value, field.name), doc[field.alias], sub)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from model_objects(item, doc[_key(key)], f"{path}.{_key(key)}")  # type: ignore[index]
    elif isinstance(value, tuple):
        for n, item in enumerate(value):
            yield from model_objects(item, doc[n], f"{path}[{n}]")  # type: ignore[index]


def nodes(doc: object) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) of a plain document."""
    if isinstance(doc, dict):
        for key in list(doc):
            yield doc, key
            yield from nodes(doc[key])
    elif isinstance(doc, list):
        for n, item in enumerate(doc):
            yield doc, n
            yield from nodes(item)


@st.composite
def valid_values(draw: st.DrawFn) -> object:
    taxonomy = draw(taxonomies(max_themes=2))
    rules = draw(rulesets(taxonomy))
    dossier = draw(dossiers(rules))
    return draw(
        st.sampled_from(
            [
                taxonomy,
                rules,
                dossier,
                dossier.territory,
                vl.assess(dossier, rules),
                vl.recommend(dossier, rules),
            ]
        )
    )


class TestNeverCrashes:
    """Whatever the data, from_dict returns a value of the class or raises InvalidInput, nothing else."""

    @given(data=json_values, cls=st.sampled_from(PUBLIC_CLASSES))
    def test_arbitrary_data(self, data: object, cls: type[Any]) -> None:
        refused_or_built(data, cls)

    @given(data=json_values, cls=st.sampled_from(PUBLIC_CLASSES))
    def test_arbitrary_data_inside_an_object(self, data: object, cls: type[Any]) -> None:
        fields = [field.alias for field in attrs.fields(cls) if field.init]
        refused_or_built(dict.fromkeys(fields, data), cls)

    @given(value=valid_values(), data=st.data())
    def test_mutations_of_valid_documents(self, value: object, data: st.DataObject) -> None:
        doc = to_dict(value)
        for _ in range(data.draw(st.integers(1, 3))):
            places = list(nodes(doc))
            if not places:
                break
            container, key = data.draw(st.sampled_from(places))
            action = data.draw(st.sampled_from(["drop", "replace", "add", "stringify"]))
            if action == "drop":
                del container[key]
            elif action == "replace":
                container[key] = data.draw(json_values)
            elif action == "stringify":
                container[key] = json.dumps(container[key])
            elif isinstance(container, dict):
                container[data.draw(st.text(max_size=6))] = data.draw(json_values)
            else:
                container.append(data.draw(json_values))
        refused_or_built(doc, type(value))


class TestEveryProblemIsReported:
    """An unknown field or a missing required field anywhere is reported at its path."""

    @given(value=valid_values(), data=st.data())
    def test_an_unknown_field(self, value: object, data: st.DataObject) -> None:
        doc = to_dict(value)
        path, obj, _ = data.draw(st.sampled_from(list(model_objects(value, doc))))
        obj["zz_unknown"] = 1
        with pytest.raises(InvalidInput) as caught:
            from_dict(doc, type(value))
        where = f"{path}.zz_unknown" if path else "zz_unknown"
        assert f"{where}: unknown field" in caught.value.problems

    @given(value=valid_values(), data=st.data())
    def test_a_missing_required_field(self, value: object, data: st.DataObject) -> None:
        doc = to_dict(value)
        path, obj, cls = data.draw(st.sampled_from(list(model_objects(value, doc))))
        required = [f.alias for f in attrs.fields(cls) if f.init and f.default is attrs.NOTHING]
        if not required:
            return
        name = data.draw(st.sampled_from(required))
        del obj[name]
        with pytest.raises(InvalidInput) as caught:
            from_dict(doc, type(value))
        where = f"{path}.{name}" if path else name
        assert f"{where}: missing required field" in caught.value.problems

    @given(data=st.data())
    def test_several_corruptions_of_a_dossier(self, data: st.DataObject) -> None:
        corruptions = {
            "territory.population": (("territory", "population"), "many"),
            "territory.kind": (("territory", "kind"), "village"),
            "year": (("year",), "2016"),
            "services.site-internet": (("services", "site-internet"), "yes"),
            "actions[0].status": (("actions", 0, "status"), 1),
            "actions[1].services[0]": (("actions", 1, "services", 0), None),
            "actions[2]": (("actions", 2), []),
            "extra": (("extra",), {}),
        }
        chosen = data.draw(st.sets(st.sampled_from(sorted(corruptions)), min_size=1))
        doc = changed(D(), *(corruptions[path] for path in chosen))
        with pytest.raises(InvalidInput) as caught:
            from_dict(doc, Dossier)
        assert paths_of(caught.value) == sorted(chosen)


# --- one validation path: constructors and from_dict agree ------------------------------


def problems_of(build: Callable[[], object]) -> tuple[str, ...]:
    with pytest.raises(InvalidInput) as caught:
        build()
    assert all(isinstance(p, vl.Problem) for p in caught.value.details)
    assert caught.value.problems == tuple(str(p) for p in caught.value.details)
    # Every problem of these examples is at a path, as data (not only in its text).
    assert all(p.path for p in caught.value.details), caught.value.details
    return caught.value.problems


class TestReportedExamples:
    """The examples users hit: every problem is reported with its path, from a constructor too."""

    def test_a_grade_rule_with_four_mistakes(self) -> None:
        problems = problems_of(
            lambda: vl.GradeRule(
                arobases=9,
                min_score="1/2",
                min_each_theme=2,
                required_services="ab",
            )
        )
        assert problems == (
            "arobases: 9 is outside 1..5",
            "min_each_theme: 2 is outside [0, 1]",
            "required_services: expected a list, got the string 'ab'",
        )

    def test_from_dict_keeps_the_problem_beside_a_bad_threshold(self) -> None:
        problems = problems_of(lambda: from_dict({"arobases": 9, "min_score": "x"}, vl.GradeRule))
        assert problems == (
            "arobases: 9 is outside 1..5",
            "min_score: expected a fraction such as '7/20' or '0.35', got 'x'",
        )

    def test_a_repeated_theme_hides_nothing(self) -> None:
        doc = changed(
            R(),
            (("name",), ""),
            (("year",), 1999),
            (("service_weights", "site-internet"), -3),
        )
        doc["taxonomy"]["themes"].append(
            changed(T()["themes"][0], (("issues",), [{"id": "x", "name": "X", "services": []}]))
        )
        paths = paths_of_problems(problems_of(lambda: from_dict(doc, Ruleset)))
        assert paths == sorted(
            [
                "name",
                "year",
                "service_weights.site-internet",
                "taxonomy.themes[1].id",
                "taxonomy.themes[1].issues[0].services",
            ]
        )

    def test_a_repeated_theme_hides_nothing_in_a_constructor_either(self) -> None:
        rules = default_ruleset()
        taxonomy = to_dict(rules.taxonomy)
        taxonomy["themes"].append(taxonomy["themes"][0])
        problems = problems_of(
            lambda: Ruleset(
                name="",
                year=1999,
                taxonomy=taxonomy,  # type: ignore[arg-type]
                grades=rules.grades,
                service_weights={"site-internet": -3},
            )
        )
        paths = paths_of_problems(problems)
        assert {"name", "year", "service_weights.site-internet", "taxonomy.themes[4].id"} <= set(
            paths
        )
        # The rules name sources that this ruleset lacks: each at its own path.
        assert [p for p in paths if p.endswith(".source")] == [
            f"grades[{n}].source" for n in range(len(rules.grades))
        ]

    def test_sources_and_aliases_are_reported_at_their_paths(self) -> None:
        taxonomy = default_taxonomy()
        sources = (*taxonomy.sources, taxonomy.sources[0])
        service = taxonomy.services[0].id
        with pytest.raises(InvalidInput) as caught:
            attrs.evolve(taxonomy, sources=sources, aliases={service: "nowhere"})
        paths = {p.path for p in caught.value.details}
        assert ("sources", len(sources) - 1, "id") in paths
        assert ("aliases", service) in paths
        rules = default_ruleset()
        mention = attrs.evolve(rules.mentions[0], source="nowhere")
        with pytest.raises(InvalidInput) as caught:
            rules.replace(mentions=(mention, *rules.mentions[1:]))
        assert [p.path for p in caught.value.details] == [("mentions", 0, "source")]

    def test_a_cohort_item_is_reported_at_its_index(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            vl.grade_distribution([None, 3])  # type: ignore[list-item]
        assert [p.path for p in caught.value.details] == [("assessments", 0), ("assessments", 1)]

    @pytest.mark.parametrize(
        ("build", "path"),
        [
            (lambda: vl.Applicability(kinds=None), "kinds"),  # type: ignore[arg-type]
            (
                lambda: vl.GradeRule(arobases=1, min_score=0, required_services=None),  # type: ignore[arg-type]
                "required_services",
            ),
            (
                lambda: Dossier(territory=sample_dossier().territory, year=2016, actions=None),  # type: ignore[arg-type]
                "actions",
            ),
            (lambda: vl.Action(id="a", title="t", services=None, status="deployed"), "services"),  # type: ignore[arg-type]
            (lambda: vl.Migration(dossier=sample_dossier(), dropped=None), "dropped"),  # type: ignore[arg-type]
            (lambda: Taxonomy(name="t", version="1", themes=None), "themes"),  # type: ignore[arg-type]
            (lambda: vl.Reason(code="c", message="m", required="x"), "required"),
            (lambda: default_ruleset().replace(grades=None), "grades"),
        ],
        ids=[
            "Applicability(kinds=None)",
            "GradeRule(required_services=None)",
            "Dossier(actions=None)",
            "Action(services=None)",
            "Migration(dropped=None)",
            "Taxonomy(themes=None)",
            "Reason(required='x')",
            "rules.replace(grades=None)",
        ],
    )
    def test_a_constructor_raises_only_invalid_input(
        self, build: Callable[[], object], path: str
    ) -> None:
        assert paths_of_problems(problems_of(build)) == [path]

    def test_kinds_read_alike_from_a_constructor_and_from_data(self) -> None:
        for kinds in (["commune"], ("commune",), {"commune"}):
            rule = vl.Applicability(kinds=kinds)
            assert rule.kinds == frozenset({vl.TerritoryKind.COMMUNE})
        assert from_dict({"kinds": ["commune"]}, vl.Applicability) == rule
        for build in (
            lambda: vl.Applicability(kinds="commune"),
            lambda: from_dict({"kinds": "commune"}, vl.Applicability),
        ):
            assert problems_of(build) == ("kinds: expected a list, got the string 'commune'",)

    def test_a_float_requirement_reads_as_its_shortest_repr(self) -> None:
        assert vl.Reason(code="c", message="m", required=0.1).required == Fraction(1, 10)
        assert from_dict(
            {"code": "c", "message": "m", "required": 0.1}, vl.Reason
        ).required == Fraction(1, 10)


def paths_of_problems(problems: tuple[str, ...]) -> list[str]:
    return paths_of(InvalidInput(*problems))


# `Problem` is the problems' own type (below the validation path, which builds them) and
# `Scorer` compiles a ruleset (its one field reads through the path): both check their
# arguments themselves, and `TestEveryConstructorReportsEveryField` covers them.
NOT_READING_ITSELF = frozenset({vl.Problem, vl.Scorer})


class TestOneValidationPath:
    """A constructor given plain data reports exactly what from_dict reports: one path."""

    @pytest.mark.parametrize(
        ("cls", "make"),
        [
            (cls, make)
            for name, cls, make, expected in CASES
            if "nested" not in name and "" not in expected
        ],
        ids=[name for name, _, _, expected in CASES if "nested" not in name and "" not in expected],
    )
    def test_same_problems(self, cls: type, make: Callable[[], object]) -> None:
        if cls in NOT_READING_ITSELF:
            return
        assert _reads_itself(cls), f"{cls.__name__} is not on the one validation path"
        doc = make()
        assert isinstance(doc, dict)
        fields = {f.alias: f for f in attrs.fields(cls) if f.init}
        if set(doc) - set(fields) or any(
            f.default is attrs.NOTHING and alias not in doc for alias, f in fields.items()
        ):
            return  # unknown or missing fields: from_dict's own problems
        with pytest.raises(InvalidInput) as from_data:
            from_dict(doc, cls)
        with pytest.raises(InvalidInput) as built:
            cls(**doc)
        assert built.value.details == from_data.value.details

    @given(value=valid_values())
    def test_constructors_read_plain_data(self, value: object) -> None:
        doc = to_dict(value)
        assert type(value)(**doc) == value


# --- every constructor: wrong types in, only InvalidInput out ---------------------------


def _attrs_classes(*modules: object) -> list[type[Any]]:
    found = {
        obj
        for module in modules
        for name in getattr(module, "__all__", ())
        if isinstance(obj := getattr(module, name), type) and attrs.has(obj)
    }
    return sorted(found, key=lambda cls: cls.__name__)


EVERY_ATTRS_CLASS = _attrs_classes(vl, vl.referential, vl_testing)


class _Garbage:
    """A value no field accepts: not a str, number, bool, date, collection, mapping or model."""

    def __repr__(self) -> str:
        return "<garbage>"


WRONG: tuple[object, ...] = (_Garbage(), b"bytes", 1j, range(2), print)
"""Values of types that no field of any public class reads."""


def init_fields(cls: type[Any]) -> dict[str, str]:
    """The init fields of *cls*: the name of each, by the keyword its constructor takes."""
    return {str(field.alias): field.name for field in attrs.fields(cls) if field.init}


def fields_reported(error: InvalidInput) -> set[str | int]:
    return {problem.path[0] for problem in error.details if problem.path}


class TestEveryConstructorReportsEveryField:
    """Each public attrs class (of `villes_label`, `.referential`, `.testing`), built with wrong
    types for some fields, raises `InvalidInput` with a problem at each of those fields, and
    nothing else: never a bare `TypeError` or `AttributeError`."""

    def test_the_classes_are_found(self) -> None:
        names = {cls.__name__ for cls in EVERY_ATTRS_CLASS}
        assert {"AreaSummary", "Atlas", "Dashboard", "Dossier", "Ruleset", "Taxonomy"} <= names
        assert set(EVERY_ATTRS_CLASS) >= set(PUBLIC_CLASSES)

    @pytest.mark.parametrize("cls", EVERY_ATTRS_CLASS, ids=lambda cls: cls.__name__)
    @pytest.mark.parametrize("wrong", WRONG, ids=lambda value: type(value).__name__)
    def test_every_field_wrong(self, cls: type[Any], wrong: object) -> None:
        fields = init_fields(cls)
        with pytest.raises(InvalidInput) as caught:
            cls(**dict.fromkeys(fields, wrong))
        assert fields_reported(caught.value) == set(fields)
        for problem in caught.value.details:
            assert str(problem) == f"{render_path(problem.path)}: {problem.message}"

    @pytest.mark.parametrize("cls", EVERY_ATTRS_CLASS, ids=lambda cls: cls.__name__)
    @given(data=st.data())
    def test_some_fields_wrong_beside_valid_ones(self, cls: type[Any], data: st.DataObject) -> None:
        example = example_of(cls)
        fields = init_fields(cls)
        wrong = data.draw(st.sets(st.sampled_from(sorted(fields)), min_size=1))
        kwargs = {
            alias: data.draw(st.sampled_from(WRONG)) if alias in wrong else getattr(example, name)
            for alias, name in fields.items()
        }
        with pytest.raises(InvalidInput) as caught:
            cls(**kwargs)
        # Exactly the wrong fields: a valid field beside them raises no false alarm.
        assert fields_reported(caught.value) == wrong
        assert caught.value.problems == tuple(str(p) for p in caught.value.details)

    @pytest.mark.parametrize("cls", EVERY_ATTRS_CLASS, ids=lambda cls: cls.__name__)
    def test_the_example_rebuilds(self, cls: type[Any]) -> None:
        example = example_of(cls)
        fields = init_fields(cls)
        assert cls(**{alias: getattr(example, name) for alias, name in fields.items()}) == example


_PATH_STEPS = st.integers(min_value=0, max_value=10**6) | st.text(
    alphabet=st.sampled_from(list("ab0.[]:' \u200b")) | st.characters(), max_size=12
)


class TestPathsReadOneWay:
    """Two different paths are never written the same: a path is read back one way."""

    @given(st.lists(_PATH_STEPS, max_size=4), st.lists(_PATH_STEPS, max_size=4))
    def test_different_paths_are_written_differently(
        self, first: list[str | int], second: list[str | int]
    ) -> None:
        if first != second:
            assert render_path(tuple(first)) != render_path(tuple(second))

    @pytest.mark.parametrize(
        ("path", "written"),
        [
            (("services", "wifi.public"), "services['wifi.public']"),
            (("services", "wifi", "public"), "services.wifi.public"),
            (("services", "  "), "services['  ']"),
            (("services", " wifi"), "services[' wifi']"),
            (("rows", "a:b"), "rows['a:b']"),
            (("rows", "[0]"), "rows['[0]']"),
            (("rows", 0), "rows[0]"),
            (("rows", "Saint Denis"), "rows.Saint Denis"),
        ],
    )
    def test_keys_that_could_be_misread_are_quoted(
        self, path: tuple[str | int, ...], written: str
    ) -> None:
        assert render_path(path) == written
