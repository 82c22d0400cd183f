"""Writing a SystemMap back to a workbook, and the empty workbook template.

Writing a map and reading it again gives the same map: every table of the schema is
written, in the schema's column order, with the same Dutch headers the loader reads.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph import SystemMap, schema
from graph.schema import Field, Table


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
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in schema.TABLES.values():
        path = out / f"{table.sheet}.csv"
        with path.open("w", encoding=encoding, newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(table.headers)
            for row in table_rows(m, table):
                w.writerow([text_cell(v) for v in row])
        written.append(path)
    return written


def write_xlsx(m: SystemMap, path: str | Path) -> Path:
    """Write ``m`` as one ``.xlsx`` workbook with a sheet per table and an explanation."""
    wb = _workbook_with_sheets()
    for table in schema.TABLES.values():
        ws = wb[table.sheet]
        for row in table_rows(m, table):
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
        for i, f in enumerate(table.fields, start=1):
            if f.type == "date":
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = "yyyy-mm-dd"
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


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
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _workbook_with_sheets() -> Any:
    """A new workbook: the explanation sheet, then one sheet per table with headers."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    guide = wb.worksheets[0]  # the one sheet a new workbook has
    guide.title = "uitleg"
    guide.append(["Werkboek voor versterkt"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append(
        [
            "Eén blad per tabel. De eerste regel bevat de kolomnamen; verander die niet. "
            "Lege regels mogen. Geen namen, e-mailadressen of telefoonnummers van "
            "deelnemers: citaten horen bij een groep, nooit bij een persoon."
        ]
    )
    guide.append([])
    guide.append(["blad", "kolom", "verplicht", "waarden", "uitleg"])
    for cell in guide[4]:
        cell.font = Font(bold=True)
    for table in schema.TABLES.values():
        guide.append([table.sheet, "", "", "", table.help])
        guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
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
        ws.append(list(table.headers))
        for i, f in enumerate(table.fields, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            if f.help:
                cell.comment = Comment(f.help, "versterkt")
            ws.column_dimensions[cell.column_letter].width = max(12, min(40, len(f.header) + 6))
        ws.freeze_panes = "A2"
    return wb


def _type_words(f: Field) -> str:
    return {
        "int": "geheel getal",
        "float": "getal",
        "date": "datum JJJJ-MM-DD",
        "ref": "id",
        "refs": "ids, gescheiden door komma's",
    }.get(f.type, "tekst")
