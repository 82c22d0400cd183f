"""GraphML and GEXF, through networkx's own readers and writers (Gephi, yEd, Cytoscape).

Each node becomes a factor named by its ``label`` (or its id); its position is the
``x`` and ``y`` of the file (yEd's node geometry and plain ``x``/``y`` attributes in
GraphML, the ``viz:position`` in GEXF). Each edge becomes an influence link. The sign
is kept in its own edge attribute, ``sign`` (``+`` or ``-``); ``polarity`` and
``teken`` are read too, as are Kumu's connection types in ``type``. A negative
``weight`` with no sign attribute is read as sign ``-`` with the weight's size.
A node's ``kind`` ``Actor`` makes it an actor; its ``level`` and ``role`` (an actor's
``actor_kind`` and ``sector``) are read too. In an undirected graph each edge is two
links, one each way (reported). Writing gives ``label``, ``kind``, ``note``, these
fields and the positions on nodes, and ``sign``, ``weight`` and ``note`` on edges, in
a directed graph.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from graph import SystemMap
from graph.errors import said
from loaders import bounded
from loaders.interchange import (
    ELEMENT_FIELDS,
    FIELD_NAMES,
    MapBuilder,
    Report,
    exportable,
    kind_of,
    sign_of,
)

__all__ = ["read", "read_gexf", "write", "write_gexf"]

SIGN_ATTRIBUTES = ("sign", "polarity", "teken", "type", "connection type")
NODE_ATTRIBUTES = (
    "label", "x", "y", "z", "viz", "note", "description", "kind",
    *(name for names in FIELD_NAMES.values() for name in names),
)  # fmt: skip
#: The fields of a factor and of an actor written as node attributes.
NODE_FIELDS = ("note", *(name for names in ELEMENT_FIELDS.values() for name in names))
EDGE_ATTRIBUTES = ("weight", "note", "description", "id", "key", *SIGN_ATTRIBUTES)


def read(path: str | Path) -> tuple[SystemMap, Report]:
    """Read a GraphML file (yEd's included), checked first by
    :func:`loaders.bounded.graphml_document`."""
    p = Path(path)
    document = bounded.graphml_document(bounded.read_bytes(p), p)
    g = _networkx(p, lambda: nx.read_graphml(io.BytesIO(document.xml), force_multigraph=True))
    return _from_graph(g, p, Report("graphml", str(p)), document.edge_order)


def read_gexf(path: str | Path) -> tuple[SystemMap, Report]:
    """Read a GEXF file (versions 1.1, 1.2 and 1.3, as Gephi writes them), checked
    first by :func:`loaders.bounded.gexf_document`."""
    p = Path(path)
    document = bounded.gexf_document(bounded.read_bytes(p), p)
    version = bounded.GEXF_VERSIONS[document.namespace]
    g = _networkx(p, lambda: nx.read_gexf(io.BytesIO(document.xml), version=version))
    return _from_graph(g, p, Report("gexf", str(p)), document.edge_order)


def _networkx(p: Path, read: Callable[[], Any]) -> Any:
    """networkx's reading of a checked file; what it still refuses, in one line."""
    try:
        return read()
    except (nx.NetworkXError, ValueError, KeyError, TypeError) as e:
        bounded.refuse(p, said("interchange.cannot_read", error=str(e)))


def _from_graph(g: Any, p: Path, report: Report, order: dict[str, int]) -> tuple[SystemMap, Report]:
    name = str(g.graph.get("name") or g.graph.get("label") or p.stem)
    b = MapBuilder(p.stem, name, report)
    directed = g.is_directed()
    for node, data in g.nodes(data=True):
        viz = data.get("viz") or {}
        position = viz.get("position") or {}
        x = data.get("x", position.get("x"))
        y = data.get("y", position.get("y"))
        kind = kind_of(data.get("kind")) or "Factor"
        if data.get("kind") not in (None, "") and kind_of(data.get("kind")) is None:
            report.lose(said("import.graphml_kind_as_factor", kind=str(data.get("kind"))))
        b.factor(
            node,
            str(data.get("label") or node),
            note=data.get("note") or data.get("description"),
            x=x,
            y=y,
            kind=kind,
            **b.fields_of(data, kind),
        )
        for key in data:
            if key not in NODE_ATTRIBUTES:
                report.lose(said("import.graphml_node_attribute", name=key))
    edges = list(g.edges(data=True, keys=True) if g.is_multigraph() else g.edges(data=True))

    def place(edge: tuple[Any, ...]) -> int:
        edge_id = edge[-1].get("id", edge[2] if len(edge) == 4 else None)
        return order.get(str(edge_id), len(order))

    edges.sort(key=place)
    for edge in edges:
        source, target, data = edge[0], edge[1], edge[-1]
        word = next((data[a] for a in SIGN_ATTRIBUTES if data.get(a) not in (None, "")), None)
        sign = sign_of(word, report, said("import.where.edge_sign"))
        weight = _float(data.get("weight"))
        if weight is not None and weight < 0:
            if word is None:
                sign = "-"
                report.lose(said("import.graphml_negative_weight"))
            weight = -weight
        note = data.get("note") or data.get("description")
        b.link(source, target, sign, weight=weight, note=note)
        if not directed and source != target:
            report.lose(said("import.graphml_undirected"))
            b.link(target, source, sign, weight=weight, note=note)
        for key in data:
            if key not in EDGE_ATTRIBUTES and key not in ("label",):
                report.lose(said("import.graphml_edge_attribute", name=key))
    return b.m, report


def _float(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _to_graph(
    m: SystemMap,
    report: Report,
    gexf: bool,
    as_of_round: int | None,
) -> nx.MultiDiGraph:
    part = exportable(m, report, as_of_round=as_of_round, kinds_kept=True, node_fields=NODE_FIELDS)
    g: nx.MultiDiGraph = nx.MultiDiGraph(name=m.name)
    for n in part.nodes:
        data: dict[str, Any] = {"label": n.name, "kind": n.kind}
        for name in NODE_FIELDS:
            if n.get(name) is not None:
                data[name] = n.get(name)
        if n.id in part.positions:
            x, y = part.positions[n.id]
            if gexf:
                data["viz"] = {"position": {"x": x, "y": y, "z": 0.0}}
            else:
                data["x"], data["y"] = x, y
        g.add_node(n.id, **data)
    for lk in part.links:
        data = {"id": lk.id}
        for key in ("sign", "weight", "note"):
            if lk.get(key) is not None:
                data[key] = lk.get(key)
        g.add_edge(lk.source, lk.target, key=lk.id, **data)
    return g


def write(
    m: SystemMap,
    path: str | Path,
    *,
    as_of_round: int | None = None,
) -> Report:
    """Write ``m`` (the current map, or as of round ``as_of_round``) as GraphML (the
    sign in the edge attribute ``sign``)."""
    p = Path(path)
    report = Report("graphml", str(p))
    nx.write_graphml(_to_graph(m, report, False, as_of_round), p)
    return report


def write_gexf(
    m: SystemMap,
    path: str | Path,
    *,
    as_of_round: int | None = None,
) -> Report:
    """Write ``m`` (the current map, or as of round ``as_of_round``) as GEXF for Gephi
    (the sign in the edge attribute ``sign``)."""
    p = Path(path)
    report = Report("gexf", str(p))
    g = _to_graph(m, report, True, as_of_round)
    for _, _, data in g.edges(data=True):
        data.pop("id")  # GEXF edge ids come from the keys
    nx.write_gexf(g, p)
    return report
