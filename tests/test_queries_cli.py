"""The ``query`` command: output formats, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import SystemMap
from loaders import load_map, write_workbook
from queries.influence import driven_by, drivers
from queries.paths import all_paths
from queries.perspectives import group_emphasis
from queries.statements import statement_ranking
from versterkt.cli import main

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, ["query", *map(str, args)], catch_exceptions=False)

    return invoke


def library_json(frame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (["influence"], lambda m: drivers(m, "prestatiedruk")),
        (
            ["influence", "--source", "schoolsysteem", "--depth", "1"],
            lambda m: driven_by(m, "schoolsysteem", 1),
        ),
        (
            [
                "paths",
                "--from",
                "ouders",
                "--to",
                "stress",
                "--kind",
                "INFLUENCES",
                "--kind",
                "CAN_ADJUST",
            ],
            lambda m: all_paths(m, "ouders", "stress", kinds=["INFLUENCES", "CAN_ADJUST"]),
        ),
        (["statements"], statement_ranking),
        (["perspectives", "--group", "deelnemer"], lambda m: group_emphasis(m, "deelnemer")),
    ],
)
def test_json_is_what_the_library_returns(run, args, answer) -> None:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == library_json(answer(load_map()))


def test_json_keeps_unknown_as_null_and_text_as_typed(run) -> None:
    statements = json.loads(run("statements", "--format", "json").stdout)
    assert statements[0]["priority"] is None
    assert statements[0]["rank"] is None
    assert "Ouders → Het geluk van een kind" in run("perspectives", "--format", "json").stdout


def test_every_question_answers_on_the_bundled_data(run) -> None:
    for name in (
        "influence",
        "paths --from individualisme --to stress",
        "leverage",
        "loops",
        "statements",
        "social-map",
        "evidence",
        "perspectives",
    ):
        result = run(*name.split())
        assert result.exit_code == 0, result.output


def test_table_output(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: one line per factor
    lines = run("leverage").stdout.splitlines()
    # the headers are the catalogue's words for the columns, two spaces apart
    assert re.split(r"\s{2,}", lines[0].strip()) == [
        "factor",
        "name",
        "effect",
        "chains",
        "unknown sign chains",
        "weights known",
        "adjusted by",
    ]
    dutch = run("leverage", "--lang", "nl").stdout.splitlines()[0]
    assert dutch.split()[:4] == ["factor", "naam", "effect", "ketens"]
    assert set(lines[1]) == {"-", " "}  # the rule under the headers
    assert len(lines) == 2 + 7
    assert any(line.split()[0] == "meten-en-toetsen" and line.endswith("scholen") for line in lines)


def test_table_shows_unknown_as_a_question_mark_and_no_rows_plainly(run) -> None:
    # twelve columns do not fit 100: one block per statement, each header by its value
    assert run("statements").stdout.splitlines()[1].split() == ["rank", "?"]
    assert run("loops", "--lang", "en").stdout == "(no rows)\n"
    assert run("loops", "--lang", "nl").stdout == "(geen rijen)\n"


def test_the_language_comes_from_lang_else_from_the_locale(monkeypatch) -> None:
    runner = CliRunner()
    table = ["query", "knoppen"]
    monkeypatch.delenv("LC_ALL")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    english = runner.invoke(main, table, catch_exceptions=False).stdout
    assert runner.invoke(main, [*table, "--lang", "en"]).stdout == english
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    dutch = runner.invoke(main, table, catch_exceptions=False).stdout
    assert runner.invoke(main, [*table, "--lang", "nl"]).stdout == dutch
    assert re.search(r"\d,\d", dutch) and not re.search(r"\d\.\d", dutch)
    assert re.search(r"\d\.\d", english) and not re.search(r"\d,\d", english)
    # --lang holds for one command only
    assert runner.invoke(main, [*table, "--lang", "en"]).stdout == english
    assert runner.invoke(main, table).stdout == dutch


def test_csv_output_joins_lists(run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("influence", "--format", "csv").stdout)))
    assert len(rows) == len(drivers(load_map()))
    assert rows[0]["path"] == "druk-leeftijdsgenoten; prestatiedruk"
    assert rows[0]["sign"] == "+"


def test_a_workbook_and_a_round(run, tmp_path: Path) -> None:
    m = SystemMap("demo", "Demo")
    for f in ("a", "b"):
        m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    m.add_link("ba", "INFLUENCES", "b", "a", sign="-", round_in=2)
    m.add_record("rounds", number=1, name="Eerste")
    m.add_record("rounds", number=2, name="Tweede")
    folder = write_workbook(m, tmp_path / "demo")
    now = json.loads(run("loops", folder, "--format", "json").stdout)
    assert [(loop["members"], loop["polarity"]) for loop in now] == [(["a", "b"], "balancing")]
    assert json.loads(run("loops", folder, "--round", "1", "--format", "json").stdout) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["influence", "--target", "prestatiedrk"],
            "unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)",
        ),
        (["influence", "--depth", "-1"], "the depth must be a whole number of at least 1, not -1"),
        (
            ["loops", "--round", "0"],
            "unknown round 0 (rounds: 1); open a round first (versterkt round open)",
        ),
        (["loops", "--depth", "2"], "--depth does not apply to the loops question"),
        (["paths", "--to", "stress"], "the paths question needs --source/--from"),
        (
            ["influence", "--target", "stress", "--source", "ouders"],
            "give a target or a source, not both",
        ),
    ],
)
def test_bad_questions_exit_2_with_one_line(run, args, message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_an_unknown_question_exits_2(run) -> None:
    result = run("hefboom")
    assert result.exit_code == 2
    assert "'hefboom' is not one of" in result.stderr
