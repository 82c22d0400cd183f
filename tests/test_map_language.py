"""A workbook may declare the language its commands speak (``taal`` on ``kaart``):
without ``--lang`` a command given that workbook speaks it, whatever the locale;
``--lang`` still decides; a workbook that declares none leaves it to the locale."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import loaders.read
from loaders import VLEUTEN, load_map, write_workbook
from loaders.read import declared_lang
from versterkt.cli import main


def _declaring(tmp_path: Path, lang: str) -> Path:
    data = tmp_path / "werkboek"
    shutil.copytree(VLEUTEN, data)
    path = data / "kaart.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    rows[1][rows[0].index("taal")] = lang
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return data


def _run(*args: object, locale: str) -> tuple[int, str, str]:
    env = {"LC_ALL": locale, "LANG": locale}
    result = CliRunner().invoke(main, [str(a) for a in args], env=env, prog_name="versterkt")
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_workbook_that_declares_english_is_spoken_of_in_english(
    tmp_path: Path, form: str
) -> None:
    data = _declaring(tmp_path, "en")
    if form == "xlsx":
        data = write_workbook(load_map(data), tmp_path / "werkboek.xlsx")
    assert declared_lang(data) == "en"
    assert load_map(data).meta["lang"] == "en"
    code, out, _ = _run("validate", data, locale="nl_NL.UTF-8")
    assert (code, out.strip()) == (0, f"{data}: valid (37 elements, 31 links on the map)")
    # an unknown option too, which click finds before any option is read
    code, _, err = _run("map", data, "--rond", "1", locale="nl_NL.UTF-8")
    assert code == 2
    assert err.splitlines()[-1] == "Error: No such option '--rond'. Did you mean '--round'?"


def test_lang_decides_over_the_workbook(tmp_path: Path) -> None:
    data = _declaring(tmp_path, "nl")
    code, out, _ = _run("validate", data, "--lang", "en", locale="nl_NL.UTF-8")
    assert out.strip().endswith("valid (37 elements, 31 links on the map)")
    code, out, _ = _run("validate", data, locale="en_GB.UTF-8")
    assert out.strip().endswith("in orde (37 elementen, 31 verbanden op de kaart)")


def test_a_workbook_that_declares_no_language_leaves_it_to_the_locale(tmp_path: Path) -> None:
    assert declared_lang(VLEUTEN) is None
    _, out, _ = _run("validate", VLEUTEN, locale="en_GB.UTF-8")
    assert out.strip().endswith("valid (37 elements, 31 links on the map)")


def test_a_language_the_tool_does_not_speak_is_refused_at_its_cell(tmp_path: Path) -> None:
    data = _declaring(tmp_path, "fr")
    assert declared_lang(data) is None
    code, _, err = _run("validate", data, locale="nl_NL.UTF-8")
    assert code != 0
    assert f"{data / 'kaart.csv'}:2:taal:" in err


def test_an_unreadable_workbook_declares_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"no zip at all")
    assert declared_lang(broken) is None
    assert declared_lang(tmp_path / "nergens") is None


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_asking_the_language_first_does_not_read_the_workbook_twice(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _declaring(tmp_path, "en")
    if form == "xlsx":
        data = write_workbook(load_map(data), tmp_path / "werkboek.xlsx")
    reads: list[Path] = []
    real = loaders.read._read_workbook
    monkeypatch.setattr(loaders.read, "_read_workbook", lambda p: reads.append(p) or real(p))
    code, out, _ = _run("validate", data, locale="nl_NL.UTF-8")
    assert (code, reads) == (0, [data])
    # a workbook changed since is read again
    assert declared_lang(data) == "en"
    if form == "csv":
        (data / "kaart.csv").write_text((data / "kaart.csv").read_text() + "\n")
    else:
        os.utime(data, ns=(1, 1))  # a new time of change
    load_map(data)
    assert reads == [data, data, data]
