"""Showing views inside a Jupyter notebook, offline.

Each view is a complete page; in a notebook it goes into an ``<iframe srcdoc>`` so
that its styles and scripts stay apart from the notebook's and nothing is fetched
from the network.
"""

from __future__ import annotations

import html
from typing import Any

from graph import SystemMap


class PageView:
    """A view page that Jupyter shows inline (``_repr_html_``)."""

    def __init__(self, page: str, height: int = 650) -> None:
        self.page = page
        self.height = height

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #ccc;" '
            'sandbox="allow-scripts allow-downloads"></iframe>'
        )


def show_map(m: SystemMap, lang: str = "nl", height: int = 650, **options: Any) -> PageView:
    """The interactive map of ``m``, for display in a notebook cell.

    >>> from loaders import load_map
    >>> view = show_map(load_map())
    >>> view._repr_html_().startswith('<iframe srcdoc="')
    True
    """
    from views.map import render_map

    return PageView(render_map(m, lang, **options), height)
