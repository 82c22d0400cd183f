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

Every file and folder the tool writes goes through :func:`replacing`, the one home of
three rules:

- **Nothing of a person's own is replaced.** A place may be written when it is free,
  or holds what the tool writes there (:class:`Output`): a workbook where a workbook
  goes, a folder holding only a workbook's ``.csv`` files, a page the tool made.
  Anything else is :class:`loaders.errors.WouldOverwrite`, naming the place.
- **Files get the usual mode.** A new file gets what the umask gives (as with
  ``open()``); a file or folder that is replaced keeps the mode it had.
- **An interrupted write is undone by the next one.** The copy is made in a folder
  beside the place (``.NAME.versterkt-PID-...``); a folder that is replaced waits in
  it until the new one is in place. :func:`recover`, run before every write and every
  read of a workbook, removes what a stopped process left and puts a folder back
  that a stop took away. Errors always name the place, never the copy.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import html
import io
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import SystemMap, schema
from graph.errors import Count, Text, said
from graph.progress import report
from graph.schema import Field, Table
from loaders.errors import CannotWrite, LoadError, WorkbookInvalid, WouldOverwrite

if TYPE_CHECKING:
    import pandas as pd

#: The task :func:`write_xlsx` reports (:mod:`graph.progress`): a step per sheet, then
#: saving the file.
WRITING = "writing the workbook"

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


class InertCsvWriter:
    """A :func:`csv.writer` whose text cells are all inert (:func:`inert_text`): what
    every csv writer of the tool writes through."""

    def __init__(self, fh: Any, **options: Any) -> None:
        self._writer = csv.writer(fh, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([inert_text(c) if isinstance(c, str) else c for c in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


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
    """Write every table of ``m`` as ``folder/<sheet>.csv``; returns the files written.

    The folder is made whole beside its place and then takes it: a folder that held a
    workbook's ``.csv`` files before holds the new ones, all of them or none.
    """
    out = Path(folder)
    texts = {table.sheet: _csv_text(m, table, out) for table in schema.TABLES.values()}
    with replacing(out, WORKBOOK_FOLDER) as copy:
        copy.mkdir()
        for sheet, text in texts.items():
            (copy / f"{sheet}.csv").write_bytes(text.encode(encoding))
    return [out / f"{sheet}.csv" for sheet in texts]


def _csv_text(m: SystemMap, table: Table, folder: Path) -> str:
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(table.headers)
    where = str(folder / f"{table.sheet}.csv")
    for number, row in enumerate(table_rows(m, table), start=2):
        cells = [text_cell(v) for v in row]
        for f, cell in zip(table.fields, cells, strict=True):
            _check_length(cell, where, number, f.header)
        w.writerow([inert_text(c) for c in cells])
    return buffer.getvalue()


def _check_length(text: str, where: str, row: int | None, column: str | None) -> None:
    if len(text) > MAX_CELL_CHARS:
        raise CannotWrite(
            LoadError(
                where,
                row,
                column,
                said("write.too_long", n=Count(len(text)), most=Count(MAX_CELL_CHARS)),
            )
        )


# --- where a write may go, and what it leaves ----------------------------------------------


@dataclass(frozen=True)
class Output:
    """What the tool writes at a place, and how it knows its own work there.

    ``what`` names it for a message ("a workbook"); ``folder`` says whether it is a
    folder of files; ``ours`` tells whether a file already there (for a folder: each
    file in it) is one the tool writes at that place, and so may be replaced.
    """

    what: Text
    folder: bool
    ours: Callable[[Path], bool]


#: Names some systems put in every folder they open; a folder may hold them.
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# The tool's copies beside a place: .NAME.versterkt-PID-TOKEN
_SCRATCH_MARK = ".versterkt-"
_SCRATCH_REST = re.compile(r"(?P<pid>[0-9]+)-[A-Za-z0-9_]+")
# The place's old folder while the new one takes its place, inside the copy's folder.
_OLD = ".old"
# Copies this process is writing now: never taken for leftovers.
_ACTIVE: set[Path] = set()


def xlsx_sheets(path: Path) -> list[str] | None:
    """The names of the sheets of the ``.xlsx`` file ``path``, lowercased and stripped
    as the loader reads them; ``None`` for a file that is not an ``.xlsx`` workbook.

    Read from the workbook's index alone, without loading a sheet.
    """
    try:
        with zipfile.ZipFile(path) as z, z.open("xl/workbook.xml") as fh:
            index = fh.read(_MAX_INDEX_BYTES).decode("utf-8", errors="replace")
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    names = re.findall(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"", index)
    return [html.unescape(n).strip().lower() for n in names]


# Enough of a workbook's index for the names of its sheets.
_MAX_INDEX_BYTES = 1_000_000


def is_workbook_file(path: Path) -> bool:
    """Whether ``path`` is an ``.xlsx`` workbook of the schema (one of its sheets is a
    table of the map): a workbook the tool writes, changed or not since."""
    sheets = xlsx_sheets(path)
    return sheets is not None and any(t.sheet in sheets for t in schema.TABLES.values())


def is_workbook_csv(path: Path) -> bool:
    """Whether ``path`` is a table of a workbook folder (``<sheet>.csv``)."""
    return (
        path.suffix.lower() == ".csv"
        and path.stem.strip().lower() in {t.sheet for t in schema.TABLES.values()}
        and path.is_file()
    )


def _is_empty_workbook(path: Path) -> bool:
    """Whether ``path`` is a workbook of the schema with nothing under the headers (a
    template as :func:`write_template` writes it)."""
    if not is_workbook_file(path):
        return False
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a file openpyxl cannot read is no template
        return False
    try:
        for ws in wb.worksheets:
            if ws.title.strip().lower() == "uitleg":
                continue
            for row in ws.iter_rows(min_row=2, values_only=True):
                if any(v not in (None, "") for v in row):
                    return False
    finally:
        wb.close()
    return True


def file_start(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of the file ``path`` (none when it cannot be read)."""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def _starts_with(path: Path, marks: tuple[bytes, ...]) -> bool:
    """Whether the start of the file ``path`` holds every one of ``marks``."""
    start = file_start(path)
    return bool(start) and all(mark in start for mark in marks)


def is_page(path: Path) -> bool:
    """Whether ``path`` is a page the tool wrote (its head names versterkt as generator)."""
    return _starts_with(path, (b'<meta name="generator" content="versterkt">',))


def is_svg(path: Path) -> bool:
    """Whether ``path`` is an SVG picture."""
    return _starts_with(path, (b"<svg",))


#: A page of the map or a chart: one ``.html`` file.
PAGE = Output(said("write.what.page"), False, is_page)
#: A picture (the stellingen as SVG).
PICTURE = Output(said("write.what.picture"), False, is_svg)


def write_page(path: str | Path, text: str, output: Output = PAGE) -> Path:
    """Write the page ``text`` to ``path`` in one step, in the place of nothing but a
    page the tool wrote (see :func:`replacing`); returns the path."""
    out = Path(path)
    replace_file(out, text.encode("utf-8"), output)
    return out


#: A workbook in one ``.xlsx`` file.
WORKBOOK_FILE = Output(said("write.what.workbook"), False, is_workbook_file)
#: A workbook as a folder of ``.csv`` files.
WORKBOOK_FOLDER = Output(said("write.what.workbook"), True, is_workbook_csv)
#: The empty workbook of :func:`write_template`: it never takes the place of data.
TEMPLATE = Output(said("write.what.template"), False, _is_empty_workbook)


def workbook_output(path: Path) -> Output:
    """What a workbook at ``path`` is: an ``.xlsx`` file, or else a folder of ``.csv``."""
    return WORKBOOK_FILE if path.suffix.lower() == ".xlsx" else WORKBOOK_FOLDER


def check_output(path: str | Path, output: Output) -> None:
    """Raise unless ``output`` may be written at ``path``: the place is free, or holds
    what the tool writes there (see :class:`Output`).

    A file where a folder goes, or a folder where a file goes, is an OSError naming
    the place; a person's own file or folder is :class:`WouldOverwrite`.
    """
    target = Path(path)
    if not target.exists():
        return
    if output.folder:
        if not target.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(target))
        foreign = sorted(
            entry.name + ("/" if entry.is_dir() else "")
            for entry in target.iterdir()
            if entry.name not in SYSTEM_FILES and not output.ours(entry)
        )
        if foreign:
            listed = ", ".join(foreign[:3])
            shown = (
                said("write.and_more", listed=listed, n=len(foreign) - 3)
                if len(foreign) > 3
                else listed
            )
            raise WouldOverwrite(
                said("write.foreign_files", target=str(target), shown=shown, what=output.what)
            )
        return
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(target))
    if not output.ours(target):
        raise WouldOverwrite(said("write.foreign_file", target=str(target), what=output.what))


@contextlib.contextmanager
def replacing(path: str | Path, output: Output | None = None) -> Iterator[Path]:
    """Write something in the place of ``path``, all of it or nothing.

    Yields a path with the same name in a folder beside ``path``; what the block
    writes there (a file, or a folder) takes the place of ``path`` when the block
    ends, keeping the mode of what it replaces. ``output`` is what may be replaced
    (:func:`check_output`); without it, anything but a folder. When the block
    fails, ``path`` is as it was, and the error names ``path``, never the copy.
    """
    shown = Path(path)
    target = Path(os.path.abspath(shown))  # "." and "..": the folder they name
    recover(target)
    check_output(shown, output or Output(said("write.what.file"), False, lambda _: True))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{target.name}{_SCRATCH_MARK}{os.getpid()}-"
        scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    except OSError as e:
        raise OSError(e.errno, e.strerror, str(shown)) from e
    _ACTIVE.add(scratch)
    try:
        copy = scratch / target.name
        with _named_as(copy, shown):
            yield copy
            _put_in_place(copy, target, scratch / _OLD)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        _ACTIVE.discard(scratch)


def _put_in_place(new: Path, target: Path, old: Path) -> None:
    """Move ``new`` to ``target``; a folder at ``target`` waits at ``old`` meanwhile."""
    if not new.is_dir():
        with contextlib.suppress(FileNotFoundError):
            os.chmod(new, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(new, target)
        return
    if not target.exists():
        os.rename(new, target)
        return
    if os.path.samefile(target, os.getcwd()) or os.path.ismount(target):
        # a folder someone works in, or a disk: its files are replaced, not the folder
        # (a folder in it is what was there: a change writes only files)
        for entry in new.iterdir():
            if not entry.is_dir():
                os.replace(entry, target / entry.name)
        return
    os.chmod(new, stat.S_IMODE(os.stat(target).st_mode))
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise


@contextlib.contextmanager
def _named_as(copy: Path, target: Path) -> Iterator[None]:
    """Errors raised in the block that name ``copy`` name ``target`` instead."""
    try:
        yield
    except OSError as e:
        if e.filename is None or str(e.filename).startswith(str(copy.parent)):
            name = _moved_path(str(e.filename or copy), copy, target)
            raise OSError(e.errno, e.strerror, name) from e
        raise
    except CannotWrite as e:
        where = _moved_path(e.error.path, copy, target)
        raise CannotWrite(LoadError(where, e.error.row, e.error.column, e.error.message)) from None
    except WorkbookInvalid as e:
        raise WorkbookInvalid(
            LoadError(_moved_path(x.path, copy, target), x.row, x.column, x.message)
            for x in e.errors
        ) from None


def _moved_path(path: str, copy: Path, target: Path) -> str:
    """``path`` under ``copy`` as the same path under ``target``; the copy's folder
    itself as ``target``."""
    if path.startswith(str(copy)):
        return str(target) + path[len(str(copy)) :]
    if path.startswith(str(copy.parent)):
        return str(target)
    return path


def recover(path: str | Path) -> None:
    """Undo what a stopped write to ``path`` left beside it.

    A copy a process left (one that stopped, or an earlier write of this process that
    did not finish) is removed; when ``path`` itself is gone because a stop came just
    after its folder was moved aside, that folder is put back first (also from the
    ``.NAME.old.XXXXXXXX`` folder that versions before this one left). Copies that a
    running write is using are left alone.
    """
    target = Path(os.path.abspath(path))
    prefix = f".{target.name}{_SCRATCH_MARK}"
    try:
        entries = [e for e in os.scandir(target.parent) if e.name.startswith(f".{target.name}.")]
    except OSError:
        return
    for entry in entries:
        found = _SCRATCH_REST.fullmatch(entry.name[len(prefix) :])
        leftover = Path(entry.path)
        if not entry.name.startswith(prefix) or found is None:
            continue
        if leftover in _ACTIVE or _running(int(found["pid"])):
            continue
        old = leftover / _OLD
        if not os.path.lexists(target) and old.is_dir():
            os.rename(old, target)
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    if not os.path.lexists(target):
        earlier = [
            e.path for e in entries if _EARLIER_OLD.fullmatch(e.name[len(target.name) + 1 :])
        ]
        if len(earlier) == 1 and os.path.isdir(earlier[0]):
            os.rename(earlier[0], target)


# The folder moved aside by the versions before this one: .NAME.old.XXXXXXXX
_EARLIER_OLD = re.compile(r"\.old\.[a-z0-9_]{8}")


def _running(pid: int) -> bool:
    """Whether another process with id ``pid`` runs (this one's leftovers are not in
    use unless listed as such)."""
    if pid == os.getpid():
        return False
    if os.name == "nt":  # no harmless signal to ask with: another process's copy stays
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def replace_file(path: Path, data: bytes, output: Output | None = None) -> None:
    """Write ``data`` to ``path`` in one step (see :func:`replacing`)."""
    with replacing(path, output) as copy:
        copy.write_bytes(data)


def save_workbook(wb: Any, path: str | Path, output: Output = WORKBOOK_FILE) -> Path:
    """Save an openpyxl workbook to ``path`` in one step (see :func:`replacing`)."""
    out = Path(path)
    with replacing(out, output) as copy:
        wb.save(copy)
    return out


def write_xlsx(m: SystemMap, path: str | Path) -> Path:
    """Write ``m`` as one ``.xlsx`` workbook with a sheet per table and an explanation.

    The sheets are written row by row as they are made (openpyxl's write-only mode), so
    the time grows with the size of the map and no more.
    """
    out = Path(path)
    check_output(out, WORKBOOK_FILE)
    wb = _workbook_with_sheets(write_only=True)
    try:
        _write_tables(m, wb, str(out))
        report(WRITING, len(schema.TABLES), len(schema.TABLES) + 1)
        saved = save_workbook(wb, out)
        report(WRITING, len(schema.TABLES) + 1, len(schema.TABLES) + 1)
        return saved
    except BaseException:
        _discard(wb)  # a workbook not saved: its sheets' temporary files go
        raise


def _write_tables(m: SystemMap, wb: Any, path: str) -> None:
    from openpyxl.cell import WriteOnlyCell

    sheets = {ws.title: ws for ws in wb.worksheets}
    for done, table in enumerate(schema.TABLES.values()):
        report(WRITING, done, len(schema.TABLES) + 1)  # the last step is saving
        ws = sheets[table.sheet]
        where = f"{path}[{table.sheet}]"
        fields = table.fields
        for number, row in enumerate(table_rows(m, table), start=2):
            cells: list[Any] = []
            for f, value in zip(fields, row, strict=True):
                if isinstance(value, str):
                    check_xlsx_text(value, where, number, f.header)
                    if value.startswith(FORMULA_STARTS):
                        value = keep_text(WriteOnlyCell(ws, value))
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


def check_xlsx_text(value: str, where: str, row: int | None, column: str | None) -> None:
    """Raise :class:`CannotWrite` naming the cell unless ``value`` fits in an ``.xlsx``
    cell: at most :data:`MAX_CELL_CHARS` characters and no control character.

    The one rule of every ``.xlsx`` writer: such a text is refused, never cut or
    changed, so that what is written is what was given.
    """
    _check_length(value, where, row, column)
    bad = _CONTROL.search(value)
    if bad:
        raise CannotWrite(
            LoadError(
                where,
                row,
                column,
                said(
                    "write.control_xlsx",
                    code=f"U+{ord(bad.group()):04X}",
                    position=bad.start() + 1,
                ),
            )
        )


def keep_text(cell: Any) -> Any:
    """Mark an openpyxl cell holding text a spreadsheet would run as text, which stays
    text when edited; returns the cell."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True  # and still text after an edit
    return cell


def set_cell(cell: Any, value: Any, path: str) -> None:
    """Put ``value`` in a cell of the ``.xlsx`` file written at ``path``: checked
    (:func:`check_xlsx_text`, naming ``path[sheet]:row:header``) and inert
    (:func:`keep_text`)."""
    if isinstance(value, str):
        header = cell.parent.cell(row=1, column=cell.column).value
        where = f"{path}[{cell.parent.title}]"
        check_xlsx_text(value, where, cell.row, str(header or cell.column_letter))
    cell.value = value
    keep_text(cell)


def append_row(ws: Any, values: list[Any], path: str) -> None:
    """Append a row of values to a sheet of the ``.xlsx`` file written at ``path``,
    each cell checked and inert (see :func:`set_cell`)."""
    row = ws.max_row + 1
    for column, value in enumerate(values, start=1):
        set_cell(ws.cell(row=row, column=column), value, path)


def check_xml_text(m: SystemMap, path: str) -> None:
    """Raise :class:`CannotWrite` when the map's name, or a name or field of a node or
    link of ``m``, holds a character an XML file cannot hold (GraphML, GEXF,
    MentalModeler), naming where."""
    texts: list[tuple[str, Any]] = [("the map's name", m.name)]
    for kind, items in (("node", m.nodes()), ("link", m.links())):
        for item in items:
            named = (("name", getattr(item, "name", None)), *item.fields.items())
            texts.extend((f"{kind} {item.id!r}, {field}", value) for field, value in named)
    for where, value in texts:
        bad = _CONTROL.search(value) if isinstance(value, str) else None
        if bad:
            raise CannotWrite(
                LoadError(
                    path,
                    None,
                    None,
                    f"{where}: control character U+{ord(bad.group()):04X} at position "
                    f"{bad.start() + 1}: an XML file cannot hold it; remove it first",
                )
            )


def write_template(path: str | Path, rows: int = 500) -> Path:
    """Write an empty workbook: header rows, an explanation sheet, and dropdowns for
    every field with fixed values (over the first ``rows`` rows).

    It takes the place of an empty workbook only, never of one holding data.
    """
    check_output(Path(path), TEMPLATE)
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
    return save_workbook(wb, path, TEMPLATE)


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
