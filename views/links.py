"""The links a page shows above its title: each to a file beside the page.

Both kinds of page check them here, the map page (:mod:`views.page`) and the chart
and list pages (:mod:`views.document`), so a page never links out of its folder.
"""

from __future__ import annotations

import re

__all__ = ["check_href"]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def check_href(href: str) -> str:
    """``href`` if it is a relative link to a file beside the page; else ValueError.

    >>> check_href("kaart.html")
    'kaart.html'
    >>> check_href("/tmp/kaart.html")
    Traceback (most recent call last):
    ...
    ValueError: link '/tmp/kaart.html' must be relative (a file in the same folder)
    """
    if not href or href.startswith(("/", "\\", "//")) or _SCHEME.match(href) or ".." in href:
        raise ValueError(f"link {href!r} must be relative (a file in the same folder)")
    return href
