"""Paths: how one node reaches another.

Paths follow links in their direction, over ``INFLUENCES`` links unless other link
kinds are asked for (``kinds=("INFLUENCES", "CAN_ADJUST")``...). A path never visits
a node twice. Each path is one row of :data:`CHAIN_COLUMNS` (see
:mod:`queries.influence`); links of kinds that carry no sign make the path's sign
None. Rows are ordered by length, then path, then links.

Each question is written once, over a :class:`queries.source.Source`
(:func:`shortest_paths_in`, :func:`all_paths_in`): the functions of a SystemMap here
and those of the Neo4j store in :mod:`queries.cypher` ask it of their own source.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from graph import SystemMap
from graph.errors import said
from graph.vocabulary import LinkKind
from queries._common import (
    CHAIN_COLUMNS,
    QueryError,
    chain_table,
    check_link_kinds,
    check_positive,
)
from queries.source import MapSource, Source

__all__ = ["CHAIN_COLUMNS", "all_paths", "all_paths_in", "shortest_paths", "shortest_paths_in"]


def shortest_paths(
    m: SystemMap,
    source: str,
    target: str,
    *,
    kinds: Iterable[str] = (LinkKind.INFLUENCES,),
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
    return shortest_paths_in(MapSource(m), source, target, kinds=kinds, as_of_round=as_of_round)


def all_paths(
    m: SystemMap,
    source: str,
    target: str,
    max_length: int = 4,
    *,
    kinds: Iterable[str] = (LinkKind.INFLUENCES,),
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
    return all_paths_in(
        MapSource(m), source, target, max_length, kinds=kinds, as_of_round=as_of_round
    )


def shortest_paths_in(
    src: Source,
    source: str,
    target: str,
    *,
    kinds: Iterable[str] = (LinkKind.INFLUENCES,),
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """:func:`shortest_paths` of the map that ``src`` reads."""
    checked = _check(src, source, target, kinds, as_of_round)
    return chain_table(src.shortest_paths(source, target, checked, as_of_round))


def all_paths_in(
    src: Source,
    source: str,
    target: str,
    max_length: int = 4,
    *,
    kinds: Iterable[str] = (LinkKind.INFLUENCES,),
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """:func:`all_paths` of the map that ``src`` reads."""
    check_positive("the maximum length", max_length)
    checked = _check(src, source, target, kinds, as_of_round)
    found = src.chains(max_length, as_of_round, source=source, target=target, kinds=checked)
    return chain_table(found)


def _check(
    src: Source, source: str, target: str, kinds: Iterable[str], as_of_round: int | None
) -> tuple[str, ...]:
    """The checks of a path question: two different nodes, known link kinds, a round
    of the map; the link kinds checked."""
    src.check_node(source)
    src.check_node(target)
    if source == target:
        raise QueryError(said("query.path_same", node=repr(source)))
    checked = check_link_kinds(kinds)
    src.check_round(as_of_round)
    return checked
