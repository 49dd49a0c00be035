"""Sphinx configuration of the villes_label documentation.

Build it with ``sphinx-build -n -W --keep-going -b html docs docs/_build/html``:
every cross-reference must resolve (``-n``) and every warning is an error (``-W``).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

import villes_label

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# -- Project ----------------------------------------------------------------------------

project = "villes_label"
author = "villes_label contributors"
copyright = "2026, villes_label contributors"  # noqa: A001 - the name Sphinx reads
release = villes_label.__version__
version = ".".join(release.split(".")[:2])

# -- General ----------------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    # No sphinx.ext.intersphinx: the docs build without network access. The few
    # standard-library and third-party types this leaves unresolved are listed in
    # nitpick_ignore below.
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"

nitpicky = True

myst_enable_extensions = [
    "colon_fence",  # ::: fences for admonitions, readable as plain markdown too
    "deflist",  # definition lists, for glossaries
]
# Anchors for headings down to ###, so pages can link to sections: [text](page.md#anchor).
myst_heading_anchors = 3

# -- Autodoc ----------------------------------------------------------------------------

# Types go in the parameter descriptions, where they read better than in a long
# keyword-only attrs signature.
autodoc_typehints = "description"
autodoc_typehints_description_target = "all"
autodoc_member_order = "bysource"
autodoc_class_signature = "mixed"

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# Targets that cannot resolve without intersphinx, with the public names that need them.
# Keep this short: a reference to one of the library's own names must never be silenced.
nitpick_ignore = [
    # Scores and thresholds (Assessment, GradeRule, Reason...); bare where a module
    # imports it for annotations only (the testing kit's strategies).
    ("py:class", "fractions.Fraction"),
    ("py:class", "Fraction"),
    # Mapping fields of the models (Dossier.services, Ruleset.credits...).
    ("py:class", "collections.abc.Mapping"),
    # Functions over many dossiers or assessments (cohorts, batch scoring).
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Sequence"),
    # Assessment.explain(lang).
    ("py:class", "typing.Literal"),
    # Action.date.
    ("py:class", "datetime.date"),
    # villes_label.converter.
    ("py:class", "cattrs.Converter"),
    ("py:class", "cattrs.converters.Converter"),
    # dossiers_frame and Scorer.grade_frame (the extra `frames`).
    ("py:class", "DataFrame"),
    ("py:class", "pandas.DataFrame"),
    ("py:class", "pandas.core.frame.DataFrame"),
]
nitpick_ignore_regex = [
    # The testing kit returns Hypothesis strategies (annotated as st.SearchStrategy).
    ("py:class", r"(hypothesis\.strategies\.|st\.)?SearchStrategy"),
    # Type variables of generic functions (from_dict(data, cls: type[T]) -> T).
    ("py:class", r"(villes_label\.[\w.]+\.)?[A-Z]"),
]

# -- HTML -------------------------------------------------------------------------------

html_theme = "furo"
html_title = "villes_label"
html_static_path: list[str] = []

# -- The grouped API reference ------------------------------------------------------------

# Where each public name is listed, by the module that defines it (its path inside the
# package), in the order data flows: referential -> rules -> dossier -> assessment ->
# plans and cohorts. A name whose module is missing here falls under "Other", so every
# name of villes_label.__all__ is always documented.
API_TOPICS: list[tuple[str, tuple[str, ...]]] = [
    ("Taxonomy", ("_taxonomy", "referential._taxonomy")),
    ("Territory and dossier", ("_territory",)),
    ("Initiatives and geography", ("_initiatives", "_geo")),
    ("Rules", ("_rules", "referential._rules")),
    ("Scoring", ("_scoring",)),
    ("Batch scoring", ("_batch", "_frames")),
    ("Plans and diagnostics", ("_plans", "_roadmap")),
    ("Cohorts", ("_cohorts",)),
    ("Atlas, peers and dashboards", ("_atlas", "_dashboard")),
    ("Serialization", ("_serialize",)),
    ("Scenarios", ("_scenarios",)),
    ("Versions of the referential", ("_migrate", "referential")),
    ("Errors", ("_errors",)),
]
# Public submodules that are not Python API: the command line is documented as a command.
API_SKIPPED_MODULES = frozenset({"cli"})


def _defining_module(name: str, obj: object) -> str:
    """The module that defines *name*, as a path inside the package (``"_rules"``)."""
    module = getattr(obj, "__module__", None)
    if (
        (inspect.isclass(obj) or callable(obj))
        and isinstance(module, str)
        and module.startswith("villes_label.")
    ):
        return module.removeprefix("villes_label.")
    # Data (such as the converter): the deepest submodule whose __all__ lists it.
    candidates = [
        module_name
        for module_name, loaded in sys.modules.items()
        if module_name.startswith("villes_label.") and name in getattr(loaded, "__all__", ())
    ]
    return max(candidates, key=lambda m: (m.count("."), m), default="").removeprefix(
        "villes_label."
    )


def _topic(module: str) -> str:
    # A prefix names a module and what extends it: "referential._rules" also matches
    # "referential._rules_2016".
    for title, prefixes in API_TOPICS:
        if any(module.startswith(prefix) for prefix in prefixes):
            return title
    return "Other"


def _source_position(obj: object) -> tuple[str, int]:
    target = inspect.unwrap(obj) if callable(obj) else obj
    try:
        return (inspect.getsourcefile(target) or "", inspect.getsourcelines(target)[1])  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ("~", 0)


def _directive_for(qualified: str, obj: object) -> list[str]:
    # reST: autodoc writes reST, which MyST only parses inside an eval-rst block.
    if inspect.isclass(obj):
        if issubclass(obj, enum.Enum):
            # The members of an enum are its values: list them, documented or not.
            return [f".. autoclass:: {qualified}", "   :members:", "   :undoc-members:", ""]
        kind = "autoexception" if issubclass(obj, BaseException) else "autoclass"
        return [f".. {kind}:: {qualified}", "   :members:", ""]
    if callable(obj):
        return [f".. autofunction:: {qualified}", ""]
    return [f".. autodata:: {qualified}", "   :no-value:", ""]


def _rst_block(lines: list[str]) -> list[str]:
    return ["````{eval-rst}", *lines, "````", ""]


def _entries(module: ModuleType, names: list[str]) -> list[tuple[tuple[str, int], str, object]]:
    entries = []
    for name in names:
        obj = getattr(module, name)
        entries.append((_source_position(obj), f"{module.__name__}.{name}", obj))
    # In source order, as the modules present them (classes before the functions using them).
    return sorted(entries, key=lambda entry: (entry[0], entry[1]))


def _public_submodules() -> list[str]:
    return sorted(
        f"villes_label.{info.name}"
        for info in pkgutil.iter_modules(villes_label.__path__)
        if not info.name.startswith("_") and info.name not in API_SKIPPED_MODULES
    )


def api_markdown() -> str:
    """The body of the API reference, in MyST: every public name, grouped by topic."""
    package = importlib.import_module("villes_label")
    top_level = set(package.__all__)
    groups: dict[str, list[str]] = {}
    for name in package.__all__:
        obj = getattr(package, name)
        if inspect.ismodule(obj):
            continue  # a public submodule: documented in its own section below
        groups.setdefault(_topic(_defining_module(name, obj)), []).append(name)
    lines: list[str] = []
    for title in [*(t for t, _ in API_TOPICS), "Other"]:
        if title in groups:
            lines.extend([f"## {title}", ""])
            body: list[str] = []
            for _, qualified, obj in _entries(package, groups[title]):
                body.extend(_directive_for(qualified, obj))
            lines.extend(_rst_block(body))
    for module_name in _public_submodules():
        module = importlib.import_module(module_name)
        public = list(getattr(module, "__all__", ()))
        lines.extend([f"## `{module_name}`", ""])
        body = [f".. automodule:: {module_name}", ""]
        for _, qualified, obj in _entries(module, [n for n in public if n not in top_level]):
            body.extend(_directive_for(qualified, obj))
        lines.extend(_rst_block(body))
        if also := [name for name in public if name in top_level]:
            shown = ", ".join(f"`{name}`" for name in also)
            lines.extend([f"Also in this module, and documented above: {shown}.", ""])
    return "\n".join(lines)


# The page that holds the marker gets the generated reference in its place. Without this
# hook the marker is an unknown directive, so the build fails rather than silently
# publishing an empty reference.
API_MARKER = "```{villes-label-api}\n```"


def _insert_api(app: Sphinx, docname: str, source: list[str]) -> None:
    if API_MARKER in source[0]:
        source[0] = source[0].replace(API_MARKER, api_markdown())
        for module in [villes_label, *map(importlib.import_module, _public_submodules())]:
            if module_file := inspect.getsourcefile(module):
                app.env.note_dependency(module_file)


def _attrs_defaults(  # noqa: PLR0913 - the signature of Sphinx's event
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    # attrs writes a field with a default factory as "=NOTHING" in __init__'s signature,
    # which reads as if the argument were required; "=..." says "has a default".
    del app, what, name, obj, options
    if signature is None or "=NOTHING" not in signature:
        return None
    return signature.replace("=NOTHING", "=..."), return_annotation


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", _insert_api)
    app.connect("autodoc-process-signature", _attrs_defaults)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
