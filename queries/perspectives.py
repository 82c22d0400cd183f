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
from queries._common import SHEET_LINK_KINDS, frame, unknown
from queries.source import MapSource, Source

__all__ = ["EMPHASIS_COLUMNS", "group_emphasis", "group_emphasis_in"]

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
    return group_emphasis_in(MapSource(m), group, as_of_round=as_of_round)


def group_emphasis_in(
    source: Source, group: str | None = None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`group_emphasis`, over a :class:`queries.source.Source`: a SystemMap or
    the map in Neo4j (:func:`queries.cypher.group_emphasis`). Only the items the quotes
    and reviews touch are asked for."""
    if group is not None and group not in schema.GROUPS:
        raise unknown("group", group, schema.GROUPS)
    source.check_round(as_of_round)
    quotes: Counter[tuple[str, str]] = Counter(
        (quote["group"], item) for quote in source.quotes(as_of_round) for item in quote["about"]
    )
    reviews: Counter[tuple[str, str]] = Counter(
        (review.group, review.link) for review in source.reviews(as_of_round)
    )
    touched = [(who, item) for who, item in set(quotes) | set(reviews) if group in (None, who)]
    ids = {item for _, item in touched}
    items: dict[str, dict[str, str]] = {
        link["id"]: {
            "kind": link["kind"],
            "name": f"{link['source_name']} → {link['target_name']}",
        }
        for link in source.links(SHEET_LINK_KINDS, as_of_round, end_fields=("name",), ids=ids)
    }
    # a node before a link of the same id
    for node in source.nodes(schema.NODE_KINDS_ALL, as_of_round, ids=ids):
        items[node["id"]] = {"kind": node["kind"], "name": node["name"]}
    rows = [
        {
            "group": who,
            "item": item,
            **items[item],
            "quotes": quotes[who, item],
            "reviews": reviews[who, item],
            "total": quotes[who, item] + reviews[who, item],
        }
        for who, item in touched
        if item in items
    ]
    return emphasis_table(rows)


def emphasis_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`EMPHASIS_COLUMNS` as the DataFrame of :func:`group_emphasis`, in
    its order. Shared by the SystemMap and Neo4j answers."""
    table = sorted(rows, key=lambda r: (r["group"], -r["total"], r["item"]))
    return frame(table, EMPHASIS_COLUMNS)
