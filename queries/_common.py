"""What the query families share: checks, the map as of a round, chains of links."""

from __future__ import annotations

import difflib
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from graph import SystemMap, schema

#: One link of the graph as networkx names an edge of a MultiDiGraph.
Edge = tuple[str, str, str]

#: Columns (name: dtype) of every query that returns chains of links.
CHAIN_COLUMNS = {
    "source": "object",
    "target": "object",
    "length": "int64",
    "sign": "object",
    "strength": "float64",
    "weights_known": "bool",
    "path": "object",
    "names": "object",
    "links": "object",
}

#: The node kinds that ``INFLUENCES`` links join.
INFLUENCE_KINDS = ("Actor", "Factor")

#: The link kinds of the ``relaties`` sheet (not the derived ``ABOUT`` and ``SAID_IN``).
SHEET_LINK_KINDS = tuple(k for k, kind in schema.LINK_KINDS.items() if not kind.derived)


class QueryError(ValueError):
    """A question the map cannot answer as asked: an unknown id or a bad option."""


def unknown(what: str, value: str, candidates: Iterable[str]) -> QueryError:
    """The error for an unknown ``value``, suggesting the closest of ``candidates``.

    >>> print(unknown("node", "prestatiedrk", ["prestatiedruk", "stress"]))
    unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)
    """
    close = difflib.get_close_matches(value, list(candidates), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return QueryError(f"unknown {what} {value!r}{hint}")


def check_node(m: SystemMap, node_id: str, kinds: Sequence[str] = ()) -> str:
    """``node_id`` if it names a node (of one of ``kinds``, when given); else QueryError."""
    if node_id not in m.graph:
        raise unknown("node", node_id, (n.id for n in m.nodes() if not kinds or n.kind in kinds))
    kind = m.graph.nodes[node_id]["kind"]
    if kinds and kind not in kinds:
        raise QueryError(f"{node_id!r} is a {kind}; expected one of: {', '.join(kinds)}")
    return node_id


def check_positive(what: str, value: int) -> int:
    """``value`` if it is a whole number of at least 1; else QueryError saying ``what`` it is.

    >>> check_positive("the depth", -1)
    Traceback (most recent call last):
    ...
    queries._common.QueryError: the depth must be a whole number of at least 1, not -1
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QueryError(f"{what} must be a whole number of at least 1, not {value!r}")
    return value


def check_round(as_of_round: int | None) -> int | None:
    """``as_of_round`` if it is None or a round number (1 or more); else QueryError."""
    return None if as_of_round is None else check_positive("the round", as_of_round)


def check_link_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """``kinds`` as a tuple if each is a link kind of the schema; else QueryError."""
    kinds = tuple(kinds)
    if not kinds:
        raise QueryError("give at least one link kind")
    for kind in kinds:
        if kind not in schema.LINK_KINDS:
            raise unknown("link kind", kind, schema.LINK_KINDS)
    return kinds


def present(fields: Mapping[str, Any], as_of_round: int | None = None) -> bool:
    """Whether a node or link with these fields is on the map in round ``as_of_round``.

    In round k: ``(round_in or 1) <= k`` and it has not left (``k < round_out``).
    With ``as_of_round=None``, the latest state: everything that has not been retired.

    >>> present({"round_in": 2}, 1), present({"round_in": 2}, 2), present({"round_out": 3})
    (False, True, False)
    """
    round_out = fields.get("round_out")
    if as_of_round is None:
        return round_out is None
    entered = (fields.get("round_in") or 1) <= as_of_round
    return entered and (round_out is None or as_of_round < round_out)


def link_graph(
    m: SystemMap, kinds: Iterable[str] = ("INFLUENCES",), as_of_round: int | None = None
) -> nx.MultiDiGraph:
    """The nodes on the map in a round, and the links of ``kinds`` between them.

    A link counts when it and both its ends are on the map in that round.
    """
    kinds = check_link_kinds(kinds)
    check_round(as_of_round)
    g = nx.MultiDiGraph()
    g.add_nodes_from(
        (n, data) for n, data in m.graph.nodes(data=True) if present(data["fields"], as_of_round)
    )
    g.add_edges_from(
        (u, v, key, data)
        for u, v, key, data in m.graph.edges(keys=True, data=True)
        if data["kind"] in kinds and u in g and v in g and present(data["fields"], as_of_round)
    )
    return g


def simple_chains(
    g: nx.MultiDiGraph, start: str, max_length: int, *, backward: bool = False
) -> Iterator[list[Edge]]:
    """Every chain of links out of ``start`` (into it, when ``backward``) that visits no
    node twice, up to ``max_length`` links. Each chain is listed from source to target;
    parallel links give distinct chains."""

    def extend(visited: list[str], chain: list[Edge]) -> Iterator[list[Edge]]:
        if len(chain) == max_length:
            return
        end = visited[-1]
        steps = g.in_edges(end, keys=True) if backward else g.out_edges(end, keys=True)
        for u, v, key in steps:
            step = u if backward else v
            if step in visited:
                continue
            longer = [*chain, (u, v, key)]
            yield longer[::-1] if backward else longer
            yield from extend([*visited, step], longer)

    if start in g:
        yield from extend([start], [])


def parallel_chains(g: nx.MultiDiGraph, path: Sequence[str]) -> Iterator[list[Edge]]:
    """Every chain of links along a path of nodes: one per choice among parallel links."""
    hops = [[(u, v, key) for key in g[u][v]] for u, v in itertools.pairwise(path)]
    return (list(chain) for chain in itertools.product(*hops))


def sign_product(signs: Iterable[str | None]) -> str | None:
    """The sign of a chain or loop: ``+`` or ``-`` by the product, None when one is unknown.

    >>> sign_product(["+", "-", "-"]), sign_product(["-"]), sign_product(["+", None])
    ('+', '-', None)
    """
    signs = list(signs)
    if any(s not in schema.SIGNS for s in signs):
        return None
    return "-" if signs.count("-") % 2 else "+"


def link_values(g: nx.MultiDiGraph, links: Sequence[Edge]) -> tuple[str | None, float, bool]:
    """Sign, strength and whether all weights are known, for a chain or loop of links.

    The strength is the product of the weights, an unknown weight counting as 1.0.
    """
    fields = [g.edges[edge]["fields"] for edge in links]
    weights = [f.get("weight") for f in fields]
    strength = math.prod(1.0 if w is None else float(w) for w in weights)
    return sign_product(f.get("sign") for f in fields), strength, None not in weights


def frame(rows: Iterable[Mapping[str, Any]], columns: Mapping[str, str]) -> pd.DataFrame:
    """The rows as a DataFrame with ``columns`` (name: dtype), in that order.

    Text and list columns hold Python objects, so an unknown value stays None.
    """
    return pd.DataFrame(list(rows), columns=list(columns), dtype=object).astype(columns)


def chain_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of chains as a DataFrame of :data:`CHAIN_COLUMNS`, ordered by length, path
    and links: the final step on both the SystemMap and the Neo4j store."""
    ordered = sorted(rows, key=lambda r: (r["length"], r["path"], r["links"]))
    return frame(ordered, CHAIN_COLUMNS)


def chain_frame(g: nx.MultiDiGraph, chains: Iterable[list[Edge]]) -> pd.DataFrame:
    """One row per chain, in :data:`CHAIN_COLUMNS`, ordered by length, path and links."""
    rows = []
    for chain in chains:
        path = [chain[0][0], *(v for _, v, _ in chain)]
        sign, strength, weights_known = link_values(g, chain)
        rows.append(
            {
                "source": path[0],
                "target": path[-1],
                "length": len(chain),
                "sign": sign,
                "strength": strength,
                "weights_known": weights_known,
                "path": path,
                "names": [g.nodes[n]["name"] for n in path],
                "links": [key for _, _, key in chain],
            }
        )
    return chain_table(rows)


def adjusters(m: SystemMap, as_of_round: int | None = None) -> dict[str, list[str]]:
    """For each factor, the sorted ids of the actors that can adjust it (``CAN_ADJUST``)."""
    out: dict[str, list[str]] = defaultdict(list)
    for actor, factor in link_graph(m, ("CAN_ADJUST",), as_of_round).edges():
        out[factor].append(actor)
    return {factor: sorted(set(actors)) for factor, actors in out.items()}
