"""The reactieformulier: writing it, reading it back, recording it in a workbook."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph import SystemMap
from graph.errors import UnknownRound
from loaders import WorkbookInvalid, load_map, write_workbook
from loaders.review_form import (
    FormError,
    import_review_form,
    read_review_form,
    record_review_form,
    write_review_form,
)
from tests.test_cycle_example import ROUND_1, ROUND_2


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A copy of round 1 of the example cycle, as a folder of csv files."""
    return Path(shutil.copytree(ROUND_1, tmp_path / "werkboek"))


@pytest.fixture
def blank(workbook: Path, tmp_path: Path) -> Path:
    """An empty form for round 1, for ouders and jongeren."""
    return write_review_form(
        load_map(workbook), 1, tmp_path / "formulier.xlsx", groups=["ouder", "jongere"]
    )


def fill(form: Path, cells: dict[tuple[str, int, str], Any]) -> Path:
    """Write values into a form, each at (sheet, row, header of its column); None empties."""
    wb = openpyxl.load_workbook(form)
    for (sheet, row, header), value in cells.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        cell = ws.cell(row=row, column=headers.index(header) + 1)
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed text, as a facilitator would
    wb.save(form)
    return form


def toetsing_rows(workbook: Path) -> list[dict[str, str]]:
    with (workbook / "toetsing.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_form_lists_the_rounds_links_as_sentences_with_a_dropdown_per_group(
    blank: Path,
) -> None:
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == ["reacties", "gegevens", "uitleg"]
    ws = wb["reacties"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "nr",
        "stelling",
        "ouder",
        "toelichting ouder",
        "jongere",
        "toelichting jongere",
        "relatie",
    )
    assert rows[1] == (
        1,
        "Individualisme vergroot prestatiedruk",
        None,
        None,
        None,
        None,
        "inv-individualisme-prestatiedruk",
    )
    assert rows[4][1] == "De verwachtingen van ouders vergroten prestatiedruk"
    assert rows[-1][1:] == (
        "Scholen kunnen meten en toetsen bijsturen",
        None,
        None,
        None,
        None,
        "knop-scholen-meten-toetsen",
    )
    assert len(rows) == 1 + 15  # the INFLUENCES and CAN_ADJUST links of round 1
    assert ws.column_dimensions["G"].hidden
    (dropdown,) = ws.data_validations.dataValidation
    assert dropdown.formula1 == '"eens,oneens,neutraal,aanvulling"'
    assert str(dropdown.sqref) == "C2:C16 E2:E16"
    info = list(wb["gegevens"].iter_rows(values_only=True))
    assert info == [
        ("veld", "waarde"),
        ("kaart", "voorbeeld-cyclus"),
        ("ronde", 1),
        ("sessie", None),
    ]


def test_a_form_can_hold_chosen_links_in_a_chosen_order(workbook: Path, tmp_path: Path) -> None:
    m = load_map(workbook)
    form = write_review_form(
        m, 1, tmp_path / "f.xlsx", ["jongere"], links=["inv-prestatiedruk-stress", "vv-in-vleuten"]
    )
    rows = list(openpyxl.load_workbook(form)["reacties"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == [
        "Prestatiedruk vergroot stress",
        "Vleuten Versterkt vindt plaats in Vleuten",
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"round": 3}, r"unknown round 3 \(rounds: 1, 2\)"),
        ({"groups": ["oudr"]}, 'unknown group "oudr" \\(did you mean "ouder"\\?\\)'),
        ({"groups": []}, "at least one group"),
        ({"links": ["inv-schoolsysteem-geluk-kind"]}, "is not on the map in round 2"),
    ],
)
def test_a_form_that_cannot_be_written_says_why(
    options: dict[str, Any], message: str, tmp_path: Path
) -> None:
    arguments: dict[str, Any] = {"round": 2, "groups": ["ouder"], **options}
    with pytest.raises((FormError, UnknownRound), match=message):
        write_review_form(
            load_map(ROUND_2),
            arguments.pop("round"),
            tmp_path / "f.xlsx",
            arguments.pop("groups"),
            **arguments,
        )
    assert not (tmp_path / "f.xlsx").exists()


def test_each_filled_in_cell_is_one_review(workbook: Path, blank: Path) -> None:
    fill(
        blank,
        {
            ("reacties", 2, "ouder"): "eens",
            ("reacties", 2, "jongere"): "Oneens",
            ("reacties", 2, "toelichting jongere"): "Jongeren zien het anders.",
            ("reacties", 3, "jongere"): "aanvulling",
            ("gegevens", 4, "waarde"): "oudersessie",
        },
    )
    found = read_review_form(load_map(workbook), blank)
    assert found.recorded == []
    assert found.new == [
        {
            "id": "r1-inv-individualisme-prestatiedruk-ouder",
            "link": "inv-individualisme-prestatiedruk",
            "round": 1,
            "group": "ouder",
            "verdict": "eens",
            "session": "oudersessie",
        },
        {
            "id": "r1-inv-individualisme-prestatiedruk-jongere",
            "link": "inv-individualisme-prestatiedruk",
            "round": 1,
            "group": "jongere",
            "verdict": "oneens",
            "session": "oudersessie",
            "note": "Jongeren zien het anders.",
        },
        {
            "id": "r1-inv-schoolsysteem-prestatiedruk-jongere",
            "link": "inv-schoolsysteem-prestatiedruk",
            "round": 1,
            "group": "jongere",
            "verdict": "aanvulling",
            "session": "oudersessie",
        },
    ]
    override = read_review_form(load_map(workbook), blank, session="jongerensessie")
    assert {r["session"] for r in override.new} == {"jongerensessie"}


def test_importing_into_a_map_returns_a_new_map(workbook: Path, blank: Path) -> None:
    m = load_map(workbook)
    before = m.canonical()
    fill(blank, {("reacties", 2, "ouder"): "eens"})
    reviewed = import_review_form(m, blank)
    assert m.canonical() == before
    assert [r["id"] for r in reviewed.reviews] == ["r1-inv-individualisme-prestatiedruk-ouder"]
    assert isinstance(reviewed, SystemMap)


def test_a_form_recorded_twice_is_recorded_once(workbook: Path, blank: Path) -> None:
    fill(blank, {("reacties", 2, "ouder"): "eens", ("reacties", 3, "ouder"): "neutraal"})
    first = record_review_form(blank, workbook)
    assert [r["id"] for r in first.recorded] == [
        "r1-inv-individualisme-prestatiedruk-ouder",
        "r1-inv-schoolsysteem-prestatiedruk-ouder",
    ]
    again = record_review_form(blank, workbook)
    assert again.recorded == [] and len(again.already_recorded) == 2
    assert [row["id"] for row in toetsing_rows(workbook)] == [
        "r1-inv-individualisme-prestatiedruk-ouder",
        "r1-inv-schoolsysteem-prestatiedruk-ouder",
    ]
    # a form with one more verdict adds only that one
    fill(blank, {("reacties", 4, "jongere"): "oneens"})
    third = record_review_form(blank, workbook)
    assert [r["id"] for r in third.recorded] == ["r1-inv-imago-vmbo-prestatiedruk-jongere"]
    assert len(load_map(workbook).reviews) == 3


def test_a_form_recorded_twice_in_an_xlsx_workbook_is_recorded_once(
    workbook: Path, blank: Path, tmp_path: Path
) -> None:
    book = write_workbook(load_map(workbook), tmp_path / "werkboek.xlsx")
    fill(
        blank,
        {("reacties", 2, "ouder"): "eens", ("reacties", 2, "toelichting ouder"): "=herkenbaar"},
    )
    record_review_form(blank, book)
    record_review_form(blank, book)
    reviews = load_map(book).reviews
    assert [(r["id"], r["note"]) for r in reviews] == [
        ("r1-inv-individualisme-prestatiedruk-ouder", "=herkenbaar")
    ]
    wb = openpyxl.load_workbook(book)
    assert "uitleg" in wb.sheetnames  # the other sheets are kept
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_form_with_errors_records_nothing_and_names_every_cell(
    workbook: Path, blank: Path
) -> None:
    fill(
        blank,
        {
            ("reacties", 1, "jongere"): "jongren",
            ("reacties", 2, "ouder"): "eenz",
            ("reacties", 3, "relatie"): "inv-prestatiedruk-strss",
            ("reacties", 3, "ouder"): "eens",
            ("reacties", 4, "relatie"): "inv-individualisme-prestatiedruk",
            ("reacties", 5, "ouder"): "eens",
            ("reacties", 5, "toelichting ouder"): "Mail ouder@example.org voor meer",
            ("reacties", 6, "toelichting jongere"): "Iemand zei iets",
            ("reacties", 7, "relatie"): None,
            ("reacties", 8, "ouder"): "oneens",
            ("gegevens", 2, "waarde"): "vleuten",
            ("gegevens", 4, "waarde"): "oudrsessie",
        },
    )
    before = sorted((p.name, p.read_bytes()) for p in workbook.iterdir())
    with pytest.raises(WorkbookInvalid) as caught:
        record_review_form(blank, workbook)
    f = str(blank)
    assert [str(e) for e in caught.value.errors] == [
        f'{f}[gegevens]:2:waarde: this form is for map "vleuten", not "voorbeeld-cyclus"',
        f'{f}[gegevens]:4:waarde: unknown session "oudrsessie" (did you mean "oudersessie"?)',
        f'{f}[reacties]:1:jongren: unknown column (did you mean "jongere"?)',
        f'{f}[reacties]:2:ouder: unknown verdict "eenz" (did you mean "eens"?); '
        'allowed: "eens", "oneens", "neutraal", "aanvulling"',
        f'{f}[reacties]:3:relatie: unknown link "inv-prestatiedruk-strss" '
        '(did you mean "inv-prestatiedruk-stress"?)',
        f'{f}[reacties]:4:relatie: link "inv-individualisme-prestatiedruk" appears twice '
        "(first at row 2)",
        f"{f}[reacties]:5:toelichting ouder: contains an e-mail address; remove it "
        "(the data concerns young people)",
        f"{f}[reacties]:6:toelichting jongere: a note without a verdict: choose one for the group "
        "that said it (aanvulling for an addition)",
        f"{f}[reacties]:7:relatie: required value missing",
    ]
    assert sorted((p.name, p.read_bytes()) for p in workbook.iterdir()) == before


def test_a_form_for_an_unknown_round_or_a_bad_session_argument_is_refused(
    workbook: Path, blank: Path
) -> None:
    fill(blank, {("gegevens", 3, "waarde"): "3", ("reacties", 2, "ouder"): "eens"})
    with pytest.raises(WorkbookInvalid) as caught:
        read_review_form(load_map(workbook), blank, session="ouder-sessie")
    assert [str(e) for e in caught.value.errors] == [
        f'{blank}: unknown session "ouder-sessie" (did you mean "oudersessie"?)',
        f"{blank}[gegevens]:3:waarde: round 3 is not in rondes (rounds: 1)",
    ]


def test_a_recorded_review_is_never_changed_by_a_later_form(workbook: Path, blank: Path) -> None:
    fill(blank, {("reacties", 2, "ouder"): "eens", ("gegevens", 4, "waarde"): "oudersessie"})
    record_review_form(blank, workbook)
    fill(blank, {("reacties", 2, "ouder"): "oneens", ("reacties", 3, "ouder"): "eens"})
    with pytest.raises(WorkbookInvalid) as caught:
        record_review_form(blank, workbook)
    assert [str(e) for e in caught.value.errors] == [
        f"{blank}[reacties]:2:ouder: review r1-inv-individualisme-prestatiedruk-ouder is "
        'already recorded as "eens" (session oudersessie); a recorded review is not '
        "changed: correct the toetsing sheet by hand if it is wrong"
    ]
    assert [r["verdict"] for r in load_map(workbook).reviews] == ["eens"]


def test_recording_keeps_the_folders_other_files_and_its_csv_dialect(
    workbook: Path, blank: Path
) -> None:
    (workbook / "LEESMIJ.txt").write_text("Notities van de analist\n", encoding="utf-8")
    (workbook / "toetsing.csv").write_bytes(
        "id;relatie;ronde;groep;oordeel;sessie;toelichting\n".encode("cp1252")
    )
    fill(
        blank,
        {
            ("reacties", 2, "ouder"): "neutraal",
            ("reacties", 2, "toelichting ouder"): "Geïnteresseerd",
        },
    )
    record_review_form(blank, workbook)
    assert (workbook / "LEESMIJ.txt").read_text(encoding="utf-8") == "Notities van de analist\n"
    assert (workbook / "toetsing.csv").read_text(encoding="utf-8").splitlines() == [
        "id;relatie;ronde;groep;oordeel;sessie;toelichting",
        "r1-inv-individualisme-prestatiedruk-ouder;inv-individualisme-prestatiedruk;1;ouder;"
        "neutraal;;Geïnteresseerd",
    ]
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["formulier.xlsx", "werkboek"]


def test_a_file_that_is_not_a_form_is_refused(workbook: Path, tmp_path: Path) -> None:
    book = write_workbook(load_map(workbook), tmp_path / "werkboek.xlsx")
    with pytest.raises(WorkbookInvalid) as caught:
        read_review_form(load_map(workbook), book)
    assert [str(e) for e in caught.value.errors] == [
        f'{book}: missing sheet "reacties"',
        f'{book}: missing sheet "gegevens"',
    ]
    with pytest.raises(WorkbookInvalid, match="not a review form"):
        read_review_form(load_map(workbook), workbook)


def test_each_remark_reaches_only_its_own_groups_verdict(workbook: Path, blank: Path) -> None:
    fill(
        blank,
        {
            ("reacties", 2, "ouder"): "eens",
            ("reacties", 2, "toelichting ouder"): "Herkenbaar thuis.",
            ("reacties", 2, "jongere"): "oneens",
            ("reacties", 2, "toelichting jongere"): "Wij merken het niet.",
            ("reacties", 3, "ouder"): "neutraal",
            ("reacties", 3, "jongere"): "eens",
            ("reacties", 3, "toelichting jongere"): "Vooral de toetsweken.",
        },
    )
    record_review_form(blank, workbook)
    notes = {(r["id"]): r.get("note") for r in load_map(workbook).reviews}
    assert notes == {
        "r1-inv-individualisme-prestatiedruk-ouder": "Herkenbaar thuis.",
        "r1-inv-individualisme-prestatiedruk-jongere": "Wij merken het niet.",
        "r1-inv-schoolsysteem-prestatiedruk-ouder": None,
        "r1-inv-schoolsysteem-prestatiedruk-jongere": "Vooral de toetsweken.",
    }


def test_a_form_of_the_earlier_layout_still_imports(workbook: Path, blank: Path) -> None:
    """One toelichting column for the row, as forms were written before: its remark
    cannot be told apart by group, so it stays with each verdict of the row."""
    wb = openpyxl.load_workbook(blank)
    rows = list(wb["reacties"].iter_rows(values_only=True))
    del wb["reacties"]
    ws = wb.create_sheet("reacties", 0)
    ws.append(["nr", "stelling", "ouder", "jongere", "toelichting", "relatie"])
    for row in rows[1:]:
        ws.append([row[0], row[1], None, None, None, row[-1]])
    wb.save(blank)
    fill(
        blank,
        {
            ("reacties", 2, "ouder"): "eens",
            ("reacties", 2, "jongere"): "neutraal",
            ("reacties", 2, "toelichting"): "Samen besproken.",
        },
    )
    record_review_form(blank, workbook)
    assert [(r["group"], r["note"]) for r in load_map(workbook).reviews] == [
        ("ouder", "Samen besproken."),
        ("jongere", "Samen besproken."),
    ]


def test_no_cell_of_the_form_is_a_formula_whatever_the_names(
    workbook: Path, tmp_path: Path
) -> None:
    m = load_map(workbook)
    m.graph.nodes["individualisme"]["name"] = '=HYPERLINK("http://example.org","klik")'
    form = write_review_form(m, 1, tmp_path / "f.xlsx", ["ouder"])
    for ws in openpyxl.load_workbook(form).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    rows = list(openpyxl.load_workbook(form)["reacties"].iter_rows(values_only=True))
    assert rows[1][1].startswith('=HYPERLINK("http://example.org","klik") ')
