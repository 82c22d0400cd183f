"""Every failure of a command is one line and an exit code, never a traceback, and a
failed write leaves what was there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph import SystemMap
from graph.store import Neo4jStore, StoreError
from loaders import VLEUTEN, load_map, validate, write_xlsx
from loaders.errors import CannotWrite
from versterkt.cli import main

#: The errors these tests read are the English ones.
pytestmark = pytest.mark.usefixtures("english_output")


def _run(*args: object, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def _one_line_failure(result: Result, code: int = 1) -> str:
    """The error line of a command that failed as it should: the exit code, no
    traceback, one line on stderr."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder nobody may write in: a read-only one, or for root (whom permissions do
    not stop) the kernel's /sys."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


@pytest.mark.parametrize("name", ["kaart.xlsx", "kaart-csv"])
def test_out_into_a_read_only_folder(tmp_path: Path, name: str) -> None:
    out = _read_only_folder(tmp_path) / name
    line = _one_line_failure(_run("convert", "--out", out))
    assert line.startswith(f"Error: {out}: ")
    assert not out.exists()


def test_out_onto_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "kaart.xlsx"
    out.mkdir()
    line = _one_line_failure(_run("convert", "--out", out))
    assert line == f"Error: {out}: Is a directory"
    assert out.is_dir() and not any(out.iterdir())


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "--out", "/proc/kaart.xlsx"],
        ["convert", "--out", "/proc/kaart"],
        ["map", "--out", "/proc/kaart.html"],
    ],
)
def test_out_under_proc(args: list[str]) -> None:
    line = _one_line_failure(_run(*args))
    assert line.startswith("Error: /proc/kaart")


def _with_name(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    path = folder / "actoren.csv"
    text = path.read_text("utf-8")
    assert ",Jongeren," in text
    path.write_text(text.replace(",Jongeren,", f",{name},", 1), "utf-8")
    return folder


def test_a_control_character_when_writing_xlsx(tmp_path: Path) -> None:
    folder = _with_name(tmp_path, "Jong\x01eren")
    assert validate(folder) == []  # a csv holds it
    out = write_xlsx(load_map(VLEUTEN), tmp_path / "kaart.xlsx")
    before = out.read_bytes()
    line = _one_line_failure(_run("convert", folder, "--out", out))
    assert line.startswith(f"Error: cannot write {out}[actoren]:")
    assert line.endswith(
        ":naam: control character U+0001 at position 5: an .xlsx file cannot hold it; "
        "remove it or write a csv folder"
    )
    assert out.read_bytes() == before


def test_an_over_long_cell_is_refused_not_cut(tmp_path: Path) -> None:
    m = SystemMap("kaart", "Kaart")
    m.add_node("Actor", "a", "A", actor_kind="groep", note="x" * 40_000)
    with pytest.raises(CannotWrite) as caught:
        write_xlsx(m, tmp_path / "kaart.xlsx")
    assert str(caught.value) == (
        f"cannot write {tmp_path / 'kaart.xlsx'}[actoren]:2:toelichting: 40,000 characters; "
        "a spreadsheet cell holds at most 32,767"
    )
    assert not (tmp_path / "kaart.xlsx").exists()
    result = _run("convert", "--out", tmp_path / "kaart-csv")  # the bundled map fits
    assert result.exit_code == 0


def test_a_failed_csv_write_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    from loaders import write_csv_folder

    out = tmp_path / "kaart"
    write_csv_folder(load_map(VLEUTEN), out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    m = load_map(VLEUTEN)
    m.add_node("Actor", "lang", "Lang", actor_kind="groep", note="x" * 40_000)
    with pytest.raises(CannotWrite):
        write_csv_folder(m, out)
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def _votes(tmp_path: Path, count: str) -> Path:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    (folder / "stemmen.csv").write_text(
        "stelling,sessie,eens,neutraal,oneens,prioriteit\n"
        f"minder-meten-toetsen,kickoff,{count},,,\n",
        "utf-8",
    )
    return folder


UNREACHABLE = {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"}


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("1e20", 'not a whole number: "1e20" (leave the cell empty when the number is unknown)'),
        (
            "100000000000000000000",
            'too large: "100000000000000000000" (at most 9,007,199,254,740,991)',
        ),
        ("1.000", 'write whole numbers without a dot or comma: is "1.000" 1000?'),
        ("?", 'not a whole number: "?" (leave the cell empty when the number is unknown)'),
        ("-", 'not a whole number: "-" (leave the cell empty when the number is unknown)'),
    ],
)
def test_counts_that_are_not_plain_whole_numbers(tmp_path: Path, count: str, message: str) -> None:
    folder = _votes(tmp_path, count)
    result = _run("db", "load", folder, env=UNREACHABLE)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{folder / 'stemmen.csv'}:2:eens: {message}"


def test_a_ten_thousand_character_id_at_db_load(tmp_path: Path) -> None:
    folder = _with_name(tmp_path, "Jongeren")
    path = folder / "actoren.csv"
    long_id = "a" * 10_000
    path.write_text(path.read_text("utf-8").replace("\njongeren,", f"\n{long_id},", 1), "utf-8")
    result = _run("db", "load", folder, env=UNREACHABLE)
    assert result.exit_code == 1
    assert (
        f"{path}:2:id: an id of 10,000 characters is too long (at most 100)"
        in result.stderr.splitlines()
    )


@pytest.mark.parametrize("map_id", ["../../x", "/tmp/x", "Kaart Vleuten", "x" * 101])
def test_map_ids_are_checked_like_other_ids(tmp_path: Path, map_id: str) -> None:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    path = folder / "kaart.csv"
    text = path.read_text("utf-8")
    assert "\nvleuten," in text
    path.write_text(text.replace("\nvleuten,", f'\n"{map_id}",', 1), "utf-8")
    (error,) = validate(folder)
    assert (error.path, error.row, error.column) == (str(path), 2, "id")
    result = _run("db", "load", VLEUTEN, "--map-id", map_id, env=UNREACHABLE)
    assert result.exit_code == 2
    assert "--map-id" in result.stderr


def test_the_store_refuses_a_map_id_that_is_not_an_id() -> None:
    m = load_map(VLEUTEN)
    m.id = "../../x"
    store = Neo4jStore("bolt://127.0.0.1:9", password="x")
    with pytest.raises(StoreError, match="is not a valid id"):
        store.load(m)  # refused before it connects
    store.close()


@pytest.mark.parametrize(
    ("node_id", "link_id", "named"),
    [("Druk 1", "l1", "node 'Druk 1'"), ("druk", "Link 1", "link 'Link 1'")],
)
def test_the_store_names_the_node_or_link_whose_id_is_not_an_id(
    node_id: str, link_id: str, named: str
) -> None:
    m = SystemMap("kaart", "Kaart")
    m.add_node("Factor", node_id, "Druk")
    m.add_node("Factor", "rust", "Rust")
    m.add_link(link_id, "INFLUENCES", node_id, "rust", sign="-")
    store = Neo4jStore("bolt://127.0.0.1:9", password="x")
    with pytest.raises(StoreError, match=f"cannot load {named} of map 'kaart': .*not a valid id"):
        store.load(m)  # refused before it connects
    store.close()


def test_db_export_needs_an_out_path_never_taken_from_the_data(tmp_path: Path) -> None:
    result = _run("db", "export", env=UNREACHABLE)
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.stderr


def test_an_http_uri_is_one_line() -> None:
    line = _one_line_failure(_run("db", "maps", env={"NEO4J_URI": "http://127.0.0.1:7474"}))
    assert line == (
        "Error: not a Neo4j URI: 'http://127.0.0.1:7474'; use bolt://, neo4j:// or neo4j+s:// "
        "with the server's Bolt port (often 7687, not the browser's 7474)"
    )
