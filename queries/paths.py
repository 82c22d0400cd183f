"""Paths: how one node reaches another.

Paths follow links in their direction, over ``INFLUENCES`` links unless other link
kinds are asked for (``kinds=("INFLUENCES", "CAN_ADJUST")``...). A path never visits
a node twice. Each path is one row of :data:`CHAIN_COLUMNS` (see
:mod:`queries.influence`); links of kinds that carry no sign make the path's sign
None. Rows are ordered by length, then path, then links.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from graph import SystemMap
from graph.cycle import check_node
from queries._common import (
    CHAIN_COLUMNS,
    LinkGraph,
    QueryError,
    chain_frame,
    check_positive,
    link_graph,
    shortest_chains,
    simple_chains,
)

__all__ = ["CHAIN_COLUMNS", "all_paths", "shortest_paths"]


def shortest_paths(
    m: SystemMap,
    source: str,
    target: str,
    *,
    kinds: Iterable[str] = ("INFLUENCES",),
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """Every shortest path from ``source`` to ``target``; no rows when there is none.

    Parameters
    ----------
    m : SystemMap
    source, target : str
        Node ids; they must differ.
    kinds : iterable of str
        The link kinds to follow.
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per path, columns :data:`CHAIN_COLUMNS`; all rows have the same length.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> shortest_paths(m, "schoolsysteem", "stress")["links"].tolist()
    [['inv-schoolsysteem-prestatiedruk', 'inv-prestatiedruk-stress']]
    >>> shortest_paths(m, "scholen", "stress").empty
    True
    >>> shortest_paths(m, "scholen", "stress", kinds=["INFLUENCES", "CAN_ADJUST"])["path"][0]
    ['scholen', 'meten-en-toetsen', 'prestatiedruk', 'stress']
    """
    g = _graph(m, source, target, kinds, as_of_round)
    return chain_frame(g, shortest_chains(g, source, target))


def all_paths(
    m: SystemMap,
    source: str,
    target: str,
    max_length: int = 4,
    *,
    kinds: Iterable[str] = ("INFLUENCES",),
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """Every path from ``source`` to ``target`` of at most ``max_length`` links.

    Parameters
    ----------
    m : SystemMap
    source, target : str
        Node ids; they must differ.
    max_length : int
        The longest path, in links.
    kinds : iterable of str
        The link kinds to follow.
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per path, columns :data:`CHAIN_COLUMNS`.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> paths = all_paths(m, "ouders", "burn-out", kinds=["INFLUENCES", "CAN_ADJUST"])
    >>> paths[["names", "sign"]].to_dict("records")
    [{'names': ['Ouders', 'De verwachtingen van ouders', 'Prestatiedruk', 'Burn-out'], \
'sign': None}]
    """
    check_positive("the maximum length", max_length)
    g = _graph(m, source, target, kinds, as_of_round)
    chains = simple_chains(g, source, max_length)
    return chain_frame(g, (chain for chain in chains if chain[-1][1] == target))


def _graph(
    m: SystemMap, source: str, target: str, kinds: Iterable[str], as_of_round: int | None
) -> LinkGraph:
    check_node(m, source)
    check_node(m, target)
    if source == target:
        raise QueryError(f"a path needs two different nodes, got {source!r} twice")
    return link_graph(m, kinds, as_of_round)
