"""Reading the files other tools make, within bounds: the one path every import takes.

Kumu, PRSM, MentalModeler, GraphML, GEXF and the saved toetsmodus session are JSON,
XML, lz-string text or spreadsheets that anyone can make. Before anything is parsed,
a file is checked against limits that keep every import to seconds and a few hundred
MB, however the file was made, and every problem is a
:class:`~loaders.errors.WorkbookInvalid` with one line naming the file and, where
there is one, the line or the element:

- a file is a regular file of at most :data:`loaders.read.MAX_FILE_BYTES`;
- JSON is nested at most :data:`MAX_JSON_DEPTH` deep and holds at most
  :data:`MAX_JSON_VALUES` values, both counted over the text before it is parsed,
  without recursion (so no depth can overflow the stack); ``NaN``, ``Infinity`` and
  numbers too large for a float are refused;
- lz-string text (a compressed ``.prsm``) unpacks to at most :data:`UNPACK_RATIO` times
  its length (at least :data:`MIN_UNPACKED_CHARS`, at most
  :data:`MAX_UNPACKED_CHARS`), counted as it is unpacked, so a small file cannot fill
  the memory; a truncated or damaged text is an error;
- XML holds at most :data:`MAX_XML_ELEMENTS` elements (counted before parsing) and is
  parsed by lxml with its own limits (no element deeper than 256, no text node over
  10 MB), no entity expanded, no DTD loaded and nothing fetched from the network; a
  file that declares entities is refused. lxml rather than defusedxml over the standard
  library's parser: it is a dependency already (openpyxl writes through it), its
  limits hold without a setting of ours, and it keeps each element's line for the
  messages;
- a spreadsheet is read by :func:`loaders.read.read_workbook`, with its limits, and
  even its sheet names only after the check of what it unpacks to;
- a map has at most :data:`MAX_ELEMENTS` elements and :data:`MAX_LINKS` links.

GraphML and GEXF are also checked for what their reader would lose or invent without a
word (:func:`graphml_document`, :func:`gexf_document`).
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
from lxml import etree  # type: ignore[import-untyped]

from graph.errors import Count, Said, Text, Unreadable, said
from loaders.errors import LoadError, WorkbookInvalid
from loaders.read import MAX_FILE_BYTES, RawTable, read_file, read_workbook, read_xlsx_file

__all__ = [
    "MAX_ELEMENTS",
    "MAX_JSON_DEPTH",
    "MAX_JSON_VALUES",
    "MAX_LINKS",
    "MAX_UNPACKED_CHARS",
    "MAX_XML_ELEMENTS",
    "MIN_UNPACKED_CHARS",
    "UNPACK_RATIO",
    "GraphDocument",
    "Unreadable",
    "check_count",
    "check_unique",
    "decode_text",
    "decompress_utf16",
    "finite",
    "gexf_document",
    "graphml_document",
    "parse_json",
    "parse_xml",
    "read_bytes",
    "read_json",
    "read_sheets",
    "read_text",
    "refuse",
    "sheet_names",
]

#: The most elements (factors, actors) and links a map read from another tool has.
MAX_ELEMENTS = 100_000
MAX_LINKS = 100_000
#: How deep JSON may nest: a map's JSON nests some five levels.
MAX_JSON_DEPTH = 100
#: The most values (objects, lists, numbers, texts...) in a JSON file.
MAX_JSON_VALUES = 2_000_000
#: The most elements an XML file may have.
MAX_XML_ELEMENTS = 2_000_000
#: How many times its length lz-string text may unpack to; JSON packs some ten times.
UNPACK_RATIO = 100
#: What any lz-string text may unpack to, however short, and what none may pass.
MIN_UNPACKED_CHARS = 5 * 2**20
MAX_UNPACKED_CHARS = MAX_FILE_BYTES
#: How many characters of lz-string text are turned into bits at a time.
_CHARS_AT_ONCE = 4096


def refuse(
    path: str | Path, message: Text, row: int | None = None, column: str | None = None
) -> NoReturn:
    """Raise :class:`WorkbookInvalid` with one error."""
    raise WorkbookInvalid([LoadError(str(path), row, column, message)])


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file within the size limit (:func:`loaders.read.read_file`)."""
    return read_file(path)


def decode_text(data: bytes, path: str | Path) -> str:
    """UTF-8 text (a byte-order mark left out); an error naming the line else."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        refuse(path, said("bounded.not_utf8"), data.count(b"\n", 0, e.start) + 1)


def read_text(path: str | Path) -> str:
    return decode_text(read_bytes(path), path)


def check_count(path: str | Path, what: str, count: int, limit: int) -> None:
    """Refuse a file with more than ``limit`` of ``what`` (a plural noun of the
    catalogue, ``bounded.many.<what>`` with spaces as ``_``)."""
    if count > limit:
        noun = said("bounded.many." + what.replace(" ", "_"))
        refuse(path, said("bounded.count", n=Count(count), what=noun, most=Count(limit)))


def check_unique(
    path: str | Path,
    what: str,
    items: Iterable[tuple[Any, int | None, str | None]],
    row_word: str = "line",
) -> None:
    """Refuse ids given twice: ``items`` are (id, row, column) of each ``what``; every
    second use is an error at its place that names the first (its ``row_word`` and
    number, or its column)."""
    first: dict[str, tuple[int | None, str | None]] = {}
    errors = []
    for key, row, column in items:
        if key is None or key == "":
            continue
        text = str(key)
        if text in first:
            row0, column0 = first[text]
            there: Text = said("bounded.at." + row_word, n=row0) if row0 else str(column0)
            twice = said("bounded.twice", what=said("import.thing." + what), id=text, first=there)
            errors.append(LoadError(str(path), row, column, twice))
        else:
            first[text] = (row, column)
    if errors:
        raise WorkbookInvalid(errors)


def finite(value: Any, path: str | Path, row: int | None, column: str | None) -> None:
    """Refuse a weight or position that is a number but not a finite one (NaN, inf)."""
    if isinstance(value, bool) or value is None:
        return
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return
    if not math.isfinite(number):
        refuse(path, said("bounded.not_finite", value=f'"{value}"'), row, column)


# --- JSON ----------------------------------------------------------------------------

# A JSON string, escapes included; an unclosed one runs to the end of the text, so that
# every quote starts at most one match and the scan stays linear.
_JSON_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"?'
_STRINGS = re.compile(_JSON_STRING, re.S)
_NOT_STRUCTURE = re.compile(r"[^\[\]{},]+")
#: The step in depth of each structural mark of JSON, by its byte.
_STEP = np.zeros(256, dtype=np.int8)
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1
_MARKS_AT_ONCE = 2**20
_OPENINGS = re.compile(_JSON_STRING + r"|[\[{]|[\]}]", re.S)


def _place(text: str, offset: int) -> tuple[int, str]:
    """The line and column (both from 1) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, str(offset - (text.rfind("\n", 0, offset) + 1) + 1)


class _NotFinite(Exception):
    pass


def _float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(text)
    return number


def _constant(text: str) -> float:
    raise _NotFinite(text)


def parse_json(text: str, path: str | Path) -> Any:
    """The value of JSON ``text``, checked for depth and size before it is parsed."""
    structure = _NOT_STRUCTURE.sub("", _STRINGS.sub("", text))
    values = sum(structure.count(mark) for mark in ",[{") + 1
    check_count(path, "values in the JSON", values, MAX_JSON_VALUES)
    marks = np.frombuffer(structure.encode("ascii"), dtype=np.uint8)
    level = deepest = 0
    for start in range(0, len(marks), _MARKS_AT_ONCE):
        depth = np.cumsum(_STEP[marks[start : start + _MARKS_AT_ONCE]], dtype=np.int64) + level
        deepest, level = max(deepest, int(depth.max())), int(depth[-1])
    if deepest > MAX_JSON_DEPTH:
        level = 0
        for found in _OPENINGS.finditer(text):
            mark = found.group()
            level += 1 if mark in "[{" else -1 if mark in "]}" else 0
            if level > MAX_JSON_DEPTH:
                line, at = _place(text, found.start())
                refuse(path, said("bounded.nested", most=MAX_JSON_DEPTH), line, at)
    try:
        return json.loads(text, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as e:
        refuse(path, said("bounded.not_json", error=e.msg), e.lineno, str(e.colno))
    except _NotFinite as e:
        row: int | None = None
        column: str | None = None
        token = re.compile(_JSON_STRING + "|" + re.escape(str(e)), re.S)
        for found in token.finditer(text):
            if not found.group().startswith('"'):
                row, column = _place(text, found.start())
                break
        refuse(path, said("bounded.not_finite", value=str(e)[:20]), row, column)
    except ValueError:  # an integer of more digits than Python converts
        refuse(path, said("bounded.long_number"))


def read_json(path: str | Path) -> Any:
    """The value of the JSON file ``path``, read within bounds."""
    return parse_json(read_text(path), path)


# --- lz-string -----------------------------------------------------------------------


def decompress_utf16(text: str, limit: int | None = None) -> str:
    """Text compressed by lz-string's ``compressToUTF16``, unpacked to at most ``limit``
    characters (by default :data:`UNPACK_RATIO` times its length, within
    :data:`MIN_UNPACKED_CHARS` and :data:`MAX_UNPACKED_CHARS`).

    Each character holds 15 bits; the codes are read from them as lz-string writes
    them, and the text is refused as soon as it would unpack to more than ``limit``.
    Raises :class:`Unreadable` for text that is damaged, cut short or too large.

    >>> from lzstring import LZString
    >>> decompress_utf16(LZString.compressToUTF16("abababab"))
    'abababab'
    """
    if limit is None:
        limit = min(max(MIN_UNPACKED_CHARS, UNPACK_RATIO * len(text)), MAX_UNPACKED_CHARS)
    if not text:
        raise Unreadable(said("interchange.lz_empty"))
    # the bits of the characters, 15 each, highest first (the order lz-string reads
    # them in), made a few thousand characters at a time as the codes need them
    bits, position, read = "", 0, 0

    def take(n: int) -> int:
        nonlocal bits, position, read
        if position + n > len(bits):
            if read >= len(text):
                raise Unreadable(said("interchange.lz_cut_short"))
            codes = [ord(c) - 32 for c in text[read : read + _CHARS_AT_ONCE]]
            read += _CHARS_AT_ONCE
            if min(codes) < 0 or max(codes) >= 2**15:
                raise Unreadable(said("interchange.lz_out_of_range"))
            bits = bits[position:] + "".join([f"{code:015b}" for code in codes])
            position = 0
        end = position + n
        if end > len(bits):
            raise Unreadable(said("interchange.lz_cut_short"))
        # the first bit read is the lowest of the value
        value = int(bits[position:end][::-1], 2)
        position = end
        return value

    first = take(2)
    if first == 2:
        return ""
    if first > 2:
        raise Unreadable(said("interchange.lz_not"))
    dictionary: list[str] = ["", "", "", chr(take(8 if first == 0 else 16))]
    w = dictionary[3]
    out = [w]
    size = len(w)
    enlarge_in, width = 4, 3
    while True:
        code = take(width)
        if code == 2:
            # JavaScript's text is UTF-16: a character beyond it came as a surrogate pair
            whole = "".join(out)
            return whole.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        if code in (0, 1):
            dictionary.append(chr(take(8 if code == 0 else 16)))
            code = len(dictionary) - 1
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in, width = 2**width, width + 1
        if code < len(dictionary) and code > 2:
            entry = dictionary[code]
        elif code == len(dictionary):
            entry = w + w[0]
        else:
            raise Unreadable(said("interchange.lz_damaged"))
        size += len(entry)
        if size > limit:
            raise Unreadable(said("interchange.lz_too_large", most=Count(limit)))
        out.append(entry)
        dictionary.append(w + entry[0])
        enlarge_in -= 1
        w = entry
        if enlarge_in == 0:
            enlarge_in, width = 2**width, width + 1


# --- XML -----------------------------------------------------------------------------


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # keeps libxml2's limits: depth 256, text nodes of 10 MB
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(data: bytes, path: str | Path) -> Any:
    """The root element of XML ``data``, parsed with the limits above."""
    check_count(path, "XML elements", data.count(b"<"), MAX_XML_ELEMENTS)
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as e:
        line, column = e.position
        parser_says = str(e.msg).split(", line ")[0]
        message: Text = parser_says
        if "Excessive depth" in parser_says:
            message = said("bounded.xml_deep")
        elif "amplification" in parser_says or "entit" in parser_says.lower():
            message = said("bounded.xml_entities")
        elif "Document is empty" in parser_says:
            message = said("bounded.xml_empty")
        problem = said("bounded.not_xml", error=message)
        refuse(path, problem, line or None, str(column) if line else None)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        refuse(path, said("bounded.entities"))
    return root


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _namespace(tag: Any) -> str:
    return (etree.QName(tag).namespace or "") if isinstance(tag, str) else ""


@dataclass
class GraphDocument:
    """A GraphML or GEXF file that passed the checks: its XML for networkx's reader
    (nested graphs made readable), its namespace, and each edge id's place in it."""

    xml: bytes
    namespace: str
    edge_order: dict[str, int]


GRAPHML = "http://graphml.graphdrawing.org/xmlns"
YFILES = "http://www.yworks.com/xml/graphml"
#: GraphML's value types, as the ``attr.type`` of a key names them.
GRAPHML_TYPES = ("boolean", "int", "long", "float", "double", "string")
#: Names of values that are read as numbers: a weight and a position.
NUMBER_NAMES = ("weight", "x", "y", "z")


def _where(element: Any) -> int | None:
    return element.sourceline


def _name(edge: Any) -> Said:
    """An edge as the messages name it: ``edge "e1"``, or ``edge`` when it has no id."""
    ident = edge.get("id")
    return (
        said("interchange.edge_id", id=ident)
        if ident is not None
        else said("interchange.thing.edge")
    )


def _twice(what: str, ident: str, first: Any) -> Said:
    """A ``what`` (node or edge) id used a second time, naming the line of the first."""
    first_at = said("bounded.at.line", n=_where(first))
    return said("bounded.twice", what=said("interchange.thing." + what), id=ident, first=first_at)


def graphml_document(data: bytes, path: str | Path) -> GraphDocument:
    """Check GraphML ``data``: one graph; every node with a unique id; every edge with a
    unique id (when it has one) between declared nodes; no hyperedges; keys declared
    and values of their type, weights and positions finite; no undirected edge in a
    directed graph. A graph nested in a node (a yEd group, or any other) is read with
    the rest: its node is marked as a yEd group, which is what networkx follows. A file
    without GraphML's namespace is read as if it had it."""
    root = parse_xml(data, path)
    if root.tag == "graphml":
        # written without GraphML's namespace, as some tools and hand-made files are:
        # read as if it were there
        for element in root.iter():
            if isinstance(element.tag, str) and not _namespace(element.tag):
                element.tag = f"{{{GRAPHML}}}{element.tag}"
    if _local(root.tag) != "graphml" or _namespace(root.tag) != GRAPHML:
        if _local(root.tag) == "graphml":
            refuse(path, said("bounded.graphml_namespace", namespace=GRAPHML), _where(root))
        start = said("bounded.graphml_start", tag=_local(root.tag))
        refuse(path, start, _where(root))
    graphs = [g for g in root if g.tag == f"{{{GRAPHML}}}graph"]
    if not graphs:
        refuse(path, said("bounded.no_graph"), _where(root))
    if len(graphs) > 1:
        lines = ", ".join(str(_where(g)) for g in graphs)
        refuse(
            path, said("interchange.graphs_lines", n=len(graphs), lines=lines), _where(graphs[1])
        )
    errors: list[LoadError] = []

    def error(element: Any, message: Text) -> None:
        errors.append(LoadError(str(path), _where(element), None, message))

    keys: dict[str, tuple[str, str]] = {}
    for key in root.iter(f"{{{GRAPHML}}}key"):
        kind = key.get("attr.type") or "string"
        if key.get("yfiles.type") is None and kind not in GRAPHML_TYPES:
            error(key, said("interchange.key_type", key=str(key.get("id")), kind=kind))
        if key.get("yfiles.type") is None and key.get("attr.name") is None:
            error(key, said("interchange.key_no_name", key=str(key.get("id"))))
        keys[str(key.get("id"))] = (key.get("attr.name") or "", kind)
    directed = graphs[0].get("edgedefault") == "directed"
    nodes: dict[str, Any] = {}
    edges: dict[str, Any] = {}
    order: dict[str, int] = {}
    edge_elements: list[Any] = []
    count = 0
    for element in root.iter():
        tag = element.tag
        if tag == f"{{{GRAPHML}}}hyperedge":
            error(element, said("interchange.hyperedge"))
        elif tag == f"{{{GRAPHML}}}node":
            _take_node(element, nodes, error)
            inner = element.find(f"{{{GRAPHML}}}graph")
            if inner is not None:
                element.set("yfiles.foldertype", "group")
        elif tag == f"{{{GRAPHML}}}edge":
            edge_elements.append(element)
            ident = element.get("id")
            if ident is not None:
                if ident in edges:
                    error(element, _twice("edge", ident, edges[ident]))
                else:
                    edges[ident] = element
                    order[ident] = count
            count += 1
            if directed and element.get("directed") == "false":
                error(element, said("interchange.undirected_edge", edge=_name(element)))
            if not directed and element.get("directed") == "true":
                error(element, said("interchange.directed_edge", edge=_name(element)))
        elif tag == f"{{{GRAPHML}}}data" or tag == f"{{{GRAPHML}}}default":
            _check_value(element, keys, error)
        elif _namespace(tag) == YFILES and _local(tag) == "Geometry":
            for axis in ("x", "y"):
                what = said("interchange.yed_axis", axis=axis)
                _check_finite(element, element.get(axis), what, error)
    _check_edges(path, nodes, edge_elements, error)
    if errors:
        raise WorkbookInvalid(errors)
    return GraphDocument(etree.tostring(root), GRAPHML, order)


def _take_node(element: Any, nodes: dict[str, Any], error: Any) -> None:
    """Add a graph file's node element to ``nodes`` by its id: one without an id, or
    with an id used before, is an error (GraphML and GEXF alike)."""
    ident = element.get("id")
    if ident is None:
        error(element, said("interchange.node_no_id"))
    elif ident in nodes:
        error(element, _twice("node", ident, nodes[ident]))
    else:
        nodes[ident] = element


def _check_edges(path: str | Path, nodes: Any, edges: list[Any], error: Any) -> None:
    """The counts of a graph file's nodes and edges within the limits, and each edge
    between two nodes the file declares (GraphML and GEXF alike)."""
    check_count(path, "nodes", len(nodes), MAX_ELEMENTS)
    check_count(path, "edges", len(edges), MAX_LINKS)
    for edge in edges:
        for end in ("source", "target"):
            node = edge.get(end)
            word = said("interchange.end." + end)
            if node is None:
                error(edge, said("interchange.no_end", edge=_name(edge), end=word))
            elif node not in nodes:
                error(edge, said("interchange.end_not_node", edge=_name(edge), end=word, node=node))


def _check_finite(element: Any, value: Any, what: Text, error: Any) -> None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return
    if not math.isfinite(number):
        error(element, said("interchange.not_finite", what=what, value=str(value)))


def _check_value(element: Any, keys: dict[str, tuple[str, str]], error: Any) -> None:
    """A GraphML value: its key declared, its text of the key's type, numbers finite."""
    if _local(element.tag) == "default":
        parent = element.getparent()
        key = str(parent.get("id")) if parent is not None else ""
    else:
        key = str(element.get("key"))
        if key not in keys:
            error(element, said("interchange.undeclared_key", key=key))
            return
    name, kind = keys.get(key, ("", "string"))
    if len(element) or element.text is None:
        return  # yEd's own elements, or an empty value
    text = element.text.strip()
    what = said("interchange.value_of", name=name or key)
    value = text[:40]
    if kind in ("int", "long"):
        try:
            int(text)
        except ValueError:
            error(element, said("interchange.not_whole", what=what, value=value))
    elif kind in ("float", "double") or name.lower() in NUMBER_NAMES:
        try:
            number = float(text)
        except ValueError:
            if kind in ("float", "double"):
                error(element, said("interchange.not_number", what=what, value=value))
            return
        if not math.isfinite(number):
            error(element, said("interchange.not_finite", what=what, value=value))
    elif kind == "boolean" and text.lower() not in ("true", "false", "1", "0"):
        error(element, said("interchange.not_boolean", what=what, value=value))


#: GEXF's namespaces and the versions networkx's reader names them by.
GEXF_VERSIONS = {
    "http://www.gexf.net/1.1draft": "1.1draft",
    "http://www.gexf.net/1.2draft": "1.2draft",
    "http://gexf.net/1.2": "1.2draft",
    "http://gexf.net/1.3": "1.3",
}


def gexf_document(data: bytes, path: str | Path) -> GraphDocument:
    """Check GEXF ``data`` as :func:`graphml_document` checks GraphML: one graph with
    one list of nodes and one of edges (nodes may hold nodes: those are read); unique
    node and edge ids; edges between declared nodes; weights, positions and numeric
    attribute values finite; no undirected edge in a directed graph."""
    root = parse_xml(data, path)
    ns = _namespace(root.tag)
    if _local(root.tag) != "gexf" or ns not in GEXF_VERSIONS:
        if _local(root.tag) == "gexf":
            known = ", ".join(f'"{n}"' for n in GEXF_VERSIONS)
            refuse(path, said("interchange.gexf_namespace", namespace=ns, known=known), 1)
        refuse(path, said("bounded.gexf_start", tag=_local(root.tag)), _where(root))
    graphs = [g for g in root if g.tag == f"{{{ns}}}graph"]
    if not graphs:
        refuse(path, said("bounded.no_graph"), _where(root))
    if len(graphs) > 1:
        refuse(path, said("interchange.graphs", n=len(graphs)), _where(graphs[1]))
    graph = graphs[0]
    errors: list[LoadError] = []

    def error(element: Any, message: Text) -> None:
        errors.append(LoadError(str(path), _where(element), None, message))

    for part in ("nodes", "edges"):
        lists = [e for e in graph if e.tag == f"{{{ns}}}{part}"]
        for extra in lists[1:]:
            all_of = said("bounded.many." + part)
            error(extra, said("interchange.second_list", part=part, what=all_of))
    for edges_list in root.iter(f"{{{ns}}}edges"):
        if edges_list.getparent() is not graph:
            error(edges_list, said("interchange.edges_in_node"))
    declared: dict[tuple[str, str], str] = {}
    for attributes in graph.iter(f"{{{ns}}}attributes"):
        for attribute in attributes.iter(f"{{{ns}}}attribute"):
            kind = str(attribute.get("type") or "string")
            declared[(str(attributes.get("class")), str(attribute.get("id")))] = kind
    directed = graph.get("defaultedgetype") == "directed"
    nodes: dict[str, Any] = {}
    edges: dict[str, Any] = {}
    order: dict[str, int] = {}
    edge_elements: list[Any] = []
    for element in root.iter():
        tag = element.tag
        if tag == f"{{{ns}}}node":
            _take_node(element, nodes, error)
        elif tag == f"{{{ns}}}edge":
            ident = element.get("id")
            if ident is not None:
                if ident in edges:
                    error(element, _twice("edge", ident, edges[ident]))
                else:
                    edges[ident] = element
                    order[ident] = len(edge_elements)
            edge_elements.append(element)
            weight = said("interchange.edge_weight", edge=_name(element))
            _check_finite(element, element.get("weight"), weight, error)
            kind = element.get("type")
            if directed and kind == "undirected":
                error(element, said("interchange.undirected_edge", edge=_name(element)))
            if not directed and kind == "directed":
                error(element, said("interchange.directed_edge", edge=_name(element)))
        elif tag == f"{{{ns}}}attvalue":
            owner = element.getparent().getparent()
            key = (
                _local(owner.tag) if owner is not None else "",
                str(element.get("for", element.get("id"))),
            )
            if key not in declared:
                error(element, said("interchange.undeclared_attribute", attribute=key[1]))
            elif declared[key] in ("float", "double"):
                what = said("interchange.attribute_value")
                _check_finite(element, element.get("value"), what, error)
        elif _local(tag) == "position":
            for axis in ("x", "y", "z"):
                what = said("interchange.position", axis=axis)
                _check_finite(element, element.get(axis), what, error)
    _check_edges(path, nodes, edge_elements, error)
    if errors:
        raise WorkbookInvalid(errors)
    xml = etree.tostring(root)
    if ns == "http://gexf.net/1.2":  # Gephi 0.9 spells 1.2 without "draft"
        xml = xml.replace(b"http://gexf.net/1.2", b"http://www.gexf.net/1.2draft")
    return GraphDocument(xml, ns, order)


# --- spreadsheets --------------------------------------------------------------------


def sheet_names(path: str | Path) -> list[str]:
    """The names of the sheets of an ``.xlsx`` file, from its workbook part alone, once
    the file has passed the checks of :func:`loaders.read.read_xlsx_file` (so that a file
    that unpacks to gigabytes is refused before any of it is unpacked)."""
    data = read_xlsx_file(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError) as e:
        refuse(path, said("interchange.not_xlsx", error=str(e)))
    return [str(sheet.get("name")) for sheet in parse_xml(workbook, path).iter("{*}sheet")]


def read_sheets(path: str | Path) -> list[RawTable]:
    """The sheets of an ``.xlsx`` file, each cell as text, read with the limits of
    :func:`loaders.read.read_workbook`; its problems raise :class:`WorkbookInvalid`."""
    raw = read_workbook(path)
    if raw.errors:
        raise WorkbookInvalid(raw.errors)
    return list(raw.tables.values())
