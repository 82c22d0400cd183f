"""The links a page shows above its title: each to a file beside the page.

Both kinds of page check them here, the map page (:mod:`views.page`) and the chart
and list pages (:mod:`views.document`), so a page never links out of its folder.
"""

from __future__ import annotations

import re

from graph.errors import PageDataError, said

__all__ = ["check_href"]

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
