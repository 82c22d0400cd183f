"""Two changes to one workbook never overwrite each other: a change made on a version
that is no longer the latest is refused with MapChanged and writes nothing; the live
session's import is such a change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.errors import MapChanged
from loaders import VLEUTEN, load_map, write_workbook
from loaders.edit import change_workbook, workbook_version
from versterkt.cli import main


def add_session(m: SystemMap, name: str) -> None:
    m.add_node("Session", name, name.capitalize(), session_kind="oudersessie", round_in=1)


@pytest.mark.parametrize("form", ["folder", "xlsx"])
def test_a_change_on_an_older_version_is_refused_and_the_other_is_kept(
    tmp_path: Path, form: str
) -> None:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    if form == "xlsx":
        data = write_workbook(load_map(data), tmp_path / "vleuten.xlsx")

    def ours(m: SystemMap) -> None:
        # someone else writes the workbook while this change is being made
        change_workbook(data, lambda other: add_session(other, "theirs"))
        add_session(m, "ours")

    with pytest.raises(MapChanged, match="changed by someone else since it was read"):
        change_workbook(data, ours)
    sessions = {s.id for s in load_map(data).sessions()}
    assert "theirs" in sessions and "ours" not in sessions


def test_a_change_names_the_version_it_was_made_on(tmp_path: Path) -> None:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    read = workbook_version(data)
    change_workbook(data, lambda m: add_session(m, "first"), version=read)
    assert workbook_version(data) != read
    before = workbook_version(data)
    with pytest.raises(MapChanged, match="nothing was written"):
        change_workbook(data, lambda m: add_session(m, "second"), version=read)
    assert workbook_version(data) == before


def test_the_command_line_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    import loaders.edit

    real = loaders.edit.read_versioned

    def read_then_someone_writes(path: str | Path) -> tuple[SystemMap, str]:
        m, version = real(path)
        (Path(path) / "deelname.csv").write_text(
            "sessie,groep,aantal,herkomst\nkick-off,ouder,3,\n", encoding="utf-8"
        )
        return m, version

    monkeypatch.setattr(loaders.edit, "read_versioned", read_then_someone_writes)
    result = CliRunner().invoke(main, ["round", "open", str(data), "--name", "Na de oudersessie"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "changed by someone else" in lines[0], result.output
    assert len(load_map(data).rounds) == 1
