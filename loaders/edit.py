"""Changing a workbook in place: all of a change, or nothing, keeping the file's form.

:func:`change_workbook` reads and validates a workbook, lets a function change the
map (an adjustment of :mod:`graph.adjust`, reviews from a form...), and writes only
what changed back into the same workbook: cells that changed in the rows they are in
(a ``ronde_uit``), new rows at the end of their sheet. Everything else stays as it was:
an ``.xlsx`` keeps its other sheets, its dropdowns, formatting, widths and the order of
its rows; a folder of ``.csv`` keeps each file's encoding (UTF-8 with or without BOM,
or Windows-1252), separator and line ends. No cell written is ever a formula.

The change goes into a copy beside the workbook, which is read back and must give
exactly the changed map; only then does it take the place of the original, keeping
its mode (:func:`loaders.write.replacing`: an ``.xlsx`` file in one atomic rename, a
folder in two, the original put back if the second fails, or by the next run when a
stop came in between). A change that is refused, or a copy that does not read back as
it should, leaves the workbook as it was. Cells written into an ``.xlsx`` are checked
and stay text (:func:`loaders.write.set_cell`), as every cell the tool writes.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from graph import MapError, SystemMap, schema
from graph.errors import MapChanged, said
from graph.schema import Table
from loaders.errors import LoadError, WorkbookInvalid
from loaders.validate import _parse as parse_cell
from loaders.write import (
    Output,
    inert_text,
    replacing,
    set_cell,
    table_rows,
    text_cell,
    write_csv_folder,
)

__all__ = [
    "SheetChange",
    "change_workbook",
    "check_map",
    "fields_from_cells",
    "read_versioned",
    "sheet_changes",
    "workbook_version",
]

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")


@dataclass
class SheetChange:
    """What changed in one sheet: cells of existing rows (by the row's id) and new rows.

    ``changed`` maps an id to the changed cells of its row, by header; ``added`` holds
    the new rows, each a mapping of header to value.
    """

    table: Table
    changed: dict[str, dict[str, Any]]
    added: list[dict[str, Any]]


def sheet_changes(before: SystemMap, after: SystemMap) -> list[SheetChange]:
    """The sheets where ``after`` differs from ``before``, and how.

    ``after`` must be ``before`` with rows added and cells of existing rows changed, as
    the operations of the adjust step leave it: nothing removed, nothing reordered.
    """
    out = []
    for table in schema.TABLES.values():
        old = list(table_rows(before, table))
        new = list(table_rows(after, table))
        headers = table.headers
        if len(new) < len(old):
            raise MapError(said("edit.rows_removed", sheet=table.sheet))
        changed: dict[str, dict[str, Any]] = {}
        for was, now in zip(old, new, strict=False):
            if was == now:
                continue
            if "id" not in [f.name for f in table.fields] or was[0] != now[0]:
                raise MapError(said("edit.key_changed", sheet=table.sheet))
            changed[str(now[0])] = {
                h: v for h, a, v in zip(headers, was, now, strict=True) if a != v
            }
        added = [dict(zip(headers, row, strict=True)) for row in new[len(old) :]]
        if changed or added:
            out.append(SheetChange(table, changed, added))
    return out


def workbook_version(path: str | Path) -> str:
    """The version of the workbook at ``path`` as it is on disk now: a fingerprint of
    its files, which changes whenever any of them does."""
    target = Path(path)
    digest = hashlib.sha256()
    files = sorted(f for f in target.rglob("*") if f.is_file()) if target.is_dir() else [target]
    for file in files:
        digest.update(str(file.relative_to(target) if target.is_dir() else "").encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def read_versioned(path: str | Path) -> tuple[SystemMap, str]:
    """The map of the workbook at ``path`` and the version it was read at (the
    workbook did not change while it was read)."""
    from loaders import load_map

    target = Path(path)
    for _ in range(5):
        first = workbook_version(target) if target.exists() else None
        m = load_map(target)  # a folder a stopped change took away is put back first
        read = workbook_version(target)
        if read == first:
            return m, read
    raise MapChanged(said("edit.kept_changing", path=str(target)))


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[None]:
    """Hold the lock on the folder the workbook is in: one change is written at a time."""
    if fcntl is None:  # no such locks here: the version is still checked
        yield
        return
    fd = os.open(os.path.abspath(target.parent), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and the lock with it


def change_workbook(
    path: str | Path, change: Callable[[SystemMap], T], *, version: str | None = None
) -> T:
    """Apply ``change`` to the map of the workbook at ``path`` and write it back in place.

    ``change`` gets the map read from the workbook and changes it (raising leaves the
    workbook alone); its result is returned once the workbook holds the change. The
    change is made on the version read (with ``version``, a :func:`workbook_version`
    read before, on that one): when the workbook was written by someone else since,
    :class:`graph.errors.MapChanged` and nothing is written, so that two changes to
    one workbook never overwrite each other.
    """
    from loaders import load_map

    target = Path(path)
    before, read = read_versioned(target)
    if version is not None and read != version:
        raise _changed(target)
    after = copy.deepcopy(before)
    result = change(after)
    changes = sheet_changes(before, after)
    if not changes:
        return result
    # the workbook itself: everything in it is kept, so anything may be there
    whole = Output(said("cycle.where.workbook"), target.is_dir(), lambda _: True)
    with _writing(target), replacing(target, whole) as copy_path:  # the same name
        if workbook_version(target) != read:
            raise _changed(target)
        if target.is_dir():
            shutil.copytree(target, copy_path)
            for sheet in changes:
                _change_csv(copy_path, sheet)
        else:
            shutil.copy2(target, copy_path)
            _change_xlsx(copy_path, changes, str(target))
        if load_map(copy_path) != after:
            raise MapError(said("edit.not_read_back", path=str(target)))
    return result


def _changed(target: Path) -> MapChanged:
    return MapChanged(
        f"{target} was changed by someone else since it was read; nothing was written: "
        "make the change again on the workbook as it is now"
    )


# --- .xlsx --------------------------------------------------------------------------------


def _change_xlsx(path: Path, changes: list[SheetChange], shown: str) -> None:
    """Write ``changes`` into the ``.xlsx`` file ``path``; errors name the workbook as
    ``shown``."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for sheet in changes:
        ws = next((w for w in wb.worksheets if w.title.strip().lower() == sheet.table.sheet), None)
        if ws is None:
            ws = wb.create_sheet(sheet.table.sheet)
            ws.append(list(sheet.table.headers))
        columns = _xlsx_columns(ws, sheet)
        rows = _last_row(ws)
        if sheet.changed:
            id_column = columns["id"]
            for row in range(2, rows + 1):
                key = ws.cell(row=row, column=id_column).value
                cells = sheet.changed.get(str(key).strip()) if key is not None else None
                for header, value in (cells or {}).items():
                    set_cell(ws.cell(row=row, column=columns[header]), value, shown)
        for offset, new in enumerate(sheet.added, start=1):
            for header, value in new.items():
                if value is not None:
                    set_cell(ws.cell(row=rows + offset, column=columns[header]), value, shown)
    wb.save(path)


def _xlsx_columns(ws: Any, sheet: SheetChange) -> dict[str, int]:
    """Header -> column number, adding a header the sheet lacks but a change fills."""
    columns: dict[str, int] = {}
    last = 0
    for cell in ws[1]:
        if cell.value not in (None, ""):
            columns.setdefault(str(cell.value).strip().lower(), cell.column)
            last = max(last, cell.column)
    for header in _filled(sheet):
        if header not in columns:
            last += 1
            ws.cell(row=1, column=last, value=header)
            columns[header] = last
    return columns


def _filled(sheet: SheetChange) -> Iterator[str]:
    for cells in (*sheet.changed.values(), *sheet.added):
        for header, value in cells.items():
            if value is not None or header == "id":
                yield header
    if sheet.changed:
        yield "id"


def _last_row(ws: Any) -> int:
    """The last row with a value (formatting alone does not count)."""
    for row in range(ws.max_row, 1, -1):
        if any(cell.value not in (None, "") for cell in ws[row]):
            return row
    return 1


# --- a folder of .csv ---------------------------------------------------------------------


def _change_csv(folder: Path, sheet: SheetChange) -> None:
    path = folder / f"{sheet.table.sheet}.csv"
    encoding, delimiter, newline = "utf-8", ",", "\n"
    rows: list[list[str]] = [list(sheet.table.headers)]
    if path.exists():
        data = path.read_bytes()
        encoding = _encoding(data)
        text = data.decode(encoding)
        newline = "\r\n" if "\r\n" in text else "\n"
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [h.strip().lower() for h in rows[0]]
    for name in dict.fromkeys(_filled(sheet)):
        if name not in header:
            header.append(name)
            rows[0].append(name)
    index = {name: i for i, name in enumerate(header)}
    width = len(header)
    if sheet.changed:
        for cells in rows[1:]:
            key = cells[index["id"]].strip() if index["id"] < len(cells) else ""
            for name, value in sheet.changed.get(key, {}).items():
                cells.extend([""] * (width - len(cells)))
                cells[index[name]] = inert_text(text_cell(value))
    for new in sheet.added:
        cells = [""] * width
        for name, value in new.items():
            if name in index:  # an empty value of a column the file lacks stays out of it
                cells[index[name]] = inert_text(text_cell(value))
        rows.append(cells)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    try:
        encoded = out.getvalue().encode(encoding)
    except UnicodeEncodeError as e:
        text = repr(e.object[e.start : e.end])
        raise MapError(said("edit.cp1252", file=path.name, text=text)) from e
    path.write_bytes(encoded)


def _encoding(data: bytes) -> str:
    """The encoding of a csv file as the loader reads it (:func:`loaders.read.decode_csv`)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def fields_from_cells(table: str, cells: Mapping[str, str]) -> dict[str, Any]:
    """Typed fields from cells given as text by their workbook headers
    (``{"niveau": "omgeving"}`` of the sheet ``factoren``): what a row would hold.

    >>> fields_from_cells("factoren", {"niveau": "omgeving", "ronde_in": "2"})
    {'level': 'omgeving', 'round_in': 2}
    """
    found = schema.table_for_sheet(table)
    fields: dict[str, Any] = {}
    for header, raw in cells.items():
        f = found.field_by_header(header)
        if f is None:
            known = ", ".join(found.headers)
            raise MapError(
                said("edit.no_column", sheet=found.sheet, column=repr(header), known=known)
            )
        value, problem = parse_cell(f, found, raw.strip())
        if problem:
            raise MapError(said("error.at", place=f"{found.sheet}.{header}", message=problem))
        fields[f.name] = value
    return fields


def check_map(m: SystemMap) -> None:
    """Validate a map as its workbook would be validated (every reference, value and
    privacy rule of :mod:`loaders.validate`); raises WorkbookInvalid, naming the sheets."""
    from loaders import load_map

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / m.id
        write_csv_folder(m, folder)
        try:
            load_map(folder)
        except WorkbookInvalid as e:
            raise WorkbookInvalid([_moved(error, folder, None) for error in e.errors]) from None


def _moved(error: LoadError, folder: Path, to: Path | None) -> LoadError:
    """``error`` with its path under ``folder`` moved under ``to`` (None: made relative)."""
    path = error.path
    if path.startswith(str(folder)):
        rest = path[len(str(folder)) :]
        path = rest.lstrip("/") or folder.name if to is None else str(to) + rest
    return LoadError(path, error.row, error.column, error.message)
