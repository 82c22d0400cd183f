"""Every kind of load error, reported at the position a person finds in the sheet."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from loaders import VLEUTEN, WorkbookInvalid, WorkbookWarning, load_map, validate, write_xlsx


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    return folder


def _edit(path: Path, old: str, new: str, encoding: str = "utf-8") -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding=encoding)


def _drop_column(path: Path, header: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    i = rows[0].index(header)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(r[:i] + r[i + 1 :] for r in rows)


def test_vleuten_is_valid() -> None:
    assert validate(VLEUTEN) == []


def test_damaged_copy_reports_every_error_at_its_cell(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    # duplicate id: row 5 of actoren repeats the id of row 3
    _edit(folder / "actoren.csv", "vmbo,VMBO", "ouders,VMBO")
    # a reference to a missing node, and a sign that is neither + nor -
    _edit(
        folder / "relaties.csv",
        "prestatiedruk,stress,beïnvloedt,+",
        "prestatiedruk,stres,beïnvloedt,x",
    )
    # a missing column (the name is required; level and role are not)
    _drop_column(folder / "factoren.csv", "naam")
    # an e-mail address in a quote
    _edit(
        folder / "citaten.csv",
        "Moet je altijd gelukkig",
        "Vraag het piet@example.org. Moet je altijd gelukkig",
    )
    # a CSV saved by Excel as Windows-1252: read correctly, its errors still found
    _edit(
        folder / "sessies.csv",
        "Oudersessie,oudersessie",
        "Oudersessie Geïnteresseerd,oudrsessie",
        "cp1252",
    )

    errors = validate(folder)
    assert [str(e).replace(str(folder) + "/", "") for e in errors] == [
        'actoren.csv:5:id: duplicate id "ouders" (first at row 3)',
        "citaten.csv:4:tekst: contains an e-mail address; "
        "remove it (the data concerns young people)",
        "factoren.csv:1:naam: missing column",
        'relaties.csv:9:teken: unknown value "x"; allowed: "+", "-"',
        'relaties.csv:9:naar: unknown node "stres" (did you mean "stress"?)',
        'sessies.csv:4:soort: unknown value "oudrsessie" (did you mean "oudersessie"?); allowed: '
        '"kick-off", "sociale kaart", "oudersessie", "jongerensessie", "toetsing", "overig"',
    ]


def test_windows_1252_csv_loads_with_its_accents(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(
        folder / "sessies.csv",
        "Oudersessie,oudersessie",
        "Oudersessie Geïnteresseerd,oudersessie",
        "cp1252",
    )
    assert load_map(folder).node("oudersessie").name == "Oudersessie Geïnteresseerd"


def test_bom_and_semicolons_as_dutch_excel_writes_them(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "plekken.csv"
    path.write_text(
        "id;naam;adres;ronde_in;ronde_uit;bronnen;herkomst;toelichting\n"
        'vleuten;Vleuten;"Dorpsstraat 1; Vleuten";1;;kickoff-verslag;x;\n',
        encoding="utf-8-sig",
    )
    assert load_map(folder).node("vleuten")["address"] == "Dorpsstraat 1; Vleuten"


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "actoren.csv", "\nouders,", "\n,,,,,,,,\n\nouders,")
    _edit(folder / "actoren.csv", "vmbo,VMBO,organisatie", "vmbo,VMBO,orgnisatie")
    assert [str(e).split(str(folder) + "/")[1] for e in validate(folder)] == [
        'actoren.csv:7:soort: unknown value "orgnisatie" (did you mean "organisatie"?); '
        'allowed: "groep", "organisatie"'
    ]


@pytest.mark.parametrize(
    ("sheet", "old", "new", "expected"),
    [
        (
            "relaties.csv",
            "knop-ouders-verwachtingen,ouders,verwachtingen-ouders,kan bijsturen,",
            "knop-ouders-verwachtingen,stress,verwachtingen-ouders,kan bijsturen,",
            (15, "van", 'a "kan bijsturen" link cannot start at a factor (allowed: actoren)'),
        ),
        (
            "relaties.csv",
            "gemeente,vleuten-versterkt,voert uit,,",
            "gemeente,vleuten-versterkt,voert uit,+,",
            (17, "teken", 'a "voert uit" link has no teken'),
        ),
        (
            "relaties.csv",
            "prestatiedruk,burn-out,beïnvloedt,+,",
            "prestatiedruk,burn-out,beïnvloedt,+,-2",
            (10, "gewicht", "weight must be greater than 0, not -2"),
        ),
        (
            "relaties.csv",
            "prestatiedruk,burn-out,beïnvloedt,+,,,,hypothese,1,",
            "prestatiedruk,burn-out,beïnvloedt,+,,,,hypothese,4,",
            (10, "ronde_in", "round 4 is not in rondes (known: 1)"),
        ),
        (
            "sessies.csv",
            ",2022-10-13,",
            ",13 okt,",
            (3, "datum", 'not a date: "13 okt" (write it as JJJJ-MM-DD, e.g. 2022-10-13)'),
        ),
        (
            "citaten.csv",
            "Moet je altijd",
            "Bel 06-12345678. Moet je altijd",
            (4, "tekst", "contains a phone number; remove it (the data concerns young people)"),
        ),
        (
            "actoren.csv",
            "\njongeren,Jongeren,",
            "\nJongeren Vleuten,Jongeren,",
            (
                2,
                "id",
                '"Jongeren Vleuten" is not a valid id: use lower-case letters, digits and '
                'dashes (try "jongeren-vleuten")',
            ),
        ),
        (
            "actoren.csv",
            "\njongeren,Jongeren,",
            "\njongeren,,",
            (2, "naam", "required value missing"),
        ),
        ("stellingen.csv", ",ja,", ",misschien,", (2, "focus", 'not ja or nee: "misschien"')),
        (
            "actoren.csv",
            "id,naam,soort",
            "id,nam,soort",
            (1, "nam", 'unknown column (did you mean "naam"?)'),
        ),
    ],
)
def test_each_kind_of_error(
    tmp_path: Path, sheet: str, old: str, new: str, expected: tuple
) -> None:
    folder = _copy(tmp_path)
    _edit(folder / sheet, old, new)
    found = [
        (e.row, e.column, str(e.message)) for e in validate(folder) if Path(e.path).name == sheet
    ]
    assert expected in found, found


def test_missing_and_unknown_sheets(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "relaties.csv").rename(folder / "relatie.csv")
    messages = [str(e).replace(str(folder), "W") for e in validate(folder)]
    assert 'W/relatie.csv: unknown sheet "relatie" (did you mean "relaties"?)' in messages


def test_a_scratch_sheet_is_a_warning_and_tables_may_be_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "kaal"
    folder.mkdir()
    (folder / "factoren.csv").write_text("id,naam\na,A\nb,B\n", encoding="utf-8")
    (folder / "relaties.csv").write_text(
        "id,van,naar,soort,teken\nab,a,b,beïnvloedt,+\nba,b,a,beïnvloedt,-\n", encoding="utf-8"
    )
    (folder / "blad1.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.warns(WorkbookWarning, match='unknown sheet "blad1" skipped') as caught:
        m = load_map(folder)
    assert [w.message.error.path for w in caught] == [str(folder / "blad1.csv")]
    assert [(n.id, n.get("level"), n.get("role")) for n in m.factors()] == [
        ("a", None, None),
        ("b", None, None),
    ]
    assert [lk.get("sign") for lk in m.links()] == ["+", "-"]


def test_a_workbook_without_nodes_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "leeg"
    folder.mkdir()
    (folder / "rondes.csv").write_text("nummer,naam\n1,Eerste\n", encoding="utf-8")
    assert [str(e.message) for e in validate(folder)] == [
        "no nodes: the workbook needs a sheet factoren or actoren"
    ]


def test_one_error_down_a_column_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "veel"
    folder.mkdir()
    rows = "".join(f"f{i},Factor {i},hoog\n" for i in range(1, 8))
    (folder / "factoren.csv").write_text("id,naam,niveau\n" + rows + "g,G,persoon\n", "utf-8")
    errors = validate(folder)
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (2, "niveau")
    assert str(errors[0].message).startswith('unknown value "hoog"')
    assert str(errors[0].message).endswith("(7 rows: 2-8)")


def test_xlsx_errors_name_the_sheet(tmp_path: Path) -> None:
    path = write_xlsx(load_map(VLEUTEN), tmp_path / "werkboek.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["relaties"]["E4"] = "plus"
    wb.save(path)
    (error,) = validate(path)
    assert str(error) == (f'{path}[relaties]:4:teken: unknown value "plus"; allowed: "+", "-"')


def test_invalid_workbook_raises_with_all_errors(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "actoren.csv", "vmbo,VMBO", "ouders,VMBO")
    _edit(folder / "factoren.csv", ",persoon,uitkomst,", ",persoonlijk,uitkomst,")
    with pytest.raises(WorkbookInvalid) as info:
        load_map(folder)
    assert len(info.value.errors) == 2
    assert str(info.value).startswith("2 errors in the workbook:\n")


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "kaart.txt"
    path.write_text("x")
    assert [str(e.message) for e in validate(path)] == [
        "not a workbook: give an .xlsx file or a folder of .csv"
    ]


def test_a_groups_weight_in_its_review_is_greater_than_0(tmp_path: Path) -> None:
    from loaders import EXAMPLE_CYCLE

    folder = tmp_path / "ronde-2"
    shutil.copytree(EXAMPLE_CYCLE / "ronde-2", folder)
    _edit(
        folder / "toetsing.csv",
        'Te abstract: ouders herkennen het in de samenleving, niet thuis.",\n',
        'Te abstract: ouders herkennen het in de samenleving, niet thuis.",0\n',
    )
    assert [str(e).split(str(folder) + "/")[1] for e in validate(folder)] == [
        "toetsing.csv:2:gewicht: weight must be greater than 0, not 0"
    ]
