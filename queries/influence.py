"""Influence: who and what drives a factor, and what a node drives in turn.

Both follow ``INFLUENCES`` links, from actors and factors alike, directly and through
chains of links up to a depth. A chain never visits a node twice. Each chain is one
row of :data:`CHAIN_COLUMNS`:

``source``, ``target``
    the first and last node of the chain;
``length``
    the number of links;
``sign``
    ``"+"`` when the chain increases its target, ``"-"`` when it dampens it (the
    product of the links' signs); None when any link's sign is unknown;
``strength``
    the product of the links' weights, an unknown weight counting as 1.0;
``weights_known``
    whether every link of the chain has a weight;
``path``, ``names``, ``links``
    the node ids, their names, and the link ids along the chain.

Rows are ordered by length, then path, then links. Parallel links between the same two
nodes give distinct chains.

Each question is written once, over a :class:`queries.source.Source` (the ``*_in``
functions): those of a SystemMap here and those of the Neo4j store in
:mod:`queries.cypher` ask it of their own source.
"""

from __future__ import annotations

import pandas as pd

from graph import SystemMap
from graph.errors import said
from queries._common import CHAIN_COLUMNS, INFLUENCE_KINDS, QueryError, chain_table, check_positive
from queries.source import MapSource, Source

__all__ = [
    "CHAIN_COLUMNS",
    "driven_by",
    "driven_by_in",
    "drivers",
    "drivers_in",
    "influence",
    "influence_in",
]


def drivers(
    m: SystemMap,
    target: str | None = None,
    max_depth: int = 3,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """Who and what drives ``target``: every chain of influence into it.

    Parameters
    ----------
    m : SystemMap
    target : str, optional
        The id of an actor or factor; by default the map's outcome
        (:func:`graph.cycle.outcome`).
    max_depth : int
        The longest chain, in links (1: direct drivers only).
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per chain, columns :data:`CHAIN_COLUMNS`.

    Raises
    ------
    QueryError
        When ``target`` is not an actor or factor of the map, or ``max_depth`` < 1.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> chains = drivers(m, "prestatiedruk")
    >>> print(chains[["source", "length", "sign", "links"]].head(3).to_string(index=False))
                   source  length sign                                     links
    druk-leeftijdsgenoten       1    + [inv-druk-leeftijdsgenoten-prestatiedruk]
               imago-vmbo       1    +            [inv-imago-vmbo-prestatiedruk]
           individualisme       1    +        [inv-individualisme-prestatiedruk]
    >>> sorted(set(drivers(m, "geluk-kind")["sign"].map(repr)))
    ['None']
    """
    return drivers_in(MapSource(m), target, max_depth, as_of_round=as_of_round)


def driven_by(
    m: SystemMap,
    source: str,
    max_depth: int = 3,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """What ``source`` drives: every chain of influence out of it.

    Parameters
    ----------
    m : SystemMap
    source : str
        The id of an actor or factor.
    max_depth : int
        The longest chain, in links.
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per chain, columns :data:`CHAIN_COLUMNS`.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> [" -> ".join(p) for p in driven_by(m, "individualisme")["path"]]
    ['individualisme -> prestatiedruk', 'individualisme -> prestatiedruk -> burn-out', \
'individualisme -> prestatiedruk -> stress']
    >>> driven_by(m, "individualisme", max_depth=1)["target"].tolist()
    ['prestatiedruk']
    """
    return driven_by_in(MapSource(m), source, max_depth, as_of_round=as_of_round)


def influence(
    m: SystemMap,
    target: str | None = None,
    source: str | None = None,
    max_depth: int = 3,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """The chains into ``target`` (:func:`drivers`), or out of ``source`` (:func:`driven_by`).

    With neither, the drivers of the map's outcome (:func:`graph.cycle.outcome`).
    Giving both is an error: use
    :func:`queries.paths.all_paths` for the chains from one node to another.

    Parameters
    ----------
    m : SystemMap
    target, source : str, optional
        The id of an actor or factor; give at most one.
    max_depth : int
        The longest chain, in links.
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per chain, columns :data:`CHAIN_COLUMNS`.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> influence(m, source="perfectionisme").equals(driven_by(m, "perfectionisme"))
    True
    >>> try:
    ...     influence(m, target="stress", source="ouders")
    ... except QueryError as e:
    ...     print(e)
    give a target or a source, not both
    """
    return influence_in(MapSource(m), target, source, max_depth, as_of_round=as_of_round)


def drivers_in(
    src: Source, target: str | None = None, max_depth: int = 3, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """:func:`drivers` of the map that ``src`` reads."""
    src.check_round(as_of_round)
    target = src.check_node(src.outcome(target, as_of_round), INFLUENCE_KINDS)
    check_positive("the depth", max_depth)
    return chain_table(src.chains(max_depth, as_of_round, target=target))


def driven_by_in(
    src: Source, source: str, max_depth: int = 3, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """:func:`driven_by` of the map that ``src`` reads."""
    src.check_node(source, INFLUENCE_KINDS)
    check_positive("the depth", max_depth)
    src.check_round(as_of_round)
    return chain_table(src.chains(max_depth, as_of_round, source=source))


def influence_in(
    src: Source,
    target: str | None = None,
    source: str | None = None,
    max_depth: int = 3,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """:func:`influence` of the map that ``src`` reads."""
    if target is not None and source is not None:
        raise QueryError(said("query.target_or_source"))
    if source is not None:
        return driven_by_in(src, source, max_depth, as_of_round=as_of_round)
    return drivers_in(src, target, max_depth, as_of_round=as_of_round)
