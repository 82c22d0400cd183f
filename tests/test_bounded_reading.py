"""Reading is bounded and loses nothing without a word: hostile or careless files give
an error with their position, quickly and in little memory."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from loaders import VLEUTEN, load_map, validate, write_xlsx
from loaders.read import MAX_FILE_BYTES, read_workbook

ROOT = Path(__file__).resolve().parents[1]


def _xlsx(path: Path, sheet_xml: bytes | None = None, *, title: str = "actoren") -> Path:
    """A workbook with one sheet ``title`` (id, naam, soort and one row); with
    ``sheet_xml``, the rows of that sheet replaced by it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["id", "naam", "soort"])
    ws.append(["jongeren", "Jongeren", "groep"])
    wb.save(path)
    if sheet_xml is None:
        return path
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i.filename) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info, data in parts.items():
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(
                    rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
                data = re.sub(
                    rb"<sheetData>.*</sheetData>",
                    b"<sheetData>" + sheet_xml + b"</sheetData>",
                    data,
                    flags=re.S,
                )
            z.writestr(info, data)
    return path


def _header_row() -> bytes:
    cells = [(c, v) for c, v in zip("ABC", ("id", "naam", "soort"), strict=True)]
    return (
        b'<row r="1">'
        + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c.encode(), v.encode())
            for c, v in cells
        )
        + b"</row>"
    )


def test_a_declared_dimension_of_a_whole_sheet_allocates_nothing(tmp_path: Path) -> None:
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>a%d</t></is></c>'
        b'<c r="B%d" t="inlineStr"><is><t>A</t></is></c>'
        b'<c r="C%d" t="inlineStr"><is><t>groep</t></is></c></row>' % (i, i, i, i, i)
        for i in range(2, 3000)
    )
    path = _xlsx(tmp_path / "groot.xlsx", _header_row() + rows)
    raw = read_workbook(path)
    assert raw.errors == []
    assert len(raw.tables["actoren"].rows) == 2998
    assert raw.tables["actoren"].rows[0] == (2, ["a2", "A", "groep"])


def test_values_beyond_the_last_column_are_an_error(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (i, i) for i in range(2, 500))
    path = _xlsx(tmp_path / "breed.xlsx", _header_row() + rows)
    assert [str(e) for e in read_workbook(path).errors] == [
        f"{path}[actoren]:2: values beyond column GR: a sheet has at most 200 columns"
    ]


def test_a_row_beyond_the_last_is_an_error(tmp_path: Path) -> None:
    far = b'<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>'
    path = _xlsx(tmp_path / "ver.xlsx", _header_row() + far)
    assert [str(e) for e in read_workbook(path).errors] == [
        f"{path}[actoren]:99999999999: more than 1,048,576 rows"
    ]


def test_a_file_that_unpacks_to_far_more_than_its_size_is_refused(tmp_path: Path) -> None:
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    path = _xlsx(tmp_path / "bom.xlsx", _header_row() + row * 400_000)
    assert path.stat().st_size < 100_000
    (error,) = read_workbook(path).errors
    assert error.path == str(path) and error.row is None
    assert re.fullmatch(
        r"unpacks to \d+ MB from \d+ KB; a file this size may unpack to \d MB \(is it damaged\?\)",
        str(error.message),
    )


def test_an_over_long_xlsx_cell_is_an_error(tmp_path: Path) -> None:
    long = b"x" * 40_000
    row = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2" t="inlineStr"><is><t>'
        + long
        + b"</t></is></c></row>"
    )
    path = _xlsx(tmp_path / "lang.xlsx", _header_row() + row)
    assert [str(e) for e in read_workbook(path).errors] == [
        f"{path}[actoren]:2:naam: a cell of 40,000 characters; at most 32,767 fit in a "
        "spreadsheet cell"
    ]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    return folder


@pytest.mark.parametrize("length", [40_000, 200_000])
def test_an_over_long_csv_cell_is_an_error(tmp_path: Path, length: int) -> None:
    folder = _folder(tmp_path)
    path = folder / "actoren.csv"
    text = path.read_text("utf-8")
    path.write_text(text.replace(",Jongeren,", f",{'x' * length},", 1), "utf-8")
    errors = [str(e) for e in validate(folder)]
    if length <= 131_072:
        expected = (
            f"{path}:2:naam: a cell of 40,000 characters; at most 32,767 fit in a spreadsheet cell"
        )
    else:
        expected = (
            f"{path}:2: a cell longer than 131,072 characters; at most 32,767 fit in a "
            "spreadsheet cell"
        )
    assert expected in errors


def test_a_fifo_as_input_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "actoren.csv").unlink()
    os.mkfifo(folder / "actoren.csv")
    os.mkfifo(tmp_path / "kaart.xlsx")
    code = (
        "import sys; from loaders import validate; "
        "[print(e) for p in sys.argv[1:] for e in validate(p)]"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(tmp_path / "kaart.xlsx")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    lines = done.stdout.splitlines()
    assert f"{folder / 'actoren.csv'}: not a regular file (a pipe or a device?)" in lines
    assert f"{tmp_path / 'kaart.xlsx'}: not a regular file (a pipe or a device?)" in lines


def test_a_device_as_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "kaart.xlsx").symlink_to("/dev/zero")
    assert [str(e.message) for e in validate(tmp_path / "kaart.xlsx")] == [
        "not a regular file (a pipe or a device?)"
    ]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with (folder / "citaten.csv").open("r+b") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    assert f"{folder / 'citaten.csv'}: larger than 50 MB, the most that is read" in [
        str(e) for e in validate(folder)
    ]


def test_csv_files_differing_in_case_or_spaces_are_an_error(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    shutil.copy(folder / "actoren.csv", folder / "ACTOREN.csv")
    shutil.copy(folder / "factoren.csv", folder / "factoren .CSV")
    errors = {str(e) for e in validate(folder)}
    assert (
        f'{folder / "actoren.csv"}: "actoren.csv" and "ACTOREN.csv" are the same sheet (their '
        "names differ only in capitals or spaces): put their rows in one"
    ) in errors
    assert (
        f'{folder / "factoren.csv"}: "factoren.csv" and "factoren .CSV" are the same sheet '
        "(their names differ only in capitals or spaces): put their rows in one"
    ) in errors


def test_a_csv_with_an_upper_case_extension_is_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "actoren.csv").rename(folder / "actoren.CSV")
    assert validate(folder) == []


def test_xlsx_sheets_differing_in_case_or_spaces_are_an_error(tmp_path: Path) -> None:
    path = write_xlsx(load_map(VLEUTEN), tmp_path / "vleuten.xlsx")
    wb = openpyxl.load_workbook(path)
    extra = wb.copy_worksheet(wb["actoren"])
    extra.title = "Actoren "
    wb.save(path)
    assert (
        f'{path}[Actoren ]: "Actoren " and "actoren" are the same sheet (their names differ '
        "only in capitals or spaces): put their rows in one"
    ) in [str(e) for e in validate(path)]


def test_a_csv_mixing_utf8_and_windows_1252_is_an_error(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    path = folder / "actoren.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("Jongeren", "Jongeren ë")
    lines[3] = lines[3].rstrip("\n") + "café\n"
    data = "".join(lines[:3]).encode("utf-8") + "".join(lines[3:]).encode("cp1252")
    path.write_bytes(data)
    assert [str(e) for e in validate(folder)] == [
        f"{path}:4: mixes encodings: this line is Windows-1252, line 2 is UTF-8; save the file "
        "as UTF-8"
    ]


def test_a_utf16_csv_gets_a_hint(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    path = folder / "actoren.csv"
    path.write_bytes(path.read_text("utf-8").encode("utf-16"))
    assert [str(e) for e in validate(folder)] == [
        f"{path}:1: UTF-16 text (or NUL characters), which is not read: save it from Excel as "
        '"CSV UTF-8 (comma delimited)"'
    ]


def test_a_formula_without_a_saved_value_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(load_map(VLEUTEN), tmp_path / "vleuten.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["relaties"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("gewicht") + 1, value="=2*0.5")  # saved by openpyxl:
    wb.save(path)  # a formula with no value, as a program that does not calculate writes it
    assert [str(e) for e in validate(path)] == [
        f"{path}[relaties]:3:gewicht: a formula without a saved value: open the file in a "
        "spreadsheet program and save it, or type the value"
    ]


# --- 50 KB of any shape: within 5 s and 500 MB ---------------------------------------


def _shapes(folder: Path) -> list[Path]:
    """Small files made to cost as much as they can, each about 50 KB or less."""
    import random
    import string

    random.seed(18)
    shapes = []

    def csv_folder(name: str, files: dict[str, str]) -> None:
        d = folder / name
        d.mkdir()
        for file, text in files.items():
            (d / file).write_text(text, "utf-8")
        shapes.append(d)

    def word() -> str:
        return "".join(random.choice(string.ascii_lowercase) for _ in range(8))

    actors = [word() for _ in range(1_400)]
    csv_folder(
        "onbekende-verwijzingen",
        {
            "actoren.csv": "id,naam,soort\n" + "".join(f"{a},{a},groep\n" for a in actors),
            "factoren.csv": "id,naam,niveau,rol\n",
            "relaties.csv": "id,van,naar,soort,teken\n"
            + "".join(f"l{i},{word()},{word()},beïnvloedt,+\n" for i in range(600)),
        },
    )
    csv_folder("breed", {"actoren.csv": ",".join(["x"] * 12_000) + "\n" + ",".join("1" * 12_000)})
    csv_folder("adressen", {"actoren.csv": "id,naam,soort\na," + "a@" * 25_000 + ",groep\n"})
    csv_folder("cijfers", {"actoren.csv": "id,naam,soort\na," + "0 " * 25_000 + ",groep\n"})
    csv_folder("aanhalingstekens", {"actoren.csv": '"' * 50_000})
    csv_folder("regels", {"actoren.csv": "x\n" * 25_000})
    row = (
        b'<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c>'
        b'<c t="inlineStr"><is><t>groep</t></is></c></row>'
    )
    shapes.append(_xlsx(folder / "vol.xlsx", _header_row() + row * 40_000))
    wide = b"".join(
        b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (i, i) for i in range(2, 10_000)
    )
    shapes.append(_xlsx(folder / "breed.xlsx", _header_row() + wide))
    formulas = b"".join(
        b'<row r="%d"><c r="A%d"><f>1+1</f></c><c r="B%d"><f>A1</f></c></row>' % (i, i, i)
        for i in range(2, 6_000)
    )
    shapes.append(_xlsx(folder / "formules.xlsx", _header_row() + formulas))
    for shape in shapes:
        size = (
            sum(f.stat().st_size for f in shape.iterdir())
            if shape.is_dir()
            else shape.stat().st_size
        )
        assert size <= 60_000, (shape.name, size)
    return shapes


def test_fifty_kilobytes_of_any_shape_within_five_seconds_and_500_mb(tmp_path: Path) -> None:
    code = "import sys; from loaders import validate; print(len(validate(sys.argv[1])))"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    baseline = subprocess.run(
        [sys.executable, "-c", "import loaders, loaders.read, openpyxl"], cwd=ROOT, timeout=60
    )
    assert baseline.returncode == 0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    startup = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    for shape in _shapes(tmp_path):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code, str(shape)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert done.returncode == 0, done.stderr[-2000:]
        assert int(done.stdout) > 0, shape.name  # each is refused, with errors
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        # The machine is shared, so the processor time of the validation is measured
        # (the interpreter's start-up left out), not the time on the clock.
        assert cpu - startup < 5, (shape.name, cpu, wall)
    # ru_maxrss: the largest resident size of any one of them, in KB
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 500 * 1024
