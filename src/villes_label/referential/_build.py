"""Build a year's taxonomy from plain rows, or derive it from the year before.

A year is data: rows of themes, issues and services with the ids of their
sources, or the changes from the year before (services added, removed with the
service that takes them over, renamed, moved). No year copies another's module.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from villes_label._taxonomy import Issue, Service, Source, Taxonomy, Theme

__all__ = ["TAXONOMY_NAME", "Changes", "ThemeRow", "derive", "from_rows"]

TAXONOMY_NAME = "Territoires, Villes et Villages Internet"

ServiceRow = tuple[str, str, str]
"""``(service_id, name, description)``."""
IssueRow = tuple[str, str, str, tuple[ServiceRow, ...]]
"""``(issue_id, name, description, services)``."""
ThemeRow = tuple[str, str, str, tuple[IssueRow, ...]]
"""``(theme_id, name, description, issues)``."""


def from_rows(
    version: str,
    rows: tuple[ThemeRow, ...],
    sources: tuple[Source, ...],
    *,
    default_source: str,
    node_sources: Mapping[str, str],
    aliases: Mapping[str, str],
) -> Taxonomy:
    """A taxonomy from rows; a node's source is ``node_sources[id]``, else *default_source*."""

    def source(node_id: str) -> str:
        return node_sources.get(node_id, default_source)

    return Taxonomy(
        name=TAXONOMY_NAME,
        version=version,
        sources=sources,
        aliases=aliases,
        themes=tuple(
            Theme(
                id=theme_id,
                name=theme_name,
                description=theme_description,
                source=source(theme_id),
                issues=tuple(
                    Issue(
                        id=issue_id,
                        name=issue_name,
                        description=issue_description,
                        source=source(issue_id),
                        services=tuple(
                            Service(id=sid, name=name, description=text, source=source(sid))
                            for sid, name, text in services
                        ),
                    )
                    for issue_id, issue_name, issue_description, services in issues
                ),
            )
            for theme_id, theme_name, theme_description, issues in rows
        ),
    )


@attrs.frozen(kw_only=True)
class Changes:
    """The changes of a referential from the year before, as data.

    ``added`` maps an issue id to the services it gains (appended in order);
    ``removed`` maps a removed service id to the service that takes it over
    (it becomes an alias, and the yearly migration carries it there);
    ``renamed`` maps a service id to its new name; ``moved`` a service id to
    its new issue (appended at the end of that issue).
    """

    added: Mapping[str, tuple[ServiceRow, ...]]
    removed: Mapping[str, str]
    renamed: Mapping[str, str] = attrs.field(factory=dict)
    moved: Mapping[str, str] = attrs.field(factory=dict)


def derive(
    base: Taxonomy, version: str, changes: Changes, sources: tuple[Source, ...], source: str
) -> Taxonomy:
    """The next year's taxonomy: *base* with *changes*, new services from *source*.

    Former ids keep reading: the aliases of *base* follow their service (or the
    service that takes it over), and every removed id becomes an alias.
    """
    removed = changes.removed

    def service(node: Service) -> Service:
        name = changes.renamed.get(node.id, node.name)
        return attrs.evolve(node, name=name)

    moving = {sid: service(base.service(sid)) for sid in changes.moved if sid not in removed}
    themes = []
    for theme in base.themes:
        issues = []
        for issue in theme.issues:
            kept = [
                service(node)
                for node in issue.services
                if node.id not in removed and node.id not in changes.moved
            ]
            kept.extend(moving[sid] for sid, target in changes.moved.items() if target == issue.id)
            kept.extend(
                Service(id=sid, name=name, description=text, source=source)
                for sid, name, text in changes.added.get(issue.id, ())
            )
            issues.append(attrs.evolve(issue, services=tuple(kept)))
        themes.append(attrs.evolve(theme, issues=tuple(issues)))
    aliases = {old: removed.get(new, new) for old, new in base.aliases.items()}
    aliases.update(removed)
    return Taxonomy(
        name=base.name, version=version, themes=tuple(themes), sources=sources, aliases=aliases
    )
