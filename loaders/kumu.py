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
round; ``mutual`` ones become two links; ``undirected`` ones are read from ``from`` to
``to`` and reported, as are delays and every field the workbook has no column for.

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
from loaders.errors import LoadError, WorkbookInvalid
from loaders.interchange import (
    MapBuilder,
    NamedLoop,
    Report,
    exportable,
    sign_of,
)

__all__ = ["connection_sign", "read", "write"]

#: Element fields the map carries (the rest is reported).
ELEMENT_FIELDS = ("label", "description", "id", "_id")
#: Connection fields the map carries.
CONNECTION_FIELDS = ("from", "to", "id", "_id", "connection type", "type", "strength", "direction")


def connection_sign(connection_type: str | None) -> str | None:
    """The sign of a Kumu connection type (``None`` when it names no polarity)."""
    return sign_of(connection_type, Report("kumu", ""), "connection type")


def read(path: str | Path) -> tuple[SystemMap, Report]:
    """Read a Kumu JSON (project export or blueprint) or spreadsheet (.xlsx)."""
    p = Path(path)
    report = Report("kumu", str(p))
    if p.suffix.lower() == ".xlsx":
        return _read_spreadsheet(p, report), report
    data = json.loads(p.read_text(encoding="utf-8-sig"))
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise WorkbookInvalid([LoadError(str(p), None, None, 'no "elements" list: not Kumu JSON')])
    if "maps" in data or any("attributes" in e for e in data["elements"]):
        return _read_project(p, data, report), report
    return _read_blueprint(p, data, report), report


def _fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """An element's or connection's fields, by lower-case name, wherever they are kept."""
    fields = {str(k).lower(): v for k, v in item.items() if k != "attributes"}
    fields.update({str(k).lower(): v for k, v in (item.get("attributes") or {}).items()})
    return fields


def _lose_fields(report: Report, what: str, fields: Mapping[str, Any], kept: Iterable[str]) -> None:
    kept = set(kept)
    for name, value in fields.items():
        if name == "element type" and value == "Factor":
            continue  # what every element becomes
        if name not in kept and value not in (None, "", [], {}):
            report.lose(f'{what} field "{name}" not carried')


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
    sign = sign_of(kind, b.report, "connection type")
    weight = _strength(fields.get("strength"))
    note = fields.get("description")
    if fields.get("reversed") is True:
        source, target = target, source
    direction = str(fields.get("direction") or "directed").lower()
    ids = [b.link(source, target, sign, weight=weight, note=note)]
    if direction == "mutual":
        b.report.lose("mutual connection read as two links, one each way")
        ids.append(b.link(target, source, sign, weight=weight, note=note))
    elif direction == "undirected":
        b.report.lose('undirected connection read as a link from "from" to "to"')
    if fields.get("delayed") is True:
        b.report.lose("delay mark of a connection not carried")
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
        report.lose(
            f'{len(maps) - 1} other maps of the project not carried (only "{chosen.get("name")}")'
        )
    for element in data["elements"]:
        fields = _fields(element)
        position = positions.get(element.get("_id"), {})
        b.factor(
            element.get("_id"),
            fields.get("label") or "",
            note=fields.get("description"),
            x=position.get("x"),
            y=position.get("y"),
        )
        _lose_fields(report, "element", fields, ELEMENT_FIELDS)
    links: dict[str, list[str]] = {}
    for connection in data.get("connections") or []:
        fields = _fields(connection)
        links[connection.get("_id")] = _add_connection(
            b, fields, connection.get("from"), connection.get("to")
        )
    for loop in data.get("loops") or []:
        fields = _fields(loop)
        members = [links.get(c) or [] for c in loop.get("connections") or []]
        if all(len(m) == 1 for m in members) and members:
            label = fields.get("label") or loop.get("_id") or ""
            report.named_loops.append(NamedLoop(str(label), tuple(m[0] for m in members)))
        else:
            report.lose("named loop over links that are not on the map not carried")
    if report.named_loops:
        report.lose(
            f"{len(report.named_loops)} named loops kept in the report only: the workbook has "
            "no place for them (versterkt query loops finds them from the links)"
        )
    return b.m


def _read_blueprint(p: Path, data: dict[str, Any], report: Report) -> SystemMap:
    b = MapBuilder(p.stem, str(data.get("name") or p.stem), report)
    by_label: dict[str, str] = {}
    for element in data["elements"]:
        fields = _fields(element)
        label = str(fields.get("label") or "")
        key = fields.get("id") or label
        b.factor(key, label, note=fields.get("description"))
        by_label.setdefault(label, str(key))
        _lose_fields(report, "element", fields, ELEMENT_FIELDS)
    for connection in data.get("connections") or []:
        fields = _fields(connection)
        ends = [fields.get(end) for end in ("from", "to")]
        ends = [e if b.has(e) else by_label.get(str(e), e) for e in ends]
        _add_connection(b, fields, *ends)
    return b.m


def _read_spreadsheet(p: Path, report: Report) -> SystemMap:
    import openpyxl

    wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    try:
        sheets = {
            ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets
        }
    finally:
        wb.close()
    elements: list[dict[str, Any]] = []
    connections: list[dict[str, Any]] = []
    for title, rows in sheets.items():
        if not rows:
            continue
        headers = [str(h or "").strip().lower() for h in rows[0]]
        records = [
            {h: v for h, v in zip(headers, row, strict=False) if h and v not in (None, "")}
            for row in rows[1:]
            if any(v not in (None, "") for v in row)
        ]
        if "from" in headers and "to" in headers:
            connections += records
        elif "label" in headers:
            elements += records
        else:
            report.lose(f'sheet "{title}" has neither Label nor From and To: not read')
    if not elements:
        raise WorkbookInvalid(
            [LoadError(str(p), None, None, "no sheet of elements (first header Label)")]
        )
    b = MapBuilder(p.stem, p.stem, report)
    by_label: dict[str, str] = {}
    for fields in elements:
        label = str(fields.get("label") or "")
        key = str(fields.get("id") or label)
        b.factor(key, label, note=fields.get("description"))
        by_label.setdefault(label, key)
        _lose_fields(report, "element", fields, ELEMENT_FIELDS)
    for fields in connections:
        source = str(fields.get("from") or "")
        for target in str(fields.get("to") or "").split("|"):
            ends = [e.strip() for e in (source, target)]
            ends = [e if b.has(e) else by_label.get(e, e) for e in ends]
            _add_connection(b, fields, *ends)
    report.lose("positions: a Kumu spreadsheet has none")
    return b.m


# --- writing ---------------------------------------------------------------------------


def write(m: SystemMap, path: str | Path) -> Report:
    """Write ``m`` as a Kumu project export (.json, positions included) or spreadsheet
    (.xlsx, with no positions); returns what could not be written."""
    p = Path(path)
    report = Report("kumu", str(p))
    part = exportable(m, report, kinds_kept=True)
    if p.suffix.lower() == ".xlsx":
        _write_spreadsheet(part, p, report)
        return report
    elements = []
    for n in part.nodes:
        attributes: dict[str, Any] = {"label": n.name, "element type": n.kind}
        if n.get("note"):
            attributes["description"] = n.get("note")
        elements.append({"_id": f"elem-{n.id}", "attributes": attributes})
    connections = []
    for lk in part.links:
        attributes = {}
        if lk.get("sign"):
            attributes["connection type"] = lk.get("sign")
        if lk.get("weight") is not None:
            attributes["strength"] = lk.get("weight")
        if lk.get("note"):
            attributes["description"] = lk.get("note")
        connections.append(
            {
                "_id": f"conn-{lk.id}",
                "direction": "directed",
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
        "loops": [],
        "maps": [{"_id": "map-1", "name": m.name, "elements": placed, "connections": []}],
    }
    p.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def _write_spreadsheet(part: Any, p: Path, report: Report) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Elements"
    ws.append(["ID", "Label", "Type", "Description"])
    for n in part.nodes:
        ws.append([n.id, n.name, n.kind, n.get("note")])
    cs = wb.create_sheet("Connections")
    cs.append(["From", "To", "Type", "Strength", "Description"])
    for lk in part.links:
        cs.append([lk.source, lk.target, lk.get("sign"), lk.get("weight"), lk.get("note")])
    for sheet in (ws, cs):
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
    if part.positions:
        report.lose(f"{len(part.positions)} positions not written: a Kumu spreadsheet has none")
    wb.save(p)
