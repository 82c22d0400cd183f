"""The links a page shows above its title: each to a file beside the page.

A link is a :class:`PageLink` record, checked when it is made: both kinds of page
take them, the map page (:mod:`views.page`) and the chart and list pages
(:mod:`views.document`), so a page never links out of its folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import PageDataError, said

__all__ = ["PageLink", "check_href"]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def check_href(href: str) -> str:
    """``href`` if it is a relative link to a file beside the page; else
    :class:`~graph.errors.PageDataError`.

    >>> check_href("kaart.html")
    'kaart.html'
    >>> check_href("/tmp/kaart.html")
    Traceback (most recent call last):
    ...
    graph.errors.PageDataError: link '/tmp/kaart.html' must be relative (a file in the same folder)
    """
    if not href or href.startswith(("/", "\\", "//")) or _SCHEME.match(href) or ".." in href:
        raise PageDataError(said("page_data.relative_link", href=repr(href)))
    return href


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link above a page's title to a file beside the page, such as the way back to
    a session bundle's index.

    Parameters
    ----------
    href : str
        A relative link (see :func:`check_href`); anything else is refused with
        :class:`~graph.errors.PageDataError` when the link is made.
    label : str
        The link's text, plain text.

    Examples
    --------
    >>> PageLink("index.html", "Terug").data()
    {'href': 'index.html', 'label': 'Terug'}
    >>> PageLink("/tmp/kaart.html", "Weg")
    Traceback (most recent call last):
    ...
    graph.errors.PageDataError: link '/tmp/kaart.html' must be relative (a file in the same folder)
    """

    href: str
    label: str

    def __post_init__(self) -> None:
        check_href(self.href)

    def data(self) -> dict[str, str]:
        """The link as a page's template and data carry it."""
        return {"href": self.href, "label": self.label}
