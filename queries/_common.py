"""What the query families share: checks, chains of links, the shape of answers.

The rules of the cycle (the round rule :func:`present`, which reviews count
:func:`review_counts`, which rounds exist, :func:`check_node`) live in
:mod:`graph.cycle`; they are imported here for the families' convenience.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from graph import SystemMap, cycle, errors, schema
from graph.cycle import present
from graph.errors import QueryError, UnknownLink, UnknownMap, UnknownNode, UnknownRound
from graph.vocabulary import LinkKind

#: One link of a chain or loop: its source, its target and its id.
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


#: The error class of an unknown thing, by the word the message uses for it.
_UNKNOWN = {"node": UnknownNode, "map": UnknownMap, "link": UnknownLink, "round": UnknownRound}


def unknown(what: str | errors.Said, value: str, candidates: Iterable[str]) -> QueryError:
    """The error for an unknown ``value``, suggesting the closest of ``candidates``: an
    :class:`graph.errors.UnknownNode` for a node (and so on), else a QueryError.

    >>> print(unknown("node", "prestatiedrk", ["prestatiedruk", "stress"]))
    unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)
    """
    kind = _UNKNOWN.get(what, QueryError) if isinstance(what, str) else QueryError
    return errors.unknown(kind, what, value, candidates)


def check_positive(what: str, value: int) -> int:
    """``value`` if it is a whole number of at least 1; else QueryError saying ``what`` it is.

    >>> check_positive("the depth", -1)
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: the depth must be a whole number of at least 1, not -1
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        word = errors.said("query.what." + what.replace(" ", "_"))
        raise QueryError(errors.said("query.at_least_one", what=word, value=repr(value)))
    return value


def check_round(m: SystemMap, as_of_round: int | None) -> int | None:
    """``as_of_round`` if it is None or a round of the map; else UnknownRound."""
    return cycle.check_round(cycle.rounds(m), as_of_round)


def check_link_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """``kinds`` as a tuple if each is a link kind of the schema; else QueryError."""
    kinds = tuple(kinds)
    if not kinds:
        raise QueryError(errors.said("query.no_link_kind"))
    for kind in kinds:
        if kind not in schema.LINK_KINDS:
            raise unknown("link kind", kind, schema.LINK_KINDS)
    return kinds


@dataclass(frozen=True)
class LinkGraph:
    """The nodes on the map in a round, and the links of some kinds between them.

    ``nodes`` maps each node id to the map's own data of the node (``kind``, ``name``,
    ``fields``); ``links`` maps each link id to its source, target and data (``kind``,
    ``fields``), in the map's order. Nothing of the map is copied: a question reads
    these dicts, and the links into and out of each node, which are gathered the first
    time they are asked for. (Copying the map into a new networkx graph took longer
    than answering most questions.)
    """

    nodes: dict[str, Mapping[str, Any]]
    links: dict[str, tuple[str, str, Mapping[str, Any]]]

    @cached_property
    def out_links(self) -> dict[str, list[Edge]]:
        """For each node with links out of it: those links, as (source, target, id)."""
        out: dict[str, list[Edge]] = defaultdict(list)
        for key, (source, target, _) in self.links.items():
            out[source].append((source, target, key))
        return dict(out)

    @cached_property
    def in_links(self) -> dict[str, list[Edge]]:
        """For each node with links into it: those links, as (source, target, id)."""
        into: dict[str, list[Edge]] = defaultdict(list)
        for key, (source, target, _) in self.links.items():
            into[target].append((source, target, key))
        return dict(into)

    def name(self, node_id: str) -> str:
        return str(self.nodes[node_id]["name"])

    def fields(self, link_id: str) -> Mapping[str, Any]:
        return self.links[link_id][2]["fields"]


def link_graph(
    m: SystemMap, kinds: Iterable[str] = (LinkKind.INFLUENCES,), as_of_round: int | None = None
) -> LinkGraph:
    """The nodes on the map in a round, and the links of ``kinds`` between them.

    A link counts when it and both its ends are on the map in that round.
    """
    kinds = check_link_kinds(kinds)
    check_round(m, as_of_round)
    nodes: dict[str, Mapping[str, Any]] = {
        n: data for n, data in m.graph.nodes(data=True) if present(data["fields"], as_of_round)
    }
    links: dict[str, tuple[str, str, Mapping[str, Any]]] = {
        key: (source, target, data)
        for source, targets in m.graph.adjacency()
        if source in nodes
        for target, parallel in targets.items()
        if target in nodes
        for key, data in parallel.items()
        if data["kind"] in kinds and present(data["fields"], as_of_round)
    }
    return LinkGraph(nodes, links)


def simple_chains(
    g: LinkGraph, start: str, max_length: int, *, backward: bool = False
) -> Iterator[list[Edge]]:
    """Every chain of links out of ``start`` (into it, when ``backward``) that visits no
    node twice, up to ``max_length`` links. Each chain is listed from source to target;
    parallel links give distinct chains."""
    steps = g.in_links if backward else g.out_links
    side = 0 if backward else 1  # where a link leads: its source going backward

    def extend(node: str, visited: set[str], chain: list[Edge]) -> Iterator[list[Edge]]:
        for link in steps.get(node, ()):
            step = link[side]
            if step in visited:
                continue
            longer = [*chain, link]
            yield longer[::-1] if backward else longer
            if len(longer) < max_length:
                visited.add(step)
                yield from extend(step, visited, longer)
                visited.remove(step)

    if start in g.nodes:
        yield from extend(start, {start}, [])


def shortest_chains(g: LinkGraph, source: str, target: str) -> Iterator[list[Edge]]:
    """Every chain of the fewest links from ``source`` to ``target`` (none when there is
    no chain at all); parallel links give distinct chains."""
    if source not in g.nodes or target not in g.nodes:
        return
    distance = {source: 0}
    frontier = [source]
    while frontier and target not in distance:
        reached = []
        for node in frontier:
            for _, step, _ in g.out_links.get(node, ()):
                if step not in distance:
                    distance[step] = distance[node] + 1
                    reached.append(step)
        frontier = reached

    def back(node: str) -> Iterator[list[Edge]]:
        # every level before the target's has been explored whole
        if node == source:
            yield []
            return
        for link in g.in_links.get(node, ()):
            if distance.get(link[0]) == distance[node] - 1:
                for chain in back(link[0]):
                    yield [*chain, link]

    if target in distance:
        yield from back(target)


def loop_chains(g: LinkGraph, max_length: int) -> Iterator[list[Edge]]:
    """Every loop of at most ``max_length`` links, once, as its chain of links from its
    smallest node id.

    The loops through a node ``start`` whose other members all have larger ids are the
    chains out of ``start`` over such nodes that come back to it: each loop is found
    from its smallest member only. A step to a node is taken only when the links left
    can still bring the chain back (the fewest links from that node back to ``start``,
    counted first), so the search follows little more than the loops themselves.
    """
    for start in g.nodes:
        if start in g.out_links and start in g.in_links:
            yield from _loops_from(g, start, max_length)


def _loops_from(g: LinkGraph, start: str, max_length: int) -> Iterator[list[Edge]]:
    """The loops of :func:`loop_chains` whose smallest node is ``start``."""
    home = _links_home(g, start, max_length - 1)

    def extend(node: str, chain: list[Edge], visited: set[str]) -> Iterator[list[Edge]]:
        for link in g.out_links.get(node, ()):
            step = link[1]
            if step == start:
                yield [*chain, link]
            elif step not in visited and len(chain) + 1 + home.get(step, max_length) <= max_length:
                visited.add(step)
                yield from extend(step, [*chain, link], visited)
                visited.remove(step)

    yield from extend(start, [], {start})


def _links_home(g: LinkGraph, start: str, max_links: int) -> dict[str, int]:
    """The fewest links from each node with a larger id than ``start`` back to
    ``start``, over such nodes, for those that need at most ``max_links``."""
    home = {start: 0}
    frontier = [start]
    for steps in range(1, max_links + 1):
        reached = []
        for node in frontier:
            for source, _, _ in g.in_links.get(node, ()):
                if source > start and source not in home:
                    home[source] = steps
                    reached.append(source)
        frontier = reached
    return home


def sign_product(signs: Iterable[str | None]) -> str | None:
    """The sign of a chain or loop: ``+`` or ``-`` by the product, None when one is unknown.

    >>> sign_product(["+", "-", "-"]), sign_product(["-"]), sign_product(["+", None])
    ('+', '-', None)
    """
    signs = list(signs)
    if any(s not in schema.SIGNS for s in signs):
        return None
    return "-" if signs.count("-") % 2 else "+"


def link_values(g: LinkGraph, links: Sequence[Edge]) -> tuple[str | None, float, bool]:
    """Sign, strength and whether all weights are known, for a chain or loop of links.

    The strength is the product of the weights, an unknown weight counting as 1.0.
    """
    fields = [g.fields(key) for _, _, key in links]
    weights = [f.get("weight") for f in fields]
    strength = math.prod(1.0 if w is None else float(w) for w in weights)
    return sign_product(f.get("sign") for f in fields), strength, None not in weights


def frame(rows: Iterable[Mapping[str, Any]], columns: Mapping[str, str]) -> pd.DataFrame:
    """The rows as a DataFrame with ``columns`` (name: dtype), in that order.

    Text and list columns hold Python objects, so an unknown value stays None.
    """
    return pd.DataFrame(list(rows), columns=list(columns), dtype=object).astype(columns)


def columns_frame(columns: Mapping[str, list[Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """As :func:`frame`, from one list per column rather than one mapping per row: for
    answers with a row per link, which are quicker to gather column by column."""
    return pd.DataFrame(columns, columns=list(dtypes), dtype=object).astype(dtypes)


def chain_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of chains as a DataFrame of :data:`CHAIN_COLUMNS`, ordered by length, path
    and links: the final step on both the SystemMap and the Neo4j store."""
    ordered = sorted(rows, key=lambda r: (r["length"], r["path"], r["links"]))
    return frame(ordered, CHAIN_COLUMNS)


def chain_rows(g: LinkGraph, chains: Iterable[list[Edge]]) -> Iterator[dict[str, Any]]:
    """One row of :data:`CHAIN_COLUMNS` per chain, in the order of ``chains``."""
    for chain in chains:
        path = [chain[0][0], *(v for _, v, _ in chain)]
        sign, strength, weights_known = link_values(g, chain)
        yield {
            "source": path[0],
            "target": path[-1],
            "length": len(chain),
            "sign": sign,
            "strength": strength,
            "weights_known": weights_known,
            "path": path,
            "names": [g.name(n) for n in path],
            "links": [key for _, _, key in chain],
        }


#: The fields of a loop's row, as a source gives them: the columns of
#: :func:`queries.loops.loops` but the polarity, and the kind of each member.
LOOP_FIELDS = (
    "members",
    "names",
    "kinds",
    "links",
    "length",
    "sign",
    "strength",
    "weights_known",
)


def loop_rows(g: LinkGraph, loops: Iterable[list[Edge]]) -> Iterator[dict[str, Any]]:
    """One row of :data:`LOOP_FIELDS` per loop (a chain of links from its smallest node,
    as :func:`loop_chains` gives it), in the order of ``loops``."""
    for chain in loops:
        members = [source for source, _, _ in chain]
        sign, strength, weights_known = link_values(g, chain)
        yield {
            "members": members,
            "names": [g.name(n) for n in members],
            "kinds": [g.nodes[n]["kind"] for n in members],
            "links": [key for _, _, key in chain],
            "length": len(chain),
            "sign": sign,
            "strength": strength,
            "weights_known": weights_known,
        }


def chain_frame(g: LinkGraph, chains: Iterable[list[Edge]]) -> pd.DataFrame:
    """One row per chain, in :data:`CHAIN_COLUMNS`, ordered by length, path and links."""
    return chain_table(chain_rows(g, chains))


def adjusters(m: SystemMap, as_of_round: int | None = None) -> dict[str, list[str]]:
    """For each factor, the sorted ids of the actors that can adjust it (``CAN_ADJUST``)."""
    links = link_graph(m, (LinkKind.CAN_ADJUST,), as_of_round).links.values()
    return adjusters_of((actor, factor) for actor, factor, _ in links)


def adjusters_of(can_adjust: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """:func:`adjusters` from the ends (actor, factor) of the ``CAN_ADJUST`` links on the
    map, wherever they were read."""
    out: dict[str, set[str]] = defaultdict(set)
    for actor, factor in can_adjust:
        out[factor].add(actor)
    return {factor: sorted(actors) for factor, actors in out.items()}
