"""The referential's structure: themes → issues (*enjeux*) → elementary services.

This module knows nothing of territories, rules or scores.
"""

from __future__ import annotations

import contextlib
from fractions import Fraction
from functools import cached_property

import attrs

from villes_label._errors import InvalidInput, unknown_id
from villes_label._values import is_instance

__all__ = ["Issue", "Service", "Taxonomy", "TaxonomyDiff", "Theme"]


def _services_tuple(value: tuple[Service, ...]) -> tuple[Service, ...]:
    return tuple(value)


def _issues_tuple(value: tuple[Issue, ...]) -> tuple[Issue, ...]:
    return tuple(value)


def _themes_tuple(value: tuple[Theme, ...]) -> tuple[Theme, ...]:
    return tuple(value)


def _ids_frozenset(value: frozenset[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Service:
    """An elementary service of the referential (*service élémentaire*).

    >>> Service(id="site-internet", name="Site internet de la commune").id
    'site-internet'
    """

    id: str
    name: str
    description: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


@attrs.frozen(kw_only=True)
class Issue:
    """An *enjeu*: a group of elementary services.

    >>> web = Service(id="site-internet", name="Site internet")
    >>> Issue(id="services-publics", name="Services publics", services=(web,)).services[0].id
    'site-internet'
    """

    id: str
    name: str
    services: tuple[Service, ...] = attrs.field(converter=_services_tuple)
    description: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.id}, {len(self.services)} services)"


@attrs.frozen(kw_only=True)
class Theme:
    """A theme (*thème*): a group of issues.

    >>> web = Service(id="site-internet", name="Site internet")
    >>> sp = Issue(id="services-publics", name="Services publics", services=(web,))
    >>> Theme(id="democratie", name="Démocratie et services publics", issues=(sp,)).issues[0].id
    'services-publics'
    """

    id: str
    name: str
    issues: tuple[Issue, ...] = attrs.field(converter=_issues_tuple)
    description: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.id}, {len(self.issues)} issues)"


@attrs.frozen(kw_only=True)
class TaxonomyDiff:
    """What changed from one referential (the older) to another (the newer).

    Every field but ``change_ratio`` is a set of **service** ids.
    ``change_ratio`` is (added + removed + renamed + moved) / services of the older one.

    >>> diff = TaxonomyDiff(added={"s9"}, removed={"s1"}, change_ratio=Fraction(2, 131))
    >>> str(diff)
    '1 added, 1 removed, 0 renamed, 0 moved (1.5% of the services)'
    """

    added: frozenset[str] = attrs.field(converter=_ids_frozenset, factory=frozenset)
    removed: frozenset[str] = attrs.field(converter=_ids_frozenset, factory=frozenset)
    renamed: frozenset[str] = attrs.field(converter=_ids_frozenset, factory=frozenset)
    moved: frozenset[str] = attrs.field(converter=_ids_frozenset, factory=frozenset)
    change_ratio: Fraction = Fraction(0)

    def __attrs_post_init__(self) -> None:
        if not is_instance(self.change_ratio, Fraction) or self.change_ratio < 0:
            msg = f"change_ratio: {self.change_ratio!r} is not a fraction >= 0"
            raise InvalidInput(msg)

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.added or self.removed or self.renamed or self.moved)

    def __str__(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.renamed)} renamed, {len(self.moved)} moved "
            f"({float(self.change_ratio):.1%} of the services)"
        )


def _check_tree(themes: tuple[Theme, ...]) -> list[str]:
    """Every structural problem of a tree of themes, each with its path."""
    problems: list[str] = []
    seen: dict[str, str] = {}

    def check_node(node: object, path: str, expected: type) -> bool:
        if not isinstance(node, expected):
            problems.append(f"{path}: expected a {expected.__name__}, got {type(node).__name__}")
            return False
        node_id = getattr(node, "id", None)
        name = getattr(node, "name", None)
        if not isinstance(node_id, str) or not node_id.strip():
            problems.append(f"{path}.id: empty id")
        elif node_id != node_id.strip():
            problems.append(f"{path}.id: id {node_id!r} has leading or trailing spaces")
        elif node_id in seen:
            problems.append(f"{path}.id: duplicate id {node_id!r} (also at {seen[node_id]})")
        else:
            seen[node_id] = path
        if not isinstance(name, str):
            problems.append(f"{path}.name: expected a str, got {type(name).__name__}")
        return True

    if not themes:
        problems.append("themes: a taxonomy needs at least one theme")
    for t, theme in enumerate(themes):
        path = f"themes[{t}]"
        if not check_node(theme, path, Theme):
            continue
        if not theme.issues:
            problems.append(f"{path}.issues: theme {theme.id!r} has no issue")
        for i, issue in enumerate(theme.issues):
            ipath = f"{path}.issues[{i}]"
            if not check_node(issue, ipath, Issue):
                continue
            if not issue.services:
                problems.append(f"{ipath}.services: issue {issue.id!r} has no service")
            for s, service in enumerate(issue.services):
                check_node(service, f"{ipath}.services[{s}]", Service)
    return problems


def _check_themes(instance: Taxonomy, attribute: attrs.Attribute[object], value: object) -> None:
    del instance, attribute
    problems = _check_tree(value)  # type: ignore[arg-type]  # checked node by node
    if problems:
        raise InvalidInput(*problems)


@attrs.frozen(kw_only=True)
class Taxonomy:
    """A referential of services: themes → issues → services, with stable ids.

    Construction refuses duplicate or empty ids anywhere in the tree, a theme
    without issue and an issue without service, naming every offender.

    >>> from villes_label import default_taxonomy
    >>> tax = default_taxonomy()
    >>> len(tax.themes), len(tax.issues), len(tax.services)
    (4, 16, 131)
    >>> tax.issue_of("site-internet").id, tax.theme_of("site-internet").id
    ('services-publics', 'democratie-services-publics')
    """

    name: str
    version: str
    themes: tuple[Theme, ...] = attrs.field(converter=_themes_tuple, validator=_check_themes)

    @cached_property
    def issues(self) -> tuple[Issue, ...]:
        """Every issue, in taxonomy order."""
        return tuple(issue for theme in self.themes for issue in theme.issues)

    @cached_property
    def services(self) -> tuple[Service, ...]:
        """Every service, in taxonomy order."""
        return tuple(service for issue in self.issues for service in issue.services)

    @cached_property
    def _themes_by_id(self) -> dict[str, Theme]:
        return {theme.id: theme for theme in self.themes}

    @cached_property
    def _issues_by_id(self) -> dict[str, Issue]:
        return {issue.id: issue for issue in self.issues}

    @cached_property
    def _services_by_id(self) -> dict[str, Service]:
        return {service.id: service for service in self.services}

    @cached_property
    def _parents(self) -> dict[str, tuple[Theme, Issue | None]]:
        parents: dict[str, tuple[Theme, Issue | None]] = {}
        for theme in self.themes:
            for issue in theme.issues:
                parents[issue.id] = (theme, None)
                for service in issue.services:
                    parents[service.id] = (theme, issue)
        return parents

    @property
    def service_ids(self) -> frozenset[str]:
        """The ids of every service."""
        return frozenset(self._services_by_id)

    def theme(self, theme_id: str) -> Theme:
        """Return the theme *theme_id*; an unknown id raises `InvalidInput` with the closest ids."""
        try:
            return self._themes_by_id[theme_id]
        except (KeyError, TypeError):
            raise InvalidInput(unknown_id("theme", theme_id, self._themes_by_id)) from None

    def issue(self, issue_id: str) -> Issue:
        """Return the issue *issue_id*; an unknown id raises `InvalidInput` with the closest ids."""
        try:
            return self._issues_by_id[issue_id]
        except (KeyError, TypeError):
            raise InvalidInput(unknown_id("issue", issue_id, self._issues_by_id)) from None

    def service(self, service_id: str) -> Service:
        """Return the service *service_id*; an unknown id raises `InvalidInput`.

        >>> from villes_label import default_taxonomy
        >>> default_taxonomy().service("wifi-publc")
        Traceback (most recent call last):
        ...
        villes_label._errors.InvalidInput: unknown service 'wifi-publc' (did you mean 'wifi-public'?)
        """
        try:
            return self._services_by_id[service_id]
        except (KeyError, TypeError):
            raise InvalidInput(unknown_id("service", service_id, self._services_by_id)) from None

    def theme_of(self, issue_or_service_id: str) -> Theme:
        """Return the theme that holds an issue or a service."""
        try:
            return self._parents[issue_or_service_id][0]
        except (KeyError, TypeError):
            msg = unknown_id("issue or service", issue_or_service_id, self._parents)
            raise InvalidInput(msg) from None

    def issue_of(self, service_id: str) -> Issue:
        """Return the issue that holds a service."""
        issue = None
        with contextlib.suppress(KeyError, TypeError):
            issue = self._parents[service_id][1]
        if issue is None:
            raise InvalidInput(unknown_id("service", service_id, self._services_by_id)) from None
        return issue

    def __contains__(self, node_id: object) -> bool:
        """Whether *node_id* is the id of a theme, an issue or a service."""
        return isinstance(node_id, str) and (
            node_id in self._parents or node_id in self._themes_by_id
        )

    def diff(self, other: Taxonomy) -> TaxonomyDiff:
        """What changed from this (older) referential to *other* (newer).

        >>> from villes_label import default_taxonomy
        >>> default_taxonomy().diff(default_taxonomy()).empty
        True
        """
        if not is_instance(other, Taxonomy):
            msg = f"other: expected a Taxonomy, got {type(other).__name__}"
            raise InvalidInput(msg)
        old, new = self._services_by_id, other._services_by_id
        common = old.keys() & new.keys()
        renamed = {sid for sid in common if old[sid].name != new[sid].name}
        moved = {
            sid
            for sid in common
            if self.issue_of(sid).id != other.issue_of(sid).id
            or self.theme_of(sid).id != other.theme_of(sid).id
        }
        added = new.keys() - old.keys()
        removed = old.keys() - new.keys()
        # A service both renamed and moved is one changed service, not two.
        changed = len(added) + len(removed) + len(renamed | moved)
        return TaxonomyDiff(
            added=frozenset(added),
            removed=frozenset(removed),
            renamed=frozenset(renamed),
            moved=frozenset(moved),
            change_ratio=Fraction(changed, len(old)),
        )

    def __str__(self) -> str:
        return (
            f"{self.name} {self.version}: {len(self.themes)} themes, "
            f"{len(self.issues)} issues, {len(self.services)} services"
        )

    def _repr_html_(self) -> str:
        import html  # noqa: PLC0415 - only notebooks need it; keeps `import` light

        def cell(name: str, id_: str) -> str:
            return f"{html.escape(name)} <code>{html.escape(id_)}</code>"

        rows = []
        for theme in self.themes:
            for n, issue in enumerate(theme.issues):
                theme_cell = (
                    f'<th rowspan="{len(theme.issues)}">{cell(theme.name, theme.id)}</th>'
                    if n == 0
                    else ""
                )
                services = ", ".join(cell(s.name, s.id) for s in issue.services)
                rows.append(
                    f"<tr>{theme_cell}<td>{cell(issue.name, issue.id)}</td>"
                    f"<td>{len(issue.services)}</td><td>{services}</td></tr>"
                )
        return (
            f"<table><caption>{html.escape(str(self))}</caption>"
            "<thead><tr><th>Theme</th><th>Issue</th><th>#</th><th>Services</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
