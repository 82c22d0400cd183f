"""Writing a SystemMap back to a workbook, and the empty workbook template.

Writing a map and reading it again gives the same map: every table of the schema is
written, in the schema's column order, with the same Dutch headers the loader reads.

Every file written here is inert: no text cell becomes a formula when the file is
opened in a spreadsheet. In an ``.xlsx`` file every text cell is stored as text
(marked to stay text when edited). In a ``.csv`` file, which a spreadsheet reads
without types, a text cell that a spreadsheet would run (one starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, which
spreadsheets do not show; the loader takes it off again, so a csv written here reads
back as it was (:func:`inert_text`, :func:`restore_text`). Numbers stay numbers, and
a sign on its own (``+``, ``-``) stays as it is.

A write is all or nothing: every cell is checked first (a cell a spreadsheet cannot
hold is a :class:`loaders.errors.CannotWrite` naming the cell), and files are written
beside their place and then moved into it, so a failed write leaves what was there.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import SystemMap, schema
from graph.schema import Field, Table
from loaders.errors import CannotWrite, LoadError

if TYPE_CHECKING:
    import pandas as pd

#: How a text cell starts when a spreadsheet would run it as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What makes such a cell text in a csv file: spreadsheets hide a leading quote.
ESCAPE = "'"
#: The most characters a spreadsheet cell holds (Excel's limit).
MAX_CELL_CHARS = 32_767
# A link's sign on its own: nothing for a spreadsheet to compute.
SIGNS = ("+", "-")
# A plain number such as -3, +2.5 or 1e-3: left as it is, a spreadsheet reads it as
# the number it is.
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$")
# Characters an .xlsx file cannot hold (the XML 1.0 control characters).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def inert_text(text: str) -> str:
    """``text`` as a csv cell that a spreadsheet shows and never runs.

    >>> inert_text("=SUM(A1:A9)"), inert_text("-3"), inert_text("+"), inert_text("'=1")
    ("'=SUM(A1:A9)", '-3', '+', "''=1")
    >>> all(restore_text(inert_text(t)) == t for t in ["=1", "'=1", "-3", "- a", "''@"])
    True
    """
    rest = text.lstrip(ESCAPE)
    if not rest.startswith(FORMULA_STARTS):
        return text
    if len(rest) == len(text) and (text in SIGNS or _NUMBER.match(text)):
        return text
    return ESCAPE + text


def restore_text(text: str) -> str:
    """A csv cell as it was before :func:`inert_text` (the reverse of it)."""
    if text.startswith(ESCAPE) and text.lstrip(ESCAPE).startswith(FORMULA_STARTS):
        return text[1:]
    return text


def inert_csv(frame: pd.DataFrame) -> str:
    """A table as csv text in which no cell is a formula (for printed answers)."""
    return frame.map(lambda v: inert_text(v) if isinstance(v, str) else v).to_csv(index=False)


def _cell(f: Field, value: Any) -> Any:
    """A model value as it goes into a cell (``None`` for empty)."""
    if value is None or value == ():
        return None
    if f.type == "refs":
        return schema.LIST_SEPARATOR.join(value)
    if f.type == "bool":
        return "ja" if value else "nee"
    return value


def text_cell(value: Any) -> str:
    """A cell value as the text a csv file holds."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_rows(m: SystemMap, table: Table) -> Iterator[list[Any]]:
    """The rows of one table of the map, as cell values in column order."""
    for values in _row_values(m, table):
        yield [_cell(f, values.get(f.name)) for f in table.fields]


def _row_values(m: SystemMap, table: Table) -> Iterator[dict[str, Any]]:
    if table.role == "meta":
        yield {"id": m.id, "name": m.name, **m.meta}
    elif table.role == "node":
        for node in m.nodes(table.kind):
            yield {"id": node.id, "name": node.name, **node.fields}
    elif table.role == "link":
        for link in m.links():
            yield {
                "id": link.id,
                "source": link.source,
                "target": link.target,
                "link_kind": schema.LINK_KINDS[link.kind].value,
                **link.fields,
            }
    else:
        yield from m.records[table.name]


def write_csv_folder(m: SystemMap, folder: str | Path, encoding: str = "utf-8") -> list[Path]:
    """Write every table of ``m`` as ``folder/<sheet>.csv``; returns the files written."""
    out = Path(folder)
    texts = {table.sheet: _csv_text(m, table, out) for table in schema.TABLES.values()}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet, text in texts.items():
        path = out / f"{sheet}.csv"
        replace_file(path, text.encode(encoding))
        written.append(path)
    return written


def _csv_text(m: SystemMap, table: Table, folder: Path) -> str:
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(table.headers)
    where = str(folder / f"{table.sheet}.csv")
    for number, row in enumerate(table_rows(m, table), start=2):
        cells = [text_cell(v) for v in row]
        for f, cell in zip(table.fields, cells, strict=True):
            _check_length(cell, where, number, f)
        w.writerow([inert_text(c) for c in cells])
    return buffer.getvalue()


def _check_length(text: str, where: str, row: int, f: Field) -> None:
    if len(text) > MAX_CELL_CHARS:
        raise CannotWrite(
            LoadError(
                where,
                row,
                f.header,
                f"{len(text):,} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS:,}",
            )
        )


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one step: into a file beside it, then moved into
    its place, so that ``path`` is either as it was or complete."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as e:
        raise OSError(e.errno, e.strerror, str(path)) from e
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(name, path)
    except BaseException as e:
        Path(name).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OSError(e.errno, e.strerror, str(path)) from e
        raise


def save_workbook(wb: Any, path: str | Path) -> Path:
    """Save an openpyxl workbook to ``path`` in one step (see :func:`replace_file`)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    replace_file(out, buffer.getvalue())
    return out


def write_xlsx(m: SystemMap, path: str | Path) -> Path:
    """Write ``m`` as one ``.xlsx`` workbook with a sheet per table and an explanation.

    The sheets are written row by row as they are made (openpyxl's write-only mode), so
    the time grows with the size of the map and no more.
    """
    wb = _workbook_with_sheets(write_only=True)
    try:
        _write_tables(m, wb, str(path))
    except BaseException:
        _discard(wb)
        raise
    return save_workbook(wb, path)


def _write_tables(m: SystemMap, wb: Any, path: str) -> None:
    from openpyxl.cell import WriteOnlyCell

    sheets = {ws.title: ws for ws in wb.worksheets}
    for table in schema.TABLES.values():
        ws = sheets[table.sheet]
        where = f"{path}[{table.sheet}]"
        fields = table.fields
        for number, row in enumerate(table_rows(m, table), start=2):
            cells: list[Any] = []
            for f, value in zip(fields, row, strict=True):
                if isinstance(value, str):
                    _check_text(value, where, number, f)
                    if value.startswith(FORMULA_STARTS):
                        cell = WriteOnlyCell(ws, value)
                        cell.data_type = "s"  # text, never a formula
                        cell.quotePrefix = True  # and still text after an edit
                        value = cell
                elif f.type == "date" and value is not None:
                    value = WriteOnlyCell(ws, value)
                    value.number_format = "yyyy-mm-dd"
                cells.append(value)
            ws.append(cells)


def _discard(wb: Any) -> None:
    """Close a write-only workbook that will not be saved, and remove the temporary
    files openpyxl keeps its sheets in."""
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            ws.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.cleanup()


def _check_text(value: str, where: str, row: int, f: Field) -> None:
    """Raise CannotWrite unless ``value`` fits in an .xlsx cell."""
    _check_length(value, where, row, f)
    bad = _CONTROL.search(value)
    if bad:
        raise CannotWrite(
            LoadError(
                where,
                row,
                f.header,
                f"control character U+{ord(bad.group()):04X} at position {bad.start() + 1}: "
                "an .xlsx file cannot hold it; remove it or write a csv folder",
            )
        )


def write_template(path: str | Path, rows: int = 500) -> Path:
    """Write an empty workbook: header rows, an explanation sheet, and dropdowns for
    every field with fixed values (over the first ``rows`` rows)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = _workbook_with_sheets()
    for table in schema.TABLES.values():
        ws = wb[table.sheet]
        for i, f in enumerate(table.fields, start=1):
            choices = schema.choices_for(table, f)
            if f.type == "bool":
                choices = ("ja", "nee")
            if not choices:
                continue
            letter = ws.cell(row=1, column=i).column_letter
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=not f.required,
                showErrorMessage=True,
                errorTitle=f.header,
                error="Kies een waarde uit de lijst.",
            )
            dv.add(f"{letter}2:{letter}{rows + 1}")
            ws.add_data_validation(dv)
    return save_workbook(wb, path)


def _workbook_with_sheets(write_only: bool = False) -> Any:
    """A new workbook: the explanation sheet, then one sheet per table with headers.

    ``write_only``: rows can only be appended (fast, for writing a map); otherwise the
    sheets can still be changed (for the template's dropdowns).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.worksheets[0])  # the one sheet a new workbook has
    guide = wb.create_sheet("uitleg")
    bold = Font(bold=True)

    def styled(ws: Any, value: Any, font: Any = None, fill: Any = None, note: str = "") -> Any:
        cell = WriteOnlyCell(ws, value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if note:
            cell.comment = Comment(note, "versterkt")
        return cell

    guide.append([styled(guide, "Werkboek voor versterkt", Font(bold=True, size=14))])
    guide.append(
        [
            "Eén blad per tabel. De eerste regel bevat de kolomnamen; verander die niet. "
            "Lege regels mogen. Geen namen, e-mailadressen of telefoonnummers van "
            "deelnemers: citaten horen bij een groep, nooit bij een persoon."
        ]
    )
    guide.append([])
    guide.append(
        [styled(guide, h, bold) for h in ("blad", "kolom", "verplicht", "waarden", "uitleg")]
    )
    for table in schema.TABLES.values():
        guide.append([styled(guide, table.sheet, bold), "", "", "", table.help])
        for f in table.fields:
            choices = schema.choices_for(table, f) or (("ja", "nee") if f.type == "bool" else ())
            guide.append(
                [
                    "",
                    f.header,
                    "ja" if f.required else "",
                    " / ".join(choices) or _type_words(f),
                    f.help,
                ]
            )
    for letter, width in zip("ABCDE", (16, 22, 10, 48, 80), strict=True):
        guide.column_dimensions[letter].width = width

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for table in schema.TABLES.values():
        ws = wb.create_sheet(table.sheet)
        for i, f in enumerate(table.fields):
            letter = _column_letter(i)
            ws.column_dimensions[letter].width = max(12, min(40, len(f.header) + 6))
        ws.freeze_panes = "A2"
        ws.append([styled(ws, f.header, bold, header_fill, f.help) for f in table.fields])
    return wb


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _type_words(f: Field) -> str:
    return {
        "int": "geheel getal",
        "float": "getal",
        "date": "datum JJJJ-MM-DD",
        "ref": "id",
        "refs": "ids, gescheiden door komma's",
    }.get(f.type, "tekst")
