"""MentalModeler: its ``.mmp`` model file and its CSV matrix.

An ``.mmp`` file is XML (``<mentalmodeler>``, or ``<mentalModeler>`` in older files;
the newer web version writes the same structure as JSON): concepts with an ``id``,
``name``, ``notes``, ``x`` and ``y``, each with the ``relationships`` it has to other
concepts (by id) and their ``influence``. The CSV matrix has the concept names along
the first row and down the first column; the cell in row *a*, column *b* is the
influence of *a* on *b*.

Polarity is the sign of the influence: ``0.8`` is ``+`` with weight 0.8, ``-1`` is
``-`` with weight 1. The older qualitative values ``L+``, ``M-``, ``H+``... give the
sign; their strength has no number here and is reported. An influence of 0 is a link
of unknown sign. A concept's influence on itself (the diagonal of the matrix) is a
link from the factor to itself. Writing gives the signed weight, divided by the
largest weight when that is above 1 (MentalModeler's range is -1..1; reported); a
link without weight is written with strength 1 and a link without sign as 0, both
reported.

>>> influence_sign_weight("-0.55")
('-', 0.55)
>>> influence_sign_weight("H+")
('+', None)
"""

from __future__ import annotations

import csv
import io
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from graph import SystemMap
from graph.errors import said
from loaders import bounded
from loaders.errors import LoadError, WorkbookInvalid
from loaders.interchange import (
    Exportable,
    MapBuilder,
    Report,
    exportable,
    labels_unique,
    scaled_weights,
    sign_number,
)
from loaders.read import CsvEncodingError, decode_csv
from loaders.write import InertCsvWriter, restore_text

__all__ = ["influence_sign_weight", "read", "write"]

#: Concept fields the map carries; the others are reported when they hold something.
CONCEPT_FIELDS = ("id", "name", "notes", "x", "y", "relationships")
#: Values of concept fields that mean "nothing set".
EMPTY = ("", "0", None)


def influence_sign_weight(value: str | None) -> tuple[str | None, float | None]:
    """The sign and weight of a MentalModeler influence (``None`` where it has none)."""
    text = (value or "").strip()
    if not text:
        return None, None
    if text[-1] in "+-" and text[:-1].upper() in ("L", "M", "H", "VL", "VH"):
        return text[-1], None
    try:
        number = float(text)
    except ValueError:
        return None, None
    if number == 0 or not math.isfinite(number):
        return None, None
    return ("+" if number > 0 else "-"), abs(number)


def read(path: str | Path) -> tuple[SystemMap, Report]:
    """Read a MentalModeler ``.mmp`` (XML or JSON) or CSV matrix."""
    p = Path(path)
    report = Report("mentalmodeler", str(p))
    if p.suffix.lower() == ".csv":
        return _read_matrix(p, report), report
    data = bounded.read_bytes(p)
    text = bounded.decode_text(data, p).strip()
    model = _json_model(p, text) if text.startswith("{") else _xml_model(p, data)
    info = model.get("info") or {}
    b = MapBuilder(p.stem, str(info.get("name") or p.stem), report)
    if info.get("author"):
        report.lose(said("import.mm_author"))
    concepts = model.get("concepts") or []
    for concept in concepts:
        b.factor(
            concept.get("id"),
            concept.get("name") or "",
            note=concept.get("notes"),
            x=concept.get("x"),
            y=concept.get("y"),
        )
        for name, value in concept.items():
            if name not in CONCEPT_FIELDS and str(value or "").strip() not in EMPTY:
                thing = said("import.thing.concept")
                report.lose(said("import.field_not_carried", thing=thing, name=name))
    for concept in concepts:
        for rel in concept.get("relationships") or []:
            _add_relationship(b, concept.get("id"), rel)
    return b.m, report


def _add_relationship(b: MapBuilder, source: Any, rel: dict[str, Any]) -> None:
    raw = str(rel.get("influence") or "").strip()
    sign, weight = influence_sign_weight(raw)
    if sign is None:
        b.report.lose(said("import.mm_no_influence"))
    elif weight is None:
        b.report.lose(said("import.mm_qualitative", strength=raw[:-1]))
    if str(rel.get("confidence") or "0").strip() not in EMPTY:
        b.report.lose(said("import.mm_confidence"))
    b.link(source, rel.get("id"), sign, weight=weight, note=rel.get("notes"))


def _json_model(p: Path, text: str) -> dict[str, Any]:
    """The JSON model, read within bounds and checked as :func:`_checked` says."""
    model = bounded.parse_json(text, p)
    concepts = model.get("concepts") if isinstance(model, dict) else None
    if not isinstance(concepts, list) or not all(isinstance(c, dict) for c in concepts):
        bounded.refuse(p, said("interchange.mm_no_concepts"))
    places: list[_Places] = []
    for i, concept in enumerate(concepts):
        rels = concept.get("relationships") or []
        at = f"concepts[{i}]"
        if not isinstance(rels, list) or not all(isinstance(r, dict) for r in rels):
            bounded.refuse(p, said("interchange.not_list_of_objects"), None, f"{at}.relationships")
        places.append((None, at, [(None, f"{at}.relationships[{j}]") for j in range(len(rels))]))
    _checked(p, concepts, places)
    return model


#: Where a concept is (line, element) and where each of its relationships is.
_Places = tuple[int | None, str | None, list[tuple[int | None, str | None]]]


def _checked(p: Path, concepts: list[dict[str, Any]], places: list[_Places]) -> None:
    """Refuse a model of more than :data:`~loaders.bounded.MAX_ELEMENTS` concepts or
    :data:`~loaders.bounded.MAX_LINKS` relationships, a concept id used twice, or an
    influence that is not a finite number. ``places`` are the (line, element) of each
    concept and of each of its relationships."""
    bounded.check_count(p, "concepts", len(concepts), bounded.MAX_ELEMENTS)
    relationships = sum(len(c.get("relationships") or []) for c in concepts)
    bounded.check_count(p, "relationships", relationships, bounded.MAX_LINKS)
    bounded.check_unique(
        p, "concept", ((c.get("id"), *place[:2]) for c, place in zip(concepts, places, strict=True))
    )
    for concept, (_, _, rel_places) in zip(concepts, places, strict=True):
        for rel, (line, where) in zip(concept.get("relationships") or [], rel_places, strict=True):
            bounded.finite(rel.get("influence"), p, line, where)


def _xml_model(p: Path, data: bytes) -> dict[str, Any]:
    """The XML model as the same dict the JSON form gives (read within the bounds of
    :func:`loaders.bounded.parse_xml`, checked as :func:`_checked` says)."""
    root = bounded.parse_xml(data, p)
    if not isinstance(root.tag, str) or root.tag.lower() != "mentalmodeler":
        bounded.refuse(p, said("interchange.not_mm"))

    def plain(el: Any) -> dict[str, Any]:
        if el is None:
            return {}
        return {child.tag: (child.text or "").strip() for child in el if len(child) == 0}

    concepts = []
    places: list[_Places] = []
    for c in root.iter("concept"):
        concept = plain(c)
        rels = list(c.iter("relationship"))
        concept["relationships"] = [plain(r) for r in rels]
        concepts.append(concept)
        places.append((c.sourceline, "concept", [(r.sourceline, "relationship") for r in rels]))
    _checked(p, concepts, places)
    return {"info": plain(root.find("info")), "concepts": concepts}


def _read_matrix(p: Path, report: Report) -> SystemMap:
    rows = _matrix_rows(p)
    if not rows or len(rows[0]) < 2:
        raise WorkbookInvalid([LoadError(str(p), 1, None, said("import.mm_no_names"))])
    names = [n.strip() for n in rows[0][1:]]
    b = MapBuilder(p.stem, p.stem, report)
    for name in names:
        b.factor(name, name)
    labels_unique(names, report)
    report.lose(said("import.mm_no_positions"))
    for number, row in enumerate(rows[1:], start=2):
        source = row[0].strip()
        if not b.has(source):
            raise WorkbookInvalid(
                [LoadError(str(p), number, "A", said("import.mm_not_in_first_row", name=source))]
            )
        for name, cell in zip(names, row[1:], strict=False):
            if not cell.strip():
                continue
            sign, weight = influence_sign_weight(cell)
            if sign is None and cell.strip() not in ("0", "0.0"):
                raise WorkbookInvalid(
                    [
                        LoadError(
                            str(p),
                            number,
                            name,
                            said("import.mm_not_influence", value=cell.strip()),
                        )
                    ]
                )
            if sign is not None:
                b.link(source, name, sign, weight=weight)
    return b.m


def _matrix_rows(p: Path) -> list[list[str]]:
    """The non-blank rows of a CSV matrix, read within bounds: at most
    :data:`~loaders.bounded.MAX_ELEMENTS` concepts and :data:`~loaders.bounded.MAX_LINKS`
    influences."""
    try:
        text = decode_csv(bounded.read_bytes(p))
    except CsvEncodingError as e:
        bounded.refuse(p, e.said, e.line)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for r in reader:
            if any(r):
                rows.append([restore_text(c) for c in r])  # as InertCsvWriter wrote
    except csv.Error as e:
        bounded.refuse(p, said("interchange.not_csv_matrix", error=str(e)), reader.line_num)
    names = max(len(rows[0]) - 1, 0) if rows else 0
    bounded.check_count(p, "concepts", names, bounded.MAX_ELEMENTS)
    influences = sum(1 for r in rows[1:] for c in r[1:] if c.strip() not in ("", "0", "0.0"))
    bounded.check_count(p, "influences", influences, bounded.MAX_LINKS)
    return rows


# --- writing ---------------------------------------------------------------------------


def write(
    m: SystemMap,
    path: str | Path,
    *,
    as_of_round: int | None = None,
) -> Report:
    """Write ``m`` (the current map, or as of round ``as_of_round``) as a MentalModeler
    ``.mmp`` (XML) or, for ``.csv``, its matrix (names and influences only)."""
    p = Path(path)
    report = Report("mentalmodeler", str(p))
    matrix = p.suffix.lower() == ".csv"
    part = exportable(
        m,
        report,
        as_of_round=as_of_round,
        node_fields=() if matrix else ("note",),
        link_fields=("sign", "weight") if matrix else ("sign", "weight", "note"),
    )
    for lk in part.links:
        if lk.get("sign") is None:
            report.lose(
                said("export.mm_unknown_sign_matrix" if matrix else "export.mm_unknown_sign")
            )
        elif lk.get("weight") is None:
            report.lose(said("export.mm_no_weight"))
    scale = scaled_weights(part, report)
    if matrix:
        _write_matrix(part, p, report, scale)
        return report
    root = ET.Element("mentalmodeler")
    info = ET.SubElement(root, "info")
    for tag, value in (("name", m.name), ("version", "1.1")):
        ET.SubElement(info, tag).text = value
    ET.SubElement(root, "groupNames")
    concepts = ET.SubElement(root, "concepts")
    numbers = {n.id: str(i) for i, n in enumerate(part.nodes, start=1)}
    out_links: dict[str, list[Any]] = {}
    for lk in part.links:
        out_links.setdefault(lk.source, []).append(lk)
    for n in part.nodes:
        c = ET.SubElement(concepts, "concept")
        x, y = part.positions.get(n.id, ("", ""))
        for tag, value in (
            ("id", numbers[n.id]),
            ("name", n.name),
            ("notes", n.get("note") or ""),
            ("units", ""),
            ("group", "0"),
            ("x", _number(x)),
            ("y", _number(y)),
            ("preferredState", "0"),
        ):
            ET.SubElement(c, tag).text = value
        rels = ET.SubElement(c, "relationships")
        for lk in out_links.get(n.id, []):
            r = ET.SubElement(rels, "relationship")
            for tag, value in (
                ("id", numbers[lk.target]),
                ("name", m.node(lk.target).name),
                ("notes", lk.get("note") or ""),
                ("confidence", "0"),
                ("influence", _number(_influence(lk, scale))),
            ):
                ET.SubElement(r, tag).text = value
    ET.indent(root)
    p.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")
    return report


def _number(value: Any) -> str:
    if value == "" or value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _influence(lk: Any, scale: float) -> float:
    """A link's influence: its signed weight, divided by ``scale``."""
    return sign_number(lk.get("sign"), lk.get("weight")) / scale


def _write_matrix(part: Exportable, p: Path, report: Report, scale: float) -> None:
    names = [n.name for n in part.nodes]
    labels_unique(names, report)
    index = {n.id: i for i, n in enumerate(part.nodes)}
    cells = [[""] * len(names) for _ in names]
    for lk in part.links:
        if lk.get("sign") is None:
            continue
        value = _influence(lk, scale)
        if cells[index[lk.source]][index[lk.target]]:
            report.lose(said("export.mm_parallel"))
            continue
        cells[index[lk.source]][index[lk.target]] = _number(value)
    if part.positions:
        report.lose(said("export.mm_positions", n=len(part.positions)))
    with p.open("w", encoding="utf-8", newline="") as fh:
        w = InertCsvWriter(fh, lineterminator="\n")  # no name is run as a formula
        w.writerow(["", *names])
        for name, row in zip(names, cells, strict=True):
            w.writerow([name, *row])
