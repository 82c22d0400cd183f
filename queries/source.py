"""Sources: what a question reads of a map, from a SystemMap or from the Neo4j store.

A question is written once, over a :class:`Source`: its checks, the rows it asks for
and the table it makes of them. :class:`MapSource` reads a :class:`graph.SystemMap`;
:class:`StoreSource` asks the store in Cypher (:mod:`queries.cypher`) for just the
rows the question needs, filtered by map, round and link kind in the database, so a
large map is not read whole. Both give the same rows for the same map, and raise the
same errors (those of :mod:`graph.errors`) with the same messages.

The graph primitives (chains, shortest paths and loops) are part of the source
because the database enumerates them with variable-length patterns faster than the
rows would travel to the client; on a SystemMap they are searched in memory.

>>> from loaders import load_map
>>> source = MapSource(load_map())
>>> source.check_node("prestatiedrk")
Traceback (most recent call last):
...
graph.errors.UnknownNode: unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)
>>> [row["path"] for row in source.shortest_paths("schoolsysteem", "stress", ["INFLUENCES"], None)]
[['schoolsysteem', 'prestatiedruk', 'stress']]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol

from graph import SystemMap, cycle
from graph.vocabulary import LinkKind, Review
from queries._common import (
    SHEET_LINK_KINDS,
    Edge,
    LinkGraph,
    adjusters_of,
    chain_rows,
    check_round,
    link_graph,
    loop_chains,
    loop_rows,
    shortest_chains,
    simple_chains,
)

__all__ = [
    "ADJUSTMENT_FIELDS",
    "LINK_ROW_FIELDS",
    "NODE_PROPERTIES",
    "QUOTE_FIELDS",
    "REVIEW_FIELDS",
    "STATEMENT_FIELDS",
    "VOTE_COUNTS",
    "VOTE_FIELDS",
    "MapSource",
    "Source",
    "link_row_names",
    "status_rows_in",
]

#: What :meth:`Source.links` tells of every link: its id, its kind and its ends' ids.
LINK_ROW_FIELDS = ("id", "kind", "source", "target")
#: What :meth:`Source.quotes` tells of a quote.
QUOTE_FIELDS = ("id", "about", "session", "group")
#: What :meth:`Source.reviews` reads of a review: every field of a :class:`Review`.
REVIEW_FIELDS = ("id", "link", "round", "group", "verdict", "session", "note", "weight")
#: What :meth:`Source.adjustments` tells of an adjustment (``subject`` and
#: ``prompted_by`` as tuples).
ADJUSTMENT_FIELDS = ("id", "round", "adjustment_kind", "subject", "reason", "prompted_by")
#: The counts of a vote record (:mod:`queries.statements`).
VOTE_COUNTS = ("agree", "neutral", "disagree", "priority")
#: What :meth:`Source.votes` tells of a vote record.
VOTE_FIELDS = ("statement", "session", *VOTE_COUNTS)
#: What :meth:`Source.statements` tells of a statement.
STATEMENT_FIELDS = ("id", "name", "focus")
#: What an end of a link has besides its fields, as ``end_fields`` may name it.
NODE_PROPERTIES = ("kind", "name")


def link_row_names(fields: Sequence[str], end_fields: Sequence[str]) -> list[str]:
    """The names of the values of a row of :meth:`Source.links`, in their order: those
    of :data:`LINK_ROW_FIELDS`, the link's ``fields``, then ``source_<field>`` and
    ``target_<field>`` for each of ``end_fields``."""
    return [
        *LINK_ROW_FIELDS,
        *fields,
        *(f"source_{f}" for f in end_fields),
        *(f"target_{f}" for f in end_fields),
    ]


def _end_value(data: Mapping[str, Any], name: str) -> Any:
    return data[name] if name in NODE_PROPERTIES else data["fields"].get(name)


class Source(Protocol):
    """What the questions read of one map, wherever it is kept."""

    def check_round(self, as_of_round: int | None) -> int | None:
        """``as_of_round`` if the map has that round (None stays None); else
        :class:`graph.errors.UnknownRound`."""
        ...

    def check_node(self, node_id: str, kinds: Sequence[str] = ()) -> str:
        """``node_id`` if it names a node on the map (of one of ``kinds``, when given);
        else :class:`graph.errors.UnknownNode`, suggesting the closest id."""
        ...

    def outcome(self, target: str | None, as_of_round: int | None) -> str:
        """The node a question about an outcome is about: ``target`` when given, else
        the map's outcome (:func:`graph.cycle.outcome`), checked to be on the map."""
        ...

    def rounds(self) -> list[int]:
        """The rounds of the map, by the rule of :func:`graph.cycle.rounds`."""
        ...

    def link_ends(self, kinds: Sequence[str], as_of_round: int | None) -> LinkGraph:
        """The links of ``kinds`` on the map in a round, between nodes on the map, with
        their ids and ends: what a question needs to follow or count them. Only the
        ends and ids are promised; the data of nodes and links may be left out."""
        ...

    def link_pairs(self, kinds: Sequence[str], as_of_round: int | None) -> list[tuple[str, str]]:
        """The ends (source, target) of each link of ``kinds`` on the map in a round,
        between nodes on the map, a pair as often as there are such links, in no
        particular order: what a question needs that counts links but does not name
        them."""
        ...

    def loops(self, max_length: int, as_of_round: int | None) -> list[dict[str, Any]]:
        """Every loop of ``INFLUENCES`` links (1 to ``max_length`` of them) that visits no
        node twice, once, from its smallest node id: rows of
        :data:`queries._common.LOOP_FIELDS`, in no particular order."""
        ...

    def nodes(
        self,
        kinds: Sequence[str],
        as_of_round: int | None,
        *,
        fields: Sequence[str] = (),
        not_into: Sequence[str] = (),
        ids: Collection[str] | None = None,
        sources_of: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """The nodes of ``kinds`` on the map in a round (with ``not_into``, only those
        that no link of those kinds on the map leads into, from a node on the map; with
        ``ids``, only those of these ids): rows of ``id``, ``kind``, ``name`` and each
        of ``fields`` (None when the node has none), in no particular order. With
        ``sources_of`` (link kinds), each row has ``sources`` too: the sorted ids of the
        nodes on the map whose links of those kinds lead into it."""
        ...

    def links(
        self,
        kinds: Sequence[str],
        as_of_round: int | None,
        *,
        fields: Sequence[str] = (),
        end_fields: Sequence[str] = (),
        source_kinds: Sequence[str] | None = None,
        target_kinds: Sequence[str] | None = None,
        ids: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        """The links of ``kinds`` on the map in a round, between nodes on the map (out
        of a node of ``source_kinds``, into one of ``target_kinds`` and of ``ids``, when
        given):
        rows of :func:`link_row_names`: the id, kind and ends of each link, each of its
        ``fields`` and, for each of ``end_fields`` (a field, or one of
        :data:`NODE_PROPERTIES`), ``source_<field>`` and ``target_<field>`` of its ends
        (None when missing), in no particular order."""
        ...

    def name(self, node_id: str) -> str:
        """The name of a node of the map (checked with :meth:`check_node` first)."""
        ...

    def quotes(self, as_of_round: int | None) -> list[dict[str, Any]]:
        """The quotes on the map in a round: rows of :data:`QUOTE_FIELDS` (``about`` the
        ids of what the quote is about; ``session`` and ``group`` None when not
        known), in no particular order."""
        ...

    def reviews(self, as_of_round: int | None) -> list[Review]:
        """The reviews that count as of a round (:func:`graph.cycle.review_counts`),
        by round, then as recorded (the order the status rule reads them in)."""
        ...

    def adjustments(self, after: int, upto: int) -> list[dict[str, Any]]:
        """The adjustments of the rounds after ``after`` up to ``upto``: rows of
        :data:`ADJUSTMENT_FIELDS`, as recorded."""
        ...

    def statements(self) -> list[dict[str, Any]]:
        """Every statement of the map, in any round (votes have none): rows of
        :data:`STATEMENT_FIELDS` (``focus`` None when not given), in no particular
        order."""
        ...

    def votes(self, session: str | None = None) -> list[dict[str, Any]]:
        """The vote records (of ``session``, when given): rows of :data:`VOTE_FIELDS`,
        a count None when it was not recorded, in no particular order."""
        ...

    def adjusters(self, as_of_round: int | None) -> dict[str, list[str]]:
        """For each factor, the sorted ids of the actors that can adjust it
        (:func:`queries._common.adjusters`)."""
        ...

    def chains(
        self,
        max_length: int,
        as_of_round: int | None,
        *,
        source: str | None = None,
        target: str | None = None,
        kinds: Sequence[str] = (LinkKind.INFLUENCES,),
        source_kinds: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Every chain of links of ``kinds`` (1 to ``max_length`` of them) that visits
        no node twice, out of ``source`` and/or into ``target`` (and out of a node of
        ``source_kinds``, when given): rows of :data:`queries._common.CHAIN_COLUMNS`,
        in no particular order."""
        ...

    def shortest_paths(
        self, source: str, target: str, kinds: Sequence[str], as_of_round: int | None
    ) -> list[dict[str, Any]]:
        """Every chain of the fewest links of ``kinds`` from ``source`` to ``target``,
        as :meth:`chains` gives its rows."""
        ...


class MapSource:
    """A :class:`Source` over a SystemMap, read in memory.

    The links a question reads are gathered once per source (the loops are counted,
    then listed, over the same links): a source gives the map as it was when it was
    first asked, so a question makes its source anew each time it is asked, as the
    question functions do.
    """

    def __init__(self, m: SystemMap) -> None:
        self.map = m
        self._graphs: dict[tuple[tuple[str, ...], int | None], LinkGraph] = {}

    def _links(self, kinds: Sequence[str], as_of_round: int | None) -> LinkGraph:
        key = (tuple(kinds), as_of_round)
        if key not in self._graphs:
            self._graphs[key] = link_graph(self.map, kinds, as_of_round)
        return self._graphs[key]

    def check_round(self, as_of_round: int | None) -> int | None:
        return check_round(self.map, as_of_round)

    def check_node(self, node_id: str, kinds: Sequence[str] = ()) -> str:
        return cycle.check_node(self.map, node_id, kinds)

    def outcome(self, target: str | None, as_of_round: int | None) -> str:
        return cycle.outcome(self.map, target, as_of_round)

    def rounds(self) -> list[int]:
        return cycle.rounds(self.map)

    def link_ends(self, kinds: Sequence[str], as_of_round: int | None) -> LinkGraph:
        return self._links(kinds, as_of_round)

    def link_pairs(self, kinds: Sequence[str], as_of_round: int | None) -> list[tuple[str, str]]:
        return [
            (source, target) for source, target, _ in self._links(kinds, as_of_round).links.values()
        ]

    def loops(self, max_length: int, as_of_round: int | None) -> list[dict[str, Any]]:
        g = self._links((LinkKind.INFLUENCES,), as_of_round)
        return list(loop_rows(g, loop_chains(g, max_length)))

    def nodes(
        self,
        kinds: Sequence[str],
        as_of_round: int | None,
        *,
        fields: Sequence[str] = (),
        not_into: Sequence[str] = (),
        ids: Collection[str] | None = None,
        sources_of: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        reached = (
            {target for _, target, _ in self._links(not_into, as_of_round).links.values()}
            if not_into
            else set()
        )
        sources: dict[str, set[str]] = {}
        if sources_of:
            for source, target, _ in self._links(sources_of, as_of_round).links.values():
                sources.setdefault(target, set()).add(source)
        rows = [
            {
                "id": node_id,
                "kind": data["kind"],
                "name": data["name"],
                **{f: data["fields"].get(f) for f in fields},
            }
            for node_id, data in self.map.graph.nodes(data=True)
            if data["kind"] in kinds
            and cycle.present(data["fields"], as_of_round)
            and node_id not in reached
            and (ids is None or node_id in ids)
        ]
        if sources_of:
            for row in rows:
                row["sources"] = sorted(sources.get(row["id"], ()))
        return rows

    def links(
        self,
        kinds: Sequence[str],
        as_of_round: int | None,
        *,
        fields: Sequence[str] = (),
        end_fields: Sequence[str] = (),
        source_kinds: Sequence[str] | None = None,
        target_kinds: Sequence[str] | None = None,
        ids: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        g = self._links(kinds, as_of_round)
        names = link_row_names(fields, end_fields)
        rows = []
        for key, (source, target, data) in g.links.items():
            if ids is not None and key not in ids:
                continue
            a, b = g.nodes[source], g.nodes[target]
            if source_kinds is not None and a["kind"] not in source_kinds:
                continue
            if target_kinds is not None and b["kind"] not in target_kinds:
                continue
            values = [
                key,
                data["kind"],
                source,
                target,
                *(data["fields"].get(f) for f in fields),
                *(_end_value(a, f) for f in end_fields),
                *(_end_value(b, f) for f in end_fields),
            ]
            rows.append(dict(zip(names, values, strict=True)))
        return rows

    def name(self, node_id: str) -> str:
        return self.map.node(node_id).name

    def quotes(self, as_of_round: int | None) -> list[dict[str, Any]]:
        return [
            {
                "id": quote.id,
                "about": list(quote.get("about", ())),
                "session": quote.get("session"),
                "group": quote.get("group"),
            }
            for quote in self.map.quotes()
            if cycle.present(quote.fields, as_of_round)
        ]

    def reviews(self, as_of_round: int | None) -> list[Review]:
        # by round, then as recorded (sorted is stable)
        return [
            review
            for review in sorted(map(Review.from_row, self.map.reviews), key=lambda r: r.round)
            if cycle.review_counts(review, as_of_round)
        ]

    def adjustments(self, after: int, upto: int) -> list[dict[str, Any]]:
        return [
            {
                **{name: record.get(name) for name in ADJUSTMENT_FIELDS},
                "subject": tuple(record["subject"]),
                "prompted_by": tuple(record.get("prompted_by") or ()),
            }
            for record in self.map.adjustments
            if after < record["round"] <= upto
        ]

    def statements(self) -> list[dict[str, Any]]:
        return [
            {"id": node.id, "name": node.name, "focus": node.get("focus")}
            for node in self.map.statements()
        ]

    def votes(self, session: str | None = None) -> list[dict[str, Any]]:
        return [
            {name: record.get(name) for name in VOTE_FIELDS}
            for record in self.map.votes
            if session in (None, record["session"])
        ]

    def adjusters(self, as_of_round: int | None) -> dict[str, list[str]]:
        # the links of adjust, read once per source with those of the other questions
        links = self._links((LinkKind.CAN_ADJUST,), as_of_round).links.values()
        return adjusters_of((actor, factor) for actor, factor, _ in links)

    def chains(
        self,
        max_length: int,
        as_of_round: int | None,
        *,
        source: str | None = None,
        target: str | None = None,
        kinds: Sequence[str] = (LinkKind.INFLUENCES,),
        source_kinds: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        g = self._links(kinds, as_of_round)
        if source is not None:
            found: Iterable[list[Edge]] = simple_chains(g, source, max_length)
            if target is not None:
                found = (chain for chain in found if chain[-1][1] == target)
        elif target is not None:
            found = simple_chains(g, target, max_length, backward=True)
        else:
            raise ValueError("chains need a source or a target")
        if source_kinds is not None:
            found = (chain for chain in found if g.nodes[chain[0][0]]["kind"] in source_kinds)
        return list(chain_rows(g, found))

    def shortest_paths(
        self, source: str, target: str, kinds: Sequence[str], as_of_round: int | None
    ) -> list[dict[str, Any]]:
        g = self._links(kinds, as_of_round)
        return list(chain_rows(g, shortest_chains(g, source, target)))


def status_rows_in(source: Source, as_of_round: int | None = None) -> list[dict[str, Any]]:
    """The rows of :func:`graph.cycle.status_rows`, of the links and reviews a source
    reads, summed up by the status rule (:func:`graph.cycle.status_rows_of`)."""
    source.check_round(as_of_round)
    found = source.links(
        SHEET_LINK_KINDS, as_of_round, fields=("sign", "sources"), end_fields=("name",)
    )
    links = [
        {
            "link": link["id"],
            "kind": link["kind"],
            "source": link["source"],
            "target": link["target"],
            "source_name": link["source_name"],
            "target_name": link["target_name"],
            "sign": link["sign"],
            "source_count": len(link["sources"] or ()),
        }
        for link in found
    ]
    return cycle.status_rows_of(links, source.reviews(as_of_round))
