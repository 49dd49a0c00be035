"""Structure the 2016 referential from its plain data, once."""

from __future__ import annotations

from functools import cache

from villes_label._taxonomy import Issue, Service, Taxonomy, Theme
from villes_label.referential._data_2016 import THEMES

__all__ = ["default_taxonomy"]


@cache
def default_taxonomy() -> Taxonomy:
    """The label's 2016 referential: 4 themes, 16 issues (*enjeux*), 131 services.

    Partly reconstructed (the 16th issue, the grouping and the services are not
    published); the docs page *The 2016 referential* tells what is published.
    The value is built once and shared: it is immutable.

    >>> tax = default_taxonomy()
    >>> [theme.name for theme in tax.themes]  # doctest: +NORMALIZE_WHITESPACE
    ['Démocratie et services publics', 'Vivre ensemble', 'Partage des connaissances',
     'Création de richesses']
    """
    return Taxonomy(
        name="Territoires, Villes et Villages Internet",
        version="2016",
        themes=tuple(
            Theme(
                id=theme_id,
                name=theme_name,
                description=theme_description,
                issues=tuple(
                    Issue(
                        id=issue_id,
                        name=issue_name,
                        description=issue_description,
                        services=tuple(
                            Service(id=sid, name=name, description=description)
                            for sid, name, description in services
                        ),
                    )
                    for issue_id, issue_name, issue_description, services in issues
                ),
            )
            for theme_id, theme_name, theme_description, issues in THEMES
        ),
    )
