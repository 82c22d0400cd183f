"""``versterkt import`` and ``versterkt export``: exit codes and output, pinned."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from graph.adjust import open_round, resign_link, retire_link
from loaders import load_map
from loaders.interchange import read_map, save_workbook
from versterkt.cli import main

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")

HERE = Path(__file__).parent / "interchange"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_import_writes_a_workbook_and_says_what_it_could_not_carry(run, tmp_path: Path) -> None:
    out = tmp_path / "visserij.xlsx"
    result = run("import", HERE / "fish_wetland_ozesmi.mmp", "--out", out)
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {out} (5 factors, 12 links, 5 positions) from mentalmodeler.\n"
    assert result.stderr == (
        f"{HERE / 'fish_wetland_ozesmi.mmp'}: not carried over: "
        "relationship with influence 0 or none read as a link of unknown sign\n"
    )
    m = load_map(out)
    assert m.positions()["laws"] == (503.0, 32.0)


def test_export_then_import_gives_the_same_map(run, tmp_path: Path) -> None:
    book = tmp_path / "kaart"
    assert run("import", HERE / "kumu-project.json", "--out", book).exit_code == 0
    result = run("export", book, "--to", "gexf", "--out", tmp_path / "kaart.gexf")
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {tmp_path / 'kaart.gexf'} for gexf: the current map.\n"
    again = tmp_path / "again"
    assert run("import", tmp_path / "kaart.gexf", "--out", again).exit_code == 0
    a, b = load_map(book).canonical(), load_map(again).canonical()
    # each import starts the map in its round 1, named after its own file; GEXF has no
    # named loops, which the map keeps as steps
    assert a["records"].pop("rounds") != b["records"].pop("rounds")
    assert len(a["records"].pop("steps")) == 3 and b["records"].pop("steps") == []
    assert (a["nodes"], a["links"], a["records"]) == (b["nodes"], b["links"], b["records"])


def test_export_of_the_vleuten_map_lists_what_prsm_cannot_hold(run, tmp_path: Path) -> None:
    out = tmp_path / "vleuten.prsm"
    result = run("export", "--out", out)
    assert result.exit_code == 0
    assert f"{out}: not carried over: 6 stellingen not written (only factors and actors)" in (
        result.stderr.splitlines()
    )
    m, _ = read_map(out)
    assert len(list(m.links())) == 13


def test_a_file_of_another_format_is_one_line_and_exit_1(run, tmp_path: Path) -> None:
    out = tmp_path / "uit.xlsx"
    result = run("import", HERE / "prsm-plain.prsm", "--from", "kumu", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'{HERE / "prsm-plain.prsm"}: no "elements" list: not Kumu JSON',
        "1 error; nothing was loaded.",
    ]
    assert not out.exists()


def test_export_needs_a_format_it_can_tell(run, tmp_path: Path) -> None:
    result = run("export", "--out", tmp_path / "kaart.txt")
    assert result.exit_code == 1
    assert "cannot tell the format from the file; give it with --to" in result.stderr


def test_a_scratch_sheet_is_a_warning_line_and_the_map_loads(run, tmp_path: Path) -> None:
    folder = tmp_path / "kaal"
    folder.mkdir()
    (folder / "factoren.csv").write_text("id,naam\na,A\nb,B\n", encoding="utf-8")
    (folder / "relaties.csv").write_text(
        "id,van,naar,soort,teken\nab,a,b,beïnvloedt,+\n", encoding="utf-8"
    )
    (folder / "Blad1.csv").write_text("aantekening\nnog uitzoeken\n", encoding="utf-8")
    result = run("validate", folder)
    assert result.exit_code == 0
    assert result.stdout == f"{folder}: valid (2 elements, 1 link on the map)\n"
    assert result.stderr.startswith(
        f'{folder / "Blad1.csv"}: warning: unknown sheet "blad1" skipped; the tables are: kaart,'
    )
    assert len(result.stderr.splitlines()) == 1


def test_import_of_a_kumu_project_says_how_to_list_its_named_loops(run, tmp_path: Path) -> None:
    out = tmp_path / "kaart.xlsx"
    result = run("import", HERE / "kumu-project.json", "--out", out)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"The file names 3 loops, kept as the map's steps; 3 are feedback loops of up to 6 "
        f"links: versterkt query loops {out} --max-length 6 lists them."
    )


def test_an_imported_map_goes_through_a_round_with_the_commands_alone(run, tmp_path: Path) -> None:
    """An imported map has no outcome: the cycle's commands still work on it, and what
    changed between rounds is shown without the knoppen, with a note saying why."""
    book = tmp_path / "wijk.xlsx"
    assert run("import", HERE / "kumu-project.json", "--out", book).exit_code == 0
    assert run("round", "open", book, "--name", "Na de oudersessie").exit_code == 0
    result = run("adjust", "sign", "concentratie--vergelijken", "-", book, "--reason", "andersom")
    assert result.exit_code == 0, result.output
    result = run("diff", "1", "2", book, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "note: the map has no outcome; give --target to compare knoppen" in result.stderr
    assert "Changes from round 1 to round 2" in result.stdout
    assert "link re-signed" in result.stdout and "Leverage" not in result.stdout
    assert "Feedback loops" in result.stdout
    result = run("diff", "1", "2", book, "--show", "leverage")
    assert result.exit_code == 2
    assert "the map has no outcome" in result.stderr


def test_import_counts_factors_and_actors_apart(run, tmp_path: Path) -> None:
    out = tmp_path / "kaart.xlsx"
    result = run("import", HERE / "kumu-lange-namen.json", "--out", out)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"Wrote {out} (4 factors, 1 actor, 8 links, 5 positions) from kumu."
    )


def test_an_imported_map_takes_a_review_form_in_round_1_without_opening_one(
    run, tmp_path: Path
) -> None:
    book = tmp_path / "kaart.xlsx"
    assert run("import", HERE / "kumu-lange-namen.json", "--out", book).exit_code == 0
    form = tmp_path / "formulier.xlsx"
    result = run("review-form", book, "--round", "1", "--group", "ouder", "--out", form)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(form)
    wb["reacties"]["C2"] = "eens"
    wb.save(form)
    result = run("review-import", form, book)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Recorded 1 review in {book}.\n"
    m = load_map(book)
    assert [(r["round"], r["group"], r["verdict"]) for r in m.reviews] == [(1, "ouder", "eens")]
    assert run("round", "open", book, "--name", "Na de toetsing").exit_code == 0
    assert [r["number"] for r in load_map(book).rounds] == [1, 2]


def _adjusted(tmp_path: Path) -> Path:
    """The Vleuten workbook after a round that retired two links and re-signed one."""
    m = load_map()
    open_round(m, name="Na de toetsing")
    retire_link(m, 2, "inv-individualisme-prestatiedruk", reason="Niet herkend")
    retire_link(m, 2, "inv-imago-vmbo-prestatiedruk", reason="Niet herkend")
    resign_link(m, 2, "inv-prestatiedruk-stress", "-", reason="Werkt andersom")
    return save_workbook(m, tmp_path / "vleuten.xlsx")


def _connections(path: Path) -> list[tuple[str, str, str | None]]:
    data = json.loads(path.read_text("utf-8"))
    return sorted(
        (c["from"], c["to"], c["attributes"].get("connection type")) for c in data["connections"]
    )


def test_export_writes_the_current_map_or_the_round_asked_for(run, tmp_path: Path) -> None:
    book = _adjusted(tmp_path)
    out = tmp_path / "nu.json"
    result = run("export", book, "--out", out)
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {out} for kumu: the current map.\n"
    now = _connections(out)
    assert len(now) == 11
    assert ("elem-prestatiedruk", "elem-stress", "-") in now
    assert ("elem-prestatiedruk", "elem-stress", "+") not in now
    then = tmp_path / "toen.json"
    result = run("export", book, "--round", "1", "--out", then)
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {then} for kumu: the map of round 1.\n"
    assert len(_connections(then)) == 13
    assert ("elem-prestatiedruk", "elem-stress", "+") in _connections(then)


def test_export_of_a_round_the_map_does_not_have_is_one_line_and_writes_nothing(
    run, tmp_path: Path
) -> None:
    book = _adjusted(tmp_path)
    out = tmp_path / "kaart.json"
    result = run("export", book, "--round", "3", "--out", out)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown round 3 (rounds: 1, 2)" in result.stderr
    assert not out.exists()


@pytest.mark.neo4j
def test_export_from_neo4j_writes_the_current_map(
    run, tmp_path: Path, store, neo4j_uri: str, map_id: str
) -> None:
    m = load_map(_adjusted(tmp_path))
    m.id = map_id
    store.load(m)
    out = tmp_path / "kaart.json"
    result = run(
        "export", "--uri", neo4j_uri, "--map-id", map_id, "--out", out, "--password",
        os.environ.get("NEO4J_PASSWORD", "versterkt-local"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(_connections(out)) == 11
    result = run(
        "export", "--uri", neo4j_uri, "--map-id", map_id, "--out", out, "--round", "1",
        "--password", os.environ.get("NEO4J_PASSWORD", "versterkt-local"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(_connections(out)) == 13
