"""The SystemMap: the in-memory model of one system map, on networkx.

A SystemMap holds the nodes (actors, factors, initiatives, places, statements,
sessions, quotes, sources) as nodes of a ``networkx.MultiDiGraph``, the links as its
edges (keyed by link id), and the records that are not nodes (rounds, votes,
attendance, reviews, adjustments) as lists of rows. Field names are the English names
of :mod:`graph.schema`; values are typed (int, float, date, tuple of ids for lists).

Two derived link kinds are kept in the graph so that it matches the Neo4j store:
``ABOUT`` (a quote to a node it is about) and ``SAID_IN`` (a quote to its session).
They follow from the quotes' fields and are never written to the ``relaties`` sheet.
A quote about a *link* has no ABOUT edge (an edge cannot point at an edge); its
``about`` field names the link.

>>> m = SystemMap("demo", "Demo")
>>> m.add_node("Factor", "stress", "Stress", level="persoon", role="uitkomst")
>>> m.add_node("Factor", "perfectionisme", "Perfectionisme", level="persoon", role="bron")
>>> m.add_link("l1", "INFLUENCES", "perfectionisme", "stress", sign="+")
>>> m.node("stress").name
'Stress'
>>> [link.id for link in m.links("INFLUENCES")]
['l1']
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import networkx as nx

from graph import adjust, schema
from graph.errors import MapError, UnknownLink, UnknownNode, said
from graph.vocabulary import LinkKind


@dataclass(frozen=True)
class Node:
    """One node of the map: its id, kind (``Actor``, ``Factor``...), name and fields.

    The fields read from a map are a read-only view: the map changes only through its
    own methods (and the operations of :mod:`graph.adjust`)."""

    id: str
    kind: str
    name: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]


@dataclass(frozen=True)
class Link:
    """One link of the map: its id, kind (``INFLUENCES``...), endpoints and fields (a
    read-only view when read from a map, as a node's)."""

    id: str
    kind: str
    source: str
    target: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    @property
    def derived(self) -> bool:
        kind = self.kind
        return (kind if isinstance(kind, LinkKind) else LinkKind(kind)).derived


def _empty(value: Any) -> bool:
    return value is None or value == () or value == ""


def _plain(value: Any) -> Any:
    """A number of any kind (numpy's, pandas') as a Python bool, int or float; a list
    as a tuple; anything else as it is."""
    if isinstance(value, list):
        return tuple(value)
    if type(value) in (str, int, float, bool, tuple) or value is None:
        return value
    if isinstance(value, numbers.Number) or type(value).__name__ == "bool_":
        if type(value).__name__ in ("bool", "bool_"):
            return bool(value)
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real):
            return float(value)
    return value


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Fields without the empty ones, numbers as Python's, lists as tuples: the
    canonical form."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        v = _plain(v)
        if not _empty(v):
            out[k] = v
    return out


class SystemMap:
    """One system map: nodes and links on networkx, plus the records about them."""

    def __init__(self, map_id: str, name: str = "", **meta: Any) -> None:
        self.id = map_id
        self.name = name or map_id
        self.meta: dict[str, Any] = _clean(meta)
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        #: link id -> (source, target, the edge's attributes), in the order added: links
        #: are read from here without going through networkx's edge views.
        self._links: dict[str, tuple[str, str, dict[str, Any]]] = {}
        #: the derived links (ABOUT, SAID_IN) the same way, keyed by their edge keys
        self._derived: dict[str, tuple[str, str, dict[str, Any]]] = {}
        self._waiting_quotes: dict[str, list[str]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {t: [] for t in schema.RECORD_TABLES}

    # --- building -------------------------------------------------------------------

    def add_node(self, kind: str, node_id: str, name: str, **fields: Any) -> None:
        """Add a node of ``kind`` (a node kind of the schema)."""
        if kind not in schema.TABLE_BY_KIND:
            raise MapError(said("model.node_kind", kind=repr(kind)))
        if node_id in self.graph:
            raise MapError(said("model.duplicate_node", id=repr(node_id)))
        if node_id in self._links:
            raise MapError(said("model.link_id", id=repr(node_id)))
        self.graph.add_node(node_id, kind=kind, name=name, fields=_clean(fields))
        if kind == "Quote":
            self._add_quote_links(node_id)
        for quote_id in self._waiting_quotes.pop(node_id, ()):
            self._add_about(quote_id, node_id)

    def add_link(self, link_id: str, kind: str, source: str, target: str, **fields: Any) -> None:
        """Add a link of ``kind`` (``INFLUENCES``...) from ``source`` to ``target``."""
        link_kind = schema.LINK_KINDS.get(kind)
        if link_kind is None:
            raise MapError(said("model.link_kind", kind=repr(kind)))
        kind = link_kind.kind  # the map holds the kind, whether given as it or its name
        if link_id in self._links or link_id in self.graph:
            raise MapError(said("model.duplicate_id", id=repr(link_id)))
        for end, allowed in ((source, link_kind.sources), (target, link_kind.targets)):
            if end not in self.graph:
                raise MapError(said("model.unknown_end", link=repr(link_id), node=repr(end)))
            if self.graph.nodes[end]["kind"] not in allowed:
                end_kind = said("load.kind." + self.graph.nodes[end]["kind"].lower())
                raise MapError(
                    said("model.cannot_join", link=repr(link_id), kind=kind, node=end_kind)
                )
        self.graph.add_edge(source, target, key=link_id, kind=kind, fields=_clean(fields))
        self._links[link_id] = (source, target, self.graph.succ[source][target][link_id])

    def add_record(self, table: str, **fields: Any) -> None:
        """Add a row to a record table (``rounds``, ``votes``, ``reviews``...)."""
        if table not in self.records:
            raise MapError(said("model.record_table", table=repr(table)))
        self.records[table].append(_clean(fields))

    def _add_quote_links(self, quote_id: str) -> None:
        fields = self.graph.nodes[quote_id]["fields"]
        session = fields.get("session")
        if session and session in self.graph:
            self._add_derived(quote_id, session, f"{quote_id}>{LinkKind.SAID_IN}", LinkKind.SAID_IN)
        for target in fields.get("about", ()):
            if target in self.graph:
                self._add_about(quote_id, target)
            elif target not in self._links:
                # a node added later: the ABOUT link follows when it arrives
                self._waiting_quotes.setdefault(target, []).append(quote_id)

    def _add_about(self, quote_id: str, target: str) -> None:
        self._add_derived(quote_id, target, f"{quote_id}>{LinkKind.ABOUT}>{target}", LinkKind.ABOUT)

    def _add_derived(self, source: str, target: str, key: str, kind: LinkKind) -> None:
        self.graph.add_edge(source, target, key=key, kind=kind, fields={})
        self._derived[key] = (source, target, self.graph.succ[source][target][key])

    # --- reading --------------------------------------------------------------------

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.graph or item_id in self._links

    def node(self, node_id: str) -> Node:
        """The node with id ``node_id``; :class:`UnknownNode` (a ``KeyError``) names it
        when there is none."""
        if node_id not in self.graph:
            raise UnknownNode(said("model.no_node", node=repr(node_id), map=repr(self.id)))
        data = self.graph.nodes[node_id]
        return Node(node_id, data["kind"], data["name"], MappingProxyType(data["fields"]))

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        """All nodes, or those of one kind, in the order they were added."""
        for node_id, data in self.graph.nodes(data=True):
            if kind is None or data["kind"] == kind:
                yield Node(node_id, data["kind"], data["name"], MappingProxyType(data["fields"]))

    def link(self, link_id: str) -> Link:
        """The link with id ``link_id`` (derived links are not looked up by id)."""
        if link_id not in self._links:
            raise UnknownLink(said("model.no_link", link=repr(link_id), map=repr(self.id)))
        source, target, data = self._links[link_id]
        return Link(link_id, data["kind"], source, target, MappingProxyType(data["fields"]))

    def links(self, kind: str | None = None, *, derived: bool = False) -> Iterator[Link]:
        """All links from the ``relaties`` sheet, or those of one kind, in the order added.

        With ``derived=True`` the ``ABOUT`` and ``SAID_IN`` links are included too.
        """
        for link_id, kind_of, source, target, fields in self.link_rows(derived=derived):
            if kind is None or kind_of == kind:
                yield Link(link_id, kind_of, source, target, MappingProxyType(fields))

    def link_rows(
        self, *, derived: bool = False
    ) -> Iterator[tuple[str, str, str, str, Mapping[str, Any]]]:
        """The links as plain (id, kind, source, target, fields) tuples, in the order of
        :meth:`links`: for bulk work such as a load, without a Link object per link."""
        for link_id, (source, target, data) in self._links.items():
            yield link_id, data["kind"], source, target, data["fields"]
        if derived:
            for key, (source, target, data) in self._derived.items():
                yield key, data["kind"], source, target, data["fields"]

    def link_count(self, *, derived: bool = False) -> int:
        """How many links the map has (with ``derived=True``, ABOUT and SAID_IN too)."""
        return len(self._links) + (len(self._derived) if derived else 0)

    def actors(self) -> list[Node]:
        return list(self.nodes("Actor"))

    def factors(self) -> list[Node]:
        return list(self.nodes("Factor"))

    def sessions(self) -> list[Node]:
        return list(self.nodes("Session"))

    def statements(self) -> list[Node]:
        return list(self.nodes("Statement"))

    def quotes(self) -> list[Node]:
        return list(self.nodes("Quote"))

    def sources(self) -> list[Node]:
        return list(self.nodes("Source"))

    @property
    def rounds(self) -> list[dict[str, Any]]:
        return self.records["rounds"]

    @property
    def votes(self) -> list[dict[str, Any]]:
        return self.records["votes"]

    @property
    def reviews(self) -> list[dict[str, Any]]:
        return self.records["reviews"]

    @property
    def adjustments(self) -> list[dict[str, Any]]:
        return self.records["adjustments"]

    def positions(self) -> dict[str, tuple[float, float]]:
        """Saved positions on the map: element id -> (x, y)."""
        return {row["element"]: (row["x"], row["y"]) for row in self.records["positions"]}

    def counts(self) -> dict[str, int]:
        """How many nodes of each kind, links of each kind and rows of each record."""
        out: dict[str, int] = {}
        for node in self.nodes():
            out[node.kind] = out.get(node.kind, 0) + 1
        for link in self.links():
            out[link.kind] = out.get(link.kind, 0) + 1
        for table, rows in self.records.items():
            if rows:
                out[schema.RECORD_TABLES[table].kind] = len(rows)
        return out

    # --- the adjust step: see graph.adjust -------------------------------------------

    def open_round(self, number: int | None = None, *, name: str, **fields: Any) -> int:
        """Open the next round: :func:`graph.adjust.open_round`."""
        return adjust.open_round(self, number, name=name, **fields)

    def add_node_in_round(self, in_round: int, *args: Any, **options: Any) -> str:
        """Add a node in a round, recording why: :func:`graph.adjust.add_node`."""
        return adjust.add_node(self, in_round, *args, **options)

    def add_link_in_round(self, in_round: int, *args: Any, **options: Any) -> str:
        """Add a link in a round, recording why: :func:`graph.adjust.add_link`."""
        return adjust.add_link(self, in_round, *args, **options)

    def retire_link(self, in_round: int, link_id: str, **options: Any) -> str:
        """Take a link off the map: :func:`graph.adjust.retire_link`."""
        return adjust.retire_link(self, in_round, link_id, **options)

    def retire_node(self, in_round: int, node_id: str, **options: Any) -> str:
        """Take a node and its links off the map: :func:`graph.adjust.retire_node`."""
        return adjust.retire_node(self, in_round, node_id, **options)

    def resign_link(self, in_round: int, link_id: str, sign: str | None, **options: Any) -> str:
        """Give a link another sign: :func:`graph.adjust.resign_link`."""
        return adjust.resign_link(self, in_round, link_id, sign, **options)

    def reweight_link(
        self, in_round: int, link_id: str, weight: float | None, **options: Any
    ) -> str:
        """Give a link another weight: :func:`graph.adjust.reweight_link`."""
        return adjust.reweight_link(self, in_round, link_id, weight, **options)

    def merge_nodes(self, in_round: int, merged: list[str], into: str, **options: Any) -> str:
        """Merge nodes into another: :func:`graph.adjust.merge_nodes`."""
        return adjust.merge_nodes(self, in_round, merged, into, **options)

    def rename_node(self, in_round: int, node_id: str, name: str, **options: Any) -> str:
        """Give a node another name: :func:`graph.adjust.rename_node`."""
        return adjust.rename_node(self, in_round, node_id, name, **options)

    # --- comparing ------------------------------------------------------------------

    def canonical(self) -> dict[str, Any]:
        """A plain, ordered description of the whole map; equal maps give equal ones."""
        return {
            "id": self.id,
            "name": self.name,
            "meta": dict(sorted(self.meta.items())),
            "nodes": sorted(
                (n.kind, n.id, n.name, tuple(sorted(n.fields.items()))) for n in self.nodes()
            ),
            "links": sorted(
                (lk.id, lk.kind, lk.source, lk.target, tuple(sorted(lk.fields.items())))
                for lk in self.links()
            ),
            "records": {
                table: sorted(tuple(sorted(row.items())) for row in rows)
                for table, rows in sorted(self.records.items())
            },
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SystemMap):
            return NotImplemented
        return self.canonical() == other.canonical()

    def __repr__(self) -> str:
        return (
            f"SystemMap({self.id!r}, nodes={self.graph.number_of_nodes()}, "
            f"links={len(self._links)})"
        )
