"""Reading a workbook's raw tables: every cell as text, every row with its number.

A workbook is an ``.xlsx`` file with one sheet per table, or a folder of ``.csv``
files named after the sheets (``actoren.csv``, ``relaties.csv``...). CSV files may be
UTF-8 with or without a byte-order mark, or the Windows-1252 that Excel writes, and
separated by commas or by the semicolons of a Dutch Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import LoadError
from loaders.write import restore_text

#: Sheets a workbook may have besides the tables: the template's explanation.
IGNORED_SHEETS = ("uitleg", "explanation")


@dataclass
class RawTable:
    """One sheet as read: its headers and its non-blank rows, all cells as text."""

    sheet: str
    path: str
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    path: str
    tables: dict[str, RawTable]
    errors: list[LoadError]


def read_workbook(path: str | Path) -> RawWorkbook:
    """Read an ``.xlsx`` file or a folder of ``.csv`` files into raw tables."""
    p = Path(path)
    if p.is_dir():
        return _read_csv_folder(p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    if not p.exists():
        return RawWorkbook(str(p), {}, [LoadError(str(p), None, None, "no such file or folder")])
    return RawWorkbook(
        str(p),
        {},
        [LoadError(str(p), None, None, "not a workbook: give an .xlsx file or a folder of .csv")],
    )


def _text(value: object) -> str:
    """A cell value as the text a person sees."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(sheet: str, path: str, rows: list[list[str]]) -> RawTable:
    if not rows:
        return RawTable(sheet, path, [])
    headers = [h.strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    table = RawTable(sheet, path, headers)
    for number, cells in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue  # blank rows are allowed anywhere
        cells = (cells + [""] * len(headers))[: max(len(headers), len(cells))]
        table.rows.append((number, cells))
    return table


def _read_xlsx(p: Path) -> RawWorkbook:
    import openpyxl  # imported here: reading csv folders needs no Excel library

    if not p.exists():
        return RawWorkbook(str(p), {}, [LoadError(str(p), None, None, "no such file")])
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        return RawWorkbook(str(p), {}, [LoadError(str(p), None, None, f"cannot read: {e}")])
    tables: dict[str, RawTable] = {}
    try:
        for ws in wb.worksheets:
            sheet = ws.title.strip().lower()
            if sheet in IGNORED_SHEETS:
                continue
            rows = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            tables[sheet] = _table(sheet, f"{p}[{ws.title}]", rows)
    finally:
        wb.close()
    return RawWorkbook(str(p), tables, [])


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1252.

    >>> decode_csv("naam\\nBrug".encode("utf-8-sig"))
    'naam\\nBrug'
    >>> decode_csv("Geïnteresseerd".encode("cp1252"))
    'Geïnteresseerd'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv_folder(folder: Path) -> RawWorkbook:
    tables: dict[str, RawTable] = {}
    errors: list[LoadError] = []
    for f in sorted(folder.glob("*.csv")):
        sheet = f.stem.strip().lower()
        if sheet in IGNORED_SHEETS:
            continue
        try:
            text = decode_csv(f.read_bytes())
        except UnicodeDecodeError as e:
            errors.append(LoadError(str(f), None, None, f"not UTF-8 text: {e}"))
            continue
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        rows = [[restore_text(cell) for cell in row] for row in rows]
        tables[sheet] = _table(sheet, str(f), rows)
    return RawWorkbook(str(folder), tables, errors)
