"""The referential's structure: themes → issues (*enjeux*) → elementary services.

This module knows nothing of territories, rules or scores.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from fractions import Fraction
from itertools import chain
from typing import TYPE_CHECKING, Any

import attrs

from villes_label._check import Failed, Id, finish, lenient, text_problem
from villes_label._errors import (
    InvalidInput,
    Path,
    Problem,
    not_a,
    render_path,
    unknown_id,
    unknown_ids_at,
)
from villes_label._values import FrozenMap, counted, is_instance, shown

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["Issue", "Service", "Source", "Taxonomy", "TaxonomyDiff", "Theme"]

# The hints that the converters read, built once (Service, Issue, Theme are bound below).
_SERVICES: object
_ISSUES: object
_THEMES: object


def _services_tuple(value: Iterable[Service]) -> tuple[Service, ...]:
    return lenient(_SERVICES, value)  # type: ignore[no-any-return]


def _issues_tuple(value: Iterable[Issue]) -> tuple[Issue, ...]:
    return lenient(_ISSUES, value)  # type: ignore[no-any-return]


def _themes_tuple(value: Iterable[Theme]) -> tuple[Theme, ...]:
    read = lenient(_THEMES, value)
    # Ids repeated across the tree are found on the input as given, so that
    # they are reported even beside a node that cannot be built.
    repeated = list(_repeated_ids(value))
    if not repeated:
        return read  # type: ignore[no-any-return]
    earlier = read.problems if isinstance(read, Failed) else ()
    return Failed([*earlier, *repeated])  # type: ignore[return-value]


def _ids_frozenset(value: Iterable[str]) -> frozenset[str]:
    return lenient(frozenset[str], value)  # type: ignore[no-any-return]


def _ratio(value: Fraction | float | str) -> Fraction:
    return lenient(Fraction, value)  # type: ignore[no-any-return]


def _node_problems(node: Service | Issue | Theme, failed: set[str]) -> Iterator[Problem]:
    """The problems of the id and name of a node of the tree."""
    if "id" not in failed:
        problem = text_problem(node.id)
        if problem is not None:
            yield Problem(("id",), problem)
        elif node.id != node.id.strip():
            yield Problem(("id",), f"id {shown(node.id)} has leading or trailing spaces")
    if "name" not in failed and node.name:
        problem = text_problem(node.name, "name")
        if problem is not None:
            yield Problem(("name",), problem)


def _sources_tuple(value: Iterable[Source]) -> tuple[Source, ...]:
    return lenient(tuple[Source, ...], value)  # type: ignore[no-any-return]


def _aliases_map(value: Mapping[str, str]) -> FrozenMap[str, str]:
    return lenient(Mapping[Id, Id], value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Source:
    """Where a piece of a referential or of a ruleset comes from.

    A *published* source is a public text (a page, an article, a regulation);
    a source with ``published=False`` is a reconstruction, and its address
    points to the page that argues it. Nodes and rules name their source by
    ``id``, like the references of OpenFisca's parameters.

    >>> faq = Source(id="atlaas-2014", title="ATLAAS, Classement des types de services",
    ...              address="https://github.com/makinacorpus/atlaas/blob/master/pages/faq.md",
    ...              date="2014-07-22")
    >>> faq.published, str(faq)
    (True, 'ATLAAS, Classement des types de services (2014-07-22, published)')
    """

    id: str
    title: str
    address: str = ""
    date: str = ""
    published: bool = True

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "id" not in failed and not self.id.strip():
            yield Problem(("id",), "a source needs a non-empty id")

    def __str__(self) -> str:
        when = f"{self.date}, " if self.date else ""
        kind = "published" if self.published else "reconstructed"
        return f"{self.title} ({when}{kind})"


@attrs.frozen(kw_only=True)
class Service:
    """An elementary service of the referential (*service élémentaire*).

    >>> Service(id="site-internet", name="Site internet de la commune").id
    'site-internet'
    """

    id: str
    name: str
    description: str = ""
    source: str = ""
    """The id of the taxonomy's `Source` this service comes from ("" when not told)."""

    def __attrs_post_init__(self) -> None:
        finish(self, lambda failed: _node_problems(self, failed))

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
    source: str = ""
    """The id of the taxonomy's `Source` this issue comes from ("" when not told)."""

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        yield from _node_problems(self, failed)
        if "services" not in failed and not self.services:
            yield Problem(("services",), f"issue {shown(self.id)} has no service")

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
    source: str = ""
    """The id of the taxonomy's `Source` this theme comes from ("" when not told)."""

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        yield from _node_problems(self, failed)
        if "issues" not in failed and not self.issues:
            yield Problem(("issues",), f"theme {shown(self.id)} has no issue")

    def __str__(self) -> str:
        return f"{self.name} ({self.id}, {len(self.issues)} issues)"


_SERVICES, _ISSUES, _THEMES = tuple[Service, ...], tuple[Issue, ...], tuple[Theme, ...]


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
    change_ratio: Fraction = attrs.field(converter=_ratio, default=Fraction(0))

    def __attrs_post_init__(self) -> None:
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "change_ratio" not in failed and self.change_ratio < 0:
            yield Problem(("change_ratio",), f"{self.change_ratio} is not a fraction >= 0")
        if failed & {"added", "removed", "renamed", "moved"}:
            return
        for sid in sorted(self.added & self.removed):
            yield Problem(("removed", sid), "a service cannot be both added and removed")
        for name, ids in (("renamed", self.renamed), ("moved", self.moved)):
            for sid in sorted(ids & (self.added | self.removed)):
                yield Problem(
                    (name, sid), f"a {name} service is in both referentials, not added or removed"
                )

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


def _children(node: object, name: str) -> list[object]:
    """The child nodes of a node given as a model or as a plain mapping (nothing else)."""
    children = node.get(name) if isinstance(node, Mapping) else getattr(node, name, None)
    return list(children) if isinstance(children, (list, tuple)) else []


def _node_id(node: object) -> object:
    return node.get("id") if isinstance(node, Mapping) else getattr(node, "id", None)


def _repeated_ids(themes: object) -> Iterator[Problem]:
    """A problem for each id that a tree of themes repeats, at the later node."""
    if not isinstance(themes, (list, tuple)):
        return
    seen: dict[str, Path] = {}
    for t, theme in enumerate(themes):
        nodes: list[tuple[Path, object]] = [((t,), theme)]
        for i, issue in enumerate(_children(theme, "issues")):
            nodes.append(((t, "issues", i), issue))
            nodes.extend(
                ((t, "issues", i, "services", s), service)
                for s, service in enumerate(_children(issue, "services"))
            )
        for path, node in nodes:
            node_id = _node_id(node)
            if not isinstance(node_id, str) or not node_id:
                continue
            if node_id in seen:
                also = render_path(("themes", *seen[node_id]))
                yield Problem((*path, "id"), f"duplicate id {shown(node_id)} (also at {also})")
            else:
                seen[node_id] = path


def _source_problems(taxonomy: Taxonomy) -> Iterator[Problem]:
    known: set[str] = set()
    for n, source in enumerate(taxonomy.sources):
        if source.id in known:
            yield Problem(("sources", n, "id"), f"duplicate source id {shown(source.id)}")
        known.add(source.id)
    unknown: list[tuple[Path, str]] = []
    for t, theme in enumerate(taxonomy.themes):
        nodes: list[tuple[Path, Theme | Issue | Service]] = [(("themes", t), theme)]
        for i, issue in enumerate(theme.issues):
            nodes.append((("themes", t, "issues", i), issue))
            nodes.extend(
                (("themes", t, "issues", i, "services", s), service)
                for s, service in enumerate(issue.services)
            )
        unknown.extend(
            ((*path, "source"), node.source)
            for path, node in nodes
            if node.source and node.source not in known
        )
    # Only the problems listed get the search for the closest ids.
    yield from unknown_ids_at("source", unknown, known)


def _alias_problems(taxonomy: Taxonomy) -> Iterator[Problem]:
    services = {service.id for issue in taxonomy.issues for service in issue.services}
    unknown: list[tuple[Path, str]] = []
    for old, new in sorted(taxonomy.aliases.items()):
        if old in taxonomy:
            yield Problem(("aliases", old), f"{shown(old)} is still an id of the taxonomy")
        elif new not in services:
            unknown.append((("aliases", old), new))
    # Only the problems listed get the search for the closest ids.
    yield from unknown_ids_at("service", unknown, services)


class _Index:
    """What a taxonomy derives from its themes: flat lists and look-ups by id."""

    __slots__ = (
        "issues",
        "issues_by_id",
        "parents",
        "service_ids",
        "services",
        "services_by_id",
        "themes_by_id",
    )

    def __init__(self, themes: tuple[Theme, ...]) -> None:
        self.issues = tuple(issue for theme in themes for issue in theme.issues)
        self.services = tuple(service for issue in self.issues for service in issue.services)
        self.service_ids = frozenset(service.id for service in self.services)
        self.themes_by_id = {theme.id: theme for theme in themes}
        self.issues_by_id = {issue.id: issue for issue in self.issues}
        self.services_by_id = {service.id: service for service in self.services}
        self.parents: dict[str, tuple[Theme, Issue | None]] = {}
        for theme in themes:
            for issue in theme.issues:
                self.parents[issue.id] = (theme, None)
                for service in issue.services:
                    self.parents[service.id] = (theme, issue)


def _unknown_service(service_id: str, known: Iterable[str]) -> Problem:
    """The problem of an unknown service id given as the argument ``service_id``."""
    return Problem(("service_id",), unknown_id("service", service_id, known))


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
    themes: tuple[Theme, ...] = attrs.field(converter=_themes_tuple)
    sources: tuple[Source, ...] = attrs.field(converter=_sources_tuple, default=())
    """Where the referential comes from; nodes name one of them in their ``source``."""
    aliases: Mapping[str, str] = attrs.field(converter=_aliases_map, factory=FrozenMap)
    """Former service ids that still read, each mapped to the service that took it over."""
    # Derived from `themes` once, at construction: not a field of the value (equality,
    # hashing, `repr`, pickling and `attrs.evolve` ignore it), and never filled later.
    _index: _Index = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.themes, tuple):  # read (else `finish` reports it): index it first
            object.__setattr__(self, "_index", _Index(self.themes))
        finish(self, self._problems)

    def _problems(self, failed: set[str]) -> Iterator[Problem]:
        if "themes" not in failed and not self.themes:
            yield Problem(("themes",), "a taxonomy needs at least one theme")
        if not failed:
            yield from _source_problems(self)
            yield from _alias_problems(self)

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every issue, in taxonomy order."""
        return self._index.issues

    @property
    def services(self) -> tuple[Service, ...]:
        """Every service, in taxonomy order."""
        return self._index.services

    @property
    def service_ids(self) -> frozenset[str]:
        """The ids of every service."""
        return self._index.service_ids

    @property
    def _themes_by_id(self) -> Mapping[str, Theme]:
        return self._index.themes_by_id

    @property
    def _issues_by_id(self) -> Mapping[str, Issue]:
        return self._index.issues_by_id

    @property
    def _services_by_id(self) -> Mapping[str, Service]:
        return self._index.services_by_id

    @property
    def _parents(self) -> Mapping[str, tuple[Theme, Issue | None]]:
        return self._index.parents

    # Pickled as its fields alone; the index is derived again, as by the constructor.
    def __getstate__(self) -> dict[str, Any]:
        return {
            field.name: getattr(self, field.name) for field in attrs.fields(Taxonomy) if field.init
        }

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_index", _Index(self.themes))

    def theme(self, theme_id: str) -> Theme:
        """Return the theme *theme_id*; an unknown id raises `InvalidInput` with the closest ids."""
        try:
            return self._themes_by_id[theme_id]
        except (KeyError, TypeError):
            if not isinstance(theme_id, str):
                raise not_a("theme_id", "a theme id (a str)", theme_id) from None
            raise InvalidInput(
                Problem(("theme_id",), unknown_id("theme", theme_id, self._themes_by_id))
            ) from None

    def issue(self, issue_id: str) -> Issue:
        """Return the issue *issue_id*; an unknown id raises `InvalidInput` with the closest ids."""
        try:
            return self._issues_by_id[issue_id]
        except (KeyError, TypeError):
            if not isinstance(issue_id, str):
                raise not_a("issue_id", "an issue id (a str)", issue_id) from None
            raise InvalidInput(
                Problem(("issue_id",), unknown_id("issue", issue_id, self._issues_by_id))
            ) from None

    def service(self, service_id: str) -> Service:
        """Return the service *service_id*; an unknown id raises `InvalidInput`.

        >>> from villes_label import default_taxonomy
        >>> default_taxonomy().service("wifi-publc")
        Traceback (most recent call last):
        ...
        villes_label._errors.InvalidInput: service_id: unknown service 'wifi-publc' (did you mean 'wifi-public'?)
        """
        try:
            return self._services_by_id[service_id]
        except (KeyError, TypeError):
            if not isinstance(service_id, str):
                raise not_a("service_id", "a service id (a str)", service_id) from None
            raise InvalidInput(_unknown_service(service_id, self._services_by_id)) from None

    def resolve(self, service_id: str) -> str:
        """The current id of *service_id*: itself, or the service a former id now reads as.

        >>> from villes_label import default_taxonomy
        >>> tax = default_taxonomy()
        >>> tax.resolve("site-internet"), tax.resolve("espace-coworking")
        ('site-internet', 'teletravail-tiers-lieu')
        """
        if not isinstance(service_id, str):
            raise not_a("service_id", "a service id (a str)", service_id)
        if service_id in self._services_by_id:
            return service_id
        new = self.aliases.get(service_id)
        if new is None:
            raise InvalidInput(_unknown_service(service_id, self._services_by_id))
        return new

    def source_of(self, node_id: str) -> Source | None:
        """The `Source` of a theme, issue or service (``None`` when its node names none).

        >>> from villes_label import default_taxonomy
        >>> default_taxonomy().source_of("emploi").published
        True
        """
        if not isinstance(node_id, str):
            raise not_a("node_id", "a theme, issue or service id (a str)", node_id)
        if node_id in self._themes_by_id:
            name = self._themes_by_id[node_id].source
        elif node_id in self._issues_by_id:
            name = self._issues_by_id[node_id].source
        elif node_id in self._services_by_id:
            name = self._services_by_id[node_id].source
        else:
            known = chain(self._themes_by_id, self._issues_by_id, self._services_by_id)
            msg = unknown_id("theme, issue or service", node_id, known)
            raise InvalidInput(Problem(("node_id",), msg))
        return next((source for source in self.sources if source.id == name), None)

    def theme_of(self, issue_or_service_id: str) -> Theme:
        """Return the theme that holds an issue or a service."""
        try:
            return self._parents[issue_or_service_id][0]
        except (KeyError, TypeError):
            if not isinstance(issue_or_service_id, str):
                raise not_a(
                    "issue_or_service_id", "an issue or service id (a str)", issue_or_service_id
                ) from None
            msg = unknown_id("issue or service", issue_or_service_id, self._parents)
            raise InvalidInput(Problem(("issue_or_service_id",), msg)) from None

    def issue_of(self, service_id: str) -> Issue:
        """Return the issue that holds a service."""
        issue = None
        with contextlib.suppress(KeyError, TypeError):
            issue = self._parents[service_id][1]
        if issue is None:
            if not isinstance(service_id, str):
                raise not_a("service_id", "a service id (a str)", service_id)
            raise InvalidInput(_unknown_service(service_id, self._services_by_id)) from None
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
            raise not_a("other", "a Taxonomy", other)
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
            f"{self.name} {self.version}: {counted(len(self.themes), 'theme')}, "
            f"{counted(len(self.issues), 'issue')}, {counted(len(self.services), 'service')}"
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
