"""Perspectives: what each group (jongere, ouder, professional...) emphasises.

A group touches a node or link when a quote attributed to the group is about it, or
when the group gave a verdict on the link in a review. The more often, the more the
group emphasises it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from graph import SystemMap, schema
from graph.cycle import present, review_counts
from queries._common import (
    SHEET_LINK_KINDS,
    LinkGraph,
    frame,
    link_graph,
    unknown,
)

__all__ = ["EMPHASIS_COLUMNS", "group_emphasis"]

#: Columns (name: dtype) of :func:`group_emphasis`.
EMPHASIS_COLUMNS = {
    "group": "object",
    "item": "object",
    "kind": "object",
    "name": "object",
    "quotes": "int64",
    "reviews": "int64",
    "total": "int64",
}


def group_emphasis(
    m: SystemMap, group: str | None = None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """The nodes and links each group's quotes and reviews are about, with counts.

    Parameters
    ----------
    m : SystemMap
    group : str, optional
        Only this group (one of :data:`graph.schema.GROUPS`); by default every group.
    as_of_round : int, optional
        The map as it was in this round: quotes and items on the map then, and the
        reviews of the rounds before it (a round's own reviews count from the next
        round on, as in :mod:`graph.cycle`). By default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per group and item it touches. Columns: ``group``; ``item`` (a node
        or link id); ``kind`` (the node kind, or the link kind for a link); ``name``
        (the node's name, or ``"source name → target name"`` for a link); ``quotes``
        and ``reviews`` (how many of the group's quotes and reviews touch it) and
        ``total``. Ordered by group, then total (most first), then item.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> emphasis = group_emphasis(m)
    >>> emphasis[["group", "item", "quotes"]].head(2).to_dict("records")
    [{'group': 'deelnemer', 'item': 'meten-en-toetsen', 'quotes': 2}, \
{'group': 'deelnemer', 'item': 'minder-meten-toetsen', 'quotes': 2}]
    >>> group_emphasis(m, "jongere").empty
    True
    """
    if group is not None and group not in schema.GROUPS:
        raise unknown("group", group, schema.GROUPS)
    g = link_graph(m, SHEET_LINK_KINDS, as_of_round)
    quotes: Counter[tuple[str, str]] = Counter(
        (quote["group"], item)
        for quote in m.quotes()
        if present(quote.fields, as_of_round)
        for item in quote.get("about", ())
    )
    reviews: Counter[tuple[str, str]] = Counter(
        (review["group"], review["link"])
        for review in m.reviews
        if review_counts(review, as_of_round)
    )
    rows = [
        {
            "group": who,
            "item": item,
            **_kind_and_name(g, item),
            "quotes": quotes[who, item],
            "reviews": reviews[who, item],
            "total": quotes[who, item] + reviews[who, item],
        }
        for who, item in set(quotes) | set(reviews)
        if group in (None, who) and (item in g.nodes or item in g.links)
    ]
    return emphasis_table(rows)


def _kind_and_name(g: LinkGraph, item: str) -> dict[str, str]:
    """The kind and name of a node, or of a link (named by its ends)."""
    if item in g.nodes:
        return {"kind": g.nodes[item]["kind"], "name": g.name(item)}
    source, target, data = g.links[item]
    return {"kind": data["kind"], "name": f"{g.name(source)} → {g.name(target)}"}


def emphasis_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`EMPHASIS_COLUMNS` as the DataFrame of :func:`group_emphasis`, in
    its order. Shared by the SystemMap and Neo4j answers."""
    table = sorted(rows, key=lambda r: (r["group"], -r["total"], r["item"]))
    return frame(table, EMPHASIS_COLUMNS)
