"""The cycle's commands: output formats, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from graph.catalogue import message
from loaders import VLEUTEN, load_map
from queries import cycle
from tests.test_cycle_example import FORM, ROUND_1, ROUND_2
from versterkt.adjust_cli import COMMANDS as ADJUST_COMMANDS
from versterkt.cli import main
from versterkt.cycle_cli import COMMANDS

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    "path",
    [
        *([c.name] for c in COMMANDS),
        ["round"],
        ["round", "open"],
        ["adjust"],
        *(["adjust", name] for name in ADJUST_COMMANDS[1].commands),
    ],
    ids=" ".join,
)
def test_every_command_explains_itself(path: list[str]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    # its help is the catalogue's, in the command's language
    assert command.help and message(command.help, "en").splitlines()[0] in result.output


def test_the_command_names() -> None:
    assert [c.name for c in COMMANDS] == [
        "review-form",
        "review-import",
        "status",
        "diff",
        "agenda",
    ]


def test_status_as_csv_has_every_column_and_joins_lists() -> None:
    result = run("status", ROUND_2, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == list(cycle.LINK_STATUS_COLUMNS)
    contested = next(r for r in rows if r["link"] == "inv-meten-toetsen-prestatiedruk")
    assert contested == {
        "link": "inv-meten-toetsen-prestatiedruk",
        "kind": "INFLUENCES",
        "source": "meten-en-toetsen",
        "target": "prestatiedruk",
        "status": "betwist",
        "reviews": "2",
        "agree": "1",
        "disagree": "1",
        "neutral": "0",
        "additions": "0",
        "groups": "ouder; professional",
        "agreeing": "professional",
        "disagreeing": "ouder",
        "consensus": str(2 / 3 * 1 / 3),  # professional eens, ouder oneens: 2/3 and 1/3
    }


def test_status_as_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: one line per link
    result = run("status", ROUND_2, "--round", "1")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert set(lines.pop(1)) == {"-", " "}  # the rule under the headers
    assert lines[0].split() == [
        "link",
        "kind",
        "status",
        "reviews",
        "agree",
        "disagree",
        "neutral",
        "additions",
        "groups",
        "agreeing",
        "disagreeing",
        "consensus",
    ]
    assert lines[1].split() == [
        "buurtteam-voert-uit-vv",
        "runs",
        "hypothesis",
        "0",
        "0",
        "0",
        "0",
        "0",
        "-",
        "-",
        "-",
        "?",  # no group voted on it: the consensus is unknown
    ]


def test_the_diff_as_a_table_has_three_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: one line per change
    dutch = run("diff", 1, 2, ROUND_2, "--lang", "nl").output
    assert dutch.startswith("Veranderingen van ronde 1 naar ronde 2\n")
    assert "\nInvloed op de uitkomst: plaatsen in ronde 1 en ronde 2\n" in dutch
    result = run("diff", 1, 2, ROUND_2, "--lang", "en")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Changes from round 1 to round 2\n")
    assert "\nLeverage on the outcome: ranks in round 1 and round 2\n" in out
    assert "\nFeedback loops that appeared or went between round 1 and round 2\n" in out
    assert "link re-signed" in out and "Ouders increase Het geluk van een kind" in out
    assert "teken gewijzigd" in dutch and "Ouders vergroten het geluk van een kind" in dutch


def test_one_part_of_the_diff_as_csv() -> None:
    result = run("diff", 1, 2, ROUND_2, "--show", "loops", "--format", "csv")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "change,members,names,links,polarity",
        "new,perfectionisme; prestatiedruk,Perfectionisme; Prestatiedruk,"
        "inv-perfectionisme-prestatiedruk; inv-prestatiedruk-perfectionisme,reinforcing",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", ROUND_2, "--round", "5"], "Error: unknown round 5 (rounds: 1, 2)"),
        (["agenda", ROUND_2, "--round", "0"], "Error: unknown round 0 (rounds: 1, 2)"),
        (["diff", "2", "1", ROUND_2], "Error: the first round must come before the second"),
        (
            ["diff", "1", "2", ROUND_2, "--format", "csv"],
            "Error: csv holds one table: add --show changes, leverage or loops",
        ),
        (["agenda", ROUND_2, "--target", "prestatiedrk"], "Error: unknown node 'prestatiedrk'"),
        (
            ["review-form", ROUND_2, "--round", "3", "--out", "x.xlsx"],
            "Error: unknown round 3 (rounds: 1, 2)",
        ),
        (
            ["review-form", ROUND_2, "--round", "2", "--out", "x.xlsx", "--link", "nergens"],
            'Error: link "nergens" is not on the map in round 2',
        ),
    ],
)
def test_a_question_asked_wrongly_exits_2_with_one_line(args: list[object], message: str) -> None:
    with CliRunner().isolated_filesystem():
        result = run(*args)
        assert result.exit_code == 2
        assert result.output.startswith(message)
        assert len(result.output.strip().splitlines()) == 1
        assert not Path("x.xlsx").exists()


def test_a_form_with_errors_is_listed_by_cell_and_nothing_is_recorded(tmp_path: Path) -> None:
    data = Path(shutil.copytree(ROUND_1, tmp_path / "cyclus"))
    form = Path(shutil.copy(FORM, tmp_path / "formulier.xlsx"))
    wb = openpyxl.load_workbook(form)
    wb["reacties"]["C3"] = "eensch"
    wb["reacties"]["D5"] = "bel 06-12345678"
    wb.save(form)
    before = (data / "toetsing.csv").read_bytes()
    result = run("review-import", form, data)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{form}[reacties]:3:ouder: unknown verdict "eensch" (did you mean "eens"?); '
        'allowed: "eens", "oneens", "neutraal", "aanvulling"',
        f"{form}[reacties]:5:professional: contains a phone number; remove it "
        "(the data concerns young people)",
        "2 errors; nothing was recorded.",
    ]
    assert (data / "toetsing.csv").read_bytes() == before


def test_a_form_for_another_map_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    result = run("review-import", FORM, data)
    assert result.exit_code == 1
    assert f'{FORM}[gegevens]:2:waarde: this form is for map "voorbeeld-cyclus", not "vleuten"' in (
        result.output
    )
    assert load_map(data).reviews == []


def test_the_review_form_command_takes_a_session_and_the_agenda_json_is_the_librarys(
    tmp_path: Path,
) -> None:
    data = Path(shutil.copytree(ROUND_1, tmp_path / "cyclus"))
    result = run("review-import", FORM, data, "--session", "jongerensessie")
    assert result.exit_code == 0 and result.output == f"Recorded 26 reviews in {data}.\n"
    assert {r["session"] for r in load_map(data).reviews} == {"jongerensessie"}
    out = run("agenda", data, "--format", "json")
    assert json.loads(out.output)[0] == {
        "priority": 1,
        "link": "inv-meten-toetsen-prestatiedruk",
        "kind": "INFLUENCES",
        "source": "meten-en-toetsen",
        "target": "prestatiedruk",
        "statement": "Meten en toetsen vergroten prestatiedruk",
        "status": "betwist",
        "groups": ["ouder", "professional"],
        "leverage": 1.0,
        "reasons": [
            "betwist (eens: professional; oneens: ouder)",
            "rust op één bron",
            "op een keten naar Prestatiedruk (via Meten en toetsen, effect 1)",
        ],
    }


def test_an_empty_form_records_nothing(tmp_path: Path) -> None:
    data = Path(shutil.copytree(ROUND_1, tmp_path / "cyclus"))
    form = tmp_path / "leeg.xlsx"
    assert run("review-form", data, "--round", 1, "--out", form).exit_code == 0
    result = run("review-import", form, data)
    assert result.exit_code == 0
    assert result.output == f"No verdicts in {form}: nothing to record.\n"
    assert load_map(data).reviews == []
