"""Run the examples of the documentation as tests, with Sybil.

Two sources of examples are collected by pytest:

- the ``>>>`` examples in the docstrings of ``src/villes_label/**/*.py``, run in the
  namespace of their module (as ``python -m doctest`` would);
- the ```` ```python ```` code blocks of ``docs/**/*.md`` (MyST), whether plain code or
  ``>>>`` examples; the blocks of one page share one namespace, top to bottom, so a page
  reads and runs like a notebook. A block that must not run is preceded by the MyST
  comment ``% skip: next``.

The hypothesis profiles live in ``tests/conftest.py``.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.myst import (
    ClearNamespaceParser,
    PythonCodeBlockParser,
    SkipParser,
)
from sybil.parsers.rest import DocTestParser

OPTIONFLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

docstrings = Sybil(
    name="docstrings",
    parsers=[DocTestParser(optionflags=OPTIONFLAGS)],
    path="src/villes_label",
    patterns=["*.py"],
    # Running the command line's module would run the command line.
    excludes=["__main__.py"],
)

docs = Sybil(
    name="docs",
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=OPTIONFLAGS),
        SkipParser(),
        ClearNamespaceParser(),
    ],
    path="docs",
    patterns=["*.md"],
)

# A local build of the docs holds copies of the pages; only the sources are tested.
collect_ignore = ["docs/_build"]

pytest_collect_file = (docstrings + docs).pytest()
