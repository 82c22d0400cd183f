"""The adjust step: operations of the map, and commands that change a workbook in place."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from graph import MapError, SystemMap
from graph.cycle import map_as_of
from loaders import EXAMPLE_CYCLE, load_map, write_workbook
from loaders.edit import change_workbook
from versterkt.cli import main

ROUND_1 = EXAMPLE_CYCLE / "ronde-1"


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def opened(tmp_path: Path) -> Path:
    data = Path(shutil.copytree(ROUND_1, tmp_path / "cyclus"))
    assert run("round", "open", data, "--name", "Ronde 2")[0] == 0
    return data


def test_every_operation_records_an_adjustment_and_leaves_earlier_rounds_alone() -> None:
    m = load_map(ROUND_1)
    as_drawn = map_as_of(m, 1)
    assert m.open_round(name="Ronde 2") == 2
    m.add_node_in_round(2, "Factor", "media", "Media", level="omgeving", role="bron", reason="a")
    m.add_link_in_round(2, "l-media", "INFLUENCES", "media", "stress", sign="+", reason="b")
    m.retire_link(2, "inv-prestatiedruk-burn-out", reason="c")
    m.resign_link(2, "inv-ouders-geluk-kind", "-", reason="d")
    m.reweight_link(2, "inv-prestatiedruk-stress", 3.0, reason="e")
    m.merge_nodes(2, ["burn-out"], "stress", reason="f")
    m.rename_node(2, "perfectionisme", "Perfectie", reason="g")
    m.retire_node(2, "individualisme", reason="h")
    assert [(a["adjustment_kind"], a["reason"]) for a in m.adjustments] == [
        ("knoop toegevoegd", "a"),
        ("relatie toegevoegd", "b"),
        ("relatie ingetrokken", "c"),
        ("teken gewijzigd", "d"),
        ("gewicht gewijzigd", "e"),
        ("knoop samengevoegd", "f"),
        ("knoop hernoemd", "g"),
        ("knoop ingetrokken", "h"),
    ]
    assert all(a["round"] == 2 for a in m.adjustments)
    assert map_as_of(m, 1) == as_drawn
    now = map_as_of(m, 2)
    assert now.node("perfectionisme-r2").name == "Perfectie"
    assert "perfectionisme" not in now and "burn-out" not in now and "individualisme" not in now
    assert map_as_of(m, 1).node("perfectionisme").name == "Perfectionisme"
    # the renamed node keeps its links, moved to the new id
    assert {lk.id for lk in now.links() if "perfectionisme-r2" in (lk.source, lk.target)} == {
        "inv-perfectionisme-prestatiedruk-r2"
    }


def test_a_change_before_a_round_is_opened_says_how_to_open_one(
    tmp_path: Path, english_output: None
) -> None:
    data = Path(shutil.copytree(ROUND_1, tmp_path / "cyclus"))
    before = sorted((p.name, p.read_bytes()) for p in data.iterdir())
    code, out = run("adjust", "retire", "inv-prestatiedruk-stress", data, "--reason", "x")
    assert code == 1
    assert out == (
        "Error: 'inv-prestatiedruk-stress' is on the map as first analysed (round 1): a "
        "change to it goes into a new round; open the next round first (versterkt round "
        "open --name NAME), or add --open-round NAME to open it with this change\n"
    )
    assert sorted((p.name, p.read_bytes()) for p in data.iterdir()) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["adjust", "retire", "inv-prestatiedruk-stress"], 2, "Missing option '--reason'"),
        (
            ["adjust", "retire", "inv-prestatiedruk-stres", "--reason", "x"],
            2,
            "Error: unknown link 'inv-prestatiedruk-stres' (did you mean "
            "'inv-prestatiedruk-stress'?)",
        ),
        (
            ["adjust", "retire", "inv-prestatiedruk-stress", "--reason", "x", "--after", "r9"],
            2,
            "Error: unknown review 'r9'",
        ),
        (["adjust", "retire", "inv-prestatiedruk-stress", "--reason", " "], 1, "say why"),
        (
            ["adjust", "add-node", "x", "--kind", "factor", "--name", "X", "--set", "niveau=wijk",
             "--reason", "x"],
            1,
            'Error: factoren.niveau: unknown value "wijk"',
        ),
        (["round", "open", "--name", "Ronde 3", "--session", "nergens"], 2, "unknown session"),
    ],
)  # fmt: skip
def test_a_mistake_changes_nothing_and_says_what_to_do(
    tmp_path: Path, args: list[str], code: int, message: str, english_output: None
) -> None:
    data = opened(tmp_path)
    before = sorted((p.name, p.read_bytes()) for p in data.iterdir())
    result = run(*args, data)
    assert result[0] == code
    assert message in result[1]
    assert sorted((p.name, p.read_bytes()) for p in data.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cyclus"]


def test_an_xlsx_workbook_keeps_its_sheets_dropdowns_and_formatting(tmp_path: Path) -> None:
    book = write_workbook(load_map(ROUND_1), tmp_path / "werkboek.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["relaties"]
    dropdown = DataValidation(type="list", formula1='"+,-"', allow_blank=True)
    ws.add_data_validation(dropdown)
    dropdown.add("E2:E200")
    ws["A2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.column_dimensions["A"].width = 44
    wb["uitleg"]["A90"] = "Eigen aantekeningen van de analist"
    wb.save(book)

    code, out = run("round", "open", book, "--name", "Ronde 2")
    assert code == 0, out
    code, out = run("adjust", "sign", "inv-ouders-geluk-kind", "+", book, "--reason", "Plus")
    assert code == 0, out

    wb = openpyxl.load_workbook(book)
    assert wb["uitleg"]["A90"].value == "Eigen aantekeningen van de analist"
    ws = wb["relaties"]
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["E2:E200"]
    assert ws["A2"].fill.fgColor.rgb == "00FFFF00"
    assert ws.column_dimensions["A"].width == 44
    m = load_map(book)
    assert m.link("inv-ouders-geluk-kind").get("round_out") == 2
    assert m.link("inv-ouders-geluk-kind-r2").get("sign") == "+"
    assert [p.name for p in tmp_path.iterdir()] == ["werkboek.xlsx"]


def test_a_csv_folder_keeps_each_files_encoding_separator_and_line_ends(tmp_path: Path) -> None:
    data = opened(tmp_path)
    relaties = data / "relaties.csv"
    rows = list(csv.reader(io.StringIO(relaties.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    text = out.getvalue()
    relaties.write_bytes(text.encode("cp1252"))
    assert load_map(data).link("inv-ouders-geluk-kind").get("sign") is None
    code, out = run("adjust", "retire", "inv-ouders-geluk-kind", data, "--reason", "Weg")
    assert code == 0, out
    after = relaties.read_bytes()
    after.decode("cp1252")  # still Windows-1252
    lines = after.split(b"\r\n")
    assert lines[0].startswith(b"id;van;naar;") and all(b"\n" not in line for line in lines)
    changed = [
        (old, new)
        for old, new in zip(text.split("\r\n"), after.decode("cp1252").split("\r\n"), strict=True)
        if old != new
    ]  # fmt: skip
    assert len(changed) == 1 and changed[0][1].startswith("inv-ouders-geluk-kind;")
    assert load_map(data).link("inv-ouders-geluk-kind").get("round_out") == 2
    assert "beïnvloedt" in after.decode("cp1252")


def test_a_change_that_does_not_read_back_writes_nothing(tmp_path: Path) -> None:
    data = opened(tmp_path)
    before = sorted((p.name, p.read_bytes()) for p in data.iterdir())

    def privacy(m: SystemMap) -> None:
        m.add_node_in_round(2, "Factor", "x", "bel 06-12345678", level="persoon", role="bron",
                            reason="x")  # fmt: skip

    with pytest.raises(Exception, match="phone number"):
        change_workbook(data, privacy)
    assert sorted((p.name, p.read_bytes()) for p in data.iterdir()) == before

    def removes(m: SystemMap) -> None:
        m.records["adjustments"].clear()
        m.records["rounds"].pop()

    with pytest.raises(MapError, match="only adds rows"):
        change_workbook(data, removes)
    assert sorted((p.name, p.read_bytes()) for p in data.iterdir()) == before
