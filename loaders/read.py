"""Reading a workbook's raw tables: every cell as text, every row with its number.

A workbook is an ``.xlsx`` file with one sheet per table, or a folder of ``.csv``
files named after the sheets (``actoren.csv``, ``relaties.csv``...). CSV files may be
UTF-8 with or without a byte-order mark, or the Windows-1252 that Excel writes, and
separated by commas or by the semicolons of a Dutch Excel.

Reading is bounded, so that no file, however it is made, takes more than seconds and
a few hundred MB: a file is at most :data:`MAX_FILE_BYTES`; an ``.xlsx`` file may
unpack to at most :data:`MAX_RATIO` times its size (at least
:data:`MIN_UNPACKED_BYTES`), whatever dimension its sheets declare; a sheet has at
most :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns, a cell at most
:data:`loaders.write.MAX_CELL_CHARS` characters; only regular files are read (never a
pipe or a device). Nothing is lost without a word: each limit, two sheets or files
whose names differ only in case or spaces, a csv that mixes encodings or is UTF-16,
and a formula without a saved value is an error with its position.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import Count, CsvEncodingError, os_reason, said
from loaders.errors import LoadError, WorkbookInvalid
from loaders.write import ESCAPE, MAX_CELL_CHARS, restore_text

#: Sheets a workbook may have besides the tables: the template's explanation.
IGNORED_SHEETS = ("uitleg", "explanation")

#: The largest file read: an ``.xlsx`` file, or one ``.csv`` file of a folder.
MAX_FILE_BYTES = 50 * 2**20
#: How many times its size an ``.xlsx`` file may unpack to; a file a person made
#: stays far below (text compresses some ten times).
MAX_RATIO = 100
#: What any ``.xlsx`` file may unpack to, however small.
MIN_UNPACKED_BYTES = 5 * 2**20
#: The most rows of a sheet (Excel's own limit) and columns (far more than a table has).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 200


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
    #: Sheets there that could not be read at all (their errors are in ``errors``).
    unread: set[str] = field(default_factory=set)


def read_workbook(path: str | Path) -> RawWorkbook:
    """Read an ``.xlsx`` file or a folder of ``.csv`` files into raw tables."""
    p = Path(path)
    if _READ_AHEAD:
        key = _signature(p)
        if key in _READ_AHEAD:
            return _READ_AHEAD.pop(key)
    return _read_workbook(p)


def _read_workbook(p: Path) -> RawWorkbook:
    if p.is_dir():
        return _read_csv_folder(p)
    if not p.exists():
        return RawWorkbook(str(p), {}, [LoadError(str(p), None, None, said("read.no_such"))])
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    return RawWorkbook(
        str(p),
        {},
        [LoadError(str(p), None, None, said("read.not_a_workbook"))],
    )


def declared_lang(path: str | Path) -> str | None:
    """The language the workbook's ``kaart`` sheet names in its ``taal`` column (``nl``
    or ``en``); None when it names none or the workbook cannot be read (loading it
    then says why).

    The workbook is read whole, as loading it reads it: the next
    :func:`read_workbook` of the same unchanged workbook takes what was read here,
    so a command that asks for the language first reads its workbook once.
    """
    from graph.catalogue import LANGS
    from graph.schema import TABLES

    p = Path(path)
    raw = _read_workbook(p)
    _READ_AHEAD.clear()
    key = _signature(p)
    if key is not None:
        _READ_AHEAD[key] = raw
    table = TABLES["map"]
    kaart = raw.tables.get(table.sheet)
    if kaart is None or len(kaart.rows) != 1:
        return None
    headers = [h.lower() for h in kaart.headers]
    header = table.field("lang").header
    cells = kaart.rows[0][1]
    column = headers.index(header) if header in headers else len(cells)
    value = cells[column].lower() if column < len(cells) else ""
    return value if value in LANGS else None


#: The workbook :func:`declared_lang` read last, by :func:`_signature`, for the
#: :func:`read_workbook` that follows; at most one.
_READ_AHEAD: dict[tuple[Any, ...], RawWorkbook] = {}


def _signature(p: Path) -> tuple[Any, ...] | None:
    """What tells whether a workbook changed: the path and, of the file or of each csv
    file of the folder, its size and time of change; None if it cannot be read."""
    try:
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.suffix.lower() == ".csv")
            stats = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
            return (str(p.resolve()), stats)
        info = p.stat()
        return (str(p.resolve()), info.st_mtime_ns, info.st_size)
    except OSError:
        return None


class _Refused(Exception):
    """A file or a sheet that is not read, with the error that says why."""

    def __init__(self, error: LoadError) -> None:
        self.error = error


def read_file(path: str | Path) -> bytes:
    """The bytes of the regular file ``path``, at most :data:`MAX_FILE_BYTES` of them;
    :class:`~loaders.errors.WorkbookInvalid` naming the file else."""
    try:
        return _read_file(Path(path))
    except _Refused as e:
        raise WorkbookInvalid([e.error]) from None


def read_xlsx_file(path: str | Path) -> bytes:
    """The bytes of the ``.xlsx`` file ``path``, once :func:`read_file`'s checks and the
    check of what it unpacks to have passed; :class:`~loaders.errors.WorkbookInvalid`
    naming the file else."""
    p = Path(path)
    try:
        data = _read_file(p)
        _check_unpacked(p, data)
    except _Refused as e:
        raise WorkbookInvalid([e.error]) from None
    return data


def _read_file(p: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; :class:`_Refused` else.

    The file is opened without waiting, so a pipe or a device is refused, never read.
    """
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise _Refused(
            LoadError(str(p), None, None, said("read.cannot", error=os_reason(e)))
        ) from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(LoadError(str(p), None, None, said("read.not_regular")))
        too_big = LoadError(str(p), None, None, said("read.too_big", mb=MAX_FILE_BYTES // 2**20))
        if info.st_size > MAX_FILE_BYTES:
            raise _Refused(too_big)
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # it grew while it was read
            raise _Refused(too_big)
        return data
    except OSError as e:
        raise _Refused(
            LoadError(str(p), None, None, said("read.cannot", error=os_reason(e)))
        ) from e
    finally:
        os.close(fd)


def _text(value: object) -> str:
    """A cell value as the text a person sees."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
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
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return str(int(value))
    return str(value).strip()


def _table(
    sheet: str, path: str, rows: Iterable[tuple[int, list[str]]], errors: list[LoadError]
) -> RawTable:
    """A raw table of numbered rows: the first is the header; blank rows are left out;
    cells longer than a spreadsheet holds are errors."""
    table = RawTable(sheet, path, [])
    first = True
    for number, cells in rows:
        cells = [c.strip() for c in cells]
        too_long = max(map(len, cells), default=0) > MAX_CELL_CHARS
        for i, cell in enumerate(cells if too_long else ()):
            if len(cell) > MAX_CELL_CHARS:
                header = table.headers[i] if i < len(table.headers) and table.headers[i] else None
                errors.append(
                    LoadError(
                        path,
                        number,
                        header or column_letter(i),
                        said("read.long_cell", n=Count(len(cell)), most=Count(MAX_CELL_CHARS)),
                    )
                )
                cells[i] = ""
        if first:
            first = False
            headers = cells
            while headers and not headers[-1]:
                headers.pop()
            table.headers = headers
            continue
        if not any(cells):
            continue  # blank rows are allowed anywhere
        cells = (cells + [""] * len(table.headers))[: max(len(table.headers), len(cells))]
        table.rows.append((number, cells))
    return table


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA).

    >>> column_letter(0), column_letter(26), column_letter(MAX_COLUMNS)
    ('A', 'AA', 'GS')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Sheets:
    """Sheet and file names seen so far: two that differ only in case or spaces
    would be the same table, and one of them would be lost."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def duplicate(self, key: str, name: str, where: str) -> LoadError | None:
        if key in self.seen:
            return LoadError(
                where,
                None,
                None,
                said("read.same_sheet", name=name, other=self.seen[key]),
            )
        self.seen[key] = name
        return None


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _read_xlsx(p: Path) -> RawWorkbook:
    import openpyxl  # imported here: reading csv folders needs no Excel library

    try:
        data = _read_file(p)
        formulas = _check_unpacked(p, data)
    except _Refused as refused:
        return RawWorkbook(str(p), {}, [refused.error])
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        return RawWorkbook(
            str(p), {}, [LoadError(str(p), None, None, said("read.cannot", error=str(e)))]
        )
    tables: dict[str, RawTable] = {}
    errors: list[LoadError] = []
    names = _Sheets()
    cells: dict[str, dict[int, list[str]]] = {}
    sheets: dict[str, Any] = {}
    try:
        for ws in wb.worksheets:
            sheet = ws.title.strip().lower()
            if sheet in IGNORED_SHEETS:
                continue
            where = f"{p}[{ws.title}]"
            duplicate = names.duplicate(sheet, ws.title, where)
            if duplicate:
                errors.append(duplicate)
                continue
            rows = dict(_sheet_rows(ws, where, errors))
            cells[ws.title], sheets[ws.title] = rows, ws
            tables[sheet] = _table(sheet, where, rows.items(), errors)
        if formulas:
            errors += _formulas_without_values(cells, sheets, tables)
    except Exception as e:  # a damaged sheet: openpyxl and the XML parser raise many kinds
        errors.append(LoadError(str(p), None, None, said("read.cannot", error=str(e))))
    finally:
        wb.close()
    return RawWorkbook(str(p), tables, errors)


def _check_unpacked(p: Path, data: bytes) -> bool:
    """Refuse an .xlsx file that unpacks to more than it may; whether it has formulas."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        error = LoadError(str(p), None, None, said("read.not_xlsx", error=str(e)))
        raise _Refused(error) from e
    unpacked = sum(m.file_size for m in members)
    allowed = max(MIN_UNPACKED_BYTES, MAX_RATIO * len(data))
    if unpacked > allowed:
        raise _Refused(
            LoadError(
                str(p),
                None,
                None,
                said(
                    "read.unpacks",
                    mb=f"{unpacked / 2**20:,.0f}",
                    kb=f"{len(data) / 2**10:,.0f}",
                    allowed=f"{allowed / 2**20:,.0f}",
                ),
            )
        )
    try:
        return any(
            _FORMULA_TAG.search(archive.read(m))
            for m in members
            if m.filename.startswith("xl/worksheets/")
        )
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:
        raise _Refused(LoadError(str(p), None, None, said("read.cannot", error=str(e)))) from e


def _parsed_rows(ws: Any, data_only: bool) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The rows of a sheet as stored: (row number, its cells), only the cells there are.

    openpyxl's own row iterator pads every row to the dimension the sheet declares
    (``A1:XFD1048576`` is 16,384 cells a row), so its parser is used directly.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        yield from parser.parse()


def _sheet_rows(ws: Any, where: str, errors: list[LoadError]) -> Iterator[tuple[int, list[str]]]:
    """The numbered rows of a sheet, as text, within MAX_ROWS and MAX_COLUMNS."""
    beyond = False
    for number, cells in _parsed_rows(ws, data_only=True):
        if number > MAX_ROWS:
            errors.append(LoadError(where, number, None, said("read.rows", most=Count(MAX_ROWS))))
            return
        values: dict[int, Any] = {}
        for cell in cells:
            if cell["value"] is None:
                continue
            if cell["column"] > MAX_COLUMNS:
                if not beyond:
                    errors.append(
                        LoadError(
                            where,
                            number,
                            None,
                            said(
                                "read.beyond_sheet",
                                column=column_letter(MAX_COLUMNS - 1),
                                most=MAX_COLUMNS,
                            ),
                        )
                    )
                beyond = True
                continue
            values[cell["column"]] = cell["value"]
        if values:
            row = [""] * max(values)
            for column, value in values.items():
                row[column - 1] = _text(value)
            yield number, row


def _formulas_without_values(
    cells: dict[str, dict[int, list[str]]], sheets: dict[str, Any], tables: dict[str, RawTable]
) -> list[LoadError]:
    """A formula whose result was never saved reads as empty: report each one."""
    errors = []
    for title, ws in sheets.items():
        table = tables[title.strip().lower()]
        seen = cells[title]
        for number, parsed in _parsed_rows(ws, data_only=False):
            if number > MAX_ROWS:
                break
            for cell in parsed:
                i = cell["column"] - 1
                if cell["data_type"] != "f" or i >= MAX_COLUMNS:
                    continue
                row = seen.get(number, [])
                if i < len(row) and row[i]:
                    continue  # its saved value was read
                header = table.headers[i] if i < len(table.headers) else ""
                errors.append(
                    LoadError(
                        table.path,
                        number,
                        header or column_letter(i),
                        said("read.formula"),
                    )
                )
    return errors


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1252.

    A file that mixes the two, UTF-16 or anything else raises CsvEncodingError.

    >>> decode_csv("naam\\nBrug".encode("utf-8-sig"))
    'naam\\nBrug'
    >>> decode_csv("Geïnteresseerd".encode("cp1252"))
    'Geïnteresseerd'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        nul = data.find(b"\x00")
        raise CsvEncodingError(
            _line(data, nul) if nul >= 0 else 1,
            said("read.utf16"),
        )
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = e.start
    utf8 = _UTF8_SEQUENCE.search(data)
    if bom or utf8:
        first = _line(data, utf8.start()) if utf8 else 1
        raise CsvEncodingError(
            _line(data, bad),
            said("read.mixed", first=first),
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise CsvEncodingError(_line(data, e.start), said("read.encoding")) from e


# A character in multi-byte UTF-8 (Windows-1252 text hardly ever has these pairs).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _read_csv_folder(folder: Path) -> RawWorkbook:
    tables: dict[str, RawTable] = {}
    errors: list[LoadError] = []
    unread: set[str] = set()
    names = _Sheets()
    files = sorted(f for f in folder.iterdir() if f.suffix.lower() == ".csv")
    for f in files:
        sheet = f.stem.strip().lower()
        if sheet in IGNORED_SHEETS:
            continue
        duplicate = names.duplicate(sheet, f.name, str(f))
        if duplicate:
            errors.append(duplicate)
            continue
        try:
            text = decode_csv(_read_file(f))
        except _Refused as refused:
            errors.append(refused.error)
            unread.add(sheet)
            continue
        except CsvEncodingError as e:
            errors.append(LoadError(str(f), e.line, None, e.said))
            unread.add(sheet)
            continue
        rows = _csv_rows(text, _delimiter(text), str(f), errors)
        tables[sheet] = _table(sheet, str(f), rows, errors)
    return RawWorkbook(str(folder), tables, errors, unread)


def _delimiter(text: str) -> str:
    """``;`` when the first line of csv text has more of them than commas, else ``,``."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_rows(
    text: str, delimiter: str, where: str, errors: list[LoadError]
) -> Iterator[tuple[int, list[str]]]:
    """The numbered rows of csv text, escapes undone (see loaders.write.inert_text)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            message = str(e)
            if "field larger than field limit" in message:
                limit = Count(csv.field_size_limit())
                errors.append(
                    LoadError(
                        where,
                        number,
                        None,
                        said("read.longer_cell", n=limit, most=Count(MAX_CELL_CHARS)),
                    )
                )
                return
            errors.append(LoadError(where, number, None, message))
            return
        if number > MAX_ROWS:
            errors.append(LoadError(where, number, None, said("read.rows", most=Count(MAX_ROWS))))
            return
        if len(row) > MAX_COLUMNS:
            if any(row[MAX_COLUMNS:]):
                errors.append(
                    LoadError(
                        where,
                        number,
                        None,
                        said(
                            "read.beyond_table",
                            column=column_letter(MAX_COLUMNS - 1),
                            most=MAX_COLUMNS,
                        ),
                    )
                )
            row = row[:MAX_COLUMNS]
        # (only a cell that starts with the escape can have one to undo)
        yield number, [restore_text(cell) if cell[:1] == ESCAPE else cell for cell in row]
