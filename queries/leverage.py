"""Leverage (knoppen): which factors move an outcome most, and who can adjust them.

Two rankings. :func:`leverage_points` adds up the signed chains of influence from each
factor to the outcome: a direct reading of the map. :func:`centrality` ranks factors
by how many shortest routes of influence run through them: a structural reading,
and a weak guide to leverage (see its notes); exact on maps of up to
:data:`EXACT_UP_TO` linked nodes, estimated from a fixed sample of sources on larger
ones. Each row lists the actors that can adjust the factor (``CAN_ADJUST`` links): the
knoppen people can turn.

Both are written once, over a :class:`queries.source.Source` (:func:`leverage_points_in`,
:func:`centrality_in`): that of a SystemMap here, that of the Neo4j store in
:mod:`queries.cypher`.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import rustworkx as rx

from graph import SystemMap
from graph.vocabulary import LinkKind
from queries._common import (
    INFLUENCE_KINDS,
    chain_table,
    check_positive,
    frame,
)
from queries.source import MapSource, Source

__all__ = [
    "CENTRALITY_COLUMNS",
    "EXACT_UP_TO",
    "LEVERAGE_COLUMNS",
    "SAMPLE_SIZE",
    "centrality",
    "centrality_in",
    "leverage_points",
    "leverage_points_in",
]

#: Columns (name: dtype) of :func:`leverage_points`.
LEVERAGE_COLUMNS = {
    "factor": "object",
    "name": "object",
    "effect": "Float64",
    "chains": "int64",
    "unknown_sign_chains": "int64",
    "weights_known": "bool",
    "adjusted_by": "object",
}
#: Columns (name: dtype) of :func:`centrality`.
CENTRALITY_COLUMNS = {
    "factor": "object",
    "name": "object",
    "betweenness": "float64",
    "influences_in": "int64",
    "influences_out": "int64",
    "adjusted_by": "object",
    "estimated": "bool",
}
#: Betweenness is exact on a graph of influence of at most this many linked nodes: the
#: Vleuten map and any map a workshop draws by hand.
EXACT_UP_TO = 500
#: Above :data:`EXACT_UP_TO`, betweenness is estimated from the routes out of this many
#: sources: about 50 ms for a map of 2,000 nodes and 10,000 links.
SAMPLE_SIZE = 64


def leverage_points(
    m: SystemMap,
    target: str | None = None,
    max_depth: int = 4,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """Factors ranked by their signed effect on ``target`` along chains of influence.

    The effect of a factor is the sum, over every chain of ``INFLUENCES`` links from the
    factor to ``target`` (no node twice, at most ``max_depth`` links), of the chain's
    sign times its strength (the product of its weights, an unknown weight counting as
    1.0). It measures how strongly, and in which direction, the map says that turning
    the factor up moves the target, counting every route the map knows; routes that
    cancel out lower it. Chains with a link of unknown sign cannot be added up: they are
    counted apart, and the effect is unknown (``<NA>``) when no chain has a known sign. Like any
    reading of a causal map, it is as good as the links it rests on.

    Parameters
    ----------
    m : SystemMap
    target : str
        The outcome, an actor or factor id.
    max_depth : int
        The longest chain, in links.
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per factor with at least one chain to ``target``. Columns:
        ``factor``, ``name``; ``effect`` (``Float64``); ``chains`` (all chains);
        ``unknown_sign_chains`` (those left out of the effect); ``weights_known``
        (every link of every chain has a weight); ``adjusted_by`` (sorted actor ids).
        Ordered by the size of the effect, largest first, unknown effects last; equal
        effects by how many actors can adjust the factor, most first (a knob someone
        can turn before one nobody can), then by factor id.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> knobs = leverage_points(m, "prestatiedruk")
    >>> knobs[knobs["adjusted_by"].map(len) > 0][["factor", "adjusted_by"]].to_dict("records")
    [{'factor': 'meten-en-toetsen', 'adjusted_by': ['scholen']}, \
{'factor': 'verwachtingen-ouders', 'adjusted_by': ['ouders']}]
    >>> knobs["effect"].tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    >>> leverage_points(m, "geluk-kind")[["factor", "effect"]].to_dict("records")
    [{'factor': 'schoolsysteem', 'effect': None}, \
{'factor': 'verantwoordelijkheid-omgeving', 'effect': None}]
    """
    return leverage_points_in(MapSource(m), target, max_depth, as_of_round=as_of_round)


def leverage_points_in(
    source: Source, target: str | None = None, max_depth: int = 4, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`leverage_points`, over a :class:`queries.source.Source`: a SystemMap or
    the map in Neo4j (:func:`queries.cypher.leverage_points`)."""
    source.check_round(as_of_round)
    target = source.check_node(source.outcome(target, as_of_round), INFLUENCE_KINDS)
    check_positive("the depth", max_depth)
    found = source.chains(max_depth, as_of_round, target=target, source_kinds=("Factor",))
    factors = {row["source"]: row["names"][0] for row in found}
    return leverage_table(chain_table(found), factors, source.adjusters(as_of_round))


def leverage_table(
    chains: pd.DataFrame, factors: Mapping[str, str], can_adjust: Mapping[str, list[str]]
) -> pd.DataFrame:
    """The rows of :func:`leverage_points` from the chains into the target (in the order of
    :data:`CHAIN_COLUMNS`), the names of the ``factors`` among their sources (others are
    left out) and who can adjust each factor."""
    by_factor: dict[str, list[tuple[str | None, float, bool]]] = defaultdict(list)
    columns = (chains[c] for c in ("source", "sign", "strength", "weights_known"))
    for source, sign, strength, weights_known in zip(*columns, strict=True):
        if source in factors:
            by_factor[source].append((sign, strength, weights_known))
    rows: list[dict[str, Any]] = []
    for factor, group in by_factor.items():
        signed = [
            strength if sign == "+" else -strength
            for sign, strength, _ in group
            if sign is not None
        ]
        rows.append(
            {
                "factor": factor,
                "name": factors[factor],
                "effect": sum(signed) if signed else None,
                "chains": len(group),
                "unknown_sign_chains": len(group) - len(signed),
                "weights_known": all(known for _, _, known in group),
                "adjusted_by": can_adjust.get(factor, []),
            }
        )
    rows.sort(
        key=lambda r: (
            r["effect"] is None,
            -abs(r["effect"] or 0.0),
            -len(r["adjusted_by"]),
            r["factor"],
        )
    )
    return frame(rows, LEVERAGE_COLUMNS)


def centrality(
    m: SystemMap, *, as_of_round: int | None = None, exact: bool = False
) -> pd.DataFrame:
    """Factors ranked by betweenness on the graph of influence.

    Betweenness here is the raw (unnormalised) count: for every ordered pair of other
    nodes, the share of shortest directed routes of ``INFLUENCES`` links between them
    that pass through the factor. Parallel links count as one route; signs and weights
    are ignored.

    On a graph of influence of more than :data:`EXACT_UP_TO` linked nodes the count is
    estimated, and the ``estimated`` column says so: only the routes out of
    :data:`SAMPLE_SIZE` sources are followed, and their share is scaled up to all the
    nodes that routes start from (Brandes and Pich's pivot sampling). The sample is
    fixed (see :func:`betweenness`), so the same map always gives the same estimate, on
    either backend. Averaged over samples it is the exact count, but one sample is off:
    where betweenness is spread evenly over the map, by tens of percent on single
    factors, with a different order at the top (on a generated map of 2,000 nodes and
    10,000 links, 2 of the exact top ten are in the estimated top ten). ``exact=True``
    asks for the exact count, which on that map takes over half a second.

    Notes
    -----
    Centrality is a weak guide to leverage in a causal map. It counts routes, not
    effects: it ignores signs (a factor on two routes that cancel scores high), weights
    and whether anyone can adjust the factor, and it rewards a factor for sitting
    between two others even when neither is an outcome anyone cares about. Read it as
    "where influence passes through", and prefer :func:`leverage_points` for "what moves
    the outcome".

    Parameters
    ----------
    m : SystemMap
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.
    exact : bool
        Count every route, however large the map.

    Returns
    -------
    pandas.DataFrame
        One row per factor on the map. Columns: ``factor``, ``name``, ``betweenness``
        (float), ``influences_in`` and ``influences_out`` (the number of
        ``INFLUENCES`` links into and out of it), ``adjusted_by`` (sorted actor ids),
        ``estimated`` (True on every row when betweenness is an estimate).
        Ordered by betweenness, highest first, then by factor id.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> centrality(m)[["factor", "betweenness", "influences_in", "estimated"]].to_dict(
    ...     "records"
    ... )[0]
    {'factor': 'prestatiedruk', 'betweenness': 14.0, 'influences_in': 7, 'estimated': False}
    """
    return centrality_in(MapSource(m), as_of_round=as_of_round, exact=exact)


def centrality_in(
    source: Source, *, as_of_round: int | None = None, exact: bool = False
) -> pd.DataFrame:
    """As :func:`centrality`, over a :class:`queries.source.Source`: the nodes and the
    influence links of the round come from the source (on Neo4j, filtered by round and
    kind in the database); betweenness is computed here on both."""
    source.check_round(as_of_round)
    # each node with the actors that can adjust it, read together
    found = source.nodes(INFLUENCE_KINDS, as_of_round, sources_of=(LinkKind.CAN_ADJUST,))
    nodes = [(n["id"], n["kind"], n["name"]) for n in found]
    can_adjust = {n["id"]: n["sources"] for n in found if n["sources"]}
    links = source.link_pairs((LinkKind.INFLUENCES,), as_of_round)
    return centrality_table(nodes, links, can_adjust, exact=exact)


def centrality_table(
    nodes: Iterable[tuple[str, str, str]],
    links: Iterable[tuple[str, str]],
    can_adjust: Mapping[str, list[str]],
    *,
    exact: bool = False,
) -> pd.DataFrame:
    """The rows of :func:`centrality` from the nodes on the map (id, kind, name) and its
    ``INFLUENCES`` links (source, target; parallel links repeated).

    The graph is built in the order of the ids, whatever order the nodes and links come
    in, so that the sums inside the betweenness come out the same on both backends.
    """
    nodes = sorted(nodes)
    links = sorted(links)
    scores, estimated = betweenness([node_id for node_id, _, _ in nodes], links, exact=exact)
    influences_in = Counter(target for _, target in links)
    influences_out = Counter(source for source, _ in links)
    rows: list[dict[str, Any]] = [
        {
            "factor": node_id,
            "name": name,
            "betweenness": scores[node_id],
            "influences_in": influences_in[node_id],
            "influences_out": influences_out[node_id],
            "adjusted_by": can_adjust.get(node_id, []),
            "estimated": estimated,
        }
        for node_id, kind, name in nodes
        if kind == "Factor"
    ]
    rows.sort(key=lambda r: (-r["betweenness"], r["factor"]))
    return frame(rows, CENTRALITY_COLUMNS)


def betweenness(
    nodes: Sequence[str], links: Sequence[tuple[str, str]], *, exact: bool = False
) -> tuple[dict[str, float], bool]:
    """The betweenness of each of ``nodes`` on the directed graph of ``links``, and
    whether it is an estimate.

    Exact (:func:`route_betweenness`) when asked for, or when at most
    :data:`EXACT_UP_TO` nodes are linked. Otherwise estimated from a sample: of the
    nodes with a link to another node (those that routes start from; the others add
    nothing), the :data:`SAMPLE_SIZE` whose ids come first in the order of their
    SHA-256 digests. That order is fixed and unrelated to the shape of the map, so the
    sample is as good as a random one, yet the same on every run, Python version and
    backend. The routes out of the sample are counted (:func:`source_betweenness`) and
    scaled by the number of such nodes over the sample size: in expectation, the exact
    count. When the sample would hold them all, the count is exact.

    >>> betweenness(["a", "b", "c"], [("a", "b"), ("b", "c")])
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, False)
    """
    linked = {node for link in links for node in link}
    starts = sorted({source for source, target in links if source != target})
    if exact or len(linked) <= EXACT_UP_TO or len(starts) <= SAMPLE_SIZE:
        return route_betweenness(nodes, links), False
    sample = sorted(sorted(starts, key=_digest)[:SAMPLE_SIZE])
    scale = len(starts) / SAMPLE_SIZE
    counted = source_betweenness(nodes, links, sample)
    return {node: value * scale for node, value in counted.items()}, True


def _digest(node: str) -> bytes:
    return hashlib.sha256(node.encode("utf-8")).digest()


def route_betweenness(nodes: Sequence[str], links: Iterable[tuple[str, str]]) -> dict[str, float]:
    """The betweenness of each of ``nodes`` on the directed graph of ``links`` (source,
    target; repeats count once): for every ordered pair of other nodes, the share of
    the shortest routes between them that pass through the node.

    The same measure as networkx's ``betweenness_centrality(g, normalized=False)``
    (Brandes' algorithm, unweighted), computed by rustworkx in compiled code: on a map
    of 2,000 nodes and 8,000 links in about half a second rather than half a minute.
    It runs on one thread, so that its sums are added in the same order on every run:
    both backends, which give it the same ``nodes`` and ``links`` in the same order,
    get the same floats. Nodes that no link joins score 0.0 without entering the graph.

    >>> route_betweenness(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("b", "c")])
    {'a': 0.0, 'b': 1.0, 'c': 0.0, 'd': 0.0}
    """
    links = list(links)
    linked = {node for link in links for node in link}
    graph = rx.PyDiGraph(multigraph=False)
    index = {node: graph.add_node(node) for node in nodes if node in linked}
    graph.add_edges_from_no_data([(index[source], index[target]) for source, target in links])
    scores = rx.digraph_betweenness_centrality(
        graph, normalized=False, parallel_threshold=graph.num_nodes() + 1
    )
    return {node: scores[index[node]] if node in index else 0.0 for node in nodes}


def source_betweenness(
    nodes: Sequence[str], links: Iterable[tuple[str, str]], sources: Sequence[str]
) -> dict[str, float]:
    """The betweenness of each of ``nodes`` counted over the routes out of ``sources``
    only: for every source and every other node as target, the share of the shortest
    routes between them that pass through the node (repeated links count once).

    The same measure as networkx's ``betweenness_centrality_subset(g, sources, g,
    normalized=False)``: Brandes' algorithm run from every source at once, level by
    level of distance, in numpy (in a fixed order, so the same input gives the same
    floats). It visits each link once per source that reaches it.

    >>> links = [("a", "b"), ("b", "c"), ("a", "d"), ("d", "c")]
    >>> source_betweenness(["a", "b", "c", "d"], links, ["a"])
    {'a': 0.0, 'b': 0.5, 'c': 0.0, 'd': 0.5}
    """
    index = {node: i for i, node in enumerate(nodes)}
    n, k = len(nodes), len(sources)
    ends = np.array([(index[s], index[t]) for s, t in links], dtype=np.int64).reshape(-1, 2)
    pairs = np.sort(ends[:, 0] * n + ends[:, 1])  # each link as one number, in order
    once = np.ones(len(pairs), dtype=bool)
    once[1:] = pairs[1:] != pairs[:-1]
    tails, heads = np.divmod(pairs[once], n)
    tails, heads = tails[tails != heads], heads[tails != heads]
    # the heads of the links out of node v: heads[first_out[v] : first_out[v + 1]]
    first_out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=first_out[1:])
    # one state per (source, node), flattened source by source: position s * n + v
    distance = np.full(k * n, -1, dtype=np.int64)
    routes = np.zeros(k * n)  # shortest routes from the source to the node
    sources_at = np.array([index[source] for source in sources], dtype=np.int64)
    starts = np.arange(k, dtype=np.int64) * n + sources_at
    distance[starts] = 0
    routes[starts] = 1.0
    levels: list[tuple[np.ndarray, np.ndarray]] = []  # links onto the next level of each source
    frontier, depth = starts, 0
    while frontier.size:
        offset, at = np.divmod(frontier, n)
        offset *= n
        counts = first_out[at + 1] - first_out[at]
        total = int(counts.sum())
        # the out-links of every frontier state, one after the other
        link = np.repeat(first_out[at] - np.cumsum(counts) + counts, counts) + np.arange(total)
        tail = np.repeat(frontier, counts)
        head = np.repeat(offset, counts) + heads[link]
        onto_next = distance[head] < 0
        tail, head = tail[onto_next], head[onto_next]
        depth += 1
        distance[head] = depth
        np.add.at(routes, head, routes[tail])
        levels.append((tail, head))
        frontier = np.flatnonzero(distance == depth)
    dependency = np.zeros(k * n)
    for tail, head in reversed(levels):
        np.add.at(dependency, tail, routes[tail] / routes[head] * (1.0 + dependency[head]))
    dependency[starts] = 0.0
    return dict(zip(nodes, dependency.reshape(k, n).sum(axis=0).tolist(), strict=True))
