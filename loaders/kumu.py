"""Kumu: the JSON (a blueprint, or a whole project's export) and the spreadsheet.

- The **project export** (Kumu's "Export JSON") holds ``elements`` and ``connections``
  with an ``_id`` and their fields under ``attributes``, the ``loops`` (each a list of
  connection ids), and ``maps`` with each element's ``position``.
- A **blueprint** is the hand-written JSON of Kumu's import guide: elements with a
  ``label`` (and an ``id`` when labels repeat), connections ``from`` and ``to`` by id or
  label, fields as plain keys.
- The **spreadsheet** (.xlsx) has a sheet of elements (first header ``Label``, or
  ``ID`` then ``Label``) and a sheet of connections (``From``, ``To``), any names.

Polarity is the connection's *type* (the "Connection Type" field): ``+``, ``++``,
``--`` and "same" are ``+``; ``-``, ``+-``, ``-+`` and "opposite" are ``-`` (Kumu's
causal-loop convention: ``+-`` means "up here, down there"). Writing gives ``+`` or
``-``. A connection's "Strength" is its weight. ``reversed`` connections are turned
round; ``mutual`` and ``undirected`` ones become two links, one each way, and are
reported, as are delays and every field the workbook has no column for. An element's
"Element Type" ``Actor`` makes it an actor; its "level" and "role" (``niveau``,
``rol``; an actor's "actor kind" and "sector") are read too. Writing gives all of these,
a pair of links each way with the same sign, weight and note as one mutual
connection. A project's named loops become the map's steps (``stappen``), each
highlighting its loop; writing gives the steps that are loops as Kumu's loops.

>>> from loaders.kumu import connection_sign
>>> [connection_sign(t) for t in ("++", "--", "+-", "-+", "same", "opposite", None)]
['+', '+', '-', '-', '+', '-', None]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graph import SystemMap
from graph.errors import said
from graph.model import Link
from loaders import bounded
from loaders.errors import LoadError, WorkbookInvalid
from loaders.interchange import (
    FIELD_NAMES,
    Exportable,
    MapBuilder,
    Report,
    exportable,
    kind_of,
    sign_of,
)
from loaders.write import append_row

__all__ = ["connection_sign", "read", "write"]

#: Element fields the map carries (the rest is reported).
ELEMENT_FIELDS = (
    "label", "description", "id", "_id", "element type", "type",
    *(name for names in FIELD_NAMES.values() for name in names),
)  # fmt: skip
#: The attribute each field of an element is written under.
ATTRIBUTES = {
    "note": "description",
    "level": "level",
    "role": "role",
    "actor_kind": "actor kind",
    "sector": "sector",
}
#: Connection fields the map carries.
CONNECTION_FIELDS = ("from", "to", "id", "_id", "connection type", "type", "strength", "direction")


def connection_sign(connection_type: str | None) -> str | None:
    """The sign of a Kumu connection type (``None`` when it names no polarity)."""
    return sign_of(connection_type, Report("kumu", ""), said("import.where.connection_type"))


def read(path: str | Path) -> tuple[SystemMap, Report]:
    """Read a Kumu JSON (project export or blueprint) or spreadsheet (.xlsx)."""
    p = Path(path)
    report = Report("kumu", str(p))
    if p.suffix.lower() == ".xlsx":
        return _read_spreadsheet(p, report), report
    data = _checked(p, bounded.read_json(p))
    if "maps" in data or any("attributes" in e for e in data["elements"]):
        return _read_project(p, data, report), report
    return _read_blueprint(p, data, report), report


def _checked(p: Path, data: Any) -> dict[str, Any]:
    """Kumu JSON as read, checked: lists of objects, at most
    :data:`~loaders.bounded.MAX_ELEMENTS` elements and
    :data:`~loaders.bounded.MAX_LINKS` connections, each id used once, strengths finite."""
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        bounded.refuse(p, said("interchange.kumu_no_elements"))
    for key in ("elements", "connections", "loops", "maps"):
        items = data.get(key) or []
        if not isinstance(items, list):
            bounded.refuse(p, said("interchange.kumu_not_list", key=key), None, key)
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                bounded.refuse(p, said("import.kumu_not_object"), None, f"{key}[{i}]")
    connections = data.get("connections") or []
    bounded.check_count(p, "elements", len(data["elements"]), bounded.MAX_ELEMENTS)
    bounded.check_count(p, "connections", len(connections), bounded.MAX_LINKS)
    for key, what in (("elements", "element"), ("connections", "connection")):
        items = data.get(key) or []
        for name in ("_id", "id"):
            bounded.check_unique(
                p, what, ((item.get(name), None, f"{key}[{i}]") for i, item in enumerate(items))
            )
    for i, connection in enumerate(connections):
        fields = _fields(connection)
        bounded.finite(fields.get("strength"), p, None, f"connections[{i}].strength")
    return data


def _fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """An element's or connection's fields, by lower-case name, wherever they are kept."""
    fields = {str(k).lower(): v for k, v in item.items() if k != "attributes"}
    fields.update({str(k).lower(): v for k, v in (item.get("attributes") or {}).items()})
    return fields


def _lose_fields(report: Report, what: str, fields: Mapping[str, Any], kept: Iterable[str]) -> None:
    kept = set(kept)
    for name, value in fields.items():
        if name not in kept and value not in (None, "", [], {}):
            report.lose(
                said("import.field_not_carried", thing=said("import.thing." + what), name=name)
            )


def _add_element(
    b: MapBuilder, key: Any, fields: Mapping[str, Any], x: Any = None, y: Any = None
) -> str:
    """The factor or actor of one element; its type, when it names neither, is reported."""
    word = fields.get("element type", fields.get("type"))
    kind = kind_of(word) or "Factor"
    if word not in (None, "") and kind_of(word) is None:
        b.report.lose(said("import.kumu_type_as_factor", type=str(word)))
    node_id = b.factor(
        key,
        fields.get("label") or "",
        note=fields.get("description"),
        x=x,
        y=y,
        kind=kind,
        **b.fields_of(fields, kind),
    )
    _lose_fields(b.report, "element", fields, ELEMENT_FIELDS)
    return node_id


def _strength(value: Any) -> float | None:
    try:
        w = float(value)
    except (TypeError, ValueError):
        return None
    return w if w > 0 else None


def _add_connection(
    b: MapBuilder, fields: Mapping[str, Any], source: Any, target: Any
) -> list[str]:
    """The links of one connection (two for a mutual one); returns their ids."""
    kind = fields.get("connection type", fields.get("type"))
    sign = sign_of(kind, b.report, said("import.where.connection_type"))
    weight = _strength(fields.get("strength"))
    note = fields.get("description")
    if fields.get("reversed") is True:
        source, target = target, source
    direction = str(fields.get("direction") or "directed").lower()
    ids = [b.link(source, target, sign, weight=weight, note=note)]
    if direction in ("mutual", "undirected") and source != target:
        b.report.lose(said("import.kumu_two_links_" + direction))
        ids.append(b.link(target, source, sign, weight=weight, note=note))
    if fields.get("delayed") is True:
        b.report.lose(said("import.kumu_delay"))
    _lose_fields(
        b.report, "connection", fields, (*CONNECTION_FIELDS, "reversed", "delayed", "description")
    )
    return [i for i in ids if i is not None]


def _read_project(p: Path, data: dict[str, Any], report: Report) -> SystemMap:
    name = data.get("name") or p.stem
    b = MapBuilder(p.stem, name, report)
    default = data.get("defaultMap")
    maps = [mp for mp in data.get("maps") or [] if isinstance(mp, dict)]
    chosen = next((mp for mp in maps if mp.get("_id") == default), maps[0] if maps else {})
    positions = {
        e.get("element"): e.get("position") or {}
        for e in chosen.get("elements") or []
        if isinstance(e, dict)
    }
    if len(maps) > 1:
        report.lose(said("import.kumu_other_maps", n=len(maps) - 1, name=str(chosen.get("name"))))
    for element in data["elements"]:
        fields = _fields(element)
        position = positions.get(element.get("_id"), {})
        _add_element(b, element.get("_id"), fields, position.get("x"), position.get("y"))
    links: dict[str, list[str]] = {}
    for connection in data.get("connections") or []:
        fields = _fields(connection)
        links[connection.get("_id")] = _add_connection(
            b, fields, connection.get("from"), connection.get("to")
        )
    for loop in data.get("loops") or []:
        fields = _fields(loop)
        chosen_links = _loop_links(b, [links.get(c) or [] for c in loop.get("connections") or []])
        if chosen_links:
            b.named_loop(str(fields.get("label") or loop.get("_id") or ""), chosen_links)
        else:
            report.lose(said("import.kumu_loop_off_map"))
    return b.m


def _loop_links(b: MapBuilder, members: list[list[str]]) -> tuple[str, ...]:
    """The links of a named loop, one per connection; of a mutual connection's two
    links the one that goes on from the link before it (or leads to the one after).
    Empty when a connection has no link on the map."""
    if not members or any(not m for m in members):
        return ()
    chosen: list[str] = []
    for i, candidates in enumerate(members):
        pick = candidates[0]
        if len(candidates) > 1:
            before = b.m.link(chosen[-1]).target if chosen else None
            after = {b.m.link(c).source for c in members[i + 1]} if i + 1 < len(members) else set()
            pick = next(
                (c for c in candidates if b.m.link(c).source == before),
                next((c for c in candidates if b.m.link(c).target in after), pick),
            )
        chosen.append(pick)
    return tuple(chosen)


def _read_blueprint(p: Path, data: dict[str, Any], report: Report) -> SystemMap:
    b = MapBuilder(p.stem, str(data.get("name") or p.stem), report)
    by_label: dict[str, str] = {}
    for element in data["elements"]:
        fields = _fields(element)
        label = str(fields.get("label") or "")
        key = fields.get("id") or label
        _add_element(b, key, fields)
        by_label.setdefault(label, str(key))
    for connection in data.get("connections") or []:
        fields = _fields(connection)
        ends = [fields.get(end) for end in ("from", "to")]
        ends = [e if b.has(e) else by_label.get(str(e), e) for e in ends]
        _add_connection(b, fields, *ends)
    return b.m


def _read_spreadsheet(p: Path, report: Report) -> SystemMap:
    elements: list[dict[str, Any]] = []
    connections: list[dict[str, Any]] = []
    for table in bounded.read_sheets(p):
        if not table.headers:
            continue
        headers = [h.lower() for h in table.headers]
        records = [
            {h: v for h, v in zip(headers, row, strict=False) if h and v != ""}
            for _, row in table.rows
        ]
        if "from" in headers and "to" in headers:
            for number, record in zip((n for n, _ in table.rows), records, strict=True):
                bounded.finite(record.get("strength"), table.path, number, "Strength")
            connections += records
        elif "label" in headers:
            numbers = (n for n, _ in table.rows)
            ids = ((r.get("id"), n, "ID") for n, r in zip(numbers, records, strict=True))
            bounded.check_unique(table.path, "element", ids, "row")
            elements += records
        else:
            report.lose(said("import.kumu_sheet_not_read", sheet=table.sheet))
    bounded.check_count(p, "elements", len(elements), bounded.MAX_ELEMENTS)
    links = sum(len(str(c.get("to") or "").split("|")) for c in connections)
    bounded.check_count(p, "connections", links, bounded.MAX_LINKS)
    if not elements:
        raise WorkbookInvalid([LoadError(str(p), None, None, said("import.kumu_no_elements"))])
    b = MapBuilder(p.stem, p.stem, report)
    by_label: dict[str, str] = {}
    for fields in elements:
        label = str(fields.get("label") or "")
        key = str(fields.get("id") or label)
        _add_element(b, key, fields)
        by_label.setdefault(label, key)
    for fields in connections:
        source = str(fields.get("from") or "")
        for target in str(fields.get("to") or "").split("|"):
            ends = [e.strip() for e in (source, target)]
            ends = [e if b.has(e) else by_label.get(e, e) for e in ends]
            _add_connection(b, fields, *ends)
    report.lose(said("import.kumu_no_positions"))
    return b.m


# --- writing ---------------------------------------------------------------------------


def write(
    m: SystemMap,
    path: str | Path,
    *,
    as_of_round: int | None = None,
) -> Report:
    """Write ``m`` (the current map, or as of round ``as_of_round``) as a Kumu project
    export (.json: positions and named loops included) or spreadsheet (.xlsx: with
    neither); returns what could not be written."""
    p = Path(path)
    report = Report("kumu", str(p))
    spreadsheet = p.suffix.lower() == ".xlsx"
    part = exportable(
        m,
        report,
        as_of_round=as_of_round,
        kinds_kept=True,
        node_fields=tuple(ATTRIBUTES),
        loops_kept=not spreadsheet,
    )
    if spreadsheet:
        _write_spreadsheet(part, p, report)
        return report
    elements = []
    for n in part.nodes:
        attributes: dict[str, Any] = {"label": n.name, "element type": n.kind}
        for name, attribute in ATTRIBUTES.items():
            if n.get(name) is not None:
                attributes[attribute] = n.get(name)
        elements.append({"_id": f"elem-{n.id}", "attributes": attributes})
    connection_of: dict[str, str] = {}
    connections = []
    for lk, mutual in _connections(part):
        attributes = {}
        if lk.get("sign"):
            attributes["connection type"] = lk.get("sign")
        if lk.get("weight") is not None:
            attributes["strength"] = lk.get("weight")
        if lk.get("note"):
            attributes["description"] = lk.get("note")
        connection_of[lk.id] = f"conn-{lk.id}"
        if mutual is not None:
            connection_of[mutual.id] = f"conn-{lk.id}"
        connections.append(
            {
                "_id": f"conn-{lk.id}",
                "direction": "directed" if mutual is None else "mutual",
                "delayed": False,
                "reversed": False,
                "attributes": attributes,
                "from": f"elem-{lk.source}",
                "to": f"elem-{lk.target}",
            }
        )
    placed = [
        {"_id": f"node-{node_id}", "position": {"x": x, "y": y}, "element": f"elem-{node_id}"}
        for node_id, (x, y) in part.positions.items()
    ]
    data = {
        "name": m.name,
        "description": m.meta.get("description", ""),
        "defaultMap": "map-1",
        "elements": elements,
        "connections": connections,
        "loops": [
            {
                "_id": f"loop-{number}",
                "attributes": {"label": loop.name},
                "connections": [connection_of[link_id] for link_id in loop.links],
            }
            for number, loop in enumerate(part.loops, start=1)
        ],
        "maps": [{"_id": "map-1", "name": m.name, "elements": placed, "connections": []}],
    }
    p.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def _connections(part: Exportable) -> list[tuple[Link, Link | None]]:
    """Each link as a connection of its own, or with the link the other way between
    the same elements (same sign, weight and note) as one mutual connection: the
    connection Kumu draws with two arrow heads, which reads back as the two links."""
    waiting: dict[tuple[Any, ...], list[Link]] = {}
    paired: dict[str, Link] = {}
    for lk in part.links:
        if lk.source == lk.target:
            continue
        same = (lk.get("sign"), lk.get("weight"), lk.get("note"))
        other = waiting.get((lk.target, lk.source, *same))
        if other:
            paired[other.pop(0).id] = lk
            paired[lk.id] = lk
        else:
            waiting.setdefault((lk.source, lk.target, *same), []).append(lk)
    out: list[tuple[Link, Link | None]] = []
    for lk in part.links:
        mate = paired.get(lk.id)
        if mate is None:
            out.append((lk, None))
        elif mate.id != lk.id:
            out.append((lk, mate))
    return out


def _write_spreadsheet(part: Exportable, p: Path, report: Report) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Elements"
    headers = [attribute.title() for attribute in ATTRIBUTES.values()]
    ws.append(["ID", "Label", "Type", *headers])
    for n in part.nodes:
        append_row(ws, [n.id, n.name, n.kind, *(n.get(name) for name in ATTRIBUTES)], str(p))
    cs = wb.create_sheet("Connections")
    cs.append(["From", "To", "Type", "Strength", "Description"])
    for lk in part.links:
        values = [lk.source, lk.target, lk.get("sign"), lk.get("weight"), lk.get("note")]
        append_row(cs, values, str(p))  # each cell checked, and text stays text
    if part.positions:
        report.lose(said("export.kumu_positions", n=len(part.positions)))
    wb.save(p)
