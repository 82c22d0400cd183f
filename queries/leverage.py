"""Leverage (knoppen): which factors move an outcome most, and who can adjust them.

Two rankings. :func:`leverage_points` adds up the signed chains of influence from each
factor to the outcome: a direct reading of the map. :func:`centrality` ranks factors
by how many shortest routes of influence run through them: a structural reading,
and a weak guide to leverage (see its notes). Each row lists the actors that can
adjust the factor (``CAN_ADJUST`` links): the knoppen people can turn.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import rustworkx as rx

from graph import SystemMap
from queries._common import INFLUENCE_KINDS, adjusters, check_round, frame, link_graph
from queries.influence import drivers

__all__ = ["CENTRALITY_COLUMNS", "LEVERAGE_COLUMNS", "centrality", "leverage_points"]

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
}


def leverage_points(
    m: SystemMap,
    target: str = "prestatiedruk",
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
        Ordered by the size of the effect, largest first, unknown effects last, then
        by factor id.

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
    chains = drivers(m, target, max_depth, as_of_round=as_of_round)
    factors = {node.id: node.name for node in m.nodes("Factor")}
    return leverage_table(chains, factors, adjusters(m, as_of_round))


def leverage_table(
    chains: pd.DataFrame, factors: Mapping[str, str], can_adjust: Mapping[str, list[str]]
) -> pd.DataFrame:
    """The rows of :func:`leverage_points` from the chains into the target (in the order of
    :data:`CHAIN_COLUMNS`), the names of the ``factors`` among their sources (others are
    left out) and who can adjust each factor. Shared by the SystemMap and Neo4j answers,
    so that the effects are summed in the same order."""
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
    rows.sort(key=lambda r: (r["effect"] is None, -abs(r["effect"] or 0.0), r["factor"]))
    return frame(rows, LEVERAGE_COLUMNS)


def centrality(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """Factors ranked by betweenness on the graph of influence.

    Betweenness here is the raw (unnormalised) count: for every ordered pair of other
    nodes, the share of shortest directed routes of ``INFLUENCES`` links between them
    that pass through the factor. Parallel links count as one route; signs and weights
    are ignored.

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

    Returns
    -------
    pandas.DataFrame
        One row per factor on the map. Columns: ``factor``, ``name``, ``betweenness``
        (float), ``influences_in`` and ``influences_out`` (the number of
        ``INFLUENCES`` links into and out of it), ``adjusted_by`` (sorted actor ids).
        Ordered by betweenness, highest first, then by factor id.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> centrality(m)[["factor", "betweenness", "influences_in"]].to_dict("records")[0]
    {'factor': 'prestatiedruk', 'betweenness': 14.0, 'influences_in': 7}
    """
    check_round(as_of_round)
    g = link_graph(m, as_of_round=as_of_round)
    nodes = [
        (n, data["kind"], data["name"])
        for n, data in g.nodes.items()
        if data["kind"] in INFLUENCE_KINDS
    ]
    links = [(source, target) for source, target, _ in g.links.values()]
    return centrality_table(nodes, links, adjusters(m, as_of_round))


def centrality_table(
    nodes: Iterable[tuple[str, str, str]],
    links: Iterable[tuple[str, str]],
    can_adjust: Mapping[str, list[str]],
) -> pd.DataFrame:
    """The rows of :func:`centrality` from the nodes on the map (id, kind, name) and its
    ``INFLUENCES`` links (source, target; parallel links repeated).

    The graph is built in the order of the ids, whatever order the nodes and links come
    in, so that the sums inside the betweenness come out the same on both backends.
    """
    nodes = sorted(nodes)
    links = sorted(links)
    betweenness = route_betweenness([node_id for node_id, _, _ in nodes], links)
    influences_in = Counter(target for _, target in links)
    influences_out = Counter(source for source, _ in links)
    rows: list[dict[str, Any]] = [
        {
            "factor": node_id,
            "name": name,
            "betweenness": betweenness[node_id],
            "influences_in": influences_in[node_id],
            "influences_out": influences_out[node_id],
            "adjusted_by": can_adjust.get(node_id, []),
        }
        for node_id, kind, name in nodes
        if kind == "Factor"
    ]
    rows.sort(key=lambda r: (-r["betweenness"], r["factor"]))
    return frame(rows, CENTRALITY_COLUMNS)


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
