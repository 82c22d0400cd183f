"""PRSM (the Participatory System Mapper): its ``.prsm`` map file and its spreadsheet.

A ``.prsm`` file is the JSON of a map (``nodes`` with ``id``, ``label``, ``note``, ``x``
and ``y``; ``edges`` with ``from``, ``to``, ``label``, ``note`` and ``grp``, the link
style; ``styles`` with each link style's ``groupLabel``), as written, or compressed
with lz-string into UTF-16 text as PRSM saves it since version 1.6. The spreadsheet
(.xlsx) has a sheet ``Factors`` (``Label``, ``Note`` or ``Description``, ``x``, ``y``)
and a sheet ``Links`` (``From`` and ``To`` by label, ``Label``, ``Note``).

PRSM has no sign of its own: a link's polarity is what its label says (``+``, ``-``,
``+ve``, "positive"...), or else the name of its link style ("Positive influence").
Writing gives the label ``+`` or ``-`` and two link styles named ``+`` and ``-``.
A factor style named ``Actor`` makes its factors actors; writing puts factors and
actors in two styles of those names. PRSM's own attributes (``attr1``... with their
titles in ``attributeTitles``) carry the level and role (an actor's kind and sector),
under the titles ``level``, ``role``, ``actor kind`` and ``sector``.
Who created or changed each factor and link (a person's name) is never carried.

>>> from loaders.prsm import compress, decompress
>>> decompress(compress('{"nodes": []}'))
'{"nodes": []}'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lzstring import LZString

from graph import SystemMap
from graph.errors import said
from loaders import bounded
from loaders.errors import LoadError, WorkbookInvalid
from loaders.interchange import (
    FIELD_NAMES,
    SIGN_WORDS,
    Exportable,
    MapBuilder,
    Report,
    exportable,
    kind_of,
    labels_unique,
    sign_of,
)
from loaders.read import RawTable
from loaders.write import append_row

__all__ = ["compress", "decompress", "read", "write"]

#: Node and edge fields the map carries, or that only say how PRSM draws it.
NODE_FIELDS = ("id", "label", "note", "title", "x", "y")
STYLE_FIELDS = (
    "grp", "color", "font", "borderWidth", "shape", "shapeProperties", "margin", "arrows",
    "dashes", "smooth", "width", "size", "fixed", "hidden", "labelHighlightBold",
)  # fmt: skip
EDGE_FIELDS = ("id", "from", "to", "label", "note", "title")
#: Fields that name the people who made or changed the map: never carried.
PEOPLE_FIELDS = ("created", "modified", "creator", "modifier", "createdTime", "modifiedTime")


def compress(text: str) -> str:
    """``text`` compressed as PRSM saves a map (lz-string, UTF-16)."""
    return str(LZString.compressToUTF16(text))


def decompress(text: str) -> str:
    """The JSON text of a compressed ``.prsm`` file, unpacked within the bounds of
    :func:`loaders.bounded.decompress_utf16` (a :class:`~loaders.bounded.Unreadable`, a
    ValueError, says why it is not)."""
    try:
        return bounded.decompress_utf16(text.rstrip("\r\n"))
    except bounded.Unreadable as e:
        raise bounded.Unreadable(said("interchange.cannot_decompress", problem=e.said)) from None


def _note(value: Any) -> str | None:
    """The text of a note: plain, or the rich text (Quill ``ops``) PRSM keeps."""
    if isinstance(value, dict):
        return "".join(str(op.get("insert", "")) for op in value.get("ops") or []
                       if isinstance(op.get("insert"), str)).strip() or None  # fmt: skip
    return str(value).strip() or None if value else None


def read(path: str | Path) -> tuple[SystemMap, Report]:
    """Read a PRSM ``.prsm`` map (plain or compressed) or spreadsheet (.xlsx)."""
    p = Path(path)
    report = Report("prsm", str(p))
    if p.suffix.lower() == ".xlsx":
        return _read_spreadsheet(p, report), report
    data = _map_json(p)
    b = MapBuilder(p.stem, str(data.get("mapTitle") or p.stem), report)
    people = False
    titles = {str(k): str(v) for k, v in (data.get("attributeTitles") or {}).items()}
    node_styles = (data.get("styles") or {}).get("nodes") or {}
    for node in data["nodes"]:
        style = _style_label(node_styles, node.get("grp"))
        kind = kind_of(style) or "Factor"
        attributes = {titles[k]: v for k, v in node.items() if k in titles}
        b.factor(node.get("id"), _label(node.get("label")), note=_note(node.get("note")),
                 x=node.get("x"), y=node.get("y"), kind=kind,
                 **b.fields_of(attributes, kind))  # fmt: skip
        people |= any(node.get(f) for f in PEOPLE_FIELDS)
        kept = {*NODE_FIELDS, *titles}
        _lose_rest(report, "factor", node, tuple(kept), "" if kind_of(style) else style)
        for title in attributes:
            if title.strip().lower() not in _KNOWN_TITLES:
                report.lose(said("import.prsm_attribute", title=title))
    styles = (data.get("styles") or {}).get("edges") or {}
    for edge in data.get("edges") or []:
        label = _label(edge.get("label"))
        style = _style_label(styles, edge.get("grp"))
        word = label or style
        where = said("import.where.link_label" if label else "import.where.link_style")
        sign = sign_of(word, report, where)
        b.link(edge.get("from"), edge.get("to"), sign, note=_note(edge.get("note")))
        people |= any(edge.get(f) for f in PEOPLE_FIELDS)
        # a style that gave the sign (or names one) is carried by it
        lost_style = "" if label == "" or style.lower() in _SIGN_STYLES else style
        _lose_rest(report, "link", edge, EDGE_FIELDS, lost_style)
    if people:
        report.lose(said("import.prsm_people"))
    for what in ("background", "history", "description"):
        if data.get(what):
            report.lose(said("import.prsm_map_part", part=said("import.part." + what)))
    return b.m, report


def _map_json(p: Path) -> dict[str, Any]:
    """The JSON of a ``.prsm`` file, plain or compressed, read within bounds: at most
    :data:`~loaders.bounded.MAX_ELEMENTS` factors and
    :data:`~loaders.bounded.MAX_LINKS` links, each id used once."""
    text = bounded.read_text(p)
    if not text.lstrip().startswith("{"):
        try:
            text = decompress(text)
        except bounded.Unreadable as e:
            bounded.refuse(p, said("interchange.not_prsm", problem=e.said))
    data = bounded.parse_json(text, p)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        bounded.refuse(p, said("interchange.prsm_no_nodes"))
    edges = data.get("edges") or []
    if not isinstance(edges, list):
        bounded.refuse(p, said("interchange.prsm_edges_not_list"))
    for key, items in (("nodes", data["nodes"]), ("edges", edges)):
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                bounded.refuse(p, said("interchange.prsm_not_object"), None, f"{key}[{i}]")
    bounded.check_count(p, "factors", len(data["nodes"]), bounded.MAX_ELEMENTS)
    bounded.check_count(p, "links", len(edges), bounded.MAX_LINKS)
    for key, what in (("nodes", "factor"), ("edges", "link")):
        items = data.get(key) or []
        bounded.check_unique(
            p, what, ((item.get("id"), None, f"{key}[{i}]") for i, item in enumerate(items))
        )
    return data


def _label(value: Any) -> str:
    return " ".join(str(value or "").split())


#: The titles the level, role, actor kind and sector are written under.
ATTRIBUTE_TITLES = {"level": "level", "role": "role", "actor_kind": "actor kind",
                    "sector": "sector"}  # fmt: skip
_KNOWN_TITLES = {spelling for names in FIELD_NAMES.values() for spelling in names}
_SIGN_STYLES = {"", "sample", *(word for words in SIGN_WORDS.values() for word in words)}


def _style_label(styles: dict[str, Any], group: Any) -> str:
    """The name of a style group ("Sample", PRSM's default name, counts as none)."""
    label = " ".join(str((styles.get(group) or {}).get("groupLabel") or "").split())
    return "" if label.lower() == "sample" else label


def _lose_rest(
    report: Report,
    what: str,
    item: dict[str, Any],
    kept: tuple[str, ...],
    style: str | None = None,
) -> None:
    """Report the fields of ``item`` not carried. ``style`` is the name of its style
    group when the map does not carry what that says ("" when it does, or when the
    group has no name), or None to report any group but the first."""
    if style:
        report.lose(said("import.style_named", thing=said("import.thing." + what), style=style))
    for name, value in item.items():
        if name in kept or name in PEOPLE_FIELDS or value in (None, "", [], {}):
            continue
        if name in STYLE_FIELDS:
            if name == "grp" and style is None and value not in ("group0", "edge0"):
                report.lose(said("import.style", thing=said("import.thing." + what)))
            continue
        report.lose(said("import.field_not_carried", thing=said("import.thing." + what), name=name))


def _read_spreadsheet(p: Path, report: Report) -> SystemMap:
    sheets = {table.sheet: table for table in bounded.read_sheets(p)}
    for needed in ("factors", "links"):
        if needed not in sheets:
            message = said("import.prsm_no_sheet", sheet=needed.title())
            raise WorkbookInvalid([LoadError(str(p), None, None, message)])
    b = MapBuilder(p.stem, p.stem, report)
    factors = _records(sheets["factors"])
    links = _records(sheets["links"])
    if any(r.get(f) for _, r in (*factors, *links) for f in PEOPLE_FIELDS):
        report.lose(said("import.prsm_people"))
    labels_unique((str(f.get("label") or "") for _, f in factors), report)
    for _, f in factors:
        label = _label(f.get("label"))
        if not b.has(label):
            b.factor(label, label, note=f.get("note") or f.get("description"),
                     x=f.get("x"), y=f.get("y"))  # fmt: skip
        _lose_rest(report, "factor", f, ("label", "note", "description", "x", "y", "style"))
        if f.get("style") not in (None, ""):
            report.lose(said("import.style", thing=said("import.thing.factor")))
    for number, lk in links:
        source, target = _label(lk.get("from")), _label(lk.get("to"))
        for end, header in ((source, "From"), (target, "To")):
            if not b.has(end):
                message = said("import.prsm_no_factor", label=end)
                raise WorkbookInvalid([LoadError(f"{p}[Links]", number, header, message)])
        sign = sign_of(lk.get("label"), report, said("import.where.link_label"))
        b.link(source, target, sign, note=lk.get("note") or lk.get("description"))
        _lose_rest(report, "link", lk, ("from", "to", "label", "note", "description", "style"))
        if lk.get("style") not in (None, ""):
            report.lose(said("import.style", thing=said("import.thing.link")))
    return b.m


def _records(table: RawTable) -> list[tuple[int, dict[str, Any]]]:
    """The rows below the header as (row number, {lower-case header: value})."""
    headers = table.headers
    out = []
    for number, row in table.rows:
        record = {
            (h[0].lower() + h[1:]) if h not in ("x", "y") else h: v
            for h, v in zip(headers, row, strict=False)
            if h and v not in (None, "")
        }
        if record:
            out.append((number, record))
    return out


# --- writing ---------------------------------------------------------------------------


def write(
    m: SystemMap,
    path: str | Path,
    *,
    as_of_round: int | None = None,
) -> Report:
    """Write ``m`` (the current map, or as of round ``as_of_round``) as a compressed
    ``.prsm`` map, or as PRSM's spreadsheet (.xlsx, which has no styles or attributes:
    actors become factors there)."""
    p = Path(path)
    report = Report("prsm", str(p))
    spreadsheet = p.suffix.lower() == ".xlsx"
    part = exportable(
        m,
        report,
        as_of_round=as_of_round,
        kinds_kept=not spreadsheet,
        node_fields=("note",) if spreadsheet else ("note", *ATTRIBUTE_TITLES),
        link_fields=("sign", "note"),
    )
    if spreadsheet:
        _write_spreadsheet(part, p, report)
        return report
    attribute = {name: f"attr{i}" for i, name in enumerate(ATTRIBUTE_TITLES, start=1)}
    nodes = []
    for n in part.nodes:
        node: dict[str, Any] = {
            "id": n.id,
            "label": n.name,
            "grp": "group1" if n.kind == "Actor" else "group0",
        }
        if n.get("note"):
            node["note"] = n.get("note")
        if n.id in part.positions:
            node["x"], node["y"] = part.positions[n.id]
        for name, field_name in attribute.items():
            if n.get(name) is not None:
                node[field_name] = n.get(name)
        nodes.append(node)
    grp = {"+": "edge1", "-": "edge2", None: "edge0"}
    edges = []
    for lk in part.links:
        edge: dict[str, Any] = {
            "id": lk.id,
            "from": lk.source,
            "to": lk.target,
            "grp": grp[lk.get("sign")],
            "label": lk.get("sign") or "",
        }
        if lk.get("note"):
            edge["note"] = lk.get("note")
        edges.append(edge)
    data = {
        "version": "1.6.0",
        "mapTitle": m.name,
        "attributeTitles": {attribute[name]: t for name, t in ATTRIBUTE_TITLES.items()},
        "styles": {
            "nodes": {"group0": {"groupLabel": "Factor"}, "group1": {"groupLabel": "Actor"}},
            "edges": {
                "edge0": {"groupLabel": ""},
                "edge1": {"groupLabel": "+"},
                "edge2": {"groupLabel": "-"},
            },
        },
        "nodes": nodes,
        "edges": edges,
    }
    p.write_text(compress(json.dumps(data, ensure_ascii=False)), encoding="utf-8")
    return report


def _write_spreadsheet(part: Exportable, p: Path, report: Report) -> None:
    from openpyxl import Workbook

    labels_unique((n.name for n in part.nodes), report)
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Factors"
    ws.append(["Label", "Note", "x", "y"])
    for n in part.nodes:
        x, y = part.positions.get(n.id, (None, None))
        append_row(ws, [n.name, n.get("note"), x, y], str(p))
    ls = wb.create_sheet("Links")
    ls.append(["From", "To", "Label", "Note"])
    names = {n.id: n.name for n in part.nodes}
    for lk in part.links:
        values = [names[lk.source], names[lk.target], lk.get("sign"), lk.get("note")]
        append_row(ls, values, str(p))  # each cell checked, and text stays text
    wb.save(p)
